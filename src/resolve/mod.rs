//! Resolution: pure functions from the inventory and version profile to what Istio does.
pub mod authn;
pub mod authz;
pub mod cell;
pub mod classes;
pub mod client_tls;
pub mod decisions;
pub mod describe;
pub mod gateway;
pub mod jwt;
pub mod ports;
pub mod protocol;
pub mod rbac;
pub mod reach;
pub mod rejected;
pub mod request;
pub mod server_mtls;
pub mod transport;
