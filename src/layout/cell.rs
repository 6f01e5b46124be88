//! Building cells: the walk over a checked layout's rows and cells. Each
//! cell's value is asked of the [`Scope`] (through the `for_each`
//! elements), formatted for its kind ([`crate::text::format`]) and set
//! into lines at the cell's width ([`super::fit`]); a choice gets its
//! circle ([`super::choice`]); series and year headings become one box per
//! column.

use crate::error::{non_printing, Error, Result};
use crate::eval::template::is_template;
use crate::eval::{Element, Expression, Scope, SeriesItem, Value};
use crate::expr::{Printer, Val};
use crate::path::YamlPath;
use crate::text::format;
use crate::text::numerals::format_decimal;
use crate::text::setter::{self, MissingGlyph, Paragraphs, Style};
use crate::units::Pt;
use crate::validate::checked::{
    Align, Cell, CellKind, CellStyle, Row, StyleRule, TextBlock, VAlign, Visible, YearFormat,
};

use super::fit::{self, Attempt, Room};
use super::fonts::FontBook;
use super::{blame, boxes, cell_error, choice, CellBox, Content, Lines, RowBox, TextBox, Warning};

/// A character for a message: its code, and the character itself when it
/// shows (a control character or a variation selector does not: echoed,
/// it would only repeat its code or show nothing).
fn char_name(c: char) -> String {
    if non_printing(c) || setter::is_variation_selector(c) {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} {c}", c as u32)
    }
}

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
    /// The row's conditional styles that hold (applied to each of its
    /// cells, before the cell's own).
    row_styles: Vec<&'a StyleRule>,
    /// Does the cell being built show its value ([`Builder::shows`])?
    shown: bool,
    /// Texts already set in this document.
    memo: fit::Memo,
}

impl<'a> Builder<'a> {
    pub fn new(scope: Scope<'a>, fonts: FontBook) -> Builder<'a> {
        Builder {
            scope,
            fonts,
            warnings: Vec::new(),
            row_height: None,
            row_styles: Vec::new(),
            shown: true,
            memo: fit::Memo::default(),
        }
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
            match &row.each {
                None if self.includes(row.when.as_ref())? => out.push(self.row(row)?),
                None => {}
                Some(each) => {
                    for element in self.scope.each(each, row.blank_rows)? {
                        let built = self.within(element, |b| match b.includes(row.when.as_ref()) {
                            Ok(true) => b.row(row).map(Some),
                            Ok(false) => Ok(None),
                            Err(e) => Err(e),
                        })?;
                        out.extend(built);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Is a row or block with this `when:` included here? On a blank form
    /// everything is (it is filled in by hand).
    pub fn includes(&self, when: Option<&Expression>) -> Result<bool> {
        match when {
            Some(e) if !self.scope.is_blank() => self.scope.test(e),
            _ => Ok(true),
        }
    }

    /// The conditional styles of `rules` that hold here (none on a blank
    /// form).
    fn active(&self, rules: &'a [StyleRule]) -> Result<Vec<&'a StyleRule>> {
        if self.scope.is_blank() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for rule in rules {
            if self.scope.test(&rule.when)? {
                out.push(rule);
            }
        }
        Ok(out)
    }

    fn row(&mut self, row: &'a Row) -> Result<RowBox> {
        let mut cells = Vec::with_capacity(row.cells.len());
        let styles = self.active(&row.styles)?;
        let outer_styles = std::mem::replace(&mut self.row_styles, styles);
        let outer = std::mem::replace(&mut self.row_height, row.height.map(Pt::get));
        let built: Result<()> = row.cells.iter().try_for_each(|cell| {
            cells.extend(self.cell(cell)?);
            Ok(())
        });
        // The outer row's settings are back, whether the cells built or not.
        self.row_styles = outer_styles;
        let fixed = std::mem::replace(&mut self.row_height, outer);
        built?;
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
            keep: row.keep_together,
        })
    }

    /// The cell boxes of one layout cell: one, or one per value of a
    /// series or year of a period.
    fn cell(&mut self, cell: &'a Cell) -> Result<Vec<CellBox>> {
        let row_styles = self.row_styles.clone();
        let own = self.active(&cell.expressions.styles)?;
        self.shown = self.shows(cell)?;
        let mut boxes = self.cell_boxes(cell)?;
        for rule in row_styles.into_iter().chain(own) {
            for b in &mut boxes {
                if let Some(shade) = rule.shade {
                    b.shade = Some(shade);
                }
                for (edge, weight) in b.edges.iter_mut().zip(rule.border) {
                    if let Some(w) = weight {
                        *edge = w.get();
                    }
                }
            }
        }
        Ok(boxes)
    }

    fn cell_boxes(&mut self, cell: &'a Cell) -> Result<Vec<CellBox>> {
        let (style, width, path) = (&cell.style, cell.width.get(), &cell.path);
        match &cell.kind {
            CellKind::Rows(rows) => {
                // Sub-rows have their own styles; the frame takes the row's.
                let outer = std::mem::take(&mut self.row_styles);
                let rows = self.rows(rows);
                self.row_styles = outer;
                let rows = rows?;
                let rows = rows.into_iter().map(std::rc::Rc::new).collect();
                let mut frame = self.frame(style, width, path, Content::Rows(rows));
                frame.padding = [0.0; 4];
                Ok(vec![frame])
            }
            CellKind::Series(field) => self.series(field, cell.span, style, width, cell.columns.as_deref(), path),
            CellKind::YearLabels(format) => self.year_labels(*format, cell, width),
            CellKind::Boxes(_) => Ok(vec![self.boxes(cell)?]),
            kind => {
                let (text, blank, source) = self.content_text(cell)?;
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
        let found = self.scope.lookup(field).filter(|_| self.shown);
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
    fn year_labels(&mut self, format: YearFormat, cell: &Cell, width: f32) -> Result<Vec<CellBox>> {
        let (len, style, cols, path) = (cell.span, &cell.style, cell.columns.as_deref(), &cell.path);
        // Validation saw to it that the period has a year per column.
        let report = self.scope.report();
        let years: Vec<Option<i32>> = (0..len).map(|i| report.period.map(|(from, _)| from + i as i32)).collect();
        let mut out = Vec::with_capacity(len);
        for (i, year) in years.into_iter().enumerate() {
            let mut text = year.map(|y| format::year_heading(y, format == YearFormat::Short)).unwrap_or_default();
            if let (Some(y), Some(suffix)) = (year, &style.final_suffix) {
                let last = report.period.is_some_and(|(_, to)| y == to);
                match &cell.expressions.final_suffix {
                    Some(t) if last && report.is_final() && self.scope.filled_template(t) => {
                        text.push_str(&self.scope.render(t, &style.printer())?);
                    }
                    None if last && report.is_final() => text.push_str(suffix),
                    _ => {}
                }
            }
            let w = cols.map(|c| c[i].get()).unwrap_or(width / len as f32);
            out.push(self.text_cell(&CellKind::Label(text.clone()), style, &text, false, None, w, path)?);
        }
        Ok(out)
    }

    /// Does this cell show its value here: in this report (`visible:
    /// final_year`), and where its `visible: { when }` holds (on a blank
    /// form there is no value to show anyway)?
    fn shows(&self, cell: &Cell) -> Result<bool> {
        let style = &cell.style;
        if style.visible != Visible::Always && !self.scope.report().is_final() {
            return Ok(false);
        }
        match &cell.expressions.visible {
            Some(when) if !self.scope.is_blank() => self.scope.test(when),
            _ => Ok(true),
        }
    }

    /// The text a cell prints (its label, or its value formatted for its
    /// kind, or what a blank form pre-prints), whether it is blank, and
    /// the data path of the value.
    fn content_text(&self, cell: &Cell) -> Result<(String, bool, Option<YamlPath>)> {
        let (kind, style, shown) = (&cell.kind, &cell.style, self.shown);
        let found = kind.field().and_then(|(f, _)| self.scope.lookup(f)).filter(|_| shown);
        let (value, source) = match found {
            Some((v, path)) => (Some(v), Some(path)),
            None => (None, None),
        };
        let (prefix, suffix, digits) = (&style.prefix, &style.suffix, style.digits);
        let blank_text = |default: String| style.blank.clone().unwrap_or(default);
        let text = match (kind, value) {
            (CellKind::Label(_), _) if self.scope.is_blank() && style.blank.is_some() => blank_text(String::new()),
            // A label with `visible: { when }` shows only where it holds.
            (CellKind::Label(_), _) if !shown && cell.expressions.visible.is_some() => String::new(),
            (CellKind::Label(text), _) => match &cell.expressions.template {
                Some(t) => self.scope.render(t, &style.printer())?,
                None => text.clone(),
            },
            (CellKind::Text(t), _) if is_template(t) => {
                let Some(template) = &cell.expressions.template else { unreachable!("templates are compiled") };
                let text = if shown { self.scope.render(template, &style.printer())? } else { String::new() };
                let blank = text.trim().is_empty();
                // A blank form pre-prints the cell's `blank:` (`令和　　年　　月　　日（　）`).
                let text = if (blank || self.scope.is_blank()) && style.blank.is_some() {
                    blank_text(String::new())
                } else {
                    text
                };
                return Ok((text, blank, self.scope.template_source(template)));
            }
            (CellKind::Value(e), _) => return self.value_text(e, style, shown),
            (CellKind::Text(_), Some(Value::Text(t) | Value::Choice(_, t))) => t.clone(),
            (CellKind::Amount(_) | CellKind::Number(_), Some(Value::Number(n))) => {
                format!("{prefix}{}{suffix}", format_decimal(*n, &style.number_format()))
            }
            (CellKind::Amount(_) | CellKind::Number(_), None) => blank_text(suffix.clone()),
            (CellKind::Choice(_), _) => style.options.join(&style.separator),
            (CellKind::FiscalYear(_), Some(Value::Year(y))) => format::fiscal_year(*y, style.gannen, digits),
            (CellKind::FiscalYear(_), None) => blank_text(format::blank_fiscal_year()),
            (CellKind::Date(_), Some(Value::Date(d))) => format::date(*d, style.gannen, digits),
            (CellKind::Date(_), None) => blank_text(format::blank_date()),
            (CellKind::Text(_), None) => blank_text(String::new()),
            (CellKind::Boxes(_), _) if cell.expressions.boxes.is_some() => self.boxed_value(cell, shown)?,
            (CellKind::Boxes(_), Some(Value::Number(n))) => boxes::boxed_number(*n, prefix, digits),
            (CellKind::Boxes(_), Some(Value::Text(t))) => boxes::boxed_text(t, prefix, digits),
            _ => String::new(),
        };
        Ok((text, kind.field().is_some() && value.is_none(), source))
    }

    /// A `boxes` cell whose value is computed (`boxes: total`, a `compute:`
    /// value): numbers ungrouped with the accounting sign, anything else
    /// as it prints; nothing on a blank form (the boxes stay empty).
    fn boxed_value(&self, cell: &Cell, shown: bool) -> Result<String> {
        let Some(e) = &cell.expressions.boxes else { return Ok(String::new()) };
        let style = &cell.style;
        Ok(match self.computed(e, shown)? {
            Val::Blank => String::new(),
            Val::Number(n) => boxes::boxed_number(n, &style.prefix, style.digits),
            Val::Int(n) => boxes::boxed_number(n.into(), &style.prefix, style.digits),
            other => boxes::boxed_text(&printed(style, e, &other)?, &style.prefix, style.digits),
        })
    }

    /// A `value:` cell: the expression's value printed by its type with
    /// the cell's settings, between `prefix` and `suffix`. A blank value
    /// (and every value on a blank form, where nothing is computed) prints
    /// the cell's `blank:`, else just the prefix and suffix.
    fn value_text(&self, e: &Expression, style: &CellStyle, shown: bool) -> Result<(String, bool, Option<YamlPath>)> {
        let value = self.computed(e, shown)?;
        if value.is_blank() {
            let text = style.blank.clone().unwrap_or_else(|| format!("{}{}", style.prefix, style.suffix));
            return Ok((text, true, None));
        }
        let printed = printed(style, e, &value)?;
        // A value read straight from a data field points errors there.
        let source = e.expr.as_name().and_then(|n| self.scope.lookup(n)).map(|(_, p)| p);
        Ok((format!("{}{printed}{}", style.prefix, style.suffix), false, source))
    }

    /// The value of a computed cell's expression: blank on a blank form
    /// (nothing is computed there) and where the cell does not show.
    fn computed(&self, e: &Expression, shown: bool) -> Result<Val> {
        if self.scope.is_blank() || !shown {
            return Ok(Val::Blank);
        }
        self.scope.value(e)
    }

    /// Set `text` for a cell of `kind`, shrinking within the style's
    /// limits ([`fit::fit`], through the document's [`fit::Memo`]); circle
    /// the chosen option of a choice.
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
        let (Attempt { size, lines }, warnings) = self
            .memo
            .fit(&fit::Setting { text, style, faces: &faces, bullets, room })
            .map_err(|m| self.missing_glyph(path, source, kind.template(), m))?;
        self.warnings.extend(warnings.into_iter().map(|w| Warning::new(path, w)));
        let circle = match self.chosen(kind) {
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
    fn chosen(&self, kind: &CellKind) -> Option<usize> {
        let CellKind::Choice(field) = kind else { return None };
        match self.scope.lookup(field).filter(|_| self.shown) {
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
        let (message, help, at) = match m.selector {
            Some(vs) => (
                format!("no font has the form of {} that U+{:04X} selects", char_name(m.ch), vs as u32),
                format!(
                    "remove the variation selector U+{:04X} for the usual form, or name a font that has this \
                     form under `fallback:` in the layout",
                    vs as u32
                ),
                vs,
            ),
            None => (
                format!("no font has a glyph for {}", char_name(m.ch)),
                "remove or replace the character, or name a font that has it under `fallback:` in the layout".into(),
                m.ch,
            ),
        };
        let through = template.and_then(|t| self.scope.field_holding(t, at));
        let source = through.as_ref().or(if template.is_some() { None } else { source });
        Error::input(message).at(blame(path, source).char(at)).with_help(help)
    }

    /// Set the text of a free block (a caption, a title, a note) at
    /// `width`, with its `{placeholders}` filled in.
    pub fn text_block(&mut self, block: &TextBlock, width: f32) -> Result<TextBox> {
        let text = &block.text;
        let size = block.size.get();
        let faces = self.fonts.faces(block.face);
        let letter_spacing = block.letter_spacing * size;
        let style = Style { faces: &faces, size, autospace: true, letter_spacing, composition: block.composition };
        let expanded = match (&block.blank, &block.template) {
            (Some(blank), _) if self.scope.is_blank() => blank.clone(),
            (_, Some(template)) => self.scope.render(template, &Printer::default())?,
            (_, None) => text.clone(),
        };
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

    /// A `boxes` cell (マス目): its text, made like any cell's
    /// ([`Builder::content_text`]: the field's value with the `prefix`),
    /// set one character per box ([`boxes::set`]). A blank form, or a
    /// blank field, draws the empty boxes.
    fn boxes(&mut self, cell: &Cell) -> Result<CellBox> {
        let (style, width, path) = (&cell.style, cell.width.get(), &cell.path);
        let (text, _, source) = self.content_text(cell)?;
        let faces = self.fonts.faces(style.face);
        let grid = boxes::Grid {
            count: style.count,
            width,
            align: style.align,
            rule: style.box_rule.get(),
            group_rule: style.group_rule.map(Pt::get),
        };
        let ty = boxes::Type {
            faces: &faces,
            size: style.size.get(),
            min_size: style.min_size.get(),
            composition: style.composition,
        };
        let set = boxes::set(&text, &grid, &ty).map_err(|misfit| {
            let help = match &misfit {
                boxes::Misfit::TooMany { need, .. } if style.prefix.is_empty() => {
                    format!("the cell has `count: {}`: give it {need} boxes, or check the value", style.count)
                }
                boxes::Misfit::TooMany { need, .. } => format!(
                    "the prefix `{}` takes a box too; the cell has `count: {}`: give it {need} boxes, or check the value",
                    style.prefix, style.count
                ),
                boxes::Misfit::TooWide { .. } => "widen the cell, give it fewer boxes, or a smaller `size`".to_string(),
                boxes::Misfit::Control(_) => "write the value on one line".to_string(),
                boxes::Misfit::Missing(_) => {
                    "remove or replace the character, or name a font that has it under `fallback:` in the layout"
                        .to_string()
                }
            };
            let message = misfit.message(&text);
            match misfit {
                boxes::Misfit::Missing(m) => {
                    Error::input(message).at(blame(path, source.as_ref()).char(m.ch)).with_help(help)
                }
                _ => cell_error(path, source.as_ref(), message).with_help(help),
            }
        })?;
        let pitch = set.size * style.line_height;
        let text_box = TextBox {
            lines: Lines::new(set.line.into_iter().collect()),
            pitch,
            size: set.size,
            align: Align::Left,
            valign: style.valign,
            stack_gap: None,
            splittable: false,
            circle: None,
        };
        let pads = style.padding[0].get() + style.padding[2].get();
        let content = Content::Boxes(boxes::BoxesBox { text: text_box, dividers: set.dividers });
        let mut frame = self.frame(style, width, path, content);
        // Empty boxes are as tall as filled ones.
        frame.min_height = frame.min_height.max(pitch + pads);
        frame.padding = [style.padding[0].get(), 0.0, style.padding[2].get(), 0.0];
        frame.source = source;
        Ok(frame)
    }
}

/// `value` as the cell prints it: numbers with its places, sign, digits
/// and grouping; dates, months and fiscal years in 和暦; text as it is. A
/// value the cell cannot print is an error at the expression.
fn printed(style: &CellStyle, e: &Expression, value: &Val) -> Result<String> {
    style.printer().print(value).map_err(|m| Error::input(m).at(crate::error::Site::layout(e.path.clone())))
}
