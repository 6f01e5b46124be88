//! An independent reading of a drawn document: how far anything reaches
//! out of its box. The geometry check (`yoshiki::layout::check`) reads ink
//! boxes through ttf-parser's glyph bounding boxes; this reads them from
//! the outline curves through ab_glyph, and does its own arithmetic, so
//! that the two can be held against each other.
//!
//! Shared by `tests/geometry_properties.rs` and the fuzz target
//! `fuzz/fuzz_targets/geometry.rs` (each includes it with `#[path]`).

use std::collections::HashMap;

use ab_glyph::{Font, FontRef, OutlineCurve};
use yoshiki::draw::{Document, Item, Rect};

/// The ink box of a glyph in font units (y up), from its outline's
/// points, or `None` for a glyph with no outline.
fn ink_units(font: &FontRef, glyph: u16) -> Option<[f32; 4]> {
    let outline = font.outline(ab_glyph::GlyphId(glyph))?;
    let points = outline.curves.iter().flat_map(|c| match c {
        OutlineCurve::Line(a, b) => vec![*a, *b],
        OutlineCurve::Quad(a, b, c) => vec![*a, *b, *c],
        OutlineCurve::Cubic(a, b, c, d) => vec![*a, *b, *c, *d],
    });
    let mut bounds = [f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY];
    for p in points {
        bounds = [bounds[0].min(p.x), bounds[1].min(p.y), bounds[2].max(p.x), bounds[3].max(p.y)];
    }
    bounds[0].is_finite().then_some(bounds)
}

/// How far `a` reaches out of `b` on its worst side (0 if not at all).
fn reach(a: &Rect, b: &Rect) -> f32 {
    [b.x - a.x, (a.x + a.w) - (b.x + b.w), b.y - a.y, (a.y + a.h) - (b.y + b.h)].into_iter().fold(0.0, f32::max)
}

/// The furthest anything drawn in `doc` reaches out of its box, in points.
pub fn worst_reach(doc: &Document) -> f32 {
    let fonts: Vec<FontRef> =
        doc.fonts.faces().iter().map(|f| FontRef::try_from_slice(f.data).expect("a font")).collect();
    let mut cache: HashMap<(usize, u16), Option<[f32; 4]>> = HashMap::new();
    let mut worst: f32 = 0.0;
    for page in &doc.pages {
        for frame in &page.frames {
            worst = worst.max(reach(&frame.rect, &frame.within));
        }
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            let font = &fonts[run.face.0];
            let upem = font.units_per_em().expect("units per em");
            let content = page.frames[run.frame].content;
            for g in &run.glyphs {
                let ink = *cache.entry((run.face.0, g.id)).or_insert_with(|| ink_units(font, g.id));
                let Some([x0, y0, x1, y1]) = ink else { continue };
                let k = run.size / upem;
                let glyph = Rect { x: g.x + x0 * k, y: run.baseline - y1 * k, w: (x1 - x0) * k, h: (y1 - y0) * k };
                worst = worst.max(reach(&glyph, &content));
            }
        }
    }
    worst
}
