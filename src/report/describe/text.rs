//! Text form of `describe`: sections separated by `--------------------` like
//! `istioctl x describe`, every resource as `Kind ns/name (file:line)`, wrapped to the width.

use std::io::Write;

use super::{
    CandidateView, ClientsView, DescribeDoc, DestinationRuleView, FindingView, InboundResult,
    InboundView, NamespaceReachView, NamespaceView, PolicyView, PortMtlsView, ServicePortView,
    ServiceView, View, WorkloadView,
};
use crate::report::matrix::Tone;
use crate::resolve::cell::JsonRef;

const RULE: &str = "--------------------";

struct Out<'a> {
    out: &'a mut dyn Write,
    color: bool,
    width: usize,
}

impl Out<'_> {
    fn line(&mut self, text: &str) -> std::io::Result<()> {
        writeln!(self.out, "{text}")
    }

    /// `text` at `indent`, wrapped; continuation lines indented two more.
    fn wrapped(&mut self, indent: usize, text: &str) -> std::io::Result<()> {
        let pad = " ".repeat(indent);
        let cont = " ".repeat(indent + 2);
        for (i, l) in wrap(text, self.width.saturating_sub(indent + 2).max(30))
            .into_iter()
            .enumerate()
        {
            if i == 0 {
                writeln!(self.out, "{pad}{l}")?;
            } else {
                writeln!(self.out, "{cont}{l}")?;
            }
        }
        Ok(())
    }

    fn paint(&self, tone: Tone, text: &str) -> String {
        tone.paint(text, self.color)
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn heading(&mut self, text: &str) -> std::io::Result<()> {
        let h = self.bold(text);
        self.line(&h)
    }
}

/// Word wrap (a word longer than the width stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::report::wrap_lines(text, width, "", "")
}

/// `Kind ns/name (file:line)`.
fn res(r: &JsonRef) -> String {
    let ns = r
        .namespace
        .as_deref()
        .map_or(String::new(), |n| format!("{n}/"));
    format!("{} {ns}{} ({})", r.kind, r.name, loc(r))
}

/// `file:line`.
fn loc(r: &JsonRef) -> String {
    let line = r.line.map_or(String::new(), |l| format!(":{l}"));
    format!("{}{line}", r.file)
}

/// The mode column of a port without a server mode, by the workload's proxy: a gateway's
/// inbound is not subject to peer authentication (it is a proxy, so not "no proxy").
fn no_mode(proxy: &str) -> &'static str {
    match proxy {
        "gateway" => "none (gateway: no peer authentication)",
        "none" => "none (no proxy)",
        _ => "none",
    }
}

fn mode_tone(mode: Option<&str>) -> Tone {
    match mode {
        Some("STRICT") => Tone::Good,
        Some("PERMISSIVE") => Tone::Warn,
        _ => Tone::Bad,
    }
}

pub fn render(
    doc: &DescribeDoc,
    color: bool,
    width: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut o = Out { out, color, width };
    match &doc.view {
        View::Workload(w) => workload(&mut o, w, &doc.istio_version),
        View::Service(s) => service(&mut o, s, &doc.istio_version),
        View::Namespace(n) => namespace(&mut o, n, &doc.istio_version),
    }
}

fn workload(o: &mut Out<'_>, w: &WorkloadView, version: &str) -> std::io::Result<()> {
    let title = o.bold(&format!("Workload: {}", w.id));
    o.wrapped(
        0,
        &format!("{title} ({} {}, Istio {version})", w.kind, loc(&w.at)),
    )?;
    if let Some(by) = &w.implied_by {
        o.wrapped(
            3,
            &format!("Implied by {by}: the inputs hold no workload there; this stands in for it"),
        )?;
    }
    o.line(&format!("   Namespace: {}", w.namespace))?;
    let labels: Vec<String> = w.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    o.wrapped(3, &format!("Labels: {}", or_none(&labels.join(", "))))?;
    o.line(&format!("   Service Account: {}", w.service_account))?;
    if !w.pods.is_empty() {
        o.wrapped(3, &format!("Pods: {}", w.pods.join(", ")))?;
    }
    o.wrapped(3, &format!("Proxy: {} ({})", w.proxy.kind, w.proxy.reason))?;
    let ports: Vec<String> = w
        .container_ports
        .iter()
        .map(|p| {
            let name = p.name.as_deref().map_or(String::new(), |n| format!(" {n}"));
            format!("{}/{}{name} ({})", p.port, p.protocol, p.container)
        })
        .collect();
    o.wrapped(3, &format!("Pod Ports: {}", or_none(&ports.join(", "))))?;
    for p in &w.probes {
        o.wrapped(
            3,
            &format!("Probe: {} {} ({})", p.probe, p.action, p.container),
        )?;
    }
    o.line(RULE)?;
    if w.services.is_empty() {
        o.line(&format!(
            "Warning: No Kubernetes Services select workload {}",
            w.id
        ))?;
    }
    for s in &w.services {
        let at =
            s.at.as_ref()
                .map_or(String::new(), |r| format!(" ({})", loc(r)));
        o.wrapped(0, &format!("Service: {}{at}", s.service))?;
        for p in &s.ports {
            o.line(&format!("   {}", port_line(p)))?;
        }
    }
    o.line(RULE)?;
    mtls(o, &w.mtls, w.proxy.kind)?;
    o.line(RULE)?;
    clients(o, &w.clients)?;
    if !w.destination_rules.is_empty() {
        o.line(RULE)?;
        destination_rules(o, &w.destination_rules)?;
    }
    o.line(RULE)?;
    policies(o, "RequestAuthentication", &w.request_authentications)?;
    o.line(RULE)?;
    policies(o, "AuthorizationPolicies", &w.authorization_policies)?;
    if let Some(n) = &w.authorization_note {
        o.wrapped(3, &format!("Note: {n}"))?;
    }
    o.line(RULE)?;
    findings(o, &w.findings)?;
    o.line(RULE)?;
    inbound(o, &w.inbound)
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

/// `Port: http 8000/HTTP targets pod port 80` (istioctl's wording).
fn port_line(p: &ServicePortView) -> String {
    let target = match (p.target_port, &p.target_port_name) {
        (Some(t), Some(n)) => format!("targets pod port {t} ({n})"),
        (Some(t), None) => format!("targets pod port {t}"),
        (None, Some(n)) => format!("targets pod port {n} (not defined by the pod)"),
        (None, None) => "targets no pod port".to_owned(),
    };
    let name = if p.name.is_empty() {
        String::new()
    } else {
        format!("{} ", p.name)
    };
    format!("Port: {name}{}/{} {target}", p.port, p.protocol)
}

fn mtls(o: &mut Out<'_>, ports: &[PortMtlsView], proxy: &str) -> std::io::Result<()> {
    o.heading("Effective PeerAuthentication:")?;
    if ports.is_empty() {
        return o.line("   (no ports)");
    }
    let modes: Vec<Option<&str>> = ports.iter().map(|p| p.mode).collect();
    if modes.iter().all(|m| *m == modes[0]) {
        let m = modes[0].unwrap_or(no_mode(proxy));
        let shown = o.paint(mode_tone(modes[0]), m);
        o.line(&format!("   Workload mTLS mode: {shown}"))?;
    }
    o.line("   Port Level mTLS mode:")?;
    for p in ports {
        let m = p.mode.unwrap_or("none");
        let shown = o.paint(mode_tone(p.mode), m);
        let via = if p.via.is_empty() {
            "no Service".to_owned()
        } else {
            p.via.join(", ")
        };
        o.line(&format!("      {}: {shown} (via {via})", p.target_port))?;
    }
    o.heading("Applied PeerAuthentication:")?;
    for p in ports {
        o.wrapped(3, &format!("Port {}: {}", p.target_port, p.reason))?;
        if p.ambiguous {
            o.wrapped(
                6,
                "WARNING: several policies at the level that decided; the oldest wins",
            )?;
        }
        if p.candidates.is_empty() {
            o.line("      (no policy applies)")?;
        }
        for c in &p.candidates {
            candidate(o, c)?;
        }
    }
    Ok(())
}

fn candidate(o: &mut Out<'_>, c: &CandidateView) -> std::io::Result<()> {
    let mark = if c.winner {
        o.paint(Tone::Good, "✓")
    } else if c.lost.is_some() {
        "✗".to_owned()
    } else {
        "+".to_owned()
    };
    let at =
        c.at.as_ref()
            .map_or(String::new(), |r| format!(" ({} {})", loc(r), r.field));
    o.wrapped(
        6,
        &format!("{mark} {} {}: {}{at}", c.level, c.what, c.states),
    )?;
    match &c.lost {
        Some(l) => o.wrapped(10, &format!("lost: {l}")),
        None if c.winner => o.line("          wins"),
        None => o.line("          contributes"),
    }
}

/// Names as a line: all of them up to [`NAMES_LISTED`], else their count (`noun`) and the
/// first and last few (at 2,000 namespaces a list would fill pages; JSON has them all).
fn name_list(names: &[String], noun: &str) -> String {
    if names.len() <= NAMES_LISTED {
        return names.join(", ");
    }
    format!(
        "{} {noun} ({}, …, {})",
        names.len(),
        names[..3].join(", "),
        names[names.len() - 1]
    )
}

fn namespace_list(names: &[String]) -> String {
    name_list(names, "namespaces")
}

/// The most names (client namespaces, workloads) a line lists one by one.
const NAMES_LISTED: usize = 12;

/// istioctl's block: `DestinationRule: name for "host"`, the subsets the workload matches and
/// the others, the TLS mode; then where it applies and for whom.
fn destination_rules(o: &mut Out<'_>, list: &[DestinationRuleView]) -> std::io::Result<()> {
    for d in list {
        let ns = d.at.namespace.as_deref().unwrap_or_default();
        o.wrapped(
            0,
            &format!(
                "DestinationRule: {ns}/{} for \"{}\" ({})",
                d.at.name,
                d.host,
                loc(&d.at)
            ),
        )?;
        if !d.matching_subsets.is_empty() || !d.other_subsets.is_empty() {
            o.wrapped(
                3,
                &format!(
                    "Matching subsets: {}",
                    or_none(&d.matching_subsets.join(","))
                ),
            )?;
            if !d.other_subsets.is_empty() {
                o.wrapped(
                    6,
                    &format!("(Non-matching subsets {})", d.other_subsets.join(",")),
                )?;
            }
        }
        o.line(&format!(
            "   Traffic Policy TLS Mode: {}",
            d.tls_mode.unwrap_or("(not set)")
        ))?;
        for p in &d.port_tls {
            o.line(&format!("   Port {} TLS Mode: {}", p.port, p.mode))?;
        }
        o.wrapped(3, &format!("Applies to: {}", d.service_ports.join(", ")))?;
        o.wrapped(
            3,
            &format!(
                "Used by clients in: {}",
                namespace_list(&d.client_namespaces)
            ),
        )?;
    }
    Ok(())
}

fn clients(o: &mut Out<'_>, list: &[ClientsView]) -> std::io::Result<()> {
    o.heading("Clients (a sidecar in each namespace with workloads):")?;
    if list.is_empty() {
        return o.line("   (no Service ports)");
    }
    for c in list {
        let target = c
            .target_port
            .map_or(String::new(), |t| format!(" → pod port {t}"));
        let server = match (c.server_mode, c.server_proxy) {
            (Some(mode), _) => mode,
            (None, "gateway") => "gateway",
            (None, "none") => "without a proxy",
            (None, _) => "none",
        };
        o.line(&format!("   {}{target} (server {server}):", c.service_port))?;
        for g in &c.groups {
            let tls = if g.conflict.is_some() {
                o.paint(Tone::Bad, g.client_tls)
            } else {
                o.paint(Tone::Good, g.client_tls)
            };
            o.wrapped(6, &format!("{}: {tls}", namespace_list(&g.namespaces)))?;
            o.wrapped(9, &g.reason)?;
            for r in &g.decided_by {
                o.wrapped(9, &format!("by {} {}", res(r), r.field))?;
            }
            if let Some(c) = &g.conflict {
                let text = o.paint(Tone::Bad, &format!("CONFLICT {c}"));
                o.wrapped(9, &text)?;
            }
        }
    }
    Ok(())
}

fn policies(o: &mut Out<'_>, title: &str, list: &[PolicyView]) -> std::io::Result<()> {
    o.heading(&format!("{title}:"))?;
    if list.is_empty() {
        return o.line("   (none)");
    }
    for (i, p) in list.iter().enumerate() {
        let action = p.action.map_or(String::new(), |a| format!("{a} "));
        let dry = if p.dry_run { " [dry-run]" } else { "" };
        o.wrapped(
            3,
            &format!(
                "{}. {action}{} {}{dry} — {} ({})",
                i + 1,
                p.kind,
                // Cluster-scoped (MeshPolicy): the name alone.
                if p.namespace.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}/{}", p.namespace, p.name)
                },
                p.scope,
                loc(&p.at)
            ),
        )?;
        for r in &p.rules {
            o.wrapped(6, &format!("- {r}"))?;
        }
    }
    Ok(())
}

fn findings(o: &mut Out<'_>, list: &[FindingView]) -> std::io::Result<()> {
    o.heading("Findings:")?;
    if list.is_empty() {
        return o.line("   (none)");
    }
    for f in list {
        let tone = match f.severity {
            "error" => Tone::Bad,
            "warning" => Tone::Warn,
            _ => Tone::Good,
        };
        let sev = o.paint(tone, f.severity);
        let at = match (&f.file, f.line) {
            (Some(file), Some(l)) => format!(" ({file}:{l})"),
            (Some(file), None) => format!(" ({file})"),
            _ => String::new(),
        };
        o.wrapped(
            3,
            &format!("{sev} {} {}: {}{at}", f.code, f.name, f.message),
        )?;
    }
    Ok(())
}

fn inbound(o: &mut Out<'_>, list: &[InboundView]) -> std::io::Result<()> {
    o.heading("Inbound (GET /, every workload as client):")?;
    if list.is_empty() {
        return o.line("   (no Service ports)");
    }
    for v in list {
        o.line(&format!("   {}", v.service_port))?;
        inbound_results(o, &v.results, 6)?;
        for p in &v.by_rule {
            o.wrapped(
                6,
                &format!(
                    "with {} (what {} {} {} admits, {}):",
                    p.request,
                    p.rule.kind,
                    p.rule
                        .namespace
                        .as_deref()
                        .map_or(String::new(), |n| format!("{n}/"))
                        + &p.rule.name,
                    p.rule.field,
                    loc(&p.rule)
                ),
            )?;
            inbound_results(o, &p.results, 9)?;
        }
    }
    Ok(())
}

/// One line per result (code, then the clients that get it), indented by `indent`.
fn inbound_results(
    o: &mut Out<'_>,
    results: &[InboundResult],
    indent: usize,
) -> std::io::Result<()> {
    let pad_to = " ".repeat(indent);
    for r in results {
        let tone = crate::report::matrix::tone(r.result);
        let pad = " ".repeat(7usize.saturating_sub(r.code.chars().count()));
        let code = o.paint(tone, &r.code);
        let text = format!(
            "{} ({}, client sends {})",
            name_list(&r.from, "workloads"),
            r.result,
            r.client_tls.join("/")
        );
        let lines = wrap(&text, o.width.saturating_sub(indent + 10).max(30));
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                o.line(&format!("{pad_to}{code}{pad} {l}"))?;
            } else {
                o.line(&format!("{pad_to}        {l}"))?;
            }
        }
    }
    Ok(())
}

fn service(o: &mut Out<'_>, s: &ServiceView, version: &str) -> std::io::Result<()> {
    let at =
        s.at.as_ref()
            .map_or(String::new(), |r| format!(" {}", loc(r)));
    let title = o.bold(&format!("Service: {}", s.id));
    o.wrapped(
        0,
        &format!(
            "{title} ({}Istio {version})",
            if at.is_empty() {
                String::new()
            } else {
                format!("{},", at.trim()) + " "
            }
        ),
    )?;
    let sel: Vec<String> = s.selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    o.wrapped(3, &format!("Selector: {}", or_none(&sel.join(","))))?;
    for p in &s.ports {
        o.line(&format!("   {}", port_line(p)))?;
    }
    o.line(RULE)?;
    o.heading("Workloads:")?;
    if s.workloads.is_empty() {
        o.line(&format!(
            "   Service \"{}\" selects no workload in the inputs",
            s.id
        ))?;
    }
    for w in &s.workloads {
        o.line(&format!("   {} (proxy: {})", w.id, w.proxy))?;
        for p in &w.mtls {
            let m = p.mode.unwrap_or("none");
            let shown = o.paint(mode_tone(p.mode), m);
            o.wrapped(
                6,
                &format!("pod port {}: {shown} — {}", p.target_port, p.reason),
            )?;
            for c in p.candidates.iter().filter(|c| c.winner) {
                if let Some(r) = &c.at {
                    o.wrapped(9, &format!("by {}", res(r)))?;
                }
            }
        }
    }
    o.line(RULE)?;
    clients(o, &s.clients)?;
    o.line(RULE)?;
    findings(o, &s.findings)?;
    o.line(RULE)?;
    inbound(o, &s.inbound)
}

fn namespace(o: &mut Out<'_>, n: &NamespaceView, version: &str) -> std::io::Result<()> {
    let at = n.at.as_ref().map_or("not declared".to_owned(), loc);
    let title = o.bold(&format!("Namespace: {}", n.namespace));
    o.wrapped(0, &format!("{title} ({at}, Istio {version})"))?;
    let labels: Vec<String> = n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    o.wrapped(3, &format!("Labels: {}", or_none(&labels.join(", "))))?;
    let tone = match n.mtls_status.status {
        "enabled" => Tone::Good,
        "partially enabled" => Tone::Warn,
        _ => Tone::Bad,
    };
    let st = o.paint(tone, n.mtls_status.status);
    o.line(&format!("   mTLS status: {st}"))?;
    o.wrapped(6, &n.mtls_status.reason)?;
    o.line(RULE)?;
    policies(o, "Policies (namespace and mesh level)", &n.policies)?;
    o.line(RULE)?;
    o.heading("Workloads:")?;
    if n.workloads.is_empty() {
        o.line("   (none)")?;
    }
    for w in &n.workloads {
        o.wrapped(
            3,
            &format!("{} (proxy: {}) {}", w.id, w.proxy, w.ports.join(", ")),
        )?;
    }
    o.line(RULE)?;
    reach(o, "Inbound (from namespace → services here):", &n.inbound)?;
    reach(o, "Outbound (workloads here → namespace):", &n.outbound)?;
    o.line(RULE)?;
    findings(o, &n.findings)
}

fn reach(o: &mut Out<'_>, title: &str, rows: &[NamespaceReachView]) -> std::io::Result<()> {
    o.heading(title)?;
    if rows.is_empty() {
        return o.line("   (none)");
    }
    let w = rows.iter().map(|r| r.namespace.len()).max().unwrap_or(0);
    for r in rows {
        let mut blocked: Vec<String> = r.blocked.iter().map(|(k, v)| format!("{v} {k}")).collect();
        if r.depends > 0 {
            blocked.push(format!("{} depends", r.depends));
        }
        let tone = if blocked.is_empty() {
            Tone::Good
        } else {
            Tone::Warn
        };
        let summary = o.paint(tone, &format!("{} of {} ok", r.ok, r.cells));
        let rest = if blocked.is_empty() {
            String::new()
        } else {
            format!(", {}", blocked.join(", "))
        };
        o.line(&format!("   {:<w$}  {summary}{rest}", r.namespace))?;
    }
    Ok(())
}
