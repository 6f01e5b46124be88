//! Building cells: each cell's value is looked up in the data (through the
//! scopes of `for_each`), formatted for its kind and set into lines at the
//! cell's width, shrinking within the layout's limits.

use crate::error::{Error, Result};
use crate::eval::template::is_template;
use crate::eval::{Element, Scope, SeriesItem, Value};
use crate::path::YamlPath;
use crate::text::format;
use crate::text::setter::{self, MissingGlyph, Paragraphs, SetLine, Style};
use crate::units::pt_to_mm;
use crate::units::Pt;
use crate::validate::checked::{Align, Cell, CellKind, CellStyle, Row, TextBlock, VAlign, Visible, YearFormat};

use super::fonts::FontBook;
use super::{blame, cell_error, CellBox, Content, Lines, RowBox, TextBox, Warning};

/// Shrinking steps, in points (`japanese-composition.md` §7).
const SHRINK_STEP: f32 = 0.5;

/// Sizes below this are reported (§7: report any cell below 8 pt).
const SMALL_SIZE: f32 = 8.0;

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
            self.check_fit(&cells, h)?;
        }
        Ok(RowBox {
            cells,
            min_height: fixed.unwrap_or(0.0).max(row.min_height.get()),
            splittable: row.split && fixed.is_none(),
            path: row.path.clone(),
        })
    }

    /// In a row of fixed height, every cell must fit: report the first that
    /// does not, and by how much.
    fn check_fit(&self, cells: &[CellBox], height: f32) -> Result<()> {
        let over = cells.iter().find(|c| c.natural_height() > height + 0.01);
        let Some(cell) = over else { return Ok(()) };
        let msg = format!(
            "the text does not fit: it needs {:.1} mm but the row is fixed at {:.1} mm ({:.1} mm too much)",
            pt_to_mm(cell.natural_height()),
            pt_to_mm(height),
            pt_to_mm(cell.natural_height() - height)
        );
        let help = "shorten the text, allow a smaller `min_size`, or let the row grow (remove `height`)";
        Err(cell_error(&cell.path, cell.source.as_ref(), msg).with_help(help))
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

    /// Set `text` for a cell of `kind`, shrinking in steps down to the
    /// style's minimum size while it needs more than `max_lines` lines.
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
        let (base, min_size) = (style.size.get(), style.min_size.get());
        let max_lines = style.max_lines.map(|m| m as usize).or_else(|| match kind {
            CellKind::Label(t) if min_size < base => Some(t.split('\n').count()),
            _ => None,
        });
        let mut size = base;
        let mut attempts: Vec<(f32, Vec<SetLine>)> = Vec::new();
        loop {
            let st = Style { faces: &faces, size, autospace: style.autospace, letter_spacing: 0.0 };
            let template = match kind {
                CellKind::Text(t) | CellKind::Label(t) if is_template(t) => Some(t.as_str()),
                _ => None,
            };
            let lines =
                set_lines(kind, style, text, &st, inner).map_err(|m| self.missing_glyph(path, source, template, m))?;
            let tall = lines.len() as f32 * size * style.line_height + style.padding[0].get() + style.padding[2].get();
            let fits = max_lines.is_none_or(|m| lines.len() <= m)
                && lines.iter().all(|l| l.width <= inner + 0.01)
                && self.row_height.is_none_or(|h| tall <= h + 0.01);
            attempts.push((size, lines));
            if fits || size <= min_size {
                break;
            }
            size = (size - SHRINK_STEP).max(min_size);
        }
        let (size, lines) = self.choose(attempts, max_lines, path);
        let circle = self.circle(kind, style, &lines);
        let chosen = |f: &str| self.scope.lookup(f).is_some() && self.shows(style);
        if circle.is_none() && matches!(kind, CellKind::Choice(f) if chosen(f)) {
            self.warnings.push(Warning::new(
                path,
                "the chosen option is broken across lines and cannot be circled; widen the cell",
            ));
        }
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

    /// The last attempt if it fits; otherwise the largest size that needs
    /// no more lines than the smallest did (the row grows rather than the
    /// text shrinking for nothing).
    fn choose(
        &mut self,
        mut attempts: Vec<(f32, Vec<SetLine>)>,
        max_lines: Option<usize>,
        path: &YamlPath,
    ) -> (f32, Vec<SetLine>) {
        let base = attempts.first().map(|a| a.0).unwrap_or(0.0);
        let fewest = attempts.last().map(|a| a.1.len()).unwrap_or(0);
        let over = max_lines.is_some_and(|m| fewest > m);
        let pick = if over {
            attempts.iter().position(|a| a.1.len() == fewest).unwrap_or(attempts.len() - 1)
        } else {
            attempts.len() - 1
        };
        let (size, lines) = attempts.swap_remove(pick);
        if over {
            let msg = format!("the text needs {fewest} lines (limit {}); the row grows", max_lines.unwrap_or(0));
            self.warnings.push(Warning::new(path, msg));
        }
        if size < base && size < SMALL_SIZE {
            self.warnings.push(Warning::new(path, format!("text shrunk to {size} pt")));
        }
        if lines.iter().any(|l| l.emergency) {
            self.warnings.push(Warning::new(
                path,
                "a line had to break where the line-breaking rules forbid it (the line is too narrow)",
            ));
        }
        (size, lines)
    }

    /// The span to circle: the chosen option of a choice cell.
    fn circle(&self, kind: &CellKind, style: &CellStyle, lines: &[SetLine]) -> Option<(usize, f32, f32)> {
        let CellKind::Choice(field) = kind else { return None };
        let Some((Value::Choice(chosen, _), _)) = self.scope.lookup(field).filter(|_| self.shows(style)) else {
            return None;
        };
        // Character offset of the chosen option in the joined text.
        let sep = style.separator.chars().count();
        let start: usize = style.options[..*chosen].iter().map(|o| o.chars().count() + sep).sum();
        let len = style.options[*chosen].chars().count();
        let mut seen = 0;
        for (i, line) in lines.iter().enumerate() {
            let n = line.glyphs.len();
            if start >= seen && start + len <= seen + n {
                let first = &line.glyphs[start - seen];
                let last = &line.glyphs[start - seen + len - 1];
                return Some((i, first.x, last.x + last.advance));
            }
            seen += n;
        }
        None
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
        let style = Style { faces: &faces, size, autospace: true, letter_spacing };
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

/// Set text the way the cell's alignment asks.
fn set_lines(
    kind: &CellKind,
    style: &CellStyle,
    text: &str,
    st: &Style,
    inner: f32,
) -> Result<Vec<SetLine>, MissingGlyph> {
    match style.align {
        Align::Stack => setter::set_stacked(text, st),
        Align::Distribute => setter::set_spread(text, st, inner, style.max_gap.get() * st.size / style.size.get()),
        align => {
            let bullets: &[String] = if matches!(kind, CellKind::Text(_)) { &style.bullets } else { &[] };
            setter::set_paragraphs(text, st, inner, &Paragraphs { bullets, justify: align == Align::Justify })
        }
    }
}
