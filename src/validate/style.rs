//! Resolving a cell's style, once: built-in defaults for its kind, then
//! the layout's `defaults.all`, then `defaults.<kind>`, then the cell
//! itself.

use crate::font::Face;
use crate::model::layout::{Align, Cell, Layout, Sides, VAlign, Visible};
use crate::units::{Mm, Pt};

use super::checked::{CellKind, CellStyle};
use super::fonts::Families;

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
        CellKind::Rows(_) => {}
    }
    c
}

/// What a cell's style falls back to beyond the cascade: the layout's
/// families, its base face and size, and the table's inner rule weight.
pub struct Context<'a> {
    pub layout: &'a Layout,
    pub families: &'a Families,
    pub face: &'static Face,
    pub inner_rule: Pt,
}

/// The resolved style of `cell`, a cell of `kind`. Every value it reads
/// was checked where it is written (sizes, ratios, font families).
pub fn resolve(kind: &CellKind, cell: &Cell, cx: &Context) -> CellStyle {
    let layout = cx.layout;
    let mut c = builtin(kind);
    if let Some(all) = layout.defaults.get("all") {
        overlay(&mut c, all);
    }
    if let Some(for_kind) = layout.defaults.get(kind.name()) {
        overlay(&mut c, for_kind);
    }
    overlay(&mut c, cell);
    let size = c.size.unwrap_or(layout.size).get();
    let pt = |v: Mm| v.to_pt();
    let padding = c.padding.map(|p| p.trbl().map(pt)).unwrap_or([Pt::default(); 4]);
    let edges = c.border.unwrap_or_default();
    CellStyle {
        face: c.font.as_deref().and_then(|f| cx.families.face(f)).unwrap_or(cx.face),
        size: Pt::from_f32(size),
        min_size: Pt::from_f32(c.min_size.map(Pt::get).unwrap_or(size).min(size)),
        max_lines: c.max_lines,
        line_height: c.line_height.unwrap_or(1.5),
        align: c.align.unwrap_or(Align::Left),
        valign: c.valign.unwrap_or(VAlign::Middle),
        max_gap: Pt::from_f32(c.max_gap.unwrap_or(2.0) * size),
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
        border: [edges.top, edges.right, edges.bottom, edges.left].map(|e| e.unwrap_or(cx.inner_rule)),
        shade: c.shade,
        min_height: c.min_height.map(pt).unwrap_or_default(),
        blank_lines: c.blank_lines.unwrap_or(0),
        writing_pitch: pt(c.writing_pitch.unwrap_or(Mm::from_f32(9.0))),
        options: c.options.clone().unwrap_or_default(),
        by_year: c.by_year.unwrap_or(false),
        final_suffix: c.final_suffix.clone(),
        visible: c.visible.unwrap_or(Visible::Always),
        composition: layout.composition,
    }
}
