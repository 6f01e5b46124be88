//! The `yoshiki` command: argument parsing and reporting only; the work is
//! in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use yoshiki::output::write_atomic;
use yoshiki::{Error, Form};

#[derive(Parser)]
#[command(
    name = "yoshiki",
    version,
    about = "様式: official Japanese A4 forms from YAML layouts and YAML data, as PDF",
    after_help = "Examples:\n  \
        yoshiki render data/shinko-kanri/r07-no06.yaml            # → data/shinko-kanri/r07-no06.pdf\n  \
        yoshiki render data/shinko-kanri/r07-no06.yaml -o x.pdf\n  \
        yoshiki blank layouts/shinko-kanri.yaml -o blank.pdf      # for handwriting\n  \
        yoshiki render data/jinzai-plan/h30-r04.yaml --year R2    # a plan as it stood in 令和2年度\n  \
        yoshiki batch data -o out                                 # everything, every plan year"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill a form: render a data file (it names its layout) as PDF.
    #[command(after_help = "Example:\n  yoshiki render data/shinko-kanri/r07-no06.yaml -o out/r07-no06.pdf")]
    Render {
        /// The data file (YAML).
        data: PathBuf,
        /// Output PDF (default: the data file's name with .pdf, beside it).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// For a multi-year plan: the year to report on (R2, 2020, 令和2 …;
        /// default: the plan's last year).
        #[arg(long)]
        year: Option<String>,
    },
    /// Print a blank form from a layout, for handwriting.
    #[command(after_help = "Example:\n  yoshiki blank layouts/shinko-kanri.yaml -o out/blank.pdf")]
    Blank {
        /// The layout file (YAML).
        layout: PathBuf,
        /// Output PDF (default: the layout's name with -blank.pdf, in the
        /// current folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Render every data file under the given files and folders: one PDF
    /// per sheet, one per plan year of each plan, on all cores.
    #[command(after_help = "Example:\n  yoshiki batch data -o out\n\n\
        Output names mirror the input folders: data/jinzai-plan/h30-r04.yaml →\n\
        out/jinzai-plan/h30-r04-R2.pdf. A failing document is reported and the\n\
        others still render; the exit code is then non-zero.")]
    Batch {
        /// Data files or folders (searched recursively for .yaml/.yml;
        /// layout files are skipped).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The folder to write into (created if missing).
        #[arg(short, long)]
        output: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render { data, output, year } => {
            let out = output.unwrap_or_else(|| data.with_extension("pdf"));
            Form::from_data(&data)
                .and_then(|form| match year {
                    Some(y) => form.with_year(&y),
                    None => Ok(form),
                })
                .and_then(|form| render(&form, &out))
        }
        Command::Batch { paths, output } => batch(&paths, &output),
        Command::Blank { layout, output } => {
            let out = output.unwrap_or_else(|| default_blank_name(&layout));
            Form::blank(&layout).and_then(|form| render(&form, &out))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Render and write one form, reporting warnings and the result.
fn render(form: &Form, out: &Path) -> Result<(), Error> {
    let rendered = form.render()?;
    for w in &rendered.warnings {
        eprintln!("warning: {w}");
    }
    write_atomic(out, &rendered.pdf, &form.inputs())?;
    let pages = rendered.pages;
    eprintln!(
        "wrote {} ({pages} page{}, {} KB)",
        out.display(),
        if pages == 1 { "" } else { "s" },
        rendered.pdf.len().div_ceil(1024)
    );
    Ok(())
}

/// Run a batch with a progress bar on a terminal, then print a summary.
fn batch(paths: &[PathBuf], out_dir: &Path) -> Result<(), Error> {
    let started = std::time::Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").expect("valid template"));
        bar
    });
    let progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let summary = yoshiki::batch::run(paths, out_dir, &progress)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    for failure in &summary.failures {
        eprintln!("failed: {}", failure.input.display());
        eprint!("{}", failure.error);
    }
    let failed = summary.failures.len();
    eprintln!(
        "batch: {} documents, {} pages in {:.2} s{}",
        summary.documents,
        summary.pages,
        started.elapsed().as_secs_f64(),
        if failed > 0 { format!("; {failed} failed") } else { String::new() }
    );
    match summary.failures.into_iter().next() {
        Some(first) if failed > 0 => Err(Error::input(format!("{failed} document(s) failed"))
            .with_help(format!("the first was {}", first.input.display()))),
        _ => Ok(()),
    }
}

fn default_blank_name(layout: &Path) -> PathBuf {
    let stem = layout.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "form".into());
    PathBuf::from(format!("{stem}-blank.pdf"))
}
