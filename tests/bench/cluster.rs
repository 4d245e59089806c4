//! Benchmark of reading a live cluster (issue: 20,000 Pods and 5,000 policies from the kmock
//! emulator): the wall time of `meshlint analyze -k` and how much of it the emulator spent
//! serving the lists. `cargo bench --bench cluster` (needs `python3 -m pip install kmock==0.8`;
//! prints a note and does nothing without it). The emulator is started on loopback for the run.

#[path = "../support/kmock.rs"]
#[allow(dead_code)] // the launcher also serves tests/cluster.rs, which reads every field
mod kmock;

use std::process::Command;
use std::time::Instant;

fn main() {
    let Some(k) = kmock::Kmock::start(&[], &["--bulk-pods", "20000", "--bulk-policies", "5000"])
    else {
        eprintln!("cluster bench: kmock is not installed; nothing measured");
        return;
    };
    let bin = env!("CARGO_BIN_EXE_meshlint");
    for page_size in ["500", "5000"] {
        let before = k.served_seconds().unwrap_or(0.0);
        let started = Instant::now();
        let out = Command::new(bin)
            .args([
                "analyze",
                "-o",
                "json",
                "--fail-on",
                "never",
                "--no-config",
                "-k",
            ])
            .arg("--kubeconfig")
            .arg(k.kubeconfig())
            .env("MESHLINT_KUBE_PAGE_SIZE", page_size)
            .env_remove("KUBECONFIG")
            .output()
            .expect("meshlint runs");
        let wall = started.elapsed().as_secs_f64();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let resources = &doc["summary"]["resources"];
        let served = k.served_seconds().unwrap_or(0.0) - before;
        println!(
            "cluster (page size {page_size}): {resources} resources, {wall:.2} s wall, \
             emulator serving lists {served:.2} s ({:.0}%), meshlint {:.2} s",
            100.0 * served / wall,
            wall - served
        );
    }
}
