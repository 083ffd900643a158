import { defineEndpoint, z, Database } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
auth: { required: true },
input: z.object({ name: z.string().min(1).max(100), capacity: z.number().int().positive().optional() }),
output: z.object({ id: z.string(), name: z.string(), capacity: z.number().nullable() }),
handler: async (req) => {
const room = await Database.insert("rooms", {
name: req.input.name,
capacity: req.input.capacity ?? null,
});
return { id: room.id as string, name: room.name as string, capacity: (room.capacity as number) ?? null };
},
});
