//! What validation decides about a layout, once: each cell's kind.

use crate::eval::template::is_template;
use crate::model::layout::{Cell, YearFormat, CONTENT_KEYS};

/// What a cell prints.
#[derive(Debug, Clone, PartialEq)]
pub enum CellKind {
    Label(String),
    /// A text field, or a template with `{placeholders}`.
    Text(String),
    Amount(String),
    Number(String),
    Choice(String),
    FiscalYear(String),
    Date(String),
    Series(String),
    YearLabels(YearFormat),
    Rows,
}

/// The kind of a field: what its data values are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Amount,
    Number,
    Choice,
    FiscalYear,
    Date,
    Series,
}

impl FieldKind {
    /// The content key of the cells printing it (`amount` …).
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Amount => "amount",
            FieldKind::Number => "number",
            FieldKind::Choice => "choice",
            FieldKind::FiscalYear => "fiscal_year",
            FieldKind::Date => "date",
            FieldKind::Series => "series",
        }
    }
}

impl CellKind {
    /// The kind of a cell, or an error if it names no content or several.
    pub fn of(cell: &Cell) -> Result<CellKind, String> {
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
        add("series", &cell.series, CellKind::Series);
        if let Some(format) = cell.year_labels {
            kinds.push(("year_labels".to_string(), CellKind::YearLabels(format)));
        }
        if cell.rows.is_some() {
            kinds.push(("rows".to_string(), CellKind::Rows));
        }
        match kinds.len() {
            1 => Ok(kinds.remove(0).1),
            0 => Err(format!("a cell needs one of: {}", CONTENT_KEYS.join(", "))),
            _ => Err(format!(
                "a cell holds one thing, but this one has {}",
                kinds.iter().map(|k| format!("`{}`", k.0)).collect::<Vec<_>>().join(" and ")
            )),
        }
    }

    /// The content key of this kind, which is also its style-defaults key
    /// (`defaults.label` …).
    pub fn name(&self) -> &'static str {
        match self {
            CellKind::Label(_) => "label",
            CellKind::Text(_) => "text",
            CellKind::Amount(_) => "amount",
            CellKind::Number(_) => "number",
            CellKind::Choice(_) => "choice",
            CellKind::FiscalYear(_) => "fiscal_year",
            CellKind::Date(_) => "date",
            CellKind::Series(_) => "series",
            CellKind::YearLabels(_) => "year_labels",
            CellKind::Rows => "rows",
        }
    }

    /// The data field the cell prints and its kind, if it prints exactly
    /// one (a text with `{placeholders}` is a template, not a field).
    pub fn field(&self) -> Option<(&str, FieldKind)> {
        match self {
            CellKind::Text(f) if is_template(f) => None,
            CellKind::Text(f) => Some((f, FieldKind::Text)),
            CellKind::Amount(f) => Some((f, FieldKind::Amount)),
            CellKind::Number(f) => Some((f, FieldKind::Number)),
            CellKind::Choice(f) => Some((f, FieldKind::Choice)),
            CellKind::FiscalYear(f) => Some((f, FieldKind::FiscalYear)),
            CellKind::Date(f) => Some((f, FieldKind::Date)),
            CellKind::Series(f) => Some((f, FieldKind::Series)),
            CellKind::Label(_) | CellKind::YearLabels(_) | CellKind::Rows => None,
        }
    }
}
