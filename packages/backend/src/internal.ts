// The two globals the Rust host installs before this bundle runs: the ops bridge and the
// completion callback. They are captured here, when the runtime loads (before any user module
// runs), and deleted from the global object, so handler code can neither call host ops around
// the SDK nor answer another client's request.

export interface Host {
  op(name: string, argsJson: string): Promise<string>;
  opSync(name: string, argsJson: string): string;
  /** `op` with the arguments and the result as values, rejecting with `toError(json)` (the Palbase runtime; tests may lack it). */
  opValue?(name: string, args: unknown, toError?: (raw: unknown) => unknown): Promise<unknown>;
  /** `opSync` with the arguments and the result as values. */
  opSyncValue?(name: string, args: unknown): unknown;
  /** `JSON.stringify(value)` written by the host, or `undefined` where it leaves that to JSON.stringify. */
  json?(value: unknown): string | undefined;
  /** An op that takes and/or answers bytes: resolves to `[json, ArrayBuffer | undefined]`. */
  opBytes(name: string, argsJson: string, bytes?: ArrayBuffer | Uint8Array): Promise<[string, ArrayBuffer | undefined]>;
}

export type Complete = (id: number, status: number, payload: string | undefined, isError: boolean) => void;

const g = globalThis as { __pb_host?: Host; __pb_complete?: Complete };

/** The ops bridge, or `undefined` outside the Palbase runtime (e.g. under Node for type tests). */
export const HOST: Host | undefined = g.__pb_host;

/** Reports a request's or a background run's outcome to the host. */
export const complete: Complete =
  g.__pb_complete ??
  (() => {
    throw new Error("@palbase/backend: not inside the Palbase runtime");
  });

delete g.__pb_host;
delete g.__pb_complete;
