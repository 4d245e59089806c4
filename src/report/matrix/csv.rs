//! `matrix -o csv`: a header (unless `-q`) and one row per cell.

use std::io::{self, Write};

use super::{MatrixView, Style, csv_field, resource};

pub fn render(view: &MatrixView, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if !style.quiet {
        writeln!(
            out,
            "from,to,result,http_code,curl_exit,client_tls,server_mtls,reason,decided_by"
        )?;
    }
    for (from, t, c) in view.iter() {
        let by: Vec<String> = c.decided_by.iter().map(resource).collect();
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            csv_field(from),
            csv_field(&t.name),
            c.result,
            c.http_code.unwrap_or(""),
            c.curl_exit,
            c.client_tls,
            csv_field(&c.server_mtls),
            csv_field(&c.reason),
            csv_field(&by.join("; "))
        )?;
    }
    Ok(())
}
