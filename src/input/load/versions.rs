//! Two versions of the inputs loaded together (`meshlint diff`): a file the two hold with the
//! same bytes is parsed once, and its objects are copied under the other version's file name,
//! so comparing a change costs about one parse of the mesh, not two.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{FileResult, LoadOptions, Loaded, Raw, assemble, parse, read_all};
use crate::error::Error;
use crate::input::files::InputSource;

/// Two versions of the inputs, each given with a key that pairs its files (the path inside
/// the version). The head is read as [`load`] reads it; a base file holding the same bytes as
/// the head file of its key is not parsed again: the head's objects are copied and given the
/// base file's name. The result is what [`load`] gives for each side.
pub fn load_versions(
    base: &[(InputSource, String)],
    head: &[(InputSource, String)],
    opts: &LoadOptions,
) -> Result<(Loaded, Loaded), Error> {
    let strip = |v: &[(InputSource, String)]| -> (Vec<InputSource>, Vec<String>) {
        v.iter().cloned().unzip()
    };
    let ((base_sources, base_keys), (head_sources, head_keys)) = (strip(base), strip(head));
    let (base_raw, head_raw) = (read_all(&base_sources)?, read_all(&head_sources)?);
    let size = |r: &[Raw]| r.iter().map(|(_, b)| b.len()).sum::<usize>();
    let (base_bytes, head_bytes) = (size(&base_raw), size(&head_raw));
    let head_files: Vec<(Arc<str>, Option<FileResult>, Vec<u8>)> = head_raw
        .into_par_iter()
        .map(|(name, raw)| {
            let result = parse(&name, raw.clone(), opts);
            (name, result, raw)
        })
        .collect();
    let by_key: HashMap<&str, usize> = head_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let base_files: Vec<(Arc<str>, Option<FileResult>)> = base_raw
        .into_par_iter()
        .zip(base_keys.par_iter())
        .map(|((name, raw), key)| {
            let same = by_key
                .get(key.as_str())
                .map(|&i| &head_files[i])
                .filter(|(_, _, head_raw)| *head_raw == raw);
            let result = match same {
                Some((_, result, _)) => result.as_ref().map(|r| renamed(r, &name)),
                None => parse(&name, raw, opts),
            };
            (name, result)
        })
        .collect();
    let head_files = head_files.into_iter().map(|(n, r, _)| (n, r)).collect();
    Ok((
        assemble(base_files, base_bytes),
        assemble(head_files, head_bytes),
    ))
}

/// A copy of another file's result under `name`.
fn renamed(r: &FileResult, name: &Arc<str>) -> FileResult {
    let (mut objects, mut issues, skipped) = r.clone();
    for o in &mut objects {
        o.origin.file = name.clone();
    }
    for i in &mut issues {
        i.location.file = name.clone();
        if let Some(rel) = &mut i.related {
            rel.file = name.clone();
        }
    }
    (objects, issues, skipped)
}
