// Documents: a Firestore-like document store; every call returns `{ data, error }`.
// The ops are `docs.*` (crates/palbase-docs/src/ops.rs); docs/runtime.md has the semantics.

import { result } from "./result.js";
import type { PalbaseResult } from "./types.js";

/** A document's fields. */
export type DocumentData = Record<string, unknown>;

/** A document as read back. */
export interface DocumentSnapshot<T extends object = DocumentData> {
  id: string;
  /** `collection/id` (`rooms/abc`, `rooms/abc/messages/m1`). */
  path: string;
  data: T;
  /** ISO 8601 time of the document's creation. */
  createTime: string;
  /** ISO 8601 time of its last write. */
  updateTime: string;
}

/** Where a written document lives. */
export interface DocumentRef {
  id: string;
  path: string;
}

export type WhereOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "array-contains" | "array-contains-any";

export type OrderDirection = "asc" | "desc";

/** A cursor: the values of the orderBy fields, or a snapshot (its orderBy values, then its id). */
export type CursorArg = DocumentSnapshot<DocumentData> | unknown;

/** An immutable query: each step returns a new query. */
export interface DocumentQuery<T extends object = DocumentData> {
  where(field: string, op: WhereOp, value: unknown): DocumentQuery<T>;
  orderBy(field: string, direction?: OrderDirection): DocumentQuery<T>;
  limit(n: number): DocumentQuery<T>;
  startAt(...values: CursorArg[]): DocumentQuery<T>;
  startAfter(...values: CursorArg[]): DocumentQuery<T>;
  endAt(...values: CursorArg[]): DocumentQuery<T>;
  endBefore(...values: CursorArg[]): DocumentQuery<T>;
  get(): Promise<PalbaseResult<DocumentSnapshot<T>[]>>;
  /** How many documents the query selects (at most its limit). */
  count(): Promise<PalbaseResult<{ count: number }>>;
}

export interface CollectionRef<T extends object = DocumentData> extends DocumentQuery<T> {
  /** The collection's path. */
  readonly path: string;
  /** Adds a document with a generated id (20 characters). */
  add(data: T): Promise<PalbaseResult<DocumentRef>>;
  /** The document `id` of this collection. */
  doc(id: string): DocumentHandle<T>;
}

export interface SetOptions {
  /** Merge into an existing document (maps key by key, at every depth) instead of replacing it. */
  merge?: boolean;
}

export interface DocumentHandle<T extends object = DocumentData> {
  readonly id: string;
  readonly path: string;
  /** The document, or `data: null` when it does not exist. */
  get(): Promise<PalbaseResult<DocumentSnapshot<T> | null>>;
  set(data: T, options?: SetOptions): Promise<PalbaseResult<DocumentRef>>;
  /** Changes fields (dotted paths such as `"address.city"` reach into maps); `not_found` when the document does not exist. */
  update(data: Partial<T> | Record<string, unknown>): Promise<PalbaseResult<DocumentRef>>;
  delete(): Promise<PalbaseResult<null>>;
  /** A subcollection of this document. */
  collection<U extends object = DocumentData>(name: string): CollectionRef<U>;
}

/** Writes committed together, or not at all. */
export interface WriteBatch {
  set<T extends object>(doc: DocumentHandle<T>, data: T, options?: SetOptions): WriteBatch;
  update<T extends object>(doc: DocumentHandle<T>, data: Partial<T> | Record<string, unknown>): WriteBatch;
  delete(doc: DocumentHandle<object>): WriteBatch;
  commit(): Promise<PalbaseResult<null>>;
}

export interface DocumentsApi {
  /** A collection by path: `rooms`, or a subcollection `rooms/abc/messages`. */
  collection<T extends object = DocumentData>(path: string): CollectionRef<T>;
  /** A document by path, `collection/id`. */
  doc<T extends object = DocumentData>(path: string): DocumentHandle<T>;
  /** A batch of writes (at most 500), all-or-nothing. */
  batch(): WriteBatch;
}

type Cursor = { values: unknown[] } | { snapshot: { id: string; data: DocumentData } };

interface QueryState {
  where: { field: string; op: WhereOp; value: unknown }[];
  orderBy: { field: string; direction: OrderDirection }[];
  limit?: number;
  startAt?: Cursor;
  startAfter?: Cursor;
  endAt?: Cursor;
  endBefore?: Cursor;
}

function isSnapshot(v: unknown): v is DocumentSnapshot {
  return typeof v === "object" && v !== null && typeof (v as DocumentSnapshot).id === "string" && typeof (v as DocumentSnapshot).path === "string" && typeof (v as DocumentSnapshot).createTime === "string" && typeof (v as DocumentSnapshot).data === "object";
}

function cursor(values: unknown[]): Cursor {
  if (values.length === 1 && isSnapshot(values[0])) return { snapshot: { id: values[0].id, data: values[0].data } };
  return { values };
}

function documentQuery<T extends object>(collection: string, state: QueryState): DocumentQuery<T> {
  const next = (s: Partial<QueryState>) => documentQuery<T>(collection, { ...state, ...s });
  return {
    where: (field, op, value) => next({ where: [...state.where, { field, op, value }] }),
    orderBy: (field, direction = "asc") => next({ orderBy: [...state.orderBy, { field, direction }] }),
    limit: (n) => next({ limit: n }),
    startAt: (...v) => next({ startAt: cursor(v), startAfter: undefined }),
    startAfter: (...v) => next({ startAfter: cursor(v), startAt: undefined }),
    endAt: (...v) => next({ endAt: cursor(v), endBefore: undefined }),
    endBefore: (...v) => next({ endBefore: cursor(v), endAt: undefined }),
    get: () => result("docs.query", { collection, ...state }),
    count: () => result("docs.count", { collection, ...state }),
  };
}

function collectionRef<T extends object>(path: string): CollectionRef<T> {
  return {
    ...documentQuery<T>(path, { where: [], orderBy: [] }),
    path,
    add: (data) => result("docs.add", { collection: path, data }),
    doc: (id) => documentHandle<T>(`${path}/${id}`),
  };
}

function documentHandle<T extends object>(path: string): DocumentHandle<T> {
  return {
    id: path.slice(path.lastIndexOf("/") + 1),
    path,
    get: () => result("docs.get", { path }),
    set: (data, options) => result("docs.set", { path, data, merge: options?.merge ?? false }),
    update: (data) => result("docs.update", { path, data }),
    delete: () => result("docs.delete", { path }),
    collection: <U extends object>(name: string) => collectionRef<U>(`${path}/${name}`),
  };
}

type BatchWrite =
  | { op: "set"; path: string; data: DocumentData; merge: boolean }
  | { op: "update"; path: string; data: DocumentData }
  | { op: "delete"; path: string };

function writeBatch(): WriteBatch {
  const writes: BatchWrite[] = [];
  const batch: WriteBatch = {
    set: (doc, data, options) => (writes.push({ op: "set", path: doc.path, data: data as DocumentData, merge: options?.merge ?? false }), batch),
    update: (doc, data) => (writes.push({ op: "update", path: doc.path, data: data as DocumentData }), batch),
    delete: (doc) => (writes.push({ op: "delete", path: doc.path }), batch),
    commit: () => result("docs.batch", { writes }),
  };
  return batch;
}

export const Documents: DocumentsApi = {
  collection: <T extends object>(path: string) => collectionRef<T>(path),
  doc: <T extends object>(path: string) => documentHandle<T>(path),
  batch: writeBatch,
};
