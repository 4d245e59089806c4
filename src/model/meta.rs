//! Object metadata, the fields meshlint reads: name, namespace, labels, annotations, and what
//! tells an object read back from a cluster (uid, creation time, owners). The rest of
//! `metadata` (managed fields, finalizers, …) is skipped ([`lenient_struct`]).

use std::collections::BTreeMap;

use super::labels::Labels;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{OwnerReference, Time};

use super::lenient::lenient_struct;

lenient_struct! {
    /// `metadata` of an object or a pod template.
    ObjectMeta as "ObjectMeta" {
        name: Option<String> = "name",
        namespace: Option<String> = "namespace",
        labels: Option<Labels> = "labels",
        annotations: Option<BTreeMap<String, String>> = "annotations",
        /// Set by the API server: the object exists.
        uid: Option<String> = "uid",
        /// Set by the API server; orders policies oldest first.
        creation_timestamp: Option<Time> = "creationTimestamp",
        owner_references: Option<Vec<OwnerReference>> = "ownerReferences",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lenient::decode_text;

    #[test]
    fn reads_identity_labels_and_cluster_fields_and_skips_the_rest() {
        let m = decode_text::<ObjectMeta>("name: web\nnamespace: prod\nlabels: {app: web}\nannotations: {a: b}\nuid: u-1\ncreationTimestamp: \"2024-01-02T03:04:05Z\"\nownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: r, controller: true}]\nfinalizers: 3\nmanagedFields: {x: y}\n").unwrap();
        assert_eq!(
            (m.name.as_deref(), m.namespace.as_deref()),
            (Some("web"), Some("prod"))
        );
        assert_eq!(m.labels.unwrap().get("app"), Some("web"));
        assert_eq!(m.annotations.unwrap()["a"], "b");
        assert_eq!(m.uid.as_deref(), Some("u-1"));
        assert_eq!(
            m.creation_timestamp.unwrap().0.to_string(),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(m.owner_references.unwrap()[0].name, "web-1");
    }

    #[test]
    fn a_wrong_type_in_a_field_read_is_an_error_and_the_last_key_wins() {
        let e = decode_text::<ObjectMeta>("name: web\nlabels: [app]\n").unwrap_err();
        assert!(e.starts_with("labels: invalid type: sequence"), "{e}");
        let m = decode_text::<ObjectMeta>("name: a\nname: b\nlabels: null\n").unwrap();
        assert_eq!((m.name.as_deref(), m.labels), (Some("b"), None));
    }
}
