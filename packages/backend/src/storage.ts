// Storage: bucket-scoped file operations; every call returns `{ data, error }`.

import { result, resultSync } from "./result.js";
import type { PalbaseResult } from "./types.js";

// Bytes cross the JSON op boundary as base64. Hand-rolled because the
// embedded runtime is not guaranteed to have `btoa`/`atob` or `Buffer`.
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** @internal */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + "=";
  }
  return out;
}

/** @internal */
export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/[^A-Za-z0-9+/]/g, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** A file body for `upload`: raw bytes or a string (sent as UTF-8). */
export type UploadBody = Uint8Array | ArrayBuffer | string;

export interface UploadOptions {
  /** Defaults to a type guessed from the path's extension. */
  contentType?: string;
  /** Overwrite an existing object (default `false`). */
  upsert?: boolean;
  cacheControl?: string;
}

/** One object in a `list` result. */
export interface StorageObject {
  /** Path within the bucket. */
  path: string;
  size: number;
  contentType: string | null;
  /** ISO-8601. */
  updatedAt: string;
}

export interface ListOptions {
  limit?: number;
  offset?: number;
}

/** Operations on one bucket; every async call returns `{ data, error }`. */
export interface StorageBucket {
  upload(path: string, body: UploadBody, options?: UploadOptions): Promise<PalbaseResult<{ path: string }>>;
  download(path: string): Promise<PalbaseResult<Uint8Array>>;
  /** Removes objects; `data` lists the removed paths. */
  remove(paths: string[]): Promise<PalbaseResult<string[]>>;
  /** Objects under `prefix` (the whole bucket without one). */
  list(prefix?: string, options?: ListOptions): Promise<PalbaseResult<StorageObject[]>>;
  /** A time-limited URL, valid for `expiresInSeconds`. */
  createSignedUrl(path: string, expiresInSeconds: number): Promise<PalbaseResult<{ signedUrl: string }>>;
  /** The public URL of an object (public buckets). Synchronous: no network. */
  getPublicUrl(path: string): PalbaseResult<{ publicUrl: string }>;
}

export interface StorageApi {
  bucket(name: string): StorageBucket;
}

function encodeBody(body: UploadBody): { body: string; encoding: "base64" | "utf8" } {
  if (typeof body === "string") return { body, encoding: "utf8" };
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
  return { body: bytesToBase64(bytes), encoding: "base64" };
}

export const Storage: StorageApi = {
  bucket(bucket: string): StorageBucket {
    return {
      upload: (path, body, options) => result("storage.upload", { bucket, path, ...encodeBody(body), ...options }),
      download: async (path) => {
        const r = await result<{ base64: string }>("storage.download", { bucket, path });
        return r.error ? r : { data: base64ToBytes(r.data.base64), error: null };
      },
      remove: (paths) => result("storage.remove", { bucket, paths }),
      list: (prefix, options) => result("storage.list", { bucket, prefix, ...options }),
      createSignedUrl: (path, expiresInSeconds) =>
        result("storage.createSignedUrl", { bucket, path, expiresIn: expiresInSeconds }),
      getPublicUrl: (path) => resultSync("storage.getPublicUrl", { bucket, path }),
    };
  },
};

