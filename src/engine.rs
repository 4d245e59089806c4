//! Runs the enabled rules over an analysis and turns their output into the final, sorted list:
//! rule selection (`--select`/`--ignore`, config), severity overrides, suppressions (the
//! `meshlint.io/ignore` annotation, `--suppress`), the baseline, and stable fingerprints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::diagnostic::{Finding, Severity};
use crate::error::Error;
use crate::model::kind::Kind;
use crate::resolve::decisions::Decisions;
use crate::rules::{self, REGISTRY, Rule};

/// Annotation on any object: comma-separated rule codes or names (or `*`) not to report on it.
pub const IGNORE_ANNOTATION: &str = "meshlint.io/ignore";

/// Which rules run and how their findings are filtered.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Selectors (code, name, code prefix, category, `ALL`) that replace the default set.
    pub select: Vec<String>,
    /// Selectors added to the selected set.
    pub extend_select: Vec<String>,
    /// Selectors removed from it.
    pub ignore: Vec<String>,
    /// Per-rule severity overrides.
    pub severity: BTreeMap<String, Severity>,
    /// `CODE=Kind ns/name` (globs allowed in each part).
    pub suppress: Vec<String>,
    /// Fingerprints accepted by a baseline file.
    pub baseline: BTreeSet<String>,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Findings dropped by annotations or `--suppress`.
    pub suppressed: usize,
    /// Findings dropped because the baseline lists them.
    pub baselined: usize,
    /// Suppressions that suppressed nothing, and `meshlint.io/ignore` annotations that name no
    /// rule (issue 15, like ruff's RUF100): for a warning on stderr.
    pub notes: Vec<String>,
}

fn selector_matches(selector: &str, rule: &Rule) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("ALL")
        || rule.name.eq_ignore_ascii_case(s)
        || rule.category.as_str().eq_ignore_ascii_case(s)
        // istioctl and Kiali codes select the rules that report them (`IST0113`, `KIA0207`).
        || rule
            .istio_codes
            .iter()
            .chain(rule.kiali_codes)
            .any(|c| c.eq_ignore_ascii_case(s))
        || (s.len() >= 3
            && rule
                .code
                .to_ascii_uppercase()
                .starts_with(&s.to_ascii_uppercase()))
}

/// Checks that every selector names some rule; an unknown one is a usage error.
/// The `severity:` map of `.meshlint.yaml` checked against the registry: rule code → severity.
///
/// Errors: [`Error::Config`] naming `path` for an unknown rule or severity word.
pub fn severity_overrides(
    config: &Config,
    path: &Path,
) -> Result<BTreeMap<String, Severity>, Error> {
    let err = |message: String| Error::Config {
        path: path.display().to_string(),
        message,
    };
    config
        .severity
        .iter()
        .map(|(rule, sev)| {
            let s = Severity::parse(sev).ok_or_else(|| {
                err(format!(
                    "severity of `{rule}` must be error, warning or info, not `{sev}`"
                ))
            })?;
            let r = rules::find(rule)
                .ok_or_else(|| err(format!("unknown rule `{rule}` in `severity`")))?;
            Ok((r.code.to_owned(), s))
        })
        .collect()
}

pub fn validate_selectors(selectors: &[String]) -> Result<(), Error> {
    for s in selectors {
        if !REGISTRY.iter().any(|r| selector_matches(s, r)) {
            let hint = rules::suggest_selector(s)
                .map(|n| format!(" (did you mean {n}?)"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "unknown rule or category `{s}`{hint}; see `meshlint rules`"
            )));
        }
    }
    Ok(())
}

/// The rules that run under `settings`, in code order.
pub fn enabled_rules(settings: &Settings) -> Vec<&'static Rule> {
    REGISTRY
        .iter()
        .copied()
        .filter(|r| {
            let selected = if settings.select.is_empty() {
                r.default_enabled
            } else {
                settings.select.iter().any(|s| selector_matches(s, r))
            };
            (selected
                || settings
                    .extend_select
                    .iter()
                    .any(|s| selector_matches(s, r)))
                && !settings.ignore.iter().any(|s| selector_matches(s, r))
        })
        .collect()
}

/// Findings about implied objects are dropped (they are meshlint's stand-ins, not the user's
/// resources); a finding whose message names an implied Service or workload says it rests on it
/// (issue 13).
fn rest_on_implied(a: &Analysis, findings: &mut Vec<Finding>) {
    if a.implied.is_empty() {
        return;
    }
    let refs: Vec<_> = a
        .implied
        .iter()
        .map(|im| a.inv.objects[im.object].reference())
        .collect();
    findings.retain(|f| f.resource.as_ref().is_none_or(|r| !refs.contains(r)));
    for f in findings.iter_mut() {
        let notes: BTreeSet<&str> = a
            .implied
            .iter()
            .filter(|im| im.mentions.iter().any(|m| f.message.contains(m.as_str())))
            .map(|im| im.note.as_str())
            .collect();
        for note in notes {
            f.message.push_str(&format!(" [{note}]"));
        }
    }
}

/// Runs the rules and filters, sorts and fingerprints the findings.
pub fn run(a: &Analysis, settings: &Settings) -> Outcome {
    run_with(&Decisions::new(a), settings)
}

/// [`run`] on decisions already made (a command that also judges cells shares them).
pub fn run_with(decisions: &Decisions<'_>, settings: &Settings) -> Outcome {
    let a = decisions.analysis();
    let rules = enabled_rules(settings);
    if rules.iter().any(|r| r.reads_ports) {
        decisions.prepare_ports();
    }
    let mut findings: Vec<Finding> = rules
        .par_iter()
        .flat_map_iter(|r| {
            let mut out = Vec::new();
            (r.check)(decisions, &mut out);
            out
        })
        .collect();
    if !rules.iter().any(|r| r.code == rules::read_errors_code()) {
        findings.extend(rules::read_errors(a));
    }
    for f in findings.iter_mut().filter(|f| !f.unconditional) {
        if let Some(sev) = settings
            .severity
            .get(f.rule.code)
            .or_else(|| settings.severity.get(f.rule.name))
        {
            f.severity = *sev;
        }
    }
    rest_on_implied(a, &mut findings);
    findings.sort_by(|x, y| x.sort_key().cmp(&y.sort_key()));
    findings
        .dedup_by(|x, y| x.rule == y.rule && x.location == y.location && x.message == y.message);

    let annotations = annotation_suppressions(a);
    let cli: Vec<Suppression> = settings
        .suppress
        .iter()
        .filter_map(|s| Suppression::parse(s))
        .collect();
    let before = findings.len();
    let mut cli_used = vec![false; cli.len()];
    let mut annotation_used: BTreeSet<(&(String, String, String), &str)> = BTreeSet::new();
    findings.retain(|f| {
        let Some(r) = &f.resource else { return true };
        if f.unconditional {
            return true;
        }
        let key = (
            r.kind.clone(),
            r.namespace.clone().unwrap_or_default(),
            r.name.clone(),
        );
        let mut suppressed = false;
        if let Some((k, codes)) = annotations.get_key_value(&key) {
            for c in codes.iter().filter(|c| {
                *c == "*"
                    || c.eq_ignore_ascii_case(f.rule.code)
                    || c.eq_ignore_ascii_case(f.rule.name)
            }) {
                annotation_used.insert((k, c.as_str()));
                suppressed = true;
            }
        }
        for (i, s) in cli.iter().enumerate() {
            if s.matches(f) {
                cli_used[i] = true;
                suppressed = true;
            }
        }
        !suppressed
    });
    let suppressed = before - findings.len();
    let mut notes = Vec::new();
    for (text, used) in settings.suppress.iter().zip(&cli_used) {
        if !used {
            notes.push(format!("--suppress `{text}` suppressed no finding"));
        }
    }
    for (key, codes) in &annotations {
        let (kind, ns, name) = key;
        let id = if ns.is_empty() {
            name.clone()
        } else {
            format!("{ns}/{name}")
        };
        for c in codes {
            let rule = rules::find(c);
            if c != "*" && rule.is_none() {
                notes.push(format!(
                    "{kind} {id}: {IGNORE_ANNOTATION} names `{c}`, which is no rule{}",
                    rules::suggest(c)
                        .map(|s| format!("; did you mean {s}?"))
                        .unwrap_or_default()
                ));
            } else if !annotation_used.contains(&(key, c.as_str()))
                && rule.is_none_or(|r| rules.iter().any(|e| e.code == r.code))
            {
                notes.push(format!(
                    "{kind} {id}: {IGNORE_ANNOTATION} `{c}` suppressed no finding"
                ));
            }
        }
    }

    // Hashed in parallel; repeats (the same base fingerprint again) are salted in order.
    let bases: Vec<String> = findings
        .par_iter()
        .map(|f| f.compute_fingerprint(0))
        .collect();
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for (f, base) in findings.iter_mut().zip(bases) {
        let n = seen.entry(base.clone()).or_default();
        f.fingerprint = if *n == 0 {
            base
        } else {
            f.compute_fingerprint(*n)
        };
        *n += 1;
    }
    let before = findings.len();
    findings.retain(|f| f.unconditional || !settings.baseline.contains(&f.fingerprint));
    Outcome {
        baselined: before - findings.len(),
        findings,
        suppressed,
        notes,
    }
}

/// `(kind, namespace, name)` → codes listed in the object's `meshlint.io/ignore` annotation,
/// ordered: the notes about unused ones come out in this order.
fn annotation_suppressions(a: &Analysis) -> BTreeMap<(String, String, String), Vec<String>> {
    a.inv
        .objects
        .iter()
        .filter_map(|o| {
            let value = o.annotations().get(IGNORE_ANNOTATION)?;
            let codes = value
                .split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            Some((
                (
                    o.kind.name().to_owned(),
                    o.namespace().to_owned(),
                    o.name().to_owned(),
                ),
                codes,
            ))
        })
        .collect()
}

/// One `--suppress CODE=Kind ns/name` entry; each part may be a glob (`*`).
#[derive(Debug)]
struct Suppression {
    code: globset::GlobMatcher,
    kind: globset::GlobMatcher,
    namespace: globset::GlobMatcher,
    name: globset::GlobMatcher,
}

impl Suppression {
    fn parse(text: &str) -> Option<Suppression> {
        let (code, rest) = text.split_once('=')?;
        let (kind, target) = rest
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((rest.trim(), "*/*"));
        let (ns, name) = target
            .trim()
            .split_once('/')
            .unwrap_or(("*", target.trim()));
        let glob = |s: &str| {
            globset::Glob::new(s.trim())
                .ok()
                .map(|g| g.compile_matcher())
        };
        // Kinds as kubectl users type them: `destinationrule` is `DestinationRule`.
        let kind_glob = globset::GlobBuilder::new(kind.trim())
            .case_insensitive(true)
            .build()
            .ok()?
            .compile_matcher();
        Some(Suppression {
            code: glob(code)?,
            kind: kind_glob,
            namespace: glob(ns)?,
            name: glob(name)?,
        })
    }

    fn matches(&self, f: &Finding) -> bool {
        let Some(r) = &f.resource else { return false };
        (self.code.is_match(f.rule.code) || self.code.is_match(f.rule.name))
            && self.kind.is_match(&r.kind)
            && self
                .namespace
                .is_match(r.namespace.as_deref().unwrap_or(""))
            && self.name.is_match(&r.name)
    }
}

/// Validates `--suppress` values up front so a typo is a usage error, not a silent no-op.
pub fn validate_suppressions(values: &[String]) -> Result<(), Error> {
    for v in values {
        if Suppression::parse(v).is_none() {
            return Err(Error::Usage(format!(
                "bad --suppress `{v}`: expected CODE=Kind namespace/name, e.g. ML0301=AuthorizationPolicy foo/*"
            )));
        }
        let (code, rest) = v.split_once('=').unwrap_or_default();
        if !code.contains('*') && rules::find(code).is_none() {
            return Err(Error::Usage(format!(
                "bad --suppress `{v}`: unknown rule `{code}`{}",
                rules::suggest(code)
                    .map(|s| format!("; did you mean {s}?"))
                    .unwrap_or_default()
            )));
        }
        // `ML0302=foo` names no kind: it would suppress nothing.
        let kind = rest.split_whitespace().next().unwrap_or_default();
        if !kind.contains('*') && !Kind::names().any(|k| k.eq_ignore_ascii_case(kind)) {
            let kinds: Vec<String> = Kind::names().map(str::to_owned).collect();
            return Err(Error::Usage(format!(
                "bad --suppress `{v}`: `{kind}` is not a kind meshlint reads{}; expected CODE=Kind namespace/name, e.g. ML0301=AuthorizationPolicy foo/*",
                crate::suggest::did_you_mean(kind, &kinds, "kinds")
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_code_name_category() {
        let s = Settings {
            select: vec!["membership".into()],
            ignore: vec!["pod-missing-proxy".into()],
            ..Settings::default()
        };
        let names: Vec<_> = enabled_rules(&s).iter().map(|r| r.name).collect();
        assert!(names.contains(&"namespace-not-injected"));
        assert!(!names.contains(&"pod-missing-proxy"));
        assert!(!names.contains(&"invalid-resource"));
    }

    #[test]
    fn unknown_selector_suggests() {
        let err = validate_selectors(&["invalid-resorce".into()]).unwrap_err();
        assert!(err.to_string().contains("invalid-resource"), "{err}");
        // Only near names: `mtsl` is near the category mtls, `hygeine` near hygiene; a far one
        // gets no suggestion at all (issue 15: `authz-invalid` was offered for anything).
        let err = validate_selectors(&["mtsl".into()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`mtls`") && !err.contains("authz-invalid"),
            "{err}"
        );
        let err = validate_selectors(&["hygeine".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`hygiene`"), "{err}");
        let err = validate_selectors(&["zzzzzzzzzzzz".into()])
            .unwrap_err()
            .to_string();
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn istioctl_and_kiali_codes_select_rules() {
        assert!(validate_selectors(&["IST0113".into(), "kia0207".into()]).is_ok());
        let s = Settings {
            select: vec!["IST0113".into()],
            ..Settings::default()
        };
        let names: Vec<_> = enabled_rules(&s).iter().map(|r| r.name).collect();
        assert_eq!(names, ["mtls-mode-conflict"]);
    }

    #[test]
    fn suppress_parse() {
        assert!(validate_suppressions(&["ML0301=AuthorizationPolicy foo/*".into()]).is_ok());
        assert!(validate_suppressions(&["nonsense".into()]).is_err());
        assert!(validate_suppressions(&["XX9=Pod a/b".into()]).is_err());
    }
}
