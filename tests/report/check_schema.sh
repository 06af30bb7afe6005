#!/usr/bin/env bash
# The report schema (src/report/schema/fitcheck.check-0.2.schema.json) against real outputs of `fitcheck check`:
# a shoe with recommendations and symptoms, a fitting shoe ("no change needed"), a sock alone; and a document the
# schema must reject (so the check can fail). usage: check_schema.sh FITCHECK_BINARY SOURCE_DIR
set -euo pipefail
cli=$1 src=$2
schema="$src/src/report/schema/fitcheck.check-0.2.schema.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" check "$src/scans/foot-right.ply" "$src/lasts/last-narrow.ply" --run-minutes 20 \
  --symptoms "where=instep,onset=20,resolves=5" --report "$tmp/report" --json > "$tmp/narrow.json"
"$cli" check "$src/scans/foot-right.ply" "$src/lasts/last-fit.stl" --json > "$tmp/fit.json"
"$cli" check "$src/scans/foot-right.ply" "$src/lasts/sock-class1.json" --json > "$tmp/sock.json"
python3 "$src/tools/validate_json.py" "$schema" "$tmp/narrow.json" "$tmp/fit.json" "$tmp/sock.json" "$tmp/report/report.json"
# The HTML page is self-contained: five heat-map views and the colour bar inline, no outside resources.
html="$tmp/report/report.html"
test "$(grep -o 'data:image/png;base64' "$html" | wc -l)" -eq 6 || { echo "report.html: expected 6 inline PNGs" >&2; exit 1; }
if grep -Eq '(src|href)="(https?:)?//' "$html"; then echo "report.html refers to an outside resource" >&2; exit 1; fi
grep -q 'Recommendations' "$html" || { echo "report.html has no recommendations table" >&2; exit 1; }
for f in pressure_peak.ply pressure_peak.glb pressure.pvd summary.txt; do
  test -s "$tmp/report/$f" || { echo "report: $f missing" >&2; exit 1; }
done
# A risk the schema does not know must be rejected.
sed 's/"risk": "high"/"risk": "extreme"/' "$tmp/narrow.json" > "$tmp/bad.json"
if python3 "$src/tools/validate_json.py" "$schema" "$tmp/bad.json" 2>/dev/null; then
  echo "schema accepted an unknown risk value" >&2
  exit 1
fi
grep -q '"risk": "extreme"' "$tmp/bad.json"  # the mutation happened
echo "schema check passed"
