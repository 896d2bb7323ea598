/** Minimal flag parsing for the command line: --key value, --flag, with clear errors. */
export type Flags = Record<string, string | boolean>;

export function parseFlags(argv: string[], known: string[]): Flags {
  const out: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}" (options start with --)`);
    const key = a.slice(2);
    if (!known.includes(key)) throw new Error(`unknown option --${key}; allowed: ${known.map((k) => "--" + k).join(", ")}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) out[key] = true;
    else {
      out[key] = next;
      i++;
    }
  }
  return out;
}

export function intList(flags: Flags, key: string, fallback: number[]): number[] {
  const v = flags[key];
  if (v === undefined) return fallback;
  const list = String(v).split(",").map((s) => Number(s.trim()));
  if (!list.length || list.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`--${key} must be a comma-separated list of positive integers, got "${v}"`);
  return list;
}

export function int(flags: Flags, key: string, fallback: number): number {
  const v = flags[key];
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isInteger(x)) throw new Error(`--${key} must be an integer, got "${v}"`);
  return x;
}

export function choice<T extends string>(flags: Flags, key: string, allowed: readonly T[], fallback: T): T {
  const v = flags[key];
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T)) throw new Error(`--${key} must be one of ${allowed.join(", ")}; got "${v}"`);
  return v as T;
}
