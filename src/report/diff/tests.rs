use super::*;

fn cell(result: &'static str, http_code: Option<&'static str>, curl_exit: u8) -> JsonCell {
    JsonCell {
        from: "foo/sleep".into(),
        to: "httpbin.foo:8000".into(),
        result,
        http_code,
        curl_exit,
        client_tls: "ISTIO_MUTUAL",
        server_mtls: "STRICT".into(),
        reason: String::new(),
        decided_by: Vec::new(),
        depends_on: Vec::new(),
        endpoints: Vec::new(),
    }
}

#[test]
fn groups_by_what_curl_sees() {
    let ok = cell("ok", Some("200"), 0);
    let forbidden = cell("forbidden", Some("403"), 0);
    let upstream = cell("upstream_error", Some("503"), 0);
    let depends = cell("depends", None, 0);
    let reset = cell("reset", None, 56);
    assert_eq!(change(&ok, &ok), None);
    assert_eq!(change(&ok, &upstream), Some(Change::NewlyBlocked));
    assert_eq!(change(&depends, &forbidden), Some(Change::NewlyBlocked));
    assert_eq!(change(&ok, &reset), Some(Change::NewlyBlocked));
    assert_eq!(change(&forbidden, &ok), Some(Change::NewlyAllowed));
    assert_eq!(change(&forbidden, &upstream), Some(Change::Changed));
    assert_eq!(change(&forbidden, &depends), Some(Change::Changed));
    assert_eq!(change(&ok, &depends), Some(Change::Changed));
}
