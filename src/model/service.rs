//! The part of a Service's `spec` that meshlint reads: the selector, the ports and whether it
//! is headless. k8s-openapi's `ServiceSpec` holds every field of the API (416 bytes inline,
//! 112 per port); these decode the same way ([`lenient_struct`], issue 14).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::labels::Labels;
use super::lenient::lenient_struct;

lenient_struct! {
    /// A Service's `spec`, the fields meshlint reads.
    ServiceSpec as "ServiceSpec" {
        /// `matchLabels` semantics; absent or empty selects no pods (a Service without a
        /// selector has manually managed endpoints).
        selector: Option<Labels> = "selector",
        ports: Option<Vec<ServicePort>> = "ports",
        /// `None` makes the Service headless.
        cluster_ip: Option<String> = "clusterIP",
    }
}

lenient_struct! {
    /// One port of a Service.
    ServicePort as "ServicePort" {
        name: Option<String> = "name",
        port: i32 = "port",
        /// `TCP` when unset.
        protocol: Option<String> = "protocol",
        app_protocol: Option<String> = "appProtocol",
        /// A number or a container port's name; the port itself when unset.
        target_port: Option<IntOrString> = "targetPort",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lenient::decode_text;

    #[test]
    fn reads_selector_ports_and_cluster_ip_and_skips_the_rest() {
        let text = "type: ClusterIP\nclusterIP: None\nselector: {app: web}\nsessionAffinity: None\nports:\n- {name: http, port: 80, targetPort: http, protocol: TCP, appProtocol: http, nodePort: 30080}\n- {port: 9090, targetPort: 9091}\n";
        let spec: ServiceSpec = decode_text(text).unwrap();
        assert_eq!(spec.cluster_ip.as_deref(), Some("None"));
        assert_eq!(spec.selector.unwrap().get("app"), Some("web"));
        let ports = spec.ports.unwrap();
        assert_eq!(ports[0].name.as_deref(), Some("http"));
        assert_eq!(
            ports[0].target_port,
            Some(IntOrString::String("http".into()))
        );
        assert_eq!(ports[0].app_protocol.as_deref(), Some("http"));
        assert_eq!(
            (ports[1].port, ports[1].target_port.clone()),
            (9090, Some(IntOrString::Int(9091)))
        );
    }
}
