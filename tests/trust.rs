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

#[test]
fn an_interrupted_render_leaves_no_temp_file_and_dies_of_the_signal() {
    // `render` has no signal thread: it holds SIGINT back while its
    // temporary file exists, so the signal lands after the rename.
    let dir = project("render-sigint");
    interrupt_render(&dir, &["data/memo.yaml", "-o", "out/memo.pdf", "--png", "--dpi", "150"]);
    // A plan year of seven pages: its streams are deflated on a second
    // thread (`pdf::background`), which must not take the signal either.
    // That thread has usually ended before the write; its signal mask is
    // checked in `pdf::background`'s own tests.
    let dir = TempDir::new("trust-render-sigint-plan");
    copy_dir_all(&manifest_dir().join("layouts"), &dir.join("layouts"));
    copy_dir_all(&manifest_dir().join("data"), &dir.join("data"));
    interrupt_render(&dir, &["data/jinzai-plan/h30-r04.yaml", "-o", "out/plan.pdf", "--png", "--dpi", "60"]);
}

/// `yoshiki -q render ARGS` in `dir`, interrupted (SIGINT) while its
/// temporary file exists: none is left, what was written is whole, and
/// the process dies of the signal.
fn interrupt_render(dir: &TempDir, args: &[&str]) {
    use std::os::unix::process::ExitStatusExt;
    for attempt in 0..50 {
        let _ = std::fs::remove_dir_all(dir.join("out"));
        std::fs::create_dir(dir.join("out")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
            .args(["-q", "render"])
            .args(args)
            .current_dir(&dir.path)
            .spawn()
            .expect("spawn");
        // Interrupt while a temporary file is there.
        let mut seen = false;
        while !seen && child.try_wait().unwrap().is_none() {
            seen = !stray_temp_files(&dir.join("out")).is_empty();
        }
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let status = child.wait().unwrap();
        assert_eq!(stray_temp_files(&dir.join("out")), Vec::<String>::new(), "attempt {attempt}: {status:?}");
        for f in files_under(&dir.join("out")) {
            let bytes = std::fs::read(dir.join("out").join(&f)).unwrap();
            let whole = if f.ends_with(".pdf") {
                bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF")
            } else {
                bytes.ends_with(b"IEND\xaeB`\x82")
            };
            assert!(whole, "attempt {attempt}: {f} is not whole");
        }
        if seen && status.signal() == Some(2) {
            return;
        }
    }
    panic!("no render of {args:?} was interrupted while writing; nothing was tested");
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

// ---------------------------------------------------------------- 5. nothing prints outside its box

/// A one-table layout: `{cells}` is the flow list of the one row, `{table}`
/// more keys of the table.
fn one_row(table: &str, cells: &str) -> String {
    format!("title: 連絡票\nbody:\n  - table:\n{table}      rows:\n        - cells: [{cells}]\n")
}

/// The overflow in mm a geometry message names (`reaches 1.8 mm past`).
fn reach_mm(run: &Run) -> f64 {
    let after = run.stderr.split("reaches ").nth(1).unwrap_or_else(|| panic!("no `reaches`:\n{}", run.describe()));
    after.split(" mm").next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{}", run.describe()))
}

#[test]
fn a_table_wider_than_the_printable_area_is_refused() {
    let dir = project("too_wide");
    // 215 mm cut characters at the page edge; 500 mm drew all the text off the page.
    for width in ["215", "500"] {
        dir.write("layouts/memo.yaml", &one_row(&format!("      width: {width}\n"), "{ label: 件名 }"));
        let run = refused(&dir, &["blank", "layouts/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
        assert_mentions(
            &run,
            &[
                &format!("error: a table {width} mm wide does not fit: the page has 180.0 mm between its margins"),
                "--> layouts/memo.yaml:4:7",
                "= field: body[0].table.width",
                "make the table at most 180.0 mm wide",
            ],
        );
    }
    // Columns that add up to more than the table's width are not scaled down.
    dir.write(
        "layouts/memo.yaml",
        &one_row("      width: 150\n      columns: [100, 100]\n", "{ label: 件名 }, { label: 内容 }"),
    );
    let run = refused(&dir, &["blank", "layouts/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
    assert_mentions(
        &run,
        &["the columns add up to 200.0 mm but the table is 150 mm wide", "= field: body[0].table.columns"],
    );
}

#[test]
fn a_cell_narrower_than_a_character_it_prints_is_refused() {
    let dir = project("too_narrow");
    dir.write("layouts/memo.yaml", &one_row("      width: 150\n", "{ label: 件名, width: 2 }, { label: 内容 }"));
    let run = refused(&dir, &["blank", "layouts/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
    assert_mentions(
        &run,
        &[
            "this cell is too narrow for its text: its padding (3.0 mm) leaves no room in its 2.0 mm",
            "= field: body[0].table.rows[0].cells[0]",
            "make the cell at least",
        ],
    );
    // 10,000 columns in 150 mm: printed 477 characters of 10,000 before.
    let cells = vec!["{ label: 件 }"; 10_000].join(", ");
    dir.write("layouts/memo.yaml", &one_row("      width: 150\n", &cells));
    let run = refused(&dir, &["blank", "layouts/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
    assert_mentions(&run, &["this cell is too narrow for its text", "= field: body[0].table.rows[0].cells[0]"]);
}

#[test]
fn sizes_that_contradict_each_other_are_refused() {
    let dir = project("sizes");
    let cases = [
        ("min_size: 12, size: 10", "`min_size` (12 pt) is more than `size` (10 pt)", "cells[0].min_size"),
        ("line_height: 0.5", "line_height", "cells[0].line_height"),
        ("max_lines: 0", "`max_lines` must be at least 1", "cells[0].max_lines"),
    ];
    for (keys, message, field) in cases {
        dir.write("layouts/memo.yaml", &one_row("      width: 150\n", &format!("{{ label: 件名, {keys} }}")));
        let run = refused(&dir, &["blank", "layouts/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
        assert_mentions(&run, &[message, &format!("= field: body[0].table.rows[0].{field}")]);
    }
}

#[test]
fn text_that_would_cross_its_cell_is_refused_naming_the_cell_and_the_data() {
    let dir = project("crosses");
    // 14 pt characters (4.9 mm) in a cell 3 mm wide inside its padding: the
    // cell cannot know its text before the data comes.
    dir.write(
        "layouts/memo.yaml",
        &one_row(
            "      width: 150\n",
            "{ label: 件名, width: 30 }, { text: kenmei, width: 5, size: 14, padding: 1 }, { label: 備考 }",
        ),
    );
    dir.write("data/memo.yaml", "layout: memo\nfields:\n  kenmei: 研修\n");
    let run = refused(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"], &["out.pdf", "data/memo.yaml"]);
    assert_mentions(
        &run,
        &[
            "error: the text does not fit in this cell: `",
            "` on page 1 reaches",
            "past the right edge of the cell's text area (the cell inside its padding, 3.0 mm × ",
            "--> layouts/memo.yaml:6:",
            "= field: body[0].table.rows[0].cells[1]",
            "= note: the text comes from data/memo.yaml:3:3 (fields.kenmei)",
        ],
    );
    // 4.9 mm of ink (less its side bearings) in 3 mm.
    let by = reach_mm(&run);
    assert!((0.5..2.0).contains(&by), "overflow {by} mm:\n{}", run.describe());
    // The same text in a cell wide enough renders.
    dir.write(
        "layouts/memo.yaml",
        &one_row(
            "      width: 150\n",
            "{ label: 件名, width: 30 }, { text: kenmei, width: 13, size: 14, padding: 1 }, { label: 備考 }",
        ),
    );
    ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"]);
    assert_eq!(strip_ws(&pdftotext(&dir.join("out.pdf"), &[])), "件名研修備考");
}

#[test]
fn a_footer_taller_than_the_bottom_margin_is_refused() {
    let dir = project("footer");
    let layout = "page: { margin: [10, 10, 5, 10] }\nfooter: { text: \"{page} / {pages}\", size: 40 }\nbody:\n  - text: 連絡票\n";
    dir.write("layouts/foot.yaml", layout);
    let run = refused(&dir, &["blank", "layouts/foot.yaml", "-o", "out.pdf"], &["out.pdf"]);
    assert_mentions(
        &run,
        &[
            "error: the footer does not fit in the bottom margin (5.0 mm tall)",
            "--> layouts/foot.yaml:2:",
            "= field: footer.text",
        ],
    );
    assert!(reach_mm(&run) > 1.0, "{}", run.describe());
    dir.write("layouts/foot.yaml", &layout.replace("size: 40", "size: 8"));
    ok(&dir, &["blank", "layouts/foot.yaml", "-o", "out.pdf"]);
    assert!(pdftotext(&dir.join("out.pdf"), &[]).contains("1 / 1"));
}

#[test]
fn an_ideographic_variation_sequence_prints_its_variant_and_extracts_whole() {
    let dir = project("ivs");
    // 葛 + VS17 (U+E0100): a variant both bundled fonts map (cmap format 14).
    dir.write("data/memo.yaml", &memo_data("kenmei: 研修日程の変更について", "kenmei: \"葛\\U000E0100城市と葛城市\""));
    for font in ["mincho", "gothic"] {
        dir.write("layouts/memo.yaml", &format!("font: {font}\n{MEMO_LAYOUT}"));
        ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf", "--force"]);
        let text = pdftotext(&dir.join("out.pdf"), &[]);
        // The sequence extracts whole, and the plain 葛 as itself: two
        // different glyphs, each mapped back to what was typed.
        assert!(text.contains("葛\u{E0100}城市と葛城市"), "{font}: {text:?}");
    }
}

// ---------------------------------------------------------------- 5b. one range, one format

/// The memo with a date and an amount field besides its fiscal year.
fn dated_project(test: &str) -> TempDir {
    let dir = project(test);
    let layout = MEMO_LAYOUT.replace(
        "        - cells:\n            - { label: 件名, width: 30 }",
        "        - cells:\n            - { label: 日付, width: 30 }\n            - { date: hizuke }\n        - cells:\n            - { label: 金額, width: 30 }\n            - { amount: gaku, suffix: 円 }\n        - cells:\n            - { label: 件名, width: 30 }",
    );
    assert_ne!(layout, MEMO_LAYOUT);
    dir.write("layouts/memo.yaml", &layout);
    dir.write("data/memo.yaml", &memo_data("  kenmei:", "  hizuke: 2025-04-01\n  gaku: 7188\n  kenmei:"));
    dir
}

#[test]
fn every_spelling_of_a_year_has_the_same_range() {
    let dir = dated_project("years");
    ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"]);
    let text = strip_ws(&pdftotext(&dir.join("out.pdf"), &[]));
    assert!(
        text.contains("令和７年度") && text.contains("令和７年４月１日") && text.contains("７，１８８円"),
        "{text}"
    );
    std::fs::remove_file(dir.join("out.pdf")).unwrap();
    let outside = "is outside the years yoshiki can print (1873–2999)";
    let cases = [
        // `M1` printed １８６８年度 while `1868` was refused.
        ("nendo: 令和7", "nendo: M1", format!("error: `M1` (1868) {outside}"), "fields.nendo"),
        ("nendo: 令和7", "nendo: 明治1", format!("error: `明治1` (1868) {outside}"), "fields.nendo"),
        ("nendo: 令和7", "nendo: 1868", format!("error: 1868 {outside}"), "fields.nendo"),
        // A date before 1873, or with a sign, printed as typed.
        (
            "hizuke: 2025-04-01",
            "hizuke: -0001-01-01",
            "error: expected a date, found `-0001-01-01`".into(),
            "fields.hizuke",
        ),
        (
            "hizuke: 2025-04-01",
            "hizuke: 1850-01-01",
            "error: expected a date, found `1850-01-01`: outside the years yoshiki handles (1873 to 2999".into(),
            "fields.hizuke",
        ),
    ];
    for (from, to, message, field) in cases {
        dir.write("data/memo.yaml", &read_to_string(&dir.join("data/memo.yaml")).replacen(from, to, 1));
        let run = refused(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
        assert_mentions(&run, &[&message, &format!("= field: {field}")]);
        dir.write("data/memo.yaml", &read_to_string(&dir.join("data/memo.yaml")).replacen(to, from, 1));
    }
    // The first year there is: 明治6.
    dir.write(
        "data/memo.yaml",
        &read_to_string(&dir.join("data/memo.yaml")).replacen("nendo: 令和7", "nendo: 明治6", 1),
    );
    ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"]);
    assert!(strip_ws(&pdftotext(&dir.join("out.pdf"), &[])).contains("明治６年度"));
}

#[test]
fn commas_in_an_amount_group_by_three_or_are_refused() {
    let dir = dated_project("commas");
    for typed in ["'7,18,8'", "'71,88'", "'7188,'", "',7188'", "'７，１８，８'"] {
        dir.write(
            "data/memo.yaml",
            &read_to_string(&dir.join("data/memo.yaml")).replacen("gaku: 7188", &format!("gaku: {typed}"), 1),
        );
        let run = refused(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
        assert_mentions(
            &run,
            &[
                &format!(
                    "error: expected a number, found `{}`: commas separate groups of three digits, as in 7,188",
                    typed.trim_matches('\'')
                ),
                "= field: fields.gaku",
            ],
        );
        dir.write(
            "data/memo.yaml",
            &read_to_string(&dir.join("data/memo.yaml")).replacen(&format!("gaku: {typed}"), "gaku: 7188", 1),
        );
    }
    for (typed, printed) in
        [("'7,188'", "７，１８８円"), ("'１，２３４，５６７'", "１，２３４，５６７円"), ("'△1,234'", "△１，２３４円")]
    {
        dir.write(
            "data/memo.yaml",
            &read_to_string(&dir.join("data/memo.yaml")).replacen("gaku: 7188", &format!("gaku: {typed}"), 1),
        );
        ok(&dir, &["render", "data/memo.yaml", "-o", "out.pdf", "--force"]);
        let text = strip_ws(&pdftotext(&dir.join("out.pdf"), &[]));
        assert!(text.contains(printed), "{typed}: {text}");
        dir.write(
            "data/memo.yaml",
            &read_to_string(&dir.join("data/memo.yaml")).replacen(&format!("gaku: {typed}"), "gaku: 7188", 1),
        );
    }
}

#[test]
fn a_shade_outside_zero_to_one_is_refused() {
    let dir = project("shade");
    dir.write(
        "layouts/memo.yaml",
        &MEMO_LAYOUT.replacen("{ label: 件名, width: 30 }", "{ label: 件名, width: 30, shade: 1.5 }", 1),
    );
    let run = refused(&dir, &["render", "data/memo.yaml", "-o", "out.pdf"], &["out.pdf"]);
    assert_mentions(
        &run,
        &["error: `shade` must be a number from 0 to 1, found 1.5", "= field: body[0].table.rows[1].cells[0].shade"],
    );
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
