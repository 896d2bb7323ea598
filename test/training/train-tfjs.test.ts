/**
 * The tfjs training loop (`train`, `trainModel`) against the float64 loop, which its own tests hold to the written-out
 * formulas: the same steps to float32 rounding for SGD with an L2 penalty, Adam with a weight decay it must ignore,
 * AdamW decaying everything and AdamW decaying the weights only; refusals of data that does not fit the model; and
 * the caller's parameters untouched.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { toTfModel } from "../../src/nets/tfjs";
import { loadTf } from "../../src/backend";
import { Rng } from "../../src/util/random";
import { train, trainFloat64, trainModel, weightMask, TrainOptions } from "../../src/training";

const spec: nets.NetSpec = { sizes: [3, 4, 2], activation: "tanh", bias: true };
const N = 6;
const rng = new Rng(5);
const X = new Matrix(N, 3, rng.normals(N * 3));
const Y = new Matrix(N, 2, rng.normals(N * 2));
const params = nets.initParams(spec, { seed: 2 });

function maxRel(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

describe("the tfjs training loop against the float64 loop", () => {
  const cases: [string, Partial<TrainOptions>][] = [
    ["sgd with l2", { optimizer: "sgd", lr: 0.2, l2: 0.5 }],
    ["adam ignores weightDecay, applies l2", { optimizer: "adam", lr: 0.05, weightDecay: 0.5, l2: 0.3 }],
    ["adamw decays everything, ignores l2", { optimizer: "adamw", lr: 0.05, weightDecay: 0.5, l2: 0.3 }],
    ["adamw with decayBiases false", { optimizer: "adamw", lr: 0.05, weightDecay: 0.5, decayBiases: false }],
  ];
  for (const [name, o] of cases)
    it(`${name}: three steps match the float64 loop to float32 rounding`, async () => {
      const opts: TrainOptions = { spec, params, X, Y, steps: 3, batchSize: 4, seed: 1, lr: 0.1, ...o };
      const tf32 = await train(opts);
      const f64 = await trainFloat64(opts);
      const moved = maxRel(f64.params, params);
      assert.ok(moved > 1e-3, `the steps move the parameters (${moved})`);
      const err = maxRel(tf32.params, f64.params);
      assert.ok(err < 2e-6, `${name}: tfjs vs float64 ${err}`);
      // the recorded losses (with the L2 term where it applies) agree too
      assert.deepEqual(
        tf32.losses.map((l) => l.step),
        f64.losses.map((l) => l.step),
      );
      tf32.losses.forEach((l, i) =>
        assert.ok(Math.abs(l.loss - f64.losses[i].loss) < 1e-5 * Math.abs(f64.losses[i].loss), `loss at ${l.step}`),
      );
      assert.deepEqual(params, nets.initParams(spec, { seed: 2 }), "the caller's parameters are not changed");
    });

  it("each variant changes the result: the decay and the penalty are applied where they belong", async () => {
    // one step: the updates of the weights and of the biases do not depend on each other yet
    const base: TrainOptions = { spec, params, X, Y, steps: 1, lr: 0.05, optimizer: "adamw" };
    const run = async (o: Partial<TrainOptions>) => (await train({ ...base, ...o })).params;
    const plain = await run({ weightDecay: 0 });
    const all = await run({ weightDecay: 0.5 });
    const weights = await run({ weightDecay: 0.5, decayBiases: false });
    assert.ok(maxRel(all, plain) > 1e-3, "decay acts");
    // weightMask: 1 on the weights (12 + 8 of them), 0 on the biases (4 + 2); with decayBiases false the biases are
    // as without any decay, the weights as with it
    const mask = weightMask(spec);
    assert.deepEqual([mask.length, mask.reduce((a, b) => a + b, 0)], [26, 20]);
    for (let i = 0; i < mask.length; i++) {
      const ref = mask[i] ? all[i] : plain[i];
      assert.ok(Math.abs(weights[i] - ref) < 1e-6 * Math.max(1, Math.abs(ref)), `entry ${i} (mask ${mask[i]})`);
    }
    // l2 with AdamW is ignored; with Adam it acts
    assert.deepEqual(await run({ weightDecay: 0, l2: 0.7 }), plain);
    const adam = async (l2: number) => (await train({ ...base, optimizer: "adam", l2 })).params;
    assert.ok(maxRel(await adam(0.7), await adam(0)) > 1e-3, "l2 acts on Adam");
  });

  it("trainModel refuses data that does not fit the model, naming both shapes", async () => {
    const { tf } = await loadTf();
    const model = toTfModel(tf, spec, params);
    try {
      await assert.rejects(
        trainModel({ model, X: new Matrix(N, 5), Y, lr: 0.1, steps: 1 }),
        /^Error: train: the model takes inputs of shape \[3\] \(3 numbers\), but X is 6×5$/,
      );
      await assert.rejects(
        trainModel({ model, X, Y: new Matrix(N, 3), lr: 0.1, steps: 1 }),
        /^Error: train: the model has 2 outputs, but Y is 6×3$/,
      );
    } finally {
      model.dispose();
    }
  });

  it("a diverging tfjs run stops at the first non-finite loss; a checkpoint after non-finite weights says diverged", async () => {
    const res = await train({ spec, params, X, Y, optimizer: "sgd", lr: 1e30, steps: 20 });
    assert.ok(res.divergedAt !== undefined && res.divergedAt <= 20, `divergedAt ${res.divergedAt}`);
    assert.ok(!Number.isFinite(res.losses.at(-1)!.loss));
    // a checkpoint at every step: training stops no later than the step the weights stop being finite
    let calls = 0;
    const res2 = await train({
      spec,
      params,
      X,
      Y,
      optimizer: "sgd",
      lr: 1e30,
      steps: 20,
      checkpoints: Array.from({ length: 21 }, (_, i) => i),
      onCheckpoint: () => void calls++,
    });
    assert.equal(res2.divergedAt, res.divergedAt);
    assert.ok(calls <= res.divergedAt!, "no checkpoint callback after divergence");
  });
});
