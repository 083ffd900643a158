// routing.md: `endpoints/posts/[id]/patch.ts` → `PATCH /posts/:id`
// (the spec names the file without code).
import { defineEndpoint, z, Database } from "@palbase/backend";

export default defineEndpoint({
method: "PATCH",
auth: true,
input: z.object({ title: z.string().min(1) }),
output: z.object({ id: z.string(), title: z.string() }),
errors: { notFound: { status: 404, code: "post_not_found", description: "No such post" } },
handler: async (req) => {
const id = req.params.id!;
if (!(await Database.findById("posts", id))) throw req.errors.notFound();
const post = await Database.update("posts", id, { title: req.input.title });
return { id: post.id as string, title: post.title as string };
},
});
