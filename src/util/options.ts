/**
 * Checking the options object of a public function: unknown keys (typos) and wrong types are errors
 * that name the function, the option and what it accepts, raised before any work.
 *
 *   checkOptions("topEigenvalues", opts, { steps: int(1), seed: int(), which: oneOf(["largest", "magnitude"]) });
 */

export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptionError";
  }
}

/** A rule returns undefined when the value is allowed, else what is allowed ("an integer ≥ 1"). */
export type OptionRule = (value: unknown) => string | undefined;

const range = (min: number, max: number) => (max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`);

export const int =
  (min = -Number.MAX_SAFE_INTEGER, max = Infinity): OptionRule =>
  (v) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : min === -Number.MAX_SAFE_INTEGER
        ? "an integer"
        : `an integer ${range(min, max)}`;

/** A seed of rankscope's 32-bit generator (`Rng`): an integer in [0, 2³² − 1]. */
export const seed32: OptionRule = (v) =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 2 ** 32 ? undefined : "an integer in [0, 2³² − 1]";

export const num =
  (min = -Infinity, max = Infinity, opts: { exclusiveMin?: boolean; exclusiveMax?: boolean } = {}): OptionRule =>
  (v) =>
    typeof v === "number" &&
    Number.isFinite(v) &&
    (opts.exclusiveMin ? v > min : v >= min) &&
    (opts.exclusiveMax ? v < max : v <= max)
      ? undefined
      : min === -Infinity && max === Infinity
        ? "a finite number"
        : opts.exclusiveMax
          ? `a finite number in ${opts.exclusiveMin ? "(" : "["}${min}, ${max})`
          : opts.exclusiveMin
            ? max === Infinity
              ? `a finite number > ${min}`
              : `a finite number in (${min}, ${max}]`
            : `a finite number ${range(min, max)}`;

export const bool: OptionRule = (v) => (typeof v === "boolean" ? undefined : "true or false");
export const str: OptionRule = (v) => (typeof v === "string" && v.length > 0 ? undefined : "a non-empty string");
export const fn: OptionRule = (v) => (typeof v === "function" ? undefined : "a function");

export const oneOf =
  (allowed: readonly unknown[]): OptionRule =>
  (v) =>
    allowed.includes(v) ? undefined : `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;

/**
 * A list whose every item passes `item`: "a non-empty list (each item an integer ≥ 1)", "a list of at least 2 items
 * without repeats (each item one of …)".
 */
export const listOf =
  (item: OptionRule, opts: { minLength?: number; distinct?: boolean } = {}): OptionRule =>
  (v) => {
    const n = opts.minLength ?? 0;
    const each = item(Symbol());
    const what =
      (n === 0 ? "a list" : n === 1 ? "a non-empty list" : `a list of at least ${n} items`) +
      (opts.distinct ? " without repeats" : "") +
      (each === undefined ? "" : ` (each item ${each})`);
    if (!Array.isArray(v) || v.length < n) return what;
    if (opts.distinct && new Set(v).size !== v.length) return what;
    return v.every((x) => item(x) === undefined) ? undefined : what;
  };

/** Any value that passes one of the rules. */
export const either =
  (...rules: OptionRule[]): OptionRule =>
  (v) =>
    rules.some((r) => r(v) === undefined) ? undefined : rules.map((r) => r(Symbol())).join(" or ");

export const anything: OptionRule = () => undefined;

/** A value as an error message shows it: NaN, ±Infinity, undefined, BigInts and functions as themselves (JSON says null). */
export function showValue(v: unknown): string {
  return show(v);
}

function show(v: unknown): string {
  if (typeof v === "bigint") return `${v}n`;
  if (v === undefined) return "undefined";
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return String(v);
  if (typeof v === "number" && !Number.isFinite(v)) return String(v); // NaN, Infinity (JSON would say null)
  try {
    // NaN and ±Infinity inside lists and objects too
    const s = JSON.stringify(v, (_k, x) =>
      typeof x === "number" && !Number.isFinite(x) ? `§${x}§` : typeof x === "bigint" ? `§${x}n§` : x,
    )?.replace(/"§(.*?)§"/g, "$1");
    return s === undefined ? String(v) : s.length > 80 ? s.slice(0, 77) + "…" : s;
  } catch {
    return String(v);
  }
}

/**
 * Throws an OptionError for an options argument that is not an object, an unknown key, or a value
 * (other than undefined) that its rule refuses.
 */
export function checkOptions(where: string, opts: unknown, rules: Record<string, OptionRule>): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts))
    throw new OptionError(`${where}: options must be an object; got ${show(opts)}`);
  const allowed = Object.keys(rules);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k))
      throw new OptionError(`${where}: unknown option "${k}"; allowed: ${allowed.join(", ") || "none"}`);
  }
  for (const k of allowed) {
    const v = (opts as Record<string, unknown>)[k];
    if (v !== undefined) checkOption(where, k, v, rules[k]);
  }
}

/**
 * Throws an OptionError naming the option and what its rule allows unless `value` passes the rule (for a bound that
 * depends on another option: `checkOption(study, "collide", o.collide, int(2, o.k))`).
 */
export function checkOption(where: string, name: string, value: unknown, rule: OptionRule): void {
  const want = rule(value);
  if (want !== undefined) throw new OptionError(`${where}: option ${name} must be ${want}; got ${show(value)}`);
}

/**
 * Throws an OptionError when an options object that has required keys is missing or lacks one of
 * them (checkOptions skips undefined values). Call after checkOptions; `rules[key]` describes the key.
 */
export function requireOptions(
  where: string,
  opts: unknown,
  rules: Record<string, OptionRule>,
  required: readonly string[],
): void {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts))
    throw new OptionError(`${where}: options must be an object with ${required.join(", ")}; got ${show(opts)}`);
  for (const k of required) {
    if ((opts as Record<string, unknown>)[k] === undefined)
      throw new OptionError(`${where}: option ${k} is required (${rules[k]?.(Symbol()) ?? "a value"})`);
  }
}
