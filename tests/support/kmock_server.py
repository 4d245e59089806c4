"""A Kubernetes API emulator for meshlint's cluster tests: kmock (PyPI, pinned 0.8) plus the
few adjustments a kube-rs client needs (see /work/shared/research/kmock-feasibility.md).

    python3 kmock_server.py --seed seed.json [--forbid PLURAL[.GROUP]] [--slow PLURAL[.GROUP]=SECS]

Listens on 127.0.0.1 with a free port, prints `READY <port>` and serves until SIGTERM or until
its stdin closes (so it never outlives the test that started it).

Adjustments to kmock 0.8 (our own, small, read-only paths only):
- `/api/v1/namespaces[/NAME]` is a cluster-scoped collection (kmock parses it as a namespace
  prefix and answers 500);
- list pagination: `limit` and `continue` (offset tokens), items sorted by namespace/name;
- lists carry `kind`/`apiVersion`, and items of built-in kinds have no `apiVersion`/`kind`,
  as on a real API server;
- preferred version of a group: GA > beta > alpha (kmock picks at random);
- `--forbid`: the list answers 403 Forbidden; `--slow`: the list answers after a delay.

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

    async def _serve_apis(self, request):
        body = await super()._serve_apis(request)
        for g in body["groups"]:
            versions = sorted((v["version"] for v in g["versions"]), key=version_rank, reverse=True)
            g["versions"] = [{"groupVersion": f"{g['name']}/{v}", "version": v} for v in versions]
            g["preferredVersion"] = dict(g["versions"][0])
        body["groups"].sort(key=lambda g: g["name"])
        return body

    async def _serve_list(self, request):
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


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed")
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--slow", action="append", default=[])
    args = ap.parse_args()
    if kmock.__version__ != PINNED and not str(kmock.__version__).startswith(PINNED + "."):
        print(f"kmock_server: kmock {kmock.__version__}, tested with {PINNED}", file=sys.stderr)
    Emulator.forbid = set(args.forbid)
    Emulator.slow = {k: float(v) for k, v in (s.split("=", 1) for s in args.slow)}
    objects = []
    if args.seed:
        with open(args.seed, encoding="utf-8") as f:
            objects = json.load(f)
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
