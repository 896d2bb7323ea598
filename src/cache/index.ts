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
import { checkOptions, bool, str, fn as aFunction } from "../util/options";

export function canonicalJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return canonicalJson(Array.from(v as unknown as ArrayLike<number>));
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
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

export function readCache<T>(key: string, dir = defaultCacheDir()): CacheRead<T> {
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
    return { status: "hit", value: JSON.parse(payload) as T };
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
    throw new Error(`cached: name must be a non-empty string; got ${JSON.stringify(name)}`);
  if (options === null || typeof options !== "object")
    throw new Error(
      `cached: options must be an object (the inputs that identify the computation); got ${JSON.stringify(options)}`,
    );
  if (typeof fn !== "function")
    throw new Error("cached: the third argument must be the function that computes the value");
  checkOptions("cached", controls, { force: bool, cacheDir: str, log: aFunction });
  const log = controls.log ?? ((s: string) => process.stderr.write(`rankscope: ${s}\n`));
  const dir = controls.cacheDir ?? defaultCacheDir();
  const key = crypto
    .createHash("sha256")
    .update(`cached\n${name}\n${canonicalJson(options)}\n${fn.toString()}\n${packageVersion()} ${codeHash()}`)
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
