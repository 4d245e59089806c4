//! Facts computed once from the inventory and the version profile, below [`crate::analysis`]:
//! which proxy each workload has, the mTLS policies by scope in precedence order, and the Istio
//! version the inputs declare. Resolution and rules read them through `Analysis`.
pub mod implied;
pub mod namespaces;
pub mod policies;
pub mod proxy;
pub mod version_detect;
