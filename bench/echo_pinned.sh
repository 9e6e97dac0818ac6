#!/usr/bin/env bash
# The echo comparison with the server pinned to one core and the load client to the other,
# every server of a cell run in turn, ROUNDS times, each figure the median of its rounds.
# The shared run_echo_anchors.sh runs unpinned, and on a shared two-core machine its single
# rows move by tens of percent (the C ceiling's fixed binary included); pinned, the same
# servers repeat within a few percent. Same anchors (uvloop protocol and streams, the C epoll
# ceiling), same C load client, same SimLoop servers as bench/echo_table.sh.
#
# usage: bench/echo_pinned.sh [ROUNDS] [SECONDS] [BACKEND]   (defaults 3 3 epoll)
#        WARM=2 bench/echo_pinned.sh ...   drives each server for WARM seconds first, unmeasured:
#        the steady state (a fresh .NET server's first seconds run while its JIT tiers up;
#        uvloop's and the C server's have no warm-up).
#        CONNS="100" SIZES="10240 102400" bench/echo_pinned.sh ...   measures only those cells
#        (defaults: CONNS="10 100", SIZES="1024 10240 102400").
# needs: taskset, and what bench/echo_table.sh needs (it builds the C client on its first run).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}; secs=${2:-3}; backend=${3:-epoll}
[[ "${WARM:-0}" =~ ^[0-9]+$ ]] || { echo "WARM must be a whole number of seconds, not '$WARM'" >&2; exit 2; }
shared="$here/../shared/bench"
[ -f "$shared/run_echo_anchors.sh" ] || { echo "shared/bench not found beside the repository"; exit 1; }
bin=${TMPDIR:-/tmp}/echo-anchors
mkdir -p "$bin"
[ -x "$bin/echo_client" ] || gcc -O2 -o "$bin/echo_client" "$shared/echo_client.c"
[ -x "$bin/echo_server_c" ] || gcc -O2 -D_GNU_SOURCE -o "$bin/echo_server_c" "$shared/echo_server_c.c"
dotnet build -c Release "$here/Sim.Bench" -v q -nologo >/dev/null
py=/usr/bin/python3; [ -x $py ] || py=python3
# Pinned to one core, the .NET runtime takes the machine for a single-processor one and multiplies
# its tier-up delay by 10 (TC_DelaySingleProcMultiplier: 100 ms becomes 1 s, restarted by every
# new method compiled), so a 3 s run would spend its first second or more in unoptimized code; run
# unpinned, as the shared script runs it, the server sees both cores and waits 100 ms. The
# multiplier is set back to 1 so the pinned server tiers up as the unpinned one does.
simloop="env DOTNET_TC_DelaySingleProcMultiplier=1 dotnet $here/Sim.Bench/bin/Release/net10.0/Sim.Bench.dll echo"
log=$(mktemp); trap 'rm -f "$log"' EXIT
# Below the kernel's ephemeral range (32768 and up), so a port is never taken by a client.
port=$((20000 + RANDOM % 10000))

# One server for one cell: started on core 0, driven by the client on core 1; prints req/s.
measure() {
  port=$((port + 1))
  taskset -c 0 "$@" $port >"$log" 2>&1 & local pid=$!
  for _ in $(seq 200); do grep -qx ready "$log" 2>/dev/null && break; sleep 0.1; done
  grep -qx ready "$log" || { echo "$* did not start:" >&2; cat "$log" >&2; kill $pid 2>/dev/null || true; exit 1; }
  [ "${WARM:-0}" -gt 0 ] && taskset -c 1 "$bin/echo_client" $port $conns $size "$WARM" >/dev/null 2>&1
  taskset -c 1 "$bin/echo_client" $port $conns $size $secs 2>&1 | awk '{print $1}'
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

names=(uvloop-proto uvloop-streams c-epoll simloop-proto simloop-streams simloop-into)
printf '%-6s %-7s' conns size; printf ' %15s' "${names[@]}"; printf ' %9s %9s %9s %9s\n' 'p/uv' 'p/C' 'Read/uvs' 'Into/uvs'
for conns in ${CONNS:-10 100}; do
  for size in ${SIZES:-1024 10240 102400}; do
    declare -A runs=()
    for _ in $(seq "$rounds"); do
      runs[uvloop-proto]+="$(measure $py "$shared/echo_server.py" uvloop proto) "
      runs[uvloop-streams]+="$(measure $py "$shared/echo_server.py" uvloop streams) "
      runs[c-epoll]+="$(measure "$bin/echo_server_c") "
      runs[simloop-proto]+="$(measure $simloop proto $backend) "
      runs[simloop-streams]+="$(measure $simloop streams $backend) "
      runs[simloop-into]+="$(measure $simloop streams-into $backend) "
    done
    declare -A med=()
    for name in "${names[@]}"; do med[$name]=$(tr ' ' '\n' <<<"${runs[$name]}" | grep . | median); done
    printf '%-6s %-7s' $conns $size
    for name in "${names[@]}"; do printf ' %15s' "${med[$name]}"; done
    awk -v p="${med[simloop-proto]}" -v u="${med[uvloop-proto]}" -v c="${med[c-epoll]}" \
        -v r="${med[simloop-streams]}" -v i="${med[simloop-into]}" -v us="${med[uvloop-streams]}" \
        'BEGIN { printf " %9.2f %9.2f %9.2f %9.2f\n", p/u, p/c, r/us, i/us }'
    unset runs med
  done
done
echo "(req/s, median of $rounds rounds of $secs s${WARM:+ after $WARM s unmeasured}; server on core 0, client on core 1)"
