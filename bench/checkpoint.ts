/**
 * `node dist/bench/checkpoint.js [--queue redis://HOST:PORT/DB]`: what one checkpoint inside a task (parallel/resume.ts)
 * costs for the studies' long training runs at the paper preset: Chen's MLP and VGG runs and Patel's Fig. 1 MLPs
 * (Gaussian and MNIST), each started inside a task whose progress asks it to stop after its first step. Per run: the
 * snapshot's size in the task-store format (parameters, optimiser moments, batch order, generator, loss record and the
 * caller's records, here those of its step-0 checkpoint), the milliseconds to take it (from the request to the
 * snapshot in hand: copies and the records), to encode it (V8 serialisation and sha256) and, with `--queue`, to write
 * it into Redis as a worker does (HSET). Single-threaded BLAS, as on a worker. The numbers go into the README by hand.
 */
import { parseArgs } from "node:util";
import { withTaskProgress, TaskStopped, LoopSnapshot, ScheduleSnapshot } from "../src/parallel/resume";
import { encodeTask } from "../src/parallel/checkpoint";
import { connect } from "../src/queue";
import { setThreads } from "../src/linalg";
import { runChen, ChenRunArgs } from "../src/experiments/flatness-compression/run";
import { chenCheckpoints } from "../src/experiments/flatness-compression/shared";
import { flatnessCompressionDefaults as chen } from "../src/experiments/flatness-compression/options";
import { runMlp, MlpRunArgs } from "../src/experiments/local-rank/mlp";
import { localRankDefaults as patel } from "../src/experiments/local-rank/options";
import * as v8 from "node:v8";

interface Row {
  run: string;
  params: number;
  bytes: number;
  recordsBytes: number;
  takeMs: number;
  encodeMs: number;
  redisMs?: number;
}

async function measure(name: string, task: () => Promise<unknown>, url?: string): Promise<Row> {
  const redis = url ? connect(url) : undefined;
  let asked = 0;
  let snap: LoopSnapshot | undefined;
  let bytes: Buffer | undefined;
  const t: number[] = [];
  await withTaskProgress(
    {
      restore: () => undefined,
      save: (_, s) => {
        t.push(performance.now());
        snap = s;
        bytes = encodeTask("bench#0", s);
        t.push(performance.now());
      },
      everyMs: 1e12,
      stopRequested: () => {
        t.push(performance.now());
        return ++asked >= 1;
      },
    },
    task,
  ).catch((err) => {
    if (!(err instanceof TaskStopped)) throw err;
  });
  let redisMs: number | undefined;
  if (redis) {
    const t0 = performance.now();
    await redis.multi().hset("rankscope:bench:state", "0", bytes!).expire("rankscope:bench:state", 60).exec();
    redisMs = performance.now() - t0;
    await redis.del("rankscope:bench:state");
    redis.disconnect();
  }
  const s = snap as ScheduleSnapshot;
  const loop = s.loop as { p: ArrayLike<number> };
  return {
    run: name,
    params: loop.p.length,
    bytes: bytes!.length,
    recordsBytes: v8.serialize(s.records).length,
    takeMs: t[1] - t[0],
    encodeMs: t[2] - t[1],
    redisMs,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { queue: { type: "string" } } });
  process.env.RANKSCOPE_PROGRESS = "0";
  setThreads(1);
  const common = {
    source: "fashion-mnist" as const,
    nEval: chen.nEval,
    nTest: chen.nTest,
    nTestEval: chen.nTestEval,
    lrUnits: chen.lrUnits,
    definitions: chen.definitions,
    lr: chen.baseLr,
    batch: chen.baseBatch,
    seed: 0,
  };
  const mlp: ChenRunArgs = {
    ...common,
    model: "mlp",
    classes: chen.mlpClasses,
    nTrain: chen.nTrain,
    hidden: chen.hidden,
    activation: chen.activation,
    mlpLayer: chen.mlpLayer,
    mlpPrecision: chen.mlpPrecision,
    traceProbes: chen.traceProbes,
    steps: chen.steps,
    maxSteps: chen.steps,
    afterZero: 0,
    afterZeroRatio: 0,
    checkpoints: chenCheckpoints(chen.steps, chen.checkpoints),
    vggLayers: [],
    vggHidden: [],
    vggSharpnessSamples: 1,
    vggOutputs: 0,
    vggInit: "pytorch-default",
  };
  const vgg: ChenRunArgs = {
    ...common,
    model: "vgg",
    classes: chen.vggClasses,
    nTrain: chen.vggTrain,
    vggLayers: chen.vggLayers,
    vggHidden: chen.vggHidden,
    vggOutputs: chen.vggOutputs,
    vggInit: chen.vggInit,
    vggSharpnessSamples: Math.min(chen.vggSharpnessSamples, chen.nEval),
    steps: chen.vggSteps,
    maxSteps: chen.vggMaxSteps,
    afterZero: chen.vggAfterZero,
    afterZeroRatio: chen.vggAfterZeroRatio,
    checkpoints: chenCheckpoints(chen.vggSteps, Math.min(chen.checkpoints, 12)),
    hidden: [],
    activation: "linear",
    mlpLayer: "output",
    mlpPrecision: "float32",
    traceProbes: 0,
  };
  const fig1 = {
    optimizer: patel.optimizer,
    weightDecay: patel.weightDecay,
    decayBiases: patel.decayBiases,
    batchSize: patel.batchSize,
    checkpoints: patel.checkpoints,
    lr: patel.lr,
    evalSamples: patel.evalSamples,
    eps: patel.eps,
    epsRel: patel.epsRel,
    epsList: patel.epsList,
    seed: patel.seed,
  };
  const gaussian: MlpRunArgs = {
    ...fig1,
    data: "gaussian",
    hidden: patel.gaussianHidden,
    n: patel.n,
    steps: patel.steps,
  };
  const mnist: MlpRunArgs = {
    ...fig1,
    data: "mnist",
    hidden: patel.mnistHidden,
    n: patel.mnistN,
    steps: patel.mnistSteps,
  };
  const rows: Row[] = [];
  for (const [name, task] of [
    ["Chen MLP (paper)", () => runChen(mlp)],
    ["Chen VGG (paper)", () => runChen(vgg)],
    ["Patel Fig. 1 Gaussian MLP (paper)", () => runMlp(gaussian)],
    ["Patel Fig. 1 MNIST MLP (paper)", () => runMlp(mnist)],
  ] as const) {
    const row = await measure(name, task, values.queue);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.table(rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
