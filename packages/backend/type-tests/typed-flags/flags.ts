// With the project's flags declared (what `palbase types` writes from flags.toml), flag names
// and variants are checked.
import { Flags, type FlagName } from "@palbase/backend";
import type { Equal, Expect } from "../helpers.js";

declare module "@palbase/backend" {
  interface PalbaseFlags {
    "new-checkout": never;
    "button-color": "blue" | "green" | "red";
  }
}

async function typed(userId: string) {
  type _names = Expect<Equal<FlagName, "new-checkout" | "button-color">>;
  const { data: on } = await Flags.isEnabled("new-checkout", { userId });
  type _on = Expect<Equal<typeof on, boolean | null>>;
  // @ts-expect-error: not a flag of this project
  await Flags.isEnabled("new-chekout", { userId });
  const { data: color } = await Flags.getVariant("button-color", { userId });
  type _color = Expect<Equal<typeof color, "blue" | "green" | "red" | null>>;
  // A boolean flag has no variants.
  const { data: none } = await Flags.getVariant("new-checkout", { userId });
  type _none = Expect<Equal<typeof none, null>>;
  if (color === "blue") return;
  // @ts-expect-error: not a variant of button-color
  if (color === "purple") return;
}
void typed;
