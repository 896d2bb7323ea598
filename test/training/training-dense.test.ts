import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { trainDense, trainFloat64, train, DenseStepper, levenbergMarquardt } from "../../src/training";
import { lstsq } from "../../src/linalg";
import { nativeBlas } from "../../src/training/dense";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { lossAndGradient } from "../../src/curvature/gradient";

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

function problem(act: nets.Activation, bias: boolean, K = 3) {
  const spec: nets.NetSpec = { sizes: [6, 8, 5, K], activation: act, bias };
  const r = new Rng(2);
  return {
    spec,
    params: nets.initParams(spec, { seed: 1 }),
    X: new Matrix(40, 6, r.normals(240)),
    Y: new Matrix(40, K, r.normals(40 * K).map(Math.abs)),
  };
}

describe("native dense training (BLAS path)", { skip: nativeBlas() ? false : "the LAPACK addon is not loaded" }, () => {
  it("gradient equals central differences of the loss (float64)", () => {
    for (const [act, loss] of [
      ["tanh", "mse"],
      ["relu", "ce"],
      ["sigmoid", "logcosh"],
    ] as const) {
      const { spec, params, X, Y } = problem(act, true);
      const st = new DenseStepper(spec, params, loss, "float64", nativeBlas()!);
      const rows = [3, 7, 11, 12, 30];
      st.lossAndGradient(X.data, Y.data, X.rows, rows);
      const g = Float64Array.from(st.gradient);
      const h = 1e-6;
      for (const i of [0, 5, 47, 60, params.length - 1]) {
        const at = (v: number) => {
          const p = params.slice();
          p[i] += v;
          return new DenseStepper(spec, p, loss, "float64", nativeBlas()!).lossAndGradient(
            X.data,
            Y.data,
            X.rows,
            rows,
          );
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        assert.ok(Math.abs(fd - g[i]) < 1e-7 * (1 + Math.abs(fd)), `${act}/${loss} θ${i}: ${g[i]} vs FD ${fd}`);
      }
    }
  });

  it(
    "float64 follows trainFloat64's trajectory (the engine's gradient) to rounding, for SGD, " +
      "Adam, AdamW, L2, bias",
    async () => {
      for (const [act, loss, optimizer, bias] of [
        ["tanh", "mse", "sgd", true],
        ["relu", "ce", "adam", true],
        ["sigmoid", "logcosh", "adamw", false],
        ["gelu", "mse", "sgd", true],
      ] as const) {
        const o = {
          ...problem(act, bias),
          loss,
          optimizer,
          lr: 0.05,
          weightDecay: 0.01,
          l2: 0.001,
          batchSize: 7,
          steps: 150,
          seed: 3,
          checkpoints: [0, 50, 150],
        };
        const seen: number[][] = [];
        const a = await trainFloat64(o);
        const b = await trainDense({ ...o, onCheckpoint: (s, p) => void seen.push([s, p.length]) });
        assert.ok(
          maxDiff(a.params, b.params) < 1e-12,
          `${act}/${loss}/${optimizer}: max |Δθ| ${maxDiff(a.params, b.params)}`,
        );
        assert.deepEqual(
          b.losses.map((x) => x.step),
          a.losses.map((x) => x.step),
        );
        assert.ok(
          maxDiff(
            a.losses.map((x) => x.loss),
            b.losses.map((x) => x.loss),
          ) < 1e-12,
        );
        assert.deepEqual(seen, [
          [0, o.params.length],
          [50, o.params.length],
          [150, o.params.length],
        ]);
        assert.match(b.backend, /^native float64/);
      }
    },
  );

  it(
    "the fused SGD step equals a gradient step followed by θ −= lr·g, to rounding; a " +
      "non-finite loss leaves θ untouched",
    async () => {
      for (const [act, loss, bias] of [
        ["tanh", "mse", true],
        ["relu", "ce", false],
        ["gelu", "mse", true],
      ] as const) {
        const { spec, params, X, Y } = problem(act, bias);
        const blas = nativeBlas()!;
        const a = new DenseStepper(spec, params, loss, "float64", blas).bind(X.data, Y.data, X.rows);
        const b = new DenseStepper(spec, params, loss, "float64", blas).bind(X.data, Y.data, X.rows);
        for (let t = 0; t < 30; t++) {
          const rows = [t % 40, (3 * t + 1) % 40, (7 * t + 5) % 40, (11 * t + 2) % 40];
          const la = a.step(rows);
          for (let i = 0; i < a.params.length; i++) a.params[i] -= 0.05 * a.gradient[i];
          const lb = b.sgdStep(rows, 0.05);
          assert.ok(Math.abs(la - lb) < 1e-13 * (1 + Math.abs(la)), `${act}/${loss} step ${t}: loss ${la} vs ${lb}`);
        }
        assert.ok(maxDiff(a.params, b.params) < 1e-13, `${act}/${loss}: max |Δθ| ${maxDiff(a.params, b.params)}`);
        // plain SGD through trainDense takes the fused step and still follows the engine's trajectory
        const o = { spec, params, X, Y, loss, optimizer: "sgd" as const, lr: 0.05, batchSize: 7, steps: 120, seed: 3 };
        const e = await trainFloat64(o);
        const n = await trainDense(o);
        assert.ok(
          maxDiff(e.params, n.params) < 1e-12,
          `${act}/${loss} trainDense vs trainFloat64: ${maxDiff(e.params, n.params)}`,
        );
      }
      const { spec, params, X, Y } = problem("tanh", true);
      const bad = Float64Array.from(X.data);
      bad[0] = NaN;
      const st = new DenseStepper(spec, params, "mse", "float64", nativeBlas()!).bind(bad, Y.data, X.rows);
      assert.ok(!Number.isFinite(st.sgdStep([0, 1], 0.05)));
      assert.deepEqual(Array.from(st.params), Array.from(params));
    },
  );

  it("float32 stays within float32 rounding of float64 and of tfjs's float32 training", async () => {
    const o = {
      ...problem("tanh", true),
      loss: "mse" as const,
      optimizer: "sgd" as const,
      lr: 0.05,
      batchSize: 8,
      steps: 100,
      seed: 4,
    };
    const f64 = await trainDense(o);
    const f32 = await trainDense({ ...o, precision: "float32" });
    const tf = await train(o);
    const scale = Math.max(...Array.from(f64.params, Math.abs));
    assert.match(f32.backend, /^native float32/);
    assert.ok(maxDiff(f64.params, f32.params) < 1e-4 * scale, `f32 vs f64 ${maxDiff(f64.params, f32.params)}`);
    assert.ok(maxDiff(tf.params, f32.params) < 1e-4 * scale, `f32 vs tfjs ${maxDiff(tf.params, f32.params)}`);
  });

  it("divergence is an outcome: a huge learning rate stops with divergedAt, no throw", async () => {
    const o = {
      ...problem("linear", false),
      loss: "mse" as const,
      optimizer: "sgd" as const,
      lr: 10,
      steps: 400,
      seed: 1,
      checkpoints: [0, 200, 400],
    };
    const r = await trainDense(o);
    assert.ok(r.divergedAt !== undefined && r.divergedAt <= 400, `divergedAt ${r.divergedAt}`);
  });

  it(
    "element-wise kernels: tanh/sigmoid within a few ulp of Math's (vector lanes and tail), " +
      "gather and bias against loops",
    () => {
      const blas = nativeBlas()!;
      const z = Float64Array.from({ length: 1003 }, (_, i) =>
        i < 8 ? [0, -0, 1e-9, -1e-9, 30, -30, 800, -800][i] : 6 * Math.sin(i * 0.731),
      );
      for (const [kind, f, d1] of [
        [3, Math.tanh, (v: number) => 1 - Math.tanh(v) ** 2],
        [4, (v: number) => 1 / (1 + Math.exp(-v)), (v: number) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
      ] as const) {
        for (const [T, tol] of [
          [Float64Array, 1e-15],
          [Float32Array, 4e-7],
        ] as const) {
          const Z = T.from(z);
          const H = new T(z.length);
          const D = new T(z.length);
          blas.activate(kind, Z, H, D);
          for (let i = 0; i < z.length; i++) {
            const want = f(Z[i]);
            const wantD = Number.isFinite(d1(Z[i])) ? d1(Z[i]) : 0;
            assert.ok(
              Math.abs(H[i] - want) <= tol * Math.max(Math.abs(want), 1e-300) + 1e-300,
              `kind ${kind} ${T.name} z=${Z[i]}: ${H[i]} vs ${want}`,
            );
            assert.ok(
              Math.abs(D[i] - wantD) <= 8 * tol * Math.max(Math.abs(wantD), 1e-30) + 4 * tol * Math.abs(want) ** 2,
              `σ′ kind ${kind} ${T.name} z=${Z[i]}: ${D[i]} vs ${wantD}`,
            );
          }
        }
      }
      const src = Float64Array.from({ length: 7 * 5 }, (_, i) => i + 0.1);
      const dst = new Float32Array(3 * 5);
      blas.gatherRows(dst, src, Int32Array.from([6, 0, 3]), 5);
      assert.deepEqual(
        Array.from(dst),
        [6, 0, 3].flatMap((r) => [0, 1, 2, 3, 4].map((j) => Math.fround(r * 5 + j + 0.1))),
      );
      assert.throws(
        () => blas.gatherRows(dst, src, Int32Array.from([6, 7, 0]), 5),
        /gatherRows: row index 7 outside 0..7/,
      );
      assert.throws(
        () => blas.gatherRows(new Float64Array(15), src, [6, 0, 3] as never, 5),
        /argument 3 must be an Int32Array/,
      );
      const Z = Float64Array.from({ length: 12 }, (_, i) => i);
      blas.addBias(Z, Float64Array.from([10, 20, 30]));
      assert.deepEqual(
        Array.from(Z),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((v, i) => v + [10, 20, 30][i % 3]),
      );
      const g = new Float64Array(3);
      blas.biasGradient(
        Float64Array.from({ length: 12 }, (_, i) => i),
        g,
      );
      assert.deepEqual(Array.from(g), [0 + 3 + 6 + 9, 1 + 4 + 7 + 10, 2 + 5 + 8 + 11]);
      assert.throws(
        () => blas.addBias(new Float64Array(10), new Float64Array(3)),
        /addBias: Z's length is not a multiple of b's/,
      );
    },
  );

  it("refuses a bad precision before any work", async () => {
    await assert.rejects(
      trainDense({ ...problem("tanh", false), lr: 0.1, steps: 1, precision: "float16" as never }),
      /precision must be one of float64, float32; got "float16"/,
    );
  });
});

describe("Levenberg–Marquardt", () => {
  it(
    "on a linear one-layer net (least squares) it lands on lstsq's solution; on a realisable " +
      "tanh net it reaches float64 zero",
    async () => {
      const r = new Rng(7);
      const X = new Matrix(30, 5, r.normals(150));
      const Y = new Matrix(30, 3, r.normals(90));
      const spec: nets.NetSpec = { sizes: [5, 3], activation: "linear", bias: false };
      const res = await levenbergMarquardt({
        spec,
        params: nets.initParams(spec, { seed: 3 }),
        X,
        Y,
        steps: 60,
        targetLoss: 0,
      });
      // f = X Wᵀ: the minimiser is W = lstsq(X, Y)ᵀ
      const W = lstsq(X, Y).x.transpose();
      assert.ok(maxDiff(res.params, W.data) < 1e-10, `max |θ − lstsq| = ${maxDiff(res.params, W.data)}`);
      for (let i = 1; i < res.losses.length; i++)
        assert.ok(res.losses[i].loss < res.losses[i - 1].loss, "every accepted step lowers the loss");
      const tspec: nets.NetSpec = { sizes: [4, 6, 2], activation: "tanh", bias: true };
      const Xt = new Matrix(5, 4, r.normals(20));
      const Yt = nets.predict(tspec, nets.initParams(tspec, { seed: 9 }), Xt);
      const fit = await levenbergMarquardt({
        spec: tspec,
        params: nets.initParams(tspec, { seed: 4 }),
        X: Xt,
        Y: Yt,
        steps: 100,
      });
      assert.equal(fit.stopped, "target");
      assert.ok(fit.losses[fit.losses.length - 1].loss <= 1e-30);
      await assert.rejects(
        levenbergMarquardt({ spec, params: new Float64Array(3), X, Y, steps: 1 }),
        /the spec has 15 parameters, got 3/,
      );
      await assert.rejects(
        levenbergMarquardt({ spec, params: nets.initParams(spec), X, Y, steps: -1 }),
        /option steps must be/,
      );
    },
  );
});

describe("AdamW without bias decay (decayBiases: false, Patel's two parameter groups)", () => {
  it("one step: weights get Adam then θ − lr·wd·θ, biases Adam alone; the native and TypeScript paths agree", async () => {
    const { spec, params, X, Y } = problem("relu", true);
    const lr = 0.01;
    const wd = 0.5;
    // the gradient at θ₀ from the engine, then the first Adam step by hand: m̂ = g, v̂ = g², Δ = lr·g/(|g| + ε)
    const g = lossAndGradient({ spec, params, X, Y, loss: "mse" }).gradient;
    const expected = params.slice();
    const mask = new Uint8Array(params.length);
    for (const s of nets.layout(spec)) mask.fill(1, s.wOffset, s.wOffset + s.rows * s.cols);
    for (let i = 0; i < params.length; i++) {
      const q = params[i] - (lr * g[i]) / (Math.abs(g[i]) + 1e-8);
      expected[i] = mask[i] ? q - lr * wd * q : q;
    }
    const base = { spec, params, X, Y, loss: "mse" as const, optimizer: "adamw" as const, lr, steps: 1 };
    const ts = await trainFloat64({ ...base, weightDecay: wd, decayBiases: false });
    assert.ok(maxDiff(ts.params, expected) < 1e-14, `TypeScript path ${maxDiff(ts.params, expected)}`);
    // decaying everything differs exactly on the biases
    const all = await trainFloat64({ ...base, weightDecay: wd });
    let biasMoved = 0;
    for (let i = 0; i < params.length; i++)
      if (!mask[i]) biasMoved = Math.max(biasMoved, Math.abs(all.params[i] - expected[i]));
      else assert.equal(all.params[i], ts.params[i]);
    assert.ok(biasMoved > 1e-6, "with decayBiases true the biases decay too");
    if (nativeBlas()) {
      const nat = await trainDense({ ...base, weightDecay: wd, decayBiases: false });
      assert.ok(maxDiff(nat.params, expected) < 1e-14, `native path ${maxDiff(nat.params, expected)}`);
      const natAll = await trainDense({ ...base, weightDecay: wd });
      assert.ok(maxDiff(natAll.params, all.params) < 1e-14);
    }
  });
});
