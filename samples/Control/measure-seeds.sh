#!/usr/bin/env bash
# Trains the Control sample once per seed and network pair, one run at a time, and summarises how fast
# and how reliably each pair learns. Rerun it to check the figures in samples/Control/README.md:
#
#   samples/Control/measure-seeds.sh [FIRST_SEED] [LAST_SEED] [EPISODES] [NETWORKS...]
#   (defaults: 1 20 100 plain blocks blocks-critic; one run takes a few seconds)
#
# Per run it prints the final cost relative to the PD controller, the final distance, whether the
# sample's criterion passed (exit code 0: learned and allocation-free), the first evaluation (in episodes)
# whose cost was at most 1.25 x the PD's, and the update time p50. Then, per pair: mean, median and
# worst of the final ratio and distance, the mean and median first episode at or under 1.25 x, and how
# many seeds passed. It builds the sample once first.
set -euo pipefail
cd "$(dirname "$0")/../.."
first=${1:-1}; last=${2:-20}; episodes=${3:-100}; shift $(( $# < 3 ? $# : 3 ))
variants=("$@"); [ ${#variants[@]} -eq 0 ] && variants=(plain blocks blocks-critic)
threshold=1.25
dotnet build samples/Control -c Release -v q -nologo > /dev/null

results=$(mktemp); trap 'rm -f "$results"' EXIT
printf 'networks\tseed\tratio\tdistance_cm\tpassed\tfirst_episode_at_%s\tupdate_p50_us\n' "$threshold"
for networks in "${variants[@]}"; do
  for seed in $(seq "$first" "$last"); do
    set +e
    output=$(dotnet run --project samples/Control -c Release --no-build -- \
      --networks "$networks" --seed "$seed" --episodes "$episodes" --plot /dev/null 2>&1)
    code=$?
    set -e
    echo "$output" | awk -v networks="$networks" -v seed="$seed" -v code="$code" -v threshold="$threshold" '
      # Table rows: │ episodes │ return │ ratio x │ distance cm │ loss │ ; the PD row has no number first.
      /│ *[0-9]+ │/ { split($0, cell, "│"); episode = cell[2] + 0; ratio = cell[4]; sub(/ x.*/, "", ratio)
                      if (first == "" && ratio + 0 <= threshold) first = episode }
      /^Criterion:/ { match($0, /is [0-9.]+ x/); final = substr($0, RSTART + 3, RLENGTH - 5) }
      /^Distance to the target/ { match($0, /[0-9.]+ cm trained/); distance = substr($0, RSTART, RLENGTH - 11) }
      /^One update/ { match($0, /p50 [0-9]+ us/); p50 = substr($0, RSTART + 4, RLENGTH - 7) }
      END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", networks, seed, final, distance, code == 0 ? "yes" : "no", first == "" ? "never" : first, p50 }'
  done
done | tee "$results"

echo
printf 'networks\truns\tpassed\tratio_mean\tratio_median\tratio_worst\tdistance_mean_cm\tdistance_median_cm\tdistance_worst_cm\tfirst_at_%s_mean\tfirst_at_%s_median\tnever\tupdate_p50_median_us\n' "$threshold" "$threshold"
for networks in "${variants[@]}"; do
  awk -F'\t' -v networks="$networks" '$1 == networks' "$results" | awk -F'\t' -v networks="$networks" '
    function median(values, n,   sorted, i, j, t) {
      for (i = 1; i <= n; i++) sorted[i] = values[i]
      for (i = 2; i <= n; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
      return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2 }
    { n++; ratio[n] = $3; distance[n] = $4; p50[n] = $7; passed += $5 == "yes"
      ratioSum += $3; distanceSum += $4
      if ($3 > ratioWorst) ratioWorst = $3; if ($4 > distanceWorst) distanceWorst = $4
      if ($6 == "never") never++; else { m++; firstAt[m] = $6; firstSum += $6 } }
    END { printf "%s\t%d\t%d\t%.3f\t%.3f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%s\t%d\t%d\n", networks, n, passed,
            ratioSum / n, median(ratio, n), ratioWorst, distanceSum / n, median(distance, n), distanceWorst,
            m ? sprintf("%.1f", firstSum / m) : "-", m ? median(firstAt, m) : "-", never, median(p50, n) }'
done
