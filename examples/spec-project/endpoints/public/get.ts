// endpoints.md "Auth": `auth: { required: false } // public → req.user may be null`
// (the spec shows config fragments; here as a whole endpoint).
import { defineEndpoint, z } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
auth: { required: false }, // public → req.user may be null
output: z.object({ user: z.string().nullable() }),
handler: async (req) => ({ user: req.user?.id ?? null }),
});
