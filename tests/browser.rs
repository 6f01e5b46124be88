//! The web app driven in a real browser: headless Chromium through
//! chromedriver (Debian `chromium` + `chromium-driver`; `.ci/run`
//! installs them). Skipped, with a message, when they are not installed.
//!
//! A clerk opens the 進行管理表, changes 事務事業名 and 達成度, sees the
//! preview change, saves, and the saved YAML renders to the same values;
//! starts a new sheet from the layout; types a character no font has and
//! reads the message next to the field.
//!
//! Screenshots go to the test's temp folder, and to `docs/images/` as
//! `serve-*.png` with `YOSHIKI_SCREENSHOTS=docs/images`. The time from a
//! keystroke to the updated preview is printed (`--nocapture`), never
//! asserted.

mod common;
#[path = "common/server.rs"]
mod server;
#[path = "common/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;

use common::{copy_dir_all, manifest_dir, pdftotext, TempDir};
use serde_json::{json, Value as Json};
use server::Served;
use webdriver::{browser_paths, Browser};

/// Decode a PNG into (width, height, RGBA-or-grey bytes).
fn pixels(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// How many bytes of two same-sized images differ.
fn difference(a: &[u8], b: &[u8]) -> usize {
    let (wa, ha, pa) = pixels(a);
    let (wb, hb, pb) = pixels(b);
    assert_eq!((wa, ha), (wb, hb), "same page size");
    pa.iter().zip(&pb).filter(|(x, y)| x != y).count()
}

fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

struct Shots {
    dirs: Vec<PathBuf>,
}

impl Shots {
    fn save(&self, browser: &Browser, name: &str) {
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        for dir in &self.dirs {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("serve-{name}.png")), &png).unwrap();
        }
    }
}

/// The page image the preview shows now (page `n`), fetched again.
fn preview_image(b: &Browser, s: &Served, n: usize) -> Vec<u8> {
    let src = b.script("return document.querySelectorAll('#pages img')[arguments[0]].src;", json!([n - 1]));
    let path = src.as_str().expect("an image").split_once(&s.addr).expect("our server").1.to_string();
    let r = s.get(&path);
    assert_eq!(r.status, 200, "{path}");
    r.body
}

/// Wait for a rendering newer than `after`, all its pages loaded.
fn wait_rendering(b: &Browser, after: u64) -> (u64, f64) {
    let v = b.wait_for(
        "the preview",
        "const d = document.body.dataset; const n = Number(d.rendering || 0);
         const imgs = [...document.querySelectorAll('#pages img')];
         return n > arguments[0] && imgs.length > 0 && imgs.every(i => i.complete) ? [n, Number(d.previewMs)] : null;",
        json!([after]),
    );
    (v[0].as_u64().unwrap(), v[1].as_f64().unwrap())
}

/// Wait until every change is in the preview and its pages are loaded;
/// the form's values then.
fn wait_idle(b: &Browser) -> Json {
    b.wait_for(
        "the preview of every change",
        "return document.body.dataset.idle === '1'
           && [...document.querySelectorAll('#pages img')].every(i => i.complete) ? window.yoshikiValues() : null;",
        json!([]),
    )
}

fn rendering(b: &Browser) -> u64 {
    b.script("return Number(document.body.dataset.rendering || 0);", json!([])).as_u64().unwrap()
}

#[test]
fn a_clerk_fills_a_form_in_the_browser() {
    let Some((chromium, driver)) = browser_paths() else {
        eprintln!(
            "skipping the browser tests: chromium and chromedriver are not installed \
             (apt-get install -y chromium chromium-driver)"
        );
        return;
    };
    let started = std::time::Instant::now();
    let dir = TempDir::new("browser");
    let root = dir.join("project");
    for sub in ["layouts", "data", "schema"] {
        copy_dir_all(&manifest_dir().join(sub), &root.join(sub));
    }
    let mut shots = Shots { dirs: vec![dir.join("shots")] };
    if let Some(d) = std::env::var_os("YOSHIKI_SCREENSHOTS") {
        shots.dirs.push(manifest_dir().join(d));
    }
    let s = Served::start(&root, &[]);
    let url = format!("http://{}", s.addr);
    let b = Browser::start(&chromium, &driver, &dir.join("profile"), 1360, 900);

    eprintln!("browser {:>5.1} s: home page", started.elapsed().as_secs_f64());
    // The home page lists the sheets and the forms.
    b.goto(&format!("{url}/"));
    let home = b.script("return document.body.innerText;", json!([]));
    assert!(home.as_str().unwrap().contains("data/shinko-kanri/r07-no06.yaml"), "{home}");
    assert!(home.as_str().unwrap().contains("重点事務事業進行管理表"), "{home}");
    b.wait_for("fonts", "return document.fonts.status === 'loaded';", json!([]));
    shots.save(&b, "home");

    eprintln!("browser {:>5.1} s: edit page", started.elapsed().as_secs_f64());
    // Open the 進行管理表 №6.
    b.click("a[href='/edit?file=data/shinko-kanri/r07-no06.yaml']");
    wait_rendering(&b, 0);
    let labels = b.script(
        "return [...document.querySelectorAll('#form .field > .label .ja')].map(e => e.textContent);",
        json!([]),
    );
    let labels: Vec<&str> = labels.as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(&labels[..5], ["年度", "№", "進行管理者", "事務事業名", "事業の概要"]);
    assert!(labels.contains(&"中間評価 達成度"), "{labels:?}");
    // Multi-line text is shown exactly: line breaks and bullets.
    let mokuhyo = b.script("return document.querySelector('.field[data-name=mokuhyo] .value').value;", json!([]));
    assert!(
        mokuhyo.as_str().unwrap().starts_with("【人材育成】\n・人材育成基本方針の見直し\n国の人材育成基本方針"),
        "{mokuhyo}"
    );
    let printed = b.script("return document.querySelector('.field[data-name=nendo] .printed').textContent;", json!([]));
    assert_eq!(printed, "→ 令和７年度");
    let before = preview_image(&b, &s, 1);

    eprintln!("browser {:>5.1} s: change two fields", started.elapsed().as_secs_f64());
    // Change 事務事業名 and 達成度: the preview follows.
    b.clear(".field[data-name=jigyomei] .value");
    b.type_text(".field[data-name=jigyomei] .value", "ブラウザで記入した事業");
    b.click(".field[data-name=chukan_tasseido] input[value='目標どおり']");
    let values = wait_idle(&b);
    assert_eq!(values["jigyomei"], "ブラウザで記入した事業");
    let after = preview_image(&b, &s, 1);
    let changed = difference(&before, &after);
    assert!(changed > 500, "the preview changed ({changed} bytes of pixels differ)");
    // The 達成度 on the left, the circled 目標どおり on the right (page 2).
    b.script(
        "document.querySelector('.field[data-name=chukan_tasseido]').scrollIntoView({block: 'center'});
         const pv = document.querySelector('.preview'), p = document.querySelectorAll('#pages img')[1];
         pv.scrollTop += p.getBoundingClientRect().top - pv.getBoundingClientRect().top + p.height * 0.28;",
        json!([]),
    );
    shots.save(&b, "edit");

    eprintln!("browser {:>5.1} s: save", started.elapsed().as_secs_f64());
    // Save: the YAML on disk holds the form's values and renders them.
    b.click("#save");
    b.wait_for("the save", "return document.body.dataset.saved === '1';", json!([]));
    let seed = root.join("data/shinko-kanri/r07-no06.yaml");
    let saved = std::fs::read_to_string(&seed).unwrap();
    assert!(root.join("data/shinko-kanri/r07-no06.yaml.bak").is_file());
    let form_values = b.script("return window.yoshikiValues();", json!([]));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&saved).unwrap();
    assert_round_trip(&form_values, &yaml["fields"], &saved);
    let pdf = dir.join("saved.pdf");
    let run = common::yoshiki(["render", seed.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // -raw: in drawing order, each cell's lines together (side-by-side cells
    // would interleave in reading order).
    assert_prints(&b, &form_values, &pdftotext(&pdf, &["-raw"]));

    eprintln!("browser {:>5.1} s: changed on disk", started.elapsed().as_secs_f64());
    // Changed on disk since the page saved it: both versions are shown.
    std::fs::write(&seed, saved.replace("ブラウザで記入した事業", "別の人が直した事業")).unwrap();
    b.type_text(".field[data-name=kanrisha] .value", "・副");
    wait_idle(&b);
    b.click("#save");
    let disk = b.wait_for(
        "the two versions",
        "const d = document.querySelector('#conflict'); return d.open ? document.querySelector('#disk').textContent : null;",
        json!([]),
    );
    assert!(disk.as_str().unwrap().contains("別の人が直した事業"), "{disk}");
    let ours = b.script("return document.querySelector('#ours').textContent;", json!([]));
    assert!(ours.as_str().unwrap().contains("総務部長・副"), "{ours}");
    assert!(std::fs::read_to_string(&seed).unwrap().contains("別の人が直した事業"), "nothing written yet");
    shots.save(&b, "conflict");
    b.click("#overwrite");
    b.wait_for("the second save", "return document.body.dataset.saved === '2';", json!([]));
    assert!(std::fs::read_to_string(&seed).unwrap().contains("kanrisha: 総務部長・副"));
    assert!(std::fs::read_to_string(root.join("data/shinko-kanri/r07-no06.yaml.bak"))
        .unwrap()
        .contains("別の人が直した事業"));

    eprintln!("browser {:>5.1} s: keystrokes", started.elapsed().as_secs_f64());
    // The time from a keystroke to the updated preview (printed only).
    let mut times = Vec::new();
    for i in 0..30 {
        let n = rendering(&b);
        b.type_text(".field[data-name=jigyomei] .value", if i % 2 == 0 { "あ" } else { "\u{E003}" });
        let (_, ms) = wait_rendering(&b, n);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    eprintln!(
        "keystroke → preview (進行管理表, 2 pages, 96 dpi): median {:.0} ms, p90 {:.0} ms, min {:.0}, max {:.0} ({} keystrokes)",
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[0],
        times[times.len() - 1],
        times.len()
    );

    eprintln!("browser {:>5.1} s: new sheet", started.elapsed().as_secs_f64());
    // A new sheet from the layout, and a character no font has.
    b.goto(&format!("{url}/"));
    let form = "form.new:has(input[value='layouts/shinko-kanri.yaml'])";
    b.type_text(&format!("{form} input[name=name]"), "r07-no07");
    b.click(&format!("{form} button"));
    let n = wait_rendering(&b, 0).0;
    let file = b.script("return document.querySelector('.bar .file').textContent;", json!([]));
    assert!(file.as_str().unwrap().starts_with("data/shinko-kanri/r07-no07.yaml"), "{file}");
    assert!(!root.join("data/shinko-kanri/r07-no07.yaml").exists(), "not written before saving");
    b.type_text(".field[data-name=jigyomei] .value", "新しい事業");
    b.type_text(".field[data-name=gaiyo] .value", "雪の日の行事⛄を開催する");
    let message = b.wait_for(
        "the message next to 事業の概要",
        "const m = document.querySelector('.field[data-name=gaiyo] .messages .msg.error'); return m ? m.textContent : null;",
        json!([]),
    );
    assert!(message.as_str().unwrap().contains("「⛄」"), "{message}");
    assert!(message.as_str().unwrap().contains("cannot be printed"), "{message}");
    let _ = wait_rendering(&b, n);
    wait_idle(&b);
    b.script("document.querySelector('.field[data-name=gaiyo]').scrollIntoView({block: 'center'});", json!([]));
    shots.save(&b, "error");

    b.clear(".field[data-name=gaiyo] .value");
    b.type_text(".field[data-name=gaiyo] .value", "雪の日の行事を開催する");
    b.wait_for(
        "the message to go",
        "return !document.querySelector('.field[data-name=gaiyo] .msg.error') && document.body.dataset.errors === '0';",
        json!([]),
    );
    wait_idle(&b);
    b.script("document.querySelector('#form').scrollTop = 0;", json!([]));
    shots.save(&b, "new");
    b.click("#save");
    b.wait_for("the save", "return document.body.dataset.saved === '1';", json!([]));
    let new_file = std::fs::read_to_string(root.join("data/shinko-kanri/r07-no07.yaml")).unwrap();
    assert_eq!(
        new_file,
        "# yaml-language-server: $schema=../../schema/shinko-kanri.data.schema.json\nlayout: shinko-kanri\nfields:\n  jigyomei: 新しい事業\n  gaiyo: 雪の日の行事を開催する\n"
    );
    // The page now edits the saved file.
    let location = b.script("return location.pathname + location.search;", json!([]));
    assert_eq!(location, "/edit?file=data%2Fshinko-kanri%2Fr07-no07.yaml");

    eprintln!("browser {:>5.1} s: a plan, another year", started.elapsed().as_secs_f64());
    // A plan: lists of lists, series by year, and the year switch.
    let plan = root.join("data/jinzai-plan/h30-r04.yaml");
    let render_plan = |name: &str| {
        let out = dir.join(name);
        let run = common::yoshiki(["render", plan.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        std::fs::read(out).unwrap()
    };
    let plan_before = render_plan("plan-before.pdf");
    b.goto(&format!("{url}/edit?file=data%2Fjinzai-plan%2Fh30-r04.yaml"));
    wait_rendering(&b, 0);
    wait_idle(&b);
    let years = b.script("return [...document.querySelectorAll('#year option')].map(o => o.textContent);", json!([]));
    assert_eq!(years, json!(["H30", "R1", "R2", "R3", "R4"]));
    assert_eq!(
        b.script("return document.querySelector('#year').value;", json!([])),
        "2022",
        "the last year by default"
    );
    let cols = b.script("return [...document.querySelectorAll('.field[data-name=schedule] .cols')].slice(0, 5).map(c => c.textContent);", json!([]));
    assert_eq!(cols, json!(["H30", "R1", "R2", "R3", "R4"]), "series columns are named by year");
    let before = preview_image(&b, &s, 1);
    let n = rendering(&b);
    b.script(
        "const y = document.querySelector('#year'); y.value = '2020'; y.dispatchEvent(new Event('change'));",
        json!([]),
    );
    wait_rendering(&b, n);
    wait_idle(&b);
    let after = preview_image(&b, &s, 1);
    assert!(difference(&before, &after) > 500, "the R2 report differs from the R4 one");
    let href = b.script("return document.querySelector('#pdf').getAttribute('href');", json!([]));
    let pdf = s.get(href.as_str().unwrap());
    assert_eq!(pdf.status, 200);
    assert!(
        pdf.header("content-disposition").unwrap().contains("h30-r04-2020.pdf"),
        "{:?}",
        pdf.header("content-disposition")
    );
    let year_pdf = dir.join("r2.pdf");
    std::fs::write(&year_pdf, &pdf.body).unwrap();
    assert!(strip(&pdftotext(&year_pdf, &[])).contains("報告年度：令和2年度"));
    shots.save(&b, "plan");
    // Saved as the page holds it (every list and series through the
    // form), the plan prints the very same bytes.
    b.click("#save");
    b.wait_for("the save", "return document.body.dataset.saved === '1';", json!([]));
    assert!(render_plan("plan-after.pdf") == plan_before, "the plan prints differently once saved from the page");
}

/// Every non-blank value of the form is in the saved YAML, as text, and
/// the YAML has nothing else.
fn assert_round_trip(form: &Json, yaml: &serde_yaml::Value, saved: &str) {
    let form = form.as_object().unwrap();
    let scalar = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => panic!("a scalar, found {other:?}"),
    };
    let mut filled = 0;
    for (key, value) in form {
        let text = value.as_str().unwrap_or_default();
        let on_disk = yaml.get(key.as_str());
        if text.trim().is_empty() {
            assert!(on_disk.is_none(), "{key} is blank but saved:\n{saved}");
        } else {
            assert_eq!(on_disk.map(scalar).as_deref(), Some(text), "{key}:\n{saved}");
            filled += 1;
        }
    }
    assert_eq!(yaml.as_mapping().unwrap().len(), filled, "nothing else saved:\n{saved}");
}

/// Every line of every text value of the form, and the printed form of
/// every amount, number and year, is in the PDF's text. (Line by line: a
/// cell too long for the page continues on the next, under its labels
/// again, between two of its lines.)
fn assert_prints(b: &Browser, form: &Json, text: &str) {
    let text = strip(text);
    let kinds = b.script(
        "return Object.fromEntries([...document.querySelectorAll('#form .field')].map(f => [f.dataset.name,
           [f.dataset.kind, (f.querySelector('.printed') || {}).textContent || '']]));",
        json!([]),
    );
    for (key, value) in form.as_object().unwrap() {
        let v = value.as_str().unwrap_or_default();
        if v.trim().is_empty() {
            continue;
        }
        let kind = kinds[key][0].as_str().unwrap();
        let wants: Vec<String> = match kind {
            "text" | "choice" => v.lines().map(strip).filter(|l| !l.is_empty()).collect(),
            _ => vec![strip(kinds[key][1].as_str().unwrap().trim_start_matches("→ "))],
        };
        for want in wants {
            assert!(!want.is_empty(), "{key}: no printed form");
            assert!(text.contains(&want), "{key} ({kind}) = {want:?} is not in the PDF");
        }
    }
}
