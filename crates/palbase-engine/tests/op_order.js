// The order in which op promises that settle at once are seen, compared between the engine (an
// op behind the SDK) and Node (Promise.resolve / Promise.reject in its place):
// tests/async_semantics.rs. The
// host settles such a promise without resolving functions (third_party/rquickjs-sys/PATCH.md).
async function runOps(opValue) {
  const log = [];
  const tick = async () => {
    for (let i = 0; i < 6; i++) {
      log.push(`tick ${i}`);
      await null;
    }
  };
  const t = tick();
  const a = opValue("test.echo", { v: 1 });
  log.push(`a is a promise ${a instanceof Promise}`);
  a.then((v) => log.push(`a fulfilled ${JSON.stringify(v)}`));
  const b = opValue("test.fail", {});
  b.catch(() => log.push("b rejected"));
  const c = (async () => {
    const v = await opValue("test.echo", { v: 2 });
    log.push(`c got ${v.v}`);
    return v.v;
  })();
  c.then((v) => log.push(`c fulfilled ${v}`));
  const d = Promise.all([opValue("test.echo", { v: 3 }), Promise.resolve(4)]).then((r) => log.push(`d ${JSON.stringify(r)}`));
  const e = Promise.race([opValue("test.fail", {}), Promise.resolve(5)]).then((v) => log.push(`e ${v}`), () => log.push("e rejected"));
  log.push("sync end");
  await Promise.allSettled([t, a, b, c, d, e]);
  return log.join("\n") + "\n";
}
