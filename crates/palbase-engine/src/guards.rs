//! Caps on what one request (or job run) may leave running in its engine: live timers, and
//! `fetch` calls in flight. Without them a handler could flood its engine with `setInterval`s
//! that run on after its answer, slowing every other request of the thread, or open thousands
//! of connections at once.
//!
//! The globals are wrapped once per engine, before any project code loads. The owner of a timer
//! or fetch is the request JavaScript runs for (`State::current_request`). A request's
//! intervals are cleared when it ends; its one-shot timers run (they end by themselves).

use std::rc::Rc;

use rquickjs::{Ctx, Function, Persistent, prelude::Func};

use crate::State;

/// Live timers one request may own.
pub const TIMERS_PER_RUN: u32 = 1000;
/// Live timers in one engine.
pub const TIMERS_PER_ENGINE: u32 = 10_000;
/// `fetch` calls one request may have in flight.
pub const FETCHES_PER_RUN: u32 = 64;
/// `fetch` calls in flight in one engine.
pub const FETCHES_PER_ENGINE: u32 = 512;

const PRELUDE: &str = r#"(owner, PER_RUN, ALL, FETCH_RUN, FETCH_ALL) => {
  const g = globalThis;
  const sT = g.setTimeout, sI = g.setInterval, sIm = g.setImmediate, cT = g.clearTimeout, cI = g.clearInterval, f = g.fetch;
  let timers = 0, fetches = 0;
  const runs = new Map();
  const pending = new Map();
  const rec = (id) => { let r = runs.get(id); if (!r) runs.set(id, (r = { timers: 0, intervals: new Set(), fetches: 0 })); return r; };
  const tidy = (id, r) => { if (r.timers === 0 && r.fetches === 0 && r.intervals.size === 0) runs.delete(id); };
  const limit = (what, n) => new RangeError(`Too many ${what}: at most ${n} (a Palbase limit)`);
  const wrap = (create, repeating) => function (cb, delay, ...args) {
    if (typeof cb !== "function") throw new TypeError("The callback must be a function");
    const id = owner();
    const r = id === undefined ? undefined : rec(id);
    if (timers >= ALL) { if (r) tidy(id, r); throw limit("live timers in this engine", ALL); }
    if (r && r.timers >= PER_RUN) throw limit("live timers for one request", PER_RUN);
    timers++;
    if (r) r.timers++;
    let h;
    const done = () => { timers--; if (r) { r.timers--; r.intervals.delete(h); tidy(id, r); } };
    if (repeating) {
      h = create(() => cb(...args), delay);
      if (r) r.intervals.add(h);
    } else {
      h = create(() => { const d = pending.get(h); if (d) { pending.delete(h); d(); } cb(...args); }, delay);
    }
    pending.set(h, done);
    return h;
  };
  const clear = (h) => { const d = pending.get(h); if (d) { pending.delete(h); d(); } cT(h); };
  g.setTimeout = wrap(sT, false);
  g.setInterval = wrap(sI, true);
  if (sIm) g.setImmediate = wrap((cb) => sIm(cb), false);
  g.clearTimeout = clear;
  g.clearInterval = (h) => { const d = pending.get(h); if (d) { pending.delete(h); d(); } cI(h); };
  if (f) {
    g.fetch = function fetch(input, init) {
      const id = owner();
      const r = id === undefined ? undefined : rec(id);
      if (fetches >= FETCH_ALL) { if (r) tidy(id, r); return Promise.reject(limit("fetch calls in flight in this engine", FETCH_ALL)); }
      if (r && r.fetches >= FETCH_RUN) return Promise.reject(limit("fetch calls in flight for one request", FETCH_RUN));
      fetches++;
      if (r) r.fetches++;
      const done = () => { fetches--; if (r) { r.fetches--; tidy(id, r); } };
      let p;
      try { p = f(input, init); } catch (e) { done(); throw e; }
      return p.then((v) => { done(); return v; }, (e) => { done(); throw e; });
    };
  }
  // The request ended: its intervals stop.
  return (id) => {
    const r = runs.get(id);
    if (!r) return;
    for (const h of r.intervals) { const d = pending.get(h); if (d) { pending.delete(h); d(); } cI(h); }
    r.intervals.clear();
    tidy(id, r);
  };
}"#;

/// Wraps the timer and fetch globals; returns the function to call when a run that created
/// timers or fetches ends.
pub(crate) fn install<'js>(ctx: &Ctx<'js>, state: Rc<State>) -> rquickjs::Result<Persistent<Function<'static>>> {
    let make: Function = ctx.eval(PRELUDE)?;
    let st = state;
    let owner = Func::from(move || -> Option<String> {
        let id = st.current_request()?;
        st.owners.borrow_mut().insert(id.clone());
        Some(id.to_string())
    });
    let end: Function = make.call((owner, TIMERS_PER_RUN, TIMERS_PER_ENGINE, FETCHES_PER_RUN, FETCHES_PER_ENGINE))?;
    Ok(Persistent::save(ctx, end))
}
