//! Editor support: the committed JSON Schemas are what `yoshiki schema`
//! prints, every bundled file names its schema and validates against it,
//! and the schemas actually catch mistakes. Also `check` and `completions`.

mod common;

use std::path::{Path, PathBuf};

use common::{yoshiki, TempDir};
use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validate a YAML document against a JSON Schema; the error text if not.
fn validate(schema: &Json, yaml: &str) -> Result<(), String> {
    let instance: Json = serde_yaml::from_str(yaml).map_err(|e| format!("not YAML: {e}"))?;
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("file:///schema.json", schema.clone()).expect("schema resource");
    let index = compiler.compile("file:///schema.json", &mut schemas).map_err(|e| format!("bad schema: {e}"))?;
    schemas.validate(&instance, index).map_err(|e| format!("{e:#}"))
}

/// The schema a file names on its first line, resolved next to the file.
fn named_schema(file: &Path) -> Json {
    let text = read(file);
    let first = text.lines().next().unwrap_or_default();
    let relative = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("{} does not start with a yaml-language-server $schema line", file.display()));
    let path = file.parent().unwrap().join(relative);
    serde_json::from_str(&read(&path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bundled(dir: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in walk(&root().join(dir)) {
        if entry.extension().is_some_and(|e| e == "yaml") {
            files.push(entry);
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no YAML files under {dir}");
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn committed_schemas_are_what_the_program_prints() {
    let cases: [(&[&str], &str); 7] = [
        (&["schema", "layout"], "schema/layout.schema.json"),
        (&["schema", "data"], "schema/data.schema.json"),
        (&["schema", "data", "layouts/shinko-kanri.yaml"], "schema/shinko-kanri.data.schema.json"),
        (&["schema", "data", "layouts/jinzai-plan.yaml"], "schema/jinzai-plan.data.schema.json"),
        (&["schema", "data", "layouts/kyuka-todoke.yaml"], "schema/kyuka-todoke.data.schema.json"),
        (&["schema", "data", "layouts/ryohi-seikyu.yaml"], "schema/ryohi-seikyu.data.schema.json"),
        (&["schema", "data", "layouts/shukkinbo.yaml"], "schema/shukkinbo.data.schema.json"),
    ];
    for (args, file) in cases {
        let run = yoshiki(args.iter().copied());
        assert_eq!(run.code, Some(0), "{}", run.describe());
        assert_eq!(
            run.stdout,
            read(&root().join(file)),
            "{file} is stale: regenerate it with `yoshiki {}`",
            args.join(" ")
        );
    }
}

#[test]
fn every_bundled_file_validates_against_its_schema() {
    for file in bundled("layouts").into_iter().chain(bundled("data")) {
        let schema = named_schema(&file);
        if let Err(e) = validate(&schema, &read(&file)) {
            panic!("{} does not match its schema:\n{e}", file.display());
        }
    }
}

#[test]
fn schemas_catch_typical_mistakes() {
    let data = read(&root().join("data/shinko-kanri/r07-no06.yaml"));
    let schema = named_schema(&root().join("data/shinko-kanri/r07-no06.yaml"));
    let typo = data.replace("  mokuhyo:", "  mokuhy:");
    assert!(validate(&schema, &typo).unwrap_err().contains("mokuhy"), "a misspelt field must be flagged");
    let option = data.replace("  nendo: 令和7", "  nendo: 令和7\n  chukan_tasseido: 目標超え");
    assert!(validate(&schema, &option).is_err(), "a choice outside its options must be flagged");
    let top = data.replace("fields:", "feilds:");
    assert!(validate(&schema, &top).is_err(), "an unknown top-level key must be flagged");

    let plan = read(&root().join("data/jinzai-plan/h30-r04.yaml"));
    let plan_schema = named_schema(&root().join("data/jinzai-plan/h30-r04.yaml"));
    let nested = plan.replacen("naiyo:", "naiyou:", 1);
    assert!(validate(&plan_schema, &nested).unwrap_err().contains("naiyou"), "nested list elements are checked too");

    let layout = read(&root().join("layouts/shinko-kanri.yaml"));
    let layout_schema = named_schema(&root().join("layouts/shinko-kanri.yaml"));
    let misspelt = layout.replacen("width: 28", "widht: 28", 1);
    assert!(
        validate(&layout_schema, &misspelt).unwrap_err().contains("widht"),
        "a misspelt layout key must be flagged"
    );
}

#[test]
fn help_lists_every_subcommand() {
    let run = yoshiki(["--help"]);
    assert_eq!(run.code, Some(0));
    for sub in ["render", "blank", "batch", "check", "schema", "completions"] {
        assert!(run.stdout.contains(sub), "--help does not list `{sub}`:\n{}", run.stdout);
    }
    let version = yoshiki(["--version"]);
    assert!(version.stdout.starts_with("yoshiki "), "{}", version.describe());
}

#[test]
fn check_validates_without_writing() {
    let dir = TempDir::new("check_validates_without_writing");
    let good = root().join("data/shinko-kanri/r07-no06.yaml");
    let run = yoshiki([Path::new("check").as_os_str(), good.as_os_str()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stderr.contains("ok:") && run.stderr.contains("2 pages"), "{}", run.describe());
    assert!(!good.with_extension("pdf").exists(), "check must not write a PDF");

    let layout = root().join("layouts/shinko-kanri.yaml");
    let bad = dir.write("bad.yaml", &format!("layout: {}\nfields:\n  chukan_tasseido: 目標超え\n", layout.display()));
    let run = yoshiki([Path::new("check").as_os_str(), good.as_os_str(), bad.as_os_str()]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains(&format!("{}:3:", bad.display())), "{}", run.describe());
    assert!(run.stderr.contains("1 of 2 file(s) have errors"), "{}", run.describe());
    assert_eq!(dir.file_names(), vec!["bad.yaml".to_string()], "check wrote files");
}

#[test]
fn completions_are_generated_for_bash() {
    let run = yoshiki(["completions", "bash"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(
        run.stdout.contains("_yoshiki") && run.stdout.contains("render"),
        "{}",
        &run.stdout[..run.stdout.len().min(400)]
    );
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = TempDir::new("quiet_prints_nothing_on_success");
    let out = dir.join("x.pdf");
    let data = root().join("data/shinko-kanri/r07-no06.yaml");
    let run = yoshiki([
        Path::new("render").as_os_str(),
        data.as_os_str(),
        Path::new("-o").as_os_str(),
        out.as_os_str(),
        Path::new("-q").as_os_str(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stderr.is_empty(), "-q printed: {}", run.stderr);
    assert!(out.exists());
}
