// routing.md: `endpoints/rooms/[id]/sessions/post.ts` → `POST /rooms/:id/sessions`
// (the spec names the file without code; this one reads the `[id]` param and
// uses the typed tables of db/schema.ts).
import { defineEndpoint, z, typedDatabase } from "@palbase/backend";
import schema from "../../../../db/schema.js";

const Db = typedDatabase(schema);

export default defineEndpoint({
method: "POST",
auth: { required: true },
output: z.object({ id: z.string(), room_id: z.string() }),
handler: async (req) => {
const session = await Db.tables.sessions.insert({ room_id: req.params.id!, user_id: req.user.id });
return { id: session.id, room_id: session.room_id };
},
});
