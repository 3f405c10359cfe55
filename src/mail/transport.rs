//! Delivering built messages through the configured transport.
//!
//! The transport is one string in the configuration:
//!
//! | form                              | meaning                                        |
//! |-----------------------------------|------------------------------------------------|
//! | `sendmail`                        | `sendmail` from `PATH`, else `/usr/sbin/sendmail` or `/usr/lib/sendmail` |
//! | `sendmail:/usr/sbin/sendmail`     | that command                                   |
//! | `smtp://host:587`                 | SMTP with STARTTLS required (port 25 if none)  |
//! | `smtp://user@host:587`            | the same, logging in as `user`                 |
//! | `smtp://127.0.0.1:2525?tls=none`  | plain SMTP, loopback hosts only                |
//! | `file:/var/spool/casebook`        | one `<message-id>.eml` file per message        |
//! | `none`                            | deliver nothing, report the message as skipped |
//!
//! The SMTP password never appears in the string: see [`Secret`].

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, SendmailTransport, SmtpTransport, Transport as _};

/// Environment variable holding the SMTP password.
pub const PASSWORD_ENV: &str = "CASEBOOK_SMTP_PASSWORD";

const ACCEPTED_FORMS: &str = "accepted forms: `sendmail`, `sendmail:/path/to/sendmail`, \
`smtp://host[:port]`, `smtp://user@host[:port]`, `smtp://host[:port]?tls=none` (loopback hosts only), \
`file:/path/to/dir`, `none`";

/// Encryption on an SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Upgrade with STARTTLS and refuse to send if the server cannot.
    StartTls,
    /// No encryption; only allowed to loopback hosts.
    Plain,
}

/// Where outgoing mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Pipe to a sendmail-compatible command (`sendmail` from `PATH` if none).
    Sendmail { command: Option<PathBuf> },
    /// Talk SMTP to a relay.
    Smtp {
        host: String,
        port: u16,
        user: Option<String>,
        tls: SmtpTls,
    },
    /// Write `<message-id>.eml` files into a directory.
    File { dir: PathBuf },
    /// Deliver nothing.
    None,
}

/// A transport string that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid mail transport `{input}`: {reason}; {ACCEPTED_FORMS}")]
pub struct ParseTransportError {
    pub input: String,
    pub reason: String,
}

impl FromStr for Transport {
    type Err = ParseTransportError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason: &str| ParseTransportError {
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let s = input.trim();
        if s.eq_ignore_ascii_case("none") {
            return Ok(Transport::None);
        }
        if s.eq_ignore_ascii_case("sendmail") {
            return Ok(Transport::Sendmail { command: None });
        }
        if let Some(command) = strip_prefix_ci(s, "sendmail:") {
            if command.is_empty() {
                return Err(fail("`sendmail:` needs a command path after the colon"));
            }
            return Ok(Transport::Sendmail {
                command: Some(PathBuf::from(command)),
            });
        }
        if let Some(dir) = strip_prefix_ci(s, "file:") {
            // Accept `file:///dir` as well as `file:/dir`.
            let dir = match dir.strip_prefix("//") {
                Some(rest) if rest.starts_with('/') => rest,
                _ => dir,
            };
            if dir.is_empty() {
                return Err(fail("`file:` needs a directory after the colon"));
            }
            return Ok(Transport::File {
                dir: PathBuf::from(dir),
            });
        }
        if let Some(rest) = strip_prefix_ci(s, "smtp://") {
            return parse_smtp(rest).map_err(|reason| fail(&reason));
        }
        if strip_prefix_ci(s, "smtps://").is_some() {
            return Err(fail(
                "`smtps://` (implicit TLS) is not supported; use `smtp://host:587`, which requires STARTTLS",
            ));
        }
        Err(fail("unknown transport"))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn parse_smtp(rest: &str) -> Result<Transport, String> {
    let (authority, query) = match rest.split_once('?') {
        Some((authority, query)) => (authority, Some(query)),
        None => (rest, None),
    };
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((user, hostport)) => {
            if user.is_empty() {
                return Err("the user before `@` is empty".to_owned());
            }
            if user.contains(':') {
                return Err(format!(
                    "passwords never go in the transport string; set {PASSWORD_ENV} or `smtp_password_file` instead"
                ));
            }
            if user
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '/')
            {
                return Err(format!("user `{user}` contains white space or `/`"));
            }
            (Some(user.to_owned()), hostport)
        }
        None => (None, authority),
    };
    let (host, port) = split_host_port(hostport)?;

    let mut tls = SmtpTls::StartTls;
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", value)) if value.eq_ignore_ascii_case("none") => tls = SmtpTls::Plain,
                Some(("tls", value)) if value.eq_ignore_ascii_case("starttls") => {
                    tls = SmtpTls::StartTls
                }
                Some(("tls", value)) => {
                    return Err(format!(
                        "unknown `tls={value}`: use `tls=none` (loopback only) or `tls=starttls` (the default)"
                    ))
                }
                _ => return Err(format!("unknown option `{pair}`: the only option is `tls=none`")),
            }
        }
    }
    if tls == SmtpTls::Plain && !is_loopback_host(&host) {
        return Err(format!(
            "plain SMTP (`tls=none`) is only allowed to a loopback host (127.0.0.0/8, ::1, localhost), \
             not `{host}`; remove `?tls=none` so the connection uses STARTTLS"
        ));
    }
    Ok(Transport::Smtp {
        host,
        port,
        user,
        tls,
    })
}

fn split_host_port(hostport: &str) -> Result<(String, u16), String> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("`{hostport}` opens `[` without closing `]`"))?;
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(format!("`{host}` in brackets is not an IPv6 address"));
        }
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(format!("unexpected `{after}` after `]`")),
            },
        }
    } else if hostport.parse::<Ipv6Addr>().is_ok() {
        (hostport, None)
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err("the host is empty".to_owned());
    }
    if !host.contains(':')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(format!("`{host}` is not a host name"));
    }
    let port = match port {
        None => 25,
        Some(port) => match port.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(format!("port `{port}` is not a number from 1 to 65535")),
        },
    };
    Ok((host.to_owned(), port))
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Sendmail { command: None } => f.write_str("sendmail"),
            Transport::Sendmail {
                command: Some(command),
            } => write!(f, "sendmail:{}", command.display()),
            Transport::Smtp {
                host,
                port,
                user,
                tls,
            } => {
                f.write_str("smtp://")?;
                if let Some(user) = user {
                    write!(f, "{user}@")?;
                }
                if host.contains(':') {
                    write!(f, "[{host}]:{port}")?;
                } else {
                    write!(f, "{host}:{port}")?;
                }
                if *tls == SmtpTls::Plain {
                    f.write_str("?tls=none")?;
                }
                Ok(())
            }
            Transport::File { dir } => write!(f, "file:{}", dir.display()),
            Transport::None => f.write_str("none"),
        }
    }
}

/// The SMTP password. It comes from the `CASEBOOK_SMTP_PASSWORD` environment
/// variable, else from the file named by `smtp_password_file`; never from the
/// command line. `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// The password file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read SMTP password file `{path}`: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("SMTP password file `{0}` is empty; write the password on its first line")]
    Empty(PathBuf),
}

impl Secret {
    /// Wrap a password.
    pub fn new(password: impl Into<String>) -> Self {
        Secret(password.into())
    }

    /// The password from `CASEBOOK_SMTP_PASSWORD`, else from `file`, else none.
    pub fn load(file: Option<&Path>) -> Result<Option<Secret>, SecretError> {
        Self::resolve(std::env::var(PASSWORD_ENV).ok(), file)
    }

    /// [`Secret::load`] with the environment value passed in, for tests.
    pub fn resolve(
        env_value: Option<String>,
        file: Option<&Path>,
    ) -> Result<Option<Secret>, SecretError> {
        if let Some(value) = env_value.filter(|v| !v.is_empty()) {
            return Ok(Some(Secret(value)));
        }
        let Some(path) = file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).map_err(|source| SecretError::Read {
            path: path.to_owned(),
            source,
        })?;
        // The first line, without its line ending: editors add one.
        let first = text.lines().next().unwrap_or("");
        if first.is_empty() {
            return Err(SecretError::Empty(path.to_owned()));
        }
        Ok(Some(Secret(first.to_owned())))
    }

    /// The password itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// What happened to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Handed to the transport.
    Sent,
    /// The transport is `none`: nothing was sent.
    Skipped,
}

/// Why a delivery failed. [`TransportError::is_permanent`] tells whether to
/// give up on the message (the server refused it, an address is bad) or keep
/// it queued for the next `outbox flush` (the server or the configuration is
/// at fault).
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("{role} address `{address}` is not a valid email address; the message cannot be sent")]
    InvalidAddress { role: &'static str, address: String },
    #[error("message has no recipients; nothing to send")]
    NoRecipients,
    #[error("SMTP server `{server}` refused the message ({code}): {detail}")]
    Rejected {
        server: String,
        code: u16,
        detail: String,
    },
    #[error("SMTP delivery to `{server}` failed, will retry: {detail}")]
    Smtp { server: String, detail: String },
    #[error("SMTP user `{user}` needs a password: set {PASSWORD_ENV} or `smtp_password_file`")]
    MissingPassword { user: String },
    #[error("`{command}` failed, will retry: {detail}")]
    Sendmail { command: String, detail: String },
    #[error("`{command}` did not finish within {seconds}s, will retry")]
    SendmailTimeout { command: String, seconds: u64 },
    #[error("cannot write message file into `{}`: {source}", dir.display())]
    File {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl TransportError {
    /// True when retrying the same message cannot help.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            TransportError::InvalidAddress { .. }
                | TransportError::NoRecipients
                | TransportError::Rejected { .. }
        )
    }
}

/// Deliver `raw` to `recipients` with envelope sender `envelope_from`.
///
/// `password` is used when the SMTP transport names a user. `timeout` bounds
/// SMTP connect and each command, and the sendmail run.
pub fn deliver(
    transport: &Transport,
    password: Option<&str>,
    envelope_from: &str,
    recipients: &[String],
    raw: &[u8],
    timeout: Duration,
) -> Result<Delivery, TransportError> {
    if *transport == Transport::None {
        return Ok(Delivery::Skipped);
    }
    let envelope = envelope(envelope_from, recipients)?;
    match transport {
        Transport::None => Ok(Delivery::Skipped),
        Transport::File { dir } => write_file(dir, raw).map(|_| Delivery::Sent),
        Transport::Sendmail { command } => {
            send_sendmail(command.as_deref(), &envelope, raw, timeout)
        }
        Transport::Smtp {
            host,
            port,
            user,
            tls,
        } => send_smtp(
            host,
            *port,
            user.as_deref(),
            *tls,
            password,
            &envelope,
            raw,
            timeout,
        ),
    }
}

fn envelope(envelope_from: &str, recipients: &[String]) -> Result<Envelope, TransportError> {
    let parse = |role: &'static str, address: &str| {
        address
            .trim()
            .parse::<Address>()
            .map_err(|_| TransportError::InvalidAddress {
                role,
                address: address.to_owned(),
            })
    };
    let from = parse("sender", envelope_from)?;
    let to = recipients
        .iter()
        .map(|r| parse("recipient", r))
        .collect::<Result<Vec<_>, _>>()?;
    if to.is_empty() {
        return Err(TransportError::NoRecipients);
    }
    Envelope::new(Some(from), to).map_err(|_| TransportError::NoRecipients)
}

/// Write `<message-id>.eml` atomically: a hidden temporary file in the same
/// directory, mode 0600 whatever the umask (a message holds customer mail),
/// synced, then renamed, and the directory synced so the rename survives a
/// crash. Writing the same message twice replaces the file, so retries do
/// not duplicate it.
fn write_file(dir: &Path, raw: &[u8]) -> Result<PathBuf, TransportError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let file_error = |source| TransportError::File {
        dir: dir.to_owned(),
        source,
    };
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let stem = message_stem(raw).unwrap_or_else(|| {
        // Only makes the file name unique: the wall clock is fine.
        #[allow(clippy::disallowed_methods)]
        let now = chrono::Utc::now().format("%Y%m%dT%H%M%S%.fZ");
        format!("no-message-id.{now}.{}.{counter}", std::process::id())
    });
    let path = dir.join(format!("{stem}.eml"));
    let tmp = dir.join(format!(".{stem}.{}.{counter}.tmp", std::process::id()));
    let result = (|| {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        // The umask can only take bits away from 0600; set it exactly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(raw)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if let Err(err) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(file_error(err));
    }
    Ok(path)
}

/// The file name stem of a message: its Message-ID made safe.
fn message_stem(raw: &[u8]) -> Option<String> {
    mail_parser::MessageParser::default()
        .parse_headers(raw)
        .and_then(|m| m.message_id().map(file_stem))
        .filter(|stem| !stem.is_empty())
}

/// Whether `raw` was delivered already, where the transport can tell: for
/// `file:`, whether its `<message-id>.eml` exists (the file appears whole, by
/// rename, or not at all). `None` for SMTP and sendmail, which cannot be
/// asked: a re-send carries the same Message-ID, so the receiver can drop it.
pub fn delivered_before(transport: &Transport, raw: &[u8]) -> Option<bool> {
    match transport {
        Transport::File { dir } => {
            let stem = message_stem(raw)?;
            Some(dir.join(format!("{stem}.eml")).exists())
        }
        _ => None,
    }
}

/// Removes the temporary files that a `file:` delivery killed mid-write left
/// behind (`.<stem>.<pid>.<n>.tmp` of a process that no longer runs; Linux's
/// `/proc` tells, elsewhere nothing is removed). Returns how many went.
pub fn clean_leftovers(transport: &Transport) -> std::io::Result<usize> {
    let Transport::File { dir } = transport else {
        return Ok(0);
    };
    if !Path::new("/proc/self").exists() {
        return Ok(0);
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(pid) = leftover_pid(&name.to_string_lossy()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

/// The writer's process id in a temporary file's name `.<stem>.<pid>.<n>.tmp`.
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let mut parts = rest.rsplitn(3, '.');
    let counter = parts.next()?;
    let pid = parts.next()?;
    parts.next()?;
    counter.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// A file name from a Message-ID: anything but letters, digits and `.-_@+=`
/// becomes `_`, so an id can never climb out of the directory.
fn file_stem(message_id: &str) -> String {
    let stem: String = message_id
        .trim_matches(|c| c == '<' || c == '>')
        .chars()
        .take(200)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@' | '+' | '=') {
                c
            } else {
                '_'
            }
        })
        .collect();
    stem.trim_start_matches('.').to_owned()
}

/// Where MTAs install `sendmail` off the usual PATH of procmail and cron.
const SENDMAIL_PLACES: [&str; 2] = ["/usr/sbin/sendmail", "/usr/lib/sendmail"];

/// `sendmail` from `path` (a PATH value), else from the places MTAs put it.
fn find_sendmail(path: &std::ffi::OsStr) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    std::env::split_paths(path)
        .map(|dir| dir.join("sendmail"))
        .chain(SENDMAIL_PLACES.iter().map(PathBuf::from))
        .find(|p| executable(p))
}

/// The command to run: the configured one, else `sendmail` found by
/// [`find_sendmail`]; not finding one names the PATH searched and what to do.
fn resolve_sendmail(
    command: Option<&Path>,
    path: &std::ffi::OsStr,
) -> Result<PathBuf, TransportError> {
    match command {
        Some(c) => Ok(c.to_path_buf()),
        None => find_sendmail(path).ok_or_else(|| TransportError::Sendmail {
            command: "sendmail".into(),
            detail: format!(
                "not found on PATH ({}) nor at {}: install an MTA (msmtp-mta, postfix, exim4), or set `mail.transport = \"sendmail:/path/to/sendmail\"`",
                path.to_string_lossy(),
                SENDMAIL_PLACES.join(" or ")
            ),
        }),
    }
}

fn send_sendmail(
    command: Option<&Path>,
    envelope: &Envelope,
    raw: &[u8],
    timeout: Duration,
) -> Result<Delivery, TransportError> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let command = resolve_sendmail(command, &path)?;
    let name = command.display().to_string();
    let sendmail = SendmailTransport::new_with_command(&command);
    // lettre's blocking sendmail transport has no timeout: run it on a thread
    // and stop waiting after `timeout`. The thread (and the child) is left
    // behind; the process exits soon after in the CLI.
    let (tx, rx) = mpsc::channel();
    let envelope = envelope.clone();
    let raw = raw.to_vec();
    std::thread::spawn(move || {
        let _ = tx.send(sendmail.send_raw(&envelope, &raw));
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(())) => Ok(Delivery::Sent),
        Ok(Err(err)) => Err(TransportError::Sendmail {
            command: name,
            detail: error_chain(&err),
        }),
        Err(_) => Err(TransportError::SendmailTimeout {
            command: name,
            seconds: timeout.as_secs().max(1),
        }),
    }
}

#[allow(clippy::too_many_arguments)]
fn send_smtp(
    host: &str,
    port: u16,
    user: Option<&str>,
    tls: SmtpTls,
    password: Option<&str>,
    envelope: &Envelope,
    raw: &[u8],
    timeout: Duration,
) -> Result<Delivery, TransportError> {
    let server = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let builder = match tls {
        SmtpTls::Plain => SmtpTransport::builder_dangerous(host),
        SmtpTls::StartTls => {
            SmtpTransport::starttls_relay(host).map_err(|err| TransportError::Smtp {
                server: server.clone(),
                detail: error_chain(&err),
            })?
        }
    };
    let mut builder = builder.port(port).timeout(Some(timeout));
    if let Some(user) = user {
        let password = password.ok_or_else(|| TransportError::MissingPassword {
            user: user.to_owned(),
        })?;
        builder = builder.credentials(Credentials::new(user.to_owned(), password.to_owned()));
    }
    let mailer = builder.build();
    // lettre always ends DATA with CRLF "." CRLF; drop our final CRLF so the
    // server receives exactly `raw`.
    let raw = raw.strip_suffix(b"\r\n").unwrap_or(raw);
    match mailer.send_raw(envelope, raw) {
        Ok(_) => Ok(Delivery::Sent),
        Err(err) => Err(classify_smtp(server, &err, timeout)),
    }
}

/// 5xx replies are permanent, except those that mean our login or TLS set-up
/// is wrong (530, 534, 535, 538): fixing the configuration lets the message go.
fn classify_smtp(
    server: String,
    err: &lettre::transport::smtp::Error,
    timeout: Duration,
) -> TransportError {
    use std::error::Error as _;
    match err.status().map(u16::from) {
        Some(code) if err.is_permanent() && !matches!(code, 530 | 534 | 535 | 538) => {
            // The server's own words; lettre's text repeats the code.
            let detail = err
                .source()
                .map(|source| source.to_string())
                .unwrap_or_else(|| err.to_string());
            TransportError::Rejected {
                server,
                code,
                detail,
            }
        }
        _ if is_timeout(err) => TransportError::Smtp {
            server,
            detail: format!("no answer within {:.1}s", timeout.as_secs_f64()),
        },
        _ => TransportError::Smtp {
            server,
            detail: error_chain(err),
        },
    }
}

/// lettre's `is_timeout` only knows `TimedOut`; a socket read timeout shows up
/// as `WouldBlock` on Unix.
fn is_timeout(err: &lettre::transport::smtp::Error) -> bool {
    use std::error::Error as _;
    let mut source = err.source();
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            );
        }
        source = inner.source();
    }
    false
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        source = inner.source();
    }
    // An MTA's stderr ends with a newline and may run over several lines:
    // one line, so the warning and the outbox's last error read as one.
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_error_chain_is_one_line() {
        #[derive(Debug, thiserror::Error)]
        #[error("internal client error: {0}")]
        struct Stderr(&'static str);
        let table = [
            (
                "sendmail: account default not found\n",
                "internal client error: sendmail: account default not found",
            ),
            (
                "line one\n\n  line two \n",
                "internal client error: line one; line two",
            ),
        ];
        for (stderr, want) in table {
            assert_eq!(error_chain(&Stderr(stderr)), want);
        }
    }

    use super::*;

    fn smtp(host: &str, port: u16, user: Option<&str>, tls: SmtpTls) -> Transport {
        Transport::Smtp {
            host: host.into(),
            port,
            user: user.map(str::to_owned),
            tls,
        }
    }

    #[test]
    fn parses_valid_transports() {
        use SmtpTls::*;
        let cases: Vec<(&str, Transport, &str)> = vec![
            ("none", Transport::None, "none"),
            ("  NONE ", Transport::None, "none"),
            (
                "sendmail",
                Transport::Sendmail { command: None },
                "sendmail",
            ),
            (
                "sendmail:/usr/sbin/sendmail",
                Transport::Sendmail {
                    command: Some("/usr/sbin/sendmail".into()),
                },
                "sendmail:/usr/sbin/sendmail",
            ),
            (
                "smtp://mail.example.com:25",
                smtp("mail.example.com", 25, None, StartTls),
                "smtp://mail.example.com:25",
            ),
            (
                "smtp://mail.example.com",
                smtp("mail.example.com", 25, None, StartTls),
                "smtp://mail.example.com:25",
            ),
            (
                "smtp://mail.example.com:587/",
                smtp("mail.example.com", 587, None, StartTls),
                "smtp://mail.example.com:587",
            ),
            (
                "smtp://user@host:587",
                smtp("host", 587, Some("user"), StartTls),
                "smtp://user@host:587",
            ),
            (
                "smtp://desk@example.com@smtp.example.com:587",
                smtp("smtp.example.com", 587, Some("desk@example.com"), StartTls),
                "smtp://desk@example.com@smtp.example.com:587",
            ),
            (
                "smtp://host:2525?tls=starttls",
                smtp("host", 2525, None, StartTls),
                "smtp://host:2525",
            ),
            (
                "smtp://127.0.0.1:2525?tls=none",
                smtp("127.0.0.1", 2525, None, Plain),
                "smtp://127.0.0.1:2525?tls=none",
            ),
            (
                "smtp://127.8.9.10:25?tls=NONE",
                smtp("127.8.9.10", 25, None, Plain),
                "smtp://127.8.9.10:25?tls=none",
            ),
            (
                "smtp://localhost:2525?tls=none",
                smtp("localhost", 2525, None, Plain),
                "smtp://localhost:2525?tls=none",
            ),
            (
                "smtp://[::1]:2525?tls=none",
                smtp("::1", 2525, None, Plain),
                "smtp://[::1]:2525?tls=none",
            ),
            (
                "smtp://[2001:db8::1]",
                smtp("2001:db8::1", 25, None, StartTls),
                "smtp://[2001:db8::1]:25",
            ),
            (
                "smtp://u@localhost:25?tls=none",
                smtp("localhost", 25, Some("u"), Plain),
                "smtp://u@localhost:25?tls=none",
            ),
            (
                "SMTP://Host:25",
                smtp("Host", 25, None, StartTls),
                "smtp://Host:25",
            ),
            (
                "file:/var/spool/casebook",
                Transport::File {
                    dir: "/var/spool/casebook".into(),
                },
                "file:/var/spool/casebook",
            ),
            (
                "file:///var/spool/casebook",
                Transport::File {
                    dir: "/var/spool/casebook".into(),
                },
                "file:/var/spool/casebook",
            ),
            (
                "file:spool",
                Transport::File {
                    dir: "spool".into(),
                },
                "file:spool",
            ),
        ];
        for (input, expected, display) in cases {
            let parsed: Transport = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(parsed, expected, "input {input}");
            assert_eq!(parsed.to_string(), display, "display of {input}");
            let again: Transport = display.parse().unwrap();
            assert_eq!(again, parsed, "round trip of {input}");
        }
    }

    #[test]
    fn rejects_invalid_transports() {
        let cases = [
            ("", "unknown transport"),
            ("smtp", "unknown transport"),
            ("mailgun://x", "unknown transport"),
            ("sendmail:", "needs a command"),
            ("file:", "needs a directory"),
            ("smtp://", "host is empty"),
            ("smtp://:25", "host is empty"),
            ("smtp://host:0", "port `0`"),
            ("smtp://host:70000", "port `70000`"),
            ("smtp://host:abc", "port `abc`"),
            ("smtp://user:secret@host:587", "passwords never go"),
            ("smtp://@host", "user before `@` is empty"),
            (
                "smtp://mail.example.com:25?tls=none",
                "only allowed to a loopback host",
            ),
            (
                "smtp://10.0.0.1:25?tls=none",
                "only allowed to a loopback host",
            ),
            (
                "smtp://[2001:db8::1]:25?tls=none",
                "only allowed to a loopback host",
            ),
            (
                "smtp://localhost.evil.com:25?tls=none",
                "only allowed to a loopback host",
            ),
            ("smtp://host:25?tls=maybe", "unknown `tls=maybe`"),
            ("smtp://host:25?auth=plain", "unknown option `auth=plain`"),
            ("smtp://[::1:25", "without closing"),
            ("smtp://[nothost]:25", "not an IPv6 address"),
            ("smtp://ho st:25", "not a host name"),
            (
                "smtps://host:465",
                "`smtps://` (implicit TLS) is not supported",
            ),
        ];
        for (input, reason) in cases {
            let err = input.parse::<Transport>().expect_err(input);
            let text = err.to_string();
            assert!(text.contains(reason), "{input}: {text}");
            assert!(
                text.contains(&format!("`{input}`")),
                "names the input: {text}"
            );
            assert!(text.contains("accepted forms"), "lists the forms: {text}");
        }
    }

    #[test]
    fn secret_prefers_environment_then_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "from-file\n").unwrap();
        let secret = Secret::resolve(Some("from-env".into()), Some(&file))
            .unwrap()
            .unwrap();
        assert_eq!(secret.expose(), "from-env");
        let secret = Secret::resolve(None, Some(&file)).unwrap().unwrap();
        assert_eq!(secret.expose(), "from-file");
        let secret = Secret::resolve(Some(String::new()), Some(&file))
            .unwrap()
            .unwrap();
        assert_eq!(secret.expose(), "from-file");
        std::fs::write(&file, "crlf\r\nsecond line\n").unwrap();
        assert_eq!(
            Secret::resolve(None, Some(&file))
                .unwrap()
                .unwrap()
                .expose(),
            "crlf"
        );
        assert!(Secret::resolve(None, None).unwrap().is_none());
        assert_eq!(format!("{secret:?}"), "Secret(***)");

        std::fs::write(&file, "\n").unwrap();
        let err = Secret::resolve(None, Some(&file)).unwrap_err();
        assert!(matches!(err, SecretError::Empty(_)), "{err}");
        let err = Secret::resolve(None, Some(&dir.path().join("missing"))).unwrap_err();
        assert!(err.to_string().contains("missing`"), "{err}");
    }

    fn sample() -> crate::mail::outbound::Built {
        use crate::mail::outbound::*;
        let mail = OutgoingMail {
            from: Mailbox::named("Desk", "desk@example.com"),
            to: vec![Mailbox::new("ann@customer.test")],
            cc: vec![],
            subject: "File me".into(),
            text_body: "body\n.\n..dots\n".into(),
            html_body: None,
            case_id: crate::domain::case::CaseNumber::new(5),
            in_reply_to: None,
            references: vec![],
            auto_submitted: AutoSubmitted::AutoGenerated,
            attachments: vec![],
        };
        let settings = OutboundSettings {
            domain: "example.com".into(),
            loop_address: "desk@example.com".into(),
            tag_prefix: "Case".into(),
        };
        build(&mail, &settings, "2026-11-23T14:00:00Z".parse().unwrap()).unwrap()
    }

    #[test]
    fn file_transport_writes_one_parseable_eml_per_message() {
        let dir = tempfile::tempdir().unwrap();
        let transport = Transport::File {
            dir: dir.path().to_owned(),
        };
        let built = sample();
        let delivery = deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(delivery, Delivery::Sent);
        // Delivering the same message again replaces the file.
        deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_secs(5),
        )
        .unwrap();
        let other = sample();
        deliver(
            &transport,
            None,
            &other.envelope_from,
            &other.recipients,
            &other.raw,
            Duration::from_secs(5),
        )
        .unwrap();

        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected = vec![
            format!("{}.eml", built.message_id),
            format!("{}.eml", other.message_id),
        ];
        expected.sort();
        assert_eq!(names, expected, "no temporary files are left");

        let bytes = std::fs::read(dir.path().join(format!("{}.eml", built.message_id))).unwrap();
        assert_eq!(bytes, built.raw);
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(message.message_id(), Some(built.message_id.as_str()));
        assert_eq!(message.subject(), Some("[Case #5] File me"));
        assert_eq!(message.body_text(0).unwrap(), "body\r\n.\r\n..dots\r\n");
    }

    #[test]
    fn file_transport_tells_what_it_delivered_and_keeps_it_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let transport = Transport::File {
            dir: dir.path().to_owned(),
        };
        let built = sample();
        assert_eq!(delivered_before(&transport, &built.raw), Some(false));
        let path = write_file(dir.path(), &built.raw).unwrap();
        assert_eq!(delivered_before(&transport, &built.raw), Some(true));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        // Other transports cannot be asked.
        assert_eq!(
            delivered_before(&Transport::Sendmail { command: None }, &built.raw),
            None
        );
        assert_eq!(delivered_before(&transport, b"Subject: no id\n\nx"), None);
    }

    #[test]
    fn leftover_temporary_files_of_dead_writers_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let transport = Transport::File {
            dir: dir.path().to_owned(),
        };
        // No process has a pid this large (Linux caps pid_max at 2^22).
        let dead = dir.path().join(".m1@example.com.4294967294.0.tmp");
        let ours = dir
            .path()
            .join(format!(".m2@example.com.{}.3.tmp", std::process::id()));
        let mail = dir.path().join("m3@example.com.eml");
        let other = dir.path().join("notes.tmp");
        for p in [&dead, &ours, &mail, &other] {
            std::fs::write(p, "x").unwrap();
        }
        assert_eq!(clean_leftovers(&transport).unwrap(), 1);
        assert!(!dead.exists());
        assert!(ours.exists() && mail.exists() && other.exists());
        assert_eq!(clean_leftovers(&Transport::None).unwrap(), 0);
        for (name, pid) in [
            (".a.b@c.12.0.tmp", Some(12)),
            (".x.7.tmp", None),
            ("a.12.0.tmp", None),
            (".a.12.0.eml", None),
            (".a.x.0.tmp", None),
        ] {
            assert_eq!(leftover_pid(name), pid, "{name}");
        }
    }

    #[test]
    fn file_transport_names_are_safe() {
        assert_eq!(file_stem("<a/../../b@x>"), "a_.._.._b@x");
        assert_eq!(file_stem("..hidden@x"), "hidden@x");
        let dir = tempfile::tempdir().unwrap();
        let raw = b"Message-ID: <../../escape@x>\r\nSubject: x\r\n\r\nbody\r\n";
        let path = write_file(dir.path(), raw).unwrap();
        assert_eq!(path.parent().unwrap(), dir.path());
        assert_eq!(path.file_name().unwrap(), "_.._escape@x.eml");
        let raw = b"Subject: no id\r\n\r\nbody\r\n";
        let path = write_file(dir.path(), raw).unwrap();
        assert!(path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("no-message-id."));
    }

    #[test]
    fn file_transport_missing_directory_is_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let transport = Transport::File {
            dir: dir.path().join("absent"),
        };
        let built = sample();
        let err = deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert!(!err.is_permanent(), "{err}");
        assert!(err.to_string().contains("absent`"), "{err}");
    }

    #[test]
    fn none_transport_skips() {
        let delivery = deliver(
            &Transport::None,
            None,
            "a@b.c",
            &[],
            b"x",
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(delivery, Delivery::Skipped);
    }

    #[test]
    fn bad_envelope_is_permanent() {
        let dir = tempfile::tempdir().unwrap();
        let transport = Transport::File {
            dir: dir.path().to_owned(),
        };
        let err = deliver(
            &transport,
            None,
            "a@b.c",
            &["not an address".into()],
            b"x",
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(err.is_permanent());
        assert!(err.to_string().contains("`not an address`"), "{err}");
        let err =
            deliver(&transport, None, "a@b.c", &[], b"x", Duration::from_secs(1)).unwrap_err();
        assert!(err.is_permanent());
        assert!(matches!(err, TransportError::NoRecipients));
    }

    #[test]
    fn smtp_user_without_password_is_a_configuration_error() {
        let transport: Transport = "smtp://desk@127.0.0.1:1?tls=none".parse().unwrap();
        let err = deliver(
            &transport,
            None,
            "a@b.c",
            &["d@e.f".into()],
            b"x",
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(
            matches!(err, TransportError::MissingPassword { .. }),
            "{err}"
        );
        assert!(!err.is_permanent());
        assert!(err.to_string().contains(PASSWORD_ENV));
    }

    #[cfg(unix)]
    #[test]
    fn sendmail_is_found_on_path_then_where_mtas_put_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        let notes = dir.path().join("notes");
        for d in [&bin, &notes] {
            std::fs::create_dir(d).unwrap();
        }
        std::fs::write(bin.join("sendmail"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(bin.join("sendmail"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        // Not executable: passed over.
        std::fs::write(notes.join("sendmail"), "a note").unwrap();
        let path = std::env::join_paths([&notes, &bin]).unwrap();
        assert_eq!(find_sendmail(&path), Some(bin.join("sendmail")));
        // Off PATH (procmail's and cron's /usr/bin:/bin): where MTAs install it.
        let fallback = SENDMAIL_PLACES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        let cron_path = std::ffi::OsString::from(notes.as_os_str());
        assert_eq!(find_sendmail(&cron_path), fallback);
        // A configured command wins, and nothing found says where it looked.
        let configured = Path::new("/opt/mta/sendmail");
        assert_eq!(
            resolve_sendmail(Some(configured), &cron_path).unwrap(),
            configured
        );
        if fallback.is_none() {
            let err = resolve_sendmail(None, &cron_path).unwrap_err().to_string();
            assert!(
                err.contains(&*notes.to_string_lossy()) && err.contains("/usr/sbin/sendmail"),
                "{err}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn sendmail_runs_the_command_with_the_envelope() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("fake-sendmail");
        let out = dir.path().join("out");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$@\" > '{0}.args'\ncat > '{0}.eml'\n",
                out.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let transport = Transport::Sendmail {
            command: Some(script.clone()),
        };
        let built = sample();
        let delivery = deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(delivery, Delivery::Sent);
        let args = std::fs::read_to_string(dir.path().join("out.args")).unwrap();
        assert_eq!(args.trim(), "-i -f desk@example.com -- ann@customer.test");
        assert_eq!(
            std::fs::read(dir.path().join("out.eml")).unwrap(),
            built.raw
        );

        // A failing command is a temporary error that shows its stderr.
        std::fs::write(
            &script,
            "#!/bin/sh\ncat >/dev/null\necho 'queue full' >&2\nexit 75\n",
        )
        .unwrap();
        let err = deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert!(!err.is_permanent());
        assert!(err.to_string().contains("queue full"), "{err}");

        // A missing command too.
        let transport = Transport::Sendmail {
            command: Some(dir.path().join("absent")),
        };
        let err = deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert!(!err.is_permanent(), "{err}");

        // A hanging command times out.
        std::fs::write(&script, "#!/bin/sh\ncat >/dev/null\nsleep 5\n").unwrap();
        let transport = Transport::Sendmail {
            command: Some(script),
        };
        let started = std::time::Instant::now();
        let err = deliver(
            &transport,
            None,
            &built.envelope_from,
            &built.recipients,
            &built.raw,
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(
            matches!(err, TransportError::SendmailTimeout { .. }),
            "{err}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
