use anyhow::Result;

use crate::cmd::parse_case_number;
use crate::ctx::Ctx;
use crate::desk::change::{self, Change};
use crate::desk::escalation;
use crate::domain::case::CaseNumber;
use crate::domain::case::{Priority, Status};
use crate::domain::rules::Via;
use crate::domain::states::CommentKind;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("to").required(true).args(["am", "management"])))]
pub struct Args {
    /// The case number, e.g. 42 or #42
    #[arg(value_parser = parse_case_number)]
    pub case: CaseNumber,
    /// To the account's designated AM: fills the AM and RM fields, tags the AM, status Waiting for Account Manager
    #[arg(long)]
    pub am: bool,
    /// To the regional manager: status Waiting for Management
    #[arg(long)]
    pub management: bool,
    /// The priority the AM works the case by [default: unchanged]
    #[arg(long)]
    pub priority: Option<Priority>,
    /// What is asked of the AM (required with --am)
    #[arg(long, value_name = "TEXT", required_if_eq("am", "true"))]
    pub note: Option<String>,
}

pub fn run(args: &Args, ctx: &Ctx) -> Result<()> {
    let actor = ctx.actor()?;
    let case = ctx.case(args.case)?;
    let store = ctx.store()?;
    let conn = store.db();
    if args.am {
        change::check(&case, Status::WaitingForAccountManager, Via::Escalate)?;
        let (am, covering) = escalation::escalation_am(&ctx.desk(conn), &case, &actor.handle)?;
        // The RM is the away AM's, not their delegate's.
        let rm = escalation::regional_manager_of_escalation(
            &ctx.desk(conn),
            &case,
            covering.as_deref().unwrap_or(&am),
        )?;
        let note = args.note.clone().unwrap_or_default();
        let body = match &covering {
            Some(away) => format!("@{am} (covering for {away}, who is away) {}", note.trim()),
            None => format!("@{am} {}", note.trim()),
        };
        let after = store.write(|tx| -> Result<_> {
            crate::store::activity::add_comment(
                tx,
                case.number,
                &crate::store::activity::Comment {
                    id: 0,
                    at: ctx.now,
                    author: Some(actor.handle.clone()),
                    kind: CommentKind::Comment,
                    public: false,
                    body: body.clone(),
                    mentions: vec![am.clone()],
                },
            )?;
            change::apply(
                &ctx.desk(tx),
                case.number,
                Some(&actor.handle),
                Change {
                    status: Some(Status::WaitingForAccountManager),
                    via: Some(Via::Escalate),
                    am: Some(Some(am.clone())),
                    rm: Some(Some(rm.clone())),
                    priority: args.priority,
                    escalated_at: Some(ctx.now),
                    also: vec![am.clone(), rm.clone()],
                    note: Some(body.clone()),
                    ..Change::default()
                },
            )
        })?;
        crate::cmd::print_case(
            ctx,
            &after,
            &format!(
                "#{} escalated to account manager {am} (regional manager {rm}): {}",
                after.number, after.status
            ),
        )
    } else {
        change::check(&case, Status::WaitingForManagement, Via::Escalate)?;
        let rm = escalation::management_target(&ctx.desk(conn), &case)?;
        let after = store.write(|tx| -> Result<_> {
            if let Some(note) = &args.note {
                crate::store::activity::add_comment(
                    tx,
                    case.number,
                    &crate::store::activity::Comment {
                        id: 0,
                        at: ctx.now,
                        author: Some(actor.handle.clone()),
                        kind: CommentKind::Comment,
                        public: false,
                        body: format!("@{rm} {}", note.trim()),
                        mentions: vec![rm.clone()],
                    },
                )?;
            }
            change::apply(
                &ctx.desk(tx),
                case.number,
                Some(&actor.handle),
                Change {
                    status: Some(Status::WaitingForManagement),
                    via: Some(Via::Escalate),
                    rm: Some(Some(rm.clone())),
                    priority: args.priority,
                    also: vec![rm.clone()],
                    note: args.note.clone(),
                    ..Change::default()
                },
            )
        })?;
        crate::cmd::print_case(
            ctx,
            &after,
            &format!(
                "#{} escalated to management ({rm}): {}",
                after.number, after.status
            ),
        )
    }
}
