//! The layout's expressions and the data as people write it, through the
//! CLI: every mistake in an expression (an unknown name, a wrong type, a
//! division by zero, a limit exceeded) is an input error (exit 2) located
//! at the expression's own line and column with a caret, and nothing is
//! written; dates and months are read as people write them; text prints
//! as it is typed.

mod common;

use common::*;

/// A small layout computing from a date and a number.
const LAYOUT: &str = "\
fields:
  d: date
  n: number
compute:
  half: \"n / 2\"
body:
  - table:
      rows:
        - cells:
            - { label: 日付 }
            - { value: \"weekday(d)\" }
            - { value: \"half\", places: 1 }
";

const DATA: &str = "\
layout: f
fields:
  d: 2026-02-20
  n: 3
";

fn project(test: &str, layout: &str, data: &str) -> TempDir {
    let dir = TempDir::new(&format!("expr-{test}"));
    dir.write("layouts/f.yaml", layout);
    dir.write("data/x.yaml", data);
    dir
}

fn layout_with(from: &str, to: &str) -> String {
    assert!(LAYOUT.contains(from), "{from:?} not in LAYOUT");
    LAYOUT.replacen(from, to, 1)
}

/// `render` fails with exit 2, writes nothing, and points at `file:line:col`
/// with a caret under that column.
fn fails_at(dir: &TempDir, file: &str, line: usize, col: usize) -> Run {
    let before = files_under(&dir.path);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "expected exit code 2:\n{}", run.describe());
    assert!(run.stderr.starts_with("error: "), "{}", run.describe());
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    assert_eq!(files_under(&dir.path), before, "files written despite the error:\n{}", run.describe());
    let at = format!("--> {file}:{line}:{col}\n");
    assert!(run.stderr.contains(&at), "not located at {at}:\n{}", run.describe());
    // The caret line: `  |` then spaces up to the column of the mistake.
    let caret = run.stderr.lines().find(|l| l.trim_end().ends_with('^')).expect("a caret line");
    let quoted = run.stderr.lines().find(|l| l.trim_start().starts_with(&format!("{line} |"))).expect("the line");
    let caret_col = caret.chars().count() - 1 - caret.find('|').unwrap();
    let quoted_col = quoted.find('|').map(|i| quoted[i..].chars().count()).unwrap();
    assert!(caret_col <= quoted_col, "the caret is beyond the quoted line:\n{}", run.stderr);
    run
}

fn col_of(text: &str, line: usize, needle: &str) -> usize {
    let l = text.lines().nth(line - 1).unwrap();
    l[..l.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {l:?}"))].chars().count() + 1
}

#[test]
fn the_layout_renders_as_written() {
    let dir = project("ok", LAYOUT, DATA);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = strip_ws(&pdftotext(&dir.join("out.pdf"), &[]));
    assert_eq!(text, "日付金１．５");
}

#[test]
fn an_unknown_name_is_located_at_the_name() {
    let layout = layout_with("weekday(d)", "weekday(dd)");
    let dir = project("unknown", &layout, DATA);
    let run = fails_at(&dir, "layouts/f.yaml", 11, col_of(&layout, 11, "dd)"));
    assert!(run.stderr.contains("there is no field or value named `dd`"), "{}", run.stderr);
    assert!(run.stderr.contains("= field: body[0].table.rows[0].cells[1].value"), "{}", run.stderr);
}

#[test]
fn a_wrong_type_is_located_at_the_call() {
    let layout = layout_with("weekday(d)", "weekday(n)");
    let dir = project("type", &layout, DATA);
    let run = fails_at(&dir, "layouts/f.yaml", 11, col_of(&layout, 11, "weekday(n)"));
    assert!(run.stderr.contains("weekday needs a date, but got a number (3)"), "{}", run.stderr);
    assert!(run.stderr.contains("`n` is fields.n in the data file"), "the data field is named: {}", run.stderr);
}

#[test]
fn adding_a_number_to_a_date_suggests_add_days() {
    let layout = layout_with("weekday(d)", "d + 1");
    let dir = project("date-plus", &layout, DATA);
    let run = fails_at(&dir, "layouts/f.yaml", 11, col_of(&layout, 11, "+ 1"));
    assert!(run.stderr.contains("add_days"), "{}", run.stderr);
}

#[test]
fn division_by_zero_is_located_at_the_division() {
    let layout = layout_with("n / 2", "n / (n - 3)");
    let dir = project("div0", &layout, DATA);
    let run = fails_at(&dir, "layouts/f.yaml", 5, col_of(&layout, 5, "/ (n"));
    assert!(run.stderr.contains("division by zero"), "{}", run.stderr);
    assert!(run.stderr.contains("= field: compute.half"), "{}", run.stderr);
}

#[test]
fn going_over_a_limit_is_located() {
    // A list of 100 001 days is over the limit of list items.
    let layout = layout_with("n / 2", "len(days(d, add_days(d, 100000)))");
    let dir = project("limit", &layout, DATA);
    let run = fails_at(&dir, "layouts/f.yaml", 5, col_of(&layout, 5, "days(d"));
    assert!(run.stderr.contains("over the limit"), "{}", run.stderr);
    // Nesting deeper than the limit is refused too, at the expression.
    let deep = format!("{}n{}", "(".repeat(80), ")".repeat(80));
    let layout = layout_with("n / 2", &deep);
    let dir = project("deep", &layout, DATA);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("--> layouts/f.yaml:5:"), "{}", run.stderr);
}

#[test]
fn a_syntax_error_is_a_layout_error_even_for_a_blank_form() {
    let layout = layout_with("weekday(d)", "weekday(d");
    let dir = project("syntax", &layout, DATA);
    let run = yoshiki_in(&dir.path, ["blank", "layouts/f.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("--> layouts/f.yaml:11:"), "{}", run.stderr);
    assert!(!dir.join("out.pdf").exists());
}

#[test]
fn computed_values_that_use_each_other_in_a_circle_are_refused() {
    let layout = layout_with("  half: \"n / 2\"\n", "  half: \"other / 2\"\n  other: \"half + 1\"\n");
    let dir = project("cycle", &layout, DATA);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("in a circle"), "{}", run.stderr);
    assert!(run.stderr.contains("--> layouts/f.yaml:"), "{}", run.stderr);
}

#[test]
fn dates_and_months_as_people_write_them() {
    let layout = "\
fields:
  m: month
body:
  - table:
      rows:
        - cells: [{ date: a }, { date: b }, { date: c }]
        - cells: [{ date: e }, { date: f }, { value: \"wareki_ym(m)\" }]
";
    let data = "\
layout: f
fields:
  a: 2025-10-03
  b: 2025/10/3
  c: 令和元年5月1日
  e: R7.10.3
  f: ２０２５－１０－０３
  m: 令和7年10月
";
    let dir = project("dates", layout, data);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = strip_ws(&pdftotext(&dir.join("out.pdf"), &[]));
    assert_eq!(count(&text, "令和７年１０月３日"), 4, "{text}");
    assert!(text.contains("令和元年５月１日"), "{text}");
    assert!(text.contains("令和７年１０月"), "{text}");

    // Impossible dates are located errors naming the month's length.
    let bad = data.replace("R7.10.3", "R7.2.29");
    let dir = project("bad-date", layout, &bad);
    let run = fails_at(&dir, "data/x.yaml", 6, 3);
    assert!(run.stderr.contains("2025-02 has 28 days, so there is no day 29"), "{}", run.stderr);
    let bad = data.replace("令和7年10月", "2025-13");
    let dir = project("bad-month", layout, &bad);
    let run = fails_at(&dir, "data/x.yaml", 8, 3);
    assert!(run.stderr.contains("no month 13"), "{}", run.stderr);

    // A blank form keeps 令和　　年　　月　　日.
    let run = yoshiki_in(&dir.path, ["blank", "layouts/f.yaml", "-o", "blank.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = strip_ws(&pdftotext(&dir.join("blank.pdf"), &[]));
    assert_eq!(count(&text, "令和"), 5, "five blank dates:\n{text}");
}

#[test]
fn text_prints_exactly_as_typed() {
    let layout = "\
body:
  - table:
      rows:
        - cells: [{ text: a }, { text: b }, { text: c }, { text: e }, { text: g }, { text: \"{a}版\" }]
        - cells: [{ text: naiyo }]
";
    let data = "\
layout: f
fields:
  a: 3.10
  b: 1e3
  c: 0x10
  e: +12
  g: 007
  naiyo: >
    はじめに
    ・一つ目
";
    let dir = project("as-typed", layout, data);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let words: Vec<String> =
        pdftotext(&dir.join("out.pdf"), &["-layout"]).split_whitespace().map(String::from).collect();
    for typed in ["3.10", "1e3", "0x10", "+12", "007"] {
        assert!(words.contains(&typed.to_string()), "`{typed}` is not printed as typed: {words:?}");
    }
    assert!(strip_ws(&words.concat()).contains("3.10版"), "a placeholder prints the text as typed: {words:?}");
    // A folded text whose lines are bullets is joined by YAML: a warning.
    assert!(run.stderr.contains("fields.naiyo") && run.stderr.contains("|-"), "{}", run.describe());

    // A tag outside YAML's core schema is refused.
    let tagged = data.replace("a: 3.10", "a: !!binary aGVsbG8=");
    let dir = project("tag", layout, &tagged);
    let run = fails_at(&dir, "data/x.yaml", 3, 3);
    assert!(run.stderr.contains("the tag `!!binary`"), "{}", run.stderr);
}

#[test]
fn conditions_and_number_styles_follow_the_data() {
    let layout = "\
fields:
  items: { list: { name: text, amt: amount } }
compute:
  total: sum(items, \"amt\")
body:
  - text: \"合計は{total}円です\"
  - text: 赤字です
    when: total < 0
  - text: 黒字です
    when: total >= 0
  - table:
      rows:
        - for_each: items
          when: \"amt != 0\"
          cells:
            - { text: name, width: 20 }
            - { value: \"amt\", sign: minus, suffix: 円, width: 40 }
            - { value: \"amt * 1.1\", places: 2, sign: triangle, digits: ascii, width: 40 }
            - { label: 注意, visible: { when: \"amt < -1000\" } }
        - cells:
            - { label: 計 }
            - { value: total, grouping: true, prefix: ￥ }
";
    let data = "\
layout: f
fields:
  items:
    - { name: 売上, amt: 12000 }
    - { name: ゼロ, amt: 0 }
    - { name: 経費, amt: -15000.5 }
";
    let dir = project("conditions", layout, data);
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let lines: Vec<String> =
        pdftotext(&dir.join("out.pdf"), &["-layout"]).lines().map(strip_ws).filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "合計は－３０００．５円です",
            "赤字です",
            "売上１２０００円13200.00",
            "経費－１５０００．５円△16500.55注意",
            "計￥－３，０００．５"
        ]
    );
}

#[test]
fn a_mistake_inside_a_block_text_is_located_on_its_own_line() {
    let layout = "\
fields:
  d: date
body:
  - text: |-
      一行目
      曜日は{weekdy(d)}です
";
    let dir = project("block", layout, "layout: f\nfields:\n  d: 2026-02-20\n");
    let run = fails_at(&dir, "layouts/f.yaml", 6, col_of(layout, 6, "weekdy"));
    assert!(run.stderr.contains("did you mean `weekday`?"), "{}", run.stderr);
    let layout = layout.replace("      一行目\n", "");
    let dir = project("block-first", &layout, "layout: f\nfields:\n  d: 2026-02-20\n");
    fails_at(&dir, "layouts/f.yaml", 5, col_of(&layout, 5, "weekdy"));
}
