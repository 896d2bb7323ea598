/**
 * A curvature problem: a network (spec + float64 parameters), data (X, Y) and a loss, validated
 * once and prepared with the forward pass and the first-order adjoints that every derivative
 * routine shares. The loss is the mean over the N samples of the per-sample loss.
 */
import { Matrix } from "../linalg";
import { NetSpec, normalizeSpec, paramCount, SpecError } from "../nets/spec";
import { forward, ForwardCache, checkParams, checkInputs } from "../nets/forward";
import { LossName, checkLoss, lossAndResidual } from "../nets/losses";
import { layerWeight, adjointThroughWeights } from "./layer-derivatives";

/**
 * The input of every curvature routine: a dense network (spec and flat float64 parameters), N samples (X N×d,
 * Y N×K, both row-major float64) and a per-sample loss (default "mse"); the loss differentiated is the mean over
 * samples.
 */
export interface Problem {
  /** the network */
  spec: NetSpec;
  /** flat parameter vector of length `paramCount(spec)` (layout: `layout(spec)`) */
  params: Float64Array;
  /** N × d */
  X: Matrix;
  /** N × K (one-hot or probabilities for "ce") */
  Y: Matrix;
  /** default "mse" */
  loss?: LossName;
}

/**
 * The default memory limit of the dense builders (8 GiB); public as `DEFAULT_MAX_DENSE_BYTES` (`hessian.ts`). Here so
 * that the Jacobians need not import `hessian.ts` (which imports the kinds, which use the Jacobian pass).
 * @internal
 */
export const DENSE_BYTES_LIMIT = 8 * 2 ** 30;

/**
 * A validated `Problem` with its forward pass, outputs, mean loss and first-order adjoints (made by `prepare`).
 * @internal
 */
export interface Prepared {
  spec: NetSpec;
  params: Float64Array;
  loss: LossName;
  N: number;
  K: number;
  p: number;
  cache: ForwardCache;
  /** outputs f(x_n), N × K */
  F: Float64Array;
  Y: Float64Array;
  lossValue: number;
  /** g[l] = ∂L/∂z_l (N × M_l), l = 1..L, including the 1/N of the mean */
  g: Float64Array[];
  /** abar[l] = ∂L/∂h_l (N × M_l), l = 1..L−1 */
  abar: Float64Array[];
}

/**
 * Validates a `Problem` (throws a `SpecError` naming `op` for a bad spec, shapes, non-finite data or parameters,
 * or an Error for an unknown loss) and runs the forward and first-order backward pass shared by every derivative
 * routine.
 * @internal
 */
export function prepare(op: string, problem: Problem): Prepared {
  const { spec, params, X, Y } = problem;
  normalizeSpec(spec);
  const loss = checkLoss(op, problem.loss ?? "mse");
  if (!(X instanceof Matrix) || !(Y instanceof Matrix)) throw new SpecError(`${op}: X and Y must be Matrix instances`);
  checkInputs(op, spec, X);
  const K = spec.sizes[spec.sizes.length - 1];
  if (Y.cols !== K) throw new SpecError(`${op}: the network has K = ${K} outputs, but Y is ${Y.rows}×${Y.cols}`);
  // softmax over one output is the constant 1: the loss, gradient and every curvature would be zero, silently
  if (loss === "ce" && K < 2)
    throw new SpecError(`${op}: the ce loss (softmax cross-entropy) needs K ≥ 2 outputs; the network has K = ${K}`);
  if (Y.rows !== X.rows) throw new SpecError(`${op}: X has ${X.rows} rows but Y has ${Y.rows}`);
  if (X.rows < 1) throw new SpecError(`${op}: no samples (X has 0 rows)`);
  checkParams(op, spec, params);
  for (const [name, M] of [
    ["X", X],
    ["Y", Y],
  ] as const) {
    for (let i = 0; i < M.data.length; i++)
      if (!Number.isFinite(M.data[i]))
        throw new SpecError(`${op}: ${name} has a non-finite entry at (${Math.floor(i / M.cols)}, ${i % M.cols})`);
  }
  const N = X.rows;
  const cache = forward(spec, params, X);
  const L = cache.slots.length;
  const F = cache.H[L].data;
  const r = new Float64Array(N * K);
  const lossValue = lossAndResidual(loss, F, Y.data, N, K, r);
  const g: Float64Array[] = new Array(L + 1);
  const abar: Float64Array[] = new Array(L);
  g[L] = r.map((v) => v / N);
  for (let l = L; l > 1; l--) {
    const a = adjointThroughWeights(layerWeight(cache, params, l), g[l], N);
    abar[l - 1] = a;
    const d1 = cache.D1[l - 1];
    const gl = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) gl[i] = d1[i] * a[i];
    g[l - 1] = gl;
  }
  return { spec, params, loss, N, K, p: paramCount(spec), cache, F, Y: Y.data, lossValue, g, abar };
}

/**
 * W_l of a prepared problem as a Matrix view.
 * @internal
 */
export function weightOf(prep: Prepared, l: number): Matrix {
  return layerWeight(prep.cache, prep.params, l);
}
