//! meshlint: a static analyzer for Istio security policy.
//!
//! Layout (SPEC.md §8): `input` loads files into positioned trees and typed objects; `model`
//! holds the inventory; `resolve` computes what Istio does (pure functions); `rules` report
//! problems from those results; `report` renders them; `commands` wire it to the CLI.
pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod facts;
pub mod input;
pub mod model;
pub mod report;
pub mod resolve;
pub mod rule_meta;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod testgen;
pub mod version;
