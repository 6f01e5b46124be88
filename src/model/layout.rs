//! The layout language: what a `layouts/*.yaml` file may say.
//!
//! A layout describes a form once: its page, the free text around the
//! grid, and a table of rows and cells. Cells either print fixed text
//! (labels) or a value taken from the data file by field name. Nothing in
//! Rust knows any particular form. `docs/layout.md` documents every key.
//!
//! Lengths are millimetres, font sizes and rule weights points, gaps em.

use std::collections::BTreeMap;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::text::numerals::Digits;
use crate::units::{Length, Mm, Pt};

/// A whole layout file.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The form's name, written into the PDF's metadata.
    #[serde(default)]
    pub title: Option<String>,
    /// Paper, orientation and margins.
    #[serde(default)]
    pub page: PageSpec,
    /// The base font family (`mincho` or `gothic`, or a name under `fonts:`).
    #[serde(default = "default_family")]
    pub font: String,
    /// The base font size, in points.
    #[serde(default = "default_size")]
    pub size: Pt,
    /// Extra font families: name → TrueType (.ttf) file, relative to the
    /// layout.
    #[serde(default)]
    pub fonts: BTreeMap<String, String>,
    /// Families tried, in order, for a character the cell's font lacks.
    #[serde(default)]
    pub fallback: Vec<String>,
    /// Style defaults per cell kind (`label`, `text`, `amount`, `number`,
    /// `choice`, `fiscal_year`, `date`, `series`, `year_labels`) and for
    /// `all` cells.
    #[serde(default)]
    pub defaults: BTreeMap<String, Cell>,
    /// What the page holds, top to bottom: text blocks and tables.
    pub body: Vec<Block>,
    /// Text at the foot of every page; `{page}` and `{pages}` are replaced.
    #[serde(default)]
    pub footer: Option<Block>,
    /// For a multi-year plan: the data fields that hold its first and last
    /// fiscal year. A plan renders as the report of one year of its period
    /// (the last by default), and `year_labels`, `by_year` and `visible`
    /// cells follow that year.
    #[serde(default)]
    pub period: Option<Period>,
    /// How Japanese text is set: punctuation compression (`compress`,
    /// default `true`) and line-start brackets (`line_start_bracket`:
    /// `tentsuki` (default) or `nibu_sage`). See docs/typesetting.md.
    #[serde(default)]
    pub composition: crate::text::Composition,
}

/// The fields holding a plan's first and last fiscal year.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: String,
    pub to: String,
}

fn default_family() -> String {
    "mincho".to_string()
}

fn default_size() -> Pt {
    Pt::from_f32(10.5)
}

/// Paper and margins.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// `A3`, `A4`, `A5`, `B4`, `B5` (JIS), or `[width, height]` in mm.
    #[serde(default)]
    pub size: PaperSize,
    #[serde(default)]
    pub orientation: Orientation,
    /// Margins in mm: one number, `[vertical, horizontal]` or
    /// `[top, right, bottom, left]`.
    #[serde(default = "default_margin")]
    pub margin: Sides,
}

impl Default for PageSpec {
    fn default() -> Self {
        PageSpec { size: PaperSize::default(), orientation: Orientation::default(), margin: default_margin() }
    }
}

fn default_margin() -> Sides {
    Sides::Uniform(Mm::from_f32(15.0))
}

/// A paper size by name or in millimetres.
#[derive(Debug, Clone, schemars::JsonSchema)]
#[serde(untagged)]
pub enum PaperSize {
    Named(PaperName),
    Millimetres([Mm; 2]),
}

impl<'de> Deserialize<'de> for PaperSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PaperSize, D::Error> {
        d.deserialize_any(PaperSizeVisitor)
    }
}

/// A name (`A4`) or two lengths, each checked where it is written.
struct PaperSizeVisitor;

impl<'de> Visitor<'de> for PaperSizeVisitor {
    type Value = PaperSize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a paper name (A3, A4, A5, B4, B5) or [width, height] in mm")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<PaperSize, E> {
        PaperName::deserialize(de::value::StrDeserializer::<E>::new(name)).map(PaperSize::Named)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<PaperSize, A::Error> {
        match lengths(seq, &self)?.as_slice() {
            &[w, h] => Ok(PaperSize::Millimetres([w, h])),
            other => Err(de::Error::invalid_length(other.len(), &self)),
        }
    }
}

impl Default for PaperSize {
    fn default() -> Self {
        PaperSize::Named(PaperName::A4)
    }
}

#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
pub enum PaperName {
    A3,
    A4,
    A5,
    B4,
    B5,
}

impl PaperSize {
    /// Width and height as given (JIS B sizes for B4/B5; named sizes
    /// portrait).
    pub fn millimetres(&self) -> [Mm; 2] {
        let named = |w: f32, h: f32| [Mm::from_f32(w), Mm::from_f32(h)];
        match self {
            PaperSize::Named(PaperName::A3) => named(297.0, 420.0),
            PaperSize::Named(PaperName::A4) => named(210.0, 297.0),
            PaperSize::Named(PaperName::A5) => named(148.0, 210.0),
            PaperSize::Named(PaperName::B4) => named(257.0, 364.0),
            PaperSize::Named(PaperName::B5) => named(182.0, 257.0),
            PaperSize::Millimetres(size) => *size,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// Four lengths: one number for all sides, `[vertical, horizontal]` or
/// `[top, right, bottom, left]`.
#[derive(Debug, Clone, Copy, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Sides {
    Uniform(Mm),
    Pair([Mm; 2]),
    Four([Mm; 4]),
}

impl Sides {
    /// `[top, right, bottom, left]`.
    pub fn trbl(&self) -> [Mm; 4] {
        match *self {
            Sides::Uniform(v) => [v; 4],
            Sides::Pair([v, h]) => [v, h, v, h],
            Sides::Four(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Sides {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sides, D::Error> {
        d.deserialize_any(SidesVisitor)
    }
}

/// One length, or a list of two or four, each checked where it is written.
struct SidesVisitor;

impl<'de> Visitor<'de> for SidesVisitor {
    type Value = Sides;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number of mm, [vertical, horizontal] or [top, right, bottom, left]")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Sides, E> {
        Length { unit: "mm", make: Mm::new }.visit_f64(v).map(Sides::Uniform)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Sides, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Sides, E> {
        self.visit_f64(v as f64)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Sides, A::Error> {
        match lengths(seq, &self)?.as_slice() {
            &[v, h] => Ok(Sides::Pair([v, h])),
            &[t, r, b, l] => Ok(Sides::Four([t, r, b, l])),
            other => Err(de::Error::invalid_length(other.len(), &self)),
        }
    }
}

/// The lengths of a short list (at most four are read).
fn lengths<'de, A: SeqAccess<'de>>(mut seq: A, expected: &dyn de::Expected) -> Result<Vec<Mm>, A::Error> {
    let mut out = Vec::with_capacity(4);
    while let Some(v) = seq.next_element::<Mm>()? {
        if out.len() == 4 {
            return Err(de::Error::invalid_length(5, expected));
        }
        out.push(v);
    }
    Ok(out)
}

/// One block of the page body: free text, a table, or a group of blocks
/// repeated for each element of a data list.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Free text placed outside the grid (a caption, a title, a note).
    /// `{field}` is replaced by a field's value; built in are `{period}`,
    /// `{report_year}` and, in footers, `{page}` and `{pages}`.
    #[serde(default)]
    pub text: Option<String>,
    /// A ruled table.
    #[serde(default)]
    pub table: Option<Table>,
    /// Repeat `blocks` for each element of this data list (e.g. one
    /// section after another); fields inside refer to the element.
    #[serde(default)]
    pub for_each: Option<String>,
    /// The blocks of a group (with `for_each`).
    #[serde(default)]
    pub blocks: Option<Vec<Block>>,
    /// Start this block (each repetition of a group) on a new page.
    #[serde(default)]
    pub page_break: Option<bool>,
    /// Font family of the text (default: the layout's).
    #[serde(default)]
    pub font: Option<String>,
    /// Font size of the text, in points.
    #[serde(default)]
    pub size: Option<Pt>,
    /// `left` (default), `center` or `right`.
    #[serde(default)]
    pub align: Option<Align>,
    /// Extra space between characters, in em (字間; titles are often
    /// letter-spaced).
    #[serde(default)]
    pub letter_spacing: Option<f32>,
    /// Space above the block, in mm.
    #[serde(default)]
    pub space_before: Option<Mm>,
    /// Space below the block, in mm.
    #[serde(default)]
    pub space_after: Option<Mm>,
}

/// A ruled table: rows of cells, the outer border closed on every page.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Width in mm (default: the width between the margins). The table is
    /// centred.
    #[serde(default)]
    pub width: Option<Mm>,
    /// Column widths in mm; cells then take `span` columns (default 1).
    #[serde(default)]
    pub columns: Option<Vec<Mm>>,
    /// Rule weights in points.
    #[serde(default)]
    pub border: TableBorder,
    /// Rows repeated at the top of every page the table runs onto.
    #[serde(default)]
    pub header: Vec<Row>,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
}

/// Rule weights of a table, in points.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableBorder {
    /// The outer frame.
    #[serde(default = "default_outer")]
    pub outer: Pt,
    /// The rules between cells.
    #[serde(default = "default_inner")]
    pub inner: Pt,
}

impl Default for TableBorder {
    fn default() -> Self {
        TableBorder { outer: default_outer(), inner: default_inner() }
    }
}

fn default_outer() -> Pt {
    Pt::from_f32(1.0)
}

fn default_inner() -> Pt {
    Pt::from_f32(0.5)
}

/// A row of cells, side by side.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Make one row for each element of this data list; fields in the
    /// row refer to the element. Inside a cell's `rows`, the cell spans
    /// all the rows made (a group label spanning its items).
    #[serde(default)]
    pub for_each: Option<String>,
    /// With `for_each`: how many empty rows a blank form shows for
    /// handwriting (default 3).
    #[serde(default)]
    pub blank_rows: Option<u32>,
    /// The cells, left to right. Cells without `width` share what is left.
    pub cells: Vec<Cell>,
    /// Minimum height in mm.
    #[serde(default)]
    pub min_height: Option<Mm>,
    /// A fixed height in mm: the row never grows. Its text shrinks down to
    /// each cell's `min_size`; text that still does not fit is an error
    /// naming the cell (nothing is ever clipped).
    #[serde(default)]
    pub height: Option<Mm>,
    /// May the row be split across pages at a line boundary (default yes)?
    #[serde(default)]
    pub split: Option<bool>,
}

/// One cell. Exactly one content key (`label`, `text`, `amount`, `number`,
/// `choice`, `fiscal_year`, `date`, `series`, `year_labels`, `rows`) says
/// what it holds; the others
/// are style, each falling back to `defaults` for its kind, then `all`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    // --- content: exactly one of these ---
    /// Fixed text printed as given (`\n` starts a new line).
    #[serde(default)]
    pub label: Option<String>,
    /// A data field printed as wrapped text: paragraphs, `・` bullets with
    /// hanging continuation lines, `【見出し】` heading lines.
    #[serde(default)]
    pub text: Option<String>,
    /// A data field holding a number, printed grouped (`７，１８８`) with
    /// the `suffix` (e.g. `千円`), right-aligned.
    #[serde(default)]
    pub amount: Option<String>,
    /// A data field holding a number, printed without grouping.
    #[serde(default)]
    pub number: Option<String>,
    /// A data field holding one of `options`; the chosen one is circled.
    #[serde(default)]
    pub choice: Option<String>,
    /// A data field holding a fiscal year (2025, `令和7`, `R7`, a date),
    /// printed `令和７年度`.
    #[serde(default)]
    pub fiscal_year: Option<String>,
    /// A data field holding a date (`2025-04-01`), printed `令和７年４月１日`.
    #[serde(default)]
    pub date: Option<String>,
    /// Sub-rows stacked inside this cell; cells beside it span them all.
    #[serde(default)]
    pub rows: Option<Vec<Row>>,
    /// A data field holding one value per column (a list), or one value
    /// spanning them all (a single text), or items `{ text, span }`
    /// spanning some. The cell takes `span` columns and becomes one cell
    /// per value.
    #[serde(default)]
    pub series: Option<String>,
    /// Header cells naming each fiscal year of the layout's `period`:
    /// `short` (H30, R1 …) or `long` (平成30年度 …), one per column.
    #[serde(default)]
    pub year_labels: Option<YearFormat>,

    // --- geometry ---
    /// Width in mm (default: an equal share of what the row has left).
    #[serde(default)]
    pub width: Option<Mm>,
    /// Columns of the table's `columns` this cell takes (default 1).
    #[serde(default)]
    pub span: Option<u32>,
    /// Minimum height in mm.
    #[serde(default)]
    pub min_height: Option<Mm>,
    /// Lines of handwriting room kept when the cell has no value.
    #[serde(default)]
    pub blank_lines: Option<u32>,
    /// Height of one handwriting line, in mm (default 9).
    #[serde(default)]
    pub writing_pitch: Option<Mm>,
    /// Space between the rules and the text, in mm: one number,
    /// `[vertical, horizontal]` or `[top, right, bottom, left]`.
    #[serde(default)]
    pub padding: Option<Sides>,
    /// Rule weights of this cell's edges, in points (default: the table's
    /// inner weight).
    #[serde(default)]
    pub border: Option<EdgeWeights>,
    /// Background grey, 0 (black) to 1 (white); header cells use ~0.9.
    #[serde(default)]
    pub shade: Option<f32>,

    // --- text style ---
    #[serde(default)]
    pub font: Option<String>,
    /// Font size in points.
    #[serde(default)]
    pub size: Option<Pt>,
    /// Smallest size the text may shrink to in points (default: no shrink).
    #[serde(default)]
    pub min_size: Option<Pt>,
    /// Lines the text should fit in before it shrinks (default: any).
    #[serde(default)]
    pub max_lines: Option<u32>,
    /// Line pitch as a multiple of the font size (default 1.5; 1.25 for
    /// labels).
    #[serde(default)]
    pub line_height: Option<f32>,
    #[serde(default)]
    pub align: Option<Align>,
    #[serde(default)]
    pub valign: Option<VAlign>,
    /// Largest gap between spread characters, in em, before a label falls
    /// back to 字取り (default 2).
    #[serde(default)]
    pub max_gap: Option<f32>,
    /// ¼ em between Japanese and Latin letters or digits (default: on for
    /// `text` cells).
    #[serde(default)]
    pub autospace: Option<bool>,
    /// Paragraph starts whose continuation lines hang under the text
    /// (default `・ ○ ● ◯ ◎ ■ □ ◆ ◇ ※`).
    #[serde(default)]
    pub bullets: Option<Vec<String>>,
    /// Digits: `fullwidth` (default) or `ascii`.
    #[serde(default)]
    pub digits: Option<Digits>,
    /// Printed before a number (amount/number cells).
    #[serde(default)]
    pub prefix: Option<String>,
    /// Printed after a number, also on a blank form (e.g. `千円`).
    #[serde(default)]
    pub suffix: Option<String>,
    /// The options of a `choice` cell, in print order.
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// What stands between options (default `　・　`).
    #[serde(default)]
    pub separator: Option<String>,
    /// Print year 1 of an era as 元年 (default yes).
    #[serde(default)]
    pub gannen: Option<bool>,
    /// Repeat this cell when its row is split across pages (default: yes
    /// for labels, no for values).
    #[serde(default)]
    pub repeat: Option<bool>,
    /// Appended to a repeated label on a continuation page (e.g. `（続き）`).
    #[serde(default)]
    pub continued: Option<String>,
    /// `series` cells: leave the values of years after the report year
    /// blank (a value spanning years shows only once all its years are
    /// reported).
    #[serde(default)]
    pub by_year: Option<bool>,
    /// `year_labels` cells: appended to the last year's label in the final
    /// year's report only, e.g. `（～{status_as_of}）` for a status taken
    /// before the year ended (left out while a field it names is blank).
    #[serde(default)]
    pub final_suffix: Option<String>,
    /// When the cell shows its value: `always` (default) or `final_year`
    /// (only in the report of the period's last year, e.g. 評価).
    #[serde(default)]
    pub visible: Option<Visible>,
}

/// How year labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum YearFormat {
    /// H30, R1, R2 …
    Short,
    /// 平成30年度, 令和元年度 …
    Long,
}

/// When a cell shows its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visible {
    Always,
    FinalYear,
}

/// The content keys of a cell, in the order they are documented.
pub const CONTENT_KEYS: [&str; 10] =
    ["label", "text", "amount", "number", "choice", "fiscal_year", "date", "series", "year_labels", "rows"];

/// Rule weights of a cell's four edges, in points; 0 draws no rule.
#[derive(Debug, Clone, Copy, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EdgeWeights {
    pub top: Option<Pt>,
    pub right: Option<Pt>,
    pub bottom: Option<Pt>,
    pub left: Option<Pt>,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Center,
    Right,
    /// 両端揃え: wrapped lines fill the width (the last line is left).
    Justify,
    /// 均等割り: every line spread across the width.
    Distribute,
    /// One character per line, stacked top to bottom (縦書きの見出し).
    Stack,
}

/// Vertical alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    Top,
    Middle,
    Bottom,
}
