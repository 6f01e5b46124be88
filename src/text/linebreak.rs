//! Line breaking, one line at a time: push-in (追い込み) before push-out
//! (追い出し), and the emergency ladder.
//!
//! The breakers work on measured characters only: they know widths and
//! break levels, nothing about fonts or cells.
//!
//! - [`break_paragraph`] (composition on): a line takes every character
//!   that fits when its punctuation and spaces are squeezed as far as the
//!   spacing model ([`Spacing`]) allows, and ends at the last boundary the
//!   rules allow among them. Only what cannot be squeezed in is pushed
//!   out. Among the allowed breaks it then prefers, when the line left
//!   behind can still be justified without loose spacing, one that does
//!   not leave a single character alone on the paragraph's last line
//!   (1字残り), and, in a narrow cell, a phrase boundary (文節).
//! - [`break_lines`] (composition off): each line takes as many characters
//!   as fit at full width and pushes out the rest.
//!
//! Either way, if no boundary on a line is allowed, the ladder drops the
//! short-bracket preference, the number+unit glue, then all inseparability
//! glue, and finally breaks after the last character that fits — never
//! losing a character (JLReq §3.8 adjusts by push-in or push-out; the
//! ladder is ours).

use std::ops::Range;

use super::classes::Class;
use super::justify::{Spacing, EPSILON as FIT};
#[cfg(doc)]
use super::kinsoku::break_levels;
use super::kinsoku::{is_space, BreakLevel};

/// One line of a broken paragraph, as character indices.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSpan {
    /// First character of the line.
    pub start: usize,
    /// End of the visible characters (exclusive); spaces at a break are
    /// not part of the line.
    pub end: usize,
    /// Where the next line starts (after any spaces dropped at the break).
    pub next: usize,
    /// Width of `start..end` in the same unit as the advances.
    pub width: f32,
    /// The ladder rung that had to be used to end this line
    /// (`Free` for a normal break or the paragraph end).
    pub level: BreakLevel,
    /// True when the line ends the paragraph (it is not justified).
    pub last: bool,
}

/// A paragraph ready to be broken: its characters, their advances and the
/// extra space to add before each character (autospace), all in points.
pub struct Measured<'a> {
    pub chars: &'a [char],
    pub advances: &'a [f32],
    pub space_before: &'a [f32],
}

impl Measured<'_> {
    /// Width of the characters `start..end` set on one line.
    pub fn width(&self, start: usize, end: usize) -> f32 {
        let mut w = 0.0;
        for i in start..end {
            w += self.advances[i];
            if i > start {
                w += self.space_before[i];
            }
        }
        w
    }
}

/// Tolerance for comparing widths: rounding must not push a character out.
const EPSILON: f32 = 0.01;

/// A line this many em wide or narrower prefers phrase boundaries.
pub const NARROW: f32 = 12.0;

/// The loosest a line may be set — mean space added per boundary, in em —
/// when the breaker ends it earlier than it could (for a phrase boundary,
/// or to keep two characters on the last line). A little under the 0.15 em
/// at which justified Japanese starts to look letter-spaced.
pub const ACCEPTABLE: f32 = 0.125;

/// A paragraph ready for [`break_paragraph`].
pub struct Paragraph<'a> {
    pub chars: &'a [char],
    /// Its [`break_levels`].
    pub levels: &'a [BreakLevel],
    /// Its phrase boundaries ([`phrase_boundaries`](super::phrase::phrase_boundaries)).
    pub phrases: &'a [bool],
    pub spacing: &'a Spacing,
}

/// Break a paragraph into lines of `first_width` (first line) and
/// `rest_width` (the others) points, squeezing before pushing out.
pub fn break_paragraph(p: &Paragraph, first_width: f32, rest_width: f32) -> Vec<LineSpan> {
    let n = p.chars.len();
    let narrow = first_width <= NARROW * p.spacing.em() + FIT;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first_width } else { rest_width };
        let (brk, level) = next_break(p, start, avail, rest_width, narrow);
        let end = trim_spaces(p.chars, start, brk);
        let m = p.spacing.measure(start, end);
        let width = if m.natural <= avail { m.natural } else { m.min.max(avail) };
        let last = brk >= n;
        lines.push(LineSpan { start, end, next: brk, width, level, last });
        start = brk;
    }
    lines
}

/// Where the line starting at `start` ends, and the ladder rung used.
fn next_break(p: &Paragraph, start: usize, avail: f32, rest_width: f32, narrow: bool) -> (usize, BreakLevel) {
    let n = p.chars.len();
    // The boundaries up to the first character that does not fit even
    // squeezed (`start + 1..b`): the line may end at any of them.
    for b in start + 1..=n {
        let end = trim_spaces(p.chars, start, b);
        if end > start && p.spacing.measure(start, end).min > avail + FIT {
            // Character b - 1 overflows: the last rung breaks before it.
            let rungs = [BreakLevel::Free, BreakLevel::Bracketed, BreakLevel::UnitGlue, BreakLevel::Inseparable];
            for rung in rungs {
                if let Some(b) = prefer(p, start, avail, rest_width, narrow, start + 1..b, rung) {
                    return (b, rung);
                }
            }
            return ((b - 1).max(start + 1), BreakLevel::Kinsoku);
        }
    }
    (n, BreakLevel::Free)
}

/// Choose among the breaks in `fitting` that `rung` allows (`None` if
/// there are none): the furthest, which push-in reaches, unless an earlier
/// one avoids a one-character last line or, in a narrow cell, falls on a
/// phrase boundary — and leaves a line that justifies within
/// [`ACCEPTABLE`].
fn prefer(
    p: &Paragraph,
    start: usize,
    avail: f32,
    rest_width: f32,
    narrow: bool,
    fitting: Range<usize>,
    rung: BreakLevel,
) -> Option<usize> {
    let mut earlier = fitting.rev().filter(|&b| p.levels[b] <= rung);
    let furthest = earlier.next()?;
    let acceptable = |b: usize| {
        let end = trim_spaces(p.chars, start, b);
        p.spacing.looseness(start, end, avail).is_some_and(|l| l <= ACCEPTABLE)
    };
    if widow_after(p, furthest, rest_width) {
        if let Some(b) =
            earlier.clone().find(|&b| !widow_after(p, b, rest_width) && fits(p, b, rest_width) && acceptable(b))
        {
            return Some(b);
        }
    }
    if narrow && !p.phrases[furthest] {
        if let Some(b) = earlier.clone().find(|&b| p.phrases[b] && !widow_after(p, b, rest_width) && acceptable(b)) {
            return Some(b);
        }
    }
    Some(furthest)
}

/// Does the rest of the paragraph from `from` fit on one line?
fn fits(p: &Paragraph, from: usize, width: f32) -> bool {
    let end = trim_spaces(p.chars, from, p.chars.len());
    p.spacing.measure(from, end).min <= width + FIT
}

/// Would breaking at `b` leave a last line of one character (besides
/// closing punctuation), such as `る。` or `中`?
fn widow_after(p: &Paragraph, b: usize, rest_width: f32) -> bool {
    // The rest must fit on one line first: that keeps the count short.
    b < p.chars.len()
        && fits(p, b, rest_width)
        && p.chars[b..].iter().filter(|&&c| !is_space(c) && !is_closing_punctuation(c)).count() <= 1
}

/// Punctuation that closes a phrase: it does not make a last line less
/// lonely.
fn is_closing_punctuation(c: char) -> bool {
    matches!(Class::of(c), Class::Closing | Class::Comma | Class::FullStop | Class::MiddleDot)
        || matches!(c, ')' | ']' | '!' | '?' | '！' | '？' | ',' | '.')
}

/// Break `text` into lines no wider than `first_width` (first line) and
/// `rest_width` (the others, e.g. under a hanging bullet).
/// `levels` are the paragraph's [`break_levels`].
pub fn break_lines(text: &Measured, levels: &[BreakLevel], first_width: f32, rest_width: f32) -> Vec<LineSpan> {
    let n = text.chars.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first_width } else { rest_width };
        let overflow = first_overflow(text, start, avail);
        let Some(overflow) = overflow else {
            let end = trim_spaces(text.chars, start, n);
            let width = text.width(start, end);
            lines.push(LineSpan { start, end, next: n, width, level: BreakLevel::Free, last: true });
            break;
        };
        let (brk, level) = choose_break(levels, start, overflow);
        let end = trim_spaces(text.chars, start, brk);
        let width = text.width(start, end);
        lines.push(LineSpan { start, end, next: brk, width, level, last: false });
        start = brk;
    }
    lines
}

/// Index of the first character from `start` that does not fit in `avail`,
/// or `None` if the rest of the paragraph fits. Spaces never overflow: they
/// hang past the line end and are dropped at the break.
fn first_overflow(text: &Measured, start: usize, avail: f32) -> Option<usize> {
    let mut width = 0.0;
    for i in start..text.chars.len() {
        let add = text.advances[i] + if i > start { text.space_before[i] } else { 0.0 };
        if is_space(text.chars[i]) {
            width += add;
            continue;
        }
        if width + add > avail + EPSILON {
            return Some(i);
        }
        width += add;
    }
    None
}

/// The break position for a line starting at `start` whose character
/// `overflow` does not fit: the last boundary in `start+1..=overflow` whose
/// level the lowest possible rung of the ladder allows.
fn choose_break(levels: &[BreakLevel], start: usize, overflow: usize) -> (usize, BreakLevel) {
    let rungs = [BreakLevel::Free, BreakLevel::Bracketed, BreakLevel::UnitGlue, BreakLevel::Inseparable];
    for rung in rungs {
        if let Some(b) = (start + 1..=overflow).rev().find(|&b| levels[b] <= rung) {
            return (b, rung);
        }
    }
    // Last rung: break after the last character that fits, but always put
    // at least one character on the line.
    let b = overflow.max(start + 1);
    (b, BreakLevel::Kinsoku)
}

/// End of the visible part of `start..end`, without spaces at its end.
fn trim_spaces(chars: &[char], start: usize, mut end: usize) -> usize {
    while end > start && is_space(chars[end - 1]) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Break `s` with every character one unit wide (ASCII half a unit).
    fn lines(s: &str, width: f32) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let adv: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
        let zero = vec![0.0; chars.len()];
        let m = Measured { chars: &chars, advances: &adv, space_before: &zero };
        break_lines(&m, &crate::text::kinsoku::break_levels(&chars), width, width)
            .iter()
            .map(|l| chars[l.start..l.end].iter().collect())
            .collect()
    }

    /// Break `s` with the compressing breaker, 1 em = 1 unit.
    fn squeezed(s: &str, width: f32) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let adv: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
        let zero = vec![0.0; chars.len()];
        let levels = crate::text::kinsoku::break_levels(&chars);
        let m = crate::text::justify::Measured {
            chars: &chars,
            solid: &adv,
            advances: &adv,
            autospace: &zero,
            levels: &levels,
            em: 1.0,
            fixed: 0,
        };
        let spacing = Spacing::new(&m, true, crate::text::justify::LineStartBracket::Tentsuki);
        let phrases = crate::text::phrase::phrase_boundaries(&chars);
        let p = Paragraph { chars: &chars, levels: &levels, phrases: &phrases, spacing: &spacing };
        break_paragraph(&p, width, width).iter().map(|l| chars[l.start..l.end].iter().collect()).collect()
    }

    #[test]
    fn pushes_in_before_pushing_out() {
        // 、 gives up its half em: お stays on the line.
        assert_eq!(squeezed("あいう、えおかきく", 5.5), ["あいう、えお", "かきく"]);
        assert_eq!(lines("あいう、えおかきく", 5.5), ["あいう、え", "おかきく"]);
        // A line-end 。 loses its white rather than push す out.
        assert_eq!(squeezed("あいうえ。かき", 4.5), ["あいうえ。", "かき"]);
        // Nothing to squeeze: push-out as before.
        assert_eq!(squeezed("あいうえおかき", 4.5), ["あいうえ", "おかき"]);
    }

    #[test]
    fn keeps_a_short_bracketed_group_whole_while_another_break_fits() {
        assert_eq!(squeezed("自己啓発（自学）の推進", 6.0), ["自己啓発", "（自学）の推進"]);
        // Nothing else fits: the group splits (the ladder's first rung).
        assert_eq!(squeezed("（自学自習）", 3.0), ["（自学", "自習）"]);
    }

    #[test]
    fn an_era_moves_with_its_year() {
        assert_eq!(squeezed("期間は令和８年３月まで", 4.5), ["期間は", "令和８年", "３月まで"]);
    }

    #[test]
    fn avoids_a_one_character_last_line() {
        let s = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむ";
        assert_eq!(s.chars().count(), 33);
        let got = squeezed(s, 16.5);
        assert_eq!(got.iter().map(|l| l.chars().count()).collect::<Vec<_>>(), [16, 15, 2]);
    }

    #[test]
    fn narrow_cells_prefer_phrase_boundaries() {
        assert_eq!(squeezed("職員へのメンタルヘルス研修を実施", 12.0), ["職員へのメンタルヘルス", "研修を実施"]);
        // Wider than 12 em: the furthest break.
        assert_eq!(squeezed("職員へのメンタルヘルス研修を実施", 12.5), ["職員へのメンタルヘルス研", "修を実施"]);
    }

    #[test]
    fn fills_lines_greedily() {
        assert_eq!(lines("あいうえおかきくけこ", 4.0), ["あいうえ", "おかきく", "けこ"]);
    }

    #[test]
    fn pushes_out_before_a_line_start_prohibited_character() {
        // 。 would start line 2: push す out with it.
        assert_eq!(lines("あいうす。かき", 4.0), ["あいう", "す。かき"]);
        // ー and small kana likewise.
        assert_eq!(lines("あいうエーション", 4.0), ["あいう", "エーショ", "ン"]);
        assert_eq!(lines("あいうちょう", 4.0), ["あいう", "ちょう"]);
    }

    #[test]
    fn pushes_out_an_opening_bracket_at_the_line_end() {
        assert_eq!(lines("あいう「え」お", 4.0), ["あいう", "「え」お"]);
    }

    #[test]
    fn keeps_numbers_and_units_together() {
        assert_eq!(lines("総額は７，１８８千円", 7.0), ["総額は", "７，１８８千円"]);
        assert_eq!(lines("面談を９月～１０月に", 6.0), ["面談を９月～", "１０月に"]);
    }

    #[test]
    fn numbers_never_split_inside() {
        let got = lines("実施(９月～１０月)", 6.0);
        for l in &got {
            assert!(!l.ends_with('１'), "split inside １０: {got:?}");
            assert!(!l.starts_with('～') && !l.starts_with(')'), "{got:?}");
        }
    }

    #[test]
    fn ascii_words_move_whole() {
        assert_eq!(lines("またeラーニング", 3.0), ["またe", "ラーニ", "ング"]);
        assert_eq!(lines("ああe-Tax", 3.0), ["ああ", "e-Tax"]);
    }

    #[test]
    fn spaces_hang_and_are_dropped_at_the_break() {
        assert_eq!(lines("ab cd", 1.0), ["ab", "cd"]);
        assert_eq!(lines("あい　うえ", 2.0), ["あい", "うえ"]);
    }

    #[test]
    fn emergency_ladder_drops_unit_glue_first() {
        // "１２３千円" (3 + 2 units) in a 4-unit line: the unit glue goes.
        assert_eq!(lines("１２３千円", 4.0), ["１２３", "千円"]);
        // A digit run longer than the line: inseparability goes next.
        assert_eq!(lines("１２３４５６", 4.0), ["１２３４", "５６"]);
    }

    #[test]
    fn last_rung_still_loses_no_character() {
        // Nothing but prohibited boundaries: break after what fits.
        assert_eq!(lines("。。。。。。", 4.0), ["。。。。", "。。"]);
        // A line narrower than one character still gets one per line.
        assert_eq!(lines("あい", 0.5), ["あ", "い"]);
    }

    #[test]
    fn no_line_is_empty_and_nothing_is_lost() {
        let s = "職員一人一人の可能性を引き出し、組織力を高める取組(人材育成）及び、職員が心身";
        let got = lines(s, 7.0);
        assert_eq!(got.concat(), s);
        assert!(got.iter().all(|l| !l.is_empty()));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::text::kinsoku::{break_levels, is_line_end_prohibited, is_line_start_prohibited};

    /// Strings drawn from what forms contain: kanji, kana, small kana, ー,
    /// brackets, punctuation, full-width and ASCII digits, ASCII words,
    /// spaces and units.
    fn form_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "職", "員", "研", "修", "の", "を", "し", "た", "っ", "ょ", "ー", "ン", "ッ", "。", "、", "・", "「", "」",
            "（", "）", "【", "】", "(", ")", "～", "１", "０", "，", "7", "8", ",", "千円", "月", "人", "e-Tax",
            "OJT", " ", "　", "…", "△", "％", "々", "令和", "元年", "『", "』", "“", "”", "：",
        ]);
        prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
    }

    fn measure(chars: &[char]) -> (Vec<f32>, Vec<f32>) {
        let adv = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
        (adv, vec![0.0; chars.len()])
    }

    /// The spacing model for text measured by `measure` (1 em = 1).
    fn unit_spacing(chars: &[char], adv: &[f32], gaps: &[f32], levels: &[BreakLevel]) -> Spacing {
        let m = crate::text::justify::Measured {
            chars,
            solid: adv,
            advances: adv,
            autospace: gaps,
            levels,
            em: 1.0,
            fixed: 0,
        };
        Spacing::new(&m, true, crate::text::justify::LineStartBracket::Tentsuki)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The lines, joined, give back the input less the spaces dropped
        /// at breaks; no character is lost or repeated.
        #[test]
        fn lines_give_back_the_text(text in form_text(), width in 1u32..30) {
            let chars: Vec<char> = text.chars().collect();
            let (adv, gaps) = measure(&chars);
            let m = Measured { chars: &chars, advances: &adv, space_before: &gaps };
            let lines = break_lines(&m, &break_levels(&chars), width as f32, width as f32);
            let mut at = 0;
            for line in &lines {
                prop_assert_eq!(line.start, at);
                prop_assert!(line.end >= line.start && line.next >= line.end);
                prop_assert!(chars[line.end..line.next].iter().all(|c| is_space(*c)), "only spaces are dropped");
                at = line.next;
            }
            prop_assert_eq!(at, chars.len());
            let visible: Vec<char> = lines.iter().flat_map(|l| chars[l.start..l.end].iter().copied()).collect();
            let kept: usize = visible.len() + lines.iter().map(|l| l.next - l.end).sum::<usize>();
            prop_assert_eq!(kept, chars.len());
        }

        /// No line starts with a 行頭禁則 character or ends with a 行末禁則
        /// character unless the emergency rung had to break a rule, and no
        /// line is wider than the measure unless it holds one character.
        #[test]
        fn prohibitions_hold_unless_in_emergency(text in form_text(), width in 2u32..30) {
            let chars: Vec<char> = text.chars().collect();
            let (adv, gaps) = measure(&chars);
            let m = Measured { chars: &chars, advances: &adv, space_before: &gaps };
            let lines = break_lines(&m, &break_levels(&chars), width as f32, width as f32);
            for pair in lines.windows(2) {
                let (this, next) = (&pair[0], &pair[1]);
                if this.level == BreakLevel::Kinsoku || next.start == next.end {
                    continue;
                }
                prop_assert!(!is_line_start_prohibited(chars[next.start]), "line starts with {:?}", chars[next.start]);
                if this.end > this.start && this.next == this.end {
                    prop_assert!(!is_line_end_prohibited(chars[this.end - 1]), "line ends with {:?}", chars[this.end - 1]);
                }
            }
            for line in &lines {
                prop_assert!(line.width <= width as f32 + 0.01 || line.end - line.start <= 1,
                    "line {:?} is {} wide", &chars[line.start..line.end], line.width);
            }
        }

        /// The compressing breaker keeps the same guarantees: nothing lost
        /// or repeated, prohibitions hold unless the emergency rung was
        /// used, every line fits when squeezed, and the result is the same
        /// every time.
        #[test]
        fn compressed_breaking_keeps_every_guarantee(text in form_text(), width in 2u32..30, hang in 0u32..2) {
            let chars: Vec<char> = text.chars().collect();
            let (adv, gaps) = measure(&chars);
            let levels = break_levels(&chars);
            let spacing = unit_spacing(&chars, &adv, &gaps, &levels);
            let phrases = crate::text::phrase::phrase_boundaries(&chars);
            let p = Paragraph { chars: &chars, levels: &levels, phrases: &phrases, spacing: &spacing };
            let (first, rest) = (width as f32, (width - hang.min(width - 1)) as f32);
            let lines = break_paragraph(&p, first, rest);
            prop_assert_eq!(&lines, &break_paragraph(&p, first, rest), "deterministic");
            let mut at = 0;
            for (k, line) in lines.iter().enumerate() {
                prop_assert_eq!(line.start, at);
                prop_assert!(line.end >= line.start && line.next >= line.end);
                prop_assert!(chars[line.end..line.next].iter().all(|c| is_space(*c)), "only spaces are dropped");
                let avail = if k == 0 { first } else { rest };
                let min = spacing.measure(line.start, line.end).min;
                prop_assert!(min <= avail + 0.01 || line.end - line.start <= 1,
                    "line {:?} is {} wide squeezed", &chars[line.start..line.end], min);
                at = line.next;
            }
            prop_assert_eq!(at, chars.len());
            for pair in lines.windows(2) {
                let (this, next) = (&pair[0], &pair[1]);
                if this.level >= BreakLevel::Kinsoku || next.start == next.end {
                    continue;
                }
                prop_assert!(!is_line_start_prohibited(chars[next.start]), "line starts with {:?}", chars[next.start]);
                if this.end > this.start && this.next == this.end {
                    prop_assert!(!is_line_end_prohibited(chars[this.end - 1]), "line ends with {:?}", chars[this.end - 1]);
                }
            }
        }

        /// A placed line is as wide as its measure says, its characters
        /// never move backwards, and a line that fits squeezed is set
        /// within the measure.
        #[test]
        fn placed_lines_fit_and_run_forwards(text in form_text(), width in 2u32..30) {
            let chars: Vec<char> = text.chars().collect();
            let (adv, gaps) = measure(&chars);
            let levels = break_levels(&chars);
            let spacing = unit_spacing(&chars, &adv, &gaps, &levels);
            let phrases = crate::text::phrase::phrase_boundaries(&chars);
            let p = Paragraph { chars: &chars, levels: &levels, phrases: &phrases, spacing: &spacing };
            for line in break_paragraph(&p, width as f32, width as f32) {
                let (xs, w) = spacing.place(line.start, line.end, width as f32, !line.last);
                prop_assert_eq!(xs.len(), line.end - line.start);
                prop_assert!(xs.windows(2).all(|x| x[1] >= x[0] - 1e-4), "x runs backwards: {:?}", xs);
                if spacing.measure(line.start, line.end).min <= width as f32 {
                    prop_assert!(w <= width as f32 + 0.01, "{:?} set {} wide in {}", &chars[line.start..line.end], w, width);
                }
            }
        }
    }
}
