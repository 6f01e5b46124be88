//! Writing a [`Document`] as PDF. The only module that calls printpdf.
//!
//! - Fonts: each face is subset by [`subset`] (hinting dropped) and handed
//!   to printpdf as a finished font program, so printpdf parses a few
//!   kilobytes instead of megabytes and embeds it as it is. Every glyph
//!   carries the text it shows, so the ToUnicode map is exact.
//! - Text: one `TJ` per run; a glyph that is not where the previous one's
//!   advance would leave it gets an offset in thousandths of an em.
//! - Determinism: fixed font resource names and subset tags derived from
//!   the glyph set, fixed dates, no XMP, and a document ID hashed from the
//!   pages, so the same input always gives the same bytes.

pub mod subset;

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LineCapStyle, LinePoint, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use crate::draw::{Document, Item, Page, TextRun};
use crate::error::{Error, Result};
use crate::font::FaceId;

/// A font ready for the PDF: its printpdf resource id and how the
/// document's glyph ids map into the subset.
struct EmbeddedFont {
    id: FontId,
    new_ids: BTreeMap<u16, u16>,
}

/// Render the document to PDF bytes.
pub fn write(doc: &Document) -> Result<Vec<u8>> {
    let mut pdf = PdfDocument::new(&doc.title);
    fix_metadata(&mut pdf);
    let fonts = embed_fonts(doc, &mut pdf)?;
    pdf.pages = doc
        .pages
        .iter()
        .map(|page| page_ops(page, &fonts))
        .map(|(size, ops)| PdfPage::new(size.0, size.1, ops))
        .collect();
    save(&pdf, &document_id(doc))
}

/// Dates only from input: the document carries none, so fix them.
fn fix_metadata(pdf: &mut PdfDocument) {
    let epoch = printpdf::OffsetDateTime::from_unix_timestamp(0).expect("valid timestamp");
    let info = &mut pdf.metadata.info;
    info.creation_date = epoch;
    info.modification_date = epoch;
    info.metadata_date = epoch;
    info.producer = format!("yoshiki {}", env!("CARGO_PKG_VERSION"));
    info.creator = "yoshiki".to_string();
}

/// Subset and register every face the pages use.
fn embed_fonts(doc: &Document, pdf: &mut PdfDocument) -> Result<BTreeMap<FaceId, EmbeddedFont>> {
    let mut used: BTreeMap<FaceId, (BTreeSet<u16>, BTreeMap<char, u16>)> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                let face = doc.fonts.get(run.face);
                let (glyphs, chars) = used.entry(run.face).or_default();
                for g in &run.glyphs {
                    glyphs.insert(g.id);
                    // Only the font's own mapping goes into the subset cmap
                    // (a vertical form is shown for 、 but 、 maps elsewhere).
                    if face.glyph(g.ch) == Some(g.id) {
                        chars.insert(g.ch, g.id);
                    }
                }
            }
        }
    }
    let mut fonts = BTreeMap::new();
    for (face_id, (glyphs, chars)) in used {
        let face = doc.fonts.get(face_id);
        let tag = subset_tag(&glyphs);
        let name = format!("{tag}+{}", face.pdf_name);
        let pairs: Vec<(char, u16)> = chars.into_iter().collect();
        let sub = subset::subset(face.data, &glyphs, &pairs, &name)
            .map_err(|e| Error::internal(format!("font `{}`: {}", face.name, e.0)))?;
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&sub.bytes, 0, &mut warnings)
            .ok_or_else(|| Error::internal(format!("font `{}`: the subset could not be parsed", face.name)))?;
        parsed.font_name = Some(name);
        let meta = printpdf::PrintpdfFontMeta { requires_subsetting: false, ..Default::default() };
        let id = FontId(format!("F{}", face_id.0 + 1));
        pdf.resources.fonts.map.insert(id.clone(), PdfFont::with_meta(parsed, meta));
        fonts.insert(face_id, EmbeddedFont { id, new_ids: sub.new_ids });
    }
    Ok(fonts)
}

/// Six capital letters identifying a subset (ISO 32000-1 §9.6.4), derived
/// from its glyphs so that the same document always gets the same tag.
fn subset_tag(glyphs: &BTreeSet<u16>) -> String {
    let mut h = Fnv::new(0);
    glyphs.iter().for_each(|g| h.feed(&g.to_be_bytes()));
    let mut v = h.0;
    (0..6)
        .map(|_| {
            let c = (b'A' + (v % 26) as u8) as char;
            v /= 26;
            c
        })
        .collect()
}

/// The drawing operations of one page: fills, then rules and ellipses,
/// then all text in one text object.
fn page_ops(page: &Page, fonts: &BTreeMap<FaceId, EmbeddedFont>) -> ((printpdf::Mm, printpdf::Mm), Vec<Op>) {
    let size = (Pt(page.width).into(), Pt(page.height).into());
    // Rounded to 0.01 pt: finer is invisible and costs bytes.
    let flip = |(x, y): (f32, f32)| Point { x: Pt(round2(x)), y: Pt(round2(page.height - y)) };
    let mut ops = vec![Op::SetLineCapStyle { cap: LineCapStyle::ProjectingSquare }];
    for item in &page.items {
        if let Item::Fill { x, y, w, h, gray } = item {
            ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale::new(*gray, None)) });
            let corner = flip((*x, y + h));
            let rectangle = Rect {
                x: corner.x,
                y: corner.y,
                width: Pt(*w),
                height: Pt(*h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            };
            ops.push(Op::DrawRectangle { rectangle });
        }
    }
    let mut stroke_width = None;
    for item in &page.items {
        let (line, width) = match item {
            Item::Line { from, to, width } => (straight(flip(*from), flip(*to)), *width),
            Item::Ellipse { center, rx, ry, width } => (ellipse(flip(*center), *rx, *ry), *width),
            _ => continue,
        };
        if stroke_width != Some(width) {
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            stroke_width = Some(width);
        }
        ops.push(Op::DrawLine { line });
    }
    let runs: Vec<&TextRun> =
        page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
    if !runs.is_empty() {
        ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale::new(0.0, None)) });
        ops.push(Op::StartTextSection);
        let mut current = None;
        for run in runs {
            let font = &fonts[&run.face];
            if current != Some((run.face, run.size)) {
                ops.push(Op::SetFont { font: PdfFontHandle::External(font.id.clone()), size: Pt(run.size) });
                current = Some((run.face, run.size));
            }
            text_run(&mut ops, run, font, page.height);
        }
        ops.push(Op::EndTextSection);
    }
    (size, ops)
}

/// One run as a text matrix and a `TJ` whose offsets put each glyph at its
/// x. Offsets are whole thousandths of an em (0.01 pt at 10.5 pt); the pen
/// is tracked so rounding never accumulates along the line.
fn text_run(ops: &mut Vec<Op>, run: &TextRun, font: &EmbeddedFont, page_height: f32) {
    let Some(first) = run.glyphs.first() else {
        return;
    };
    let start = round2(first.x);
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(start), Pt(round2(page_height - run.baseline))) });
    let per_mille = 1000.0 / run.size;
    let mut pen = start;
    let mut codepoints = Vec::with_capacity(run.glyphs.len());
    for (i, g) in run.glyphs.iter().enumerate() {
        pen += g.advance;
        let offset = match run.glyphs.get(i + 1) {
            Some(next) => ((pen - next.x) * per_mille).round(),
            None => 0.0,
        };
        pen -= offset / per_mille;
        let gid = font.new_ids.get(&g.id).copied().unwrap_or(0);
        codepoints.push(Codepoint::with_cid(gid, offset, g.ch.to_string()));
    }
    ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(codepoints)] });
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn straight(from: Point, to: Point) -> Line {
    Line { points: vec![LinePoint { p: from, bezier: false }, LinePoint { p: to, bezier: false }], is_closed: false }
}

/// An ellipse as four cubic Béziers.
fn ellipse(c: Point, rx: f32, ry: f32) -> Line {
    const K: f32 = 0.552_284_8;
    let (x, y) = (c.x.0, c.y.0);
    let (kx, ky) = (rx * K, ry * K);
    let p = |px: f32, py: f32, bezier| LinePoint { p: Point { x: Pt(px), y: Pt(py) }, bezier };
    let points = vec![
        p(x + rx, y, false),
        p(x + rx, y + ky, true),
        p(x + kx, y + ry, true),
        p(x, y + ry, false),
        p(x - kx, y + ry, true),
        p(x - rx, y + ky, true),
        p(x - rx, y, false),
        p(x - rx, y - ky, true),
        p(x - kx, y - ry, true),
        p(x, y - ry, false),
        p(x + kx, y - ry, true),
        p(x + rx, y - ky, true),
        p(x + rx, y, false),
    ];
    Line { points, is_closed: true }
}

/// Serialise with a content-derived document ID and compressed streams.
fn save(pdf: &PdfDocument, id: &[u8]) -> Result<Vec<u8>> {
    let opts = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    let id = lopdf::Object::String(id.to_vec(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    if let Ok(info) = lo.trailer.get(b"Info").and_then(|o| o.as_reference()) {
        if let Ok(info) = lo.get_object_mut(info).and_then(|o| o.as_dict_mut()) {
            // printpdf always claims PDF/X; this document makes no such claim.
            for key in ["GTS_PDFXVersion", "Identifier", "Author", "Subject", "Keywords", "Trapped"] {
                info.remove(key.as_bytes());
            }
        }
    }
    lo.compress();
    let mut out = Vec::new();
    lo.save_modern(&mut out).map_err(|e| Error::internal(format!("cannot serialise the PDF: {e}")))?;
    Ok(out)
}

/// A 16-byte ID hashed from everything drawn, so it changes with the
/// content and only with the content.
fn document_id(doc: &Document) -> Vec<u8> {
    let (mut a, mut b) = (Fnv::new(1), Fnv::new(2));
    let mut feed = |bytes: &[u8]| {
        a.feed(bytes);
        b.feed(bytes);
    };
    feed(doc.title.as_bytes());
    for page in &doc.pages {
        feed(&page.width.to_bits().to_le_bytes());
        feed(&page.height.to_bits().to_le_bytes());
        for item in &page.items {
            match item {
                Item::Line { from, to, width } => {
                    [from.0, from.1, to.0, to.1, *width].iter().for_each(|v| feed(&v.to_bits().to_le_bytes()))
                }
                Item::Fill { x, y, w, h, gray } => {
                    [*x, *y, *w, *h, *gray].iter().for_each(|v| feed(&v.to_bits().to_le_bytes()))
                }
                Item::Ellipse { center, rx, ry, width } => {
                    [center.0, center.1, *rx, *ry, *width].iter().for_each(|v| feed(&v.to_bits().to_le_bytes()))
                }
                Item::Text(run) => {
                    feed(&(run.face.0 as u32).to_le_bytes());
                    feed(&run.size.to_bits().to_le_bytes());
                    feed(&run.baseline.to_bits().to_le_bytes());
                    for g in &run.glyphs {
                        feed(&g.id.to_le_bytes());
                        feed(&(g.ch as u32).to_le_bytes());
                        feed(&g.x.to_bits().to_le_bytes());
                    }
                }
            }
        }
    }
    [a.0.to_be_bytes(), b.0.to_be_bytes()].concat()
}

/// FNV-1a, 64 bit: stable across Rust versions (unlike `DefaultHasher`).
struct Fnv(u64);

impl Fnv {
    fn new(seed: u64) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x100_0000_01b3))
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}
