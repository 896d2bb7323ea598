/**
 * Forward pass in float64 on a batch, keeping what the derivative code needs:
 * pre-activations Z_l, activations H_l (H_0 = X, H_L = Z_L = f), and σ'(Z_l), σ''(Z_l).
 */
import { Matrix, gemmTrusted as gemm } from "../linalg";
import { activationFns } from "./activations";
import { NetSpec, normalizeSpec, layout, LayerSlot, paramCount, SpecError } from "./spec";
import { checkOptions, bool } from "../util/options";

/** Everything `forward` computed on a batch of N inputs, indexed by layer (float64, row-major N×M_l). */
export interface ForwardCache {
  /** the parameter layout of the spec (`layout`) */
  slots: LayerSlot[];
  /** Z[l] = H[l−1]·W_lᵀ + b_l for l = 1..L, N × M_l (Z[0] is X) */
  Z: Matrix[];
  /** H[l] for l = 0..L; H[0] = X, H[L] = Z[L] */
  H: Matrix[];
  /** σ'(Z_l) for hidden layers l = 1..L−1, N·M_l values row-major (D1[0] empty) */
  D1: Float64Array[];
  /** σ''(Z_l) for hidden layers l = 1..L−1, laid out as D1 */
  D2: Float64Array[];
}

/**
 * Throws a `SpecError` naming `op` unless `params` is a Float64Array of the spec's length with finite entries.
 * @internal
 */
export function checkParams(op: string, spec: NetSpec, params: Float64Array): void {
  const p = paramCount(spec);
  if (!(params instanceof Float64Array)) throw new SpecError(`${op}: parameters must be a Float64Array`);
  if (params.length !== p)
    throw new SpecError(
      `${op}: the spec [${spec.sizes}]${spec.bias ? " with bias" : ""} has ${p} parameters, got ` +
        `a vector of ${params.length}`,
    );
  for (let i = 0; i < params.length; i++) {
    if (!Number.isFinite(params[i]))
      throw new SpecError(`${op}: parameter ${i} is ${params[i]} (parameters must be finite)`);
  }
}

/**
 * Throws a `SpecError` naming `op` unless X has d = sizes[0] columns.
 * @internal
 */
export function checkInputs(op: string, spec: NetSpec, X: Matrix): void {
  if (X.cols !== spec.sizes[0])
    throw new SpecError(`${op}: the network takes inputs of width d = ${spec.sizes[0]}, but X is ${X.rows}×${X.cols}`);
}

const FORWARD_RULES = { derivatives: bool };

/**
 * Float64 forward pass of the N rows of X (N×d) that keeps every layer's pre-activations, activations and, unless
 * `derivatives: false`, σ′ and σ″ (default true). Unlike `predict` it does not validate X or the parameters.
 */
export function forward(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  opts: { derivatives?: boolean } = {},
): ForwardCache {
  checkOptions("forward", opts, FORWARD_RULES);
  const { activation } = normalizeSpec(spec);
  const slots = layout(spec);
  const L = slots.length;
  const N = X.rows;
  const Z: Matrix[] = [X];
  const H: Matrix[] = [X];
  const D1: Float64Array[] = [new Float64Array(0)];
  const D2: Float64Array[] = [new Float64Array(0)];
  for (const s of slots) {
    const W = new Matrix(s.rows, s.cols, params.subarray(s.wOffset, s.wOffset + s.rows * s.cols));
    const z = gemm(H[s.layer - 1], W, { transB: true });
    if (s.bOffset >= 0) {
      const b = params.subarray(s.bOffset, s.bOffset + s.rows);
      for (let n = 0; n < N; n++) for (let j = 0; j < s.rows; j++) z.data[n * s.rows + j] += b[j];
    }
    Z.push(z);
    if (s.layer === L) {
      H.push(z);
      break;
    }
    const act = activationFns[activation[s.layer - 1]];
    const h = new Matrix(N, s.rows);
    const d1 = new Float64Array(N * s.rows);
    const d2 = new Float64Array(N * s.rows);
    const zd = z.data;
    if (activation[s.layer - 1] === "linear") {
      h.data.set(zd);
      d1.fill(1);
    } else {
      for (let i = 0; i < zd.length; i++) {
        h.data[i] = act.f(zd[i]);
        if (opts.derivatives !== false) {
          d1[i] = act.d1(zd[i]);
          d2[i] = act.d2(zd[i]);
        }
      }
    }
    H.push(h);
    D1.push(d1);
    D2.push(d2);
  }
  return { slots, Z, H, D1, D2 };
}

/** Network outputs f(x) for every row of X (N × K). */
export function predict(spec: NetSpec, params: Float64Array, X: Matrix): Matrix {
  checkInputs("predict", spec, X);
  checkParams("predict", spec, params);
  const c = forward(spec, params, X, { derivatives: false });
  return c.H[c.H.length - 1];
}
