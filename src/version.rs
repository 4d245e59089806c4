//! Istio versions and the one table of version-dependent behaviour.
//!
//! Every difference between Istio releases that meshlint models is one [`Behaviour`] with the
//! release it starts in and, where it ended, the first release without it. Code asks
//! `profile.has(Behaviour::X)`; nowhere else compares version numbers. Sources are
//! research/istio-semantics.md (sections given per row) and the Istio paths cited there.

use std::fmt;
use std::str::FromStr;

/// An Istio release: a minor release such as 1.5 or 0.3, or one patch of it such as 1.30.2.
///
/// A version written without a patch (`1.30`) stands for the newest patch of that minor release,
/// which is what release notes describe and what a maintained mesh runs; give the patch
/// (`1.30.1`) where a patch release changed behaviour (the rows of [`TABLE`] with a patch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IstioVersion {
    pub major: u16,
    pub minor: u16,
    /// The patch release; [`IstioVersion::ANY_PATCH`] when not given (the newest patch).
    pub patch: u16,
}

const fn v(major: u16, minor: u16) -> IstioVersion {
    IstioVersion {
        major,
        minor,
        patch: 0,
    }
}

/// A patch release, for rows that start in one (`vp(1, 30, 2)`).
const fn vp(major: u16, minor: u16, patch: u16) -> IstioVersion {
    IstioVersion {
        major,
        minor,
        patch,
    }
}

impl IstioVersion {
    /// The patch of a version given without one: sorts after every real patch of its minor.
    pub const ANY_PATCH: u16 = u16::MAX;
    /// The newest Istio release meshlint covers; what `latest` and the default mean.
    pub const LATEST: IstioVersion = IstioVersion {
        major: 1,
        minor: 31,
        patch: Self::ANY_PATCH,
    };
    /// The newest version with rows in the table: Istio's development branch (master at
    /// istio/istio 86c9f01, 2026-08-22, the commit of ../shared/acceptance), released as 1.32.
    /// Versions after [`IstioVersion::LATEST`] run with every row and a warning
    /// ([`Profile::warning`]).
    pub const DEVELOPMENT: IstioVersion = IstioVersion {
        major: 1,
        minor: 32,
        patch: Self::ANY_PATCH,
    };
    /// The oldest release covered (Istio 0.3, mesh `authPolicy` and `auth.istio.io` annotations).
    pub const OLDEST: IstioVersion = v(0, 3);

    /// Reads a version from an image tag or `--istio-version`: `1.5`, `1.5.2`, `v1.20.3-distroless`,
    /// `1.30.2-distroless`, `release-1.4`, `latest`. A pre-release of a patch (`1.30.1-rc.1`,
    /// `-beta.1`, `-alpha.2`) counts as the patch before it (`1.30.0`).
    pub fn parse_loose(text: &str) -> Option<IstioVersion> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("latest") {
            return Some(Self::LATEST);
        }
        let t = t
            .trim_start_matches("release-")
            .trim_start_matches(['v', 'V']);
        let (numbers, suffix) = match t.find(['-', '_', '+']) {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => (t, ""),
        };
        let mut parts = numbers.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let pre_release = ["alpha", "beta", "rc"]
            .iter()
            .any(|p| suffix.starts_with(p));
        // A pre-release of a patch (`1.30.1-rc.1`) comes before it: it counts as the patch
        // before (1.30.0), without that patch's fixes.
        let patch = match parts.next().and_then(|p| p.parse::<u16>().ok()) {
            Some(p) if pre_release => Some(p.saturating_sub(1)),
            Some(p) => Some(p).filter(|p| *p != Self::ANY_PATCH),
            None => None,
        };
        Some(IstioVersion {
            major,
            minor,
            patch: patch.unwrap_or(Self::ANY_PATCH),
        })
    }

    /// The minor release alone (`1.30.2` → `1.30`, the newest patch).
    pub fn minor_release(self) -> IstioVersion {
        IstioVersion {
            patch: Self::ANY_PATCH,
            ..self
        }
    }

    /// Whether the patch was given.
    pub fn has_patch(self) -> bool {
        self.patch != Self::ANY_PATCH
    }
}

impl fmt::Display for IstioVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.has_patch() {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

impl FromStr for IstioVersion {
    type Err = String;

    /// Any version from [`IstioVersion::OLDEST`] on: one newer than the table runs with its
    /// newest rows and a warning ([`Profile::warning`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = IstioVersion::parse_loose(s).ok_or_else(|| {
            format!("`{s}` is not an Istio version (expected e.g. 1.5, 1.30.2, 0.3 or latest)")
        })?;
        if parsed < IstioVersion::OLDEST {
            return Err(format!(
                "Istio {parsed} is older than the oldest release meshlint covers ({})",
                IstioVersion::OLDEST
            ));
        }
        Ok(parsed)
    }
}

/// A behaviour that exists in some Istio releases and not others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Behaviour {
    /// Service annotation `auth.istio.io/<port>` overrides mesh `authPolicy` (§1).
    LegacyAnnotations,
    /// Mesh config `authPolicy: MUTUAL_TLS` decides the server mode when nothing else does (§1).
    MeshAuthPolicy,
    /// `mtlsExcludedServices` consulted by clients (the pre-0.8 v1 path, §1).
    MtlsExcludedServices,
    /// No DestinationRule + mesh `authPolicy: MUTUAL_TLS` → clients send ISTIO_MUTUAL (0.8–1.0, §1).
    MeshAuthPolicyClientMtls,
    /// authentication.istio.io/v1alpha1 Policy is served (§2).
    V1alpha1Policy,
    /// MeshPolicy is served (§2.3).
    MeshPolicy,
    /// v1alpha1 ties at one level go to the oldest policy; before, the order is arbitrary (§2.3).
    V1alpha1OldestWins,
    /// rbac.istio.io/v1alpha1 is served (research/authz-semantics.md §13).
    RbacV1alpha1,
    /// security.istio.io/v1beta1 AuthorizationPolicy (authz-semantics §2).
    AuthorizationPolicy,
    /// PeerAuthentication and RequestAuthentication (§3).
    PeerAuthentication,
    /// security.istio.io/v1 is served for PeerAuthentication (istio/istio 1.22.0
    /// manifests/charts/base/crds/crd-all.gen.yaml).
    SecurityV1,
    /// security.istio.io/v1 is served for AuthorizationPolicy and RequestAuthentication
    /// (istio/istio 1.17.0 manifests/charts/base/crds/crd-all.gen.yaml; 1.16.0 has v1beta1 only).
    SecurityV1AuthzRequestAuthn,
    /// networking.istio.io/v1beta1 is served.
    NetworkingV1beta1,
    /// networking.istio.io/v1 is served.
    NetworkingV1,
    /// Nothing configured at all means PERMISSIVE (before: plaintext only) (§2.3).
    PermissiveByDefault,
    /// `enableAutoMtls` exists (§5).
    AutoMtlsAvailable,
    /// Auto mTLS is on unless mesh config turns it off (§5: 1.5 installs, 1.6 code default).
    AutoMtlsDefault,
    /// Auto mTLS infers the service mode from namespace/mesh PeerAuthentication only (§5, 1.6+).
    WorkloadPeerAuthIgnoredByClients,
    /// Headless services: one endpoint without sidecar makes clients send plaintext to all (§5).
    HeadlessAllOrNothing,
    /// DestinationRules are looked up per namespace (client, service, root); before, all are global (§4).
    DrLookupByNamespace,
    /// httpGet probes are rewritten by default (§7).
    ProbeRewriteDefault,
    /// tcpSocket probes are rewritten (§7).
    TcpProbeRewrite,
    /// gRPC probes are rewritten (§7).
    GrpcProbeRewrite,
    /// Pod label `sidecar.istio.io/inject=true` injects in an unlabeled namespace (§10).
    InjectByPodLabel,
    /// `istio.io/rev` namespace label selects a revision (§10).
    RevisionLabels,
    /// Service `appProtocol` decides the protocol (§8).
    AppProtocol,
    /// Ambient mode (§9).
    Ambient,
    /// Auto mTLS on a headless (ORIGINAL_DST) cluster keeps the ISTIO_MUTUAL context as a plain
    /// transport socket, so every endpoint gets Istio mTLS whether it has a sidecar or not
    /// (1.5.0/1.6.0 `pilot/pkg/networking/core/v1alpha3/cluster.go` applyUpstreamTLSSettings
    /// "Apply auto mtls to clusters excluding these kind of headless service"; 1.7.0 skips auto
    /// mTLS for ORIGINAL_DST; istio/istio#21964, #23673).
    HeadlessAutoMtlsToAll,
    /// `portLevelMtls` applies to any container port; before, only to ports some Service port
    /// targets (other ports take the passthrough chain with the workload mode). Istio 1.9 upgrade
    /// notes: "Previously the PeerAuthentication per-port-level configuration is ignored if the
    /// port number is not defined in a service" (istio/istio#27994).
    PortLevelMtlsAnyPort,
    /// Mesh config `pathNormalization` exists (istio/api 1.10.0 `mesh/v1alpha1/config.proto`);
    /// before, paths are normalized as BASE.
    PathNormalizationOption,
    /// `remoteIpBlocks`/`notRemoteIpBlocks` and the `remote.ip` key exist: Envoy RBAC `remote_ip`,
    /// the client address taken from X-Forwarded-For (istio/api d35a65ac, first in 1.8.0;
    /// istio/istio 9b9710fb #27906 `pilot/pkg/security/authz/model/generator.go`
    /// remoteIPGenerator).
    RemoteIpAttribute,
    /// The sidecar captures only the declared `containerPort`s, so traffic to another port
    /// bypasses it (the injector's `-b` list: istio/istio 0.8.0/1.0.0
    /// `sidecar-injector-configmap.yaml`, 1.2.0 `injection-template.yaml` `includeInboundPorts
    /// .Spec.Containers`; from 1.3.0 `*`, every port).
    CaptureDeclaredPortsOnly,
    /// The sidecar injection webhook (namespace label `istio-injection`) exists; before it, pods
    /// got a proxy only from `istioctl kube-inject` (or 0.4's alpha initializer).
    InjectionWebhook,
    /// ztunnel ORs the matches of one from/to/when clause and skips empty ones; 1.18's ztunnel
    /// ANDed them, so one L4-empty entry made the whole clause fail (istio/ztunnel#495,
    /// `src/rbac.rs`; /work/notes research-issue12 Q1).
    ZtunnelClauseOr,
    /// The injector adds `security.istio.io/tlsMode: istio` to injected pods (1.4.0
    /// `pkg/kube/inject/webhook.go`).
    InjectedTlsModeLabel,
    /// The injector adds `service.istio.io/canonical-name` and `canonical-revision` (1.5.0
    /// `pkg/kube/inject/webhook.go`).
    InjectedCanonicalLabels,
    /// The injector adds the label `istio.io/rev` (1.6.0 `webhook.go`, removed in 1.11.0,
    /// istio/istio#33447).
    InjectedRevisionLabel,
    // --- API fields, by the first release whose CRD has them (issue 10). A field newer than
    // the release is unknown to its CRD: strict field validation rejects
    // the object, or pruning drops the field (KEP-2885, KEP-2332). Paths: istio/api `release-1.X` protos, istio/istio
    // `manifests/charts/base/files/crd-all.gen.yaml` per tag.
    /// AuthorizationPolicy / RequestAuthentication `spec.targetRef` (istio/api release-1.20
    /// `security/v1beta1/authorization_policy.proto`, `type/v1beta1/selector.proto`
    /// PolicyTargetReference).
    PolicyTargetRef,
    /// `spec.targetRefs[]` (istio/api release-1.22 authorization_policy.proto, #3159).
    PolicyTargetRefs,
    /// A policy may target core `Service` (1.20–1.21: only Gateway; istio/istio 1.22.0
    /// `pkg/config/validation/validation.go` allowedTargetRefs).
    TargetRefService,
    /// A policy may target `networking.istio.io/ServiceEntry` (istio/istio 1.24.0
    /// validation.go allowedTargetRefs; CRD CEL of 1.24.0).
    TargetRefServiceEntry,
    /// A policy may target `gateway.networking.k8s.io/GatewayClass` (istio/istio 1.25.0
    /// validation.go; releasenotes/notes/54780.yaml).
    TargetRefGatewayClass,
    /// The CRD's CEL and limits on selectors, targetRefs and JWT rules (label values ≤ 63
    /// characters, no `*`, `jwks` xor `jwksUri`, `jwksUri` ≤ 2048, `timeout` ≥ 1ms): istio/api
    /// release-1.23 `type/v1beta1/selector.proto` and `request_authentication.proto`
    /// `+kubebuilder:validation` annotations.
    CrdCelValidation,
    /// `targetRefs` maxItems 16 (istio/api release-1.24 authorization_policy.proto).
    TargetRefsLimit,
    /// `source.serviceAccounts` / `notServiceAccounts` and the `when` key
    /// `source.serviceAccount` (istio/api release-1.25 authorization_policy.proto:476,486,
    /// #3340; istio/istio release-1.25 `pkg/config/security/security.go` attrSrcServiceAccount),
    /// with `rules` and `from` maxItems 512.
    AuthzServiceAccounts,
    /// `source.trustDomains` / `notTrustDomains` are in the CRD and `source.trustDomain` is a
    /// known `when` key (istio/istio 1.30.0 crd-all.gen.yaml; `pkg/config/security/security.go`).
    AuthzTrustDomainFields,
    /// Trust domains are validated and enforced; before 1.30.2 the authz model ignored the
    /// fields and skipped `when: source.trustDomain` rules as invalid (istio/istio 1.30.2
    /// releasenotes/notes/add-trust-domains-to-authz-policy.yaml, commit 71500c473b8;
    /// 1.30.0 `pilot/pkg/security/authz/builder/builder.go` "skipped invalid rule").
    AuthzTrustDomains,
    /// RequestAuthentication `outputClaimToHeaders` (istio/api release-1.17 jwt.proto:165).
    JwtOutputClaimToHeaders,
    /// `fromCookies` (istio/api release-1.21 jwt.proto:159).
    JwtFromCookies,
    /// `timeout` of the JWKS fetch (istio/api release-1.22 jwt.proto:183).
    JwtTimeout,
    /// `issuer` may be left out when `jwksUri` is set (istio/istio release-1.27
    /// releasenotes/notes/14400-optional-jwt-issuer.yaml; CRD `required: [issuer]` until 1.26).
    JwtIssuerOptional,
    /// `spaceDelimitedClaims` (istio/api release-1.28 request_authentication.proto:488, #3547).
    JwtSpaceDelimitedClaims,
    /// `presence: OPTIONAL|REQUIRED` (istio/istio master 86c9f01 crd-all.gen.yaml; not in
    /// release-1.31).
    JwtPresence,
    /// DestinationRule `proxyProtocol`, connection pool `tcp.idleTimeout` and
    /// `http.maxConcurrentStreams` (istio/api release-1.21 destination_rule.proto:383,772,827).
    DrProxyProtocol,
    /// `tls.caCrl` in DestinationRule, Gateway and Sidecar TLS (istio/api release-1.22
    /// destination_rule.proto:906, gateway.proto:461).
    TlsCaCrl,
    /// `loadBalancer.warmup` (istio/api release-1.24 destination_rule.proto:523).
    DrWarmup,
    /// `trafficPolicy.retryBudget` (istio/api release-1.27 destination_rule.proto:309).
    DrRetryBudget,
    /// `consistentHash.httpCookie.attributes` (istio/api release-1.28 destination_rule.proto:495).
    DrCookieAttributes,
    /// `retryBudget.budgetInterval`, `http.http2KeepAlive`, `loadBalancer.zoneAwareLbSetting`,
    /// `outlierDetection.outlierDetectionHttpErrorCodes` (istio/api release-1.31
    /// destination_rule.proto:320,743,562,887).
    Dr131Fields,
    /// `loadBalancer.backendUtilization` (istio/istio master 86c9f01 crd-all.gen.yaml).
    DrBackendUtilization,
    /// Sidecar `inboundConnectionPool` and `ingress[].connectionPool` (istio/api release-1.20
    /// sidecar.proto:632).
    SidecarConnectionPool,
    /// Server TLS `credentialNames` and `tlsCertificates` (istio/api release-1.26
    /// gateway.proto:481,504).
    TlsCredentialNames,
    /// Server TLS `caCertCredentialName` (istio/api release-1.28 gateway.proto:485).
    TlsCaCertCredentialName,
    /// Server TLS `insecureSkipVerify` (istio/api release-1.31 gateway.proto:589).
    ServerTlsInsecureSkipVerify,
    /// Server TLS `ecdhCurves` (istio/istio master 86c9f01 crd-all.gen.yaml).
    TlsEcdhCurves,
    /// DestinationRule warmup `aggression` may be below 1 (but not below 0); before, the
    /// webhook rejected it (istio/istio release-1.31 releasenotes/notes/60611.yaml).
    WarmupAggressionBelowOne,
    /// Sidecars and gateways send HBONE to ambient pods when istiod runs ambient (istio/istio
    /// 1.22.0 pilot/pkg/features/ambient.go:32-35 PILOT_ENABLE_SENDING_HBONE,
    /// pilot/pkg/xds/endpoints/endpoint_builder.go:645-651); 1.18–1.21 needed
    /// PILOT_ENABLE_HBONE and per-proxy ISTIO_META_ENABLE_HBONE (1.18.0 model/context.go:1235).
    SidecarHboneToAmbient,
    /// An explicit ISTIO_MUTUAL no longer keeps legacy mTLS to an ambient pod: HBONE instead
    /// (istio/istio #54914, commit 519e2fc2c87, in 1.25.1 and 1.26.0).
    HboneDespiteIstioMutual,
    /// An `istio-proxy` container under `initContainers` with `restartPolicy: Always` is the
    /// sidecar (native sidecars: istio/istio 1.19.0 injection-template.yaml:188-197,
    /// ENABLE_NATIVE_SIDECARS; default `auto` from 1.27.0 pilot/pkg/features/pilot.go:306-322).
    NativeSidecars,
    /// istiod can enforce several CUSTOM providers on one workload when
    /// PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS is set (default false; istio/istio 1.30.0
    /// pilot/pkg/features/security.go:97-102, releasenotes/notes/58082.yaml).
    MultipleCustomProvidersFlag,
    /// istiod quotes `serviceAccounts` values in the regex it builds; before, `.` and other
    /// metacharacters in them matched as regex (ISTIO-SECURITY-2026-003, CVE-2026-39350;
    /// istio/istio 1.29.2 pilot/pkg/security/authz/model/generator.go serviceAccountRegex,
    /// releasenotes/notes/59700.yaml; fixed in 1.27.9, 1.28.6, 1.29.2, 1.30.0).
    ServiceAccountRegexEscaped,
    /// istiod quotes `*suffix` principals and `namespaces` values in its regexes; before, they
    /// were raw regex text (istio/istio 1.29.3 pilot/pkg/security/authz/matcher/string.go
    /// StringMatcherWithPrefix, model/generator.go srcNamespaceGenerator,
    /// releasenotes/notes/59992.yaml; fixed in 1.28.7, 1.29.3, 1.30.0; no 1.27 fix).
    PrincipalRegexEscaped,
    /// Gateway port number 0 without a unix bind, and `targetPort` on Gateway servers and
    /// Sidecar listeners, are refused (istio/istio 1.20.0 pkg/config/validation/validation.go
    /// validateServerPort; before, only numbers above 0 were checked).
    GatewayPortChecks,
    /// Server TLS OPTIONAL_MUTUAL needs certificates like MUTUAL (istio/istio 1.19.0
    /// validation.go validateTLSOptions).
    OptionalMutualChecks,
    /// Sidecar egress hosts may exclude a namespace with `~ns/` (istio/istio 1.31.0
    /// pkg/config/validation/agent/validation.go ValidateNamespaceSlashWildcardHostname).
    SidecarNamespaceExclusion,
    /// A DestinationRule tcp `idleTimeout` under 1ms (`0s`) means "disabled" and is accepted
    /// (istio/istio 1.26.0 pkg/config/validation/validation.go validateConnectionPool).
    DrTcpIdleTimeoutZero,
    /// `retryBudget` counts as a traffic policy field for "traffic policy must have at least
    /// one field" (istio/istio 1.28.0 validation.go validateTrafficPolicy; 1.27's CRD had the
    /// field, its webhook did not count it).
    DrRetryBudgetCounts,
    /// DestinationRule TLS `credentialName: configmap://<ns>/<name>` (istio/istio 1.26.0
    /// releasenotes/notes/backend-policies.yaml; agent/validation.go ValidateTLS, #55545).
    ConfigMapCredential,
    /// DestinationRules for one host merge only when their `exportTo` are equal; otherwise each
    /// stays its own entry and a client sees the newest one exported to it
    /// (ENABLE_ENHANCED_DESTINATIONRULE_MERGE, default true: istio/istio 1.24.0
    /// pilot/pkg/features/experimental.go:204, releasenotes/notes/52519.yaml).
    DrMergeByExportTo,
    /// Service label `istio.io/ingress-use-waypoint: "true"` sends a gateway's traffic through
    /// the service's waypoint (istio/istio 1.24.0 pilot/pkg/xds/endpoints/endpoint_builder.go
    /// :339-345, 834-866); without it gateways go straight to the pods.
    IngressUseWaypoint,
    /// The label also on the namespace, case-insensitive (istio/istio 1.25.0
    /// releasenotes/notes/ingress-use-waypoint-namespace.yaml).
    IngressUseWaypointNamespace,
    /// The label's value read as a Go bool (istio/istio 1.30.0
    /// pilot/pkg/serviceregistry/ambient/services.go:770-787).
    IngressUseWaypointParseBool,
}

/// One row of the table: the behaviour holds for `since <= v < until`.
#[derive(Debug)]
pub struct Row {
    pub behaviour: Behaviour,
    pub since: IstioVersion,
    pub until: Option<IstioVersion>,
    /// Where this comes from (research note section and Istio source).
    pub source: &'static str,
}

macro_rules! table {
    ($($b:ident: $s:expr, $u:expr, $src:literal;)*) => {
        /// The version table. Add a row here rather than comparing versions elsewhere.
        pub const TABLE: &[Row] = &[$(Row { behaviour: Behaviour::$b, since: $s, until: $u, source: $src },)*];
    };
}

table! {
    LegacyAnnotations: v(0, 3), Some(v(1, 0)), "istio-semantics §1; kube conversion.go extractAuthenticationPolicy 0.5.0";
    MeshAuthPolicy: v(0, 3), Some(v(1, 1)), "istio-semantics §1; legacyAuthenticationPolicyToPolicy 1.0.0";
    MtlsExcludedServices: v(0, 3), Some(v(0, 8)), "istio-semantics §1; pilot/pkg/proxy/envoy/policy.go applyClusterPolicy";
    MeshAuthPolicyClientMtls: v(0, 8), Some(v(1, 1)), "istio-semantics §1; v1alpha3/cluster.go 0.8.0";
    V1alpha1Policy: v(0, 8), Some(v(1, 6)), "istio-semantics §2; authn v1alpha1 applier removed in 1.6.0";
    MeshPolicy: v(1, 0), Some(v(1, 6)), "istio-semantics §2.3";
    V1alpha1OldestWins: v(1, 4), Some(v(1, 6)), "istio-semantics §2.3; sortConfigByCreationTime, model/push_context.go 1.4";
    RbacV1alpha1: v(0, 8), Some(v(1, 6)), "authz-semantics §13";
    AuthorizationPolicy: v(1, 4), None, "authz-semantics §2";
    PeerAuthentication: v(1, 5), None, "istio-semantics §3";
    SecurityV1: v(1, 22), None, "istio/istio 1.22.0 manifests/charts/base/crds/crd-all.gen.yaml (PeerAuthentication v1)";
    SecurityV1AuthzRequestAuthn: v(1, 17), None, "istio/istio 1.17.0 manifests/charts/base/crds/crd-all.gen.yaml (AuthorizationPolicy, RequestAuthentication v1)";
    NetworkingV1beta1: v(1, 8), None, "istio/api networking/v1beta1";
    NetworkingV1: v(1, 22), None, "istio/api networking/v1 promoted in 1.22";
    PermissiveByDefault: v(1, 5), None, "istio-semantics §2.3, §3";
    AutoMtlsAvailable: v(1, 4), None, "istio-semantics §5";
    AutoMtlsDefault: v(1, 5), None, "istio-semantics §5; helm values 1.5.0 global.mtls.auto, pkg/config/mesh/mesh.go 1.6";
    WorkloadPeerAuthIgnoredByClients: v(1, 6), None, "istio-semantics §5; BestEffortInferServiceMTLSMode 1.6";
    HeadlessAllOrNothing: v(1, 8), None, "istio-semantics §5";
    DrLookupByNamespace: v(1, 1), None, "istio-semantics §4";
    ProbeRewriteDefault: v(1, 6), None, "istio-semantics §7; manifests/profiles/default.yaml 1.6.0";
    TcpProbeRewrite: v(1, 12), None, "istio-semantics §7; REWRITE_TCP_PROBES";
    GrpcProbeRewrite: v(1, 13), None, "istio-semantics §7; app_probe.go 1.13.0";
    InjectByPodLabel: v(1, 12), None, "istio-semantics §10; mutatingwebhook.yaml objectSelector";
    RevisionLabels: v(1, 6), None, "istio-semantics §10";
    AppProtocol: v(1, 6), None, "istio-semantics §8; ConvertProtocol";
    Ambient: v(1, 18), None, "istio-semantics §9";
    HeadlessAutoMtlsToAll: v(1, 5), Some(v(1, 7)), "istio/istio 1.5.0, 1.6.0 v1alpha3/cluster.go applyUpstreamTLSSettings; 1.7.0 conditionallyConvertToIstioMtls skips ORIGINAL_DST";
    PortLevelMtlsAnyPort: v(1, 9), None, "istio.io 1.9 upgrade notes (PeerAuthentication per-port-level configuration); istio/istio#27994";
    RemoteIpAttribute: v(1, 8), None, "istio/api d35a65ac (#1687) security/v1beta1/authorization_policy.proto remote_ip_blocks; istio/istio 9b9710fb (#27906) authz/model/generator.go";
    PathNormalizationOption: v(1, 10), None, "istio/api 1.10.0 mesh/v1alpha1/config.proto ProxyPathNormalization";
    CaptureDeclaredPortsOnly: v(0, 8), Some(v(1, 3)), "istio/istio 0.8.0-1.2.0 sidecar injector `-b` = declared containerPorts; 1.3.0 injection-template.yaml includeInboundPorts default `*`";
    InjectionWebhook: v(0, 5), None, "istio/istio 0.5.0 pilot/pkg/kube/inject/webhook.go, helm charts/sidecar-injector (namespaceSelector istio-injection: enabled)";
    ZtunnelClauseOr: v(1, 19), None, "istio/ztunnel src/rbac.rs, 'Fix rbac rule matching' #495 (first in 1.19.0)";
    InjectedTlsModeLabel: v(1, 4), None, "istio/istio 1.4.0 pkg/kube/inject/webhook.go (tlsMode label, existing value kept)";
    InjectedCanonicalLabels: v(1, 5), None, "istio/istio 1.5.0 pkg/kube/inject/webhook.go (#20716, #20943); injection-template.yaml from 1.9";
    InjectedRevisionLabel: v(1, 6), Some(v(1, 11)), "istio/istio 1.6.0 pkg/kube/inject/webhook.go; removed by #33447 (1.11.0)";
    PolicyTargetRef: v(1, 20), None, "istio/api release-1.20 security/v1beta1/authorization_policy.proto:487";
    PolicyTargetRefs: v(1, 22), None, "istio/api release-1.22 security/v1beta1/authorization_policy.proto:307";
    TargetRefService: v(1, 22), None, "istio/istio 1.22.0 pkg/config/validation/validation.go allowedTargetRefs";
    TargetRefServiceEntry: v(1, 24), None, "istio/istio 1.24.0 pkg/config/validation/validation.go allowedTargetRefs";
    TargetRefGatewayClass: v(1, 25), None, "istio/istio 1.25.0 pkg/config/validation/validation.go; releasenotes/notes/54780.yaml";
    CrdCelValidation: v(1, 23), None, "istio/api release-1.23 type/v1beta1/selector.proto:36-39,113-130, request_authentication.proto";
    TargetRefsLimit: v(1, 24), None, "istio/api release-1.24 authorization_policy.proto (targetRefs maxItems 16)";
    AuthzServiceAccounts: v(1, 25), None, "istio/api release-1.25 authorization_policy.proto:476,486; istio/istio release-1.25 pkg/config/security/security.go:211";
    AuthzTrustDomainFields: v(1, 30), None, "istio/istio 1.30.0 manifests/charts/base/files/crd-all.gen.yaml; pkg/config/security/security.go:48,215";
    AuthzTrustDomains: vp(1, 30, 2), None, "istio/istio 1.30.2 releasenotes/notes/add-trust-domains-to-authz-policy.yaml (commit 71500c473b8)";
    JwtOutputClaimToHeaders: v(1, 17), None, "istio/api release-1.17 security/v1beta1/jwt.proto:165";
    JwtFromCookies: v(1, 21), None, "istio/api release-1.21 security/v1beta1/jwt.proto:159";
    JwtTimeout: v(1, 22), None, "istio/api release-1.22 security/v1beta1/jwt.proto:183";
    JwtIssuerOptional: v(1, 27), None, "istio/istio release-1.27 releasenotes/notes/14400-optional-jwt-issuer.yaml; pkg/config/validation/validation.go:1649";
    JwtSpaceDelimitedClaims: v(1, 28), None, "istio/api release-1.28 security/v1beta1/request_authentication.proto:488";
    JwtPresence: v(1, 32), None, "istio/istio master 86c9f01 manifests/charts/base/files/crd-all.gen.yaml:18304";
    DrProxyProtocol: v(1, 21), None, "istio/api release-1.21 networking/v1alpha3/destination_rule.proto:383,772,827";
    TlsCaCrl: v(1, 22), None, "istio/api release-1.22 destination_rule.proto:906, gateway.proto:461";
    DrWarmup: v(1, 24), None, "istio/api release-1.24 destination_rule.proto:523; releasenotes/notes/3215.yaml";
    DrRetryBudget: v(1, 27), None, "istio/api release-1.27 destination_rule.proto:309; releasenotes/notes/retry-budget.yaml";
    DrCookieAttributes: v(1, 28), None, "istio/api release-1.28 destination_rule.proto:495";
    Dr131Fields: v(1, 31), None, "istio/api release-1.31 destination_rule.proto:320,562,743,887";
    DrBackendUtilization: v(1, 32), None, "istio/istio master 86c9f01 crd-all.gen.yaml:948";
    SidecarConnectionPool: v(1, 20), None, "istio/api release-1.20 networking/v1alpha3/sidecar.proto:632";
    TlsCredentialNames: v(1, 26), None, "istio/api release-1.26 networking/v1alpha3/gateway.proto:481,504";
    TlsCaCertCredentialName: v(1, 28), None, "istio/api release-1.28 gateway.proto:485";
    ServerTlsInsecureSkipVerify: v(1, 31), None, "istio/api release-1.31 gateway.proto:589";
    TlsEcdhCurves: v(1, 32), None, "istio/istio master 86c9f01 crd-all.gen.yaml";
    SidecarHboneToAmbient: v(1, 22), None, "istio/istio 1.22.0 pilot/pkg/features/ambient.go:32-35; pilot/pkg/xds/endpoints/endpoint_builder.go:645-651";
    HboneDespiteIstioMutual: vp(1, 25, 1), None, "istio/istio commit 519e2fc2c87 (#54914), first in 1.25.1";
    NativeSidecars: v(1, 19), None, "istio/istio 1.19.0 manifests/charts/istio-control/istio-discovery/files/injection-template.yaml:188-197; pkg/kube/inject/app_probe.go FindSidecar";
    ServiceAccountRegexEscaped: vp(1, 27, 9), Some(v(1, 28)), "istio/istio 1.27.9 generator.go serviceAccountRegex (a81b4daa841, #59716)";
    ServiceAccountRegexEscaped: vp(1, 28, 6), Some(v(1, 29)), "istio/istio 1.28.6 generator.go serviceAccountRegex (87625645951, #59718)";
    ServiceAccountRegexEscaped: vp(1, 29, 2), None, "istio/istio 1.29.2 generator.go serviceAccountRegex (919c692156a, #59720; releasenotes/notes/59700.yaml)";
    PrincipalRegexEscaped: vp(1, 28, 7), Some(v(1, 29)), "istio/istio 1.28.7 matcher/string.go, generator.go (da59fc52d6d, #60056)";
    PrincipalRegexEscaped: vp(1, 29, 3), None, "istio/istio 1.29.3 matcher/string.go, generator.go (2418e89fbde, #60054; releasenotes/notes/59992.yaml)";
    GatewayPortChecks: v(1, 20), None, "istio/istio 1.20.0 pkg/config/validation/validation.go validateServerPort";
    OptionalMutualChecks: v(1, 19), None, "istio/istio 1.19.0 pkg/config/validation/validation.go validateTLSOptions";
    SidecarNamespaceExclusion: v(1, 31), None, "istio/istio release-1.31 pkg/config/validation/agent/validation.go ValidateNamespaceSlashWildcardHostname";
    DrTcpIdleTimeoutZero: v(1, 26), None, "istio/istio 1.26.0 pkg/config/validation/validation.go validateConnectionPool";
    DrRetryBudgetCounts: v(1, 28), None, "istio/istio 1.28.0 pkg/config/validation/validation.go validateTrafficPolicy";
    ConfigMapCredential: v(1, 26), None, "istio/istio 1.26.0 releasenotes/notes/backend-policies.yaml; pkg/config/validation/agent/validation.go ValidateTLS";
    DrMergeByExportTo: v(1, 24), None, "istio/istio 1.24.0 pilot/pkg/model/destination_rule.go:53-127; releasenotes/notes/52519.yaml";
    IngressUseWaypoint: v(1, 24), None, "istio/istio 1.24.0 pilot/pkg/xds/endpoints/endpoint_builder.go:339-345";
    IngressUseWaypointNamespace: v(1, 25), None, "istio/istio 1.25.0 releasenotes/notes/ingress-use-waypoint-namespace.yaml; ambient/sidecar_interop.go:148-156";
    IngressUseWaypointParseBool: v(1, 30), None, "istio/istio 1.30.0 pilot/pkg/serviceregistry/ambient/services.go:770-787";
    MultipleCustomProvidersFlag: v(1, 30), None, "istio/istio 1.30.0 pilot/pkg/features/security.go:97-102; releasenotes/notes/58082.yaml";
    WarmupAggressionBelowOne: v(1, 31), None, "istio/istio release-1.31 releasenotes/notes/60611.yaml; release-1.30 validation.go:1249-1251";
}

/// The behaviours of one Istio release, and how that release was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub version: IstioVersion,
    pub source: VersionSource,
    /// Bit `b` is set when the release has `Behaviour` number `b`: the rows are read once
    /// here, not on every [`Profile::has`] (an evaluation asks dozens of times per cell, and
    /// each asked by scanning the table, issue 14). [`Profile::new`] is the only constructor,
    /// so the bits always follow `version`.
    behaviours: u128,
}

/// The highest `Behaviour` number in the table; the bits of [`Profile`] hold them all.
const HIGHEST_BEHAVIOUR: usize = {
    let (mut i, mut highest) = (0, 0);
    while i < TABLE.len() {
        let b = TABLE[i].behaviour as usize;
        if b > highest {
            highest = b;
        }
        i += 1;
    }
    highest
};
const _: () = assert!(
    HIGHEST_BEHAVIOUR < 128,
    "Profile::behaviours holds 128 behaviours"
);

/// Where the version came from (shown by `-v` and in reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    Flag,
    /// Detected from an image tag or IstioOperator in the inputs: which object.
    Detected(String),
    Default,
}

impl Profile {
    pub fn new(version: IstioVersion, source: VersionSource) -> Self {
        let behaviours = TABLE
            .iter()
            .filter(|r| r.since <= version && r.until.is_none_or(|u| version < u))
            .fold(0u128, |bits, r| bits | 1 << (r.behaviour as u32));
        Profile {
            version,
            source,
            behaviours,
        }
    }

    /// Whether this release has `behaviour`: some row of [`TABLE`] for it spans the version.
    pub fn has(&self, behaviour: Behaviour) -> bool {
        self.behaviours & 1 << (behaviour as u32) != 0
    }

    /// Whether this release serves `group/version` of an Istio API for `kind` (`None` when
    /// meshlint does not track that group: always served).
    pub fn serves(&self, kind: &str, group: &str, version: &str) -> bool {
        serving(kind, group, version).is_none_or(|needs| self.has(needs))
    }

    /// The warning a run at this version needs: one newer than the newest release covered runs
    /// with the newest rows of the table (issue 10), which may miss what changed since.
    pub fn warning(&self) -> Option<String> {
        let latest = IstioVersion::LATEST;
        let dev = IstioVersion::DEVELOPMENT;
        if self.version.minor_release() == dev {
            Some(format!(
                "Istio {} is newer than the newest release meshlint covers ({latest}): it is checked with {latest}'s rules and the changes on Istio's development branch up to 2026-08-22 (such as RequestAuthentication `presence`); later {dev} changes are not modelled",
                self.version
            ))
        } else if self.version > dev {
            Some(format!(
                "Istio {} is newer than meshlint knows (the newest release covered is {latest}, and {dev} as of Istio's development branch on 2026-08-22): it is checked with the newest rules, and changes since are not modelled",
                self.version
            ))
        } else {
            None
        }
    }

    /// How the version was chosen, for people: `from --istio-version`, `detected from …`, or
    /// `the default: pass --istio-version`.
    pub fn source_text(&self) -> String {
        let how = match &self.source {
            VersionSource::Flag => "from --istio-version".to_owned(),
            VersionSource::Detected(why) => format!("detected from {why}"),
            VersionSource::Default => "the default: pass --istio-version".to_owned(),
        };
        let minor = self.version.minor_release();
        if minor == IstioVersion::DEVELOPMENT {
            format!("{how}; judged as Istio's development branch of 2026-08-22")
        } else if minor > IstioVersion::DEVELOPMENT {
            format!("{how}; newer than meshlint knows: judged by the newest rules")
        } else {
            how
        }
    }
}

/// The behaviour (table row) that serves `group/version` for `kind`; `None` for groups meshlint
/// does not track.
fn serving(kind: &str, group: &str, version: &str) -> Option<Behaviour> {
    Some(match (group, version) {
        ("authentication.istio.io", _) => Behaviour::V1alpha1Policy,
        ("rbac.istio.io", _) => Behaviour::RbacV1alpha1,
        ("security.istio.io", "v1")
            if matches!(kind, "AuthorizationPolicy" | "RequestAuthentication") =>
        {
            Behaviour::SecurityV1AuthzRequestAuthn
        }
        ("security.istio.io", "v1") => Behaviour::SecurityV1,
        ("security.istio.io", _) => Behaviour::AuthorizationPolicy,
        ("networking.istio.io", "v1") => Behaviour::NetworkingV1,
        ("networking.istio.io", "v1beta1") => Behaviour::NetworkingV1beta1,
        _ => return None,
    })
}

/// The first release with `behaviour` (the earliest row), for messages such as "added in 1.25".
pub fn first_release(behaviour: Behaviour) -> Option<IstioVersion> {
    TABLE
        .iter()
        .filter(|r| r.behaviour == behaviour)
        .map(|r| r.since)
        .min()
}

/// The releases that serve `group/version` (an Istio API group meshlint tracks): the first,
/// and the first that no longer does (`None`: still served).
pub fn served_range(
    kind: &str,
    group: &str,
    version: &str,
) -> Option<(IstioVersion, Option<IstioVersion>)> {
    let b = serving(kind, group, version)?;
    let row = TABLE.iter().find(|r| r.behaviour == b)?;
    Some((row.since, row.until))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Profile {
        Profile::new(s.parse().unwrap(), VersionSource::Flag)
    }

    #[test]
    fn parses_tags() {
        assert_eq!(IstioVersion::parse_loose("1.5.2"), Some(vp(1, 5, 2)));
        assert_eq!(
            IstioVersion::parse_loose("v1.20.3-distroless"),
            Some(vp(1, 20, 3))
        );
        let minor = |m| IstioVersion::parse_loose(&format!("1.{m}")).unwrap();
        assert_eq!(IstioVersion::parse_loose("release-1.4"), Some(minor(4)));
        assert_eq!(IstioVersion::parse_loose("1.31.0-rc.0"), Some(vp(1, 31, 0)));
        assert_eq!(IstioVersion::parse_loose("1.30.1-rc.1"), Some(vp(1, 30, 0)));
        assert_eq!(IstioVersion::parse_loose("1.24-dev"), Some(minor(24)));
        assert_eq!(
            IstioVersion::parse_loose("latest"),
            Some(IstioVersion::LATEST)
        );
        assert_eq!(minor(30).to_string(), "1.30");
        assert_eq!(vp(1, 30, 2).to_string(), "1.30.2");
        assert!("abc".parse::<IstioVersion>().is_err());
        assert!("0.2".parse::<IstioVersion>().is_err());
    }

    /// A minor release stands for its newest patch; a patch row holds from that patch on
    /// (trustDomains: istio/istio 1.30.2 releasenotes add-trust-domains-to-authz-policy.yaml).
    #[test]
    fn patch_releases() {
        assert!(!p("1.30.1").has(Behaviour::AuthzTrustDomains));
        assert!(p("1.30.1").has(Behaviour::AuthzTrustDomainFields));
        assert!(p("1.30.2").has(Behaviour::AuthzTrustDomains));
        assert!(p("1.30").has(Behaviour::AuthzTrustDomains));
        assert!(!p("1.29").has(Behaviour::AuthzTrustDomainFields));
        assert!(p("1.30.0").has(Behaviour::AuthzTrustDomainFields));
        assert!(!p("1.6.0").has(Behaviour::V1alpha1Policy));
        assert!(p("1.5.99").has(Behaviour::V1alpha1Policy));
    }

    /// Security fixes shipped in patches of several minor lines (one row per line).
    #[test]
    fn patch_fixes_per_minor_line() {
        let fixed = |v: &str| p(v).has(Behaviour::ServiceAccountRegexEscaped);
        assert!(!fixed("1.26"));
        assert!(!fixed("1.27.8") && fixed("1.27.9") && fixed("1.27"));
        assert!(!fixed("1.28.5") && fixed("1.28.6"));
        assert!(!fixed("1.29.1") && fixed("1.29.2") && fixed("1.31"));
        let fixed = |v: &str| p(v).has(Behaviour::PrincipalRegexEscaped);
        assert!(!fixed("1.27") && !fixed("1.28.6") && fixed("1.28.7"));
        assert!(!fixed("1.29.2") && fixed("1.29.3") && fixed("1.30.0"));
    }

    /// Versions after the newest release run with every row and a warning (issue 10).
    #[test]
    fn newer_versions_warn() {
        assert!(p("1.31").warning().is_none());
        assert!(p("latest").warning().is_none());
        let dev = p("1.32").warning().unwrap();
        assert!(dev.contains("development branch"), "{dev}");
        assert!(p("1.32").has(Behaviour::JwtPresence));
        assert!(!p("1.31").has(Behaviour::JwtPresence));
        let future = p("2.99");
        assert!(
            future
                .warning()
                .unwrap()
                .contains("newer than meshlint knows")
        );
        assert!(future.has(Behaviour::JwtPresence));
        assert!(future.has(Behaviour::AuthorizationPolicy));
    }

    /// istio-semantics §5: auto mTLS exists from 1.4, is on by default from 1.5, and clients
    /// ignore workload-level PeerAuthentication from 1.6.
    #[test]
    fn auto_mtls_history() {
        assert!(!p("1.3").has(Behaviour::AutoMtlsAvailable));
        assert!(p("1.4").has(Behaviour::AutoMtlsAvailable));
        assert!(!p("1.4").has(Behaviour::AutoMtlsDefault));
        assert!(p("1.5").has(Behaviour::AutoMtlsDefault));
        assert!(!p("1.5").has(Behaviour::WorkloadPeerAuthIgnoredByClients));
        assert!(p("1.6").has(Behaviour::WorkloadPeerAuthIgnoredByClients));
    }

    /// istio-semantics §2: v1alpha1 served 0.8–1.5; 1.5 has both APIs.
    #[test]
    fn api_eras() {
        assert!(p("0.3").has(Behaviour::LegacyAnnotations));
        assert!(!p("0.3").has(Behaviour::V1alpha1Policy));
        assert!(p("1.5").has(Behaviour::V1alpha1Policy));
        assert!(p("1.5").has(Behaviour::PeerAuthentication));
        assert!(!p("1.6").has(Behaviour::V1alpha1Policy));
        assert!(p("1.4").serves("Policy", "authentication.istio.io", "v1alpha1"));
        assert!(!p("1.6").serves("Policy", "authentication.istio.io", "v1alpha1"));
        assert!(!p("1.21").serves("PeerAuthentication", "security.istio.io", "v1"));
        assert!(p("latest").serves("PeerAuthentication", "security.istio.io", "v1"));
        // AuthorizationPolicy and RequestAuthentication v1 came in 1.17 (crd-all.gen.yaml).
        assert!(!p("1.16").serves("AuthorizationPolicy", "security.istio.io", "v1"));
        assert!(p("1.17").serves("AuthorizationPolicy", "security.istio.io", "v1"));
        assert!(p("1.17").serves("RequestAuthentication", "security.istio.io", "v1"));
    }
}
