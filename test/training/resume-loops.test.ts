/**
 * The training loops checkpoint and resume inside a task (parallel/resume.ts), fast enough to run once per mutant: the
 * float64, native and tfjs loops with Adam, mini-batches and a caller that records at checkpoints, run in attempts
 * stopped mid-way, end bit for bit where one uninterrupted run ends; a caller without records is not checkpointed;
 * the shared schedule (a recording step) resumes its batch order, loss records and caller records, and a loop that
 * finished in an earlier attempt is not run again. (parallel/resume.test runs the studies' own loops the same way.)
 */
import { describe, it, before } from "node:test";
import * as assert from "node:assert/strict";
import { withTaskProgress, TaskStopped, LoopSnapshot } from "../../src/parallel/resume";
import { encodeTask, decodeTask } from "../../src/parallel/checkpoint";
import { trainDense, trainFloat64, train, TrainOptions } from "../../src/training";
import { runSchedule } from "../../src/training/schedule";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { latentData } from "../../src/data";
import { inAttempts, assertResumed } from "../parallel/attempts";

before(() => {
  process.env.RANKSCOPE_PROGRESS = "0";
});

describe("training loops resumed from checkpoints inside a task", () => {
  for (const engine of ["float64", "native", "tfjs"] as const)
    it(`the ${engine} loop with Adam and mini-batches, recording at checkpoints: resumed, it ends where it would`, async () => {
      const ds = latentData({ n: 50, k: 2, dIn: 5, dOut: 3, seed: 4 });
      const spec: nets.NetSpec = { sizes: [5, 12, 3], activation: "tanh", bias: true };
      const task = async () => {
        const seen: { step: number; norm: number; loss: number }[] = [];
        const o: TrainOptions = {
          spec,
          params: nets.initParams(spec, { seed: 3 }),
          X: ds.X,
          Y: ds.Y,
          optimizer: "adam",
          lr: 0.01,
          batchSize: 8,
          steps: 120,
          seed: 7,
          checkpoints: [0, 10, 50, 90, 120],
          records: { save: () => seen, restore: (s) => void seen.splice(0, seen.length, ...(s as typeof seen)) },
          onCheckpoint: (step, p, loss) => void seen.push({ step, norm: Math.hypot(...p), loss }),
        };
        const r =
          engine === "float64" ? await trainFloat64(o) : engine === "native" ? await trainDense(o) : await train(o);
        return { params: r.params, losses: r.losses, seen };
      };
      const whole = await task();
      assert.equal(whole.seen.length, 5);
      const stops = [30, 101];
      assertResumed(await inAttempts(task, stops), whole, stops);
    });

  it("a run whose caller records at checkpoints but hands no records over is not checkpointed (run again whole)", async () => {
    const ds = latentData({ n: 30, k: 2, dIn: 4, dOut: 2, seed: 1 });
    const spec: nets.NetSpec = { sizes: [4, 6, 2], activation: "tanh", bias: true };
    const saved: number[] = [];
    let asked = 0;
    const o = {
      spec,
      params: nets.initParams(spec, { seed: 1 }),
      X: ds.X,
      Y: ds.Y,
      lr: 0.01,
      steps: 40,
      checkpoints: [0, 20, 40],
      onCheckpoint: () => {},
    };
    const progress = {
      restore: () => undefined,
      save: (k: number) => void saved.push(k),
      everyMs: 0,
      stopRequested: () => (++asked, true),
    };
    await withTaskProgress(progress, () => trainDense(o));
    assert.deepEqual([saved, asked], [[], 0], "no checkpoint, no stop");
    // the same run with records: a checkpoint at its first step, where it is asked to stop
    await assert.rejects(
      withTaskProgress(progress, () => trainDense({ ...o, records: { save: () => null, restore: () => {} } })),
      (err: unknown) => err instanceof TaskStopped && err.step === 1,
    );
    assert.deepEqual([saved, asked], [[0], 1]);
  });

  it("the schedule: batches, losses and the caller's records continue; a loop finished earlier is not run again", async () => {
    const N = 7;
    const settings = { X: new Matrix(N, 1), Y: new Matrix(N, 1), lr: 1, steps: 12, batchSize: 3, seed: 2 };
    const task = async () => {
      // two loops in one task: the first runs 12 steps to the end, the second 12 steps with records at checkpoints
      const calls: string[] = [];
      const loop = (tag: string) => {
        let state = 0;
        return {
          step: (batch: number[] | null) => {
            state += batch!.reduce((a, b) => a + b, 1);
            calls.push(`${tag}:${batch}`);
            return state;
          },
          resumable: { save: () => state, restore: (s: unknown) => void (state = s as number) },
        };
      };
      const a = loop("a");
      const first = await runSchedule(settings, a.step, () => undefined, a.resumable);
      const seen: number[] = [];
      const b = loop("b");
      const second = await runSchedule(
        {
          ...settings,
          seed: 3,
          checkpoints: [4, 8, 12],
          records: { save: () => seen.slice(), restore: (s) => void seen.splice(0, seen.length, ...(s as number[])) },
        },
        b.step,
        (s, last) => void seen.push(s * 1000 + last),
        b.resumable,
      );
      return { first, second, seen, calls };
    };
    const whole = await task();
    assert.equal(whole.calls.length, 24);
    // stop the first attempt in the second loop after its step 6 (asked after steps 1–11 of loop a, then 1–6 of b)
    const store = new Map<number, Buffer>();
    let asked = 0;
    const resumed: [number, number][] = [];
    const progress = (stopAt: number) => ({
      restore: (k: number) => (store.has(k) ? decodeTask<LoopSnapshot>(`t#${k}`, store.get(k)!) : undefined),
      save: (k: number, s: LoopSnapshot) => void store.set(k, encodeTask(`t#${k}`, s)),
      everyMs: 1e9,
      stopRequested: () => ++asked === stopAt,
      resumed: (k: number, step: number) => void resumed.push([k, step]),
    });
    await assert.rejects(
      withTaskProgress(progress(17), task),
      (e: unknown) => e instanceof TaskStopped && e.step === 6,
    );
    const again = await withTaskProgress(progress(-1), task);
    // loop a finished in the first attempt: skipped, its result the saved one; loop b resumed after its step 6
    assert.deepEqual(resumed, [
      [0, 12],
      [1, 6],
    ]);
    assert.deepEqual(again.calls, whole.calls.slice(18), "only loop b's steps 7–12 ran again");
    assert.deepEqual(again.first, whole.first);
    assert.deepEqual(again.second, whole.second);
    assert.deepEqual(again.seen, whole.seen, "the caller's records restored, then continued");
  });
});
