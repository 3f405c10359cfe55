//! Domain values and pure rules.
pub mod category;
