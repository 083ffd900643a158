// Type-level assertion helpers. `Expect<Equal<A, B>>` fails to compile unless
// A and B are identical types (not merely mutually assignable).

export type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
export type Expect<T extends true> = T;
export type IsAny<T> = 0 extends 1 & T ? true : false;
export type Not<T extends boolean> = T extends true ? false : true;
