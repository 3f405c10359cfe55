//! A tiny SMTP server on loopback that records what it receives.
//!
//! For tests only: unit tests, integration tests and end-to-end tests that run
//! the real binary with `smtp://127.0.0.1:<port>?tls=none`. It speaks EHLO,
//! HELO, AUTH PLAIN/LOGIN (any credentials are accepted and recorded), MAIL,
//! RCPT, DATA (with dot-unstuffing), RSET, NOOP and QUIT, and can be told to
//! answer a failure code at one stage. Every read has a timeout and every loop
//! is bounded, so a confused client cannot hang a test. Dropping the sink
//! stops it.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one connection may stay open.
const CONNECTION_LIMIT: Duration = Duration::from_secs(30);
/// Read timeout between checks of the stop flag.
const POLL: Duration = Duration::from_millis(50);
/// Largest accepted line and message.
const MAX_LINE: usize = 64 * 1024;
const MAX_MESSAGE: usize = 32 * 1024 * 1024;
const MAX_CONNECTIONS: usize = 256;

/// One message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The `MAIL FROM` address, without `<>`.
    pub mail_from: String,
    /// The `RCPT TO` addresses, without `<>`, in order.
    pub rcpt_to: Vec<String>,
    /// The message after dot-unstuffing, without the final `.` line.
    pub data: Vec<u8>,
    /// User and password from `AUTH`, if the client logged in.
    pub auth: Option<(String, String)>,
}

/// The point in a session at which a failure is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The greeting.
    Connect,
    /// `MAIL FROM`.
    MailFrom,
    /// `RCPT TO`.
    RcptTo,
    /// After the message data (the message is not recorded).
    Data,
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    arrived: Condvar,
    failure: Mutex<Option<(Stage, u16)>>,
    stop: AtomicBool,
}

/// A running sink; see the module docs.
pub struct SmtpSink {
    /// Where it listens (127.0.0.1, a free port).
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Start a sink that accepts everything.
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP sink on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("make SMTP sink listener non-blocking");
        let addr = listener.local_addr().expect("SMTP sink address");
        let shared = Arc::new(Shared::default());
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept_loop(listener, shared))
        };
        SmtpSink {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// Start a sink that answers `code` at `stage` (e.g. 550 at `RcptTo`).
    pub fn start_failing(stage: Stage, code: u16) -> SmtpSink {
        let sink = SmtpSink::start();
        sink.fail_at(Some((stage, code)));
        sink
    }

    /// Change the simulated failure for new commands; `None` accepts again.
    pub fn fail_at(&self, failure: Option<(Stage, u16)>) {
        *lock(&self.shared.failure) = failure;
    }

    /// The transport string for this sink: `smtp://127.0.0.1:<port>?tls=none`.
    pub fn transport_url(&self) -> String {
        format!("smtp://{}?tls=none", self.addr)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Everything received so far.
    pub fn messages(&self) -> Vec<Received> {
        lock(&self.shared.messages).clone()
    }

    /// Wait until at least `n` messages arrived or `timeout` passed, and
    /// return what arrived.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        let mut messages = lock(&self.shared.messages);
        while messages.len() < n {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            messages = match self.shared.arrived.wait_timeout(messages, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        messages.clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut sessions: Vec<JoinHandle<()>> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                sessions.retain(|handle| !handle.is_finished());
                if !peer.ip().is_loopback() || sessions.len() >= MAX_CONNECTIONS {
                    continue;
                }
                let shared = Arc::clone(&shared);
                sessions.push(std::thread::spawn(move || {
                    let _ = session(stream, &shared);
                }));
            }
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    for handle in sessions {
        let _ = handle.join();
    }
}

enum Line {
    Data(Vec<u8>),
    Closed,
}

struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    started: Instant,
}

impl Conn {
    /// Send a reply; `text` may hold several lines separated by `\n`. One
    /// write per reply, so Nagle's algorithm does not stall the client.
    fn reply(&mut self, text: &str) -> std::io::Result<()> {
        let mut out = String::with_capacity(text.len() + 8);
        for line in text.split('\n') {
            out.push_str(line);
            out.push_str("\r\n");
        }
        self.writer.write_all(out.as_bytes())?;
        self.writer.flush()
    }

    /// One line including its ending, or `Closed` on end of stream, stop,
    /// over-long line or when the connection outlived its limit.
    fn line(&mut self, shared: &Shared) -> std::io::Result<Line> {
        let mut buf = Vec::new();
        loop {
            if shared.stop.load(Ordering::SeqCst) || self.started.elapsed() > CONNECTION_LIMIT {
                return Ok(Line::Closed);
            }
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return Ok(Line::Closed),
                Ok(_) if buf.ends_with(b"\n") => return Ok(Line::Data(buf)),
                Ok(_) => {}
                Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
            if buf.len() > MAX_LINE {
                return Ok(Line::Closed);
            }
        }
    }
}

fn failure_at(shared: &Shared, stage: Stage) -> Option<u16> {
    match *lock(&shared.failure) {
        Some((at, code)) if at == stage => Some(code),
        _ => None,
    }
}

fn failure_reply(code: u16) -> String {
    format!("{code} simulated failure")
}

/// The address inside `<...>` after `FROM:`/`TO:`, parameters ignored.
fn path_argument(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        Some(inner[..end].to_owned())
    } else {
        rest.split_whitespace().next().map(str::to_owned)
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for byte in text.trim().bytes() {
        if byte == b'=' {
            break;
        }
        let value = ALPHABET.iter().position(|&c| c == byte)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn decode_text(text: &str) -> String {
    decode_base64(text)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

fn session(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(POLL))?;
    stream.set_nodelay(true)?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut conn = Conn {
        reader: BufReader::new(stream.try_clone()?),
        writer: stream,
        started: Instant::now(),
    };
    if let Some(code) = failure_at(shared, Stage::Connect) {
        conn.reply(&failure_reply(code))?;
        return Ok(());
    }
    conn.reply("220 casebook-sink ESMTP ready")?;

    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut auth: Option<(String, String)> = None;

    loop {
        let raw = match conn.line(shared)? {
            Line::Data(raw) => raw,
            Line::Closed => return Ok(()),
        };
        let line = String::from_utf8_lossy(&raw);
        let line = line.trim_end_matches(['\r', '\n']);
        let (verb, rest) = match line.split_once(' ') {
            Some((verb, rest)) => (verb.to_ascii_uppercase(), rest),
            None => (line.to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" => {
                mail_from = None;
                rcpt_to.clear();
                conn.reply(&format!(
                    "250-casebook-sink greets you\n250-8BITMIME\n250-SMTPUTF8\n\
                     250-AUTH PLAIN LOGIN\n250 SIZE {MAX_MESSAGE}"
                ))?;
            }
            "HELO" => {
                mail_from = None;
                rcpt_to.clear();
                conn.reply("250 casebook-sink")?;
            }
            "AUTH" => {
                let mut words = rest.split_whitespace();
                let mechanism = words.next().unwrap_or("").to_ascii_uppercase();
                let initial = words.next().map(str::to_owned);
                match mechanism.as_str() {
                    "PLAIN" => {
                        let response = match initial {
                            Some(initial) => initial,
                            None => {
                                conn.reply("334 ")?;
                                match conn.line(shared)? {
                                    Line::Data(raw) => {
                                        String::from_utf8_lossy(&raw).trim().to_owned()
                                    }
                                    Line::Closed => return Ok(()),
                                }
                            }
                        };
                        let decoded = decode_base64(&response).unwrap_or_default();
                        let mut parts = decoded.split(|&b| b == 0).skip(1);
                        let user =
                            String::from_utf8_lossy(parts.next().unwrap_or(b"")).into_owned();
                        let pass =
                            String::from_utf8_lossy(parts.next().unwrap_or(b"")).into_owned();
                        auth = Some((user, pass));
                        conn.reply("235 2.7.0 authenticated")?;
                    }
                    "LOGIN" => {
                        let user = match initial {
                            Some(initial) => decode_text(&initial),
                            None => {
                                conn.reply("334 VXNlcm5hbWU6")?;
                                match conn.line(shared)? {
                                    Line::Data(raw) => decode_text(&String::from_utf8_lossy(&raw)),
                                    Line::Closed => return Ok(()),
                                }
                            }
                        };
                        conn.reply("334 UGFzc3dvcmQ6")?;
                        let pass = match conn.line(shared)? {
                            Line::Data(raw) => decode_text(&String::from_utf8_lossy(&raw)),
                            Line::Closed => return Ok(()),
                        };
                        auth = Some((user, pass));
                        conn.reply("235 2.7.0 authenticated")?;
                    }
                    _ => conn.reply("504 5.5.4 mechanism not supported")?,
                }
            }
            "MAIL" => {
                let Some(arg) = strip_ci(rest, "FROM:").and_then(path_argument) else {
                    conn.reply("501 5.5.4 syntax: MAIL FROM:<address>")?;
                    continue;
                };
                if let Some(code) = failure_at(shared, Stage::MailFrom) {
                    conn.reply(&failure_reply(code))?;
                    continue;
                }
                mail_from = Some(arg);
                rcpt_to.clear();
                conn.reply("250 2.1.0 sender ok")?;
            }
            "RCPT" => {
                if mail_from.is_none() {
                    conn.reply("503 5.5.1 MAIL first")?;
                    continue;
                }
                let Some(arg) = strip_ci(rest, "TO:").and_then(path_argument) else {
                    conn.reply("501 5.5.4 syntax: RCPT TO:<address>")?;
                    continue;
                };
                if let Some(code) = failure_at(shared, Stage::RcptTo) {
                    conn.reply(&failure_reply(code))?;
                    continue;
                }
                rcpt_to.push(arg);
                conn.reply("250 2.1.5 recipient ok")?;
            }
            "DATA" => {
                if mail_from.is_none() || rcpt_to.is_empty() {
                    conn.reply("503 5.5.1 MAIL and RCPT first")?;
                    continue;
                }
                conn.reply("354 end data with <CR><LF>.<CR><LF>")?;
                let mut data = Vec::new();
                loop {
                    let raw = match conn.line(shared)? {
                        Line::Data(raw) => raw,
                        Line::Closed => return Ok(()),
                    };
                    if raw == b".\r\n" || raw == b".\n" {
                        break;
                    }
                    let unstuffed = raw.strip_prefix(b".").unwrap_or(&raw);
                    data.extend_from_slice(unstuffed);
                    if data.len() > MAX_MESSAGE {
                        conn.reply("552 5.3.4 message too big")?;
                        return Ok(());
                    }
                }
                if let Some(code) = failure_at(shared, Stage::Data) {
                    conn.reply(&failure_reply(code))?;
                } else {
                    let received = Received {
                        mail_from: mail_from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpt_to),
                        data,
                        auth: auth.clone(),
                    };
                    lock(&shared.messages).push(received);
                    shared.arrived.notify_all();
                    conn.reply("250 2.0.0 queued")?;
                }
                mail_from = None;
                rcpt_to.clear();
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                conn.reply("250 2.0.0 reset")?;
            }
            "NOOP" => conn.reply("250 2.0.0 ok")?,
            "VRFY" => conn.reply("252 2.5.2 cannot verify")?,
            "STARTTLS" => conn.reply("454 4.7.0 TLS not available")?,
            "QUIT" => {
                conn.reply("221 2.0.0 bye")?;
                return Ok(());
            }
            _ => conn.reply("502 5.5.2 command not recognized")?,
        }
    }
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let s = s.trim_start();
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    struct Client {
        reader: BufReader<TcpStream>,
        writer: TcpStream,
    }

    impl Client {
        fn connect(sink: &SmtpSink) -> Client {
            let stream = TcpStream::connect(sink.addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            Client {
                reader: BufReader::new(stream.try_clone().unwrap()),
                writer: stream,
            }
        }

        /// Read one reply (all continuation lines); return the last line.
        fn reply(&mut self) -> String {
            loop {
                let mut line = String::new();
                self.reader.read_line(&mut line).unwrap();
                if line.as_bytes().get(3) != Some(&b'-') {
                    return line.trim_end().to_owned();
                }
            }
        }

        fn send(&mut self, text: &str) -> String {
            self.writer.write_all(text.as_bytes()).unwrap();
            self.reply()
        }
    }

    #[test]
    fn speaks_enough_smtp() {
        let sink = SmtpSink::start();
        let mut c = Client::connect(&sink);
        assert!(c.reply().starts_with("220 "));
        assert!(c.send("EHLO test\r\n").starts_with("250 "));
        assert!(c.send("NOOP\r\n").starts_with("250 "));
        assert!(
            c.send("RCPT TO:<a@b>\r\n").starts_with("503 "),
            "RCPT before MAIL"
        );
        assert!(c.send("DATA\r\n").starts_with("503 "), "DATA before RCPT");
        assert!(c
            .send("MAIL FROM:<first@x> SIZE=10\r\n")
            .starts_with("250 "));
        assert!(c.send("RCPT TO:<dropped@x>\r\n").starts_with("250 "));
        assert!(c.send("RSET\r\n").starts_with("250 "));
        assert!(
            c.send("mail from:<from@x>\r\n").starts_with("250 "),
            "verbs are case-insensitive"
        );
        assert!(c.send("RCPT TO:<one@x>\r\n").starts_with("250 "));
        assert!(c.send("RCPT TO: <two@x>\r\n").starts_with("250 "));
        assert!(c.send("DATA\r\n").starts_with("354 "));
        let reply = c.send("Subject: s\r\n\r\n..leading dot\r\n.. \r\n.x\r\n.\r\n");
        assert!(reply.starts_with("250 "), "{reply}");
        assert!(c.send("BOGUS\r\n").starts_with("502 "));
        assert!(c.send("QUIT\r\n").starts_with("221 "));

        let got = sink.wait_for(1, Duration::from_secs(5));
        assert_eq!(
            got,
            vec![Received {
                mail_from: "from@x".into(),
                rcpt_to: vec!["one@x".into(), "two@x".into()],
                data: b"Subject: s\r\n\r\n.leading dot\r\n. \r\nx\r\n".to_vec(),
                auth: None,
            }]
        );
        assert_eq!(sink.messages(), got);
    }

    #[test]
    fn wait_for_returns_after_timeout() {
        let sink = SmtpSink::start();
        let started = Instant::now();
        assert!(sink.wait_for(1, Duration::from_millis(100)).is_empty());
        assert!(started.elapsed() >= Duration::from_millis(100));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn decodes_auth_plain_and_login() {
        assert_eq!(decode_base64("AHVzZXIAcGFzcw==").unwrap(), b"\0user\0pass");
        assert_eq!(decode_text("dXNlcg=="), "user");
        let sink = SmtpSink::start();
        let mut c = Client::connect(&sink);
        c.reply();
        c.send("EHLO t\r\n");
        assert!(c.send("AUTH LOGIN\r\n").starts_with("334 "));
        assert!(c.send("dXNlcg==\r\n").starts_with("334 "));
        assert!(c.send("cGFzcw==\r\n").starts_with("235 "));
        c.send("MAIL FROM:<a@x>\r\n");
        c.send("RCPT TO:<b@x>\r\n");
        c.send("DATA\r\n");
        c.send("x\r\n.\r\n");
        let got = sink.wait_for(1, Duration::from_secs(5));
        assert_eq!(got[0].auth, Some(("user".into(), "pass".into())));
    }

    #[test]
    fn simulated_failure_and_drop() {
        let sink = SmtpSink::start_failing(Stage::Connect, 421);
        let addr = sink.addr;
        let mut c = Client::connect(&sink);
        assert_eq!(c.reply(), "421 simulated failure");
        let mut rest = Vec::new();
        let _ = c.reader.read_to_end(&mut rest);
        assert!(rest.is_empty(), "connection closed after the failure");

        // A client that connects and says nothing does not keep the sink alive.
        let idle = Client::connect(&sink);
        let started = Instant::now();
        drop(sink);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        drop(idle);
        assert!(TcpStream::connect(addr).is_err(), "stopped listening");
    }
}
