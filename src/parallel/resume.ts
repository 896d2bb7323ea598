/**
 * Checkpoints inside one task: a long training run saves its whole state (step, parameters, optimiser moments,
 * mini-batch order and generator, loss record, and what its caller has recorded so far) at intervals, so a task whose
 * process dies resumes from its last checkpoint (on another machine, through the job queue of `src/queue`) instead of
 * from zero, and ends exactly where an uninterrupted run ends (the state is restored bit for bit). A task's training
 * loops are numbered in the order it starts them; a loop that finished leaves a final snapshot, so a resumed task
 * skips it.
 *
 * Only a task run with a `TaskProgress` (a queue worker sets one) checkpoints. Every loop takes its checkpoints through
 * `LoopCheckpoints` (`loopCheckpoints()`): the shared training schedule (training/schedule.ts) for the native, float64
 * and tfjs loops, and loops of their own (local-rank's image VIB). A schedule whose caller records something at its
 * checkpoint steps (`onCheckpoint`: metrics, a chosen step) checkpoints only when the caller hands its records over
 * too (`records` of the training settings, a `Resumable`): a snapshot without them could not resume the caller, so
 * such a run is recomputed from its start when lost.
 */

/** What every loop's snapshot holds: the last step taken; once the loop finished, what it returned. */
export interface LoopSnapshot {
  /** the last step taken */
  step: number;
  /** set when the loop finished: what it returned (a resumed task skips the loop) */
  final?: unknown;
}

/** What a training schedule saves: where it is, its loop's state (parameters, optimiser moments), its caller's. */
export interface ScheduleSnapshot extends LoopSnapshot {
  rng: { a: number; b: number; c: number; d: number; spare: number | null };
  order: number[];
  cursor: number;
  last: number;
  losses: { step: number; loss: number }[];
  /** the loop's own state (see `Resumable`) */
  loop: unknown;
  /** the caller's records (the `records` of the training settings), when it has checkpoints */
  records?: unknown;
  final?: { losses: { step: number; loss: number }[]; divergedAt?: number; stoppedAt?: number };
}

/**
 * A piece of state a checkpoint carries (a training loop's parameters and moments, the records its caller keeps):
 * `save` returns it as plain data (numbers, strings, arrays, typed arrays, plain objects: V8-serialisable; it may
 * share the live objects, a snapshot is serialised before the run goes on), `restore` puts a saved one back.
 */
export interface Resumable {
  save(): unknown | Promise<unknown>;
  restore(state: unknown): void | Promise<void>;
}

/** The checkpoint store of the task being run, and when to checkpoint. */
export interface TaskProgress {
  /** the snapshot of the task's loop number `index`, if one was saved */
  restore(index: number): LoopSnapshot | undefined;
  /** stores the snapshot of loop `index` (serialised before it returns: the snapshot may share live objects) */
  save(index: number, snapshot: LoopSnapshot): void;
  /** milliseconds between checkpoints */
  everyMs: number;
  /** true once the task is asked to stop: the running loop checkpoints and throws `TaskStopped` */
  stopRequested(): boolean;
  /** called once when a loop resumes from a checkpoint (for the log) */
  resumed?(index: number, step: number): void;
}

/** Thrown by a loop that checkpointed because its task was asked to stop. */
export class TaskStopped extends Error {
  constructor(readonly step: number) {
    super(`stopped at step ${step} after a checkpoint`);
    this.name = "TaskStopped";
  }
}

// one task runs at a time on a thread (a queue worker's thread), so a module-level slot is enough
let current: { progress: TaskProgress; next: number } | undefined;

/** Runs `fn` (one task) with `progress` as its checkpoint store. */
export async function withTaskProgress<T>(progress: TaskProgress, fn: () => Promise<T>): Promise<T> {
  if (current) throw new Error("withTaskProgress: a task is already running on this thread");
  current = { progress, next: 0 };
  try {
    return await fn();
  } finally {
    current = undefined;
  }
}

/**
 * The checkpoints of one loop of the running task: where it resumes (`saved`), when to save (`due`), saving.
 *
 *     const cp = loopCheckpoints<MySnapshot>(true);
 *     if (cp?.saved?.final) { restore(cp.saved); return cp.saved.final; }   // finished in an earlier attempt
 *     if (cp?.saved) { restore(cp.saved); start = cp.saved.step + 1; cp.resumed(); }
 *     for (let s = start; s <= steps; s++) { step(s); if (s < steps && cp?.due()) await cp.save(snapshot(s)); }
 *     await cp?.save({ ...snapshot(steps), final: result });
 */
export class LoopCheckpoints<S extends LoopSnapshot> {
  /** the snapshot this loop resumes from, when an earlier attempt of the task saved one */
  readonly saved: S | undefined;
  private lastSave = Date.now();
  private stop = false;

  constructor(
    private readonly progress: TaskProgress,
    readonly index: number,
  ) {
    this.saved = progress.restore(index) as S | undefined;
  }

  /** Says (in the worker's log) that the loop resumes from `saved`. */
  resumed(): void {
    if (this.saved) this.progress.resumed?.(this.index, this.saved.step);
  }

  /** True when a snapshot is due after the step just taken: the interval has passed, or the task is asked to stop. */
  due(): boolean {
    this.stop = this.progress.stopRequested();
    return this.stop || Date.now() - this.lastSave >= this.progress.everyMs;
  }

  /**
   * Saves `snapshot` (its step: the last step taken; with `final`, the loop's end); when the task was asked to stop,
   * then throws `TaskStopped` (the worker puts the task back into the queue).
   */
  async save(snapshot: S | Promise<S>): Promise<void> {
    const s = await snapshot;
    this.progress.save(this.index, s);
    this.lastSave = Date.now();
    if (this.stop && s.final === undefined) throw new TaskStopped(s.step);
  }
}

/**
 * The checkpoints of the running task's next loop, or undefined outside a task run with a `TaskProgress` or when
 * `resumable` is false (the loop cannot save its whole state). Every loop that might checkpoint calls this once when
 * it starts, whether it can or not, so the loops of a task are numbered alike in every attempt.
 */
export function loopCheckpoints<S extends LoopSnapshot>(resumable = true): LoopCheckpoints<S> | undefined {
  if (!current) return undefined;
  const index = current.next++;
  return resumable ? new LoopCheckpoints<S>(current.progress, index) : undefined;
}
