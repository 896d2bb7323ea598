/**
 * Dense feed-forward networks: the spec, the flat float64 parameter vector and its layout,
 * and seeded initialisation.
 *
 * f(x) = W_L σ_{L-1}(… σ_1(W_1 x + b_1) …) + b_L, sizes [d, M_1, …, M_{L-1}, K]; the output layer is linear.
 * Parameter order: W_1 (row-major, M_1×d), b_1, W_2, b_2, …, W_L, b_L (biases only when `bias`).
 */
import { Rng } from "../util/random";
import { Matrix, svd } from "../linalg";
import { ACTIVATIONS, Activation } from "./activations";
import { checkOptions, num, oneOf, seed32 } from "../util/options";

/** The names of the initialisations `initParams` accepts. */
export const INITS = ["glorot-normal", "glorot-uniform", "he", "orthogonal", "uniform"] as const;
/** An initialisation scheme of `initParams` (see there for the distributions). */
export type Init = (typeof INITS)[number];

/**
 * A dense feed-forward network: layer widths [d, M_1, …, M_{L−1}, K] (at least [d, K]), the hidden activations
 * and whether every layer has a bias; the output layer is always linear. Plain data: write it as an object literal.
 */
export interface NetSpec {
  /** [d, M_1, …, M_{L-1}, K] */
  sizes: number[];
  /** one activation for every hidden layer, or one per hidden layer (length L−1) */
  activation: Activation | Activation[];
  /** whether every layer has a bias vector b_l */
  bias: boolean;
}

/** Where layer l's weights and bias sit in the flat parameter vector (returned by `layout`). */
export interface LayerSlot {
  /** layer index 1..L */
  layer: number;
  /** M_l, the rows of W_l (the layer's output width) */
  rows: number;
  /** M_{l−1}, the columns of W_l (its input width) */
  cols: number;
  /** index of W_l[0, 0] in the parameter vector; W_l is stored row-major */
  wOffset: number;
  /** index of b_l[0]; −1 without bias */
  bOffset: number;
}

/**
 * Thrown for an invalid network spec, or parameters / inputs that do not fit it; the message names the call and the
 * mismatch.
 */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}

/** Validates a spec and returns it normalised (activation expanded to one per hidden layer). */
export function normalizeSpec(spec: NetSpec): Required<NetSpec> & { activation: Activation[] } {
  if (!spec || !Array.isArray(spec.sizes)) throw new SpecError("network spec: `sizes` must be an array [d, M1, …, K]");
  if (spec.sizes.length < 2) throw new SpecError(`network spec: sizes needs at least [d, K], got [${spec.sizes}]`);
  spec.sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1)
      throw new SpecError(`network spec: sizes[${i}] must be a positive integer, got ${s}`);
  });
  const hidden = spec.sizes.length - 2;
  // one activation for all hidden layers is checked even when there are none (a typo passed with sizes [d, K])
  if (!Array.isArray(spec.activation) && spec.activation !== undefined && !ACTIVATIONS.includes(spec.activation))
    throw new SpecError(`network spec: unknown activation "${spec.activation}"; allowed: ${ACTIVATIONS.join(", ")}`);
  const acts = Array.isArray(spec.activation) ? spec.activation : new Array(hidden).fill(spec.activation ?? "linear");
  if (acts.length !== hidden)
    throw new SpecError(`network spec: ${hidden} hidden layers need ${hidden} activations, got ${acts.length}`);
  for (const a of acts) {
    if (!ACTIVATIONS.includes(a))
      throw new SpecError(`network spec: unknown activation "${a}"; allowed: ${ACTIVATIONS.join(", ")}`);
  }
  if (typeof spec.bias !== "boolean") throw new SpecError(`network spec: bias must be true or false, got ${spec.bias}`);
  return { sizes: spec.sizes.slice(), activation: acts, bias: spec.bias };
}

/**
 * The position of every layer's W_l (row-major, M_l×M_{l−1}) and b_l in the flat parameter vector, for l = 1..L,
 * in the order W_1, b_1, W_2, b_2, …. Throws a `SpecError` for an invalid spec.
 */
export function layout(spec: NetSpec): LayerSlot[] {
  const { sizes, bias } = normalizeSpec(spec);
  const slots: LayerSlot[] = [];
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    const rows = sizes[l];
    const cols = sizes[l - 1];
    const wOffset = o;
    o += rows * cols;
    const bOffset = bias ? o : -1;
    if (bias) o += rows;
    slots.push({ layer: l, rows, cols, wOffset, bOffset });
  }
  return slots;
}

/** The number of parameters p = Σ_l M_l·M_{l−1} (+ M_l with bias). Throws a `SpecError` for an invalid spec. */
export function paramCount(spec: NetSpec): number {
  const { sizes, bias } = normalizeSpec(spec);
  let p = 0;
  for (let l = 1; l < sizes.length; l++) p += sizes[l] * sizes[l - 1] + (bias ? sizes[l] : 0);
  return p;
}

/** W_l as a Matrix view on the parameter vector (shares memory). */
export function weight(spec: NetSpec, params: Float64Array, l: number): Matrix {
  const s = layout(spec)[l - 1];
  return new Matrix(s.rows, s.cols, params.subarray(s.wOffset, s.wOffset + s.rows * s.cols));
}

/** Options of `initParams`. */
export interface InitOptions {
  /** the scheme (default "glorot-normal") */
  init?: Init;
  /** seed of the random stream (default 0) */
  seed?: number;
  /** scale of the `uniform` init: entries in [−scale, scale] (default 1/√fan_in) */
  scale?: number;
}

/**
 * Seeded initial parameters. Biases start at zero.
 * glorot-normal: N(0, 2/(fan_in+fan_out)); glorot-uniform: U(±√(6/(fan_in+fan_out)));
 * he: N(0, 2/fan_in); orthogonal: a random orthogonal (semi-orthogonal) matrix; uniform: U(±scale).
 */
export function initParams(spec: NetSpec, opts: InitOptions = {}): Float64Array {
  checkOptions("initParams", opts, {
    init: oneOf(INITS),
    seed: seed32,
    scale: num(0, Infinity, { exclusiveMin: true }),
  });
  const { init = "glorot-normal", seed = 0 } = opts;
  if (!INITS.includes(init)) throw new SpecError(`initParams: unknown init "${init}"; allowed: ${INITS.join(", ")}`);
  const rng = new Rng(seed);
  const params = new Float64Array(paramCount(spec));
  for (const s of layout(spec)) {
    const fanIn = s.cols;
    const fanOut = s.rows;
    const n = s.rows * s.cols;
    const w = params.subarray(s.wOffset, s.wOffset + n);
    if (init === "glorot-normal") for (let i = 0; i < n; i++) w[i] = rng.normal() * Math.sqrt(2 / (fanIn + fanOut));
    else if (init === "glorot-uniform") {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) w[i] = rng.uniformIn(-a, a);
    } else if (init === "he") for (let i = 0; i < n; i++) w[i] = rng.normal() * Math.sqrt(2 / fanIn);
    else if (init === "uniform") {
      const a = opts.scale ?? 1 / Math.sqrt(fanIn);
      for (let i = 0; i < n; i++) w[i] = rng.uniformIn(-a, a);
    } else {
      // orthogonal: U Vᵀ of a Gaussian matrix has orthonormal rows or columns
      const G = new Matrix(s.rows, s.cols, rng.normals(n));
      const { U, V } = svd(G);
      const k = Math.min(s.rows, s.cols);
      for (let i = 0; i < s.rows; i++)
        for (let j = 0; j < s.cols; j++) {
          let v = 0;
          for (let t = 0; t < k; t++) v += U.get(i, t) * V.get(j, t);
          w[i * s.cols + j] = v;
        }
    }
  }
  return params;
}
