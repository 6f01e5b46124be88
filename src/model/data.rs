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

/// A scalar of a data file as it is written: what is typed is what is
/// printed (`3.10` stays `3.10`, `007` stays `007`), and what YAML would
/// change (a folded `>-` text merging its lines) can be warned about.
/// Collected by [`crate::source::Source::scalars`], keyed by their path
/// (`fields.naiyo`, `fields.entries[2].biko`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The value: for a plain scalar its text unresolved (`3.10`, `0x10`,
    /// `1e3`, `+12`); for a quoted or block scalar the text YAML reads.
    pub value: String,
    pub style: ScalarStyle,
    /// The tag as written (`!!str`, `!!binary`, `!custom`), if any.
    pub tag: Option<String>,
    /// The source lines of a folded or plain scalar that spans several
    /// lines (its first line included), else nothing.
    pub lines: Vec<String>,
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`, `|-`: lines kept.
    Literal,
    /// `>`, `>-`: lines folded into one.
    Folded,
}

/// The scalars of a file by path (as `YamlPath` prints it).
pub type Scalars = std::collections::BTreeMap<String, Scalar>;
