//! PNG previews of a finished PDF, rasterised in Rust (hayro), so that
//! users see what they will print without installing anything.
//!
//! The preview renders the PDF itself — the same bytes that will be
//! printed — not the drawing items, so it shows exactly what the PDF holds.
//!
//! Every page is measured against a pixel budget ([`MAX_PIXELS`], and the
//! rasteriser's side limit) before the first is rasterised: a large page at
//! a high `--dpi` is an error with the largest resolution that fits, not a
//! 17 GB allocation or a panic inside the rasteriser.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

use crate::error::{Error, Result};

/// Most pixels of one preview page: A4 at 1200 dpi (140 million, 560 MB
/// while rasterised) fits.
pub const MAX_PIXELS: f64 = 150e6;

/// Longest side of a preview page in pixels (the rasteriser counts in
/// 16 bits).
pub const MAX_SIDE: f64 = u16::MAX as f64;

/// Each page of `pdf` as a PNG at `dpi` dots per inch, marked as made by
/// yoshiki (see [`crate::output::made_by_yoshiki`]).
pub fn png_pages(pdf: &[u8], dpi: f32) -> Result<Vec<Vec<u8>>> {
    if !(10.0..=1200.0).contains(&dpi) {
        return Err(Error::input(format!("--dpi {dpi}: choose a resolution from 10 to 1200")));
    }
    let pdf = Pdf::new(pdf.to_vec()).map_err(|e| Error::internal(format!("cannot read back the PDF: {e:?}")))?;
    let scale = dpi / 72.0;
    for (i, page) in pdf.pages().iter().enumerate() {
        let (width, height) = page.render_dimensions();
        check_budget(i + 1, width, height, dpi)?;
    }
    let cache = RenderCache::new();
    let settings = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    pdf.pages()
        .iter()
        .map(|page| {
            let pixmap = render(page, &cache, &InterpreterSettings::default(), &RenderSettings::default(), &settings);
            let png = pixmap.into_png().map_err(|e| Error::internal(format!("cannot encode a PNG: {e}")))?;
            Ok(crate::output::mark_png(&png))
        })
        .collect()
}

/// A page of `width` × `height` points at `dpi` must fit the budget.
fn check_budget(page: usize, width: f32, height: f32, dpi: f32) -> Result<()> {
    let scale = f64::from(dpi) / 72.0;
    let (w, h) = ((f64::from(width) * scale).floor(), (f64::from(height) * scale).floor());
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
}
