#!/usr/bin/env bash
# Side-by-side loop micro-benchmarks in one run: CPython asyncio, uvloop (the anchors of
# ../shared/bench/loop_micro.py and of bench/toolkit_micro.py) and SimLoop's simulated loop
# (Sim.Bench micro), same workloads, same N. Each figure is the median of RUNS runs; the table
# gives SimLoop's ratio to uvloop.
#
# usage: bench/compare_loop_micro.sh [N] [RUNS] [TOOLKIT_N]
# needs: the shared/ folder beside this repository, /usr/bin/python3 with python3-uvloop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000}; runs=${2:-3}; toolkit_n=${3:-100000}
micro="$here/../shared/bench/loop_micro.py"
[ -f "$micro" ] || { echo "loop_micro.py not found beside the repository (../shared/bench)"; exit 1; }
py=/usr/bin/python3; [ -x $py ] || py=python3
dotnet build -c Release "$here/Sim.Bench" -v q -nologo >/dev/null
bench="dotnet $here/Sim.Bench/bin/Release/net10.0/Sim.Bench.dll"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { for _ in $(seq "$runs"); do "$@" | awk '{print $3}'; done | median; }

toolkit="$here/bench/toolkit_micro.py"
row() { local script=$1 w=$2 size=$3
  a=$(measure $py "$script" asyncio "$w" "$size")
  if $py -c 'import uvloop' 2>/dev/null; then u=$(measure $py "$script" uvloop "$w" "$size"); else u=0; fi
  s=$(measure $bench micro "$w" "$size")
  ratio=$(awk -v s="$s" -v u="$u" 'BEGIN { if (u > 0) printf "%.1f", s / u; else print "n/a" }')
  printf '%-10s %9s %14s %14s %14s %10s\n' "$w" "$size" "$a" "$u" "$s" "$ratio"
}
printf '%-10s %9s %14s %14s %14s %10s\n' workload N asyncio uvloop simloop "x uvloop"
for w in chain batch timers pingpong; do row "$micro" $w "$n"; done
for w in handoff gather lock sleepers; do
  if $bench micro $w 10 >/dev/null 2>&1; then row "$toolkit" $w "$toolkit_n"; fi
done
echo "(ops/s, median of $runs runs)"
$bench memory
