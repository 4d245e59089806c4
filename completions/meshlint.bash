_meshlint() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="meshlint"
                ;;
            meshlint,analyze)
                cmd="meshlint__subcmd__analyze"
                ;;
            meshlint,check)
                cmd="meshlint__subcmd__check"
                ;;
            meshlint,completions)
                cmd="meshlint__subcmd__completions"
                ;;
            meshlint,describe)
                cmd="meshlint__subcmd__describe"
                ;;
            meshlint,diff)
                cmd="meshlint__subcmd__diff"
                ;;
            meshlint,explain)
                cmd="meshlint__subcmd__explain"
                ;;
            meshlint,help)
                cmd="meshlint__subcmd__help"
                ;;
            meshlint,lint)
                cmd="meshlint__subcmd__analyze"
                ;;
            meshlint,matrix)
                cmd="meshlint__subcmd__matrix"
                ;;
            meshlint,report)
                cmd="meshlint__subcmd__report"
                ;;
            meshlint,rules)
                cmd="meshlint__subcmd__rules"
                ;;
            meshlint__subcmd__help,analyze)
                cmd="meshlint__subcmd__help__subcmd__analyze"
                ;;
            meshlint__subcmd__help,check)
                cmd="meshlint__subcmd__help__subcmd__check"
                ;;
            meshlint__subcmd__help,completions)
                cmd="meshlint__subcmd__help__subcmd__completions"
                ;;
            meshlint__subcmd__help,describe)
                cmd="meshlint__subcmd__help__subcmd__describe"
                ;;
            meshlint__subcmd__help,diff)
                cmd="meshlint__subcmd__help__subcmd__diff"
                ;;
            meshlint__subcmd__help,explain)
                cmd="meshlint__subcmd__help__subcmd__explain"
                ;;
            meshlint__subcmd__help,help)
                cmd="meshlint__subcmd__help__subcmd__help"
                ;;
            meshlint__subcmd__help,matrix)
                cmd="meshlint__subcmd__help__subcmd__matrix"
                ;;
            meshlint__subcmd__help,report)
                cmd="meshlint__subcmd__help__subcmd__report"
                ;;
            meshlint__subcmd__help,rules)
                cmd="meshlint__subcmd__help__subcmd__rules"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        meshlint)
            opts="-h -V --help --version analyze lint matrix diff report check describe rules explain completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__analyze)
            opts="-f -k -n -A -q -v -o -h -V --filename --exclude --kube --kubeconfig --context --request-timeout --allow-empty --istio-version --mesh-config --namespace --all-namespaces --color --quiet --width --verbose --output --fail-on --select --extend-select --ignore --suppress --config --no-config --baseline --statistics --root --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --istio-version)
                    COMPREPLY=($(compgen -W "0.3 0.4 0.5 0.6 0.7 0.8 1.0 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.18 1.19 1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 latest" -- "${cur}"))
                    return 0
                    ;;
                --mesh-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text concise json sarif github junit gitlab" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text concise json sarif github junit gitlab" -- "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "error warning info never" -- "${cur}"))
                    return 0
                    ;;
                --select)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --extend-select)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --ignore)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --suppress)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --baseline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --root)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__check)
            opts="-f -k -n -A -q -v -o -h -V --filename --exclude --kube --kubeconfig --context --request-timeout --allow-empty --istio-version --mesh-config --namespace --all-namespaces --color --quiet --width --verbose --method --path --host --source-ip --header --token --now --jwks --from --to --expect --output --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --istio-version)
                    COMPREPLY=($(compgen -W "0.3 0.4 0.5 0.6 0.7 0.8 1.0 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.18 1.19 1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 latest" -- "${cur}"))
                    return 0
                    ;;
                --mesh-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --method)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --now)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jwks)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --expect)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__completions)
            opts="-h -V --help --version bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__describe)
            opts="-f -k -n -A -q -v -o -h -V --filename --exclude --kube --kubeconfig --context --request-timeout --allow-empty --istio-version --mesh-config --namespace --all-namespaces --color --quiet --width --verbose --output --help --version pod workload service namespace"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --istio-version)
                    COMPREPLY=($(compgen -W "0.3 0.4 0.5 0.6 0.7 0.8 1.0 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.18 1.19 1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 latest" -- "${cur}"))
                    return 0
                    ;;
                --mesh-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__diff)
            opts="-n -A -q -v -o -h -V --base-ref --exclude --allow-empty --istio-version --mesh-config --namespace --all-namespaces --color --quiet --width --verbose --method --path --host --source-ip --header --token --now --jwks --fail-on --select --extend-select --ignore --suppress --config --no-config --output --limit --root --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --base-ref)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --istio-version)
                    COMPREPLY=($(compgen -W "0.3 0.4 0.5 0.6 0.7 0.8 1.0 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.18 1.19 1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 latest" -- "${cur}"))
                    return 0
                    ;;
                --mesh-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --method)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --now)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jwks)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "error warning info never" -- "${cur}"))
                    return 0
                    ;;
                --select)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --extend-select)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --ignore)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --suppress)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json markdown github" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json markdown github" -- "${cur}"))
                    return 0
                    ;;
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --root)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__explain)
            opts="-o -h -V --output --width --help --version invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help)
            opts="analyze matrix diff report check describe rules explain completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__analyze)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__check)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__describe)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__diff)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__explain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__matrix)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__report)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__help__subcmd__rules)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__matrix)
            opts="-f -k -n -A -q -v -o -h -V --filename --exclude --kube --kubeconfig --context --request-timeout --allow-empty --istio-version --mesh-config --namespace --all-namespaces --color --quiet --width --verbose --method --path --host --source-ip --header --token --now --jwks --from --to --by --only --result --output --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --istio-version)
                    COMPREPLY=($(compgen -W "0.3 0.4 0.5 0.6 0.7 0.8 1.0 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.18 1.19 1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 latest" -- "${cur}"))
                    return 0
                    ;;
                --mesh-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --method)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --now)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jwks)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --by)
                    COMPREPLY=($(compgen -W "workload namespace" -- "${cur}"))
                    return 0
                    ;;
                --only)
                    COMPREPLY=($(compgen -W "blocked reachable depends" -- "${cur}"))
                    return 0
                    ;;
                --result)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide json csv markdown lines" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide json csv markdown lines" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__report)
            opts="-f -k -n -A -q -v -o -h -V --filename --exclude --kube --kubeconfig --context --request-timeout --allow-empty --istio-version --mesh-config --namespace --all-namespaces --color --quiet --width --verbose --method --path --host --source-ip --header --token --now --jwks --fail-on --select --extend-select --ignore --suppress --config --no-config --output --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --istio-version)
                    COMPREPLY=($(compgen -W "0.3 0.4 0.5 0.6 0.7 0.8 1.0 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 1.11 1.12 1.13 1.14 1.15 1.16 1.17 1.18 1.19 1.20 1.21 1.22 1.23 1.24 1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 latest" -- "${cur}"))
                    return 0
                    ;;
                --mesh-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --method)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source-ip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --now)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jwks)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "error warning info never" -- "${cur}"))
                    return 0
                    ;;
                --select)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --extend-select)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --ignore)
                    COMPREPLY=($(compgen -W "invalid-resource ML0101 authz-invalid ML0102 duplicate-resource ML0103 deprecated-api ML0104 legacy-policy-misnamed ML0105 mtls-mode-conflict ML0201 mtls-to-workload-without-sidecar ML0202 mtls-to-api-server ML0203 workload-mtls-ignored-by-clients ML0204 port-level-mtls-unknown-port ML0205 port-level-settings-drops-tls ML0206 ambiguous-peer-authentication ML0207 plaintext-clients-blocked ML0208 probe-fails-under-strict ML0209 dr-host-not-found ML0210 dr-duplicate-host ML0211 dr-tls-overridden ML0212 dr-tls-without-ca ML0213 legacy-annotation-unknown-port ML0214 policy-port-not-found ML0215 selector-matches-nothing ML0301 authz-unknown-namespace ML0302 authz-unknown-principal ML0303 authz-requires-mtls ML0304 authz-http-fields-on-tcp ML0305 authz-allow-nothing ML0306 authz-deny-shadows-allow ML0307 authz-request-principals-without-jwt ML0308 jwt-token-optional ML0309 rbac-reference-not-found ML0310 jwt-port-not-http ML0311 authz-release-semantics ML0312 namespace-not-injected ML0401 namespace-injection-labels-conflict ML0402 pod-missing-proxy ML0403 port-name-protocol ML0404 schema mtls authz membership hygiene ALL" -- "${cur}"))
                    return 0
                    ;;
                --suppress)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        meshlint__subcmd__rules)
            opts="-o -h -V --output --width --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _meshlint -o nosort -o bashdefault -o default meshlint
else
    complete -F _meshlint -o bashdefault -o default meshlint
fi
