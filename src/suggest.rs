//! "Did you mean …?" for names the user typed: rule names, workloads, services.

/// Levenshtein distance between two strings, in characters (strsim).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// `name.ns[:port]` and `ns/name` both as `ns/name`, so either spelling finds the other.
fn canonical(s: &str) -> String {
    let s = s.split(':').next().unwrap_or(s);
    match (s.split_once('/'), s.split_once('.')) {
        (Some(_), _) => s.to_owned(),
        (None, Some((name, ns))) => format!("{ns}/{name}"),
        _ => s.to_owned(),
    }
}

/// "; did you mean a, b?" with the names closest to `text` (by full id, by bare name, or
/// starting with it), or "; the inputs have …" when the list is short. `what` names the list
/// for the empty case ("workloads", "service ports").
pub fn did_you_mean(text: &str, names: &[String], what: &str) -> String {
    if names.is_empty() {
        return format!(" (the inputs define no {what})");
    }
    let want = canonical(text);
    let short = want.rsplit('/').next().unwrap_or(&want).to_owned();
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .map(|n| {
            let c = canonical(n);
            let name = c.rsplit('/').next().unwrap_or(&c);
            let d = if !short.is_empty() && (name.starts_with(&short) || short.starts_with(name)) {
                0
            } else {
                edit_distance(&want, &c).min(edit_distance(&short, name) + 1)
            };
            (d, n)
        })
        .collect();
    scored.sort();
    let limit = (want.chars().count() / 3).max(2);
    let close: Vec<&str> = scored
        .iter()
        .filter(|(d, _)| *d <= limit)
        .take(5)
        .map(|(_, n)| n.as_str())
        .collect();
    if !close.is_empty() {
        return format!("; did you mean {}?", close.join(", "));
    }
    if names.len() <= 10 {
        let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
        all.sort_unstable();
        return format!("; the inputs have {}", all.join(", "));
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_in_either_spelling() {
        let names = vec!["foo/sleep".to_owned(), "bar/httpbin".to_owned()];
        assert!(did_you_mean("foo/slep", &names, "workloads").contains("foo/sleep"));
        assert!(did_you_mean("sleep.foo", &names, "workloads").contains("foo/sleep"));
        assert!(did_you_mean("zzz/qqqqqqq", &names, "workloads").contains("the inputs have"));
        assert!(did_you_mean("x", &[], "workloads").contains("define no workloads"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
