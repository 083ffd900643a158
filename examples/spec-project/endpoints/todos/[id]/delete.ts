// errors.md "HttpError (ad-hoc)", verbatim inside a handler. The second throw
// is unreachable, as in the spec (tsc reports that only as a suggestion).
import { defineEndpoint } from "@palbase/backend";
import { HttpError } from "@palbase/backend";

export default defineEndpoint({
method: "DELETE",
handler: async () => {
throw new HttpError(404, "todo_not_found", "No such todo");
// optional structured payload (4th arg) rides along under `data`:
throw new HttpError(423, "todo_locked", "Locked", { retryAfter: 30 });
},
});
