//! Japanese public holidays (国民の祝日 and the other 休日 of the 祝日法).
//!
//! 1955 to 2027 come from the Cabinet Office list committed beside this file
//! (`holidays.csv`, its origin in its header); it already holds every special
//! day: 振替休日, 国民の休日, the imperial ceremonies (1959, 1989, 1990, 1993,
//! 2019) and the Olympic moves of 2020 and 2021. Later years, up to
//! [`LAST_YEAR`], follow the rules of the law as it stands (祝日法 as amended
//! in 2018): a future change of the law needs a newer list here.
//!
//! The list names both 振替休日 and 国民の休日 just `休日`; we tell them apart
//! by the rule that made them (祝日法 第3条第2項 and 第3項) and print the
//! common names. Three published names are made plain: the 2019-05-01
//! `休日（祝日扱い）` is 天皇の即位の日 and the 2019-10-22 one 即位礼正殿の儀
//! (the 2018 law naming both days), and `体育の日（スポーツの日）` is 体育の日,
//! the day's name in 2019.

use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The first year whose holidays are known (the Cabinet Office list starts
/// in 1955).
pub const FIRST_YEAR: i32 = 1955;
/// The last year whose holidays are known. After the list, the equinox days
/// come from the usual formula, valid to 2099.
pub const LAST_YEAR: i32 = 2099;

/// What made a day a holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    /// A 国民の祝日 named in 祝日法 第2条 (元日, 春分の日, …).
    National,
    /// 振替休日 (第3条第2項): the next free day after a 祝日 on a Sunday.
    Substitute,
    /// 国民の休日 (第3条第3項): a day between two 祝日.
    Bridge,
    /// A day made a holiday by its own law: an imperial wedding, funeral,
    /// accession or enthronement ceremony.
    Special,
}

/// One holiday and its Japanese name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    /// `天皇誕生日`, `振替休日`, `国民の休日`, …
    pub name: &'static str,
    pub kind: HolidayKind,
}

/// A date whose holidays are not known (before 1955 or after [`LAST_YEAR`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    pub date: NaiveDate,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "public holidays (祝日) are known from {FIRST_YEAR} to {LAST_YEAR}; {} is outside those years",
            self.date
        )
    }
}

impl std::error::Error for OutOfRange {}

pub fn first_known_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid date")
}

pub fn last_known_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid date")
}

fn check(date: NaiveDate) -> Result<(), OutOfRange> {
    if (first_known_day()..=last_known_day()).contains(&date) {
        Ok(())
    } else {
        Err(OutOfRange { date })
    }
}

/// The holiday on `date`, if it is one.
pub fn holiday(date: NaiveDate) -> Result<Option<&'static Holiday>, OutOfRange> {
    check(date)?;
    let table = table();
    Ok(table.binary_search_by_key(&date, |h| h.date).ok().map(|i| &table[i]))
}

/// Whether `date` is a 祝日 or another 休日 of the law (not 土日 as such).
pub fn is_holiday(date: NaiveDate) -> Result<bool, OutOfRange> {
    Ok(holiday(date)?.is_some())
}

/// The holidays from `from` to `to`, both included, in date order.
pub fn between(from: NaiveDate, to: NaiveDate) -> Result<&'static [Holiday], OutOfRange> {
    check(from)?;
    check(to)?;
    let table = table();
    let start = table.partition_point(|h| h.date < from);
    let end = table.partition_point(|h| h.date <= to);
    Ok(&table[start..end.max(start)])
}

/// The last year taken from the Cabinet Office list; later years follow the
/// rules.
pub fn official_until() -> i32 {
    table_parts().1
}

/// Every known holiday, sorted by date.
fn table() -> &'static [Holiday] {
    &table_parts().0
}

fn table_parts() -> &'static (Vec<Holiday>, i32) {
    static TABLE: OnceLock<(Vec<Holiday>, i32)> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut holidays = from_list(include_str!("holidays.csv"));
        let last = holidays.last().map_or(FIRST_YEAR - 1, |h| h.date.year());
        for year in last + 1..=LAST_YEAR {
            holidays.extend(by_rule(year));
        }
        (holidays, last)
    })
}

/// Read the Cabinet Office list (`#` lines are ours, then its header row).
fn from_list(text: &'static str) -> Vec<Holiday> {
    let rows: Vec<(NaiveDate, &'static str)> = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (date, name) = line.trim_end().split_once(',').expect("holidays.csv: date,name");
            let date = NaiveDate::parse_from_str(date, "%Y/%m/%d").expect("holidays.csv: Y/M/D dates");
            (date, name)
        })
        .collect();
    let named = |date: NaiveDate| rows.binary_search_by_key(&date, |r| r.0).ok().map(|i| rows[i].1);
    let mut out = Vec::with_capacity(rows.len() + 1000);
    for &(date, name) in &rows {
        let kind = match name {
            "休日" => rest_day_kind(date, &named),
            "休日（祝日扱い）" | "結婚の儀" | "大喪の礼" | "即位礼正殿の儀" => {
                HolidayKind::Special
            }
            _ => HolidayKind::National,
        };
        out.push(Holiday { date, name: plain_name(date, name, kind), kind });
    }
    assert!(out.windows(2).all(|w| w[0].date < w[1].date), "holidays.csv is sorted");
    out
}

/// A `休日` of the list: 振替休日 if it closes a run of holidays that began
/// with a 祝日 on a Sunday (before 2007 only the Monday after), otherwise
/// 国民の休日 (both neighbours are 祝日).
fn rest_day_kind(date: NaiveDate, named: &dyn Fn(NaiveDate) -> Option<&'static str>) -> HolidayKind {
    let mut day = date.pred_opt();
    while let Some(d) = day {
        match named(d) {
            Some("休日") | None => break,
            Some(_) if d.weekday() == Weekday::Sun => return HolidayKind::Substitute,
            Some(_) => day = d.pred_opt(),
        }
    }
    let is_holiday = |d: Option<NaiveDate>| d.and_then(named).is_some_and(|n| n != "休日");
    assert!(is_holiday(date.pred_opt()) && is_holiday(date.succ_opt()), "{date}: a 休日 that no rule explains");
    HolidayKind::Bridge
}

/// The name to print for a day of the list.
fn plain_name(date: NaiveDate, name: &'static str, kind: HolidayKind) -> &'static str {
    match (kind, name, (date.year(), date.month(), date.day())) {
        (HolidayKind::Substitute, ..) => "振替休日",
        (HolidayKind::Bridge, ..) => "国民の休日",
        (_, "休日（祝日扱い）", (2019, 5, 1)) => "天皇の即位の日",
        (_, "休日（祝日扱い）", (2019, 10, 22)) => "即位礼正殿の儀",
        (_, "体育の日（スポーツの日）", _) => "体育の日",
        _ => name,
    }
}

/// The holidays of `year` by the law as amended in 2018 (Act No. 178 of
/// 1948, in force from 2022 without special measures).
fn by_rule(year: i32) -> Vec<Holiday> {
    let on = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("valid date");
    // Happy Monday (第2条, 2000/2003 amendments): the n-th Monday of a month.
    let monday = |m, n| NaiveDate::from_weekday_of_month_opt(year, m, Weekday::Mon, n).expect("valid date");
    let mut national = vec![
        (on(1, 1), "元日"),
        (monday(1, 2), "成人の日"),
        (on(2, 11), "建国記念の日"),
        (on(2, 23), "天皇誕生日"),
        (on(3, vernal_equinox_day(year)), "春分の日"),
        (on(4, 29), "昭和の日"),
        (on(5, 3), "憲法記念日"),
        (on(5, 4), "みどりの日"),
        (on(5, 5), "こどもの日"),
        (monday(7, 3), "海の日"),
        (on(8, 11), "山の日"),
        (monday(9, 3), "敬老の日"),
        (on(9, autumnal_equinox_day(year)), "秋分の日"),
        (monday(10, 2), "スポーツの日"),
        (on(11, 3), "文化の日"),
        (on(11, 23), "勤労感謝の日"),
    ];
    national.sort();
    let is_national = |d: NaiveDate| national.iter().any(|&(n, _)| n == d);
    let mut out: Vec<Holiday> =
        national.iter().map(|&(date, name)| Holiday { date, name, kind: HolidayKind::National }).collect();
    for &(date, _) in &national {
        // 第3条第2項: a 祝日 on a Sunday gives the nearest following day that
        // is not a 祝日.
        if date.weekday() == Weekday::Sun {
            let mut day = date + Days::new(1);
            while is_national(day) {
                day = day + Days::new(1);
            }
            out.push(Holiday { date: day, name: "振替休日", kind: HolidayKind::Substitute });
        }
        // 第3条第3項: a day between two 祝日 (in September when 敬老の日 and
        // 秋分の日 are two days apart).
        let middle = date + Days::new(1);
        let after = date + Days::new(2);
        if is_national(after) && !is_national(middle) && !out.iter().any(|h| h.date == middle) {
            out.push(Holiday { date: middle, name: "国民の休日", kind: HolidayKind::Bridge });
        }
    }
    out.sort_by_key(|h| h.date);
    out
}

/// 春分日 in March: the usual approximation of the equinox for 1980–2099,
/// `⌊20.8431 + 0.242194 (Y − 1980) − ⌊(Y − 1980) / 4⌋⌋`, in integers so no
/// float rounding enters. The official day is fixed in the previous
/// February's 官報 (暦要項).
fn vernal_equinox_day(year: i32) -> u32 {
    equinox_day(20_843_100, year)
}

/// 秋分日 in September, as [`vernal_equinox_day`] with 23.2488.
fn autumnal_equinox_day(year: i32) -> u32 {
    equinox_day(23_248_800, year)
}

fn equinox_day(base_micro_days: i64, year: i32) -> u32 {
    debug_assert!((1980..=2099).contains(&year));
    let y = i64::from(year - 1980);
    let day = (base_micro_days + 242_194 * y) / 1_000_000 - y / 4;
    u32::try_from(day).expect("an equinox day of month")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn name(date: NaiveDate) -> Option<&'static str> {
        holiday(date).unwrap().map(|h| h.name)
    }

    /// `date,name` rows of a committed list (`#` lines are comments).
    fn read_list(text: &str, format: &str) -> Vec<(NaiveDate, String)> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let (date, name) = l.split_once(',').unwrap();
                (NaiveDate::parse_from_str(date, format).unwrap(), name.to_string())
            })
            .collect()
    }

    #[test]
    fn matches_the_official_list_2019_to_2027() {
        let official = read_list(include_str!("testdata/official-2019-2027.csv"), "%Y/%m/%d");
        assert_eq!(official.len(), 165);
        let ours = between(d(2019, 1, 1), d(2027, 12, 31)).unwrap();
        assert_eq!(ours.len(), official.len(), "the same number of days");
        for (h, (date, published)) in ours.iter().zip(&official) {
            assert_eq!(h.date, *date);
            let expected = match published.as_str() {
                "休日" => &["振替休日", "国民の休日"][..],
                "休日（祝日扱い）" => &["天皇の即位の日", "即位礼正殿の儀"][..],
                "体育の日（スポーツの日）" => &["体育の日"][..],
                other => &[other][..],
            };
            assert!(expected.contains(&h.name), "{date}: {} for {published}", h.name);
        }
        // And every other day of those years is not a holiday.
        let days = crate::calendar::days::dates(d(2019, 1, 1), d(2027, 12, 31));
        assert_eq!(days.filter(|&x| is_holiday(x).unwrap()).count(), official.len());
    }

    #[test]
    fn the_special_days_of_2019_to_2021() {
        assert_eq!(name(d(2019, 4, 30)), Some("国民の休日"));
        assert_eq!(name(d(2019, 5, 1)), Some("天皇の即位の日"));
        assert_eq!(name(d(2019, 5, 2)), Some("国民の休日"));
        assert_eq!(name(d(2019, 5, 6)), Some("振替休日"));
        assert_eq!(name(d(2019, 10, 22)), Some("即位礼正殿の儀"));
        assert_eq!(name(d(2019, 12, 23)), None, "no 天皇誕生日 in 2019");
        // Olympic moves.
        assert_eq!(name(d(2020, 7, 23)), Some("海の日"));
        assert_eq!(name(d(2020, 7, 24)), Some("スポーツの日"));
        assert_eq!(name(d(2020, 8, 10)), Some("山の日"));
        assert_eq!(name(d(2020, 10, 12)), None);
        assert_eq!(name(d(2021, 7, 22)), Some("海の日"));
        assert_eq!(name(d(2021, 7, 23)), Some("スポーツの日"));
        assert_eq!(name(d(2021, 8, 8)), Some("山の日"));
        assert_eq!(name(d(2021, 8, 9)), Some("振替休日"));
        assert_eq!(name(d(2021, 8, 11)), None);
        assert_eq!(holiday(d(2019, 5, 1)).unwrap().unwrap().kind, HolidayKind::Special);
    }

    #[test]
    fn older_special_days_and_rest_days() {
        assert_eq!(name(d(1955, 1, 1)), Some("元日"));
        assert_eq!(name(d(1959, 4, 10)), Some("結婚の儀"));
        assert_eq!(name(d(1989, 2, 24)), Some("大喪の礼"));
        assert_eq!(name(d(1990, 11, 12)), Some("即位礼正殿の儀"));
        assert_eq!(name(d(1993, 6, 9)), Some("結婚の儀"));
        // 振替休日 began on 1973-04-12; 1973-04-30 was the first one.
        assert_eq!(name(d(1973, 2, 12)), None);
        assert_eq!(name(d(1973, 4, 30)), Some("振替休日"));
        // 5/4 became 国民の休日 in 1988 (law of 1985-12-27), and a 5/4 right
        // after a Sunday 5/3 was a 振替休日 instead.
        assert_eq!(name(d(1985, 5, 4)), None);
        assert_eq!(name(d(1988, 5, 4)), Some("国民の休日"));
        assert_eq!(name(d(1987, 5, 4)), Some("振替休日"));
        // Silver week 2015; 2009.
        assert_eq!(name(d(2015, 9, 22)), Some("国民の休日"));
        assert_eq!(name(d(2009, 9, 22)), Some("国民の休日"));
        // After 2007 a Sunday 5/3 moves the 振替休日 to 5/6.
        assert_eq!(name(d(2026, 5, 6)), Some("振替休日"));
        assert_eq!(name(d(2026, 2, 23)), Some("天皇誕生日"));
        assert_eq!(name(d(2026, 2, 11)), Some("建国記念の日"));
        let every = table();
        assert!(every.iter().filter(|h| h.name == "休日").count() == 0, "every 休日 is classified");
    }

    #[test]
    fn rules_reproduce_the_list_since_2022() {
        let listed = between(d(2022, 1, 1), d(2027, 12, 31)).unwrap();
        let ruled: Vec<Holiday> = (2022..=2027).flat_map(by_rule).collect();
        assert_eq!(ruled, listed);
    }

    #[test]
    fn equinox_formula_matches_the_list_since_1980() {
        for year in 1980..=official_until() {
            let march = between(d(year, 3, 1), d(year, 3, 31)).unwrap();
            let spring = march.iter().find(|h| h.name == "春分の日").unwrap();
            assert_eq!(spring.date.day(), vernal_equinox_day(year), "{year}");
            let september = between(d(year, 9, 1), d(year, 9, 30)).unwrap();
            let autumn = september.iter().find(|h| h.name == "秋分の日").unwrap();
            assert_eq!(autumn.date.day(), autumnal_equinox_day(year), "{year}");
        }
    }

    #[test]
    fn rules_after_the_list_match_holiday_jp() {
        assert_eq!(official_until(), 2027);
        let theirs = read_list(include_str!("testdata/holiday_jp-2028-2030.csv"), "%Y-%m-%d");
        let ours = between(d(2028, 1, 1), d(2030, 12, 31)).unwrap();
        assert_eq!(ours.len(), theirs.len());
        for (h, (date, their_name)) in ours.iter().zip(&theirs) {
            assert_eq!(h.date, *date);
            // holiday_jp writes a 振替休日 as `休日` (like the official list)
            // or `建国記念の日 振替休日`.
            let expected = if their_name == "休日" || their_name.ends_with("振替休日") {
                "振替休日"
            } else {
                their_name.as_str()
            };
            assert_eq!(h.name, expected, "{date}");
        }
    }

    #[test]
    fn range_is_checked() {
        assert!(holiday(d(1954, 12, 31)).is_err());
        assert!(holiday(d(2100, 1, 1)).is_err());
        assert_eq!(name(d(2099, 1, 1)), Some("元日"));
        let err = is_holiday(d(1950, 1, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "public holidays (祝日) are known from 1955 to 2099; 1950-01-01 is outside those years"
        );
        assert!(between(d(2026, 1, 1), d(2100, 1, 1)).is_err());
        assert!(between(d(2026, 3, 1), d(2026, 2, 1)).unwrap().is_empty());
    }
}
