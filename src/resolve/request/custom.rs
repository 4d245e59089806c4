//! The CUSTOM stage (research/authz-semantics.md §3): a matching CUSTOM rule hands the request
//! to an external authorizer whose answer the inputs do not hold, so the outcome `depends` on it
//! unless the rest of the pipeline denies anyway (SPEC §3.5, unknown beats wrong). Several
//! providers on one workload are a configuration istiod refuses: it turns every CUSTOM rule of
//! the workload into a DENY (istio/istio 1.29.0 pilot/pkg/security/authz/builder/builder.go:
//! 267-277, 318-330 `getBadCustomDenyRules`; extauthz.go:117-119 "only 1 provider can be used
//! per workload"; from 1.30.0 the same unless PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS,
//! default false: 1.30.0 pilot/pkg/features/security.go:97-102, builder.go:349-363).

use std::collections::BTreeSet;

use super::types::{Stage, stage};
use super::{Hit, Point, dry_note, matches, spec_ref};
use crate::analysis::Analysis;
use crate::model::resource::Body;
use crate::resolve::authz::Ctx;
use crate::resolve::transport::Outcome;
use crate::version::Behaviour;

/// The stage name of a CUSTOM decision that the external authorizer makes.
pub(super) const DELEGATED: &str = "delegated";

/// Runs the CUSTOM stage over `custom` (policy index, dry-run): `Err` when istiod's DENY
/// stand-in decides; `Ok` otherwise, with the stage pushed.
pub(super) fn custom_stage(
    a: &Analysis,
    point: &Point<'_>,
    ctx: &Ctx<'_>,
    custom: &[(usize, bool)],
    stages: &mut Vec<Stage>,
) -> Result<(), Outcome> {
    if custom.is_empty() {
        return Ok(());
    }
    let hits = matches(a, ctx, custom);
    let enforced: Vec<&Hit> = hits.iter().filter(|h| !h.dry_run).collect();
    // Dry-run CUSTOM policies count among the providers (1.29.0 builder.go:184-201).
    let providers: BTreeSet<String> = custom.iter().map(|&(i, _)| provider(a, i)).collect();
    if providers.len() > 1 {
        let flag = if a.profile.has(Behaviour::MultipleCustomProvidersFlag) {
            " unless istiod sets PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS"
        } else {
            ""
        };
        let list: Vec<&str> = providers.iter().map(String::as_str).collect();
        let why = format!(
            "{} CUSTOM providers apply to this workload ({}): istiod replaces every CUSTOM rule with a DENY{flag}",
            providers.len(),
            list.join(", ")
        );
        if let Some(h) = enforced.first() {
            stages.push(point.stage("custom", "deny", vec![h.at.clone()], || {
                format!("{} matches; {why}: {}", h.name, point.deny_text)
            }));
            return Err(point.deny_outcome);
        }
        stages.push(point.stage(
            "custom",
            "pass",
            custom.iter().map(|&(i, _)| spec_ref(i)).collect(),
            || format!("no CUSTOM rule matches ({why}){}", dry_note(&hits)),
        ));
        return Ok(());
    }
    match enforced.first() {
        Some(h) => stages.push(point.stage(
            "custom",
            DELEGATED,
            vec![h.at.clone()],
            || format!(
                "{} matches: the request goes to extension provider {}, whose answer the inputs do not hold",
                h.name,
                provider(a, h.object)
            ),
        )),
        None => stages.push(point.stage(
            "custom",
            "pass",
            custom.iter().map(|&(i, _)| spec_ref(i)).collect(),
            || format!(
                "no CUSTOM rule matches: the external authorizer is not called{}",
                dry_note(&hits)
            ),
        )),
    }
    Ok(())
}

/// The result once the pipeline after a delegated CUSTOM stage has run: a DENY or ALLOW
/// refusal (403) holds whatever the provider says; anything else turns on its answer.
pub(super) fn after_delegation<T>(
    result: Result<T, Outcome>,
    delegated: Option<&Stage>,
    stages: &mut Vec<Stage>,
) -> Result<T, Outcome> {
    let Some(d) = delegated else { return result };
    let then = match &result {
        Err(Outcome::Forbidden) => return result,
        Ok(_) => "allowed".to_owned(),
        Err(o) => o.as_str().to_owned(),
    };
    stages.push(stage(
        "custom",
        "depends",
        d.by.clone(),
        format!(
            "the outcome depends on the external authorizer: forbidden if it denies, {then} if it allows"
        ),
    ));
    Err(Outcome::Depends)
}

fn provider(a: &Analysis, i: usize) -> String {
    match &a.inv.objects[i].body {
        Body::AuthorizationPolicy(s) => s
            .provider
            .as_ref()
            .map_or_else(|| "(none)".to_owned(), |p| p.name.clone()),
        _ => String::new(),
    }
}
