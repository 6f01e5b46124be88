#!/usr/bin/env bash
# Time the whole `yoshiki` process, cold (a new process per run), against
# the targets in docs/performance.md:
#
#   render of the filled sheet (data/shinko-kanri/r07-no06.yaml)  ≤ 20 ms median
#   render of the plan table   (data/jinzai-plan/h30-r04.yaml)    ≤ 40 ms median
#   batch over 1,000 copies of the sheet                           ≥ 300 sheets/s
#   peak memory (max RSS) of either render                         ≤ 50 MB
#   PDF size: sheet ≤ 70 KB, plan ≤ 160 KB                         (KB = 1,024 bytes)
#
# Needs hyperfine, GNU time (/usr/bin/time), jq and cargo. Prints a
# summary table; exits 0 even when a target is missed (this is a
# measurement, not a test). Settings, from the environment:
#
#   RUNS=20 WARMUP=3             hyperfine runs/warmups for the two renders
#   BATCH_RUNS=10 BATCH_WARMUP=3 the same for the batch
#   SHEETS=1000                  sheets in the batch
#   KEEP=1                       keep the temp folder (its path is printed)
#
# Usage: scripts/bench-cli.sh   (from anywhere; builds --release first)

set -euo pipefail

RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
BATCH_RUNS=${BATCH_RUNS:-10}
BATCH_WARMUP=${BATCH_WARMUP:-3}
SHEETS=${SHEETS:-1000}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

for tool in hyperfine jq cargo column; do
    command -v "$tool" >/dev/null || { echo "bench-cli: $tool is not installed" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "bench-cli: GNU time (/usr/bin/time) is not installed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yoshiki-bench-cli.XXXXXX")
cleanup() {
    if [[ "${KEEP:-}" == 1 ]]; then
        echo "bench-cli: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT

echo "== building (cargo build --release)" >&2
cargo build --release --quiet
# A copy, so that a rebuild by someone else during the run cannot change
# the binary under measurement.
bin="$tmp/yoshiki"
cp target/release/yoshiki "$bin"

sheet="$root/data/shinko-kanri/r07-no06.yaml"
plan="$root/data/jinzai-plan/h30-r04.yaml"

echo "== machine" >&2
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo "nproc $(nproc); CPU: $cpu; memory: $mem; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(rustc -V); $(hyperfine --version)"

# hyperfine NAME RUNS WARMUP [--prepare CMD] -- COMMAND...: writes $tmp/NAME.json
measure() {
    local name=$1 runs=$2 warmup=$3
    shift 3
    local prepare=()
    if [[ "$1" == --prepare ]]; then
        prepare=(--prepare "$2")
        shift 2
    fi
    [[ "$1" == -- ]] && shift
    echo "== hyperfine: $name" >&2
    hyperfine -N --style basic --warmup "$warmup" --runs "$runs" "${prepare[@]}" \
        --export-json "$tmp/$name.json" "$(printf '%q ' "$@")" >&2
}

# Statistic (mean, median, min, max, stddev) of a hyperfine result, in ms.
ms() { jq -r ".results[0].$2 * 1000" "$tmp/$1.json"; }

# Mean CPU time (user + system) of a hyperfine result, in ms: less
# sensitive than wall time to other work on a shared machine.
cpu() { jq -r ".results[0] | (.user + .system) * 1000" "$tmp/$1.json"; }

# Max RSS in KB of one run of a command, from GNU time -v.
max_rss() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}'
}

# --- one sheet, one plan ------------------------------------------------
measure sheet "$RUNS" "$WARMUP" -- "$bin" render "$sheet" -o "$tmp/sheet.pdf"
measure plan "$RUNS" "$WARMUP" -- "$bin" render "$plan" -o "$tmp/plan.pdf"
sheet_rss=$(max_rss "$bin" render "$sheet" -o "$tmp/sheet.pdf")
plan_rss=$(max_rss "$bin" render "$plan" -o "$tmp/plan.pdf")
sheet_size=$(stat -c %s "$tmp/sheet.pdf")
plan_size=$(stat -c %s "$tmp/plan.pdf")

# --- a batch of $SHEETS copies of the sheet ------------------------------
# Data files find layouts/NAME.yaml in their folder or above, so the copies
# go under $tmp/batch/data/ with layouts/ beside it.
mkdir -p "$tmp/batch/data/sheets" "$tmp/batch/layouts"
cp "$root"/layouts/*.yaml "$tmp/batch/layouts/"
for ((i = 0; i < SHEETS; i++)); do
    cp "$sheet" "$(printf '%s/batch/data/sheets/s%04d.yaml' "$tmp" "$i")"
done
out="$tmp/batch/out"
measure batch "$BATCH_RUNS" "$BATCH_WARMUP" --prepare "rm -rf $out" -- \
    "$bin" batch "$tmp/batch/data" -o "$out"
written=$(find "$out" -name '*.pdf' | wc -l)
[[ "$written" == "$SHEETS" ]] || { echo "bench-cli: the batch wrote $written PDFs, not $SHEETS" >&2; exit 1; }
rm -rf "$out"
batch_rss=$(max_rss "$bin" batch "$tmp/batch/data" -o "$out")

# --- summary ------------------------------------------------------------
verdict() { if awk "BEGIN {exit !($1)}"; then echo ok; else echo MISSED; fi; }

sheet_med=$(ms sheet median)
plan_med=$(ms plan median)
batch_mean=$(ms batch mean)
batch_med=$(ms batch median)
rate_mean=$(awk "BEGIN {printf \"%.0f\", $SHEETS / ($batch_mean / 1000)}")
rate_med=$(awk "BEGIN {printf \"%.0f\", $SHEETS / ($batch_med / 1000)}")
kb() { awk "BEGIN {printf \"%.1f\", $1 / 1024}"; }
mb() { awk "BEGIN {printf \"%.1f\", $1 / 1024}"; }

echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
{
    echo "figure|measured|target|verdict"
    printf '%s|%s|%s|%s\n' "render sheet (median of $RUNS)" \
        "$(printf '%.1f ms (mean %.1f, min %.1f; CPU %.1f)' "$sheet_med" "$(ms sheet mean)" "$(ms sheet min)" "$(cpu sheet)")" "≤ 20 ms" \
        "$(verdict "$sheet_med <= 20")"
    printf '%s|%s|%s|%s\n' "render plan (median of $RUNS)" \
        "$(printf '%.1f ms (mean %.1f, min %.1f; CPU %.1f)' "$plan_med" "$(ms plan mean)" "$(ms plan min)" "$(cpu plan)")" "≤ 40 ms" \
        "$(verdict "$plan_med <= 40")"
    printf '%s|%s|%s|%s\n' "batch of $SHEETS sheets ($BATCH_RUNS runs)" \
        "$(printf '%s sheets/s = %s / %.2f s mean (median: %s/s)' "$rate_mean" "$SHEETS" \
            "$(awk "BEGIN {print $batch_mean / 1000}")" "$rate_med")" \
        "≥ 300/s" "$(verdict "$rate_mean >= 300")"
    printf '%s|%s|%s|%s\n' "batch CPU time per sheet" \
        "$(jq -r ".results[0] | \"\\((.user + .system) * 1e3 / $SHEETS | . * 100 | round / 100) ms (user+sys); \\((.user + .system) / .mean * 100 | round / 100) cores busy\"" "$tmp/batch.json")" \
        "-" "-"
    printf '%s|%s|%s|%s\n' "max RSS, render sheet" "$(mb "$sheet_rss") MB" "≤ 50 MB" \
        "$(verdict "$sheet_rss <= 50 * 1024")"
    printf '%s|%s|%s|%s\n' "max RSS, render plan" "$(mb "$plan_rss") MB" "≤ 50 MB" \
        "$(verdict "$plan_rss <= 50 * 1024")"
    printf '%s|%s|%s|%s\n' "max RSS, batch" "$(mb "$batch_rss") MB" "-" "-"
    printf '%s|%s|%s|%s\n' "size, sheet PDF" "$(kb "$sheet_size") KB ($sheet_size bytes)" "≤ 70 KB" \
        "$(verdict "$sheet_size <= 70 * 1024")"
    printf '%s|%s|%s|%s\n' "size, plan PDF" "$(kb "$plan_size") KB ($plan_size bytes)" "≤ 160 KB" \
        "$(verdict "$plan_size <= 160 * 1024")"
} | column -t -s '|'
