#!/usr/bin/env bash
# CI's check of the Unity package: runs unity/pack.sh twice (GUIDs must not change between runs) and
# checks the result with unity/check (manifest, .meta labels and platforms, GUIDs, the library's
# dependencies, and the sample compiled as Unity compiles it, with the packaged generator, then run).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash unity/pack.sh "$work/first"
bash unity/pack.sh "$work/second"
echo "package layout:"
(cd "$work/first" && find . -not -name '*.meta' | sort | sed 's:^\./:  :')
dotnet run --project unity/check -c Release -- "$work/first" "$work/second" Directory.Build.props
