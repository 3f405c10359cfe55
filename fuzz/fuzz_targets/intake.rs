//! Any bytes through the intake: parse, forward extraction, note commands,
//! threading keys, automatic-mail detection and the trust decision, with the
//! promises of `casebook::mail::invariants::check_intake` (the same ones the
//! property tests check in `cargo test`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = casebook::mail::invariants::check_intake(data) {
        panic!("intake promise broken: {broken}");
    }
});
