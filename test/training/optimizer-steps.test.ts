/**
 * The optimisers' first two steps against their formulas written out with the constants (β₁ = 0.9, β₂ = 0.999,
 * ε = 1e-8): Adam's bias correction at t = 1 and t = 2, AdamW's decoupled decay applied once per step and the L2
 * penalty not applied to AdamW, on every route — `Float64Optimizer`, `trainFloat64`, and the native loop
 * (`runNative`) driven by a TypeScript implementation of the addon's `adam`/`axpy` contract, so these checks hold
 * without the addon; with the addon loaded, the native loop on its real kernels is held to the same formulas.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { Float64Optimizer, ADAM } from "../../src/training/optimizers";
import { trainFloat64 } from "../../src/training";
import { runNative, nativeBlas, NativeBlas, NativeStepper, Arr } from "../../src/training/native";

/** Adam's first two steps on one coordinate, from the formulas with the constants written out; then AdamW's decay. */
function adamByHand(p0: number, g1: number, g2: (p1: number) => number, lr: number, wd: number): [number, number] {
  // t = 1: m = 0.1 g, v = 0.001 g², bias corrections 1 − 0.9 and 1 − 0.999
  const m1 = 0.1 * g1;
  const v1 = 0.001 * g1 * g1;
  const p1 = (p0 - (lr * (m1 / 0.1)) / (Math.sqrt(v1 / 0.001) + 1e-8)) * (1 - lr * wd);
  // t = 2: bias corrections 1 − 0.81 = 0.19 and 1 − 0.998001 = 0.001999
  const g = g2(p1);
  const m2 = 0.9 * m1 + 0.1 * g;
  const v2 = 0.999 * v1 + 0.001 * g * g;
  const p2 = (p1 - (lr * (m2 / 0.19)) / (Math.sqrt(v2 / 0.001999) + 1e-8)) * (1 - lr * wd);
  return [p1, p2];
}

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-14 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe("Float64Optimizer", () => {
  it("Adam and AdamW: two steps equal the written-out formulas (bias correction at t = 1 and 2, decay once)", () => {
    assert.deepEqual({ ...ADAM }, { beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const p0 = [0.7, -1.3, 0.05];
    const g1 = [0.2, -3, 1e-9];
    const g2 = [-0.4, 0.5, 2];
    for (const [name, wd] of [
      ["adam", 0],
      ["adam", 0.3], // weight decay is AdamW's only
      ["adamw", 0.3],
      ["adamw", 0],
    ] as const) {
      const opt = new Float64Optimizer(name, 0.01, [3], wd);
      const p = Float64Array.from(p0);
      opt.step([p], [Float64Array.from(g1)]);
      const after1 = Array.from(p);
      opt.step([p], [Float64Array.from(g2)]);
      const decay = name === "adamw" ? wd : 0;
      p0.forEach((x, i) => {
        const [h1, h2] = adamByHand(x, g1[i], () => g2[i], 0.01, decay);
        close(after1[i], h1, `${name} wd ${wd} step 1 [${i}]`);
        close(p[i], h2, `${name} wd ${wd} step 2 [${i}]`);
      });
    }
    // an explicit learning rate for one step (a schedule) replaces the constructor's
    const sgd = new Float64Optimizer("sgd", 0.1, [2]);
    const q = Float64Array.from([1, 2]);
    sgd.step([q], [Float64Array.from([0.5, -1])], 0.2);
    assert.deepEqual(Array.from(q), [1 - 0.2 * 0.5, 2 + 0.2]);
  });

  it("AdamW's decay mask: decayed entries get Adam then θ(1 − lr·wd), masked ones Adam alone, per block", () => {
    const lr = 0.05;
    const wd = 0.2;
    const opt = new Float64Optimizer("adamw", lr, [2, 2], wd, [Uint8Array.from([1, 0]), undefined]);
    const a = Float64Array.from([0.5, -2]);
    const b = Float64Array.from([3, 0.25]);
    const g = [Float64Array.from([1, -0.5]), Float64Array.from([0.1, 4])];
    opt.step([a, b], g);
    // Adam's first step moves each entry by lr·sign(g) (to within ε): m̂ = g, √v̂ = |g|
    const adam1 = (p: number, gi: number) => p - (lr * gi) / (Math.abs(gi) + 1e-8);
    close(a[0], adam1(0.5, 1) * (1 - lr * wd), "block 0, decayed");
    close(a[1], adam1(-2, -0.5), "block 0, masked: no decay");
    close(b[0], adam1(3, 0.1) * (1 - lr * wd), "block 1 without a mask: decayed");
    close(b[1], adam1(0.25, 4) * (1 - lr * wd), "block 1 without a mask: decayed");
  });

  it("save and restore: a restored optimiser continues as the uninterrupted one; other blocks are refused", () => {
    for (const name of ["adam", "adamw", "sgd"] as const) {
      const grad = (p: Float64Array) => Float64Array.from(p, (x, i) => 2 * x - i + 0.3);
      const straight = new Float64Optimizer(name, 0.03, [3], 0.1);
      const p = Float64Array.from([1, -0.5, 2]);
      for (let s = 0; s < 3; s++) straight.step([p], [grad(p)]);
      const state = straight.save();
      if (name === "sgd") assert.deepEqual([state.m[0].length, state.v[0].length], [0, 0], "SGD keeps no moments");
      else {
        assert.equal(state.t, 3);
        assert.equal(state.m[0].length, 3);
      }
      const q = p.slice();
      const mSaved = state.m.map((a) => a.slice());
      for (let s = 0; s < 4; s++) straight.step([p], [grad(p)]);
      // the saved state is a copy: the later steps did not change it
      assert.equal(state.t, 3);
      assert.deepEqual(state.m, mSaved);
      // a fresh optimiser given the saved state and parameters takes the same 4 steps, bit for bit
      const resumed = new Float64Optimizer(name, 0.03, [3], 0.1);
      resumed.restore(state);
      for (let s = 0; s < 4; s++) resumed.step([q], [grad(q)]);
      assert.deepEqual(Array.from(q), Array.from(p), `${name}: resumed = uninterrupted`);
      if (name !== "sgd") {
        // without the restore, Adam starts again at t = 1 with zero moments: another path
        const fresh = new Float64Optimizer(name, 0.03, [3], 0.1);
        const r = q.slice();
        const r0 = q.slice();
        fresh.step([r], [grad(r)]);
        resumed.step([r0], [grad(r0)]);
        assert.notDeepEqual(Array.from(r), Array.from(r0), `${name}: the restored state matters`);
      }
      // (SGD keeps no moments, so for it only the number of blocks can differ)
      if (name !== "sgd")
        assert.throws(
          () => resumed.restore(new Float64Optimizer(name, 0.03, [2], 0.1).save()),
          /optimizer: a saved state of other parameter blocks cannot be restored/,
        );
      assert.throws(
        () => resumed.restore(new Float64Optimizer(name, 0.03, [3, 1], 0.1).save()),
        /a saved state of other parameter blocks/,
      );
    }
  });

  it("refuses an unknown name, lr ≤ 0 (at construction and per step) and mismatched blocks, naming them", () => {
    assert.throws(
      () => new Float64Optimizer("rmsprop" as "sgd", 0.1, [1]),
      /^Error: optimizer must be one of sgd, adam, adamw; got "rmsprop"$/,
    );
    for (const lr of [0, -1, NaN])
      assert.throws(() => new Float64Optimizer("adam", lr, [1]), new RegExp(`optimizer: lr must be > 0, got ${lr}`));
    const opt = new Float64Optimizer("adam", 0.1, [2, 1]);
    const p = [new Float64Array(2), new Float64Array(1)];
    assert.throws(() => opt.step(p, p, 0), /optimizer: lr must be > 0, got 0/);
    assert.throws(
      () => opt.step([p[0]], p),
      /^Error: optimizer: expected 2 parameter and gradient blocks, got 1 and 2$/,
    );
    assert.throws(() => opt.step(p, [p[0]]), /expected 2 parameter and gradient blocks, got 2 and 1/);
    // a refused step changes nothing: the next step is still Adam's first (bias correction at t = 1)
    const x = Float64Array.from([1, 1]);
    opt.step([x, new Float64Array(1)], [Float64Array.from([2, -2]), new Float64Array(1)]);
    close(x[0], 1 - 0.1 * (2 / (2 + 1e-8)), "first step after refusals");
    close(x[1], 1 + 0.1 * (2 / (2 + 1e-8)), "first step after refusals");
  });
});

describe("trainFloat64 with AdamW", () => {
  it("one step is Adam's first step on the plain gradient, then θ(1 − lr·wd): no l2, decay once", async () => {
    const spec: nets.NetSpec = { sizes: [3, 2], activation: [], bias: false };
    const X = new Matrix(4, 3, Float64Array.from([1, 0, 2, -1, 1, 0, 0.5, 0.5, 1, 2, -1, 0]));
    const Y = new Matrix(4, 2, Float64Array.from([1, 0, 0, 1, -1, 2, 0.5, 0.5]));
    const W0 = Float64Array.from([0.3, -0.2, 0.1, 0.4, 0.6, -0.5]);
    // the gradient of the mean ½‖Wx − y‖² by hand: (1/N) Σ (W x − y) xᵀ
    const g = new Float64Array(6);
    for (let n = 0; n < 4; n++)
      for (let k = 0; k < 2; k++) {
        let r = -Y.get(n, k);
        for (let i = 0; i < 3; i++) r += W0[k * 3 + i] * X.get(n, i);
        for (let i = 0; i < 3; i++) g[k * 3 + i] += (r * X.get(n, i)) / 4;
      }
    const lr = 0.05;
    const wd = 0.2;
    const r = await trainFloat64({
      spec,
      params: W0,
      X,
      Y,
      optimizer: "adamw",
      lr,
      weightDecay: wd,
      l2: 0.7,
      steps: 1,
    });
    W0.forEach((w, i) => close(r.params[i], (w - (lr * g[i]) / (Math.abs(g[i]) + 1e-8)) * (1 - lr * wd), `θ[${i}]`));
  });
});

/** The addon's `adam` and `axpy` contract in TypeScript (native.ts documents them as Float64Optimizer's update). */
const tsBlas = {
  axpy(alpha: number, x: Arr, y: Arr) {
    for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  },
  adam(
    p: Arr,
    g: Arr,
    m: Float64Array,
    v: Float64Array,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
    decay: number,
  ) {
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
    if (decay > 0) for (let i = 0; i < p.length; i++) p[i] -= lr * decay * p[i];
  },
} as unknown as NativeBlas;

/** ½‖θ − c‖² (mean over nothing: a fixed quadratic), gradient θ − c. */
function quadratic(p0: number[], c: number[]): NativeStepper {
  const params = Float64Array.from(p0);
  const gradient = new Float64Array(p0.length);
  return {
    params,
    gradient,
    step() {
      let loss = 0;
      for (let i = 0; i < params.length; i++) {
        gradient[i] = params[i] - c[i];
        loss += 0.5 * gradient[i] ** 2;
      }
      return loss;
    },
  };
}

describe("the native training loop's optimiser (runNative)", () => {
  const settings = (lr: number, extra: object = {}) => ({
    X: new Matrix(3, 1),
    Y: new Matrix(3, 1),
    lr,
    steps: 2,
    checkpoints: [2],
    ...extra,
  });
  const blasRoutes: [string, NativeBlas][] = [["TypeScript adam/axpy", tsBlas]];
  const addon = nativeBlas();
  if (addon) blasRoutes.push(["the addon", addon]);
  const p0 = [0.7, -1.3, 0.05];
  const c = [0.2, 0.4, -2];

  for (const [route, blas] of blasRoutes) {
    it(`${route}: Adam and AdamW follow the formulas for two steps; l2 applies to Adam, not to AdamW`, async () => {
      for (const [name, wd, l2] of [
        ["adam", 0, 0],
        ["adam", 0.3, 0], // weight decay is AdamW's only
        ["adamw", 0.3, 0],
        ["adamw", 0.3, 0.5], // AdamW ignores l2
        ["adam", 0, 0.5], // Adam adds l2·θ to the gradient
      ] as const) {
        const st = quadratic(p0, c);
        const seen: number[][] = [];
        const r = await runNative(settings(0.01, { weightDecay: wd, l2 }), name, st, blas, (s) => {
          seen.push([s, ...st.params]);
        });
        const penalty = name === "adam" ? l2 : 0;
        const decay = name === "adamw" ? wd : 0;
        p0.forEach((x, i) => {
          const grad = (p: number) => p - c[i] + penalty * p;
          const [, h2] = adamByHand(x, grad(x), grad, 0.01, decay);
          close(st.params[i], h2, `${name} wd ${wd} l2 ${l2} [${i}]`);
        });
        assert.deepEqual(seen.length, 1);
        assert.equal(r.divergedAt, undefined);
      }
    });

    it(`${route}: SGD with l2 steps θ −= lr·(θ − c + l2·θ) and records the loss with ½·l2·‖θ‖²`, async () => {
      const st = quadratic(p0, c);
      const r = await runNative(settings(0.1, { l2: 0.5, steps: 1, checkpoints: [] }), "sgd", st, blas, () => {});
      p0.forEach((x, i) => close(st.params[i], x - 0.1 * (x - c[i] + 0.5 * x), `θ[${i}]`));
      const loss0 = p0.reduce((a, x, i) => a + 0.5 * (x - c[i]) ** 2, 0) + 0.25 * p0.reduce((a, x) => a + x * x, 0);
      close(r.losses[0].loss, loss0, "loss");
    });

    it(`${route}: plain SGD takes the stepper's fused step when it has one; with l2 or Adam it does not`, async () => {
      for (const [name, l2, fusedExpected] of [
        ["sgd", 0, true],
        ["sgd", 0.5, false],
        ["adam", 0, false],
      ] as const) {
        const st = quadratic(p0, c);
        const fusedCalls: [number[] | null, number][] = [];
        st.sgdStep = (batch, lr) => {
          fusedCalls.push([batch, lr]);
          const loss = st.step(batch);
          for (let i = 0; i < st.params.length; i++) st.params[i] -= lr * st.gradient[i];
          return loss;
        };
        const r = await runNative(settings(0.1, { l2, steps: 3, checkpoints: [] }), name, st, blas, () => {});
        assert.equal(fusedCalls.length, fusedExpected ? 3 : 0, `${name} l2 ${l2}`);
        if (fusedExpected) {
          assert.deepEqual(fusedCalls, [
            [null, 0.1],
            [null, 0.1],
            [null, 0.1],
          ]);
          // three plain steps: θ − c shrinks by 0.9 each
          p0.forEach((x, i) => close(st.params[i], c[i] + (x - c[i]) * 0.9 ** 3, `fused θ[${i}]`));
        }
        assert.equal(r.divergedAt, undefined);
      }
      // a fused step that returns a non-finite loss is divergence at that step
      const st = quadratic(p0, c);
      st.sgdStep = () => Infinity;
      const r = await runNative(settings(0.1, { steps: 5, checkpoints: [] }), "sgd", st, blas, () => {});
      assert.equal(r.divergedAt, 1);
      assert.ok(Number.isNaN(r.losses[0].loss));
    });

    it(`${route}: AdamW's decay mask decays the masked entries only; decayBiases false needs a mask`, async () => {
      const st = quadratic(p0, c);
      const mask = Uint8Array.from([1, 0, 1]);
      await runNative(
        settings(0.01, { weightDecay: 0.3, decayBiases: false, steps: 2, checkpoints: [] }),
        "adamw",
        st,
        blas,
        () => {},
        mask,
      );
      p0.forEach((x, i) => {
        const grad = (p: number) => p - c[i];
        const [, h2] = adamByHand(x, grad(x), grad, 0.01, mask[i] ? 0.3 : 0);
        close(st.params[i], h2, `masked AdamW [${i}]`);
      });
      // the mask applies only with decayBiases false: with it left out, every entry decays
      const all = quadratic(p0, c);
      await runNative(
        settings(0.01, { weightDecay: 0.3, steps: 2, checkpoints: [] }),
        "adamw",
        all,
        blas,
        () => {},
        mask,
      );
      p0.forEach((x, i) => {
        const grad = (p: number) => p - c[i];
        close(all.params[i], adamByHand(x, grad(x), grad, 0.01, 0.3)[1], `unmasked AdamW [${i}]`);
      });
      assert.throws(
        () => runNative(settings(0.01, { decayBiases: false }), "adamw", quadratic(p0, c), blas, () => {}),
        /^Error: training: decayBiases false needs the network's parameter layout \(dense networks only\)$/,
      );
    });

    it(`${route}: a non-finite loss or non-finite parameters at a checkpoint stop training as divergence`, async () => {
      const st = quadratic(p0, c);
      const step = st.step.bind(st);
      let n = 0;
      st.step = (b) => (++n === 2 ? NaN : step(b));
      const r = await runNative(settings(0.1, { steps: 5, checkpoints: [] }), "adam", st, blas, () => {});
      assert.equal(r.divergedAt, 2);
      // parameters that turn non-finite while the loss stays finite: caught at the next checkpoint, before the callback
      const q = quadratic(p0, c);
      const qs = q.step.bind(q);
      let m = 0;
      q.step = (b) => {
        const v = qs(b);
        if (++m === 2) q.params[1] = Infinity;
        return m >= 2 ? 1 : v; // a finite loss throughout
      };
      let asked = 0;
      const r2 = await runNative(
        settings(0.1, { steps: 5, checkpoints: [1, 3, 5] }),
        "sgd",
        q,
        blas,
        () => void asked++,
      );
      assert.equal(r2.divergedAt, 3);
      assert.equal(asked, 1, "only the checkpoint before the parameters broke reached the caller");
    });
  }
});
