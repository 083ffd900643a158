// Regenerates vectors.json from GrowthBook's own JavaScript SDK, so the Rust suite checks that
// Palbase's bucketing reproduces GrowthBook's decisions exactly:
//   npm install @growthbook/growthbook@1.8.0 && node generate.mjs > vectors.json
import { createRequire } from "node:module";
import path from "node:path";
const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("@growthbook/growthbook/package.json"));
const { hash } = require(path.join(root, "dist/cjs/util.js"));
const { GrowthBook } = require("@growthbook/growthbook");

const ids = [];
for (let i = 0; i < 1000; i++) ids.push(`user_${i}`);
ids.push("ü-benutzer", "用户", "😀 emoji", "", "42");

const hashes = [];
for (const seed of ["", "new-checkout", "button-color:variants"]) {
  for (const id of ids.slice(0, 20).concat(ids.slice(1000))) hashes.push([seed, id, hash(seed, id, 2)]);
}

const features = {
  "new-checkout": { defaultValue: false, rules: [{ force: true, coverage: 0.25, hashAttribute: "id", hashVersion: 2 }] },
  "button-color": {
    defaultValue: null,
    rules: [{ key: "button-color", seed: "button-color:variants", hashAttribute: "id", hashVersion: 2, variations: ["blue", "green", "red"], weights: [0.5, 0.3, 0.2] }],
  },
};
const decisions = ids.filter((id) => id !== "").map((id) => {
  const gb = new GrowthBook({ attributes: { id }, features });
  return [id, gb.isOn("new-checkout"), gb.getFeatureValue("button-color", null)];
});
console.log(JSON.stringify({ sdk: "@growthbook/growthbook 1.8.0", hashes, rollout25: "new-checkout", variants: "button-color 50/30/20", decisions }, null, 0));
