//! The values expressions compute with, independent of the engine.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::Month;

/// A value in an expression: what a field holds, what a function returns.
///
/// Lists and records are shared (`Arc`): handing a long list to an
/// expression, or a row's record to each of its cells, copies a pointer.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// An empty field. Prints as nothing; `+`/`-` count it as 0, aggregates
    /// skip it, and most functions given a blank return a blank.
    Blank,
    Bool(bool),
    Int(i64),
    /// An exact decimal (`0.1 + 0.2` is `0.3`).
    Number(Decimal),
    Text(String),
    Date(NaiveDate),
    Month(Month),
    /// A fiscal year (年度), by its Gregorian year: 2025 for 令和7年度.
    FiscalYear(i32),
    List(Arc<[Val]>),
    /// The fields of one list element.
    Record(Arc<BTreeMap<String, Val>>),
}

impl Val {
    pub fn list(items: Vec<Val>) -> Val {
        Val::List(items.into())
    }

    pub fn record(fields: BTreeMap<String, Val>) -> Val {
        Val::Record(Arc::new(fields))
    }

    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Val::Blank)
    }

    /// An integer or a decimal, as a decimal.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Val::Int(n) => Some(Decimal::from(*n)),
            Val::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The kind of value, in the words of messages (`a date`, `text`).
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Blank => "a blank",
            Val::Bool(_) => "true/false",
            Val::Int(_) => "a whole number",
            Val::Number(_) => "a number",
            Val::Text(_) => "text",
            Val::Date(_) => "a date",
            Val::Month(_) => "a month",
            Val::FiscalYear(_) => "a fiscal year",
            Val::List(_) => "a list",
            Val::Record(_) => "a record",
        }
    }

    /// The value for a message: `text "abc"`, `a date (2026-02-20)`.
    pub fn describe(&self) -> String {
        match self {
            Val::Blank | Val::List(_) | Val::Record(_) => self.kind().to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Int(n) => format!("{} ({n})", self.kind()),
            Val::Number(n) => format!("{} ({n})", self.kind()),
            Val::Text(s) if s.chars().count() > 20 => {
                format!("text \"{}…\"", s.chars().take(20).collect::<String>())
            }
            Val::Text(s) => format!("text \"{s}\""),
            Val::Date(d) => format!("a date ({d})"),
            Val::Month(m) => format!("a month ({m})"),
            Val::FiscalYear(y) => format!("a fiscal year ({y})"),
        }
    }
}

impl From<bool> for Val {
    fn from(b: bool) -> Val {
        Val::Bool(b)
    }
}

impl From<i64> for Val {
    fn from(n: i64) -> Val {
        Val::Int(n)
    }
}

impl From<Decimal> for Val {
    fn from(n: Decimal) -> Val {
        Val::Number(n)
    }
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(s.to_string())
    }
}

impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(s)
    }
}

impl From<NaiveDate> for Val {
    fn from(d: NaiveDate) -> Val {
        Val::Date(d)
    }
}

impl From<Month> for Val {
    fn from(m: Month) -> Val {
        Val::Month(m)
    }
}

impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Blank, Into::into)
    }
}
