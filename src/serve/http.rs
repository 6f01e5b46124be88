//! HTTP/1.1 over `std::net`, with hard limits: a request head of at most
//! [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers, a body of at most
//! [`MAX_BODY`] bytes given by `Content-Length` (no chunked bodies), idle
//! and slow connections timed out, at most [`MAX_CONNECTIONS`] at once. A
//! malformed request gets a 4xx and the connection is closed; nothing a
//! client sends can make the server panic or grow without bound.
//!
//! Parsing is `httparse`'s (the parser hyper uses); everything else is
//! here, so that every limit is visible in one place.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Largest request line + headers.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most headers in a request.
pub const MAX_HEADERS: usize = 48;
/// Largest request body (a plan's data is ~150 KB as JSON).
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a connection may wait for (the rest of) a request.
const READ_TIMEOUT: Duration = Duration::from_secs(20);
const WRITE_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one request may take to arrive once it has begun (a client
/// sending a byte now and then must not hold a connection for ever).
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);
/// Requests served on one kept-alive connection.
const MAX_REQUESTS_PER_CONNECTION: usize = 10_000;

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path part of the target, as sent (not decoded).
    pub path: String,
    /// The query's parameters, percent-decoded.
    pub query: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A header's value (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers.iter().filter(|(n, _)| n == "cookie").flat_map(|(_, v)| v.split(';')).find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    }
}

/// A response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, content_type, headers: Vec::new(), body: body.into() }
    }

    /// A short plain-text answer (errors, refusals).
    pub fn text(status: u16, message: impl Into<String>) -> Response {
        let mut body = message.into();
        body.push('\n');
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// The reason phrase of a status.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Accept connections on `listener` forever, one thread per connection
/// (at most [`MAX_CONNECTIONS`]), each request answered by `handle`.
pub fn serve(listener: TcpListener, handle: Arc<dyn Fn(&Request) -> Response + Send + Sync>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(&mut stream, &Response::text(503, "too many connections"), false, false);
            continue;
        }
        let (counter, handle) = (open.clone(), handle.clone());
        let spawned = std::thread::Builder::new().name("yoshiki-http".into()).spawn(move || {
            connection(stream, &*handle);
            counter.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            // Not started: it will not count itself down.
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Serve the requests of one connection until it closes, times out or
/// sends something malformed.
fn connection(mut stream: TcpStream, handle: &dyn Fn(&Request) -> Response) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        match read_request(&mut stream, &mut buf) {
            Ok(None) => return,
            Ok(Some((request, keep_alive))) => {
                let head_only = request.method == "HEAD";
                // A bug must cost one answer, not the server.
                let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(&request)))
                    .unwrap_or_else(|_| Response::text(500, "internal error (a bug in yoshiki): please report it"));
                if write_response(&mut stream, &response, keep_alive, head_only).is_err() || !keep_alive {
                    return;
                }
            }
            Err(status) => {
                let _ = write_response(&mut stream, &Response::text(status, reason(status)), false, false);
                linger(&mut stream);
                return;
            }
        }
    }
}

/// After refusing a request whose body is still coming, read (and drop)
/// a little of it before closing: closing with unread data resets the
/// connection, and the client could lose the answer.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 8192];
    let mut left = 2 * MAX_BODY;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Read one request from `stream` (bytes already read are in `buf`, and
/// what follows the request stays there). `Ok(None)`: the connection
/// closed or idled out between requests. `Err(status)`: answer and close.
fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<(Request, bool)>, u16> {
    let mut chunk = [0u8; 8192];
    let mut began: Option<std::time::Instant> = (!buf.is_empty()).then(std::time::Instant::now);
    let late = |began: Option<std::time::Instant>| began.is_some_and(|b| b.elapsed() > REQUEST_DEADLINE);
    // The head.
    let (head_len, request, keep_alive, length) = loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut parsed = httparse::Request::new(&mut headers);
            match parsed.parse(buf) {
                Ok(httparse::Status::Complete(len)) => {
                    let (request, keep_alive, length) = head(&parsed)?;
                    break (len, request, keep_alive, length);
                }
                Ok(httparse::Status::Partial) => {
                    if buf.len() >= MAX_HEAD {
                        return Err(431);
                    }
                }
                Err(httparse::Error::TooManyHeaders) => return Err(431),
                Err(_) => return Err(400),
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) => return if buf.is_empty() { Ok(None) } else { Err(400) },
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                began.get_or_insert_with(std::time::Instant::now);
            }
            Err(_) if buf.is_empty() => return Ok(None),
            Err(_) => return Err(408),
        }
        if buf.len() > MAX_HEAD + chunk.len() {
            return Err(431);
        }
        if late(began) {
            return Err(408);
        }
    };
    if head_len > MAX_HEAD {
        return Err(431);
    }
    if length > MAX_BODY {
        return Err(413);
    }
    // The body.
    while buf.len() < head_len + length {
        match stream.read(&mut chunk) {
            Ok(0) => return Err(400),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(408),
        }
        if late(began) {
            return Err(408);
        }
    }
    let mut request = request;
    request.body = buf[head_len..head_len + length].to_vec();
    buf.drain(..head_len + length);
    Ok(Some((request, keep_alive)))
}

/// The request's method, target and headers; whether the connection stays
/// open; the body's length.
fn head(parsed: &httparse::Request) -> Result<(Request, bool, usize), u16> {
    let method = parsed.method.ok_or(400u16)?.to_string();
    if !matches!(method.as_str(), "GET" | "HEAD" | "POST") {
        return Err(405);
    }
    let target = parsed.path.ok_or(400u16)?;
    if !target.starts_with('/') {
        return Err(400);
    }
    let version = parsed.version.ok_or(400u16)?;
    let mut headers = Vec::with_capacity(parsed.headers.len());
    for h in parsed.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| 400u16)?;
        headers.push((h.name.to_ascii_lowercase(), value.trim().to_string()));
    }
    fn get<'h>(headers: &'h [(String, String)], name: &'h str) -> impl Iterator<Item = &'h str> {
        headers.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    if get(&headers, "transfer-encoding").next().is_some() {
        return Err(411);
    }
    let lengths: Vec<&str> = get(&headers, "content-length").collect();
    let length = match lengths.as_slice() {
        [] => 0,
        [one] => one.parse::<usize>().map_err(|_| 400u16)?,
        _ => return Err(400),
    };
    if method == "POST" && lengths.is_empty() {
        return Err(411);
    }
    let connection = get(&headers, "connection").next().unwrap_or("").to_ascii_lowercase();
    let keep_alive = if version == 1 { !connection.contains("close") } else { connection.contains("keep-alive") };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = parse_query(query).ok_or(400u16)?;
    Ok((Request { method, path: path.to_string(), query, headers, body: Vec::new() }, keep_alive, length))
}

/// `a=1&b=x%2Fy` → [(a, 1), (b, x/y)]; `None` if it does not decode.
pub fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

/// Decode `%XX` escapes and `+` (a space in a query); `None` for a bad
/// escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encode `s` for a query value or a URL path part.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Write `response` with the headers every answer carries: no caching, no
/// sniffing, no framing by other sites, no referrer, scripts and styles
/// from this server only.
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if !response.headers.iter().any(|(n, _)| *n == "Cache-Control") {
        head.push_str("Cache-Control: no-store\r\n");
    }
    head.push_str(
        "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         X-Frame-Options: DENY\r\nCross-Origin-Resource-Policy: same-origin\r\n\
         Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'\r\n",
    );
    for (name, value) in &response.headers {
        // Values are ours, but never let one break the head.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if !head_only {
        out.extend_from_slice(&response.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode() {
        assert_eq!(
            parse_query("file=data%2Fx.yaml&q=a+b&e="),
            Some(vec![("file".into(), "data/x.yaml".into()), ("q".into(), "a b".into()), ("e".into(), "".into())])
        );
        assert_eq!(percent_decode("%E5%B9%B4"), Some("年".into()));
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None, "not UTF-8");
        assert_eq!(percent_encode("data/年 x.yaml"), "data/%E5%B9%B4%20x.yaml");
    }
}
