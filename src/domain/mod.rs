//! Domain values and pure rules.
pub mod case;
pub mod person;
pub mod rules;
