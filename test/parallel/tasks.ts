/** Worker tasks for parallel-pool.test.ts, in a module of their own (a worker thread loads it, not the test file). */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMainThread } from "node:worker_threads";
import { getThreads } from "../../src/linalg";

export const tasksModule = __filename;

let calls = 0;
/** x², counting the calls made on this thread. */
export function square(x: number): number {
  calls++;
  return x * x;
}
export function squareCalls(): number {
  return calls;
}

/** Where the task ran: the main thread or a worker, and the BLAS thread count it ran with. */
export function where(): { main: boolean; threads: number } {
  return { main: isMainThread, threads: getThreads() };
}

/** Throws for x = 1. */
export function failsAtOne(x: number): number {
  if (x === 1) throw new Error(`no ${x}`);
  return x;
}

/** Never settles; an error thrown outside it (uncaught in the worker) ends the worker. */
export function failsOutside(): Promise<never> {
  setTimeout(() => {
    throw new Error("thrown outside the task");
  }, 10);
  return new Promise<never>(() => {});
}

/** Writes started-<i>, waits `ms`, writes finished-<i>. */
export async function marks(a: { dir: string; i: number; ms: number }): Promise<number> {
  fs.writeFileSync(path.join(a.dir, `started-${a.i}`), "");
  await new Promise((r) => setTimeout(r, a.ms));
  fs.writeFileSync(path.join(a.dir, `finished-${a.i}`), "");
  return a.i;
}
