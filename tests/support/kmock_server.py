"""A Kubernetes API emulator for meshlint's cluster tests: kmock (PyPI, pinned 0.8) plus the
few adjustments a kube-rs client needs (see /work/shared/research/kmock-feasibility.md).

    python3 kmock_server.py --seed seed.json [--forbid PLURAL[.GROUP]] [--slow PLURAL[.GROUP]=SECS]
                            [--bulk-pods N] [--bulk-policies N] [--stats FILE]

Listens on 127.0.0.1 with a free port, prints `READY <port>` and serves until SIGTERM or until
its stdin closes (so it never outlives the test that started it).

Adjustments to kmock 0.8 (our own, small, read-only paths only):
- `/api/v1/namespaces[/NAME]` is a cluster-scoped collection (kmock parses it as a namespace
  prefix and answers 500);
- list pagination: `limit` and `continue` (offset tokens), items sorted by namespace/name;
- lists carry `kind`/`apiVersion`, and items of built-in kinds have no `apiVersion`/`kind`,
  as on a real API server;
- preferred version of a group: GA > beta > alpha (kmock picks at random);
- `--forbid`: the list answers 403 Forbidden; `--slow`: the list answers after a delay;
- `--bulk-pods`/`--bulk-policies`: generated Pods and AuthorizationPolicies (100 namespaces),
  `--stats FILE`: the seconds spent serving lists, rewritten after each list (benchmark).

Seed: a JSON array of objects. Istio custom resources are declared for the group/versions
the seed uses (a group with no seeded object is not served: its CRDs are not installed).
"""

import argparse
import asyncio
import json
import re
import signal
import sys
import threading
import time

import kmock
from kmock._internal import parsing

PINNED = "0.8"

ISTIO_KINDS = {
    "security.istio.io": ["PeerAuthentication", "RequestAuthentication", "AuthorizationPolicy"],
    "networking.istio.io": ["DestinationRule", "ServiceEntry", "Sidecar", "Gateway", "VirtualService"],
    "authentication.istio.io": ["Policy"],
    "rbac.istio.io": ["RbacConfig", "ServiceRole", "ServiceRoleBinding"],
    "install.istio.io": ["IstioOperator"],
}
CLUSTER_SCOPED = {"MeshPolicy", "ClusterRbacConfig"}
ISTIO_KINDS["authentication.istio.io"].append("MeshPolicy")
ISTIO_KINDS["rbac.istio.io"].append("ClusterRbacConfig")


def plural_of(kind):
    lower = kind.lower()
    if lower.endswith("y"):
        return lower[:-1] + "ies"
    if lower.endswith("s"):
        return lower
    return lower + "s"


_original_parse_path = parsing.parse_path


def parse_path(path):
    parts = path.strip("/").split("/")
    if parts[:2] == ["api", "v1"] and len(parts) in (3, 4) and parts[2] == "namespaces":
        name = parts[3] if len(parts) == 4 else None
        return parsing.ParsedPath("", "v1", "namespaces", None, name, None)
    return _original_parse_path(path)


parsing.parse_path = parse_path


def version_rank(v):
    m = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", v)
    if not m:
        return (-1, 0, 0)
    stage = {"alpha": 0, "beta": 1, None: 2}[m.group(2)]
    return (stage, int(m.group(1)), int(m.group(3) or 0))


class Emulator(kmock.KubernetesEmulator):
    forbid = set()
    slow = {}
    crds = set()
    stats = None
    served_seconds = 0.0

    async def _serve_apis(self, request):
        body = await super()._serve_apis(request)
        for g in body["groups"]:
            versions = sorted((v["version"] for v in g["versions"]), key=version_rank, reverse=True)
            g["versions"] = [{"groupVersion": f"{g['name']}/{v}", "version": v} for v in versions]
            g["preferredVersion"] = dict(g["versions"][0])
        body["groups"].sort(key=lambda g: g["name"])
        return body

    async def _serve_list(self, request):
        started = time.perf_counter()
        body = await self._list_page(request)
        Emulator.served_seconds += time.perf_counter() - started
        if self.stats:
            with open(self.stats, "w", encoding="utf-8") as f:
                f.write(f"{Emulator.served_seconds:.6f}\n")
        return body

    async def _list_page(self, request):
        res = request.resource
        key = res.plural if not res.group else f"{res.plural}.{res.group}"
        if key in self.slow:
            await asyncio.sleep(self.slow[key])
        if key in self.forbid:
            raise kmock.KubernetesError(
                status=403,
                reason="Forbidden",
                message=f'{key} is forbidden: User "tester" cannot list resource '
                f'"{res.plural}" in API group "{res.group}" at the cluster scope',
            )
        body = await super()._serve_list(request)
        items = sorted(
            body["items"],
            key=lambda o: (
                (o.get("metadata") or {}).get("namespace") or "",
                (o.get("metadata") or {}).get("name") or "",
            ),
        )
        builtin = (res.group, res.version) not in self.crds
        if builtin:
            items = [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")} for o in items]
        start = int(request.params.get("continue") or 0)
        limit = int(request.params.get("limit") or 0)
        end = start + limit if limit > 0 else len(items)
        meta = {"resourceVersion": "1"}
        if end < len(items):
            meta["continue"] = str(end)
            meta["remainingItemCount"] = len(items) - end
        info = self.resources[res]
        kind = info.kind or res.plural.capitalize()
        api_version = f"{res.group}/{res.version}" if res.group else res.version
        return {"apiVersion": api_version, "kind": f"{kind}List", "metadata": meta, "items": items[start:end]}


def seed(emu, objects):
    emu.resources.load_bundled()
    builtin = {}
    for res, info in list(emu.resources._resources.items()):
        if info.kind and res.plural and "/" not in res.plural:
            builtin[(res.group, res.version, info.kind)] = (res.plural, info.namespaced)
    istio_kind_group = {k: g for g, ks in ISTIO_KINDS.items() for k in ks}
    declared = set()
    for obj in objects:
        api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
        group, _, version = api_version.rpartition("/")
        if istio_kind_group.get(kind) == group and (group, version) not in declared:
            declared.add((group, version))
            for k in ISTIO_KINDS[group]:
                emu.resources[f"{group}/{version}/{plural_of(k)}"] = kmock.ResourceInfo(
                    kind=k,
                    singular=k.lower(),
                    namespaced=k not in CLUSTER_SCOPED,
                    verbs=["get", "list", "watch", "create", "update", "patch", "delete"],
                )
            Emulator.crds.add((group, version))
        if (group, version, kind) in builtin:
            plural, namespaced = builtin[(group, version, kind)]
        elif istio_kind_group.get(kind) == group:
            plural, namespaced = plural_of(kind), kind not in CLUSTER_SCOPED
        else:
            print(f"kmock_server: skipping unknown kind {api_version} {kind}", file=sys.stderr)
            continue
        meta = obj.get("metadata") or {}
        ns = (meta.get("namespace") or "default") if namespaced else None
        if namespaced:
            obj = dict(obj, metadata=dict(meta, namespace=ns))
        key = f"{group}/{version}/{plural}" if group else f"{version}/{plural}"
        emu.objects[key, ns, meta.get("name")] = obj


def bulk(pods, policies):
    """Generated objects for the benchmark: Pods with sidecars, ALLOW policies per app."""
    out = [{"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": f"ns-{n}", "labels": {"istio-injection": "enabled"}}}
           for n in range(100)] if pods or policies else []
    for i in range(pods):
        out.append({"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": f"app-{i}", "namespace": f"ns-{i % 100}",
                                 "labels": {"app": f"app-{i % 50}"},
                                 "annotations": {"sidecar.istio.io/status": "{}"}},
                    "spec": {"serviceAccountName": f"app-{i % 50}",
                             "containers": [{"name": "app", "image": "app:1"},
                                            {"name": "istio-proxy", "image": "istio/proxyv2:1.22.3"}]}})
    for i in range(policies):
        out.append({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
                    "metadata": {"name": f"allow-{i}", "namespace": f"ns-{i % 100}"},
                    "spec": {"selector": {"matchLabels": {"app": f"app-{i % 50}"}},
                             "action": "ALLOW",
                             "rules": [{"from": [{"source": {"principals": [
                                 f"cluster.local/ns/ns-{(i + 1) % 100}/sa/app-{i % 50}"]}}],
                                 "to": [{"operation": {"methods": ["GET"]}}]}]}})
    return out


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed")
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--slow", action="append", default=[])
    ap.add_argument("--bulk-pods", type=int, default=0)
    ap.add_argument("--bulk-policies", type=int, default=0)
    ap.add_argument("--stats")
    args = ap.parse_args()
    if kmock.__version__ != PINNED and not str(kmock.__version__).startswith(PINNED + "."):
        print(f"kmock_server: kmock {kmock.__version__}, tested with {PINNED}", file=sys.stderr)
    Emulator.forbid = set(args.forbid)
    Emulator.stats = args.stats
    Emulator.slow = {k: float(v) for k, v in (s.split("=", 1) for s in args.slow)}
    objects = []
    if args.seed:
        with open(args.seed, encoding="utf-8") as f:
            objects = json.load(f)
    objects += bulk(args.bulk_pods, args.bulk_policies)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    def watch_stdin():
        sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    async with Emulator() as emu, kmock.Server(emu, host="127.0.0.1") as server:
        seed(emu, objects)
        print(f"READY {server.port}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
