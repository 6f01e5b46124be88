//! Every class of bad input in docs/errors.md, fed through the CLI
//! (`render`, `blank`, `batch`): the exit code (2 for input errors), a
//! located message (file, `:LINE:` where the input has lines, `= field:`
//! where there is a field path, the key words of the explanation), and no
//! output: no PDF, no other new file, no stray `.NAME.*.tmp`.
//!
//! Each test writes its own small project into a temp folder and runs
//! yoshiki there with relative paths, so that messages read as users see
//! them (`data/memo/r07.yaml:3:3`).
//!
//! No test here measures time: hostile input must be refused, and how fast
//! is measured in `benches/`.

mod common;

use common::*;
use std::path::Path;

// ---------------------------------------------------------------- fixtures

/// A small form with one field of each kind the error classes need.
const MEMO_LAYOUT: &str = "\
title: 連絡票
body:
  - text: 連絡票
    size: 14
    align: center
    space_after: 3
  - table:
      width: 150
      rows:
        - cells:
            - { label: 年度, width: 30 }
            - { fiscal_year: nendo }
        - cells:
            - { label: 日付, width: 30 }
            - { date: hizuke }
        - cells:
            - { label: 件名, width: 30 }
            - { text: kenmei }
        - cells:
            - { label: 内容, width: 30 }
            - { text: naiyo, blank_lines: 5 }
        - cells:
            - { label: 状況, width: 30 }
            - { choice: jokyo, options: [未着手, 対応中, 完了] }
";

/// Valid data for [`MEMO_LAYOUT`], the layout named by name.
const MEMO_DATA: &str = "\
layout: memo
fields:
  nendo: 令和7
  hizuke: 2025-04-01
  kenmei: 研修日程の変更について
  naiyo: |-
    ４月１５日の新任研修は、会場の都合により４月１６日に変更します。
    ・時間　午前９時から正午まで
  jokyo: 対応中
";

/// A temp project with `layouts/memo.yaml`.
fn project(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("errors-{test}"));
    dir.write("layouts/memo.yaml", MEMO_LAYOUT);
    dir
}

/// A temp project with a copy of the bundled plan (layout and data, at
/// the same relative paths as in the repository).
fn plan_project(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("errors-{test}"));
    dir.write("layouts/jinzai-plan.yaml", &read_to_string(&manifest_dir().join("layouts/jinzai-plan.yaml")));
    dir.write("data/jinzai-plan/h30-r04.yaml", &read_to_string(&manifest_dir().join("data/jinzai-plan/h30-r04.yaml")));
    dir
}

/// A temp project with a copy of the bundled 進行管理表 layout.
fn sheet_project(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("errors-{test}"));
    dir.write("layouts/shinko-kanri.yaml", &read_to_string(&seed_layout_path()));
    dir
}

/// `MEMO_DATA` with `from` replaced by `to` (which must occur).
fn memo_data(from: &str, to: &str) -> String {
    assert!(MEMO_DATA.contains(from), "{from:?} not in MEMO_DATA");
    MEMO_DATA.replacen(from, to, 1)
}

/// `MEMO_LAYOUT` with `from` replaced by `to` (which must occur).
fn memo_layout(from: &str, to: &str) -> String {
    assert!(MEMO_LAYOUT.contains(from), "{from:?} not in MEMO_LAYOUT");
    MEMO_LAYOUT.replacen(from, to, 1)
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in:\n{text}")) + 1
}

/// 1-based column (in characters) of `needle` on line `line` of `text`.
fn column_of(text: &str, line: usize, needle: &str) -> usize {
    let l = text.lines().nth(line - 1).expect("line");
    let byte = l.find(needle).unwrap_or_else(|| panic!("{needle:?} not on line {line}: {l:?}"));
    l[..byte].chars().count() + 1
}

// ---------------------------------------------------------------- running

fn run(dir: &TempDir, args: &[&str]) -> Run {
    yoshiki_in(&dir.path, args)
}

/// Run yoshiki in `dir`, expecting an input error: exit code 2, a message
/// that starts `error: ` (or `failed: ` for a batch), no panic, no new file
/// anywhere in `dir` and no stray temp file.
fn fails(dir: &TempDir, args: &[&str]) -> Run {
    let before = files_under(&dir.path);
    let run = run(dir, args);
    assert_eq!(run.code, Some(2), "yoshiki {args:?}: expected exit code 2 (input error):\n{}", run.describe());
    assert!(
        run.stderr.starts_with("error: ") || run.stderr.starts_with("failed: "),
        "yoshiki {args:?}: the message does not start with `error: `:\n{}",
        run.describe()
    );
    assert!(!run.stderr.contains("panicked"), "yoshiki {args:?} panicked:\n{}", run.describe());
    assert_eq!(stray_temp_files(&dir.path), Vec::<String>::new(), "temp files left:\n{}", run.describe());
    assert_eq!(files_under(&dir.path), before, "yoshiki {args:?} wrote files despite the error:\n{}", run.describe());
    run
}

/// `yoshiki render DATA -o out/x.pdf` in `dir`, expecting an input error.
fn render_fails(dir: &TempDir, data: &str) -> Run {
    fails(dir, &["render", data, "-o", "out/x.pdf"])
}

/// `yoshiki blank LAYOUT -o out/x.pdf` in `dir`, expecting an input error.
fn blank_fails(dir: &TempDir, layout: &str) -> Run {
    fails(dir, &["blank", layout, "-o", "out/x.pdf"])
}

/// The message points at `file:LINE:` (and `:COL` when given).
fn assert_at(run: &Run, file: &str, line: usize, column: Option<usize>) {
    let at = match column {
        Some(c) => format!("--> {file}:{line}:{c}\n"),
        None => format!("--> {file}:{line}:"),
    };
    assert!(run.stderr.contains(&at), "the message does not point at `{at}`:\n{}", run.describe());
}

/// The message names the field path `field` (`= field: …`).
fn assert_field(run: &Run, field: &str) {
    assert_eq!(error_field(&run.stderr), Some(field), "wrong or no `= field:` line:\n{}", run.describe());
}

fn assert_help(run: &Run, needle: &str) {
    let help = error_help(&run.stderr).unwrap_or_else(|| panic!("no `= help:` line:\n{}", run.describe()));
    assert!(help.contains(needle), "the help does not mention {needle:?}:\n{}", run.describe());
}

/// The message quotes the offending source line under the location.
fn assert_quotes(run: &Run, line: usize, source: &str) {
    let quoted = format!("{line} | {source}");
    assert!(run.stderr.contains(&quoted), "the message does not quote `{quoted}`:\n{}", run.describe());
}

// ---------------------------------------------------------------- a. YAML syntax

#[test]
fn a_yaml_syntax_error_in_a_data_file_names_its_line() {
    let dir = project("a_data");
    // A second `: ` inside a plain value.
    let text = memo_data("kenmei: 研修日程の変更について", "kenmei: 件名: 研修日程の変更");
    dir.write("data/memo/bad.yaml", &text);
    let line = line_of(&text, "kenmei:");
    let run = render_fails(&dir, "data/memo/bad.yaml");
    assert_at(&run, "data/memo/bad.yaml", line, Some(column_of(&text, line, ": 研修")));
    assert_quotes(&run, line, "  kenmei: 件名: 研修日程の変更");
}

#[test]
fn a_yaml_syntax_error_in_a_layout_file_names_its_line() {
    let dir = project("a_layout");
    // A list item without the space after `-`.
    let text = memo_layout("  - table:", "  -table:");
    dir.write("layouts/bad.yaml", &text);
    let run = blank_fails(&dir, "layouts/bad.yaml");
    assert_at(&run, "layouts/bad.yaml", line_of(&text, "-table:"), None);

    // The same layout reached through a data file.
    dir.write("data/memo/x.yaml", &memo_data("layout: memo", "layout: ../../layouts/bad.yaml"));
    let run = render_fails(&dir, "data/memo/x.yaml");
    assert_at(&run, "data/memo/../../layouts/bad.yaml", line_of(&text, "-table:"), None);
}

#[test]
fn a_unclosed_quote_points_at_its_opening_line() {
    let dir = project("a_quote");
    let text = memo_data("kenmei: 研修日程の変更について", "kenmei: \"研修日程の変更について");
    dir.write("data/memo/bad.yaml", &text);
    let run = render_fails(&dir, "data/memo/bad.yaml");
    assert_at(&run, "data/memo/bad.yaml", line_of(&text, "kenmei:"), None);
    assert_help(&run, "\"");
}

#[test]
fn a_unclosed_bracket_in_a_data_file_names_its_line() {
    // The parser only notices on the next line; the problem (and
    // serde_yaml's "while parsing a flow sequence at line N") is this one.
    let dir = project("a_bracket");
    let text = memo_data("kenmei: 研修日程の変更について", "kenmei: [研修日程の変更について");
    dir.write("data/memo/bad.yaml", &text);
    let run = render_fails(&dir, "data/memo/bad.yaml");
    assert_at(&run, "data/memo/bad.yaml", line_of(&text, "kenmei:"), None);
    assert_help(&run, "not closed");
}

#[test]
fn a_unclosed_brace_in_a_layout_says_it_is_not_closed() {
    let dir = project("a_brace");
    let text = memo_layout("{ label: 件名, width: 30 }", "{ label: 件名, width: 30");
    dir.write("layouts/bad.yaml", &text);
    let run = blank_fails(&dir, "layouts/bad.yaml");
    assert_at(&run, "layouts/bad.yaml", line_of(&text, "件名"), None);
    assert!(!run.stderr.contains("wrong type"), "{}", run.describe());
    assert_help(&run, "not closed");
}

#[test]
fn a_tab_indentation_is_explained() {
    let dir = project("a_tab");
    // The first field indented with a tab (after a later field, the parser
    // says "found a tab character that violates indentation", which at
    // least names the tab).
    let text = memo_data("  nendo:", "\tnendo:");
    dir.write("data/memo/bad.yaml", &text);
    let run = render_fails(&dir, "data/memo/bad.yaml");
    assert_at(&run, "data/memo/bad.yaml", line_of(&text, "nendo:"), Some(1));
    assert!(run.stderr.to_lowercase().contains("tab"), "the message does not mention the tab:\n{}", run.describe());
}

#[test]
fn a_colon_in_a_value_suggests_quoting_it() {
    let dir = project("a_colon");
    let text = memo_data("kenmei: 研修日程の変更について", "kenmei: 件名: 研修日程の変更");
    dir.write("data/memo/bad.yaml", &text);
    let run = render_fails(&dir, "data/memo/bad.yaml");
    assert_help(&run, "quote");
}

// ---------------------------------------------------------------- b. unknown keys

#[test]
fn b_unknown_layout_keys_suggest_the_nearest() {
    let dir = project("b");
    let cases = [
        // (name, from, to, typo, suggestion, field of the mapping holding it)
        ("tabel", "  - table:", "  - tabel:", "tabel", "table", "body[1]"),
        (
            "widht",
            "{ label: 件名, width: 30 }",
            "{ label: 件名, widht: 30 }",
            "widht",
            "width",
            "body[1].table.rows[2].cells[0]",
        ),
        (
            "orientaton",
            "title: 連絡票\n",
            "title: 連絡票\npage:\n  orientaton: landscape\n",
            "orientaton",
            "orientation",
            "page",
        ),
    ];
    for (name, from, to, typo, suggestion, mapping) in cases {
        let text = memo_layout(from, to);
        let file = format!("layouts/{name}.yaml");
        dir.write(&file, &text);
        let run = blank_fails(&dir, &file);
        let line = line_of(&text, &format!("{typo}:"));
        assert_at(&run, &file, line, Some(column_of(&text, line, typo)));
        assert_mentions(&run, &[&format!("unknown field `{typo}`")]);
        assert_help(&run, &format!("did you mean `{suggestion}`?"));
        // The mapping the key stands in (or the key itself).
        let field = error_field(&run.stderr).unwrap_or_else(|| panic!("no field:\n{}", run.describe()));
        assert!(field == mapping || field == format!("{mapping}.{typo}"), "field {field:?}:\n{}", run.describe());
    }
}

#[test]
fn b_unknown_top_level_data_key_suggests_fields() {
    let dir = project("b_data");
    let text = memo_data("fields:", "feilds:");
    dir.write("data/memo/bad.yaml", &text);
    let run = render_fails(&dir, "data/memo/bad.yaml");
    assert_at(&run, "data/memo/bad.yaml", 2, Some(1));
    assert_mentions(&run, &["unknown field `feilds`"]);
    assert_help(&run, "did you mean `fields`?");
}

// ---------------------------------------------------------------- c. wrong types

#[test]
fn c_wrong_types_name_what_was_expected_and_found() {
    let dir = project("c");

    let text = format!("size: big\n{MEMO_LAYOUT}");
    dir.write("layouts/size.yaml", &text);
    let run = blank_fails(&dir, "layouts/size.yaml");
    assert_at(&run, "layouts/size.yaml", 1, Some(7));
    assert_field(&run, "size");
    assert_mentions(&run, &["wrong type", "\"big\"", "expected a number"]);

    let text = memo_layout("{ label: 件名, width: 30 }", "{ label: 件名, width: \"x\" }");
    dir.write("layouts/width.yaml", &text);
    let run = blank_fails(&dir, "layouts/width.yaml");
    let line = line_of(&text, "件名");
    assert_at(&run, "layouts/width.yaml", line, Some(column_of(&text, line, "\"x\"")));
    assert_field(&run, "body[1].table.rows[2].cells[0].width");
    assert_mentions(&run, &["wrong type", "\"x\"", "expected a number"]);

    // A list where the layout prints one text.
    for (name, list) in [("flow", "[研修, 日程]"), ("block", "\n    - 研修\n    - 日程")] {
        let text = memo_data("研修日程の変更について", list);
        let file = format!("data/memo/{name}.yaml");
        dir.write(&file, &text);
        let run = render_fails(&dir, &file);
        assert_at(&run, &file, line_of(&text, "kenmei:"), Some(3));
        assert_field(&run, "fields.kenmei");
        assert_mentions(&run, &["`text` field", "list"]);
    }
}

#[test]
fn c_text_in_an_amount_field_names_the_field() {
    let dir = sheet_project("c_amount");
    let text = "layout: shinko-kanri\nfields:\n  yosan_sojigyohi: 約7000\n";
    dir.write("data/amount.yaml", text);
    let run = render_fails(&dir, "data/amount.yaml");
    assert_at(&run, "data/amount.yaml", 3, Some(3));
    assert_field(&run, "fields.yosan_sojigyohi");
    assert_mentions(&run, &["expected a number, found `約7000`"]);
    assert_help(&run, "7188");
}

// ---------------------------------------------------------------- d. missing keys

#[test]
fn d_missing_required_keys_are_named() {
    let dir = project("d");
    // A layout without `body:`.
    dir.write("layouts/nobody.yaml", "title: 連絡票\npage: { size: A4 }\n");
    let run = blank_fails(&dir, "layouts/nobody.yaml");
    assert_at(&run, "layouts/nobody.yaml", 1, None);
    assert_mentions(&run, &["missing field `body`"]);

    // A data file without `layout:`.
    let text = MEMO_DATA.replacen("layout: memo\n", "", 1);
    dir.write("data/memo/nolayout.yaml", &text);
    let run = render_fails(&dir, "data/memo/nolayout.yaml");
    assert_at(&run, "data/memo/nolayout.yaml", 1, None);
    assert_mentions(&run, &["missing field `layout`"]);
}

#[test]
fn d_the_wrong_kind_of_file_is_recognised() {
    let dir = project("d_kind");
    dir.write("data/memo/x.yaml", MEMO_DATA);
    let run = render_fails(&dir, "layouts/memo.yaml");
    assert_mentions(&run, &["layout"]);
    assert_help(&run, "yoshiki blank");
    let run = blank_fails(&dir, "data/memo/x.yaml");
    assert_mentions(&run, &["data file"]);
    assert_help(&run, "yoshiki render");
}

// ---------------------------------------------------------------- e. fields the layout lacks

#[test]
fn e_a_data_field_the_layout_does_not_define() {
    let dir = project("e");
    let text = memo_data("  kenmei:", "  kenmai:");
    dir.write("data/memo/typo.yaml", &text);
    let run = render_fails(&dir, "data/memo/typo.yaml");
    assert_at(&run, "data/memo/typo.yaml", line_of(&text, "kenmai"), Some(3));
    assert_field(&run, "fields.kenmai");
    assert_mentions(&run, &["the layout `memo` has no field `kenmai`"]);
    assert_help(&run, "did you mean `kenmei`?");
}

#[test]
fn e_a_field_inside_a_list_element_has_its_full_path() {
    let dir = plan_project("e_nested");
    let data = "data/jinzai-plan/h30-r04.yaml";
    let text = read_to_string(&dir.join(data));
    // The first 取組 of the first 小項目 of the first 中項目 of section 1.
    let line = text.lines().position(|l| l.trim_start().starts_with("naiyo:")).expect("a naiyo line") + 1;
    let typo: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { l.replacen("naiyo:", "naiyou:", 1) } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    dir.write("data/jinzai-plan/typo.yaml", &(typo + "\n"));
    let run = render_fails(&dir, "data/jinzai-plan/typo.yaml");
    let column = column_of(&text, line, "naiyo");
    assert_at(&run, "data/jinzai-plan/typo.yaml", line, Some(column));
    assert_field(&run, "fields.sections[0].chu_komoku[0].sho_komoku[0].torikumi[0].naiyou");
    assert_mentions(&run, &["has no field `naiyou`"]);
    assert_help(&run, "did you mean `naiyo`?");
}

// ---------------------------------------------------------------- f. fonts

#[test]
fn f_an_unknown_font_family_suggests_the_nearest() {
    let dir = project("f_family");
    let text = format!("font: meicho\n{MEMO_LAYOUT}");
    dir.write("layouts/font.yaml", &text);
    let run = blank_fails(&dir, "layouts/font.yaml");
    assert_at(&run, "layouts/font.yaml", 1, Some(1));
    assert_field(&run, "font");
    assert_mentions(&run, &["unknown font family `meicho`"]);
    assert_help(&run, "did you mean `mincho`?");

    // On a cell, reached through a data file.
    let text = memo_layout("{ text: kenmei }", "{ text: kenmei, font: gotic }");
    dir.write("layouts/memo.yaml", &text);
    dir.write("data/memo/x.yaml", MEMO_DATA);
    let run = render_fails(&dir, "data/memo/x.yaml");
    let line = line_of(&text, "gotic");
    // A layout found by name is shown relative to the current folder.
    let layout = "layouts/memo.yaml";
    assert_at(&run, layout, line, Some(column_of(&text, line, "font:")));
    assert_field(&run, "body[1].table.rows[2].cells[1].font");
    assert_help(&run, "did you mean `gothic`?");
}

#[test]
fn f_a_font_file_that_does_not_exist_is_named() {
    let dir = project("f_file");
    let text = format!("fonts:\n  ud-gothic: ../fonts/BIZUDGothic-Regular.ttf\nfallback: [ud-gothic]\n{MEMO_LAYOUT}");
    dir.write("layouts/font.yaml", &text);
    let run = blank_fails(&dir, "layouts/font.yaml");
    assert_at(&run, "layouts/font.yaml", 2, Some(3));
    assert_field(&run, "fonts.ud-gothic");
    assert_mentions(&run, &["cannot read font file", "BIZUDGothic-Regular.ttf"]);
}

#[test]
fn f_a_missing_font_file_is_explained_plainly() {
    let dir = project("f_file_wording");
    let text = format!("fonts:\n  ud-gothic: ../fonts/BIZUDGothic-Regular.ttf\n{MEMO_LAYOUT}");
    dir.write("layouts/font.yaml", &text);
    let run = blank_fails(&dir, "layouts/font.yaml");
    assert!(!run.stderr.contains("os error"), "raw OS error in the message:\n{}", run.describe());
    assert_help(&run, "relative to the layout");
}

// ---------------------------------------------------------------- g. missing layout

#[test]
fn g_a_data_file_whose_layout_is_missing() {
    let dir = project("g");
    // By path, relative to the data file.
    dir.write("data/memo/path.yaml", &memo_data("layout: memo", "layout: ../../layouts/memmo.yaml"));
    let run = render_fails(&dir, "data/memo/path.yaml");
    assert_at(&run, "data/memo/path.yaml", 1, Some(1));
    assert_field(&run, "layout");
    assert_mentions(&run, &["layout `../../layouts/memmo.yaml` not found"]);
    assert_help(&run, "relative to the data file");

    // By name, looked up as layouts/NAME.yaml upwards.
    dir.write("data/memo/name.yaml", &memo_data("layout: memo", "layout: memmo"));
    let run = render_fails(&dir, "data/memo/name.yaml");
    assert_at(&run, "data/memo/name.yaml", 1, Some(1));
    assert_field(&run, "layout");
    assert_mentions(&run, &["layout `memmo` not found"]);
    assert_help(&run, "layouts/memmo.yaml");
}

// ---------------------------------------------------------------- h. choice options

#[test]
fn h_a_choice_that_is_not_one_of_the_options() {
    let dir = project("h");
    // A near miss gets a suggestion …
    let text = memo_data("jokyo: 対応中", "jokyo: 完了済み");
    dir.write("data/memo/near.yaml", &text);
    let run = render_fails(&dir, "data/memo/near.yaml");
    assert_at(&run, "data/memo/near.yaml", line_of(&text, "jokyo:"), Some(3));
    assert_field(&run, "fields.jokyo");
    assert_mentions(&run, &["`完了済み` is not one of the options"]);
    assert_help(&run, "did you mean `完了`?");

    // … anything else the list of options.
    let text = memo_data("jokyo: 対応中", "jokyo: 保留中の案件");
    dir.write("data/memo/far.yaml", &text);
    let run = render_fails(&dir, "data/memo/far.yaml");
    assert_at(&run, "data/memo/far.yaml", line_of(&text, "jokyo:"), Some(3));
    assert_field(&run, "fields.jokyo");
    assert_help(&run, "choose one of: `未着手`, `対応中`, `完了`");
}

#[test]
fn h_a_different_short_word_is_not_suggested_as_a_typo() {
    let dir = project("h_short");
    dir.write("data/memo/far.yaml", &memo_data("jokyo: 対応中", "jokyo: 保留"));
    let run = render_fails(&dir, "data/memo/far.yaml");
    assert!(!run.stderr.contains("did you mean"), "an unrelated word is suggested:\n{}", run.describe());
    assert_help(&run, "`未着手`, `対応中`, `完了`");
}

// ---------------------------------------------------------------- i. dates and years

#[test]
fn i_an_invalid_date() {
    let dir = project("i_date");
    for (name, value) in [("feb30", "2025-02-30"), ("quoted", "\"2025-02-30\""), ("words", "April 1st")] {
        let text = memo_data("hizuke: 2025-04-01", &format!("hizuke: {value}"));
        let file = format!("data/memo/{name}.yaml");
        dir.write(&file, &text);
        let run = render_fails(&dir, &file);
        assert_at(&run, &file, line_of(&text, "hizuke:"), Some(3));
        assert_field(&run, "fields.hizuke");
        assert_mentions(&run, &["expected a date", value.trim_matches('"')]);
    }
}

#[test]
fn i_an_impossible_calendar_date_is_explained() {
    let dir = project("i_date_wording");
    dir.write("data/memo/feb30.yaml", &memo_data("hizuke: 2025-04-01", "hizuke: 2025-02-30"));
    let run = render_fails(&dir, "data/memo/feb30.yaml");
    assert!(!run.stderr.contains("write dates as"), "advice to use the format already used:\n{}", run.describe());
    // February 2025 has 28 days.
    assert_mentions(&run, &["28"]);
}

#[test]
fn i_an_invalid_fiscal_year() {
    let dir = project("i_year");
    let cases = [
        ("h40", "平成40", "平成 has no year 40"),
        ("r0", "R0", "令和 has no year 0"),
        ("words", "next year", "is not a year"),
    ];
    for (name, value, explanation) in cases {
        let text = memo_data("nendo: 令和7", &format!("nendo: {value}"));
        let file = format!("data/memo/{name}.yaml");
        dir.write(&file, &text);
        let run = render_fails(&dir, &file);
        assert_at(&run, &file, line_of(&text, "nendo:"), Some(3));
        assert_field(&run, "fields.nendo");
        assert_mentions(&run, &[value, explanation]);
        assert_help(&run, "令和7");
    }
}

#[test]
fn i_a_word_is_not_taken_for_an_era() {
    let dir = project("i_year_word");
    dir.write("data/memo/soon.yaml", &memo_data("nendo: 令和7", "nendo: soon"));
    let run = render_fails(&dir, "data/memo/soon.yaml");
    assert_mentions(&run, &["`soon` is not a year"]);
    assert!(!run.stderr.contains("`oon`"), "{}", run.describe());
}

// ---------------------------------------------------------------- j. missing glyphs

#[test]
fn j_a_character_no_font_has_in_a_data_text() {
    let dir = project("j_data");
    let text = memo_data("・時間　午前９時", "・時間　午前🙂９時");
    dir.write("data/memo/emoji.yaml", &text);
    let run = render_fails(&dir, "data/memo/emoji.yaml");
    let line = line_of(&text, "🙂");
    assert_at(&run, "data/memo/emoji.yaml", line, Some(column_of(&text, line, "🙂")));
    assert_field(&run, "fields.naiyo");
    assert_mentions(&run, &["no font has a glyph for U+1F642"]);
    assert_quotes(&run, line, "    ・時間　午前🙂９時から正午まで");
    assert_help(&run, "fallback");
}

#[test]
fn j_a_character_no_font_has_in_a_layout_label() {
    let dir = project("j_layout");
    let text = memo_layout("{ label: 件名, width: 30 }", "{ label: 件名🙂, width: 30 }");
    dir.write("layouts/memo.yaml", &text);
    let line = line_of(&text, "🙂");
    let column = column_of(&text, line, "🙂");
    let run = blank_fails(&dir, "layouts/memo.yaml");
    assert_at(&run, "layouts/memo.yaml", line, Some(column));
    assert_field(&run, "body[1].table.rows[2].cells[0]");
    assert_mentions(&run, &["U+1F642"]);

    // Rendering data with that layout blames the layout, not the data.
    dir.write("data/memo/x.yaml", MEMO_DATA);
    let run = render_fails(&dir, "data/memo/x.yaml");
    // A layout found by name is shown relative to the current folder.
    let layout = "layouts/memo.yaml";
    assert_at(&run, layout, line, Some(column));
    assert_mentions(&run, &["U+1F642"]);
}

#[test]
fn j_a_character_in_a_placeholder_value_points_at_the_data() {
    let dir = project("j_placeholder");
    dir.write("layouts/memo.yaml", &memo_layout("  - text: 連絡票\n", "  - text: \"{kenmei}\"\n"));
    let text = memo_data("研修日程の変更について", "研修🙂日程");
    dir.write("data/memo/emoji.yaml", &text);
    let run = render_fails(&dir, "data/memo/emoji.yaml");
    let line = line_of(&text, "🙂");
    assert_at(&run, "data/memo/emoji.yaml", line, Some(column_of(&text, line, "🙂")));
    assert_field(&run, "fields.kenmei");
}

#[test]
fn j_a_character_in_a_template_cell_names_its_own_field() {
    let dir = plan_project("j_template");
    let data = "data/jinzai-plan/h30-r04.yaml";
    let text = read_to_string(&dir.join(data)).replacen(
        "naiyo: 通信教育講座を受講する職員への経費の一部支援",
        "naiyo: 通信教育講座🙂を受講する職員への経費の一部支援",
        1,
    );
    dir.write(data, &text);
    let run = render_fails(&dir, data);
    let line = line_of(&text, "🙂");
    assert_at(&run, data, line, Some(column_of(&text, line, "🙂")));
    assert_field(&run, "fields.sections[0].chu_komoku[0].sho_komoku[0].torikumi[0].naiyo");
}

// ---------------------------------------------------------------- k. fixed heights

/// The `N` of `(N mm too much)`.
fn overflow_mm(run: &Run) -> f64 {
    let end = run.stderr.find(" mm too much").unwrap_or_else(|| panic!("no `mm too much`:\n{}", run.describe()));
    let start = run.stderr[..end].rfind('(').expect("(") + 1;
    run.stderr[start..end].parse().unwrap_or_else(|e| panic!("{e}:\n{}", run.describe()))
}

#[test]
fn k_text_that_cannot_fit_a_fixed_row_height() {
    let dir = project("k");
    let layout = "\
body:
  - table:
      width: 100
      rows:
        - height: 10
          cells:
            - { label: 内容, width: 20 }
            - { text: naiyo, min_size: 9 }
";
    dir.write("layouts/fixed.yaml", layout);
    let text = "\
layout: fixed
fields:
  naiyo: |-
    一行目の文章です。
    二行目の文章です。
    三行目の文章です。
    四行目の文章です。
";
    dir.write("data/fixed.yaml", text);
    let run = render_fails(&dir, "data/fixed.yaml");
    assert_at(&run, "data/fixed.yaml", 3, Some(3));
    assert_field(&run, "fields.naiyo");
    assert_mentions(&run, &["does not fit", "fixed at 10.0 mm", "cell body[0].table.rows[0].cells[1]"]);
    assert!(overflow_mm(&run) > 5.0, "four lines at 9 pt need well over 10 mm:\n{}", run.describe());
    assert_help(&run, "min_size");

    // The same text fits without `height`: the row grows.
    dir.write("layouts/fixed.yaml", &layout.replace("        - height: 10\n", "        - min_height: 10\n"));
    let ok = run_ok(&dir, &["render", "data/fixed.yaml", "-o", "fixed.pdf"]);
    assert!(dir.join("fixed.pdf").is_file(), "{}", ok.describe());

    // A label of the layout itself: located in the layout.
    let layout = "\
body:
  - table:
      rows:
        - height: 5
          cells:
            - { label: \"内容\\n詳細\\nその他\", width: 20 }
            - { text: naiyo }
";
    dir.write("layouts/label.yaml", layout);
    let run = blank_fails(&dir, "layouts/label.yaml");
    assert_at(&run, "layouts/label.yaml", 6, Some(15));
    assert_field(&run, "body[0].table.rows[0].cells[0]");
    assert_mentions(&run, &["does not fit", "fixed at 5.0 mm"]);
    assert!(overflow_mm(&run) > 5.0, "{}", run.describe());
}

fn run_ok(dir: &TempDir, args: &[&str]) -> Run {
    let run = run(dir, args);
    assert_eq!(run.code, Some(0), "yoshiki {args:?} failed:\n{}", run.describe());
    run
}

// ---------------------------------------------------------------- l. rows taller than a page

const UNSPLITTABLE: &str = "\
body:
  - table:
      width: 100
      rows:
        - split: false
          cells:
            - { label: 内容, width: 20 }
            - { text: naiyo }
";

fn long_text(lines: usize) -> String {
    let mut s = "layout: tall\nfields:\n  naiyo: |-\n".to_string();
    for i in 1..=lines {
        s.push_str(&format!("    {i}行目の文章です。\n"));
    }
    s
}

#[test]
fn l_an_unsplittable_row_taller_than_a_page_names_the_cell() {
    let dir = project("l");
    dir.write("layouts/tall.yaml", UNSPLITTABLE);
    dir.write("data/tall.yaml", &long_text(80));
    // The data's text makes the row too tall: the error points at the data
    // (what the user edits) and names the layout cell.
    let run = render_fails(&dir, "data/tall.yaml");
    assert_at(&run, "data/tall.yaml", 3, Some(3));
    assert_field(&run, "fields.naiyo");
    assert_mentions(&run, &["cannot be split across pages", "a page has 267 mm", "body[0].table.rows[0].cells[1]"]);
    assert_help(&run, "split: true");

    // A blank form whose cell is taller than a page by `min_height`.
    dir.write("layouts/tall.yaml", &UNSPLITTABLE.replace("{ text: naiyo }", "{ text: naiyo, min_height: 300 }"));
    let run = blank_fails(&dir, "layouts/tall.yaml");
    assert_at(&run, "layouts/tall.yaml", 8, Some(15));
    assert_mentions(&run, &["needs 300 mm", "cannot be split across pages"]);
}

#[test]
fn l_an_unsplittable_row_too_tall_for_its_data_points_at_the_data() {
    let dir = project("l_data");
    dir.write("layouts/tall.yaml", UNSPLITTABLE);
    dir.write("data/tall.yaml", &long_text(80));
    let run = render_fails(&dir, "data/tall.yaml");
    assert_mentions(&run, &["data/tall.yaml", "fields.naiyo"]);
    assert_help(&run, "shorten");
}

// ---------------------------------------------------------------- m. safe output

#[test]
fn m_an_output_folder_that_does_not_exist() {
    let dir = project("m_folder");
    dir.write("data/memo/x.yaml", MEMO_DATA);
    let run = fails(&dir, &["render", "data/memo/x.yaml", "-o", "/nonexistent-dir/x.pdf"]);
    assert_mentions(&run, &["cannot write `/nonexistent-dir/x.pdf`"]);
    assert_help(&run, "`/nonexistent-dir` does not exist");
    assert!(!Path::new("/nonexistent-dir").exists());
}

/// Can this process create files in a folder without write permission
/// (root can)?
fn ignores_permissions(dir: &TempDir) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).expect("probe folder");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let privileged = std::fs::write(probe.join("x"), b"x").is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::remove_dir_all(&probe).expect("remove probe");
    privileged
}

/// `yoshiki ARGS` in `dir` as the user nobody (uid 65534), or `None` if
/// this process may not switch users.
fn run_as_nobody(dir: &TempDir, args: &[&str]) -> Option<Run> {
    use std::os::unix::process::CommandExt;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .args(args)
        .current_dir(&dir.path)
        .uid(65534)
        .gid(65534)
        .output()
        .ok()?;
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    Some(Run { code: out.status.code(), stdout: text(out.stdout), stderr: text(out.stderr) })
}

#[test]
fn m_an_output_path_that_cannot_be_written() {
    let dir = project("m_unwritable");
    dir.write("data/memo/x.yaml", MEMO_DATA);
    // The folder of the output is a file.
    dir.write("out", "not a folder\n");
    let failed = fails(&dir, &["render", "data/memo/x.yaml", "-o", "out/x.pdf"]);
    assert_mentions(&failed, &["cannot write `out/x.pdf`"]);
    assert_eq!(read_to_string(&dir.join("out")), "not a folder\n");

    // A folder without write permission. Root may write anywhere, so a
    // root test run tries it as `nobody`.
    use std::os::unix::fs::PermissionsExt;
    let ro = dir.join("readonly");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let before = files_under(&dir.path);
    let args = ["render", "data/memo/x.yaml", "-o", "readonly/x.pdf"];
    let denied = if ignores_permissions(&dir) { run_as_nobody(&dir, &args) } else { Some(run(&dir, &args)) };
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let Some(denied) = denied else {
        eprintln!(
            "m_an_output_path_that_cannot_be_written: SKIPPED the read-only folder: root, and cannot run as nobody"
        );
        return;
    };
    assert_eq!(denied.code, Some(2), "{}", denied.describe());
    assert_mentions(&denied, &["cannot write `readonly/x.pdf`", "permission denied"]);
    assert_eq!(files_under(&dir.path), before, "{}", denied.describe());
}

#[test]
fn m_an_output_folder_that_is_a_file_is_explained_plainly() {
    let dir = project("m_unwritable_wording");
    dir.write("data/memo/x.yaml", MEMO_DATA);
    dir.write("out", "not a folder\n");
    let run = fails(&dir, &["render", "data/memo/x.yaml", "-o", "out/x.pdf"]);
    assert!(!run.stderr.contains("os error"), "raw OS error in the message:\n{}", run.describe());
    assert_help(&run, "`out`");
}

#[test]
fn m_the_output_is_never_an_input_file() {
    let dir = project("m_input");
    dir.write("data/memo/x.yaml", MEMO_DATA);
    let data_before = std::fs::read(dir.join("data/memo/x.yaml")).expect("data");
    let layout_before = std::fs::read(dir.join("layouts/memo.yaml")).expect("layout");
    let cases: [&[&str]; 4] = [
        &["render", "data/memo/x.yaml", "-o", "data/memo/x.yaml"],
        &["render", "data/memo/x.yaml", "-o", "./data/../data/memo/x.yaml"],
        &["render", "data/memo/x.yaml", "-o", "layouts/memo.yaml"],
        &["blank", "layouts/memo.yaml", "-o", "layouts/memo.yaml"],
    ];
    for args in cases {
        let run = fails(&dir, args);
        assert_mentions(&run, &["refusing to overwrite the input file", args[3]]);
        assert_help(&run, "-o");
        assert_eq!(std::fs::read(dir.join("data/memo/x.yaml")).expect("data"), data_before, "{args:?}");
        assert_eq!(std::fs::read(dir.join("layouts/memo.yaml")).expect("layout"), layout_before, "{args:?}");
    }
}

#[test]
fn m_an_existing_output_is_replaced_whole() {
    let dir = project("m_replace");
    dir.write("data/memo/a.yaml", MEMO_DATA);
    let mut long = memo_data("研修日程の変更について", "会議室の予約方法の変更について");
    for i in 0..60 {
        long.push_str(&format!("    ・第{i}項　予約は前日の正午までに総務課へ届け出ること。\n"));
    }
    let long = long.replacen("  jokyo: 対応中\n", "", 1) + "  jokyo: 完了\n";
    dir.write("data/memo/b.yaml", &long);

    run_ok(&dir, &["render", "data/memo/a.yaml", "-o", "out.pdf"]);
    let out = dir.join("out.pdf");
    let first = std::fs::read(&out).expect("out.pdf");
    assert_eq!(page_count(&pdfinfo(&out, &[])), 1);

    run_ok(&dir, &["render", "data/memo/b.yaml", "-o", "out.pdf"]);
    let second = std::fs::read(&out).expect("out.pdf");
    assert_ne!(first, second, "out.pdf was not replaced");
    assert!(page_count(&pdfinfo(&out, &[])) >= 2, "the second document is longer");
    let text = strip_ws(&pdftotext(&out, &[]));
    assert!(text.contains("会議室の予約方法の変更について"), "{text}");
    assert!(!text.contains("研修日程の変更について"), "{text}");
    assert_eq!(stray_temp_files(&dir.path), Vec::<String>::new());
    assert!(second.ends_with(b"%%EOF\n") || second.ends_with(b"%%EOF"), "the PDF is complete");

    // A failing render leaves the existing file exactly as it was.
    dir.write("data/memo/bad.yaml", &memo_data("jokyo: 対応中", "jokyo: 保留"));
    fails(&dir, &["render", "data/memo/bad.yaml", "-o", "out.pdf"]);
    assert_eq!(std::fs::read(&out).expect("out.pdf"), second, "a failed render changed out.pdf");
}

// ---------------------------------------------------------------- n. hostile input

/// Billion laughs: nine levels of nine aliases (9^9 = 387 million strings).
fn alias_bomb() -> String {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let mut s =
        "  a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n".to_string();
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        s.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
    }
    s
}

#[test]
fn n_an_alias_bomb_is_refused() {
    let dir = project("n_bomb");
    dir.write("data/memo/bomb.yaml", &format!("layout: memo\nfields:\n{}", alias_bomb()));
    let run = fails(&dir, &["render", "data/memo/bomb.yaml", "-o", "out/x.pdf"]);
    assert_mentions(&run, &["data/memo/bomb.yaml", "aliases"]);

    // In a layout: the anchors as the items of a cell kind's `bullets`.
    let items: String = alias_bomb()
        .lines()
        .map(|l| {
            let (_, value) = l.split_once(": ").expect("name: value");
            format!("      - {value}\n")
        })
        .collect();
    let layout = memo_layout("title: 連絡票\n", &format!("title: 連絡票\ndefaults:\n  text:\n    bullets:\n{items}"));
    dir.write("layouts/bomb.yaml", &layout);
    let run = fails(&dir, &["blank", "layouts/bomb.yaml", "-o", "out/x.pdf"]);
    assert_mentions(&run, &["layouts/bomb.yaml"]);
}

#[test]
fn n_deep_nesting_is_refused() {
    let dir = project("n_nesting");
    dir.write("data/memo/deep.yaml", &format!("layout: memo\nfields:\n  kenmei: {}\n", "[".repeat(100_000)));
    let run = fails(&dir, &["render", "data/memo/deep.yaml", "-o", "out/x.pdf"]);
    assert_at(&run, "data/memo/deep.yaml", 3, None);
    assert_mentions(&run, &["nested more than"]);

    dir.write("layouts/deep.yaml", &format!("body: {}\n", "{a: ".repeat(100_000)));
    let run = fails(&dir, &["blank", "layouts/deep.yaml", "-o", "out/x.pdf"]);
    assert_at(&run, "layouts/deep.yaml", 1, None);
    assert_mentions(&run, &["nested more than"]);
}

// ---------------------------------------------------------------- p. lengths that cannot be drawn

#[test]
fn p_nan_infinite_negative_and_huge_lengths_are_located() {
    let dir = project("p_lengths");
    let cases = [
        // (name, from, to, the value as written, field, what the message says)
        ("table_nan", "      width: 150", "      width: .nan", ".nan", "body[1].table.width", "found `.nan`"),
        (
            "padding_nan",
            "{ text: kenmei }",
            "{ text: kenmei, padding: [1, .nan] }",
            ".nan",
            "body[1].table.rows[2].cells[1].padding[1]",
            "expected a number of mm, found `.nan`",
        ),
        ("space_negative", "space_after: 3", "space_after: -3", "-3", "body[0].space_after", "at least 0, found -3"),
        (
            "margin_inf",
            "title: 連絡票\n",
            "title: 連絡票\npage: { margin: [10, .inf] }\n",
            ".inf",
            "page.margin[1]",
            "expected a finite number of mm, found `.inf`",
        ),
        ("size_inf", "title: 連絡票\n", "title: 連絡票\nsize: -.inf\n", "-.inf", "size", "found `-.inf`"),
        (
            "width_huge",
            "{ label: 件名, width: 30 }",
            "{ label: 件名, width: 1e30 }",
            "1e30",
            "body[1].table.rows[2].cells[0].width",
            "is too large",
        ),
        (
            "shade_nan",
            "{ text: kenmei }",
            "{ text: kenmei, shade: .nan }",
            "shade",
            "body[1].table.rows[2].cells[1].shade",
            "`shade` must be a number from 0 to 1, found `.nan`",
        ),
    ];
    for (name, from, to, written, field, says) in cases {
        let text = memo_layout(from, to);
        let file = format!("layouts/{name}.yaml");
        dir.write(&file, &text);
        let run = blank_fails(&dir, &file);
        let line = line_of(&text, to.trim().lines().last().unwrap_or(to));
        assert_at(&run, &file, line, Some(column_of(&text, line, written)));
        assert_field(&run, field);
        assert_mentions(&run, &[says]);
    }
}

#[test]
fn p_a_row_without_cells_is_refused() {
    // It used to panic when taller than a page.
    let dir = project("p_empty_row");
    let text = memo_layout(
        "            - { choice: jokyo, options: [未着手, 対応中, 完了] }\n",
        "            - { choice: jokyo, options: [未着手, 対応中, 完了] }\n        - { min_height: 400, cells: [] }\n",
    );
    dir.write("layouts/empty.yaml", &text);
    let run = blank_fails(&dir, "layouts/empty.yaml");
    let line = line_of(&text, "min_height: 400");
    assert_at(&run, "layouts/empty.yaml", line, None);
    assert_field(&run, "body[1].table.rows[5].cells");
    assert_mentions(&run, &["a row needs at least one cell"]);
}

// ---------------------------------------------------------------- o. --year

#[test]
fn o_a_year_outside_the_plans_period() {
    let dir = plan_project("o_outside");
    let data = "data/jinzai-plan/h30-r04.yaml";
    for year in ["R6", "2010", "令和5"] {
        let run = fails(&dir, &["render", data, "--year", year, "-o", "out/x.pdf"]);
        assert_mentions(&run, &[&format!("`--year {year}` is outside the plan's period H30–R4")]);
    }
    let run = fails(&dir, &["render", data, "--year", "平成40", "-o", "out/x.pdf"]);
    assert_mentions(&run, &["`--year 平成40`", "平成 has no year 40"]);
}

#[test]
fn o_a_year_outside_the_period_names_the_data_file() {
    let dir = plan_project("o_outside_located");
    let data = "data/jinzai-plan/h30-r04.yaml";
    let run = fails(&dir, &["render", data, "--year", "R6", "-o", "out/x.pdf"]);
    assert_mentions(&run, &[data]);
    assert_help(&run, "H30");
}

#[test]
fn o_a_year_that_is_not_a_year() {
    let dir = plan_project("o_word");
    let run = fails(&dir, &["render", "data/jinzai-plan/h30-r04.yaml", "--year", "soon", "-o", "out/x.pdf"]);
    assert_mentions(&run, &["`soon` is not a year"]);
}

#[test]
fn o_a_year_on_a_form_that_is_not_a_plan() {
    let dir = project("o_not_a_plan");
    dir.write("data/memo/x.yaml", MEMO_DATA);
    let run = fails(&dir, &["render", "data/memo/x.yaml", "--year", "R7", "-o", "out/x.pdf"]);
    assert_mentions(&run, &["`--year R7`: this form is not a multi-year plan", "--> data/memo/x.yaml"]);
    assert_help(&run, "period");
}

// ---------------------------------------------------------------- batch

#[test]
fn batch_reports_each_failure_located_and_writes_only_the_good() {
    let dir = project("batch");
    dir.write("data/memo/good.yaml", MEMO_DATA);
    let text = memo_data("jokyo: 対応中", "jokyo: 保留");
    dir.write("data/memo/bad.yaml", &text);
    dir.write("data/fixed/fixed.yaml", "layout: fixed\nfields:\n  naiyo: |-\n    一\n    二\n    三\n    四\n    五\n");
    dir.write(
        "layouts/fixed.yaml",
        "body:\n  - table:\n      rows:\n        - height: 8\n          cells:\n            - { text: naiyo }\n",
    );
    let run = run(&dir, &["batch", "data", "-o", "out"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert_mentions(&run, &["failed: data/memo/bad.yaml", "--> data/memo/bad.yaml:", "= field: fields.jokyo"]);
    assert_mentions(&run, &["failed: data/fixed/fixed.yaml", "--> data/fixed/fixed.yaml:3:3", "does not fit"]);
    assert_mentions(&run, &["2 failed", "error: 2 document(s) failed"]);
    assert_eq!(files_under(&dir.join("out")), ["memo/good.pdf"], "{}", run.describe());
    assert_eq!(stray_temp_files(&dir.path), Vec::<String>::new());
}

#[test]
fn batch_warnings_name_their_document() {
    let dir = project("batch_warnings");
    dir.write("layouts/narrow.yaml", WARNINGS_LAYOUT);
    dir.write(
        "data/a.yaml",
        "layout: narrow\nfields:\n  kenmei: 人材育成基本方針の見直しに係る検討委員会要綱の制定と周知\n",
    );
    dir.write("data/b.yaml", "layout: narrow\nfields:\n  kenmei: 短い件名\n");
    let run = run_ok(&dir, &["batch", "data", "-o", "out"]);
    let warning = run.stderr.lines().find(|l| l.starts_with("warning:")).expect("a warning");
    assert!(warning.contains("data/a.yaml"), "the warning does not name its document:\n{}", run.describe());
}

// ---------------------------------------------------------------- other input

#[test]
fn impossible_geometry_is_refused() {
    let dir = project("geometry");
    let cases = [
        ("page.size", "page: { size: [0, 0] }\n"),
        ("size", "size: -5\n"),
        ("size", "size: 0\n"),
        ("page.margin", "page: { margin: 200 }\n"),
    ];
    for (i, (field, head)) in cases.iter().enumerate() {
        let file = format!("layouts/g{i}.yaml");
        dir.write(&file, &format!("{head}body:\n  - text: 連絡票\n"));
        let run = blank_fails(&dir, &file);
        assert_at(&run, &file, 1, None);
        assert!(
            error_field(&run.stderr).is_some_and(|f| f.starts_with(field)),
            "field {field} not named:\n{}",
            run.describe()
        );
    }
}

#[test]
fn input_files_that_cannot_be_read() {
    let dir = project("unreadable");
    let run = render_fails(&dir, "data/memo/nosuch.yaml");
    assert_mentions(&run, &["cannot read `data/memo/nosuch.yaml`: no such file"]);
    assert_help(&run, "relative to the current directory");

    // Shift_JIS for あ on line 3.
    let mut bytes = b"layout: memo\nfields:\n  kenmei: ".to_vec();
    bytes.extend([0x82, 0xa0, b'\n']);
    std::fs::create_dir_all(dir.join("data/memo")).expect("mkdir");
    std::fs::write(dir.join("data/memo/sjis.yaml"), bytes).expect("write");
    let run = render_fails(&dir, "data/memo/sjis.yaml");
    assert_at(&run, "data/memo/sjis.yaml", 3, None);
    assert_mentions(&run, &["not UTF-8"]);
    assert_help(&run, "UTF-8");
}

// ---------------------------------------------------------------- warnings

/// A layout that provokes each warning: a one-line cell that may shrink to
/// 6 pt, a 12 mm cell for a URL, a choice too narrow for its options.
const WARNINGS_LAYOUT: &str = "\
body:
  - table:
      width: 100
      rows:
        - cells:
            - { label: 件名, width: 20 }
            - { text: kenmei, max_lines: 1, min_size: 6 }
        - cells:
            - { label: 備考, width: 20 }
            - { text: biko, width: 12 }
            - { label: 状況, width: 20 }
            - { choice: jokyo, options: [未着手, 対応中, 完了], width: 16 }
            - { text: sonota }
";

#[test]
fn warnings_are_printed_and_the_pdf_is_written() {
    let dir = project("warnings");
    dir.write("layouts/narrow.yaml", WARNINGS_LAYOUT);
    dir.write(
        "data/w.yaml",
        "layout: narrow\nfields:\n  kenmei: 人材育成基本方針の見直しに係る検討委員会要綱の制定と周知\n  \
         biko: https://example.jp/abcdefghijk\n  jokyo: 対応中\n",
    );
    let run = run_ok(&dir, &["render", "data/w.yaml", "-o", "w.pdf"]);
    assert!(dir.join("w.pdf").is_file());
    assert_mentions(
        &run,
        &[
            "warning: body[0].table.rows[0].cells[1]: text shrunk to 7.5 pt",
            "warning: body[0].table.rows[1].cells[1]: a line had to break where the line-breaking rules forbid it",
            "warning: body[0].table.rows[1].cells[3]: the chosen option is broken across lines and cannot be circled",
            "wrote w.pdf (1 page",
        ],
    );
}
