//! The outline of a form: its fields as a person filling it sees them, in
//! the form's order, each with the Japanese label its cell is printed
//! under (本年度の目標, 中間評価 達成度), its kind and what it accepts.
//!
//! `yoshiki template` writes a data file from it and `yoshiki serve` builds
//! its web form from it. This file is the **adapter** between those and
//! the pipeline's internals (`model::layout`, `validate`, `layout::style`,
//! the `Error` field paths and warning texts): everything `template` and
//! `serve` know about them goes through here, so a change of those
//! internals is ported in this one file.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::layout::style::resolve;
use crate::model::layout::{Align, Block, Cell, Layout, Row, VAlign};
use crate::render::Form;
use crate::text::era::{era_of_date, era_of_fiscal_year};
use crate::text::numerals::{format_digits, format_grouped, Digits};
use crate::validate::{placeholders, CellKind, Value, Values, BUILT_IN_PLACEHOLDERS};

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
    /// Where the defining cell stands in the layout (`body[2].table…`).
    pub cell_path: String,
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
            FieldKind::Amount => "amount: a whole number, e.g. 7188 or 7,188".to_string(),
            FieldKind::Number => "number: a whole number".to_string(),
            FieldKind::Choice { options } => format!("choice: {}", options.join(" | ")),
            FieldKind::FiscalYear => "fiscal year: 2025, 令和7 or R7".to_string(),
            FieldKind::Date => "date: 2025-04-01".to_string(),
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

    /// The outline of a form's layout.
    pub fn of_form(form: &Form) -> Outline {
        Outline::of(&form.layout)
    }

    /// The outline of a (checked) layout.
    pub fn of(layout: &Layout) -> Outline {
        let mut walk = Walk { layout, defined: Vec::new(), title_refs: Vec::new() };
        walk.collect_defined(&layout.body, &[]);
        if let Some(period) = &layout.period {
            for name in [&period.from, &period.to] {
                walk.defined.push((Vec::new(), name.clone()));
            }
        }
        walk.title_refs =
            layout.title.as_deref().map(placeholders).unwrap_or_default().into_iter().map(String::from).collect();
        let mut root = Scope::default();
        if let Some(period) = &layout.period {
            for (name, label) in [(&period.from, "期間（初年度）"), (&period.to, "期間（最終年度）")] {
                root.push(Field {
                    name: name.clone(),
                    label: label.to_string(),
                    kind: FieldKind::FiscalYear,
                    cell_path: "period".to_string(),
                    print: Print { gannen: true, ..Print::default() },
                });
            }
        }
        let mut stack = vec![root];
        walk.blocks(&layout.body, "body", &mut stack);
        Outline {
            title: layout.title.clone(),
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
                for (token, _) in crate::validate::placeholder_tokens(t) {
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
    columns: Vec<(u32, u32, String)>,
}

impl Header {
    fn label_at(&self, column: u32) -> Option<&str> {
        self.columns.iter().find(|(at, span, _)| (*at..at + span).contains(&column)).map(|c| c.2.as_str())
    }
}

/// Where a cell stands: the labels of enclosing rows, its table's header
/// and its first column.
#[derive(Clone, Default)]
struct Place {
    labels: Vec<String>,
    header: Header,
    column: u32,
}

/// Walks the layout in print order.
struct Walk<'a> {
    layout: &'a Layout,
    /// (scope, name) of every field a cell defines.
    defined: Vec<(Vec<String>, String)>,
    /// Placeholders of the layout's `title:`: document-wide fields.
    title_refs: Vec<String>,
}

impl Walk<'_> {
    /// First pass: which scopes define which fields by a cell (a
    /// placeholder names a new field only where no scope on its way does).
    fn collect_defined(&mut self, blocks: &[Block], scope: &[String]) {
        for block in blocks {
            if let Some(table) = &block.table {
                self.collect_rows(&table.header, scope);
                self.collect_rows(&table.rows, scope);
            }
            if let (Some(list), Some(children)) = (&block.for_each, &block.blocks) {
                let inner = [scope, std::slice::from_ref(list)].concat();
                self.collect_defined(children, &inner);
            }
        }
    }

    fn collect_rows(&mut self, rows: &[Row], scope: &[String]) {
        for row in rows {
            let inner = match &row.for_each {
                Some(list) => [scope, std::slice::from_ref(list)].concat(),
                None => scope.to_vec(),
            };
            for cell in &row.cells {
                match CellKind::of(cell) {
                    Ok(CellKind::Rows) => self.collect_rows(cell.rows.as_deref().unwrap_or_default(), &inner),
                    Ok(kind) => {
                        if let Some(name) = kind.field() {
                            self.defined.push((inner.clone(), name.to_string()));
                        }
                    }
                    Err(_) => {}
                }
            }
        }
    }

    /// Is `name` defined by a cell in the scope of `stack` or one around it?
    fn is_defined(&self, stack: &[Scope], name: &str) -> bool {
        let scope: Vec<String> = stack.iter().skip(1).map(|s| s.name.clone()).collect();
        (0..=scope.len()).any(|n| self.defined.iter().any(|(s, f)| f == name && s.as_slice() == &scope[..n]))
    }

    fn blocks(&self, blocks: &[Block], path: &str, stack: &mut Vec<Scope>) {
        for (b, block) in blocks.iter().enumerate() {
            let here = format!("{path}[{b}]");
            if let Some(text) = &block.text {
                self.template_fields(text, &format!("{here}.text"), "", stack);
            }
            if let Some(table) = &block.table {
                let header = self.header(table.header.as_slice(), table.columns.is_some(), &here, stack);
                let place = Place { header, ..Place::default() };
                self.rows(&table.rows, &format!("{here}.table.rows"), &place, stack);
            }
            if let (Some(list), Some(children)) = (&block.for_each, &block.blocks) {
                stack.push(Scope { name: list.clone(), fields: Vec::new() });
                self.blocks(children, &format!("{here}.blocks"), stack);
                self.close_list(list, &here, None, stack);
            }
        }
    }

    /// The list `name` whose element fields are the top of `stack`.
    fn close_list(&self, name: &str, path: &str, label: Option<String>, stack: &mut Vec<Scope>) {
        let inner = stack.pop().map(|s| s.fields).unwrap_or_default();
        let label = label.filter(|l| !l.is_empty()).or_else(|| inner.first().map(|f| f.label.clone()));
        let field = Field {
            name: name.to_string(),
            label: label.unwrap_or_else(|| name.to_string()),
            kind: FieldKind::List { fields: inner },
            cell_path: path.to_string(),
            print: Print::default(),
        };
        if let Some(top) = stack.last_mut() {
            top.push(field);
        }
    }

    /// The header rows' labels by column; their placeholders become fields.
    fn header(&self, rows: &[Row], has_columns: bool, path: &str, stack: &mut Vec<Scope>) -> Header {
        let mut header = Header::default();
        for (r, row) in rows.iter().enumerate() {
            let mut column = 0;
            for (c, cell) in row.cells.iter().enumerate() {
                let span = if has_columns { cell.span.unwrap_or(1) } else { 1 };
                let here = format!("{path}.table.header[{r}].cells[{c}]");
                let label = first_label(cell);
                if let Some(label) = &label {
                    if header.label_at(column).is_none() {
                        header.columns.push((column, span, label.clone()));
                    }
                }
                self.header_templates(cell, &here, label.as_deref().unwrap_or(""), stack);
                column += span;
            }
        }
        header
    }

    /// Placeholders in header cells (labels, `final_suffix`) are fields.
    fn header_templates(&self, cell: &Cell, path: &str, label: &str, stack: &mut Vec<Scope>) {
        if let Some(suffix) = &cell.final_suffix {
            self.template_fields(suffix, &format!("{path}.final_suffix"), label, stack);
        }
        for row in cell.rows.iter().flatten() {
            for (c, inner) in row.cells.iter().enumerate() {
                self.header_templates(inner, &format!("{path}.rows.cells[{c}]"), label, stack);
            }
        }
    }

    fn rows(&self, rows: &[Row], path: &str, place: &Place, stack: &mut Vec<Scope>) {
        for (r, row) in rows.iter().enumerate() {
            let here = format!("{path}[{r}]");
            if let Some(list) = &row.for_each {
                stack.push(Scope { name: list.clone(), fields: Vec::new() });
                self.row(row, &here, place, stack);
                let label = place.header.label_at(place.column).map(String::from);
                self.close_list(list, &here, label, stack);
            } else {
                self.row(row, &here, place, stack);
            }
        }
    }

    fn row(&self, row: &Row, path: &str, place: &Place, stack: &mut Vec<Scope>) {
        let kinds: Vec<Option<CellKind>> = row.cells.iter().map(|c| CellKind::of(c).ok()).collect();
        // A row heading: a first label followed by another label or by
        // sub-rows (本年度の予算措置 | 総事業費 | …), not by its own value.
        let heading = match (kinds.first(), kinds.get(1)) {
            (Some(Some(CellKind::Label(h))), Some(Some(CellKind::Label(_) | CellKind::Rows))) => Some(clean(h)),
            _ => None,
        };
        let mut run: Vec<String> = Vec::new(); // labels since the last value
        let mut column = place.column;
        for (c, (cell, kind)) in row.cells.iter().zip(&kinds).enumerate() {
            let here = format!("{path}.cells[{c}]");
            let span = cell.span.unwrap_or(1);
            let labels = || {
                let mut l = place.labels.clone();
                if let Some(h) = &heading {
                    if !run.contains(h) && !l.contains(h) {
                        l.push(h.clone());
                    }
                }
                l.extend(run.iter().filter(|r| !place.labels.contains(r)).cloned());
                l
            };
            match kind {
                Some(CellKind::Label(text)) => {
                    self.template_fields(text, &format!("{here}.label"), &labels().join(" "), stack);
                    run.push(clean(text));
                }
                Some(CellKind::Rows) => {
                    let inner = Place { labels: labels(), header: place.header.clone(), column };
                    self.rows(cell.rows.as_deref().unwrap_or_default(), &format!("{here}.rows"), &inner, stack);
                    run.clear();
                }
                Some(kind) => {
                    let mut label = labels().join(" ");
                    if label.is_empty() {
                        label = place.header.label_at(column).unwrap_or_default().to_string();
                    }
                    self.value_cell(cell, kind, &here, label, stack);
                    run.clear();
                }
                None => {}
            }
            column += span;
        }
    }

    /// A cell that prints a field (or a template of several).
    fn value_cell(&self, cell: &Cell, kind: &CellKind, path: &str, label: String, stack: &mut [Scope]) {
        let style = resolve(kind, cell, self.layout);
        let print = Print {
            prefix: style.prefix.clone(),
            suffix: style.suffix.clone(),
            digits: style.digits,
            gannen: style.gannen,
        };
        let short = style.max_lines == Some(1)
            || matches!(style.align, Align::Center | Align::Right)
            || style.valign == VAlign::Middle;
        let field_kind = match kind {
            CellKind::Text(t) if t.contains('{') => {
                return self.template_fields(t, &format!("{path}.text"), &label, stack);
            }
            CellKind::Text(_) => FieldKind::Text { multiline: !short },
            CellKind::Amount(_) => FieldKind::Amount,
            CellKind::Number(_) => FieldKind::Number,
            CellKind::Choice(_) => FieldKind::Choice { options: cell.options.clone().unwrap_or_default() },
            CellKind::FiscalYear(_) => FieldKind::FiscalYear,
            CellKind::Date(_) => FieldKind::Date,
            CellKind::Series(_) => FieldKind::Series {
                columns: cell.span.unwrap_or(1),
                years: self.layout.period.is_some(),
                multiline: !short,
            },
            CellKind::YearLabels(_) => {
                if let Some(suffix) = &cell.final_suffix {
                    self.template_fields(suffix, &format!("{path}.final_suffix"), &label, stack);
                }
                return;
            }
            CellKind::Label(_) | CellKind::Rows => return,
        };
        let Some(name) = kind.field() else { return };
        let label = if label.is_empty() { name.to_string() } else { label };
        if let Some(top) = stack.last_mut() {
            top.push(Field { name: name.to_string(), label, kind: field_kind, cell_path: path.to_string(), print });
        }
    }

    /// The fields a template's `{placeholders}` make: single-line text in
    /// the scope the template is in (or the document's, for placeholders
    /// of the layout's title), unless a cell defines them somewhere on the
    /// way. `label` is the cell's label; the template itself, with the
    /// field shown as ＿＿, tells which part of it is meant.
    fn template_fields(&self, template: &str, path: &str, label: &str, stack: &mut [Scope]) {
        let names = placeholders(template);
        let depth = stack.len() - 1;
        for name in &names {
            if BUILT_IN_PLACEHOLDERS.contains(name) {
                continue;
            }
            if self.is_defined(stack, name) {
                continue;
            }
            let shown = template_display(template, name);
            let full = if label.is_empty() { shown } else { format!("{label} {shown}") };
            let target = if self.title_refs.iter().any(|t| t == name) { 0 } else { depth };
            stack[target].push(Field {
                name: name.to_string(),
                label: full,
                kind: FieldKind::Text { multiline: false },
                cell_path: path.to_string(),
                print: Print::default(),
            });
        }
    }
}

/// A label's text as read: its line breaks removed.
fn clean(label: &str) -> String {
    label.replace('\n', "")
}

/// The first label of a header cell (its own, or of its sub-rows).
fn first_label(cell: &Cell) -> Option<String> {
    if let Some(label) = &cell.label {
        return Some(clean(label));
    }
    cell.rows.iter().flatten().flat_map(|r| &r.cells).find_map(first_label)
}

/// A template with `name` shown as ＿＿ and other placeholders as …:
/// `{title}（{period}）の取組状況` → `＿＿（…）の取組状況`.
fn template_display(template: &str, name: &str) -> String {
    let mut out = template.to_string();
    for (token, n) in crate::validate::placeholder_tokens(template) {
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

/// What checking and rendering a data text found.
pub struct Checked {
    /// The PDF, when the form could be rendered (fields in error left blank).
    pub pdf: Option<Vec<u8>>,
    pub pages: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// The printed form of amounts, numbers, years and dates, by data path.
    pub printed: Vec<(String, String)>,
    /// A plan's years (Gregorian, short 和暦 label), for the year switch.
    pub years: Vec<(i32, String)>,
}

/// Check and render the data file text `text` (as if read from `path`),
/// reporting the year `year` of a plan. A field whose value is refused is
/// reported and left blank so that the rest still shows: `blank` is called
/// with the data path of the field to clear and returns the new text, or
/// `None` when it cannot.
pub fn check(path: &Path, text: String, year: Option<&str>, mut blank: impl FnMut(&str) -> Option<String>) -> Checked {
    let mut checked = Checked { pdf: None, pages: 0, diagnostics: Vec::new(), printed: Vec::new(), years: Vec::new() };
    let mut text = text;
    // Each round clears one refused field; a form has few at a time.
    for _ in 0..32 {
        let attempt = Form::from_text(path, text.clone())
            .and_then(|form| {
                checked.years = plan_years(&form);
                match year {
                    Some(y) if form.period().is_some() => form.with_year(y),
                    _ => Ok(form),
                }
            })
            .and_then(|form| form.render().map(|r| (form, r)));
        match attempt {
            Ok((form, rendered)) => {
                checked.printed = printed_values(&form);
                checked.pages = rendered.pages;
                checked.pdf = Some(rendered.pdf);
                checked.diagnostics.extend(rendered.warnings.iter().map(|w| warning(&form, w)));
                return checked;
            }
            Err(e) => {
                let field = e.field.clone().filter(|f| f.starts_with("fields.") && e.file.as_deref() == Some(path));
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

/// A plan's years, as the `--year` switch offers them.
fn plan_years(form: &Form) -> Vec<(i32, String)> {
    match form.period() {
        Some((from, to)) => {
            (from..=to).map(|y| (y, era_of_fiscal_year(y).map(|e| e.short()).unwrap_or(y.to_string()))).collect()
        }
        None => Vec::new(),
    }
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

/// A layout warning (`body[2].table.rows[5].cells[1]: text shrunk to 7.5
/// pt`) at the field its cell prints, in plain words.
fn warning(form: &Form, text: &str) -> Diagnostic {
    let (cell, message) = text.split_once(": ").unwrap_or(("", text));
    let path = field_at_cell(&Outline::of_form(form), cell).unwrap_or_default();
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
    let message = if path.is_empty() && !cell.is_empty() { format!("{message} ({cell})") } else { message };
    Diagnostic { path, error: false, message }
}

/// The data path of the field a layout cell prints (`[*]` inside lists).
fn field_at_cell(outline: &Outline, cell: &str) -> Option<String> {
    fn find(fields: &[Field], cell: &str, prefix: &str) -> Option<String> {
        for f in fields {
            if f.cell_path == cell && !matches!(f.kind, FieldKind::List { .. }) {
                return Some(format!("{prefix}.{}", f.name));
            }
            if let FieldKind::List { fields: inner } = &f.kind {
                if let Some(p) = find(inner, cell, &format!("{prefix}.{}[*]", f.name)) {
                    return Some(p);
                }
            }
        }
        None
    }
    find(&outline.fields, cell, "fields")
}

/// The printed form of each amount, number, fiscal year and date, by data
/// path: `７，１８８千円`, `令和７年度`, `令和７年１０月３日（金）`.
fn printed_values(form: &Form) -> Vec<(String, String)> {
    let outline = Outline::of_form(form);
    let mut out = Vec::new();
    printed_scope(&outline.fields, &form.values, "fields", &mut out);
    out
}

fn printed_scope(fields: &[Field], values: &Values, path: &str, out: &mut Vec<(String, String)>) {
    for field in fields {
        let here = format!("{path}.{}", field.name);
        let Some(value) = values.get(&field.name) else { continue };
        let p = &field.print;
        let digits = |s: &str| format_digits(s, p.digits);
        let shown = match (&field.kind, value) {
            (FieldKind::Amount, Value::Integer(n)) => {
                Some(format!("{}{}{}", p.prefix, format_grouped(*n, p.digits), p.suffix))
            }
            (FieldKind::Number, Value::Integer(n)) => {
                Some(format!("{}{}{}", p.prefix, digits(&n.to_string()), p.suffix))
            }
            (FieldKind::FiscalYear, Value::Year(y)) => Some(match era_of_fiscal_year(*y) {
                Some(era) => digits(&format!("{}年度", era.label(p.gannen))),
                None => digits(&format!("{y}年度")),
            }),
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
    let date = match era_of_date(d) {
        Some(era) => format!("{}年{}月{}日", era.label(p.gannen), d.month(), d.day()),
        None => d.format("%Y-%m-%d").to_string(),
    };
    format!("{}（{weekday}）", format_digits(&date, p.digits))
}

/// The `layout:` value of a data file's text (its first top-level
/// `layout:` line), without parsing the rest.
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
    fn every_schema_field_is_in_the_outline() {
        // (scope, name) of every field, the scope being list names.
        fn outline_fields(fields: &[Field], scope: &[String], out: &mut Vec<(Vec<String>, String)>) {
            for f in fields {
                out.push((scope.to_vec(), f.name.clone()));
                if let FieldKind::List { fields: inner } = &f.kind {
                    outline_fields(inner, &[scope, std::slice::from_ref(&f.name)].concat(), out);
                }
            }
        }
        fn schema_fields(schema: &crate::validate::Schema, scope: &[String], out: &mut Vec<(Vec<String>, String)>) {
            out.extend(schema.fields.keys().map(|n| (scope.to_vec(), n.clone())));
            for (name, inner) in &schema.lists {
                out.push((scope.to_vec(), name.clone()));
                schema_fields(inner, &[scope, std::slice::from_ref(name)].concat(), out);
            }
        }
        for name in ["shinko-kanri.yaml", "jinzai-plan.yaml"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts").join(name);
            let form = Form::blank(&path).unwrap();
            let schema = crate::validate::layout_schema(&form.layout, &form.layout_src).unwrap();
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            outline_fields(&Outline::of_form(&form).fields, &[], &mut ours);
            schema_fields(&schema, &[], &mut theirs);
            // A placeholder is a field of every scope on its way; the
            // outline shows it once, where it is filled in.
            for (scope, field) in &theirs {
                let on_the_way = |s: &Vec<String>| s.starts_with(scope) || scope.starts_with(s);
                assert!(ours.iter().any(|(s, f)| f == field && on_the_way(s)), "{name}: {scope:?} {field}");
            }
            for (scope, field) in &ours {
                assert!(
                    theirs.contains(&(scope.clone(), field.clone())),
                    "{name}: {scope:?} {field} not in the schema"
                );
            }
        }
    }

    #[test]
    fn check_reports_at_the_field_and_still_renders() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shinko-kanri/new.yaml");
        let text = "layout: shinko-kanri\nfields:\n  nendo: 令和7\n  bango: 六\n  jigyomei: 事業😀\n".to_string();
        let mut texts = vec![text.clone()];
        let checked = check(&path, text, None, |field| {
            let key = field.strip_prefix("fields.")?;
            let last = texts.last()?.clone();
            let kept: Vec<&str> = last.lines().filter(|l| !l.trim_start().starts_with(&format!("{key}:"))).collect();
            texts.push(kept.join("\n"));
            texts.last().cloned()
        });
        assert!(checked.pdf.is_some(), "{:?}", checked.diagnostics);
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
