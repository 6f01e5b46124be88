//! From a layout as written to a [`CheckedLayout`]: one walk over the
//! blocks, rows and cells that checks each where it is written and
//! resolves what layout needs (kinds, styles, widths, faces).

use std::path::Path;

use crate::error::{suggestion, Error, Result};
use crate::font::Face;
use crate::model::layout::{self as model, Layout, CONTENT_KEYS};
use crate::path::YamlPath;
use crate::units::Pt;

use super::checked::{Block, Cell, CellKind, CheckedLayout, Group, Page, Period, Row, Table, TextBlock};
use super::fields::{self, Fields};
use super::fonts::Families;
use super::geometry;
use super::style::{self, Context};

/// Check a layout and resolve it. `dir` is its folder (font files are
/// found relative to it).
pub fn check(layout: &Layout, dir: &Path) -> Result<CheckedLayout> {
    let root = YamlPath::root();
    let families = Families::load(layout, dir)?;
    let font = families.get(&layout.font, &root.key("font"))?;
    let size = geometry::font_size(layout.size, &root.key("size"))?;
    check_defaults(layout, &families)?;
    let page = geometry::page(&layout.page)?;
    let fallback = (layout.fallback.iter().enumerate())
        .map(|(i, name)| families.get(name, &root.key("fallback").index(i)))
        .collect::<Result<Vec<_>>>()?;
    let walk = Walk { layout, families: &families, page, font };
    let body = walk.blocks(&layout.body, &root.key("body"))?;
    let footer = match &layout.footer {
        Some(block) => Some(walk.footer(block, &root.key("footer"))?),
        None => None,
    };
    let mut checked = CheckedLayout {
        title: layout.title.clone().unwrap_or_default(),
        page,
        font,
        size,
        fallback,
        body,
        footer,
        period: layout.period.as_ref().map(|p| Period { from: p.from.clone(), to: p.to.clone() }),
        fields: Fields::default(),
        composition: layout.composition,
    };
    checked.fields = fields::collect(&checked)?;
    Ok(checked)
}

/// The keys of `defaults` name cell kinds (or `all`), and hold style
/// only, with values that can be printed.
fn check_defaults(layout: &Layout, families: &Families) -> Result<()> {
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
        geometry::check_cell(cell, &at, families)?;
    }
    Ok(())
}

/// What the walk needs from the layout as a whole.
struct Walk<'a> {
    layout: &'a Layout,
    families: &'a Families,
    page: Page,
    /// The base face.
    font: &'static Face,
}

impl Walk<'_> {
    fn blocks(&self, blocks: &[model::Block], path: &YamlPath) -> Result<Vec<Block>> {
        (blocks.iter().enumerate()).map(|(b, block)| self.block(block, &path.index(b))).collect()
    }

    fn block(&self, block: &model::Block, path: &YamlPath) -> Result<Block> {
        let kinds = [block.text.is_some(), block.table.is_some(), block.blocks.is_some()];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(Error::in_layout(path, "a body block holds one of `text`, `table` or `blocks`"));
        }
        if block.for_each.is_some() != block.blocks.is_some() {
            let msg = "`for_each` and `blocks` go together: repeat these blocks for each element";
            return Err(Error::in_layout(path, msg));
        }
        geometry::check_block(block, path, self.families)?;
        let page_break = block.page_break == Some(true);
        if let (Some(list), Some(children)) = (&block.for_each, &block.blocks) {
            let blocks = self.blocks(children, &path.key("blocks"))?;
            return Ok(Block::Group(Group { list: list.clone(), blocks, page_break, path: path.clone() }));
        }
        if let Some(table) = &block.table {
            return self.table(table, page_break, &path.key("table")).map(Block::Table);
        }
        Ok(Block::Text(self.text(block, path)))
    }

    /// A text block (checked by [`geometry::check_block`]).
    fn text(&self, block: &model::Block, path: &YamlPath) -> TextBlock {
        TextBlock {
            text: block.text.clone().unwrap_or_default(),
            face: block.font.as_deref().and_then(|f| self.families.face(f)).unwrap_or(self.font),
            size: block.size.unwrap_or(self.layout.size),
            align: block.align.unwrap_or(model::Align::Left),
            letter_spacing: block.letter_spacing.unwrap_or(0.0),
            space_before: block.space_before.map(|s| s.to_pt()).unwrap_or_default(),
            space_after: block.space_after.map(|s| s.to_pt()).unwrap_or_default(),
            page_break: block.page_break == Some(true),
            path: path.clone(),
            composition: self.layout.composition,
        }
    }

    /// The footer: a text block on every page.
    fn footer(&self, block: &model::Block, path: &YamlPath) -> Result<TextBlock> {
        if block.table.is_some() || block.blocks.is_some() || block.for_each.is_some() {
            return Err(Error::in_layout(path, "a footer holds `text` only"));
        }
        geometry::check_block(block, path, self.families)?;
        Ok(self.text(block, path))
    }

    fn table(&self, table: &model::Table, page_break: bool, path: &YamlPath) -> Result<Table> {
        let (x, width, columns) = geometry::table(table, &self.page, path)?;
        let cx =
            Context { layout: self.layout, families: self.families, face: self.font, inner_rule: table.border.inner };
        let header = self.rows(&table.header, width, columns.as_deref(), &path.key("header"), &cx)?;
        let rows = self.rows(&table.rows, width, columns.as_deref(), &path.key("rows"), &cx)?;
        Ok(Table { x, width, outer: table.border.outer, header, rows, page_break, path: path.clone() })
    }

    /// Rows in a space `width` wide (a table, or a cell holding sub-rows)
    /// with, in a table with columns, the `columns` there.
    fn rows(
        &self,
        rows: &[model::Row],
        width: Pt,
        columns: Option<&[Pt]>,
        path: &YamlPath,
        cx: &Context,
    ) -> Result<Vec<Row>> {
        let mut out = Vec::with_capacity(rows.len());
        for (r, row) in rows.iter().enumerate() {
            let here = path.index(r);
            geometry::check_row(row, &here)?;
            for (c, cell) in row.cells.iter().enumerate() {
                geometry::check_cell(cell, &here.key("cells").index(c), self.families)?;
            }
            let geometry = geometry::cells(row, width, columns, &here)?;
            let mut cells = Vec::with_capacity(row.cells.len());
            for ((c, cell), (width, columns)) in row.cells.iter().enumerate().zip(geometry) {
                cells.push(self.cell(cell, width, columns, &here.key("cells").index(c), cx)?);
            }
            out.push(Row {
                cells,
                for_each: row.for_each.clone(),
                blank_rows: row.blank_rows.unwrap_or(3) as usize,
                min_height: row.min_height.map(|m| m.to_pt()).unwrap_or_default(),
                height: row.height.map(|h| h.to_pt()),
                split: row.split.unwrap_or(true),
                path: here,
            });
        }
        Ok(out)
    }

    fn cell(
        &self,
        cell: &model::Cell,
        width: Pt,
        columns: Option<Vec<Pt>>,
        path: &YamlPath,
        cx: &Context,
    ) -> Result<Cell> {
        let mut kind = CellKind::of(cell).map_err(|m| Error::in_layout(path, m))?;
        let style = style::resolve(&kind, cell, cx);
        if matches!(kind, CellKind::Choice(_)) && style.options.is_empty() {
            return Err(Error::in_layout(path, "a `choice` cell needs `options`")
                .with_help("e.g. options: [目標以下, 目標どおり, 目標以上]"));
        }
        if let CellKind::Rows(sub) = &mut kind {
            *sub =
                self.rows(cell.rows.as_deref().unwrap_or_default(), width, columns.as_deref(), &path.key("rows"), cx)?;
        }
        let span = cell.span.unwrap_or(1) as usize;
        Ok(Cell { kind, style, width, columns, span, path: path.clone() })
    }
}
