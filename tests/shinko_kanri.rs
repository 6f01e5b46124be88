//! The 重点事務事業進行管理表 end to end, through the CLI and poppler:
//! the filled seed sheet (data/shinko-kanri/r07-no06.yaml) and the blank
//! form of layouts/shinko-kanri.yaml.

mod common;

use common::*;
use std::path::Path;

const A4: (f64, f64) = (595.276, 841.89);

fn assert_a4_pages(pdf: &Path, pages: usize) {
    let info = pdfinfo(pdf, &[]);
    assert_eq!(page_count(&info), pages, "page count of {}:\n{info}", pdf.display());
    // With -f/-l pdfinfo prints the size of every page in the range.
    let per_page = pdfinfo(pdf, &["-f", "1", "-l", &pages.to_string()]);
    let sizes = page_sizes(&per_page);
    assert_eq!(sizes.len(), pages, "one size per page expected:\n{per_page}");
    for (i, (w, h)) in sizes.iter().enumerate() {
        assert!(
            (w - A4.0).abs() <= 0.5 && (h - A4.1).abs() <= 0.5,
            "page {} of {} is {w} x {h} pt, not A4 portrait {} x {}:\n{per_page}",
            i + 1,
            pdf.display(),
            A4.0,
            A4.1
        );
    }
}

// ------------------------------------------------------------ criterion 1

#[test]
fn seed_renders_as_two_a4_portrait_pages() {
    let dir = TempDir::new("seed_renders_as_two_a4_portrait_pages");
    let pdf = render_seed(&dir, "X.pdf");
    assert_a4_pages(&pdf, 2);
}

// ------------------------------------------------------------ criterion 2

/// What a data value looks like on the sheet, from the kind of its cell.
fn printed_form(cell: &Cell, value: &str) -> String {
    match cell.kind.as_str() {
        "text" | "choice" => value.to_string(),
        "number" => fullwidth_digits(value),
        "amount" => {
            assert!(value.chars().all(|c| c.is_ascii_digit()), "{}: amount {value:?} is not digits", cell.value);
            format!("{}{}", fullwidth_amount(value), cell.get("suffix").unwrap_or(""))
        }
        "fiscal_year" => {
            // `令和7` → `令和７年度`.
            let era: String = value.chars().take_while(|c| !c.is_ascii_digit()).collect();
            let year = &value[era.len()..];
            assert!(
                !era.is_empty() && !year.is_empty() && year.chars().all(|c| c.is_ascii_digit()),
                "{}: the test reads only `<era><year>` years, not {value:?}",
                cell.value
            );
            format!("{era}{}年度", fullwidth_digits(year))
        }
        other => panic!("{}: no printed form known for a `{other}` cell", cell.value),
    }
}

/// Is `expected` in `text` in one piece, or in two where its row was split
/// across pages and the row's repeated labels (`labels`, whitespace
/// removed) come in between?
fn found_in_one_piece_or_across_a_page(text: &str, expected: &str, labels: &[String]) -> bool {
    if text.contains(expected) {
        return true;
    }
    fn skip_labels<'a>(mut rest: &'a str, labels: &[String]) -> &'a str {
        while let Some(l) = labels.iter().find(|l| !l.is_empty() && rest.starts_with(l.as_str())) {
            rest = &rest[l.len()..];
        }
        rest
    }
    expected.char_indices().skip(1).any(|(k, _)| {
        let (head, tail) = expected.split_at(k);
        text.match_indices(head).any(|(at, _)| {
            let after = &text[at + head.len()..];
            let rest = skip_labels(after, labels);
            rest.len() < after.len() && rest.starts_with(tail)
        })
    })
}

/// Every value of the data file is in the text, each cell's text in one
/// piece (or two, when its row is split across the page break and its
/// labels repeat) and in reading order.
///
/// Why `pdftotext -raw`: the default (physical-layout) mode reorders text
/// into what it takes for columns, and on this sheet it splits cells: the
/// stacked label 本年度の／目標, which stands beside the middle of the tall
/// 目標 cell, comes out between two lines of the 目標 text, and the spread
/// two-line labels (事業費／の実績) come out character by character in
/// column order. `-raw` keeps content-stream order, which is the order the
/// renderer draws cells and their lines, so each cell stays contiguous.
#[test]
fn seed_text_contains_every_value_in_reading_order() {
    let dir = TempDir::new("seed_text_contains_every_value_in_reading_order");
    let pdf = render_seed(&dir, "X.pdf");
    let raw = pdftotext(&pdf, &["-raw"]);
    let text = strip_ws(&raw);

    let cells = layout_cells(&read_to_string(&seed_layout_path()));
    let labels: Vec<String> = cells
        .iter()
        .filter(|c| c.kind == "label")
        .map(|c| strip_ws(&c.value.replace("\\n", "")).replace('"', ""))
        .collect();
    let fields = data_fields(&read_to_string(&seed_data_path()));
    assert!(fields.len() >= 10, "the reader found too few fields: {fields:#?}");

    let mut missing = Vec::new();
    for f in &fields {
        let cell = cells
            .iter()
            .find(|c| c.kind != "label" && c.value == f.key)
            .unwrap_or_else(|| panic!("no cell for the data field `{}` in the layout", f.key));
        let expected = strip_ws(&printed_form(cell, &f.value));
        if !found_in_one_piece_or_across_a_page(&text, &expected, &labels) {
            // The longest prefix that is there, to show where it breaks.
            let chars: Vec<char> = expected.chars().collect();
            let found =
                (0..=chars.len()).rev().find(|&n| text.contains(&chars[..n].iter().collect::<String>())).unwrap_or(0);
            missing.push(format!(
                "  {} (line {}): {:?}\n    found only the first {found} of {} characters; \
                 the next expected is {:?}",
                f.key,
                f.line,
                expected,
                chars.len(),
                chars.get(found)
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "values not found contiguously in `pdftotext -raw` (whitespace removed):\n{}\n\
         --- pdftotext -raw ---\n{raw}",
        missing.join("\n")
    );

    // The printed forms the issue names, literally.
    assert_eq!(count(&text, "７，１８８千円"), 2, "two amounts of 7188:\n{raw}");
    assert!(text.contains("令和７年度"), "nendo 令和7:\n{raw}");
    assert!(text.contains("№６"), "bango 6 as ６ after the № label:\n{raw}");
}

// ------------------------------------------------------------ criterion 3

/// Characters that must not begin a line (行頭禁則).
const NOT_AT_LINE_START: &str =
    "、。，．）」』】〕〉》・：；？！ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ～〜)]},.:;!?";
/// Characters that must not end a line (行末禁則).
const NOT_AT_LINE_END: &str = "（「『【〔〈《([{";

/// A run of text on one baseline in one cell, as pdftotext sees it.
struct LineRun {
    page: usize,
    y: f64,
    x: f64,
    text: String,
}

/// The lines of a PDF, cut where pdftotext joined neighbouring cells.
///
/// `pdftotext -bbox-layout` sometimes puts text of different cells on one
/// `<line>`: on page 2 the stacked labels 計/画 and 実/績 share baselines
/// with lines of the 計画 text (`計 ・メンター制度…(４～５月) 実`), which
/// would hide that text line's own first and last characters. So a line is
/// cut wherever two words are more than half an em apart. Composed text
/// never has such gaps: justification spreads a line's slack over all its
/// break opportunities (≈0.1–0.3 em here); between cells there are two
/// paddings (≈0.7 em here). Spread labels (総 事 業 費, 0.74 em) fall apart
/// into single characters, which is harmless: labels contain no 禁則
/// characters.
fn runs(pdf: &Path) -> (Vec<LineRun>, String) {
    let xhtml = pdftotext(pdf, &["-bbox-layout"]);
    let mut runs = Vec::new();
    for line in bbox_lines(&xhtml) {
        let mut current: Option<LineRun> = None;
        let mut last_x_max = f64::NEG_INFINITY;
        for w in line {
            let em = w.y_max - w.y_min;
            let gap = w.x_min - last_x_max;
            last_x_max = w.x_max;
            match current.as_mut() {
                Some(r) if gap <= 0.5 * em => r.text.push_str(&w.text),
                _ => {
                    runs.extend(current.take());
                    current = Some(LineRun { page: w.page, y: w.y_min, x: w.x_min, text: w.text.clone() });
                }
            }
        }
        runs.extend(current);
    }
    for r in &mut runs {
        r.text = strip_ws(&r.text);
    }
    runs.retain(|r| !r.text.is_empty());
    (runs, xhtml)
}

/// 禁則 violations in a PDF.
///
/// `paragraphs`: the paragraphs of the data (whitespace removed); `options`:
/// the choice options of the layout.
///
/// The one exception is the bullet `・` (itself line-start prohibited as a
/// middle dot): a line may begin with it when the author put it at the start
/// of a paragraph — then no line break precedes it and 禁則 has no say. The
/// rule used: a run beginning with `・` is allowed if its text is the
/// beginning of a paragraph of the data that starts with `・` (a wrapped
/// bullet paragraph's first line is such a prefix; a continuation line that
/// starts with a middle dot, e.g. `・検証を行い…` broken out of `評価・検
/// 証`, is not) and the bullet is followed on the line by a character that
/// may itself start a line (a bullet alone on its line, or `・）…`, is
/// still a bad start). Also allowed: a run that is just `・` on the baseline of a
/// choice's options — the separators 目標以下 ・ 目標どおり ・ 目標以上 are
/// drawn by the choice cell, not composed text.
fn kinsoku_violations(runs: &[LineRun], paragraphs: &[String], options: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    for r in runs {
        let first = r.text.chars().next().expect("non-empty");
        let last = r.text.chars().last().expect("non-empty");
        let place = format!("page {} at ({:.1}, {:.1}): {:?}", r.page, r.x, r.y, r.text);
        if NOT_AT_LINE_START.contains(first) {
            let second = r.text.chars().nth(1);
            let bullet = first == '・'
                && second.is_some_and(|c| !NOT_AT_LINE_START.contains(c))
                && paragraphs.iter().any(|p| p.starts_with('・') && p.starts_with(&r.text));
            let separator = r.text == "・"
                && runs.iter().any(|o| o.page == r.page && (o.y - r.y).abs() < 1.0 && options.contains(&o.text));
            if !bullet && !separator {
                bad.push(format!("line starts with {first:?} — {place}"));
            }
        }
        if NOT_AT_LINE_END.contains(last) {
            bad.push(format!("line ends with {last:?} — {place}"));
        }
    }
    bad
}

fn layout_options() -> Vec<String> {
    layout_cells(&read_to_string(&seed_layout_path())).iter().flat_map(Cell::options).collect()
}

fn assert_kinsoku(pdf: &Path, paragraphs: &[String]) {
    let (runs, xhtml) = runs(pdf);
    assert!(runs.len() > 20, "too few lines read from:\n{xhtml}");
    let bad = kinsoku_violations(&runs, paragraphs, &layout_options());
    assert!(
        bad.is_empty(),
        "禁則 violations in {}:\n  {}\n--- lines ---\n{}",
        pdf.display(),
        bad.join("\n  "),
        runs.iter().map(|r| format!("p{} {:6.1} {:6.1} {}", r.page, r.y, r.x, r.text)).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn seed_lines_obey_kinsoku() {
    let dir = TempDir::new("seed_lines_obey_kinsoku");
    let pdf = render_seed(&dir, "X.pdf");
    let paragraphs: Vec<String> =
        data_fields(&read_to_string(&seed_data_path())).iter().flat_map(DataField::paragraphs).collect();
    // The rule must see the bullets it exempts; otherwise it checks nothing.
    assert!(paragraphs.iter().filter(|p| p.starts_with('・')).count() >= 10);
    assert_kinsoku(&pdf, &paragraphs);
}

#[test]
fn blank_lines_obey_kinsoku() {
    let dir = TempDir::new("blank_lines_obey_kinsoku");
    let pdf = dir.join("b.pdf");
    blank_ok(SEED_LAYOUT, &pdf);
    assert_kinsoku(&pdf, &[]);
}

/// Text built so that breaking at the 40th character of the 目標 cell (it
/// holds 40 full-width characters a line) would put a prohibited character
/// at the start or the end of a line.
#[test]
fn kinsoku_holds_where_a_naive_break_would_not() {
    let dir = TempDir::new("kinsoku_holds_where_a_naive_break_would_not");
    let base: String = "一二三四五六七八九十".repeat(4);
    let prefix = |n: usize| base.chars().take(n).collect::<String>();
    let mut paragraphs = Vec::new();
    for c in ["。", "、", "」", "）", "ー", "ッ", "ゃ", "々", "・", "？", "！", "～", ")", ".", "」。", "。」"]
    {
        for n in [39, 40] {
            paragraphs.push(format!("{}{c}終わり", prefix(n)));
        }
    }
    for (open, close) in [("「", "」"), ("（", "）"), ("『", "』"), ("【", "】"), ("(", ")")] {
        for n in [38, 39] {
            paragraphs.push(format!("{}{open}内容{close}終わり", prefix(n)));
        }
    }
    let layout = seed_layout_path();
    let mut yaml = format!("layout: {}\nfields:\n  mokuhyo: |-\n", layout.display());
    for p in &paragraphs {
        yaml.push_str(&format!("    {p}\n"));
    }
    let data = dir.write("stress.yaml", &yaml);
    let pdf = dir.join("stress.pdf");
    render_ok(&data, &pdf);

    // All of it is there, in order… (the 目標 cell runs onto the next page,
    // where its label is repeated before the rest of the text).
    let text = strip_ws(&pdftotext(&pdf, &["-raw"])).replace("本年度の目標", "");
    for p in &paragraphs {
        assert!(text.contains(p.as_str()), "{p:?} missing from:\n{text}");
    }
    // …and no line starts or ends badly.
    assert_kinsoku(&pdf, &paragraphs);
}

/// The check itself: it sees a bad start and a bad end in a real PDF, and
/// tells a bullet that starts a paragraph from a middle dot that does not.
#[test]
fn kinsoku_check_catches_violations() {
    let dir = TempDir::new("kinsoku_check_catches_violations");
    // Paragraphs may begin and end with anything; only the check's
    // exemption for bullets applies to them.
    let paragraphs = ["）で始まる段落", "・箇条書きの段落", "終わりが開き括弧の段落「"];
    let yaml = format!(
        "layout: {}\nfields:\n  mokuhyo: |-\n    {}\n",
        seed_layout_path().display(),
        paragraphs.join("\n    ")
    );
    let data = dir.write("bad-starts.yaml", &yaml);
    let pdf = dir.join("bad-starts.pdf");
    render_ok(&data, &pdf);
    let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
    let (runs, _) = runs(&pdf);
    let bad = kinsoku_violations(&runs, &paragraphs, &layout_options());
    assert_eq!(bad.len(), 2, "expected exactly the ） start and the 「 end: {bad:#?}");
    assert!(bad[0].contains("starts with '）'") && bad[1].contains("ends with '「'"), "{bad:#?}");

    let run = |text: &str| LineRun { page: 1, y: 100.0, x: 100.0, text: text.to_string() };
    let bullet = vec!["・箇条書きの段落".to_string()];
    assert!(kinsoku_violations(&[run("・箇条書き")], &bullet, &[]).is_empty());
    assert_eq!(kinsoku_violations(&[run("・評価の段落")], &bullet, &[]).len(), 1);
    assert_eq!(kinsoku_violations(&[run("・")], &bullet, &[]).len(), 1, "a lone ・ off a choice row");
}

// ------------------------------------------------------------ criterion 4

fn assert_fonts_embedded(pdf: &Path) {
    let fonts = pdffonts(pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "no fonts listed for {}:\n{fonts}", pdf.display());
    for row in rows {
        // name type… encoding emb sub uni object-number generation
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols.len() >= 7, "unexpected pdffonts row {row:?}:\n{fonts}");
        let n = cols.len();
        let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
        assert!(
            emb == "yes" && sub == "yes" && uni == "yes",
            "font not embedded+subset+ToUnicode (emb {emb}, sub {sub}, uni {uni}) in {}:\n{fonts}",
            pdf.display()
        );
    }
}

#[test]
fn fonts_are_embedded_subset_with_tounicode() {
    let dir = TempDir::new("fonts_are_embedded_subset_with_tounicode");
    assert_fonts_embedded(&render_seed(&dir, "X.pdf"));
    let blank = dir.join("b.pdf");
    blank_ok(SEED_LAYOUT, &blank);
    assert_fonts_embedded(&blank);
}

// ------------------------------------------------------------ criterion 5

#[test]
fn seed_is_under_70000_bytes() {
    let dir = TempDir::new("seed_is_under_70000_bytes");
    let pdf = render_seed(&dir, "X.pdf");
    let size = std::fs::metadata(&pdf).expect("metadata").len();
    assert!(size < 70_000, "{} is {size} bytes, not under 70,000", pdf.display());
}

// ------------------------------------------------------------ criterion 6

#[test]
fn same_input_gives_identical_bytes() {
    let dir = TempDir::new("same_input_gives_identical_bytes");
    let a = std::fs::read(render_seed(&dir, "first.pdf")).expect("read");
    let b = std::fs::read(render_seed(&dir, "second.pdf")).expect("read");
    assert_eq!(a.len(), b.len(), "two renders of the seed differ in length");
    if let Some(i) = a.iter().zip(&b).position(|(x, y)| x != y) {
        let show = |v: &[u8]| String::from_utf8_lossy(&v[i.saturating_sub(40)..(i + 40).min(v.len())]).into_owned();
        panic!("two renders of the seed differ at byte {i}:\n  {:?}\n  {:?}", show(&a), show(&b));
    }

    let (ba, bb) = (dir.join("blank1.pdf"), dir.join("blank2.pdf"));
    blank_ok(SEED_LAYOUT, &ba);
    blank_ok(SEED_LAYOUT, &bb);
    assert!(
        std::fs::read(&ba).expect("read") == std::fs::read(&bb).expect("read"),
        "two renders of the blank form differ"
    );
}

// ------------------------------------------------------------ criterion 7

#[test]
fn blank_form_has_every_label_and_no_value() {
    let dir = TempDir::new("blank_form_has_every_label_and_no_value");
    let pdf = dir.join("b.pdf");
    blank_ok(SEED_LAYOUT, &pdf);
    assert_a4_pages(&pdf, 1);

    // -raw for the reason given at seed_text_contains_every_value_in_reading_order:
    // the default mode scatters the two-line spread labels character by
    // character (事 の 業 実 費 績).
    let raw = pdftotext(&pdf, &["-raw"]);
    let text = strip_ws(&raw);
    let layout_text = read_to_string(&seed_layout_path());
    let cells = layout_cells(&layout_text);

    let labels: Vec<&Cell> = cells.iter().filter(|c| c.kind == "label").collect();
    assert!(labels.len() >= 25, "the reader found too few labels: {labels:#?}");
    let mut missing = Vec::new();
    for label in &labels {
        for part in label.value.split('\n') {
            if !text.contains(&strip_ws(part)) {
                missing.push(format!("{part:?} (of label {:?})", label.value));
            }
        }
    }
    for fixed in layout_body_texts(&layout_text) {
        if !text.contains(&strip_ws(&fixed)) {
            missing.push(format!("{fixed:?} (body text)"));
        }
    }
    assert!(
        missing.is_empty(),
        "missing from the blank form:\n  {}\n--- pdftotext -raw ---\n{raw}",
        missing.join("\n  ")
    );

    // No value of the seed data.
    for f in data_fields(&read_to_string(&seed_data_path())) {
        let v = strip_ws(&f.value);
        if v.chars().count() >= 4 {
            assert!(!text.contains(&v), "data value of `{}` on the blank form:\n{raw}", f.key);
        }
    }
    for v in ["職員の資質向上", "総務部長", "７，１８８", "令和７"] {
        assert!(!text.contains(v), "{v:?} on the blank form:\n{raw}");
    }

    // The units and the era stay, for the hand to fill in.
    let amounts = cells.iter().filter(|c| c.kind == "amount").count();
    assert_eq!(amounts, 4, "amount cells in the layout");
    assert_eq!(count(&text, "千円"), amounts, "one 千円 per amount cell:\n{raw}");
    assert!(text.contains("令和") && text.contains("年度"), "blank year 令和　年度:\n{raw}");
    let raw_year = raw.find("令和").map(|i| &raw[i..]).unwrap_or("");
    assert!(
        strip_ws(raw_year).starts_with("令和年度"),
        "the blank year should read 令和 … 年度 with only space between:\n{raw}"
    );
    for option in cells.iter().flat_map(Cell::options) {
        assert_eq!(count(&text, &option), 2, "choice option {option:?}, once per 達成度:\n{raw}");
    }
}
