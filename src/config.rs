//! Configuration from TOML; every key has a default, so a missing file is fine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

pub use crate::domain::calendar::CalendarConfig;
use crate::domain::category::KeywordRule;
pub use crate::domain::sla::SlaConfig;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub desk: DeskConfig,
    pub store: StoreConfig,
    pub escalation: EscalationConfig,
    pub teams: BTreeMap<String, TeamConfig>,
    pub mail: MailConfig,
    pub report: ReportConfig,
    pub integration: IntegrationConfig,
    /// Business hours, time zone and holidays: the clock the communication SLA runs on.
    pub calendar: CalendarConfig,
    /// The communication SLA per priority: `[sla.standard]`, `[sla.expedited]`, `[sla.p1]`...
    pub sla: SlaConfig,
    /// Keyword rules that give a new case its category (and priority), first match wins.
    pub rules: Rules,
    /// How staff mail is verified (design.md, "Trust").
    pub trust: TrustConfig,
    /// The business calendar `parse` built from `calendar` to check it, kept
    /// for the desk (`Settings::new` takes it) so that a delivery builds it
    /// once. Not part of the file.
    #[serde(skip)]
    pub(crate) checked_calendar: Option<crate::domain::calendar::Calendar>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeskConfig {
    /// Shown in reports and acknowledgements.
    pub name: String,
    /// The address procmail delivers from; our own mail carries it in X-Loop.
    pub ingest_address: String,
    /// The domain of our Message-IDs and `<case-N@domain>` references.
    pub domain: String,
    /// The word in subject tags: `[Case #42]`.
    pub tag_prefix: String,
    /// Larger messages are quarantined, not parsed.
    pub max_message_bytes: usize,
    /// A customer reply to a case closed at most this many days ago reopens it; later ones open a linked case.
    pub reopen_window_days: u32,
    /// The values a forwarder's `Type:` note command may set.
    pub case_types: Vec<String>,
}

impl Default for DeskConfig {
    fn default() -> Self {
        DeskConfig {
            name: "Account Management".into(),
            ingest_address: "cases@localhost".into(),
            domain: "localhost".into(),
            tag_prefix: "Case".into(),
            max_message_bytes: 25 * 1024 * 1024,
            reopen_window_days: 14,
            case_types: vec!["Account Management".into(), "Integration".into()],
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// How long a command waits for another casebook's write lock (env CASEBOOK_BUSY_TIMEOUT_MS overrides).
    pub busy_timeout_ms: u64,
    /// The database when `--db`/`CASEBOOK_DB` is not given: a path, or a
    /// `postgres://USER@HOST:PORT/DBNAME` URL (no password: use ~/.pgpass).
    pub url: Option<String>,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            busy_timeout_ms: 10_000,
            url: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EscalationConfig {
    /// Who fills the Regional Manager field when the AM is their own regional manager.
    pub fallback: Option<String>,
    /// How long an AM has to act on Waiting for Account Manager before sweep escalates (business time).
    pub am_response: String,
}

impl Default for EscalationConfig {
    fn default() -> Self {
        EscalationConfig {
            fallback: None,
            am_response: "1d".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamConfig {
    /// Handle of the person to notify when a handoff gets no reply in time.
    pub follow_up: Option<String>,
    /// How long to wait for the team's reply before notifying, in hours.
    pub reply_hours: Option<u32>,
    /// The team's shared mailbox: mail from it on a handed-off case is the team's reply.
    pub address: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// `sendmail`, `sendmail:/path`, `smtp://user@host:port`, `file:DIR` or `none`.
    pub transport: String,
    /// Display name on outgoing mail; the address is desk.ingest_address.
    pub from_name: String,
    /// A file holding the SMTP password (env CASEBOOK_SMTP_PASSWORD wins).
    pub smtp_password_file: Option<PathBuf>,
    /// Most messages to one address per day; more stay unsent.
    pub daily_limit_per_address: u32,
    /// Whether ingest acknowledges new cases to the forwarder.
    pub acknowledge: bool,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: "sendmail".into(),
            from_name: "Case Desk".into(),
            smtp_password_file: None,
            daily_limit_per_address: 50,
            acknowledge: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// Who `casebook report --send` mails the owner report to.
    pub recipients: Vec<String>,
    /// The report mail's subject; the date is appended.
    pub subject: String,
    /// A run on a closed day of the calendar: `skip`, or `next-business-day`.
    pub when_closed: crate::domain::rules::WhenClosed,
    /// Include every open case, not only those created by staff (`report --all-creators`).
    pub all_creators: bool,
    /// A link for each case in the HTML report, `{number}` replaced by the
    /// case number (a web view, or a `mailto:` whose subject carries the tag).
    pub case_url: Option<String>,
    /// Most cases listed per owner in the HTML report ("and N more"); the
    /// text part always lists them all.
    pub html_cases_per_owner: usize,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            recipients: Vec::new(),
            subject: "Open cases by owner".into(),
            when_closed: Default::default(),
            all_creators: false,
            case_url: None,
            html_cases_per_owner: 25,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntegrationConfig {
    /// The case type the integration rules apply to.
    pub case_type: String,
    /// Waiting with no inbound mail this many days → No Response.
    pub no_response_days: u32,
    /// After a detailed message is left, close after this many hours without a reply.
    pub detailed_message_hours: u32,
    /// After speaking with the contact with nothing left to do, close within this many hours.
    pub spoke_close_hours: u32,
    /// What sweep does then: `remind` the creator, or `close` the case.
    pub after_speaking: String,
    /// A call-back request is answered by a phone call within this many hours.
    pub call_back_hours: u32,
    /// Every case is commented on within this many hours of being opened.
    pub first_comment_hours: u32,
    /// Business time to allow before asking for an update (unless the contact asked).
    pub update_wait: String,
}

impl Default for IntegrationConfig {
    fn default() -> Self {
        IntegrationConfig {
            case_type: "Integration".into(),
            no_response_days: 21,
            detailed_message_hours: 48,
            spoke_close_hours: 24,
            after_speaking: "remind".into(),
            call_back_hours: 48,
            first_comment_hours: 48,
            update_wait: "7d".into(),
        }
    }
}

/// `[trust]`: staff mail counts as staff only when the desk's MTA vouches for it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrustConfig {
    /// The authserv-id of the desk's own MTA in its `Authentication-Results` headers; empty: none, so no staff mail is verified.
    pub authserv_id: String,
    /// `authentication-results` (the default), or `none` for an MTA that cannot authenticate: From headers are believed (unsafe).
    pub verify: TrustVerify,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustVerify {
    #[default]
    AuthenticationResults,
    None,
}

impl TrustConfig {
    pub fn policy(&self) -> crate::mail::trust::Policy<'_> {
        match self.verify {
            TrustVerify::AuthenticationResults => crate::mail::trust::Policy::AuthResults {
                authserv_id: &self.authserv_id,
            },
            TrustVerify::None => crate::mail::trust::Policy::TrustFromHeader,
        }
    }
}

/// The `[[rules]]` list: keyword rules for category and priority, most specific
/// first. Left out, the built-in rules apply (`casebook config show` prints them).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct Rules(pub Vec<KeywordRule>);

impl Default for Rules {
    fn default() -> Self {
        Rules(crate::domain::category::default_rules())
    }
}

/// The default config path: `$XDG_CONFIG_HOME/casebook/config.toml`, else `~/.config/casebook/config.toml`.
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("casebook").join("config.toml")
}

impl Config {
    /// Reads the config at `path`; a missing file means the defaults.
    /// Reads and checks the config at `path`. Only the default path may be
    /// absent (`named` false: the defaults apply); a file named by `--config`
    /// or `CASEBOOK_CONFIG` must exist, so that a typo fails instead of
    /// running silently on defaults.
    pub fn load(path: &Path, named: bool) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => {
                return Ok(Config::default())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(crate::error::user(format!(
                    "the config file `{}` (from --config or CASEBOOK_CONFIG) does not exist: create it (samples/config.toml documents every key) or name the right one",
                    path.display()
                )))
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read the config file `{}`", path.display()))
            }
        };
        Config::parse(&text)
            .with_context(|| format!("the config file `{}` is not valid", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(&without_comment_lines(text))
            .map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))?;
        // A config that names some priorities keeps the defaults of the others.
        config.sla = config.sla.or_defaults();
        // Checked here, so that every command fails closed on a bad calendar
        // (an unknown time zone, bad hours) instead of some running on UTC.
        let calendar = crate::domain::calendar::Calendar::new(&config.calendar)
            .map_err(|e| anyhow::anyhow!("the `[calendar]` section is not valid: {e}"))?;
        config.checked_calendar = Some(calendar);
        Ok(config)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

/// `text` with each line that is only a comment blanked (its line break
/// kept, so that errors point at the same line), unless the text holds a
/// multi-line string, in whose lines a `#` may be text. The TOML parser
/// checks every character of every comment, and the shipped config is
/// mostly comments: every delivery parses it, and spent 0.2 M
/// instructions of its 3.5 M on them.
fn without_comment_lines(text: &str) -> std::borrow::Cow<'_, str> {
    // (memchr's searches: the std ones cost as much as the parse they save.)
    let multi_line = |quotes: &str| memchr::memmem::find(text.as_bytes(), quotes.as_bytes());
    if multi_line("\"\"\"").is_some() || multi_line("'''").is_some() {
        return text.into();
    }
    let mut kept = String::with_capacity(text.len());
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| i + 1)
        .chain([text.len()])
    {
        let line = &text[start..end];
        start = end;
        // TOML's whitespace is the space and the tab.
        if line.trim_start_matches([' ', '\t']).starts_with('#') {
            let newline = &line[line.trim_end_matches(['\r', '\n']).len()..];
            kept.push_str(newline);
        } else {
            kept.push_str(line);
        }
    }
    kept.into()
}

#[cfg(test)]
mod tests {
    use super::{without_comment_lines, Config};

    #[test]
    fn comment_lines_are_blanked_outside_multi_line_strings() {
        let table = [
            ("# a\nx = 1 # b\n", "\nx = 1 # b\n"),
            ("  \t# indented\r\ny = 2", "\r\ny = 2"),
            (
                "x = [\n  # inside an array\n  1,\n]\n",
                "x = [\n\n  1,\n]\n",
            ),
            ("s = \"# not a comment\"\n", "s = \"# not a comment\"\n"),
            // A multi-line string may hold lines that start with `#`.
            (
                "s = \"\"\"\n# text\n\"\"\"\n# c\n",
                "s = \"\"\"\n# text\n\"\"\"\n# c\n",
            ),
            ("s = '''\n# text\n'''\n", "s = '''\n# text\n'''\n"),
            ("# no newline at the end", ""),
        ];
        for (text, kept) in table {
            assert_eq!(without_comment_lines(text), kept, "{text:?}");
        }
    }

    /// The shipped config means the same with its comment lines blanked, and
    /// an error still names its line.
    #[test]
    fn the_sample_config_parses_the_same_and_errors_keep_their_line() {
        let sample = include_str!("../samples/config.toml");
        let as_written: Config = toml::from_str(sample).unwrap();
        assert_eq!(
            Config::parse(sample).unwrap().to_toml(),
            as_written.to_toml()
        );
        let err = Config::parse("# one\n# two\n[calendar]\nzone = 5\n").unwrap_err();
        assert!(err.to_string().contains("line 4"), "{err}");
    }
}
