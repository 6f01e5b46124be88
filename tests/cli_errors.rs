//! The CLI's errors for bad input: exit code 2, a message that names the
//! file (and the line where it says so), and no output file.

mod common;

use common::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// `layout:` line for a data file in a temp folder: the bundled layout by
/// absolute path.
fn layout_line() -> String {
    format!("layout: {}", seed_layout_path().display())
}

/// Render `data` to `<dir>/out.pdf`, expecting an input error. Asserts exit
/// code 2, that stderr names `data` (with `:LINE:` when given), and that
/// nothing was written: no out.pdf, and no other new file in the folder.
fn render_fails(dir: &TempDir, data: &Path, line: Option<usize>) -> Run {
    let before = dir.file_names();
    let out = dir.join("out.pdf");
    let run = yoshiki([OsStr::new("render"), data.as_os_str(), OsStr::new("-o"), out.as_os_str()]);
    assert_eq!(run.code, Some(2), "expected exit code 2:\n{}", run.describe());
    let file = data.display().to_string();
    assert!(run.stderr.contains(&file), "stderr does not name {file}:\n{}", run.describe());
    if let Some(line) = line {
        let located = format!("{file}:{line}:");
        assert!(
            run.stderr.contains(&located),
            "stderr does not point at line {line} (`{located}`):\n{}",
            run.describe()
        );
    }
    assert!(!out.exists(), "{} was written despite the error:\n{}", out.display(), run.describe());
    assert_eq!(dir.file_names(), before, "files appeared in {}:\n{}", dir.path.display(), run.describe());
    run
}

/// Write a data file with the bundled layout and these `fields:` lines.
fn data_file(dir: &TempDir, name: &str, body: &str) -> PathBuf {
    dir.write(name, &format!("{}\n{body}", layout_line()))
}

fn assert_mentions(run: &Run, needles: &[&str]) {
    for n in needles {
        assert!(run.stderr.contains(n), "stderr does not mention {n:?}:\n{}", run.describe());
    }
}

// a.
#[test]
fn missing_data_file() {
    let dir = TempDir::new("missing_data_file");
    let data = dir.join("no-such-data.yaml");
    let run = render_fails(&dir, &data, None);
    assert_mentions(&run, &["no-such-data.yaml"]);
}

// b. A syntax error the parser finds on its own line.
#[test]
fn bad_yaml_names_the_line() {
    let dir = TempDir::new("bad_yaml_names_the_line");
    // Line 3: a second `: ` in a plain scalar.
    let data = data_file(&dir, "bad.yaml", "fields:\n  gaiyo: 目的: 人材育成\n  keika: 経過\n");
    let run = render_fails(&dir, &data, Some(3));
    assert!(run.stderr.starts_with("error: "), "{}", run.describe());
}

// b. An unclosed `[` on line 3: the parser only notices on line 4, but the
// problem — and serde_yaml's "while parsing a flow sequence at line 3"
// context — is line 3.
#[test]
fn bad_yaml_unclosed_bracket_names_its_line() {
    let dir = TempDir::new("bad_yaml_unclosed_bracket_names_its_line");
    let data = data_file(&dir, "bad.yaml", "fields:\n  gaiyo: [人材育成\n  keika: 経過\n");
    render_fails(&dir, &data, Some(3));
}

// c.
#[test]
fn unknown_field_suggests_the_nearest() {
    let dir = TempDir::new("unknown_field_suggests_the_nearest");
    let data = data_file(&dir, "unknown.yaml", "fields:\n  nendo: 令和7\n  mokuhy: 目標\n");
    let run = render_fails(&dir, &data, Some(4));
    assert_mentions(&run, &["`mokuhy`", "`mokuhyo`"]);
}

// d.
#[test]
fn missing_layout_is_not_found() {
    let dir = TempDir::new("missing_layout_is_not_found");
    // By name: looked up as layouts/NAME.yaml upwards from the data file.
    let by_name = dir.write("by-name.yaml", "layout: no-such-layout\nfields:\n  nendo: 令和7\n");
    let run = render_fails(&dir, &by_name, Some(1));
    assert_mentions(&run, &["no-such-layout", "not found"]);
    // By path.
    let missing = dir.join("no-such-layout.yaml");
    let by_path = dir.write("by-path.yaml", &format!("layout: {}\nfields:\n  nendo: 令和7\n", missing.display()));
    let run = render_fails(&dir, &by_path, Some(1));
    assert_mentions(&run, &["no-such-layout.yaml", "not found"]);
}

// e.
#[test]
fn unknown_top_level_key_suggests_fields() {
    let dir = TempDir::new("unknown_top_level_key_suggests_fields");
    let data = data_file(&dir, "top.yaml", "feilds:\n  nendo: 令和7\n");
    let run = render_fails(&dir, &data, Some(2));
    assert_mentions(&run, &["`feilds`", "`fields`"]);
}

// f.
#[test]
fn amount_with_text_names_the_field() {
    let dir = TempDir::new("amount_with_text_names_the_field");
    let data = data_file(&dir, "amount.yaml", "fields:\n  yosan_sojigyohi: 約7000\n");
    let run = render_fails(&dir, &data, Some(3));
    assert_mentions(&run, &["yosan_sojigyohi", "約7000"]);
}

// g.
#[test]
fn choice_outside_its_options_is_refused() {
    let dir = TempDir::new("choice_outside_its_options_is_refused");
    let data = data_file(&dir, "choice.yaml", "fields:\n  chukan_tasseido: 目標超え\n");
    let run = render_fails(&dir, &data, Some(3));
    assert_mentions(&run, &["chukan_tasseido", "目標超え"]);
    let options = ["目標以下", "目標どおり", "目標以上"];
    assert!(
        options.iter().any(|o| run.stderr.contains(&format!("`{o}`"))),
        "stderr neither lists nor suggests any of {options:?}:\n{}",
        run.describe()
    );
}

// h.
#[test]
fn character_without_a_glyph_is_located() {
    let dir = TempDir::new("character_without_a_glyph_is_located");
    let seed = read_to_string(&seed_data_path());
    // The bundled data with its layout by absolute path (same line count)
    // and a 🙂 inside the 目標 text.
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    let layout_at = lines.iter().position(|l| l.starts_with("layout:")).expect("layout: line");
    lines[layout_at] = layout_line();
    let target = "・人材育成基本方針の見直し";
    let at = lines.iter().position(|l| l.trim() == target).unwrap_or_else(|| panic!("{target} not in the seed data"));
    let mokuhyo = data_fields(&seed).into_iter().find(|f| f.key == "mokuhyo").expect("mokuhyo");
    assert!(mokuhyo.value.contains(target) && at + 1 > mokuhyo.line, "the 🙂 goes into mokuhyo");
    lines[at] = lines[at].replace("・人材育成", "・人材育成🙂");
    let data = dir.write("emoji.yaml", &(lines.join("\n") + "\n"));

    let line = at + 1;
    let column = lines[at].chars().position(|c| c == '🙂').expect("🙂") + 1;
    let run = render_fails(&dir, &data, Some(line));
    assert_mentions(&run, &["U+1F642", &format!("{}:{line}:{column}", data.display())]);
}

// 9.
#[test]
fn help_mentions_render_and_blank() {
    let run = yoshiki(["--help"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    for sub in ["render", "blank"] {
        assert!(run.stdout.contains(sub), "--help does not mention {sub}:\n{}", run.describe());
    }
}
