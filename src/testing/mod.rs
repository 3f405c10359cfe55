//! Helpers for tests: not part of casebook's supported interface.
pub mod smtp_sink;
