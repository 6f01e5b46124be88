//! Checked data values: what a data file's fields hold once validation
//! has read them (`validate::data`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::Month;
use crate::expr::Val;
use crate::text::format;
use crate::text::numerals::Digits;

/// One value of a series, spanning `span` columns.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesItem {
    pub text: String,
    pub span: u32,
}

/// A checked data value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A number or an amount: an exact decimal with the places typed
    /// (`12.50` keeps its two places).
    Number(Decimal),
    /// A fiscal year, Gregorian (2025 for 令和7年度).
    Year(i32),
    Date(NaiveDate),
    /// The chosen option: its index among the options, and its text.
    Choice(usize, String),
    /// A month (`2026-02`, `令和8年2月`).
    Month(Month),
    /// Values across columns.
    Series(Vec<SeriesItem>),
    /// The elements of a list, each with its own fields.
    List(Vec<Values>),
}

/// The checked values of one scope, by field name. A blank field is
/// absent. (A `BTreeMap`: nothing that reaches output may depend on hash
/// order.)
pub type Values = BTreeMap<String, Value>;

impl Value {
    /// The value as plain text, for `{placeholders}`: a text as given, a
    /// number in ASCII digits, a year, a date or a month in 和暦 (year 1 as 元年),
    /// a series' texts joined by spaces.
    pub fn plain_text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(n) => n.to_string(),
            Value::Year(y) => format::year_label(*y),
            Value::Date(d) => format::date(*d, true, Digits::Ascii),
            Value::Month(m) => format::month(m.year(), m.month(), true, Digits::Ascii),
            Value::Choice(_, text) => text.clone(),
            Value::Series(items) => items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join(" "),
            Value::List(_) => String::new(),
        }
    }

    /// The value as expressions see it: a choice is its text, a series its
    /// texts joined by spaces, a list a list of records.
    pub fn to_val(&self) -> Val {
        match self {
            Value::Text(t) => Val::Text(t.clone()),
            Value::Number(n) => Val::Number(*n),
            Value::Year(y) => Val::FiscalYear(*y),
            Value::Date(d) => Val::Date(*d),
            Value::Month(m) => Val::Month(*m),
            Value::Choice(_, text) => Val::Text(text.clone()),
            Value::Series(_) => Val::Text(self.plain_text()),
            Value::List(items) => Val::list(items.iter().map(record).collect()),
        }
    }
}

/// The fields of a list element as an expression record.
pub fn record(values: &Values) -> Val {
    Val::record(values.iter().map(|(k, v)| (k.clone(), v.to_val())).collect())
}
