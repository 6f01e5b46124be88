//! No key is accepted and then ignored.
//!
//! serde already refuses a key that exists nowhere (`deny_unknown_fields`);
//! this walk refuses a key that exists but would have **no effect where it
//! is written**: `digits` on a label, `align` on a table block, `split` on
//! a header row, `blank_rows` without `for_each`, `continued` on a cell
//! that never repeats, `defaults` for a kind no cell has, a font family
//! nothing names… Each is an error at the key, saying why it does nothing
//! there and where it would work. A user who writes a key expects it to do
//! something; a form that quietly differs from its layout is the worst
//! outcome (the same reason text is never clipped).
//!
//! The walk runs after the rest of validation, over the layout as written
//! and the checked layout side by side (the checked one knows each cell's
//! kind and resolved style). Only keys written *on* a cell, row or block
//! are judged by its own situation; a `defaults.<kind>` entry is judged by
//! the kind (it applies to every such cell), and `defaults.all` holds any
//! style key that applies to some kind.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::model::layout::{self as model, Align, Layout, Sides, Visible};
use crate::path::YamlPath;

use super::checked::{Block, Cell, CellKind, CheckedLayout, Row};

/// Check every key of `layout` (checked as `checked`) for an effect.
pub fn check(layout: &Layout, checked: &CheckedLayout) -> Result<()> {
    let root = YamlPath::root();
    let audit = Audit { has_period: layout.period.is_some() };
    fonts_named(layout)?;
    defaults(layout, checked)?;
    if let Some(footer) = &layout.footer {
        footer_block(footer, &root.key("footer"))?;
    }
    audit.blocks(&layout.body, &checked.body, &root.key("body"), true)
}

/// What the walk needs from the layout as a whole.
struct Audit {
    /// `by_year`, `visible: final_year` and `year_labels` follow a plan's
    /// report year: without `period` they do nothing.
    has_period: bool,
}

/// An error at `at.key(key)`: the key does nothing here.
fn refuse(at: &YamlPath, key: &str, message: impl Into<String>, help: impl Into<String>) -> Error {
    Error::in_layout(&at.key(key.to_string()), message).with_help(help)
}

// ---------------------------------------------------------------- blocks

impl Audit {
    /// `first_in_body`: these are the body's own blocks (the first of them
    /// starts the first page).
    fn blocks(&self, model: &[model::Block], checked: &[Block], at: &YamlPath, first_in_body: bool) -> Result<()> {
        for (i, (m, c)) in model.iter().zip(checked).enumerate() {
            let here = at.index(i);
            let after_table = i > 0 && matches!(checked[i - 1], Block::Table(_));
            if first_in_body && i == 0 && m.page_break.is_some() && !matches!(c, Block::Group(_)) {
                return Err(refuse(
                    &here,
                    "page_break",
                    "the first block always starts the first page, so `page_break` has no effect here",
                    "remove `page_break` (on a `for_each` group it starts each repetition after the first)",
                ));
            }
            match c {
                Block::Text(_) => text_block(m, &here, after_table)?,
                Block::Table(table) => {
                    table_block(m, &here)?;
                    if let Some(t) = &m.table {
                        self.table(t, table, &here.key("table"))?;
                    }
                }
                Block::Group(group) => {
                    group_block(m, &here)?;
                    self.blocks(m.blocks.as_deref().unwrap_or_default(), &group.blocks, &here.key("blocks"), false)?;
                }
            }
        }
        Ok(())
    }

    fn table(&self, model: &model::Table, checked: &super::checked::Table, at: &YamlPath) -> Result<()> {
        if model.align.is_some() && model.width.is_none() {
            return Err(refuse(
                at,
                "align",
                "a table without `width` fills the width between the margins, so `align` has nothing to move",
                "give the table a `width` in mm, or remove `align`",
            ));
        }
        let header = RowPlace {
            splits: Some("header rows are never split: they are printed whole on every page"),
            fixed: false,
        };
        self.rows(&model.header, &checked.header, &at.key("header"), header)?;
        self.rows(&model.rows, &checked.rows, &at.key("rows"), RowPlace { splits: None, fixed: false })
    }
}

/// Text alignments a line of free text can have.
fn text_align(block: &model::Block, at: &YamlPath) -> Result<()> {
    match block.align {
        Some(Align::Justify | Align::Distribute | Align::Stack) => Err(refuse(
            at,
            "align",
            "a text block is aligned `left`, `center` or `right` (`justify`, `distribute` and `stack` are for cells)",
            "use `left`, `center` or `right`",
        )),
        _ => Ok(()),
    }
}

fn text_block(block: &model::Block, at: &YamlPath, after_table: bool) -> Result<()> {
    text_align(block, at)?;
    if block.keep_with_previous.is_some() && !after_table {
        return Err(refuse(
            at,
            "keep_with_previous",
            "`keep_with_previous` keeps a note with the table right before it, and this block does not follow a table",
            "put the text block right after the `table:` block it belongs to, or remove the key",
        ));
    }
    if block.keep_with_previous == Some(true) && block.page_break == Some(true) {
        return Err(refuse(
            at,
            "page_break",
            "a block cannot both start a new page and stay on the page of the table before it",
            "remove `page_break` or `keep_with_previous`",
        ));
    }
    Ok(())
}

fn table_block(block: &model::Block, at: &YamlPath) -> Result<()> {
    let text_keys = [
        ("font", block.font.is_some()),
        ("size", block.size.is_some()),
        ("letter_spacing", block.letter_spacing.is_some()),
        ("keep_with_previous", block.keep_with_previous.is_some()),
    ];
    if block.align.is_some() {
        return Err(refuse(
            at,
            "align",
            "`align` beside `table:` would align text, and a table block has none of its own",
            "to place the table, write `align: left`, `center` or `right` inside `table:` (with its `width`)",
        ));
    }
    if let Some((key, _)) = text_keys.into_iter().find(|(_, set)| *set) {
        let help = match key {
            "font" | "size" => {
                "style the table's cells with `defaults` (`defaults: { all: { size: 9 } }`) or on the cells"
            }
            "keep_with_previous" => "`keep_with_previous` is for a text block (a note) right after a table",
            _ => "`letter_spacing` is for text blocks",
        };
        return Err(refuse(at, key, format!("`{key}` has no effect on a table block: it styles free text"), help));
    }
    Ok(())
}

fn group_block(block: &model::Block, at: &YamlPath) -> Result<()> {
    let keys = [
        ("font", block.font.is_some()),
        ("size", block.size.is_some()),
        ("align", block.align.is_some()),
        ("letter_spacing", block.letter_spacing.is_some()),
        ("space_before", block.space_before.is_some()),
        ("space_after", block.space_after.is_some()),
        ("keep_with_previous", block.keep_with_previous.is_some()),
    ];
    refuse_first_set(
        &keys,
        at,
        "on a `for_each` group: a group is not printed itself",
        "put it on the blocks inside `blocks:`",
    )
}

fn footer_block(block: &model::Block, at: &YamlPath) -> Result<()> {
    text_align(block, at)?;
    let keys = [
        ("page_break", block.page_break.is_some()),
        ("space_before", block.space_before.is_some()),
        ("space_after", block.space_after.is_some()),
        ("keep_with_previous", block.keep_with_previous.is_some()),
    ];
    let help = "the footer takes `text`, `font`, `size`, `align` and `letter_spacing`";
    refuse_first_set(&keys, at, "on the footer: it sits in the bottom margin of every page", help)
}

/// Refuse the first key of `keys` that is set: "`key` has no effect
/// {where_why}".
fn refuse_first_set(keys: &[(&'static str, bool)], at: &YamlPath, where_why: &str, help: &str) -> Result<()> {
    match keys.iter().find(|(_, set)| *set) {
        Some((key, _)) => Err(refuse(at, key, format!("`{key}` has no effect {where_why}"), help)),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- rows

/// Where a row stands: whether a row around it never splits (and why),
/// and whether it has a fixed height.
#[derive(Clone, Copy)]
struct RowPlace {
    /// Why the row cannot split, if a row around it (or its place) never
    /// does.
    splits: Option<&'static str>,
    /// In a row of fixed `height`.
    fixed: bool,
}

impl Audit {
    fn rows(&self, model: &[model::Row], checked: &[Row], at: &YamlPath, place: RowPlace) -> Result<()> {
        for (r, (m, c)) in model.iter().zip(checked).enumerate() {
            let here = at.index(r);
            let own = row(m, &here, place)?;
            for (i, (mc, cc)) in m.cells.iter().zip(&c.cells).enumerate() {
                let cell_at = here.key("cells").index(i);
                self.cell(mc, cc, &cell_at, own)?;
                if let (CellKind::Rows(sub), Some(model_sub)) = (&cc.kind, &mc.rows) {
                    self.rows(model_sub, sub, &cell_at.key("rows"), own)?;
                }
            }
        }
        Ok(())
    }
}

/// A row's own keys; what its cells and sub-rows inherit.
fn row(row: &model::Row, at: &YamlPath, place: RowPlace) -> Result<RowPlace> {
    if row.blank_rows.is_some() && row.for_each.is_none() {
        return Err(refuse(
            at,
            "blank_rows",
            "`blank_rows` is the number of empty rows a blank form shows for a `for_each` list, and this row has no `for_each`",
            "remove `blank_rows`, or make the row `for_each: LIST`",
        ));
    }
    for (key, set) in [("split", row.split.is_some()), ("keep_together", row.keep_together.is_some())] {
        if !set {
            continue;
        }
        if let Some(why) = place.splits {
            return Err(refuse(at, key, format!("`{key}` has no effect here: {why}"), format!("remove `{key}`")));
        }
        if row.height.is_some() {
            return Err(refuse(
                at,
                key,
                format!("`{key}` has no effect on a row of fixed `height`: such a row is never split"),
                format!("remove `{key}`, or the row's `height`"),
            ));
        }
    }
    if row.split == Some(false) && row.keep_together == Some(true) {
        return Err(refuse(
            at,
            "keep_together",
            "`split: false` already moves the row whole (and refuses a row taller than a page), \
             while `keep_together` would split such a row",
            "keep one of them: `keep_together: true` to split only a row taller than a page",
        ));
    }
    if let (Some(min), Some(h)) = (row.min_height, row.height) {
        // (More than the height is an error of its own, in geometry.)
        if min.to_pt().get() <= h.to_pt().get() + 0.01 {
            return Err(refuse(
                at,
                "min_height",
                format!("`min_height` has no effect on a row of fixed `height`: the row is always {h}"),
                "remove `min_height`",
            ));
        }
    }
    let splits = place
        .splits
        .or(row.height.map(|_| "the row it stands in has a fixed `height` and is never split"))
        .or((row.split == Some(false)).then_some("the row it stands in has `split: false`"));
    Ok(RowPlace { splits, fixed: place.fixed || row.height.is_some() })
}

// ---------------------------------------------------------------- cells

/// The style keys written on a cell (or a `defaults` entry), in the order
/// of the model.
fn written(cell: &model::Cell) -> Vec<&'static str> {
    let keys = [
        ("min_height", cell.min_height.is_some()),
        ("blank_lines", cell.blank_lines.is_some()),
        ("writing_pitch", cell.writing_pitch.is_some()),
        ("padding", cell.padding.is_some()),
        ("border", cell.border.is_some()),
        ("shade", cell.shade.is_some()),
        ("font", cell.font.is_some()),
        ("size", cell.size.is_some()),
        ("min_size", cell.min_size.is_some()),
        ("max_lines", cell.max_lines.is_some()),
        ("line_height", cell.line_height.is_some()),
        ("align", cell.align.is_some()),
        ("valign", cell.valign.is_some()),
        ("max_gap", cell.max_gap.is_some()),
        ("autospace", cell.autospace.is_some()),
        ("bullets", cell.bullets.is_some()),
        ("digits", cell.digits.is_some()),
        ("prefix", cell.prefix.is_some()),
        ("suffix", cell.suffix.is_some()),
        ("options", cell.options.is_some()),
        ("separator", cell.separator.is_some()),
        ("gannen", cell.gannen.is_some()),
        ("repeat", cell.repeat.is_some()),
        ("continued", cell.continued.is_some()),
        ("by_year", cell.by_year.is_some()),
        ("final_suffix", cell.final_suffix.is_some()),
        // `visible: { when }` works on every kind, a label too.
        ("visible", matches!(cell.visible, Some(model::VisibleSpec::Mode(_)))),
        ("count", cell.count.is_some()),
        ("group_rule", cell.group_rule.is_some()),
    ];
    keys.into_iter().filter(|(_, set)| *set).map(|(key, _)| key).collect()
}

/// The cell kinds (content keys) a style key does something for; `None`
/// for every kind that sets text (all but `rows`).
fn kinds_of(key: &str) -> Option<&'static [&'static str]> {
    const FIELDS: &[&str] = &["text", "amount", "number", "choice", "fiscal_year", "date", "series"];
    Some(match key {
        // Every kind: the cell's background and its minimum height.
        "min_height" | "shade" => &model::CONTENT_KEYS,
        "max_lines" | "autospace" | "max_gap" => {
            &["label", "text", "amount", "number", "choice", "fiscal_year", "date", "series", "year_labels", "value"]
        }
        "blank_lines" | "writing_pitch" => FIELDS,
        "bullets" => &["text", "series"],
        "digits" => &["amount", "number", "fiscal_year", "date", "boxes", "value"],
        "prefix" => &["amount", "number", "boxes", "value"],
        "suffix" => &["amount", "number", "value"],
        "options" | "separator" => &["choice"],
        "gannen" => &["fiscal_year", "date", "value"],
        "by_year" => &["series"],
        "final_suffix" => &["year_labels"],
        "visible" => &["text", "amount", "number", "choice", "fiscal_year", "date", "series", "boxes", "value"],
        "count" | "group_rule" => &["boxes"],
        _ => return None,
    })
}

/// Does the style key `key` do something for a cell of kind `kind`?
fn applies(key: &str, kind: &str) -> bool {
    match kinds_of(key) {
        Some(kinds) => kinds.contains(&kind),
        None => kind != "rows",
    }
}

/// The error for `key` on (the defaults of) a `kind` cell.
fn not_for(at: &YamlPath, key: &str, kind: &str) -> Error {
    let help = match kinds_of(key) {
        Some(kinds) => {
            let list: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
            format!("`{key}` applies to {} cells", list.join(", "))
        }
        None => format!("`{key}` styles text, and a `rows` cell has none: put it on the cells of its sub-rows"),
    };
    let why = match kind {
        "rows" => "a `rows` cell only frames its sub-rows",
        "label" => "a label prints its fixed text",
        "year_labels" => "year labels print the years of the period",
        _ => "",
    };
    let message = match why {
        "" => format!("`{key}` has no effect on a `{kind}` cell"),
        why => format!("`{key}` has no effect on a `{kind}` cell ({why})"),
    };
    refuse(at, key, message, help)
}

impl Audit {
    fn cell(&self, model: &model::Cell, cell: &Cell, at: &YamlPath, place: RowPlace) -> Result<()> {
        let kind = cell.kind.name();
        let keys = written(model);
        if let Some(key) = keys.iter().find(|key| !applies(key, kind)) {
            return Err(not_for(at, key, kind));
        }
        self.period_keys(model, cell, at)?;
        repeats(model, cell, at, place)?;
        let style = &cell.style;
        if model.writing_pitch.is_some() && style.blank_lines == 0 {
            return Err(refuse(
                at,
                "writing_pitch",
                "`writing_pitch` is the height of a handwriting line, and this cell keeps none (`blank_lines` is 0)",
                "give the cell `blank_lines: N`, or remove `writing_pitch`",
            ));
        }
        if model.max_gap.is_some() && !matches!(style.align, Align::Distribute | Align::Stack) {
            return Err(refuse(
                at,
                "max_gap",
                format!(
                    "`max_gap` limits the gaps of spread (`distribute`) and stacked (`stack`) text; this cell is aligned `{}`",
                    align_name(style.align)
                ),
                "remove `max_gap`, or align the cell `distribute`",
            ));
        }
        if model.valign.is_some() && style.align == Align::Stack {
            return Err(refuse(
                at,
                "valign",
                "a stacked label (`align: stack`) is always centred in the row's height",
                "remove `valign`",
            ));
        }
        if place.fixed {
            for (key, set) in [("min_height", model.min_height.is_some()), ("blank_lines", model.blank_lines.is_some())]
            {
                if set {
                    return Err(refuse(
                        at,
                        key,
                        format!("`{key}` has no effect in a row of fixed `height`: the row keeps its height"),
                        format!("remove `{key}`, or the row's `height`"),
                    ));
                }
            }
        }
        if matches!(cell.kind, CellKind::Boxes(_)) {
            boxes(model, cell, at)?;
        }
        Ok(())
    }

    /// Keys that follow a plan's report year need a `period`.
    fn period_keys(&self, model: &model::Cell, cell: &Cell, at: &YamlPath) -> Result<()> {
        if self.has_period {
            return Ok(());
        }
        let help = "give the layout `period: { from: FIELD, to: FIELD }`, or remove the key";
        if matches!(cell.kind, CellKind::YearLabels(_)) {
            let msg = "`year_labels` names the years of the layout's `period`, and this layout has none";
            return Err(refuse(at, "year_labels", msg, help));
        }
        if model.by_year == Some(true) {
            let msg = "`by_year` blanks the years after the report year, and without a `period` there is none";
            return Err(refuse(at, "by_year", msg, help));
        }
        if matches!(model.visible, Some(model::VisibleSpec::Mode(Visible::FinalYear))) {
            let msg = "`visible: final_year` follows the report year of a plan, and without a `period` there is none";
            return Err(refuse(at, "visible", msg, help));
        }
        Ok(())
    }
}

/// `repeat` and `continued` show on the next page of a split row.
fn repeats(model: &model::Cell, cell: &Cell, at: &YamlPath, place: RowPlace) -> Result<()> {
    for (key, set) in [("repeat", model.repeat.is_some()), ("continued", model.continued.is_some())] {
        if let (true, Some(why)) = (set, place.splits) {
            let msg = format!("`{key}` has no effect here: the cell is never repeated, because {why}");
            return Err(refuse(at, key, msg, format!("remove `{key}`")));
        }
    }
    if model.continued.is_some() && !cell.style.repeat {
        return Err(refuse(
            at,
            "continued",
            "`continued` is added when the cell is repeated on the next page, and this cell does not repeat",
            "add `repeat: true`, or remove `continued`",
        ));
    }
    Ok(())
}

fn align_name(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
        Align::Distribute => "distribute",
        Align::Stack => "stack",
    }
}

/// A `boxes` cell needs its boxes, fills them from the left or the right,
/// and spans its whole width (no side padding).
fn boxes(model: &model::Cell, cell: &Cell, at: &YamlPath) -> Result<()> {
    if cell.style.count == 0 {
        let at_count = if model.count.is_some() { at.key("count") } else { at.clone() };
        return Err(Error::in_layout(&at_count, "a `boxes` cell needs `count`: how many boxes it has (1 or more)")
            .with_help("e.g. { boxes: total, count: 8, prefix: ￥ }"));
    }
    boxes_style(model, at)?;
    if !matches!(cell.style.align, Align::Left | Align::Right) {
        return Err(Error::in_layout(at, "boxes are filled from the `right` (the default) or the `left`")
            .with_help("a `defaults.all` or `defaults.boxes` alignment reaches this cell: give it `align: right`"));
    }
    Ok(())
}

/// The boxes keys a cell or `defaults.boxes` writes.
fn boxes_style(model: &model::Cell, at: &YamlPath) -> Result<()> {
    if let Some(align) = model.align.filter(|a| !matches!(a, Align::Left | Align::Right)) {
        return Err(refuse(
            at,
            "align",
            format!("boxes are filled from the `right` or the `left`, not `{}`", align_name(align)),
            "use `align: right` (the default: the last digit in the last box) or `align: left`",
        ));
    }
    if let Some(padding) = model.padding {
        let [_, right, _, left] = padding.trbl();
        if right.get() > 0.0 || left.get() > 0.0 {
            let vertical = match padding {
                Sides::Uniform(v) | Sides::Pair([v, _]) => v.get(),
                Sides::Four([t, ..]) => t.get(),
            };
            return Err(refuse(
                at,
                "padding",
                "boxes take the cell's whole width, so a side padding has no effect: only the top and bottom count",
                format!("write `padding: [{vertical}, 0]`"),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- defaults and fonts

/// `defaults.<kind>`: a kind some cell has; style keys that apply to it;
/// never `width` or `span`.
fn defaults(layout: &Layout, checked: &CheckedLayout) -> Result<()> {
    let used: BTreeSet<&str> = checked.cells().iter().map(|c| c.kind.name()).collect();
    for (kind, cell) in &layout.defaults {
        let at = YamlPath::root().key("defaults").key(kind.clone());
        for (key, set) in [("width", cell.width.is_some()), ("span", cell.span.is_some())] {
            if set {
                return Err(refuse(
                    &at,
                    key,
                    format!("`{key}` is not a style: each cell has its own, so it has no effect in `defaults`"),
                    format!("give `{key}` on the cells"),
                ));
            }
        }
        if kind == "all" {
            continue;
        }
        if !used.contains(kind.as_str()) {
            return Err(Error::in_layout(
                &at,
                format!("no cell of this layout is a `{kind}` cell, so `defaults.{kind}` has no effect"),
            )
            .with_help(format!("remove `defaults.{kind}`")));
        }
        if let Some(key) = written(cell).into_iter().find(|key| !applies(key, kind)) {
            return Err(not_for(&at, key, kind));
        }
        if kind == "boxes" {
            boxes_style(cell, &at)?;
        }
    }
    Ok(())
}

/// Every family under `fonts:` is named by some `font` or by `fallback`.
fn fonts_named(layout: &Layout) -> Result<()> {
    if layout.fonts.is_empty() {
        return Ok(());
    }
    let mut named: BTreeSet<&str> = BTreeSet::new();
    named.insert(&layout.font);
    named.extend(layout.fallback.iter().map(String::as_str));
    named.extend(layout.defaults.values().filter_map(|c| c.font.as_deref()));
    fn blocks<'a>(list: &'a [model::Block], named: &mut BTreeSet<&'a str>) {
        for block in list {
            named.extend(block.font.as_deref());
            if let Some(table) = &block.table {
                rows(&table.header, named);
                rows(&table.rows, named);
            }
            blocks(block.blocks.as_deref().unwrap_or_default(), named);
        }
    }
    fn rows<'a>(list: &'a [model::Row], named: &mut BTreeSet<&'a str>) {
        for cell in list.iter().flat_map(|r| &r.cells) {
            named.extend(cell.font.as_deref());
            rows(cell.rows.as_deref().unwrap_or_default(), named);
        }
    }
    blocks(&layout.body, &mut named);
    blocks(layout.footer.as_slice(), &mut named);
    match layout.fonts.keys().find(|name| !named.contains(name.as_str())) {
        Some(name) => Err(Error::in_layout(
            &YamlPath::root().key("fonts").key(name.clone()),
            format!("the font family `{name}` is declared, but no `font` or `fallback` names it"),
        )
        .with_help(format!("name it (`font: {name}` on a cell or block, or `fallback: [{name}]`), or remove it"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_key_applies_to_some_kind() {
        let kinds =
            ["label", "text", "amount", "number", "choice", "fiscal_year", "date", "series", "year_labels", "boxes"];
        let all = model::Cell {
            min_height: Some(crate::units::Mm::from_f32(1.0)),
            digits: Some(Default::default()),
            options: Some(Vec::new()),
            count: Some(1),
            ..Default::default()
        };
        for key in written(&all) {
            assert!(kinds.iter().any(|k| applies(key, k)), "{key} applies to no kind");
        }
        assert!(applies("shade", "rows") && !applies("font", "rows") && !applies("digits", "label"));
        assert!(applies("prefix", "boxes") && !applies("suffix", "boxes"));
    }
}
