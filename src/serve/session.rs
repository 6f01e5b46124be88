//! Editing sessions and their previews: one session per opened edit page
//! (which file, which layout, its outline), each keeping the sheets of its
//! last few previews and their page images, rasterised on demand.
//!
//! Nothing here writes a file: a preview renders the data from memory
//! (`Form::from_text`), and only the latest [`KEPT`] renderings of the
//! latest [`MAX_SESSIONS`] sessions are held, so memory does not grow with
//! the number of edits.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value as Json;

use crate::layouts::Layouts;
use crate::outline::{self, Outline, Sheet};
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

/// The page images of one rendering, as PNGs (`None`: they could not be
/// drawn).
type Images = Option<Vec<Vec<u8>>>;

/// One preview: the rendered form and its page images, drawn once, on
/// the first request for any of them (the browser asks for every page at
/// once; the later requests wait for the first's drawing, not redo it).
struct Rendering {
    number: u64,
    sheet: Arc<Sheet>,
    pages: usize,
    images: Arc<OnceLock<Images>>,
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

/// What a preview reports to the page (the rendered sheet itself is kept
/// in the session).
pub struct Preview {
    /// The rendering's number, if the form could be rendered.
    pub rendering: Option<u64>,
    pub pages: usize,
    pub checked: outline::Checked,
}

/// Render `fields` of the session `id` (outside the lock: rendering takes
/// milliseconds and other requests go on meanwhile), keep the sheet, and
/// report. `None` if there is no such session.
pub fn preview(
    sessions: &Mutex<Sessions>,
    layouts: &Layouts,
    id: &str,
    fields: &Json,
    year: Option<&str>,
) -> Option<Preview> {
    let (path, outline, head, stem) = {
        let guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
        let s = guard.get(id)?;
        let stem = s.path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        (s.path.clone(), s.outline.clone(), s.head.clone(), stem)
    };
    let mut tree = fields.clone();
    let text = template::data_file(&outline, &head, &tree);
    let mut checked = outline::check(&path, text, layouts, year, |field| {
        clear(&mut tree, field).then(|| template::data_file(&outline, &head, &tree))
    });
    let pages = checked.pages();
    let mut guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
    let session = guard.get_mut(id)?;
    let number = session.next;
    session.next += 1;
    let sheet = checked.sheet.take();
    let rendering = sheet.as_ref().map(|_| number);
    if let Some(sheet) = sheet {
        let name = match year.filter(|_| !checked.years.is_empty()) {
            Some(y) => format!("{stem}-{y}.pdf"),
            None => format!("{stem}.pdf"),
        };
        session.renderings.push_back(Rendering { number, sheet: Arc::new(sheet), pages, images: Arc::default(), name });
        while session.renderings.len() > KEPT {
            session.renderings.pop_front();
        }
    }
    Some(Preview { rendering, pages, checked })
}

/// The rendered sheet (its PDF) of a session's rendering, and its file
/// name.
pub fn pdf(sessions: &Mutex<Sessions>, id: &str, number: u64) -> Option<(Arc<Sheet>, String)> {
    let guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
    let r = guard.get(id)?.renderings.iter().find(|r| r.number == number)?;
    Some((r.sheet.clone(), r.name.clone()))
}

/// Page `page` (from 1) of a rendering as a PNG. The pages are drawn
/// outside the sessions' lock (other requests go on meanwhile), once per
/// rendering.
pub fn image(sessions: &Mutex<Sessions>, id: &str, number: u64, page: usize) -> Option<Vec<u8>> {
    let (sheet, images) = {
        let guard = sessions.lock().unwrap_or_else(|e| e.into_inner());
        let r = guard.get(id)?.renderings.iter().find(|r| r.number == number)?;
        if page == 0 || page > r.pages {
            return None;
        }
        (r.sheet.clone(), r.images.clone())
    };
    let pngs = images.get_or_init(|| rasterise(&sheet)).as_ref()?;
    pngs.get(page - 1).cloned()
}

/// Every page of a rendered sheet as a PNG at [`PREVIEW_DPI`].
///
/// The one place serve rasterises, through [`crate::preview`] as
/// `--png` does: from the laid-out pages the sheet's PDF was written
/// from, not from the PDF.
fn rasterise(sheet: &Sheet) -> Option<Vec<Vec<u8>>> {
    crate::preview::png_pages(&sheet.document, PREVIEW_DPI).ok()
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
