import { defineEndpoint, Cache } from "@palbase/backend";
// getOrSet hit (`?k=gos`) or miss (a fresh key per request).
export default defineEndpoint({ method: "GET", handler: async (req) => {
  const key = req.query.k ?? `miss:${Math.random()}`;
  return (await Cache.getOrSet(key, 60, async () => ({ hits: 1, name: "bench" }))) as object;
} });
