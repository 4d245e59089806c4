//! DestinationRule hosts against Service hosts: short names qualified in the rule's namespace
//! and the most specific match (research/istio-semantics.md §4 "Host matching").

use super::DNS_DOMAIN;
use crate::model::inventory::ServiceInfo;

/// A DestinationRule's `host` as a fully qualified name: short names (no dot) resolve against
/// the rule's own namespace (`ResolveShortnameToFQDN`).
pub fn qualify_host(host: &str, namespace: &str) -> String {
    qualified_parts(host, namespace).concat()
}

/// [`qualify_host`] as the pieces the name is made of, so it can be compared unbuilt.
fn qualified_parts<'a>(host: &'a str, namespace: &'a str) -> [&'a str; 5] {
    if host.contains('.') || host == "*" {
        [host, "", "", "", ""]
    } else {
        [host, ".", namespace, ".svc.", DNS_DOMAIN]
    }
}

/// How well a rule host matches a service host: exact beats any wildcard, then the longer
/// wildcard (`MostSpecificHostMatch`). `None` when it does not match.
pub fn host_match(rule_host: &str, service_host: &str) -> Option<(u8, usize)> {
    if rule_host == service_host {
        return Some((2, rule_host.len()));
    }
    let suffix = rule_host.strip_prefix('*')?;
    service_host.ends_with(suffix).then_some((1, suffix.len()))
}

/// [`host_match`] of `rule_host` qualified in `rule_ns` ([`qualify_host`]) against the
/// service's `name.namespace.svc.cluster.local`, compared piecewise: it runs for every rule
/// of three namespaces on every client → service decision, and building both names was most
/// of that lookup, itself a twentieth of `matrix --by namespace` (issue 14, perf).
pub fn host_match_service(
    rule_host: &str,
    rule_ns: &str,
    svc: &ServiceInfo,
) -> Option<(u8, usize)> {
    let service = [
        svc.name.as_str(),
        ".",
        svc.namespace.as_str(),
        ".svc.",
        DNS_DOMAIN,
    ];
    let rule = qualified_parts(rule_host, rule_ns);
    let len = |parts: &[&str]| parts.iter().map(|p| p.len()).sum::<usize>();
    if len(&rule) == len(&service) && concat_eq(&rule, &service, 0) {
        return Some((2, len(&rule)));
    }
    let mut suffix = rule;
    suffix[0] = rule[0].strip_prefix('*')?;
    let n = len(&suffix);
    let whole = len(&service);
    (n <= whole && concat_eq(&service, &suffix, whole - n)).then_some((1, n))
}

/// Whether the concatenation of `a`, without its first `skip` bytes, equals that of `b`,
/// compared a run of bytes at a time.
fn concat_eq(a: &[&str], b: &[&str], mut skip: usize) -> bool {
    let (mut ai, mut bi, mut bo) = (0, 0, 0);
    let mut ao = 0;
    loop {
        while ai < a.len() && ao + skip >= a[ai].len() {
            skip -= a[ai].len() - ao;
            ai += 1;
            ao = 0;
        }
        ao += skip;
        skip = 0;
        while bi < b.len() && bo == b[bi].len() {
            bi += 1;
            bo = 0;
        }
        let (x, y) = match (a.get(ai), b.get(bi)) {
            (None, None) => return true,
            (Some(x), Some(y)) => (&x.as_bytes()[ao..], &y.as_bytes()[bo..]),
            _ => return false,
        };
        let n = x.len().min(y.len());
        if x[..n] != y[..n] {
            return false;
        }
        ao += n;
        bo += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// istio-semantics §4 "Host matching": exact beats wildcard, longer wildcard beats shorter.
    #[test]
    fn most_specific_host_match() {
        let h = "httpbin.foo.svc.cluster.local";
        assert_eq!(host_match(h, h), Some((2, h.len())));
        let ns = host_match("*.foo.svc.cluster.local", h).unwrap();
        let local = host_match("*.local", h).unwrap();
        let all = host_match("*", h).unwrap();
        assert!(ns > local && local > all);
        assert_eq!(host_match("*.bar.svc.cluster.local", h), None);
        assert!(host_match("*.local", "kubernetes.default.svc.cluster.local").is_some());
    }

    /// istio-semantics §4: short hosts resolve against the rule's namespace.
    #[test]
    fn short_hosts_resolve_in_rule_namespace() {
        assert_eq!(
            qualify_host("httpbin", "bar"),
            "httpbin.bar.svc.cluster.local"
        );
        assert_eq!(qualify_host("*.local", "bar"), "*.local");
        assert_eq!(qualify_host("*", "bar"), "*");
    }

    /// Matching piecewise gives what qualifying both names and matching them gives.
    #[test]
    fn piecewise_host_match_equals_the_qualified_one() {
        let svc = |name: &str, namespace: &str| ServiceInfo {
            object: None,
            name: name.into(),
            namespace: namespace.into(),
            has_selector: true,
            ports: Vec::new(),
            headless: false,
            workloads: Vec::new(),
        };
        let services = [
            svc("httpbin", "foo"),
            svc("a", "b"),
            svc("kubernetes", "default"),
        ];
        let hosts = [
            "httpbin",
            "httpbin.foo",
            "httpbin.foo.svc.cluster.local",
            "*.foo.svc.cluster.local",
            "*.svc.cluster.local",
            "*.local",
            "*local",
            "*",
            "*bin",
            "*.b.svc.cluster.local",
            "a",
            "",
            "kubernetes.default.svc.cluster.local",
        ];
        for s in &services {
            for h in hosts {
                for ns in ["foo", "b", "bar", "default"] {
                    assert_eq!(
                        host_match_service(h, ns, s),
                        host_match(&qualify_host(h, ns), &s.fqdn(DNS_DOMAIN)),
                        "{h} in {ns} against {}",
                        s.fqdn(DNS_DOMAIN)
                    );
                }
            }
        }
    }
}
