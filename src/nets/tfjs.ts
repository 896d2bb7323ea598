/**
 * Two-way conversion between a rankscope network (spec + float64 parameters) and a tfjs
 * `tf.Sequential` of Dense layers, so that a model trained in tfjs (float32) can be analysed in
 * float64. tfjs stores a Dense kernel as [in, out]; rankscope's W_l is [out, in].
 * leaky-relu becomes a linear Dense followed by a LeakyReLU layer (alpha 0.01).
 */
import type * as tfType from "../backend/tf-api";
import { NetSpec, normalizeSpec, layout, paramCount, SpecError } from "./spec";
import { Activation, LEAKY_SLOPE } from "./activations";
import type { LossName } from "./losses";

type Tf = typeof tfType;

/**
 * Builds a tfjs `tf.Sequential` of Dense layers (float32) holding the spec's parameters; pass the tfjs module as `tf`.
 * Throws a `SpecError` when `params` does not have the spec's length.
 */
export function toTfModel(tf: Tf, spec: NetSpec, params: Float64Array): tfType.Sequential {
  const { sizes, activation, bias } = normalizeSpec(spec);
  if (params.length !== paramCount(spec))
    throw new SpecError(`toTfModel: expected ${paramCount(spec)} parameters, got ${params.length}`);
  const model = tf.sequential();
  const slots = layout(spec);
  for (const s of slots) {
    const act: Activation = s.layer < slots.length ? activation[s.layer - 1] : "linear";
    const tfAct = act === "leaky-relu" ? "linear" : act;
    const dense = tf.layers.dense({
      units: s.rows,
      useBias: bias,
      activation: tfAct as never,
      ...(s.layer === 1 ? { inputShape: [sizes[0]] } : {}),
    });
    model.add(dense);
    const kernel = new Float32Array(s.rows * s.cols);
    for (let j = 0; j < s.rows; j++)
      for (let i = 0; i < s.cols; i++) kernel[i * s.rows + j] = params[s.wOffset + j * s.cols + i];
    const weights: tfType.Tensor[] = [tf.tensor2d(kernel, [s.cols, s.rows])];
    if (bias) weights.push(tf.tensor1d(Float32Array.from(params.subarray(s.bOffset, s.bOffset + s.rows))));
    dense.setWeights(weights);
    weights.forEach((w) => w.dispose());
    if (act === "leaky-relu") model.add(tf.layers.leakyReLU({ alpha: LEAKY_SLOPE }));
  }
  return model;
}

/** Reads the spec and float64 parameters of a Sequential of Dense (and LeakyReLU) layers. */
export function fromTfModel(model: tfType.LayersModel): { spec: NetSpec; params: Float64Array } {
  const sizes: number[] = [];
  const acts: Activation[] = [];
  const chunks: { kernel: Float32Array; shape: number[]; bias?: Float32Array }[] = [];
  let bias: boolean | undefined;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === "LeakyReLU") {
      const alpha = (layer.getConfig() as { alpha?: number }).alpha;
      if (acts.length === 0 || acts[acts.length - 1] !== "linear" || Math.abs((alpha ?? 0.3) - LEAKY_SLOPE) > 1e-7) {
        throw new SpecError(
          `fromTfModel: a LeakyReLU layer must follow a linear Dense layer and have alpha ${LEAKY_SLOPE}`,
        );
      }
      acts[acts.length - 1] = "leaky-relu";
      continue;
    }
    if (cls !== "Dense") throw new SpecError(`fromTfModel: only Dense and LeakyReLU layers can be read, found ${cls}`);
    const cfg = layer.getConfig() as { activation?: string; useBias?: boolean };
    const w = layer.getWeights();
    const kernel = w[0].dataSync() as Float32Array;
    const shape = w[0].shape as number[];
    if (sizes.length === 0) sizes.push(shape[0]);
    sizes.push(shape[1]);
    const useBias = Boolean(cfg.useBias);
    if (bias === undefined) bias = useBias;
    else if (bias !== useBias) throw new SpecError("fromTfModel: every Dense layer must agree on useBias");
    chunks.push({ kernel, shape, bias: useBias ? (w[1].dataSync() as Float32Array) : undefined });
    acts.push((cfg.activation ?? "linear") as Activation);
  }
  if (!chunks.length) throw new SpecError("fromTfModel: the model has no Dense layers");
  if (acts[acts.length - 1] !== "linear")
    throw new SpecError(`fromTfModel: the output layer must be linear, found ${acts[acts.length - 1]}`);
  const spec: NetSpec = { sizes, activation: acts.slice(0, -1), bias: Boolean(bias) };
  normalizeSpec(spec);
  const params = new Float64Array(paramCount(spec));
  layout(spec).forEach((s, idx) => {
    const { kernel, bias: b } = chunks[idx];
    for (let j = 0; j < s.rows; j++)
      for (let i = 0; i < s.cols; i++) params[s.wOffset + j * s.cols + i] = kernel[i * s.rows + j];
    if (b) params.set(Float64Array.from(b), s.bOffset);
  });
  return { spec, params };
}

/**
 * The losses of src/nets/losses.ts as a tfjs scalar, the mean over the rows of `pred` and `y` ([n, K], float32): mse
 * = ½‖f − y‖², ce = −Σ y log softmax(f), logcosh = Σ log cosh(f − y) (written stably). Used by tfjs training and by
 * `modelOperator`.
 */
export function lossTensor(tf: Tf, loss: LossName, pred: tfType.Tensor, y: tfType.Tensor): tfType.Scalar {
  if (loss === "mse") return tf.mul(0.5, tf.mean(tf.sum(tf.square(tf.sub(pred, y)), 1))) as tfType.Scalar;
  if (loss === "ce") return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(pred)), 1))) as tfType.Scalar;
  const u = tf.sub(pred, y);
  return tf.mean(
    tf.sum(tf.sub(tf.add(tf.abs(u), tf.log1p(tf.exp(tf.mul(-2, tf.abs(u))))), Math.LN2), 1),
  ) as tfType.Scalar;
}
