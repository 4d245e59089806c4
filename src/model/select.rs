//! Workload and destination selectors of the command line (SPEC §1): `ns/name`, `name.ns`,
//! globs (`foo/*`, `*/sleep`), label selectors (`app=sleep,version=v1`); destinations
//! `service.namespace[:port]` (port number or name), a FQDN, or globs.

use globset::{Glob, GlobMatcher};

use super::inventory::{Inventory, ServiceInfo, Workload};
use crate::error::Error;

/// A parsed workload selector.
#[derive(Debug, Clone)]
pub enum WorkloadSelector {
    Labels(Vec<(String, String)>),
    Name {
        namespace: GlobMatcher,
        name: GlobMatcher,
    },
}

fn glob(text: &str) -> Result<GlobMatcher, Error> {
    Glob::new(text)
        .map(|g| g.compile_matcher())
        .map_err(|e| Error::Usage(format!("bad pattern `{text}`: {e}")))
}

impl WorkloadSelector {
    /// Parses `text`; a bare name is looked for in `default_ns` (or every namespace).
    pub fn parse(text: &str, default_ns: Option<&str>) -> Result<WorkloadSelector, Error> {
        let t = text.trim();
        if t.contains('=') {
            let pairs = t
                .split(',')
                .map(|kv| {
                    kv.split_once('=')
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                        .ok_or_else(|| {
                            Error::Usage(format!(
                                "bad label selector `{t}`: expected key=value[,key=value]"
                            ))
                        })
                })
                .collect::<Result<_, _>>()?;
            return Ok(WorkloadSelector::Labels(pairs));
        }
        let (ns, name) = if let Some((ns, name)) = t.split_once('/') {
            (ns.to_owned(), name.to_owned())
        } else if let Some((name, ns)) = t.rsplit_once('.') {
            (ns.to_owned(), name.to_owned())
        } else {
            (default_ns.unwrap_or("*").to_owned(), t.to_owned())
        };
        if name.is_empty() || ns.is_empty() {
            return Err(Error::Usage(format!(
                "bad workload `{t}`: expected namespace/name or name.namespace"
            )));
        }
        Ok(WorkloadSelector::Name {
            namespace: glob(&ns)?,
            name: glob(&name)?,
        })
    }

    pub fn matches(&self, w: &Workload) -> bool {
        match self {
            WorkloadSelector::Labels(pairs) => {
                pairs.iter().all(|(k, v)| w.labels.get(k) == Some(v))
            }
            WorkloadSelector::Name { namespace, name } => {
                namespace.is_match(&w.namespace) && name.is_match(&w.name)
            }
        }
    }
}

/// A parsed destination selector.
#[derive(Debug, Clone)]
pub struct DestinationSelector {
    pub namespace: GlobMatcher,
    pub name: GlobMatcher,
    /// Port number or name; `None` for every port.
    pub port: Option<String>,
}

impl DestinationSelector {
    pub fn parse(text: &str, default_ns: Option<&str>) -> Result<DestinationSelector, Error> {
        let t = text.trim();
        let (host, port) = match t.rsplit_once(':') {
            Some((h, p)) if !p.is_empty() => (h, Some(p.to_owned())),
            _ => (t, None),
        };
        let host = host.strip_suffix(".svc.cluster.local").unwrap_or(host);
        let host = host.strip_suffix(".svc").unwrap_or(host);
        let (name, ns) = if let Some((ns, name)) = host.split_once('/') {
            (name, ns)
        } else if let Some((name, ns)) = host.split_once('.') {
            (name, ns)
        } else {
            (host, default_ns.unwrap_or("*"))
        };
        if name.is_empty() {
            return Err(Error::Usage(format!(
                "bad destination `{t}`: expected service.namespace[:port]"
            )));
        }
        Ok(DestinationSelector {
            namespace: glob(ns)?,
            name: glob(name)?,
            port,
        })
    }

    /// The (service index, port index) pairs this selects.
    pub fn select(&self, inv: &Inventory) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (si, s) in inv.services.iter().enumerate() {
            if !(self.namespace.is_match(&s.namespace) && self.name.is_match(&s.name)) {
                continue;
            }
            for pi in 0..s.ports.len() {
                if self
                    .port
                    .as_deref()
                    .is_none_or(|want| port_matches(s, pi, want))
                {
                    out.push((si, pi));
                }
            }
        }
        out
    }
}

fn port_matches(s: &ServiceInfo, pi: usize, want: &str) -> bool {
    let p = &s.ports[pi];
    want == "*" || p.port.to_string() == want || (!p.name.is_empty() && p.name == want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_workload_forms() {
        for (text, ns, name) in [("foo/sleep", "foo", "sleep"), ("sleep.foo", "foo", "sleep")] {
            match WorkloadSelector::parse(text, None).unwrap() {
                WorkloadSelector::Name { namespace, name: n } => {
                    assert!(namespace.is_match(ns) && n.is_match(name), "{text}");
                }
                WorkloadSelector::Labels(_) => panic!(),
            }
        }
        assert!(
            matches!(WorkloadSelector::parse("app=sleep", None).unwrap(), WorkloadSelector::Labels(l) if l.len() == 1)
        );
        assert!(WorkloadSelector::parse("/x", None).is_err());
    }

    #[test]
    fn parses_destinations() {
        let d = DestinationSelector::parse("httpbin.foo.svc.cluster.local:8000", None).unwrap();
        assert!(d.name.is_match("httpbin") && d.namespace.is_match("foo"));
        assert_eq!(d.port.as_deref(), Some("8000"));
        let d = DestinationSelector::parse("kubernetes.default:https", None).unwrap();
        assert_eq!(d.port.as_deref(), Some("https"));
    }
}
