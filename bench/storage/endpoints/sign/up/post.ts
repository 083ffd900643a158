import { defineEndpoint, z, Storage } from "@palbase/backend";
// `up`: a signed upload URL for `path` (removing an old object first); else a signed download URL.
export default defineEndpoint({
  method: "POST",
  input: z.object({ path: z.string(), up: z.boolean() }),
  handler: async (req) => {
    const b = Storage.bucket("files");
    if (!req.input.up) return { url: (await b.createSignedUrl(req.input.path, 3600)).data?.signedUrl };
    await b.remove([req.input.path]);
    return { url: (await b.createSignedUploadUrl(req.input.path)).data?.signedUrl };
  },
});
