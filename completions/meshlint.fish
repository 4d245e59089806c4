# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_meshlint_global_optspecs
    string join \n h/help V/version
end

function __fish_meshlint_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_meshlint_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_meshlint_using_subcommand
    set -l cmd (__fish_meshlint_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c meshlint -n "__fish_meshlint_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshlint -n "__fish_meshlint_needs_command" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "analyze" -d 'Run the rule catalog over the inputs and report findings'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "lint" -d 'Run the rule catalog over the inputs and report findings'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "matrix" -d 'Reachability matrix: for each client workload and service port, what a request gets'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "diff" -d 'What a change does to the mesh: cells whose outcome changes, new and fixed findings'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "report" -d 'One self-contained HTML page: findings, the reachability heatmap, describe per workload'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "check" -d 'One request from a workload to a service port, fully explained stage by stage'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "describe" -d 'Everything that applies to one pod, workload, service or namespace, and why'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "rules" -d 'List every rule with its code, severity, category and related istioctl/Kiali codes'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "explain" -d 'Show one rule\'s documentation'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "completions" -d 'Write a shell completion script to stdout (bash, zsh, fish, powershell, elvish)'
complete -c meshlint -n "__fish_meshlint_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s f -l filename -d 'Same as a positional INPUT (repeatable), as in kubectl' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l context -d 'Kubeconfig context (repeatable: one mesh spread over several clusters)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l request-timeout -d 'Timeout for each cluster request, e.g. 30s' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s o -l output -d 'Output format' -r -f -a "text\t'Diagnostics with the source snippet (default)'
concise\t'One line per finding: `path:line:col: severity CODE [Kind ns/name] message`'
json\t''
sarif\t''
github\t''
junit\t''
gitlab\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l fail-on -d 'Exit 1 when a finding at or above this severity remains [default: warning]' -r -f -a "error\t''
warning\t''
info\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l select -d 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l extend-select -d 'Also run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l ignore -d 'Do not run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l suppress -d 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l config -d 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l baseline -d 'Report only findings not in this baseline (a previous `-o json` output)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l root -d 'Repository root that sarif, github, gitlab and junit paths are relative to [default: the git work tree around the working directory]' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s k -l kube -d 'Read the mesh from the Kubernetes API (files given too overlay the cluster)'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l allow-empty -d 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l no-config -d 'Ignore any configuration file'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -l statistics -d 'Print how many findings each rule gave (count, code, name), not the findings'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshlint -n "__fish_meshlint_using_subcommand analyze" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s f -l filename -d 'Same as a positional INPUT (repeatable), as in kubectl' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l context -d 'Kubeconfig context (repeatable: one mesh spread over several clusters)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l request-timeout -d 'Timeout for each cluster request, e.g. 30s' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s o -l output -d 'Output format' -r -f -a "text\t'Diagnostics with the source snippet (default)'
concise\t'One line per finding: `path:line:col: severity CODE [Kind ns/name] message`'
json\t''
sarif\t''
github\t''
junit\t''
gitlab\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l fail-on -d 'Exit 1 when a finding at or above this severity remains [default: warning]' -r -f -a "error\t''
warning\t''
info\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l select -d 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l extend-select -d 'Also run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l ignore -d 'Do not run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l suppress -d 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l config -d 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l baseline -d 'Report only findings not in this baseline (a previous `-o json` output)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l root -d 'Repository root that sarif, github, gitlab and junit paths are relative to [default: the git work tree around the working directory]' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s k -l kube -d 'Read the mesh from the Kubernetes API (files given too overlay the cluster)'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l allow-empty -d 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l no-config -d 'Ignore any configuration file'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -l statistics -d 'Print how many findings each rule gave (count, code, name), not the findings'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshlint -n "__fish_meshlint_using_subcommand lint" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s f -l filename -d 'Same as a positional INPUT (repeatable), as in kubectl' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l context -d 'Kubeconfig context (repeatable: one mesh spread over several clusters)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l request-timeout -d 'Timeout for each cluster request, e.g. 30s' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l method -d 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l path -d 'Request path (query string allowed)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l host -d 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme\'s default (80, or 443 for a port that speaks TLS)]; `--header \'Host: …\'` sets it too' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l source-ip -d 'The address of the connection\'s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header \'X-Forwarded-For: …\'`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l header -d 'Extra header \'Name: value\' (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l token -d 'JWT sent as \'Authorization: Bearer <token>\' (`-` reads stdin); never printed' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l now -d 'Time to judge token expiry by (RFC 3339; default: now)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l jwks -d 'Key set for a jwksUri: URI=FILE (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l from -d 'Client workloads: ns/name, name.ns, globs (foo/*), or labels (app=sleep) (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l to -d 'Destinations: service.namespace[:port], globs, or labels (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l by -d 'Rows per workload, or a namespace × namespace summary' -r -f -a "workload\t''
namespace\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l only -d 'Show only these cells (and the clients and service ports that have one): blocked (any refusal), reachable, or depends' -r -f -a "blocked\t'Refused: 401, 403, 503, a reset or a failed handshake'
reachable\t'Allowed'
depends\t'Not decided by the inputs (`?`)'"
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l result -d 'Show only cells with this result: a code as the table prints it (403, 503, 000/56, tcp/56, ?) or a result name (forbidden, upstream-error, reset, …); repeatable' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
json\t''
csv\t''
markdown\t''
lines\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s k -l kube -d 'Read the mesh from the Kubernetes API (files given too overlay the cluster)'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -l allow-empty -d 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshlint -n "__fish_meshlint_using_subcommand matrix" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l base-ref -d 'The base is the same inputs at this git revision (e.g. origin/main), read with git' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l method -d 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l path -d 'Request path (query string allowed)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l host -d 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme\'s default (80, or 443 for a port that speaks TLS)]; `--header \'Host: …\'` sets it too' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l source-ip -d 'The address of the connection\'s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header \'X-Forwarded-For: …\'`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l header -d 'Extra header \'Name: value\' (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l token -d 'JWT sent as \'Authorization: Bearer <token>\' (`-` reads stdin); never printed' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l now -d 'Time to judge token expiry by (RFC 3339; default: now)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l jwks -d 'Key set for a jwksUri: URI=FILE (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l fail-on -d 'Exit 1 when a finding at or above this severity remains [default: warning]' -r -f -a "error\t''
warning\t''
info\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l select -d 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l extend-select -d 'Also run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l ignore -d 'Do not run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l suppress -d 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l config -d 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
markdown\t'Tables for a pull-request comment'
github\t'GitHub Actions annotations: new findings at their lines, newly blocked cells'"
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l limit -d 'Rows per table in text and markdown, and cell annotations in github (the rest are counted; at least 1)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l root -d 'Repository root that github and markdown paths are relative to [default: the git work tree around the working directory]' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l allow-empty -d 'Accept a side that holds no Kubernetes object (a directory added or removed whole)'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -l no-config -d 'Ignore any configuration file'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshlint -n "__fish_meshlint_using_subcommand diff" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s f -l filename -d 'Same as a positional INPUT (repeatable), as in kubectl' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l context -d 'Kubeconfig context (repeatable: one mesh spread over several clusters)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l request-timeout -d 'Timeout for each cluster request, e.g. 30s' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l method -d 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l path -d 'Request path (query string allowed)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l host -d 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme\'s default (80, or 443 for a port that speaks TLS)]; `--header \'Host: …\'` sets it too' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l source-ip -d 'The address of the connection\'s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header \'X-Forwarded-For: …\'`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l header -d 'Extra header \'Name: value\' (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l token -d 'JWT sent as \'Authorization: Bearer <token>\' (`-` reads stdin); never printed' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l now -d 'Time to judge token expiry by (RFC 3339; default: now)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l jwks -d 'Key set for a jwksUri: URI=FILE (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l fail-on -d 'Exit 1 when a finding at or above this severity remains [default: warning]' -r -f -a "error\t''
warning\t''
info\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l select -d 'Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l extend-select -d 'Also run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l ignore -d 'Do not run these rules' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l suppress -d 'Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l config -d 'Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from the working directory)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s o -l output -d 'Write the page to FILE [default: stdout]' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s k -l kube -d 'Read the mesh from the Kubernetes API (files given too overlay the cluster)'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l allow-empty -d 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -l no-config -d 'Ignore any configuration file'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s h -l help -d 'Print help'
complete -c meshlint -n "__fish_meshlint_using_subcommand report" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s f -l filename -d 'Same as a positional INPUT (repeatable), as in kubectl' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l context -d 'Kubeconfig context (repeatable: one mesh spread over several clusters)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l request-timeout -d 'Timeout for each cluster request, e.g. 30s' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l method -d 'HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l path -d 'Request path (query string allowed)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l host -d 'Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out when it is the scheme\'s default (80, or 443 for a port that speaks TLS)]; `--header \'Host: …\'` sets it too' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l source-ip -d 'The address of the connection\'s peer as the server proxy sees it (IPv4 or IPv6), for `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For does not decide (send one with `--header \'X-Forwarded-For: …\'`: a gateway trusts `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it an outcome that turns on the address is `depends` (matrix: `?`)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l header -d 'Extra header \'Name: value\' (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l token -d 'JWT sent as \'Authorization: Bearer <token>\' (`-` reads stdin); never printed' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l now -d 'Time to judge token expiry by (RFC 3339; default: now)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l jwks -d 'Key set for a jwksUri: URI=FILE (repeatable)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l from -d 'Client workload: ns/name or name.ns' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l to -d 'Destination: service.namespace:port (port number or name; FQDN accepted), or a URL as curl takes it (`http://httpbin.foo:8000/ip?x=1`: port, path and Host come from it)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l expect -d 'Exit 1 unless the outcome is this: a code as the matrix shows it (`200`, `403`, `000/56`, `tcp`, `tcp/56`, `?`) or a result word (`ok`, `forbidden`, `depends`, …)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s k -l kube -d 'Read the mesh from the Kubernetes API (files given too overlay the cluster)'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -l allow-empty -d 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s h -l help -d 'Print help'
complete -c meshlint -n "__fish_meshlint_using_subcommand check" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s f -l filename -d 'Same as a positional INPUT (repeatable), as in kubectl' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l exclude -d 'Skip files and directories matching this glob (repeatable), e.g. \'charts/**\'' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l kubeconfig -d 'Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l context -d 'Kubeconfig context (repeatable: one mesh spread over several clusters)' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l request-timeout -d 'Timeout for each cluster request, e.g. 30s' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l istio-version -d 'Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio\'s development branch; a patch such as 1.30.1 where a patch release changed behaviour (a minor alone means its newest patch). Newer versions run with the newest rules and a warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy images in the inputs, else latest' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l mesh-config -d 'Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)' -r -F
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s n -l namespace -d 'Namespace for objects that name none, and output filter' -r
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s k -l kube -d 'Read the mesh from the Kubernetes API (files given too overlay the cluster)'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -l allow-empty -d 'Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template` upstream must not pass as a clean run)'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s A -l all-namespaces -d 'All namespaces (overrides -n as an output filter)'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s q -l quiet -d 'Print only findings / results, no summary'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s v -l verbose -d 'More detail on stderr (skipped kinds, version detection, mesh config sources)'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshlint -n "__fish_meshlint_using_subcommand describe" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand rules" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand rules" -s h -l help -d 'Print help'
complete -c meshlint -n "__fish_meshlint_using_subcommand rules" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand explain" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c meshlint -n "__fish_meshlint_using_subcommand explain" -s h -l help -d 'Print help'
complete -c meshlint -n "__fish_meshlint_using_subcommand explain" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand completions" -s h -l help -d 'Print help'
complete -c meshlint -n "__fish_meshlint_using_subcommand completions" -s V -l version -d 'Print version'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "analyze" -d 'Run the rule catalog over the inputs and report findings'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "matrix" -d 'Reachability matrix: for each client workload and service port, what a request gets'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "diff" -d 'What a change does to the mesh: cells whose outcome changes, new and fixed findings'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "report" -d 'One self-contained HTML page: findings, the reachability heatmap, describe per workload'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "check" -d 'One request from a workload to a service port, fully explained stage by stage'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "describe" -d 'Everything that applies to one pod, workload, service or namespace, and why'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "rules" -d 'List every rule with its code, severity, category and related istioctl/Kiali codes'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "explain" -d 'Show one rule\'s documentation'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "completions" -d 'Write a shell completion script to stdout (bash, zsh, fish, powershell, elvish)'
complete -c meshlint -n "__fish_meshlint_using_subcommand help; and not __fish_seen_subcommand_from analyze matrix diff report check describe rules explain completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
