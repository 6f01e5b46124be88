//! PNG previews: each page of a laid-out [`Document`] drawn by our own
//! rasteriser ([`raster`]), so that users see what they will print without
//! installing anything.
//!
//! The preview draws the same [`Document`] the PDF writer writes — the same
//! rules, fills, ellipses and glyphs, from the same font files, in the same
//! order — so it shows what the PDF holds; `tests/preview.rs` checks every
//! page against poppler's rendering of the PDF.
//!
//! Every page is measured against a pixel budget ([`MAX_PIXELS`] and
//! [`MAX_SIDE`]) before the first is drawn: a large page at a high `--dpi`
//! is an error with the largest resolution that fits, not a 17 GB
//! allocation.

mod raster;

pub use raster::{pixel_size, Image};

use raster::Painter;

use crate::draw::Document;
use crate::error::{Error, Result};

/// Most pixels of one preview page: A4 at 1200 dpi (140 million, 140 MB of
/// grey levels while drawn) fits.
pub const MAX_PIXELS: f64 = 150e6;

/// Longest side of a preview page in pixels (PNG readers commonly count in
/// 16 bits).
pub const MAX_SIDE: f64 = u16::MAX as f64;

/// Each page of `doc` as a PNG at `dpi` dots per inch, marked as made by
/// yoshiki (see [`crate::output::made_by_yoshiki`]). Every page is checked
/// against the budget before the first is drawn.
pub fn png_pages(doc: &Document, dpi: f32) -> Result<Vec<Vec<u8>>> {
    check_dpi(dpi)?;
    for (i, page) in doc.pages.iter().enumerate() {
        check_budget(i + 1, page.width, page.height, dpi)?;
    }
    let mut painter = Painter::new(doc);
    Ok((0..doc.pages.len()).map(|i| encode_png(&painter.page(i, dpi))).collect())
}

fn check_dpi(dpi: f32) -> Result<()> {
    if !(10.0..=1200.0).contains(&dpi) {
        return Err(Error::input(format!("--dpi {dpi}: choose a resolution from 10 to 1200")));
    }
    Ok(())
}

/// A page of `width` × `height` points at `dpi` must fit the budget.
fn check_budget(page: usize, width: f32, height: f32, dpi: f32) -> Result<()> {
    let (w, h) = pixel_size(width, height, dpi);
    if w * h <= MAX_PIXELS && w.max(h) <= MAX_SIDE {
        return Ok(());
    }
    let by_area = f64::from(dpi) * (MAX_PIXELS / (w * h).max(1.0)).sqrt();
    let by_side = f64::from(dpi) * MAX_SIDE / w.max(h).max(1.0);
    let fits = (by_area.min(by_side) - 0.5).floor().max(0.0);
    let msg = format!(
        "page {page} at --dpi {dpi} would be {w} × {h} pixels ({:.0} million); a preview page may have at most {:.0} million \
         pixels and {} on a side",
        w * h / 1e6,
        MAX_PIXELS / 1e6,
        MAX_SIDE
    );
    let help = if fits >= 10.0 {
        format!("choose --dpi {fits} or less for this page size")
    } else {
        "this page is too large for a PNG preview; open the PDF instead".to_string()
    };
    Err(Error::input(msg).with_help(help))
}

/// An 8-bit grey PNG of `image`, marked as yoshiki's (a `tEXt` chunk
/// [`crate::output::PNG_MARK`] right after the header). Each row takes the
/// filter (none, left or up) with the smallest sum of magnitudes — the
/// usual heuristic; forms are mostly white rows and straight rules, which
/// "up" and "left" turn into runs of zeros — and the rows are deflated by
/// libdeflate, as the PDF streams are.
pub fn encode_png(image: &Image) -> Vec<u8> {
    let (w, h) = (image.width as usize, image.height as usize);
    let mut filtered = Vec::with_capacity((w + 1) * h);
    let mut candidates = [vec![0u8; w], vec![0u8; w]];
    let white = vec![0u8; w];
    for y in 0..h {
        let row = &image.pixels[y * w..(y + 1) * w];
        let above = if y == 0 { &white[..] } else { &image.pixels[(y - 1) * w..y * w] };
        let [left, up] = &mut candidates;
        let mut prev = 0u8;
        for x in 0..w {
            left[x] = row[x].wrapping_sub(prev);
            up[x] = row[x].wrapping_sub(above[x]);
            prev = row[x];
        }
        let cost = |r: &[u8]| r.iter().map(|&b| u64::from((b as i8).unsigned_abs())).sum::<u64>();
        let options: [(u8, &[u8]); 3] = [(0, row), (1, left), (2, up)];
        let (kind, bytes) = options.into_iter().min_by_key(|(_, r)| cost(r)).expect("three options");
        filtered.push(kind);
        filtered.extend_from_slice(bytes);
    }
    let idat = crate::pdf::deflate::zlib(&filtered);

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&image.width.to_be_bytes());
    ihdr.extend_from_slice(&image.height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8 bits, grey, deflate, adaptive filters, not interlaced
    chunk(&mut png, b"IHDR", &ihdr);
    let (key, value) = crate::output::PNG_MARK;
    chunk(&mut png, b"tEXt", &[key.as_bytes(), b"\0", value.as_bytes()].concat());
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32fast::hash(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_fits_at_1200_dpi_and_a_2_m_page_does_not() {
        let a4 = (595.276, 841.89);
        assert!(check_budget(1, a4.0, a4.1, 1200.0).is_ok());
        let big = 2000.0 / 25.4 * 72.0;
        let err = check_budget(1, big, big, 600.0).unwrap_err();
        let dpi: f64 = err.help.as_deref().unwrap().split(' ').nth(2).unwrap().parse().unwrap();
        assert!(check_budget(1, big, big, dpi as f32).is_ok(), "{err}");
        assert!(check_budget(1, big, big, dpi as f32 + 2.0).is_err(), "{err}");
    }

    #[test]
    fn a_png_is_marked_and_decodes_to_its_pixels() {
        let pixels: Vec<u8> = (0..7 * 5).map(|i| if i % 3 == 0 { 0 } else { 255 - i as u8 }).collect();
        let image = Image { width: 7, height: 5, pixels };
        let png = encode_png(&image);
        let dir = std::env::temp_dir().join(format!("yoshiki-png-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.png");
        std::fs::write(&path, &png).unwrap();
        assert!(crate::output::made_by_yoshiki(&path));
        std::fs::remove_dir_all(&dir).unwrap();
        // An independent decoder reads back the same pixels.
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut decoded).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (7, 5, png::ColorType::Grayscale));
        assert_eq!(decoded, image.pixels);
    }
}
