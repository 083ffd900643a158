import { defineEndpoint, z, Database } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
input: z.object({ id: z.string() }),
output: z.object({ ok: z.boolean() }),
errors: {
notFound: { status: 404, code: "todo_not_found", description: "No such todo" },
locked: { status: 423, code: "todo_locked", data: z.object({ retryAfter: z.number() }) },
},
handler: async (req) => {
const todo = await Database.findById("todos", req.input.id);
if (!todo) throw req.errors.notFound(); // no data → no args
if (todo.locked) throw req.errors.locked({ retryAfter: 30 }); // data schema → required arg
return { ok: true };
},
});
