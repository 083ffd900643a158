import { defineEndpoint, z } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
input: z.object({ name: z.string().optional() }),
output: z.object({ message: z.string(), user: z.string().nullable() }),
handler: async (req) => ({
message: `hello, ${req.input.name ?? "world"}!`,
user: req.user?.id ?? null,
}),
});
