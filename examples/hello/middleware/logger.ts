import { defineMiddleware } from "@palbase/backend";

export default defineMiddleware(async (ctx, next) => {
  ctx.log.info(`start ${ctx.requestId}`);
  await next();
  ctx.log.info(`done ${ctx.requestId}`);
});
