//! Errors a user can act on: where (file, line, column, field path), what
//! was expected, what was found, and a suggestion where one is obvious.
//!
//! Printed rustc-style:
//!
//! ```text
//! error: unknown field `mokuhy`
//!   --> data/shinko-kanri/r07-no06.yaml:14:3
//!    |
//! 14 |   mokuhy: |
//!    |   ^
//!    = field: fields.mokuhy
//!    = help: did you mean `mokuhyo`?
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::path::YamlPath;

/// Whether the user's input or yoshiki itself is at fault; decides the
/// exit code (2 for input, 1 for internal errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Input,
    Internal,
}

/// A located, explained error. Boxed: errors are rare, results are many.
#[derive(Debug, Clone)]
pub struct Error(Box<Details>);

/// What an [`Error`] says.
#[derive(Debug, Clone)]
pub struct Details {
    pub kind: ErrorKind,
    pub message: String,
    pub file: Option<PathBuf>,
    /// 1-based line and column.
    pub position: Option<(usize, usize)>,
    /// The offending source line, shown under the location.
    pub source_line: Option<String>,
    /// Path of the field in the YAML document (`fields.mokuhyo`).
    pub field: Option<String>,
    pub help: Option<String>,
    /// Where the error was found, until it is located: set by the layers
    /// below `render`, turned into `file`, `position` and `field` by
    /// [`crate::source::Locate`] when the error leaves the library.
    pub site: Option<Site>,
}

/// Which of a form's two files an error is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Layout,
    Data,
}

/// Where an error stands before it has a line and column: a file, a path
/// in it and, for a character no font has, the character.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub input: Input,
    pub path: YamlPath,
    pub ch: Option<char>,
}

impl Site {
    /// The node at `path` in the layout.
    pub fn layout(path: YamlPath) -> Site {
        Site { input: Input::Layout, path, ch: None }
    }

    /// The node at `path` in the data file.
    pub fn data(path: YamlPath) -> Site {
        Site { input: Input::Data, path, ch: None }
    }

    /// The character `ch` in the value at this site.
    pub fn char(self, ch: char) -> Site {
        Site { ch: Some(ch), ..self }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error in the user's input.
    pub fn input(message: impl Into<String>) -> Error {
        Error(Box::new(Details {
            kind: ErrorKind::Input,
            message: message.into(),
            file: None,
            position: None,
            source_line: None,
            field: None,
            help: None,
            site: None,
        }))
    }

    /// An error at `path` in the layout.
    pub fn in_layout(path: &YamlPath, message: impl Into<String>) -> Error {
        Error::input(message).at(Site::layout(path.clone()))
    }

    /// An error at `path` in the data file.
    pub fn in_data(path: &YamlPath, message: impl Into<String>) -> Error {
        Error::input(message).at(Site::data(path.clone()))
    }

    /// Record where the error stands (the first site given wins).
    pub fn at(mut self, site: Site) -> Error {
        self.site.get_or_insert(site);
        self
    }

    /// A failure that is not the input's fault (a bug, a full disk).
    pub fn internal(message: impl Into<String>) -> Error {
        let mut e = Error::input(message);
        e.0.kind = ErrorKind::Internal;
        e
    }

    pub fn in_file(mut self, file: &Path) -> Error {
        self.file.get_or_insert_with(|| file.to_path_buf());
        self
    }

    pub fn at_field(mut self, field: impl Into<String>) -> Error {
        self.field.get_or_insert_with(|| field.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.help = Some(help.into());
        self
    }

    /// Record a position, and the source line from `text`.
    pub fn at_position(mut self, text: &str, line: usize, column: usize) -> Error {
        if self.position.is_none() {
            self.position = Some((line, column));
            self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        }
        self
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Input => 2,
            ErrorKind::Internal => 1,
        }
    }
}

impl std::ops::Deref for Error {
    type Target = Details;

    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", printable(&self.message))?;
        let gutter = self.position.map(|(l, _)| l.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter);
        if let Some(file) = &self.file {
            match self.position {
                Some((line, col)) => writeln!(f, "{pad}--> {}:{line}:{col}", file.display())?,
                None => writeln!(f, "{pad}--> {}", file.display())?,
            }
        }
        if let (Some((line, col)), Some(src)) = (self.position, &self.source_line) {
            let (shown, col) = excerpt(src, col);
            writeln!(f, "{pad} |")?;
            // Japanese characters are two columns wide on a terminal; a
            // non-printing one is shown as its code.
            let indent: usize = shown.chars().take(col.saturating_sub(1)).map(display_width).sum();
            writeln!(f, "{line} | {}", printable(&shown))?;
            writeln!(f, "{pad} | {}^", " ".repeat(indent))?;
        }
        match (&self.field, &self.site) {
            (Some(field), _) => writeln!(f, "{pad} = field: {}", printable(field))?,
            (None, Some(site)) => writeln!(f, "{pad} = field: {}", printable(&site.path.to_string()))?,
            (None, None) => {}
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {}", printable(help))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// At most 60 characters of a long source line around column `col`, and
/// the column within the excerpt.
fn excerpt(src: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 60;
    let chars: Vec<char> = src.chars().collect();
    if chars.len() <= WIDTH {
        return (src.to_string(), col);
    }
    let start = col.saturating_sub(WIDTH / 2).min(chars.len().saturating_sub(WIDTH));
    let end = (start + WIDTH).min(chars.len());
    let mut shown: String = if start > 0 { "…".to_string() } else { String::new() };
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, col - start + usize::from(start > 0))
}

/// Is `c` a character that shows nothing, or changes what a terminal
/// shows (control characters, bidirectional overrides such as U+202E,
/// zero-width characters)? Such characters are printed as `U+XXXX`. A
/// tab stays a tab.
fn non_printing(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c as u32,
            0x061C | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0xFFF9..=0xFFFB)
}

/// `s` with every [`non_printing`] character as `U+XXXX`: what an error
/// echoes from a file cannot move the cursor, reverse the line or hide.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(non_printing) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if non_printing(c) {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Terminal columns a character takes: East Asian wide characters two,
/// a non-printing one the width of its `U+XXXX`.
fn display_width(c: char) -> usize {
    if non_printing(c) {
        return format!("U+{:04X}", c as u32).len();
    }
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// The help for `word`, which is none of `candidates`: "did you mean
/// `best`?" when one is a plausible typo of it ([`nearest`]), else
/// `otherwise` (which usually lists them).
pub fn suggestion<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl FnOnce() -> String,
) -> String {
    match nearest(word, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => otherwise(),
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible typo and no other candidate is as close (a tie is no
/// suggestion: 目標超え is as near to 目標以下 as to 目標以上).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Short words are only one edit from a typo; two-letter words never are
    // (保留 is not a typo of 完了).
    let limit = match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        n => n / 3,
    };
    // A candidate the word starts with counts as near too (完了済み → 完了).
    let prefix = |c: &str| c.chars().count() >= 2 && word.starts_with(c);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            if prefix(c) {
                return Some((1, c));
            }
            let d = edit_distance(word, c);
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    match scored.as_slice() {
        [(d, best), (d2, _), ..] if d == d2 && best != &scored[1].1 => None,
        [(_, best), ..] => Some(best),
        [] => None,
    }
}

/// Edit distance over characters where swapping two neighbours is one
/// edit (`widht` → `width`), as typing mistakes are counted.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        let keys = ["mokuhyo", "gaiyo", "keika"];
        assert_eq!(nearest("mokuhy", keys), Some("mokuhyo"));
        assert_eq!(nearest("zzzzzz", keys), None);
        assert_eq!(nearest("widht", ["width", "min_height"]), Some("width"), "a swap is one edit");
        assert_eq!(nearest("保留", ["完了", "未着手"]), None, "two-character words are not typos of each other");
        assert_eq!(nearest("目標超え", ["目標以下", "目標どおり", "目標以上"]), None, "a tie suggests nothing");
    }

    #[test]
    fn display_points_at_the_column() {
        let text = "layout: x\nfields:\n  mokuhy: 1\n";
        let e = Error::input("unknown field `mokuhy`")
            .in_file(Path::new("d.yaml"))
            .at_position(text, 3, 3)
            .at_field("fields.mokuhy")
            .with_help("did you mean `mokuhyo`?");
        let s = e.to_string();
        assert!(s.contains("--> d.yaml:3:3"), "{s}");
        assert!(s.contains("3 |   mokuhy: 1\n  |   ^"), "{s}");
        assert!(s.contains("= help: did you mean `mokuhyo`?"), "{s}");
    }
}
