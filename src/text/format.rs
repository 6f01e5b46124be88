//! Values as forms print them: amounts and numbers with their digits,
//! fiscal years and dates in 和暦, and what a blank form pre-prints for
//! them. Pure functions of plain values (no cells, no data model).

use chrono::NaiveDate;

use super::era::{current_era, era_of_date, era_of_fiscal_year};
use super::numerals::{format_digits, format_grouped, Digits};

/// An amount, grouped by thousands (`７，１８８`), between `prefix` and
/// `suffix` (`千円`).
pub fn amount(n: i64, prefix: &str, suffix: &str, digits: Digits) -> String {
    format!("{prefix}{}{suffix}", format_grouped(n, digits))
}

/// A number without grouping, between `prefix` and `suffix`.
pub fn number(n: i64, prefix: &str, suffix: &str, digits: Digits) -> String {
    format!("{prefix}{}{suffix}", format_digits(&n.to_string(), digits))
}

/// A fiscal year: `令和７年度` (year 1 as 元年 with `gannen`), or
/// `1850年度` before the eras.
pub fn fiscal_year(fy: i32, gannen: bool, digits: Digits) -> String {
    match era_of_fiscal_year(fy) {
        Some(era) => format_digits(&format!("{}年度", era.label(gannen)), digits),
        None => format_digits(&format!("{fy}年度"), digits),
    }
}

/// `平成30年度`: a fiscal year as a plan's title writes it.
pub fn year_label(fy: i32) -> String {
    fiscal_year(fy, true, Digits::Ascii)
}

/// A plan's period: `平成30年度～令和4年度`.
pub fn period(from: i32, to: i32) -> String {
    format!("{}～{}", year_label(from), year_label(to))
}

/// A year as a column heading: `R2` (short) or `令和2年度`; empty before
/// the eras.
pub fn year_heading(fy: i32, short: bool) -> String {
    match era_of_fiscal_year(fy) {
        Some(era) if short => era.short(),
        Some(era) => format!("{}年度", era.label(true)),
        None => String::new(),
    }
}

/// A date in 和暦: `令和７年４月１日` (JIS X 0301 eras; year 1 as 元年 with
/// `gannen`), or ISO `1850-01-01` before 1873, when Japan adopted the
/// Gregorian calendar.
pub fn date(d: NaiveDate, gannen: bool, digits: Digits) -> String {
    match era_of_date(d) {
        Some(era) => {
            format_digits(&format!("{}年{}月{}日", era.label(gannen), d.format("%-m"), d.format("%-d")), digits)
        }
        None => d.format("%Y-%m-%d").to_string(),
    }
}

/// What a blank form pre-prints for a fiscal year: `令和　　年度`.
pub fn blank_fiscal_year() -> String {
    format!("{}　　年度", current_era().name)
}

/// What a blank form pre-prints for a date: `令和　　年　　月　　日`.
pub fn blank_date() -> String {
    format!("{}　　年　　月　　日", current_era().name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_wareki() {
        assert_eq!(date(day(2025, 4, 1), true, Digits::Fullwidth), "令和７年４月１日");
        assert_eq!(date(day(2019, 5, 1), true, Digits::Ascii), "令和元年5月1日");
        assert_eq!(date(day(2019, 5, 1), false, Digits::Ascii), "令和1年5月1日");
        assert_eq!(date(day(1850, 1, 1), true, Digits::Fullwidth), "1850-01-01");
    }

    #[test]
    fn years_and_amounts() {
        assert_eq!(fiscal_year(2019, true, Digits::Fullwidth), "令和元年度");
        assert_eq!(year_label(2018), "平成30年度");
        assert_eq!(period(2018, 2022), "平成30年度～令和4年度");
        assert_eq!((year_heading(2020, true), year_heading(2020, false)), ("R2".into(), "令和2年度".into()));
        assert_eq!(amount(7188, "", "千円", Digits::Fullwidth), "７，１８８千円");
        assert_eq!(number(-5, "第", "号", Digits::Ascii), "第-5号");
    }
}
