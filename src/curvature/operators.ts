/**
 * Matrix-free spectral estimators on any symmetric operator given by its action on a block of
 * vectors (rows): the curvature of a network (`curvatureOperator`) or a dense matrix (`denseOperator`).
 * - Lanczos with full re-orthogonalisation (`spectral.ts`): extreme eigenvalues; Ritz vectors, densities,
 *   Hutch++ and diagonals are in `spectral.ts`.
 * - Hutchinson: trace from Rademacher probes, with its standard error.
 */
import { Matrix, gemm } from "../linalg";
import { Rng } from "../util/random";
import { checkOptions, int, oneOf, showValue, seed32 } from "../util/options";
import { Problem, prepare } from "./problem";
import { NetSpec, layout } from "../nets/spec";
import { curvatureProducts, CurvatureKind, blockSize } from "./products";
import { lanczos, tridiagonalEigh, checkOperator, applyOperator } from "./spectral";

/**
 * A symmetric p×p linear operator given by its action on a block of vectors (the rows of V): what the matrix-free
 * estimators take. Made by `curvatureOperator`, `batchedCurvatureOperator`, `denseOperator` or `blockOperator`, or by
 * hand.
 */
export interface SymmetricOperator {
  /** dimension */
  p: number;
  /** rows of V·A for V (B×p) */
  apply(V: Matrix): Matrix;
  /** preferred number of vectors per call */
  block: number;
}

/** "hessian" H, "ggn" H_o, or "functional" H_f = H − H_o (two products per block). */
export type OperatorKind = CurvatureKind | "functional";

/**
 * The curvature of the mean loss as a matrix-free operator: H (kind "hessian", default), H_o ("ggn") or
 * H_f = H − H_o ("functional"), applied by the batched R-operator on all N samples at once. Throws for an unknown
 * kind and a `SpecError` for an invalid problem.
 */
export function curvatureOperator(problem: Problem, kind: OperatorKind = "hessian"): SymmetricOperator {
  if (!["hessian", "ggn", "functional"].includes(kind))
    throw new Error(`curvatureOperator: kind must be "hessian", "ggn" or "functional"; got ${showValue(kind)}`);
  const prep = prepare("curvatureOperator", problem);
  const apply =
    kind === "functional"
      ? (V: Matrix) => {
          const H = curvatureProducts(prep, V, "hessian");
          const Ho = curvatureProducts(prep, V, "ggn");
          for (let i = 0; i < H.data.length; i++) H.data[i] -= Ho.data[i];
          return H;
        }
      : (V: Matrix) => curvatureProducts(prep, V, kind);
  return { p: prep.p, apply, block: blockSize(prep) };
}

/**
 * A dense symmetric matrix A (p×p) as a `SymmetricOperator` (apply(V) = V·A, 64 vectors per block); symmetry is not
 * checked.
 */
export function denseOperator(A: Matrix): SymmetricOperator {
  // a non-square matrix gave eigenvalues of a p×p operator that does not exist
  if (!(A instanceof Matrix)) throw new Error(`denseOperator: A must be a Matrix; got ${showValue(A)}`);
  if (A.rows !== A.cols || A.rows < 1)
    throw new Error(`denseOperator: A must be a square p×p matrix with p ≥ 1; got ${A.rows}×${A.cols}`);
  return { p: A.rows, apply: (V) => gemm(V, A), block: 64 };
}

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
 * p.
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

/**
 * Hutchinson's trace estimate E[vᵀAv] over `samples` Rademacher probes v (default 100, at least 2; seed default 0),
 * with its standard error.
 */
export function hutchinsonTrace(
  op: SymmetricOperator,
  opts: { samples?: number; seed?: number } = {},
): { trace: number; stderr: number; samples: number } {
  checkOperator("hutchinsonTrace", op);
  checkOptions("hutchinsonTrace", opts, { samples: int(2), seed: seed32 });
  const S = opts.samples ?? 100;
  if (!Number.isInteger(S) || S < 2) throw new Error(`hutchinsonTrace: samples must be an integer ≥ 2, got ${S}`);
  const rng = new Rng(opts.seed ?? 0);
  const { p } = op;
  const vals: number[] = [];
  for (let start = 0; start < S; start += op.block) {
    const B = Math.min(op.block, S - start);
    const V = new Matrix(B, p);
    for (let i = 0; i < V.data.length; i++) V.data[i] = rng.uniform() < 0.5 ? -1 : 1;
    const AV = applyOperator("hutchinsonTrace", op, V);
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += V.data[b * p + i] * AV.data[b * p + i];
      vals.push(s);
    }
  }
  const mean = vals.reduce((a, b) => a + b, 0) / S;
  const varr = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1);
  return { trace: mean, stderr: Math.sqrt(varr / S), samples: S };
}

/**
 * The curvature of the mean loss over a data set too large for one batch: the same operator as
 * `curvatureOperator(problem)` on all N rows, accumulated over mini-batches of `batchSize` rows
 * (H = Σ_b (n_b / N) H_b, since the loss is a mean). Only one batch's forward cache is held at a time;
 * `onBatch` reports progress. Options: `kind` as in `curvatureOperator` (default "hessian"), `batchSize` (default 256).
 */
export function batchedCurvatureOperator(
  problem: Problem,
  opts: { kind?: OperatorKind; batchSize?: number; onBatch?: (done: number, total: number) => void } = {},
): SymmetricOperator {
  checkOptions("batchedCurvatureOperator", opts, {
    kind: oneOf(["hessian", "ggn", "functional"]),
    batchSize: int(1),
    onBatch: (v) => (typeof v === "function" ? undefined : "a function"),
  });
  const N = problem.X.rows;
  const size = Math.min(opts.batchSize ?? 256, N);
  const batches: { start: number; n: number }[] = [];
  for (let s = 0; s < N; s += size) batches.push({ start: s, n: Math.min(size, N - s) });
  const rowsOf = (M: Matrix, start: number, n: number) =>
    new Matrix(n, M.cols, M.data.subarray(start * M.cols, (start + n) * M.cols));
  const first = curvatureOperator(
    { ...problem, X: rowsOf(problem.X, 0, batches[0].n), Y: rowsOf(problem.Y, 0, batches[0].n) },
    opts.kind,
  );
  return {
    p: first.p,
    block: first.block,
    apply(V: Matrix): Matrix {
      const out = new Matrix(V.rows, V.cols);
      batches.forEach((b, i) => {
        const op =
          i === 0
            ? first
            : curvatureOperator(
                { ...problem, X: rowsOf(problem.X, b.start, b.n), Y: rowsOf(problem.Y, b.start, b.n) },
                opts.kind,
              );
        const part = op.apply(V);
        const w = b.n / N;
        for (let t = 0; t < out.data.length; t++) out.data[t] += w * part.data[t];
        opts.onBatch?.(i + 1, batches.length);
      });
      return out;
    },
  };
}

/** Parameter indices of layer l (1-based) of a dense net: its weights, and its biases unless `weightsOnly`. */
export function layerIndices(spec: NetSpec, l: number, opts: { weightsOnly?: boolean } = {}): number[] {
  const slots = layout(spec);
  if (!Number.isInteger(l) || l < 1 || l > slots.length)
    throw new Error(`layerIndices: layer must be an integer in 1..${slots.length}, got ${l}`);
  const s = slots[l - 1];
  const out = Array.from({ length: s.rows * s.cols }, (_, i) => s.wOffset + i);
  if (!opts.weightsOnly && s.bOffset >= 0) for (let i = 0; i < s.rows; i++) out.push(s.bOffset + i);
  return out;
}

/**
 * The block P A Pᵀ of a symmetric operator on a subset of coordinates (e.g. one layer's parameters), as an operator.
 */
export function blockOperator(op: SymmetricOperator, indices: number[]): SymmetricOperator {
  checkOperator("blockOperator", op);
  checkIndices("blockOperator", indices, op.p);
  const q = indices.length;
  return {
    p: q,
    block: op.block,
    apply(V: Matrix): Matrix {
      if (V.cols !== q) throw new Error(`blockOperator: vectors must have ${q} entries, got ${V.cols}`);
      const full = new Matrix(V.rows, op.p);
      for (let r = 0; r < V.rows; r++) for (let j = 0; j < q; j++) full.data[r * op.p + indices[j]] = V.data[r * q + j];
      const AV = applyOperator("blockOperator", op, full);
      const out = new Matrix(V.rows, q);
      for (let r = 0; r < V.rows; r++) for (let j = 0; j < q; j++) out.data[r * q + j] = AV.data[r * op.p + indices[j]];
      return out;
    },
  };
}

/** The dense block A[rows, cols] of a matrix (e.g. H between two layers' parameters). */
export function denseBlock(A: Matrix, rows: number[], cols: number[] = rows): Matrix {
  checkIndices("denseBlock", rows, A.rows);
  checkIndices("denseBlock", cols, A.cols);
  const B = new Matrix(rows.length, cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (B.data[i * cols.length + j] = A.data[r * A.cols + c])));
  return B;
}

function checkIndices(op: string, idx: number[], p: number): void {
  if (!Array.isArray(idx) || idx.length === 0) throw new Error(`${op}: indices must be a non-empty list`);
  const seen = new Set<number>();
  for (const i of idx) {
    if (!Number.isInteger(i) || i < 0 || i >= p) throw new Error(`${op}: index ${i} is outside 0..${p - 1}`);
    if (seen.has(i)) throw new Error(`${op}: index ${i} repeats`);
    seen.add(i);
  }
}
