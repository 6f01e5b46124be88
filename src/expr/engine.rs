//! The only file that knows rhai: one shared, sandboxed engine; compiling
//! (with a walk of the syntax tree for names and calls); evaluating; and
//! turning rhai's values and errors into ours.
//!
//! The engine is `Engine::new_raw` (no standard library: no printing, no
//! string or array methods, no `eval`) plus our functions, types and
//! operators, with every limit of [`LIMITS`] set.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use rhai::{
    ASTNode, Dynamic, Engine, EvalAltResult, Expr as Node, ImmutableString, NativeCallContext, ParseErrorType,
    Position, Scope, AST,
};
use rust_decimal::Decimal;

use super::functions::{self, FnError, FUNCTIONS};
use super::print::Printer;
use super::value::Val;
use super::{Env, ErrorKind, ExprError, LIMITS};
use crate::calendar::Month;
use crate::error::nearest;

/// A compiled expression: rhai's tree, the names it reads (with the offset
/// of their first use), and where its lines start.
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    ast: AST,
    names: Vec<String>,
    fields: Vec<(String, String)>,
    name_offsets: Vec<usize>,
    line_starts: Vec<usize>,
}

impl Compiled {
    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    pub(super) fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// rhai positions are (line, column) counted in characters from 1.
    fn offset(&self, pos: Position) -> Option<usize> {
        let line = pos.line()?;
        let column = pos.position().unwrap_or(1);
        Some(self.line_starts.get(line - 1)? + column.saturating_sub(1))
    }
}

/// A list or record handed to rhai without copying its items.
#[derive(Debug, Clone)]
struct ListRef(Arc<[Val]>);

#[derive(Debug, Clone)]
struct RecordRef(Arc<BTreeMap<String, Val>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FiscalYear(i32);

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(build)
}

fn build() -> Engine {
    let mut e = Engine::new_raw();
    e.set_max_operations(LIMITS.operations);
    e.set_max_expr_depths(LIMITS.depth);
    e.set_max_string_size(LIMITS.text_bytes);
    e.set_max_array_size(LIMITS.list_items);
    e.set_max_map_size(LIMITS.list_items);
    // Let our operators (exact `/` of integers, blanks, dates, text with
    // numbers) take precedence over the built-in ones.
    e.set_fast_operators(false);
    for symbol in ["eval", "print", "debug", "Fn", "call", "curry", "is_def_var", "is_def_fn", "is_shared", "this"] {
        e.disable_symbol(symbol);
    }
    e.register_type_with_name::<NaiveDate>("date")
        .register_type_with_name::<Month>("month")
        .register_type_with_name::<FiscalYear>("fiscal year")
        .register_type_with_name::<ListRef>("list")
        .register_type_with_name::<RecordRef>("record");
    register_functions(&mut e);
    register_properties(&mut e);
    register_operators(&mut e);
    e
}

fn register_functions(e: &mut Engine) {
    for function in FUNCTIONS {
        for &arity in function.arities {
            e.register_raw_fn(
                function.name,
                vec![TypeId::of::<Dynamic>(); arity],
                move |_: NativeCallContext, args: &mut [&mut Dynamic]| {
                    let vals = args.iter().map(|a| to_val(a)).collect::<Result<Vec<_>, _>>()?;
                    (function.call)(&vals).map(to_dynamic).map_err(fn_error)
                },
            );
        }
    }
}

fn register_properties(e: &mut Engine) {
    fn getter<T: Clone + Send + Sync + 'static>(e: &mut Engine, name: &'static str) {
        e.register_raw_fn(
            format!("get${name}"),
            [TypeId::of::<T>()],
            move |_: NativeCallContext, args: &mut [&mut Dynamic]| {
                let v = to_val(args[0])?;
                functions::property(&v, name).map(to_dynamic).map_err(fn_error)
            },
        );
    }
    for name in ["year", "month", "day"] {
        getter::<NaiveDate>(e, name);
        getter::<()>(e, name);
    }
    for name in ["year", "month"] {
        getter::<Month>(e, name);
    }
    getter::<FiscalYear>(e, "year");
    // `item.field` falls back to the indexer: a missing field is a blank.
    e.register_indexer_get(|r: &mut RecordRef, field: ImmutableString| {
        to_dynamic(r.0.get(field.as_str()).cloned().unwrap_or(Val::Blank))
    });
    e.register_indexer_get(|l: &mut ListRef, i: i64| -> Result<Dynamic, Box<EvalAltResult>> {
        let item = usize::try_from(i).ok().and_then(|i| l.0.get(i)).ok_or_else(|| {
            fn_error(FnError {
                kind: ErrorKind::Value,
                message: format!("the list has {} items; there is no item [{i}]", l.0.len()),
                help: Some("items are counted from [0]".into()),
            })
        })?;
        Ok(to_dynamic(item.clone()))
    });
}

fn register_operators(e: &mut Engine) {
    // 1 / 4 is 0.25, not 0: integers divide exactly.
    e.register_fn("/", |a: i64, b: i64| -> Result<Dynamic, Box<EvalAltResult>> {
        if b == 0 {
            return Err(division_by_zero());
        }
        let q = Decimal::from(a).checked_div(Decimal::from(b)).ok_or_else(|| arithmetic("the number is too large"))?;
        Ok(match i64::try_from(q) {
            Ok(n) if q.fract().is_zero() => n.into(),
            _ => Dynamic::from_decimal(q.normalize()),
        })
    });
    // Blanks: in + and - a blank counts as 0 (a blank and a blank stay
    // blank); × and ÷ with a blank give a blank.
    e.register_fn("+", |_: (), _: ()| ());
    e.register_fn("-", |_: (), _: ()| ());
    e.register_fn("-", |_: ()| ());
    // Signs and `!` (rhai keeps these in a package we do not load).
    e.register_fn("-", |a: i64| a.checked_neg().ok_or_else(|| arithmetic("the number is too large")));
    e.register_fn("-", |a: Decimal| -a);
    e.register_fn("+", |a: i64| a);
    e.register_fn("+", |a: Decimal| a);
    e.register_fn("!", |a: bool| !a);
    macro_rules! blank_arithmetic {
        ($t:ty) => {
            e.register_fn("+", |_: (), b: $t| b);
            e.register_fn("+", |a: $t, _: ()| a);
            e.register_fn("-", |a: $t, _: ()| a);
            e.register_fn("-", |_: (), b: $t| -> Result<Dynamic, Box<EvalAltResult>> {
                to_val(&Dynamic::from(b)).and_then(|v| match v {
                    Val::Int(n) => {
                        n.checked_neg().map(Dynamic::from).ok_or_else(|| arithmetic("the number is too large"))
                    }
                    Val::Number(n) => Ok(Dynamic::from_decimal(-n)),
                    _ => unreachable!("a number"),
                })
            });
            for op in ["*", "/"] {
                e.register_fn(op, |_: (), _: $t| ());
                e.register_fn(op, |_: $t, _: ()| ());
            }
            for op in ["<", "<=", ">", ">="] {
                // Nothing is larger or smaller than an empty field.
                e.register_fn(op, |_: (), _: $t| false);
                e.register_fn(op, |_: $t, _: ()| false);
            }
        };
    }
    blank_arithmetic!(i64);
    blank_arithmetic!(Decimal);
    for op in ["*", "/"] {
        e.register_fn(op, |_: (), _: ()| ());
    }
    // Text with a value prints the value as the form would.
    macro_rules! text_join {
        ($t:ty) => {
            e.register_fn("+", |a: ImmutableString, b: $t| -> Result<String, Box<EvalAltResult>> {
                Ok(format!("{a}{}", printed(Dynamic::from(b))?))
            });
            e.register_fn("+", |a: $t, b: ImmutableString| -> Result<String, Box<EvalAltResult>> {
                Ok(format!("{}{b}", printed(Dynamic::from(a))?))
            });
        };
    }
    text_join!(i64);
    text_join!(Decimal);
    text_join!(NaiveDate);
    text_join!(Month);
    text_join!(FiscalYear);
    text_join!(());
    // Dates, months and fiscal years compare in time.
    macro_rules! ordered {
        ($t:ty) => {
            e.register_fn("==", |a: $t, b: $t| a == b);
            e.register_fn("!=", |a: $t, b: $t| a != b);
            e.register_fn("<", |a: $t, b: $t| a < b);
            e.register_fn("<=", |a: $t, b: $t| a <= b);
            e.register_fn(">", |a: $t, b: $t| a > b);
            e.register_fn(">=", |a: $t, b: $t| a >= b);
        };
    }
    ordered!(NaiveDate);
    ordered!(Month);
    ordered!(FiscalYear);
    // String interpolation (`${x}`) prints values as the form would too.
    macro_rules! to_text {
        ($t:ty) => {
            e.register_fn("to_string", |a: $t| -> Result<String, Box<EvalAltResult>> { printed(Dynamic::from(a)) });
        };
    }
    to_text!(i64);
    to_text!(Decimal);
    to_text!(NaiveDate);
    to_text!(Month);
    to_text!(FiscalYear);
    to_text!(());
}

fn printed(d: Dynamic) -> Result<String, Box<EvalAltResult>> {
    let v = to_val(&d)?;
    Printer::default().print(&v).map_err(|m| fn_error(FnError { kind: ErrorKind::Type, message: m, help: None }))
}

fn division_by_zero() -> Box<EvalAltResult> {
    arithmetic("division by zero")
}

fn arithmetic(message: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorArithmetic(message.into(), Position::NONE).into()
}

fn fn_error(e: FnError) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(e), Position::NONE).into()
}

// ---- values --------------------------------------------------------------------

fn to_dynamic(v: Val) -> Dynamic {
    match v {
        Val::Blank => Dynamic::UNIT,
        Val::Bool(b) => b.into(),
        Val::Int(n) => n.into(),
        Val::Number(n) => Dynamic::from_decimal(n),
        Val::Text(s) => s.into(),
        Val::Date(d) => Dynamic::from(d),
        Val::Month(m) => Dynamic::from(m),
        Val::FiscalYear(y) => Dynamic::from(FiscalYear(y)),
        Val::List(items) => Dynamic::from(ListRef(items)),
        Val::Record(fields) => Dynamic::from(RecordRef(fields)),
    }
}

fn to_val(d: &Dynamic) -> Result<Val, Box<EvalAltResult>> {
    if d.is_unit() {
        return Ok(Val::Blank);
    }
    if let Ok(b) = d.as_bool() {
        return Ok(Val::Bool(b));
    }
    if let Ok(n) = d.as_int() {
        return Ok(Val::Int(n));
    }
    if let Ok(n) = d.as_decimal() {
        return Ok(Val::Number(n));
    }
    if let Ok(c) = d.as_char() {
        return Ok(Val::Text(c.to_string()));
    }
    if d.is_string() {
        return Ok(Val::Text(d.clone().into_string().expect("a string")));
    }
    if let Some(date) = d.read_lock::<NaiveDate>() {
        return Ok(Val::Date(*date));
    }
    if let Some(m) = d.read_lock::<Month>() {
        return Ok(Val::Month(*m));
    }
    if let Some(y) = d.read_lock::<FiscalYear>() {
        return Ok(Val::FiscalYear(y.0));
    }
    if let Some(l) = d.read_lock::<ListRef>() {
        return Ok(Val::List(l.0.clone()));
    }
    if let Some(r) = d.read_lock::<RecordRef>() {
        return Ok(Val::Record(r.0.clone()));
    }
    if d.is_array() {
        let items = d.clone().into_array().expect("an array");
        return Ok(Val::list(items.iter().map(to_val).collect::<Result<_, _>>()?));
    }
    if d.is_map() {
        let map = d.clone().cast::<rhai::Map>();
        let fields =
            map.iter().map(|(k, v)| Ok((k.to_string(), to_val(v)?))).collect::<Result<_, Box<EvalAltResult>>>()?;
        return Ok(Val::record(fields));
    }
    Err(fn_error(FnError {
        kind: ErrorKind::Type,
        message: format!("the expression makes {}, which a form cannot use", type_words(d.type_name())),
        help: None,
    }))
}

// ---- compiling -----------------------------------------------------------------

pub(super) fn compile(source: &str) -> Result<Compiled, ExprError> {
    let line_starts = line_starts(source);
    let mut compiled =
        Compiled { ast: AST::empty(), names: Vec::new(), fields: Vec::new(), name_offsets: Vec::new(), line_starts };
    if source.trim().is_empty() {
        return Err(ExprError::new(ErrorKind::Syntax, "the expression is empty").at(Some(0)));
    }
    let ast = engine().compile_expression(source).map_err(|e| {
        let (message, help, kind) = parse_message(&e.0);
        ExprError::new(kind, message).at(compiled.offset(e.1)).with_help(help)
    })?;
    let mut problem: Option<ExprError> = None;
    ast.walk(&mut |path: &[ASTNode]| {
        let Some(ASTNode::Expr(node)) = path.last() else { return true };
        match node {
            Node::Variable(v, _, pos) => {
                let name = v.1.to_string();
                if !compiled.names.contains(&name) {
                    compiled.names.push(name);
                    compiled.name_offsets.push(compiled.offset(*pos).unwrap_or(0));
                }
            }
            Node::FnCall(call, pos) | Node::MethodCall(call, pos) if !call.is_operator_call() => {
                if let Err(e) = check_call(&call.name, call.args.len(), matches!(node, Node::MethodCall(..))) {
                    problem = Some(e.at(compiled.offset(*pos)));
                    return false;
                }
                // sum(entries, "jikangai"), join(entries, "biko", "、"), …
                let by_field = matches!(call.name.as_str(), "sum" | "count" | "min" | "max" | "join");
                if let (true, [Node::Variable(v, ..), Node::StringConstant(field, _), ..]) = (by_field, &call.args[..])
                {
                    if call.name != "join" || call.args.len() == 3 {
                        note_field(&mut compiled.fields, &v.1, field);
                    }
                }
            }
            // entries[0].jikangai is not a name's field; day.jikangai is.
            Node::Dot(dot, ..) => {
                if let Node::Variable(v, ..) = &dot.lhs {
                    let property = match &dot.rhs {
                        Node::Property(p, _) => Some(&p.2),
                        Node::Dot(inner, ..) => match &inner.lhs {
                            Node::Property(p, _) => Some(&p.2),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(property) = property {
                        note_field(&mut compiled.fields, &v.1, property);
                    }
                }
            }
            _ => {}
        }
        true
    });
    if let Some(problem) = problem {
        return Err(problem);
    }
    compiled.ast = ast;
    Ok(compiled)
}

fn note_field(fields: &mut Vec<(String, String)>, name: &str, field: &str) {
    let pair = (name.to_string(), field.to_string());
    if !fields.contains(&pair) {
        fields.push(pair);
    }
}

/// A call must name one of our functions with an accepted argument count
/// (a method call `d.weekday()` passes `d` as the first).
fn check_call(name: &str, args: usize, method: bool) -> Result<(), ExprError> {
    let args = args + usize::from(method);
    let Some(function) = functions::find(name) else {
        let help = match (name, nearest(name, FUNCTIONS.iter().map(|f| f.name))) {
            ("today" | "now", _) => {
                "yoshiki has no clock, so the same data always prints the same form; put the date in the data".into()
            }
            ("to_string" | "str" | "string" | "format", _) => "text(x) makes text of any value".into(),
            ("length" | "size", _) => "len(x) counts items or characters".into(),
            (_, Some(s)) => format!("did you mean `{s}`?"),
            (_, None) => "see the list of functions in docs/expressions.md".into(),
        };
        return Err(
            ExprError::new(ErrorKind::UnknownFunction, format!("there is no function `{name}`")).with_help(Some(help))
        );
    };
    if !function.arities.contains(&args) {
        let counts: Vec<String> = function.arities.iter().map(|n| n.to_string()).collect();
        return Err(ExprError::new(
            ErrorKind::UnknownFunction,
            format!(
                "{name} takes {} argument{}, not {args}",
                counts.join(" or "),
                if function.arities == [1] { "" } else { "s" }
            ),
        )
        .with_help(Some(format!("write {}", function.usage))));
    }
    Ok(())
}

fn line_starts(source: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, c) in source.chars().enumerate() {
        if c == '\n' {
            starts.push(i + 1);
        }
    }
    starts
}

fn parse_message(e: &ParseErrorType) -> (String, Option<String>, ErrorKind) {
    let statements = || Some("an expression computes one value: no `let`, `;`, `=`, loops or blocks".to_string());
    match e {
        ParseErrorType::ExprTooDeep => (
            format!("the expression is nested too deeply (the limit is {} levels)", LIMITS.depth),
            Some("split it into computed values".into()),
            ErrorKind::Limit,
        ),
        ParseErrorType::UnexpectedEOF => ("the expression ends too early".into(), None, ErrorKind::Syntax),
        ParseErrorType::MissingToken(token, what) => (format!("`{token}` is missing {what}"), None, ErrorKind::Syntax),
        ParseErrorType::BadInput(lex) => {
            let text = lex.to_string();
            match text.strip_prefix("Unexpected '").and_then(|t| t.strip_suffix('\'')) {
                Some(token) if STATEMENT_WORDS.contains(&token) => {
                    (format!("`{token}` cannot be used in an expression"), statements(), ErrorKind::Syntax)
                }
                Some(token) => (format!("unexpected `{token}`"), None, ErrorKind::Syntax),
                None => (format!("cannot read this: {text}"), None, ErrorKind::Syntax),
            }
        }
        ParseErrorType::Reserved(word) => {
            (format!("`{word}` is reserved and cannot be used in an expression"), statements(), ErrorKind::Syntax)
        }
        ParseErrorType::UnknownOperator(op) => (format!("`{op}` is not an operator"), None, ErrorKind::Syntax),
        ParseErrorType::WrongFnDefinition
        | ParseErrorType::VariableExists(..)
        | ParseErrorType::AssignmentToConstant(..)
        | ParseErrorType::AssignmentToInvalidLHS(..) => {
            ("statements are not allowed here".into(), statements(), ErrorKind::Syntax)
        }
        other => (other.to_string(), None, ErrorKind::Syntax),
    }
}

/// Tokens that start or separate statements, which expressions do not have.
const STATEMENT_WORDS: &[&str] = &[
    "let", "const", "for", "while", "loop", "do", "until", "return", "break", "continue", "throw", "try", "catch", ";",
    "=", "+=", "-=", "*=", "/=", "{",
];

// ---- evaluating ----------------------------------------------------------------

pub(super) fn eval(compiled: &Compiled, env: &dyn Env) -> Result<Val, ExprError> {
    let mut scope = Scope::new();
    for (name, &offset) in compiled.names.iter().zip(&compiled.name_offsets) {
        let Some(value) = env.get(name) else {
            let names = env.names();
            let help = nearest(name, names.iter().map(String::as_str)).map(|s| format!("did you mean `{s}`?"));
            return Err(ExprError::new(ErrorKind::UnknownName, format!("there is no field or value named `{name}`"))
                .at(Some(offset))
                .with_help(help));
        };
        scope.push_constant_dynamic(name.as_str(), to_dynamic(value));
    }
    let result =
        engine().eval_ast_with_scope::<Dynamic>(&mut scope, &compiled.ast).map_err(|e| runtime_error(compiled, *e))?;
    to_val(&result).map_err(|e| runtime_error(compiled, *e))
}

fn runtime_error(compiled: &Compiled, e: EvalAltResult) -> ExprError {
    let at = compiled.offset(e.position());
    let err = |kind, message: String| ExprError::new(kind, message).at(at);
    match e {
        EvalAltResult::ErrorRuntime(payload, _) => match payload.try_cast::<FnError>() {
            Some(f) => err(f.kind, f.message).with_help(f.help),
            None => err(ErrorKind::Value, "the expression failed".into()),
        },
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => {
            let inner = runtime_error(compiled, *inner);
            ExprError { offset: inner.offset.or(at), ..inner }
        }
        EvalAltResult::ErrorArithmetic(message, _) => {
            let lower = message.to_lowercase();
            if lower.contains("division by zero") {
                err(ErrorKind::Arithmetic, "division by zero".into())
                    .with_help(Some("check that the divisor cannot be 0".into()))
            } else if lower.contains("overflow") || lower.contains("too large") {
                err(ErrorKind::Arithmetic, "the number is too large".into())
            } else {
                err(ErrorKind::Arithmetic, message)
            }
        }
        EvalAltResult::ErrorTooManyOperations(_) => err(
            ErrorKind::Limit,
            format!("the expression takes more than the limit of {} operations", LIMITS.operations),
        ),
        EvalAltResult::ErrorStackOverflow(_) => err(ErrorKind::Limit, "the expression is nested too deeply".into()),
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            let message = if what.contains("string") || what.contains("String") {
                format!("the expression makes a text over the limit of {} bytes", LIMITS.text_bytes)
            } else {
                format!("the expression makes a list over the limit of {} items", LIMITS.list_items)
            };
            err(ErrorKind::Limit, message)
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            let (kind, message) = operator_message(&signature);
            let help = (message.contains("a date and")).then(|| "add days with add_days(date, n)".to_string());
            err(kind, message).with_help(help)
        }
        EvalAltResult::ErrorMismatchDataType(wanted, got, _) => {
            err(ErrorKind::Type, format!("expected {}, but got {}", type_words(&wanted), type_words(&got)))
                .with_help((wanted == "bool").then(|| "a condition needs a comparison, such as x > 0".to_string()))
        }
        EvalAltResult::ErrorIndexingType(what, _) => {
            err(ErrorKind::Type, format!("{} cannot be indexed with […]", type_words(&what)))
        }
        EvalAltResult::ErrorPropertyNotFound(text, _) | EvalAltResult::ErrorDotExpr(text, _) => {
            // "Unknown property 'yaer' - a getter is not registered for type 'date'"
            let quoted: Vec<&str> = text.split('\'').skip(1).step_by(2).collect();
            match quoted.as_slice() {
                [name, on] => {
                    let known: &[&str] = match *on {
                        "date" => &["year", "month", "day"],
                        "month" => &["year", "month"],
                        "fiscal year" => &["year"],
                        _ => &[],
                    };
                    let help = (!known.is_empty()).then(|| {
                        format!("it has {}", known.iter().map(|k| format!("`.{k}`")).collect::<Vec<_>>().join(", "))
                    });
                    err(ErrorKind::Type, format!("{} has no `.{name}`", type_words(on))).with_help(help)
                }
                _ => err(ErrorKind::Type, text),
            }
        }
        EvalAltResult::ErrorVariableNotFound(name, _) => {
            err(ErrorKind::UnknownName, format!("there is no field or value named `{name}`"))
        }
        other => err(ErrorKind::Value, other.to_string()),
    }
}

/// `- (string, i64)` → "`-` does not work on text and a whole number".
fn operator_message(signature: &str) -> (ErrorKind, String) {
    let (name, args) = signature.split_once(" (").unwrap_or((signature, ")"));
    let args: Vec<String> = args.trim_end_matches(')').split(", ").filter(|a| !a.is_empty()).map(type_words).collect();
    let is_operator = !name.starts_with(|c: char| c.is_alphabetic() || c == '_');
    if let Some(property) = name.strip_prefix("get$") {
        let on = args.first().cloned().unwrap_or_default();
        return (ErrorKind::Type, format!("{on} has no `.{property}`"));
    }
    if name == "index$get$" {
        let on = args.first().cloned().unwrap_or_default();
        return (ErrorKind::Type, format!("{on} cannot be indexed with […]"));
    }
    let message = match (is_operator, args.as_slice()) {
        (true, [a, b]) => format!("`{name}` does not work on {a} and {b}"),
        (true, [a]) => format!("`{name}` does not work on {a}"),
        _ => format!("`{name}` cannot be used on {}", args.join(", ")),
    };
    (ErrorKind::Type, message)
}

/// rhai's type names in our words.
fn type_words(name: &str) -> String {
    // `str | ImmutableString | String`: one type, several spellings.
    let name = name.split(" | ").next().unwrap_or(name);
    let name = name.trim().trim_start_matches("&mut ").trim_start_matches('&');
    match name {
        "()" => "a blank",
        "bool" => "true/false",
        "i64" | "int" => "a whole number",
        "decimal" | "rust_decimal::Decimal" | "Decimal" => "a number",
        "string" | "ImmutableString" | "String" | "str" | "char" => "text",
        "date" => "a date",
        "month" => "a month",
        "fiscal year" => "a fiscal year",
        "list" | "array" => "a list",
        "record" | "map" => "a record",
        other if other.contains("Range") => "a range",
        other => return other.to_string(),
    }
    .to_string()
}
