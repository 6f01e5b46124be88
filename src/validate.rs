//! Validation: a layout's cells are well-formed, and a data file's values
//! fit the fields those cells define.
//!
//! A layout defines its fields implicitly: a cell `{ text: mokuhyo }`
//! makes `mokuhyo` a text field, `{ amount: sojigyohi }` a number field.
//! Data values are checked against that and converted once, here, into
//! typed [`Value`]s, so that layout never sees raw YAML.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_yaml::Value as Yaml;

use crate::error::{nearest, Result};
use crate::model::layout::{Cell, Layout, Row, CONTENT_KEYS};
use crate::source::Source;
use crate::text::era::parse_fiscal_year;

/// What a cell prints.
#[derive(Debug, Clone, PartialEq)]
pub enum CellKind {
    Label(String),
    Text(String),
    Amount(String),
    Number(String),
    Choice(String),
    FiscalYear(String),
    Date(String),
    Rows,
}

impl CellKind {
    /// The kind of a cell, or an error if it names no content or several.
    pub fn of(cell: &Cell) -> std::result::Result<CellKind, String> {
        let mut kinds = Vec::new();
        let mut add = |key: &str, value: &Option<String>, make: fn(String) -> CellKind| {
            if let Some(v) = value {
                kinds.push((key.to_string(), make(v.clone())));
            }
        };
        add("label", &cell.label, CellKind::Label);
        add("text", &cell.text, CellKind::Text);
        add("amount", &cell.amount, CellKind::Amount);
        add("number", &cell.number, CellKind::Number);
        add("choice", &cell.choice, CellKind::Choice);
        add("fiscal_year", &cell.fiscal_year, CellKind::FiscalYear);
        add("date", &cell.date, CellKind::Date);
        if cell.rows.is_some() {
            kinds.push(("rows".to_string(), CellKind::Rows));
        }
        match kinds.len() {
            1 => Ok(kinds.remove(0).1),
            0 => Err(format!("a cell needs one of: {}", CONTENT_KEYS.join(", "))),
            _ => Err(format!(
                "a cell holds one thing, but this one has {}",
                kinds
                    .iter()
                    .map(|k| format!("`{}`", k.0))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }

    /// The style-defaults key of this kind (`defaults.label` …).
    pub fn name(&self) -> &'static str {
        match self {
            CellKind::Label(_) => "label",
            CellKind::Text(_) => "text",
            CellKind::Amount(_) => "amount",
            CellKind::Number(_) => "number",
            CellKind::Choice(_) => "choice",
            CellKind::FiscalYear(_) => "fiscal_year",
            CellKind::Date(_) => "date",
            CellKind::Rows => "rows",
        }
    }

    /// The data field the cell prints, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            CellKind::Text(f)
            | CellKind::Amount(f)
            | CellKind::Number(f)
            | CellKind::Choice(f)
            | CellKind::FiscalYear(f)
            | CellKind::Date(f) => Some(f),
            CellKind::Label(_) | CellKind::Rows => None,
        }
    }
}

/// A field a layout defines, and the cell that defines it.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub kind: CellKind,
    /// Options of a choice field.
    pub options: Vec<String>,
    /// Path of the defining cell in the layout file.
    pub cell_path: String,
}

/// A checked data value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    /// A fiscal year, Gregorian (2025 for 令和7年度).
    Year(i32),
    Date(NaiveDate),
    /// Index into the choice's options.
    Choice(usize),
}

/// The checked values of a data file, by field name. A blank field is
/// absent.
pub type Values = BTreeMap<String, Value>;

/// Every cell of a layout with its path, depth first.
pub fn cells(layout: &Layout) -> Vec<(String, &Cell)> {
    fn walk<'a>(rows: &'a [Row], path: &str, out: &mut Vec<(String, &'a Cell)>) {
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let here = format!("{path}[{r}].cells[{c}]");
                out.push((here.clone(), cell));
                if let Some(sub) = &cell.rows {
                    walk(sub, &format!("{here}.rows"), out);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (b, block) in layout.body.iter().enumerate() {
        if let Some(table) = &block.table {
            walk(&table.header, &format!("body[{b}].table.header"), &mut out);
            walk(&table.rows, &format!("body[{b}].table.rows"), &mut out);
        }
    }
    out
}

/// Check the layout's cells and collect the fields they define.
pub fn layout_fields(layout: &Layout, src: &Source) -> Result<BTreeMap<String, FieldDef>> {
    check_blocks(layout, src)?;
    check_defaults(layout, src)?;
    let mut fields: BTreeMap<String, FieldDef> = BTreeMap::new();
    for (path, cell) in cells(layout) {
        let kind = CellKind::of(cell).map_err(|m| src.error_at(&path, m))?;
        let options = cell.options.clone().unwrap_or_default();
        if matches!(kind, CellKind::Choice(_)) && options.is_empty() {
            return Err(src
                .error_at(&path, "a `choice` cell needs `options`")
                .with_help("e.g. options: [目標以下, 目標どおり, 目標以上]"));
        }
        let Some(name) = kind.field() else { continue };
        if let Some(previous) = fields.get(name) {
            if previous.kind.name() != kind.name() || previous.options != options {
                return Err(src
                    .error_at(
                        &path,
                        format!("field `{name}` is printed here as `{}`", kind.name()),
                    )
                    .with_help(format!(
                        "{} already prints it as `{}`; use another field name",
                        previous.cell_path,
                        previous.kind.name()
                    )));
            }
            continue;
        }
        fields.insert(
            name.to_string(),
            FieldDef {
                kind: kind.clone(),
                options,
                cell_path: path,
            },
        );
    }
    Ok(fields)
}

/// Each body block holds exactly one of `text` and `table`.
fn check_blocks(layout: &Layout, src: &Source) -> Result<()> {
    for (b, block) in layout.body.iter().enumerate() {
        if block.text.is_some() == block.table.is_some() {
            return Err(src.error_at(
                &format!("body[{b}]"),
                "a body block holds either `text` or `table`",
            ));
        }
    }
    Ok(())
}

/// The keys of `defaults` name cell kinds (or `all`).
fn check_defaults(layout: &Layout, src: &Source) -> Result<()> {
    const KINDS: [&str; 8] = [
        "all",
        "label",
        "text",
        "amount",
        "number",
        "choice",
        "fiscal_year",
        "date",
    ];
    for (kind, cell) in &layout.defaults {
        if !KINDS.contains(&kind.as_str()) {
            let err = src.error_at(
                &format!("defaults.{kind}"),
                format!("`{kind}` is not a cell kind"),
            );
            return Err(match nearest(kind, KINDS) {
                Some(best) => err.with_help(format!("did you mean `{best}`?")),
                None => err.with_help(format!("defaults are given for: {}", KINDS.join(", "))),
            });
        }
        if let Ok(k) = CellKind::of(cell) {
            let msg = format!("defaults hold style only, not content (`{}`)", k.name());
            return Err(src.error_at(&format!("defaults.{kind}"), msg));
        }
    }
    Ok(())
}

/// Check and convert the data file's values.
pub fn read_values(
    values: &BTreeMap<String, Yaml>,
    fields: &BTreeMap<String, FieldDef>,
    src: &Source,
    layout_name: &str,
) -> Result<Values> {
    let mut out = Values::new();
    for (name, raw) in values {
        let path = format!("fields.{name}");
        let Some(def) = fields.get(name) else {
            let mut err = src.error_at(
                &path,
                format!("the layout `{layout_name}` has no field `{name}`"),
            );
            err = match nearest(name, fields.keys().map(String::as_str)) {
                Some(best) => err.with_help(format!("did you mean `{best}`?")),
                None => err.with_help(format!(
                    "its fields are: {}",
                    fields.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            };
            return Err(err);
        };
        if let Some(value) = convert(raw, def).map_err(|(msg, help)| {
            let e = src.error_at(&path, msg);
            match help {
                Some(h) => e.with_help(h),
                None => e,
            }
        })? {
            out.insert(name.clone(), value);
        }
    }
    Ok(out)
}

type Conversion = std::result::Result<Option<Value>, (String, Option<String>)>;

/// One value, by the kind of its field. `Ok(None)` is a blank.
fn convert(raw: &Yaml, def: &FieldDef) -> Conversion {
    let text = match raw {
        Yaml::Null => return Ok(None),
        Yaml::String(s) if s.trim().is_empty() => return Ok(None),
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Sequence(_) | Yaml::Mapping(_) | Yaml::Tagged(_) => {
            return Err((
                format!(
                    "expected a single value for a `{}` field, found a list or mapping",
                    def.kind.name()
                ),
                None,
            ));
        }
    };
    match &def.kind {
        CellKind::Text(_) => Ok(Some(Value::Text(text.replace("\r\n", "\n")))),
        CellKind::Amount(_) | CellKind::Number(_) => parse_integer(&text)
            .map(|v| Some(Value::Integer(v)))
            .ok_or_else(|| {
                (
                    format!("expected a whole number, found `{text}`"),
                    Some(
                        "write digits only, e.g. 7188 (the unit is printed by the layout)"
                            .to_string(),
                    ),
                )
            }),
        CellKind::Choice(_) => match def.options.iter().position(|o| *o == text) {
            Some(i) => Ok(Some(Value::Choice(i))),
            None => {
                let help = match nearest(&text, def.options.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("choose one of: {}", def.options.join(", ")),
                };
                Err((format!("`{text}` is not one of the options"), Some(help)))
            }
        },
        CellKind::FiscalYear(_) => parse_fiscal_year(&text)
            .map(|y| Some(Value::Year(y)))
            .map_err(|e| (e.0, Some("e.g. 2025, 令和7 or R7".to_string()))),
        CellKind::Date(_) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(|d| Some(Value::Date(d)))
            .map_err(|_| {
                (
                    format!("expected a date, found `{text}`"),
                    Some("write dates as 2025-04-01".to_string()),
                )
            }),
        CellKind::Label(_) | CellKind::Rows => Ok(None),
    }
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
}
