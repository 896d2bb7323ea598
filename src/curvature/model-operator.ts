/**
 * The curvature of any tfjs model as a matrix-free `SymmetricOperator`, so that the spectral tools
 * (`lanczos`, `ritzPairs`, `spectralDensity`, `hutchPlusPlus`, `hutchinsonTrace`, `hutchinsonDiagonal`,
 * `blockOperator`) work on a user's own `LayersModel` (conv nets included), not only on the float64
 * engine's dense networks.
 *
 * θ is the model's trainable weights flattened in `model.trainableWeights` order, each weight row-major
 * in its tfjs shape (a Dense kernel is [in, out], a Conv2D kernel [h, w, in, out]); `modelWeightLayout`,
 * `modelParameters`, `modelLayerIndices` and `locateParameter` map between flat indices and weights.
 * The loss is the mean over the whole data set of the per-sample loss ("mse": ½‖f − y‖², as the float64
 * engine's; "ce": softmax cross-entropy with one-hot / probability rows or integer labels); products
 * are accumulated over mini-batches by the operator base (`operator-base.ts`), each batch's sum divided by the
 * total N.
 *
 * Everything tfjs computes is float32; the products are returned as float64 `Matrix` rows.
 */
import type * as tfType from "../backend/tf-api";
import { Matrix } from "../linalg";
import { loadTf } from "../backend";
import { bool, checkOptions, fn, int, num, oneOf } from "../util/options";
import type { SymmetricOperator } from "./operator-base";
import { Batch, batchedOperator, splitBatches } from "./operator-base";
import { CURVATURE_KIND_NAMES, CurvatureKind } from "./kinds";
import { NetSpec, layout, paramCount } from "../nets/spec";
import { lossTensor } from "../nets/tfjs";

type Tf = typeof tfType;
type Tensor = tfType.Tensor;
type Variable = tfType.Variable;

/** The losses `modelOperator` knows: "mse" (mean of ½‖f − y‖²) and "ce" (mean softmax cross-entropy). */
export type ModelLoss = "mse" | "ce";
/**
 * How Hessian–vector products are computed: "autodiff", "central-difference", or "auto" (autodiff where tfjs supports
 * it).
 */
export type ModelMethod = "auto" | "autodiff" | "central-difference";

/** The data of `modelOperator`: the whole set, split into mini-batches by the operator. */
export interface ModelData {
  /** inputs [N, …the model's input shape] */
  x: tfType.Tensor;
  /** targets [N, K] (one-hot or probability rows for "ce"), or integer labels [N] for "ce" */
  y: tfType.Tensor;
}

/** Options of `modelOperator`. */
export interface ModelOperatorOptions {
  /** "mse" (default) or "ce" */
  loss?: ModelLoss;
  /** "hessian" (default) or "ggn" (the Gauss–Newton part Jᵀ H_out J) */
  kind?: CurvatureKind;
  /** "auto" (default), "autodiff" or "central-difference" */
  method?: ModelMethod;
  /** samples per mini-batch (default: all N at once) */
  batchSize?: number;
  /** called after each mini-batch of a product call (all its vectors), with (batches done, batches) */
  onBatch?: (done: number, total: number) => void;
  /** central differences: the step is h = relativeStep · max(1, ‖θ‖) / ‖v‖ (default cbrt(2⁻²³) ≈ 4.9e-3) */
  relativeStep?: number;
  /**
   * central differences: hold the activation pattern of relu-type activations fixed at θ (default true), so that the
   * difference gives the almost-everywhere Hessian that autodiff and the float64 engine compute
   */
  freezePattern?: boolean;
  /** vectors per `apply` call preferred by the estimators (default 8) */
  block?: number;
}

/** What a `modelOperator` does (`op.info`); the central-difference fields are refreshed by each product. */
export interface ModelOperatorInfo {
  kind: CurvatureKind;
  loss: ModelLoss;
  /** the method in use */
  method: "autodiff" | "central-difference";
  /** why this method (the layer that rules autodiff out, or the user's choice) */
  reason: string;
  /** samples N, mini-batches, and samples per batch */
  samples: number;
  batches: number;
  batchSize: number;
  /** central differences: the relative step c */
  relativeStep?: number;
  /** central differences: ‖h·v‖, the length of the step in parameter space (c · max(1, ‖θ‖) at the last product) */
  h?: number;
  /**
   * central differences: ‖A_h v − A_2h v‖ / ‖A_h v‖ for the first vector of the first product (one extra product):
   * about 3× the truncation error for smooth models; a large value flags a step that crosses a kink (see
   * `modelOperator`)
   */
  errorEstimate?: number;
  /** central differences: the layers whose activation pattern is frozen at θ during a product (see `modelOperator`) */
  frozenLayers?: string[];
  /** central differences: max-pooling layers, whose switches are not frozen (a step that moves a maximum is a kink) */
  unfrozenKinks?: string[];
  /** vectors multiplied so far */
  products: number;
}

/** One trainable weight's place in θ (from `modelWeightLayout`). */
export interface ModelWeightSlot {
  /** the weight's name, e.g. "dense_Dense1/kernel" */
  name: string;
  /** the name of the layer that owns it */
  layer: string;
  /** its tfjs shape */
  shape: number[];
  /** index of its first entry in θ */
  offset: number;
  /** number of entries */
  size: number;
}

/**
 * A `SymmetricOperator` on a tfjs model, with what it does (`info`) and the layout of θ; `approximate` is set for
 * central differences.
 */
export interface ModelOperator extends SymmetricOperator {
  info: ModelOperatorInfo;
  layout: ModelWeightSlot[];
}

/** cbrt(float32 machine epsilon): the step that balances O(h²) truncation against O(ε/h) rounding. */
export const FLOAT32_RELATIVE_STEP = Math.cbrt(2 ** -23);

// Layers whose first- and second-order gradients tfjs computes correctly (checked against the float64 engine).
const AUTODIFF_LAYERS = new Set(["InputLayer", "Dense", "Flatten", "Reshape", "Dropout", "ReLU", "Activation"]);
const AUTODIFF_ACTIVATIONS = new Set(["linear", "relu"]);

type LayerLike = tfType.layers.Layer & { layers?: LayerLike[] };
type WeightLike = tfType.LayerVariable & { val: Variable };

function leafLayers(model: { layers: LayerLike[] }): LayerLike[] {
  return model.layers.flatMap((l) => (Array.isArray(l.layers) ? leafLayers(l as { layers: LayerLike[] }) : [l]));
}

/**
 * The first layer for which tfjs's nested gradients are missing or unreliable, described; undefined if there is none.
 */
function autodiffObstacle(model: tfType.LayersModel): string | undefined {
  for (const layer of leafLayers(model as unknown as { layers: LayerLike[] })) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as { activation?: string; maxValue?: number | null };
    if (!AUTODIFF_LAYERS.has(cls)) return `layer "${layer.name}" (${cls})`;
    if (
      (cls === "Dense" || cls === "Activation") &&
      cfg.activation !== undefined &&
      !AUTODIFF_ACTIVATIONS.has(cfg.activation)
    )
      return `layer "${layer.name}" (${cls} with activation ${cfg.activation})`;
    if (cls === "ReLU" && cfg.maxValue != null) return `layer "${layer.name}" (ReLU with maxValue)`;
  }
  return undefined;
}

/**
 * Where each trainable weight of `model` sits in θ (the weights flattened in `model.trainableWeights` order,
 * each row-major in its tfjs shape), with the layer that owns it.
 */
export function modelWeightLayout(model: tfType.LayersModel): ModelWeightSlot[] {
  const owner = new Map<unknown, string>();
  for (const layer of leafLayers(model as unknown as { layers: LayerLike[] }))
    for (const w of layer.trainableWeights) owner.set(w, layer.name);
  let offset = 0;
  return model.trainableWeights.map((w) => {
    const shape = w.shape.map((s) => Number(s));
    const size = shape.reduce((a, b) => a * b, 1);
    const slot = { name: w.name, layer: owner.get(w) ?? w.name.split("/")[0], shape, offset, size };
    offset += size;
    return slot;
  });
}

/**
 * For a dense `NetSpec`: perm[i] is the position in θ of the tfjs model made by `toTfModel(tf, spec, params)` of the
 * engine's parameter i (tfjs stores each kernel as [in, out], the engine W_l as [out, in] row-major; biases keep
 * their order), so that an engine-order vector v becomes w with w[perm[i]] = v[i].
 */
export function tfModelPermutation(spec: NetSpec): Int32Array {
  const slots = layout(spec);
  const perm = new Int32Array(paramCount(spec));
  let o = 0;
  for (const s of slots) {
    for (let j = 0; j < s.rows; j++)
      for (let i = 0; i < s.cols; i++) perm[s.wOffset + j * s.cols + i] = o + i * s.rows + j;
    o += s.rows * s.cols;
    if (s.bOffset >= 0) {
      for (let j = 0; j < s.rows; j++) perm[s.bOffset + j] = o + j;
      o += s.rows;
    }
  }
  return perm;
}

/** θ: the model's trainable weights as one float64 vector (layout: `modelWeightLayout`). */
export function modelParameters(model: tfType.LayersModel): Float64Array {
  const layout = modelWeightLayout(model);
  const out = new Float64Array(layout.reduce((a, s) => a + s.size, 0));
  model.trainableWeights.forEach((w, i) => out.set((w as WeightLike).val.dataSync() as Float32Array, layout[i].offset));
  return out;
}

/**
 * The flat indices in θ of a layer's trainable weights (the layer by name or by position in `model.layers`),
 * for `blockOperator`; `weight` keeps only the weights whose name ends in it (e.g. "kernel" or "bias").
 * Throws for an unknown layer, or a layer without such trainable weights.
 */
export function modelLayerIndices(
  model: tfType.LayersModel,
  layer: string | number,
  opts: { weight?: string } = {},
): number[] {
  checkOptions("modelLayerIndices", opts, {
    weight: (v) => (typeof v === "string" && v.length > 0 ? undefined : "a non-empty string"),
  });
  const layers = leafLayers(model as unknown as { layers: LayerLike[] });
  let name: string;
  if (typeof layer === "number") {
    if (!Number.isInteger(layer) || layer < 0 || layer >= model.layers.length)
      throw new Error(
        `modelLayerIndices: layer index must be an integer in 0..${model.layers.length - 1}, got ${layer}`,
      );
    name = model.layers[layer].name;
  } else {
    if (!layers.some((l) => l.name === layer))
      throw new Error(`modelLayerIndices: no layer named "${layer}"; layers: ${layers.map((l) => l.name).join(", ")}`);
    name = layer;
  }
  const slots = modelWeightLayout(model).filter(
    (s) => s.layer === name && (!opts.weight || s.name.endsWith(opts.weight)),
  );
  if (!slots.length)
    throw new Error(
      `modelLayerIndices: layer "${name}" has no trainable weights${opts.weight ? ` ending in "${opts.weight}"` : ""}`,
    );
  return slots.flatMap((s) => Array.from({ length: s.size }, (_, i) => s.offset + i));
}

/**
 * The weight, its layer and the multi-index (in the weight's tfjs shape) of entry i of θ. Throws for i outside 0..p−1.
 */
export function locateParameter(
  model: tfType.LayersModel,
  i: number,
): { weight: string; layer: string; index: number[] } {
  const layout = modelWeightLayout(model);
  const p = layout.reduce((a, s) => a + s.size, 0);
  if (!Number.isInteger(i) || i < 0 || i >= p)
    throw new Error(`locateParameter: index must be an integer in 0..${p - 1}, got ${i}`);
  const s = layout.find((t) => i < t.offset + t.size)!;
  let r = i - s.offset;
  const index = new Array<number>(s.shape.length);
  for (let d = s.shape.length - 1; d >= 0; d--) {
    index[d] = r % s.shape[d];
    r = Math.floor(r / s.shape[d]);
  }
  return { weight: s.name, layer: s.layer, index };
}

/**
 * The Hessian ("hessian") or Gauss–Newton matrix ("ggn", Jᵀ H_out J with H_out the loss's Hessian in the outputs)
 * of the mean loss of a tfjs `LayersModel` over `data`, in its trainable weights θ, as a `SymmetricOperator`
 * (apply(V) = rows of V·A, float64). Resolves once tfjs is loaded (`loadTf`).
 *
 * Methods (`opts.method`):
 * - "autodiff": Hv = ∇_θ⟨∇_θ L, v⟩ by nested tfjs gradients. tfjs gets second derivatives right only for some ops
 *   (it throws for Conv2D filters — no gradient of Conv2DBackpropFilter — and for exp/softmax/tanh/sigmoid, and is
 *   silently wrong in some compositions), so autodiff is allowed only on models of Dense, Flatten, Reshape, Dropout,
 *   ReLU and Activation layers with relu or linear activations; asking for it on another model throws. The loss's own
 *   second derivatives are supplied in closed form: for "mse" the nested gradient is taken of L itself; for "ce",
 *   Hv = Jᵀ H_out (J v) + ∇_θ⟨∇_θ⟨r̄, f⟩, v⟩ with r̄ = ∂L/∂f held fixed, where J v comes from the double
 *   vector–Jacobian product J v = ∇_u⟨Jᵀu, v⟩ (exact, linear in u). "ggn": J v by the same double product.
 * - "central-difference": Hv ≈ (∇L(θ + h v) − ∇L(θ − h v)) / 2h with first-order tfjs gradients only, so any model
 *   that tfjs can train works. h = c · max(1, ‖θ‖) / ‖v‖ with c = `relativeStep` (default cbrt(ε₃₂) ≈ 4.9e-3, ε₃₂ =
 *   2⁻²³): the step length in parameter space is c · max(1, ‖θ‖), which balances the O(h²) truncation error against
 *   the O(ε₃₂/h) rounding of float32 gradients (relative error ≈ ε₃₂^{2/3} ≈ 2.5e-5 for smooth models).
 *   "ggn": J v ≈ (f(θ + h v) − f(θ − h v)) / 2h by a central difference of the outputs, then Jᵀ(H_out J v) by a
 *   vector–Jacobian product (a tfjs gradient of ⟨w, f(θ)⟩ with w fixed, i.e. tf.grad with dy = w).
 *   Relu-type activations make the gradient jump where a pre-activation changes sign, and a step that crosses such a
 *   kink would measure that jump (divided by h) instead of the almost-everywhere Hessian that autodiff and the float64
 *   engine compute. So by default (`freezePattern`) each product first records, per mini-batch, the activation
 *   pattern at θ (which units are on, per sample) of every relu / relu6 activation (Dense, Conv…, Activation layers)
 *   and ReLU / LeakyReLU layer, and holds it fixed at θ ± h v (out = x ⊙ mask), which is exact for these activations
 *   (`info.frozenLayers`). Max-pooling switches are not frozen (`info.unfrozenKinks`). `info.errorEstimate` (step h
 *   against 2h on the first product) shows a crossed kink or a too-large truncation error.
 * - "auto" (default): autodiff where the model's layers allow it, else central differences (`info.reason` says why).
 *
 * Every central-difference product sets the weights to θ ± h v (and patches the relu-type layers, see above) and
 * restores both bit for bit before returning, even when it throws. Cost per vector and mini-batch: one nested
 * gradient (autodiff, "mse" Hessian; two otherwise), or two gradients ("hessian") / two forward passes and one
 * gradient ("ggn") by central differences, plus one forward pass per batch at θ when a pattern is frozen or for "ggn".
 * `info` reports the method, the step h and the error estimate. Central-difference products are not exactly
 * symmetric: the operator is marked approximate (`op.approximate`), the estimators measure its asymmetry
 * ‖A − Aᵀ‖_F / ‖A‖_F and attach it to their results (`approximate`), and `operatorRank` refuses it. Products are
 * accumulated over mini-batches of `batchSize` samples (default all) by the operator base; `onBatch` reports
 * progress. Throws for invalid options or data that does not fit the model, and for "autodiff" on a model it does not
 * support.
 */
export async function modelOperator(
  model: tfType.LayersModel,
  data: ModelData,
  opts: ModelOperatorOptions = {},
): Promise<ModelOperator> {
  checkOptions("modelOperator", opts, {
    loss: oneOf(["mse", "ce"]),
    kind: oneOf(CURVATURE_KIND_NAMES),
    method: oneOf(["auto", "autodiff", "central-difference"]),
    batchSize: int(1),
    onBatch: fn,
    relativeStep: num(0, 1, { exclusiveMin: true }),
    freezePattern: bool,
    block: int(1),
  });
  const { tf } = await loadTf();
  const loss = opts.loss ?? "mse";
  const kind = opts.kind ?? "hessian";
  if (!model || typeof (model as tfType.LayersModel).apply !== "function" || !Array.isArray(model.trainableWeights))
    throw new Error("modelOperator: model must be a tfjs LayersModel (e.g. tf.sequential)");
  if (!data || !(data.x instanceof tf.Tensor) || !(data.y instanceof tf.Tensor))
    throw new Error("modelOperator: data must be { x: tf.Tensor, y: tf.Tensor }");
  const { x, y } = data;
  const N = x.shape[0];
  if (!(N >= 1)) throw new Error(`modelOperator: data.x has no samples (shape [${x.shape}])`);
  if (y.shape[0] !== N) throw new Error(`modelOperator: data.x has ${N} samples but data.y has ${y.shape[0]}`);
  const inShape = model.inputs[0].shape.slice(1);
  const xShape = x.shape.slice(1);
  if (inShape.length !== xShape.length || inShape.some((s, i) => s !== null && s !== xShape[i]))
    throw new Error(
      `modelOperator: the model takes inputs of shape [${inShape.map((s) => s ?? "any")}], but data.x is [${x.shape}]`,
    );
  const outShape = model.outputs[0].shape;
  if (outShape.length !== 2) throw new Error(`modelOperator: the model's output must be [N, K], got [${outShape}]`);
  const K = outShape[1] as number;
  const labels = y.rank === 1;
  if (labels && loss !== "ce")
    throw new Error(
      `modelOperator: integer labels (data.y of shape [${y.shape}]) need loss "ce"; for ` +
        `"${loss}" give targets [N, ${K}]`,
    );
  if (!labels && (y.rank !== 2 || y.shape[1] !== K))
    throw new Error(
      `modelOperator: the model has K = ${K} outputs, but data.y is [${y.shape}] (want [N, ` +
        `${K}]${loss === "ce" ? " or integer labels [N]" : ""})`,
    );
  if (!model.trainableWeights.length) throw new Error("modelOperator: the model has no trainable weights");

  const layout = modelWeightLayout(model);
  const vars = model.trainableWeights.map((w) => (w as WeightLike).val);
  const p = layout.reduce((a, s) => a + s.size, 0);
  const obstacle = autodiffObstacle(model);
  const asked = opts.method ?? "auto";
  if (asked === "autodiff" && obstacle) {
    throw new Error(
      `modelOperator: method "autodiff" is not available for this model: tfjs has no reliable ` +
        `second derivatives for ${obstacle}. ` +
        (`Autodiff needs Dense, Flatten, Reshape, Dropout, ReLU or Activation layers with relu or ` +
          `linear activations; use method "central-difference" (or "auto", which chooses it)`),
    );
  }
  const method: "autodiff" | "central-difference" =
    asked === "auto" ? (obstacle ? "central-difference" : "autodiff") : asked;
  const reason =
    asked !== "auto"
      ? `method "${asked}" was asked for`
      : obstacle
        ? `auto: tfjs has no reliable second derivatives for ${obstacle}`
        : "auto: every layer has second derivatives in tfjs (Dense/Flatten/Reshape/Dropout/ReLU, relu or linear)";
  const size = Math.min(opts.batchSize ?? N, N);
  const batches = splitBatches(N, size);
  const c = opts.relativeStep ?? FLOAT32_RELATIVE_STEP;
  const info: ModelOperatorInfo = {
    kind,
    loss,
    method,
    reason,
    samples: N,
    batches: batches.length,
    batchSize: size,
    products: 0,
  };
  if (method === "central-difference") info.relativeStep = c;

  // ---- tfjs pieces (all float32), each on one batch, each returning the batch's contribution to the mean over N
  const batchData = (b: Batch): { xb: Tensor; yb: Tensor } => {
    const xb = batches.length === 1 ? x : tf.slice(x, b.start, b.n);
    let yb = batches.length === 1 ? y : tf.slice(y, b.start, b.n);
    yb = labels ? tf.oneHot(tf.cast(yb, "int32"), K) : yb;
    return { xb, yb: tf.cast(yb, "float32") };
  };
  const forward = (xb: Tensor): Tensor => model.apply(xb, { training: false }) as Tensor;
  // the batch's share of the mean loss over all N samples
  const lossOf = (f: Tensor, yb: Tensor): tfType.Scalar =>
    tf.mul(lossTensor(tf, loss, f, yb), f.shape[0] / N) as tfType.Scalar;
  // H_out u (per sample, including the 1/N of the mean), at outputs f0
  const outputHessian = (f0: Tensor, yb: Tensor, u: Tensor): Tensor => {
    if (loss === "mse") return tf.mul(u, 1 / N);
    const pr = tf.softmax(f0);
    const pu = tf.sum(tf.mul(pr, u), 1, true);
    return tf.mul(tf.mul(tf.sub(tf.mul(pr, u), tf.mul(pr, pu)), tf.sum(yb, 1, true)), 1 / N);
  };
  // r̄ = ∂L/∂f at f0
  const residual = (f0: Tensor, yb: Tensor): Tensor =>
    loss === "mse"
      ? tf.mul(tf.sub(f0, yb), 1 / N)
      : tf.mul(tf.sub(tf.mul(tf.softmax(f0), tf.sum(yb, 1, true)), yb), 1 / N);
  // the gradients as one flat tensor in θ's order (zeros for weights a gradient does not reach)
  const flatGrads = (grads: Record<string, Tensor>): Tensor =>
    tf.concat(vars.map((v) => tf.reshape(grads[v.name] ?? tf.zerosLike(v), [-1])));
  // runs f in a tidy scope and reads its tensor (keeping typed arrays out of tidy's result walk)
  const read = (f: () => Tensor): Float32Array => {
    const t = tf.tidy(f);
    try {
      return t.dataSync() as Float32Array;
    } finally {
      t.dispose();
    }
  };
  const weightGrads = (f: () => tfType.Scalar): Record<string, Tensor> =>
    tf.variableGrads(f, vars).grads as Record<string, Tensor>;
  const dot = (grads: Record<string, Tensor>, vt: Tensor[]): tfType.Scalar =>
    tf.addN(vars.map((v, i) => (grads[v.name] ? tf.sum(tf.mul(grads[v.name], vt[i])) : tf.scalar(0)))) as tfType.Scalar;
  // J v by the double vector–Jacobian product ∇_u⟨Jᵀu, v⟩
  const jvpAutodiff = (xb: Tensor, f0: Tensor, vt: Tensor[]): Tensor =>
    tf.grad((u: Tensor) =>
      dot(
        weightGrads(() => tf.sum(tf.mul(u, forward(xb))) as tfType.Scalar),
        vt,
      ),
    )(tf.zerosLike(f0));
  const vjp = (xb: Tensor, w: Tensor): Tensor =>
    flatGrads(weightGrads(() => tf.sum(tf.mul(w, forward(xb))) as tfType.Scalar));

  const autodiffBatch = (b: Batch, vt: Tensor[]): Float32Array =>
    read(() => {
      const { xb, yb } = batchData(b);
      if (kind === "hessian" && loss === "mse")
        return flatGrads(
          weightGrads(() =>
            dot(
              weightGrads(() => lossOf(forward(xb), yb)),
              vt,
            ),
          ),
        );
      const f0 = forward(xb);
      const u = jvpAutodiff(xb, f0, vt);
      const w = outputHessian(f0, yb, u);
      if (kind === "ggn") return vjp(xb, w);
      const rbar = residual(f0, yb);
      return flatGrads(
        weightGrads(
          () =>
            tf.add(
              dot(
                weightGrads(() => tf.sum(tf.mul(rbar, forward(xb))) as tfType.Scalar),
                vt,
              ),
              tf.sum(tf.mul(w, forward(xb))),
            ) as tfType.Scalar,
        ),
      );
    });

  // ---- weights: read, set, restore (bit for bit)
  const snapshot = (): Float32Array[] => vars.map((v) => (v.dataSync() as Float32Array).slice());
  const setWeights = (values: Float32Array[]) =>
    tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape, "float32"))));
  const shifted = (theta: Float32Array[], v: Float64Array, step: number): Float32Array[] =>
    theta.map((t, i) => {
      const o = layout[i].offset;
      const out = new Float32Array(t.length);
      for (let j = 0; j < t.length; j++) out[j] = t[j] + step * v[o + j];
      return out;
    });
  const norm = (a: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return Math.sqrt(s);
  };
  const freezer =
    method === "central-difference" && opts.freezePattern !== false ? patternFreezer(tf, model) : undefined;
  if (method === "central-difference") {
    info.frozenLayers = freezer?.layers ?? [];
    const pools = leafLayers(model as unknown as { layers: LayerLike[] })
      .filter((l) => /^MaxPooling|^GlobalMaxPooling/.test(l.getClassName()))
      .map((l) => l.name);
    if (pools.length) info.unfrozenKinks = pools;
  }

  /**
   * One batch's contribution to the central-difference product of one vector with step `step`, at the weights θ
   * (`theta`) whose outputs on the batch are `f0`; leaves the weights at θ ± step·v (the caller restores them).
   */
  const centralBatch = (
    b: Batch,
    theta: Float32Array[],
    f0: Float32Array,
    v: Float64Array,
    step: number,
  ): Float64Array => {
    const out = new Float64Array(p);
    const plus = shifted(theta, v, step);
    const minus = shifted(theta, v, -step);
    if (kind === "hessian") {
      const grad = (values: Float32Array[]) => {
        setWeights(values);
        freezer?.replay();
        return read(() => {
          const { xb, yb } = batchData(b);
          return flatGrads(weightGrads(() => lossOf(forward(xb), yb)));
        });
      };
      const gp = grad(plus);
      const gm = grad(minus);
      for (let i = 0; i < p; i++) out[i] = (gp[i] - gm[i]) / (2 * step);
      return out;
    }
    const outputs = (values: Float32Array[]) => {
      setWeights(values);
      freezer?.replay();
      return read(() => forward(batchData(b).xb));
    };
    const fp = outputs(plus);
    const fm = outputs(minus);
    const u = new Float32Array(fp.length);
    for (let i = 0; i < u.length; i++) u[i] = (fp[i] - fm[i]) / (2 * step);
    setWeights(theta);
    freezer?.replay();
    const g = read(() => {
      const { xb, yb } = batchData(b);
      return vjp(xb, outputHessian(tf.tensor2d(f0, [b.n, K]), yb, tf.tensor2d(u, [b.n, K])));
    });
    out.set(g);
    return out;
  };

  /**
   * One product call on the operator base: the rows of V that are not zero, and per batch their products (a batch's
   * share of the mean over all N, so the base sums them). Central differences: θ is read once, and restored (with the
   * relu layers) after the last batch, also when one throws.
   */
  const begin = (V: Matrix) => {
    const B = V.rows;
    const row = (r: number) => V.data.subarray(r * p, (r + 1) * p);
    const rows = Array.from({ length: B }, (_, r) => r).filter((r) => norm(row(r)) > 0);
    if (!rows.length) return undefined; // zeros, without work (and not counted)
    const theta = snapshot();
    let done = 0;
    // a product is counted once its last batch is done
    const counted = (part: Matrix): Matrix => {
      if (++done === batches.length) info.products += B;
      return part;
    };
    if (method === "autodiff") {
      const vts = rows.map((r) =>
        vars.map((w, i) =>
          tf.tensor(
            Float32Array.from(row(r).subarray(layout[i].offset, layout[i].offset + layout[i].size)),
            w.shape,
            "float32",
          ),
        ),
      );
      return {
        batch: (b: Batch) => {
          const part = new Matrix(B, p);
          rows.forEach((r, j) => {
            let g: Float32Array;
            try {
              g = autodiffBatch(b, vts[j]);
            } catch (err) {
              throw new Error(
                `modelOperator: tfjs autodiff failed (${(err as Error).message}); use method "central-difference"`,
              );
            }
            part.data.set(g, r * p);
          });
          return counted(part);
        },
        end: () => vts.flat().forEach((t) => t.dispose()),
      };
    }
    const thetaNorm = Math.hypot(...theta.map(norm));
    const stepLength = c * Math.max(1, thetaNorm);
    info.h = stepLength;
    const steps = rows.map((r) => stepLength / norm(row(r)));
    // the first product also runs its first vector with step 2h, for the error estimate
    const twice = info.errorEstimate === undefined ? new Float64Array(p) : undefined;
    const first = new Float64Array(p);
    freezer?.install();
    return {
      batch: (b: Batch) => {
        const part = new Matrix(B, p);
        setWeights(theta);
        freezer?.record();
        // the forward pass at θ: the outputs for "ggn", the activation pattern for the freezer
        const f0 = kind === "ggn" || freezer ? read(() => forward(batchData(b).xb)) : new Float32Array(0);
        rows.forEach((r, j) => {
          part.data.set(centralBatch(b, theta, f0, row(r), steps[j]), r * p);
          if (twice && j === 0) {
            const part2 = centralBatch(b, theta, f0, row(r), 2 * steps[j]);
            for (let i = 0; i < p; i++) {
              twice[i] += part2[i];
              first[i] += part.data[r * p + i];
            }
          }
        });
        return counted(part);
      },
      end: () => {
        setWeights(theta);
        freezer?.uninstall();
        if (twice && done === batches.length) {
          let d = 0;
          for (let i = 0; i < p; i++) d += (first[i] - twice[i]) ** 2;
          info.errorEstimate = Math.sqrt(d) / Math.max(norm(first), Number.MIN_VALUE);
        }
      },
    };
  };
  const op = batchedOperator({
    name: "modelOperator",
    p,
    block: opts.block ?? 8,
    N,
    batches,
    scale: "share-of-mean",
    begin,
    onBatch: opts.onBatch,
    approximate: method === "central-difference" ? { method: "central differences", reason } : undefined,
  });
  return Object.assign(op, { info, layout });
}

/**
 * Freezes the activation pattern of a model's piecewise-linear activations (which relu units are on, per sample):
 * `record` makes the next forward pass store, for every relu-type activation, the slope mask (and constant part) at the
 * current weights; `replay` makes the following forward passes apply those masks instead (out = x ⊙ m + c, linear in
 * the pre-activation x). Covers the relu and relu6 activations of any layer with an `activation` (Dense, Conv*, …),
 * and ReLU and LeakyReLU layers; `install` patches the layers, `uninstall` restores them and frees the masks.
 */
function patternFreezer(
  tf: Tf,
  model: tfType.LayersModel,
): { layers: string[]; install(): void; uninstall(): void; record(): void; replay(): void } | undefined {
  type Piece = (x: Tensor) => { m: Tensor; c?: Tensor };
  const reluPiece: Piece = (x) => ({ m: tf.cast(tf.greater(x, 0), "float32") });
  const cappedPiece =
    (cap: number): Piece =>
    (x) => ({
      m: tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.less(x, cap)), "float32"),
      c: tf.mul(tf.cast(tf.greaterEqual(x, cap), "float32"), cap),
    });
  const leakyPiece =
    (alpha: number): Piece =>
    (x) => ({ m: tf.add(tf.mul(tf.cast(tf.greater(x, 0), "float32"), 1 - alpha), alpha) });
  let mode: "record" | "replay" = "record";
  interface Site {
    piece: Piece;
    saved: { m: Tensor; c?: Tensor }[];
    cursor: number;
    patch(run: (x: Tensor) => Tensor): void;
    unpatch(): void;
  }
  const sites: Site[] = [];
  const names: string[] = [];
  const first = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);
  for (const layer of leafLayers(model as unknown as { layers: LayerLike[] })) {
    const cls = layer.getClassName();
    const holder = layer as unknown as {
      activation?: { getClassName(): string; apply(x: Tensor): Tensor };
      call: (inputs: Tensor | Tensor[], kwargs: unknown) => Tensor;
      maxValue?: number | null;
      alpha?: number;
    };
    let site: Site | undefined;
    const act = holder.activation?.getClassName?.();
    if (act === "relu" || act === "relu6") {
      const original = holder.activation!;
      site = {
        piece: act === "relu" ? reluPiece : cappedPiece(6),
        saved: [],
        cursor: 0,
        patch: (run) => (holder.activation = { getClassName: () => "rankscopeFrozenPattern", apply: run }),
        unpatch: () => (holder.activation = original),
      };
    } else if (cls === "ReLU" || cls === "LeakyReLU") {
      const own = Object.getOwnPropertyDescriptor(layer, "call");
      site = {
        piece:
          cls === "LeakyReLU"
            ? leakyPiece(holder.alpha ?? 0.3)
            : holder.maxValue != null
              ? cappedPiece(holder.maxValue)
              : reluPiece,
        saved: [],
        cursor: 0,
        patch: (run) => (holder.call = (inputs: Tensor | Tensor[]) => run(first(inputs))),
        unpatch: () => {
          if (own) Object.defineProperty(layer, "call", own);
          else delete (holder as { call?: unknown }).call;
        },
      };
    }
    if (site) {
      sites.push(site);
      names.push(layer.name);
    }
  }
  if (!sites.length) return undefined;
  const free = () =>
    sites.forEach((s) => {
      s.saved.forEach((e) => (e.m.dispose(), e.c?.dispose()));
      s.saved = [];
      s.cursor = 0;
    });
  return {
    layers: names,
    install: () =>
      sites.forEach((s) =>
        s.patch((x) => {
          let e: { m: Tensor; c?: Tensor };
          if (mode === "record") {
            e = tf.tidy(() => s.piece(x));
            tf.keep(e.m);
            if (e.c) tf.keep(e.c);
            s.saved.push(e);
          } else {
            e = s.saved[s.cursor++];
            if (!e)
              throw new Error(
                "modelOperator: the frozen activation pattern is out of step with the model (a layer ran " +
                  "more often than when it was recorded)",
              );
          }
          return e.c ? tf.add(tf.mul(x, e.m), e.c) : tf.mul(x, e.m);
        }),
      ),
    uninstall: () => {
      sites.forEach((s) => s.unpatch());
      free();
    },
    record: () => {
      free();
      mode = "record";
    },
    replay: () => {
      mode = "replay";
      sites.forEach((s) => (s.cursor = 0));
    },
  };
}
