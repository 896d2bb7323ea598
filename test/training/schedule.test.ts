/**
 * The schedule every training loop shares (`runSchedule`), driven by a recording fake step, against the schedule
 * written out by hand: the seeded mini-batch order (a fresh permutation when the current one cannot fill a batch), the
 * loss asked for every ⌊steps/200⌋ steps, at the last step and at checkpoints, checkpoint calls (step 0 included) and
 * their "stop"/"diverged" answers, and divergence at a non-finite loss whether or not it was asked for.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { runSchedule, TrainSettings, EmitAnswer } from "../../src/training/schedule";

function settings(N: number, extra: Partial<TrainSettings>): TrainSettings {
  return { X: new Matrix(N, 1), Y: new Matrix(N, 1), lr: 0.1, steps: 10, ...extra };
}

interface Call {
  batch: number[] | null;
  want: boolean;
}

/** Runs the schedule with a step that records its calls and returns `loss(step)`, and an emit that records its calls. */
async function drive(
  o: TrainSettings,
  loss: (s: number) => number | undefined = (s) => 1 / s,
  answer: (s: number) => EmitAnswer = () => undefined,
) {
  const calls: Call[] = [];
  const emits: [number, number][] = [];
  const out = await runSchedule(
    o,
    (batch, want) => {
      calls.push({ batch, want });
      return loss(calls.length);
    },
    (s, last) => {
      emits.push([s, last]);
      return answer(s);
    },
  );
  return { calls, emits, out };
}

describe("runSchedule: the shared training schedule", () => {
  it("mini-batches follow the seeded permutation, drawing a new one when fewer than B indices are left", async () => {
    const N = 5;
    const B = 2;
    const { calls } = await drive(settings(N, { batchSize: B, steps: 6, seed: 3 }));
    // by hand: a permutation p1 from Rng(3) gives batches p1[0..2), p1[2..4); index p1[4] is left (4 + 2 > 5), so
    // the next batch starts a fresh permutation p2 drawn from the same generator, and so on
    const rng = new Rng(3);
    const p1 = rng.permutation(N);
    const p2 = rng.permutation(N);
    const p3 = rng.permutation(N);
    assert.deepEqual(
      calls.map((c) => c.batch),
      [p1.slice(0, 2), p1.slice(2, 4), p2.slice(0, 2), p2.slice(2, 4), p3.slice(0, 2), p3.slice(2, 4)],
    );
    // each batch holds distinct indices in range
    for (const c of calls) assert.ok(c.batch!.every((i) => i >= 0 && i < N) && new Set(c.batch).size === B);
  });

  it("a batch that divides N uses every index once per pass before reshuffling", async () => {
    const { calls } = await drive(settings(6, { batchSize: 3, steps: 4, seed: 1 }));
    const rng = new Rng(1);
    const p1 = rng.permutation(6);
    const p2 = rng.permutation(6);
    assert.deepEqual(
      calls.map((c) => c.batch),
      [p1.slice(0, 3), p1.slice(3, 6), p2.slice(0, 3), p2.slice(3, 6)],
    );
  });

  it("the whole set (no batchSize, or one at or above N) is the null batch; the seed defaults to 0", async () => {
    for (const batchSize of [undefined, 4, 9]) {
      const { calls } = await drive(settings(4, { batchSize, steps: 3 }));
      assert.deepEqual(
        calls.map((c) => c.batch),
        [null, null, null],
        `batchSize ${batchSize}`,
      );
    }
    const a = await drive(settings(7, { batchSize: 2, steps: 3 }));
    const b = await drive(settings(7, { batchSize: 2, steps: 3, seed: 0 }));
    assert.deepEqual(
      a.calls.map((c) => c.batch),
      b.calls.map((c) => c.batch),
    );
    assert.deepEqual(a.calls[0].batch, new Rng(0).permutation(7).slice(0, 2));
  });

  it("the loss is asked for every ⌊steps/200⌋ steps, at the last step and at checkpoints, and recorded then", async () => {
    // steps 1000: every 5th step; the checkpoint 7 adds one
    const { calls, out } = await drive(settings(3, { steps: 1000, checkpoints: [7] }), (s) => s);
    const asked = calls.map((c, i) => (c.want ? i + 1 : 0)).filter((s) => s > 0);
    const expected = [7];
    for (let s = 5; s <= 1000; s += 5) expected.push(s);
    expected.sort((x, y) => x - y);
    assert.deepEqual(asked, expected);
    assert.deepEqual(
      out.losses,
      expected.map((s) => ({ step: s, loss: s })),
    );
    assert.equal(out.divergedAt, undefined);
    assert.equal(out.stoppedAt, undefined);
    // steps 403: ⌊403/200⌋ = 2, so every other step, and the last (odd) one
    const odd = await drive(settings(3, { steps: 403 }), (s) => s);
    const asked2 = odd.calls.map((c, i) => (c.want ? i + 1 : 0)).filter((s) => s > 0);
    assert.equal(asked2.length, 202);
    assert.deepEqual(asked2.slice(0, 3), [2, 4, 6]);
    assert.deepEqual(asked2.slice(-2), [402, 403]);
    // fewer than 400 steps: every step (the interval is at least 1)
    const few = await drive(settings(3, { steps: 7 }), (s) => s);
    assert.ok(few.calls.every((c) => c.want));
    assert.deepEqual(
      few.out.losses.map((l) => l.step),
      [1, 2, 3, 4, 5, 6, 7],
    );
  });

  it("checkpoints are called after their step with the last recorded loss; step 0 before any step", async () => {
    const { calls, emits, out } = await drive(settings(3, { steps: 6, checkpoints: [0, 2, 6, 9] }), (s) => 10 + s);
    assert.equal(calls.length, 6);
    assert.equal(emits.length, 3, "9 is beyond the steps");
    assert.equal(emits[0][0], 0);
    assert.ok(Number.isNaN(emits[0][1]), "no loss before the first step");
    assert.deepEqual(emits.slice(1), [
      [2, 12],
      [6, 16],
    ]);
    assert.deepEqual(out, {
      losses: [1, 2, 3, 4, 5, 6].map((s) => ({ step: s, loss: 10 + s })),
    });
    // no steps: only checkpoint 0
    const none = await drive(settings(3, { steps: 0, checkpoints: [0] }));
    assert.equal(none.calls.length, 0);
    assert.deepEqual(
      none.emits.map((e) => e[0]),
      [0],
    );
    assert.deepEqual(none.out, { losses: [] });
  });

  it('a checkpoint answering "stop" or "diverged" ends training at that step, step 0 included', async () => {
    const stop = await drive(settings(3, { steps: 50, checkpoints: [4, 8] }), undefined, (s) =>
      s === 4 ? "stop" : undefined,
    );
    assert.equal(stop.calls.length, 4);
    assert.deepEqual(
      stop.emits.map((e) => e[0]),
      [4],
      "no call at step 0 unless asked",
    );
    assert.equal(stop.out.stoppedAt, 4);
    assert.equal(stop.out.divergedAt, undefined);
    const div = await drive(settings(3, { steps: 50, checkpoints: [4, 8] }), undefined, (s) =>
      s === 8 ? "diverged" : undefined,
    );
    assert.equal(div.calls.length, 8);
    assert.equal(div.out.divergedAt, 8);
    assert.equal(div.out.stoppedAt, undefined);
    const atZero = await drive(settings(3, { steps: 50, checkpoints: [0] }), undefined, () => "stop");
    assert.equal(atZero.calls.length, 0);
    assert.deepEqual(atZero.out, { losses: [], stoppedAt: 0 });
  });

  it("a non-finite loss stops training at its step, recorded, whether or not the loss was asked for", async () => {
    // steps 1000 ask at multiples of 5; step 3 returns NaN unasked
    const unasked = await drive(settings(3, { steps: 1000 }), (s) => (s === 3 ? NaN : s));
    assert.equal(unasked.calls.length, 3);
    assert.equal(unasked.calls[2].want, false);
    assert.equal(unasked.out.divergedAt, 3);
    assert.equal(unasked.out.losses.length, 1);
    assert.equal(unasked.out.losses[0].step, 3);
    assert.ok(Number.isNaN(unasked.out.losses[0].loss));
    // an asked-for infinite loss
    const asked = await drive(settings(3, { steps: 1000 }), (s) => (s === 10 ? Infinity : s));
    assert.equal(asked.calls.length, 10);
    assert.deepEqual(asked.out, {
      losses: [
        { step: 5, loss: 5 },
        { step: 10, loss: Infinity },
      ],
      divergedAt: 10,
    });
    // an unasked step that returns nothing (the loss was not computed) goes on
    const quiet = await drive(settings(3, { steps: 1000 }), (s) => (s % 5 === 0 ? s : undefined));
    assert.equal(quiet.calls.length, 1000);
    assert.equal(quiet.out.divergedAt, undefined);
    assert.equal(quiet.out.losses.length, 200);
    // a finite unasked loss is not recorded
    const finite = await drive(settings(3, { steps: 1000 }), (s) => s);
    assert.equal(finite.out.losses.length, 200);
    assert.ok(finite.out.losses.every((l) => l.step % 5 === 0));
  });
});
