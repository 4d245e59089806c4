//! The completion scripts committed in `completions/` are generated from the CLI definition;
//! this test fails when they drift from it. `UPDATE_COMPLETIONS=1 cargo test --test completions`
//! rewrites them.

use std::path::PathBuf;

use assert_cmd::Command;
use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use meshlint::cli::Cli;

/// The shells we ship scripts for (clap_complete's list without Elvish, which few use).
const SHELLS: &[Shell] = &[Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell];

fn generate(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "meshlint", &mut out);
    out
}

fn committed_path(shell: Shell) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(shell.file_name("meshlint"))
}

#[test]
fn committed_scripts_match_the_cli() {
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for &shell in SHELLS {
        let path = committed_path(shell);
        let fresh = generate(shell);
        if update {
            std::fs::write(&path, &fresh).unwrap();
            continue;
        }
        match std::fs::read(&path) {
            Ok(committed) if committed == fresh => {}
            Ok(_) => stale.push(format!("{} differs", path.display())),
            Err(e) => stale.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "completion scripts are out of date ({}); run `UPDATE_COMPLETIONS=1 cargo test --test completions`",
        stale.join(", ")
    );
}

#[test]
fn scripts_are_named_as_shells_expect() {
    let names: Vec<String> = SHELLS.iter().map(|s| s.file_name("meshlint")).collect();
    assert_eq!(
        names,
        [
            "meshlint.bash",
            "_meshlint",
            "meshlint.fish",
            "_meshlint.ps1"
        ]
    );
}

#[test]
fn the_hidden_command_writes_the_same_script() {
    for &shell in SHELLS {
        let out = Command::cargo_bin("meshlint")
            .unwrap()
            .args(["completions", &shell.to_string()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {:?}", out.status);
        assert_eq!(out.stdout, generate(shell), "{shell}");
    }
}

#[test]
fn scripts_complete_commands_and_flags() {
    let bash = String::from_utf8(generate(Shell::Bash)).unwrap();
    for word in ["analyze", "explain", "--fail-on", "--baseline", "sarif"] {
        assert!(bash.contains(word), "bash script lacks `{word}`");
    }
    let zsh = String::from_utf8(generate(Shell::Zsh)).unwrap();
    assert!(zsh.starts_with("#compdef meshlint"), "zsh script header");
    // Rule names and codes complete for --select/--ignore/explain, and the minors of the
    // version table for --istio-version; --help does not list them all.
    for value in ["mtls-mode-conflict", "ML0201", "authz", "ALL"] {
        assert!(zsh.contains(value), "zsh completes {value}");
    }
    // Fish lists the values after `-a`, one per line, after the flag's line.
    let fish = String::from_utf8(generate(Shell::Fish)).unwrap();
    assert!(fish.contains("complete -c meshlint"), "fish script");
    let after = |flag: &str| {
        let at = fish
            .find(flag)
            .unwrap_or_else(|| panic!("fish completes {flag}"));
        let rest = &fish[at..];
        rest[..rest.find("\ncomplete ").unwrap_or(rest.len())].to_owned()
    };
    let select = after("-l select");
    assert!(select.contains("pod-missing-proxy"), "{select}");
    let version = after("-l istio-version");
    for v in [r"0.3\t", r"1.4\t", r"1.31\t", r"latest\t"] {
        assert!(version.contains(v), "{v}: {version}");
    }
    let help = Command::cargo_bin("meshlint")
        .unwrap()
        .args(["analyze", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        !help.contains("possible values: invalid-resource"),
        "{help}"
    );
}
