//! The HTML pages: the home page (forms and data files), the edit page's
//! frame (the form itself is built in the browser from the outline sent
//! with it, see `assets/app.js`), and error pages.
//!
//! Everything the user controls (file names, titles, values, messages) is
//! written through [`escape`] or, for the data handed to the script,
//! [`json_for_script`]; nothing else builds HTML.

use serde_json::{json, Value as Json};

use super::http::percent_encode;
use crate::outline::{Field, FieldKind, Outline};

/// Text for HTML (element content and quoted attribute values).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON inside `<script type="application/json">`: no `<` at all, so
/// that no value can close the element (`</script>`) or open a comment.
pub fn json_for_script(value: &Json) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// A whole page around `body`.
fn page(title: &str, class: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — yoshiki</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head>\n\
         <body class=\"{class}\">\n{body}\n<script src=\"/assets/app.js\"></script>\n</body></html>\n",
        escape(title)
    )
}

/// A form (layout) on the home page.
pub struct LayoutEntry {
    pub path: String,
    pub title: String,
    pub error: Option<String>,
}

/// A data file on the home page.
pub struct DataEntry {
    pub path: String,
    pub layout: String,
}

/// The home page: the data files to open and the forms to start from.
pub fn home(root: &str, layouts: &[LayoutEntry], data: &[DataEntry]) -> String {
    let mut body = format!(
        "<header class=\"bar\"><h1>yoshiki <span class=\"sub\">様式</span></h1>\
         <span class=\"where\" title=\"the project folder\">{}</span></header>\n<main class=\"home\">\n",
        escape(root)
    );
    body.push_str("<section><h2>記入した様式 <span class=\"en\">Filled sheets</span></h2>\n");
    if data.is_empty() {
        body.push_str(
            "<p class=\"empty\">No data files under <code>data/</code> yet: start one from a form below.</p>\n",
        );
    } else {
        body.push_str("<table class=\"files\"><thead><tr><th>File</th><th>Form</th></tr></thead><tbody>\n");
        for d in data {
            body.push_str(&format!(
                "<tr><td><a href=\"/edit?file={}\">{}</a></td><td>{}</td></tr>\n",
                escape(&percent_encode(&d.path)),
                escape(&d.path),
                escape(&d.layout)
            ));
        }
        body.push_str("</tbody></table>\n");
    }
    body.push_str("</section>\n<section><h2>様式 <span class=\"en\">Forms</span></h2>\n");
    if layouts.is_empty() {
        body.push_str("<p class=\"empty\">No layouts under <code>layouts/</code>.</p>\n");
    }
    for l in layouts {
        body.push_str(&format!(
            "<div class=\"layout\"><h3>{}</h3><code>{}</code>\n",
            escape(&l.title),
            escape(&l.path)
        ));
        match &l.error {
            Some(e) => body.push_str(&format!("<pre class=\"error\">{}</pre>\n", escape(e))),
            None => body.push_str(&format!(
                "<form action=\"/new\" method=\"get\" class=\"new\">\
                 <input type=\"hidden\" name=\"layout\" value=\"{path}\">\
                 <label>新しいファイル名 <span class=\"en\">new file name</span> \
                 <input name=\"name\" required maxlength=\"80\" placeholder=\"r07-no07\"></label>\
                 <button type=\"submit\">新しい様式に記入 <span class=\"en\">New sheet</span></button></form>\
                 <a class=\"button\" href=\"/blank?layout={url}\" target=\"_blank\">白紙の様式 <span class=\"en\">Blank form (PDF)</span></a>\n",
                path = escape(&l.path),
                url = escape(&percent_encode(&l.path)),
            )),
        }
        body.push_str("</div>\n");
    }
    body.push_str("</section>\n</main>");
    page("yoshiki", "home", &body)
}

/// What the edit page needs: passed to the script as JSON.
pub struct EditPage<'a> {
    pub title: &'a str,
    pub file: &'a str,
    pub layout: &'a str,
    pub is_new: bool,
    pub session: &'a str,
    pub token: &'a str,
    pub base: &'a str,
    pub outline: &'a Outline,
    pub values: &'a Json,
}

/// The edit page: the bar (save, PDF, blank form, year), the form (built
/// by the script) and the preview.
pub fn edit(p: &EditPage) -> String {
    let boot = json!({
        "page": "edit",
        "file": p.file,
        "layout": p.layout,
        "new": p.is_new,
        "session": p.session,
        "token": p.token,
        "base": p.base,
        "plan": p.outline.period.is_some(),
        "outline": fields_json(&p.outline.fields),
        "values": p.values,
    });
    let body = format!(
        "<script type=\"application/json\" id=\"boot\">{boot}</script>\n\
         <header class=\"bar\">\
         <a class=\"back\" href=\"/\" title=\"all sheets and forms\">← 一覧</a>\
         <h1>{title}</h1><span class=\"file\">{file}{new}</span>\
         <span id=\"status\" class=\"status\" role=\"status\"></span>\
         <label id=\"year-box\" class=\"year\" hidden>報告年度 <select id=\"year\" title=\"the plan year to show (--year)\"></select></label>\
         <button id=\"save\" type=\"button\" title=\"Save (Ctrl+S)\">保存 <span class=\"en\">Save</span></button>\
         <a id=\"pdf\" class=\"button\" href=\"#\" title=\"download the PDF of what the preview shows\">PDF</a>\
         <a id=\"blank\" class=\"button\" href=\"/blank?layout={layout_url}\" target=\"_blank\" title=\"the blank form, for handwriting\">白紙 <span class=\"en\">Blank</span></a>\
         </header>\n\
         <main class=\"edit\">\
         <section id=\"form\" class=\"form\" aria-label=\"the form's fields\"></section>\
         <section class=\"preview\" aria-label=\"preview\"><div id=\"general\" class=\"general\"></div><div id=\"pages\"></div></section>\
         </main>\n\
         <dialog id=\"conflict\"><h2>The file was changed on disk since you opened it</h2>\
         <p>Someone (or another program) saved <code>{file}</code> after this page opened it. Compare, then keep one.</p>\
         <div class=\"both\"><div><h3>On disk now</h3><pre id=\"disk\"></pre></div><div><h3>Yours (this page)</h3><pre id=\"ours\"></pre></div></div>\
         <div class=\"actions\"><button id=\"overwrite\" type=\"button\">Save mine over it</button>\
         <button id=\"keep\" type=\"button\">Cancel (keep editing)</button></div></dialog>",
        boot = json_for_script(&boot),
        title = escape(p.title),
        file = escape(p.file),
        new = if p.is_new { " <em>(new, not saved yet)</em>" } else { "" },
        layout_url = escape(&percent_encode(p.layout)),
    );
    page(p.title, "edit", &body)
}

/// The outline as the script reads it.
fn fields_json(fields: &[Field]) -> Json {
    Json::Array(
        fields
            .iter()
            .map(|f| {
                let mut j =
                    json!({ "name": f.name, "label": f.label, "kind": f.kind.key(), "hint": f.kind.describe() });
                match &f.kind {
                    FieldKind::Text { multiline } => j["multiline"] = json!(multiline),
                    FieldKind::Choice { options } => j["options"] = json!(options),
                    FieldKind::Series { columns, years, multiline } => {
                        j["columns"] = json!(columns);
                        j["years"] = json!(years);
                        j["multiline"] = json!(multiline);
                    }
                    FieldKind::List { fields } => j["fields"] = fields_json(fields),
                    _ => {}
                }
                j
            })
            .collect(),
    )
}

/// A page saying what went wrong, with a way back.
pub fn error(title: &str, message: &str) -> String {
    let body = format!(
        "<header class=\"bar\"><a class=\"back\" href=\"/\">← 一覧</a><h1>{}</h1></header>\n\
         <main class=\"message\"><pre class=\"error\">{}</pre></main>",
        escape(title),
        escape(message)
    );
    page(title, "error", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_make_markup() {
        assert_eq!(escape("<script>\"x\"&'"), "&lt;script&gt;&quot;x&quot;&amp;&#39;");
        let j = json_for_script(&json!({ "v": "</script><!--" }));
        assert!(!j.contains('<') && !j.contains('>'), "{j}");
        let back: Json = serde_json::from_str(&j).unwrap();
        assert_eq!(back["v"], "</script><!--");
    }
}
