// The op contract: every host op the SDK calls, with its arguments and result, declared once.
// The Rust side declares the same names with serde types in each service crate (`ops.rs`);
// crates/palbase-app/tests/op_contract.rs fails when this list and the registered ops differ,
// or when the SDK calls an op that is neither here nor in PLANNED_OPS.

import type { NotificationSendResult, PalbaseEmailSendParams, PalbasePushSendParams, PalbaseSmsSendParams } from "./notifications.js";

type Row = Record<string, unknown>;
type Tx = { tx?: string };
type Id = string | number;
type FlagArgs = { flag: string; context: Record<string, string | number | boolean | null | undefined> };
/** An object as the storage ops describe it. */
type StorageItem = { name: string; size: number; contentType: string; etag: string; updatedAt: string };

export interface OpTypes {
  "flags.isEnabled": { args: FlagArgs; result: boolean };
  "flags.getVariant": { args: FlagArgs; result: string | null };
  "flags.evaluate": { args: FlagArgs; result: { flag: string; enabled: boolean; variant: string | null; reason: string; rule?: number; bucket?: number } };
  "log": { args: { level: string; message: string; data?: unknown; requestId?: string }; result: null };

  "db.insert": { args: { table: string; data: unknown } & Tx; result: Row };
  "db.update": { args: { table: string; id: Id; data: unknown } & Tx; result: Row };
  "db.delete": { args: { table: string; id: Id } & Tx; result: null };
  "db.findById": { args: { table: string; id: Id } & Tx; result: Row | null };
  "db.findMany": { args: { table: string; where?: unknown } & Tx; result: Row[] };
  "db.query": { args: { sql: string; params?: unknown[] } & Tx; result: Row[] };
  "db.begin": { args: Record<string, never>; result: { tx: string } };
  "db.commit": { args: { tx: string }; result: null };
  "db.rollback": { args: { tx: string }; result: null };

  "queue.push": { args: { name: string; payload: unknown }; result: { jobId: string } };

  "cache.get": { args: { key: string }; result: unknown };
  "cache.set": { args: { key: string; value: unknown; ttl?: number }; result: null };
  "cache.incr": { args: { key: string; by?: number }; result: number };
  "cache.del": { args: { key: string }; result: null };
  "cache.fill.begin": { args: { key: string }; result: { hit: boolean; value?: unknown; token?: string } };
  "cache.fill.commit": { args: { key: string; token: string; value: unknown; ttl?: number }; result: null };
  "storage.upload": { args: { bucket: string; path: string; text?: string; contentType?: string; upsert?: boolean; cacheControl?: string }; result: StorageItem & { path: string } };
  "storage.download": { args: { bucket: string; path: string }; result: StorageItem };
  "storage.info": { args: { bucket: string; path: string }; result: StorageItem & { cacheControl: string | null } };
  "storage.list": { args: { bucket: string; prefix?: string; limit?: number; cursor?: string }; result: { items: StorageItem[]; nextCursor: string | null } };
  "storage.remove": { args: { bucket: string; paths: string[] }; result: { removed: string[] } };
  "storage.removePrefix": { args: { bucket: string; prefix: string }; result: { removed: number } };
  "storage.move": { args: { bucket: string; from: string; to: string }; result: StorageItem };
  "storage.copy": { args: { bucket: string; from: string; to: string }; result: StorageItem };
  "storage.signedUrl": { args: { bucket: string; path: string; expiresIn: number; download?: boolean | string }; result: { signedUrl: string } };
  "storage.signedUploadUrl": { args: { bucket: string; path: string }; result: { signedUrl: string; token: string } };
  "storage.publicUrl": { args: { bucket: string; path: string }; result: { publicUrl: string } };

  "cache.fill.abort": { args: { key: string; token: string; error: { status: number; code: string; description: string; data?: unknown } }; result: null };

  "docs.add": { args: { collection: string; data: Row }; result: DocRef };
  "docs.get": { args: { path: string }; result: DocSnapshot | null };
  "docs.set": { args: { path: string; data: Row; merge?: boolean }; result: DocRef };
  "docs.update": { args: { path: string; data: Row }; result: DocRef };
  "docs.delete": { args: { path: string }; result: null };
  "docs.query": { args: DocQuery; result: DocSnapshot[] };
  "docs.count": { args: DocQuery; result: { count: number } };
  "docs.batch": { args: { writes: DocWrite[] }; result: null };

  "notify.email": { args: EmailArgs; result: NotifyResult };
  "notify.push": { args: PalbasePushSendParams; result: NotifyResult };
  "notify.sms": { args: PalbaseSmsSendParams; result: NotifyResult };
}

/** On the wire an attachment's content is base64 text (the SDK encodes bytes). */
type EmailArgs = Omit<PalbaseEmailSendParams, "attachments"> & { attachments?: { filename: string; content: string; contentType?: string }[] };
type NotifyResult = NotificationSendResult;

type DocRef = { id: string; path: string };
type DocSnapshot = { id: string; path: string; data: Row; createTime: string; updateTime: string };
type DocCursor = { values: unknown[] } | { snapshot: { id: string; data: Row } };
type DocQuery = {
  collection: string;
  where?: { field: string; op: string; value: unknown }[];
  orderBy?: { field: string; direction?: "asc" | "desc" }[];
  limit?: number;
  startAt?: DocCursor;
  startAfter?: DocCursor;
  endAt?: DocCursor;
  endBefore?: DocCursor;
};
type DocWrite =
  | { op: "set"; path: string; data: Row; merge?: boolean }
  | { op: "update"; path: string; data: Row }
  | { op: "delete"; path: string };

/** Ops the SDK already calls for services still being built (they answer 501 until then). */
export const PLANNED_OPS = [
] as const;

export type OpName = keyof OpTypes;
export type PlannedOp = (typeof PLANNED_OPS)[number];
export type ArgsOf<K extends OpName | PlannedOp> = K extends OpName ? OpTypes[K]["args"] : object;
export type ResultOf<K extends OpName | PlannedOp> = K extends OpName ? OpTypes[K]["result"] : unknown;
