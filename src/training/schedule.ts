/**
 * The schedule every training loop shares (tfjs, the float64 engine, the native dense loop): settings,
 * seeded mini-batch order, loss records, checkpoints, divergence, progress.
 */
import type { Matrix } from "../linalg";
import type { LossName } from "../nets/losses";
import { Rng } from "../util/random";
import { Progress } from "../progress";
import { loopCheckpoints, Resumable, ScheduleSnapshot } from "../parallel/resume";

/** The optimisers every training loop accepts. */
export const OPTIMIZERS = ["sgd", "adam", "adamw"] as const;
/** "sgd", "adam" or "adamw" (Adam with decoupled weight decay); Adam uses β₁ 0.9, β₂ 0.999, ε 1e-8. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The settings every training loop shares (data, loss, optimiser, schedule); `lr` and `steps` are required. */
export interface TrainSettings {
  /** inputs, N×d */
  X: Matrix;
  /** targets, N×K */
  Y: Matrix;
  /** default "mse" */
  loss?: LossName;
  /** default "adam" */
  optimizer?: OptimizerName;
  /** learning rate, > 0 */
  lr: number;
  /** decoupled weight decay for "adamw" */
  weightDecay?: number;
  /**
   * "adamw": whether the biases decay too (default true). false decays the weights only, as the two parameter groups
   * of Patel's code (`bias_decay = False`); dense networks only.
   */
  decayBiases?: boolean;
  /** L2 penalty (λ/2)‖θ‖² added to the loss for "sgd" and "adam" */
  l2?: number;
  /** mini-batch size (default: the whole set) */
  batchSize?: number;
  /** number of optimiser updates (integer ≥ 0) */
  steps: number;
  /** seed of the mini-batch order (default 0) */
  seed?: number;
  /** steps (0..steps) at which `onCheckpoint` is called */
  checkpoints?: number[];
  /**
   * what `onCheckpoint` has recorded so far (metrics, chosen steps), saved and restored with the loop's state: with
   * it, a run with `checkpoints` inside a queue job saves its whole state at intervals and a lost one resumes from
   * there (parallel/resume.ts); without it, such a run is recomputed from step 0. `save` returns the records as plain
   * data (V8-serialisable), `restore` puts saved ones back (before training resumes)
   */
  records?: Resumable;
  /** label for the progress display (none when omitted) */
  progress?: string;
}

/** What a training loop returns. */
export interface TrainResult {
  /** the final parameters, float64 (rankscope layout) */
  params: Float64Array;
  /** (step, mean training loss on the last mini-batch) every `record` steps */
  losses: { step: number; loss: number }[];
  /** which engine ran, e.g. "float64", a tfjs backend name, or "native float64 (OpenBLAS dgemm)" */
  backend: string;
  /** the step at which the loss or the parameters stopped being finite; training stopped there */
  divergedAt?: number;
  /** the checkpoint at which `onCheckpoint` answered "stop" (training ended there, before `steps`) */
  stoppedAt?: number;
}

/** What a checkpoint callback may answer: "stop" ends training at this step (e.g. a target reached). */
export type CheckpointAnswer = void | "stop";

/**
 * What a schedule's checkpoint call may answer: "diverged" stops training (non-finite parameters), "stop"
 * ends it at this checkpoint (the caller's callback asked to).
 */
export type EmitAnswer = void | "diverged" | "stop";

/**
 * The schedule every training loop shares: seeded mini-batch order (a fresh permutation whenever the
 * current one runs out), the loss recorded every steps/200 steps and at checkpoints, checkpoint calls,
 * progress. `step` makes one optimiser update on the batch (null = the whole set) and returns the
 * loss when `wantLoss`. Training stops at the first non-finite recorded loss, or when a checkpoint call
 * answers "diverged" (non-finite parameters) or "stop", and says at which step. `loop` (the loop's parameters and
 * optimiser state) lets a run inside a queue job checkpoint and resume (parallel/resume.ts); a run with checkpoint
 * calls does so only with its caller's `records` besides.
 */
export async function runSchedule(
  o: TrainSettings,
  step: (batch: number[] | null, wantLoss: boolean) => number | undefined | Promise<number | undefined>,
  emit: (step: number, lastLoss: number) => EmitAnswer | Promise<EmitAnswer>,
  loop?: Resumable,
): Promise<{ losses: { step: number; loss: number }[]; divergedAt?: number; stoppedAt?: number }> {
  // inside a queue job (parallel/resume.ts): checkpoints of the whole state at intervals, and a resume from the last
  // one; only when the loop can save its state, and the caller's records too when it has checkpoint callbacks
  const cp = loopCheckpoints<ScheduleSnapshot>(!!loop && (!(o.checkpoints ?? []).length || !!o.records));
  const saved = cp?.saved;
  if (saved) {
    await loop!.restore(saved.loop);
    if (o.records) await o.records.restore(saved.records);
  }
  if (saved?.final) {
    // finished in an earlier attempt (its worker died after the loop): said in the log, then skipped
    cp!.resumed();
    return saved.final;
  }
  const N = o.X.rows;
  const B = Math.min(o.batchSize ?? N, N);
  const rng = new Rng(o.seed ?? 0);
  const checkpoints = new Set(o.checkpoints ?? []);
  const losses: { step: number; loss: number }[] = [];
  const record = Math.max(1, Math.floor(o.steps / 200));
  let order = rng.permutation(N);
  let cursor = 0;
  let last = NaN;
  let start = 1;
  if (saved) {
    rng.setState(saved.rng);
    order = saved.order.slice();
    cursor = saved.cursor;
    last = saved.last;
    losses.push(...saved.losses);
    start = saved.step + 1;
    cp!.resumed();
  }
  const snapshot = async (s: number): Promise<ScheduleSnapshot> => ({
    step: s,
    rng: rng.getState(),
    order: order.slice(),
    cursor,
    last,
    losses: losses.slice(),
    loop: await loop!.save(),
    ...(o.records ? { records: await o.records.save() } : {}),
  });
  const bar = o.progress ? new Progress(o.progress, o.steps) : undefined;
  if (start > 1) bar?.set(start - 1);
  const run = async (): Promise<{
    losses: { step: number; loss: number }[];
    divergedAt?: number;
    stoppedAt?: number;
  }> => {
    const answer = async (s: number) => {
      const a = await emit(s, last);
      return a === "diverged" ? { losses, divergedAt: s } : a === "stop" ? { losses, stoppedAt: s } : undefined;
    };
    if (checkpoints.has(0) && start === 1) {
      const end = await answer(0);
      if (end) return end;
    }
    for (let s = start; s <= o.steps; s++) {
      if (cursor + B > N) {
        order = rng.permutation(N);
        cursor = 0;
      }
      const batch = B === N ? null : order.slice(cursor, cursor + B);
      cursor += B;
      const want = s % record === 0 || s === o.steps || checkpoints.has(s);
      const value = await step(batch, want);
      if (want || (value !== undefined && !Number.isFinite(value))) {
        last = value as number;
        losses.push({ step: s, loss: last });
        if (!Number.isFinite(last)) return { losses, divergedAt: s };
      }
      if (checkpoints.has(s)) {
        const end = await answer(s);
        if (end) return end;
      }
      bar?.tick();
      if (cp && s < o.steps && cp.due()) await cp.save(snapshot(s));
    }
    return { losses };
  };
  try {
    const result = await run();
    // the finished schedule's final state: a task resumed later skips it
    if (cp) await cp.save({ ...(await snapshot(o.steps)), final: result });
    return result;
  } finally {
    bar?.finish();
  }
}
