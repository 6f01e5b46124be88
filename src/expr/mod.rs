//! The expression language of layouts: what a form computes (a weekday, a
//! day count, a total) and when a style applies.
//!
//! ```text
//! "{wareki(kikan_from)}（{weekday(kikan_from)}）"   a Template: text with {expressions}
//! working_days(kikan_from, kikan_to)             an Expr
//! ```
//!
//! - [`Expr::compile`] parses once (syntax errors, unknown functions and
//!   wrong argument counts are found here, with the offset of the mistake);
//!   [`Expr::eval`] runs against an [`Env`] that resolves names to [`Val`]s.
//! - Evaluation is bounded ([`LIMITS`]): no loops or statements exist, and
//!   operations, nesting depth, text and list sizes are capped; exceeding
//!   one is an [`ExprError`] of kind [`ErrorKind::Limit`] naming it.
//! - Numbers are exact decimals (`0.1 + 0.2` is `0.3`); `1 / 3` is a
//!   decimal too, and division by zero is an error.
//! - Text made from a value inside an expression (`"第" + 3 + "号"`,
//!   `text(x)`, `wareki(d)`) is printed as the form prints by default:
//!   full-width digits, 和暦 dates. `ascii(x)` gives half-width digits.
//!
//! The engine (rhai) is known only to `engine.rs`; the functions
//! (`functions.rs`) and everything else work on [`Val`].

mod engine;
pub mod functions;
mod print;
mod template;
#[cfg(test)]
mod tests;
mod value;

use std::collections::BTreeMap;
use std::fmt;

pub use functions::{Function, FUNCTIONS};
pub use print::Printer;
pub use template::{Part, Template};
pub use value::Val;

/// The bounds every evaluation runs within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Operations (each operator, call, variable access counts one).
    pub operations: u64,
    /// Nesting depth of an expression (parentheses, calls, operators).
    pub depth: usize,
    /// Bytes of text an expression may make (UTF-8: a kanji is 3 bytes).
    pub text_bytes: usize,
    /// Items of a list an expression may make.
    pub list_items: usize,
}

/// The limits of every expression.
pub const LIMITS: Limits = Limits { operations: 100_000, depth: 64, text_bytes: 65_536, list_items: 10_000 };

/// Where the names of an expression come from: fields of the current scope,
/// computed values, loop variables.
pub trait Env {
    /// The value of `name`: `Some(Val::Blank)` for a known field left
    /// empty, `None` for a name that does not exist.
    fn get(&self, name: &str) -> Option<Val>;

    /// The names that exist, to suggest one for a misspelt name.
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

impl Env for BTreeMap<String, Val> {
    fn get(&self, name: &str) -> Option<Val> {
        BTreeMap::get(self, name).cloned()
    }

    fn names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
}

/// No names at all.
impl Env for () {
    fn get(&self, _: &str) -> Option<Val> {
        None
    }
}

/// What went wrong, for callers that treat kinds differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The expression cannot be read (or a `{` is not closed).
    Syntax,
    /// A name the scope does not have.
    UnknownName,
    /// A function that does not exist, or called with the wrong number of
    /// arguments.
    UnknownFunction,
    /// A value of the wrong kind (`weekday("abc")`, `"a" - 1`).
    Type,
    /// Division by zero, a number too large.
    Arithmetic,
    /// A value that cannot be used: an impossible date, a year without
    /// known holidays.
    Value,
    /// Over one of the [`LIMITS`].
    Limit,
}

/// An expression error in plain words. `offset` counts **characters** (not
/// bytes) from the start of the expression — or of the template, for a
/// [`Template`] — to where the mistake is, so a caller can put a caret
/// under it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub kind: ErrorKind,
    pub message: String,
    pub offset: Option<usize>,
    pub help: Option<String>,
}

impl ExprError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> ExprError {
        ExprError { kind, message: message.into(), offset: None, help: None }
    }

    pub(crate) fn at(mut self, offset: Option<usize>) -> ExprError {
        self.offset = offset;
        self
    }

    pub(crate) fn with_help(mut self, help: Option<String>) -> ExprError {
        self.help = help;
        self
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}

/// A compiled expression.
#[derive(Debug, Clone)]
pub struct Expr {
    source: String,
    compiled: engine::Compiled,
}

impl Expr {
    /// Parse an expression. Syntax errors, unknown functions and wrong
    /// argument counts are reported here.
    pub fn compile(source: &str) -> Result<Expr, ExprError> {
        Ok(Expr { source: source.to_string(), compiled: engine::compile(source)? })
    }

    /// Evaluate against `env`. Only the names the expression uses are asked
    /// for, once each.
    pub fn eval(&self, env: &dyn Env) -> Result<Val, ExprError> {
        engine::eval(&self.compiled, env)
    }

    /// The text the expression was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The names the expression reads from its scope, in order of first
    /// use: what a checked layout verifies exist, and what orders
    /// `compute:` values (a cycle among them is an error there).
    pub fn names(&self) -> &[String] {
        self.compiled.names()
    }

    /// The fields the expression reads from named values, as `(name,
    /// field)` pairs in order of first use: `day.jikangai` and
    /// `sum(entries, "jikangai")` give `("day", "jikangai")` and
    /// `("entries", "jikangai")`. A record without the field gives a blank
    /// when evaluated, so a checked layout should verify these against the
    /// list's fields (`.year`, `.month`, `.day` of a date appear here too).
    pub fn fields(&self) -> &[(String, String)] {
        self.compiled.fields()
    }

    /// The name, when the whole expression is a bare name (`{field}`, the
    /// placeholder of old).
    pub fn as_name(&self) -> Option<&str> {
        let name = self.source.trim();
        (self.names() == [name]).then_some(name)
    }
}
