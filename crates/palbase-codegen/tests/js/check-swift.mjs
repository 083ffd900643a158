// Parses Swift files with tree-sitter-swift and reports every syntax error as file:line:col.
// Usage: node check-swift.mjs FILE...
//
// The grammar predates Swift 6's typed throws (SE-0413), so `throws(Name)` is first checked to
// be exactly that form and then read as `throws`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Parser = require("tree-sitter");
const Swift = require("tree-sitter-swift");
const parser = new Parser();
parser.setLanguage(Swift);

let failed = 0;
for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, "utf8");
  const typed = /throws\(([^)]*)\)/g;
  for (const m of source.matchAll(typed)) {
    if (!/^[A-Z][A-Za-z0-9_]*$/.test(m[1])) {
      console.error(`${file}: malformed typed throws \`${m[0]}\``);
      failed++;
    }
  }
  const tree = parser.parse(source.replace(typed, (m) => "throws" + " ".repeat(m.length - 6)), undefined, { bufferSize: 1 << 22 });
  const walk = (node) => {
    if (node.type === "ERROR" || node.isMissing) {
      const { row, column } = node.startPosition;
      const line = source.split("\n")[row] ?? "";
      console.error(`${file}:${row + 1}:${column + 1}: syntax error (${node.isMissing ? `missing ${node.type}` : "unexpected"})\n    ${line.trim()}`);
      failed++;
      return;
    }
    for (const c of node.children) walk(c);
  };
  walk(tree.rootNode);
}
if (failed) process.exit(1);
console.log("ok");
