/**
 * VGG-style conv-net training on the native BLAS path (nets/vgg.ts's networks, float32 by default):
 * a k×k convolution is im2col + one GEMM (Z = cols · W with W the [k, k, C, C_out] filter read as a
 * (k²C) × C_out matrix), its backward pass two more (∂W = colsᵀ ∂Z, ∂cols = ∂Z Wᵀ, then col2im), and
 * the 2×2 max-pool keeps the index of each maximum for its backward pass; the dense head is
 * DenseStepper's algebra. Every buffer is allocated once per batch size. The schedule, optimisers,
 * checkpoints and divergence handling are the other loops' (native.ts, schedule.ts), so a run follows
 * the tfjs `trainModel` trajectory to float32 rounding (test/training/training-conv.test.ts).
 *
 * Parameters are flat, in tfjs's weight order (`model.getWeights()` of `vggModel`: per conv layer the
 * kernel [k, k, C, C_out] then the bias, per dense layer the kernel [in, out] then the bias), so a tfjs
 * model and this loop exchange them with `vggParams` / `setVggParams`.
 *
 * Without the LAPACK addon `trainConv` runs tfjs `trainModel` and says so in `backend`.
 */
import type * as tfType from "../backend/tf-api";
import { Matrix } from "../linalg";
import { VggSpec, vggFeatureShape, vggModel } from "../nets/vgg";
import { LossName, lossAndResidual } from "../nets/losses";
import { loadTf } from "../backend";
import { TrainResult, TrainSettings, CheckpointAnswer } from "./schedule";
import { Arr, NativeBlas, NativeStepper, nativeBlas, runNative } from "./native";
import { PRECISIONS, Precision } from "./dense";
import { showValue } from "../util/options";

const KERNEL = 3;
const RELU = 1;

type Layer =
  | {
      kind: "conv";
      H: number;
      W: number;
      C: number;
      Co: number;
      Ho: number;
      Wo: number;
      pad: number;
      w: Arr;
      b: Arr;
      gw: Arr;
      gb: Arr;
    }
  | { kind: "pool"; H: number; W: number; C: number; Ho: number; Wo: number }
  | { kind: "dense"; inW: number; outW: number; relu: boolean; w: Arr; b: Arr; gw: Arr; gb: Arr };

/** The trained network a checkpoint receives: its parameters (tfjs's weight order) and its predictions. */
export interface ConvNet {
  /** the parameters as float64, flat in tfjs's weight order (a copy) */
  params64(): Float64Array;
  /** f(x) for every row of X (N × d, NHWC-flattened images), N × K row-major */
  predict(X: Matrix): Float32Array;
  /** Σ_k ‖∇_θ f_k(x_i)‖² for the first m rows of X (the native path; absent on the tfjs fallback) */
  outputGradSqNorms?(X: Matrix, m: number): Float64Array;
}

/** The parameter count of a VGG spec (as `vggModel(...).countParams()`). */
export function vggParamCount(spec: VggSpec): number {
  return vggLayers(spec, new Float64Array(0), new Float64Array(0), false).count;
}

/** The layers of `spec` with views into params / gradient (when `views`), and the parameter count. */
function vggLayers(spec: VggSpec, params: Arr, gradient: Arr, views: boolean): { layers: Layer[]; count: number } {
  const feat = vggFeatureShape(spec);
  const pad = spec.padding ?? 2;
  let [H, W, C] = spec.inputShape;
  let at = 0;
  const take = (n: number) => {
    const v = views ? [params.subarray(at, at + n), gradient.subarray(at, at + n)] : [params, gradient];
    at += n;
    return v;
  };
  const layers: Layer[] = [];
  for (const l of spec.layers) {
    if (l === "M") {
      layers.push({ kind: "pool", H, W, C, Ho: Math.floor(H / 2), Wo: Math.floor(W / 2) });
      H = Math.floor(H / 2);
      W = Math.floor(W / 2);
    } else {
      const Ho = H + 2 * pad - KERNEL + 1;
      const Wo = W + 2 * pad - KERNEL + 1;
      const [w, gw] = take(KERNEL * KERNEL * C * l);
      const [b, gb] = take(l);
      layers.push({ kind: "conv", H, W, C, Co: l, Ho, Wo, pad, w, b, gw, gb });
      [H, W, C] = [Ho, Wo, l];
    }
  }
  let fan = feat.flat;
  const widths = [...spec.hidden, spec.outputs];
  widths.forEach((outW, i) => {
    const [w, gw] = take(fan * outW);
    const [b, gb] = take(outW);
    layers.push({ kind: "dense", inW: fan, outW, relu: i < widths.length - 1, w, b, gw, gb });
    fan = outW;
  });
  return { layers, count: at };
}

/** Each layer's output size per sample. */
const outSize = (l: Layer) =>
  l.kind === "dense" ? l.outW : l.kind === "conv" ? l.Ho * l.Wo * l.Co : l.Ho * l.Wo * l.C;

/**
 * A VGG-style network's training state on the native path: parameters, gradient and every activation buffer
 * allocated once per batch size.
 * @internal
 */
export class ConvStepper implements NativeStepper, ConvNet {
  readonly params: Arr;
  readonly gradient: Arr;
  private readonly layers: Layer[];
  private readonly d: number;
  private readonly K: number;
  private readonly make: (n: number) => Arr;
  private readonly round: (v: number) => number;
  private readonly bufs = new Map<
    number,
    {
      X: Arr;
      rows: Int32Array;
      out: Arr[];
      D: (Arr | undefined)[];
      G: Arr[];
      cols: (Arr | undefined)[];
      idx: (Int32Array | undefined)[];
      F64: Float64Array;
      R64: Float64Array;
      Y64: Float64Array;
    }
  >();
  private data?: { X: Float64Array; Y: Float64Array; N: number };

  constructor(
    readonly spec: VggSpec,
    params: Float64Array | Float32Array,
    readonly loss: LossName,
    readonly precision: Precision,
    private readonly blas: NativeBlas,
  ) {
    this.make = precision === "float64" ? (k) => new Float64Array(k) : (k) => new Float32Array(k);
    this.round = precision === "float64" ? (v) => v : Math.fround;
    const count = vggParamCount(spec);
    if (params.length !== count) throw new Error(`trainConv: the spec has ${count} parameters, got ${params.length}`);
    this.params = this.make(count);
    this.params.set(params);
    this.gradient = this.make(count);
    this.layers = vggLayers(spec, this.params, this.gradient, true).layers;
    this.d = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
    this.K = spec.outputs;
  }

  private buffers(B: number) {
    let b = this.bufs.get(B);
    if (!b) {
      const K = this.K;
      b = {
        X: this.make(B * this.d),
        rows: new Int32Array(B),
        out: [],
        D: [],
        G: [],
        cols: [],
        idx: [],
        F64: new Float64Array(B * K),
        R64: new Float64Array(B * K),
        Y64: new Float64Array(B * K),
      };
      for (const [i, l] of this.layers.entries()) {
        const n = B * outSize(l);
        b.out[i] = this.make(n);
        b.G[i] = this.make(n);
        if (l.kind === "conv") b.cols[i] = this.make(B * l.Ho * l.Wo * KERNEL * KERNEL * l.C);
        if (l.kind === "pool") b.idx[i] = new Int32Array(n);
        if (l.kind === "conv" || (l.kind === "dense" && l.relu)) b.D[i] = this.make(n);
      }
      this.bufs.set(B, b);
    }
    return b;
  }

  /** The forward pass on b.X (B rows); the output is b.out[last]. */
  private forward(B: number, b: ReturnType<ConvStepper["buffers"]>): Arr {
    const { blas } = this;
    let input: Arr = b.X;
    for (const [i, l] of this.layers.entries()) {
      const out = b.out[i];
      if (l.kind === "conv") {
        const cols = b.cols[i]!;
        blas.im2col(input, B, l.H, l.W, l.C, KERNEL, l.pad, cols);
        blas.gemmInto(out, cols, B * l.Ho * l.Wo, KERNEL * KERNEL * l.C, false, l.w, l.Co, false, 1, 0);
        blas.addBias(out, l.b);
        blas.activate(RELU, out, out, b.D[i]!);
      } else if (l.kind === "pool") {
        blas.maxPool2(input, B, l.H, l.W, l.C, out, b.idx[i]!);
      } else {
        blas.gemmInto(out, input, B, l.inW, false, l.w, l.outW, false, 1, 0);
        blas.addBias(out, l.b);
        if (l.relu) blas.activate(RELU, out, out, b.D[i]!);
      }
      input = out;
    }
    return input;
  }

  /** Binds the training set `step` reads (row-major float64, N rows). */
  bind(X: Float64Array, Y: Float64Array, N: number): this {
    if (X.length !== N * this.d || Y.length !== N * this.K)
      throw new Error(`trainConv: data must be N×${this.d} and N×${this.K}`);
    this.data = { X, Y, N };
    return this;
  }

  /**
   * NativeStepper: loss (mean over the rows) and its gradient into `gradient`, on rows `batch` of the bound set (null =
   * all).
   */
  step(batch: number[] | null): number {
    const data = this.data;
    if (!data) throw new Error("ConvStepper.step: no training set bound (call bind first)");
    const { blas, K } = this;
    const B = batch ? batch.length : data.N;
    const b = this.buffers(B);
    this.trained.add(B);
    for (let i = 0; i < B; i++) b.rows[i] = batch ? batch[i] : i;
    blas.gatherRows(b.X, data.X, b.rows, this.d);
    for (let i = 0; i < B; i++) for (let k = 0; k < K; k++) b.Y64[i * K + k] = this.round(data.Y[b.rows[i] * K + k]);
    const F = this.forward(B, b);
    b.F64.set(F);
    const value = lossAndResidual(this.loss, b.F64, b.Y64, B, K, b.R64);
    const GL = b.G[this.layers.length - 1];
    for (let i = 0; i < B * K; i++) GL[i] = b.R64[i] / B;
    this.backward(B, b);
    return value;
  }

  /** The backward pass from the output gradient in b.G[last] (after `forward` on the same rows) into `gradient`. */
  private backward(B: number, b: ReturnType<ConvStepper["buffers"]>): void {
    const { blas } = this;
    const last = this.layers.length - 1;
    for (let i = last; i >= 0; i--) {
      const l = this.layers[i];
      const g = b.G[i];
      const input = i === 0 ? b.X : b.out[i - 1];
      const gIn = i === 0 ? undefined : b.G[i - 1];
      if (l.kind === "pool") {
        blas.maxPool2Backward(g, b.idx[i]!, gIn!);
      } else if (l.kind === "conv") {
        blas.hadamard(g, b.D[i]!);
        const rows = B * l.Ho * l.Wo;
        const cols = b.cols[i]!;
        const kc = KERNEL * KERNEL * l.C;
        blas.gemmInto(l.gw, cols, kc, rows, true, g, l.Co, false, 1, 0);
        blas.biasGradient(g, l.gb);
        if (gIn) {
          // overwrites the layer's im2col buffer: a second backward pass needs a fresh forward pass
          blas.gemmInto(cols, g, rows, l.Co, false, l.w, kc, true, 1, 0);
          blas.col2im(cols, B, l.H, l.W, l.C, KERNEL, l.pad, gIn);
        }
      } else {
        if (l.relu) blas.hadamard(g, b.D[i]!);
        blas.gemmInto(l.gw, input, l.inW, B, true, g, l.outW, false, 1, 0);
        blas.biasGradient(g, l.gb);
        if (gIn) blas.gemmInto(gIn, g, B, l.outW, false, l.w, l.inW, true, 1, 0);
      }
    }
  }

  /**
   * ConvNet: for each of the first `m` rows x_i of X, Σ_k ‖∇_θ f_k(x_i)‖² (the summand of Eq. 3 of Chen et al.), one
   * forward and backward pass per output on the native path, in the training precision, summed in float64 (one row
   * at a time, so a row's value does not depend on the others: where a max-pool window holds two equal maxima the
   * gradient goes to the one the forward pass picked, and a batched product can round the two apart differently).
   * The training gradient is left as it was.
   */
  outputGradSqNorms(X: Matrix, m: number): Float64Array {
    if (X.cols !== this.d) throw new Error(`outputGradSqNorms: rows of ${this.d} numbers expected, got ${X.cols}`);
    if (!(Number.isInteger(m) && m >= 1 && m <= X.rows))
      throw new Error(`outputGradSqNorms: m must be an integer in [1, ${X.rows}], got ${m}`);
    const saved = this.gradient.slice();
    const b = this.buffers(1);
    const GL = b.G[this.layers.length - 1];
    const out = new Float64Array(m);
    try {
      for (let i = 0; i < m; i++) {
        b.rows[0] = i;
        this.blas.gatherRows(b.X, X.data, b.rows, this.d);
        for (let k = 0; k < this.K; k++) {
          this.forward(1, b);
          GL.fill(0);
          GL[k] = 1;
          this.backward(1, b);
          let sq = 0;
          for (let t = 0; t < this.gradient.length; t++) sq += this.gradient[t] * this.gradient[t];
          out[i] += sq;
        }
      }
    } finally {
      this.gradient.set(saved);
      if (!this.trained.has(1)) this.bufs.delete(1);
    }
    return out;
  }

  /** ConvNet: f(x) for every row of X, in chunks of 100 rows. */
  predict(X: Matrix): Float32Array {
    if (X.cols !== this.d) throw new Error(`predict: the network takes rows of ${this.d} numbers, got ${X.cols}`);
    const out = new Float32Array(X.rows * this.K);
    for (let s = 0; s < X.rows; s += 100) {
      const B = Math.min(100, X.rows - s);
      const b = this.buffers(B);
      for (let i = 0; i < B; i++) b.rows[i] = s + i;
      this.blas.gatherRows(b.X, X.data, b.rows, this.d);
      out.set(this.forward(B, b), s * this.K);
    }
    // a last partial chunk's buffers are not kept (unless training uses that batch size)
    const rest = X.rows % 100;
    if (rest && !this.trained.has(rest)) this.bufs.delete(rest);
    return out;
  }

  /** the batch sizes `step` has run (their buffers stay) */
  private readonly trained = new Set<number>();

  /** ConvNet: the parameters as float64 (a copy). */
  params64(): Float64Array {
    return Float64Array.from(this.params);
  }
}

/** The parameters of a tfjs VGG model, flat in its weight order, as float64. */
export function vggParams(model: tfType.LayersModel): Float64Array {
  const ws = model.getWeights();
  const out = new Float64Array(ws.reduce((n, w) => n + w.size, 0));
  let at = 0;
  for (const w of ws) {
    out.set(w.dataSync() as Float32Array, at);
    at += w.size;
  }
  return out;
}

/** Writes flat parameters (tfjs's weight order) into a tfjs model of the same architecture. */
export function setVggParams(tf: typeof tfType, model: tfType.LayersModel, params: ArrayLike<number>): void {
  const ws = model.getWeights();
  const total = ws.reduce((n, w) => n + w.size, 0);
  if (params.length !== total) throw new Error(`setVggParams: the model has ${total} parameters, got ${params.length}`);
  let at = 0;
  const next = ws.map((w) => {
    const t = tf.tensor(Float32Array.from(Array.prototype.slice.call(params, at, at + w.size) as number[]), w.shape);
    at += w.size;
    return t;
  });
  model.setWeights(next);
  next.forEach((t) => t.dispose());
}

/** Options of `trainConv`: a VGG spec, its initial parameters and the shared settings. */
export interface ConvTrainOptions extends TrainSettings {
  /** the network (nets/vgg.ts) */
  spec: VggSpec;
  /** initial parameters, flat in tfjs's weight order (`vggParams(vggModel(tf, spec, seed))`) */
  params: Float64Array | Float32Array;
  /** "float32" (default, as tfjs) or "float64" */
  precision?: Precision;
  /**
   * called (and awaited) at every step listed in `checkpoints` with the network (its parameters and predictions) and
   * the
   * last recorded training loss (NaN at step 0); answering "stop" ends training there (`stoppedAt` in the result)
   */
  onCheckpoint?: (step: number, net: ConvNet, trainLoss: number) => CheckpointAnswer | Promise<CheckpointAnswer>;
}

/**
 * Trains a VGG-style conv net on the native BLAS path (float32 by default), with the same schedule, optimisers,
 * checkpoints and result as `trainModel`; `backend` says which path ran (tfjs `trainModel` without the addon).
 */
export async function trainConv(o: ConvTrainOptions): Promise<TrainResult> {
  const precision = o.precision ?? "float32";
  if (!PRECISIONS.includes(precision))
    throw new Error(`trainConv: precision must be one of ${PRECISIONS.join(", ")}; got ${showValue(precision)}`);
  const t = require("./index") as typeof import("./index");
  const { loss, optName } = t.checkSettings(o);
  const d = o.spec.inputShape[0] * o.spec.inputShape[1] * o.spec.inputShape[2];
  if (o.X.cols !== d || o.Y.cols !== o.spec.outputs)
    throw new Error(
      `trainConv: data must be N×${d} and N×${o.spec.outputs}, got ${o.X.rows}×${o.X.cols} and ${o.Y.rows}×${o.Y.cols}`,
    );
  const count = vggParamCount(o.spec);
  if (o.params.length !== count) throw new Error(`trainConv: the spec has ${count} parameters, got ${o.params.length}`);
  const blas = nativeBlas();
  if (!blas) {
    const { tf, backend } = await loadTf();
    const model = vggModel(tf, o.spec, 0);
    try {
      setVggParams(tf, model, o.params);
      const K = o.spec.outputs;
      const net: ConvNet = {
        params64: () => vggParams(model),
        predict: (X) => {
          const y = tf.tidy(
            () => model.predict(tf.tensor(Float32Array.from(X.data), [X.rows, ...o.spec.inputShape])) as tfType.Tensor,
          );
          const F = new Float32Array(X.rows * K);
          F.set(y.dataSync() as Float32Array);
          y.dispose();
          return F;
        },
      };
      const r = await t.trainModel({
        ...o,
        model,
        onCheckpoint: o.onCheckpoint && ((step, _m, last) => o.onCheckpoint!(step, net, last)),
      });
      return {
        params: vggParams(model),
        losses: r.losses,
        backend: `tfjs ${backend} (the LAPACK addon is not loaded, so the native path is unavailable)`,
        divergedAt: r.divergedAt,
        stoppedAt: r.stoppedAt,
      };
    } finally {
      model.dispose();
    }
  }
  const st = new ConvStepper(o.spec, o.params, loss, precision, blas).bind(o.X.data, o.Y.data, o.X.rows);
  const { losses, divergedAt, stoppedAt } = await runNative(o, optName, st, blas, (step, last) =>
    o.onCheckpoint?.(step, st, last),
  );
  return {
    params: st.params64(),
    losses,
    backend: `native ${precision} (OpenBLAS ${precision === "float64" ? "dgemm" : "sgemm"}, im2col)`,
    divergedAt,
    stoppedAt,
  };
}
