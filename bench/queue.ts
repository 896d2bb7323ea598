/**
 * `node dist/bench/queue.js [--out results/bench/queue.json] [--steps N]`: the job queue (src/queue) on this machine,
 * with a redis-server of its own on a loopback port.
 * 1. One study (Jacot's depth sweep, quick preset: 4 depths × 2 seeds = 8 training runs of `steps` Adam steps) run
 *    locally on one thread, then through the queue with 1, 2 and 4 `rankscope worker` processes: wall time per
 *    worker count, and whether every queue run's result equals the local one (wall-time fields aside).
 * 2. The queue's overhead per job: an empty task submitted and its result read back, one at a time (enqueue →
 *    result, ms; includes opening the submitter's connections), and 200 at once (ms per job).
 * Run it once, niced, on an otherwise quiet machine; the numbers go into the README by hand.
 */
import { parseArgs } from "node:util";
import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { jacot } from "../src/experiments/bottleneck";
import { runOnQueue } from "../src/queue/submit";
import { taskKey } from "../src/parallel/checkpoint";
import { writeFileAtomic } from "../src/util/files";
import { packageRoot, checkoutState } from "../src/report/recorded";

const ROOT = packageRoot();
const CLI = path.join(ROOT, "dist/src/cli/main.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function comparable(r: { toJSON(): unknown }): string {
  const data = JSON.parse(JSON.stringify(r.toJSON()), (k, v) => (k === "seconds" || k === "timings" ? undefined : v));
  for (const t of data.tables as { columns: string[]; rows: unknown[][] }[]) {
    const wall = t.columns.indexOf("seconds");
    if (wall >= 0) t.rows = t.rows.map((row) => row.filter((_, j) => j !== wall));
  }
  return JSON.stringify(data);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { out: { type: "string" }, steps: { type: "string" } },
  });
  const steps = Number(values.steps ?? 20000);
  const out = path.resolve(values.out ?? path.join(ROOT, "results", "bench", "queue.json"));
  process.env.RANKSCOPE_PROGRESS = "0";
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-bench-queue-"));
  const port = await freePort();
  const redis = cp.spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", ""], {
    stdio: "ignore",
  });
  const workers: cp.ChildProcess[] = [];
  try {
    await sleep(500);
    const study = (cacheDir: string, queue?: string) =>
      jacot.depthSweep({
        preset: "quick",
        depths: [3, 4, 5, 6],
        seeds: 2,
        steps,
        width: 20,
        n: 40,
        latentSweep: [],
        contrastDepths: [],
        workers: 1,
        cacheDir,
        ...(queue ? { queue } : {}),
      });
    let t0 = Date.now();
    const reference = comparable(await study(path.join(tmp, "local")));
    const localSeconds = (Date.now() - t0) / 1000;
    console.log(`local, one thread: ${localSeconds.toFixed(1)} s`);
    const byWorkers: { workers: number; seconds: number; equal: boolean }[] = [];
    for (const [db, n] of [1, 2, 4].entries()) {
      const url = `redis://127.0.0.1:${port}/${db + 1}`;
      for (let i = 0; i < n; i++) {
        const w = cp.spawn(process.execPath, [CLI, "worker", "--queue", url], {
          stdio: "ignore",
          env: { ...process.env, RANKSCOPE_PROGRESS: "0" },
        });
        workers.push(w);
      }
      await sleep(3000); // the workers start (load the library, connect)
      t0 = Date.now();
      const r = await study(path.join(tmp, `queue-${n}`), url);
      const seconds = (Date.now() - t0) / 1000;
      const equal = comparable(r) === reference;
      byWorkers.push({ workers: n, seconds, equal });
      console.log(
        `${n} worker process(es): ${seconds.toFixed(1)} s, result ${equal ? "equal to" : "DIFFERENT from"} local`,
      );
      for (const w of workers.splice(0)) {
        w.kill("SIGTERM");
        await new Promise((res) => w.once("exit", res));
      }
    }
    // the overhead per job: empty tasks
    const url = `redis://127.0.0.1:${port}/9`;
    const w = cp.spawn(process.execPath, [CLI, "worker", "--queue", url], { stdio: "ignore" });
    workers.push(w);
    await sleep(3000);
    const module = path.join(ROOT, "dist/src/queue/submit.js");
    const empty = (x: number) => ({ module, fn: "emptyTask", args: x });
    const one: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = [empty(i)];
      const s = process.hrtime.bigint();
      await runOnQueue(
        url,
        t,
        [0],
        t.map(taskKey),
        () => {},
        () => {},
      );
      one.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    one.sort((a, b) => a - b);
    const batch = Array.from({ length: 200 }, (_, i) => empty(1000 + i));
    const s = process.hrtime.bigint();
    await runOnQueue(
      url,
      batch,
      batch.map((_, i) => i),
      batch.map(taskKey),
      () => {},
      () => {},
    );
    const perJob = Number(process.hrtime.bigint() - s) / 1e6 / batch.length;
    const overhead = { oneAtATimeMedianMs: one[15], oneAtATimeMinMs: one[0], batch200PerJobMs: perJob };
    console.log(
      `empty task, one at a time: median ${one[15].toFixed(1)} ms (min ${one[0].toFixed(1)}); ` +
        `200 at once: ${perJob.toFixed(2)} ms per job`,
    );
    const record = {
      bench: "queue",
      when: new Date().toISOString(),
      commit: checkoutState(ROOT).commit,
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, load average ${os.loadavg()[0].toFixed(2)}`,
      study: `bottleneck depthSweep quick, depths 3–6 × 2 seeds = 8 runs of ${steps} Adam steps (width 20, n 40)`,
      localSeconds,
      byWorkers,
      overhead,
    };
    writeFileAtomic(out, JSON.stringify(record, null, 2) + "\n");
    console.log(`→ ${out}`);
    return byWorkers.every((b) => b.equal) ? 0 : 1;
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    redis.kill("SIGTERM");
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench queue: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
