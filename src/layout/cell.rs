//! Building cells: each cell's value is formatted for its kind and set into
//! lines at the cell's width, shrinking within the layout's limits.

use crate::error::{Error, Result};
use crate::model::layout::{Align, Cell, Layout, Row};
use crate::source::Source;
use crate::text::era::{current_era, era_of_date, era_of_fiscal_year};
use crate::text::numerals::{format_digits, format_grouped};
use crate::text::setter::{self, MissingGlyph, Paragraphs, SetLine, Style};
use crate::validate::{CellKind, Value, Values};

use super::fonts::FontBook;
use super::style::{mm, resolve, CellStyle};
use super::{CellBox, Content, RowBox, TextBox};

/// What building cells needs: the layout, the values, the fonts, and the
/// sources to point errors into.
pub struct Builder<'a> {
    pub layout: &'a Layout,
    pub layout_src: &'a Source,
    /// `None` for a blank form.
    pub data_src: Option<&'a Source>,
    pub values: &'a Values,
    pub fonts: &'a mut FontBook,
    pub warnings: &'a mut Vec<String>,
    /// The table's inner rule weight, for edges a cell does not set.
    pub inner_rule: f32,
}

/// Shrinking steps, in points (`japanese-composition.md` §7).
const SHRINK_STEP: f32 = 0.5;

/// Sizes below this are reported (§7: report any cell below 8 pt).
const SMALL_SIZE: f32 = 8.0;

impl Builder<'_> {
    /// Build rows `rows` of a table `width` points wide; `path` is where
    /// they stand in the layout file.
    pub fn rows(&mut self, rows: &[Row], width: f32, path: &str) -> Result<Vec<RowBox>> {
        rows.iter()
            .enumerate()
            .map(|(r, row)| self.row(row, width, &format!("{path}[{r}]")))
            .collect()
    }

    fn row(&mut self, row: &Row, width: f32, path: &str) -> Result<RowBox> {
        let widths = self.cell_widths(row, width, path)?;
        let mut cells = Vec::with_capacity(row.cells.len());
        for (c, (cell, w)) in row.cells.iter().zip(widths).enumerate() {
            cells.push(self.cell(cell, w, &format!("{path}.cells[{c}]"))?);
        }
        Ok(RowBox {
            cells,
            min_height: mm(row.min_height.unwrap_or(0.0)),
            splittable: row.split.unwrap_or(true),
            path: path.to_string(),
        })
    }

    /// Widths in points: given ones as they are, the rest share what is
    /// left equally.
    fn cell_widths(&self, row: &Row, width: f32, path: &str) -> Result<Vec<f32>> {
        let fixed: f32 = row.cells.iter().filter_map(|c| c.width).map(mm).sum();
        let free = row.cells.iter().filter(|c| c.width.is_none()).count();
        let rest = width - fixed;
        if rest < -0.5 || (free > 0 && rest < 1.0) {
            let msg = format!(
                "the cells are {:.1} mm wide but the table is {:.1} mm",
                fixed * 25.4 / 72.0,
                width * 25.4 / 72.0
            );
            return Err(self
                .layout_src
                .error_at(&format!("{path}.cells"), msg)
                .with_help("make the cells narrower or the table wider"));
        }
        let share = if free > 0 { rest / free as f32 } else { 0.0 };
        let mut widths: Vec<f32> = row
            .cells
            .iter()
            .map(|c| c.width.map(mm).unwrap_or(share))
            .collect();
        // Without a free cell, the last cell absorbs rounding so the row
        // meets the table's right edge exactly.
        if free == 0 {
            if let Some(last) = widths.last_mut() {
                *last += rest;
            }
        }
        Ok(widths)
    }

    fn cell(&mut self, cell: &Cell, width: f32, path: &str) -> Result<CellBox> {
        let kind = CellKind::of(cell).map_err(|m| self.layout_src.error_at(path, m))?;
        let style = resolve(&kind, cell, self.layout);
        let edges = style.border.map(|e| e.unwrap_or(self.inner_rule));
        let mut cell_box = CellBox {
            width,
            content: Content::Rows(Vec::new()),
            padding: style.padding,
            edges,
            shade: style.shade,
            min_height: style.min_height,
            repeat: style.repeat,
            continued: None,
            path: path.to_string(),
        };
        if let Some(rows) = &cell.rows {
            cell_box.content = Content::Rows(self.rows(rows, width, &format!("{path}.rows"))?);
            cell_box.padding = [0.0; 4];
            return Ok(cell_box);
        }
        let inner = width - style.padding[1] - style.padding[3];
        let text = self.content_text(&kind, &style);
        let blank = kind.field().is_some_and(|f| !self.values.contains_key(f));
        cell_box.content = Content::Text(self.set(&kind, &style, &text, inner, path)?);
        if blank && style.blank_lines > 0 {
            cell_box.min_height = cell_box
                .min_height
                .max(style.blank_lines as f32 * style.writing_pitch);
        }
        if let (Some(marker), true) = (&style.continued, style.repeat) {
            cell_box.continued =
                Some(self.set(&kind, &style, &format!("{text}{marker}"), inner, path)?);
        }
        Ok(cell_box)
    }

    /// The text a cell prints: its label, or its value formatted for its
    /// kind (what a blank form pre-prints when there is no value).
    fn content_text(&self, kind: &CellKind, style: &CellStyle) -> String {
        let value = kind.field().and_then(|f| self.values.get(f));
        let digits = |s: &str| format_digits(s, style.digits);
        match (kind, value) {
            (CellKind::Label(text), _) => text.clone(),
            (CellKind::Text(_), Some(Value::Text(t))) => t.clone(),
            (CellKind::Amount(_), Some(Value::Integer(n))) => {
                format!(
                    "{}{}{}",
                    style.prefix,
                    format_grouped(*n, style.digits),
                    style.suffix
                )
            }
            (CellKind::Number(_), Some(Value::Integer(n))) => {
                format!("{}{}{}", style.prefix, digits(&n.to_string()), style.suffix)
            }
            (CellKind::Amount(_) | CellKind::Number(_), None) => style.suffix.clone(),
            (CellKind::Choice(_), _) => self.options(kind).join(&style.separator),
            (CellKind::FiscalYear(_), Some(Value::Year(y))) => match era_of_fiscal_year(*y) {
                Some(era) => digits(&format!("{}年度", era.label(style.gannen))),
                None => digits(&format!("{y}年度")),
            },
            (CellKind::FiscalYear(_), None) => format!("{}　　年度", current_era().name),
            (CellKind::Date(_), Some(Value::Date(d))) => match era_of_date(*d) {
                Some(era) => digits(&format!(
                    "{}年{}月{}日",
                    era.label(style.gannen),
                    d.format("%-m"),
                    d.format("%-d")
                )),
                None => d.format("%Y-%m-%d").to_string(),
            },
            (CellKind::Date(_), None) => format!("{}　　年　　月　　日", current_era().name),
            _ => String::new(),
        }
    }

    fn options(&self, kind: &CellKind) -> Vec<String> {
        let Some(field) = kind.field() else {
            return Vec::new();
        };
        crate::validate::cells(self.layout)
            .into_iter()
            .find(|(_, c)| c.choice.as_deref() == Some(field))
            .and_then(|(_, c)| c.options.clone())
            .unwrap_or_default()
    }

    /// Set `text` for a cell of `kind`, shrinking in steps down to the
    /// style's minimum size while it needs more than `max_lines` lines.
    fn set(
        &mut self,
        kind: &CellKind,
        style: &CellStyle,
        text: &str,
        inner: f32,
        path: &str,
    ) -> Result<TextBox> {
        let faces = self.fonts.faces(&style.family);
        let max_lines = style.max_lines.map(|m| m as usize).or_else(|| match kind {
            CellKind::Label(t) if style.min_size < style.size => Some(t.split('\n').count()),
            _ => None,
        });
        let mut size = style.size;
        let mut attempts: Vec<(f32, Vec<SetLine>)> = Vec::new();
        loop {
            let st = Style {
                faces: &faces,
                size,
                autospace: style.autospace,
                letter_spacing: 0.0,
            };
            let lines = set_lines(kind, style, text, &st, inner)
                .map_err(|m| self.missing_glyph(kind, path, m))?;
            let fits = max_lines.is_none_or(|m| lines.len() <= m)
                && lines.iter().all(|l| l.width <= inner + 0.01);
            attempts.push((size, lines));
            if fits || size <= style.min_size {
                break;
            }
            size = (size - SHRINK_STEP).max(style.min_size);
        }
        let (size, lines) = self.choose(attempts, max_lines, path);
        let circle = self.circle(kind, style, &lines);
        Ok(TextBox {
            pitch: size * style.line_height,
            size,
            align: style.align,
            valign: style.valign,
            stack_gap: (style.align == Align::Stack).then_some(style.max_gap),
            splittable: matches!(kind, CellKind::Text(_)),
            circle,
            lines,
        })
    }

    /// The last attempt if it fits; otherwise the largest size that needs
    /// no more lines than the smallest did (the row grows rather than the
    /// text shrinking for nothing).
    fn choose(
        &mut self,
        mut attempts: Vec<(f32, Vec<SetLine>)>,
        max_lines: Option<usize>,
        path: &str,
    ) -> (f32, Vec<SetLine>) {
        let fewest = attempts.last().map(|a| a.1.len()).unwrap_or(0);
        let over = max_lines.is_some_and(|m| fewest > m);
        let pick = if over {
            attempts
                .iter()
                .position(|a| a.1.len() == fewest)
                .unwrap_or(attempts.len() - 1)
        } else {
            attempts.len() - 1
        };
        let (size, lines) = attempts.swap_remove(pick);
        if over {
            self.warnings.push(format!(
                "{path}: the text needs {fewest} lines (limit {}); the row grows",
                max_lines.unwrap_or(0)
            ));
        }
        if size < SMALL_SIZE {
            self.warnings
                .push(format!("{path}: text shrunk to {size} pt"));
        }
        if lines.iter().any(|l| l.emergency) {
            self.warnings.push(format!("{path}: a line had to break where the line-breaking rules forbid it (the line is too narrow)"));
        }
        (size, lines)
    }

    /// The span to circle: the chosen option of a choice cell.
    fn circle(
        &self,
        kind: &CellKind,
        style: &CellStyle,
        lines: &[SetLine],
    ) -> Option<(usize, f32, f32)> {
        let CellKind::Choice(field) = kind else {
            return None;
        };
        let Some(Value::Choice(chosen)) = self.values.get(field) else {
            return None;
        };
        let options = self.options(kind);
        // Character offset of the chosen option in the joined text.
        let sep = style.separator.chars().count();
        let start: usize = options[..*chosen]
            .iter()
            .map(|o| o.chars().count() + sep)
            .sum();
        let len = options[*chosen].chars().count();
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
    fn missing_glyph(&self, kind: &CellKind, path: &str, m: MissingGlyph) -> Error {
        let message = format!("no font has a glyph for U+{:04X} {}", m.ch as u32, m.ch);
        let help = "remove or replace the character, or name a font that has it under `fallback:` in the layout";
        let err = match (kind.field(), self.data_src) {
            (Some(field), Some(src)) => char_error(src, &format!("fields.{field}"), m.ch, message),
            _ => char_error(self.layout_src, path, m.ch, message),
        };
        err.with_help(help)
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
        Align::Distribute => {
            setter::set_spread(text, st, inner, style.max_gap * st.size / style.size)
        }
        align => {
            let bullets: &[String] = if matches!(kind, CellKind::Text(_)) {
                &style.bullets
            } else {
                &[]
            };
            setter::set_paragraphs(
                text,
                st,
                inner,
                &Paragraphs {
                    bullets,
                    justify: align == Align::Justify,
                },
            )
        }
    }
}

/// An error located at the first occurrence of `ch` at or after the field
/// at `path` (falling back to the field itself).
pub fn char_error(src: &Source, path: &str, ch: char, message: String) -> Error {
    let err = Error::input(message).in_file(&src.path).at_field(path);
    let Some((line, col)) = src.locate(path) else {
        return err;
    };
    let from: usize = src
        .text
        .lines()
        .take(line - 1)
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let at = src.text[from.min(src.text.len())..]
        .find(ch)
        .map(|i| from + i);
    match at {
        Some(i) => {
            let line = src.text[..i].matches('\n').count() + 1;
            let line_start = src.text[..i].rfind('\n').map(|p| p + 1).unwrap_or(0);
            let col = src.text[line_start..i].chars().count() + 1;
            err.at_position(&src.text, line, col)
        }
        None => err.at_position(&src.text, line, col),
    }
}
