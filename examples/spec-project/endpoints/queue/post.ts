// services.md "Queue", verbatim inside a handler.
import { defineEndpoint } from "@palbase/backend";
import { Queue } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
handler: async () => {
const { jobId } = await Queue.push("process-order", { orderId: "ord_1", amount: 1000 });
return { jobId };
},
});
