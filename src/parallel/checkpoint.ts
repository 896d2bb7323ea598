/**
 * Checkpoints of finished tasks, so an interrupted study resumes where it stopped. A study runs its
 * heavy work as `mapTasks` calls; inside `withCheckpoints(dir, …)` every task result is written to
 * `dir` as soon as it arrives (atomically, in V8's serialisation, which keeps typed arrays) and a
 * rerun restores the tasks already there instead of computing them again. The file name is a hash of
 * the task (module file name, function, arguments); the folder is per study run (its cache key, which
 * includes the options and a hash of the compiled code), so a checkpoint is only ever reused for the
 * very same computation. Tasks are seeded, so a restored result is the one a rerun would compute.
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

/** The stored result of a task, or undefined (missing or unreadable: then it is computed again). */
export function restoreTask<R>(ctx: CheckpointContext, key: string): { value: R } | undefined {
  const file = fileOf(ctx, key);
  if (!fs.existsSync(file)) return undefined;
  try {
    const value = v8.deserialize(fs.readFileSync(file)) as R;
    ctx.restored++;
    return { value };
  } catch (err) {
    ctx.log(`checkpoint ${path.basename(file)} is unreadable (${(err as Error).message}); computing the task again`);
    return undefined;
  }
}

export function saveTask(ctx: CheckpointContext, key: string, value: unknown): void {
  if (ctx.disabled) return;
  try {
    writeFileAtomic(fileOf(ctx, key), v8.serialize(value));
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
