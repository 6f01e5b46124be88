//! Templates: texts with `{name}` placeholders (`【{heading}】`,
//! `{page} / {pages}`), filled in by
//! [`crate::eval::scope::Scope::render`].

/// Names a text may use in `{…}` without a field of that name.
pub const BUILT_IN_PLACEHOLDERS: [&str; 4] = ["period", "report_year", "page", "pages"];

/// Does `text` hold a placeholder (and so need filling in)?
pub fn is_template(text: &str) -> bool {
    text.contains('{')
}

/// The `{name}` placeholders of a template, in order (spaces inside the
/// braces allowed: `{ name }`).
pub fn placeholders(template: &str) -> Vec<&str> {
    placeholder_tokens(template).into_iter().map(|(_, name)| name).collect()
}

/// Each placeholder as written (`{ name }`) and its name.
pub fn placeholder_tokens(template: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = template[at..].find('{').map(|i| at + i) {
        let Some(len) = template[open + 1..].find('}') else { break };
        let token = &template[open..open + len + 2];
        out.push((token, template[open + 1..open + 1 + len].trim()));
        at = open + len + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(placeholders("{no} {naiyo}"), ["no", "naiyo"]);
        assert_eq!(placeholders("【{heading}】"), ["heading"]);
        assert_eq!(placeholder_tokens("{ page } / {pages}"), [("{ page }", "page"), ("{pages}", "pages")]);
        assert!(placeholders("no braces").is_empty());
    }
}
