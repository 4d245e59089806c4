//! The settings a DestinationRule traffic policy carries besides TLS: connection pool, outlier
//! detection and load balancer (istio/istio 1.31.0-rc.0 `pkg/config/validation/validation.go`
//! validateConnectionPool 1137-1208, validateOutlierDetection 1111-1135, validateLoadBalancer
//! 1210-1279; `agent/validation.go` ValidateLocalityLbSetting 530-589, ValidateDuration 139-148).

use std::collections::BTreeSet;

use super::{Out, duration_error};
use crate::model::istio::networking::{
    ConnectionPool, LoadBalancer, LocalityLbSetting, OutlierDetection,
};
use crate::version::Behaviour;

/// The topology labels `failoverPriority` may not repeat beside `failover`.
const TOPOLOGY_LABELS: [&str; 3] = [
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.istio.io/subzone",
];

fn duration(d: Option<&String>, path: String, out: &mut Out<'_>) {
    if let Some(d) = d
        && let Some(e) = duration_error(d)
    {
        out.push(
            path,
            e,
            "use a duration of whole milliseconds, at least 1ms",
        );
    }
}

fn non_negative(v: Option<i64>, what: &str, path: String, out: &mut Out<'_>) {
    if v.is_some_and(|v| v < 0) {
        out.push(
            path,
            format!("{what} must be non-negative"),
            "use 0 or more",
        );
    }
}

pub(super) fn connection_pool(cp: &ConnectionPool, path: &str, out: &mut Out<'_>) {
    if cp.tcp.is_none() && cp.http.is_none() {
        out.push(
            path,
            "connection pool must have at least one field",
            "set tcp or http settings, or remove connectionPool",
        );
        return;
    }
    if let Some(h) = &cp.http {
        let p = format!("{path}.http");
        non_negative(
            h.http1_max_pending_requests,
            "http1 max pending requests",
            format!("{p}.http1MaxPendingRequests"),
            out,
        );
        non_negative(
            h.http2_max_requests,
            "http2 max requests",
            format!("{p}.http2MaxRequests"),
            out,
        );
        non_negative(
            h.max_requests_per_connection,
            "max requests per connection",
            format!("{p}.maxRequestsPerConnection"),
            out,
        );
        non_negative(h.max_retries, "max retries", format!("{p}.maxRetries"), out);
        duration(h.idle_timeout.as_ref(), format!("{p}.idleTimeout"), out);
        if h.h2_upgrade_policy == "UPGRADE" && h.use_client_protocol {
            out.push(
                format!("{p}.useClientProtocol"),
                "use client protocol must not be true when H2UpgradePolicy is UPGRADE",
                "drop useClientProtocol or the UPGRADE policy",
            );
        }
        non_negative(
            h.max_concurrent_streams,
            "max concurrent streams",
            format!("{p}.maxConcurrentStreams"),
            out,
        );
        if let Some(k) = &h.http2_keep_alive {
            let kp = format!("{p}.http2KeepAlive");
            for (name, v) in [("interval", &k.interval), ("timeout", &k.timeout)] {
                match v {
                    None => out.push(
                        format!("{kp}.{name}"),
                        format!("http2 keepalive {name} is required"),
                        "set both interval and timeout",
                    ),
                    Some(_) => duration(v.as_ref(), format!("{kp}.{name}"), out),
                }
            }
        }
    }
    if let Some(t) = &cp.tcp {
        let p = format!("{path}.tcp");
        non_negative(
            t.max_connections,
            "max connections",
            format!("{p}.maxConnections"),
            out,
        );
        duration(
            t.connect_timeout.as_ref(),
            format!("{p}.connectTimeout"),
            out,
        );
        duration(
            t.max_connection_duration.as_ref(),
            format!("{p}.maxConnectionDuration"),
            out,
        );
        // tcp idleTimeout: checked from 1.23; from 1.26 a value under 1ms (0s) means
        // "disabled" and is accepted.
        if out.has(Behaviour::CrdCelValidation)
            && let Some(d) = &t.idle_timeout
        {
            let zero = super::duration_is_zero(d);
            if !(zero && out.has(Behaviour::DrTcpIdleTimeoutZero)) {
                duration(Some(d), format!("{p}.idleTimeout"), out);
            }
        }
        if let Some(k) = &t.tcp_keepalive
            && out.has(Behaviour::CrdCelValidation)
        {
            duration(k.time.as_ref(), format!("{p}.tcpKeepalive.time"), out);
            duration(
                k.interval.as_ref(),
                format!("{p}.tcpKeepalive.interval"),
                out,
            );
        }
    }
}

pub(super) fn outlier_detection(o: &OutlierDetection, path: &str, out: &mut Out<'_>) {
    duration(
        o.base_ejection_time.as_ref(),
        format!("{path}.baseEjectionTime"),
        out,
    );
    if !o.split_external_local_origin_errors
        && o.consecutive_local_origin_failures.is_some_and(|v| v > 0)
    {
        out.push(
            format!("{path}.consecutiveLocalOriginFailures"),
            "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false",
            "set splitExternalLocalOriginErrors: true",
        );
    }
    duration(o.interval.as_ref(), format!("{path}.interval"), out);
    for (name, v) in [
        ("maxEjectionPercent", o.max_ejection_percent),
        ("minHealthPercent", o.min_health_percent),
    ] {
        if let Some(v) = v
            && !(0..=100).contains(&v)
        {
            out.push(
                format!("{path}.{name}"),
                format!("percentage {v} is not in range 0..100"),
                "give a percentage 0..100",
            );
        }
    }
}

pub(super) fn load_balancer(lb: &LoadBalancer, path: &str, out: &mut Out<'_>) {
    if let Some(ch) = &lb.consistent_hash {
        let p = format!("{path}.consistentHash");
        if let Some(c) = &ch.http_cookie {
            if c.name.is_empty() {
                out.push(
                    format!("{p}.httpCookie"),
                    "name required for HttpCookie",
                    "name the cookie",
                );
            }
            let mut seen = BTreeSet::new();
            for (i, a) in c.attributes.iter().enumerate() {
                let ap = format!("{p}.httpCookie.attributes[{i}]");
                if a.name.is_empty() {
                    out.push(
                        ap,
                        "cookie attribute name cannot be empty",
                        "name the attribute",
                    );
                } else if !seen.insert(a.name.as_str()) {
                    out.push(
                        ap,
                        format!("duplicate cookie attribute name: {}", a.name),
                        "give each attribute once",
                    );
                }
            }
        }
        let ring = ch.minimum_ring_size.as_ref().and_then(as_u64).unwrap_or(0);
        if ring != 0 && (ch.ring_hash.is_some() || ch.maglev.is_some()) {
            out.push(
                format!("{p}.minimumRingSize"),
                "only one of MinimumRingSize or Maglev/Ringhash can be specified",
                "move the ring size into ringHash",
            );
        }
        if let Some(m) = &ch.maglev
            && out.has(Behaviour::TlsCaCrl)
        {
            let size = m.table_size.as_ref().and_then(as_u64).unwrap_or(0);
            let mp = format!("{p}.maglev.tableSize");
            if size == 0 {
                out.push(
                    mp.clone(),
                    "tableSize must be set for maglev",
                    "use a prime such as 65537",
                );
            }
            if size >= 5_000_011 {
                out.push(
                    mp.clone(),
                    "tableSize must be less than 5000011 for maglev",
                    "use a prime below 5000011",
                );
            }
            if !is_prime(size) {
                out.push(
                    mp,
                    "tableSize must be a prime number for maglev",
                    "use a prime such as 65537",
                );
            }
        }
    }
    if lb.locality_lb_setting.is_some()
        && lb.zone_aware_lb_setting.is_some()
        && out.has(Behaviour::Dr131Fields)
    {
        out.push(
            format!("{path}.zoneAwareLbSetting"),
            "only one of localityLbSetting and zoneAwareLbSetting can be set",
            "keep one of them",
        );
    }
    if let Some(l) = &lb.locality_lb_setting {
        locality(l, &format!("{path}.localityLbSetting"), out);
    }
}

/// agent/validation.go ValidateLocalityLbSetting (the overlap rules of validateLocalities
/// are left out: Istio's own result depends on Go map order there).
fn locality(l: &LocalityLbSetting, path: &str, out: &mut Out<'_>) {
    if !l.distribute.is_empty() && !l.failover.is_empty() {
        out.push(
            path,
            "can not simultaneously specify 'distribute' and 'failover'",
            "use one of them",
        );
        return;
    }
    if !l.failover.is_empty()
        && let Some(t) = l
            .failover_priority
            .iter()
            .find(|p| TOPOLOGY_LABELS.contains(&p.as_str()))
    {
        out.push(
            format!("{path}.failoverPriority"),
            format!("can not simultaneously set 'failover' and topology label '{t}' in 'failover_priority'"),
            "drop the topology label or the failover list",
        );
        return;
    }
    for (i, d) in l.distribute.iter().enumerate() {
        let dp = format!("{path}.distribute[{i}]");
        if d.to.values().any(|&w| w == 0 || w > 100) {
            out.push(
                format!("{dp}.to"),
                "locality weight must be in range [1, 100]",
                "weights are percentages",
            );
            return;
        }
        let sum: u32 = d.to.values().sum();
        if sum != 100 {
            out.push(
                format!("{dp}.to"),
                format!("total locality weight {sum} != 100"),
                "make the weights add up to 100",
            );
            return;
        }
    }
    for (i, f) in l.failover.iter().enumerate() {
        let fp = format!("{path}.failover[{i}]");
        if f.from == f.to {
            out.push(
                fp.clone(),
                "locality lb failover settings must specify different regions",
                "fail over to another region",
            );
        }
        if f.from.contains('/') || f.to.contains('/') {
            out.push(
                fp.clone(),
                "locality lb failover only specify region",
                "name regions only",
            );
        }
        if f.from.contains('*') || f.to.contains('*') {
            out.push(
                fp,
                "locality lb failover region should not contain '*' wildcard",
                "name regions exactly",
            );
        }
    }
}

fn as_u64(v: &serde_json::Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// validation.go isPrime: 1, 2 and 3 count as prime; even numbers (0 too) do not.
fn is_prime(x: u64) -> bool {
    if x <= 3 {
        return x >= 1;
    }
    if x.is_multiple_of(2) {
        return false;
    }
    let mut i = 3;
    while i * i <= x {
        if x.is_multiple_of(i) {
            return false;
        }
        i += 2;
    }
    true
}
