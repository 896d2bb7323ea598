/**
 * A queue worker's task thread: runs one job's task (`require(module)[fn](args)`) with one OpenBLAS thread, as the
 * local worker pool does (so results are the same bits), with the job's checkpoints (parallel/resume.ts): the ones
 * saved by an earlier attempt come in with the task, new ones go out as messages for the worker to store in Redis.
 * The worker's event loop stays free meanwhile (BullMQ renews the job's lock from it).
 *
 * In: { module, fn, args (V8), key, snapshots: [index, bytes][], everyMs, stop (SharedArrayBuffer, 1 = stop) }.
 * Out: { type: "state", index, bytes }, { type: "resumed", index, step }, then one of { type: "done", bytes }
 * (the result in the task-store format), { type: "stopped", step } or { type: "error", message }.
 */
import { parentPort } from "node:worker_threads";
import * as v8 from "node:v8";
import { setThreads } from "../linalg";
import { encodeTask, decodeTask } from "../parallel/checkpoint";
import { withTaskProgress, LoopSnapshot, TaskStopped } from "../parallel/resume";

export interface ThreadTask {
  module: string;
  fn: string;
  args: Uint8Array;
  key: string;
  snapshots: [number, Uint8Array][];
  everyMs: number;
  stop: SharedArrayBuffer;
}

/** The key a checkpoint of schedule `index` of task `key` is sealed with (its checksum covers both). */
export const stateKey = (key: string, index: number) => `${key}#${index}`;

setThreads(1);
parentPort!.on("message", async (t: ThreadTask) => {
  const post = (m: object) => parentPort!.postMessage(m);
  const stop = new Int32Array(t.stop);
  const saved = new Map<number, LoopSnapshot>();
  for (const [index, bytes] of t.snapshots) {
    try {
      saved.set(index, decodeTask<LoopSnapshot>(stateKey(t.key, index), Buffer.from(bytes)));
    } catch (err) {
      post({ type: "log", text: `checkpoint ${index} of the task is unreadable (${(err as Error).message}); unused` });
    }
  }
  try {
    const mod = require(t.module);
    if (typeof mod[t.fn] !== "function") throw new Error(`${t.module} has no function ${t.fn}`);
    const args = v8.deserialize(Buffer.from(t.args));
    const result = await withTaskProgress(
      {
        restore: (i) => saved.get(i),
        save: (i, s) => post({ type: "state", index: i, bytes: encodeTask(stateKey(t.key, i), s) }),
        everyMs: t.everyMs,
        stopRequested: () => Atomics.load(stop, 0) === 1,
        resumed: (index, step) => post({ type: "resumed", index, step }),
      },
      () => mod[t.fn](args),
    );
    post({ type: "done", bytes: encodeTask(t.key, result) });
  } catch (err) {
    if (err instanceof TaskStopped) post({ type: "stopped", step: err.step });
    else post({ type: "error", message: (err as Error).stack ?? String(err) });
  }
});
