// Runtime behaviour of the SDK (built from src/ with esbuild), against a fake
// host that records the ops the Rust side would receive.

import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { fakeHost, hostError, loadSdkFromSource } from "./helpers.mjs";

let sdk;
before(async () => {
  sdk = await loadSdkFromSource();
});

describe("errors", () => {
  test("HttpError carries status, code, description, data", () => {
    const e = new sdk.HttpError(423, "todo_locked", "Locked", { retryAfter: 30 });
    assert.ok(e instanceof Error);
    assert.equal(e.name, "HttpError");
    assert.equal(e.message, "Locked");
    assert.deepEqual([e.status, e.code, e.description, e.data], [423, "todo_locked", "Locked", { retryAfter: 30 }]);
    assert.equal(new sdk.HttpError(404, "x", "y").data, undefined);
  });

  test("buildDeclaredErrors: without data", () => {
    const errors = sdk.buildDeclaredErrors({
      notFound: { status: 404, code: "todo_not_found", description: "No such todo" },
      bare: { status: 409, code: "conflict" },
    });
    const nf = errors.notFound();
    assert.ok(nf instanceof sdk.HttpError);
    assert.deepEqual([nf.status, nf.code, nf.description, nf.data], [404, "todo_not_found", "No such todo", undefined]);
    // description defaults to the code
    assert.equal(errors.bare().description, "conflict");
  });

  test("buildDeclaredErrors: data is validated and parsed", () => {
    const { z } = sdk;
    const errors = sdk.buildDeclaredErrors({
      locked: { status: 423, code: "todo_locked", data: z.object({ retryAfter: z.number().default(60) }) },
    });
    const ok = errors.locked({ retryAfter: 30, extra: "stripped" });
    assert.deepEqual([ok.status, ok.code, ok.description, ok.data], [423, "todo_locked", "todo_locked", { retryAfter: 30 }]);
    assert.deepEqual(errors.locked({}).data, { retryAfter: 60 });
    const bad = errors.locked({ retryAfter: "soon" });
    assert.deepEqual(
      [bad.status, bad.code, bad.description],
      [500, "internal_error", "declared error data did not match its schema"],
    );
  });
});

describe("definitions", () => {
  test("defineEndpoint brands the config", () => {
    const handler = async () => ({ ok: true });
    const ep = sdk.defineEndpoint({ method: "GET", auth: { required: true }, rateLimit: { max: 1, window: 2 }, handler });
    assert.equal(ep.__pb, "endpoint");
    assert.equal(ep.method, "GET");
    assert.deepEqual(ep.auth, { required: true });
    assert.deepEqual(ep.rateLimit, { max: 1, window: 2 });
    assert.equal(ep.handler, handler);
  });

  test("defineEndpoint rejects a bad method or handler at load time", () => {
    assert.throws(() => sdk.defineEndpoint({ method: "HEAD", handler() {} }), /method must be one of/);
    assert.throws(() => sdk.defineEndpoint({ method: "GET" }), /handler must be a function/);
  });

  test("middleware, worker, job, hook, webhook brands", () => {
    const fn = async () => {};
    assert.deepEqual(sdk.defineMiddleware(fn), { __pb: "middleware", handler: fn });
    assert.deepEqual(sdk.defineWorker({ name: "w", retry: 5, handler: fn }), {
      __pb: "worker",
      name: "w",
      retry: 5,
      handler: fn,
    });
    assert.deepEqual(sdk.defineJob({ name: "j", schedule: "0 3 * * *", handler: fn }), {
      __pb: "job",
      name: "j",
      schedule: "0 3 * * *",
      handler: fn,
    });
    const events = { "a.b": fn };
    assert.deepEqual(sdk.defineWebhook({ provider: "stripe", secret: { env: "S" }, events }), {
      __pb: "webhook",
      provider: "stripe",
      secret: { env: "S" },
      events,
    });
    const hooks = {
      "auth.onUserCreated": sdk.auth.onUserCreated,
      "auth.onSignIn": sdk.auth.onSignIn,
      "auth.onSignOut": sdk.auth.onSignOut,
      "auth.onPasswordReset": sdk.auth.onPasswordReset,
      "storage.onFileUploaded": sdk.storage.onFileUploaded,
      "storage.onFileDeleted": sdk.storage.onFileDeleted,
      "documents.onDocumentCreated": sdk.documents.onDocumentCreated,
      "documents.onDocumentUpdated": sdk.documents.onDocumentUpdated,
      "documents.onDocumentDeleted": sdk.documents.onDocumentDeleted,
    };
    for (const [event, builder] of Object.entries(hooks)) {
      assert.deepEqual(builder(fn), { __pb: "hook", event, handler: fn });
    }
  });
});

describe("schema", () => {
  const col = (type, patch = {}) => ({
    type,
    primaryKey: false,
    notNull: true,
    hasDefault: false,
    defaultRandom: false,
    defaultNow: false,
    ...patch,
  });

  test("the spec's schema serialises to plain data", () => {
    const { defineSchema, table, uuid, text, integer, boolean, timestamp, jsonb, enumType } = sdk;
    const schema = defineSchema({
      rooms: table("rooms", {
        id: uuid().primaryKey().defaultRandom(),
        name: text().notNull(),
        capacity: integer().nullable(),
        is_active: boolean().default(true),
        created_at: timestamp().defaultNow(),
      }),
      sessions: table("sessions", {
        id: uuid().primaryKey().defaultRandom(),
        room_id: uuid().notNull().references("rooms", "id").onDelete("cascade"),
        data: jsonb().nullable(),
      }),
      orders: table("orders", {
        status: enumType("order_status", ["pending", "paid"]),
      }),
    });
    const expected = {
      __pb: "schema",
      tables: {
        rooms: {
          name: "rooms",
          columns: {
            id: col("uuid", { primaryKey: true, hasDefault: true, defaultRandom: true }),
            name: col("text"),
            capacity: col("integer", { notNull: false }),
            is_active: col("boolean", { hasDefault: true, default: true }),
            created_at: col("timestamp", { hasDefault: true, defaultNow: true }),
          },
        },
        sessions: {
          name: "sessions",
          columns: {
            id: col("uuid", { primaryKey: true, hasDefault: true, defaultRandom: true }),
            room_id: col("uuid", { references: { table: "rooms", column: "id" }, onDelete: "cascade" }),
            data: col("jsonb", { notNull: false }),
          },
        },
        orders: {
          name: "orders",
          columns: { status: col("enum", { enum: { name: "order_status", values: ["pending", "paid"] } }) },
        },
      },
    };
    assert.deepEqual(schema, expected);
    // Plain data: survives JSON and holds no builder instances.
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), expected);
    assert.equal(Object.getPrototypeOf(schema.tables.rooms.columns.id), Object.prototype);
  });

  test("builders are immutable", () => {
    const base = sdk.integer();
    const nullable = base.nullable();
    const withDefault = base.default(1);
    assert.equal(base.def.notNull, true);
    assert.equal(base.def.hasDefault, false);
    assert.equal(nullable.def.notNull, false);
    assert.equal(withDefault.def.default, 1);
    assert.notEqual(base, nullable);
    assert.ok(Object.isFrozen(base.def));
    // A shared builder used in two tables stays independent.
    const t1 = sdk.table("a", { n: base });
    const t2 = sdk.table("b", { n: base.primaryKey() });
    assert.equal(t1.columns.n.primaryKey, false);
    assert.equal(t2.columns.n.primaryKey, true);
  });

  test("builder misuse fails at definition time", () => {
    assert.throws(() => sdk.text().defaultRandom(), /uuid\(\) columns only/);
    assert.throws(() => sdk.uuid().defaultNow(), /timestamp\(\) columns only/);
    assert.throws(() => sdk.uuid().onDelete("cascade"), /references/);
    assert.throws(() => sdk.enumType("e", []), /at least one value/);
    assert.throws(() => sdk.table("t", { id: "uuid" }), /not a column builder/);
  });
});

describe("Database", () => {
  test("operations map to db.* ops", async () => {
    const calls = fakeHost((name) => (name === "db.findMany" || name === "db.query" ? [] : { id: "r1" }));
    const { Database } = sdk;
    assert.deepEqual(await Database.insert("todos", { title: "t" }), { id: "r1" });
    await Database.update("todos", "r1", { done: true });
    assert.equal(await Database.delete("todos", "r1"), undefined);
    await Database.findById("todos", "r1");
    await Database.findMany("todos", { done: false });
    await Database.findMany("todos");
    await Database.query("SELECT 1 WHERE $1", [false]);
    assert.deepEqual(calls, [
      { name: "db.insert", args: { table: "todos", data: { title: "t" } } },
      { name: "db.update", args: { table: "todos", id: "r1", data: { done: true } } },
      { name: "db.delete", args: { table: "todos", id: "r1" } },
      { name: "db.findById", args: { table: "todos", id: "r1" } },
      { name: "db.findMany", args: { table: "todos", where: { done: false } } },
      { name: "db.findMany", args: { table: "todos" } },
      { name: "db.query", args: { sql: "SELECT 1 WHERE $1", params: [false] } },
    ]);
  });

  test("transaction commits on return", async () => {
    const calls = fakeHost((name) => (name === "db.begin" ? { tx: "tx1" } : { id: "o1" }));
    const result = await sdk.Database.transaction(async (tx) => {
      assert.equal(tx.transaction, undefined);
      const order = await tx.insert("orders", { amount: 1 });
      await tx.insert("order_items", { order_id: order.id });
      return "done";
    });
    assert.equal(result, "done");
    assert.deepEqual(calls, [
      { name: "db.begin", args: {} },
      { name: "db.insert", args: { table: "orders", data: { amount: 1 }, tx: "tx1" } },
      { name: "db.insert", args: { table: "order_items", data: { order_id: "o1" }, tx: "tx1" } },
      { name: "db.commit", args: { tx: "tx1" } },
    ]);
  });

  test("transaction rolls back and rethrows on throw", async () => {
    const calls = fakeHost((name) => (name === "db.begin" ? { tx: "tx2" } : null));
    const boom = new Error("boom");
    await assert.rejects(
      sdk.Database.transaction(async (tx) => {
        await tx.update("orders", 1, { status: "x" });
        throw boom;
      }),
      (err) => err === boom,
    );
    assert.deepEqual(
      calls.map((c) => c.name),
      ["db.begin", "db.update", "db.rollback"],
    );
    assert.deepEqual(calls[2].args, { tx: "tx2" });
  });

  test("op errors become HttpErrors", async () => {
    fakeHost(() => {
      throw hostError(409, "unique_violation", "duplicate key", { column: "email" });
    });
    await assert.rejects(sdk.Database.insert("users", {}), (err) => {
      assert.ok(err instanceof sdk.HttpError);
      assert.deepEqual([err.status, err.code, err.description, err.data], [409, "unique_violation", "duplicate key", { column: "email" }]);
      return true;
    });
  });

  test("typedDatabase uses the table's SQL name", async () => {
    const schema = sdk.defineSchema({
      rooms: sdk.table("app_rooms", { id: sdk.uuid().primaryKey().defaultRandom(), name: sdk.text() }),
    });
    const calls = fakeHost((name) => (name === "db.begin" ? { tx: "t9" } : name === "db.findMany" ? [] : { id: "x" }));
    const Db = sdk.typedDatabase(schema);
    await Db.tables.rooms.insert({ name: "Lobby" });
    await Db.tables.rooms.update("x", { name: "Hall" });
    await Db.tables.rooms.findById("x");
    await Db.tables.rooms.findMany({ name: "Hall" });
    await Db.tables.rooms.delete("x");
    await Db.transaction(async (tx) => {
      await tx.tables.rooms.insert({ name: "In tx" });
    });
    assert.deepEqual(calls, [
      { name: "db.insert", args: { table: "app_rooms", data: { name: "Lobby" } } },
      { name: "db.update", args: { table: "app_rooms", id: "x", data: { name: "Hall" } } },
      { name: "db.findById", args: { table: "app_rooms", id: "x" } },
      { name: "db.findMany", args: { table: "app_rooms", where: { name: "Hall" } } },
      { name: "db.delete", args: { table: "app_rooms", id: "x" } },
      { name: "db.begin", args: {} },
      { name: "db.insert", args: { table: "app_rooms", data: { name: "In tx" }, tx: "t9" } },
      { name: "db.commit", args: { tx: "t9" } },
    ]);
  });

  test("services outside the runtime fail with a clear message", async () => {
    delete globalThis.__pb_host;
    await assert.rejects(sdk.Database.findById("t", "1"), /only run inside the Palbase runtime/);
  });
});

describe("services", () => {
  test("Cache", async () => {
    const store = new Map();
    const calls = fakeHost((name, args) => {
      if (name === "cache.get") return store.has(args.key) ? store.get(args.key) : null;
      if (name === "cache.set") store.set(args.key, args.value);
      if (name === "cache.incr") return 7;
      if (name === "cache.fill.begin") return store.has(args.key) ? { hit: true, value: store.get(args.key) } : { hit: false, token: "t1" };
      if (name === "cache.fill.commit") store.set(args.key, args.value);
      return null;
    });
    const { Cache } = sdk;
    await Cache.set("k", { hits: 1 }, 60);
    assert.deepEqual(await Cache.get("k"), { hits: 1 });
    assert.equal(await Cache.get("missing"), null);
    assert.equal(await Cache.incr("counter"), 7);
    await Cache.incr("counter", 5);
    await Cache.del("k");
    assert.deepEqual(calls.slice(0, 6), [
      { name: "cache.set", args: { key: "k", value: { hits: 1 }, ttl: 60 } },
      { name: "cache.get", args: { key: "k" } },
      { name: "cache.get", args: { key: "missing" } },
      { name: "cache.incr", args: { key: "counter" } },
      { name: "cache.incr", args: { key: "counter", by: 5 } },
      { name: "cache.del", args: { key: "k" } },
    ]);

    let runs = 0;
    const fn = async () => ({ n: ++runs });
    assert.deepEqual(await Cache.getOrSet("p", 300, fn), { n: 1 });
    assert.deepEqual(await Cache.getOrSet("p", 300, fn), { n: 1 });
    assert.equal(runs, 1);
    assert.deepEqual(calls.slice(-3), [
      { name: "cache.fill.begin", args: { key: "p" } },
      { name: "cache.fill.commit", args: { key: "p", token: "t1", value: { n: 1 }, ttl: 300 } },
      { name: "cache.fill.begin", args: { key: "p" } },
    ]);
    // A throwing loader aborts the fill with its error and rethrows; values JSON cannot hold are refused.
    const boom = new sdk.HttpError(418, "teapot", "no");
    await assert.rejects(Cache.getOrSet("q", 60, async () => { throw boom; }), (e) => e === boom);
    assert.deepEqual(calls.at(-1), { name: "cache.fill.abort", args: { key: "q", token: "t1", error: { status: 418, code: "teapot", description: "no" } } });
    await assert.rejects(Cache.set("b", { n: 1n }), (e) => e instanceof sdk.HttpError && e.code === "invalid_value" && /"b"/.test(e.description));
    await assert.rejects(Cache.getOrSet("r", 0, fn), (e) => e instanceof sdk.HttpError && e.code === "invalid_ttl");
  });

  test("Queue", async () => {
    const calls = fakeHost(() => ({ jobId: "job_1" }));
    assert.deepEqual(await sdk.Queue.push("process-order", { orderId: "o" }), { jobId: "job_1" });
    assert.deepEqual(calls, [{ name: "queue.push", args: { name: "process-order", payload: { orderId: "o" } } }]);
  });

  test("Log is synchronous and serialises errors", () => {
    const calls = fakeHost();
    const err = new TypeError("bad");
    const cyclic = {};
    cyclic.self = cyclic;
    sdk.Log.info("created order", { orderId: "o" });
    sdk.Log.warn("retrying");
    sdk.Log.error("failed", err);
    sdk.Log.debug("cyclic", cyclic);
    assert.deepEqual(calls[0], { name: "log", args: { level: "info", message: "created order", data: { orderId: "o" } } });
    assert.deepEqual(calls[1], { name: "log", args: { level: "warn", message: "retrying" } });
    assert.equal(calls[2].args.level, "error");
    assert.deepEqual({ ...calls[2].args.data, stack: typeof calls[2].args.data.stack }, {
      name: "TypeError",
      message: "bad",
      stack: "string",
    });
    assert.deepEqual(calls[3].args.data, { self: "[Circular]" });
    // A log call never throws: BigInt is written readably.
    sdk.Log.info("big", { n: 1n });
    assert.deepEqual(calls[4].args.data, { n: "1n" });
  });

  test("Storage: ops, every body type as bytes, { data, error }", async () => {
    const calls = fakeHost((name, args) => {
      if (name === "storage.upload") return { path: args.path, name: args.path };
      if (name === "storage.download") return { json: { name: args.path }, bytes: [0, 1, 2, 255] };
      if (name === "storage.signedUrl") return { signedUrl: "signed" };
      if (name === "storage.signedUploadUrl") return { signedUrl: "up", token: "t" };
      if (name === "storage.publicUrl") return { publicUrl: "public" };
      if (name === "storage.remove") throw hostError(404, "object_not_found", "No such object");
      return { items: [], nextCursor: null };
    });
    const bucket = sdk.Storage.bucket("avatars");
    assert.deepEqual(await bucket.upload("u/42.png", new Uint8Array([0, 1, 2, 255]), { contentType: "image/png" }), {
      data: { path: "u/42.png", name: "u/42.png" },
      error: null,
    });
    await bucket.upload("a.txt", "héllo");
    await bucket.upload("b.bin", new Uint8Array([104, 105]).buffer);
    await bucket.upload("c.bin", new Uint8Array([9, 104, 105, 9]).subarray(1, 3));
    await bucket.upload("d.txt", new Blob(["hi"], { type: "text/plain" }));
    await bucket.upload("e.bin", new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2, 3])); c.close(); } }));
    await bucket.upload("f.png", { name: "f.png", fieldName: "file", contentType: "image/png", size: 2, bytes: new Uint8Array([7, 8]) });
    const dl = await bucket.download("u/42.png");
    assert.deepEqual([...dl.data], [0, 1, 2, 255]);
    assert.deepEqual(await bucket.createSignedUrl("u/42.png", 3600), { data: { signedUrl: "signed" }, error: null });
    assert.deepEqual(await bucket.createSignedUploadUrl("u/43.png"), { data: { signedUrl: "up", token: "t", path: "u/43.png" }, error: null });
    assert.deepEqual(bucket.getPublicUrl("u/42.png"), { data: { publicUrl: "public" }, error: null });
    assert.deepEqual(await bucket.remove(["u/42.png"]), {
      data: null,
      error: { status: 404, code: "object_not_found", message: "No such object" },
    });
    assert.deepEqual(await bucket.upload("x", 42), { data: null, error: { status: 400, code: "invalid_body", message: "upload: the body must be a string, bytes, a Blob or File, a ReadableStream, or req.file" } });
    await bucket.list("u/", { limit: 10 });
    const up = calls.filter((c) => c.name === "storage.upload");
    assert.deepEqual(up[0], { name: "storage.upload", args: { bucket: "avatars", path: "u/42.png", contentType: "image/png" }, bytes: [0, 1, 2, 255] });
    assert.deepEqual(up[1], { name: "storage.upload", args: { bucket: "avatars", path: "a.txt", text: "héllo" } });
    assert.deepEqual(up[2].bytes, [104, 105]);
    assert.deepEqual(up[3].bytes, [104, 105]);
    assert.deepEqual([up[4].args.contentType, up[4].bytes], ["text/plain", [104, 105]]);
    assert.deepEqual(up[5].bytes, [1, 2, 3]);
    assert.deepEqual([up[6].args.contentType, up[6].bytes], ["image/png", [7, 8]]);
    assert.deepEqual(calls.find((c) => c.name === "storage.signedUrl").args, { bucket: "avatars", path: "u/42.png", expiresIn: 3600 });
    assert.deepEqual(calls.at(-1), { name: "storage.list", args: { bucket: "avatars", prefix: "u/", limit: 10 } });
  });

  test("Documents: immutable queries and ops", async () => {
    const calls = fakeHost((name) => (name === "docs.query" ? [] : { id: "abc", path: "rooms/abc" }));
    const col = sdk.Documents.collection("rooms");
    assert.deepEqual(await col.add({ name: "Lobby" }), { data: { id: "abc", path: "rooms/abc" }, error: null });
    const active = col.where("active", "==", true);
    await active.orderBy("name").limit(10).get();
    await active.get(); // unaffected by the chain above
    await sdk.Documents.doc("rooms/abc").get();
    await col.doc("abc").set({ name: "x" }, { merge: true });
    await col.doc("abc").update({ name: "y" });
    await col.doc("abc").delete();
    assert.deepEqual(calls, [
      { name: "docs.add", args: { collection: "rooms", data: { name: "Lobby" } } },
      {
        name: "docs.query",
        args: {
          collection: "rooms",
          where: [{ field: "active", op: "==", value: true }],
          orderBy: [{ field: "name", direction: "asc" }],
          limit: 10,
        },
      },
      { name: "docs.query", args: { collection: "rooms", where: [{ field: "active", op: "==", value: true }], orderBy: [] } },
      { name: "docs.get", args: { path: "rooms/abc" } },
      { name: "docs.set", args: { path: "rooms/abc", data: { name: "x" }, merge: true } },
      { name: "docs.update", args: { path: "rooms/abc", data: { name: "y" } } },
      { name: "docs.delete", args: { path: "rooms/abc" } },
    ]);
  });

  test("Notifications and Flags", async () => {
    const calls = fakeHost((name) => (name === "flags.isEnabled" ? true : name === "flags.getVariant" ? "blue" : { id: "m1" }));
    assert.deepEqual(await sdk.Notifications.email.send({ to: "a@example.com", subject: "Hi" }), {
      data: { id: "m1" },
      error: null,
    });
    await sdk.Notifications.push.send({ userId: "u1", title: "Hi" });
    await sdk.Notifications.sms.send({ to: "+10000000000", body: "Hi" });
    await sdk.Notifications.email.send({ to: "a@example.com", attachments: [{ filename: "a", content: new Uint8Array([104, 101, 108, 108, 111]) }, { filename: "b", content: new Uint8Array([0xff, 0]).buffer }, { filename: "c", content: "aGk=" }] });
    assert.deepEqual(await sdk.Flags.isEnabled("new-checkout", { userId: "u1" }), { data: true, error: null });
    assert.deepEqual(await sdk.Flags.getVariant("button-color", { userId: "u1" }), { data: "blue", error: null });
    // A failing evaluation (bad arguments) is `{ error }`, not a throw.
    globalThis.__pb_host.opSync = () => {
      throw hostError(400, "invalid_arguments", "flags.evaluate: flag must be a string");
    };
    const bad = await sdk.Flags.evaluate("x");
    assert.equal(bad.error.code, "invalid_arguments");
    assert.deepEqual(
      calls.map((c) => [c.name, c.args]),
      [
        ["notify.email", { to: "a@example.com", subject: "Hi" }],
        ["notify.push", { userId: "u1", title: "Hi" }],
        ["notify.sms", { to: "+10000000000", body: "Hi" }],
        ["notify.email", { to: "a@example.com", attachments: [{ filename: "a", content: "aGVsbG8=" }, { filename: "b", content: "/wA=" }, { filename: "c", content: "aGk=" }] }],
        ["flags.isEnabled", { flag: "new-checkout", context: { userId: "u1" } }],
        ["flags.getVariant", { flag: "button-color", context: { userId: "u1" } }],
      ],
    );
  });
});

