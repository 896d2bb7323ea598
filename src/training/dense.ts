/**
 * Dense-network training on the native BLAS path: each step is a few GEMMs per layer on
 * pre-allocated buffers (forward Z_l = H_(l−1) W_lᵀ, backward ∂W_l = G_lᵀ H_(l−1) written straight into
 * the gradient, G_(l−1) = (G_l W_l) ⊙ σ′(Z_(l−1))), with no per-sample loops and no per-step
 * allocation. float64 runs on OpenBLAS dgemm, float32 on sgemm; both follow the shared seeded schedule
 * (schedule.ts), so batch order, loss records, checkpoints, divergence and progress are those of
 * `train` (tfjs) and `trainFloat64` (the curvature engine's gradient), and the float64 trajectory is
 * the engine's to rounding.
 *
 * Without the LAPACK addon it falls back to `trainFloat64` (float64) or tfjs `train` (float32) and
 * says so in `backend`.
 */
import { NetSpec, normalizeSpec, layout, LayerSlot, paramCount } from "../nets/spec";
import { Activation, activationFns } from "../nets/activations";
import { LossName, lossAndResidual } from "../nets/losses";
import { TrainResult } from "./schedule";
import { Arr, NativeBlas, NativeStepper, nativeBlas, runNative } from "./native";
import type { TrainOptions } from "./index";
import { showValue } from "../util/options";

export { nativeBlas } from "./native";

/** The precisions `trainDense` trains in. */
export const PRECISIONS = ["float64", "float32"] as const;
/** "float64" (default of `trainDense`) or "float32". */
export type Precision = (typeof PRECISIONS)[number];

/** Activations the addon evaluates itself (the others, e.g. gelu, run in TypeScript). */
const NATIVE_ACTIVATIONS: readonly Activation[] = ["linear", "relu", "leaky-relu", "tanh", "sigmoid"];

/** σ(Z) into H and σ′(Z) into D, element-wise: natively for the common activations, else (gelu) in TypeScript. */
function activate(blas: NativeBlas, act: Activation, Z: Arr, H: Arr, D: Arr): void {
  const kind = NATIVE_ACTIVATIONS.indexOf(act);
  if (kind >= 0) {
    blas.activate(kind, Z, H, D);
    return;
  }
  const f = activationFns[act];
  for (let i = 0; i < Z.length; i++) {
    H[i] = f.f(Z[i]);
    D[i] = f.d1(Z[i]);
  }
}

/**
 * One network's training state on the native path: parameters, gradient and every activation buffer
 * allocated once per batch size.
 * @internal
 */
export class DenseStepper implements NativeStepper {
  readonly params: Arr;
  readonly gradient: Arr;
  private readonly slots: LayerSlot[];
  private readonly acts: Activation[];
  private readonly W: Arr[] = [];
  private readonly gW: Arr[] = [];
  /** per batch size: Z_l, H_l, D_l, G_l views */
  private readonly bufs = new Map<
    number,
    {
      X: Arr;
      rows: Int32Array;
      Z: Arr[];
      H: Arr[];
      D: Arr[];
      G: Arr[];
      F64: Float64Array;
      R64: Float64Array;
      Y64: Float64Array;
    }
  >();
  /** per layer: the bias slice of the parameters and of the gradient (undefined without bias) */
  private readonly b: (Arr | undefined)[] = [];
  private readonly gb: (Arr | undefined)[] = [];
  private readonly make: (n: number) => Arr;
  /** a value as the training precision stores it (targets are kept in float64 for the loss) */
  private readonly round: (v: number) => number;

  constructor(
    readonly spec: NetSpec,
    params: Float64Array,
    readonly loss: LossName,
    readonly precision: Precision,
    private readonly blas: NativeBlas,
  ) {
    const n = normalizeSpec(spec);
    this.acts = n.activation;
    this.slots = layout(spec);
    this.make = precision === "float64" ? (k) => new Float64Array(k) : (k) => new Float32Array(k);
    this.round = precision === "float64" ? (v) => v : Math.fround;
    this.params = precision === "float64" ? params.slice() : Float32Array.from(params);
    this.gradient = this.make(params.length);
    for (const s of this.slots) {
      this.W[s.layer] = this.params.subarray(s.wOffset, s.wOffset + s.rows * s.cols);
      this.gW[s.layer] = this.gradient.subarray(s.wOffset, s.wOffset + s.rows * s.cols);
      if (s.bOffset >= 0) {
        this.b[s.layer] = this.params.subarray(s.bOffset, s.bOffset + s.rows);
        this.gb[s.layer] = this.gradient.subarray(s.bOffset, s.bOffset + s.rows);
      }
    }
  }

  private buffers(B: number) {
    let b = this.bufs.get(B);
    if (!b) {
      const sizes = this.spec.sizes;
      const K = sizes[sizes.length - 1];
      b = {
        X: this.make(B * sizes[0]),
        rows: new Int32Array(B),
        Z: [],
        H: [],
        D: [],
        G: [],
        F64: new Float64Array(B * K),
        R64: new Float64Array(B * K),
        Y64: new Float64Array(B * K),
      };
      for (let l = 1; l < sizes.length; l++) {
        b.Z[l] = this.make(B * sizes[l]);
        b.H[l] = l === sizes.length - 1 ? b.Z[l] : this.make(B * sizes[l]);
        b.D[l] = this.make(B * sizes[l]);
        b.G[l] = this.make(B * sizes[l]);
      }
      this.bufs.set(B, b);
    }
    return b;
  }

  /**
   * Loss (mean over the rows) and its gradient into `this.gradient`, for rows `rows` of X, Y
   * (row-major float64, width d and K); null = all rows.
   */
  lossAndGradient(X: Float64Array, Y: Float64Array, N: number, rows: number[] | null): number {
    return this.pass(X, Y, N, rows);
  }

  /**
   * One plain SGD step θ ← θ − lr·∇L fused into the backward pass: each layer's weight gradient G_lᵀ H_(l−1) is
   * added straight onto W_l by the GEMM (β = 1, α = −lr) once G_(l−1) has been computed from the old W_l, so the
   * gradient is never written out and no separate update pass reads it back (about a fifth of a step on Chen's
   * MLP at batch 20). The loss is that of the parameters before the step; a non-finite loss leaves them untouched.
   * `gradient` then holds only the bias gradients.
   */
  sgdStep(batch: number[] | null, lr: number): number {
    if (!this.data) throw new Error("DenseStepper.sgdStep: no training set bound (call bind first)");
    return this.pass(this.data.X, this.data.Y, this.data.N, batch, lr);
  }

  /**
   * Forward, loss, backward; with `lr` the SGD update is applied in the backward pass instead of writing the gradient.
   */
  private pass(X: Float64Array, Y: Float64Array, N: number, rows: number[] | null, lr?: number): number {
    const sizes = this.spec.sizes;
    const d = sizes[0];
    const K = sizes[sizes.length - 1];
    const L = sizes.length - 1;
    const B = rows ? rows.length : N;
    const b = this.buffers(B);
    if (rows) {
      for (let i = 0; i < B; i++) {
        const r = rows[i];
        b.rows[i] = r;
        for (let k = 0; k < K; k++) b.Y64[i * K + k] = this.round(Y[r * K + k]);
      }
      this.blas.gatherRows(b.X, X, b.rows, d);
    } else {
      b.X.set(X);
      for (let i = 0; i < B * K; i++) b.Y64[i] = this.round(Y[i]);
    }
    const { gemmInto } = this.blas;
    // forward
    for (const s of this.slots) {
      const l = s.layer;
      const Hprev = l === 1 ? b.X : b.H[l - 1];
      const Z = b.Z[l];
      gemmInto(Z, Hprev, B, s.cols, false, this.W[l], s.rows, true, 1, 0);
      const bias = this.b[l];
      if (bias) this.blas.addBias(Z, bias);
      if (l < L) activate(this.blas, this.acts[l - 1], Z, b.H[l], b.D[l]);
    }
    // loss and ∂L/∂f (mean over the batch), in float64
    const F = b.Z[L];
    // the targets are gathered straight into float64; the outputs are copied only when training in float32
    let F64: Float64Array;
    if (F instanceof Float64Array) F64 = F;
    else {
      b.F64.set(F);
      F64 = b.F64;
    }
    const value = lossAndResidual(this.loss, F64, b.Y64, B, K, b.R64);
    if (lr !== undefined && !Number.isFinite(value)) return value;
    const GL = b.G[L];
    for (let i = 0; i < B * K; i++) GL[i] = b.R64[i] / B;
    // backward: G_(l−1) from W_l first, then W_l's gradient (or, fused, its update)
    for (let l = L; l >= 1; l--) {
      const s = this.slots[l - 1];
      const G = b.G[l];
      const Hprev = l === 1 ? b.X : b.H[l - 1];
      if (l > 1) {
        const Gp = b.G[l - 1];
        gemmInto(Gp, G, B, s.rows, false, this.W[l], s.cols, false, 1, 0);
        this.blas.hadamard(Gp, b.D[l - 1]);
      }
      const gb = this.gb[l];
      if (gb) this.blas.biasGradient(G, gb);
      if (lr === undefined) gemmInto(this.gW[l], G, s.rows, B, true, Hprev, s.cols, false, 1, 0);
      else {
        gemmInto(this.W[l], G, s.rows, B, true, Hprev, s.cols, false, -lr, 1);
        if (gb) this.blas.axpy(-lr, gb, this.b[l]!);
      }
    }
    return value;
  }

  /** NativeStepper: the loss and gradient on rows `batch` of the training set given to `bind` */
  step(batch: number[] | null): number {
    if (!this.data) throw new Error("DenseStepper.step: no training set bound (call bind first)");
    return this.lossAndGradient(this.data.X, this.data.Y, this.data.N, batch);
  }

  private data?: { X: Float64Array; Y: Float64Array; N: number };

  /** The training set `step` reads (row-major float64, N rows). */
  bind(X: Float64Array, Y: Float64Array, N: number): this {
    this.data = { X, Y, N };
    return this;
  }

  /** The parameters as float64 (a copy). */
  params64(): Float64Array {
    return this.precision === "float64" ? (this.params as Float64Array).slice() : Float64Array.from(this.params);
  }
}

/** 1 for every weight entry of the flat parameter vector, 0 for the biases (the entries decoupled decay acts on). */
export function weightMask(spec: NetSpec): Uint8Array {
  const mask = new Uint8Array(paramCount(spec));
  for (const s of layout(spec)) mask.fill(1, s.wOffset, s.wOffset + s.rows * s.cols);
  return mask;
}

/**
 * Trains a dense network on the native BLAS path (float64 by default, or float32), with the same
 * options, schedule and result as `train` / `trainFloat64`. `backend` says which path ran.
 */
export async function trainDense(o: TrainOptions & { precision?: Precision }): Promise<TrainResult> {
  const precision = o.precision ?? "float64";
  if (!PRECISIONS.includes(precision))
    throw new Error(`trainDense: precision must be one of ${PRECISIONS.join(", ")}; got ${showValue(precision)}`);
  const blas = nativeBlas();
  const t = require("./index") as typeof import("./index");
  if (!blas) {
    const r = precision === "float64" ? await t.trainFloat64(o) : await t.train(o);
    return { ...r, backend: `${r.backend} (the LAPACK addon is not loaded, so the native path is unavailable)` };
  }
  const { loss, optName } = t.checkTrainOptions(o);
  const st = new DenseStepper(o.spec, o.params, loss, precision, blas).bind(o.X.data, o.Y.data, o.X.rows);
  const { losses, divergedAt, stoppedAt } = await runNative(
    o,
    optName,
    st,
    blas,
    (step, last) => o.onCheckpoint?.(step, st.params64(), last),
    weightMask(o.spec),
  );
  return {
    params: st.params64(),
    losses,
    backend: `native ${precision} (OpenBLAS ${precision === "float64" ? "dgemm" : "sgemm"})`,
    divergedAt,
    stoppedAt,
  };
}
