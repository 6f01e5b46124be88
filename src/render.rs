//! The pipeline, end to end, and the boundary where errors get their
//! positions.
//!
//! ```text
//! data.yaml ─┐         ┌ validate ┐
//!            ├ parse ─►│ layout   ├► evaluate ─► lay out ──────► write
//! layout.yaml┘ (model) │ data     │  (scopes,   (text → cells    (pdf)
//!                      └──────────┘  {fields})   → rows → pages)
//!               CheckedLayout + Values
//! ```
//!
//! Errors from validation and layout carry a site (a file and a path);
//! [`Form`] locates them ([`Locate`]) as they leave: every public method
//! returns errors with a file, line and column.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::draw::Document;
use crate::error::{Error, Result};
use crate::eval::{Report, Values};
use crate::layout::page::lay_out;
use crate::layout::Warning;
use crate::layouts::{self, Layouts};
use crate::model::data::Data;
use crate::path::YamlPath;
use crate::source::{Locate, Source};
use crate::text::era::parse_fiscal_year;
use crate::validate::{self, CheckedLayout};

/// A checked layout and, unless the form is blank, its checked values.
pub struct Form {
    layout: Arc<CheckedLayout>,
    layout_src: Arc<Source>,
    data_src: Option<Source>,
    values: Values,
    /// For a plan: the year to report on (default: the period's last).
    report_year: Option<i32>,
    /// What reading the data noticed (a folded text merging bullet lines).
    data_warnings: Vec<Warning>,
}

/// A rendered PDF, the pages it was written from, and what was noticed
/// along the way.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// The laid-out pages the PDF holds: what [`crate::preview`] draws.
    pub document: Document,
    /// Things a user may want to look at (text shrunk below 8 pt, a line
    /// broken where the rules forbid it), each at its layout cell. Not
    /// errors.
    pub warnings: Vec<Warning>,
}

impl Form {
    /// Read a data file and the layout it names, and check the values.
    pub fn from_data(path: &Path) -> Result<Form> {
        Form::from_data_source(Source::read(path)?, &Layouts::default())
    }

    /// [`Form::from_data`], taking the layout from `layouts` when it was
    /// read before (a batch reads each layout once).
    pub fn from_data_with(path: &Path, layouts: &Layouts) -> Result<Form> {
        Form::from_data_source(Source::read(path)?, layouts)
    }

    /// A data file's text, read as if from `path` (its layout is found
    /// from there): `yoshiki serve` renders the form being edited without
    /// writing it to disk.
    pub fn from_text(path: &Path, text: String) -> Result<Form> {
        Form::from_text_with(path, text, &Layouts::default())
    }

    /// [`Form::from_text`], taking the layout from `layouts` when its file
    /// is unchanged since it was read (`serve` previews at every keystroke).
    pub fn from_text_with(path: &Path, text: String, layouts: &Layouts) -> Result<Form> {
        Form::from_data_source(Source { path: path.to_path_buf(), text }, layouts)
    }

    /// A layout file as a blank form, a data file as a filled one; a
    /// layout is taken from `layouts` when it was read before (`yoshiki
    /// check` of many files naming one layout).
    pub fn open_with(path: &Path, layouts: &Layouts) -> Result<Form> {
        let src = Source::read(path)?;
        if is_layout(&src.text) {
            Form::blank_source(src, layouts)
        } else {
            Form::from_data_source(src, layouts)
        }
    }

    fn from_data_source(data_src: Source, layouts: &Layouts) -> Result<Form> {
        let path = data_src.path.clone();
        let path = path.as_path();
        if is_layout(&data_src.text) {
            return Err(Error::input(format!("`{}` is a layout file, not a data file", path.display()))
                .in_file(path)
                .with_help(format!(
                    "print it blank with `yoshiki blank {}`, or render a data file that names it",
                    path.display()
                )));
        }
        let Data { layout: name, fields } = data_src.read_data()?;
        let layout_path = find_layout(&data_src, &name).located(None, Some(&data_src))?;
        let layouts::Loaded { layout, src: layout_src } = layouts.get(&layout_path)?;
        let mut data_warnings = Vec::new();
        let values = validate::data::values(&layout, fields, &name, &mut data_warnings)
            .located(Some(&*layout_src), Some(&data_src))?;
        // Data warnings name their field in the message; they belong to no cell.
        let data_warnings = data_warnings.into_iter().map(|w| Warning::new(&YamlPath::root(), w)).collect();
        Ok(Form { layout, layout_src, data_src: Some(data_src), values, report_year: None, data_warnings })
    }

    /// A blank form of a layout: every label, no values.
    pub fn blank(layout_path: &Path) -> Result<Form> {
        Form::blank_with(layout_path, &Layouts::default())
    }

    /// [`Form::blank`], taking the layout from `layouts` when its file is
    /// unchanged since it was read (`serve` shows a layout's fields and
    /// blank PDF again and again).
    pub fn blank_with(layout_path: &Path, layouts: &Layouts) -> Result<Form> {
        Form::blank_source(Source::read(layout_path)?, layouts)
    }

    fn blank_source(layout_src: Source, layouts: &Layouts) -> Result<Form> {
        let path = layout_src.path.display();
        if !is_layout(&layout_src.text) && layout_src.text.lines().any(|l| l.starts_with("layout:")) {
            return Err(Error::input(format!("`{path}` is a data file, not a layout"))
                .in_file(&layout_src.path)
                .with_help(format!("render it with `yoshiki render {path}`")));
        }
        let layouts::Loaded { layout, src: layout_src } = layouts.checked(layout_src)?;
        Ok(Form {
            layout,
            layout_src,
            data_src: None,
            values: Values::new(),
            report_year: None,
            data_warnings: Vec::new(),
        })
    }

    /// The files this form was read from (never to be overwritten).
    pub fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![self.layout_src.path.as_path()];
        v.extend(self.data_src.as_ref().map(|s| s.path.as_path()));
        v
    }

    /// The JSON Schema of data files for this form's layout, named `name`
    /// (`yoshiki schema data LAYOUT`).
    pub fn data_schema(&self, name: &str) -> serde_json::Value {
        crate::schema::data_for(name, &self.layout)
    }

    /// The checked layout (`outline` reads its cells and fields).
    pub fn layout(&self) -> &CheckedLayout {
        &self.layout
    }

    /// The checked values of the data (none for a blank form).
    pub fn values(&self) -> &Values {
        &self.values
    }

    /// The layout file.
    pub fn layout_path(&self) -> &Path {
        &self.layout_src.path
    }

    /// The plan's period (first and last fiscal year), if the layout
    /// has one and the data gives it.
    pub fn period(&self) -> Option<(i32, i32)> {
        validate::data::period(&self.layout, &self.values)
    }

    /// Report on `year` (`R2`, `2020`, `令和2` …) instead of the last year.
    pub fn with_year(mut self, year: &str) -> Result<Form> {
        let Some((from, to)) = self.period() else {
            let (msg, help) = match &self.layout.period {
                Some(p) => (
                    format!("`--year {year}`: the data gives no period"),
                    format!("fill in `{}` and `{}`", p.from, p.to),
                ),
                None => (
                    format!("`--year {year}`: this form is not a multi-year plan"),
                    "--year applies to layouts with a `period`".to_string(),
                ),
            };
            return Err(Error::input(msg).in_file(self.data_path()).with_help(help));
        };
        let y = parse_fiscal_year(year).map_err(|e| {
            let reason = e.0.strip_prefix(&format!("`{year}`: ")).unwrap_or(&e.0).to_string();
            Error::input(format!("`--year {year}`: {reason}")).with_help("e.g. --year R2, --year 2020 or --year 令和2")
        })?;
        if !(from..=to).contains(&y) {
            let label = |y| crate::text::era::era_of_fiscal_year(y).map(|e| e.short()).unwrap_or_default();
            let msg = format!("`--year {year}` is outside the plan's period {}–{}", label(from), label(to));
            let bound = |p: &validate::checked::Period| if y > to { p.to.clone() } else { p.from.clone() };
            let err = match &self.layout.period {
                Some(p) => Error::in_data(&YamlPath::root().key("fields").key(bound(p)), msg),
                None => Error::input(msg),
            };
            let err = err.with_help(format!("choose a year from {} to {}", label(from), label(to)));
            return Err(err.located(Some(&*self.layout_src), self.data_src.as_ref()));
        }
        self.report_year = Some(y);
        Ok(self)
    }

    /// Which year is reported: `year`, else the one chosen with
    /// [`Form::with_year`], else the period's last.
    fn report(&self, year: Option<i32>) -> Report {
        let period = self.period();
        Report { period, year: year.or(self.report_year).or(period.map(|p| p.1)) }
    }

    /// The years to render: every year of a plan's period, or just the
    /// default for any other form.
    pub fn years(&self) -> Vec<Option<i32>> {
        match self.period() {
            Some((from, to)) => (from..=to).map(Some).collect(),
            None => vec![None],
        }
    }

    /// Lay out every year without writing anything (`yoshiki check`): the
    /// pages laid out, and the warnings.
    pub fn check(&self) -> Result<(usize, Vec<Warning>)> {
        let mut warnings = Vec::new();
        let mut pages = 0;
        for year in self.years() {
            pages += self.lay_out_for(year, &mut warnings)?.pages.len();
        }
        Ok((pages, warnings))
    }

    /// The data file, or the layout for a blank form.
    pub fn data_path(&self) -> &Path {
        self.data_src.as_ref().map(|s| s.path.as_path()).unwrap_or(&self.layout_src.path)
    }

    /// Lay the form out into pages.
    pub fn lay_out(&self, warnings: &mut Vec<Warning>) -> Result<Document> {
        self.lay_out_for(None, warnings)
    }

    /// Lay the form out for one plan year (`None`: the default year).
    pub fn lay_out_for(&self, year: Option<i32>, warnings: &mut Vec<Warning>) -> Result<Document> {
        let blank = self.data_src.is_none();
        // Once, however many plan years are laid out.
        for w in &self.data_warnings {
            if !warnings.contains(w) {
                warnings.push(w.clone());
            }
        }
        lay_out(&self.layout, &self.values, blank, self.report(year), warnings)
            .located(Some(&*self.layout_src), self.data_src.as_ref())
    }

    /// Lay out and write the PDF.
    pub fn render(&self) -> Result<Rendered> {
        self.render_year(None)
    }

    /// Lay out and write the PDF of one plan year (`None`: the default).
    pub fn render_year(&self, year: Option<i32>) -> Result<Rendered> {
        let mut warnings = Vec::new();
        let doc = self.lay_out_for(year, &mut warnings)?;
        let pdf = crate::pdf::write(&doc)?;
        Ok(Rendered { pdf, pages: doc.pages.len(), document: doc, warnings })
    }
}

/// A layout has a top-level `body:`; a data file never does.
pub fn is_layout(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("body:"))
}

/// Does a data file's `layout:` give a path to the layout
/// (`../../layouts/x.yaml`) rather than its name (`x`)?
pub fn names_a_path(reference: &str) -> bool {
    reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml")
}

/// Where the layout called `name` is looked for, nearest first:
/// [`layout_in`] `dir` and in each folder above it.
pub fn layout_candidates<'a>(dir: &'a Path, name: &'a str) -> impl Iterator<Item = PathBuf> + 'a {
    dir.ancestors().map(move |d| layout_in(d, name))
}

/// The layout called `name` in the folder `dir`: `dir/layouts/NAME.yaml`.
pub fn layout_in(dir: &Path, name: &str) -> PathBuf {
    dir.join("layouts").join(format!("{name}.yaml"))
}

/// Where a data file's `layout:` points: a path relative to the data file
/// (`../../layouts/x.yaml`), or a name looked up as `layouts/NAME.yaml` in
/// the data file's folder and each folder above it.
fn find_layout(data: &Source, name: &str) -> Result<PathBuf> {
    if name.trim().is_empty() {
        return Err(Error::in_data(
            &YamlPath::root().key("layout"),
            "`layout:` is empty: which form does this data fill?",
        )
        .with_help("write the layout's name (`layout: shinko-kanri`) or a path to it"));
    }
    let dir = data.path.parent().unwrap_or(Path::new(""));
    let is_path = names_a_path(name);
    let candidates: Vec<PathBuf> = if is_path {
        vec![dir.join(name)]
    } else {
        let start = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        layout_candidates(&absolute, name).collect()
    };
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        // Shown in messages: relative to the current folder where it can be.
        let cwd = std::env::current_dir().unwrap_or_default();
        return Ok(found.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or_else(|_| found.clone()));
    }
    let tried = candidates.first().map(|p| p.display().to_string()).unwrap_or_default();
    let err = Error::in_data(&YamlPath::root().key("layout"), format!("layout `{name}` not found"));
    Err(if is_path {
        err.with_help(format!("looked for {tried}; the path is relative to the data file"))
    } else {
        err.with_help(format!("looked for layouts/{name}.yaml in this folder and every folder above it"))
    })
}
