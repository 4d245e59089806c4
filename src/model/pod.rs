//! The part of a pod spec that meshlint reads: containers (name, image, ports, args, restart
//! policy, the ports of their probes), the service account, `hostNetwork` and `nodeName`.
//!
//! Why not k8s-openapi's `PodSpec`: it has every field of the API (1.4 KB inline, 2.1 KB per
//! `Container`), and a Deployment held about 5 KB of mostly empty fields; on the SPEC §9
//! corpus the pod templates were a sixth of the heap (issue 14, heaptrack). These types decode
//! the way k8s-openapi's do ([`lenient_struct`]).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::lenient::lenient_struct;
use super::meta::ObjectMeta;

lenient_struct! {
    /// A pod template: the pod's metadata and spec.
    PodTemplateSpec as "PodTemplateSpec" {
        metadata: Option<ObjectMeta> = "metadata",
        spec: Option<PodSpec> = "spec",
    }
}

lenient_struct! {
    /// A Pod's `spec`, the fields meshlint reads.
    PodSpec as "PodSpec" {
        containers: Vec<Container> = "containers",
        /// Native sidecars stand here with `restartPolicy: Always`.
        init_containers: Option<Vec<Container>> = "initContainers",
        service_account_name: Option<String> = "serviceAccountName",
        /// The deprecated alias of `serviceAccountName`.
        service_account: Option<String> = "serviceAccount",
        /// Set once the pod is scheduled.
        node_name: Option<String> = "nodeName",
        host_network: Option<bool> = "hostNetwork",
    }
}

lenient_struct! {
    /// One container of a pod.
    Container as "Container" {
        name: String = "name",
        image: Option<String> = "image",
        args: Option<Vec<String>> = "args",
        ports: Option<Vec<ContainerPort>> = "ports",
        /// `Always` on an init container makes it a native sidecar.
        restart_policy: Option<String> = "restartPolicy",
        liveness_probe: Option<Box<Probe>> = "livenessProbe",
        readiness_probe: Option<Box<Probe>> = "readinessProbe",
        startup_probe: Option<Box<Probe>> = "startupProbe",
    }
}

lenient_struct! {
    /// A container probe: its network action, if any (else `exec`).
    Probe as "Probe" {
        http_get: Option<HTTPGetAction> = "httpGet",
        tcp_socket: Option<TCPSocketAction> = "tcpSocket",
        grpc: Option<GRPCAction> = "grpc",
    }
}

lenient_struct! {
    /// An HTTP probe: the path and the port (a number or a container port's name).
    HTTPGetAction as "HTTPGetAction" {
        path: Option<String> = "path",
        port: IntOrString = "port",
    }
}

lenient_struct! {
    /// A TCP probe's port (a number or a container port's name).
    TCPSocketAction as "TCPSocketAction" {
        port: IntOrString = "port",
    }
}

lenient_struct! {
    /// A gRPC probe's port.
    GRPCAction as "GRPCAction" {
        port: i32 = "port",
    }
}

lenient_struct! {
    /// A port a container declares.
    ContainerPort as "ContainerPort" {
        container_port: i32 = "containerPort",
        name: Option<String> = "name",
        /// `TCP` when unset.
        protocol: Option<String> = "protocol",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lenient::decode_text;

    fn pod(text: &str) -> Result<PodSpec, String> {
        decode_text(text)
    }

    #[test]
    fn reads_the_fields_meshlint_uses_and_skips_the_rest() {
        let spec = pod("containers:\n- name: app\n  image: app:1\n  resources: {limits: {cpu: 1}}\n  ports: [{containerPort: 8080, name: http, hostPort: 1}]\ninitContainers:\n- {name: istio-proxy, restartPolicy: Always, args: [proxy, sidecar]}\nserviceAccountName: sa\nhostNetwork: true\nnodeName: n1\nrestartPolicy: Never\n").unwrap();
        assert_eq!(spec.containers[0].name, "app");
        assert_eq!(spec.containers[0].image.as_deref(), Some("app:1"));
        let port = &spec.containers[0].ports.as_ref().unwrap()[0];
        assert_eq!(
            (port.container_port, port.name.as_deref()),
            (8080, Some("http"))
        );
        let init = &spec.init_containers.as_ref().unwrap()[0];
        assert_eq!(init.restart_policy.as_deref(), Some("Always"));
        assert_eq!(init.args.as_ref().unwrap(), &["proxy", "sidecar"]);
        assert_eq!(spec.service_account_name.as_deref(), Some("sa"));
        assert_eq!(
            (spec.host_network, spec.node_name.as_deref()),
            (Some(true), Some("n1"))
        );
        let spec = pod("containers:\n- name: app\n  livenessProbe: {httpGet: {path: /ok, port: http}}\n  readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5}\n  startupProbe: {grpc: {port: 9090}}\n").unwrap();
        let c = &spec.containers[0];
        let http = c
            .liveness_probe
            .as_ref()
            .unwrap()
            .http_get
            .as_ref()
            .unwrap();
        assert_eq!(
            (http.path.as_deref(), &http.port),
            (Some("/ok"), &IntOrString::String("http".into()))
        );
        let tcp = c
            .readiness_probe
            .as_ref()
            .unwrap()
            .tcp_socket
            .as_ref()
            .unwrap();
        assert_eq!(tcp.port, IntOrString::Int(80));
        assert_eq!(
            c.startup_probe
                .as_ref()
                .unwrap()
                .grpc
                .as_ref()
                .unwrap()
                .port,
            9090
        );
    }

    /// As k8s-openapi decodes: `null` and missing fields default, also required ones; a
    /// repeated key keeps its last value.
    #[test]
    fn null_and_missing_fields_default_and_the_last_key_wins() {
        let spec = pod("containers: null\nserviceAccountName: a\nserviceAccountName: b\n").unwrap();
        assert!(spec.containers.is_empty());
        assert_eq!(spec.service_account_name.as_deref(), Some("b"));
        let spec = pod("containers:\n- {ports: [{name: http}], image: null}\n").unwrap();
        assert_eq!(spec.containers[0].name, "");
        assert_eq!(
            spec.containers[0].ports.as_ref().unwrap()[0].container_port,
            0
        );
        assert_eq!(spec.containers[0].image, None);
    }

    #[test]
    fn a_wrong_type_in_a_field_read_is_an_error_with_its_path() {
        let e = pod("containers:\n- name: app\n  ports: [{containerPort: [1]}]\n").unwrap_err();
        assert!(e.contains("containers[0].ports[0].containerPort"), "{e}");
        assert!(e.contains("invalid type: sequence"), "{e}");
        let e = pod("containers: 3\n").unwrap_err();
        assert!(
            e.contains("containers: invalid type: integer `3`, expected a sequence"),
            "{e}"
        );
    }
}
