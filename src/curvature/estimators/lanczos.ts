/**
 * The Lanczos recurrence with full re-orthogonalisation — the one loop every spectral estimator here uses — and the
 * eigen-decomposition of its tridiagonal matrix.
 */
import { Matrix, eigh } from "../../linalg";
import type { SymmetricOperator } from "../operator-base";
import { applyOperator, checkOperator } from "../operator-base";

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
