#!/usr/bin/env bash
# The echo comparison of issue 5 in one go: for each message size and connection count, the
# anchors of ../shared/bench/run_echo_anchors.sh (CPython asyncio, uvloop, Node, the C epoll
# ceiling) and SimLoop's protocol and stream echo servers on the epoll backend, each in the same
# run as the anchors it is compared with.
#
# usage: bench/echo_table.sh [SECONDS] [BACKEND]     (BACKEND: epoll (default) or portable)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-3}; backend=${2:-epoll}
anchors="$here/../shared/bench/run_echo_anchors.sh"
[ -f "$anchors" ] || { echo "run_echo_anchors.sh not found beside the repository (../shared/bench)"; exit 1; }
dotnet build -c Release "$here/Sim.Bench" -v q -nologo >/dev/null
server="dotnet $here/Sim.Bench/bin/Release/net10.0/Sim.Bench.dll echo"
for conns in 10 100; do
  for size in 1024 10240 102400; do
    bash "$anchors" "$conns" "$size" "$secs" -- $server proto "$backend" | sed "s/^candidate /simloop-protocol/"
    bash "$anchors" "$conns" "$size" "$secs" -- $server streams "$backend" | grep '^candidate' | sed "s/^candidate /simloop-streams /"
    echo
  done
done
