//! A data file's values: checked against the layout's [`Fields`] and
//! converted once, here, into typed [`Value`]s, so that nothing after
//! validation sees raw YAML.

use chrono::NaiveDate;
use serde_yaml::Value as Yaml;

use crate::error::{suggestion, Error, Result};
use crate::eval::{SeriesItem, Value, Values};
use crate::path::YamlPath;
use crate::text::era::parse_fiscal_year;

use super::checked::{CellKind, CheckedLayout, FieldKind};
use super::fields::{FieldDef, Fields};

/// The values of a data file's `fields:` for `layout` (named `name` in the
/// data file), checked and converted; a plan's period checked against
/// the layout's year columns.
pub fn values(layout: &CheckedLayout, fields: &serde_yaml::Mapping, name: &str) -> Result<Values> {
    let values = read_values(fields, &layout.fields, &YamlPath::root().key("fields"), name)?;
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

/// Check and convert the values of one scope; `path` is where they stand
/// in the data file (`fields`, `fields.sections[0]`).
pub fn read_values<'a>(
    values: impl IntoIterator<Item = (&'a Yaml, &'a Yaml)>,
    fields: &Fields,
    path: &YamlPath,
    layout_name: &str,
) -> Result<Values> {
    let mut out = Values::new();
    for (key, raw) in values {
        let Some(name) = key.as_str() else {
            return Err(Error::in_data(path, format!("field names are text, found `{}`", scalar_text(key))));
        };
        let here = path.key(name.to_string());
        if let Some(def) = fields.fields.get(name) {
            if let Some(value) = convert(raw, def).map_err(|(msg, help)| {
                let e = Error::in_data(&here, msg);
                match help {
                    Some(h) => e.with_help(h),
                    None => e,
                }
            })? {
                out.insert(name.to_string(), value);
            }
        } else if let Some(list) = fields.lists.get(name) {
            out.insert(name.to_string(), read_list(raw, list, &here, layout_name)?);
        } else {
            return Err(unknown_field(fields, &here, name, layout_name));
        }
    }
    Ok(out)
}

fn read_list(raw: &Yaml, fields: &Fields, path: &YamlPath, layout_name: &str) -> Result<Value> {
    let items = match raw {
        Yaml::Null => return Ok(Value::List(Vec::new())),
        Yaml::Sequence(items) => items,
        _ => return Err(Error::in_data(path, "expected a list (lines starting with `- `)")),
    };
    let mut list = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = path.index(i);
        let Yaml::Mapping(map) = item else {
            let keys: Vec<&String> = fields.fields.keys().chain(fields.lists.keys()).collect();
            return Err(Error::in_data(&here, "expected an element with named fields")
                .with_help(format!("write `- {}: …`", keys.first().map(|k| k.as_str()).unwrap_or("name"))));
        };
        list.push(read_values(map, fields, &here, layout_name)?);
    }
    Ok(Value::List(list))
}

fn unknown_field(fields: &Fields, path: &YamlPath, name: &str, layout_name: &str) -> Error {
    let known: Vec<&str> = fields.fields.keys().chain(fields.lists.keys()).map(String::as_str).collect();
    let help = suggestion(name, known.iter().copied(), || format!("the fields here are: {}", known.join(", ")));
    Error::in_data(path, format!("the layout `{layout_name}` has no field `{name}` here")).with_help(help)
}

fn scalar_text(raw: &Yaml) -> String {
    match raw {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

type Conversion = std::result::Result<Option<Value>, (String, Option<String>)>;

/// One value, by the kind of its field. `Ok(None)` is a blank.
fn convert(raw: &Yaml, def: &FieldDef) -> Conversion {
    if let FieldKind::Series = def.kind {
        return convert_series(raw, def.series_len).map(Some);
    }
    let text = match raw {
        Yaml::Null => return Ok(None),
        Yaml::String(s) if s.trim().is_empty() => return Ok(None),
        Yaml::Sequence(_) | Yaml::Mapping(_) | Yaml::Tagged(_) => {
            return Err((
                format!("expected a single value for a `{}` field, found a list or mapping", def.kind.name()),
                None,
            ));
        }
        other => scalar_text(other),
    };
    match &def.kind {
        FieldKind::Text => Ok(Some(Value::Text(text.replace("\r\n", "\n")))),
        FieldKind::Amount | FieldKind::Number => {
            parse_integer(&text).map(|v| Some(Value::Integer(v))).ok_or_else(|| {
                (
                    format!("expected a whole number, found `{text}`"),
                    Some("write digits only, e.g. 7188 (the unit is printed by the layout)".to_string()),
                )
            })
        }
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
        FieldKind::Date => {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map(|d| Some(Value::Date(d))).map_err(|_| {
                let shaped = text.trim().len() == 10 && text.trim().chars().filter(|c| *c == '-').count() == 2;
                if shaped {
                    let days = month_length(text.trim());
                    let help = match days {
                        Some((month, n)) => format!("{month} has {n} days"),
                        None => "check the month and the day".to_string(),
                    };
                    (format!("expected a date, found `{text}`, which is not a day of the calendar"), Some(help))
                } else {
                    (format!("expected a date, found `{text}`"), Some("write dates as 2025-04-01".to_string()))
                }
            })
        }
        FieldKind::Series => Ok(None),
    }
}

/// A series: one text spanning all `len` columns, or a list of texts (or
/// `{ text, span }` items) filling exactly `len` columns.
fn convert_series(raw: &Yaml, len: u32) -> std::result::Result<Value, (String, Option<String>)> {
    let items: Vec<SeriesItem> = match raw {
        Yaml::Null => vec![SeriesItem { text: String::new(), span: len }],
        Yaml::Sequence(values) => values.iter().map(series_item).collect::<std::result::Result<_, _>>()?,
        Yaml::Mapping(_) => vec![series_item(raw)?],
        other => vec![SeriesItem { text: scalar_text(other), span: len }],
    };
    let filled: u32 = items.iter().map(|i| i.span).sum();
    if filled != len {
        let msg = format!("expected values for {len} columns, found {filled}");
        let help =
            format!("give {len} values (\"\" for an empty one), one text for all, or items `{{ text: …, span: N }}`");
        return Err((msg, Some(help)));
    }
    Ok(Value::Series(items))
}

fn series_item(raw: &Yaml) -> std::result::Result<SeriesItem, (String, Option<String>)> {
    match raw {
        Yaml::Mapping(map) => {
            let mut item = SeriesItem { text: String::new(), span: 1 };
            for (k, v) in map {
                match k.as_str() {
                    Some("text") => item.text = scalar_text(v),
                    Some("span") => {
                        item.span = v
                            .as_u64()
                            .filter(|n| *n >= 1)
                            .ok_or(("`span` is a whole number of columns".to_string(), None))?
                            as u32;
                    }
                    _ => return Err((format!("a series item has `text` and `span`, not `{}`", scalar_text(k)), None)),
                }
            }
            Ok(item)
        }
        Yaml::Sequence(_) | Yaml::Tagged(_) => Err(("a series item is a text or `{ text, span }`".to_string(), None)),
        other => Ok(SeriesItem { text: scalar_text(other).replace("\r\n", "\n"), span: 1 }),
    }
}

/// `2025-02` and its number of days, for a `YYYY-MM-DD` text with a real month.
fn month_length(text: &str) -> Option<(String, u32)> {
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((format!("{year}-{month:02}"), (next - first).num_days() as u32))
}

/// An integer as users type it: `7188`, `7,188`, `７，１８８`, `-5`, `△5`.
fn parse_integer(s: &str) -> Option<i64> {
    let mut digits = String::new();
    for c in s.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from_u32(c as u32 - 0xFEE0)?),
            ',' | '，' => {}
            '-' | '－' | '△' | '▲' if digits.is_empty() => digits.push('-'),
            _ => return None,
        }
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_users_type_them() {
        assert_eq!(parse_integer("7188"), Some(7188));
        assert_eq!(parse_integer("７，１８８"), Some(7188));
        assert_eq!(parse_integer("△1,234"), Some(-1234));
        assert_eq!(parse_integer("7.5"), None);
        assert_eq!(parse_integer("約7000"), None);
    }

    #[test]
    fn series_fill_their_columns() {
        let list: Yaml = serde_yaml::from_str("[a, b, {text: c, span: 3}]").unwrap();
        let Value::Series(items) = convert_series(&list, 5).unwrap() else { panic!() };
        assert_eq!(items.iter().map(|i| i.span).collect::<Vec<_>>(), [1, 1, 3]);
        let one: Yaml = serde_yaml::from_str("narrative").unwrap();
        assert_eq!(
            convert_series(&one, 5).unwrap(),
            Value::Series(vec![SeriesItem { text: "narrative".into(), span: 5 }])
        );
        let short: Yaml = serde_yaml::from_str("[a, b]").unwrap();
        assert!(convert_series(&short, 5).unwrap_err().0.contains("expected values for 5 columns, found 2"));
    }
}
