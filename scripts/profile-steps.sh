#!/usr/bin/env bash
# Instruction counts per step of one `yoshiki render`, for the sheet and the
# plan, from callgrind (valgrind): repeatable on a busy machine, unlike wall
# time. Prints one table (millions of instructions, inclusive):
#
#   total, process start + exit (outside `main`), CLI (clap, messages),
#   reading + YAML parsing (`Source::read`/`parse`/`read_data`), validation
#   (the rest of `Form::from_data`), layout (`Form::lay_out_for`) with the
#   composition (`text::setter::set_*`) and the geometry check
#   (`layout::check`) inside it, PDF (`pdf::write`) split
#   into subsetting, deflate, content streams, PDF serialisation (the rest),
#   and writing the file.
#
# Usage: scripts/profile-steps.sh [BINARY]
#   BINARY defaults to target/profiling/yoshiki, built first: release code
#   with symbols and line tables (the release binary has no symbols, so
#   callgrind could not name the steps). PROFILE=NAME builds and uses
#   another profile. KEEP=1 keeps the callgrind files.
# Needs valgrind, callgrind_annotate and python3.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for tool in valgrind callgrind_annotate python3; do
    command -v "$tool" >/dev/null || { echo "profile-steps: $tool is not installed" >&2; exit 2; }
done

bin=${1:-}
if [[ -z "$bin" ]]; then
    profile=${PROFILE:-profiling}
    echo "== building (cargo build --profile $profile)" >&2
    cargo build --profile "$profile" --quiet
    bin=target/$profile/yoshiki
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/yoshiki-profile.XXXXXX")
if [[ "${KEEP:-}" == 1 ]]; then echo "profile-steps: keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi

for doc in sheet:data/shinko-kanri/r07-no06.yaml plan:data/jinzai-plan/h30-r04.yaml; do
    name=${doc%%:*}
    valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg" \
        "$bin" -q render "${doc#*:}" -o "$tmp/$name.pdf" 2>/dev/null
    callgrind_annotate --inclusive=yes --threshold=100 "$tmp/$name.cg" >"$tmp/$name.txt" 2>/dev/null
    echo "$name: $(stat -c %s "$tmp/$name.pdf") bytes" >&2
done

python3 - "$tmp/sheet.txt" "$tmp/plan.txt" <<'EOF'
import re, sys

def load(path):
    """Inclusive Ir by function name (the largest entry: callgrind lists a
    function once per source file its inlined code came from)."""
    cost, total = {}, 0
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        rest = re.sub(r" \[[^\]]*\]$", "", m.group(2))
        if rest == "PROGRAM TOTALS":
            total = ir
            continue
        fn = rest.split(":", 1)[1] if ":" in rest else rest
        fn = re.sub(r"'\d+$", "", fn)  # recursion levels: keep the outermost
        cost[fn] = max(cost.get(fn, 0), ir)
    return cost, total

def get(cost, *names):
    return sum(cost.get(n, 0) for n in names)

def any_prefix(cost, *prefixes):
    return sum(v for k, v in cost.items() if k.startswith(prefixes))

def steps(path):
    c, total = load(path)
    main = get(c, "yoshiki::main")
    from_data = get(c, "yoshiki::render::Form::from_data")
    render = get(c, "yoshiki::render::Form::render_year")
    read = get(c, "yoshiki::source::Source::read")
    # A data file is parsed by Source::read_data, which calls Source::parse
    # only for the message of a file it declines.
    parse = get(c, "yoshiki::source::Source::parse", "yoshiki::source::Source::read_data")
    # lay_out is inlined into Form::lay_out_for, which also runs the
    # geometry check (every glyph's ink inside its cell).
    layout = get(c, "yoshiki::render::Form::lay_out_for") or get(c, "yoshiki::layout::page::lay_out")
    check = get(c, "yoshiki::layout::check::document")
    compose = get(c, *("yoshiki::text::setter::" + f for f in
                       ("set_paragraphs", "set_solid", "set_spread", "set_stacked")))
    pdf = get(c, "yoshiki::pdf::write")
    # Subsetting: the glyph plan and the program (round 4); before, one
    # `subset` (or, inlined, what was left of it: `assemble`).
    subset = get(c, "yoshiki::pdf::subset::plan", "yoshiki::pdf::subset::program") or (
        get(c, "yoshiki::pdf::subset::subset") or get(c, "yoshiki::pdf::subset::assemble"))
    # Deflate: our own entry point, or (before it existed) flate2's.
    deflate = get(c, "yoshiki::pdf::deflate::with_zlib") or get(c, "yoshiki::pdf::deflate::zlib")
    if not deflate:
        deflate = get(c, "flate2::mem::Compress::new", "flate2::zio::Writer<W,D>::write_with_status",
                      "flate2::zio::Writer<W,D>::finish")
    content = get(c, "yoshiki::pdf::content::page") or (
        get(c, "printpdf::serialize::translate_operations", "yoshiki::pdf::page_ops"))
    write = any_prefix(c, "yoshiki::output::write_atomic")
    rows = [
        ("total (callgrind)", total),
        ("process start + exit (outside main)", total - main),
        ("CLI: arguments, messages", main - from_data - render - write),
        ("read + YAML parse (Source::read/parse/read_data)", read + parse),
        ("validation (rest of Form::from_data)", from_data - read - parse),
        ("layout (Form::lay_out_for)", layout),
        ("  of which composition (text::setter)", compose),
        ("  of which the geometry check (layout::check)", check),
        ("PDF (pdf::write)", pdf),
        ("  subsetting (pdf::subset::plan + program)", subset),
        ("  deflate", deflate),
        ("  content streams", content),
        ("  PDF objects + serialisation (rest)", pdf - subset - deflate - content),
        ("rest of render (draw, rules)", render - layout - pdf),
        ("font files parsed (font::Face::parse; inside the above)", get(c, "yoshiki::font::Face::parse")),
        ("write the file (output::write_atomic)", write),
    ]
    return rows

a, b = steps(sys.argv[1]), steps(sys.argv[2])
print(f"| step | sheet (M Ir) | plan (M Ir) |")
print(f"|---|---:|---:|")
for (name, x), (_, y) in zip(a, b):
    print(f"| {name} | {x / 1e6:.2f} | {y / 1e6:.2f} |")
EOF
