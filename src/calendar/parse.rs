//! Dates and months as people write them: `2025-10-03`, `2025/10/3`,
//! `令和7年10月3日`, `令和元年5月1日`, `R7.10.3`, `H31.4.30`, full-width digits
//! and spaces; months `2025-10`, `令和7年10月`, `R7.10`.
//!
//! An impossible date is an error that says why: the month's length
//! (`2026-02-30`) or the era's range (`令和元年4月1日`: 令和 began on 5/1).

use std::fmt;

use chrono::NaiveDate;

use super::days::{month_length, Month};
use crate::text::era::{split_era_prefix, Era, YEARS};

/// Why a date or month could not be read; the message names the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

/// A date as people write it (see the module docs).
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let written = Written::read(input, Parts::Date).ok_or_else(|| {
        DateError(format!("`{input}` is not a date; write 2025-10-03, 2025/10/3, 令和7年10月3日 or R7.10.3"))
    })?;
    let year = written.gregorian_year(input)?;
    let (month, day) = (written.month, written.day.expect("a date has a day"));
    check_month(input, month)?;
    let length = month_length(year, month).expect("month checked");
    if day == 0 || day > length {
        return Err(DateError(format!("`{input}`: {year}-{month:02} has {length} days, so there is no day {day}")));
    }
    let date = NaiveDate::from_ymd_opt(year, month, day).expect("day checked");
    check_years(input, year)?;
    if let Some(era) = written.era {
        check_era(input, era, date, date)?;
    }
    Ok(date)
}

/// A month as people write it: `2025-10`, `2025/10`, `2025年10月`,
/// `令和7年10月`, `R7.10`.
pub fn parse_month(input: &str) -> Result<Month, DateError> {
    let written = Written::read(input, Parts::Month)
        .ok_or_else(|| DateError(format!("`{input}` is not a month; write 2025-10, 令和7年10月 or R7.10")))?;
    let year = written.gregorian_year(input)?;
    check_month(input, written.month)?;
    check_years(input, year)?;
    let month = Month::new(year, written.month).expect("month and year checked");
    if let Some(era) = written.era {
        check_era(input, era, month.first_day(), month.last_day())?;
    }
    Ok(month)
}

#[derive(Clone, Copy, PartialEq)]
enum Parts {
    Date,
    Month,
}

/// The numbers of a written date, before any range check.
struct Written {
    era: Option<Era>,
    /// Gregorian, or the era year (1 for 元).
    year: i32,
    month: u32,
    day: Option<u32>,
}

impl Written {
    fn read(input: &str, parts: Parts) -> Option<Written> {
        let s = normalize(input);
        let (era, rest) = match split_era_prefix(&s) {
            Some((era, rest)) => (Some(era), rest),
            None => (None, s.as_str()),
        };
        // `令和7年10月3日` → `7/10/3`; `R7.10.3`, `2025-10-03` → the same.
        let rest = rest.strip_suffix('日').filter(|_| rest.contains('月')).unwrap_or(rest);
        let rest = if parts == Parts::Month { rest.strip_suffix('月').unwrap_or(rest) } else { rest };
        let unified: String =
            rest.chars().map(|c| if matches!(c, '年' | '月' | '.' | '-') { '/' } else { c }).collect();
        let fields: Vec<&str> = unified.split('/').collect();
        let wanted = if parts == Parts::Date { 3 } else { 2 };
        if fields.len() != wanted {
            return None;
        }
        let number = |f: &str, max_len: usize| -> Option<u32> {
            (!f.is_empty() && f.len() <= max_len && f.bytes().all(|b| b.is_ascii_digit())).then(|| f.parse().ok())?
        };
        let year = match (era, fields[0]) {
            (Some(_), "元") => 1,
            (Some(_), y) => number(y, 3)? as i32,
            // A Gregorian year is written in full (`25-10-03` could be 令和).
            (None, y) if y.len() == 4 => number(y, 4)? as i32,
            (None, _) => return None,
        };
        let month = number(fields[1], 2)?;
        let day = if parts == Parts::Date { Some(number(fields[2], 2)?) } else { None };
        Some(Written { era, year, month, day })
    }

    fn gregorian_year(&self, input: &str) -> Result<i32, DateError> {
        match self.era {
            None => Ok(self.year),
            Some(era) if self.year == 0 => {
                Err(DateError(format!("`{input}`: {} has no year 0; its first year is 元年 (1)", era.name)))
            }
            Some(era) => Ok(era.base_year() + self.year - 1),
        }
    }
}

fn check_month(input: &str, month: u32) -> Result<(), DateError> {
    if (1..=12).contains(&month) {
        Ok(())
    } else {
        Err(DateError(format!("`{input}`: there is no month {month}; months run from 1 to 12")))
    }
}

fn check_years(input: &str, year: i32) -> Result<(), DateError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(DateError(format!(
            "`{input}` is outside the years yoshiki handles ({} to {}; Japan adopted the Gregorian calendar in 1873)",
            YEARS.start(),
            YEARS.end()
        )))
    }
}

/// The written era must be in force for some day of `first..=last`.
fn check_era(input: &str, era: Era, first: NaiveDate, last: NaiveDate) -> Result<(), DateError> {
    let wareki = |d: NaiveDate| crate::text::era::wareki_date(d, true).unwrap_or_else(|| d.to_string());
    if last < era.first_date() {
        return Err(DateError(format!(
            "`{input}` is before {}: {} began on {} ({})",
            era.name,
            era.name,
            wareki(era.first_date()),
            era.first_date()
        )));
    }
    if let Some(end) = era.last_date().filter(|&end| first > end) {
        return Err(DateError(format!(
            "`{input}` is after {}: {} ended on {} ({})",
            era.name,
            era.name,
            wareki(end),
            end
        )));
    }
    Ok(())
}

/// Full-width digits, letters and punctuation to ASCII; spaces (also
/// 全角スペース) dropped.
fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // ！ to ～ (U+FF01–FF5E) are ASCII shifted by 0xFEE0.
            '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '−' | '‐' | '―' => '-',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn dates_as_people_write_them() {
        for (s, date) in [
            ("2025-10-03", d(2025, 10, 3)),
            ("2025/10/3", d(2025, 10, 3)),
            ("2025年10月3日", d(2025, 10, 3)),
            ("2025.10.3", d(2025, 10, 3)),
            ("令和7年10月3日", d(2025, 10, 3)),
            ("令和元年5月1日", d(2019, 5, 1)),
            ("R7.10.3", d(2025, 10, 3)),
            ("R07.10.03", d(2025, 10, 3)),
            ("r7/10/3", d(2025, 10, 3)),
            ("H31.4.30", d(2019, 4, 30)),
            ("平成31年4月30日", d(2019, 4, 30)),
            ("昭和64年1月7日", d(1989, 1, 7)),
            ("２０２５－１０－０３", d(2025, 10, 3)),
            ("令和７年１０月３日", d(2025, 10, 3)),
            ("令和 7 年 10 月 3 日", d(2025, 10, 3)),
            ("　Ｒ７．１０．３　", d(2025, 10, 3)),
            ("2024-02-29", d(2024, 2, 29)),
            ("令和100年1月1日", d(2118, 1, 1)),
        ] {
            assert_eq!(parse_date(s), Ok(date), "{s}");
        }
    }

    #[test]
    fn impossible_dates_say_why() {
        let err = |s| parse_date(s).unwrap_err().0;
        assert_eq!(err("2026-02-30"), "`2026-02-30`: 2026-02 has 28 days, so there is no day 30");
        assert_eq!(err("2025-02-29"), "`2025-02-29`: 2025-02 has 28 days, so there is no day 29");
        assert_eq!(err("2025-04-31"), "`2025-04-31`: 2025-04 has 30 days, so there is no day 31");
        assert_eq!(err("2025-13-01"), "`2025-13-01`: there is no month 13; months run from 1 to 12");
        assert_eq!(err("2025-10-00"), "`2025-10-00`: 2025-10 has 31 days, so there is no day 0");
        assert_eq!(err("令和元年4月1日"), "`令和元年4月1日` is before 令和: 令和 began on 令和元年5月1日 (2019-05-01)");
        assert_eq!(err("平成31年5月1日"), "`平成31年5月1日` is after 平成: 平成 ended on 平成31年4月30日 (2019-04-30)");
        assert!(err("平成40年1月1日").contains("平成 ended on"));
        assert_eq!(err("令和0年1月1日"), "`令和0年1月1日`: 令和 has no year 0; its first year is 元年 (1)");
        assert!(err("1850-01-01").contains("outside the years"));
        assert!(err("明治5年12月1日").contains("outside the years"), "lunisolar dates");
        for bad in ["", "tomorrow", "25-10-03", "2025-10", "2025-10-03-01", "10月3日", "2025/1O/3", "R.10.3"] {
            assert!(err(bad).contains("is not a date"), "{bad}: {}", err(bad));
        }
    }

    #[test]
    fn months_as_people_write_them() {
        let m = |y, mm| Month::new(y, mm).unwrap();
        for (s, month) in [
            ("2025-10", m(2025, 10)),
            ("2025/10", m(2025, 10)),
            ("2025年10月", m(2025, 10)),
            ("令和7年10月", m(2025, 10)),
            ("令和元年5月", m(2019, 5)),
            ("R7.10", m(2025, 10)),
            ("Ｒ７．１０", m(2025, 10)),
            ("平成31年4月", m(2019, 4)),
            ("昭和64年1月", m(1989, 1)),
            ("平成元年1月", m(1989, 1)),
        ] {
            assert_eq!(parse_month(s), Ok(month), "{s}");
        }
        let err = |s| parse_month(s).unwrap_err().0;
        assert!(err("令和元年4月").contains("令和 began on"));
        assert!(err("平成31年5月").contains("平成 ended on"));
        assert!(err("2025-13").contains("no month 13"));
        assert!(err("2025-10-03").contains("is not a month"));
        assert!(err("October").contains("is not a month"));
    }

    proptest::proptest! {
        #[test]
        fn every_written_form_reads_back(n in 0i64..(1127 * 365)) {
            use chrono::Datelike;
            let date = d(1873, 1, 1) + chrono::Days::new(n as u64);
            let era = crate::text::era::era_of_date(date).unwrap();
            let (y, m, dd) = (date.year(), date.month(), date.day());
            for written in [
                format!("{y}-{m:02}-{dd:02}"),
                format!("{y}/{m}/{dd}"),
                format!("{y}年{m}月{dd}日"),
                crate::text::era::wareki_date(date, true).unwrap(),
                crate::text::era::wareki_date(date, false).unwrap(),
                format!("{}{}.{m}.{dd}", era.era.letter, era.year),
                crate::text::numerals::to_fullwidth_digits(&crate::text::era::wareki_date(date, false).unwrap()),
            ] {
                proptest::prop_assert_eq!(parse_date(&written), Ok(date), "{}", written);
            }
            let month = Month::of(date);
            proptest::prop_assert_eq!(parse_month(&format!("{y}-{m:02}")), Ok(month));
            proptest::prop_assert_eq!(parse_month(&crate::text::era::wareki_month(y, m, true).unwrap()), Ok(month));
        }
    }
}
