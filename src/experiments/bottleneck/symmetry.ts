/**
 * The symmetry-learning task of Jacot (2023), Section 5, reconstructed from the text (its formulas
 * were lost): gradient descent on
 *   L(w) = ½ ‖u uᵀ + E − w wᵀ‖²_F,   ∇L(w) = −2 (u uᵀ + E − w wᵀ) w,
 * with u a fixed unit vector in R^d and E a small symmetric noise matrix. The supervised task: from w₀,
 * predict the losses L(w_1), …, L(w_T) of the next T GD steps w_{t+1} = w_t − η ∇L(w_t).
 * For E = 0 the dynamics are invariant under rotations about u, so they depend on w only through the
 * summary statistics a = w·u and b = ‖w − (w·u) u‖:
 *   a' = a (1 + 2η (1 − a² − b²)),  b' = b (1 − 2η (a² + b²)),  L = ½ (1 − 2a² + (a² + b²)²),
 * and L depends on a only through |a| (w and −w are both minimisers). The target map has BN-rank 2.
 */
import { Matrix } from "../../linalg";
import { Rng } from "../../util/random";

export interface SymmetryTask {
  d: number;
  /** predicted GD steps */
  T: number;
  /** GD step size of the task */
  eta: number;
  u: Float64Array;
  /** u uᵀ + E, d × d row-major */
  M: Float64Array;
  /** standard deviation of the entries of E */
  noise: number;
}

export function symmetryTask(o: { d: number; T: number; eta: number; noise: number; seed: number }): SymmetryTask {
  const rng = new Rng(o.seed);
  const u = rng.normals(o.d);
  const nu = Math.hypot(...u);
  for (let i = 0; i < o.d; i++) u[i] /= nu;
  const M = new Float64Array(o.d * o.d);
  for (let i = 0; i < o.d; i++)
    for (let j = 0; j <= i; j++) {
      const e = o.noise * rng.normal();
      M[i * o.d + j] = u[i] * u[j] + e;
      M[j * o.d + i] = u[j] * u[i] + e;
    }
  return { d: o.d, T: o.T, eta: o.eta, u, M, noise: o.noise };
}

export function taskLoss(t: SymmetryTask, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < t.d; i++) for (let j = 0; j < t.d; j++) s += (t.M[i * t.d + j] - w[i] * w[j]) ** 2;
  return 0.5 * s;
}

/** One GD step w − η∇L(w) = w + 2η (M w − ‖w‖² w). */
export function gdStep(t: SymmetryTask, w: Float64Array, eta = t.eta): Float64Array {
  let ww = 0;
  for (let i = 0; i < t.d; i++) ww += w[i] * w[i];
  const out = new Float64Array(t.d);
  for (let i = 0; i < t.d; i++) {
    let mw = 0;
    for (let j = 0; j < t.d; j++) mw += t.M[i * t.d + j] * w[j];
    out[i] = w[i] + 2 * eta * (mw - ww * w[i]);
  }
  return out;
}

/** a = w·u and b = ‖w − (w·u)u‖. */
export function summaryStats(t: SymmetryTask, w: ArrayLike<number>): { a: number; b: number } {
  let a = 0;
  for (let i = 0; i < t.d; i++) a += w[i] * t.u[i];
  let b2 = 0;
  for (let i = 0; i < t.d; i++) b2 += (w[i] - a * t.u[i]) ** 2;
  return { a, b: Math.sqrt(b2) };
}

/** w = r cos φ · u + r sin φ · v with v a unit vector ⊥ u (random direction). */
export function vectorAt(t: SymmetryTask, r: number, phi: number, rng: Rng): Float64Array {
  const v = rng.normals(t.d);
  let dot = 0;
  for (let i = 0; i < t.d; i++) dot += v[i] * t.u[i];
  for (let i = 0; i < t.d; i++) v[i] -= dot * t.u[i];
  const nv = Math.hypot(...v);
  return Float64Array.from(t.u, (ui, i) => r * Math.cos(phi) * ui + (r * Math.sin(phi) * v[i]) / nv);
}

export interface SymmetryData {
  /** n × d initial vectors */
  X: Matrix;
  /** n × T losses of the next T GD steps */
  Y: Matrix;
  a: number[];
  b: number[];
}

/**
 * n initial vectors whose summary statistics cover the half-disc r ∈ [rMin, rMax], angle φ ∈ [0, π]
 * uniformly in (r, φ) (isotropic Gaussian w₀ would put almost all of them near a = 0 in high dimension),
 * and the losses of the next T steps.
 */
export function symmetryData(
  t: SymmetryTask,
  o: { n: number; rMin: number; rMax: number; seed: number },
): SymmetryData {
  const rng = new Rng(o.seed);
  const X = new Matrix(o.n, t.d);
  const Y = new Matrix(o.n, t.T);
  const a: number[] = [];
  const b: number[] = [];
  for (let s = 0; s < o.n; s++) {
    let w = vectorAt(t, o.rMin + (o.rMax - o.rMin) * rng.uniform(), Math.PI * rng.uniform(), rng);
    X.data.set(w, s * t.d);
    const st = summaryStats(t, w);
    a.push(st.a);
    b.push(st.b);
    for (let k = 0; k < t.T; k++) {
      w = gdStep(t, w);
      Y.data[s * t.T + k] = taskLoss(t, w);
    }
  }
  return { X, Y, a, b };
}

/**
 * The GD path from w₀ with step eta, sampled every `every` steps, until |a| is within `tol` of 1.
 * Near the minimiser (a, b) = (±1, 0) the linearised dynamics shrink |a| − 1 by (1 − 4η) and b by
 * (1 − 2η) per step, so every path ends tangent to the same line |a| = 1; the paths are cut where they
 * reach it, before they all but overlap.
 */
export function gdPath(
  t: SymmetryTask,
  w0: Float64Array,
  o: { eta: number; every: number; maxSteps: number; tol: number },
): Float64Array[] {
  const out = [w0];
  let w = w0;
  for (let s = 1; s <= o.maxSteps; s++) {
    w = gdStep(t, w, o.eta);
    if (s % o.every === 0) {
      out.push(w);
      if (Math.abs(Math.abs(summaryStats(t, w).a) - 1) < o.tol) break;
    }
  }
  return out;
}
