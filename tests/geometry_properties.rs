//! Property: the geometry check (`yoshiki::layout::check`) passes exactly
//! when nothing drawn lies outside its box — every glyph's ink inside its
//! frame's content box, every frame inside the area it must stay in.
//!
//! "Outside" is computed here on its own, from the drawn document: the ink
//! of each glyph from the font's outline curves through ab_glyph (the check
//! reads bounding boxes through ttf-parser), compared with the frames the
//! pages record. Two sources of documents:
//!
//! - random layouts and data texts, written as YAML and taken through
//!   validation and layout (`lay_out_unchecked`, so that a document the
//!   check refuses can still be looked at) — narrow cells, big sizes,
//!   small pages, long words, so that both outcomes occur;
//! - random documents built directly: frames mostly inside the area they
//!   must stay in (edges on a coarse grid, so that they often coincide),
//!   glyph runs set from points in or near a content box at sizes up to
//!   40 pt — what layout would never draw, to test the check's own
//!   arithmetic on every side.
//!
//! Both tests assert that each outcome occurred, so that the property
//! never passes vacuously. `PROPTEST_CASES` raises the case counts (200
//! forms, 500 documents by default: well under a second).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use yoshiki::draw::{Document, Frame, FrameKind, Item, Owner, Page, PlacedGlyph, Rect, TextRun};
use yoshiki::eval::Report;
use yoshiki::font::{bundled, FontSet};
use yoshiki::layout::check::{self, TOLERANCE};
use yoshiki::layout::page::lay_out_unchecked;
use yoshiki::model::layout::Layout;
use yoshiki::path::YamlPath;
use yoshiki::validate;

#[path = "oracle/geometry.rs"]
mod oracle;

use oracle::worst_reach;

/// The check and the oracle agree: it passes when nothing reaches out by
/// more than the tolerance, and fails when something does (a hair's
/// breadth either side of the tolerance is float noise between the two
/// computations).
fn agree(doc: &Document, what: &str) -> Result<bool, TestCaseError> {
    let passed = check::document(doc).is_ok();
    let worst = worst_reach(doc);
    let slack = 0.01;
    if passed {
        prop_assert!(worst <= TOLERANCE + slack, "the check passed but something reaches out by {worst} pt:\n{what}");
    } else {
        prop_assert!(worst > TOLERANCE - slack, "the check failed but nothing reaches out ({worst} pt):\n{what}");
    }
    Ok(passed)
}

// ---------------------------------------------------------------- layouts

/// A text for a field: ordinary, long, unbreakable, or with brackets.
fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "研修日程の変更について",
        "４月１５日の新任研修は、会場の都合により変更します。\\n・時間　午前９時から正午まで",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "（注）「かっこ」、句読点。",
        "葛\u{E0100}城市",
        "",
        "ｱ",
        "１２３４５６７８９０１２３４５６７８９０",
    ])
    .prop_map(String::from)
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(options).prop_map(String::from)
}

/// `, key: value` or nothing.
fn opt(key: &'static str, value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::option::weighted(0.35, value).prop_map(move |v| v.map(|v| format!(", {key}: {v}")).unwrap_or_default())
}

fn cell() -> impl Strategy<Value = String> {
    let content = pick(&[
        "label: 件名",
        "label: \"内容\\n詳細\"",
        "label: 予算額（千円）",
        "text: kenmei",
        "text: naiyo",
        "amount: gaku, suffix: 千円",
        "date: hizuke",
    ]);
    (
        content,
        opt("width", pick(&["2", "4", "5", "6", "9", "20", "40"])),
        opt("padding", pick(&["0", "1", "[1, 2.5]", "3"])),
        opt("size", pick(&["6", "10.5", "14", "30"])),
        opt("min_size", pick(&["6", "8"])),
        opt("align", pick(&["left", "center", "right", "justify", "distribute"])),
        opt("valign", pick(&["top", "middle", "bottom"])),
        opt("line_height", pick(&["1", "1.25", "2"])),
        opt("max_lines", pick(&["1", "2"])),
    )
        .prop_map(|(c, w, p, s, m, a, v, l, x)| format!("{{ {c}{w}{p}{s}{m}{a}{v}{l}{x} }}"))
}

fn row() -> impl Strategy<Value = String> {
    (prop::collection::vec(cell(), 1..4), opt("height", pick(&["8", "20"])))
        .prop_map(|(cells, height)| format!("        - {{ cells: [{}]{height} }}\n", cells.join(", ")))
}

fn table() -> impl Strategy<Value = String> {
    (opt("width", pick(&["60", "100", "150"])), prop::collection::vec(row(), 1..4)).prop_map(|(width, rows)| {
        let width = width.trim_start_matches(", ");
        let width = if width.is_empty() { String::new() } else { format!("      {width}\n") };
        format!("  - table:\n{width}      rows:\n{}", rows.concat())
    })
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => table(),
        1 => (pick(&["連絡票", "{kenmei}", "第１条　この要綱は、必要な事項を定める。"]), opt("size", pick(&["10", "40", "150"])), opt("space_before", pick(&["5", "200"])))
            .prop_map(|(t, s, b)| format!("  - {{ text: \"{t}\"{s}{b} }}\n")),
    ]
}

/// A layout and a data file for it.
fn form() -> impl Strategy<Value = (String, String)> {
    let page = (pick(&["A4", "A5", "[100, 60]"]), pick(&["portrait", "landscape"]), pick(&["5", "15", "[10, 20]"]));
    let footer = prop::option::weighted(0.3, pick(&["8", "20", "60"]));
    let data = (text(), text(), pick(&["7188", "0", "123456789012"]), pick(&["2025-04-01", "~"]));
    (page, footer, prop::collection::vec(block(), 1..4), data).prop_map(
        |((paper, turn, margin), footer, blocks, (kenmei, naiyo, gaku, hizuke))| {
            let footer = footer.map(|s| format!("footer: {{ text: \"{{page}} / {{pages}}\", size: {s} }}\n"));
            let layout = format!(
                "page: {{ size: {paper}, orientation: {turn}, margin: {margin} }}\n{}body:\n{}",
                footer.unwrap_or_default(),
                blocks.concat()
            );
            // Only the fields the layout uses: data naming another is refused.
            let fields = [
                ("kenmei", format!("\"{kenmei}\"")),
                ("naiyo", format!("\"{naiyo}\"")),
                ("gaku", gaku),
                ("hizuke", hizuke),
            ];
            let mut data = String::from("layout: x\nfields:\n");
            for (name, value) in fields.iter().filter(|(name, _)| layout.contains(name)) {
                data.push_str(&format!("  {name}: {value}\n"));
            }
            (layout, data)
        },
    )
}

#[test]
fn the_check_passes_exactly_when_nothing_lies_outside_for_random_layouts() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let (passed, failed) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&form(), |(layout_yaml, data_yaml)| {
            let Ok(layout) = serde_yaml::from_str::<Layout>(&layout_yaml) else { return Ok(()) };
            let Ok(checked) = validate::layout(&layout, std::path::Path::new(".")) else { return Ok(()) };
            let data = yoshiki::model::written::data(&data_yaml).expect("the generated data parses");
            let Ok(values) = validate::data(&checked, data) else { return Ok(()) };
            let mut warnings = Vec::new();
            let Ok(doc) = lay_out_unchecked(&checked, &values, false, Report::default(), &mut warnings) else {
                return Ok(());
            };
            let ok = agree(&doc, &format!("{layout_yaml}\n{data_yaml}"))?;
            let count = if ok { &passed } else { &failed };
            count.set(count.get() + 1);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let (passed, failed) = (passed.get(), failed.get());
    eprintln!("of {cases} random forms, {passed} laid out within their boxes and {failed} did not");
    // Both outcomes must occur, or the property says nothing.
    assert!(passed > 0 && failed > 0, "the generator needs fixing: {passed} passed, {failed} failed");
}

// ---------------------------------------------------------------- documents

/// A rectangle with its corners on a coarse grid (so that edges often
/// coincide exactly, the tolerance's own case).
fn rect(max: f32) -> impl Strategy<Value = Rect> {
    (0..20u8, 0..20u8, 1..21u8, 1..21u8).prop_map(move |(x, y, w, h)| {
        let step = max / 40.0;
        Rect { x: x as f32 * step, y: y as f32 * step, w: w as f32 * step, h: h as f32 * step }
    })
}

/// `outer` moved in on each side by a step of a coarse grid: mostly
/// inside it, on its edge, or a little outside (a negative inset).
fn inset(outer: Rect) -> impl Strategy<Value = Rect> {
    let side = prop_oneof![1 => Just(-1i8), 40 => 0i8..8];
    prop::array::uniform4(side).prop_map(move |[l, t, r, b]| {
        let (step_x, step_y) = (outer.w / 16.0, outer.h / 16.0);
        let (l, t, r, b) = (l as f32 * step_x, t as f32 * step_y, r as f32 * step_x, b as f32 * step_y);
        Rect { x: outer.x + l, y: outer.y + t, w: outer.w - l - r, h: outer.h - t - b }
    })
}

/// A frame: where it must stay, its rectangle, and its content box, each
/// mostly inside the one before.
fn frame() -> impl Strategy<Value = Frame> {
    rect(300.0)
        .prop_flat_map(|within| (Just(within), inset(within)))
        .prop_flat_map(|(within, rect)| (Just(within), Just(rect), inset(rect)))
        .prop_map(|(within, rect, content)| {
            let owner = Owner { layout: YamlPath::root().key("body"), data: None };
            Frame { kind: FrameKind::Cell, rect, content, within, owner }
        })
}

/// Glyphs of some characters of the bundled fonts, set from a point in
/// (or near) the content box of one of `frames`: some fit, some reach out.
fn run(frames: Vec<Frame>) -> impl Strategy<Value = TextRun> {
    let chars = prop::collection::vec(prop::sample::select(vec!['様', 'g', '（', '。', ' ', 'W', '１', '|']), 1..5);
    let n = frames.len();
    (0..n, chars, prop::sample::select(vec![4.0f32, 6.0, 10.5, 40.0]), -0.05f32..0.6, 0.1f32..1.02, any::<bool>())
        .prop_map(move |(frame, chars, size, fx, fy, gothic)| {
            let content = frames[frame].content;
            let (x, baseline) = (content.x + fx * content.w, content.y + fy * content.h);
            let face = bundled(if gothic { "gothic" } else { "mincho" }).unwrap();
            let mut pen = x;
            let glyphs = chars
                .iter()
                .map(|&ch| {
                    let id = face.glyph(ch).expect("a bundled glyph");
                    let advance = face.advance(id) * size;
                    let glyph = PlacedGlyph { id, ch, selector: None, x: pen, advance };
                    pen += advance;
                    glyph
                })
                .collect();
            TextRun { face: yoshiki::font::FaceId(usize::from(gothic)), size, baseline, glyphs, frame }
        })
}

fn page() -> impl Strategy<Value = Page> {
    prop::collection::vec(frame(), 1..4)
        .prop_flat_map(|frames| (Just(frames.clone()), prop::collection::vec(run(frames), 0..4)))
        .prop_map(|(frames, runs)| Page {
            width: 300.0,
            height: 300.0,
            items: runs.into_iter().map(Item::Text).collect(),
            frames,
        })
}

#[test]
fn the_check_passes_exactly_when_nothing_lies_outside_for_random_documents() {
    let mut fonts = FontSet::default();
    fonts.id(bundled("mincho").unwrap());
    fonts.id(bundled("gothic").unwrap());
    let faces: Vec<_> = fonts.faces().to_vec();
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let (passed, failed) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&prop::collection::vec(page(), 1..3), |pages| {
            let mut fonts = FontSet::default();
            faces.iter().for_each(|f| {
                fonts.id(f);
            });
            let doc = Document { title: String::new(), fonts, pages };
            let ok = agree(&doc, &format!("{:#?}", doc.pages))?;
            let count = if ok { &passed } else { &failed };
            count.set(count.get() + 1);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let (passed, failed) = (passed.get(), failed.get());
    eprintln!("of {cases} random documents, {passed} passed the check and {failed} did not");
    assert!(passed > 0 && failed > 0, "the generator needs fixing: {passed} passed, {failed} failed");
}
