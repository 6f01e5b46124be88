//! Helpers shared by the benchmarks: the bundled inputs, scratch folders,
//! and synthetic data files (a longer 目標, more plan rows, many sheets).
//!
//! A data file names its layout (`layout: shinko-kanri`), found as
//! `layouts/NAME.yaml` in its folder or any folder above; so a scratch
//! folder gets a copy of `layouts/` and its data files go under `data/`.

// Each bench uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_yaml::Value;

/// The filled seed sheet, relative to the crate root.
pub const SHEET: &str = "data/shinko-kanri/r07-no06.yaml";
/// The multi-year plan table, relative to the crate root.
pub const PLAN: &str = "data/jinzai-plan/h30-r04.yaml";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sheet_path() -> PathBuf {
    root().join(SHEET)
}

pub fn plan_path() -> PathBuf {
    root().join(PLAN)
}

fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seed sheet's 本年度の目標 (`fields.mokuhyo`): 778 characters of
/// real Japanese prose in 16 paragraphs, with bullets, headings,
/// brackets, full-width digits and an `e` amid kana.
pub fn mokuhyo() -> String {
    read_yaml(&sheet_path())["fields"]["mokuhyo"].as_str().expect("mokuhyo is text").to_string()
}

/// A folder under the system temp folder, with a copy of `layouts/`;
/// removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("yoshiki-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("layouts")).expect("create scratch folder");
        std::fs::create_dir_all(dir.join("data")).expect("create scratch folder");
        for entry in std::fs::read_dir(root().join("layouts")).expect("read layouts/") {
            let path = entry.expect("read layouts/").path();
            if path.is_file() {
                std::fs::copy(&path, dir.join("layouts").join(path.file_name().unwrap())).expect("copy a layout");
            }
        }
        Scratch { dir }
    }

    /// Write a data file at `data/NAME` and return its path.
    pub fn write(&self, name: &str, value: &Value) -> PathBuf {
        let path = self.dir.join("data").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).expect("create data folder");
        std::fs::write(&path, serde_yaml::to_string(value).expect("serialise YAML")).expect("write data file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The seed sheet with its 目標 repeated `n` times (paragraphs joined by a
/// line break): `n` = 10 makes the table run over several pages.
pub fn sheet_scaled(n: usize) -> Value {
    let mut data = read_yaml(&sheet_path());
    let text = mokuhyo();
    data["fields"]["mokuhyo"] = Value::String(vec![text; n].join("\n"));
    data
}

/// The plan with every 小項目's list of 取組 repeated `n` times (numbered
/// on from the last), so the table has `n` times the rows in the same
/// groups.
pub fn plan_scaled(n: usize) -> Value {
    let mut data = read_yaml(&plan_path());
    let mut next = 1;
    for section in seq(&mut data["fields"]["sections"]) {
        for chu in seq(&mut section["chu_komoku"]) {
            for sho in seq(&mut chu["sho_komoku"]) {
                let items = seq(&mut sho["torikumi"]).clone();
                let mut out = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    for item in &items {
                        let mut item = item.clone();
                        item["no"] = Value::Number(next.into());
                        next += 1;
                        out.push(item);
                    }
                }
                sho["torikumi"] = Value::Sequence(out);
            }
        }
    }
    data
}

fn seq(v: &mut Value) -> &mut Vec<Value> {
    v.as_sequence_mut().expect("a list")
}

/// Rows (取組) of a plan data value, to check the scaling really scaled.
pub fn plan_rows(data: &Value) -> usize {
    let mut rows = 0;
    for section in data["fields"]["sections"].as_sequence().unwrap() {
        for chu in section["chu_komoku"].as_sequence().unwrap() {
            for sho in chu["sho_komoku"].as_sequence().unwrap() {
                rows += sho["torikumi"].as_sequence().unwrap().len();
            }
        }
    }
    rows
}

/// `n` copies of the seed sheet under `data/sheets/` of a scratch folder.
pub fn sheet_copies(scratch: &Scratch, n: usize) -> PathBuf {
    let dir = scratch.dir.join("data").join("sheets");
    std::fs::create_dir_all(&dir).expect("create data folder");
    for i in 0..n {
        std::fs::copy(sheet_path(), dir.join(format!("s{i:04}.yaml"))).expect("copy the sheet");
    }
    dir
}
