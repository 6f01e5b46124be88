//! JSON Schemas for editors: the YAML extension of VS Code (and others
//! speaking the yaml-language-server protocol) completes keys and flags
//! mistakes while typing when a file starts with
//! `# yaml-language-server: $schema=…`.
//!
//! - the layout schema comes from the layout language's Rust types
//!   (`schemars`; descriptions are their doc comments);
//! - a data schema is either generic (`layout` + any `fields`) or made for
//!   one layout from the fields its cells define, so that field names,
//!   choice options and list shapes complete too.

use std::collections::HashMap;

use serde_json::{json, Map, Value as Json};

use crate::model::data::DataFile;
use crate::model::layout::Layout;
use crate::path::YamlPath;
use crate::validate::checked::{CellKind, CheckedLayout};
use crate::validate::{FieldDef, FieldKind, Fields};

/// The schema of layout files.
pub fn layout() -> Json {
    let mut schema = serde_json::to_value(schemars::schema_for!(Layout)).expect("schemas serialise");
    schema["title"] = json!("yoshiki layout (様式のレイアウト)");
    schema
}

/// The generic schema of data files: any layout, any fields.
pub fn data() -> Json {
    let mut schema = serde_json::to_value(schemars::schema_for!(DataFile)).expect("schemas serialise");
    schema["title"] = json!("yoshiki data (様式の記入内容)");
    schema
}

/// The schema of data files for one layout: its fields, with their kinds,
/// options and the labels of the cells that print them.
pub fn data_for(name: &str, layout: &CheckedLayout) -> Json {
    let labels = field_labels(layout);
    let fields = &layout.fields;
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("yoshiki data for the layout `{name}`"),
        "type": "object",
        "additionalProperties": false,
        "required": ["layout"],
        "properties": {
            "layout": {
                "description": "The layout this data fills: a name looked up as layouts/NAME.yaml, or a path.",
                "type": "string",
                "default": name,
            },
            "fields": scope(fields, &labels),
        },
    })
}

/// The object schema of one scope: its fields and lists.
fn scope(schema: &Fields, labels: &HashMap<YamlPath, String>) -> Json {
    let mut properties = Map::new();
    for (name, def) in &schema.fields {
        properties.insert(name.clone(), field(def, labels.get(&def.cell_path)));
    }
    for (name, list) in &schema.lists {
        properties.insert(
            name.clone(),
            json!({ "description": "A list: one element per row (or group) of the table.", "type": ["array", "null"], "items": scope(list, labels) }),
        );
    }
    json!({ "type": ["object", "null"], "additionalProperties": false, "properties": properties })
}

/// One field's schema, by the kind of the cell that prints it.
fn field(def: &FieldDef, label: Option<&String>) -> Json {
    let place = match label {
        Some(label) => format!("「{label}」 ({})", def.cell_path),
        None => def.cell_path.to_string(),
    };
    let (description, mut schema) = match def.kind {
        FieldKind::Amount => {
            ("An amount: a whole number such as 7188 or \"7,188\"", json!({ "type": ["integer", "string", "null"] }))
        }
        FieldKind::Number => ("A whole number", json!({ "type": ["integer", "string", "null"] })),
        FieldKind::Choice => {
            let mut options: Vec<Json> = def.options.iter().map(|o| json!(o)).collect();
            options.push(Json::Null);
            ("One of the options (it is circled)", json!({ "enum": options }))
        }
        FieldKind::FiscalYear => {
            ("A fiscal year: 2025, 令和7, R7 or a date 2025-04-01", json!({ "type": ["integer", "string", "null"] }))
        }
        FieldKind::Date => (
            "A date written 2025-04-01 (printed in 和暦)",
            json!({ "type": ["string", "null"], "pattern": "^\\s*\\d{4}-\\d{2}-\\d{2}\\s*$" }),
        ),
        FieldKind::Series => (
            "One value per column (a list), one text for all columns, or items { text, span }",
            json!({ "oneOf": [
                { "type": ["string", "null"] },
                { "type": "array", "items": { "oneOf": [
                    { "type": ["string", "number", "null"] },
                    { "type": "object", "additionalProperties": false, "required": ["text"],
                      "properties": { "text": { "type": "string" }, "span": { "type": "integer", "minimum": 1 } } }
                ] } }
            ] }),
        ),
        _ => (
            "Text (new lines start paragraphs; ・ bullets hang; 【見出し】 lines stay with the next line)",
            json!({ "type": ["string", "number", "null"] }),
        ),
    };
    schema["description"] = json!(format!("{description}. Printed in {place}."));
    schema
}

/// The text of the label beside each cell that prints a field: the last
/// label before it in the same row, by cell path.
fn field_labels(layout: &CheckedLayout) -> HashMap<YamlPath, String> {
    let mut out = HashMap::new();
    let mut last: Option<(YamlPath, String)> = None; // (row path, label)
    for cell in layout.cells() {
        // `….rows[r].cells[c]` → `….rows[r]`
        let row = cell.path.parent().and_then(YamlPath::parent).cloned().unwrap_or_default();
        if let CellKind::Label(label) = &cell.kind {
            last = Some((row, label.replace('\n', "")));
        } else if let Some((label_row, label)) = &last {
            // A label labels the cells of its own row and of rows nested in it.
            if row.starts_with(label_row) {
                out.insert(cell.path.clone(), label.clone());
            }
        }
    }
    out
}
