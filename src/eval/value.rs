//! Checked data values: what a data file's fields hold once validation
//! has read them (`validate::data`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

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
