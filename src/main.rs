//! The meshlint binary: parse arguments, run the command, map the outcome to an exit code
//! (0 clean, 1 findings at or above --fail-on, 2 usage or input errors).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use meshlint::cli::Cli;
use meshlint::commands::{self, ExitStatus};

/// mimalloc: the analysis makes millions of small allocations from two threads; glibc's
/// per-thread arenas kept freed memory and cost a fifth of the run in malloc/free (issue 14).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let width = cli.command.width();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let result = commands::run(cli, &mut out, &mut err);
    let flushed = out.flush();
    match result {
        Ok(ExitStatus::Success) => ExitCode::SUCCESS,
        Ok(ExitStatus::Failure) => ExitCode::from(1),
        Err(meshlint::error::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Wrapped as text output is.
            let width = commands::text_width(width, std::env::var("COLUMNS").ok().as_deref());
            let color = !matches!(
                anstream::AutoStream::choice(&std::io::stderr()),
                anstream::ColorChoice::Never
            );
            let text = meshlint::report::render_error(&e.to_string(), width, color);
            let _ = writeln!(err, "{}", text.trim_end());
            ExitCode::from(2)
        }
    }
    .max_with(flushed)
}

trait MaxWith {
    fn max_with(self, flushed: std::io::Result<()>) -> ExitCode;
}

impl MaxWith for ExitCode {
    /// A failed flush (other than a closed pipe) turns success into an error exit.
    fn max_with(self, flushed: std::io::Result<()>) -> ExitCode {
        match flushed {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitCode::from(2),
            _ => self,
        }
    }
}
