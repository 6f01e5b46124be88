//! Japanese era dates and fiscal years (和暦, 年度): each era from the day
//! its 元号 took effect, the JIS X 0301 letters (M T S H R), and the
//! fiscal year of 1 April – 31 March (財政法 art. 11, 地方自治法 art. 208).

use chrono::{Datelike, NaiveDate};

/// One Japanese era.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    /// The JIS X 0301 letter (M T S H R).
    pub letter: char,
    /// The first day of the era (大正 and 昭和 include the day of accession;
    /// 平成 and 令和 began the day after).
    pub first_day: (i32, u32, u32),
}

impl Era {
    fn start(&self) -> NaiveDate {
        let (y, m, d) = self.first_day;
        NaiveDate::from_ymd_opt(y, m, d).expect("era table holds valid dates")
    }

    /// The Gregorian year that is year 1 of this era.
    pub fn base_year(&self) -> i32 {
        self.first_day.0
    }

    /// The first day of the era, as a date.
    pub fn first_date(&self) -> NaiveDate {
        self.start()
    }

    /// The last day of the era (the day before the next one began); `None`
    /// for the current era.
    pub fn last_date(&self) -> Option<NaiveDate> {
        let next = ERAS.iter().find(|e| e.start() > self.start())?;
        next.start().pred_opt()
    }
}

/// The eras, oldest first. Dates before 1873-01-01 (明治6年, when Japan
/// adopted the Gregorian calendar) are lunisolar and are refused.
pub const ERAS: [Era; 5] = [
    Era { name: "明治", letter: 'M', first_day: (1868, 1, 25) },
    Era { name: "大正", letter: 'T', first_day: (1912, 7, 30) },
    Era { name: "昭和", letter: 'S', first_day: (1926, 12, 25) },
    Era { name: "平成", letter: 'H', first_day: (1989, 1, 8) },
    Era { name: "令和", letter: 'R', first_day: (2019, 5, 1) },
];

/// The years yoshiki reads and prints, however they are written (a year,
/// an era year, a date): from 1873 (明治6年, when Japan adopted the
/// Gregorian calendar; earlier dates are lunisolar) to 2999. One range, so
/// that `M1` is refused as `1868` is, rather than printed as `１８６８年度`.
pub const YEARS: std::ops::RangeInclusive<i32> = 1873..=2999;

/// `year` if yoshiki prints it; otherwise why not, naming `input` as
/// written when it is not the year itself (`M1` is 1868).
pub fn check_year(input: &str, year: i32) -> Result<i32, YearError> {
    if YEARS.contains(&year) {
        return Ok(year);
    }
    let what =
        if input.trim() == year.to_string() { format!("{year}") } else { format!("`{}` ({year})", input.trim()) };
    Err(YearError(outside_years(what)))
}

/// `WHAT is outside the years yoshiki can print (1873–2999)`: the one
/// wording for a year outside [`YEARS`], however it came (read, or given
/// to a function of a layout).
pub fn outside_years(what: impl std::fmt::Display) -> String {
    format!("{what} is outside the years yoshiki can print ({}–{})", YEARS.start(), YEARS.end())
}

/// The newest era: what a blank form pre-prints.
pub fn current_era() -> Era {
    ERAS[ERAS.len() - 1]
}

/// First Gregorian date that can be written in an era.
fn gregorian_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(1873, 1, 1).expect("valid date")
}

/// An era and a year within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EraYear {
    pub era: Era,
    pub year: i32,
}

impl EraYear {
    /// `令和7`, or `令和元` for year 1 when `gannen` is set (the custom).
    pub fn label(&self, gannen: bool) -> String {
        if self.year == 1 && gannen {
            format!("{}元", self.era.name)
        } else {
            format!("{}{}", self.era.name, self.year)
        }
    }

    /// `R7`, `H30`: the short form used in table headers.
    pub fn short(&self) -> String {
        format!("{}{}", self.era.letter, self.year)
    }
}

/// The era and era year of a date. `None` before 1873-01-01.
pub fn era_of_date(date: NaiveDate) -> Option<EraYear> {
    if date < gregorian_start() {
        return None;
    }
    let era = *ERAS.iter().rev().find(|e| date >= e.start())?;
    Some(EraYear { era, year: date.year() - era.base_year() + 1 })
}

/// The label of fiscal year `fy` (1 April `fy` – 31 March `fy + 1`): the era
/// in force on 1 April, except FY2019, which the 2019-04-01
/// inter-ministerial agreement named 令和元年度 (our project rule).
pub fn era_of_fiscal_year(fy: i32) -> Option<EraYear> {
    if fy == 2019 {
        return Some(EraYear { era: current_era(), year: 1 });
    }
    era_of_date(NaiveDate::from_ymd_opt(fy, 4, 1)?)
}

/// The fiscal year a date falls in.
pub fn fiscal_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// Why a year could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct YearError(pub String);

/// Read a (fiscal) year as users write it: `2025`, `２０２５`, `令和7`,
/// `令和7年度`, `令和元年度`, `R7`, `r07`, `H30`, `平成30年`, or a date
/// `2025-04-01` (whose fiscal year is taken).
/// Every spelling is held to [`YEARS`] ([`check_year`]).
pub fn parse_fiscal_year(input: &str) -> Result<i32, YearError> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    if let Ok(date) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return check_year(input, fiscal_year_of(date));
    }
    let s = s.trim_end_matches("年度").trim_end_matches('年');
    if let Ok(year) = s.parse::<i32>() {
        return check_year(&year.to_string(), year);
    }
    let (era, rest) =
        split_era(s).ok_or_else(|| YearError(format!("`{input}` is not a year; write 2025, 令和7 or R7")))?;
    let year = if rest == "元" {
        1
    } else {
        rest.parse::<i32>().map_err(|_| YearError(format!("`{input}`: `{rest}` is not an era year")))?
    };
    let gregorian = era_year_to_gregorian(era, year)
        .ok_or_else(|| YearError(format!("`{input}`: {} has no year {year}", era.name)))?;
    check_year(input, gregorian)
}

/// The era named at the start of `s` and the rest: by name (`令和7年…`) or by
/// its letter before a digit (`R7.10.3`, `r07`, `H31/4/30`), as dates are
/// written. `None` when `s` does not start with an era.
pub fn split_era_prefix(s: &str) -> Option<(Era, &str)> {
    ERAS.iter().find_map(|era| {
        if let Some(rest) = s.strip_prefix(era.name) {
            return Some((*era, rest));
        }
        let mut chars = s.chars();
        let first = chars.next()?;
        let rest = chars.as_str();
        let numeric = rest.starts_with(|c: char| c.is_ascii_digit());
        (first.to_ascii_uppercase() == era.letter && numeric).then_some((*era, rest))
    })
}

/// `令和8年2月20日`: a date in 和暦 (ASCII digits; the caller chooses the
/// digits to print). Year 1 is 元年 when `gannen` is set. `None` before 1873.
pub fn wareki_date(date: NaiveDate, gannen: bool) -> Option<String> {
    let era = era_of_date(date)?;
    Some(format!("{}年{}月{}日", era.label(gannen), date.month(), date.day()))
}

/// `令和8年2月`: a month in 和暦, named by the era of its first day (so
/// 2019-05 is 令和元年5月 and 2019-04 平成31年4月).
pub fn wareki_month(year: i32, month: u32, gannen: bool) -> Option<String> {
    let era = era_of_date(NaiveDate::from_ymd_opt(year, month, 1)?)?;
    Some(format!("{}年{}月", era.label(gannen), month))
}

/// `令和8年`: a calendar year in 和暦, named by the era in force at its end
/// (2019 is 令和元年, 1989 平成元年), as conversion tables name it.
pub fn wareki_year(year: i32, gannen: bool) -> Option<String> {
    let era = era_of_date(NaiveDate::from_ymd_opt(year, 12, 31)?)?;
    Some(format!("{}年", era.label(gannen)))
}

/// Split `令和7` / `R7` into the era and the rest: [`split_era_prefix`],
/// where an era written by its letter names a year only before digits
/// alone (`R7`, `H30`; `R7.10` is a date, not a year).
fn split_era(s: &str) -> Option<(Era, &str)> {
    let (era, rest) = split_era_prefix(s)?;
    let by_name = s.starts_with(era.name);
    (by_name || rest.chars().all(|c| c.is_ascii_digit())).then_some((era, rest))
}

/// The Gregorian year of an era year, if the era had such a year.
fn era_year_to_gregorian(era: Era, year: i32) -> Option<i32> {
    if year < 1 {
        return None;
    }
    let gregorian = era.base_year() + year - 1;
    let next = ERAS.iter().find(|e| e.base_year() > era.base_year());
    match next {
        Some(next) if gregorian > next.base_year() => None,
        _ => Some(gregorian),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fy(y: i32) -> String {
        era_of_fiscal_year(y).unwrap().label(true)
    }

    #[test]
    fn fiscal_years_take_the_era_of_april_first() {
        assert_eq!(fy(2025), "令和7");
        assert_eq!(fy(2018), "平成30");
        assert_eq!(fy(1988), "昭和63", "FY1988 stays 昭和63年度");
        assert_eq!(fy(1989), "平成元");
        assert_eq!(fy(2019), "令和元", "project rule for FY2019");
        assert_eq!(fy(2020), "令和2");
    }

    #[test]
    fn era_boundaries_by_day() {
        let d = |y, m, dd| era_of_date(NaiveDate::from_ymd_opt(y, m, dd).unwrap()).unwrap();
        assert_eq!(d(2019, 4, 30).label(true), "平成31");
        assert_eq!(d(2019, 5, 1).label(true), "令和元");
        assert_eq!(d(1989, 1, 7).label(true), "昭和64");
        assert_eq!(d(1989, 1, 8).label(true), "平成元");
        assert_eq!(d(1926, 12, 25).label(true), "昭和元", "accession day is the new era");
        assert_eq!(d(1912, 7, 30).label(false), "大正1");
        assert!(era_of_date(NaiveDate::from_ymd_opt(1872, 12, 31).unwrap()).is_none());
    }

    #[test]
    fn era_ranges_and_prefixes() {
        let reiwa = current_era();
        assert_eq!(reiwa.last_date(), None);
        assert_eq!(reiwa.first_date(), NaiveDate::from_ymd_opt(2019, 5, 1).unwrap());
        assert_eq!(ERAS[3].last_date(), NaiveDate::from_ymd_opt(2019, 4, 30));
        assert_eq!(ERAS[2].last_date(), NaiveDate::from_ymd_opt(1989, 1, 7));
        let split = |s| split_era_prefix(s).map(|(e, rest)| (e.name, rest));
        assert_eq!(split("令和7年10月3日"), Some(("令和", "7年10月3日")));
        assert_eq!(split("R7.10.3"), Some(("令和", "7.10.3")));
        assert_eq!(split("h31.4.30"), Some(("平成", "31.4.30")));
        assert_eq!(split("Rx"), None);
        assert_eq!(split("2025-10-03"), None);
    }

    #[test]
    fn wareki_texts() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(wareki_date(date(2026, 2, 20), true).unwrap(), "令和8年2月20日");
        assert_eq!(wareki_date(date(2019, 5, 1), true).unwrap(), "令和元年5月1日");
        assert_eq!(wareki_date(date(2019, 5, 1), false).unwrap(), "令和1年5月1日");
        assert_eq!(wareki_date(date(1872, 12, 31), true), None);
        assert_eq!(wareki_month(2019, 4, true).unwrap(), "平成31年4月");
        assert_eq!(wareki_month(2019, 5, true).unwrap(), "令和元年5月");
        assert_eq!(wareki_year(2019, true).unwrap(), "令和元年");
        assert_eq!(wareki_year(2026, true).unwrap(), "令和8年");
        assert_eq!(wareki_year(1989, true).unwrap(), "平成元年");
    }

    #[test]
    fn parses_years_as_users_write_them() {
        for (s, y) in [
            ("2025", 2025),
            ("２０２５", 2025),
            ("令和7", 2025),
            ("令和７年度", 2025),
            ("令和元年度", 2019),
            ("R7", 2025),
            ("r2", 2020),
            ("H30", 2018),
            ("平成30年", 2018),
            ("2026-03-31", 2025),
            ("2025-04-01", 2025),
        ] {
            assert_eq!(parse_fiscal_year(s), Ok(y), "{s}");
        }
        assert!(parse_fiscal_year("平成40").is_err(), "平成 ended in its 31st year");
        assert!(parse_fiscal_year("令和0").is_err());
        assert!(parse_fiscal_year("next year").is_err());
        assert_eq!(parse_fiscal_year("soon"), Err(YearError("`soon` is not a year; write 2025, 令和7 or R7".into())));
        assert_eq!(era_of_fiscal_year(2020).unwrap().short(), "R2");
    }

    #[test]
    fn every_spelling_of_a_year_has_the_same_range() {
        let outside = "outside the years yoshiki can print (1873–2999)";
        assert_eq!(parse_fiscal_year("1868"), Err(YearError(format!("1868 is {outside}"))));
        assert_eq!(parse_fiscal_year("M1"), Err(YearError(format!("`M1` (1868) is {outside}"))));
        assert_eq!(parse_fiscal_year("明治5年度"), Err(YearError(format!("`明治5年度` (1872) is {outside}"))));
        assert_eq!(parse_fiscal_year("1850-04-01"), Err(YearError(format!("`1850-04-01` (1850) is {outside}"))));
        assert_eq!(parse_fiscal_year("明治6"), Ok(1873));
        assert_eq!(parse_fiscal_year("2999"), Ok(2999));
        assert!(parse_fiscal_year("3000").is_err());
    }
}
