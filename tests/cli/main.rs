//! The end-to-end suite in one test binary (one link instead of ten): each
//! module drives the real `casebook` binary, or the library, for one area.

// Tests report what they measured on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

mod corpus;
mod crash;
mod demo;
mod forward_matrix;
mod foundation;
mod ingest;
mod mail_corpus;
mod mailhost;
mod memory;
mod outbound_smtp;
mod outbox;
mod outbox_crash;
mod postgres;
mod readme;
mod report_page;
mod search;
mod snapshots;
mod sop_rules;
mod stress;
mod terminal;
mod trust;
mod views;
mod workflow;
