//! Resolving a cell's style: built-in defaults for its kind, then the
//! layout's `defaults.all`, then `defaults.<kind>`, then the cell itself.

use crate::model::layout::{Align, Cell, Layout, Sides, VAlign, Visible};
use crate::text::numerals::Digits;
use crate::units::{Mm, Pt};
use crate::validate::CellKind;

/// Everything needed to set and draw a cell, lengths in points.
#[derive(Debug, Clone)]
pub struct CellStyle {
    pub family: String,
    pub size: f32,
    pub min_size: f32,
    pub max_lines: Option<u32>,
    /// Line pitch as a multiple of the size.
    pub line_height: f32,
    pub align: Align,
    pub valign: VAlign,
    /// Largest gap between spread characters, in points.
    pub max_gap: f32,
    pub autospace: bool,
    pub bullets: Vec<String>,
    pub digits: Digits,
    pub prefix: String,
    pub suffix: String,
    pub separator: String,
    pub options: Vec<String>,
    pub gannen: bool,
    pub repeat: bool,
    pub continued: Option<String>,
    /// `[top, right, bottom, left]`.
    pub padding: [f32; 4],
    /// Edge weights `[top, right, bottom, left]`; `None` takes the table's.
    pub border: [Option<f32>; 4],
    pub shade: Option<f32>,
    pub min_height: f32,
    pub blank_lines: u32,
    pub writing_pitch: f32,
    pub by_year: bool,
    pub final_suffix: Option<String>,
    pub visible: Visible,
}

/// Copy every style key set in `top` over `base` (content keys and width
/// are not style and are left alone).
fn overlay(base: &mut Cell, top: &Cell) {
    macro_rules! take {
        ($($field:ident),*) => { $( if top.$field.is_some() { base.$field = top.$field.clone(); } )* };
    }
    take!(
        min_height,
        blank_lines,
        writing_pitch,
        padding,
        border,
        shade,
        font,
        size,
        min_size,
        max_lines,
        line_height,
        align,
        valign,
        max_gap,
        autospace,
        bullets,
        digits,
        prefix,
        suffix,
        options,
        separator,
        gannen,
        repeat,
        continued,
        by_year,
        final_suffix,
        visible
    );
}

/// The built-in defaults of a cell kind.
fn builtin(kind: &CellKind) -> Cell {
    let mut c = Cell { padding: Some(Sides::Pair([Mm::from_f32(1.0), Mm::from_f32(1.5)])), ..Cell::default() };
    match kind {
        CellKind::Label(_) => {
            c.align = Some(Align::Distribute);
            c.valign = Some(VAlign::Middle);
            c.repeat = Some(true);
            c.line_height = Some(1.25);
        }
        CellKind::Text(_) | CellKind::Series(_) => {
            c.align = Some(Align::Justify);
            c.valign = Some(VAlign::Top);
            c.autospace = Some(true);
        }
        CellKind::Amount(_) => {
            c.align = Some(Align::Right);
            c.max_lines = Some(1);
        }
        CellKind::YearLabels(_) => c.align = Some(Align::Center),
        CellKind::Number(_) | CellKind::Choice(_) | CellKind::FiscalYear(_) | CellKind::Date(_) => {
            c.align = Some(Align::Center);
            c.max_lines = Some(1);
        }
        CellKind::Rows => {}
    }
    c
}

/// The resolved style of `cell`, a cell of `kind` in `layout`.
pub fn resolve(kind: &CellKind, cell: &Cell, layout: &Layout) -> CellStyle {
    let mut c = builtin(kind);
    if let Some(all) = layout.defaults.get("all") {
        overlay(&mut c, all);
    }
    if let Some(for_kind) = layout.defaults.get(kind.name()) {
        overlay(&mut c, for_kind);
    }
    overlay(&mut c, cell);
    let size = c.size.unwrap_or(layout.size).get();
    let pt = |v: Mm| v.to_pt().get();
    let padding = c.padding.map(|p| p.trbl().map(pt)).unwrap_or([0.0; 4]);
    let edges = c.border.unwrap_or_default();
    CellStyle {
        family: c.font.clone().unwrap_or_else(|| layout.font.clone()),
        size,
        min_size: c.min_size.map(Pt::get).unwrap_or(size).min(size),
        max_lines: c.max_lines,
        line_height: c.line_height.unwrap_or(1.5),
        align: c.align.unwrap_or(Align::Left),
        valign: c.valign.unwrap_or(VAlign::Middle),
        max_gap: c.max_gap.unwrap_or(2.0) * size,
        autospace: c.autospace.unwrap_or(false),
        bullets: c
            .bullets
            .clone()
            .unwrap_or_else(|| ["・", "○", "●", "◯", "◎", "■", "□", "◆", "◇", "※"].map(String::from).to_vec()),
        digits: c.digits.unwrap_or_default(),
        prefix: c.prefix.clone().unwrap_or_default(),
        suffix: c.suffix.clone().unwrap_or_default(),
        separator: c.separator.clone().unwrap_or_else(|| "　・　".to_string()),
        gannen: c.gannen.unwrap_or(true),
        repeat: c.repeat.unwrap_or(false),
        continued: c.continued.clone(),
        padding,
        border: [edges.top, edges.right, edges.bottom, edges.left].map(|e| e.map(Pt::get)),
        shade: c.shade,
        min_height: c.min_height.map(pt).unwrap_or(0.0),
        blank_lines: c.blank_lines.unwrap_or(0),
        writing_pitch: pt(c.writing_pitch.unwrap_or(Mm::from_f32(9.0))),
        options: c.options.clone().unwrap_or_default(),
        by_year: c.by_year.unwrap_or(false),
        final_suffix: c.final_suffix.clone(),
        visible: c.visible.unwrap_or(Visible::Always),
    }
}
