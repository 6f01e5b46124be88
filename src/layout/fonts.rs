//! The faces a document uses: each face gets its id on first use, and
//! text is set with a face followed by the layout's fallbacks.

use crate::font::{Face, FaceId, FontSet};

/// The layout's fallback chain, and the faces the document has used so
/// far (families were loaded and checked by validation).
pub struct FontBook {
    fallback: Vec<&'static Face>,
    pub used: FontSet,
}

impl FontBook {
    pub fn new(fallback: &[&'static Face]) -> FontBook {
        FontBook { fallback: fallback.to_vec(), used: FontSet::default() }
    }

    /// The faces to set text in `face` with: the face, then the
    /// fallbacks.
    pub fn faces(&mut self, face: &'static Face) -> Vec<(FaceId, &'static Face)> {
        let mut faces = vec![(self.used.id(face), face)];
        for &other in &self.fallback {
            if !std::ptr::eq(other, face) {
                faces.push((self.used.id(other), other));
            }
        }
        faces
    }
}
