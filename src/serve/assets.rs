//! The page script and style sheet, compiled into the binary: `yoshiki
//! serve` needs no Node, no CDN and no files beside the binary.

use super::http::Response;

const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");

pub fn script() -> Response {
    Response::new(200, "text/javascript; charset=utf-8", SCRIPT)
}

pub fn style() -> Response {
    Response::new(200, "text/css; charset=utf-8", STYLE)
}

/// A bundled font (`gothic` for the page, `mincho` for printed values),
/// so that the page shows every character the way the form can print it,
/// on any computer. Cached by the browser: it is part of the binary.
pub fn font(family: &str) -> Response {
    match crate::font::bundled(family) {
        Some(face) => {
            Response::new(200, "font/ttf", face.data.to_vec()).with_header("Cache-Control", "private, max-age=86400")
        }
        None => Response::text(404, "no such font"),
    }
}
