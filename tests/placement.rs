//! Where things go on the page: マス目 (`boxes` cells), table blocks
//! aligned and spaced, rows kept together, notes kept with their table,
//! and keys that would do nothing refused where they are written.
//! Every test reads the PDF back (text and positions from poppler, ink
//! from the PNG preview) or the error a user sees.

mod common;

use std::path::Path;

use common::{bbox_words, page_count, page_texts, pdfinfo, poppler, strip_ws, yoshiki_in, TempDir, Word};

/// A project folder with one layout and one data file.
fn project(name: &str, layout: &str, data: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.write("layouts/t.yaml", layout);
    dir.write("data/t.yaml", &format!("layout: t\nfields:\n{data}"));
    dir
}

/// `yoshiki render data/t.yaml` (or `blank layouts/t.yaml` when `blank`),
/// asserting success; the PDF's path.
fn render(dir: &TempDir, blank: bool, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join("out.pdf");
    let mut args = if blank { vec!["blank", "layouts/t.yaml"] } else { vec!["render", "data/t.yaml"] };
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(extra);
    let run = yoshiki_in(&dir.path, &args);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    out
}

/// The words of the PDF with their boxes (points from the top left).
fn words(pdf: &Path) -> Vec<Word> {
    bbox_words(&poppler("pdftotext", ["-bbox-layout", pdf.to_str().unwrap(), "-"]))
}

fn mm(pt: f64) -> f64 {
    pt * 25.4 / 72.0
}

/// The words right of `first` on its line (their middles between its
/// top and bottom), left to right, as (text, centre x in mm).
fn line_after(pdf: &Path, first: &str) -> Vec<(String, f64)> {
    let all = words(pdf);
    let at = all.iter().find(|w| w.text == first).unwrap_or_else(|| panic!("no `{first}` in {all:?}"));
    let mut right: Vec<&Word> = all
        .iter()
        .filter(|w| w.x_min > at.x_max && (w.y_min + w.y_max) / 2.0 > at.y_min && (w.y_min + w.y_max) / 2.0 < at.y_max)
        .collect();
    right.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
    right.into_iter().map(|w| (w.text.clone(), mm((w.x_min + w.x_max) / 2.0))).collect()
}

// ---------------------------------------------------------------- boxes

/// 150 × 60 mm, margins 5: a 120 mm table on the left; labels 30 mm, so
/// the boxes start at 35 mm: 9 boxes of 10 mm, 6 of 15 mm, 9 of 10 mm.
const BOXES: &str = "page: { size: [150, 60], orientation: landscape, margin: 5 }
size: 12
body:
  - table:
      width: 120
      align: left
      rows:
        - cells:
            - { label: 請求金額, width: 30 }
            - { boxes: total, count: 9, prefix: ￥, group_rule: 1.2 }
        - cells:
            - { label: 受付番号, width: 30 }
            - { boxes: code, count: 6, align: left }
        - cells:
            - { label: 空欄, width: 30 }
            - { boxes: none, count: 9 }
";

#[test]
fn boxes_hold_one_character_each_filled_from_the_right_with_the_yen_sign_before() {
    let dir = project("boxes_fill", BOXES, "  total: 1234567\n  code: \"000123\"\n");
    let pdf = render(&dir, false, &[]);
    let amount = line_after(&pdf, "額");
    let texts: Vec<&str> = amount.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["￥", "１", "２", "３", "４", "５", "６", "７"], "{amount:?}");
    // The ones digit in the last box (centre 35 + 8.5 × 10 mm), ￥ in the
    // box just before the first digit (box 1 of 0..9).
    for (i, (t, x)) in amount.iter().enumerate() {
        let centre = 35.0 + (i as f64 + 1.5) * 10.0;
        assert!((x - centre).abs() < 0.6, "`{t}` centred at {x:.1} mm, its box at {centre:.1} mm");
    }
    // A code filled from the left keeps its zeros, one per 15 mm box.
    let code = line_after(&pdf, "号");
    let texts: Vec<&str> = code.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["０", "０", "０", "１", "２", "３"], "{code:?}");
    for (i, (t, x)) in code.iter().enumerate() {
        let centre = 35.0 + (i as f64 + 0.5) * 15.0;
        assert!((x - centre).abs() < 0.6, "`{t}` centred at {x:.1} mm, its box at {centre:.1} mm");
    }
}

/// The x (in mm) of the dark vertical rules crossing the pixel row at
/// `y_mm` of page 1's preview, at 10 pixels per mm.
fn rules_across(dir: &TempDir, pdf: &Path, y_mm: f64) -> Vec<f64> {
    let png = dir.join("out-1.png");
    assert!(png.exists(), "no preview {}", pdf.display());
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let y = (y_mm * 10.0).round() as usize;
    let row = &buf[y * info.line_size..(y + 1) * info.line_size];
    let dark: Vec<bool> = row.chunks(channels).map(|p| p[0] < 128).collect();
    let mut rules = Vec::new();
    let mut x = 0;
    while x < dark.len() {
        if dark[x] {
            let start = x;
            while x < dark.len() && dark[x] {
                x += 1;
            }
            rules.push((start + x) as f64 / 2.0 / 10.0);
        }
        x += 1;
    }
    rules
}

#[test]
fn a_blank_form_draws_the_empty_boxes() {
    let dir = project("boxes_blank", BOXES, "  {}\n");
    let pdf = render(&dir, true, &["--png", "--dpi", "254"]);
    let text = strip_ws(&poppler("pdftotext", [pdf.to_str().unwrap(), "-"]));
    assert_eq!(text, "請求金額受付番号空欄", "a blank form prints no value");
    // Through the middle of the 空欄 row: the table's left edge (5 mm),
    // the label's right edge (35 mm), and the 9 boxes' rules every 10 mm.
    let w = words(&pdf);
    let label = w.iter().find(|w| w.text == "空").expect("空");
    // (Left of 30 mm, the row is crossed by the label's glyphs.)
    let mut rules = rules_across(&dir, &pdf, mm((label.y_min + label.y_max) / 2.0));
    rules.retain(|x| *x < 6.0 || *x > 30.0);
    let expected: Vec<f64> = [5.0].into_iter().chain((0..=9).map(|i| 35.0 + 10.0 * i as f64)).collect();
    assert_eq!(rules.len(), expected.len(), "rules at {rules:?}, expected {expected:?}");
    for (got, want) in rules.iter().zip(&expected) {
        assert!((got - want).abs() < 0.3, "rule at {got:.1} mm, expected {want:.1} mm ({rules:?})");
    }
}

#[test]
fn a_value_with_more_characters_than_boxes_is_an_error_naming_the_cell() {
    let dir = project("boxes_overflow", BOXES, "  total: 1234567890\n");
    let run = yoshiki_in(&dir.path, ["render", "data/t.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("`￥１２３４５６７８９０` needs 11 boxes, and the cell has 9"), "{}", run.describe());
    assert!(run.stderr.contains("body[0].table.rows[0].cells[1]"), "{}", run.describe());
    assert!(run.stderr.contains("data/t.yaml:3:3"), "{}", run.describe());
    assert!(run.stderr.contains("the prefix `￥` takes a box too"), "{}", run.describe());
    assert!(!dir.join("out.pdf").exists(), "no half-written output");
}

#[test]
fn a_boxes_cell_needs_its_count_and_fills_from_one_side() {
    let no_count = "body:\n  - table:\n      rows:\n        - cells: [{ boxes: n }]\n";
    let dir = project("boxes_no_count", no_count, "  n: 1\n");
    let run = yoshiki_in(&dir.path, ["blank", "layouts/t.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("a `boxes` cell needs `count`"), "{}", run.describe());

    let centred = "body:\n  - table:\n      rows:\n        - cells: [{ boxes: n, count: 4, align: center }]\n";
    let dir = project("boxes_centred", centred, "  n: 1\n");
    let run = yoshiki_in(&dir.path, ["blank", "layouts/t.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("boxes are filled from the `right` or the `left`, not `center`"), "{}", run.describe());
    assert!(run.stderr.contains("layouts/t.yaml:4:"), "{}", run.describe());
}

// ---------------------------------------------------------------- table blocks

/// A 60 mm table on an A5 page (148 mm wide, margins 10) aligned `align`,
/// between two text blocks.
fn aligned(align: &str, space: &str) -> String {
    format!(
        "page: {{ size: A5, margin: 10 }}\nbody:\n  - text: 上の文\n  - table:\n      width: 60\n{align}      rows:\n        - cells: [{{ label: 甲, align: left, padding: [1, 0] }}]\n{space}  - text: 下の文\n"
    )
}

fn word<'a>(words: &'a [Word], text: &str) -> &'a Word {
    words.iter().find(|w| w.text == text).unwrap_or_else(|| panic!("no `{text}` in {words:?}"))
}

#[test]
fn a_table_stands_left_centred_or_right_between_the_margins() {
    let mut xs = Vec::new();
    for align in ["      align: left\n", "", "      align: center\n", "      align: right\n"] {
        let dir = project("table_align", &aligned(align, ""), "  {}\n");
        let pdf = render(&dir, true, &[]);
        xs.push(mm(word(&words(&pdf), "甲").x_min));
    }
    // The label starts at the table's left edge: 10, 44 (centred by
    // default), 44, 78 mm (148 − 10 − 60).
    for (x, want) in xs.iter().zip([10.0, 44.0, 44.0, 78.0]) {
        assert!((x - want).abs() < 0.5, "table edges {xs:?}, expected {want} mm");
    }
}

#[test]
fn space_before_and_after_a_table_is_kept() {
    let gaps = |space: &str| {
        let dir = project("table_space", &aligned("", space), "  {}\n");
        let pdf = render(&dir, true, &[]);
        let w = words(&pdf);
        let (above, cell, below) = (word(&w, "上の文"), word(&w, "甲"), word(&w, "下の文"));
        (mm(cell.y_min - above.y_max), mm(below.y_min - cell.y_max))
    };
    let (before, after) = gaps("");
    let (before_spaced, after_spaced) = gaps("    space_before: 12\n    space_after: 7\n");
    assert!((before_spaced - before - 12.0).abs() < 0.2, "space_before: {before:.2} → {before_spaced:.2} mm");
    assert!((after_spaced - after - 7.0).abs() < 0.2, "space_after: {after:.2} → {after_spaced:.2} mm");
}

// ---------------------------------------------------------------- keys that do nothing

/// `blank layouts/t.yaml` fails with exit 2 and `message` at `line:`.
fn refused(name: &str, layout: &str, line: u32, message: &str) {
    let dir = project(name, layout, "  {}\n");
    let run = yoshiki_in(&dir.path, ["blank", "layouts/t.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{name}: {}", run.describe());
    assert!(run.stderr.contains(message), "{name}: {}", run.describe());
    assert!(run.stderr.contains(&format!("layouts/t.yaml:{line}:")), "{name}: {}", run.describe());
    assert!(run.stderr.contains("= help: "), "{name}: every refusal says what to do: {}", run.describe());
    assert!(!dir.join("out.pdf").exists());
}

#[test]
fn a_key_that_would_do_nothing_is_refused_where_it_is_written() {
    let table = |row: &str| format!("body:\n  - table:\n      rows:\n        - cells: [{row}]\n");
    refused("digits_on_label", &table("{ label: a, digits: ascii }"), 4, "`digits` has no effect on a `label` cell");
    refused("count_on_text", &table("{ text: x, count: 3 }"), 4, "`count` has no effect on a `text` cell");
    refused(
        "suffix_on_boxes",
        &table("{ boxes: x, count: 3, suffix: 円 }"),
        4,
        "`suffix` has no effect on a `boxes` cell",
    );
    refused(
        "align_without_width",
        "body:\n  - table:\n      align: right\n      rows:\n        - cells: [{ label: a }]\n",
        3,
        "a table without `width` fills the width between the margins",
    );
    refused(
        "align_beside_table",
        "body:\n  - align: right\n    table:\n      width: 50\n      rows:\n        - cells: [{ label: a }]\n",
        2,
        "`align` beside `table:` would align text",
    );
    refused(
        "keep_with_previous_after_text",
        "body:\n  - text: a\n  - text: b\n    keep_with_previous: true\n",
        4,
        "this block does not follow a table",
    );
    refused(
        "space_on_a_group",
        "body:\n  - for_each: items\n    space_before: 3\n    blocks:\n      - text: \"{name}\"\n",
        3,
        "`space_before` has no effect on a `for_each` group",
    );
    refused(
        "keep_together_on_a_header_row",
        "body:\n  - table:\n      header:\n        - cells: [{ label: a }]\n          keep_together: true\n      rows:\n        - cells: [{ label: b }]\n",
        5,
        "`keep_together` has no effect here: header rows are never split",
    );
    refused(
        "keep_together_with_split_false",
        "body:\n  - table:\n      rows:\n        - cells: [{ label: b }]\n          split: false\n          keep_together: true\n",
        6,
        "`split: false` already moves the row whole",
    );
    refused(
        "keep_together_in_a_fixed_row",
        "body:\n  - table:\n      rows:\n        - cells: [{ label: b }]\n          keep_together: true\n          height: 10\n",
        5,
        "`keep_together` has no effect on a row of fixed `height`",
    );
    refused(
        "defaults_for_a_kind_no_cell_has",
        "defaults:\n  boxes: { count: 4 }\nbody:\n  - table:\n      rows:\n        - cells: [{ label: b }]\n",
        2,
        "no cell of this layout is a `boxes` cell, so `defaults.boxes` has no effect",
    );
    refused(
        "side_padding_on_boxes",
        &table("{ boxes: n, count: 4, padding: [1, 2] }"),
        4,
        "boxes take the cell's whole width, so a side padding has no effect",
    );
    refused("continued_without_repeat", &table("{ text: x, continued: （続き） }"), 4, "this cell does not repeat");
}

// ---------------------------------------------------------------- keep together

/// A project on an A6-sized page (105 × 148 mm, margins 10): a first row
/// of `first` lines, then a row of `lines` lines (`第1行` …), kept
/// together or not.
fn kept(name: &str, first: usize, keep: bool, lines: usize) -> TempDir {
    let keep = if keep { "          keep_together: true\n" } else { "" };
    let layout = format!(
        "page: {{ size: [105, 148], margin: 10 }}\nbody:\n  - table:\n      rows:\n        - cells: [{{ text: top }}]\n        - cells:\n            - {{ label: 見出し, width: 20 }}\n            - {{ text: long }}\n{keep}"
    );
    let list = |prefix: &str, n: usize| (1..=n).map(|i| format!("{prefix}{i}行")).collect::<Vec<_>>().join("\\n");
    let data = format!("  top: \"{}\"\n  long: \"{}\"\n", list("上", first), list("第", lines));
    project(name, &layout, &data)
}

#[test]
fn a_row_kept_together_moves_whole_to_the_next_page() {
    // Unkept, the 12-line row starts under the 20-line first row and is split.
    let dir = kept("keep_off", 20, false, 12);
    let pages = page_texts(&render(&dir, false, &[]), &[]);
    assert_eq!(pages.len(), 2);
    assert!(strip_ws(&pages[0]).contains("第1行"), "the row starts on page 1 when it may split: {pages:?}");

    let dir = kept("keep_on", 20, true, 12);
    let pages = page_texts(&render(&dir, false, &[]), &[]);
    assert_eq!(pages.len(), 2);
    assert!(!strip_ws(&pages[0]).contains("第"), "nothing of the kept row on page 1: {}", pages[0]);
    let second = strip_ws(&pages[1]);
    for i in 1..=12 {
        assert!(second.contains(&format!("第{i}行")), "line {i} of the kept row is on page 2: {second}");
    }
}

#[test]
fn each_row_of_a_list_kept_together_moves_whole() {
    let items: Vec<String> = (1..=8)
        .map(|i| format!("    - t: \"{}\"\n", (1..=6).map(|j| format!("項{i}の{j}行")).collect::<Vec<_>>().join("\\n")))
        .collect();
    let data = format!("  items:\n{}", items.concat());
    let layout = |keep: &str| {
        format!(
            "page: {{ size: [105, 148], margin: 10 }}\nbody:\n  - table:\n      rows:\n        - for_each: items\n          cells: [{{ label: 項, width: 15 }}, {{ text: t }}]\n{keep}"
        )
    };
    // Three rows of six lines fill most of a page; the fourth is split
    // unless the rows keep together.
    let dir = project("list_unkept", &layout(""), &data);
    let pages = page_texts(&render(&dir, false, &[]), &[]);
    assert!(strip_ws(&pages[0]).contains("項4の1行") && !strip_ws(&pages[0]).contains("項4の6行"), "{pages:?}");
    let dir = project("list_kept", &layout("          keep_together: true\n"), &data);
    let pages: Vec<String> = page_texts(&render(&dir, false, &[]), &[]).iter().map(|p| strip_ws(p)).collect();
    for i in 1..=8 {
        let holding: Vec<usize> = (0..pages.len()).filter(|&p| pages[p].contains(&format!("項{i}の"))).collect();
        assert_eq!(holding.len(), 1, "row {i} is on pages {holding:?}: {pages:?}");
    }
}

#[test]
fn a_kept_row_taller_than_a_page_still_splits() {
    let dir = kept("keep_too_tall", 3, true, 60);
    let pdf = render(&dir, false, &[]);
    assert!(page_count(&pdfinfo(&pdf, &[])) >= 2);
    let pages = page_texts(&pdf, &[]);
    assert!(strip_ws(&pages[0]).contains("第1行"), "a row taller than a page starts where it is: {pages:?}");
    let all = strip_ws(&pages.concat());
    for i in 1..=60 {
        assert!(all.contains(&format!("第{i}行")), "line {i} was lost");
    }
}

#[test]
fn a_note_kept_with_its_table_never_stands_alone_on_a_page() {
    // A table that ends at the foot of the page (19 rows fill it), then a note.
    let rows: Vec<String> =
        (1..=19).map(|i| format!("        - cells: [{{ label: 行{i}, min_height: 5 }}]\n")).collect();
    let layout = |keep: &str| {
        format!(
            "page: {{ size: [105, 148], margin: 10 }}\nbody:\n  - table:\n      rows:\n{}  - text: ※注記\n    space_before: 1\n{keep}",
            rows.concat()
        )
    };
    let dir = project("note_alone", &layout(""), "  {}\n");
    let pages = page_texts(&render(&dir, true, &[]), &[]);
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(strip_ws(&pages[1]), "※注記", "without the key the note stands alone: {pages:?}");

    let dir = project("note_kept", &layout("    keep_with_previous: true\n"), "  {}\n");
    let pages = page_texts(&render(&dir, true, &[]), &[]);
    assert_eq!(pages.len(), 2, "{pages:?}");
    let last = strip_ws(&pages[1]);
    assert!(last.contains("19") && last.contains("※注記"), "the last row goes with the note: {last}");
    assert!(!strip_ws(&pages[0]).contains("19"));
}

// ---------------------------------------------------------------- the bundled forms

#[test]
fn the_bundled_sheet_keeps_its_first_half_year_row_on_one_page() {
    let dir = TempDir::new("bundled_sheet_keep");
    let pdf = dir.join("sheet.pdf");
    common::render_ok(common::SEED_DATA, &pdf);
    let pages: Vec<String> = page_texts(&pdf, &[]).iter().map(|p| strip_ws(p)).collect();
    let holding: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].contains("各種研修の実施(４月～９月)")).collect();
    assert_eq!(holding.len(), 1, "{pages:?}");
    let page = &pages[holding[0]];
    for item in ["上半期の", "こころの健康相談の実施(４月～９月)", "体の状況等の調査を実施（７月～９月）"]
    {
        assert!(page.contains(item), "`{item}` is on the page of the row's first line: {page}");
    }
}

#[test]
fn the_plan_keeps_its_rating_note_with_the_table() {
    let dir = TempDir::new("bundled_plan_note");
    let pdf = dir.join("plan.pdf");
    common::render_ok("data/jinzai-plan/h30-r04.yaml", &pdf);
    let pages: Vec<String> = page_texts(&pdf, &[]).iter().map(|p| strip_ws(p)).collect();
    for (i, page) in pages.iter().enumerate() {
        if page.contains("※評価") {
            let alone =
                page.replace("※評価A：実施できた、B：概ね実施できた（一部実施できなかった）、C：実施できなかった", "");
            let rest = alone.trim_end_matches(|c: char| c.is_ascii_digit() || c == '/');
            assert!(rest.chars().count() > 40, "the note stands (nearly) alone on page {}: {page}", i + 1);
        }
    }
}

// ---------------------------------------------------------------- repeated texts

/// The same short text in cells of different widths (and nothing else)
/// and sizes, twice each: a document remembers how it set each short text
/// (`layout::fit::Memo`), and a setting must be reused only where
/// everything it depends on is the same.
#[test]
fn a_repeated_text_is_set_for_each_cell_it_fills() {
    let layout = "page: { size: [150, 80], orientation: landscape, margin: 5 }
size: 12
body:
  - table:
      width: 120
      align: left
      rows:
        - cells:
            - { label: 継続実施, width: 60, min_size: 5, max_lines: 1 }
            - { label: 継続実施, width: 12, min_size: 5, max_lines: 1 }
            - { label: 継続実施, width: 48, size: 9 }
        - cells:
            - { label: 継続実施, width: 60, min_size: 5, max_lines: 1 }
            - { label: 継続実施, width: 12, min_size: 5, max_lines: 1 }
            - { label: 継続実施, width: 48, size: 9 }
";
    let dir = project("repeated_text", layout, "  x: 1\n");
    let pdf = render(&dir, true, &[]);
    let all = words(&pdf);
    // Each cell's first character (labels are spread: one word a character
    // where there is room), by row, then left to right.
    let mut firsts: Vec<&Word> = all.iter().filter(|w| w.text.starts_with('継')).collect();
    assert_eq!(firsts.len(), 6, "{all:?}");
    let middle = |w: &Word| ((w.y_min + w.y_max) / 2.0 * 10.0).round();
    firsts.sort_by(|a, b| middle(a).total_cmp(&middle(b)).then(a.x_min.total_cmp(&b.x_min)));
    let size = |w: &Word| w.y_max - w.y_min;
    for row in firsts.chunks(3) {
        // 12 pt; shrunk to fit one line of the 12 mm cell; 9 pt.
        assert!((size(row[0]) - 12.0).abs() < 0.1, "{row:?}");
        assert!(size(row[1]) < 8.0 && size(row[1]) >= 5.0, "{row:?}");
        assert!((size(row[2]) - 9.0).abs() < 0.1, "{row:?}");
    }
    // The second row is set as the first was.
    for (a, b) in firsts[..3].iter().zip(&firsts[3..]) {
        assert!((size(a) - size(b)).abs() < 0.01 && (a.x_min - b.x_min).abs() < 0.01, "{a:?} {b:?}");
    }
}
