/**
 * The whole state of a tfjs training loop (`tfTrainingState`): a loop stopped after some steps, saved, and restored
 * into a fresh model and optimiser continues exactly as the uninterrupted loop (the parameters bit for bit, Adam's
 * moments and its running β powers included); without the restore it would not; states of another model are refused
 * and optimisers of other kinds are not handled.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nets from "../../src/nets";
import { toTfModel } from "../../src/nets/tfjs";
import { loadTf } from "../../src/backend";
import { tfTrainingState } from "../../src/training/tf-state";
import { Rng } from "../../src/util/random";

const spec: nets.NetSpec = { sizes: [3, 4, 2], activation: "tanh", bias: true };

describe("tfTrainingState: save and restore a tfjs training loop", async () => {
  const { tf } = await loadTf();
  const rng = new Rng(3);
  const X = tf.tensor2d(Float32Array.from(rng.normals(18)), [6, 3]);
  const Y = tf.tensor2d(Float32Array.from(rng.normals(12)), [6, 2]);
  const params = nets.initParams(spec, { seed: 1 });

  type Tf = typeof tf;
  function setup(kind: "adam" | "sgd" | "rmsprop") {
    const model = toTfModel(tf, spec, params);
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: ReturnType<Tf["variable"]> }).val);
    const opt =
      kind === "adam"
        ? tf.train.adam(0.05, 0.9, 0.999, 1e-8)
        : kind === "sgd"
          ? tf.train.sgd(0.05)
          : tf.train.rmsprop(0.05);
    const step = () =>
      tf.tidy(() => {
        opt.minimize(
          () => tf.mean(tf.square(tf.sub(model.apply(X) as ReturnType<Tf["tensor2d"]>, Y))) as ReturnType<Tf["scalar"]>,
          false,
          vars,
        );
      });
    const values = () => vars.map((v) => Array.from(v.dataSync()));
    return { model, vars, opt, step, values };
  }

  for (const kind of ["adam", "sgd"] as const)
    it(`${kind}: a restored loop continues as the uninterrupted one, bit for bit; a fresh one does not`, () => {
      const a = setup(kind);
      for (let s = 0; s < 4; s++) a.step();
      const state = tfTrainingState(tf, a.vars, a.opt);
      assert.ok(state, `${kind} is handled`);
      const saved = state.save();
      for (let s = 0; s < 3; s++) a.step();
      const straight = a.values();

      const b = setup(kind);
      tfTrainingState(tf, b.vars, b.opt)!.restore(saved);
      for (let s = 0; s < 3; s++) b.step();
      assert.deepEqual(b.values(), straight, `${kind}: resumed = uninterrupted`);

      // without the restore: three steps from the initial parameters give other values
      const c = setup(kind);
      for (let s = 0; s < 3; s++) c.step();
      assert.notDeepEqual(c.values(), straight);
      if (kind === "adam") {
        // the parameters alone are not enough: Adam's moments and step count matter
        const d = setup(kind);
        const vals = (saved as { values: Float32Array[] }).values;
        d.vars.forEach((v, i) => v.assign(tf.tensor(vals[i], v.shape)));
        for (let s = 0; s < 3; s++) d.step();
        assert.notDeepEqual(d.values(), straight, "the parameters without the optimiser state part ways");
        const iters = (saved as { iterations: number }).iterations;
        assert.equal(iters, 4, "4 steps taken");
      }
      // restoring into a loop that has taken steps of its own (its moments exist) gives the same
      const e = setup(kind);
      for (let s = 0; s < 2; s++) e.step();
      tfTrainingState(tf, e.vars, e.opt)!.restore(saved);
      for (let s = 0; s < 3; s++) e.step();
      assert.deepEqual(e.values(), straight, `${kind}: restored over a running optimiser`);
      for (const x of [a, b, c, e]) {
        x.model.dispose();
        x.opt.dispose();
      }
    });

  it("a state of another model is refused; an optimiser of another kind is not handled", () => {
    const a = setup("adam");
    a.step();
    const saved = tfTrainingState(tf, a.vars, a.opt)!.save();
    const other = toTfModel(
      tf,
      { sizes: [3, 5, 2], activation: "tanh", bias: true },
      nets.initParams({ sizes: [3, 5, 2], activation: "tanh", bias: true }),
    );
    const vars = other.trainableWeights.map((w) => (w as unknown as { val: ReturnType<Tf["variable"]> }).val);
    const opt = tf.train.adam(0.05);
    assert.throws(
      () => tfTrainingState(tf, vars, opt)!.restore(saved),
      /^Error: training: a checkpoint of another model cannot be restored$/,
    );
    assert.throws(() => tfTrainingState(tf, vars.slice(1), opt)!.restore(saved), /another model/);
    const r = setup("rmsprop");
    assert.equal(tfTrainingState(tf, r.vars, r.opt), undefined);
    for (const m of [a.model, other, r.model]) m.dispose();
  });
});
