//! Value parsers that also name the values a flag takes, for shell completion and `--help`:
//! rule codes, names and categories for `--select/--ignore/explain`, and the Istio versions
//! of the version table for `--istio-version`. Parsing stays as lenient as before (a rule
//! prefix such as `ML03`, a patch such as `1.30.1`); the lists only guide.

use std::sync::LazyLock;

use clap::builder::{PossibleValue, TypedValueParser};

use crate::rule_meta::Category;
use crate::rules::REGISTRY;
use crate::version::IstioVersion;

/// A rule selector as typed: any text (validated later, with "did you mean"); completes to
/// every rule code and name, every category and `ALL`.
#[derive(Clone, Debug)]
pub struct RuleValue;

impl TypedValueParser for RuleValue {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let rules = REGISTRY.iter().flat_map(|r| {
            [
                PossibleValue::new(r.name).help(r.summary),
                PossibleValue::new(r.code).help(r.name),
            ]
        });
        let categories = Category::ALL
            .iter()
            .map(|c| PossibleValue::new(c.as_str()).help("every rule of the category"));
        Some(Box::new(
            rules
                .chain(categories)
                .chain([PossibleValue::new("ALL").help("every rule")]),
        ))
    }
}

/// Every minor of the version table, oldest first, then `latest`.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let oldest = IstioVersion::OLDEST;
    let newest = IstioVersion::DEVELOPMENT;
    let mut v: Vec<String> = (oldest.minor..=8).map(|m| format!("0.{m}")).collect();
    v.extend((0..=newest.minor).map(|m| format!("{}.{m}", newest.major)));
    v.push("latest".to_owned());
    v
});

/// `--istio-version`: parsed as [`IstioVersion`]'s `FromStr` does; completes to every minor.
#[derive(Clone, Debug)]
pub struct VersionValue;

impl TypedValueParser for VersionValue {
    type Value = IstioVersion;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<IstioVersion, clap::Error> {
        let text = clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)?;
        text.parse::<IstioVersion>().map_err(|e| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value '{text}' for '--istio-version <VERSION>': {e}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            VERSIONS.iter().map(|v| PossibleValue::new(v.as_str())),
        ))
    }
}
