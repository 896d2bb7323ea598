/**
 * A worker pool for independent runs (seeds, widths, learning rates). Each task names a compiled
 * module and an exported function taking plain data; results come back in task order. Every task
 * runs with one OpenBLAS thread, in a worker or (workers = 1) on the main thread, because the BLAS
 * thread count changes rounding (measured: ~1e-14 in Hessian eigenvalues); so a parallel sweep
 * returns bit for bit what a serial one does (every task carries its own seed).
 */
import { Worker } from "node:worker_threads";
import * as os from "node:os";
import * as path from "node:path";
import { getThreads, setThreads } from "../linalg";
import { onInterrupt, interrupted } from "../util/interrupt";
import { checkpointContext, restoreTask, saveTask, taskKey, sharedContext } from "./checkpoint";
import { envWorkers } from "../util/env";
import { queueInForce } from "../queue";
import { checkOptions, int, fn, bool, showValue } from "../util/options";

export { withCheckpoints, clearCheckpoints } from "./checkpoint";

export interface Task<A = unknown> {
  /** absolute path of a compiled module (use `__filename` of the module that exports `fn`) */
  module: string;
  fn: string;
  args: A;
}

export function defaultWorkers(): number {
  const env = envWorkers();
  if (env !== undefined) return env;
  return Math.max(1, Math.min(2, os.cpus().length));
}

/**
 * Runs the tasks (in a pool of `workers` threads, or on this thread when workers = 1) and returns
 * their results in task order. Inside `withCheckpoints` (as every study run through the framework
 * is), each finished task is checkpointed and tasks already checkpointed are restored, not rerun.
 * With `shared`, the tasks are kept in the study's shared folder after the run completes, so another
 * part of the study needing the very same task (module, function, arguments, compiled code) restores it.
 * While the pool is up, an interrupt (see `util/interrupt`) terminates its workers.
 */
export async function mapTasks<R>(
  tasks: Task[],
  opts: { workers?: number; onDone?: (index: number) => void; shared?: boolean } = {},
): Promise<R[]> {
  // before any work: workers NaN made a pool of no threads and returned every result undefined
  checkOptions("mapTasks", opts, { workers: int(1, 1024), onDone: fn, shared: bool });
  if (!Array.isArray(tasks))
    throw new Error(`mapTasks: tasks must be a list of { module, fn, args }; got ${showValue(tasks)}`);
  tasks.forEach((t, i) => {
    if (!t || typeof t !== "object" || typeof t.module !== "string" || typeof t.fn !== "string")
      throw new Error(
        `mapTasks: task ${i} must be { module: a compiled module's path, fn: the name of its export, args }; got ` +
          showValue(t),
      );
  });
  const results: R[] = new Array(tasks.length);
  const outer = checkpointContext();
  // shared tasks (e.g. training runs several figures use) are kept in the study's shared folder for good
  const ctx = outer && opts.shared ? (sharedContext(outer) ?? outer) : outer;
  // a forced rerun restores only the shared tasks it has itself computed
  const fresh = ctx !== outer ? outer?.shared?.fresh : undefined;
  const queue = queueInForce();
  const keys = ctx || queue ? tasks.map(taskKey) : [];
  const todo: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const hit = ctx && (!fresh || fresh.has(keys[i])) ? restoreTask<R>(ctx, keys[i]) : undefined;
    if (hit) {
      results[i] = hit.value;
      opts.onDone?.(i);
    } else todo.push(i);
  }
  if (ctx && todo.length < tasks.length && ctx === outer)
    ctx.log(`resuming: ${tasks.length - todo.length} of ${tasks.length} tasks restored from checkpoints in ${ctx.dir}`);
  const finish = (i: number, value: R) => {
    results[i] = value;
    if (ctx) {
      saveTask(ctx, keys[i], value);
      fresh?.add(keys[i]);
      if (ctx !== outer && ctx.disabled && outer) outer.disabled = ctx.disabled;
    }
    opts.onDone?.(i);
  };
  const workers = Math.min(opts.workers ?? defaultWorkers(), todo.length);
  if (todo.length === 0) return results;
  if (queue) {
    // a queue is in force (src/queue): the tasks become jobs, run by `rankscope worker` processes anywhere
    const { runOnQueue } = require("../queue/submit") as typeof import("../queue/submit");
    const say = (outer ?? ctx)?.log ?? ((s: string) => process.stderr.write(`rankscope: ${s}\n`));
    await runOnQueue<R>(queue.url, tasks, todo, keys, finish, say, queue.study);
    return results;
  }
  if (workers <= 1) {
    const threads = getThreads();
    setThreads(1);
    try {
      for (const i of todo) {
        // give a Ctrl-C handler its turn between tasks (the tasks themselves may be synchronous)
        await new Promise((r) => setImmediate(r));
        if (interrupted()) throw new Error("interrupted");

        finish(i, await require(tasks[i].module)[tasks[i].fn](tasks[i].args));
      }
    } finally {
      setThreads(threads);
    }
    return results;
  }
  const script = path.join(__dirname, "worker.js");
  let next = 0;
  let failure: Error | undefined;
  const pool = Array.from({ length: workers }, () => new Worker(script));
  const unregister = onInterrupt(() => Promise.all(pool.map((w) => w.terminate())).then(() => undefined));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (failure || next >= todo.length) return resolve();
              const id = todo[next++];
              w.postMessage({ id, ...tasks[id] });
            };
            w.on("message", (m: { id: number; result?: R; error?: string }) => {
              if (m.error) {
                failure = new Error(`task ${m.id} (${tasks[m.id].fn}) failed in a worker: ${m.error}`);
                return reject(failure);
              }
              finish(m.id, m.result as R);
              send();
            });
            w.on("error", reject);
            send();
          }),
      ),
    );
  } finally {
    unregister();
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
