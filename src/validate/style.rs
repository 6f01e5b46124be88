//! Resolving a cell's style, once: built-in defaults for its kind, then
//! the layout's `defaults.all`, then `defaults.<kind>`, then the cell
//! itself.

use crate::error::{Error, Result};
use crate::font::Face;
use crate::model::layout::{Align, Cell, Layout, Sides, VAlign, Visible, VisibleSpec};
use crate::path::YamlPath;
use crate::text::numerals::Sign;
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
        visible,
        count,
        group_rule,
        places,
        sign,
        grouping,
        blank
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
            // △ and thousands separators: the custom of budget tables.
            c.sign = Some(Sign::Triangle);
            c.grouping = Some(true);
        }
        CellKind::Value(_) => c.align = Some(Align::Center),
        CellKind::YearLabels(_) => c.align = Some(Align::Center),
        CellKind::Number(_) | CellKind::Choice(_) | CellKind::FiscalYear(_) | CellKind::Date(_) => {
            c.align = Some(Align::Center);
            c.max_lines = Some(1);
        }
        CellKind::Rows(_) => {}
        // マス目: filled from the right (the ones digit in the last box);
        // the boxes take the cell's whole width, so no side padding.
        CellKind::Boxes(_) => {
            c.align = Some(Align::Right);
            c.max_lines = Some(1);
            c.padding = Some(Sides::Pair([Mm::from_f32(1.0), Mm::from_f32(0.0)]));
        }
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

/// The bullets a cell hangs its continuation lines under when it names
/// none (`bullets:`); also what a data file's folded text is checked for.
pub fn default_bullets() -> Vec<String> {
    ["・", "○", "●", "◯", "◎", "■", "□", "◆", "◇", "※"].map(String::from).to_vec()
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
        bullets: c.bullets.clone().unwrap_or_else(default_bullets),
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
        visible: match &c.visible {
            Some(VisibleSpec::Mode(mode)) => *mode,
            // A condition is evaluated per cell (`CellExpressions::visible`).
            Some(VisibleSpec::When { .. }) | None => Visible::Always,
        },
        composition: layout.composition,
        count: c.count.unwrap_or(0) as usize,
        box_rule: cx.inner_rule,
        group_rule: c.group_rule,
        places: c.places,
        sign: c.sign.unwrap_or_default(),
        grouping: c.grouping.unwrap_or(false),
        blank: c.blank.clone(),
    }
}

/// A cell's `min_size` is at most its `size`, wherever in the cascade
/// (the layout, `defaults.all`, `defaults.<kind>`, the cell) each is
/// given: a minimum above the size would be ignored without a word.
pub fn check_sizes(kind: &CellKind, cell: &Cell, layout: &Layout, path: &YamlPath) -> Result<()> {
    let defaults = YamlPath::root().key("defaults");
    let levels = [
        layout.defaults.get("all").map(|c| (c, defaults.key("all"))),
        layout.defaults.get(kind.name()).map(|c| (c, defaults.key(kind.name()))),
        Some((cell, path.clone())),
    ];
    // Each value with where it was given, and how specific that is.
    let mut size = (layout.size, YamlPath::root().key("size"), 0);
    let mut min_size = None;
    for (level, (c, at)) in levels.into_iter().enumerate().filter_map(|(i, l)| l.map(|l| (i + 1, l))) {
        if let Some(s) = c.size {
            size = (s, at.key("size"), level);
        }
        if let Some(m) = c.min_size {
            min_size = Some((m, at.key("min_size"), level));
        }
    }
    let Some((min, min_at, min_level)) = min_size.filter(|(m, _, _)| m.get() > size.0.get()) else { return Ok(()) };
    let (size, size_at, size_level) = size;
    let (at, other) = if min_level >= size_level { (&min_at, &size_at) } else { (&size_at, &min_at) };
    let msg = format!("`min_size` ({min}) is more than `size` ({size}): text shrinks from its size, never grows");
    let help = if at.parent() == other.parent() {
        "make `min_size` at most `size`, or leave it out (the text then does not shrink)".to_string()
    } else {
        format!("the other value is given at `{other}`; make `min_size` at most `size`")
    };
    Err(Error::in_layout(at, msg).with_help(help))
}
