//! Pages: blocks flow top to bottom; tables break across pages with their
//! header rows repeated and their outer frame closed on every page.

use std::collections::VecDeque;

use crate::draw::{Document, Page};
use crate::error::Result;
use crate::eval::{Report, Scope, Values};
use crate::units::pt_to_mm;
use crate::validate::checked::{self, Block, CheckedLayout, TextBlock};

use super::cell::Builder;
use super::fonts::FontBook;
use super::row::{draw_text, Canvas};
use super::{cell_error, RowBox, TextBox, Warning};

/// Tolerance for comparing heights.
const EPSILON: f32 = 0.01;

/// Lay out a whole document (`blank`: a blank form, without values).
pub fn lay_out(
    layout: &CheckedLayout,
    values: &Values,
    blank: bool,
    report: Report,
    warnings: &mut Vec<Warning>,
) -> Result<Document> {
    let mut builder = Builder::new(Scope::new(values, blank, report), FontBook::new(&layout.fallback));
    let mut flow = Flow::new(&layout.page);
    place_blocks(&layout.body, &mut builder, &mut flow)?;
    let mut pages = flow.finish();
    if let Some(footer) = &layout.footer {
        add_footers(&layout.page, footer, &mut pages, &mut builder)?;
    }
    warnings.append(&mut builder.warnings);
    Ok(Document { title: builder.scope.expand(&layout.title), fonts: builder.fonts.used, pages })
}

/// Flow body blocks onto the pages: text, tables, and groups repeated for
/// each element of a list.
fn place_blocks<'a>(blocks: &'a [Block], builder: &mut Builder<'a>, flow: &mut Flow) -> Result<()> {
    for block in blocks {
        match block {
            Block::Group(group) => {
                for element in builder.scope.elements(&group.list, 1) {
                    if group.page_break && !flow.at_page_top() {
                        flow.break_page();
                    }
                    builder.within(element, |b| place_blocks(&group.blocks, b, flow))?;
                }
            }
            Block::Table(table) => {
                if table.page_break && !flow.at_page_top() {
                    flow.break_page();
                }
                let header = builder.rows(&table.header)?;
                let rows = builder.rows(&table.rows)?;
                let (x, width, outer) = (table.x.get(), table.width.get(), table.outer.get());
                flow.table(TableBox { x, width, header, rows, outer })?;
            }
            Block::Text(text) => {
                if text.page_break && !flow.at_page_top() {
                    flow.break_page();
                }
                let t = builder.text_block(text, flow.right - flow.left)?;
                flow.text(&t, text);
            }
        }
    }
    Ok(())
}

/// Put the footer, with `{page}` and `{pages}` filled in, at the foot of
/// every page, centred in the bottom margin.
fn add_footers(page: &checked::Page, footer: &TextBlock, pages: &mut [Page], builder: &mut Builder) -> Result<()> {
    let total = pages.len();
    let [_, right, bottom, left] = page.margin.map(|m| m.get());
    for (i, page) in pages.iter_mut().enumerate() {
        let width = page.width - left - right;
        builder.scope.set_page(Some((i + 1, total)));
        let t = builder.text_block(footer, width);
        builder.scope.set_page(None);
        let t = t?;
        let y = page.height - bottom / 2.0 - t.height() / 2.0;
        let mut canvas = Canvas::default();
        draw_text(&t, left, y, width, t.height(), &mut canvas);
        page.items.extend(canvas.items);
    }
    Ok(())
}

/// A table ready to flow: its rows built, its position fixed.
pub struct TableBox {
    pub x: f32,
    pub width: f32,
    pub header: Vec<RowBox>,
    pub rows: Vec<RowBox>,
    /// Weight of the outer frame, in points.
    pub outer: f32,
}

/// The pages being filled.
struct Flow {
    width: f32,
    height: f32,
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
    /// Where the next block goes.
    y: f32,
    canvas: Canvas,
    pages: Vec<Page>,
}

impl Flow {
    fn new(page: &checked::Page) -> Flow {
        let [top, right, bottom, left] = page.margin.map(|m| m.get());
        let (width, height) = (page.width.get(), page.height.get());
        Flow {
            width,
            height,
            top,
            bottom: height - bottom,
            left,
            right: width - right,
            y: top,
            canvas: Canvas::default(),
            pages: Vec::new(),
        }
    }

    fn remaining(&self) -> f32 {
        self.bottom - self.y
    }

    fn at_page_top(&self) -> bool {
        self.y <= self.top + EPSILON
    }

    fn break_page(&mut self) {
        let canvas = std::mem::take(&mut self.canvas);
        let mut items = canvas.items;
        items.extend(canvas.rules.into_items());
        self.pages.push(Page { width: self.width, height: self.height, items });
        self.y = self.top;
    }

    fn finish(mut self) -> Vec<Page> {
        self.break_page();
        self.pages
    }

    /// A free text block; it moves to a new page if it does not fit.
    /// A free text block. It moves to a new page if it does not fit; a
    /// block taller than a page continues line by line on the next ones
    /// (no line is ever lost below the margin).
    fn text(&mut self, t: &TextBox, block: &TextBlock) {
        let (before, after) = (block.space_before.get(), block.space_after.get());
        if before + t.height() > self.remaining() && !self.at_page_top() {
            self.break_page();
        }
        self.y += before;
        let width = self.right - self.left;
        let mut rest = t.clone();
        loop {
            let fit = ((self.remaining() + EPSILON) / rest.pitch).floor().max(1.0) as usize;
            let n = rest.lines.len();
            let here = TextBox { lines: rest.lines.slice(0, fit.min(n)), ..rest.clone() };
            draw_text(&here, self.left, self.y, width, here.height(), &mut self.canvas);
            self.y += here.height();
            if fit >= n {
                break;
            }
            rest = TextBox { lines: rest.lines.slice(fit, n), ..rest };
            self.break_page();
        }
        self.y += after;
    }

    /// A table: rows that fit go on this page; a row that does not is
    /// split at a line boundary or moved to the next page.
    fn table(&mut self, table: TableBox) -> Result<()> {
        let header_height: f32 = table.header.iter().map(RowBox::natural_height).sum();
        let mut queue: VecDeque<RowBox> = table.rows.iter().cloned().collect();
        // Never leave the header alone at the foot of a page: the first
        // row, or the first lines of it, must fit under it.
        if let Some(first) = queue.front() {
            let room = self.remaining() - header_height;
            let fits = first.natural_height() <= room + EPSILON || first.split(room).is_some();
            if !fits && !self.at_page_top() {
                self.break_page();
            }
        }
        let mut top = self.y;
        self.draw_header(&table);
        let mut rows_here = 0;
        while let Some(row) = queue.pop_front() {
            let h = row.natural_height();
            if h <= self.remaining() + EPSILON {
                row.draw(table.x, self.y, h, &mut self.canvas);
                self.y += h;
                rows_here += 1;
                continue;
            }
            match row.split(self.remaining()) {
                Some((here, next)) => {
                    let h = here.natural_height();
                    here.draw(table.x, self.y, h, &mut self.canvas);
                    self.y += h;
                    queue.push_front(next);
                }
                None if rows_here == 0 && self.at_page_top_of_table(top) => {
                    return Err(too_tall(&row, self.bottom - self.top - header_height));
                }
                None => queue.push_front(row),
            }
            self.close_frame(&table, top);
            self.break_page();
            top = self.y;
            self.draw_header(&table);
            rows_here = 0;
        }
        self.close_frame(&table, top);
        Ok(())
    }

    /// Was the table fragment started at the top of a page (so that moving
    /// a row to a new page cannot help)?
    fn at_page_top_of_table(&self, fragment_top: f32) -> bool {
        fragment_top <= self.top + EPSILON
    }

    fn draw_header(&mut self, table: &TableBox) {
        for row in &table.header {
            let h = row.natural_height();
            row.draw(table.x, self.y, h, &mut self.canvas);
            self.y += h;
        }
    }

    /// The outer frame around this page's part of the table.
    fn close_frame(&mut self, table: &TableBox, top: f32) {
        if self.y <= top + EPSILON {
            return;
        }
        self.canvas.rules.add_rect(table.x, top, table.width, self.y - top, [table.outer; 4]);
    }
}

/// The error for a row that cannot be split and is taller than a page.
/// When the tall cell's text came from the data, the error points there
/// (that is what the user edits) and names the layout cell.
fn too_tall(row: &RowBox, page: f32) -> crate::error::Error {
    let cell = row.tallest_cell();
    let need = pt_to_mm(cell.natural_height());
    let msg = format!(
        "this cell needs {need:.0} mm but a page has {:.0} mm for it, and it cannot be split across pages",
        pt_to_mm(page)
    );
    let help = match cell.source {
        Some(_) => "shorten the text, or allow the row to split (`split: true`) in the layout",
        None => "allow the row to split (`split: true`), let the text wrap, or lower `min_height`",
    };
    cell_error(&cell.path, cell.source.as_ref(), msg).with_help(help)
}
