// database.md: the import line, the operations list, Database.query and
// Database.transaction snippets, verbatim inside one handler.
import { defineEndpoint } from "@palbase/backend";
import { Database } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
handler: async () => {
// --- database.md "Operations"
const row = await Database.insert("todos", { title: "buy milk", done: false });
const one = await Database.findById("todos", row.id as string);
const open = await Database.findMany("todos", { done: false });
await Database.update("todos", row.id as string, { done: true });
await Database.delete("todos", row.id as string);

// --- database.md: read-only query
const rows = await Database.query(
"SELECT id, title FROM todos WHERE done = $1 ORDER BY created_at DESC LIMIT $2",
[false, 20],
);

// --- database.md "Transactions"
await Database.transaction(async (tx) => {
const order = await tx.insert("orders", { amount: 1000, status: "pending" });
await tx.insert("order_items", { order_id: order.id, sku: "ABC" });
// throw here → both inserts roll back
});

return { one, open, rows };
},
});
