//! Fonts: the two bundled families and any TTF a layout declares.
//!
//! A font file is read and parsed once per process and kept for its whole
//! life (batch runs render many documents with the same fonts), so faces
//! hand out `&'static` data. Only metrics come from here (via `ab_glyph`);
//! the PDF writer embeds the subset of the glyphs a document used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use ab_glyph::{Font, FontRef};

/// One parsed font file.
pub struct Face {
    /// The family name layouts use for it (`mincho`, `gothic`, or the name
    /// a layout gave a file under `fonts:`).
    pub name: String,
    /// The PostScript-style name written into the PDF.
    pub pdf_name: String,
    /// The whole TTF file.
    pub data: &'static [u8],
    font: FontRef<'static>,
    /// The same file through ttf-parser: variation sequences and ink
    /// boxes, which ab_glyph does not expose.
    ttf: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Whether each glyph's header box (`xMin`..`yMax` in `glyf`) is known
    /// to contain its outline: true for the bundled fonts, where a test
    /// compares every glyph; a font file from a layout may carry stale
    /// boxes (the format does not enforce them), so its ink is always
    /// measured from the outline.
    header_boxes_hold: bool,
    glyphs: GlyphCache,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish()
    }
}

impl Face {
    /// Parse `data`. `header_boxes_hold`: whether [`Face::ink_bound`] may
    /// trust the glyphs' header boxes (the bundled fonts only).
    fn parse(name: &str, pdf_name: &str, data: &'static [u8], header_boxes_hold: bool) -> Result<Face, String> {
        let font =
            FontRef::try_from_slice(data).map_err(|_| "this is not a font file, or it is damaged".to_string())?;
        if !has_table(data, b"glyf") {
            return Err(
                "this font has CFF outlines (an .otf); yoshiki embeds TrueType-outline fonts (.ttf) only".into()
            );
        }
        let ttf =
            ttf_parser::Face::parse(data, 0).map_err(|_| "this is not a font file, or it is damaged".to_string())?;
        let units_per_em = font.units_per_em().unwrap_or(1000.0);
        Ok(Face {
            name: name.to_string(),
            pdf_name: pdf_name.to_string(),
            data,
            font,
            ttf,
            units_per_em,
            header_boxes_hold,
            glyphs: GlyphCache::new(),
        })
    }

    /// The glyph for `c`, or `None` if the font has none (never `.notdef`).
    pub fn glyph(&self, c: char) -> Option<u16> {
        let id = self.glyphs.get(c).unwrap_or_else(|| {
            let id = self.font.glyph_id(c).0;
            self.glyphs.put(c, id);
            id
        });
        (id != 0).then_some(id)
    }

    /// The glyph of a variation sequence (`base` + `selector`, e.g. 葛 +
    /// U+E0100, an Ideographic Variation Sequence), from the font's cmap
    /// format 14: its own glyph, or the base glyph when the font says that
    /// already is the variant (a default sequence); `None` if the font does
    /// not list the sequence.
    pub fn variant(&self, base: char, selector: char) -> Option<u16> {
        let id = self.ttf.glyph_variation_index(base, selector)?.0;
        (id != 0).then_some(id)
    }

    /// The box a glyph's outline covers, in em from its origin on the
    /// baseline, y up: `[x_min, y_min, x_max, y_max]`; `None` for a glyph
    /// that draws nothing (a space).
    pub fn ink(&self, glyph: u16) -> Option<[f32; 4]> {
        let r = self.ttf.glyph_bounding_box(ttf_parser::GlyphId(glyph))?;
        Some(self.em_box(r))
    }

    /// A box that contains the glyph's ink, in the units of [`Face::ink`],
    /// read from the glyph's header (ten bytes, no outlining): `None` for a
    /// glyph without outline data, or when the face's header boxes are not
    /// known to hold. The geometry check tries it first: a glyph whose
    /// header box lies inside its cell needs no exact ink box.
    pub fn ink_bound(&self, glyph: u16) -> Option<[f32; 4]> {
        if !self.header_boxes_hold {
            return None;
        }
        let r = self.ttf.tables().glyf?.bbox(ttf_parser::GlyphId(glyph))?;
        Some(self.em_box(r))
    }

    fn em_box(&self, r: ttf_parser::Rect) -> [f32; 4] {
        let em = |v: i16| f32::from(v) / self.units_per_em;
        [em(r.x_min), em(r.y_min), em(r.x_max), em(r.y_max)]
    }

    /// Advance width of a glyph, in em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.font.h_advance_unscaled(ab_glyph::GlyphId(glyph)) / self.units_per_em
    }
}

/// The glyphs of characters looked up before. A character map is a
/// binary search over thousands of ranges (about 400 instructions a
/// character in BIZ UD), and a form repeats a few hundred characters —
/// over every shrink step, and in a batch over every document.
///
/// Direct-mapped by the character's low bits; an entry packs the character
/// with its glyph, so a collision only costs a lookup. Atomics rather than
/// a lock: faces are shared by a batch's threads, and an entry is a single
/// word that is either empty or right, so relaxed loads and stores do.
struct GlyphCache(Box<[AtomicU64]>);

impl GlyphCache {
    const SLOTS: usize = 4096;
    /// Marks a filled entry (an empty one is 0).
    const FILLED: u64 = 1 << 63;

    fn new() -> GlyphCache {
        GlyphCache((0..Self::SLOTS).map(|_| AtomicU64::new(0)).collect())
    }

    fn slot(&self, c: char) -> &AtomicU64 {
        &self.0[c as usize % Self::SLOTS]
    }

    fn entry(c: char, glyph: u16) -> u64 {
        Self::FILLED | u64::from(c) << 16 | u64::from(glyph)
    }

    /// The glyph of `c` (0: the font has none), if looked up before.
    fn get(&self, c: char) -> Option<u16> {
        let entry = self.slot(c).load(Ordering::Relaxed);
        let glyph = entry as u16;
        (entry == Self::entry(c, glyph)).then_some(glyph)
    }

    fn put(&self, c: char, glyph: u16) {
        self.slot(c).store(Self::entry(c, glyph), Ordering::Relaxed);
    }
}

/// Does the sfnt file have a table with this tag?
fn has_table(data: &[u8], tag: &[u8; 4]) -> bool {
    let n = data.get(4..6).map(|b| u16::from_be_bytes([b[0], b[1]])).unwrap_or(0) as usize;
    (0..n).any(|i| data.get(12 + 16 * i..16 + 16 * i) == Some(tag.as_slice()))
}

/// The bundled families, compiled into the binary so `yoshiki` works from
/// any directory. A `static`, not a `const`: each use of a `const` may get
/// its own copy of the data, and the binary did carry both fonts twice
/// (10.8 MB).
static BUNDLED: [(&str, &str, &[u8]); 2] = [
    ("mincho", "BIZUDMincho-Regular", include_bytes!("../fonts/BIZUDMincho-Regular.ttf")),
    ("gothic", "BIZUDGothic-Regular", include_bytes!("../fonts/BIZUDGothic-Regular.ttf")),
];

/// Names of the bundled families.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _, _)| *name)
}

/// A bundled family by name, parsed on first use.
pub fn bundled(name: &str) -> Option<&'static Face> {
    static FACES: [OnceLock<Face>; 2] = [OnceLock::new(), OnceLock::new()];
    let i = BUNDLED.iter().position(|(n, _, _)| *n == name)?;
    let (name, pdf_name, data) = BUNDLED[i];
    // Their header boxes are compared with their outlines by a test.
    Some(FACES[i].get_or_init(|| Face::parse(name, pdf_name, data, true).expect("bundled fonts are valid")))
}

/// A font file named by a layout, read and parsed once per process.
pub fn from_file(name: &str, path: &Path) -> Result<&'static Face, String> {
    static FILES: OnceLock<Mutex<HashMap<(String, PathBuf), &'static Face>>> = OnceLock::new();
    let cache = FILES.get_or_init(Default::default);
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path = path.as_path();
    let key = (name.to_string(), path.to_path_buf());
    // Held while reading and parsing, so parallel documents parse a font once.
    let mut cache = cache.lock().expect("font cache poisoned");
    if let Some(face) = cache.get(&key) {
        return Ok(face);
    }
    let data = crate::input::read_font(path)?;
    let data: &'static [u8] = Box::leak(data.into_boxed_slice());
    let pdf_name = path.file_stem().map(|s| s.to_string_lossy().replace(' ', "")).unwrap_or_default();
    let face: &'static Face = Box::leak(Box::new(Face::parse(name, &pdf_name, data, false)?));
    cache.insert(key, face);
    Ok(face)
}

/// The faces one document uses, in the order they were first asked for.
/// Their index is the font id the drawing layer and the PDF writer share.
#[derive(Debug, Default)]
pub struct FontSet {
    faces: Vec<&'static Face>,
}

/// Index of a face in a [`FontSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub usize);

impl FontSet {
    /// The id of `face`, adding it on first use.
    pub fn id(&mut self, face: &'static Face) -> FaceId {
        if let Some(i) = self.faces.iter().position(|f| std::ptr::eq(*f, face)) {
            return FaceId(i);
        }
        self.faces.push(face);
        FaceId(self.faces.len() - 1)
    }

    pub fn get(&self, id: FaceId) -> &'static Face {
        self.faces[id.0]
    }

    pub fn faces(&self) -> &[&'static Face] {
        &self.faces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_have_japanese_glyphs_and_metrics() {
        let mincho = bundled("mincho").unwrap();
        let g = mincho.glyph('様').expect("様 in BIZ UD Mincho");
        assert!((mincho.advance(g) - 1.0).abs() < 1e-3, "kanji are full-width");
        let a = mincho.glyph('a').unwrap();
        assert!(mincho.advance(a) < 0.75, "ASCII is narrower");
        assert!(mincho.glyph('\u{1F642}').is_none());
        assert!(bundled("gothic").unwrap().glyph('様').is_some());
        assert!(bundled("helvetica").is_none());
    }

    #[test]
    fn variation_sequences_come_from_cmap_14() {
        for family in ["mincho", "gothic"] {
            let face = bundled(family).unwrap();
            let plain = face.glyph('葛').unwrap();
            let variant = face.variant('葛', '\u{E0100}').expect("葛 + VS17 in BIZ UD");
            assert_ne!(variant, plain, "{family}: the variant is a glyph of its own");
            assert_eq!(face.variant('あ', '\u{E0100}'), None);
        }
    }

    #[test]
    fn ink_boxes_lie_within_the_em_for_kanji() {
        let face = bundled("mincho").unwrap();
        let [x0, y0, x1, y1] = face.ink(face.glyph('様').unwrap()).unwrap();
        assert!(0.0 < x0 && x0 < x1 && x1 < 1.0 && -0.12 <= y0 && y0 < y1 && y1 <= 0.88, "{x0} {y0} {x1} {y1}");
        assert_eq!(face.ink(face.glyph(' ').unwrap()), None, "a space draws nothing");
    }

    /// What lets the geometry check trust the bundled fonts' header boxes
    /// ([`Face::ink_bound`]): for every glyph, the header box contains the
    /// box of its outline.
    #[test]
    fn bundled_header_boxes_contain_every_outline() {
        for family in ["mincho", "gothic"] {
            let face = bundled(family).unwrap();
            let mut outlined = 0;
            for glyph in 0..face.ttf.number_of_glyphs() {
                let Some([x0, y0, x1, y1]) = face.ink(glyph) else { continue };
                let [bx0, by0, bx1, by1] = face.ink_bound(glyph).expect("a glyph with ink has a header box");
                assert!(bx0 <= x0 && by0 <= y0 && x1 <= bx1 && y1 <= by1, "{family}: glyph {glyph}");
                outlined += 1;
            }
            assert!(outlined > 10_000, "{family}: only {outlined} glyphs outlined");
        }
    }

    #[test]
    fn the_glyph_cache_answers_as_the_character_map_does() {
        let face = bundled("gothic").unwrap();
        // Twice each: the second answer comes from the cache. '一' and
        // U+5E00 share a slot, so each evicts the other.
        for c in ['様', '式', 'a', '\u{1F642}', '一', '\u{5E00}', '一', '\u{10FFFF}'].into_iter().cycle().take(16) {
            let id = face.font.glyph_id(c).0;
            assert_eq!(face.glyph(c), (id != 0).then_some(id), "{c:?}");
        }
    }
}
