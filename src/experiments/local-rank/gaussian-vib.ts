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
 *
 * Below: the same VIB's optimum in closed form (gaussianVibOptimum), and the Deep VIB of the paper's Fig. 2
 * trained on samples (trainSampledGaussianVib: μ(x) and log σ(x) from a deep linear encoder, reparameterised
 * noise, mini-batch Adam), whose local-rank steps are the evidence of fig2-ib-transitions.
 */
import type { VibTrainingArgs } from "./vib-images";
import { Matrix, gemm, eigvalsh, svdvals, solve } from "../../linalg";
import { Rng } from "../../util/random";
import { Float64Optimizer } from "../../training/optimizers";
import { NetSpec, layout, paramCount } from "../../nets";
import { localRank } from "../../metrics";
import { gaussianPairs } from "../../data";

export interface GaussianIbCritical {
  /** λ_i of Σ_{x|y} Σ_x⁻¹, ascending */
  lambdas: number[];
  /** β_i^c = 1/(1 − λ_i), ascending (Infinity for λ = 1) */
  betas: number[];
}

/** Critical β values of the Gaussian IB from the covariances (Chechik et al. 2003). */
export function gaussianIbCriticalBetas(Sxx: Matrix, Sxy: Matrix, Syy: Matrix): GaussianIbCritical {
  // Σ_{x|y} = Σ_xx − Σ_xy Σ_yy⁻¹ Σ_yx; eigenvalues of Σ_{x|y} Σ_xx⁻¹ (similar to the symmetric Σ_xx^{-1/2} Σ_{x|y}
  // Σ_xx^{-1/2})
  const Syx = Sxy.transpose();
  const cond = new Matrix(Sxx.rows, Sxx.cols, Sxx.data.slice());
  const t = gemm(Sxy, solve(Syy, Syx));
  for (let i = 0; i < cond.data.length; i++) cond.data[i] -= t.data[i];
  // symmetric form through Σ_xx = R Rᵀ (R from the eigen-decomposition)
  const d = Sxx.rows;
  const { values, vectors } = require("../../linalg").eigh(Sxx) as { values: Float64Array; vectors: Matrix };
  const Rinv = new Matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (vectors.get(i, k) * vectors.get(j, k)) / Math.sqrt(values[k]);
      Rinv.set(i, j, s);
    }
  const M = gemm(gemm(Rinv, cond), Rinv);
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (M.get(i, j) + M.get(j, i));
      M.set(i, j, v);
      M.set(j, i, v);
    }
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
  const Ws = sizes
    .slice(1)
    .map((m, i) => new Matrix(m, sizes[i], rng.normals(m * sizes[i], 0.3 / Math.sqrt(sizes[i]))));
  const D = new Matrix(dY, a.dT, rng.normals(dY * a.dT, 0.3 / Math.sqrt(a.dT)));
  const logS = new Float64Array(a.dT);
  const b = a.betaVib;
  const params: Float64Array[] = [...Ws.map((W) => W.data), D.data, logS];
  const adam = new Float64Optimizer(
    "adam",
    a.lr,
    params.map((p) => p.length),
  );
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
    const gWs = Ws.map((_, i) =>
      gemm(gemm(chain(i + 2, Ws.length), gA, { transA: true }), chain(1, i), { transB: true }),
    );
    adam.step(params, [...gWs.map((g) => g.data), gD.data, gS]);
  }
  const final = evaluate();
  loss = final.rec + b * final.kl;
  kl = final.kl;
  return { betaVib: b, beta: 1 / b, loss, kl, singularValues: Array.from(svdvals(final.A)) };
}

export const vibModule = __filename;

// ---------------------------------------------------------------------------------------------
// The Deep VIB of Fig. 2 trained on samples (the paper's setting): a deep linear encoder giving μ(x) and
// log σ(x), reparameterised noise, a linear Gaussian decoder, mini-batches of n samples of the Gaussian pair.
// ---------------------------------------------------------------------------------------------

/**
 * The Gaussian IB optimum of the VIB above per direction, in closed form. For X, Y unit-variance with
 * canonical correlations c_i (Σ_XY = diag(c)), minimising E½‖y − D t‖² + β_vib·E KL over A, σ and D decouples
 * into directions; for β = 1/β_vib > β_c,i = 1/c_i² the minimiser has encoder gain a_i = √(1 − β_c,i/β),
 * noise σ_i² = β_c,i/β and KL_i = ½ ln(β/β_c,i); below β_c,i the direction is off (a_i = 0, KL_i = 0).
 * (From ∂/∂D: d = a c/(a² + σ²); then ∂/∂a² and ∂/∂σ² give a² + σ² = 1 and σ² = β_vib c⁻².)
 * The KL, summed over directions, is the Gaussian IB's I(X;T) at β.
 */
export function gaussianVibOptimum(
  criticalBetas: number[],
  beta: number,
): { gains: number[]; kl: number; rank: number } {
  const on = criticalBetas.filter((b) => b < beta);
  return {
    gains: criticalBetas.map((b) => (b < beta ? Math.sqrt(1 - b / beta) : 0)).sort((a, b) => b - a),
    kl: on.reduce((s, b) => s + 0.5 * Math.log(beta / b), 0),
    rank: on.length,
  };
}

/** The samples of Fig. 2: X ~ N(0, I_dX), Y = Σ_yx X + (I − Σ_yx Σ_yxᵀ)^{1/2} E (Σ_xx = Σ_yy = I). */
export function gaussianVibSamples(crossCov: number[][], n: number, seed: number): { X: Matrix; Y: Matrix } {
  const C = Matrix.from(crossCov);
  const ds = gaussianPairs({ n, dIn: C.cols, dOut: C.rows, crossCov: C, seed });
  return { X: ds.X, Y: ds.Y };
}

/** Critical β of the Gaussian IB from the sample covariances of (X, Y) (centred, divided by n − 1). */
export function sampleCriticalBetas(X: Matrix, Y: Matrix): GaussianIbCritical {
  const n = X.rows;
  const centred = (M: Matrix) => {
    const out = new Matrix(M.rows, M.cols, M.data.slice());
    for (let j = 0; j < M.cols; j++) {
      let m = 0;
      for (let i = 0; i < M.rows; i++) m += M.get(i, j);
      m /= M.rows;
      for (let i = 0; i < M.rows; i++) out.set(i, j, M.get(i, j) - m);
    }
    return out;
  };
  const Xc = centred(X);
  const Yc = centred(Y);
  const scale = (M: Matrix) =>
    new Matrix(
      M.rows,
      M.cols,
      M.data.map((v) => v / (n - 1)),
    );
  return gaussianIbCriticalBetas(
    scale(gemm(Xc, Xc, { transA: true })),
    scale(gemm(Xc, Yc, { transA: true })),
    scale(gemm(Yc, Yc, { transA: true })),
  );
}

/**
 * A sampled Deep VIB's parameters. Encoder: a deep linear trunk h = W_L ⋯ W_1 x (no biases; `mu` holds
 * the trunk and the μ head as one linear net in rankscope's layout, spec `muSpec`), μ = W_μ h, log σ = W_ρ h + b_ρ.
 * Decoder: ŷ = D t + b_D with t = μ + σ ⊙ ε.
 */
export interface SampledVib {
  muSpec: NetSpec;
  /** trunk and μ head, rankscope layout of `muSpec` (linear, no bias) */
  mu: Float64Array;
  /** log σ head: W_ρ (dT × width of the last trunk layer, row-major) and b_ρ */
  rhoW: Float64Array;
  rhoB: Float64Array;
  /** decoder D (dY × dT, row-major) and b_D */
  dec: Float64Array;
  decB: Float64Array;
}

/** Forward values of one sample: the trunk activations h_0 = x … h_L, μ, ρ = log σ. */
function encode(
  m: SampledVib,
  x: Float64Array | number[],
): { hs: Float64Array[]; mu: Float64Array; rho: Float64Array } {
  const slots = layout(m.muSpec);
  const hs: Float64Array[] = [Float64Array.from(x)];
  for (let l = 0; l < slots.length - 1; l++) {
    const s = slots[l];
    const h = new Float64Array(s.rows);
    const prev = hs[l];
    for (let r = 0; r < s.rows; r++) {
      let v = 0;
      for (let c = 0; c < s.cols; c++) v += m.mu[s.wOffset + r * s.cols + c] * prev[c];
      h[r] = v;
    }
    hs.push(h);
  }
  const head = slots[slots.length - 1];
  const hL = hs[hs.length - 1];
  const mu = new Float64Array(head.rows);
  const rho = new Float64Array(head.rows);
  for (let j = 0; j < head.rows; j++) {
    let v = 0;
    let w = m.rhoB[j];
    for (let c = 0; c < head.cols; c++) {
      v += m.mu[head.wOffset + j * head.cols + c] * hL[c];
      w += m.rhoW[j * head.cols + c] * hL[c];
    }
    mu[j] = v;
    rho[j] = w;
  }
  return { hs, mu, rho };
}

/** KL(N(μ, σ²) ‖ N(0, I)) of one sample, in closed form: ½ Σ_j (μ_j² + σ_j² − 1 − 2 log σ_j). */
export function gaussianKl(mu: ArrayLike<number>, logSigma: ArrayLike<number>): number {
  let k = 0;
  for (let j = 0; j < mu.length; j++) k += 0.5 * (mu[j] * mu[j] + Math.exp(2 * logSigma[j]) - 1 - 2 * logSigma[j]);
  return k;
}

/** y ← W x for a row-major W (rows × cols) stored at `off` of `w`, over a batch of B rows (x: B×cols, y: B×rows). */
function batchMatVec(
  w: Float64Array,
  off: number,
  rows: number,
  cols: number,
  x: Float64Array,
  y: Float64Array,
  B: number,
): void {
  for (let b = 0; b < B; b++)
    for (let r = 0; r < rows; r++) {
      let v = 0;
      const wo = off + r * cols;
      const xo = b * cols;
      for (let c = 0; c < cols; c++) v += w[wo + c] * x[xo + c];
      y[b * rows + r] = v;
    }
}

/**
 * The sampled VIB objective on a mini-batch (rows of X, Y) with given noise E (B × dT, row i is ε_i) and its exact
 * gradient: mean_i [½‖y_i − D(μ_i + σ_i ⊙ ε_i) − b_D‖² + β_vib · KL_i], KL_i in closed form. Gradients in the blocks of
 * `SampledVib`.
 */
export function sampledVibLossAndGrad(
  m: SampledVib,
  X: Matrix,
  Y: Matrix,
  rows: number[],
  E: Float64Array,
  betaVib: number,
): { loss: number; rec: number; kl: number; grads: SampledVib } {
  const slots = layout(m.muSpec);
  const head = slots[slots.length - 1];
  const dT = head.rows;
  const w = head.cols;
  const dY = Y.cols;
  const dX = X.cols;
  const B = rows.length;
  const W = m.mu;
  const Wr = m.rhoW;
  const D = m.dec;
  const Xd = X.data;
  const Yd = Y.data;
  const g: SampledVib = {
    muSpec: m.muSpec,
    mu: new Float64Array(W.length),
    rhoW: new Float64Array(Wr.length),
    rhoB: new Float64Array(dT),
    dec: new Float64Array(D.length),
    decB: new Float64Array(dY),
  };
  const gW = g.mu;
  const gWr = g.rhoW;
  const gD = g.dec;
  // forward: H_0 = X rows, H_l = H_{l−1} W_lᵀ, μ = H_L W_μᵀ, ρ = H_L W_ρᵀ + b_ρ
  const hs: Float64Array[] = [new Float64Array(B * dX)];
  for (let b = 0; b < B; b++) hs[0].set(Xd.subarray(rows[b] * dX, (rows[b] + 1) * dX), b * dX);
  for (let l = 0; l < slots.length - 1; l++) {
    const sl = slots[l];
    hs.push(new Float64Array(B * sl.rows));
    batchMatVec(W, sl.wOffset, sl.rows, sl.cols, hs[l], hs[l + 1], B);
  }
  const hL = hs[hs.length - 1];
  const mu = new Float64Array(B * dT);
  const rho = new Float64Array(B * dT);
  batchMatVec(W, head.wOffset, dT, w, hL, mu, B);
  batchMatVec(Wr, 0, dT, w, hL, rho, B);
  let rec = 0;
  let kl = 0;
  const gMu = new Float64Array(B * dT);
  const gRho = new Float64Array(B * dT);
  const t = new Float64Array(dT);
  const r = new Float64Array(dY);
  const invB = 1 / B;
  for (let b = 0; b < B; b++) {
    const o = b * dT;
    for (let j = 0; j < dT; j++) {
      rho[o + j] += m.rhoB[j];
      t[j] = mu[o + j] + Math.exp(rho[o + j]) * E[o + j];
    }
    const yo = rows[b] * dY;
    for (let i = 0; i < dY; i++) {
      let v = m.decB[i] - Yd[yo + i];
      const io = i * dT;
      for (let j = 0; j < dT; j++) v += D[io + j] * t[j];
      r[i] = v;
      rec += 0.5 * v * v;
      g.decB[i] += v * invB;
      const vb = v * invB;
      for (let j = 0; j < dT; j++) gD[io + j] += vb * t[j];
    }
    for (let j = 0; j < dT; j++) {
      let gt = 0; // (Dᵀ r)_j
      for (let i = 0; i < dY; i++) gt += D[i * dT + j] * r[i];
      const rj = rho[o + j];
      const sj = Math.exp(rj);
      const mj = mu[o + j];
      kl += 0.5 * (mj * mj + sj * sj - 1 - 2 * rj);
      // ∂/∂μ = Dᵀr + β_vib μ; ∂/∂ρ = (Dᵀr) ε σ + β_vib (σ² − 1)
      gMu[o + j] = (gt + betaVib * mj) * invB;
      const gr = (gt * E[o + j] * sj + betaVib * (sj * sj - 1)) * invB;
      gRho[o + j] = gr;
      g.rhoB[j] += gr;
    }
  }
  rec *= invB;
  kl *= invB;
  // heads: ∂W_μ = gMuᵀ H_L, ∂W_ρ = gRhoᵀ H_L; ∂H_L = gMu W_μ + gRho W_ρ
  let gh = new Float64Array(B * w);
  const ho = head.wOffset;
  for (let b = 0; b < B; b++) {
    const bo = b * w;
    for (let j = 0; j < dT; j++) {
      const gm = gMu[b * dT + j];
      const gr = gRho[b * dT + j];
      const wo = ho + j * w;
      const ro = j * w;
      for (let c = 0; c < w; c++) {
        const h = hL[bo + c];
        gW[wo + c] += gm * h;
        gWr[ro + c] += gr * h;
        gh[bo + c] += W[wo + c] * gm + Wr[ro + c] * gr;
      }
    }
  }
  // the linear trunk, backwards: ∂W_l = ∂H_lᵀ H_{l−1}, ∂H_{l−1} = ∂H_l W_l
  for (let l = slots.length - 2; l >= 0; l--) {
    const rowsL = slots[l].rows;
    const cols = slots[l].cols;
    const off = slots[l].wOffset;
    const prev = hs[l];
    const gPrev = new Float64Array(B * cols);
    for (let b = 0; b < B; b++) {
      const po = b * cols;
      for (let a = 0; a < rowsL; a++) {
        const ga = gh[b * rowsL + a];
        const wo = off + a * cols;
        for (let c = 0; c < cols; c++) {
          gW[wo + c] += ga * prev[po + c];
          gPrev[po + c] += W[wo + c] * ga;
        }
      }
    }
    gh = gPrev;
  }
  return { loss: rec + betaVib * kl, rec, kl, grads: g };
}

/**
 * A sampled Gaussian Deep VIB run: the common VIB settings (`hidden` is the deep linear trunk, `n` samples drawn with
 * `seed`, `lr` Adam's at the start with cosine decay to lr/100 at the last step, local rank on the first `evalSamples`
 * training samples) and the task.
 */
export interface SampledVibArgs extends VibTrainingArgs {
  /** Σ_yx (dY × dX); Σ_xx = Σ_yy = I */
  crossCov: number[][];
  /** KL weight β_vib (= 1/β) */
  betaVib: number;
}

export interface SampledVibResult {
  betaVib: number;
  beta: number;
  /**
   * on the whole training set at the end: mean closed-form KL, mean ½‖y − ŷ‖² over the noise (exact), and their VIB sum
   */
  kl: number;
  rec: number;
  loss: number;
  /** singular values of the μ map's Jacobian W_μ W_L ⋯ W_1 (descending) */
  singularValues: number[];
  /** local rank of μ(x) at `eps` (rankscope's localRank on the linear μ net) */
  localRank: number;
  /** mean noise scale σ per dimension of T over the training set */
  sigma: number[];
}

/**
 * Initial parameters as PyTorch's nn.Linear default: every weight U(−1/√fan-in, 1/√fan-in), the biases b_ρ and b_D
 * likewise (fan-in of their layer).
 */
export function initSampledVib(dX: number, hidden: number[], dT: number, dY: number, seed: number): SampledVib {
  const muSpec: NetSpec = { sizes: [dX, ...hidden, dT], activation: "linear", bias: false };
  const rng = new Rng(seed);
  const uniform = (n: number, fanIn: number) =>
    Float64Array.from({ length: n }, () => rng.uniformIn(-1, 1) / Math.sqrt(fanIn));
  const mu = new Float64Array(paramCount(muSpec));
  for (const s of layout(muSpec)) mu.set(uniform(s.rows * s.cols, s.cols), s.wOffset);
  const w = hidden.length ? hidden[hidden.length - 1] : dX;
  return {
    muSpec,
    mu,
    rhoW: uniform(dT * w, w),
    rhoB: uniform(dT, w),
    dec: uniform(dY * dT, dT),
    decB: uniform(dY, dT),
  };
}

/** Trains the Deep VIB of Fig. 2 on n samples (Adam, float64, mini-batches with fresh seeded noise every step). */
export function trainSampledGaussianVib(a: SampledVibArgs): SampledVibResult {
  const { X, Y } = gaussianVibSamples(a.crossCov, a.n, a.seed);
  const m = initSampledVib(X.cols, a.hidden, a.dT, Y.cols, a.seed + 1);
  const blocks = (v: SampledVib) => [v.mu, v.rhoW, v.rhoB, v.dec, v.decB];
  const params = blocks(m);
  const adam = new Float64Optimizer(
    "adam",
    a.lr,
    params.map((p) => p.length),
  );
  const rng = new Rng(a.seed + 2);
  const B = Math.min(a.batch, a.n);
  let perm = rng.permutation(a.n);
  let pos = 0;
  for (let step = 1; step <= a.steps; step++) {
    if (pos + B > a.n) {
      perm = rng.permutation(a.n);
      pos = 0;
    }
    const rows = Array.from(perm.slice(pos, pos + B));
    pos += B;
    const E = rng.normals(B * a.dT);
    const { grads } = sampledVibLossAndGrad(m, X, Y, rows, E, a.betaVib);
    // cosine decay from lr to lr/100 over the run
    adam.step(
      params,
      blocks(grads),
      a.lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * (step - 1)) / Math.max(1, a.steps - 1)))),
    );
  }
  // the whole training set at the end: closed-form KL, and the reconstruction averaged exactly over the noise
  const dT = a.dT;
  const dY = Y.cols;
  let kl = 0;
  let rec = 0;
  const sigma = new Array<number>(dT).fill(0);
  for (let i = 0; i < a.n; i++) {
    const { mu, rho } = encode(m, X.data.subarray(i * X.cols, (i + 1) * X.cols));
    kl += gaussianKl(mu, rho) / a.n;
    for (let j = 0; j < dT; j++) sigma[j] += Math.exp(rho[j]) / a.n;
    for (let k = 0; k < dY; k++) {
      let v = m.decB[k] - Y.get(i, k);
      let noise = 0;
      for (let j = 0; j < dT; j++) {
        v += m.dec[k * dT + j] * mu[j];
        noise += m.dec[k * dT + j] ** 2 * Math.exp(2 * rho[j]);
      }
      rec += (0.5 * (v * v + noise)) / a.n;
    }
  }
  const slots = layout(m.muSpec);
  let A = Matrix.identity(X.cols);
  for (const s of slots) A = gemm(new Matrix(s.rows, s.cols, m.mu.subarray(s.wOffset, s.wOffset + s.rows * s.cols)), A);
  const evalX = new Matrix(
    Math.min(a.evalSamples, a.n),
    X.cols,
    X.data.slice(0, Math.min(a.evalSamples, a.n) * X.cols),
  );
  const lr = localRank(m.muSpec, m.mu, evalX, { eps: a.eps, layers: [m.muSpec.sizes.length - 1] })[0].localRank;
  return {
    betaVib: a.betaVib,
    beta: 1 / a.betaVib,
    kl,
    rec,
    loss: rec + a.betaVib * kl,
    singularValues: Array.from(svdvals(A)),
    localRank: lr,
    sigma,
  };
}
