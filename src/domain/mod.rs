//! Domain values and pure rules.
pub(crate) mod calendar;
pub mod case;
pub(crate) mod category;
pub(crate) mod integration;
pub(crate) mod person;
pub(crate) mod rules;
pub(crate) mod sla;
pub(crate) mod sla_explain;
pub mod states;
pub(crate) mod when;
