//! Typed decoding straight from the positioned YAML tree, so that a decoding error (unknown
//! field, wrong type, bad enum value) knows the exact field path and line and column.
//!
//! Istio kinds are decoded strictly: a number where a string is expected is an error, as it is
//! for Istio's webhook. Kubernetes kinds are decoded leniently (scalars coerce to strings, as
//! `resource.Quantity` and friends accept), since meshlint only reads a few of their fields.

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::yaml::{Node, NodeKind, Pos};

/// Why a document could not be decoded into its typed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Field path such as `spec.rules[0].from[0].source`, empty for the root.
    pub path: String,
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Decodes `node` into `T`. `lenient` lets scalars stand in for strings.
///
/// Decodes without tracking the path first (tracking every field cost a fifth of decoding,
/// issue 14) and again with `serde_path_to_error` only when that fails, to name the field: the
/// decoding is deterministic, so the second run fails the same way.
pub fn decode<T: DeserializeOwned>(node: &Node, lenient: bool) -> Result<T, DecodeError> {
    let de = NodeDe {
        node,
        lenient,
        key: false,
    };
    if let Ok(value) = T::deserialize(de) {
        return Ok(value);
    }
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        DecodeError {
            path: if path == "." { String::new() } else { path },
            pos: inner.pos.unwrap_or(node.pos),
            message: inner.message,
        }
    })
}

/// The error type the deserializer produces; it learns its position on the way out.
#[derive(Debug)]
pub struct DeError {
    message: String,
    pos: Option<Pos>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            pos: None,
        }
    }
}

fn at(pos: Pos) -> impl FnOnce(DeError) -> DeError {
    move |mut e| {
        e.pos.get_or_insert(pos);
        e
    }
}

#[derive(Clone, Copy)]
struct NodeDe<'a> {
    node: &'a Node<'a>,
    lenient: bool,
    /// Deserializing a mapping key.
    key: bool,
}

impl<'a> NodeDe<'a> {
    fn unexpected(&self) -> de::Unexpected<'a> {
        match &self.node.kind {
            NodeKind::Null => de::Unexpected::Unit,
            NodeKind::Bool(b) => de::Unexpected::Bool(*b),
            NodeKind::Int(i) => de::Unexpected::Signed(*i),
            NodeKind::Float(f) => de::Unexpected::Float(*f),
            NodeKind::Str(s) => de::Unexpected::Str(s),
            NodeKind::Seq(_) => de::Unexpected::Seq,
            NodeKind::Map(_) => de::Unexpected::Map,
        }
    }

    fn scalar_text(&self) -> Option<String> {
        match &self.node.kind {
            NodeKind::Int(i) => Some(i.to_string()),
            NodeKind::Float(f) => Some(f.to_string()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

macro_rules! via_any {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.deserialize_any(visitor)
        })*
    };
}

/// Integers: in a mapping key (always text in JSON, e.g. `portLevelMtls: {"8080": …}`), a
/// string holding a number stands for the number.
macro_rules! via_integer {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            if self.key
                && let NodeKind::Str(s) = &self.node.kind
                && let Ok(i) = s.trim().parse::<i64>()
            {
                return visitor.visit_i64(i).map_err(at(self.node.pos));
            }
            self.deserialize_any(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Int(i) => visitor.visit_i64(*i),
            NodeKind::Float(f) => visitor.visit_f64(*f),
            NodeKind::Str(s) => visitor.visit_borrowed_str(s),
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess {
                items: items.iter(),
                lenient: self.lenient,
            }),
            NodeKind::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.iter(),
                value: None,
                lenient: self.lenient,
            }),
        }
        .map_err(at(pos))
    }

    via_any!(deserialize_bool deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes
        deserialize_byte_buf deserialize_seq deserialize_map);
    via_integer!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match (&self.node.kind, self.lenient) {
            (NodeKind::Str(s), _) => visitor.visit_borrowed_str(s),
            (_, true) if self.scalar_text().is_some() => {
                visitor.visit_string(self.scalar_text().unwrap_or_default())
            }
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(at(pos))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match self.node.key_text() {
            Some(text) => visitor.visit_str(&text),
            None => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(at(pos))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // `field: null` or `field: {}` stand for an empty message in protobuf JSON.
        if matches!(self.node.kind, NodeKind::Null) {
            let empty: [Entry0; 0] = [];
            return visitor
                .visit_map(de::value::MapDeserializer::new(empty.into_iter()))
                .map_err(at(self.node.pos));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.kind {
            NodeKind::Str(s) => visitor.visit_enum((*s).into_deserializer()),
            NodeKind::Map(entries) if entries.len() == 1 => visitor.visit_enum(EnumAccess {
                entry: &entries[0],
                lenient: self.lenient,
            }),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(at(pos))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

type Entry0 = (&'static str, ());

struct SeqAccess<'a> {
    items: std::slice::Iter<'a, Node<'a>>,
    lenient: bool,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(NodeDe {
                    node,
                    lenient: self.lenient,
                    key: false,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'a> {
    entries: std::slice::Iter<'a, super::yaml::Entry<'a>>,
    value: Option<&'a Node<'a>>,
    lenient: bool,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some(entry) => {
                self.value = Some(&entry.value);
                // Keys are strings in JSON; any scalar key may stand for one.
                seed.deserialize(NodeDe {
                    node: &entry.key,
                    lenient: true,
                    key: true,
                })
                .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        let node = self
            .value
            .take()
            .ok_or_else(|| <DeError as de::Error>::custom("value without a key"))?;
        seed.deserialize(NodeDe {
            node,
            lenient: self.lenient,
            key: false,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct EnumAccess<'a> {
    entry: &'a super::yaml::Entry<'a>,
    lenient: bool,
}

impl<'de> de::EnumAccess<'de> for EnumAccess<'de> {
    type Error = DeError;
    type Variant = NodeDe<'de>;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NodeDe<'de>), DeError> {
        let key = NodeDe {
            node: &self.entry.key,
            lenient: true,
            key: true,
        };
        let value = seed.deserialize(key)?;
        Ok((
            value,
            NodeDe {
                node: &self.entry.value,
                lenient: self.lenient,
                key: false,
            },
        ))
    }
}

impl<'de> de::VariantAccess<'de> for NodeDe<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        Ok(())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;
    use crate::input::yaml::parse_documents;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Spec {
        mode: Option<Mode>,
        #[serde(default)]
        port_level_mtls: BTreeMap<u32, Inner>,
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        mode: Mode,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "UPPERCASE")]
    enum Mode {
        Strict,
        Permissive,
    }

    fn node(text: &str) -> Node<'_> {
        parse_documents(text, crate::input::yaml::leaked_arena())
            .pop()
            .unwrap()
            .root
            .unwrap()
            .unwrap()
    }

    #[test]
    fn decodes_with_integer_keys() {
        let n = node("mode: STRICT\nportLevelMtls:\n  8080:\n    mode: PERMISSIVE\n");
        let s: Spec = decode(&n, false).unwrap();
        assert_eq!(s.port_level_mtls[&8080].mode, Mode::Permissive);
    }

    #[test]
    fn unknown_field_points_at_its_key() {
        let n = node("mode: STRICT\nportLevelMtls:\n  8080:\n    mdoe: PERMISSIVE\n");
        let e = decode::<Spec>(&n, false).unwrap_err();
        assert_eq!(e.path, "portLevelMtls.8080.mdoe");
        assert_eq!(e.pos, Pos { line: 4, col: 5 });
        assert!(e.message.contains("unknown field `mdoe`"), "{}", e.message);
    }

    #[test]
    fn bad_enum_value_points_at_the_value() {
        let n = node("name: x\nmode: STRIKT\n");
        let e = decode::<Spec>(&n, false).unwrap_err();
        assert_eq!(e.path, "mode");
        assert_eq!(e.pos, Pos { line: 2, col: 7 });
        assert!(e.message.contains("STRIKT"), "{}", e.message);
    }

    #[test]
    fn strict_rejects_numbers_for_strings_lenient_accepts() {
        let n = node("name: 80\n");
        let e = decode::<Spec>(&n, false).unwrap_err();
        assert_eq!(e.path, "name");
        assert!(e.message.contains("integer"), "{}", e.message);
        let s: Spec = decode(&n, true).unwrap();
        assert_eq!(s.name.as_deref(), Some("80"));
    }

    #[test]
    fn string_keys_decode_as_integers() {
        let n = node("portLevelMtls:\n  \"3000\":\n    mode: STRICT\n");
        let s: Spec = decode(&n, false).unwrap();
        assert_eq!(s.port_level_mtls[&3000].mode, Mode::Strict);
    }

    #[test]
    fn out_of_range_port_is_an_error() {
        let n = node("portLevelMtls:\n  -1:\n    mode: STRICT\n");
        let e = decode::<Spec>(&n, false).unwrap_err();
        assert_eq!(e.pos.line, 2);
    }
}
