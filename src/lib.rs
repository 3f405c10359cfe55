//! casebook: a customer-case desk for the shell.
pub mod cli;
pub mod cmd;
pub mod config;
pub mod ctx;
pub mod domain;
pub mod due;
pub mod error;
pub mod ingest;
pub mod mail;
pub mod notify;
pub mod outbox;
pub mod render;
pub mod store;
pub mod workflow;
