// endpoints.md "`defineEndpoint` config": the spec's skeleton has `...`
// placeholders, so it cannot compile verbatim. This is the same skeleton with
// each placeholder filled in; every line comment is the spec's.
import { defineEndpoint, z } from "@palbase/backend";
import logger from "../../middleware/logger.js";

export default defineEndpoint({
method: "POST", // required: GET | POST | PUT | PATCH | DELETE
auth: { required: true }, // optional; see Auth below. Omitted → public.
rateLimit: { max: 100, window: 60 }, // optional: max requests per window seconds
input: z.object({ name: z.string() }), // optional Zod schema → validates & types req.input
output: z.object({ id: z.string() }), // optional Zod schema → validates the return value
errors: { duplicate: { status: 409, code: "item_exists" } }, // optional declared errors (see errors.md)
middleware: [logger], // optional Middleware[] (see below)
handler: async (req) => { if (req.input.name === "") throw req.errors.duplicate(); return { id: req.user.id }; }, // required
});
