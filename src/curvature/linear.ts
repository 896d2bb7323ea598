/**
 * Closed-form Hessian of deep linear networks under the MSE loss (Singh, Bachmann & Hofmann 2021,
 * Sections 3–4), built from Σ_xx = E[x xᵀ] and Ω = E[δ xᵀ] (δ = f(x) − y) only — no per-sample work.
 *
 * With P_l = W_l ⋯ W_1 (P_0 = I_d) and S_l = W_L ⋯ W_{l+1} (S_L = I_K):
 *   H_o = A_o (I_K ⊗ Σ_xx) A_oᵀ,  A_oᵀ = [S_1 ⊗ P_0ᵀ, …, S_l ⊗ P_{l−1}ᵀ, …, S_L ⊗ P_{L−1}ᵀ]   (Prop. 2)
 *   computed as MᵀM with M = (I_K ⊗ Rᵀ) A_oᵀ, Σ_xx = R Rᵀ, i.e. block l of M is S_l ⊗ (P_{l−1} R)ᵀ.
 *   H_f is the Hessian of ⟨Ω, W_L ⋯ W_1⟩ at fixed Ω: zero diagonal blocks, and for layers k < l
 *   ∂²/∂(W_k)_{ab} ∂(W_l)_{ce} = Q[e, a] · (S_lᵀ Ω P_{k−1}ᵀ)[c, b],  Q = W_{l−1} ⋯ W_{k+1} (I when l = k+1).
 */
import { Matrix, gemm, syrk, eigh, kron } from "../linalg";
import { normalizeSpec } from "../nets/spec";
import { Problem, prepare } from "./problem";
import { checkDenseSize, HessianResult } from "./hessian";

export interface LinearStatistics {
  /** E[x xᵀ] (d × d) */
  sigmaXX: Matrix;
  /** E[δ xᵀ] (K × d), δ = f(x) − y */
  omega: Matrix;
}

export function linearStatistics(problem: Problem): LinearStatistics {
  const prep = prepare("linearStatistics", problem);
  const N = prep.N;
  const X = problem.X;
  const delta = new Matrix(N, prep.K, prep.F.map((v, i) => v - prep.Y[i]));
  return { sigmaXX: syrk(X, { trans: true, alpha: 1 / N }), omega: gemm(delta, X, { transA: true, alpha: 1 / N }) };
}

export function linearHessianClosedForm(problem: Problem, opts: { parts?: ("H" | "Ho" | "Hf")[]; maxBytes?: number } = {}): HessianResult {
  const spec = normalizeSpec(problem.spec);
  if (spec.bias) throw new Error("linearHessianClosedForm: needs a network without bias (use hessian() for bias)");
  if (spec.activation.some((a) => a !== "linear")) throw new Error(`linearHessianClosedForm: every hidden activation must be "linear", got [${spec.activation}]`);
  if ((problem.loss ?? "mse") !== "mse") throw new Error(`linearHessianClosedForm: the closed form is for the MSE loss, got "${problem.loss}"`);
  const parts = opts.parts ?? ["H", "Ho", "Hf"];
  const prep = prepare("linearHessianClosedForm", problem);
  const { p } = prep;
  checkDenseSize(p, parts.length, opts.maxBytes);
  const { sigmaXX, omega } = linearStatistics(problem);
  const sizes = spec.sizes;
  const L = sizes.length - 1;
  const d = sizes[0];
  const K = sizes[L];
  const slots = prep.cache.slots;
  const W = (l: number) => new Matrix(slots[l - 1].rows, slots[l - 1].cols, prep.params.subarray(slots[l - 1].wOffset, slots[l - 1].wOffset + slots[l - 1].rows * slots[l - 1].cols));
  const P: Matrix[] = [Matrix.identity(d)];
  for (let l = 1; l <= L; l++) P.push(gemm(W(l), P[l - 1]));
  const S: Matrix[] = new Array(L + 1);
  S[L] = Matrix.identity(K);
  for (let l = L - 1; l >= 0; l--) S[l] = gemm(S[l + 1], W(l + 1));
  const result: HessianResult = { p, loss: prep.lossValue };
  let Ho: Matrix | undefined;
  if (parts.includes("Ho") || parts.includes("H")) {
    const { values, vectors } = eigh(sigmaXX);
    const R = new Matrix(d, d);
    for (let i = 0; i < d; i++) for (let t = 0; t < d; t++) R.data[i * d + t] = vectors.data[i * d + t] * Math.sqrt(Math.max(0, values[t]));
    const Mmat = new Matrix(K * d, p);
    for (let l = 1; l <= L; l++) {
      const block = kron(S[l], gemm(P[l - 1], R).transpose()); // (K·d) × (M_l·M_{l−1})
      const s = slots[l - 1];
      const w = s.rows * s.cols;
      for (let r = 0; r < K * d; r++) Mmat.data.set(block.data.subarray(r * w, (r + 1) * w), r * p + s.wOffset);
    }
    Ho = syrk(Mmat, { trans: true });
  }
  let Hf: Matrix | undefined;
  if (parts.includes("Hf") || parts.includes("H")) {
    Hf = new Matrix(p, p);
    for (let k = 1; k <= L; k++) {
      for (let l = k + 1; l <= L; l++) {
        let Q = Matrix.identity(sizes[k]);
        for (let t = k + 1; t <= l - 1; t++) Q = gemm(W(t), Q); // W_{l−1} ⋯ W_{k+1}: M_{l−1} × M_k
        const Sm = gemm(gemm(S[l], omega, { transA: true }), P[k - 1], { transB: true }); // M_l × M_{k−1}
        const sk = slots[k - 1];
        const sl = slots[l - 1];
        for (let a = 0; a < sk.rows; a++)
          for (let b = 0; b < sk.cols; b++) {
            const row = sk.wOffset + a * sk.cols + b;
            for (let c = 0; c < sl.rows; c++) {
              const sv = Sm.data[c * Sm.cols + b];
              for (let e = 0; e < sl.cols; e++) {
                const v = Q.data[e * Q.cols + a] * sv;
                const col = sl.wOffset + c * sl.cols + e;
                Hf.data[row * p + col] = v;
                Hf.data[col * p + row] = v;
              }
            }
          }
      }
    }
  }
  if (parts.includes("Ho")) result.Ho = Ho;
  if (parts.includes("Hf")) result.Hf = Hf;
  if (parts.includes("H")) {
    const H = new Matrix(p, p);
    for (let i = 0; i < H.data.length; i++) H.data[i] = Ho!.data[i] + Hf!.data[i];
    result.H = H;
  }
  return result;
}
