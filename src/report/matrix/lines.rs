//! `matrix -o lines`: exactly what the curl loop of Istio's docs prints,
//! `sleep.foo to httpbin.foo: 200`; a failed connection prints curl's `000` and then, on the
//! next line, kubectl's `command terminated with exit code 56`. A service with several ports
//! in the matrix is named with its port (`httpbin.foo:8000`). On TCP ports (no HTTP code) a
//! working connection prints `connected` and a refused one `000` plus the exit code line. A
//! request the inputs do not decide prints `?`.

use std::io::{self, Write};

use super::MatrixView;

pub fn render(view: &MatrixView, out: &mut dyn Write) -> io::Result<()> {
    for (from, t, c) in view.iter() {
        let (ns, name) = from.split_once('/').unwrap_or(("", from));
        let to = if t.several_ports { &t.name } else { &t.host };
        let code = match (c.http_code, c.curl_exit) {
            // The inputs do not decide this request (`depends`).
            _ if c.result == "depends" => "?",
            (Some(code), _) => code,
            (None, 0) => "connected",
            (None, _) => "000",
        };
        writeln!(out, "{name}.{ns} to {to}: {code}")?;
        if c.curl_exit != 0 {
            writeln!(out, "command terminated with exit code {}", c.curl_exit)?;
        }
    }
    Ok(())
}
