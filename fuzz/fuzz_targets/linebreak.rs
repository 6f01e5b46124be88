//! Any text at any width: the line breaker loses no character, repeats
//! none, and keeps every line within the measure unless it holds a single
//! character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yoshiki::text::kinsoku::{break_levels, is_space};
use yoshiki::text::linebreak::{break_lines, Measured};

fuzz_target!(|input: (u8, &str)| {
    let (width, text) = input;
    let width = f32::from(width % 40) / 2.0 + 0.5;
    let chars: Vec<char> = text.chars().collect();
    let advances: Vec<f32> = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).collect();
    let gaps = vec![0.0; chars.len()];
    let m = Measured { chars: &chars, advances: &advances, space_before: &gaps };
    let lines = break_lines(&m, &break_levels(&chars), width, width);
    let mut at = 0;
    for line in &lines {
        assert_eq!(line.start, at, "lines are contiguous");
        assert!(line.start <= line.end && line.end <= line.next);
        assert!(chars[line.end..line.next].iter().all(|c| is_space(*c)), "only spaces are dropped at breaks");
        assert!(line.width <= width + 0.01 || line.end - line.start <= 1, "a line overflows the measure");
        at = line.next;
    }
    assert_eq!(at, chars.len(), "every character is on a line");
});
