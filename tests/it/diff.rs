//! `meshlint diff` (issue 16) on the seed's step MeshPolicy PERMISSIVE → STRICT
//! (testdata/diff/seed-authn: base/ and head/ share apps.yaml): the sidecar clients of
//! httpbin.foo go 200 → 503 and mtls-mode-conflict is new; the reverse change frees them and
//! fixes it. Also every output format, a git repository with two commits (`--base-ref`), usage
//! errors, and the scope: cells judged only in the namespaces a change reaches agree with the
//! whole matrix.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

const BASE: &str = "testdata/diff/seed-authn/base";
const HEAD: &str = "testdata/diff/seed-authn/head";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn seed(from: &str, to: &str, extra: &[&str]) -> Output {
    let mut args = vec!["diff", "--istio-version", "1.4", from, to];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn cell<'a>(doc: &'a Value, from: &str, to: &str) -> Option<&'a Value> {
    doc["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from"] == from && c["to"] == to)
}

#[test]
fn strict_blocks_the_sidecar_clients_and_adds_mtls_mode_conflict() {
    let out = seed(BASE, HEAD, &["-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a newly blocked cell fails the run"
    );
    let doc = json(&out);
    assert_eq!(doc["version"], 1);
    let c = cell(&doc, "foo/sleep", "httpbin.foo:8000").expect("foo/sleep → httpbin.foo");
    assert_eq!(c["change"], "newly_blocked");
    assert_eq!(c["before"]["http_code"], "200");
    assert_eq!(c["after"]["http_code"], "503");
    assert_eq!(c["after"]["server_mtls"], "STRICT");
    // A client without a sidecar gets a reset, not 503.
    let legacy = cell(&doc, "legacy/sleep", "httpbin.foo:8000").unwrap();
    assert_eq!(legacy["after"]["result"], "reset");
    assert_eq!(legacy["after"]["curl_exit"], 56);
    // httpbin.legacy has no sidecar: STRICT does not reach it.
    assert!(cell(&doc, "foo/sleep", "httpbin.legacy:8000").is_none());
    let new: Vec<&str> = doc["findings"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(new.contains(&"mtls-mode-conflict"), "{new:?}");
    assert!(doc["findings"]["fixed"].as_array().unwrap().is_empty());
    assert_eq!(
        doc["summary"]["whole_mesh"], true,
        "a MeshPolicy reaches the whole mesh"
    );
}

#[test]
fn the_reverse_change_frees_them_and_fixes_the_finding() {
    let out = seed(HEAD, BASE, &["-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "nothing newly blocked, no new finding"
    );
    let doc = json(&out);
    let c = cell(&doc, "foo/sleep", "httpbin.foo:8000").unwrap();
    assert_eq!(c["change"], "newly_allowed");
    let fixed: Vec<&str> = doc["findings"]["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(fixed.contains(&"mtls-mode-conflict"), "{fixed:?}");
    // Opening paths is news for a reviewer: the headline says so, and each row says what
    // refused the cell before.
    let md = String::from_utf8(seed(HEAD, BASE, &["-o", "markdown"]).stdout).unwrap();
    assert!(md.contains("ℹ️ this change opens 28 paths"), "{md}");
    assert!(md.contains("| was: client sends PLAINTEXT"), "{md}");
}

/// `-n NS` filters diff's output as it filters analyze's and matrix's: the cells of NS's
/// service ports (from every client) and the findings of NS; `-A` lifts it.
#[test]
fn namespace_filters_cells_and_findings() {
    let targets = |doc: &Value| -> Vec<String> {
        doc["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["to"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = json(&seed(BASE, HEAD, &["-o", "json"]));
    let foo = json(&seed(BASE, HEAD, &["-o", "json", "-n", "foo"]));
    let (all_targets, foo_targets) = (targets(&all), targets(&foo));
    assert!(
        all_targets.iter().any(|t| t.contains(".bar:")),
        "{all_targets:?}"
    );
    assert!(!foo_targets.is_empty(), "foo's cells moved too");
    assert!(
        foo_targets.iter().all(|t| t.contains(".foo:")),
        "{foo_targets:?}"
    );
    // Every cell of foo's service ports that moved is still there, from every client.
    let kept: Vec<&String> = all_targets.iter().filter(|t| t.contains(".foo:")).collect();
    assert_eq!(kept.len(), foo_targets.len());
    // The MeshPolicy's findings concern every namespace.
    assert_eq!(all["findings"]["new"], foo["findings"]["new"]);
    let lifted = json(&seed(BASE, HEAD, &["-o", "json", "-n", "foo", "-A"]));
    assert_eq!(targets(&lifted), all_targets);
}

#[test]
fn limit_must_be_positive() {
    let out = seed(BASE, HEAD, &["--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_change_lists_nothing() {
    let out = seed(BASE, BASE, &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("0 cells changed") && text.contains("0 new findings, 0 fixed"),
        "{text}"
    );
    assert!(!text.contains("Newly"), "{text}");
}

#[test]
fn text_output() {
    let out = seed(BASE, HEAD, &["--limit", "4"]);
    insta::assert_snapshot!("diff_text", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn markdown_output() {
    let out = seed(BASE, HEAD, &["-o", "markdown", "--limit", "3"]);
    insta::assert_snapshot!("diff_markdown", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn github_output() {
    let out = seed(BASE, HEAD, &["-o", "github", "--limit", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with("::error file=testdata/diff/seed-authn/head/mesh-policy.yaml,line=8,col=3,title=meshlint ML0201 (mtls-mode-conflict)::")),
        "{text}"
    );
    let blocked: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("::error title=meshlint diff%3A newly blocked::"))
        .collect();
    // Two cells and one line counting the rest.
    assert_eq!(blocked.len(), 3, "{text}");
    assert!(blocked[2].contains("… and 26 more"), "{text}");
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("::notice title=meshlint diff::28 cells changed")
    );
}

/// A base read from stdin.
#[test]
fn a_side_from_stdin() {
    let mut stdin = std::fs::read_to_string(format!("{BASE}/apps.yaml")).unwrap();
    stdin.push_str("\n---\n");
    stdin.push_str(&std::fs::read_to_string(format!("{BASE}/mesh-policy.yaml")).unwrap());
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["diff", "--istio-version", "1.4", "-o", "json", "-", HEAD])
        .write_stdin(stdin)
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(doc["base"], "<stdin>");
    assert_eq!(doc["summary"]["newly_blocked"], 28);
}

#[test]
fn usage_errors() {
    let one = run(&["diff", BASE]);
    assert_eq!(one.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&one.stderr).contains("diff takes BASE and HEAD"));
    let stdin_twice = run(&["diff", "-", "-"]);
    assert_eq!(stdin_twice.status.code(), Some(2));
}

/// `meshlint diff --istio-version 1.4 -o FORMAT ARGS…` run in `dir`.
fn diff_in(dir: &Path, format: &str, args: &[&str]) -> Output {
    let mut all = vec!["diff", "--istio-version", "1.4", "-o", format];
    all.extend_from_slice(args);
    run_in(dir, &all)
}

/// The base side's manifests copied into `dir`.
fn copy_base(dir: &Path) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE);
    for name in ["apps.yaml", "mesh-policy.yaml"] {
        std::fs::copy(data.join(name), dir.join(name)).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// A repository with two commits: PERMISSIVE, then STRICT. `--base-ref HEAD~1` reads the
/// first from git and the work tree (the second) from disk; an unknown ref is an input error.
#[test]
fn base_ref_reads_the_inputs_at_a_commit() {
    let repo = tempfile::tempdir().unwrap();
    let k8s = repo.path().join("k8s");
    std::fs::create_dir(&k8s).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_base(&k8s);
    std::fs::write(repo.path().join("README.md"), "not a manifest\n").unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "permissive"]);
    std::fs::copy(
        data.join(HEAD).join("mesh-policy.yaml"),
        k8s.join("mesh-policy.yaml"),
    )
    .unwrap();
    // Uncommitted: the work tree against HEAD.
    let doc = json(&diff_in(
        repo.path(),
        "json",
        &["--base-ref", "HEAD", "k8s"],
    ));
    assert_eq!(doc["base"], "HEAD");
    assert_eq!(doc["summary"]["newly_blocked"], 28);
    git(repo.path(), &["commit", "-qam", "strict"]);
    let out = diff_in(repo.path(), "json", &["--base-ref", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["summary"]["newly_blocked"], 28);
    let fixed_or_new = &doc["findings"]["new"][0]["location"]["file"];
    assert_eq!(fixed_or_new, "k8s/mesh-policy.yaml");
    // Annotations name files from the repository root, from any directory.
    let github = diff_in(&k8s, "github", &["--base-ref", "HEAD~1"]);
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(
        text.contains("::error file=k8s/mesh-policy.yaml,line=8"),
        "{text}"
    );
    // From a subdirectory, paths are relative to it, as git takes them.
    let inner = diff_in(&k8s, "json", &["--base-ref", "HEAD~1", "."]);
    assert_eq!(json(&inner)["summary"]["newly_blocked"], 28);
    let unknown = run_in(repo.path(), &["diff", "--base-ref", "no-such-ref"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no-such-ref: no such commit"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

/// The base at a revision leaves out what the work-tree walk leaves out: an excluded
/// directory and tool directories (`node_modules`); an unchanged repository changes nothing.
#[test]
fn base_ref_leaves_out_what_the_walk_leaves_out() {
    let repo = tempfile::tempdir().unwrap();
    for (dir, name) in [("vendor", "vendored"), ("node_modules/pkg", "tooling")] {
        let d = repo.path().join(dir);
        std::fs::create_dir_all(&d).unwrap();
        let policy = format!(
            "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\n\
             metadata: {{name: {name}, namespace: foo}}\nspec: {{action: DENY, rules: [{{}}]}}\n"
        );
        std::fs::write(d.join("policy.yaml"), policy).unwrap();
    }
    std::fs::create_dir_all(repo.path().join("k8s")).unwrap();
    copy_base(&repo.path().join("k8s"));
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-f", "."]);
    git(repo.path(), &["commit", "-qm", "one"]);
    let out = diff_in(
        repo.path(),
        "json",
        &["--exclude", "vendor", "--base-ref", "HEAD"],
    );
    let doc = json(&out);
    assert_eq!(doc["summary"]["changed_objects"], 0, "{doc}");
    assert_eq!(out.status.code(), Some(0));
}

mod scope {
    //! Cells judged only where a change reaches (resolve::change) move exactly as in the whole
    //! matrix, for changes of each reach: a namespace's own policy, a DestinationRule for
    //! another namespace's host, a namespace label, an AuthorizationPolicy.
    use meshlint::analysis::Analysis;
    use meshlint::commands::diff::moved_cells;
    use meshlint::input::load::{LoadOptions, Loaded};
    use meshlint::resolve::change::{Scope, scope};
    use meshlint::resolve::reach::RequestContext;

    fn analysis(extra: &str, version: &str) -> Analysis {
        let apps = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(super::BASE)
                .join("apps.yaml"),
        )
        .unwrap();
        let text = format!("{apps}\n---\n{extra}");
        let loaded = Loaded::from_text("t.yaml", &text, &LoadOptions::default());
        Analysis::new(loaded, Some(version.parse().unwrap()), None)
    }

    fn moved(base: &Analysis, head: &Analysis, s: &Scope) -> Vec<String> {
        let m = moved_cells(base, head, s, &RequestContext::default());
        m.cells
            .iter()
            .map(|c| {
                format!(
                    "{} → {}: {} → {}",
                    c.after.from,
                    c.after.to,
                    c.before.code(),
                    c.after.code()
                )
            })
            .collect()
    }

    fn agrees(base_extra: &str, head_extra: &str, reached: &[&str]) {
        let (a, b) = (analysis(base_extra, "1.24"), analysis(head_extra, "1.24"));
        let s = scope(&a, &b);
        assert!(!s.all, "{s:?}");
        let names: Vec<&str> = s.namespaces().into_iter().collect();
        assert_eq!(names, reached);
        let whole = Scope {
            all: true,
            ..Scope::default()
        };
        let (part, full) = (moved(&a, &b, &s), moved(&a, &b, &whole));
        assert!(!full.is_empty(), "the change moves some cell");
        assert_eq!(part, full);
    }

    const STRICT_FOO: &str = "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: foo}\nspec: {mtls: {mode: STRICT}}\n";

    #[test]
    fn a_namespace_policy() {
        agrees("", STRICT_FOO, &["foo"]);
    }

    #[test]
    fn a_destination_rule_for_another_namespace() {
        let dr = "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: plain, namespace: bar}\nspec:\n  host: httpbin.foo.svc.cluster.local\n  trafficPolicy: {tls: {mode: DISABLE}}\n";
        agrees(
            STRICT_FOO,
            &format!("{STRICT_FOO}---\n{dr}"),
            &["bar", "foo"],
        );
    }

    #[test]
    fn an_authorization_policy() {
        let deny = "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata: {name: only-foo, namespace: bar}\nspec:\n  rules: [{from: [{source: {namespaces: [foo]}}]}]\n";
        agrees("", deny, &["bar"]);
    }

    #[test]
    fn a_root_namespace_policy_reaches_the_whole_mesh() {
        let mesh_wide = STRICT_FOO.replace("namespace: foo", "namespace: istio-system");
        let (a, b) = (analysis("", "1.24"), analysis(&mesh_wide, "1.24"));
        assert!(scope(&a, &b).all);
    }
}

/// Loading two versions shares the parse of the files they hold unchanged: the result is what
/// loading each side alone gives, file names included.
#[test]
fn load_versions_equals_two_loads() {
    use meshlint::input::files::InputSource;
    use meshlint::input::load::{LoadOptions, load, load_versions};
    let side = |dir: &str| -> Vec<(InputSource, String)> {
        ["apps.yaml", "mesh-policy.yaml"]
            .iter()
            .map(|f| {
                (
                    InputSource::File(root_path().join(dir).join(f)),
                    (*f).to_owned(),
                )
            })
            .collect()
    };
    let (base, head) = (side(BASE), side(HEAD));
    let opts = LoadOptions::default();
    let (b, h) = load_versions(&base, &head, &opts).unwrap();
    let alone = |v: &[(InputSource, String)]| {
        let sources: Vec<InputSource> = v.iter().map(|(s, _)| s.clone()).collect();
        load(&sources, &opts).unwrap()
    };
    let (b1, h1) = (alone(&base), alone(&head));
    assert_eq!(format!("{:?}", b.objects), format!("{:?}", b1.objects));
    assert_eq!(format!("{:?}", h.objects), format!("{:?}", h1.objects));
    assert_eq!(format!("{:?}", b.issues), format!("{:?}", b1.issues));
    assert_eq!((b.files, b.bytes), (b1.files, b1.bytes));
    assert!(b.objects[0].origin.file.contains("seed-authn/base/"));
    // apps.yaml is the same on both sides: its objects share their content, and a write on
    // one side (validation rejecting an object) copies it first, leaving the other side's.
    let (mut b, h) = (b, h);
    let shared = b
        .objects
        .iter()
        .position(|o| o.origin.file.ends_with("apps.yaml"))
        .unwrap();
    let name = h.objects[shared].name().to_owned();
    assert!(b.objects[shared].shares_content(&h.objects[shared]));
    b.objects[shared].meta.name = Some("changed".to_owned());
    assert!(!b.objects[shared].shares_content(&h.objects[shared]));
    assert_eq!(h.objects[shared].name(), name);
    assert_eq!(b.objects[shared].name(), "changed");
}

fn root_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `diff` and `report` say what `analyze` says of the configuration: a suppression that
/// matched nothing is a warning on stderr.
#[test]
fn unused_suppressions_are_reported_by_diff_and_report() {
    let suppress = "ML0201=PeerAuthentication nosuch/nothing";
    let diff = run(&["diff", "--suppress", suppress, BASE, HEAD]);
    let err = String::from_utf8_lossy(&diff.stderr);
    assert!(err.contains("suppressed no finding"), "{err}");
    let page = tempfile::tempdir().unwrap();
    let out = page.path().join("report.html");
    let report = run(&[
        "report",
        "--suppress",
        suppress,
        "--output",
        out.to_str().unwrap(),
        HEAD,
    ]);
    let err = String::from_utf8_lossy(&report.stderr);
    assert!(err.contains("suppressed no finding"), "{err}");
}
