// services.md "Notifications", verbatim inside a handler.
import { defineEndpoint } from "@palbase/backend";
import { Notifications } from "@palbase/backend";

export default defineEndpoint({
method: "POST",
handler: async () => {
await Notifications.email.send({ /* PalbaseEmailSendParams */ });
await Notifications.push.send({ /* PalbasePushSendParams */ });
await Notifications.sms.send({ /* PalbaseSmsSendParams */ });
},
});
