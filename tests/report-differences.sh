#!/usr/bin/env bash
# The largest differences from PyTorch, per case and per quantity, as a markdown table: runs the numeric
# reference tests (every test class whose name holds "Reference": dense, convolution, sequence and block
# networks against tests/fixtures/pytorch) with NETGEN_DIFFERENCE_LOG set, so that each closeness
# assertion records its largest absolute difference and the largest expected magnitude
# (Infrastructure/DifferenceLog.cs), and tabulates the log, with their ratio as the relative difference. The tests still assert their tolerances; this only says how much of them is used.
#
#   bash tests/report-differences.sh [extra dotnet test filter, e.g. "FullyQualifiedName~BlockReference"]
#
# Run it under DOTNET_MaxVectorTBitWidth=512, DOTNET_EnableAVX2=0 or DOTNET_EnableHWIntrinsic=0 to see
# another vector configuration's differences.
set -euo pipefail
cd "$(dirname "$0")/.."
filter="FullyQualifiedName~Reference"
if [[ $# -gt 0 ]]; then filter="$filter&$1"; fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
NETGEN_DIFFERENCE_LOG="$log" dotnet test tests/NetGen.NumericTests -c Release -f net10.0 --filter "$filter" --nologo -v quiet >&2
python3 - "$log" <<'PY'
import sys
from collections import OrderedDict

worst = OrderedDict()
for line in open(sys.argv[1]):
    test, case, what, count, absolute, scale = line.rstrip("\n").split("\t")
    if int(count) == 0:
        continue
    key = (test, case, what)
    a, s = float(absolute), float(scale)
    old = worst.get(key)
    worst[key] = (int(count), a, s) if old is None else (old[0], max(old[1], a), max(old[2], s))

print("| test | case | quantity | values | largest abs. difference | largest expected magnitude | difference / magnitude |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
for (test, case, what), (count, a, s) in sorted(worst.items()):
    print(f"| {test} | {case} | {what} | {count} | {a:.1e} | {s:.2g} | {a / s if s else 0:.1e} |")
PY
