//! The expression language end to end: compile, evaluate, print.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::functions::record;
use super::*;
use crate::calendar::Month;

fn d(y: i32, m: u32, dd: u32) -> Val {
    Val::Date(NaiveDate::from_ymd_opt(y, m, dd).unwrap())
}

fn num(s: &str) -> Val {
    Val::Number(s.parse::<Decimal>().unwrap())
}

/// The sample scope of `docs/expressions.md`.
fn sample() -> BTreeMap<String, Val> {
    let entries = Val::list(vec![
        record([("date", d(2026, 2, 3)), ("jikangai", num("1.5")), ("biko", Val::text("会議"))]),
        record([("date", d(2026, 2, 10)), ("jikangai", num("2.0")), ("biko", Val::Blank)]),
        record([("date", d(2026, 2, 24)), ("jikangai", num("0.5")), ("biko", Val::text("研修"))]),
    ]);
    [
        ("kikan_from", d(2026, 2, 20)),
        ("kikan_to", d(2026, 2, 24)),
        ("month", Val::Month(Month::new(2026, 2).unwrap())),
        ("entries", entries),
        ("biko", Val::Blank),
        ("hours", Val::Blank),
        ("amount", Val::Int(1200)),
        ("name", Val::text("山田")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn eval(src: &str) -> Val {
    Expr::compile(src)
        .unwrap_or_else(|e| panic!("{src}: {e:?}"))
        .eval(&sample())
        .unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

/// What the expression prints with the default printer.
fn show(src: &str) -> String {
    Printer::default().print(&eval(src)).unwrap()
}

fn error(src: &str) -> ExprError {
    match Expr::compile(src) {
        Err(e) => e,
        Ok(expr) => expr.eval(&sample()).expect_err(src),
    }
}

#[test]
fn every_documented_example_prints_its_result() {
    for f in FUNCTIONS {
        assert_eq!(show(f.example), f.result, "{}: {}", f.name, f.example);
        assert!(f.example.contains(f.name), "{}'s example uses it", f.name);
    }
}

#[test]
fn the_docs_list_every_function() {
    let docs = include_str!("../../docs/expressions.md");
    for f in FUNCTIONS {
        let row = format!("| `{}` |", f.usage);
        assert!(docs.contains(&row), "docs/expressions.md lacks the row {row}");
        assert!(docs.contains(f.example), "docs/expressions.md lacks the example {}", f.example);
    }
}

#[test]
fn decimals_are_exact() {
    assert_eq!(eval("0.1 + 0.2"), num("0.3"));
    assert_eq!(eval("0.1 + 0.2 == 0.3"), Val::Bool(true));
    assert_eq!(show("0.1 + 0.2"), "０．３");
    assert_eq!(eval("1 / 4"), num("0.25"), "integers divide exactly");
    assert_eq!(eval("10 / 5"), Val::Int(2));
    assert_eq!(eval("1 + 0.5"), num("1.5"), "integers mix with decimals");
    assert_eq!(eval("3 * 1.1"), num("3.3"));
    assert_eq!(eval("1.5 > 1"), Val::Bool(true));
    assert_eq!(eval("round(1 / 3, 2)"), num("0.33"));
    assert_eq!(eval("round(2.5)"), num("3"), "四捨五入");
    assert_eq!(eval("round(-2.5)"), num("-3"));
    assert_eq!(eval("round(1234567, -3)"), Val::Int(1235000), "to thousands");
    assert_eq!(eval("floor(-1.5)"), num("-2"));
    assert_eq!(eval("ceil(1.01, 1)"), num("1.1"));
    assert_eq!(eval("7 % 3"), Val::Int(1));
    assert_eq!(eval("-amount"), Val::Int(-1200));
}

#[test]
fn ten_tenths_sum_to_one() {
    let tenth = record([("h", num("0.1"))]);
    let mut env = sample();
    env.insert("rows".into(), Val::list(vec![tenth; 10]));
    let total = Expr::compile("sum(rows, \"h\")").unwrap().eval(&env).unwrap();
    assert_eq!(Printer::default().print(&total).unwrap(), "１．０");
}

#[test]
fn blanks_behave_like_a_spreadsheet() {
    assert_eq!(eval("hours + 1.5"), num("1.5"));
    assert_eq!(eval("2 - hours"), Val::Int(2));
    assert_eq!(eval("hours - 2"), Val::Int(-2));
    assert_eq!(eval("hours + hours"), Val::Blank);
    assert_eq!(eval("hours * 3"), Val::Blank);
    assert_eq!(eval("3 / hours"), Val::Blank);
    assert_eq!(eval("hours > 8"), Val::Bool(false));
    assert_eq!(eval("hours < 8"), Val::Bool(false));
    assert_eq!(eval("hours == ()"), Val::Bool(true));
    assert_eq!(eval("is_blank(hours)"), Val::Bool(true));
    assert_eq!(eval("weekday(hours)"), Val::Blank);
    assert_eq!(eval("working_days(kikan_from, hours)"), Val::Blank);
    assert_eq!(eval("name + biko"), Val::text("山田"));
    assert_eq!(eval("biko ?? \"なし\""), Val::text("なし"));
    assert_eq!(eval("sum(entries, \"nothing\")"), Val::Blank);
    assert_eq!(eval("sum(entries, \"nothing\") + 0"), Val::Int(0));
    assert_eq!(show("hours"), "");
}

#[test]
fn text_made_from_values_prints_like_the_form() {
    assert_eq!(eval("\"第\" + 3 + \"号\""), Val::text("第３号"));
    assert_eq!(eval("\"計\" + 1.5 + \"時間\""), Val::text("計１．５時間"));
    assert_eq!(eval("\"日付：\" + kikan_from"), Val::text("日付：令和８年２月２０日"));
    assert_eq!(eval("`${amount}円`"), Val::text("１２００円"));
    assert_eq!(
        eval("wareki(kikan_from) + \"（\" + weekday(kikan_from) + \"）～\" + wareki(kikan_to) + \"（\" + weekday(kikan_to) + \"）\""),
        Val::text("令和８年２月２０日（金）～令和８年２月２４日（火）")
    );
    assert_eq!(eval("ascii(amount)"), Val::text("1200"));
    assert_eq!(
        eval("text(days(kikan_from, add_days(kikan_from, 1)))"),
        Val::text("令和８年２月２０日、令和８年２月２１日")
    );
}

#[test]
fn dates_months_and_properties() {
    assert_eq!(eval("kikan_from.year"), Val::Int(2026));
    assert_eq!(eval("kikan_from.month"), Val::Int(2));
    assert_eq!(eval("kikan_from.day"), Val::Int(20));
    assert_eq!(eval("month.month"), Val::Int(2));
    assert_eq!(eval("fiscal_year(kikan_from).year"), Val::Int(2025));
    assert_eq!(eval("kikan_from < kikan_to"), Val::Bool(true));
    assert_eq!(eval("kikan_from == date(\"令和8年2月20日\")"), Val::Bool(true));
    assert_eq!(eval("month == month(\"R8.2\")"), Val::Bool(true));
    assert_eq!(eval("days_between(kikan_from, kikan_from)"), Val::Int(1));
    assert_eq!(eval("len(days_of_month(month(\"2024-02\")))"), Val::Int(29));
    assert_eq!(eval("days_of_month(month)[0]"), d(2026, 2, 1));
    assert_eq!(show("weekday(days_of_month(month)[0])"), "日", "2026-02-01 is a Sunday");
    assert_eq!(eval("entries[1].jikangai"), num("2.0"));
    assert_eq!(eval("entries[0].missing"), Val::Blank);
    assert_eq!(eval("kikan_from.weekday()"), Val::text("金"), "method-call form");
    assert_eq!(eval("holiday_name(date(\"2026-02-24\"))"), Val::Blank);
    assert_eq!(eval("max(amount, 1500)"), Val::Int(1500));
    assert_eq!(eval("min(kikan_to, kikan_from)"), d(2026, 2, 20));
    assert_eq!(eval("if working_days(kikan_from, kikan_to) > 1 { \"複数日\" } else { \"1日\" }"), Val::text("複数日"));
    assert_eq!(eval("switch weekday_num(kikan_from) { 6 | 7 => \"週末\", _ => \"平日\" }"), Val::text("平日"));
    assert_eq!(eval("[1, 2.5, ()].len()"), Val::Int(3));
    assert_eq!(eval("sum([1, 2.5, ()])"), num("3.5"));
    assert_eq!(eval("#{a: 1}.a"), Val::Int(1));
    assert_eq!(eval("weekday(kikan_from) in [\"土\", \"日\"]"), Val::Bool(false));
    assert_eq!(eval("2 in [1, 2.0]"), Val::Bool(true), "numbers compare by value");
    assert_eq!(eval("\"田\" in name"), Val::Bool(true));
}

#[test]
fn names_are_listed_and_resolved_lazily_once() {
    let expr = Expr::compile("working_days(kikan_from, kikan_to) + len(entries) + kikan_from.day").unwrap();
    assert_eq!(expr.names(), ["kikan_from", "kikan_to", "entries"]);
    assert_eq!(Expr::compile(" name ").unwrap().as_name(), Some("name"));
    let expr = Expr::compile(
        "sum(entries, \"jikangai\") + count(entries) + len(join(entries, \"biko\", \"、\")) + day.jikangai + kikan_from.year + entries[0].x",
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = expr.fields().iter().map(|(n, f)| (n.as_str(), f.as_str())).collect();
    assert_eq!(pairs, [("entries", "jikangai"), ("entries", "biko"), ("day", "jikangai"), ("kikan_from", "year")]);
    assert_eq!(Expr::compile("name + 1").unwrap().as_name(), None);
    // Only the names used are asked for.
    struct Counting(std::cell::RefCell<Vec<String>>);
    impl Env for Counting {
        fn get(&self, name: &str) -> Option<Val> {
            self.0.borrow_mut().push(name.to_string());
            Some(Val::Int(1))
        }
    }
    let env = Counting(Default::default());
    assert_eq!(Expr::compile("a + a * b").unwrap().eval(&env).unwrap(), Val::Int(2));
    assert_eq!(*env.0.borrow(), ["a", "b"]);
}

#[test]
fn errors_are_plain_and_located() {
    let e = error("weekday(\"abc\")");
    assert_eq!(e.kind, ErrorKind::Type);
    assert_eq!(e.message, "weekday needs a date, but got text \"abc\"");
    assert_eq!(e.help.as_deref(), Some("turn text into a date with date(\"2026-02-20\")"));
    assert_eq!(e.offset, Some(0));

    let e = error("1 + wekday(kikan_from)");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::UnknownFunction, "there is no function `wekday`"));
    assert_eq!(e.help.as_deref(), Some("did you mean `weekday`?"));
    assert_eq!(e.offset, Some(4));

    let e = error("round()");
    assert_eq!(e.message, "round takes 1 or 2 arguments, not 0");
    assert_eq!(e.help.as_deref(), Some("write round(x, places)"));

    let e = error("kikan_form");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::UnknownName, "there is no field or value named `kikan_form`"));
    assert_eq!(e.help.as_deref(), Some("did you mean `kikan_from`?"));
    assert_eq!(e.offset, Some(0));

    let e = error("amount / (amount - 1200)");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Arithmetic, "division by zero"));
    assert_eq!(e.offset, Some(7));
    assert_eq!(error("1.5 / 0").message, "division by zero");
    assert_eq!(error("1 % 0").kind, ErrorKind::Arithmetic);
    assert_eq!(error("9223372036854775807 + 1").message, "the number is too large");

    let e = error("name - 1");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Type, "`-` does not work on text and a whole number"));
    assert_eq!(e.offset, Some(5));

    let e = error("1 +");
    assert_eq!(e.kind, ErrorKind::Syntax);
    let e = error("let x = 1; x");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.message, "`let` cannot be used in an expression");
    assert!(e.help.as_deref().unwrap_or_default().contains("no `let`"), "{e:?}");
    assert_eq!(error("1; 2").message, "`;` cannot be used in an expression");
    assert_eq!(error("1 2").message, "unexpected `2`");
    assert!(error("today()").help.unwrap().contains("no clock"));
    assert_eq!(error("kikan_from + 1").help.as_deref(), Some("add days with add_days(date, n)"));
    assert_eq!(error("").message, "the expression is empty");
    assert_eq!(error("if amount { 1 } else { 2 }").kind, ErrorKind::Type);
    let e = error("kikan_from.yaer");
    assert_eq!((e.message.as_str(), e.offset), ("a date has no `.yaer`", Some(11)));
    assert_eq!(e.help.as_deref(), Some("it has `.year`, `.month`, `.day`"));
    assert_eq!(error("amount.year").message, "a whole number has no `.year`");
    assert_eq!(error("entries[5]").message, "the list has 3 items; there is no item [5]");
    assert!(error("days_between(kikan_to, kikan_from)").message.contains("the end (2026-02-20) is before the start"));
    assert!(error("date(\"2026-02-30\")").message.contains("2026-02 has 28 days"));
    assert!(error("is_holiday(date(\"1950-01-01\"))").message.contains("known from 1955 to 2099"));
    assert_eq!(error("sum(entries, \"biko\")").message, "sum adds numbers, but item 1 is text \"会議\"");
    assert_eq!(error("eval(\"1\")").kind, ErrorKind::Syntax, "eval is switched off");
    assert_eq!(error("print(1)").kind, ErrorKind::Syntax);
}

#[test]
fn offsets_count_characters() {
    // The `-` is character 6 (byte 12: each kanji is 3 bytes).
    let e = error("\"月曜日\" - 1");
    assert_eq!(e.offset, Some(6));
    let e = error("\"月曜日\" +\n wekday(1)");
    assert_eq!(e.offset, Some(9), "second line, after the newline");
}

#[test]
fn limits_are_enforced_and_named() {
    let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let e = error(&deep);
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("nested too deeply"), "{}", e.message);

    let e = error("len(days(date(\"1900-01-01\"), date(\"2999-12-31\")))");
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("over the limit of 10000 items"), "{}", e.message);

    // About 27 bytes a date: 7,306 dates are over the text limit.
    let e = error("join(days(date(\"2000-01-01\"), date(\"2020-01-01\")), \"\")");
    assert_eq!(e.kind, ErrorKind::Limit, "{e:?}");
    assert!(e.message.contains("over the limit of 65536 bytes"), "{}", e.message);
    // Two texts under the limit, joined with `+`, are over it (rhai's check).
    let half = "join(days(date(\"2020-01-01\"), date(\"2025-06-22\")), \"\")";
    assert!(matches!(eval(&format!("len({half})")), Val::Int(n) if n > 16_000));
    let e = error(&format!("{half} + {half}"));
    assert_eq!(e.kind, ErrorKind::Limit, "{e:?}");
    assert!(e.message.contains("65536 bytes"), "{}", e.message);

    // Operations: without loops, only a long expression can use them up (a
    // list of 3,000 sums of 40 terms, under the nesting and list limits).
    let sum = vec!["amount"; 40].join(" + ");
    let many = format!("len([{}])", vec![sum; 3000].join(", "));
    let e = error(&many);
    assert_eq!(e.kind, ErrorKind::Limit, "{e:?}");
    assert!(e.message.contains("100000 operations"), "{}", e.message);
}

#[test]
fn templates_split_text_and_expressions() {
    let t =
        Template::compile("{wareki(kikan_from)}（{weekday(kikan_from)}）～{wareki(kikan_to)}（{weekday(kikan_to)}）")
            .unwrap();
    assert_eq!(t.names(), ["kikan_from", "kikan_to"]);
    let print = |v: &Val| Printer::default().print(v);
    assert_eq!(t.render(&sample(), &print).unwrap(), "令和８年２月２０日（金）～令和８年２月２４日（火）");

    let t =
        Template::compile("計{sum(entries, \"jikangai\")}時間、{if amount > 1000 { \"高\" } else { \"低\" }}").unwrap();
    assert_eq!(t.render(&sample(), &print).unwrap(), "計４．０時間、高");
    let t = Template::compile("{join(entries, \"biko\", \"}\")} {{literal}} {name}").unwrap();
    assert_eq!(t.render(&sample(), &print).unwrap(), "会議}研修 {literal} 山田");
    assert!(Template::compile("plain").unwrap().is_plain());
    let parts = Template::compile("a{name}b").unwrap();
    assert!(matches!(parts.parts(), [Part::Text(_), Part::Expr { offset: 2, .. }, Part::Text(_)]));

    let e = Template::compile("令和{name").unwrap_err();
    assert_eq!((e.message.as_str(), e.offset), ("this `{` is not closed", Some(2)));
    let e = Template::compile("x}").unwrap_err();
    assert_eq!((e.message.as_str(), e.offset), ("this `}` closes nothing", Some(1)));
    assert_eq!(Template::compile("{ }").unwrap_err().offset, Some(0));
    let e = Template::compile("期間：{wekday(kikan_from)}").unwrap_err();
    assert_eq!(e.offset, Some(4), "located in the template");
    let e = Template::compile("期間：{kikan_form}").unwrap().render(&sample(), &print).unwrap_err();
    assert_eq!((e.kind, e.offset), (ErrorKind::UnknownName, Some(4)));
    let e = Template::compile("件数：{entries}").unwrap().render(&sample(), &print).unwrap_err();
    assert!(e.message.contains("join"), "{}", e.message);
    assert_eq!(e.offset, Some(4));
}

#[test]
fn expressions_are_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Expr>();
    assert_send_sync::<Template>();
    let expr = Expr::compile("amount * 2").unwrap();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| assert_eq!(expr.eval(&sample()).unwrap(), Val::Int(2400)));
        }
    });
}
