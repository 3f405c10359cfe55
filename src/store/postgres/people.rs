//! people on PostgreSQL: the same operations as `sqlite::people`.
#![allow(unused)]

use crate::domain::person::Person;
use crate::store::Result;

use super::Conn;
use crate::store::StoreError;

pub fn insert(conn: &Conn, p: &Person, now: i64) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn upsert(conn: &Conn, p: &Person, now: i64) -> Result<()> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get(conn: &Conn, handle: &str) -> Result<Option<Person>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn list(conn: &Conn) -> Result<Vec<Person>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn email_taken_by_other(conn: &Conn, email: &str, handle: &str) -> Result<Option<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
