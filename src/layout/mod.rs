//! Layout: from a checked layout and values to pages of drawing items.
//!
//! Three steps, one module each:
//!
//! 1. [`cell`]: every cell's content is set into lines at its final width
//!    (text → lines), giving a tree of [`RowBox`]es;
//! 2. [`row`]: rows know their natural height, how to split at a line
//!    boundary (repeating their labels), and how to draw themselves;
//! 3. [`page`]: blocks and rows flow onto pages; the table's outer frame
//!    is closed on every page; footers get their page numbers.
//!
//! Invariant: no text is clipped. Every line set here is drawn on some
//! page, or layout fails with an error naming the cell; and [`check`]
//! proves every glyph drawn lies inside its cell before the document
//! leaves layout.

pub mod boxes;
pub mod cell;
pub mod check;
pub mod choice;
pub mod fit;
pub mod fonts;
pub mod page;
pub mod row;

use crate::error::{Error, Site};
use crate::path::YamlPath;
use crate::text::setter::SetLine;
use crate::validate::checked::{Align, VAlign};

/// Set text inside a cell, ready to place.
#[derive(Debug, Clone)]
pub struct TextBox {
    /// The lines, shared: a text split across pages keeps one copy and
    /// each page's part is a range of it (splitting is O(1), so a long text
    /// lays out in time linear in its length).
    pub lines: Lines,
    /// Distance between line tops, in points.
    pub pitch: f32,
    /// The size the text was set at (after any shrinking).
    pub size: f32,
    pub align: Align,
    pub valign: VAlign,
    /// For stacked labels: the largest gap between characters; the stack
    /// spreads over the cell's height up to that gap.
    pub stack_gap: Option<f32>,
    /// May this text be split between pages at a line boundary?
    pub splittable: bool,
    /// The chosen option of a choice, to circle.
    pub circle: Option<Circle>,
}

/// The span of a line to circle: the chosen option of a choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    /// Which line (of the text box's lines).
    pub line: usize,
    /// Its left and right ends, from the line's start.
    pub from: f32,
    pub to: f32,
}

impl TextBox {
    /// Height of the lines, without padding.
    pub fn height(&self) -> f32 {
        self.lines.len() as f32 * self.pitch
    }
}

/// A shared run of set lines: `all[range]`.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    all: std::rc::Rc<[SetLine]>,
    range: std::ops::Range<usize>,
}

impl Lines {
    pub fn new(lines: Vec<SetLine>) -> Lines {
        let range = 0..lines.len();
        Lines { all: lines.into(), range }
    }

    /// The lines `from..to` of these lines.
    pub fn slice(&self, from: usize, to: usize) -> Lines {
        Lines { all: self.all.clone(), range: self.range.start + from..self.range.start + to }
    }
}

impl std::ops::Deref for Lines {
    type Target = [SetLine];

    fn deref(&self) -> &[SetLine] {
        &self.all[self.range.clone()]
    }
}

/// What a cell holds.
#[derive(Debug, Clone)]
pub enum Content {
    Text(TextBox),
    /// Sub-rows, stacked; the cells beside this one span them all. Shared
    /// (`Rc`): a page break inside a long group copies pointers to the rows
    /// still to come, not the rows themselves.
    Rows(Vec<std::rc::Rc<RowBox>>),
    /// マス目: one character per box, the boxes drawn with the cell.
    Boxes(boxes::BoxesBox),
}

/// A cell with its content set, ready to paginate and draw.
#[derive(Debug, Clone)]
pub struct CellBox {
    /// Width in points.
    pub width: f32,
    pub content: Content,
    /// `[top, right, bottom, left]` in points.
    pub padding: [f32; 4],
    /// Rule weights `[top, right, bottom, left]` in points.
    pub edges: [f32; 4],
    pub shade: Option<f32>,
    /// Height the cell keeps at least (a minimum, or handwriting room).
    pub min_height: f32,
    /// Shown again when the row continues on the next page.
    pub repeat: bool,
    /// What a repeated cell shows on a continuation page, if not itself
    /// (a label with `（続き）` appended).
    pub continued: Option<TextBox>,
    /// Where the cell is defined, for errors (`body[2].table.rows[5].cells[1]`).
    pub path: YamlPath,
    /// Where its text came from in the data file (`fields.mokuhyo`).
    pub source: Option<YamlPath>,
}

/// A row of cells.
#[derive(Debug, Clone)]
pub struct RowBox {
    pub cells: Vec<CellBox>,
    pub min_height: f32,
    /// May the row be split between pages?
    pub splittable: bool,
    pub path: YamlPath,
    /// Move the row whole to the next page rather than split it, unless it
    /// is taller than a page (`keep_together`).
    pub keep: bool,
}

/// Something a user may want to look at in a cell (text shrunk below
/// 8 pt, a rule-breaking line); never an error, never lost text.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub cell: YamlPath,
    pub message: String,
}

impl Warning {
    pub fn new(cell: &YamlPath, message: impl Into<String>) -> Warning {
        Warning { cell: cell.clone(), message: message.into() }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.cell.is_root() {
            // A warning about the data file as a whole says where itself.
            true => f.write_str(&self.message),
            false => write!(f, "{}: {}", self.cell, self.message),
        }
    }
}

/// Where an error about a cell points: at the data field its text came
/// from, if any (that is what the user edits), else at the layout cell.
pub fn blame(cell: &YamlPath, source: Option<&YamlPath>) -> Site {
    match source {
        Some(field) => Site::data(field.clone()),
        None => Site::layout(cell.clone()),
    }
}

/// An error about what a cell holds, at [`blame`]'s site; pointing at the
/// data, the message names the layout cell too.
pub fn cell_error(cell: &YamlPath, source: Option<&YamlPath>, message: String) -> Error {
    let message = match source {
        Some(_) => format!("{message} (cell {cell} of the layout)"),
        None => message,
    };
    Error::input(message).at(blame(cell, source))
}
