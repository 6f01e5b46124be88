#!/usr/bin/env bash
# Time the whole `yoshiki` process, cold (a new process per run), against
# the targets of the "Lean and fast" issue (docs/performance.md):
#
#   render of the filled sheet (data/shinko-kanri/r07-no06.yaml)  ≤ 5 ms mean
#   render of the plan table   (data/jinzai-plan/h30-r04.yaml)    ≤ 12 ms mean
#   batch over 1,000 copies of the sheet                           ≥ 1,000 sheets/s
#   peak memory (max RSS) of one sheet                             ≤ 30 MB
#   the release binary (what `cargo install --locked` installs)   ≤ 20 MB
#   PDF size: sheet ≤ 70,000 bytes, plan ≤ 160 KB
#   scaling, 10× the rows: ≤ 10.5× the time, sheet and plan        (cargo bench --bench render -- scaling)
#
# The clean-build time is scripts/bench-build.sh's (minutes; run apart).
# Needs hyperfine, GNU time (/usr/bin/time), jq and cargo. Prints a
# summary table; exits 0 even when a target is missed (this is a
# measurement, not a test). Settings, from the environment:
#
#   RUNS=30 WARMUP=5             hyperfine runs/warmups for the two renders
#   BATCH_RUNS=10 BATCH_WARMUP=3 the same for the batch
#   SHEETS=1000                  sheets in the batch
#   SCALING=0                    skip the scaling bench (about 2 minutes)
#   KEEP=1                       keep the temp folder (its path is printed)
#
# The batch's copies are identical, so all but the first find their fonts'
# subset and compressed program in the process's cache; documents that each
# use a different set of glyphs cost about 1.5 ms of CPU more each (see
# docs/performance.md).
#
# Usage: scripts/bench-cli.sh   (from anywhere; builds --release first)

set -euo pipefail

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-5}
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
    [[ -n "${shm_out:-}" ]] && rm -rf "$shm_out"
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
# The same batch writing to memory (tmpfs), when there is one: what yoshiki
# itself costs. On a disk, creating 1,000 files right after deleting 1,000
# can cost the file system more than yoshiki's own work (ext4 without a
# journal, as on the machine of docs/performance.md, searches its inode
# bitmaps for inodes not recently deleted).
shm_rate="-"
if [[ -d /dev/shm && -w /dev/shm ]]; then
    shm_out=$(mktemp -d /dev/shm/yoshiki-bench-cli.XXXXXX)
    measure batch_shm "$BATCH_RUNS" "$BATCH_WARMUP" --prepare "rm -rf $shm_out/out" -- \
        "$bin" batch "$tmp/batch/data" -o "$shm_out/out"
    rm -rf "$shm_out"
    shm_mean=$(ms batch_shm mean)
    shm_rate=$(printf '%s sheets/s = %s / %.2f s mean; %s' \
        "$(awk "BEGIN {printf \"%.0f\", $SHEETS / ($shm_mean / 1000)}")" "$SHEETS" \
        "$(awk "BEGIN {print $shm_mean / 1000}")" \
        "$(jq -r ".results[0] | \"\\((.user + .system) * 1e3 / $SHEETS | . * 100 | round / 100) ms CPU a sheet\"" "$tmp/batch_shm.json")")
fi

# --- the binary ---------------------------------------------------------
bin_size=$(stat -c %s "$root/target/release/yoshiki")

# --- scaling: 10× the rows, in-process (criterion bench) ------------------
scaling_sheet="-" scaling_plan="-"
if [[ "${SCALING:-1}" != 0 ]]; then
    echo "== cargo bench --bench render -- scaling/" >&2
    cargo bench --quiet --bench render -- scaling/ 2>"$tmp/scaling.txt" >/dev/null || true
    # "  sheet lay_out    0.23 ms →     0.76 ms  ×3.30   render    6.10 ms →    10.40 ms  ×1.70"
    scaling_sheet=$(awk '$1 == "sheet" && $2 == "lay_out" {print "lay_out " $8 ", render " $15}' "$tmp/scaling.txt")
    scaling_plan=$(awk '$1 == "plan" && $2 == "lay_out" {print "lay_out " $8 ", render " $15}' "$tmp/scaling.txt")
fi
# The largest ratio of a line, for the verdict.
worst() { echo "$1" | tr -c '0-9.\n' ' ' | awk '{m = 0; for (i = 1; i <= NF; i++) if ($i + 0 > m) m = $i + 0; print m}'; }

# --- summary ------------------------------------------------------------
verdict() { if awk "BEGIN {exit !($1)}"; then echo ok; else echo MISSED; fi; }

sheet_mean=$(ms sheet mean)
plan_mean=$(ms plan mean)
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
    printf '%s|%s|%s|%s\n' "render sheet (mean of $RUNS, cold)" \
        "$(printf '%.2f ms (median %.2f, min %.2f, σ %.2f; CPU %.2f)' "$sheet_mean" "$(ms sheet median)" "$(ms sheet min)" "$(ms sheet stddev)" "$(cpu sheet)")" "≤ 5 ms" \
        "$(verdict "$sheet_mean <= 5")"
    printf '%s|%s|%s|%s\n' "render plan (mean of $RUNS, cold)" \
        "$(printf '%.2f ms (median %.2f, min %.2f, σ %.2f; CPU %.2f)' "$plan_mean" "$(ms plan median)" "$(ms plan min)" "$(ms plan stddev)" "$(cpu plan)")" "≤ 12 ms" \
        "$(verdict "$plan_mean <= 12")"
    printf '%s|%s|%s|%s\n' "batch of $SHEETS sheets ($BATCH_RUNS runs)" \
        "$(printf '%s sheets/s = %s / %.2f s mean (median: %s/s)' "$rate_mean" "$SHEETS" \
            "$(awk "BEGIN {print $batch_mean / 1000}")" "$rate_med")" \
        "≥ 1,000/s" "$(verdict "$rate_mean >= 1000")"
    printf '%s|%s|%s|%s\n' "batch CPU time per sheet" \
        "$(jq -r ".results[0] | \"\\((.user + .system) * 1e3 / $SHEETS | . * 100 | round / 100) ms (user+sys); \\((.user + .system) / .mean * 100 | round / 100) cores busy\"" "$tmp/batch.json")" \
        "-" "-"
    printf '%s|%s|%s|%s\n' "batch, output in memory (/dev/shm)" "$shm_rate" "-" "-"
    printf '%s|%s|%s|%s\n' "max RSS, render sheet" "$(mb "$sheet_rss") MB" "≤ 30 MB" \
        "$(verdict "$sheet_rss <= 30 * 1024")"
    printf '%s|%s|%s|%s\n' "max RSS, render plan" "$(mb "$plan_rss") MB" "-" "-"
    printf '%s|%s|%s|%s\n' "max RSS, batch" "$(mb "$batch_rss") MB" "-" "-"
    printf '%s|%s|%s|%s\n' "size, sheet PDF" "$sheet_size bytes ($(kb "$sheet_size") KB)" "≤ 70,000 bytes" \
        "$(verdict "$sheet_size <= 70000")"
    printf '%s|%s|%s|%s\n' "size, plan PDF" "$(kb "$plan_size") KB ($plan_size bytes)" "≤ 160 KB" \
        "$(verdict "$plan_size <= 160 * 1024")"
    printf '%s|%s|%s|%s\n' "release binary (target/release/yoshiki)" \
        "$(awk "BEGIN {printf \"%.1f MB (%d bytes)\", $bin_size / 1e6, $bin_size}")" "≤ 20 MB" \
        "$(verdict "$bin_size <= 20e6")"
    if [[ "$scaling_sheet" != - ]]; then
        printf '%s|%s|%s|%s\n' "scaling sheet, 10× / 1× time" "$scaling_sheet" "≤ ×10.5" \
            "$(verdict "$(worst "$scaling_sheet") <= 10.5")"
        printf '%s|%s|%s|%s\n' "scaling plan, 10× / 1× time" "$scaling_plan" "≤ ×10.5" \
            "$(verdict "$(worst "$scaling_plan") <= 10.5")"
    fi
} | column -t -s '|'
