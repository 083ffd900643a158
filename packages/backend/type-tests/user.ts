// `req.user` per the spec's auth table (endpoints.md "Auth").
import { defineEndpoint, type User } from "@palbase/backend";
import type { Equal, Expect } from "./helpers.js";

// omitted → User | null
defineEndpoint({
  method: "GET",
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
  },
});

// true → User
defineEndpoint({
  method: "GET",
  auth: true,
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User>>;
  },
});

// false → User | null
defineEndpoint({
  method: "GET",
  auth: false,
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
  },
});

// { required: true } → User
defineEndpoint({
  method: "GET",
  auth: { required: true },
  handler: async (req) => {
    type _ = Expect<Equal<typeof req.user, User>>;
    return req.user.id;
  },
});

// { required: false } → User | null
defineEndpoint({
  method: "GET",
  auth: { required: false },
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
    // @ts-expect-error: may be null
    req.user.id;
  },
});

// { role: "admin" } (object, no `required`) → User
defineEndpoint({
  method: "GET",
  auth: { role: "admin" },
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User>>;
  },
});

// { required: true, role } → User
defineEndpoint({
  method: "GET",
  auth: { required: true, role: "admin" },
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User>>;
  },
});

// { required: false, role } → User | null (explicitly public wins)
defineEndpoint({
  method: "GET",
  auth: { required: false, role: "admin" },
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
  },
});

// {} (neither key) is public, as at runtime → User | null
defineEndpoint({
  method: "GET",
  auth: {},
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
  },
});

// A value only known as `boolean` cannot prove authentication → User | null.
declare const flag: boolean;
defineEndpoint({
  method: "GET",
  auth: flag,
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
  },
});
defineEndpoint({
  method: "GET",
  auth: { required: flag },
  handler: (req) => {
    type _ = Expect<Equal<typeof req.user, User | null>>;
  },
});

// The auth config itself is checked.
defineEndpoint({
  method: "GET",
  // @ts-expect-error: `required` is a boolean
  auth: { required: "yes" },
  handler: () => {},
});
defineEndpoint({
  method: "GET",
  // @ts-expect-error: `role` is a string
  auth: { role: 1 },
  handler: () => {},
});
