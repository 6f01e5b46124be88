//! A data file's values: checked against the layout's [`Fields`] and
//! converted once, here, into typed [`Value`]s, so that nothing after
//! validation sees raw YAML.
//!
//! What is typed is what is printed: a scalar is read as it is written in
//! the file ([`Node`]s read once from its text), not as YAML would
//! resolve it — `3.10` stays `3.10` in a text field, `1e3` is not a
//! number. Tags other than the core schema's (`!!binary`, `!custom`) are
//! refused. Numbers are exact decimals; dates and months are read as
//! people write them (`2025/10/3`, `令和7年10月3日`, `R7.10.3`).

use rust_decimal::Decimal;

use crate::calendar::{parse_date, parse_month};
use crate::error::{suggestion, Error, Result};
use crate::eval::{SeriesItem, Value, Values};
use crate::model::data::{Kind, Node, Scalar, ScalarStyle};
use crate::path::YamlPath;
use crate::text::era::parse_fiscal_year;
use crate::text::numerals::parse_number;

use super::checked::{CellKind, CheckedLayout, FieldKind};
use super::fields::{FieldDef, Fields};

/// The values of a data file's `fields:` entries (from
/// [`crate::source::Source::read_data`]) for `layout` (named `name` in the
/// data file), checked and converted; a plan's period checked against
/// the layout's year columns. Things worth a look (a folded text whose
/// bullet lines YAML merges) go to `warnings`.
pub fn values(
    layout: &CheckedLayout,
    fields: Vec<(Node, Node)>,
    name: &str,
    warnings: &mut Vec<String>,
) -> Result<Values> {
    let mut reader = Reader { layout_name: name, warnings };
    let values = reader.values(fields, &layout.fields, &YamlPath::root().key("fields"))?;
    check_period(layout, &values, name)?;
    Ok(values)
}

/// A plan's period (first and last fiscal year), if the layout has one
/// and the data gives it.
pub fn period(layout: &CheckedLayout, values: &Values) -> Option<(i32, i32)> {
    let period = layout.period.as_ref()?;
    match (values.get(&period.from), values.get(&period.to)) {
        (Some(Value::Year(a)), Some(Value::Year(b))) => Some((*a, *b)),
        _ => None,
    }
}

/// A plan's period must run forwards and fill its year columns.
fn check_period(layout: &CheckedLayout, values: &Values, name: &str) -> Result<()> {
    let (Some(period), Some((from, to))) = (&layout.period, self::period(layout, values)) else {
        return Ok(());
    };
    let to_field = YamlPath::root().key("fields").key(period.to.clone());
    if from > to {
        let msg = "the plan's period ends before it starts";
        return Err(Error::in_data(&to_field, msg)
            .with_help(format!("`{}` must be the same year as `{}` or later", period.to, period.from)));
    }
    let years = (to - from + 1) as usize;
    let columns = layout.cells().into_iter().find(|c| matches!(c.kind, CellKind::YearLabels(_)) && c.span != years);
    if let Some(cell) = columns {
        let span = cell.span;
        let msg = format!("the period has {years} years but the layout's year columns are {span}");
        let help = format!("the layout `{name}` ({}) is made for {span}-year plans", cell.path);
        return Err(Error::in_data(&to_field, msg).with_help(help));
    }
    Ok(())
}

/// Reads one data file's values. Paths are built for messages only: a
/// value that reads well never needs one.
struct Reader<'s> {
    layout_name: &'s str,
    warnings: &'s mut Vec<String>,
}

impl Reader<'_> {
    /// Check and convert the entries of one scope; `path` is where they
    /// stand in the data file (`fields`, `fields.sections[0]`).
    fn values(&mut self, entries: Vec<(Node, Node)>, fields: &Fields, path: &YamlPath) -> Result<Values> {
        let mut out = Values::new();
        for (key, node) in entries {
            let Some(name) = key.as_key() else {
                return Err(Error::in_data(path, format!("field names are text, found `{}`", key.describe())));
            };
            let here = || path.key(name.to_string());
            if let Some(tag) = node.scalar().and_then(|s| s.tag.as_deref()).filter(|t| !is_core_tag(t)) {
                return Err(Error::in_data(&here(), format!("the tag `{tag}` has no meaning in a data file"))
                    .with_help("write the value as it should print, without a tag"));
            }
            if let Some(def) = fields.fields.get(name) {
                if let (FieldKind::Text, Node::Scalar(scalar)) = (&def.kind, &node) {
                    self.check_folded(scalar, &here);
                }
                let converted = if def.kind == FieldKind::Series {
                    convert_series(node, def.series_len)
                } else {
                    convert(node, def)
                };
                let converted = converted.map_err(|(msg, help)| {
                    let e = Error::in_data(&here(), msg);
                    match help {
                        Some(h) => e.with_help(h),
                        None => e,
                    }
                })?;
                if let Some(value) = converted {
                    out.insert(name.to_string(), value);
                }
            } else if let Some(list) = fields.lists.get(name) {
                let value = self.list(node, list, &here())?;
                out.insert(name.to_string(), value);
            } else {
                return Err(unknown_field(fields, &here(), name, self.layout_name));
            }
        }
        Ok(out)
    }

    fn list(&mut self, node: Node, fields: &Fields, path: &YamlPath) -> Result<Value> {
        let items = match node {
            Node::Scalar(s) if s.kind() == Some(Kind::Null) => return Ok(Value::List(Vec::new())),
            Node::List(items) => items,
            _ => return Err(Error::in_data(path, "expected a list (lines starting with `- `)")),
        };
        let mut list = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let here = path.index(i);
            let Node::Map(entries) = item else {
                let keys: Vec<&String> = fields.fields.keys().chain(fields.lists.keys()).collect();
                return Err(Error::in_data(&here, "expected an element with named fields")
                    .with_help(format!("write `- {}: …`", keys.first().map(|k| k.as_str()).unwrap_or("name"))));
            };
            list.push(self.values(entries, fields, &here)?);
        }
        Ok(Value::List(list))
    }

    /// A folded (`>`) or plain text spanning lines is joined into one
    /// paragraph by YAML: if some of its lines are bullets, item numbers
    /// or 【headings】, that is not what the writer meant.
    fn check_folded(&mut self, scalar: &Scalar, path: &dyn Fn() -> YamlPath) {
        if scalar.lines.is_empty() || !matches!(scalar.style, ScalarStyle::Folded | ScalarStyle::Plain) {
            return;
        }
        // A marker on the first line (the key's, for a plain text) starts
        // the paragraph anyway: only the lines after it are merged.
        let bullets = super::style::default_bullets();
        let marked = scalar.lines.iter().skip(1).find(|line| {
            let chars: Vec<char> = line.trim_start().chars().collect();
            chars.first() == Some(&'【') || crate::text::hang::marker(&chars, &bullets).is_some()
        });
        if let Some(line) = marked {
            let style = if scalar.style == ScalarStyle::Folded { "folded (`>`)" } else { "plain" };
            self.warnings.push(format!(
                "{}: this {style} text joins its lines into one paragraph, so `{}` does not start a line of its own; write `|-` after the key to keep each line",
                path(),
                line.trim()
            ));
        }
    }
}

/// Tags of YAML's core schema, which say what the value already is.
fn is_core_tag(tag: &str) -> bool {
    matches!(tag, "!!str" | "!!int" | "!!float" | "!!bool" | "!!null" | "!!seq" | "!!map")
}

fn unknown_field(fields: &Fields, path: &YamlPath, name: &str, layout_name: &str) -> Error {
    let known: Vec<&str> = fields.fields.keys().chain(fields.lists.keys()).map(String::as_str).collect();
    let help = suggestion(name, known.iter().copied(), || format!("the fields here are: {}", known.join(", ")));
    Error::in_data(path, format!("the layout `{layout_name}` has no field `{name}` here")).with_help(help)
}

type Conversion = std::result::Result<Option<Value>, (String, Option<String>)>;

/// One value, by the kind of its field, from the scalar as it is
/// written. `Ok(None)` is a blank.
fn convert(node: Node, def: &FieldDef) -> Conversion {
    let (text, kind) = match node {
        Node::Scalar(s) => match s.kind() {
            Some(Kind::Null) => return Ok(None),
            Some(Kind::Text) if s.value.trim().is_empty() => return Ok(None),
            Some(Kind::Tagged) => return Err(not_single(def)),
            kind => (s.value, kind),
        },
        Node::List(_) | Node::Map(_) | Node::Tagged => return Err(not_single(def)),
    };
    match &def.kind {
        FieldKind::Text => Ok(Some(Value::Text(unix_lines(text)))),
        FieldKind::Amount | FieldKind::Number => convert_number(&text, def.places).map(|n| Some(Value::Number(n))),
        FieldKind::Choice => match def.options.iter().position(|o| *o == text) {
            Some(i) => Ok(Some(Value::Choice(i, text))),
            None => {
                let help = suggestion(&text, def.options.iter().map(String::as_str), || {
                    let options: Vec<String> = def.options.iter().map(|o| format!("`{o}`")).collect();
                    format!("choose one of: {}", options.join(", "))
                });
                Err((format!("`{text}` is not one of the options"), Some(help)))
            }
        },
        FieldKind::FiscalYear => parse_fiscal_year(&text)
            .map(|y| Some(Value::Year(y)))
            .map_err(|e| (e.0, Some("e.g. 2025, 令和7 or R7".to_string()))),
        FieldKind::Date => parse_date(&text).map(|d| Some(Value::Date(d))).map_err(|e| match reason(&e.0, &text) {
            Some(why) => (format!("expected a date, found `{text}`: {why}"), None),
            None => (
                format!("expected a date, found `{text}`"),
                Some("write dates as 2025-04-01, 2025/4/1, 令和7年4月1日 or R7.4.1".into()),
            ),
        }),
        FieldKind::Month => parse_month(&text).map(|m| Some(Value::Month(m))).map_err(|e| match reason(&e.0, &text) {
            Some(why) => (format!("expected a month, found `{text}`: {why}"), None),
            None => {
                (format!("expected a month, found `{text}`"), Some("write months as 2025-10 or 令和7年10月".into()))
            }
        }),
        FieldKind::Series => Ok(None),
        FieldKind::Boxes => Ok(Some(boxes_value(kind, text))),
    }
}

/// A text with `\r\n` line ends (a quoted scalar may keep one) as `\n`.
fn unix_lines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

fn not_single(def: &FieldDef) -> (String, Option<String>) {
    (format!("expected a single value for a `{}` field, found a list or mapping", def.kind.name()), None)
}

/// The value of a `boxes` field: a whole number (printed digit by digit,
/// `△` when negative), or any other value as the text it was typed as (a
/// code such as `000123` keeps its zeros: `text` is the scalar as written).
fn boxes_value(kind: Option<Kind>, text: String) -> Value {
    match kind.and_then(|k| if let Kind::Int(i) = k { i64::try_from(i).ok() } else { None }) {
        Some(i) if i.to_string() == text => Value::Number(Decimal::from(i)),
        _ => Value::Text(text),
    }
}

/// Why a date that looks like one is impossible (`2026-02 has 28 days, so
/// there is no day 30`); `None` when the text is not shaped like a date.
fn reason(message: &str, text: &str) -> Option<String> {
    let quoted = format!("`{text}`");
    let rest = message.strip_prefix(&quoted)?;
    rest.strip_prefix(": ").or_else(|| rest.strip_prefix(" is ")).map(str::to_string)
}

/// A number as typed (`7188`, `7,188`, `１２．５`, `△1,234`), with at most
/// `places` decimals if the field's cell fixes them.
fn convert_number(text: &str, places: Option<u32>) -> std::result::Result<Decimal, (String, Option<String>)> {
    let n = parse_number(text).map_err(|e| {
        let reason = e.0.split_once(": ").map(|(_, r)| r).unwrap_or(&e.0).to_string();
        (
            format!("expected a number, found `{text}`: {reason}"),
            Some("write digits, e.g. 7188, 7,188 or 12.5 (the unit is printed by the layout)".to_string()),
        )
    })?;
    if let Some(places) = places.filter(|p| n.scale() > *p) {
        let plural = |n: u32| if n == 1 { format!("{n} decimal place") } else { format!("{n} decimal places") };
        let written = if places == 0 { "whole numbers".to_string() } else { plural(places) };
        return Err((
            format!("`{text}` has {}, but this field prints {written}", plural(n.scale())),
            Some(format!("write it with at most {}; yoshiki does not round what is typed", plural(places))),
        ));
    }
    Ok(n)
}

/// A series: one text spanning all `len` columns, or a list of texts (or
/// `{ text, span }` items) filling exactly `len` columns, each text as
/// typed.
fn convert_series(node: Node, len: u32) -> std::result::Result<Option<Value>, (String, Option<String>)> {
    let items: Vec<SeriesItem> = match node {
        Node::Scalar(s) if s.kind() == Some(Kind::Null) => vec![SeriesItem { text: String::new(), span: len }],
        Node::List(items) => items.into_iter().map(series_item).collect::<std::result::Result<_, _>>()?,
        map @ Node::Map(_) => vec![series_item(map)?],
        other => vec![SeriesItem { text: other.describe(), span: len }],
    };
    let filled: u32 = items.iter().map(|i| i.span).sum();
    if filled != len {
        let msg = format!("expected values for {len} columns, found {filled}");
        let help =
            format!("give {len} values (\"\" for an empty one), one text for all, or items `{{ text: …, span: N }}`");
        return Err((msg, Some(help)));
    }
    Ok(Some(Value::Series(items)))
}

fn series_item(node: Node) -> std::result::Result<SeriesItem, (String, Option<String>)> {
    match node {
        Node::Map(entries) => {
            let mut item = SeriesItem { text: String::new(), span: 1 };
            for (k, v) in entries {
                match k.as_key() {
                    Some("text") => item.text = v.describe(),
                    Some("span") => {
                        item.span = v
                            .as_u64()
                            .filter(|n| *n >= 1)
                            .ok_or(("`span` is a whole number of columns".to_string(), None))?
                            as u32;
                    }
                    _ => return Err((format!("a series item has `text` and `span`, not `{}`", k.describe()), None)),
                }
            }
            Ok(item)
        }
        Node::Scalar(s) => match s.kind() {
            Some(Kind::Null) => Ok(SeriesItem { text: String::new(), span: 1 }),
            Some(Kind::Tagged) => Err(not_a_series_item()),
            _ => Ok(SeriesItem { text: unix_lines(s.value), span: 1 }),
        },
        Node::List(_) | Node::Tagged => Err(not_a_series_item()),
    }
}

fn not_a_series_item() -> (String, Option<String>) {
    ("a series item is a text or `{ text, span }`".to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_users_type_them() {
        let n = |s: &str| convert_number(s, None).map(|n| n.to_string());
        assert_eq!(n("7188").unwrap(), "7188");
        assert_eq!(n("７，１８８").unwrap(), "7188");
        assert_eq!(n("△1,234").unwrap(), "-1234");
        assert_eq!(n("12.50").unwrap(), "12.50");
        assert!(n("約7000").is_err());
        assert!(n("7,18,8").unwrap_err().0.contains("7,18,8"));
        assert!(convert_number("1.25", Some(1)).unwrap_err().0.contains("2 decimal places"));
        assert_eq!(convert_number("1.5", Some(1)).unwrap().to_string(), "1.5");
    }

    /// The node of `yaml` written as a field's value.
    fn node(yaml: &str) -> Node {
        crate::model::written::data(&format!("layout: x\nfields:\n  v: {yaml}\n")).unwrap().fields.remove(0).1
    }

    #[test]
    fn series_fill_their_columns() {
        let Some(Value::Series(items)) = convert_series(node("[a, 3.10, {text: c, span: 3}]"), 5).unwrap() else {
            panic!()
        };
        assert_eq!(items.iter().map(|i| i.span).collect::<Vec<_>>(), [1, 1, 3]);
        assert_eq!(items[1].text, "3.10", "as typed");
        assert_eq!(
            convert_series(node("narrative"), 5).unwrap(),
            Some(Value::Series(vec![SeriesItem { text: "narrative".into(), span: 5 }]))
        );
        let short = convert_series(node("[a, b]"), 5).unwrap_err();
        assert!(short.0.contains("expected values for 5 columns, found 2"));
    }

    #[test]
    fn boxes_keep_what_is_not_a_plain_whole_number() {
        let boxes = |yaml: &str| {
            let Node::Scalar(s) = node(yaml) else { panic!() };
            boxes_value(s.kind(), s.value)
        };
        assert_eq!(boxes("123"), Value::Number(Decimal::from(123)));
        assert_eq!(boxes("000123"), Value::Text("000123".into()));
        assert_eq!(boxes("+12"), Value::Text("+12".into()));
        assert_eq!(boxes("'123'"), Value::Text("123".into()));
    }
}
