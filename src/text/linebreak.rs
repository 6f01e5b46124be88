//! Greedy line breaking with push-out (追い出し) and the emergency ladder.
//!
//! The breaker works on measured characters only: it knows advances and
//! break levels, nothing about fonts or cells. Each line takes as many
//! characters as fit; when the next character overflows, the line ends at
//! the last boundary before it that the rules allow (push-out: the
//! characters after that boundary move to the next line). If no boundary
//! on the line is allowed, the ladder drops the number+unit glue, then all
//! inseparability glue, and finally breaks after the last character that
//! fits — never losing a character. (JLReq §3.8 fixes push-out and
//! push-in; what to do when no allowed break fits is our rule.)

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
    let rungs = [BreakLevel::Free, BreakLevel::UnitGlue, BreakLevel::Inseparable];
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
            "OJT", " ", "　", "…", "△", "％", "々",
        ]);
        prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
    }

    fn measure(chars: &[char]) -> (Vec<f32>, Vec<f32>) {
        let adv = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
        (adv, vec![0.0; chars.len()])
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
    }
}
