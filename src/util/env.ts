/**
 * The environment variables rankscope reads, each validated where it is read: a value that is set but
 * not allowed is an error naming the variable and what it accepts (never a silent fallback).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { assertWritablePlace, outputPlaceProblem } from "./files";

/**
 * Every RANKSCOPE_* environment variable rankscope reads, with what it accepts and its default; any other RANKSCOPE_*
 * name is an error.
 */
export const ENV_VARS: Record<string, string> = {
  RANKSCOPE_WORKERS: "worker threads for studies' sweeps (integer ≥ 1; default min(2, cores))",
  RANKSCOPE_PROGRESS: "0 silences progress on the terminal, 1 shows it (default 1)",
  RANKSCOPE_LINALG: "lapack (the OpenBLAS/LAPACKE addon) or typescript (the fallback); default: lapack when it loads",
  RANKSCOPE_TF_BACKEND: "tensorflow, wasm or cpu (default: tensorflow when @tensorflow/tfjs-node loads, else wasm)",
  RANKSCOPE_CACHE_DIR: "folder of the result cache and checkpoints (default ./.rankscope-cache)",
  RANKSCOPE_MEMORY_GIB: "memory the command line may plan for, in GiB (positive number; default half the machine's)",
  RANKSCOPE_CHROMIUM: "Chromium binary for PNG/SVG/PDF export (default /usr/bin/chromium)",
  RANKSCOPE_FASHION_MNIST_DIR:
    "folder with the Fashion-MNIST IDX files (default Debian's /usr/share/datasets/fashion-mnist)",
  RANKSCOPE_QUEUE:
    "Redis URL redis://HOST:PORT of a job queue: study tasks run as jobs on `rankscope worker` processes (default: none)",
  RANKSCOPE_TORCH_REFERENCE: "bench only: path of torch_reference.py (default ../shared/bench/torch_reference.py)",
};

/**
 * Thrown for a RANKSCOPE_* environment variable with a value it does not accept, or an unknown RANKSCOPE_* name; the
 * message names the variable.
 */
export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

/** The variable's value among `allowed` (aliases map to their canonical value), or undefined when unset or empty. */
export function envChoice<T extends string>(
  name: string,
  allowed: readonly T[],
  aliases: Record<string, T> = {},
): T | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const v = raw.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  if (v in aliases) return aliases[v];
  throw new EnvError(
    `${name} must be one of ${[...allowed, ...Object.keys(aliases)].join(", ")}; got "${raw}" ` +
      `(unset it for the default)`,
  );
}

/** The variable as an integer in [min, max], or undefined when unset or empty. */
export function envInt(name: string, min: number, max = Infinity): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new EnvError(
      `${name} must be an integer in [${min}, ${max === Infinity ? "∞" : max}]; got "${raw}" ` +
        `(unset it for the default)`,
    );
  return v;
}

// ---- the readers: each variable is read and checked in one place (an empty value counts as unset) ----

export const LINALG_BACKENDS = ["lapack", "typescript"] as const;
export const TF_BACKENDS = ["tensorflow", "wasm", "cpu"] as const;

/** RANKSCOPE_WORKERS, or undefined. */
export const envWorkers = (): number | undefined => envInt("RANKSCOPE_WORKERS", 1, 1024);
/** RANKSCOPE_PROGRESS=0 silences the terminal's progress. */
export const envProgressOff = (): boolean => envChoice("RANKSCOPE_PROGRESS", ["0", "1"]) === "0";
/** RANKSCOPE_LINALG ("ts" and "fallback" mean typescript), or undefined. */
export const envLinalg = () =>
  envChoice("RANKSCOPE_LINALG", LINALG_BACKENDS, { ts: "typescript", fallback: "typescript" });
/** RANKSCOPE_TF_BACKEND, or undefined. */
export const envTfBackend = () => envChoice("RANKSCOPE_TF_BACKEND", TF_BACKENDS);

/** RANKSCOPE_MEMORY_GIB in bytes, or undefined. */
export function envMemoryBytes(): number | undefined {
  const raw = process.env.RANKSCOPE_MEMORY_GIB || undefined;
  if (raw === undefined) return undefined;
  const g = Number(raw);
  if (!(g > 0) || !Number.isFinite(g))
    throw new EnvError(`RANKSCOPE_MEMORY_GIB must be a positive number of GiB; got "${raw}"`);
  return g * 2 ** 30;
}

/** RANKSCOPE_CACHE_DIR (not blank, not under /proc, /sys, /dev), or undefined. */
export function envCacheDir(): string | undefined {
  const raw = process.env.RANKSCOPE_CACHE_DIR || undefined;
  if (raw === undefined) return undefined;
  if (!raw.trim()) throw new EnvError("RANKSCOPE_CACHE_DIR is blank; unset it or give a folder");
  try {
    assertWritablePlace(raw, "RANKSCOPE_CACHE_DIR");
  } catch (err) {
    // an EnvError like every other refused variable (the command line exited 1 for this one, 2 for the others)
    throw new EnvError((err as Error).message);
  }
  const where = outputPlaceProblem(raw, "folder");
  if (where) throw new EnvError(`RANKSCOPE_CACHE_DIR must be a folder (or a path where one can be created); ${where}`);
  return raw;
}

/** RANKSCOPE_CHROMIUM (an existing file), or undefined. */
export function envChromium(): string | undefined {
  const raw = process.env.RANKSCOPE_CHROMIUM || undefined;
  if (raw !== undefined && !fs.existsSync(raw))
    throw new EnvError(
      `RANKSCOPE_CHROMIUM must be the path of a Chromium binary; ${JSON.stringify(raw)} does not exist`,
    );
  return raw;
}

/** RANKSCOPE_FASHION_MNIST_DIR (a folder with the IDX files), or undefined. */
export function envFashionDir(): string | undefined {
  const raw = process.env.RANKSCOPE_FASHION_MNIST_DIR || undefined;
  if (
    raw !== undefined &&
    !["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].some((f) => fs.existsSync(path.join(raw, f)))
  ) {
    throw new EnvError(
      `RANKSCOPE_FASHION_MNIST_DIR must be a folder with the Fashion-MNIST IDX files ` +
        `(train-images-idx3-ubyte[.gz], …); none in ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

/** RANKSCOPE_QUEUE (a redis:// or rediss:// URL with a host), or undefined. */
export function envQueue(): string | undefined {
  const raw = process.env.RANKSCOPE_QUEUE || undefined;
  if (raw === undefined) return undefined;
  let ok = false;
  try {
    const u = new URL(raw);
    ok = ["redis:", "rediss:"].includes(u.protocol) && !!u.hostname;
  } catch {
    ok = false;
  }
  if (!ok) throw new EnvError(`RANKSCOPE_QUEUE must be a Redis URL, redis://HOST:PORT; got "${raw}"`);
  return raw;
}

/**
 * Validates every RANKSCOPE_* variable that is set (called before any heavy work: by each study run and
 * each command): unknown names (typos) and bad values are errors naming the variable.
 */
export function checkEnvironment(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("RANKSCOPE_") && !(name in ENV_VARS)) {
      throw new EnvError(`unknown environment variable ${name}; rankscope reads ${Object.keys(ENV_VARS).join(", ")}`);
    }
  }
  envWorkers();
  envProgressOff();
  envLinalg();
  envTfBackend();
  envMemoryBytes();
  envCacheDir();
  envChromium();
  envFashionDir();
  envQueue();
}
