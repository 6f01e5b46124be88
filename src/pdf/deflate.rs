//! Deflate (zlib format, the PDF's `FlateDecode`) for every stream we write.
//!
//! libdeflate, chosen by measurement on our own streams (see
//! `docs/performance.md`, "Compression"): at level 7 it makes the font
//! programs smaller than zlib's best (level 9) in well under half the
//! instructions, and level 6 does the same for content streams and CMaps.
//! libdeflate compresses a whole buffer at once (no streaming state), and
//! its output is a pure function of the input, the level and the library
//! version (pinned by `Cargo.lock`): the same document always gives the same
//! bytes, whichever thread or earlier document used the compressor.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};

/// What a stream holds, which decides how hard to compress it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A TrueType font program: glyph outlines, which compress poorly, so
    /// a deeper match search still pays.
    Font,
    /// Page content, ToUnicode CMaps: text with many repeats.
    Text,
}

impl Kind {
    fn level(self) -> i32 {
        match self {
            Kind::Font => 7,
            Kind::Text => 6,
        }
    }
}

thread_local! {
    /// One compressor per level and a scratch output buffer, per thread:
    /// allocating a compressor costs more than compressing a small stream.
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[derive(Default)]
struct State {
    compressors: Vec<(i32, Compressor)>,
    scratch: Vec<u8>,
}

/// `data` in zlib format, or `None` when compressing would not save at
/// least 20 bytes (the `/Filter /FlateDecode` entry costs about that), in
/// which case the stream is written as it is — lopdf's rule, kept.
pub fn compress(data: &[u8], kind: Kind) -> Option<Vec<u8>> {
    let packed = zlib(data, kind);
    (packed.len() + 19 < data.len()).then_some(packed)
}

/// `data` in zlib format.
#[inline(never)]
pub fn zlib(data: &[u8], kind: Kind) -> Vec<u8> {
    let level = kind.level();
    STATE.with(|state| {
        let state = &mut *state.borrow_mut();
        let at = match state.compressors.iter().position(|(l, _)| *l == level) {
            Some(at) => at,
            None => {
                let lvl = CompressionLvl::new(level).expect("a valid libdeflate level");
                state.compressors.push((level, Compressor::new(lvl)));
                state.compressors.len() - 1
            }
        };
        let compressor = &mut state.compressors[at].1;
        let bound = compressor.zlib_compress_bound(data.len());
        if state.scratch.len() < bound {
            state.scratch.resize(bound, 0);
        }
        let n = compressor.zlib_compress(data, &mut state.scratch[..bound]).expect("the bound is enough");
        state.scratch[..n].to_vec()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0; 1 << 20];
        let n = libdeflater::Decompressor::new().zlib_decompress(data, &mut out).expect("valid zlib data");
        out.truncate(n);
        out
    }

    #[test]
    fn round_trips_and_skips_what_does_not_shrink() {
        let text: Vec<u8> = (0..5000).map(|i| b"0123456789 m l S\n"[i % 17]).collect();
        let packed = compress(&text, Kind::Text).expect("repetitive text shrinks");
        assert!(packed.len() < text.len() / 10);
        assert_eq!(inflate(&packed), text);
        assert_eq!(compress(b"1 0 0 1 Tm", Kind::Text), None, "too short to gain 20 bytes");
    }

    #[test]
    fn output_does_not_depend_on_what_the_compressor_did_before() {
        let font = crate::font::bundled("mincho").unwrap().data;
        let a = &font[100_000..160_000];
        let b = &font[1_000_000..1_090_000];
        let fresh = std::thread::scope(|s| s.spawn(|| compress(a, Kind::Font)).join().unwrap());
        compress(b, Kind::Font);
        compress(b, Kind::Text);
        assert_eq!(compress(a, Kind::Font), fresh, "same input, same bytes, after other work");
        assert_eq!(inflate(fresh.as_deref().unwrap()), a);
    }
}
