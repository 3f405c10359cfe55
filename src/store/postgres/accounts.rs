//! accounts on PostgreSQL: the same operations as `sqlite::accounts`.
#![allow(unused)]

use crate::domain::case::Tier;
use crate::domain::person::{Account, Contact};
use crate::store::Result;

use super::Conn;
use crate::store::StoreError;

pub fn upsert(conn: &Conn, a: &Account, now: i64) -> Result<i64> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get_by_name(conn: &Conn, name: &str) -> Result<Option<Account>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Account>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn list(conn: &Conn) -> Result<Vec<Account>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn domain_owner(conn: &Conn, domain: &str) -> Result<Option<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn contact_owner(conn: &Conn, email: &str) -> Result<Option<String>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}

pub fn match_sender(conn: &Conn, email: &str) -> Result<Option<(i64, &'static str)>> {
    Err(StoreError::Unsupported("not yet on PostgreSQL".into()))
}
