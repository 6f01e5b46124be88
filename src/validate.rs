//! Validation: a layout's cells are well-formed, and a data file's values
//! fit the fields those cells define.
//!
//! A layout defines its fields implicitly: a cell `{ text: mokuhyo }`
//! makes `mokuhyo` a text field, `{ amount: sojigyohi }` a number field,
//! `for_each: sections` a list whose elements have the fields used inside
//! it, and `{name}` in a text a field of the nearest scope that has it.
//! Data values are checked against that [`Schema`] and converted once,
//! here, into typed [`Value`]s, so that layout never sees raw YAML.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_yaml::Value as Yaml;

use crate::error::{nearest, Error, Result};
use crate::model::layout::{Block, Cell, Layout, Row, YearFormat, CONTENT_KEYS};
use crate::path::YamlPath;
use crate::text::era::parse_fiscal_year;
use crate::units::{check_ratio, Mm, Pt};

/// What a cell prints.
#[derive(Debug, Clone, PartialEq)]
pub enum CellKind {
    Label(String),
    Text(String),
    Amount(String),
    Number(String),
    Choice(String),
    FiscalYear(String),
    Date(String),
    Series(String),
    YearLabels(YearFormat),
    Rows,
}

impl CellKind {
    /// The kind of a cell, or an error if it names no content or several.
    pub fn of(cell: &Cell) -> std::result::Result<CellKind, String> {
        let mut kinds = Vec::new();
        let mut add = |key: &str, value: &Option<String>, make: fn(String) -> CellKind| {
            if let Some(v) = value {
                kinds.push((key.to_string(), make(v.clone())));
            }
        };
        add("label", &cell.label, CellKind::Label);
        add("text", &cell.text, CellKind::Text);
        add("amount", &cell.amount, CellKind::Amount);
        add("number", &cell.number, CellKind::Number);
        add("choice", &cell.choice, CellKind::Choice);
        add("fiscal_year", &cell.fiscal_year, CellKind::FiscalYear);
        add("date", &cell.date, CellKind::Date);
        add("series", &cell.series, CellKind::Series);
        if let Some(format) = cell.year_labels {
            kinds.push(("year_labels".to_string(), CellKind::YearLabels(format)));
        }
        if cell.rows.is_some() {
            kinds.push(("rows".to_string(), CellKind::Rows));
        }
        match kinds.len() {
            1 => Ok(kinds.remove(0).1),
            0 => Err(format!("a cell needs one of: {}", CONTENT_KEYS.join(", "))),
            _ => Err(format!(
                "a cell holds one thing, but this one has {}",
                kinds.iter().map(|k| format!("`{}`", k.0)).collect::<Vec<_>>().join(" and ")
            )),
        }
    }

    /// The style-defaults key of this kind (`defaults.label` …).
    pub fn name(&self) -> &'static str {
        match self {
            CellKind::Label(_) => "label",
            CellKind::Text(_) => "text",
            CellKind::Amount(_) => "amount",
            CellKind::Number(_) => "number",
            CellKind::Choice(_) => "choice",
            CellKind::FiscalYear(_) => "fiscal_year",
            CellKind::Date(_) => "date",
            CellKind::Series(_) => "series",
            CellKind::YearLabels(_) => "year_labels",
            CellKind::Rows => "rows",
        }
    }

    /// The data field the cell prints, if it prints exactly one (a text
    /// with `{placeholders}` is a template, not a field).
    pub fn field(&self) -> Option<&str> {
        match self {
            CellKind::Text(f) if f.contains('{') => None,
            CellKind::Text(f)
            | CellKind::Amount(f)
            | CellKind::Number(f)
            | CellKind::Choice(f)
            | CellKind::FiscalYear(f)
            | CellKind::Date(f)
            | CellKind::Series(f) => Some(f),
            CellKind::Label(_) | CellKind::YearLabels(_) | CellKind::Rows => None,
        }
    }
}

/// Names a text may use in `{…}` without a field of that name.
pub const BUILT_IN_PLACEHOLDERS: [&str; 4] = ["period", "report_year", "page", "pages"];

/// The `{name}` placeholders of a template, in order (spaces inside the
/// braces allowed: `{ name }`).
pub fn placeholders(template: &str) -> Vec<&str> {
    placeholder_tokens(template).into_iter().map(|(_, name)| name).collect()
}

/// Each placeholder as written (`{ name }`) and its name.
pub fn placeholder_tokens(template: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = template[at..].find('{').map(|i| at + i) {
        let Some(len) = template[open + 1..].find('}') else { break };
        let token = &template[open..open + len + 2];
        out.push((token, template[open + 1..open + 1 + len].trim()));
        at = open + len + 2;
    }
    out
}

/// A field a layout defines, and the cell that defines it.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub kind: CellKind,
    /// Options of a choice field.
    pub options: Vec<String>,
    /// Columns a series field fills.
    pub series_len: u32,
    /// Path of the defining cell in the layout file.
    pub cell_path: YamlPath,
}

/// The fields of one scope (the document, or an element of a list) and
/// the lists it holds.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub fields: BTreeMap<String, FieldDef>,
    pub lists: BTreeMap<String, Schema>,
}

/// One value of a series, spanning `span` columns.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesItem {
    pub text: String,
    pub span: u32,
}

/// A checked data value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    /// A fiscal year, Gregorian (2025 for 令和7年度).
    Year(i32),
    Date(NaiveDate),
    /// The chosen option: its index among the options, and its text.
    Choice(usize, String),
    /// Values across columns.
    Series(Vec<SeriesItem>),
    /// The elements of a list, each with its own fields.
    List(Vec<Values>),
}

/// The checked values of one scope, by field name. A blank field is
/// absent.
pub type Values = BTreeMap<String, Value>;

/// Every cell of a layout with its path, depth first.
pub fn cells(layout: &Layout) -> Vec<(YamlPath, &Cell)> {
    fn rows<'a>(list: &'a [Row], path: &YamlPath, out: &mut Vec<(YamlPath, &'a Cell)>) {
        for (r, row) in list.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let here = path.index(r).key("cells").index(c);
                out.push((here.clone(), cell));
                if let Some(sub) = &cell.rows {
                    rows(sub, &here.key("rows"), out);
                }
            }
        }
    }
    fn blocks<'a>(list: &'a [Block], path: &YamlPath, out: &mut Vec<(YamlPath, &'a Cell)>) {
        for (b, block) in list.iter().enumerate() {
            let here = path.index(b);
            if let Some(table) = &block.table {
                rows(&table.header, &here.key("table").key("header"), out);
                rows(&table.rows, &here.key("table").key("rows"), out);
            }
            if let Some(children) = &block.blocks {
                blocks(children, &here.key("blocks"), out);
            }
        }
    }
    let mut out = Vec::new();
    blocks(&layout.body, &YamlPath::root().key("body"), &mut out);
    out
}

/// Check the layout's cells and collect the fields they define.
pub fn layout_schema(layout: &Layout) -> Result<Schema> {
    check_defaults(layout)?;
    check_geometry(layout)?;
    let mut walk = Walk { fields: Vec::new(), refs: Vec::new(), lists: Vec::new() };
    if let Some(period) = &layout.period {
        for (key, name) in [("from", &period.from), ("to", &period.to)] {
            let def = FieldDef {
                kind: CellKind::FiscalYear(name.clone()),
                options: Vec::new(),
                series_len: 1,
                cell_path: YamlPath::root().key("period").key(key),
            };
            walk.fields.push((Vec::new(), name.clone(), def));
        }
    }
    walk.blocks(&layout.body, &YamlPath::root().key("body"), &[])?;
    if let Some(footer) = &layout.footer {
        walk.template(footer.text.as_deref().unwrap_or_default(), &YamlPath::root().key("footer").key("text"), &[]);
    }
    walk.into_schema()
}

/// A list a layout repeats rows or blocks for (`for_each`), in the scope
/// (the lists around it, outermost first) where it is named.
struct ListUse {
    scope: Vec<String>,
    name: String,
}

/// Collects what a layout's blocks, rows and cells define, by scope.
struct Walk {
    /// (scope, name, definition): scope is the list names from the root.
    fields: Vec<(Vec<String>, String, FieldDef)>,
    /// (scope, name, where): `{name}` used in a template.
    refs: Vec<(Vec<String>, String, YamlPath)>,
    lists: Vec<ListUse>,
}

impl Walk {
    fn blocks(&mut self, blocks: &[Block], path: &YamlPath, scope: &[String]) -> Result<()> {
        for (b, block) in blocks.iter().enumerate() {
            let here = path.index(b);
            let kinds = [block.text.is_some(), block.table.is_some(), block.blocks.is_some()];
            if kinds.iter().filter(|k| **k).count() != 1 {
                return Err(Error::in_layout(&here, "a body block holds one of `text`, `table` or `blocks`"));
            }
            if block.for_each.is_some() != block.blocks.is_some() {
                return Err(Error::in_layout(
                    &here,
                    "`for_each` and `blocks` go together: repeat these blocks for each element",
                ));
            }
            if let Some(text) = &block.text {
                self.template(text, &here.key("text"), scope);
            }
            if let Some(table) = &block.table {
                self.rows(&table.header, &here.key("table").key("header"), scope)?;
                self.rows(&table.rows, &here.key("table").key("rows"), scope)?;
            }
            if let (Some(list), Some(children)) = (&block.for_each, &block.blocks) {
                let inner = self.enter(scope, list);
                self.blocks(children, &here.key("blocks"), &inner)?;
            }
        }
        Ok(())
    }

    fn enter(&mut self, scope: &[String], list: &str) -> Vec<String> {
        self.lists.push(ListUse { scope: scope.to_vec(), name: list.to_string() });
        let mut inner = scope.to_vec();
        inner.push(list.to_string());
        inner
    }

    fn rows(&mut self, rows: &[Row], path: &YamlPath, scope: &[String]) -> Result<()> {
        for (r, row) in rows.iter().enumerate() {
            let here = path.index(r);
            let inner = match &row.for_each {
                Some(list) => self.enter(scope, list),
                None => scope.to_vec(),
            };
            for (c, cell) in row.cells.iter().enumerate() {
                self.cell(cell, &here.key("cells").index(c), &inner)?;
            }
        }
        Ok(())
    }

    fn cell(&mut self, cell: &Cell, path: &YamlPath, scope: &[String]) -> Result<()> {
        let kind = CellKind::of(cell).map_err(|m| Error::in_layout(path, m))?;
        let options = cell.options.clone().unwrap_or_default();
        if matches!(kind, CellKind::Choice(_)) && options.is_empty() {
            return Err(Error::in_layout(path, "a `choice` cell needs `options`")
                .with_help("e.g. options: [目標以下, 目標どおり, 目標以上]"));
        }
        match &kind {
            CellKind::Rows => return self.rows(cell.rows.as_deref().unwrap_or_default(), &path.key("rows"), scope),
            CellKind::Text(t) if t.contains('{') => self.template(t, &path.key("text"), scope),
            CellKind::Label(t) => self.template(t, &path.key("label"), scope),
            _ => {}
        }
        if let Some(suffix) = &cell.final_suffix {
            self.template(suffix, &path.key("final_suffix"), scope);
        }
        if let Some(name) = kind.field() {
            let def =
                FieldDef { kind: kind.clone(), options, series_len: cell.span.unwrap_or(1), cell_path: path.clone() };
            self.fields.push((scope.to_vec(), name.to_string(), def));
        }
        Ok(())
    }

    fn template(&mut self, text: &str, path: &YamlPath, scope: &[String]) {
        for name in placeholders(text) {
            if !BUILT_IN_PLACEHOLDERS.contains(&name) {
                self.refs.push((scope.to_vec(), name.to_string(), path.clone()));
            }
        }
    }

    /// Assemble the scopes; a placeholder no enclosing scope defines
    /// becomes a text field of every scope on its path.
    fn into_schema(self) -> Result<Schema> {
        let mut root = Schema::default();
        for list in &self.lists {
            node(&mut root, &list.scope).lists.entry(list.name.clone()).or_default();
        }
        for (scope, name, def) in self.fields {
            let fields = &mut node(&mut root, &scope).fields;
            if let Some(previous) = fields.get(&name) {
                if previous.kind.name() != def.kind.name() || previous.options != def.options {
                    let msg = format!("field `{name}` is printed here as `{}`", def.kind.name());
                    let help = format!(
                        "{} already prints it as `{}`; use another field name",
                        previous.cell_path,
                        previous.kind.name()
                    );
                    return Err(Error::in_layout(&def.cell_path, msg).with_help(help));
                }
                continue;
            }
            fields.insert(name, def);
        }
        // A placeholder is looked up from the innermost scope outwards, so
        // the data may give it at any level on the way.
        for (scope, name, path) in self.refs {
            let defined = (0..=scope.len()).any(|n| node(&mut root, &scope[..n]).fields.contains_key(&name));
            if !defined {
                for n in 0..=scope.len() {
                    let def = FieldDef {
                        kind: CellKind::Text(name.clone()),
                        options: Vec::new(),
                        series_len: 1,
                        cell_path: path.clone(),
                    };
                    node(&mut root, &scope[..n]).fields.insert(name.clone(), def);
                }
            }
        }
        Ok(root)
    }
}

/// The schema of a scope, created on the way.
fn node<'s>(root: &'s mut Schema, scope: &[String]) -> &'s mut Schema {
    scope.iter().fold(root, |s, list| s.lists.entry(list.clone()).or_default())
}

/// Sizes and lengths must make sense: a page with room inside its margins,
/// positive font sizes and widths (a zero column would divide by zero),
/// ratios in their range. (Lengths are finite and not negative already:
/// [`crate::units`] refuses anything else while parsing.)
fn check_geometry(layout: &Layout) -> Result<()> {
    let root = YamlPath::root();
    let fail = |path: &YamlPath, msg: String| Err(Error::in_layout(path, msg));
    let [w, h] = layout.page.size.millimetres().map(Mm::get);
    if !(w >= 50.0 && h >= 50.0 && w <= 2000.0 && h <= 2000.0) {
        let msg = format!("a page of {w} × {h} mm cannot be printed (50 to 2000 mm each way)");
        return fail(&root.key("page").key("size"), msg);
    }
    let [t, r, b, l] = layout.page.margin.trbl().map(Mm::get);
    let (pw, ph) = match layout.page.orientation {
        crate::model::layout::Orientation::Portrait => (w.min(h), w.max(h)),
        crate::model::layout::Orientation::Landscape => (w.max(h), w.min(h)),
    };
    if pw - l - r < 20.0 || ph - t - b < 20.0 {
        let msg = format!("margins of {t}, {r}, {b}, {l} mm leave no room on a {pw} × {ph} mm page");
        return fail(&root.key("page").key("margin"), msg);
    }
    let size_ok = |s: Pt| s.get() > 0.0 && s.get() <= 200.0;
    if !size_ok(layout.size) {
        let msg = format!("a font size of {} cannot be printed (more than 0, at most 200)", layout.size);
        return fail(&root.key("size"), msg);
    }
    let mut cells_and_defaults: Vec<(YamlPath, &Cell)> = cells(layout);
    cells_and_defaults.extend(layout.defaults.iter().map(|(k, c)| (root.key("defaults").key(k.clone()), c)));
    for (path, cell) in cells_and_defaults {
        for (key, v) in [("size", cell.size), ("min_size", cell.min_size)] {
            if let Some(s) = v.filter(|s| !size_ok(*s)) {
                return fail(&path.key(key), format!("a font size of {s} cannot be printed"));
            }
        }
        for (key, v) in [("width", cell.width), ("writing_pitch", cell.writing_pitch)] {
            if let Some(x) = v.filter(|x| x.get() <= 0.0) {
                return fail(&path.key(key), format!("`{key}` must be more than 0, found {x}"));
            }
        }
        for (key, v, range) in [
            ("line_height", cell.line_height, 0.1..=10.0),
            ("max_gap", cell.max_gap, 0.0..=100.0),
            ("shade", cell.shade, 0.0..=1.0),
        ] {
            if let Some(Err(msg)) = v.map(|x| check_ratio(key, x, range)) {
                return fail(&path.key(key), msg);
            }
        }
        if cell.span == Some(0) {
            return fail(&path.key("span"), "a cell spans at least 1 column".to_string());
        }
    }
    check_block_geometry(&layout.body, &root.key("body"))
}

fn check_block_geometry(blocks: &[Block], path: &YamlPath) -> Result<()> {
    for (b, block) in blocks.iter().enumerate() {
        let here = path.index(b);
        if block.size.is_some_and(|s| s.get() <= 0.0 || s.get() > 200.0) {
            return Err(Error::in_layout(&here.key("size"), "a font size must be more than 0 and at most 200 pt"));
        }
        if let Some(Err(msg)) = block.letter_spacing.map(|x| check_ratio("letter_spacing", x, 0.0..=10.0)) {
            return Err(Error::in_layout(&here.key("letter_spacing"), msg));
        }
        if let Some(table) = &block.table {
            let at = here.key("table");
            if table.width.is_some_and(|w| w.get() <= 0.0) {
                return Err(Error::in_layout(&at.key("width"), "a table is wider than 0 mm"));
            }
            if let Some(columns) = &table.columns {
                if let Some(i) = columns.iter().position(|c| c.get() <= 0.0) {
                    let msg = format!("column {} is {} wide; columns must be wider than 0", i + 1, columns[i]);
                    return Err(Error::in_layout(&at.key("columns"), msg));
                }
            }
            for (part, rows) in [("header", &table.header), ("rows", &table.rows)] {
                if let Some(r) = rows.iter().position(|row| row.cells.is_empty()) {
                    let msg = "a row needs at least one cell";
                    return Err(Error::in_layout(&at.key(part).index(r).key("cells"), msg));
                }
            }
        }
        if let Some(children) = &block.blocks {
            check_block_geometry(children, &here.key("blocks"))?;
        }
    }
    Ok(())
}

/// The keys of `defaults` name cell kinds (or `all`).
fn check_defaults(layout: &Layout) -> Result<()> {
    const KINDS: [&str; 10] =
        ["all", "label", "text", "amount", "number", "choice", "fiscal_year", "date", "series", "year_labels"];
    for (kind, cell) in &layout.defaults {
        let at = YamlPath::root().key("defaults").key(kind.clone());
        if !KINDS.contains(&kind.as_str()) {
            let err = Error::in_layout(&at, format!("`{kind}` is not a cell kind"));
            return Err(match nearest(kind, KINDS) {
                Some(best) => err.with_help(format!("did you mean `{best}`?")),
                None => err.with_help(format!("defaults are given for: {}", KINDS.join(", "))),
            });
        }
        if let Ok(k) = CellKind::of(cell) {
            let msg = format!("defaults hold style only, not content (`{}`)", k.name());
            return Err(Error::in_layout(&at, msg));
        }
    }
    Ok(())
}

/// Check and convert the values of one scope; `path` is where they stand
/// in the data file (`fields`, `fields.sections[0]`).
pub fn read_values<'a>(
    values: impl IntoIterator<Item = (&'a Yaml, &'a Yaml)>,
    schema: &Schema,
    path: &YamlPath,
    layout_name: &str,
) -> Result<Values> {
    let mut out = Values::new();
    for (key, raw) in values {
        let Some(name) = key.as_str() else {
            return Err(Error::in_data(path, format!("field names are text, found `{}`", scalar_text(key))));
        };
        let here = path.key(name.to_string());
        if let Some(def) = schema.fields.get(name) {
            if let Some(value) = convert(raw, def).map_err(|(msg, help)| {
                let e = Error::in_data(&here, msg);
                match help {
                    Some(h) => e.with_help(h),
                    None => e,
                }
            })? {
                out.insert(name.to_string(), value);
            }
        } else if let Some(list) = schema.lists.get(name) {
            out.insert(name.to_string(), read_list(raw, list, &here, layout_name)?);
        } else {
            return Err(unknown_field(schema, &here, name, layout_name));
        }
    }
    Ok(out)
}

fn read_list(raw: &Yaml, schema: &Schema, path: &YamlPath, layout_name: &str) -> Result<Value> {
    let items = match raw {
        Yaml::Null => return Ok(Value::List(Vec::new())),
        Yaml::Sequence(items) => items,
        _ => return Err(Error::in_data(path, "expected a list (lines starting with `- `)")),
    };
    let mut list = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = path.index(i);
        let Yaml::Mapping(map) = item else {
            let keys: Vec<&String> = schema.fields.keys().chain(schema.lists.keys()).collect();
            return Err(Error::in_data(&here, "expected an element with named fields")
                .with_help(format!("write `- {}: …`", keys.first().map(|k| k.as_str()).unwrap_or("name"))));
        };
        list.push(read_values(map, schema, &here, layout_name)?);
    }
    Ok(Value::List(list))
}

fn unknown_field(schema: &Schema, path: &YamlPath, name: &str, layout_name: &str) -> Error {
    let known: Vec<&str> = schema.fields.keys().chain(schema.lists.keys()).map(String::as_str).collect();
    let err = Error::in_data(path, format!("the layout `{layout_name}` has no field `{name}` here"));
    match nearest(name, known.iter().copied()) {
        Some(best) => err.with_help(format!("did you mean `{best}`?")),
        None => err.with_help(format!("the fields here are: {}", known.join(", "))),
    }
}

fn scalar_text(raw: &Yaml) -> String {
    match raw {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

type Conversion = std::result::Result<Option<Value>, (String, Option<String>)>;

/// One value, by the kind of its field. `Ok(None)` is a blank.
fn convert(raw: &Yaml, def: &FieldDef) -> Conversion {
    if let CellKind::Series(_) = def.kind {
        return convert_series(raw, def.series_len).map(Some);
    }
    let text = match raw {
        Yaml::Null => return Ok(None),
        Yaml::String(s) if s.trim().is_empty() => return Ok(None),
        Yaml::Sequence(_) | Yaml::Mapping(_) | Yaml::Tagged(_) => {
            return Err((
                format!("expected a single value for a `{}` field, found a list or mapping", def.kind.name()),
                None,
            ));
        }
        other => scalar_text(other),
    };
    match &def.kind {
        CellKind::Text(_) => Ok(Some(Value::Text(text.replace("\r\n", "\n")))),
        CellKind::Amount(_) | CellKind::Number(_) => {
            parse_integer(&text).map(|v| Some(Value::Integer(v))).ok_or_else(|| {
                (
                    format!("expected a whole number, found `{text}`"),
                    Some("write digits only, e.g. 7188 (the unit is printed by the layout)".to_string()),
                )
            })
        }
        CellKind::Choice(_) => match def.options.iter().position(|o| *o == text) {
            Some(i) => Ok(Some(Value::Choice(i, text))),
            None => {
                let help = match nearest(&text, def.options.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "choose one of: {}",
                        def.options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
                    ),
                };
                Err((format!("`{text}` is not one of the options"), Some(help)))
            }
        },
        CellKind::FiscalYear(_) => parse_fiscal_year(&text)
            .map(|y| Some(Value::Year(y)))
            .map_err(|e| (e.0, Some("e.g. 2025, 令和7 or R7".to_string()))),
        CellKind::Date(_) => {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map(|d| Some(Value::Date(d))).map_err(|_| {
                let shaped = text.trim().len() == 10 && text.trim().chars().filter(|c| *c == '-').count() == 2;
                if shaped {
                    let days = month_length(text.trim());
                    let help = match days {
                        Some((month, n)) => format!("{month} has {n} days"),
                        None => "check the month and the day".to_string(),
                    };
                    (format!("expected a date, found `{text}`, which is not a day of the calendar"), Some(help))
                } else {
                    (format!("expected a date, found `{text}`"), Some("write dates as 2025-04-01".to_string()))
                }
            })
        }
        CellKind::Label(_) | CellKind::Rows | CellKind::Series(_) | CellKind::YearLabels(_) => Ok(None),
    }
}

/// A series: one text spanning all `len` columns, or a list of texts (or
/// `{ text, span }` items) filling exactly `len` columns.
fn convert_series(raw: &Yaml, len: u32) -> std::result::Result<Value, (String, Option<String>)> {
    let items: Vec<SeriesItem> = match raw {
        Yaml::Null => vec![SeriesItem { text: String::new(), span: len }],
        Yaml::Sequence(values) => values.iter().map(series_item).collect::<std::result::Result<_, _>>()?,
        Yaml::Mapping(_) => vec![series_item(raw)?],
        other => vec![SeriesItem { text: scalar_text(other), span: len }],
    };
    let filled: u32 = items.iter().map(|i| i.span).sum();
    if filled != len {
        let msg = format!("expected values for {len} columns, found {filled}");
        let help =
            format!("give {len} values (\"\" for an empty one), one text for all, or items `{{ text: …, span: N }}`");
        return Err((msg, Some(help)));
    }
    Ok(Value::Series(items))
}

fn series_item(raw: &Yaml) -> std::result::Result<SeriesItem, (String, Option<String>)> {
    match raw {
        Yaml::Mapping(map) => {
            let mut item = SeriesItem { text: String::new(), span: 1 };
            for (k, v) in map {
                match k.as_str() {
                    Some("text") => item.text = scalar_text(v),
                    Some("span") => {
                        item.span = v
                            .as_u64()
                            .filter(|n| *n >= 1)
                            .ok_or(("`span` is a whole number of columns".to_string(), None))?
                            as u32;
                    }
                    _ => return Err((format!("a series item has `text` and `span`, not `{}`", scalar_text(k)), None)),
                }
            }
            Ok(item)
        }
        Yaml::Sequence(_) | Yaml::Tagged(_) => Err(("a series item is a text or `{ text, span }`".to_string(), None)),
        other => Ok(SeriesItem { text: scalar_text(other).replace("\r\n", "\n"), span: 1 }),
    }
}

/// `2025-02` and its number of days, for a `YYYY-MM-DD` text with a real month.
fn month_length(text: &str) -> Option<(String, u32)> {
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((format!("{year}-{month:02}"), (next - first).num_days() as u32))
}

/// An integer as users type it: `7188`, `7,188`, `７，１８８`, `-5`, `△5`.
fn parse_integer(s: &str) -> Option<i64> {
    let mut digits = String::new();
    for c in s.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from_u32(c as u32 - 0xFEE0)?),
            ',' | '，' => {}
            '-' | '－' | '△' | '▲' if digits.is_empty() => digits.push('-'),
            _ => return None,
        }
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_users_type_them() {
        assert_eq!(parse_integer("7188"), Some(7188));
        assert_eq!(parse_integer("７，１８８"), Some(7188));
        assert_eq!(parse_integer("△1,234"), Some(-1234));
        assert_eq!(parse_integer("7.5"), None);
        assert_eq!(parse_integer("約7000"), None);
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(placeholders("{no} {naiyo}"), ["no", "naiyo"]);
        assert_eq!(placeholders("【{heading}】"), ["heading"]);
        assert!(placeholders("no braces").is_empty());
    }

    #[test]
    fn series_fill_their_columns() {
        let list: Yaml = serde_yaml::from_str("[a, b, {text: c, span: 3}]").unwrap();
        let Value::Series(items) = convert_series(&list, 5).unwrap() else { panic!() };
        assert_eq!(items.iter().map(|i| i.span).collect::<Vec<_>>(), [1, 1, 3]);
        let one: Yaml = serde_yaml::from_str("narrative").unwrap();
        assert_eq!(
            convert_series(&one, 5).unwrap(),
            Value::Series(vec![SeriesItem { text: "narrative".into(), span: 5 }])
        );
        let short: Yaml = serde_yaml::from_str("[a, b]").unwrap();
        assert!(convert_series(&short, 5).unwrap_err().0.contains("expected values for 5 columns, found 2"));
    }
}
