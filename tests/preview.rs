//! `--png` page images: one per PDF page, at the chosen resolution, and
//! the same picture poppler draws from the same PDF.

mod common;

use std::path::Path;

use common::{page_count, pdfinfo, poppler, TempDir};

/// A PNG as (width, height, grey levels 0–255 per pixel).
fn grey(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| if channels >= 3 { ((p[0] as u32 + p[1] as u32 + p[2] as u32) / 3) as u8 } else { p[0] })
        .collect();
    (info.width, info.height, pixels)
}

#[test]
fn png_pages_match_the_pdf() {
    let dir = TempDir::new("png_pages_match_the_pdf");
    let out = dir.join("sheet.pdf");
    let data = common::seed_data_path();
    let run = common::yoshiki(["render", data.to_str().unwrap(), "-o", out.to_str().unwrap(), "--png", "--dpi", "50"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let pages = page_count(&pdfinfo(&out, &[]));
    for page in 1..=pages {
        let ours = dir.join(&format!("sheet-{page}.png"));
        assert!(ours.exists(), "no {}", ours.display());
        // poppler's picture of the same page at the same resolution.
        let prefix = dir.join(&format!("poppler-{page}"));
        poppler(
            "pdftoppm",
            [
                "-r",
                "50",
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
                out.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let (w, h, a) = grey(&ours);
        let (pw, ph, b) = grey(&prefix.with_extension("png"));
        // A4 at 50 dpi is 413 × 585 pixels (rounding may differ by one).
        assert!(w.abs_diff(413) <= 1 && h.abs_diff(585) <= 1, "page {page} is {w} × {h}");
        assert!(w.abs_diff(pw) <= 1 && h.abs_diff(ph) <= 1, "ours {w}×{h}, poppler {pw}×{ph}");
        // Compare ink: the share of dark pixels, and where they are.
        let (cw, ch) = (w.min(pw) as usize, h.min(ph) as usize);
        let dark = |px: &[u8], width: u32, x: usize, y: usize| px[y * width as usize + x] < 128;
        let (mut ink_a, mut ink_b, mut both) = (0usize, 0usize, 0usize);
        for y in 0..ch {
            for x in 0..cw {
                let (da, db) = (dark(&a, w, x, y), dark(&b, pw, x, y));
                ink_a += da as usize;
                ink_b += db as usize;
                // Anti-aliasing of hairlines and glyph edges differs between
                // rasterisers: count ink within two pixels as shared.
                // A hairline may be dark in one and mid-grey in the other.
                let inked = |px: &[u8], width: u32, x: usize, y: usize| px[y * width as usize + x] < 200;
                let near = |px: &[u8], width: u32| {
                    (y.saturating_sub(2)..(y + 3).min(ch))
                        .any(|yy| (x.saturating_sub(2)..(x + 3).min(cw)).any(|xx| inked(px, width, xx, yy)))
                };
                if da && near(&b, pw) {
                    both += 1;
                }
            }
        }
        assert!(ink_a > 1000, "page {page} of the preview is (nearly) blank: {ink_a} dark pixels");
        let ratio = ink_a as f64 / ink_b as f64;
        assert!((0.8..1.25).contains(&ratio), "page {page}: ink {ink_a} vs poppler {ink_b}");
        assert!(both as f64 / ink_a as f64 > 0.97, "page {page}: only {both} of {ink_a} dark pixels match poppler's");
    }
    assert!(!dir.join(&format!("sheet-{}.png", pages + 1)).exists(), "more images than pages");
}
