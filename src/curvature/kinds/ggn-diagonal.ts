/**
 * The exact diagonal of the Gauss–Newton part, D = diag(H_o), as a kind: the operator V ↦ V·D. With Λ_n = S_nᵀ S_n
 * (`outputHessianFactor`) and ∇_{W_l} f_k(x_n) = G_l[n, k] ⊗ h_{l−1}(x_n) (the reverse pass over all outputs that the
 * Jacobians use, `backpropOutputs`),
 *   D[(l, j, i)] = (1/N) Σ_n q_l[n, j] · h_{l−1}[n, i]²,   D[bias (l, j)] = (1/N) Σ_n q_l[n, j],
 *   q_l[n, j] = Σ_c (Σ_k S_n[c, k] G_l[n, k, j])²,
 * one GEMM per layer over the samples: exact (no probes) for dense networks, at the cost of one Jacobian pass.
 */
import { Matrix, gemmTrusted as gemm } from "../../linalg";
import { outputHessianFactor } from "../../nets/losses";
import type { CurvatureKindModule } from "../operator-base";
import { kindOperator } from "../operator-base";
import { Problem, Prepared } from "../problem";
import { backpropOutputs } from "../jacobian";
import { checkOptions, int } from "../../util/options";

const diagonals = new WeakMap<Prepared, Float64Array>();

/**
 * diag(H_o) of a prepared problem (the mean over its rows), computed once per prepared problem.
 * @internal
 */
export function ggnDiagonalOf(prep: Prepared): Float64Array {
  const known = diagonals.get(prep);
  if (known) return known;
  const { N, K, p, cache } = prep;
  const diag = new Float64Array(p);
  let factors: Float64Array | undefined;
  if (prep.loss !== "mse") {
    factors = new Float64Array(N * K * K);
    for (let n = 0; n < N; n++) outputHessianFactor(prep.loss, prep.F, prep.Y, n, K, factors.subarray(n * K * K));
  }
  backpropOutputs(cache, prep.params, (l, G) => {
    const s = cache.slots[l - 1];
    const M = s.rows;
    const C = s.cols;
    const q = new Float64Array(N * M);
    const row = new Float64Array(M);
    for (let n = 0; n < N; n++) {
      const qn = q.subarray(n * M, (n + 1) * M);
      for (let c = 0; c < K; c++) {
        if (factors) {
          row.fill(0);
          for (let k = 0; k < K; k++) {
            const f = factors[(n * K + c) * K + k];
            if (f === 0) continue;
            const o = (n * K + k) * M;
            for (let j = 0; j < M; j++) row[j] += f * G[o + j];
          }
        } else row.set(G.subarray((n * K + c) * M, (n * K + c + 1) * M));
        for (let j = 0; j < M; j++) qn[j] += row[j] * row[j];
      }
    }
    const h = cache.H[l - 1].data;
    const h2 = new Matrix(N, C);
    for (let i = 0; i < h2.data.length; i++) h2.data[i] = h[i] * h[i];
    const W = gemm(new Matrix(N, M, q), h2, { transA: true }).data; // M × C, (j, i)
    for (let t = 0; t < M * C; t++) diag[s.wOffset + t] = W[t] / N;
    if (s.bOffset >= 0)
      for (let j = 0; j < M; j++) {
        let sum = 0;
        for (let n = 0; n < N; n++) sum += q[n * M + j];
        diag[s.bOffset + j] = sum / N;
      }
  });
  diagonals.set(prep, diag);
  return diag;
}

/** D = diag(H_o), exact: the operator V ↦ V·D (each row of V times the diagonal). */
export const ggnDiagonalKind: CurvatureKindModule = {
  name: "ggn-diagonal",
  description: "the exact diagonal of the Gauss–Newton part, diag(H_o)",
  product(prep, V) {
    const d = ggnDiagonalOf(prep);
    const out = new Matrix(V.rows, V.cols);
    for (let r = 0; r < V.rows; r++) {
      const o = r * V.cols;
      for (let i = 0; i < V.cols; i++) out.data[o + i] = V.data[o + i] * d[i];
    }
    return out;
  },
};

/**
 * The exact diagonal of the Gauss–Newton matrix H_o = (1/N) Σ_n J_nᵀ Λ_n J_n of the mean loss (length p, float64),
 * without forming H_o or J: one reverse pass over all outputs per mini-batch of `batchSize` rows (default all N). The
 * same as the diagonal of `hessian(problem).Ho`, and the exact counterpart of `hutchinsonDiagonal` on the "ggn"
 * operator. Throws a `SpecError` for an invalid problem.
 */
export function ggnDiagonal(problem: Problem, opts: { batchSize?: number } = {}): Float64Array {
  checkOptions("ggnDiagonal", opts, { batchSize: int(1) });
  const op = kindOperator("ggnDiagonal", problem, ggnDiagonalKind, opts);
  const ones = new Matrix(1, op.p);
  ones.data.fill(1);
  return op.apply(ones).data;
}
