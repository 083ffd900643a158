import {
defineSchema, table,
uuid, text, integer, boolean, timestamp, jsonb, enumType,
} from "@palbase/backend";

export default defineSchema({
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
}),
});
