//! Which request does what. Every request passes the [`Guard`] first;
//! every path in a request goes through [`Project`]; a request the
//! routes do not know is a 404, a wrong method a 405.
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | home: data files and forms |
//! | `GET /edit?file=data/…yaml` | the edit page of a data file |
//! | `GET /new?layout=layouts/….yaml&name=N` | the edit page of a new sheet `data/LAYOUT/N.yaml` |
//! | `GET /blank?layout=layouts/….yaml` | the blank form (PDF) |
//! | `POST /api/preview` | render the page's values: messages, printed forms, a rendering number |
//! | `GET /s/SESSION/N/P.png`, `/s/SESSION/N.pdf` | page P of rendering N, its PDF |
//! | `POST /api/save` | save the page's values (409 with both versions if the file changed) |

use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Value as Json};

use super::assets;
use super::http::{percent_encode, Request, Response};
use super::pages::{self, DataEntry, EditPage, LayoutEntry};
use super::safety::{Guard, Project, Refusal};
use super::save::{self, Saved, ABSENT};
use super::session::{self, Session, Sessions};
use crate::layouts::Layouts;
use crate::outline::{self, Outline};
use crate::render::{is_layout, Form};
use crate::template::Head;

/// What every request may use.
pub struct State {
    pub project: Project,
    pub guard: Guard,
    pub sessions: Mutex<Sessions>,
    pub save_lock: Mutex<()>,
    /// Checked layouts, kept while their files do not change: a preview
    /// does not parse and check the layout again at every keystroke, nor
    /// the home page every layout at every visit; every route that reads a
    /// layout takes it from here.
    pub layouts: Layouts,
}

/// Answer one request.
pub fn handle(state: &State, req: &Request) -> Response {
    if let Err(refused) = state.guard.check(req) {
        return refused;
    }
    let get = matches!(req.method.as_str(), "GET" | "HEAD");
    let response = match (get, req.path.as_str()) {
        (true, "/") => home(state),
        (true, "/edit") => edit(state, req),
        (true, "/new") => new_sheet(state, req),
        (true, "/blank") => blank(state, req),
        (true, "/assets/app.js") => assets::script(),
        (true, "/assets/style.css") => assets::style(),
        (true, "/assets/gothic.ttf") => assets::font("gothic"),
        (true, "/assets/mincho.ttf") => assets::font("mincho"),
        (true, "/favicon.ico") => Response::new(204, "text/plain", ""),
        (false, "/api/preview") => preview(state, req),
        (false, "/api/save") => save(state, req),
        (true, p) if p.starts_with("/s/") => session_file(state, p),
        (false, "/" | "/edit" | "/new" | "/blank") | (true, "/api/preview" | "/api/save") => {
            Response::text(405, "method not allowed")
        }
        _ => Response::text(404, "not found"),
    };
    match state.guard.cookie(req) {
        Some(cookie) => response.with_header("Set-Cookie", cookie),
        None => response,
    }
}

fn html(status: u16, body: String) -> Response {
    Response::new(status, "text/html; charset=utf-8", body)
}

fn error_page(status: u16, title: &str, message: &str) -> Response {
    html(status, pages::error(title, message))
}

/// A YAML file name (`.yaml`/`.yml`).
fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// A project's YAML file, read as the reading policy ([`crate::input`])
/// reads: a regular file only (a FIFO named `x.yaml` would hang the
/// request), at most the YAML size limit. Not through `input::read`
/// itself: it records what it read, and the output policy then refuses
/// to write over it, so a data file read that way could not be saved.
pub(super) fn read_yaml(path: &Path) -> Result<Vec<u8>, String> {
    use crate::input::{limit, not_a_file, Kind};
    use std::io::Read;
    let limit = limit(Kind::Yaml);
    let meta = std::fs::metadata(path).map_err(|e| crate::source::io_reason(&e))?;
    if let Some(what) = not_a_file(&meta.file_type()) {
        return Err(format!("it is {what}, not a file"));
    }
    let too_large = || format!("it is larger than the limit for a YAML file ({} KB)", limit / 1024);
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path).map_err(|e| crate::source::io_reason(&e))?;
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| crate::source::io_reason(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The project file `rel` (a `layout=` parameter), if it is a layout;
/// otherwise the response refusing it.
fn existing_layout(state: &State, rel: &str) -> Result<std::path::PathBuf, Response> {
    let path = state.project.existing(rel).map_err(|refusal| refusal.response(rel))?;
    if !is_layout(&yaml_text(&path)) {
        return Err(Response::text(400, format!("`{rel}` is not a layout")));
    }
    Ok(path)
}

/// [`read_yaml`] as text; empty if it cannot be read (the home page and
/// the layout checks then leave it out or refuse it).
fn yaml_text(path: &Path) -> String {
    read_yaml(path).ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
}

// ---------------------------------------------------------------- home

fn home(state: &State) -> Response {
    let root = state.project.root();
    let mut layouts = Vec::new();
    for path in yaml_files(&state.project, &root.join("layouts"), 1) {
        let Some(rel) = state.project.relative(&path) else { continue };
        let text = yaml_text(&path);
        if !is_layout(&text) {
            continue;
        }
        let (title, error) = match Outline::of_layout_file(&path, &state.layouts) {
            Ok(outline) => (outline.display_title(&rel), None),
            Err(e) => (rel.clone(), Some(e.to_string())),
        };
        layouts.push(LayoutEntry { path: rel, title, error });
    }
    let mut data = Vec::new();
    for path in yaml_files(&state.project, &root.join("data"), 8) {
        let Some(rel) = state.project.relative(&path) else { continue };
        let text = yaml_text(&path);
        if is_layout(&text) {
            continue;
        }
        let layout = outline::layout_reference(&text).unwrap_or_else(|| "(no layout: …)".to_string());
        data.push(DataEntry { path: rel, layout });
    }
    html(200, pages::home(&root.display().to_string(), &layouts, &data))
}

/// The YAML files under `dir` (at most `depth` folders down), sorted;
/// hidden files, and anything leading out of the project, left out.
fn yaml_files(project: &Project, dir: &Path, depth: usize) -> Vec<std::path::PathBuf> {
    const MAX: usize = 5000;
    fn walk(project: &Project, dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if out.len() >= MAX {
                return;
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            let inside = std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(project.root()));
            if !inside {
                continue;
            }
            if path.is_dir() {
                if depth > 1 {
                    walk(project, &path, depth - 1, out);
                }
            } else if is_yaml(&name) && path.is_file() {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(project, dir, depth, &mut out);
    out
}

// ---------------------------------------------------------------- edit pages

fn edit(state: &State, req: &Request) -> Response {
    let Some(rel) = req.param("file") else { return Response::text(400, "which file? /edit?file=data/…yaml") };
    let path = match state.project.existing(rel) {
        Ok(p) => p,
        Err(refusal) => return refusal.response(rel),
    };
    if !is_yaml(rel) {
        return Response::text(400, format!("`{rel}` is not a YAML data file"));
    }
    let bytes = match read_yaml(&path) {
        Ok(b) => b,
        Err(why) => return error_page(422, rel, &format!("cannot open it: {why}")),
    };
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        return error_page(422, rel, "the file is not UTF-8 text (save it as UTF-8; Shift_JIS is not supported)");
    };
    if is_layout(&text) {
        return error_page(
            422,
            rel,
            "this is a layout (a form), not a data file: start a new sheet from it on the home page",
        );
    }
    // A file the YAML reader refuses cannot be shown as a form: say where.
    let Some(reference) = outline::layout_reference(&text) else {
        let why = match Form::from_text(&path, text) {
            Err(e) => e.to_string(),
            Ok(_) => "the file names no layout (`layout: NAME`)".to_string(),
        };
        return error_page(422, rel, &format!("{why}\nFix the file in a text editor, then reload this page."));
    };
    let layout = match state.project.layout_for(&path, &reference) {
        Ok(p) => p,
        Err(Refusal::NotFound) => {
            return error_page(
                422,
                rel,
                &format!("layout `{reference}` not found in the project (layouts/{reference}.yaml)"),
            )
        }
        Err(refusal) => return refusal.response(&reference),
    };
    let outline = match Outline::of_layout_file(&layout, &state.layouts) {
        Ok(o) => o,
        Err(e) => return error_page(422, rel, &e.to_string()),
    };
    let values = outline::fields_tree(&text).unwrap_or(Json::Null);
    let head = Head { comments: Head::comments_of(&text), layout: reference };
    let layout_file = state.project.relative(&layout).unwrap_or_default();
    let session = Session::new(rel.to_string(), path, layout_file, head, outline, false);
    open_page(state, session, &save::version(&bytes), &values)
}

fn new_sheet(state: &State, req: &Request) -> Response {
    let (Some(layout_rel), Some(name)) = (req.param("layout"), req.param("name")) else {
        return Response::text(400, "which form and name? /new?layout=layouts/…yaml&name=…");
    };
    let layout = match existing_layout(state, layout_rel) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let name = name.trim();
    let name = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")).unwrap_or(name);
    let stem = layout.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let rel = format!("data/{stem}/{name}.yaml");
    if name.is_empty() || name.contains('/') {
        return error_page(400, "New sheet", "choose a file name without `/`, e.g. r07-no07");
    }
    let path = match state.project.writable(&rel, false) {
        Ok(p) => p,
        Err(refusal) => return refusal.response(&rel),
    };
    if path.exists() {
        let message = format!("`{rel}` already exists: open it from the home page, or choose another name");
        return error_page(409, "New sheet", &message);
    }
    let outline = match Outline::of_layout_file(&layout, &state.layouts) {
        Ok(o) => o,
        Err(e) => return error_page(422, layout_rel, &e.to_string()),
    };
    let head = Head::for_new_file(&layout, &path);
    let session = Session::new(rel, path, layout_rel.to_string(), head, outline, true);
    open_page(state, session, ABSENT, &json!({}))
}

fn open_page(state: &State, session: Session, base: &str, values: &Json) -> Response {
    let title = session.outline.display_title(&session.layout_file);
    let (file, layout, is_new, outline) =
        (session.file.clone(), session.layout_file.clone(), session.is_new, session.outline.clone());
    let id = state.sessions.lock().unwrap_or_else(|e| e.into_inner()).open(session);
    html(
        200,
        pages::edit(&EditPage {
            title: &title,
            file: &file,
            layout: &layout,
            is_new,
            session: &id,
            token: state.guard.token(),
            base,
            outline: &outline,
            values,
        }),
    )
}

// ---------------------------------------------------------------- PDFs

fn blank(state: &State, req: &Request) -> Response {
    let Some(rel) = req.param("layout") else {
        return Response::text(400, "which form? /blank?layout=layouts/…yaml");
    };
    let path = match existing_layout(state, rel) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    match Form::blank_with(&path, &state.layouts).and_then(|f| f.render()) {
        Ok(r) => {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            pdf_response(r.pdf, &format!("{stem}-blank.pdf"), "inline")
        }
        Err(e) => error_page(422, rel, &e.to_string()),
    }
}

fn pdf_response(pdf: Vec<u8>, name: &str, disposition: &str) -> Response {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    Response::new(200, "application/pdf", pdf).with_header(
        "Content-Disposition",
        format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}", percent_encode(name)),
    )
}

/// `/s/SESSION/N/P.png` and `/s/SESSION/N.pdf`.
fn session_file(state: &State, path: &str) -> Response {
    let parts: Vec<&str> = path.trim_start_matches("/s/").split('/').collect();
    match parts.as_slice() {
        [id, file] => {
            let Some(n) = file.strip_suffix(".pdf").and_then(|n| n.parse().ok()) else {
                return Response::text(404, "not found");
            };
            match session::pdf(&state.sessions, id, n) {
                Some((sheet, name)) => pdf_response(sheet.pdf.clone(), &name, "attachment"),
                None => Response::text(404, "this preview is gone: reload the page"),
            }
        }
        [id, n, file] => {
            let (Some(n), Some(page)) =
                (n.parse().ok(), file.strip_suffix(".png").and_then(|p| p.parse::<usize>().ok()))
            else {
                return Response::text(404, "not found");
            };
            match session::image(&state.sessions, id, n, page) {
                Some(png) => Response::new(200, "image/png", png),
                None => Response::text(404, "this preview is gone"),
            }
        }
        _ => Response::text(404, "not found"),
    }
}

// ---------------------------------------------------------------- API

/// The JSON body of a POST, or the 400 to answer.
fn body(req: &Request) -> Result<(String, Json), Response> {
    let json: Json = serde_json::from_slice(&req.body).map_err(|e| Response::text(400, format!("bad JSON: {e}")))?;
    let id = json.get("session").and_then(Json::as_str).ok_or_else(|| Response::text(400, "no session"))?;
    if !json.get("fields").is_some_and(Json::is_object) {
        return Err(Response::text(400, "no fields"));
    }
    Ok((id.to_string(), json))
}

fn preview(state: &State, req: &Request) -> Response {
    let started = std::time::Instant::now();
    let (id, json) = match body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let year = json.get("year").and_then(Json::as_str).filter(|y| !y.is_empty());
    let Some(p) = session::preview(&state.sessions, &state.layouts, &id, &json["fields"], year) else {
        return Response::text(410, "this page is out of date: reload it");
    };
    let c = &p.checked;
    let printed: serde_json::Map<String, Json> = c.printed.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    Response::json(
        200,
        &json!({
            "rendering": p.rendering,
            "pages": p.pages,
            "messages": c.diagnostics.iter().map(|d| json!({ "path": d.path, "error": d.error, "message": d.message })).collect::<Vec<_>>(),
            "printed": printed,
            "years": c.years.iter().map(|(y, l)| json!([y.to_string(), l])).collect::<Vec<_>>(),
            "ms": started.elapsed().as_secs_f64() * 1000.0,
        }),
    )
}

fn save(state: &State, req: &Request) -> Response {
    let (id, json) = match body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(expected) = json.get("base").and_then(Json::as_str) else { return Response::text(400, "no base") };
    let (path, text) = {
        let sessions = state.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let Some(s) = sessions.get(&id) else { return Response::text(410, "this page is out of date: reload it") };
        (s.path.clone(), s.text(&json["fields"]))
    };
    // The file must still be a writable place inside the project.
    let Some(rel) = state.project.relative(&path) else { return Response::text(403, "outside the project") };
    if let Err(refusal) = state.project.writable(&rel, true) {
        return refusal.response(&rel);
    }
    match save::save(&state.save_lock, &path, &text, expected) {
        Ok(Saved::Done { version }) => {
            if let Some(s) = state.sessions.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&id) {
                s.is_new = false;
            }
            Response::json(200, &json!({ "saved": true, "base": version, "file": rel }))
        }
        Ok(Saved::Conflict { disk, version }) => {
            Response::json(409, &json!({ "saved": false, "disk": disk, "ours": text, "base": version }))
        }
        Err(e) => Response::json(500, &json!({ "saved": false, "error": e.to_string() })),
    }
}
