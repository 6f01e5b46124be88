//! The values in scope while a form is laid out.
//!
//! A layout names fields; which value a name means depends on where
//! layout is: inside a row repeated `for_each: sections`, `name` is the
//! current section's `name`, else the document's. A [`Scope`] is that
//! stack of `for_each` elements, outermost first; layout enters an
//! element for each repetition ([`Scope::within`], or
//! [`Scope::enter`]/[`Scope::leave`] around a longer walk) and asks:
//!
//! - [`Scope::lookup`]: the value of a field in the innermost element that
//!   has it, and where it stands in the data file (errors about what it
//!   prints point there);
//! - [`Scope::elements`]: the elements of a list, or on a blank form the
//!   empty ones that leave room to write by hand;
//! - [`Scope::expand`]: a template with its `{placeholders}` filled in,
//!   fields and built-ins (`{period}`, `{report_year}`, and in footers
//!   `{page}`, `{pages}`).
//!
//! Today a placeholder names a field; the scope is where a computed value
//! (an expression, a list made by the layout) will be evaluated, so that
//! layout keeps asking the same questions.

use crate::path::YamlPath;
use crate::text::format;

use super::template::{is_template, placeholder_tokens, placeholders};
use super::value::{Value, Values};

/// Which year a multi-year plan is reported for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Report {
    /// First and last fiscal year of the plan, if the layout has a period
    /// and the data gives it.
    pub period: Option<(i32, i32)>,
    /// The report year (within the period).
    pub year: Option<i32>,
}

impl Report {
    /// Is this the report of the period's last year (or not a plan at all)?
    pub fn is_final(&self) -> bool {
        match (self.period, self.year) {
            (Some((_, to)), Some(year)) => year == to,
            (Some(_), None) => false,
            (None, _) => true,
        }
    }

    /// Has the year of column `column` (0 = the first year) been reported?
    pub fn reported(&self, column: usize) -> bool {
        match (self.period, self.year) {
            (Some((from, _)), Some(year)) => from + column as i32 <= year,
            _ => true,
        }
    }
}

/// The values of one scope and where they stand in the data file
/// (`fields`, `fields.sections[0]` …).
#[derive(Debug, Clone)]
pub struct Element<'a> {
    pub values: &'a Values,
    pub path: YamlPath,
}

/// The stack of scopes, and what the built-in placeholders stand for.
#[derive(Debug)]
pub struct Scope<'a> {
    /// Outermost (the document's `fields`) first.
    frames: Vec<Element<'a>>,
    /// A blank form: no values; lists show empty elements.
    blank: bool,
    report: Report,
    /// The page being numbered and the number of pages (footers).
    page: Option<(usize, usize)>,
}

impl<'a> Scope<'a> {
    /// The document's values (none for a blank form), reported as `report`.
    pub fn new(values: &'a Values, blank: bool, report: Report) -> Scope<'a> {
        let root = Element { values, path: YamlPath::root().key("fields") };
        Scope { frames: vec![root], blank, report, page: None }
    }

    /// The plan year reported.
    pub fn report(&self) -> Report {
        self.report
    }

    /// Is this a blank form?
    pub fn is_blank(&self) -> bool {
        self.blank
    }

    /// A field's value in the innermost scope that has it, and its path
    /// in the data file.
    pub fn lookup(&self, name: &str) -> Option<(&'a Value, YamlPath)> {
        self.frames.iter().rev().find_map(|e| e.values.get(name).map(|v| (v, e.path.key(name.to_string()))))
    }

    /// The elements to repeat a row or block group for: the list's, or on
    /// a blank form `blank` empty ones (room to write by hand).
    pub fn elements(&self, list: &str, blank: usize) -> Vec<Element<'a>> {
        if self.blank {
            static EMPTY: std::sync::OnceLock<Values> = std::sync::OnceLock::new();
            let values: &'static Values = EMPTY.get_or_init(Values::new);
            let path = YamlPath::root().key("fields").key(list.to_string());
            return (0..blank).map(|i| Element { values, path: path.index(i) }).collect();
        }
        match self.lookup(list) {
            Some((Value::List(items), path)) => {
                items.iter().enumerate().map(|(i, values)| Element { values, path: path.index(i) }).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Put `element`'s fields in scope (innermost), until [`Scope::leave`].
    pub fn enter(&mut self, element: Element<'a>) {
        self.frames.push(element);
    }

    /// Take the innermost element out of scope (the document's values
    /// stay).
    pub fn leave(&mut self) {
        if self.frames.len() > 1 {
            self.frames.pop();
        }
    }

    /// Run `f` with `element`'s fields in scope.
    pub fn within<T>(&mut self, element: Element<'a>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.enter(element);
        let out = f(self);
        self.leave();
        out
    }

    /// Number pages from now on: `{page}` is `page` of `pages` (`None`:
    /// not in a footer; both expand to nothing).
    pub fn set_page(&mut self, page: Option<(usize, usize)>) {
        self.page = page;
    }

    /// `template` with each `{name}` replaced by its value: a field's as
    /// plain text ([`Value::plain_text`]), or a built-in; a name without a
    /// value expands to nothing.
    pub fn expand(&self, template: &str) -> String {
        if !is_template(template) {
            return template.to_string();
        }
        let mut out = template.to_string();
        for (token, name) in placeholder_tokens(template) {
            let value = match name {
                "period" => self.report.period.map(|(a, b)| format::period(a, b)).unwrap_or_default(),
                "report_year" => self.report.year.map(format::year_label).unwrap_or_default(),
                "page" => self.page.map(|(page, _)| page.to_string()).unwrap_or_default(),
                "pages" => self.page.map(|(_, pages)| pages.to_string()).unwrap_or_default(),
                _ => self.lookup(name).map(|(v, _)| v.plain_text()).unwrap_or_default(),
            };
            out = out.replacen(token, &value, 1);
        }
        out
    }

    /// Does every placeholder of `template` have a value?
    pub fn filled(&self, template: &str) -> bool {
        placeholders(template).iter().all(|p| self.lookup(p).is_some())
    }

    /// The data path of the first placeholder of `template` with a value
    /// (where errors about the expanded text point).
    pub fn first_field(&self, template: &str) -> Option<YamlPath> {
        placeholders(template).iter().find_map(|p| self.lookup(p)).map(|(_, path)| path)
    }

    /// The data path of the placeholder of `template` whose value holds
    /// `ch` (to point at a character no font has).
    pub fn field_holding(&self, template: &str, ch: char) -> Option<YamlPath> {
        placeholders(template).into_iter().find_map(|p| match self.lookup(p) {
            Some((value, field)) if value.plain_text().contains(ch) => Some(field),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, Value)]) -> Values {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn the_innermost_scope_that_has_a_field_wins() {
        let section = values(&[("name", Value::Text("研修".into()))]);
        let doc = values(&[
            ("name", Value::Text("計画".into())),
            ("title", Value::Text("人材育成".into())),
            ("sections", Value::List(vec![section])),
        ]);
        let mut scope = Scope::new(&doc, false, Report::default());
        let elements = scope.elements("sections", 3);
        assert_eq!(elements.len(), 1);
        scope.within(elements[0].clone(), |s| {
            assert_eq!(s.expand("{title}：{name}"), "人材育成：研修");
            assert_eq!(s.lookup("name").map(|(_, p)| p.to_string()).as_deref(), Some("fields.sections[0].name"));
        });
        assert_eq!(scope.expand("{ name }"), "計画");
    }

    #[test]
    fn built_ins_and_blank_forms() {
        let none = Values::new();
        let mut scope = Scope::new(&none, true, Report { period: Some((2018, 2022)), year: Some(2020) });
        assert_eq!(scope.expand("{period}／{report_year}"), "平成30年度～令和4年度／令和2年度");
        assert_eq!(scope.expand("{page}/{pages}{missing}"), "/");
        scope.set_page(Some((2, 5)));
        assert_eq!(scope.expand("{page} / {pages}"), "2 / 5");
        assert_eq!(scope.elements("rows", 3).len(), 3, "a blank form leaves room for three");
    }
}
