/**
 * Curvature-matrix products on a block of directions at once (batched R-operator, Pearlmutter 1994), the per-batch
 * product of the Hessian and Gauss–Newton kinds (`kinds/`):
 *
 *   with the residual terms:    rows of V·H, H = ∇²_θ L                 (exact Hessian of the mean loss)
 *   without them:               rows of V·H_o, H_o = (1/N) Σ_n J_nᵀ Λ_n J_n (Gauss–Newton / outer-product part)
 *
 * V is B×p (one direction per row); the result is B×p. Tangents are laid out (sample, direction,
 * unit) so that every step over all B directions is one GEMM:
 *   forward   Rz_l = Rh_{l−1} W_lᵀ + h_{l−1} V_lᵀ + c_l,          Rh_l = σ'(z_l) ⊙ Rz_l
 *   output    Rg_L = Λ Rz_L / N
 *   backward  R∂W_l = Rg_lᵀ h_{l−1} + g_lᵀ Rh_{l−1},             R∂b_l = Σ_n Rg_l
 *             Rā_{l−1} = Rg_l W_l + g_l V_l,
 *             Rg_{l−1} = σ'(z_{l−1}) ⊙ Rā_{l−1} + σ''(z_{l−1}) ⊙ ā_{l−1} ⊙ Rz_{l−1}
 * The residual terms are those with g, ā and σ'' (they make up H_f = H − H_o); the layer steps are shared with the
 * dense and Jacobian paths (`layer-derivatives.ts`).
 * Layers below the first one a block touches have zero tangents and are skipped.
 */
import { Matrix, gemmTrusted as gemm } from "../linalg";
import { applyOutputHessian } from "../nets/losses";
import { Prepared, weightOf } from "./problem";
import {
  adjointThroughWeights,
  backTangentThroughActivation,
  tangentThroughActivation,
  tangentThroughWeights,
} from "./layer-derivatives";

/**
 * Rows of V·C (B×p) for the directions V (B×p, one per row) of a prepared problem by the batched R-operator:
 * C = H with the residual terms, C = H_o without them; throws when V does not have p columns.
 * @internal
 */
export function rOperatorProducts(prep: Prepared, V: Matrix, residualTerms: boolean): Matrix {
  const { N, K, p, cache } = prep;
  if (V.cols !== p)
    throw new Error(`curvatureProducts: directions must be B×${p} (one per row), got ${V.rows}×${V.cols}`);
  const B = V.rows;
  const slots = cache.slots;
  const L = slots.length;
  const out = new Matrix(B, p);
  if (B === 0) return out;
  const second = residualTerms;
  // which layers the directions touch, and the per-layer stacks of V
  const touched: boolean[] = new Array(L + 1).fill(false);
  for (const s of slots) {
    const end = s.bOffset >= 0 ? s.bOffset + s.rows : s.wOffset + s.rows * s.cols;
    outer: for (let b = 0; b < B; b++) {
      const row = b * p;
      for (let i = s.wOffset; i < end; i++) {
        if (V.data[row + i] !== 0) {
          touched[s.layer] = true;
          break outer;
        }
      }
    }
  }
  const l0 = touched.indexOf(true);
  if (l0 < 0) return out;
  /** rows (b, j) of layer l's weight directions: (B·M_l) × M_{l−1} */
  const stackRows = (l: number) => {
    const s = slots[l - 1];
    const n = s.rows * s.cols;
    const M = new Matrix(B * s.rows, s.cols);
    for (let b = 0; b < B; b++) M.data.set(V.data.subarray(b * p + s.wOffset, b * p + s.wOffset + n), b * n);
    return M;
  };
  // ---- forward tangents ----
  const RZ: Float64Array[] = new Array(L + 1);
  const RH: Float64Array[] = new Array(L + 1);
  for (let l = l0; l <= L; l++) {
    const s = slots[l - 1];
    let rz: Float64Array;
    if (l > l0) rz = tangentThroughWeights(weightOf(prep, l), RH[l - 1], N * B);
    else rz = new Float64Array(N * B * s.rows);
    if (touched[l]) {
      const T = gemm(cache.H[l - 1], stackRows(l), { transB: true }).data; // N × (B·M_l), layout (n, b, j)
      for (let i = 0; i < rz.length; i++) rz[i] += T[i];
      if (s.bOffset >= 0) {
        for (let b = 0; b < B; b++) {
          const c = V.data.subarray(b * p + s.bOffset, b * p + s.bOffset + s.rows);
          for (let n = 0; n < N; n++) {
            const o = (n * B + b) * s.rows;
            for (let j = 0; j < s.rows; j++) rz[o + j] += c[j];
          }
        }
      }
    }
    RZ[l] = rz;
    if (l < L) RH[l] = tangentThroughActivation(rz, cache.D1[l], N, B, s.rows);
  }
  // ---- output: Rg_L = Λ Rz_L / N ----
  let Rg: Float64Array = RZ[L].slice();
  applyOutputHessian(prep.loss, prep.F, prep.Y, N, K, Rg, B, 1 / N);
  // ---- backward ----
  for (let l = L; l >= 1; l--) {
    const s = slots[l - 1];
    const M = s.rows;
    const C = s.cols;
    const n2 = M * C;
    const T1 = gemm(new Matrix(N, B * M, Rg), cache.H[l - 1], { transA: true }).data; // (b, j, i)
    for (let b = 0; b < B; b++) out.data.set(T1.subarray(b * n2, (b + 1) * n2), b * p + s.wOffset);
    if (second && l - 1 >= l0 && l - 1 >= 1) {
      const T2 = gemm(new Matrix(N, M, prep.g[l]), new Matrix(N, B * C, RH[l - 1]), { transA: true }).data; // (j, b, i)
      for (let b = 0; b < B; b++) {
        const row = b * p + s.wOffset;
        for (let j = 0; j < M; j++) {
          const src = j * B * C + b * C;
          const dst = row + j * C;
          for (let i = 0; i < C; i++) out.data[dst + i] += T2[src + i];
        }
      }
    }
    if (s.bOffset >= 0) {
      for (let b = 0; b < B; b++) {
        const dst = b * p + s.bOffset;
        for (let n = 0; n < N; n++) {
          const o = (n * B + b) * M;
          for (let j = 0; j < M; j++) out.data[dst + j] += Rg[o + j];
        }
      }
    }
    if (l === 1) break;
    const A = adjointThroughWeights(weightOf(prep, l), Rg, N * B); // (n, b, i)
    if (second && touched[l]) {
      // g_l V_l for every direction: g_l (N×M) times [V_l^(1) | … | V_l^(B)] (M × B·C)
      const Vh = new Matrix(M, B * C);
      for (let b = 0; b < B; b++)
        for (let j = 0; j < M; j++)
          Vh.data.set(V.data.subarray(b * p + s.wOffset + j * C, b * p + s.wOffset + (j + 1) * C), j * B * C + b * C);
      const T3 = gemm(new Matrix(N, M, prep.g[l]), Vh).data;
      for (let i = 0; i < A.length; i++) A[i] += T3[i];
    }
    const withD2 = second && l - 1 >= l0;
    Rg = backTangentThroughActivation(
      A,
      cache.D1[l - 1],
      N,
      B,
      C,
      withD2 ? { d2: cache.D2[l - 1], abar: prep.abar[l - 1], rz: RZ[l - 1] } : undefined,
    );
  }
  return out;
}

/**
 * A block size B that keeps each (N·B·M) tangent array near `budget` doubles.
 * @internal
 */
export function blockSize(prep: Prepared, budget = 1 << 22): number {
  const widest = Math.max(...prep.spec.sizes);
  return Math.max(1, Math.min(prep.p, Math.floor(budget / (prep.N * widest))));
}
