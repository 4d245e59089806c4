//! `meshlint completions SHELL` (hidden): writes the completion script generated from the CLI
//! definition. The committed scripts in `completions/` are checked against it by a test.

use std::io::Write;

use clap::CommandFactory;

use super::ExitStatus;
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "meshlint", out);
    Ok(ExitStatus::Success)
}
