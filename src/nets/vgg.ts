/**
 * VGG-style convolutional networks in tfjs (their Jacobians come from tfjs autodiff, metrics/tf-jacobians.ts;
 * training runs natively in training/conv.ts on the same weights).
 *
 * The layout of Chen et al.'s "VGG10" (from the first author's code): 3×3 convolutions with zero
 * padding 2 and a ReLU, "M" = 2×2 max-pool (stride 2, floor), e.g. [16, M, 16, M, 32, M, 64, M, 64, M],
 * then flatten and dense ReLU layers (128) and a linear output of width K. For 28×28 and 32×32 inputs
 * this flattens to 2·2·64 = 256. Initialisation (seeded per layer) is PyTorch's default, U(±1/√fan_in) for kernels
 * and biases, or with `init: "authors"` that of the authors' code: conv kernels N(0, √(2/(9·out_channels))) with zero
 * biases (the dense layers keep PyTorch's default).
 */
import type * as tfType from "../backend/tf-api";
import { SpecError } from "./spec";
import { showValue } from "../util/options";

/**
 * One entry of a VGG conv stack: a 3×3 convolution with that many output channels (and a ReLU), or "M", a 2×2 max-pool.
 */
export type VggLayer = number | "M";

/** A VGG-style tfjs network: conv/pool stack, dense ReLU layers, linear output. */
export interface VggSpec {
  /** [height, width, channels] */
  inputShape: [number, number, number];
  /** conv widths and "M" for max-pool */
  layers: VggLayer[];
  /** dense hidden widths after flattening */
  hidden: number[];
  /** width K of the linear output layer */
  outputs: number;
  /** zero padding of every 3×3 convolution (default 2) */
  padding?: number;
  /**
   * initialisation: "pytorch-default" (default) U(±1/√fan_in) for every kernel and bias; "authors" as Chen et al.'s
   * code: conv kernels N(0, √(2/(9·out_channels))) and zero conv biases, dense layers PyTorch's default
   */
  init?: VggInit;
}

export const VGG_INITS = ["pytorch-default", "authors"] as const;
export type VggInit = (typeof VGG_INITS)[number];

/** The conv stack of Chen et al.'s "VGG10": [16, M, 16, M, 32, M, 64, M, 64, M]. */
export const CHEN_VGG_LAYERS: VggLayer[] = [16, "M", 16, "M", 32, "M", 64, "M", 64, "M"];

/** Spatial size and channels after the conv/pool stack, and the flattened width; throws when it collapses. */
export function vggFeatureShape(spec: VggSpec): { h: number; w: number; c: number; flat: number } {
  let [h, w, c] = spec.inputShape;
  if (![h, w, c].every((v) => Number.isInteger(v) && v >= 1))
    throw new SpecError(`vgg: inputShape must be three positive integers, got [${spec.inputShape}]`);
  const pad = spec.padding ?? 2;
  if (!Number.isInteger(pad) || pad < 0) throw new SpecError(`vgg: padding must be an integer ≥ 0, got ${pad}`);
  for (const l of spec.layers) {
    if (l === "M") {
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    } else {
      if (!Number.isInteger(l) || l < 1)
        throw new SpecError(`vgg: layers must be positive channel counts or "M", got ${showValue(l)}`);
      h = h + 2 * pad - 2;
      w = w + 2 * pad - 2;
      c = l;
    }
    if (h < 1 || w < 1)
      throw new SpecError(
        `vgg: the feature map vanishes (${h}×${w}) in [${spec.layers.join(", ")}] for input [${spec.inputShape}]`,
      );
  }
  if (spec.init !== undefined && !(VGG_INITS as readonly string[]).includes(spec.init))
    throw new SpecError(
      `vgg: init must be one of ${VGG_INITS.map((v) => `"${v}"`).join(", ")}, got ${showValue(spec.init)}`,
    );
  for (const v of [...spec.hidden, spec.outputs])
    if (!Number.isInteger(v) || v < 1)
      throw new SpecError(`vgg: hidden widths and outputs must be positive integers, got ${showValue(v)}`);
  return { h, w, c, flat: h * w * c };
}

/**
 * Builds the VGG-style `tf.Sequential` (float32) of `spec` with its initialisation (`spec.init`), seeded per layer
 * from `seed`; pass the tfjs module as `tf`. Throws a `SpecError` when the spec is invalid or its feature map vanishes.
 */
export function vggModel(tf: typeof tfType, spec: VggSpec, seed: number): tfType.Sequential {
  vggFeatureShape(spec);
  const pad = spec.padding ?? 2;
  const model = tf.sequential();
  let layerSeed = seed * 1000;
  const init = (fanIn: number) => {
    const b = 1 / Math.sqrt(fanIn);
    return {
      kernelInitializer: tf.initializers.randomUniform({ minval: -b, maxval: b, seed: ++layerSeed }),
      biasInitializer: tf.initializers.randomUniform({ minval: -b, maxval: b, seed: ++layerSeed }),
    };
  };
  const convInit = (fanIn: number, out: number) =>
    spec.init === "authors"
      ? {
          kernelInitializer: tf.initializers.randomNormal({
            mean: 0,
            stddev: Math.sqrt(2 / (9 * out)),
            seed: ++layerSeed,
          }),
          biasInitializer: tf.initializers.zeros(),
        }
      : init(fanIn);
  let c = spec.inputShape[2];
  let first = true;
  const shape = () => (first ? { inputShape: spec.inputShape } : {});
  for (const l of spec.layers) {
    if (l === "M") {
      model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, ...shape() }));
    } else {
      if (pad > 0) {
        model.add(tf.layers.zeroPadding2d({ padding: pad, ...shape() }));
        first = false;
      }
      model.add(
        tf.layers.conv2d({
          filters: l,
          kernelSize: 3,
          padding: "valid",
          activation: "relu",
          ...convInit(9 * c, l),
          ...shape(),
        }),
      );
      c = l;
    }
    first = false;
  }
  model.add(tf.layers.flatten());
  let fan = vggFeatureShape(spec).flat;
  for (const h of spec.hidden) {
    model.add(tf.layers.dense({ units: h, activation: "relu", ...init(fan) }));
    fan = h;
  }
  model.add(tf.layers.dense({ units: spec.outputs, ...init(fan) }));
  return model;
}
