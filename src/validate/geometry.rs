//! Geometry, checked and resolved once: the page in points, a table's
//! place and columns, each cell's width, and every size and ratio within
//! what can be printed. (Lengths are finite and not negative already:
//! [`crate::units`] refuses anything else while parsing.)

use crate::error::{Error, Result};
use crate::model::layout::{Block, Cell, Orientation, PageSpec, Row, Table};
use crate::path::YamlPath;
use crate::units::{check_ratio, pt_to_mm, Mm, Pt};

use super::checked::Page;
use super::fonts::Families;

/// Paper sides, in mm, that can be printed.
const PAPER: std::ops::RangeInclusive<f32> = 50.0..=2000.0;

/// Font sizes, in points, that can be printed.
const FONT_SIZE: std::ops::RangeInclusive<f32> = 0.0..=200.0;

/// The most empty rows a blank form may show for one list.
const MAX_BLANK_ROWS: u32 = 1000;

/// The page turned to its orientation, with room inside its margins.
pub fn page(spec: &PageSpec) -> Result<Page> {
    let at = YamlPath::root().key("page");
    let [w, h] = spec.size.millimetres().map(Mm::get);
    if !(PAPER.contains(&w) && PAPER.contains(&h)) {
        let msg = format!("a page of {w} × {h} mm cannot be printed (50 to 2000 mm each way)");
        return Err(Error::in_layout(&at.key("size"), msg));
    }
    let [t, r, b, l] = spec.margin.trbl().map(Mm::get);
    let (w, h) = match spec.orientation {
        Orientation::Portrait => (w.min(h), w.max(h)),
        Orientation::Landscape => (w.max(h), w.min(h)),
    };
    if w - l - r < 20.0 || h - t - b < 20.0 {
        let msg = format!("margins of {t}, {r}, {b}, {l} mm leave no room on a {w} × {h} mm page");
        return Err(Error::in_layout(&at.key("margin"), msg));
    }
    Ok(Page {
        width: Mm::from_f32(w).to_pt(),
        height: Mm::from_f32(h).to_pt(),
        margin: spec.margin.trbl().map(Mm::to_pt),
    })
}

/// A font size, given at `path`, that can be printed.
pub fn font_size(size: Pt, path: &YamlPath) -> Result<Pt> {
    if size.get() > *FONT_SIZE.start() && size.get() <= *FONT_SIZE.end() {
        return Ok(size);
    }
    Err(Error::in_layout(path, format!("a font size of {size} cannot be printed (more than 0, at most 200)")))
}

/// The values a cell (or a `defaults` entry) gives itself: sizes, lengths
/// that must not be 0, ratios in their range, a known font family.
pub fn check_cell(cell: &Cell, path: &YamlPath, families: &Families) -> Result<()> {
    for (key, v) in [("size", cell.size), ("min_size", cell.min_size)] {
        if let Some(size) = v {
            font_size(size, &path.key(key))?;
        }
    }
    for (key, v) in [("width", cell.width), ("writing_pitch", cell.writing_pitch)] {
        if let Some(x) = v.filter(|x| x.get() <= 0.0) {
            return Err(Error::in_layout(&path.key(key), format!("`{key}` must be more than 0, found {x}")));
        }
    }
    for (key, v, range) in [
        ("line_height", cell.line_height, 0.1..=10.0),
        ("max_gap", cell.max_gap, 0.0..=100.0),
        ("shade", cell.shade, 0.0..=1.0),
    ] {
        if let Some(Err(msg)) = v.map(|x| check_ratio(key, x, range)) {
            return Err(Error::in_layout(&path.key(key), msg));
        }
    }
    if cell.span == Some(0) {
        return Err(Error::in_layout(&path.key("span"), "a cell spans at least 1 column"));
    }
    if let Some(name) = &cell.font {
        families.get(name, &path.key("font"))?;
    }
    Ok(())
}

/// The values a block gives itself: its font and size, its letter
/// spacing.
pub fn check_block(block: &Block, path: &YamlPath, families: &Families) -> Result<()> {
    if let Some(size) = block.size {
        font_size(size, &path.key("size"))?;
    }
    if let Some(Err(msg)) = block.letter_spacing.map(|x| check_ratio("letter_spacing", x, 0.0..=10.0)) {
        return Err(Error::in_layout(&path.key("letter_spacing"), msg));
    }
    if let Some(name) = &block.font {
        families.get(name, &path.key("font"))?;
    }
    Ok(())
}

/// A row's own values: a cell at least, no more blank rows than a form
/// can hold, a minimum height within its fixed height.
pub fn check_row(row: &Row, path: &YamlPath) -> Result<()> {
    if row.cells.is_empty() {
        return Err(Error::in_layout(&path.key("cells"), "a row needs at least one cell"));
    }
    if let Some(n) = row.blank_rows.filter(|n| *n > MAX_BLANK_ROWS) {
        let msg = format!("{n} blank rows are more than a form can hold (at most {MAX_BLANK_ROWS})");
        return Err(Error::in_layout(&path.key("blank_rows"), msg));
    }
    if let (Some(min), Some(h)) = (row.min_height, row.height) {
        if min.to_pt().get() > h.to_pt().get() + 0.01 {
            let msg = "`min_height` is more than the row's fixed `height`";
            return Err(Error::in_layout(&path.key("min_height"), msg).with_help("remove one of them"));
        }
    }
    Ok(())
}

/// A table's left edge and width on `page` (centred; as wide as the
/// margins allow unless it says), and its columns scaled to fill it.
pub fn table(table: &Table, page: &Page, path: &YamlPath) -> Result<(Pt, Pt, Option<Vec<Pt>>)> {
    if table.width.is_some_and(|w| w.get() <= 0.0) {
        return Err(Error::in_layout(&path.key("width"), "a table is wider than 0 mm"));
    }
    if let Some(columns) = &table.columns {
        if let Some(i) = columns.iter().position(|c| c.get() <= 0.0) {
            let msg = format!("column {} is {} wide; columns must be wider than 0", i + 1, columns[i]);
            return Err(Error::in_layout(&path.key("columns"), msg));
        }
    }
    let room = page.content_width().get();
    let width = table.width.map(|w| w.to_pt().get()).unwrap_or(room);
    let x = page.margin[3].get() + (room - width) / 2.0;
    let columns = table.columns.as_ref().map(|c| scaled_columns(c, width));
    Ok((Pt::from_f32(x), Pt::from_f32(width), columns))
}

/// Column widths in points, scaled to fill the table exactly (so that
/// rounding in the layout file never leaves a gap at the right edge).
fn scaled_columns(columns: &[Mm], width: f32) -> Vec<Pt> {
    let total: f32 = columns.iter().map(|c| c.to_pt().get()).sum();
    columns.iter().map(|c| Pt::from_f32(c.to_pt().get() * width / total)).collect()
}

/// A cell's width and, in a table with columns, the columns it takes.
pub type CellGeometry = (Pt, Option<Vec<Pt>>);

/// The width of each cell of `row` in a space `width` wide with, in a
/// table with columns, `columns` to share out by `span`.
pub fn cells(row: &Row, width: Pt, columns: Option<&[Pt]>, path: &YamlPath) -> Result<Vec<CellGeometry>> {
    let at = path.key("cells");
    match columns {
        Some(columns) => spanned(row, columns, &at),
        None => shared(row, width.get(), &at),
    }
}

/// Cells taking `span` columns each, filling them exactly.
fn spanned(row: &Row, columns: &[Pt], at: &YamlPath) -> Result<Vec<CellGeometry>> {
    let mut taken: usize = 0;
    let mut out = Vec::with_capacity(row.cells.len());
    for (c, cell) in row.cells.iter().enumerate() {
        if cell.width.is_some() {
            let msg = "in a table with `columns`, a cell's width comes from the columns it spans";
            return Err(
                Error::in_layout(&at.index(c).key("width"), msg).with_help("remove `width` and give `span: N` instead")
            );
        }
        let span = cell.span.unwrap_or(1) as usize;
        let Some(cols) = columns.get(taken..taken.saturating_add(span)) else {
            let msg = format!("the cells take more than the {} columns there are", columns.len());
            return Err(Error::in_layout(at, msg));
        };
        taken += span;
        out.push((Pt::from_f32(cols.iter().map(|c| c.get()).sum()), Some(cols.to_vec())));
    }
    if taken != columns.len() {
        let msg = format!("the cells take {taken} of the {} columns", columns.len());
        return Err(Error::in_layout(at, msg).with_help("widen a cell with `span`"));
    }
    Ok(out)
}

/// Cells with a `width` take it; the others share what is left.
fn shared(row: &Row, width: f32, at: &YamlPath) -> Result<Vec<CellGeometry>> {
    if let Some(c) = row.cells.iter().position(|c| c.span.is_some()) {
        let msg = "`span` counts the table's `columns`, and this table has none";
        return Err(Error::in_layout(&at.index(c).key("span"), msg)
            .with_help("give the table `columns: [mm, mm, …]`, or give the cell a `width` in mm"));
    }
    let fixed: f32 = row.cells.iter().filter_map(|c| c.width).map(|w| w.to_pt().get()).sum();
    let free = row.cells.iter().filter(|c| c.width.is_none()).count();
    let rest = width - fixed;
    if rest < -0.5 || (free > 0 && rest < 1.0) {
        let msg = format!("the cells are {:.1} mm wide but the table is {:.1} mm", pt_to_mm(fixed), pt_to_mm(width));
        return Err(Error::in_layout(at, msg).with_help("make the cells narrower or the table wider"));
    }
    let share = if free > 0 { rest / free as f32 } else { 0.0 };
    let mut widths: Vec<f32> = row.cells.iter().map(|c| c.width.map(|w| w.to_pt().get()).unwrap_or(share)).collect();
    // Without a free cell, the last cell absorbs rounding so the row
    // meets the table's right edge exactly.
    if let (0, Some(last)) = (free, widths.last_mut()) {
        *last += rest;
    }
    Ok(widths.into_iter().map(|w| (Pt::from_f32(w), None)).collect())
}
