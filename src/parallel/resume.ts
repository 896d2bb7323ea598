/**
 * Checkpoints inside one task: a long training run saves its whole state (step, parameters, optimiser moments,
 * mini-batch order and generator, loss record) at intervals, so a task whose process dies resumes from its last
 * checkpoint (on another machine, through the job queue of `src/queue`) instead of from zero, and ends exactly where
 * an uninterrupted run ends (the state is restored bit for bit). A task's training schedules are numbered in the
 * order it starts them; a schedule that finished leaves a final snapshot, so a resumed task skips it.
 *
 * Only a task run with a `TaskProgress` (a queue worker sets one) checkpoints; a schedule checkpoints only when its
 * loop can save its state (the native loops) and it has no checkpoint callbacks of its caller (whose side effects a
 * snapshot could not hold): such a run is recomputed from its start when lost.
 */

/** What a training schedule saves: where it is, and its loop's state (parameters, optimiser moments). */
export interface ScheduleSnapshot {
  /** the last step taken */
  step: number;
  rng: { a: number; b: number; c: number; d: number; spare: number | null };
  order: number[];
  cursor: number;
  last: number;
  losses: { step: number; loss: number }[];
  /** the loop's own state (see `ResumableLoop`) */
  loop: unknown;
  /** set when the schedule finished: what it returned */
  final?: { losses: { step: number; loss: number }[]; divergedAt?: number; stoppedAt?: number };
}

/** A training loop's state, for checkpoints inside a task: `save` returns a copy, `restore` puts one back. */
export interface ResumableLoop {
  save(): unknown;
  restore(state: unknown): void;
}

/** The checkpoint store of the task being run, and when to checkpoint. */
export interface TaskProgress {
  /** the snapshot of the task's schedule number `index`, if one was saved */
  restore(index: number): ScheduleSnapshot | undefined;
  save(index: number, snapshot: ScheduleSnapshot): void;
  /** milliseconds between checkpoints */
  everyMs: number;
  /** true once the task is asked to stop: the running schedule checkpoints and throws `TaskStopped` */
  stopRequested(): boolean;
  /** called once when a schedule resumes from a checkpoint (for the log) */
  resumed?(index: number, step: number): void;
}

/** Thrown by a schedule that checkpointed because its task was asked to stop. */
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

/** The running task's checkpoint store and the number of its next schedule, or undefined. */
export function nextSchedule(): { progress: TaskProgress; index: number } | undefined {
  if (!current) return undefined;
  return { progress: current.progress, index: current.next++ };
}
