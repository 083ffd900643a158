// services.md "Log", verbatim inside a handler; `orderId` and `err` are the
// snippet's free variables, supplied by the wrapper.
import { defineEndpoint } from "@palbase/backend";
import { Log } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
handler: async () => {
const orderId = "ord_1";
try {
throw new Error("boom");
} catch (err) {
Log.info("created order", { orderId });
Log.warn("retrying");
Log.error("failed", err);
Log.debug("detail");
}
},
});
