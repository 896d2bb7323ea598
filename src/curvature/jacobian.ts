/**
 * Jacobians of the network, per sample, in float64.
 * - Parameter Jacobian J (N·K × p): row n·K + k is ∇_θ f_k(x_n). Its transpose is the
 *   behavioral-gradient matrix G = Jᵀ of Hebbar (2022).
 * - Gauss–Newton matrix from J: H_o = (1/N) Σ_n (S_n J_n)ᵀ (S_n J_n) with Λ_n = S_nᵀ S_n
 *   (a second algorithm for H_o, independent of the R-operator).
 * - Per-sample gradient norms ‖∇_θ f(x_n)‖²_F (and per layer) and the input–output Jacobians ∂f/∂x,
 *   from the same reverse pass without forming J (for networks where J would not fit in memory).
 * - Input Jacobians of every layer's pre-activations, ∂z_l/∂x (M_l × d) per sample, streamed in
 *   chunks of samples (they can be large), and their singular values.
 */
import { Matrix, gemmTrusted as gemm, syrk, svdvals, eigvalsh } from "../linalg";
import { NetSpec, normalizeSpec, paramCount } from "../nets/spec";
import { forward, ForwardCache, checkParams, checkInputs } from "../nets/forward";
import { outputHessianFactor } from "../nets/losses";
import { DENSE_BYTES_LIMIT as DEFAULT_MAX_DENSE_BYTES, Problem, prepare, Prepared } from "./problem";
import {
  adjointThroughWeights,
  backTangentThroughActivation,
  layerWeight,
  tangentThroughActivation,
  tangentThroughWeights,
} from "./layer-derivatives";
import { checkOptions, int, num } from "../util/options";

/**
 * Reverse mode for every output at once: visits layers l = L, …, 1 with the adjoints
 * G_l = ∂f/∂z_l for each (sample n, output k) as row n·K + k (an N·K × M_l matrix), so that
 *   ∇_{W_l} f_k(x_n) = G_l[n·K + k] ⊗ h_{l−1}(x_n),   ∇_{b_l} f_k(x_n) = G_l[n·K + k].
 * Returns ∂f/∂x = G_1 W_1 (row n·K + k = ∇_x f_k(x_n)) when `inputJacobian` is set.
 * @internal
 */
export function backpropOutputs(
  cache: ForwardCache,
  params: Float64Array,
  visit: (layer: number, G: Float64Array) => void,
  opts: { inputJacobian?: boolean } = {},
): Matrix | undefined {
  const slots = cache.slots;
  const L = slots.length;
  const N = cache.H[0].rows;
  const K = slots[L - 1].rows;
  // G_L: row (n, k) = e_k
  let G: Float64Array = new Float64Array(N * K * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) G[(n * K + k) * K + k] = 1;
  for (let l = L; l >= 1; l--) {
    visit(l, G);
    if (l === 1) {
      if (!opts.inputJacobian) return undefined;
      return new Matrix(N * K, slots[0].cols, adjointThroughWeights(layerWeight(cache, params, 1), G, N * K));
    }
    const A = adjointThroughWeights(layerWeight(cache, params, l), G, N * K);
    G = backTangentThroughActivation(A, cache.D1[l - 1], N, K, slots[l - 1].cols);
  }
  return undefined;
}

/**
 * The parameter Jacobian J (N·K × p) of a prepared problem; row n·K + k is ∇_θ f_k(x_n).
 * @internal
 */
export function jacobianOf(prep: Prepared): Matrix {
  const { N, K, p, cache } = prep;
  const J = new Matrix(N * K, p);
  backpropOutputs(cache, prep.params, (l, G) => {
    const s = cache.slots[l - 1];
    const M = s.rows;
    const C = s.cols;
    const Hprev = cache.H[l - 1].data;
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const row = (n * K + k) * p;
        const gOff = (n * K + k) * M;
        for (let j = 0; j < M; j++) {
          const gj = G[gOff + j];
          if (gj === 0) continue;
          const dst = row + s.wOffset + j * C;
          const src = n * C;
          for (let i = 0; i < C; i++) J.data[dst + i] = gj * Hprev[src + i];
        }
        if (s.bOffset >= 0) for (let j = 0; j < M; j++) J.data[row + s.bOffset + j] = G[gOff + j];
      }
    }
  });
  return J;
}

/** Per-sample gradient norms of the network outputs and the input–output Jacobians (returned by `outputGradients`). */
export interface OutputGradients {
  /** samples */
  N: number;
  /** outputs */
  K: number;
  /** input width */
  d: number;
  /** ‖∇_θ f(x_n)‖²_F = Σ_k ‖∇_θ f_k(x_n)‖², per sample (all parameters) */
  paramSqNorm: Float64Array;
  /** weightSqNorm[l − 1][n] = ‖∇_{W_l} f(x_n)‖²_F (weights of layer l only, no bias) */
  weightSqNorm: Float64Array[];
  /** ∂f/∂x: row n·K + k is ∇_x f_k(x_n), so sample n's K × d Jacobian is rows nK … nK + K − 1 */
  inputJacobian: Matrix;
}

/**
 * Per-sample gradient norms of the network outputs and the input–output Jacobians, from one
 * reverse pass over all outputs, without forming the N·K × p parameter Jacobian: since
 * ∇_{W_l} f_k = G_l[n, k] ⊗ h_{l−1}, ‖∇_{W_l} f(x_n)‖²_F = Σ_k ‖G_l[n, k]‖² · ‖h_{l−1}(x_n)‖²
 * (and the bias adds Σ_k ‖G_l[n, k]‖²). Samples are processed in chunks of `chunk` rows (default ≈ 4M doubles /
 * (K · widest layer)) to bound memory. Throws a `SpecError` when X or `params` do not fit the spec.
 */
export function outputGradients(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  opts: { chunk?: number } = {},
): OutputGradients {
  checkOptions("outputGradients", opts, { chunk: int(1) });
  const { sizes, bias } = normalizeSpec(spec);
  checkInputs("outputGradients", spec, X);
  checkParams("outputGradients", spec, params);
  const N = X.rows;
  const d = sizes[0];
  const K = sizes[sizes.length - 1];
  const L = sizes.length - 1;
  const paramSqNorm = new Float64Array(N);
  const weightSqNorm = Array.from({ length: L }, () => new Float64Array(N));
  const inputJacobian = new Matrix(N * K, d);
  const widest = Math.max(...sizes);
  const chunk = opts.chunk ?? Math.max(1, Math.floor((1 << 22) / (K * widest)));
  for (let start = 0; start < N; start += chunk) {
    const count = Math.min(chunk, N - start);
    const cache = forward(spec, params, new Matrix(count, d, X.data.subarray(start * d, (start + count) * d)));
    const Jx = backpropOutputs(
      cache,
      params,
      (l, G) => {
        const M = sizes[l];
        const C = sizes[l - 1];
        const H = cache.H[l - 1].data;
        for (let n = 0; n < count; n++) {
          let g2 = 0;
          for (let i = n * K * M; i < (n + 1) * K * M; i++) g2 += G[i] * G[i];
          let h2 = 0;
          for (let i = n * C; i < (n + 1) * C; i++) h2 += H[i] * H[i];
          weightSqNorm[l - 1][start + n] = g2 * h2;
          paramSqNorm[start + n] += g2 * h2 + (bias ? g2 : 0);
        }
      },
      { inputJacobian: true },
    )!;
    inputJacobian.data.set(Jx.data, start * K * d);
  }
  return { N, K, d, paramSqNorm, weightSqNorm, inputJacobian };
}

/** Options of `parameterJacobian`, `behavioralGradients` and `gaussNewtonFromJacobian`. */
export interface JacobianOptions {
  /** refuse when the dense matrices would need more than this many bytes (default 8 GiB) */
  maxBytes?: number;
}

/** Refuses before allocating when the N·K × p Jacobian (and a p × p result) would exceed the limit. */
function checkJacobianSize(
  op: string,
  problem: Problem,
  copies: number,
  withGram: boolean,
  opts: JacobianOptions,
): void {
  checkOptions(op, opts, { maxBytes: (v) => (typeof v === "number" && v > 0 ? undefined : "a number of bytes > 0") });
  const p = paramCount(problem.spec);
  const K = normalizeSpec(problem.spec).sizes.slice(-1)[0];
  const N = problem.X instanceof Matrix ? problem.X.rows : 0;
  const bytes = 8 * (N * K * p * copies + (withGram ? p * p : 0));
  const max = opts.maxBytes ?? DEFAULT_MAX_DENSE_BYTES;
  if (bytes > max) {
    throw new Error(
      `${op}: N·K × p = ${N}·${K} × ${p} float64${withGram ? " (and the p × p result)" : ""} ` +
        `needs ${(bytes / 2 ** 30).toFixed(2)} GiB, over the limit of ` +
        `${(max / 2 ** 30).toFixed(2)} GiB (option maxBytes). ` +
        ("Use outputGradients for per-sample gradient norms, or the matrix-free operators " +
          "(curvatureOperator, spectralDensity)."),
    );
  }
}

/**
 * Per-sample parameter Jacobian J (N·K × p, float64), row n·K + k = ∇_θ f_k(x_n). Throws before allocating when it
 * would exceed `maxBytes` (default 8 GiB), and a `SpecError` for an invalid problem.
 */
export function parameterJacobian(problem: Problem, opts: JacobianOptions = {}): Matrix {
  checkJacobianSize("parameterJacobian", problem, 1, false, opts);
  return jacobianOf(prepare("parameterJacobian", problem));
}

/**
 * Behavioral-gradient matrix G = Jᵀ (p × N·K, float64), column n·K + k = ∇_θ f_k(x_n). Throws before allocating when
 * J and its transpose would exceed `maxBytes` (default 8 GiB).
 */
export function behavioralGradients(problem: Problem, opts: JacobianOptions = {}): Matrix {
  checkJacobianSize("behavioralGradients", problem, 2, false, opts); // J and its transpose
  return jacobianOf(prepare("behavioralGradients", problem)).transpose();
}

/**
 * H_o = (1/N) Σ_n J_nᵀ Λ_n J_n (p×p) computed from the explicit Jacobian and a factor of Λ_n: an algorithm independent
 * of `hessian`'s, for cross-checks. Throws before allocating when J, its scaled copy and H_o would exceed `maxBytes`
 * (default 8 GiB).
 */
export function gaussNewtonFromJacobian(problem: Problem, opts: JacobianOptions = {}): Matrix {
  checkJacobianSize("gaussNewtonFromJacobian", problem, 2, true, opts);
  const prep = prepare("gaussNewtonFromJacobian", problem);
  const J = jacobianOf(prep);
  const { N, K, p } = prep;
  let Jt = J;
  if (prep.loss !== "mse") {
    Jt = new Matrix(N * K, p);
    const S = new Float64Array(K * K);
    for (let n = 0; n < N; n++) {
      outputHessianFactor(prep.loss, prep.F, prep.Y, n, K, S);
      const Jn = new Matrix(K, p, J.data.subarray(n * K * p, (n + 1) * K * p));
      Jt.data.set(gemm(new Matrix(K, K, S), Jn).data, n * K * p);
    }
  }
  return syrk(Jt, { trans: true, alpha: 1 / N });
}

/**
 * The N·K × N·K Gram of the loss-weighted Jacobian, Γ = (1/N)·(S J)(S J)ᵀ with S = diag(S_1 … S_N), Λ_n = S_nᵀ S_n:
 * its eigenvalues are the non-zero eigenvalues of H_o = (1/N) Jᵀ Λ J (p × p), padded with zeros — so rank H_o and
 * H_o's non-zero spectrum come from an N·K × N·K matrix when p is too large for the dense p × p Hessian.
 * J is never formed: per layer, ∇_{W_l} f_k(x_n) = G_l[n, k] ⊗ h_{l−1}(x_n) gives
 *   (J Jᵀ)[(n, k), (m, j)] = Σ_l (G_l G_lᵀ)[(n, k), (m, j)] · (h_{l−1}(x_n)·h_{l−1}(x_m) + [bias])
 * (the empirical neural tangent kernel), at O((N·K)²·widest + N²·widest) work and (N·K)² memory.
 * Throws before allocating when the two (MSE) or three (other losses) N·K × N·K matrices it holds at once would exceed
 * `maxBytes` (default 8 GiB).
 */
export function gaussNewtonGram(problem: Problem, opts: JacobianOptions = {}): Matrix {
  checkOptions("gaussNewtonGram", opts, { maxBytes: num(1) });
  const N0 = problem.X.rows;
  const K0 = normalizeSpec(problem.spec).sizes.slice(-1)[0];
  // at the peak: the Gram and one layer's G_l G_lᵀ; for a loss other than MSE, the Gram and the scaled copy and its
  // transpose
  const copies = (problem.loss ?? "mse") === "mse" ? 2 : 3;
  const bytes = 8 * copies * (N0 * K0) ** 2;
  const max = opts.maxBytes ?? DEFAULT_MAX_DENSE_BYTES;
  if (bytes > max)
    throw new Error(
      `gaussNewtonGram: ${copies === 2 ? "two" : "three"} N·K × N·K = ${N0 * K0} × ${N0 * K0} ` +
        `float64 matrices need ${(bytes / 2 ** 30).toFixed(2)} GiB, over the limit of ` +
        `${(max / 2 ** 30).toFixed(2)} GiB (option maxBytes); use fewer samples or the ` +
        `matrix-free operators (curvatureOperator, spectralDensity)`,
    );
  const prep = prepare("gaussNewtonGram", problem);
  const { N, K, cache } = prep;
  const NK = N * K;
  const gram = new Float64Array(NK * NK);
  backpropOutputs(cache, prep.params, (l, G) => {
    const s = cache.slots[l - 1];
    const A = syrk(new Matrix(NK, s.rows, G)).data; // G_l G_lᵀ
    const B = syrk(cache.H[l - 1]).data; // H_(l−1) H_(l−1)ᵀ, N × N
    const b = s.bOffset >= 0 ? 1 : 0;
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) {
        const row = (n * K + k) * NK;
        for (let m = 0; m < N; m++) {
          const h = B[n * N + m] + b;
          const o = row + m * K;
          for (let j = 0; j < K; j++) gram[o + j] += A[o + j] * h;
        }
      }
  });
  let out = new Matrix(NK, NK, gram);
  if (prep.loss !== "mse") {
    // Γ = S (J Jᵀ) Sᵀ = S (S (J Jᵀ))ᵀ with S block-diagonal (J Jᵀ symmetric): scale the block rows, transpose, again
    const Ss = Array.from({ length: N }, (_, n) => {
      const S = new Float64Array(K * K);
      outputHessianFactor(prep.loss, prep.F, prep.Y, n, K, S);
      return new Matrix(K, K, S);
    });
    const scaleBlockRows = (A: Matrix) => {
      const R = new Matrix(NK, NK);
      for (let n = 0; n < N; n++)
        R.data.set(gemm(Ss[n], new Matrix(K, NK, A.data.subarray(n * K * NK, (n + 1) * K * NK))).data, n * K * NK);
      return R;
    };
    out = scaleBlockRows(scaleBlockRows(out).transpose());
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] /= N;
  // exact symmetry (rounding in the two-sided scaling)
  for (let i = 0; i < NK; i++)
    for (let j = i + 1; j < NK; j++) {
      const v = 0.5 * (out.data[i * NK + j] + out.data[j * NK + i]);
      out.data[i * NK + j] = v;
      out.data[j * NK + i] = v;
    }
  return out;
}

/** The non-zero spectrum of H_o and its rank from `gaussNewtonGram` (returned by `gaussNewtonSpectrum`). */
export interface GaussNewtonSpectrum {
  /** eigenvalues of the N·K × N·K Gram, ascending: H_o's non-zero eigenvalues and N·K − rank zeros (to rounding) */
  eigenvalues: Float64Array;
  /** parameters p: H_o is p × p */
  p: number;
  /**
   * max|λ| · max(p, N·K) · eps: the dense route's default tolerance when N·K ≤ p (the same rank as `spectrumOf(H_o)`
   * where both apply)
   */
  tolerance: number;
  /** rank H_o at that tolerance */
  rank: number;
}

/**
 * rank H_o and H_o's non-zero eigenvalues without the p × p matrix, from the N·K × N·K Gram (`gaussNewtonGram`).
 * The tolerance is the dense route's, max|λ| · p · eps (max(p, N·K) in place of p when N·K > p), so the two agree where
 * both can run; the Gram's own rounding
 * (≈ max|λ| · N·K · eps) stays below it whenever N·K ≤ p.
 */
export function gaussNewtonSpectrum(problem: Problem, opts: JacobianOptions = {}): GaussNewtonSpectrum {
  const gram = gaussNewtonGram(problem, opts);
  const eigenvalues = eigvalsh(gram);
  const p = paramCount(problem.spec);
  let maxAbs = 0;
  for (const v of eigenvalues) maxAbs = Math.max(maxAbs, Math.abs(v));
  const tolerance = maxAbs * Math.max(p, gram.rows) * Number.EPSILON;
  let rank = 0;
  for (const v of eigenvalues) if (Math.abs(v) > tolerance) rank++;
  return { eigenvalues, p, tolerance, rank };
}

/** One chunk of samples' input Jacobians, passed to the callback of `forEachInputJacobian`. */
export interface InputJacobianChunk {
  /** index of the first sample in this chunk */
  start: number;
  /** samples in this chunk */
  count: number;
  /** layout (n, i, j): entry ∂z_{l,j}/∂x_i of sample start+n at [(n·d + i)·M_l + j] */
  data: Float64Array;
  /** M_l, the width of the layer */
  rows: number;
  /** the input width */
  d: number;
}

/**
 * Streams the input Jacobians of layer l's pre-activations (l = 1..L; l = L is the output f) over
 * chunks of samples (default ≈ 4M doubles / (d · widest layer up to l) per chunk). For each sample the d × M_l block
 * is (∂z_l/∂x)ᵀ; `data` is reused per chunk, so copy what you keep. Throws when `layer` is outside 1..L or X / params
 * do not fit.
 */
export function forEachInputJacobian(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  layer: number,
  cb: (chunk: InputJacobianChunk) => void,
  opts: { chunk?: number } = {},
): void {
  const { sizes } = normalizeSpec(spec);
  checkInputs("inputJacobians", spec, X);
  checkParams("inputJacobians", spec, params);
  const L = sizes.length - 1;
  if (!Number.isInteger(layer) || layer < 1 || layer > L)
    throw new Error(`inputJacobians: layer must be an integer in 1..${L} (L = output), got ${layer}`);
  const d = sizes[0];
  const widest = Math.max(...sizes.slice(1, layer + 1));
  const chunk = opts.chunk ?? Math.max(1, Math.floor((1 << 22) / (d * widest)));
  for (let start = 0; start < X.rows; start += chunk) {
    const count = Math.min(chunk, X.rows - start);
    const Xc = new Matrix(count, d, X.data.subarray(start * d, (start + count) * d));
    const cache = forward(spec, params, Xc);
    const W1 = layerWeight(cache, params, 1);
    const W1t = W1.transpose().data; // d × M_1
    let T: Float64Array = new Float64Array(count * d * W1.rows);
    for (let n = 0; n < count; n++) T.set(W1t, n * d * W1.rows);
    // forward mode with the d input directions as tangents, layout (sample, direction, unit)
    for (let l = 2; l <= layer; l++) {
      T = tangentThroughActivation(T, cache.D1[l - 1], count, d, cache.slots[l - 1].cols);
      T = tangentThroughWeights(layerWeight(cache, params, l), T, count * d);
    }
    cb({ start, count, data: T, rows: sizes[layer], d });
  }
}

/** Singular values (descending) of ∂z_l/∂x for every sample: an array of N Float64Arrays. */
export function inputJacobianSingularValues(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  layer: number,
): Float64Array[] {
  const out: Float64Array[] = [];
  forEachInputJacobian(spec, params, X, layer, ({ count, data, rows, d }) => {
    for (let n = 0; n < count; n++)
      out.push(svdvals(new Matrix(d, rows, data.subarray(n * d * rows, (n + 1) * d * rows))));
  });
  return out;
}

/** The input Jacobian ∂z_l/∂x (M_l × d) of one sample. */
export function inputJacobian(spec: NetSpec, params: Float64Array, x: Float64Array, layer: number): Matrix {
  let J: Matrix | undefined;
  forEachInputJacobian(spec, params, new Matrix(1, x.length, x), layer, ({ data, rows, d }) => {
    J = new Matrix(d, rows, data).transpose();
  });
  return J!;
}
