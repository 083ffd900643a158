// webhooks/stripe.ts
import { defineWebhook } from "@palbase/backend";

export default defineWebhook({
provider: "stripe",
secret: { env: "STRIPE_WEBHOOK_SECRET" }, // signing secret resolved from env
events: {
"checkout.session.completed": async (ctx, event) => {
await ctx.db.insert("orders", { status: "paid", data: event });
},
"payment_intent.payment_failed": async (ctx, event) => {
ctx.log.error("payment failed");
await ctx.db.insert("payment_failures", { data: event });
},
},
});
