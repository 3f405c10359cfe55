//! Reading a whole SQLite desk, table by table, for `store::transfer`.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::store::transfer::Value;
use crate::store::Result;

/// SQLite's own bookkeeping, which the other backend keeps its own way.
const NOT_MOVED: &[&str] = &["search_indexed"];

/// casebook's tables, parents before children (in creation order, which
/// is the order their foreign keys allow).
pub fn tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY rowid",
    )?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(names
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|n| !NOT_MOVED.contains(&n.as_str()))
        .collect())
}

pub fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names = stmt.query_map([table], |r| r.get::<_, String>(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

/// Calls `each` with every row of `table` (its `columns`), in key order;
/// returns how many rows there were.
pub fn each_row(
    conn: &Connection,
    table: &str,
    columns: &[String],
    mut each: impl FnMut(&[Value]) -> Result<()>,
) -> Result<u64> {
    let sql = format!(
        "SELECT {} FROM {table} ORDER BY {}",
        columns.join(", "),
        columns.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    let mut values = Vec::with_capacity(columns.len());
    while let Some(r) = rows.next()? {
        values.clear();
        for i in 0..columns.len() {
            values.push(match r.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Integer(v),
                ValueRef::Real(v) => Value::Text(v.to_string()),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            });
        }
        each(&values)?;
        n += 1;
    }
    Ok(n)
}
