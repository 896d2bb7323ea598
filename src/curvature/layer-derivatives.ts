/**
 * The derivative steps of one dense layer z_l = W_l h_{l−1} + b_l, h_l = σ(z_l), written once and shared by every
 * derivative path: the matrix-free products (`products.ts`), the dense layer-block matrices (`dense.ts`), the
 * Jacobians (`jacobian.ts`) and the exact GGN diagonal (`kinds/ggn-diagonal.ts`). Tangent and adjoint arrays hold
 * N samples × B directions (or outputs) × units, laid out (sample, direction, unit), so that a step over all B
 * directions is one GEMM.
 */
import { Matrix, gemmTrusted as gemm } from "../linalg";
import type { ForwardCache } from "../nets/forward";

/**
 * W_l (M_l × M_{l−1}) of layer l (1-based) as a Matrix view of the flat parameters.
 * @internal
 */
export function layerWeight(cache: ForwardCache, params: Float64Array, l: number): Matrix {
  const s = cache.slots[l - 1];
  return new Matrix(s.rows, s.cols, params.subarray(s.wOffset, s.wOffset + s.rows * s.cols));
}

/**
 * Forward through the weights: Rz_l = Rh_{l−1} W_lᵀ for `rows` = N·B rows of Rh_{l−1} (M_{l−1} wide).
 * @internal
 */
export function tangentThroughWeights(W: Matrix, rh: Float64Array, rows: number): Float64Array {
  return gemm(new Matrix(rows, W.cols, rh), W, { transB: true }).data;
}

/**
 * Backward through the weights: Rā_{l−1} = Rg_l W_l for `rows` = N·B rows of Rg_l (M_l wide).
 * @internal
 */
export function adjointThroughWeights(W: Matrix, rg: Float64Array, rows: number): Float64Array {
  return gemm(new Matrix(rows, W.rows, rg), W).data;
}

/**
 * Forward tangent through an activation: Rh = σ'(z) ⊙ Rz for N samples × B directions × M units
 * (σ' given per sample and unit, broadcast over directions).
 * @internal
 */
export function tangentThroughActivation(
  rz: Float64Array,
  d1: Float64Array,
  N: number,
  B: number,
  M: number,
): Float64Array {
  const rh = new Float64Array(rz.length);
  for (let n = 0; n < N; n++)
    for (let b = 0; b < B; b++) {
      const o = (n * B + b) * M;
      const od = n * M;
      for (let u = 0; u < M; u++) rh[o + u] = d1[od + u] * rz[o + u];
    }
  return rh;
}

/**
 * Backward tangent through an activation, in place on A = Rā (N × B × C):
 * Rg = σ'(z) ⊙ Rā + σ''(z) ⊙ ā ⊙ Rz, the second term only when `second` is given (the Hessian's residual terms).
 * With B = K outputs and no `second` this is the adjoint step of reverse mode for every output at once.
 * @internal
 */
export function backTangentThroughActivation(
  A: Float64Array,
  d1: Float64Array,
  N: number,
  B: number,
  C: number,
  second?: { d2: Float64Array; abar: Float64Array; rz: Float64Array },
): Float64Array {
  for (let n = 0; n < N; n++)
    for (let b = 0; b < B; b++) {
      const o = (n * B + b) * C;
      const od = n * C;
      for (let u = 0; u < C; u++) {
        let v = d1[od + u] * A[o + u];
        if (second) v += second.d2[od + u] * second.abar[od + u] * second.rz[o + u];
        A[o + u] = v;
      }
    }
  return A;
}
