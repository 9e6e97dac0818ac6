#!/usr/bin/env bash
# CPU time per echoed request, split into user and system (kernel) time: a steadier measure than
# req/s on a shared machine, and the one that shows where a change moved the cost (a copy moved
# from user code into the kernel shows as user time down, system time up). Each server is pinned
# to core 0 and driven by the C load client on core 1, first for WARM seconds unmeasured (warm-up,
# default 2; WARM=0 measures from the start, JIT tier-up included), then for SECONDS while its
# /proc/PID/stat user and system ticks are read before and after.
#
# usage: bench/echo_cpu.sh CONNS SIZE SECONDS ROUNDS SERVER...
#   SERVER: uvloop-proto | uvloop-streams | c-epoll | proto | streams | streams-into
#           (the last three: SimLoop's servers on EpollBackend; DLL=path/to/Sim.Bench.dll
#           measures another build of them, BACKEND=portable the portable backend)
#   e.g.    bench/echo_cpu.sh 10 10240 3 3 uvloop-streams streams streams-into
# Rounds interleave the servers. needs: taskset, gcc, python3 with uvloop for the uvloop servers.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 5 ] || { sed -n 2,14p "$0"; exit 2; }
conns=$1; size=$2; secs=$3; rounds=$4; shift 4
warm=${WARM:-2}
[[ "$warm" =~ ^[0-9]+$ ]] || { echo "WARM must be a whole number of seconds, not '$warm'" >&2; exit 2; }
shared="$here/../shared/bench"
bin=${TMPDIR:-/tmp}/echo-anchors
mkdir -p "$bin"
[ -x "$bin/echo_client" ] || gcc -O2 -o "$bin/echo_client" "$shared/echo_client.c"
[ -x "$bin/echo_server_c" ] || gcc -O2 -D_GNU_SOURCE -o "$bin/echo_server_c" "$shared/echo_server_c.c"
dll=${DLL:-$here/Sim.Bench/bin/Release/net10.0/Sim.Bench.dll}
[ -n "${DLL:-}" ] || dotnet build -c Release "$here/Sim.Bench" -v q -nologo >/dev/null
py=/usr/bin/python3; [ -x $py ] || py=python3
log=$(mktemp); trap 'rm -f "$log"' EXIT
port=$((20000 + RANDOM % 10000))
ticks=$(getconf CLK_TCK)

for _ in $(seq "$rounds"); do
  for server in "$@"; do
    case $server in
      uvloop-proto) cmd=($py "$shared/echo_server.py" uvloop proto);;
      uvloop-streams) cmd=($py "$shared/echo_server.py" uvloop streams);;
      c-epoll) cmd=("$bin/echo_server_c");;
      proto|streams|streams-into)
        # Pinned, .NET would delay tier-up tenfold (see bench/echo_pinned.sh).
        cmd=(env DOTNET_TC_DelaySingleProcMultiplier=1 dotnet "$dll" echo "$server" "${BACKEND:-epoll}");;
      *) echo "unknown server '$server'"; exit 2;;
    esac
    port=$((port + 1))
    taskset -c 0 "${cmd[@]}" $port >"$log" 2>&1 & pid=$!
    for _ in $(seq 200); do grep -qx ready "$log" 2>/dev/null && break; sleep 0.1; done
    grep -qx ready "$log" || { echo "$server did not start:" >&2; cat "$log" >&2; kill $pid 2>/dev/null || true; exit 1; }
    [ "$warm" -gt 0 ] && taskset -c 1 "$bin/echo_client" $port $conns $size "$warm" >/dev/null 2>&1
    read -r user0 sys0 < <(awk '{print $14, $15}' /proc/$pid/stat)
    rate=$(taskset -c 1 "$bin/echo_client" $port $conns $size $secs 2>&1 | awk '{print $1}')
    read -r user1 sys1 < <(awk '{print $14, $15}' /proc/$pid/stat)
    kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
    awk -v s=$server -v r=$rate -v u=$((user1 - user0)) -v k=$((sys1 - sys0)) -v t=$secs -v hz=$ticks 'BEGIN {
      n = r * t; us = 1e6 / hz
      printf "%-15s %8d req/s   user %6.2f us   system %6.2f us   total %6.2f us per request\n", s, r, u * us / n, k * us / n, (u + k) * us / n }'
  done
done
echo "($conns connections, $size-byte messages, $secs s after $warm s of warm-up; server on core 0, client on core 1)"
