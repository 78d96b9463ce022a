#!/usr/bin/env bash
# Native AOT smoke test: publishes samples/GameLoop ahead of time (the nearest thing here to Unity's
# IL2CPP), fails on any trim or AOT warning (IL2xxx, IL3xxx) in the library or the generated code, and
# runs the native binary. Needs a C toolchain for the native link: clang from Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

linker=""
for candidate in clang clang-14 clang-15 clang-16; do
  if command -v "$candidate" >/dev/null 2>&1; then linker=$candidate; break; fi
done
if [ -z "$linker" ]; then
  apt-get update -qq && apt-get install -y -qq clang >/dev/null
  linker=clang
fi
dpkg -s zlib1g-dev >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq zlib1g-dev >/dev/null; }

out=$(mktemp -d)
log="$out/publish.log"
trap 'rm -rf "$out"' EXIT
echo "== publishing samples/GameLoop with Native AOT (linker: $linker)"
dotnet publish samples/GameLoop/GameLoop.csproj -c Release -r linux-x64 -p:NetGenNativeAot=true \
  -p:CppCompilerAndLinker="$linker" -o "$out/bin" --nologo 2>&1 | tee "$log"
if grep -E "warning (IL[23][0-9]{3}|SYSLIB)" "$log"; then
  echo "trim or AOT warnings above: the library or the generated code is not AOT-clean" >&2
  exit 1
fi
[ -x "$out/bin/GameLoop" ] || { echo "no native binary at $out/bin/GameLoop" >&2; exit 1; }
echo "== running the native binary"
"$out/bin/GameLoop" --frames 2000
