/**
 * The job queue (src/queue) against local runs: a small study (Jacot's depth sweep, quick preset with reduced
 * options) through a Redis queue served by `rankscope worker` processes returns what the same call computes locally,
 * also when a worker is killed mid-job (the job resumes from its checkpoint on the other worker), when Redis restarts
 * mid-run (append-only file), and a worker of other code refuses the jobs; a queue that does not answer is a clear
 * error before any work. Needs redis-server: REDIS_TEST_URL (set by .ci/run) or a redis-server binary on the PATH
 * (each test then starts its own); skipped with a message when neither is there.
 */
import { test, before, after } from "node:test";
import * as assert from "node:assert/strict";
import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { jacot } from "../../src/experiments/bottleneck";
import { trainDense } from "../../src/training";
import * as nets from "../../src/nets";
import { latentData } from "../../src/data";
import { withTaskProgress, ScheduleSnapshot, TaskStopped } from "../../src/parallel/resume";
import { encodeTask, decodeTask } from "../../src/parallel/checkpoint";
import { flatnessCompressionStudy, chenCpuHours } from "../../src/experiments/flatness-compression";
import { resolveOptions } from "../../src/experiments/framework";
import { runChen, chenRunModule, ChenRun, ChenRunArgs } from "../../src/experiments/flatness-compression/run";
import { chenCheckpoints } from "../../src/experiments/flatness-compression/shared";
import { mapTasks } from "../../src/parallel";
import { withQueue } from "../../src/queue";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "dist/src/cli/main.js");
const haveRedis = cp.spawnSync("sh", ["-c", "command -v redis-server"]).status === 0;
const skip = haveRedis ? false : "redis-server is not installed (apt-get install redis-server): queue tests skipped";
if (skip) process.stderr.write(`queue.test: ${skip}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-queue-"));
const children = new Set<cp.ChildProcess>();
after(() => {
  for (const c of children) c.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean | Promise<boolean>, limitMs = 120000): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A redis-server of this test on a loopback port (append-only in `dir` when given). */
async function startRedis(dir?: string, port?: number): Promise<{ url: string; port: number; proc: cp.ChildProcess }> {
  port ??= await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", ""];
  args.push(...(dir ? ["--appendonly", "yes", "--dir", dir] : ["--appendonly", "no"]));
  const proc = cp.spawn("redis-server", args, { stdio: "ignore" });
  children.add(proc);
  proc.on("exit", () => children.delete(proc));
  await until("redis-server to listen", () => redisCli(port!, ["PING"]).trim() === "PONG", 10000);
  return { url: `redis://127.0.0.1:${port}`, port, proc };
}

function redisCli(port: number, args: string[]): string {
  const r = cp.spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" });
  return r.stdout ?? "";
}

let shared: { url: string; port: number } | undefined;
let nextDb = 1;
/** A Redis database of its own for one test (flushed): on REDIS_TEST_URL, or on a redis-server started here. */
async function freshQueue(): Promise<{ url: string; port: number }> {
  if (!shared) {
    const env = process.env.REDIS_TEST_URL;
    if (env) shared = { url: env.replace(/\/\d*$/, ""), port: Number(new URL(env).port || 6379) };
    else shared = await startRedis();
  }
  const db = nextDb++;
  redisCli(shared.port, ["-n", String(db), "FLUSHDB"]);
  return { url: `${shared.url}/${db}`, port: shared.port };
}

interface Worker {
  proc: cp.ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function startWorker(url: string, extra: string[] = [], cli = CLI): Worker {
  let out = "";
  const proc = cp.spawn(
    process.execPath,
    [cli, "worker", "--queue", url, "--checkpoint-every", "1", "--stalled-after", "2", ...extra],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RANKSCOPE_PROGRESS: "0" } },
  );
  children.add(proc);
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  exited.then(() => children.delete(proc));
  return { proc, log: () => out, exited };
}

/** The depth sweep at two depths, one seed each: two tasks (one training run each, `steps` long). */
function sweep(steps: number, cacheDir: string, queue?: string) {
  return jacot.depthSweep({
    preset: "quick",
    depths: [3, 4],
    seeds: 1,
    steps,
    width: 20,
    n: 40,
    latentSweep: [],
    contrastDepths: [],
    workers: 1,
    cacheDir,
    ...(queue ? { queue } : {}),
  });
}

/** A result's data without wall times (every run reports its seconds, also as a table column). */
function comparable(r: { toJSON(): unknown }): unknown {
  const data = JSON.parse(JSON.stringify(r.toJSON()), (k, v) => (k === "seconds" || k === "timings" ? undefined : v));
  for (const t of data.tables as { columns: string[]; rows: unknown[][] }[]) {
    const wall = t.columns.indexOf("seconds");
    if (wall >= 0) t.rows = t.rows.map((row) => row.filter((_, j) => j !== wall));
  }
  return data;
}

const locals = new Map<number, unknown>();
async function local(steps: number): Promise<unknown> {
  if (!locals.has(steps)) locals.set(steps, comparable(await sweep(steps, path.join(tmp, `local-${steps}`))));
  return locals.get(steps);
}

before(() => {
  process.env.RANKSCOPE_PROGRESS = "0";
});

test("two worker processes through the queue return the local result, into the cache", { skip }, async () => {
  const q = await freshQueue();
  const w = [startWorker(q.url), startWorker(q.url)];
  const cache = path.join(tmp, "two");
  const viaQueue = await sweep(3000, cache, q.url);
  assert.deepEqual(comparable(viaQueue), await local(3000));
  assert.equal(viaQueue.cached, false);
  // the results are in this machine's cache: the same call without a queue reads them
  const again = await sweep(3000, cache);
  assert.equal(again.cached, true);
  assert.deepEqual(comparable(again), await local(3000));
  for (const x of w) x.proc.kill("SIGTERM");
  const codes = await Promise.all(w.map((x) => x.exited));
  assert.deepEqual(codes, [0, 0], w.map((x) => x.log()).join("\n"));
  const done = w.map((x) => (x.log().match(/ done in /g) ?? []).length);
  assert.equal(done[0] + done[1], 2, w.map((x) => x.log()).join("\n"));
});

test(
  "without the cache (no checkpoints) the queue's messages go to stderr, and the result is the local one",
  { skip },
  async () => {
    const q = await freshQueue();
    const w = startWorker(q.url);
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => {
      said.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    let r: Awaited<ReturnType<typeof sweep>>;
    try {
      r = await jacot.depthSweep({
        preset: "quick",
        depths: [3, 4],
        seeds: 1,
        steps: 3000,
        width: 20,
        n: 40,
        latentSweep: [],
        contrastDepths: [],
        workers: 1,
        cache: false,
        queue: q.url,
      });
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(comparable(r), await local(3000));
    assert.ok(
      said.some((s) =>
        /^rankscope: 2 task\(s\) on the queue redis:\/\/127\.0\.0\.1:\d+.*; waiting for workers/.test(s),
      ),
      said.join(""),
    );
    w.proc.kill("SIGTERM");
    assert.equal(await w.exited, 0, w.log());
  },
);

test(
  "kill -9 of a worker mid-job: the other resumes it from its checkpoint, results complete and equal",
  { skip },
  async () => {
    const q = await freshQueue();
    const steps = 60000;
    const reference = await local(steps);
    const a = startWorker(q.url);
    const run = sweep(steps, path.join(tmp, "kill"), q.url);
    // once worker a has checkpointed its first job, it dies
    await until("a checkpoint in Redis", () =>
      /rankscope:state:/.test(redisCli(q.port, ["-n", q.url.split("/").pop()!, "KEYS", "rankscope:state:*"])),
    );
    a.proc.kill("SIGKILL");
    await a.exited;
    const b = startWorker(q.url);
    const result = await run;
    assert.deepEqual(comparable(result), reference);
    const m = b.log().match(/resumes from its checkpoint at step (\d+)/);
    assert.ok(m, `worker b did not resume from a checkpoint:\n${b.log()}`);
    assert.ok(Number(m![1]) > 0 && Number(m![1]) < steps, m![0]);
    assert.equal((a.log().match(/ done in /g) ?? []).length, 0, a.log());
    b.proc.kill("SIGTERM");
    assert.equal(await b.exited, 0, b.log());
  },
);

test(
  "kill -9 mid-run of a Chen MLP run (metrics at its checkpoints): another worker resumes it past step 0, same result",
  { skip },
  async () => {
    // the quick preset's MLP run (1500 SGD steps, the study's metrics at 10 checkpoints, Hutchinson at the end)
    const steps = 1500;
    const args: ChenRunArgs = {
      model: "mlp",
      source: "fashion-mnist",
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      nTrain: 1000,
      hidden: [100, 100, 100],
      activation: "tanh",
      mlpLayer: "output",
      mlpPrecision: "float32",
      traceProbes: 32,
      steps,
      maxSteps: steps,
      afterZero: 0,
      afterZeroRatio: 0,
      checkpoints: chenCheckpoints(steps, 10),
      vggLayers: [],
      vggHidden: [],
      vggSharpnessSamples: 1,
      vggOutputs: 0,
      vggInit: "pytorch-default",
      nEval: 50,
      nTest: 1000,
      nTestEval: 50,
      lrUnits: "authors",
      definitions: "paper",
      lr: 0.1,
      batch: 20,
      seed: 0,
    };
    const task = { module: chenRunModule, fn: runChen.name, args };
    const timeless = ({ seconds: _, ...rest }: ChenRun) => rest;
    const q = await freshQueue();
    const a = startWorker(q.url);
    const run = withQueue(q.url, () => mapTasks<ChenRun>([task], { workers: 1 }));
    await until("a checkpoint in Redis", () =>
      /rankscope:state:/.test(redisCli(q.port, ["-n", q.url.split("/").pop()!, "KEYS", "rankscope:state:*"])),
    );
    a.proc.kill("SIGKILL");
    await a.exited;
    const b = startWorker(q.url);
    const [viaQueue] = await run;
    // the local uninterrupted run (one OpenBLAS thread, as a worker's)
    const [reference] = await mapTasks<ChenRun>([task], { workers: 1 });
    const m = b.log().match(/resumes from its checkpoint at step (\d+)/);
    assert.ok(m, `worker b did not resume from a checkpoint:\n${b.log()}`);
    const from = Number(m![1]);
    // past step 0: mid-run, or at its end when worker a had finished the training loop (a loaded machine can train
    // the quick run's 1500 steps before the first 1-s checkpoint) and died during the final metrics
    assert.ok(from > 0 && from <= steps, m![0]);
    assert.equal((a.log().match(/ done in /g) ?? []).length, 0, a.log());
    // the metrics recorded before the resumed step were worker a's, carried by the checkpoint
    assert.ok(
      reference.checkpoints.some((c) => c.step > 0 && c.step <= from),
      `resumed at ${from}`,
    );
    assert.deepEqual(timeless(viaQueue), timeless(reference));
    b.proc.kill("SIGTERM");
    assert.equal(await b.exited, 0, b.log());
  },
);

test(
  "SIGTERM on a worker mid-job checkpoints it back into the queue and exits 0; another finishes it",
  { skip },
  async () => {
    const q = await freshQueue();
    const steps = 60000;
    const reference = await local(steps);
    const a = startWorker(q.url);
    const run = sweep(steps, path.join(tmp, "term"), q.url);
    await until("worker a to start a job", () => / started/.test(a.log()));
    await sleep(1500);
    a.proc.kill("SIGTERM");
    assert.equal(await a.exited, 0, a.log());
    assert.match(a.log(), /checkpointed at step \d+ and put back in the queue|done in/);
    const b = startWorker(q.url);
    assert.deepEqual(comparable(await run), reference);
    b.proc.kill("SIGTERM");
    assert.equal(await b.exited, 0, b.log());
  },
);

test("Redis restarted mid-run (append-only file): the run completes with the local result", { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(tmp, "aof-"));
  const r = await startRedis(dir);
  const steps = 60000;
  const reference = await local(steps);
  const w = startWorker(r.url);
  const run = sweep(steps, path.join(tmp, "restart"), r.url);
  await until("a job to start", () => / started/.test(w.log()));
  await sleep(1500);
  r.proc.kill("SIGTERM"); // Redis writes its append-only file and exits
  await new Promise((res) => r.proc.once("exit", res));
  await sleep(1000);
  await startRedis(dir, r.port);
  assert.deepEqual(comparable(await run), reference);
  w.proc.kill("SIGTERM");
  assert.equal(await w.exited, 0, w.log());
});

test("a queue that does not answer is a clear error before any work", { skip: skip ? skip : false }, async () => {
  const port = await freePort(); // nothing listens there
  const cache = path.join(tmp, "dead");
  await assert.rejects(sweep(3000, cache, `redis://127.0.0.1:${port}`), (err: Error) => {
    assert.match(err.message, new RegExp(`the queue redis://127.0.0.1:${port} does not answer .*start Redis there`));
    return true;
  });
  assert.equal(fs.existsSync(cache), false, "no work (nothing in the cache folder)");
  const w = startWorker(`redis://127.0.0.1:${port}`);
  assert.equal(await w.exited, 1);
  assert.match(w.log(), /does not answer/);
  await assert.rejects(sweep(3000, cache, "http://127.0.0.1:6379"), /option queue must be a Redis URL/);
  // the command line: exit 2 and the same message, before any study starts
  const cli = cp.spawnSync(
    process.execPath,
    [CLI, "reproduce", "--study", "bottleneck", "--queue", `redis://127.0.0.1:${port}`, "--out", cache],
    { encoding: "utf8" },
  );
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /reproduce: the queue redis:\/\/127\.0\.0\.1:\d+ does not answer/);
  assert.doesNotMatch(cli.stdout, /running preset/);
  assert.equal(fs.existsSync(cache), false, "no work (nothing in the out folder)");
});

test("a worker of other code refuses the jobs; a worker of this code then runs them", { skip }, async () => {
  // a copy of the compiled library with one file changed: another code hash
  const other = path.join(tmp, "other");
  fs.cpSync(path.join(ROOT, "dist/src"), path.join(other, "dist/src"), { recursive: true });
  fs.appendFileSync(path.join(other, "dist/src/index.js"), "\n// another build\n");
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(other, "package.json"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(other, "node_modules"));
  if (fs.existsSync(path.join(ROOT, "build"))) fs.symlinkSync(path.join(ROOT, "build"), path.join(other, "build"));
  const q = await freshQueue();
  const stranger = startWorker(q.url, [], path.join(other, "dist/src/cli/main.js"));
  const said: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array, ...rest: unknown[]) => {
    said.push(String(s));
    return (write as (...a: unknown[]) => boolean)(s, ...rest);
  }) as typeof process.stderr.write;
  let w: Worker | undefined;
  try {
    const run = sweep(3000, path.join(tmp, "refuse"), q.url);
    await until("the refusal", () => /refused job/.test(stranger.log()) && said.some((s) => /refused job/.test(s)));
    assert.match(stranger.log(), /it was made by code [0-9a-f]{16} .* and this worker runs code [0-9a-f]{16}/);
    assert.equal((stranger.log().match(/ done in /g) ?? []).length, 0);
    w = startWorker(q.url);
    assert.deepEqual(comparable(await run), await local(3000));
  } finally {
    process.stderr.write = write;
  }
  stranger.proc.kill("SIGTERM");
  w!.proc.kill("SIGTERM");
  assert.equal(await stranger.exited, 0, stranger.log());
  assert.equal(await w!.exited, 0, w!.log());
  assert.equal((stranger.log().match(/ done in /g) ?? []).length, 0, "the stranger ran nothing");
});

test("a training run stopped at a checkpoint and resumed from it ends where an uninterrupted run ends", async () => {
  // mini-batches (the batch order and its generator are part of the state), Adam (its moments), two schedules in one
  // task (the first restored from its final snapshot), float32 and float64; no Redis involved
  for (const precision of ["float32", "float64"] as const) {
    const ds = latentData({ n: 60, k: 2, dIn: 5, dOut: 4, seed: 3 });
    const spec: nets.NetSpec = { sizes: [5, 16, 16, 4], activation: "relu", bias: true };
    const task = async () => {
      const common = { spec, X: ds.X, Y: ds.Y, loss: "mse" as const, optimizer: "adam" as const, lr: 0.01 };
      const first = await trainDense({
        ...common,
        params: nets.initParams(spec, { seed: 1 }),
        batchSize: 7,
        steps: 300,
        seed: 5,
        precision,
      });
      const second = await trainDense({
        ...common,
        params: first.params,
        batchSize: 9,
        steps: 400,
        seed: 6,
        precision,
      });
      return { first: first.params, second: second.params, losses: [first.losses, second.losses] };
    };
    const whole = await task();
    // the stored form of each checkpoint (the task-store format) between the attempts, as a worker keeps it in Redis
    const store = new Map<number, Buffer>();
    let asked = 0;
    // stops at the `stopAt`-th step of the attempt (the schedule asks at every step)
    const attempt = (stopAt: number) =>
      withTaskProgress(
        {
          restore: (i) => (store.has(i) ? decodeTask<ScheduleSnapshot>(`t#${i}`, store.get(i)!) : undefined),
          save: (i, snap) => store.set(i, encodeTask(`t#${i}`, snap)),
          everyMs: 1e9,
          stopRequested: () => ++asked >= stopAt,
        },
        task,
      );
    // attempt 1 stops in the first schedule, attempt 2 in the second, attempt 3 finishes
    await assert.rejects(attempt(1), (err: unknown) => err instanceof TaskStopped && err.step === 1);
    const s1 = decodeTask<ScheduleSnapshot>("t#0", store.get(0)!);
    assert.equal(s1.step, 1);
    asked = 0;
    await assert.rejects(attempt(400), TaskStopped);
    assert.ok(decodeTask<ScheduleSnapshot>("t#0", store.get(0)!).final, "the first schedule's final snapshot");
    // steps 2…299 of the first schedule asked 298 times: the second stopped at its step 102
    assert.equal(decodeTask<ScheduleSnapshot>("t#1", store.get(1)!).step, 102);
    asked = -1e9;
    const resumed = await attempt(Infinity);
    assert.deepEqual(resumed, whole, precision);
  }
});

test("preset full says its CPU-hours and refuses to start without a queue unless local", async () => {
  const full = resolveOptions(flatnessCompressionStudy, { preset: "full" });
  // the authors' budget: 5 settings (3 learning rates at batch 20, batches 8 and 32 at lr 0.1) × 5 seeds, each of the
  // MLP and the VGG, 750 000 steps, at 1.32 ms and 6.92 ms a step
  assert.equal(full.steps, 750000);
  assert.equal(full.vggMaxSteps, 750000);
  const est = chenCpuHours(full);
  assert.ok(Math.abs(est.cpuHours - (25 * 750000 * (1.32e-3 + 6.92e-3)) / 3600) < 1e-9, String(est.cpuHours));
  const cache = path.join(tmp, "full");
  const said: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => {
    said.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  try {
    await assert.rejects(
      jacot.depthSweep({ preset: "full", cacheDir: cache }),
      /bottleneck: preset "full" is the authors' budget.*give a job queue .* or set option local/,
    );
    const { main } = await import("../../src/cli/reproduce");
    const log = console.error;
    console.error = (...a: unknown[]) => said.push(a.join(" "));
    try {
      assert.equal(await main(["--preset", "full", "--study", "flatness-compression", "--out", cache]), 2);
    } finally {
      console.error = log;
    }
  } finally {
    process.stderr.write = write;
  }
  const text = said.join("");
  assert.match(text, /flatness-compression: about 42\.9 CPU-hours \(25 MLP runs × 750000 steps/);
  assert.match(text, /give --queue redis:\/\/HOST:PORT .* or --local/);
  assert.equal(fs.existsSync(cache), false, "no work");
});
