//! Reading YAML input files, and finding where in them a field stands.
//!
//! Files are deserialised with `serde_yaml` (which refuses alias bombs and
//! too-deep nesting). Its errors carry a position; errors found later, by
//! validation, carry only a field path such as `fields.mokuhyo`, and
//! [`Source::locate`] turns that path back into a line and column by
//! re-reading the file with a position-keeping parser. That second parse
//! happens only on the error path.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{suggestion, Error, Input, Result, Site};
use crate::path::{Segment, YamlPath};

/// Deepest `[`/`{` nesting accepted; forms need two or three levels.
const MAX_NESTING: usize = 64;

/// A YAML file and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    /// Read a file, with an error naming it when it cannot be read.
    pub fn read(path: &Path) -> Result<Source> {
        let bytes = std::fs::read(path).map_err(|e| {
            let err = Error::input(format!("cannot read `{}`: {}", path.display(), io_reason(&e)));
            let err = err.in_file(path);
            if e.kind() == std::io::ErrorKind::NotFound {
                err.with_help("check the path; it is taken relative to the current directory")
            } else {
                err
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            Error::input("the file is not UTF-8 text")
                .in_file(path)
                .with_help("save the file as UTF-8 (Shift_JIS is not supported)")
                .at_position("", line, 1)
        })?;
        Ok(Source { path: path.to_path_buf(), text })
    }

    /// Deserialise the whole file into `T`, turning serde's error into a
    /// located one.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        self.check_nesting()?;
        serde_yaml::from_str(&self.text).map_err(|e| self.yaml_error(&e))
    }

    /// Refuse `[[[[…` / `{{{{…` nesting deeper than any form needs before
    /// the YAML parser sees it: the parser reads the whole document before
    /// its own recursion limit applies, which takes seconds on hostile input.
    fn check_nesting(&self) -> Result<()> {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (line_no, line) in self.text.lines().enumerate() {
            for (col, c) in line.chars().enumerate() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '#') => break,
                    (None, '[' | '{') => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            return Err(Error::input(format!(
                                "the file is nested more than {MAX_NESTING} levels deep"
                            ))
                            .in_file(&self.path)
                            .at_position(&self.text, line_no + 1, col + 1));
                        }
                    }
                    (None, ']' | '}') => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Line and column (1-based) of the node at `path`: the key for a
    /// mapping entry, the item for a list element.
    pub fn locate(&self, path: &YamlPath) -> Option<(usize, usize)> {
        let want = path.segments();
        let mut finder = PathFinder { want: &want, stack: Vec::new(), path: Vec::new(), found: None };
        let mut parser = Parser::new_from_str(&self.text);
        // A syntax error stops the search; whatever was found stands.
        let _ = parser.load(&mut finder, false);
        finder.found.map(|m| (m.line(), m.col() + 1))
    }

    /// Line and column of the character `ch` in the value at `path`: its
    /// first occurrence from the node's line on (else the node itself).
    fn locate_char(&self, path: &YamlPath, ch: char) -> Option<(usize, usize)> {
        let (line, col) = self.locate(path)?;
        let from: usize = self.text.lines().take(line - 1).map(|l| l.len() + 1).sum::<usize>();
        let Some(i) = self.text[from.min(self.text.len())..].find(ch).map(|i| from + i) else {
            return Some((line, col));
        };
        let line = self.text[..i].matches('\n').count() + 1;
        let line_start = self.text[..i].rfind('\n').map(|p| p + 1).unwrap_or(0);
        Some((line, self.text[line_start..i].chars().count() + 1))
    }

    /// `err` located in this file at `site`: file, line and column, the
    /// quoted source line, and the path as the error's field.
    fn place(&self, err: Error, site: &Site) -> Error {
        let err = err.in_file(&self.path).at_field(site.path.to_string());
        let position = match site.ch {
            Some(ch) => self.locate_char(&site.path, ch),
            None => self.locate(&site.path),
        };
        match position {
            Some((line, col)) => err.at_position(&self.text, line, col),
            None => err,
        }
    }

    /// Translate a `serde_yaml` error: its position, its field path, and a
    /// suggestion for an unknown key.
    fn yaml_error(&self, e: &serde_yaml::Error) -> Error {
        if let Some(err) = self.unclosed_on_line(e) {
            return err;
        }
        let full = e.to_string();
        // serde_yaml ends its message with the error's own position, which
        // we show as the location; other positions inside the message
        // ("while parsing a flow sequence at line 3 …") stay.
        let without_position = match e.location() {
            Some(loc) => {
                let tail = format!(" at line {} column {}", loc.line(), loc.column());
                full.strip_suffix(&tail).unwrap_or(&full)
            }
            None => &full[..],
        };
        let (field, message) = split_field_prefix(without_position);
        let mut err = Error::input(explain(message)).in_file(&self.path);
        if let Some(field) = field {
            err = err.at_field(field);
        }
        if let Some(help) = unknown_field_help(message).or_else(|| self.syntax_help(message, e.location())) {
            err = err.with_help(help);
        }
        match (e.location(), field) {
            // For an unknown key the path points at its mapping; the key
            // itself is more useful.
            (_, Some(f)) if message.starts_with("unknown field") => {
                let key = backticked(message).unwrap_or_default();
                let path = YamlPath::parse(f).key(key.to_string());
                match self.locate(&path).or_else(|| e.location().map(|l| (l.line(), l.column()))) {
                    Some((l, c)) => err.at_position(&self.text, l, c),
                    None => err,
                }
            }
            // An unclosed `[` or `{` is noticed lines later; point at it.
            (_, _) if opener_position(message).is_some() => {
                let (line, col) = opener_position(message).unwrap_or((1, 1));
                let help = if message.contains("quoted scalar") {
                    "this quote (\" or ') is not closed"
                } else {
                    "this `[` or `{` is not closed"
                };
                err.at_position(&self.text, line, col).with_help(help)
            }
            (Some(loc), _) => err.at_position(&self.text, loc.line(), loc.column()),
            (None, _) => err,
        }
    }
}

/// Where an unclosed `[`, `{` or quote opened: serde_yaml says "while
/// parsing a flow sequence at line 3 column 10" or "while scanning a
/// quoted scalar at line 5 column 11".
fn opener_position(message: &str) -> Option<(usize, usize)> {
    let start = message.find("while parsing a flow ").or_else(|| message.find("while scanning a quoted scalar"))?;
    let rest = &message[start..];
    let rest = &rest[rest.find(" at line ")? + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

impl Source {
    /// A `{` or `[` left open on the line of the error: YAML then reads the
    /// rest of the line as a value and reports a confusing type error.
    fn unclosed_on_line(&self, e: &serde_yaml::Error) -> Option<Error> {
        let loc = e.location()?;
        let line = self.text.lines().nth(loc.line().checked_sub(1)?)?;
        let code = line.split(" #").next().unwrap_or(line);
        let open = |o: char, c: char| code.matches(o).count() > code.matches(c).count();
        let (bracket, close) = if open('{', '}') {
            ('{', '}')
        } else if open('[', ']') {
            ('[', ']')
        } else {
            return None;
        };
        let col = code.rfind(bracket).map(|i| code[..i].chars().count() + 1).unwrap_or(1);
        Some(
            Error::input(format!("a `{bracket}` on this line is not closed"))
                .in_file(&self.path)
                .at_position(&self.text, loc.line(), col)
                .with_help(format!("this `{bracket}` is not closed: add `{close}` at the end of the line")),
        )
    }

    /// Plain advice for the YAML mistakes people make most.
    fn syntax_help(&self, message: &str, at: Option<serde_yaml::Location>) -> Option<String> {
        let line = at.and_then(|l| self.text.lines().nth(l.line().saturating_sub(1))).unwrap_or_default();
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if indent.contains('\t') || (message.contains("cannot start any token") && line.trim_start().is_empty()) {
            return Some("YAML indents with spaces: replace the tab at the start of the line with spaces".into());
        }
        if message.contains("cannot start any token") && self.text.lines().any(|l| l.starts_with('\t')) {
            return Some("YAML indents with spaces: a line here starts with a tab".into());
        }
        if message.starts_with("mapping values are not allowed") {
            return Some("a value that contains `: ` must be quoted, e.g. kenmei: \"件名: 研修日程\"".into());
        }
        None
    }
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        std::io::ErrorKind::AlreadyExists => "a file of that name is in the way".to_string(),
        _ => e.to_string(),
    }
}

/// Split `fields.nendo: invalid type…` into the path and the message.
fn split_field_prefix(s: &str) -> (Option<&str>, &str) {
    match s.find(": ") {
        Some(i) if !s[..i].contains(' ') => (Some(&s[..i]), &s[i + 2..]),
        _ => (None, s),
    }
}

/// serde's wording, made plainer for people who do not write Rust.
fn explain(message: &str) -> String {
    if message.starts_with("repetition limit exceeded") {
        return "the file repeats content through YAML aliases (`*name`) more than yoshiki allows".to_string();
    }
    message
        .replace("invalid type: ", "wrong type: found ")
        .replace("a sequence", "a list")
        .replace("a map", "a mapping (key: value lines)")
        .replace("struct ", "")
        .replace("f32", "a number")
        .replace("u32", "a whole number")
}

/// "did you mean …" for serde's "unknown field `x`, expected one of …".
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field ")?;
    let word = backticked(rest)?;
    let expected: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
    if expected.is_empty() {
        return None;
    }
    Some(suggestion(word, expected.iter().copied(), || format!("the keys allowed here are: {}", expected.join(", "))))
}

/// The first `quoted` word of a message.
fn backticked(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

/// Attaching positions to errors, once, where they leave the library
/// (`render::Form`), as typst's `At::at` attaches spans: the layers below
/// give an error a [`Site`] (which file, which path); this finds its line
/// and column in the layout or the data file.
pub trait Locate: Sized {
    /// Locate the error's site in the `layout` or the `data` file (either
    /// may be absent: a blank form has no data, and a data file's
    /// `layout:` is checked before the layout is read). An error already
    /// located, or without a site, is unchanged.
    fn located(self, layout: Option<&Source>, data: Option<&Source>) -> Self;
}

impl Locate for Error {
    fn located(mut self, layout: Option<&Source>, data: Option<&Source>) -> Error {
        let Some(site) = self.site.take() else { return self };
        if self.position.is_some() {
            return self;
        }
        let file = match site.input {
            Input::Layout => layout,
            Input::Data => data,
        };
        match file {
            Some(src) => src.place(self, &site),
            // Nothing to point into; keep the path at least.
            None => self.at_field(site.path.to_string()),
        }
    }
}

impl<T> Locate for Result<T> {
    fn located(self, layout: Option<&Source>, data: Option<&Source>) -> Result<T> {
        self.map_err(|e| e.located(layout, data))
    }
}

/// Finds the marker of one path while the parser streams events,
/// comparing segments.
struct PathFinder<'a> {
    want: &'a [&'a Segment],
    stack: Vec<Frame>,
    /// The segments of the containers on the stack (the root has none).
    path: Vec<Segment>,
    found: Option<Marker>,
}

/// A container the parser is inside.
enum Frame {
    /// A mapping, waiting for a key or holding the key of the value to come.
    Map(MapState),
    /// A list and the index of its next item.
    Seq(usize),
    /// A complex key (a mapping or list used as a key) or inside one:
    /// nothing there has a path.
    Dead,
}

enum MapState {
    Key,
    Value(String),
    /// The value of a complex key.
    DeadValue,
}

/// Where the node that starts now stands.
enum Place {
    Root,
    Key,
    Child(Segment),
    Dead,
}

impl PathFinder<'_> {
    fn next_node(&mut self) -> Place {
        match self.stack.last_mut() {
            None => Place::Root,
            Some(Frame::Dead) => Place::Dead,
            Some(Frame::Map(state)) => match std::mem::replace(state, MapState::Key) {
                MapState::Key => Place::Key,
                MapState::Value(key) => Place::Child(Segment::Key(key.into())),
                MapState::DeadValue => Place::Dead,
            },
            Some(Frame::Seq(next)) => {
                *next += 1;
                Place::Child(Segment::Index(*next - 1))
            }
        }
    }

    /// Record `mark` if the current path followed by `last` is the one
    /// wanted (`None`: the current path itself).
    fn check(&mut self, last: Option<&Segment>, mark: Marker) {
        if self.found.is_some() {
            return;
        }
        let n = self.path.len();
        let matches = match last {
            None => self.want.len() == n && self.path.iter().eq(self.want.iter().copied()),
            Some(last) => {
                self.want.len() == n + 1 && self.path.iter().eq(self.want[..n].iter().copied()) && self.want[n] == last
            }
        };
        if matches {
            self.found = Some(mark);
        }
    }

    /// The key of a mapping was a mapping, a list or an alias.
    fn complex_key(&mut self) {
        if let Some(Frame::Map(state)) = self.stack.last_mut() {
            *state = MapState::DeadValue;
        }
    }
}

impl MarkedEventReceiver for PathFinder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => match self.next_node() {
                Place::Root => self.check(None, mark),
                Place::Key => {
                    self.check(Some(&Segment::Key(value.as_str().to_string().into())), mark);
                    if let Some(Frame::Map(state)) = self.stack.last_mut() {
                        *state = MapState::Value(value);
                    }
                }
                Place::Child(segment) => self.check(Some(&segment), mark),
                Place::Dead => {}
            },
            Event::Alias(_) => match self.next_node() {
                Place::Root => self.check(None, mark),
                Place::Key => self.complex_key(),
                Place::Child(segment) => self.check(Some(&segment), mark),
                Place::Dead => {}
            },
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let frame =
                    if matches!(event, Event::MappingStart(..)) { Frame::Map(MapState::Key) } else { Frame::Seq(0) };
                match self.next_node() {
                    Place::Root => {
                        self.check(None, mark);
                        self.stack.push(frame);
                    }
                    Place::Child(segment) => {
                        self.check(Some(&segment), mark);
                        self.path.push(segment);
                        self.stack.push(frame);
                    }
                    Place::Key => {
                        // Its value comes after the key's own events.
                        self.complex_key();
                        self.stack.push(Frame::Dead);
                    }
                    Place::Dead => self.stack.push(Frame::Dead),
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // Root and dead frames pushed no segment.
                let had_segment = self.stack.len() > 1 && !matches!(self.stack.last(), Some(Frame::Dead));
                self.stack.pop();
                if had_segment {
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source { path: PathBuf::from("t.yaml"), text: text.to_string() }
    }

    #[test]
    fn locates_keys_and_items() {
        let s = src("layout: a\nfields:\n  nendo: 2025\n  list:\n    - x\n    - y: 1\n");
        let fields = YamlPath::root().key("fields");
        assert_eq!(s.locate(&YamlPath::root().key("layout")), Some((1, 1)));
        assert_eq!(s.locate(&fields.key("nendo")), Some((3, 3)));
        assert_eq!(s.locate(&fields.key("list").index(1)).map(|p| p.0), Some(6));
        assert_eq!(s.locate(&fields.key("list").index(1).key("y")), Some((6, 7)));
        assert_eq!(s.locate(&fields.key("nope")), None);
    }

    #[test]
    fn complex_keys_and_aliases_have_no_path() {
        let s = src("? [a, b]\n: { x: 1 }\nlist: &l [1, 2]\nc: *l\nd: { e: [x, y] }\n");
        assert_eq!(s.locate(&YamlPath::root().key("c")), Some((4, 1)));
        assert_eq!(s.locate(&YamlPath::root().key("x")), None, "inside a complex key's value");
        assert_eq!(s.locate(&YamlPath::root().key("d").key("e").index(1)), Some((5, 13)));
    }

    #[test]
    fn located_errors_point_into_their_file() {
        let layout = src("body:\n  - text: a\n");
        let data = Source { path: PathBuf::from("d.yaml"), text: "layout: x\nfields:\n  a: b🙂\n".to_string() };
        let err = Error::in_layout(&YamlPath::root().key("body").index(0), "bad").located(Some(&layout), Some(&data));
        assert_eq!((err.file.as_deref(), err.position.map(|p| p.0)), (Some(std::path::Path::new("t.yaml")), Some(2)));
        assert_eq!(err.field.as_deref(), Some("body[0]"));
        let field = YamlPath::root().key("fields").key("a");
        let err = Error::input("glyph").at(Site::data(field).char('🙂')).located(Some(&layout), Some(&data));
        assert_eq!((err.file.as_deref(), err.position), (Some(std::path::Path::new("d.yaml")), Some((3, 7))));
    }

    #[test]
    fn syntax_errors_carry_their_line() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: u32,
        }
        let err = src("a: 1\nb: [\n").parse::<T>().unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(3), "{err}");
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            layout: String,
            fields: u32,
        }
        let err = src("layout: x\nfeilds: 1\n").parse::<T>().unwrap_err();
        let s = err.to_string();
        assert!(s.contains("unknown field `feilds`"), "{s}");
        assert!(s.contains("did you mean `fields`?"), "{s}");
        assert_eq!(err.position, Some((2, 1)), "{s}");
    }
}
