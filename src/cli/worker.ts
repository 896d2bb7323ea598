/**
 * `rankscope worker --queue redis://HOST:PORT [--concurrency N] [--checkpoint-every SECONDS] [--stalled-after SECONDS]`:
 * runs study tasks from a job queue until SIGINT/SIGTERM (src/queue/worker.ts).
 */
import { parseFlags, int, UsageError } from "./args";
import { envQueue } from "../util/env";
import { checkQueueUrl } from "../queue";
import { OptionError } from "../util/options";

export const WORKER_HELP = `usage: rankscope worker --queue redis://HOST:PORT [options]
  --queue URL               the Redis of the job queue (default: RANKSCOPE_QUEUE)
  --concurrency N           tasks at once, each on a thread of its own (default 1; one per core is the most useful)
  --checkpoint-every S      seconds between a long task's checkpoints into Redis (default 60)
  --stalled-after S         seconds without a sign of life after which a job is handed to another worker (default 30)
  --help                    this text
Runs until SIGINT/SIGTERM: a running task then checkpoints and goes back to the queue (or finishes when it cannot
checkpoint), and the worker exits 0. Jobs made by other code (another checkout or build) are refused.`;

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags("worker", argv, {
    queue: "string",
    concurrency: "string",
    "checkpoint-every": "string",
    "stalled-after": "string",
    help: "boolean",
  });
  if (flags.help) {
    console.log(WORKER_HELP);
    return 0;
  }
  const url = (flags.queue as string | undefined) ?? envQueue();
  if (!url) throw new UsageError(`worker: --queue redis://HOST:PORT is needed (or RANKSCOPE_QUEUE)\n${WORKER_HELP}`);
  try {
    checkQueueUrl(url, "worker: --queue");
  } catch (err) {
    if (err instanceof OptionError) throw new UsageError(err.message);
    throw err;
  }
  const { runWorker } = await import("../queue/worker");
  return runWorker({
    url,
    concurrency: int(flags, "concurrency", 1, 1, 256),
    checkpointSeconds: int(flags, "checkpoint-every", 60, 1, 86400),
    lockMs: int(flags, "stalled-after", 30, 1, 3600) * 1000,
  });
}
