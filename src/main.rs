//! The `yoshiki` command: argument parsing and reporting only; the work is
//! in the library. Messages are in English, with the Japanese terms of the
//! forms where they are the domain words.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use yoshiki::layouts::Layouts;
use yoshiki::output::{write_atomic_with, Options};
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
        yoshiki batch data -o out                                 # everything, every plan year\n  \
        yoshiki check data/shinko-kanri/*.yaml                    # validate without writing"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print timings and which layout each data file uses.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Replace an existing output file that yoshiki did not make (never a
    /// device, a link, a folder or an input file).
    #[arg(long, global = true)]
    force: bool,
    /// Largest input file read, in MB (default: 4 for data and layouts, 64
    /// for fonts).
    #[arg(long, global = true, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_input_mb: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Fill a form: render a data file (it names its layout) as PDF.
    #[command(after_help = "Example:\n  yoshiki render data/shinko-kanri/r07-no06.yaml -o out/r07-no06.pdf")]
    Render(Filled),
    /// Print a blank form from a layout, for handwriting.
    #[command(after_help = "Example:\n  yoshiki blank layouts/shinko-kanri.yaml -o out/blank.pdf")]
    Blank {
        /// The layout file (YAML).
        layout: PathBuf,
        /// Output PDF (default: the layout's name with -blank.pdf, in the
        /// current folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        preview: Preview,
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
    /// Check layout and data files fully (fields, values, fonts, fit, every
    /// plan year) without writing anything.
    #[command(after_help = "Example:\n  yoshiki check layouts/shinko-kanri.yaml data/shinko-kanri/r07-no06.yaml")]
    Check {
        /// Layout or data files (a file with a top-level `body:` is a layout).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write a ready-to-fill data file for a layout: every field, empty,
    /// with its label, kind and choices as comments.
    #[command(after_help = "Examples:\n  \
        yoshiki template layouts/shinko-kanri.yaml -o data/shinko-kanri/r07-no07.yaml\n  \
        yoshiki template layouts/shinko-kanri.yaml            # to the terminal\n\n\
        What `blank` is to paper, `template` is to YAML. It never overwrites a file.")]
    Template {
        /// The layout file (YAML).
        layout: PathBuf,
        /// The data file to write (default: print it).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print a JSON Schema for editor completion (VS Code's YAML extension).
    #[command(after_help = "Examples:\n  \
        yoshiki schema layout > schema/layout.schema.json\n  \
        yoshiki schema data layouts/shinko-kanri.yaml > schema/shinko-kanri.data.schema.json\n\n\
        Start a YAML file with `# yaml-language-server: $schema=PATH` to use it.")]
    Schema {
        /// Which files the schema describes.
        kind: SchemaKind,
        /// For `data`: the layout whose fields the data may use (without
        /// it, any fields are allowed).
        layout: Option<PathBuf>,
    },
    /// Fill forms in the browser, with a live preview: a local web app over
    /// a project folder (layouts/ and data/).
    #[command(after_help = "Examples:\n  \
        yoshiki serve                        # this folder, at http://127.0.0.1:8470/\n  \
        yoshiki serve path/to/project --open # and open the browser\n  \
        yoshiki serve --listen 0.0.0.0:8470 --token A-LONG-SECRET   # reachable from other computers\n\n\
        Only this computer can connect unless --listen says otherwise, and then\n\
        the token is needed. Files are read and written under the folder only.")]
    Serve {
        /// The project folder, with layouts/ and data/ (default: the current folder).
        dir: Option<PathBuf>,
        /// The address and port to listen on.
        #[arg(long, default_value = yoshiki::serve::DEFAULT_LISTEN)]
        listen: std::net::SocketAddr,
        /// A secret every request must carry (required when --listen is not
        /// 127.0.0.1 or ::1; at least 12 characters).
        #[arg(long)]
        token: Option<String>,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Re-render a data file whenever it or its layout is saved, printing
    /// errors (for people who edit the YAML in a text editor).
    #[command(after_help = "Example:\n  yoshiki watch data/shinko-kanri/r07-no06.yaml --png\n\nStop it with Ctrl+C.")]
    Watch(Filled),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  yoshiki completions bash > ~/.local/share/bash-completion/completions/yoshiki"
    )]
    Completions { shell: clap_complete::Shell },
}

/// A filled form to render: `render` and `watch`.
#[derive(clap::Args)]
struct Filled {
    /// The data file (YAML).
    data: PathBuf,
    /// Output PDF (default: the data file's name with .pdf, beside it).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// For a multi-year plan: the year to report on (R2, 2020, 令和2 …;
    /// default: the plan's last year).
    #[arg(long)]
    year: Option<String>,
    #[command(flatten)]
    preview: Preview,
}

/// Page images beside the PDF.
#[derive(clap::Args, Clone, Copy)]
struct Preview {
    /// Also write each page as a PNG beside the PDF (NAME-1.png, NAME-2.png …),
    /// rasterised by yoshiki itself.
    #[arg(long)]
    png: bool,
    /// Resolution of the PNG pages, in dots per inch.
    #[arg(long, default_value_t = 100.0, requires = "png")]
    dpi: f32,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// Layout files (layouts/*.yaml).
    Layout,
    /// Data files (data/**/*.yaml).
    Data,
}

/// How much to print.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Level {
    Quiet,
    Normal,
    Verbose,
}

/// `eprintln!` that never panics: a closed stderr (`2>&1 | head -1`)
/// loses the message, not the exit code.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` for texts that end with their own newline (errors).
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(mb) = cli.max_input_mb {
        yoshiki::input::set_limit_mb(mb);
    }
    let force = cli.force;
    let level = if cli.quiet {
        Level::Quiet
    } else if cli.verbose {
        Level::Verbose
    } else {
        Level::Normal
    };
    let result = match cli.command {
        Command::Render(Filled { data, output, year, preview }) => {
            // One document: it may deflate its streams on a second core.
            yoshiki::pdf::background::allow();
            let out = output.unwrap_or_else(|| data.with_extension("pdf"));
            Form::from_data(&data)
                .and_then(|form| match year {
                    Some(y) => form.with_year(&y),
                    None => Ok(form),
                })
                .and_then(|form| render(&form, &out, preview, level, force))
        }
        Command::Blank { layout, output, preview } => {
            yoshiki::pdf::background::allow();
            let out = output.unwrap_or_else(|| default_blank_name(&layout));
            Form::blank(&layout).and_then(|form| render(&form, &out, preview, level, force))
        }
        Command::Batch { paths, output } => {
            remove_temp_files_on_signals();
            batch(&paths, &output, level, force)
        }
        Command::Check { files } => check(&files, level),
        Command::Schema { kind, layout } => schema(kind, layout.as_deref()),
        Command::Template { layout, output } => template(&layout, output.as_deref(), level),
        Command::Serve { dir, listen, token, open } => {
            remove_temp_files_on_signals();
            serve(dir, listen, token, open, level)
        }
        Command::Watch(Filled { data, output, year, preview }) => {
            watch(&data, output, year.as_deref(), preview, level, force)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "yoshiki", &mut script);
            print_stdout(&script)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say_raw!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Write what a command prints (a schema, a completion script) to stdout.
/// A reader that stops early (`| head -1`) is not an error: yoshiki stops
/// quietly, as `cat` would.
fn print_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::internal(format!("cannot write to standard output: {}", yoshiki::source::io_reason(&e))))
        }
        _ => Ok(()),
    }
}

/// For the commands that write from several threads (`batch`, `serve`):
/// on Ctrl-C (SIGINT), SIGTERM or SIGHUP, remove the temporary files of
/// writes in progress, then die of the signal as if unhandled (so a
/// calling shell script stops too). A finished output stays; a partial
/// one never appears (see `output`).
///
/// The other commands write from one thread, which holds these signals
/// back while it has a temporary file (`output::HeldSignals`): they die
/// of the signal as if unhandled, the temporary file already gone, and
/// need neither this handler nor its thread (a socket pair, a thread and
/// its stack: 0.3 ms of CPU in a cold `render`).
fn remove_temp_files_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            yoshiki::output::remove_temp_files();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// Render and write one form (and its page images), reporting warnings
/// and the result.
fn render(form: &Form, out: &Path, preview: Preview, level: Level, force: bool) -> Result<(), Error> {
    let started = Instant::now();
    let rendered = form.render();
    // The PDF is made: the helper thread, if any, can end while it is
    // written (`pdf::background::stop`).
    yoshiki::pdf::background::stop();
    let rendered = rendered?;
    if level >= Level::Normal {
        for w in &rendered.warnings {
            say!("warning: {w}");
        }
    }
    // Rasterise before writing anything, so that a failure leaves no files.
    let pngs = if preview.png { yoshiki::preview::png_pages(&rendered.document, preview.dpi)? } else { Vec::new() };
    let names: Vec<PathBuf> = (1..=pngs.len()).map(|page| png_name(out, page)).collect();
    // Every target is checked before the first is written. A PDF written
    // alone is checked only by its write (`write_atomic_with`), which
    // reads an existing PDF to see who made it; with page images it is
    // checked here first too.
    let inputs = form.inputs();
    if !names.is_empty() {
        for target in std::iter::once(out).chain(names.iter().map(PathBuf::as_path)) {
            yoshiki::output::check_target(target, &inputs, force)?;
        }
    }
    let options = Options { sync: true, force };
    write_atomic_with(out, &rendered.pdf, &inputs, options)?;
    let pages = rendered.pages;
    if level >= Level::Normal {
        let kb = rendered.pdf.len().div_ceil(1024);
        say!("wrote {} ({pages} page{}, {kb} KB)", out.display(), if pages == 1 { "" } else { "s" });
    }
    for (png, name) in pngs.iter().zip(&names) {
        write_atomic_with(name, png, &inputs, options)?;
        if level >= Level::Normal {
            say!("wrote {}", name.display());
        }
    }
    if level == Level::Verbose {
        say!("  layout {}, {:.1} ms", form.layout_path().display(), started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(())
}

/// Check files without writing: lay each out (every year of a plan).
fn check(files: &[PathBuf], level: Level) -> Result<(), Error> {
    let mut failed = 0;
    // Each layout is parsed and checked once, however many files name it.
    let layouts = Layouts::default();
    for file in files {
        match Form::open_with(file, &layouts).and_then(|form| form.check()) {
            Ok((pages, warnings)) => {
                if level >= Level::Normal {
                    warnings.iter().for_each(|w| say!("warning: {w}"));
                    say!("ok: {} ({pages} page{})", file.display(), if pages == 1 { "" } else { "s" });
                }
            }
            Err(e) => {
                failed += 1;
                say_raw!("{e}");
            }
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(Error::input(format!("{n} of {} file(s) have errors", files.len()))),
    }
}

/// Serve a project folder until stopped.
fn serve(
    dir: Option<PathBuf>,
    listen: std::net::SocketAddr,
    token: Option<String>,
    open: bool,
    level: Level,
) -> Result<(), Error> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let server = yoshiki::serve::Server::bind(yoshiki::serve::Options { dir, listen, token })?;
    // The address goes to stdout (scripts read it); the rest is chatter.
    print_stdout(format!("{}\n", server.url()).as_bytes())?;
    if level >= Level::Normal {
        say!("yoshiki serve: {} — open {} in a browser; Ctrl+C stops it", server.root().display(), server.url());
    }
    if open {
        yoshiki::serve::open_browser(server.url());
    }
    server.run();
    Ok(())
}

/// Render a data file now and again whenever it or its layout changes.
fn watch(
    data: &Path,
    output: Option<PathBuf>,
    year: Option<&str>,
    preview: Preview,
    level: Level,
    force: bool,
) -> Result<(), Error> {
    let out = output.unwrap_or_else(|| data.with_extension("pdf"));
    // (modified, length) of each watched file: polling is enough for files
    // a person saves by hand, and needs no file-system notification crate.
    let stamp = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.modified().ok(), m.len()));
    let mut watched: Vec<PathBuf> = vec![data.to_path_buf()];
    let mut seen: Vec<Option<(Option<std::time::SystemTime>, u64)>> = Vec::new();
    // A save of the data alone does not check the layout again.
    let layouts = Layouts::default();
    if level >= Level::Normal {
        say!("watching {} and its layout; Ctrl+C stops", data.display());
    }
    loop {
        let now: Vec<_> = watched.iter().map(|p| stamp(p)).collect();
        if now != seen {
            let result = Form::from_data_with(data, &layouts)
                .and_then(|form| match year {
                    Some(y) => form.with_year(y),
                    None => Ok(form),
                })
                .and_then(|form| {
                    watched = form.inputs().into_iter().map(Path::to_path_buf).collect();
                    render(&form, &out, preview, level, force)
                });
            if let Err(e) = result {
                say_raw!("{e}");
            }
            seen = watched.iter().map(|p| stamp(p)).collect();
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Write (or print) a ready-to-fill data file for a layout.
fn template(layout: &Path, output: Option<&Path>, level: Level) -> Result<(), Error> {
    let outline = yoshiki::outline::Outline::read(layout)?;
    // Printed: the header's paths are relative to the current folder.
    let target = output.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("new.yaml"));
    let head = yoshiki::template::Head::for_new_file(layout, &target);
    let text = yoshiki::template::template(&outline, &head);
    let Some(out) = output else {
        return print_stdout(text.as_bytes());
    };
    if out.exists() {
        return Err(Error::input(format!("`{}` already exists", out.display()))
            .with_help("a template is empty: choose a new file name (template never overwrites a file)"));
    }
    write_atomic_with(out, text.as_bytes(), &[layout], Options::default())?;
    if level >= Level::Normal {
        say!("wrote {} ({} fields to fill)", out.display(), count_fields(&outline.fields));
    }
    Ok(())
}

/// Fields a person fills in, lists counted by their elements' fields.
fn count_fields(fields: &[yoshiki::outline::Field]) -> usize {
    fields
        .iter()
        .map(|f| match &f.kind {
            yoshiki::outline::FieldKind::List { fields } => count_fields(fields),
            _ => 1,
        })
        .sum()
}

/// Print a JSON Schema.
fn schema(kind: SchemaKind, layout: Option<&Path>) -> Result<(), Error> {
    let json = match (kind, layout) {
        (SchemaKind::Layout, _) => yoshiki::schema::layout(),
        (SchemaKind::Data, None) => yoshiki::schema::data(),
        (SchemaKind::Data, Some(path)) => {
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Form::blank(path)?.data_schema(&name)
        }
    };
    let text = serde_json::to_string_pretty(&json).expect("schemas serialise") + "\n";
    print_stdout(text.as_bytes())
}

/// Run a batch with a progress bar on a terminal, then print a summary.
fn batch(paths: &[PathBuf], out_dir: &Path, level: Level, force: bool) -> Result<(), Error> {
    let started = Instant::now();
    let bar = (level >= Level::Normal && std::io::stderr().is_terminal()).then(|| {
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
    let summary = yoshiki::batch::run_with(paths, out_dir, force, &progress)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if level >= Level::Normal {
        for w in &summary.warnings {
            say!("warning: {w}");
        }
    }
    for failure in &summary.failures {
        say!("failed: {}", failure.input.display());
        say_raw!("{}", failure.error);
    }
    let failed = summary.failures.len();
    if level >= Level::Normal || failed > 0 {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        say!(
            "batch: {}, {} in {:.2} s{}",
            plural(summary.documents, "document"),
            plural(summary.pages, "page"),
            started.elapsed().as_secs_f64(),
            if failed > 0 { format!("; {failed} failed") } else { String::new() }
        );
    }
    match summary.failures.into_iter().next() {
        Some(first) if failed > 0 => Err(Error::input(format!("{failed} document(s) failed"))
            .with_help(format!("the first was {}", first.input.display()))),
        _ => Ok(()),
    }
}

/// `x.pdf` → `x-1.png`, `x-2.png` …
fn png_name(pdf: &Path, page: usize) -> PathBuf {
    let stem = pdf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    pdf.with_file_name(format!("{stem}-{page}.png"))
}

fn default_blank_name(layout: &Path) -> PathBuf {
    let stem = layout.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "form".into());
    PathBuf::from(format!("{stem}-blank.pdf"))
}
