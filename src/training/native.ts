/**
 * What the native training loops share: the addon's in-place BLAS and element-wise entry points, and
 * the optimiser loop that runs a stepper (dense.ts, conv.ts) through the shared schedule (schedule.ts):
 * SGD / Adam / AdamW on the addon, the L2 penalty, the finiteness check at checkpoints.
 */
import { kernels } from "../linalg/kernels";
import { ADAM } from "./optimizers";
import { runSchedule, TrainSettings, OptimizerName, CheckpointAnswer } from "./schedule";

/** A parameter or activation buffer in the training precision. */
export type Arr = Float64Array | Float32Array;

/** The addon's in-place kernels the native loops call (float64 or float32 buffers, all of one type per call). */
export interface NativeBlas {
  gemmInto(
    C: Arr,
    A: Arr,
    m: number,
    k: number,
    transA: boolean,
    B: Arr,
    n: number,
    transB: boolean,
    alpha: number,
    beta: number,
  ): void;
  axpy(alpha: number, x: Arr, y: Arr): void;
  /** H = σ(Z), D = σ′(Z); kind: index in NATIVE_ACTIVATIONS of dense.ts */
  activate(kind: number, Z: Arr, H: Arr, D: Arr): void;
  hadamard(G: Arr, D: Arr): void;
  adam(
    p: Arr,
    g: Arr,
    m: Float64Array,
    v: Float64Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
    decay: number,
  ): void;
  /** row i of dst (width d, the training precision) = row rows[i] of src (float64) */
  gatherRows(dst: Arr, src: Float64Array, rows: Int32Array, d: number): void;
  /** Z (rows × c) += b on every row */
  addBias(Z: Arr, b: Arr): void;
  /** g = the column sums of G (rows × c) */
  biasGradient(G: Arr, g: Arr): void;
  /**
   * cols[(b, y, x), (r, s, c)] = X_pad[b, y + r, x + s, c]: the patches of a k×k stride-1 convolution with zero padding
   * `pad` (NHWC)
   */
  im2col(X: Arr, B: number, H: number, W: number, C: number, k: number, pad: number, cols: Arr): void;
  /** the adjoint of im2col: dX (overwritten) = the sum of every patch entry that read it */
  col2im(dcols: Arr, B: number, H: number, W: number, C: number, k: number, pad: number, dX: Arr): void;
  /** 2×2 max-pool, stride 2, floor (NHWC); idx = where in X each maximum came from */
  maxPool2(X: Arr, B: number, H: number, W: number, C: number, Y: Arr, idx: Int32Array): void;
  /** dX = 0, then dX[idx[i]] += dY[i] */
  maxPool2Backward(dY: Arr, idx: Int32Array, dX: Arr): void;
}

const FNS = [
  "gemmInto",
  "axpy",
  "activate",
  "hadamard",
  "adam",
  "gatherRows",
  "addBias",
  "biasGradient",
  "im2col",
  "col2im",
  "maxPool2",
  "maxPool2Backward",
] as const;

/**
 * The addon's in-place BLAS, element-wise and conv entry points, or undefined when only the TypeScript fallback is
 * active
 * (or the addon was built before one of them existed).
 * @internal
 */
export function nativeBlas(): NativeBlas | undefined {
  const k = kernels() as unknown as Partial<NativeBlas> & { name: string };
  return k.name === "lapack" && FNS.every((f) => typeof k[f] === "function") ? (k as NativeBlas) : undefined;
}

/** A network's training state on the native path: parameters and gradient buffers, and one loss-and-gradient pass. */
export interface NativeStepper {
  readonly params: Arr;
  readonly gradient: Arr;
  /** the loss (mean over the rows `batch` of the training set, null = all) and its gradient into `gradient` */
  step(batch: number[] | null): number;
  /** optional: one plain SGD step fused into the backward pass (the loss before it; non-finite → no update) */
  sgdStep?(batch: number[] | null, lr: number): number;
}

/**
 * Runs `st` through the shared schedule with the optimiser `optName` on the addon (Adam's moments in float64 whatever
 * the precision, the update Float64Optimizer's step for step), the L2 penalty when set, and at every checkpoint a
 * finiteness check of the parameters before `checkpoint` is asked.
 * @internal
 */
export function runNative(
  o: TrainSettings,
  optName: OptimizerName,
  st: NativeStepper,
  blas: NativeBlas,
  checkpoint: (step: number, last: number) => CheckpointAnswer | Promise<CheckpointAnswer>,
  decayMask?: Uint8Array,
): ReturnType<typeof runSchedule> {
  if (o.decayBiases === false && !decayMask)
    throw new Error("training: decayBiases false needs the network's parameter layout (dense networks only)");
  const p = st.params;
  const g = st.gradient;
  const moments =
    optName === "sgd" ? undefined : { m: new Float64Array(p.length), v: new Float64Array(p.length), t: 0 };
  const decay = optName === "adamw" ? (o.weightDecay ?? 0) : 0;
  // weights only (decayBiases false): the addon's Adam without decay, then θ ← θ − lr·wd·θ on the masked entries,
  // the same expression the addon applies after its update (so a full mask reproduces the unmasked path exactly)
  const masked = decay > 0 && o.decayBiases === false ? decayMask : undefined;
  const l2 = optName === "adamw" ? 0 : (o.l2 ?? 0);
  const finite = () => {
    for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) return false;
    return true;
  };
  // plain SGD without a penalty: the stepper's fused step when it has one (the same update, rounded as one GEMM)
  const fused = optName === "sgd" && !l2 && st.sgdStep ? st.sgdStep.bind(st) : undefined;
  return runSchedule(
    o,
    (batch) => {
      if (fused) {
        const v = fused(batch, o.lr);
        return Number.isFinite(v) ? v : NaN;
      }
      const value = st.step(batch);
      if (!Number.isFinite(value)) return NaN;
      let penalty = 0;
      if (l2) {
        for (let i = 0; i < p.length; i++) penalty += p[i] * p[i];
        blas.axpy(l2, p, g);
      }
      if (moments) {
        moments.t++;
        blas.adam(
          p,
          g,
          moments.m,
          moments.v,
          o.lr,
          ADAM.beta1,
          ADAM.beta2,
          ADAM.eps,
          1 - ADAM.beta1 ** moments.t,
          1 - ADAM.beta2 ** moments.t,
          masked ? 0 : decay,
        );
        if (masked) for (let i = 0; i < p.length; i++) if (masked[i]) p[i] = p[i] - o.lr * decay * p[i];
      } else blas.axpy(-o.lr, g, p);
      return value + 0.5 * l2 * penalty;
    },
    async (step, last) => {
      if (!finite()) return "diverged";
      return checkpoint(step, last);
    },
    {
      // the whole state of the loop, for checkpoints inside a queue job (parallel/resume.ts)
      save: () => ({ p: p.slice(), m: moments?.m.slice(), v: moments?.v.slice(), t: moments?.t }),
      restore: (state) => {
        const s = state as { p: Arr; m?: Float64Array; v?: Float64Array; t?: number };
        if (s.p.length !== p.length || s.p.constructor !== p.constructor)
          throw new Error("training: a checkpoint of another network or precision cannot be restored");
        p.set(s.p);
        if (moments) {
          moments.m.set(s.m!);
          moments.v.set(s.v!);
          moments.t = s.t!;
        }
      },
    },
  );
}
