//! Errors that stop a command (exit code 2). Problems inside inputs are findings, not errors.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// Bad flags or arguments.
    #[error("{0}")]
    Usage(String),
    /// An input that cannot be read at all (missing path, unreadable directory).
    #[error("cannot read input: {0}")]
    Input(String),
    /// A configuration file that cannot be used.
    #[error("config {path}: {message}")]
    Config { path: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A cluster that cannot be read (`-k`): unreachable, TLS/auth failure, timeout, bad kubeconfig.
    #[error("cluster context {context} (server {server}): {message}")]
    Cluster {
        context: String,
        server: String,
        message: String,
    },
    /// No usable kubeconfig or context for `-k`.
    #[error("{0}")]
    Kubeconfig(String),
}
