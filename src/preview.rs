//! PNG previews of a finished PDF, rasterised in Rust (hayro), so that
//! users see what they will print without installing anything.
//!
//! The preview renders the PDF itself — the same bytes that will be
//! printed — not the drawing items, so it shows exactly what the PDF holds.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

use crate::error::{Error, Result};

/// Each page of `pdf` as a PNG at `dpi` dots per inch.
pub fn png_pages(pdf: &[u8], dpi: f32) -> Result<Vec<Vec<u8>>> {
    if !(10.0..=1200.0).contains(&dpi) {
        return Err(Error::input(format!("--dpi {dpi}: choose a resolution from 10 to 1200")));
    }
    let pdf = Pdf::new(pdf.to_vec()).map_err(|e| Error::internal(format!("cannot read back the PDF: {e:?}")))?;
    let cache = RenderCache::new();
    let scale = dpi / 72.0;
    let settings = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    pdf.pages()
        .iter()
        .map(|page| {
            let pixmap = render(page, &cache, &InterpreterSettings::default(), &RenderSettings::default(), &settings);
            pixmap.into_png().map_err(|e| Error::internal(format!("cannot encode a PNG: {e}")))
        })
        .collect()
}
