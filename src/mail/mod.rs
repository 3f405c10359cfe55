//! Inbound parsing and outbound building of email.
