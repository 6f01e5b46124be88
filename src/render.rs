//! The pipeline, end to end: read the files, validate, lay out, write.
//!
//! ```text
//! data.yaml ─┐                    ┌─ layout ──── pdf
//!            ├─ parse ─ validate ─┤  (text →     (drawing items
//! layout.yaml┘  (model) (values)  │  cells →      → printpdf)
//!                                 └─ pages)
//! ```

use std::path::{Path, PathBuf};

use crate::draw::Document;
use crate::error::{Error, Result};
use crate::layout::cell::Report;
use crate::layout::page::lay_out;
use crate::model::data::DataFile;
use crate::model::layout::Layout;
use crate::source::Source;
use crate::text::era::parse_fiscal_year;
use crate::validate::{layout_schema, read_values, Value, Values};

/// A layout and, unless the form is blank, its checked values.
pub struct Form {
    pub layout: Layout,
    pub layout_src: Source,
    pub data_src: Option<Source>,
    pub values: Values,
    /// For a plan: the year to report on (default: the period's last).
    pub report_year: Option<i32>,
}

/// A rendered PDF and what was noticed along the way.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Things a user may want to look at (text shrunk below 8 pt, a line
    /// broken where the rules forbid it). Not errors.
    pub warnings: Vec<String>,
}

impl Form {
    /// Read a data file and the layout it names, and check the values.
    pub fn from_data(path: &Path) -> Result<Form> {
        Form::from_data_source(Source::read(path)?)
    }

    /// A data file's text, read as if from `path` (its layout is found
    /// from there): `yoshiki serve` renders the form being edited without
    /// writing it to disk.
    pub fn from_text(path: &Path, text: String) -> Result<Form> {
        Form::from_data_source(Source { path: path.to_path_buf(), text })
    }

    /// A layout file as a blank form, a data file as a filled one.
    pub fn open(path: &Path) -> Result<Form> {
        let src = Source::read(path)?;
        if is_layout(&src.text) {
            Form::blank_source(src)
        } else {
            Form::from_data_source(src)
        }
    }

    fn from_data_source(data_src: Source) -> Result<Form> {
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
        let data: DataFile = data_src.parse()?;
        let layout_path = find_layout(&data_src, &data.layout)?;
        let (layout, layout_src) = read_layout(&layout_path)?;
        let schema = layout_schema(&layout, &layout_src)?;
        let values = read_values(&data.fields, &schema, &data_src, "fields", &data.layout)?;
        let form = Form { layout, layout_src, data_src: Some(data_src), values, report_year: None };
        form.check_period()?;
        Ok(form)
    }

    /// A blank form of a layout: every label, no values.
    pub fn blank(layout_path: &Path) -> Result<Form> {
        Form::blank_source(Source::read(layout_path)?)
    }

    fn blank_source(layout_src: Source) -> Result<Form> {
        let path = layout_src.path.display();
        if !is_layout(&layout_src.text) && layout_src.text.lines().any(|l| l.starts_with("layout:")) {
            return Err(Error::input(format!("`{path}` is a data file, not a layout"))
                .in_file(&layout_src.path)
                .with_help(format!("render it with `yoshiki render {path}`")));
        }
        let layout: Layout = layout_src.parse()?;
        layout_schema(&layout, &layout_src)?;
        Ok(Form { layout, layout_src, data_src: None, values: Values::new(), report_year: None })
    }

    /// The files this form was read from (never to be overwritten).
    pub fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![self.layout_src.path.as_path()];
        v.extend(self.data_src.as_ref().map(|s| s.path.as_path()));
        v
    }

    /// The plan's period (first and last fiscal year), if the layout
    /// has one and the data gives it.
    pub fn period(&self) -> Option<(i32, i32)> {
        let period = self.layout.period.as_ref()?;
        match (self.values.get(&period.from), self.values.get(&period.to)) {
            (Some(Value::Year(a)), Some(Value::Year(b))) => Some((*a, *b)),
            _ => None,
        }
    }

    /// A plan's period must run forwards and fill its year columns.
    fn check_period(&self) -> Result<()> {
        let (Some(period), Some((from, to)), Some(src)) = (&self.layout.period, self.period(), &self.data_src) else {
            return Ok(());
        };
        if from > to {
            let msg = "the plan's period ends before it starts";
            return Err(src
                .error_at(&format!("fields.{}", period.to), msg)
                .with_help(format!("`{}` must be the same year as `{}` or later", period.to, period.from)));
        }
        let years = (to - from + 1) as u32;
        for (path, cell) in crate::validate::cells(&self.layout) {
            let span = cell.span.unwrap_or(1);
            if cell.year_labels.is_some() && span != years {
                let msg = format!("the period has {years} years but the layout's year columns are {span}");
                return Err(src.error_at(&format!("fields.{}", period.to), msg).with_help(format!(
                    "the layout ({}, {path}) is made for {span}-year plans",
                    self.layout_src.path.display()
                )));
            }
        }
        Ok(())
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
            let bound = |p: &crate::model::layout::Period| if y > to { p.to.clone() } else { p.from.clone() };
            let at = self.layout.period.as_ref().map(|p| format!("fields.{}", bound(p))).unwrap_or_default();
            let err = match &self.data_src {
                Some(src) => src.error_at(&at, msg),
                None => Error::input(msg),
            };
            return Err(err.with_help(format!("choose a year from {} to {}", label(from), label(to))));
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
    pub fn check(&self) -> Result<(usize, Vec<String>)> {
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
    pub fn lay_out(&self, warnings: &mut Vec<String>) -> Result<Document> {
        self.lay_out_for(None, warnings)
    }

    /// Lay the form out for one plan year (`None`: the default year).
    pub fn lay_out_for(&self, year: Option<i32>, warnings: &mut Vec<String>) -> Result<Document> {
        lay_out(&self.layout, &self.layout_src, self.data_src.as_ref(), &self.values, self.report(year), warnings)
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
        Ok(Rendered { pdf, pages: doc.pages.len(), warnings })
    }
}

/// A layout has a top-level `body:`; a data file never does.
pub fn is_layout(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("body:"))
}

fn read_layout(path: &Path) -> Result<(Layout, Source)> {
    let src = Source::read(path)?;
    let layout: Layout = src.parse()?;
    Ok((layout, src))
}

/// Where a data file's `layout:` points: a path relative to the data file
/// (`../../layouts/x.yaml`), or a name looked up as `layouts/NAME.yaml` in
/// the data file's folder and each folder above it.
fn find_layout(data: &Source, name: &str) -> Result<PathBuf> {
    let dir = data.path.parent().unwrap_or(Path::new(""));
    let is_path = name.contains('/') || name.ends_with(".yaml") || name.ends_with(".yml");
    let candidates: Vec<PathBuf> = if is_path {
        vec![dir.join(name)]
    } else {
        let start = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        absolute.ancestors().map(|d| d.join("layouts").join(format!("{name}.yaml"))).collect()
    };
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        // Shown in messages: relative to the current folder where it can be.
        let cwd = std::env::current_dir().unwrap_or_default();
        return Ok(found.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or_else(|_| found.clone()));
    }
    let tried = candidates.first().map(|p| p.display().to_string()).unwrap_or_default();
    let err: Error = data.error_at("layout", format!("layout `{name}` not found"));
    Err(if is_path {
        err.with_help(format!("looked for {tried}; the path is relative to the data file"))
    } else {
        err.with_help(format!("looked for layouts/{name}.yaml in this folder and every folder above it"))
    })
}
