/**
 * Closed-form Hessian of deep linear networks under the MSE loss (Singh, Bachmann & Hofmann 2021,
 * Sections 3–4), built from Σ_xx = E[x xᵀ] and Ω = E[δ xᵀ] (δ = f(x) − y) only — no per-sample work.
 *
 * With P_l = W_l ⋯ W_1 (P_0 = I_d) and S_l = W_L ⋯ W_{l+1} (S_L = I_K):
 *   H_o = A_o (I_K ⊗ Σ_xx) A_oᵀ,  A_oᵀ = [S_1 ⊗ P_0ᵀ, …, S_l ⊗ P_{l−1}ᵀ, …, S_L ⊗ P_{L−1}ᵀ]   (Prop. 2)
 *   whose (l, k) block is, by the mixed-product rule, (S_lᵀ S_k) ⊗ (P_{l−1} Σ_xx P_{k−1}ᵀ): an O(p²) fill.
 *   H_f is the Hessian of ⟨Ω, W_L ⋯ W_1⟩ at fixed Ω: zero diagonal blocks, and for layers k < l
 *   ∂²/∂(W_k)_{ab} ∂(W_l)_{ce} = Q[e, a] · (S_lᵀ Ω P_{k−1}ᵀ)[c, b],  Q = W_{l−1} ⋯ W_{k+1} (I when l = k+1).
 */
import { Matrix, LinalgError, gemm, syrk } from "../linalg";
import { normalizeSpec } from "../nets/spec";
import { Problem, prepare, Prepared } from "./problem";
import {
  checkDenseSize,
  HessianResult,
  HessianPart,
  partsRule,
  maxBytesRule,
  checkFiniteLoss,
  checkFiniteMatrices,
  nonFiniteError,
} from "./hessian";
import { checkOptions } from "../util/options";

/** D[(r0 + a·C + c), (c0 + b·E + e)] += left[a, b] · right[c, e]  (the Kronecker block left ⊗ right). */
function addKronBlock(D: Float64Array, p: number, r0: number, c0: number, left: Matrix, right: Matrix): void {
  const A = left.rows;
  const B = left.cols;
  const C = right.rows;
  const E = right.cols;
  const l = left.data;
  const r = right.data;
  for (let a = 0; a < A; a++)
    for (let c = 0; c < C; c++) {
      const row = (r0 + a * C + c) * p + c0;
      for (let b = 0; b < B; b++) {
        const lv = l[a * B + b];
        const o = row + b * E;
        const ro = c * E;
        for (let e = 0; e < E; e++) D[o + e] += lv * r[ro + e];
      }
    }
}

/**
 * The H_f block between layers k < l and its mirror: [(k, a, b), (l, c, e)] = Q[e, a] · Sm[c, b],
 * a < Ak, b < Bk (layer k's weight shape), c < Cl, e < El (layer l's).
 */
function addFunctionalBlock(
  D: Float64Array,
  p: number,
  k0: number,
  l0: number,
  Q: Matrix,
  Sm: Matrix,
  Ak: number,
  Bk: number,
  Cl: number,
  El: number,
): void {
  const q = Q.data;
  const qc = Q.cols;
  const sm = Sm.data;
  const sc = Sm.cols;
  for (let a = 0; a < Ak; a++)
    for (let b = 0; b < Bk; b++) {
      const row = (k0 + a * Bk + b) * p + l0;
      for (let c = 0; c < Cl; c++) {
        const sv = sm[c * sc + b];
        const o = row + c * El;
        for (let e = 0; e < El; e++) D[o + e] += q[e * qc + a] * sv;
      }
    }
  for (let c = 0; c < Cl; c++)
    for (let e = 0; e < El; e++) {
      const row = (l0 + c * El + e) * p + k0;
      for (let a = 0; a < Ak; a++) {
        const qv = q[e * qc + a];
        const o = row + a * Bk;
        const so = c * sc;
        for (let b = 0; b < Bk; b++) D[o + b] += qv * sm[so + b];
      }
    }
}

/** The data statistics the linear closed form needs (returned by `linearStatistics`). */
export interface LinearStatistics {
  /** E[x xᵀ] (d × d) */
  sigmaXX: Matrix;
  /** E[δ xᵀ] (K × d), δ = f(x) − y */
  omega: Matrix;
}

/**
 * Σ_xx = E[x xᵀ] (d×d) and Ω = E[δ xᵀ] (K×d, δ = f(x) − y) over the N samples (means, uncentred).
 * Throws a `SpecError` for an invalid problem.
 */
export function linearStatistics(problem: Problem): LinearStatistics {
  return statisticsOf(prepare("linearStatistics", problem), problem.X);
}

function statisticsOf(prep: Prepared, X: Matrix): LinearStatistics {
  const N = prep.N;
  const delta = new Matrix(
    N,
    prep.K,
    prep.F.map((v, i) => v - prep.Y[i]),
  );
  return { sigmaXX: syrk(X, { trans: true, alpha: 1 / N }), omega: gemm(delta, X, { transA: true, alpha: 1 / N }) };
}

/**
 * Dense H, H_o and H_f (as asked in `parts`, default all three) of a deep linear network without bias under the
 * MSE loss, from Singh et al.'s closed form (Prop. 2 and the H_f blocks) instead of back-propagation. Throws for
 * bias, a non-linear activation or a loss other than "mse", a `DenseTooLargeError` over `maxBytes` (default 8 GiB),
 * and a `NonFiniteCurvatureError` on overflow.
 */
export function linearHessianClosedForm<P extends HessianPart = HessianPart>(
  problem: Problem,
  opts: { parts?: readonly P[]; maxBytes?: number } = {},
): HessianResult<P> {
  checkOptions("linearHessianClosedForm", opts, { parts: partsRule, maxBytes: maxBytesRule });
  for (const part of opts.parts ?? [])
    if (!["H", "Ho", "Hf"].includes(part))
      throw new Error(`linearHessianClosedForm: unknown part "${part}"; allowed: H, Ho, Hf`);
  const spec = normalizeSpec(problem.spec);
  if (spec.bias) throw new Error("linearHessianClosedForm: needs a network without bias (use hessian() for bias)");
  if (spec.activation.some((a) => a !== "linear"))
    throw new Error(`linearHessianClosedForm: every hidden activation must be "linear", got [${spec.activation}]`);
  if ((problem.loss ?? "mse") !== "mse")
    throw new Error(`linearHessianClosedForm: the closed form is for the MSE loss, got "${problem.loss}"`);
  const parts: readonly HessianPart[] = opts.parts ?? ["H", "Ho", "Hf"];
  const prep = prepare("linearHessianClosedForm", problem);
  const { p } = prep;
  checkDenseSize(p, parts.length, opts.maxBytes);
  checkFiniteLoss("linearHessianClosedForm", problem, prep.lossValue);
  let result: Loose;
  try {
    result = closedForm(prep, problem, spec.sizes, parts);
  } catch (err) {
    // the checked products refuse an overflowed intermediate (inputs and parameters are finite)
    if (err instanceof LinalgError && /non-finite/.test(err.message))
      throw nonFiniteError(
        "linearHessianClosedForm",
        problem,
        `an intermediate product is not finite (${err.message})`,
      );
    throw err;
  }
  checkFiniteMatrices("linearHessianClosedForm", problem, result.loss, { H: result.H, Ho: result.Ho, Hf: result.Hf });
  return result as HessianResult<P>;
}

type Loose = { p: number; loss: number; H?: Matrix; Ho?: Matrix; Hf?: Matrix };

function closedForm(prep: Prepared, problem: Problem, sizes: number[], parts: readonly string[]): Loose {
  const { p } = prep;
  const { sigmaXX, omega } = statisticsOf(prep, problem.X);
  const L = sizes.length - 1;
  const d = sizes[0];
  const K = sizes[L];
  const slots = prep.cache.slots;
  const W = (l: number) =>
    new Matrix(
      slots[l - 1].rows,
      slots[l - 1].cols,
      prep.params.subarray(slots[l - 1].wOffset, slots[l - 1].wOffset + slots[l - 1].rows * slots[l - 1].cols),
    );
  const P: Matrix[] = [Matrix.identity(d)];
  for (let l = 1; l <= L; l++) P.push(gemm(W(l), P[l - 1]));
  const S: Matrix[] = new Array(L + 1);
  S[L] = Matrix.identity(K);
  for (let l = L - 1; l >= 0; l--) S[l] = gemm(S[l + 1], W(l + 1));
  const wantHo = parts.includes("Ho");
  const wantHf = parts.includes("Hf");
  const wantH = parts.includes("H");
  const Ho = wantHo ? new Matrix(p, p) : undefined;
  const Hf = wantHf ? new Matrix(p, p) : undefined;
  const H = wantH ? new Matrix(p, p) : undefined;
  const hoTargets = [Ho, H].filter(Boolean) as Matrix[];
  const hfTargets = [Hf, H].filter(Boolean) as Matrix[];
  // H_o: block (l, k) = (S_lᵀ S_k) ⊗ (P_{l−1} Σ_xx P_{k−1}ᵀ), rows (a, c), columns (b, e)
  if (hoTargets.length) {
    const PS = P.map((Pl, l) => (l < L ? gemm(Pl, sigmaXX) : Pl));
    for (let l = 1; l <= L; l++)
      for (let k = 1; k <= L; k++) {
        const left = gemm(S[l], S[k], { transA: true }); // M_l × M_k
        const right = gemm(PS[l - 1], P[k - 1], { transB: true }); // M_{l−1} × M_{k−1}
        for (const T of hoTargets) addKronBlock(T.data, p, slots[l - 1].wOffset, slots[k - 1].wOffset, left, right);
      }
  }
  // H_f: zero diagonal blocks; for k < l, [(k,a,b),(l,c,e)] = Q[e, a] · Sm[c, b] and its mirror
  if (hfTargets.length) {
    for (let k = 1; k <= L; k++)
      for (let l = k + 1; l <= L; l++) {
        let Q = Matrix.identity(sizes[k]);
        for (let t = k + 1; t <= l - 1; t++) Q = gemm(W(t), Q); // W_{l−1} ⋯ W_{k+1}: M_{l−1} × M_k
        const Sm = gemm(gemm(S[l], omega, { transA: true }), P[k - 1], { transB: true }); // M_l × M_{k−1}
        for (const T of hfTargets)
          addFunctionalBlock(
            T.data,
            p,
            slots[k - 1].wOffset,
            slots[l - 1].wOffset,
            Q,
            Sm,
            slots[k - 1].rows,
            slots[k - 1].cols,
            slots[l - 1].rows,
            slots[l - 1].cols,
          );
      }
  }
  return { p, loss: prep.lossValue, H, Ho, Hf };
}
