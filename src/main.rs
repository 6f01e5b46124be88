//! The `yoshiki` command: argument parsing and reporting only; the work is
//! in the library.

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
        yoshiki blank layouts/shinko-kanri.yaml -o blank.pdf      # for handwriting"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill a form: render a data file (it names its layout) as PDF.
    #[command(
        after_help = "Example:\n  yoshiki render data/shinko-kanri/r07-no06.yaml -o out/r07-no06.pdf"
    )]
    Render {
        /// The data file (YAML).
        data: PathBuf,
        /// Output PDF (default: the data file's name with .pdf, beside it).
        #[arg(short, long)]
        output: Option<PathBuf>,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render { data, output } => {
            let out = output.unwrap_or_else(|| data.with_extension("pdf"));
            Form::from_data(&data).and_then(|form| render(&form, &out))
        }
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

fn default_blank_name(layout: &Path) -> PathBuf {
    let stem = layout
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "form".into());
    PathBuf::from(format!("{stem}-blank.pdf"))
}
