//! The font families a layout may name, and the faces a document uses.

use std::collections::BTreeMap;

use crate::error::{nearest, Result};
use crate::font::{self, Face, FaceId, FontSet};
use crate::model::layout::Layout;
use crate::source::Source;

/// The families of one layout (bundled ones and those under `fonts:`),
/// its fallback chain, and the faces the document has used so far.
pub struct FontBook {
    families: BTreeMap<String, &'static Face>,
    fallback: Vec<&'static Face>,
    pub used: FontSet,
}

impl FontBook {
    /// Load the layout's font files and check every family it names.
    pub fn for_layout(layout: &Layout, src: &Source) -> Result<FontBook> {
        let mut families: BTreeMap<String, &'static Face> =
            font::bundled_names().map(|n| (n.to_string(), font::bundled(n).expect("bundled"))).collect();
        let dir = src.path.parent().unwrap_or(std::path::Path::new("."));
        for (name, file) in &layout.fonts {
            let face = font::from_file(name, &dir.join(file)).map_err(|e| {
                let err = src.error_at(&format!("fonts.{name}"), e.clone());
                if e.starts_with("cannot read font file") {
                    err.with_help(format!("font files are found relative to the layout file, in {}", dir.display()))
                } else {
                    err.with_help("use a TrueType font file (.ttf)")
                }
            })?;
            families.insert(name.clone(), face);
        }
        let book = FontBook { families, fallback: Vec::new(), used: FontSet::default() };
        book.check(&layout.font, "font", src)?;
        let mut fallback = Vec::new();
        for (i, name) in layout.fallback.iter().enumerate() {
            fallback.push(book.check(name, &format!("fallback[{i}]"), src)?);
        }
        for (path, cell) in crate::validate::cells(layout) {
            if let Some(name) = &cell.font {
                book.check(name, &format!("{path}.font"), src)?;
            }
        }
        for (kind, cell) in &layout.defaults {
            if let Some(name) = &cell.font {
                book.check(name, &format!("defaults.{kind}.font"), src)?;
            }
        }
        book.check_blocks(&layout.body, "body", src)?;
        if let Some(name) = layout.footer.as_ref().and_then(|f| f.font.as_ref()) {
            book.check(name, "footer.font", src)?;
        }
        Ok(FontBook { fallback, ..book })
    }

    /// The families named by blocks, in groups too.
    fn check_blocks(&self, blocks: &[crate::model::layout::Block], path: &str, src: &Source) -> Result<()> {
        for (b, block) in blocks.iter().enumerate() {
            if let Some(name) = &block.font {
                self.check(name, &format!("{path}[{b}].font"), src)?;
            }
            if let Some(children) = &block.blocks {
                self.check_blocks(children, &format!("{path}[{b}].blocks"), src)?;
            }
        }
        Ok(())
    }

    /// The face of a family, or an error at `path` naming the families there are.
    fn check(&self, name: &str, path: &str, src: &Source) -> Result<&'static Face> {
        self.families.get(name).copied().ok_or_else(|| {
            let known: Vec<&str> = self.families.keys().map(String::as_str).collect();
            let help = match nearest(name, known.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the families are {}; add others under `fonts:` (name: file.ttf)", known.join(", ")),
            };
            src.error_at(path, format!("unknown font family `{name}`")).with_help(help)
        })
    }

    /// The faces to set text of `family` with: the family, then the
    /// fallbacks. Families were checked when the book was made.
    pub fn faces(&mut self, family: &str) -> Vec<(FaceId, &'static Face)> {
        let first = self.families.get(family).copied().unwrap_or_else(|| font::bundled("mincho").expect("bundled"));
        let mut faces = vec![(self.used.id(first), first)];
        for &face in &self.fallback {
            if !std::ptr::eq(face, first) {
                faces.push((self.used.id(face), face));
            }
        }
        faces
    }
}
