//! The composition rules of docs/typesetting.md, one table per rule: an
//! input, a measure, and the lines and x positions it must give.
//!
//! Text is set in the bundled BIZ UD Mincho at 10 pt, so one em is 10 pt and
//! every position below is in em: kana, kanji and Japanese punctuation are
//! one em wide (the punctuation with its white inside the glyph), ASCII
//! half an em. The last tests go end to end, from a layout's
//! `composition:` key to the glyphs of the laid-out page.

mod common;

use common::{yoshiki_in, TempDir};
use yoshiki::draw::Item;
use yoshiki::font::{bundled, Face, FaceId};
use yoshiki::text::setter::{set_paragraphs, Paragraphs, SetLine, Style};
use yoshiki::text::{Composition, LineStartBracket};
use yoshiki::Form;

const SIZE: f32 = 10.0;

/// How a case is set.
#[derive(Clone, Copy)]
struct How {
    composition: Composition,
    justify: bool,
    /// Hang bullets (`・`) and item numbers.
    hang: bool,
}

const DEFAULT: How = How {
    composition: Composition { compress: true, line_start_bracket: LineStartBracket::Tentsuki },
    justify: false,
    hang: false,
};
const OFF: How =
    How { composition: Composition { compress: false, line_start_bracket: LineStartBracket::Tentsuki }, ..DEFAULT };
const NIBU: How =
    How { composition: Composition { compress: true, line_start_bracket: LineStartBracket::NibuSage }, ..DEFAULT };
const JUSTIFIED: How = How { justify: true, ..DEFAULT };
const HANGING: How = How { hang: true, ..DEFAULT };

/// One case: `text` set in `measure` em gives `lines`, each with the x of
/// every glyph in em (`None`: only the line's text is checked).
struct Case {
    text: &'static str,
    measure: f32,
    how: How,
    lines: &'static [(&'static str, Option<&'static [f32]>)],
}

fn set(text: &str, measure: f32, how: How) -> Vec<SetLine> {
    let faces: [(FaceId, &'static Face); 1] = [(FaceId(0), bundled("mincho").unwrap())];
    let style =
        Style { faces: &faces, size: SIZE, autospace: false, letter_spacing: 0.0, composition: how.composition };
    let bullets = if how.hang { vec!["・".to_string()] } else { Vec::new() };
    let opts = Paragraphs { bullets: &bullets, justify: how.justify };
    set_paragraphs(text, &style, measure * SIZE, &opts).expect("the bundled font has every glyph")
}

fn check(rule: &str, cases: &[Case]) {
    for case in cases {
        let got = set(case.text, case.measure, case.how);
        let texts: Vec<String> = got.iter().map(SetLine::text).collect();
        let want: Vec<&str> = case.lines.iter().map(|l| l.0).collect();
        assert_eq!(texts, want, "{rule}: {:?} in {} em", case.text, case.measure);
        for (line, (text, xs)) in got.iter().zip(case.lines) {
            let Some(xs) = xs else { continue };
            let got: Vec<f32> = line.glyphs.iter().map(|g| g.x / SIZE).collect();
            let close = got.len() == xs.len() && got.iter().zip(*xs).all(|(a, b)| (a - b).abs() < 0.001);
            assert!(close, "{rule}: {:?} in {} em, line {text:?}: x = {got:?}, want {xs:?}", case.text, case.measure);
        }
    }
}

#[test]
fn consecutive_punctuation_takes_its_jlreq_width() {
    check(
        "JLReq §3.1.4–3.1.6",
        &[
            // 」、「 two em, not three.
            Case {
                text: "と」、「設",
                measure: 20.0,
                how: DEFAULT,
                lines: &[("と」、「設", Some(&[0.0, 1.0, 1.5, 2.0, 3.0]))],
            },
            // 、「 one and a half.
            Case {
                text: "て、「組", measure: 20.0, how: DEFAULT, lines: &[("て、「組", Some(&[0.0, 1.0, 1.5, 2.5]))]
            },
            // ）・（ two em: a quarter either side of the dot.
            Case {
                text: "あ）・（い",
                measure: 20.0,
                how: DEFAULT,
                lines: &[("あ）・（い", Some(&[0.0, 1.0, 1.5, 2.0, 3.0]))],
            },
            // 。」 one and a half; 「「 solid.
            Case {
                text: "る。」と", measure: 20.0, how: DEFAULT, lines: &[("る。」と", Some(&[0.0, 1.0, 1.5, 2.5]))]
            },
            Case {
                text: "あ「「い", measure: 20.0, how: DEFAULT, lines: &[("あ「「い", Some(&[0.0, 1.0, 1.5, 2.5]))]
            },
            // Composition off: every character full width.
            Case {
                text: "と」、「設",
                measure: 20.0,
                how: OFF,
                lines: &[("と」、「設", Some(&[0.0, 1.0, 2.0, 3.0, 4.0]))],
            },
        ],
    );
}

#[test]
fn push_in_comes_before_push_out() {
    check(
        "JLReq §3.8, 追い込み",
        &[
            // The comma's half em keeps お on the line.
            Case {
                text: "あいう、えおかきく",
                measure: 5.5,
                how: DEFAULT,
                lines: &[("あいう、えお", Some(&[0.0, 1.0, 2.0, 3.0, 3.5, 4.5])), ("かきく", None)],
            },
            Case {
                text: "あいう、えおかきく",
                measure: 5.5,
                how: OFF,
                lines: &[("あいう、え", None), ("おかきく", None)],
            },
            // A line-end 。 loses its white rather than push す out.
            Case {
                text: "あいうえ。かき",
                measure: 4.5,
                how: DEFAULT,
                lines: &[("あいうえ。", Some(&[0.0, 1.0, 2.0, 3.0, 4.0])), ("かき", None)],
            },
            // Nothing to squeeze: push-out, as before.
            Case {
                text: "あいうえおかき", measure: 4.5, how: DEFAULT, lines: &[("あいうえ", None), ("おかき", None)]
            },
        ],
    );
}

#[test]
fn reductions_follow_jlreq_priority() {
    check(
        "JLReq §3.8.3",
        &[
            // Half an em to find: the middle dot's quarters go first; the
            // comma keeps its half.
            Case {
                text: "あ、い・うえお",
                measure: 6.5,
                how: DEFAULT,
                lines: &[("あ、い・うえお", Some(&[0.0, 1.0, 2.0, 2.75, 3.5, 4.5, 5.5]))],
            },
            // Three quarters: both quarters, then a quarter of the comma's half.
            Case {
                text: "あ、い・うえお",
                measure: 6.25,
                how: DEFAULT,
                lines: &[("あ、い・うえお", Some(&[0.0, 1.0, 1.75, 2.5, 3.25, 4.25, 5.25]))],
            },
            // The half after a mid-line 。 separates sentences: never squeezed.
            Case {
                text: "あ。いうえ", measure: 4.75, how: DEFAULT, lines: &[("あ。いう", None), ("え", None)]
            },
        ],
    );
}

#[test]
fn line_start_brackets_are_set_alike_on_every_line() {
    check(
        "天付き / 二分下げ",
        &[
            // The first line of a paragraph too.
            Case {
                text: "（注）あ",
                measure: 10.0,
                how: DEFAULT,
                lines: &[("（注）あ", Some(&[-0.5, 0.5, 1.5, 2.5]))],
            },
            Case {
                text: "【人材】",
                measure: 10.0,
                how: DEFAULT,
                lines: &[("【人材】", Some(&[-0.5, 0.5, 1.5, 2.5]))],
            },
            Case { text: "“あ”", measure: 10.0, how: DEFAULT, lines: &[("“あ”", Some(&[-0.5, 0.5, 1.5]))] },
            // A wrapped line.
            Case {
                text: "あいうえ「おか」",
                measure: 4.5,
                how: DEFAULT,
                lines: &[("あいうえ", None), ("「おか」", Some(&[-0.5, 0.5, 1.5, 2.5]))],
            },
            // 二分下げ keeps the white half, on every line.
            Case {
                text: "（注）あ", measure: 10.0, how: NIBU, lines: &[("（注）あ", Some(&[0.0, 1.0, 2.0, 3.0]))]
            },
            Case {
                text: "あいうえ「おか」",
                measure: 4.5,
                how: NIBU,
                lines: &[("あいうえ", None), ("「おか」", Some(&[0.0, 1.0, 2.0, 3.0]))],
            },
        ],
    );
}

#[test]
fn item_numbers_hang_like_bullets_and_align_from_1_to_99() {
    check(
        "hanging indents",
        &[
            Case {
                text: "・あいうえおかき",
                measure: 5.0,
                how: HANGING,
                lines: &[("・あいうえ", Some(&[0.0, 1.0, 2.0, 3.0, 4.0])), ("おかき", Some(&[1.0, 2.0, 3.0]))],
            },
            // One digit is set right-aligned in the width of two: the text
            // of item 1 starts where the text of item 10 does (1.5 em).
            Case {
                text: "1 あいうえおかきく",
                measure: 5.0,
                how: HANGING,
                lines: &[
                    ("1 あいう", Some(&[0.5, 1.0, 1.5, 2.5, 3.5])),
                    ("えおか", Some(&[1.5, 2.5, 3.5])),
                    ("きく", Some(&[1.5, 2.5])),
                ],
            },
            Case {
                text: "10 あいうえおか",
                measure: 5.0,
                how: HANGING,
                lines: &[("10 あいう", Some(&[0.0, 0.5, 1.0, 1.5, 2.5, 3.5])), ("えおか", Some(&[1.5, 2.5, 3.5]))],
            },
            Case {
                text: "(1)あいうえおか",
                measure: 5.0,
                how: HANGING,
                lines: &[("(1)あいう", Some(&[0.5, 1.0, 1.5, 2.0, 3.0, 4.0])), ("えおか", Some(&[2.0, 3.0, 4.0]))],
            },
            // （ア） starts 天付き; its text and the continuation align.
            Case {
                text: "（ア）あいうえお",
                measure: 6.0,
                how: HANGING,
                lines: &[("（ア）あいう", Some(&[-0.5, 0.5, 1.5, 2.5, 3.5, 4.5])), ("えお", Some(&[2.5, 3.5]))],
            },
            // A marker as wide as half the measure does not hang.
            Case {
                text: "（ア）あいうえお",
                measure: 5.0,
                how: HANGING,
                lines: &[("（ア）あい", None), ("うえお", Some(&[0.0, 1.0, 2.0]))],
            },
            // Without hanging (bullets off), nothing hangs.
            Case {
                text: "1 あいうえおかきく",
                measure: 5.0,
                how: DEFAULT,
                lines: &[("1 あいうえ", Some(&[0.0, 0.5, 1.0, 2.0, 3.0, 4.0])), ("おかきく", None)],
            },
        ],
    );
}

#[test]
fn narrow_cells_prefer_phrases_and_keep_short_groups_and_eras_whole() {
    check(
        "narrow cells",
        &[
            // A phrase boundary, when the line left justifies within 0.125 em.
            Case {
                text: "職員へのメンタルヘルス研修を実施",
                measure: 12.0,
                how: JUSTIFIED,
                lines: &[
                    ("職員へのメンタルヘルス", Some(&[0.0, 1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 11.0])),
                    ("研修を実施", None),
                ],
            },
            Case {
                text: "職員へのメンタルヘルス研修を実施",
                measure: 12.5,
                how: JUSTIFIED,
                lines: &[("職員へのメンタルヘルス研", None), ("修を実施", None)],
            },
            // （自学） stays whole; the second line is squeezed by its ）.
            Case {
                text: "自己啓発（自学）の推進",
                measure: 6.0,
                how: DEFAULT,
                lines: &[("自己啓発", None), ("（自学）の推進", Some(&[-0.5, 0.5, 1.5, 2.5, 3.0, 4.0, 5.0]))],
            },
            // 令和８年 moves as one unit, like a number and its counter.
            Case {
                text: "期間は令和８年３月まで",
                measure: 4.5,
                how: DEFAULT,
                lines: &[("期間は", None), ("令和８年", None), ("３月まで", None)],
            },
        ],
    );
}

#[test]
fn a_last_line_keeps_two_characters_when_the_line_above_can_spare_one() {
    let text = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむ";
    let got = set(text, 16.5, JUSTIFIED);
    let counts: Vec<usize> = got.iter().map(|l| l.glyphs.len()).collect();
    assert_eq!(counts, [16, 15, 2], "{:?}", got.iter().map(SetLine::text).collect::<Vec<_>>());
    // The line that gave one up is justified: 1.5 em over 14 gaps.
    let xs: Vec<f32> = got[1].glyphs.iter().map(|g| g.x / SIZE).collect();
    assert!((xs[14] - 15.5).abs() < 0.001 && (xs[1] - (1.0 + 1.5 / 14.0)).abs() < 0.001, "{xs:?}");
}

// ------------------------------------------------------------ end to end

/// A project with one layout (a single wide text cell, `composition` as
/// given) and one data file holding `text`.
fn project(name: &str, composition: &str, text: &str) -> TempDir {
    let dir = TempDir::new(name);
    let layout = format!(
        "font: mincho\nsize: 10\n{composition}\nbody:\n  - table:\n      rows:\n        - cells: [{{ text: t }}]\n"
    );
    dir.write("layouts/t.yaml", &layout);
    dir.write("data/t.yaml", &format!("layout: t\nfields:\n  t: \"{text}\"\n"));
    dir
}

/// The x of each glyph of `text` on the laid-out page, in em.
fn glyph_xs(dir: &TempDir, text: &str) -> Vec<f32> {
    let form = Form::from_data(&dir.join("data/t.yaml")).expect("the project is valid");
    let doc = form.lay_out(&mut Vec::new()).expect("it lays out");
    let glyphs: Vec<(char, f32)> = doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(run) => Some(run.glyphs.iter().map(|g| (g.ch, g.x / run.size))),
            _ => None,
        })
        .flatten()
        .collect();
    let want: Vec<char> = text.chars().collect();
    let at = glyphs
        .windows(want.len())
        .position(|w| w.iter().map(|g| g.0).eq(want.iter().copied()))
        .unwrap_or_else(|| panic!("{text} is not on the page"));
    glyphs[at..at + want.len()].iter().map(|g| g.1 - glyphs[at].1).collect()
}

#[test]
fn a_layout_turns_compression_off_with_its_composition_key() {
    let text = "すること」、「設定した";
    let on = project("composition_on", "", text);
    let off = project("composition_off", "composition: { compress: false }", text);
    let xs = glyph_xs(&on, text);
    assert!((xs[7] - xs[4] - 2.0).abs() < 0.01, "」、「 takes two em by default: {xs:?}");
    let xs = glyph_xs(&off, text);
    assert!((xs[7] - xs[4] - 3.0).abs() < 0.01, "three em with compress: false: {xs:?}");
}

#[test]
fn a_misspelt_composition_value_is_a_located_error() {
    let dir = project("composition_typo", "composition: { line_start_bracket: nibu }", "あ");
    let run = yoshiki_in(&dir.path, ["render", "data/t.yaml", "-o", "out.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("layouts/t.yaml:3:"), "{}", run.describe());
    assert!(run.stderr.contains("tentsuki") && run.stderr.contains("nibu_sage"), "{}", run.describe());
    assert!(!dir.join("out.pdf").exists());
}
