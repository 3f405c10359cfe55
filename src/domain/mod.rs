//! Domain values and pure rules.
pub mod calendar;
pub mod case;
pub mod category;
pub mod person;
pub mod rules;
pub mod sla;
pub mod states;
