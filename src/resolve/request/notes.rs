//! The words a stage adds beside its verdict (issue 11, `check` explains): the rules a
//! dry-run policy would have matched, what a matching rule met, why each rule failed, and the
//! rules dropped or skipped where the request is enforced.

use super::Hit;
use crate::analysis::Analysis;
use crate::model::resource::Body;
use crate::resolve::authz::{self, Ctx};

pub(super) fn dry_note(hits: &[Hit]) -> String {
    let dry: Vec<&str> = hits
        .iter()
        .filter(|h| h.dry_run)
        .map(|h| h.name.as_str())
        .collect();
    if dry.is_empty() {
        String::new()
    } else {
        format!(
            "; {} would have matched (dry-run, not enforced)",
            dry.join(", ")
        )
    }
}

/// What the request met in the rule of `hit` ([`authz::explain_match`]).
pub(super) fn matched_parts(a: &Analysis, ctx: &Ctx<'_>, hit: &Hit) -> String {
    let o = &a.inv.objects[hit.object];
    match &o.body {
        Body::AuthorizationPolicy(spec) => spec
            .rules
            .iter()
            .flatten()
            .nth(hit.rule)
            .map(|rule| authz::explain_match(ctx, o.namespace(), rule))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Why each rule of the policies in `list` fails, at most [`EXPLAINED_RULES`] of them (issue 11):
/// "; ns[foo]-policy[x]-rule[0]: to ✗ methods [GET]; the request is DELETE / on port 80".
pub(super) fn rule_failures(a: &Analysis, ctx: &Ctx<'_>, list: &[(usize, bool)]) -> String {
    let mut notes = Vec::new();
    for &(i, _) in list {
        let o = &a.inv.objects[i];
        if let Body::AuthorizationPolicy(spec) = &o.body {
            for (r, rule) in spec.rules.iter().flatten().enumerate() {
                if let Some(why) = authz::explain_rule(ctx, o.namespace(), rule)
                    && !why.starts_with("skipped")
                {
                    notes.push(format!(
                        "{}: {why}",
                        authz::rule_name(o.namespace(), o.name(), r)
                    ));
                }
            }
        }
    }
    let more = notes.len().saturating_sub(EXPLAINED_RULES);
    notes.truncate(EXPLAINED_RULES);
    if more > 0 {
        notes.push(format!("{more} more rules"));
    }
    notes.iter().map(|n| format!("; {n}")).collect()
}

/// How many failing rules a trace explains.
const EXPLAINED_RULES: usize = 4;

pub(super) fn dropped_note(a: &Analysis, ctx: &Ctx<'_>, list: &[(usize, bool)]) -> String {
    let mut notes = Vec::new();
    for &(i, _) in list {
        let o = &a.inv.objects[i];
        if let Body::AuthorizationPolicy(spec) = &o.body {
            let eval = authz::eval_policy(ctx, o.namespace(), spec);
            for (r, field) in eval.dropped {
                let rule = authz::rule_name(o.namespace(), o.name(), r);
                notes.push(if ctx.ztunnel.is_some() {
                    format!("{rule} dropped at ztunnel ({field} needs a waypoint)")
                } else {
                    format!("{rule} dropped on this TCP port ({field} is HTTP-only)")
                });
            }
            // Rules istiod skips as invalid ("skipped invalid rule", builder.go).
            for (r, why) in eval.invalid {
                let rule = authz::rule_name(o.namespace(), o.name(), r);
                notes.push(format!("{rule} skipped: {why}"));
            }
        }
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    }
}
