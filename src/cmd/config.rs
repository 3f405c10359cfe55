use std::io::Write;

use anyhow::Result;

use crate::config::{TrustConfig, TrustVerify};
use crate::ctx::Ctx;
use crate::render::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print the effective config (the file's values over the defaults) as TOML, or JSON with --format json (csv and html are refused)
    Show,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    match args.command {
        ConfigCommand::Show => {
            let mut out = ctx.out();
            if matches!(ctx.format, Format::Csv | Format::Html) {
                return Err(crate::error::user(format!(
                    "`config show` prints TOML (the default) or JSON (`--format json`), not {}: the config is nested tables, not rows",
                    if ctx.format == Format::Csv { "CSV" } else { "HTML" }
                )));
            }
            let trust = trust_warning(&ctx.config.trust);
            if let Some(w) = &trust {
                // On stderr too, so that JSON output is flagged where a person sees it.
                ctx.note(&format!("warning: {w}"));
            }
            if ctx.format == Format::Json {
                crate::render::json(&mut out, &ctx.config)?;
            } else {
                let source = if ctx.config_path.exists() {
                    format!("# from {}", ctx.config_path.display())
                } else {
                    format!(
                        "# {} does not exist: these are the defaults",
                        ctx.config_path.display()
                    )
                };
                let warning = trust.map(|w| format!("\n# {w}")).unwrap_or_default();
                writeln!(out, "{source}{warning}\n{}", ctx.config.to_toml())?;
            }
            Ok(())
        }
    }
}

/// What `config show` says about how staff mail is verified, when it is unsafe or does nothing.
fn trust_warning(trust: &TrustConfig) -> Option<String> {
    match trust.verify {
        TrustVerify::None => Some(crate::mail::trust::UNSAFE_OPT_OUT.into()),
        TrustVerify::AuthenticationResults if trust.authserv_id.trim().is_empty() => Some(
            "trust.authserv_id is not set: no staff mail is verified, so staff forwards open cases as a stranger's (set it to your MTA's authserv-id)".into(),
        ),
        TrustVerify::AuthenticationResults => None,
    }
}
