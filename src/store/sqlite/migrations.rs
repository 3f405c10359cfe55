//! Schema migrations: an ordered list checked against `PRAGMA user_version`,
//! one transaction per step. Never edit a step that has shipped; add one.

use rusqlite::Connection;

use crate::store::{Result, StoreError};

/// The steps, in order; step `i` brings the schema to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_search.sql"),
    include_str!("migrations/0003_views.sql"),
    include_str!("migrations/0004_ingest.sql"),
    include_str!("migrations/0005_search_per_commit.sql"),
    include_str!("migrations/0006_one_message_id_index.sql"),
    include_str!("migrations/0007_lookups_by_lowercase.sql"),
    include_str!("migrations/0008_away_and_delegates.sql"),
    include_str!("migrations/0009_outbox_sending.sql"),
    include_str!("migrations/0010_open_work_indexes.sql"),
    include_str!("migrations/0011_quoted_history.sql"),
    include_str!("migrations/0012_quarantine_raw_last.sql"),
    include_str!("migrations/0013_sweep_events.sql"),
    include_str!("migrations/0014_owner_number.sql"),
    include_str!("migrations/0015_search_kept_by_the_store.sql"),
    include_str!("migrations/0016_sweep_from_the_open_index.sql"),
    include_str!("migrations/0017_last_comment_on_the_case.sql"),
    include_str!("migrations/0018_sweep_candidates_index.sql"),
    include_str!("migrations/0019_last_commenter_on_the_case.sql"),
    include_str!("migrations/0020_indexes_a_new_case_can_skip.sql"),
    include_str!("migrations/0021_sweep_events_without_a_list.sql"),
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies every step the database has not seen; refuses a database from a newer casebook.
pub fn migrate(conn: &Connection, path: &str) -> Result<()> {
    let found = current_version(conn)?;
    let known = latest_version();
    if found > known {
        return Err(StoreError::FromTheFuture {
            path: path.into(),
            found,
            known,
        });
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        // Re-check under the write lock: another process may have migrated meanwhile.
        if current_version(&tx)? > i as i64 {
            continue;
        }
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn each_step_applies_in_order_on_an_empty_database() {
        let conn = Connection::open_in_memory().unwrap();
        for (i, step) in MIGRATIONS.iter().enumerate() {
            assert_eq!(current_version(&conn).unwrap(), i as i64);
            conn.execute_batch(step)
                .unwrap_or_else(|e| panic!("migration {} fails: {e}", i + 1));
            conn.pragma_update(None, "user_version", (i + 1) as i64)
                .unwrap();
        }
        let fk_errors: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_errors, 0);
    }

    /// SQLite tests a list of three or more constants by building a
    /// temporary index from it (`OpenEphemeral`), each time a statement
    /// runs; in a partial index's WHERE, that is every row written
    /// (migration 21). Only these tables' inserts pay for it, in a CHECK of
    /// a state's spelling: a handful of rows a day, not worth rebuilding
    /// the tables for.
    const CHECKED_BY_A_LIST: [&str; 4] = ["accounts", "contact_attempts", "outbox", "quarantine"];

    #[test]
    fn writing_a_row_builds_no_temporary_index() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, ":memory:").unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(tables.iter().any(|t| t == "events"), "{tables:?}");
        for table in &tables {
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .unwrap()
                .query_map([table], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let insert = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                vec!["?"; columns.len()].join(", ")
            );
            let mut explain = conn.prepare(&format!("EXPLAIN {insert}")).unwrap();
            // Unbound parameters are NULLs: the program is what is asked.
            let mut rows = explain.raw_query();
            let mut opcodes = Vec::<String>::new();
            while let Some(r) = rows.next().unwrap() {
                opcodes.push(r.get(1).unwrap());
            }
            let builds = opcodes.iter().any(|op| op == "OpenEphemeral");
            assert_eq!(
                builds,
                CHECKED_BY_A_LIST.contains(&table.as_str()),
                "{insert}: {opcodes:?}"
            );
        }
    }

    #[test]
    fn migrate_is_idempotent() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, ":memory:").unwrap();
        migrate(&conn, ":memory:").unwrap();
        assert_eq!(current_version(&conn).unwrap(), latest_version());
    }

    #[test]
    fn a_database_from_the_future_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        let err = migrate(&conn, "x.db").unwrap_err();
        assert!(matches!(err, StoreError::FromTheFuture { .. }), "{err}");
        assert!(err.to_string().contains("upgrade casebook"));
    }

    #[test]
    fn lookups_by_message_id_use_the_dedup_index() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, ":memory:").unwrap();
        for sql in [
            "SELECT id, case_id FROM messages WHERE message_id = ?1 AND sender = ?2",
            "SELECT case_id FROM messages WHERE message_id = ?1 AND case_id IS NOT NULL ORDER BY id LIMIT 1",
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(
                    rusqlite::params_from_iter(["x", "y"].iter().take(sql.matches('?').count())),
                    |r| r.get(3),
                )
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter().any(|l| l.contains("USING INDEX messages_dedup")),
                "{sql}: {plan:?}"
            );
        }
    }

    /// The lookups migration 7 is for answer from its indexes, not a scan.
    #[test]
    fn lowercase_and_pool_lookups_use_their_indexes() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, ":memory:").unwrap();
        for (sql, index) in [
            (
                "SELECT count(*) FROM outbox WHERE lower(recipient) = lower(?1) AND created_at > ?2 AND status <> 'dropped'",
                "outbox_recipient_lower",
            ),
            (
                "SELECT c.id FROM cases c WHERE lower(c.contact_email) = lower(?1) AND c.id <> ?2 AND c.opened_at >= ?2",
                "cases_contact_lower",
            ),
            (
                "SELECT max(c.assigned_at) FROM cases c WHERE c.owner = ?1",
                "cases_owner_assigned",
            ),
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(
                    rusqlite::params_from_iter(["x", "1"].iter().take(sql.matches("?").count().min(2))),
                    |r| r.get(3),
                )
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter().any(|l| l.contains(index)),
                "{sql}: {plan:?}"
            );
        }
    }

    /// Step 11 (file 0011) on a desk at step 10: the search index is rebuilt
    /// with the quoted history as a column, holding the rows it held, and
    /// the rows it had not seen yet join it with their quoted history.
    #[test]
    fn quoted_history_step_keeps_the_search_index_on_old_data() {
        let conn = Connection::open_in_memory().unwrap();
        for step in &MIGRATIONS[..10] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 10).unwrap();
        conn.execute_batch(
            "INSERT INTO cases (id, subject, description, opened_at, updated_at, status_changed_at)
                 VALUES (1, 'router', 'reboots hourly', 0, 0, 0), (2, 'fax', 'no tone', 0, 0, 0);
             INSERT INTO cases_fts (rowid, subject, description) VALUES (1, 'router', 'reboots hourly');
             UPDATE search_indexed SET last_id = 1 WHERE name = 'cases';",
        )
        .unwrap();
        migrate(&conn, ":memory:").unwrap();
        let found = |word: &str| crate::store::sqlite::search::indexed_cases(&conn, word);
        assert_eq!(found("reboots"), vec![1]);
        assert_eq!(
            found("tone"),
            Vec::<i64>::new(),
            "not indexed before either"
        );
        // (Row 1 is indexed: raw SQL changing its text would bypass the
        // store's re-indexing, so only the row the index has not seen changes.)
        conn.execute(
            "UPDATE cases SET quoted = 'supplier letter' WHERE id = 2",
            [],
        )
        .unwrap();
        crate::store::sqlite::search::index_new_rows(&conn, 1).unwrap();
        assert_eq!(found("supplier"), vec![2]);
        assert_eq!(found("tone"), vec![2]);
        // The index agrees with the table it indexes (an error otherwise).
        conn.execute(
            "INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
    }

    /// Steps 17 and 19 give every case the time and the author of its
    /// latest staff comment (system comments have no author and do not
    /// count; of two at the same second, the later written).
    #[test]
    fn last_comment_steps_fill_in_the_latest_staff_comment() {
        let conn = Connection::open_in_memory().unwrap();
        for step in &MIGRATIONS[..16] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 16).unwrap();
        conn.execute_batch(
            "INSERT INTO people (handle, name, email, created_at)
                 VALUES ('sam', 'Sam', 'sam@x', 0), ('bob', 'Bob', 'bob@x', 0);
             INSERT INTO cases (id, subject, description, opened_at, updated_at, status_changed_at)
                 VALUES (1, 'a', '', 0, 0, 0), (2, 'b', '', 0, 0, 0), (3, 'c', '', 0, 0, 0);
             INSERT INTO comments (case_id, at, author, body) VALUES
                 (1, 300, 'sam', 'x'), (1, 100, 'bob', 'y'), (1, 900, NULL, 'system'),
                 (2, 50, NULL, 'system'), (3, 70, 'bob', 'z'), (3, 70, 'sam', 'z');",
        )
        .unwrap();
        migrate(&conn, ":memory:").unwrap();
        let latest: Vec<(Option<i64>, Option<String>)> = conn
            .prepare("SELECT last_comment_at, last_comment_by FROM cases ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let sam = Some("sam".to_string());
        assert_eq!(
            latest,
            vec![(Some(300), sam.clone()), (None, None), (Some(70), sam)]
        );
    }

    /// The indexes of `cases` that case `id` is an entry of: every index
    /// without a WHERE, and each partial one whose WHERE the row meets.
    fn indexes_holding(conn: &Connection, id: i64) -> BTreeSet<String> {
        let indexes: Vec<(String, String)> = conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cases'",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        indexes
            .into_iter()
            .filter(|(_, sql)| {
                let Some(at) = sql.find(" WHERE ") else {
                    return true;
                };
                let meets = format!(
                    "SELECT count(*) FROM cases WHERE id = ?1 AND ({})",
                    &sql[at + 7..]
                );
                conn.query_row(&meets, [id], |r| r.get::<_, i64>(0))
                    .unwrap()
                    == 1
            })
            .map(|(name, _)| name)
            .collect()
    }

    /// What a delivery's new case costs in indexes (each one its pages read
    /// and written, about 55 us of a delivery): a case in the queue enters
    /// the indexes of open work and of follow-up routing, and those of a
    /// creator or an account only when it has one (step 20).
    #[test]
    fn a_new_case_enters_only_the_indexes_that_will_read_it() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, ":memory:").unwrap();
        conn.execute_batch(
            "INSERT INTO people (handle, name, email, created_at) VALUES ('amy', 'Amy', 'amy@x', 0);
             INSERT INTO accounts (id, name, tier, created_at) VALUES (1, 'Contoso', 'Gold', 0);",
        )
        .unwrap();
        let queue_and_open = [
            "cases_status",
            "cases_open_owner",
            "cases_open_due",
            "cases_owner_assigned",
            "cases_contact_lower",
        ];
        // What the mail is, the case's creator and account, the indexes it enters besides.
        type NewCase = (
            &'static str,
            Option<&'static str>,
            Option<i64>,
            &'static [&'static str],
        );
        let table: [NewCase; 3] = [
            ("a stranger's mail", None, None, &[]),
            (
                "a customer's mail",
                None,
                Some(1),
                &["cases_account_opened"],
            ),
            (
                "an account manager's forward",
                Some("amy"),
                Some(1),
                &["cases_account_opened", "cases_open_creator"],
            ),
        ];
        for (id, (what, creator, account, more)) in (1..).zip(table) {
            conn.execute(
                "INSERT INTO cases (id, subject, contact_email, creator, account_id, opened_at,
                                    updated_at, status_changed_at, next_due)
                 VALUES (?1, 's', 'c@customer.example', ?2, ?3, 0, 0, 0, 100)",
                rusqlite::params![id, creator, account],
            )
            .unwrap();
            let want = stored(queue_and_open.iter().chain(more).copied());
            assert_eq!(indexes_holding(&conn, id), want, "{what}");
        }
    }

    /// The quoted values of `CHECK (column IN ('a', 'b'))` in `table`'s definition.
    fn check_list(schema: &str, table: &str, column: &str) -> BTreeSet<String> {
        // The last definition: a later step may rebuild the table.
        let start = schema
            .rfind(&format!("CREATE TABLE {table} ("))
            .unwrap_or_else(|| panic!("no table {table}"));
        let body = &schema[start..];
        let body = &body[..body.find(");").unwrap()];
        let check = format!("CHECK ({column} IN (");
        let at = body
            .find(&check)
            .unwrap_or_else(|| panic!("no CHECK on {table}.{column}"));
        let list = &body[at + check.len()..];
        let list = &list[..list.find(')').unwrap()];
        list.split(',')
            .map(|v| v.trim().trim_matches('\'').to_string())
            .collect()
    }

    fn stored(values: impl IntoIterator<Item = &'static str>) -> BTreeSet<String> {
        values.into_iter().map(String::from).collect()
    }

    #[test]
    fn the_domain_states_are_the_schemas_check_lists() {
        use crate::domain::states::*;
        let schema = MIGRATIONS.concat();
        let cases = [
            (
                "contact_attempts",
                "method",
                stored(ContactMethod::ALL.iter().map(|v| v.as_str())),
            ),
            (
                "contact_attempts",
                "outcome",
                stored(ContactOutcome::ALL.iter().map(|v| v.as_str())),
            ),
            (
                "messages",
                "direction",
                stored(MessageDirection::ALL.iter().map(|v| v.as_str())),
            ),
            (
                "outbox",
                "status",
                stored(OutboxStatus::ALL.iter().map(|v| v.as_str())),
            ),
            (
                "quarantine",
                "status",
                stored(QuarantineStatus::ALL.iter().map(|v| v.as_str())),
            ),
            (
                "comments",
                "kind",
                stored(CommentKind::ALL.iter().map(|v| v.as_str())),
            ),
        ];
        for (table, column, want) in cases {
            assert_eq!(check_list(&schema, table, column), want, "{table}.{column}");
        }
    }
}
