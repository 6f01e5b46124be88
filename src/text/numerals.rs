//! Numbers as forms print them: full-width digits (全角数字), grouped
//! amounts such as `７，１８８千円`, decimals with fixed places and the
//! accounting sign `△`; and numbers as users type them ([`parse_number`]).
//! 公用文作成の考え方 (2022) leaves full- or half-width digits to the
//! document, to be used consistently, and groups large numbers by three
//! with a comma; △ for a negative amount is the accounting custom of
//! Japanese public budgets.

use rust_decimal::{Decimal, RoundingStrategy};

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

/// How a negative number is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    /// `－５` (`-5` with ASCII digits).
    #[default]
    Minus,
    /// `△５`: the accounting sign of Japanese budget tables.
    Triangle,
    /// `▲５`: the filled triangle some ledgers use.
    BlackTriangle,
}

impl Sign {
    fn mark(self, digits: Digits) -> char {
        match (self, digits) {
            (Sign::Minus, Digits::Fullwidth) => '－',
            (Sign::Minus, Digits::Ascii) => '-',
            (Sign::Triangle, _) => '△',
            (Sign::BlackTriangle, _) => '▲',
        }
    }
}

/// How a cell prints a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberFormat {
    /// Fixed decimal places (rounded half up, 四捨五入, and padded with
    /// zeros); `None` prints the number with the places it has (`3.10`
    /// stays `3.10`).
    pub places: Option<u32>,
    pub sign: Sign,
    pub digits: Digits,
    /// A thousands separator every three digits of the integer part.
    pub grouping: bool,
}

/// Print a decimal number: `12.5` with 1 place → `１２．５`; `-1234` grouped
/// with the triangle sign → `△１，２３４`. A value that rounds to zero
/// prints without a sign.
pub fn format_decimal(value: Decimal, format: &NumberFormat) -> String {
    let value = match format.places {
        Some(places) => {
            let mut v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
            v.rescale(places);
            v
        }
        None => value,
    };
    let plain = value.abs().to_string();
    let (integer, fraction) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let (separator, point) = match format.digits {
        Digits::Fullwidth => ('，', '．'),
        Digits::Ascii => (',', '.'),
    };
    let mut out = String::with_capacity(plain.len() * 4);
    if value.is_sign_negative() && !value.is_zero() {
        out.push(format.sign.mark(format.digits));
    }
    for (i, c) in integer.chars().enumerate() {
        if format.grouping && i > 0 && (integer.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if let Some(fraction) = fraction {
        out.push(point);
        out.push_str(fraction);
    }
    match format.digits {
        Digits::Fullwidth => out.chars().map(fullwidth_digit).collect(),
        Digits::Ascii => out,
    }
}

fn fullwidth_digit(c: char) -> char {
    match c {
        '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Why a number could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError(pub String);

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NumberError {}

/// Read a number as users type it: `7188`, `7,188`, `７，１８８`, `12.5`,
/// `１２．５`, `-5`, `－５`, `△5`, `▲5`. Commas must group by threes
/// (`7,18,8` is refused) and exponents (`1e3`) are not numbers on a form.
pub fn parse_number(input: &str) -> Result<Decimal, NumberError> {
    let fail = |why: &str| Err(NumberError(format!("`{input}` is not a number: {why}")));
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '，' => ',',
            '．' => '.',
            '－' | '−' | '△' | '▲' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect();
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if body.is_empty() {
        return fail("write digits, such as 7,188 or 12.5");
    }
    if body.contains(['e', 'E']) && body.chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c)) {
        return fail("exponents (e) are not used on forms; write the digits out, such as 1000");
    }
    let (integer, fraction) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if integer.is_empty() || fraction.is_some_and(|f| f.is_empty()) {
        return fail("a decimal point needs digits on both sides, such as 0.5");
    }
    if let Some(bad) = body.chars().find(|c| !c.is_ascii_digit() && *c != ',' && *c != '.') {
        return fail(&format!("`{bad}` is not a digit"));
    }
    if fraction.is_some_and(|f| f.contains(['.', ','])) {
        return fail("commas and a second point cannot follow the decimal point");
    }
    if integer.contains(',') {
        let groups: Vec<&str> = integer.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            let digits: String = integer.chars().filter(|c| *c != ',').collect();
            let regrouped = format_grouped_digits(&digits);
            return fail(&format!("commas separate groups of three digits, as in {regrouped}"));
        }
    }
    let plain: String = body.chars().filter(|c| *c != ',').collect();
    let value: Decimal = plain.parse().map_err(|_| NumberError(format!("`{input}` is too large a number")))?;
    Ok(if negative { -value } else { value })
}

/// `7188` → `7,188` (for messages).
fn format_grouped_digits(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

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

    #[test]
    fn decimals_with_places_signs_and_digits() {
        let places = |p| NumberFormat { places: Some(p), ..NumberFormat::default() };
        assert_eq!(format_decimal(dec("12.5"), &places(1)), "１２．５");
        assert_eq!(format_decimal(dec("12.5"), &places(2)), "１２．５０");
        assert_eq!(format_decimal(dec("12.45"), &places(1)), "１２．５", "half up");
        assert_eq!(format_decimal(dec("-12.45"), &places(1)), "－１２．５", "half away from zero");
        assert_eq!(format_decimal(dec("12.5"), &places(0)), "１３");
        assert_eq!(format_decimal(dec("-0.04"), &places(1)), "０．０", "no sign on zero");
        let amount = NumberFormat { sign: Sign::Triangle, grouping: true, ..NumberFormat::default() };
        assert_eq!(format_decimal(dec("-1234"), &amount), "△１，２３４");
        assert_eq!(format_decimal(dec("1234567.5"), &amount), "１，２３４，５６７．５");
        let black = NumberFormat { sign: Sign::BlackTriangle, digits: Digits::Ascii, ..amount };
        assert_eq!(format_decimal(dec("-1234"), &black), "▲1,234");
        let ascii = NumberFormat { digits: Digits::Ascii, ..NumberFormat::default() };
        assert_eq!(format_decimal(dec("-5"), &ascii), "-5");
        assert_eq!(format_decimal(dec("3.10"), &ascii), "3.10", "places as typed");
        assert_eq!(format_decimal(dec("999"), &amount), "９９９");
        // Ten entries of 0.1 hours add up exactly.
        let sum: Decimal = (0..10).map(|_| dec("0.1")).sum();
        assert_eq!(format_decimal(sum, &NumberFormat::default()), "１．０");
        assert_eq!(format_decimal(dec("0.1") + dec("0.2"), &NumberFormat::default()), "０．３");
    }

    #[test]
    fn numbers_as_users_type_them() {
        for (s, n) in [
            ("7188", "7188"),
            ("7,188", "7188"),
            ("７，１８８", "7188"),
            ("1,234,567", "1234567"),
            ("12.5", "12.5"),
            ("１２．５", "12.5"),
            ("3.10", "3.10"),
            ("-5", "-5"),
            ("－５", "-5"),
            ("△5", "-5"),
            ("▲1,000", "-1000"),
            ("+3", "3"),
            (" 42 ", "42"),
            ("0.1", "0.1"),
        ] {
            assert_eq!(parse_number(s), Ok(dec(n)), "{s}");
        }
        assert_eq!(parse_number("3.10").unwrap().to_string(), "3.10", "places are kept");
        let err = |s| parse_number(s).unwrap_err().0;
        assert_eq!(err("7,18,8"), "`7,18,8` is not a number: commas separate groups of three digits, as in 7,188");
        assert!(err("1,2345").contains("groups of three digits, as in 12,345"));
        assert!(err(",123").contains("groups of three"));
        assert_eq!(
            err("1e3"),
            "`1e3` is not a number: exponents (e) are not used on forms; write the digits out, such as 1000"
        );
        assert!(err("12.").contains("both sides"));
        assert!(err(".5").contains("both sides"));
        assert!(err("1.2.3").contains("second point"));
        assert!(err("1.234,5").contains("second point"));
        assert!(err("abc").contains("`a` is not a digit"));
        assert!(err("").contains("write digits"));
        assert!(err("-").contains("write digits"));
        assert!(err("99999999999999999999999999999999").contains("too large"));
    }

    #[test]
    fn extremes_do_not_panic() {
        for places in [None, Some(0), Some(2), Some(28)] {
            for v in [Decimal::MAX, Decimal::MIN, Decimal::new(1, 28), Decimal::from(i64::MIN)] {
                let f = NumberFormat { places, grouping: true, ..NumberFormat::default() };
                assert!(!format_decimal(v, &f).is_empty());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn printed_numbers_read_back(mantissa in proptest::num::i64::ANY, scale in 0u32..10, grouping: bool, fullwidth: bool, triangle: bool) {
            let value = Decimal::new(mantissa, scale);
            let format = NumberFormat {
                places: None,
                sign: if triangle { Sign::Triangle } else { Sign::Minus },
                digits: if fullwidth { Digits::Fullwidth } else { Digits::Ascii },
                grouping,
            };
            let printed = format_decimal(value, &format);
            proptest::prop_assert_eq!(parse_number(&printed), Ok(value), "{}", printed);
        }
    }
}
