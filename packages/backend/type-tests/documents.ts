// Documents: `{ data, error }` unions, `T` flowing to snapshots, the query builder and batches.
import {
  Documents,
  type DocumentRef,
  type DocumentSnapshot,
  type PalbaseResult,
  type ServiceError,
  type WriteBatch,
} from "@palbase/backend";
import type { Equal, Expect } from "./helpers.js";

interface Room {
  name: string;
  active: boolean;
  tags?: string[];
}

async function documents() {
  const rooms = Documents.collection<Room>("rooms");

  // add: data is non-null exactly when error is null.
  const added = await rooms.add({ name: "Lobby", active: true });
  if (added.error === null) {
    type _ref = Expect<Equal<typeof added.data, DocumentRef>>;
    added.data.id.toUpperCase();
  } else {
    type _err = Expect<Equal<typeof added.error, ServiceError>>;
    type _nul = Expect<Equal<typeof added.data, null>>;
  }
  // @ts-expect-error: data may be null until error is checked
  added.data.id;
  // @ts-expect-error: typed collection: name is a string
  await rooms.add({ name: 1, active: true });
  // @ts-expect-error: a required field is missing
  await rooms.add({ name: "x" });

  // get: a typed snapshot, or null for a missing document.
  const got = await rooms.doc("abc").get();
  type _got = Expect<Equal<typeof got, PalbaseResult<DocumentSnapshot<Room> | null>>>;
  if (!got.error && got.data) {
    type _data = Expect<Equal<typeof got.data.data, Room>>;
    type _t = Expect<Equal<typeof got.data.createTime, string>>;
  }
  const untyped = await Documents.doc("rooms/abc").get();
  if (!untyped.error && untyped.data) {
    type _u = Expect<Equal<typeof untyped.data.data, Record<string, unknown>>>;
  }

  // set / update / delete.
  await rooms.doc("abc").set({ name: "A", active: false }, { merge: true });
  await rooms.doc("abc").update({ active: true });
  await rooms.doc("abc").update({ "meta.visits": 3 });
  const del = await rooms.doc("abc").delete();
  type _del = Expect<Equal<typeof del, PalbaseResult<null>>>;
  // @ts-expect-error: merge is a boolean
  await rooms.doc("abc").set({ name: "A", active: false }, { merge: "yes" });

  // Queries keep T; count is a number.
  const q = await rooms.where("active", "==", true).orderBy("name").limit(10).get();
  if (!q.error) {
    type _docs = Expect<Equal<typeof q.data, DocumentSnapshot<Room>[]>>;
    const last = q.data[q.data.length - 1];
    if (last) await rooms.orderBy("name").startAfter(last).limit(10).get();
  }
  await rooms.orderBy("name").startAt("A").endBefore("M").get();
  const n = await rooms.where("tags", "array-contains-any", ["a", "b"]).count();
  if (!n.error) {
    type _n = Expect<Equal<typeof n.data.count, number>>;
  }
  // @ts-expect-error: unknown operator
  rooms.where("name", "like", "a%");
  // @ts-expect-error: unknown direction
  rooms.orderBy("name", "descending");

  // Subcollections.
  const messages = rooms.doc("abc").collection<{ text: string }>("messages");
  await messages.add({ text: "hi" });
  await Documents.collection<{ text: string }>("rooms/abc/messages").add({ text: "yo" });
  // @ts-expect-error: typed subcollection
  await messages.add({ body: "hi" });

  // Batches.
  const b: WriteBatch = Documents.batch();
  b.set(rooms.doc("x"), { name: "X", active: true }).update(rooms.doc("y"), { active: false }).delete(rooms.doc("z"));
  const committed = await b.commit();
  type _c = Expect<Equal<typeof committed, PalbaseResult<null>>>;
  // @ts-expect-error: the batch checks data against the document's type
  b.set(rooms.doc("x"), { name: 1, active: true });
}

void documents;
