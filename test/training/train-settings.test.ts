/**
 * The settings every training loop shares, and the float64 loop's step, against independent references: each refusal
 * with its message before any work (on every entry point: `train`, `trainFloat64`, `trainDense`), one mini-batch SGD
 * step with an L2 penalty against central differences of the batch's loss computed from forward passes alone (the
 * batch read off the seeded permutation), and the log-spaced checkpoint steps worked out by hand.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { Rng } from "../../src/util/random";
import { train, trainFloat64, trainDense, logSpacedSteps, TrainOptions } from "../../src/training";
import { checkSettings } from "../../src/training";

const spec: nets.NetSpec = { sizes: [2, 3, 2], activation: "tanh", bias: true };
const N = 5;
const rng = new Rng(11);
const X = new Matrix(N, 2, rng.normals(N * 2));
const Y = new Matrix(N, 2, rng.normals(N * 2));
const params = nets.initParams(spec, { seed: 4 });
const base: TrainOptions = { spec, params, X, Y, lr: 0.1, steps: 1 };

/** mean over the rows of ½‖f − y‖², from a forward pass */
function batchLoss(th: Float64Array, rows: number[]): number {
  const Xb = new Matrix(rows.length, 2, Float64Array.from(rows.flatMap((r) => [X.get(r, 0), X.get(r, 1)])));
  const F = nets.predict(spec, th, Xb);
  let s = 0;
  rows.forEach((r, i) => {
    for (let k = 0; k < 2; k++) s += 0.5 * (F.get(i, k) - Y.get(r, k)) ** 2;
  });
  return s / rows.length;
}

describe("training settings and the float64 loop", () => {
  it("every entry point refuses bad settings with a message naming the option, before any work", async () => {
    const cases: [Partial<TrainOptions>, RegExp][] = [
      [{ optimizer: "rmsprop" as "sgd" }, /^Error: train: optimizer must be one of sgd, adam, adamw; got "rmsprop"$/],
      [{ lr: 0 }, /train: option lr must be a finite number > 0; got 0/],
      [{ steps: 2.5 }, /train: option steps must be an integer/],
      [{ steps: -1 }, /train: option steps must be an integer/],
      [{ Y: new Matrix(4, 2) }, /train: X has 5 rows but Y has 4/],
      [{ batchSize: 0 }, /train: option batchSize must be/],
      [{ X: new Matrix(5, 3) }, /^Error: train: data must be N×2 and N×2, got 5×3 and 5×2$/],
      [{ Y: new Matrix(5, 1) }, /^Error: train: data must be N×2 and N×2, got 5×2 and 5×1$/],
      [{ params: new Float64Array(4) }, /^Error: train: the spec has 17 parameters, got 4$/],
      [{ loss: "hinge" as "mse" }, /loss/],
      [{ learningRate: 0.1 } as Partial<TrainOptions>, /learningRate/],
    ];
    for (const [bad, re] of cases)
      for (const [name, f] of [
        ["train", train],
        ["trainFloat64", trainFloat64],
        ["trainDense", trainDense],
      ] as const)
        await assert.rejects(
          (f as (o: TrainOptions) => Promise<unknown>)({ ...base, ...bad }),
          re,
          `${name} ${JSON.stringify(Object.keys(bad))}`,
        );
  });

  it("checkSettings: defaults (mse, adam, the whole set) and a batch above N is the whole set", () => {
    assert.deepEqual(checkSettings({ X, Y, lr: 1, steps: 0 }), { loss: "mse", optName: "adam", B: 5 });
    assert.deepEqual(checkSettings({ X, Y, lr: 1, steps: 3, batchSize: 9, optimizer: "sgd", loss: "ce" }), {
      loss: "ce",
      optName: "sgd",
      B: 5,
    });
    assert.deepEqual(checkSettings({ X, Y, lr: 1, steps: 3, batchSize: 1 }).B, 1);
  });

  it("one SGD step on a mini-batch with L2: θ − lr(∇L_batch + l2·θ), the loss recorded with ½·l2·‖θ‖²", async () => {
    const lr = 0.1;
    const l2 = 0.3;
    const res = await trainFloat64({ ...base, optimizer: "sgd", lr, l2, batchSize: 2, steps: 1, seed: 5 });
    // the batch: the first two entries of the seeded permutation
    const rows = new Rng(5).permutation(N).slice(0, 2);
    const h = 1e-5;
    const expected = params.map((t, i) => {
      const up = params.slice();
      const dn = params.slice();
      up[i] += h;
      dn[i] -= h;
      const g = (batchLoss(up, rows) - batchLoss(dn, rows)) / (2 * h);
      return t - lr * (g + l2 * t);
    });
    // central differences: error O(h²·f''') ≈ 1e-10 here, times lr
    for (let i = 0; i < params.length; i++)
      assert.ok(Math.abs(res.params[i] - expected[i]) < 1e-9, `θ[${i}]: ${res.params[i]} vs ${expected[i]}`);
    const norm2 = params.reduce((a, t) => a + t * t, 0);
    assert.equal(res.losses.length, 1);
    assert.equal(res.losses[0].step, 1);
    assert.ok(Math.abs(res.losses[0].loss - (batchLoss(params, rows) + 0.5 * l2 * norm2)) < 1e-13);
    assert.equal(res.backend, "float64");
    // the caller's parameters are not changed
    assert.deepEqual(params, nets.initParams(spec, { seed: 4 }));
    // AdamW ignores l2: its recorded loss is the plain loss
    const w = await trainFloat64({ ...base, optimizer: "adamw", lr, l2, weightDecay: 0, steps: 1 });
    assert.ok(Math.abs(w.losses[0].loss - batchLoss(params, [0, 1, 2, 3, 4])) < 1e-13);
  });

  it("a diverging float64 run stops with divergedAt at the first non-finite loss, and hands back its parameters", async () => {
    const res = await trainFloat64({ ...base, optimizer: "sgd", lr: 1e200, steps: 50 });
    assert.ok(res.divergedAt !== undefined && res.divergedAt >= 1 && res.divergedAt < 50, `at ${res.divergedAt}`);
    assert.equal(res.losses.at(-1)!.step, res.divergedAt);
    assert.ok(!Number.isFinite(res.losses.at(-1)!.loss));
    assert.equal(res.params.length, params.length);
  });

  it("logSpacedSteps: 0, round(e^{i·log(1+T)/(n−1)} − 1) and T, without repeats, ascending", () => {
    // T = 99, n = 3: e^{log(100)/2} − 1 = 9
    assert.deepEqual(logSpacedSteps(99, 3), [0, 9, 99]);
    // T = 999, n = 4: 10^{1} − 1 = 9, 10^{2} − 1 = 99
    assert.deepEqual(logSpacedSteps(999, 4), [0, 9, 99, 999]);
    // few steps: the rounded points repeat and are kept once
    assert.deepEqual(logSpacedSteps(3, 6), [0, 1, 2, 3]);
    assert.deepEqual(logSpacedSteps(10, 2), [0, 10]);
    assert.deepEqual(logSpacedSteps(0, 5), [0]);
  });
});
