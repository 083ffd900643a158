// `db/schema.ts` support: `defineSchema`, `table` and the column builders.
//
// Two layers, kept apart on purpose:
// - Runtime: every builder holds a plain, JSON-serialisable `ColumnDef`; `table`
//   and `defineSchema` produce plain objects only, which is what the Rust side
//   reads to derive migrations and typed access.
// - Types: each builder carries a phantom `ColumnMeta` (in the style of
//   drizzle-orm's column builders). Every modifier returns a builder with a
//   narrower meta, which `typedDatabase` turns into insert/row types.
//
// Builders are immutable: each modifier returns a new builder, so a builder
// shared between two columns can never be changed through one of them.

/** The SQL column kinds the schema knows. */
export type ColumnType = "uuid" | "text" | "integer" | "boolean" | "timestamp" | "jsonb" | "enum";

/** Referential action for `.onDelete(...)`. */
export type OnDeleteAction = "cascade" | "set null" | "restrict" | "no action";

/** A JSON value (what `.default(value)` may hold: it crosses to the Rust side as JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The serialisable description of one column. */
export interface ColumnDef {
  type: ColumnType;
  primaryKey: boolean;
  notNull: boolean;
  /** True when the database supplies a value on insert (`default`, `defaultRandom`, `defaultNow`). */
  hasDefault: boolean;
  /** The literal default, present only after `.default(value)`. */
  default?: unknown;
  defaultRandom: boolean;
  defaultNow: boolean;
  references?: { table: string; column: string };
  onDelete?: OnDeleteAction;
  enum?: { name: string; values: string[] };
}

/** Type-level state of a column builder. Never exists at runtime. */
export interface ColumnMeta {
  /** The column kind (used to restrict `.defaultRandom()` / `.defaultNow()`). */
  type: ColumnType;
  /** The TypeScript type of a non-null value of the column. */
  data: unknown;
  notNull: boolean;
  hasDefault: boolean;
  primaryKey: boolean;
}

/** `M` with the fields of `P` replaced. */
export type WithMeta<M extends ColumnMeta, P extends Partial<ColumnMeta>> = {
  [K in keyof ColumnMeta]: K extends keyof P ? P[K] : M[K];
};

// Phantom keys: declared, never created. They make the meta part of the
// builder's/table's structural type so it can be read back with `infer`.
declare const columnMeta: unique symbol;
declare const tableColumns: unique symbol;

/**
 * A column under construction. Modifiers are chainable and each returns a new
 * builder; columns are NOT NULL unless `.nullable()` is called.
 */
export class ColumnBuilder<M extends ColumnMeta> {
  /** Phantom: the column's type-level state. */
  declare readonly [columnMeta]: M;
  /** The serialisable definition this builder has accumulated so far. */
  readonly def: Readonly<ColumnDef>;

  constructor(def: ColumnDef) {
    this.def = Object.freeze(def);
  }

  /** Marks the primary key (which implies NOT NULL). */
  primaryKey(): ColumnBuilder<WithMeta<M, { primaryKey: true; notNull: true }>> {
    return derive(this, { primaryKey: true, notNull: true });
  }

  /** NOT NULL. This is already the default; it is accepted for readability. */
  notNull(): ColumnBuilder<WithMeta<M, { notNull: true }>> {
    return derive(this, { notNull: true });
  }

  /** Allows NULL: the column's value type becomes `T | null` and insert may omit it. */
  nullable(): ColumnBuilder<WithMeta<M, { notNull: false }>> {
    return derive(this, { notNull: false });
  }

  /** A literal default value; the column becomes optional on insert. */
  default(value: M["data"] | (M["notNull"] extends true ? never : null)): ColumnBuilder<WithMeta<M, { hasDefault: true }>> {
    return derive(this, { hasDefault: true, default: value });
  }

  /** uuid columns only: default `gen_random_uuid()`. */
  defaultRandom(
    ...onlyFor: M["type"] extends "uuid" ? [] : [error: "defaultRandom() applies to uuid() columns only"]
  ): ColumnBuilder<WithMeta<M, { hasDefault: true }>> {
    if (this.def.type !== "uuid" || onlyFor.length > 0) {
      throw new TypeError(`defaultRandom() applies to uuid() columns only (got ${this.def.type})`);
    }
    return derive(this, { hasDefault: true, defaultRandom: true });
  }

  /** timestamp columns only: default `now()`. */
  defaultNow(
    ...onlyFor: M["type"] extends "timestamp" ? [] : [error: "defaultNow() applies to timestamp() columns only"]
  ): ColumnBuilder<WithMeta<M, { hasDefault: true }>> {
    if (this.def.type !== "timestamp" || onlyFor.length > 0) {
      throw new TypeError(`defaultNow() applies to timestamp() columns only (got ${this.def.type})`);
    }
    return derive(this, { hasDefault: true, defaultNow: true });
  }

  /** Foreign key to `table(column)`; `table` is the SQL table name. */
  references(table: string, column: string): ColumnBuilder<M> {
    return derive(this, { references: { table, column } });
  }

  /** Referential action of the foreign key; call after `.references(...)`. */
  onDelete(action: OnDeleteAction): ColumnBuilder<M> {
    if (!this.def.references) {
      throw new TypeError("onDelete() needs a foreign key: call .references(table, column) first");
    }
    return derive(this, { onDelete: action });
  }
}

// A new builder from `b` with `patch` applied (builders are immutable).
function derive<N extends ColumnMeta>(b: { readonly def: Readonly<ColumnDef> }, patch: Partial<ColumnDef>): ColumnBuilder<N> {
  return new ColumnBuilder<N>({ ...b.def, ...patch });
}

/** Any column builder. */
export type AnyColumnBuilder = ColumnBuilder<ColumnMeta>;

/** A fresh column: NOT NULL, no default, not a primary key. */
type Fresh<T extends ColumnType, D> = { type: T; data: D; notNull: true; hasDefault: false; primaryKey: false };

function column<T extends ColumnType, D>(type: T, extra?: Partial<ColumnDef>): ColumnBuilder<Fresh<T, D>> {
  return new ColumnBuilder<Fresh<T, D>>({
    type,
    primaryKey: false,
    notNull: true,
    hasDefault: false,
    defaultRandom: false,
    defaultNow: false,
    ...extra,
  });
}

/** `uuid` column; values are strings. */
export function uuid(): ColumnBuilder<Fresh<"uuid", string>> {
  return column("uuid");
}

/** `text` column. */
export function text(): ColumnBuilder<Fresh<"text", string>> {
  return column("text");
}

/** `integer` column. */
export function integer(): ColumnBuilder<Fresh<"integer", number>> {
  return column("integer");
}

/** `boolean` column. */
export function boolean(): ColumnBuilder<Fresh<"boolean", boolean>> {
  return column("boolean");
}

/**
 * `timestamptz` column. Values are ISO-8601 strings, not `Date`s: rows cross
 * the runtime boundary as JSON, where a timestamp is a string.
 */
export function timestamp(): ColumnBuilder<Fresh<"timestamp", string>> {
  return column("timestamp");
}

/** `jsonb` column; values are untyped JSON (`unknown`). */
export function jsonb(): ColumnBuilder<Fresh<"jsonb", unknown>> {
  return column("jsonb");
}

/**
 * A Postgres enum named `name`; values are the union of `values`.
 * (`const`: without it, a call nested in `table(...)` is contextually typed by
 * the generic column constraint and the literals widen to `string`.)
 */
export function enumType<const V extends string>(name: string, values: readonly V[]): ColumnBuilder<Fresh<"enum", V>> {
  if (values.length === 0) throw new TypeError(`enumType("${name}"): needs at least one value`);
  return column("enum", { enum: { name, values: [...values] } });
}

/** A table: its SQL name and its columns' definitions (plain data). */
export interface Table<N extends string = string, C extends Record<string, ColumnMeta> = Record<string, ColumnMeta>> {
  readonly name: N;
  readonly columns: { readonly [K in keyof C]: ColumnDef };
  /** Phantom: the columns' type-level state. */
  readonly [tableColumns]?: C;
}

/** The column metas of a table. */
export type ColumnsOf<T> = T extends Table<string, infer C> ? C : never;

/** The meta of a column builder. */
export type MetaOf<B> = B extends ColumnBuilder<infer M> ? M : never;

/** Defines table `name` (the SQL name) with `columns`. */
export function table<N extends string, C extends Record<string, AnyColumnBuilder>>(
  name: N,
  columns: C,
): Table<N, { [K in keyof C]: MetaOf<C[K]> }> {
  const defs: Record<string, ColumnDef> = {};
  for (const [key, builder] of Object.entries(columns)) {
    if (!(builder instanceof ColumnBuilder)) {
      throw new TypeError(`table("${name}"): column "${key}" is not a column builder`);
    }
    // Copy, so the schema holds plain data and not the (frozen) builder state.
    defs[key] = copyDef(builder.def);
  }
  return { name, columns: defs as Table<N, { [K in keyof C]: MetaOf<C[K]> }>["columns"] };
}

function copyDef(def: Readonly<ColumnDef>): ColumnDef {
  const out: ColumnDef = { ...def };
  if (def.references) out.references = { ...def.references };
  if (def.enum) out.enum = { name: def.enum.name, values: [...def.enum.values] };
  return out;
}

/** `db/schema.ts`'s default export. Keys are how `typedDatabase` names the tables. */
export interface Schema<T extends Record<string, Table> = Record<string, Table>> {
  readonly __pb: "schema";
  readonly tables: T;
}

/** Declares the project's tables: `export default defineSchema({ rooms: table("rooms", {...}) })`. */
export function defineSchema<T extends Record<string, Table>>(tables: T): Schema<T> {
  return { __pb: "schema", tables };
}
