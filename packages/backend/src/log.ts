// The one logger behind `Log` (endpoints), middleware `ctx.log` and background `ctx.log`.
// A log call never fails the code that made it: data JSON cannot hold (BigInt, cycles,
// functions, symbols) is written in a readable form, and Errors keep their name, message and
// stack instead of becoming `{}`.

import { opSync } from "./host.js";
import type { Logger } from "./types.js";

type LogLevel = "debug" | "info" | "warn" | "error";

function errorJson(e: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: e.name, message: e.message, stack: e.stack ?? null };
  if ((e as { cause?: unknown }).cause !== undefined) out.cause = (e as { cause?: unknown }).cause;
  return out;
}

/** `data` made safe for JSON: BigInt → "12n", cycles → "[Circular]", functions → "[Function f]". */
export function logData(data: unknown): unknown {
  if (data === undefined || data === null || typeof data === "string" || typeof data === "number" || typeof data === "boolean") return data;
  // The objects on the path from the root, as written (`out`) and as given (`given`):
  // JSON.stringify calls the replacer depth-first with the holder as `this`.
  const out: unknown[] = [];
  const given: object[] = [];
  const replacer = function (this: unknown, _key: string, value: unknown): unknown {
    switch (typeof value) {
      case "bigint":
        return `${value}n`;
      case "function":
        return `[Function ${(value as { name?: string }).name || "anonymous"}]`;
      case "symbol":
        return value.toString();
      case "object": {
        if (value === null) return value;
        while (out.length > 0 && out[out.length - 1] !== this) {
          out.pop();
          given.pop();
        }
        if (given.includes(value)) return "[Circular]";
        const written = value instanceof Error ? errorJson(value) : value;
        out.push(written);
        given.push(value);
        return written;
      }
      default:
        return value;
    }
  };
  try {
    return JSON.parse(JSON.stringify(data, replacer) ?? "null");
  } catch {
    try {
      return String(data);
    } catch {
      return "[unprintable]";
    }
  }
}

function write(level: LogLevel, message: unknown, data: unknown, requestId: string | undefined): void {
  let text: string;
  try {
    text = typeof message === "string" ? message : String(message);
  } catch {
    text = "[unprintable message]";
  }
  try {
    const args: { level: string; message: string; data: unknown; requestId?: string } = { level, message: text, data: logData(data) };
    if (requestId !== undefined) args.requestId = requestId;
    opSync("log", args);
  } catch {
    // Outside the runtime, or the host refused the line: a log never throws.
  }
}

/** A logger whose lines carry `requestId` (the request or background run), or, without one,
 * the ids of the request the engine is running. */
export function makeLogger(requestId?: string): Logger {
  return {
    debug: (message, data) => write("debug", message, data, requestId),
    info: (message, data) => write("info", message, data, requestId),
    warn: (message, data) => write("warn", message, data, requestId),
    error: (message, data) => write("error", message, data, requestId),
  };
}
