// Flags: feature flags defined in the project's flags.toml, evaluated in the
// host (no I/O per call). `Flags` in endpoints, `ctx.flags` in background code.

import { resultSync } from "./result.js";
import type { PalbaseResult } from "./types.js";

/**
 * The project's flags, by name, each with the union of its variants (`never`
 * for a boolean flag). `palbase types` fills this in from flags.toml, so a
 * misspelt name fails `tsc --strict`; while it is empty any string is a name.
 * A project may also declare it: `declare module "@palbase/backend" { interface PalbaseFlags { … } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by `palbase types`
export interface PalbaseFlags {}

/** A flag name: one of the project's flags once `palbase types` has run. */
export type FlagName = [keyof PalbaseFlags] extends [never] ? string : Extract<keyof PalbaseFlags, string>;

/** The variants of flag `N` (`string` when the flags are not typed). */
export type FlagVariant<N extends string> = [keyof PalbaseFlags] extends [never] ? string : N extends keyof PalbaseFlags ? PalbaseFlags[N] : never;

/** An attribute rules can test (`eq`, `in`, numeric and semver comparisons…). */
export type FlagAttribute = string | number | boolean | null | undefined;

/**
 * Who a flag is evaluated for: `userId` (what percentage rollouts and variants
 * hash) and any other attributes, e.g. `{ userId, role: "admin", country: "TR", appVersion: "2.3.0" }`.
 */
export interface FlagContext {
  userId?: string | number | null;
  [attribute: string]: FlagAttribute;
}

/** Why a flag answered what it did. */
export type FlagReason = "unknown" | "override" | "disabled" | "allow_list" | "rule" | "rollout" | "default";

/** A decision with its reason (`Flags.evaluate`). */
export interface FlagEvaluation<V extends string = string> {
  flag: string;
  enabled: boolean;
  variant: V | null;
  reason: FlagReason;
  /** The rule that matched, 1-based, when `reason` is `"rule"`. */
  rule?: number;
  /** The user's bucket in [0, 1) when a percentage was consulted (GrowthBook hash v2). */
  bucket?: number;
}

export interface FlagsApi {
  /** Whether the flag is on for `context`; an undefined flag is `false` (no error). */
  isEnabled(flag: FlagName, context?: FlagContext): Promise<PalbaseResult<boolean>>;
  /** The variant assigned to `context`; `null` when the flag is off or has no variants. */
  getVariant<N extends FlagName>(flag: N, context?: FlagContext): Promise<PalbaseResult<FlagVariant<N> | null>>;
  /** The decision and why: the reason, the matching rule, the bucket. */
  evaluate<N extends FlagName>(flag: N, context?: FlagContext): Promise<PalbaseResult<FlagEvaluation<FlagVariant<N>>>>;
}

const call = <T>(name: "flags.isEnabled" | "flags.getVariant" | "flags.evaluate", flag: string, context?: FlagContext) =>
  Promise.resolve(resultSync<T>(name, { flag, context: context ?? {} }));

export const Flags: FlagsApi = {
  isEnabled: (flag, context) => call("flags.isEnabled", flag, context),
  getVariant: (flag, context) => call("flags.getVariant", flag, context),
  evaluate: (flag, context) => call("flags.evaluate", flag, context),
};
