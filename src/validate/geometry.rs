//! Geometry, checked and resolved once: the page in points, a table's
//! place and columns, each cell's width, and every size and ratio within
//! what can be printed. (Lengths are finite and not negative already:
//! [`crate::units`] refuses anything else while parsing.)

use crate::error::{Error, Result};
use crate::eval::template::is_template;
use crate::model::layout::{Block, Cell, EdgeWeights, Orientation, PageSpec, Row, Table, TableAlign};
use crate::path::YamlPath;
use crate::text::numerals::Digits;
use crate::units::{check_ratio, pt_to_mm, Mm, Pt};

use super::checked::{self, CellKind, Page};
use super::fonts::Families;

/// Paper sides, in mm, that can be printed.
const PAPER: std::ops::RangeInclusive<f32> = 50.0..=2000.0;

/// Font sizes, in points, that can be printed.
const FONT_SIZE: std::ops::RangeInclusive<f32> = 0.0..=200.0;

/// The most empty rows a blank form may show for one list.
const MAX_BLANK_ROWS: u32 = 1000;

/// What a table's width may differ from its columns', or exceed the room
/// between the margins, in mm: rounding in the layout file, no more.
const ROUNDING: f32 = 0.5;

/// The heaviest rule, in points (3.5 mm; forms use 0.1–2 pt): a larger
/// weight is a typo, and would cover the text beside it.
const MAX_RULE: f32 = 10.0;

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
    check_cell_ranges(cell, path)?;
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

/// A table's left edge and width on `page` (centred unless its `align`
/// says otherwise; as wide as the margins allow unless it says), and its
/// columns scaled to fill it.
pub fn table(table: &Table, page: &Page, path: &YamlPath) -> Result<(Pt, Pt, Option<Vec<Pt>>)> {
    if table.width.is_some_and(|w| w.get() <= 0.0) {
        return Err(Error::in_layout(&path.key("width"), "a table is wider than 0 mm"));
    }
    check_table_fits(table, page, path)?;
    if let Some(columns) = &table.columns {
        if let Some(i) = columns.iter().position(|c| c.get() <= 0.0) {
            let msg = format!("column {} is {} wide; columns must be wider than 0", i + 1, columns[i]);
            return Err(Error::in_layout(&path.key("columns"), msg));
        }
    }
    let room = page.content_width().get();
    let width = table.width.map(|w| w.to_pt().get()).unwrap_or(room);
    let x = page.margin[3].get()
        + match table.align.unwrap_or(TableAlign::Center) {
            TableAlign::Left => 0.0,
            TableAlign::Center => (room - width) / 2.0,
            TableAlign::Right => room - width,
        };
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
        let msg = if rest < -0.5 {
            format!("the cells are {:.1} mm wide but the table is {:.1} mm", pt_to_mm(fixed), pt_to_mm(width))
        } else {
            // The widths fit, but leave nothing for the cells without one.
            format!(
                "the cells with a `width` take {:.1} mm of the table's {:.1} mm and leave no room for the {free} \
                 without one",
                pt_to_mm(fixed),
                pt_to_mm(width)
            )
        };
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

/// Ranges the model cannot express, of values a cell (or a `defaults`
/// entry) gives itself: lines of text that do not overlap, at least one
/// line, rules that are rules.
fn check_cell_ranges(cell: &Cell, path: &YamlPath) -> Result<()> {
    // Below 1, a line's characters reach into the next line's.
    if let Some(Err(msg)) = cell.line_height.map(|x| check_ratio("line_height", x, 1.0..=10.0)) {
        let help = "below 1 the lines overlap; 1.5 is the default for text, 1.25 for labels";
        return Err(Error::in_layout(&path.key("line_height"), msg).with_help(help));
    }
    if cell.max_lines == Some(0) {
        let help = "give at least 1, or leave `max_lines` out for any number of lines";
        return Err(Error::in_layout(&path.key("max_lines"), "`max_lines` must be at least 1").with_help(help));
    }
    if let Some(border) = &cell.border {
        check_rules(border, &path.key("border"))?;
    }
    Ok(())
}

/// Every weight of a cell's `border` is a printable rule.
fn check_rules(border: &EdgeWeights, path: &YamlPath) -> Result<()> {
    let edges = [("top", border.top), ("right", border.right), ("bottom", border.bottom), ("left", border.left)];
    for (key, weight) in edges {
        if let Some(w) = weight {
            rule_weight(w, &path.key(key))?;
        }
    }
    Ok(())
}

/// A rule weight, given at `path`, within [`MAX_RULE`].
pub fn rule_weight(weight: Pt, path: &YamlPath) -> Result<Pt> {
    if weight.get() <= MAX_RULE {
        return Ok(weight);
    }
    let msg = format!("a rule of {weight} is heavier than a form's rules can be (at most {MAX_RULE} pt)");
    let help = "rule weights are in points: 0.5 is a usual inner rule, 1 a usual frame";
    Err(Error::in_layout(path, msg).with_help(help))
}

/// A table fits between the page's margins, and its `columns` add up to
/// its `width` (without a `width`, to no more than the room there is; they
/// are then widened in proportion to fill it). Nothing is scaled down
/// silently: a table drawn wider than the page loses what lies beyond it.
pub fn check_table_fits(table: &Table, page: &Page, path: &YamlPath) -> Result<()> {
    rule_weight(table.border.outer, &path.key("border").key("outer"))?;
    rule_weight(table.border.inner, &path.key("border").key("inner"))?;
    let room = page.content_width().to_mm().get();
    if let Some(width) = table.width.map(Mm::get).filter(|w| *w > room + ROUNDING) {
        let msg = format!("a table {width} mm wide does not fit: the page has {room:.1} mm between its margins");
        let help = format!("make the table at most {room:.1} mm wide, or the page's side margins narrower");
        return Err(Error::in_layout(&path.key("width"), msg).with_help(help));
    }
    let Some(columns) = &table.columns else { return Ok(()) };
    let total: f32 = columns.iter().map(|c| c.get()).sum();
    let at = path.key("columns");
    match table.width.map(Mm::get) {
        Some(width) if (total - width).abs() > ROUNDING => {
            let msg = format!("the columns add up to {total:.1} mm but the table is {width} mm wide");
            let help = "make the columns add up to the table's `width`, or leave `width` out: the columns \
                        then share the width between the margins in proportion";
            Err(Error::in_layout(&at, msg).with_help(help))
        }
        None if total > room + ROUNDING => {
            let msg =
                format!("the columns add up to {total:.1} mm, more than the {room:.1} mm between the page's margins");
            let help = format!("make the columns add up to at most {room:.1} mm");
            Err(Error::in_layout(&at, msg).with_help(help))
        }
        _ => Ok(()),
    }
}

/// A cell has room for what it prints: its narrowest box (one column of
/// a `series` or `year_labels`) holds at least one character of it at its
/// smallest size, and its handwriting room fits on a page. A cell
/// narrower than a character draws that character across its rules.
pub fn check_room(cell: &checked::Cell, page: &Page) -> Result<()> {
    let style = &cell.style;
    let pads = style.padding[1].get() + style.padding[3].get();
    let narrowest = match (&cell.kind, &cell.columns) {
        (CellKind::Rows(_), _) => return Ok(()),
        (CellKind::Series(_) | CellKind::YearLabels(_), Some(cols)) => {
            cols.iter().map(|c| c.get()).fold(f32::INFINITY, f32::min)
        }
        (CellKind::Series(_) | CellKind::YearLabels(_), None) => cell.width.get() / cell.span.max(1) as f32,
        _ => cell.width.get(),
    };
    let inner = narrowest - pads;
    if let Some((shown, need)) = widest_character(cell).filter(|(_, need)| *need > inner + 0.01) {
        let room = if inner > 0.0 {
            format!("it is {:.1} mm wide inside its padding", pt_to_mm(inner))
        } else {
            format!("its padding ({:.1} mm) leaves no room in its {:.1} mm", pt_to_mm(pads), pt_to_mm(narrowest))
        };
        let msg = format!(
            "this cell is too narrow for its text: {room}, and {shown} at {} pt needs {:.1} mm",
            style.min_size.get(),
            pt_to_mm(need)
        );
        let help = format!(
            "make the cell at least {:.1} mm wide (padding included), or lower its `padding` or `size`",
            pt_to_mm(need + pads)
        );
        return Err(Error::in_layout(&cell.path, msg).with_help(help));
    }
    let room = style.blank_lines as f32 * style.writing_pitch.get() + style.padding[0].get() + style.padding[2].get();
    let height = page.height.get() - page.margin[0].get() - page.margin[2].get();
    if style.blank_lines > 0 && room > height {
        let msg = format!(
            "{} lines of handwriting room ({:.0} mm) are taller than the page's printable area ({:.0} mm)",
            style.blank_lines,
            pt_to_mm(room),
            pt_to_mm(height)
        );
        let help = "give fewer `blank_lines`, or a smaller `writing_pitch`";
        return Err(Error::in_layout(&cell.path, msg).with_help(help));
    }
    Ok(())
}

/// The widest character a cell will print, at its smallest size: of a
/// label, every character is known; of a value, what its kind always
/// prints (年 of a date, a digit, a choice's options), and of free text at
/// least a half-width character.
fn widest_character(cell: &checked::Cell) -> Option<(String, f32)> {
    let style = &cell.style;
    let digit = if style.digits == Digits::Ascii { "0" } else { "０" };
    let known: String = match &cell.kind {
        CellKind::Label(t) if !is_template(t) => {
            let marker = style.continued.as_deref().filter(|_| style.repeat).unwrap_or("");
            format!("{t}{marker}")
        }
        CellKind::Choice(_) => format!("{}{}", style.options.concat(), style.separator),
        CellKind::Amount(_) | CellKind::Number(_) => format!("{}{}{digit}", style.prefix, style.suffix),
        CellKind::FiscalYear(_) | CellKind::Date(_) => "年".to_string(),
        CellKind::Rows(_) => return None,
        _ => String::new(),
    };
    let size = style.min_size.get();
    let widest = (known.chars())
        .filter(|c| !c.is_whitespace() && !crate::text::setter::is_variation_selector(*c))
        .filter_map(|c| style.face.glyph(c).map(|g| (c, style.face.advance(g) * size)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match widest {
        Some((c, w)) => Some((format!("`{c}`"), w)),
        // Free text: at least a half-width character.
        None if !matches!(cell.kind, CellKind::Label(_)) || is_label_template(cell) => {
            Some(("a half-width character".to_string(), size / 2.0))
        }
        None => None,
    }
}

/// A label with `{placeholders}`: its text comes from the data.
fn is_label_template(cell: &checked::Cell) -> bool {
    matches!(&cell.kind, CellKind::Label(t) if is_template(t))
}
