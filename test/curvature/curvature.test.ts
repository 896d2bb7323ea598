import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import * as la from "../../src/linalg";
import { Matrix } from "../../src/linalg";
import { centre } from "../../src/data";
import { Rng } from "../../src/util/random";
import { maxAbsDiff, maxAbs, naiveMul, symmetricWithSpectrum } from "../helpers";
import { NET_CASES, caseName, problemOf, reference, relErr } from "../cases";
import { loadTf } from "../../src/backend";

/** A shared case (test/cases.ts) of other sizes. */
const smallProblem = (
  activation: nets.Activation,
  loss: nets.LossName,
  bias: boolean,
  seed = 1,
  sizes = [3, 4, 3, 2],
  N = 5,
): cv.Problem => problemOf({ activation, loss, bias, seed, sizes, N });

describe("loss, gradient, H, H_o and H_f against the shared references (test/cases.ts), every activation × loss", () => {
  for (const c of NET_CASES)
    it(caseName(c), () => {
      const prob = problemOf(c);
      const { loss, gradient } = cv.lossAndGradient(prob);
      const refLoss = reference.loss(prob);
      assert.ok(Math.abs(loss - refLoss) <= 1e-13 * Math.max(1, Math.abs(refLoss)), `loss ${loss} vs ${refLoss}`);
      assert.ok(Math.abs(cv.lossValue(prob) - refLoss) <= 1e-13 * Math.max(1, Math.abs(refLoss)));
      const g = reference.gradient(prob);
      assert.ok(relErr(gradient, g) < 1e-7, `gradient rel err ${relErr(gradient, g)}`);
      const { H, Ho, Hf } = cv.hessian(prob);
      const refH = reference.hessian(prob);
      assert.ok(relErr(H!.data, refH.data) < 1e-5, `Hessian rel err ${relErr(H!.data, refH.data)}`);
      const refHo = reference.ggn(prob);
      assert.ok(relErr(Ho!.data, refHo.data) < 1e-8, `H_o rel err ${relErr(Ho!.data, refHo.data)}`);
      // H_f = H − H_o against the references' difference (H_f is small next to H: judged on H's scale)
      const refHf = refH.data.map((v, i) => v - refHo.data[i]);
      assert.ok(maxAbsDiff(Hf!.data, refHf) < 1e-5 * maxAbs(refH.data), `H_f err ${maxAbsDiff(Hf!.data, refHf)}`);
      // a second algorithm inside the package: H_o from the explicit Jacobian route
      const HoJ = cv.gaussNewtonFromJacobian(prob);
      assert.ok(relErr(HoJ.data, Ho!.data) <= 1e-10, `H_o vs Jacobian route ${relErr(HoJ.data, Ho!.data)}`);
    });
});

describe("rank of H_o at scale: the N·K × N·K Gram of the loss-weighted Jacobian", () => {
  for (const loss of nets.LOSSES)
    for (const bias of [false, true])
      it(
        `${loss}, ${bias ? "bias" : "no bias"}: Γ = (1/N)(SJ)(SJ)ᵀ from the explicit Jacobian; ` +
          `its spectrum is H_o's non-zero one, and its rank the dense rank`,
        () => {
          // N·K = 24 < p: H_o (p × p) has at most 24 non-zero eigenvalues
          const prob = smallProblem("tanh", loss, bias, 4, [5, 7, 6, 3], 8);
          const gram = cv.gaussNewtonGram(prob);
          const N = 8,
            K = 3;
          assert.deepEqual([gram.rows, gram.cols], [N * K, N * K]);
          // MSE (S = I): Γ = J Jᵀ / N from the explicit Jacobian by a naive product
          const J = cv.parameterJacobian(prob);
          const p = J.cols;
          if (loss === "mse") {
            const ref = naiveMul(J, J.transpose()).data.map((v) => v / N);
            assert.ok(
              maxAbsDiff(gram.data, ref) <= 1e-12 * maxAbs(ref),
              `Gram vs JJᵀ/N: ${maxAbsDiff(gram.data, ref)}`,
            );
          }
          // every loss: the non-zero eigenvalues of Γ are those of the dense H_o = Jᵀ Λ J / N
          const evG = Array.from(la.eigvalsh(gram)).sort((a, b) => b - a);
          const Ho = cv.gaussNewtonFromJacobian(prob);
          const evH = Array.from(la.eigvalsh(Ho))
            .sort((a, b) => b - a)
            .slice(0, N * K);
          assert.ok(maxAbsDiff(evG, evH) <= 1e-10 * evH[0], `spectra: ${maxAbsDiff(evG, evH)}`);
          const sp = cv.gaussNewtonSpectrum(prob);
          assert.equal(sp.p, p);
          assert.equal(sp.rank, cv.spectrumOf(Ho).rank, "rank from the Gram = dense rank of H_o");
        },
      );
  it(
    "a bottleneck the Gram sees: a width-1 layer caps rank H_o for MSE at the Jacobian's " +
      "rank; refused before allocating when too large",
    () => {
      const prob = smallProblem("linear", "mse", false, 2, [6, 1, 4], 10);
      const sp = cv.gaussNewtonSpectrum(prob);
      assert.equal(sp.rank, cv.spectrumOf(cv.gaussNewtonFromJacobian(prob)).rank);
      // Singh et al. Fact 7 / Cor. 4 for a linear [6, 1, 4] net: rank H_o = q(d + K) − q² with q = min(6, 1, 4) = 1 → 9
      assert.equal(sp.rank, 9);
      assert.throws(
        () => cv.gaussNewtonGram(prob, { maxBytes: 1000 }),
        /gaussNewtonGram: two N·K × N·K = 40 × 40 float64 matrices need .* GiB, over the limit .*option maxBytes/,
      );
      // 40 × 40 doubles: 2 copies = 25 600 bytes (MSE), 3 = 38 400 (CE, which holds the scaled copy and its transpose
      // too)
      assert.doesNotThrow(() => cv.gaussNewtonGram(prob, { maxBytes: 25600 }));
      assert.throws(
        () => cv.gaussNewtonGram({ ...prob, loss: "ce" }, { maxBytes: 25600 }),
        /gaussNewtonGram: three N·K × N·K = 40 × 40 float64 matrices/,
      );
    },
  );
});

describe("linear networks", () => {
  it("the closed form (Σ_xx, Ω) equals the general Hessian to 1e-10", () => {
    for (const [sizes, N, seed] of [
      [[6, 5, 4, 3], 20, 1],
      [[8, 3, 6, 2], 5, 2],
      [[4, 7, 7, 7, 3], 9, 3],
      [[5, 2], 8, 4],
    ] as [number[], number, number][]) {
      const prob = smallProblem("linear", "mse", false, seed, sizes, N);
      const gen = cv.hessian(prob);
      const cf = cv.linearHessianClosedForm(prob);
      for (const part of ["H", "Ho", "Hf"] as const) {
        const scale = Math.max(1e-12, maxAbs(gen.H!.data));
        assert.ok(maxAbsDiff(cf[part]!.data, gen[part]!.data) <= 1e-10 * scale, `${part} for [${sizes}]`);
      }
    }
  });

  it("ranks equal Corollary 4, Corollary 6 (as equality) and Fact 7 on 32 random architectures without bias", () => {
    const R = new Rng(11);
    let bottlenecks = 0;
    let fewSamples = 0;
    for (let t = 0; t < 32; t++) {
      const L = 2 + R.int(3);
      const sizes = [2 + R.int(7)];
      for (let i = 1; i < L; i++) sizes.push(1 + R.int(7));
      sizes.push(1 + R.int(5));
      const N = 2 + R.int(12);
      const prob = smallProblem("linear", "mse", false, t, sizes, N);
      const h = cv.hessian(prob);
      const r = la.rank(prob.X);
      const s = la.rank(cv.linearStatistics(prob).omega);
      const f = cv.linearRankFormulas({ sizes, r, s });
      const [rH, rHo, rHf] = [h.H!, h.Ho!, h.Hf!].map((M) => cv.spectrumOf(M).rank);
      assert.deepEqual([rH, rHo, rHf], [f.H, f.Ho, f.Hf], `[${sizes}] N=${N} r=${r} s=${s}`);
      if (Math.min(...sizes.slice(1, -1)) < Math.min(r, sizes[L])) bottlenecks++;
      if (N < sizes[0]) fewSamples++;
    }
    assert.ok(bottlenecks >= 5 && fewSamples >= 5, `coverage: ${bottlenecks} bottlenecks, ${fewSamples} with N < d`);
  });

  it(
    "with bias and centred inputs: Theorem 12 bounds H_o; Fact 13 holds unless a hidden layer " +
      "is narrower than min(r+1, K)",
    () => {
      const R = new Rng(12);
      let exact = 0;
      let under = 0;
      for (let t = 0; t < 40; t++) {
        const L = 2 + R.int(3);
        const sizes = [2 + R.int(7)];
        for (let i = 1; i < L; i++) sizes.push(1 + R.int(7));
        sizes.push(1 + R.int(5));
        const N = 3 + R.int(12);
        const prob = smallProblem("linear", "mse", true, 50 + t, sizes, N);
        prob.X = centre({ name: "", X: prob.X, Y: prob.Y, description: "" }).X;
        const h = cv.hessian(prob);
        const r = la.rank(prob.X);
        const f = cv.linearRankFormulas({ sizes, r, bias: true });
        const rH = cv.spectrumOf(h.H!).rank;
        assert.ok(cv.spectrumOf(h.Ho!).rank <= f.Ho, `Theorem 12 for [${sizes}]`);
        const hiddenBottleneck = Math.min(...sizes.slice(1, -1)) < Math.min(r + 1, sizes[L]);
        if (!hiddenBottleneck) {
          assert.equal(rH, f.H, `Fact 13 for [${sizes}] N=${N} r=${r}`);
          exact++;
        } else {
          // observed here: Fact 13 under-predicts the rank in this regime (reported, not hidden)
          assert.ok(rH > f.H, `[${sizes}]: measured ${rH}, Fact 13 ${f.H}`);
          under++;
        }
      }
      assert.ok(exact >= 15 && under >= 3, `coverage: ${exact} exact, ${under} bottlenecked`);
    },
  );
});

describe("zero-loss MSE minimum (Hebbar 2022)", () => {
  it("H = (1/N)·G Gᵀ for rankscope's mean ½‖·‖² loss, so H = 2GGᵀ for Hebbar's Σ(f−y)², and rank H = rank G", () => {
    for (const act of ["tanh", "relu", "linear"] as nets.Activation[]) {
      const prob = smallProblem(act, "mse", true, 7, [2, 5, 4, 1], 6);
      prob.Y = nets.predict(prob.spec, prob.params, prob.X); // targets the network fits exactly: loss 0
      assert.equal(cv.lossValue(prob), 0);
      const { H, Hf } = cv.hessian(prob);
      const G = cv.behavioralGradients(prob); // p × N
      const N = prob.X.rows;
      const GGt = naiveMul(G, G.transpose());
      assert.ok(
        maxAbsDiff(
          H!.data,
          GGt.data.map((v) => v / N),
        ) <=
          1e-12 * maxAbs(H!.data),
      );
      assert.ok(maxAbs(Hf!.data) === 0, "H_f vanishes with zero residual");
      // Hessian of Hebbar's Σ(f−y)² = 2N · H (H is that of the mean ½(f−y)²): checked along random directions u
      // against second differences of Σ(f−y)² computed from forward passes alone (no gradient code involved)
      const sumSq = (th: Float64Array) => {
        const F = nets.predict(prob.spec, th, prob.X);
        return F.data.reduce((a, f, i) => a + (f - prob.Y.data[i]) ** 2, 0);
      };
      const rng = new Rng(17);
      const p = prob.params.length;
      for (let t = 0; t < 3; t++) {
        const u = rng.normals(p);
        const h = 1e-4;
        const shifted = (sign: number) => sumSq(prob.params.map((x, i) => x + sign * h * u[i]));
        const fd = (shifted(1) + shifted(-1) - 2 * sumSq(prob.params)) / (h * h);
        let uHu = 0;
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) uHu += u[i] * 2 * N * H!.get(i, j) * u[j];
        assert.ok(Math.abs(fd - uHu) <= 1e-5 * Math.abs(uHu), `${act}: uᵀ(2N·H)u ${uHu} vs second difference ${fd}`);
      }
      assert.equal(cv.spectrumOf(H!).rank, la.rank(G));
    }
  });
});

describe("matrix-free products and estimators", () => {
  const prob = smallProblem("tanh", "ce", true, 3, [4, 6, 5, 3], 12);
  const { H } = cv.hessian(prob);
  it("hessianVectorProducts equals rows of V·H; GGN kind equals V·H_o", () => {
    const V = new Matrix(3, H!.rows, new Rng(5).normals(3 * H!.rows));
    assert.ok(maxAbsDiff(cv.hessianVectorProducts(prob, V).data, naiveMul(V, H!).data) < 1e-12 * maxAbs(H!.data) * 10);
    const Ho = cv.gaussNewtonFromJacobian(prob);
    assert.ok(maxAbsDiff(cv.hessianVectorProducts(prob, V, "ggn").data, naiveMul(V, Ho).data) < 1e-11);
  });
  it("Lanczos finds the top eigenvalues of the network Hessian and of a dense matrix", () => {
    const ev = Array.from(la.eigvalsh(H!)).sort((a, b) => b - a);
    const top = cv.topEigenvalues(cv.curvatureOperator(prob), 4);
    assert.ok(maxAbsDiff(top, ev.slice(0, 4)) < 1e-9 * Math.abs(ev[0]), `${Array.from(top)} vs ${ev.slice(0, 4)}`);
    const A = symmetricWithSpectrum([10, 9, 5, 1, 1, 0.5, 0, -3], 4);
    assert.ok(maxAbsDiff(cv.topEigenvalues(cv.denseOperator(A), 3), [10, 9, 5]) < 1e-10);
    assert.ok(maxAbsDiff(cv.topEigenvalues(cv.denseOperator(A), 3, { which: "magnitude" }), [10, 9, 5]) < 1e-10);
  });
  it("Hutchinson's trace is within 4 standard errors of the exact trace", () => {
    const tr = Array.from({ length: H!.rows }, (_, i) => H!.get(i, i)).reduce((a, b) => a + b, 0);
    const est = cv.hutchinsonTrace(cv.curvatureOperator(prob), { samples: 400, seed: 2 });
    assert.ok(Math.abs(est.trace - tr) < 4 * est.stderr, `${est.trace} ± ${est.stderr} vs ${tr}`);
  });
});

describe("input Jacobians of every layer's pre-activations", () => {
  it("match finite differences of the forward pass, and equal W_l⋯W_1 for linear networks", () => {
    const spec: nets.NetSpec = { sizes: [5, 7, 6, 3], activation: ["tanh", "gelu"], bias: true };
    const params = nets.initParams(spec, { seed: 4 });
    const X = new Matrix(3, 5, new Rng(9).normals(15));
    for (let layer = 1; layer <= 3; layer++) {
      const sv = cv.inputJacobianSingularValues(spec, params, X, layer);
      for (let n = 0; n < 3; n++) {
        const x = X.row(n).slice();
        const J = cv.inputJacobian(spec, params, x, layer);
        const h = 1e-6;
        for (let i = 0; i < 5; i++) {
          const a = x.slice();
          const b = x.slice();
          a[i] += h;
          b[i] -= h;
          const za = nets.forward(spec, params, new Matrix(1, 5, a)).Z[layer].data;
          const zb = nets.forward(spec, params, new Matrix(1, 5, b)).Z[layer].data;
          for (let j = 0; j < J.rows; j++) assert.ok(Math.abs((za[j] - zb[j]) / (2 * h) - J.get(j, i)) < 1e-7);
        }
        assert.ok(maxAbsDiff(sv[n], la.svdvals(J)) < 1e-12);
      }
    }
    const lin: nets.NetSpec = { sizes: [4, 6, 3, 5], activation: "linear", bias: false };
    const th = nets.initParams(lin, { seed: 1 });
    const W = (l: number) => nets.weight(lin, th, l);
    const J3 = cv.inputJacobian(lin, th, new Float64Array([1, 2, 3, 4]), 3);
    assert.ok(maxAbsDiff(J3.data, naiveMul(W(3), naiveMul(W(2), W(1))).data) < 1e-12);
  });
});

describe("spectra", () => {
  it("reconstruction errors from the spectrum equal ‖H − H_k‖_F/‖H‖_F from explicit eigenpairs", () => {
    const A = symmetricWithSpectrum([4, -3, 2, 1, 0.5, 0], 8);
    const errs = cv.reconstructionErrors(la.eigvalsh(A));
    const { values, vectors } = la.eigh(A);
    const order = Array.from(values.keys()).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]));
    const normA = la.frobenius(A);
    for (let k = 0; k <= 6; k++) {
      const Ak = new Matrix(6, 6);
      for (const idx of order.slice(0, k))
        for (let i = 0; i < 6; i++)
          for (let j = 0; j < 6; j++) Ak.data[i * 6 + j] += values[idx] * vectors.get(i, idx) * vectors.get(j, idx);
      const diff = new Matrix(
        6,
        6,
        A.data.map((v, i) => v - Ak.data[i]),
      );
      assert.ok(Math.abs(errs[k] - la.frobenius(diff) / normA) < 1e-12, `k=${k}`);
    }
  });
});

describe("tfjs round trip", () => {
  it(
    "a tf.Sequential built from a spec gives the same outputs (float32) and reads back the " + "same parameters",
    async () => {
      const { tf } = await loadTf();
      for (const act of ["tanh", "relu", "leaky-relu", "sigmoid", "linear"] as nets.Activation[]) {
        const spec: nets.NetSpec = { sizes: [4, 6, 5, 3], activation: act, bias: true };
        const params = nets.initParams(spec, { seed: 2 });
        const b = nets.layout(spec)[0].bOffset;
        for (let i = 0; i < 6; i++) params[b + i] = 0.1 * (i - 2); // non-zero biases
        const model = nets.toTfModel(tf, spec, params);
        const X = new Matrix(7, 4, new Rng(3).normals(28));
        const ours = nets.predict(spec, params, X).data;
        const theirs = tf.tidy(() =>
          (
            model.predict(tf.tensor2d(Float32Array.from(X.data), [7, 4])) as import("../../src/backend/tf-api").Tensor
          ).dataSync(),
        );
        assert.ok(maxAbsDiff(ours, theirs) < 1e-5 * Math.max(1, maxAbs(ours)), `${act}: ${maxAbsDiff(ours, theirs)}`);
        const back = nets.fromTfModel(model);
        assert.deepEqual(nets.normalizeSpec(back.spec), nets.normalizeSpec(spec));
        assert.ok(maxAbsDiff(back.params, params) < 1e-7, `${act} params`);
        model.dispose();
      }
    },
  );
});

describe("bad input is refused before heavy work, with the option named", () => {
  const prob = smallProblem("tanh", "mse", false);
  it("data width, targets, parameters, activation, loss, size", () => {
    assert.throws(() => cv.hessian({ ...prob, X: new Matrix(5, 4) }), /inputs of width d = 3, but X is 5×4/);
    assert.throws(() => cv.hessian({ ...prob, Y: new Matrix(5, 3) }), /K = 2 outputs, but Y is 5×3/);
    const bad = prob.params.slice();
    bad[2] = NaN;
    assert.throws(() => cv.hessian({ ...prob, params: bad }), /parameter 2 is NaN/);
    assert.throws(
      () => cv.hessian({ ...prob, params: prob.params.subarray(1) }),
      /has \d+ parameters, got a vector of/,
    );
    assert.throws(
      () => cv.hessian({ ...prob, spec: { ...prob.spec, activation: "swish" as never } }),
      /unknown activation "swish"; allowed: linear, relu, leaky-relu, tanh, sigmoid, gelu/,
    );
    assert.throws(
      () => cv.hessian({ ...prob, loss: "hinge" as never }),
      /unknown loss "hinge"; allowed: mse, ce, logcosh/,
    );
    const big: nets.NetSpec = { sizes: [784, 500, 500, 10], activation: "tanh", bias: false };
    const t0 = Date.now();
    assert.throws(
      () =>
        cv.hessian({
          spec: big,
          params: new Float64Array(nets.paramCount(big)),
          X: new Matrix(2, 784),
          Y: new Matrix(2, 10),
        }),
      /p = 647000 parameters needs 3 dense .* GiB, over the limit .* Use the matrix-free functions/,
    );
    assert.ok(Date.now() - t0 < 2000, "refused quickly");
    assert.throws(() => cv.hessian(prob, { parts: ["Hx" as never] }), /unknown part "Hx"; allowed: H, Ho, Hf/);
  });
});

describe("hessian's result type narrows on parts", () => {
  it(
    "asks only for H: H is a Matrix (no assertion needed), Ho and Hf are undefined at run " + "time as the type says",
    () => {
      const spec = { sizes: [3, 4, 2], activation: "tanh" as const, bias: true };
      const params = nets.initParams(spec, { seed: 1 });
      const X = new Matrix(5, 3, new Rng(1).normals(15));
      const Y = new Matrix(5, 2, new Rng(2).normals(10));
      const r = cv.hessian({ spec, params, X, Y }, { parts: ["H"] });
      const H: Matrix = r.H; // compiles only because the type narrowed
      assert.equal(H.rows, r.p);
      const none: undefined = r.Ho;
      assert.equal(none, undefined);
      assert.equal(r.Hf, undefined);
      const all = cv.hessian({ spec, params, X, Y });
      const sum = all.Ho.data[0] + all.Hf.data[0];
      assert.ok(Math.abs(sum - all.H.data[0]) < 1e-12 * (1 + Math.abs(all.H.data[0])));
    },
  );
});
