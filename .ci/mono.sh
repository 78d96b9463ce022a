#!/usr/bin/env bash
# NetGen on Debian's Mono 6.8, the runtime of .NET Framework-era code and the nearest here to older Unity.
#   .ci/mono.sh install                    installs Mono from Debian's packages if it is missing
#   .ci/mono.sh build                      builds the numeric suites for net472 (-p:NetGenMono=true)
#   .ci/mono.sh test <project> <vectors>   runs one suite's net472 build under Mono; <vectors> is
#                                          "accelerated" (Mono's SIMD intrinsics, its default) or
#                                          "scalar" (MONO_ENV_OPTIONS=-O=-simd), which the suite checks
# NETGEN_HASH_FILE, if set, is passed on: DeterminismTests writes the lockstep hashes there.
set -euo pipefail
cd "$(dirname "$0")/.."

runner_version=2.4.1  # xunit.runner.console, as pinned in Directory.Packages.props

case "${1:-}" in
  install)
    # mono-devel, not only mono-runtime: it carries the netstandard.dll facade that any netstandard2.0
    # library (NetGen's among them) needs at run time.
    if ! command -v mono >/dev/null 2>&1 || [ ! -f /usr/lib/mono/4.5/Facades/netstandard.dll ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-devel >/dev/null
    fi
    mono --version | head -n 1
    ;;
  build)
    for project in tests/NetGen.NumericTests/NetGen.NumericTests.csproj tests/NetGen.Runtime.Tests/NetGen.Runtime.Tests.csproj; do
      dotnet build "$project" -c Release -f net472 -p:NetGenMono=true --nologo
    done
    ;;
  test)
    project=$2 vectors=$3
    name=$(basename "$project" .csproj)
    packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
    runner="$packages/xunit.runner.console/$runner_version/tools/net472/xunit.console.exe"
    [ -f "$runner" ] || { echo "no xunit console runner at $runner: run '$0 build' first" >&2; exit 1; }
    options=""
    [ "$vectors" = scalar ] && options="-O=-simd"
    # The runner's own app domain (no -noappdomain): Mono accelerates Vector<T> there. No shadow copy,
    # so that the suite finds its reference files beside its assembly.
    MONO_ENV_OPTIONS="$options" NETGEN_EXPECT_MONO=1 NETGEN_EXPECT_VECTORS="$vectors" \
      mono "$runner" "tests/$name/bin/Release/net472/$name.dll" -noshadow -parallel none -nologo
    ;;
  *)
    echo "usage: $0 install | build | test <project> accelerated|scalar" >&2
    exit 2
    ;;
esac
