// The database surface: the `Database` singleton (endpoints), the same
// `DatabaseApi` as `ctx.db` (workers/jobs/hooks/webhooks), and the typed
// facade `typedDatabase(schema)`.
//
// Every call is one host op (see host.ts); inside a transaction the op carries
// the transaction id the host handed out in "db.begin":
//   db.insert   {table, data, tx?}        -> row
//   db.update   {table, id, data, tx?}    -> row
//   db.delete   {table, id, tx?}          -> null
//   db.findById {table, id, tx?}          -> row | null
//   db.findMany {table, where?, tx?}      -> row[]
//   db.query    {sql, params?, tx?}       -> row[]   (read-only)
//   db.begin    {}                        -> {tx}
//   db.commit   {tx} / db.rollback {tx}

import { op } from "./host.js";
import type { ColumnMeta, ColumnsOf, Schema, Table } from "./schema.js";

/** A row as the untyped API returns it (column name → JSON value). */
export type Row = Record<string, unknown>;

/** A primary-key value. */
export type RowId = string | number;

/** The row operations, available on `Database`, `ctx.db` and a transaction's `tx`. */
export interface DatabaseOperations {
  /** Inserts `data` and returns the inserted row. */
  insert(table: string, data: Record<string, unknown>): Promise<Row>;
  /** Updates the row with primary key `id` and returns the updated row. */
  update(table: string, id: RowId, data: Record<string, unknown>): Promise<Row>;
  delete(table: string, id: RowId): Promise<void>;
  /** The row with primary key `id`, or `null`. */
  findById(table: string, id: RowId): Promise<Row | null>;
  /** Rows matching an equality filter (keys are ANDed); all rows without one. */
  findMany(table: string, query?: Record<string, unknown>): Promise<Row[]>;
  /** A read-only SQL query (`$1`, `$2`, … placeholders); runs in a READ ONLY transaction. */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** The `tx` of `Database.transaction(fn)`: the same operations, no nested transaction. */
export type Transaction = DatabaseOperations;

/** `Database` / `ctx.db`. */
export interface DatabaseApi extends DatabaseOperations {
  /** Runs `fn(tx)` in a transaction: returning commits, throwing rolls back (and rethrows). */
  transaction<R>(fn: (tx: Transaction) => Promise<R> | R): Promise<R>;
}

function operations(tx?: string): DatabaseOperations {
  // `tx: undefined` is dropped by JSON.stringify, so outside a transaction the
  // args are exactly `{table, ...}`.
  return {
    insert: (table, data) => op("db.insert", { table, data, tx }),
    update: (table, id, data) => op("db.update", { table, id, data, tx }),
    delete: async (table, id) => {
      await op("db.delete", { table, id, tx });
    },
    findById: (table, id) => op("db.findById", { table, id, tx }),
    findMany: (table, query) => op("db.findMany", { table, where: query, tx }),
    query: (sql, params) => op("db.query", { sql, params, tx }),
  };
}

async function runTransaction<R>(fn: (tx: Transaction) => Promise<R> | R): Promise<R> {
  const { tx } = await op("db.begin", {});
  let result: R;
  try {
    result = await fn(operations(tx));
  } catch (err) {
    try {
      await op("db.rollback", { tx });
    } catch {
      // The handler's error is the one worth reporting; a failed rollback
      // ends the transaction on the host side anyway.
    }
    throw err;
  }
  await op("db.commit", { tx });
  return result;
}

/** A `DatabaseApi` on the host ops: `ctx.db` for workers, jobs, hooks and webhooks. */
export function createDatabaseApi(): DatabaseApi {
  return { ...operations(), transaction: runTransaction };
}

// Set by the runtime in engines that run workers, jobs, hooks and webhooks, where the docs
// say to use `ctx.db` ("Do not mix them").
let singletonForbidden = false;

/** @internal Called by the Palbase runtime; not part of the public API. */
export function __pb_forbidDatabaseSingleton(): void {
  singletonForbidden = true;
}

function guarded<K extends keyof DatabaseApi>(name: K, api: DatabaseApi): DatabaseApi[K] {
  const f = api[name] as (a?: unknown, b?: unknown, c?: unknown) => unknown;
  // Fixed arity (every operation takes at most three arguments): a rest/spread pair costs an
  // array and an `apply` per call in QuickJS.
  return ((a?: unknown, b?: unknown, c?: unknown) => {
    if (singletonForbidden) {
      throw new Error(
        `Database.${String(name)}() is the endpoint singleton: workers, jobs, hooks and webhooks use ctx.db instead ` +
          `(e.g. \`await ctx.db.${String(name)}(...)\`).`,
      );
    }
    return f(a, b, c);
  }) as DatabaseApi[K];
}

/** The database singleton for endpoints: `import { Database } from "@palbase/backend"`. */
export const Database: DatabaseApi = (() => {
  const api = createDatabaseApi();
  return {
    insert: guarded("insert", api),
    update: guarded("update", api),
    delete: guarded("delete", api),
    findById: guarded("findById", api),
    findMany: guarded("findMany", api),
    query: guarded("query", api),
    transaction: guarded("transaction", api),
  };
})();

// ---------------------------------------------------------------------------
// Typed facade

/** The value type of a column: `T`, or `T | null` when nullable. */
export type ColumnValue<M extends ColumnMeta> = M["notNull"] extends true ? M["data"] : M["data"] | null;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A row of table `T` as returned by the typed API. */
export type RowOf<T extends Table> = Simplify<{ -readonly [K in keyof ColumnsOf<T>]: ColumnValue<ColumnsOf<T>[K]> }>;

// NOT NULL columns without any default (`default`/`defaultRandom`/`defaultNow`).
type RequiredInsertKeys<C extends Record<string, ColumnMeta>> = {
  [K in keyof C]: C[K]["notNull"] extends true ? (C[K]["hasDefault"] extends true ? never : K) : never;
}[keyof C];

/**
 * What `insert` accepts for table `T`: every NOT NULL column without a default
 * is required; nullable and defaulted columns are optional; unknown keys are
 * rejected (excess property check on object literals).
 */
export type InsertOf<T extends Table> = Simplify<
  { [K in RequiredInsertKeys<ColumnsOf<T>>]: ColumnValue<ColumnsOf<T>[K]> } & {
    [K in Exclude<keyof ColumnsOf<T>, RequiredInsertKeys<ColumnsOf<T>>>]?: ColumnValue<ColumnsOf<T>[K]>;
  }
>;

/** What `update` accepts: any subset of the columns. */
export type UpdateOf<T extends Table> = Simplify<{ [K in keyof ColumnsOf<T>]?: ColumnValue<ColumnsOf<T>[K]> }>;

/** An equality filter for `findMany`: any subset of the columns. */
export type FilterOf<T extends Table> = UpdateOf<T>;

type PrimaryKeyValue<C extends Record<string, ColumnMeta>> = {
  [K in keyof C]: C[K]["primaryKey"] extends true ? C[K]["data"] : never;
}[keyof C];

/** The primary-key type of table `T` (`string | number` when it declares none). */
export type IdOf<T extends Table> = [PrimaryKeyValue<ColumnsOf<T>>] extends [never] ? RowId : PrimaryKeyValue<ColumnsOf<T>>;

/** `Db.tables.<name>`. */
export interface TypedTable<T extends Table> {
  insert(data: InsertOf<T>): Promise<RowOf<T>>;
  update(id: IdOf<T>, data: UpdateOf<T>): Promise<RowOf<T>>;
  delete(id: IdOf<T>): Promise<void>;
  findById(id: IdOf<T>): Promise<RowOf<T> | null>;
  findMany(query?: FilterOf<T>): Promise<RowOf<T>[]>;
}

/** The typed tables of schema `S`, keyed like `defineSchema`'s argument. */
export type TypedTables<S extends Schema> = { readonly [K in keyof S["tables"]]: TypedTable<S["tables"][K]> };

/** The `tx` of `Db.transaction(fn)`. */
export interface TypedTransaction<S extends Schema> {
  readonly tables: TypedTables<S>;
}

/** What `typedDatabase(schema)` returns. */
export interface TypedDatabase<S extends Schema> {
  readonly tables: TypedTables<S>;
  /** Like `Database.transaction`, with typed tables on `tx`. */
  transaction<R>(fn: (tx: TypedTransaction<S>) => Promise<R> | R): Promise<R>;
}

function typedTables<S extends Schema>(schema: S, ops: DatabaseOperations): TypedTables<S> {
  const tables: Record<string, TypedTable<Table>> = {};
  for (const [key, t] of Object.entries(schema.tables)) {
    const name = t.name;
    // The typed API is the untyped ops on the table's SQL name; the row types
    // are a view of the schema, trusted because the schema drives migrations.
    tables[key] = {
      insert: (data) => ops.insert(name, data),
      update: (id, data) => ops.update(name, id, data),
      delete: (id) => ops.delete(name, id),
      findById: (id) => ops.findById(name, id),
      findMany: (query) => ops.findMany(name, query),
    };
  }
  return tables as unknown as TypedTables<S>;
}

/**
 * A typed facade over the database for a schema:
 * `const Db = typedDatabase(schema); await Db.tables.rooms.insert({ name })`.
 */
export function typedDatabase<S extends Schema>(schema: S): TypedDatabase<S> {
  return {
    tables: typedTables(schema, operations()),
    transaction: (fn) => runTransaction((tx) => fn({ tables: typedTables(schema, tx) })),
  };
}
