use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write into (created if needed)
    pub dir: PathBuf,
}

/// `cli` is the whole command line's definition (`Cli::command()`), handed
/// down by the dispatcher so that no command imports the root.
pub fn run(args: &Args, cli: &clap::Command) -> Result<()> {
    write_pages(cli, &args.dir)?;
    Ok(())
}

/// Generates every page of `cli`; returns the files written.
pub fn write_pages(cli: &clap::Command, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut written = Vec::new();
    write_page(cli, "casebook", dir, &mut written)?;
    Ok(written)
}

fn write_page(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .display_name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, buf).with_context(|| format!("cannot write `{}`", path.display()))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        // Subcommands are deferred (cli.rs): building one on its own fills in
        // its arguments and subcommands without copying the root's globals in.
        let mut sub = sub.clone();
        sub.build();
        write_page(&sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
