//! Editing sessions and their previews: one session per opened edit page
//! (which file, which layout, its outline), each keeping the PDFs of its
//! last few previews and their page images, rasterised on demand.
//!
//! Nothing here writes a file: a preview renders the data from memory
//! (`Form::from_text`), and only the latest [`KEPT`] renderings of the
//! latest [`MAX_SESSIONS`] sessions are held, so memory does not grow with
//! the number of edits.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};
use serde_json::Value as Json;

use crate::outline::{self, Outline};
use crate::template::{self, Head};

/// Sessions kept (the oldest is dropped beyond this).
pub const MAX_SESSIONS: usize = 32;
/// Renderings kept per session: the latest, and two the browser may still
/// be loading images of.
const KEPT: usize = 3;
/// Resolution of preview images.
pub const PREVIEW_DPI: f32 = 96.0;

/// One edit page's file and form.
pub struct Session {
    /// The data file, relative to the project (`data/x/y.yaml`).
    pub file: String,
    /// The data file's path (under the project root).
    pub path: PathBuf,
    /// The layout file, relative to the project.
    pub layout_file: String,
    /// The file's head: its comments and `layout:` as written.
    pub head: Head,
    pub outline: Arc<Outline>,
    /// Not on disk yet.
    pub is_new: bool,
    renderings: VecDeque<Rendering>,
    next: u64,
}

/// One preview: the PDF and its page images as they are made.
struct Rendering {
    number: u64,
    pdf: Arc<Vec<u8>>,
    images: Vec<Option<Arc<Vec<u8>>>>,
    /// The file name offered for download.
    name: String,
}

impl Session {
    pub fn new(
        file: String,
        path: PathBuf,
        layout_file: String,
        head: Head,
        outline: Outline,
        is_new: bool,
    ) -> Session {
        Session {
            file,
            path,
            layout_file,
            head,
            outline: Arc::new(outline),
            is_new,
            renderings: VecDeque::new(),
            next: 1,
        }
    }

    /// The data file text for `fields`, as it would be saved.
    pub fn text(&self, fields: &Json) -> String {
        template::data_file(&self.outline, &self.head, fields)
    }
}

/// The open sessions, by id.
#[derive(Default)]
pub struct Sessions {
    map: HashMap<String, Session>,
    order: VecDeque<String>,
}

impl Sessions {
    /// Add a session; returns its id.
    pub fn open(&mut self, session: Session) -> String {
        let id = super::safety::random_token()[..16].to_string();
        self.map.insert(id.clone(), session);
        self.order.push_back(id.clone());
        while self.order.len() > MAX_SESSIONS {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
        id
    }

    pub fn get(&self, id: &str) -> Option<&Session> {
        self.map.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.map.get_mut(id)
    }
}

/// What a preview reports to the page.
pub struct Preview {
    pub number: u64,
    pub checked: outline::Checked,
}

/// Render `fields` of the session `id` (outside the lock: rendering takes
/// milliseconds and other requests go on meanwhile), keep the PDF, and
/// report. `None` if there is no such session.
pub fn preview(sessions: &Mutex<Sessions>, id: &str, fields: &Json, year: Option<&str>) -> Option<Preview> {
    let (path, outline, head, stem) = {
        let guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
        let s = guard.get(id)?;
        let stem = s.path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        (s.path.clone(), s.outline.clone(), s.head.clone(), stem)
    };
    let mut tree = fields.clone();
    let text = template::data_file(&outline, &head, &tree);
    let checked = outline::check(&path, text, year, |field| {
        clear(&mut tree, field).then(|| template::data_file(&outline, &head, &tree))
    });
    let mut guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
    let session = guard.get_mut(id)?;
    let number = session.next;
    session.next += 1;
    if let Some(pdf) = &checked.pdf {
        let name = match year.filter(|_| !checked.years.is_empty()) {
            Some(y) => format!("{stem}-{y}.pdf"),
            None => format!("{stem}.pdf"),
        };
        session.renderings.push_back(Rendering {
            number,
            pdf: Arc::new(pdf.clone()),
            images: vec![None; checked.pages],
            name,
        });
        while session.renderings.len() > KEPT {
            session.renderings.pop_front();
        }
    }
    Some(Preview { number, checked })
}

/// The PDF of a session's rendering, and its file name.
pub fn pdf(sessions: &Mutex<Sessions>, id: &str, number: u64) -> Option<(Arc<Vec<u8>>, String)> {
    let guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
    let r = guard.get(id)?.renderings.iter().find(|r| r.number == number)?;
    Some((r.pdf.clone(), r.name.clone()))
}

/// Page `page` (from 1) of a rendering as a PNG, rasterised once.
pub fn image(sessions: &Mutex<Sessions>, id: &str, number: u64, page: usize) -> Option<Arc<Vec<u8>>> {
    let pdf = {
        let guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
        let r = guard.get(id)?.renderings.iter().find(|r| r.number == number)?;
        if let Some(Some(png)) = r.images.get(page.checked_sub(1)?) {
            return Some(png.clone());
        }
        if page > r.images.len() {
            return None;
        }
        r.pdf.clone()
    };
    let png = Arc::new(rasterise(&pdf, page - 1, PREVIEW_DPI)?);
    let mut guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = guard.get_mut(id).and_then(|s| s.renderings.iter_mut().find(|r| r.number == number)) {
        r.images[page - 1] = Some(png.clone());
    }
    Some(png)
}

/// One page of a PDF as a PNG (hayro, as `preview::png_pages` draws every
/// page: one page at a time lets the browser show the first page while
/// the others are drawn).
fn rasterise(pdf: &[u8], index: usize, dpi: f32) -> Option<Vec<u8>> {
    let pdf = Pdf::new(pdf.to_vec()).ok()?;
    let page = pdf.pages().get(index)?;
    let scale = dpi / 72.0;
    let settings = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    let pixmap =
        render(page, &RenderCache::new(), &InterpreterSettings::default(), &RenderSettings::default(), &settings);
    encode(pixmap.width() as u32, pixmap.height() as u32, pixmap.data_as_u8_slice())
}

/// An opaque page (RGBA, white behind) as a PNG made for speed, not size:
/// grey when every pixel is (forms are black on white), else RGB, with
/// the fastest good deflate (`fdeflate`). Encoding this way takes a
/// fraction of the time of `Pixmap::into_png`'s balanced compression,
/// which cost as much as drawing the page; the bytes only cross loopback.
fn encode(width: u32, height: u32, rgba: &[u8]) -> Option<Vec<u8>> {
    let grey = rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]);
    let (color, pixels): (png::ColorType, Vec<u8>) = if grey {
        (png::ColorType::Grayscale, rgba.chunks_exact(4).map(|p| p[0]).collect())
    } else {
        (png::ColorType::Rgb, rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect())
    };
    let mut out = Vec::with_capacity(pixels.len() / 4);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
}

/// Set the value at the data path `fields.a[0].b` of `tree` (which holds
/// what is under `fields`) to null; `false` if there is no such value.
pub fn clear(tree: &mut Json, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("fields.") else { return false };
    let mut at = tree;
    let steps: Vec<&str> = rest.split('.').collect();
    for (i, step) in steps.iter().enumerate() {
        let (name, indices) = match step.find('[') {
            Some(b) => (&step[..b], &step[b..]),
            None => (*step, ""),
        };
        let Some(next) = at.get_mut(name) else { return false };
        at = next;
        for index in indices.split(']').filter(|s| !s.is_empty()) {
            let Some(n) = index.strip_prefix('[').and_then(|n| n.parse::<usize>().ok()) else { return false };
            let Some(next) = at.get_mut(n) else { return false };
            at = next;
        }
        if i == steps.len() - 1 {
            if at.is_null() {
                return false;
            }
            *at = Json::Null;
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_a_value_by_its_data_path() {
        let mut t = serde_json::json!({ "a": "x", "l": [{ "b": "y" }, { "b": "z", "s": ["1", "2"] }] });
        assert!(clear(&mut t, "fields.l[1].b"));
        assert_eq!(t["l"][1]["b"], Json::Null);
        assert!(clear(&mut t, "fields.l[1].s"));
        assert!(clear(&mut t, "fields.a"));
        assert!(!clear(&mut t, "fields.a"), "already blank");
        assert!(!clear(&mut t, "fields.l[5].b"));
        assert!(!clear(&mut t, "layout"));
    }
}
