// endpoints.md "Auth": `auth: { required: true, role: "admin" } // require a specific role`
// (the spec shows config fragments; here as a whole endpoint).
import { defineEndpoint, z } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
auth: { required: true, role: "admin" }, // require a specific role
output: z.object({ admin: z.string() }),
handler: async (req) => ({ admin: req.user.email }),
});
