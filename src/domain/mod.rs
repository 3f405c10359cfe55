//! Domain values and pure rules.
pub mod case;
pub mod category;
pub mod person;
