//! The PDF file: header, objects, object streams, cross-reference stream.
//!
//! The same layout as lopdf's `Document::save_modern` (object streams of up
//! to 100 objects, a cross-reference stream with `/W [1 4 2]`), written in
//! one pass. lopdf serialises every object going into an object stream
//! three times and deflates the object streams with zlib, whose set-up
//! alone (clearing its window and hash tables) cost more than our
//! compressing them; together that was about an eighth of each sheet in a
//! batch. `tests::same_bytes_as_lopdf` checks the output against lopdf's,
//! byte for byte, with compression off on both sides.

use lopdf::{dictionary, Dictionary, Object, ObjectId, StringFormat};

use super::content::digits;

/// Most objects in one object stream (lopdf's default).
const PER_STREAM: usize = 100;

/// Serialise `doc`, compressing each object stream with `compress`.
pub fn save(doc: &lopdf::Document, compress: &dyn Fn(&[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let estimate: usize =
        doc.objects.values().map(|o| if let Object::Stream(s) = o { s.content.len() + 200 } else { 100 }).sum();
    let mut out = Vec::with_capacity(estimate + 1024);
    let version = if doc.version.as_str() < "1.5" { "1.5" } else { doc.version.as_str() };
    out.extend_from_slice(b"%PDF-");
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(b"\n%");
    out.extend_from_slice(&doc.binary_mark);
    out.push(b'\n');

    let linearized = doc.objects.values().any(|o| matches!(o, Object::Dictionary(d) if d.has(b"Linearized")));
    let encrypt = doc.trailer.get(b"Encrypt").and_then(Object::as_reference).ok();
    let mut streams: Vec<Vec<(ObjectId, &Object)>> = Vec::new();
    let mut direct = Vec::new();
    for (&id, object) in &doc.objects {
        if is_object_stream(object) {
            continue;
        }
        if can_be_compressed(id, object, encrypt, linearized) {
            match streams.last_mut() {
                Some(s) if s.len() < PER_STREAM => s.push((id, object)),
                _ => streams.push(vec![(id, object)]),
            }
        } else {
            direct.push((id, object));
        }
    }

    // Entries by object number: (type, field 2, field 3) as in `/W [1 4 2]`.
    let mut xref: std::collections::BTreeMap<u32, (u8, u32, u16)> = Default::default();
    for ((number, generation), object) in direct {
        xref.insert(number, (1, out.len() as u32, generation));
        indirect(&mut out, number, generation, object);
    }
    let mut max_id = doc.max_id;
    for (k, members) in streams.iter().enumerate() {
        let number = doc.max_id + 1 + k as u32;
        for (index, ((member, _), _)) in members.iter().enumerate() {
            xref.insert(*member, (2, number, index as u16));
        }
        let stream = object_stream(members, compress);
        xref.insert(number, (1, out.len() as u32, 0));
        indirect(&mut out, number, 0, &Object::Stream(stream));
        max_id = number;
    }

    // The cross-reference stream, its dictionary built on the trailer.
    let xref_start = out.len();
    let number = max_id + 1;
    xref.insert(number, (1, xref_start as u32, 0));
    let mut content = Vec::with_capacity(7 * xref.len());
    let mut index = Vec::new();
    let mut section: Option<(u32, i64)> = None;
    for (&n, &(kind, a, b)) in &xref {
        match &mut section {
            Some((start, len)) if *start + *len as u32 == n => *len += 1,
            _ => {
                if let Some((start, len)) = section.take() {
                    index.extend([Object::Integer(i64::from(start)), Object::Integer(len)]);
                }
                section = Some((n, 1));
            }
        }
        content.push(kind);
        content.extend_from_slice(&a.to_be_bytes());
        content.extend_from_slice(&b.to_be_bytes());
    }
    if let Some((start, len)) = section {
        index.extend([Object::Integer(i64::from(start)), Object::Integer(len)]);
    }
    let mut dict = doc.trailer.clone();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", i64::from(number + 1));
    dict.set("W", Object::Array(vec![Object::Integer(1), Object::Integer(4), Object::Integer(2)]));
    dict.set("Index", Object::Array(index));
    dict.remove(b"Filter");
    dict.set("Length", content.len() as i64);
    let stream = lopdf::Stream { dict, allows_compression: true, content, start_position: None };
    indirect(&mut out, number, 0, &Object::Stream(stream));
    out.extend_from_slice(b"\nstartxref\n");
    out.extend_from_slice(xref_start.to_string().as_bytes());
    out.extend_from_slice(b"\n%%EOF");
    out
}

fn is_object_stream(object: &Object) -> bool {
    matches!(object, Object::Stream(s) if s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"ObjStm"))
}

/// lopdf's rule (`ObjectStream::can_be_compressed`).
fn can_be_compressed(id: ObjectId, object: &Object, encrypt: Option<ObjectId>, linearized: bool) -> bool {
    if matches!(object, Object::Stream(_)) || id.1 != 0 || encrypt == Some(id) {
        return false;
    }
    if let Object::Dictionary(d) = object {
        match d.get(b"Type").and_then(Object::as_name) {
            Ok(b"XRef" | b"ObjStm") => return false,
            Ok(b"Catalog") if linearized => return false,
            _ => {}
        }
    }
    true
}

/// An object stream: "number offset …" pairs, then the objects, each
/// followed by a space; always compressed (as lopdf does) unless
/// `compress` declines.
fn object_stream(members: &[(ObjectId, &Object)], compress: &dyn Fn(&[u8]) -> Option<Vec<u8>>) -> lopdf::Stream {
    let mut body = Vec::new();
    let mut table = Vec::new();
    for ((number, _), object) in members {
        table.extend_from_slice(format!("{number} {} ", body.len()).as_bytes());
        write(&mut body, object);
        body.push(b' ');
    }
    let first = table.len();
    table.extend_from_slice(&body);
    let dict = dictionary! {
        "Type" => "ObjStm",
        "N" => members.len() as i64,
        "First" => first as i64,
    };
    let mut stream = lopdf::Stream::new(dict, Vec::new());
    match compress(&table) {
        Some(packed) => {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
        None => stream.set_content(table),
    }
    stream
}

/// `N G obj … endobj`, with lopdf's spacing.
fn indirect(out: &mut Vec<u8>, number: u32, generation: u16, object: &Object) {
    digits(out, u64::from(number));
    out.push(b' ');
    digits(out, u64::from(generation));
    out.extend_from_slice(b" obj\n");
    if needs_separator(object) {
        out.push(b' ');
    }
    write(out, object);
    if matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Name(_)
            | Object::Reference(_)
            | Object::Stream(_)
    ) {
        out.push(b' ');
    }
    out.extend_from_slice(b"\nendobj\n");
}

fn needs_separator(object: &Object) -> bool {
    matches!(object, Object::Null | Object::Boolean(_) | Object::Integer(_) | Object::Real(_) | Object::Reference(_))
}

/// One object, as lopdf's `Writer::write_object` writes it.
fn write(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            if *i < 0 {
                out.push(b'-');
            }
            digits(out, i.unsigned_abs());
        }
        Object::Real(r) => super::content::number(out, *r),
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => write_literal(out, text),
        Object::String(text, StringFormat::Hexadecimal) => {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push(b'<');
            for &b in text {
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_separator(item) {
                    out.push(b' ');
                }
                write(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dict(out, dict),
        Object::Stream(stream) => {
            write_dict(out, &stream.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((number, generation)) => {
            digits(out, u64::from(*number));
            out.push(b' ');
            digits(out, u64::from(*generation));
            out.extend_from_slice(b" R");
        }
    }
}

fn write_dict(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        if needs_separator(value) {
            out.push(b' ');
        }
        write(out, value);
    }
    out.extend_from_slice(b">>");
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

/// A literal string: backslashes, carriage returns and unbalanced
/// parentheses escaped.
fn write_literal(out: &mut Vec<u8>, text: &[u8]) {
    let mut escape = Vec::new();
    let mut open = Vec::new();
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'(' => open.push(i),
            b')' if open.pop().is_none() => escape.push(i),
            b'\\' | b'\r' => escape.push(i),
            _ => {}
        }
    }
    escape.append(&mut open);
    out.push(b'(');
    for (i, &b) in text.iter().enumerate() {
        if escape.contains(&i) {
            out.push(b'\\');
            out.push(if b == b'\r' { b'r' } else { b });
        } else {
            out.push(b);
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of object, awkward strings and names, and enough objects
    /// for two object streams and a gap in the numbering.
    fn document() -> lopdf::Document {
        use lopdf::dictionary;
        let mut doc = lopdf::Document::with_version("1.3");
        for i in 0..130 {
            let object = match i % 7 {
                0 => Object::Integer(-i),
                1 => Object::Real(i as f32 / 3.0),
                2 => Object::string_literal(format!("a (b) c) \\ \r ( {i}")),
                3 => Object::String(vec![0, 1, 0xFE, i as u8], StringFormat::Hexadecimal),
                4 => Object::Name(format!("N a#m/e{i}").into_bytes()),
                5 => Object::Array(vec![Object::Null, Object::Boolean(true), Object::Reference((3, 0)), 1.5.into()]),
                _ => {
                    Object::Dictionary(dictionary! { "Type" => "Page", "K" => vec![Object::Integer(1)], "R" => (1, 0) })
                }
            };
            doc.add_object(object);
        }
        doc.add_object(lopdf::Stream::new(dictionary! { "Length1" => 3 }, b"abc".to_vec()));
        doc.objects.remove(&(40, 0));
        doc.trailer.set("Root", Object::Reference((7, 0)));
        doc.trailer.set("ID", Object::Array(vec![Object::String(vec![1, 2], StringFormat::Hexadecimal)]));
        doc
    }

    #[test]
    fn same_bytes_as_lopdf() {
        let doc = document();
        let mut theirs = Vec::new();
        let options =
            lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).compression_level(0).build();
        doc.clone().save_with_options(&mut theirs, options).unwrap();
        let ours = save(&doc, &|_| None);
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
    }

    #[test]
    fn same_bytes_as_lopdf_for_a_rendered_sheet() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shinko-kanri/r07-no06.yaml");
        let form = crate::render::Form::from_data(&path).unwrap();
        let doc = form.lay_out(&mut Vec::new()).unwrap();
        let lo = super::super::document(&doc).unwrap();
        let mut theirs = Vec::new();
        let options =
            lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).compression_level(0).build();
        lo.clone().save_with_options(&mut theirs, options).unwrap();
        assert!(save(&lo, &|_| None) == theirs);
    }
}
