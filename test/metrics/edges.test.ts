/**
 * The metrics at their edges, each against a closed form or the exact text of a refusal: the flatness metrics of a
 * two-layer linear network f = W₂W₁x (∇ₓf = W₂W₁ for every input, ∇_{W₁}f_k = (W₂)_kᵀ xᵀ), its first hidden layer,
 * a sample whose Jacobian is zero, inputs and Jacobian data that are refused; representation spectra of a layer that
 * is identically zero and the refusals of the spectra; tfJacobianData's refusals, paramSamples 0 and its tensors.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import * as metrics from "../../src/metrics";
import { loadTf } from "../../src/backend";
import { Rng } from "../../src/util/random";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

// f = W₂W₁x: x ∈ R³, 4 hidden units, 2 outputs, no bias
const spec: nets.NetSpec = { sizes: [3, 4, 2], activation: "linear", bias: false };
const params = nets.initParams(spec, { seed: 7 });
const X = new Matrix(3, 3, new Rng(2).normals(9));
const W1 = nets.weight(spec, params, 1);
const W2 = nets.weight(spec, params, 2);
/** A = W₂W₁ (2 × 3), by hand. */
const A = new Matrix(2, 3);
for (let i = 0; i < 2; i++)
  for (let j = 0; j < 3; j++) {
    let t = 0;
    for (let h = 0; h < 4; h++) t += W2.get(i, h) * W1.get(h, j);
    A.set(i, j, t);
  }
const sqNorm = (m: Matrix) => m.data.reduce((a, v) => a + v * v, 0);
const rowSqNorms = (m: Matrix) =>
  Array.from({ length: m.rows }, (_, i) => m.data.slice(i * m.cols, (i + 1) * m.cols).reduce((a, v) => a + v * v, 0));

describe("flatness metrics of f = W₂W₁x in closed form", () => {
  // the squared singular values of A: the eigenvalues of AAᵀ = [[p, q], [q, s]], (tr ± √(tr² − 4 det)) / 2
  const dot = (i: number, j: number) => [0, 1, 2].reduce((a, t) => a + A.get(i, t) * A.get(j, t), 0);
  const [p, q, s] = [dot(0, 0), dot(0, 1), dot(1, 1)];
  const [tr, det] = [p + s, p * s - q * q];
  const l1 = (tr + Math.sqrt(tr * tr - 4 * det)) / 2;
  const l2 = (tr - Math.sqrt(tr * tr - 4 * det)) / 2;

  it("G = ‖W₂W₁‖²_F, MLS = σ_max(W₂W₁), local dimension (λ₁ + λ₂)²/(λ₁² + λ₂²) for every input", () => {
    assert.ok(rel(l1 + l2, sqNorm(A)) < 1e-12, "the two eigenvalues sum to ‖A‖²_F");
    const G = metrics.inputGradientNorm(spec, params, X);
    const mls = metrics.maxLocalSensitivity(spec, params, X);
    const dim = metrics.localDimensionality(spec, params, X);
    for (const [got, want, name] of [
      [G, sqNorm(A), "G"],
      [mls, Math.sqrt(l1), "MLS"],
      [dim, (l1 + l2) ** 2 / (l1 * l1 + l2 * l2), "local dimension"],
    ] as const) {
      assert.equal(got.perSample.length, 3);
      got.perSample.forEach((v, i) => assert.ok(rel(v, want) < 1e-12, `${name} sample ${i}: ${v} vs ${want}`));
      assert.ok(rel(got.mean, want) < 1e-12, `${name} mean`);
    }
  });

  it("sharpness ‖W₂‖²_F‖x‖² + 2‖W₁x‖² per input (K = 2 outputs), partial sharpness ‖W₂‖²_F·mean ‖x‖²", () => {
    // ∇_{W₁} f_k = (W₂)_kᵀ xᵀ: Σ_k ‖·‖² = ‖W₂‖²_F ‖x‖²; ∇_{W₂} f_k = e_k (W₁x)ᵀ: Σ_k ‖·‖² = 2 ‖W₁x‖²
    const x2 = rowSqNorms(X);
    const W1x = Array.from({ length: 3 }, (_, n) =>
      Array.from({ length: 4 }, (_, h) => [0, 1, 2].reduce((a, j) => a + W1.get(h, j) * X.get(n, j), 0)),
    );
    const m = metrics.flatnessMetrics(spec, params, X);
    m.perSample.sharpness.forEach((v, n) => {
      const want = sqNorm(W2) * x2[n] + 2 * W1x[n].reduce((a, t) => a + t * t, 0);
      assert.ok(rel(v, want) < 1e-12, `sample ${n}: ${v} vs ${want}`);
    });
    const meanX2 = x2.reduce((a, v) => a + v, 0) / 3;
    assert.ok(rel(m.bounds!.partialSharpness, sqNorm(W2) * meanX2) < 1e-12, `${m.bounds!.partialSharpness}`);
  });

  it("of the first hidden layer (layer 1): h₁ = W₁x, G = ‖W₁‖²_F, sharpness 4‖x‖² (4 units, each ∇_{W₁} = xᵀ)", () => {
    const m = metrics.flatnessMetrics(spec, params, X, { layer: 1 });
    const x2 = rowSqNorms(X);
    m.perSample.G.forEach((v) => assert.ok(rel(v, sqNorm(W1)) < 1e-12));
    m.perSample.sharpness.forEach((v, n) => assert.ok(rel(v, 4 * x2[n]) < 1e-12, `sample ${n}`));
  });

  it("of layer 1 of a deeper network with one activation per layer: h₁ = tanh(W₁x + b₁)", () => {
    // ∇ₓh₁ = diag(1 − h₁²) W₁, ∇_{(W₁)_k, (b₁)_k} h_k = (1 − h_k²)(xᵀ, 1): both weighted by (1 − h_k²)²
    const deep: nets.NetSpec = { sizes: [3, 4, 3, 2], activation: ["tanh", "relu"], bias: true };
    const dp = nets.initParams(deep, { seed: 3 });
    const V = nets.weight(deep, dp, 1);
    const b = dp.subarray(12, 16);
    const m = metrics.flatnessMetrics(deep, dp, X, { layer: 1 });
    for (let n = 0; n < 3; n++) {
      let G = 0;
      let S = 0;
      const x2 = rowSqNorms(X)[n];
      for (let k = 0; k < 4; k++) {
        const z = [0, 1, 2].reduce((a, j) => a + V.get(k, j) * X.get(n, j), b[k]);
        const w = (1 - Math.tanh(z) ** 2) ** 2;
        G += w * [0, 1, 2].reduce((a, j) => a + V.get(k, j) ** 2, 0);
        S += w * (x2 + 1);
      }
      assert.ok(rel(m.perSample.G[n], G) < 1e-12, `G sample ${n}: ${m.perSample.G[n]} vs ${G}`);
      assert.ok(rel(m.perSample.sharpness[n], S) < 1e-12, `sharpness sample ${n}: ${m.perSample.sharpness[n]} vs ${S}`);
    }
  });

  it("refuses a layer past the output and a zero input, saying which", () => {
    assert.throws(() => metrics.flatnessMetrics(spec, params, X, { layer: 3 }), {
      message: "flatnessMetrics: option layer must be an integer in [1, 2] (1 … 1 hidden, 2 the output); got 3",
    });
    const Z = new Matrix(3, 3, X.data.slice());
    Z.data.fill(0, 3, 6);
    assert.throws(() => metrics.flatnessMetrics(spec, params, Z), {
      message: "flatness: input 1 is zero; the bounds of Eq. 28 divide by ‖x_i‖",
    });
  });
});

describe("flatnessFromJacobians at its edges", () => {
  it("a sample whose Jacobian is zero: G 0, MLS 0, local dimension 0 (not 0/0), log volume −∞", () => {
    // sample 0: ∇ₓf = 0; sample 1: ∇ₓf = [3, 4] (σ = 5)
    const m = metrics.flatnessFromJacobians({ n: 2, K: 1, d: 2, inputJacobian: [0, 0, 3, 4], paramSqNorm: [1, 2] });
    assert.deepEqual(m.perSample.G, [0, 25]);
    assert.deepEqual(m.perSample.mls, [0, 5]);
    assert.deepEqual(m.perSample.localDim, [0, 1]);
    assert.deepEqual(m.perSample.logVolume, [-Infinity, Math.log(5)]);
    assert.equal(m.localDim, 0.5);
    assert.equal(m.sharpness, 1.5);
  });

  it("refuses no samples, no parameter norms and volumeTop 0 with exact messages", () => {
    const cases: [Parameters<typeof metrics.flatnessFromJacobians>, string][] = [
      [[{ n: 0, K: 1, d: 1, inputJacobian: [], paramSqNorm: [] }], "flatness: no samples"],
      [
        [{ n: 1, K: 1, d: 1, inputJacobian: [1], paramSqNorm: [] }],
        "flatness: paramSqNorm must hold one value for each of the first 1..1 samples, got 0",
      ],
      [
        [{ n: 1, K: 1, d: 1, inputJacobian: [1], paramSqNorm: [1] }, { volumeTop: 0 }],
        "flatnessFromJacobians: option volumeTop must be a positive integer; got 0",
      ],
    ];
    for (const [args, message] of cases) assert.throws(() => metrics.flatnessFromJacobians(...args), { message });
  });
});

describe("representation spectra at their edges", () => {
  it("a layer that is identically zero has zero singular values and a cumulative variance of 0, not 0/0", () => {
    const p = params.slice();
    p.fill(0, 0, 12); // W₁ = 0: every pre-activation of both layers is 0
    for (const centred of [true, false])
      for (const r of metrics.representationSpectra(spec, p, X, { centred })) {
        assert.deepEqual(r.singularValues, [0, 0, 0].slice(0, Math.min(3, r.width)));
        assert.deepEqual(r.cumulativeVariance, [0, 0, 0].slice(0, Math.min(3, r.width)));
      }
  });

  it("refusals name the function", () => {
    const wrongX = new Matrix(2, 4);
    const short = new Float64Array(5);
    const cases: [() => unknown, string][] = [
      [
        () => metrics.weightSpectra(spec, short),
        "weightSpectra: the spec [3,4,2] has 20 parameters, got a vector of 5",
      ],
      [
        () => metrics.representationSpectra(spec, params, wrongX),
        "representationSpectra: the network takes inputs of width d = 3, but X is 2×4",
      ],
      [
        () => metrics.representationSpectra(spec, short, X),
        "representationSpectra: the spec [3,4,2] has 20 parameters, got a vector of 5",
      ],
      [
        () => metrics.dataWeightSpectra(spec, params, wrongX),
        "dataWeightSpectra: the network takes inputs of width d = 3, but X is 2×4",
      ],
      [
        () => metrics.dataWeightSpectra(spec, short, X),
        "dataWeightSpectra: the spec [3,4,2] has 20 parameters, got a vector of 5",
      ],
    ];
    for (const [call, message] of cases) assert.throws(call, { message });
  });
});

describe("tfJacobianData at its edges", () => {
  it("refuses X of the wrong width; paramSamples 0 computes no parameter norms; no tensor is left behind", async () => {
    const { tf } = await loadTf();
    const model = nets.toTfModel(tf, spec, params);
    try {
      const before = tf.memory().numTensors;
      await assert.rejects(metrics.tfJacobianData(model, new Matrix(2, 4)), {
        message: "tfJacobianData: the model takes inputs of shape [3] (3 numbers), but X is 2×4",
      });
      const none = await metrics.tfJacobianData(model, X, { paramSamples: 0 });
      assert.equal(none.paramSqNorm.length, 0);
      // the input Jacobians are still there: A for every input (float32)
      for (let n = 0; n < 3; n++)
        for (let t = 0; t < 6; t++)
          assert.ok(Math.abs(none.inputJacobian[n * 6 + t] - A.data[t]) < 1e-5 * Math.max(1, Math.abs(A.data[t])));
      await metrics.tfJacobianData(model, X, { paramSamples: 2 });
      assert.equal(tf.memory().numTensors, before, "every tensor disposed");
    } finally {
      model.dispose();
    }
  });
});
