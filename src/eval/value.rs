//! Checked data values: what a data file's fields hold once validation
//! has read them (`validate::data`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

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
    Integer(i64),
    /// A fiscal year, Gregorian (2025 for 令和7年度).
    Year(i32),
    Date(NaiveDate),
    /// The chosen option: its index among the options, and its text.
    Choice(usize, String),
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
    /// number in ASCII digits, a year or a date in 和暦 (year 1 as 元年),
    /// a series' texts joined by spaces.
    pub fn plain_text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Integer(n) => n.to_string(),
            Value::Year(y) => format::year_label(*y),
            Value::Date(d) => format::date(*d, true, Digits::Ascii),
            Value::Choice(_, text) => text.clone(),
            Value::Series(items) => items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join(" "),
            Value::List(_) => String::new(),
        }
    }
}
