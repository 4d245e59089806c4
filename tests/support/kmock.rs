//! Starts the kmock Kubernetes API emulator (tests/support/kmock_server.py, kmock pinned in
//! .ci/run) on loopback with a free port, seeded with manifests, and stops it on drop.
//! `Kmock::start` returns `None` (the caller skips) when python3 or kmock is not installed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

pub struct Kmock {
    child: Child,
    _stdin: ChildStdin,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

/// Whether `python3 -c 'import kmock'` works.
pub fn available() -> bool {
    Command::new("python3")
        .args(["-c", "import kmock"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The manifests of `files` as one JSON array (decoded with meshlint's own YAML reader).
pub fn seed_json(files: &[&str]) -> String {
    let mut objects = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(root().join(f)).unwrap();
        let arena = bumpalo::Bump::new();
        for doc in meshlint::input::yaml::parse_documents(&text, &arena) {
            if let Ok(Some(node)) = doc.root {
                let value: serde_json::Value = meshlint::input::de::decode(&node, false).unwrap();
                objects.push(value);
            }
        }
    }
    serde_json::to_string(&objects).unwrap()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Kmock {
    /// Starts the emulator with these seed files and extra launcher flags.
    pub fn start(files: &[&str], flags: &[&str]) -> Option<Kmock> {
        if !available() {
            eprintln!("SKIP: kmock is not installed (python3 -m pip install 'kmock==0.8')");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("seed.json");
        std::fs::write(&seed, seed_json(files)).unwrap();
        let mut child = Command::new("python3")
            .arg(root().join("tests/support/kmock_server.py"))
            .arg("--seed")
            .arg(&seed)
            .arg("--stats")
            .arg(dir.path().join("stats"))
            .args(flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("kmock did not start: {line:?}"));
        let k = Kmock {
            child,
            _stdin: stdin,
            port,
            dir,
        };
        k.write_kubeconfig(&format!("http://127.0.0.1:{port}"));
        Some(k)
    }

    /// Seconds the emulator spent serving lists so far (`None` before the first list).
    #[allow(dead_code)] // only the benchmark reads it
    pub fn served_seconds(&self) -> Option<f64> {
        std::fs::read_to_string(self.dir.path().join("stats"))
            .ok()
            .and_then(|t| t.trim().parse().ok())
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// A kubeconfig with the context `kmock` pointing at `server`.
    pub fn write_kubeconfig(&self, server: &str) {
        write_kubeconfig(&self.kubeconfig(), server);
    }
}

pub fn write_kubeconfig(path: &Path, server: &str) {
    let text = format!(
        "apiVersion: v1\nkind: Config\n\
         clusters: [{{name: kmock, cluster: {{server: \"{server}\"}}}}]\n\
         users: [{{name: tester, user: {{token: dummy-token}}}}]\n\
         contexts: [{{name: kmock, context: {{cluster: kmock, user: tester}}}}]\n\
         current-context: kmock\n"
    );
    std::fs::write(path, text).unwrap();
}

impl Drop for Kmock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
