//! Kubernetes types of which meshlint reads a few fields (pod specs, Service specs, object
//! metadata), decoded the way k8s-openapi's generated `Deserialize` impls do (e.g.
//! `api/core/v1/pod_spec.rs`): unknown fields are skipped, `null` or a missing field reads as
//! the default (required fields too), and a repeated key keeps its last value. Unlike
//! k8s-openapi's types, they hold only those fields: what changes is that a field meshlint
//! does not read is no longer type-checked (issue 14: the full types were a fifth of the heap
//! on the SPEC §9 corpus).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Defines a struct whose fields all default and its lenient `Deserialize` (see the module
/// doc): `field: Type = "jsonName"`. Every field is read as `Option<Type>`, so `null` stands
/// for the default.
macro_rules! lenient_struct {
    ($(#[$meta:meta])* $name:ident as $title:literal {
        $($(#[$fmeta:meta])* $field:ident: $ty:ty = $key:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($title)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        const FIELDS: &[&str] = &[$($key),*];
                        let mut out = $name::default();
                        while let Some(key) = map.next_key_seed($crate::model::lenient::FieldOf(FIELDS))? {
                            match key {
                                $(Some($key) => {
                                    out.$field = map.next_value::<Option<$ty>>()?.unwrap_or_default()
                                })*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_struct($title, &[$($key),*], V)
            }
        }
    };
}

pub(crate) use lenient_struct;

/// A mapping key looked up in a struct's field names: the name, or `None` for a field the
/// struct does not read.
pub(crate) struct FieldOf(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldOf {
    type Value = Option<&'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldOf {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().find(|f| **f == v).copied())
    }
}

/// Decodes YAML `text` leniently (as the loader decodes Kubernetes kinds), for the tests of
/// the types defined with [`lenient_struct`]; the error is the path and message.
#[cfg(test)]
pub(crate) fn decode_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let arena = bumpalo::Bump::new();
    let doc = crate::input::yaml::parse_documents(text, &arena).pop();
    let node = doc
        .ok_or("no document")?
        .root
        .map_err(|e| e.to_string())?
        .ok_or("an empty document")?;
    crate::input::de::decode(&node, true).map_err(|e| e.to_string())
}
