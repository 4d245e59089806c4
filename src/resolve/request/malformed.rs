//! Requests a proxy refuses before any policy runs: Envoy answers 400 (istio.io
//! docs/reference/config/security/normalization: `%00` in the path, a lower-case method, a
//! header name with whitespace; research/authz-semantics.md §9). The application never sees
//! them, and no AuthorizationPolicy is consulted.

use super::types::Request;

/// Why a proxy that parses HTTP refuses `req` with 400, if it does.
pub fn bad_request(req: &Request) -> Option<String> {
    if req.method.chars().any(|c| c.is_ascii_lowercase()) {
        return Some(format!(
            "method {:?} is not upper case: Envoy refuses the request with 400 before any policy (methods are case-sensitive)",
            req.method
        ));
    }
    if req.path.to_ascii_lowercase().contains("%00") {
        return Some(
            "the path holds %00: Envoy refuses the request with 400 before any policy".to_owned(),
        );
    }
    if let Some((name, _)) = req
        .headers
        .iter()
        .find(|(n, _)| n.chars().any(char::is_whitespace))
    {
        return Some(format!(
            "header name {name:?} holds whitespace: Envoy refuses the request with 400 before any policy"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, path: &str) -> Request {
        Request {
            method: method.into(),
            path: path.into(),
            ..Request::default()
        }
    }

    #[test]
    fn malformed_requests() {
        assert!(bad_request(&req("GET", "/a%2Fb")).is_none());
        assert!(
            bad_request(&req("get", "/"))
                .unwrap()
                .contains("upper case")
        );
        assert!(bad_request(&req("GET", "/a%00b")).unwrap().contains("%00"));
        let mut r = req("GET", "/");
        r.headers.push(("x y".into(), "1".into()));
        assert!(bad_request(&r).unwrap().contains("whitespace"));
    }
}
