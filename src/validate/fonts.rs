//! The font families a layout may name: the bundled ones and those under
//! `fonts:`, loaded once; a family named anywhere must be one of them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{suggestion, Error, Result};
use crate::font::{self, Face};
use crate::model::layout::Layout;
use crate::path::YamlPath;

/// The families of one layout, by name.
pub struct Families {
    by_name: BTreeMap<String, &'static Face>,
}

impl Families {
    /// The bundled families and the layout's `fonts:`, read relative to
    /// `dir` (the layout's folder).
    pub fn load(layout: &Layout, dir: &Path) -> Result<Families> {
        let mut by_name: BTreeMap<String, &'static Face> =
            font::bundled_names().map(|n| (n.to_string(), font::bundled(n).expect("bundled"))).collect();
        for (name, file) in &layout.fonts {
            let face = font::from_file(name, &dir.join(file)).map_err(|e| {
                let err = Error::in_layout(&YamlPath::root().key("fonts").key(name.clone()), e.clone());
                if e.starts_with("cannot read font file") {
                    err.with_help(format!("font files are found relative to the layout file, in {}", dir.display()))
                } else {
                    err.with_help("use a TrueType font file (.ttf)")
                }
            })?;
            by_name.insert(name.clone(), face);
        }
        Ok(Families { by_name })
    }

    /// The face of family `name`, named at `path`, or an error there
    /// naming the families there are.
    pub fn get(&self, name: &str, path: &YamlPath) -> Result<&'static Face> {
        self.face(name).ok_or_else(|| {
            let known: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
            let help = suggestion(name, known.iter().copied(), || {
                format!("the families are {}; add others under `fonts:` (name: file.ttf)", known.join(", "))
            });
            Error::in_layout(path, format!("unknown font family `{name}`")).with_help(help)
        })
    }

    /// The face of family `name`, if there is one.
    pub fn face(&self, name: &str) -> Option<&'static Face> {
        self.by_name.get(name).copied()
    }
}
