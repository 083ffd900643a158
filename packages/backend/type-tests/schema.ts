// defineSchema / column builders / typedDatabase.
import {
  boolean,
  defineSchema,
  enumType,
  integer,
  jsonb,
  table,
  text,
  timestamp,
  typedDatabase,
  uuid,
  type InsertOf,
  type RowOf,
} from "@palbase/backend";
import type { Equal, Expect } from "./helpers.js";

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
    user_id: uuid().notNull(),
    data: jsonb().nullable(),
    started_at: timestamp().defaultNow(),
  }),
  orders: table("orders", {
    id: uuid().primaryKey().defaultRandom(),
    status: enumType("order_status", ["pending", "paid", "shipped", "cancelled"]),
    amount: integer().notNull(),
    note: text().nullable().default(null),
  }),
  // A table whose primary key has no default, and a plain (NOT NULL by default) column.
  counters: table("counters", {
    key: text().primaryKey(),
    value: integer(),
    payload: jsonb(),
  }),
});

type _tableName = Expect<Equal<typeof schema.tables.rooms.name, "rooms">>;
type _brand = Expect<Equal<typeof schema.__pb, "schema">>;

// --- row types ------------------------------------------------------------

type Room = RowOf<typeof schema.tables.rooms>;
type _room = Expect<
  Equal<Room, { id: string; name: string; capacity: number | null; is_active: boolean; created_at: string }>
>;
type Order = RowOf<typeof schema.tables.orders>;
type _order = Expect<
  Equal<Order, { id: string; status: "pending" | "paid" | "shipped" | "cancelled"; amount: number; note: string | null }>
>;
type Session = RowOf<typeof schema.tables.sessions>;
type _session = Expect<
  Equal<Session, { id: string; room_id: string; user_id: string; data: unknown; started_at: string }>
>;
type Counter = RowOf<typeof schema.tables.counters>;
type _counter = Expect<Equal<Counter, { key: string; value: number; payload: unknown }>>;

// --- insert types -----------------------------------------------------------

type _roomInsert = Expect<
  Equal<
    InsertOf<typeof schema.tables.rooms>,
    { name: string; id?: string; capacity?: number | null; is_active?: boolean; created_at?: string }
  >
>;
type _counterInsert = Expect<Equal<InsertOf<typeof schema.tables.counters>, { key: string; value: number; payload: unknown }>>;

const Db = typedDatabase(schema);

async function typedUse() {
  // Defaulted and nullable columns are optional.
  const room = await Db.tables.rooms.insert({ name: "Lobby" });
  type _r = Expect<Equal<typeof room, Room>>;
  await Db.tables.rooms.insert({ name: "Lobby", capacity: null, is_active: false, created_at: "2024-01-01T00:00:00Z" });

  // @ts-expect-error: `name` is NOT NULL without a default
  await Db.tables.rooms.insert({});
  // @ts-expect-error: `name` is NOT NULL without a default
  await Db.tables.rooms.insert({ capacity: 3 });
  // @ts-expect-error: unknown column
  await Db.tables.rooms.insert({ name: "Lobby", colour: "red" });
  // @ts-expect-error: wrong column type
  await Db.tables.rooms.insert({ name: 42 });
  // @ts-expect-error: NOT NULL column cannot be null
  await Db.tables.rooms.insert({ name: null });
  // @ts-expect-error: enum value outside the union
  await Db.tables.orders.insert({ status: "lost", amount: 1 });
  await Db.tables.orders.insert({ status: "paid", amount: 1 });
  // @ts-expect-error: the enum column has no default → required
  await Db.tables.orders.insert({ amount: 1 });
  // A primary key without a default is required.
  // @ts-expect-error: `key` is missing
  await Db.tables.counters.insert({ value: 1, payload: {} });

  // update / findById / findMany / delete
  const updated = await Db.tables.rooms.update(room.id, { capacity: 10 });
  type _u = Expect<Equal<typeof updated, Room>>;
  // @ts-expect-error: NOT NULL column cannot be set to null
  await Db.tables.rooms.update(room.id, { name: null });
  // @ts-expect-error: unknown column
  await Db.tables.rooms.update(room.id, { colour: "red" });
  // @ts-expect-error: uuid primary key is a string
  await Db.tables.rooms.findById(1);
  const found = await Db.tables.rooms.findById(room.id);
  type _f = Expect<Equal<typeof found, Room | null>>;
  const many = await Db.tables.orders.findMany({ status: "paid" });
  type _m = Expect<Equal<typeof many, Order[]>>;
  await Db.tables.orders.findMany();
  // @ts-expect-error: enum filter outside the union
  await Db.tables.orders.findMany({ status: "lost" });
  await Db.tables.sessions.delete(room.id);
  // @ts-expect-error: no such table
  Db.tables.nope;

  // Transactions get the same typed tables.
  const result = await Db.transaction(async (tx) => {
    const order = await tx.tables.orders.insert({ status: "pending", amount: 1000 });
    // @ts-expect-error: missing amount
    await tx.tables.orders.insert({ status: "pending" });
    return order.id;
  });
  type _t = Expect<Equal<typeof result, string>>;
}

// --- builder rules ------------------------------------------------------------

// @ts-expect-error: defaultRandom() is for uuid columns
text().defaultRandom();
// @ts-expect-error: defaultNow() is for timestamp columns
uuid().defaultNow();
// @ts-expect-error: the default must match the column type
integer().default("one");
// @ts-expect-error: NOT NULL column: null is not a valid default
integer().default(null);
integer().nullable().default(null);
// @ts-expect-error: unknown referential action
uuid().references("rooms", "id").onDelete("explode");
uuid().references("rooms", "id").onDelete("set null");
uuid().references("rooms", "id").onDelete("restrict");
uuid().references("rooms", "id").onDelete("no action");
// @ts-expect-error: enum values are strings
enumType("n", [1, 2]);

table("t", {
  // @ts-expect-error: columns must be column builders
  id: "uuid",
});
