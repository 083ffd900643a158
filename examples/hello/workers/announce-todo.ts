import { defineWorker } from "@palbase/backend";

export default defineWorker<{ id: string; title: string }>({
  name: "announce-todo",
  handler: async (ctx, todo) => {
    ctx.log.info(`new todo: ${todo.title}`, { id: todo.id });
  },
});
