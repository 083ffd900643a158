import { defineEndpoint, z, typedDatabase } from "@palbase/backend";
import schema from "../../db/schema.js";

const Db = typedDatabase(schema);

export default defineEndpoint({
method: "POST",
input: z.object({ name: z.string() }),
output: z.object({ id: z.string(), name: z.string() }),
handler: async (req) => {
const room = await Db.tables.rooms.insert({ name: req.input.name });
return { id: room.id, name: room.name };
},
});
