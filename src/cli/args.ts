/**
 * Command-line flags on node:util.parseArgs in strict mode: `--key value` and `--key=value`, booleans
 * take no value (`--bias 1` is an error, not "bias on"), a missing value, an unknown flag or a stray
 * argument is a UsageError naming the command and the flags it takes.
 */
import { parseArgs } from "node:util";

export type Flags = Record<string, string | boolean | undefined>;
export type FlagSpec = Record<string, "string" | "boolean">;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseFlags(command: string, argv: string[], spec: FlagSpec): Flags {
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const [k, t] of Object.entries(spec)) options[k] = { type: t };
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Flags;
  } catch (err) {
    const allowed = Object.entries(spec)
      .map(([k, t]) => (t === "string" ? `--${k} VALUE` : `--${k}`))
      .join(", ");
    throw new UsageError(
      `${command}: ${(err as Error).message.replace(/\. To specify .*$/s, "")}; it takes ${allowed}`,
    );
  }
}

export function intList(flags: Flags, key: string, fallback: number[], max = Number.MAX_SAFE_INTEGER): number[] {
  const v = flags[key];
  if (v === undefined) return fallback;
  const list = String(v)
    .split(",")
    .map((s) => Number(s.trim()));
  if (!list.length || list.some((x) => !Number.isInteger(x) || x < 1 || x > max))
    throw new UsageError(`--${key} must be a comma-separated list of integers in [1, ${max}], got "${v}"`);
  return list;
}

export function int(
  flags: Flags,
  key: string,
  fallback: number,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = flags[key];
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new UsageError(`--${key} must be an integer in [${min}, ${max}], got "${v}"`);
  return x;
}

export function choice<T extends string>(flags: Flags, key: string, allowed: readonly T[], fallback: T): T {
  const v = flags[key];
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T)) throw new UsageError(`--${key} must be one of ${allowed.join(", ")}; got "${v}"`);
  return v as T;
}
