//! `yoshiki serve` as an attacker and a clerk meet it: the real binary on
//! a loopback port, raw HTTP requests. Every refusal is checked for its
//! status and for having written nothing (a snapshot of the project and
//! of a folder outside it before and after).

mod common;
#[path = "common/server.rs"]
mod server;

use std::path::Path;

use common::{copy_dir_all, manifest_dir, pdftotext, TempDir};
use server::{snapshot, Served};

/// A copy of the project (layouts, data, schema) in `dir/project`, and a
/// folder `dir/outside` beside it holding a valid data file.
fn project(dir: &TempDir) -> (std::path::PathBuf, std::path::PathBuf) {
    let root = dir.join("project");
    for sub in ["layouts", "data", "schema"] {
        copy_dir_all(&manifest_dir().join(sub), &root.join(sub));
    }
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.yaml"), "layout: shinko-kanri\nfields:\n  jigyomei: 秘密\n").unwrap();
    (root, outside)
}

/// `f` leaves every file in `dirs` as it was.
fn writes_nothing(dirs: &[&Path], f: impl FnOnce()) {
    let before: Vec<_> = dirs.iter().map(|d| snapshot(d)).collect();
    f();
    let after: Vec<_> = dirs.iter().map(|d| snapshot(d)).collect();
    for (b, a) in before.iter().zip(&after) {
        let names = |s: &Vec<(std::path::PathBuf, Vec<u8>)>| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(b), names(a), "files appeared or vanished");
        assert!(b == a, "a file changed");
    }
}

const SEED: &str = "/edit?file=data%2Fshinko-kanri%2Fr07-no06.yaml";

#[test]
fn a_foreign_host_is_refused() {
    let dir = TempDir::new("serve_host");
    let (root, outside) = project(&dir);
    let s = Served::start(&root, &[]);
    writes_nothing(&[&root, &outside], || {
        for host in ["evil.example", &format!("evil.example:{}", s.addr.rsplit(':').next().unwrap()), "127.0.0.1:1"] {
            let r = s.raw(format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
            assert_eq!(r.status, 421, "Host: {host}");
            let r = s.raw(format!("GET {SEED} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
            assert_eq!(r.status, 421, "Host: {host}");
            assert!(!r.text().contains("職員"), "nothing of the data is shown");
        }
        let r = s.raw(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert_eq!(r.status, 421, "no Host at all");
        // With a token, a rebound name still does not get through.
        let token = s.edit_page(SEED)["token"].as_str().unwrap().to_string();
        let r = s.raw(
            format!("POST /api/save HTTP/1.1\r\nHost: evil.example\r\nX-Yoshiki-Token: {token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}")
                .as_bytes(),
        );
        assert_eq!(r.status, 421);
    });
    assert!(s.get("/").status == 200 && s.get("/").text().contains("r07-no06.yaml"));
}

#[test]
fn state_changes_need_the_token() {
    let dir = TempDir::new("serve_token");
    let (root, outside) = project(&dir);
    let s = Served::start(&root, &[]);
    let boot = s.edit_page(SEED);
    let session = boot["session"].as_str().unwrap();
    let base = boot["base"].as_str().unwrap();
    let body =
        serde_json::json!({ "session": session, "base": base, "fields": { "jigyomei": "書き換え" } }).to_string();
    writes_nothing(&[&root, &outside], || {
        for token in [None, Some("wrong"), Some("")] {
            for api in ["/api/save", "/api/preview"] {
                let r = s.post(api, token, &body);
                assert_eq!(r.status, 403, "{api} with token {token:?}: {}", r.text());
            }
        }
        // The right token from another site's page is refused too.
        let r = s.raw(
            format!(
                "POST /api/save HTTP/1.1\r\nHost: {}\r\nOrigin: http://evil.example\r\nX-Yoshiki-Token: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                s.addr,
                boot["token"].as_str().unwrap(),
                body.len()
            )
            .as_bytes(),
        );
        assert_eq!(r.status, 403);
    });
}

#[test]
fn paths_out_of_the_project_are_refused() {
    let dir = TempDir::new("serve_paths");
    let (root, outside) = project(&dir);
    let s = Served::start(&root, &[]);
    writes_nothing(&[&root, &outside], || {
        for (target, want) in [
            ("/edit?file=../outside/secret.yaml", 400),
            ("/edit?file=..%2Foutside%2Fsecret.yaml", 400),
            ("/edit?file=data%2F..%2F..%2Foutside%2Fsecret.yaml", 400),
            ("/edit?file=%2Fetc%2Fpasswd", 400),
            ("/edit?file=data/%2e%2e/%2e%2e/outside/secret.yaml", 400),
            ("/edit?file=data%5C..%5C..%5Coutside%5Csecret.yaml", 400),
            // Decoded once: a file literally named `%2e%2e%2f…`, which is not there.
            ("/edit?file=%252e%252e%252foutside%252fsecret.yaml", 404),
            ("/edit?file=.git%2Fconfig", 400),
            ("/edit?file=data%2Fnone.yaml", 404),
            ("/blank?layout=..%2Foutside%2Fsecret.yaml", 400),
            ("/blank?layout=%2Fetc%2Fpasswd", 400),
            ("/new?layout=layouts%2Fshinko-kanri.yaml&name=..%2F..%2F..%2Foutside%2Fx", 400),
            ("/new?layout=layouts%2Fshinko-kanri.yaml&name=..", 400),
            ("/new?layout=..%2Foutside%2Fsecret.yaml&name=x", 400),
            ("/../outside/secret.yaml", 404),
            ("/%2e%2e/outside/secret.yaml", 404),
            ("/s/..%2F..%2Foutside/1.pdf", 404),
            ("/assets/..%2F..%2FCargo.toml", 404),
        ] {
            let r = s.get(target);
            assert_eq!(r.status, want, "{target}: {}", r.text());
            assert!(!r.text().contains("秘密"), "{target} showed the outside file");
        }
    });
    assert!(s.alive());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("serve_symlinks");
    let (root, outside) = project(&dir);
    symlink(outside.join("secret.yaml"), root.join("data/shinko-kanri/link.yaml")).unwrap();
    symlink(&outside, root.join("data/out")).unwrap();
    std::fs::copy(outside.join("secret.yaml"), outside.join("layout-like.yaml")).unwrap();
    symlink(&outside, root.join("layouts/elsewhere")).unwrap();
    let s = Served::start(&root, &[]);
    writes_nothing(&[&root, &outside], || {
        for target in [
            "/edit?file=data%2Fshinko-kanri%2Flink.yaml",
            "/edit?file=data%2Fout%2Fsecret.yaml",
            "/blank?layout=layouts%2Felsewhere%2Flayout-like.yaml",
        ] {
            let r = s.get(target);
            assert_eq!(r.status, 403, "{target}: {}", r.text());
            assert!(!r.text().contains("秘密"));
        }
        let home = s.get("/").text();
        assert!(!home.contains("link.yaml") && !home.contains("data/out"), "links out are not listed:\n{home}");
    });
    // A data file whose layout is reached through a link out is refused.
    std::fs::write(root.join("data/via-link.yaml"), "layout: ../layouts/elsewhere/layout-like.yaml\nfields: {}\n")
        .unwrap();
    writes_nothing(&[&root, &outside], || {
        assert_eq!(s.get("/edit?file=data%2Fvia-link.yaml").status, 403);
    });
    // A new sheet into a folder that is a link out is refused.
    std::fs::remove_dir_all(root.join("data/shinko-kanri")).unwrap();
    symlink(&outside, root.join("data/shinko-kanri")).unwrap();
    writes_nothing(&[&root, &outside], || {
        let r = s.get("/new?layout=layouts%2Fshinko-kanri.yaml&name=x");
        assert_eq!(r.status, 403, "{}", r.text());
    });
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_link_out_is_not_saved_through() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("serve_save_link");
    let (root, outside) = project(&dir);
    let s = Served::start(&root, &[]);
    let boot = s.edit_page(SEED);
    let (token, session) = (boot["token"].as_str().unwrap(), boot["session"].as_str().unwrap());
    let seed = root.join("data/shinko-kanri/r07-no06.yaml");
    std::fs::remove_file(&seed).unwrap();
    symlink(outside.join("secret.yaml"), &seed).unwrap();
    let body =
        serde_json::json!({ "session": session, "base": boot["base"], "fields": { "jigyomei": "上書き" } }).to_string();
    writes_nothing(&[&root, &outside], || {
        let r = s.post("/api/save", Some(token), &body);
        assert_eq!(r.status, 403, "{}", r.text());
    });
}

#[test]
fn oversized_requests_are_refused() {
    let dir = TempDir::new("serve_sizes");
    let (root, outside) = project(&dir);
    let s = Served::start(&root, &[]);
    let token = s.edit_page(SEED)["token"].as_str().unwrap().to_string();
    writes_nothing(&[&root, &outside], || {
        // A body announced larger than the limit is refused before it is read.
        let r = s.raw(
            format!(
                "POST /api/save HTTP/1.1\r\nHost: {}\r\nX-Yoshiki-Token: {token}\r\nContent-Length: 3000000\r\n\r\n",
                s.addr
            )
            .as_bytes(),
        );
        assert_eq!(r.status, 413);
        // And one actually sent.
        let big = format!("{{\"session\":\"x\",\"fields\":{{\"a\":\"{}\"}}}}", "あ".repeat(800_000));
        let r = s.post("/api/preview", Some(&token), &big);
        assert_eq!(r.status, 413);
        // Headers: too long, too many.
        let long = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Long: {}\r\n\r\n", s.addr, "a".repeat(40_000));
        assert_eq!(s.raw(long.as_bytes()).status, 431);
        let many: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
        assert_eq!(s.raw(format!("GET / HTTP/1.1\r\nHost: {}\r\n{many}\r\n", s.addr).as_bytes()).status, 431);
    });
    assert!(s.alive());
}

#[test]
fn malformed_requests_get_a_4xx_and_the_server_lives_on() {
    let dir = TempDir::new("serve_malformed");
    let (root, outside) = project(&dir);
    let s = Served::start(&root, &[]);
    let token = s.edit_page(SEED)["token"].as_str().unwrap().to_string();
    let host = s.addr.clone();
    writes_nothing(&[&root, &outside], || {
        let cases: Vec<(Vec<u8>, u16)> = vec![
            (b"GARBAGE\r\n\r\n".to_vec(), 400),
            (b"GET\r\n\r\n".to_vec(), 400),
            (b"GET / HTTP/9.9\r\n\r\n".to_vec(), 400),
            (b"GET noslash HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), 400),
            (b"\x00\x01\x02\xff\xfe\r\n\r\n".to_vec(), 400),
            (b"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n".to_vec(), 400),
            ([format!("GET / HTTP/1.1\r\nHost: {host}\r\nX: ").as_bytes(), b"\xff\r\n\r\n"].concat(), 400),
            (format!("DELETE / HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes(), 405),
            (format!("GET /edit?file=%zz HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes(), 400),
            (format!("GET /edit?file=%C3%28 HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes(), 400),
            (format!("POST /api/save HTTP/1.1\r\nHost: {host}\r\nX-Yoshiki-Token: {token}\r\n\r\n").into_bytes(), 411),
            (
                format!("POST /api/save HTTP/1.1\r\nHost: {host}\r\nX-Yoshiki-Token: {token}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                    .into_bytes(),
                411,
            ),
            (
                format!("POST /api/save HTTP/1.1\r\nHost: {host}\r\nX-Yoshiki-Token: {token}\r\nContent-Length: x\r\n\r\n").into_bytes(),
                400,
            ),
            (
                format!("POST /api/save HTTP/1.1\r\nHost: {host}\r\nX-Yoshiki-Token: {token}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
                    .into_bytes(),
                400,
            ),
        ];
        for (raw, want) in cases {
            let r = s.raw(&raw);
            assert_eq!(r.status, want, "{:?}: {}", String::from_utf8_lossy(&raw), r.text());
        }
        for body in ["not json", "{}", "{\"session\":\"nope\"}", "[1,2]", "{\"session\":1,\"fields\":{}}"] {
            let r = s.post("/api/preview", Some(&token), body);
            assert_eq!(r.status, 400, "{body}: {}", r.text());
        }
        let r = s.post("/api/save", Some(&token), "{\"session\":\"nope\",\"fields\":{},\"base\":\"x\"}");
        assert_eq!(r.status, 410, "an unknown session");
        // A request cut short (the client stops sending).
        let r = s.raw(
            format!(
                "POST /api/save HTTP/1.1\r\nHost: {host}\r\nX-Yoshiki-Token: {token}\r\nContent-Length: 50\r\n\r\n{{"
            )
            .as_bytes(),
        );
        assert_eq!(r.status, 400);
    });
    assert!(s.alive(), "the server survived");
}

#[test]
fn beyond_loopback_a_token_is_required() {
    let dir = TempDir::new("serve_listen");
    let (root, _) = project(&dir);
    let run = common::yoshiki(["serve", root.to_str().unwrap(), "--listen", "0.0.0.0:0"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("--token"), "{}", run.describe());
}

#[test]
fn a_clerk_edits_previews_and_saves() {
    let dir = TempDir::new("serve_save");
    let (root, _) = project(&dir);
    let s = Served::start(&root, &[]);
    let boot = s.edit_page(SEED);
    let (token, session) = (boot["token"].as_str().unwrap(), boot["session"].as_str().unwrap());
    assert_eq!(boot["values"]["jigyomei"], "職員の資質向上の推進事業");
    let outline = boot["outline"].as_array().unwrap();
    assert_eq!(outline[3]["label"], "事務事業名");

    let mut fields = boot["values"].clone();
    fields["jigyomei"] = "ブラウザで直した事業".into();
    fields["chukan_tasseido"] = "目標以上".into();
    fields["nendo"] = "R8".into();
    fields["bango"] = "十二".into();
    let preview =
        s.post("/api/preview", Some(token), &serde_json::json!({ "session": session, "fields": fields }).to_string());
    assert_eq!(preview.status, 200, "{}", preview.text());
    let p = preview.json();
    assert_eq!(p["printed"]["fields.nendo"], "令和８年度");
    let messages = p["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["path"], "fields.bango");
    assert!(messages[0]["message"].as_str().unwrap().contains("not a digit"), "{messages:?}");
    // The rest still renders: the page image and the PDF are there.
    let n = p["rendering"].as_u64().expect("rendered");
    let png = s.get(&format!("/s/{session}/{n}/1.png"));
    assert_eq!((png.status, png.header("content-type").as_deref()), (200, Some("image/png")));
    let pdf = s.get(&format!("/s/{session}/{n}.pdf"));
    assert_eq!(pdf.status, 200);
    let pdf_path = dir.join("preview.pdf");
    std::fs::write(&pdf_path, &pdf.body).unwrap();
    assert!(pdftotext(&pdf_path, &[]).contains("ブラウザで直した事業"));

    fields["bango"] = "12".into();
    let seed = root.join("data/shinko-kanri/r07-no06.yaml");
    let original = std::fs::read_to_string(&seed).unwrap();
    let save = |base: &str| {
        s.post(
            "/api/save",
            Some(token),
            &serde_json::json!({ "session": session, "fields": fields, "base": base }).to_string(),
        )
    };
    let r = save(boot["base"].as_str().unwrap());
    assert_eq!(r.status, 200, "{}", r.text());
    let saved = std::fs::read_to_string(&seed).unwrap();
    assert!(
        saved.starts_with("# yaml-language-server: $schema=../../schema/shinko-kanri.data.schema.json\n"),
        "{saved}"
    );
    assert!(saved.contains("\n  jigyomei: ブラウザで直した事業\n"), "{saved}");
    assert!(saved.contains("\n  mokuhyo: |-\n    【人材育成】\n    ・人材育成基本方針の見直し\n"), "{saved}");
    let backup = std::fs::read_to_string(root.join("data/shinko-kanri/r07-no06.yaml.bak")).unwrap();
    assert_eq!(backup, format!("{}{original}", yoshiki::serve::save::BACKUP_MARK));
    let out = dir.join("saved.pdf");
    let run = common::yoshiki(["render", seed.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let text = pdftotext(&out, &[]);
    assert!(text.contains("ブラウザで直した事業") && text.contains("令和８年度") && text.contains("１２"), "{text}");

    // Changed on disk since: refused, both versions returned, nothing written.
    let new_base = r.json()["base"].as_str().unwrap().to_string();
    std::fs::write(&seed, "layout: shinko-kanri\nfields:\n  jigyomei: 別の人の変更\n").unwrap();
    writes_nothing(&[&root], || {
        let r = save(&new_base);
        assert_eq!(r.status, 409);
        let j = r.json();
        assert!(j["disk"].as_str().unwrap().contains("別の人の変更"));
        assert!(j["ours"].as_str().unwrap().contains("ブラウザで直した事業"));
    });
}

#[test]
fn a_new_sheet_is_written_only_when_saved() {
    let dir = TempDir::new("serve_new");
    let (root, _) = project(&dir);
    let s = Served::start(&root, &[]);
    let boot = s.edit_page("/new?layout=layouts%2Fshinko-kanri.yaml&name=r07-no07");
    assert_eq!(boot["file"], "data/shinko-kanri/r07-no07.yaml");
    let target = root.join("data/shinko-kanri/r07-no07.yaml");
    assert!(!target.exists(), "nothing written before saving");
    // A form without a folder of its own yet: the folder comes with the save.
    std::fs::rename(root.join("data/jinzai-plan"), root.join("data/old-plans")).unwrap();
    let plan = s.edit_page("/new?layout=layouts%2Fjinzai-plan.yaml&name=r07");
    assert!(!root.join("data/jinzai-plan").exists(), "no folder made before saving");
    let (token, session) = (boot["token"].as_str().unwrap(), boot["session"].as_str().unwrap());
    let body = serde_json::json!({ "session": session, "base": boot["base"], "fields": { "jigyomei": "新しい事業" } })
        .to_string();
    let r = s.post("/api/save", Some(token), &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# yaml-language-server: $schema=../../schema/shinko-kanri.data.schema.json\nlayout: shinko-kanri\nfields:\n  jigyomei: 新しい事業\n"
    );
    let body =
        serde_json::json!({ "session": plan["session"], "base": "absent", "fields": { "title": "計画" } }).to_string();
    assert_eq!(s.post("/api/save", Some(token), &body).status, 200);
    assert!(root.join("data/jinzai-plan/r07.yaml").is_file());
    // The same name again is refused, and a stale new page cannot overwrite it.
    let body = serde_json::json!({ "session": session, "base": boot["base"], "fields": { "jigyomei": "新しい事業" } })
        .to_string();
    assert_eq!(s.get("/new?layout=layouts%2Fshinko-kanri.yaml&name=r07-no07").status, 409);
    let r = s.post("/api/save", Some(token), &body);
    assert_eq!(r.status, 409);
}

#[test]
fn watch_renders_again_when_the_data_is_saved() {
    let dir = TempDir::new("serve_watch");
    let data = dir.write("data/x.yaml", "layout: ../layouts/shinko-kanri.yaml\nfields:\n  jigyomei: 最初の名前\n");
    copy_dir_all(&manifest_dir().join("layouts"), &dir.join("layouts"));
    let out = dir.join("x.pdf");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .args(["-q", "watch", data.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let wait_for = |want: &str| {
        for _ in 0..200 {
            if out.exists() && pdftotext(&out, &[]).contains(want) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    };
    let first = wait_for("最初の名前");
    // An error is printed, and the last good PDF stays.
    std::fs::write(&data, "layout: ../layouts/shinko-kanri.yaml\nfields:\n  bango: 六\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    let kept = pdftotext(&out, &[]).contains("最初の名前");
    std::fs::write(&data, "layout: ../layouts/shinko-kanri.yaml\nfields:\n  jigyomei: 二番目の名前\n").unwrap();
    let second = wait_for("二番目の名前");
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first && kept && second, "first {first}, kept {kept}, second {second}\n{stderr}");
    assert!(stderr.contains("expected a number, found `六`"), "{stderr}");
}

#[test]
fn saving_unchanged_values_prints_the_same_bytes() {
    let dir = TempDir::new("serve_same_bytes");
    let (root, _) = project(&dir);
    let s = Served::start(&root, &[]);
    for (file, query) in [
        ("data/shinko-kanri/r07-no06.yaml", "data%2Fshinko-kanri%2Fr07-no06.yaml"),
        ("data/shinko-kanri/example-filled.yaml", "data%2Fshinko-kanri%2Fexample-filled.yaml"),
        ("data/jinzai-plan/h30-r04.yaml", "data%2Fjinzai-plan%2Fh30-r04.yaml"),
    ] {
        let path = root.join(file);
        let before = dir.join("before.pdf");
        let run = common::yoshiki(["render", path.to_str().unwrap(), "-o", before.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        let boot = s.edit_page(&format!("/edit?file={query}"));
        let body = serde_json::json!({ "session": boot["session"], "base": boot["base"], "fields": boot["values"] });
        let r = s.post("/api/save", Some(boot["token"].as_str().unwrap()), &body.to_string());
        assert_eq!(r.status, 200, "{file}: {}", r.text());
        let after = dir.join("after.pdf");
        let run = common::yoshiki(["render", path.to_str().unwrap(), "-o", after.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{file}: {}", run.describe());
        assert!(
            std::fs::read(&before).unwrap() == std::fs::read(&after).unwrap(),
            "{file} prints differently once saved"
        );
        assert_ne!(
            std::fs::read_to_string(&path).unwrap(),
            std::fs::read_to_string(path.with_extension("yaml.bak")).unwrap()
        );
    }
}

#[test]
fn project_files_are_read_as_the_reading_policy_allows() {
    let dir = TempDir::new("serve_reading");
    let (root, outside) = project(&dir);
    let big = root.join("data/shinko-kanri/big.yaml");
    let limit = yoshiki::input::limit(yoshiki::input::Kind::Yaml) as usize;
    std::fs::write(&big, format!("layout: shinko-kanri\nfields:\n  jigyomei: {}\n", "あ".repeat(limit / 3 + 1)))
        .unwrap();
    let s = Served::start(&root, &[]);
    writes_nothing(&[&root, &outside], || {
        let r = s.get("/edit?file=data%2Fshinko-kanri%2Fbig.yaml");
        assert_eq!(r.status, 422, "{}", r.text());
        assert!(r.text().contains("larger than the limit"), "{}", r.text());
    });
    // A named pipe among the data files (the snapshot above would block
    // on it): the home page neither lists it nor waits for it.
    let fifo = root.join("data/shinko-kanri/pipe.yaml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains("pipe.yaml"), "{}", home.text());
    assert!(home.text().contains("r07-no06.yaml"));
    let r = s.get("/edit?file=data%2Fshinko-kanri%2Fpipe.yaml");
    assert!((400..500).contains(&r.status), "{} {}", r.status, r.text());
    assert!(s.alive());
}
