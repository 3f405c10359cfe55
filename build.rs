//! Links the casebook binary as a fixed-address (non-PIE) executable on
//! Linux with glibc.
//!
//! procmail starts one casebook per mail. As a PIE, the dynamic loader had to
//! apply some 55,000 relocations at every start, touching about 300 pages of
//! the binary (half of all page faults of an ingest); fixed addresses need
//! none. The cost: ASLR no longer moves the binary's own code (libraries,
//! stack and heap are still randomised). Set CASEBOOK_PIE=1 when building to
//! keep a PIE.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CASEBOOK_PIE");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let keep_pie = std::env::var_os("CASEBOOK_PIE").is_some_and(|v| v == "1");
    if linux_gnu && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
