//! Trust (issue 11, phase 1), through the CLI: nothing on disk is harmed,
//! hostile input is refused before it is read, no crash on odd requests,
//! and messages neither mislead nor leak. Each test checks the exit code,
//! the message and the files on disk before and after.
//!
//! These tests run as whoever runs `cargo test`; in containers and CI that
//! is root, the dangerous case (root may replace device nodes). Device
//! nodes are made with `mknod` in a temp folder, never the real `/dev/null`.

mod common;

use common::*;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};

// ---------------------------------------------------------------- fixtures

const MEMO_LAYOUT: &str = "\
title: 連絡票
body:
  - table:
      width: 150
      rows:
        - cells:
            - { label: 年度, width: 30 }
            - { fiscal_year: nendo }
        - cells:
            - { label: 件名, width: 30 }
            - { text: kenmei }
        - cells:
            - { label: 内容, width: 30 }
            - { text: naiyo, blank_lines: 3 }
        - cells:
            - { label: 状況, width: 30 }
            - { choice: jokyo, options: [未着手, 対応中, 完了] }
        - cells:
            - { label: 管理者, width: 30 }
            - { text: kanrisha }
";

const MEMO_DATA: &str = "\
layout: memo
fields:
  nendo: 令和7
  kenmei: 研修日程の変更について
  naiyo: |-
    ４月１５日の新任研修は、会場の都合により変更します。
    ・時間　午前９時から正午まで
  jokyo: 対応中
  kanrisha: 環境部長
";

fn project(test: &str) -> TempDir {
    let dir = TempDir::new(&format!("trust-{test}"));
    dir.write("layouts/memo.yaml", MEMO_LAYOUT);
    dir.write("data/memo.yaml", MEMO_DATA);
    dir
}

fn memo_data(from: &str, to: &str) -> String {
    assert!(MEMO_DATA.contains(from), "{from:?} not in MEMO_DATA");
    MEMO_DATA.replacen(from, to, 1)
}

fn run(dir: &TempDir, args: &[&str]) -> Run {
    yoshiki_in(&dir.path, args)
}

/// Expect an input error (exit 2, `error: …`, no panic) that leaves the
/// listed files byte for byte (or link for link) as they were, and no
/// temp file.
fn refused(dir: &TempDir, args: &[&str], untouched: &[&str]) -> Run {
    let before: Vec<_> = untouched.iter().map(|p| snapshot(&dir.join(p))).collect();
    let run = run(dir, args);
    assert_eq!(run.code, Some(2), "yoshiki {args:?}: expected exit code 2:\n{}", run.describe());
    assert!(run.stderr.starts_with("error: "), "{}", run.describe());
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    let after: Vec<_> = untouched.iter().map(|p| snapshot(&dir.join(p))).collect();
    assert_eq!(before, after, "yoshiki {args:?} changed files on disk:\n{}", run.describe());
    assert_eq!(stray_temp_files(&dir.path), Vec::<String>::new(), "{}", run.describe());
    run
}

fn ok(dir: &TempDir, args: &[&str]) -> Run {
    let run = run(dir, args);
    assert_eq!(run.code, Some(0), "yoshiki {args:?} failed:\n{}", run.describe());
    run
}

/// What is at `path`, without following a link: its kind and, for a
/// file, its bytes; for a link, its target.
#[derive(Debug, PartialEq)]
enum Snapshot {
    Missing,
    File(Vec<u8>),
    Link(std::path::PathBuf),
    Dir,
    Other(String),
}

fn snapshot(path: &Path) -> Snapshot {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Snapshot::Missing };
    let t = meta.file_type();
    if t.is_symlink() {
        Snapshot::Link(std::fs::read_link(path).expect("readlink"))
    } else if t.is_file() {
        Snapshot::File(std::fs::read(path).expect("read"))
    } else if t.is_dir() {
        Snapshot::Dir
    } else if t.is_char_device() {
        use std::os::unix::fs::MetadataExt;
        Snapshot::Other(format!("char device {}", meta.rdev()))
    } else {
        Snapshot::Other(format!("{t:?}"))
    }
}

fn assert_mentions(run: &Run, needles: &[&str]) {
    for n in needles {
        assert!(run.stderr.contains(n), "the message does not mention {n:?}:\n{}", run.describe());
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// `mknod PATH c MAJOR MINOR`: only root can; `false` otherwise.
fn mknod(path: &Path, major: u32, minor: u32) -> bool {
    Command::new("mknod")
        .arg(path)
        .args(["c", &major.to_string(), &minor.to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

// ---------------------------------------------------------------- 1. files are not harmed

#[test]
fn an_output_that_is_a_device_a_fifo_or_a_folder_is_refused() {
    let dir = project("devices");
    // /dev/null and /dev/full, as root could replace them.
    let devices = mknod(&dir.join("null"), 1, 3) && mknod(&dir.join("full"), 1, 7);
    if devices {
        for dev in ["null", "full"] {
            let run = refused(&dir, &["render", "data/memo.yaml", "-o", dev], &[dev]);
            assert_mentions(&run, &[&format!("refusing to write `{dev}`: it is a device, not a file")]);
            assert!(std::fs::symlink_metadata(dir.join(dev)).unwrap().file_type().is_char_device());
        }
    } else {
        eprintln!("not root: the device cases are skipped (mknod failed)");
    }
    mkfifo(&dir.join("fifo.pdf"));
    let run = refused(&dir, &["render", "data/memo.yaml", "-o", "fifo.pdf"], &["fifo.pdf"]);
    assert_mentions(&run, &["it is a named pipe (FIFO), not a file"]);
    std::fs::create_dir(dir.join("folder.pdf")).unwrap();
    let run = refused(&dir, &["blank", "layouts/memo.yaml", "-o", "folder.pdf", "--force"], &["folder.pdf"]);
    assert_mentions(&run, &["it is a folder, not a file"]);
}

#[test]
fn a_symbolic_link_is_neither_followed_nor_replaced() {
    let dir = project("symlink");
    let made = dir.join("made.pdf");
    ok(&dir, &["render", "data/memo.yaml", "-o", "made.pdf"]);
    std::os::unix::fs::symlink("made.pdf", dir.join("link.pdf")).unwrap();
    std::os::unix::fs::symlink("data/memo.yaml", dir.join("to-data.pdf")).unwrap();
    std::os::unix::fs::symlink("nowhere.pdf", dir.join("dangling.pdf")).unwrap();
    for link in ["link.pdf", "to-data.pdf", "dangling.pdf"] {
        let run = refused(&dir, &["render", "data/memo.yaml", "-o", link, "--force"], &[link, "made.pdf"]);
        assert_mentions(&run, &["it is a symbolic link"]);
    }
    assert!(!dir.join("nowhere.pdf").exists(), "the dangling link was written through");
    assert!(made.is_file());
}

#[test]
fn no_input_is_ever_replaced_fonts_included() {
    let dir = project("inputs");
    std::fs::copy(manifest_dir().join("fonts/BIZUDGothic-Regular.ttf"), dir.join("layouts/g.ttf")).unwrap();
    dir.write("layouts/f.yaml", "fonts:\n  g: g.ttf\nfont: g\nbody:\n  - text: 様式\n");
    let cases: [&[&str]; 4] = [
        &["blank", "layouts/f.yaml", "-o", "layouts/g.ttf"],
        &["blank", "layouts/f.yaml", "-o", "layouts/g.ttf", "--force"],
        &["render", "data/memo.yaml", "-o", "layouts/memo.yaml", "--force"],
        &["render", "data/memo.yaml", "-o", "data/../data/memo.yaml", "--force"],
    ];
    for args in cases {
        let run = refused(&dir, args, &["layouts/g.ttf", "layouts/memo.yaml", "data/memo.yaml"]);
        assert_mentions(&run, &["refusing to overwrite the input file"]);
    }
}

#[test]
fn only_files_made_by_yoshiki_are_replaced_without_force() {
    let dir = project("made_by");
    dir.write("notes.pdf", "my own notes\n");
    dir.write("other.yaml", "title: another layout\n");
    for target in ["notes.pdf", "other.yaml"] {
        let run = refused(&dir, &["render", "data/memo.yaml", "-o", target], &[target]);
        assert_mentions(&run, &["the file exists and was not made by yoshiki"]);
        assert!(error_help(&run.stderr).is_some_and(|h| h.contains("--force")), "{}", run.describe());
    }
    // --force replaces a regular file.
    ok(&dir, &["render", "data/memo.yaml", "-o", "notes.pdf", "--force"]);
    assert!(std::fs::read(dir.join("notes.pdf")).unwrap().starts_with(b"%PDF-"));
    // Our own PDF and PNGs are replaced without --force, and an empty
    // file holds nothing to lose.
    ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf", "--png", "--dpi", "20"]);
    let first_png = std::fs::read(dir.join("out-1.png")).unwrap();
    ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf", "--png", "--dpi", "30"]);
    assert_ne!(std::fs::read(dir.join("out-1.png")).unwrap(), first_png, "the PNG was not replaced");
    dir.write("empty.pdf", "");
    ok(&dir, &["render", "data/memo.yaml", "-o", "empty.pdf"]);
    // A PNG not made by yoshiki stops the whole render before any write.
    dir.write("mine-1.png", "\u{89}PNG not ours");
    refused(&dir, &["render", "data/memo.yaml", "-o", "mine.pdf", "--png"], &["mine-1.png", "mine.pdf"]);
}

#[test]
fn batch_sweeps_its_own_stale_temp_files_only() {
    let dir = project("sweep");
    // A pid that no process can have: the kernel's pid_max itself.
    let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max").map(|s| s.trim().to_string());
    let Ok(dead) = pid_max else { return };
    dir.write(&format!("out/.memo.pdf.{dead}.tmp"), "half a PDF");
    dir.write(&format!("out/sub/.x-1.png.{dead}.tmp"), "half a PNG");
    dir.write(&format!("out/.notes.yaml.{dead}.tmp"), "not ours");
    dir.write("out/.keep.tmp", "not ours");
    ok(&dir, &["batch", "data", "-o", "out"]);
    let left = files_under(&dir.join("out"));
    assert_eq!(left, vec![".keep.tmp".to_string(), format!(".notes.yaml.{dead}.tmp"), "memo.pdf".to_string()]);
}

#[test]
fn an_interrupted_batch_leaves_no_temp_file() {
    use std::os::unix::process::ExitStatusExt;
    let dir = project("sigint");
    for sheets in [200, 800, 3000] {
        let _ = std::fs::remove_dir_all(dir.join("many"));
        let _ = std::fs::remove_dir_all(dir.join("out"));
        for i in 0..sheets {
            dir.write(
                &format!("many/m{i:04}.yaml"),
                &MEMO_DATA.replace("layout: memo", "layout: ../layouts/memo.yaml"),
            );
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
            .args(["-q", "batch", "many", "-o", "out"])
            .current_dir(&dir.path)
            .spawn()
            .expect("spawn");
        // Interrupt once writing has begun.
        while !dir.join("out").is_dir() || std::fs::read_dir(dir.join("out")).unwrap().next().is_none() {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::yield_now();
        }
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let status = child.wait().unwrap();
        assert_eq!(stray_temp_files(&dir.join("out")), Vec::<String>::new(), "{status:?}");
        if status.signal() == Some(2) {
            // Every PDF that is there is whole.
            for f in files_under(&dir.join("out")) {
                let bytes = std::fs::read(dir.join("out").join(&f)).unwrap();
                assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"), "{f}");
            }
            return;
        }
        assert!(status.success(), "{status:?}");
    }
    panic!("the batch always finished before the interrupt; nothing was tested");
}

// ---------------------------------------------------------------- 2. input refused early

#[test]
fn inputs_that_are_not_ordinary_files_or_too_large_are_refused_at_once() {
    let dir = project("inputs_refused");
    let run = refused(&dir, &["render", "/dev/zero", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["cannot read `/dev/zero`: it is a device, not a file"]);
    mkfifo(&dir.join("fifo.yaml"));
    let run = refused(&dir, &["render", "fifo.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["it is a named pipe (FIFO), not a file"]);
    let run = refused(&dir, &["render", "data", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["it is a folder, not a file", "yoshiki batch"]);
    // A 2 GB sparse file is refused from its size, without reading it.
    let sparse = std::fs::File::create(dir.join("sparse.yaml")).unwrap();
    sparse.set_len(2 << 30).unwrap();
    let run = refused(&dir, &["render", "sparse.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["it is 2.0 GB; yoshiki reads YAML files of up to 4 MB", "--max-input-mb"]);
    // Fonts too.
    dir.write("layouts/z.yaml", "fonts:\n  x: /dev/zero\nfont: x\nbody:\n  - text: x\n");
    let run = refused(&dir, &["blank", "layouts/z.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["cannot read font file /dev/zero: it is a device, not a file", "layouts/z.yaml:2:3"]);
}

#[test]
fn the_input_limit_can_be_raised() {
    let dir = project("limit");
    let padding = format!("# {}\n", "x".repeat(1000)).repeat(5 * 1024);
    dir.write("data/big.yaml", &(MEMO_DATA.to_string() + padding.as_str()));
    let run = refused(&dir, &["render", "data/big.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["it is 5 MB; yoshiki reads YAML files of up to 4 MB"]);
    ok(&dir, &["render", "data/big.yaml", "-o", "x.pdf", "--max-input-mb", "8"]);
}

#[test]
fn batch_visits_each_real_folder_once() {
    let dir = project("loop");
    dir.write("data/sub/b.yaml", &MEMO_DATA.replace("layout: memo", "layout: ../../layouts/memo.yaml"));
    std::os::unix::fs::symlink("..", dir.join("data/sub/up")).unwrap();
    std::os::unix::fs::symlink("sub", dir.join("data/again")).unwrap();
    let run = ok(&dir, &["batch", "data", "-o", "out"]);
    assert_eq!(files_under(&dir.join("out")), vec!["memo.pdf", "sub/b.pdf"], "{}", run.describe());
}

// ---------------------------------------------------------------- 3. no crashes

#[test]
fn a_preview_too_large_for_memory_is_refused_before_rasterising() {
    let dir = project("pixels");
    dir.write("layouts/big.yaml", "page:\n  size: [2000, 2000]\nbody:\n  - text: 大きな紙\n");
    for dpi in ["600", "1200"] {
        let run = refused(&dir, &["blank", "layouts/big.yaml", "-o", "big.pdf", "--png", "--dpi", dpi], &["big.pdf"]);
        assert_mentions(&run, &["a preview page may have at most 150 million pixels", "choose --dpi 155 or less"]);
        assert!(!dir.join("big-1.png").exists());
    }
    ok(&dir, &["blank", "layouts/big.yaml", "-o", "big.pdf", "--png", "--dpi", "40"]);
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for args in [&["schema", "layout"][..], &["completions", "bash"], &["schema", "data"]] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
    }
}

// ---------------------------------------------------------------- 4. messages

#[test]
fn a_byte_order_mark_is_not_part_of_the_text() {
    let dir = project("bom");
    dir.write("data/bom.yaml", &format!("\u{FEFF}{MEMO_DATA}"));
    dir.write("layouts/bom.yaml", &format!("\u{FEFF}{MEMO_LAYOUT}"));
    ok(&dir, &["render", "data/bom.yaml", "-o", "a.pdf"]);
    ok(&dir, &["blank", "layouts/bom.yaml", "-o", "b.pdf"]);
    assert!(strip_ws(&pdftotext(&dir.join("a.pdf"), &[])).contains("研修日程の変更について"));
}

#[test]
fn control_and_bidi_characters_are_located_and_never_echoed_raw() {
    let dir = project("control");
    dir.write("data/bel.yaml", &memo_data("研修日程", "研修\u{7}日程"));
    let run = refused(&dir, &["render", "data/bel.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["control character (U+0007)", "--> data/bel.yaml:4:13", "4 |   kenmei: 研修U+0007日程"]);
    dir.write("data/rlo.yaml", &memo_data("kenmei: 研修日程", "kenmei: \u{202E}研修日程"));
    let run = refused(&dir, &["render", "data/rlo.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["U+202E"]);
    for c in ['\u{7}', '\u{202E}', '\u{1b}'] {
        assert!(!run.stderr.contains(c), "raw U+{:04X} in:\n{}", c as u32, run.describe());
    }
}

#[test]
fn a_file_of_another_kind_is_never_quoted() {
    let dir = project("leak");
    dir.write("secret.txt", "root:x:0:0:root:/root:/bin/bash\nsecret-token-1234\n");
    dir.write("data/pw.yaml", "layout: ../secret.txt\nfields: {}\n");
    let run = refused(&dir, &["render", "data/pw.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["is not a layout: it is one text, not `key: value` lines"]);
    assert!(!run.stderr.contains("secret-token") && !run.stderr.contains("root:x"), "{}", run.describe());
    // The environment: a control character on line 1, before any key.
    let out = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .args(["blank", "/proc/self/environ", "-o", "x.pdf"])
        .current_dir(&dir.path)
        .env("YOSHIKI_TEST_SECRET", "hunter2-5f3a")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not a YAML file of `key: value` lines"), "{stderr}");
    assert!(!stderr.contains("hunter2") && !stderr.contains("PATH="), "the environment leaked:\n{stderr}");
}

/// (what replaces what in MEMO_DATA, line, column, words of the message,
/// words of the help)
type Slip<'a> = (&'a str, &'a str, usize, usize, &'a str, &'a str);

#[test]
fn indentation_and_colon_slips_are_named_at_their_line() {
    let dir = project("slips");
    let slips: [Slip; 7] = [
        (
            "  kanrisha: 環境部長",
            "    kanrisha: 環境部長",
            9,
            5,
            "is indented by 4 spaces but the line above by 2",
            "by 2 spaces",
        ),
        (
            "  kanrisha: 環境部長",
            "   kanrisha: 環境部長",
            9,
            4,
            "is indented by 3 spaces but the line above by 2",
            "by 2 spaces",
        ),
        ("  nendo: 令和7", " nendo: 令和7", 3, 2, "indented by 1 space but the keys after it by 2", "by 2 spaces"),
        ("    ・時間", "  ・時間", 7, 3, "less than the text of `naiyo` above (4)", "by 4 spaces"),
        (
            "kanrisha: 環境部長",
            "kanrisha：環境部長",
            9,
            11,
            "full-width colon （：, 全角コロン）",
            "`kanrisha: 環境部長`",
        ),
        (
            "kenmei: 研修",
            "kenmei:研修",
            4,
            9,
            "no space after the colon of `kenmei:`",
            "`kenmei: 研修日程の変更について`",
        ),
        (
            "  kanrisha: 環境部長",
            "　kanrisha: 環境部長",
            9,
            1,
            "full-width space (全角スペース, U+3000)",
            "half-width spaces",
        ),
    ];
    for (i, (from, to, line, col, message, help)) in slips.into_iter().enumerate() {
        let file = format!("data/slip{i}.yaml");
        dir.write(&file, &memo_data(from, to));
        let run = refused(&dir, &["render", &file, "-o", "x.pdf"], &["x.pdf"]);
        assert_mentions(&run, &[&format!("--> {file}:{line}:{col}\n"), message]);
        assert!(error_help(&run.stderr).is_some_and(|h| h.contains(help)), "{}", run.describe());
        assert!(!run.stderr.contains("must be quoted"), "the old, wrong advice:\n{}", run.describe());
    }
}

#[test]
fn a_duplicate_key_points_at_the_second_and_names_the_first() {
    let dir = project("duplicate");
    dir.write("data/dup.yaml", &(MEMO_DATA.to_string() + "  kenmei: 二度目\n"));
    let run = refused(&dir, &["render", "data/dup.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["`kenmei` is given twice; the first is on line 4", "--> data/dup.yaml:10:3"]);
}

#[test]
fn serde_jargon_becomes_the_users_words() {
    let dir = project("jargon");
    let cases = [
        ("{ text: kanrisha }", "{ text: kanrisha, border: 1 }", "rule weights", "EdgeWeights"),
        (
            "{ text: kanrisha }",
            "{ text: kanrisha, padding: x }",
            "expected a number of mm, [vertical, horizontal] or [top, right, bottom, left]",
            "Sides",
        ),
        (
            "title: 連絡票",
            "title: 連絡票\npage:\n  size: A9",
            "`A9` is not one of the values allowed here: `A3`, `A4`",
            "variant",
        ),
    ];
    for (i, (from, to, words, jargon)) in cases.into_iter().enumerate() {
        let file = format!("layouts/j{i}.yaml");
        dir.write(&file, &MEMO_LAYOUT.replacen(from, to, 1));
        let run = refused(&dir, &["blank", &file, "-o", "x.pdf"], &["x.pdf"]);
        assert_mentions(&run, &[words]);
        assert!(!run.stderr.contains(jargon) && !run.stderr.contains("untagged"), "{}", run.describe());
    }
    dir.write("data/big.yaml", &memo_data("kenmei: 研修日程の変更について", "kenmei: 123456789012345678901234567890"));
    let run = refused(&dir, &["render", "data/big.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["is too large"]);
    assert!(!run.stderr.contains("u128"), "{}", run.describe());
    dir.write("data/list.yaml", "- layout: memo\n");
    let run = refused(&dir, &["render", "data/list.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["is not a data file: it is a list"]);
    assert!(!run.stderr.contains("DataFile"), "{}", run.describe());
    dir.write("data/empty-layout.yaml", &memo_data("layout: memo", "layout:"));
    let run = refused(&dir, &["render", "data/empty-layout.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["`layout:` is empty", "--> data/empty-layout.yaml:1:1"]);
    assert!(!run.stderr.contains("layouts/.yaml"), "{}", run.describe());
}

#[test]
fn an_unknown_key_gets_the_suggestion_and_a_short_list() {
    let dir = project("unknown");
    for (i, typo) in ["widht", "zzzzzz"].into_iter().enumerate() {
        let file = format!("layouts/u{i}.yaml");
        dir.write(&file, &MEMO_LAYOUT.replacen("{ text: kanrisha }", &format!("{{ text: kanrisha, {typo}: 1 }}"), 1));
        let run = refused(&dir, &["blank", &file, "-o", "x.pdf"], &["x.pdf"]);
        assert!(run.stderr.starts_with(&format!("error: unknown field `{typo}`\n")), "{}", run.describe());
        assert!(
            count(&run.stderr, "`min_height`") <= 1 && count(&run.stderr, "`final_suffix`") == 0,
            "{}",
            run.describe()
        );
    }
}

#[test]
fn a_damaged_font_is_an_input_error_at_its_layout_line() {
    let dir = project("damaged_font");
    let font = std::fs::read(manifest_dir().join("fonts/BIZUDGothic-Regular.ttf")).unwrap();
    std::fs::write(dir.join("layouts/cut.ttf"), &font[..300_000]).unwrap();
    dir.write("layouts/f.yaml", "fonts:\n  g: cut.ttf\nfont: g\nbody:\n  - text: 様式\n");
    let run = refused(&dir, &["blank", "layouts/f.yaml", "-o", "x.pdf"], &["x.pdf"]);
    assert_mentions(&run, &["not a font file, or it is damaged", "--> layouts/f.yaml:2:3", "= field: fonts.g"]);
}

// ---------------------------------------------------------------- 6. hostile seeds

/// Every hostile input reproduced for this issue (kept in `fuzz/seeds/`,
/// the fuzz targets' starting points) parses to a value or to an error
/// whose message echoes nothing raw that a terminal would act on.
#[test]
fn hostile_seeds_give_clean_messages() {
    use yoshiki::model::{data::DataFile, layout::Layout};
    use yoshiki::source::Source;
    let mut seen = 0;
    for kind in ["yaml_data", "yaml_layout"] {
        let dir = manifest_dir().join("fuzz/seeds").join(kind);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let src = Source::read(&path).unwrap_or_else(|e| panic!("{e}"));
            let message = match kind {
                "yaml_data" => src.parse::<DataFile>().err(),
                _ => src.parse::<Layout>().err(),
            };
            if let Some(e) = message {
                let shown = e.to_string();
                let raw =
                    shown.chars().find(|&c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c));
                assert_eq!(raw, None, "{}:\n{shown}", path.display());
            }
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} seeds");
}
