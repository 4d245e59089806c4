//! `meshlint completions SHELL` (hidden): writes the completion script generated from the CLI
//! definition. The committed scripts in `completions/` are checked against it by a test.

use std::io::Write;

use clap::CommandFactory;

use super::ExitStatus;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics on a write error, such as a pipe that
    // `grep -m1` closed; ours is an error main handles (a closed pipe exits 0).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "meshlint", &mut script);
    out.write_all(&script)?;
    Ok(ExitStatus::Success)
}
