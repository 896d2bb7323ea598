/**
 * Dense curvature matrices by layer-block formulas. A weight W_l enters the loss only through
 * z_l = W_l ĥ_{l−1} (ĥ = h with a trailing 1 when the network has biases), so for layers k ≤ l:
 *
 *   H[(l,a,c),(k,b,e)] = Σ_n ĥ_{k−1,e} · ( ĥ_{l−1,c} · ∂g_l[a]/∂z_k[b]  +  g_l[a] · ∂ĥ_{l−1,c}/∂z_k[b] )
 *
 * with g_l = ∂L/∂z_l. The per-sample sensitivities ∂g_l/∂z_k and ∂h_{l−1}/∂z_k come from the
 * R-operator applied to the M_k unit perturbations of z_k (neurons, not parameters), and each block is
 * then one GEMM whose inner dimension is the number of samples N. Without the residual terms (the σ'' terms of
 * ∂g/∂z and the g_l[a] term, which make up H_f) this is the Gauss–Newton part H_o. The layer steps are shared with the
 * matrix-free and Jacobian paths (`layer-derivatives.ts`); the kinds (`kinds/`) say which terms they keep.
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

/** Rows budget for the per-block staging matrix (N × rows doubles). */
const STAGE_DOUBLES = 1 << 23;

/** (n, i, j) → (n, j, i) for an N × I × J array. */
function transposeInner(src: Float64Array, N: number, I: number, J: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let n = 0; n < N; n++) {
    const o = n * I * J;
    for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) out[o + j * I + i] = src[o + i * J + j];
  }
  return out;
}

/**
 * X[n, (a, c, b)] = ĥ_{l−1}[n, c] · rgT[n, a, b] + g_l[n, a] · rhT[n, c, b]  (second term only for weights, c < Mprev)
 * for a in [a0, a1).
 */
function stage(
  N: number,
  a0: number,
  a1: number,
  Al: number,
  Cl: number,
  Bk: number,
  Mprev: number,
  h: Float64Array,
  rgT: Float64Array,
  gl: Float64Array | undefined,
  rhT: Float64Array | undefined,
): Float64Array {
  const width = (a1 - a0) * Cl * Bk;
  const X = new Float64Array(N * width);
  for (let n = 0; n < N; n++) {
    const xo = n * width;
    for (let a = a0; a < a1; a++) {
      const ga = gl ? gl[n * Al + a] : 0;
      const rgo = (n * Al + a) * Bk;
      for (let c = 0; c < Cl; c++) {
        const hc = h[n * Cl + c];
        const base = xo + ((a - a0) * Cl + c) * Bk;
        if (rhT && c < Mprev) {
          const rho = (n * Mprev + c) * Bk;
          for (let b = 0; b < Bk; b++) X[base + b] = hc * rgT[rgo + b] + ga * rhT[rho + b];
        } else {
          for (let b = 0; b < Bk; b++) X[base + b] = hc * rgT[rgo + b];
        }
      }
    }
  }
  return X;
}

/**
 * The dense p×p matrix H (with the residual terms) or H_o (without them) of a prepared problem by the layer-block
 * formulas; `onProgress` receives the fraction done.
 * @internal
 */
export function denseLayerBlocks(
  prep: Prepared,
  residualTerms: boolean,
  onProgress?: (fraction: number) => void,
): Matrix {
  const { N, p, cache } = prep;
  const slots = cache.slots;
  const L = slots.length;
  const bias = slots[0].bOffset >= 0;
  const second = residualTerms;
  const out = new Matrix(p, p);
  const D = out.data;
  // ĥ_{l−1} for l = 1..L: N × E_l
  const hHat: Matrix[] = [new Matrix(0, 0)];
  for (let l = 1; l <= L; l++) {
    const H = cache.H[l - 1];
    if (!bias) hHat.push(H);
    else {
      const E = H.cols + 1;
      const M = new Matrix(N, E);
      for (let n = 0; n < N; n++) {
        M.data.set(H.data.subarray(n * H.cols, (n + 1) * H.cols), n * E);
        M.data[n * E + H.cols] = 1;
      }
      hHat.push(M);
    }
  }
  /** parameter index of (layer l, unit a, input column c); c = M_{l−1} is the bias */
  const index = (l: number, a: number, c: number) => {
    const s = slots[l - 1];
    return c < s.cols ? s.wOffset + a * s.cols + c : s.bOffset + a;
  };
  const totalWork = slots.reduce((acc, s, i) => acc + (i + 1) * s.rows * (s.cols + (bias ? 1 : 0)), 0);
  let work = 0;
  for (let k = 1; k <= L; k++) {
    const Bk = slots[k - 1].rows;
    // ---- tangents of the Bk unit perturbations of z_k, layout (n, b, unit) ----
    const RZ: Float64Array[] = new Array(L + 1);
    const RH: Float64Array[] = new Array(L + 1);
    RZ[k] = new Float64Array(N * Bk * Bk);
    for (let n = 0; n < N; n++) for (let b = 0; b < Bk; b++) RZ[k][(n * Bk + b) * Bk + b] = 1;
    for (let j = k; j <= L; j++) {
      if (j > k) RZ[j] = tangentThroughWeights(weightOf(prep, j), RH[j - 1], N * Bk);
      if (j < L) RH[j] = tangentThroughActivation(RZ[j], cache.D1[j], N, Bk, slots[j - 1].rows);
    }
    const Rg: Float64Array[] = new Array(L + 1);
    Rg[L] = RZ[L].slice();
    applyOutputHessian(prep.loss, prep.F, prep.Y, N, prep.K, Rg[L], Bk, 1 / N);
    for (let j = L; j > k; j--) {
      const A = adjointThroughWeights(weightOf(prep, j), Rg[j], N * Bk);
      Rg[j - 1] = backTangentThroughActivation(
        A,
        cache.D1[j - 1],
        N,
        Bk,
        slots[j - 1].cols,
        second ? { d2: cache.D2[j - 1], abar: prep.abar[j - 1], rz: RZ[j - 1] } : undefined,
      );
    }
    // ---- blocks (l, k), l ≥ k: rows of layer l, columns of layer k ----
    const hk = hHat[k];
    const Ek = hk.cols;
    for (let l = k; l <= L; l++) {
      const Al = slots[l - 1].rows;
      const hl = hHat[l];
      const Cl = hl.cols;
      const Mprev = slots[l - 1].cols; // columns c < Mprev are weights, c = Mprev is the bias
      // sensitivities re-laid so the staging loop reads contiguously: rgT (n, a, b), rhT (n, c, b)
      const rgT = transposeInner(Rg[l], N, Bk, Al);
      const gl = prep.g[l];
      const withG = second && l > k;
      const rhT = withG ? transposeInner(RH[l - 1], N, Bk, Mprev) : undefined;
      const perA = Cl * Bk;
      const aChunk = Math.max(1, Math.min(Al, Math.floor(STAGE_DOUBLES / (N * perA))));
      const sk = slots[k - 1];
      for (let a0 = 0; a0 < Al; a0 += aChunk) {
        const a1 = Math.min(Al, a0 + aChunk);
        const width = (a1 - a0) * perA;
        const X = stage(N, a0, a1, Al, Cl, Bk, Mprev, hl.data, rgT, withG ? gl : undefined, rhT);
        const R = gemm(new Matrix(N, width, X), hk, { transA: true }).data; // ((a, c, b), e)
        const Mk1 = sk.cols;
        for (let a = a0; a < a1; a++)
          for (let c = 0; c < Cl; c++) {
            const row = index(l, a, c) * p;
            for (let b = 0; b < Bk; b++) {
              const src = (((a - a0) * Cl + c) * Bk + b) * Ek;
              D.set(R.subarray(src, src + Mk1), row + sk.wOffset + b * Mk1);
              if (bias) D[row + sk.bOffset + b] = R[src + Mk1];
            }
          }
      }
      work += Al * Cl;
      onProgress?.(Math.min(1, work / totalWork));
    }
  }
  // lower block triangle (and diagonal blocks) are filled: mirror, averaging the diagonal blocks
  const layerOf = new Int32Array(p);
  for (const s of slots) {
    const end = s.bOffset >= 0 ? s.bOffset + s.rows : s.wOffset + s.rows * s.cols;
    layerOf.fill(s.layer, s.wOffset, end);
  }
  const T = 64;
  for (let i0 = 0; i0 < p; i0 += T)
    for (let j0 = i0; j0 < p; j0 += T)
      for (let i = i0; i < Math.min(p, i0 + T); i++)
        for (let j = Math.max(j0, i + 1); j < Math.min(p, j0 + T); j++) {
          const up = i * p + j;
          const lo = j * p + i;
          const v = layerOf[i] === layerOf[j] ? 0.5 * (D[up] + D[lo]) : D[lo];
          D[up] = v;
          D[lo] = v;
        }
  return out;
}
