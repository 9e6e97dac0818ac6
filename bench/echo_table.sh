#!/usr/bin/env bash
# The echo comparison of issue 5 in one go: for each message size and connection count, the
# anchors of ../shared/bench/run_echo_anchors.sh (CPython asyncio, uvloop, Node, the C epoll
# ceiling) with SimLoop's protocol echo server as its candidate, then right after, with the same
# C load client, SimLoop's stream echo servers:
#   simloop-streams       the Python handler's loop: Read(100 KiB), Write, Drain (Sim.Bench
#                         raises the large-object threshold to 192 KiB in its runtimeconfig, so
#                         the 100 KiB arrays Read returns die in gen0, not by gen2 collections)
#   simloop-streams-into  the same loop with ReadInto and one 100 KiB buffer per connection
# Each stream row ends with the server's GC collection counts for its run.
#
# usage: bench/echo_table.sh [SECONDS] [BACKEND]     (BACKEND: epoll (default) or portable)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-3}; backend=${2:-epoll}
anchors="$here/../shared/bench/run_echo_anchors.sh"
[ -f "$anchors" ] || { echo "run_echo_anchors.sh not found beside the repository (../shared/bench)"; exit 1; }
dotnet build -c Release "$here/Sim.Bench" -v q -nologo >/dev/null
server="dotnet $here/Sim.Bench/bin/Release/net10.0/Sim.Bench.dll echo"
# The anchors script builds the load client here on its first run.
client=${TMPDIR:-/tmp}/echo-anchors/echo_client
log=$(mktemp); trap 'rm -f "$log"' EXIT
port=$((20000 + RANDOM % 20000))

# One SimLoop stream server against the load client, printed like an anchor row.
candidate() { local name=$1; shift
  port=$((port+1)); "$@" $port >"$log" 2>&1 & local pid=$!
  for _ in $(seq 100); do grep -q ready "$log" 2>/dev/null && break; sleep 0.1; done
  local result; result=$("$client" $port $conns $size $secs 2>&1 || true)
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  printf '%-22s %s   %s\n' "$name" "$result" "$(grep -o 'gc collections.*' "$log" || true)"; }

for conns in 10 100; do
  for size in 1024 10240 102400; do
    bash "$anchors" "$conns" "$size" "$secs" -- $server proto "$backend" | sed "s/^candidate /simloop-protocol/"
    candidate simloop-streams $server streams "$backend"
    candidate simloop-streams-into $server streams-into "$backend"
    echo
  done
done
