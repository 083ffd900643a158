// Signs webhook deliveries with the providers' own libraries for palbase-webhooks' tests
// (tests/providers.rs): Stripe with `stripe`, GitHub with `@octokit/webhooks-methods`, Standard
// Webhooks with `standardwebhooks`; Slack and Shopify with node:crypto exactly as their docs show.
// Prints one JSON object: { cases: { name: { provider, secrets, headers: [[name, value]], body, timestamp } } }.
// Every secret here is made up for the tests.
import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";

const T = 1700000000;
const cases = {};
const add = (name, c) => {
  cases[name] = { timestamp: T, ...c };
};

// Stripe: the library's own test header, `t=…,v1=…`, keyed with the whole `whsec_…` string.
const stripe = new Stripe("sk_test_fixtures_only");
const stripeSecret = "whsec_fixture_current_0123456789";
const stripeOld = "whsec_fixture_previous_9876543210";
const stripeBody = JSON.stringify({ id: "evt_1PbaseFixture", object: "event", type: "invoice.paid", data: { object: { id: "in_1", amount_paid: 4200 } } }, null, 2);
const stripeHeader = (secret, payload = stripeBody, timestamp = T) => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
add("stripe", { provider: "stripe", secrets: [stripeSecret], headers: [["Stripe-Signature", stripeHeader(stripeSecret)]], body: stripeBody });
// Rotation: one v1 per secret, the matching one second.
const v1 = (h) => h.split(",").find((p) => p.startsWith("v1="));
add("stripe-two-v1", {
  provider: "stripe",
  secrets: [stripeSecret],
  headers: [["Stripe-Signature", `t=${T},${v1(stripeHeader(stripeOld))},${v1(stripeHeader(stripeSecret))}`]],
  body: stripeBody,
});
// Test-mode deliveries also carry a v0 signature, which is ignored.
add("stripe-with-v0", {
  provider: "stripe",
  secrets: [stripeSecret],
  headers: [["Stripe-Signature", `${stripeHeader(stripeSecret)},v0=${"ab".repeat(32)}`]],
  body: stripeBody,
});
// The reliability bar's computed vector.
add("stripe-bar-vector", {
  provider: "stripe",
  secrets: ["whsec_test_secret"],
  headers: [["Stripe-Signature", stripeHeader("whsec_test_secret", '{"id":"evt_test_webhook","object":"event"}', 1492774577)]],
  body: '{"id":"evt_test_webhook","object":"event"}',
  timestamp: 1492774577,
});

// GitHub: `sha256=<hex>` of the body.
const ghSecret = "fixture github secret";
const ghBody = JSON.stringify({ action: "opened", issue: { number: 7, title: "Webhooks" }, repository: { full_name: "palbase/palbase" } });
add("github", {
  provider: "github",
  secrets: [ghSecret],
  headers: [
    ["X-GitHub-Event", "issues"],
    ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"],
    ["X-Hub-Signature-256", await githubSign(ghSecret, ghBody)],
    ["Content-Type", "application/json"],
  ],
  body: ghBody,
});
const ghForm = `payload=${encodeURIComponent(ghBody)}`;
add("github-form", {
  provider: "github",
  secrets: [ghSecret],
  headers: [
    ["X-GitHub-Event", "issues"],
    ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0959"],
    ["X-Hub-Signature-256", await githubSign(ghSecret, ghForm)],
    ["Content-Type", "application/x-www-form-urlencoded"],
  ],
  body: ghForm,
});
// GitHub's documented example: valid signature, but the body is not JSON.
add("github-docs-vector", {
  provider: "github",
  secrets: ["It's a Secret to Everybody"],
  headers: [
    ["X-GitHub-Event", "ping"],
    ["X-GitHub-Delivery", "d1"],
    ["X-Hub-Signature-256", await githubSign("It's a Secret to Everybody", "Hello, World!")],
  ],
  body: "Hello, World!",
});

// Standard Webhooks: the library's `sign(msgId, date, payload)`.
const swSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const swOld = "whsec_" + Buffer.from("the previous fixture key, rotated").toString("base64");
const swSign = (secret, id, ts, body) => new Webhook(secret).sign(id, new Date(ts * 1000), body);
const swBody = JSON.stringify({ type: "invoice.paid", timestamp: "2023-11-14T22:13:20Z", data: { id: "in_1" } });
const swHeaders = (prefix, sig, id = "msg_2Wk1fixture") => [
  [`${prefix}-id`, id],
  [`${prefix}-timestamp`, String(T)],
  [`${prefix}-signature`, sig],
];
add("standard-webhooks", { provider: "standard-webhooks", secrets: [swSecret], headers: swHeaders("webhook", swSign(swSecret, "msg_2Wk1fixture", T, swBody)), body: swBody });
add("standard-webhooks-svix", { provider: "standard-webhooks", secrets: [swSecret], headers: swHeaders("svix", swSign(swSecret, "msg_2Wk1fixture", T, swBody)), body: swBody });
add("standard-webhooks-raw-secret", {
  provider: "standard-webhooks",
  secrets: [swSecret.slice("whsec_".length)],
  headers: swHeaders("webhook", swSign(swSecret, "msg_2Wk1fixture", T, swBody)),
  body: swBody,
});
// Rotation in the header: an old and a new signature, space-separated, the matching one second.
add("standard-webhooks-two-sigs", {
  provider: "standard-webhooks",
  secrets: [swSecret],
  headers: swHeaders("webhook", `${swSign(swOld, "msg_2Wk1fixture", T, swBody)} ${swSign(swSecret, "msg_2Wk1fixture", T, swBody)}`),
  body: swBody,
});
// Rotation in the secrets: signed with the second of two secrets.
add("standard-webhooks-second-secret", {
  provider: "standard-webhooks",
  secrets: [swOld, swSecret],
  headers: swHeaders("webhook", swSign(swSecret, "msg_2Wk1fixture", T, swBody)),
  body: swBody,
});
// The specification's vector (shared/guides/reliability-bar.md).
add("standard-webhooks-bar-vector", {
  provider: "standard-webhooks",
  secrets: [swSecret],
  headers: swHeaders("webhook", swSign(swSecret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'), "msg_p5jXN8AQM9LWM0D4loKWxJek").map(([k, v]) =>
    k === "webhook-timestamp" ? [k, "1614265330"] : [k, v],
  ),
  body: '{"test": 2432232314}',
  timestamp: 1614265330,
});

// Slack: `v0=` + hex HMAC of `v0:{timestamp}:{body}`, as Slack's docs compute it.
const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const slackSig = (body, ts = T, secret = slackSecret) => "v0=" + createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex");
const slackHeaders = (body, contentType = "application/json") => [
  ["X-Slack-Request-Timestamp", String(T)],
  ["X-Slack-Signature", slackSig(body)],
  ["Content-Type", contentType],
];
const slackEvent = JSON.stringify({ token: "x", team_id: "T1", type: "event_callback", event_id: "Ev08MFMKH6", event_time: T, event: { type: "app_mention", text: "hi", user: "U1" } });
add("slack-event", { provider: "slack", secrets: [slackSecret], headers: slackHeaders(slackEvent), body: slackEvent });
const slackChallenge = JSON.stringify({ token: "x", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
add("slack-url-verification", { provider: "slack", secrets: [slackSecret], headers: slackHeaders(slackChallenge), body: slackChallenge });
const slackInteractive = `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", trigger_id: "1.2.3", actions: [{ action_id: "ok" }] }))}`;
add("slack-interactive", { provider: "slack", secrets: [slackSecret], headers: slackHeaders(slackInteractive, "application/x-www-form-urlencoded"), body: slackInteractive });
add("slack-second-secret", { provider: "slack", secrets: ["an-old-slack-signing-secret", slackSecret], headers: slackHeaders(slackEvent), body: slackEvent });

// Shopify: base64 HMAC of the body, as Shopify's docs compute it with node:crypto.
const shopifySecret = "fixture_shopify_app_secret";
const shopifyBody = JSON.stringify({ id: 820982911946154500, email: "jon@example.com", total_price: "10.00" });
const shopifyHeaders = (secret, id = ["X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"]) => [
  ["X-Shopify-Topic", "orders/create"],
  ["X-Shopify-Hmac-Sha256", createHmac("sha256", secret).update(shopifyBody, "utf8").digest("base64")],
  ["X-Shopify-Shop-Domain", "fixture.myshopify.com"],
  id,
];
add("shopify", { provider: "shopify", secrets: [shopifySecret], headers: shopifyHeaders(shopifySecret), body: shopifyBody });
add("shopify-event-id", { provider: "shopify", secrets: [shopifySecret], headers: shopifyHeaders(shopifySecret, ["X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"]), body: shopifyBody });
add("shopify-second-secret", { provider: "shopify", secrets: ["old_shopify_secret", shopifySecret], headers: shopifyHeaders(shopifySecret), body: shopifyBody });

process.stdout.write(JSON.stringify({ cases }));
