#!/usr/bin/env bash
# Runs the real Go NostrP2P server (ryogrid/nostrp2p) next to our Java server on loopback and
# checks that they exchange posts: a broadcast each way, a profile each way, a reply from the
# Java user to the Go user and one back (both unicast), and a fresh Java server catching up
# from the Go server.
#
#   interop/go-server/run-against-go-server.sh /path/to/nostrp2p-go-binary
#
# The Go binary is built outside this repository (see README.md beside this script).
# Environment: BASE_PORT (default 23000; uses BASE_PORT..BASE_PORT+21), KEEP=1 keeps the
# work directory, NOSTRP2P_JAR to use a given jar instead of building cli/target/nostrp2p.jar.
# Exits 0 when every check passed, 1 otherwise; prints each check and the timelines.
set -euo pipefail

go_bin="${1:-}"
if [[ -z "$go_bin" || ! -x "$go_bin" ]]; then
  echo "usage: $0 /path/to/built/go/nostrp2p/binary" >&2
  exit 2
fi
go_bin="$(cd "$(dirname "$go_bin")" && pwd)/$(basename "$go_bin")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="${BASE_PORT:-23000}"
go_port=$base; java_port=$((base + 10)); java2_port=$((base + 20))
work="$(mktemp -d /tmp/np2p-go-interop.XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

for p in $go_port $((go_port + 1)) $java_port $((java_port + 1)) $java2_port $((java2_port + 1)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "port $p is in use; set BASE_PORT to a free range" >&2
    exit 2
  fi
done

# One jar for the whole run, so a rebuild by someone else cannot change it under us.
if [[ -n "${NOSTRP2P_JAR:-}" ]]; then
  cp "$NOSTRP2P_JAR" "$work/nostrp2p.jar"
else
  "$root/nostrp2p" --version >/dev/null
  cp "$root/cli/target/nostrp2p.jar" "$work/nostrp2p.jar"
fi
np2p() { java -jar "$work/nostrp2p.jar" "$@"; }

failures=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# Polls a server's timeline until it shows the text, up to 30 s.
timeline_has() { # url text
  local i
  for i in $(seq 1 30); do
    if np2p timeline --server "$1" -n 100 2>/dev/null | grep -qF -- "$2"; then return 0; fi
    sleep 1
  done
  return 1
}
check() { # label url text
  if timeline_has "$2" "$3"; then pass "$1"; else fail "$1 (\"$3\" not on $2)"; fi
}
wait_rest() { # url log
  local i
  for i in $(seq 1 60); do
    if np2p timeline --server "$1" -n 1 >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "no REST API at $1; its log:" >&2
  cat "$2" >&2
  exit 1
}

np2p genkey >"$work/go.keys"
np2p genkey >"$work/java.keys"
np2p genkey >"$work/java2.keys"
key() { sed -n "$2p" "$work/$1.keys"; } # key <who> 2 = nsec, 6 = npub, 8 = hex
go_rest="http://127.0.0.1:$((go_port + 1))"
java_rest="http://127.0.0.1:$((java_port + 1))"
java2_rest="http://127.0.0.1:$((java2_port + 1))"

mkdir -p "$work/go" "$work/java" "$work/java2"
(cd "$work/go" && exec "$go_bin" server -l "127.0.0.1:$go_port" -p "$(key go 6)" -d) >"$work/go.log" 2>&1 &
pids+=($!)
wait_rest "$go_rest" "$work/go.log"
(cd "$work/java" && exec java -jar "$work/nostrp2p.jar" serve -p "$(key java 6)" -l "127.0.0.1:$java_port" \
    -b "127.0.0.1:$go_port" -d) >"$work/java.log" 2>&1 &
pids+=($!)
wait_rest "$java_rest" "$work/java.log"
echo "Go server   $go_bin on 127.0.0.1:$go_port, REST $go_rest"
echo "Java server on 127.0.0.1:$java_port, REST $java_rest; logs in $work"

tag="$(date +%s)"
# The Java user's profile and post, published through the Java server, broadcast to Go.
NOSTRP2P_NSEC="$(key java 2)" np2p post --server "$java_rest" --profile "javauser$tag"
NOSTRP2P_NSEC="$(key java 2)" np2p post --server "$java_rest" "java post $tag"
check "Java post reaches the Go server" "$go_rest" "java post $tag"
check "Java profile reaches the Go server" "$go_rest" "updated their profile: javauser$tag"

# The Go user's profile and post, signed by our CLI and published to the Go server's /publish.
NOSTRP2P_NSEC="$(key go 2)" np2p post --server "$go_rest" --profile "gouser$tag"
go_post="$(NOSTRP2P_NSEC="$(key go 2)" np2p post --server "$go_rest" "go post $tag" | sed -n 's/^Posted: //p')"
check "Go post reaches the Java server" "$java_rest" "go post $tag"
check "Go profile reaches the Java server" "$java_rest" "updated their profile: gouser$tag"

# Replies are unicast to the server of the user replied to.
java_post="$(NOSTRP2P_NSEC="$(key java 2)" np2p post --server "$java_rest" "java post to be answered $tag" | sed -n 's/^Posted: //p')"
NOSTRP2P_NSEC="$(key java 2)" np2p post --server "$java_rest" --reply-to "$go_post" --reply-author "$(key go 6)" \
  "java reply to go $tag"
check "Java user's reply reaches the Go server" "$go_rest" "java reply to go $tag"
NOSTRP2P_NSEC="$(key go 2)" np2p post --server "$go_rest" --reply-to "$java_post" --reply-author "$(key java 6)" \
  "go reply to java $tag"
check "Go user's reply reaches the Java server" "$java_rest" "go reply to java $tag"

# A fresh Java server joining through the Go server catches up from it (Go answers kind 40000).
(cd "$work/java2" && exec java -jar "$work/nostrp2p.jar" serve -p "$(key java2 6)" -l "127.0.0.1:$java2_port" \
    -b "127.0.0.1:$go_port" -d) >"$work/java2.log" 2>&1 &
pids+=($!)
wait_rest "$java2_rest" "$work/java2.log"
check "A fresh Java server catches up the Go post from the Go server" "$java2_rest" "go post $tag"

echo; echo "== Go server's timeline ($go_rest)"; np2p timeline --server "$go_rest" -n 100 || true
echo; echo "== Java server's timeline ($java_rest)"; np2p timeline --server "$java_rest" -n 100 || true
echo; echo "== Go server's complaints"; grep -iE 'panic|invalid|unknown|error' "$work/go.log" | sort | uniq -c || echo "(none)"
echo "== Java servers' warnings"; grep -hE ' (WARN|ERROR) ' "$work/java.log" "$work/java2.log" || echo "(none)"
echo
if [[ $failures -eq 0 ]]; then echo "All checks passed."; else echo "$failures check(s) failed."; exit 1; fi
