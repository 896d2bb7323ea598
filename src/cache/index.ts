/**
 * Content-addressed on-disk cache of experiment results. Key = sha256 of the experiment name, the
 * canonical JSON of its options and the package version. Each entry stores a checksum of its payload;
 * a truncated or corrupt entry is detected, reported and recomputed, never thrown at the caller.
 * Writes are atomic (temporary file + rename).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic, assertWritablePlace } from "../util/files";

export function canonicalJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return canonicalJson(Array.from(v as unknown as ArrayLike<number>));
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
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
 * before a change to the code is not served after it. Computed once per process.
 */
export function codeHash(): string {
  if (codeHashMemo) return codeHashMemo;
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

export function cacheKey(name: string, options: unknown, version = packageVersion()): string {
  return crypto.createHash("sha256").update(`${name}\n${canonicalJson(options)}\n${version}`).digest("hex");
}

export function defaultCacheDir(): string {
  const env = process.env.RANKSCOPE_CACHE_DIR;
  if (env !== undefined) {
    if (!env.trim()) throw new Error("RANKSCOPE_CACHE_DIR is set but empty; unset it or give a folder");
    assertWritablePlace(env, "RANKSCOPE_CACHE_DIR");
    return env;
  }
  return path.join(process.cwd(), ".rankscope-cache");
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
    if (header.key !== key || header.sha256 !== sum) return { status: "corrupt", reason: "checksum mismatch (truncated or edited)" };
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
