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
//! - [`Scope::render`]: a template with its `{placeholders}` filled in,
//!   fields and built-ins (`{period}`, `{report_year}`, and in footers
//!   `{page}`, `{pages}`).
//!
//! The scope is also where the layout's expressions are evaluated
//! (`src/expr/`): [`Scope`] is an [`Env`] that resolves a name to the
//! innermost element's `as:` name or field, a `compute:` value or a
//! built-in ([`Scope::value`], [`Scope::test`], [`Scope::each`] for the
//! elements of `for_each` with `as:` and `join:`).
//! Data values are converted to expression values once per scope frame
//! (a long list once per document).

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::error::{Error, Result, Site};
use crate::expr::{Env, ErrorKind, ExprError, Part, Printer, Val};
use crate::path::YamlPath;
use crate::text::format;

use super::compiled::{expr_error, Computed, Each, Expression, Join, ListSource, TextTemplate};
use super::template::placeholders;
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
/// (`fields`, `fields.sections[0]` …), and the names the layout binds for
/// it (`as: day` → `day`).
#[derive(Debug, Clone)]
pub struct Element<'a> {
    pub values: &'a Values,
    pub path: YamlPath,
    /// Names bound by the layout: the element under its `as:` name, and
    /// the fields of a record made by an expression.
    pub names: Vec<(String, Val)>,
}

/// One element in scope, with its values converted for expressions as
/// they are asked for.
#[derive(Debug)]
struct Frame<'a> {
    element: Element<'a>,
    converted: RefCell<BTreeMap<String, Val>>,
}

impl<'a> Frame<'a> {
    fn new(element: Element<'a>) -> Frame<'a> {
        Frame { element, converted: RefCell::new(BTreeMap::new()) }
    }

    /// The value of `name` in this frame: a bound name, else a field.
    fn get(&self, name: &str) -> Option<Val> {
        if let Some((_, v)) = self.element.names.iter().find(|(n, _)| n == name) {
            return Some(v.clone());
        }
        let value = self.element.values.get(name)?;
        if let Some(v) = self.converted.borrow().get(name) {
            return Some(v.clone());
        }
        let v = value.to_val();
        self.converted.borrow_mut().insert(name.to_string(), v.clone());
        Some(v)
    }
}

/// An empty element's values.
fn no_values() -> &'static Values {
    static EMPTY: std::sync::OnceLock<Values> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Values::new)
}

/// The stack of scopes, and what the built-in placeholders stand for.
#[derive(Debug)]
pub struct Scope<'a> {
    /// Outermost (the document's `fields`) first.
    frames: Vec<Frame<'a>>,
    /// A blank form: no values; lists show empty elements.
    blank: bool,
    report: Report,
    /// The page being numbered and the number of pages (footers).
    page: Option<(usize, usize)>,
    /// The layout's `compute:` values (blank on a blank form).
    computed: BTreeMap<String, Val>,
}

impl<'a> Scope<'a> {
    /// The document's values (none for a blank form), reported as `report`.
    pub fn new(values: &'a Values, blank: bool, report: Report) -> Scope<'a> {
        let root = Element { values, path: YamlPath::root().key("fields"), names: Vec::new() };
        Scope { frames: vec![Frame::new(root)], blank, report, page: None, computed: BTreeMap::new() }
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
        self.frames.iter().rev().map(|f| &f.element).find_map(|e| {
            let values: &'a Values = e.values;
            values.get(name).map(|v| (v, e.path.key(name.to_string())))
        })
    }

    /// The elements to repeat a row or block group for: the list's, or on
    /// a blank form `blank` empty ones (room to write by hand).
    pub fn elements(&self, list: &str, blank: usize) -> Vec<Element<'a>> {
        if self.blank {
            let path = YamlPath::root().key("fields").key(list.to_string());
            return (0..blank)
                .map(|i| Element { values: no_values(), path: path.index(i), names: Vec::new() })
                .collect();
        }
        match self.lookup(list) {
            Some((Value::List(items), path)) => (items.iter().enumerate())
                .map(|(i, values)| Element { values, path: path.index(i), names: Vec::new() })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Put `element`'s fields in scope (innermost), until [`Scope::leave`].
    pub fn enter(&mut self, element: Element<'a>) {
        self.frames.push(Frame::new(element));
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

    /// The data path of the placeholder of `template` whose value holds
    /// `ch` (to point at a character no font has).
    pub fn field_holding(&self, template: &str, ch: char) -> Option<YamlPath> {
        placeholders(template).into_iter().find_map(|p| match self.lookup(p) {
            Some((value, field)) if value.plain_text().contains(ch) => Some(field),
            _ => None,
        })
    }

    // ---- expressions ----------------------------------------------------------

    /// Evaluate the layout's `compute:` values, in the order given
    /// (validation sorted them so that each comes after what it uses). A
    /// blank form computes nothing: every value is blank.
    pub fn compute(&mut self, computed: &[Computed]) -> Result<()> {
        if self.blank {
            return Ok(());
        }
        for c in computed {
            let v = self.value(&c.expression)?;
            self.computed.insert(c.name.clone(), v);
        }
        Ok(())
    }

    /// The value of an expression here. Errors point at the expression
    /// and say which element was being filled.
    pub fn value(&self, e: &Expression) -> Result<Val> {
        e.expr.eval(self).map_err(|err| {
            let mut located = expr_error(&err, &e.path);
            // A wrong value may come from the data: say where it was typed.
            if matches!(err.kind, ErrorKind::Type | ErrorKind::Value | ErrorKind::Arithmetic) {
                let typed: Vec<String> = (e.expr.names().iter())
                    .filter_map(|n| self.data_field(n).map(|path| format!("`{n}` is {path}")))
                    .collect();
                if !typed.is_empty() {
                    located.message = format!("{} ({} in the data file)", located.message, typed.join(", "));
                }
            }
            self.located(located)
        })
    }

    /// The data path of the field `name` resolves to here, if it is a data
    /// field with a value (not an `as:` name or a computed value).
    fn data_field(&self, name: &str) -> Option<YamlPath> {
        for frame in self.frames.iter().rev() {
            if frame.element.names.iter().any(|(n, _)| n == name) {
                return None;
            }
            if frame.element.values.contains_key(name) {
                return Some(frame.element.path.key(name.to_string()));
            }
        }
        None
    }

    /// Is the condition true here? A blank counts as false; anything but
    /// true/false is an error.
    pub fn test(&self, e: &Expression) -> Result<bool> {
        match self.value(e)? {
            Val::Bool(b) => Ok(b),
            Val::Blank => Ok(false),
            other => Err(self.wrong_kind(
                e,
                "a condition must be true or false",
                &other,
                "compare it, as in x > 0, or test it with is_blank(x)",
            )),
        }
    }

    /// The error for an expression whose value `got` is not what `needed`
    /// says it must be, at the expression.
    fn wrong_kind(&self, e: &Expression, needed: &str, got: &Val, help: &str) -> Error {
        let message = format!("{needed}, but `{}` gives {}", e.source(), got.describe());
        self.located(Error::input(message).at(Site::layout(e.path.clone())).with_help(help))
    }

    /// `template` with its `{expressions}` filled in, printed by `printer`.
    /// A bare `{field}` prints a data field as it always has (its plain
    /// text: a text as typed, a number or date with ASCII digits) and the
    /// built-ins `{period}`, `{report_year}`, `{page}`, `{pages}` as before;
    /// anything else is evaluated. On a blank form an expression that
    /// cannot be evaluated without its values prints nothing.
    pub fn render(&self, template: &TextTemplate, printer: &Printer) -> Result<String> {
        let mut out = String::new();
        for part in template.template.parts() {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Name { name, .. } => out.push_str(&self.placeholder(name).unwrap_or_default()),
                Part::Expr { expr, offset } => {
                    if let Some(text) = expr.as_name().and_then(|name| self.placeholder(name)) {
                        out.push_str(&text);
                        continue;
                    }
                    let printed =
                        expr.eval(self).and_then(|v| printer.print(&v).map_err(|m| ExprError::new(ErrorKind::Type, m)));
                    match printed {
                        Ok(text) => out.push_str(&text),
                        Err(_) if self.blank => {}
                        Err(mut e) => {
                            e.offset = Some(offset + e.offset.unwrap_or(0));
                            return Err(self.located(expr_error(&e, &template.path)));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// Does every name `template` uses have a value (a `final_suffix` is
    /// left out while a field it names is blank)?
    pub fn filled_template(&self, template: &TextTemplate) -> bool {
        template.template.names().iter().all(|n| !self.get(n).unwrap_or(Val::Blank).is_blank())
    }

    /// The data path of the first data field `template` uses that has a
    /// value (where errors about the text point).
    pub fn template_source(&self, template: &TextTemplate) -> Option<YamlPath> {
        template.template.names().iter().find_map(|n| self.lookup(n)).map(|(_, path)| path)
    }

    /// A bare placeholder as it has always printed: a built-in, or a data
    /// field's plain text. `None` for a name bound by the layout (`as:`,
    /// `compute:`), which is evaluated instead.
    fn placeholder(&self, name: &str) -> Option<String> {
        let bound = self.frames.iter().any(|f| f.element.names.iter().any(|(n, _)| n == name))
            || self.computed.contains_key(name);
        if bound {
            return None;
        }
        match name {
            "period" => Some(self.report.period.map(|(a, b)| format::period(a, b)).unwrap_or_default()),
            "report_year" => Some(self.report.year.map(format::year_label).unwrap_or_default()),
            "page" => Some(self.page.map(|(page, _)| page.to_string()).unwrap_or_default()),
            "pages" => Some(self.page.map(|(_, pages)| pages.to_string()).unwrap_or_default()),
            _ => self.lookup(name).map(|(v, _)| v.plain_text()),
        }
    }

    /// The elements a `for_each` repeats for: a data list's elements, or
    /// the items of a list an expression makes, each under the `as:` name,
    /// with the matching element of a `join:` list in scope. On a blank
    /// form, `blank` empty elements.
    pub fn each(&self, each: &Each, blank: usize) -> Result<Vec<Element<'a>>> {
        let name = |v: Val| each.name.iter().map(|n| (n.clone(), v.clone())).collect::<Vec<_>>();
        if self.blank {
            let path = YamlPath::root().key("fields");
            return Ok((0..blank)
                .map(|i| Element { values: no_values(), path: path.index(i), names: name(Val::Blank) })
                .collect());
        }
        let items = match &each.list {
            ListSource::Field(list) => {
                let mut elements = self.elements(list, blank);
                if each.name.is_some() {
                    let records = match self.get(list) {
                        Some(Val::List(items)) => items,
                        _ => Vec::new().into(),
                    };
                    for (element, record) in elements.iter_mut().zip(records.iter()) {
                        element.names = name(record.clone());
                    }
                }
                return Ok(elements);
            }
            ListSource::Expr(e) => match self.value(e)? {
                Val::List(items) => items,
                Val::Blank => Vec::new().into(),
                other => {
                    return Err(self.wrong_kind(
                        e,
                        "`for_each` needs a list",
                        &other,
                        "name a data list, or make one: days_of_month(month), days(from, to)",
                    ))
                }
            },
        };
        let joined = match &each.join {
            Some(join) => self.join(join, &items)?,
            None => vec![None; items.len()],
        };
        let fields = YamlPath::root().key("fields");
        Ok(items
            .iter()
            .zip(joined)
            .map(|(item, entry)| {
                let mut names = name(item.clone());
                // A record made by an expression brings its fields.
                if let (Val::Record(fields), None) = (item, &each.name) {
                    names.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                match entry {
                    Some((values, path)) => Element { values, path, names },
                    None => Element { values: no_values(), path: fields.clone(), names },
                }
            })
            .collect())
    }

    /// For each item, the element of the join's list whose `on` field
    /// equals it. An element without that field, on no item's row, or on
    /// the same row as another is an error in the data, at the element.
    fn join(&self, join: &Join, items: &[Val]) -> Result<Vec<Option<(&'a Values, YamlPath)>>> {
        let mut out: Vec<Option<(&'a Values, YamlPath)>> = vec![None; items.len()];
        let Some((Value::List(entries), path)) = self.lookup(&join.list) else { return Ok(out) };
        for (i, entry) in entries.iter().enumerate() {
            let here = path.index(i);
            let Some(key) = entry.get(&join.on).map(Value::to_val) else {
                let msg = format!("this element of `{}` has no `{}`, so it belongs to no row", join.list, join.on);
                return Err(Error::in_data(&here, msg).with_help(format!("give it `{}:`", join.on)));
            };
            let at = here.key(join.on.clone());
            let Some(row) = items.iter().position(|item| *item == key) else {
                let msg = format!("`{}: {}` is outside the rows of this form{}", join.on, describe(&key), range(items));
                return Err(Error::in_data(&at, msg).with_help(format!(
                    "correct the {}, or move the element to the data file where it belongs",
                    join.on
                )));
            };
            if let Some((_, other)) = &out[row] {
                let msg = format!("a second element for `{}: {}`: {other} is on the same row", join.on, describe(&key));
                return Err(Error::in_data(&at, msg).with_help("merge the two, or correct one of them"));
            }
            out[row] = Some((entry, here));
        }
        Ok(out)
    }

    /// `err` with the element being filled named, when inside one.
    fn located(&self, err: Error) -> Error {
        let Some(frame) = self.frames.last().filter(|_| self.frames.len() > 1) else { return err };
        let what = match frame.element.names.first() {
            Some((name, v)) if !v.is_blank() => format!("{name} = {}", describe(v)),
            _ if frame.element.path.depth() > 1 => frame.element.path.to_string(),
            _ => return err,
        };
        let mut err = err;
        err.message = format!("{} (while filling the row or block for {what})", err.message);
        err
    }
}

/// A value for a message: a date as `2026-02-03`, text as it is.
fn describe(v: &Val) -> String {
    match v {
        Val::Date(d) => d.to_string(),
        Val::Month(m) => m.to_string(),
        Val::Text(t) => t.clone(),
        other => Printer::default().ascii().print(other).unwrap_or_else(|_| other.describe()),
    }
}

/// `: the rows run from 2026-02-01 to 2026-02-28`, for rows of dates.
fn range(items: &[Val]) -> String {
    match (items.first(), items.last()) {
        (Some(Val::Date(a)), Some(Val::Date(b))) => format!(": the rows run from {a} to {b}"),
        (None, _) => ": it has no rows".to_string(),
        _ => String::new(),
    }
}

/// Names resolve from the innermost element out: its `as:` name and the
/// fields of a record it brings, then its data fields; then `compute:`
/// values and the built-ins `page`, `pages`, `period`, `report_year`.
/// Validation has checked every name an expression uses, so a name found
/// nowhere is a field the data left blank.
impl Env for Scope<'_> {
    fn get(&self, name: &str) -> Option<Val> {
        if let Some(v) = self.frames.iter().rev().find_map(|f| f.get(name)) {
            return Some(v);
        }
        if let Some(v) = self.computed.get(name) {
            return Some(v.clone());
        }
        Some(match name {
            "page" => self.page.map_or(Val::Blank, |(p, _)| Val::Int(p as i64)),
            "pages" => self.page.map_or(Val::Blank, |(_, n)| Val::Int(n as i64)),
            "period" => self.report.period.map_or(Val::Blank, |(a, b)| Val::Text(format::period(a, b))),
            "report_year" => self.report.year.map_or(Val::Blank, Val::FiscalYear),
            _ => Val::Blank,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Template;

    fn values(pairs: &[(&str, Value)]) -> Values {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    /// `source` filled in as a label is.
    fn render(scope: &Scope, source: &str) -> String {
        let template = TextTemplate { template: Template::compile(source).unwrap(), path: YamlPath::root() };
        scope.render(&template, &Printer::default()).unwrap()
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
            assert_eq!(render(s, "{title}：{name}"), "人材育成：研修");
            assert_eq!(s.lookup("name").map(|(_, p)| p.to_string()).as_deref(), Some("fields.sections[0].name"));
        });
        assert_eq!(render(&scope, "{ name }"), "計画");
    }

    #[test]
    fn built_ins_and_blank_forms() {
        let none = Values::new();
        let mut scope = Scope::new(&none, true, Report { period: Some((2018, 2022)), year: Some(2020) });
        assert_eq!(render(&scope, "{period}／{report_year}"), "平成30年度～令和4年度／令和2年度");
        assert_eq!(render(&scope, "{page}/{pages}{missing}"), "/");
        scope.set_page(Some((2, 5)));
        assert_eq!(render(&scope, "{page} / {pages}"), "2 / 5");
        assert_eq!(scope.elements("rows", 3).len(), 3, "a blank form leaves room for three");
    }
}
