//! Loading: input files (and the cluster) into objects with positions, plus the issues found.
pub mod cluster;
pub mod de;
pub mod files;
pub mod git;
pub mod load;
pub mod mesh_config;
pub mod yaml;
mod yaml_block;
mod yaml_compat;
