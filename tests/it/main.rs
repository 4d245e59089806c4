//! meshlint's integration tests as one test binary: each module was its own `tests/*.rs`
//! crate, and each of those linked the whole library again (about 250 MB a binary). One
//! binary links once; `cargo test NAME` still filters by module path (`cargo test cli::`).

/// `../shared/acceptance` beside the project, or `None` (with a note) in a clone without it:
/// the acceptance tests then pass without running.
pub fn acceptance_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/acceptance");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} not found, acceptance test skipped", dir.display());
        None
    }
}

mod acceptance_istio_authz;
mod acceptance_istio_crds;
mod acceptance_istio_destinationrule;
mod acceptance_istio_membership;
mod acceptance_istio_mtls;
mod acceptance_kiali_authz;
mod acceptance_kiali_mtls;
mod agreement;
mod ambient_l4;
mod capture;
mod check_trace;
mod cli;
mod cluster;
mod completions;
mod depends;
mod describe_cli;
mod diff;
mod explain;
mod forwarded;
mod fuzz_regressions;
mod gateway;
mod headless;
mod host_header;
mod input_handling;
mod layers;
mod malformed;
mod matrix_cli;
mod mixed_endpoints;
mod path_normalization;
mod registry;
mod report_browser;
mod report_formats;
mod request_eval;
mod request_scenarios;
mod resolution_precedence;
mod rules;
mod stable_outputs;
mod versions;
mod waypoint;
