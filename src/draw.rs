//! The drawing interface between layout and PDF writing.
//!
//! Layout produces [`Page`]s of a handful of primitives — rules, filled
//! rectangles, ellipses and positioned glyph runs — in points, with the
//! origin at the top-left corner and y growing downwards. The writer in
//! [`crate::pdf`] is the only code that knows the PDF library; another
//! writer (PNG, SVG) would consume the same pages.

use crate::font::{FaceId, FontSet};

/// A finished document: pages and the fonts their text uses.
#[derive(Debug)]
pub struct Document {
    /// Written into the PDF's metadata.
    pub title: String,
    pub fonts: FontSet,
    pub pages: Vec<Page>,
}

impl Document {
    /// All the text of a page, run by run (for tests and checks).
    pub fn page_text(&self, page: usize) -> String {
        let mut s = String::new();
        for item in &self.pages[page].items {
            if let Item::Text(run) = item {
                s.extend(run.glyphs.iter().map(|g| g.ch));
                s.push('\n');
            }
        }
        s
    }
}

/// One page: its size and what is drawn on it, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// A drawing primitive. Lengths in points.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A straight rule of the given stroke width (square caps, so frames
    /// close cleanly at their corners).
    Line { from: (f32, f32), to: (f32, f32), width: f32 },
    /// A rectangle filled with a grey level (0 black, 1 white).
    Fill { x: f32, y: f32, w: f32, h: f32, gray: f32 },
    /// An ellipse outline, e.g. the circle around a chosen option.
    Ellipse { center: (f32, f32), rx: f32, ry: f32, width: f32 },
    /// Glyphs of one face and size on one baseline.
    Text(TextRun),
}

/// Glyphs of one face and size on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub face: FaceId,
    pub size: f32,
    /// Baseline, from the top of the page.
    pub baseline: f32,
    pub glyphs: Vec<PlacedGlyph>,
}

/// A glyph at an absolute x position.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub id: u16,
    /// The character shown, for ToUnicode.
    pub ch: char,
    /// Left edge from the left of the page.
    pub x: f32,
    /// The glyph's advance at this size (where the next glyph would go if
    /// set solid).
    pub advance: f32,
}

/// Collects the rules of a page and draws each stretch of line once.
///
/// Neighbouring cells share edges, and a cell edge may lie under the
/// heavier outer frame. Drawing them all would double the bytes and let a
/// thin rule peek out from under a thick one; instead each straight line
/// is cut at every segment end, each piece takes the heaviest weight that
/// covers it, and consecutive pieces of equal weight are joined again.
#[derive(Debug, Default)]
pub struct Rules {
    segments: Vec<Segment>,
}

/// A stretch of rule as added, before merging.
#[derive(Debug, Clone, Copy)]
struct Segment {
    vertical: bool,
    /// x of a vertical rule, y of a horizontal one.
    across: f32,
    /// Its ends along the line (`start` <= `end`).
    start: f32,
    end: f32,
    weight: f32,
}

impl Rules {
    /// Add a horizontal or vertical rule; weight 0 draws nothing.
    pub fn add(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        if width <= 0.0 {
            return;
        }
        let vertical = (from.0 - to.0).abs() < 1e-3;
        let (across, a, b) = if vertical { (from.0, from.1, to.1) } else { (from.1, from.0, to.0) };
        self.segments.push(Segment {
            vertical,
            across: round(across),
            start: round(a.min(b)),
            end: round(a.max(b)),
            weight: width,
        });
    }

    /// The four edges of a rectangle, weights `[top, right, bottom, left]`.
    pub fn add_rect(&mut self, x: f32, y: f32, w: f32, h: f32, weights: [f32; 4]) {
        self.add((x, y), (x + w, y), weights[0]);
        self.add((x + w, y), (x + w, y + h), weights[1]);
        self.add((x, y + h), (x + w, y + h), weights[2]);
        self.add((x, y), (x, y + h), weights[3]);
    }

    /// The merged rules, in a stable order.
    pub fn into_items(mut self) -> Vec<Item> {
        self.segments
            .sort_by(|a, b| (a.vertical, a.across).partial_cmp(&(b.vertical, b.across)).expect("no NaN lengths"));
        let mut items = Vec::new();
        for line in self.segments.chunk_by(|a, b| a.vertical == b.vertical && a.across == b.across) {
            let (vertical, across) = (line[0].vertical, line[0].across);
            for (start, end, width) in merge_line(line) {
                let (from, to) =
                    if vertical { ((across, start), (across, end)) } else { ((start, across), (end, across)) };
                items.push(Item::Line { from, to, width });
            }
        }
        items
    }
}

/// Round to 1/1000 pt so that edges computed along different paths meet.
fn round(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// Pieces of one straight line: (start, end, heaviest weight), joined where
/// neighbours have the same weight.
fn merge_line(segments: &[Segment]) -> Vec<(f32, f32, f32)> {
    let mut cuts: Vec<f32> = segments.iter().flat_map(|s| [s.start, s.end]).collect();
    cuts.sort_by(|a, b| a.partial_cmp(b).expect("no NaN lengths"));
    cuts.dedup();
    let mut out: Vec<(f32, f32, f32)> = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let weight = segments.iter().filter(|s| s.start <= a && s.end >= b).map(|s| s.weight).fold(0.0, f32::max);
        if weight == 0.0 {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 == a && last.2 == weight => last.1 = b,
            _ => out.push((a, b, weight)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_edges_are_drawn_once_heaviest_wins() {
        let mut rules = Rules::default();
        // Two cells side by side under a heavier frame.
        rules.add_rect(0.0, 0.0, 10.0, 5.0, [0.5; 4]);
        rules.add_rect(10.0, 0.0, 10.0, 5.0, [0.5; 4]);
        rules.add_rect(0.0, 0.0, 20.0, 5.0, [1.0; 4]);
        let items = rules.into_items();
        // top, bottom (1pt each, whole width), left, middle (0.5), right.
        assert_eq!(items.len(), 5, "{items:#?}");
        assert!(items.contains(&Item::Line { from: (0.0, 0.0), to: (20.0, 0.0), width: 1.0 }));
        assert!(items.contains(&Item::Line { from: (10.0, 0.0), to: (10.0, 5.0), width: 0.5 }));
    }

    #[test]
    fn zero_weight_edges_are_not_drawn() {
        let mut rules = Rules::default();
        rules.add_rect(0.0, 0.0, 10.0, 5.0, [0.0, 0.5, 0.0, 0.5]);
        assert_eq!(rules.into_items().len(), 2);
    }
}
