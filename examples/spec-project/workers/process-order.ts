// workers/process-order.ts
import { defineWorker } from "@palbase/backend";

interface OrderPayload { orderId: string; amount: number; }

export default defineWorker<OrderPayload>({
name: "process-order", // must match the Queue.push() name
retry: 5, // optional, default 3
timeout: 60, // optional, seconds
backoff: "exponential", // "exponential" | "linear" | "fixed", default exponential
handler: async (ctx, payload) => {
ctx.log.info(`processing ${payload.orderId} for $${payload.amount}`);
await ctx.db.update("orders", payload.orderId, { status: "processed" });
},
});
