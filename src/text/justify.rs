//! The justification model: how much white each boundary of a paragraph
//! has, how much of it may be squeezed or added, and in which order
//! (JIS X 4051; JLReq §3.1 and §3.8).
//!
//! A Japanese font draws `、。「」（）・` one em wide with their white
//! inside the glyph ([`Class::white`]). The model works on boundaries:
//!
//! - **Natural width.** Between two punctuation marks only the smaller of
//!   the two whites facing each other is kept (JLReq §3.1.4–3.1.6): `」「`,
//!   `、「` and `）・（` keep a half or a quarter em instead of a full em,
//!   `」」`, `」、`, `、」`, `。」` and `「「` are set solid. This holds
//!   everywhere, not only where a line is squeezed. The Japanese–Latin
//!   quarter em (autospace) comes in here too.
//! - **Reductions** (追い込み), used in this order, each shared equally by
//!   its boundaries before the next is touched (JLReq §3.8.3): word spaces
//!   down to ¼ em, the quarter ems around `・：；`, the half ems after
//!   `、」）` and before `「（` (never the half em after a mid-line `。`: it
//!   separates sentences), the Japanese–Latin quarter em down to ⅛ em;
//!   last, the half em after a line-end `、。」` goes whole (half or solid,
//!   nothing between), and so does the quarter after a line-end `・`. JLReq lists the line-end half second; here it comes
//!   last, so that a line only loses it when nothing else keeps the next
//!   unit on the line.
//! - **Expansion** (for justified lines that are short): the
//!   Japanese–Latin quarter em up to ½ em, then the free break
//!   opportunities (not after an opening bracket, not before closing
//!   punctuation, not inside a number or word, not where punctuation
//!   already has white) up to [`MAX_GAP`] each. A line that needs more is
//!   left ragged: in a narrow form cell wider gaps read as spaces.
//! - **Line start.** An opening bracket that begins a line loses its white
//!   half ([`LineStartBracket::Tentsuki`], JIS X 4051's default) or keeps it
//!   ([`LineStartBracket::NibuSage`]) — on every line, the first of a
//!   paragraph included.
//!
//! A bullet or number that hangs its paragraph's continuation lines
//! ([`setter`](super::setter)) is never squeezed nor stretched: its width
//! is the indent of the lines under it.

use super::classes::Class;
use super::kinsoku::BreakLevel;

/// How Japanese text is composed: the `composition:` key of a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Composition {
    /// Set punctuation at its standard widths (`」「` one em of white, not
    /// two) and squeeze punctuation and spaces to keep the next word on a
    /// full line before pushing it to the next one (JIS X 4051, JLReq
    /// §3.8). `false` sets every character at its full width and breaks
    /// lines by push-out only, as yoshiki did before. Default `true`.
    pub compress: bool,
    /// An opening bracket that starts a line (`（`, `「`, `【`, `“`…):
    /// `tentsuki` (default, 天付き) sets its ink flush with the line start,
    /// `nibu_sage` (二分下げ) keeps its white half, indenting it half an em.
    /// Either way every line of the layout does the same.
    pub line_start_bracket: LineStartBracket,
}

impl Default for Composition {
    fn default() -> Self {
        Composition { compress: true, line_start_bracket: LineStartBracket::Tentsuki }
    }
}

/// Where an opening bracket at a line start sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineStartBracket {
    /// 天付き: the bracket's white half is dropped; its ink starts the line.
    #[default]
    Tentsuki,
    /// 二分下げ: the bracket keeps its white half.
    NibuSage,
}

/// The widest gap justification adds at a free break opportunity, in em.
/// A line that would need more is left ragged.
pub const MAX_GAP: f32 = 0.25;

/// The reductions, in the order a line uses them (see the module docs).
const WORD_SPACE: usize = 0;
const MIDDLE_DOT: usize = 1;
const HALF_EM: usize = 2;
const AUTOSPACE: usize = 3;
const REDUCTIONS: usize = 4;

/// Tolerance for comparing widths, in points.
pub const EPSILON: f32 = 0.01;

/// How a boundary may be widened when a justified line is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stretch {
    /// Not at all.
    No,
    /// A Japanese–Latin quarter em, up to half an em.
    Autospace,
    /// A free break opportunity, up to [`MAX_GAP`].
    Free,
}

/// The characters of a paragraph, measured, as the spacing model sees them.
pub struct Measured<'a> {
    pub chars: &'a [char],
    /// The glyphs' own advances.
    pub solid: &'a [f32],
    /// What each character occupies on a line: its advance plus any letter
    /// spacing.
    pub advances: &'a [f32],
    /// The Japanese–Latin quarter em before each character (0 if none).
    pub autospace: &'a [f32],
    /// The paragraph's break levels.
    pub levels: &'a [BreakLevel],
    /// The font size: one em, in points.
    pub em: f32,
    /// Characters at the paragraph start (a hanging bullet or number) that
    /// are never squeezed or stretched.
    pub fixed: usize,
}

/// One paragraph's spacing: natural widths, what may be squeezed or
/// stretched at each boundary, and prefix sums so that any line's
/// measure is O(1).
pub struct Spacing {
    em: f32,
    /// Entry `i`: character `i`, the boundary before it and the sums of
    /// everything before it; one entry more than characters, so that the
    /// sums reach the paragraph end. One record per position rather than a
    /// list per quantity: a paragraph is set once per cell and shrink step,
    /// and sixteen lists cost more to allocate and free than to fill.
    at: Vec<Slot>,
}

/// What the model knows at one position of a paragraph.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The character's class (needed while the model is built).
    class: Class,
    /// What the character occupies on a line (advance + letter spacing).
    advance: f32,
    /// Letter spacing after the character: not part of a line's width
    /// after its last character.
    trail: f32,
    /// White an opening bracket loses at a line start (天付き).
    start_white: f32,
    /// White after `、。」` that may go when the character ends a line.
    end_white: f32,
    /// Extra space at the boundary before the character in the natural
    /// setting: autospace, minus the white consecutive punctuation drops.
    joint: f32,
    /// What each reduction may take at the boundary.
    give: [f32; REDUCTIONS],
    stretch: Stretch,
    /// The same quantities summed over the positions before this one.
    before: Sums,
}

/// Prefix sums of a paragraph's [`Slot`]s.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    advance: f32,
    joint: f32,
    give: [f32; REDUCTIONS],
    autospace: u32,
    free: u32,
}

impl Slot {
    const END: Slot = Slot {
        class: Class::Other,
        advance: 0.0,
        trail: 0.0,
        start_white: 0.0,
        end_white: 0.0,
        joint: 0.0,
        give: [0.0; REDUCTIONS],
        stretch: Stretch::No,
        before: Sums { advance: 0.0, joint: 0.0, give: [0.0; REDUCTIONS], autospace: 0, free: 0 },
    };
}

/// A line's widths, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineMeasure {
    /// Set with the standard spacing.
    pub natural: f32,
    /// Squeezed as far as every reduction allows.
    pub min: f32,
    /// Widened as far as justification may, [`MAX_GAP`] at the most.
    pub max: f32,
    /// Boundaries between its characters.
    pub boundaries: usize,
}

impl Spacing {
    /// The spacing model of one paragraph. With `compress` off, every
    /// character keeps its full width: no punctuation white is removed or
    /// squeezed (autospace and line-start brackets still apply).
    pub fn new(m: &Measured, compress: bool, line_start: LineStartBracket) -> Spacing {
        let n = m.chars.len();
        let em = m.em;
        let mut at = Vec::with_capacity(n + 1);
        at.extend((0..n).map(|i| Slot {
            class: Class::at(m.chars, i),
            advance: m.advances[i],
            trail: m.advances[i] - m.solid[i],
            ..Slot::END
        }));
        at.push(Slot::END);
        // White only exists in a full-width glyph (a proportional font's
        // `（` has none to give).
        let white = |i: usize, class: Class| -> (f32, f32) {
            if (m.solid[i] - em).abs() > 0.02 * em {
                return (0.0, 0.0);
            }
            let (before, after) = class.white();
            (before * em, after * em)
        };
        for k in 1..n {
            let (a, b) = (at[k - 1].class, at[k].class);
            let (white_a, white_b) = (white(k - 1, a).1, white(k, b).0);
            let slot = &mut at[k];
            let facing = white_a + white_b;
            let mut kept = facing;
            if compress && a.is_punctuation() && b.is_punctuation() {
                // JLReq §3.1.4–3.1.6: the smaller white of the two stays.
                kept = white_a.min(white_b);
                slot.joint -= facing - kept;
            }
            let fixed = k <= m.fixed;
            if compress && !fixed && kept > 0.0 && a != Class::FullStop {
                let kind = if a == Class::MiddleDot || b == Class::MiddleDot { MIDDLE_DOT } else { HALF_EM };
                slot.give[kind] += kept;
            }
            let auto = if a.is_punctuation() || b.is_punctuation() { 0.0 } else { m.autospace[k] };
            slot.joint += auto;
            if fixed {
                continue;
            }
            if compress && b == Class::Space {
                slot.give[WORD_SPACE] += (m.solid[k] - em / 4.0).max(0.0);
            }
            if auto > 0.0 {
                if compress {
                    slot.give[AUTOSPACE] += (auto - em / 8.0).max(0.0);
                }
                slot.stretch = Stretch::Autospace;
            } else if matches!(m.levels[k], BreakLevel::Free | BreakLevel::Bracketed)
                && kept == 0.0
                && a != Class::Space
                && b != Class::Space
            {
                slot.stretch = Stretch::Free;
            }
        }
        for (i, slot) in at[..n].iter_mut().enumerate() {
            slot.start_white = match (slot.class, line_start) {
                (Class::Opening, LineStartBracket::Tentsuki) => white(i, slot.class).0,
                _ => 0.0,
            };
            slot.end_white = match slot.class {
                // JLReq §3.1.8: half or solid after these at a line end; a
                // middle dot's quarters both go (the one before it is a
                // normal reduction).
                Class::Closing | Class::Comma | Class::FullStop | Class::MiddleDot if compress => {
                    white(i, slot.class).1
                }
                _ => 0.0,
            };
        }
        let mut sums = Sums::default();
        for slot in &mut at {
            slot.before = sums;
            sums.advance += slot.advance;
            sums.joint += slot.joint;
            for (sum, give) in sums.give.iter_mut().zip(slot.give) {
                *sum += give;
            }
            sums.autospace += u32::from(slot.stretch == Stretch::Autospace);
            sums.free += u32::from(slot.stretch == Stretch::Free);
        }
        Spacing { em, at }
    }

    /// One em, in points.
    pub fn em(&self) -> f32 {
        self.em
    }

    /// The widths of a line holding characters `start..end`.
    pub fn measure(&self, start: usize, end: usize) -> LineMeasure {
        if end <= start {
            return LineMeasure { natural: 0.0, min: 0.0, max: 0.0, boundaries: 0 };
        }
        let (first, inner, all) = self.sums(start, end);
        let natural = all.advance - first.before.advance + (all.joint - inner.joint) - first.start_white;
        let give: f32 = (0..REDUCTIONS).map(|r| all.give[r] - inner.give[r]).sum();
        let min = natural - give - self.at[end - 1].end_white;
        let autospace = all.autospace - inner.autospace;
        let free = all.free - inner.free;
        let max = natural + (autospace as f32 * 0.25 + free as f32 * MAX_GAP) * self.em;
        LineMeasure { natural, min, max, boundaries: end - start - 1 }
    }

    /// For a line of `start..end` (not empty): its first character, the
    /// sums before its first inner boundary, and the sums before its end.
    /// A line's boundaries are those before characters `start + 1..end`.
    fn sums(&self, start: usize, end: usize) -> (&Slot, &Sums, &Sums) {
        (&self.at[start], &self.at[start + 1].before, &self.at[end].before)
    }

    /// How loose a line of `start..end` set justified in `avail` points
    /// is: the mean space added per boundary, in em (0 if it is squeezed
    /// or exact), or `None` if it cannot be justified and stays ragged.
    pub fn looseness(&self, start: usize, end: usize, avail: f32) -> Option<f32> {
        let m = self.measure(start, end);
        if m.natural >= avail - EPSILON {
            return Some(0.0);
        }
        if m.max < avail - EPSILON || m.boundaries == 0 {
            return None;
        }
        Some((avail - m.natural) / m.boundaries as f32 / self.em)
    }

    /// Place the characters `start..end` on a line of `avail` points:
    /// squeezed if they are wider, and widened if `justify` and they are
    /// narrower (when they can be). Returns each character's x from the
    /// line start (an opening bracket set 天付き starts before 0) and the
    /// line's width: to the end of its last glyph, less the white that
    /// glyph dropped at the line end.
    pub fn place(&self, start: usize, end: usize, avail: f32, justify: bool) -> (Vec<f32>, f32) {
        if end <= start {
            return (Vec::new(), 0.0);
        }
        let m = self.measure(start, end);
        let (first, inner, all) = self.sums(start, end);
        let gives: [f32; REDUCTIONS] = std::array::from_fn(|r| all.give[r] - inner.give[r]);
        let last = &self.at[end - 1];
        let mut share = [0.0f32; REDUCTIONS];
        let mut drop_end = false;
        let mut slack = 0.0;
        let over = m.natural - avail;
        if over > EPSILON {
            let mid: f32 = gives.iter().sum();
            drop_end = over > mid + EPSILON && last.end_white > 0.0;
            let mut need = over - if drop_end { last.end_white } else { 0.0 };
            for r in 0..REDUCTIONS {
                if need <= 0.0 || gives[r] <= 0.0 {
                    continue;
                }
                let take = need.min(gives[r]);
                share[r] = take / gives[r];
                need -= take;
            }
            // Dropping the line-end half may leave the line short.
            slack = (-need).max(0.0);
        } else if over < -EPSILON {
            slack = -over;
        }
        let (mut add_auto, mut add_free) = (0.0, 0.0);
        if justify && slack > EPSILON && m.max - m.natural >= slack - EPSILON {
            let autospace = (all.autospace - inner.autospace) as f32;
            let free = (all.free - inner.free) as f32;
            let on_autospace = slack.min(autospace * 0.25 * self.em);
            if autospace > 0.0 {
                add_auto = on_autospace / autospace;
            }
            if free > 0.0 {
                add_free = (slack - on_autospace) / free;
            }
        }
        let mut xs = Vec::with_capacity(end - start);
        let mut x = -first.start_white;
        for (i, slot) in self.at[start..end].iter().enumerate() {
            if i > 0 {
                x += slot.joint;
                for (give, share) in slot.give.iter().zip(share) {
                    x -= give * share;
                }
                x += match slot.stretch {
                    Stretch::Autospace => add_auto,
                    Stretch::Free => add_free,
                    Stretch::No => 0.0,
                };
            }
            xs.push(x);
            x += slot.advance;
        }
        let width = x - last.trail - if drop_end { last.end_white } else { 0.0 };
        (xs, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::kinsoku::break_levels;

    /// A paragraph at 10 pt, every character one em wide but ASCII (half).
    struct Para {
        chars: Vec<char>,
        solid: Vec<f32>,
        auto: Vec<f32>,
        levels: Vec<BreakLevel>,
    }

    fn para(s: &str) -> Para {
        let chars: Vec<char> = s.chars().collect();
        let solid = chars.iter().map(|c| if c.is_ascii() { 5.0 } else { 10.0 }).collect();
        let auto = vec![0.0; chars.len()];
        let levels = break_levels(&chars);
        Para { chars, solid, auto, levels }
    }

    fn spacing(p: &Para, compress: bool) -> Spacing {
        let m = Measured {
            chars: &p.chars,
            solid: &p.solid,
            advances: &p.solid,
            autospace: &p.auto,
            levels: &p.levels,
            em: 10.0,
            fixed: 0,
        };
        Spacing::new(&m, compress, LineStartBracket::Tentsuki)
    }

    fn natural(s: &str) -> f32 {
        let p = para(s);
        spacing(&p, true).measure(0, p.chars.len()).natural
    }

    #[test]
    fn consecutive_punctuation_takes_its_standard_width() {
        // JLReq §3.1.4–3.1.6, in em: 」、「 is two em, 、「 one and a half.
        assert_eq!(natural("」、「"), 20.0);
        assert_eq!(natural("、「"), 15.0);
        assert_eq!(natural("。」"), 15.0);
        assert_eq!(natural("」「"), 15.0);
        assert_eq!(natural("あ「「"), 25.0);
        assert_eq!(natural("）・（"), 20.0);
        // Next to a letter nothing changes.
        assert_eq!(natural("あ「い」う"), 50.0);
    }

    #[test]
    fn without_compression_every_character_is_full_width() {
        let p = para("」、「");
        let m = spacing(&p, false).measure(0, 3);
        assert_eq!((m.natural, m.min), (30.0, 30.0));
    }

    #[test]
    fn line_start_bracket_is_set_flush() {
        let p = para("（注）");
        let (xs, width) = spacing(&p, true).place(0, 3, 100.0, false);
        assert_eq!(xs, vec![-5.0, 5.0, 15.0]);
        assert_eq!(width, 25.0);
    }

    #[test]
    fn reductions_come_in_order() {
        // 、 (half em), ・ (two quarters): a line 2.5 pt too long takes it
        // from the middle dot's quarters first.
        let p = para("あ、い・う");
        let s = spacing(&p, true);
        let m = s.measure(0, 5);
        assert_eq!((m.natural, m.min), (50.0, 40.0));
        let (xs, width) = s.place(0, 5, 47.5, true);
        assert_eq!(xs, vec![0.0, 10.0, 20.0, 28.75, 37.5]);
        assert_eq!(width, 47.5);
        // 7.5 pt: the quarters go, then the comma's half em gives 2.5.
        let (xs, _) = s.place(0, 5, 42.5, true);
        assert_eq!(xs, vec![0.0, 10.0, 17.5, 25.0, 32.5]);
    }

    #[test]
    fn a_full_stop_keeps_its_half_em_mid_line_but_not_at_the_end() {
        let p = para("あ。い。");
        let s = spacing(&p, true);
        let m = s.measure(0, 4);
        assert_eq!((m.natural, m.min), (40.0, 35.0));
        let (xs, width) = s.place(0, 4, 35.0, true);
        assert_eq!(xs, vec![0.0, 10.0, 20.0, 30.0]);
        assert_eq!(width, 35.0, "the last 。's ink ends the line");
    }

    #[test]
    fn letter_spacing_after_the_last_character_is_not_width() {
        let p = para("あいう");
        let advances: Vec<f32> = p.solid.iter().map(|s| s + 2.0).collect();
        let m = Measured {
            chars: &p.chars,
            solid: &p.solid,
            advances: &advances,
            autospace: &p.auto,
            levels: &p.levels,
            em: 10.0,
            fixed: 0,
        };
        let (xs, width) = Spacing::new(&m, true, LineStartBracket::Tentsuki).place(0, 3, 100.0, false);
        assert_eq!((xs, width), (vec![0.0, 12.0, 24.0], 34.0));
    }

    #[test]
    fn short_lines_stretch_at_free_boundaries_up_to_a_quarter_em() {
        let p = para("あいう");
        let s = spacing(&p, true);
        let (xs, _) = s.place(0, 3, 34.0, true);
        assert_eq!(xs, vec![0.0, 12.0, 24.0]);
        assert_eq!(s.looseness(0, 3, 34.0), Some(0.2));
        // 6 pt over 2 gaps is more than a quarter em each: ragged.
        assert_eq!(s.looseness(0, 3, 36.0), None);
        assert_eq!(s.place(0, 3, 36.0, true).0, vec![0.0, 10.0, 20.0]);
    }
}
