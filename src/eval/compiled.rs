//! Expressions and templates as a checked layout holds them: compiled once
//! by validation, each with the layout path of the YAML value it was
//! written in, so that an error while filling the form points at the
//! expression (and at the character that went wrong).

use crate::error::{Error, Site};
use crate::expr::{Expr, ExprError, Template};
use crate::path::YamlPath;

/// A compiled expression and where it is written (`…cells[1].value`,
/// `compute.total`, `…rows[2].when`).
#[derive(Debug, Clone)]
pub struct Expression {
    pub expr: Expr,
    pub path: YamlPath,
}

impl Expression {
    /// A blank expression (`()`) standing in until validation compiles
    /// the one written (`CellKind::of` decides kinds before paths exist).
    pub fn placeholder() -> Expression {
        Expression { expr: Expr::compile("()").expect("`()` is an expression"), path: YamlPath::root() }
    }

    /// The text as written in the layout.
    pub fn source(&self) -> &str {
        self.expr.source()
    }
}

/// A compiled text with `{expressions}` (a label, a text block, a footer,
/// a `final_suffix`, a template in a `text` cell) and where it is written.
#[derive(Debug, Clone)]
pub struct TextTemplate {
    pub template: Template,
    pub path: YamlPath,
}

/// What a `for_each` repeats over.
#[derive(Debug, Clone)]
pub enum ListSource {
    /// A data list, by name (`for_each: sections`): each element's fields
    /// come into scope.
    Field(String),
    /// A list made by an expression (`for_each: days_of_month(month)`).
    Expr(Expression),
}

/// A row's or a block group's `for_each`, with its `as:` name and `join:`.
#[derive(Debug, Clone)]
pub struct Each {
    pub list: ListSource,
    /// The name of the element inside (`as: day`).
    pub name: Option<String>,
    pub join: Option<Join>,
}

/// `join: { list: entries, on: date }`: the element of `list` whose `on`
/// field equals the row's element fills the row.
#[derive(Debug, Clone)]
pub struct Join {
    pub list: String,
    pub on: String,
    /// Where the `join` is written.
    pub path: YamlPath,
}

/// A named value of `compute:`.
#[derive(Debug, Clone)]
pub struct Computed {
    pub name: String,
    pub expression: Expression,
}

/// An expression error as a layout error: at the expression's value in
/// the layout, `offset` characters in (where the mistake is), with its
/// help.
pub fn expr_error(e: &ExprError, path: &YamlPath) -> Error {
    let site = Site::layout(path.clone()).offset(e.offset.unwrap_or(0));
    let err = Error::input(e.message.clone()).at(site);
    match &e.help {
        Some(help) => err.with_help(help.clone()),
        None => err,
    }
}
