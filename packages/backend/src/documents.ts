// Documents: a Firestore-like document store; every call returns `{ data, error }`.

import { result } from "./result.js";
import type { PalbaseResult } from "./types.js";

/** A document's fields. */
export type DocumentData = Record<string, unknown>;

/** A document as read back. */
export interface DocumentSnapshot<T extends DocumentData = DocumentData> {
  id: string;
  /** `collection/id`. */
  path: string;
  data: T;
}

/** Where a written document lives. */
export interface DocumentRef {
  id: string;
  path: string;
}

export type WhereOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not-in" | "array-contains" | "array-contains-any";

export type OrderDirection = "asc" | "desc";

/** An immutable query: each step returns a new query. */
export interface DocumentQuery<T extends DocumentData = DocumentData> {
  where(field: string, op: WhereOp, value: unknown): DocumentQuery<T>;
  orderBy(field: string, direction?: OrderDirection): DocumentQuery<T>;
  limit(n: number): DocumentQuery<T>;
  get(): Promise<PalbaseResult<DocumentSnapshot<T>[]>>;
}

export interface CollectionRef<T extends DocumentData = DocumentData> extends DocumentQuery<T> {
  /** Adds a document with a generated id. */
  add(data: T): Promise<PalbaseResult<DocumentRef>>;
  /** The document `id` of this collection. */
  doc(id: string): DocumentHandle<T>;
}

export interface SetOptions {
  /** Merge into an existing document instead of replacing it. */
  merge?: boolean;
}

export interface DocumentHandle<T extends DocumentData = DocumentData> {
  /** The document, or `data: null` when it does not exist. */
  get(): Promise<PalbaseResult<DocumentSnapshot<T> | null>>;
  set(data: T, options?: SetOptions): Promise<PalbaseResult<DocumentRef>>;
  update(data: Partial<T>): Promise<PalbaseResult<DocumentRef>>;
  delete(): Promise<PalbaseResult<null>>;
}

export interface DocumentsApi {
  collection<T extends DocumentData = DocumentData>(name: string): CollectionRef<T>;
  /** A document by path, `collection/id`. */
  doc<T extends DocumentData = DocumentData>(path: string): DocumentHandle<T>;
}

interface QueryState {
  where: { field: string; op: WhereOp; value: unknown }[];
  orderBy: { field: string; direction: OrderDirection }[];
  limit?: number;
}

function documentQuery<T extends DocumentData>(collection: string, state: QueryState): DocumentQuery<T> {
  return {
    where: (field, op, value) => documentQuery(collection, { ...state, where: [...state.where, { field, op, value }] }),
    orderBy: (field, direction = "asc") =>
      documentQuery(collection, { ...state, orderBy: [...state.orderBy, { field, direction }] }),
    limit: (n) => documentQuery(collection, { ...state, limit: n }),
    get: () => result("docs.query", { collection, ...state }),
  };
}

function documentHandle<T extends DocumentData>(path: string): DocumentHandle<T> {
  return {
    get: () => result("docs.get", { path }),
    set: (data, options) => result("docs.set", { path, data, merge: options?.merge ?? false }),
    update: (data) => result("docs.update", { path, data }),
    delete: () => result("docs.delete", { path }),
  };
}

export const Documents: DocumentsApi = {
  collection<T extends DocumentData>(name: string): CollectionRef<T> {
    return {
      ...documentQuery<T>(name, { where: [], orderBy: [] }),
      add: (data) => result("docs.add", { collection: name, data }),
      doc: (id) => documentHandle<T>(`${name}/${id}`),
    };
  },
  doc: <T extends DocumentData>(path: string) => documentHandle<T>(path),
};

