//! Inbound parsing and outbound building of email.
//!
//! The inbound layer is pure (no database): [`parse`] turns raw bytes into an
//! [`parse::Inbound`], [`autoreply`] decides whether it was machine-made,
//! [`thread`] finds case tags and references, [`forward`] digs out the
//! original message of a forward and [`html`] makes HTML readable; below them
//! all, [`address`], [`date`] and [`text`] read addresses, dates and body text.
//! [`authres`] reads `Authentication-Results` and [`trust`] decides whether
//! staff mail is staff's. [`invariants`] states what the intake holds for any
//! input (the property tests and the fuzz target in `fuzz/` check it).
//! [`outbound`] builds our own messages and [`transport`] delivers them.
pub mod address;
pub mod authres;
pub mod autoreply;
pub mod date;
pub mod forward;
pub(crate) mod html;
pub mod invariants;
pub(crate) mod labels;
pub mod outbound;
pub mod parse;
pub mod quoted;
pub(crate) mod repair;
pub mod text;
pub mod thread;
pub mod transport;
pub mod trust;
