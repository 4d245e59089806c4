//! Kubernetes string maps — labels, `matchLabels`, a Service's `selector` — with their keys
//! and values interned (issue 14).
//!
//! The same few keys and values (`app`, `version`, `istio.io/rev`, a workload's name) stand in
//! thousands of objects and are compared in every selector × workload match. As a `BTreeMap`
//! of heap strings a map of one label cost a 500-byte tree node and two strings: 70 MiB of the
//! peak of `analyze` on the SPEC §9 corpus (355 → 285 MiB). Here a map is a sorted vector of
//! two interned names (16 bytes a pair), each distinct string is stored once for the run, and
//! a selector matches by comparing interned names, which compares two pointers
//! ([`ustr::Ustr`]).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use ustr::Ustr;

/// An interned string: equal names are the same pointer, so comparing two is comparing two
/// words. Made with `Name::from(&str)` (a hash and a lookup: keep the names asked of every
/// workload in a `static`).
pub type Name = Ustr;

/// A `map[string]string` of Kubernetes (`metadata.labels`, `spec.selector`, `matchLabels`):
/// pairs sorted by key as a `BTreeMap` orders them, one per key, the later of two equal keys
/// winning as it does when the API server or `kubectl` reads the YAML. Ordered as a
/// `BTreeMap` of the same pairs is (pair by pair, strings by bytes).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels(Vec<(Ustr, Ustr)>);

impl Labels {
    /// The empty map (no allocation).
    pub const fn new() -> Labels {
        Labels(Vec::new())
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.find(key).map(|i| self.0[i].1.as_str())
    }

    /// The value of `key`, given interned: a scan comparing pointers, no string read (for the
    /// keys asked of every workload, and those taken from other label maps).
    pub fn get_name(&self, key: Name) -> Option<Name> {
        self.0.iter().find(|(k, _)| *k == key).map(|&(_, v)| v)
    }

    /// The keys in order, interned.
    pub fn key_names(&self) -> impl Iterator<Item = Name> + '_ {
        self.0.iter().map(|&(k, _)| k)
    }

    /// Whether `key` is set (to any value, the empty string included).
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many labels are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no label is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `matchLabels` semantics: every pair of `self` is in `labels`; the empty map matches
    /// everything. Pairs are compared as interned names, two pointers each: no string is read.
    pub fn selects(&self, labels: &Labels) -> bool {
        self.0.iter().all(|pair| labels.0.contains(pair))
    }

    /// The same map as a `BTreeMap` of owned strings, for the libraries that take one (kube's
    /// `Selector`) and for output.
    pub fn to_btree(&self) -> std::collections::BTreeMap<String, String> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()
    }

    /// Sorts `pairs` by key, keeping the last of equal keys, at their exact size.
    fn from_pairs(mut pairs: Vec<(Ustr, Ustr)>) -> Labels {
        // Stable: equal keys keep their order, and the last of each run is the one kept.
        pairs.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut out: Vec<(Ustr, Ustr)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match out.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => out.push(pair),
            }
        }
        out.shrink_to_fit();
        Labels(out)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Labels {
    /// Later pairs replace earlier ones with the same key, as `BTreeMap::from_iter` does.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Labels {
        Labels::from_pairs(
            iter.into_iter()
                .map(|(k, v)| (Ustr::from(k.as_ref()), Ustr::from(v.as_ref())))
                .collect(),
        )
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Extend<(K, V)> for Labels {
    /// Adds pairs, replacing the values of keys already set, as `BTreeMap::extend` does.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut pairs = std::mem::take(&mut self.0);
        pairs.extend(
            iter.into_iter()
                .map(|(k, v)| (Ustr::from(k.as_ref()), Ustr::from(v.as_ref()))),
        );
        *self = Labels::from_pairs(pairs);
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Ustr, Ustr)>,
        fn(&'a (Ustr, Ustr)) -> (&'a str, &'a str),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'de> de::Deserialize<'de> for Labels {
    /// A mapping of strings: a key or value that is not a string is the error reading it into
    /// a `String` gives ("invalid type: …, expected a string"), so messages are the same as
    /// they were with `BTreeMap<String, String>`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Labels, D::Error> {
        struct Map;
        impl<'de> Visitor<'de> for Map {
            type Value = Labels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(pair) = map.next_entry_seed(Interned, Interned)? {
                    pairs.push(pair);
                }
                Ok(Labels::from_pairs(pairs))
            }
        }
        d.deserialize_map(Map)
    }
}

/// Reads one string and interns it, without an owned copy when the input lends it.
struct Interned;

impl<'de> DeserializeSeed<'de> for Interned {
    type Value = Ustr;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Ustr, D::Error> {
        d.deserialize_string(self)
    }
}

impl Visitor<'_> for Interned {
    type Value = Ustr;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Ustr, E> {
        Ok(Ustr::from(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Ustr, E> {
        std::str::from_utf8(v)
            .map(Ustr::from)
            .map_err(|_| de::Error::invalid_value(de::Unexpected::Bytes(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lenient::decode_text;

    fn m(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().copied().collect()
    }

    #[test]
    fn pairs_are_sorted_by_key_and_the_later_of_equal_keys_wins() {
        let l = m(&[("version", "v1"), ("app", "a"), ("app", "b")]);
        assert_eq!(
            l.iter().collect::<Vec<_>>(),
            [("app", "b"), ("version", "v1")]
        );
        assert_eq!((l.get("app"), l.get("x"), l.len()), (Some("b"), None, 2));
        let read: Labels = decode_text("app: a\nversion: v1\napp: b\n").unwrap();
        assert_eq!(read, l);
    }

    #[test]
    fn interned_lookups_agree_with_string_lookups() {
        let l = m(&[("app", "web"), ("version", "v1")]);
        assert_eq!(l.get_name(Name::from("app")), Some(Name::from("web")));
        assert_eq!(l.get_name(Name::from("zone")), None);
        let keys: Vec<Name> = l.key_names().collect();
        assert_eq!(keys, [Name::from("app"), Name::from("version")]);
        for k in keys {
            assert_eq!(l.get_name(k).map(|v| v.as_str()), l.get(&k));
        }
    }

    #[test]
    fn selects_is_match_labels_semantics() {
        let labels = m(&[("app", "httpbin"), ("tier", ""), ("version", "v1")]);
        assert!(m(&[("app", "httpbin")]).selects(&labels));
        assert!(m(&[("app", "httpbin"), ("version", "v1")]).selects(&labels));
        assert!(m(&[("tier", "")]).selects(&labels));
        assert!(m(&[]).selects(&labels));
        assert!(m(&[]).selects(&m(&[])));
        assert!(!m(&[("app", "sleep")]).selects(&labels));
        assert!(!m(&[("version", "v1"), ("zone", "a")]).selects(&labels));
        assert!(!m(&[("a", "b")]).selects(&labels));
        assert!(!m(&[("app", "httpbin")]).selects(&m(&[])));
        // Every pair of the selector is found, in whichever order their keys come.
        let many = m(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);
        assert!(m(&[("a", "1"), ("d", "4")]).selects(&many));
        assert!(!m(&[("b", "2"), ("bb", "2")]).selects(&many));
    }

    #[test]
    fn a_value_that_is_not_a_string_is_the_error_a_string_map_gives() {
        let e = decode_text::<Labels>("app: [a]\n").unwrap_err();
        assert!(
            e.contains("invalid type: sequence, expected a string"),
            "{e}"
        );
        let e = decode_text::<Labels>("- app\n").unwrap_err();
        assert!(e.contains("expected a map"), "{e}");
    }
}
