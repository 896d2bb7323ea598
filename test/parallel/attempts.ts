/**
 * Running a task in attempts, as a queue worker does when it is stopped: shared by the resume tests.
 */
import * as assert from "node:assert/strict";
import { withTaskProgress, LoopSnapshot, TaskStopped } from "../../src/parallel/resume";
import { encodeTask, decodeTask } from "../../src/parallel/checkpoint";

/** A result without its wall time (compared by deepStrictEqual: numbers by Object.is, every bit but a NaN's payload). */
export function timeless(r: object): object {
  const { seconds: _, ...rest } = r as { seconds?: number };
  return rest;
}

export interface Attempts<T> {
  value: T;
  /** per attempt: the step it resumed from (undefined: it started at step 1) and the step it stopped at */
  resumedAt: (number | undefined)[];
  stoppedAt: number[];
}

/**
 * Runs `task` (one training loop) in attempts: attempt i stops once it has taken step `stops[i]` (the task is asked to
 * stop there and checkpoints), the last attempt runs to the end. Between attempts only the checkpoints survive, in
 * the task-store format (checksummed V8 bytes). `first`: the loop's first step (1 for the training schedule).
 */
export async function inAttempts<T>(task: () => Promise<T>, stops: number[], first = 1): Promise<Attempts<T>> {
  const store = new Map<number, Buffer>();
  const resumedAt: (number | undefined)[] = [];
  const stoppedAt: number[] = [];
  for (let i = 0; i <= stops.length; i++) {
    let from: number | undefined;
    let asked = 0;
    const run = withTaskProgress(
      {
        restore: (k) => (store.has(k) ? decodeTask<LoopSnapshot>(`t#${k}`, store.get(k)!) : undefined),
        save: (k, s) => store.set(k, encodeTask(`t#${k}`, s)),
        everyMs: 1e9,
        // asked once after every step but the last: the step just taken is from + asked
        stopRequested: () => i < stops.length && (from ?? first - 1) + ++asked >= stops[i],
        resumed: (_, step) => (from = step),
      },
      task,
    );
    if (i === stops.length) return { value: await run, resumedAt: [...resumedAt, from], stoppedAt };
    await assert.rejects(run, (err: unknown) => {
      assert.ok(err instanceof TaskStopped, String(err));
      stoppedAt.push(err.step);
      return true;
    });
    resumedAt.push(from);
  }
  throw new Error("unreachable");
}

/** The attempts resumed where the ones before them stopped, and the result is the uninterrupted one, bit for bit. */
export function assertResumed<T extends object>(got: Attempts<T>, whole: T, stops: number[]): void {
  assert.deepEqual(got.stoppedAt, stops, "each attempt stopped at its step");
  assert.deepEqual(got.resumedAt, [undefined, ...stops], "each later attempt resumed where the one before stopped");
  assert.deepEqual(timeless(got.value), timeless(whole));
}
