//! Who made a PDF, read cheaply: the `/Creator` of its Info dictionary,
//! found from the end of the file the way [`super::file`] writes it,
//! without parsing the rest.
//!
//! `yoshiki render -o X` asks this of an existing `X` before replacing it
//! ([`crate::output::made_by_yoshiki`]). Parsing the whole file with
//! lopdf cost about 32 M instructions for one of our sheets; this reads
//! the tail (the cross-reference stream, uncompressed), then the one
//! object stream that holds the Info dictionary, and inflates only that.
//!
//! It understands the layout our writer produces (and lopdf's
//! `save_modern`, which it copies): a cross-reference stream with
//! `/W [1 4 2]` and no filter at `startxref`, the Info dictionary in an
//! object stream or written directly. Anything else is `None`, and the
//! caller falls back to a full parse: a PDF is never taken for ours
//! because this reader did not understand it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// How much of the end of the file is read first: `startxref`, and in
/// our files the whole cross-reference stream.
const TAIL: u64 = 4096;

/// Largest cross-reference stream or object stream read (a batch of
/// thousands of sheets has a cross-reference stream of some 100 KB).
const MAX_READ: u64 = 8 * 1024 * 1024;

/// Does the Info dictionary of the PDF in `file` (`len` bytes) say
/// `/Creator (creator)`? `None` when the file is not laid out as this
/// reader expects.
pub fn creator_is(file: &mut File, len: u64, creator: &str) -> Option<bool> {
    let tail_start = len.saturating_sub(TAIL);
    let tail = read_at(file, tail_start, len - tail_start)?;
    let at = rfind(&tail, b"startxref")?;
    let xref_at = number(&tail[at + b"startxref".len()..])?.0;
    if xref_at >= len {
        return None;
    }
    // The cross-reference stream: `N 0 obj\n<<…>>stream\n…`.
    let xref = if xref_at >= tail_start {
        tail[usize::try_from(xref_at - tail_start).ok()?..].to_vec()
    } else {
        read_at(file, xref_at, (len - xref_at).min(MAX_READ))?
    };
    let (dict, body) = stream_parts(&xref)?;
    let is_xref = key(dict, b"/Type").is_some_and(|t| t.trim_ascii_start().starts_with(b"/XRef"));
    if key(dict, b"/Filter").is_some() || !is_xref {
        return None;
    }
    let w = array(key(dict, b"/W")?)?;
    if w != [1, 4, 2] {
        return None;
    }
    let info = number(key(dict, b"/Info")?)?.0;
    let length = usize::try_from(number(key(dict, b"/Length")?)?.0).ok()?;
    let entries = body.get(..length)?;
    let index = match key(dict, b"/Index") {
        Some(text) => array(text)?,
        None => vec![0, number(key(dict, b"/Size")?)?.0],
    };
    let (kind, a, b) = entry(entries, &index, info)?;
    match kind {
        // Written directly, at offset `a`.
        1 => {
            let object = read_at(file, a, 64 * 1024u64.min(len.saturating_sub(a)))?;
            let end = find(&object, b"endobj")?;
            Some(says_creator(&object[..end], creator))
        }
        // The `b`-th object of object stream `a`.
        2 => {
            let (stream_kind, offset, _) = entry(entries, &index, a)?;
            if stream_kind != 1 {
                return None;
            }
            let object = object_in_stream(file, len, offset, info, b)?;
            Some(says_creator(&object, creator))
        }
        _ => None,
    }
}

/// Object `wanted`, the `index`-th of the object stream at `offset`.
fn object_in_stream(file: &mut File, len: u64, offset: u64, wanted: u64, index: u64) -> Option<Vec<u8>> {
    let head = read_at(file, offset, 1024u64.min(len.saturating_sub(offset)))?;
    let (dict, body) = stream_parts(&head)?;
    let length = number_of(dict, b"/Length")?;
    let first = usize::try_from(number_of(dict, b"/First")?).ok()?;
    let body_at = offset + u64::try_from(head.len() - body.len()).ok()?;
    if length > MAX_READ {
        return None;
    }
    let raw = read_at(file, body_at, length)?;
    let data = match key(dict, b"/Filter") {
        None => raw,
        Some(f) if f.starts_with(b"/FlateDecode") => inflate(&raw)?,
        Some(_) => return None,
    };
    // The header: pairs `number offset`, then the objects from `first`.
    let mut header = data.get(..first)?;
    let mut pairs = Vec::new();
    while let Some((n, rest)) = number(header) {
        let (o, rest) = number(rest)?;
        pairs.push((n, o));
        header = rest;
    }
    let k = usize::try_from(index).ok()?;
    let &(n, start) = pairs.get(k)?;
    if n != wanted {
        return None;
    }
    let end = pairs.get(k + 1).map_or(data.len() - first, |p| p.1 as usize);
    data.get(first + start as usize..first + end).map(<[u8]>::to_vec)
}

/// Does the dictionary text `object` hold `/Creator` with the value
/// `creator` (a literal or hex string, PDFDocEncoding or UTF-16BE)? Strings
/// are skipped whole while looking for the key, so a title that holds the
/// words is not taken for it.
fn says_creator(object: &[u8], creator: &str) -> bool {
    let mut at = 0;
    let mut after_creator = false;
    while at < object.len() {
        let c = object[at];
        let value = match c {
            b'(' => literal(object, &mut at),
            b'<' if object.get(at + 1) == Some(&b'<') => {
                at += 2;
                continue;
            }
            b'<' => hex(object, &mut at),
            b'/' => {
                let end = object[at + 1..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || b"/()<>[]{}%".contains(c))
                    .map_or(object.len(), |n| at + 1 + n);
                after_creator = &object[at + 1..end] == b"Creator";
                at = end;
                continue;
            }
            _ => {
                at += 1;
                continue;
            }
        };
        if std::mem::take(&mut after_creator) {
            return value.is_some_and(|v| decode(&v) == creator);
        }
    }
    false
}

/// The bytes of the literal string `(…)` at `*at`, moving past it.
fn literal(text: &[u8], at: &mut usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut depth = 0;
    while let Some(&c) = text.get(*at) {
        *at += 1;
        match c {
            b'\\' => {
                let e = *text.get(*at)?;
                *at += 1;
                out.push(match e {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    other => other,
                });
            }
            b'(' => {
                if depth > 0 {
                    out.push(c);
                }
                depth += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(out);
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    None
}

/// The bytes of the hex string `<…>` at `*at`, moving past it.
fn hex(text: &[u8], at: &mut usize) -> Option<Vec<u8>> {
    let close = *at + text[*at..].iter().position(|&c| c == b'>')?;
    let digits: Vec<u8> = text[*at + 1..close].iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
    *at = close + 1;
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            let s = if s.len() == 1 { format!("{s}0") } else { s.to_string() };
            u8::from_str_radix(&s, 16).ok()
        })
        .collect()
}

/// A text string: UTF-16BE after its byte order mark, else one byte a
/// character (PDFDocEncoding agrees with Latin-1 on what we compare).
fn decode(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> =
                utf16.chunks(2).map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The cross-reference entry of object `n`: (type, field 2, field 3).
fn entry(entries: &[u8], index: &[u64], n: u64) -> Option<(u8, u64, u64)> {
    let mut row = 0u64;
    for section in index.chunks(2) {
        let [start, count] = *section else { return None };
        if (start..start.checked_add(count)?).contains(&n) {
            let at = usize::try_from(row + n - start).ok()? * 7;
            let e = entries.get(at..at + 7)?;
            let a = u32::from_be_bytes([e[1], e[2], e[3], e[4]]);
            return Some((e[0], u64::from(a), u64::from(u16::from_be_bytes([e[5], e[6]]))));
        }
        row = row.checked_add(count)?;
    }
    None
}

/// The dictionary text and what follows its `stream` line, of an object
/// that starts `N G obj`.
fn stream_parts(object: &[u8]) -> Option<(&[u8], &[u8])> {
    let open = find(object, b"<<")?;
    let stream = find(object, b">>stream")?;
    let dict = &object[open..stream];
    let after = &object[stream + 2..];
    Some((dict, &after[stream_eol(after)?..]))
}

/// The length of `stream` and its end of line (`stream\n` or `stream\r\n`).
fn stream_eol(at_stream: &[u8]) -> Option<usize> {
    let rest = at_stream.strip_prefix(b"stream")?;
    if rest.starts_with(b"\r\n") {
        Some(8)
    } else if rest.starts_with(b"\n") {
        Some(7)
    } else {
        None
    }
}

/// What follows `name` in the dictionary text `dict` (a name followed by a
/// delimiter, not a longer name).
fn key<'a>(dict: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(at) = find(&dict[from..], name) {
        let end = from + at + name.len();
        let next = dict.get(end).copied().unwrap_or(b' ');
        if !next.is_ascii_alphanumeric() {
            return Some(&dict[end..]);
        }
        from = end;
    }
    None
}

fn number_of(dict: &[u8], name: &[u8]) -> Option<u64> {
    number(key(dict, name)?).map(|(n, _)| n)
}

/// A non-negative integer after optional white space, and the rest.
fn number(text: &[u8]) -> Option<(u64, &[u8])> {
    let start = text.iter().position(|c| !c.is_ascii_whitespace())?;
    let text = &text[start..];
    let digits = text.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = std::str::from_utf8(&text[..digits]).ok()?.parse().ok()?;
    Some((n, &text[digits..]))
}

/// The integers of `[a b c]` at the start of `text`.
fn array(text: &[u8]) -> Option<Vec<u64>> {
    let text = text.trim_ascii_start().strip_prefix(b"[")?;
    let close = text.iter().position(|&c| c == b']')?;
    let mut inner = &text[..close];
    let mut out = Vec::new();
    while inner.iter().any(|c| !c.is_ascii_whitespace()) {
        let (n, rest) = number(inner)?;
        out.push(n);
        inner = rest;
    }
    Some(out)
}

fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut decompressor = libdeflater::Decompressor::new();
    let mut size = (data.len() * 4).max(4096);
    while size as u64 <= MAX_READ * 4 {
        let mut out = vec![0; size];
        match decompressor.zlib_decompress(data, &mut out) {
            Ok(n) => {
                out.truncate(n);
                return Some(out);
            }
            Err(libdeflater::DecompressionError::InsufficientSpace) => size *= 4,
            Err(_) => return None,
        }
    }
    None
}

fn read_at(file: &mut File, at: u64, len: u64) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(at)).ok()?;
    let mut out = Vec::with_capacity(usize::try_from(len).ok()?);
    file.take(len).read_to_end(&mut out).ok()?;
    Some(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Object, StringFormat};

    /// A one-page PDF whose Info dictionary has `info`.
    fn document(info: lopdf::Dictionary) -> lopdf::Document {
        let mut doc = lopdf::Document::with_version("1.7");
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        let info = doc.add_object(info);
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        doc
    }

    fn text(s: &str) -> Object {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    }

    /// `creator_is(…, "yoshiki")` of `bytes`, read from a file.
    fn probe(name: &str, bytes: &[u8]) -> Option<bool> {
        let path = std::env::temp_dir().join(format!("yoshiki-probe-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let mut file = File::open(&path).unwrap();
        let answer = creator_is(&mut file, bytes.len() as u64, "yoshiki");
        std::fs::remove_file(&path).unwrap();
        answer
    }

    fn deflate(data: &[u8]) -> Option<Vec<u8>> {
        crate::pdf::deflate::compress(data)
    }

    #[test]
    fn reads_the_creator_of_what_our_writer_wrote() {
        let ours = document(dictionary! { "Creator" => text("yoshiki"), "Title" => text("x") });
        assert_eq!(probe("ours", &crate::pdf::file::save(&ours, &deflate)), Some(true));
        assert_eq!(probe("ours-raw", &crate::pdf::file::save(&ours, &|_| None)), Some(true));
        let utf16 = Object::String(
            [0xFE, 0xFF, 0, b'y', 0, b'o', 0, b's', 0, b'h', 0, b'i', 0, b'k', 0, b'i'].to_vec(),
            StringFormat::Hexadecimal,
        );
        let hex = document(dictionary! { "Title" => text("(x)"), "Creator" => utf16 });
        assert_eq!(probe("hex", &crate::pdf::file::save(&hex, &deflate)), Some(true));
        let theirs = document(dictionary! { "Creator" => text("Writer"), "Producer" => text("yoshiki") });
        assert_eq!(probe("theirs", &crate::pdf::file::save(&theirs, &deflate)), Some(false));
        // A title that merely holds the words has its parentheses escaped.
        let title = document(dictionary! { "Title" => text("/Creator(yoshiki)"), "Creator" => text("yoshikiX") });
        assert_eq!(probe("title", &crate::pdf::file::save(&title, &deflate)), Some(false));
    }

    #[test]
    fn an_info_dictionary_written_directly_is_read_too() {
        // lopdf's own writer: a cross-reference stream, objects written directly.
        let mut doc = document(dictionary! { "Creator" => text("yoshiki") });
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        assert_eq!(probe("direct", &bytes), Some(true));
    }

    #[test]
    fn another_layout_is_left_to_a_full_parse() {
        let object = "1 0 obj\n<</Creator(yoshiki)>>\nendobj\n";
        let head = format!("%PDF-1.4\n{object}");
        let classic = format!(
            "{head}xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<</Size 2/Info 1 0 R>>\nstartxref\n{}\n%%EOF",
            head.len()
        );
        assert_eq!(probe("classic", classic.as_bytes()), None, "a cross-reference table");
        assert_eq!(probe("junk", b"%PDF-1.7\nstartxref\n99999\n%%EOF"), None);
        assert_eq!(probe("empty", b"%PDF-1.7\n"), None);
    }
}
