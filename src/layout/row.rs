//! Rows: their height, how they split across pages, and how they draw.
//!
//! A row that does not fit the space left on a page is split at a line
//! boundary: each text cell keeps the lines that fit (at least two, and it
//! leaves at least two for the next page — no single stranded line), cells
//! marked `repeat` (labels) appear on both pages, finished cells continue
//! as empty cells, and stacked sub-rows split between or inside sub-rows.

use std::rc::Rc;

use crate::draw::{Frame, FrameKind, Item, Owner, PlacedGlyph, Rect, Rules, TextRun};
use crate::validate::checked::{Align, VAlign};

use super::boxes::BoxesBox;
use super::{CellBox, Circle, Content, RowBox, TextBox};

/// Tolerance for comparing heights.
const EPSILON: f32 = 0.01;

/// Lines that must stay together at a split, on each side.
const KEEP_TOGETHER: usize = 2;

/// Where the baseline of Japanese text sits in its em box (the ideographic
/// em box of BIZ UD fonts runs from 0.88 em above to 0.12 em below it).
const BASELINE: f32 = 0.88;

/// What one page's drawing collects.
#[derive(Debug)]
pub struct Canvas {
    pub items: Vec<Item>,
    pub rules: Rules,
    /// Every cell and text block drawn, for the geometry check.
    pub frames: Vec<Frame>,
    /// Where cells must stay: the page's printable area.
    pub area: Rect,
}

impl Canvas {
    pub fn new(area: Rect) -> Canvas {
        Canvas { items: Vec::new(), rules: Rules::default(), frames: Vec::new(), area }
    }

    /// Record a frame; its index names it in the text runs drawn in it.
    pub fn frame(&mut self, frame: Frame) -> usize {
        self.frames.push(frame);
        self.frames.len() - 1
    }
}

impl CellBox {
    /// The height the cell needs.
    pub fn natural_height(&self) -> f32 {
        let content = match &self.content {
            Content::Text(t) | Content::Boxes(BoxesBox { text: t, .. }) => {
                t.height() + self.padding[0] + self.padding[2]
            }
            Content::Rows(rows) => rows.iter().map(|r| r.natural_height()).sum(),
        };
        content.max(self.min_height)
    }

    /// The same cell without content: what a finished cell shows on the
    /// following page.
    fn emptied(&self) -> CellBox {
        let content = match &self.content {
            Content::Text(t) => Content::Text(TextBox { lines: t.lines.slice(0, 0), circle: None, ..t.clone() }),
            Content::Rows(_) => Content::Rows(Vec::new()),
            // The boxes stay drawn, empty, so that the grid stays whole.
            Content::Boxes(b) => Content::Boxes(BoxesBox {
                text: TextBox { lines: b.text.lines.slice(0, 0), ..b.text.clone() },
                dividers: b.dividers.clone(),
            }),
        };
        CellBox { content, min_height: 0.0, continued: None, ..self.clone() }
    }

    /// What a repeated cell shows on the following page.
    fn repeated(&self) -> CellBox {
        match &self.continued {
            Some(t) => CellBox { content: Content::Text(t.clone()), ..self.clone() },
            None => self.clone(),
        }
    }

    /// Split this cell at `avail` points from its top: the part on this
    /// page, the part on the next, and whether any content moved onto this
    /// page (a split that moves nothing would loop forever). `page` is the
    /// room a fresh page has (rows that keep together and fit it move whole).
    fn split(&self, avail: f32, page: f32) -> Option<(CellBox, CellBox, bool)> {
        match &self.content {
            Content::Text(t) => self.split_text(t, avail),
            Content::Rows(rows) => self.split_rows(rows, avail, page),
            Content::Boxes(b) => self.split_boxes(b, avail),
        }
    }

    /// Boxes never split: they fit here whole (their height, minimum
    /// included), or the row cannot split here.
    fn split_boxes(&self, b: &BoxesBox, avail: f32) -> Option<(CellBox, CellBox, bool)> {
        if self.natural_height() > avail + EPSILON {
            return None;
        }
        let rest = if self.repeat { self.clone() } else { self.emptied() };
        Some((self.clone(), rest, !b.text.lines.is_empty() && !self.repeat))
    }

    /// Does this cell, on the page a split carried it to, hold anything
    /// new (not a repeated label, not an emptied cell)?
    fn carries_content(&self) -> bool {
        match &self.content {
            Content::Text(t) | Content::Boxes(BoxesBox { text: t, .. }) => !self.repeat && !t.lines.is_empty(),
            Content::Rows(rows) => rows.iter().any(|r| r.carries_content()),
        }
    }

    fn split_text(&self, t: &TextBox, avail: f32) -> Option<(CellBox, CellBox, bool)> {
        let pads = self.padding[0] + self.padding[2];
        let n = t.lines.len();
        if t.height() + pads <= avail + EPSILON {
            // All its lines fit here; only its minimum height carries on.
            let first = CellBox { min_height: self.min_height.min(avail), ..self.clone() };
            let rest = if self.repeat {
                self.repeated()
            } else {
                CellBox { min_height: (self.min_height - avail).max(0.0), ..self.emptied() }
            };
            return Some((first, rest, n > 0 && !self.repeat));
        }
        if !t.splittable {
            return None;
        }
        let mut k = (((avail - pads + EPSILON) / t.pitch).floor().max(0.0) as usize).min(n);
        if n - k < KEEP_TOGETHER {
            k = n.saturating_sub(KEEP_TOGETHER);
        }
        // A heading stays with the line after it.
        while k > 0 && t.lines[k - 1].keep_with_next {
            k -= 1;
        }
        if k < KEEP_TOGETHER {
            return None;
        }
        let first = TextBox { lines: t.lines.slice(0, k), ..t.clone() };
        let rest = TextBox { lines: t.lines.slice(k, n), ..t.clone() };
        Some((
            CellBox { content: Content::Text(first), min_height: 0.0, ..self.clone() },
            CellBox { content: Content::Text(rest), min_height: 0.0, ..self.clone() },
            true,
        ))
    }

    fn split_rows(&self, rows: &[Rc<RowBox>], avail: f32, page: f32) -> Option<(CellBox, CellBox, bool)> {
        let mut first = Vec::new();
        let mut rest = Vec::new();
        let mut y = 0.0;
        for (i, row) in rows.iter().enumerate() {
            let h = row.natural_height();
            if y + h <= avail + EPSILON {
                first.push(row.clone());
                y += h;
                continue;
            }
            match row.split(avail - y, page) {
                Some((a, b)) => {
                    first.push(Rc::new(a));
                    rest.push(Rc::new(b));
                }
                None if first.is_empty() => return None,
                None => rest.push(row.clone()),
            }
            rest.extend(rows[i + 1..].iter().cloned());
            break;
        }
        let progress = !first.is_empty();
        Some((
            CellBox { content: Content::Rows(first), ..self.clone() },
            CellBox { content: Content::Rows(rest), ..self.clone() },
            progress,
        ))
    }

    /// Draw the cell in the rectangle `x, y, w, h`.
    fn draw(&self, x: f32, y: f32, w: f32, h: f32, canvas: &mut Canvas) {
        let [pt, pr, pb, pl] = self.padding;
        let content = Rect { x: x + pl, y: y + pt, w: w - pl - pr, h: h - pt - pb };
        let owner = Owner { layout: self.path.clone(), data: self.source.clone() };
        let rect = Rect { x, y, w, h };
        let frame = canvas.frame(Frame { kind: FrameKind::Cell, rect, content, within: canvas.area, owner });
        if let Some(gray) = self.shade {
            canvas.items.push(Item::Fill { x, y, w, h, gray });
        }
        match &self.content {
            Content::Rows(rows) if !rows.is_empty() => {
                let mut top = y;
                for (i, row) in rows.iter().enumerate() {
                    // The last sub-row takes whatever height the row has left.
                    let rh = if i + 1 == rows.len() { y + h - top } else { row.natural_height() };
                    row.draw(x, top, rh, canvas);
                    top += rh;
                }
            }
            Content::Rows(_) => canvas.rules.add_rect(x, y, w, h, self.edges),
            Content::Text(t) => {
                draw_text(t, content, frame, canvas);
                canvas.rules.add_rect(x, y, w, h, self.edges);
            }
            Content::Boxes(b) => {
                // The glyphs' x are from the cell's left edge (boxes have
                // no side padding: `content` is the cell's width); the
                // rules between boxes run the cell's full height.
                draw_text(&b.text, content, frame, canvas);
                for d in b.dividers.iter() {
                    canvas.rules.add((x + d.x, y), (x + d.x, y + h), d.weight);
                }
                canvas.rules.add_rect(x, y, w, h, self.edges);
            }
        }
    }
}

impl RowBox {
    /// The height the row needs: its tallest cell, or its minimum.
    pub fn natural_height(&self) -> f32 {
        self.cells.iter().map(CellBox::natural_height).fold(self.min_height, f32::max)
    }

    /// Split the row so that the first part fits in `avail` points, or
    /// `None` if it cannot be split there (the row then moves whole to
    /// the next page). `page` is the room on a fresh page: a row that
    /// keeps together is split only when it is taller than that.
    pub fn split(&self, avail: f32, page: f32) -> Option<(RowBox, RowBox)> {
        if !self.splittable || (self.keep && self.natural_height() <= page + EPSILON) {
            return None;
        }
        let mut firsts = Vec::with_capacity(self.cells.len());
        let mut rests = Vec::with_capacity(self.cells.len());
        let mut progress = false;
        for cell in &self.cells {
            let (a, b, moved) = cell.split(avail, page)?;
            firsts.push(a);
            rests.push(b);
            progress |= moved;
        }
        if !progress {
            return None;
        }
        let part = |cells| RowBox { cells, min_height: 0.0, splittable: true, path: self.path.clone(), keep: false };
        Some((part(firsts), part(rests)))
    }

    /// Split the row so that its last lines go to the next page (at least
    /// [`KEEP_TOGETHER`] of the text that ends it; whole sub-rows where
    /// lines cannot be parted), for a note that must not stand alone
    /// there. `None` if nothing with content can move.
    pub fn split_off_end(&self, page: f32) -> Option<(RowBox, RowBox)> {
        // Just short of the whole height: the tallest text keeps all but
        // its last lines, and the keep-together rule sends two of them.
        let (here, next) = self.split(self.natural_height() - 1.0, page)?;
        next.carries_content().then_some((here, next))
    }

    /// Does the row hold anything new on the page a split carried it to?
    fn carries_content(&self) -> bool {
        self.cells.iter().any(CellBox::carries_content)
    }

    /// Draw the row at `x, y` with height `h`.
    pub fn draw(&self, x: f32, y: f32, h: f32, canvas: &mut Canvas) {
        let mut left = x;
        for cell in &self.cells {
            cell.draw(left, y, cell.width, h, canvas);
            left += cell.width;
        }
    }

    /// The cell that makes this row tall (for errors).
    pub fn tallest_cell(&self) -> &CellBox {
        self.cells.iter().max_by(|a, b| a.natural_height().total_cmp(&b.natural_height())).expect("rows have cells")
    }
}

/// Draw set lines in the box `at` (inside the padding), as part of the
/// frame `frame`.
pub fn draw_text(t: &TextBox, at: Rect, frame: usize, canvas: &mut Canvas) {
    let Rect { x, y, w, h } = at;
    let n = t.lines.len();
    if n == 0 {
        return;
    }
    let em_tops: Vec<f32> = match t.stack_gap {
        // Stacked: one character per line, spread over the height, with
        // gaps no larger than the limit, centred.
        Some(max_gap) => {
            let gap = if n > 1 { ((h - n as f32 * t.size) / (n - 1) as f32).clamp(0.0, max_gap) } else { 0.0 };
            let block = n as f32 * t.size + (n - 1) as f32 * gap;
            let top = y + ((h - block) / 2.0).max(0.0);
            (0..n).map(|i| top + i as f32 * (t.size + gap)).collect()
        }
        None => {
            let block = t.height();
            let top = match t.valign {
                VAlign::Top => y,
                VAlign::Middle => y + ((h - block) / 2.0).max(0.0),
                VAlign::Bottom => y + (h - block).max(0.0),
            };
            (0..n).map(|i| top + i as f32 * t.pitch + (t.pitch - t.size) / 2.0).collect()
        }
    };
    for (i, (line, em_top)) in t.lines.iter().zip(em_tops).enumerate() {
        let left = x + match t.align {
            Align::Center | Align::Stack => (w - line.width) / 2.0,
            Align::Right => w - line.width,
            Align::Left | Align::Justify | Align::Distribute => 0.0,
        };
        let baseline = em_top + BASELINE * line.size;
        push_runs(line, left, baseline, frame, canvas);
        if let Some(Circle { from: x0, to: x1, .. }) = t.circle.filter(|c| c.line == i) {
            let center = (left + (x0 + x1) / 2.0, em_top + line.size / 2.0);
            // An ellipse through the corners of a box w × h is √2 times as large;
            // a little less keeps it clear of the text without touching neighbours.
            let (rx, ry) = ((x1 - x0) / 2.0 * 1.15 + 0.45 * line.size, 0.8 * line.size);
            canvas.items.push(Item::Ellipse { center, rx, ry, width: 0.6 });
        }
    }
}

/// A line's glyphs as runs of one face each.
fn push_runs(line: &crate::text::setter::SetLine, left: f32, baseline: f32, frame: usize, canvas: &mut Canvas) {
    for run in line.glyphs.chunk_by(|a, b| a.face == b.face) {
        let glyphs = run
            .iter()
            .map(|g| PlacedGlyph { id: g.id, ch: g.ch, selector: g.selector, x: left + g.x, advance: g.advance })
            .collect::<Vec<_>>();
        if !glyphs.is_empty() {
            canvas.items.push(Item::Text(TextRun { face: run[0].face, size: line.size, baseline, glyphs, frame }));
        }
    }
}
