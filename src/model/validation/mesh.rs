//! The mesh config checks of istiod (istio/istio 1.31.0-rc.0
//! `pkg/config/validation/agent/validation.go:968` ValidateMeshConfig → 813-823
//! ValidateTrustDomain; the same since 1.16) for the fields meshlint reads: only the trust
//! domains are checked. istiod does not apply a mesh config that fails them: it logs "invalid
//! mesh config, using last known state" (`pkg/config/mesh/meshwatcher/collection.go:66-73`)
//! and keeps the last valid one, or its built-in defaults when it starts with it.

use super::is_dns1123_label;
use crate::model::istio::mesh::MeshConfig;

/// `(field, message)` for each trust domain istiod refuses.
pub fn mesh_config_violations(m: &MeshConfig) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(td) = m.trust_domain.as_deref().filter(|t| !t.is_empty())
        && let Some(e) = trust_domain_error(td)
    {
        out.push(("trustDomain", e));
    }
    for a in &m.trust_domain_aliases {
        if let Some(e) = trust_domain_error(a) {
            out.push((
                "trustDomainAliases",
                format!("trustDomainAliases: domain `{a}`: {e}"),
            ));
        }
    }
    out
}

/// agent/validation.go ValidateTrustDomain: dot-separated DNS-1123 labels; only a trailing dot
/// may leave a label empty.
fn trust_domain_error(td: &str) -> Option<String> {
    if td.is_empty() {
        return Some("empty domain name not allowed".to_owned());
    }
    let labels: Vec<&str> = td.split('.').collect();
    let ok = labels
        .iter()
        .enumerate()
        .all(|(i, l)| is_dns1123_label(l) || (l.is_empty() && i == labels.len() - 1 && i > 0));
    (!ok).then(|| format!("trust domain name {td:?} invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// agent/validation.go ValidateTrustDomain, as TestValidateTrustDomain reads it.
    #[test]
    fn trust_domains() {
        assert!(trust_domain_error("cluster.local").is_none());
        assert!(trust_domain_error("Example.COM.").is_none());
        assert!(trust_domain_error("td").is_none());
        assert!(trust_domain_error("a..b").is_some());
        assert!(trust_domain_error("a_b.local").is_some());
        assert!(trust_domain_error("spiffe://td").is_some());
        let m = MeshConfig {
            trust_domain: Some("my_td".into()),
            trust_domain_aliases: vec!["ok.local".into(), "-bad".into()],
            ..MeshConfig::default()
        };
        let v = mesh_config_violations(&m);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].0, "trustDomain");
        assert!(v[1].1.contains("-bad"));
    }
}
