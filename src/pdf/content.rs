//! A page's content stream, written directly as bytes.
//!
//! These are exactly the bytes printpdf 0.12 wrote for the operations we
//! used to hand it (`J`, `g`, `re f`, `w`, `m l c h S`, `BT Tf Tm TJ ET`,
//! lopdf's number format, one operation per line), without building
//! printpdf's and lopdf's operation objects for every glyph: for the plan
//! that was a sixth of all the work of a render. printpdf still writes the
//! document around them (catalog, pages, resources, metadata).

use std::collections::BTreeMap;

use crate::draw::{Item, Page, TextRun};
use crate::font::FaceId;

use super::EmbeddedFont;

/// The content stream of `page`: fills, then rules and ellipses, then all
/// text in one text object.
pub fn page(page: &Page, fonts: &BTreeMap<FaceId, EmbeddedFont>) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(4096 + 64 * page.items.len()) };
    // Rounded to 0.01 pt: finer is invisible and costs bytes.
    let flip = |(x, y): (f32, f32)| (round2(x), round2(page.height - y));
    w.op("2 J"); // projecting square caps
    for item in &page.items {
        if let Item::Fill { x, y, w: width, h, gray } = item {
            w.nums(&[*gray]);
            w.op("g");
            let (cx, cy) = flip((*x, y + h));
            w.nums(&[cx, cy, *width, *h]);
            w.op("re");
            w.op("f");
        }
    }
    let mut stroke_width = None;
    for item in &page.items {
        match item {
            Item::Line { from, to, width } => {
                w.line_width(&mut stroke_width, *width);
                let (a, b) = (flip(*from), flip(*to));
                w.nums(&[a.0, a.1]);
                w.op("m");
                w.nums(&[b.0, b.1]);
                w.op("l");
                w.op("S");
            }
            Item::Ellipse { center, rx, ry, width } => {
                w.line_width(&mut stroke_width, *width);
                w.ellipse(flip(*center), *rx, *ry);
            }
            _ => {}
        }
    }
    let mut runs = page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).peekable();
    if runs.peek().is_some() {
        w.nums(&[0.0]);
        w.op("g");
        w.op("BT");
        let mut current = None;
        for run in runs {
            let font = &fonts[&run.face];
            if current != Some((run.face, run.size)) {
                w.name(&font.id.0);
                w.nums(&[run.size]);
                w.op("Tf");
                current = Some((run.face, run.size));
            }
            w.text_run(run, font, page.height);
        }
        w.op("ET");
    }
    w.finish()
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// An operator; operations are separated by a newline (none at the end).
    fn op(&mut self, operator: &str) {
        self.out.extend_from_slice(operator.as_bytes());
        self.out.push(b'\n');
    }

    /// Operands, each followed by a space.
    fn nums(&mut self, values: &[f32]) {
        for &v in values {
            number(&mut self.out, v);
            self.out.push(b' ');
        }
    }

    fn name(&mut self, name: &str) {
        // Our resource names (`YF1`…) need no `#` escapes.
        self.out.push(b'/');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b' ');
    }

    fn line_width(&mut self, current: &mut Option<f32>, width: f32) {
        if *current != Some(width) {
            self.nums(&[width]);
            self.op("w");
            *current = Some(width);
        }
    }

    /// An ellipse as four cubic Béziers, closed and stroked.
    fn ellipse(&mut self, (x, y): (f32, f32), rx: f32, ry: f32) {
        const K: f32 = 0.552_284_8;
        let (kx, ky) = (rx * K, ry * K);
        self.nums(&[x + rx, y]);
        self.op("m");
        for c in [
            [x + rx, y + ky, x + kx, y + ry, x, y + ry],
            [x - kx, y + ry, x - rx, y + ky, x - rx, y],
            [x - rx, y - ky, x - kx, y - ry, x, y - ry],
            [x + kx, y - ry, x + rx, y - ky, x + rx, y],
        ] {
            self.nums(&c);
            self.op("c");
        }
        self.op("h");
        self.op("S");
    }

    /// One run as a text matrix and a `TJ` whose offsets put each glyph at
    /// its x. Offsets are whole thousandths of an em (0.01 pt at 10.5 pt);
    /// the pen is tracked so rounding never accumulates along the line.
    fn text_run(&mut self, run: &TextRun, font: &EmbeddedFont, page_height: f32) {
        let Some(first) = run.glyphs.first() else {
            return;
        };
        let start = round2(first.x);
        self.nums(&[1.0, 0.0, 0.0, 1.0, start, round2(page_height - run.baseline)]);
        self.op("Tm");
        let per_mille = 1000.0 / run.size;
        let mut pen = start;
        self.out.push(b'[');
        for (i, g) in run.glyphs.iter().enumerate() {
            pen += g.advance;
            let offset = match run.glyphs.get(i + 1) {
                Some(next) => ((pen - next.x) * per_mille).round(),
                None => 0.0,
            };
            pen -= offset / per_mille;
            let gid = font.objects.new_ids.get(usize::from(g.id)).copied().unwrap_or(0);
            hex_gid(&mut self.out, gid);
            if offset != 0.0 {
                self.out.push(b' ');
                number(&mut self.out, offset);
            }
        }
        self.out.extend_from_slice(b"] ");
        self.op("TJ");
    }

    // The last operation has no newline after it.
    fn finish(mut self) -> Vec<u8> {
        if self.out.last() == Some(&b'\n') {
            self.out.pop();
        }
        self.out
    }
}

pub(super) fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn hex_gid(out: &mut Vec<u8>, gid: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'<');
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((gid >> shift) & 0xF)]);
    }
    out.push(b'>');
}

/// `v` as lopdf writes a real: Rust's shortest round-trip `Display` for
/// `f32` (`42.52`, `759.4`, `1`, `-250`). Most of our numbers are whole
/// hundredths (coordinates rounded to 0.01 pt, offsets in whole units); for
/// those, below 65,536 in size, the shortest form is exactly the two-decimal
/// one with trailing zeros dropped, written here without the float
/// formatter. Anything else goes through `Display`.
pub(super) fn number(out: &mut Vec<u8>, v: f32) {
    let hundredths = (v * 100.0).round();
    if v.abs() < 65_536.0 && hundredths / 100.0 == v && !(v == 0.0 && v.is_sign_negative()) {
        let k = hundredths as i64;
        if k < 0 {
            out.push(b'-');
        }
        let k = k.unsigned_abs();
        digits(out, k / 100);
        let frac = k % 100;
        if frac != 0 {
            out.push(b'.');
            out.push(b'0' + (frac / 10) as u8);
            if !frac.is_multiple_of(10) {
                out.push(b'0' + (frac % 10) as u8);
            }
        }
    } else {
        use std::io::Write;
        let _ = write!(out, "{v}");
    }
}

/// The decimal digits of `n`.
pub(super) fn digits(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(v: f32) -> String {
        let mut out = Vec::new();
        number(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    /// The operators and spacing printpdf 0.12 + lopdf wrote for the same
    /// drawing (checked against the bundled PDFs when this writer
    /// replaced them; `scripts/same-content.py` compares whole files).
    #[test]
    fn a_page_as_printpdf_wrote_it() {
        use crate::draw::PlacedGlyph;
        use std::sync::Arc;
        let objects = super::super::FontObjects {
            new_ids: vec![0, 0, 0, 0, 0, 0, 0, 1, 2],
            base_font: "AAAAAA+Test".into(),
            widths: vec![1000, 1000, 500],
            streams: super::super::Later::ready(Err("not needed for the content stream".into())),
        };
        let fonts = BTreeMap::from([(
            FaceId(0),
            EmbeddedFont { id: printpdf::FontId("YF1".into()), objects: Arc::new(objects) },
        )]);
        let glyph = |id, ch, x, advance| PlacedGlyph { id, ch, selector: None, x, advance };
        let page = Page {
            width: 595.0,
            height: 842.0,
            items: vec![
                Item::Line { from: (42.52, 82.6), to: (552.756, 82.6), width: 1.0 },
                Item::Fill { x: 10.0, y: 20.0, w: 30.5, h: 40.25, gray: 0.9 },
                Item::Ellipse { center: (100.0, 200.0), rx: 8.0, ry: 5.0, width: 0.5 },
                Item::Text(TextRun {
                    face: FaceId(0),
                    size: 10.5,
                    baseline: 100.0,
                    glyphs: vec![glyph(7, '様', 50.0, 10.5), glyph(8, 'a', 63.0, 5.25)],
                    frame: 0,
                }),
            ],
            frames: Vec::new(),
        };
        let written = String::from_utf8(super::page(&page, &fonts)).unwrap();
        let expected = "2 J\n0.9 g\n10 781.75 30.5 40.25 re\nf\n1 w\n42.52 759.4 m\n552.76 759.4 l\nS\n\
                        0.5 w\n108 642 m\n108 644.7614 104.41828 647 100 647 c\n\
                        95.58172 647 92 644.7614 92 642 c\n92 639.2386 95.58172 637 100 637 c\n\
                        104.41828 637 108 639.2386 108 642 c\nh\nS\n\
                        0 g\nBT\n/YF1 10.5 Tf\n1 0 0 1 50 742 Tm\n[<0001> -238<0002>] TJ\nET";
        assert_eq!(written, expected);
    }

    #[test]
    fn numbers_are_written_as_lopdf_writes_reals() {
        let mut values = vec![0.0, -0.0, 1.0, 0.5, 42.52, 759.4, -250.0, -4209.0, 0.05, 10.5, 1e-5, 123456.78, 0.1];
        values.extend((-200_000..200_000).step_by(7).map(|k| k as f32 / 100.0));
        values.extend((0..2000).map(|i| (i as f32 * 0.731).sin() * 600.0));
        values.extend((0..2000).map(|i| round2((i as f32 * 0.377).cos() * 840.0)));
        for v in values {
            assert_eq!(shown(v), format!("{v}"), "{v:?}");
        }
    }
}
