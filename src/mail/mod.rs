//! Inbound parsing and outbound building of email.
//!
//! The inbound layer is pure (no database): [`parse`] turns raw bytes into an
//! [`parse::Inbound`], [`autoreply`] decides whether it was machine-made,
//! [`thread`] finds case tags and references, [`forward`] digs out the
//! original message of a forward and [`html`] makes HTML readable.
pub mod autoreply;
pub mod forward;
pub mod html;
pub mod parse;
pub mod thread;
