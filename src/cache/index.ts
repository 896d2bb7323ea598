/**
 * Content-addressed on-disk cache of experiment results. Key = sha256 of the experiment name, the
 * canonical JSON of its options and the package version. Each entry stores a checksum of its payload;
 * a truncated or corrupt entry is detected, reported and recomputed, never thrown at the caller.
 * Writes are atomic (temporary file + rename).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import { writeFileAtomic } from "../util/files";
import { envCacheDir } from "../util/env";
import { checkOptions, bool, str, fn as aFunction, showValue } from "../util/options";

const PLAIN_DATA =
  "numbers (NaN and ±Infinity included), strings, booleans, null, undefined, BigInts, arrays, plain objects, " +
  "Dates, Maps, Sets, RegExps, typed arrays and ArrayBuffers";

/**
 * A canonical text of a value that tells every two different values apart, for cache keys: plain JSON data encodes
 * exactly as JSON (object keys sorted), and what JSON would merge is written distinctly — `NaN`, `Infinity`,
 * `-Infinity`, `-0`, `undefined` in arrays, `12n`, `Date(ms)`, `Map{…}` and `Set{…}` (entries sorted by their
 * encoding), `RegExp(…)`, `Float32Array[…]`. Object keys whose value is undefined are left out (the same as absent).
 * Functions, symbols, class instances and cycles have no stable encoding and are refused with an error naming where
 * in the value they are (`where`, default "options").
 */
export function canonicalJson(v: unknown, where = "options"): string {
  const stack = new Set<object>();
  const enc = (v: unknown, at: string): string => {
    switch (typeof v) {
      case "undefined":
        return "undefined";
      case "boolean":
        return v ? "true" : "false";
      case "string":
        return JSON.stringify(v);
      case "bigint":
        return `${v}n`;
      case "number":
        if (Number.isNaN(v)) return "NaN";
        if (v === Infinity) return "Infinity";
        if (v === -Infinity) return "-Infinity";
        return Object.is(v, -0) ? "-0" : JSON.stringify(v);
      case "function":
      case "symbol":
        throw new Error(`${at} is a ${typeof v}, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`);
    }
    if (v === null) return "null";
    const o = v as object;
    if (stack.has(o)) throw new Error(`${at} refers back to itself (a cycle); pass data without cycles`);
    stack.add(o);
    try {
      if (Array.isArray(o)) return `[${Array.from(o, (x, i) => enc(x, `${at}[${i}]`)).join(",")}]`;
      if (o instanceof ArrayBuffer) return `ArrayBuffer[${Array.from(new Uint8Array(o)).join(",")}]`;
      if (ArrayBuffer.isView(o)) {
        if (o instanceof DataView)
          return `DataView[${Array.from(new Uint8Array(o.buffer, o.byteOffset, o.byteLength)).join(",")}]`;
        const arr = Array.from(o as unknown as ArrayLike<number | bigint>, (x, i) => enc(x, `${at}[${i}]`));
        return `${o.constructor.name}[${arr.join(",")}]`;
      }
      if (o instanceof Date) return `Date(${enc(o.getTime(), at)})`;
      if (o instanceof RegExp) return `RegExp(${JSON.stringify(o.source)},${JSON.stringify(o.flags)})`;
      if (o instanceof Map) {
        const entries = Array.from(o, ([k, x], i) => `${enc(k, `${at} key ${i}`)}=>${enc(x, `${at}.get(…${i})`)}`);
        return `Map{${entries.sort().join(",")}}`;
      }
      if (o instanceof Set)
        return `Set{${Array.from(o, (x, i) => enc(x, `${at} element ${i}`))
          .sort()
          .join(",")}}`;
      const proto = Object.getPrototypeOf(o);
      if (proto !== Object.prototype && proto !== null)
        throw new Error(
          `${at} is a ${proto?.constructor?.name ?? "class"} instance, which has no stable encoding for a cache key; ` +
            `pass ${PLAIN_DATA}`,
        );
      const r = o as Record<string, unknown>;
      return `{${Object.keys(r)
        .filter((k) => r[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${enc(r[k], `${at}.${k}`)}`)
        .join(",")}}`;
    } finally {
      stack.delete(o);
    }
  };
  return enc(v, where);
}

export function packageVersion(): string {
  for (const rel of ["../../package.json", "../../../package.json"]) {
    const f = path.resolve(__dirname, rel);
    if (fs.existsSync(f)) {
      const pkg = JSON.parse(fs.readFileSync(f, "utf8"));
      if (pkg.name === "rankscope") return pkg.version;
    }
  }
  return "0.0.0";
}

let codeHashMemo: string | undefined;
/**
 * sha256 of the compiled library (every .js file under this package's dist/src), so a result cached
 * before a change to the code is not served after it. Computed once per process (see `setCodeHash`).
 */
export function codeHash(): string {
  if (codeHashMemo !== undefined) return codeHashMemo;
  const root = path.resolve(__dirname, "..");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith(".js")) files.push(f);
    }
  };
  walk(root);
  const h = crypto.createHash("sha256");
  for (const f of files.sort()) h.update(path.relative(root, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  codeHashMemo = h.digest("hex").slice(0, 16);
  return codeHashMemo;
}

/**
 * Sets this process's code hash to `hash` (16 lower-case hex digits), as a change to the compiled code would; with no
 * argument, forgets the memo so the next `codeHash()` reads the compiled library again. For tests: every cache key
 * that depends on the code (study, part, shared task store, checkpoints) is built from `codeHash()`.
 * @internal
 */
export function setCodeHash(hash?: string): void {
  if (hash !== undefined && !/^[0-9a-f]{16}$/.test(hash))
    throw new Error(`setCodeHash: the hash must be 16 lower-case hex digits; got ${JSON.stringify(hash)}`);
  codeHashMemo = hash;
}

/**
 * The cache key of a study run: the hex sha256 of the name, the canonical JSON of its options (keys sorted, typed
 * arrays as
 * arrays) and the package version (default: this package's).
 */
export function cacheKey(name: string, options: unknown, version = packageVersion()): string {
  return crypto
    .createHash("sha256")
    .update(`${name}\n${canonicalJson(options)}\n${version}`)
    .digest("hex");
}

/** The cache folder: RANKSCOPE_CACHE_DIR when set, else `.rankscope-cache` in the current working directory. */
export function defaultCacheDir(): string {
  return envCacheDir() ?? path.join(process.cwd(), ".rankscope-cache");
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, key.slice(0, 2), `${key}.json`);
}

export type CacheRead<T> = { status: "hit"; value: T } | { status: "miss" } | { status: "corrupt"; reason: string };

/**
 * The entry of `key`: "hit" with its value, "miss", or "corrupt" with why (truncated, edited, or — with `shape` —
 * content of the wrong shape: `shape` returns what is wrong, or undefined when the value is usable). A corrupt entry is
 * for the caller to recompute and overwrite.
 */
export function readCache<T>(
  key: string,
  dir = defaultCacheDir(),
  shape?: (value: unknown) => string | undefined,
): CacheRead<T> {
  const file = entryPath(dir, key);
  if (!fs.existsSync(file)) return { status: "miss" };
  try {
    const text = fs.readFileSync(file, "utf8");
    const nl = text.indexOf("\n");
    if (nl < 0) return { status: "corrupt", reason: "no header line" };
    const header = JSON.parse(text.slice(0, nl));
    const payload = text.slice(nl + 1);
    const sum = crypto.createHash("sha256").update(payload).digest("hex");
    if (header.key !== key || header.sha256 !== sum)
      return { status: "corrupt", reason: "checksum mismatch (truncated or edited)" };
    const value = JSON.parse(payload) as T;
    const wrong = shape?.(value);
    if (wrong) return { status: "corrupt", reason: `content of the wrong shape: ${wrong}` };
    return { status: "hit", value };
  } catch (err) {
    return { status: "corrupt", reason: (err as Error).message };
  }
}

export function writeCache(key: string, value: unknown, dir = defaultCacheDir()): string {
  const payload = JSON.stringify(value);
  const sha256 = crypto.createHash("sha256").update(payload).digest("hex");
  const file = entryPath(dir, key);
  writeFileAtomic(file, `${JSON.stringify({ key, sha256, created: new Date().toISOString() })}\n${payload}`);
  return file;
}

export function cacheFile(key: string, dir = defaultCacheDir()): string {
  return entryPath(dir, key);
}

export interface CachedControls {
  /** recompute and overwrite the entry */
  force?: boolean;
  cacheDir?: string;
  /** called with a line when an entry is unreadable and recomputed, or cannot be written */
  log?: (s: string) => void;
}

/**
 * Your own computation, cached on disk like the studies: `await rs.cached("my-sweep", { widths }, () => …)`.
 * The key is the name, the options (canonical JSON), the text of `fn` (editing the function body
 * recomputes) and rankscope's version and code hash. Values are stored with V8's serialisation, so
 * numbers, strings, arrays, plain objects, Maps, Sets and typed arrays come back as they were; class
 * instances come back as plain objects (keep results plain data). A corrupt entry is reported and
 * recomputed; a write that fails is reported and the value returned.
 */
export async function cached<T>(
  name: string,
  options: object,
  fn: () => T | Promise<T>,
  controls: CachedControls = {},
): Promise<T> {
  if (typeof name !== "string" || !name.trim())
    throw new Error(`cached: name must be a non-empty string; got ${showValue(name)}`);
  if (options === null || typeof options !== "object")
    throw new Error(
      `cached: options must be an object (the inputs that identify the computation); got ${showValue(options)}`,
    );
  if (typeof fn !== "function")
    throw new Error("cached: the third argument must be the function that computes the value");
  checkOptions("cached", controls, { force: bool, cacheDir: str, log: aFunction });
  const log = controls.log ?? ((s: string) => process.stderr.write(`rankscope: ${s}\n`));
  const dir = controls.cacheDir ?? defaultCacheDir();
  // before any work: an option without a stable encoding is refused, naming where it is
  const encoded = canonicalJson(options, `cached("${name}"): options`);
  const key = crypto
    .createHash("sha256")
    .update(`cached\n${name}\n${encoded}\n${fn.toString()}\n${packageVersion()} ${codeHash()}`)
    .digest("hex");
  const file = path.join(dir, key.slice(0, 2), `${key}.v8`);
  if (!controls.force && fs.existsSync(file)) {
    try {
      const bytes = fs.readFileSync(file);
      const sum = bytes.subarray(0, 32);
      const body = bytes.subarray(32);
      if (!crypto.createHash("sha256").update(body).digest().equals(sum))
        throw new Error("checksum mismatch (truncated or edited)");
      return v8.deserialize(body) as T;
    } catch (err) {
      log(`cached("${name}"): entry ${key.slice(0, 12)}… is unreadable (${(err as Error).message}); recomputing`);
    }
  }
  const value = await fn();
  try {
    const body = v8.serialize(value);
    writeFileAtomic(file, Buffer.concat([crypto.createHash("sha256").update(body).digest(), body]));
  } catch (err) {
    log(`cached("${name}"): could not store the value (${(err as Error).message}); returning it uncached`);
  }
  return value;
}
