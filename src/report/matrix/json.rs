//! `matrix -o json` (SPEC §5): the document is indented, each cell one compact line, so a
//! matrix of a million cells stays greppable and is written at memory speed: every distinct
//! cell is serialized once and only `from` is written per pair.

use std::io::{self, Write};

use super::MatrixView;

pub fn render(view: &MatrixView, out: &mut dyn Write) -> io::Result<()> {
    // Each distinct cell without its leading `{"from":""`: starts with `,"to":`.
    let tails: Vec<String> = view
        .cells
        .iter()
        .map(|c| {
            let s = serde_json::to_string(c).map_err(io::Error::from)?;
            Ok(s.strip_prefix("{\"from\":\"\"").unwrap_or(&s).to_owned())
        })
        .collect::<io::Result<_>>()?;
    let froms: Vec<String> = view
        .clients
        .iter()
        .map(|c| serde_json::to_string(c).map_err(io::Error::from))
        .collect::<io::Result<_>>()?;
    let request = serde_json::to_string(&view.request).map_err(io::Error::from)?;
    let version = serde_json::to_string(&view.istio_version).map_err(io::Error::from)?;
    // Implied clients and service ports (policies-only inputs), only when there are some.
    let implied = if view.implied.is_empty() {
        String::new()
    } else {
        format!(
            "\n  \"implied\": {},",
            serde_json::to_string(&view.implied).map_err(io::Error::from)?
        )
    };
    write!(
        out,
        "{{\n  \"version\": 1,\n  \"istio_version\": {version},\n  \"request\": {request},{implied}\n  \"cells\": ["
    )?;
    let t = view.targets.len();
    let mut first = true;
    let mut buf = Vec::with_capacity(1 << 16);
    for (ci, from) in froms.iter().enumerate() {
        for ti in 0..t {
            let cell = view.index[ci * t + ti] as usize;
            if !view.is_shown(cell) {
                continue;
            }
            buf.extend_from_slice(if first {
                b"\n    {\"from\":"
            } else {
                b",\n    {\"from\":"
            });
            first = false;
            buf.extend_from_slice(from.as_bytes());
            buf.extend_from_slice(tails[cell].as_bytes());
            if buf.len() > (1 << 16) - 4096 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    out.write_all(&buf)?;
    if first {
        writeln!(out, "]\n}}")
    } else {
        writeln!(out, "\n  ]\n}}")
    }
}
