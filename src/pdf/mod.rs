//! Writing a [`Document`] as PDF. The only module that calls printpdf (and
//! lopdf, which printpdf hands its document over in).
//!
//! - Pages: printpdf writes the document (catalog, pages, resources,
//!   metadata); each page's content stream is written by [`content`] as
//!   bytes, the same bytes printpdf wrote from operations, at a fraction of
//!   the cost.
//! - Fonts: each face is subset by [`subset`] (hinting dropped), and its
//!   Type 0 / CIDFontType2 objects — program, descriptor, widths,
//!   ToUnicode — are written here with lopdf from what the subsetter and
//!   the layout already know; printpdf would parse the font again and
//!   decode every outline to learn the widths. Every glyph carries the
//!   text it shows, so the ToUnicode map is exact. The subset and its
//!   compressed program are cached per process by face and glyph use
//!   ([`FontObjects::for_use`]): a pure function of that key, so a
//!   document's bytes never depend on what was rendered before it.
//! - Text: one `TJ` per run; a glyph that is not where the previous one's
//!   advance would leave it gets an offset in thousandths of an em.
//! - Streams are deflated by [`deflate`] (libdeflate), not by lopdf; for
//!   `render` or `blank` of three pages or more, on a second thread
//!   ([`background`]) while this one assembles the file.
//! - Determinism: fixed font resource names and subset tags derived from
//!   the glyph set, fixed dates, no XMP, and a document ID hashed from the
//!   pages, so the same input always gives the same bytes.

pub mod background;
mod content;
pub mod deflate;
mod file;
pub mod probe;
pub mod subset;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::{FontId, PdfDocument, PdfPage, PdfSaveOptions, Pt};

use self::background::Later;
use crate::draw::{Document, Item};
use crate::error::{Error, Result};
use crate::font::{Face, FaceId};

/// A font ready for the PDF: its resource name in this document and its
/// objects' data (shared by every document with the same glyph use).
struct EmbeddedFont {
    id: FontId,
    objects: Arc<FontObjects>,
}

/// What a face's PDF objects need, for one set of glyphs: a pure function
/// of the face and the [`GlyphUse`].
struct FontObjects {
    /// Document glyph id → glyph id in the subset (0 for none), by index.
    new_ids: Vec<u16>,
    /// `TAG+PostScriptName`.
    base_font: String,
    /// Advance of each subset glyph, in 1/1000 em.
    widths: Vec<i64>,
    /// The font's streams, made by a [`background`] job while the pages
    /// are written (or why the font could not be subset).
    streams: Later<std::result::Result<FontStreams, String>>,
}

/// A subset's font program and ToUnicode map, as stored.
struct FontStreams {
    /// The subset font program (`/Length1` is `program_len`).
    program: Packed,
    program_len: usize,
    metrics: subset::Metrics,
    to_unicode: Packed,
}

/// A stream's content, deflated unless that saved nothing.
struct Packed {
    bytes: Vec<u8>,
    flate: bool,
}

impl Packed {
    fn new(raw: Vec<u8>) -> Packed {
        match deflate::compress(&raw) {
            Some(bytes) => Packed { bytes, flate: true },
            None => Packed { bytes: raw, flate: false },
        }
    }

    fn stream(&self, dict: lopdf::Dictionary) -> lopdf::Stream {
        let mut stream = lopdf::Stream::new(dict, self.bytes.clone());
        if self.flate {
            stream.dict.set("Filter", "FlateDecode");
        }
        stream
    }
}

/// Render the document to PDF bytes.
#[inline(never)] // a step of its own in profiles
pub fn write(doc: &Document) -> Result<Vec<u8>> {
    let lo = document(doc)?;
    Ok(file::save(&lo, &|data| Some(deflate::zlib(data))))
}

/// The document as lopdf objects, every stream compressed.
fn document(doc: &Document) -> Result<lopdf::Document> {
    let mut pdf = PdfDocument::new(&doc.title);
    fix_metadata(&mut pdf);
    if doc.pages.len() >= background::WORTH_PAGES {
        background::start();
    }
    let fonts = embed_fonts(doc)?;
    // printpdf gets empty pages; their content goes in after (`save`).
    pdf.pages =
        doc.pages.iter().map(|page| PdfPage::new(Pt(page.width).into(), Pt(page.height).into(), Vec::new())).collect();
    // Each page's content is deflated by a job of its own (`background`).
    let contents: Vec<Later<Packed>> = doc
        .pages
        .iter()
        .map(|page| {
            let raw = content::page(page, &fonts);
            Later::run(move || Packed::new(raw))
        })
        .collect();
    objects(&pdf, contents, &fonts, &document_id(doc))
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

/// The glyphs of one face a document uses: the text each glyph shows (the
/// first character drawn with it, and its variation selector if one chose
/// the glyph; its keys are the glyph set), and the characters the font
/// itself maps to them.
#[derive(Default, Clone, PartialEq, Eq, Hash)]
struct GlyphUse {
    shows: BTreeMap<u16, Shown>,
    chars: BTreeMap<char, u16>,
}

/// The text a glyph shows: a character and its variation selector, if any.
type Shown = (char, Option<char>);

/// Subset every face the pages use. The fonts' PDF objects are written by
/// [`add_font_objects`] directly: handing printpdf the subset would make it
/// parse the font again and decode every glyph outline just to learn the
/// widths we already know (a sixth of the time of a sheet).
fn embed_fonts(doc: &Document) -> Result<BTreeMap<FaceId, EmbeddedFont>> {
    // Hash maps while the pages are read (a plan year draws 20,000 glyphs
    // of a few hundred kinds); the glyph use is sorted once, at the end.
    let mut used: BTreeMap<FaceId, Collecting> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                let face = doc.fonts.get(run.face);
                let (shows, chars) = used.entry(run.face).or_default();
                for g in &run.glyphs {
                    let (first, _) = *shows.entry(g.id).or_insert((g.ch, g.selector));
                    // Only the font's own mapping goes into the subset cmap
                    // (a vertical form is shown for 、 but 、 maps elsewhere).
                    // Looked up once per glyph, and again only for a glyph
                    // drawn for another character too.
                    if (first != g.ch || !chars.contains_key(&g.ch)) && face.glyph(g.ch) == Some(g.id) {
                        chars.insert(g.ch, g.id);
                    }
                }
            }
        }
    }
    let mut fonts = BTreeMap::new();
    for (face_id, (shows, chars)) in used {
        let glyph_use = GlyphUse { shows: shows.into_iter().collect(), chars: chars.into_iter().collect() };
        let objects = FontObjects::for_use(doc.fonts.get(face_id), glyph_use)?;
        // Not a standard-14 name such as F1, which printpdf would take for Times.
        let id = FontId(format!("YF{}", face_id.0 + 1));
        fonts.insert(face_id, EmbeddedFont { id, objects });
    }
    Ok(fonts)
}

/// A hash map keyed by a glyph id or a character, with a multiplicative
/// hash: probed once per glyph drawn, where ordered maps cost a plan year
/// 1.6 M instructions more. The keys come from the document, and the worst
/// a weak hash can do with them is to be slower.
type SmallMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<SmallKeyHasher>>;

/// A face's glyph use while the pages are read: [`GlyphUse`]'s two maps.
type Collecting = (SmallMap<u16, Shown>, SmallMap<char, u16>);

/// The hasher of [`SmallMap`]: one multiplication per key.
#[derive(Default)]
struct SmallKeyHasher(u64);

impl std::hash::Hasher for SmallKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u32(u32::from(b)));
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u32(u32::from(v));
    }

    fn write_u32(&mut self, v: u32) {
        self.0 = (self.0 ^ u64::from(v)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The process-wide cache of [`FontObjects`] by face and glyph use. An
/// entry is computed once (other threads asking for it meanwhile wait for
/// it); the oldest entries go when it holds more than [`CACHE_BYTES`].
/// Which entries are present changes only the time taken, never a byte.
#[derive(Default)]
struct FontCache {
    entries: HashMap<CacheKey, Arc<OnceLock<Made>>>,
    order: VecDeque<(CacheKey, usize)>,
    bytes: usize,
}

/// A face (by address: faces live for the whole process) and its use.
type CacheKey = (usize, GlyphUse);

/// A cache entry once made: the objects, or why the font could not be
/// subset (the same for every document with this key).
type Made = std::result::Result<Arc<FontObjects>, String>;

/// Enough for the fonts of a few hundred different documents.
const CACHE_BYTES: usize = 32 << 20;

impl FontObjects {
    /// The objects for `face` used as `glyph_use`, from the cache or made.
    fn for_use(face: &'static Face, glyph_use: GlyphUse) -> Result<Arc<FontObjects>> {
        static CACHE: OnceLock<Mutex<FontCache>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key: CacheKey = (std::ptr::from_ref(face) as usize, glyph_use);
        let (cell, fresh) = {
            let mut cache = cache.lock().expect("font cache poisoned");
            match cache.entries.entry(key.clone()) {
                Entry::Occupied(e) => (e.get().clone(), false),
                Entry::Vacant(e) => (e.insert(Default::default()).clone(), true),
            }
        };
        let made = cell.get_or_init(|| FontObjects::new(face, &key.1).map(Arc::new));
        let objects = made.clone().map_err(Error::internal)?;
        if fresh {
            // An estimate, from the glyph count (the streams may still be in
            // the making): a sheet's subset stores about 200 bytes a glyph.
            let size = 256 * objects.widths.len();
            let mut cache = cache.lock().expect("font cache poisoned");
            cache.bytes += size;
            cache.order.push_back((key, size));
            while cache.bytes > CACHE_BYTES && cache.order.len() > 1 {
                let (old, size) = cache.order.pop_front().expect("not empty");
                cache.entries.remove(&old);
                cache.bytes -= size;
            }
        }
        Ok(objects)
    }

    fn new(face: &'static Face, glyph_use: &GlyphUse) -> std::result::Result<FontObjects, String> {
        let base_font = format!("{}+{}", subset_tag(glyph_use.shows.keys().copied()), face.pdf_name);
        let pairs: Vec<(char, u16)> = glyph_use.chars.iter().map(|(c, g)| (*c, *g)).collect();
        let failed = |e: subset::SubsetError| format!("font `{}`: {}", face.name, e.0);
        let keep = subset::plan(face.data, glyph_use.shows.keys().copied(), &pairs).map_err(failed)?;
        let mut new_ids = vec![0; keep.iter().max().map_or(0, |&g| usize::from(g) + 1)];
        let mut widths = vec![0; keep.len()];
        let mut text = BTreeMap::new();
        for (new, &old) in keep.iter().enumerate() {
            new_ids[usize::from(old)] = new as u16;
            widths[new] = (face.advance(old) * 1000.0).round() as i64;
            if let Some(&shown) = glyph_use.shows.get(&old) {
                text.insert(new as u16, shown);
            }
        }
        let name = base_font.clone();
        let streams = Later::run(move || {
            let program = subset::program(face.data, &keep, &pairs, &name).map_err(failed)?;
            Ok(FontStreams {
                metrics: subset::metrics(&program),
                program_len: program.len(),
                program: Packed::new(program),
                to_unicode: Packed::new(to_unicode_cmap(&text).into_bytes()),
            })
        });
        Ok(FontObjects { new_ids, base_font, widths, streams })
    }
}

/// Write a font's Type 0 / CIDFontType2 objects (Identity-H, glyph ids as
/// character codes) and return the Type 0 font's id.
fn add_font_objects(lo: &mut lopdf::Document, font: &FontObjects) -> Result<lopdf::ObjectId> {
    use lopdf::{dictionary, Object};
    let streams = font.streams.get().as_ref().map_err(Error::internal)?;
    let m = &streams.metrics;
    let file = streams.program.stream(dictionary! { "Length1" => streams.program_len as i64 });
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
    let to_unicode = lo.add_object(streams.to_unicode.stream(dictionary! {}));
    Ok(lo.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => Object::Name(font.base_font.clone().into_bytes()),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(cid_font)],
        "ToUnicode" => to_unicode,
    }))
}

/// The ToUnicode CMap: each glyph id to the character it shows (with its
/// variation selector: 葛 + U+E0100 copies as both). Subset ids follow the
/// characters' order, so the entries compress well.
fn to_unicode_cmap(text: &BTreeMap<u16, Shown>) -> String {
    fn hex4(out: &mut String, v: u16) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for shift in [12, 8, 4, 0] {
            out.push(char::from(HEX[usize::from((v >> shift) & 0xF)]));
        }
    }
    let entries: Vec<(u16, Shown)> = text.iter().map(|(g, c)| (*g, *c)).collect();
    let mut out = String::with_capacity(400 + 20 * entries.len());
    out.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        out.push_str(&chunk.len().to_string());
        out.push_str(" beginbfchar\n");
        for &(gid, (ch, selector)) in chunk {
            out.push('<');
            hex4(&mut out, gid);
            out.push_str("> <");
            for c in std::iter::once(ch).chain(selector) {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    hex4(&mut out, *unit);
                }
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Six capital letters identifying a subset (ISO 32000-1 §9.6.4), derived
/// from its glyphs so that the same document always gets the same tag.
fn subset_tag(glyphs: impl Iterator<Item = u16>) -> String {
    let mut h = Fnv::new(0);
    glyphs.for_each(|g| h.feed(&g.to_be_bytes()));
    let mut v = h.0;
    (0..6)
        .map(|_| {
            let c = (b'A' + (v % 26) as u8) as char;
            v /= 26;
            c
        })
        .collect()
}

/// printpdf's objects with the pages' contents, the fonts, a
/// content-derived document ID and compressed streams.
fn objects(
    pdf: &PdfDocument,
    contents: Vec<Later<Packed>>,
    fonts: &BTreeMap<FaceId, EmbeddedFont>,
    id: &[u8],
) -> Result<lopdf::Document> {
    // Not `optimize`: that would deflate with lopdf (zlib, level 9); we
    // deflate below.
    let opts = PdfSaveOptions { optimize: false, subset_fonts: false, secure: true, image_optimization: None };
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
    let pages = lo.get_pages();
    if pages.len() != contents.len() {
        return Err(Error::internal("the PDF has not one page object per page"));
    }
    for (page, content) in pages.into_values().zip(contents) {
        let stream = lo
            .get_object(page)
            .and_then(|o| o.as_dict())
            .and_then(|d| d.get(b"Contents"))
            .and_then(|c| c.as_reference())
            .and_then(|c| lo.get_object_mut(c))
            .and_then(|o| o.as_stream_mut())
            .map_err(|e| Error::internal(format!("a page has no content stream: {e}")))?;
        let content = content.get();
        stream.set_content(content.bytes.clone());
        if content.flate {
            stream.dict.set("Filter", "FlateDecode");
        }
    }
    // Any other stream printpdf wrote (the pages' contents and the font
    // streams come compressed).
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            if stream.dict.get(b"Filter").is_err() {
                if let Some(packed) = deflate::compress(&stream.content) {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(packed);
                }
            }
        }
    }
    // printpdf gives every page one shared font dictionary: put ours in it.
    // Last, so that the font programs are packed while the pages are
    // (`background`); the object numbers are the same in either order.
    let font_dict = shared_font_dict(&lo).ok_or_else(|| Error::internal("the PDF has no page font dictionary"))?;
    for font in fonts.values() {
        let type0 = add_font_objects(&mut lo, &font.objects)?;
        if let Ok(dict) = lo.get_object_mut(font_dict).and_then(|o| o.as_dict_mut()) {
            dict.set(font.id.0.as_bytes().to_vec(), lopdf::Object::Reference(type0));
        }
    }
    Ok(lo)
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
                        if let Some(selector) = g.selector {
                            feed(&(selector as u32).to_le_bytes());
                        }
                        feed(&g.x.to_bits().to_le_bytes());
                    }
                }
            }
        }
    }
    [a.0.to_be_bytes(), b.0.to_be_bytes()].concat()
}

/// FNV-1a, 64 bit: stable across Rust versions (unlike `DefaultHasher`).
/// Also `serve`'s version of a data file ([`crate::serve::save::version`]).
pub(crate) struct Fnv(pub(crate) u64);

impl Fnv {
    /// Seed 0 is plain FNV-1a (its offset basis).
    pub(crate) fn new(seed: u64) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x100_0000_01b3))
    }

    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}
