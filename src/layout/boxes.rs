//! マス目: a value printed one character per box.
//!
//! Forms divide an amount (金額) or a number to be read by machine or eye
//! (受付番号, 口座番号) into boxes, one character each. Written by hand, an
//! amount is filled from the right — the ones digit in the last box — with
//! `￥` (or `金`) in the box just before the first digit, so that nothing
//! can be added in front of it; the same holds for printing. Forms that
//! group the digits of an amount mark every third box from the right with
//! a heavier rule (位取り線), as the comma groups `１２，３４５`.
//!
//! This module knows only boxes: given the characters to print (the text
//! is produced as for any other cell — [`boxed_integer`], [`boxed_text`])
//! and the cell's width, it places one glyph in the middle of each box and
//! says where the rules between boxes go. Where the text comes from (a
//! data field today, an expression later) is the cell builder's business.

use std::rc::Rc;

use rust_decimal::Decimal;

use crate::font::{Face, FaceId};
use crate::text::numerals::{format_digits, Digits};
use crate::text::setter::{self, Glyph, MissingGlyph, SetLine, Style};
use crate::text::Composition;
use crate::units::pt_to_mm;
use crate::validate::checked::Align;

use super::fit::SHRINK_STEP;
use super::TextBox;

/// A rule between two boxes: its distance from the cell's left edge and
/// its weight, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Divider {
    pub x: f32,
    pub weight: f32,
}

/// How a cell is divided into boxes.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    /// The number of boxes.
    pub count: usize,
    /// The cell's width, in points: the boxes share it equally.
    pub width: f32,
    /// `Left` or `Right` (validation refuses the others).
    pub align: Align,
    /// The weight of the rules between boxes, and of the rule after every
    /// third box from the right, if the form groups digits.
    pub rule: f32,
    pub group_rule: Option<f32>,
}

impl Grid {
    /// The width of one box.
    pub fn box_width(&self) -> f32 {
        self.width / self.count as f32
    }

    /// The rules between the boxes, left to right. The boundary `k` boxes
    /// from the right edge takes the group weight when `k` is a multiple
    /// of three (between the thousands and the hundreds, …).
    pub fn dividers(&self) -> Vec<Divider> {
        (1..self.count)
            .map(|i| {
                let from_right = self.count - i;
                let weight = match self.group_rule {
                    Some(heavy) if from_right.is_multiple_of(3) => heavy.max(self.rule),
                    _ => self.rule,
                };
                Divider { x: self.box_width() * i as f32, weight }
            })
            .collect()
    }
}

/// A value set into boxes: one line (none for an empty value) whose
/// glyphs stand in the middle of their boxes, x from the cell's left edge;
/// the size it was set at; the rules between the boxes.
#[derive(Debug, Clone)]
pub struct Set {
    pub line: Option<SetLine>,
    pub size: f32,
    pub dividers: Rc<[Divider]>,
}

/// What a `boxes` cell holds, ready to draw: its characters (drawn as any
/// text, inside the cell's top and bottom padding) and its dividers.
#[derive(Debug, Clone)]
pub struct BoxesBox {
    pub text: TextBox,
    pub dividers: Rc<[Divider]>,
}

/// Why a value cannot be printed in its boxes.
#[derive(Debug, Clone, PartialEq)]
pub enum Misfit {
    /// More characters than boxes.
    TooMany {
        need: usize,
        have: usize,
    },
    /// A character wider than a box even at the smallest size allowed.
    TooWide {
        ch: char,
        need: f32,
        have: f32,
        size: f32,
    },
    /// A line break or another control character: boxes hold one line.
    Control(char),
    Missing(MissingGlyph),
}

impl Misfit {
    /// The message, for the cell's error.
    pub fn message(&self, text: &str) -> String {
        match self {
            Misfit::TooMany { need, have } => {
                format!("`{text}` needs {need} boxes, and the cell has {have}")
            }
            Misfit::TooWide { ch, need, have, size } => format!(
                "a box is {:.1} mm wide, and `{ch}` needs {:.1} mm even at {size} pt",
                pt_to_mm(*have),
                pt_to_mm(*need)
            ),
            Misfit::Control(ch) => {
                format!("boxes hold one line of characters, and the value has U+{:04X}", *ch as u32)
            }
            Misfit::Missing(m) => format!("no font has a glyph for U+{:04X} {}", m.ch as u32, m.ch),
        }
    }
}

/// The font the boxes' characters are set in, and the sizes allowed.
pub struct Type<'a> {
    pub faces: &'a [(FaceId, &'static Face)],
    pub size: f32,
    pub min_size: f32,
    pub composition: Composition,
}

/// Set `text`, one character per box of `grid`: at the type's size, or
/// smaller (down to its minimum) when a character is wider than a box. A
/// character and the variation selector after it (葛 + U+E0100) are one
/// character, in one box.
pub fn set(text: &str, grid: &Grid, ty: &Type) -> Result<Set, Misfit> {
    let (chars, selectors) = setter::clusters(text);
    if let Some(&ch) = chars.iter().find(|c| c.is_control()) {
        return Err(Misfit::Control(ch));
    }
    if chars.len() > grid.count {
        return Err(Misfit::TooMany { need: chars.len(), have: grid.count });
    }
    let dividers: Rc<[Divider]> = grid.dividers().into();
    if chars.is_empty() {
        return Ok(Set { line: None, size: ty.size, dividers });
    }
    let mut size = ty.size;
    loop {
        let glyphs = glyphs(&chars, &selectors, ty, size)?;
        let widest = glyphs.iter().map(|g| g.advance).fold(0.0, f32::max);
        if widest <= grid.box_width() + 0.01 {
            return Ok(Set { line: Some(place(glyphs, grid, size)), size, dividers });
        }
        if size <= ty.min_size {
            let ch = glyphs.iter().find(|g| g.advance == widest).map(|g| g.ch).unwrap_or(' ');
            return Err(Misfit::TooWide { ch, need: widest, have: grid.box_width(), size });
        }
        size = (size - SHRINK_STEP).max(ty.min_size);
    }
}

/// Each character's glyph (with its variation selector, if any), set on
/// its own at `size`.
fn glyphs(chars: &[char], selectors: &[Option<char>], ty: &Type, size: f32) -> Result<Vec<Glyph>, Misfit> {
    let style = Style { faces: ty.faces, size, autospace: false, letter_spacing: 0.0, composition: ty.composition };
    let mut out = Vec::with_capacity(chars.len());
    for (i, (ch, selector)) in chars.iter().zip(selectors).enumerate() {
        let unit: String = std::iter::once(*ch).chain(*selector).collect();
        let line = setter::set_solid(&unit, &style)
            .map_err(|m| Misfit::Missing(MissingGlyph { ch: m.ch, selector: m.selector, index: i }))?;
        out.extend(line.glyphs);
    }
    Ok(out)
}

/// The glyphs in their boxes: filled from the right or from the left,
/// each centred in its box.
fn place(mut glyphs: Vec<Glyph>, grid: &Grid, size: f32) -> SetLine {
    let w = grid.box_width();
    let first = match grid.align {
        Align::Right => grid.count - glyphs.len(),
        _ => 0,
    };
    for (i, g) in glyphs.iter_mut().enumerate() {
        g.x = (first + i) as f32 * w + (w - g.advance) / 2.0;
    }
    SetLine { glyphs, width: grid.width, size, ..SetLine::default() }
}

/// A number for boxes: the `prefix` (`￥`), the accounting sign `△` for a
/// negative amount, the digits as written (decimals kept), ungrouped (the
/// boxes group them).
pub fn boxed_number(n: Decimal, prefix: &str, digits: Digits) -> String {
    let sign = if n.is_sign_negative() && !n.is_zero() { "△" } else { "" };
    format!("{prefix}{sign}{}", format_digits(&n.abs().to_string(), digits))
}

/// A text for boxes, as typed, with its digits in the cell's `digits`
/// (nothing else is converted: a code keeps its letters and signs).
pub fn boxed_text(text: &str, prefix: &str, digits: Digits) -> String {
    let converted: String = text
        .chars()
        .map(|c| match (c, digits) {
            ('0'..='9', Digits::Fullwidth) => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    format!("{prefix}{converted}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(count: usize, align: Align, group_rule: Option<f32>) -> Grid {
        Grid { count, width: 80.0, align, rule: 0.5, group_rule }
    }

    fn mincho() -> Vec<(FaceId, &'static Face)> {
        let mut book = super::super::fonts::FontBook::new(&[]);
        book.faces(crate::font::bundled("mincho").expect("bundled mincho"))
    }

    fn ty<'a>(faces: &'a [(FaceId, &'static Face)], size: f32, min_size: f32) -> Type<'a> {
        Type { faces, size, min_size, composition: Composition::default() }
    }

    #[test]
    fn every_third_rule_from_the_right_is_heavier() {
        let weights: Vec<f32> = grid(8, Align::Right, Some(1.0)).dividers().iter().map(|d| d.weight).collect();
        // Boundaries from the left: 7, 6, 5, 4, 3, 2, 1 boxes from the right.
        assert_eq!(weights, [0.5, 1.0, 0.5, 0.5, 1.0, 0.5, 0.5]);
        assert!(grid(8, Align::Right, None).dividers().iter().all(|d| d.weight == 0.5));
        assert_eq!(grid(4, Align::Right, None).dividers()[1].x, 40.0);
    }

    #[test]
    fn digits_fill_from_the_right_with_the_prefix_before_the_first() {
        let faces = mincho();
        let text = boxed_number(12345.into(), "￥", Digits::Fullwidth);
        assert_eq!(text, "￥１２３４５");
        let set = set(&text, &grid(8, Align::Right, None), &ty(&faces, 10.0, 10.0)).expect("fits");
        let line = set.line.expect("a line");
        assert_eq!(line.text(), "￥１２３４５");
        // Box 2 (of 0..8) holds ￥, box 7 the ones digit, each centred.
        let centre = |g: &Glyph| g.x + g.advance / 2.0;
        assert!((centre(&line.glyphs[0]) - 25.0).abs() < 0.01, "{:?}", line.glyphs[0]);
        assert!((centre(&line.glyphs[5]) - 75.0).abs() < 0.01, "{:?}", line.glyphs[5]);
        let left = super::set("１２", &grid(8, Align::Left, None), &ty(&faces, 10.0, 10.0)).expect("fits");
        assert!((centre(&left.line.expect("line").glyphs[1]) - 15.0).abs() < 0.01);
    }

    #[test]
    fn what_does_not_fit_is_refused_never_cut() {
        let faces = mincho();
        let too_many = set("１２３４５６７８９", &grid(8, Align::Right, None), &ty(&faces, 10.0, 10.0));
        assert_eq!(too_many.unwrap_err(), Misfit::TooMany { need: 9, have: 8 });
        // 10 pt full-width digits in 2.5 pt boxes: too wide even at 8 pt.
        let narrow = Grid { count: 4, width: 10.0, align: Align::Right, rule: 0.5, group_rule: None };
        assert!(matches!(set("１", &narrow, &ty(&faces, 10.0, 8.0)), Err(Misfit::TooWide { ch: '１', .. })));
        // …but shrinks within its limits when it can.
        let snug = Grid { count: 4, width: 36.0, align: Align::Right, rule: 0.5, group_rule: None };
        assert_eq!(set("１", &snug, &ty(&faces, 10.0, 8.0)).expect("shrinks").size, 9.0);
        assert!(matches!(set("1\n2", &snug, &ty(&faces, 10.0, 8.0)), Err(Misfit::Control('\n'))));
    }

    #[test]
    fn a_character_and_its_variation_selector_fill_one_box() {
        let faces = mincho();
        let plain = set("葛", &grid(4, Align::Left, None), &ty(&faces, 10.0, 10.0)).expect("fits");
        let ivs = set("葛\u{E0100}", &grid(4, Align::Left, None), &ty(&faces, 10.0, 10.0)).expect("one box");
        let (plain, ivs) = (plain.line.expect("line").glyphs, ivs.line.expect("line").glyphs);
        assert_eq!(ivs.len(), 1, "the selector took a box of its own");
        assert_eq!((ivs[0].ch, ivs[0].selector), ('葛', Some('\u{E0100}')));
        assert_ne!(ivs[0].id, plain[0].id, "the selector did not choose the other form");
        // Still one box per character: four clusters fill four boxes.
        let full = set("葛\u{E0100}葛葛\u{E0100}葛", &grid(4, Align::Left, None), &ty(&faces, 10.0, 10.0));
        assert_eq!(full.expect("fits").line.expect("line").glyphs.len(), 4);
    }

    #[test]
    fn values_for_boxes() {
        assert_eq!(boxed_number((-1234).into(), "", Digits::Fullwidth), "△１２３４");
        assert_eq!(boxed_number(7188.into(), "", Digits::Ascii), "7188");
        assert_eq!(boxed_text("R7-0012", "", Digits::Fullwidth), "R7-００１２".replace("R7", "R７"));
        assert_eq!(boxed_text("000123", "No.", Digits::Ascii), "No.000123");
    }
}
