//! Numbers as forms print them: full-width digits (全角数字) and grouped
//! amounts such as `７，１８８千円`: 公用文作成の考え方 (2022) leaves
//! full- or half-width digits to the document, to be used consistently,
//! and groups large numbers by three with a comma.

/// Which digits a cell prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Digits {
    /// ０–９ (U+FF10–FF19), and ，for the thousands separator.
    #[default]
    Fullwidth,
    /// 0–9 and `,`.
    Ascii,
}

/// Convert the ASCII digits (and a minus sign) of `s` to full-width; other
/// characters are left alone (no NFKC: it would also fold ①, ㎡, ㈱…).
pub fn to_fullwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            '-' => '－',
            _ => c,
        })
        .collect()
}

/// Format an integer with a thousands separator every three digits, in the
/// chosen digits. Negative amounts take the accounting sign △, as Japanese
/// budget tables write them.
pub fn format_grouped(value: i64, digits: Digits) -> String {
    let plain = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(plain.len() * 4);
    let separator = match digits {
        Digits::Fullwidth => '，',
        Digits::Ascii => ',',
    };
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    let sign = if value < 0 { "△" } else { "" };
    format_digits(&format!("{sign}{grouped}"), digits)
}

/// Print `s` with the chosen digits.
pub fn format_digits(s: &str, digits: Digits) -> String {
    match digits {
        Digits::Fullwidth => to_fullwidth_digits(s),
        Digits::Ascii => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_digits_only_touch_digits() {
        assert_eq!(to_fullwidth_digits("R7年4月1日 ①"), "R７年４月１日 ①");
        assert_eq!(to_fullwidth_digits("-5"), "－５");
    }

    #[test]
    fn grouped_amounts() {
        assert_eq!(format_grouped(7188, Digits::Fullwidth), "７，１８８");
        assert_eq!(format_grouped(1234567, Digits::Ascii), "1,234,567");
        assert_eq!(format_grouped(999, Digits::Fullwidth), "９９９");
        assert_eq!(format_grouped(0, Digits::Fullwidth), "０");
        assert_eq!(format_grouped(-1234, Digits::Ascii), "△1,234");
    }
}
