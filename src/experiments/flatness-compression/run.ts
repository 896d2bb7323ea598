/**
 * One training run of the flatness–compression study (a worker-pool task): plain SGD on the quadratic
 * loss with one-hot targets, and at every checkpoint the study's metrics on a fixed set of training
 * inputs, on test inputs and on the misclassified test inputs.
 * - "mlp": a dense network trained on the native BLAS path (option mlpPrecision); the metrics are exact
 *   float64 (the engine's reverse pass), with the bound chain of Eq. 28, and at the end Tr H_f by
 *   Hutchinson (the gap between Tr H and Eq. 3).
 * Learning rates are nominal, in the units of `lrUnits` (`effectiveLr` converts them to the step taken on
 * the mean ½‖f − y‖²); "authors-code" definitions give √(S/K) and the log volume over the top 3 σ.
 * - "vgg": a VGG-style conv net trained in float32 on the native BLAS path (training/conv.ts; tfjs without the
 *   addon), initialised by tfjs's seeded `vggModel`; Jacobians by float32 tfjs autodiff, singular values in float64. A
 *     run
 *   that has no zero-training-error checkpoint before its last scheduled one trains on (checking the
 *   training error) until it has, then `afterZero` steps more, with a checkpoint at each (`maxSteps` caps it).
 */
import { Matrix } from "../../linalg";
import * as nets from "../../nets";
import { trainDense, trainConv, vggParams, setVggParams, ConvNet } from "../../training";
import { flatnessMetrics, flatnessFromJacobians, FlatnessMetrics, tfJacobianData, rowArgmax } from "../../metrics";
import { curvatureOperator, hutchinsonTrace } from "../../curvature";
import { Dataset, takeRows } from "../../data";
import { loadTf } from "../../backend";
import { Rng } from "../../util/random";
import { imageData, ImageSource } from "../data-source";
import type { FlatnessCompressionOptions } from "./index";

/** One run: the data and metric settings it needs, plus its own model, classes, learning rate, batch, steps, seed. */
export type ChenRunArgs = Pick<
  FlatnessCompressionOptions,
  | "hidden"
  | "activation"
  | "mlpLayer"
  | "vggLayers"
  | "vggHidden"
  | "nEval"
  | "nTest"
  | "nTestEval"
  | "traceProbes"
  | "vggSharpnessSamples"
  | "mlpPrecision"
  | "lrUnits"
  | "definitions"
> & {
  model: "mlp" | "vgg";
  /** already resolved ("auto" → a concrete source) */
  source: ImageSource;
  cifarDir?: string;
  classes: number[];
  nTrain: number;
  /** nominal learning rate, in the units of `lrUnits` */
  lr: number;
  batch: number;
  /** the scheduled steps (checkpoints among them) */
  steps: number;
  /**
   * VGG: a run without a zero-training-error checkpoint before `steps` trains on to zero error, then `afterZero` more,
   * at most to here
   */
  maxSteps: number;
  afterZero: number;
  checkpoints: number[];
  seed: number;
};

/** The step size SGD takes on the mean ½‖f − y‖² for a nominal `lr` in `units`, with K outputs. */
export function effectiveLr(lr: number, units: ChenRunArgs["lrUnits"], K: number): number {
  return units === "authors" ? (lr * 2) / K : lr;
}

export interface MetricRow {
  /** the sharpness the figures plot: √S of Eq. 3 ("paper"), or √(S/K) ("authors-code") */
  sqrtSharpness: number;
  /** S of Eq. 3 itself, (1/n) Σ ‖∇_θ f(x_i)‖²_F */
  S: number;
  logVolume: number;
  G: number;
  mls: number;
  localDim: number;
}

export interface ChenCheckpoint {
  step: number;
  /** mean ½‖f − y‖² and accuracy on the whole training set */
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
  train: MetricRow;
  /** Eq. 28 on the training inputs (MLP) */
  bounds?: { A: number; B: number; C: number; D: number };
  test: MetricRow;
  /** metrics on (up to nTestEval) misclassified test inputs; null when there are none */
  misclassified: MetricRow | null;
  misclassifiedCount: number;
}

export interface ChenRun {
  model: "mlp" | "vgg";
  /** nominal learning rate (units: lrUnits) and the step size taken on the mean ½‖f − y‖² */
  lr: number;
  lrEffective: number;
  batch: number;
  seed: number;
  source: string;
  d: number;
  K: number;
  p: number;
  checkpoints: ChenCheckpoint[];
  /** MLP, final checkpoint: Eq. 3 on the training inputs and Hutchinson's Tr H_f = Tr H − Eq. 3 over them */
  trace?: { eq3: number; trHf: number; stderr: number; probes: number; loss: number };
  /** SGD diverged (non-finite loss or parameters) at this step; the checkpoints stop before it */
  divergedAt?: number;
  backend: string;
  seconds: number;
}

const rowOf =
  (definitions: ChenRunArgs["definitions"], K: number) =>
  (m: FlatnessMetrics): MetricRow => ({
    sqrtSharpness: definitions === "authors-code" ? Math.sqrt(m.sharpness / K) : m.sqrtSharpness,
    S: m.sharpness,
    logVolume: m.logVolume,
    G: m.G,
    mls: m.mls,
    localDim: m.localDim,
  });

/** Mean ½‖f − y‖² and accuracy (argmax) of predictions F (N × K) against one-hot Y. */
export function lossAndAccuracy(F: ArrayLike<number>, ds: Dataset): { loss: number; acc: number; wrong: number[] } {
  const { rows: N, cols: K } = ds.Y;
  let loss = 0;
  for (let i = 0; i < N * K; i++) loss += 0.5 * (F[i] - ds.Y.data[i]) ** 2;
  const predicted = rowArgmax(F, N, K);
  const wrong: number[] = [];
  for (let n = 0; n < N; n++)
    if (ds.labels ? ds.labels[n] !== predicted[n] : ds.Y.data[n * K + predicted[n]] !== 1) wrong.push(n);
  return { loss: loss / N, acc: 1 - wrong.length / N, wrong };
}

export function loadChenData(a: Pick<ChenRunArgs, "source" | "cifarDir" | "classes" | "nTrain" | "nTest" | "model">): {
  trainSet: Dataset;
  testSet: Dataset;
} {
  // the same data for every run (seed 0): runs differ by initialisation and mini-batch order
  const common = { source: a.source, cifarDir: a.cifarDir, classes: a.classes, d: 0, seed: 0, grey: a.model === "mlp" };
  return {
    trainSet: imageData({ ...common, n: a.nTrain, split: "train" }),
    testSet: imageData({ ...common, n: a.nTest, split: "test" }),
  };
}

export async function runChen(a: ChenRunArgs): Promise<ChenRun> {
  const t0 = Date.now();
  const { trainSet, testSet } = loadChenData(a);
  const evalRows = new Rng(1)
    .permutation(trainSet.X.rows)
    .slice(0, a.nEval)
    .sort((x, y) => x - y);
  const Xeval = takeRows(trainSet, evalRows);
  const testEval = (wrong: number[]) => takeRows(testSet, wrong.slice(0, a.nTestEval));
  const Xtest = takeRows(
    testSet,
    Array.from({ length: Math.min(a.nTestEval, testSet.X.rows) }, (_, i) => i),
  ).X;
  // the authors' code: log volume over the top 3 singular values; the paper's Eq. 10: all of them
  const volumeTop = a.definitions === "authors-code" ? 3 : undefined;
  const K = trainSet.Y.cols;
  const d = trainSet.X.cols;
  const row = rowOf(a.definitions, K);
  const lr = effectiveLr(a.lr, a.lrUnits, K);
  const out: ChenRun = {
    model: a.model,
    lr: a.lr,
    lrEffective: lr,
    batch: a.batch,
    seed: a.seed,
    source: trainSet.name,
    d,
    K,
    p: 0,
    checkpoints: [],
    backend: "",
    seconds: 0,
  };
  const record = async (
    step: number,
    F: { train: ArrayLike<number>; test: ArrayLike<number> },
    m: {
      train: FlatnessMetrics;
      test: FlatnessMetrics;
      mis: (rows: Matrix) => FlatnessMetrics | Promise<FlatnessMetrics>;
    },
  ) => {
    const tr = lossAndAccuracy(F.train, trainSet);
    const te = lossAndAccuracy(F.test, testSet);
    const misSet = te.wrong.length ? testEval(te.wrong) : undefined;
    out.checkpoints.push({
      step,
      trainLoss: tr.loss,
      trainAcc: tr.acc,
      testLoss: te.loss,
      testAcc: te.acc,
      train: row(m.train),
      bounds: m.train.bounds
        ? { A: m.train.bounds.A, B: m.train.bounds.B, C: m.train.bounds.C, D: m.train.bounds.D }
        : undefined,
      test: row(m.test),
      misclassified: misSet ? row(await m.mis(misSet.X)) : null,
      misclassifiedCount: te.wrong.length,
    });
  };

  if (a.model === "mlp") {
    const spec: nets.NetSpec = { sizes: [d, ...a.hidden, K], activation: a.activation, bias: true };
    out.p = nets.paramCount(spec);
    // the layer whose representation is measured (default the output, as the paper's figures)
    const at = { volumeTop, layer: a.mlpLayer === "output" ? a.hidden.length + 1 : a.mlpLayer };
    let last: Float64Array | undefined;
    const res = await trainDense({
      precision: a.mlpPrecision,
      spec,
      params: nets.initParams(spec, { init: "uniform", seed: a.seed }),
      X: trainSet.X,
      Y: trainSet.Y,
      loss: "mse",
      optimizer: "sgd",
      lr,
      batchSize: a.batch,
      steps: a.steps,
      seed: a.seed,
      checkpoints: a.checkpoints,
      onCheckpoint: async (step, params) => {
        last = params;
        await record(
          step,
          { train: nets.predict(spec, params, trainSet.X).data, test: nets.predict(spec, params, testSet.X).data },
          {
            train: flatnessMetrics(spec, params, Xeval.X, at),
            test: flatnessMetrics(spec, params, Xtest, at),
            mis: (X) => flatnessMetrics(spec, params, X, at),
          },
        );
      },
    });
    out.backend = res.backend;
    out.divergedAt = res.divergedAt;
    if (a.traceProbes > 0 && last && res.divergedAt === undefined && a.mlpLayer === "output") {
      const problem = { spec, params: last, X: Xeval.X, Y: Xeval.Y, loss: "mse" as const };
      const est = hutchinsonTrace(curvatureOperator(problem, "functional"), { samples: a.traceProbes, seed: a.seed });
      const ck = out.checkpoints[out.checkpoints.length - 1];
      out.trace = {
        eq3: ck.train.S,
        trHf: est.trace,
        stderr: est.stderr,
        probes: est.samples,
        loss: lossAndAccuracy(nets.predict(spec, last, Xeval.X).data, Xeval).loss,
      };
    }
  } else {
    const { tf } = await loadTf();
    const shape = trainSet.imageShape!;
    const spec: nets.VggSpec = {
      inputShape: [shape[0], shape[1], shape[2]],
      layers: a.vggLayers,
      hidden: a.vggHidden,
      outputs: K,
    };
    // the tfjs model gives the seeded initialisation and carries the weights of each checkpoint into the
    // float32 autodiff Jacobians of the metrics; training itself runs on the native path (training/conv.ts)
    const model = nets.vggModel(tf, spec, a.seed);
    out.p = model.countParams();
    const metrics = async (X: Matrix) =>
      flatnessFromJacobians(await tfJacobianData(model, X, { paramSamples: a.vggSharpnessSamples }), { volumeTop });
    try {
      const full = async (step: number, net: ConvNet, Ftrain?: Float32Array) => {
        setVggParams(tf, model, net.params64());
        await record(
          step,
          { train: Ftrain ?? net.predict(trainSet.X), test: net.predict(testSet.X) },
          { train: await metrics(Xeval.X), test: await metrics(Xtest), mis: (X) => metrics(X) },
        );
      };
      // past the schedule: the training error every `every` steps, until zero and afterZero steps more (or maxSteps)
      const every = Math.max(1, Math.min(250, Math.ceil(a.steps / 8)));
      const extra: number[] = [];
      for (let s = a.steps + every; s < a.maxSteps; s += every) extra.push(s);
      if (a.maxSteps > a.steps) extra.push(a.maxSteps);
      let zeroAt: number | undefined;
      const res = await trainConv({
        spec,
        params: vggParams(model),
        precision: "float32",
        X: trainSet.X,
        Y: trainSet.Y,
        loss: "mse",
        optimizer: "sgd",
        lr,
        batchSize: a.batch,
        steps: a.maxSteps,
        seed: a.seed,
        checkpoints: [...a.checkpoints, ...extra],
        onCheckpoint: async (step, net) => {
          if (step <= a.steps) {
            await full(step, net);
            if (zeroAt === undefined && out.checkpoints[out.checkpoints.length - 1].trainAcc === 1) zeroAt = step;
            // the run already has training after zero error (or continuing is off): the schedule is the whole run
            return step === a.steps && (a.maxSteps === a.steps || (zeroAt !== undefined && zeroAt < step))
              ? "stop"
              : undefined;
          }
          if (zeroAt === undefined) {
            const F = net.predict(trainSet.X);
            if (lossAndAccuracy(F, trainSet).acc === 1) zeroAt = step;
            if (zeroAt !== undefined || step === a.maxSteps) await full(step, net, F);
            return undefined;
          }
          if (step >= zeroAt + a.afterZero || step === a.maxSteps) {
            await full(step, net);
            return "stop";
          }
          return undefined;
        },
      });
      out.backend = res.backend;
      out.divergedAt = res.divergedAt;
    } finally {
      model.dispose();
    }
  }
  out.seconds = (Date.now() - t0) / 1000;
  return out;
}

export const chenRunModule = __filename;
