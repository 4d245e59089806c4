
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'meshlint' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'meshlint'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'meshlint' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Run the rule catalog over the inputs and report findings')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Run the rule catalog over the inputs and report findings')
            [CompletionResult]::new('matrix', 'matrix', [CompletionResultType]::ParameterValue, 'Reachability matrix: for each client workload and service port, what a request gets')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a change does to the mesh: cells whose outcome changes, new and fixed findings')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'One self-contained HTML page: findings, the reachability heatmap, describe per workload')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'One request from a workload to a service port, fully explained stage by stage')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Everything that applies to one pod, workload, service or namespace, and why')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List every rule with its code, severity, category and related istioctl/Kiali codes')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show one rule''s documentation')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Write a shell completion script to stdout (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshlint;analyze' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context (repeatable: one mesh spread over several clusters)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout for each cluster request, e.g. 30s')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding at or above this severity remains [default: warning]')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)')
            [CompletionResult]::new('--extend-select', '--extend-select', [CompletionResultType]::ParameterName, 'Also run these rules')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not run these rules')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings not in this baseline (a previous `-o json` output)')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Repository root that sarif, github, gitlab and junit paths are relative to [default: the git work tree around the working directory]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any configuration file')
            [CompletionResult]::new('--statistics', '--statistics', [CompletionResultType]::ParameterName, 'Print how many findings each rule gave (count, code, name), not the findings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context (repeatable: one mesh spread over several clusters)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout for each cluster request, e.g. 30s')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding at or above this severity remains [default: warning]')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)')
            [CompletionResult]::new('--extend-select', '--extend-select', [CompletionResultType]::ParameterName, 'Also run these rules')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not run these rules')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings not in this baseline (a previous `-o json` output)')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Repository root that sarif, github, gitlab and junit paths are relative to [default: the git work tree around the working directory]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any configuration file')
            [CompletionResult]::new('--statistics', '--statistics', [CompletionResultType]::ParameterName, 'Print how many findings each rule gave (count, code, name), not the findings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;matrix' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context (repeatable: one mesh spread over several clusters)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout for each cluster request, e.g. 30s')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path (query string allowed)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme''s default (80, or 443 for a port that speaks TLS)]; `--header ''Host: …''` sets it too')
            [CompletionResult]::new('--source-ip', '--source-ip', [CompletionResultType]::ParameterName, 'The address of the connection''s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header ''X-Forwarded-For: …''`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'JWT sent as ''Authorization: Bearer <token>'' (`-` reads stdin); never printed')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Time to judge token expiry by (RFC 3339; default: now)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Key set for a jwksUri: URI=FILE (repeatable)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Client workloads: ns/name, name.ns, globs (foo/*), or labels (app=sleep) (repeatable)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Destinations: service.namespace[:port], globs, or labels (repeatable)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Rows per workload, or a namespace × namespace summary')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Show only these cells (and the clients and service ports that have one): blocked (any refusal), reachable, or depends')
            [CompletionResult]::new('--result', '--result', [CompletionResultType]::ParameterName, 'Show only cells with this result: a code as the table prints it (403, 503, 000/56, tcp/56, ?) or a result name (forbidden, upstream-error, reset, …); repeatable')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;diff' {
            [CompletionResult]::new('--base-ref', '--base-ref', [CompletionResultType]::ParameterName, 'The base is the same inputs at this git revision (e.g. origin/main), read with git')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path (query string allowed)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme''s default (80, or 443 for a port that speaks TLS)]; `--header ''Host: …''` sets it too')
            [CompletionResult]::new('--source-ip', '--source-ip', [CompletionResultType]::ParameterName, 'The address of the connection''s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header ''X-Forwarded-For: …''`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'JWT sent as ''Authorization: Bearer <token>'' (`-` reads stdin); never printed')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Time to judge token expiry by (RFC 3339; default: now)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Key set for a jwksUri: URI=FILE (repeatable)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding at or above this severity remains [default: warning]')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)')
            [CompletionResult]::new('--extend-select', '--extend-select', [CompletionResultType]::ParameterName, 'Also run these rules')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not run these rules')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Rows per table in text and markdown, and cell annotations in github (the rest are counted; at least 1)')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Repository root that github and markdown paths are relative to [default: the git work tree around the working directory]')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept a side that holds no Kubernetes object (a directory added or removed whole)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;report' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context (repeatable: one mesh spread over several clusters)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout for each cluster request, e.g. 30s')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path (query string allowed)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme''s default (80, or 443 for a port that speaks TLS)]; `--header ''Host: …''` sets it too')
            [CompletionResult]::new('--source-ip', '--source-ip', [CompletionResultType]::ParameterName, 'The address of the connection''s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header ''X-Forwarded-For: …''`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'JWT sent as ''Authorization: Bearer <token>'' (`-` reads stdin); never printed')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Time to judge token expiry by (RFC 3339; default: now)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Key set for a jwksUri: URI=FILE (repeatable)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding at or above this severity remains [default: warning]')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)')
            [CompletionResult]::new('--extend-select', '--extend-select', [CompletionResultType]::ParameterName, 'Also run these rules')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Do not run these rules')
            [CompletionResult]::new('--suppress', '--suppress', [CompletionResultType]::ParameterName, 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the page to FILE [default: stdout]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the page to FILE [default: stdout]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore any configuration file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;check' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context (repeatable: one mesh spread over several clusters)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout for each cluster request, e.g. 30s')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Request path (query string allowed)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme''s default (80, or 443 for a port that speaks TLS)]; `--header ''Host: …''` sets it too')
            [CompletionResult]::new('--source-ip', '--source-ip', [CompletionResultType]::ParameterName, 'The address of the connection''s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header ''X-Forwarded-For: …''`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header ''Name: value'' (repeatable)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'JWT sent as ''Authorization: Bearer <token>'' (`-` reads stdin); never printed')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Time to judge token expiry by (RFC 3339; default: now)')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Key set for a jwksUri: URI=FILE (repeatable)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Client workload: ns/name or name.ns')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Destination: service.namespace:port (port number or name; FQDN accepted), or a URL as curl takes it (`http://httpbin.foo:8000/ip?x=1`: port, path and Host come from it)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Exit 1 unless the outcome is this: a code as the matrix shows it (`200`, `403`, `000/56`, `tcp`, `tcp/56`, `?`) or a result word (`ok`, `forbidden`, `depends`, …)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;describe' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Same as a positional INPUT (repeatable), as in kubectl')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip files and directories matching this glob (repeatable), e.g. ''charts/**''')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context (repeatable: one mesh spread over several clusters)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout for each cluster request, e.g. 30s')
            [CompletionResult]::new('--istio-version', '--istio-version', [CompletionResultType]::ParameterName, 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio''s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest')
            [CompletionResult]::new('--mesh-config', '--mesh-config', [CompletionResultType]::ParameterName, 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for objects that name none, and output filter')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--kube', '--kube', [CompletionResultType]::ParameterName, 'Read the mesh from the Kubernetes API (files given too overlay the cluster)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides -n as an output filter)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only findings / results, no summary')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (skipped kinds, version detection, mesh config sources)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;rules' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;explain' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns text output wraps at. Default: the terminal''s width, else $COLUMNS, else 100 (logs and pipes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'meshlint;help' {
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Run the rule catalog over the inputs and report findings')
            [CompletionResult]::new('matrix', 'matrix', [CompletionResultType]::ParameterValue, 'Reachability matrix: for each client workload and service port, what a request gets')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a change does to the mesh: cells whose outcome changes, new and fixed findings')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'One self-contained HTML page: findings, the reachability heatmap, describe per workload')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'One request from a workload to a service port, fully explained stage by stage')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Everything that applies to one pod, workload, service or namespace, and why')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List every rule with its code, severity, category and related istioctl/Kiali codes')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show one rule''s documentation')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Write a shell completion script to stdout (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'meshlint;help;analyze' {
            break
        }
        'meshlint;help;matrix' {
            break
        }
        'meshlint;help;diff' {
            break
        }
        'meshlint;help;report' {
            break
        }
        'meshlint;help;check' {
            break
        }
        'meshlint;help;describe' {
            break
        }
        'meshlint;help;rules' {
            break
        }
        'meshlint;help;explain' {
            break
        }
        'meshlint;help;completions' {
            break
        }
        'meshlint;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
