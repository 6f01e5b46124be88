//! Pages: blocks flow top to bottom; tables break across pages with their
//! header rows repeated and their outer frame closed on every page.

use std::collections::VecDeque;

use crate::draw::{Document, Page};
use crate::error::Result;
use crate::model::layout::{Align, Block, Layout, Orientation, VAlign};
use crate::source::Source;
use crate::text::setter::{self, Paragraphs, Style};
use crate::validate::Values;

use super::cell::{char_error, Builder};
use super::fonts::FontBook;
use super::row::{draw_text, Canvas};
use super::style::mm;
use super::{RowBox, TextBox};

/// Tolerance for comparing heights.
const EPSILON: f32 = 0.01;

/// Line pitch of free text blocks, as a multiple of their size.
const BLOCK_LINE_HEIGHT: f32 = 1.4;

/// Lay out a whole document. `data_src` is `None` for a blank form.
pub fn lay_out(
    layout: &Layout,
    layout_src: &Source,
    data_src: Option<&Source>,
    values: &Values,
    warnings: &mut Vec<String>,
) -> Result<Document> {
    let mut fonts = FontBook::for_layout(layout, layout_src)?;
    let mut flow = Flow::new(layout);
    for (b, block) in layout.body.iter().enumerate() {
        let path = format!("body[{b}]");
        if let Some(table) = &block.table {
            let width = table.width.map(mm).unwrap_or(flow.right - flow.left);
            let x = flow.left + ((flow.right - flow.left) - width) / 2.0;
            let mut builder = Builder {
                layout,
                layout_src,
                data_src,
                values,
                fonts: &mut fonts,
                warnings,
                inner_rule: table.border.inner,
            };
            let header = builder.rows(&table.header, width, &format!("{path}.table.header"))?;
            let rows = builder.rows(&table.rows, width, &format!("{path}.table.rows"))?;
            flow.table(
                TableBox {
                    x,
                    width,
                    header,
                    rows,
                    outer: table.border.outer,
                },
                layout_src,
            )?;
        } else {
            let text = block.text.as_deref().unwrap_or_default();
            let t = set_block(
                layout,
                block,
                text,
                flow.right - flow.left,
                &mut fonts,
                layout_src,
                &path,
            )?;
            flow.text(&t, block);
        }
    }
    let mut pages = flow.finish();
    if let Some(footer) = &layout.footer {
        add_footers(layout, footer, &mut pages, &mut fonts, layout_src)?;
    }
    let title = layout.title.clone().unwrap_or_default();
    Ok(Document {
        title,
        fonts: fonts.used,
        pages,
    })
}

/// Set the text of a free block at the layout's width.
fn set_block(
    layout: &Layout,
    block: &Block,
    text: &str,
    width: f32,
    fonts: &mut FontBook,
    src: &Source,
    path: &str,
) -> Result<TextBox> {
    let size = block.size.unwrap_or(layout.size);
    let faces = fonts.faces(block.font.as_deref().unwrap_or(&layout.font));
    let style = Style {
        faces: &faces,
        size,
        autospace: true,
        letter_spacing: block.letter_spacing.unwrap_or(0.0) * size,
    };
    let lines = setter::set_paragraphs(
        text,
        &style,
        width,
        &Paragraphs {
            bullets: &[],
            justify: false,
        },
    )
    .map_err(|m| {
        char_error(
            src,
            &format!("{path}.text"),
            m.ch,
            format!("no font has a glyph for U+{:04X} {}", m.ch as u32, m.ch),
        )
    })?;
    Ok(TextBox {
        lines,
        pitch: size * BLOCK_LINE_HEIGHT,
        size,
        align: block.align.unwrap_or(Align::Left),
        valign: VAlign::Top,
        stack_gap: None,
        splittable: false,
        circle: None,
    })
}

/// Put the footer, with `{page}` and `{pages}` filled in, at the foot of
/// every page, centred in the bottom margin.
fn add_footers(
    layout: &Layout,
    footer: &Block,
    pages: &mut [Page],
    fonts: &mut FontBook,
    src: &Source,
) -> Result<()> {
    let total = pages.len();
    let [_, right, bottom, left] = layout.page.margin.trbl().map(mm);
    for (i, page) in pages.iter_mut().enumerate() {
        let text = footer.text.as_deref().unwrap_or_default();
        let text = text
            .replace("{page}", &(i + 1).to_string())
            .replace("{pages}", &total.to_string());
        let width = page.width - left - right;
        let t = set_block(layout, footer, &text, width, fonts, src, "footer")?;
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
    fn new(layout: &Layout) -> Flow {
        let (w, h) = layout.page.size.millimetres();
        let (w, h) = match layout.page.orientation {
            Orientation::Portrait => (w.min(h), w.max(h)),
            Orientation::Landscape => (w.max(h), w.min(h)),
        };
        let [top, right, bottom, left] = layout.page.margin.trbl().map(mm);
        let (width, height) = (mm(w), mm(h));
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
        self.pages.push(Page {
            width: self.width,
            height: self.height,
            items,
        });
        self.y = self.top;
    }

    fn finish(mut self) -> Vec<Page> {
        self.break_page();
        self.pages
    }

    /// A free text block; it moves to a new page if it does not fit.
    fn text(&mut self, t: &TextBox, block: &Block) {
        let before = mm(block.space_before.unwrap_or(0.0));
        let after = mm(block.space_after.unwrap_or(0.0));
        if before + t.height() > self.remaining() && !self.at_page_top() {
            self.break_page();
        }
        self.y += before;
        let width = self.right - self.left;
        draw_text(t, self.left, self.y, width, t.height(), &mut self.canvas);
        self.y += t.height() + after;
    }

    /// A table: rows that fit go on this page; a row that does not is
    /// split at a line boundary or moved to the next page.
    fn table(&mut self, table: TableBox, src: &Source) -> Result<()> {
        let header_height: f32 = table.header.iter().map(RowBox::natural_height).sum();
        let mut queue: VecDeque<RowBox> = table.rows.iter().cloned().collect();
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
                    return Err(too_tall(&row, self.bottom - self.top - header_height, src));
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
        self.canvas
            .rules
            .add_rect(table.x, top, table.width, self.y - top, [table.outer; 4]);
    }
}

/// The error for a row that cannot be split and is taller than a page.
fn too_tall(row: &RowBox, page: f32, src: &Source) -> crate::error::Error {
    let cell = row.tallest_cell();
    let need = cell.natural_height() * 25.4 / 72.0;
    let msg = format!(
        "this cell needs {need:.0} mm but a page has {:.0} mm for it, and it cannot be split across pages",
        page * 25.4 / 72.0
    );
    src.error_at(&cell.path, msg).with_help(
        "allow the row to split (`split: true`), let the text wrap, or lower `min_height`",
    )
}
