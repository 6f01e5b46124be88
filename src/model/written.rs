//! Reading a data file once, from the YAML parser's events, into a
//! [`Data`] tree whose scalars are kept as they are typed.
//!
//! Only files serde_yaml would accept are read here: whatever serde_yaml
//! refuses (a syntax error, a duplicate key, a second document, an
//! unknown top-level key, aliases repeated beyond its limit, `!!int abc`)
//! is [`Declined`], and the caller reads the file again with serde_yaml
//! for its message ([`crate::source::Source::read_data`]). So the
//! well-formed file, the common case, is parsed once; a faulty one pays
//! for a second parse that names its fault as before.

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::data::{Data, Kind, Node, Scalar, ScalarStyle};

/// serde_yaml's limit on nested lists and mappings.
const MAX_DEPTH: usize = 128;
/// serde_yaml's limit on repetition: alias uses per event of the file.
const ALIAS_USES_PER_EVENT: usize = 100;

/// Why a file was not read here (for the message should serde_yaml
/// accept it after all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined(pub String);

type Read<T> = Result<T, Declined>;

/// Read a data file's text.
pub fn data(text: &str) -> Read<Data> {
    if !text.chars().all(printable) {
        return Err(Declined("a control character".into()));
    }
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
        text,
        lines: None,
        anchors: Vec::new(),
        alias_uses: 0,
        events: 0,
        depth: 0,
    };
    let root = reader.document()?;
    top_level(root)
}

/// The top level of a data file: `layout:` (required) and `fields:`,
/// nothing else, as serde reads [`super::data::DataFile`].
fn top_level(root: Node) -> Read<Data> {
    let Node::Map(entries) = root else {
        return Err(Declined("a data file is a mapping".into()));
    };
    let (mut layout, mut fields) = (None, Vec::new());
    for (key, value) in entries {
        match (key.scalar().map(|k| k.value.as_str()), value) {
            (Some("layout"), Node::Scalar(s)) => layout = Some(s.value),
            (Some("fields"), Node::Map(entries)) => fields = entries,
            (Some("fields"), Node::Scalar(s)) if s.value.is_empty() && s.style == ScalarStyle::Plain => {}
            _ => return Err(Declined("not a data file's `layout:` or `fields:`".into())),
        }
    }
    let layout = layout.ok_or_else(|| Declined("no `layout:`".into()))?;
    Ok(Data { layout, fields })
}

/// May `c` stand anywhere in a YAML file? libyaml (serde_yaml's parser)
/// refuses the other characters, even in comments; yaml-rust2 does not.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Builds nodes from the parser's events.
struct Reader<'t> {
    parser: Parser<std::str::Chars<'t>>,
    text: &'t str,
    /// The text's lines, once a scalar needs its source lines.
    lines: Option<Vec<&'t str>>,
    /// Anchored nodes by anchor id, with the alias uses inside each.
    anchors: Vec<Option<(Node, usize)>>,
    alias_uses: usize,
    events: usize,
    depth: usize,
}

impl<'t> Reader<'t> {
    fn next(&mut self) -> Read<(Event, Marker)> {
        self.events += 1;
        self.parser.next_token().map_err(|e| Declined(e.to_string()))
    }

    /// The one document of the stream.
    fn document(&mut self) -> Read<Node> {
        let expect = |this: &mut Self, want: Event| match this.next()? {
            (event, _) if event == want => Ok(()),
            (event, _) => Err(Declined(format!("expected {want:?}, found {event:?}"))),
        };
        expect(self, Event::StreamStart)?;
        expect(self, Event::DocumentStart)?;
        let (event, mark) = self.next()?;
        let root = self.node(event, mark)?;
        expect(self, Event::DocumentEnd)?;
        expect(self, Event::StreamEnd)?;
        Ok(root)
    }

    /// The node that starts with `event`.
    fn node(&mut self, event: Event, mark: Marker) -> Read<Node> {
        let uses_before = self.alias_uses;
        let (node, anchor) = match event {
            Event::Scalar(value, style, anchor, tag) => (self.scalar(value, style, tag, mark)?, anchor),
            Event::SequenceStart(anchor, tag) => (self.collection(tag, Self::list)?, anchor),
            Event::MappingStart(anchor, tag) => (self.collection(tag, Self::map)?, anchor),
            Event::Alias(id) => return self.alias(id),
            other => return Err(Declined(format!("unexpected {other:?}"))),
        };
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some((node.clone(), self.alias_uses - uses_before));
        }
        Ok(node)
    }

    fn scalar(&mut self, value: String, style: TScalarStyle, tag: Option<Tag>, mark: Marker) -> Read<Node> {
        let style = scalar_style(style);
        let tag = tag.as_ref().map(tag_text);
        let mut scalar = Scalar { value, style, tag, lines: Vec::new() };
        if scalar.kind().is_none() {
            return Err(Declined(format!("`{}` does not fit its tag", scalar.value)));
        }
        if matches!(style, ScalarStyle::Plain | ScalarStyle::Folded) {
            scalar.lines = self.source_lines(mark)?;
        }
        Ok(Node::Scalar(scalar))
    }

    /// The source lines of a scalar starting at `mark` that spans several
    /// lines: up to where the next node starts.
    fn source_lines(&mut self, mark: Marker) -> Read<Vec<String>> {
        let end = match self.parser.peek() {
            Ok((_, next)) => next.line(),
            Err(e) => return Err(Declined(e.to_string())),
        };
        if end <= mark.line() + 1 {
            return Ok(Vec::new());
        }
        let text = self.text;
        let lines = self.lines.get_or_insert_with(|| text.lines().collect());
        let end = end.min(lines.len() + 1);
        Ok((mark.line()..end).filter_map(|l| lines.get(l - 1)).map(|l| l.to_string()).collect())
    }

    /// A list or mapping, read by `read` after its start event; under a
    /// local tag it is [`Node::Tagged`].
    fn collection(&mut self, tag: Option<Tag>, read: fn(&mut Self) -> Read<Node>) -> Read<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Declined("nested too deeply".into()));
        }
        let node = read(self)?;
        self.depth -= 1;
        let local = tag.as_ref().is_some_and(|t| !tag_text(t).starts_with("!!"));
        Ok(if local { Node::Tagged } else { node })
    }

    fn list(&mut self) -> Read<Node> {
        let mut items = Vec::new();
        loop {
            match self.next()? {
                (Event::SequenceEnd, _) => return Ok(Node::List(items)),
                (event, mark) => items.push(self.node(event, mark)?),
            }
        }
    }

    fn map(&mut self) -> Read<Node> {
        let mut entries: Vec<(Node, Node)> = Vec::new();
        loop {
            let key = match self.next()? {
                (Event::MappingEnd, _) => return Ok(Node::Map(entries)),
                (event, mark) => self.node(event, mark)?,
            };
            if entries.iter().any(|(k, _)| same_key(k, &key)) {
                return Err(Declined("a duplicate key".into()));
            }
            let (event, mark) = self.next()?;
            let value = self.node(event, mark)?;
            entries.push((key, value));
        }
    }

    /// A copy of the anchored node, counted as serde_yaml counts alias
    /// uses (each use, and each use inside what it repeats) so that an
    /// alias bomb is refused before it is built.
    fn alias(&mut self, id: usize) -> Read<Node> {
        let Some(Some((node, uses_inside))) = self.anchors.get(id) else {
            return Err(Declined("an alias to no anchor".into()));
        };
        self.alias_uses += 1 + uses_inside;
        if self.alias_uses > self.events * ALIAS_USES_PER_EVENT {
            return Err(Declined("the file repeats content through YAML aliases too often".into()));
        }
        Ok(node.clone())
    }
}

/// Would serde_yaml take `a` and `b` for the same mapping key? The same
/// text of the same kind (`a` and `"a"`, not `1` and `"1"`), or the same
/// whole number, boolean or null written two ways (`1` and `0x1`).
fn same_key(a: &Node, b: &Node) -> bool {
    let (Some(a), Some(b)) = (a.scalar(), b.scalar()) else { return false };
    if a.value == b.value {
        return a.kind() == b.kind();
    }
    match (a.kind(), b.kind()) {
        (Some(ka @ (Kind::Int(_) | Kind::Bool(_) | Kind::Null)), Some(kb)) => ka == kb,
        _ => false,
    }
}

fn scalar_style(style: TScalarStyle) -> ScalarStyle {
    match style {
        TScalarStyle::Plain => ScalarStyle::Plain,
        TScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        TScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        TScalarStyle::Literal => ScalarStyle::Literal,
        TScalarStyle::Folded => ScalarStyle::Folded,
    }
}

/// A tag as written: `!!binary` for the core schema's, else handle + suffix.
fn tag_text(tag: &Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" | "!!" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(node: &Node) -> &str {
        &node.scalar().expect("a scalar").value
    }

    #[test]
    fn scalars_are_kept_as_typed() {
        let data = data("layout: f\nfields:\n  a: 3.10\n  b: '007'\n  c: [1, x]\n  d: !!str 12\n").unwrap();
        assert_eq!(data.layout, "f");
        let values: Vec<&Node> = data.fields.iter().map(|(_, v)| v).collect();
        assert_eq!(text(values[0]), "3.10");
        assert_eq!(values[1].scalar().unwrap().style, ScalarStyle::SingleQuoted);
        assert_eq!(values[2], &Node::List(vec![data_scalar("1"), data_scalar("x")]));
        assert_eq!(values[3].scalar().unwrap().tag.as_deref(), Some("!!str"));
    }

    fn data_scalar(value: &str) -> Node {
        Node::Scalar(Scalar { value: value.into(), style: ScalarStyle::Plain, tag: None, lines: Vec::new() })
    }

    #[test]
    fn folded_and_multi_line_plain_scalars_keep_their_lines() {
        let data = data("layout: f\nfields:\n  a: >\n    x\n    ・y\n  b: one\n    two\n  c: z\n").unwrap();
        let lines = |i: usize| data.fields[i].1.scalar().unwrap().lines.clone();
        // A block scalar is marked where its text starts.
        assert_eq!(lines(0), ["    x", "    ・y"]);
        assert_eq!(lines(1), ["  b: one", "    two"]);
        assert!(lines(2).is_empty());
    }

    #[test]
    fn aliases_repeat_their_anchor() {
        let data = data("layout: f\nfields:\n  a: &x [1, 2]\n  b: *x\n").unwrap();
        assert_eq!(data.fields[0].1, data.fields[1].1);
    }

    #[test]
    fn what_serde_yaml_refuses_is_declined() {
        for text in [
            "",
            "layout: f\nlayout: g\n",
            "layout: f\nfields:\n  a: 1\n  a: 2\n",
            "layout: f\nfields:\n  a: 1\n  \"a\": 2\n",
            "layout: f\nfields:\n  1: a\n  0x1: b\n",
            "layout: f\nfeilds: {}\n",
            "fields: {}\n",
            "layout: f\n---\nlayout: g\n",
            "layout: f\nfields:\n  a: !!int abc\n",
            "layout: f\nfields: [\n",
            "layout: f\nfields: ~\n",
            "layout: f\nfields:\n  a: x\u{7}y\n",
            "layout: f\nfields:\n  a: 123456789012345678901234567890\n",
        ] {
            assert!(data(text).is_err(), "{text:?} was read");
            assert!(serde_yaml::from_str::<super::super::data::DataFile>(text).is_err(), "serde_yaml reads {text:?}");
        }
    }

    #[test]
    fn an_alias_bomb_is_declined() {
        let mut text = "layout: f\nfields:\n  a: &a [x, x, x, x, x, x, x, x, x]\n".to_string();
        for (prev, name) in
            ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            text.push_str(&format!("  {name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
        }
        assert!(data(&text).is_err());
    }
}
