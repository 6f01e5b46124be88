//! Pages: blocks flow top to bottom; tables break across pages with their
//! header rows repeated and their outer frame closed on every page.

use std::collections::VecDeque;

use crate::draw::{Document, Frame, FrameKind, Owner, Page, Rect};
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

/// Lay out a whole document (`blank`: a blank form, without values),
/// and check its geometry ([`super::check`]): nothing this returns prints
/// outside its cell or the page.
pub fn lay_out(
    layout: &CheckedLayout,
    values: &Values,
    blank: bool,
    report: Report,
    warnings: &mut Vec<Warning>,
) -> Result<Document> {
    let doc = lay_out_unchecked(layout, values, blank, report, warnings)?;
    // Nothing leaves layout that would print outside its cell or the page.
    super::check::document(&doc)?;
    Ok(doc)
}

/// [`lay_out`] without the geometry check: for the tests and the fuzz
/// target that hold the check against its own reading of the pages.
/// Nothing that writes a document calls this.
pub fn lay_out_unchecked(
    layout: &CheckedLayout,
    values: &Values,
    blank: bool,
    report: Report,
    warnings: &mut Vec<Warning>,
) -> Result<Document> {
    let mut scope = Scope::new(values, blank, report);
    scope.compute(&layout.compute)?;
    let mut builder = Builder::new(scope, FontBook::new(&layout.fallback));
    let mut flow = Flow::new(&layout.page);
    place_blocks(&layout.body, &mut builder, &mut flow)?;
    let mut pages = flow.finish();
    if let Some(footer) = &layout.footer {
        add_footers(&layout.page, footer, &mut pages, &mut builder)?;
    }
    warnings.append(&mut builder.warnings);
    let title = match &layout.title_template {
        Some(t) => builder.scope.render(t, &crate::expr::Printer::default())?,
        None => layout.title.clone(),
    };
    Ok(Document { title, fonts: builder.fonts.used, pages })
}

/// Flow body blocks onto the pages: text, tables, and groups repeated for
/// each element of a list. A text block that keeps with the table before
/// it (a note under the table) is set first, so that the table knows how
/// much room to leave under its last row.
fn place_blocks<'a>(blocks: &'a [Block], builder: &mut Builder<'a>, flow: &mut Flow) -> Result<()> {
    let mut note: Option<TextBox> = None;
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Group(group) => {
                for element in builder.scope.each(&group.each, 1)? {
                    builder.within(element, |b| {
                        if !b.includes(group.when.as_ref())? {
                            return Ok(());
                        }
                        if group.page_break && !flow.at_page_top() {
                            flow.break_page();
                        }
                        place_blocks(&group.blocks, b, flow)
                    })?;
                }
            }
            Block::Table(table) if !builder.includes(table.when.as_ref())? => {}
            Block::Text(text) if !builder.includes(text.when.as_ref())? => {}
            Block::Table(table) => {
                if table.page_break && !flow.at_page_top() {
                    flow.break_page();
                }
                let header = builder.rows(&table.header)?;
                let rows = builder.rows(&table.rows)?;
                let (x, width, outer) = (table.x.get(), table.width.get(), table.outer.get());
                let space = (table.space_before.get(), table.space_after.get());
                // The note that keeps with this table, set now to measure it.
                let next = match blocks.get(i + 1) {
                    Some(Block::Text(next)) if next.keep_with_previous => Some(next),
                    _ => None,
                };
                note = next.map(|n| builder.text_block(n, flow.right - flow.left)).transpose()?;
                let tail = match (next, &note) {
                    (Some(n), Some(t)) => space.1 + n.space_before.get() + t.height(),
                    _ => 0.0,
                };
                flow.table(TableBox { x, width, header, rows, outer, space, tail })?;
            }
            Block::Text(text) => {
                if text.page_break && !flow.at_page_top() {
                    flow.break_page();
                }
                let t = match note.take() {
                    Some(t) => t,
                    None => builder.text_block(text, flow.right - flow.left)?,
                };
                let data = text.template.as_ref().and_then(|t| builder.scope.template_source(t));
                let owner = Owner { layout: text.path.key("text"), data };
                flow.text(&t, text, owner);
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
        // The footer stays in the bottom margin, between the side margins.
        let band = Rect { x: left, y: page.height - bottom, w: width, h: bottom };
        let owner = Owner { layout: footer.path.key("text"), data: None };
        page.frames.push(Frame { kind: FrameKind::Footer, rect: band, content: band, within: band, owner });
        let mut canvas = Canvas::new(band);
        draw_text(&t, Rect { x: left, y, w: width, h: t.height() }, page.frames.len() - 1, &mut canvas);
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
    /// Space above and below the table.
    pub space: (f32, f32),
    /// Room the block after the table needs on the page of its last row
    /// (a note that keeps with it); 0 for none.
    pub tail: f32,
}

/// Where a table's next row goes.
enum Step {
    /// Whole, on this page.
    Place(RowBox),
    /// Its first part here, the rest first on the next page.
    Split(RowBox, RowBox),
    /// Whole, to the next page.
    Move(RowBox),
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
        let area = Rect { x: left, y: top, w: width - right - left, h: height - bottom - top };
        Flow {
            width,
            height,
            top,
            bottom: height - bottom,
            left,
            right: width - right,
            y: top,
            canvas: Canvas::new(area),
            pages: Vec::new(),
        }
    }

    /// The printable area: the page inside its margins.
    fn area(&self) -> Rect {
        Rect { x: self.left, y: self.top, w: self.right - self.left, h: self.bottom - self.top }
    }

    fn remaining(&self) -> f32 {
        self.bottom - self.y
    }

    fn at_page_top(&self) -> bool {
        self.y <= self.top + EPSILON
    }

    fn break_page(&mut self) {
        let next = Canvas::new(self.area());
        let canvas = std::mem::replace(&mut self.canvas, next);
        let mut items = canvas.items;
        items.extend(canvas.rules.into_items());
        self.pages.push(Page { width: self.width, height: self.height, items, frames: canvas.frames });
        self.y = self.top;
    }

    fn finish(mut self) -> Vec<Page> {
        self.break_page();
        self.pages
    }

    /// A free text block. It moves to a new page if it does not fit; a
    /// block taller than a page continues line by line on the next ones
    /// (no line is ever lost below the margin).
    fn text(&mut self, t: &TextBox, block: &TextBlock, owner: Owner) {
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
            // A free text block may use the whole printable area.
            let area = self.area();
            let frame = Frame { kind: FrameKind::Text, rect: area, content: area, within: area, owner: owner.clone() };
            let frame = self.canvas.frame(frame);
            draw_text(&here, Rect { x: self.left, y: self.y, w: width, h: here.height() }, frame, &mut self.canvas);
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
    /// split at a line boundary or moved to the next page. The table's
    /// `space` is kept above and below it, and its last row keeps `tail`
    /// room under it for the note that keeps with the table.
    fn table(&mut self, mut table: TableBox) -> Result<()> {
        let header_height: f32 = table.header.iter().map(RowBox::natural_height).sum();
        let (before, after) = table.space;
        // The room rows have on a fresh page, under the header.
        let page = self.bottom - self.top - header_height;
        let mut queue: VecDeque<RowBox> = std::mem::take(&mut table.rows).into();
        // Never leave the header alone at the foot of a page: the first
        // row, or the first lines of it, must fit under it (and, when it
        // is the only row, the note after it).
        if let Some(first) = queue.front() {
            let room = self.remaining() - before - header_height;
            let tail = if queue.len() == 1 { table.tail } else { 0.0 };
            let fits = first.natural_height() + tail <= room + EPSILON || first.split(room, page).is_some();
            if !fits && !self.at_page_top() {
                self.break_page();
            }
        }
        self.y += before;
        let mut top = self.y;
        self.draw_header(&table);
        let mut rows_here = 0;
        while let Some(row) = queue.pop_front() {
            let tail = if queue.is_empty() { table.tail } else { 0.0 };
            let fresh = rows_here == 0 && self.at_page_top_of_table(top);
            match self.step(row, tail, page, rows_here, fresh)? {
                Step::Place(row) => {
                    let h = row.natural_height();
                    row.draw(table.x, self.y, h, &mut self.canvas);
                    self.y += h;
                    rows_here += 1;
                    continue;
                }
                Step::Split(here, next) => {
                    let h = here.natural_height();
                    here.draw(table.x, self.y, h, &mut self.canvas);
                    self.y += h;
                    queue.push_front(next);
                }
                Step::Move(row) => queue.push_front(row),
            }
            self.close_frame(&table, top);
            self.break_page();
            top = self.y;
            self.draw_header(&table);
            rows_here = 0;
        }
        self.close_frame(&table, top);
        self.y += after;
        Ok(())
    }

    /// Where `row` goes, with `tail` room to keep under it (the note after
    /// the table's last row), `page` the room of a fresh page, `rows_here`
    /// rows of the table already on this page, `fresh` when this page's
    /// part of the table starts at the top of the page.
    fn step(&self, row: RowBox, tail: f32, page: f32, rows_here: usize, fresh: bool) -> Result<Step> {
        let (h, room) = (row.natural_height(), self.remaining());
        if h + tail <= room + EPSILON {
            return Ok(Step::Place(row));
        }
        if h <= room + EPSILON {
            // The row fits but the note after it does not: the row's last
            // lines (or the row) go to the next page with the note, which
            // is never left alone at the top of a page. When nothing can
            // go, the row stays (moving the only row would strand the
            // header instead).
            if let Some((here, next)) = row.split_off_end(page) {
                return Ok(Step::Split(here, next));
            }
            return Ok(if rows_here > 0 { Step::Move(row) } else { Step::Place(row) });
        }
        match row.split(room, page) {
            Some((here, next)) => Ok(Step::Split(here, next)),
            None if fresh => Err(too_tall(&row, page)),
            None => Ok(Step::Move(row)),
        }
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
