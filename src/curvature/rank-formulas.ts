/**
 * Hessian rank formulas for deep linear networks (Singh, Bachmann & Hofmann 2021).
 * sizes = [d, M_1, …, M_{L−1}, K]; r = rk(Σ_xx); s = rk(Ω), Ω = E[δxᵀ]; M = Σ hidden widths.
 *   q  = min(r, M_1, …, M_{L−1}, K)
 *   rk(H_o) = q(r + K − q)                                         (Corollary 4)
 *   rk(H_f) ≤ 2q̂M + 2q̂s − Lq̂²,  q̂ = min(q, s)                     (Corollary 6; equality at init)
 *   rk(H)   = 2qM − Lq² + q(r + K)                                 (Fact 7)
 * With bias and zero-mean inputs (A3):
 *   rk(H_o) ≤ q(r + K − q) + K                                     (Theorem 12)
 *   rk(H)   = 2q'M + q'(r + K) − Lq'² + Lq',  q' = min(r + 1, M_1, …, M_{L−1}, K)   (Fact 13)
 * For cross-entropy K is replaced by K − 1 (the softmax Hessian has rank K − 1), as the
 * authors' code does.
 */
import { showValue, checkOptions, int, bool, oneOf, anything } from "../util/options";

/** The input of `linearRankFormulas`: the architecture and the data's ranks. */
export interface RankFormulaInput {
  sizes: number[];
  /** rank of the (uncentred) input covariance; default min(d, N) when N is given, else d */
  r?: number;
  N?: number;
  /** rank of Ω; default min(r, K) (the generic value at initialisation) */
  s?: number;
  bias?: boolean;
  loss?: "mse" | "ce" | "logcosh";
}

/** The predicted ranks of H_o, H_f and H and the quantities they are built from (returned by `linearRankFormulas`). */
export interface RankFormulas {
  /** number of parameters */
  p: number;
  /** number of layers */
  L: number;
  /** sum of the hidden widths */
  M: number;
  /** rank of Σ_xx used */
  r: number;
  /** output width used (K − 1 for "ce") */
  K: number;
  /** rank of Ω used */
  s: number;
  /** q = min(r, M_1, …, M_{L−1}, K) */
  q: number;
  /** q̂ = min(q, s) */
  qHat: number;
  /** rank of H_o (equality without bias; an upper bound with bias) */
  Ho: number;
  /** true when `Ho` is an upper bound (with bias) rather than the exact rank */
  HoIsBound: boolean;
  /** rank of H_f (Corollary 6 read as an equality); undefined with bias (the paper gives none) */
  Hf?: number;
  /** rank of H (Fact 7, or Fact 13 with bias) */
  H: number;
  /** p − rk(H) */
  deficiency: number;
}

/**
 * Singh et al.'s predicted ranks of H_o, H_f and H for a deep linear network (the formulas above), with defaults
 * r = min(d, N) (d without N), s = min(r, K), no bias and "mse". Throws when `sizes` has fewer than two entries.
 */
export function linearRankFormulas(input: RankFormulaInput): RankFormulas {
  checkOptions("linearRankFormulas", input, {
    sizes: anything,
    r: int(0),
    N: int(1),
    s: int(0),
    bias: bool,
    loss: oneOf(["mse", "ce", "logcosh"]),
  });
  const { sizes, bias = false, loss = "mse" } = input ?? ({} as RankFormulaInput);
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((v) => !Number.isSafeInteger(v) || v < 1))
    throw new Error(`linearRankFormulas: sizes must be [d, …, K], at least two integers ≥ 1; got ${showValue(sizes)}`);
  if (loss === "ce" && sizes[sizes.length - 1] < 2)
    throw new Error(`linearRankFormulas: the ce loss needs K ≥ 2 outputs; got K = ${sizes[sizes.length - 1]}`);
  if (input.r !== undefined && input.r > sizes[0])
    throw new Error(`linearRankFormulas: r = rk(Σ_xx) cannot exceed the input width d = ${sizes[0]}; got ${input.r}`);
  const L = sizes.length - 1;
  const d = sizes[0];
  const K = loss === "ce" ? sizes[L] - 1 : sizes[L];
  const hidden = sizes.slice(1, L);
  const M = hidden.reduce((a, b) => a + b, 0);
  const r = input.r ?? (input.N !== undefined ? Math.min(d, input.N) : d);
  const s = input.s ?? Math.min(r, K);
  let p = 0;
  for (let l = 1; l <= L; l++) p += sizes[l] * sizes[l - 1] + (bias ? sizes[l] : 0);
  const q = Math.min(r, ...hidden, K);
  const qHat = Math.min(q, s);
  if (!bias) {
    const H = 2 * q * M - L * q * q + q * (r + K);
    return {
      p,
      L,
      M,
      r,
      K,
      s,
      q,
      qHat,
      Ho: q * (r + K - q),
      HoIsBound: false,
      Hf: 2 * qHat * M + 2 * qHat * s - L * qHat * qHat,
      H,
      deficiency: p - H,
    };
  }
  const qp = Math.min(r + 1, ...hidden, K);
  const H = 2 * qp * M + qp * (r + K) - L * qp * qp + L * qp;
  return { p, L, M, r, K, s, q, qHat, Ho: q * (r + K - q) + K, HoIsBound: true, H, deficiency: p - H };
}
