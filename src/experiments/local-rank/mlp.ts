/**
 * Figure 1 of the local-rank paper: an MLP trained with AdamW (decoupled weight decay, mini-batches from a
 * training set) or plain Adam, in float64 on the native BLAS path. At log-spaced steps the local rank of
 * every layer is measured on a fixed set of evaluation inputs — with the absolute ε (the paper's, σ > ε) and
 * a relative one (σ > ε_rel·σ_max of each input's Jacobian), from the same SVDs — with the participation
 * ratio (Σσ)²/Σσ² of the same singular values, the train loss on the whole training set, the test loss on
 * held-out data from the same distribution (MNIST: also the accuracies), and the parameter norm ‖θ‖.
 */
import { Matrix } from "../../linalg";
import * as nets from "../../nets";
import { lossAndResidual } from "../../nets/losses";
import { trainDense, logSpacedSteps } from "../../training";
import { localRankSensitivity, rowArgmax } from "../../metrics";
import { inputJacobianSingularValues } from "../../curvature/jacobian";
import { participationRatio } from "../../linalg";
import { gaussianPairs, loadMnist, loadFashionMnist, takeRows } from "../../data";
import { Rng } from "../../util/random";

/** Held-out Gaussian samples drawn for the test loss (same cross-covariance, another seed). */
export const GAUSSIAN_TEST_SAMPLES = 10000;
/** Offset of the held-out Gaussian set's seed from the training seed (no training seed of a sweep reaches it). */
const TEST_SEED_OFFSET = 1000003;

/** Fig. 1's datasets: Gaussian pairs with MSE, MNIST and Fashion-MNIST with CE. */
export const FIG1_DATASETS = ["gaussian", "mnist", "fashion-mnist"] as const;
export type Fig1Dataset = (typeof FIG1_DATASETS)[number];

export interface MlpRunArgs {
  data: Fig1Dataset;
  /**
   * "task": the dataset's own targets; "independent": the control — targets independent of the inputs (Gaussian: the
   * same marginals with cross-covariance 0; images: the training labels shuffled by a seeded permutation), trained
   * and measured through the same pipeline
   */
  targets?: "task" | "independent";
  /** "adamw": whether the biases decay too (false: weights only, as the authors' code) */
  decayBiases?: boolean;
  hidden: number[];
  /** training samples (MNIST: a seeded subset of the 8 495 training images) */
  n: number;
  /** mini-batch size (≥ n: full batch) */
  batchSize: number;
  /** "adamw": Adam with decoupled weight decay θ ← θ − lr·wd·θ; "adam": no decay (weightDecay must be 0) */
  optimizer: "adamw" | "adam";
  weightDecay: number;
  steps: number;
  checkpoints: number;
  lr: number;
  evalSamples: number;
  /** absolute threshold: σ > eps */
  eps: number;
  /** relative threshold: σ > epsRel · σ_max, per input */
  epsRel: number;
  /** thresholds for the sensitivity curve at the final checkpoint */
  epsList: number[];
  seed: number;
}

export interface MlpRun {
  seed: number;
  /** "task" or "independent" (the control) */
  targets: "task" | "independent";
  sizes: number[];
  /** training and held-out set sizes */
  nTrain: number;
  nTest: number;
  steps: number[];
  /** mean loss over the whole training set / the held-out set, at each checkpoint */
  trainLoss: number[];
  testLoss: number[];
  /** MNIST only: accuracy on the training set / the held-out test split */
  trainAccuracy?: number[];
  testAccuracy?: number[];
  /** Gaussian only: the Bayes risk of the ½MSE loss, ½ tr(I − C Cᵀ) (the test-loss floor) */
  bayesLoss?: number;
  /** ‖θ‖₂ of all parameters (weights and biases) */
  paramNorm: number[];
  /** localRank[c][l]: checkpoint c, layer l + 1, absolute ε */
  localRank: number[][];
  /** localRankRel[c][l]: the same with σ > epsRel · σ_max */
  localRankRel: number[][];
  /** participation[c][l]: mean over the evaluation inputs of (Σσ)²/Σσ² of the singular values σ of ∂z_l/∂x */
  participation: number[][];
  /** at the final checkpoint: sensitivity[i][l] = local rank of layer l + 1 at epsList[i] */
  sensitivity: number[][];
  backend: string;
  /** the step at which training diverged (non-finite loss or parameters), if it did */
  divergedAt?: number;
}

/**
 * Bayes risk of the per-sample loss ½‖f − y‖² on `gaussianPairs` data with cross-covariance C (Σ_xx = Σ_yy = I):
 * y | x ~ N(Cx, I − C Cᵀ), so the best predictor is Cx and E ½‖y − Cx‖² = ½ tr(I − C Cᵀ) = ½ (dOut − ‖C‖²_F).
 */
export function gaussianBayesHalfMse(C: Matrix): number {
  let f = 0;
  for (const v of C.data) f += v * v;
  return 0.5 * (C.rows - f);
}

/** Counts of one input's singular values: above the absolute ε, above ε_rel·σ_max (0 when σ_max = 0). */
export function epsRanks(s: ArrayLike<number>, eps: number, epsRel: number): { abs: number; rel: number } {
  let max = 0;
  for (let i = 0; i < s.length; i++) max = Math.max(max, s[i]);
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] > eps) abs++;
    if (max > 0 && s[i] > epsRel * max) rel++;
  }
  return { abs, rel };
}

/**
 * Local rank of layers 1 … L from one SVD per input and layer: mean over the rows of X of the absolute-ε and
 * relative-ε counts, and of the participation ratio.
 */
export function jacobianRanks(
  spec: nets.NetSpec,
  params: Float64Array,
  X: Matrix,
  eps: number,
  epsRel: number,
): { abs: number[]; rel: number[]; participation: number[] } {
  const L = spec.sizes.length - 1;
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / Math.max(1, v.length);
  const out = { abs: [] as number[], rel: [] as number[], participation: [] as number[] };
  for (let l = 1; l <= L; l++) {
    const perInput = inputJacobianSingularValues(spec, params, X, l);
    const counts = perInput.map((s) => epsRanks(s, eps, epsRel));
    out.abs.push(mean(counts.map((c) => c.abs)));
    out.rel.push(mean(counts.map((c) => c.rel)));
    out.participation.push(mean(perInput.map((s) => (s.some((v) => v > 0) ? participationRatio(s) : 0))));
  }
  return out;
}

/** Mean loss (the training loss's definition) and, for classification, accuracy over all rows, in chunks. */
function evaluate(
  spec: nets.NetSpec,
  params: Float64Array,
  X: Matrix,
  Y: Matrix,
  loss: nets.LossName,
): { loss: number; accuracy: number } {
  const K = Y.cols;
  const chunk = 5000;
  let total = 0;
  let correct = 0;
  for (let start = 0; start < X.rows; start += chunk) {
    const m = Math.min(chunk, X.rows - start);
    const Xc = new Matrix(m, X.cols, X.data.subarray(start * X.cols, (start + m) * X.cols));
    const F = nets.predict(spec, params, Xc).data;
    const Yc = Y.data.subarray(start * K, (start + m) * K);
    total += lossAndResidual(loss, F, Yc, m, K) * m;
    const predicted = rowArgmax(F, m, K);
    const labels = rowArgmax(Yc, m, K);
    for (let i = 0; i < m; i++) if (predicted[i] === labels[i]) correct++;
  }
  return { loss: total / X.rows, accuracy: correct / X.rows };
}

export async function runMlp(a: MlpRunArgs): Promise<MlpRun> {
  let X: Matrix;
  let Y: Matrix;
  let Xt: Matrix;
  let Yt: Matrix;
  let loss: nets.LossName;
  let bayesLoss: number | undefined;
  const control = a.targets === "independent";
  if (a.data === "gaussian") {
    // the control: the same marginals, cross-covariance 0 (targets carry no information about the inputs)
    const ds = gaussianPairs({
      n: a.n,
      dIn: 100,
      dOut: 2,
      seed: a.seed,
      ...(control ? { crossCov: new Matrix(2, 100) } : {}),
    });
    const te = gaussianPairs({
      n: GAUSSIAN_TEST_SAMPLES,
      dIn: 100,
      dOut: 2,
      crossCov: ds.crossCov,
      seed: a.seed + TEST_SEED_OFFSET,
    });
    [X, Y, Xt, Yt] = [ds.X, ds.Y, te.X, te.Y];
    bayesLoss = gaussianBayesHalfMse(ds.crossCov);
    loss = "mse";
  } else {
    const load = a.data === "mnist" ? loadMnist : loadFashionMnist;
    const ds = load({ n: a.n, seed: a.seed });
    const te = load({ split: "test" });
    [X, Y, Xt, Yt] = [ds.X, ds.Y, te.X, te.Y];
    if (control) {
      // the control: the training labels shuffled (a seeded permutation of the rows of Y)
      const perm = new Rng(a.seed + 11).permutation(Y.rows);
      const Ys = new Matrix(Y.rows, Y.cols);
      perm.forEach((r, i) => Ys.data.set(Y.data.subarray(r * Y.cols, (r + 1) * Y.cols), i * Y.cols));
      Y = Ys;
    }
    loss = "ce";
  }
  if (a.optimizer === "adam" && a.weightDecay !== 0)
    throw new Error(`runMlp: weightDecay ${a.weightDecay} needs optimizer "adamw" (plain "adam" runs without decay)`);
  const spec: nets.NetSpec = { sizes: [X.cols, ...a.hidden, Y.cols], activation: "relu", bias: true };
  const evalRows = new Rng(a.seed + 7).permutation(X.rows).slice(0, a.evalSamples);
  const Xeval = takeRows({ name: "", X, Y, description: "" }, evalRows).X;
  const classify = a.data !== "gaussian";
  const out: MlpRun = {
    seed: a.seed,
    targets: control ? "independent" : "task",
    sizes: spec.sizes,
    nTrain: X.rows,
    nTest: Xt.rows,
    steps: [],
    trainLoss: [],
    testLoss: [],
    paramNorm: [],
    localRank: [],
    localRankRel: [],
    participation: [],
    sensitivity: [],
    backend: "",
    ...(classify ? { trainAccuracy: [], testAccuracy: [] } : { bayesLoss }),
  };
  // float64 on the native BLAS path: the plain-Adam contrast reaches losses (≈1e-13) float32 cannot resolve
  const res = await trainDense({
    precision: "float64",
    spec,
    params: nets.initParams(spec, { init: "he", seed: a.seed }),
    X,
    Y,
    loss,
    optimizer: a.optimizer,
    weightDecay: a.optimizer === "adamw" ? a.weightDecay : undefined,
    decayBiases: a.decayBiases ?? true,
    lr: a.lr,
    steps: a.steps,
    batchSize: a.batchSize,
    seed: a.seed,
    checkpoints: logSpacedSteps(a.steps, a.checkpoints),
    // the run's record so far (its series grow at every checkpoint), saved with the training state (a lost queue job
    // resumes from it)
    records: { save: () => out, restore: (state) => void Object.assign(out, state as MlpRun) },
    onCheckpoint: (step, params) => {
      out.steps.push(step);
      const tr = evaluate(spec, params, X, Y, loss);
      const te = evaluate(spec, params, Xt, Yt, loss);
      out.trainLoss.push(tr.loss);
      out.testLoss.push(te.loss);
      if (classify) {
        out.trainAccuracy!.push(tr.accuracy);
        out.testAccuracy!.push(te.accuracy);
      }
      let sq = 0;
      for (const v of params) sq += v * v;
      out.paramNorm.push(Math.sqrt(sq));
      // one SVD per input and layer gives all three: absolute-ε and relative-ε local rank, participation ratio
      const r = jacobianRanks(spec, params, Xeval, a.eps, a.epsRel);
      out.localRank.push(r.abs);
      out.localRankRel.push(r.rel);
      out.participation.push(r.participation);
    },
  });
  out.backend = res.backend;
  if (res.divergedAt !== undefined) out.divergedAt = res.divergedAt;
  out.sensitivity = localRankSensitivity(spec, res.params, Xeval, a.epsList).localRank;
  return out;
}

export const mlpModule = __filename;
