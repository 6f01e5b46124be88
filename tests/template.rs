//! `yoshiki template LAYOUT`: a ready-to-fill data file that renders as
//! the blank form until something is filled in, and prints what is.

mod common;

use common::{copy_dir_all, manifest_dir, pdftotext, yoshiki_in, TempDir};

/// A copy of the project's layouts and schemas in a temp folder.
fn project(dir: &TempDir) {
    for sub in ["layouts", "schema"] {
        copy_dir_all(&manifest_dir().join(sub), &dir.join(sub));
    }
    std::fs::create_dir_all(dir.join("data/shinko-kanri")).unwrap();
    std::fs::create_dir_all(dir.join("data/jinzai-plan")).unwrap();
}

#[test]
fn the_untouched_template_renders_as_the_blank_form() {
    let dir = TempDir::new("template_untouched");
    project(&dir);
    let run = yoshiki_in(&dir.path, ["template", "layouts/shinko-kanri.yaml", "-o", "data/shinko-kanri/new.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = std::fs::read_to_string(dir.join("data/shinko-kanri/new.yaml")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# yaml-language-server: $schema=../../schema/shinko-kanri.data.schema.json"));
    assert_eq!(lines.next(), Some("layout: shinko-kanri"));
    assert!(text.contains("  mokuhyo: |-                   # 本年度の目標 — text"), "{text}");
    assert!(text.contains("# 中間評価 達成度 — choice: 目標以下 | 目標どおり | 目標以上"), "{text}");

    let run = yoshiki_in(&dir.path, ["render", "data/shinko-kanri/new.yaml", "-o", "filled.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(!run.stderr.contains("warning"), "{}", run.describe());
    let run = yoshiki_in(&dir.path, ["blank", "layouts/shinko-kanri.yaml", "-o", "blank.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(
        pdftotext(&dir.join("filled.pdf"), &["-layout"]),
        pdftotext(&dir.join("blank.pdf"), &["-layout"]),
        "the untouched template prints the blank form"
    );
}

#[test]
fn a_filled_value_is_printed() {
    let dir = TempDir::new("template_filled");
    project(&dir);
    let run = yoshiki_in(&dir.path, ["template", "layouts/shinko-kanri.yaml", "-o", "data/shinko-kanri/new.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let path = dir.join("data/shinko-kanri/new.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let filled = text
        .replace("  jigyomei: \"\"", "  jigyomei: テンプレート検証事業")
        .replace("  chukan_tasseido:  ", "  chukan_tasseido: 目標どおり")
        .replace("  mokuhyo: |-", "  mokuhyo: |-\n    ・一行目の目標\n    ・二行目の目標\n  #");
    assert_ne!(filled, text);
    std::fs::write(&path, filled).unwrap();
    let run = yoshiki_in(&dir.path, ["render", "data/shinko-kanri/new.yaml", "-o", "filled.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let printed = pdftotext(&dir.join("filled.pdf"), &[]);
    for want in ["テンプレート検証事業", "・一行目の目標", "・二行目の目標"] {
        assert!(printed.contains(want), "{want} not printed:\n{printed}");
    }
}

#[test]
fn the_plan_template_renders() {
    let dir = TempDir::new("template_plan");
    project(&dir);
    let run = yoshiki_in(&dir.path, ["template", "layouts/jinzai-plan.yaml", "-o", "data/jinzai-plan/new.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = std::fs::read_to_string(dir.join("data/jinzai-plan/new.yaml")).unwrap();
    assert!(text.contains("                - \"no\": \"\""), "{text}");
    let run = yoshiki_in(&dir.path, ["render", "data/jinzai-plan/new.yaml", "-o", "plan.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let printed = pdftotext(&dir.join("plan.pdf"), &[]);
    for label in ["中項目", "小項目", "具体的な取組", "スケジュール", "取組状況", "評価"] {
        assert!(printed.contains(label), "{label} missing:\n{printed}");
    }
}

#[test]
fn template_never_overwrites_a_file() {
    let dir = TempDir::new("template_no_overwrite");
    project(&dir);
    let existing = dir.write("data/shinko-kanri/mine.yaml", "layout: shinko-kanri\nfields:\n  jigyomei: 大事な事業\n");
    let run = yoshiki_in(&dir.path, ["template", "layouts/shinko-kanri.yaml", "-o", "data/shinko-kanri/mine.yaml"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("already exists"), "{}", run.describe());
    assert_eq!(std::fs::read_to_string(existing).unwrap(), "layout: shinko-kanri\nfields:\n  jigyomei: 大事な事業\n");
}

#[test]
fn printed_to_the_terminal_without_output() {
    let dir = TempDir::new("template_stdout");
    project(&dir);
    let run = yoshiki_in(&dir.path, ["template", "layouts/shinko-kanri.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stdout.contains("layout: shinko-kanri\n"), "{}", run.describe());
    assert!(run.stdout.contains("  nendo:                        # 年度 — fiscal year: 2025, 令和7 or R7\n"));
    assert_eq!(common::files_under(&dir.join("data")), Vec::<String>::new(), "nothing written");
}

/// A form that computes: the template asks for the fields its expressions
/// read (declared under `fields:`), under the label of the cell that reads
/// them, and never for what the form computes.
#[test]
fn a_computed_form_asks_for_what_it_reads_not_for_what_it_computes() {
    let dir = TempDir::new("template_computed");
    project(&dir);
    std::fs::create_dir_all(dir.join("data/kyuka-todoke")).unwrap();
    let out = "data/kyuka-todoke/new.yaml";
    let run = yoshiki_in(&dir.path, ["template", "layouts/kyuka-todoke.yaml", "-o", out]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = std::fs::read_to_string(dir.join(out)).unwrap();
    assert!(text.contains("  kikan_from:                   # 期間 (kikan_from) — date"), "{text}");
    assert!(text.contains("  kikan_to:"), "{text}");
    for computed in ["wareki(", "weekday(", "working_days("] {
        assert!(!text.contains(computed), "the template asks for a computed value `{computed}`:\n{text}");
    }
    let filled = text
        .replace("  kikan_from:                   #", "  kikan_from: 2026-02-20 #")
        .replace("  kikan_to:                     #", "  kikan_to: 令和8年2月24日 #");
    assert_ne!(filled, text);
    std::fs::write(dir.join(out), filled).unwrap();
    let run = yoshiki_in(&dir.path, ["render", out, "-o", "kyuka.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let printed = pdftotext(&dir.join("kyuka.pdf"), &[]).replace([' ', '\n'], "");
    assert!(printed.contains("令和８年２月２０日（金）～令和８年２月２４日（火）"), "{printed}");
    assert!(printed.contains("２日"), "{printed}");

    let run = yoshiki_in(&dir.path, ["template", "layouts/shukkinbo.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    for asked in ["  month:", "  entries:", "      jikangai:", "      date:"] {
        assert!(run.stdout.contains(asked), "`{asked}` not asked for:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("wareki_ym") && !run.stdout.contains("holiday_name"), "{}", run.stdout);
}
