//! A small anti-aliased rasteriser for [`draw::Page`](crate::draw::Page)s:
//! the four primitives the layout draws, painted in the order the PDF
//! writer paints them (fills, then rules and ellipses, then text), in
//! grey levels.
//!
//! - **Fills** are axis-aligned rectangles: the coverage of each pixel is
//!   the exact area the rectangle covers.
//! - **Rules** (`Item::Line`, projecting square caps) that are horizontal
//!   or vertical — all the layout draws — are snapped to whole pixels and
//!   are at least one pixel wide, as PDF viewers draw thin rules ("stroke
//!   adjustment"; poppler does the same): a 0.5 pt rule stays a crisp line
//!   at 50 dpi instead of a faint grey smear, and frames close at their
//!   corners. Any other line is filled as the rotated rectangle of its
//!   stroke.
//! - **Ellipses** are the ring between the ellipses half a stroke width
//!   outside and inside the path (at least one pixel wide), as cubic
//!   Béziers.
//! - **Glyphs** are the TrueType outlines of the faces the document uses,
//!   read with `ab_glyph` (ttf-parser), placed at each glyph's x on the
//!   run's baseline at the run's size.
//!
//! Paths and glyphs are filled by `ab_glyph_rasterizer` (exact-area
//! coverage of lines and flattened curves) into a scratch grid the size of
//! the shape, then blended onto the page.

use std::collections::HashMap;

use ab_glyph::{Font, FontRef, GlyphId, Outline, OutlineCurve};
use ab_glyph_rasterizer::{point, Point, Rasterizer};

use crate::draw::{Document, Item, Page, TextRun};

/// A page image: grey levels, 0 black to 255 white, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// Pixels of a page of `width` × `height` points at `dpi`: every pixel the
/// page touches (rounded up, as poppler's `pdftoppm` does).
pub fn pixel_size(width: f32, height: f32, dpi: f32) -> (f64, f64) {
    let scale = f64::from(dpi) / 72.0;
    // A hair below the next whole pixel counts as that pixel: 595.28 pt at
    // 72 dpi is 596 pixels, 612 pt is 612.
    let px = |pt: f32| (f64::from(pt) * scale - 1e-3).ceil().max(1.0);
    (px(width), px(height))
}

/// Draws the pages of one document; keeps the parsed faces and the glyph
/// outlines between pages.
pub(super) struct Painter<'d> {
    doc: &'d Document,
    /// The faces of the document, by [`FaceId`](crate::font::FaceId) index
    /// (`None`: the face could not be read again, its text is not drawn —
    /// it was read once already, to lay the text out).
    faces: Vec<Option<FontRef<'static>>>,
    /// Outlines in font units, per (face, glyph), as they are first drawn.
    outlines: HashMap<(usize, u16), Option<Outline>>,
    /// Scratch coverage grid, reused for every shape.
    grid: Rasterizer,
}

impl<'d> Painter<'d> {
    pub(super) fn new(doc: &'d Document) -> Painter<'d> {
        let faces = doc.fonts.faces().iter().map(|face| FontRef::try_from_slice(face.data).ok()).collect();
        Painter { doc, faces, outlines: HashMap::new(), grid: Rasterizer::new(0, 0) }
    }

    /// Page `index` at `dpi` dots per inch, on white. The caller checks the
    /// pixel budget.
    pub(super) fn page(&mut self, index: usize, dpi: f32) -> Image {
        let page: &Page = &self.doc.pages[index];
        let (w, h) = pixel_size(page.width, page.height, dpi);
        let mut canvas = Canvas { width: w as usize, height: h as usize, px: vec![255; w as usize * h as usize] };
        let scale = dpi / 72.0;
        // The PDF's painting order: fills, then rules and ellipses, then text.
        for item in &page.items {
            if let Item::Fill { x, y, w, h, gray } = item {
                let grey = grey_level(*gray);
                canvas.fill_rect([x * scale, y * scale, (x + w) * scale, (y + h) * scale], grey);
            }
        }
        for item in &page.items {
            match item {
                Item::Line { from, to, width } => {
                    let from = (from.0 * scale, from.1 * scale);
                    let to = (to.0 * scale, to.1 * scale);
                    self.rule(&mut canvas, from, to, width * scale);
                }
                Item::Ellipse { center, rx, ry, width } => {
                    let center = (center.0 * scale, center.1 * scale);
                    self.ellipse(&mut canvas, center, rx * scale, ry * scale, width * scale);
                }
                _ => {}
            }
        }
        for item in &page.items {
            if let Item::Text(run) = item {
                self.text(&mut canvas, run, scale);
            }
        }
        Image { width: w as u32, height: h as u32, pixels: canvas.px }
    }

    /// A straight rule of stroke width `width` (device pixels), square caps.
    fn rule(&mut self, canvas: &mut Canvas, from: (f32, f32), to: (f32, f32), width: f32) {
        let half = width / 2.0;
        if (from.1 - to.1).abs() < 1e-3 {
            let (a, b) = (from.0.min(to.0), from.0.max(to.0));
            let (y0, y1) = snap(from.1 - half, from.1 + half);
            let (x0, x1) = (snap(a - half, a + half).0, snap(b - half, b + half).1);
            canvas.fill_rect([x0, y0, x1, y1], 0);
        } else if (from.0 - to.0).abs() < 1e-3 {
            let (a, b) = (from.1.min(to.1), from.1.max(to.1));
            let (x0, x1) = snap(from.0 - half, from.0 + half);
            let (y0, y1) = (snap(a - half, a + half).0, snap(b - half, b + half).1);
            canvas.fill_rect([x0, y0, x1, y1], 0);
        } else {
            let half = half.max(0.5);
            let (dx, dy) = (to.0 - from.0, to.1 - from.1);
            let len = (dx * dx + dy * dy).sqrt();
            // Along the line and across it, half a stroke each.
            let (ux, uy) = (dx / len * half, dy / len * half);
            let (nx, ny) = (-uy, ux);
            let corners = [
                point(from.0 - ux + nx, from.1 - uy + ny),
                point(to.0 + ux + nx, to.1 + uy + ny),
                point(to.0 + ux - nx, to.1 + uy - ny),
                point(from.0 - ux - nx, from.1 - uy - ny),
            ];
            fill_path(&mut self.grid, canvas, &corners, 0, |grid, o| {
                for i in 0..4 {
                    grid.draw_line(corners[i] - o, corners[(i + 1) % 4] - o);
                }
            });
        }
    }

    /// The outline of an ellipse, stroked `width` wide (device pixels).
    fn ellipse(&mut self, canvas: &mut Canvas, (cx, cy): (f32, f32), rx: f32, ry: f32, width: f32) {
        let half = width.max(1.0) / 2.0;
        let (ox, oy) = (rx + half, ry + half);
        let (ix, iy) = ((rx - half).max(0.0), (ry - half).max(0.0));
        let bounds = [point(cx - ox, cy - oy), point(cx + ox, cy + oy)];
        fill_path(&mut self.grid, canvas, &bounds, 0, |grid, o| {
            let c = point(cx, cy) - o;
            ellipse_path(grid, c, ox, oy, false);
            if ix > 0.0 && iy > 0.0 {
                ellipse_path(grid, c, ix, iy, true);
            }
        });
    }

    /// The glyphs of one run, black, each at its x on the run's baseline.
    fn text(&mut self, canvas: &mut Canvas, run: &TextRun, scale: f32) {
        let Some(Some(font)) = self.faces.get(run.face.0) else { return };
        let units = font.units_per_em().unwrap_or(1000.0);
        // Font units to device pixels.
        let s = run.size * scale / units;
        let baseline = run.baseline * scale;
        for g in &run.glyphs {
            let outline = self.outlines.entry((run.face.0, g.id)).or_insert_with(|| font.outline(GlyphId(g.id)));
            // No outline: a space.
            let Some(outline) = outline else { continue };
            let x = g.x * scale;
            // Font units are y-up, the page y-down.
            let at = |p: &Point| point(x + p.x * s, baseline - p.y * s);
            let extent = [at(&outline.bounds.min), at(&outline.bounds.max)];
            fill_path(&mut self.grid, canvas, &extent, 0, |grid, o| {
                let on_grid = |p: &Point| at(p) - o;
                for curve in &outline.curves {
                    match curve {
                        OutlineCurve::Line(a, b) => grid.draw_line(on_grid(a), on_grid(b)),
                        OutlineCurve::Quad(a, b, c) => grid.draw_quad(on_grid(a), on_grid(b), on_grid(c)),
                        OutlineCurve::Cubic(a, b, c, d) => {
                            grid.draw_cubic(on_grid(a), on_grid(b), on_grid(c), on_grid(d))
                        }
                    }
                }
            });
        }
    }
}

/// Fills, with grey level `grey`, the path `draw` adds to the scratch
/// `grid` (its points relative to the grid's origin, which `draw` is
/// given); `points` span the path's extent.
fn fill_path(
    grid: &mut Rasterizer,
    canvas: &mut Canvas,
    points: &[Point],
    grey: u8,
    draw: impl FnOnce(&mut Rasterizer, Point),
) {
    let (mut lo, mut hi) = (points[0], points[0]);
    for p in points {
        lo = point(lo.x.min(p.x), lo.y.min(p.y));
        hi = point(hi.x.max(p.x), hi.y.max(p.y));
    }
    let (x0, y0) = (lo.x.floor(), lo.y.floor());
    // Nothing of it on the page, or not a number.
    if !(hi.x > 0.0 && hi.y > 0.0 && x0 < canvas.width as f32 && y0 < canvas.height as f32) {
        return;
    }
    // Two columns to spare on the right: the rasteriser accumulates
    // coverage along each row and may write just past a shape's last
    // column.
    let (w, h) = ((hi.x.ceil() - x0) as usize + 2, (hi.y.ceil() - y0) as usize + 1);
    // A shape far larger than the page is not drawn (it cannot come from a
    // layout that fits the pixel budget; it would only cost memory).
    if w.saturating_mul(h) > 4 * canvas.width * canvas.height + 4096 {
        return;
    }
    grid.reset(w, h);
    draw(grid, point(x0, y0));
    let (ox, oy) = (x0 as isize, y0 as isize);
    let (cw, ch) = (canvas.width as isize, canvas.height as isize);
    grid.for_each_pixel(|i, coverage| {
        if coverage <= 0.0 {
            return;
        }
        let (x, y) = (ox + (i % w) as isize, oy + (i / w) as isize);
        if (0..cw).contains(&x) && (0..ch).contains(&y) {
            blend(&mut canvas.px[y as usize * canvas.width + x as usize], coverage, grey);
        }
    });
}

/// Four cubic Béziers around (c, rx, ry); `reverse` runs them the other
/// way (the hole of a ring).
fn ellipse_path(grid: &mut Rasterizer, c: Point, rx: f32, ry: f32, reverse: bool) {
    const K: f32 = 0.552_284_8;
    let (kx, ky) = (rx * K, ry * K);
    let p = |x: f32, y: f32| point(c.x + x, c.y + y);
    let quarters = [
        [p(rx, 0.0), p(rx, ky), p(kx, ry), p(0.0, ry)],
        [p(0.0, ry), p(-kx, ry), p(-rx, ky), p(-rx, 0.0)],
        [p(-rx, 0.0), p(-rx, -ky), p(-kx, -ry), p(0.0, -ry)],
        [p(0.0, -ry), p(kx, -ry), p(rx, -ky), p(rx, 0.0)],
    ];
    for q in quarters {
        if reverse {
            grid.draw_cubic(q[3], q[2], q[1], q[0]);
        } else {
            grid.draw_cubic(q[0], q[1], q[2], q[3]);
        }
    }
}

/// The whole pixels a stroke from `a` to `b` (device pixels) covers: its
/// width rounded to whole pixels (at least one), centred where the stroke
/// is. Every rule of one weight is thus equally thick on the page.
fn snap(a: f32, b: f32) -> (f32, f32) {
    let width = (b - a).round().max(1.0);
    let start = ((a + b - width) / 2.0).round();
    (start, start + width)
}

/// A PDF grey (0 black, 1 white) as a pixel value.
fn grey_level(gray: f32) -> u8 {
    (gray.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// `grey` painted over `px` with `coverage` (1 or more: fully).
#[inline]
fn blend(px: &mut u8, coverage: f32, grey: u8) {
    if coverage >= 1.0 {
        *px = grey;
    } else {
        let p = f32::from(*px);
        *px = (p + (f32::from(grey) - p) * coverage).round() as u8;
    }
}

struct Canvas {
    width: usize,
    height: usize,
    px: Vec<u8>,
}

impl Canvas {
    /// An axis-aligned rectangle `[x0, y0, x1, y1]` (device pixels), each
    /// pixel covered by the area of it inside the rectangle.
    fn fill_rect(&mut self, [x0, y0, x1, y1]: [f32; 4], grey: u8) {
        let (x0, x1) = (x0.min(x1).max(0.0), x1.max(x0).min(self.width as f32));
        let (y0, y1) = (y0.min(y1).max(0.0), y1.max(y0).min(self.height as f32));
        if !(x0 < x1 && y0 < y1) {
            return;
        }
        let span = |lo: f32, hi: f32, i: usize| (hi.min(i as f32 + 1.0) - lo.max(i as f32)).max(0.0);
        for y in y0 as usize..y1.ceil() as usize {
            let cy = span(y0, y1, y);
            let row = &mut self.px[y * self.width..(y + 1) * self.width];
            let first = x0 as usize;
            for (i, px) in row[first..x1.ceil() as usize].iter_mut().enumerate() {
                blend(px, cy * span(x0, x1, first + i), grey);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_sizes_round_up_like_poppler() {
        // A4 at 50 and 96 dpi: pdftoppm's 414 × 585 and 794 × 1123.
        assert_eq!(pixel_size(595.276, 841.89, 50.0), (414.0, 585.0));
        assert_eq!(pixel_size(595.276, 841.89, 96.0), (794.0, 1123.0));
        assert_eq!(pixel_size(612.0, 792.0, 72.0), (612.0, 792.0));
    }

    #[test]
    fn thin_rules_are_whole_pixels() {
        assert_eq!(snap(10.2, 10.6), (10.0, 11.0));
        assert_eq!(snap(10.4, 12.7), (11.0, 13.0));
        // 1.04 pixels wide: one pixel, wherever it lies.
        assert_eq!(snap(959.38, 960.42), (959.0, 960.0));
        assert_eq!(snap(959.48, 960.52), (960.0, 961.0));
        assert_eq!(snap(959.6, 960.64), (960.0, 961.0));
    }

    #[test]
    fn a_circled_choice_is_a_ring_over_its_fill() {
        use crate::draw::{Document, Page};
        use crate::font::FontSet;
        // At 72 dpi a point is a pixel.
        let items = vec![
            Item::Fill { x: 0.0, y: 0.0, w: 20.0, h: 40.0, gray: 0.5 },
            Item::Ellipse { center: (50.0, 20.0), rx: 15.0, ry: 10.0, width: 1.0 },
        ];
        let doc = Document {
            title: String::new(),
            fonts: FontSet::default(),
            pages: vec![Page { width: 80.0, height: 40.0, items, frames: Vec::new() }],
        };
        let image = Painter::new(&doc).page(0, 72.0);
        let at = |x: usize, y: usize| image.pixels[y * image.width as usize + x];
        assert_eq!((image.width, image.height), (80, 40));
        assert_eq!(at(10, 10), 128, "the fill's grey");
        assert_eq!(at(50, 20), 255, "the inside of the ring stays white");
        assert_eq!(at(30, 5), 255, "outside the ring");
        // The ring: leftmost at x = 35, top at y = 10, a pixel wide.
        assert!(at(35, 20) < 140 || at(34, 20) < 140, "{} {}", at(34, 20), at(35, 20));
        assert!(at(50, 10) < 140 || at(50, 9) < 140, "{} {}", at(50, 9), at(50, 10));
    }

    #[test]
    fn a_rectangle_covers_by_area() {
        let mut c = Canvas { width: 4, height: 2, px: vec![255; 8] };
        c.fill_rect([0.5, 0.0, 2.0, 1.0], 0);
        assert_eq!(&c.px[..4], &[128, 0, 255, 255]);
        assert_eq!(&c.px[4..], &[255; 4]);
    }
}
