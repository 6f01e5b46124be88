//! The font families a layout may name, and the faces a document uses.

use std::collections::BTreeMap;

use crate::error::{suggestion, Error, Result};
use crate::font::{self, Face, FaceId, FontSet};
use crate::model::layout::Layout;
use crate::path::YamlPath;

/// The families of one layout (bundled ones and those under `fonts:`),
/// its fallback chain, and the faces the document has used so far.
pub struct FontBook {
    families: BTreeMap<String, &'static Face>,
    fallback: Vec<&'static Face>,
    pub used: FontSet,
}

impl FontBook {
    /// Load the layout's font files and check every family it names.
    pub fn for_layout(layout: &Layout, dir: &std::path::Path) -> Result<FontBook> {
        let root = YamlPath::root();
        let mut families: BTreeMap<String, &'static Face> =
            font::bundled_names().map(|n| (n.to_string(), font::bundled(n).expect("bundled"))).collect();
        for (name, file) in &layout.fonts {
            let face = font::from_file(name, &dir.join(file)).map_err(|e| {
                let err = Error::in_layout(&root.key("fonts").key(name.clone()), e.clone());
                if e.starts_with("cannot read font file") {
                    err.with_help(format!("font files are found relative to the layout file, in {}", dir.display()))
                } else {
                    err.with_help("use a TrueType font file (.ttf)")
                }
            })?;
            families.insert(name.clone(), face);
        }
        let book = FontBook { families, fallback: Vec::new(), used: FontSet::default() };
        book.check(&layout.font, &root.key("font"))?;
        let mut fallback = Vec::new();
        for (i, name) in layout.fallback.iter().enumerate() {
            fallback.push(book.check(name, &root.key("fallback").index(i))?);
        }
        for (path, cell) in crate::validate::cells(layout) {
            if let Some(name) = &cell.font {
                book.check(name, &path.key("font"))?;
            }
        }
        for (kind, cell) in &layout.defaults {
            if let Some(name) = &cell.font {
                book.check(name, &root.key("defaults").key(kind.clone()).key("font"))?;
            }
        }
        book.check_blocks(&layout.body, &root.key("body"))?;
        if let Some(name) = layout.footer.as_ref().and_then(|f| f.font.as_ref()) {
            book.check(name, &root.key("footer").key("font"))?;
        }
        Ok(FontBook { fallback, ..book })
    }

    /// The families named by blocks, in groups too.
    fn check_blocks(&self, blocks: &[crate::model::layout::Block], path: &YamlPath) -> Result<()> {
        for (b, block) in blocks.iter().enumerate() {
            if let Some(name) = &block.font {
                self.check(name, &path.index(b).key("font"))?;
            }
            if let Some(children) = &block.blocks {
                self.check_blocks(children, &path.index(b).key("blocks"))?;
            }
        }
        Ok(())
    }

    /// The face of a family, or an error at `path` naming the families there are.
    fn check(&self, name: &str, path: &YamlPath) -> Result<&'static Face> {
        self.families.get(name).copied().ok_or_else(|| {
            let known: Vec<&str> = self.families.keys().map(String::as_str).collect();
            let help = suggestion(name, known.iter().copied(), || {
                format!("the families are {}; add others under `fonts:` (name: file.ttf)", known.join(", "))
            });
            Error::in_layout(path, format!("unknown font family `{name}`")).with_help(help)
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
