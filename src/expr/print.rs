//! How a value prints into a cell: numbers with the cell's digits, places,
//! sign and grouping; dates, months and fiscal years in 和暦; a blank as
//! nothing.

use chrono::{Datelike, NaiveDate};

use super::value::Val;
use crate::calendar::Month;
use crate::text::era::{era_of_fiscal_year, wareki_date, wareki_month, wareki_year};
use crate::text::numerals::{format_decimal, format_digits, Digits, NumberFormat};

/// The print settings of one cell. [`Printer::default`] is the form's
/// default: full-width digits, `－` for negatives, no grouping, 元年.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printer {
    pub number: NumberFormat,
    /// Year 1 of an era as 元年 (the custom) rather than 1年.
    pub gannen: bool,
}

impl Default for Printer {
    fn default() -> Printer {
        Printer { number: NumberFormat::default(), gannen: true }
    }
}

impl Printer {
    /// The same settings with ASCII digits.
    pub fn ascii(self) -> Printer {
        Printer { number: NumberFormat { digits: Digits::Ascii, ..self.number }, ..self }
    }

    /// The text of a value, or why it cannot be printed as one.
    pub fn print(&self, value: &Val) -> Result<String, String> {
        let digits = |s: String| format_digits(&s, self.number.digits);
        Ok(match value {
            Val::Blank => String::new(),
            Val::Text(s) => s.clone(),
            Val::Int(n) => format_decimal((*n).into(), &self.number),
            Val::Number(n) => format_decimal(*n, &self.number),
            Val::Date(d) => digits(self.date(*d)),
            Val::Month(m) => digits(self.month(*m)),
            Val::FiscalYear(y) => digits(self.fiscal_year(*y)),
            Val::Bool(b) => {
                return Err(format!(
                    "a condition ({b}) cannot be printed; choose the text with if … {{ \"…\" }} else {{ \"…\" }}"
                ))
            }
            Val::List(_) => return Err("a list cannot be printed as it is; join it: join(list, \"、\")".into()),
            Val::Record(_) => return Err("a record cannot be printed as it is; print one of its fields".into()),
        })
    }

    /// `令和8年2月20日` (ASCII digits; [`Printer::print`] applies the cell's).
    pub fn date(&self, date: NaiveDate) -> String {
        wareki_date(date, self.gannen).unwrap_or_else(|| date.format("%Y年%-m月%-d日").to_string())
    }

    /// `令和8年2月`.
    pub fn month(&self, month: Month) -> String {
        wareki_month(month.year(), month.month(), self.gannen)
            .unwrap_or_else(|| format!("{}年{}月", month.year(), month.month()))
    }

    /// `令和8年`: a calendar year.
    pub fn year(&self, year: i32) -> String {
        wareki_year(year, self.gannen).unwrap_or_else(|| format!("{year}年"))
    }

    /// `令和7年度` (FY2019 is 令和元年度 by the project rule of `text::era`).
    pub fn fiscal_year(&self, year: i32) -> String {
        match era_of_fiscal_year(year) {
            Some(era) => format!("{}年度", era.label(self.gannen)),
            None => format!("{year}年度"),
        }
    }

    /// The 和暦 year of a date: `令和8年`.
    pub fn year_of_date(&self, date: NaiveDate) -> String {
        match crate::text::era::era_of_date(date) {
            Some(era) => format!("{}年", era.label(self.gannen)),
            None => format!("{}年", date.year()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_printing() {
        let p = Printer::default();
        let date = NaiveDate::from_ymd_opt(2026, 2, 20).unwrap();
        assert_eq!(p.print(&Val::Date(date)).unwrap(), "令和８年２月２０日");
        assert_eq!(p.ascii().print(&Val::Date(date)).unwrap(), "令和8年2月20日");
        let may = NaiveDate::from_ymd_opt(2019, 5, 1).unwrap();
        assert_eq!(p.print(&Val::Date(may)).unwrap(), "令和元年５月１日");
        assert_eq!(p.print(&Val::Month(Month::new(2026, 2).unwrap())).unwrap(), "令和８年２月");
        assert_eq!(p.print(&Val::FiscalYear(2019)).unwrap(), "令和元年度");
        assert_eq!(p.print(&Val::Number("12.5".parse().unwrap())).unwrap(), "１２．５");
        assert_eq!(p.print(&Val::Int(-3)).unwrap(), "－３");
        assert_eq!(p.print(&Val::Blank).unwrap(), "");
        assert_eq!(p.print(&Val::text("3.10")).unwrap(), "3.10", "text prints as typed");
        assert!(p.print(&Val::list(vec![])).unwrap_err().contains("join"));
        assert!(p.print(&Val::Bool(true)).is_err());
        assert_eq!(p.year(2019), "令和元年");
        assert_eq!(p.year_of_date(date), "令和8年");
    }
}
