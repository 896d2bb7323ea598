/**
 * Float64 linear algebra on `Matrix`: every public operation validates its input (shape, finiteness,
 * symmetry where required) and then calls the active kernels (LAPACK addon or TypeScript fallback).
 * Derived quantities (ranks, pseudo-determinants, participation ratio, Kronecker product) are
 * computed here once, on top of the kernels, so both paths share them.
 */
import { Matrix, LinalgError, assertFinite, assertSquare, assertSymmetric, shapeOf } from "./matrix";
import { kernels } from "./kernels";
import { checkOptions, bool, num } from "../util/options";

/** Machine epsilon of float64, 2⁻⁵² ≈ 2.22e-16 (the `eps` of the default rank tolerance). */
export const EPS = 2 ** -52;

/** Options of `gemm`: use Aᵀ / Bᵀ instead of A / B (default false) and a scale factor α (default 1). */
export interface GemmOptions {
  /** use Aᵀ (default false) */
  transA?: boolean;
  /** use Bᵀ (default false) */
  transB?: boolean;
  /** scale factor α (default 1) */
  alpha?: number;
}

const GEMM_RULES = { transA: bool, transB: bool, alpha: num() };

/**
 * C = α · op(A) · op(B), op(X) = X or Xᵀ, as a new float64 matrix. Throws a `LinalgError` when the inner
 * dimensions differ or an entry is NaN/±Inf, and on an unknown option.
 */
export function gemm(A: Matrix, B: Matrix, opts: GemmOptions = {}): Matrix {
  checkOptions("gemm", opts, GEMM_RULES);
  const { transA = false, transB = false, alpha = 1 } = opts;
  const m = transA ? A.cols : A.rows;
  const k = transA ? A.rows : A.cols;
  const k2 = transB ? B.cols : B.rows;
  const n = transB ? B.rows : B.cols;
  if (k !== k2) {
    throw new LinalgError(
      `gemm: inner dimensions differ: op(A) is ${m}×${k} (A ${shapeOf(A)}${transA ? "ᵀ" : ""}), ` +
        `op(B) is ${k2}×${n} (B ${shapeOf(B)}${transB ? "ᵀ" : ""})`,
    );
  }
  assertFinite("gemm", A, "A");
  assertFinite("gemm", B, "B");
  return new Matrix(m, n, kernels().gemm(A.data, m, k, transA, B.data, n, transB, alpha));
}

/**
 * gemm without the finiteness scan, for library hot paths whose inputs were validated upstream
 * (shapes are still checked).
 * @internal
 */
export function gemmTrusted(A: Matrix, B: Matrix, opts: GemmOptions = {}): Matrix {
  const { transA = false, transB = false, alpha = 1 } = opts;
  const m = transA ? A.cols : A.rows;
  const k = transA ? A.rows : A.cols;
  const n = transB ? B.rows : B.cols;
  if (k !== (transB ? B.cols : B.rows)) return gemm(A, B, opts); // reports the shape error
  return new Matrix(m, n, kernels().gemm(A.data, m, k, transA, B.data, n, transB, alpha));
}

/** Symmetric rank-k update: α·AᵀA when `trans` (cols×cols), else α·AAᵀ (rows×rows). Both triangles filled. */
export function syrk(A: Matrix, opts: { trans?: boolean; alpha?: number } = {}): Matrix {
  checkOptions("syrk", opts, { trans: bool, alpha: num() });
  const { trans = false, alpha = 1 } = opts;
  assertFinite("syrk", A, "A");
  const n = trans ? A.cols : A.rows;
  return new Matrix(n, n, kernels().syrk(A.data, A.rows, A.cols, trans, alpha));
}

/**
 * `assertFinite` then `assertSymmetric`, in one native pass over the matrix when the addon is loaded
 * (same errors; on the p = 2720 Hessian the TypeScript checks took ~40 ms, a twentieth of its eigvalsh).
 */
function assertFiniteSymmetric(op: string, A: Matrix): void {
  const scan = (kernels() as { symmetryScan?: (a: Float64Array, n: number) => Float64Array }).symmetryScan;
  if (!scan || A.rows !== A.cols) {
    assertFinite(op, A);
    assertSymmetric(op, A);
    return;
  }
  const [bad, maxAbs, i, j, diff] = scan(A.data, A.rows);
  if (bad >= 0) assertFinite(op, A); // throws, with the entry and where it is
  if (i >= 0)
    throw new LinalgError(
      `${op}: input (${shapeOf(A)}) is not symmetric: |a[${i},${j}] − a[${j},${i}]| = ` +
        `${diff.toExponential(3)} > ${(1e-10 * maxAbs).toExponential(3)}`,
    );
}

/**
 * Eigenvalues of a symmetric n×n matrix, ascending (length n). Throws a `LinalgError` when A has a non-finite
 * entry or is not symmetric to within 1e-10·max|a_ij|.
 */
export function eigvalsh(A: Matrix): Float64Array {
  assertFiniteSymmetric("eigvalsh", A);
  return kernels().eigh(A.data, A.rows, false).values;
}

/** The result of `eigh`: A = V·diag(values)·Vᵀ. */
export interface Eigh {
  /** ascending */
  values: Float64Array;
  /** column j is the unit eigenvector of values[j] */
  vectors: Matrix;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (the columns of an n×n matrix) of a symmetric matrix.
 * Throws a `LinalgError` when A has a non-finite entry or is not symmetric to within 1e-10·max|a_ij|.
 */
export function eigh(A: Matrix): Eigh {
  assertFiniteSymmetric("eigh", A);
  const r = kernels().eigh(A.data, A.rows, true);
  return { values: r.values, vectors: new Matrix(A.rows, A.rows, r.vectors) };
}

/** Singular values of an m×n matrix, descending (length min(m, n)). Throws a `LinalgError` on a non-finite entry. */
export function svdvals(A: Matrix): Float64Array {
  assertFinite("svdvals", A);
  return kernels().svd(A.data, A.rows, A.cols, false).s;
}

/** The thin SVD returned by `svd`: A = U·diag(S)·Vᵀ with k = min(m, n). */
export interface Svd {
  /** m×k, orthonormal columns */
  U: Matrix;
  /** descending, length k = min(m, n) */
  S: Float64Array;
  /** n×k, orthonormal columns; A = U·diag(S)·Vᵀ */
  V: Matrix;
}

/**
 * Thin SVD of an m×n matrix (U m×k, S descending, V n×k, k = min(m, n)). Throws a `LinalgError` on a non-finite entry.
 */
export function svd(A: Matrix): Svd {
  assertFinite("svd", A);
  const k = Math.min(A.rows, A.cols);
  const r = kernels().svd(A.data, A.rows, A.cols, true);
  return { U: new Matrix(A.rows, k, r.u), S: r.s, V: new Matrix(k, A.cols, r.vt).transpose() };
}

/** The default tolerance of a numerical rank: σ_max · max(m, n) · eps (as numpy's matrix_rank). */
export function defaultTolerance(sigmaMax: number, m: number, n: number): number {
  return sigmaMax * Math.max(m, n) * EPS;
}

/** Options of `rank`: the absolute tolerance and whether to use the symmetric eigensolver. */
export interface RankOptions {
  /** absolute tolerance: count σ > tol. Default σ_max · max(m, n) · eps. */
  tol?: number;
  /** treat A as symmetric and use |eigenvalues| (same numbers as σ, faster on the LAPACK path) */
  symmetric?: boolean;
}

function magnitudes(op: string, A: Matrix, symmetric: boolean): Float64Array {
  if (!symmetric) return svdvals(A);
  assertFinite(op, A);
  assertSymmetric(op, A);
  const ev = kernels().eigh(A.data, A.rows, false).values;
  return ev.map(Math.abs).sort((a, b) => b - a);
}

/** Numerical rank: the number of singular values above `tol` (default σ_max·max(m,n)·eps). */
export function rank(A: Matrix, opts: RankOptions = {}): number {
  checkOptions("rank", opts, { tol: num(0), symmetric: bool });
  const s = magnitudes("rank", A, opts.symmetric ?? false);
  return rankOfSpectrum(s, opts.tol ?? defaultTolerance(s.length ? Math.max(...s) : 0, A.rows, A.cols));
}

/** Count of |values| strictly above `tol` (for spectra computed elsewhere). */
export function rankOfSpectrum(values: ArrayLike<number>, tol: number): number {
  // a NaN compares false against any threshold: it was silently left out of the count
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]))
      throw new LinalgError(`rank: the spectrum has a non-finite value ${values[i]} at index ${i}`);
  if (!(tol >= 0)) throw new LinalgError(`rank: tolerance must be a number ≥ 0, got ${tol}`);
  let r = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > tol) r++;
  return r;
}

/** ε-rank: the number of singular values of A strictly greater than ε (an absolute threshold). */
export function epsRank(A: Matrix, eps: number): number {
  if (!(eps >= 0)) throw new LinalgError(`epsRank: ε must be a number ≥ 0, got ${eps}`);
  return rankOfSpectrum(svdvals(A), eps);
}

/**
 * Pseudo-determinant of a symmetric matrix: the product of its eigenvalues with |λ| above `tol`
 * (default: the default rank tolerance). Use `logPdet` for anything but tiny matrices.
 */
export function pdet(A: Matrix, opts: { tol?: number } = {}): number {
  checkOptions("pdet", opts, { tol: num(0) });
  const { logAbs, sign } = logPdet(A, opts);
  return sign * Math.exp(logAbs);
}

/** log |pseudo-determinant| and its sign, for a symmetric matrix. */
export function logPdet(A: Matrix, opts: { tol?: number } = {}): { logAbs: number; sign: number; rank: number } {
  checkOptions("logPdet", opts, { tol: num(0) });
  assertSquare("logPdet", A);
  const ev = eigvalshChecked("logPdet", A);
  const maxAbs = ev.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const tol = opts.tol ?? defaultTolerance(maxAbs, A.rows, A.cols);
  let logAbs = 0;
  let sign = 1;
  let r = 0;
  for (const v of ev) {
    if (Math.abs(v) > tol) {
      logAbs += Math.log(Math.abs(v));
      if (v < 0) sign = -sign;
      r++;
    }
  }
  return { logAbs, sign, rank: r };
}

function eigvalshChecked(op: string, A: Matrix): Float64Array {
  assertFinite(op, A);
  assertSymmetric(op, A);
  return kernels().eigh(A.data, A.rows, false).values;
}

/**
 * Participation ratio of a non-negative spectrum: (Σλ)² / Σλ². Between 1 (one dominant direction)
 * and the number of values (all equal). Pass eigenvalues of a covariance, or σ² of a Jacobian.
 */
export function participationRatio(spectrum: ArrayLike<number>): number {
  if (!spectrum.length) throw new LinalgError("participationRatio: the spectrum is empty");
  let max = 0;
  for (let i = 0; i < spectrum.length; i++) {
    const v = spectrum[i];
    if (!Number.isFinite(v)) throw new LinalgError(`participationRatio: spectrum has a non-finite value ${v} at ${i}`);
    if (v < 0) throw new LinalgError(`participationRatio: spectrum must be non-negative, got ${v} at ${i}`);
    if (v > max) max = v;
  }
  if (max === 0) return 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < spectrum.length; i++) {
    s1 += spectrum[i];
    s2 += spectrum[i] * spectrum[i];
  }
  const pr = (s1 * s1) / s2;
  if (Number.isFinite(pr) && pr > 0 && s2 > 1e-290) return pr;
  // v² overflowed (above 1.3e154: NaN), underflowed, or Σv² is subnormal (below 2.2e-308 it keeps fewer digits: values
  // near 1e-160 gave 2.5715 for 2.5714): the ratio is scale-free, so scale by the largest value
  s1 = 0;
  s2 = 0;
  for (let i = 0; i < spectrum.length; i++) {
    const v = spectrum[i] / max;
    s1 += v;
    s2 += v * v;
  }
  return (s1 * s1) / s2;
}

/** Solves A X = B for square non-singular A (LU with partial pivoting). */
export function solve(A: Matrix, B: Matrix): Matrix {
  assertSquare("solve", A, "A");
  if (B.rows !== A.rows)
    throw new LinalgError(`solve: A is ${shapeOf(A)} but B is ${shapeOf(B)} (B needs ${A.rows} rows)`);
  assertFinite("solve", A, "A");
  assertFinite("solve", B, "B");
  return new Matrix(A.cols, B.cols, kernels().solve(A.data, A.rows, B.data, B.cols));
}

/**
 * Minimum-norm least-squares solution of A X ≈ B. Singular values at or below rcond·σ_max are
 * treated as zero (default rcond = max(m, n)·eps). Returns X and the effective rank of A.
 */
export function lstsq(A: Matrix, B: Matrix, opts: { rcond?: number } = {}): { x: Matrix; rank: number } {
  checkOptions("lstsq", opts, { rcond: num(0) });
  if (B.rows !== A.rows)
    throw new LinalgError(`lstsq: A is ${shapeOf(A)} but B is ${shapeOf(B)} (B needs ${A.rows} rows)`);
  assertFinite("lstsq", A, "A");
  assertFinite("lstsq", B, "B");
  const rcond = opts.rcond ?? Math.max(A.rows, A.cols) * EPS;
  const r = kernels().lstsq(A.data, A.rows, A.cols, B.data, B.cols, rcond);
  return { x: new Matrix(A.cols, B.cols, r.x), rank: r.rank };
}

/** Kronecker product A ⊗ B. */
export function kron(A: Matrix, B: Matrix): Matrix {
  assertFinite("kron", A, "A");
  assertFinite("kron", B, "B");
  const out = new Matrix(A.rows * B.rows, A.cols * B.cols);
  const oc = out.cols;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const a = A.data[i * A.cols + j];
      if (a === 0) continue;
      for (let k = 0; k < B.rows; k++) {
        const row = (i * B.rows + k) * oc + j * B.cols;
        const brow = k * B.cols;
        for (let l = 0; l < B.cols; l++) out.data[row + l] = a * B.data[brow + l];
      }
    }
  }
  return out;
}

/** Frobenius norm. */
export function frobenius(A: Matrix): number {
  let s0 = 0;
  for (let i = 0; i < A.data.length; i++) s0 += A.data[i] * A.data[i];
  if (Number.isFinite(s0) && s0 > 1e-290) return Math.sqrt(s0);
  // overflow (entries above 1.3e154 gave Infinity) or underflow: scaled by the largest entry
  let max = 0;
  for (let i = 0; i < A.data.length; i++) {
    const a = Math.abs(A.data[i]);
    if (!(a <= max)) max = a; // NaN propagates
  }
  if (max === 0 || !Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < A.data.length; i++) {
    const a = A.data[i] / max;
    s += a * a;
  }
  return max * Math.sqrt(s);
}
