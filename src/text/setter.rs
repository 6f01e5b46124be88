//! Setting text into lines: characters → glyphs with positions.
//!
//! This is where fonts meet the composition rules: characters are mapped
//! to glyphs (with the fallback chain), measured, broken into lines by
//! [`linebreak`](super::linebreak), and placed — squeezed or justified by
//! the spacing model ([`justify`](super::justify)), spread (均等割り) or
//! stacked. The result, [`SetLine`], knows nothing about cells or pages:
//! x positions are relative to the start of the line.

use crate::font::{Face, FaceId};

use super::classes::{is_japanese, is_latin};
use super::hang::{marker, Marker};
use super::justify::{self, Composition, LineStartBracket, Spacing};
use super::kinsoku::{break_levels, BreakLevel};
use super::linebreak::{break_lines, break_paragraph, LineSpan, Measured, Paragraph};
use super::phrase::phrase_boundaries;
use super::spread::distribute;

/// The font and spacing text is set in.
#[derive(Clone, Copy)]
pub struct Style<'a> {
    /// The cell's face first, then the layout's fallbacks.
    pub faces: &'a [(FaceId, &'static Face)],
    /// Font size in points.
    pub size: f32,
    /// Add ¼ em between Japanese and Latin letters or digits (四分アキ).
    pub autospace: bool,
    /// Extra space after every character but the last, in points.
    pub letter_spacing: f32,
    /// Punctuation compression and line-start brackets.
    pub composition: Composition,
}

/// One glyph placed on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub face: FaceId,
    pub id: u16,
    /// The character it shows (for ToUnicode and text extraction).
    pub ch: char,
    /// The variation selector that chose this glyph for `ch` (葛 + U+E0100):
    /// part of the text the glyph shows.
    pub selector: Option<char>,
    /// Left edge, from the start of the line, in points.
    pub x: f32,
    /// The glyph's own advance (without letter spacing).
    pub advance: f32,
}

/// A set line of text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetLine {
    pub glyphs: Vec<Glyph>,
    /// Width from the line start to the end of the last glyph, in points.
    pub width: f32,
    pub size: f32,
    /// A heading line: a page break should not fall right after it.
    pub keep_with_next: bool,
    /// The emergency ladder had to break a rule to end this line.
    pub emergency: bool,
}

impl SetLine {
    pub fn text(&self) -> String {
        self.glyphs.iter().flat_map(|g| std::iter::once(g.ch).chain(g.selector)).collect()
    }
}

/// A character none of the style's fonts can show, or (with `selector`)
/// a variation of it none has; `index` counts characters from the start
/// of the text given to the setter.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingGlyph {
    pub ch: char,
    pub selector: Option<char>,
    pub index: usize,
}

/// Is `c` a variation selector: VS1–16 (U+FE00–FE0F) or VS17–256
/// (U+E0100–E01EF, the selectors of Ideographic Variation Sequences)?
pub fn is_variation_selector(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// VS15, "text presentation": asks for the plain (non-emoji) glyph, which
/// is what a PDF form prints anyway.
const TEXT_PRESENTATION: char = '\u{FE0E}';

/// The characters of `text` as clusters: each character with the
/// variation selector after it, if any. A selector chooses a form of the
/// character before it (葛 + U+E0100 is 葛 with the other radical), so the
/// two are one unit: never broken apart, measured and drawn as one glyph.
/// A selector with no character before it stays a character of its own
/// (and no font has a glyph for it).
pub fn clusters(text: &str) -> (Vec<char>, Vec<Option<char>>) {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    let mut selectors: Vec<Option<char>> = Vec::with_capacity(text.len());
    for c in text.chars() {
        match selectors.last_mut() {
            Some(last @ None) if is_variation_selector(c) && !is_variation_selector(chars[chars.len() - 1]) => {
                *last = Some(c)
            }
            _ => {
                chars.push(c);
                selectors.push(None);
            }
        }
    }
    (chars, selectors)
}

/// How a multi-paragraph text is set.
pub struct Paragraphs<'a> {
    /// Paragraph starts (e.g. `・`) whose continuation lines hang under the
    /// text after them.
    pub bullets: &'a [String],
    /// Stretch wrapped lines to the full width (両端揃え).
    pub justify: bool,
}

/// Characters with their glyphs and advances, ready for the line breaker.
struct Shaped<'a> {
    chars: &'a [char],
    /// The variation selector after each character, if any.
    selectors: &'a [Option<char>],
    glyphs: Vec<(FaceId, u16)>,
    /// The glyphs' own advances at the size.
    solid: Vec<f32>,
    /// Advances with letter spacing: what the line breaker measures.
    advances: Vec<f32>,
    space_before: Vec<f32>,
}

/// Map characters (with their variation selectors: [`clusters`]) to
/// glyphs and measure them.
fn shape<'a>(
    chars: &'a [char],
    selectors: &'a [Option<char>],
    style: &Style,
    first_index: usize,
) -> Result<Shaped<'a>, MissingGlyph> {
    let mut glyphs = Vec::with_capacity(chars.len());
    let mut advances = Vec::with_capacity(chars.len());
    let mut solid = Vec::with_capacity(chars.len());
    for (i, &ch) in chars.iter().enumerate() {
        // A tab is set as a space; nothing else is silently replaced.
        let lookup = if ch == '\t' { ' ' } else { ch };
        let found = match selectors[i] {
            // A variation no face has is refused, not shown as the plain
            // character: 葛 and 葛󠄀 are different spellings of a name.
            Some(vs) => style.faces.iter().find_map(|(id, face)| {
                let plain = || if vs == TEXT_PRESENTATION { face.glyph(lookup) } else { None };
                face.variant(lookup, vs).or_else(plain).map(|g| (*id, face, g))
            }),
            None => style.faces.iter().find_map(|(id, face)| face.glyph(lookup).map(|g| (*id, face, g))),
        };
        let Some((face_id, face, glyph)) = found else {
            let index = first_index + i + selectors[..i].iter().flatten().count();
            return Err(MissingGlyph { ch, selector: selectors[i], index });
        };
        glyphs.push((face_id, glyph));
        let advance = face.advance(glyph) * style.size;
        solid.push(advance);
        advances.push(advance + style.letter_spacing);
    }
    let mut space_before = vec![0.0; chars.len()];
    if style.autospace {
        for i in 1..chars.len() {
            if is_japanese(chars[i - 1]) && is_latin(chars[i]) || is_latin(chars[i - 1]) && is_japanese(chars[i]) {
                space_before[i] = style.size / 4.0;
            }
        }
    }
    Ok(Shaped { chars, selectors, glyphs, solid, advances, space_before })
}

impl Shaped<'_> {
    fn measured(&self) -> Measured<'_> {
        Measured { chars: self.chars, advances: &self.advances, space_before: &self.space_before }
    }

    /// The glyphs of `start..end` at the given x positions.
    fn glyphs_at(&self, start: usize, end: usize, xs: impl Iterator<Item = f32>) -> Vec<Glyph> {
        (start..end)
            .zip(xs)
            .map(|(i, x)| {
                let (face, id) = self.glyphs[i];
                Glyph { face, id, ch: self.chars[i], selector: self.selectors[i], x, advance: self.solid[i] }
            })
            .collect()
    }

    /// Place `span` starting at `x0`, with `extra[i]` added before char i.
    fn place(&self, start: usize, end: usize, x0: f32, extra: impl Fn(usize) -> f32) -> Vec<Glyph> {
        let mut x = x0;
        let mut out = Vec::with_capacity(end - start);
        for i in start..end {
            if i > start {
                x += self.space_before[i] + extra(i);
            }
            let (face, id) = self.glyphs[i];
            out.push(Glyph { face, id, ch: self.chars[i], selector: self.selectors[i], x, advance: self.solid[i] });
            x += self.advances[i];
        }
        out
    }
}

/// Set `text` (paragraphs separated by `\n`) into lines of `width` points.
pub fn set_paragraphs(text: &str, style: &Style, width: f32, opts: &Paragraphs) -> Result<Vec<SetLine>, MissingGlyph> {
    let mut lines = Vec::new();
    let mut index = 0;
    for paragraph in text.split('\n') {
        let (chars, selectors) = clusters(paragraph.trim_end_matches('\r'));
        set_paragraph(&chars, &selectors, style, width, opts, index, &mut lines)?;
        index += paragraph.chars().count() + 1;
    }
    Ok(lines)
}

/// Set one paragraph, appending its lines to `out`.
#[allow(clippy::too_many_arguments)]
fn set_paragraph(
    chars: &[char],
    selectors: &[Option<char>],
    style: &Style,
    width: f32,
    opts: &Paragraphs,
    first_index: usize,
    out: &mut Vec<SetLine>,
) -> Result<(), MissingGlyph> {
    if chars.is_empty() {
        out.push(SetLine { size: style.size, ..SetLine::default() });
        return Ok(());
    }
    let shaped = shape(chars, selectors, style, first_index)?;
    let levels = break_levels(chars);
    let composition = style.composition;
    // Bullets and item numbers hang their continuation lines (hang.rs).
    // Numbers need bullets on: a layout that turns bullets off wants no
    // hanging at all.
    let marker = if opts.bullets.is_empty() { None } else { marker(chars, opts.bullets) };
    let spacing = Spacing::new(
        &justify::Measured {
            chars,
            solid: &shaped.solid,
            advances: &shaped.advances,
            autospace: &shaped.space_before,
            levels: &levels,
            em: style.size,
            fixed: marker.map_or(0, |m| m.len),
        },
        composition.compress,
        composition.line_start_bracket,
    );
    let (pad, hang) = marker.map(|m| indent(&shaped, &spacing, m, composition.compress)).unwrap_or((0.0, 0.0));
    let (pad, hang) = if hang < width / 2.0 { (pad, hang) } else { (0.0, 0.0) };
    // 【見出し】 lines keep with the line after them at a page break.
    let heading = chars.first() == Some(&'【') && chars.last() == Some(&'】');
    let spans = if composition.compress {
        let phrases = phrase_boundaries(chars);
        let paragraph = Paragraph { chars, levels: &levels, phrases: &phrases, spacing: &spacing };
        break_paragraph(&paragraph, width - pad, width - hang)
    } else {
        break_lines(&shaped.measured(), &levels, width - pad, width - hang)
    };
    for (k, span) in spans.iter().enumerate() {
        let x0 = if k == 0 { pad } else { hang };
        let avail = width - x0;
        let justify = opts.justify && !span.last;
        let (glyphs, line_width) = if composition.compress {
            let (xs, w) = spacing.place(span.start, span.end, avail, justify);
            let width = if xs.is_empty() { 0.0 } else { x0 + w };
            (shaped.glyphs_at(span.start, span.end, xs.iter().map(|x| x0 + x)), width)
        } else {
            let line =
                set_full_width(&shaped, &levels, span, x0, avail, justify, composition.line_start_bracket, style.size);
            let w = line.last().map(|g| g.x + g.advance).unwrap_or(0.0);
            (line, w)
        };
        out.push(SetLine {
            glyphs,
            width: line_width,
            size: style.size,
            keep_with_next: heading,
            emergency: span.level > BreakLevel::Bracketed,
        });
    }
    Ok(())
}

/// Where a paragraph with a marker starts its first line (`pad`: an item
/// number of one digit is moved right by one digit, so that 1–9 and 10–99
/// align) and its continuation lines (`hang`: under the text after the
/// marker).
fn indent(shaped: &Shaped, spacing: &Spacing, marker: Marker, compress: bool) -> (f32, f32) {
    let pad = match marker.digits {
        Some((first, 1)) => shaped.advances[first],
        _ => 0.0,
    };
    let width = if compress { spacing.measure(0, marker.len).natural } else { shaped.measured().width(0, marker.len) };
    (pad, pad + width)
}

/// A line set as before composition existed: every character at its
/// full width, an opening bracket at the line start moved out by its white
/// half (天付き) unless the layout sets it 二分下げ, and justified at free
/// break opportunities when that needs no more than [`justify::MAX_GAP`].
#[allow(clippy::too_many_arguments)]
fn set_full_width(
    shaped: &Shaped,
    levels: &[BreakLevel],
    span: &LineSpan,
    mut x0: f32,
    mut avail: f32,
    justify: bool,
    line_start: LineStartBracket,
    size: f32,
) -> Vec<Glyph> {
    if line_start == LineStartBracket::Tentsuki && is_fullwidth_opening(shaped.chars[span.start]) {
        x0 -= size / 2.0;
        avail += size / 2.0;
    }
    if justify {
        justify_full_width(shaped, levels, span, x0, avail, size * justify::MAX_GAP)
    } else {
        shaped.place(span.start, span.end, x0, |_| 0.0)
    }
}

/// Opening brackets whose full-width glyph carries a blank left half.
fn is_fullwidth_opening(c: char) -> bool {
    matches!(c, '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '［' | '｛' | '〘' | '〖')
}

/// Spread a wrapped line's slack over its free break opportunities
/// (JLReq: expand between characters that are not inseparable).
fn justify_full_width(
    shaped: &Shaped,
    levels: &[BreakLevel],
    span: &LineSpan,
    x0: f32,
    avail: f32,
    max_gap: f32,
) -> Vec<Glyph> {
    let slack = avail - span.width;
    let free = |i: usize| matches!(levels[i], BreakLevel::Free | BreakLevel::Bracketed);
    let gaps = (span.start + 1..span.end).filter(|&i| free(i)).count();
    if gaps == 0 || slack <= 0.0 || slack / gaps as f32 > max_gap {
        return shaped.place(span.start, span.end, x0, |_| 0.0);
    }
    let each = slack / gaps as f32;
    shaped.place(span.start, span.end, x0, |i| if free(i) { each } else { 0.0 })
}

/// Set one line solid (no breaking), as amounts, choices and titles are.
pub fn set_solid(text: &str, style: &Style) -> Result<SetLine, MissingGlyph> {
    let (chars, selectors) = clusters(text);
    let shaped = shape(&chars, &selectors, style, 0)?;
    let glyphs = if style.composition.compress {
        // Consecutive punctuation at its standard width here too; a value
        // set solid is not a text line, so no line-start rule applies.
        let levels = break_levels(&chars);
        let spacing = Spacing::new(
            &justify::Measured {
                chars: &chars,
                solid: &shaped.solid,
                advances: &shaped.advances,
                autospace: &shaped.space_before,
                levels: &levels,
                em: style.size,
                fixed: 0,
            },
            true,
            LineStartBracket::NibuSage,
        );
        let (xs, _) = spacing.place(0, chars.len(), f32::INFINITY, false);
        shaped.glyphs_at(0, chars.len(), xs.into_iter())
    } else {
        shaped.place(0, chars.len(), 0.0, |_| 0.0)
    };
    let width = glyphs.last().map(|g| g.x + g.advance).unwrap_or(0.0);
    Ok(SetLine { glyphs, width, size: style.size, ..SetLine::default() })
}

/// Set a label: each `\n`-separated line (and each line a too-narrow cell
/// makes of it) spread evenly across `width` (均等割り). Inseparable runs —
/// an ASCII word, a digit run — stay solid.
pub fn set_spread(text: &str, style: &Style, width: f32, max_gap: f32) -> Result<Vec<SetLine>, MissingGlyph> {
    let mut out = Vec::new();
    let mut index = 0;
    for line in text.split('\n') {
        let (chars, selectors) = clusters(line);
        let shaped = shape(&chars, &selectors, style, index)?;
        let levels = break_levels(&chars);
        for span in break_lines(&shaped.measured(), &levels, width, width) {
            out.push(spread_span(&shaped, &levels, &span, width, max_gap, style.size));
        }
        index += line.chars().count() + 1;
    }
    Ok(out)
}

/// Spread the characters of one line, keeping inseparable runs solid.
fn spread_span(
    shaped: &Shaped,
    levels: &[BreakLevel],
    span: &LineSpan,
    width: f32,
    max_gap: f32,
    size: f32,
) -> SetLine {
    // Items: runs of characters joined by inseparable boundaries.
    let mut items: Vec<(usize, usize)> = Vec::new();
    for (i, &level) in levels.iter().enumerate().take(span.end).skip(span.start) {
        let joined = matches!(level, BreakLevel::Inseparable | BreakLevel::Never);
        match items.last_mut() {
            Some(item) if joined => item.1 = i + 1,
            _ => items.push((i, i + 1)),
        }
    }
    let item_widths: Vec<f32> = items.iter().map(|&(s, e)| shaped.measured().width(s, e)).collect();
    let xs = distribute(&item_widths, width, max_gap);
    let mut glyphs = Vec::new();
    for (&(s, e), &x) in items.iter().zip(&xs) {
        glyphs.extend(shaped.place(s, e, x, |_| 0.0));
    }
    let line_width = glyphs.last().map(|g| g.x + g.advance).unwrap_or(0.0);
    SetLine { glyphs, width: line_width, size, ..SetLine::default() }
}

/// Set a label stacked one character per line (縦に積む見出し). Punctuation
/// that has a vertical presentation form uses it when the font has one.
pub fn set_stacked(text: &str, style: &Style) -> Result<Vec<SetLine>, MissingGlyph> {
    let mut out = Vec::new();
    let (chars, selectors) = clusters(&text.replace('\n', ""));
    let mut index = 0;
    for (&ch, &selector) in chars.iter().zip(&selectors) {
        // A character with a variation selector keeps the form it asks for.
        let vertical = vertical_form(ch).filter(|_| selector.is_none());
        let vertical = vertical.and_then(|v| style.faces[0].1.glyph(v).map(|g| (v, g)));
        let cluster: String = std::iter::once(ch).chain(selector).collect();
        let mut line = set_solid(&cluster, style).map_err(|_| MissingGlyph { ch, selector, index })?;
        index += cluster.chars().count();
        if let (Some((_, gid)), Some(g)) = (vertical, line.glyphs.first_mut()) {
            g.id = gid;
            g.face = style.faces[0].0;
        }
        out.push(line);
    }
    Ok(out)
}

/// The vertical presentation form of a punctuation mark (UAX #50 Tu/Tr),
/// used only for display; the text stays the original character.
fn vertical_form(c: char) -> Option<char> {
    Some(match c {
        '、' => '︑',
        '。' => '︒',
        '，' => '︐',
        '：' => '︓',
        '；' => '︔',
        '！' => '︕',
        '？' => '︖',
        '…' => '︙',
        '‥' => '︰',
        '—' => '︱',
        '（' => '︵',
        '）' => '︶',
        '｛' => '︷',
        '｝' => '︸',
        '〔' => '︹',
        '〕' => '︺',
        '【' => '︻',
        '】' => '︼',
        '《' => '︽',
        '》' => '︾',
        '〈' => '︿',
        '〉' => '﹀',
        '「' => '﹁',
        '」' => '﹂',
        '『' => '﹃',
        '』' => '﹄',
        '［' => '﹇',
        '］' => '﹈',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::{bundled, FaceId};

    fn style<'a>(faces: &'a [(FaceId, &'static Face)]) -> Style<'a> {
        Style { faces, size: 10.0, autospace: false, letter_spacing: 0.0, composition: Composition::default() }
    }

    fn mincho() -> [(FaceId, &'static Face); 1] {
        [(FaceId(0), bundled("mincho").unwrap())]
    }

    #[test]
    fn bullets_hang_their_continuation_lines() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &["・".to_string()], justify: false };
        let lines = set_paragraphs("・あいうえおかきくけこ", &style(&faces), 50.0, &opts).unwrap();
        assert_eq!(lines[0].text(), "・あいうえ");
        assert_eq!(lines[1].glyphs[0].x, 10.0, "continuation starts under あ");
        assert_eq!(lines[1].text(), "おかきく");
    }

    #[test]
    fn wrapped_lines_set_an_opening_bracket_flush() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &[], justify: false };
        let lines = set_paragraphs("あいうえ（注）", &style(&faces), 45.0, &opts).unwrap();
        assert_eq!(lines[1].text(), "（注）");
        assert_eq!(lines[1].glyphs[0].x, -5.0, "the blank half of （ hangs into the margin");
    }

    #[test]
    fn headings_keep_with_next() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &[], justify: true };
        let lines = set_paragraphs("【人材育成】\n本文", &style(&faces), 100.0, &opts).unwrap();
        assert!(lines[0].keep_with_next && !lines[1].keep_with_next);
    }

    #[test]
    fn justified_lines_fill_the_width_last_line_does_not() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &[], justify: true };
        // 9 kanji then 。 in 50pt: push-out leaves line 1 with 4 characters.
        let lines = set_paragraphs("あいうえおかきくけ。", &style(&faces), 45.0, &opts).unwrap();
        assert_eq!(lines[0].text(), "あいうえ");
        assert!((lines[0].width - 45.0).abs() < 0.01, "{}", lines[0].width);
        assert_eq!(lines.last().unwrap().width, 10.0 * lines.last().unwrap().glyphs.len() as f32);
    }

    #[test]
    fn labels_spread_to_both_edges() {
        let faces = mincho();
        let lines = set_spread("本年度の\n目標", &style(&faces), 60.0, 100.0).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].glyphs[0].x, 0.0);
        assert!((lines[0].glyphs[3].x + 10.0 - 60.0).abs() < 0.01);
        assert!((lines[1].glyphs[1].x - 50.0).abs() < 0.01, "目 at left, 標 at right");
    }

    #[test]
    fn stacked_labels_have_one_character_per_line() {
        let faces = mincho();
        let lines = set_stacked("計画", &style(&faces)).unwrap();
        assert_eq!(lines.iter().map(SetLine::text).collect::<Vec<_>>(), ["計", "画"]);
    }

    #[test]
    fn missing_glyphs_are_reported_not_dropped() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &[], justify: false };
        let err = set_paragraphs("あ\nい🙂", &style(&faces), 100.0, &opts).unwrap_err();
        assert_eq!(err, MissingGlyph { ch: '🙂', selector: None, index: 3 });
    }

    #[test]
    fn a_variation_sequence_is_one_glyph_of_one_character_width() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &[], justify: false };
        let plain = set_paragraphs("葛城市", &style(&faces), 100.0, &opts).unwrap();
        let ivs = set_paragraphs("葛\u{E0100}城市", &style(&faces), 100.0, &opts).unwrap();
        assert_eq!(ivs[0].glyphs.len(), 3, "the selector is no glyph of its own");
        assert_ne!(ivs[0].glyphs[0].id, plain[0].glyphs[0].id, "the variant glyph");
        assert_eq!(ivs[0].glyphs[0].selector, Some('\u{E0100}'));
        assert_eq!(ivs[0].width, plain[0].width, "the selector takes no width");
        assert_eq!(ivs[0].text(), "葛\u{E0100}城市");
        // Never broken between the character and its selector: in a
        // one-character-wide cell, each line is a whole cluster.
        let narrow = set_paragraphs("葛\u{E0100}葛\u{E0100}", &style(&faces), 10.0, &opts).unwrap();
        assert_eq!(narrow.iter().map(SetLine::text).collect::<Vec<_>>(), ["葛\u{E0100}"; 2]);
        let stacked = set_stacked("葛\u{E0100}城", &style(&faces)).unwrap();
        assert_eq!(stacked.iter().map(SetLine::text).collect::<Vec<_>>(), ["葛\u{E0100}", "城"]);
    }

    #[test]
    fn a_variation_no_font_has_is_refused() {
        let faces = mincho();
        let opts = Paragraphs { bullets: &[], justify: false };
        let err = set_paragraphs("あ\nいあ\u{E0100}", &style(&faces), 100.0, &opts).unwrap_err();
        assert_eq!(err, MissingGlyph { ch: 'あ', selector: Some('\u{E0100}'), index: 3 });
        // A selector with nothing before it is a character no font has.
        let err = set_paragraphs("\u{E0100}あ", &style(&faces), 100.0, &opts).unwrap_err();
        assert_eq!(err, MissingGlyph { ch: '\u{E0100}', selector: None, index: 0 });
        // VS15 asks for the text form, which is what a form prints.
        let line = set_solid("※\u{FE0E}", &style(&faces)).unwrap();
        assert_eq!(line.text(), "※\u{FE0E}");
    }

    #[test]
    fn autospace_adds_a_quarter_em_between_japanese_and_latin() {
        let faces = mincho();
        let mut st = style(&faces);
        st.autospace = true;
        let line = set_solid("をe", &st).unwrap();
        assert!((line.glyphs[1].x - 12.5).abs() < 0.01);
    }
}
