/** Test helpers: random matrices with known spectra built independently of the code under test. */
import { Matrix } from "../src/linalg";
import { Rng } from "../src/util/random";

export function randn(rows: number, cols: number, seed: number): Matrix {
  return new Matrix(rows, cols, new Rng(seed).normals(rows * cols));
}

/** Naive triple-loop product (independent of the BLAS and fallback kernels). */
export function naiveMul(A: Matrix, B: Matrix): Matrix {
  const C = new Matrix(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let k = 0; k < A.cols; k++) s += A.get(i, k) * B.get(k, j);
      C.set(i, j, s);
    }
  return C;
}

/** A random n×n orthogonal matrix as a product of n Householder reflections I − 2vvᵀ/‖v‖². */
export function randomOrthogonal(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  let Q = Matrix.identity(n);
  for (let r = 0; r < n; r++) {
    const v = rng.normals(n);
    const vv = v.reduce((s, x) => s + x * x, 0);
    const H = Matrix.identity(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H.set(i, j, H.get(i, j) - (2 * v[i] * v[j]) / vv);
    Q = naiveMul(Q, H);
  }
  return Q;
}

/** Q diag(values) Qᵀ with a random orthogonal Q: a symmetric matrix with exactly these eigenvalues. */
export function symmetricWithSpectrum(values: number[], seed: number): Matrix {
  const n = values.length;
  const Q = randomOrthogonal(n, seed);
  const QD = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) QD.set(i, j, Q.get(i, j) * values[j]);
  const A = naiveMul(QD, Q.transpose());
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) A.set(j, i, A.get(i, j));
  return A;
}

/** U diag(s) Vᵀ (m×n) with random orthogonal U, V: a matrix with exactly these singular values. */
export function matrixWithSingularValues(m: number, n: number, s: number[], seed: number): Matrix {
  const U = randomOrthogonal(m, seed);
  const V = randomOrthogonal(n, seed + 1000);
  const D = new Matrix(m, n);
  s.forEach((v, i) => D.set(i, i, v));
  return naiveMul(naiveMul(U, D), V.transpose());
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** What `fn` writes to stderr (the framework's log lines), besides running it. */
export async function stderrOf<T>(fn: () => Promise<T>): Promise<{ value: T; err: string }> {
  const orig = process.stderr.write.bind(process.stderr);
  let err = "";
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (err += String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    return { value: await fn(), err };
  } finally {
    process.stderr.write = orig;
  }
}
