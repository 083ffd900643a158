// The order in which async functions settle, compared between the engine and Node
// (tests/async_semantics.rs). Each line is one observable event; the functions cover every way
// an async function can end its first segment (QuickJS is patched there: third_party/rquickjs-sys).
async function run() {
  const log = [];
  const show = (v) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  const settle = (name, p) =>
    p.then(
      (v) => log.push(`${name} fulfilled ${show(v)}`),
      (e) => log.push(`${name} rejected ${e instanceof Error ? e.message : show(e)}`),
    );

  async function value() { log.push("value runs"); return 1; }
  async function nothing() {}
  async function promise() { return Promise.resolve(2); }
  async function rejected() { return Promise.reject(new Error("inner rejected")); }
  async function thenable() { return { then(resolve) { log.push("thenable's then called"); resolve(3); } }; }
  async function thenableThrows() { return { then() { throw new Error("then threw"); } }; }
  async function getterThen() { return { get then() { log.push("then getter read"); return 4; }, v: 4 }; }
  async function getterThrows() { return { get then() { throw new Error("then getter threw"); } }; }
  async function throws() { log.push("throws runs"); throw new Error("thrown"); }
  async function throwsValue() { throw 5; }
  async function awaits() { log.push("awaits runs"); await null; log.push("awaits resumed"); return 6; }
  async function awaitsThrows() { await undefined; throw new Error("after await"); }
  async function finallyReturn() { try { return 7; } finally { log.push("finally ran"); } }
  async function catches() { try { throw new Error("x"); } catch { return 8; } }
  async function nested() { const p = value(); log.push(`nested got ${p instanceof Promise}`); return p; }
  const o = { k: 10, async method(a, b) { return this.k + a + b + arguments.length; } };
  const arrow = async (x = 1, ...rest) => x + rest.length;

  Promise.resolve().then(() => log.push("tick 1")).then(() => log.push("tick 2")).then(() => log.push("tick 3")).then(() => log.push("tick 4")).then(() => log.push("tick 5"));
  const started = {
    value: value(), nothing: nothing(), promise: promise(), rejected: rejected(), thenable: thenable(),
    thenableThrows: thenableThrows(), getterThen: getterThen(), getterThrows: getterThrows(), throws: throws(),
    throwsValue: throwsValue(), awaits: awaits(), awaitsThrows: awaitsThrows(), finallyReturn: finallyReturn(),
    catches: catches(), nested: nested(), method: o.method(1, 2), arrow: arrow(2, 3, 4),
  };
  log.push("all started");
  for (const [name, p] of Object.entries(started)) settle(name, p);

  const inner = Promise.resolve(9);
  async function returnsInner() { return inner; }
  const outer = returnsInner();
  log.push(`a new promise: ${outer !== inner && outer instanceof Promise}`);
  log.push(`prototype: ${Object.getPrototypeOf(value()) === Promise.prototype}`);
  let last = Promise.resolve();
  for (let i = 0; i < 12; i++) last = last.then(() => {});
  await last;
  log.push(`await of an async result: ${await value()} ${await awaits()}`);
  return log.join("\n");
}
