//! Line breaking throughput, in characters per second.
//!
//! The text is the seed sheet's 本年度の目標 repeated 20 times (15,579
//! characters in 320 paragraphs), set at 10.5 pt in the width of
//! the sheet's 目標 cell (149 mm), as `layouts/shinko-kanri.yaml` sets it.
//!
//! - `text/break_lines`: the full-width breaker alone (`compress: false`) —
//!   break levels (禁則, glue) and greedy breaking with push-out, on
//!   characters measured beforehand;
//! - `text/break_paragraph`: the compressing breaker alone (the default) —
//!   break levels, phrase boundaries, the spacing model and push-in before
//!   push-out, on the same measured characters;
//! - `text/set_paragraphs`: the whole setter — glyph lookup with the
//!   fallback chain, advances, breaking, bullets, justification, placing.
//!
//! Run: `cargo bench --bench text`

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yoshiki::font::{bundled, Face, FaceId};
use yoshiki::text::justify::{self, LineStartBracket, Spacing};
use yoshiki::text::kinsoku::break_levels;
use yoshiki::text::linebreak::{break_lines, break_paragraph, Measured, Paragraph};
use yoshiki::text::phrase::phrase_boundaries;
use yoshiki::text::setter::{set_paragraphs, Paragraphs, Style};
use yoshiki::text::Composition;

const REPEAT: usize = 20;
const SIZE: f32 = 10.5;
/// The 目標 cell: 180 mm table − 28 mm label − 2 × 1.5 mm padding.
const WIDTH_MM: f32 = 149.0;

fn width() -> f32 {
    WIDTH_MM * 72.0 / 25.4
}

fn long_text() -> String {
    vec![common::mokuhyo(); REPEAT].join("\n")
}

fn bench_text(c: &mut Criterion) {
    let text = long_text();
    let chars = text.chars().count() as u64;
    let faces: [(FaceId, &'static Face); 2] =
        [(FaceId(0), bundled("mincho").unwrap()), (FaceId(1), bundled("gothic").unwrap())];
    let style =
        Style { faces: &faces, size: SIZE, autospace: true, letter_spacing: 0.0, composition: Composition::default() };
    let bullets = ["・".to_string()];
    let opts = Paragraphs { bullets: &bullets, justify: true };

    // Measured paragraphs for the breaker alone.
    let mincho = faces[0].1;
    let paragraphs: Vec<(Vec<char>, Vec<f32>, Vec<f32>)> = text
        .split('\n')
        .map(|p| {
            let chars: Vec<char> = p.chars().collect();
            let advances = chars.iter().map(|&ch| mincho.advance(mincho.glyph(ch).unwrap_or(0)) * SIZE).collect();
            let zero = vec![0.0; chars.len()];
            (chars, advances, zero)
        })
        .collect();

    // Sanity: the setter accepts the text and breaks it into many lines.
    let lines = set_paragraphs(&text, &style, width(), &opts).expect("every character has a glyph");
    assert!(lines.len() > 20 * REPEAT, "{} lines", lines.len());

    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Elements(chars));
    group.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("break_lines", |b| {
        b.iter(|| {
            let mut n = 0;
            for (chars, advances, space_before) in &paragraphs {
                let levels = break_levels(chars);
                let m = Measured { chars, advances, space_before };
                n += break_lines(&m, &levels, width(), width()).len();
            }
            black_box(n)
        })
    });
    group.bench_function("break_paragraph", |b| {
        b.iter(|| {
            let mut n = 0;
            for (chars, advances, space_before) in &paragraphs {
                let levels = break_levels(chars);
                let measured = justify::Measured {
                    chars,
                    solid: advances,
                    advances,
                    autospace: space_before,
                    levels: &levels,
                    em: SIZE,
                    fixed: 0,
                };
                let spacing = Spacing::new(&measured, true, LineStartBracket::Tentsuki);
                let phrases = phrase_boundaries(chars);
                let p = Paragraph { chars, levels: &levels, phrases: &phrases, spacing: &spacing };
                n += break_paragraph(&p, width(), width()).len();
            }
            black_box(n)
        })
    });
    group.bench_function("set_paragraphs", |b| {
        b.iter(|| black_box(set_paragraphs(black_box(&text), &style, width(), &opts).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench_text);
criterion_main!(benches);
