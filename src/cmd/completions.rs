use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell
    pub shell: clap_complete::Shell,
}

/// `cli` is the whole command line's definition, handed down by the dispatcher.
pub fn run(args: &Args, mut cli: clap::Command) -> Result<()> {
    clap_complete::generate(args.shell, &mut cli, "casebook", &mut std::io::stdout());
    Ok(())
}
