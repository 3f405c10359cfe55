//! Escalation targets: who a case goes to when it is escalated to its
//! account manager, and on to management (see docs/rules.md, Escalation).

use anyhow::Result;

use crate::desk::change;
use crate::desk::Desk;
use crate::domain::case::Case;
use crate::error;
use crate::store::{cases, people, Db};

/// The regional manager for an escalation to `am`: the AM's regional manager, or the
/// configured fallback when the AM is their own regional manager (or has none).
pub fn regional_manager_for(desk: &Desk<'_>, am: &str) -> Result<String> {
    let conn = desk.db;
    let person = change::known_person(conn, am)?;
    match person.regional_manager.filter(|rm| rm != am) {
        Some(rm) => Ok(rm),
        None => match &desk.config.escalation.fallback {
            Some(f) if people::get(conn, f)?.is_some() => Ok(f.clone()),
            Some(f) => Err(error::user(format!(
                "`{am}` is their own regional manager and the fallback `{f}` (escalation.fallback) is not a known person: add them or fix the config"
            ))),
            None => Err(error::user(format!(
                "`{am}` is their own regional manager and no fallback is configured: set `escalation.fallback` in {}",
                desk.config_path.display()
            ))),
        },
    }
}

/// The account's designated AM for an escalation, or an error that says there is none.
pub fn designated_am(conn: &Db, case: &Case) -> Result<String> {
    let Some(account) = &case.account else {
        return Err(error::user(format!(
            "case `#{}` has no account, so there is no account manager to escalate to; set its account first",
            case.number
        )));
    };
    cases::account_manager_of(conn, case.number)?.ok_or_else(|| {
        error::user(format!(
            "account `{account}` has no designated account manager: set one with `casebook accounts add`, or use `casebook escalate {} --management`",
            case.number
        ))
    })
}

/// Who a case waiting on its AM goes to when the AM does not act in time
/// (sweep): the regional manager recorded when it was escalated, else the
/// AM's regional manager, else the configured fallback; `None` when there
/// is nobody.
pub fn management_target(desk: &Desk<'_>, case: &Case) -> Option<String> {
    match &case.rm {
        Some(rm) => Some(rm.clone()),
        None => match &case.am {
            Some(am) => regional_manager_for(desk, am).ok(),
            None => None,
        },
    }
    .or_else(|| desk.config.escalation.fallback.clone())
}
