import { defineEndpoint, z } from "@palbase/backend";
import logger from "../../../middleware/logger.js";

export default defineEndpoint({
  method: "POST",
  auth: { required: true },
  rateLimit: { max: 100, window: 60 },
  middleware: [logger],
  input: z.object({ text: z.string().min(1).max(1000) }),
  output: z.object({ id: z.string(), text: z.string(), by: z.string() }),
  errors: {
    shouting: { status: 422, code: "no_shouting", description: "Please do not shout" },
  },
  handler: async (req) => {
    if (req.input.text === req.input.text.toUpperCase()) throw req.errors.shouting();
    return { id: req.params.id, text: req.input.text, by: req.user.id };
  },
});
