/**
 * One training run of the flatness–compression study (a worker-pool task): plain SGD on the quadratic
 * loss with one-hot targets, and at every checkpoint the study's metrics on a fixed set of training
 * inputs, on test inputs and on the misclassified test inputs.
 * - "mlp": a dense network trained on the native BLAS path (option mlpPrecision); the metrics are exact
 *   float64 (the engine's reverse pass), with the bound chain of Eq. 28, and at the end Tr H_f by
 *   Hutchinson (the gap between Tr H and Eq. 3).
 * Learning rates are nominal, in the units of `lrUnits` (`effectiveLr` converts them to the step taken on
 * the mean ½‖f − y‖²); "authors-code" definitions give √S on the first 20 inputs (summed over the outputs, as their
 * code returns it) and the log volume over the top 3 σ.
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
  | "vggOutputs"
  | "vggInit"
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
  /** VGG: the window after zero error is at least this multiple of the steps it took to get there */
  afterZeroRatio: number;
  checkpoints: number[];
  seed: number;
};

/** The step size SGD takes on the mean ½‖f − y‖² for a nominal `lr` in `units`, with K outputs. */
export function effectiveLr(lr: number, units: ChenRunArgs["lrUnits"], K: number): number {
  return units === "authors" ? (lr * 2) / K : lr;
}

/**
 * The steps a VGG run trains after its first zero-training-error check at step t0: at least `afterZero`, and at least
 * `ratio` × t0 (so the phase after interpolation is as long, relative to the run, whatever the onset), rounded up.
 */
export function afterZeroWindow(t0: number, afterZero: number, ratio: number): number {
  return Math.max(afterZero, Math.ceil(ratio * t0));
}

export interface MetricRow {
  /**
   * the sharpness the figures plot: √S of Eq. 3, summed over the outputs (both definitions: the authors' code returns
   * √((1/n) Σ_i Σ_k ‖∇_θ f_k(x_i)‖²)); "authors-code" takes it on the first 20 inputs, as their code
   */
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
  /** Eq. 28 on the training inputs (MLP); Ca, Da: C and D with the authors' later normalisation √(Σ_l ‖W_l‖₂²) */
  bounds?: { A: number; B: number; C: number; D: number; Ca: number; Da: number };
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
  /** VGG: the training accuracy at every check (every min(500, ⌈steps/16⌉) steps and at each checkpoint) */
  trainAccuracy?: { step: number; acc: number }[];
  /** VGG: the first step with zero training error and the window trained after it (afterZeroWindow) */
  window?: { zeroAt: number; length: number; end: number };
  backend: string;
  seconds: number;
}

/** The authors' code measures Eq. 3 on this many inputs (the VGG: option vggSharpnessSamples, default the same). */
export const AUTHORS_SHARPNESS_SAMPLES = 20;

const rowOf =
  () =>
  (m: FlatnessMetrics): MetricRow => ({
    sqrtSharpness: m.sqrtSharpness,
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

/**
 * The data with one-hot targets of `outputs` columns (class i of the selection in column i, the rest zero), as the
 * authors' `to_one_hot` with n_classes = 10 for their two-class VGG; labels unchanged.
 */
export function widenTargets(ds: Dataset, outputs: number): Dataset {
  const { rows, cols } = ds.Y;
  if (outputs === cols) return ds;
  if (outputs < cols) throw new Error(`widenTargets: ${outputs} outputs cannot hold ${cols} classes`);
  const Y = Matrix.zeros(rows, outputs);
  for (let i = 0; i < rows; i++) for (let k = 0; k < cols; k++) Y.data[i * outputs + k] = ds.Y.data[i * cols + k];
  return { ...ds, Y };
}

/** What a VGG run's checkpoints have recorded and decided, as its training checkpoints save it. */
interface VggRecords {
  checkpoints: ChenCheckpoint[];
  trainAccuracy: { step: number; acc: number }[];
  window?: ChenRun["window"];
  zeroAt?: number;
  p99Seen: boolean;
  end: number;
  windowAt: number[];
}

export async function runChen(a: ChenRunArgs): Promise<ChenRun> {
  const t0 = Date.now();
  const loaded = loadChenData(a);
  const widen = (ds: Dataset) => (a.model === "vgg" ? widenTargets(ds, a.vggOutputs) : ds);
  const trainSet = widen(loaded.trainSet);
  const testSet = widen(loaded.testSet);
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
  const row = rowOf();
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
        ? {
            A: m.train.bounds.A,
            B: m.train.bounds.B,
            C: m.train.bounds.C,
            D: m.train.bounds.D,
            Ca: m.train.bounds.authors.C,
            Da: m.train.bounds.authors.D,
          }
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
    let params: Float64Array;
    // "authors-code": Eq. 3 on the first 20 inputs, as their code (the other metrics on all of them)
    const mlpMetrics = (X: Matrix): FlatnessMetrics => {
      const m = flatnessMetrics(spec, params, X, at);
      if (a.definitions !== "authors-code" || X.rows <= AUTHORS_SHARPNESS_SAMPLES) return m;
      const first = new Matrix(AUTHORS_SHARPNESS_SAMPLES, X.cols, X.data.slice(0, AUTHORS_SHARPNESS_SAMPLES * X.cols));
      const s = flatnessMetrics(spec, params, first, at);
      return { ...m, sharpness: s.sharpness, sqrtSharpness: s.sqrtSharpness };
    };
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
      // what the checkpoints have recorded so far, saved with the training state (a lost queue job resumes from it)
      records: { save: () => out.checkpoints, restore: (state) => void (out.checkpoints = state as ChenCheckpoint[]) },
      onCheckpoint: async (step, p) => {
        params = p;
        await record(
          step,
          { train: nets.predict(spec, params, trainSet.X).data, test: nets.predict(spec, params, testSet.X).data },
          {
            train: mlpMetrics(Xeval.X),
            test: mlpMetrics(Xtest),
            mis: (X) => mlpMetrics(X),
          },
        );
      },
    });
    out.backend = res.backend;
    out.divergedAt = res.divergedAt;
    // at the final checkpoint, the last step (the study's checkpoints end there): the final parameters
    const ck = out.checkpoints[out.checkpoints.length - 1];
    if (a.traceProbes > 0 && ck?.step === a.steps && res.divergedAt === undefined && a.mlpLayer === "output") {
      const problem = { spec, params: res.params, X: Xeval.X, Y: Xeval.Y, loss: "mse" as const };
      const est = hutchinsonTrace(curvatureOperator(problem, "functional"), { samples: a.traceProbes, seed: a.seed });
      out.trace = {
        eq3: ck.train.S,
        trHf: est.trace,
        stderr: est.stderr,
        probes: est.samples,
        loss: lossAndAccuracy(nets.predict(spec, res.params, Xeval.X).data, Xeval).loss,
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
      init: a.vggInit,
    };
    // the tfjs model gives the seeded initialisation and carries the weights of each checkpoint into the
    // float32 autodiff Jacobians of the metrics; training itself runs on the native path (training/conv.ts)
    const model = nets.vggModel(tf, spec, a.seed);
    out.p = model.countParams();
    out.trainAccuracy = [];
    // the input Jacobians by float32 tfjs autodiff (one batched pass per output); Eq. 3's ‖∇_θ f(x_i)‖² on the native
    // path when training runs there (float32 as tfjs and the authors' code; one pass per output and input, 20× faster
    // than tfjs's per-input autodiff), else by tfjs
    const metrics = async (X: Matrix, net: ConvNet) => {
      if (!net.outputGradSqNorms)
        return flatnessFromJacobians(await tfJacobianData(model, X, { paramSamples: a.vggSharpnessSamples }), {
          volumeTop,
        });
      const jd = await tfJacobianData(model, X, { paramSamples: 0 });
      const m = Math.min(a.vggSharpnessSamples, X.rows);
      return flatnessFromJacobians({ ...jd, paramSqNorm: net.outputGradSqNorms(X, m) }, { volumeTop });
    };
    try {
      const full = async (step: number, net: ConvNet, Ftrain?: Float32Array) => {
        setVggParams(tf, model, net.params64());
        await record(
          step,
          { train: Ftrain ?? net.predict(trainSet.X), test: net.predict(testSet.X) },
          { train: await metrics(Xeval.X, net), test: await metrics(Xtest, net), mis: (X) => metrics(X, net) },
        );
      };
      // the training accuracy every `every` steps (cheap: one forward pass); full metrics at the scheduled checkpoints,
      // at the first check with ≥ 99 % accuracy and the first with zero error (the two onsets of interpolation), and
      // at ¼, ½, ¾ and all of the window after zero error (the budgets of the late-phase claims)
      const every = Math.max(1, Math.min(500, Math.ceil(a.steps / 16)));
      const grid: number[] = [];
      for (let s = every; s < a.maxSteps; s += every) grid.push(s);
      grid.push(a.maxSteps);
      const scheduled = new Set(a.checkpoints);
      const windowAt = new Set<number>();
      const onGrid = (s: number) => Math.min(a.maxSteps, Math.ceil(s / every) * every);
      let zeroAt: number | undefined;
      let p99Seen = false;
      let end = a.maxSteps === a.steps ? a.steps : a.maxSteps;
      const planWindow = (t0: number) => {
        const w = afterZeroWindow(t0, a.afterZero, a.afterZeroRatio);
        end = Math.min(a.maxSteps, Math.max(a.steps, onGrid(t0 + w)));
        for (const q of [0.25, 0.5, 0.75, 1]) windowAt.add(Math.min(end, onGrid(t0 + q * w)));
        out.window = { zeroAt: t0, length: w, end };
      };
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
        checkpoints: [...new Set([...a.checkpoints, ...grid])].sort((x, y) => x - y),
        // what the checkpoints have recorded and decided so far, saved with the training state (a lost queue job
        // resumes from it)
        records: {
          save: () => ({
            checkpoints: out.checkpoints,
            trainAccuracy: out.trainAccuracy,
            window: out.window,
            zeroAt,
            p99Seen,
            end,
            windowAt: [...windowAt],
          }),
          restore: (state) => {
            const s = state as VggRecords;
            out.checkpoints = s.checkpoints;
            out.trainAccuracy = s.trainAccuracy;
            if (s.window) out.window = s.window;
            ({ zeroAt, p99Seen, end } = s);
            windowAt.clear();
            for (const w of s.windowAt) windowAt.add(w);
          },
        },
        onCheckpoint: async (step, net) => {
          const F = net.predict(trainSet.X);
          const acc = lossAndAccuracy(F, trainSet).acc;
          out.trainAccuracy!.push({ step, acc });
          const firstZero = zeroAt === undefined && acc === 1;
          const firstP99 = !p99Seen && acc >= 0.99;
          if (acc >= 0.99) p99Seen = true;
          if (firstZero) {
            zeroAt = step;
            planWindow(step);
          }
          const lastStep = step >= end || step === a.maxSteps;
          if (scheduled.has(step) || windowAt.has(step) || firstZero || firstP99 || lastStep) await full(step, net, F);
          return lastStep ? "stop" : undefined;
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
