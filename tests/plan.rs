//! The multi-year plan (人材育成推進プラン 取組状況, layouts/jinzai-plan.yaml
//! with data/jinzai-plan/h30-r04.yaml) end to end through the CLI and
//! poppler: the flowing landscape table, its repeated header and
//! （続き） labels, cells spanning year columns, `--year`, and `yoshiki
//! batch`.

mod common;

use common::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const PLAN_DATA: &str = "data/jinzai-plan/h30-r04.yaml";
/// A4 landscape in points.
const A4_LANDSCAPE: (f64, f64) = (841.89, 595.276);
/// The plan's years, as the short year labels print them.
const YEARS: [&str; 5] = ["H30", "R1", "R2", "R3", "R4"];
const TITLE: &str = "人材育成推進プラン（平成30年度～令和4年度）の取組状況";

fn plan_data_path() -> PathBuf {
    manifest_dir().join(PLAN_DATA)
}

fn plan_data_text() -> String {
    read_to_string(&plan_data_path())
}

/// `yoshiki render data/jinzai-plan/h30-r04.yaml [--year Y] -o <dir>/name`,
/// asserting success.
fn render_plan(dir: &TempDir, name: &str, year: Option<&str>) -> PathBuf {
    let out = dir.join(name);
    let mut args: Vec<&OsStr> = vec![OsStr::new("render"), OsStr::new(PLAN_DATA)];
    if let Some(y) = year {
        args.extend([OsStr::new("--year"), OsStr::new(y)]);
    }
    args.extend([OsStr::new("-o"), out.as_os_str()]);
    let run = yoshiki(&args);
    assert_eq!(run.code, Some(0), "yoshiki {args:?} failed:\n{}", run.describe());
    assert!(out.is_file(), "{} was not written:\n{}", out.display(), run.describe());
    out
}

/// Each page's `pdftotext -raw` text with all whitespace removed. `-raw`
/// keeps content-stream order, in which each cell's lines are contiguous
/// (see tests/shinko_kanri.rs for why the default mode is not used).
fn stripped_pages(pdf: &Path) -> Vec<String> {
    page_texts(pdf, &["-raw"]).iter().map(|t| strip_ws(t)).collect()
}

/// The note under each section's table.
const NOTE: &str = "※評価A：実施できた、B：概ね実施できた（一部実施できなかった）、C：実施できなかった";

/// A page that holds nothing but a section's closing ※評価 note and the
/// page number: the table ended at the foot of the page before and the
/// note did not fit under it. Such a page has no table rows, hence no
/// header. (The page flow does not keep the note with the table's last
/// row yet.)
fn is_note_only(page: &str) -> bool {
    let rest = page.replacen(NOTE, "", 1);
    page.contains(NOTE) && rest.split('/').count() == 2 && rest.chars().all(|c| c.is_ascii_digit() || c == '/')
}

fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Where two byte strings first differ, for assertion messages.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter().zip(b).position(|(x, y)| x != y).or((a.len() != b.len()).then(|| a.len().min(b.len())))
}

// ------------------------------------------------------------ data reading

/// The value after `- KEY: ` on a line, if the line is such a list item.
fn list_item_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.trim_start().strip_prefix("- ")?.strip_prefix(key)?.strip_prefix(':')?;
    Some(rest.trim())
}

/// The section headings (`- heading: …`) of the plan's data.
fn section_headings(data: &str) -> Vec<String> {
    data.lines().filter_map(|l| list_item_value(l, "heading")).map(str::to_string).collect()
}

/// A group label of the plan: a 中項目 (no parent) or a 小項目 (with the
/// name of its 中項目).
#[derive(Debug, Clone)]
struct Group {
    name: String,
    parent: Option<String>,
    /// The group's first item as printed (`{no} {naiyo}`, whitespace
    /// removed), when the data has `- "no": N` items with `naiyo:`.
    first_item: Option<String>,
}

/// The 中項目 and 小項目 names (`- name: …`) of a plan's data, told apart
/// by indentation (the 中項目 are the least indented), in data order.
fn groups(data: &str) -> Vec<Group> {
    let lines: Vec<&str> = data.lines().collect();
    let mut named: Vec<(usize, Group)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(name) = list_item_value(line, "name") {
            let indent = line.len() - line.trim_start().len();
            named.push((indent, Group { name: name.to_string(), parent: None, first_item: None }));
        } else if let Some(no) = list_item_value(line, "\"no\"") {
            let naiyo = lines.get(i + 1).and_then(|l| l.trim().strip_prefix("naiyo:"));
            if let Some(naiyo) = naiyo {
                let item = strip_ws(&format!("{}{naiyo}", no.trim_matches('"')));
                for (_, g) in named.iter_mut().filter(|(_, g)| g.first_item.is_none()) {
                    g.first_item = Some(item.clone());
                }
            }
        }
    }
    let top = named.iter().map(|(i, _)| *i).min().expect("the data has `- name:` entries");
    let mut parent = None;
    named
        .into_iter()
        .map(|(indent, mut g)| {
            if indent == top {
                parent = Some(g.name.clone());
            } else {
                g.parent = parent.clone();
            }
            g
        })
        .collect()
}

/// The `jokyo: [a, b, c, d, e]` one-line lists of the data, as the
/// stripped texts of their values.
fn yearly_status_lists(data: &str) -> Vec<Vec<String>> {
    data.lines()
        .filter_map(|l| l.trim().strip_prefix("jokyo: [")?.strip_suffix(']'))
        .map(|inner| inner.split(", ").map(strip_ws).collect())
        .collect()
}

// ------------------------------------------------------------ geometry

/// The five 取組状況 year columns of a page, from the header's year labels.
#[derive(Debug)]
struct StatusColumns {
    /// Centre of each year's column (H30 … R4), in pt.
    centres: [f64; 5],
    /// Width of one column, in pt.
    width: f64,
}

impl StatusColumns {
    /// The header's second row holds the labels twice, スケジュール then
    /// 取組状況: the topmost row of H30 … R4 words, the right five.
    fn of_page(words: &[&Word]) -> StatusColumns {
        let is_year = |w: &&&Word| YEARS[..4].contains(&w.text.as_str()) || w.text.starts_with("R4");
        let top = words.iter().filter(is_year).map(|w| w.y_min).fold(f64::INFINITY, f64::min);
        let mut row: Vec<&Word> =
            words.iter().filter(is_year).filter(|w| (w.y_min - top).abs() < 1.0).copied().collect();
        row.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
        let texts: Vec<&str> = row.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(row.len(), 10, "expected the year labels twice on one header row, found {texts:?}");
        for (i, w) in row.iter().enumerate() {
            assert!(w.text.starts_with(YEARS[i % 5]), "header year labels out of order: {texts:?}");
        }
        let centres: Vec<f64> = row[5..].iter().map(|w| (w.x_min + w.x_max) / 2.0).collect();
        let centres: [f64; 5] = centres.try_into().expect("five");
        let width = (centres[4] - centres[0]) / 4.0;
        assert!(width > 20.0, "implausible column width {width} from {texts:?}");
        StatusColumns { centres, width }
    }

    fn left(&self, year: usize) -> f64 {
        self.centres[year] - self.width / 2.0
    }

    fn right(&self, year: usize) -> f64 {
        self.centres[year] + self.width / 2.0
    }
}

/// All words of the PDF (`pdftotext -bbox-layout`).
fn words_of(pdf: &Path) -> Vec<Word> {
    bbox_words(&pdftotext(pdf, &["-bbox-layout"]))
}

/// The horizontal extent of the composed line of a status cell whose first
/// word starts with `start`: that word and the words following it on its
/// baseline up to the first gap wider than half an em. (pdftotext may put
/// other cells' words on the same `<line>`; between two cells there are
/// two paddings, ≈0.7 em here, while a justified line's gaps stay under
/// ≈0.3 em, as in tests/shinko_kanri.rs.) Returns (page, xMin, xMax, the
/// columns of that page).
fn status_line_extent(pdf: &Path, start: &str) -> (usize, f64, f64, StatusColumns) {
    let all = words_of(pdf);
    let first = all
        .iter()
        .find(|w| w.text.starts_with(start))
        .unwrap_or_else(|| panic!("no word starting with {start:?} in {}", pdf.display()));
    let page = first.page;
    let on_page: Vec<&Word> = all.iter().filter(|w| w.page == page).collect();
    let cols = StatusColumns::of_page(&on_page);
    let mut baseline: Vec<&Word> =
        on_page.iter().filter(|w| (w.y_max - first.y_max).abs() < 0.5 && w.x_min >= first.x_min).copied().collect();
    baseline.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
    let mut x_max = first.x_max;
    for w in baseline {
        if w.x_min - x_max > 0.5 * (w.y_max - w.y_min) {
            break;
        }
        x_max = x_max.max(w.x_max);
    }
    (page, first.x_min, x_max, cols)
}

/// 評価 values: words that are exactly `A`, `B` or `C`. Returns how many
/// stand in the 評価 column (right of the last status column) and the ones
/// anywhere else.
fn evaluation_words(pdf: &Path) -> (usize, Vec<Word>) {
    let words = words_of(pdf);
    let pages = words.iter().map(|w| w.page).max().unwrap_or(0);
    let (mut in_column, mut elsewhere) = (0, Vec::new());
    for page in 1..=pages {
        let on_page: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
        if !on_page.iter().any(|w| w.text == "中項目") {
            // No table on this page (only a section's note): any A/B/C
            // here is out of place.
            let stray = on_page.iter().filter(|w| matches!(w.text.as_str(), "A" | "B" | "C"));
            elsewhere.extend(stray.map(|w| (*w).clone()));
            continue;
        }
        let cols = StatusColumns::of_page(&on_page);
        for w in on_page.iter().filter(|w| matches!(w.text.as_str(), "A" | "B" | "C")) {
            if w.x_min >= cols.right(4) && w.x_max <= A4_LANDSCAPE.0 {
                in_column += 1;
            } else {
                elsewhere.push((*w).clone());
            }
        }
    }
    (in_column, elsewhere)
}

// ------------------------------------------------------------ 1. paper, size, fonts

#[test]
fn plan_is_a4_landscape_small_with_embedded_fonts() {
    let dir = TempDir::new("plan_is_a4_landscape_small_with_embedded_fonts");
    let pdf = render_plan(&dir, "P.pdf", None);

    let info = pdfinfo(&pdf, &[]);
    let pages = page_count(&info);
    assert!(pages >= 3, "the plan should run over several pages, got {pages}:\n{info}");
    let per_page = pdfinfo(&pdf, &["-f", "1", "-l", &pages.to_string()]);
    let sizes = page_sizes(&per_page);
    assert_eq!(sizes.len(), pages, "one size per page expected:\n{per_page}");
    for (i, (w, h)) in sizes.iter().enumerate() {
        assert!(
            (w - A4_LANDSCAPE.0).abs() <= 0.5 && (h - A4_LANDSCAPE.1).abs() <= 0.5,
            "page {} is {w} x {h} pt, not A4 landscape {} x {}:\n{per_page}",
            i + 1,
            A4_LANDSCAPE.0,
            A4_LANDSCAPE.1
        );
    }

    let size = std::fs::metadata(&pdf).expect("metadata").len();
    assert!(size < 160_000, "{} is {size} bytes, not under 160,000", pdf.display());

    let fonts = pdffonts(&pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{fonts}");
    for row in rows {
        // name type… encoding emb sub uni object-number generation
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols.len() >= 7, "unexpected pdffonts row {row:?}:\n{fonts}");
        let n = cols.len();
        assert_eq!(
            (cols[n - 5], cols[n - 4], cols[n - 3]),
            ("yes", "yes", "yes"),
            "font not embedded+subset+ToUnicode (emb, sub, uni):\n{fonts}"
        );
    }
}

// ------------------------------------------------------------ 2. header on every page

#[test]
fn plan_header_repeats_on_every_page() {
    let dir = TempDir::new("plan_header_repeats_on_every_page");
    let pdf = render_plan(&dir, "P.pdf", None);
    let pages = stripped_pages(&pdf);
    assert!(pages.len() >= 3, "expected several pages, got {}", pages.len());
    let years: String = YEARS.concat();
    for (i, text) in pages.iter().enumerate().filter(|(_, t)| !is_note_only(t)) {
        for label in ["中項目", "小項目", "具体的な取組", "区分", "スケジュール", "取組状況", "評価"]
        {
            assert!(text.contains(label), "page {} has no header label {label}:\n{text}", i + 1);
        }
        // Once under スケジュール, once under 取組状況.
        assert!(count(text, &years) >= 2, "page {} does not have the year labels {years} twice:\n{text}", i + 1);
    }
}

// ------------------------------------------------------------ 3. page numbers

#[test]
fn plan_pages_are_numbered_n_of_m() {
    let dir = TempDir::new("plan_pages_are_numbered_n_of_m");
    let pdf = render_plan(&dir, "P.pdf", None);
    let pages = page_texts(&pdf, &["-raw"]);
    let m = pages.len();
    assert!(m >= 3, "expected several pages, got {m}");
    for (i, text) in pages.iter().enumerate() {
        let lines: Vec<String> = text.lines().map(strip_ws).collect();
        let footers: Vec<&String> = lines.iter().filter(|l| l.ends_with(&format!("/{m}"))).collect();
        assert_eq!(
            footers,
            vec![&format!("{}/{m}", i + 1)],
            "page {} should show exactly one page number `{} / {m}`:\n{text}",
            i + 1,
            i + 1
        );
    }
}

// ------------------------------------------------------------ 4. sections

#[test]
fn plan_sections_start_new_pages_with_title_and_note() {
    let dir = TempDir::new("plan_sections_start_new_pages_with_title_and_note");
    let pdf = render_plan(&dir, "P.pdf", None);
    let pages = stripped_pages(&pdf);
    let headings = section_headings(&plan_data_text());
    assert_eq!(headings, ["職員研修", "組織文化", "働きやすい環境"], "the sections of {PLAN_DATA}");

    // The page each section starts on: the one page with its 【heading】.
    let mut starts = Vec::new();
    for h in &headings {
        let marker = format!("【{h}】");
        let on: Vec<usize> = (0..pages.len()).filter(|&p| pages[p].contains(&marker)).collect();
        assert_eq!(on.len(), 1, "{marker} should be on exactly one page, found on pages {on:?} (0-based)");
        starts.push(on[0]);
    }
    assert_eq!(starts[0], 0, "the first section starts on page 1");
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "each section must start on a later page: {starts:?} (0-based)");

    // The title is on each section's first page, once, and nowhere else.
    for (p, text) in pages.iter().enumerate() {
        let expected = usize::from(starts.contains(&p));
        assert_eq!(count(text, TITLE), expected, "page {}: the title {TITLE} {expected} time(s):\n{text}", p + 1);
    }

    // The ※評価 note: once per section, after the section's start and
    // before the next section's page (so each section did start afresh).
    let total: usize = pages.iter().map(|t| count(t, "※評価")).sum();
    assert_eq!(total, headings.len(), "one ※評価 note per section");
    for (s, h) in headings.iter().enumerate() {
        let end = starts.get(s + 1).copied().unwrap_or(pages.len());
        let n: usize = pages[starts[s]..end].iter().map(|t| count(t, "※評価A：実施できた")).sum();
        assert_eq!(n, 1, "section {h} (pages {}–{end}) should hold its ※評価 note once", starts[s] + 1);
    }
}

// ------------------------------------------------------------ 5. （続き）

const CONTINUED: &str = "（続き）";

/// Every `（続き）` on every page must follow a group name, and a 小項目
/// can only continue on a page where its 中項目 continues too. Returns how
/// many were found.
fn check_continued_labels(pages: &[String], groups: &[Group]) -> usize {
    let mut found = 0;
    for (p, text) in pages.iter().enumerate() {
        for (at, _) in text.match_indices(CONTINUED) {
            found += 1;
            let before = &text[..at];
            let group =
                groups.iter().filter(|g| before.ends_with(&g.name)).max_by_key(|g| g.name.len()).unwrap_or_else(|| {
                    let tail: String = before.chars().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
                    panic!("page {}: （続き） after {tail:?}, which is no 中項目/小項目 name:\n{text}", p + 1)
                });
            if let Some(parent) = &group.parent {
                assert!(
                    text.contains(&format!("{parent}{CONTINUED}")),
                    "page {}: 小項目 {}（続き） without its 中項目 {parent}（続き）:\n{text}",
                    p + 1,
                    group.name
                );
            }
        }
    }
    found
}

#[test]
fn plan_continued_labels_name_their_group() {
    let dir = TempDir::new("plan_continued_labels_name_their_group");
    let pdf = render_plan(&dir, "P.pdf", None);
    let pages = stripped_pages(&pdf);
    let groups = groups(&plan_data_text());
    assert!(groups.len() > 20, "the reader found too few group names: {groups:?}");
    let found = check_continued_labels(&pages, &groups);
    assert!(found >= 1, "no （続き） on any page, though groups run over page breaks");
}

/// The group label that `rest` starts with, among `candidates` (the
/// longest match), and whether it carries （続き）.
fn leading_label<'a>(rest: &str, candidates: impl Iterator<Item = &'a Group>) -> Option<(&'a Group, bool)> {
    let g = candidates.filter(|g| rest.starts_with(&g.name)).max_by_key(|g| g.name.len())?;
    Some((g, rest[g.name.len()..].starts_with(CONTINUED)))
}

/// The first characters of a group's first item: on the page where the
/// group starts, and only there.
fn item_start(g: &Group) -> String {
    g.first_item.as_ref().unwrap_or_else(|| panic!("no first item read for {}", g.name)).chars().take(10).collect()
}

/// Check the labels right under the header of each page: the 中項目 label,
/// then one of its 小項目. A label with （続き） belongs to a group that
/// started on an earlier page (its first item is not on this page, its
/// name is on the page before); a label without it to a group that starts
/// here (its first item is on this page).
fn check_labels_under_header(pages: &[String], groups: &[Group], what: &str) {
    for (p, text) in pages.iter().enumerate().filter(|(_, t)| !is_note_only(t)) {
        let at = format!("{what}, page {}", p + 1);
        let end = text.find("評価").unwrap_or_else(|| panic!("{at}: no header:\n{text}")) + "評価".len();
        let mut rest = &text[end..];
        let mut parent: Option<&str> = None;
        for level in ["中項目", "小項目"] {
            let candidates = groups.iter().filter(|g| g.parent.as_deref() == parent);
            let (g, continued) = leading_label(rest, candidates).unwrap_or_else(|| {
                panic!("{at}: the header should be followed by a {level} label (under {parent:?}):\n{text}")
            });
            let start = item_start(g);
            if continued {
                assert!(p > 0, "{at}: {}（続き） on the first page", g.name);
                assert!(
                    !text.contains(&start),
                    "{at}: {}（続き）, yet its first item {start}… is on this page",
                    g.name
                );
                assert!(pages[p - 1].contains(&g.name), "{at}: {}（続き）, yet it is not on the page before", g.name);
                rest = &rest[g.name.len() + CONTINUED.len()..];
            } else {
                assert!(
                    text.contains(&start),
                    "{at}: {} {level} is not marked （続き）, yet its first item {start}… is not on this page:\n{text}",
                    g.name
                );
                rest = &rest[g.name.len()..];
            }
            parent = Some(&g.name);
        }
    }
}

/// In every year's report (each paginates differently), the labels at the
/// top of each page are marked （続き） exactly when their group began on
/// an earlier page.
#[test]
fn plan_labels_under_the_header_are_continued_exactly_when_they_continue() {
    let dir = TempDir::new("plan_labels_under_the_header_are_continued_exactly_when_they_continue");
    let groups = groups(&plan_data_text());
    assert!(groups.iter().all(|g| g.first_item.is_some()), "first items not read: {groups:?}");
    let mut continued = 0;
    for year in YEARS {
        let pages = stripped_pages(&render_plan(&dir, &format!("{year}.pdf"), Some(year)));
        check_labels_under_header(&pages, &groups, &format!("--year {year}"));
        continued += pages.iter().map(|t| count(t, CONTINUED)).sum::<usize>();
    }
    assert!(continued > 0, "no （続き） in any year's report");
}

/// The check above is not vacuous: a dropped or a spurious （続き） fails it.
#[test]
fn label_check_catches_wrong_markers() {
    let dir = TempDir::new("label_check_catches_wrong_markers");
    let groups = groups(&plan_data_text());
    let pages = stripped_pages(&render_plan(&dir, "P.pdf", None));
    check_labels_under_header(&pages, &groups, "as rendered");
    let fails = |pages: Vec<String>| {
        std::panic::catch_unwind(|| check_labels_under_header(&pages, &groups, "altered")).is_err()
    };

    let p = pages.iter().position(|t| t.contains(CONTINUED)).expect("a page with （続き）");
    let mut dropped = pages.clone();
    dropped[p] = dropped[p].replacen(CONTINUED, "", 1);
    assert!(fails(dropped), "a dropped （続き） on page {} went unnoticed", p + 1);

    let first = &groups[0].name;
    let mut added = pages.clone();
    added[0] = added[0].replacen(first.as_str(), &format!("{first}{CONTINUED}"), 1);
    assert!(fails(added), "a spurious {first}（続き） on page 1 went unnoticed");
}

const SMALL_LAYOUT: &str = r#"title: "{title}"
page:
  size: A5
  orientation: portrait
  margin: [10, 10, 12, 10]
font: mincho
size: 9
period: { from: period_from, to: period_to }
defaults:
  label: { align: center, shade: 0.88 }
  year_labels: { shade: 0.88 }
footer:
  text: "{page} / {pages}"
  size: 8
  align: center
body:
  - text: "{title}（{period}）"
    size: 11
    align: center
    space_after: 2
  - table:
      columns: [22, 22, 40, 14, 14, 14]
      header:
        - cells:
            - { label: 中項目 }
            - { label: 小項目 }
            - { label: 具体的な取組 }
            - { year_labels: short, span: 3 }
      rows:
        - for_each: chu
          cells:
            - { text: name, valign: middle, repeat: true, continued: （続き） }
            - span: 5
              rows:
                - for_each: sho
                  cells:
                    - { text: name, valign: middle, repeat: true, continued: （続き） }
                    - span: 4
                      rows:
                        - for_each: items
                          cells:
                            - { text: naiyo }
                            - { series: jokyo, span: 3, by_year: true }
"#;

/// `count` items named `{prefix}{n}の内容…`, as YAML list lines.
fn small_items(prefix: &str, count: usize) -> String {
    (1..=count)
        .map(|n| {
            format!(
                "            - {{ naiyo: {prefix}{n}の内容です。二行目に折り返すための文を続けます。, \
                 jokyo: [実施, 継続, 完了] }}\n"
            )
        })
        .collect()
}

/// A small plan whose 中項目 長大な群 (小項目 前半小群 and 後半小群, 30
/// items) cannot fit on one A5 page.
fn small_data() -> String {
    format!(
        "layout: small-plan\nfields:\n  title: 試験計画\n  period_from: 令和元年度\n  period_to: 令和3年度\n  chu:\n\
         \x20   - name: 冒頭群\n      sho:\n        - name: 冒頭小群\n          items:\n{}\
         \x20   - name: 長大な群\n      sho:\n        - name: 前半小群\n          items:\n{}\
         \x20       - name: 後半小群\n          items:\n{}\
         \x20   - name: 末尾群\n      sho:\n        - name: 末尾小群\n          items:\n{}",
        small_items("冒頭項目", 1),
        small_items("前半項目", 3),
        small_items("後半項目", 30),
        small_items("末尾項目", 1)
    )
}

#[test]
fn small_plan_group_label_repeats_after_a_page_break() {
    let dir = TempDir::new("small_plan_group_label_repeats_after_a_page_break");
    dir.write("layouts/small-plan.yaml", SMALL_LAYOUT);
    let data_text = small_data();
    let data = dir.write("data/small.yaml", &data_text);
    let pdf = dir.join("small.pdf");
    render_ok(&data, &pdf);

    let pages = stripped_pages(&pdf);
    let page_of = |item: &str| {
        pages.iter().position(|t| t.contains(item)).unwrap_or_else(|| panic!("{item} is on no page:\n{pages:#?}"))
    };
    let first = page_of("後半項目1の内容");
    let last = page_of("後半項目30の内容");
    assert!(last > first, "後半小群 should run over a page break (pages {} to {})", first + 1, last + 1);
    assert!(pages.len() >= 2);

    // The group starts plainly…
    let group_start = page_of("前半項目1の内容");
    assert!(pages[group_start].contains("長大な群前半小群"), "長大な群 beside 前半小群:\n{}", pages[group_start]);
    assert!(!pages[first].contains("長大な群（続き）"), "page {}: 長大な群 is not continued yet", first + 1);
    assert!(!pages[first].contains("後半小群（続き）"), "page {}: 後半小群 is not continued yet", first + 1);

    // …and on each later page its labels repeat, marked, under the header.
    let words = words_of(&pdf);
    for (p, text) in pages.iter().enumerate().take(last + 1).skip(first + 1) {
        assert_eq!(count(text, "長大な群"), 1, "page {}: 長大な群 once:\n{text}", p + 1);
        assert_eq!(count(text, "長大な群（続き）"), 1, "page {}: 長大な群（続き）:\n{text}", p + 1);
        assert_eq!(count(text, "後半小群（続き）"), 1, "page {}: 後半小群（続き）:\n{text}", p + 1);
        for label in ["中項目", "小項目", "具体的な取組", "R1R2R3"] {
            assert!(text.contains(label), "page {}: the header's {label} is missing:\n{text}", p + 1);
        }
        let on_page: Vec<&Word> = words.iter().filter(|w| w.page == p + 1).collect();
        let header = on_page.iter().find(|w| w.text == "中項目").expect("中項目 word");
        let label = on_page
            .iter()
            .find(|w| w.text.starts_with("長大な群"))
            .unwrap_or_else(|| panic!("page {}: no word starting with 長大な群", p + 1));
        assert!(
            header.y_max <= label.y_min,
            "page {}: the header ({:.1}–{:.1}) should be above 長大な群 ({:.1})",
            p + 1,
            header.y_min,
            header.y_max,
            label.y_min
        );
    }

    // Groups that did not run over a break are never marked.
    let all = pages.concat();
    for name in ["冒頭群", "冒頭小群", "前半小群", "末尾群", "末尾小群"] {
        assert!(!all.contains(&format!("{name}（続き）")), "{name}（続き） printed, but {name} did not break");
    }
    check_continued_labels(&pages, &groups(&data_text));

    // Page numbers on the small plan too.
    let m = pages.len();
    for (p, text) in pages.iter().enumerate() {
        assert!(text.contains(&format!("{}/{m}", p + 1)), "page {}: no page number:\n{text}", p + 1);
    }
}

// ------------------------------------------------------------ 6. spanning cells

/// 職員研修 3: `jokyo` is one string, one cell across all five years.
#[test]
fn single_string_status_spans_five_year_columns() {
    let dir = TempDir::new("single_string_status_spans_five_year_columns");
    let pdf = render_plan(&dir, "P.pdf", None);
    let data = plan_data_text();
    assert!(
        data.contains("jokyo: 特定行政庁として業務を行うために"),
        "{PLAN_DATA}: 職員研修 3's status is expected to be a single string"
    );
    let (page, x_min, x_max, cols) = status_line_extent(&pdf, "特定行政庁として");
    let at = format!("page {page}: line {x_min:.1}–{x_max:.1}, columns {cols:?}");
    // Starts at the left of the H30 column (left-aligned text, before the
    // centred H30 label)…
    assert!(x_min >= cols.left(0) - 1.0 && x_min < cols.centres[0], "should start in the H30 column; {at}");
    // …and, a full justified line, runs on through the R4 column.
    assert!(x_max > cols.centres[2], "should reach beyond the R2 column's label; {at}");
    assert!(x_max > cols.centres[4], "should run into the R4 column; {at}");
    assert!(x_max <= cols.right(4) + 1.0, "should stay inside the status columns; {at}");
}

/// 職員研修 17: H30, R1 and then `{ text, span: 3 }` across R2–R4.
#[test]
fn span3_status_starts_at_r2_and_runs_past_r3() {
    let dir = TempDir::new("span3_status_starts_at_r2_and_runs_past_r3");
    let pdf = render_plan(&dir, "P.pdf", None);
    let data = plan_data_text();
    assert!(
        data.contains("- span: 3\n                      text: リオンドール・コパン研修は"),
        "{PLAN_DATA}: 職員研修 17 is expected to have a span-3 status"
    );
    let (page, x_min, x_max, cols) = status_line_extent(&pdf, "リオンドール・コパン研修は");
    let at = format!("page {page}: line {x_min:.1}–{x_max:.1}, columns {cols:?}");
    assert!(x_min >= cols.left(2) - 1.0 && x_min < cols.centres[2], "should start in the R2 column; {at}");
    assert!(x_max > cols.right(3), "should run beyond the R3 column; {at}");
    assert!(x_max <= cols.right(4) + 1.0, "should stay inside the status columns; {at}");
}

// ------------------------------------------------------------ 7. --year

#[test]
fn year_r2_reports_only_up_to_r2_without_evaluation() {
    let dir = TempDir::new("year_r2_reports_only_up_to_r2_without_evaluation");
    let r2 = render_plan(&dir, "R2.pdf", Some("R2"));
    let r4 = render_plan(&dir, "R4.pdf", None);
    let r2_text = stripped_pages(&r2).concat();
    let r4_text = stripped_pages(&r4).concat();

    assert!(r2_text.contains("報告年度：令和2年度"), "R2 report year:\n{r2_text}");
    assert!(r4_text.contains("報告年度：令和4年度"), "default report year is the last:\n{r4_text}");
    for later in ["※実施中", "※今後実施予定", "（～8月）"] {
        assert!(!r2_text.contains(later), "the R2 report shows {later}, a later year's status");
    }
    for shown in ["※実施中", "※今後実施予定", "R4（～8月）"] {
        assert!(r4_text.contains(shown), "the default (R4) report should show {shown}");
    }

    // The data's one-line yearly lists: H30–R2 values in, R3/R4 values out.
    let data = plan_data_text();
    assert!(
        data.contains("jokyo: [支援人数 9人, 支援人数 15人, 支援人数 8人, 支援人数 12人, 支援人数 1人※実施中]"),
        "{PLAN_DATA}: 職員研修 2's status list changed; this test reads 支援人数 12人 as R3-only"
    );
    assert!(r2_text.contains("支援人数4人") && r4_text.contains("支援人数4人"), "R2's 支援人数 4人");
    assert!(!r2_text.contains("支援人数12人"), "R3's 支援人数 12人 in the R2 report");
    assert!(r4_text.contains("支援人数12人"), "R3's 支援人数 12人 missing from the R4 report");
    let lists = yearly_status_lists(&data);
    assert!(lists.len() >= 3 && lists.iter().all(|l| l.len() == 5), "yearly lists: {lists:?}");
    let visible: Vec<&String> = lists.iter().flat_map(|l| &l[..3]).collect();
    for list in &lists {
        for (year, value) in list.iter().enumerate() {
            assert!(r4_text.contains(value.as_str()), "R4 report lacks {} value {value}", YEARS[year]);
            if year <= 2 {
                assert!(r2_text.contains(value.as_str()), "R2 report lacks {} value {value}", YEARS[year]);
            } else {
                // As often as it is part of a value that is shown.
                let expected = visible.iter().filter(|v| v.contains(value.as_str())).count();
                assert_eq!(
                    count(&r2_text, value),
                    expected,
                    "R2 report: {} value {value} should appear only within shown values",
                    YEARS[year]
                );
            }
        }
    }

    // 評価: A/B/C words in the 評価 column of the R4 report, one per item;
    // none anywhere in the R2 report.
    let items = data.lines().filter(|l| l.trim_start().starts_with("hyoka:")).count();
    let (r4_eval, r4_elsewhere) = evaluation_words(&r4);
    assert!(r4_elsewhere.is_empty(), "A/B/C outside the 評価 column in the R4 report: {r4_elsewhere:?}");
    assert!(r4_eval > 50, "the R4 report shows only {r4_eval} 評価 values");
    assert_eq!(r4_eval, items, "one 評価 value per item in the R4 report");
    let (r2_eval, r2_elsewhere) = evaluation_words(&r2);
    assert_eq!((r2_eval, r2_elsewhere.len()), (0, 0), "評価 values in the R2 report: {r2_elsewhere:?}");
}

/// A value spanning years shows once all its years are reported.
#[test]
fn spanning_status_shows_once_all_its_years_are_reported() {
    let dir = TempDir::new("spanning_status_shows_once_all_its_years_are_reported");
    let r3 = stripped_pages(&render_plan(&dir, "R3.pdf", Some("R3"))).concat();
    let r4 = stripped_pages(&render_plan(&dir, "R4.pdf", Some("R4"))).concat();
    for narrative in ["特定行政庁として業務を行うために", "リオンドール・コパン研修は、令和2年度以降"]
    {
        assert!(r4.contains(narrative), "R4 report lacks {narrative}…");
        assert!(!r3.contains(narrative), "R3 report shows {narrative}…, which spans into R4");
    }
    // 職員研修 17's own H30/R1 values are shown in R3.
    assert!(r3.contains("・リオンドール研修29人") && r3.contains("・コパン研修28人"), "H30/R1 values of 17:\n{r3}");
    assert!(r3.contains("支援人数12人") && r3.contains("報告年度：令和3年度"));
}

#[test]
fn year_spellings_give_identical_output() {
    let dir = TempDir::new("year_spellings_give_identical_output");
    let r2 = read_bytes(&render_plan(&dir, "R2.pdf", Some("R2")));
    for spelling in ["2020", "令和2"] {
        let other = read_bytes(&render_plan(&dir, &format!("{spelling}.pdf"), Some(spelling)));
        assert!(
            other == r2,
            "--year {spelling} differs from --year R2 (first difference at byte {:?})",
            first_difference(&other, &r2)
        );
    }
    let default = read_bytes(&render_plan(&dir, "default.pdf", None));
    let r4 = read_bytes(&render_plan(&dir, "R4.pdf", Some("R4")));
    assert!(default == r4, "no --year differs from --year R4 (at byte {:?})", first_difference(&default, &r4));
    assert!(default != r2, "the R2 and R4 reports are identical");
}

#[test]
fn year_outside_the_period_fails() {
    let dir = TempDir::new("year_outside_the_period_fails");
    for year in ["R7", "2030"] {
        let out = dir.join(&format!("{year}.pdf"));
        let run = yoshiki([
            OsStr::new("render"),
            OsStr::new(PLAN_DATA),
            "--year".as_ref(),
            year.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(run.code, Some(2), "--year {year}: expected exit code 2:\n{}", run.describe());
        assert!(
            run.stderr.contains("period"),
            "--year {year}: the error should mention the period:\n{}",
            run.describe()
        );
        assert!(run.stderr.contains(year), "--year {year}: the error should name the year:\n{}", run.describe());
        assert!(!out.exists(), "--year {year}: {} was written", out.display());
    }
    assert!(dir.file_names().is_empty(), "files were written: {:?}", dir.file_names());
}

#[test]
fn year_on_a_form_that_is_not_a_plan_fails() {
    let dir = TempDir::new("year_on_a_form_that_is_not_a_plan_fails");
    let out = dir.join("sk.pdf");
    let run = yoshiki([
        OsStr::new("render"),
        OsStr::new(SEED_DATA),
        "--year".as_ref(),
        "R2".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, Some(2), "expected exit code 2:\n{}", run.describe());
    assert!(run.stderr.contains("plan"), "the error should say the form is not a plan:\n{}", run.describe());
    assert!(!out.exists(), "{} was written", out.display());
}

// ------------------------------------------------------------ 8. batch

/// A copy of the project's `data` and `layouts` folders in a temp dir, so
/// that files can be added; the data files find `layouts/NAME.yaml` by
/// searching upwards.
fn project_copy(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    copy_dir_all(&manifest_dir().join("data"), &dir.join("data"));
    copy_dir_all(&manifest_dir().join("layouts"), &dir.join("layouts"));
    dir
}

/// The PDFs a batch of the copied `data` folder must write: one per sheet,
/// one per year of the plan.
fn expected_batch_outputs(dir: &TempDir) -> Vec<String> {
    let mut expected = Vec::new();
    for file in files_under(&dir.join("data")) {
        let Some(stem) = file.strip_suffix(".yaml") else { continue };
        if file == "jinzai-plan/h30-r04.yaml" {
            expected.extend(YEARS.iter().map(|y| format!("{stem}-{y}.pdf")));
        } else if !read_to_string(&dir.join("data").join(&file)).contains("layout: jinzai-plan") {
            expected.push(format!("{stem}.pdf"));
        }
    }
    expected
}

/// `batch: N documents, P pages …` → (N, P).
fn batch_summary(run: &Run) -> (usize, usize) {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("batch:"))
        .unwrap_or_else(|| panic!("no `batch:` summary line:\n{}", run.describe()));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(2)
        .map(|s| s.parse().expect("number"))
        .collect();
    assert!(line.contains("documents") && line.contains("pages"), "summary {line:?}");
    (numbers[0], numbers[1])
}

fn assert_no_escape_codes(run: &Run) {
    assert!(!run.stderr.contains("\x1b["), "terminal escape codes in stderr (not a terminal):\n{:?}", run.stderr);
}

/// Every PDF under `out`, with its page count (pdfinfo must read it).
fn pdfs_with_pages(out: &Path) -> Vec<(String, usize)> {
    files_under(out)
        .into_iter()
        .map(|f| {
            assert!(f.ends_with(".pdf"), "unexpected file {f} in {}", out.display());
            let pages = page_count(&pdfinfo(&out.join(&f), &[]));
            (f, pages)
        })
        .collect()
}

#[test]
fn batch_renders_every_sheet_and_every_plan_year() {
    let dir = project_copy("batch_renders_every_sheet_and_every_plan_year");
    let run = yoshiki_in(&dir.path, ["batch", "data", "-o", "OUT"]);
    assert_eq!(run.code, Some(0), "batch failed:\n{}", run.describe());
    assert_no_escape_codes(&run);

    let written = pdfs_with_pages(&dir.join("OUT"));
    let names: Vec<&str> = written.iter().map(|(f, _)| f.as_str()).collect();
    assert!(written.len() >= 6, "only {names:?} written");
    for e in expected_batch_outputs(&dir) {
        assert!(names.contains(&e.as_str()), "{e} not written; got {names:?}");
    }
    for y in YEARS {
        assert!(names.contains(&format!("jinzai-plan/h30-r04-{y}.pdf").as_str()), "plan year {y}: {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("shinko-kanri/")), "no shinko-kanri sheet: {names:?}");

    let (documents, pages) = batch_summary(&run);
    assert_eq!(documents, written.len(), "summary document count:\n{}", run.stderr);
    assert_eq!(pages, written.iter().map(|(_, p)| p).sum::<usize>(), "summary page count:\n{}", run.stderr);
}

/// A plan year from the batch is the same document as `render --year`.
#[test]
fn batch_plan_years_equal_render_year() {
    let dir = project_copy("batch_plan_years_equal_render_year");
    let run = yoshiki_in(&dir.path, ["batch", "data/jinzai-plan", "-o", "OUT"]);
    assert_eq!(run.code, Some(0), "batch failed:\n{}", run.describe());
    assert_eq!(
        files_under(&dir.join("OUT")),
        YEARS.iter().map(|y| format!("h30-r04-{y}.pdf")).collect::<Vec<_>>(),
        "one PDF per plan year"
    );
    for y in YEARS {
        let batch = read_bytes(&dir.join("OUT").join(format!("h30-r04-{y}.pdf")));
        let single = read_bytes(&render_plan(&dir, &format!("single-{y}.pdf"), Some(y)));
        assert!(
            batch == single,
            "batch h30-r04-{y}.pdf differs from render --year {y} (at byte {:?})",
            first_difference(&batch, &single)
        );
    }
}

/// The stderr block that `failed: PATH` opens, up to the next `failed:`
/// or the summary.
fn failure_block<'a>(stderr: &'a str, path: &str) -> &'a str {
    let head = format!("failed: {path}");
    let start = stderr.find(&head).unwrap_or_else(|| panic!("no `{head}` in stderr:\n{stderr}"));
    let rest = &stderr[start + head.len()..];
    let end = [rest.find("failed: "), rest.find("\nbatch:")].into_iter().flatten().min().unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn batch_reports_broken_files_and_renders_the_rest() {
    let dir = project_copy("batch_reports_broken_files_and_renders_the_rest");
    let expected = expected_batch_outputs(&dir);
    // Bad YAML: an unclosed flow sequence on line 3.
    dir.write("data/shinko-kanri/broken.yaml", "layout: shinko-kanri\nfields:\n  nendo: [令和7\n  bango: 6\n");
    // A field the layout does not have, on line 4.
    dir.write("data/shinko-kanri/typo.yaml", "layout: shinko-kanri\nfields:\n  nendo: 令和7\n  kanrisya: 総務部長\n");

    let run = yoshiki_in(&dir.path, ["batch", "data", "-o", "OUT"]);
    assert_eq!(run.code, Some(2), "a batch with broken files should exit 2:\n{}", run.describe());
    assert_no_escape_codes(&run);

    let broken = failure_block(&run.stderr, "data/shinko-kanri/broken.yaml");
    assert!(broken.contains("broken.yaml:3:"), "the YAML error should point at line 3:\n{}", run.stderr);
    assert!(broken.contains("error:"), "no reason given for broken.yaml:\n{}", run.stderr);
    let typo = failure_block(&run.stderr, "data/shinko-kanri/typo.yaml");
    assert!(
        typo.contains("typo.yaml:4:") && typo.contains("`kanrisya`") && typo.contains("`kanrisha`"),
        "the unknown field should be named, located and a fix suggested:\n{}",
        run.stderr
    );
    let summary = run.stderr.lines().find(|l| l.starts_with("batch:")).expect("summary line");
    assert!(summary.contains("2 failed"), "the summary should count the failures: {summary:?}");

    let written = files_under(&dir.join("OUT"));
    for e in &expected {
        assert!(written.contains(e), "{e} not written despite the broken files; got {written:?}");
    }
    assert_eq!(written.len(), expected.len(), "only the good PDFs (and no temp files): {written:?}");
    for bad in ["shinko-kanri/broken.pdf", "shinko-kanri/typo.pdf"] {
        assert!(!written.iter().any(|w| w == bad), "{bad} was written");
    }
    for (f, _) in pdfs_with_pages(&dir.join("OUT")) {
        assert!(f.ends_with(".pdf"));
    }
}

#[test]
fn batch_refuses_colliding_outputs_before_writing() {
    let dir = project_copy("batch_refuses_colliding_outputs_before_writing");
    let sheet = read_to_string(&manifest_dir().join(SEED_DATA));
    dir.write("a/x.yaml", &sheet);
    dir.write("b/x.yaml", &sheet);
    let run = yoshiki_in(&dir.path, ["batch", "a/x.yaml", "b/x.yaml", "-o", "OUT"]);
    assert_eq!(run.code, Some(2), "colliding outputs should exit 2:\n{}", run.describe());
    assert_no_escape_codes(&run);
    for needle in ["a/x.yaml", "b/x.yaml", "both", "OUT/x.pdf"] {
        assert!(run.stderr.contains(needle), "the collision message should mention {needle:?}:\n{}", run.describe());
    }
    assert!(files_under(&dir.join("OUT")).is_empty(), "files written: {:?}", files_under(&dir.join("OUT")));

    // A sheet named like a plan year beside the plan: the same check, and
    // nothing of the rest of the batch is written either.
    dir.write("data/jinzai-plan/h30-r04-R2.yaml", &sheet);
    let run = yoshiki_in(&dir.path, ["batch", "data", "-o", "OUT"]);
    assert_eq!(run.code, Some(2), "a sheet colliding with a plan year should exit 2:\n{}", run.describe());
    assert!(run.stderr.contains("OUT/jinzai-plan/h30-r04-R2.pdf"), "{}", run.describe());
    assert!(files_under(&dir.join("OUT")).is_empty(), "files written: {:?}", files_under(&dir.join("OUT")));
}

/// A plan whose period runs backwards cannot be rendered (`render` fails
/// with exit 2); a batch must report it like any other failing file.
#[test]
fn batch_reports_a_plan_with_a_backwards_period() {
    let dir = TempDir::new("batch_reports_a_plan_with_a_backwards_period");
    dir.write("layouts/small-plan.yaml", SMALL_LAYOUT);
    let good = small_data();
    dir.write("data/good.yaml", &good);
    let backwards = good.replace("period_from: 令和元年度", "period_from: 令和5年度");
    assert_ne!(backwards, good);
    dir.write("data/backwards.yaml", &backwards);

    let run = yoshiki_in(&dir.path, ["render", "data/backwards.yaml", "-o", "backwards.pdf"]);
    assert_eq!(run.code, Some(2), "render of a backwards period should fail:\n{}", run.describe());

    let run = yoshiki_in(&dir.path, ["batch", "data", "-o", "OUT"]);
    assert_eq!(
        files_under(&dir.join("OUT")),
        ["good-R1.pdf", "good-R2.pdf", "good-R3.pdf"],
        "the good plan's years should be written:\n{}",
        run.describe()
    );
    assert!(
        run.stderr.contains("failed: data/backwards.yaml"),
        "the backwards plan should be reported:\n{}",
        run.describe()
    );
    assert_eq!(run.code, Some(2), "a batch with a failing file should exit 2:\n{}", run.describe());
}

// ------------------------------------------------------------ 9. determinism

#[test]
fn plan_renders_deterministically() {
    let dir = TempDir::new("plan_renders_deterministically");
    for year in [None, Some("R2")] {
        let a = read_bytes(&render_plan(&dir, "first.pdf", year));
        let b = read_bytes(&render_plan(&dir, "second.pdf", year));
        assert!(a == b, "two renders ({year:?}) differ at byte {:?}", first_difference(&a, &b));
    }
}
