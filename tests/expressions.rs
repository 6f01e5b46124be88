//! The expression, calendar and numeral APIs as the layout integration will
//! use them: through the library's public interface.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use yoshiki::calendar::{self, holidays, Month};
use yoshiki::expr::{functions::record, Env, ErrorKind, Expr, Printer, Template, Val};
use yoshiki::text::numerals::{format_decimal, parse_number, Digits, NumberFormat, Sign};

/// A scope as the checked layout will give it: the row's fields first, then
/// the document's.
struct Scopes<'a> {
    row: &'a BTreeMap<String, Val>,
    document: &'a BTreeMap<String, Val>,
}

impl Env for Scopes<'_> {
    fn get(&self, name: &str) -> Option<Val> {
        self.row.get(name).or_else(|| self.document.get(name)).cloned()
    }

    fn names(&self) -> Vec<String> {
        self.row.keys().chain(self.document.keys()).cloned().collect()
    }
}

fn date(s: &str) -> NaiveDate {
    calendar::parse_date(s).unwrap()
}

#[test]
fn a_kyuka_todoke_period_and_day_count() {
    let document: BTreeMap<String, Val> = [
        ("kikan_from".to_string(), Val::Date(date("2026-02-20"))),
        ("kikan_to".to_string(), Val::Date(date("令和8年2月24日"))),
    ]
    .into();
    let env = Scopes { row: &BTreeMap::new(), document: &document };
    let period =
        Template::compile("{wareki(kikan_from)}（{weekday(kikan_from)}）～{wareki(kikan_to)}（{weekday(kikan_to)}）")
            .unwrap();
    assert_eq!(period.render_default(&env).unwrap(), "令和８年２月２０日（金）～令和８年２月２４日（火）");
    let days = Expr::compile("working_days(kikan_from, kikan_to)").unwrap();
    assert_eq!(days.names(), ["kikan_from", "kikan_to"]);
    assert_eq!(Printer::default().print(&days.eval(&env).unwrap()).unwrap(), "２");
}

#[test]
fn a_shukkinbo_month_of_rows() {
    let month = calendar::parse_month("2026-02").unwrap();
    let entries = Val::list(vec![
        record([("date", Val::Date(date("2026-02-03"))), ("jikangai", Val::Number("1.5".parse().unwrap()))]),
        record([("date", Val::Date(date("2026-02-12"))), ("jikangai", Val::Number("0.1".parse().unwrap()))]),
    ]);
    let document: BTreeMap<String, Val> =
        [("month".to_string(), Val::Month(month)), ("entries".to_string(), entries)].into();
    let days = Expr::compile("days_of_month(month)").unwrap();
    let top = Scopes { row: &BTreeMap::new(), document: &document };
    let Val::List(days) = days.eval(&top).unwrap() else { panic!("a list of days") };
    assert_eq!(days.len(), 28);
    let weekday = Expr::compile("weekday(day)").unwrap();
    let shade = Expr::compile("is_weekend(day) || is_holiday(day)").unwrap();
    let note = Template::compile("{holiday_name(day)}").unwrap();
    let mut weekdays = String::new();
    let mut shaded = 0;
    let mut notes = Vec::new();
    for day in days.iter() {
        let row: BTreeMap<String, Val> = [("day".to_string(), day.clone())].into();
        let env = Scopes { row: &row, document: &document };
        let Val::Text(w) = weekday.eval(&env).unwrap() else { panic!() };
        weekdays.push_str(&w);
        shaded += usize::from(shade.eval(&env).unwrap() == Val::Bool(true));
        let n = note.render_default(&env).unwrap();
        if !n.is_empty() {
            notes.push(n);
        }
    }
    assert_eq!(weekdays, "日月火水木金土".repeat(4));
    assert_eq!(shaded, 8 + 2, "eight weekend days, 建国記念の日 (水) and 天皇誕生日 (月)");
    assert_eq!(notes, ["建国記念の日", "天皇誕生日"]);
    let total = Template::compile("{sum(entries, \"jikangai\")}時間").unwrap();
    assert_eq!(total.render_default(&top).unwrap(), "１．６時間");
}

#[test]
fn errors_carry_kind_offset_and_help() {
    let env: BTreeMap<String, Val> = [("kikan_from".to_string(), Val::Date(date("2026-02-20")))].into();
    let e = Template::compile("期間：{weekday(kikan_form)}").unwrap().render_default(&env).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownName);
    assert_eq!(e.offset, Some(12), "characters into the template");
    assert_eq!(e.help.as_deref(), Some("did you mean `kikan_from`?"));
}

#[test]
fn holidays_numbers_and_dates_from_outside() {
    let h = holidays::holiday(date("2026-02-23")).unwrap().unwrap();
    assert_eq!((h.name, h.kind), ("天皇誕生日", holidays::HolidayKind::National));
    assert_eq!(calendar::working_days(date("2026-02-20"), date("2026-02-24")), Ok(2));
    assert_eq!(Month::new(2026, 2).unwrap().day_count(), 28);
    let amount = NumberFormat { sign: Sign::Triangle, grouping: true, digits: Digits::Fullwidth, places: None };
    assert_eq!(format_decimal(parse_number("-1,234").unwrap(), &amount), "△１，２３４");
    assert!(parse_number("7,18,8").is_err());
    assert!(calendar::parse_date("令和元年4月1日").unwrap_err().0.contains("令和 began on"));
}
