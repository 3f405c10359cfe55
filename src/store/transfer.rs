//! Moving a whole desk from one store to another (`casebook migrate-to`):
//! every row of every table, in one transaction on the target, then a
//! check that both sides hold the same rows, table by table.
//!
//! Rows travel as plain [`Value`]s, so the copy knows no table but by the
//! names both schemas share: a table added by a later migration moves
//! without changes here.

use super::{postgres, sqlite, Inner, Result, Store, StoreError};

/// One column's value, as both backends store it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// What was moved: per table, its rows and the checksum both sides agree on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Moved {
    pub table: String,
    pub rows: u64,
    pub checksum: String,
}

/// A running checksum of a table's rows in key order (FNV-1a over each
/// value's kind and bytes): equal on both sides when every value is.
#[derive(Debug, Clone, Copy)]
pub struct Checksum(u64);

impl Default for Checksum {
    fn default() -> Checksum {
        Checksum(0xcbf2_9ce4_8422_2325)
    }
}

impl Checksum {
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn add(&mut self, row: &[Value]) {
        for v in row {
            match v {
                Value::Null => self.bytes(&[0]),
                Value::Integer(i) => {
                    self.bytes(&[1]);
                    self.bytes(&i.to_le_bytes());
                }
                Value::Text(t) => {
                    self.bytes(&[2]);
                    self.bytes(&(t.len() as u64).to_le_bytes());
                    self.bytes(t.as_bytes());
                }
                Value::Blob(b) => {
                    self.bytes(&[3]);
                    self.bytes(&(b.len() as u64).to_le_bytes());
                    self.bytes(b);
                }
            }
        }
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Copies the SQLite desk `from` into the PostgreSQL database `to`, which
/// must hold casebook's tables and nothing else yet. All or nothing: a
/// failure (or a mismatch found by the check) leaves `to` empty.
pub fn sqlite_to_postgres(from: &Store, to: &Store) -> Result<Vec<Moved>> {
    let (Inner::Sqlite(source), Inner::Postgres(target)) = (&from.db.inner, &to.db.inner) else {
        return Err(StoreError::Unsupported(
            "migrate-to moves a SQLite desk into PostgreSQL".into(),
        ));
    };
    // The source's schema is current: opening it migrated it.
    let tables = sqlite::transfer::tables(&source.conn)?;
    target.begin()?;
    let moved = (|| {
        postgres::transfer::check_empty(target, &tables)?;
        let mut moved = Vec::new();
        for table in &tables {
            let columns = postgres::transfer::shared_columns(
                target,
                table,
                &sqlite::transfer::columns(&source.conn, table)?,
            )?;
            let mut insert = postgres::transfer::Inserter::new(target, table, &columns)?;
            let mut sum = Checksum::default();
            let rows = sqlite::transfer::each_row(&source.conn, table, &columns, |row| {
                sum.add(row);
                insert.row(row)
            })?;
            let (copied, copied_sum) = postgres::transfer::checksum(target, table, &columns)?;
            if copied != rows || copied_sum.hex() != sum.hex() {
                return Err(StoreError::Unsupported(format!(
                    "table {table}: {rows} rows ({}) read, {copied} rows ({}) written; nothing was moved",
                    sum.hex(),
                    copied_sum.hex()
                )));
            }
            moved.push(Moved {
                table: table.clone(),
                rows,
                checksum: sum.hex(),
            });
        }
        postgres::transfer::continue_sequences(target, &tables)?;
        Ok(moved)
    })();
    match moved {
        Ok(moved) => {
            target.commit()?;
            Ok(moved)
        }
        Err(e) => {
            target.rollback();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_tell_kinds_and_boundaries_apart() {
        let sum = |rows: &[&[Value]]| {
            let mut c = Checksum::default();
            for r in rows {
                c.add(r);
            }
            c.hex()
        };
        let ab = sum(&[&[Value::Text("ab".into()), Value::Text("c".into())]]);
        let a_bc = sum(&[&[Value::Text("a".into()), Value::Text("bc".into())]]);
        assert_ne!(ab, a_bc);
        assert_ne!(sum(&[&[Value::Null]]), sum(&[&[Value::Integer(0)]]));
        assert_ne!(
            sum(&[&[Value::Text("x".into())]]),
            sum(&[&[Value::Blob(b"x".to_vec())]])
        );
        assert_eq!(sum(&[&[Value::Integer(7)]]), sum(&[&[Value::Integer(7)]]));
    }
}
