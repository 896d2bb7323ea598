/**
 * One measurement of the Singh et al. study: build a network at initialisation on image data,
 * compute the exact float64 Hessian (closed form for linear/no-bias/MSE, general otherwise),
 * its spectrum, numerical ranks and the formula values. Plain data in and out, so sweeps can run
 * in worker threads.
 */
import { Matrix, eigvalsh, rank } from "../../linalg";
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { centre } from "../../data";
import { imageData, ImageSource } from "../data-source";

export type InputTreatment = "raw" | "centred" | "standardized";
export const INPUT_TREATMENTS: readonly InputTreatment[] = ["raw", "centred", "standardized"];

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
  dataDescription: string;
  seconds: number;
}

export function problemFor(a: MeasureArgs): { problem: cv.Problem; description: string } {
  const ds = imageData({ source: a.source, n: a.n, d: a.d, seed: a.seed, cifarDir: a.cifarDir, classes: a.K < 10 ? Array.from({ length: a.K }, (_, i) => i) : undefined });
  // Singh et al. A3 (bias) needs zero-mean inputs; centring also keeps the mean direction from
  // inflating λ_max, which on raw downscaled images pushes true eigenvalues (≈1e-14·λ_max) under
  // the default tolerance max|λ|·p·eps
  const treatment: InputTreatment = a.inputs === "raw" && a.bias ? "centred" : a.inputs;
  let X: Matrix = treatment === "raw" ? ds.X : centre(ds).X;
  if (treatment === "standardized") {
    const N = X.rows;
    const d = X.cols;
    const sd = new Float64Array(d);
    for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) sd[j] += X.data[i * d + j] ** 2;
    for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] / N);
    X = new Matrix(N, d, X.data.map((v, i) => (sd[i % d] > 0 ? v / sd[i % d] : 0)));
  }
  const spec: nets.NetSpec = { sizes: [a.d, ...a.hidden, a.K], activation: a.activation, bias: a.bias };
  return { problem: { spec, params: nets.initParams(spec, { init: a.init, seed: a.seed }), X, Y: ds.Y, loss: a.loss }, description: ds.description + (treatment === "raw" ? "" : `; ${treatment} per pixel`) };
}

export function measure(a: MeasureArgs): Measurement {
  const t0 = Date.now();
  const { problem, description } = problemFor(a);
  const linearNoBias = a.activation === "linear" && !a.bias && a.loss === "mse";
  const res = linearNoBias ? cv.linearHessianClosedForm(problem, { parts: a.parts }) : cv.hessian(problem, { parts: a.parts });
  const r = rank(problem.X);
  const s = a.loss === "mse" ? rank(cv.linearStatistics(problem).omega) : Math.min(r, a.K - (a.loss === "ce" ? 1 : 0));
  const formula = cv.linearRankFormulas({ sizes: problem.spec.sizes, r, s, bias: a.bias, loss: a.loss });
  const ranks: Measurement["ranks"] = {};
  const spectra: Measurement["spectra"] = {};
  for (const part of a.parts) {
    const ev = eigvalsh(res[part]!);
    ranks[part] = cv.summarizeSpectrum(ev).rank;
    if (a.keepSpectra) spectra[part] = Array.from(ev);
  }
  return { p: res.p, r, s, ranks, formula, spectra: a.keepSpectra ? spectra : undefined, dataDescription: description, seconds: (Date.now() - t0) / 1000 };
}

/** Rank at the threshold that best separates the formula's bulk: τ between |λ|_(f) and |λ|_(f+1). */
export function bestThreshold(eigenvalues: ArrayLike<number>, formulaRank: number): { tau: number; rank: number; gap: number } {
  const mags = Array.from(eigenvalues, Math.abs).sort((x, y) => y - x);
  const f = Math.min(Math.max(formulaRank, 1), mags.length);
  const above = mags[f - 1];
  const below = f < mags.length ? mags[f] : 0;
  const tau = below > 0 ? Math.sqrt(above * below) : above / 2;
  return { tau, rank: mags.filter((v) => v > tau).length, gap: below > 0 ? above / below : Infinity };
}

export const measureModule = __filename;
