//! Character classes for spacing (JLReq §3.1 and Appendix A).
//!
//! JLReq describes `、。「」（）・` as half-em glyphs with white added
//! around them; a Japanese font draws them one em wide with that white
//! already inside the glyph (JLReq §3.1.2, the half-em model of JIS X 4051). The
//! [`Class`] of a character says where that white sits, so that the
//! spacing model ([`justify`](super::justify)) can remove it between two
//! punctuation marks, at a line start, or when a line must be squeezed.

/// How a character is spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// cl-01 opening brackets `（「『【〔〈《［｛“‘`: the ink sits in the
    /// right half, the left half is white.
    Opening,
    /// cl-02 closing brackets `）」』】〕〉》］｝”’`: white right half.
    Closing,
    /// cl-05 middle dots `・：；`: a quarter em of white on each side.
    MiddleDot,
    /// cl-06 full stops `。．`: white right half, a sentence separator.
    FullStop,
    /// cl-07 commas `、，`: white right half.
    Comma,
    /// A Western word space (U+0020).
    Space,
    /// Kana and kanji (cl-15, cl-16, cl-19).
    Japanese,
    /// ASCII letters and digits.
    Latin,
    /// Everything else: full-width digits, symbols, `　`, `～`, `？`…;
    /// set solid and never adjusted by the spacing model.
    Other,
}

impl Class {
    /// The class of `text[i]`. A full-width comma, full stop or colon
    /// between two digits (`７，１８８`, `１０：３０`) belongs to the number
    /// and is [`Class::Other`]: its white is part of the digit grid.
    pub fn at(text: &[char], i: usize) -> Class {
        let c = text[i];
        let class = Class::of(c);
        let in_number = i > 0 && i + 1 < text.len() && is_digit(text[i - 1]) && is_digit(text[i + 1]);
        if in_number && matches!(c, '，' | '．' | '：') {
            return Class::Other;
        }
        class
    }

    /// The class of a character on its own.
    pub fn of(c: char) -> Class {
        match c {
            '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '［' | '｛' | '〘' | '〖' | '｟' | '“' | '‘' | '〝' => {
                Class::Opening
            }
            '）' | '」' | '』' | '】' | '〕' | '〉' | '》' | '］' | '｝' | '〙' | '〗' | '｠' | '”' | '’' | '〟' => {
                Class::Closing
            }
            '・' | '：' | '；' => Class::MiddleDot,
            '。' | '．' => Class::FullStop,
            '、' | '，' => Class::Comma,
            ' ' => Class::Space,
            c if is_japanese(c) => Class::Japanese,
            c if c.is_ascii_alphanumeric() => Class::Latin,
            _ => Class::Other,
        }
    }

    /// The white inside a full-width glyph of this class, before and after
    /// its ink, in em (JLReq §3.1.2).
    pub fn white(self) -> (f32, f32) {
        match self {
            Class::Opening => (0.5, 0.0),
            Class::Closing | Class::FullStop | Class::Comma => (0.0, 0.5),
            Class::MiddleDot => (0.25, 0.25),
            _ => (0.0, 0.0),
        }
    }

    /// Punctuation that carries white (JLReq cl-01, 02, 05, 06, 07).
    pub fn is_punctuation(self) -> bool {
        matches!(self, Class::Opening | Class::Closing | Class::MiddleDot | Class::FullStop | Class::Comma)
    }
}

/// Kana and kanji: where the Japanese–Latin quarter em applies. (The
/// katakana block includes `・`; the spacing model gives no quarter em
/// next to it, as it carries its own white.)
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Latin letters and digits (half-width): the other side of autospace.
pub fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// ASCII or full-width decimal digit.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_classes_and_their_white() {
        assert_eq!(Class::of('「'), Class::Opening);
        assert_eq!(Class::of('】'), Class::Closing);
        assert_eq!(Class::of('・'), Class::MiddleDot);
        assert_eq!(Class::of('。').white(), (0.0, 0.5));
        assert_eq!(Class::of('（').white(), (0.5, 0.0));
        assert_eq!(Class::of('：').white(), (0.25, 0.25));
        assert!(!Class::of('？').is_punctuation(), "？！ are full-width, not adjusted");
        assert_eq!(Class::of('('), Class::Other, "ASCII brackets are half-width glyphs without white");
    }

    #[test]
    fn separators_inside_numbers_are_not_punctuation() {
        let t: Vec<char> = "７，１８８、１０：３０，次".chars().collect();
        assert_eq!(Class::at(&t, 1), Class::Other);
        assert_eq!(Class::at(&t, 5), Class::Comma, "、 stays a comma");
        assert_eq!(Class::at(&t, 8), Class::Other);
        assert_eq!(Class::at(&t, 11), Class::Comma, "， after a number is a comma");
    }

    #[test]
    fn kana_and_kanji_are_japanese() {
        assert!(is_japanese('あ') && is_japanese('ア') && is_japanese('ー') && is_japanese('漢'));
        assert!(!is_japanese('。') && !is_japanese('Ａ'));
        assert_eq!(Class::of('ア'), Class::Japanese);
    }
}
