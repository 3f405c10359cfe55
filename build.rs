//! Link options of the casebook binary on Linux with glibc, both for the
//! cost of a process start: procmail starts one casebook per mail.
//!
//! - A fixed-address (non-PIE) executable. As a PIE, the dynamic loader had
//!   to apply some 55,000 relocations at every start, touching about 300
//!   pages of the binary (half of all page faults of an ingest); fixed
//!   addresses need none. The cost: ASLR no longer moves the binary's own
//!   code (libraries, stack and heap are still randomised). Set
//!   CASEBOOK_PIE=1 when building to keep a PIE.
//! - In release builds linked by rust-lld (the toolchain's default on
//!   x86_64 Linux), the functions a delivery runs placed together
//!   (benches/delivery-symbols.txt, written by benches/delivery_symbols.sh):
//!   spread over 11 MB of code they cost a delivery about 70 page faults
//!   more. Only the order of the code changes. Set CASEBOOK_LINK_ORDER=0 to
//!   link without it.
use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CASEBOOK_PIE");
    println!("cargo:rerun-if-env-changed=CASEBOOK_LINK_ORDER");
    let target = env::var("TARGET").unwrap_or_default();
    if !target.ends_with("-linux-gnu") {
        return;
    }
    if env::var("CASEBOOK_PIE").as_deref() != Ok("1") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let order = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/delivery-symbols.txt");
    println!("cargo:rerun-if-changed={order}");
    if links_with_rust_lld(&target)
        && env::var("PROFILE").as_deref() == Ok("release")
        && env::var("CASEBOOK_LINK_ORDER").as_deref() != Ok("0")
        && std::path::Path::new(order).exists()
    {
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={order}");
        // Names the binary no longer has (the list is older than the code)
        // are skipped, not reported: the list then only packs less.
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// The toolchain links x86_64-unknown-linux-gnu with its own rust-lld unless
/// a linker is configured (GNU ld does not know --symbol-ordering-file).
fn links_with_rust_lld(target: &str) -> bool {
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    target == "x86_64-unknown-linux-gnu"
        && env::var_os("RUSTC_LINKER").is_none()
        && !flags.contains("linker")
        && !flags.contains("link-self-contained")
        && !flags.contains("fuse-ld")
}
