#!/usr/bin/env bash
# Runs `nostrp2p bench overlay` and the Go mesh peer's cluster mode side by side, for the
# sizes and joins given (default N = 20 40 100 300 500; star, chain, random), each run
# bounded by a timeout, and prints one JSON line per run with the load average beside it,
# then a markdown table. Re-run on an idle machine to take the figures of docs/benchmarks.md.
#
#   docs/bench-overlay.sh                       # everything (about 20 minutes at most)
#   NODES="40 100" JOINS=chain docs/bench-overlay.sh
#   MESH_2019_GOPATH=/path/gopath docs/bench-overlay.sh   # also Go mesh 58dbcc3 (a GOPATH
#                                    # holding src/github.com/weaveworks/mesh at that commit)
#   JAVA_ONLY=1 / GO_ONLY=1, TIMEOUT=seconds per run (default 90), JAVA_OPTS for the JVM
#   WARMUP=K: each Java run first runs its cluster K times unmeasured in the same JVM (a warm
#                                    # JIT, as a long-running server has); default 0 (a cold JVM)
#   MIXED=1 docs/bench-overlay.sh       # mixed overlays instead: 50 Java + 10 Go routers (one Go
#                                    # process, `bench overlay --go-peers`), star and chain, with Go
#                                    # 2018 and, given MESH_2019_GOPATH, Go 2019; MIXED_JAVA / MIXED_GO
#                                    # set the counts, JOINS the joins
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODES="${NODES:-20 40 100 300 500}"
mixed_joins="${JOINS:-star chain}"
JOINS="${JOINS:-star chain random}"
TIMEOUT="${TIMEOUT:-90}"
out="${OUT:-$root/target/bench-overlay-$(date -u +%Y%m%dT%H%M%S).jsonl}"
mkdir -p "$(dirname "$out")"

gobin="$(mktemp -d)"
trap 'rm -rf "$gobin"' EXIT
build_go() { # $1 = output, $2 = GOPATH holding weaveworks/mesh
  (cd "$root/interop/meshpeer" && GO111MODULE=off GOPATH="$gobin/gopath:$2:/usr/share/gocode" \
    go build -o "$1" .) || { echo "bench: go build failed (GOPATH $2)" >&2; return 1; }
}
impls=()
if [[ -z "${JAVA_ONLY:-}" ]]; then
  build_go "$gobin/meshpeer-2018" /usr/share/gocode && impls+=(go-2018)
  if [[ -n "${MESH_2019_GOPATH:-}" ]]; then
    build_go "$gobin/meshpeer-2019" "$MESH_2019_GOPATH" && impls+=(go-2019)
  fi
fi
[[ -z "${GO_ONLY:-}" ]] && impls=(java "${impls[@]}")
# build the jar once, outside the timed runs
[[ " ${impls[*]} " == *" java "* ]] && "$root/nostrp2p" --version >/dev/null

if [[ -n "${MIXED:-}" ]]; then
  "$root/nostrp2p" --version >/dev/null
  NODES=""  # the runs below replace the side-by-side ones
  for join in $mixed_joins; do
    for impl in "${impls[@]}"; do
      [[ $impl == java ]] && continue
      load="$(cut -d' ' -f1 /proc/loadavg)"
      line="$(timeout $((TIMEOUT + 60)) "$root/nostrp2p" bench overlay --nodes "${MIXED_JAVA:-50}" --join "$join" \
               --go-peers "${MIXED_GO:-10}" --go "$gobin/meshpeer-${impl#go-}" --go-impl "$impl" \
               --timeout "$TIMEOUT" 2>/dev/null | tail -1)"
      [[ $line == \{* ]] || line="{\"impl\":\"java\",\"n\":${MIXED_JAVA:-50},\"join\":\"$join\",\"converge_ms\":-1,\"go_peers\":${MIXED_GO:-10},\"go_impl\":\"$impl\"}"
      line="${line%\}},\"load\":$load}"
      echo "$line" | tee -a "$out"
    done
  done
fi

for n in $NODES; do
  for join in $JOINS; do
    for impl in "${impls[@]}"; do
      load="$(cut -d' ' -f1 /proc/loadavg)"
      if [[ $impl == java ]]; then
        line="$(timeout $(((TIMEOUT + 60) * (${WARMUP:-0} + 1))) "$root/nostrp2p" bench overlay --nodes "$n" \
                 --join "$join" --timeout "$TIMEOUT" --warmup "${WARMUP:-0}" 2>/dev/null | tail -1)"
        [[ ${WARMUP:-0} -gt 0 && $line == \{* ]] && line="${line%\}},\"warmup\":${WARMUP}}"
      else
        line="$(timeout $((TIMEOUT + 30)) "$gobin/meshpeer-${impl#go-}" -cluster "$n" -join "$join" \
                 -timeout "${TIMEOUT}s" -impl "$impl" 2>/dev/null | tail -1)"
      fi
      [[ $line == \{* ]] || line="{\"impl\":\"$impl\",\"n\":$n,\"join\":\"$join\",\"converge_ms\":-1}"
      line="${line%\}},\"load\":$load}"
      echo "$line" | tee -a "$out"
    done
  done
done

echo
echo "| N | join | impl | converge ms | broadcast ms (delivered) | conns/peer | CPU ms (JIT) | heap MB | topology KB/peer | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
python3 - "$out" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    conv = r.get("converge_ms", -1)
    n, impl = r['n'], r['impl']
    if r.get('go_peers'):  # a mixed run: Java routers + Go routers in one overlay
        n, impl = f"{n}+{r['go_peers']}", f"java+{r.get('go_impl', 'go')}"
    if r.get('warmup'):
        impl = f"{impl} (warm)"
    cpu = f"{r['cpu_ms']} ({r['jit_ms']})" if 'jit_ms' in r else r.get('cpu_ms', '-')
    print(f"| {n} | {r['join']} | {impl} | {conv if conv >= 0 else 'no (timeout)'} | "
          f"{r.get('bcast_ms', '-')} ({r.get('bcast_delivered', '-')}) | {r.get('avg_conns_per_peer', '-')} | "
          f"{cpu} | {r.get('heap_mb', '-')} | {r.get('topo_kb_per_peer', '-')} | {r.get('load', '-')} |")
PY
echo "(raw lines: $out)"
