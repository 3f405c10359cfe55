//! The end-to-end suite in one test binary (one link instead of ten): each
//! module drives the real `casebook` binary, or the library, for one area.

// Tests report what they measured on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

mod corpus;
mod demo;
mod foundation;
mod ingest;
mod mail_corpus;
mod outbound_smtp;
mod outbox;
mod outbox_crash;
mod search;
mod snapshots;
mod trust;
mod views;
mod workflow;
