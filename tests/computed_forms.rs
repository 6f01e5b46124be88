//! The bundled forms that compute (休暇届, 出勤簿), read back from their
//! PDFs with poppler: every value checked here is derived by the layout
//! from what the data gives (dates, a month, a few dated entries); none of
//! it is typed in the data.

mod common;

use common::*;
use std::path::Path;

/// The lines of `pdf`'s text (layout mode), each without whitespace.
fn lines(pdf: &Path) -> Vec<String> {
    pdftotext(pdf, &["-layout"]).lines().map(strip_ws).filter(|l| !l.is_empty()).collect()
}

#[test]
fn kyuka_todoke_prints_the_period_with_weekdays_and_counts_working_days() {
    let dir = TempDir::new("kyuka_todoke_filled");
    let pdf = dir.join("kyuka.pdf");
    render_ok("data/kyuka-todoke/example.yaml", &pdf);
    let text = strip_ws(&pdftotext(&pdf, &[]));
    assert!(
        text.contains("令和８年２月２０日（金）～令和８年２月２４日（火）"),
        "the period with its weekdays:\n{text}"
    );
    // 2/20 (金) to 2/24 (火): 2/21-22 are 土日 and 2/23 is 天皇誕生日.
    let days = lines(&pdf).into_iter().find(|l| l.starts_with("日数")).expect("a 日数 line");
    assert_eq!(days, "日数２日");
    assert!(text.contains("令和８年２月１８日"), "届出日 in 和暦:\n{text}");
    let data = read_to_string(&manifest_dir().join("data/kyuka-todoke/example.yaml"));
    for computed in ["（金）", "（火）", "２日", "令和８年"] {
        assert!(!data.contains(computed), "`{computed}` is computed by the layout, not typed in the data");
    }
}

#[test]
fn kyuka_todoke_blank_keeps_its_pre_print() {
    let dir = TempDir::new("kyuka_todoke_blank");
    let pdf = dir.join("blank.pdf");
    blank_ok("layouts/kyuka-todoke.yaml", &pdf);
    let period = lines(&pdf).into_iter().find(|l| l.starts_with("期間")).expect("a 期間 line");
    assert_eq!(period, "期間令和年月日（）～令和年月日（）", "the blank period with （　） for weekdays");
    let days = lines(&pdf).into_iter().find(|l| l.starts_with("日数")).expect("a 日数 line");
    assert_eq!(days, "日数日");
    let text = strip_ws(&pdftotext(&pdf, &[]));
    assert!(!text.contains("２日"), "nothing is computed on a blank form:\n{text}");
}

/// The rows of the 出勤簿: (day, weekday, rest of the line), for lines that
/// start with a day of the month in full-width digits and a weekday.
fn day_rows(pdf: &Path) -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    for line in pdftotext(pdf, &["-layout"]).lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [day, weekday, rest @ ..] = words.as_slice() else { continue };
        let digits: Option<String> = day
            .chars()
            .map(|c| ('０'..='９').contains(&c).then(|| (b'0' + (c as u32 - '０' as u32) as u8) as char))
            .collect();
        let Some(day) = digits.and_then(|d| d.parse::<u32>().ok()) else { continue };
        if weekday.chars().count() != 1 || !"月火水木金土日".contains(*weekday) {
            continue;
        }
        out.push((day, weekday.to_string(), rest.concat()));
    }
    out
}

#[test]
fn shukkinbo_has_a_row_per_day_of_february_2026() {
    let dir = TempDir::new("shukkinbo_filled");
    let pdf = dir.join("shukkinbo.pdf");
    render_ok("data/shukkinbo/2026-02.yaml", &pdf);
    let text = strip_ws(&pdftotext(&pdf, &[]));
    assert!(text.contains("令和８年２月分"), "the title names the month:\n{text}");

    let rows = day_rows(&pdf);
    assert_eq!(rows.len(), 28, "one row per day of February 2026:\n{rows:?}");
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), (1..=28).collect::<Vec<_>>());
    // 2026-02-01 is a Sunday.
    let weekdays: String = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(weekdays, "日月火水木金土".repeat(4));

    let rest = |day: u32| rows[day as usize - 1].2.clone();
    assert_eq!(rest(11), "建国記念の日");
    assert_eq!(rest(23), "天皇誕生日");
    assert_eq!(rest(3), "１．５予算資料作成");
    assert_eq!(rest(5), "２．０", "a whole number of hours prints with the column's one place");
    assert_eq!(rest(9), "年休（全日）");
    assert_eq!(rest(4), "", "a day without an entry is an empty row");

    // 1.5 + 2 + 0.5 + 3.5 hours.
    let total = lines(&pdf).into_iter().find(|l| l.starts_with("合計")).expect("a 合計 line");
    assert_eq!(total, "合計７．５");

    let data = read_to_string(&manifest_dir().join("data/shukkinbo/2026-02.yaml"));
    for computed in ["天皇誕生日", "建国記念の日", "7.5", "2026-02-01", "2026-02-28"] {
        assert!(!data.contains(computed), "`{computed}` is computed by the layout, not typed in the data");
    }
}

/// The grey (0 black … 255 white) of each day row of the 出勤簿, by day:
/// sampled in its empty 出勤印 cell, in a 72 dpi greyscale rendering
/// (one pixel per point), at the height of the row's weekday.
fn row_greys(pdf: &Path, dir: &TempDir) -> Vec<(String, u8)> {
    let xhtml = poppler("pdftotext", [pdf.to_str().unwrap(), "-bbox-layout", "-"]);
    // The 曜 column runs 27–39 mm from the page's left edge (77–111 pt).
    let weekdays: Vec<Word> = bbox_words(&xhtml)
        .into_iter()
        .filter(|w| {
            w.x_min > 77.0 && w.x_max < 111.0 && w.text.chars().count() == 1 && "月火水木金土日".contains(&w.text)
        })
        .collect();
    let prefix = dir.join("grey");
    poppler("pdftoppm", ["-gray", "-r", "72", "-singlefile", pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let pgm = std::fs::read(dir.join("grey.pgm")).expect("pdftoppm writes grey.pgm");
    // P5 header: "P5\n<w> <h>\n255\n".
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let (width, pixels) = (fields[1].parse::<usize>().unwrap(), &pgm[at + 1..]);
    // The 出勤印 cell: 39–61 mm (111–173 pt); sample at 150 pt.
    weekdays.iter().map(|w| (w.text.clone(), pixels[((w.y_min + w.y_max) / 2.0) as usize * width + 150])).collect()
}

#[test]
fn shukkinbo_shades_weekends_and_holidays() {
    let dir = TempDir::new("shukkinbo_shade");
    let pdf = dir.join("shukkinbo.pdf");
    render_ok("data/shukkinbo/2026-02.yaml", &pdf);
    let greys = row_greys(&pdf, &dir);
    assert_eq!(greys.len(), 28, "a weekday per day row: {greys:?}");
    let shaded: Vec<usize> = (greys.iter().enumerate()).filter(|(_, (_, g))| *g < 240).map(|(i, _)| i + 1).collect();
    // 土日, and the holidays 2/11 (水, 建国記念の日) and 2/23 (月, 天皇誕生日).
    assert_eq!(shaded, [1, 7, 8, 11, 14, 15, 21, 22, 23, 28], "shaded days: {greys:?}");
}

#[test]
fn shukkinbo_blank_has_31_empty_rows() {
    let dir = TempDir::new("shukkinbo_blank");
    let pdf = dir.join("blank.pdf");
    blank_ok("layouts/shukkinbo.yaml", &pdf);
    let text = strip_ws(&pdftotext(&pdf, &[]));
    assert!(text.contains("令和年月分"), "the blank title keeps 令和　　年　　月分:\n{text}");
    assert!(day_rows(&pdf).is_empty(), "no days on a blank form");
    assert!(!text.contains("天皇誕生日"));
}

#[test]
fn ten_entries_of_a_tenth_of_an_hour_total_one() {
    let dir = TempDir::new("tenths");
    std::fs::create_dir_all(dir.join("layouts")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(manifest_dir().join("layouts/shukkinbo.yaml"), dir.join("layouts/shukkinbo.yaml")).unwrap();
    let entries: String = (2..=11).map(|d| format!("    - {{ date: 2026-03-{d:02}, jikangai: 0.1 }}\n")).collect();
    let data = format!("layout: shukkinbo\nfields:\n  month: 2026-03\n  entries:\n{entries}");
    std::fs::write(dir.join("data/march.yaml"), data).unwrap();
    let run = yoshiki_in(&dir.path, ["render", "data/march.yaml", "-o", "march.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let pdf = dir.join("march.pdf");
    assert_eq!(day_rows(&pdf).len(), 31, "March has 31 days");
    let total = lines(&pdf).into_iter().find(|l| l.starts_with("合計")).expect("a 合計 line");
    assert_eq!(total, "合計１．０", "0.1 × 10 is exactly 1.0");
}

/// `render` of `data` (a 出勤簿 of February 2026 with these entries) fails
/// with exit 2 at `line:col` of the data file, writing nothing.
fn shukkinbo_fails(test: &str, entries: &str, line: usize, col: usize) -> Run {
    let dir = TempDir::new(test);
    dir.write("layouts/shukkinbo.yaml", &read_to_string(&manifest_dir().join("layouts/shukkinbo.yaml")));
    dir.write("data/x.yaml", &format!("layout: shukkinbo\nfields:\n  month: 2026-02\n  entries:\n{entries}"));
    let run = yoshiki_in(&dir.path, ["render", "data/x.yaml", "-o", "x.pdf"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains(&format!("--> data/x.yaml:{line}:{col}\n")), "{}", run.describe());
    assert!(!dir.join("x.pdf").exists(), "nothing is written");
    run
}

#[test]
fn an_entry_outside_the_month_or_twice_on_a_day_is_a_located_data_error() {
    let run = shukkinbo_fails(
        "shukkinbo_outside",
        "    - { date: 2026-02-03, jikangai: 1 }\n    - { date: 2026-03-01, jikangai: 1 }\n",
        6,
        9,
    );
    assert!(run.stderr.contains("the rows run from 2026-02-01 to 2026-02-28"), "{}", run.stderr);
    // The same day written two ways is still the same day.
    let run = shukkinbo_fails(
        "shukkinbo_twice",
        "    - { date: 2026-02-03, jikangai: 1 }\n    - { date: 令和8年2月3日, jikangai: 1.5 }\n",
        6,
        9,
    );
    assert!(run.stderr.contains("a second element for `date: 2026-02-03`"), "{}", run.stderr);
    // Hours with more places than the column prints are refused, not rounded.
    let run = shukkinbo_fails("shukkinbo_places", "    - { date: 2026-02-03, jikangai: 1.25 }\n", 5, 27);
    assert!(
        run.stderr.contains("`1.25` has 2 decimal places, but this field prints 1 decimal place"),
        "{}",
        run.stderr
    );
}

/// The 旅費請求書: each trip's date with its weekday, its 計, the column
/// totals and the 請求金額 in boxes with ￥ in the box before the first
/// digit — all computed from the trips as typed.
#[test]
fn ryohi_seikyu_sums_its_trips_into_boxes() {
    let dir = TempDir::new("ryohi_seikyu_filled");
    let pdf = dir.join("ryohi.pdf");
    render_ok("data/ryohi-seikyu/example.yaml", &pdf);
    let lines = lines(&pdf);
    let line = |start: &str| lines.iter().find(|l| l.starts_with(start)).cloned().unwrap_or_default();
    // 2026-02-10 is a 火曜日, 02-16 a 月曜日; the 計 of a trip without a
    // 宿泊料 counts the blank as 0.
    assert_eq!(line("２月１０日"), "２月１０日火県庁（人事委員会事務局）研修企画打合せ1,2402001,440");
    assert_eq!(line("２月１６日"), "２月１６日月東京都千代田区（自治大学校）市町村職員研修14,72040010,90026,020");
    assert_eq!(line("合計"), "合計15,9601,00010,90027,860");
    // ￥ and the five digits, one per box, filled from the right.
    assert_eq!(line("請求金額"), "請求金額￥２７８６０");
    assert!(strip_ws(&pdftotext(&pdf, &[])).contains("令和８年３月２日"), "請求日 in 和暦");
    let data = read_to_string(&manifest_dir().join("data/ryohi-seikyu/example.yaml"));
    for computed in ["27860", "27,860", "15960", "1440", "火", "令和"] {
        assert!(!data.contains(computed), "`{computed}` is computed by the layout, not typed in the data");
    }
}

#[test]
fn ryohi_seikyu_blank_has_empty_boxes_and_rows() {
    let dir = TempDir::new("ryohi_seikyu_blank");
    let pdf = dir.join("blank.pdf");
    blank_ok("layouts/ryohi-seikyu.yaml", &pdf);
    let lines = lines(&pdf);
    assert_eq!(lines.iter().filter(|l| *l == "月日").count(), 8, "8 rows to fill by hand:\n{lines:#?}");
    assert!(lines.iter().any(|l| l == "請求金額"), "the boxes stay empty:\n{lines:#?}");
    assert!(lines.iter().any(|l| l == "合計"), "no total on a blank form:\n{lines:#?}");
}
