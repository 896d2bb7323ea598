/**
 * The one curvature operator base. A curvature operator is a symmetric p×p linear operator given by its action on a
 * block of vectors (the rows of V); every operator rankscope makes — the float64 engine's kinds (`kinds/`), the tfjs
 * `modelOperator`, dense matrices and blocks — keeps this contract (`SymmetricOperator`, checked by `checkOperator`).
 *
 * The base owns what every kind shares:
 * - the data loop: the N samples split into mini-batches (`splitBatches`), one batch's work at a time;
 * - the scaling: the loss is a mean over the N samples, so a kind's product on a batch of n_b rows (a mean over its
 *   own rows) enters with the weight n_b / N (H = Σ_b (n_b / N) H_b), or — for products already scaled to their
 *   share of the mean over N (the tfjs operator) — with weight 1;
 * - the linear-operator contract: V checked (a Matrix with p columns), an empty block answered without work, the
 *   estimators' block size, progress per batch, and the honesty of approximate operators (`approximate`: how the
 *   products are approximated and their measured asymmetry, see `estimators/asymmetry.ts`).
 * A kind (`CurvatureKindModule`) defines only its per-batch product on a prepared batch.
 */
import { Matrix } from "../linalg";
import { Problem, Prepared, prepare } from "./problem";
import { blockSize } from "./products";

/**
 * How an approximate operator's products are approximated, and the error measured so far (set on operators whose
 * products are not exact, e.g. `modelOperator` by central differences; absent on exact operators).
 */
export interface OperatorApproximation {
  /** how the products are approximated, e.g. "central differences" */
  method: string;
  /** why this method (e.g. the layer that rules exact products out) */
  reason?: string;
  /**
   * the measured asymmetry ‖A − Aᵀ‖_F / ‖A‖_F of the operator (0 for an exact symmetric one); measured by the
   * estimators on first use (`operatorAsymmetry`, from probes) or exactly on the dense matrix (`operatorSpectrum`)
   */
  asymmetry?: number;
  /** how `asymmetry` was measured: "dense matrix" or "m probes" */
  asymmetryFrom?: string;
}

/**
 * A symmetric p×p linear operator given by its action on a block of vectors (the rows of V): what the matrix-free
 * estimators take. Made by `curvatureOperator`, `batchedCurvatureOperator`, `modelOperator`, `denseOperator` or
 * `blockOperator`, or by hand.
 */
export interface SymmetricOperator {
  /** dimension */
  p: number;
  /** rows of V·A for V (B×p) */
  apply(V: Matrix): Matrix;
  /** preferred number of vectors per call */
  block: number;
  /** set when the products are approximate (e.g. central differences): the method and the measured error */
  approximate?: OperatorApproximation;
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
 * op.apply on the rows of V, `op.block` rows at a time (the operator's memory budget), each call checked by
 * `applyOperator`.
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

/** One mini-batch of the data: rows start … start + n − 1. */
export interface Batch {
  start: number;
  n: number;
}

/**
 * The N samples in mini-batches of `size` rows (the last one shorter).
 * @internal
 */
export function splitBatches(N: number, size: number): Batch[] {
  const batches: Batch[] = [];
  for (let s = 0; s < N; s += size) batches.push({ start: s, n: Math.min(size, N - s) });
  return batches;
}

/**
 * What a batched operator is made of (`batchedOperator`).
 * @internal
 */
export interface BatchedOperatorDefinition {
  /** the function's name, for errors */
  name: string;
  /** dimension */
  p: number;
  /** vectors per apply call preferred by the estimators */
  block: number;
  /** samples in all */
  N: number;
  /** the mini-batches */
  batches: Batch[];
  /**
   * "batch-mean": a batch's product is the mean over its own rows (weighted n_b / N here);
   * "share-of-mean": it is already that batch's share of the mean over all N rows (summed here)
   */
  scale: "batch-mean" | "share-of-mean";
  /**
   * one apply call: `batch(b, i)` gives the batch's product of all rows of V (B×p); `end` runs after the last batch,
   * also when a batch throws; undefined when there is nothing to compute (the product is zero, no batch is visited)
   */
  begin(V: Matrix): { batch(b: Batch, index: number): Matrix; end?(): void } | undefined;
  /** called after each batch of a product with (batches done, batches) */
  onBatch?: (done: number, total: number) => void;
  /** the approximation, for operators whose products are not exact */
  approximate?: OperatorApproximation;
}

/**
 * The symmetric operator of a batched definition: checks V, loops over the batches and combines their products with
 * the weights of the mean (see the module comment).
 * @internal
 */
export function batchedOperator(def: BatchedOperatorDefinition): SymmetricOperator {
  const { name, p, N, batches } = def;
  const apply = (V: Matrix): Matrix => {
    if (!(V instanceof Matrix)) throw new Error(`${name}: apply takes a Matrix of row vectors`);
    if (V.cols !== p) throw new Error(`${name}: vectors must have p = ${p} entries, got ${V.cols}`);
    const run = def.begin(V);
    if (!run) return new Matrix(V.rows, p);
    try {
      // one batch of means: its product is the operator's (no accumulation, bit for bit)
      if (def.scale === "batch-mean" && batches.length === 1) {
        const only = run.batch(batches[0], 0);
        def.onBatch?.(1, 1);
        return only;
      }
      const out = new Matrix(V.rows, p);
      batches.forEach((b, i) => {
        const part = run.batch(b, i);
        const w = def.scale === "batch-mean" ? b.n / N : 1;
        for (let t = 0; t < out.data.length; t++) out.data[t] += w * part.data[t];
        def.onBatch?.(i + 1, batches.length);
      });
      return out;
    } finally {
      run.end?.();
    }
  };
  const op: SymmetricOperator = { p, apply, block: def.block };
  if (def.approximate) op.approximate = def.approximate;
  return op;
}

/**
 * A curvature kind of the float64 engine: a symmetric matrix of the mean loss of a dense network, defined by its
 * product on one prepared batch (a mean over that batch's rows). One module per kind under `kinds/`.
 */
export interface CurvatureKindModule {
  /** the kind's name, as `curvatureOperator(problem, name)` takes it */
  name: string;
  /** what the matrix is, one line */
  description: string;
  /** rows of V·C_b (B×p) for the batch's matrix C_b (the kind on the batch's rows alone) */
  product(prep: Prepared, V: Matrix): Matrix;
}

/** A curvature kind that also builds its dense p×p matrix on a prepared problem (for `hessian`). */
export interface DenseCurvatureKind extends CurvatureKindModule {
  /** the dense p×p matrix of the prepared problem; `onProgress` receives the fraction done */
  dense(prep: Prepared, onProgress?: (fraction: number) => void): Matrix;
}

/**
 * The operator of a curvature kind on a problem, over mini-batches of `batchSize` rows (default: all N rows in one
 * batch). The first batch is prepared (and validated) here and kept; the others are prepared during each product,
 * so only one other batch's forward cache is held at a time.
 * @internal
 */
export function kindOperator(
  name: string,
  problem: Problem,
  kind: CurvatureKindModule,
  opts: { batchSize?: number; onBatch?: (done: number, total: number) => void } = {},
): SymmetricOperator {
  if (opts.batchSize === undefined) {
    const prep = prepare(name, problem);
    return batchedOperator({
      name,
      p: prep.p,
      block: blockSize(prep),
      N: prep.N,
      batches: [{ start: 0, n: prep.N }],
      scale: "batch-mean",
      begin: (V) => ({ batch: () => kind.product(prep, V) }),
      onBatch: opts.onBatch,
    });
  }
  const N = problem.X.rows;
  const batches = splitBatches(N, Math.min(opts.batchSize, N));
  const rowsOf = (M: Matrix, b: Batch) =>
    new Matrix(b.n, M.cols, M.data.subarray(b.start * M.cols, (b.start + b.n) * M.cols));
  const batchProblem = (b: Batch): Problem => ({ ...problem, X: rowsOf(problem.X, b), Y: rowsOf(problem.Y, b) });
  const first = prepare(name, batchProblem(batches[0]));
  return batchedOperator({
    name,
    p: first.p,
    block: blockSize(first),
    N,
    batches,
    scale: "batch-mean",
    begin: (V) => ({
      batch: (b, i) => kind.product(i === 0 ? first : prepare(name, batchProblem(b)), V),
    }),
    onBatch: opts.onBatch,
  });
}
