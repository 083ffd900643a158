import { defineEndpoint, z } from "@palbase/backend";
import logger from "../../middleware/logger.js";

export default defineEndpoint({
method: "GET",
middleware: [logger],
output: z.object({ ok: z.boolean() }),
handler: async (req) => ({ ok: true }),
});
