/**
 * Checkpoints of finished tasks, so an interrupted study resumes where it stopped. A study runs its
 * heavy work as `mapTasks` calls; inside `withCheckpoints(dir, …)` every task result is written to
 * `dir` as soon as it arrives (atomically, in V8's serialisation, which keeps typed arrays) and a
 * rerun restores the tasks already there instead of computing them again. The file name is a hash of
 * the task (module file name, function, arguments); the folder is per study run (its cache key, which
 * includes the options and a hash of the compiled code), so a checkpoint is only ever reused for the
 * very same computation. Tasks are seeded, so a restored result is the one a rerun would compute.
 * Every file carries a header (format tag, and the sha256 of the task key and the serialised value): a file that is
 * truncated, edited, copied from another task or not written by `saveTask` is reported and the task computed again
 * (and the file overwritten), never restored.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import { writeFileAtomic } from "../util/files";

export interface CheckpointContext {
  dir: string;
  /** tasks restored from disk and tasks written in this run */
  restored: number;
  saved: number;
  /** set after the first failed write: checkpoints are then skipped (the run itself goes on) */
  disabled?: string;
  log: (s: string) => void;
  /**
   * where tasks marked `shared` are kept for good (not cleared when the run completes), so another part
   * of the study that needs the same task (e.g. the same training run) restores it. In a forced rerun
   * `fresh` holds the keys computed during that rerun: only those are restored (each task is computed
   * once per forced study run, not once per part that needs it)
   */
  shared?: { dir: string; fresh?: Set<string> };
}

const store = new AsyncLocalStorage<CheckpointContext>();

/** Runs `fn` with task checkpoints in `dir` (no checkpoints when `dir` is undefined). */
export async function withCheckpoints<T>(
  dir: string | undefined,
  fn: () => Promise<T>,
  log: (s: string) => void = () => {},
  shared?: CheckpointContext["shared"],
): Promise<{ value: T; restored: number; saved: number }> {
  if (!dir) return { value: await fn(), restored: 0, saved: 0 };
  const ctx: CheckpointContext = { dir, restored: 0, saved: 0, log, shared };
  const value = await store.run(ctx, fn);
  return { value, restored: ctx.restored, saved: ctx.saved };
}

export function checkpointContext(): CheckpointContext | undefined {
  return store.getStore();
}

export function taskKey(task: { module: string; fn: string; args: unknown }): string {
  return crypto
    .createHash("sha256")
    .update(path.basename(task.module))
    .update("\0")
    .update(task.fn)
    .update("\0")
    .update(v8.serialize(task.args))
    .digest("hex")
    .slice(0, 32);
}

function fileOf(ctx: CheckpointContext, key: string): string {
  return path.join(ctx.dir, `${key}.v8`);
}

/** The context for a `shared` task: its files live in the shared folder. */
export function sharedContext(ctx: CheckpointContext): CheckpointContext | undefined {
  if (!ctx.shared) return undefined;
  return { ...ctx, dir: ctx.shared.dir };
}

/** The tag that opens every checkpoint file (format version 1). */
const MAGIC = Buffer.from("RSTASK1\n", "latin1");

function digest(key: string, body: Uint8Array): Buffer {
  return crypto.createHash("sha256").update(key).update("\0").update(body).digest();
}

/** A task's stored form: tag, sha256(key, body), body (V8 serialisation). */
export function encodeTask(key: string, value: unknown): Buffer {
  const body = v8.serialize(value);
  return Buffer.concat([MAGIC, digest(key, body), body]);
}

/** The value stored in `bytes` for `key`; throws saying what is wrong (not a task file, checksum, unreadable). */
export function decodeTask<R>(key: string, bytes: Buffer): R {
  if (bytes.length < MAGIC.length + 32 || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new Error("not a rankscope task file (no header)");
  const body = bytes.subarray(MAGIC.length + 32);
  if (!digest(key, body).equals(bytes.subarray(MAGIC.length, MAGIC.length + 32)))
    throw new Error("checksum mismatch (truncated, edited or another task's file)");
  return v8.deserialize(body) as R;
}

/** The stored result of a task, or undefined (missing or unreadable: then it is computed again). */
export function restoreTask<R>(ctx: CheckpointContext, key: string): { value: R } | undefined {
  const file = fileOf(ctx, key);
  if (!fs.existsSync(file)) return undefined;
  try {
    const value = decodeTask<R>(key, fs.readFileSync(file));
    ctx.restored++;
    return { value };
  } catch (err) {
    ctx.log(`checkpoint ${file} is unreadable (${(err as Error).message}); computing the task again`);
    return undefined;
  }
}

export function saveTask(ctx: CheckpointContext, key: string, value: unknown): void {
  if (ctx.disabled) return;
  try {
    writeFileAtomic(fileOf(ctx, key), encodeTask(key, value));
    ctx.saved++;
  } catch (err) {
    ctx.disabled = (err as Error).message;
    ctx.log(`checkpoints off for this run: could not write under ${ctx.dir} (${ctx.disabled}); the run goes on`);
  }
}

/** Removes a run's checkpoints (after its result is complete). */
export function clearCheckpoints(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    /* the cache folder is unusable (already reported when writing): nothing was checkpointed there */
  }
}
