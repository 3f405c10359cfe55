use std::io::Write;

use anyhow::Result;

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
                writeln!(out, "{source}\n{}", ctx.config.to_toml())?;
            }
            Ok(())
        }
    }
}
