import { defineEndpoint } from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => ({ hits: 1, name: "bench" }) });
