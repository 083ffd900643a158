// services.md "Cache", verbatim inside a handler (`Database` is imported for
// the getOrSet callback).
import { defineEndpoint, Database } from "@palbase/backend";
import { Cache } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
handler: async () => {
await Cache.set("k", { hits: 1 }, 60); // value + TTL seconds
const v = await Cache.get<{ hits: number }>("k"); // typed, null on miss
await Cache.incr("counter");
await Cache.del("k");

// Stampede-safe read-through: only one caller across all pods runs fn.
const profile = await Cache.getOrSet("user:42", 300, async () => {
return Database.findById("users", "42");
});

return { hits: v?.hits ?? 0, profile };
},
});
