//! Fitting text into cells: shrink in steps within the layout's limits,
//! choose what to keep, and refuse what cannot fit a fixed height.
//! Nothing is ever clipped (JIS X 4051 has no rule for it; a clipped
//! official document changes meaning): text either fits, the row grows,
//! or the error names the cell and the overflow.

use crate::error::Result;
use crate::font::{Face, FaceId};
use crate::text::setter::{self, MissingGlyph, Paragraphs, SetLine, Style};
use crate::units::pt_to_mm;
use crate::validate::checked::{Align, CellStyle};

use super::{cell_error, CellBox};

/// Shrinking steps, in points (a step small enough that a line is never
/// shrunk much more than it needs).
pub const SHRINK_STEP: f32 = 0.5;

/// Sizes below this are reported: 8 pt is the smallest commonly asked for
/// in dense table cells (municipal universal-design guidelines ask for
/// more in body text).
pub const SMALL_SIZE: f32 = 8.0;

/// Tolerance for comparing lengths.
const EPSILON: f32 = 0.01;

/// One try at setting a text: the size and the lines it gave.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub size: f32,
    pub lines: Vec<SetLine>,
}

/// Where a text must fit: the width inside the padding, at most
/// `max_lines` lines, and within the height of a fixed row.
#[derive(Debug, Clone, Copy)]
pub struct Room {
    pub inner: f32,
    pub max_lines: Option<usize>,
    pub row_height: Option<f32>,
}

/// A text to set in a cell and what its setting depends on: the cell's
/// style, the faces (the style's and the layout's fallbacks), the
/// paragraph starts that hang (`bullets`, text cells only) and the room.
#[derive(Clone, Copy)]
pub struct Setting<'a> {
    pub text: &'a str,
    pub style: &'a CellStyle,
    pub faces: &'a [(FaceId, &'static Face)],
    pub bullets: &'a [String],
    pub room: Room,
}

/// Set the text at the style's size and then smaller, in [`SHRINK_STEP`]s
/// down to its minimum, until it fits the room. Every try is kept for
/// [`choose`].
pub fn shrink(setting: &Setting) -> std::result::Result<Vec<Attempt>, MissingGlyph> {
    let Setting { text, style, faces, bullets, room } = *setting;
    let (base, min_size) = (style.size.get(), style.min_size.get());
    let pads = style.padding[0].get() + style.padding[2].get();
    let mut size = base;
    let mut attempts = Vec::new();
    loop {
        let st = Style { faces, size, autospace: style.autospace, letter_spacing: 0.0, composition: style.composition };
        let lines = set_lines(style, text, &st, room.inner, bullets)?;
        let tall = lines.len() as f32 * size * style.line_height + pads;
        let fits = room.max_lines.is_none_or(|m| lines.len() <= m)
            && lines.iter().all(|l| l.width <= room.inner + EPSILON)
            && room.row_height.is_none_or(|h| tall <= h + EPSILON);
        attempts.push(Attempt { size, lines });
        if fits || size <= min_size {
            return Ok(attempts);
        }
        size = (size - SHRINK_STEP).max(min_size);
    }
}

/// Set the text to fit its room: [`shrink`], then [`choose`]. The attempt
/// kept and what to warn about.
pub fn fit(setting: &Setting) -> std::result::Result<Fitted, MissingGlyph> {
    Ok(choose(shrink(setting)?, setting.room.max_lines))
}

/// Texts up to this many characters are remembered by [`Memo`]: the
/// repeats of a document are its short labels and marks; a paragraph
/// seldom comes twice, and copying its lines would cost more than it saves.
const MEMO_CHARS: usize = 16;

/// What [`fit`] gave for each short text already set in this document.
///
/// A plan year sets the same short texts again and again (`⇒`, `実施`,
/// `継続` in every row: of its 777 settings, 286 are different), and each
/// setting shapes, breaks and justifies from scratch. A setting is a pure
/// function of what [`Probe`] holds, so a repeat is a copy.
#[derive(Default)]
pub struct Memo {
    /// By the hash of the probe; each entry with its probe, owned.
    fitted: std::collections::HashMap<u64, Vec<(Owned, Fitted)>>,
}

/// The attempt kept and what to warn about.
type Fitted = (Attempt, Vec<String>);

/// Everything [`fit`] reads: the text, the style fields it, [`shrink`] and
/// [`set_lines`] use, the faces, the bullets and the room. A field added
/// to any of them must be added here. Borrowed to look up (an owned key
/// would allocate a dozen strings a lookup: the bullets alone are ten),
/// owned to keep.
struct Probe<T, F, B> {
    text: T,
    faces: F,
    bullets: B,
    align: Align,
    autospace: bool,
    composition: crate::text::Composition,
    max_lines: Option<usize>,
    /// size, min_size, line_height, max_gap, top and bottom padding,
    /// inner width and row height, as bits (the same float, the same bits).
    sizes: [u32; 8],
}

type Borrowed<'a> = Probe<&'a str, &'a [FaceId], &'a [String]>;
type Owned = Probe<String, Vec<FaceId>, Vec<String>>;

impl Memo {
    /// [`fit`], or a copy of what it gave for the same [`Probe`].
    pub fn fit(&mut self, setting: &Setting) -> std::result::Result<Fitted, MissingGlyph> {
        let Setting { text, style, faces, bullets, room } = *setting;
        if text.chars().nth(MEMO_CHARS).is_some() {
            return fit(setting);
        }
        let ids: Vec<FaceId> = faces.iter().map(|f| f.0).collect();
        let probe: Borrowed = Probe {
            text,
            faces: &ids,
            bullets,
            align: style.align,
            autospace: style.autospace,
            composition: style.composition,
            max_lines: room.max_lines,
            sizes: [
                style.size.get().to_bits(),
                style.min_size.get().to_bits(),
                style.line_height.to_bits(),
                style.max_gap.get().to_bits(),
                style.padding[0].get().to_bits(),
                style.padding[2].get().to_bits(),
                room.inner.to_bits(),
                room.row_height.map_or(u32::MAX, f32::to_bits),
            ],
        };
        // The text and the sizes tell most settings apart; [`Probe`]'s
        // other fields are compared, not hashed.
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            (text, probe.sizes).hash(&mut h);
            h.finish()
        };
        let same = |kept: &Owned| {
            kept.text == probe.text
                && kept.faces == probe.faces
                && kept.bullets == probe.bullets
                && (kept.align, kept.autospace, kept.composition, kept.max_lines, kept.sizes)
                    == (probe.align, probe.autospace, probe.composition, probe.max_lines, probe.sizes)
        };
        if let Some((_, fitted)) = self.fitted.get(&hash).and_then(|v| v.iter().find(|(kept, _)| same(kept))) {
            return Ok(fitted.clone());
        }
        let fitted = fit(setting)?;
        let kept: Owned = Probe {
            text: text.to_string(),
            faces: ids.clone(),
            bullets: bullets.to_vec(),
            align: probe.align,
            autospace: probe.autospace,
            composition: probe.composition,
            max_lines: probe.max_lines,
            sizes: probe.sizes,
        };
        self.fitted.entry(hash).or_default().push((kept, fitted.clone()));
        Ok(fitted)
    }
}

/// The attempt to keep: the last if it fits; otherwise the largest size
/// that needs no more lines than the smallest did (the row grows rather
/// than the text shrinking for nothing). Also what to warn about.
pub fn choose(mut attempts: Vec<Attempt>, max_lines: Option<usize>) -> (Attempt, Vec<String>) {
    let base = attempts.first().map(|a| a.size).unwrap_or(0.0);
    let fewest = attempts.last().map(|a| a.lines.len()).unwrap_or(0);
    let over = max_lines.is_some_and(|m| fewest > m);
    let pick = match over {
        true => attempts.iter().position(|a| a.lines.len() == fewest).unwrap_or(attempts.len() - 1),
        false => attempts.len() - 1,
    };
    let chosen = attempts.swap_remove(pick);
    let mut warnings = Vec::new();
    if over {
        warnings.push(format!("the text needs {fewest} lines (limit {}); the row grows", max_lines.unwrap_or(0)));
    }
    if chosen.size < base && chosen.size < SMALL_SIZE {
        warnings.push(format!("text shrunk to {} pt", chosen.size));
    }
    if chosen.lines.iter().any(|l| l.emergency) {
        warnings.push("a line had to break where the line-breaking rules forbid it (the line is too narrow)".into());
    }
    (chosen, warnings)
}

/// Set text the way the cell's alignment asks.
fn set_lines(
    style: &CellStyle,
    text: &str,
    st: &Style,
    inner: f32,
    bullets: &[String],
) -> std::result::Result<Vec<SetLine>, MissingGlyph> {
    match style.align {
        Align::Stack => setter::set_stacked(text, st),
        Align::Distribute => setter::set_spread(text, st, inner, style.max_gap.get() * st.size / style.size.get()),
        align => setter::set_paragraphs(text, st, inner, &Paragraphs { bullets, justify: align == Align::Justify }),
    }
}

/// In a row of fixed height, every cell must fit: report the first that
/// does not, and by how much.
pub fn check_fixed_height(cells: &[CellBox], height: f32) -> Result<()> {
    let over = cells.iter().find(|c| c.natural_height() > height + EPSILON);
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
