//! Deflate (zlib format, the PDF's `FlateDecode`) for every stream we write.
//!
//! libdeflate, chosen by measurement on our own streams (see
//! `docs/performance.md`, "Compression" and "Round 3"): at level 6 it
//! makes content streams and CMaps smaller than zlib's best (level 9) in
//! well under half the instructions, and font programs within a few bytes
//! of zlib's best.
//! libdeflate compresses a whole buffer at once (no streaming state), and
//! its output is a pure function of the input, the level and the library
//! version (pinned by `Cargo.lock`): the same document always gives the same
//! bytes, whichever thread or earlier document used the compressor.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};

/// The libdeflate level of every stream: font programs, page contents,
/// CMaps, object streams (and the PNG previews' image data).
///
/// One level means one compressor per thread. Each compressor is 656 KB,
/// and every compression clears its 192 KB of hash tables: a second one
/// (level 7 for the font programs, until round 3) cost a cold `render`
/// some 65 page faults and 0.5 M instructions, for 61 bytes less font
/// program in the sheet (`docs/performance.md`, "Round 3").
const LEVEL: i32 = 6;

thread_local! {
    /// The compressor and a scratch output buffer, per thread, made at the
    /// first use: allocating a compressor costs more than compressing a
    /// small stream.
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

struct State {
    compressor: Compressor,
    scratch: Vec<u8>,
}

/// `data` in zlib format, or `None` when compressing would not save at
/// least 20 bytes (the `/Filter /FlateDecode` entry costs about that), in
/// which case the stream is written as it is — lopdf's rule, kept.
pub fn compress(data: &[u8]) -> Option<Vec<u8>> {
    with_zlib(data, |packed| (packed.len() + 19 < data.len()).then(|| packed.to_vec()))
}

/// `data` in zlib format.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    with_zlib(data, <[u8]>::to_vec)
}

/// Call `then` with `data` in zlib format, compressed into the thread's
/// scratch buffer: the caller copies out only what it keeps.
#[inline(never)] // a step of its own in profiles
pub fn with_zlib<T>(data: &[u8], then: impl FnOnce(&[u8]) -> T) -> T {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        let State { compressor, scratch } = state.get_or_insert_with(|| State {
            compressor: Compressor::new(CompressionLvl::new(LEVEL).expect("a valid libdeflate level")),
            scratch: Vec::new(),
        });
        let bound = compressor.zlib_compress_bound(data.len());
        if scratch.len() < bound {
            scratch.resize(bound, 0);
        }
        let n = compressor.zlib_compress(data, &mut scratch[..bound]).expect("the bound is enough");
        then(&scratch[..n])
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
        let packed = compress(&text).expect("repetitive text shrinks");
        assert!(packed.len() < text.len() / 10);
        assert_eq!(inflate(&packed), text);
        assert_eq!(compress(b"1 0 0 1 Tm"), None, "too short to gain 20 bytes");
    }

    #[test]
    fn output_does_not_depend_on_what_the_compressor_did_before() {
        let font = crate::font::bundled("mincho").unwrap().data;
        let a = &font[100_000..160_000];
        let b = &font[1_000_000..1_090_000];
        let fresh = std::thread::scope(|s| s.spawn(|| compress(a)).join().unwrap());
        compress(b);
        assert_eq!(compress(a), fresh, "same input, same bytes, after other work");
        assert_eq!(inflate(fresh.as_deref().unwrap()), a);
    }
}
