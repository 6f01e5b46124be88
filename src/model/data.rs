//! A data file: which layout it fills, and the values of its fields.
//!
//! A data file is read once, from the YAML parser's events
//! ([`crate::model::written`]), into a [`Data`]: a tree of [`Node`]s whose
//! scalars keep the text as it is typed. [`DataFile`] is the same file as
//! serde sees it: it gives the JSON Schema of data files and, when a file
//! is not plainly well-formed, serde_yaml's own error message.

use serde::Deserialize;

// As serde reads it: the doc comment below is the JSON Schema's description.
/// A whole data file (`data/**/*.yaml`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    /// The layout to fill: a name (`shinko-kanri`, looked up as
    /// `layouts/shinko-kanri.yaml` in this file's folder or any folder above
    /// it) or a path relative to this file.
    pub layout: String,
    /// Field values by the field names the layout's cells use. A field left
    /// out, or given as `~` or `""`, prints as a blank cell.
    #[serde(default)]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub fields: serde_yaml::Mapping,
}

/// A data file as it is written: the layout it names and the entries of
/// its `fields:` mapping, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub layout: String,
    pub fields: Vec<(Node, Node)>,
}

/// One node of a data file.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar(Scalar),
    List(Vec<Node>),
    /// Entries in file order (keys are unique).
    Map(Vec<(Node, Node)>),
    /// A list or mapping under a local tag (`!name [a, b]`): no value of a
    /// data file, so its content is not kept.
    Tagged,
}

/// A scalar of a data file as it is written: what is typed is what is
/// printed (`3.10` stays `3.10`, `007` stays `007`), and what YAML would
/// change (a folded `>-` text merging its lines) can be warned about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The value: for a plain scalar its text unresolved (`3.10`, `0x10`,
    /// `1e3`, `+12`); for a quoted or block scalar the text YAML reads.
    pub value: String,
    pub style: ScalarStyle,
    /// The tag as written (`!!str`, `!!binary`, `!custom`), if any.
    pub tag: Option<String>,
    /// The source lines of a folded or plain scalar that spans several
    /// lines (its first line included), else nothing.
    pub lines: Vec<String>,
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`, `|-`: lines kept.
    Literal,
    /// `>`, `>-`: lines folded into one.
    Folded,
}

/// What a scalar is to YAML (serde_yaml's reading of the core schema):
/// which messages and which values depend on it is decided in
/// [`crate::validate::data`]; the text printed is always the text typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `~`, `null`, an empty plain scalar.
    Null,
    Bool(bool),
    /// A whole number (`12`, `+12`, `0x10`, `-0o7`), from `i64::MIN` to
    /// `u64::MAX`.
    Int(i128),
    /// Any other number (`3.10`, `1e3`, `.inf`).
    Float,
    Text,
    /// A scalar under a local tag (`!name x`).
    Tagged,
}

impl Node {
    /// The scalar, if this node is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a key that is text (`naiyo`, `"no"`), not a number, a
    /// boolean, a null or a collection.
    pub fn as_key(&self) -> Option<&str> {
        self.scalar().filter(|s| s.kind() == Some(Kind::Text)).map(|s| s.value.as_str())
    }

    /// The node as one short text in a message: a scalar as YAML reads
    /// it (`true`, `16` for `0x10`), nothing for a null or a collection.
    pub fn describe(&self) -> String {
        match self.scalar().map(|s| (s, s.kind())) {
            Some((_, Some(Kind::Int(i)))) => i.to_string(),
            Some((_, Some(Kind::Bool(b)))) => b.to_string(),
            Some((s, Some(Kind::Float | Kind::Text))) => s.value.clone(),
            _ => String::new(),
        }
    }

    /// A whole number of at least 0, as YAML reads it (`3`, `0x3`).
    pub fn as_u64(&self) -> Option<u64> {
        match self.scalar()?.kind()? {
            Kind::Int(i) => u64::try_from(i).ok(),
            _ => None,
        }
    }
}

impl Scalar {
    /// What YAML reads this scalar as, by its tag and, when plain and
    /// untagged, by its text; `None` for what serde_yaml refuses: a core
    /// tag its text does not fit (`!!int abc`), a whole number beyond 64
    /// bits.
    pub fn kind(&self) -> Option<Kind> {
        let kind = match self.tag.as_deref() {
            Some("!!bool") => parse_bool(&self.value).map(Kind::Bool),
            Some("!!int") => parse_int(&self.value).map(Kind::Int),
            Some("!!float") => parse_float(&self.value).then_some(Kind::Float),
            Some("!!null") => is_null(&self.value).then_some(Kind::Null),
            Some(tag) if !tag.starts_with("!!") => Some(Kind::Tagged),
            Some(_) => Some(Kind::Text),
            None if self.style == ScalarStyle::Plain => Some(plain_kind(&self.value)),
            None => Some(Kind::Text),
        };
        let in_range = |i: &i128| (i64::MIN as i128..=u64::MAX as i128).contains(i);
        match kind? {
            Kind::Int(i) if !in_range(&i) => None,
            kind => Some(kind),
        }
    }
}

// ------------------------------------------------ YAML's core schema, as serde_yaml reads it

/// An untagged plain scalar: null, boolean, integer (of any size: one
/// beyond 128 bits is a float), float, else text. Only a digit, a sign or
/// a point can start a number, so most texts are told by their first byte.
fn plain_kind(text: &str) -> Kind {
    match text.as_bytes().first() {
        None => Kind::Null,
        Some(b'0'..=b'9' | b'+' | b'-' | b'.') => number_kind(text),
        Some(_) if is_null(text) => Kind::Null,
        Some(_) => parse_bool(text).map_or(Kind::Text, Kind::Bool),
    }
}

/// A plain scalar starting like a number: an integer, a float, or text
/// (`007`, `1-2`, `.5cm`).
fn number_kind(text: &str) -> Kind {
    if let Some(i) = parse_int(text) {
        Kind::Int(i)
    } else if !leading_zero_digits(text) && parse_float(text) {
        Kind::Float
    } else {
        Kind::Text
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `12`, `+12`, `-12`, `0x1F`, `0o17`, `0b101` (and negative radix
/// forms); not `007`, which YAML 1.2 reads as text.
fn parse_int(text: &str) -> Option<i128> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.starts_with(['+', '-']) {
        return None;
    }
    let radix = [("0x", 16), ("0o", 8), ("0b", 2)].into_iter().find_map(|(prefix, radix)| {
        let rest = digits.strip_prefix(prefix)?;
        u128::from_str_radix(rest, radix).ok().filter(|_| !rest.starts_with(['+', '-']))
    });
    let magnitude = match radix {
        Some(n) => n,
        None if leading_zero_digits(text) => return None,
        None => digits.parse::<u128>().ok()?,
    };
    let value = i128::try_from(magnitude).ok()?;
    Some(if negative { -value } else { value })
}

/// `3.10`, `1e3`, `-.5`, `.inf`, `.nan`: what Rust reads as a finite
/// float, or YAML's infinities and not-a-number.
fn parse_float(text: &str) -> bool {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return false,
        Some(rest) => rest,
        None => text,
    };
    matches!(unsigned, ".inf" | ".Inf" | ".INF")
        || matches!(text, "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN")
        || unsigned.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Leading zeros followed by digits (`007`, `-01`): text in YAML 1.2.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        plain_kind(text)
    }

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_reads_them() {
        for (text, expected) in [
            ("", Kind::Null),
            ("~", Kind::Null),
            ("True", Kind::Bool(true)),
            ("12", Kind::Int(12)),
            ("+12", Kind::Int(12)),
            ("-12", Kind::Int(-12)),
            ("0x10", Kind::Int(16)),
            ("-0o7", Kind::Int(-7)),
            ("007", Kind::Text),
            ("3.10", Kind::Float),
            ("1e3", Kind::Float),
            (".inf", Kind::Float),
            ("inf", Kind::Text),
            ("nan", Kind::Text),
            ("0x+1", Kind::Text),
            ("令和7", Kind::Text),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
        for text in ["", "~", "True", "12", "+12", "-12", "0x10", "-0o7", "007", "3.10", "1e3", ".inf", "inf", "0x+1"] {
            let yaml: serde_yaml::Value = serde_yaml::from_str(&format!("a: {text}")).unwrap();
            let serde_kind = match &yaml["a"] {
                serde_yaml::Value::Null => "null",
                serde_yaml::Value::Bool(_) => "bool",
                serde_yaml::Value::Number(n) if n.is_f64() => "float",
                serde_yaml::Value::Number(_) => "int",
                _ => "text",
            };
            let ours = match kind(text) {
                Kind::Null => "null",
                Kind::Bool(_) => "bool",
                Kind::Int(_) => "int",
                Kind::Float => "float",
                _ => "text",
            };
            assert_eq!(ours, serde_kind, "{text}");
        }
    }

    #[test]
    fn core_tags_decide_the_kind() {
        let tagged = |tag: &str, value: &str| Scalar {
            value: value.into(),
            style: ScalarStyle::Plain,
            tag: Some(tag.into()),
            lines: Vec::new(),
        };
        assert_eq!(tagged("!!str", "12").kind(), Some(Kind::Text));
        assert_eq!(tagged("!!int", "12").kind(), Some(Kind::Int(12)));
        assert_eq!(tagged("!!int", "abc").kind(), None);
        assert_eq!(tagged("!custom", "x").kind(), Some(Kind::Tagged));
        let plain = |value: &str| Scalar { tag: None, ..tagged("", value) };
        assert_eq!(plain("18446744073709551615").kind(), Some(Kind::Int(u64::MAX.into())));
        assert_eq!(plain("123456789012345678901234567890").kind(), None, "serde_yaml: u128 is not supported");
        assert_eq!(plain("1234567890123456789012345678901234567890").kind(), Some(Kind::Float));
    }
}
