//! Months and day counts: the arithmetic a 出勤簿 or a 休暇届 needs.
//!
//! Counts are **inclusive** as forms count them: a leave from 2/20 to 2/20 is
//! one day. A reversed range (`b` before `a`) gives the same count negated, so
//! `days_between(b, a) == -days_between(a, b)` for `a != b`, and the result
//! is never 0.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::holidays::{self, OutOfRange};

/// A calendar month (`2026-02`), e.g. the month a 出勤簿 sheet covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month, if `month` is 1–12 and the year one chrono can hold.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1)?;
        // The last day must exist too (the very last month chrono holds).
        NaiveDate::from_ymd_opt(year, month, month_length(year, month)?)?;
        Some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 = January … 12 = December.
    pub fn month(self) -> u32 {
        self.month
    }

    /// How many days the month has: 28, 29, 30 or 31.
    pub fn day_count(self) -> u32 {
        month_length(self.year, self.month).expect("a Month is valid")
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a Month is valid")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day_count()).expect("a Month is valid")
    }

    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let first = self.first_day();
        (0..self.day_count()).map(move |i| first + Days::new(u64::from(i)))
    }

    /// The month after this one.
    pub fn next(self) -> Option<Month> {
        match self.month {
            12 => Month::new(self.year.checked_add(1)?, 1),
            m => Month::new(self.year, m + 1),
        }
    }

    /// The month before this one.
    pub fn previous(self) -> Option<Month> {
        match self.month {
            1 => Month::new(self.year.checked_sub(1)?, 12),
            m => Month::new(self.year, m - 1),
        }
    }
}

/// `2026-02`, as data files write a month.
impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Gregorian leap years: every 4th year, except centuries not divisible by
/// 400 (2000 was one, 2100 is not).
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` of `year`; `None` unless `month` is 1–12.
pub fn month_length(year: i32, month: u32) -> Option<u32> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return None,
    })
}

/// Days from `a` to `b`, both included: the same day is 1, the next day 2.
/// For `b` before `a` the count is negative: `days_between(b, a) ==
/// -days_between(a, b)` whenever `a != b` (never 0).
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    let span = (b - a).num_days();
    if span >= 0 {
        span + 1
    } else {
        span - 1
    }
}

/// 土曜日 or 日曜日.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Working days from `a` to `b`, both included: days that are neither 土日
/// nor a 祝日/休日 (振替休日 and 国民の休日 included). Negative when `b` is
/// before `a`, like [`days_between`] (but 0 when no day is a working day). An
/// error when the range leaves the years whose holidays are known.
pub fn working_days(a: NaiveDate, b: NaiveDate) -> Result<i64, OutOfRange> {
    let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    let weekdays = weekdays_between(from, to);
    let holidays_on_weekdays = holidays::between(from, to)?.iter().filter(|h| !is_weekend(h.date)).count() as i64;
    Ok(sign * (weekdays - holidays_on_weekdays))
}

/// Monday–Friday days in `from..=to` (`from <= to`), counted without a walk.
fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days() + 1;
    let (weeks, rest) = (days / 7, days % 7);
    let start = i64::from(from.weekday().num_days_from_monday());
    // The `rest` days after the whole weeks start on `from`'s weekday.
    let rest_weekdays = (0..rest).filter(|i| (start + i) % 7 < 5).count() as i64;
    weeks * 5 + rest_weekdays
}

/// `date` moved by `n` days (negative: back), if the result exists.
pub fn add_days(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let step = Days::new(n.unsigned_abs());
    if n >= 0 {
        date.checked_add_days(step)
    } else {
        date.checked_sub_days(step)
    }
}

/// Every day from `a` to `b`, both included; empty when `b` is before `a`.
pub fn dates(a: NaiveDate, b: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let count = if b >= a { (b - a).num_days() + 1 } else { 0 };
    (0..count).map(move |i| a + Days::new(i as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(2100));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(2026));
        assert_eq!(Month::new(2024, 2).unwrap().day_count(), 29);
        assert_eq!(Month::new(2100, 2).unwrap().day_count(), 28);
        assert_eq!(Month::new(2000, 2).unwrap().day_count(), 29);
    }

    #[test]
    fn months() {
        let feb = Month::new(2026, 2).unwrap();
        assert_eq!(feb.to_string(), "2026-02");
        assert_eq!(feb.day_count(), 28);
        assert_eq!(feb.first_day(), d(2026, 2, 1));
        assert_eq!(feb.last_day(), d(2026, 2, 28));
        let days: Vec<_> = feb.days().collect();
        assert_eq!(days.len(), 28);
        assert_eq!(days[0].weekday(), Weekday::Sun, "2026-02-01 is a Sunday");
        assert_eq!(Month::new(2025, 12).unwrap().next(), Month::new(2026, 1));
        assert_eq!(Month::new(2026, 1).unwrap().previous(), Month::new(2025, 12));
        assert_eq!(Month::new(2026, 13), None);
        assert_eq!(Month::new(2026, 0), None);
        assert_eq!(Month::of(d(2026, 2, 20)), feb);
    }

    #[test]
    fn inclusive_counts() {
        assert_eq!(days_between(d(2026, 2, 20), d(2026, 2, 20)), 1);
        assert_eq!(days_between(d(2026, 2, 20), d(2026, 2, 24)), 5);
        assert_eq!(days_between(d(2026, 2, 24), d(2026, 2, 20)), -5);
        // 2/20 金, 2/21 土, 2/22 日, 2/23 天皇誕生日, 2/24 火.
        assert_eq!(working_days(d(2026, 2, 20), d(2026, 2, 24)), Ok(2));
        assert_eq!(working_days(d(2026, 2, 24), d(2026, 2, 20)), Ok(-2));
        assert_eq!(working_days(d(2026, 2, 21), d(2026, 2, 22)), Ok(0));
        // Golden Week 2026: 4/29 水 昭和の日, 5/3 日, 5/4 月, 5/5 火, 5/6 水 振替休日.
        assert_eq!(working_days(d(2026, 4, 27), d(2026, 5, 8)), Ok(6));
        assert!(working_days(d(1954, 12, 1), d(1955, 1, 10)).is_err());
    }

    #[test]
    fn adding_days() {
        assert_eq!(add_days(d(2026, 2, 28), 1), Some(d(2026, 3, 1)));
        assert_eq!(add_days(d(2024, 3, 1), -1), Some(d(2024, 2, 29)));
        assert_eq!(add_days(d(2026, 1, 1), 0), Some(d(2026, 1, 1)));
        assert_eq!(add_days(NaiveDate::MAX, 1), None);
        assert_eq!(add_days(d(2026, 1, 1), i64::MIN), None);
        assert_eq!(dates(d(2026, 2, 27), d(2026, 3, 2)).count(), 4);
        assert_eq!(dates(d(2026, 3, 2), d(2026, 2, 27)).count(), 0);
    }

    fn date_in_known_years() -> impl Strategy<Value = NaiveDate> {
        (0i64..(145 * 365)).prop_map(|n| d(1955, 1, 1) + Days::new(n as u64))
    }

    proptest! {
        #[test]
        fn days_between_is_inclusive_and_antisymmetric(a in date_in_known_years(), b in date_in_known_years()) {
            let n = days_between(a, b);
            prop_assert!(n != 0);
            if a != b {
                prop_assert_eq!(days_between(b, a), -n);
            } else {
                prop_assert_eq!(n, 1);
            }
            if a <= b {
                prop_assert!(n >= 1);
                prop_assert_eq!(Some(b), add_days(a, n - 1));
                prop_assert_eq!(dates(a, b).count() as i64, n);
            }
        }

        #[test]
        fn working_days_never_exceed_days(a in date_in_known_years(), len in 0i64..400) {
            let b = add_days(a, len).unwrap();
            prop_assume!(b <= holidays::last_known_day());
            let work = working_days(a, b).unwrap();
            prop_assert!(work >= 0);
            prop_assert!(work <= days_between(a, b));
            if a != b {
                prop_assert_eq!(working_days(b, a).unwrap(), -work);
            }
            // Against a day-by-day walk.
            let walked = dates(a, b)
                .filter(|&x| !is_weekend(x) && !holidays::is_holiday(x).unwrap())
                .count() as i64;
            prop_assert_eq!(work, walked);
        }

        #[test]
        fn month_lengths_sum_to_the_year(year in 1873i32..3000) {
            let total: u32 = (1..=12).map(|m| Month::new(year, m).unwrap().day_count()).sum();
            prop_assert_eq!(total, if is_leap_year(year) { 366 } else { 365 });
            let last = Month::new(year, 12).unwrap().last_day();
            prop_assert_eq!(last.ordinal(), total);
        }

        #[test]
        fn add_days_round_trips(a in date_in_known_years(), n in -100_000i64..100_000) {
            let b = add_days(a, n).unwrap();
            prop_assert_eq!(add_days(b, -n), Some(a));
            prop_assert_eq!((b - a).num_days(), n);
        }
    }
}
