/**
 * Deep VIB on jointly Gaussian (X, Y) with a deep linear encoder, in float64.
 *
 * Encoder: μ(x) = A x with A = W_L ⋯ W_1 (deep linear), noise t = μ + σ ⊙ ε, ε ~ N(0, I), σ learned
 * (input-independent, as in the Gaussian IB solution T = A_β X + η). Decoder: ŷ = D t, Gaussian
 * likelihood with unit variance. VIB objective (Alemi et al.), with its expectation over ε taken exactly:
 *   L = E‖y − D t‖²/2 + β_vib · E KL(N(μ, σ²) ‖ N(0, I))
 *     = ½tr Σ_yy − tr(D A Σ_xy) + ½tr(D A Σ_xx Aᵀ Dᵀ) + ½Σ_j σ_j² ‖D_{:,j}‖²
 *       + β_vib · ½ [tr(A Σ_xx Aᵀ) + Σ_j (σ_j² − 1 − 2 log σ_j)]
 * so it depends on the data only through Σ_xx, Σ_xy, Σ_yy. β conventions: the IB Lagrangian of the
 * paper is I(X;T) − β I(T;Y); VIB code weighs the KL term, L ≈ −I(T;Y) + β_vib I(X;T), so β = 1/β_vib.
 *
 * Gaussian IB (Chechik et al. 2003): with λ_i the eigenvalues of Σ_{x|y} Σ_x⁻¹, the critical values are
 * β_i^c = 1/(1 − λ_i). For one direction with correlation c (x, y unit variance) and this VIB,
 * a = 0 stops being a minimum exactly when β_vib < c², i.e. β > 1/c² = β^c.
 */
import { Matrix, gemm, eigvalsh, svdvals, solve } from "../../linalg";
import { Rng } from "../../util/random";
import { Float64Optimizer } from "../../training/optimizers";

export interface GaussianIbCritical {
  /** λ_i of Σ_{x|y} Σ_x⁻¹, ascending */
  lambdas: number[];
  /** β_i^c = 1/(1 − λ_i), ascending (Infinity for λ = 1) */
  betas: number[];
}

/** Critical β values of the Gaussian IB from the covariances (Chechik et al. 2003). */
export function gaussianIbCriticalBetas(Sxx: Matrix, Sxy: Matrix, Syy: Matrix): GaussianIbCritical {
  // Σ_{x|y} = Σ_xx − Σ_xy Σ_yy⁻¹ Σ_yx; eigenvalues of Σ_{x|y} Σ_xx⁻¹ (similar to the symmetric Σ_xx^{-1/2} Σ_{x|y} Σ_xx^{-1/2})
  const Syx = Sxy.transpose();
  const cond = new Matrix(Sxx.rows, Sxx.cols, Sxx.data.slice());
  const t = gemm(Sxy, solve(Syy, Syx));
  for (let i = 0; i < cond.data.length; i++) cond.data[i] -= t.data[i];
  // symmetric form through Σ_xx = R Rᵀ (R from the eigen-decomposition)
  const d = Sxx.rows;
  const { values, vectors } = require("../../linalg").eigh(Sxx) as { values: Float64Array; vectors: Matrix };
  const Rinv = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += (vectors.get(i, k) * vectors.get(j, k)) / Math.sqrt(values[k]);
    Rinv.set(i, j, s);
  }
  const M = gemm(gemm(Rinv, cond), Rinv);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) { const v = 0.5 * (M.get(i, j) + M.get(j, i)); M.set(i, j, v); M.set(j, i, v); }
  const lambdas = Array.from(eigvalsh(M));
  return { lambdas, betas: lambdas.map((l) => (1 - l > 1e-15 ? 1 / (1 - l) : Infinity)).sort((a, b) => a - b) };
}

export interface VibArgs {
  Sxx: number[][];
  Sxy: number[][];
  Syy: number[][];
  /** KL weight β_vib (= 1/β) */
  betaVib: number;
  hidden: number[];
  /** dimension of T */
  dT: number;
  steps: number;
  lr: number;
  seed: number;
}

export interface VibResult {
  betaVib: number;
  beta: number;
  loss: number;
  kl: number;
  /** singular values of the encoder Jacobian A (descending) */
  singularValues: number[];
}

/** Trains one Gaussian VIB with Adam on the exact objective; returns KL and the encoder's singular values. */
export function trainGaussianVib(a: VibArgs): VibResult {
  const Sxx = Matrix.from(a.Sxx);
  const Sxy = Matrix.from(a.Sxy);
  const Syy = Matrix.from(a.Syy);
  const Syx = Sxy.transpose();
  const dX = Sxx.rows;
  const dY = Syy.rows;
  const sizes = [dX, ...a.hidden, a.dT];
  const rng = new Rng(a.seed);
  const Ws = sizes.slice(1).map((m, i) => new Matrix(m, sizes[i], rng.normals(m * sizes[i], 0.3 / Math.sqrt(sizes[i]))));
  const D = new Matrix(dY, a.dT, rng.normals(dY * a.dT, 0.3 / Math.sqrt(a.dT)));
  const logS = new Float64Array(a.dT);
  const b = a.betaVib;
  const params: Float64Array[] = [...Ws.map((W) => W.data), D.data, logS];
  const adam = new Float64Optimizer("adam", a.lr, params.map((p) => p.length));
  const chain = (from: number, to: number) => {
    // W_to ⋯ W_from (1-based layer indices), identity when to < from
    let P = Matrix.identity(sizes[from - 1]);
    for (let l = from; l <= to; l++) P = gemm(Ws[l - 1], P);
    return P;
  };
  let loss = 0;
  let kl = 0;
  const evaluate = () => {
    const A = chain(1, Ws.length);
    const DA = gemm(D, A);
    const ASxx = gemm(A, Sxx);
    const sig2 = Array.from(logS, (v) => Math.exp(2 * v));
    let rec = 0;
    for (let i = 0; i < dY; i++) rec += 0.5 * Syy.get(i, i);
    const DAS = gemm(DA, Sxy); // tr(D A Σ_xy)
    for (let i = 0; i < dY; i++) rec -= DAS.get(i, i);
    const Q = gemm(gemm(DA, Sxx), DA, { transB: true });
    for (let i = 0; i < dY; i++) rec += 0.5 * Q.get(i, i);
    for (let j = 0; j < a.dT; j++) {
      let dn = 0;
      for (let i = 0; i < dY; i++) dn += D.get(i, j) ** 2;
      rec += 0.5 * sig2[j] * dn;
    }
    const AS = gemm(ASxx, A, { transB: true });
    let k = 0;
    for (let j = 0; j < a.dT; j++) k += 0.5 * (AS.get(j, j) + sig2[j] - 1 - 2 * logS[j]);
    return { A, DA, ASxx, sig2, rec, kl: k };
  };
  for (let step = 1; step <= a.steps; step++) {
    const { A, ASxx, sig2 } = evaluate();
    // ∂L/∂A = −Dᵀ Σ_yx + Dᵀ D A Σ_xx + β_vib A Σ_xx
    const gA = gemm(gemm(D, D, { transA: true }), ASxx);
    const DtSyx = gemm(D, Syx, { transA: true });
    for (let i = 0; i < gA.data.length; i++) gA.data[i] += b * ASxx.data[i] - DtSyx.data[i];
    // ∂L/∂D = −Σ_yx Aᵀ + D (A Σ_xx Aᵀ + diag σ²)
    const AS = gemm(ASxx, A, { transB: true });
    for (let j = 0; j < a.dT; j++) AS.data[j * a.dT + j] += sig2[j];
    const gD = gemm(D, AS);
    const SyxAt = gemm(Syx, A, { transB: true });
    for (let i = 0; i < gD.data.length; i++) gD.data[i] -= SyxAt.data[i];
    // ∂L/∂log σ_j = σ_j² ‖D_{:,j}‖² + β_vib (σ_j² − 1)
    const gS = new Float64Array(a.dT);
    for (let j = 0; j < a.dT; j++) {
      let dn = 0;
      for (let i = 0; i < dY; i++) dn += D.get(i, j) ** 2;
      gS[j] = sig2[j] * dn + b * (sig2[j] - 1);
    }
    // deep linear chain: ∂L/∂W_l = (W_L⋯W_{l+1})ᵀ gA (W_{l−1}⋯W_1)ᵀ
    const gWs = Ws.map((_, i) => gemm(gemm(chain(i + 2, Ws.length), gA, { transA: true }), chain(1, i), { transB: true }));
    adam.step(params, [...gWs.map((g) => g.data), gD.data, gS]);
  }
  const final = evaluate();
  loss = final.rec + b * final.kl;
  kl = final.kl;
  return { betaVib: b, beta: 1 / b, loss, kl, singularValues: Array.from(svdvals(final.A)) };
}

export const vibModule = __filename;
