/**
 * Sweeps on many machines: a study's tasks (the worker-pool tasks of `parallel`, one seed × setting each) become jobs
 * of a BullMQ queue on Redis when a queue is named (`reproduce --queue redis://HOST:PORT`, RANKSCOPE_QUEUE, or the
 * `queue` option of a study call). `rankscope worker --queue …` processes run them anywhere; the results come back
 * into the caller's task store and cache, so what follows reads them as if computed locally (bit for bit: the same
 * tasks, seeds and code). Nothing here loads bullmq or ioredis until a queue is named.
 *
 * This file: the queue's URL, the check that it answers (before any work), the names of its keys, and the queue in
 * force for a study call. Submitting is `submit.ts`, running jobs `worker.ts` (its tasks on `thread.ts`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { OptionError, showValue } from "../util/options";

/** The BullMQ queue every rankscope job goes to (jobs carry the code hash they were made with). */
export const QUEUE_NAME = "rankscope";

/** Redis keys beside BullMQ's: a task's result, its checkpoints (one field per training schedule), refusals. */
export const keys = {
  result: (hash: string, key: string) => `rankscope:result:${hash}:${key}`,
  state: (hash: string, key: string) => `rankscope:state:${hash}:${key}`,
  refused: (hash: string) => `rankscope:refused:${hash}`,
};

/** A job's id: the code hash and the task key (the same task of the same code is one job, however often asked). */
export const jobId = (hash: string, key: string) => `${hash}-${key}`;

/** How long results, checkpoints and finished jobs stay in Redis (seconds). */
export const KEEP_SECONDS = 14 * 24 * 3600;

/** Thrown for a queue that does not answer or a URL that is not a Redis URL; the message says what to do. */
export class QueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueueError";
  }
}

/** `url` checked to be a Redis URL (redis:// or rediss://, with a host); throws an OptionError naming `what`. */
export function checkQueueUrl(url: unknown, what = "option queue"): string {
  let u: URL | undefined;
  try {
    u = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    u = undefined;
  }
  if (!u || !["redis:", "rediss:"].includes(u.protocol) || !u.hostname)
    throw new OptionError(
      `${what} must be a Redis URL, redis://HOST:PORT (or rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB); ` +
        `got ${showValue(url)}`,
    );
  return url as string;
}

/** The URL without its password, for messages. */
export function showUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}

type IORedisCtor = new (url: string, opts: Record<string, unknown>) => import("ioredis").Redis;

/** ioredis and bullmq, loaded when a queue is first used (the library works without them otherwise). */
export function loadIORedis(): IORedisCtor {
  try {
    return require("ioredis").default ?? require("ioredis");
  } catch {
    throw new QueueError("a queue needs the npm packages bullmq and ioredis (npm install in rankscope's folder)");
  }
}
export function loadBullMQ(): typeof import("bullmq") {
  try {
    return require("bullmq");
  } catch {
    throw new QueueError("a queue needs the npm packages bullmq and ioredis (npm install in rankscope's folder)");
  }
}

/** A connection for BullMQ (which wants maxRetriesPerRequest null: commands wait while Redis restarts). */
export function connect(url: string): import("ioredis").Redis {
  const IORedis = loadIORedis();
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Checks, within `timeoutMs`, that Redis answers at `url` (a PING); throws a QueueError saying what to do when it does
 * not. Returns a warning when Redis may evict keys (BullMQ needs maxmemory-policy noeviction), else undefined.
 */
export async function probeQueue(url: string, timeoutMs = 3000): Promise<string | undefined> {
  checkQueueUrl(url, "the queue URL");
  const IORedis = loadIORedis();
  const r = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  r.on("error", () => {}); // reported below
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = (async () => {
      await r.connect();
      await r.ping();
      try {
        const policy = (await r.config("GET", "maxmemory-policy")) as string[];
        if (policy?.[1] && policy[1] !== "noeviction")
          return (
            `the Redis at ${showUrl(url)} has maxmemory-policy ${policy[1]}: it may evict jobs; ` +
            `set it to noeviction (redis-cli config set maxmemory-policy noeviction)`
          );
      } catch {
        /* CONFIG is disabled on some hosted Redis: nothing to check */
      }
      return undefined;
    })();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    return await Promise.race([answer, late]);
  } catch (err) {
    throw new QueueError(
      `the queue ${showUrl(url)} does not answer (${(err as Error).message || String(err)}); ` +
        `start Redis there (e.g. redis-server --port PORT) or check the URL`,
    );
  } finally {
    if (timer) clearTimeout(timer);
    r.disconnect();
  }
}

const current = new AsyncLocalStorage<{ url: string; study?: string }>();

/**
 * Runs `fn` with its study tasks sent to the queue at `url` (checked to answer first), or locally when undefined;
 * `study` names the jobs' study in the workers' logs.
 */
export async function withQueue<T>(url: string | undefined, fn: () => Promise<T>, study?: string): Promise<T> {
  if (url === undefined) return fn();
  const warning = await probeQueue(url);
  if (warning) process.stderr.write(`rankscope: ${warning}\n`);
  return current.run({ url, study }, fn);
}

/** The queue the tasks of the running study go to (and the study), or undefined (run them here). */
export function queueInForce(): { url: string; study?: string } | undefined {
  return current.getStore();
}
