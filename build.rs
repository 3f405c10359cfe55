//! Links the casebook binary as a fixed-address (non-PIE) executable.
//!
//! procmail starts one casebook per mail. As a PIE, the dynamic loader had to
//! apply some 55,000 relocations at every start, touching about 300 pages of
//! the binary (half of all page faults of an ingest); fixed addresses need
//! none. The cost is that ASLR no longer moves the binary's own code.
fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
