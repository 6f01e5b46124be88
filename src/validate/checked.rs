//! The checked layout: what validation decided about a layout, once, and
//! the only form of it that layout sees.
//!
//! Every cell's kind is decided, its style resolved (built-in defaults →
//! `defaults.all` → `defaults.<kind>` → the cell), its width and columns
//! computed in points; every font family is loaded and found; the page is
//! turned to its orientation. What is left to layout depends on the data.

use crate::eval::template::is_template;
use crate::eval::{Computed, Each, Expression, TextTemplate};
use crate::expr::Printer;
use crate::font::Face;
use crate::model::layout::{Cell as ModelCell, CONTENT_KEYS};
use crate::path::YamlPath;
use crate::units::Pt;

use super::fields::Fields;

pub use crate::model::layout::{Align, VAlign, Visible, YearFormat};
pub use crate::text::numerals::{Digits, NumberFormat, Sign};

/// A layout, checked.
#[derive(Debug)]
pub struct CheckedLayout {
    /// The title for the PDF's metadata (may hold `{placeholders}`).
    pub title: String,
    pub page: Page,
    /// The base family and size, for what names none.
    pub font: &'static Face,
    pub size: Pt,
    /// Faces tried, in order, for a character a cell's face lacks.
    pub fallback: Vec<&'static Face>,
    pub body: Vec<Block>,
    pub footer: Option<TextBlock>,
    /// For a multi-year plan: the fields of its first and last year.
    pub period: Option<Period>,
    /// The fields the cells define, by `for_each` scope.
    pub fields: Fields,
    /// How lines are composed (punctuation compression, line-start brackets).
    pub composition: crate::text::Composition,

    // --- what the form computes ---
    /// The title compiled, if it holds `{expressions}`.
    pub title_template: Option<TextTemplate>,
    /// The `compute:` values, in an order where each comes after the values
    /// it uses.
    pub compute: Vec<Computed>,
}

/// The page, turned to its orientation.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub width: Pt,
    pub height: Pt,
    /// `[top, right, bottom, left]`.
    pub margin: [Pt; 4],
}

/// The fields holding a plan's first and last fiscal year.
#[derive(Debug, Clone)]
pub struct Period {
    pub from: String,
    pub to: String,
}

/// One block of the page body.
#[derive(Debug)]
pub enum Block {
    Text(TextBlock),
    Table(Table),
    /// Blocks repeated for each element of a list.
    Group(Group),
}

/// Free text outside the grid (a title, a caption, a note; the footer).
#[derive(Debug)]
pub struct TextBlock {
    /// The text, with its `{placeholders}` still to fill in.
    pub text: String,
    pub face: &'static Face,
    pub size: Pt,
    pub align: Align,
    /// Extra space between characters, in em.
    pub letter_spacing: f32,
    pub space_before: Pt,
    pub space_after: Pt,
    pub page_break: bool,
    pub path: YamlPath,
    /// The layout's composition settings.
    pub composition: crate::text::Composition,
    /// Keep on the page of the table just before it (a note under it).
    pub keep_with_previous: bool,

    // --- what the form computes ---
    /// The text compiled, if it holds `{expressions}`.
    pub template: Option<TextTemplate>,
    /// Include the block only when this is true (filled forms).
    pub when: Option<Expression>,
    /// What a blank form prints instead of the text.
    pub blank: Option<String>,
}

/// A ruled table, placed and with its rows' geometry resolved.
#[derive(Debug)]
pub struct Table {
    /// Left edge and width on the page.
    pub x: Pt,
    pub width: Pt,
    /// The weight of the outer frame.
    pub outer: Pt,
    /// Rows repeated at the top of every page the table runs onto.
    pub header: Vec<Row>,
    pub rows: Vec<Row>,
    pub page_break: bool,
    pub path: YamlPath,
    /// Space above and below the table.
    pub space_before: Pt,
    pub space_after: Pt,

    // --- what the form computes ---
    /// Include the table only when this is true (filled forms).
    pub when: Option<Expression>,
}

/// Blocks repeated for each element of the list `list`.
#[derive(Debug)]
pub struct Group {
    /// The `for_each` as written (a list field's name, or an expression).
    pub list: String,
    pub blocks: Vec<Block>,
    /// Start each repetition on a new page.
    pub page_break: bool,
    pub path: YamlPath,

    // --- what the form computes ---
    /// The `for_each` compiled, with its `as:` name.
    pub each: Each,
    /// Include a repetition only when this is true (filled forms).
    pub when: Option<Expression>,
}

/// A row of cells.
#[derive(Debug)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// One row per element of this list.
    pub for_each: Option<String>,
    /// With `for_each`, the empty rows a blank form shows.
    pub blank_rows: usize,
    pub min_height: Pt,
    /// A fixed height: the row never grows.
    pub height: Option<Pt>,
    /// May the row be split across pages?
    pub split: bool,
    pub path: YamlPath,
    /// Move the row whole to the next page rather than split it (unless it
    /// is taller than a page).
    pub keep_together: bool,

    // --- what the form computes ---
    /// The `for_each` compiled, with its `as:` name and `join:`.
    pub each: Option<Each>,
    /// Include the row (each row of a `for_each`) only when this is true.
    pub when: Option<Expression>,
    /// Styles applied to every cell of the row when their condition holds.
    pub styles: Vec<StyleRule>,
}

/// A style that applies when its condition holds (`styles:`): only what
/// the drawing can show — a background grey and heavier or lighter rules.
#[derive(Debug)]
pub struct StyleRule {
    pub when: Expression,
    pub shade: Option<f32>,
    /// Rule weights `[top, right, bottom, left]`; `None` keeps the cell's.
    pub border: [Option<Pt>; 4],
}

/// A cell: what it holds, how it looks, how wide it is.
#[derive(Debug)]
pub struct Cell {
    pub kind: CellKind,
    pub style: CellStyle,
    pub width: Pt,
    /// In a table with `columns`: the columns the cell takes.
    pub columns: Option<Vec<Pt>>,
    /// The columns it spans (the values of a series, the years of
    /// `year_labels`).
    pub span: usize,
    pub path: YamlPath,

    // --- what the form computes ---
    /// The cell's compiled templates and conditions.
    pub expressions: CellExpressions,
}

/// What a cell evaluates besides a `value:` (compiled by validation).
#[derive(Debug, Default)]
pub struct CellExpressions {
    /// A label or `text` template with `{expressions}`.
    pub template: Option<TextTemplate>,
    /// A `year_labels` cell's `final_suffix`, if it holds `{…}`.
    pub final_suffix: Option<TextTemplate>,
    /// `visible: { when: … }`: the value shows only where this is true.
    pub visible: Option<Expression>,
    /// Conditional styles, in order.
    pub styles: Vec<StyleRule>,
    /// A `boxes` cell whose value is computed rather than a data field
    /// (`boxes: total` naming a `compute:` value, or an expression).
    pub boxes: Option<Expression>,
}

/// What a cell prints.
#[derive(Debug)]
pub enum CellKind {
    Label(String),
    /// A text field, or a template with `{placeholders}`.
    Text(String),
    Amount(String),
    Number(String),
    Choice(String),
    FiscalYear(String),
    Date(String),
    Series(String),
    YearLabels(YearFormat),
    /// Sub-rows stacked inside the cell.
    Rows(Vec<Row>),
    /// A field printed one character per box (マス目).
    Boxes(String),
    /// A computed value (`value:`), printed by its type.
    Value(Expression),
}

/// Everything needed to set and draw a cell, resolved.
#[derive(Debug, Clone)]
pub struct CellStyle {
    pub face: &'static Face,
    pub size: Pt,
    pub min_size: Pt,
    pub max_lines: Option<u32>,
    /// Line pitch as a multiple of the size.
    pub line_height: f32,
    pub align: Align,
    pub valign: VAlign,
    /// Largest gap between spread characters.
    pub max_gap: Pt,
    pub autospace: bool,
    pub bullets: Vec<String>,
    pub digits: Digits,
    pub prefix: String,
    pub suffix: String,
    pub separator: String,
    pub options: Vec<String>,
    pub gannen: bool,
    pub repeat: bool,
    pub continued: Option<String>,
    /// `[top, right, bottom, left]`.
    pub padding: [Pt; 4],
    /// Rule weights `[top, right, bottom, left]` (the table's inner weight
    /// where the cell sets none).
    pub border: [Pt; 4],
    pub shade: Option<f32>,
    pub min_height: Pt,
    pub blank_lines: u32,
    pub writing_pitch: Pt,
    pub by_year: bool,
    pub final_suffix: Option<String>,
    pub visible: Visible,
    /// The layout's composition settings (every cell shares them).
    pub composition: crate::text::Composition,
    /// `boxes` cells: the number of boxes, the weight of the rules between
    /// them (the table's inner rule) and of the rule after every third box
    /// from the right, if any.
    pub count: usize,
    pub box_rule: Pt,
    pub group_rule: Option<Pt>,

    // --- numbers and blanks ---
    /// Fixed decimal places of a number.
    pub places: Option<u32>,
    /// How a negative number is marked.
    pub sign: Sign,
    /// A separator every three digits.
    pub grouping: bool,
    /// What the cell prints when its value is blank (and on a blank form).
    pub blank: Option<String>,
}

impl CellStyle {
    /// How the cell prints a number.
    pub fn number_format(&self) -> NumberFormat {
        NumberFormat { places: self.places, sign: self.sign, digits: self.digits, grouping: self.grouping }
    }

    /// How the cell prints any value (a `value:` cell, an expression in a
    /// template).
    pub fn printer(&self) -> Printer {
        Printer { number: self.number_format(), gannen: self.gannen }
    }
}

/// The kind of a field: what its data values are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Amount,
    Number,
    Choice,
    FiscalYear,
    Date,
    Series,
    Boxes,
    /// A month (`2026-02`, `令和8年2月`), declared under `fields:`.
    Month,
}

impl FieldKind {
    /// The content key of the cells printing it (`amount` …).
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Amount => "amount",
            FieldKind::Number => "number",
            FieldKind::Choice => "choice",
            FieldKind::FiscalYear => "fiscal_year",
            FieldKind::Date => "date",
            FieldKind::Series => "series",
            FieldKind::Boxes => "boxes",
            FieldKind::Month => "month",
        }
    }
}

impl CellKind {
    /// The kind of a layout cell, or an error if it names no content or
    /// several. (`rows` comes back empty: validation fills in the checked
    /// sub-rows.)
    pub fn of(cell: &ModelCell) -> Result<CellKind, String> {
        let mut kinds = Vec::new();
        let mut add = |key: &str, value: &Option<String>, make: fn(String) -> CellKind| {
            if let Some(v) = value {
                kinds.push((key.to_string(), make(v.clone())));
            }
        };
        add("label", &cell.label, CellKind::Label);
        add("text", &cell.text, CellKind::Text);
        add("amount", &cell.amount, CellKind::Amount);
        add("number", &cell.number, CellKind::Number);
        add("choice", &cell.choice, CellKind::Choice);
        add("fiscal_year", &cell.fiscal_year, CellKind::FiscalYear);
        add("date", &cell.date, CellKind::Date);
        add("series", &cell.series, CellKind::Series);
        if let Some(format) = cell.year_labels {
            kinds.push(("year_labels".to_string(), CellKind::YearLabels(format)));
        }
        if cell.rows.is_some() {
            kinds.push(("rows".to_string(), CellKind::Rows(Vec::new())));
        }
        if let Some(field) = &cell.boxes {
            kinds.push(("boxes".to_string(), CellKind::Boxes(field.clone())));
        }
        if cell.value.is_some() {
            // Compiled by validation (`validate::exprs`), which replaces this.
            kinds.push(("value".to_string(), CellKind::Value(Expression::placeholder())));
        }
        match kinds.len() {
            1 => Ok(kinds.remove(0).1),
            0 => Err(format!("a cell needs one of: {}", CONTENT_KEYS.join(", "))),
            _ => Err(format!(
                "a cell holds one thing, but this one has {}",
                kinds.iter().map(|k| format!("`{}`", k.0)).collect::<Vec<_>>().join(" and ")
            )),
        }
    }

    /// The content key of this kind, which is also its style-defaults key
    /// (`defaults.label` …).
    pub fn name(&self) -> &'static str {
        match self {
            CellKind::Label(_) => "label",
            CellKind::Text(_) => "text",
            CellKind::Amount(_) => "amount",
            CellKind::Number(_) => "number",
            CellKind::Choice(_) => "choice",
            CellKind::FiscalYear(_) => "fiscal_year",
            CellKind::Date(_) => "date",
            CellKind::Series(_) => "series",
            CellKind::YearLabels(_) => "year_labels",
            CellKind::Rows(_) => "rows",
            CellKind::Boxes(_) => "boxes",
            CellKind::Value(_) => "value",
        }
    }

    /// The data field the cell prints and its kind, if it prints exactly
    /// one (a text with `{placeholders}` is a template, not a field).
    pub fn field(&self) -> Option<(&str, FieldKind)> {
        match self {
            CellKind::Text(f) if is_template(f) => None,
            CellKind::Text(f) => Some((f, FieldKind::Text)),
            CellKind::Amount(f) => Some((f, FieldKind::Amount)),
            CellKind::Number(f) => Some((f, FieldKind::Number)),
            CellKind::Choice(f) => Some((f, FieldKind::Choice)),
            CellKind::FiscalYear(f) => Some((f, FieldKind::FiscalYear)),
            CellKind::Date(f) => Some((f, FieldKind::Date)),
            CellKind::Series(f) => Some((f, FieldKind::Series)),
            CellKind::Boxes(f) => Some((f, FieldKind::Boxes)),
            CellKind::Label(_) | CellKind::YearLabels(_) | CellKind::Rows(_) | CellKind::Value(_) => None,
        }
    }

    /// The template of a label or text with `{placeholders}`.
    pub fn template(&self) -> Option<&str> {
        match self {
            CellKind::Label(t) | CellKind::Text(t) if is_template(t) => Some(t),
            _ => None,
        }
    }
}

impl Cell {
    /// The label a cell shows at its top: its own `label`, or the first
    /// label among its sub-rows' cells (a header cell of stacked rows is
    /// named by its first: `取組状況` over the years). `None` for a cell
    /// with no label.
    pub fn first_label(&self) -> Option<&str> {
        match &self.kind {
            CellKind::Label(text) => Some(text),
            CellKind::Rows(rows) => rows.iter().flat_map(|r| &r.cells).find_map(Cell::first_label),
            _ => None,
        }
    }
}

impl CheckedLayout {
    /// Every cell, depth first (a cell before its sub-rows' cells), in
    /// the order of the layout file.
    pub fn cells(&self) -> Vec<&Cell> {
        fn rows<'a>(list: &'a [Row], out: &mut Vec<&'a Cell>) {
            for cell in list.iter().flat_map(|r| &r.cells) {
                out.push(cell);
                if let CellKind::Rows(sub) = &cell.kind {
                    rows(sub, out);
                }
            }
        }
        fn blocks<'a>(list: &'a [Block], out: &mut Vec<&'a Cell>) {
            for block in list {
                match block {
                    Block::Text(_) => {}
                    Block::Table(table) => {
                        rows(&table.header, out);
                        rows(&table.rows, out);
                    }
                    Block::Group(group) => blocks(&group.blocks, out),
                }
            }
        }
        let mut out = Vec::new();
        blocks(&self.body, &mut out);
        out
    }
}

impl Page {
    /// The width between the margins.
    pub fn content_width(&self) -> Pt {
        let [_, right, _, left] = self.margin;
        Pt::from_f32(self.width.get() - right.get() - left.get())
    }
}
