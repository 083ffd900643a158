// Signs one delivery with the provider's own library, for the HTTP tests of the runtime
// (crates/palbase-cli/tests/webhooks.rs):
//   node deliver.mjs '{"provider":"stripe","secret":"whsec_…","body":"…","timestamp":1700000000,"id":"msg_1"}'
// prints the headers to send, as [[name, value], …].
import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";

// The input comes as the first argument, or on stdin (a burst is too long for an argument).
const readStdin = async () => {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
};
const input = JSON.parse(process.argv[2] ?? (await readStdin()));
const sign = async ({ provider, secret, body, timestamp, id }) => {
let headers;
if (provider === "stripe") {
  headers = [["Stripe-Signature", new Stripe("sk_test_fixtures_only").webhooks.generateTestHeaderString({ payload: body, secret, timestamp })]];
} else if (provider === "github") {
  headers = [["X-Hub-Signature-256", await githubSign(secret, body)], ["X-GitHub-Event", JSON.parse(body).__event ?? "issues"], ["X-GitHub-Delivery", id]];
} else if (provider === "standard-webhooks") {
  const sig = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
  headers = [["webhook-id", id], ["webhook-timestamp", String(timestamp)], ["webhook-signature", sig]];
} else if (provider === "slack") {
  const sig = "v0=" + createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  headers = [["X-Slack-Signature", sig], ["X-Slack-Request-Timestamp", String(timestamp)]];
} else if (provider === "shopify") {
  const sig = createHmac("sha256", secret).update(body, "utf8").digest("base64");
  headers = [["X-Shopify-Hmac-Sha256", sig], ["X-Shopify-Topic", "orders/create"], ["X-Shopify-Webhook-Id", id]];
} else {
  throw new Error(`unknown provider ${provider}`);
}
return headers;
};
// One delivery, or an array of them (a burst) in one run.
console.log(JSON.stringify(Array.isArray(input) ? await Promise.all(input.map(sign)) : await sign(input)));
