/**
 * Shared test cases and one reference per quantity. The curvature tests (gradient, Hessian, H_o, its diagonal,
 * operators) run on the same small networks and compare with the same references, written here from the definitions
 * and independent of src/curvature and src/nets' loss code:
 * - the loss: the per-sample losses written out (mse ½‖f − y‖², ce −Σ y log softmax f, logcosh Σ log cosh(f − y)),
 *   averaged over the N samples;
 * - the gradient: central differences of that loss;
 * - the Hessian: central second differences of that loss (four evaluations per entry);
 * - H_o (the Gauss–Newton part): (1/N) Σ_n J_nᵀ Λ_n J_n with J_n the output Jacobian from central differences of the
 *   forward pass and Λ_n the loss's output Hessian in closed form.
 */
import * as nets from "../src/nets";
import { Matrix } from "../src/linalg";
import { Rng } from "../src/util/random";
import type { Problem } from "../src/curvature";

/** A small dense network problem. */
export interface NetCase {
  activation: nets.Activation;
  loss: nets.LossName;
  bias: boolean;
  sizes: number[];
  N: number;
  seed: number;
}

export const caseName = (c: NetCase) =>
  `${c.activation}, ${c.loss}, ${c.bias ? "bias" : "no bias"}, sizes ${c.sizes.join("-")}, N ${c.N}`;

/** Every activation × loss × bias on sizes 3-4-3-2 with 5 samples (ReLU kinks kept ≥ 1e-3 away by the seed). */
export const NET_CASES: NetCase[] = nets.ACTIVATIONS.flatMap((activation) =>
  nets.LOSSES.flatMap((loss) =>
    [false, true].map((bias) => ({ activation, loss, bias, sizes: [3, 4, 3, 2], N: 5, seed: 1 })),
  ),
);

/** The problem of a case: parameters from the package's initialisation, inputs N(0, 1), targets by loss (ce: soft). */
export function problemOf(c: NetCase): Problem {
  const spec: nets.NetSpec = { sizes: c.sizes, activation: c.activation, bias: c.bias };
  const params = nets.initParams(spec, { seed: c.seed });
  const rng = new Rng(c.seed + 100);
  const d = c.sizes[0];
  const K = c.sizes[c.sizes.length - 1];
  const X = new Matrix(c.N, d, rng.normals(c.N * d));
  let Y: Matrix;
  if (c.loss === "ce") {
    Y = new Matrix(c.N, K);
    for (let n = 0; n < c.N; n++) {
      const w = Array.from({ length: K }, () => rng.uniform() + 0.05);
      const s = w.reduce((a, b) => a + b, 0);
      w.forEach((v, k) => Y.set(n, k, v / s)); // soft labels exercise the Σy factor
    }
  } else Y = new Matrix(c.N, K, rng.normals(c.N * K));
  return { spec, params, X, Y, loss: c.loss };
}

const row = (M: Matrix, n: number) => Array.from({ length: M.cols }, (_, k) => M.get(n, k));

/** One sample's loss from its output f and target y, written from the definitions. */
function sampleLoss(loss: nets.LossName, f: number[], y: number[]): number {
  if (loss === "mse") return 0.5 * f.reduce((s, v, k) => s + (v - y[k]) ** 2, 0);
  if (loss === "logcosh") return f.reduce((s, v, k) => s + Math.log(Math.cosh(v - y[k])), 0);
  const m = Math.max(...f);
  const logZ = m + Math.log(f.reduce((s, v) => s + Math.exp(v - m), 0));
  return -y.reduce((s, yk, k) => s + yk * (f[k] - logZ), 0);
}

/** The loss's Hessian in the output f of one sample (closed form). */
function sampleOutputHessian(loss: nets.LossName, f: number[], y: number[]): Matrix {
  const K = f.length;
  const L = new Matrix(K, K);
  if (loss === "mse") for (let k = 0; k < K; k++) L.set(k, k, 1);
  else if (loss === "logcosh") for (let k = 0; k < K; k++) L.set(k, k, 1 / Math.cosh(f[k] - y[k]) ** 2);
  else {
    const m = Math.max(...f);
    const e = f.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / z);
    const sy = y.reduce((a, b) => a + b, 0);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) L.set(i, j, sy * ((i === j ? p[i] : 0) - p[i] * p[j]));
  }
  return L;
}

const withParams = (problem: Problem, params: Float64Array): Problem => ({ ...problem, params });

/** The references, one per quantity (see the module comment). */
export const reference = {
  /** the mean of the per-sample losses */
  loss(problem: Problem): number {
    const F = nets.predict(problem.spec, problem.params, problem.X);
    let s = 0;
    for (let n = 0; n < F.rows; n++) s += sampleLoss(problem.loss ?? "mse", row(F, n), row(problem.Y, n));
    return s / F.rows;
  },

  /** central differences of `loss`, step h */
  gradient(problem: Problem, h = 1e-6): Float64Array {
    const p = problem.params.length;
    const g = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      const a = problem.params.slice();
      const b = problem.params.slice();
      a[i] += h;
      b[i] -= h;
      g[i] = (reference.loss(withParams(problem, a)) - reference.loss(withParams(problem, b))) / (2 * h);
    }
    return g;
  },

  /** central second differences of `loss`, step h: (L(++) − L(+−) − L(−+) + L(−−)) / 4h² */
  hessian(problem: Problem, h = 1e-4): Matrix {
    const p = problem.params.length;
    const H = new Matrix(p, p);
    const at = (i: number, si: number, j: number, sj: number) => {
      const t = problem.params.slice();
      t[i] += si * h;
      t[j] += sj * h;
      return reference.loss(withParams(problem, t));
    };
    for (let i = 0; i < p; i++)
      for (let j = i; j < p; j++) {
        const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
        H.set(i, j, v);
        H.set(j, i, v);
      }
    return H;
  },

  /** each sample's output Jacobian ∂f_n/∂θ (K × p), central differences of the forward pass */
  outputJacobians(problem: Problem, h = 1e-6): Matrix[] {
    const p = problem.params.length;
    const N = problem.X.rows;
    const K = problem.Y.cols;
    const J = Array.from({ length: N }, () => new Matrix(K, p));
    for (let i = 0; i < p; i++) {
      const a = problem.params.slice();
      const b = problem.params.slice();
      a[i] += h;
      b[i] -= h;
      const Fa = nets.predict(problem.spec, a, problem.X);
      const Fb = nets.predict(problem.spec, b, problem.X);
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) J[n].set(k, i, (Fa.get(n, k) - Fb.get(n, k)) / (2 * h));
    }
    return J;
  },

  /** H_o = (1/N) Σ_n J_nᵀ Λ_n J_n */
  ggn(problem: Problem): Matrix {
    const p = problem.params.length;
    const F = nets.predict(problem.spec, problem.params, problem.X);
    const J = reference.outputJacobians(problem);
    const G = new Matrix(p, p);
    for (let n = 0; n < J.length; n++) {
      const L = sampleOutputHessian(problem.loss ?? "mse", row(F, n), row(problem.Y, n));
      const K = L.rows;
      for (let i = 0; i < p; i++)
        for (let a = 0; a < K; a++) {
          const Jai = J[n].get(a, i);
          if (Jai === 0) continue;
          for (let b = 0; b < K; b++) {
            const w = Jai * L.get(a, b);
            if (w === 0) continue;
            for (let j = 0; j < p; j++) G.data[i * p + j] += w * J[n].get(b, j);
          }
        }
    }
    for (let i = 0; i < G.data.length; i++) G.data[i] /= J.length;
    return G;
  },
};

/** max |a − b| / max |b| */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(m, 1e-300);
}
