/**
 * Per-sample losses ℓ(f, y) of the network output f ∈ R^K, their gradient r = ∂ℓ/∂f and their
 * Hessian Λ = ∂²ℓ/∂f² (applied to vectors). The training loss is the mean over samples.
 * - mse:     ℓ = ½‖f − y‖²,                    r = f − y,                Λ = I
 * - ce:      ℓ = −Σ_k y_k log softmax(f)_k,     r = softmax(f)·Σy − y,    Λ = (Σy)(diag(p) − p pᵀ)
 * - logcosh: ℓ = Σ_k log cosh(f_k − y_k),       r = tanh(f − y),          Λ = diag(sech²(f − y))
 */
export const LOSSES = ["mse", "ce", "logcosh"] as const;
/**
 * A per-sample loss: "mse" (½‖f − y‖²), "ce" (softmax cross-entropy) or "logcosh"; the training loss is the mean over
 * samples.
 */
export type LossName = (typeof LOSSES)[number];

/**
 * Returns `loss` as a `LossName`, or throws an Error naming `op` and the allowed losses.
 * @internal
 */
export function checkLoss(op: string, loss: unknown): LossName {
  if (!LOSSES.includes(loss as LossName))
    throw new Error(`${op}: unknown loss "${loss}"; allowed: ${LOSSES.join(", ")}`);
  return loss as LossName;
}

function logCosh(u: number): number {
  const a = Math.abs(u);
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

/** Softmax of row `f` (length K) into `p`. */
function softmax(f: Float64Array, o: number, K: number, p: Float64Array): void {
  let m = -Infinity;
  for (let k = 0; k < K; k++) m = Math.max(m, f[o + k]);
  let s = 0;
  for (let k = 0; k < K; k++) {
    p[k] = Math.exp(f[o + k] - m);
    s += p[k];
  }
  for (let k = 0; k < K; k++) p[k] /= s;
}

/**
 * 1 − p_k computed as Σ_{j≠k} p_j: exact to rounding even when p_k ≈ 1, where 1 − p_k cancels.
 * This keeps the softmax Hessian's null vector 1 exact, so ranks near a minimum are not inflated.
 */
function complement(p: Float64Array, k: number, K: number): number {
  let s = 0;
  for (let j = 0; j < K; j++) if (j !== k) s += p[j];
  return s;
}

/** Λ = diag(p) − ppᵀ into L (K×K) with accurate diagonal p_k(1 − p_k). */
function softmaxHessian(p: Float64Array, K: number, L: Float64Array): void {
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++) L[i * K + j] = i === j ? p[i] * complement(p, i, K) : -p[i] * p[j];
}

/**
 * Mean loss over the N rows and, if `residual` is given, fills it with r_n = ∂ℓ_n/∂f (N×K).
 * F and Y are N×K row-major.
 * @internal
 */
export function lossAndResidual(
  loss: LossName,
  F: Float64Array,
  Y: Float64Array,
  N: number,
  K: number,
  residual?: Float64Array,
): number {
  let total = 0;
  const p = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    const o = n * K;
    if (loss === "mse") {
      for (let k = 0; k < K; k++) {
        const u = F[o + k] - Y[o + k];
        total += 0.5 * u * u;
        if (residual) residual[o + k] = u;
      }
    } else if (loss === "logcosh") {
      for (let k = 0; k < K; k++) {
        const u = F[o + k] - Y[o + k];
        total += logCosh(u);
        if (residual) residual[o + k] = Math.tanh(u);
      }
    } else {
      softmax(F, o, K, p);
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, F[o + k]);
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(F[o + k] - m);
      const lse = m + Math.log(s);
      let ysum = 0;
      for (let k = 0; k < K; k++) {
        total -= Y[o + k] * (F[o + k] - lse);
        ysum += Y[o + k];
      }
      if (residual) for (let k = 0; k < K; k++) residual[o + k] = p[k] * ysum - Y[o + k];
    }
  }
  return total / N;
}

/**
 * Applies the per-sample output Hessian Λ_n to B vectors per sample, in place:
 * U has layout (n, b, k) — N·B rows of length K — and row (n, b) becomes Λ_n u, times `scale`.
 * @internal
 */
export function applyOutputHessian(
  loss: LossName,
  F: Float64Array,
  Y: Float64Array,
  N: number,
  K: number,
  U: Float64Array,
  B: number,
  scale: number,
): void {
  const p = new Float64Array(K);
  const Lam = new Float64Array(K * K);
  const tmp = new Float64Array(K);
  for (let n = 0; n < N; n++) {
    const o = n * K;
    if (loss === "mse") {
      for (let i = n * B * K; i < (n + 1) * B * K; i++) U[i] *= scale;
    } else if (loss === "logcosh") {
      for (let b = 0; b < B; b++) {
        const r = (n * B + b) * K;
        for (let k = 0; k < K; k++) {
          const t = Math.tanh(F[o + k] - Y[o + k]);
          U[r + k] *= scale * (1 - t * t);
        }
      }
    } else {
      softmax(F, o, K, p);
      let ysum = 0;
      for (let k = 0; k < K; k++) ysum += Y[o + k];
      softmaxHessian(p, K, Lam);
      for (let b = 0; b < B; b++) {
        const r = (n * B + b) * K;
        for (let k = 0; k < K; k++) tmp[k] = U[r + k];
        for (let i = 0; i < K; i++) {
          let v = 0;
          for (let j = 0; j < K; j++) v += Lam[i * K + j] * tmp[j];
          U[r + i] = scale * ysum * v;
        }
      }
    }
  }
}

/**
 * A square-root factor of Λ_n: fills S (K×K, row-major) with S_n such that Λ_n = S_nᵀ S_n,
 * so that H_o = (1/N) Σ (S_n J_n)ᵀ (S_n J_n).
 * mse: I; logcosh: diag(sech); ce: √(Σy)·(diag(√p) − √p pᵀ).
 * @internal
 */
export function outputHessianFactor(
  loss: LossName,
  F: Float64Array,
  Y: Float64Array,
  n: number,
  K: number,
  S: Float64Array,
): void {
  S.fill(0);
  const o = n * K;
  if (loss === "mse") for (let k = 0; k < K; k++) S[k * K + k] = 1;
  else if (loss === "logcosh") {
    for (let k = 0; k < K; k++) {
      const t = Math.tanh(F[o + k] - Y[o + k]);
      S[k * K + k] = Math.sqrt(1 - t * t);
    }
  } else {
    const p = new Float64Array(K);
    softmax(F, o, K, p);
    let ysum = 0;
    for (let k = 0; k < K; k++) ysum += Y[o + k];
    const c = Math.sqrt(ysum);
    for (let i = 0; i < K; i++) {
      const sq = Math.sqrt(p[i]);
      for (let j = 0; j < K; j++) S[i * K + j] = c * sq * (i === j ? complement(p, i, K) : -p[j]);
    }
  }
}
