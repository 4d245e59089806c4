//! meshlint: a static analyzer for Istio security policy.
pub mod error;
pub mod input;
pub mod model;
pub mod version;
