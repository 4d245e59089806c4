//! Findings: what a rule reports, where (file, line, column, field), about which resource, and
//! which other resources are involved. Renderers turn these into text, JSON, SARIF and so on.

use sha2::{Digest, Sha256};

use crate::model::resource::{Object, ResourceRef};
use crate::rule_meta::RuleMeta;
pub use crate::rule_meta::Severity;
use crate::source::Location;

/// Another resource involved in a finding (the DestinationRule that conflicts with a
/// PeerAuthentication, the earlier definition of a duplicate, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Related {
    pub resource: Option<ResourceRef>,
    pub location: Location,
    pub message: String,
}

/// One reported problem.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// `None` for problems not tied to one resource (a file that is not YAML).
    pub resource: Option<ResourceRef>,
    pub location: Option<Location>,
    pub related: Vec<Related>,
    pub istio_codes: Vec<&'static str>,
    pub kiali_codes: Vec<&'static str>,
    /// Stable identity across runs (code, resource, field; not the line).
    pub fingerprint: String,
    /// A read or parse error (YAML syntax, binary or non-UTF-8 input): reported and counted
    /// whatever rule selection, severity overrides, suppressions or a baseline say, as ruff
    /// treats syntax errors (issue 13).
    pub unconditional: bool,
}

impl Finding {
    /// A finding of `rule` with its default severity and related codes.
    pub fn new(rule: impl Into<&'static RuleMeta>, message: impl Into<String>) -> Finding {
        let rule = rule.into();
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            resource: None,
            location: None,
            related: Vec::new(),
            istio_codes: rule.istio_codes.to_vec(),
            kiali_codes: rule.kiali_codes.to_vec(),
            fingerprint: String::new(),
            unconditional: false,
        }
    }

    /// Attaches the finding to `obj`, pointing at `field` (a path such as `spec.mtls.mode`).
    pub fn on(mut self, obj: &Object, field: &str) -> Finding {
        self.resource = Some(obj.reference());
        self.location = Some(obj.locate(field));
        self
    }

    pub fn at(mut self, location: Location) -> Finding {
        self.location = Some(location);
        self
    }

    pub fn resource(mut self, resource: ResourceRef) -> Finding {
        self.resource = Some(resource);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Marks a read or parse error, which nothing deselects or suppresses.
    pub fn unconditional(mut self) -> Finding {
        self.unconditional = true;
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// Adds another involved resource, pointing at one of its fields.
    pub fn related(mut self, obj: &Object, field: &str, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            resource: Some(obj.reference()),
            location: obj.locate(field),
            message: message.into(),
        });
        self
    }

    /// Narrows the related istioctl/Kiali codes to those this finding stands for.
    pub fn codes(mut self, istio: &[&'static str], kiali: &[&'static str]) -> Finding {
        self.istio_codes = istio.to_vec();
        self.kiali_codes = kiali.to_vec();
        self
    }

    /// The key findings are sorted by: file, line, column, code, resource, message. It
    /// borrows: sorting compares keys n log n times, so it copies nothing.
    pub fn sort_key(&self) -> impl Ord + '_ {
        let loc = self.location.as_ref();
        (
            loc.map(|l| &*l.file),
            loc.map(|l| l.pos),
            self.rule.code,
            self.resource.as_ref(),
            &self.message,
        )
    }

    /// Computes the fingerprint from code, resource identity and field path (or the file and
    /// message when there is no resource), so it survives edits that move lines.
    pub fn compute_fingerprint(&self, salt: usize) -> String {
        let mut h = Sha256::new();
        h.update(self.rule.code.as_bytes());
        match &self.resource {
            Some(r) => {
                h.update(r.kind.as_bytes());
                h.update(r.namespace.as_deref().unwrap_or("").as_bytes());
                h.update(r.name.as_bytes());
                if let Some(l) = &self.location {
                    h.update(l.field.as_bytes());
                }
            }
            None => {
                if let Some(l) = &self.location {
                    h.update(l.file.as_bytes());
                }
                h.update(self.message.as_bytes());
            }
        }
        h.update(salt.to_le_bytes());
        let digest = h.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}
