// Service singletons.
import {
  Cache,
  Database,
  Documents,
  Flags,
  Log,
  Notifications,
  Queue,
  Storage,
  type NotificationSendResult,
  type PalbaseResult,
  type Row,
  type ServiceError,
  type StorageObject,
} from "@palbase/backend";
import type { Equal, Expect } from "./helpers.js";

async function services() {
  // Database
  const row = await Database.insert("todos", { title: "x" });
  type _row = Expect<Equal<typeof row, Record<string, unknown>>>;
  const one = await Database.findById("todos", "1");
  type _one = Expect<Equal<typeof one, Row | null>>;
  const del = await Database.delete("todos", "1");
  type _del = Expect<Equal<typeof del, void>>;
  const rows = await Database.query("select 1", [1, "a", null]);
  type _rows = Expect<Equal<typeof rows, Row[]>>;
  const n = await Database.transaction(async (tx) => {
    // @ts-expect-error: no nested transactions
    tx.transaction;
    await tx.update("todos", 1, { done: true });
    return 42;
  });
  type _n = Expect<Equal<typeof n, number>>;

  // Cache
  const v = await Cache.get<{ hits: number }>("k");
  type _v = Expect<Equal<typeof v, { hits: number } | null>>;
  const untyped = await Cache.get("k");
  type _u = Expect<Equal<typeof untyped, unknown>>;
  const c = await Cache.incr("counter", 2);
  type _c = Expect<Equal<typeof c, number>>;
  const p = await Cache.getOrSet("k", 60, async () => ({ a: 1 }));
  type _p = Expect<Equal<typeof p, { a: number }>>;
  // @ts-expect-error: ttl is in seconds (a number)
  await Cache.set("k", 1, "60s");

  // Queue
  const pushed = await Queue.push("process-order", { orderId: "o" });
  type _q = Expect<Equal<typeof pushed, { jobId: string }>>;

  // Log
  Log.info("x");
  Log.error("failed", new Error("boom"));
  // @ts-expect-error: message is a string
  Log.info({ msg: "x" });

  // Storage
  const bucket = Storage.bucket("avatars");
  const up = await bucket.upload("a.png", new Uint8Array([1]), { contentType: "image/png", upsert: true });
  if (up.error) {
    type _e = Expect<Equal<typeof up.error, ServiceError>>;
  } else {
    type _d = Expect<Equal<typeof up.data, StorageObject & { path: string }>>;
    type _size = Expect<Equal<typeof up.data.size, number>>;
  }
  await bucket.upload("a.txt", "hello");
  await bucket.upload("a.bin", new ArrayBuffer(4));
  await bucket.upload("a.bin", new Int16Array(2));
  await bucket.upload("a.bin", new DataView(new ArrayBuffer(2)));
  await bucket.upload("f.png", { name: "f.png", fieldName: "file", contentType: "image/png", size: 1, bytes: new Uint8Array([1]) });
  await bucket.upload("b.txt", { type: "text/plain", size: 1, arrayBuffer: async () => new ArrayBuffer(1) });
  // @ts-expect-error: a number is not a body
  await bucket.upload("a.txt", 42);
  // @ts-expect-error: an object is not a body
  await bucket.upload("a.txt", { text: "x" });
  // @ts-expect-error: upsert is a boolean
  await bucket.upload("a.txt", "x", { upsert: "yes" });
  const page = await bucket.list("u/", { limit: 10, cursor: "c" });
  if (!page.error) {
    type _items = Expect<Equal<typeof page.data.items, StorageObject[]>>;
    type _next = Expect<Equal<typeof page.data.nextCursor, string | null>>;
  }
  // @ts-expect-error: paging is by cursor, not offset
  await bucket.list("u/", { offset: 10 });
  const signed = await bucket.createSignedUrl("a.png", 60, { download: "me.png" });
  type _signed = Expect<Equal<typeof signed, PalbaseResult<{ signedUrl: string }>>>;
  // @ts-expect-error: expiresIn is seconds (a number)
  await bucket.createSignedUrl("a.png", "1h");
  const upUrl = await bucket.createSignedUploadUrl("a.png");
  type _upUrl = Expect<Equal<typeof upUrl, PalbaseResult<{ signedUrl: string; token: string; path: string }>>>;
  const removed = await bucket.remove(["a.png"]);
  type _removed = Expect<Equal<typeof removed, PalbaseResult<string[]>>>;
  await bucket.removeFolder("u/");
  await bucket.move("a.png", "b.png");
  await bucket.copy("a.png", "c.png");
  const dl = await bucket.download("a.png");
  type _dl = Expect<Equal<typeof dl, PalbaseResult<Uint8Array>>>;
  const pub = bucket.getPublicUrl("a.png");
  type _pub = Expect<Equal<typeof pub, PalbaseResult<{ publicUrl: string }>>>;
  // @ts-expect-error: remove takes a list
  await bucket.remove("a.png");

  // Documents
  const col = Documents.collection<{ name: string; active: boolean }>("rooms");
  const added = await col.add({ name: "Lobby", active: true });
  type _added = Expect<Equal<typeof added.data, { id: string; path: string } | null>>;
  // @ts-expect-error: typed collection
  await col.add({ name: 1 });
  const q = await col.where("active", "==", true).orderBy("name", "desc").limit(10).get();
  if (!q.error) {
    type _docs = Expect<Equal<(typeof q.data)[number]["data"], { name: string; active: boolean }>>;
  }
  // @ts-expect-error: unknown operator
  col.where("active", "===", true);
  await Documents.doc("rooms/abc").set({ name: "x" }, { merge: true });
  await Documents.doc("rooms/abc").update({ name: "y" });
  await Documents.doc("rooms/abc").delete();

  // Notifications
  await Notifications.email.send({ to: "a@example.com", subject: "Hi", text: "Hello" });
  await Notifications.push.send({ userId: "u1", title: "Hi", body: "Hello" });
  await Notifications.sms.send({ to: "+900000000000", body: "Hello" });
  // @ts-expect-error: unknown field
  await Notifications.email.send({ recipient: "a@example.com" });
  const sent = await Notifications.email.send({
    to: ["Ann <a@example.com>", "b@example.com"],
    cc: "c@example.com",
    bcc: ["d@example.com"],
    from: "App <app@example.com>",
    replyTo: "support@example.com",
    subject: "Grüße",
    text: "Hello",
    html: "<p>Hello</p>",
    attachments: [
      { filename: "a.txt", content: "aGVsbG8=", contentType: "text/plain" },
      { filename: "b.bin", content: new Uint8Array([1, 2, 3]) },
    ],
    headers: { "X-Campaign": "spring" },
    tags: { kind: "welcome" },
    template: "welcome",
    data: { name: "Ann" },
    idempotencyKey: "welcome-u1",
  });
  if (!sent.error) {
    type _sent = Expect<Equal<typeof sent.data, NotificationSendResult>>;
    type _status = Expect<Equal<typeof sent.data.status, "queued" | "sent" | "failed" | "outbox">>;
  }
  // @ts-expect-error: subject is a string
  await Notifications.email.send({ to: "a@example.com", subject: 1 });
  // @ts-expect-error: attachments need a filename
  await Notifications.email.send({ to: "a@example.com", attachments: [{ content: "aGk=" }] });
  // @ts-expect-error: header values are strings
  await Notifications.email.send({ to: "a@example.com", headers: { "X-N": 1 } });
  await Notifications.push.send({ token: ["t1", "t2"], title: "Hi", data: { k: "v" }, badge: 1, sound: "default", apns: { aps: { category: "c" } }, fcm: { android: { priority: "high" } }, idempotencyKey: "k" });
  // @ts-expect-error: push data values are strings (FCM)
  await Notifications.push.send({ token: "t", body: "x", data: { n: 1 } });
  // @ts-expect-error: badge is a number
  await Notifications.push.send({ token: "t", body: "x", badge: "1" });
  await Notifications.sms.send({ to: ["+14155550100"], from: "+14155550199", body: "Hi", idempotencyKey: "k" });
  // @ts-expect-error: body is a string
  await Notifications.sms.send({ to: "+14155550100", body: 5 });

  // Flags
  const { data: enabled } = await Flags.isEnabled("f", { userId: "u" });
  type _f = Expect<Equal<typeof enabled, boolean | null>>;
  const { data: variant } = await Flags.getVariant("f");
  type _fv = Expect<Equal<typeof variant, string | null>>;
  // Any attribute rules can test; userId is what rollouts hash.
  await Flags.isEnabled("f", { userId: 42, role: "admin", seats: 3, beta: true, country: null });
  // @ts-expect-error: attributes are strings, numbers, booleans or null
  await Flags.isEnabled("f", { userId: "u", tags: ["a"] });
  const { data: why } = await Flags.evaluate("f", { userId: "u" });
  if (why) {
    type _r = Expect<Equal<typeof why.reason, "unknown" | "override" | "disabled" | "allow_list" | "rule" | "rollout" | "default">>;
    type _v = Expect<Equal<typeof why.variant, string | null>>;
  }
}

// Auth, Realtime, Functions, … are not backend services.
// @ts-expect-error: not exported
import { Auth } from "@palbase/backend";
