#!/usr/bin/env bash
# NetGen against RTNeural, one call per sample (issue 21's dense networks) and one step per call
# (issue 18's GRU and LSTM), made again by one command:
#
#   bash benchmarks/rtneural/run.sh [dense|steps|all] [ROUNDS]
#
# It clones RTNeural and the xsimd it pins at fixed commits (RTNEURAL_SRC and XSIMD_SRC may name local
# clones or mirrors instead of GitHub), builds harness.cpp twice (RTNeural's xsimd backend and its Eigen
# backend, Debian's libeigen3-dev), builds NetGen's benchmark program, checks that every network's
# outputs agree between NetGen and both backends, then times them interleaved: per round and network,
# NetGen (Forward, and the snapshot Freeze() returns), RTNeural xsimd, RTNeural Eigen, each in its own process
# (process CPU time, median of 7 repeats).
# The table gives the median over the rounds and NetGen's time over the faster backend's.
# Needs g++ (C++17), git, the .NET SDK and libeigen3-dev. Nothing it fetches or builds is committed: it
# all goes to benchmarks/rtneural/.build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
what=${1:-all}
rounds=${2:-3}
case "$what" in dense|steps|all) ;; *) echo "usage: $0 [dense|steps|all] [ROUNDS]" >&2; exit 2;; esac

rtneural_commit=1fb1f075a5d66e85bfc8f488c3f3626840cb3a1d   # RTNeural main, 2025-11-08
xsimd_commit=a00c81f7b9e808a42aedcf7da2fbb1f9a636da34      # the xsimd that commit pins as its submodule
build="$here/.build"
mkdir -p "$build"

fetch() { # fetch NAME SOURCE COMMIT: a checkout of COMMIT in $build/NAME
  local name=$1 source=$2 commit=$3
  if [ ! -d "$build/$name/.git" ]; then
    git clone --quiet "$source" "$build/$name"
  fi
  git -C "$build/$name" -c advice.detachedHead=false checkout --quiet "$commit"
}
fetch RTNeural "${RTNEURAL_SRC:-https://github.com/jatinchowdhury18/RTNeural.git}" "$rtneural_commit"
fetch xsimd "${XSIMD_SRC:-https://github.com/xtensor-stack/xsimd.git}" "$xsimd_commit"
[ -d /usr/include/eigen3 ] || { echo "Debian's Eigen is missing: apt-get install libeigen3-dev" >&2; exit 1; }

common=(-std=c++17 -O3 -march=native -I"$build/RTNeural" -I"$build/RTNeural/modules/json")
g++ "${common[@]}" -DRTNEURAL_USE_XSIMD=1 -DRTNEURAL_DEFAULT_ALIGNMENT=64 -I"$build/xsimd/include" "$here/harness.cpp" -o "$build/harness-xsimd"
g++ "${common[@]}" -DRTNEURAL_USE_EIGEN=1 -DRTNEURAL_DEFAULT_ALIGNMENT=32 -I/usr/include/eigen3 "$here/harness.cpp" -o "$build/harness-eigen"

dotnet build "$root/benchmarks/NetGen.Benchmarks" -c Release --nologo -v quiet >/dev/null
netgen=(dotnet "$root/benchmarks/NetGen.Benchmarks/bin/Release/net10.0/NetGen.Benchmarks.dll")
shapes="$root/benchmarks/NetGen.Benchmarks/bin/Release/net10.0/models/rtneural-shapes.txt"

dense_names=(1-16-16-1 8-8-8-8 16-16-16-16 32-32-32-32 64-64-64-64)
step_names=(gru8 gru16 gru32 gru64 lstm8 lstm16 lstm32 lstm64)

# The largest absolute difference between two files of one value a line ("network" lines skipped).
largest_difference() {
  paste <(grep -v '^network' "$1") <(grep -v '^network' "$2") |
    awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d; n++ } END { if (n == 0) { print "none"; exit 1 } printf "%.2g\n", m }'
}

check() { # check NAME NETGEN_OUTPUTS BACKEND: fails the run if the outputs differ by more than 1e-6
  local difference
  difference=$(largest_difference "$2" "$build/$1.$3.out")
  echo "  $1, RTNeural $3: largest output difference $difference"
  awk -v d="$difference" 'BEGIN { exit !(d + 0 <= 1e-6) }' || { echo "outputs differ: $1 ($3)" >&2; exit 1; }
}

results="$build/times.txt"
: > "$results"
echo "Checking outputs:"
if [ "$what" != steps ]; then
  "${netgen[@]}" --rtneural-outputs > "$build/dense.netgen.out"
  "${netgen[@]}" --rtneural-outputs --frozen > "$build/dense.frozen.out"
  for name in "${dense_names[@]}"; do
    awk -v n="network $name" '/^network/ { on = ($0 == n) } on && !/^network/' "$build/dense.netgen.out" > "$build/$name.netgen.out"
    awk -v n="network $name" '/^network/ { on = ($0 == n) } on && !/^network/' "$build/dense.frozen.out" > "$build/$name.frozen.out"
    for backend in xsimd eigen; do
      "$build/harness-$backend" dense "$shapes" "$name" outputs > "$build/$name.$backend.out"
      check "$name" "$build/$name.netgen.out" "$backend"
      check "$name" "$build/$name.frozen.out" "$backend"
    done
  done
fi
if [ "$what" != dense ]; then
  for name in "${step_names[@]}"; do
    "${netgen[@]}" --rtneural-step-export "$name" > "$build/$name.txt"
    "${netgen[@]}" --rtneural-step-outputs "$name" > "$build/$name.netgen.out"
    "${netgen[@]}" --rtneural-step-outputs "$name" --frozen > "$build/$name.frozen.out"
    for backend in xsimd eigen; do
      "$build/harness-$backend" step "$build/$name.txt" outputs > "$build/$name.$backend.out"
      check "$name" "$build/$name.netgen.out" "$backend"
      check "$name" "$build/$name.frozen.out" "$backend"
    done
  done
fi

calls_for() { # fewer calls for the larger networks: each timing process stays under about 10 s
  case $1 in *64*) echo 300000;; *32*) echo 1000000;; *) echo 2000000;; esac
}
echo "Timing, $rounds rounds:"
for round in $(seq "$rounds"); do
  if [ "$what" != steps ]; then
    for name in "${dense_names[@]}"; do
      calls=$(calls_for "$name")
      echo "$round $name netgen $("${netgen[@]}" --rtneural-time "$name" "$calls" | awk '{ print $2 }')" >> "$results"
      echo "$round $name frozen $("${netgen[@]}" --rtneural-time "$name" "$calls" --frozen | awk '{ print $2 }')" >> "$results"
      for backend in xsimd eigen; do
        echo "$round $name $backend $("$build/harness-$backend" dense "$shapes" "$name" time "$calls" | awk '{ print $1 }')" >> "$results"
      done
    done
  fi
  if [ "$what" != dense ]; then
    for name in "${step_names[@]}"; do
      calls=$(calls_for "$name")
      echo "$round $name netgen $("${netgen[@]}" --rtneural-step-time "$name" "$calls" | awk '{ print $2 }')" >> "$results"
      echo "$round $name frozen $("${netgen[@]}" --rtneural-step-time "$name" "$calls" --frozen | awk '{ print $2 }')" >> "$results"
      for backend in xsimd eigen; do
        echo "$round $name $backend $("$build/harness-$backend" step "$build/$name.txt" time "$calls" | awk '{ print $1 }')" >> "$results"
      done
    done
  fi
  echo "  round $round done"
done

# The table: medians over the rounds, ns per call (dense) or per step (GRU, LSTM).
echo
echo "| network | NetGen | NetGen frozen | RTNeural xsimd | RTNeural Eigen | NetGen / faster RTNeural | frozen / faster RTNeural |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
names=()
[ "$what" != steps ] && names+=("${dense_names[@]}")
[ "$what" != dense ] && names+=("${step_names[@]}")
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in "${names[@]}"; do
  n=$(awk -v k="$name" '$2 == k && $3 == "netgen" { print $4 }' "$results" | median)
  x=$(awk -v k="$name" '$2 == k && $3 == "xsimd" { print $4 }' "$results" | median)
  e=$(awk -v k="$name" '$2 == k && $3 == "eigen" { print $4 }' "$results" | median)
  f=$(awk -v k="$name" '$2 == k && $3 == "frozen" { print $4 }' "$results" | median)
  awk -v name="$name" -v n="$n" -v f="$f" -v x="$x" -v e="$e" 'BEGIN {
    best = (x < e) ? x : e
    printf "| %s | %.1f ns | %.1f ns | %.1f ns | %.1f ns | %.2fx | %.2fx |\n", name, n, f, x, e, n / best, f / best }'
done
