//! Resolution: pure functions from the inventory and version profile to what Istio does.
pub mod client_tls;
pub mod policies;
pub mod protocol;
pub mod proxy;
pub mod reach;
pub mod server_mtls;
pub mod transport;
pub mod version_detect;
