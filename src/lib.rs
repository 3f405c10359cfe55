//! casebook: a customer-case desk for the shell.
pub mod cli;
pub mod cmd;
pub mod config;
pub mod ctx;
pub mod desk;
pub mod domain;

pub mod error;
pub mod ingest;
pub mod mail;

pub mod render;
pub mod store;
