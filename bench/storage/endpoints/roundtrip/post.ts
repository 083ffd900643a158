import { defineEndpoint, Storage } from "@palbase/backend";
// The multipart file through a handler: upload(req.file), then download() it back into JS.
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = Storage.bucket("files");
    const t0 = Date.now();
    const up = await b.upload("through-js.bin", req.file!, { upsert: true });
    const t1 = Date.now();
    const dl = await b.download("through-js.bin");
    const t2 = Date.now();
    return { size: up.data?.size, error: up.error ?? dl.error, uploadMs: t1 - t0, downloadMs: t2 - t1, downloaded: dl.data?.length };
  },
});
