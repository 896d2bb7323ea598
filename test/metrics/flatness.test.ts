import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import * as metrics from "../../src/metrics";
import { loadTf } from "../../src/backend";
import { Rng } from "../../src/util/random";
import { randomOrthogonal, maxAbsDiff, maxAbs } from "../helpers";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
const relArr = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbsDiff(a, b) / Math.max(1e-300, maxAbs(b));

describe("per-sample output gradients and input–output Jacobians (one reverse pass)", () => {
  const cases: [nets.Activation, boolean, number[]][] = [
    ["tanh", true, [5, 7, 6, 3]],
    ["relu", false, [6, 8, 4, 2]],
    ["gelu", true, [4, 5, 5, 5, 4]],
    ["linear", false, [3, 4, 2]],
  ];
  for (const [act, bias, sizes] of cases) {
    it(
      `${act}, ${bias ? "bias" : "no bias"}, [${sizes}]: norms from the explicit Jacobian J, ` +
        `∂f/∂x by forward mode and by finite differences`,
      () => {
        const spec: nets.NetSpec = { sizes, activation: act, bias };
        const params = nets.initParams(spec, { seed: sizes.length });
        const N = 9;
        const X = new Matrix(N, sizes[0], new Rng(3).normals(N * sizes[0]));
        const K = sizes[sizes.length - 1];
        const d = sizes[0];
        const og = cv.outputGradients(spec, params, X, { chunk: 4 }); // chunks of 4, 4, 1 samples
        const J = cv.parameterJacobian({ spec, params, X, Y: new Matrix(N, K) });
        const p = J.cols;
        const slots = nets.layout(spec);
        for (let n = 0; n < N; n++) {
          let all = 0;
          const perLayer = slots.map(() => 0);
          for (let k = 0; k < K; k++)
            for (let c = 0; c < p; c++) {
              const v = J.get(n * K + k, c) ** 2;
              all += v;
              slots.forEach((s, l) => {
                if (c >= s.wOffset && c < s.wOffset + s.rows * s.cols) perLayer[l] += v;
              });
            }
          assert.ok(rel(og.paramSqNorm[n], all) < 1e-12, `sample ${n}: ${og.paramSqNorm[n]} vs ${all}`);
          perLayer.forEach((v, l) => assert.ok(rel(og.weightSqNorm[l][n], v) < 1e-12, `sample ${n} layer ${l + 1}`));
          // input Jacobian: forward-mode propagation (a second algorithm) and central differences
          const x = X.data.slice(n * d, (n + 1) * d);
          const fwd = cv.inputJacobian(spec, params, x, sizes.length - 1);
          const mine = og.inputJacobian.data.subarray(n * K * d, (n + 1) * K * d);
          assert.ok(relArr(mine, fwd.data) < 1e-12);
          const h = 1e-6;
          const fd = new Float64Array(K * d);
          for (let i = 0; i < d; i++) {
            const a = x.slice();
            const b = x.slice();
            a[i] += h;
            b[i] -= h;
            const fa = nets.predict(spec, params, new Matrix(1, d, a)).data;
            const fb = nets.predict(spec, params, new Matrix(1, d, b)).data;
            for (let k = 0; k < K; k++) fd[k * d + i] = (fa[k] - fb[k]) / (2 * h);
          }
          assert.ok(relArr(mine, fd) < 1e-6, `finite differences, sample ${n}: ${relArr(mine, fd)}`);
        }
      },
    );
  }

  it("bad input is refused before any work", () => {
    const spec: nets.NetSpec = { sizes: [3, 2], activation: [], bias: false };
    assert.throws(
      () => cv.outputGradients(spec, new Float64Array(6), new Matrix(2, 4)),
      /takes inputs of width d = 3, but X is 2×4/,
    );
    assert.throws(
      () => cv.outputGradients(spec, new Float64Array([1, 2, 3, 4, 5, NaN]), new Matrix(2, 3)),
      /parameter 5 is NaN/,
    );
  });
});

describe("flatness metrics (Chen et al. 2024)", () => {
  it("closed forms for f(x) = W x + b with prescribed singular values", () => {
    const K = 3;
    const d = 5;
    const s = [2, 0.7, 0.1];
    const U = randomOrthogonal(K, 1);
    const V = randomOrthogonal(d, 2);
    const spec: nets.NetSpec = { sizes: [d, K], activation: [], bias: true };
    const params = new Float64Array(K * d + K);
    for (let i = 0; i < K; i++)
      for (let j = 0; j < d; j++) for (let t = 0; t < K; t++) params[i * d + j] += U.get(i, t) * s[t] * V.get(j, t);
    params.set([0.3, -0.2, 0.1], K * d);
    const X = new Matrix(4, d, new Rng(5).normals(20));
    const m = metrics.flatnessMetrics(spec, params, X);
    const l = s.map((v) => v * v);
    assert.ok(rel(m.mls, 2) < 1e-13);
    assert.ok(rel(m.G, l[0] + l[1] + l[2]) < 1e-13);
    assert.ok(rel(m.logVolume, Math.log(2 * 0.7 * 0.1)) < 1e-12);
    assert.ok(rel(m.localDim, (l[0] + l[1] + l[2]) ** 2 / (l[0] ** 2 + l[1] ** 2 + l[2] ** 2)) < 1e-13);
    assert.ok(rel(metrics.logVolume(spec, params, X, { volumeTop: 2 }).mean, Math.log(2 * 0.7)) < 1e-12);
    // ∇_θ f_k = (x for row k, 1 for b_k): ‖∇_θ f(x)‖²_F = K(‖x‖² + 1)
    const norms = Array.from({ length: 4 }, (_, i) => X.data.slice(i * d, (i + 1) * d).reduce((a, v) => a + v * v, 0));
    const S = norms.reduce((a, x2) => a + K * (x2 + 1), 0) / 4;
    assert.ok(rel(m.sharpness, S) < 1e-13);
    // Eq. 28: A = ‖W‖₂; B = ‖W‖₂·√K (‖∇_W f‖_F = √K‖x‖); C = ‖W‖₂ √(mean 1/‖x‖²) √(K mean ‖x‖²)
    const b = m.bounds!;
    assert.ok(rel(b.A, 2) < 1e-13);
    assert.ok(rel(b.B, 2 * Math.sqrt(K)) < 1e-13);
    const rms = Math.sqrt(norms.reduce((a, x2) => a + 1 / x2, 0) / 4);
    assert.ok(rel(b.C, 2 * rms * Math.sqrt((K * norms.reduce((a, v) => a + v, 0)) / 4)) < 1e-13);
    assert.ok(rel(b.D, 2 * rms * Math.sqrt(S)) < 1e-13);
    // one layer: the authors' normalisation √(Σ_l ‖W_l‖₂²) is ‖W₁‖₂ itself, so their B, C, D are the paper's
    assert.ok(rel(b.allLayersNorm, 2) < 1e-13 && rel(b.authors.C, b.C) < 1e-13 && rel(b.authors.D, b.D) < 1e-13);
    // without the bias θ = W and C = D (the paper's equality case)
    const noBias: nets.NetSpec = { ...spec, bias: false };
    const b2 = metrics.boundChain(noBias, params.slice(0, K * d), X);
    assert.ok(rel(b2.C, b2.D) < 1e-13);
  });

  it("bounds with the authors' normalisation: B, C, D × √(Σ_l ‖W_l‖₂²) / ‖W₁‖₂, the norms by power iteration", () => {
    const spec: nets.NetSpec = { sizes: [6, 5, 4, 3], activation: "tanh", bias: true };
    const params = nets.initParams(spec, { seed: 7, init: "he" });
    const X = new Matrix(9, 6, new Rng(8).normals(54));
    const b = metrics.boundChain(spec, params, X);
    // ‖W‖₂ by power iteration on WᵀW (an independent route to the largest singular value)
    const norm2 = (W: Matrix) => {
      let v = Array.from({ length: W.cols }, (_, i) => 1 + i);
      let s = 0;
      for (let it = 0; it < 500; it++) {
        const u = Array.from({ length: W.rows }, (_, r) => v.reduce((a, x, c) => a + W.get(r, c) * x, 0));
        const w = Array.from({ length: W.cols }, (_, c) => u.reduce((a, x, r) => a + W.get(r, c) * x, 0));
        s = Math.sqrt(Math.sqrt(w.reduce((a, x) => a + x * x, 0)) / Math.sqrt(v.reduce((a, x) => a + x * x, 0)));
        const n = Math.sqrt(w.reduce((a, x) => a + x * x, 0));
        v = w.map((x) => x / n);
      }
      return s;
    };
    const norms = [1, 2, 3].map((l) => norm2(nets.weight(spec, params, l)));
    const all = Math.sqrt(norms.reduce((a, v) => a + v * v, 0));
    assert.ok(rel(b.firstLayerNorm, norms[0]) < 1e-9);
    assert.ok(rel(b.allLayersNorm, all) < 1e-9);
    for (const k of ["B", "C", "D"] as const) assert.ok(rel(b.authors[k], (b[k] * all) / norms[0]) < 1e-9);
  });

  it("A ≤ B ≤ C ≤ D on random deep networks, every activation", () => {
    let checked = 0;
    for (const act of nets.ACTIVATIONS)
      for (const seed of [1, 2, 3]) {
        const sizes = [8, 12, 10, 3];
        const spec: nets.NetSpec = { sizes, activation: act, bias: seed % 2 === 1 };
        const params = nets.initParams(spec, { seed, init: "he" });
        const X = new Matrix(15, 8, new Rng(seed + 10).normals(120));
        const b = metrics.boundChain(spec, params, X);
        const slack = 1e-12 * b.D;
        assert.ok(
          b.A <= b.B + slack && b.B <= b.C + slack && b.C <= b.D + slack,
          `${act} seed ${seed}: ${JSON.stringify(b)}`,
        );
        assert.ok(b.A < b.D, "the chain is not trivially equal on a nonlinear network");
        checked++;
      }
    assert.equal(checked, nets.ACTIVATIONS.length * 3);
  });

  it("flatnessFromJacobians refuses inconsistent shapes and options", () => {
    assert.throws(
      () =>
        metrics.flatnessFromJacobians({ n: 2, K: 2, d: 3, inputJacobian: new Float64Array(11), paramSqNorm: [1, 1] }),
      /inputJacobian must hold n·K·d = 2·2·3 numbers, got 11/,
    );
    assert.throws(
      () =>
        metrics.flatnessFromJacobians({
          n: 2,
          K: 2,
          d: 3,
          inputJacobian: new Float64Array(12),
          paramSqNorm: [1, 2, 3],
        }),
      /paramSqNorm must hold one value for each of the first 1..2 samples, got 3/,
    );
    assert.throws(
      () => metrics.flatnessFromJacobians({ n: 1, K: 1, d: 1, inputJacobian: [1], paramSqNorm: [1] }, { volumeTop: 0 }),
      /volumeTop must be a positive integer/,
    );
  });
});

describe("tfjs autodiff Jacobians (for conv nets) and the VGG builder", () => {
  it("on a dense model, float32 autodiff gives the float64 engine's per-sample norms and input Jacobians", async () => {
    const { tf } = await loadTf();
    const spec: nets.NetSpec = { sizes: [7, 9, 8, 3], activation: "tanh", bias: true };
    const params = nets.initParams(spec, { seed: 4, init: "uniform" });
    const X = new Matrix(6, 7, new Rng(8).normals(42));
    const model = nets.toTfModel(tf, spec, params);
    const got = await metrics.tfJacobianData(model, X);
    model.dispose();
    const want = cv.outputGradients(spec, params, X);
    assert.deepEqual([got.n, got.K, got.d], [6, 3, 7]);
    assert.ok(
      relArr(got.paramSqNorm, want.paramSqNorm) < 1e-5,
      `‖∇θ f‖²: ${relArr(got.paramSqNorm, want.paramSqNorm)}`,
    );
    assert.ok(relArr(got.inputJacobian, want.inputJacobian.data) < 1e-5);
    const a = metrics.flatnessFromJacobians(got);
    const b = metrics.flatnessMetrics(spec, params, X);
    for (const k of ["sharpness", "logVolume", "G", "mls", "localDim"] as const)
      assert.ok(rel(a[k], b[k]) < 1e-4, `${k}: ${a[k]} vs ${b[k]}`);
    // sharpness on the first 2 inputs only: the mean of the float64 norms of those two
    const model2 = nets.toTfModel(tf, spec, params);
    const sub = metrics.flatnessFromJacobians(await metrics.tfJacobianData(model2, X, { paramSamples: 2 }));
    model2.dispose();
    assert.deepEqual([sub.perSample.sharpness.length, sub.perSample.G.length], [2, 6]);
    assert.ok(rel(sub.sharpness, (want.paramSqNorm[0] + want.paramSqNorm[1]) / 2) < 1e-5);
  });

  it(
    "the VGG layout flattens to 256 for 28×28 and 32×32 inputs, and refuses a stack that " + "collapses the image",
    async () => {
      const { tf } = await loadTf();
      for (const [hw, c] of [
        [28, 1],
        [32, 3],
      ] as const) {
        const spec: nets.VggSpec = { inputShape: [hw, hw, c], layers: nets.CHEN_VGG_LAYERS, hidden: [128], outputs: 2 };
        assert.equal(nets.vggFeatureShape(spec).flat, 256);
        const m = nets.vggModel(tf, spec, 0);
        const y = tf.tidy(() => m.predict(tf.zeros([2, hw, hw, c])) as import("../../src/backend/tf-api").Tensor);
        assert.deepEqual(y.shape, [2, 2]);
        y.dispose();
        m.dispose();
      }
      assert.throws(
        () => nets.vggFeatureShape({ inputShape: [4, 4, 1], layers: ["M", "M", "M"], hidden: [], outputs: 2 }),
        /the feature map vanishes \(0×0\)/,
      );
    },
  );
});

describe("flatness metrics of a hidden layer (option layer: f = input → h_l)", () => {
  it(
    "equal those from finite differences of the layer's activations, in x and in the " +
      "parameters before it; the output layer is the default",
    () => {
      const spec: nets.NetSpec = { sizes: [5, 4, 3, 2], activation: "tanh", bias: true };
      const params = nets.initParams(spec, { seed: 11 });
      const N = 6;
      const X = new Matrix(N, 5, new Rng(4).normals(N * 5));
      const l = 2;
      const M = 3;
      const h = (p: Float64Array, x: Matrix) => nets.forward(spec, p, x, { derivatives: false }).H[l];
      const m = metrics.flatnessMetrics(spec, params, X, { layer: l });
      const eps = 1e-6;
      // the parameters of layers 1..l come first in the layout
      const before = nets.layout(spec)[l].wOffset;
      for (let n = 0; n < N; n++) {
        const x = new Matrix(1, 5, X.data.slice(n * 5, n * 5 + 5));
        const J = new Matrix(M, 5);
        for (let j = 0; j < 5; j++) {
          const a = new Matrix(1, 5, x.data.slice());
          const b = new Matrix(1, 5, x.data.slice());
          a.data[j] += eps;
          b.data[j] -= eps;
          const ha = h(params, a).data,
            hb = h(params, b).data;
          for (let i = 0; i < M; i++) J.data[i * 5 + j] = (ha[i] - hb[i]) / (2 * eps);
        }
        let G = 0;
        for (const v of J.data) G += v * v;
        assert.ok(rel(m.perSample.G[n], G) < 1e-6, `G sample ${n}: ${m.perSample.G[n]} vs FD ${G}`);
        let S = 0;
        for (let t = 0; t < before; t++) {
          const pa = params.slice(),
            pb = params.slice();
          pa[t] += eps;
          pb[t] -= eps;
          const ha = h(pa, x).data,
            hb = h(pb, x).data;
          for (let i = 0; i < M; i++) S += ((ha[i] - hb[i]) / (2 * eps)) ** 2;
        }
        assert.ok(
          rel(m.perSample.sharpness[n], S) < 1e-6,
          `‖∇_θ h_l‖² sample ${n}: ${m.perSample.sharpness[n]} vs FD ${S}`,
        );
      }
      const out = metrics.flatnessMetrics(spec, params, X);
      assert.deepEqual(
        metrics.flatnessMetrics(spec, params, X, { layer: 3 }).perSample,
        out.perSample,
        "layer L is the output",
      );
      assert.notEqual(m.G, out.G);
      assert.throws(
        () => metrics.flatnessMetrics(spec, params, X, { layer: 4 }),
        /option layer must be an integer in \[1, 3\]/,
      );
      assert.throws(
        () => metrics.flatnessMetrics(spec, params, X, { layer: 0 }),
        /option layer must be an integer layer index ≥ 1/,
      );
    },
  );
});
