//! Schema-driven migrations, the pure part: diff the last applied schema (the snapshot stored in
//! `_palbase_migrations`) against the new one, classify each change as safe or refused, and render
//! SQL for either backend. The backends run the plan inside their migration lock.
//!
//! Rules (see README): new tables, new nullable or defaulted columns, new enum values, new or
//! changed references, defaults and dropped NOT NULL apply automatically. Dropping a table or a
//! column, changing a type, adding NOT NULL to an existing column, removing enum values and
//! changing a primary key are refused unless data loss is accepted. A required column without a
//! default is added to an existing table only while that table is empty.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::schema::{ColDefault, ColType, Column, OnDelete, Schema, Table};
use crate::value::{self, SqlVal};

/// Options of [`crate::Db::migrate`].
#[derive(Debug, Clone, Copy, Default)]
pub struct MigrateOptions {
    /// Apply destructive changes too (`palbase migrate --accept-data-loss`).
    pub allow_data_loss: bool,
    /// Plan only: report the SQL, change nothing.
    pub dry_run: bool,
}

/// What [`crate::Db::migrate`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MigrationReport {
    /// The statements executed, in order (empty for a dry run, or when a change was refused).
    pub applied: Vec<String>,
    /// Every statement of the migration, whether or not it ran (what a dry run prints).
    pub planned: Vec<String>,
    /// Changes that were not applied; when this is not empty nothing was applied.
    pub refused: Vec<RefusedChange>,
    /// One line per change, for humans (`+ table rooms`, `~ column rooms.capacity: type …`).
    pub changes: Vec<String>,
    pub dry_run: bool,
    /// The `_palbase_migrations` id of the recorded migration, when one was applied.
    pub migration_id: Option<i64>,
}

impl MigrationReport {
    /// True when the database already matched the schema.
    pub fn is_empty(&self) -> bool {
        self.planned.is_empty() && self.refused.is_empty()
    }
}

/// A change that was refused, with the reason and how to apply it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefusedChange {
    pub table: String,
    pub column: Option<String>,
    pub kind: RefusedKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusedKind {
    DropTable,
    DropColumn,
    ChangeType,
    SetNotNull,
    RemoveEnumValues,
    ChangePrimaryKey,
    /// A NOT NULL column without a default added to a table that has rows: no flag applies it.
    AddRequiredColumn,
}

impl RefusedKind {
    /// Whether `allow_data_loss` applies the change.
    pub fn acceptable(self) -> bool {
        self != RefusedKind::AddRequiredColumn
    }
}

pub const ACCEPT_HINT: &str = "Run `palbase migrate --accept-data-loss` to apply it.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateEnum(String),
    AddEnumValues(String),
    RecreateEnum(String),
    DropEnum(String),
    CreateTable(String),
    DropTable(String),
    AddColumn { table: String, column: String },
    DropColumn { table: String, column: String },
    AlterType { table: String, column: String },
    SetNotNull { table: String, column: String },
    DropNotNull { table: String, column: String },
    SetDefault { table: String, column: String },
    AlterPrimaryKey { table: String },
    DropForeignKey { table: String, column: String },
    AddForeignKey { table: String, column: String },
}

/// A row count the classification needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Count {
    Rows(String),
    NonNull(String, String),
    Nulls(String, String),
}

impl Count {
    pub fn sql(&self) -> String {
        match self {
            Count::Rows(t) => format!("SELECT count(*) FROM {}", q(t)),
            Count::NonNull(t, c) => format!("SELECT count(*) FROM {} WHERE {} IS NOT NULL", q(t), q(c)),
            Count::Nulls(t, c) => format!("SELECT count(*) FROM {} WHERE {} IS NULL", q(t), q(c)),
        }
    }
}

/// Quotes an identifier.
pub fn q(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Quotes a string literal (standard SQL: `'` doubled; both backends use standard strings).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A constraint or index name derived from the table (and column), at most 63 bytes.
pub fn object_name(table: &str, column: Option<&str>, suffix: &str) -> String {
    let base = match column {
        Some(c) => format!("{table}_{c}_{suffix}"),
        None => format!("{table}_{suffix}"),
    };
    if base.len() <= crate::schema::MAX_IDENT {
        return base;
    }
    // FNV-1a keeps long names distinct and stable across runs.
    let mut h: u32 = 0x811c_9dc5;
    for b in base.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{}_{h:08x}", &base[..crate::schema::MAX_IDENT - 9])
}

fn enum_values<'a>(s: &'a Schema, name: &str) -> Option<&'a [String]> {
    s.enums().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Whether `old` appears in `new` in the same order (only appends/inserts happened).
fn is_subsequence(old: &[String], new: &[String]) -> bool {
    let mut it = new.iter();
    old.iter().all(|o| it.any(|n| n == o))
}

/// The differences from `old` to `new`.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    for (name, values) in new.enums() {
        match enum_values(old, name) {
            None => out.push(Change::CreateEnum(name.to_owned())),
            Some(ov) if ov == values => {}
            Some(ov) if is_subsequence(ov, values) => out.push(Change::AddEnumValues(name.to_owned())),
            Some(_) => out.push(Change::RecreateEnum(name.to_owned())),
        }
    }
    for t in &old.tables {
        if new.table(&t.name).is_none() {
            out.push(Change::DropTable(t.name.clone()));
        }
    }
    for t in &new.tables {
        let Some(ot) = old.table(&t.name) else {
            out.push(Change::CreateTable(t.name.clone()));
            continue;
        };
        let tn = || t.name.clone();
        for oc in &ot.columns {
            if t.column(&oc.name).is_none() {
                out.push(Change::DropColumn { table: tn(), column: oc.name.clone() });
            }
        }
        for c in &t.columns {
            let Some(oc) = ot.column(&c.name) else {
                out.push(Change::AddColumn { table: tn(), column: c.name.clone() });
                if c.references.is_some() {
                    out.push(Change::AddForeignKey { table: tn(), column: c.name.clone() });
                }
                continue;
            };
            let cn = || c.name.clone();
            let same_enum = matches!((&oc.ty, &c.ty), (ColType::Enum { name: a, .. }, ColType::Enum { name: b, .. }) if a == b);
            if oc.ty != c.ty && !same_enum {
                out.push(Change::AlterType { table: tn(), column: cn() });
            }
            if !oc.not_null && c.not_null {
                out.push(Change::SetNotNull { table: tn(), column: cn() });
            } else if oc.not_null && !c.not_null {
                out.push(Change::DropNotNull { table: tn(), column: cn() });
            }
            if oc.default != c.default {
                out.push(Change::SetDefault { table: tn(), column: cn() });
            }
            if oc.references != c.references {
                if oc.references.is_some() {
                    out.push(Change::DropForeignKey { table: tn(), column: cn() });
                }
                if c.references.is_some() {
                    out.push(Change::AddForeignKey { table: tn(), column: cn() });
                }
            }
        }
        let opk: Vec<&str> = ot.primary_key().iter().map(|c| c.name.as_str()).collect();
        let npk: Vec<&str> = t.primary_key().iter().map(|c| c.name.as_str()).collect();
        if opk != npk {
            out.push(Change::AlterPrimaryKey { table: tn() });
        }
    }
    for (name, _) in old.enums() {
        if enum_values(new, name).is_none() {
            out.push(Change::DropEnum(name.to_owned()));
        }
    }
    out
}

/// The counts [`classify`] needs for `changes`.
pub fn counts_needed(old: &Schema, new: &Schema, changes: &[Change]) -> Vec<Count> {
    let mut set = BTreeSet::new();
    for ch in changes {
        match ch {
            Change::DropTable(t) => {
                set.insert(Count::Rows(t.clone()));
            }
            Change::DropColumn { table, column } | Change::AlterType { table, column } => {
                set.insert(Count::NonNull(table.clone(), column.clone()));
            }
            Change::SetNotNull { table, column } => {
                set.insert(Count::Nulls(table.clone(), column.clone()));
            }
            Change::AddColumn { table, column } => {
                let c = new.table(table).and_then(|t| t.column(column));
                if c.is_some_and(|c| c.not_null && c.default.is_none()) {
                    set.insert(Count::Rows(table.clone()));
                }
            }
            Change::RecreateEnum(_) | Change::AlterPrimaryKey { .. } => {}
            _ => {}
        }
    }
    let _ = old;
    set.into_iter().collect()
}

/// Classifies `changes`: the refused ones, each with its message. `count` answers [`Count`]s.
pub fn classify(old: &Schema, new: &Schema, changes: &[Change], count: &dyn Fn(&Count) -> i64) -> Vec<RefusedChange> {
    let mut out = Vec::new();
    let rows = |n: i64| if n == 1 { "1 row".to_owned() } else { format!("{n} rows") };
    let vals = |n: i64| if n == 1 { "1 value".to_owned() } else { format!("{n} values") };
    for ch in changes {
        let r = match ch {
            Change::DropTable(t) => {
                let n = count(&Count::Rows(t.clone()));
                Some(RefusedChange { table: t.clone(), column: None, kind: RefusedKind::DropTable, message: format!("Table `{t}` would be dropped; it has {}, which would be lost. {ACCEPT_HINT}", rows(n)) })
            }
            Change::DropColumn { table, column } => {
                let n = count(&Count::NonNull(table.clone(), column.clone()));
                Some(RefusedChange {
                    table: table.clone(),
                    column: Some(column.clone()),
                    kind: RefusedKind::DropColumn,
                    message: format!("Column `{column}` would be dropped from table `{table}`; its {} would be lost. {ACCEPT_HINT}", vals(n)),
                })
            }
            Change::AlterType { table, column } => {
                let (oc, nc) = (col(old, table, column), col(new, table, column));
                let safe = match (&oc.ty, &nc.ty) {
                    (ColType::Enum { values: a, .. }, ColType::Enum { values: b, .. }) => a.iter().all(|v| b.contains(v)),
                    _ => false,
                };
                if safe {
                    None
                } else {
                    let n = count(&Count::NonNull(table.clone(), column.clone()));
                    Some(RefusedChange {
                        table: table.clone(),
                        column: Some(column.clone()),
                        kind: RefusedKind::ChangeType,
                        message: format!(
                            "Column `{column}` of table `{table}` would change type from {} to {}; its {} would be converted, and the migration fails if one cannot be. {ACCEPT_HINT}",
                            oc.ty.describe(),
                            nc.ty.describe(),
                            vals(n)
                        ),
                    })
                }
            }
            Change::SetNotNull { table, column } => {
                let n = count(&Count::Nulls(table.clone(), column.clone()));
                let nc = col(new, table, column);
                let what = if n == 0 {
                    "it holds no NULL today".to_owned()
                } else if nc.default.is_some() {
                    format!("its {} NULL value(s) would be set to the column default", n)
                } else {
                    format!("it holds {n} NULL value(s), so the migration would fail until they are updated")
                };
                Some(RefusedChange { table: table.clone(), column: Some(column.clone()), kind: RefusedKind::SetNotNull, message: format!("Column `{column}` of table `{table}` would become NOT NULL; {what}. {ACCEPT_HINT}") })
            }
            Change::AddColumn { table, column } => {
                let nc = col(new, table, column);
                if nc.not_null && nc.default.is_none() {
                    let n = count(&Count::Rows(table.clone()));
                    (n > 0).then(|| RefusedChange {
                        table: table.clone(),
                        column: Some(column.clone()),
                        kind: RefusedKind::AddRequiredColumn,
                        message: format!(
                            "Added the required column `{column}` to table `{table}` without a default value, but the table has {}: existing rows would have no value for it. Make the column nullable (`.nullable()`) or give it a default (`.default(…)`); accepting data loss does not apply this change.",
                            rows(n)
                        ),
                    })
                } else {
                    None
                }
            }
            Change::RecreateEnum(name) => {
                let ov = enum_values(old, name).unwrap_or(&[]);
                let nv = enum_values(new, name).unwrap_or(&[]);
                let removed: Vec<&String> = ov.iter().filter(|v| !nv.contains(v)).collect();
                if removed.is_empty() {
                    None
                } else {
                    let users: Vec<(String, String)> = enum_users(new, name).into_iter().filter(|(t, c)| old.table(t).and_then(|ot| ot.column(c)).is_some()).collect();
                    let (table, column) = users.first().cloned().unwrap_or_default();
                    let list = removed.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                    let used = users.iter().map(|(t, c)| format!("`{t}.{c}`")).collect::<Vec<_>>().join(", ");
                    Some(RefusedChange {
                        table,
                        column: if column.is_empty() { None } else { Some(column) },
                        kind: RefusedKind::RemoveEnumValues,
                        message: format!("The value(s) {list} of enum `{name}` would be removed{}; the migration fails if a row still uses one. {ACCEPT_HINT}", if used.is_empty() { String::new() } else { format!(" (used by {used})") }),
                    })
                }
            }
            Change::AlterPrimaryKey { table } => {
                let f = |s: &Schema| {
                    let cols: Vec<String> = s.table(table).map(|t| t.primary_key().iter().map(|c| c.name.clone()).collect()).unwrap_or_default();
                    if cols.is_empty() { "none".to_owned() } else { format!("({})", cols.join(", ")) }
                };
                Some(RefusedChange { table: table.clone(), column: None, kind: RefusedKind::ChangePrimaryKey, message: format!("The primary key of table `{table}` would change from {} to {}. {ACCEPT_HINT}", f(old), f(new)) })
            }
            _ => None,
        };
        out.extend(r);
    }
    out
}

/// One line per change, for the report.
pub fn describe(old: &Schema, new: &Schema, changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|ch| match ch {
            Change::CreateEnum(n) => format!("+ enum {n}"),
            Change::AddEnumValues(n) | Change::RecreateEnum(n) => format!("~ enum {n}: [{}] -> [{}]", enum_values(old, n).unwrap_or(&[]).join(", "), enum_values(new, n).unwrap_or(&[]).join(", ")),
            Change::DropEnum(n) => format!("- enum {n}"),
            Change::CreateTable(t) => format!("+ table {t}"),
            Change::DropTable(t) => format!("- table {t}"),
            Change::AddColumn { table, column } => format!("+ column {table}.{column}"),
            Change::DropColumn { table, column } => format!("- column {table}.{column}"),
            Change::AlterType { table, column } => format!("~ column {table}.{column}: type {} -> {}", col(old, table, column).ty.describe(), col(new, table, column).ty.describe()),
            Change::SetNotNull { table, column } => format!("~ column {table}.{column}: NOT NULL"),
            Change::DropNotNull { table, column } => format!("~ column {table}.{column}: nullable"),
            Change::SetDefault { table, column } => format!("~ column {table}.{column}: default"),
            Change::AlterPrimaryKey { table } => format!("~ table {table}: primary key"),
            Change::DropForeignKey { table, column } => format!("- reference {table}.{column}"),
            Change::AddForeignKey { table, column } => format!("+ reference {table}.{column}"),
        })
        .collect()
}

fn col<'a>(s: &'a Schema, table: &str, column: &str) -> &'a Column {
    s.table(table).and_then(|t| t.column(column)).expect("diff names columns of its schemas")
}

/// `(table, column)` of every column of `s` whose type is enum `name`.
fn enum_users(s: &Schema, name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in &s.tables {
        for c in &t.columns {
            if c.ty.enum_name() == Some(name) {
                out.push((t.name.clone(), c.name.clone()));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shared SQL pieces

fn default_sql(d: Dialect, c: &Column) -> Option<String> {
    match c.default.as_ref()? {
        ColDefault::Random => Some(match d {
            Dialect::Postgres => "gen_random_uuid()".into(),
            // A v4 UUID from SQLite's own functions, so the file stays usable without Palbase.
            Dialect::Sqlite => "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || \
                substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || \
                substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"
                .into(),
        }),
        ColDefault::Now => Some(match d {
            // Millisecond precision, like every timestamp the runtime returns, so a returned value
            // can be used in an equality filter.
            Dialect::Postgres => "date_trunc('milliseconds', now())".into(),
            Dialect::Sqlite => "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))".into(),
        }),
        ColDefault::Value(_) => crate::schema::default_literal(c).map(|v| literal_sql(d, &v)),
    }
}

/// A value as an SQL literal (defaults and backfills; never used for request data).
fn literal_sql(d: Dialect, v: &SqlVal) -> String {
    match v {
        SqlVal::Null => "NULL".into(),
        SqlVal::Bool(b) => match d {
            Dialect::Postgres => (if *b { "true" } else { "false" }).into(),
            Dialect::Sqlite => (if *b { "1" } else { "0" }).into(),
        },
        SqlVal::Int(i) => i.to_string(),
        SqlVal::Float(f) => f.to_string(),
        SqlVal::Text(s) => lit(s),
        SqlVal::Uuid(u) => lit(&u.hyphenated().to_string()),
        SqlVal::Ts(t) => lit(&value::format_timestamp(*t)),
        SqlVal::Json(j) => lit(&value::jsonb_canonical(j).to_string()),
    }
}

fn pg_type(c: &Column) -> String {
    match &c.ty {
        ColType::Uuid => "uuid".into(),
        ColType::Text => "text".into(),
        ColType::Integer => "integer".into(),
        ColType::Boolean => "boolean".into(),
        ColType::Timestamp => "timestamptz".into(),
        ColType::Jsonb => "jsonb".into(),
        ColType::Enum { name, .. } => q(name),
    }
}

/// SQLite declared types: the names tell the runtime how to convert values back (decltype).
fn sqlite_type(t: &Table, c: &Column) -> &'static str {
    match &c.ty {
        ColType::Uuid => "UUID",
        ColType::Text | ColType::Enum { .. } => "TEXT",
        // `INTEGER PRIMARY KEY` would make the column an alias of the rowid, which fills itself in
        // on insert; PostgreSQL would refuse the same insert, so a lone integer key is `INT`.
        ColType::Integer if c.primary_key && t.primary_key().len() == 1 => "INT",
        ColType::Integer => "INTEGER",
        ColType::Boolean => "BOOLEAN",
        ColType::Timestamp => "TIMESTAMPTZ",
        ColType::Jsonb => "JSONB",
    }
}

fn column_def(d: Dialect, t: &Table, c: &Column) -> String {
    let mut s = format!(
        "{} {}",
        q(&c.name),
        match d {
            Dialect::Postgres => pg_type(c),
            Dialect::Sqlite => sqlite_type(t, c).to_owned(),
        }
    );
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(def) = default_sql(d, c) {
        s.push_str(" DEFAULT ");
        s.push_str(&def);
    }
    if d == Dialect::Sqlite
        && let ColType::Enum { values, .. } = &c.ty
    {
        let list = values.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ");
        s.push_str(&format!(" CONSTRAINT {} CHECK ({} IN ({list}))", q(&object_name(&t.name, Some(&c.name), "check")), q(&c.name)));
    }
    s
}

fn pk_constraint(t: &Table) -> Option<String> {
    let pk = t.primary_key();
    if pk.is_empty() {
        return None;
    }
    let cols = pk.iter().map(|c| q(&c.name)).collect::<Vec<_>>().join(", ");
    Some(format!("CONSTRAINT {} PRIMARY KEY ({cols})", q(&object_name(&t.name, None, "pkey"))))
}

fn fk_constraint(t: &Table, c: &Column) -> Option<String> {
    let r = c.references.as_ref()?;
    let mut s = format!("CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})", q(&object_name(&t.name, Some(&c.name), "fkey")), q(&c.name), q(&r.table), q(&r.column));
    if r.on_delete != OnDelete::NoAction {
        s.push_str(" ON DELETE ");
        s.push_str(r.on_delete.sql());
    }
    Some(s)
}

/// An index on a referencing column (PostgreSQL does not create one; cascades and `findMany`
/// by the parent need it). None when the column is the table's whole primary key.
fn fk_index(t: &Table, c: &Column) -> Option<String> {
    c.references.as_ref()?;
    if t.single_pk().is_some_and(|p| p.name == c.name) {
        return None;
    }
    Some(format!("CREATE INDEX IF NOT EXISTS {} ON {} ({})", q(&object_name(&t.name, Some(&c.name), "idx")), q(&t.name), q(&c.name)))
}

/// `CREATE TABLE`; with `inline_fk(col)` false a reference is left out (added later).
fn create_table(d: Dialect, t: &Table, inline_fk: &dyn Fn(&Column) -> bool, name_override: Option<&str>) -> String {
    let mut parts: Vec<String> = t.columns.iter().map(|c| format!("  {}", column_def(d, t, c))).collect();
    if let Some(pk) = pk_constraint(t) {
        parts.push(format!("  {pk}"));
    }
    for c in &t.columns {
        if inline_fk(c)
            && let Some(fk) = fk_constraint(t, c)
        {
            parts.push(format!("  {fk}"));
        }
    }
    format!("CREATE TABLE {} (\n{}\n)", q(name_override.unwrap_or(&t.name)), parts.join(",\n"))
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// The statements that bring a PostgreSQL database from `old` to `new`.
pub fn render_pg(old: &Schema, new: &Schema, changes: &[Change]) -> Vec<String> {
    let d = Dialect::Postgres;
    let mut out = Vec::new();
    let dropped_tables: BTreeSet<&str> = changes.iter().filter_map(|c| if let Change::DropTable(t) = c { Some(t.as_str()) } else { None }).collect();
    let dropped_cols: BTreeSet<(&str, &str)> = changes.iter().filter_map(|c| if let Change::DropColumn { table, column } = c { Some((table.as_str(), column.as_str())) } else { None }).collect();

    // 1. References that go or change.
    for ch in changes {
        if let Change::DropForeignKey { table, column } = ch {
            out.push(format!("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}", q(table), q(&object_name(table, Some(column), "fkey"))));
            out.push(format!("DROP INDEX IF EXISTS {}", q(&object_name(table, Some(column), "idx"))));
        }
    }
    // 2. Dropped tables, referencing tables first.
    let mut order: Vec<&Table> = old.creation_order();
    order.reverse();
    for t in order {
        if dropped_tables.contains(t.name.as_str()) {
            out.push(format!("DROP TABLE {}", q(&t.name)));
        }
    }
    // 3. Dropped columns.
    for (t, c) in &dropped_cols {
        out.push(format!("ALTER TABLE {} DROP COLUMN {}", q(t), q(c)));
    }
    // 4. Enums.
    let mut drop_types: Vec<String> = Vec::new();
    for ch in changes {
        match ch {
            Change::CreateEnum(name) => {
                let values = enum_values(new, name).unwrap_or(&[]);
                let list = values.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ");
                out.push(format!("CREATE TYPE {} AS ENUM ({list})", q(name)));
            }
            Change::AddEnumValues(name) => {
                let ov = enum_values(old, name).unwrap_or(&[]);
                let nv = enum_values(new, name).unwrap_or(&[]);
                for (i, v) in nv.iter().enumerate() {
                    if ov.contains(v) {
                        continue;
                    }
                    // Keep the declared order: before the next old value, or at the end.
                    match nv[i + 1..].iter().find(|x| ov.contains(x)) {
                        Some(next) => out.push(format!("ALTER TYPE {} ADD VALUE {} BEFORE {}", q(name), lit(v), lit(next))),
                        None => out.push(format!("ALTER TYPE {} ADD VALUE {}", q(name), lit(v))),
                    }
                }
            }
            Change::RecreateEnum(name) => {
                let nv = enum_values(new, name).unwrap_or(&[]);
                let old_name = object_name(name, None, "palbase_old");
                out.push(format!("ALTER TYPE {} RENAME TO {}", q(name), q(&old_name)));
                let list = nv.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ");
                out.push(format!("CREATE TYPE {} AS ENUM ({list})", q(name)));
                for (t, c) in enum_users(new, name) {
                    let Some(oc) = old.table(&t).and_then(|ot| ot.column(&c)) else { continue };
                    if oc.ty.enum_name() != Some(name) {
                        continue;
                    }
                    let nc = col(new, &t, &c);
                    let mut s = format!("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT, ALTER COLUMN {} TYPE {} USING {}::text::{}", q(&t), q(&c), q(&c), q(name), q(&c), q(name));
                    if let Some(def) = default_sql(d, nc) {
                        s.push_str(&format!(", ALTER COLUMN {} SET DEFAULT {def}", q(&c)));
                    }
                    out.push(s);
                }
                drop_types.push(old_name);
            }
            _ => {}
        }
    }
    // 5. New tables, referenced tables first; a reference to a table created later (a cycle) is
    // added afterwards.
    let mut available: BTreeSet<&str> = old.tables.iter().map(|t| t.name.as_str()).filter(|n| !dropped_tables.contains(n)).collect();
    let mut deferred: Vec<(&Table, &Column)> = Vec::new();
    for t in new.creation_order() {
        if !changes.contains(&Change::CreateTable(t.name.clone())) {
            continue;
        }
        available.insert(&t.name);
        let avail = available.clone();
        out.push(create_table(d, t, &|c| c.references.as_ref().is_some_and(|r| avail.contains(r.table.as_str())), None));
        for c in &t.columns {
            if c.references.as_ref().is_some_and(|r| !avail.contains(r.table.as_str())) {
                deferred.push((t, c));
            } else if let Some(ix) = fk_index(t, c) {
                out.push(ix);
            }
        }
    }
    // 6. Column changes of existing tables.
    for ch in changes {
        match ch {
            Change::AddColumn { table, column } => {
                let t = new.table(table).expect("table");
                let c = col(new, table, column);
                out.push(format!("ALTER TABLE {} ADD COLUMN {}", q(table), column_def(d, t, c)));
            }
            Change::AlterType { table, column } => {
                let (oc, nc) = (col(old, table, column), col(new, table, column));
                let mut s = format!("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT, ALTER COLUMN {} TYPE {} USING {}", q(table), q(column), q(column), pg_type(nc), pg_cast(oc, nc));
                if let Some(def) = default_sql(d, nc) {
                    s.push_str(&format!(", ALTER COLUMN {} SET DEFAULT {def}", q(column)));
                }
                out.push(s);
            }
            Change::SetDefault { table, column } => {
                let nc = col(new, table, column);
                match default_sql(d, nc) {
                    Some(def) => out.push(format!("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {def}", q(table), q(column))),
                    None => out.push(format!("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT", q(table), q(column))),
                }
            }
            Change::DropNotNull { table, column } => {
                out.push(format!("ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL", q(table), q(column)));
            }
            Change::SetNotNull { table, column } => {
                let nc = col(new, table, column);
                if let Some(def) = default_sql(d, nc) {
                    out.push(format!("UPDATE {} SET {} = {def} WHERE {} IS NULL", q(table), q(column), q(column)));
                }
                out.push(format!("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL", q(table), q(column)));
            }
            Change::AlterPrimaryKey { table } => {
                let name = object_name(table, None, "pkey");
                if !old.table(table).is_some_and(|t| t.primary_key().is_empty()) {
                    out.push(format!("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}", q(table), q(&name)));
                }
                if let Some(pk) = new.table(table).and_then(pk_constraint) {
                    out.push(format!("ALTER TABLE {} ADD {pk}", q(table)));
                }
            }
            _ => {}
        }
    }
    // 7. New references.
    for ch in changes {
        if let Change::AddForeignKey { table, column } = ch {
            let t = new.table(table).expect("table");
            deferred.push((t, col(new, table, column)));
        }
    }
    for (t, c) in deferred {
        if let Some(fk) = fk_constraint(t, c) {
            out.push(format!("ALTER TABLE {} ADD {fk}", q(&t.name)));
        }
        out.extend(fk_index(t, c));
    }
    // 8. Types nobody uses any more.
    for ch in changes {
        if let Change::DropEnum(name) = ch {
            drop_types.push(name.clone());
        }
    }
    for ty in drop_types {
        out.push(format!("DROP TYPE IF EXISTS {}", q(&ty)));
    }
    out
}

/// The `USING` expression converting a column from `oc`'s type to `nc`'s.
fn pg_cast(oc: &Column, nc: &Column) -> String {
    let c = q(&oc.name);
    let target = pg_type(nc);
    match (&oc.ty, &nc.ty) {
        (ColType::Timestamp, ColType::Text) => format!("to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"),
        (_, ColType::Text) => format!("{c}::text"),
        (ColType::Text, ColType::Jsonb) => format!("{c}::jsonb"),
        (_, ColType::Jsonb) => format!("to_jsonb({c})"),
        (ColType::Integer, ColType::Boolean) => format!("{c} <> 0"),
        (ColType::Boolean, ColType::Integer) => format!("{c}::integer"),
        (ColType::Jsonb, _) => format!("({c} #>> '{{}}')::{target}"),
        _ => format!("{c}::text::{target}"),
    }
}

// ---------------------------------------------------------------------------------------------
// SQLite

/// The statements that bring a SQLite database from `old` to `new`. They run with foreign keys
/// off inside one transaction, followed by `PRAGMA foreign_key_check`.
///
/// SQLite cannot alter a column or a constraint in place, so a changed table is rebuilt: create
/// the new shape under a temporary name, copy the rows, drop the old table, rename (the procedure
/// of the SQLite manual, "Making Other Kinds Of Table Schema Changes").
pub fn render_sqlite(old: &Schema, new: &Schema, changes: &[Change]) -> Vec<String> {
    let d = Dialect::Sqlite;
    let mut out = Vec::new();
    for ch in changes {
        if let Change::DropTable(t) = ch {
            out.push(format!("DROP TABLE {}", q(t)));
        }
    }
    for t in new.creation_order() {
        if changes.contains(&Change::CreateTable(t.name.clone())) {
            out.push(create_table(d, t, &|_| true, None));
            for c in &t.columns {
                out.extend(fk_index(t, c));
            }
        }
    }
    // Enums whose values changed: every existing table using them gets a new CHECK.
    let changed_enums: BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AddEnumValues(n) | Change::RecreateEnum(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    for t in &new.tables {
        let Some(ot) = old.table(&t.name) else { continue };
        let mine: Vec<&Change> = changes.iter().filter(|c| change_table(c) == Some(t.name.as_str())).collect();
        let uses_changed_enum = t.columns.iter().any(|c| c.ty.enum_name().is_some_and(|n| changed_enums.contains(n)) && ot.column(&c.name).is_some());
        if mine.is_empty() && !uses_changed_enum {
            continue;
        }
        let simple = !uses_changed_enum
            && mine.iter().all(|ch| match ch {
                Change::AddColumn { column, .. } => {
                    let c = col(new, &t.name, column);
                    !c.primary_key && c.references.is_none() && !matches!(c.default, Some(ColDefault::Random) | Some(ColDefault::Now)) && (!c.not_null || c.default.is_some())
                }
                _ => false,
            });
        if simple {
            for ch in mine {
                if let Change::AddColumn { column, .. } = ch {
                    out.push(format!("ALTER TABLE {} ADD COLUMN {}", q(&t.name), column_def(d, t, col(new, &t.name, column))));
                }
            }
            continue;
        }
        rebuild_sqlite(&mut out, ot, t, &mine);
    }
    out
}

fn change_table(c: &Change) -> Option<&str> {
    match c {
        Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::AlterType { table, .. }
        | Change::SetNotNull { table, .. }
        | Change::DropNotNull { table, .. }
        | Change::SetDefault { table, .. }
        | Change::AlterPrimaryKey { table }
        | Change::DropForeignKey { table, .. }
        | Change::AddForeignKey { table, .. } => Some(table),
        _ => None,
    }
}

fn rebuild_sqlite(out: &mut Vec<String>, ot: &Table, t: &Table, mine: &[&Change]) {
    let d = Dialect::Sqlite;
    let tmp = object_name(&t.name, None, "palbase_new");
    out.push(create_table(d, t, &|_| true, Some(&tmp)));
    let mut cols = Vec::new();
    let mut exprs = Vec::new();
    for c in &t.columns {
        let Some(oc) = ot.column(&c.name) else { continue };
        let mut e = if oc.ty == c.ty || (oc.ty.enum_name().is_some() && c.ty.enum_name().is_some()) { q(&c.name) } else { sqlite_cast(oc, c) };
        let set_not_null = mine.iter().any(|ch| matches!(ch, Change::SetNotNull { column, .. } if *column == c.name));
        if set_not_null && let Some(def) = default_sql(d, c) {
            e = format!("COALESCE({e}, {def})");
        }
        cols.push(q(&c.name));
        exprs.push(e);
    }
    if !cols.is_empty() {
        out.push(format!("INSERT INTO {} ({}) SELECT {} FROM {}", q(&tmp), cols.join(", "), exprs.join(", "), q(&t.name)));
    }
    out.push(format!("DROP TABLE {}", q(&t.name)));
    out.push(format!("ALTER TABLE {} RENAME TO {}", q(&tmp), q(&t.name)));
    for c in &t.columns {
        out.extend(fk_index(t, c));
    }
}

fn sqlite_cast(oc: &Column, nc: &Column) -> String {
    let c = q(&oc.name);
    match (&oc.ty, &nc.ty) {
        (ColType::Boolean, ColType::Text) => format!("CASE {c} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"),
        (_, ColType::Text) => format!("CAST({c} AS TEXT)"),
        (ColType::Boolean, ColType::Integer) => c,
        (_, ColType::Integer) => format!("CAST({c} AS INTEGER)"),
        (ColType::Integer, ColType::Boolean) => format!("({c} <> 0)"),
        (_, ColType::Boolean) => format!("CASE WHEN lower({c}) IN ('true', 't', 'yes', 'y', 'on', '1') THEN 1 WHEN lower({c}) IN ('false', 'f', 'no', 'n', 'off', '0') THEN 0 END"),
        (_, ColType::Jsonb) => format!("CASE WHEN json_valid({c}) THEN {c} ELSE json_quote({c}) END"),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse;
    use serde_json::json;

    fn col(ty: &str) -> serde_json::Value {
        json!({"type": ty, "primaryKey": false, "notNull": true, "hasDefault": false, "defaultRandom": false, "defaultNow": false})
    }

    fn schema(cols: serde_json::Value) -> Schema {
        parse(&json!({"__pb": "schema", "tables": {"t": {"name": "t", "columns": cols}}})).unwrap()
    }

    #[test]
    fn safe_and_refused_changes() {
        let mut id = col("uuid");
        id["primaryKey"] = json!(true);
        let old = schema(json!({"id": id.clone(), "a": col("text"), "b": col("integer")}));
        let mut n = col("integer");
        n["notNull"] = json!(false);
        let new = schema(json!({"id": id, "a": col("integer"), "n": n}));
        let ch = diff(&old, &new);
        assert!(ch.contains(&Change::DropColumn { table: "t".into(), column: "b".into() }));
        assert!(ch.contains(&Change::AlterType { table: "t".into(), column: "a".into() }));
        assert!(ch.contains(&Change::AddColumn { table: "t".into(), column: "n".into() }));
        let refused = classify(&old, &new, &ch, &|_| 3);
        assert_eq!(refused.len(), 2);
        assert!(refused.iter().all(|r| r.message.contains("--accept-data-loss")));
        let pg = render_pg(&old, &new, &ch);
        assert!(pg.iter().any(|s| s == "ALTER TABLE \"t\" DROP COLUMN \"b\""), "{pg:#?}");
        assert!(pg.iter().any(|s| s.contains("TYPE integer USING \"a\"::text::integer")), "{pg:#?}");
        let lite = render_sqlite(&old, &new, &ch);
        assert!(lite.iter().any(|s| s.starts_with("INSERT INTO \"t_palbase_new\" (\"id\", \"a\") SELECT \"id\", CAST(\"a\" AS INTEGER)")), "{lite:#?}");
    }

    #[test]
    fn required_column_is_fine_on_an_empty_table() {
        let old = schema(json!({"a": col("text")}));
        let new = schema(json!({"a": col("text"), "b": col("text")}));
        let ch = diff(&old, &new);
        assert!(classify(&old, &new, &ch, &|_| 0).is_empty());
        let r = classify(&old, &new, &ch, &|_| 2);
        assert_eq!(r[0].kind, RefusedKind::AddRequiredColumn);
    }

    #[test]
    fn enum_values_added_in_place() {
        let e = |vals: serde_json::Value| {
            let mut c = col("enum");
            c["enum"] = json!({"name": "st", "values": vals});
            c
        };
        let old = schema(json!({"s": e(json!(["a", "c"]))}));
        let new = schema(json!({"s": e(json!(["a", "b", "c", "d"]))}));
        let ch = diff(&old, &new);
        assert_eq!(ch, vec![Change::AddEnumValues("st".into())]);
        assert_eq!(render_pg(&old, &new, &ch), vec!["ALTER TYPE \"st\" ADD VALUE 'b' BEFORE 'c'".to_owned(), "ALTER TYPE \"st\" ADD VALUE 'd'".to_owned()]);
        let removed = schema(json!({"s": e(json!(["a"]))}));
        let ch = diff(&old, &removed);
        assert_eq!(classify(&old, &removed, &ch, &|_| 0)[0].kind, RefusedKind::RemoveEnumValues);
    }

    #[test]
    fn long_names_stay_within_63_bytes() {
        let t = "t".repeat(60);
        let n = object_name(&t, Some("column_name"), "fkey");
        assert!(n.len() <= 63);
        assert_ne!(n, object_name(&t, Some("column_namf"), "fkey"));
    }
}
