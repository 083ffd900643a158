//! The row operations, backend-neutral: what an op asks for, and the SQL each dialect runs for it.

use serde_json::Value;

use crate::migrate::{Dialect, q};
use crate::schema::{ColType, Schema, Table};
use crate::value::SqlVal;

/// One database operation of an op call.
#[derive(Debug, Clone)]
pub enum Action {
    Insert {
        table: String,
        cols: Vec<String>,
        vals: Vec<SqlVal>,
    },
    /// `id` is `None` when it cannot be a value of the key's type (no row can match).
    Update {
        table: String,
        id: Option<SqlVal>,
        id_json: Value,
        cols: Vec<String>,
        vals: Vec<SqlVal>,
    },
    Delete {
        table: String,
        id: Option<SqlVal>,
        id_json: Value,
    },
    FindById {
        table: String,
        id: Option<SqlVal>,
    },
    /// `SqlVal::Null` in the filter means `IS NULL`.
    FindMany {
        table: String,
        filter: Vec<(String, SqlVal)>,
    },
    Query {
        sql: String,
        params: Vec<Value>,
    },
}

impl Action {
    pub fn writes(&self) -> bool {
        matches!(self, Action::Insert { .. } | Action::Update { .. } | Action::Delete { .. })
    }

    pub fn table(&self) -> Option<&str> {
        match self {
            Action::Insert { table, .. } | Action::Update { table, .. } | Action::Delete { table, .. } | Action::FindById { table, .. } | Action::FindMany { table, .. } => Some(table),
            Action::Query { .. } => None,
        }
    }
}

/// The SQL of a table action (not `Query`), its parameters, and what the result is.
pub struct Built {
    pub sql: String,
    pub params: Vec<SqlVal>,
    pub shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Exactly one row is expected; none means `row_not_found`.
    OneOrNotFound,
    /// The row or `null`.
    Optional,
    /// All rows.
    Many,
    /// An affected-row count; zero means `row_not_found`.
    Affected,
    /// No statement: the answer is `null` (an id of the wrong type never matches).
    Nothing,
}

fn ph(d: Dialect, n: usize) -> String {
    match d {
        Dialect::Postgres => format!("${n}"),
        Dialect::Sqlite => format!("?{n}"),
    }
}

/// Appends `ident` quoted, as [`q`] writes it (built once per request: no intermediate strings).
fn push_q(out: &mut String, ident: &str) {
    out.push('"');
    for ch in ident.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
}

fn returning(t: &Table) -> String {
    let mut out = String::with_capacity(t.columns.iter().map(|c| c.name.len() + 4).sum());
    for (i, c) in t.columns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_q(&mut out, &c.name);
    }
    out
}

/// `SELECT <cols> FROM <table> WHERE <pk> = <placeholder 1>` (or `DELETE FROM …` without cols).
fn by_id(d: Dialect, head: &str, cols: Option<&str>, table: &str, pk: &str) -> String {
    let mut sql = String::with_capacity(head.len() + cols.map_or(0, str::len) + table.len() + pk.len() + 24);
    sql.push_str(head);
    if let Some(cols) = cols {
        sql.push_str(cols);
    }
    sql.push_str(" FROM ");
    push_q(&mut sql, table);
    sql.push_str(" WHERE ");
    push_q(&mut sql, pk);
    sql.push_str(match d {
        Dialect::Postgres => " = $1",
        Dialect::Sqlite => " = ?1",
    });
    sql
}

/// Builds the statement for a table action. `pk` must exist for by-id actions (checked by the
/// caller).
pub fn build(d: Dialect, schema: &Schema, action: &Action) -> Option<Built> {
    let t = schema.table(action.table()?)?;
    let cols = returning(t);
    let built = match action {
        Action::Insert { cols: names, vals, .. } => {
            let sql = if names.is_empty() {
                format!("INSERT INTO {} DEFAULT VALUES RETURNING {cols}", q(&t.name))
            } else {
                let list = names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ");
                let phs = (1..=names.len()).map(|i| ph(d, i)).collect::<Vec<_>>().join(", ");
                format!("INSERT INTO {} ({list}) VALUES ({phs}) RETURNING {cols}", q(&t.name))
            };
            Built { sql, params: vals.clone(), shape: Shape::OneOrNotFound }
        }
        Action::Update { id: None, .. } | Action::Delete { id: None, .. } => Built { sql: String::new(), params: vec![], shape: Shape::Affected },
        Action::FindById { id: None, .. } => Built { sql: String::new(), params: vec![], shape: Shape::Nothing },
        Action::Update { id: Some(id), cols: names, vals, .. } => {
            let pk = t.single_pk()?;
            if names.is_empty() {
                let sql = format!("SELECT {cols} FROM {} WHERE {} = {}", q(&t.name), q(&pk.name), ph(d, 1));
                Built { sql, params: vec![id.clone()], shape: Shape::OneOrNotFound }
            } else {
                let sets = names.iter().enumerate().map(|(i, n)| format!("{} = {}", q(n), ph(d, i + 1))).collect::<Vec<_>>().join(", ");
                let sql = format!("UPDATE {} SET {sets} WHERE {} = {} RETURNING {cols}", q(&t.name), q(&pk.name), ph(d, names.len() + 1));
                let mut params = vals.clone();
                params.push(id.clone());
                Built { sql, params, shape: Shape::OneOrNotFound }
            }
        }
        Action::Delete { id: Some(id), .. } => {
            let pk = t.single_pk()?;
            let sql = by_id(d, "DELETE", None, &t.name, &pk.name);
            Built { sql, params: vec![id.clone()], shape: Shape::Affected }
        }
        Action::FindById { id: Some(id), .. } => {
            let pk = t.single_pk()?;
            let sql = by_id(d, "SELECT ", Some(&cols), &t.name, &pk.name);
            Built { sql, params: vec![id.clone()], shape: Shape::Optional }
        }
        Action::FindMany { filter, .. } => {
            let mut sql = format!("SELECT {cols} FROM {}", q(&t.name));
            let mut params = Vec::new();
            let mut conds = Vec::new();
            for (name, v) in filter {
                if *v == SqlVal::Null {
                    conds.push(format!("{} IS NULL", q(name)));
                } else {
                    params.push(v.clone());
                    conds.push(format!("{} = {}", q(name), ph(d, params.len())));
                }
            }
            if !conds.is_empty() {
                sql.push_str(" WHERE ");
                sql.push_str(&conds.join(" AND "));
            }
            // Primary-key order on both backends; text keys compare bytewise on PostgreSQL too
            // (SQLite's BINARY collation), so the order is the same everywhere.
            let pk = t.primary_key();
            if !pk.is_empty() {
                let order = pk
                    .iter()
                    .map(|c| match (d, &c.ty) {
                        (Dialect::Postgres, ColType::Text) => format!("{} COLLATE \"C\"", q(&c.name)),
                        _ => q(&c.name),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                sql.push_str(" ORDER BY ");
                sql.push_str(&order);
            } else if d == Dialect::Sqlite {
                sql.push_str(" ORDER BY rowid");
            }
            Built { sql, params, shape: Shape::Many }
        }
        Action::Query { .. } => return None,
    };
    Some(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_by_id_are_those_format_wrote() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            for (table, pk, cols) in [("todos", "id", "\"id\", \"title\""), ("we\"ird", "k\"ey", "\"a\"\"b\"")] {
                let ph = ph(d, 1);
                assert_eq!(by_id(d, "SELECT ", Some(cols), table, pk), format!("SELECT {cols} FROM {} WHERE {} = {ph}", q(table), q(pk)));
                assert_eq!(by_id(d, "DELETE", None, table, pk), format!("DELETE FROM {} WHERE {} = {ph}", q(table), q(pk)));
            }
        }
        let mut s = String::new();
        push_q(&mut s, "a\"b\"\"");
        assert_eq!(s, q("a\"b\"\""));
    }
}
