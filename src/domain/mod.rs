//! Domain values and pure rules.
