//! The fields a layout defines, by scope.
//!
//! A layout defines its fields implicitly: a cell `{ text: mokuhyo }`
//! makes `mokuhyo` a text field, `{ amount: sojigyohi }` a number field,
//! `for_each: sections` a list whose elements have the fields used inside
//! it, and `{name}` in a text a field of the nearest scope that has it.
//! (Not to be confused with [`crate::schema`], the JSON Schemas for
//! editors, one of which is made from these fields.)

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::eval::template::{is_template, placeholders, BUILT_IN_PLACEHOLDERS};
use crate::path::YamlPath;

use super::checked::{Block, Cell, CellKind, CheckedLayout, FieldKind, Row};

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
}

/// The fields of one scope (the document, or an element of a list) and
/// the lists it holds.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub fields: BTreeMap<String, FieldDef>,
    pub lists: BTreeMap<String, Fields>,
}

/// The fields a checked layout's cells define.
pub fn collect(layout: &CheckedLayout) -> Result<Fields> {
    let mut walk = Walk { fields: Vec::new(), refs: Vec::new(), lists: Vec::new() };
    if let Some(period) = &layout.period {
        for (key, name) in [("from", &period.from), ("to", &period.to)] {
            let def = FieldDef {
                kind: FieldKind::FiscalYear,
                options: Vec::new(),
                series_len: 1,
                cell_path: YamlPath::root().key("period").key(key),
            };
            walk.fields.push((Vec::new(), name.clone(), def));
        }
    }
    walk.blocks(&layout.body, &[]);
    if let Some(footer) = &layout.footer {
        walk.template(&footer.text, &footer.path.key("text"), &[]);
    }
    walk.into_fields()
}

/// A list a layout repeats rows or blocks for (`for_each`), in the scope
/// (the lists around it, outermost first) where it is named.
struct ListUse {
    scope: Vec<String>,
    name: String,
}

/// Collects what a layout's blocks, rows and cells define, by scope.
struct Walk {
    /// (scope, name, definition): scope is the list names from the root.
    fields: Vec<(Vec<String>, String, FieldDef)>,
    /// (scope, name, where): `{name}` used in a template.
    refs: Vec<(Vec<String>, String, YamlPath)>,
    lists: Vec<ListUse>,
}

impl Walk {
    fn blocks(&mut self, blocks: &[Block], scope: &[String]) {
        for block in blocks {
            match block {
                Block::Text(text) => self.template(&text.text, &text.path.key("text"), scope),
                Block::Table(table) => {
                    self.rows(&table.header, scope);
                    self.rows(&table.rows, scope);
                }
                Block::Group(group) => {
                    let inner = self.enter(scope, &group.list);
                    self.blocks(&group.blocks, &inner);
                }
            }
        }
    }

    fn enter(&mut self, scope: &[String], list: &str) -> Vec<String> {
        self.lists.push(ListUse { scope: scope.to_vec(), name: list.to_string() });
        let mut inner = scope.to_vec();
        inner.push(list.to_string());
        inner
    }

    fn rows(&mut self, rows: &[Row], scope: &[String]) {
        for row in rows {
            let inner = match &row.for_each {
                Some(list) => self.enter(scope, list),
                None => scope.to_vec(),
            };
            for cell in &row.cells {
                self.cell(cell, &inner);
            }
        }
    }

    fn cell(&mut self, cell: &Cell, scope: &[String]) {
        let path = &cell.path;
        match &cell.kind {
            CellKind::Rows(rows) => return self.rows(rows, scope),
            CellKind::Text(t) if is_template(t) => self.template(t, &path.key("text"), scope),
            CellKind::Label(t) => self.template(t, &path.key("label"), scope),
            CellKind::YearLabels(_) => {
                if let Some(suffix) = &cell.style.final_suffix {
                    self.template(suffix, &path.key("final_suffix"), scope);
                }
            }
            _ => {}
        }
        if let Some((name, kind)) = cell.kind.field() {
            let options = if kind == FieldKind::Choice { cell.style.options.clone() } else { Vec::new() };
            let def = FieldDef { kind, options, series_len: cell.span as u32, cell_path: path.clone() };
            self.fields.push((scope.to_vec(), name.to_string(), def));
        }
    }

    fn template(&mut self, text: &str, path: &YamlPath, scope: &[String]) {
        for name in placeholders(text) {
            if !BUILT_IN_PLACEHOLDERS.contains(&name) {
                self.refs.push((scope.to_vec(), name.to_string(), path.clone()));
            }
        }
    }

    /// Assemble the scopes; a placeholder no enclosing scope defines
    /// becomes a text field of every scope on its path.
    fn into_fields(self) -> Result<Fields> {
        let mut root = Fields::default();
        for list in &self.lists {
            node(&mut root, &list.scope).lists.entry(list.name.clone()).or_default();
        }
        for (scope, name, def) in self.fields {
            let fields = &mut node(&mut root, &scope).fields;
            if let Some(previous) = fields.get(&name) {
                if previous.kind.name() != def.kind.name() || previous.options != def.options {
                    let msg = format!("field `{name}` is printed here as `{}`", def.kind.name());
                    let help = format!(
                        "{} already prints it as `{}`; use another field name",
                        previous.cell_path,
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
        for (scope, name, path) in self.refs {
            let defined = (0..=scope.len()).any(|n| node(&mut root, &scope[..n]).fields.contains_key(&name));
            if !defined {
                for n in 0..=scope.len() {
                    let def =
                        FieldDef { kind: FieldKind::Text, options: Vec::new(), series_len: 1, cell_path: path.clone() };
                    node(&mut root, &scope[..n]).fields.insert(name.clone(), def);
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
