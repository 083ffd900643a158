// services.md "Documents", verbatim inside a handler.
import { defineEndpoint } from "@palbase/backend";
import { Documents } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
handler: async () => {
const col = Documents.collection("rooms");
const { data: ref } = await col.add({ name: "Lobby" });
const snap = await col.where("active", "==", true).orderBy("name").limit(10).get();
const { data: doc } = await Documents.doc("rooms/abc").get();
return { ref, rooms: snap.data, doc };
},
});
