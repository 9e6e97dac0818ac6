#!/usr/bin/env bash
# The echo comparison of issue 5 in one go: for each message size and connection count, the
# anchors of ../shared/bench/run_echo_anchors.sh (CPython asyncio, uvloop, Node, the C epoll
# ceiling) with SimLoop's protocol echo server as its candidate, then right after, with the same
# C load client, SimLoop's stream echo servers:
#   simloop-streams       the Python handler's loop: Read(100 KiB), Write, Drain (Sim.Bench
#                         raises the large-object threshold to 192 KiB in its runtimeconfig, so
#                         the 100 KiB arrays Read returns die in gen0, not by gen2 collections)
#   simloop-streams-into  the same loop with ReadInto and one 100 KiB buffer per connection
# Each stream row ends with the server's GC collection counts for its run. With ROUNDS above 1
# the whole comparison runs ROUNDS times over and ends with a table of each server's median per
# cell and the ratios of the targets (the machine moves single rows by tens of percent).
#
# usage: bench/echo_table.sh [SECONDS] [BACKEND] [ROUNDS]   (BACKEND: epoll (default) or portable; ROUNDS 1)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-3}; backend=${2:-epoll}; rounds=${3:-1}
anchors="$here/../shared/bench/run_echo_anchors.sh"
[ -f "$anchors" ] || { echo "run_echo_anchors.sh not found beside the repository (../shared/bench)"; exit 1; }
dotnet build -c Release "$here/Sim.Bench" -v q -nologo >/dev/null
server="dotnet $here/Sim.Bench/bin/Release/net10.0/Sim.Bench.dll echo"
# The anchors script builds the load client here on its first run.
client=${TMPDIR:-/tmp}/echo-anchors/echo_client
log=$(mktemp); results=$(mktemp); trap 'rm -f "$log" "$results"' EXIT
port=$((20000 + RANDOM % 20000))

# One SimLoop stream server against the load client, printed like an anchor row.
candidate() { local name=$1; shift
  port=$((port+1)); "$@" $port >"$log" 2>&1 & local pid=$!
  for _ in $(seq 100); do grep -qx ready "$log" 2>/dev/null && break; sleep 0.1; done
  local result; result=$("$client" $port $conns $size $secs 2>&1 || true)
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  printf '%-22s %s   %s\n' "$name" "$result" "$(grep -o 'gc collections.*' "$log" || true)"; }

# Prints the rows as they come and keeps "conns size name req/s" for the medians.
record() { awk -v c=$conns -v s=$size -v f="$results" '{ print } $2 ~ /^[0-9]+$/ && $3 == "req/s" { print c, s, $1, $2 >> f }'; }

for round in $(seq "$rounds"); do
  [ "$rounds" -gt 1 ] && echo "== round $round of $rounds"
  for conns in 10 100; do
    for size in 1024 10240 102400; do
      { bash "$anchors" "$conns" "$size" "$secs" -- $server proto "$backend" | sed "s/^candidate /simloop-protocol/"
        candidate simloop-streams $server streams "$backend"
        candidate simloop-streams-into $server streams-into "$backend"; } 2>&1 | record
      echo
    done
  done
done

[ "$rounds" -gt 1 ] || exit 0
echo "medians of $rounds rounds (req/s) and the ratios of issue 5's targets:"
printf '%-6s %-7s %10s %10s %10s %10s %10s %10s %9s %9s %9s %9s\n' conns size uv-proto uv-streams c-epoll sl-proto sl-read sl-into 'p/uv' 'p/C' 'Read/uvs' 'Into/uvs'
for conns in 10 100; do
  for size in 1024 10240 102400; do
    m() { awk -v c=$conns -v s=$size -v n="$1" '$1 == c && $2 == s && $3 == n { print $4 }' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    up=$(m uvloop-protocol); us=$(m uvloop-streams); ce=$(m c-epoll-ceiling)
    sp=$(m simloop-protocol); sr=$(m simloop-streams); si=$(m simloop-streams-into)
    awk -v c=$conns -v s=$size -v up="$up" -v us="$us" -v ce="$ce" -v sp="$sp" -v sr="$sr" -v si="$si" \
      'BEGIN { printf "%-6s %-7s %10s %10s %10s %10s %10s %10s %9.2f %9.2f %9.2f %9.2f\n", c, s, up, us, ce, sp, sr, si, sp/up, sp/ce, sr/us, si/us }'
  done
done
