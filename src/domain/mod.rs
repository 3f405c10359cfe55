//! Domain values and pure rules.
pub mod calendar;
pub mod sla;
