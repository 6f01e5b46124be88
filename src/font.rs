//! Fonts: the two bundled families and any TTF a layout declares.
//!
//! A font file is read and parsed once per process and kept for its whole
//! life (batch runs render many documents with the same fonts), so faces
//! hand out `&'static` data. Only metrics come from here (via `ab_glyph`);
//! the PDF writer embeds the subset of the glyphs a document used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish()
    }
}

impl Face {
    fn parse(name: &str, pdf_name: &str, data: &'static [u8]) -> Result<Face, String> {
        let font =
            FontRef::try_from_slice(data).map_err(|_| "this is not a font file, or it is damaged".to_string())?;
        if !has_table(data, b"glyf") {
            return Err(
                "this font has CFF outlines (an .otf); yoshiki embeds TrueType-outline fonts (.ttf) only".into()
            );
        }
        let units_per_em = font.units_per_em().unwrap_or(1000.0);
        Ok(Face { name: name.to_string(), pdf_name: pdf_name.to_string(), data, font, units_per_em })
    }

    /// The glyph for `c`, or `None` if the font has none (never `.notdef`).
    pub fn glyph(&self, c: char) -> Option<u16> {
        let id = self.font.glyph_id(c).0;
        (id != 0).then_some(id)
    }

    /// Advance width of a glyph, in em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.font.h_advance_unscaled(ab_glyph::GlyphId(glyph)) / self.units_per_em
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
    Some(FACES[i].get_or_init(|| Face::parse(name, pdf_name, data).expect("bundled fonts are valid")))
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
    let face: &'static Face = Box::leak(Box::new(Face::parse(name, &pdf_name, data)?));
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
}
