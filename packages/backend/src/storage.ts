// Storage: bucket-scoped file operations; every call returns `{ data, error }`.

import { HttpError } from "./errors.js";
import { opBytes } from "./host.js";
import { result, resultSync, toResultError } from "./result.js";
import type { FileContext, PalbaseResult } from "./types.js";

/** A `Blob` or `File` (anything with `arrayBuffer()` and a `type`). */
export interface BlobLike {
  readonly type: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A web `ReadableStream` of bytes (`Uint8Array` chunks). */
export interface ReadableStreamLike {
  getReader(): { read(): Promise<{ done: boolean; value?: unknown }>; releaseLock(): void };
}

/**
 * What `upload` takes: a string (sent as UTF-8), bytes (`Uint8Array`, any typed array or
 * `DataView`, `ArrayBuffer`), a `Blob`/`File`, a `ReadableStream`, or `req.file` itself. A
 * `Blob`, `File` or `req.file` also gives the default content type.
 */
export type UploadBody = string | ArrayBuffer | ArrayBufferView | BlobLike | ReadableStreamLike | FileContext;

export interface UploadOptions {
  /** Defaults to the body's own type (`Blob`, `File`, `req.file`), else a type guessed from the path's extension. */
  contentType?: string;
  /** Overwrite an existing object (default `false`: `already_exists`). */
  upsert?: boolean;
  /** The `Cache-Control` the object is served with. */
  cacheControl?: string;
}

/** One stored object. */
export interface StorageObject {
  /** Path within the bucket. */
  name: string;
  size: number;
  contentType: string;
  /** A quoted strong ETag. */
  etag: string;
  /** ISO-8601. */
  updatedAt: string;
}

export interface ListOptions {
  /** At most this many items (default 100, at most 1000). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ListPage {
  items: StorageObject[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  nextCursor: string | null;
}

export interface SignedUrlOptions {
  /** Serve as an attachment: `true` under the object's name, or a file name. */
  download?: boolean | string;
}

/** Operations on one bucket; every async call returns `{ data, error }`. */
export interface StorageBucket {
  upload(path: string, body: UploadBody, options?: UploadOptions): Promise<PalbaseResult<StorageObject & { path: string }>>;
  /** The object's bytes (up to the handler's memory limit; hand out `createSignedUrl` for larger files). */
  download(path: string): Promise<PalbaseResult<Uint8Array>>;
  /** The object's metadata. */
  info(path: string): Promise<PalbaseResult<StorageObject & { cacheControl: string | null }>>;
  /** Removes objects (at most 1000 paths); `data` lists the paths that had one. */
  remove(paths: string[]): Promise<PalbaseResult<string[]>>;
  /** Removes every object under a folder prefix (`"u/42/"`); `data.removed` counts them. */
  removeFolder(prefix: string): Promise<PalbaseResult<{ removed: number }>>;
  /** Objects under `prefix` (the whole bucket without one), in path order, a page at a time. */
  list(prefix?: string, options?: ListOptions): Promise<PalbaseResult<ListPage>>;
  move(from: string, to: string): Promise<PalbaseResult<StorageObject>>;
  copy(from: string, to: string): Promise<PalbaseResult<StorageObject>>;
  /** A URL that serves the object for `expiresInSeconds` (at most 7 days). */
  createSignedUrl(path: string, expiresInSeconds: number, options?: SignedUrlOptions): Promise<PalbaseResult<{ signedUrl: string }>>;
  /** A URL a client can `PUT` the object's bytes to, once, until it expires (default 2 h). */
  createSignedUploadUrl(path: string): Promise<PalbaseResult<{ signedUrl: string; token: string; path: string }>>;
  /** The public URL of an object of a public bucket. Synchronous: no network. */
  getPublicUrl(path: string): PalbaseResult<{ publicUrl: string }>;
}

export interface StorageApi {
  bucket(name: string): StorageBucket;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function isFileContext(v: unknown): v is FileContext {
  return isObject(v) && v.bytes instanceof Uint8Array && typeof v.fieldName === "string";
}

function isBlob(v: unknown): v is BlobLike {
  return isObject(v) && typeof v.arrayBuffer === "function" && typeof v.type === "string";
}

function isStream(v: unknown): v is ReadableStreamLike {
  return isObject(v) && typeof v.getReader === "function";
}

/** Reads a stream whole (its chunks, then one buffer). */
async function readStream(stream: ReadableStreamLike): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : value instanceof ArrayBuffer ? new Uint8Array(value) : null;
      if (chunk === null) throw new HttpError(400, "invalid_body", "upload: a ReadableStream body must yield bytes (Uint8Array chunks)");
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The body as text or bytes, and the content type it carries. */
async function bodyOf(body: UploadBody): Promise<{ text?: string; bytes?: ArrayBuffer | Uint8Array; type?: string }> {
  if (typeof body === "string") return { text: body };
  if (body instanceof ArrayBuffer) return { bytes: body };
  if (ArrayBuffer.isView(body)) return { bytes: body instanceof Uint8Array ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (isFileContext(body)) return { bytes: body.bytes, type: body.contentType || undefined };
  if (isBlob(body)) return { bytes: await body.arrayBuffer(), type: body.type || undefined };
  if (isStream(body)) return { bytes: await readStream(body) };
  throw new HttpError(400, "invalid_body", "upload: the body must be a string, bytes, a Blob or File, a ReadableStream, or req.file");
}

async function upload(bucket: string, path: string, body: UploadBody, options?: UploadOptions): Promise<PalbaseResult<StorageObject & { path: string }>> {
  try {
    const b = await bodyOf(body);
    const args = { bucket, path, contentType: options?.contentType ?? b.type, upsert: options?.upsert, cacheControl: options?.cacheControl, text: b.text };
    return { data: (await opBytes("storage.upload", args, b.bytes)).json, error: null };
  } catch (e) {
    return toResultError(e);
  }
}

async function download(bucket: string, path: string): Promise<PalbaseResult<Uint8Array>> {
  try {
    const r = await opBytes("storage.download", { bucket, path });
    return { data: r.bytes ?? new Uint8Array(0), error: null };
  } catch (e) {
    return toResultError(e);
  }
}

async function mapped<T, U>(p: Promise<PalbaseResult<T>>, f: (t: T) => U): Promise<PalbaseResult<U>> {
  const r = await p;
  return r.error ? r : { data: f(r.data), error: null };
}

export const Storage: StorageApi = {
  bucket(bucket: string): StorageBucket {
    return {
      upload: (path, body, options) => upload(bucket, path, body, options),
      download: (path) => download(bucket, path),
      info: (path) => result("storage.info", { bucket, path }),
      remove: (paths) => mapped(result<{ removed: string[] }>("storage.remove", { bucket, paths }), (d) => d.removed),
      removeFolder: (prefix) => result("storage.removePrefix", { bucket, prefix }),
      list: (prefix, options) => result("storage.list", { bucket, prefix, limit: options?.limit, cursor: options?.cursor }),
      move: (from, to) => result("storage.move", { bucket, from, to }),
      copy: (from, to) => result("storage.copy", { bucket, from, to }),
      createSignedUrl: (path, expiresInSeconds, options) => result("storage.signedUrl", { bucket, path, expiresIn: expiresInSeconds, download: options?.download }),
      createSignedUploadUrl: (path) => mapped(result<{ signedUrl: string; token: string }>("storage.signedUploadUrl", { bucket, path }), (d) => ({ ...d, path })),
      getPublicUrl: (path) => resultSync("storage.publicUrl", { bucket, path }),
    };
  },
};
