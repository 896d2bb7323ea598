/**
 * One measurement of the Singh et al. study: build a network at initialisation on image data,
 * compute the exact float64 Hessian (closed form for linear/no-bias/MSE, general otherwise),
 * its spectrum, numerical ranks and the formula values. Plain data in and out, so sweeps can run
 * in worker threads.
 */
import { Matrix, eigvalsh, rank } from "../../linalg";
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { centre, downscaleNearest, DataError } from "../../data";
import { imageData, ImageSource } from "../data-source";
import { Rng } from "../../util/random";

export type InputTreatment = "raw" | "centred" | "standardized";
export const BIAS_INPUTS = ["centred", "as-given"] as const;
export type BiasInputs = (typeof BIAS_INPUTS)[number];
export const INPUT_KINDS = ["images", "gaussian"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];
export const INPUT_TREATMENTS: readonly InputTreatment[] = ["raw", "centred", "standardized"];
/**
 * How images are brought to d = side² pixels: "nearest" copies one pixel per output pixel (torch's
 * `F.interpolate(mode="nearest")`, the authors' code); "area" averages the region each output pixel covers.
 */
export type Downscale = "nearest" | "area";
export const DOWNSCALES: readonly Downscale[] = ["nearest", "area"];

export interface MeasureArgs {
  hidden: number[];
  d: number;
  K: number;
  n: number;
  activation: nets.Activation;
  bias: boolean;
  loss: nets.LossName;
  init: nets.Init;
  seed: number;
  source: ImageSource;
  cifarDir?: string;
  /** which matrices to analyse */
  parts: ("H" | "Ho" | "Hf")[];
  /**
   * input pre-processing: "raw" pixels, "centred" (per-pixel mean removed), "standardized"
   * (centred and divided by the per-pixel standard deviation; constant pixels stay 0).
   * With bias, inputs are always at least centred (Singh et al. A3).
   */
  inputs: InputTreatment;
  /** downscaling to d pixels (default "area", the library's original pipeline; the study passes its option) */
  downscale?: Downscale;
  /**
   * with bias: "centred" (default) centres "raw" inputs (assumption A3 of Theorem 12); "as-given" keeps the `inputs`
   * treatment as it is (the paper: mean-zero inputs are not needed in practice)
   */
  biasInputs?: BiasInputs;
  /**
   * "gaussian": inputs drawn N(0, I_d) (full rank, in general position, as Theorem 9's "N > 2d" assumes) with random
   * one-hot targets, instead of images (the default)
   */
  inputKind?: InputKind;
  /** multiplies every initial weight (1 = the init as drawn); small values make tanh nearly linear */
  initScale?: number;
  /** return the eigenvalues (spectra figures) */
  keepSpectra?: boolean;
}

export interface Measurement {
  p: number;
  r: number;
  s: number;
  ranks: Partial<Record<"H" | "Ho" | "Hf", number>>;
  formula: cv.RankFormulas;
  spectra?: Partial<Record<"H" | "Ho" | "Hf", number[]>>;
  /**
   * |λ|_(f)/λ_max with f the part's formula value (the smallest eigenvalue the formula counts), beside
   * the default tolerance's p · eps: says whether a rank below the formula is a tolerance effect
   */
  atFormula: Partial<Record<"H" | "Ho" | "Hf", number>>;
  dataDescription: string;
  seconds: number;
}

export function problemFor(a: MeasureArgs): { problem: cv.Problem; description: string } {
  const load = {
    source: a.source,
    n: a.n,
    seed: a.seed,
    cifarDir: a.cifarDir,
    classes: a.K < 10 ? Array.from({ length: a.K }, (_, i) => i) : undefined,
  };
  if (a.inputKind === "gaussian") return gaussianProblem(a);
  let ds = imageData({ ...load, d: a.downscale === "nearest" ? 0 : a.d });
  if (a.downscale === "nearest") {
    const side = Math.round(Math.sqrt(a.d));
    if (side * side !== a.d) throw new DataError(`measure: d must be a perfect square (8×8 = 64, …), got ${a.d}`);
    const [h, w, c] = ds.imageShape!;
    if (!(side === h && side === w && c === 1)) ds = downscaleNearest(ds, [side, side], { grey: true });
  }
  // Singh et al. A3 (bias) needs zero-mean inputs; centring also keeps the mean direction from
  // inflating λ_max, which on raw downscaled images pushes true eigenvalues (≈1e-14·λ_max) under
  // the default tolerance max|λ|·p·eps
  const treatment: InputTreatment =
    a.inputs === "raw" && a.bias && (a.biasInputs ?? "centred") === "centred" ? "centred" : a.inputs;
  let X: Matrix = treatment === "raw" ? ds.X : centre(ds).X;
  if (treatment === "standardized") {
    const N = X.rows;
    const d = X.cols;
    const sd = new Float64Array(d);
    for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) sd[j] += X.data[i * d + j] ** 2;
    for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] / N);
    X = new Matrix(
      N,
      d,
      X.data.map((v, i) => (sd[i % d] > 0 ? v / sd[i % d] : 0)),
    );
  }
  const spec: nets.NetSpec = { sizes: [a.d, ...a.hidden, a.K], activation: a.activation, bias: a.bias };
  const params = nets.initParams(spec, { init: a.init, seed: a.seed });
  const scale = a.initScale ?? 1;
  if (scale !== 1)
    for (const l of nets.layout(spec)) for (let i = l.wOffset; i < l.wOffset + l.rows * l.cols; i++) params[i] *= scale;
  return {
    problem: { spec, params, X, Y: ds.Y, loss: a.loss },
    description: ds.description + (treatment === "raw" ? "" : `; ${treatment} per pixel`),
  };
}

/** Inputs N(0, I_d) (seeded by the run's seed) and random one-hot targets: inputs in general position. */
function gaussianProblem(a: MeasureArgs): { problem: cv.Problem; description: string } {
  const rng = new Rng(7919 + a.seed);
  const X = new Matrix(a.n, a.d, rng.normals(a.n * a.d));
  const Y = Matrix.zeros(a.n, a.K);
  for (let i = 0; i < a.n; i++) Y.data[i * a.K + Math.floor(rng.uniform() * a.K)] = 1;
  const spec: nets.NetSpec = { sizes: [a.d, ...a.hidden, a.K], activation: a.activation, bias: a.bias };
  const params = nets.initParams(spec, { init: a.init, seed: a.seed });
  return {
    problem: { spec, params, X, Y, loss: a.loss },
    description: `${a.n} Gaussian N(0, I_${a.d}) inputs (general position), random one-hot targets over ${a.K} classes`,
  };
}

export function measure(a: MeasureArgs): Measurement {
  const t0 = Date.now();
  const { problem, description } = problemFor(a);
  const linearNoBias = a.activation === "linear" && !a.bias && a.loss === "mse";
  const res = linearNoBias
    ? cv.linearHessianClosedForm(problem, { parts: a.parts })
    : cv.hessian(problem, { parts: a.parts });
  const r = rank(problem.X);
  const s = a.loss === "mse" ? rank(cv.linearStatistics(problem).omega) : Math.min(r, a.K - (a.loss === "ce" ? 1 : 0));
  const formula = cv.linearRankFormulas({ sizes: problem.spec.sizes, r, s, bias: a.bias, loss: a.loss });
  const ranks: Measurement["ranks"] = {};
  const spectra: Measurement["spectra"] = {};
  const atFormula: Measurement["atFormula"] = {};
  for (const part of a.parts) {
    const ev = eigvalsh(res[part]!);
    ranks[part] = cv.summarizeSpectrum(ev).rank;
    const f = part === "H" ? formula.H : part === "Ho" ? formula.Ho : formula.Hf;
    if (f !== undefined && f >= 1 && f <= ev.length) {
      const mags = Array.from(ev, Math.abs).sort((x, y) => y - x);
      atFormula[part] = mags[0] > 0 ? mags[f - 1] / mags[0] : 0;
    }
    if (a.keepSpectra) spectra[part] = Array.from(ev);
  }
  return {
    p: res.p,
    r,
    s,
    ranks,
    formula,
    spectra: a.keepSpectra ? spectra : undefined,
    atFormula,
    dataDescription: description,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** How the sorted spectrum |λ|_(1) ≥ |λ|_(2) ≥ … behaves at a predicted index f (1-based). */
export interface SpectrumGaps {
  /** the predicted index f (clamped to 1…p) */
  f: number;
  /** |λ|_(f) / |λ|_(f+1) (Infinity when |λ|_(f+1) = 0 or f = p) */
  gapAtF: number;
  /** the i maximising |λ|_(i) / |λ|_(i+1) among i with |λ|_(i+1) above the noise floor (0 when none) */
  largestGapIndex: number;
  largestGap: number;
  /** |λ|_(f) / λ_max */
  relativeAtF: number;
  /** ‖H − H_f‖_F / ‖H‖_F with the f eigenpairs of largest |λ| kept */
  reconstructionAtF: number;
  /** eigenvalues above the noise floor, i.e. the rank at the default tolerance max|λ| · p · eps */
  aboveFloor: number;
  /** numerical ranks at relative thresholds: eigenvalues with |λ| > t · max|λ|, t = 1e-3 and 1e-4 */
  rankAt1e3?: number;
  rankAt1e4?: number;
}

/** Eigenvalues with |λ| > t · max|λ|: the numerical rank at the relative threshold t. */
export function rankAtRelative(eigenvalues: ArrayLike<number>, t: number): number {
  let max = 0;
  for (let i = 0; i < eigenvalues.length; i++) max = Math.max(max, Math.abs(eigenvalues[i]));
  let r = 0;
  for (let i = 0; i < eigenvalues.length; i++) if (Math.abs(eigenvalues[i]) > t * max) r++;
  return max > 0 ? r : 0;
}

/**
 * Measures whether a spectrum drops at the index f without placing anything at f: the gap ratio
 * there, the index of the spectrum's largest (log-scale) gap over the part above the float64 noise
 * floor (|λ| > max|λ| · p · eps, where ratios of rounding noise mean nothing), |λ|_(f)/λ_max and the
 * rank-f reconstruction error. The largest-gap search skips the top `skipTop` eigenvalues (pass K: the
 * outliers above the bulk) and stops at the noise floor, whose own edge is reported as `aboveFloor`.
 */
export function spectrumGaps(eigenvalues: ArrayLike<number>, f: number, skipTop = 0): SpectrumGaps {
  const ev = Float64Array.from(eigenvalues);
  const mags = Array.from(ev, Math.abs).sort((x, y) => y - x);
  const n = mags.length;
  const k = Math.min(Math.max(Math.round(f), 1), n);
  const aboveFloor = cv.summarizeSpectrum(ev).rank;
  let largestGapIndex = 0;
  let largestGap = 1;
  // the top `skipTop` eigenvalues (the K outliers of Fig. 1) are left out of the largest-gap search
  for (let i = Math.max(1, skipTop + 1); i < aboveFloor; i++) {
    const g = mags[i - 1] / mags[i];
    if (g > largestGap) [largestGap, largestGapIndex] = [g, i];
  }
  const below = k < n ? mags[k] : 0;
  return {
    f: k,
    gapAtF: below > 0 ? mags[k - 1] / below : Infinity,
    largestGapIndex,
    largestGap,
    relativeAtF: mags[0] > 0 ? mags[k - 1] / mags[0] : 0,
    reconstructionAtF: cv.reconstructionErrors(ev)[k],
    aboveFloor,
    rankAt1e3: rankAtRelative(ev, 1e-3),
    rankAt1e4: rankAtRelative(ev, 1e-4),
  };
}

/** Theorem 5 and block-column independence: the ranks of each layer's column block of H_f and H_o. */
export interface BlockMeasurement {
  p: number;
  r: number;
  /** rank Ω = E[δxᵀ] measured (MSE), as the Cor. 6 formula points use */
  s: number;
  sizes: number[];
  /**
   * per layer l = 1..L: rank of the column block H_f[:, layer l] (all p rows, layer l's M_l·M_(l−1)
   * columns) at the block's own default tolerance σ_max · max(rows, cols) · eps. Ĥ_f of Theorem 5 takes
   * one derivative w.r.t. W_lᵀ: a permutation of these columns, so the rank is the same.
   */
  HfBlocks: number[];
  /** the same for H_o (linear networks without bias only: empty otherwise) */
  HoBlocks: number[];
  /** rank of the whole H_f at its default tolerance max|λ| · p · eps */
  Hf: number;
  dataDescription: string;
  seconds: number;
}

export function measureBlocks(a: MeasureArgs): BlockMeasurement {
  const t0 = Date.now();
  const { problem, description } = problemFor(a);
  const linearNoBias = a.activation === "linear" && !a.bias && a.loss === "mse";
  const res = linearNoBias
    ? cv.linearHessianClosedForm(problem, { parts: ["Ho", "Hf"] })
    : cv.hessian(problem, { parts: ["Ho", "Hf"] });
  const rows = Array.from({ length: res.p }, (_, i) => i);
  const L = problem.spec.sizes.length - 1;
  const HfBlocks: number[] = [];
  const HoBlocks: number[] = [];
  for (let l = 1; l <= L; l++) {
    const cols = cv.layerIndices(problem.spec, l);
    HfBlocks.push(rank(cv.denseBlock(res.Hf!, rows, cols)));
    if (linearNoBias) HoBlocks.push(rank(cv.denseBlock(res.Ho!, rows, cols)));
  }
  const s =
    a.loss === "mse"
      ? rank(cv.linearStatistics(problem).omega)
      : Math.min(rank(problem.X), a.K - (a.loss === "ce" ? 1 : 0));
  return {
    p: res.p,
    r: rank(problem.X),
    s,
    sizes: problem.spec.sizes,
    HfBlocks,
    HoBlocks,
    Hf: cv.spectrumOf(res.Hf!).rank,
    dataDescription: description,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** Theorem 9 / Fact 11: rank of H_o of a bias-free ReLU network, its neurons' activity and assumption A2. */
export interface ReluMeasurement {
  p: number;
  r: number;
  sizes: number[];
  /** rank of H_o at the default tolerance */
  Ho: number;
  /** per hidden layer: neurons active (pre-activation > 0) on at least one sample */
  active: number[];
  /**
   * first-layer neurons whose weighted input covariance E[α x xᵀ] (α = 1 where the neuron is active) has rank r:
   * assumption A2
   */
  a2: number;
  /** per first-layer neuron: the number of samples on which it is active */
  firstLayerActivity: number[];
  /** per first-layer neuron: rank of its weighted input covariance E[α x xᵀ] (0 for a dead neuron) */
  firstLayerRanks: number[];
  seconds: number;
}

export function measureRelu(a: MeasureArgs): ReluMeasurement {
  const t0 = Date.now();
  const { problem } = problemFor(a);
  const { Ho } = cv.hessian(problem, { parts: ["Ho"] });
  const X = problem.X;
  const r = rank(X);
  const fw = nets.forward(problem.spec, problem.params, X, { derivatives: false });
  const L = problem.spec.sizes.length - 1;
  const active: number[] = [];
  let firstLayerActivity: number[] = [];
  const firstLayerRanks: number[] = [];
  let a2 = 0;
  for (let l = 1; l < L; l++) {
    const Z = fw.Z[l];
    const counts = new Array(Z.cols).fill(0);
    for (let i = 0; i < Z.rows; i++) for (let j = 0; j < Z.cols; j++) if (Z.data[i * Z.cols + j] > 0) counts[j]++;
    active.push(counts.filter((c) => c > 0).length);
    if (l === 1) {
      firstLayerActivity = counts;
      for (let j = 0; j < Z.cols; j++) {
        firstLayerRanks.push(0);
        if (!counts[j]) continue;
        // E[α x xᵀ] = X_Aᵀ X_A / N over the samples A where neuron j is active: its rank is rank(X_A)
        const A = new Matrix(counts[j], X.cols);
        let k = 0;
        for (let i = 0; i < Z.rows; i++)
          if (Z.data[i * Z.cols + j] > 0) A.data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), X.cols * k++);
        firstLayerRanks[j] = rank(A);
        if (firstLayerRanks[j] === r) a2++;
      }
    }
  }
  return {
    p: Ho!.rows,
    r,
    sizes: problem.spec.sizes,
    Ho: cv.spectrumOf(Ho!).rank,
    active,
    a2,
    firstLayerActivity,
    firstLayerRanks,
    seconds: (Date.now() - t0) / 1000,
  };
}

export const measureModule = __filename;
