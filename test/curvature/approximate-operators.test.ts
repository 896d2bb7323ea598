/**
 * Approximate operators carry their error (issue 42, item 6): the asymmetry ‖A − Aᵀ‖_F / ‖A‖_F is measured (exactly on
 * the dense matrix, or from probes) and checked against a closed form; spectra, densities and traces from an
 * approximate operator say "approximate" with the measured asymmetry; an exact rank is refused with the alternatives
 * named. Exact operators stay exact: their rank agrees with the dense float64 matrix's and nothing is attached.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type * as tfType from "../../src/backend/tf-api";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { loadTf } from "../../src/backend";
import { symmetricWithSpectrum } from "../helpers";

/** S + εK with S symmetric (known spectrum) and K antisymmetric, and its asymmetry in closed form. */
function perturbed(p: number, eps: number): { A: Matrix; asymmetry: number } {
  const rng = new Rng(21);
  const S = symmetricWithSpectrum(
    Array.from({ length: p }, () => rng.normal()),
    22,
  );
  const K = new Matrix(p, p);
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      const v = rng.normal();
      K.set(i, j, v);
      K.set(j, i, -v);
    }
  const A = new Matrix(p, p);
  let s2 = 0;
  let k2 = 0;
  for (let i = 0; i < p * p; i++) {
    A.data[i] = S.data[i] + eps * K.data[i];
    s2 += S.data[i] ** 2;
    k2 += K.data[i] ** 2;
  }
  // A − Aᵀ = 2εK, and ⟨S, K⟩_F = 0: ‖A‖²_F = ‖S‖²_F + ε²‖K‖²_F
  return { A, asymmetry: (2 * eps * Math.sqrt(k2)) / Math.sqrt(s2 + eps * eps * k2) };
}

describe("approximate operators carry their error", () => {
  it("the asymmetry ‖A − Aᵀ‖_F / ‖A‖_F: exact on the dense matrix, estimated from probes (closed form S + εK)", () => {
    const { A, asymmetry } = perturbed(60, 0.01);
    assert.ok(Math.abs(cv.matrixAsymmetry(A) - asymmetry) < 1e-12 * asymmetry);
    const est = cv.operatorAsymmetry(cv.denseOperator(A), { probes: 40, seed: 1 });
    assert.ok(Math.abs(est.asymmetry - asymmetry) < 0.2 * asymmetry, `probes ${est.asymmetry} vs ${asymmetry}`);
    // an exact symmetric operator: rounding only
    const sym = cv.denseOperator(symmetricWithSpectrum([3, 2, 1, 0, 0, 0], 2));
    assert.ok(cv.operatorAsymmetry(sym, { probes: 6 }).asymmetry < 1e-14);
  });

  it("spectra, densities and traces of a deliberately approximate operator say so; its exact rank is refused", () => {
    const { A, asymmetry } = perturbed(40, 0.004);
    const op: cv.SymmetricOperator = { ...cv.denseOperator(A), approximate: { method: "test perturbation" } };
    const ritz = cv.ritzPairs(op, 2, { steps: 40 });
    assert.equal(ritz.approximate?.method, "test perturbation");
    // measured from probes on first use, within the probes' error of the closed form
    assert.ok(ritz.approximate!.asymmetry > asymmetry / 3 && ritz.approximate!.asymmetry < 3 * asymmetry);
    assert.match(ritz.approximate!.note, /^approximate \(test perturbation\): measured asymmetry .* %.*no exact rank/);
    const density = cv.spectralDensity(op, { probes: 2, steps: 20, threshold: 0.5 });
    assert.ok(density.approximate && density.approximate.asymmetry > 0);
    const figure = cv.densityFigure(density);
    assert.match(String((figure.data[0] as { name?: string }).name), /approximate, asymmetry \d/);
    assert.ok(cv.hutchinsonTrace(op, { samples: 4 }).approximate);
    assert.ok(cv.hutchPlusPlus(op, { matvecs: 6 }).approximate);
    assert.ok(cv.hutchinsonDiagonal(op, { samples: 4 }).approximate);
    assert.ok(cv.blockOperator(op, [0, 1, 2]).approximate, "a block of an approximate operator is approximate");
    // the dense matrix: exact asymmetry, eigenvalues of the symmetric part, no rank
    const full = cv.operatorSpectrum(op);
    assert.equal(full.rank, undefined);
    assert.ok(Math.abs(full.asymmetry - asymmetry) < 1e-12 * asymmetry);
    assert.equal(full.approximate?.asymmetryFrom, "dense matrix");
    assert.equal(op.approximate!.asymmetry, full.asymmetry);
    assert.throws(
      () => cv.operatorRank(op),
      /operatorRank: the operator is approximate \(test perturbation; measured asymmetry .* from dense matrix\).*curvatureOperator \/ hessian.*spectralDensity\(op, \{ threshold \}\)\.countAbove/,
    );
  });

  it("an exact operator: rank from its products equals the dense float64 H_o's, symmetric to rounding, nothing attached", () => {
    const spec: nets.NetSpec = { sizes: [5, 8, 3], activation: "tanh", bias: true };
    const rng = new Rng(3);
    const N = 6;
    const problem: cv.Problem = {
      spec,
      params: nets.initParams(spec, { seed: 1 }),
      X: new Matrix(N, 5, rng.normals(N * 5)),
      Y: new Matrix(N, 3, rng.normals(N * 3)),
      loss: "mse",
    };
    const op = cv.curvatureOperator(problem, "ggn");
    const dense = cv.spectrumOf(cv.hessian(problem, { parts: ["Ho"] }).Ho);
    assert.equal(dense.rank, N * 3); // rank H_o = N·K < p = 75
    assert.equal(cv.operatorRank(op), dense.rank);
    const full = cv.operatorSpectrum(op);
    assert.ok(full.asymmetry < 1e-13, `asymmetry ${full.asymmetry}`);
    assert.equal(full.approximate, undefined);
    assert.equal(cv.ritzPairs(op, 2).approximate, undefined);
    assert.equal("approximate" in cv.hutchinsonTrace(op, { samples: 4 }), false);
  });

  it("modelOperator on a conv net (central differences): asymmetry > 0 measured and reported, exact rank refused", async (t) => {
    const { tf } = await loadTf();
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          filters: 2,
          kernelSize: 3,
          activation: "relu",
          inputShape: [5, 5, 1],
          kernelInitializer: init(1),
          biasInitializer: "glorotUniform",
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, kernelInitializer: init(2) }),
      ],
    });
    const rng = new Rng(5);
    const x = tf.tensor4d(Float32Array.from(rng.normals(6 * 25)), [6, 5, 5, 1]);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], "int32");
    try {
      const op = await cv.modelOperator(model, { x, y }, { loss: "ce" });
      assert.equal(op.info.method, "central-difference");
      assert.equal(op.approximate?.method, "central differences");
      const density = cv.spectralDensity(op, { probes: 2, steps: 12 });
      const fromProbes = density.approximate!.asymmetry;
      assert.ok(fromProbes > 0, `probe asymmetry ${fromProbes}`);
      const full = cv.operatorSpectrum(op);
      // float32 central differences: asymmetric well above float64 rounding, yet a small error
      assert.ok(full.asymmetry > 1e-8 && full.asymmetry < 0.05, `dense asymmetry ${full.asymmetry}`);
      assert.ok(
        fromProbes > full.asymmetry / 5 && fromProbes < 5 * full.asymmetry,
        `${fromProbes} vs ${full.asymmetry}`,
      );
      t.diagnostic(
        `conv p = ${op.p}: asymmetry ${full.asymmetry.toExponential(2)} (dense), ${fromProbes.toExponential(2)} (probes)`,
      );
      assert.equal(full.rank, undefined);
      assert.equal(full.approximate?.asymmetry, full.asymmetry);
      assert.throws(() => cv.operatorRank(op), /operatorRank: the operator is approximate \(central differences;/);
      // the same model where autodiff applies (dense layers only) is exact: nothing attached
      const dense = tf.sequential({
        layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: init(3) })],
      });
      const xd = tf.tensor2d(Float32Array.from(rng.normals(24)), [6, 4]);
      const exact = await cv.modelOperator(dense as tfType.LayersModel, { x: xd, y }, { loss: "ce" });
      assert.equal(exact.info.method, "autodiff");
      assert.equal(exact.approximate, undefined);
      assert.equal(cv.ritzPairs(exact, 1, { steps: 10 }).approximate, undefined);
      dense.dispose();
      xd.dispose();
    } finally {
      model.dispose();
      x.dispose();
      y.dispose();
    }
  });
});
