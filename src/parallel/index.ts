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

export interface Task<A = unknown> {
  /** absolute path of a compiled module (use `__filename` of the module that exports `fn`) */
  module: string;
  fn: string;
  args: A;
}

export function defaultWorkers(): number {
  const env = Number(process.env.RANKSCOPE_WORKERS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(2, os.cpus().length));
}

export async function mapTasks<R>(tasks: Task[], opts: { workers?: number; onDone?: (index: number) => void } = {}): Promise<R[]> {
  const workers = Math.min(opts.workers ?? defaultWorkers(), tasks.length);
  const results: R[] = new Array(tasks.length);
  if (workers <= 1) {
    const threads = getThreads();
    setThreads(1);
    try {
      for (let i = 0; i < tasks.length; i++) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        results[i] = await require(tasks[i].module)[tasks[i].fn](tasks[i].args);
        opts.onDone?.(i);
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
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (failure || next >= tasks.length) return resolve();
              const id = next++;
              w.postMessage({ id, ...tasks[id] });
            };
            w.on("message", (m: { id: number; result?: R; error?: string }) => {
              if (m.error) {
                failure = new Error(`task ${m.id} (${tasks[m.id].fn}) failed in a worker: ${m.error}`);
                return reject(failure);
              }
              results[m.id] = m.result as R;
              opts.onDone?.(m.id);
              send();
            });
            w.on("error", reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
