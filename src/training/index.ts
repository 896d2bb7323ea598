/**
 * Training dense networks with tfjs (float32; the point is the trajectory), handing float64 copies
 * of the parameters to the curvature engine at chosen steps. Seeded: the initial parameters come
 * from rankscope's float64 initialisation and the mini-batch order from its Rng.
 *
 * Optimisers: "sgd", "adam", "adamw" (Adam with decoupled weight decay θ ← θ − lr·wd·θ after each step),
 * and weight decay as an L2 term for "sgd"/"adam" when `l2` is set.
 *
 * `train` takes a dense spec + float64 parameters; `trainModel` is the same loop for any tfjs model
 * (e.g. the VGG-style conv nets of nets/vgg.ts), whose checkpoints receive the model itself;
 * `trainFloat64` runs the same schedule on the float64 engine's gradient (optimizers.ts).
 */
import type * as tfType from "../backend/tf-api";
import { Matrix, LinalgError } from "../linalg";
import { NetSpec, normalizeSpec, paramCount } from "../nets/spec";
import { toTfModel, fromTfModel, lossTensor } from "../nets/tfjs";
import { LossName, checkLoss } from "../nets/losses";
import { loadTf } from "../backend";
import { lossAndGradient } from "../curvature/gradient";
import { ADAM, Float64Optimizer } from "./optimizers";
import { runSchedule, TrainSettings, OPTIMIZERS, OptimizerName, TrainResult, CheckpointAnswer } from "./schedule";
import { tfTrainingState } from "./tf-state";

export { Float64Optimizer, FLOAT64_OPTIMIZERS } from "./optimizers";
export { OPTIMIZERS } from "./schedule";
export { trainDense, DenseStepper, PRECISIONS, weightMask } from "./dense";
import { weightMask } from "./dense";
import { checkOptions, OptionRule, num, int, bool, listOf, seed32, fn } from "../util/options";
export { trainConv, ConvStepper, vggParams, setVggParams, vggParamCount } from "./conv";
export type { ConvNet, ConvTrainOptions } from "./conv";
export { levenbergMarquardt } from "./gauss-newton";
export type { LevenbergMarquardtOptions, LevenbergMarquardtResult } from "./gauss-newton";
export type { Precision } from "./dense";
export type { OptimizerName, TrainSettings, TrainResult, CheckpointAnswer } from "./schedule";

/**
 * Options of `train`, `trainFloat64` and `trainDense`: a dense network, its initial parameters and the shared settings.
 */
export interface TrainOptions extends TrainSettings {
  /** the network */
  spec: NetSpec;
  /** initial float64 parameters (rankscope layout) */
  params: Float64Array;
  /**
   * called (and awaited) at every step listed in `checkpoints` with a float64 copy of the parameters and the last
   * recorded
   * training loss (NaN at step 0); answering "stop" ends training there (`stoppedAt` in the result)
   */
  onCheckpoint?: (
    step: number,
    params: Float64Array,
    trainLoss: number,
  ) => CheckpointAnswer | Promise<CheckpointAnswer>;
}

/** Options of `trainModel`: any tfjs model and the shared settings. */
export interface ModelTrainOptions extends TrainSettings {
  /** any tfjs model whose input is a row of X (reshaped to the model's input shape) and whose output has Y's width */
  model: tfType.LayersModel;
  /**
   * called (and awaited) at every step listed in `checkpoints` with the model itself and the last recorded training
   * loss
   * (NaN at step 0); answering "stop" ends training there (`stoppedAt` in the result)
   */
  onCheckpoint?: (
    step: number,
    model: tfType.LayersModel,
    trainLoss: number,
  ) => CheckpointAnswer | Promise<CheckpointAnswer>;
}

const anyValue: OptionRule = () => undefined;
/**
 * The options the training functions take (`train`, `trainFloat64`, `trainDense`, `trainConv`, `trainModel`): the
 * shared settings with their allowed values, and the network, model, precision and checkpoint callback, which each
 * function checks itself. Checkpoint steps beyond `steps` are never reached (callers list a grid for any length).
 */
const TRAIN_RULES: Record<string, OptionRule> = {
  X: anyValue,
  Y: anyValue,
  loss: anyValue,
  optimizer: anyValue,
  lr: num(0, Infinity, { exclusiveMin: true }),
  weightDecay: num(0),
  decayBiases: bool,
  l2: num(0),
  batchSize: int(1),
  steps: int(0),
  seed: seed32,
  checkpoints: listOf(int(0)),
  progress: (v) => (typeof v === "string" ? undefined : "a string"),
  spec: anyValue,
  params: anyValue,
  model: anyValue,
  precision: anyValue,
  onCheckpoint: fn,
  records: (v) =>
    v &&
    typeof v === "object" &&
    typeof (v as Record<string, unknown>).save === "function" &&
    typeof (v as Record<string, unknown>).restore === "function"
      ? undefined
      : "{ save(), restore(state) }",
};

/**
 * Validates the settings every training loop shares (loss, optimiser, lr, steps, data rows, batch) before any work.
 * @internal
 */
export function checkSettings(o: TrainSettings): { loss: LossName; optName: OptimizerName; B: number } {
  // every key is checked: a typo (optimiser, learningRate) was ignored and the default used; lr Infinity, a NaN l2 or
  // a negative weightDecay trained on
  checkOptions("train", o, TRAIN_RULES);
  const loss = checkLoss("train", o.loss ?? "mse");
  const optName = o.optimizer ?? "adam";
  if (!OPTIMIZERS.includes(optName))
    throw new Error(`train: optimizer must be one of ${OPTIMIZERS.join(", ")}; got "${optName}"`);
  if (!(o.lr > 0)) throw new Error(`train: lr must be > 0, got ${o.lr}`);
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new Error(`train: steps must be an integer ≥ 0, got ${o.steps}`);
  if (o.X.rows !== o.Y.rows) throw new Error(`train: X has ${o.X.rows} rows but Y has ${o.Y.rows}`);
  const N = o.X.rows;
  const B = Math.min(o.batchSize ?? N, N);
  if (!Number.isInteger(B) || B < 1) throw new Error(`train: batchSize must be a positive integer, got ${o.batchSize}`);
  return { loss, optName, B };
}

function checkDense(o: TrainOptions): void {
  normalizeSpec(o.spec);
  if (o.params.length !== paramCount(o.spec))
    throw new Error(`train: the spec has ${paramCount(o.spec)} parameters, got ${o.params.length}`);
  if (o.X.cols !== o.spec.sizes[0] || o.Y.cols !== o.spec.sizes[o.spec.sizes.length - 1]) {
    throw new Error(
      `train: data must be N×${o.spec.sizes[0]} and N×${o.spec.sizes[o.spec.sizes.length - 1]}, ` +
        `got ${o.X.rows}×${o.X.cols} and ${o.Y.rows}×${o.Y.cols}`,
    );
  }
}

/**
 * Validates a dense training call (spec, parameters, data, optimiser, batch) before any work.
 * @internal
 */
export function checkTrainOptions(o: TrainOptions): { loss: LossName; optName: OptimizerName; B: number } {
  checkDense(o);
  return checkSettings(o);
}

/**
 * Trains a dense network given by spec + float64 parameters in tfjs (float32); checkpoints receive float64 parameters.
 * Defaults: loss "mse", optimizer "adam", full-batch, seed 0. Throws when the spec, parameters, data or settings are
 * invalid.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  checkDense(o);
  checkSettings(o);
  const { tf } = await loadTf();
  const model = toTfModel(tf, o.spec, o.params);
  try {
    const { onCheckpoint } = o;
    const res = await trainModel({
      ...o,
      model,
      onCheckpoint: onCheckpoint && ((step, m, l) => onCheckpoint(step, fromTfModel(m).params, l)),
    });
    return {
      params: fromTfModel(model).params,
      losses: res.losses,
      backend: res.backend,
      divergedAt: res.divergedAt,
      stoppedAt: res.stoppedAt,
    };
  } finally {
    model.dispose();
  }
}

/**
 * The same training in float64 on the curvature engine's exact gradient (no tfjs): for small deep
 * networks where tfjs's per-kernel overhead dominates (measured: depth 8, width 50, 200 samples,
 * 2.9 ms per step against 7.9 ms in tfjs wasm), and where the trajectory itself should be exact.
 * The recorded loss includes the L2 penalty, as in `train`.
 */
export async function trainFloat64(o: TrainOptions): Promise<TrainResult> {
  checkDense(o);
  const { loss, optName } = checkSettings(o);
  const params = o.params.slice();
  const opt = new Float64Optimizer(
    optName,
    o.lr,
    [params.length],
    o.weightDecay ?? 0,
    o.decayBiases === false ? [weightMask(o.spec)] : undefined,
  );
  const l2 = optName === "adamw" ? 0 : (o.l2 ?? 0);
  const rows = (M: Matrix, idx: number[]) => {
    const out = new Matrix(idx.length, M.cols);
    idx.forEach((r, i) => out.data.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), i * M.cols));
    return out;
  };
  const { losses, divergedAt, stoppedAt } = await runSchedule(
    o,
    (batch) => {
      const X = batch ? rows(o.X, batch) : o.X;
      const Y = batch ? rows(o.Y, batch) : o.Y;
      let value: number;
      let gradient: Float64Array;
      try {
        ({ loss: value, gradient } = lossAndGradient({ spec: o.spec, params, X, Y, loss }));
      } catch (err) {
        // a diverging run overflows its activations, which the engine's finiteness checks refuse
        if ((err instanceof LinalgError && /non-finite/.test(err.message)) || !params.every(Number.isFinite))
          return NaN;
        throw err;
      }
      if (!Number.isFinite(value)) return NaN;
      let penalty = 0;
      if (l2) {
        for (let i = 0; i < params.length; i++) {
          gradient[i] += l2 * params[i];
          penalty += params[i] * params[i];
        }
      }
      opt.step([params], [gradient]);
      return value + 0.5 * l2 * penalty;
    },
    async (step, last) => {
      if (!params.every(Number.isFinite)) return "diverged";
      return o.onCheckpoint?.(step, params.slice(), last);
    },
    {
      // the whole state of the loop, for checkpoints inside a queue job (parallel/resume.ts)
      save: () => ({ params: params.slice(), opt: opt.save() }),
      restore: (state) => {
        const s = state as { params: Float64Array; opt: ReturnType<Float64Optimizer["save"]> };
        if (s.params.length !== params.length)
          throw new Error("training: a checkpoint of another network cannot be restored");
        params.set(s.params);
        opt.restore(s.opt);
      },
    },
  );
  return { params, losses, backend: "float64", divergedAt, stoppedAt };
}

/**
 * The training loop for any tfjs model (the model is trained in place and not disposed):
 * seeded mini-batch order, the loss of `loss`, SGD / Adam / AdamW, optional L2, checkpoints.
 */
export async function trainModel(
  o: ModelTrainOptions,
): Promise<{ losses: { step: number; loss: number }[]; backend: string; divergedAt?: number; stoppedAt?: number }> {
  const { loss, optName } = checkSettings(o);
  const { tf, backend } = await loadTf();
  const model = o.model;
  const inShape = model.inputs[0].shape.slice(1) as number[];
  const width = inShape.reduce((a, b) => a * b, 1);
  if (o.X.cols !== width)
    throw new Error(
      `train: the model takes inputs of shape [${inShape}] (${width} numbers), but X is ${o.X.rows}×${o.X.cols}`,
    );
  const outWidth = (model.outputs[0].shape as number[])[1];
  if (o.Y.cols !== outWidth)
    throw new Error(`train: the model has ${outWidth} outputs, but Y is ${o.Y.rows}×${o.Y.cols}`);
  const N = o.X.rows;
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tfType.Variable }).val);
  // tfjs's default ε is its backend epsilon (1e-7), not Adam's 1e-8
  const optimizer = optName === "sgd" ? tf.train.sgd(o.lr) : tf.train.adam(o.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
  const Xt = tf.tensor(Float32Array.from(o.X.data), [N, ...inShape]);
  const Yt = tf.tensor2d(Float32Array.from(o.Y.data), [N, o.Y.cols]);
  const finite = () => tf.tidy(() => vars.every((v) => tf.all(tf.isFinite(v)).dataSync()[0] === 1));
  try {
    const { losses, divergedAt, stoppedAt } = await runSchedule(
      o,
      async (batch, wantLoss) => {
        const idx = batch ? tf.tensor1d(Int32Array.from(batch), "int32") : undefined;
        const value = tf.tidy((): tfType.Scalar => {
          const xb = idx ? tf.gather(Xt, idx) : Xt;
          const yb = idx ? tf.gather(Yt, idx) : Yt;
          const cost = optimizer.minimize(
            () => {
              let l = lossTensor(tf, loss, model.apply(xb, { training: true }) as tfType.Tensor, yb);
              if (o.l2 && optName !== "adamw")
                l = tf.add(l, tf.mul(0.5 * o.l2, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) as tfType.Scalar;
              return l;
            },
            true,
            vars,
          );
          if (optName === "adamw" && o.weightDecay)
            for (const v of vars)
              if (o.decayBiases !== false || v.shape.length > 1) v.assign(tf.sub(v, tf.mul(o.lr * o.weightDecay, v)));
          return cost as tfType.Scalar;
        });
        idx?.dispose();
        const out = wantLoss ? (await value.data())[0] : undefined;
        value.dispose();
        return out;
      },
      async (step, last) => {
        if (!finite()) return "diverged";
        return o.onCheckpoint?.(step, model, last);
      },
      // every weight of the model (the trained ones and any others) and the optimiser's state
      tfTrainingState(
        tf,
        model.weights.map((w) => (w as unknown as { val: tfType.Variable }).val),
        optimizer,
      ),
    );
    return { losses, backend, divergedAt, stoppedAt };
  } finally {
    Xt.dispose();
    Yt.dispose();
    optimizer.dispose();
  }
}

/** n integer steps from 0 to `steps`, spaced evenly in log(1 + step). */
export function logSpacedSteps(steps: number, n: number): number[] {
  const out = new Set<number>([0, steps]);
  for (let i = 1; i < n - 1; i++) out.add(Math.round(Math.expm1((Math.log1p(steps) * i) / (n - 1))));
  return Array.from(out).sort((a, b) => a - b);
}
