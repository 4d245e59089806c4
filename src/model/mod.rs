//! The typed model: kinds, objects, Istio resources, and the inventory with its indexes.
pub mod inventory;
pub mod istio;
pub mod kind;
pub mod labels;
pub(crate) mod lenient;
pub mod meta;
pub mod pod;
pub mod resource;
pub mod select;
pub mod selector;
pub mod service;
pub mod validation;
