// Notifications: `Notifications.email.send`, `.push.send`, `.sms.send` (and the
// same object as `ctx.notifications` in workers, jobs, hooks and webhooks).
//
// A send is validated by the host (an error names the field: `error.data.field`),
// recorded in the project's outbox with its delivery job in the same transaction
// (inside `Database.transaction`, it is delivered only if the transaction
// commits), and delivered by the queue with retries. Without a provider for the
// channel (the local default) nothing is sent: the message is kept with status
// "outbox" (`palbase outbox list`, `palbase outbox show ID`).
//
// Every field is optional in the types because the spec's own example calls
// `send({})`; the host checks what a channel needs (e.g. a recipient) and
// answers `{ error }` when it is missing.

import { result } from "./result.js";
import type { PalbaseResult } from "./types.js";

/** One address/number/token, or several. */
type OneOrMany = string | string[];

/** An email attachment. */
export interface PalbaseEmailAttachment {
  filename: string;
  /** The bytes; a string is taken as standard base64 of the bytes (not as text). */
  content: string | Uint8Array | ArrayBuffer;
  /** Default `application/octet-stream`. */
  contentType?: string;
}

export interface PalbaseEmailSendParams {
  /** Recipient address(es): `"a@example.com"` or `"Ann <a@example.com>"`. At least one of to/cc/bcc. */
  to?: OneOrMany;
  cc?: OneOrMany;
  /** Hidden recipients: in the envelope, not in the headers. */
  bcc?: OneOrMany;
  /** Sender; defaults to `[notifications.email] from` of palbase.toml. */
  from?: string;
  replyTo?: OneOrMany;
  /** Required; UTF-8 is fine (sent as an RFC 2047 encoded word). */
  subject?: string;
  /** Plain-text body. `text`, `html` or both (then multipart/alternative). */
  text?: string;
  /** HTML body. */
  html?: string;
  attachments?: PalbaseEmailAttachment[];
  /** Extra headers (`X-…`); the ones the other params set are refused. */
  headers?: Record<string, string>;
  /** Key/values recorded with the message (and passed to providers that take tags). */
  tags?: Record<string, string>;
  /** A template under `notifications/` of the project, rendered with `data`. */
  template?: string;
  data?: Record<string, unknown>;
  /** A repeat with the same key within 24 h answers the first send and sends nothing. */
  idempotencyKey?: string;
}

export interface PalbasePushSendParams {
  /** Send to every device of these users… */
  userId?: OneOrMany;
  /** …or to these device tokens. */
  token?: OneOrMany;
  /** A title or a body is required. */
  title?: string;
  body?: string;
  /** Custom key/values delivered with the notification (strings, as FCM requires). */
  data?: Record<string, string>;
  badge?: number;
  sound?: string;
  /** Merged over the APNs payload (`{ aps: { category: "…" } }`); the payload is at most 4 KiB. */
  apns?: Record<string, unknown>;
  /** Merged over the FCM v1 message (`{ android: { priority: "high" } }`); at most 4 KiB. */
  fcm?: Record<string, unknown>;
  /** A repeat with the same key within 24 h answers the first send and sends nothing. */
  idempotencyKey?: string;
}

export interface PalbaseSmsSendParams {
  /** Recipient phone number(s), E.164 (`+14155550100`). */
  to?: OneOrMany;
  /** Sender number; defaults to `[notifications.sms] from`. */
  from?: string;
  /** At most 1600 characters. */
  body?: string;
  /** A repeat with the same key within 24 h answers the first send and sends nothing. */
  idempotencyKey?: string;
}

/**
 * A message's state: `"queued"` (a provider will deliver it; retried on
 * failure), `"sent"` (the provider accepted it), `"failed"` (refused, or out of
 * retries), `"outbox"` (no provider configured: kept, never sent).
 */
export type NotificationStatus = "queued" | "sent" | "failed" | "outbox";

/** A channel's send result. */
export interface NotificationSendResult {
  /** The message's id in the outbox (`msg_…`). */
  id: string;
  /** Its status when the send returned (`"queued"` or `"outbox"`; a repeat of an idempotency key answers the current one). */
  status: NotificationStatus;
}

export interface NotificationChannel<P> {
  send(params: P): Promise<PalbaseResult<NotificationSendResult>>;
}

export interface NotificationsApi {
  email: NotificationChannel<PalbaseEmailSendParams>;
  push: NotificationChannel<PalbasePushSendParams>;
  sms: NotificationChannel<PalbaseSmsSendParams>;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function base64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + "=";
  }
  return out;
}

function emailArgs(params: PalbaseEmailSendParams): object {
  if (!Array.isArray(params?.attachments)) return params;
  const attachments = params.attachments.map((a) => {
    const c = a?.content;
    if (c instanceof Uint8Array) return { ...a, content: base64(c) };
    if (c instanceof ArrayBuffer) return { ...a, content: base64(new Uint8Array(c)) };
    if (ArrayBuffer.isView(c)) return { ...a, content: base64(new Uint8Array((c as ArrayBufferView).buffer, (c as ArrayBufferView).byteOffset, (c as ArrayBufferView).byteLength)) };
    return a;
  });
  return { ...params, attachments };
}

export const Notifications: NotificationsApi = {
  email: { send: (params) => result("notify.email", emailArgs(params)) },
  push: { send: (params) => result("notify.push", params) },
  sms: { send: (params) => result("notify.sms", params) },
};
