#!/usr/bin/env bash
# Clean-build cost of yoshiki at one or more git revisions: for each, the
# tree at that revision is copied to a temp folder (`git archive`), its
# crates are fetched (not timed), and
#
#   cargo build --release --locked      with a fresh, empty CARGO_TARGET_DIR
#
# is timed with GNU time. Prints, per revision: wall and CPU (user + sys)
# time, units compiled, the release binary's size (what
# `cargo install --locked --path .` installs), and the dependency counts
# from `cargo tree` (normal dependencies; normal + build + proc-macro).
#
# Usage: scripts/bench-build.sh [REV ...]      (default: HEAD)
#   e.g. scripts/bench-build.sh 06cbc32 HEAD   (before/after a change)
# Settings, from the environment:
#   JOBS=N     cargo -j N (default: cargo's, one per core)
#   TIMINGS=1  also write cargo's --timings report next to the summary
#   KEEP=1     keep the temp folder (its path is printed)
# A clean build takes minutes: run it on a quiet machine.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for tool in git cargo tar; do
    command -v "$tool" >/dev/null || { echo "bench-build: $tool is not installed" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "bench-build: GNU time (/usr/bin/time) is not installed" >&2; exit 2; }

revs=("$@")
[[ ${#revs[@]} -gt 0 ]] || revs=(HEAD)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yoshiki-bench-build.XXXXXX")
if [[ "${KEEP:-}" == 1 ]]; then echo "bench-build: keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi

jobs=()
[[ -n "${JOBS:-}" ]] && jobs=(-j "$JOBS")
timings=()
[[ "${TIMINGS:-}" == 1 ]] && timings=(--timings)

echo "nproc $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg); $(rustc -V); $(cargo -V)"
rows=()
for rev in "${revs[@]}"; do
    commit=$(git rev-parse --short "$rev^{commit}")
    src="$tmp/$commit/src"
    target="$tmp/$commit/target"
    mkdir -p "$src" "$target"
    git archive "$commit" | tar -x -C "$src"
    echo "== $rev ($commit): fetching crates (not timed)" >&2
    (cd "$src" && cargo fetch --locked --quiet)
    echo "== $rev ($commit): cargo build --release --locked (clean)" >&2
    (cd "$src" && CARGO_TARGET_DIR="$target" /usr/bin/time -f '%e %U %S' -o "$tmp/$commit/time" \
        cargo build --release --locked "${jobs[@]}" "${timings[@]}" 2>"$tmp/$commit/build.log")
    read -r wall user sys <"$tmp/$commit/time"
    units=$(grep -c '^ *Compiling ' "$tmp/$commit/build.log" || true)
    bin="$target/release/yoshiki"
    size=$(stat -c %s "$bin")
    normal=$(cd "$src" && cargo tree --locked -e normal --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)
    all=$(cd "$src" && cargo tree --locked -e normal,build --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)
    if [[ "${TIMINGS:-}" == 1 ]]; then
        report=$(ls "$src"/target/cargo-timings/cargo-timing.html "$target"/cargo-timings/cargo-timing.html 2>/dev/null | head -1 || true)
        [[ -n "$report" ]] && cp "$report" "$root/target/cargo-timing-$commit.html" && echo "timings: target/cargo-timing-$commit.html" >&2
    fi
    rows+=("$(printf '%s|%s|%.0f s (%dm%02ds)|%.0f s|%s|%.1f MB (%s bytes)|%s|%s' "$rev" "$commit" \
        "$wall" "$(awk "BEGIN {print int($wall / 60)}")" "$(awk "BEGIN {print int($wall) % 60}")" \
        "$(awk "BEGIN {print $user + $sys}")" "$units" "$(awk "BEGIN {print $size / 1e6}")" "$size" "$normal" "$all")")
done

echo
{
    echo "revision|commit|wall|CPU (user+sys)|units compiled|binary|crates (normal)|crates (+build, proc-macro)"
    printf '%s\n' "${rows[@]}"
} | column -t -s '|'
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
