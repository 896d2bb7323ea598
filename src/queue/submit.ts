/**
 * Submitting a study's tasks to the queue (from `mapTasks` when a queue is in force) and collecting their results:
 * each task not already in the task store becomes one job (id: code hash + task key, so asking twice makes one job),
 * and each result, read back from Redis and checked (the task-store format's checksum), is handed to `finish`, which
 * writes it into the task store as a local run would. Progress ticks as jobs finish on any machine.
 *
 * A job that failed earlier, or finished with its result gone, is submitted anew; a job waiting or running (from an
 * earlier call, or another submitter) is waited for. Ctrl-C leaves the jobs in the queue: the workers finish them and
 * the same call, run again, collects the results.
 */
import * as path from "node:path";
import { codeHash, packageVersion } from "../cache";
import { decodeTask } from "../parallel/checkpoint";
import { onInterrupt, interrupted } from "../util/interrupt";
import { QUEUE_NAME, keys, jobId, KEEP_SECONDS, connect, loadBullMQ, showUrl, QueueError } from "./index";
import { LIBRARY_ROOT, encodeArgs } from "./worker";

/** What a job carries: the task (module relative to the library's dist/src, function, V8 arguments) and its origin. */
export interface JobData {
  module: string;
  fn: string;
  /** base64 of the V8 serialisation of the arguments */
  args: string;
  /** the task key (parallel/checkpoint.ts taskKey) */
  key: string;
  codeHash: string;
  version: string;
  study?: string;
}

export interface QueuedTask {
  module: string;
  fn: string;
  args: unknown;
}

/** The path of a task's module relative to the library root, or undefined when it is not the library's own. */
export function libraryModule(module: string): string | undefined {
  const rel = path.relative(LIBRARY_ROOT, module);
  return rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel;
}

/**
 * Runs tasks `todo` (indices into `tasks`, whose task keys are `taskKeys`) on the queue at `url`; calls
 * `finish(i, value)` for each result as it arrives, and `log` for what the workers report (refusals).
 */
export async function runOnQueue<R>(
  url: string,
  tasks: QueuedTask[],
  todo: number[],
  taskKeys: string[],
  finish: (i: number, value: R) => void,
  log: (s: string) => void,
  study?: string,
): Promise<void> {
  const { Queue, QueueEvents } = loadBullMQ();
  const hash = codeHash();
  const redis = connect(url);
  redis.on("error", () => {}); // reconnects by itself (a Redis restart); commands wait meanwhile
  const queue = new Queue(QUEUE_NAME, { connection: redis });
  queue.on("error", () => {});
  const eventsRedis = connect(url);
  eventsRedis.on("error", () => {});
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsRedis });
  events.on("error", () => {});
  const pending = new Map<string, number>(); // job id → task index
  let failure: Error | undefined;
  let wake: () => void = () => {};
  const closeAll = async () => {
    await Promise.allSettled([events.close(), queue.close()]);
    // BullMQ leaves the connections it was given open
    redis.disconnect();
    eventsRedis.disconnect();
  };
  const unregister = onInterrupt(closeAll);
  try {
    await events.waitUntilReady();
    const jobs: { name: string; data: JobData; opts: Record<string, unknown> }[] = [];
    for (const i of todo) {
      const t = tasks[i];
      const rel = libraryModule(t.module);
      if (!rel)
        throw new QueueError(
          `task ${i} (${t.fn}) is in ${t.module}, outside rankscope's library: only the library's own tasks go to ` +
            `the queue (the workers run rankscope's code); run it without a queue`,
        );
      const id = jobId(hash, taskKeys[i]);
      pending.set(id, i);
      const old = await queue.getJob(id);
      if (old) {
        const state = await old.getState();
        const gone = state === "completed" && !(await redis.exists(keys.result(hash, taskKeys[i])));
        if (state !== "failed" && !gone) continue; // waiting, running or done: collect it
        await old.remove();
      }
      jobs.push({
        name: t.fn,
        data: {
          module: rel,
          fn: t.fn,
          args: encodeArgs(t.args),
          key: taskKeys[i],
          codeHash: hash,
          version: packageVersion(),
          study,
        },
        opts: {
          jobId: id,
          attempts: 1,
          removeOnComplete: { age: KEEP_SECONDS },
          removeOnFail: { age: KEEP_SECONDS },
        },
      });
    }
    if (jobs.length) await queue.addBulk(jobs);
    log(
      `${todo.length} task(s) on the queue ${showUrl(url)}` +
        (jobs.length < todo.length ? ` (${todo.length - jobs.length} already there)` : "") +
        `; waiting for workers (rankscope worker --queue ${showUrl(url)})`,
    );
    const collect = async (id: string) => {
      const i = pending.get(id);
      if (i === undefined) return;
      const bytes = await redis.getBuffer(keys.result(hash, taskKeys[i]));
      if (!bytes || !pending.has(id)) return;
      pending.delete(id);
      finish(i, decodeTask<R>(taskKeys[i], bytes));
      wake();
    };
    const fail = (id: string, reason: string) => {
      const i = pending.get(id);
      if (i === undefined) return;
      failure ??= new Error(`task ${i} (${tasks[i].fn}) failed on a queue worker: ${reason}`);
      wake();
    };
    events.on("completed", ({ jobId: id }) => {
      collect(id).catch(() => {});
    });
    events.on("failed", ({ jobId: id, failedReason }) => fail(id, failedReason));
    // the events are a fast path; this sweep catches what they missed (a Redis restart, a reconnect)
    let refusals = await redis.llen(keys.refused(hash));
    const sweep = async () => {
      const ids = [...pending.keys()];
      const found = await redis.exists(...ids.map((id) => keys.result(hash, taskKeys[pending.get(id)!])));
      if (found) for (const id of ids) await collect(id);
      for (const id of [...pending.keys()]) {
        const job = await queue.getJob(id);
        if (job && (await job.getState()) === "failed") fail(id, job.failedReason);
      }
      const said = await redis.lrange(keys.refused(hash), refusals, -1);
      refusals += said.length;
      for (const s of said) log(`worker ${s}`);
    };
    while (pending.size && !failure && !interrupted()) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 2000);
      });
      if (pending.size && !failure) await sweep().catch(() => {});
    }
    if (failure) throw failure;
  } finally {
    unregister();
    await closeAll();
  }
}

/** A task that does nothing (returns its argument): bench/queue.ts times the queue's own overhead with it. */
export function emptyTask(x: unknown): unknown {
  return x;
}
