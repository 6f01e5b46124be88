//! Phrase (文節) boundaries: the breaks a narrow cell prefers.
//!
//! In a cell a dozen characters wide, a break inside a word (`契／約`,
//! `検／討`) is far more visible than in a book's measure. JLReq allows a
//! break between any two kana or kanji, so this is a preference, never a
//! rule: the line breaker takes a phrase boundary when the line it leaves
//! can be justified without loose spacing, and any allowed break otherwise.
//!
//! The boundaries come from a small heuristic rather than a segmenter: a
//! Japanese phrase is mostly a content word (a run of kanji, katakana or
//! Latin letters) followed by its hiragana (okurigana, particles), so a
//! phrase ends where hiragana meet something that is not hiragana. The
//! BudouX port on crates.io (`budoux` 0.1) ships a 2021 model and looks
//! features up through string-keyed hash maps; for form text — nouns,
//! particles and punctuation — the script changes below find the same
//! boundaries.

use super::classes::Class;

/// Writing systems, as far as phrase boundaries care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hiragana,
    Katakana,
    Kanji,
    Latin,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x3041..=0x309F => Script::Hiragana,
        // ・ (U+30FB) is punctuation, handled by its class.
        0x30A0..=0x30FA | 0x30FC..=0x30FF | 0xFF66..=0xFF9F => Script::Katakana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3005 | 0x3006 => Script::Kanji,
        _ if c.is_ascii_alphanumeric() => Script::Latin,
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
        _ => Script::Other,
    }
}

/// For each boundary of `text` (element `i` is the boundary before
/// `text[i]`, as in [`break_levels`](super::kinsoku::break_levels)),
/// whether it is a phrase boundary or sits before an opening bracket.
pub fn phrase_boundaries(text: &[char]) -> Vec<bool> {
    let mut out = vec![false; text.len() + 1];
    out[text.len()] = true;
    for i in 1..text.len() {
        out[i] = is_boundary(text[i - 1], text[i]);
    }
    out
}

/// Is there a phrase boundary between `a` and `b`?
fn is_boundary(a: char, b: char) -> bool {
    let (ca, cb) = (Class::of(a), Class::of(b));
    // A particle after a bracketed group belongs to it: （自学）の|推進.
    if (ca == Class::Closing || a == ')') && script(b) == Script::Hiragana {
        return false;
    }
    // After closing punctuation, a middle dot or a space; before an
    // opening bracket.
    if matches!(ca, Class::Closing | Class::Comma | Class::FullStop | Class::MiddleDot | Class::Space) || a == '　' {
        return true;
    }
    if cb == Class::Opening || b == '(' {
        return true;
    }
    if a == ')' {
        return true;
    }
    match (script(a), script(b)) {
        // の|研修, を|開始, 研修に|10人
        (Script::Hiragana, Script::Kanji | Script::Katakana | Script::Latin) => true,
        // メンター|制度, 研修|プログラム, OJT|研修, 研修|27人
        (Script::Katakana, Script::Kanji) | (Script::Kanji, Script::Katakana) => true,
        (Script::Latin, Script::Kanji | Script::Katakana) => a.is_ascii_alphabetic(),
        (Script::Kanji | Script::Katakana, Script::Latin) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phrases of `s`, joined with `|`.
    fn phrases(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let b = phrase_boundaries(&chars);
        let mut out = String::new();
        for (i, c) in chars.iter().enumerate() {
            if i > 0 && b[i] {
                out.push('|');
            }
            out.push(*c);
        }
        out
    }

    #[test]
    fn phrases_end_where_hiragana_meet_a_content_word() {
        assert_eq!(phrases("研修ニーズの集約手法の検討"), "研修|ニーズの|集約手法の|検討");
        assert_eq!(phrases("検討委員会を組織し"), "検討委員会を|組織し");
    }

    #[test]
    fn brackets_punctuation_and_spaces_bound_phrases() {
        assert_eq!(phrases("自己啓発（自学）の推進"), "自己啓発|（自学）の|推進");
        assert_eq!(phrases("法令・財務・契約研修 27人"), "法令・|財務・|契約研修 |27人");
        assert_eq!(phrases("実施し、検証"), "実施し、|検証");
    }

    #[test]
    fn latin_words_are_phrases() {
        assert_eq!(phrases("OJT研修"), "OJT|研修");
        assert_eq!(phrases("支援人数 1人"), "支援人数 |1人");
    }
}
