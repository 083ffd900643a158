// endpoints/posts/[id]/get.ts → GET /posts/:id
import { defineEndpoint, z, Database, HttpError } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
output: z.object({ id: z.string(), title: z.string() }),
handler: async (req) => {
const post = await Database.findById("posts", req.params.id!);
if (!post) throw new HttpError(404, "post_not_found", "No such post");
return { id: post.id as string, title: post.title as string };
},
});
