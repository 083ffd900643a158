import { defineEndpoint, Cache } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => {
  await Cache.set("small", { hits: 1, name: "bench" });
  return (await Cache.getOrSet("gos", 3600, async () => ({ hits: 1, name: "bench" }))) as object;
} });
