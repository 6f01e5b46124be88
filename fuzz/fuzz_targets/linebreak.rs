//! Any text at any width, through both line breakers (full width, and the
//! compressing one the layouts use by default): no character lost or
//! repeated, only spaces dropped at breaks, and every line within the
//! measure (squeezed, for the compressing breaker) unless it holds a
//! single character; a placed line never runs backwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::text::justify::{self, LineStartBracket, Spacing};
use yoshiki::text::kinsoku::{break_levels, is_space};
use yoshiki::text::linebreak::{break_lines, break_paragraph, LineSpan, Measured, Paragraph};
use yoshiki::text::phrase::phrase_boundaries;

fuzz_target!(|input: (u8, u8, &str)| {
    let (width, hang, text) = input;
    let width = f32::from(width % 40) / 2.0 + 0.5;
    let rest = (width - f32::from(hang % 4) / 2.0).max(0.5);
    let chars: Vec<char> = text.chars().collect();
    let advances: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
    let gaps = vec![0.0; chars.len()];
    let levels = break_levels(&chars);

    let m = Measured { chars: &chars, advances: &advances, space_before: &gaps };
    let lines = break_lines(&m, &levels, width, width);
    contiguous(&chars, &lines);
    for line in &lines {
        assert!(line.width <= width + 0.01 || line.end - line.start <= 1, "a line overflows the measure");
    }

    let measured = justify::Measured {
        chars: &chars,
        solid: &advances,
        advances: &advances,
        autospace: &gaps,
        levels: &levels,
        em: 1.0,
        fixed: 0,
    };
    let spacing = Spacing::new(&measured, true, LineStartBracket::Tentsuki);
    let phrases = phrase_boundaries(&chars);
    let p = Paragraph { chars: &chars, levels: &levels, phrases: &phrases, spacing: &spacing };
    let lines = break_paragraph(&p, width, rest);
    contiguous(&chars, &lines);
    for (k, line) in lines.iter().enumerate() {
        let avail = if k == 0 { width } else { rest };
        let min = spacing.measure(line.start, line.end).min;
        assert!(min <= avail + 0.01 || line.end - line.start <= 1, "a line overflows the measure squeezed");
        let (xs, _) = spacing.place(line.start, line.end, avail, !line.last);
        assert!(xs.windows(2).all(|x| x[1] >= x[0] - 1e-4), "a placed line runs backwards");
    }
});

/// The lines cover the text in order; only spaces are dropped at breaks.
fn contiguous(chars: &[char], lines: &[LineSpan]) {
    let mut at = 0;
    for line in lines {
        assert_eq!(line.start, at, "lines are contiguous");
        assert!(line.start <= line.end && line.end <= line.next);
        assert!(chars[line.end..line.next].iter().all(|c| is_space(*c)), "only spaces are dropped at breaks");
        at = line.next;
    }
    assert_eq!(at, chars.len(), "every character is on a line");
}
