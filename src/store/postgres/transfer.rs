//! Writing a whole desk into PostgreSQL, table by table, for `store::transfer`.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};

use super::Conn;
use crate::store::transfer::{Checksum, Value};
use crate::store::{Result, StoreError};

/// The target must hold casebook's tables and no desk yet.
pub fn check_empty(conn: &Conn, tables: &[String]) -> Result<()> {
    for table in tables {
        let exists: bool = conn
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[table])?
            .try_get(0)?;
        if !exists {
            return Err(StoreError::Unsupported(format!(
                "the PostgreSQL database has no table `{table}`: upgrade the casebook that made it, or start from an empty database"
            )));
        }
        let any: bool = conn
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])?
            .try_get(0)?;
        if any {
            return Err(StoreError::Unsupported(format!(
                "the PostgreSQL database already holds a desk (table `{table}` has rows): migrate into an empty database"
            )));
        }
    }
    Ok(())
}

/// The columns of `table` the source has and the target has too, in the
/// source's order; a source column the target lacks is an error.
pub fn shared_columns(conn: &Conn, table: &str, source: &[String]) -> Result<Vec<String>> {
    let target: Vec<String> = conn
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1",
            &[&table],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    if let Some(missing) = source.iter().find(|c| !target.contains(c)) {
        return Err(StoreError::Unsupported(format!(
            "the PostgreSQL table `{table}` has no column `{missing}`"
        )));
    }
    Ok(source.to_vec())
}

/// Inserts rows into one table with one prepared statement. Cases and
/// comments also get their search words, written from the text as the
/// backend's own inserts do.
pub struct Inserter<'a> {
    conn: &'a Conn,
    sql: String,
    types: Vec<Type>,
    search_from: Vec<usize>,
}

impl<'a> Inserter<'a> {
    pub fn new(conn: &'a Conn, table: &str, columns: &[String]) -> Result<Inserter<'a>> {
        let text_columns: &[&str] = match table {
            "cases" => &["subject", "description", "quoted"],
            "comments" => &["body"],
            _ => &[],
        };
        let search_from: Vec<usize> = text_columns
            .iter()
            .filter_map(|t| columns.iter().position(|c| c == t))
            .collect();
        let mut names = columns.to_vec();
        if !search_from.is_empty() {
            names.push("search_words".into());
        }
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) OVERRIDING SYSTEM VALUE VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        );
        let types = conn.statement(&sql)?.params().to_vec();
        Ok(Inserter {
            conn,
            sql,
            types,
            search_from,
        })
    }

    pub fn row(&mut self, row: &[Value]) -> Result<()> {
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(row.len() + 1);
        for (v, ty) in row.iter().zip(&self.types) {
            params.push(param(v, ty)?);
        }
        if !self.search_from.is_empty() {
            let texts: Vec<&str> = self
                .search_from
                .iter()
                .map(|&i| match &row[i] {
                    Value::Text(t) => t.as_str(),
                    _ => "",
                })
                .collect();
            params.push(Box::new(crate::store::search_words(&texts)));
        }
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        self.conn.execute(&self.sql, &refs)?;
        Ok(())
    }
}

/// A value bound as the column's own type.
fn param(v: &Value, ty: &Type) -> Result<Box<dyn ToSql + Sync>> {
    let wrong = || StoreError::Unsupported(format!("a value {v:?} does not fit a {ty} column"));
    Ok(match (v, ty) {
        (Value::Null, &Type::INT8) => Box::new(None::<i64>),
        (Value::Null, &Type::BYTEA) => Box::new(None::<Vec<u8>>),
        (Value::Null, _) => Box::new(None::<String>),
        (Value::Integer(i), &Type::INT8) => Box::new(*i),
        (Value::Integer(i), &Type::TEXT) => Box::new(i.to_string()),
        (Value::Text(t), &Type::TEXT) => Box::new(t.clone()),
        (Value::Text(t), &Type::BYTEA) => Box::new(t.clone().into_bytes()),
        (Value::Blob(b), &Type::BYTEA) => Box::new(b.clone()),
        (Value::Blob(b), &Type::TEXT) => {
            Box::new(String::from_utf8(b.clone()).map_err(|_| wrong())?)
        }
        _ => return Err(wrong()),
    })
}

/// How many rows `table` holds and their checksum, read back in key order.
pub fn checksum(conn: &Conn, table: &str, columns: &[String]) -> Result<(u64, Checksum)> {
    // Text columns sort as bytes on both sides: order by each column,
    // text ones under the C collation (SQLite's BINARY).
    let order: Vec<String> = column_types(conn, table, columns)?
        .iter()
        .zip(columns)
        .map(|(ty, c)| {
            if *ty == Type::TEXT {
                format!("{c} COLLATE \"C\"")
            } else {
                c.clone()
            }
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM {table} ORDER BY {}",
        columns.join(", "),
        order.join(", ")
    );
    let mut sum = Checksum::default();
    let mut n = 0;
    // Streamed: a table of raw mail does not fit in memory at once.
    let statement = conn.statement(&sql)?;
    let mut client = conn.client.borrow_mut();
    let mut rows = client
        .query_raw(&statement, std::iter::empty::<i64>())
        .map_err(|e| conn.classify(e))?;
    while let Some(r) = rows.next().map_err(|e| conn.classify(e))? {
        let mut values = Vec::with_capacity(columns.len());
        for (i, col) in r.columns().iter().enumerate() {
            values.push(match *col.type_() {
                Type::INT8 => r
                    .try_get::<_, Option<i64>>(i)?
                    .map_or(Value::Null, Value::Integer),
                Type::BYTEA => r
                    .try_get::<_, Option<Vec<u8>>>(i)?
                    .map_or(Value::Null, Value::Blob),
                _ => r
                    .try_get::<_, Option<String>>(i)?
                    .map_or(Value::Null, Value::Text),
            });
        }
        sum.add(&values);
        n += 1;
    }
    drop(rows);
    Ok((n, sum))
}

fn column_types(conn: &Conn, table: &str, columns: &[String]) -> Result<Vec<Type>> {
    let sql = format!("SELECT {} FROM {table} LIMIT 0", columns.join(", "));
    Ok(conn
        .statement(&sql)?
        .columns()
        .iter()
        .map(|c| c.type_().clone())
        .collect())
}

/// Sets every identity sequence past the ids that were copied, so the next
/// case gets the next number.
pub fn continue_sequences(conn: &Conn, tables: &[String]) -> Result<()> {
    for table in tables {
        let has_identity: bool = conn
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_name = $1 AND column_name = 'id' AND is_identity = 'YES')",
                &[table],
            )?
            .try_get(0)?;
        if has_identity {
            conn.query(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
                ),
                &[],
            )?;
        }
    }
    Ok(())
}
