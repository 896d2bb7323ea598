import type * as tfType from "../../src/backend/tf-api";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nets from "../../src/nets";
import { Matrix, rank, epsRank } from "../../src/linalg";
import { localRank, localRankSensitivity, rowArgmax } from "../../src/metrics";
import { inputJacobian } from "../../src/curvature";
import { train, trainFloat64, trainDense, logSpacedSteps, Float64Optimizer } from "../../src/training";
import { lossAndGradient } from "../../src/curvature";
import { linearTeacher } from "../../src/data";
import { Rng } from "../../src/util/random";
import { naiveMul } from "../helpers";

describe("local rank", () => {
  it("of a random linear network equals the smallest width up to that layer (and d)", () => {
    const sizes = [12, 9, 4, 7, 3, 6];
    const spec: nets.NetSpec = { sizes, activation: "linear", bias: false };
    const params = nets.initParams(spec, { seed: 1 });
    const X = new Matrix(5, 12, new Rng(2).normals(60));
    const res = localRank(spec, params, X, { eps: 1e-8 });
    res.forEach((r, i) => assert.equal(r.localRank, Math.min(...sizes.slice(0, i + 2)), `layer ${r.layer}`));
  });

  it(
    "equals the mean ε-rank of each input's Jacobian (independent route: Jacobian, then " +
      "epsRank), and is monotone in ε",
    () => {
      const spec: nets.NetSpec = { sizes: [6, 8, 8, 3], activation: "relu", bias: true };
      const params = nets.initParams(spec, { seed: 3, init: "he" });
      const X = new Matrix(7, 6, new Rng(4).normals(42));
      const eps = 0.3;
      const r = localRank(spec, params, X, { eps, layers: [2] })[0];
      const manual = Array.from({ length: 7 }, (_, n) =>
        epsRank(inputJacobian(spec, params, X.row(n).slice(), 2), eps),
      );
      assert.deepEqual(r.perInput, manual);
      const sens = localRankSensitivity(spec, params, X, [1e-6, 0.01, 0.3, 1, 10]);
      for (let j = 0; j < sens.layers.length; j++)
        for (let i = 1; i < sens.eps.length; i++) assert.ok(sens.localRank[i][j] <= sens.localRank[i - 1][j]);
      assert.equal(sens.localRank[2][1], r.localRank);
      assert.throws(() => localRank(spec, params, X, { eps: -1 }), /eps must be a finite number ≥ 0/);
      assert.throws(() => localRank(spec, params, X, { layers: [4] }), /layers must be integers in 1..3/);
    },
  );
});

describe("training with tfjs", () => {
  it(
    "Adam fits a linear teacher; checkpoints hand float64 parameters to the engine; runs are " +
      "deterministic per seed",
    async () => {
      const data = linearTeacher({ n: 64, dIn: 5, dOut: 2, seed: 1 });
      const spec: nets.NetSpec = { sizes: [5, 6, 2], activation: "linear", bias: false };
      const params = nets.initParams(spec, { seed: 2 });
      const seen: number[] = [];
      const run = () =>
        train({
          spec,
          params,
          X: data.X,
          Y: data.Y,
          optimizer: "adam",
          lr: 0.02,
          steps: 300,
          batchSize: 16,
          seed: 5,
          checkpoints: [0, 150, 300],
          onCheckpoint: (s, p) => {
            seen.push(s);
            assert.equal(p.length, params.length);
          },
        });
      const a = await run();
      assert.deepEqual(seen, [0, 150, 300]);
      const b = await run();
      assert.deepEqual(Array.from(a.params), Array.from(b.params), "same seed, same parameters");
      assert.ok(
        a.losses[a.losses.length - 1].loss < 0.01 * a.losses[0].loss,
        `loss ${a.losses[0].loss} → ${a.losses.at(-1)!.loss}`,
      );
      // the learned end-to-end map approximates the teacher (float32 training)
      const W1 = nets.weight(spec, a.params, 1);
      const W2 = nets.weight(spec, a.params, 2);
      const E = naiveMul(W2, W1);
      let err = 0;
      E.data.forEach((v, i) => (err = Math.max(err, Math.abs(v - data.teacher.data[i]))));
      assert.ok(err < 0.05, `max |W2W1 − T| = ${err}`);
      assert.equal(rank(E), 2);
    },
  );

  it("AdamW's decoupled weight decay shrinks the parameters; bad options are refused", async () => {
    const data = linearTeacher({ n: 32, dIn: 4, dOut: 1, seed: 3 });
    const spec: nets.NetSpec = { sizes: [4, 8, 1], activation: "tanh", bias: true };
    const params = nets.initParams(spec, { seed: 1 });
    const norm = (p: Float64Array) => Math.hypot(...p);
    const plain = await train({ spec, params, X: data.X, Y: data.Y, optimizer: "adam", lr: 0.01, steps: 200 });
    const decayed = await train({
      spec,
      params,
      X: data.X,
      Y: data.Y,
      optimizer: "adamw",
      lr: 0.01,
      weightDecay: 0.5,
      steps: 200,
    });
    assert.ok(norm(decayed.params) < norm(plain.params));
    await assert.rejects(
      train({ spec, params, X: data.X, Y: data.Y, optimizer: "lbfgs" as never, lr: 0.1, steps: 1 }),
      /optimizer must be one of sgd, adam, adamw/,
    );
    await assert.rejects(
      train({ spec, params, X: data.X, Y: data.Y, lr: 0, steps: 1 }),
      /option lr must be a finite number > 0; got 0/,
    );
    assert.deepEqual(logSpacedSteps(1000, 5), [0, 5, 31, 177, 1000]);
  });
});

describe("training in float64 on the engine's gradient", () => {
  const data = linearTeacher({ n: 24, dIn: 4, dOut: 2, noise: 0.3, seed: 7 });
  const lin: nets.NetSpec = { sizes: [4, 2], activation: [], bias: false };
  // the gradient of the mean ½‖Wx − y‖², written out by hand: (1/N) Σ (W x − y) xᵀ
  const handGradient = (W: Float64Array) => {
    const g = new Float64Array(8);
    for (let n = 0; n < 24; n++)
      for (let k = 0; k < 2; k++) {
        let r = -data.Y.get(n, k);
        for (let i = 0; i < 4; i++) r += W[k * 4 + i] * data.X.get(n, i);
        for (let i = 0; i < 4; i++) g[k * 4 + i] += (r * data.X.get(n, i)) / 24;
      }
    return g;
  };

  it(
    "one SGD step and one Adam step are the hand-derived updates; the loss recorded includes " + "the L2 penalty",
    async () => {
      const W0 = new Rng(1).normals(8);
      const g = handGradient(W0);
      const sgd = await trainFloat64({
        spec: lin,
        params: W0,
        X: data.X,
        Y: data.Y,
        optimizer: "sgd",
        lr: 0.1,
        steps: 1,
      });
      sgd.params.forEach((v, i) => assert.ok(Math.abs(v - (W0[i] - 0.1 * g[i])) < 1e-15));
      // Adam's first step is lr·g/(|g| + ε) (bias-corrected moments m̂ = g, v̂ = g²)
      const adam = await trainFloat64({
        spec: lin,
        params: W0,
        X: data.X,
        Y: data.Y,
        optimizer: "adam",
        lr: 0.01,
        steps: 1,
      });
      adam.params.forEach((v, i) => assert.ok(Math.abs(v - (W0[i] - (0.01 * g[i]) / (Math.abs(g[i]) + 1e-8))) < 1e-15));
      const pen = await trainFloat64({
        spec: lin,
        params: W0,
        X: data.X,
        Y: data.Y,
        optimizer: "sgd",
        lr: 0.1,
        l2: 0.5,
        steps: 1,
      });
      const l0 = lossAndGradient({ spec: lin, params: W0, X: data.X, Y: data.Y }).loss;
      assert.ok(Math.abs(pen.losses[0].loss - (l0 + 0.25 * W0.reduce((a, v) => a + v * v, 0))) < 1e-12);
      assert.equal(pen.backend, "float64");
    },
  );

  it("GD with an L2 penalty converges to the ridge solution (XᵀX/N + λI)⁻¹ XᵀY/N", async () => {
    const lambda = 0.3;
    const res = await trainFloat64({
      spec: lin,
      params: new Float64Array(8),
      X: data.X,
      Y: data.Y,
      optimizer: "sgd",
      lr: 0.3,
      l2: lambda,
      steps: 3000,
    });
    // ridge by Gauss–Jordan on the 4×4 system (independent of the optimiser)
    const A = Array.from({ length: 4 }, (_, i) =>
      Array.from({ length: 4 }, (_, j) => {
        let s = 0;
        for (let n = 0; n < 24; n++) s += data.X.get(n, i) * data.X.get(n, j);
        return s / 24 + (i === j ? lambda : 0);
      }),
    );
    for (let k = 0; k < 2; k++) {
      const b = Array.from({ length: 4 }, (_, i) => {
        let s = 0;
        for (let n = 0; n < 24; n++) s += data.X.get(n, i) * data.Y.get(n, k);
        return s / 24;
      });
      const M = A.map((row, i) => [...row, b[i]]);
      for (let c = 0; c < 4; c++) {
        const piv = M[c][c];
        for (let j = c; j < 5; j++) M[c][j] /= piv;
        for (let r = 0; r < 4; r++)
          if (r !== c) {
            const f = M[r][c];
            for (let j = c; j < 5; j++) M[r][j] -= f * M[c][j];
          }
      }
      for (let i = 0; i < 4; i++)
        assert.ok(
          Math.abs(res.params[k * 4 + i] - M[i][4]) < 1e-10,
          `W[${k},${i}] ${res.params[k * 4 + i]} vs ${M[i][4]}`,
        );
    }
  });

  it("stops at divergence and says when, in both loops; no checkpoint sees non-finite parameters", async () => {
    const spec: nets.NetSpec = { sizes: [4, 6, 2], activation: "linear", bias: true };
    const params = nets.initParams(spec, { seed: 1 });
    for (const trainer of [trainFloat64, train]) {
      const seen: number[] = [];
      // far past 2/λ_max of this quadratic problem: the iterates grow geometrically to overflow
      const res = await trainer({
        spec,
        params,
        X: data.X,
        Y: data.Y,
        optimizer: "sgd",
        lr: 50,
        steps: 2000,
        checkpoints: [0, 1, 2, 1000, 2000],
        onCheckpoint: (s, p) => {
          assert.ok(p.every(Number.isFinite), `checkpoint ${s} got non-finite parameters`);
          seen.push(s);
        },
      });
      assert.ok(res.divergedAt !== undefined && res.divergedAt < 1000, `${trainer.name}: divergedAt ${res.divergedAt}`);
      assert.deepEqual(seen, [0, 1, 2]);
      assert.ok(!Number.isFinite(res.losses.at(-1)!.loss), "stopped at the first non-finite loss");
    }
    const ok = await trainFloat64({ spec, params, X: data.X, Y: data.Y, optimizer: "sgd", lr: 0.05, steps: 50 });
    assert.equal(ok.divergedAt, undefined);
  });

  it(
    'a checkpoint answering "stop" ends training there, in every loop: the parameters are ' +
      "those of a run of that many steps",
    async () => {
      const spec: nets.NetSpec = { sizes: [4, 6, 2], activation: "tanh", bias: true };
      const params = nets.initParams(spec, { seed: 4 });
      const opts = { spec, params, X: data.X, Y: data.Y, optimizer: "sgd" as const, lr: 0.05, batchSize: 5, seed: 2 };
      for (const trainer of [trainFloat64, train, trainDense]) {
        const seen: number[] = [];
        const stopped = await trainer({
          ...opts,
          steps: 40,
          checkpoints: [5, 12, 30, 40],
          onCheckpoint: (s) => {
            seen.push(s);
            return s === 12 ? "stop" : undefined;
          },
        });
        const short = await trainer({ ...opts, steps: 12 });
        assert.deepEqual(seen, [5, 12], `${trainer.name}: no checkpoint after the stop`);
        assert.equal(stopped.stoppedAt, 12);
        assert.equal(short.stoppedAt, undefined);
        assert.deepEqual(
          Array.from(stopped.params),
          Array.from(short.params),
          `${trainer.name}: the same parameters as 12 steps`,
        );
        assert.ok(stopped.losses.every((l) => l.step <= 12));
      }
    },
  );

  it(
    "follows the same mini-batch trajectory as the tfjs loop (shared schedule), to float32 " +
      "precision; bad options refused",
    async () => {
      const spec: nets.NetSpec = { sizes: [4, 6, 2], activation: "tanh", bias: true };
      const params = nets.initParams(spec, { seed: 3 });
      const opts = {
        spec,
        params,
        X: data.X,
        Y: data.Y,
        optimizer: "sgd" as const,
        lr: 0.05,
        batchSize: 5,
        steps: 30,
        seed: 9,
        checkpoints: [10, 30],
      };
      const seen: number[][] = [];
      const a = await trainFloat64({
        ...opts,
        onCheckpoint: (s, p) => {
          seen.push([s, p.length]);
        },
      });
      const b = await train(opts);
      assert.deepEqual(seen, [
        [10, params.length],
        [30, params.length],
      ]);
      a.params.forEach((v, i) =>
        assert.ok(Math.abs(v - b.params[i]) < 1e-5, `parameter ${i}: float64 ${v} vs tfjs ${b.params[i]}`),
      );
      assert.ok(
        a.params.some((v, i) => v !== params[i]),
        "it trained",
      );
      const again = await trainFloat64(opts);
      assert.deepEqual(Array.from(again.params), Array.from(a.params));
      await assert.rejects(
        trainFloat64({ ...opts, optimizer: "rmsprop" as never }),
        /optimizer must be one of sgd, adam, adamw/,
      );
      await assert.rejects(trainFloat64({ ...opts, params: new Float64Array(3) }), /the spec has 44 parameters, got 3/);
      assert.throws(
        () => new Float64Optimizer("adam", 0.1, [3]).step([new Float64Array(3)], []),
        /expected 1 parameter and gradient blocks, got 1 and 0/,
      );
    },
  );
});

describe("tfjs backend", () => {
  it("matMul with transposes (patched on wasm for speed) equals the float64 product", async () => {
    const { tf } = await (await import("../../src/backend")).loadTf();
    const { gemm } = await import("../../src/linalg");
    // [m, k, n] for op(a)·op(b) = m×n. The patch copies the flagged operands or, when cheaper, computes
    // (op(b)ᵀ·op(a)ᵀ)ᵀ: [5, 7, 4] takes the first route for one flag, [3, 40, 50] (a small a against a
    // large b, as in back-propagation through a wide layer) the second.
    for (const [m, k, n] of [
      [5, 7, 4],
      [3, 40, 50],
      [50, 40, 3],
    ]) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const a = ta ? new Matrix(k, m, new Rng(m).normals(k * m)) : new Matrix(m, k, new Rng(m).normals(m * k));
        const b = tb ? new Matrix(n, k, new Rng(n).normals(n * k)) : new Matrix(k, n, new Rng(n).normals(k * n));
        const got = tf.tidy(() =>
          tf
            .matMul(
              tf.tensor2d(Float32Array.from(a.data), [a.rows, a.cols]),
              tf.tensor2d(Float32Array.from(b.data), [b.rows, b.cols]),
              ta,
              tb,
            )
            .dataSync(),
        );
        const want = gemm(a, b, { transA: ta, transB: tb }).data;
        assert.equal(got.length, m * n);
        want.forEach((v, i) =>
          assert.ok(
            Math.abs(v - got[i]) < 1e-4 * (1 + Math.abs(v)),
            `[${m},${k},${n}] transposeA=${ta} transposeB=${tb} entry ${i}: ${got[i]} vs ${v}`,
          ),
        );
      }
    }
    // a batch of 3 products (rank-3 tensors) with transposeB
    const A = new Rng(9).normals(3 * 2 * 30);
    const B = new Rng(10).normals(3 * 40 * 30);
    const got = tf.tidy(() =>
      tf
        .matMul(
          tf.tensor3d(Float32Array.from(A), [3, 2, 30]),
          tf.tensor3d(Float32Array.from(B), [3, 40, 30]),
          false,
          true,
        )
        .dataSync(),
    );
    for (let t = 0; t < 3; t++) {
      const want = gemm(
        new Matrix(2, 30, A.slice(t * 60, (t + 1) * 60)),
        new Matrix(40, 30, B.slice(t * 1200, (t + 1) * 1200)),
        { transB: true },
      ).data;
      want.forEach((v, i) =>
        assert.ok(Math.abs(v - got[t * 80 + i]) < 1e-4 * (1 + Math.abs(v)), `batch ${t} entry ${i}`),
      );
    }
  });

  it(
    "conv gradients (registered on wasm from Conv2D) equal direct float64 sums, for strides 1 " +
      "and 2 and every padding",
    async () => {
      const { tf } = await (await import("../../src/backend")).loadTf();
      const rng = new Rng(11);
      const [B, H, W, ci, co, fh, fw] = [3, 9, 8, 2, 4, 3, 3];
      let cases = 0;
      for (const stride of [1, 2])
        for (const pad of ["same", "valid", 2, 1] as const) {
          const x = rng.normals(B * H * W * ci);
          const w = rng.normals(fh * fw * ci * co);
          const xt = tf.tensor4d(Float32Array.from(x), [B, H, W, ci]);
          const wt = tf.tensor4d(Float32Array.from(w), [fh, fw, ci, co]);
          const out = tf.conv2d(xt, wt, stride, pad);
          const [Ho, Wo] = out.shape.slice(1, 3);
          const dy = rng.normals(B * Ho * Wo * co);
          const dyt = tf.tensor4d(Float32Array.from(dy), out.shape as [number, number, number, number]);
          const [gx, gw] = tf
            .grads((...t: tfType.Tensor[]) =>
              tf.sum(tf.mul(tf.conv2d(t[0] as tfType.Tensor4D, t[1] as tfType.Tensor4D, stride, pad), dyt)),
            )([xt, wt])
            .map((g) => g.dataSync());
          const { top, left } = tf.backend_util.computeConv2DInfo(
            [B, H, W, ci],
            [fh, fw, ci, co],
            stride,
            1,
            pad,
          ).padInfo;
          const wantX = new Float64Array(x.length);
          const wantW = new Float64Array(w.length);
          for (let b = 0; b < B; b++)
            for (let h = 0; h < Ho; h++)
              for (let v = 0; v < Wo; v++)
                for (let r = 0; r < fh; r++)
                  for (let s2 = 0; s2 < fw; s2++) {
                    const yy = h * stride + r - top;
                    const xx = v * stride + s2 - left;
                    if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
                    for (let i = 0; i < ci; i++)
                      for (let o = 0; o < co; o++) {
                        const g = dy[((b * Ho + h) * Wo + v) * co + o];
                        wantW[((r * fw + s2) * ci + i) * co + o] += x[((b * H + yy) * W + xx) * ci + i] * g;
                        wantX[((b * H + yy) * W + xx) * ci + i] += w[((r * fw + s2) * ci + i) * co + o] * g;
                      }
                  }
          for (const [name, got, want] of [
            ["filter", gw, wantW],
            ["input", gx, wantX],
          ] as const) {
            const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
            want.forEach((v, i) =>
              assert.ok(
                Math.abs(v - got[i]) < 1e-5 * scale,
                `${name} gradient, stride ${stride}, pad ${pad}, entry ${i}: ${got[i]} vs ${v}`,
              ),
            );
          }
          cases++;
        }
      assert.equal(cases, 8);
    },
  );
});

it("rowArgmax: the first largest entry per row, and a clear error on a shape mismatch", () => {
  assert.deepEqual(Array.from(rowArgmax([0.1, 0.7, 0.2, 5, 5, -1, -3, -2, -1], 3, 3)), [1, 0, 2]);
  assert.deepEqual(Array.from(rowArgmax(new Float32Array([2, 1]), 2, 1)), [0, 0]);
  assert.throws(() => rowArgmax([1, 2, 3], 2, 2), /rowArgmax: 3 values are not 2 rows × 2 columns/);
});
