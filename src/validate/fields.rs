//! The fields a layout defines, by scope, and the names its expressions
//! use, checked against them.
//!
//! A layout defines its fields implicitly: a cell `{ text: mokuhyo }`
//! makes `mokuhyo` a text field, `{ amount: sojigyohi }` a number field,
//! `for_each: sections` a list whose elements have the fields used inside
//! it, and a bare `{name}` in a text a field of the nearest scope that has
//! it. `fields:` declares typed fields no cell prints (`kikan_from: date`,
//! `entries: { list: { … } }`); `join: { list, on }` makes a list whose
//! elements fill the rows. (Not to be confused with [`crate::schema`], the
//! JSON Schemas for editors, one of which is made from these fields.)
//!
//! Every name an expression reads must then exist where it is evaluated: a
//! field or list of the scope or one around it, the `as:` name of an
//! enclosing `for_each`, a `compute:` value, or a built-in (`page`,
//! `pages`, `period`, `report_year`). A name that does not is a layout
//! error at the name, with a "did you mean".

use std::collections::BTreeMap;

use crate::error::{nearest, Error, Result, Site};
use crate::eval::{Each, Expression, ListSource, TextTemplate};
use crate::expr::{Expr, Part};
use crate::model::layout::{FieldType, SimpleType};
use crate::path::YamlPath;

use super::checked::{Block, Cell, CellKind, CheckedLayout, FieldKind, Row, StyleRule};

/// Names every expression may use without a field of that name.
pub const BUILT_IN_NAMES: [&str; 4] = ["page", "pages", "period", "report_year"];

/// A field a layout defines, and the cell that defines it.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub kind: FieldKind,
    /// Options of a choice field.
    pub options: Vec<String>,
    /// Columns a series field fills.
    pub series_len: u32,
    /// Path of the defining cell in the layout file.
    pub cell_path: YamlPath,
    /// A number's decimal places, if fixed (data with more is an error).
    pub places: Option<u32>,
}

impl FieldDef {
    fn new(kind: FieldKind, cell_path: YamlPath) -> FieldDef {
        FieldDef { kind, options: Vec::new(), series_len: 1, cell_path, places: None }
    }
}

/// The fields of one scope (the document, or an element of a list) and
/// the lists it holds.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub fields: BTreeMap<String, FieldDef>,
    pub lists: BTreeMap<String, Fields>,
}

/// The fields a checked layout's cells define (and `declared` under
/// `fields:`), with every expression's names checked against them.
pub fn collect(layout: &CheckedLayout, declared: &BTreeMap<String, FieldType>) -> Result<Fields> {
    let mut walk = Walk::default();
    let root = Context::default();
    walk.declare(declared, &root.scope, &YamlPath::root().key("fields"))?;
    if let Some(period) = &layout.period {
        for (key, name) in [("from", &period.from), ("to", &period.to)] {
            let def = FieldDef::new(FieldKind::FiscalYear, YamlPath::root().key("period").key(key));
            walk.fields.push((root.clone(), name.clone(), def));
        }
    }
    walk.blocks(&layout.body, &root);
    if let Some(footer) = &layout.footer {
        walk.text(footer.template.as_ref(), footer.when.as_ref(), &root);
    }
    if let Some(title) = &layout.title_template {
        walk.template(title, &root);
    }
    for computed in &layout.compute {
        walk.uses.push((root.clone(), computed.expression.clone(), 0));
    }
    let computed: Vec<&str> = layout.compute.iter().map(|c| c.name.as_str()).collect();
    let uses = std::mem::take(&mut walk.uses);
    let fields = walk.into_fields(&computed)?;
    for (cx, expression, base) in &uses {
        check_names(&fields, cx, &expression.expr, &expression.path, *base, &computed)?;
    }
    for computed in &layout.compute {
        if fields.fields.contains_key(&computed.name) || fields.lists.contains_key(&computed.name) {
            let msg = format!("`{}` is both a computed value and a field", computed.name);
            return Err(Error::in_layout(&computed.expression.path, msg).with_help("rename one of them"));
        }
    }
    Ok(fields)
}

/// A list a layout repeats rows or blocks for (`for_each`), in the scope
/// (the lists around it, outermost first) where it is named.
struct ListUse {
    scope: Vec<String>,
    name: String,
}

/// Where something is written: the data lists around it (outermost
/// first), and the `as:` names of the `for_each`es around it.
#[derive(Debug, Clone, Default)]
struct Context {
    scope: Vec<String>,
    vars: Vec<Var>,
}

/// An `as:` name: for a data list's element, that list's scope (its
/// fields are the element's).
#[derive(Debug, Clone)]
struct Var {
    name: String,
    list: Option<Vec<String>>,
}

/// Collects what a layout's blocks, rows and cells define, by scope.
#[derive(Default)]
struct Walk {
    /// (where, name, definition).
    fields: Vec<(Context, String, FieldDef)>,
    /// (where, name, at): a bare `{name}` in a template.
    refs: Vec<(Context, String, YamlPath)>,
    lists: Vec<ListUse>,
    /// (where, expression, offset of the expression in its YAML value).
    uses: Vec<(Context, Expression, usize)>,
}

impl Walk {
    /// The fields declared under `fields:` (and inside `{ list: … }`).
    fn declare(&mut self, declared: &BTreeMap<String, FieldType>, scope: &[String], path: &YamlPath) -> Result<()> {
        for (name, ty) in declared {
            let here = path.key(name.clone());
            let cx = Context { scope: scope.to_vec(), vars: Vec::new() };
            let kind = |k| FieldDef::new(k, here.clone());
            let def = match ty {
                FieldType::List { list } => {
                    self.lists.push(ListUse { scope: scope.to_vec(), name: name.clone() });
                    let mut inner = scope.to_vec();
                    inner.push(name.clone());
                    self.declare(list, &inner, &here.key("list"))?;
                    continue;
                }
                FieldType::Simple(simple) => kind(match simple {
                    SimpleType::Text => FieldKind::Text,
                    SimpleType::Number => FieldKind::Number,
                    SimpleType::Amount => FieldKind::Amount,
                    SimpleType::Date => FieldKind::Date,
                    SimpleType::Month => FieldKind::Month,
                    SimpleType::FiscalYear => FieldKind::FiscalYear,
                }),
                FieldType::Choice { choice } => {
                    if choice.is_empty() {
                        return Err(Error::in_layout(&here.key("choice"), "a choice needs options"));
                    }
                    FieldDef { options: choice.clone(), ..kind(FieldKind::Choice) }
                }
                FieldType::Number { number } => FieldDef { places: Some(number.places), ..kind(FieldKind::Number) },
                FieldType::Amount { amount } => FieldDef { places: Some(amount.places), ..kind(FieldKind::Amount) },
            };
            self.fields.push((cx, name.clone(), def));
        }
        Ok(())
    }

    fn blocks(&mut self, blocks: &[Block], cx: &Context) {
        for block in blocks {
            match block {
                Block::Text(text) => self.text(text.template.as_ref(), text.when.as_ref(), cx),
                Block::Table(table) => {
                    self.condition(table.when.as_ref(), cx);
                    self.rows(&table.header, cx);
                    self.rows(&table.rows, cx);
                }
                Block::Group(group) => {
                    let inner = self.enter(cx, &group.each);
                    self.condition(group.when.as_ref(), &inner);
                    self.blocks(&group.blocks, &inner);
                }
            }
        }
    }

    fn text(&mut self, template: Option<&TextTemplate>, when: Option<&Expression>, cx: &Context) {
        self.condition(when, cx);
        if let Some(template) = template {
            self.template(template, cx);
        }
    }

    fn condition(&mut self, when: Option<&Expression>, cx: &Context) {
        if let Some(e) = when {
            self.uses.push((cx.clone(), e.clone(), 0));
        }
    }

    fn styles(&mut self, styles: &[StyleRule], cx: &Context) {
        for style in styles {
            self.condition(Some(&style.when), cx);
        }
    }

    /// The context inside a `for_each`: a data list's element (or a
    /// joined list's), with the `as:` name.
    fn enter(&mut self, cx: &Context, each: &Each) -> Context {
        let mut inner = cx.clone();
        let list = match &each.list {
            ListSource::Field(list) => Some(list.clone()),
            ListSource::Expr(e) => {
                self.uses.push((cx.clone(), e.clone(), 0));
                None
            }
        };
        if let Some(list) = &list {
            self.lists.push(ListUse { scope: cx.scope.clone(), name: list.clone() });
            inner.scope.push(list.clone());
        }
        if let Some(join) = &each.join {
            self.lists.push(ListUse { scope: cx.scope.clone(), name: join.list.clone() });
            inner.scope.push(join.list.clone());
            let on = FieldDef::new(FieldKind::Date, join.path.key("on"));
            self.fields.push((Context { scope: inner.scope.clone(), vars: Vec::new() }, join.on.clone(), on));
        }
        if let Some(name) = &each.name {
            inner.vars.push(Var { name: name.clone(), list: list.map(|_| inner.scope.clone()) });
        }
        inner
    }

    fn rows(&mut self, rows: &[Row], cx: &Context) {
        for row in rows {
            let inner = match &row.each {
                Some(each) => self.enter(cx, each),
                None => cx.clone(),
            };
            self.condition(row.when.as_ref(), &inner);
            self.styles(&row.styles, &inner);
            for cell in &row.cells {
                self.cell(cell, &inner);
            }
        }
    }

    fn cell(&mut self, cell: &Cell, cx: &Context) {
        let path = &cell.path;
        let exprs = &cell.expressions;
        if let Some(template) = &exprs.template {
            self.template(template, cx);
        }
        if let Some(suffix) = &exprs.final_suffix {
            self.template(suffix, cx);
        }
        self.condition(exprs.visible.as_ref(), cx);
        self.styles(&exprs.styles, cx);
        match &cell.kind {
            CellKind::Rows(rows) => return self.rows(rows, cx),
            CellKind::Value(e) => self.uses.push((cx.clone(), e.clone(), 0)),
            CellKind::Boxes(_) if exprs.boxes.is_some() => {
                // A computed `boxes:` declares no field; its names must exist.
                self.uses.extend(exprs.boxes.iter().map(|e| (cx.clone(), e.clone(), 0)));
                return;
            }
            _ => {}
        }
        if let Some((name, kind)) = cell.kind.field() {
            let options = if kind == FieldKind::Choice { cell.style.options.clone() } else { Vec::new() };
            let places = matches!(kind, FieldKind::Amount | FieldKind::Number).then_some(cell.style.places).flatten();
            let def = FieldDef { kind, options, series_len: cell.span as u32, cell_path: path.clone(), places };
            self.fields.push((cx.clone(), name.to_string(), def));
        }
    }

    /// A template's parts: a bare `{name}` is a placeholder of old (it
    /// becomes a text field when nothing else defines it); any other
    /// expression must use names that exist.
    fn template(&mut self, template: &TextTemplate, cx: &Context) {
        for part in template.template.parts() {
            match part {
                Part::Text(_) => {}
                Part::Name { name, .. } => self.refs.push((cx.clone(), name.clone(), template.path.clone())),
                Part::Expr { expr, offset } => match expr.as_name() {
                    Some(name) => {
                        if !BUILT_IN_NAMES.contains(&name) {
                            self.refs.push((cx.clone(), name.to_string(), template.path.clone()));
                        }
                    }
                    None => {
                        let e = Expression { expr: expr.clone(), path: template.path.clone() };
                        self.uses.push((cx.clone(), e, *offset));
                    }
                },
            }
        }
    }

    /// Assemble the scopes; a placeholder no enclosing scope defines
    /// becomes a text field of every scope on its path.
    fn into_fields(self, computed: &[&str]) -> Result<Fields> {
        let mut root = Fields::default();
        for list in &self.lists {
            node(&mut root, &list.scope).lists.entry(list.name.clone()).or_default();
        }
        for (cx, name, def) in self.fields {
            if let Some(var) = cx.vars.iter().find(|v| v.name == name) {
                let msg = format!("`{name}` is the name of the element of an enclosing `for_each` (`as: {name}`)");
                return Err(Error::in_layout(&def.cell_path, msg)
                    .with_help(format!("print it with `value: {}`, or choose another name for `as:`", var.name)));
            }
            if cx.scope.is_empty() && computed.contains(&name.as_str()) {
                let msg = format!("`{name}` is a computed value (`compute:`), not a field of the data");
                return Err(Error::in_layout(&def.cell_path, msg).with_help(format!("print it with `value: {name}`")));
            }
            let fields = &mut node(&mut root, &cx.scope).fields;
            if let Some(previous) = fields.get(&name) {
                // A text cell may print a choice as the word chosen.
                let choice_as_text = previous.kind == FieldKind::Choice && def.kind == FieldKind::Text;
                if !choice_as_text && (previous.kind.name() != def.kind.name() || previous.options != def.options) {
                    let msg = format!("field `{name}` is printed here as `{}`", def.kind.name());
                    let help = format!(
                        "{} already {} it as `{}`; use another field name",
                        previous.cell_path,
                        if previous.cell_path.starts_with(&YamlPath::root().key("fields")) {
                            "declares"
                        } else {
                            "prints"
                        },
                        previous.kind.name()
                    );
                    return Err(Error::in_layout(&def.cell_path, msg).with_help(help));
                }
                continue;
            }
            fields.insert(name, def);
        }
        // A placeholder is looked up from the innermost scope outwards, so
        // the data may give it at any level on the way.
        for (cx, name, path) in self.refs {
            let bound = cx.vars.iter().any(|v| v.name == name) || computed.contains(&name.as_str());
            let scope = &cx.scope;
            let defined = (0..=scope.len()).any(|n| {
                let here = node(&mut root, &scope[..n]);
                here.fields.contains_key(&name) || here.lists.contains_key(&name)
            });
            if !defined && !bound {
                for n in 0..=scope.len() {
                    node(&mut root, &scope[..n])
                        .fields
                        .insert(name.clone(), FieldDef::new(FieldKind::Text, path.clone()));
                }
            }
        }
        Ok(root)
    }
}

/// The fields of a scope, created on the way.
fn node<'s>(root: &'s mut Fields, scope: &[String]) -> &'s mut Fields {
    scope.iter().fold(root, |s, list| s.lists.entry(list.clone()).or_default())
}

/// The fields of a scope, if it exists.
fn find<'s>(root: &'s Fields, scope: &[String]) -> Option<&'s Fields> {
    scope.iter().try_fold(root, |s, list| s.lists.get(list))
}

/// What a name means where it is used.
enum Meaning<'s> {
    /// A data list: its elements' fields.
    List(&'s Fields),
    /// An `as:` name; for a data list's element, its fields.
    Var(Option<&'s Fields>),
    /// A field, a computed value or a built-in.
    Other,
}

fn meaning<'s>(root: &'s Fields, cx: &Context, name: &str, computed: &[&str]) -> Option<Meaning<'s>> {
    if let Some(var) = cx.vars.iter().rev().find(|v| v.name == name) {
        return Some(Meaning::Var(var.list.as_ref().and_then(|s| find(root, s))));
    }
    for n in (0..=cx.scope.len()).rev() {
        let Some(here) = find(root, &cx.scope[..n]) else { continue };
        if let Some(list) = here.lists.get(name) {
            return Some(Meaning::List(list));
        }
        if here.fields.contains_key(name) {
            return Some(Meaning::Other);
        }
    }
    (computed.contains(&name) || BUILT_IN_NAMES.contains(&name)).then_some(Meaning::Other)
}

/// Every name `expr` reads exists where it is evaluated, and every field
/// it reads of a data list's elements is one they have.
fn check_names(
    root: &Fields,
    cx: &Context,
    expr: &Expr,
    path: &YamlPath,
    base: usize,
    computed: &[&str],
) -> Result<()> {
    let at = |name: &str| Site::layout(path.clone()).offset(base + expr.name_offset(name).unwrap_or(0));
    for name in expr.names() {
        if meaning(root, cx, name, computed).is_none() {
            let msg = format!("there is no field or value named `{name}`");
            return Err(Error::input(msg).at(at(name)).with_help(unknown_name_help(root, cx, name, computed)));
        }
    }
    for (name, field) in expr.fields() {
        let elements = match meaning(root, cx, name, computed) {
            Some(Meaning::List(fields)) | Some(Meaning::Var(Some(fields))) => fields,
            _ => continue,
        };
        if !elements.fields.contains_key(field) && !elements.lists.contains_key(field) {
            let known: Vec<&str> = elements.fields.keys().chain(elements.lists.keys()).map(String::as_str).collect();
            let help = match nearest(field, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => format!("declare the fields of `{name}`'s elements under `fields:`"),
                None => format!(
                    "its fields are: {}; declare more under `fields:`, e.g. `LIST: {{ list: {{ {field}: text }} }}`",
                    known.join(", ")
                ),
            };
            let msg = format!("the elements of `{name}` have no field `{field}`");
            return Err(Error::input(msg).at(at(name)).with_help(help));
        }
    }
    Ok(())
}

/// "did you mean", or where a name that is not here is.
fn unknown_name_help(root: &Fields, cx: &Context, name: &str, computed: &[&str]) -> String {
    let mut known: Vec<&str> = cx.vars.iter().map(|v| v.name.as_str()).collect();
    for n in 0..=cx.scope.len() {
        if let Some(here) = find(root, &cx.scope[..n]) {
            known.extend(here.fields.keys().chain(here.lists.keys()).map(String::as_str));
        }
    }
    known.extend(computed.iter().copied().chain(BUILT_IN_NAMES));
    if let Some(near) = nearest(name, known.iter().copied()) {
        return format!("did you mean `{near}`?");
    }
    if let Some(list) = list_with_field(root, name, &mut Vec::new()) {
        return format!(
            "`{name}` is a field of the elements of `{list}`: sum(…, \"{name}\") and the like read it here"
        );
    }
    format!("declare it under `fields:` (e.g. `{name}: date`), or compute it under `compute:`")
}

/// The name of a list (anywhere) whose elements have `field`.
fn list_with_field(fields: &Fields, field: &str, path: &mut Vec<String>) -> Option<String> {
    for (name, list) in &fields.lists {
        if list.fields.contains_key(field) {
            return Some(name.clone());
        }
        path.push(name.clone());
        if let Some(found) = list_with_field(list, field, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}
