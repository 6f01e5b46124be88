//! A TrueType subsetter for PDF embedding.
//!
//! Why our own: a form uses a few hundred of the ~20,000 glyphs of BIZ UD
//! Mincho, and in a subset of that size the TrueType hinting instructions
//! are a fifth of the bytes. Screen hinting is of no use in a PDF, so we
//! drop it; and the subset is all that is written: `pdf::add_font_objects`
//! puts it in the font objects with lopdf, and no PDF code parses the 6 MB
//! font, which keeps rendering fast (see `docs/performance.md`).
//!
//! The subset keeps the glyphs asked for (plus the components of composite
//! glyphs and `.notdef`), renumbered from 0 in ascending original order,
//! with `glyf`/`loca` (instructions stripped), `hmtx`, `hhea`, `maxp`,
//! `head`, `OS/2`, a minimal `name`, a `cmap` for the characters given,
//! and a glyph-name-free `post`. Layout tables (GSUB, GPOS, vmtx…) are not
//! needed: glyphs are chosen and placed before they get here.

use std::collections::{BTreeMap, BTreeSet};

/// What a PDF font descriptor needs from a font, in 1/1000 em.
pub struct Metrics {
    pub ascent: i64,
    pub descent: i64,
    /// xMin, yMin, xMax, yMax.
    pub bbox: [i64; 4],
}

/// The metrics of a (subset) font program; zeros if a table is missing.
pub fn metrics(font: &[u8]) -> Metrics {
    let read = || -> Res<Metrics> {
        let tables = Tables::parse(font)?;
        let head = tables.get(b"head")?;
        let hhea = tables.get(b"hhea")?;
        let upem = f64::from(u16_at(head, 18)?.max(1));
        let scaled = |v: u16| (f64::from(v as i16) * 1000.0 / upem).round() as i64;
        let bbox = [
            scaled(u16_at(head, 36)?),
            scaled(u16_at(head, 38)?),
            scaled(u16_at(head, 40)?),
            scaled(u16_at(head, 42)?),
        ];
        Ok(Metrics { ascent: scaled(u16_at(hhea, 4)?), descent: scaled(u16_at(hhea, 6)?), bbox })
    };
    read().unwrap_or(Metrics { ascent: 880, descent: -120, bbox: [0, -120, 1000, 880] })
}

/// Why a font could not be subset (a malformed or unsupported file).
#[derive(Debug)]
pub struct SubsetError(pub String);

type Res<T> = Result<T, SubsetError>;

fn err<T>(what: &str) -> Res<T> {
    Err(SubsetError(format!("cannot subset font: {what}")))
}

/// The tables of an sfnt file, by tag.
struct Tables<'a> {
    data: &'a [u8],
    records: BTreeMap<[u8; 4], (usize, usize)>,
}

impl<'a> Tables<'a> {
    fn parse(data: &'a [u8]) -> Res<Tables<'a>> {
        let n = u16_at(data, 4)? as usize;
        let mut records = BTreeMap::new();
        for i in 0..n {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = data
                .get(rec..rec + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or_else(|| SubsetError("truncated table directory".into()))?;
            let offset = u32_at(data, rec + 8)? as usize;
            let len = u32_at(data, rec + 12)? as usize;
            if offset.checked_add(len).is_none_or(|end| end > data.len()) {
                return err("a table lies outside the file");
            }
            records.insert(tag, (offset, len));
        }
        Ok(Tables { data, records })
    }

    fn get(&self, tag: &[u8; 4]) -> Res<&'a [u8]> {
        match self.records.get(tag) {
            Some(&(offset, len)) => Ok(&self.data[offset..offset + len]),
            None => Err(SubsetError(format!("cannot subset font: no `{}` table", String::from_utf8_lossy(tag)))),
        }
    }
}

fn u16_at(d: &[u8], at: usize) -> Res<u16> {
    d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or_else(|| SubsetError("truncated font data".into()))
}

fn u32_at(d: &[u8], at: usize) -> Res<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| SubsetError("truncated font data".into()))
}

fn put_u16(d: &mut [u8], at: usize, v: u16) {
    d[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// The `glyf` data of every glyph, by original id. `loca` is read only
/// for the glyphs asked for: a subset needs a few hundred of ~20,000.
struct Glyphs<'a> {
    glyf: &'a [u8],
    loca: &'a [u8],
    long: bool,
    num_glyphs: usize,
}

impl<'a> Glyphs<'a> {
    fn parse(tables: &Tables<'a>, num_glyphs: usize) -> Res<Glyphs<'a>> {
        let long = u16_at(tables.get(b"head")?, 50)? == 1;
        let loca = tables.get(b"loca")?;
        if loca.len() < (num_glyphs + 1) * if long { 4 } else { 2 } {
            return err("`loca` is shorter than the glyph count");
        }
        Ok(Glyphs { glyf: tables.get(b"glyf")?, loca, long, num_glyphs })
    }

    fn offset(&self, i: usize) -> Res<usize> {
        if self.long {
            u32_at(self.loca, 4 * i).map(|v| v as usize)
        } else {
            u16_at(self.loca, 2 * i).map(|v| 2 * v as usize)
        }
    }

    fn data(&self, gid: u16) -> Res<&'a [u8]> {
        let i = gid as usize;
        if i >= self.num_glyphs {
            return err("glyph id beyond the glyph count");
        }
        let (start, end) = (self.offset(i)?, self.offset(i + 1)?);
        self.glyf.get(start..end.max(start)).ok_or_else(|| SubsetError("glyph data outside `glyf`".into()))
    }
}

/// Flags of composite glyph components (OpenType `glyf` spec).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Byte offsets of the glyph-index fields of a composite glyph's
/// components, and where the component records end.
fn components(glyph: &[u8]) -> Res<(Vec<usize>, usize)> {
    let mut at = 10;
    let mut fields = Vec::new();
    loop {
        let flags = u16_at(glyph, at)?;
        fields.push(at + 2);
        at += 4;
        at += if flags & ARG_1_AND_2_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return Ok((fields, at));
        }
    }
}

/// Append a glyph's data without hinting instructions, components
/// renumbered, to `out`.
fn strip_glyph(out: &mut Vec<u8>, glyph: &[u8], new_ids: &BTreeMap<u16, u16>) -> Res<()> {
    if glyph.is_empty() {
        return Ok(());
    }
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        // header, endPtsOfContours, then instructionLength + instructions.
        let at = 10 + 2 * contours as usize;
        let skip = u16_at(glyph, at)? as usize;
        let rest = glyph.get(at + 2 + skip..).ok_or_else(|| SubsetError("truncated glyph".into()))?;
        out.extend_from_slice(&glyph[..at]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        return Ok(());
    }
    let (fields, end) = components(glyph)?;
    let start = out.len();
    out.extend_from_slice(glyph.get(..end).ok_or_else(|| SubsetError("truncated composite glyph".into()))?);
    let out = &mut out[start..];
    for (k, &field) in fields.iter().enumerate() {
        let old = u16_at(out, field)?;
        put_u16(out, field, new_ids.get(&old).copied().unwrap_or(0));
        if k == fields.len() - 1 {
            let flags = u16_at(out, field - 2)? & !WE_HAVE_INSTRUCTIONS;
            put_u16(out, field - 2, flags);
        }
    }
    Ok(())
}

/// The original ids of the glyphs a subset of `font` keeps for `glyphs`, in
/// their new order (see [`closure`]); `cmap` lists the characters that map
/// to them (original ids). All the pages need to know of a subset, and
/// quick to find, so that [`program`] can be left to another thread.
pub fn plan(font: &[u8], glyphs: impl IntoIterator<Item = u16>, cmap: &[(char, u16)]) -> Res<Vec<u16>> {
    let tables = Tables::parse(font)?;
    let num_glyphs = u16_at(tables.get(b"maxp")?, 4)? as usize;
    closure(&Glyphs::parse(&tables, num_glyphs)?, glyphs, cmap, num_glyphs)
}

/// Original glyph id → glyph id in the subset that keeps `keep`.
fn new_ids(keep: &[u16]) -> BTreeMap<u16, u16> {
    keep.iter().enumerate().map(|(new, &old)| (old, new as u16)).collect()
}

/// The font program of the subset of `font` that keeps `keep` (from
/// [`plan`]), with a `cmap` for the characters of `cmap` and `ps_name` as
/// its PostScript name.
pub fn program(font: &[u8], keep: &[u16], cmap: &[(char, u16)], ps_name: &str) -> Res<Vec<u8>> {
    let tables = Tables::parse(font)?;
    let num_glyphs = u16_at(tables.get(b"maxp")?, 4)? as usize;
    let source = Glyphs::parse(&tables, num_glyphs)?;
    let new_ids = new_ids(keep);

    let mut glyf = Vec::with_capacity(keep.iter().map(|&g| source.data(g).map_or(0, <[u8]>::len) + 1).sum());
    let mut offsets = Vec::with_capacity(keep.len() + 1);
    for &old in keep {
        offsets.push(glyf.len());
        strip_glyph(&mut glyf, source.data(old)?, &new_ids)?;
        if glyf.len() % 2 == 1 {
            glyf.push(0);
        }
    }
    offsets.push(glyf.len());
    // The short `loca` form (offset / 2 in 16 bits) when the glyphs allow.
    let short = glyf.len() < 0x2_0000;
    let loca: Vec<u8> = if short {
        offsets.iter().flat_map(|&o| ((o / 2) as u16).to_be_bytes()).collect()
    } else {
        offsets.iter().flat_map(|&o| (o as u32).to_be_bytes()).collect()
    };

    let n = keep.len() as u16;
    let mut out: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    out.insert(*b"glyf", glyf);
    out.insert(*b"loca", loca);
    let (hmtx, long_metrics) = hmtx(&tables, keep)?;
    out.insert(*b"hmtx", hmtx);
    let mut hhea = tables.get(b"hhea")?.to_vec();
    put_u16(&mut hhea, 34, long_metrics);
    out.insert(*b"hhea", hhea);
    let mut maxp = tables.get(b"maxp")?.to_vec();
    put_u16(&mut maxp, 4, n);
    if maxp.len() >= 28 {
        put_u16(&mut maxp, 26, 0); // maxSizeOfInstructions
    }
    out.insert(*b"maxp", maxp);
    let mut head = tables.get(b"head")?.to_vec();
    head[8..12].fill(0); // checkSumAdjustment, set below
    put_u16(&mut head, 50, u16::from(!short)); // indexToLocFormat
    out.insert(*b"head", head);
    if let Ok(os2) = tables.get(b"OS/2") {
        out.insert(*b"OS/2", os2.to_vec());
    }
    let mut post = tables.get(b"post")?.get(..32).ok_or_else(|| SubsetError("short `post`".into()))?.to_vec();
    post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes()); // no glyph names
    out.insert(*b"post", post);
    out.insert(*b"name", name_table(&tables, ps_name));
    let mapped: Vec<(char, u16)> = cmap.iter().filter_map(|&(c, old)| new_ids.get(&old).map(|&g| (c, g))).collect();
    out.insert(*b"cmap", cmap_table(&mapped));
    Ok(assemble(out))
}

/// The glyphs to keep, in their new order: `.notdef`, then those asked
/// for ordered by the character they show (so that the PDF's ToUnicode
/// map and width array run in order and compress well), then components
/// of composite glyphs that were not asked for.
fn closure(
    source: &Glyphs,
    glyphs: impl IntoIterator<Item = u16>,
    cmap: &[(char, u16)],
    num_glyphs: usize,
) -> Res<Vec<u16>> {
    let valid = |g: u16| (g as usize) < num_glyphs;
    let first_char: BTreeMap<u16, char> = cmap.iter().rev().map(|&(c, g)| (g, c)).collect();
    let mut asked: Vec<(char, u16)> = glyphs
        .into_iter()
        .filter(|&g| g != 0 && valid(g))
        .map(|g| (first_char.get(&g).copied().unwrap_or(char::MAX), g))
        .collect();
    asked.sort_unstable();
    asked.dedup();
    let mut order = vec![0];
    order.extend(asked.iter().map(|&(_, g)| g));
    let mut seen: BTreeSet<u16> = order.iter().copied().collect();
    let mut i = 0;
    while i < order.len() {
        let data = source.data(order[i])?;
        if data.len() >= 10 && (u16_at(data, 0)? as i16) < 0 {
            for field in components(data)?.0 {
                let component = u16_at(data, field)?;
                if valid(component) && seen.insert(component) {
                    order.push(component);
                }
            }
        }
        i += 1;
    }
    Ok(order)
}

/// Horizontal metrics for the kept glyphs, and how many of them need a
/// full record: the glyphs after the last change of advance share it and
/// store only their left side bearing (most CJK glyphs are 1 em wide).
fn hmtx(tables: &Tables, keep: &[u16]) -> Res<(Vec<u8>, u16)> {
    let raw = tables.get(b"hmtx")?;
    let long = u16_at(tables.get(b"hhea")?, 34)? as usize;
    let metrics = keep
        .iter()
        .map(|&g| {
            let g = g as usize;
            let advance = u16_at(raw, 4 * g.min(long - 1))?;
            let lsb = if g < long { u16_at(raw, 4 * g + 2)? } else { u16_at(raw, 4 * long + 2 * (g - long))? };
            Ok((advance, lsb))
        })
        .collect::<Res<Vec<(u16, u16)>>>()?;
    let last = metrics.last().map(|m| m.0);
    let full = metrics.len() - metrics.iter().rev().take_while(|m| Some(m.0) == last).count() + 1;
    let full = full.min(metrics.len()).max(1);
    let mut out = Vec::with_capacity(4 * metrics.len());
    for (i, (advance, lsb)) in metrics.iter().enumerate() {
        if i < full {
            out.extend_from_slice(&advance.to_be_bytes());
        }
        out.extend_from_slice(&lsb.to_be_bytes());
    }
    Ok((out, full as u16))
}

/// A `name` table with the original copyright, family and style, and
/// `ps_name`.
fn name_table(tables: &Tables, ps_name: &str) -> Vec<u8> {
    let mut names: Vec<(u16, String)> =
        [0, 1, 2, 4].into_iter().filter_map(|id| read_name(tables, id).map(|s| (id, s))).collect();
    names.push((6, ps_name.to_string()));
    let mut storage = Vec::new();
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(names.len() as u16).to_be_bytes());
    out.extend_from_slice(&(6 + 12 * names.len() as u16).to_be_bytes());
    for (id, text) in &names {
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for v in [3u16, 1, 0x409, *id, bytes.len() as u16, storage.len() as u16] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        storage.extend(bytes);
    }
    out.extend(storage);
    out
}

/// A Windows Unicode English name record of the original font.
fn read_name(tables: &Tables, want: u16) -> Option<String> {
    let t = tables.get(b"name").ok()?;
    let count = u16_at(t, 2).ok()? as usize;
    let storage = u16_at(t, 4).ok()? as usize;
    (0..count).find_map(|i| {
        let r = 6 + 12 * i;
        let fields: Vec<u16> = (0..6).map(|k| u16_at(t, r + 2 * k).unwrap_or(0)).collect();
        if fields[..4] != [3, 1, 0x409, want] {
            return None;
        }
        let bytes = t.get(storage + fields[5] as usize..storage + fields[5] as usize + fields[4] as usize)?;
        let units: Vec<u16> = bytes.chunks_exact(2).map(|b| u16::from_be_bytes([b[0], b[1]])).collect();
        String::from_utf16(&units).ok()
    })
}

/// A `cmap` with a format 4 subtable (BMP) and, when needed, a format 12
/// subtable (all planes), from (character, new glyph id) pairs.
fn cmap_table(pairs: &[(char, u16)]) -> Vec<u8> {
    let mut pairs = pairs.to_vec();
    pairs.sort();
    pairs.dedup_by_key(|p| p.0);
    let bmp: Vec<(u16, u16)> =
        pairs.iter().filter(|(c, _)| (*c as u32) < 0xFFFF).map(|&(c, g)| (c as u32 as u16, g)).collect();
    let wide = pairs.iter().any(|(c, _)| *c as u32 > 0xFFFF);
    let mut subtables = vec![((3u16, 1u16), format4(&bmp))];
    if wide {
        subtables.push(((3, 10), format12(&pairs)));
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len() as u32;
    for ((platform, encoding), data) in &subtables {
        out.extend_from_slice(&platform.to_be_bytes());
        out.extend_from_slice(&encoding.to_be_bytes());
        out.extend_from_slice(&offset.to_be_bytes());
        offset += data.len() as u32;
    }
    for (_, data) in subtables {
        out.extend(data);
    }
    out
}

/// cmap format 4: one segment per run of consecutive characters that map
/// to consecutive glyphs, and the final 0xFFFF segment.
fn format4(pairs: &[(u16, u16)]) -> Vec<u8> {
    let mut segments: Vec<(u16, u16, u16)> = Vec::new(); // start, end, first glyph
    for &(c, g) in pairs {
        match segments.last_mut() {
            Some(s) if s.1 + 1 == c && s.2.wrapping_add(c - s.0) == g => s.1 = c,
            _ => segments.push((c, c, g)),
        }
    }
    segments.push((0xFFFF, 0xFFFF, 0));
    let n = segments.len() as u16;
    let search = 2 * (1u16 << (15 - n.leading_zeros()).min(15));
    let mut out = Vec::new();
    let len = 16 + 8 * n;
    let entry = 15 - n.leading_zeros() as u16;
    for v in [4, len, 0, 2 * n, search, entry, 2 * n - search] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    segments.iter().for_each(|s| out.extend_from_slice(&s.1.to_be_bytes()));
    out.extend_from_slice(&0u16.to_be_bytes());
    segments.iter().for_each(|s| out.extend_from_slice(&s.0.to_be_bytes()));
    for s in &segments {
        let delta = if s.0 == 0xFFFF { 1 } else { s.2.wrapping_sub(s.0) };
        out.extend_from_slice(&delta.to_be_bytes());
    }
    segments.iter().for_each(|_| out.extend_from_slice(&0u16.to_be_bytes()));
    out
}

/// cmap format 12: sequential map groups over all planes.
fn format12(pairs: &[(char, u16)]) -> Vec<u8> {
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for &(c, g) in pairs {
        let (c, g) = (c as u32, g as u32);
        match groups.last_mut() {
            Some(x) if x.1 + 1 == c && x.2 + (c - x.0) == g => x.1 = c,
            _ => groups.push((c, c, g)),
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(&12u16.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(16 + 12 * groups.len() as u32).to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&(groups.len() as u32).to_be_bytes());
    for (start, end, glyph) in groups {
        for v in [start, end, glyph] {
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
    out
}

/// Lay the tables out as an sfnt file with correct checksums.
fn assemble(tables: BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry = 15 - n.leading_zeros() as u16;
    let search = 16 * (1u16 << entry);
    let body_len: usize = tables.values().map(|t| t.len().next_multiple_of(4)).sum();
    let mut out = Vec::with_capacity(12 + 16 * tables.len() + body_len);
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search, entry, 16 * n - search] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    // The table directory, then the tables, each padded to 4 bytes, into
    // the one buffer (no second copy of the glyph outlines).
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for data in tables.values() {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// The sfnt table checksum: the sum of big-endian u32 words (the last
/// one padded with zeros).
fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let mut last = [0u8; 4];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    words.map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]])).fold(u32::from_be_bytes(last), u32::wrapping_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ab_glyph::{Font, FontRef};

    #[test]
    fn subset_keeps_outlines_and_metrics_and_drops_hinting() {
        let full = crate::font::bundled("mincho").unwrap();
        let text = "重点事務事業進行管理表７，１８８千円a";
        let pairs: Vec<(char, u16)> = text.chars().map(|c| (c, full.glyph(c).unwrap())).collect();
        let glyphs: BTreeSet<u16> = pairs.iter().map(|p| p.1).collect();
        let keep = plan(full.data, glyphs.iter().copied(), &pairs).unwrap();
        let bytes = program(full.data, &keep, &pairs, "ABCDEF+BIZUDMincho-Regular").unwrap();
        let new_ids = new_ids(&keep);
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        let parsed = FontRef::try_from_slice(&bytes).expect("the subset is a valid font");
        for (c, old) in &pairs {
            let new = parsed.glyph_id(*c);
            assert_eq!(new.0, new_ids[old], "cmap maps {c}");
            let scale = |f: &FontRef, g| f.h_advance_unscaled(ab_glyph::GlyphId(g));
            let original = FontRef::try_from_slice(full.data).unwrap();
            assert_eq!(scale(&parsed, new.0), scale(&original, *old), "advance of {c}");
            let outline = parsed.outline(new).expect("outline kept");
            assert!(!outline.curves.is_empty());
        }
        let tables = Tables::parse(&bytes).unwrap();
        assert!(tables.get(b"fpgm").is_err() && tables.get(b"prep").is_err());
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA, "whole-file checksum");
    }
}
