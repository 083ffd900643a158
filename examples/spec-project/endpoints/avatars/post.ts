// services.md "Storage", verbatim inside a handler; `file` (the snippet's free
// variable) is the uploaded file's bytes.
import { defineEndpoint, HttpError } from "@palbase/backend";
import { Storage } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
handler: async (req) => {
if (!req.file) throw new HttpError(400, "file_required", "Upload a file");
const file = req.file.bytes;
const bucket = Storage.bucket("avatars");
const { data, error } = await bucket.upload("u/42.png", file);
const { data: signed } = await bucket.createSignedUrl("u/42.png", 3600);
const pub = bucket.getPublicUrl("u/42.png"); // sync, no network
await bucket.remove(["u/42.png"]);
if (error) throw new HttpError(error.status, error.code, error.message);
return { path: data.path, signed: signed?.signedUrl ?? null, public: pub.data?.publicUrl ?? null };
},
});
