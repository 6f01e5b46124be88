//! Writing data files: `yoshiki template` (every field of a layout, empty,
//! with its label, kind and accepted formats as comments — what `blank` is
//! to paper, `template` is to YAML) and the clean files `yoshiki serve`
//! saves (the fields in the layout's order, multi-line text as `|-`
//! blocks, anything that could be misread quoted).
//!
//! The writer works from an [`Outline`] and a JSON tree of values (strings
//! for scalars, arrays for lists and series), and its output reads back
//! as exactly those values: see the round-trip tests.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::outline::{Field, FieldKind, Outline};

/// What stands above the fields: comment lines (each starting with `#`)
/// and the `layout:` reference.
#[derive(Debug, Clone)]
pub struct Head {
    pub comments: Vec<String>,
    pub layout: String,
}

impl Head {
    /// The head of a new data file at `data` for the layout at `layout`:
    /// the `yaml-language-server` line pointing at the layout's data schema
    /// (`schema/NAME.data.schema.json` beside `layouts/`, if there is one)
    /// and the layout by name when `data` finds it by name, else by path.
    pub fn for_new_file(layout: &Path, data: &Path) -> Head {
        let layout = normalise(&std::path::absolute(layout).unwrap_or_else(|_| layout.to_path_buf()));
        let data = normalise(&std::path::absolute(data).unwrap_or_else(|_| data.to_path_buf()));
        let data_dir = data.parent().unwrap_or(Path::new("/"));
        let name = layout.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let layout_dir = layout.parent().unwrap_or(Path::new("/"));
        let project = if layout_dir.file_name().is_some_and(|n| n == "layouts") {
            layout_dir.parent().unwrap_or(layout_dir)
        } else {
            layout_dir
        };
        let mut comments = Vec::new();
        let schemas = [format!("schema/{name}.data.schema.json"), "schema/data.schema.json".to_string()];
        if let Some(schema) = schemas.iter().map(|s| project.join(s)).find(|p| p.is_file()) {
            let rel = relative(data_dir, &schema);
            comments.push(format!("# yaml-language-server: $schema={}", slashes(&rel)));
        }
        let reference =
            if found_by_name(data_dir, &name, &layout) { name } else { slashes(&relative(data_dir, &layout)) };
        Head { comments, layout: reference }
    }

    /// The comment lines at the top of an existing data file (kept when
    /// it is saved again).
    pub fn comments_of(text: &str) -> Vec<String> {
        text.lines()
            .take_while(|l| l.starts_with('#') || l.trim().is_empty())
            .filter(|l| l.starts_with('#'))
            .map(String::from)
            .collect()
    }
}

/// Does `layout: NAME` in a file in `dir` find `layout` (the first
/// `layouts/NAME.yaml` upwards from `dir`)?
fn found_by_name(dir: &Path, name: &str, layout: &Path) -> bool {
    let first = crate::render::layout_candidates(dir, name).find(|p| p.is_file());
    first.is_some_and(|p| normalise(&p) == *layout)
}

/// A path without `.` and `..` (lexically; the paths here are absolute).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to the folder `from` (both absolute and normalised).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to_c: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to_c[common..] {
        out.push(c);
    }
    out
}

/// A path with `/` between its parts, as YAML files write them everywhere.
fn slashes(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// A ready-to-fill data file: every field with an empty value of its
/// shape and a comment with its label, kind and accepted formats; each
/// list with one empty element.
pub fn template(outline: &Outline, head: &Head) -> String {
    let mut w = Writer { out: String::new(), template: true };
    w.head(head);
    w.line("# Fill in the values; a field left empty prints as an empty cell.");
    w.line("fields:");
    w.scope(&outline.fields, None, 2, None);
    w.out
}

/// A clean data file holding `fields` (a JSON object as `yoshiki serve`
/// sends it): the layout's fields in order, blanks left out, multi-line
/// text as `|-` blocks.
pub fn data_file(outline: &Outline, head: &Head, fields: &Json) -> String {
    let mut w = Writer { out: String::new(), template: false };
    w.head(head);
    let known = |k: &String| outline.fields.iter().any(|f| &f.name == k);
    let filled = |map: &Map<String, Json>| {
        outline.fields.iter().any(|f| !omitted(&f.kind, map.get(&f.name)))
            || map.iter().any(|(k, v)| !known(k) && !is_blank(v))
    };
    match fields.as_object() {
        Some(map) if filled(map) => {
            w.line("fields:");
            w.scope(&outline.fields, Some(map), 2, None);
        }
        _ => w.line("fields: {}"),
    }
    w.out
}

/// Can a field's value be left out of the file without changing what
/// prints? Blank text is the same as no text. Not so for a series (a
/// blank value spanning every column prints one merged cell; no value
/// prints one empty cell per column) or a list (an empty element is an
/// empty row).
fn omitted(kind: &FieldKind, v: Option<&Json>) -> bool {
    match (kind, v) {
        (_, None) => true,
        (FieldKind::Series { .. }, Some(Json::Array(items))) => items.iter().all(|i| match i {
            Json::Object(m) => {
                m.get("text").is_none_or(is_blank) && m.get("span").is_none_or(|s| s.as_u64() == Some(1))
            }
            other => is_blank(other),
        }),
        (FieldKind::Series { .. }, Some(_)) => false,
        (FieldKind::List { .. }, Some(Json::Array(items))) => items.is_empty(),
        (_, Some(v)) => is_blank(v),
    }
}

/// Is a value empty (nothing would print)?
fn is_blank(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::String(s) => s.trim().is_empty(),
        Json::Array(items) => items.iter().all(is_blank),
        Json::Object(map) => map.values().all(is_blank),
        _ => false,
    }
}

/// Where the comments of a template line up.
const COMMENT_COLUMN: usize = 32;

struct Writer {
    out: String,
    template: bool,
}

impl Writer {
    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn head(&mut self, head: &Head) {
        for c in &head.comments {
            self.line(c);
        }
        let layout = scalar(&head.layout, Plain::Text).unwrap_or_else(|| quoted(&head.layout));
        self.line(&format!("layout: {layout}"));
    }

    /// A line `lead key: value` with, in a template, the field's comment.
    fn field_line(&mut self, lead: &str, key: &str, value: &str, field: Option<&Field>) {
        let mut line = format!("{lead}{}:", key_text(key));
        if !value.is_empty() {
            line.push(' ');
            line.push_str(value);
        }
        if let (true, Some(f)) = (self.template, field) {
            let width = line.chars().count();
            line.push_str(&" ".repeat(COMMENT_COLUMN.saturating_sub(width).max(2)));
            let label = if f.label == f.name { String::new() } else { format!("{} — ", f.label) };
            let _ = write!(line, "# {label}{}", f.kind.describe());
        }
        self.line(&line);
    }

    /// The fields of one scope at `indent`; `first` is the lead of the
    /// first line (`- ` of a list element), else spaces.
    fn scope(&mut self, fields: &[Field], values: Option<&Map<String, Json>>, indent: usize, first: Option<String>) {
        let mut first = first;
        let mut lead = || first.take().unwrap_or_else(|| " ".repeat(indent));
        let mut written = 0;
        for field in fields {
            let value = values.and_then(|m| m.get(&field.name));
            if !self.template && omitted(&field.kind, value) {
                continue;
            }
            let l = lead();
            self.field(&l, field, value, indent);
            written += 1;
        }
        // Keys the outline does not know (never lost on a save).
        for (key, value) in values.into_iter().flatten() {
            if fields.iter().any(|f| &f.name == key) || is_blank(value) {
                continue;
            }
            let l = lead();
            self.generic(&l, key, value, indent);
            written += 1;
        }
        if written == 0 {
            // An element with nothing filled in.
            let l = lead();
            let trimmed = l.trim_end();
            self.line(&format!("{trimmed} {{}}"));
        }
    }

    fn field(&mut self, lead: &str, field: &Field, value: Option<&Json>, indent: usize) {
        let text = value.map(scalar_text).unwrap_or_default();
        match &field.kind {
            FieldKind::List { fields } => {
                self.field_line(lead, &field.name, "", Some(field));
                let items: Vec<&Json> = match value {
                    Some(Json::Array(items)) => items.iter().collect(),
                    _ => Vec::new(),
                };
                if self.template && items.is_empty() {
                    self.scope(fields, None, indent + 4, Some(format!("{}- ", " ".repeat(indent + 2))));
                }
                for item in items {
                    let lead = format!("{}- ", " ".repeat(indent + 2));
                    self.scope(fields, item.as_object(), indent + 4, Some(lead));
                }
            }
            FieldKind::Series { columns, .. } => self.series(lead, field, value, *columns, indent),
            FieldKind::Text { multiline } => {
                if self.template {
                    let v = if *multiline { "|-" } else { "\"\"" };
                    self.field_line(lead, &field.name, v, Some(field));
                } else {
                    self.text(lead, &field.name, &text, indent, Plain::Text, Some(field));
                }
            }
            kind => {
                let plain = match kind {
                    FieldKind::Amount | FieldKind::Number | FieldKind::FiscalYear => Plain::Integer,
                    FieldKind::Date => Plain::Date,
                    _ => Plain::Text,
                };
                if self.template {
                    self.field_line(lead, &field.name, "", Some(field));
                } else {
                    self.text(lead, &field.name, text.trim(), indent, plain, Some(field));
                }
            }
        }
    }

    /// A text value: plain, quoted, or a `|-` block when it has lines.
    fn text(&mut self, lead: &str, key: &str, text: &str, indent: usize, plain: Plain, field: Option<&Field>) {
        if let Some(block) = block(text, indent + 2) {
            let (header, body) = block;
            self.field_line(lead, key, &header, field);
            self.out.push_str(&body);
        } else {
            let v = scalar(text, plain).unwrap_or_else(|| quoted(text));
            self.field_line(lead, key, &v, field);
        }
    }

    /// A series: one value for all columns, or one item per column (or per
    /// `span` columns).
    fn series(&mut self, lead: &str, field: &Field, value: Option<&Json>, columns: u32, indent: usize) {
        if self.template {
            let empty = vec!["\"\""; columns as usize].join(", ");
            self.field_line(lead, &field.name, &format!("[{empty}]"), Some(field));
            return;
        }
        let items = series_items(value, columns);
        if let [(text, span)] = items.as_slice() {
            if *span == columns {
                return self.text(lead, &field.name, text, indent, Plain::Text, Some(field));
            }
        }
        let flow: Option<Vec<String>> = items
            .iter()
            .map(|(t, span)| {
                if *span != 1 {
                    return None;
                }
                if t.is_empty() {
                    Some("\"\"".to_string())
                } else {
                    scalar(t, Plain::Flow)
                }
            })
            .collect();
        if let Some(flow) = flow.filter(|f| f.iter().map(|s| s.chars().count() + 2).sum::<usize>() <= 60) {
            return self.field_line(lead, &field.name, &format!("[{}]", flow.join(", ")), Some(field));
        }
        self.field_line(lead, &field.name, "", Some(field));
        let item_indent = indent + 2;
        let dash = format!("{}- ", " ".repeat(item_indent));
        for (text, span) in items {
            if span == 1 {
                match block(&text, item_indent + 2) {
                    Some((header, body)) => {
                        self.line(&format!("{dash}{header}"));
                        self.out.push_str(&body);
                    }
                    None => {
                        let v = scalar(&text, Plain::Text).unwrap_or_else(|| quoted(&text));
                        self.line(&format!("{dash}{v}"));
                    }
                }
            } else if let Some(v) = scalar(&text, Plain::Flow).or_else(|| (!text.contains('\n')).then(|| quoted(&text)))
            {
                self.line(&format!("{dash}{{ text: {v}, span: {span} }}"));
            } else {
                self.text(&dash, "text", &text, item_indent + 2, Plain::Text, None);
                self.line(&format!("{}span: {span}", " ".repeat(item_indent + 2)));
            }
        }
    }

    /// A value of a key the outline does not know, as it is.
    fn generic(&mut self, lead: &str, key: &str, value: &Json, indent: usize) {
        match value {
            Json::Array(items) => {
                self.field_line(lead, key, "", None);
                for item in items {
                    let dash = format!("{}- ", " ".repeat(indent + 2));
                    match item {
                        Json::Object(map) => self.scope(&[], Some(map), indent + 4, Some(dash)),
                        other => {
                            let t = scalar_text(other);
                            let v = scalar(&t, Plain::Text).unwrap_or_else(|| quoted(&t));
                            self.line(&format!("{dash}{v}"));
                        }
                    }
                }
            }
            Json::Object(map) => {
                self.field_line(lead, key, "", None);
                self.scope(&[], Some(map), indent + 2, None);
            }
            other => self.text(lead, key, &scalar_text(other), indent, Plain::Text, None),
        }
    }
}

/// A series value as items (text, columns spanned); one text alone spans
/// all `columns`.
fn series_items(value: Option<&Json>, columns: u32) -> Vec<(String, u32)> {
    let item = |v: &Json| match v {
        Json::Object(map) => {
            let text = map.get("text").map(scalar_text).unwrap_or_default();
            let span = map.get("span").and_then(|s| s.as_u64().or_else(|| s.as_str()?.parse().ok())).unwrap_or(1);
            (text, span.clamp(1, 1000) as u32)
        }
        other => (scalar_text(other), 1),
    };
    match value {
        Some(Json::Array(items)) => items.iter().map(item).collect(),
        None => Vec::new(),
        Some(other) => vec![(scalar_text(other), columns)],
    }
}

/// A scalar's text (numbers as written, null as empty).
fn scalar_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// What a plain (unquoted) scalar may look like.
#[derive(Clone, Copy, PartialEq)]
enum Plain {
    /// Text: anything another YAML type would read differently is quoted
    /// (`3.10`, `yes`, `null`).
    Text,
    /// Also a whole number (amounts, numbers, years): `7188`.
    Integer,
    /// Also a date: `2025-04-01`.
    Date,
    /// Text inside `[ … ]`: no `,[]{}` either.
    Flow,
}

/// `s` as a plain scalar, or `None` if it must be quoted.
fn scalar(s: &str, plain: Plain) -> Option<String> {
    let first = s.chars().next()?;
    let integer = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'))
    };
    let date = |s: &str| {
        s.len() == 10 && s.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
    };
    if plain == Plain::Integer && integer(s) || plain == Plain::Date && date(s) {
        return Some(s.to_string());
    }
    let bad_start = "-?:,[]{}#&*!|>'\"%@`. \t".contains(first) || first.is_ascii_digit() || first == '+';
    let bad_end = s.ends_with([' ', '\t', ':']);
    let bad_inside =
        s.contains(": ") || s.contains(" #") || s.contains('\t') || s.chars().any(needs_escape) || s.contains('\n');
    let flow_bad = plain == Plain::Flow && s.contains([',', '[', ']', '{', '}']);
    if bad_start || bad_end || bad_inside || flow_bad || is_special(s) {
        return None;
    }
    Some(s.to_string())
}

/// Words YAML 1.1 or 1.2 reads as null, booleans or numbers.
fn is_special(s: &str) -> bool {
    const WORDS: [&str; 14] =
        ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", ".nan", "-.inf", "+.inf"];
    WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// Characters a YAML file cannot hold as they are (controls, line
/// separators, the byte-order mark, non-characters).
fn needs_escape(c: char) -> bool {
    (c < ' ' && c != '\n' && c != '\t')
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
        || c == '\r'
}

/// `s` double-quoted, with escapes.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text with line breaks as a literal block (`|-`, `|` or `|+` by its
/// trailing line breaks; an indentation indicator when its first line
/// starts with a space): the header and the indented lines. `None` when a
/// block cannot hold it (no line break, or characters to escape).
fn block(text: &str, indent: usize) -> Option<(String, String)> {
    if !text.contains('\n') || text.chars().any(needs_escape) || text.trim().is_empty() {
        return None;
    }
    let content = text.trim_end_matches('\n');
    let trailing = text.len() - content.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = content.lines().find(|l| !l.is_empty()).unwrap_or_default();
    let indicator = if first.starts_with([' ', '\t']) { "2" } else { "" };
    if first.starts_with('\t') {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut body = String::new();
    for line in content.split('\n') {
        if !line.is_empty() {
            body.push_str(&pad);
            body.push_str(line);
        }
        body.push('\n');
    }
    for _ in 1..trailing {
        body.push('\n');
    }
    Some((format!("|{indicator}{chomp}"), body))
}

/// A key as written: plain where YAML reads it back as the same text.
fn key_text(key: &str) -> String {
    let simple = key.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if simple && !is_special(key) {
        key.to_string()
    } else {
        quoted(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bundled(name: &str) -> Outline {
        Outline::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts").join(name)).unwrap()
    }

    fn head() -> Head {
        Head { comments: vec!["# yaml-language-server: $schema=x.json".into()], layout: "shinko-kanri".into() }
    }

    /// Write `text` as the value of a text field and read it back.
    fn round_trip(text: &str, multiline: bool) -> serde_yaml::Value {
        let outline = Outline { title: None, period: None, fields: vec![text_field("f", multiline)] };
        let yaml = data_file(&outline, &head(), &serde_json::json!({ "f": text }));
        let read: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        read["fields"]["f"].clone()
    }

    fn text_field(name: &str, multiline: bool) -> Field {
        let o = bundled("shinko-kanri.yaml");
        let mut f = o.find(&["mokuhyo"]).unwrap().clone();
        f.name = name.to_string();
        f.kind = FieldKind::Text { multiline };
        f
    }

    #[test]
    fn texts_read_back_as_written() {
        for s in [
            "3.10",
            "yes",
            "no",
            "null",
            "~",
            "- item",
            "a: b",
            "a #b",
            "#x",
            "'q'",
            "\"d\"",
            "[x]",
            "{y}",
            "・箇条\n・二行目",
            "  indented\nsecond",
            "trailing\n",
            "two trailing\n\n",
            "\nleading blank",
            "tab\there",
            "cr\r\nlf",
            "全角　空白　",
            "7188",
            "0012",
            "2025-04-01",
            "@at",
            "`tick`",
            "%pct",
            "!tag",
            "&anchor",
            "*alias",
            "key:",
            "…",
            "...",
            "---",
            "a\u{2028}b",
            "\u{feff}bom",
            "back\\slash",
            "😀",
            "x\n\n\ny",
        ] {
            assert_eq!(round_trip(s, true), serde_yaml::Value::String(s.to_string()), "{s:?}");
        }
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        let outline = bundled("shinko-kanri.yaml");
        let fields = serde_json::json!({ "mokuhyo": "【人材育成】\n・見直し", "nendo": "令和7", "bango": "6" });
        let yaml = data_file(&outline, &head(), &fields);
        assert_eq!(
            yaml,
            "# yaml-language-server: $schema=x.json\nlayout: shinko-kanri\nfields:\n  nendo: 令和7\n  bango: 6\n  mokuhyo: |-\n    【人材育成】\n    ・見直し\n"
        );
    }

    #[test]
    fn series_keep_their_shape() {
        let outline = bundled("jinzai-plan.yaml");
        let item = |schedule: Json, jokyo: Json| {
            serde_json::json!({ "sections": [{ "chu_komoku": [{ "sho_komoku": [{ "torikumi": [
                { "no": "1", "schedule": schedule, "jokyo": jokyo }
            ] }] }] }] })
        };
        let fields = item(
            serde_json::json!(["実施", "⇒", "⇒", "⇒", "⇒"]),
            serde_json::json!([{ "text": "a", "span": 1 }, { "text": "b\nc", "span": 1 }, { "text": "d, e", "span": 3 }]),
        );
        let yaml = data_file(&outline, &head(), &fields);
        assert!(yaml.contains("schedule: [実施, ⇒, ⇒, ⇒, ⇒]"), "{yaml}");
        assert!(yaml.contains("- { text: \"d, e\", span: 3 }"), "{yaml}");
        let read: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        let t = &read["fields"]["sections"][0]["chu_komoku"][0]["sho_komoku"][0]["torikumi"][0];
        assert_eq!(t["no"], serde_yaml::Value::from("1"), "a text stays a text: {yaml}");
        assert_eq!(t["jokyo"][1], serde_yaml::Value::from("b\nc"));
        // One text spanning every column is written as one text.
        let one = item(Json::Null, serde_json::json!([{ "text": "全体", "span": 5 }]));
        assert!(data_file(&outline, &head(), &one).contains("jokyo: 全体\n"));
        let plain = item(Json::Null, serde_json::json!("全体"));
        assert!(data_file(&outline, &head(), &plain).contains("jokyo: 全体\n"));
    }

    #[test]
    fn blank_series_and_empty_rows_are_kept() {
        let outline = bundled("jinzai-plan.yaml");
        let fields = serde_json::json!({ "sections": [{ "chu_komoku": [{ "sho_komoku": [{ "torikumi": [
            { "no": "1", "jokyo": "" }, {}, { "jokyo": [{ "text": "", "span": 1 }, { "text": "", "span": 1 }] }
        ] }] }] }] });
        let yaml = data_file(&outline, &head(), &fields);
        assert!(yaml.contains("jokyo: \"\"\n"), "a blank spanning every year is one merged cell: {yaml}");
        let read: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        let rows = &read["fields"]["sections"][0]["chu_komoku"][0]["sho_komoku"][0]["torikumi"];
        assert_eq!(rows.as_sequence().unwrap().len(), 3, "empty rows stay rows: {yaml}");
        assert!(rows[2].get("jokyo").is_none(), "one blank per year is the same as none: {yaml}");
    }

    #[test]
    fn blank_fields_are_left_out_and_unknown_ones_kept() {
        let outline = bundled("shinko-kanri.yaml");
        let fields = serde_json::json!({ "nendo": "", "gaiyo": null, "bango": "6", "extra": "keep me" });
        let yaml = data_file(&outline, &head(), &fields);
        assert!(yaml.ends_with("fields:\n  bango: 6\n  extra: keep me\n"), "{yaml}");
    }

    #[test]
    fn templates_comment_every_field() {
        let yaml = template(&bundled("shinko-kanri.yaml"), &head());
        assert!(yaml.contains("  nendo:                        # 年度 — fiscal year: 2025, 令和7 or R7\n"), "{yaml}");
        assert!(yaml.contains("  mokuhyo: |-                   # 本年度の目標 — text (several lines"), "{yaml}");
        assert!(yaml.contains("# 中間評価 達成度 — choice: 目標以下 | 目標どおり | 目標以上"), "{yaml}");
        let plan = template(&bundled("jinzai-plan.yaml"), &head());
        assert!(plan.contains("\n                - \"no\": \"\""), "{plan}");
        assert!(plan.contains("schedule: [\"\", \"\", \"\", \"\", \"\"]"), "{plan}");
        let _: serde_yaml::Value = serde_yaml::from_str(&plan).unwrap();
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/p/data/x"), Path::new("/p/schema/s.json")), Path::new("../../schema/s.json"));
        assert_eq!(relative(Path::new("/p"), Path::new("/p/a.yaml")), Path::new("a.yaml"));
        assert_eq!(normalise(Path::new("/p/data/../layouts/./x.yaml")), Path::new("/p/layouts/x.yaml"));
    }

    proptest! {
        #[test]
        fn any_text_reads_back(s in "\\PC{0,20}|[ \\n\\t\\r:#\\-'\"a-c・　]{0,12}") {
            let back = round_trip(&s, true);
            if s.trim().is_empty() {
                prop_assert!(back.is_null() || back == serde_yaml::Value::String(s.clone()));
            } else {
                prop_assert_eq!(back, serde_yaml::Value::String(s.clone()));
            }
        }
    }
}
