//! The one reader of mesh config text: the `mesh` key of the `istio`/`istio-<rev>` ConfigMap
//! (what istiod reads, research/istio-semantics.md §1) and the `--mesh-config` file. The loader
//! decodes ConfigMaps with it, so the model never parses YAML itself.

use std::path::Path;

use crate::error::Error;
use crate::input::de::decode;
use crate::input::{files, yaml::parse_documents};
use crate::model::istio::mesh::MeshConfig;
use crate::model::istio::proxy_config::ProxyConfig;
use crate::model::validation::mesh_config_violations;
use crate::source::Pos;

/// Whether a ConfigMap of this name holds mesh config: `istio` or `istio-<revision>`.
pub fn is_mesh_config_map(name: &str) -> bool {
    name == "istio" || name.starts_with("istio-")
}

/// Mesh config text (the `mesh` key of the istio ConfigMap) into [`MeshConfig`].
///
/// Errors: the position inside `text` (1-based line of the block) and the message.
pub fn parse(text: &str) -> Result<MeshConfig, (Pos, String)> {
    let arena = bumpalo::Bump::new();
    let doc = parse_documents(text, &arena)
        .into_iter()
        .next()
        .ok_or_else(|| (Pos::default(), "empty mesh config".to_owned()))?;
    match doc.root {
        Err(e) => Err((e.pos, e.message)),
        Ok(None) => Ok(MeshConfig::default()),
        Ok(Some(node)) => {
            let m: MeshConfig =
                decode(&node, true).map_err(|e| (e.pos, format!("mesh config {e}")))?;
            match mesh_config_violations(&m).into_iter().next() {
                None => Ok(m),
                Some((field, message)) => Err((
                    node.entry(field).map_or(node.pos, |e| e.key.pos),
                    format!(
                        "{message}: istiod does not apply this mesh config (it keeps the last valid one, or its defaults when it starts with this one); meshlint uses the defaults"
                    ),
                )),
            }
        }
    }
}

/// `--mesh-config FILE`: MeshConfig YAML, or a ConfigMap whose `data.mesh` holds it.
///
/// Errors: [`Error::Usage`] naming the file when it cannot be read or decoded.
pub fn read_file(path: &Path) -> Result<MeshConfig, Error> {
    let bad =
        |message: String| Error::Usage(format!("--mesh-config {}: {message}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(files::io_reason(&e)))?;
    let arena = bumpalo::Bump::new();
    let node = parse_documents(&text, &arena)
        .into_iter()
        .next()
        .and_then(|d| d.root.map_err(|e| bad(e.to_string())).transpose())
        .transpose()?;
    let Some(node) = node else {
        return Ok(MeshConfig::default());
    };
    match node
        .get("data")
        .and_then(|d| d.get("mesh"))
        .and_then(|m| m.as_str())
    {
        Some(inner) => parse(inner).map_err(|(pos, msg)| bad(format!("{pos}: {msg}"))),
        None => {
            let m: MeshConfig = decode(&node, true).map_err(|e| bad(format!("{}: {e}", e.pos)))?;
            match mesh_config_violations(&m).into_iter().next() {
                None => Ok(m),
                Some((_, message)) => Err(bad(message)),
            }
        }
    }
}

/// A ProxyConfig in YAML or JSON: the value of a workload's `proxy.istio.io/config` annotation.
///
/// Errors: the decoder's message (the annotation has no file position of its own).
pub fn parse_proxy_config(text: &str) -> Result<ProxyConfig, String> {
    let arena = bumpalo::Bump::new();
    let doc = parse_documents(text, &arena)
        .into_iter()
        .next()
        .ok_or_else(|| "empty ProxyConfig".to_owned())?;
    match doc.root {
        Err(e) => Err(e.message),
        Ok(None) => Ok(ProxyConfig::default()),
        Ok(Some(node)) => decode(&node, true).map_err(|e| format!("ProxyConfig {e}")),
    }
}
