//! The JSON form of one matrix cell (SPEC §5), shared by `matrix -o json`, `check -o json` and
//! the inbound rows of `describe`: plain data for the renderers, built from resolved cells.

use serde::Serialize;

use crate::analysis::Analysis;
use crate::resolve::reach::Cell;
use crate::resolve::server_mtls::FieldRef;

#[derive(Debug, Clone, Serialize)]
pub struct JsonRef {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub file: String,
    pub line: Option<u32>,
    pub field: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonCell {
    pub from: String,
    pub to: String,
    pub result: &'static str,
    pub http_code: Option<&'static str>,
    pub curl_exit: u8,
    pub client_tls: &'static str,
    pub server_mtls: String,
    pub reason: String,
    pub decided_by: Vec<JsonRef>,
    /// With `result: depends`: the policies whose fields need what the inputs do not say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<JsonRef>,
    /// When the endpoints disagree (the cell's result is the worst): each endpoint's outcome.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<JsonEndpoint>,
}

/// One endpoint's outcome in a mixed cell.
#[derive(Debug, Clone, Serialize)]
pub struct JsonEndpoint {
    pub workload: String,
    pub result: &'static str,
    pub http_code: Option<&'static str>,
    pub curl_exit: u8,
}

/// A decision's field as the resource, file and line it points at.
pub fn json_ref(a: &Analysis, f: &FieldRef) -> JsonRef {
    let o = &a.inv.objects[f.object];
    let loc = o.locate(&f.field);
    JsonRef {
        kind: o.kind.name().to_owned(),
        namespace: o.namespace.clone(),
        name: o.name().to_owned(),
        file: loc.file.to_string(),
        line: (loc.pos.line > 0).then_some(loc.pos.line),
        field: f.field.to_string(),
    }
}

/// `svc.ns:port` as the matrix names a destination.
pub fn destination_name(a: &Analysis, service: usize, port: usize) -> String {
    let s = &a.inv.services[service];
    format!("{}.{}:{}", s.name, s.namespace, s.ports[port].port)
}

pub fn json_cell(a: &Analysis, c: &Cell) -> JsonCell {
    let (http_code, curl_exit) = c.outcome.curl(c.http);
    JsonCell {
        from: a.inv.workloads[c.client].id(),
        to: destination_name(a, c.service, c.port),
        result: c.outcome.as_str(),
        http_code,
        curl_exit,
        client_tls: c.sends.as_str(),
        server_mtls: c.server_mode_text(),
        reason: c.reason.clone(),
        decided_by: c.decided_by().iter().map(|f| json_ref(a, f)).collect(),
        depends_on: c.depends_on.iter().map(|f| json_ref(a, f)).collect(),
        endpoints: c
            .endpoints
            .iter()
            .map(|&(w, o)| {
                let (http_code, curl_exit) = o.curl(c.http);
                JsonEndpoint {
                    workload: a.inv.workloads[w].id(),
                    result: o.as_str(),
                    http_code,
                    curl_exit,
                }
            })
            .collect(),
    }
}

impl JsonCell {
    /// The cell as the table shows it: `200`, `503`, `000/56`, `tcp`, `tcp/56`, `?` when the
    /// inputs do not decide it, and a `*` after a code that only some endpoints give (`503*`).
    pub fn code(&self) -> String {
        if self.result == "depends" {
            return "?".to_owned();
        }
        let code = match (self.http_code, self.curl_exit) {
            (Some(code), 0) => code.to_owned(),
            (Some(code), e) => format!("{code}/{e}"),
            (None, 0) => "tcp".to_owned(),
            (None, e) => format!("tcp/{e}"),
        };
        if self.endpoints.is_empty() {
            code
        } else {
            format!("{code}*")
        }
    }
}
