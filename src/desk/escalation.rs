//! Escalation targets: who a case goes to when it is escalated to its
//! account manager, and on to management (see docs/rules.md, Escalation).

use std::collections::HashMap;

use anyhow::Result;

use crate::desk::change;
use crate::desk::Desk;
use crate::domain::case::Case;
use crate::domain::person::Person;
use crate::error;
use crate::store::accounts::{self, AccountManagers};
use crate::store::{people, Db};

/// The accounts' managers and the people an escalation asks about, each
/// read once however many cases ask (sweep asks for thousands of cases
/// among a few hundred accounts and a few dozen people).
pub struct Lookups<'a> {
    db: &'a Db,
    accounts: HashMap<String, Option<AccountManagers>>,
    people: HashMap<String, Option<Person>>,
}

impl<'a> Lookups<'a> {
    pub fn new(db: &'a Db) -> Lookups<'a> {
        Lookups {
            db,
            accounts: HashMap::new(),
            people: HashMap::new(),
        }
    }

    /// The managers of the account the case names, if it names one: read by
    /// the account's name, not by the case's number, which cost sweep a read
    /// of each waiting case's row.
    fn managers(&mut self, case: &Case) -> Result<Option<AccountManagers>> {
        match &case.account {
            Some(name) => once(&mut self.accounts, name, |n| accounts::managers(self.db, n)),
            None => Ok(None),
        }
    }

    /// The account manager designated on the case's account, if any.
    pub fn account_manager(&mut self, case: &Case) -> Result<Option<String>> {
        Ok(self.managers(case)?.and_then(|m| m.account_manager))
    }

    fn person(&mut self, handle: &str) -> Result<Option<Person>> {
        once(&mut self.people, handle, |h| people::get(self.db, h))
    }

    /// A known person, or the error that says how to find one
    /// ([`change::known_person`] through the memo).
    fn known_person(&mut self, handle: &str) -> Result<Person> {
        self.person(handle)?
            .ok_or_else(|| change::unknown_handle(handle))
    }
}

/// `read(key)`, asked of the store only the first time `key` is asked.
fn once<T: Clone>(
    memo: &mut HashMap<String, T>,
    key: &str,
    read: impl FnOnce(&str) -> crate::store::Result<T>,
) -> Result<T> {
    if let Some(found) = memo.get(key) {
        return Ok(found.clone());
    }
    let found = read(key)?;
    memo.insert(key.to_string(), found.clone());
    Ok(found)
}

/// The regional manager for an escalation to `am`: the AM's regional manager, or the
/// configured fallback when the AM is their own regional manager (or has none).
fn regional_manager_for(desk: &Desk<'_>, am: &str, known: &mut Lookups<'_>) -> Result<String> {
    let person = known.known_person(am)?;
    match person.regional_manager.filter(|rm| rm != am) {
        Some(rm) => Ok(rm),
        None => match &desk.config.escalation.fallback {
            Some(f) if known.person(f)?.is_some() => Ok(f.clone()),
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
    designated_am_of(case, Lookups::new(conn).managers(case)?)
}

/// The designated AM among the managers of the case's account.
fn designated_am_of(case: &Case, managers: Option<AccountManagers>) -> Result<String> {
    let Some(account) = &case.account else {
        return Err(error::user(format!(
            "case `#{}` has no account, so there is no account manager to escalate to; set its account first",
            case.number
        )));
    };
    managers.and_then(|m| m.account_manager).ok_or_else(|| {
        error::user(format!(
            "account `{account}` has no designated account manager: set one with `casebook accounts add`, or use `casebook escalate {} --management`",
            case.number
        ))
    })
}

/// Who `actor`'s escalation to the account manager goes to: the designated AM,
/// or their delegate while they are away (with the AM they cover for). Escalating
/// to oneself is refused: the AM acts on the case, or escalates to management.
pub fn escalation_am(
    desk: &Desk<'_>,
    case: &Case,
    actor: &str,
) -> Result<(String, Option<String>)> {
    let am = designated_am(desk.db, case)?;
    if people::get(desk.db, &am)?.is_some_and(|p| !p.active) {
        return Err(error::user(format!(
            "the account manager `{am}` is inactive: set the account's new AM (`casebook accounts add`), or escalate to management (`casebook escalate {} --management`)",
            case.number
        )));
    }
    let (to, covering) = match crate::desk::away::cover(desk, &am)? {
        Some(delegate) => (delegate, Some(am)),
        None => (am, None),
    };
    if to == actor {
        let account = case.account.as_deref().unwrap_or("the account");
        return Err(error::user(format!(
            "you (`{actor}`) are the account manager of `{account}` for case `#{}`: act on it yourself, or escalate to management (`casebook escalate {} --management`)",
            case.number, case.number
        )));
    }
    Ok((to, covering))
}

/// The regional manager the case's account names (the CRM's RM field), if
/// that is a known person other than the account's own AM (an AM who is
/// their own RM escalates to the fallback, as below).
fn account_regional_manager(
    managers: Option<&AccountManagers>,
    known: &mut Lookups<'_>,
) -> Result<Option<String>> {
    let Some(rm) = managers
        .and_then(|m| m.regional_manager.as_ref())
        .filter(|rm| managers.and_then(|m| m.account_manager.as_ref()) != Some(*rm))
    else {
        return Ok(None);
    };
    Ok(known.person(rm)?.map(|p| p.handle))
}

/// Who an escalation to the account manager names as regional manager:
/// the account's RM, else the AM's regional manager, else the fallback.
pub fn regional_manager_of_escalation(desk: &Desk<'_>, case: &Case, am: &str) -> Result<String> {
    let known = &mut Lookups::new(desk.db);
    let managers = known.managers(case)?;
    match account_regional_manager(managers.as_ref(), known)? {
        Some(rm) => Ok(rm),
        None => regional_manager_for(desk, am, known),
    }
}

/// Who an escalation to management goes to: the RM recorded on the case,
/// else the account's RM, else the designated AM's regional manager, else
/// the configured fallback; an error says what to set when there is nobody.
pub fn management_target(desk: &Desk<'_>, case: &Case) -> Result<String> {
    management_target_among(desk, case, &mut Lookups::new(desk.db))
}

/// [`management_target`], reading accounts and people through `known`.
pub fn management_target_among(
    desk: &Desk<'_>,
    case: &Case,
    known: &mut Lookups<'_>,
) -> Result<String> {
    if let Some(rm) = &case.rm {
        return Ok(rm.clone());
    }
    // The account's managers, read once for its RM and its AM.
    let managers = known.managers(case)?;
    if let Some(rm) = account_regional_manager(managers.as_ref(), known)? {
        return Ok(rm);
    }
    let am = match &case.am {
        Some(am) => Ok(am.clone()),
        None => designated_am_of(case, managers),
    };
    match (am, &desk.config.escalation.fallback) {
        (Ok(am), _) => regional_manager_for(desk, &am, known),
        (Err(_), Some(f)) => Ok(known.known_person(f)?.handle),
        (Err(e), None) => Err(error::user(format!(
            "{e}; with no regional manager to escalate to, set `escalation.fallback` in {}",
            desk.config_path.display()
        ))),
    }
}
