// background.md "Enqueue from an endpoint", verbatim inside a handler.
import { defineEndpoint } from "@palbase/backend";
import { Queue } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
handler: async () => {
await Queue.push("process-order", { orderId: "ord_1", amount: 1000 });
},
});
