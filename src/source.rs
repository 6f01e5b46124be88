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
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::{nearest, Error, Input, Result, Site};
use crate::model::data::{Data, DataFile};
use crate::model::written;
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
    /// Read a file, with an error naming it when it cannot be read: only
    /// an ordinary file, no larger than the limit for YAML (see
    /// [`crate::input`]), UTF-8, without the byte-order mark Windows
    /// editors put in front.
    pub fn read(path: &Path) -> Result<Source> {
        let bytes = crate::input::read(path, crate::input::Kind::Yaml).map_err(|r| {
            let err = Error::input(format!("cannot read `{}`: {}", path.display(), r.reason)).in_file(path);
            match r.help {
                Some(help) => err.with_help(help),
                None if r.not_found => err.with_help("check the path; it is taken relative to the current directory"),
                None => err,
            }
        })?;
        let mut text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            Error::input("the file is not UTF-8 text")
                .in_file(path)
                .with_help("save the file as UTF-8 (Shift_JIS is not supported)")
                .at_position("", line, 1)
        })?;
        // A BOM (U+FEFF) is no part of the text: YAML would read it as the
        // start of a second document or of the first key.
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
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
    ///
    /// Byte by byte: every character looked for is ASCII, and no byte of
    /// a multi-byte UTF-8 character is; the column is counted in
    /// characters only for the message.
    fn check_nesting(&self) -> Result<()> {
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        for (line_no, line) in self.text.lines().enumerate() {
            for (i, b) in line.bytes().enumerate() {
                match (quote, b) {
                    (Some(q), b) if b == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'\'' | b'"') => quote = Some(b),
                    (None, b'#') => break,
                    (None, b'[' | b'{') => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            let col = line[..i].chars().count() + 1;
                            return Err(Error::input(format!(
                                "the file is nested more than {MAX_NESTING} levels deep"
                            ))
                            .in_file(&self.path)
                            .at_position(&self.text, line_no + 1, col));
                        }
                    }
                    (None, b']' | b'}') => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Line and column (1-based) of the node at `path`: the key for a
    /// mapping entry, the item for a list element.
    pub fn locate(&self, path: &YamlPath) -> Option<(usize, usize)> {
        self.find(path, false).map(|(m, _)| (m.line(), m.col() + 1))
    }

    /// The marker of the node at `path` (with `value`: of a mapping
    /// entry's value rather than its key) and, for a scalar, its style.
    fn find(&self, path: &YamlPath, value: bool) -> Option<(Marker, Option<TScalarStyle>)> {
        let want = path.segments();
        let mut finder =
            PathFinder { want: &want, stack: Vec::new(), path: Vec::new(), found: None, value, style: None };
        let mut parser = Parser::new_from_str(&self.text);
        // A syntax error stops the search; whatever was found stands.
        let _ = parser.load(&mut finder, false);
        finder.found.map(|m| (m, finder.style))
    }

    /// Line and column of the character `offset` characters into the
    /// scalar value at `path` (where an expression goes wrong), following
    /// the way the scalar is written: quoted, plain over several lines, or
    /// a `|`/`>` block.
    fn locate_in_value(&self, path: &YamlPath, offset: usize) -> Option<(usize, usize)> {
        let (mark, style) = self.find(path, true)?;
        Some(position_in_scalar(&self.text, mark.line(), mark.col(), style.unwrap_or(TScalarStyle::Plain), offset))
    }

    /// Read a data file, once: its scalars as written, its tree for
    /// validation. A file this reading declines (anything serde_yaml
    /// refuses) is read again with serde_yaml for its message.
    pub fn read_data(&self) -> Result<Data> {
        self.check_nesting()?;
        written::data(&self.text).map_err(|declined| match self.parse::<DataFile>() {
            Err(e) => e,
            // Not expected: the two readings disagree.
            Ok(_) => Error::input(format!("cannot read this data file: {}", declined.0)).in_file(&self.path),
        })
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
        let position = match (site.ch, site.offset) {
            (Some(ch), _) => self.locate_char(&site.path, ch),
            (None, Some(offset)) => self.locate_in_value(&site.path, offset).or_else(|| self.locate(&site.path)),
            (None, None) => self.locate(&site.path),
        };
        match position {
            Some((line, col)) => err.at_position(&self.text, line, col),
            None => err,
        }
    }

    /// Translate a `serde_yaml` error: its position, its field path, and a
    /// suggestion for an unknown key. Mistakes people make (indentation,
    /// a full-width colon or space, a duplicate key) are recognised and
    /// named in plain words at their own line; a file that is not of the
    /// expected kind at all is named without quoting any of it.
    fn yaml_error(&self, e: &serde_yaml::Error) -> Error {
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
        let at = e.location().map(|l| (l.line(), l.column()));
        let err = self
            .not_this_kind(field, message)
            .or_else(|| self.control_character(message))
            .or_else(|| self.slip(message, at))
            .or_else(|| self.duplicate_key(field, message, at))
            .or_else(|| self.unclosed_on_line(e))
            .unwrap_or_else(|| self.serde_error(field, message, at));
        self.unquoted_unless_recognised(err)
    }

    /// serde's own error, in plainer words, at its position.
    fn serde_error(&self, field: Option<&str>, message: &str, at: Option<(usize, usize)>) -> Error {
        let mut err = Error::input(explain(message)).in_file(&self.path);
        if let Some(field) = field {
            err = err.at_field(field);
        }
        let help = unknown_field_help(message)
            .or_else(|| self.syntax_help(message, at))
            .or_else(|| message.contains("` as ").then(|| "a text of digits is written in quotes: \"…\"".to_string()));
        if let Some(help) = help {
            err = err.with_help(help);
        }
        match (at, field) {
            // For an unknown key the path points at its mapping; the key
            // itself is more useful.
            (_, Some(f)) if message.starts_with("unknown field") => {
                let key = backticked(message).unwrap_or_default();
                let path = YamlPath::parse(f).key(key.to_string());
                match self.locate(&path).or(at) {
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
            (Some((line, col)), _) => err.at_position(&self.text, line, col),
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
    fn syntax_help(&self, message: &str, at: Option<(usize, usize)>) -> Option<String> {
        let line = at.and_then(|(l, _)| self.text.lines().nth(l.saturating_sub(1))).unwrap_or_default();
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

// ---------------------------------------------------------------- mistakes named plainly

/// The indentation of a line in spaces (half-width only).
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Does `line` start (at its indentation) with a plain key and a colon,
/// half- or full-width (`kanrisha:`, `kanrisha：`)? Returns the key and
/// the colon.
fn key_of(line: &str) -> Option<(&str, char)> {
    let rest = line.trim_start_matches([' ', '\u{3000}']).trim_start_matches("- ");
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    let colon = rest[end..].chars().next()?;
    (end > 0 && matches!(colon, ':' | '：')).then_some((&rest[..end], colon))
}

/// Where the key of a line starts: its indentation plus any `- ` of list
/// items in front (`  - text: x` → 4).
fn key_indent(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    line.len() - rest.len()
}

/// Is a line blank or a comment (no part of the structure)?
fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// 1-based column (in characters) of the byte offset `byte` of `line`.
fn column(line: &str, byte: usize) -> usize {
    line[..byte.min(line.len())].chars().count() + 1
}

impl Source {
    /// The 1-based line `n` of the text ("" past its end).
    fn line(&self, n: usize) -> &str {
        self.text.lines().nth(n.saturating_sub(1)).unwrap_or("")
    }

    /// Has the file shown itself to be YAML `key: value` lines by line
    /// `upto` (a top-level key, or a `{`)? A file that has not — the
    /// environment, a password file, a binary — is never quoted.
    fn recognised(&self, upto: usize) -> bool {
        self.text
            .lines()
            .take(upto.max(1))
            .any(|l| !l.starts_with([' ', '\t', '\u{3000}']) && (key_of(l).is_some() || l.starts_with('{')))
    }

    /// Drop the source line from an error in a file not recognised as YAML
    /// `key: value` lines by the error's line, and say what the file is not.
    fn unquoted_unless_recognised(&self, mut err: Error) -> Error {
        let line = err.position.map(|p| p.0).unwrap_or(1);
        if err.source_line.is_none() || self.recognised(line) {
            return err;
        }
        err.source_line = None;
        err.message = format!("`{}` is not a YAML file of `key: value` lines: {}", self.path.display(), err.message);
        err.help = Some("check the path: data files and layouts are YAML text".to_string());
        err
    }

    /// The whole file is of the wrong kind (serde: "invalid type: string
    /// …, expected struct Layout" with no field): say so, quoting nothing.
    fn not_this_kind(&self, field: Option<&str>, message: &str) -> Option<Error> {
        if field.is_some() || !message.starts_with("invalid type: ") {
            return None;
        }
        let expected = message.rsplit_once(", expected ")?.1.trim_start_matches("struct ");
        let (kind, help) = match expected {
            "Layout" => ("a layout", "a layout is `key: value` lines with a `body:` (see docs/layout.md)"),
            "DataFile" => {
                ("a data file", "a data file is `key: value` lines: `layout: NAME`, then the values under `fields:`")
            }
            _ => return None,
        };
        let found = message["invalid type: ".len()..].split([' ', ',']).next().unwrap_or("");
        let found = match found {
            "string" => "one text",
            "sequence" => "a list",
            "integer" | "floating" => "a number",
            "boolean" => "true or false",
            "unit" => "empty",
            _ => "something else",
        };
        Some(
            Error::input(format!("`{}` is not {kind}: it is {found}, not `key: value` lines", self.path.display()))
                .in_file(&self.path)
                .with_help(help),
        )
    }

    /// "control characters are not allowed at position 75": a byte offset;
    /// say which character, at its line and column.
    fn control_character(&self, message: &str) -> Option<Error> {
        let offset: usize =
            message.strip_prefix("control characters are not allowed at position ")?.trim().parse().ok()?;
        let offset = (0..=offset.min(self.text.len())).rev().find(|&i| self.text.is_char_boundary(i))?;
        let ch = self.text[offset..].chars().next().unwrap_or('\0');
        let line = self.text[..offset].matches('\n').count() + 1;
        let start = self.text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = self.text[start..offset].chars().count() + 1;
        Some(
            Error::input(format!("a control character (U+{:04X}) is in the text; YAML does not allow it", ch as u32))
                .in_file(&self.path)
                .at_position(&self.text, line, col)
                .with_help("remove it; to print a line break, use a `|` block"),
        )
    }

    /// Indentation and colon slips, at the line where they are.
    fn slip(&self, message: &str, at: Option<(usize, usize)>) -> Option<Error> {
        let (line_no, _) = at?;
        let err = |line: usize, col: usize, msg: String, help: String| {
            Some(Error::input(msg).in_file(&self.path).at_position(&self.text, line, col).with_help(help))
        };
        // A full-width space (全角スペース) as indentation: serde sees a key
        // starting with U+3000.
        if let Some(key) = message.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
            if key.starts_with('\u{3000}') {
                let n =
                    self.text.lines().position(|l| l.starts_with(key) || l.trim_start_matches(' ').starts_with(key))?;
                return err(
                    n + 1,
                    1,
                    "this line is indented with a full-width space (全角スペース, U+3000)".into(),
                    "YAML indents with half-width spaces: replace each 全角スペース at the start of the line with \
                     two ordinary spaces"
                        .into(),
                );
            }
        }
        // Only the YAML reader's own errors come from slips; serde's (a
        // wrong value) are located where they are.
        const SYNTAX: [&str; 5] = [
            "mapping values are not allowed",
            "could not find expected ':'",
            "did not find expected key",
            "did not find expected '-' indicator",
            "block sequence entries are not allowed",
        ];
        if !SYNTAX.iter().any(|m| message.contains(m)) {
            return None;
        }
        // The first line (from the reported simple key, or the error line)
        // that a slip explains.
        let from = simple_key_line(message).unwrap_or(line_no).min(line_no);
        for n in from..=line_no {
            let line = self.line(n);
            if let Some((at, col, msg, help)) = self.slip_on_line(n, line) {
                return err(at, col, msg, help);
            }
        }
        None
    }

    /// What is wrong with line `n`, if it is a known slip: the line at
    /// fault (`n` or the one above), column, message, help.
    fn slip_on_line(&self, n: usize, line: &str) -> Option<(usize, usize, String, String)> {
        let body = line.trim_start_matches(' ');
        let indent = indent_of(line);
        let indent_s = spaces(indent);
        if body.starts_with('\u{3000}') {
            return Some((
                n,
                indent + 1,
                "this line is indented with a full-width space (全角スペース, U+3000)".into(),
                "YAML indents with half-width spaces: replace each 全角スペース with two ordinary spaces".into(),
            ));
        }
        if let Some((key, colon)) = key_of(line) {
            let after = &body[body.find(colon)? + colon.len_utf8()..];
            let col = column(line, indent + key.len());
            if colon == '：' {
                let value = after.trim_start_matches([' ', '\u{3000}']);
                return Some((
                    n,
                    col,
                    format!("`{key}` is followed by a full-width colon （：, 全角コロン）"),
                    format!("YAML needs a half-width colon and a space: write `{key}: {value}`"),
                ));
            }
            if !after.is_empty() && !after.starts_with([' ', '\t']) && !after.starts_with("//") {
                return Some((
                    n,
                    col,
                    format!(
                        "there is no space after the colon of `{key}:`, so YAML reads `{}` as one word",
                        body.trim_end()
                    ),
                    format!("write `{key}: {after}` (a space after the colon)"),
                ));
            }
            // A key indented more than the `key: value` line above it: YAML
            // reads it as the continuation of that value.
            let above = (1..n).rev().map(|i| (i, self.line(i))).find(|(_, l)| !is_blank(l));
            if let Some((_, prev)) = above {
                let prev_value = key_of(prev).map(|(k, c)| prev.trim_start()[k.len() + c.len_utf8()..].trim());
                let prev_has_value = prev_value.is_some_and(|v| !v.is_empty() && !v.starts_with(['|', '>', '#', '&']));
                if indent < key_indent(prev) {
                    // Dedented: the keys of its mapping are indented like
                    // the first line under the parent (the line above with
                    // less indentation).
                    let parent = (1..n).rev().find(|&i| !is_blank(self.line(i)) && indent_of(self.line(i)) < indent);
                    let first = parent.map(|p| p + 1).unwrap_or(1);
                    let sibling = (first..n).map(|i| self.line(i)).find(|l| !is_blank(l)).map(indent_of);
                    if let Some(expected) = sibling.filter(|&e| e != indent) {
                        return Some((
                            n,
                            indent + 1,
                            format!(
                                "`{key}:` is indented by {indent_s} but the keys beside it by {expected} \
                                 (インデントのずれ)"
                            ),
                            format!("keys of one mapping line up: indent `{key}:` by {}", spaces(expected)),
                        ));
                    }
                }
                if prev_has_value && indent > key_indent(prev) {
                    // The first key of a mapping indented less than the
                    // keys after it: that first line is the odd one.
                    let (prev_no, _) = above?;
                    let next_indent = self.text.lines().skip(n).find(|l| !is_blank(l)).map(key_indent);
                    let prev_key = key_of(prev).map(|(k, _)| k).unwrap_or("");
                    let parent_above = (1..prev_no).rev().map(|i| self.line(i)).find(|l| !is_blank(l));
                    let prev_is_first = parent_above.is_none_or(|l| key_indent(l) < key_indent(prev));
                    if next_indent == Some(indent) && prev_is_first {
                        let at = key_indent(prev);
                        return Some((
                            prev_no,
                            at + 1,
                            format!(
                                "`{prev_key}:` is indented by {} but the keys after it by {indent} (インデントのずれ)",
                                spaces(at)
                            ),
                            format!("keys of one mapping line up: indent `{prev_key}:` by {}", spaces(indent)),
                        ));
                    }
                    let expected = key_indent(prev);
                    return Some((
                        n,
                        indent + 1,
                        format!(
                            "`{key}:` is indented by {indent_s} but the line above by {expected} (インデントのずれ)"
                        ),
                        format!(
                            "keys of one mapping line up: indent `{key}:` by {} like the line above, \
                             or, if it is part of the value above, quote that value",
                            spaces(expected)
                        ),
                    ));
                }
            }
            return None;
        }
        // A line of a `|` / `>` text indented less than the text: it ends the
        // block, and YAML then reads it as a key without a colon.
        let mut content_indent = None;
        for i in (1..n).rev() {
            let l = self.line(i);
            if is_blank(l) {
                continue;
            }
            if indent_of(l) > indent {
                content_indent = Some(indent_of(l));
                continue;
            }
            let header = l.trim_end();
            let is_block = ["|", "|-", "|+", ">", ">-", ">+"].iter().any(|h| header.ends_with(&format!(": {h}")));
            let key = key_of(l).map(|(k, _)| k).unwrap_or("");
            return match (is_block, content_indent) {
                (true, Some(want)) => Some((
                    n,
                    indent + 1,
                    format!(
                        "this line is indented by {indent_s}, less than the text of `{key}` above ({want}), \
                         so it is no longer part of that text (インデントのずれ)"
                    ),
                    format!("indent it by {} like the other lines of the text", spaces(want)),
                )),
                (true, None) => Some((
                    n,
                    indent + 1,
                    format!(
                        "this line is indented by {indent_s}, no more than `{key}:` itself, so it is not part of \
                         the text of `{key}` (インデントのずれ)"
                    ),
                    format!("indent the lines of the text by {}", spaces(indent_of(l) + 2)),
                )),
                _ => None,
            };
        }
        None
    }

    /// "duplicate entry with key \"kenmei\"": serde points at the start of
    /// the mapping; point at the second occurrence and name the first.
    fn duplicate_key(&self, field: Option<&str>, message: &str, at: Option<(usize, usize)>) -> Option<Error> {
        let key = message.strip_prefix("duplicate entry with key ")?.trim_matches('"');
        let (start, col) = at?;
        let indent = col.saturating_sub(1);
        let mut seen = Vec::new();
        for (i, l) in self.text.lines().enumerate().skip(start - 1) {
            if is_blank(l) {
                continue;
            }
            if indent_of(l) < indent {
                break;
            }
            let body = l[indent.min(l.len())..].trim_start_matches("- ");
            let named = [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")];
            if indent_of(l) == indent && named.iter().any(|n| body.starts_with(n.as_str())) {
                seen.push(i + 1);
            }
        }
        let (first, second) = (*seen.first()?, *seen.get(1)?);
        let mut err = Error::input(format!("`{key}` is given twice; the first is on line {first}"))
            .in_file(&self.path)
            .at_position(&self.text, second, indent + 1)
            .with_help("a key may appear once in a mapping: remove or rename one of them");
        if let Some(f) = field {
            err = err.at_field(if f.is_empty() { key.to_string() } else { format!("{f}.{key}") });
        }
        Some(err)
    }
}

/// `1 space`, `4 spaces`.
fn spaces(n: usize) -> String {
    format!("{n} space{}", if n == 1 { "" } else { "s" })
}

/// The line of "while scanning a simple key at line 10 column 3".
fn simple_key_line(message: &str) -> Option<usize> {
    let rest = message.split("while scanning a simple key at line ").nth(1)?;
    rest.split(' ').next()?.parse().ok()
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

/// serde's wording, made plainer for people who do not write Rust: no
/// Rust type names, no list of every allowed key (the help has the
/// suggestion), and a found text shortened to an excerpt.
fn explain(message: &str) -> String {
    if message.starts_with("repetition limit exceeded") {
        return "the file repeats content through YAML aliases (`*name`) more than yoshiki allows".to_string();
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let key = backticked(rest).unwrap_or_default();
        return format!("unknown field `{key}`");
    }
    if let Some(number) = message.strip_prefix("invalid type: integer `").and_then(|r| r.split_once("` as ")) {
        return format!("the number {} is too large", shorten(number.0, 24));
    }
    // `unknown variant `A9`, expected one of `A3`, `A4`` (an enum such as a
    // paper size or an alignment): serde's "variant" is jargon.
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((word, allowed)) = rest.split_once(", expected one of ") {
            return format!("{word} is not one of the values allowed here: {allowed}");
        }
    }
    if let Some(rest) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return format!("expected {}", type_words(rest.trim()));
    }
    let (head, expected) = match message.rsplit_once(", expected ") {
        Some((head, expected)) => (head, Some(expected)),
        None => (message, None),
    };
    let head = shorten_found_string(head)
        .replace("invalid type: ", "wrong type: found ")
        .replace("invalid value: ", "wrong value: found ")
        .replace("unit value", "nothing")
        .replace("a sequence", "a list")
        .replace("found sequence", "found a list")
        .replace("found map", "found a mapping (key: value lines)")
        .replace("a map", "a mapping (key: value lines)");
    match expected {
        Some(expected) => format!("{head}, expected {}", type_words(expected)),
        None => head,
    }
}

/// What serde calls a type, in the user's words.
fn type_words(expected: &str) -> String {
    let name = expected.trim_start_matches("struct ").trim_start_matches("enum ");
    let words = match name {
        "f32" | "f64" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number",
        "i32" | "i64" => "a whole number",
        "a borrowed string" | "a string" => "a text",
        "any YAML value" => "a value",
        "EdgeWeights" => "rule weights: a mapping such as `{ top: 0.5, bottom: 0 }` (points)",
        "Sides" => "a length in mm, or a list of 2 or 4 lengths ([top and bottom, left and right] or [top, right, bottom, left])",
        "PaperSize" => "a paper size: A3, A4, A5, B4, B5, or [width, height] in mm",
        "DataFile" => "a data file (`layout:` and `fields:`)",
        "Layout" => "a layout (`key: value` lines with a `body:`)",
        _ if name.chars().next().is_some_and(char::is_uppercase) && !name.contains(' ') => {
            "a mapping (key: value lines)"
        }
        _ => return expected.replace("a sequence", "a list").replace("a map", "a mapping (key: value lines)"),
    };
    words.to_string()
}

/// `found string "…"` with at most an excerpt of the text.
fn shorten_found_string(message: &str) -> String {
    let Some(start) = message.find("string \"").map(|i| i + "string \"".len()) else { return message.to_string() };
    let Some(len) = message[start..].rfind('"') else { return message.to_string() };
    format!("{}{}{}", &message[..start], shorten(&message[start..start + len], 40), &message[start + len..])
}

/// At most `max` characters of `s`, with `…` where it was cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    s.chars().take(max).chain(['…']).collect()
}

/// Keys listed in a help line; a longer list is cut (with the count).
const LISTED_KEYS: usize = 8;

/// "did you mean …" for serde's "unknown field `x`, expected one of …",
/// and, when the list is short or there is no suggestion, the keys allowed
/// (at most [`LISTED_KEYS`]).
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field ")?;
    let word = backticked(rest)?;
    let expected: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
    let list = |all: &[&str]| {
        let shown: Vec<String> = all.iter().take(LISTED_KEYS).map(|k| format!("`{k}`")).collect();
        match all.len() {
            n if n <= LISTED_KEYS => shown.join(", "),
            n => format!("{}, … ({n} in all: see docs/layout.md)", shown.join(", ")),
        }
    };
    match nearest(word, expected.iter().copied()) {
        Some(best) if expected.len() <= LISTED_KEYS => {
            Some(format!("did you mean `{best}`? (the keys allowed here: {})", list(&expected)))
        }
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !expected.is_empty() => Some(format!("the keys allowed here are: {}", list(&expected))),
        None => None,
    }
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
        if let Some((also, what)) = self.also.take() {
            let file = match also.input {
                Input::Layout => layout,
                Input::Data => data,
            };
            let at = match file.map(|src| (src, src.locate(&also.path))) {
                Some((src, Some((line, col)))) => format!("{}:{line}:{col} ({})", src.path.display(), also.path),
                Some((src, None)) => format!("{} ({})", src.path.display(), also.path),
                None => also.path.to_string(),
            };
            self.note = Some(format!("{what} {at}"));
        }
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
    /// Find a mapping entry's value, not its key.
    value: bool,
    /// The style of the scalar found.
    style: Option<TScalarStyle>,
}

/// Line and column (1-based, in characters) of the character `offset`
/// characters into a scalar's value, the scalar starting at `line`
/// (1-based) and `col` (0-based). Quotes, escapes, line folding and the
/// indentation of a block are skipped as YAML reads them.
fn position_in_scalar(text: &str, line: usize, col: usize, style: TScalarStyle, offset: usize) -> (usize, usize) {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let mut remaining = offset;
    if let TScalarStyle::Literal | TScalarStyle::Folded = style {
        // The text starts on the line after `|` or `>`, at the block's
        // indent. The parser marks the block either at its indicator or
        // where its text starts, depending on what follows the indicator.
        let at_indicator =
            lines.get(line.saturating_sub(1)).and_then(|l| l.get(col)).is_some_and(|c| matches!(c, '|' | '>'));
        let first = if at_indicator { line } else { line.saturating_sub(1) };
        let indent = lines
            .iter()
            .skip(first)
            .find(|l| l.iter().any(|c| !c.is_whitespace()))
            .map(|l| l.iter().take_while(|c| **c == ' ').count())
            .unwrap_or(0);
        let mut l = first;
        while let Some(chars) = lines.get(l) {
            let len = chars.len().saturating_sub(indent);
            if remaining <= len {
                return (l + 1, indent + remaining + 1);
            }
            remaining -= len + 1;
            l += 1;
        }
        return (line, col + 1);
    }
    let quoted = matches!(style, TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted);
    let (mut l, mut c) = (line.saturating_sub(1), col + usize::from(quoted));
    loop {
        let Some(chars) = lines.get(l) else { return (l, c + 1) };
        while c < chars.len() {
            if remaining == 0 {
                return (l + 1, c + 1);
            }
            c += match (style, chars[c], chars.get(c + 1)) {
                (TScalarStyle::SingleQuoted, '\'', Some('\'')) => 2,
                (TScalarStyle::DoubleQuoted, '\\', Some('x')) => 4,
                (TScalarStyle::DoubleQuoted, '\\', Some('u')) => 6,
                (TScalarStyle::DoubleQuoted, '\\', Some('U')) => 10,
                (TScalarStyle::DoubleQuoted, '\\', Some(_)) => 2,
                _ => 1,
            };
            remaining -= 1;
        }
        if remaining == 0 {
            return (l + 1, c + 1);
        }
        // A line break folds into one space; the next line's indent is skipped.
        remaining -= 1;
        l += 1;
        c = lines.get(l).map(|n| n.iter().take_while(|c| c.is_whitespace()).count()).unwrap_or(0);
    }
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
            Event::Scalar(value, style, _, _) => match self.next_node() {
                Place::Root => self.check(None, mark),
                Place::Key => {
                    if !self.value {
                        self.check(Some(&Segment::Key(value.as_str().to_string().into())), mark);
                    }
                    if let Some(Frame::Map(state)) = self.stack.last_mut() {
                        *state = MapState::Value(value);
                    }
                }
                Place::Child(segment) => {
                    let before = self.found.is_some();
                    self.check(Some(&segment), mark);
                    if !before && self.found.is_some() {
                        self.style = Some(style);
                    }
                }
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
