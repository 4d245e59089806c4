//! Resolution: pure functions from the inventory and version profile to what Istio does.
pub mod protocol;
pub mod proxy;
pub mod version_detect;
