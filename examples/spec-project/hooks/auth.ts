// hooks/auth.ts
import { auth } from "@palbase/backend";

export const onUserCreated = auth.onUserCreated(async (ctx, event) => {
ctx.log.info(`new user: ${event.user.email}`);
await ctx.db.insert("profiles", {
user_id: event.user.id,
email: event.user.email,
});
});

export const onSignIn = auth.onSignIn(async (ctx, event) => {
ctx.log.info(`sign in: ${event.user.email} via ${event.provider}`);
});
