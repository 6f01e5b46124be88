//! The layout's expressions, compiled once where they are written: a
//! syntax error, an unknown function or a wrong argument count is a
//! layout error at the expression's own line and column, with a caret at
//! the mistake. Names are checked against the scopes afterwards
//! ([`super::fields`]), and `compute:` values are put in an order where
//! each follows what it uses (a cycle is an error).
//!
//! Where expressions are written: `{…}` in labels, `text` templates, text
//! blocks, the footer, the title and `final_suffix`; `value:` cells;
//! `compute:`; `for_each` (with `as:` and `join:`); `when:` on rows and
//! blocks; `visible: { when: … }` and `styles:` on cells and rows.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::eval::compiled::expr_error;
use crate::eval::template::is_template;
use crate::eval::{Computed, Each, Expression, Join, ListSource, TextTemplate};
use crate::expr::{Expr, Template};
use crate::model::layout::{self as model, Layout, VisibleSpec};
use crate::path::YamlPath;
use crate::units::check_ratio;

use super::checked::{CellExpressions, CellKind, StyleRule};

/// Decimal places a number may be printed with.
const MAX_PLACES: u32 = 10;

/// Compile the expression written at `path`.
pub fn expression(source: &str, path: &YamlPath) -> Result<Expression> {
    Expr::compile(source).map(|expr| Expression { expr, path: path.clone() }).map_err(|e| expr_error(&e, path))
}

/// Compile a text written at `path` that may hold `{expressions}`; `None`
/// for a text without `{` (printed as it is).
pub fn template(source: &str, path: &YamlPath) -> Result<Option<TextTemplate>> {
    if !is_template(source) {
        return Ok(None);
    }
    let template = Template::compile(source).map_err(|e| expr_error(&e, path))?;
    Ok(Some(TextTemplate { template, path: path.clone() }))
}

/// Is `name` a name expressions can use (ASCII letters, digits and `_`,
/// not starting with a digit)?
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_name(name: &str, what: &str, path: &YamlPath) -> Result<()> {
    if is_name(name) {
        return Ok(());
    }
    Err(Error::in_layout(path, format!("`{name}` cannot be used as {what}: expressions could not name it"))
        .with_help("use ASCII letters, digits and `_`, starting with a letter (kikan_from, day, total)"))
}

/// A row's or block group's `for_each` (at `path`, the row or block), with
/// its `as:` and `join:`. A bare name is a data list, as it always was
/// (unless it names a `compute:` value); anything else is an expression
/// that makes a list.
pub fn each(
    for_each: &str,
    as_name: Option<&str>,
    join: Option<&model::Join>,
    path: &YamlPath,
    computed: &BTreeSet<String>,
) -> Result<Each> {
    let list = if is_plain_list_name(for_each) {
        ListSource::Field(for_each.trim().to_string())
    } else {
        let compiled = expression(for_each, &path.key("for_each"))?;
        match compiled.expr.as_name() {
            Some(name) if !computed.contains(name) => ListSource::Field(name.to_string()),
            _ => ListSource::Expr(compiled),
        }
    };
    if let Some(name) = as_name {
        check_name(name, "the name of an element", &path.key("as"))?;
    }
    let join = match join {
        None => None,
        Some(join) => {
            if let ListSource::Field(list) = &list {
                let msg = format!("`join` fills rows made by an expression, but `for_each: {list}` is a data list");
                return Err(Error::in_layout(&path.key("join"), msg).with_help(
                    "repeat the rows for the days (`for_each: days_of_month(month)`) and join the list to them",
                ));
            }
            check_name(&join.on, "a field to join on", &path.key("join").key("on"))?;
            Some(Join { list: join.list.clone(), on: join.on.clone(), path: path.key("join") })
        }
    };
    Ok(Each { list, name: as_name.map(str::to_string), join })
}

/// A data list named the old way, in characters expressions do not read
/// (`for_each: 項目`).
fn is_plain_list_name(source: &str) -> bool {
    let name = source.trim();
    !name.is_empty() && !is_name(name) && !name.chars().any(|c| c.is_ascii_punctuation() || c.is_whitespace())
}

/// `as:` and `join:` need a `for_each`.
pub fn check_each_keys(for_each: Option<&str>, as_name: Option<&str>, join: bool, path: &YamlPath) -> Result<()> {
    if for_each.is_some() {
        return Ok(());
    }
    let key = match (as_name, join) {
        (Some(_), _) => "as",
        (None, true) => "join",
        (None, false) => return Ok(()),
    };
    Err(Error::in_layout(&path.key(key), format!("`{key}` goes with `for_each`: it names or fills each repetition")))
}

/// A block's keys of computing that need a partner: `as` a `for_each`,
/// `blank` a text.
pub fn check_block_keys(block: &model::Block, path: &YamlPath) -> Result<()> {
    check_each_keys(block.for_each.as_deref(), block.as_name.as_deref(), false, path)?;
    if block.blank.is_some() && block.text.is_none() {
        return Err(Error::in_layout(
            &path.key("blank"),
            "`blank` is what a blank form prints for a text block's `text`",
        )
        .with_help("give cells their own `blank:`"));
    }
    Ok(())
}

/// An optional `when:` at `path`.
pub fn when(source: Option<&str>, path: &YamlPath) -> Result<Option<Expression>> {
    source.map(|s| expression(s, &path.key("when"))).transpose()
}

/// The conditional `styles:` of a row or cell at `path`.
pub fn style_rules(rules: Option<&[model::StyleRule]>, path: &YamlPath) -> Result<Vec<StyleRule>> {
    let mut out = Vec::new();
    for (i, rule) in rules.unwrap_or_default().iter().enumerate() {
        let here = path.key("styles").index(i);
        if let Some(Err(msg)) = rule.shade.map(|x| check_ratio("shade", x, 0.0..=1.0)) {
            return Err(Error::in_layout(&here.key("shade"), msg));
        }
        if rule.shade.is_none() && rule.border.is_none() {
            return Err(Error::in_layout(&here, "this style changes nothing")
                .with_help("give `shade` (0 black … 1 white) or `border` (rule weights in pt); font weight and colour cannot be printed"));
        }
        let border = rule.border.unwrap_or_default();
        out.push(StyleRule {
            when: expression(&rule.when, &here.key("when"))?,
            shade: rule.shade,
            border: [border.top, border.right, border.bottom, border.left],
        })
    }
    Ok(out)
}

/// What a cell evaluates besides its `value:`: its template, its
/// `final_suffix`, `visible: { when }` and `styles:`.
pub fn cell_expressions(
    cell: &model::Cell,
    kind: &CellKind,
    final_suffix: Option<&str>,
    path: &YamlPath,
) -> Result<CellExpressions> {
    let template = match kind {
        CellKind::Label(t) => self::template(t, &path.key("label"))?,
        CellKind::Text(t) => self::template(t, &path.key("text"))?,
        _ => None,
    };
    let final_suffix = match (kind, final_suffix) {
        (CellKind::YearLabels(_), Some(suffix)) => {
            let at = match cell.final_suffix {
                Some(_) => path.key("final_suffix"),
                None => YamlPath::root().key("defaults").key("year_labels").key("final_suffix"),
            };
            self::template(suffix, &at)?
        }
        _ => None,
    };
    let visible = match &cell.visible {
        Some(VisibleSpec::When { when }) => Some(expression(when, &path.key("visible").key("when"))?),
        _ => None,
    };
    if let Some(places) = cell.places.filter(|p| *p > MAX_PLACES) {
        let msg = format!("`places` is at most {MAX_PLACES}, found {places}");
        return Err(Error::in_layout(&path.key("places"), msg));
    }
    check_ignored_keys(cell, kind, template.is_some(), path)?;
    let styles = style_rules(cell.styles.as_deref(), path)?;
    Ok(CellExpressions { template, final_suffix, visible, styles, boxes: None })
}

/// Is `source` a plain field name (`kingaku`), not an expression?
pub fn is_plain_name(source: &str) -> bool {
    let mut chars = source.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// No key is accepted and then ignored: number settings need a number (or
/// an expression that may print one), `blank` a value that can be blank.
fn check_ignored_keys(cell: &model::Cell, kind: &CellKind, template: bool, path: &YamlPath) -> Result<()> {
    let numeric = matches!(kind, CellKind::Amount(_) | CellKind::Number(_) | CellKind::Value(_)) || template;
    for (key, set) in
        [("places", cell.places.is_some()), ("sign", cell.sign.is_some()), ("grouping", cell.grouping.is_some())]
    {
        if set && !numeric {
            let msg = format!("`{key}` sets how numbers print, but a `{}` cell prints none", kind.name());
            return Err(Error::in_layout(&path.key(key), msg));
        }
    }
    if cell.blank.is_some() && matches!(kind, CellKind::Rows(_) | CellKind::Series(_) | CellKind::YearLabels(_)) {
        let msg = format!("a `{}` cell has no single value to print `blank` for", kind.name());
        return Err(Error::in_layout(&path.key("blank"), msg));
    }
    Ok(())
}

/// `defaults` hold style: not a condition or conditional styles, which
/// belong on the cells they test.
pub fn check_defaults_cell(cell: &model::Cell, path: &YamlPath) -> Result<()> {
    if let Some(VisibleSpec::When { .. }) = cell.visible {
        return Err(Error::in_layout(
            &path.key("visible"),
            "`visible: { when: … }` belongs on a cell, not in defaults",
        ));
    }
    if cell.styles.is_some() {
        return Err(Error::in_layout(&path.key("styles"), "`styles` belong on a cell or row, not in defaults"));
    }
    if let Some(places) = cell.places.filter(|p| *p > MAX_PLACES) {
        let msg = format!("`places` is at most {MAX_PLACES}, found {places}");
        return Err(Error::in_layout(&path.key("places"), msg));
    }
    Ok(())
}

/// The layout's `compute:` values, compiled, each after the values it
/// uses. A value that (through others) uses itself is an error.
pub fn compute(layout: &Layout) -> Result<Vec<Computed>> {
    let root = YamlPath::root().key("compute");
    let mut compiled = BTreeMap::new();
    for (name, source) in &layout.compute {
        let path = root.key(name.clone());
        check_name(name, "the name of a computed value", &path)?;
        compiled.insert(name.clone(), expression(source, &path)?);
    }
    let mut order = Vec::new();
    let mut state: BTreeMap<&str, Visit> = BTreeMap::new();
    for name in compiled.keys() {
        visit(name, &compiled, &mut state, &mut Vec::new(), &mut order)?;
    }
    Ok(order.into_iter().map(|name| Computed { name: name.clone(), expression: compiled[&name].clone() }).collect())
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    Open,
    Done,
}

/// Depth first: a value is placed after everything it uses; meeting an
/// open value again is a cycle.
fn visit<'a>(
    name: &'a str,
    compiled: &'a BTreeMap<String, Expression>,
    state: &mut BTreeMap<&'a str, Visit>,
    stack: &mut Vec<&'a str>,
    order: &mut Vec<String>,
) -> Result<()> {
    match state.get(name) {
        Some(Visit::Done) => return Ok(()),
        Some(Visit::Open) => {
            let start = stack.iter().position(|n| *n == name).unwrap_or(0);
            let cycle: Vec<&str> = stack[start..].iter().copied().chain([name]).collect();
            let from = stack.last().copied().unwrap_or(name);
            let e = &compiled[from];
            let offset = e.expr.name_offset(name).unwrap_or(0);
            let site = crate::error::Site::layout(e.path.clone()).offset(offset);
            let msg = format!("the computed values use each other in a circle: {}", cycle.join(" → "));
            return Err(Error::input(msg).at(site).with_help("a value can only use values that do not use it"));
        }
        None => {}
    }
    state.insert(name, Visit::Open);
    stack.push(name);
    for used in compiled[name].expr.names() {
        if compiled.contains_key(used) {
            let used = compiled.get_key_value(used).expect("present").0.as_str();
            visit(used, compiled, state, stack, order)?;
        }
    }
    stack.pop();
    state.insert(name, Visit::Done);
    order.push(name.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(compute: &[(&str, &str)]) -> Layout {
        let text: String = compute.iter().map(|(k, v)| format!("  {k}: \"{v}\"\n")).collect();
        serde_yaml::from_str(&format!("body: []\ncompute:\n{text}")).unwrap()
    }

    #[test]
    fn computed_values_follow_what_they_use() {
        let order = compute(&layout(&[("a", "b + c"), ("b", "c * 2"), ("c", "1")])).unwrap();
        let names: Vec<&str> = order.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["c", "b", "a"]);
    }

    #[test]
    fn a_cycle_is_named() {
        let err = compute(&layout(&[("a", "b + 1"), ("b", "c"), ("c", "a")])).unwrap_err();
        assert!(err.message.contains("a → b → c → a"), "{}", err.message);
        let site = err.site.clone().unwrap();
        assert_eq!(site.path.to_string(), "compute.c");
        assert_eq!(site.offset, Some(0));
    }

    #[test]
    fn names_are_ascii() {
        assert!(is_name("kikan_from") && is_name("_x1") && !is_name("1x") && !is_name("日付") && !is_name(""));
    }
}
