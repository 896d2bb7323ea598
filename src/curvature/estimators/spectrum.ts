/**
 * Spectra of symmetric operators, by quantity: extreme eigenvalues (`topEigenvalues`), Ritz pairs with measured
 * residuals (`ritzPairs`), the spectral density by stochastic Lanczos quadrature with the count of eigenvalues above a
 * threshold (`spectralDensity`), and the whole spectrum from the dense matrix of the products with its exact rank
 * (`operatorSpectrum`, `operatorRank`). Results from an approximate operator carry its measured error (`approximate`)
 * and no exact rank. Figures of these results are in `src/figures`.
 */
import { Matrix, eigvalsh } from "../../linalg";
import { Rng } from "../../util/random";
import { checkOptions, int, num, oneOf, seed32 } from "../../util/options";
import type { SymmetricOperator } from "../operator-base";
import { applyInBlocks, checkOperator } from "../operator-base";
import { lanczos, tridiagonalEigh } from "./lanczos";
import { rademacher } from "./probes";
import { ApproximationReport, approximationReport, matrixAsymmetry } from "./asymmetry";
import { summarizeSpectrum } from "../spectrum";
import { checkDenseSize } from "../hessian";

/** Options of `topEigenvalues`. */
export interface LanczosOptions {
  /** Krylov dimension (default min(p, max(2k + 20, 60))) */
  steps?: number;
  /** seed of the Gaussian start vector (default 0) */
  seed?: number;
  /** "largest" algebraic (default) or "magnitude" */
  which?: "largest" | "magnitude";
}

/**
 * The k extreme eigenvalues of a symmetric operator by Lanczos (full re-orthogonalisation), largest first (or by
 * |λ| with `which: "magnitude"`); fewer than k when Lanczos stops early on an invariant subspace. Throws unless 1 ≤ k ≤
 * p. Plain values: for an approximate operator `ritzPairs` gives the same values with the measured error attached.
 */
export function topEigenvalues(op: SymmetricOperator, k: number, opts: LanczosOptions = {}): Float64Array {
  checkOperator("topEigenvalues", op);
  checkOptions("topEigenvalues", opts, { steps: int(1), seed: seed32, which: oneOf(["largest", "magnitude"]) });
  const { p } = op;
  if (!Number.isInteger(k) || k < 1 || k > p)
    throw new Error(`topEigenvalues: k must be an integer in 1..${p}, got ${k}`);
  const run = lanczos(op, opts.steps ?? Math.max(2 * k + 20, 60), new Rng(opts.seed ?? 0).normals(p));
  const steps = run.steps;
  const ritz = Array.from(tridiagonalEigh(run).values);
  const sorted =
    opts.which === "magnitude" ? ritz.sort((a, b) => Math.abs(b) - Math.abs(a)) : ritz.sort((a, b) => b - a);
  return Float64Array.from(sorted.slice(0, Math.min(k, steps)));
}

/** Ritz values and vectors of a symmetric operator with their residuals (returned by `ritzPairs`). */
export interface RitzPairs {
  /** k Ritz values, largest first ("top") or smallest first ("bottom") */
  values: Float64Array;
  /** k × p, row i the unit Ritz vector of values[i] */
  vectors: Matrix;
  /** ‖A v_i − θ_i v_i‖, measured with one more product per vector */
  residuals: Float64Array;
  /** Lanczos steps taken */
  steps: number;
  /** set when the operator is approximate: how, and its measured asymmetry */
  approximate?: ApproximationReport;
}

/**
 * The k largest (`which: "top"`, default) or smallest ("bottom") eigenpairs of a symmetric operator by Lanczos with
 * `steps` steps (default max(2k + 20, 60), capped at p; seed default 0), with measured residuals. Throws unless
 * 1 ≤ k ≤ p and steps ≥ k.
 */
export function ritzPairs(
  op: SymmetricOperator,
  k: number,
  opts: { steps?: number; seed?: number; which?: "top" | "bottom" } = {},
): RitzPairs {
  checkOperator("ritzPairs", op);
  checkOptions("ritzPairs", opts, { steps: int(1), seed: seed32, which: oneOf(["top", "bottom"]) });
  const { p } = op;
  if (!Number.isInteger(k) || k < 1 || k > p) throw new Error(`ritzPairs: k must be an integer in 1..${p}, got ${k}`);
  if (opts.steps !== undefined && opts.steps < k)
    throw new Error(
      `ritzPairs: option steps (${opts.steps}) must be ≥ k (${k}): m Lanczos steps give at most m Ritz pairs`,
    );
  const run = lanczos(op, opts.steps ?? Math.max(2 * k + 20, 60), new Rng(opts.seed ?? 0).normals(p), {
    keepVectors: true,
  });
  const { values, vectors: S } = tridiagonalEigh(run);
  const n = run.steps;
  const kk = Math.min(k, n);
  const order = Array.from({ length: n }, (_, i) => i);
  if ((opts.which ?? "top") === "top") order.reverse();
  const pick = order.slice(0, kk);
  const Y = new Matrix(kk, p);
  const Qd = run.Q!.data;
  pick.forEach((col, r) => {
    const row = Y.data.subarray(r * p, (r + 1) * p);
    for (let j = 0; j < n; j++) {
      const s = S.data[j * n + col];
      if (s === 0) continue;
      const off = j * p;
      for (let i = 0; i < p; i++) row[i] += s * Qd[off + i];
    }
  });
  const AY = applyInBlocks(op, Y);
  const vals = Float64Array.from(pick.map((c) => values[c]));
  const residuals = new Float64Array(kk);
  for (let r = 0; r < kk; r++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += (AY.data[r * p + i] - vals[r] * Y.data[r * p + i]) ** 2;
    residuals[r] = Math.sqrt(s);
  }
  const out: RitzPairs = { values: vals, vectors: Y, residuals, steps: n };
  const approximate = approximationReport(op);
  if (approximate) out.approximate = approximate;
  return out;
}

/**
 * The number of eigenvalues above a threshold t from stochastic Lanczos quadrature, with both of its errors.
 * For a Rademacher probe v, μ_v(t, ∞) = Σ_{λ_i > t} (vᵀu_i)² / p has expectation #{λ_i > t} / p, so
 * `estimate` = p × the mean over probes of the quadrature mass above t, and `stderr` is the probes' standard
 * error. The quadrature itself is not exact for a step function; the Chebyshev–Markov–Stieltjes inequalities
 * bound each probe's true mass above t between its quadrature mass minus the weight of the first node above
 * t and plus the weight of the last node at or below t. `lower` / `upper` are p × the mean of those bounds, so
 * #{λ_i > t} lies in [lower, upper] up to the probes' sampling error (`stderrLower`, `stderrUpper`);
 * `interval` = [lower − 2·stderrLower, upper + 2·stderrUpper] states both errors at once.
 */
export interface CountAbove {
  threshold: number;
  estimate: number;
  stderr: number;
  lower: number;
  upper: number;
  stderrLower: number;
  stderrUpper: number;
  interval: [number, number];
}

/** Mean and standard error of the mean (NaN for one value). */
function meanAndStderr(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : NaN;
  return [m, sd / Math.sqrt(xs.length)];
}

/**
 * Per probe: the quadrature mass above t, and its Chebyshev–Markov–Stieltjes bracket (see `CountAbove`).
 * Nodes ascending.
 * @internal
 */
export function quadratureMassAbove(
  nodes: ArrayLike<number>,
  weights: ArrayLike<number>,
  t: number,
): { mass: number; lower: number; upper: number } {
  let mass = 0;
  let firstAbove = -1;
  for (let j = 0; j < nodes.length; j++) {
    if (nodes[j] > t) {
      mass += weights[j];
      if (firstAbove < 0) firstAbove = j;
    }
  }
  const lastBelow = firstAbove < 0 ? nodes.length - 1 : firstAbove - 1;
  return {
    mass,
    lower: Math.max(0, mass - (firstAbove >= 0 ? weights[firstAbove] : 0)),
    upper: Math.min(1, mass + (lastBelow >= 0 ? weights[lastBelow] : 0)),
  };
}

/** A spectral density estimated by stochastic Lanczos quadrature (returned by `spectralDensity`). */
export interface SpectralDensity {
  /** dimension of the operator */
  p: number;
  /** per probe: Gauss quadrature nodes (Ritz values) and weights (summing to 1) */
  nodes: Float64Array[];
  /** per probe: the quadrature weights of `nodes` (summing to 1) */
  weights: Float64Array[];
  /** the density on a grid, smoothed with a Gaussian kernel of width sigma; integrates to ≈ 1 */
  grid: Float64Array;
  /** the smoothed density at each grid point */
  density: Float64Array;
  /** width of the Gaussian kernel */
  sigma: number;
  /** the number of eigenvalues above `threshold`, estimated (see `CountAbove`) */
  countAbove?: CountAbove;
  /** set when the operator is approximate: how, and its measured asymmetry */
  approximate?: ApproximationReport;
}

/**
 * Spectral density by stochastic Lanczos quadrature: `probes` Rademacher starts, `steps` Lanczos steps
 * each. For each probe v the quadrature Σ τ_j f(θ_j) equals vᵀ f(A) v / ‖v‖² exactly for polynomials f
 * of degree < 2·steps; averaged over probes it estimates tr f(A) / p. Defaults: probes 10, steps 80, seed 0,
 * gridPoints 400, sigma = (spread of the nodes)/200; `countAbove` only when `threshold` is given.
 */
export function spectralDensity(
  op: SymmetricOperator,
  opts: {
    probes?: number;
    steps?: number;
    seed?: number;
    gridPoints?: number;
    sigma?: number;
    threshold?: number;
  } = {},
): SpectralDensity {
  checkOperator("spectralDensity", op);
  checkOptions("spectralDensity", opts, {
    probes: int(1),
    steps: int(2),
    seed: seed32,
    gridPoints: int(10),
    sigma: num(0, Infinity, { exclusiveMin: true }),
    threshold: num(),
  });
  const probes = opts.probes ?? 10;
  const steps = opts.steps ?? 80;
  const rng = new Rng(opts.seed ?? 0);
  const nodes: Float64Array[] = [];
  const weights: Float64Array[] = [];
  for (let s = 0; s < probes; s++) {
    const v = rademacher(rng, 1, op.p).data;
    const { values, vectors } = tridiagonalEigh(lanczos(op, steps, v));
    const n = values.length;
    nodes.push(values);
    // first component of each eigenvector of T
    weights.push(Float64Array.from({ length: n }, (_, j) => vectors.data[j] ** 2));
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of nodes)
    for (const x of t) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  const span = Math.max(hi - lo, 1e-12 * Math.max(1, Math.abs(hi)));
  const sigma = opts.sigma ?? span / 200;
  const G = opts.gridPoints ?? 400;
  const grid = Float64Array.from({ length: G }, (_, i) => lo - 3 * sigma + ((span + 6 * sigma) * i) / (G - 1));
  const density = new Float64Array(G);
  const c = 1 / (probes * sigma * Math.sqrt(2 * Math.PI));
  nodes.forEach((t, s) =>
    t.forEach((x, j) => {
      const w = weights[s][j];
      for (let g = 0; g < G; g++) density[g] += c * w * Math.exp(-0.5 * ((grid[g] - x) / sigma) ** 2);
    }),
  );
  const out: SpectralDensity = { p: op.p, nodes, weights, grid, density, sigma };
  if (opts.threshold !== undefined) {
    const t = opts.threshold;
    const per = nodes.map((nd, s) => quadratureMassAbove(nd, weights[s], t));
    const [estimate, stderr] = meanAndStderr(per.map((q) => op.p * q.mass));
    const [lower, stderrLower] = meanAndStderr(per.map((q) => op.p * q.lower));
    const [upper, stderrUpper] = meanAndStderr(per.map((q) => op.p * q.upper));
    const widen = (se: number) => (Number.isFinite(se) ? 2 * se : 0);
    out.countAbove = {
      threshold: t,
      estimate,
      stderr,
      lower,
      upper,
      stderrLower,
      stderrUpper,
      interval: [Math.max(0, lower - widen(stderrLower)), Math.min(op.p, upper + widen(stderrUpper))],
    };
  }
  const approximate = approximationReport(op);
  if (approximate) out.approximate = approximate;
  return out;
}

/** The whole spectrum of an operator from its dense matrix (returned by `operatorSpectrum`). */
export interface OperatorSpectrum {
  /** eigenvalues of the symmetric part ½(A + Aᵀ) of the dense matrix of the products, ascending */
  eigenvalues: Float64Array;
  /** default tolerance max|λ| · p · eps */
  tolerance: number;
  /** numerical rank at the default tolerance; absent for an approximate operator (its rank would count its error) */
  rank?: number;
  /** ‖A − Aᵀ‖_F / ‖A‖_F of the dense matrix (rounding, ≈ 1e-16, for an exact operator) */
  asymmetry: number;
  /** set when the operator is approximate: how, and its asymmetry (measured here on the dense matrix) */
  approximate?: ApproximationReport;
}

/**
 * The dense p×p matrix of an operator's products (A = I·A, `op.block` rows at a time), its asymmetry
 * ‖A − Aᵀ‖_F / ‖A‖_F, and every eigenvalue of its symmetric part; the numerical rank at the default tolerance only for
 * an exact operator. For an approximate one the asymmetry is stored in `op.approximate` (exact, from the dense matrix)
 * and reported in `approximate`. Costs p products; throws a `DenseTooLargeError` when two p×p matrices would exceed
 * `maxBytes` (default 8 GiB).
 */
export function operatorSpectrum(op: SymmetricOperator, opts: { maxBytes?: number } = {}): OperatorSpectrum {
  checkOperator("operatorSpectrum", op);
  checkOptions("operatorSpectrum", opts, { maxBytes: num(0, Infinity, { exclusiveMin: true }) });
  const { p } = op;
  checkDenseSize(p, 2, opts.maxBytes);
  const A = applyInBlocks(op, Matrix.identity(p));
  const asymmetry = matrixAsymmetry(A);
  const S = new Matrix(p, p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) S.data[i * p + j] = 0.5 * (A.data[i * p + j] + A.data[j * p + i]);
  const { eigenvalues, tolerance, rank } = summarizeSpectrum(eigvalsh(S));
  if (!op.approximate) return { eigenvalues, tolerance, rank, asymmetry };
  op.approximate.asymmetry = asymmetry;
  op.approximate.asymmetryFrom = "dense matrix";
  return { eigenvalues, tolerance, asymmetry, approximate: approximationReport(op) };
}

/**
 * The numerical rank of an exact operator: the eigenvalues of its dense matrix above the default tolerance
 * max|λ| · p · eps (`operatorSpectrum`). Refused for an approximate operator (e.g. `modelOperator` by central
 * differences), whose error would be counted as rank: the error names its measured asymmetry and what to use instead.
 */
export function operatorRank(op: SymmetricOperator, opts: { maxBytes?: number } = {}): number {
  checkOperator("operatorRank", op);
  if (op.approximate) {
    const a = approximationReport(op)!;
    throw new Error(
      `operatorRank: the operator is approximate (${a.method}; measured asymmetry ‖A − Aᵀ‖_F / ‖A‖_F = ` +
        `${a.asymmetry.toExponential(2)} from ${a.asymmetryFrom}), so a numerical rank would count its error as ` +
        "rank. For an exact rank use exact products: curvatureOperator / hessian on the float64 engine " +
        '(rs.nets.fromTfModel for a dense tfjs model), or modelOperator with method "autodiff" where the model ' +
        "allows it; for an estimate with its error use spectralDensity(op, { threshold }).countAbove.",
    );
  }
  return operatorSpectrum(op, opts).rank!;
}
