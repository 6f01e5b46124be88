//! The geometry check: the last step of layout, before anything is
//! written. Every glyph's ink lies inside its frame's content box (a cell
//! without its padding; for a free text block, the printable area; for
//! the footer, the bottom margin), and every cell lies inside the page's
//! printable area. A document that breaks either is never written: the
//! error names the cell (its line in the layout, and the data line its
//! text came from) and the overflow in millimetres.
//!
//! Layout is built to keep these rules (widths are validated, text
//! shrinks within limits, rows grow or split), but a rule kept by many
//! parts is a rule some part will one day break. This check reads only
//! what was drawn — the [`Frame`]s and text runs of a [`Document`] — so
//! "never clipped" holds by construction, whatever layout did.
//!
//! A glyph's box is its ink (the outline's bounding box from the font),
//! not its advance: a full-width bracket at the start of a line is set
//! half an em into the margin on purpose (天付き), its ink does not move
//! out, and a space has no ink to lose. Outlining every glyph was most of
//! the check's cost, so a glyph is first tested with the box its font
//! header records ([`crate::font::Face::ink_bound`], which contains the
//! ink): only a glyph whose header box touches or crosses its box's edge is
//! outlined, and the verdict is the one the outline alone gives.

use std::collections::HashMap;

use crate::draw::{Document, Frame, FrameKind, Item, PlacedGlyph, Rect};
use crate::error::{non_printing, Error, Result, Site};
use crate::font::FaceId;
use crate::units::pt_to_mm;

/// How far ink or a cell may stray, in points: rounding in sums of
/// widths, far below what a printer resolves (1/600 inch is 0.12 pt).
pub const TOLERANCE: f32 = 0.1;

/// A side of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
            Side::Top => "top",
            Side::Bottom => "bottom",
        }
    }
}

/// How far `inner` reaches out of `outer` on each side (0 or less: not
/// out on that side).
fn reach(inner: &Rect, outer: &Rect) -> [(Side, f32); 4] {
    [
        (Side::Left, outer.x - inner.x),
        (Side::Right, inner.right() - outer.right()),
        (Side::Top, outer.y - inner.y),
        (Side::Bottom, inner.bottom() - outer.bottom()),
    ]
}

/// How far `inner` reaches out of `outer`, on its worst side, if by more
/// than [`TOLERANCE`].
pub fn overflow(inner: &Rect, outer: &Rect) -> Option<(Side, f32)> {
    reach(inner, outer).into_iter().filter(|(_, by)| *by > TOLERANCE).max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Does `inner` lie inside `outer`, edges included, with no tolerance?
/// (A difference of two floats is 0 or less exactly when the first is
/// not greater.)
fn inside(inner: &Rect, outer: &Rect) -> bool {
    reach(inner, outer).iter().all(|&(_, by)| by <= 0.0)
}

/// Check every page of `doc`: the first frame (in drawing order) that
/// breaks a rule is the error.
pub fn document(doc: &Document) -> Result<()> {
    let mut ink = Ink::default();
    for (p, page) in doc.pages.iter().enumerate() {
        // The glyph that strays furthest out of each frame.
        let mut worst: Vec<Option<Stray>> = vec![None; page.frames.len()];
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            let frame = page.frames.get(run.frame).ok_or_else(|| Error::internal("a text run names no frame"))?;
            let face = doc.fonts.get(run.face);
            let placed = |g: &PlacedGlyph, [x0, y0, x1, y1]: [f32; 4]| {
                let s = run.size;
                Rect { x: g.x + x0 * s, y: run.baseline - y1 * s, w: (x1 - x0) * s, h: (y1 - y0) * s }
            };
            for g in &run.glyphs {
                // The cheap box first. Inside with no tolerance at all, the
                // ink it contains is inside too (rounding moves an edge by far
                // less than TOLERANCE): the outline would pass it as well.
                if face.ink_bound(g.id).is_some_and(|bound| inside(&placed(g, bound), &frame.content)) {
                    continue;
                }
                let Some(ink) = ink.of(doc, run.face, g.id) else { continue };
                if let Some((side, by)) = overflow(&placed(g, ink), &frame.content) {
                    let shown: String = std::iter::once(g.ch).chain(g.selector).collect();
                    let w = &mut worst[run.frame];
                    if w.as_ref().is_none_or(|w| by > w.by) {
                        *w = Some(Stray { shown, side, by });
                    }
                }
            }
        }
        for (frame, stray) in page.frames.iter().zip(worst) {
            if let Some((side, by)) = overflow(&frame.rect, &frame.within) {
                return Err(outside_page(frame, side, by, p + 1));
            }
            if let Some(stray) = stray {
                return Err(outside_frame(frame, &stray, p + 1));
            }
        }
    }
    Ok(())
}

/// A glyph out of its box: which, where, by how much (points).
#[derive(Debug, Clone)]
struct Stray {
    shown: String,
    side: Side,
    by: f32,
}

/// Ink boxes by face and glyph, each read from the font once per document.
#[derive(Default)]
struct Ink(HashMap<(FaceId, u16), Option<[f32; 4]>>);

impl Ink {
    fn of(&mut self, doc: &Document, face: FaceId, glyph: u16) -> Option<[f32; 4]> {
        *self.0.entry((face, glyph)).or_insert_with(|| doc.fonts.get(face).ink(glyph))
    }
}

/// A length for a message: 0.1 mm steps, finer below 0.1 mm.
fn mm(pt: f32) -> String {
    let mm = pt_to_mm(pt);
    if mm < 0.1 {
        format!("{mm:.2} mm")
    } else {
        format!("{mm:.1} mm")
    }
}

/// The error at the frame's layout cell, naming the data line its text
/// came from.
fn at_frame(frame: &Frame, message: String, help: &str) -> Error {
    let err = Error::in_layout(&frame.owner.layout, message).with_help(help);
    match &frame.owner.data {
        Some(data) => err.also_at(Site::data(data.clone()), "the text comes from"),
        None => err,
    }
}

/// A cell that reaches out of the printable area.
fn outside_page(frame: &Frame, side: Side, by: f32, page: usize) -> Error {
    let what = match frame.kind {
        FrameKind::Footer => "the footer",
        FrameKind::Text => "the text",
        FrameKind::Cell => "this cell",
    };
    let msg = format!(
        "{what} reaches {} into the {} margin on page {page}: it would be cut off at the page edge",
        mm(by),
        side.name()
    );
    let help = format!(
        "the page has {} × {} between its margins: make the table or its cells narrower",
        mm(frame.within.w),
        mm(frame.within.h)
    );
    at_frame(frame, msg, &help)
}

/// Text whose ink leaves its box.
fn outside_frame(frame: &Frame, stray: &Stray, page: usize) -> Error {
    let shown: String = stray.shown.chars().map(|c| if non_printing(c) { ' ' } else { c }).collect();
    let (by, side) = (mm(stray.by), stray.side.name());
    let (msg, help) = match frame.kind {
        FrameKind::Cell => (
            format!(
                "the text does not fit in this cell: `{shown}` on page {page} reaches {by} past the {side} edge \
                 of the cell's text area (the cell inside its padding, {} × {})",
                mm(frame.content.w.max(0.0)),
                mm(frame.content.h.max(0.0))
            ),
            "widen the cell, lower its `size`, `min_size` or `padding`, or shorten the text",
        ),
        FrameKind::Text => (
            format!("the text does not fit on page {page}: `{shown}` reaches {by} into the {side} margin"),
            "lower the block's `size` or `space_before`, or shorten the text",
        ),
        FrameKind::Footer => (
            format!(
                "the footer does not fit in the bottom margin ({} tall): `{shown}` on page {page} reaches {by} \
                 past its {side} edge",
                mm(frame.content.h)
            ),
            "lower the footer's `size`, or make the bottom margin taller",
        ),
    };
    at_frame(frame, msg, help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }

    #[test]
    fn overflow_names_the_worst_side_beyond_the_tolerance() {
        let outer = rect(10.0, 10.0, 100.0, 50.0);
        assert_eq!(overflow(&rect(10.0, 10.0, 100.0, 50.0), &outer), None, "the edges may touch");
        assert_eq!(overflow(&rect(9.95, 10.0, 100.05, 50.0), &outer), None, "within the tolerance");
        assert_eq!(overflow(&rect(5.0, 10.0, 120.0, 50.0), &outer), Some((Side::Right, 15.0)));
        assert_eq!(overflow(&rect(20.0, 0.0, 10.0, 10.0), &outer), Some((Side::Top, 10.0)));
        // A box with no room at all (padding wider than the cell).
        assert_eq!(overflow(&rect(0.0, 0.0, 1.0, 1.0), &rect(5.0, 0.0, -3.0, 1.0)), Some((Side::Left, 5.0)));
    }
}
