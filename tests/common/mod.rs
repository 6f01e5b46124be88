//! Helpers shared by the integration tests: running the `yoshiki` binary and
//! poppler's tools, per-test temporary folders, and tiny purpose-built
//! readers for the bundled YAML files (the tests use std only, so there is
//! no YAML parser here: the readers understand exactly the shapes used in
//! `layouts/shinko-kanri.yaml` and `data/shinko-kanri/*.yaml`).

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------- paths

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `data/shinko-kanri/r07-no06.yaml`, relative to the crate root.
pub const SEED_DATA: &str = "data/shinko-kanri/r07-no06.yaml";
/// `layouts/shinko-kanri.yaml`, relative to the crate root.
pub const SEED_LAYOUT: &str = "layouts/shinko-kanri.yaml";

pub fn seed_data_path() -> PathBuf {
    manifest_dir().join(SEED_DATA)
}

pub fn seed_layout_path() -> PathBuf {
    manifest_dir().join(SEED_LAYOUT)
}

pub fn read_to_string(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

// ---------------------------------------------------------------- temp dirs

/// A fresh folder `$TMP/yoshiki-tests/<test name>-<pid>`, removed when the
/// test passes and kept (for a look at its files) when it fails.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(test_name: &str) -> TempDir {
        let path = std::env::temp_dir().join("yoshiki-tests").join(format!("{test_name}-{}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path).unwrap_or_else(|e| panic!("cannot clear {}: {e}", path.display()));
        }
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir { path }
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Write a file into the folder and return its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
        p
    }

    /// The names of the files in the folder, sorted.
    pub fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.path)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", self.path.display()))
            .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

// ---------------------------------------------------------------- running

/// What a finished process left behind.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// For assertion messages.
    pub fn describe(&self) -> String {
        format!("exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Run the `yoshiki` binary with `args`, in the crate root.
pub fn yoshiki<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    yoshiki_in(&manifest_dir(), args)
}

/// Run the `yoshiki` binary with `args`, in the folder `dir` (relative
/// paths in `args` are relative to it).
pub fn yoshiki_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let out = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run yoshiki {args:?}: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `yoshiki render DATA -o OUT`, asserting success.
pub fn render_ok(data: impl AsRef<OsStr>, out: &Path) -> Run {
    let data = data.as_ref();
    let run = yoshiki([OsStr::new("render"), data, OsStr::new("-o"), out.as_os_str()]);
    assert_eq!(run.code, Some(0), "yoshiki render {data:?} -o {} failed:\n{}", out.display(), run.describe());
    assert!(out.is_file(), "{} was not written:\n{}", out.display(), run.describe());
    run
}

/// `yoshiki blank LAYOUT -o OUT`, asserting success.
pub fn blank_ok(layout: impl AsRef<OsStr>, out: &Path) -> Run {
    let layout = layout.as_ref();
    let run = yoshiki([OsStr::new("blank"), layout, OsStr::new("-o"), out.as_os_str()]);
    assert_eq!(run.code, Some(0), "yoshiki blank {layout:?} -o {} failed:\n{}", out.display(), run.describe());
    assert!(out.is_file(), "{} was not written:\n{}", out.display(), run.describe());
    run
}

/// Render the bundled seed sheet (`yoshiki render data/… -o <dir>/name`).
pub fn render_seed(dir: &TempDir, name: &str) -> PathBuf {
    let out = dir.join(name);
    render_ok(SEED_DATA, &out);
    out
}

/// Run one of poppler's tools and return its stdout (UTF-8).
pub fn poppler<I, S>(tool: &str, args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let out = Command::new(tool)
        .args(&args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} (install poppler-utils: apt-get install poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{tool} printed non-UTF-8: {e}"))
}

/// `pdftotext [extra…] -enc UTF-8 PDF -`.
pub fn pdftotext(pdf: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&OsStr> = extra.iter().map(OsStr::new).collect();
    args.extend([OsStr::new("-enc"), OsStr::new("UTF-8"), pdf.as_os_str(), OsStr::new("-")]);
    poppler("pdftotext", args)
}

pub fn pdfinfo(pdf: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&OsStr> = extra.iter().map(OsStr::new).collect();
    args.push(pdf.as_os_str());
    poppler("pdfinfo", args)
}

pub fn pdffonts(pdf: &Path) -> String {
    poppler("pdffonts", [pdf])
}

/// The number after `Pages:` in pdfinfo's output.
pub fn page_count(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `Pages:` in pdfinfo output:\n{info}"))
}

/// The text of each page of `pdf`, one `pdftotext [extra…] -f N -l N` per
/// page (pdftotext separates pages with form feeds, but per-page runs leave
/// no doubt about which page a text is on).
pub fn page_texts(pdf: &Path, extra: &[&str]) -> Vec<String> {
    let pages = page_count(&pdfinfo(pdf, &[]));
    (1..=pages)
        .map(|n| {
            let n = n.to_string();
            let mut args: Vec<&str> = vec!["-f", &n, "-l", &n];
            args.extend_from_slice(extra);
            pdftotext(pdf, &args)
        })
        .collect()
}

/// Every `… size: W x H pts` in pdfinfo's output (one per page with -f/-l).
pub fn page_sizes(info: &str) -> Vec<(f64, f64)> {
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| {
            let v = l.split_once("size:").expect("size:").1;
            let mut it = v.split_whitespace();
            let w = it.next().and_then(|s| s.parse().ok());
            let x = it.next();
            let h = it.next().and_then(|s| s.parse().ok());
            match (w, x, h) {
                (Some(w), Some("x"), Some(h)) => (w, h),
                _ => panic!("cannot read the page size in {l:?}"),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- files

/// Copy the folder `from` (recursively) to `to`, which must not exist yet.
pub fn copy_dir_all(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display())) {
        let entry = entry.expect("dir entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir_all(&src, &dst);
        } else {
            std::fs::copy(&src, &dst)
                .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", src.display(), dst.display()));
        }
    }
}

/// The files under `dir` (recursively) as `/`-separated paths relative to
/// it, sorted; empty if `dir` does not exist.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// ---------------------------------------------------------------- text

/// `s` without any whitespace (Unicode's, so U+3000 too).
pub fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// ASCII digits as full-width digits: "7188" → "７１８８".
pub fn fullwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('０' as u32 + d).expect("digit"),
            None => c,
        })
        .collect()
}

/// An amount as printed: full-width digits grouped by thousands with a
/// full-width comma: 7188 → "７，１８８".
pub fn fullwidth_amount(digits: &str) -> String {
    let digits: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('，');
        }
        out.push(*c);
    }
    fullwidth_digits(&out)
}

/// Occurrences of `needle` in `hay`.
pub fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

// ---------------------------------------------------------------- data YAML

/// One entry under `fields:` in a data file.
#[derive(Debug, Clone)]
pub struct DataField {
    pub key: String,
    /// The value as YAML reads it, near enough: literal blocks (`|`) keep
    /// their line breaks, folded blocks (`>`) are joined with spaces.
    pub value: String,
    /// 1-based line of the key.
    pub line: usize,
}

impl DataField {
    /// The paragraphs of the value (its lines), whitespace removed.
    pub fn paragraphs(&self) -> Vec<String> {
        self.value.lines().map(strip_ws).filter(|p| !p.is_empty()).collect()
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        s[1..s.len() - 1].replace("\\n", "\n").replace("\\\"", "\"")
    } else if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        s[1..s.len() - 1].replace("''", "'")
    } else {
        s.to_string()
    }
}

/// The entries of the top-level `fields:` mapping of a data file: plain or
/// quoted scalars on the key's line, and `|`/`|-`/`>`/`>-` blocks.
pub fn data_fields(text: &str) -> Vec<DataField> {
    let lines: Vec<&str> = text.lines().collect();
    let start =
        lines.iter().position(|l| l.trim_end() == "fields:").expect("the data file has a top-level `fields:` line");
    let mut fields = Vec::new();
    let mut i = start + 1;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            i += 1;
            continue;
        }
        let indent = indent_of(line);
        if indent == 0 {
            break; // the next top-level key
        }
        let (key, rest) =
            line.trim().split_once(':').unwrap_or_else(|| panic!("line {}: expected `key: value`: {line:?}", i + 1));
        let rest = rest.trim();
        let key_line = i + 1;
        i += 1;
        let value = if matches!(rest, "|" | "|-" | ">" | ">-") {
            let mut block: Vec<&str> = Vec::new();
            let mut block_indent = None;
            while i < lines.len() && (lines[i].trim().is_empty() || indent_of(lines[i]) > indent) {
                let l = lines[i];
                if !l.trim().is_empty() {
                    let bi = *block_indent.get_or_insert(indent_of(l));
                    block.push(&l[bi.min(indent_of(l))..]);
                } else {
                    block.push("");
                }
                i += 1;
            }
            while block.last() == Some(&"") {
                block.pop();
            }
            block.join(if rest.starts_with('|') { "\n" } else { " " })
        } else {
            unquote(rest)
        };
        fields.push(DataField { key: key.trim().to_string(), value, line: key_line });
    }
    fields
}

// ---------------------------------------------------------------- layout YAML

/// The top-level pairs of a flow mapping's inside (`label: 年度, width: 28`),
/// values unquoted.
fn flow_pairs(inner: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, '[' | '{') => {
                depth += 1;
                cur.push(c);
            }
            (None, ']' | '}') => {
                depth -= 1;
                cur.push(c);
            }
            (None, ',') if depth == 0 => parts.push(std::mem::take(&mut cur)),
            (None, c) => cur.push(c),
        }
    }
    parts.push(cur);
    parts.iter().filter_map(|p| p.split_once(':')).map(|(k, v)| (k.trim().to_string(), unquote(v))).collect()
}

/// One `{ … }` cell of a layout's table.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The first key: label, text, amount, number, fiscal_year, choice.
    pub kind: String,
    /// Its value: the label's text or the field's name.
    pub value: String,
    pub pairs: Vec<(String, String)>,
}

impl Cell {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// `options: [a, b, c]` as a list.
    pub fn options(&self) -> Vec<String> {
        self.get("options")
            .map(|o| o.trim_matches(|c| c == '[' || c == ']').split(',').map(unquote).collect())
            .unwrap_or_default()
    }
}

/// The cells of a layout: every `- { kind: value, … }` list item.
pub fn layout_cells(text: &str) -> Vec<Cell> {
    text.lines()
        .filter_map(|l| {
            let t = l.trim_start().strip_prefix("- {")?;
            let inner = t.trim_end().strip_suffix('}')?;
            let pairs = flow_pairs(inner);
            let (kind, value) = pairs.first()?.clone();
            Some(Cell { kind, value, pairs })
        })
        .collect()
}

/// The fixed texts of a layout's body (`- text: 別記様式…` items that are
/// not cells).
pub fn layout_body_texts(text: &str) -> Vec<String> {
    text.lines().filter_map(|l| l.strip_prefix("  - text: ")).map(unquote).collect()
}

// ---------------------------------------------------------------- bbox XHTML

/// A word of `pdftotext -bbox-layout` output.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).map(|i| i + key.len()).unwrap_or_else(|| panic!("no {name} in {tag}"));
    let len = tag[start..].find('"').expect("closing quote");
    tag[start..start + len].parse().unwrap_or_else(|e| panic!("{name} in {tag}: {e}"))
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The `<line>`s of `pdftotext -bbox-layout` output, each as its words,
/// pages numbered from 1.
pub fn bbox_lines(xhtml: &str) -> Vec<Vec<Word>> {
    let mut lines = Vec::new();
    let mut current: Option<Vec<Word>> = None;
    let mut page = 0;
    let mut rest = xhtml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').expect("unterminated tag");
        let tag = &rest[..=end];
        if tag.starts_with("<page ") || tag == "<page>" {
            page += 1;
        } else if tag.starts_with("<line ") {
            current = Some(Vec::new());
        } else if tag == "</line>" {
            lines.extend(current.take());
        } else if tag.starts_with("<word ") {
            let body = &rest[end + 1..];
            let close = body.find("</word>").expect("</word>");
            let word = Word {
                page,
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
                text: unescape_xml(&body[..close]),
            };
            current.as_mut().expect("<word> outside a <line>").push(word);
        }
        rest = &rest[end + 1..];
    }
    lines
}

/// Every word of `pdftotext -bbox-layout` output, pages numbered from 1.
pub fn bbox_words(xhtml: &str) -> Vec<Word> {
    bbox_lines(xhtml).into_iter().flatten().collect()
}

// ---------------------------------------------------------------- errors

/// Temporary files an interrupted or failed write could leave behind
/// (`.NAME.PID.tmp`, as `output::write_atomic` names them) under `dir`,
/// recursively, as `/`-separated paths relative to it.
pub fn stray_temp_files(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            name.starts_with('.') && name.ends_with(".tmp")
        })
        .collect()
}

/// The path after `= field: ` in a rustc-style error message, if any.
pub fn error_field(stderr: &str) -> Option<&str> {
    stderr.lines().find_map(|l| l.trim_start().strip_prefix("= field: ")).map(str::trim_end)
}

/// The text after `= help: ` in a rustc-style error message, if any.
pub fn error_help(stderr: &str) -> Option<&str> {
    stderr.lines().find_map(|l| l.trim_start().strip_prefix("= help: ")).map(str::trim_end)
}

/// The run's error output mentions every one of `needles`.
pub fn assert_mentions(run: &Run, needles: &[&str]) {
    for n in needles {
        assert!(run.stderr.contains(n), "the message does not mention {n:?}:\n{}", run.describe());
    }
}
