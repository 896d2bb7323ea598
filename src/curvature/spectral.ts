/**
 * Spectral tools on any symmetric operator (the curvature of a network, `curvatureOperator`, or a
 * dense matrix, `denseOperator`), the methods of PyHessian / curvlinops / hessian-eigenthings:
 * - `lanczos`: the Lanczos recurrence with full re-orthogonalisation (the one loop everything here uses);
 * - `ritzPairs`: top or bottom k eigenpairs with their residual norms ‖Av − θv‖ measured;
 * - `spectralDensity`: stochastic Lanczos quadrature (SLQ), nodes and weights per probe, a smoothed
 *   density, and the estimated count of eigenvalues above a threshold with its standard error;
 * - `hutchPlusPlus`: Hutch++ trace (Meyer, Musco, Musco & Woodruff 2021), exact for rank ≤ m/3;
 * - `hutchinsonDiagonal`: the diagonal from Rademacher probes, with standard errors.
 */
import { Matrix, eigh } from "../linalg";
import { Rng } from "../util/random";
import { checkOptions, int, num, oneOf, str, seed32 } from "../util/options";
import type { SymmetricOperator } from "./operators";
import { Figure } from "../figures";
import { houseLayout } from "../figures/style";

/** The result of `lanczos`: the tridiagonal matrix T of the run and, if asked, the Lanczos vectors. */
export interface LanczosRun {
  /** diagonal and off-diagonal of the tridiagonal T (steps, steps − 1 used) */
  alpha: Float64Array;
  /** off-diagonal of T (length steps − 1) */
  beta: Float64Array;
  /** steps actually taken (≤ the steps asked for; fewer on an invariant subspace) */
  steps: number;
  /** the Lanczos vectors as rows (steps × p), when kept */
  Q?: Matrix;
}

/**
 * Throws, naming the function and the field, unless `op` is a usable operator: p a positive integer, apply a function,
 * block a positive integer (a block of 0 made the estimators loop forever). Every estimator checks this before work.
 * @internal
 */
export function checkOperator(fn: string, op: SymmetricOperator): void {
  if (!op || typeof op !== "object")
    throw new Error(`${fn}: the operator must be an object { p, apply, block }; got ${String(op)}`);
  if (!Number.isSafeInteger(op.p) || op.p < 1)
    throw new Error(`${fn}: operator.p (the dimension) must be an integer ≥ 1; got ${String(op.p)}`);
  if (typeof op.apply !== "function") throw new Error(`${fn}: operator.apply must be a function (V) => V·A`);
  if (!Number.isSafeInteger(op.block) || op.block < 1)
    throw new Error(`${fn}: operator.block (vectors per apply call) must be an integer ≥ 1; got ${String(op.block)}`);
}

/**
 * op.apply(V), checked: the result must be a matrix of V's rows × op.p with finite entries. An operator written by hand
 * that returns another shape (estimates came out NaN, or "Matrix: 1×3 needs 3 entries, got 2") or non-finite values
 * (a NaN trace or eigenvalue) is refused, naming the function. Every estimator applies its operator through this.
 * @internal
 */
export function applyOperator(fn: string, op: SymmetricOperator, V: Matrix): Matrix {
  const AV = op.apply(V);
  if (!(AV instanceof Matrix) || AV.rows !== V.rows || AV.cols !== op.p)
    throw new Error(
      `${fn}: operator.apply must return V·A, a ${V.rows}×${op.p} Matrix for ${V.rows} vectors; got ` +
        (AV instanceof Matrix ? `${AV.rows}×${AV.cols}` : String(AV)),
    );
  for (let i = 0; i < AV.data.length; i++)
    if (!Number.isFinite(AV.data[i]))
      throw new Error(
        `${fn}: operator.apply returned a non-finite value ${AV.data[i]} at (${Math.floor(i / op.p)}, ${i % op.p}); ` +
          "the operator must be finite",
      );
  return AV;
}

/**
 * op.apply on the rows of V, `op.block` rows at a time (the operator's memory budget).
 * @internal
 */
export function applyInBlocks(op: SymmetricOperator, V: Matrix, fn = "applyInBlocks"): Matrix {
  checkOperator(fn, op);
  if (V.cols !== op.p) throw new Error(`${fn}: vectors must have ${op.p} entries (the operator's p); got ${V.cols}`);
  if (V.rows <= op.block) return applyOperator(fn, op, V);
  const out = new Matrix(V.rows, op.p);
  for (let r = 0; r < V.rows; r += op.block) {
    const n = Math.min(op.block, V.rows - r);
    out.data.set(applyOperator(fn, op, new Matrix(n, op.p, V.data.subarray(r * op.p, (r + n) * op.p))).data, r * op.p);
  }
  return out;
}

function normalise(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s);
  if (!(n > 0)) throw new Error("lanczos: the start vector is zero");
  return v.map((x) => x / n);
}

/**
 * m steps of Lanczos from `start` (normalised here) with full re-orthogonalisation (twice); stops
 * early on an invariant subspace (then the Ritz values are exact).
 */
export function lanczos(
  op: SymmetricOperator,
  m: number,
  start: Float64Array,
  opts: { keepVectors?: boolean } = {},
): LanczosRun {
  checkOperator("lanczos", op);
  const { p } = op;
  if (!Number.isInteger(m) || m < 1) throw new Error(`lanczos: steps must be an integer ≥ 1, got ${m}`);
  if (start.length !== p) throw new Error(`lanczos: start vector has length ${start.length}, the operator ${p}`);
  m = Math.min(m, p);
  const Q = new Matrix(m, p);
  const alpha = new Float64Array(m);
  const beta = new Float64Array(m);
  let q = normalise(start);
  let steps = m;
  for (let j = 0; j < m; j++) {
    Q.data.set(q, j * p);
    const w = applyOperator("lanczos", op, new Matrix(1, p, q)).data.slice();
    let a = 0;
    for (let i = 0; i < p; i++) a += w[i] * q[i];
    alpha[j] = a;
    for (let pass = 0; pass < 2; pass++) {
      for (let t = 0; t <= j; t++) {
        let dot = 0;
        const off = t * p;
        for (let i = 0; i < p; i++) dot += w[i] * Q.data[off + i];
        for (let i = 0; i < p; i++) w[i] -= dot * Q.data[off + i];
      }
    }
    let nrm = 0;
    for (let i = 0; i < p; i++) nrm += w[i] * w[i];
    nrm = Math.sqrt(nrm);
    if (j === m - 1) break;
    if (nrm < 1e-13 * Math.max(1, Math.abs(a))) {
      steps = j + 1;
      break;
    }
    beta[j] = nrm;
    q = w.map((v) => v / nrm);
  }
  const kept = opts.keepVectors ? new Matrix(steps, p, Q.data.subarray(0, steps * p).slice()) : undefined;
  return { alpha: alpha.subarray(0, steps), beta: beta.subarray(0, Math.max(0, steps - 1)), steps, Q: kept };
}

/** Eigen-decomposition of the run's tridiagonal T: Ritz values (ascending) and T's eigenvectors (columns). */
export function tridiagonalEigh(run: LanczosRun): { values: Float64Array; vectors: Matrix } {
  const n = run.steps;
  const T = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    T.data[j * n + j] = run.alpha[j];
    if (j + 1 < n) T.data[j * n + j + 1] = T.data[(j + 1) * n + j] = run.beta[j];
  }
  return eigh(T);
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
  return { values: vals, vectors: Y, residuals, steps: n };
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
    const v = new Float64Array(op.p);
    for (let i = 0; i < v.length; i++) v[i] = rng.uniform() < 0.5 ? -1 : 1;
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
  return out;
}

/** The SLQ density as a figure (log density axis), with the exact eigenvalues' histogram when given. */
export function densityFigure(
  d: SpectralDensity,
  opts: { name?: string; title?: string; exact?: ArrayLike<number>; bins?: number } = {},
): Figure {
  checkOptions("densityFigure", opts, {
    name: str,
    title: str,
    exact: (v) => (v && typeof (v as ArrayLike<number>).length === "number" ? undefined : "an array of eigenvalues"),
    bins: int(2),
  });
  // below 1e-8 of the peak the kernel tails are not information: leave gaps there on the log axis
  const floor = 1e-8 * Math.max(...d.density);
  const traces: Record<string, unknown>[] = [
    {
      type: "scatter",
      mode: "lines",
      name: `SLQ density (${d.nodes.length} probes)`,
      x: Array.from(d.grid),
      y: Array.from(d.density, (v) => (v > floor ? v : null)),
      line: { color: "#1f77b4" },
    },
  ];
  if (opts.exact && opts.exact.length) {
    const ev = Array.from(opts.exact);
    const lo = d.grid[0];
    const hi = d.grid[d.grid.length - 1];
    const B = opts.bins ?? 80;
    const w = (hi - lo) / B;
    const counts = new Array(B).fill(0);
    for (const x of ev) counts[Math.min(B - 1, Math.max(0, Math.floor((x - lo) / w)))]++;
    traces.push({
      type: "bar",
      name: "exact eigenvalues (histogram)",
      x: counts.map((_, i) => lo + (i + 0.5) * w),
      y: counts.map((c) => (c > 0 ? c / (ev.length * w) : null)),
      width: w,
      marker: { color: "rgba(255,127,14,0.45)" },
    });
  }
  const layout = houseLayout({
    title: opts.title ?? "Spectral density (stochastic Lanczos quadrature)",
    x: { title: "eigenvalue" },
    y: { title: "density", log: true },
  });
  return new Figure(opts.name ?? "spectral-density", traces, layout);
}

/**
 * Hutch++ trace estimate with `matvecs` products (default 99, split in thirds; seed default 0): exact when rank A ≤
 * matvecs / 3.
 */
export function hutchPlusPlus(
  op: SymmetricOperator,
  opts: { matvecs?: number; seed?: number } = {},
): { trace: number; matvecs: number } {
  checkOperator("hutchPlusPlus", op);
  checkOptions("hutchPlusPlus", opts, { matvecs: int(3), seed: seed32 });
  const m = opts.matvecs ?? 99;
  const k = Math.floor(m / 3);
  const { p } = op;
  const rng = new Rng(opts.seed ?? 0);
  const sign = (n: number) => {
    const V = new Matrix(n, p);
    for (let i = 0; i < V.data.length; i++) V.data[i] = rng.uniform() < 0.5 ? -1 : 1;
    return V;
  };
  // Q: orthonormal basis (rows) of the range of A S, by Gram–Schmidt twice (dependent rows dropped)
  const AS = applyInBlocks(op, sign(k));
  const basis: Float64Array[] = [];
  for (let r = 0; r < k; r++) {
    const v = AS.data.slice(r * p, (r + 1) * p);
    let before = 0;
    for (let i = 0; i < p; i++) before += v[i] * v[i];
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < p; i++) dot += v[i] * q[i];
        for (let i = 0; i < p; i++) v[i] -= dot * q[i];
      }
    let n = 0;
    for (let i = 0; i < p; i++) n += v[i] * v[i];
    if (n > 1e-24 * Math.max(before, 1e-300)) basis.push(v.map((x) => x / Math.sqrt(n)));
  }
  const Q = new Matrix(basis.length, p);
  basis.forEach((q, r) => Q.data.set(q, r * p));
  let trace = 0;
  if (basis.length) {
    const AQ = applyInBlocks(op, Q);
    for (let i = 0; i < Q.data.length; i++) trace += Q.data[i] * AQ.data[i];
  }
  // the rest: Hutchinson on (I − QQᵀ) A (I − QQᵀ)
  const nG = m - 2 * k;
  if (nG > 0) {
    const G = sign(nG);
    for (let r = 0; r < nG; r++) {
      const g = G.data.subarray(r * p, (r + 1) * p);
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < p; i++) dot += g[i] * q[i];
        for (let i = 0; i < p; i++) g[i] -= dot * q[i];
      }
    }
    const AG = applyInBlocks(op, G);
    let s = 0;
    for (let i = 0; i < G.data.length; i++) s += G.data[i] * AG.data[i];
    trace += s / nG;
  }
  return { trace, matvecs: m };
}

/**
 * The diagonal of A from `samples` Rademacher probes (default 100; seed default 0) (E[v ⊙ Av] = diag A), with per-entry
 * standard errors.
 */
export function hutchinsonDiagonal(
  op: SymmetricOperator,
  opts: { samples?: number; seed?: number } = {},
): { diagonal: Float64Array; stderr: Float64Array; samples: number } {
  checkOperator("hutchinsonDiagonal", op);
  checkOptions("hutchinsonDiagonal", opts, { samples: int(2), seed: seed32 });
  const S = opts.samples ?? 100;
  const { p } = op;
  const rng = new Rng(opts.seed ?? 0);
  const sum = new Float64Array(p);
  const sq = new Float64Array(p);
  for (let start = 0; start < S; start += op.block) {
    const B = Math.min(op.block, S - start);
    const V = new Matrix(B, p);
    for (let i = 0; i < V.data.length; i++) V.data[i] = rng.uniform() < 0.5 ? -1 : 1;
    const AV = applyOperator("hutchinsonDiagonal", op, V);
    for (let i = 0; i < V.data.length; i++) {
      const x = V.data[i] * AV.data[i];
      sum[i % p] += x;
      sq[i % p] += x * x;
    }
  }
  const diagonal = sum.map((s) => s / S);
  const stderr = diagonal.map((m, i) => Math.sqrt(Math.max(0, (sq[i] - S * m * m) / (S - 1)) / S));
  return { diagonal, stderr, samples: S };
}
