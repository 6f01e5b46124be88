//! Hanging indents: a paragraph that starts with a bullet (`・`, `○`, …)
//! or an item number (`1 `, `10 `, `(1)`, `①`, `ア `, `（ア）`) sets its
//! continuation lines under the text after the marker, not under the
//! marker (ぶら下げインデント).
//!
//! Item numbers of one or two digits are aligned as a list: the number is
//! set right-aligned in the width of two digits, so the text of items 1–9
//! starts where the text of items 10–99 does.

use super::kinsoku::{is_digit, is_space};

/// The marker at the start of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Characters of the marker, with the spaces after it.
    pub len: usize,
    /// For an item number: the index of its first digit and how many
    /// digits it has (1 or 2).
    pub digits: Option<(usize, usize)>,
}

/// The marker `chars` starts with, if any: one of `bullets`, or an item
/// number. The paragraph must go on after it.
pub fn marker(chars: &[char], bullets: &[String]) -> Option<Marker> {
    let found = bullet(chars, bullets).or_else(|| number(chars))?;
    (found.len < chars.len()).then_some(found)
}

/// One of the layout's bullets (and the spaces after it).
fn bullet(chars: &[char], bullets: &[String]) -> Option<Marker> {
    let n = bullets.iter().find_map(|b| {
        let n = b.chars().count();
        let starts = b.chars().zip(chars).all(|(b, c)| b == *c);
        (n > 0 && chars.len() > n && starts).then_some(n)
    })?;
    Some(Marker { len: n + spaces(&chars[n..]), digits: None })
}

/// An item number: `1 `, `10 `, `1．`, `(1)`, `（１２）`, `①`, `ア `,
/// `（ア）`. A bare number or katakana needs a space after it (`10 月`
/// aside, `10月` is a date); a bracketed or circled one does not.
fn number(chars: &[char]) -> Option<Marker> {
    let at = |i: usize| chars.get(i).copied();
    let opening = matches!(at(0), Some('(' | '（'));
    let first = usize::from(opening);
    let digits = chars[first..].iter().take(3).take_while(|c| is_digit(**c)).count();
    let (body, numbered) = match digits {
        1 | 2 => (digits, Some((first, digits))),
        0 if at(first).is_some_and(is_item_katakana) => (1, None),
        0 if !opening && at(0).is_some_and(is_circled_number) => return Some(after(chars, 1, None)),
        _ => return None,
    };
    let mut end = first + body;
    if opening {
        if !matches!(at(end), Some(')' | '）')) {
            return None;
        }
        return Some(after(chars, end + 1, numbered));
    }
    if numbered.is_some() && matches!(at(end), Some('.' | '．')) && !at(end + 1).is_some_and(is_digit) {
        end += 1;
        return Some(after(chars, end, numbered));
    }
    // A bare number or katakana: only with a space after it.
    (spaces(&chars[end..]) > 0).then(|| after(chars, end, numbered))
}

/// A marker of `len` characters, with the spaces that follow it.
fn after(chars: &[char], len: usize, digits: Option<(usize, usize)>) -> Marker {
    Marker { len: len + spaces(&chars[len..]), digits }
}

fn spaces(chars: &[char]) -> usize {
    chars.iter().take_while(|c| is_space(**c)).count()
}

/// ① to ㊿.
fn is_circled_number(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{2473}' | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}')
}

/// A katakana that numbers items (ア イ ウ…, イ ロ ハ…): not a small kana
/// or a sound mark.
fn is_item_katakana(c: char) -> bool {
    ('ア'..='ン').contains(&c) && !matches!(c, 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<(usize, Option<(usize, usize)>)> {
        let chars: Vec<char> = s.chars().collect();
        marker(&chars, &["・".to_string()]).map(|m| (m.len, m.digits))
    }

    #[test]
    fn bullets_and_item_numbers_are_markers() {
        assert_eq!(m("・研修"), Some((1, None)));
        assert_eq!(m("1 通信教育"), Some((2, Some((0, 1)))));
        assert_eq!(m("10 専門研修"), Some((3, Some((0, 2)))));
        assert_eq!(m("１２　研修"), Some((3, Some((0, 2)))));
        assert_eq!(m("(1)研修"), Some((3, Some((1, 1)))));
        assert_eq!(m("（１０） 研修"), Some((5, Some((1, 2)))));
        assert_eq!(m("1．研修"), Some((2, Some((0, 1)))));
        assert_eq!(m("① 研修"), Some((2, None)));
        assert_eq!(m("ア 研修"), Some((2, None)));
        assert_eq!(m("（ア）研修"), Some((3, None)));
    }

    #[test]
    fn dates_amounts_and_words_are_not_markers() {
        for s in ["10月から", "123 件", "1.5倍", "アンケート", "(注)", "（自治研）", "1 ", "令和8年"]
        {
            assert_eq!(m(s), None, "{s}");
        }
    }
}
