/**
 * The curvature operators of the float64 engine and operators built from others: `curvatureOperator` and
 * `batchedCurvatureOperator` (any kind of `kinds/`, on the operator base), `denseOperator`, `blockOperator`, and
 * the index helpers `layerIndices` / `denseBlock`. The estimators that take them are in `estimators/`.
 */
import { Matrix, gemm } from "../linalg";
import { checkOptions, fn, int, oneOf, showValue } from "../util/options";
import { Problem } from "./problem";
import { NetSpec, layout } from "../nets/spec";
import { SymmetricOperator, applyOperator, checkOperator, kindOperator } from "./operator-base";
import { CURVATURE_KINDS, OperatorKind, operatorKind } from "./kinds";

export type { SymmetricOperator } from "./operator-base";

/**
 * The curvature of the mean loss as a matrix-free operator: H (kind "hessian", default), H_o ("ggn"),
 * H_f = H − H_o ("functional") or the exact diagonal of H_o ("ggn-diagonal"), applied on all N samples at once (the
 * batched R-operator). Throws for an unknown kind and a `SpecError` for an invalid problem.
 */
export function curvatureOperator(problem: Problem, kind: OperatorKind = "hessian"): SymmetricOperator {
  return kindOperator("curvatureOperator", problem, operatorKind("curvatureOperator", kind));
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

/**
 * The curvature of the mean loss over a data set too large for one batch: the same operator as
 * `curvatureOperator(problem)` on all N rows, accumulated over mini-batches of `batchSize` rows by the operator base
 * (H = Σ_b (n_b / N) H_b, since the loss is a mean). Only one batch's forward cache is held at a time;
 * `onBatch` reports progress. Options: `kind` as in `curvatureOperator` (default "hessian"), `batchSize` (default 256).
 */
export function batchedCurvatureOperator(
  problem: Problem,
  opts: { kind?: OperatorKind; batchSize?: number; onBatch?: (done: number, total: number) => void } = {},
): SymmetricOperator {
  checkOptions("batchedCurvatureOperator", opts, {
    kind: oneOf(Object.keys(CURVATURE_KINDS)),
    batchSize: int(1),
    onBatch: fn,
  });
  return kindOperator("curvatureOperator", problem, operatorKind("batchedCurvatureOperator", opts.kind ?? "hessian"), {
    batchSize: opts.batchSize ?? 256,
    onBatch: opts.onBatch,
  });
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
  const block: SymmetricOperator = {
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
  // a block of an approximate operator is approximate too (its own asymmetry is measured on it)
  if (op.approximate) block.approximate = { method: op.approximate.method, reason: op.approximate.reason };
  return block;
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
