//! Text with `{expressions}`: labels, block text, footers.
//!
//! `{` opens an expression and the matching `}` closes it: braces inside
//! are counted (`{if x { "a" } else { "b" }}`) and quotes are respected
//! (`{join(list, "}")}`). `{{` and `}}` print a literal brace.

use super::{Env, ErrorKind, Expr, ExprError, Printer, Val};

/// One piece of a template.
#[derive(Debug, Clone)]
pub enum Part {
    /// Printed as is.
    Text(String),
    /// Evaluated and printed; `offset` is the character offset of the
    /// expression (after the `{`) in the template.
    Expr { expr: Expr, offset: usize },
}

/// A compiled template.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

impl Template {
    /// Split `source` into text and expressions and compile each
    /// expression. Error offsets count characters from the start of the
    /// template.
    pub fn compile(source: &str) -> Result<Template, ExprError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let chars: Vec<char> = source.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match (chars[i], chars.get(i + 1)) {
                ('{', Some('{')) | ('}', Some('}')) => {
                    text.push(chars[i]);
                    i += 2;
                }
                ('{', _) => {
                    let start = i + 1;
                    let end = closing_brace(&chars, start).ok_or_else(|| {
                        ExprError::new(ErrorKind::Syntax, "this `{` is not closed")
                            .at(Some(i))
                            .with_help(Some("close the expression with `}`, or write `{{` for a literal {".into()))
                    })?;
                    let inner: String = chars[start..end].iter().collect();
                    if inner.trim().is_empty() {
                        return Err(ExprError::new(ErrorKind::Syntax, "`{}` holds no expression")
                            .at(Some(i))
                            .with_help(Some("name a field inside, as in {name}".into())));
                    }
                    let expr = Expr::compile(&inner).map_err(|e| shift(e, start))?;
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Expr { expr, offset: start });
                    i = end + 1;
                }
                ('}', _) => {
                    return Err(ExprError::new(ErrorKind::Syntax, "this `}` closes nothing")
                        .at(Some(i))
                        .with_help(Some("write `}}` for a literal }".into())));
                }
                (c, _) => {
                    text.push(c);
                    i += 1;
                }
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { source: source.to_string(), parts })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// True when the template has no expression (plain text).
    pub fn is_plain(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Text(_)))
    }

    /// Every name the expressions read, once each, in order.
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for part in &self.parts {
            if let Part::Expr { expr, .. } = part {
                for name in expr.names() {
                    if !out.contains(&name.as_str()) {
                        out.push(name);
                    }
                }
            }
        }
        out
    }

    /// The text with every expression evaluated and printed by `format`
    /// (for example `|v| Printer::default().print(v)`), which may refuse a
    /// value (a list, a condition) with a message.
    pub fn render(&self, env: &dyn Env, format: &dyn Fn(&Val) -> Result<String, String>) -> Result<String, ExprError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Expr { expr, offset } => {
                    let value = expr.eval(env).map_err(|e| shift(e, *offset))?;
                    let printed = format(&value).map_err(|m| ExprError::new(ErrorKind::Type, m).at(Some(*offset)))?;
                    out.push_str(&printed);
                }
            }
        }
        Ok(out)
    }
}

impl Template {
    /// [`Template::render`] with the form's default printing
    /// ([`Printer::default`]: full-width digits, 和暦 dates, blank as nothing).
    pub fn render_default(&self, env: &dyn Env) -> Result<String, ExprError> {
        let printer = Printer::default();
        self.render(env, &|v| printer.print(v))
    }
}

/// An error of an expression, located in the template.
fn shift(mut e: ExprError, by: usize) -> ExprError {
    e.offset = Some(e.offset.unwrap_or(0) + by);
    e
}

/// The index of the `}` closing an expression that starts at `start`:
/// nested braces are counted; quoted text ("…", '…', `…`) is skipped.
fn closing_brace(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            quote @ ('"' | '\'' | '`') => {
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}
