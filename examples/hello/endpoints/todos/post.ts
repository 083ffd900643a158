import { defineEndpoint, z, typedDatabase, Queue } from "@palbase/backend";
import schema from "../../db/schema.js";

const Db = typedDatabase(schema);

export default defineEndpoint({
  method: "POST",
  input: z.object({ title: z.string().min(1).max(200) }),
  handler: async (req) => {
    const todo = await Db.tables.todos.insert({ title: req.input.title });
    await Queue.push("announce-todo", { id: todo.id, title: todo.title });
    return todo;
  },
});
