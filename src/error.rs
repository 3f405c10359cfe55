//! Errors that carry their exit code, and the one place that maps errors to codes.

/// An error whose exit code is not the default 1.
#[derive(Debug, thiserror::Error)]
pub enum Fail {
    /// The user asked for something that cannot be done; the message says what to do instead.
    #[error("{0}")]
    User(String),
    /// Bad input where nothing was stored and a retry cannot help (EX_DATAERR).
    #[error("{0}")]
    Data(String),
    /// A temporary failure: try again later (EX_TEMPFAIL).
    #[error("{0}")]
    Temporary(String),
}

pub const EX_USAGE: i32 = 2;
pub const EX_DATAERR: i32 = 65;
pub const EX_TEMPFAIL: i32 = 75;

/// A user error with a message that says what to do next.
pub fn user(msg: impl Into<String>) -> anyhow::Error {
    Fail::User(msg.into()).into()
}

/// Whether the error only means stdout was closed by the reader (`casebook list | head`).
/// The JSON and CSV writers wrap the I/O error in their own, so each is asked.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}

/// Whether a retry later can succeed (the database locked, unwritable or
/// full; a `Fail::Temporary`): the one decision behind exit 75.
pub fn is_temporary(err: &anyhow::Error) -> bool {
    exit_code(err) == EX_TEMPFAIL
}

pub fn exit_code(err: &anyhow::Error) -> i32 {
    // A `Fail` given as context (`e.context(Fail::Temporary(..))`) is found
    // here, outermost first; the chain below sees only its wrapper.
    if let Some(f) = err.downcast_ref::<Fail>() {
        return fail_code(f);
    }
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Fail>() {
            return fail_code(f);
        }
        if let Some(s) = cause.downcast_ref::<crate::store::StoreError>() {
            if s.is_temporary() {
                return EX_TEMPFAIL;
            }
        }
    }
    1
}

fn fail_code(f: &Fail) -> i32 {
    match f {
        Fail::User(_) => 1,
        Fail::Data(_) => EX_DATAERR,
        Fail::Temporary(_) => EX_TEMPFAIL,
    }
}
