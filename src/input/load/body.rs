//! An object's typed body decoded from its YAML tree, per kind: which kinds are read
//! strictly (unknown fields refused, as Istio's CRD schemas and the API server do) and which
//! leniently, and where each decoding error is, as a path from the object's root.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use super::super::de::decode;
use super::super::yaml::{Node, NodeKind, Pos};
use crate::input::mesh_config;
use crate::model::kind::Kind;
use crate::model::resource::{Body, ConfigMapData, ControllerSpec, Object};

/// A decoding failure with the full field path from the object's root.
pub(super) struct BodyError {
    pub(super) path: String,
    pub(super) pos: Pos,
    pub(super) message: String,
}

const TOP_LEVEL: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];

pub(super) fn decode_body(obj: &Object, node: &Node) -> Result<Body, BodyError> {
    let strict = obj.kind.info().strict;
    // The top level is checked for every Istio kind, also those whose spec meshlint reads
    // only in part: a CRD's structural schema has no other top-level fields, and strict
    // field validation refuses them.
    let top_level = strict || obj.kind.info().group.ends_with("istio.io");
    if top_level && let NodeKind::Map(entries) = node.kind {
        for e in entries {
            let key = e.key.key_text().unwrap_or_default();
            if !TOP_LEVEL.contains(&key.as_ref()) {
                return Err(BodyError {
                    path: key.to_string(),
                    pos: e.key.pos,
                    message: format!(
                        "unknown field `{key}`, expected one of `{}`",
                        TOP_LEVEL.join("`, `")
                    ),
                });
            }
        }
    }
    fn spec<T: DeserializeOwned + Default>(node: &Node, strict: bool) -> Result<T, BodyError> {
        field(node, "spec", strict)
    }
    fn field<T: DeserializeOwned + Default>(
        node: &Node,
        key: &str,
        strict: bool,
    ) -> Result<T, BodyError> {
        match node.get(key) {
            None => Ok(T::default()),
            Some(n) if matches!(n.kind, NodeKind::Null) => Ok(T::default()),
            Some(n) => decode(n, !strict).map_err(|e| BodyError {
                path: if e.path.is_empty() {
                    key.to_owned()
                } else {
                    format!("{key}.{}", e.path)
                },
                pos: e.pos,
                message: e.message,
            }),
        }
    }
    fn whole<T: DeserializeOwned>(node: &Node) -> Result<T, BodyError> {
        decode(node, true).map_err(|e| BodyError {
            path: e.path,
            pos: e.pos,
            message: e.message,
        })
    }
    Ok(match obj.kind {
        Kind::Namespace => Body::Namespace,
        Kind::ServiceAccount => Body::ServiceAccount,
        Kind::Pod => Body::Pod(Box::new(required_spec(node)?)),
        Kind::Deployment
        | Kind::StatefulSet
        | Kind::DaemonSet
        | Kind::ReplicaSet
        | Kind::Job
        | Kind::CronJob => Body::Controller(Box::new(spec::<ControllerSpec>(node, false)?)),
        Kind::Service => Body::Service(Box::new(spec(node, false)?)),
        Kind::ConfigMap => {
            let data: BTreeMap<String, String> = field(node, "data", false)?;
            let mesh = data
                .get("mesh")
                .filter(|_| mesh_config::is_mesh_config_map(obj.name()))
                .map(|text| mesh_config::parse(text));
            Body::ConfigMap(Box::new(ConfigMapData { data, mesh }))
        }
        Kind::Endpoints => Body::Endpoints(Box::new(whole(node)?)),
        Kind::EndpointSlice => Body::EndpointSlice(Box::new(whole(node)?)),
        Kind::PeerAuthentication => Body::PeerAuthentication(spec(node, true)?),
        Kind::RequestAuthentication => Body::RequestAuthentication(Box::new(spec(node, true)?)),
        Kind::AuthorizationPolicy => Body::AuthorizationPolicy(Box::new(spec(node, true)?)),
        Kind::DestinationRule => Body::DestinationRule(Box::new(spec(node, true)?)),
        Kind::ServiceEntry => Body::ServiceEntry(Box::new(spec(node, false)?)),
        Kind::Sidecar => Body::Sidecar(Box::new(spec(node, false)?)),
        Kind::Gateway => Body::Gateway(spec(node, false)?),
        Kind::VirtualService => Body::VirtualService(spec(node, false)?),
        Kind::Policy | Kind::MeshPolicy => Body::Policy(spec(node, true)?),
        Kind::ServiceRole => Body::ServiceRole(spec(node, false)?),
        Kind::ServiceRoleBinding => Body::ServiceRoleBinding(Box::new(spec(node, false)?)),
        Kind::ClusterRbacConfig | Kind::RbacConfig => {
            Body::RbacConfig(Box::new(spec(node, false)?))
        }
        Kind::IstioOperator => Body::IstioOperator(Box::new(spec(node, false)?)),
    })
}

/// A Pod's spec has required fields (`containers`), so it cannot default.
fn required_spec<T: DeserializeOwned>(node: &Node) -> Result<T, BodyError> {
    let Some(n) = node.get("spec") else {
        return Err(BodyError {
            path: "spec".to_owned(),
            pos: node.pos,
            message: "missing field `spec`".to_owned(),
        });
    };
    decode(n, true).map_err(|e| BodyError {
        path: format!("spec.{}", e.path).trim_end_matches('.').to_owned(),
        pos: e.pos,
        message: e.message,
    })
}
