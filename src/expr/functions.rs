//! The functions an expression may call, over [`Val`]s (no engine types
//! here). [`FUNCTIONS`] is the one list: the engine registers it, the
//! compiler checks calls against it, and `docs/layout.md` documents it
//! (a test keeps the two in step and runs every example).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::print::Printer;
use super::value::Val;
use super::{ErrorKind, LIMITS};
use crate::calendar::{self, days, holidays, Month};
use crate::text::era::{fiscal_year_of, outside_years, parse_fiscal_year, YEARS};

/// A function failed: plain words, and a hint where one is obvious.
#[derive(Debug, Clone, PartialEq)]
pub struct FnError {
    pub kind: ErrorKind,
    pub message: String,
    pub help: Option<String>,
}

impl FnError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> FnError {
        FnError { kind, message: message.into(), help: None }
    }

    fn help(mut self, help: impl Into<String>) -> FnError {
        self.help = Some(help.into());
        self
    }
}

type Result<T> = std::result::Result<T, FnError>;

/// One function of the expression language.
pub struct Function {
    pub name: &'static str,
    /// How it is called, for messages and docs: `round(x, places)`.
    pub usage: &'static str,
    /// The argument counts it accepts.
    pub arities: &'static [usize],
    pub summary: &'static str,
    /// An expression using it, evaluated in the sample scope of the docs
    /// (`kikan_from` = 2026-02-20 …), and what that prints.
    pub example: &'static str,
    pub result: &'static str,
    pub(crate) call: fn(&[Val]) -> Result<Val>,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.usage)
    }
}

/// Find a function by name.
pub fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Every function, in the order the docs list them.
pub static FUNCTIONS: &[Function] = &[
    // 和暦
    Function {
        name: "wareki",
        usage: "wareki(date)",
        arities: &[1],
        summary: "a date in 和暦 (元年 for year 1)",
        example: "wareki(kikan_from)",
        result: "令和８年２月２０日",
        call: wareki,
    },
    Function {
        name: "wareki_ym",
        usage: "wareki_ym(month or date)",
        arities: &[1],
        summary: "a year and month in 和暦",
        example: "wareki_ym(month)",
        result: "令和８年２月",
        call: wareki_ym,
    },
    Function {
        name: "wareki_year",
        usage: "wareki_year(date or year)",
        arities: &[1],
        summary: "a year in 和暦; a year number is named by the era at its end (2019 → 令和元年)",
        example: "wareki_year(2019)",
        result: "令和元年",
        call: wareki_year,
    },
    Function {
        name: "fiscal_year",
        usage: "fiscal_year(date, month, year or text)",
        arities: &[1],
        summary: "the fiscal year (年度, April–March) of a date or month; text as `令和7年度`, `R7`, `2025`",
        example: "fiscal_year(date(\"2026-03-31\"))",
        result: "令和７年度",
        call: fiscal_year,
    },
    Function {
        name: "nendo",
        usage: "nendo(fiscal year, year or date)",
        arities: &[1],
        summary: "a fiscal year in 和暦 (FY2019 is 令和元年度)",
        example: "nendo(2019)",
        result: "令和元年度",
        call: nendo,
    },
    // 曜日と祝日
    Function {
        name: "weekday",
        usage: "weekday(date)",
        arities: &[1],
        summary: "the day of the week, one character",
        example: "weekday(kikan_from)",
        result: "金",
        call: weekday,
    },
    Function {
        name: "weekday_long",
        usage: "weekday_long(date)",
        arities: &[1],
        summary: "the day of the week in full",
        example: "weekday_long(kikan_from)",
        result: "金曜日",
        call: weekday_long,
    },
    Function {
        name: "weekday_num",
        usage: "weekday_num(date)",
        arities: &[1],
        summary: "the day of the week as a number, 1 = Monday … 7 = Sunday",
        example: "weekday_num(kikan_from)",
        result: "５",
        call: weekday_num,
    },
    Function {
        name: "is_weekend",
        usage: "is_weekend(date)",
        arities: &[1],
        summary: "true on 土曜日 and 日曜日",
        example: "if is_weekend(add_days(kikan_from, 1)) { \"休\" } else { \"\" }",
        result: "休",
        call: is_weekend,
    },
    Function {
        name: "is_holiday",
        usage: "is_holiday(date)",
        arities: &[1],
        summary: "true on a 祝日 or 休日 (振替休日, 国民の休日 included); known 1955–2099",
        example: "if is_holiday(date(\"2026-02-23\")) { \"祝\" } else { \"\" }",
        result: "祝",
        call: is_holiday,
    },
    Function {
        name: "holiday_name",
        usage: "holiday_name(date)",
        arities: &[1],
        summary: "the name of the 祝日 on that day, blank on other days",
        example: "holiday_name(date(\"2026-02-23\"))",
        result: "天皇誕生日",
        call: holiday_name,
    },
    // 日付
    Function {
        name: "date",
        usage: "date(text)",
        arities: &[1],
        summary: "a date from text as people write it: `2025-10-03`, `2025/10/3`, `令和7年10月3日`, `R7.10.3`",
        example: "date(\"R8.2.20\")",
        result: "令和８年２月２０日",
        call: date,
    },
    Function {
        name: "month",
        usage: "month(text or date)",
        arities: &[1],
        summary: "a month from text (`2025-10`, `令和7年10月`, `R7.10`) or the month of a date",
        example: "month(\"2026-02\")",
        result: "令和８年２月",
        call: month,
    },
    Function {
        name: "add_days",
        usage: "add_days(date, n)",
        arities: &[2],
        summary: "the date n days later (n < 0: earlier)",
        example: "add_days(kikan_from, 10)",
        result: "令和８年３月２日",
        call: add_days,
    },
    Function {
        name: "days_between",
        usage: "days_between(from, to)",
        arities: &[2],
        summary: "days from one date to another, both counted (the same day is 1)",
        example: "days_between(kikan_from, kikan_to)",
        result: "５",
        call: days_between,
    },
    Function {
        name: "working_days",
        usage: "working_days(from, to)",
        arities: &[2],
        summary: "days from one date to another, both counted, without 土日 and 祝日/休日",
        example: "working_days(kikan_from, kikan_to)",
        result: "２",
        call: working_days,
    },
    Function {
        name: "first_day",
        usage: "first_day(month or date)",
        arities: &[1],
        summary: "the first day of the month",
        example: "first_day(month)",
        result: "令和８年２月１日",
        call: first_day,
    },
    Function {
        name: "last_day",
        usage: "last_day(month or date)",
        arities: &[1],
        summary: "the last day of the month",
        example: "last_day(month)",
        result: "令和８年２月２８日",
        call: last_day,
    },
    Function {
        name: "days_of_month",
        usage: "days_of_month(month or date)",
        arities: &[1],
        summary: "every date of the month, in order (28 to 31 of them)",
        example: "len(days_of_month(month))",
        result: "２８",
        call: days_of_month,
    },
    Function {
        name: "days",
        usage: "days(from, to)",
        arities: &[2],
        summary: "every date from one date to another, both included",
        example: "join(days(kikan_from, kikan_to), \"・\")",
        result: "令和８年２月２０日・令和８年２月２１日・令和８年２月２２日・令和８年２月２３日・令和８年２月２４日",
        call: dates,
    },
    // 数
    Function {
        name: "round",
        usage: "round(x, places)",
        arities: &[1, 2],
        summary: "rounded half up (四捨五入) to `places` decimals (default 0; −3 rounds to thousands)",
        example: "round(2.345, 2)",
        result: "２．３５",
        call: round,
    },
    Function {
        name: "floor",
        usage: "floor(x, places)",
        arities: &[1, 2],
        summary: "rounded down (toward −∞) to `places` decimals (default 0)",
        example: "floor(2.349, 2)",
        result: "２．３４",
        call: floor,
    },
    Function {
        name: "ceil",
        usage: "ceil(x, places)",
        arities: &[1, 2],
        summary: "rounded up (toward +∞) to `places` decimals (default 0)",
        example: "ceil(2.341, 2)",
        result: "２．３５",
        call: ceil,
    },
    Function {
        name: "abs",
        usage: "abs(x)",
        arities: &[1],
        summary: "the value without its sign",
        example: "abs(-5)",
        result: "５",
        call: abs,
    },
    // リスト
    Function {
        name: "sum",
        usage: "sum(list) or sum(list, \"field\")",
        arities: &[1, 2],
        summary: "the total of the numbers (blanks skipped; blank if there are none)",
        example: "sum(entries, \"jikangai\")",
        result: "４．０",
        call: sum,
    },
    Function {
        name: "count",
        usage: "count(list) or count(list, \"field\")",
        arities: &[1, 2],
        summary: "how many items (or values of the field) are not blank",
        example: "count(entries, \"biko\")",
        result: "２",
        call: count,
    },
    Function {
        name: "min",
        usage: "min(list), min(list, \"field\") or min(a, b)",
        arities: &[1, 2],
        summary: "the smallest number, earliest date or month (blanks skipped)",
        example: "min(entries, \"date\")",
        result: "令和８年２月３日",
        call: min,
    },
    Function {
        name: "max",
        usage: "max(list), max(list, \"field\") or max(a, b)",
        arities: &[1, 2],
        summary: "the largest number, latest date or month (blanks skipped)",
        example: "max(entries, \"jikangai\")",
        result: "２．０",
        call: max,
    },
    Function {
        name: "len",
        usage: "len(list or text)",
        arities: &[1],
        summary: "the number of items, or of characters (blank: 0)",
        example: "len(entries)",
        result: "３",
        call: len,
    },
    Function {
        name: "join",
        usage: "join(list, sep) or join(list, \"field\", sep)",
        arities: &[2, 3],
        summary: "the items (or a field of each) as text, separated by `sep`; blanks skipped",
        example: "join(entries, \"biko\", \"、\")",
        result: "会議、研修",
        call: join,
    },
    Function {
        name: "contains",
        usage: "contains(list or text, x)",
        arities: &[2],
        summary: "true when the list has the value x, or the text has x in it; also written `x in list`",
        example: "if contains([\"土\", \"日\"], weekday(add_days(kikan_from, 1))) { \"週末\" } else { \"平日\" }",
        result: "週末",
        call: contains,
    },
    // 文字
    Function {
        name: "text",
        usage: "text(x)",
        arities: &[1],
        summary: "any value as printed text (full-width digits, 和暦 dates; a list joined with 、)",
        example: "\"第\" + text(3) + \"号\"",
        result: "第３号",
        call: text,
    },
    Function {
        name: "ascii",
        usage: "ascii(x)",
        arities: &[1],
        summary: "like text(x), with half-width (ASCII) digits",
        example: "ascii(wareki(kikan_from))",
        result: "令和8年2月20日",
        call: ascii,
    },
    Function {
        name: "is_blank",
        usage: "is_blank(x)",
        arities: &[1],
        summary: "true when the value is blank (an empty field)",
        example: "if is_blank(biko) { \"なし\" } else { biko }",
        result: "なし",
        call: is_blank,
    },
];

// ---- arguments ------------------------------------------------------------

fn type_error(function: &str, wanted: &str, got: &Val) -> FnError {
    let err = FnError::new(ErrorKind::Type, format!("{function} needs {wanted}, but got {}", got.describe()));
    match (wanted.contains("date"), got) {
        (true, Val::Text(_)) => err.help("turn text into a date with date(\"2026-02-20\")"),
        (_, Val::Text(_)) if wanted.contains("month") => err.help("turn text into a month with month(\"2026-02\")"),
        (_, Val::Text(_)) if wanted.contains("number") => {
            err.help("a text field holds text; declare the field as a number")
        }
        _ => err,
    }
}

/// A date argument; `None` for a blank.
fn arg_date(function: &str, v: &Val) -> Result<Option<NaiveDate>> {
    match v {
        Val::Date(d) => Ok(Some(*d)),
        Val::Blank => Ok(None),
        Val::Month(_) => {
            Err(type_error(function, "a date", v).help("for a month, use first_day(month) or last_day(month)"))
        }
        _ => Err(type_error(function, "a date", v)),
    }
}

/// A month argument (a date stands for its month); `None` for a blank.
fn arg_month(function: &str, v: &Val) -> Result<Option<Month>> {
    match v {
        Val::Month(m) => Ok(Some(*m)),
        Val::Date(d) => Ok(Some(Month::of(*d))),
        Val::Blank => Ok(None),
        _ => Err(type_error(function, "a month or a date", v)),
    }
}

/// A number argument; `None` for a blank.
fn arg_number(function: &str, v: &Val) -> Result<Option<Decimal>> {
    match v {
        Val::Blank => Ok(None),
        _ => v.as_decimal().map(Some).ok_or_else(|| type_error(function, "a number", v)),
    }
}

/// A whole-number argument (a decimal without fraction counts).
fn arg_whole(function: &str, what: &str, v: &Val) -> Result<Option<i64>> {
    match v {
        Val::Blank => Ok(None),
        Val::Int(n) => Ok(Some(*n)),
        Val::Number(n) if n.fract().is_zero() => i64::try_from(*n)
            .map(Some)
            .map_err(|_| FnError::new(ErrorKind::Value, format!("{function}: {n} is too large"))),
        _ => Err(type_error(function, what, v)),
    }
}

fn arg_text<'a>(function: &str, what: &str, v: &'a Val) -> Result<&'a str> {
    match v {
        Val::Text(s) => Ok(s),
        _ => Err(type_error(function, what, v)),
    }
}

fn arg_list<'a>(function: &str, v: &'a Val) -> Result<Option<&'a [Val]>> {
    match v {
        Val::List(items) => Ok(Some(items)),
        Val::Blank => Ok(None),
        _ => Err(type_error(function, "a list", v)),
    }
}

/// The items of a list, or the values of `field` in each record of it.
fn items(function: &str, list: &Val, field: Option<&Val>) -> Result<Vec<Val>> {
    let Some(list) = arg_list(function, list)? else { return Ok(Vec::new()) };
    let Some(field) = field else { return Ok(list.to_vec()) };
    let field = arg_text(function, "a field name in quotes", field)?;
    list.iter()
        .enumerate()
        .map(|(i, item)| match item {
            Val::Record(fields) => Ok(fields.get(field).cloned().unwrap_or(Val::Blank)),
            Val::Blank => Ok(Val::Blank),
            other => Err(FnError::new(
                ErrorKind::Type,
                format!(
                    "{function}: item {} of the list is {}, not a record with a field `{field}`",
                    i + 1,
                    other.describe()
                ),
            )),
        })
        .collect()
}

fn blank_or<T>(v: Option<T>, f: impl FnOnce(T) -> Result<Val>) -> Result<Val> {
    v.map_or(Ok(Val::Blank), f)
}

fn print(v: &Val) -> Result<String> {
    Printer::default().print(v).map_err(|e| FnError::new(ErrorKind::Type, e))
}

fn limit_list(function: &str, n: usize) -> Result<()> {
    if n > LIMITS.list_items {
        return Err(FnError::new(
            ErrorKind::Limit,
            format!("{function} would make a list of {n} items, over the limit of {} items", LIMITS.list_items),
        ));
    }
    Ok(())
}

// ---- 和暦 -------------------------------------------------------------------

fn wareki(a: &[Val]) -> Result<Val> {
    if let Val::Month(_) = a[0] {
        return Err(type_error("wareki", "a date", &a[0]).help("for a month, use wareki_ym(month)"));
    }
    blank_or(arg_date("wareki", &a[0])?, |d| print(&Val::Date(d)).map(Val::Text))
}

fn wareki_ym(a: &[Val]) -> Result<Val> {
    blank_or(arg_month("wareki_ym", &a[0])?, |m| print(&Val::Month(m)).map(Val::Text))
}

fn wareki_year(a: &[Val]) -> Result<Val> {
    let p = Printer::default();
    let text = match &a[0] {
        Val::Blank => return Ok(Val::Blank),
        Val::Date(d) => p.year_of_date(*d),
        Val::Month(m) => p.year_of_date(m.first_day()),
        Val::Int(y) => p.year(year_number("wareki_year", *y)?),
        Val::FiscalYear(_) => {
            return Err(type_error("wareki_year", "a date or a year", &a[0]).help("for a fiscal year, use nendo(…)"))
        }
        other => return Err(type_error("wareki_year", "a date or a year", other)),
    };
    Ok(Val::Text(crate::text::numerals::to_fullwidth_digits(&text)))
}

fn year_number(function: &str, y: i64) -> Result<i32> {
    i32::try_from(y)
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| FnError::new(ErrorKind::Value, format!("{function}: {}", outside_years(y))))
}

fn fiscal_year(a: &[Val]) -> Result<Val> {
    Ok(match &a[0] {
        Val::Blank => Val::Blank,
        Val::Date(d) => Val::FiscalYear(fiscal_year_of(*d)),
        Val::Month(m) => Val::FiscalYear(fiscal_year_of(m.first_day())),
        Val::Int(y) => Val::FiscalYear(year_number("fiscal_year", *y)?),
        Val::FiscalYear(y) => Val::FiscalYear(*y),
        Val::Text(s) => Val::FiscalYear(
            parse_fiscal_year(s).map_err(|e| FnError::new(ErrorKind::Value, format!("fiscal_year: {}", e.0)))?,
        ),
        other => return Err(type_error("fiscal_year", "a date, a month or a year", other)),
    })
}

fn nendo(a: &[Val]) -> Result<Val> {
    match fiscal_year(a).map_err(|e| FnError { message: e.message.replacen("fiscal_year", "nendo", 1), ..e })? {
        Val::FiscalYear(y) => print(&Val::FiscalYear(y)).map(Val::Text),
        other => Ok(other),
    }
}

// ---- 曜日と祝日 ---------------------------------------------------------------

const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

fn weekday(a: &[Val]) -> Result<Val> {
    blank_or(arg_date("weekday", &a[0])?, |d| Ok(Val::text(WEEKDAYS[d.weekday().num_days_from_monday() as usize])))
}

fn weekday_long(a: &[Val]) -> Result<Val> {
    blank_or(arg_date("weekday_long", &a[0])?, |d| {
        Ok(Val::Text(format!("{}曜日", WEEKDAYS[d.weekday().num_days_from_monday() as usize])))
    })
}

fn weekday_num(a: &[Val]) -> Result<Val> {
    blank_or(arg_date("weekday_num", &a[0])?, |d| Ok(Val::Int(i64::from(d.weekday().number_from_monday()))))
}

fn is_weekend(a: &[Val]) -> Result<Val> {
    blank_or(arg_date("is_weekend", &a[0])?, |d| Ok(Val::Bool(calendar::is_weekend(d))))
}

fn out_of_range(function: &str, e: holidays::OutOfRange) -> FnError {
    FnError::new(ErrorKind::Value, format!("{function}: {e}"))
}

fn is_holiday(a: &[Val]) -> Result<Val> {
    blank_or(arg_date("is_holiday", &a[0])?, |d| {
        holidays::is_holiday(d).map(Val::Bool).map_err(|e| out_of_range("is_holiday", e))
    })
}

fn holiday_name(a: &[Val]) -> Result<Val> {
    blank_or(arg_date("holiday_name", &a[0])?, |d| {
        let holiday = holidays::holiday(d).map_err(|e| out_of_range("holiday_name", e))?;
        Ok(holiday.map_or(Val::Blank, |h| Val::text(h.name)))
    })
}

// ---- 日付 --------------------------------------------------------------------

fn date(a: &[Val]) -> Result<Val> {
    match &a[0] {
        Val::Blank => Ok(Val::Blank),
        Val::Date(d) => Ok(Val::Date(*d)),
        Val::Text(s) => {
            calendar::parse_date(s).map(Val::Date).map_err(|e| FnError::new(ErrorKind::Value, format!("date: {e}")))
        }
        other => Err(type_error("date", "text such as \"2026-02-20\"", other)),
    }
}

fn month(a: &[Val]) -> Result<Val> {
    match &a[0] {
        Val::Blank => Ok(Val::Blank),
        Val::Month(m) => Ok(Val::Month(*m)),
        Val::Date(d) => Ok(Val::Month(Month::of(*d))),
        Val::Text(s) => {
            calendar::parse_month(s).map(Val::Month).map_err(|e| FnError::new(ErrorKind::Value, format!("month: {e}")))
        }
        other => Err(type_error("month", "text such as \"2026-02\" or a date", other)),
    }
}

fn add_days(a: &[Val]) -> Result<Val> {
    let (Some(d), Some(n)) = (arg_date("add_days", &a[0])?, arg_whole("add_days", "a whole number of days", &a[1])?)
    else {
        return Ok(Val::Blank);
    };
    days::add_days(d, n).filter(|d| YEARS.contains(&d.year())).map(Val::Date).ok_or_else(|| {
        let (first, last) = (YEARS.start(), YEARS.end());
        FnError::new(ErrorKind::Value, format!("add_days: {d} plus {n} days is outside the years {first}–{last}"))
    })
}

/// The two dates of a range, in order; `None` if either is blank.
fn range(function: &str, a: &[Val]) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (Some(from), Some(to)) = (arg_date(function, &a[0])?, arg_date(function, &a[1])?) else {
        return Ok(None);
    };
    if to < from {
        return Err(FnError::new(ErrorKind::Value, format!("{function}: the end ({to}) is before the start ({from})"))
            .help("write the earlier date first"));
    }
    Ok(Some((from, to)))
}

fn days_between(a: &[Val]) -> Result<Val> {
    blank_or(range("days_between", a)?, |(from, to)| Ok(Val::Int(days::days_between(from, to))))
}

fn working_days(a: &[Val]) -> Result<Val> {
    blank_or(range("working_days", a)?, |(from, to)| {
        days::working_days(from, to).map(Val::Int).map_err(|e| out_of_range("working_days", e))
    })
}

fn first_day(a: &[Val]) -> Result<Val> {
    blank_or(arg_month("first_day", &a[0])?, |m| Ok(Val::Date(m.first_day())))
}

fn last_day(a: &[Val]) -> Result<Val> {
    blank_or(arg_month("last_day", &a[0])?, |m| Ok(Val::Date(m.last_day())))
}

fn days_of_month(a: &[Val]) -> Result<Val> {
    blank_or(arg_month("days_of_month", &a[0])?, |m| Ok(Val::list(m.days().map(Val::Date).collect())))
}

fn dates(a: &[Val]) -> Result<Val> {
    blank_or(range("days", a)?, |(from, to)| {
        limit_list("days", usize::try_from(days::days_between(from, to)).unwrap_or(usize::MAX))?;
        Ok(Val::list(days::dates(from, to).map(Val::Date).collect()))
    })
}

// ---- 数 ----------------------------------------------------------------------

/// Round `x` to `places` decimals (negative: to tens, hundreds, …).
fn round_with(function: &str, a: &[Val], strategy: RoundingStrategy) -> Result<Val> {
    let places = match a.get(1) {
        None => 0,
        Some(p) => arg_whole(function, "a whole number of places", p)?.unwrap_or(0),
    };
    if !(-18..=28).contains(&places) {
        return Err(FnError::new(ErrorKind::Value, format!("{function}: places must be from -18 to 28, not {places}")));
    }
    let Some(x) = arg_number(function, &a[0])? else { return Ok(Val::Blank) };
    let rounded = if places >= 0 {
        x.round_dp_with_strategy(places as u32, strategy)
    } else {
        let unit = Decimal::from(10i64.pow(places.unsigned_abs() as u32));
        let scaled = x.checked_div(unit).expect("unit is not zero");
        scaled.round_dp_with_strategy(0, strategy).checked_mul(unit).ok_or_else(|| too_large(function))?
    };
    Ok(match a[0] {
        Val::Int(_) => i64::try_from(rounded).map(Val::Int).unwrap_or(Val::Number(rounded)),
        _ => Val::Number(rounded),
    })
}

fn too_large(function: &str) -> FnError {
    FnError::new(ErrorKind::Arithmetic, format!("{function}: the number is too large"))
}

fn round(a: &[Val]) -> Result<Val> {
    round_with("round", a, RoundingStrategy::MidpointAwayFromZero)
}

fn floor(a: &[Val]) -> Result<Val> {
    round_with("floor", a, RoundingStrategy::ToNegativeInfinity)
}

fn ceil(a: &[Val]) -> Result<Val> {
    round_with("ceil", a, RoundingStrategy::ToPositiveInfinity)
}

fn abs(a: &[Val]) -> Result<Val> {
    match &a[0] {
        Val::Int(n) => n.checked_abs().map(Val::Int).ok_or_else(|| too_large("abs")),
        Val::Number(n) => Ok(Val::Number(n.abs())),
        Val::Blank => Ok(Val::Blank),
        other => Err(type_error("abs", "a number", other)),
    }
}

// ---- リスト ------------------------------------------------------------------

fn sum(a: &[Val]) -> Result<Val> {
    let mut total: Option<Val> = None;
    for (i, v) in items("sum", &a[0], a.get(1))?.into_iter().enumerate() {
        if v.is_blank() {
            continue;
        }
        let next = match (total.take(), &v) {
            (None, Val::Int(_) | Val::Number(_)) => v,
            (Some(Val::Int(t)), Val::Int(n)) => Val::Int(t.checked_add(*n).ok_or_else(|| too_large("sum"))?),
            (Some(t), Val::Int(_) | Val::Number(_)) => {
                let (t, n) = (t.as_decimal().expect("a number"), v.as_decimal().expect("a number"));
                Val::Number(t.checked_add(n).ok_or_else(|| too_large("sum"))?)
            }
            _ => {
                return Err(FnError::new(
                    ErrorKind::Type,
                    format!("sum adds numbers, but item {} is {}", i + 1, v.describe()),
                ))
            }
        };
        total = Some(next);
    }
    Ok(total.unwrap_or(Val::Blank))
}

fn count(a: &[Val]) -> Result<Val> {
    let n = items("count", &a[0], a.get(1))?.iter().filter(|v| !v.is_blank()).count();
    Ok(Val::Int(n as i64))
}

/// The order of two values of one kind (numbers, dates, months, fiscal
/// years, texts); `None` for different kinds.
fn compare(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
        (Val::Month(x), Val::Month(y)) => Some(x.cmp(y)),
        (Val::FiscalYear(x), Val::FiscalYear(y)) => Some(x.cmp(y)),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        _ => Some(a.as_decimal()?.cmp(&b.as_decimal()?)),
    }
}

fn extreme(function: &str, a: &[Val], keep: Ordering) -> Result<Val> {
    let candidates = match &a[0] {
        Val::List(_) => items(function, &a[0], a.get(1))?,
        _ if a.len() == 2 => a.to_vec(),
        other => return Err(type_error(function, "a list, or two values", other)),
    };
    let mut best: Option<Val> = None;
    for v in candidates.into_iter().filter(|v| !v.is_blank()) {
        if matches!(v, Val::Bool(_) | Val::List(_) | Val::Record(_)) {
            return Err(type_error(function, "numbers, dates or months", &v));
        }
        best = Some(match best {
            None => v,
            Some(b) => match compare(&v, &b) {
                Some(order) if order == keep => v,
                Some(_) => b,
                None => {
                    return Err(FnError::new(
                        ErrorKind::Type,
                        format!("{function} cannot compare {} with {}", v.describe(), b.describe()),
                    ))
                }
            },
        });
    }
    Ok(best.unwrap_or(Val::Blank))
}

fn min(a: &[Val]) -> Result<Val> {
    extreme("min", a, Ordering::Less)
}

fn max(a: &[Val]) -> Result<Val> {
    extreme("max", a, Ordering::Greater)
}

fn len(a: &[Val]) -> Result<Val> {
    match &a[0] {
        Val::List(items) => Ok(Val::Int(items.len() as i64)),
        Val::Text(s) => Ok(Val::Int(s.chars().count() as i64)),
        Val::Blank => Ok(Val::Int(0)),
        other => Err(type_error("len", "a list or text", other)),
    }
}

fn join(a: &[Val]) -> Result<Val> {
    let (field, sep) = match a {
        [_, sep] => (None, sep),
        [_, field, sep] => (Some(field), sep),
        _ => unreachable!("arity checked"),
    };
    let sep = arg_text("join", "a separator in quotes", sep)?;
    let parts = items("join", &a[0], field)?.iter().filter(|v| !v.is_blank()).map(print).collect::<Result<Vec<_>>>()?;
    let joined = parts.join(sep);
    check_text("join", &joined)?;
    Ok(Val::Text(joined))
}

fn check_text(function: &str, s: &str) -> Result<()> {
    if s.len() > LIMITS.text_bytes {
        return Err(FnError::new(
            ErrorKind::Limit,
            format!("{function} would make a text of {} bytes, over the limit of {} bytes", s.len(), LIMITS.text_bytes),
        ));
    }
    Ok(())
}

fn contains(a: &[Val]) -> Result<Val> {
    let same = |v: &Val| compare(v, &a[1]) == Some(Ordering::Equal) || *v == a[1];
    match &a[0] {
        Val::List(items) => Ok(Val::Bool(items.iter().any(same))),
        Val::Text(s) => Ok(Val::Bool(s.contains(arg_text("contains", "text to look for", &a[1])?))),
        Val::Blank => Ok(Val::Bool(false)),
        other => Err(type_error("contains", "a list or text", other)),
    }
}

// ---- 文字 --------------------------------------------------------------------

fn text_with(function: &str, v: &Val, printer: Printer) -> Result<String> {
    let out = match v {
        Val::List(items) => items
            .iter()
            .filter(|v| !v.is_blank())
            .map(|v| printer.print(v))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(|parts| parts.join("、")),
        other => printer.print(other),
    }
    .map_err(|e| FnError::new(ErrorKind::Type, format!("{function}: {e}")))?;
    check_text(function, &out)?;
    Ok(out)
}

fn text(a: &[Val]) -> Result<Val> {
    text_with("text", &a[0], Printer::default()).map(Val::Text)
}

fn ascii(a: &[Val]) -> Result<Val> {
    let out = match &a[0] {
        // Text keeps its characters; only full-width digits and their
        // punctuation become half-width.
        Val::Text(s) => s
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '．' => '.',
                '，' => ',',
                '－' => '-',
                _ => c,
            })
            .collect(),
        other => text_with("ascii", other, Printer::default().ascii())?,
    };
    Ok(Val::Text(out))
}

fn is_blank(a: &[Val]) -> Result<Val> {
    Ok(Val::Bool(a[0].is_blank()))
}

// ---- properties --------------------------------------------------------------

/// `date.year`, `month.month`, `item.field`: the properties of a value.
pub fn property(v: &Val, name: &str) -> Result<Val> {
    let int = |n: i64| Ok(Val::Int(n));
    match (v, name) {
        (Val::Blank, _) => Ok(Val::Blank),
        (Val::Date(d), "year") => int(d.year().into()),
        (Val::Date(d), "month") => int(d.month().into()),
        (Val::Date(d), "day") => int(d.day().into()),
        (Val::Month(m), "year") => int(m.year().into()),
        (Val::Month(m), "month") => int(m.month().into()),
        (Val::FiscalYear(y), "year") => int((*y).into()),
        (Val::Record(fields), _) => Ok(fields.get(name).cloned().unwrap_or(Val::Blank)),
        _ => {
            let known: &[&str] = match v {
                Val::Date(_) => &["year", "month", "day"],
                Val::Month(_) => &["year", "month"],
                Val::FiscalYear(_) => &["year"],
                _ => &[],
            };
            let err = FnError::new(ErrorKind::Type, format!("{} has no `.{name}`", v.describe()));
            Err(match known {
                [] => err,
                _ => err
                    .help(format!("it has {}", known.iter().map(|k| format!("`.{k}`")).collect::<Vec<_>>().join(", "))),
            })
        }
    }
}

/// A record from field values (for tests and callers building scopes).
pub fn record<const N: usize>(fields: [(&str, Val); N]) -> Val {
    Val::record(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>())
}
