import { defineEndpoint, Cache } from "@palbase/backend";
// A cache hit: `Cache.get` of a small JSON value (set once by GET /hitset).
export default defineEndpoint({ method: "GET", handler: async () => (await Cache.get<{ hits: number; name: string }>("small")) ?? { hits: 0, name: "miss" } });
