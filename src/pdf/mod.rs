//! Writing a [`Document`] as PDF. The only module that calls printpdf (and
//! lopdf, which printpdf hands its document over in).
//!
//! - Pages: printpdf writes the content streams from our operations.
//! - Fonts: each face is subset by [`subset`] (hinting dropped), and its
//!   Type 0 / CIDFontType2 objects — program, descriptor, widths,
//!   ToUnicode — are written here with lopdf from what the subsetter and
//!   the layout already know; printpdf would parse the font again and
//!   decode every outline to learn the widths. Every glyph carries the
//!   text it shows, so the ToUnicode map is exact.
//! - Text: one `TJ` per run; a glyph that is not where the previous one's
//!   advance would leave it gets an offset in thousandths of an em.
//! - Determinism: fixed font resource names and subset tags derived from
//!   the glyph set, fixed dates, no XMP, and a document ID hashed from the
//!   pages, so the same input always gives the same bytes.

pub mod subset;

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LineCapStyle, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use crate::draw::{Document, Item, Page, TextRun};
use crate::error::{Error, Result};
use crate::font::FaceId;

/// A font ready for the PDF: its resource name, how the document's glyph
/// ids map into the subset, and what its PDF objects need.
struct EmbeddedFont {
    id: FontId,
    new_ids: BTreeMap<u16, u16>,
    /// `TAG+PostScriptName`.
    base_font: String,
    /// The subset font program.
    program: Vec<u8>,
    /// Advance of each subset glyph, in 1/1000 em.
    widths: Vec<i64>,
    /// The text each subset glyph shows (for ToUnicode).
    text: BTreeMap<u16, char>,
}

/// Render the document to PDF bytes.
pub fn write(doc: &Document) -> Result<Vec<u8>> {
    let mut pdf = PdfDocument::new(&doc.title);
    fix_metadata(&mut pdf);
    let fonts = embed_fonts(doc)?;
    pdf.pages = doc
        .pages
        .iter()
        .map(|page| page_ops(page, &fonts))
        .map(|(size, ops)| PdfPage::new(size.0, size.1, ops))
        .collect();
    save(&pdf, &fonts, &document_id(doc))
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

/// The glyphs of one face a document uses: their ids, the characters the
/// font itself maps to them, and the text each shows.
type GlyphUse = (BTreeSet<u16>, BTreeMap<char, u16>, BTreeMap<u16, char>);

/// Subset every face the pages use. The fonts' PDF objects are written by
/// [`add_font_objects`] directly: handing printpdf the subset would make it
/// parse the font again and decode every glyph outline just to learn the
/// widths we already know (a sixth of the time of a sheet).
fn embed_fonts(doc: &Document) -> Result<BTreeMap<FaceId, EmbeddedFont>> {
    let mut used: BTreeMap<FaceId, GlyphUse> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                let face = doc.fonts.get(run.face);
                let (glyphs, chars, shows) = used.entry(run.face).or_default();
                for g in &run.glyphs {
                    glyphs.insert(g.id);
                    shows.entry(g.id).or_insert(g.ch);
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
    for (face_id, (glyphs, chars, shows)) in used {
        let face = doc.fonts.get(face_id);
        let base_font = format!("{}+{}", subset_tag(&glyphs), face.pdf_name);
        let pairs: Vec<(char, u16)> = chars.into_iter().collect();
        let sub = subset::subset(face.data, &glyphs, &pairs, &base_font)
            .map_err(|e| Error::internal(format!("font `{}`: {}", face.name, e.0)))?;
        let mut widths = vec![0; sub.new_ids.len()];
        let mut text = BTreeMap::new();
        for (&old, &new) in &sub.new_ids {
            widths[new as usize] = (face.advance(old) * 1000.0).round() as i64;
            if let Some(&ch) = shows.get(&old) {
                text.insert(new, ch);
            }
        }
        // Not a standard-14 name such as F1, which printpdf would take for Times.
        let id = FontId(format!("YF{}", face_id.0 + 1));
        fonts.insert(face_id, EmbeddedFont { id, new_ids: sub.new_ids, base_font, program: sub.bytes, widths, text });
    }
    Ok(fonts)
}

/// Write a font's Type 0 / CIDFontType2 objects (Identity-H, glyph ids as
/// character codes) and return the Type 0 font's id.
fn add_font_objects(lo: &mut lopdf::Document, font: &EmbeddedFont) -> lopdf::ObjectId {
    use lopdf::{dictionary, Object, Stream};
    let m = subset::metrics(&font.program);
    let file = Stream::new(dictionary! { "Length1" => font.program.len() as i64 }, font.program.clone());
    let file_id = lo.add_object(file);
    let descriptor = lo.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(font.base_font.clone().into_bytes()),
        "Flags" => 4,
        "FontBBox" => m.bbox.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>(),
        "ItalicAngle" => 0,
        "Ascent" => m.ascent,
        "Descent" => m.descent,
        "CapHeight" => m.ascent,
        "StemV" => 80,
        "FontFile2" => file_id,
    });
    let widths: Vec<Object> = font.widths.iter().map(|w| Object::Integer(*w)).collect();
    let cid_font = dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => Object::Name(font.base_font.clone().into_bytes()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "W" => vec![Object::Integer(0), Object::Array(widths)],
        "CIDToGIDMap" => "Identity",
    };
    let to_unicode = lo.add_object(Stream::new(dictionary! {}, to_unicode_cmap(&font.text).into_bytes()));
    lo.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => Object::Name(font.base_font.clone().into_bytes()),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(cid_font)],
        "ToUnicode" => to_unicode,
    })
}

/// The ToUnicode CMap: each glyph id to the character it shows. Subset
/// ids follow the characters' order, so the entries compress well.
fn to_unicode_cmap(text: &BTreeMap<u16, char>) -> String {
    let hex = |c: char| c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("{u:04X}")).collect::<String>();
    let entries: Vec<(u16, char)> = text.iter().map(|(g, c)| (*g, *c)).collect();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, ch) in chunk {
            out.push_str(&format!("<{gid:04X}> <{}>\n", hex(*ch)));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
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
fn save(pdf: &PdfDocument, fonts: &BTreeMap<FaceId, EmbeddedFont>, id: &[u8]) -> Result<Vec<u8>> {
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
    // printpdf gives every page one shared font dictionary: put ours in it.
    let font_dict = shared_font_dict(&lo).ok_or_else(|| Error::internal("the PDF has no page font dictionary"))?;
    for font in fonts.values() {
        let type0 = add_font_objects(&mut lo, font);
        if let Ok(dict) = lo.get_object_mut(font_dict).and_then(|o| o.as_dict_mut()) {
            dict.set(font.id.0.as_bytes().to_vec(), lopdf::Object::Reference(type0));
        }
    }
    lo.compress();
    let mut out = Vec::new();
    lo.save_modern(&mut out).map_err(|e| Error::internal(format!("cannot serialise the PDF: {e}")))?;
    Ok(out)
}

/// The font dictionary object the pages' resources point at.
fn shared_font_dict(lo: &lopdf::Document) -> Option<lopdf::ObjectId> {
    let (_, page) = lo.get_pages().into_iter().next()?;
    let resources = lo.get_object(page).ok()?.as_dict().ok()?.get(b"Resources").ok()?;
    let resources = match resources {
        lopdf::Object::Reference(r) => lo.get_object(*r).ok()?.as_dict().ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    resources.get(b"Font").ok()?.as_reference().ok()
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
