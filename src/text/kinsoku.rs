//! Line-breaking opportunities for Japanese text (禁則処理).
//!
//! Every boundary between two characters gets a [`BreakLevel`]: the lowest
//! rung of the emergency ladder at which a line may break there. The line
//! breaker first looks for breaks at [`BreakLevel::Free`] and only climbs the
//! ladder when no such break fits the line (push-out first, as JLReq §3.8
//! adjusts lines; the ladder is ours, see [`super::linebreak`]). The rules
//! are JLReq's "very strict" level (行頭/行末禁則 from the Appendix A
//! classes, 分割禁止 per §3.1.10) plus four tailorings for forms: T1 an
//! ASCII word is unbreakable, T2 a digit run with its separators is one
//! unit, T3 a numeral keeps its counter or unit (７，１８８千円), T4 △/▲
//! as a minus sign is a prefix — and, in T3's spirit, an era name glued to
//! its year (`令和８年`) and short bracketed groups (`（自学）`) kept whole
//! while anything else fits.

use super::era::ERAS;

/// How strongly a boundary resists a line break, in the order the emergency
/// ladder gives the rules up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BreakLevel {
    /// A normal break opportunity.
    Free = 0,
    /// Inside a short bracketed group such as `（自学）` or `（続き）` (at most
    /// four full-width characters between the brackets): a break there
    /// reads badly (`自己啓発（自／学）`), so it is taken only when no free
    /// break fits the line. The first rule the ladder drops.
    Bracketed = 1,
    /// Inside a numeral + counter/unit pair such as `７，１８８千円` (T3),
    /// or an era name + its year (`令和８年`).
    UnitGlue = 2,
    /// Inside an inseparable sequence: a digit run (T2), an ASCII word (T1),
    /// `……`, a numeral and its postfix `%`, an era name.
    Inseparable = 3,
    /// Breaking here would start a line with a 行頭禁則 character or end one
    /// with a 行末禁則 character. Only the last rung (break after the last
    /// character that fits) may do that.
    Kinsoku = 4,
    /// Never a break: before a space (spaces hang at the line end instead)
    /// and at the very start of the text.
    Never = 5,
}

/// 行頭禁則: characters that may not begin a line (JLReq cl-02 to cl-11,
/// "very strict", plus ～ U+FF5E and the voiced sound marks).
pub fn is_line_start_prohibited(c: char) -> bool {
    matches!(
        c,
        // cl-02 closing brackets
        '’' | '”' | ')' | '）' | ']' | '］' | '}' | '｝' | '〕' | '〉' | '》' | '」' | '』'
        | '】' | '〙' | '〗' | '⦆' | '｠' | '»' | '〟' | '｣'
        // cl-03 hyphens (+ project rule: FULLWIDTH TILDE, as CP932 text writes 〜)
        | '‐' | '–' | '〜' | '゠' | '～'
        // cl-04 dividing punctuation
        | '！' | '？' | '!' | '?' | '‼' | '⁇' | '⁈' | '⁉'
        // cl-05 middle dots
        | '・' | '：' | '；' | ':' | ';' | '･'
        // cl-06 full stops
        | '。' | '．' | '.' | '｡'
        // cl-07 commas
        | '、' | '，' | ',' | '､'
        // cl-09 iteration marks
        | 'ヽ' | 'ヾ' | 'ゝ' | 'ゞ' | '々' | '〻'
        // cl-10 prolonged sound mark
        | 'ー' | 'ｰ'
        // cl-11 small kana
        | 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ゕ' | 'ゖ'
        | 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ'
        | '\u{31F0}'..='\u{31FF}' | '\u{FF67}'..='\u{FF6F}'
        // UAX #14 NS voiced sound marks
        | '゛' | '゜'
    )
}

/// 行末禁則: characters that may not end a line (JLReq cl-01 opening brackets).
pub fn is_line_end_prohibited(c: char) -> bool {
    matches!(
        c,
        '‘' | '“'
            | '('
            | '（'
            | '['
            | '［'
            | '{'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〘'
            | '〖'
            | '⦅'
            | '｟'
            | '«'
            | '〝'
            | '｢'
    )
}

/// Prefixed abbreviations (JLReq cl-12) and the accounting minus signs △ ▲
/// (T4): they may not be separated from the number that follows.
fn is_numeral_prefix(c: char) -> bool {
    matches!(c, '¥' | '$' | '£' | '#' | '€' | '№' | '￥' | '＄' | '￡' | '＃' | '△' | '▲')
}

/// Postfixed abbreviations (JLReq cl-13) glued to the numeral before them.
fn is_numeral_postfix(c: char) -> bool {
    matches!(c, '%' | '‰' | '°' | '′' | '″' | '℃' | '¢' | '％' | '￠' | '㎡' | '㌔' | '㎏' | '㎝' | '㎜' | '㎞')
}

/// ASCII or full-width decimal digit.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Separators that belong to a number when they sit between two digits (T2).
fn is_digit_separator(c: char) -> bool {
    matches!(c, ',' | '.' | '，' | '．' | ':' | '：' | '/' | '／')
}

/// Spaces: a line may break after them, and they are dropped at a break.
pub fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

/// ASCII graphic characters form unbreakable words (T1: e-Tax, H30, URLs).
fn is_ascii_graphic(c: char) -> bool {
    ('\u{21}'..='\u{7E}').contains(&c)
}

/// Doubled dashes and leaders that may not be split (JLReq cl-08 pairs;
/// we treat ―― U+2015 like ——, as CP932 text uses it).
fn is_inseparable_pair(a: char, b: char) -> bool {
    a == b && matches!(a, '—' | '…' | '‥' | '―')
}

/// Counter and unit words glued to a preceding numeral (T3), longest first
/// so that `千円` wins over `円`.
const UNIT_WORDS: &[&str] = &[
    "百万円",
    "千万円",
    "千円",
    "万円",
    "億円",
    "円",
    "千人",
    "万人",
    "人",
    "世帯",
    "件",
    "回",
    "か所",
    "ヶ所",
    "カ所",
    "箇所",
    "か月",
    "ヶ月",
    "カ月",
    "年度",
    "年",
    "月",
    "日",
    "時",
    "分",
    "秒",
    "歳",
    "名",
    "台",
    "個",
    "枚",
    "冊",
    "点",
    "倍",
    "割",
    "号",
    "条",
    "項",
    "次",
    "㎡",
];

/// The break level of every boundary in `text`: element `i` is the
/// boundary before `text[i]`; element `text.len()` is the end of the text.
/// Element 0 is always [`BreakLevel::Never`].
pub fn break_levels(text: &[char]) -> Vec<BreakLevel> {
    let n = text.len();
    let mut levels = vec![BreakLevel::Free; n + 1];
    levels[0] = BreakLevel::Never;
    for i in 1..n {
        levels[i] = pair_level(text[i - 1], text[i]);
    }
    glue_digit_separators(text, &mut levels);
    glue_units(text, &mut levels);
    glue_eras(text, &mut levels);
    keep_short_groups(text, &mut levels);
    levels
}

/// The level between two neighbouring characters, from the rules that look
/// at the pair alone.
fn pair_level(a: char, b: char) -> BreakLevel {
    if is_space(b) {
        return BreakLevel::Never;
    }
    let mut level = BreakLevel::Free;
    let mut raise = |l: BreakLevel| level = level.max(l);
    if is_line_start_prohibited(b) || is_line_end_prohibited(a) {
        raise(BreakLevel::Kinsoku);
    }
    if is_numeral_prefix(a) && is_digit(b) {
        raise(BreakLevel::Kinsoku);
    }
    if is_space(a) {
        return level;
    }
    if is_inseparable_pair(a, b) || (is_digit(a) && is_digit(b)) {
        raise(BreakLevel::Inseparable);
    }
    if is_ascii_graphic(a) && is_ascii_graphic(b) {
        raise(BreakLevel::Inseparable);
    }
    if is_digit(a) && is_numeral_postfix(b) {
        raise(BreakLevel::Inseparable);
    }
    if a == '第' && is_digit(b) {
        raise(BreakLevel::UnitGlue);
    }
    level
}

/// T2: `７，１８８` and `0.5` are one unit — glue both sides of a separator
/// that stands between two digits.
fn glue_digit_separators(text: &[char], levels: &mut [BreakLevel]) {
    for i in 1..text.len().saturating_sub(1) {
        if is_digit_separator(text[i]) && is_digit(text[i - 1]) && is_digit(text[i + 1]) {
            levels[i] = levels[i].max(BreakLevel::Inseparable);
            levels[i + 1] = levels[i + 1].max(BreakLevel::Inseparable);
        }
    }
}

/// T3: glue a numeral to the counter or unit word that follows it, and keep
/// the unit word itself together (`７，１８８千円` never splits as `千|円`).
fn glue_units(text: &[char], levels: &mut [BreakLevel]) {
    let mut i = 1;
    while i < text.len() {
        if !is_digit(text[i - 1]) || is_digit(text[i]) {
            i += 1;
            continue;
        }
        if let Some(len) = unit_word_at(text, i) {
            levels[i] = levels[i].max(BreakLevel::UnitGlue);
            // The unit word itself is a word: 千|円 is never a break.
            for level in &mut levels[i + 1..i + len] {
                *level = (*level).max(BreakLevel::Inseparable);
            }
            i += len;
        } else {
            i += 1;
        }
    }
}

/// An era name followed by its year is one unit, like `第１２条` (T3 in
/// spirit): `令和|８年` is glued and `令|和` never splits, so a date range
/// never reads `～令／和８年３月`. `令和元年` likewise.
fn glue_eras(text: &[char], levels: &mut [BreakLevel]) {
    for i in 0..text.len().saturating_sub(2) {
        let named = ERAS.iter().any(|era| {
            let mut name = era.name.chars();
            name.next() == Some(text[i]) && name.next() == Some(text[i + 1]) && name.next().is_none()
        });
        if !named {
            continue;
        }
        let year = text[i + 2];
        if !is_digit(year) && year != '元' {
            continue;
        }
        levels[i + 1] = levels[i + 1].max(BreakLevel::Inseparable);
        levels[i + 2] = levels[i + 2].max(BreakLevel::UnitGlue);
        if year == '元' && text.get(i + 3) == Some(&'年') {
            levels[i + 3] = levels[i + 3].max(BreakLevel::Inseparable);
        }
    }
}

/// The widest bracketed group kept whole, in full-width characters
/// between its brackets (an ASCII character counts one half).
const SHORT_GROUP: f32 = 4.0;

/// A short bracketed group (`（自学）`, `(４月)`, `（計20件中）`) is not split
/// while any free break fits: its inner boundaries become
/// [`BreakLevel::Bracketed`]. Nested or unclosed brackets are left alone.
fn keep_short_groups(text: &[char], levels: &mut [BreakLevel]) {
    for open in 0..text.len() {
        if !is_line_end_prohibited(text[open]) {
            continue;
        }
        let mut width = 0.0;
        let mut close = None;
        for (j, &c) in text.iter().enumerate().skip(open + 1) {
            if is_line_end_prohibited(c) {
                break;
            }
            if is_closing_bracket(c) {
                close = Some(j);
                break;
            }
            width += if c.is_ascii() { 0.5 } else { 1.0 };
            if width > SHORT_GROUP {
                break;
            }
        }
        if let Some(close) = close.filter(|&c| c > open + 2) {
            for level in &mut levels[open + 2..close] {
                *level = (*level).max(BreakLevel::Bracketed);
            }
        }
    }
}

/// JLReq cl-02 closing brackets (the brackets among the 行頭禁則 characters).
fn is_closing_bracket(c: char) -> bool {
    matches!(
        c,
        '’' | '”'
            | ')'
            | '）'
            | ']'
            | '］'
            | '}'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〙'
            | '〗'
            | '⦆'
            | '｠'
            | '»'
            | '〟'
            | '｣'
    )
}

/// Length in characters of the longest unit word starting at `text[at]`.
fn unit_word_at(text: &[char], at: usize) -> Option<usize> {
    UNIT_WORDS.iter().find_map(|word| {
        let len = word.chars().count();
        let fits = at + len <= text.len() && word.chars().zip(&text[at..]).all(|(w, &t)| w == t);
        fits.then_some(len)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(s: &str) -> Vec<BreakLevel> {
        break_levels(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn closing_punctuation_may_not_start_a_line() {
        let l = levels("です。次");
        assert_eq!(l[2], BreakLevel::Kinsoku, "before 。");
        assert_eq!(l[3], BreakLevel::Free, "after 。");
        for c in ['、', '」', '）', 'ー', 'ッ', 'ょ', '々', '・', '～', '？'] {
            assert!(is_line_start_prohibited(c), "{c}");
        }
    }

    #[test]
    fn opening_brackets_may_not_end_a_line() {
        let l = levels("の（注）");
        assert_eq!(l[1], BreakLevel::Free, "before （");
        assert_eq!(l[2], BreakLevel::Kinsoku, "after （");
        assert!(is_line_end_prohibited('【'));
    }

    #[test]
    fn digit_runs_with_separators_are_one_unit() {
        let l = levels("額７，１８８千円");
        // 額|７ free; inside ７，１８８ inseparable (，also kinsoku); 千円 glued.
        assert_eq!(l[1], BreakLevel::Free);
        assert!(l[2..6].iter().all(|&x| x >= BreakLevel::Inseparable));
        assert_eq!(l[6], BreakLevel::UnitGlue, "７，１８８|千円");
        assert_eq!(l[7], BreakLevel::Inseparable, "千|円");
        let l = levels("0.5と");
        assert!(l[1] >= BreakLevel::Inseparable && l[2] >= BreakLevel::Inseparable);
    }

    #[test]
    fn ascii_words_do_not_split() {
        let l = levels("とe-Taxで");
        assert_eq!(l[1], BreakLevel::Free);
        assert!(l[2..5].iter().all(|&x| x >= BreakLevel::Inseparable));
        assert_eq!(l[6], BreakLevel::Free);
    }

    #[test]
    fn units_glue_to_numbers_longest_match() {
        let l = levels("１０月から");
        assert_eq!(l[1], BreakLevel::Inseparable, "１|０");
        assert_eq!(l[2], BreakLevel::UnitGlue, "０|月");
        assert_eq!(l[3], BreakLevel::Free, "月|か");
        let l = levels("6か月間");
        assert_eq!(l[1], BreakLevel::UnitGlue);
        assert_eq!(l[2], BreakLevel::Inseparable, "か|月 belongs to the unit");
        assert_eq!(l[3], BreakLevel::Free);
        let l = levels("第12条");
        assert_eq!(l[1], BreakLevel::UnitGlue, "第|1");
        assert_eq!(l[3], BreakLevel::UnitGlue, "12|条");
    }

    #[test]
    fn prefixes_and_postfixes_stay_with_their_number() {
        let l = levels("、△1,234");
        assert_eq!(l[1], BreakLevel::Free, "、|△");
        assert_eq!(l[2], BreakLevel::Kinsoku, "△|1");
        let l = levels("50％");
        assert_eq!(l[2], BreakLevel::Inseparable);
    }

    #[test]
    fn leaders_pairs_are_inseparable_but_breakable_before() {
        let l = levels("中……です");
        assert_eq!(l[1], BreakLevel::Free, "break allowed before ……");
        assert_eq!(l[2], BreakLevel::Inseparable);
    }

    #[test]
    fn era_names_glue_to_their_year() {
        let l = levels("～令和８年３月");
        assert_eq!(l[1], BreakLevel::Free, "～|令");
        assert_eq!(l[2], BreakLevel::Inseparable, "令|和");
        assert_eq!(l[3], BreakLevel::UnitGlue, "和|８");
        assert_eq!(l[4], BreakLevel::UnitGlue, "８|年");
        assert_eq!(l[5], BreakLevel::Free, "年|３");
        let l = levels("令和元年度");
        assert_eq!((l[1], l[2], l[3]), (BreakLevel::Inseparable, BreakLevel::UnitGlue, BreakLevel::Inseparable));
        // An era name not followed by a year is an ordinary word.
        assert_eq!(levels("令和の時代")[2], BreakLevel::Free);
    }

    #[test]
    fn short_bracketed_groups_hold_together() {
        let l = levels("自己啓発（自学）");
        assert_eq!(l[4], BreakLevel::Free, "before （");
        assert_eq!(l[6], BreakLevel::Bracketed, "自|学");
        // ASCII counts half: 計20件中 is four full-width characters.
        let l = levels("7件（計20件中）");
        assert_eq!(l[4], BreakLevel::Bracketed, "計|2");
        assert_eq!(l[7], BreakLevel::Bracketed, "件|中");
        // A long group may break inside.
        let l = levels("（１０月～令和８年２月）");
        assert_eq!(l[5], BreakLevel::Free, "～|令");
    }

    #[test]
    fn never_break_before_a_space_but_after_it() {
        let l = levels("a b");
        assert_eq!(l[1], BreakLevel::Never);
        assert_eq!(l[2], BreakLevel::Free);
        let l = levels("目標　・　次");
        assert_eq!(l[2], BreakLevel::Never);
        assert_eq!(l[3], BreakLevel::Kinsoku, "・ may not start a line");
    }
}
