//! The outline of a form: its fields as a person filling it sees them, in
//! the form's order, each with the Japanese label its cell is printed
//! under (本年度の目標, 中間評価 達成度), its kind and what it accepts.
//!
//! `yoshiki template` writes a data file from it and `yoshiki serve` builds
//! its web form from it. This file is the **adapter** between those and
//! the pipeline's internals (the [`CheckedLayout`] and its [`Fields`],
//! [`Form`], `eval::Value`, errors' sites and layout's warnings):
//! everything `template` and `serve` know about them goes through here, so
//! a change of those internals is ported in this one file.
//!
//! The outline reads the checked layout; it decides nothing validation
//! decided (which scope defines a field, a cell's kind and style) and
//! never looks at the layout's YAML.

use std::collections::HashSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde_json::Value as Json;

use crate::draw::Document;
use crate::error::{Error, Result};
use crate::eval::template::{is_template, placeholder_tokens, placeholders, BUILT_IN_PLACEHOLDERS};
use crate::eval::{Each, ListSource, TextTemplate, Value, Values};
use crate::layout::Warning;
use crate::layouts::Layouts;
use crate::path::YamlPath;
use crate::render::Form;
use crate::text::era::era_of_fiscal_year;
use crate::text::format;
use crate::text::numerals::{format_decimal, NumberFormat, Sign};
use crate::validate::checked::{Align, Block, Cell, Digits, Row, VAlign};
use crate::validate::{CellKind, CheckedLayout, FieldDef, Fields};

/// The fields of a form, in the order the form prints them.
#[derive(Debug, Clone)]
pub struct Outline {
    /// The layout's `title:` (it may hold `{placeholders}`).
    pub title: Option<String>,
    /// The top-level fields; lists hold their elements' fields.
    pub fields: Vec<Field>,
    /// A plan's first and last fiscal-year fields.
    pub period: Option<(String, String)>,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key in the data file.
    pub name: String,
    /// The label(s) of its cell as printed, joined by a space (line breaks
    /// of the label removed); the field name when the cell has none.
    pub label: String,
    pub kind: FieldKind,
    /// The layout cell (or template, or `period` entry) that defines it:
    /// layout's warnings name cells, and are shown at this field.
    pub cell: YamlPath,
    /// How the value is printed (for the "printed as" hints).
    print: Print,
}

/// What a field holds.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// Text; `multiline` when the cell is made for paragraphs and bullets.
    Text {
        multiline: bool,
    },
    Amount,
    Number,
    Choice {
        options: Vec<String>,
    },
    FiscalYear,
    Date,
    /// A month (`2026-02`), declared under the layout's `fields:`.
    Month,
    /// One value per column (`columns` of them); `years` when the columns
    /// are the years of a plan's period.
    Series {
        columns: u32,
        years: bool,
        multiline: bool,
    },
    /// Repeated elements (table rows, page groups), each with `fields`.
    List {
        fields: Vec<Field>,
    },
}

/// How a value is printed: the cell's resolved style, as far as it
/// concerns the characters.
#[derive(Debug, Clone, Default, PartialEq)]
struct Print {
    prefix: String,
    suffix: String,
    digits: Digits,
    gannen: bool,
}

impl FieldKind {
    /// A short English name of the kind and what it accepts, for comments
    /// and hints: `fiscal year: 2025, 令和7 or R7`.
    pub fn describe(&self) -> String {
        match self {
            FieldKind::Text { multiline: true } => "text (several lines; ・ starts a bullet)".to_string(),
            FieldKind::Text { multiline: false } => "text".to_string(),
            FieldKind::Amount => "amount: a number, e.g. 7188 or 7,188".to_string(),
            FieldKind::Number => "number: e.g. 6 or 1.5".to_string(),
            FieldKind::Choice { options } => format!("choice: {}", options.join(" | ")),
            FieldKind::FiscalYear => "fiscal year: 2025, 令和7 or R7".to_string(),
            FieldKind::Date => "date: 2025-04-01, 2025/4/1 or 令和7年4月1日".to_string(),
            FieldKind::Month => "month: 2026-02 or 令和8年2月".to_string(),
            FieldKind::Series { columns, years, .. } => format!(
                "one value per {} ({columns}): a list of {columns}, one text for all, or items {{ text, span }}",
                if *years { "year" } else { "column" }
            ),
            FieldKind::List { .. } => "a list: one element per row".to_string(),
        }
    }

    /// The kind's key in the layout language (`text`, `fiscal_year` …).
    pub fn key(&self) -> &'static str {
        match self {
            FieldKind::Text { .. } => "text",
            FieldKind::Amount => "amount",
            FieldKind::Number => "number",
            FieldKind::Choice { .. } => "choice",
            FieldKind::FiscalYear => "fiscal_year",
            FieldKind::Date => "date",
            FieldKind::Month => "month",
            FieldKind::Series { .. } => "series",
            FieldKind::List { .. } => "list",
        }
    }
}

impl Outline {
    /// The outline of the layout file at `path` (checked first).
    pub fn read(path: &Path) -> Result<Outline> {
        let form = Form::blank(path)?;
        Ok(Outline::of_form(&form))
    }

    /// [`Outline::read`], checking the layout through `layouts`: once
    /// while the file does not change (`serve`'s home page lists every
    /// layout at every visit).
    pub fn of_layout_file(path: &Path, layouts: &Layouts) -> Result<Outline> {
        Ok(Outline::of_form(&Form::blank_with(path, layouts)?))
    }

    /// The outline of a form's layout.
    pub fn of_form(form: &Form) -> Outline {
        Outline::of(form.layout())
    }

    /// The outline of a checked layout.
    pub fn of(layout: &CheckedLayout) -> Outline {
        let walk = Walk::new(layout);
        let mut root = Scope::default();
        if let Some(period) = &layout.period {
            let entries = [("from", &period.from, "期間（初年度）"), ("to", &period.to, "期間（最終年度）")];
            for (key, name, label) in entries {
                root.push(Field {
                    name: name.clone(),
                    label: label.to_string(),
                    kind: FieldKind::FiscalYear,
                    cell: YamlPath::root().key("period").key(key),
                    print: Print { gannen: true, ..Print::default() },
                });
            }
        }
        let mut stack = vec![root];
        walk.blocks(&layout.body, &mut stack);
        if let Some(footer) = &layout.footer {
            walk.template_fields(&footer.text, &footer.path.key("text"), "", &mut stack);
        }
        if let Some(root) = stack.last_mut() {
            walk.remaining(&layout.fields, root);
        }
        Outline {
            title: Some(layout.title.clone()).filter(|t| !t.is_empty()),
            fields: stack.pop().map(|s| s.fields).unwrap_or_default(),
            period: layout.period.as_ref().map(|p| (p.from.clone(), p.to.clone())),
        }
    }

    /// The layout's title for people (placeholders shown as …), or
    /// `fallback` when it has none.
    pub fn display_title(&self, fallback: &str) -> String {
        match &self.title {
            Some(t) => {
                let mut out = t.clone();
                for (token, _) in placeholder_tokens(t) {
                    out = out.replacen(token, "…", 1);
                }
                out
            }
            None => fallback.to_string(),
        }
    }

    /// A field by its path of names from the top (`["sections", "heading"]`).
    pub fn find(&self, names: &[&str]) -> Option<&Field> {
        let mut fields = &self.fields;
        let mut found = None;
        for name in names {
            let field = fields.iter().find(|f| f.name == *name)?;
            if let FieldKind::List { fields: inner } = &field.kind {
                fields = inner;
            }
            found = Some(field);
        }
        found
    }
}

/// The fields of one scope (the document, or a list's elements) as they
/// are found.
#[derive(Default)]
struct Scope {
    /// The list's name (empty for the document).
    name: String,
    fields: Vec<Field>,
}

impl Scope {
    fn list(name: &str) -> Scope {
        Scope { name: name.to_string(), fields: Vec::new() }
    }

    fn push(&mut self, field: Field) {
        if !self.fields.iter().any(|f| f.name == field.name) {
            self.fields.push(field);
        }
    }
}

/// A table's header: the label over each column.
#[derive(Default, Clone)]
struct Header {
    /// (first column, columns spanned, label).
    columns: Vec<(usize, usize, String)>,
}

impl Header {
    fn label_at(&self, column: usize) -> Option<&str> {
        self.columns.iter().find(|(at, span, _)| (*at..at + span).contains(&column)).map(|c| c.2.as_str())
    }
}

/// Where a row stands: the labels of the rows it is nested in, its
/// table's header and its first column.
#[derive(Clone, Default)]
struct Place {
    labels: Vec<String>,
    header: Header,
    column: usize,
}

/// Walks the checked layout in print order, gathering fields and the
/// labels printed beside them.
struct Walk<'a> {
    layout: &'a CheckedLayout,
    /// Placeholders of the layout's `title:`: document-wide fields.
    title_refs: Vec<&'a str>,
    /// The cells that print a field: a field whose definition points at
    /// one was made by a cell; one a placeholder made points at its
    /// template.
    printing: HashSet<&'a YamlPath>,
    /// The compiled templates by where they are written (a cell's
    /// `label`/`text`, a text block's `text`, the footer's): what their
    /// expressions read.
    templates: Vec<&'a TextTemplate>,
}

impl<'a> Walk<'a> {
    fn new(layout: &'a CheckedLayout) -> Walk<'a> {
        let printing = layout.cells().into_iter().filter(|c| c.kind.field().is_some()).map(|c| &c.path).collect();
        let mut templates: Vec<&TextTemplate> =
            layout.cells().into_iter().filter_map(|c| c.expressions.template.as_ref()).collect();
        text_templates(&layout.body, &mut templates);
        templates.extend(layout.footer.as_ref().and_then(|f| f.template.as_ref()));
        Walk { layout, title_refs: placeholders(&layout.title), printing, templates }
    }

    /// The compiled template written at `path`.
    fn template_at(&self, path: &YamlPath) -> Option<&'a TextTemplate> {
        self.templates.iter().copied().find(|t| &t.path == path)
    }

    /// Does a cell (or the plan's period) define `name` in the scope of
    /// `stack` or one around it? Then a placeholder naming it is that
    /// field, shown where its cell is, not a field of its own.
    fn is_defined(&self, stack: &[Scope], name: &str) -> bool {
        let by_cell = |fields: &Fields| fields.fields.get(name).is_some_and(|def| !self.made_by_placeholder(def));
        let mut scope = &self.layout.fields;
        let mut found = by_cell(scope);
        for list in stack.iter().skip(1) {
            match scope.lists.get(&list.name) {
                Some(inner) => scope = inner,
                None => break,
            }
            found |= by_cell(scope);
        }
        found
    }

    /// A text field validation made for a `{placeholder}` no cell defines.
    fn made_by_placeholder(&self, def: &FieldDef) -> bool {
        def.kind == crate::validate::FieldKind::Text && !self.printing.contains(&def.cell_path)
    }

    fn blocks(&self, blocks: &[Block], stack: &mut Vec<Scope>) {
        for block in blocks {
            match block {
                Block::Text(text) => self.template_fields(&text.text, &text.path.key("text"), "", stack),
                Block::Table(table) => {
                    let place = Place { header: self.header(&table.header, stack), ..Place::default() };
                    self.rows(&table.rows, &place, stack);
                }
                Block::Group(group) => {
                    let list = data_list(&group.each);
                    stack.push(Scope::list(list.unwrap_or_default()));
                    self.blocks(&group.blocks, stack);
                    self.end_repeat(list, &group.path, None, stack);
                }
            }
        }
    }

    /// The end of a repeated row or group: the fields gathered are a data
    /// list's element fields, or (rows made by an expression, such as the
    /// days of a month, with nothing joined) nobody's.
    fn end_repeat(&self, list: Option<&str>, path: &YamlPath, label: Option<String>, stack: &mut Vec<Scope>) {
        match list {
            Some(name) => self.close_list(name, path, label, stack),
            None => {
                // The computed rows' own fields are asked for once, above.
                let inner = stack.pop().map(|s| s.fields).unwrap_or_default();
                if let Some(top) = stack.last_mut() {
                    inner.into_iter().for_each(|f| top.push(f));
                }
            }
        }
    }

    /// The list `name` whose element fields are the top of `stack`.
    fn close_list(&self, name: &str, path: &YamlPath, label: Option<String>, stack: &mut Vec<Scope>) {
        let inner = stack.pop().map(|s| s.fields).unwrap_or_default();
        let label = label.filter(|l| !l.is_empty()).or_else(|| inner.first().map(|f| f.label.clone()));
        let field = Field {
            name: name.to_string(),
            label: label.unwrap_or_else(|| name.to_string()),
            kind: FieldKind::List { fields: inner },
            cell: path.clone(),
            print: Print::default(),
        };
        if let Some(top) = stack.last_mut() {
            top.push(field);
        }
    }

    /// The header rows' labels by column. What else a header cell holds
    /// (placeholders in a label or a `final_suffix`, a field) is a field
    /// under the label of its column.
    fn header(&self, rows: &[Row], stack: &mut [Scope]) -> Header {
        let mut header = Header::default();
        for row in rows {
            let mut column = 0;
            for cell in &row.cells {
                let label = cell.first_label().map(clean);
                if let Some(label) = &label {
                    if header.label_at(column).is_none() {
                        header.columns.push((column, cell.span, label.clone()));
                    }
                }
                self.header_cell(cell, label.as_deref().unwrap_or(""), stack);
                column += cell.span;
            }
        }
        header
    }

    fn header_cell(&self, cell: &Cell, label: &str, stack: &mut [Scope]) {
        match &cell.kind {
            CellKind::Rows(rows) => rows.iter().flat_map(|r| &r.cells).for_each(|c| self.header_cell(c, label, stack)),
            _ => self.cell(cell, label, stack),
        }
    }

    fn rows(&self, rows: &[Row], place: &Place, stack: &mut Vec<Scope>) {
        for row in rows {
            match &row.each {
                Some(each) => {
                    let list = data_list(each);
                    stack.push(Scope::list(list.unwrap_or_default()));
                    self.row(row, place, stack);
                    let label = place.header.label_at(place.column).map(String::from);
                    self.end_repeat(list, &row.path, label, stack);
                }
                None => self.row(row, place, stack),
            }
        }
    }

    /// A row's cells, each under the labels printed before it: those of
    /// the rows around it, the row's heading, and the labels since the
    /// last value (else its column's header label).
    fn row(&self, row: &Row, place: &Place, stack: &mut Vec<Scope>) {
        // A row heading: a first label followed by another label or by
        // sub-rows (本年度の予算措置 | 総事業費 | …), not by its own value.
        let heading = match (row.cells.first().map(|c| &c.kind), row.cells.get(1).map(|c| &c.kind)) {
            (Some(CellKind::Label(h)), Some(CellKind::Label(_) | CellKind::Rows(_))) => Some(clean(h)),
            _ => None,
        };
        let mut run: Vec<String> = Vec::new(); // labels since the last value
        let mut column = place.column;
        for cell in &row.cells {
            let mut labels = place.labels.clone();
            if let Some(h) = &heading {
                if !run.contains(h) && !labels.contains(h) {
                    labels.push(h.clone());
                }
            }
            labels.extend(run.iter().filter(|r| !place.labels.contains(r)).cloned());
            match &cell.kind {
                CellKind::Label(text) => {
                    self.cell(cell, &labels.join(" "), stack);
                    run.push(clean(text));
                }
                CellKind::Rows(sub) => {
                    let inner = Place { labels, header: place.header.clone(), column };
                    self.rows(sub, &inner, stack);
                    run.clear();
                }
                _ => {
                    let mut label = labels.join(" ");
                    if label.is_empty() {
                        label = place.header.label_at(column).unwrap_or_default().to_string();
                    }
                    self.cell(cell, &label, stack);
                    run.clear();
                }
            }
            column += cell.span;
        }
    }

    /// What one cell adds to the outline, printed under `label`: one arm
    /// per kind of cell, the place to say what a new kind asks of the
    /// person filling the form.
    fn cell(&self, cell: &Cell, label: &str, stack: &mut [Scope]) {
        let style = &cell.style;
        let short = style.max_lines == Some(1)
            || matches!(style.align, Align::Center | Align::Right)
            || style.valign == VAlign::Middle;
        let kind = match &cell.kind {
            CellKind::Label(text) => return self.template_fields(text, &cell.path.key("label"), label, stack),
            CellKind::Text(text) if is_template(text) => {
                return self.template_fields(text, &cell.path.key("text"), label, stack)
            }
            CellKind::YearLabels(_) => {
                if let Some(suffix) = &style.final_suffix {
                    self.template_fields(suffix, &cell.path.key("final_suffix"), label, stack);
                }
                return;
            }
            // Walked by `row` and `header_cell`: sub-rows have labels of
            // their own.
            CellKind::Rows(_) => return,
            // Computed: nothing to fill in, but the fields it reads are
            // asked for here, under its label.
            CellKind::Value(e) => return self.read_fields(e.expr.names(), &cell.path, label, stack),
            CellKind::Boxes(_) if cell.expressions.boxes.is_some() => {
                let names = cell.expressions.boxes.as_ref().map(|e| e.expr.names()).unwrap_or_default();
                return self.read_fields(names, &cell.path, label, stack);
            }
            CellKind::Boxes(_) => FieldKind::Text { multiline: false },
            CellKind::Text(_) => FieldKind::Text { multiline: !short },
            CellKind::Amount(_) => FieldKind::Amount,
            CellKind::Number(_) => FieldKind::Number,
            CellKind::Choice(_) => FieldKind::Choice { options: style.options.clone() },
            CellKind::FiscalYear(_) => FieldKind::FiscalYear,
            CellKind::Date(_) => FieldKind::Date,
            CellKind::Series(_) => {
                FieldKind::Series { columns: cell.span as u32, years: self.layout.period.is_some(), multiline: !short }
            }
        };
        let Some((name, _)) = cell.kind.field() else { return };
        let print = Print {
            prefix: style.prefix.clone(),
            suffix: style.suffix.clone(),
            digits: style.digits,
            gannen: style.gannen,
        };
        let label = if label.is_empty() { name.to_string() } else { label.to_string() };
        if let Some(top) = stack.last_mut() {
            top.push(Field { name: name.to_string(), label, kind, cell: cell.path.clone(), print });
        }
    }

    /// The fields a template's `{placeholders}` make: single-line text in
    /// the scope the template is in (or the document's, for placeholders
    /// of the layout's title), unless a cell defines them somewhere on the
    /// way. `label` is the cell's label; the template itself, with the
    /// field shown as ＿＿, tells which part of it is meant.
    fn template_fields(&self, template: &str, path: &YamlPath, label: &str, stack: &mut [Scope]) {
        if let Some(compiled) = self.template_at(path) {
            let names: Vec<String> = compiled.template.names().into_iter().map(String::from).collect();
            self.read_fields(&names, path, label, stack);
        }
        let depth = stack.len() - 1;
        for name in placeholders(template) {
            // `{wareki(kikan_from)}` is an expression: what it reads was
            // asked for above. Only a bare `{name}` may be a field of its own.
            if !crate::validate::exprs::is_plain_name(name)
                || BUILT_IN_PLACEHOLDERS.contains(&name)
                || self.is_defined(stack, name)
            {
                continue;
            }
            let shown = template_display(template, name);
            let full = if label.is_empty() { shown } else { format!("{label} {shown}") };
            let target = if self.title_refs.contains(&name) { 0 } else { depth };
            stack[target].push(Field {
                name: name.to_string(),
                label: full,
                kind: FieldKind::Text { multiline: false },
                cell: path.clone(),
                print: Print::default(),
            });
        }
    }
}

impl Walk<'_> {
    /// The declared fields (`fields:` of the layout) that the expression
    /// names in `names` read, asked for where they are first read and
    /// under that cell's label (期間 for `wareki(kikan_from)`).
    fn read_fields(&self, names: &[String], path: &YamlPath, label: &str, stack: &mut [Scope]) {
        for name in names {
            let Some((depth, def)) = self.declared(stack, name) else { continue };
            let Some(kind) = outline_kind(def) else { continue };
            let label = if label.is_empty() { name.clone() } else { format!("{label} ({name})") };
            stack[depth].push(Field { name: name.clone(), label, kind, cell: path.clone(), print: Print::default() });
        }
    }

    /// A field the layout declares under `fields:` (not printed by a cell
    /// of its own), in the scope of `stack` or one around it: the depth of
    /// that scope and its definition.
    fn declared(&self, stack: &[Scope], name: &str) -> Option<(usize, &FieldDef)> {
        let mut scope = &self.layout.fields;
        let mut found = None;
        for (depth, list) in stack.iter().enumerate() {
            if depth > 0 {
                scope = scope.lists.get(&list.name)?;
            }
            if let Some(def) = scope.fields.get(name).filter(|d| d.cell_path.first_key() == Some("fields")) {
                found = Some((depth, def));
            }
        }
        found
    }

    /// Declared fields no cell or expression asked for (a list only
    /// `compute:` reads, a value only a style tests): at the end of their
    /// scope, under their own names.
    fn remaining(&self, fields: &Fields, scope: &mut Scope) {
        for (name, def) in &fields.fields {
            if def.cell_path.first_key() != Some("fields") {
                continue;
            }
            if let Some(kind) = outline_kind(def) {
                let cell = def.cell_path.clone();
                scope.push(Field { name: name.clone(), label: name.clone(), kind, cell, print: Print::default() });
            }
        }
        for (name, inner) in &fields.lists {
            let mut list = match scope.fields.iter().position(|f| &f.name == name) {
                Some(i) => match &scope.fields[i].kind {
                    FieldKind::List { fields } => Scope { name: name.clone(), fields: fields.clone() },
                    _ => continue,
                },
                None => Scope::list(name),
            };
            self.remaining(inner, &mut list);
            if list.fields.is_empty() {
                continue;
            }
            let kind = FieldKind::List { fields: list.fields };
            match scope.fields.iter_mut().find(|f| &f.name == name) {
                Some(f) => f.kind = kind,
                None => scope.fields.push(Field {
                    name: name.clone(),
                    label: name.clone(),
                    kind,
                    cell: YamlPath::root().key("fields").key(name.clone()),
                    print: Print::default(),
                }),
            }
        }
    }
}

/// The data list whose elements a `for_each` brings into scope: a list
/// field, or the list joined into rows made by an expression (the
/// entries of a calendar of days).
fn data_list(each: &Each) -> Option<&str> {
    match (&each.list, &each.join) {
        (ListSource::Field(name), _) => Some(name),
        (ListSource::Expr(_), Some(join)) => Some(&join.list),
        (ListSource::Expr(_), None) => None,
    }
}

/// The compiled templates of the text blocks in `blocks`.
fn text_templates<'a>(blocks: &'a [Block], out: &mut Vec<&'a TextTemplate>) {
    for block in blocks {
        match block {
            Block::Text(text) => out.extend(text.template.as_ref()),
            Block::Group(group) => text_templates(&group.blocks, out),
            Block::Table(_) => {}
        }
    }
}

/// What a person types for a declared field of validation's kind.
fn outline_kind(def: &FieldDef) -> Option<FieldKind> {
    use crate::validate::FieldKind as V;
    Some(match def.kind {
        V::Text | V::Boxes => FieldKind::Text { multiline: false },
        V::Amount => FieldKind::Amount,
        V::Number => FieldKind::Number,
        V::Choice => FieldKind::Choice { options: def.options.clone() },
        V::FiscalYear => FieldKind::FiscalYear,
        V::Date => FieldKind::Date,
        V::Month => FieldKind::Month,
        V::Series => return None,
    })
}

/// A label's text as read: its line breaks removed.
fn clean(label: &str) -> String {
    label.replace('\n', "")
}

/// A template with `name` shown as ＿＿ and other placeholders as …:
/// `{title}（{period}）の取組状況` → `＿＿（…）の取組状況`.
fn template_display(template: &str, name: &str) -> String {
    let mut out = template.to_string();
    for (token, n) in placeholder_tokens(template) {
        out = out.replacen(token, if n == name { "＿＿" } else { "…" }, 1);
    }
    clean(&out)
}

// ---------------------------------------------------------------- checking

/// A message about one field (or the whole form), in plain words.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The data path (`fields.mokuhyo`, `fields.sections[0].heading`);
    /// `[*]` for "every element" of a list (warnings, which the layout
    /// reports per layout cell); empty for the whole form.
    pub path: String,
    pub error: bool,
    pub message: String,
}

/// A rendered form: its PDF and the pages it was written from.
pub struct Sheet {
    pub pdf: Vec<u8>,
    pub document: Document,
}

/// What checking and rendering a data text found.
pub struct Checked {
    /// The form, when it could be rendered (fields in error left blank).
    pub sheet: Option<Sheet>,
    pub diagnostics: Vec<Diagnostic>,
    /// The printed form of amounts, numbers, years and dates, by data path.
    pub printed: Vec<(String, String)>,
    /// A plan's years (Gregorian, short 和暦 label), for the year switch.
    pub years: Vec<(i32, String)>,
}

impl Checked {
    /// The number of pages rendered (0 when nothing could be).
    pub fn pages(&self) -> usize {
        self.sheet.as_ref().map_or(0, |s| s.document.pages.len())
    }
}

/// Check and render the data file text `text` (as if read from `path`),
/// reporting the year `year` of a plan. A field whose value is refused is
/// reported and left blank so that the rest still shows: `blank` is called
/// with the data path of the field to clear and returns the new text, or
/// `None` when it cannot.
pub fn check(
    path: &Path,
    text: String,
    layouts: &Layouts,
    year: Option<&str>,
    mut blank: impl FnMut(&str) -> Option<String>,
) -> Checked {
    let mut checked = Checked { sheet: None, diagnostics: Vec::new(), printed: Vec::new(), years: Vec::new() };
    let mut text = text;
    // Each round clears one refused field; a form has few at a time.
    for _ in 0..32 {
        let attempt = Form::from_text_with(path, text.clone(), layouts)
            .and_then(|form| {
                checked.years = plan_years(&form);
                match year {
                    Some(y) if form.period().is_some() => form.with_year(y),
                    _ => Ok(form),
                }
            })
            .and_then(|form| render(&form).map(|r| (form, r)));
        match attempt {
            Ok((form, (sheet, warnings))) => {
                let outline = Outline::of_form(&form);
                checked.printed = printed_values(&outline, form.values());
                checked.diagnostics.extend(warnings.iter().map(|w| warning(&outline, w)));
                checked.sheet = Some(sheet);
                return checked;
            }
            Err(e) => {
                let field = error_field(&e, path);
                let diagnostic = error_diagnostic(&e, field.as_deref());
                let cleared = field.as_deref().and_then(&mut blank);
                checked.diagnostics.push(diagnostic);
                match cleared {
                    Some(t) => text = t,
                    None => return checked,
                }
            }
        }
    }
    checked
}

/// Lay the form out and write its PDF, keeping the pages.
fn render(form: &Form) -> Result<(Sheet, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let document = form.lay_out(&mut warnings)?;
    let pdf = crate::pdf::write(&document)?;
    Ok((Sheet { pdf, document }, warnings))
}

/// A plan's years, as the `--year` switch offers them.
fn plan_years(form: &Form) -> Vec<(i32, String)> {
    match form.period() {
        Some((from, to)) => {
            (from..=to).map(|y| (y, era_of_fiscal_year(y).map(|e| e.short()).unwrap_or(y.to_string()))).collect()
        }
        None => Vec::new(),
    }
}

/// The data path of the field an error is about (`fields.sections[0].
/// heading`), if the error is in the data file at `data`; `None` for one
/// about the whole file or the layout. The one place errors are matched
/// to fields: a located error holds its site's `YamlPath` as `field`, in
/// the file the site is in.
fn error_field(e: &Error, data: &Path) -> Option<String> {
    let field = e.field.as_deref()?;
    (e.file.as_deref() == Some(data) && field.starts_with("fields.")).then(|| field.to_string())
}

/// An error in plain words, at its field.
fn error_diagnostic(e: &Error, field: Option<&str>) -> Diagnostic {
    let mut message = plain_error(&e.message);
    // The help of a missing glyph speaks to layout authors (`fallback:`).
    if e.message.starts_with("no font has a glyph") {
        message.push_str(" — remove or replace it");
    } else if let Some(help) = &e.help {
        message = format!("{message} — {help}");
    }
    if field.is_none() {
        if let (Some(file), Some((line, _))) = (&e.file, e.position) {
            message = format!("{message} ({}:{line})", file.display());
        }
    }
    Diagnostic { path: field.unwrap_or_default().to_string(), error: true, message }
}

/// The pipeline's messages, said for a person filling in a form.
fn plain_error(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("no font has a glyph for ") {
        // "U+1F600 😀"
        let ch = rest.split_once(' ').map(|(_, c)| c).unwrap_or(rest);
        let code = rest.split_once(' ').map(|(u, _)| u).unwrap_or("");
        return format!("「{ch}」 ({code}) cannot be printed: the form's fonts have no such character");
    }
    if message.starts_with("the text does not fit") {
        let without_cell = message.split("; cell ").next().unwrap_or(message);
        return capitalise(without_cell);
    }
    capitalise(message)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A layout warning (text shrunk to 7.5 pt in a cell) at the field its
/// cell prints, in plain words.
fn warning(outline: &Outline, w: &Warning) -> Diagnostic {
    let path = field_at_cell(outline, &w.cell).unwrap_or_default();
    let message = &w.message;
    let message = if let Some(size) = message.strip_prefix("text shrunk to ") {
        format!("The text is printed small ({size}) to fit the cell; below 8 pt is hard to read — shorten it")
    } else if message.starts_with("a line had to break where") {
        "A line breaks where the Japanese line-breaking rules (禁則) forbid it: the cell is too narrow for a word"
            .to_string()
    } else if let Some(rest) = message.strip_prefix("the text needs ") {
        format!(
            "The text needs {}",
            rest.replace("(limit", "(the form expects at most").replace("; the row grows", "; the row is made taller")
        )
    } else {
        capitalise(message)
    };
    let message = if path.is_empty() && !w.cell.is_root() { format!("{message} ({})", w.cell) } else { message };
    Diagnostic { path, error: false, message }
}

/// The data path of the field a layout cell prints (`[*]` inside lists).
fn field_at_cell(outline: &Outline, cell: &YamlPath) -> Option<String> {
    fn find(fields: &[Field], cell: &YamlPath, prefix: &str) -> Option<String> {
        for f in fields {
            if let FieldKind::List { fields: inner } = &f.kind {
                if let Some(p) = find(inner, cell, &format!("{prefix}.{}[*]", f.name)) {
                    return Some(p);
                }
            } else if f.cell == *cell {
                return Some(format!("{prefix}.{}", f.name));
            }
        }
        None
    }
    find(&outline.fields, cell, "fields")
}

/// The printed form of each amount, number, fiscal year and date, by data
/// path: `７，１８８千円`, `令和７年度`, `令和７年１０月３日（金）`.
fn printed_values(outline: &Outline, values: &Values) -> Vec<(String, String)> {
    let mut out = Vec::new();
    printed_scope(&outline.fields, values, "fields", &mut out);
    out
}

fn printed_scope(fields: &[Field], values: &Values, path: &str, out: &mut Vec<(String, String)>) {
    for field in fields {
        let here = format!("{path}.{}", field.name);
        let Some(value) = values.get(&field.name) else { continue };
        let p = &field.print;
        let shown = match (&field.kind, value) {
            (FieldKind::Amount | FieldKind::Number, Value::Number(n)) => {
                let grouping = matches!(field.kind, FieldKind::Amount);
                let format = NumberFormat { places: None, sign: Sign::default(), digits: p.digits, grouping };
                Some(format!("{}{}{}", p.prefix, format_decimal(*n, &format), p.suffix))
            }
            (FieldKind::FiscalYear, Value::Year(y)) => Some(format::fiscal_year(*y, p.gannen, p.digits)),
            (FieldKind::Date, Value::Date(d)) => Some(date_with_weekday(*d, p)),
            (FieldKind::List { fields: inner }, Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    printed_scope(inner, item, &format!("{here}[{i}]"), out);
                }
                None
            }
            _ => None,
        };
        if let Some(shown) = shown {
            out.push((here, shown));
        }
    }
}

/// `令和７年１０月３日（金）`: the date as printed, with its weekday.
fn date_with_weekday(d: NaiveDate, p: &Print) -> String {
    const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let weekday = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
    format!("{}（{weekday}）", format::date(d, p.gannen, p.digits))
}

/// The `layout:` value of a data file's text, without checking the rest.
pub fn layout_reference(text: &str) -> Option<String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    yaml.get("layout")?.as_str().map(str::to_string)
}

/// The `fields:` of a data file's text as a JSON tree (scalars as the
/// text the renderer reads: numbers as written, `~` as null).
pub fn fields_tree(text: &str) -> std::result::Result<Json, String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    Ok(to_tree(yaml.get("fields").unwrap_or(&serde_yaml::Value::Null)))
}

fn to_tree(v: &serde_yaml::Value) -> Json {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::String(b.to_string()),
        Y::Number(n) => Json::String(n.to_string()),
        Y::String(s) => Json::String(s.clone()),
        Y::Sequence(items) => Json::Array(items.iter().map(to_tree).collect()),
        Y::Mapping(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key, to_tree(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => to_tree(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled(name: &str) -> Outline {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts").join(name);
        Outline::read(&path).unwrap()
    }

    fn labels(fields: &[Field]) -> Vec<(String, String)> {
        fields.iter().map(|f| (f.name.clone(), f.label.clone())).collect()
    }

    #[test]
    fn shinko_kanri_fields_in_print_order_with_their_labels() {
        let o = bundled("shinko-kanri.yaml");
        let got = labels(&o.fields);
        let want = [
            ("nendo", "年度"),
            ("bango", "№"),
            ("kanrisha", "進行管理者"),
            ("jigyomei", "事務事業名"),
            ("gaiyo", "事業の概要"),
            ("keika", "これまでの経過"),
            ("yosan_sojigyohi", "本年度の予算措置 総事業費"),
            ("yosan_ippan_zaigen", "本年度の予算措置 うち一般財源"),
            ("mokuhyo", "本年度の目標"),
            ("kamiki_keikaku", "上半期の計画と実績 計画"),
            ("kamiki_jisseki", "上半期の計画と実績 実績"),
            ("shimoki_keikaku", "下半期の計画と実績 計画"),
            ("shimoki_jisseki", "下半期の計画と実績 実績"),
            ("chukan_tasseido", "中間評価 達成度"),
            ("chukan_seika", "中間評価 取組の成果"),
            ("kimatsu_tasseido", "期末評価 達成度"),
            ("kimatsu_seika", "期末評価 取組の成果"),
            ("jisseki_sojigyohi", "事業費の実績 総事業費"),
            ("jisseki_ippan_zaigen", "事業費の実績 うち一般財源"),
            ("hoshin", "今後の方針"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(got, want);
        let kind = |n: &str| o.find(&[n]).unwrap().kind.clone();
        assert_eq!(kind("nendo"), FieldKind::FiscalYear);
        assert_eq!(kind("bango"), FieldKind::Number);
        assert_eq!(kind("yosan_sojigyohi"), FieldKind::Amount);
        assert_eq!(kind("mokuhyo"), FieldKind::Text { multiline: true });
        assert_eq!(kind("jigyomei"), FieldKind::Text { multiline: false }, "max_lines: 1");
        assert_eq!(kind("kanrisha"), FieldKind::Text { multiline: false }, "centred");
        assert_eq!(
            kind("chukan_tasseido"),
            FieldKind::Choice { options: vec!["目標以下".into(), "目標どおり".into(), "目標以上".into()] }
        );
    }

    #[test]
    fn jinzai_plan_lists_take_their_header_labels() {
        let o = bundled("jinzai-plan.yaml");
        let top: Vec<&str> = o.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(top, ["period_from", "period_to", "title", "sections"]);
        assert_eq!(o.find(&["title"]).unwrap().label, "＿＿（…）の取組状況");
        let sections = o.find(&["sections"]).unwrap();
        let FieldKind::List { fields } = &sections.kind else { panic!("sections is a list") };
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["heading", "status_as_of", "chu_komoku"]);
        assert_eq!(o.find(&["sections", "heading"]).unwrap().label, "【＿＿】");
        assert_eq!(o.find(&["sections", "status_as_of"]).unwrap().label, "取組状況 （～＿＿）");
        assert_eq!(o.find(&["sections", "chu_komoku"]).unwrap().label, "中項目");
        assert_eq!(o.find(&["sections", "chu_komoku", "name"]).unwrap().label, "中項目");
        assert_eq!(o.find(&["sections", "chu_komoku", "sho_komoku", "name"]).unwrap().label, "小項目");
        let torikumi = ["sections", "chu_komoku", "sho_komoku", "torikumi"];
        let field = |n: &str| o.find(&[&torikumi[..], &[n]].concat()).unwrap().clone();
        assert_eq!(field("no").label, "具体的な取組 ＿＿ …");
        assert_eq!(field("naiyo").label, "具体的な取組 … ＿＿");
        assert_eq!(field("kubun").label, "区分");
        assert_eq!(field("schedule").label, "スケジュール");
        assert_eq!(field("schedule").kind, FieldKind::Series { columns: 5, years: true, multiline: false });
        assert_eq!(field("jokyo").label, "取組状況");
        assert_eq!(field("jokyo").kind, FieldKind::Series { columns: 5, years: true, multiline: true });
        assert_eq!(field("hyoka").label, "評価");
    }

    #[test]
    fn every_layout_field_is_in_the_outline() {
        // (scope, name) of every field, the scope being list names.
        fn outline_fields(fields: &[Field], scope: &[String], out: &mut Vec<(Vec<String>, String)>) {
            for f in fields {
                out.push((scope.to_vec(), f.name.clone()));
                if let FieldKind::List { fields: inner } = &f.kind {
                    outline_fields(inner, &[scope, std::slice::from_ref(&f.name)].concat(), out);
                }
            }
        }
        fn layout_fields(fields: &Fields, scope: &[String], out: &mut Vec<(Vec<String>, String)>) {
            out.extend(fields.fields.keys().map(|n| (scope.to_vec(), n.clone())));
            for (name, inner) in &fields.lists {
                out.push((scope.to_vec(), name.clone()));
                layout_fields(inner, &[scope, std::slice::from_ref(name)].concat(), out);
            }
        }
        for name in ["shinko-kanri.yaml", "jinzai-plan.yaml"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts").join(name);
            let form = Form::blank(&path).unwrap();
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            outline_fields(&Outline::of_form(&form).fields, &[], &mut ours);
            layout_fields(&form.layout().fields, &[], &mut theirs);
            // A placeholder is a field of every scope on its way; the
            // outline shows it once, where it is filled in.
            for (scope, field) in &theirs {
                let on_the_way = |s: &Vec<String>| s.starts_with(scope) || scope.starts_with(s);
                assert!(ours.iter().any(|(s, f)| f == field && on_the_way(s)), "{name}: {scope:?} {field}");
            }
            for (scope, field) in &ours {
                assert!(
                    theirs.contains(&(scope.clone(), field.clone())),
                    "{name}: {scope:?} {field} not in the layout's fields"
                );
            }
        }
    }

    #[test]
    fn check_reports_at_the_field_and_still_renders() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shinko-kanri/new.yaml");
        let text = "layout: shinko-kanri\nfields:\n  nendo: 令和7\n  bango: 六\n  jigyomei: 事業😀\n".to_string();
        let mut texts = vec![text.clone()];
        let checked = check(&path, text, &Layouts::default(), None, |field| {
            let key = field.strip_prefix("fields.")?;
            let last = texts.last()?.clone();
            let kept: Vec<&str> = last.lines().filter(|l| !l.trim_start().starts_with(&format!("{key}:"))).collect();
            texts.push(kept.join("\n"));
            texts.last().cloned()
        });
        assert!(checked.sheet.is_some(), "{:?}", checked.diagnostics);
        let at: Vec<&str> = checked.diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(at, ["fields.bango", "fields.jigyomei"]);
        assert!(checked.diagnostics[1].message.contains("「😀」"), "{:?}", checked.diagnostics);
        assert_eq!(checked.printed, [("fields.nendo".to_string(), "令和７年度".to_string())]);
    }

    #[test]
    fn dates_show_their_weekday() {
        let d = NaiveDate::from_ymd_opt(2025, 10, 3).unwrap();
        assert_eq!(date_with_weekday(d, &Print { gannen: true, ..Print::default() }), "令和７年１０月３日（金）");
    }
}
