import { defineEndpoint, typedDatabase, HttpError } from "@palbase/backend";
import schema from "../../../db/schema.js";

const Db = typedDatabase(schema);

export default defineEndpoint({
  method: "GET",
  handler: async (req) => {
    const todo = await Db.tables.todos.findById(req.params.id!);
    if (!todo) throw new HttpError(404, "todo_not_found", "No such todo");
    return todo;
  },
});
