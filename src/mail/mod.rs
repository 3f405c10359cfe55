//! Inbound parsing and outbound building of email.
pub mod outbound;
pub mod transport;
