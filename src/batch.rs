//! Batch rendering: every data file under some paths, every plan year of
//! every plan, in parallel, each document independent of the others.
//!
//! Output names mirror the input tree under the output folder:
//! `data/shinko-kanri/r07-no06.yaml` → `OUT/shinko-kanri/r07-no06.pdf`, and
//! a plan gets one file per year: `OUT/jinzai-plan/h30-r04-R2.pdf`. Names
//! are checked for collisions before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::layouts::Layouts;
use crate::output::{sweep_stale_temp_files, write_atomic_with, Options};
use crate::render::Form;
use crate::text::era::era_of_fiscal_year;

/// One PDF to write.
pub struct Job {
    /// Index into the loaded forms.
    form: usize,
    /// The plan year, for plans.
    year: Option<i32>,
    pub output: PathBuf,
}

/// What happened to one input file or document.
pub struct Failure {
    pub input: PathBuf,
    pub error: Error,
}

/// The outcome of a batch.
#[derive(Default)]
pub struct Summary {
    pub documents: usize,
    pub pages: usize,
    pub failures: Vec<Failure>,
    pub warnings: Vec<String>,
}

/// The data files under `paths` (a file is taken as given; a folder is
/// searched recursively for `.yaml`/`.yml`), sorted, each with the folder
/// its output name is taken relative to. Layout files (those with a
/// top-level `body:`) are skipped.
///
/// Each real folder is visited once: folders are recognised by their
/// canonical path, so a symbolic link back up the tree (or to a folder
/// visited already) adds nothing and cannot loop. A file reached twice is
/// taken once.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut found = Vec::new();
    let mut visited = BTreeSet::new();
    let mut files_seen = BTreeSet::new();
    for root in paths {
        if root.is_file() {
            if files_seen.insert(std::fs::canonicalize(root).unwrap_or_else(|_| root.clone())) {
                let base = root.parent().unwrap_or(Path::new("")).to_path_buf();
                found.push((root.clone(), base));
            }
            continue;
        }
        if !root.is_dir() {
            return Err(Error::input(format!("`{}` is neither a file nor a folder", root.display())));
        }
        // The real tree first, then folders reached only through links:
        // a folder is named by its real path wherever it can be.
        let mut files = Vec::new();
        for follow_links in [false, true] {
            let mut listed = Vec::new();
            walk(root, follow_links, &mut visited, &mut listed).map_err(|e| {
                Error::input(format!("cannot read `{}`: {}", root.display(), crate::source::io_reason(&e)))
            })?;
            for file in listed {
                if files_seen.insert(std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone())) {
                    files.push(file);
                }
            }
        }
        files.sort();
        found.extend(files.into_iter().filter(|f| !is_layout(f)).map(|f| (f, root.clone())));
    }
    Ok(found)
}

/// The `.yaml`/`.yml` files under `dir`, each folder once (`visited` holds
/// canonical paths); folders that are symbolic links only if
/// `follow_links`. In a second pass (`follow_links`) the real folders are
/// visited already, so only their files are listed again, and dropped by
/// the caller.
fn walk(
    dir: &Path,
    follow_links: bool,
    visited: &mut BTreeSet<PathBuf>,
    out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let canonical = std::fs::canonicalize(dir)?;
    let first_visit = visited.insert(canonical);
    if !first_visit && !follow_links {
        return Ok(());
    }
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let is_link = entry.file_type()?.is_symlink();
        if path.is_dir() {
            let seen = std::fs::canonicalize(&path).is_ok_and(|c| visited.contains(&c));
            if !is_link || (follow_links && !seen) {
                walk(&path, follow_links, visited, out)?;
            }
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(path);
        }
    }
    Ok(())
}

/// Under the reading policy: a FIFO or a huge file named `.yaml` is not
/// read here (and is reported when the data file is loaded).
fn is_layout(path: &Path) -> bool {
    crate::input::read(path, crate::input::Kind::Yaml)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|t| crate::render::is_layout(&t))
}

/// Render every data file found under `paths` into `out_dir`. `progress`
/// is called once per finished document.
pub fn run(paths: &[PathBuf], out_dir: &Path, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Summary> {
    run_with(paths, out_dir, false, progress)
}

/// [`run`], choosing whether existing files yoshiki did not make may be
/// replaced (`force`). Temporary files a killed earlier run left in
/// `out_dir` are removed first.
pub fn run_with(
    paths: &[PathBuf],
    out_dir: &Path,
    force: bool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Summary> {
    let inputs = discover(paths)?;
    sweep_stale_temp_files(out_dir);
    // Each layout is parsed and checked once, however many files name it.
    let layouts = Layouts::default();
    let loaded: Vec<(PathBuf, PathBuf, Result<Form>)> = inputs
        .into_par_iter()
        .map(|(file, base)| {
            let form = Form::from_data_with(&file, &layouts);
            (file, base, form)
        })
        .collect();
    let mut summary = Summary::default();
    let mut forms = Vec::new();
    let mut jobs = Vec::new();
    for (file, base, form) in loaded {
        match form {
            Ok(form) => {
                jobs.extend(jobs_for(&form, forms.len(), &file, &base, out_dir));
                forms.push(form);
            }
            Err(error) => summary.failures.push(Failure { input: file, error }),
        }
    }
    check_collisions(&jobs, &forms)?;
    let total = jobs.len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let results: Vec<(usize, Result<Done>)> = jobs
        .par_iter()
        .map(|job| {
            let result = render_job(job, &forms[job.form], force);
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
            (job.form, result)
        })
        .collect();
    for (form, result) in results {
        match result {
            Ok((pages, warnings)) => {
                summary.documents += 1;
                summary.pages += pages;
                let input = forms[form].data_path().display().to_string();
                summary.warnings.extend(warnings.into_iter().map(|w| format!("{input}: {w}")));
            }
            Err(error) => {
                // A plan failing in every year is reported once.
                let input = forms[form].data_path().to_path_buf();
                if !summary.failures.iter().any(|f| f.input == input && f.error.message == error.message) {
                    summary.failures.push(Failure { input, error });
                }
            }
        }
    }
    Ok(summary)
}

/// The documents of one form: one, or one per year of a plan.
fn jobs_for(form: &Form, index: usize, file: &Path, base: &Path, out_dir: &Path) -> Vec<Job> {
    let relative = file.strip_prefix(base).unwrap_or(file);
    let stem = relative.with_extension("");
    let output = |year: Option<i32>| match year {
        Some(year) => {
            let short = era_of_fiscal_year(year).map(|e| e.short()).unwrap_or_else(|| year.to_string());
            let name = format!("{}-{short}.pdf", stem.file_name().unwrap_or_default().to_string_lossy());
            out_dir.join(stem.with_file_name(name))
        }
        None => out_dir.join(stem.with_extension("pdf")),
    };
    form.years().into_iter().map(|year| Job { form: index, year, output: output(year) }).collect()
}

/// Two documents must never be written to one file.
fn check_collisions(jobs: &[Job], forms: &[Form]) -> Result<()> {
    let mut seen: BTreeMap<&Path, &Job> = BTreeMap::new();
    for job in jobs {
        if let Some(other) = seen.insert(&job.output, job) {
            let a = forms[other.form].data_path().display().to_string();
            let b = forms[job.form].data_path().display().to_string();
            return Err(Error::input(format!("`{a}` and `{b}` would both be written to `{}`", job.output.display()))
                .with_help("rename one of them, or render them in separate batches"));
        }
    }
    Ok(())
}

/// A written document: its page count and warnings.
type Done = (usize, Vec<crate::layout::Warning>);

fn render_job(job: &Job, form: &Form, force: bool) -> Result<Done> {
    let rendered = form.render_year(job.year)?;
    if let Some(dir) = job.output.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::input(format!("cannot create the folder `{}`: {}", dir.display(), crate::source::io_reason(&e)))
        })?;
    }
    write_atomic_with(&job.output, &rendered.pdf, &form.inputs(), Options { sync: false, force })?;
    Ok((rendered.pages, rendered.warnings))
}
