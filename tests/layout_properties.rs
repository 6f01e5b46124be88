//! Property: any layout that passes validation lays out without a panic,
//! and the PDF it writes is one poppler reads.
//!
//! Small random layouts (a page, a few text blocks, tables and groups,
//! rows and cells with random geometry) are written as YAML, so they go
//! through parsing and validation as a user's would. Most values are
//! ordinary; some are the ones that used to break things (`.nan`, `±.inf`,
//! negative, zero, huge). Validation may refuse a layout, and layout may
//! refuse one (a row taller than a page); neither may panic, and a
//! blank form that is written must satisfy `pdfinfo`.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use yoshiki::draw::{Document, Item};
use yoshiki::Form;

/// Every number drawn is finite (pdfinfo reads a PDF's structure, not its
/// drawing operators, so a NaN there would pass it).
fn all_finite(doc: &Document) -> bool {
    doc.pages.iter().all(|page| {
        page.items.iter().all(|item| {
            let numbers: Vec<f32> = match item {
                Item::Line { from, to, width } => vec![from.0, from.1, to.0, to.1, *width],
                Item::Fill { x, y, w, h, gray } => vec![*x, *y, *w, *h, *gray],
                Item::Ellipse { center, rx, ry, width } => vec![center.0, center.1, *rx, *ry, *width],
                Item::Text(run) => {
                    let glyphs = run.glyphs.iter().flat_map(|g| [g.x, g.advance]);
                    [run.size, run.baseline].into_iter().chain(glyphs).collect()
                }
            };
            numbers.iter().all(|n| n.is_finite())
        })
    })
}

/// The values that used to break things: NaN, infinities, negatives,
/// zero, huge.
const HOSTILE: [&str; 8] = ["0", "1e30", ".nan", ".inf", "-.inf", "-2", "0.001", "400"];

/// Mostly one of `ordinary`, now and then a hostile value.
fn value(ordinary: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        30 => prop::sample::select(ordinary).prop_map(String::from),
        1 => prop::sample::select(&HOSTILE[..]).prop_map(String::from),
    ]
}

/// Lengths in mm.
fn length() -> impl Strategy<Value = String> {
    value(&["1", "3", "8", "12", "25", "40", "60"])
}

/// Font sizes in pt.
fn size() -> impl Strategy<Value = String> {
    value(&["6", "8", "10.5", "14"])
}

/// A ratio from `ordinary` (a grey, a line pitch, a spacing).
fn ratio(ordinary: &'static [&'static str]) -> impl Strategy<Value = String> {
    value(ordinary)
}

/// `, key: value` or nothing.
fn opt(key: &'static str, value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::option::weighted(0.3, value).prop_map(move |v| v.map(|v| format!(", {key}: {v}")).unwrap_or_default())
}

/// One cell, as a flow mapping.
fn cell() -> impl Strategy<Value = String> {
    let content = prop::sample::select(vec![
        "label: 件名",
        "label: \"内容\\n詳細\"",
        "label: 予算額（千円）",
        "text: kenmei",
        "text: \"【{heading}】\"",
        "amount: gaku",
        "number: bango",
        "date: hizuke",
        "fiscal_year: nendo",
        "choice: jokyo, options: [未着手, 対応中, 完了]",
        "label: a, align: stack",
        "label: 氏名, align: distribute",
    ]);
    (
        content,
        opt("width", length()),
        opt("padding", length()),
        opt("min_height", length()),
        opt("shade", ratio(&["0.8", "0.9", "1"])),
        opt("size", size()),
        opt("min_size", size()),
        opt("line_height", ratio(&["1.2", "1.5", "2"])),
        opt("blank_lines", prop::sample::select(vec!["0", "2", "40"]).prop_map(String::from)),
    )
        .prop_map(|(c, w, p, m, s, z, mz, lh, bl)| format!("{{ {c}{w}{p}{m}{s}{z}{mz}{lh}{bl} }}"))
}

/// One row: its cells (sometimes none), heights, maybe a list.
fn row(indent: usize) -> impl Strategy<Value = String> {
    (
        prop_oneof![20 => prop::collection::vec(cell(), 1..4), 1 => Just(Vec::new())],
        opt("min_height", length()),
        opt("height", length()),
        prop::sample::select(vec!["", ", split: false", ", for_each: items"]),
    )
        .prop_map(move |(cells, min, height, extra)| {
            let pad = " ".repeat(indent);
            format!("{pad}- {{ cells: [{}]{min}{height}{extra} }}\n", cells.join(", "))
        })
}

/// A table block.
fn table() -> impl Strategy<Value = String> {
    (
        opt("width", length()),
        prop::option::weighted(0.3, prop::collection::vec(length(), 1..4)),
        prop::collection::vec(row(8), 1..4),
    )
        .prop_map(|(width, columns, rows)| {
            let columns = columns.map(|c| format!("      columns: [{}]\n", c.join(", "))).unwrap_or_default();
            let width = width.trim_start_matches(", ").to_string();
            let width = if width.is_empty() { String::new() } else { format!("      {width}\n") };
            format!("  - table:\n{width}{columns}      rows:\n{}", rows.concat())
        })
}

/// A text block.
fn text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "連絡票",
            "{title}について",
            "第１条　この要綱は、人材育成に関し必要な事項を定める。",
        ]),
        opt("size", size()),
        opt("space_before", length()),
        opt("space_after", length()),
        opt("letter_spacing", ratio(&["0", "0.1", "0.5"])),
    )
        .prop_map(|(t, s, b, a, l)| format!("  - {{ text: \"{t}\"{s}{b}{a}{l} }}\n"))
}

/// A whole layout.
fn layout() -> impl Strategy<Value = String> {
    let page = (
        prop_oneof![10 => prop::sample::select(vec!["A4", "A5", "[100, 60]"]), 1 => prop::sample::select(vec!["[0, 0]", "[210, .nan]"])],
        prop::sample::select(vec!["portrait", "landscape"]),
        prop_oneof![4 => Just("15".to_string()), 1 => length(), 1 => (length(), length()).prop_map(|(a, b)| format!("[{a}, {b}]"))],
    );
    let block = prop_oneof![
        text(),
        table(),
        table().prop_map(|t| format!(
            "  - for_each: groups\n    blocks:\n  {}",
            t.replace("\n  ", "\n    ").trim_end().to_string() + "\n"
        ))
    ];
    (page, opt("size", size()), prop::collection::vec(block, 1..4)).prop_map(|((paper, turn, margin), size, blocks)| {
        let size = size.trim_start_matches(", ").to_string();
        format!("page: {{ size: {paper}, orientation: {turn}, margin: {margin} }}\n{size}\nbody:\n{}", blocks.concat())
    })
}

#[test]
fn valid_layouts_lay_out_and_write_pdfs_poppler_reads() {
    let dir = TempDir::new("layout_properties");
    // PROPTEST_CASES=5000 for a longer hunt; 64 keeps the suite fast.
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let (checked, written) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&layout(), |yaml| {
            let path = dir.write("layout.yaml", &yaml);
            let Ok(form) = Form::blank(&path) else { return Ok(()) };
            checked.set(checked.get() + 1);
            let Ok(doc) = form.lay_out(&mut Vec::new()) else { return Ok(()) };
            prop_assert!(all_finite(&doc), "a number drawn is not finite, for\n{yaml}");
            let rendered = form.render().expect("a form that lays out renders");
            written.set(written.get() + 1);
            let pdf = dir.write("out.pdf", "");
            std::fs::write(&pdf, &rendered.pdf).expect("write the PDF");
            let info = std::process::Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo runs");
            prop_assert!(
                info.status.success(),
                "pdfinfo refused the PDF of\n{yaml}\n{}",
                String::from_utf8_lossy(&info.stderr)
            );
            prop_assert_eq!(page_count(&String::from_utf8_lossy(&info.stdout)), rendered.pages);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let (checked, written) = (checked.get(), written.get());
    eprintln!("{checked} of {cases} layouts passed validation, {written} were laid out and written");
    assert!(written > 0, "no random layout was valid: the generator needs fixing");
}
