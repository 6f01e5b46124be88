//! Lengths with their unit: millimetres ([`Mm`]) as layouts write them,
//! points ([`Pt`]) as pages are drawn. Converting between them happens here
//! and nowhere else.
//!
//! Both are read from YAML through a check: a length is a finite number, at
//! least 0 and at most [`MAX_LENGTH`] (a layout that says `.nan`, `-.inf` or
//! `-5` is refused where it says so, before anything is laid out). Whether a
//! length may be 0, or how large a font may be, is decided by validation.

use std::fmt;

/// The largest length or size a layout may give, in its own unit (10 m,
/// or 10,000 pt): far beyond any paper, small enough that nothing computed
/// from it overflows.
pub const MAX_LENGTH: f32 = 10_000.0;

/// A length in millimetres, as layouts give widths, heights, margins and
/// padding.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, serde::Serialize)]
#[serde(transparent)]
pub struct Mm(f32);

/// A length in points (1/72 inch), as layouts give font sizes and rule
/// weights, and as layout places everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, serde::Serialize)]
#[serde(transparent)]
pub struct Pt(f32);

impl Mm {
    /// A checked length: finite, not negative, at most [`MAX_LENGTH`].
    pub fn new(v: f32) -> Result<Mm, String> {
        check(v, "mm").map(Mm)
    }

    /// A length the code itself gives (a default).
    pub(crate) fn from_f32(v: f32) -> Mm {
        Mm(v)
    }

    /// The number of millimetres.
    pub fn get(self) -> f32 {
        self.0
    }

    /// The same length in points.
    pub fn to_pt(self) -> Pt {
        Pt(self.0 * 72.0 / 25.4)
    }
}

impl Pt {
    /// A checked length: finite, not negative, at most [`MAX_LENGTH`].
    pub fn new(v: f32) -> Result<Pt, String> {
        check(v, "pt").map(Pt)
    }

    /// A length computed by layout (sums and shares of checked lengths).
    pub(crate) fn from_f32(v: f32) -> Pt {
        Pt(v)
    }

    /// The number of points.
    pub fn get(self) -> f32 {
        self.0
    }

    /// The same length in millimetres (for messages).
    pub fn to_mm(self) -> Mm {
        Mm(self.0 * 25.4 / 72.0)
    }
}

/// Points to millimetres, for messages about lengths layout computed.
pub fn pt_to_mm(pt: f32) -> f32 {
    Pt(pt).to_mm().get()
}

impl<'de> serde::Deserialize<'de> for Mm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Mm, D::Error> {
        d.deserialize_f32(Length { unit: "mm", make: Mm::new })
    }
}

impl<'de> serde::Deserialize<'de> for Pt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pt, D::Error> {
        d.deserialize_f32(Length { unit: "pt", make: Pt::new })
    }
}

impl schemars::JsonSchema for Mm {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Mm".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        length_schema()
    }
}

impl schemars::JsonSchema for Pt {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pt".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        length_schema()
    }
}

/// What editors are told a length is.
fn length_schema() -> schemars::Schema {
    schemars::json_schema!({ "type": "number", "format": "float", "minimum": 0, "maximum": MAX_LENGTH })
}

/// Reads a number as a checked length. The check runs inside the visitor,
/// so that serde_yaml places its error at the number itself (an error
/// raised after deserialising would point at the enclosing mapping).
pub(crate) struct Length<T> {
    pub unit: &'static str,
    pub make: fn(f32) -> Result<T, String>,
}

impl<T> serde::de::Visitor<'_> for Length<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a number of {}", self.unit)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        // `+ 0.0` turns -0 into 0: nothing negative reaches the page.
        (self.make)(v as f32 + 0.0).map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_f64(v as f64)
    }
}

impl fmt::Display for Mm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} mm", self.0)
    }
}

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} pt", self.0)
    }
}

/// `v` if it is a usable length, else a message saying what is wrong with it.
fn check(v: f32, unit: &str) -> Result<f32, String> {
    if v.is_nan() {
        Err(format!("expected a number of {unit}, found `.nan`"))
    } else if v.is_infinite() {
        let sign = if v < 0.0 { "-" } else { "" };
        Err(format!("expected a finite number of {unit}, found `{sign}.inf`"))
    } else if v < 0.0 {
        Err(format!("expected a number of {unit} of at least 0, found {v}"))
    } else if v > MAX_LENGTH {
        Err(format!("{v:e} {unit} is too large (at most {MAX_LENGTH} {unit})"))
    } else {
        Ok(v)
    }
}

/// A plain ratio (a grey level, a line pitch in sizes, a gap in em) within
/// `range`, else a message for the key `key`.
pub fn check_ratio(key: &str, v: f32, range: std::ops::RangeInclusive<f32>) -> Result<(), String> {
    if v.is_finite() && range.contains(&v) {
        return Ok(());
    }
    let found = if v.is_nan() {
        "`.nan`".to_string()
    } else if v.is_infinite() {
        format!("`{}.inf`", if v < 0.0 { "-" } else { "" })
    } else {
        v.to_string()
    };
    Err(format!("`{key}` must be a number from {} to {}, found {found}", range.start(), range.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_refuse_what_cannot_be_drawn() {
        assert_eq!(Mm::new(30.0).map(Mm::get), Ok(30.0));
        assert!(Mm::new(f32::NAN).unwrap_err().contains("`.nan`"));
        assert!(Mm::new(f32::NEG_INFINITY).unwrap_err().contains("`-.inf`"));
        assert!(Pt::new(-1.0).unwrap_err().contains("at least 0, found -1"));
        assert_eq!(Mm::new(1e30).unwrap_err(), "1e30 mm is too large (at most 10000 mm)");
    }

    #[test]
    fn millimetres_to_points_and_back() {
        assert_eq!(Mm::new(25.4).unwrap().to_pt().get(), 72.0);
        assert!((pt_to_mm(72.0) - 25.4).abs() < 1e-4);
    }

    #[test]
    fn yaml_nan_is_refused_while_parsing() {
        let err = serde_yaml::from_str::<Mm>(".nan").unwrap_err().to_string();
        assert!(err.contains("expected a number of mm, found `.nan`"), "{err}");
        assert_eq!(serde_yaml::from_str::<Pt>("10.5").unwrap().get(), 10.5);
    }

    #[test]
    fn ratios_are_range_checked() {
        assert!(check_ratio("shade", 0.9, 0.0..=1.0).is_ok());
        assert!(check_ratio("shade", f32::NAN, 0.0..=1.0).unwrap_err().contains("`.nan`"));
        assert!(check_ratio("shade", 2.0, 0.0..=1.0).unwrap_err().contains("from 0 to 1, found 2"));
    }
}
