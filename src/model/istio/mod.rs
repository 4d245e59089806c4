//! Typed Istio resources, one file per API family.
pub mod common;
pub mod legacy;
pub mod mesh;
pub mod networking;
pub mod proxy_config;
pub mod security;
