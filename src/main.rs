use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = casebook::cli::parse_args();
    match casebook::cli::run_to_exit(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if casebook::error::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "casebook: {e:#}");
            ExitCode::from(casebook::error::exit_code(&e) as u8)
        }
    }
}
