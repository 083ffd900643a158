import { defineEndpoint, z, Flags } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
auth: { required: true }, // req.user is non-null here
output: z.object({ enabled: z.boolean() }),
handler: async (req) => {
const { data: enabled } = await Flags.isEnabled("new-checkout", { userId: req.user.id });
const { data: variant } = await Flags.getVariant("button-color", { userId: req.user.id });
return { enabled: enabled ?? false };
},
});
