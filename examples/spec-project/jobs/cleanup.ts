// jobs/cleanup.ts
import { defineJob } from "@palbase/backend";

export default defineJob({
name: "cleanup-expired",
schedule: "0 3 * * *", // standard cron
timeout: 120, // optional, seconds
handler: async (ctx) => {
const expired = await ctx.db.findMany("sessions", { expired: true });
for (const s of expired) await ctx.db.delete("sessions", s.id as string);
ctx.log.info(`cleaned ${expired.length} sessions`);
},
});
