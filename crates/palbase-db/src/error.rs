//! Errors: [`DbError`] for start-up and migrations (shown to the developer), and the
//! [`ApiError`]s the ops return (shown to handlers, which see them as `HttpError` with `.code`).

use palbase_core::ApiError;
use serde_json::json;

/// An error of [`crate::Db::open`] or [`crate::Db::migrate`]. The message is meant for the developer
/// running `palbase` (it may name tables, columns and the statement that failed).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Open(String),
    #[error("invalid schema: {0}")]
    InvalidSchema(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Database(String),
}

pub(crate) fn unknown_table(table: &str) -> ApiError {
    ApiError::bad_request("unknown_table", format!("No table `{table}` in the database schema (db/schema.ts)")).with_data(json!({"table": table}))
}

pub(crate) fn unknown_column(table: &str, column: &str) -> ApiError {
    ApiError::bad_request("unknown_column", format!("Table `{table}` has no column `{column}`")).with_data(json!({"table": table, "column": column}))
}

pub(crate) fn invalid_value(table: &str, column: &str, expected: &str) -> ApiError {
    ApiError::bad_request("invalid_value", format!("Invalid value for column `{column}` of table `{table}`: expected {expected}")).with_data(json!({"table": table, "column": column, "expected": expected}))
}

pub(crate) fn not_null(table: &str, column: &str) -> ApiError {
    ApiError::bad_request("not_null_violation", format!("Column `{column}` of table `{table}` cannot be null")).with_data(json!({"table": table, "column": column}))
}

pub(crate) fn invalid_enum(table: &str, column: &str, values: &[String]) -> ApiError {
    ApiError::bad_request("invalid_enum_value", format!("Invalid value for column `{column}` of table `{table}`: expected one of {}", values.join(", "))).with_data(json!({"table": table, "column": column, "allowed": values}))
}

pub(crate) fn unique(table: &str, columns: &[String]) -> ApiError {
    let cols = columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    ApiError::new(409, "unique_violation", format!("A row of table `{table}` with the same {cols} already exists")).with_data(json!({"table": table, "columns": columns}))
}

/// A write to `table.column` names a row of `parent` that does not exist.
pub(crate) fn fk_missing_parent(table: &str, column: &str, parent: &str) -> ApiError {
    ApiError::new(409, "foreign_key_violation", format!("Column `{column}` of table `{table}` refers to a row of `{parent}` that does not exist")).with_data(json!({"table": table, "column": column, "references": parent}))
}

/// A row of `parent` cannot go: `child.column` still refers to it.
pub(crate) fn fk_still_referenced(parent: &str, child: &str, column: &str) -> ApiError {
    ApiError::new(409, "foreign_key_violation", format!("The row of table `{parent}` is still referenced by column `{column}` of table `{child}`")).with_data(json!({"table": parent, "referencedBy": {"table": child, "column": column}}))
}

pub(crate) fn fk_generic(table: &str) -> ApiError {
    ApiError::new(409, "foreign_key_violation", format!("A foreign key constraint of table `{table}` was violated")).with_data(json!({"table": table}))
}

pub(crate) fn row_not_found(table: &str, id: &serde_json::Value) -> ApiError {
    ApiError::not_found("row_not_found", format!("No row with id {id} in table `{table}`")).with_data(json!({"table": table, "id": id}))
}

pub(crate) fn read_only(reason: &str) -> ApiError {
    ApiError::bad_request("read_only_query", format!("Database.query runs one read-only statement: {reason}. Write with insert/update/delete or a transaction"))
}

pub(crate) fn transaction_closed(tx: &str) -> ApiError {
    ApiError::new(409, "transaction_closed", format!("Transaction {tx} is not open: it was committed, rolled back, timed out, or its request ended"))
}

pub(crate) fn bad_args(op: &str, what: &str) -> ApiError {
    ApiError::bad_request("invalid_arguments", format!("{op}: {what}"))
}

/// Any other database failure: the detail goes to the log, never to the client.
pub(crate) fn database_error(context: &str, detail: &dyn std::fmt::Display) -> ApiError {
    tracing::error!(target: "palbase::db", context, error = %detail, "database error");
    ApiError::new(500, "database_error", "A database error occurred")
}

pub(crate) fn query_timeout() -> ApiError {
    ApiError::new(504, "query_timeout", "The query ran longer than its time limit and was stopped")
}
