//! A data file: which layout it fills, and the values of its fields.

use serde::Deserialize;

/// A whole data file (`data/**/*.yaml`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    /// The layout to fill: a name (`shinko-kanri`, looked up as
    /// `layouts/shinko-kanri.yaml` in this file's folder or any folder above
    /// it) or a path relative to this file.
    pub layout: String,
    /// Field values by the field names the layout's cells use. A field left
    /// out, or given as `~` or `""`, prints as a blank cell.
    #[serde(default)]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub fields: serde_yaml::Mapping,
}
