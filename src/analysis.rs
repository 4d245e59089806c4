//! One analysis: the loaded inventory, the Istio version profile it is judged against, the
//! load issues, and per-workload facts every rule needs (proxy kind). Built once, read by all
//! rules and commands.

use std::collections::BTreeMap;

use crate::input::load::{LoadIssue, Loaded};
use crate::model::inventory::Inventory;
use crate::model::istio::mesh::MeshConfig;
use crate::resolve::proxy::{self, ProxyDecision};
use crate::resolve::version_detect;
use crate::version::{IstioVersion, Profile, VersionSource};

pub struct Analysis {
    pub inv: Inventory,
    pub profile: Profile,
    pub issues: Vec<LoadIssue>,
    /// Objects of kinds meshlint does not read, counted by `apiVersion/kind`.
    pub skipped: BTreeMap<String, usize>,
    pub files: usize,
    pub bytes: usize,
    /// Proxy decision per workload (same index as `inv.workloads`).
    pub proxies: Vec<ProxyDecision>,
}

impl Analysis {
    /// Builds the inventory and decides the version: `--istio-version` wins over detection.
    pub fn new(
        loaded: Loaded,
        version_flag: Option<IstioVersion>,
        mesh_override: Option<MeshConfig>,
    ) -> Analysis {
        let inv = Inventory::new(loaded.objects, mesh_override);
        let profile = match version_flag {
            Some(v) => Profile::new(v, VersionSource::Flag),
            None => match version_detect::detect(&inv) {
                Some((v, why)) => Profile::new(v, VersionSource::Detected(why)),
                None => Profile::new(IstioVersion::LATEST, VersionSource::Default),
            },
        };
        let proxies = inv
            .workloads
            .iter()
            .map(|w| proxy::detect(&inv, w, &profile))
            .collect();
        Analysis {
            inv,
            profile,
            issues: loaded.issues,
            skipped: loaded.skipped,
            files: loaded.files,
            bytes: loaded.bytes,
            proxies,
        }
    }
}
