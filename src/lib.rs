//! casebook: a customer-case desk for the shell.
pub mod domain;
pub mod mail;
#[doc(hidden)]
pub mod testing;
