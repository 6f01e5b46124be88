//! Building cells: the walk over a checked layout's rows and cells. Each
//! cell's value is asked of the [`Scope`] (through the `for_each`
//! elements), formatted for its kind ([`crate::text::format`]) and set
//! into lines at the cell's width ([`super::fit`]); a choice gets its
//! circle ([`super::choice`]); series and year headings become one box per
//! column.

use crate::error::{Error, Result};
use crate::eval::template::is_template;
use crate::eval::{Element, Scope, SeriesItem, Value};
use crate::path::YamlPath;
use crate::text::format;
use crate::text::setter::{self, MissingGlyph, Paragraphs, Style};
use crate::units::Pt;
use crate::validate::checked::{Align, Cell, CellKind, CellStyle, Row, TextBlock, VAlign, Visible, YearFormat};

use super::fit::{self, Attempt, Room};
use super::fonts::FontBook;
use super::{blame, choice, CellBox, Content, Lines, RowBox, TextBox, Warning};

/// Line pitch of free text blocks, as a multiple of their size.
const BLOCK_LINE_HEIGHT: f32 = 1.4;

/// What building cells needs: the values in scope, the fonts, and where
/// warnings go.
pub struct Builder<'a> {
    pub scope: Scope<'a>,
    pub fonts: FontBook,
    pub warnings: Vec<Warning>,
    /// The fixed height of the row being built, if it has one (points).
    row_height: Option<f32>,
}

impl<'a> Builder<'a> {
    pub fn new(scope: Scope<'a>, fonts: FontBook) -> Builder<'a> {
        Builder { scope, fonts, warnings: Vec::new(), row_height: None }
    }

    /// Run `f` with the fields of `element` in scope.
    pub fn within<T>(&mut self, element: Element<'a>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scope.enter(element);
        let out = f(self);
        self.scope.leave();
        out
    }

    /// Build rows (of a table, or of a cell holding sub-rows): one per
    /// row, or one per element of its list.
    pub fn rows(&mut self, rows: &'a [Row]) -> Result<Vec<RowBox>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            match &row.for_each {
                None => out.push(self.row(row)?),
                Some(list) => {
                    for element in self.scope.elements(list, row.blank_rows) {
                        out.push(self.within(element, |b| b.row(row))?);
                    }
                }
            }
        }
        Ok(out)
    }

    fn row(&mut self, row: &'a Row) -> Result<RowBox> {
        let mut cells = Vec::with_capacity(row.cells.len());
        let outer = std::mem::replace(&mut self.row_height, row.height.map(Pt::get));
        for cell in &row.cells {
            let built = self.cell(cell);
            if built.is_err() {
                self.row_height = outer;
            }
            cells.extend(built?);
        }
        let fixed = std::mem::replace(&mut self.row_height, outer);
        if let Some(h) = fixed {
            // Handwriting room and minimums cannot make a fixed row grow.
            for cell in &mut cells {
                cell.min_height = cell.min_height.min(h);
            }
            fit::check_fixed_height(&cells, h)?;
        }
        Ok(RowBox {
            cells,
            min_height: fixed.unwrap_or(0.0).max(row.min_height.get()),
            splittable: row.split && fixed.is_none(),
            path: row.path.clone(),
        })
    }

    /// The cell boxes of one layout cell: one, or one per value of a
    /// series or year of a period.
    fn cell(&mut self, cell: &'a Cell) -> Result<Vec<CellBox>> {
        let (style, width, path) = (&cell.style, cell.width.get(), &cell.path);
        match &cell.kind {
            CellKind::Rows(rows) => {
                let rows = self.rows(rows)?;
                let rows = rows.into_iter().map(std::rc::Rc::new).collect();
                let mut frame = self.frame(style, width, path, Content::Rows(rows));
                frame.padding = [0.0; 4];
                Ok(vec![frame])
            }
            CellKind::Series(field) => self.series(field, cell.span, style, width, cell.columns.as_deref(), path),
            CellKind::YearLabels(format) => {
                self.year_labels(*format, cell.span, style, width, cell.columns.as_deref(), path)
            }
            kind => {
                let (text, blank, source) = self.content_text(kind, style);
                Ok(vec![self.text_cell(kind, style, &text, blank, source.as_ref(), width, path)?])
            }
        }
    }

    /// A cell box around `content`, with the style's geometry.
    fn frame(&self, style: &CellStyle, width: f32, path: &YamlPath, content: Content) -> CellBox {
        CellBox {
            width,
            content,
            padding: style.padding.map(Pt::get),
            edges: style.border.map(Pt::get),
            shade: style.shade,
            min_height: style.min_height.get(),
            repeat: style.repeat,
            continued: None,
            path: path.clone(),
            source: None,
        }
    }

    /// A cell showing `text`; `blank` keeps handwriting room; `source` is
    /// the data path the text came from (for errors).
    #[allow(clippy::too_many_arguments)]
    fn text_cell(
        &mut self,
        kind: &CellKind,
        style: &CellStyle,
        text: &str,
        blank: bool,
        source: Option<&YamlPath>,
        width: f32,
        path: &YamlPath,
    ) -> Result<CellBox> {
        let inner = width - style.padding[1].get() - style.padding[3].get();
        let content = self.set(kind, style, text, inner, path, source)?;
        let mut cell = self.frame(style, width, path, Content::Text(content));
        cell.source = source.cloned();
        if blank && style.blank_lines > 0 {
            cell.min_height = cell.min_height.max(style.blank_lines as f32 * style.writing_pitch.get());
        }
        if let (Some(marker), true) = (&style.continued, style.repeat) {
            cell.continued = Some(self.set(kind, style, &format!("{text}{marker}"), inner, path, source)?);
        }
        Ok(cell)
    }

    /// A series: one cell per value, each as wide as the columns it spans.
    /// With `by_year`, values of years not yet reported stay blank.
    fn series(
        &mut self,
        field: &str,
        len: usize,
        style: &CellStyle,
        width: f32,
        cols: Option<&[Pt]>,
        path: &YamlPath,
    ) -> Result<Vec<CellBox>> {
        let found = self.scope.lookup(field).filter(|_| self.shows(style));
        let (items, source) = match found {
            Some((Value::Series(items), source)) => (items.clone(), Some(source)),
            // Blank: one empty cell per column, for handwriting.
            _ => (vec![SeriesItem { text: String::new(), span: 1 }; len], None),
        };
        let kind = CellKind::Text(field.to_string());
        let mut out = Vec::with_capacity(items.len());
        let mut column = 0;
        for item in items {
            let span = item.span as usize;
            let w = match cols {
                Some(cols) => cols[column..(column + span).min(cols.len())].iter().map(|c| c.get()).sum(),
                None => width * span as f32 / len as f32,
            };
            let shown = !style.by_year || self.scope.report().reported(column + span - 1);
            let text = if shown { item.text.as_str() } else { "" };
            out.push(self.text_cell(&kind, style, text, text.is_empty(), source.as_ref(), w, path)?);
            column += span;
        }
        Ok(out)
    }

    /// Header cells naming each year of the plan's period.
    fn year_labels(
        &mut self,
        format: YearFormat,
        len: usize,
        style: &CellStyle,
        width: f32,
        cols: Option<&[Pt]>,
        path: &YamlPath,
    ) -> Result<Vec<CellBox>> {
        // Validation saw to it that the period has a year per column.
        let report = self.scope.report();
        let years: Vec<Option<i32>> = (0..len).map(|i| report.period.map(|(from, _)| from + i as i32)).collect();
        let mut out = Vec::with_capacity(len);
        for (i, year) in years.into_iter().enumerate() {
            let mut text = year.map(|y| format::year_heading(y, format == YearFormat::Short)).unwrap_or_default();
            if let (Some(y), Some(suffix)) = (year, &style.final_suffix) {
                let last = report.period.is_some_and(|(_, to)| y == to);
                if last && report.is_final() && self.scope.filled(suffix) {
                    text.push_str(&self.scope.expand(suffix));
                }
            }
            let w = cols.map(|c| c[i].get()).unwrap_or(width / len as f32);
            out.push(self.text_cell(&CellKind::Label(text.clone()), style, &text, false, None, w, path)?);
        }
        Ok(out)
    }

    /// Does a cell with this style show its value in this report?
    fn shows(&self, style: &CellStyle) -> bool {
        style.visible == Visible::Always || self.scope.report().is_final()
    }

    /// The text a cell prints (its label, or its value formatted for its
    /// kind, or what a blank form pre-prints), whether it is blank, and
    /// the data path of the value.
    fn content_text(&self, kind: &CellKind, style: &CellStyle) -> (String, bool, Option<YamlPath>) {
        let found = kind.field().and_then(|(f, _)| self.scope.lookup(f)).filter(|_| self.shows(style));
        let (value, source) = match found {
            Some((v, path)) => (Some(v), Some(path)),
            None => (None, None),
        };
        let (prefix, suffix, digits) = (&style.prefix, &style.suffix, style.digits);
        let text = match (kind, value) {
            (CellKind::Label(text), _) => self.scope.expand(text),
            (CellKind::Text(t), _) if is_template(t) => {
                let text = if self.shows(style) { self.scope.expand(t) } else { String::new() };
                let blank = text.trim().is_empty();
                return (text, blank, self.scope.first_field(t));
            }
            (CellKind::Text(_), Some(Value::Text(t))) => t.clone(),
            (CellKind::Amount(_), Some(Value::Integer(n))) => format::amount(*n, prefix, suffix, digits),
            (CellKind::Number(_), Some(Value::Integer(n))) => format::number(*n, prefix, suffix, digits),
            (CellKind::Amount(_) | CellKind::Number(_), None) => suffix.clone(),
            (CellKind::Choice(_), _) => style.options.join(&style.separator),
            (CellKind::FiscalYear(_), Some(Value::Year(y))) => format::fiscal_year(*y, style.gannen, digits),
            (CellKind::FiscalYear(_), None) => format::blank_fiscal_year(),
            (CellKind::Date(_), Some(Value::Date(d))) => format::date(*d, style.gannen, digits),
            (CellKind::Date(_), None) => format::blank_date(),
            _ => String::new(),
        };
        (text, kind.field().is_some() && value.is_none(), source)
    }

    /// Set `text` for a cell of `kind`, shrinking within the style's
    /// limits ([`fit::shrink`], [`fit::choose`]); circle the chosen option
    /// of a choice.
    fn set(
        &mut self,
        kind: &CellKind,
        style: &CellStyle,
        text: &str,
        inner: f32,
        path: &YamlPath,
        source: Option<&YamlPath>,
    ) -> Result<TextBox> {
        let faces = self.fonts.faces(style.face);
        // A label that may shrink keeps its lines: it shrinks rather than wrap.
        let max_lines = style.max_lines.map(|m| m as usize).or_else(|| match kind {
            CellKind::Label(t) if style.min_size < style.size => Some(t.split('\n').count()),
            _ => None,
        });
        let bullets: &[String] = if matches!(kind, CellKind::Text(_)) { &style.bullets } else { &[] };
        let room = Room { inner, max_lines, row_height: self.row_height };
        let attempts = fit::shrink(text, style, &faces, bullets, room)
            .map_err(|m| self.missing_glyph(path, source, kind.template(), m))?;
        let (Attempt { size, lines }, warnings) = fit::choose(attempts, max_lines);
        self.warnings.extend(warnings.into_iter().map(|w| Warning::new(path, w)));
        let circle = match self.chosen(kind, style) {
            Some(chosen) => {
                let circle = choice::circle(&style.options, &style.separator, chosen, &lines);
                if circle.is_none() {
                    let msg = "the chosen option is broken across lines and cannot be circled; widen the cell";
                    self.warnings.push(Warning::new(path, msg));
                }
                circle
            }
            None => None,
        };
        Ok(TextBox {
            pitch: size * style.line_height,
            size,
            align: style.align,
            valign: style.valign,
            stack_gap: (style.align == Align::Stack).then_some(style.max_gap.get()),
            splittable: matches!(kind, CellKind::Text(_)),
            circle,
            lines: Lines::new(lines),
        })
    }

    /// The option chosen in a choice cell, if it is shown.
    fn chosen(&self, kind: &CellKind, style: &CellStyle) -> Option<usize> {
        let CellKind::Choice(field) = kind else { return None };
        match self.scope.lookup(field).filter(|_| self.shows(style)) {
            Some((Value::Choice(chosen, _), _)) => Some(*chosen),
            _ => None,
        }
    }

    /// An error for a character no font has, pointing into the file the
    /// text came from.
    /// `template` is the text with `{placeholders}` the characters came
    /// through, if any: the error then names the field that holds `ch`.
    fn missing_glyph(
        &self,
        path: &YamlPath,
        source: Option<&YamlPath>,
        template: Option<&str>,
        m: MissingGlyph,
    ) -> Error {
        let message = format!("no font has a glyph for U+{:04X} {}", m.ch as u32, m.ch);
        let help = "remove or replace the character, or name a font that has it under `fallback:` in the layout";
        let through = template.and_then(|t| self.scope.field_holding(t, m.ch));
        let source = through.as_ref().or(if template.is_some() { None } else { source });
        Error::input(message).at(blame(path, source).char(m.ch)).with_help(help)
    }

    /// Set the text of a free block (a caption, a title, a note) at
    /// `width`, with its `{placeholders}` filled in.
    pub fn text_block(&mut self, block: &TextBlock, width: f32) -> Result<TextBox> {
        let text = &block.text;
        let size = block.size.get();
        let faces = self.fonts.faces(block.face);
        let letter_spacing = block.letter_spacing * size;
        let style = Style { faces: &faces, size, autospace: true, letter_spacing, composition: block.composition };
        let expanded = self.scope.expand(text);
        let lines = setter::set_paragraphs(&expanded, &style, width, &Paragraphs { bullets: &[], justify: false })
            .map_err(|m| self.missing_glyph(&block.path.key("text"), None, Some(text), m))?;
        Ok(TextBox {
            lines: Lines::new(lines),
            pitch: size * BLOCK_LINE_HEIGHT,
            size,
            align: block.align,
            valign: VAlign::Top,
            stack_gap: None,
            splittable: false,
            circle: None,
        })
    }
}
