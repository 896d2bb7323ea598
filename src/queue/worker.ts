/**
 * `rankscope worker --queue redis://HOST:PORT [--concurrency N]`: takes study tasks from the queue and runs them, each
 * on a thread of its own with one OpenBLAS thread (the local pool's arithmetic, so the same bits), until stopped.
 *
 * - A job made by other code (another code hash: another checkout or build) is refused: put back for a worker of
 *   that code, with a message here and one the submitter prints.
 * - A long task checkpoints (parallel/resume.ts) into Redis every `checkpointSeconds`; a worker that dies leaves its
 *   job active until BullMQ's stalled-job check hands it to another worker, which resumes from the last checkpoint.
 * - SIGINT/SIGTERM: no new jobs; a running task checkpoints at its next step and is put back in the queue (a task
 *   that cannot checkpoint finishes), then the worker exits 0. A second signal exits at once (the job is then
 *   recovered as a stalled one).
 */
import * as os from "node:os";
import * as path from "node:path";
import * as v8 from "node:v8";
import { Worker as Thread } from "node:worker_threads";
import { codeHash } from "../cache";
import { QUEUE_NAME, keys, KEEP_SECONDS, connect, loadBullMQ, probeQueue, showUrl } from "./index";
import type { ThreadTask } from "./thread";
import type { JobData } from "./submit";

export interface WorkerOptions {
  url: string;
  /** jobs at once (each on its own thread); default 1 */
  concurrency?: number;
  /** seconds between a long task's checkpoints (default 60) */
  checkpointSeconds?: number;
  /**
   * milliseconds without a lock renewal after which a job counts as stalled and is handed to another worker
   * (BullMQ's lockDuration, default 30 000; the stalled check runs every half of it)
   */
  lockMs?: number;
  log?: (s: string) => void;
}

/** The compiled library's root (dist/src): job modules are named relative to it, so any checkout's copy resolves. */
export const LIBRARY_ROOT = path.resolve(__dirname, "..");

type Outcome =
  { type: "done"; bytes: Uint8Array } | { type: "stopped"; step: number } | { type: "error"; message: string };

/** Runs a worker until SIGINT/SIGTERM (then resolves with exit code 0). */
export async function runWorker(o: WorkerOptions): Promise<number> {
  const log = o.log ?? ((s: string) => process.stderr.write(`rankscope worker: ${s}\n`));
  const concurrency = o.concurrency ?? 1;
  const everyMs = (o.checkpointSeconds ?? 60) * 1000;
  const lockMs = o.lockMs ?? 30000;
  const warning = await probeQueue(o.url);
  if (warning) log(warning);
  const hash = codeHash();
  const { Worker, DelayedError, WaitingError } = loadBullMQ();
  const redis = connect(o.url);
  redis.on("error", () => {}); // ioredis reconnects; BullMQ reports what matters
  const name = `${os.hostname()}:${process.pid}`;
  const idle: Thread[] = [];
  const busy = new Set<{ thread: Thread; stop: Int32Array }>();
  let stopping = false;

  const runTask = (job: { id?: string; data: JobData }, snapshots: [number, Uint8Array][]) =>
    new Promise<{ outcome: Outcome; writes: Promise<unknown> }>((resolve, reject) => {
      const thread = idle.pop() ?? new Thread(path.join(__dirname, "thread.js"));
      const stop = new Int32Array(new SharedArrayBuffer(4));
      if (stopping) stop[0] = 1;
      const slot = { thread, stop };
      busy.add(slot);
      let writes: Promise<unknown> = Promise.resolve();
      const d = job.data;
      const onMessage = (m: { type: string; index?: number; step?: number; bytes?: Uint8Array; text?: string }) => {
        if (m.type === "state") {
          const b = Buffer.from(m.bytes!);
          writes = writes.then(() =>
            redis
              .multi()
              .hset(keys.state(hash, d.key), String(m.index), b)
              .expire(keys.state(hash, d.key), KEEP_SECONDS)
              .exec(),
          );
        } else if (m.type === "resumed")
          log(`job ${job.id} (${d.fn}): loop ${m.index} resumes from its checkpoint at step ${m.step}`);
        else if (m.type === "log") log(`job ${job.id}: ${m.text}`);
        else {
          thread.off("message", onMessage);
          thread.off("error", onError);
          busy.delete(slot);
          idle.push(thread);
          resolve({ outcome: m as Outcome, writes });
        }
      };
      const onError = (err: Error) => {
        busy.delete(slot);
        thread.off("message", onMessage);
        reject(err);
      };
      thread.on("message", onMessage);
      thread.on("error", onError);
      const task: ThreadTask = {
        module: path.join(LIBRARY_ROOT, d.module),
        fn: d.fn,
        args: Buffer.from(d.args, "base64"),
        key: d.key,
        snapshots,
        everyMs,
        stop: stop.buffer as SharedArrayBuffer,
      };
      thread.postMessage(task);
    });

  const refusedOnce = new Set<string>();
  const worker = new Worker(
    QUEUE_NAME,
    async (job, token) => {
      const d = job.data as JobData;
      if (d.codeHash !== hash) {
        const msg =
          `refused job ${job.id} (${d.study ?? "?"} ${d.fn}): it was made by code ${d.codeHash} ` +
          `(rankscope ${d.version}) and this worker runs code ${hash}; start workers from the submitter's checkout ` +
          `and build (the same commit, npm run build), or stop this one`;
        if (!refusedOnce.has(job.id!)) {
          refusedOnce.add(job.id!);
          log(msg);
          await redis
            .multi()
            .rpush(keys.refused(d.codeHash), `${name}: ${msg}`)
            .expire(keys.refused(d.codeHash), KEEP_SECONDS)
            .exec();
        }
        // back to the queue, for a worker of the submitter's code (not before a few seconds: no busy loop here)
        await job.moveToDelayed(Date.now() + 5000, token);
        throw new DelayedError();
      }
      if (stopping) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      // done already (its worker died after storing the result): nothing to compute again
      if (await redis.exists(keys.result(hash, d.key))) return { worker: name, seconds: 0, stored: true };
      const saved = await redis.hgetallBuffer(keys.state(hash, d.key));
      const snapshots = Object.entries(saved).map(([i, b]) => [Number(i), new Uint8Array(b)] as [number, Uint8Array]);
      const t0 = Date.now();
      log(`job ${job.id} (${d.study ?? "?"} ${d.fn}) started${snapshots.length ? " (has checkpoints)" : ""}`);
      const { outcome, writes } = await runTask(job as { id?: string; data: JobData }, snapshots);
      await writes;
      if (outcome.type === "error") throw new Error(outcome.message);
      if (outcome.type === "stopped") {
        log(`job ${job.id}: checkpointed at step ${outcome.step} and put back in the queue`);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      // the result first (the submitter reads it), then the checkpoints go
      await redis.set(keys.result(hash, d.key), Buffer.from(outcome.bytes), "EX", KEEP_SECONDS);
      await redis.del(keys.state(hash, d.key));
      const seconds = (Date.now() - t0) / 1000;
      log(`job ${job.id} done in ${seconds.toFixed(1)} s`);
      return { worker: name, seconds };
    },
    {
      connection: redis,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      // a job whose worker died is handed on, not failed (each hand-on resumes from a checkpoint)
      maxStalledCount: 100,
      autorun: false,
    },
  );
  worker.on("error", (err) => log(`queue: ${err.message}`));
  worker.on("failed", (job, err) => log(`job ${job?.id} failed: ${err.message.split("\n")[0]}`));

  const finished = new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(signal === "SIGINT" ? 130 : 143);
      stopping = true;
      log(
        `${signal}: stopping — no new jobs; a running task checkpoints and goes back to the queue ` +
          `(or finishes when it cannot checkpoint); a second ${signal} exits at once`,
      );
      for (const s of busy) Atomics.store(s.stop, 0, 1);
      worker
        .close()
        .catch((err) => log(`while stopping: ${(err as Error).message}`))
        .then(async () => {
          await Promise.all([...idle, ...[...busy].map((s) => s.thread)].map((t) => t.terminate()));
          await redis.quit().catch(() => redis.disconnect());
          log("stopped");
          resolve(0);
        });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  log(
    `${name} serves ${showUrl(o.url)} (queue ${QUEUE_NAME}, code ${hash}, ${concurrency} at once, ` +
      `checkpoints every ${everyMs / 1000} s)`,
  );
  worker.run().catch((err) => log(`queue: ${(err as Error).message}`));
  return finished;
}

/** The V8 bytes of a task's arguments, as a job carries them (base64 in the job's JSON). */
export const encodeArgs = (args: unknown) => v8.serialize(args).toString("base64");
