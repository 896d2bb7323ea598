/**
 * Worker-pool tasks of the bottleneck study: deep ReLU networks trained with an L2 penalty by full-batch
 * Adam on the native BLAS path (option precision), then their weight and representation spectra in float64.
 */
import { Matrix, rankOfSpectrum } from "../../linalg";
import * as nets from "../../nets";
import { trainDense, Precision } from "../../training";
import { weightSpectra, representationSpectra, dataWeightSpectra } from "../../metrics";
import { latentData, pcaFit, pcaTransform, columnMeans, LatentDistribution } from "../../data";
import { lossValue } from "../../curvature";
import { Rng } from "../../util/random";
import { symmetryTask, symmetryData, summaryStats, gdPath, vectorAt } from "./symmetry";
import { countCrossings, knnR2, trimNearCommonEnd, Point } from "./analysis";

export interface TrainSettings {
  width: number;
  lr: number;
  /** L2 penalty λ: the objective is the mean ½‖f − y‖² + (λ/2)‖θ‖² over all weights and biases */
  lambda: number;
  steps: number;
  seed: number;
  /** the training's arithmetic (option precision) */
  precision: Precision;
}

export interface BnRankArgs extends TrainSettings {
  depth: number;
  k: number;
  dIn: number;
  dOut: number;
  n: number;
  /** the task's latent: distribution, shift of every coordinate, bias scale of the generators g and h */
  latent: LatentDistribution;
  latentShift: number;
  generatorBias: number;
  /**
   * seed of the task instance: the generators g, h and the latent sample (the study derives it from the run's seed,
   * so every seed is a new task instance as well as a new initialisation)
   */
  taskSeed: number;
  /** weight singular values above this count towards a layer's rank */
  threshold: number;
  /** a singular value of W_l·H_(l−1) counts towards the layer's data-used rank above this fraction of the largest */
  dataThreshold: number;
  /** singular values kept per layer in the result */
  keep: number;
  /**
   * a λ schedule: after the steps at lambda, this many more at polishLambda (Adam restarted from the trained
   * parameters); 0 (default) for none
   */
  polishSteps?: number;
  polishLambda?: number;
}

export interface BnRankRun {
  depth: number;
  k: number;
  seed: number;
  taskSeed: number;
  latent: LatentDistribution;
  latentShift: number;
  generatorBias: number;
  /** mean ½‖f − y‖² at the end, and the same for the best constant prediction (the target variance) */
  mse: number;
  targetVariance: number;
  /** ‖θ‖² (weights and biases), and its two parts Σ_l ‖W_l‖²_F and Σ_l ‖b_l‖² */
  paramSqNorm: number;
  weightSqNorm: number;
  biasSqNorm: number;
  /** max_l |‖W_(l+1)‖²_F − ‖W_l‖²_F − ‖b_l‖²| / (‖θ‖²/L): 0 at a critical point of the L2-regularised loss */
  balanceError: number;
  /** how far the learned map is from 1-homogeneous on the training inputs: ‖f(2X) − 2f(X)‖_F / ‖2f(X)‖_F */
  homogeneityError: number;
  /** top singular values of W_1 … W_L */
  weightSV: number[][];
  /** top singular values (/√N) of the centred pre-activations of layers 1 … L, and cumulative explained variance */
  repSV: number[][];
  repVariance: number[][];
  /** top singular values (/√N) of the uncentred pre-activations of layers 1 … L */
  repSVUncentred: number[][];
  /** top singular values (/√N) of W_l applied to the training inputs of layer l, H_(l−1)·W_lᵀ, l = 1 … L */
  dataSV: number[][];
  /** weight singular values above the threshold for the middle layers 2 … L − 1 */
  middleRanks: number[];
  /** the most frequent of middleRanks (the larger on a tie) */
  learnedRank: number;
  /** for the middle layers: singular values of H_(l−1)·W_lᵀ above dataThreshold × the largest, and their mode */
  middleDataRanks: number[];
  dataRank: number;
  seconds: number;
}

/** The study reads converged minima; a diverged run (non-finite loss) is an error that says what to change. */
function checkConverged(what: string, res: { divergedAt?: number }, a: TrainSettings): void {
  if (res.divergedAt !== undefined)
    throw new Error(
      `bottleneck: ${what} (seed ${a.seed}) diverged at Adam step ${res.divergedAt} with lr ` +
        `${a.lr}, λ ${a.lambda}; lower the option lr`,
    );
}

function hiddenSpec(d: number, depth: number, width: number, out: number): nets.NetSpec {
  return { sizes: [d, ...new Array(depth - 1).fill(width), out], activation: "relu", bias: true };
}

/** Mean ½‖y − ȳ‖²: the loss of the best constant prediction. */
function targetVariance(Y: Matrix): number {
  const mu = columnMeans(Y);
  return Y.data.reduce((s, v, i) => s + (v - mu[i % Y.cols]) ** 2, 0) / (2 * Y.rows);
}

export function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = -1;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v > best)) [best, bestCount] = [v, c];
  return best;
}

/** ‖W_l‖²_F and ‖b_l‖² of every layer l = 1 … L of a dense network. */
export function layerSqNorms(spec: nets.NetSpec, params: Float64Array): { w: number; b: number }[] {
  return nets.layout(spec).map((s) => {
    let w = 0;
    let b = 0;
    for (let i = s.wOffset; i < s.wOffset + s.rows * s.cols; i++) w += params[i] ** 2;
    if (s.bOffset >= 0) for (let i = s.bOffset; i < s.bOffset + s.rows; i++) b += params[i] ** 2;
    return { w, b };
  });
}

/**
 * How far a ReLU network is from the balance every critical point of MSE + (λ/2)‖θ‖² has: rescaling a hidden
 * neuron's incoming weights and bias by e^t and its outgoing weights by e^(−t) leaves the function unchanged, so at a
 * critical point ‖W_(l+1)‖²_F = ‖W_l‖²_F + ‖b_l‖² for every hidden layer l. Returns max_l |‖W_(l+1)‖²_F − ‖W_l‖²_F −
 * ‖b_l‖²| divided by the mean layer norm ‖θ‖²/L (0 when balanced).
 */
export function balanceError(spec: nets.NetSpec, params: Float64Array): number {
  const ls = layerSqNorms(spec, params);
  const total = ls.reduce((a, l) => a + l.w + l.b, 0);
  let worst = 0;
  for (let l = 0; l + 1 < ls.length; l++) worst = Math.max(worst, Math.abs(ls[l + 1].w - ls[l].w - ls[l].b));
  return total > 0 ? worst / (total / ls.length) : 0;
}

/** Σ‖W_l‖²_F and Σ‖b_l‖² of a dense network. */
export function weightAndBiasSqNorms(spec: nets.NetSpec, params: Float64Array): { weights: number; biases: number } {
  let weights = 0;
  let biases = 0;
  for (const s of nets.layout(spec)) {
    for (let i = s.wOffset; i < s.wOffset + s.rows * s.cols; i++) weights += params[i] ** 2;
    if (s.bOffset >= 0) for (let i = s.bOffset; i < s.bOffset + s.rows; i++) biases += params[i] ** 2;
  }
  return { weights, biases };
}

/** ‖f(2X) − 2f(X)‖_F / ‖2f(X)‖_F: 0 for a bias-free ReLU network (1-homogeneous), larger as biases bend the map. */
export function homogeneityError(spec: nets.NetSpec, params: Float64Array, X: Matrix): number {
  const f1 = nets.predict(spec, params, X).data;
  const f2 = nets.predict(
    spec,
    params,
    new Matrix(
      X.rows,
      X.cols,
      X.data.map((v) => 2 * v),
    ),
  ).data;
  let num = 0;
  let den = 0;
  for (let i = 0; i < f1.length; i++) {
    num += (f2[i] - 2 * f1[i]) ** 2;
    den += (2 * f1[i]) ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : NaN;
}

export async function runBnRank(a: BnRankArgs): Promise<BnRankRun> {
  const t0 = Date.now();
  // the task instance (generators and latent sample) from taskSeed, the initialisation from seed
  const ds = latentData({
    n: a.n,
    k: a.k,
    dIn: a.dIn,
    dOut: a.dOut,
    seed: a.taskSeed,
    latent: a.latent,
    shift: a.latentShift,
    biasScale: a.generatorBias,
  });
  const spec = hiddenSpec(a.dIn, a.depth, a.width, a.dOut);
  const res = await trainDense({
    spec,
    params: nets.initParams(spec, { init: "he", seed: a.seed }),
    X: ds.X,
    Y: ds.Y,
    loss: "mse",
    optimizer: "adam",
    lr: a.lr,
    l2: a.lambda,
    steps: a.steps,
    seed: a.seed,
    precision: a.precision,
  });
  checkConverged(`the depth-${a.depth} network for k = ${a.k}`, res, a);
  let th = res.params;
  if (a.polishSteps) {
    const polish = { ...a, lambda: a.polishLambda ?? a.lambda, steps: a.polishSteps };
    const res2 = await trainDense({
      spec,
      params: th,
      X: ds.X,
      Y: ds.Y,
      loss: "mse",
      optimizer: "adam",
      lr: a.lr,
      l2: polish.lambda,
      steps: polish.steps,
      seed: a.seed,
      precision: a.precision,
    });
    checkConverged(`the depth-${a.depth} network for k = ${a.k} (λ = ${polish.lambda} phase)`, res2, polish);
    th = res2.params;
  }
  const wsv = weightSpectra(spec, th);
  const reps = representationSpectra(spec, th, ds.X);
  const middleRanks = wsv.slice(1, a.depth - 1).map((sv) => rankOfSpectrum(sv, a.threshold));
  const dsv = dataWeightSpectra(spec, th, ds.X);
  const middleDataRanks = dsv.slice(1, a.depth - 1).map((sv) => sv.filter((v) => v > a.dataThreshold * sv[0]).length);
  const norms = weightAndBiasSqNorms(spec, th);
  return {
    depth: a.depth,
    k: a.k,
    seed: a.seed,
    taskSeed: a.taskSeed,
    latent: a.latent,
    latentShift: a.latentShift,
    generatorBias: a.generatorBias,
    mse: lossValue({ spec, params: th, X: ds.X, Y: ds.Y, loss: "mse" }),
    targetVariance: targetVariance(ds.Y),
    paramSqNorm: th.reduce((s, v) => s + v * v, 0),
    weightSqNorm: norms.weights,
    biasSqNorm: norms.biases,
    balanceError: balanceError(spec, th),
    homogeneityError: homogeneityError(spec, th, ds.X),
    weightSV: wsv.map((sv) => sv.slice(0, a.keep)),
    repSV: reps.map((r) => r.singularValues.slice(0, a.keep)),
    repVariance: reps.map((r) => r.cumulativeVariance.slice(0, a.keep)),
    repSVUncentred: representationSpectra(spec, th, ds.X, { centred: false }).map((r) =>
      r.singularValues.slice(0, a.keep),
    ),
    dataSV: dsv.map((sv) => sv.slice(0, a.keep)),
    middleRanks,
    learnedRank: middleRanks.length ? mode(middleRanks) : rankOfSpectrum(wsv[0], a.threshold),
    middleDataRanks,
    dataRank: middleDataRanks.length
      ? mode(middleDataRanks)
      : dsv[0].filter((v) => v > a.dataThreshold * dsv[0][0]).length,
    seconds: (Date.now() - t0) / 1000,
  };
}

export interface SymmetryArgs extends TrainSettings {
  depth: number;
  d: number;
  T: number;
  eta: number;
  noise: number;
  n: number;
  rMin: number;
  rMax: number;
  /** GD paths drawn on the representation: how many, their start radius and step */
  paths: number;
  pathRadius: number;
  pathEta: number;
  /** crossings within this fraction of the cloud's diameter around the paths' common end are not counted */
  endRadius: number;
}

export interface SymmetryRun {
  depth: number;
  layer: number;
  mse: number;
  targetVariance: number;
  /** cumulative explained variance of the top 1, 2, 3 principal components, layers 1 … L */
  repVariance: number[][];
  /** the middle layer's representation of the training inputs in its top-2 principal plane */
  coords: Point[];
  a: number[];
  b: number[];
  /**
   * GD paths in the learned representation's plane and in the plane of the true statistics (|a|, b);
   * crossings are counted outside the neighbourhood of their common end (endRadius)
   */
  paths: { learned: Point[][]; stats: Point[][] };
  crossings: { learned: number; stats: number };
  /** 5-NN leave-one-out R²: statistics from the representation, and the representation from the statistics */
  r2StatsFromRep: number;
  r2RepFromStats: number;
  seconds: number;
}

export async function runSymmetry(a: SymmetryArgs): Promise<SymmetryRun> {
  const t0 = Date.now();
  const task = symmetryTask({ d: a.d, T: a.T, eta: a.eta, noise: a.noise, seed: 0 });
  const data = symmetryData(task, { n: a.n, rMin: a.rMin, rMax: a.rMax, seed: 1 });
  // targets standardised per predicted step (their scale shrinks fast along the horizon)
  const { rows: N, cols: T } = data.Y;
  const mu = columnMeans(data.Y);
  const sd = new Float64Array(T);
  data.Y.data.forEach((v, i) => (sd[i % T] += (v - mu[i % T]) ** 2 / N));
  const Y = new Matrix(
    N,
    T,
    data.Y.data.map((v, i) => (v - mu[i % T]) / (Math.sqrt(sd[i % T]) || 1)),
  );
  const spec = hiddenSpec(a.d, a.depth, a.width, a.T);
  const res = await trainDense({
    spec,
    params: nets.initParams(spec, { init: "he", seed: a.seed }),
    X: data.X,
    Y,
    loss: "mse",
    optimizer: "adam",
    lr: a.lr,
    l2: a.lambda,
    steps: a.steps,
    seed: a.seed,
    precision: a.precision,
  });
  checkConverged(`the symmetry network of depth ${a.depth}`, res, a);
  const th = res.params;
  const layer = Math.floor(a.depth / 2);
  const reps = representationSpectra(spec, th, data.X);
  const middle = (X: Matrix) => nets.forward(spec, th, X, { derivatives: false }).Z[layer];
  const pca = pcaFit(middle(data.X), 2);
  const plane = (X: Matrix): Point[] => {
    const P = pcaTransform(pca, middle(X));
    return Array.from({ length: P.rows }, (_, i) => [P.data[2 * i], P.data[2 * i + 1]] as Point);
  };
  const coords = plane(data.X);
  // GD paths from points at pathRadius with a > 0 (a and −a give the same losses), at small steps
  const rng = new Rng(2);
  const learned: Point[][] = [];
  const stats: Point[][] = [];
  for (let p = 0; p < a.paths; p++) {
    const phi = 0.12 + ((Math.PI / 2 - 0.24) * p) / Math.max(1, a.paths - 1);
    const path = gdPath(task, vectorAt(task, a.pathRadius, phi, rng), {
      eta: a.pathEta,
      every: 5,
      maxSteps: 20000,
      tol: 0.05,
    });
    const W = new Matrix(path.length, a.d);
    path.forEach((w, i) => W.data.set(w, i * a.d));
    learned.push(plane(W));
    stats.push(
      path.map((w) => {
        const s = summaryStats(task, w);
        return [Math.abs(s.a), s.b] as Point;
      }),
    );
  }
  const absStats = data.a.map((v, i) => [Math.abs(v), data.b[i]] as Point);
  const near = {
    learned: trimNearCommonEnd(learned, coords, a.endRadius),
    stats: trimNearCommonEnd(stats, absStats, a.endRadius),
  };
  return {
    depth: a.depth,
    layer,
    mse: lossValue({ spec, params: th, X: data.X, Y, loss: "mse" }),
    targetVariance: targetVariance(Y),
    repVariance: reps.map((r) => r.cumulativeVariance.slice(0, 3)),
    coords,
    a: data.a,
    b: data.b,
    paths: { learned, stats },
    crossings: { learned: countCrossings(near.learned), stats: countCrossings(near.stats) },
    r2StatsFromRep: knnR2(coords, absStats),
    r2RepFromStats: knnR2(absStats, coords),
    seconds: (Date.now() - t0) / 1000,
  };
}

export const bottleneckRunModule = __filename;
