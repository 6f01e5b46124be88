//! Checks of a layout on its own: geometry that can be printed, ratios in
//! their range, style defaults for real cell kinds.

use crate::error::{suggestion, Error, Result};
use crate::model::layout::{Block, Cell, Layout, Row, CONTENT_KEYS};
use crate::path::YamlPath;
use crate::units::{check_ratio, Mm, Pt};

use super::checked::CellKind;

/// Every cell of a layout with its path, depth first.
pub fn cells(layout: &Layout) -> Vec<(YamlPath, &Cell)> {
    fn rows<'a>(list: &'a [Row], path: &YamlPath, out: &mut Vec<(YamlPath, &'a Cell)>) {
        for (r, row) in list.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let here = path.index(r).key("cells").index(c);
                out.push((here.clone(), cell));
                if let Some(sub) = &cell.rows {
                    rows(sub, &here.key("rows"), out);
                }
            }
        }
    }
    fn blocks<'a>(list: &'a [Block], path: &YamlPath, out: &mut Vec<(YamlPath, &'a Cell)>) {
        for (b, block) in list.iter().enumerate() {
            let here = path.index(b);
            if let Some(table) = &block.table {
                rows(&table.header, &here.key("table").key("header"), out);
                rows(&table.rows, &here.key("table").key("rows"), out);
            }
            if let Some(children) = &block.blocks {
                blocks(children, &here.key("blocks"), out);
            }
        }
    }
    let mut out = Vec::new();
    blocks(&layout.body, &YamlPath::root().key("body"), &mut out);
    out
}

/// Sizes and lengths must make sense: a page with room inside its margins,
/// positive font sizes and widths (a zero column would divide by zero),
/// ratios in their range. (Lengths are finite and not negative already:
/// [`crate::units`] refuses anything else while parsing.)
pub fn check_geometry(layout: &Layout) -> Result<()> {
    let root = YamlPath::root();
    let fail = |path: &YamlPath, msg: String| Err(Error::in_layout(path, msg));
    let [w, h] = layout.page.size.millimetres().map(Mm::get);
    if !(w >= 50.0 && h >= 50.0 && w <= 2000.0 && h <= 2000.0) {
        let msg = format!("a page of {w} × {h} mm cannot be printed (50 to 2000 mm each way)");
        return fail(&root.key("page").key("size"), msg);
    }
    let [t, r, b, l] = layout.page.margin.trbl().map(Mm::get);
    let (pw, ph) = match layout.page.orientation {
        crate::model::layout::Orientation::Portrait => (w.min(h), w.max(h)),
        crate::model::layout::Orientation::Landscape => (w.max(h), w.min(h)),
    };
    if pw - l - r < 20.0 || ph - t - b < 20.0 {
        let msg = format!("margins of {t}, {r}, {b}, {l} mm leave no room on a {pw} × {ph} mm page");
        return fail(&root.key("page").key("margin"), msg);
    }
    let size_ok = |s: Pt| s.get() > 0.0 && s.get() <= 200.0;
    if !size_ok(layout.size) {
        let msg = format!("a font size of {} cannot be printed (more than 0, at most 200)", layout.size);
        return fail(&root.key("size"), msg);
    }
    let mut cells_and_defaults: Vec<(YamlPath, &Cell)> = cells(layout);
    cells_and_defaults.extend(layout.defaults.iter().map(|(k, c)| (root.key("defaults").key(k.clone()), c)));
    for (path, cell) in cells_and_defaults {
        for (key, v) in [("size", cell.size), ("min_size", cell.min_size)] {
            if let Some(s) = v.filter(|s| !size_ok(*s)) {
                return fail(&path.key(key), format!("a font size of {s} cannot be printed"));
            }
        }
        for (key, v) in [("width", cell.width), ("writing_pitch", cell.writing_pitch)] {
            if let Some(x) = v.filter(|x| x.get() <= 0.0) {
                return fail(&path.key(key), format!("`{key}` must be more than 0, found {x}"));
            }
        }
        for (key, v, range) in [
            ("line_height", cell.line_height, 0.1..=10.0),
            ("max_gap", cell.max_gap, 0.0..=100.0),
            ("shade", cell.shade, 0.0..=1.0),
        ] {
            if let Some(Err(msg)) = v.map(|x| check_ratio(key, x, range)) {
                return fail(&path.key(key), msg);
            }
        }
        if cell.span == Some(0) {
            return fail(&path.key("span"), "a cell spans at least 1 column".to_string());
        }
    }
    check_block_geometry(&layout.body, &root.key("body"))
}

fn check_block_geometry(blocks: &[Block], path: &YamlPath) -> Result<()> {
    for (b, block) in blocks.iter().enumerate() {
        let here = path.index(b);
        if block.size.is_some_and(|s| s.get() <= 0.0 || s.get() > 200.0) {
            return Err(Error::in_layout(&here.key("size"), "a font size must be more than 0 and at most 200 pt"));
        }
        if let Some(Err(msg)) = block.letter_spacing.map(|x| check_ratio("letter_spacing", x, 0.0..=10.0)) {
            return Err(Error::in_layout(&here.key("letter_spacing"), msg));
        }
        if let Some(table) = &block.table {
            let at = here.key("table");
            if table.width.is_some_and(|w| w.get() <= 0.0) {
                return Err(Error::in_layout(&at.key("width"), "a table is wider than 0 mm"));
            }
            if let Some(columns) = &table.columns {
                if let Some(i) = columns.iter().position(|c| c.get() <= 0.0) {
                    let msg = format!("column {} is {} wide; columns must be wider than 0", i + 1, columns[i]);
                    return Err(Error::in_layout(&at.key("columns"), msg));
                }
            }
            for (part, rows) in [("header", &table.header), ("rows", &table.rows)] {
                if let Some(r) = rows.iter().position(|row| row.cells.is_empty()) {
                    let msg = "a row needs at least one cell";
                    return Err(Error::in_layout(&at.key(part).index(r).key("cells"), msg));
                }
            }
        }
        if let Some(children) = &block.blocks {
            check_block_geometry(children, &here.key("blocks"))?;
        }
    }
    Ok(())
}

/// The keys of `defaults` name cell kinds (or `all`).
pub fn check_defaults(layout: &Layout) -> Result<()> {
    // Every content key but `rows`, whose cells have no text to style.
    let kinds: Vec<&str> = std::iter::once("all").chain(CONTENT_KEYS.into_iter().filter(|k| *k != "rows")).collect();
    for (kind, cell) in &layout.defaults {
        let at = YamlPath::root().key("defaults").key(kind.clone());
        if !kinds.contains(&kind.as_str()) {
            let help =
                suggestion(kind, kinds.iter().copied(), || format!("defaults are given for: {}", kinds.join(", ")));
            return Err(Error::in_layout(&at, format!("`{kind}` is not a cell kind")).with_help(help));
        }
        if let Ok(k) = CellKind::of(cell) {
            let msg = format!("defaults hold style only, not content (`{}`)", k.name());
            return Err(Error::in_layout(&at, msg));
        }
    }
    Ok(())
}
