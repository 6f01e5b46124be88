//! Choices: the options of a `choice` cell are printed in a row and the
//! chosen one is circled (○で囲む), as paper forms mark a choice.

use crate::text::setter::SetLine;

use super::Circle;

/// Where the chosen option (`chosen`, an index into `options`) stands on
/// `lines`, the options joined by `separator` and set: `None` if it was
/// broken across lines (it cannot be circled then).
pub fn circle(options: &[String], separator: &str, chosen: usize, lines: &[SetLine]) -> Option<Circle> {
    // Character offset of the chosen option in the joined text.
    let sep = separator.chars().count();
    let start: usize = options[..chosen].iter().map(|o| o.chars().count() + sep).sum();
    let len = options[chosen].chars().count();
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate() {
        let n = line.glyphs.len();
        if start >= seen && start + len <= seen + n {
            let first = &line.glyphs[start - seen];
            let last = &line.glyphs[start - seen + len - 1];
            return Some(Circle { line: i, from: first.x, to: last.x + last.advance });
        }
        seen += n;
    }
    None
}
