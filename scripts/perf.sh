#!/usr/bin/env bash
# Every performance figure of issue 14 in one run, on this machine, release build, best of 3
# (wall seconds and peak RSS from /usr/bin/time):
#   - analyze on the SPEC §9 corpus (2,000 namespaces) and at ½× and 2× its size, with the
#     time per object and the 2×/1× ratio (linear growth means about 2.0);
#   - matrix --by namespace on the corpus;
#   - matrix -o json, -o wide and -o table on a 71-namespace mesh (710 × 1,421 = 1M cells);
#   - diff on the corpus with one AuthorizationPolicy turned from ALLOW to DENY, and its ratio
#     to one analyze (issue 16: at most 2).
# Usage: scripts/perf.sh [RUNS]   (MESHLINT_PERF_DIR=DIR keeps the generated corpora in DIR)
# The same workloads run under `cargo bench` (benches load, matrix) for statistics.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release -q --bin meshlint --example corpus
bin=target/release/meshlint
dir=${MESHLINT_PERF_DIR:-$(mktemp -d)}
[ -n "${MESHLINT_PERF_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT

corpus() { # namespaces → directory
  local d="$dir/ns-$1"
  [ -d "$d" ] || target/release/examples/corpus "$d" "$1" >/dev/null
  echo "$d"
}

# best LABEL CMD...: runs CMD $runs times, prints the best wall time and the largest peak RSS.
best() {
  local label=$1; shift
  local t m bt="" bm=0 tf="$dir/time.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tf" "$@" >/dev/null 2>&1 || true
    read -r t m < "$tf"
    if [ -z "$bt" ] || awk "BEGIN{exit !($t < $bt)}"; then bt=$t; fi
    [ "$m" -gt "$bm" ] && bm=$m
  done
  printf '%-44s %7.2f s %8.1f MiB\n' "$label" "$bt" "$(awk "BEGIN{print $bm/1024}")"
  LAST=$bt
}

objects() { "$bin" analyze --no-config -o json --fail-on never --select invalid-resource "$1" |
  sed -n 's/.*"resources": *\([0-9]*\).*/\1/p' | head -1; }

echo "meshlint performance ($(nproc) cores, best of $runs)"
declare -A secs
for n in 1000 2000 4000; do
  d=$(corpus "$n")
  best "analyze, $n namespaces" "$bin" analyze --no-config -o json --fail-on never "$d"
  secs[$n]=$LAST
  o=$(objects "$d")
  printf '%-44s %7.2f µs per object (%s objects)\n' "" "$(awk "BEGIN{print ${secs[$n]}*1e6/$o}")" "$o"
done
printf '%-44s %7.2f (at most 2.2)\n' "2× / 1× corpus time" "$(awk "BEGIN{print ${secs[4000]}/${secs[2000]}}")"
d=$(corpus 2000)
best "analyze --select invalid-resource (load)" "$bin" analyze --no-config -o json --fail-on never --select invalid-resource "$d"
best "matrix --by namespace, 2000 namespaces" "$bin" matrix --by namespace "$d"
m=$(corpus 71)
best "matrix -o json, 1M cells" "$bin" matrix -o json "$m"
best "matrix -o wide, 1M cells" "$bin" matrix -o wide "$m"
best "matrix -o table, 1M cells" "$bin" matrix "$m"
h="$dir/ns-2000-head"
if [ ! -d "$h" ]; then
  cp -r "$d" "$h"
  sed -i '0,/action: ALLOW/s//action: DENY/' "$h/ns-00007.yaml"
fi
best "analyze, 2000 namespaces (again)" "$bin" analyze --no-config -o json --fail-on never "$d"
one=$LAST
best "diff, one policy ALLOW → DENY" "$bin" diff --no-config -o json --fail-on never "$d" "$h"
printf '%-44s %7.2f (at most 2)\n' "diff / analyze time" "$(awk "BEGIN{print $LAST/$one}")"
