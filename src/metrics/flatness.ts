/**
 * Flatness and compression of representations (Chen, Recanatesi & Shea-Brown 2024,
 * shared/papers/chen-2024-flatness-compression.txt), per sample and averaged over a chosen sample set.
 *
 * From the input–output Jacobian J_x = ∇_x f(x) (K × d), singular values σ_j, λ_j = σ_j²:
 *   log volumetric ratio (Eq. 10)   ½ log det(J_x J_xᵀ) = Σ_j log σ_j
 *                                    (over the top `volumeTop` σ when set; the authors' code uses 3)
 *   G (Eq. 6, k = 2)                ‖J_x‖²_F = Σ_j λ_j
 *   MLS (Eq. 13)                    ‖J_x‖₂ = σ_1
 *   local dimensionality (Eq. 14)   D_PR = (Σ λ)² / Σ λ²   (the participation ratio of C_f^lim ∝ J_x J_xᵀ)
 * From the parameter gradients of the outputs:
 *   sharpness, interpolation form (Eq. 3)   S = (1/n) Σ_i ‖∇_θ f(x_i)‖²_F
 *   (equal to Tr H of the mean ½‖f − y‖² loss at a zero-loss point; in general Tr H = S + Tr H_f)
 * The bound chain of Eq. 28 (W = first-layer weights; ∇_W f excludes the first bias):
 *   A = (1/n) Σ ‖∇_x f(x_i)‖₂ ≤ B = ‖W‖₂ (1/n) Σ ‖∇_W f(x_i)‖_F / ‖x_i‖
 *     ≤ C = ‖W‖₂ √((1/n) Σ 1/‖x_i‖²) √((1/n) Σ ‖∇_W f(x_i)‖²_F) ≤ D = ‖W‖₂ √((1/n) Σ 1/‖x_i‖²) √S.
 * Averages over samples are plain means of the per-sample values (the log volume is the mean of the
 * per-sample logs).
 *
 * Any hidden layer l instead of the output (`layer`, the paper's Sec. 3: "our results apply to representations of
 * any middle layer by defining f to be the transformation from input to the middle layer"): f = h_l = σ_l(z_l), the
 * layer's activations, and θ the parameters of layers 1..l; every metric and bound above is then of that f.
 *
 * Dense networks go through the exact float64 engine (curvature/jacobian.ts, `outputGradients`);
 * other models (e.g. a tfjs conv net) can hand their own Jacobians to `flatnessFromJacobians`.
 */
import { Matrix, svdvals } from "../linalg";
import { NetSpec, weight, normalizeSpec, layout, paramCount } from "../nets/spec";
import type { Activation } from "../nets/activations";
import { outputGradients } from "../curvature/jacobian";
import { checkOptions, OptionRule } from "../util/options";

/**
 * Per-sample Jacobian data the flatness metrics are computed from (made by the float64 engine inside `flatnessMetrics`,
 * or by `tfJacobianData` for a tfjs model).
 */
export interface JacobianData {
  /** samples */
  n: number;
  /** outputs */
  K: number;
  /** input dimension */
  d: number;
  /** ∂f/∂x: rows i·K … i·K + K − 1 are sample i's K × d Jacobian (row-major), n·K·d numbers */
  inputJacobian: ArrayLike<number>;
  /**
   * ‖∇_θ f(x_i)‖²_F for the first m ≤ n samples (m = n for the exact dense path; a tfjs model may
   * measure sharpness on fewer samples, as the authors' code did with 20)
   */
  paramSqNorm: ArrayLike<number>;
}

/**
 * The four sides of Eq. 28's bound chain A ≤ B ≤ C ≤ D (see the module comment for their formulas) and the two
 * quantities they use.
 */
export interface BoundChain {
  /** (1/n) Σ ‖∇_x f(x_i)‖₂, the mean MLS */
  A: number;
  /** ‖W‖₂ (1/n) Σ ‖∇_W f(x_i)‖_F / ‖x_i‖ */
  B: number;
  /** ‖W‖₂ √((1/n) Σ 1/‖x_i‖²) √((1/n) Σ ‖∇_W f(x_i)‖²_F) */
  C: number;
  /** ‖W‖₂ √((1/n) Σ 1/‖x_i‖²) √S */
  D: number;
  /** ‖W‖₂ of the first layer */
  firstLayerNorm: number;
  /** √(Σ_l ‖W_l‖₂²) over every layer's weights: the authors' later code scales B, C and D by this instead of ‖W₁‖₂ */
  allLayersNorm: number;
  /** B, C and D with the authors' later normalisation (each × allLayersNorm / firstLayerNorm) */
  authors: { B: number; C: number; D: number };
  /** partial sharpness (1/n) Σ ‖∇_W f(x_i)‖²_F with respect to the first-layer weights only */
  partialSharpness: number;
}

/** Chen et al.'s flatness and compression metrics, averaged over the samples, with the per-sample values. */
export interface FlatnessMetrics {
  /** samples */
  n: number;
  /** S of Eq. 3 (the figures plot √S), over the samples with parameter-gradient norms */
  sharpness: number;
  /** √S, the quantity the paper's figures plot */
  sqrtSharpness: number;
  /** mean log volumetric ratio (Eq. 10), Σ_j log σ_j(∇_x f) */
  logVolume: number;
  /** mean G (Eq. 6, k = 2), ‖∇_x f‖²_F */
  G: number;
  /** mean maximum local sensitivity (Eq. 13), ‖∇_x f‖₂ */
  mls: number;
  /** mean local participation-ratio dimensionality (Eq. 14) */
  localDim: number;
  /** the per-sample values behind each mean (sharpness only for the samples with parameter-gradient norms) */
  perSample: { sharpness: number[]; logVolume: number[]; G: number[]; mls: number[]; localDim: number[] };
  /** Eq. 28, for dense networks (needs the first layer's weights and the inputs) */
  bounds?: BoundChain;
}

/** Options of the flatness metrics. */
export interface FlatnessOptions {
  /** log volume over the top k singular values only (default: all min(K, d); the authors' code: 3) */
  volumeTop?: number;
}

/** Options of `flatnessMetrics`: those of the metrics and the layer whose representation is measured. */
export interface DenseFlatnessOptions extends FlatnessOptions {
  /** hidden layer l = 1 … L − 1 whose activations h_l are f (default: the output, layer L) */
  layer?: number;
}

const FLATNESS_RULES: Record<string, OptionRule> = {
  volumeTop: (v) => (Number.isInteger(v) && (v as number) >= 1 ? undefined : "a positive integer"),
};
const DENSE_RULES: Record<string, OptionRule> = {
  ...FLATNESS_RULES,
  layer: (v) =>
    Number.isInteger(v) && (v as number) >= 1
      ? undefined
      : "an integer layer index ≥ 1 (1 … L − 1 for a hidden layer, L for the output)",
};

/**
 * The network whose output is hidden layer l's activations h_l: layers 1..l of `spec` followed by an identity layer
 * (W = I, b = 0), so its output gradients are h_l's; the identity layer's own weights and bias are removed from the
 * parameter-gradient norms by `flatnessMetrics`.
 * @internal
 */
export function throughLayer(spec: NetSpec, params: Float64Array, l: number): { spec: NetSpec; params: Float64Array } {
  const n = normalizeSpec(spec);
  const L = n.sizes.length - 1;
  if (!(Number.isInteger(l) && l >= 1 && l <= L))
    throw new Error(
      `flatnessMetrics: option layer must be an integer in [1, ${L}] (1 … ${L - 1} hidden, ${L} the output); got ${l}`,
    );
  if (l === L) return { spec, params };
  const M = n.sizes[l];
  const cut: NetSpec = {
    sizes: [...n.sizes.slice(0, l + 1), M],
    activation: (n.activation as Activation[]).slice(0, l),
    bias: n.bias,
  };
  const slots = layout(spec);
  const end = slots[l].wOffset; // layer l + 1 starts here: layers 1..l come first
  const out = new Float64Array(paramCount(cut));
  out.set(params.subarray(0, end));
  for (let i = 0; i < M; i++) out[end + i * M + i] = 1;
  return { spec: cut, params: out };
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The flatness metrics from per-sample input Jacobians and parameter-gradient norms. */
export function flatnessFromJacobians(j: JacobianData, opts: FlatnessOptions = {}): FlatnessMetrics {
  checkOptions("flatnessFromJacobians", opts, FLATNESS_RULES);
  const { n, K, d } = j;
  if (!(n >= 1)) throw new Error("flatness: no samples");
  if (j.inputJacobian.length !== n * K * d)
    throw new Error(`flatness: inputJacobian must hold n·K·d = ${n}·${K}·${d} numbers, got ${j.inputJacobian.length}`);
  if (j.paramSqNorm.length < 1 || j.paramSqNorm.length > n)
    throw new Error(
      `flatness: paramSqNorm must hold one value for each of the first 1..${n} samples, got ${j.paramSqNorm.length}`,
    );
  const top = opts.volumeTop;
  if (top !== undefined && !(Number.isInteger(top) && top >= 1))
    throw new Error(`flatness: volumeTop must be a positive integer, got ${top}`);
  const per = {
    sharpness: [] as number[],
    logVolume: [] as number[],
    G: [] as number[],
    mls: [] as number[],
    localDim: [] as number[],
  };
  const data = Float64Array.from(j.inputJacobian as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    const sv = svdvals(new Matrix(K, d, data.subarray(i * K * d, (i + 1) * K * d)));
    let l1 = 0;
    let l2 = 0;
    let logv = 0;
    sv.forEach((s, t) => {
      l1 += s * s;
      l2 += s ** 4;
      if (top === undefined || t < top) logv += Math.log(s);
    });
    if (i < j.paramSqNorm.length) per.sharpness.push(j.paramSqNorm[i]);
    per.logVolume.push(logv);
    per.G.push(l1);
    per.mls.push(sv[0] ?? 0);
    per.localDim.push(l2 > 0 ? (l1 * l1) / l2 : 0);
  }
  const sharpness = meanOf(per.sharpness);
  return {
    n,
    sharpness,
    sqrtSharpness: Math.sqrt(sharpness),
    logVolume: meanOf(per.logVolume),
    G: meanOf(per.G),
    mls: meanOf(per.mls),
    localDim: meanOf(per.localDim),
    perSample: per,
  };
}

/** Every metric of the study and the bound chain of Eq. 28 for a dense network, exact in float64. */
export function flatnessMetrics(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  opts: DenseFlatnessOptions = {},
): FlatnessMetrics {
  checkOptions("flatnessMetrics", opts, DENSE_RULES);
  const { layer, ...metricOpts } = opts;
  const L = normalizeSpec(spec).sizes.length - 1;
  const l = layer ?? L;
  const net = throughLayer(spec, params, l);
  const og = outputGradients(net.spec, net.params, X);
  let paramSqNorm = og.paramSqNorm;
  if (l < L) {
    // drop the identity layer's gradients: ∇_{W} h_k = e_k ⊗ h_l (weightSqNorm[l]) and ∇_b h_k = e_k (M_l in all)
    const M = og.K;
    const bias = normalizeSpec(spec).bias;
    paramSqNorm = og.paramSqNorm.map((v, i) => v - og.weightSqNorm[l][i] - (bias ? M : 0));
  }
  const m = flatnessFromJacobians(
    { n: og.N, K: og.K, d: og.d, inputJacobian: og.inputJacobian.data, paramSqNorm },
    metricOpts,
  );
  const W1 = weight(spec, params, 1);
  const w = svdvals(W1)[0];
  const n = og.N;
  let b = 0;
  let invX2 = 0;
  let partial = 0;
  for (let i = 0; i < n; i++) {
    let x2 = 0;
    for (let t = i * og.d; t < (i + 1) * og.d; t++) x2 += X.data[t] * X.data[t];
    if (!(x2 > 0)) throw new Error(`flatness: input ${i} is zero; the bounds of Eq. 28 divide by ‖x_i‖`);
    b += Math.sqrt(og.weightSqNorm[0][i] / x2);
    invX2 += 1 / x2;
    partial += og.weightSqNorm[0][i];
  }
  const rms = Math.sqrt(invX2 / n);
  let all = 0;
  for (let l = 1; l < normalizeSpec(spec).sizes.length; l++) all += svdvals(weight(spec, params, l))[0] ** 2;
  const allNorm = Math.sqrt(all);
  const [B, C, D] = [(w * b) / n, w * rms * Math.sqrt(partial / n), w * rms * m.sqrtSharpness];
  m.bounds = {
    A: m.mls,
    B,
    C,
    D,
    firstLayerNorm: w,
    partialSharpness: partial / n,
    allLayersNorm: allNorm,
    authors: { B: (B / w) * allNorm, C: (C / w) * allNorm, D: (D / w) * allNorm },
  };
  return m;
}

type PerSample = { perSample: number[]; mean: number };

/** Sharpness in its interpolation form (Eq. 3): per sample ‖∇_θ f(x_i)‖²_F and the mean S. */
export function sharpness(spec: NetSpec, params: Float64Array, X: Matrix): PerSample {
  const m = flatnessMetrics(spec, params, X);
  return { perSample: m.perSample.sharpness, mean: m.sharpness };
}

/** Log volumetric ratio (Eq. 10): per sample Σ log σ_j(∇_x f), and the mean. */
export function logVolume(spec: NetSpec, params: Float64Array, X: Matrix, opts: FlatnessOptions = {}): PerSample {
  checkOptions("logVolume", opts, FLATNESS_RULES);
  const m = flatnessMetrics(spec, params, X, opts);
  return { perSample: m.perSample.logVolume, mean: m.logVolume };
}

/** G (Eq. 6 with k = 2): per sample ‖∇_x f(x_i)‖²_F, and the mean. */
export function inputGradientNorm(spec: NetSpec, params: Float64Array, X: Matrix): PerSample {
  const m = flatnessMetrics(spec, params, X);
  return { perSample: m.perSample.G, mean: m.G };
}

/** Maximum local sensitivity (Eq. 13): per sample ‖∇_x f(x_i)‖₂, and the mean. */
export function maxLocalSensitivity(spec: NetSpec, params: Float64Array, X: Matrix): PerSample {
  const m = flatnessMetrics(spec, params, X);
  return { perSample: m.perSample.mls, mean: m.mls };
}

/** Local participation-ratio dimensionality (Eq. 14): per sample (Σλ)²/Σλ², and the mean. */
export function localDimensionality(spec: NetSpec, params: Float64Array, X: Matrix): PerSample {
  const m = flatnessMetrics(spec, params, X);
  return { perSample: m.perSample.localDim, mean: m.localDim };
}

/** The bound chain A ≤ B ≤ C ≤ D of Eq. 28. */
export function boundChain(spec: NetSpec, params: Float64Array, X: Matrix): BoundChain {
  return flatnessMetrics(spec, params, X).bounds!;
}
