/**
 * Spectral tools on symmetric operators, each against an independent reference: matrices built with a
 * known spectrum (helpers), the dense float64 Hessian's eigen-decomposition, exact quadrature identities.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix, eigh } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { symmetricWithSpectrum, naiveMul } from "../helpers";

const spectrum = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => r.normal() * 2);
};

describe("spectral tools", () => {
  it(
    "ritzPairs: top and bottom eigenpairs of a matrix with a known spectrum, residuals " +
      "measured small, vectors the eigenvectors",
    () => {
      const vals = spectrum(80, 3);
      const A = symmetricWithSpectrum(vals, 4);
      const op = cv.denseOperator(A);
      const exact = eigh(A);
      const sorted = [...vals].sort((a, b) => b - a);
      const top = cv.ritzPairs(op, 4, { steps: 80 });
      top.values.forEach((v, i) => assert.ok(Math.abs(v - sorted[i]) < 1e-9, `${v} vs ${sorted[i]}`));
      for (const r of top.residuals) assert.ok(r < 1e-8, `residual ${r}`);
      const n = A.rows;
      for (let i = 0; i < 4; i++) {
        // |<ritz vector, exact eigenvector>| = 1 (exact eigenvectors: columns of eigh, ascending)
        let dot = 0;
        for (let t = 0; t < n; t++) dot += top.vectors.get(i, t) * exact.vectors.get(t, n - 1 - i);
        assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-8, `overlap ${dot}`);
      }
      const bottom = cv.ritzPairs(op, 2, { which: "bottom", steps: 80 });
      assert.ok(Math.abs(bottom.values[0] - sorted[sorted.length - 1]) < 1e-9);
      // few steps: the residual reports how far from converged the pair is
      const rough = cv.ritzPairs(op, 3, { steps: 8 });
      assert.ok(Math.max(...rough.residuals) > 1e-3, "an unconverged run says so through its residuals");
    },
  );

  it("ritzPairs on a network's Hessian operator agrees with the dense float64 Hessian", () => {
    const spec: nets.NetSpec = { sizes: [5, 6, 3], activation: "tanh", bias: true };
    const rng = new Rng(9);
    const X = new Matrix(12, 5, rng.normals(60));
    const Y = new Matrix(12, 3, rng.normals(36));
    const problem = { spec, params: nets.initParams(spec, { seed: 2 }), X, Y, loss: "mse" as const };
    const dense = eigh(cv.hessian(problem, { parts: ["H"] }).H!).values;
    const r = cv.ritzPairs(cv.curvatureOperator(problem), 3, { steps: 57 });
    for (let i = 0; i < 3; i++)
      assert.ok(
        Math.abs(r.values[i] - dense[dense.length - 1 - i]) < 1e-9 * Math.max(1, Math.abs(dense[dense.length - 1])),
        `${r.values[i]} vs ${dense[dense.length - 1 - i]}`,
      );
  });

  it("Lanczos quadrature from a start vector v reproduces vᵀAᵏv/‖v‖² exactly for k < 2·steps", () => {
    const A = symmetricWithSpectrum(spectrum(50, 5), 6);
    const v = new Rng(7).normals(50);
    const run = cv.lanczos(cv.denseOperator(A), 6, v);
    const { values, vectors } = cv.tridiagonalEigh(run);
    const w = Array.from({ length: values.length }, (_, j) => vectors.get(0, j) ** 2);
    let vv = 0;
    for (const x of v) vv += x * x;
    let Akv = Matrix.from([Array.from(v)]);
    for (let k = 0; k < 12; k++) {
      let direct = 0;
      for (let i = 0; i < 50; i++) direct += v[i] * Akv.data[i];
      direct /= vv;
      const quad = values.reduce((a, th, j) => a + w[j] * th ** k, 0);
      assert.ok(Math.abs(quad - direct) < 1e-9 * Math.max(1, Math.abs(direct)), `k=${k}: ${quad} vs ${direct}`);
      Akv = naiveMul(Akv, A);
    }
  });

  it("spectralDensity's nodes and weights are each probe's Gauss quadrature: exact moments tr(Aᵏ)/p of a diagonal A", () => {
    // a Rademacher probe v has v_i² = 1, so for a diagonal A every probe's vᵀAᵏv/‖v‖² is Σ a_iᵏ / p exactly, and
    // the quadrature with `steps` nodes reproduces it for k < 2·steps (weights read from another row would not)
    const a = [3, -1, 0.5, 2, 5, -2];
    const D = new Matrix(6, 6);
    a.forEach((x, i) => D.set(i, i, x));
    const d = cv.spectralDensity(cv.denseOperator(D), { probes: 3, steps: 4, seed: 9 });
    assert.equal(d.nodes.length, 3);
    for (let s = 0; s < 3; s++) {
      assert.equal(d.weights[s].length, 4);
      for (let k = 0; k < 8; k++) {
        const quad = d.nodes[s].reduce((acc, th, j) => acc + d.weights[s][j] * th ** k, 0);
        const exact = a.reduce((acc, x) => acc + x ** k, 0) / 6;
        assert.ok(Math.abs(quad - exact) < 1e-10 * Math.max(1, exact), `probe ${s}, k = ${k}: ${quad} vs ${exact}`);
      }
    }
  });

  it(
    "spectralDensity integrates to 1, its moments estimate tr(Aᵏ)/p, and counts the " + "eigenvalues above a threshold",
    () => {
      // 15 eigenvalues near 10, 85 in [−1, 1]
      const r = new Rng(11);
      const vals = [
        ...Array.from({ length: 15 }, () => 10 + r.normal() * 0.2),
        ...Array.from({ length: 85 }, () => 2 * r.uniform() - 1),
      ];
      const op = cv.denseOperator(symmetricWithSpectrum(vals, 12));
      const d = cv.spectralDensity(op, { probes: 40, steps: 30, threshold: 5 });
      const dx = d.grid[1] - d.grid[0];
      const mass = d.density.reduce((a, b) => a + b, 0) * dx;
      assert.ok(Math.abs(mass - 1) < 1e-3, `mass ${mass}`);
      for (const k of [1, 2, 3]) {
        const per = d.nodes.map((nd, s) => nd.reduce((a, th, j) => a + d.weights[s][j] * th ** k, 0));
        const mean = per.reduce((a, b) => a + b, 0) / per.length;
        const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (per.length - 1) / per.length);
        const exact = vals.reduce((a, x) => a + x ** k, 0) / vals.length;
        assert.ok(Math.abs(mean - exact) < 4 * sd, `moment ${k}: ${mean} vs ${exact} (stderr ${sd})`);
      }
      const c = d.countAbove!;
      assert.ok(Math.abs(c.estimate - 15) < 4 * c.stderr + 1e-9, `count ${c.estimate} ± ${c.stderr}`);
      assert.ok(
        c.interval[0] <= 15 && 15 <= c.interval[1] && c.lower <= c.estimate && c.estimate <= c.upper,
        JSON.stringify(c),
      );
      const fig = cv.densityFigure(d, { exact: vals });
      assert.equal(fig.data.length, 2);
    },
  );

  it(
    "the count's quadrature bracket holds probe by probe (Chebyshev–Markov–Stieltjes), " +
      "against the exact spectral measure",
    () => {
      // eigenvalues spread so that the threshold falls between Ritz values and the bracket is not trivial
      const r = new Rng(13);
      const vals = Array.from({ length: 120 }, () => 4 * r.uniform() - 1);
      const A = symmetricWithSpectrum(vals, 14);
      const { values, vectors } = eigh(A);
      const p = vals.length;
      for (const t of [0.3, 1.7, 2.9]) {
        const d = cv.spectralDensity(cv.denseOperator(A), { probes: 6, steps: 8, seed: 5, threshold: t });
        // the probes spectralDensity draws: Rademacher entries from Rng(seed), in order
        const rng = new Rng(5);
        let width = 0;
        let quadratureError = 0;
        for (let s = 0; s < 6; s++) {
          const v = Float64Array.from({ length: p }, () => (rng.uniform() < 0.5 ? -1 : 1));
          let exact = 0;
          for (let i = 0; i < p; i++) {
            if (values[i] <= t) continue;
            let dot = 0;
            for (let k = 0; k < p; k++) dot += v[k] * vectors.get(k, i);
            exact += (dot * dot) / p;
          }
          const q = cv.quadratureMassAbove(d.nodes[s], d.weights[s], t);
          assert.ok(
            q.lower - 1e-10 <= exact && exact <= q.upper + 1e-10,
            `t ${t} probe ${s}: exact ${exact} not in [${q.lower}, ${q.upper}] (quadrature ${q.mass})`,
          );
          width += q.upper - q.lower;
          quadratureError = Math.max(quadratureError, Math.abs(exact - q.mass));
        }
        assert.ok(
          quadratureError > 1e-3,
          `at 8 steps the quadrature mass itself should miss the exact mass (max miss ${quadratureError})`,
        );
        assert.ok(width > 0.05, `the bracket should be informative but not empty at 8 steps (width ${width})`);
      }
    },
  );

  it(
    "Hutch++ is exact for a matrix of rank ≤ matvecs/3 and close for a full-rank one; the " +
      "diagonal estimate is exact for a diagonal matrix",
    () => {
      const lowVals = [5, 3, 2, 1, 0.5, ...new Array(55).fill(0)];
      const low = cv.denseOperator(symmetricWithSpectrum(lowVals, 21));
      const t = cv.hutchPlusPlus(low, { matvecs: 30 });
      assert.ok(Math.abs(t.trace - 11.5) < 1e-9, `${t.trace}`);
      const fullVals = Array.from({ length: 60 }, (_, i) => 1 / (i + 1));
      const full = cv.hutchPlusPlus(cv.denseOperator(symmetricWithSpectrum(fullVals, 22)), { matvecs: 45 });
      const exact = fullVals.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(full.trace - exact) < 0.05 * exact, `${full.trace} vs ${exact}`);
      // matvecs not divisible by 3 (15 + 15 + 17): on the identity the residual part is unbiased only when divided by
      // 17
      const I60 = cv.denseOperator(Matrix.identity(60));
      let mean = 0;
      for (let seed = 0; seed < 20; seed++) mean += cv.hutchPlusPlus(I60, { matvecs: 47, seed }).trace / 20;
      assert.ok(Math.abs(mean - 60) < 1.5, `mean Hutch++ trace of I_60: ${mean} (dividing by 15 would give ≈ 66)`);
      // an operator with a small block budget gives the same numbers
      const small = { ...low, block: 4 };
      assert.equal(cv.hutchPlusPlus(small, { matvecs: 30 }).trace, t.trace);
      const D = new Matrix(30, 30);
      for (let i = 0; i < 30; i++) D.set(i, i, i - 7.5);
      const dd = cv.hutchinsonDiagonal(cv.denseOperator(D), { samples: 4 });
      for (let i = 0; i < 30; i++) assert.equal(dd.diagonal[i], i - 7.5);
      const A = symmetricWithSpectrum(spectrum(40, 23), 24);
      const est = cv.hutchinsonDiagonal(cv.denseOperator(A), { samples: 400 });
      let inside = 0;
      for (let i = 0; i < 40; i++) if (Math.abs(est.diagonal[i] - A.get(i, i)) < 3 * est.stderr[i]) inside++;
      assert.ok(inside >= 36, `${inside}/40 within 3 standard errors`);
    },
  );

  it(
    "mini-batch accumulation equals the full-batch operator; layer blocks are the dense " +
      "Hessian's blocks and reassemble it",
    () => {
      const spec: nets.NetSpec = { sizes: [4, 5, 3], activation: "tanh", bias: true };
      const rng = new Rng(31);
      const X = new Matrix(23, 4, rng.normals(92));
      const Y = new Matrix(23, 3, rng.normals(69));
      const problem = { spec, params: nets.initParams(spec, { seed: 5 }), X, Y, loss: "mse" as const };
      const p = nets.paramCount(spec);
      const V = new Matrix(3, p, rng.normals(3 * p));
      for (const kind of ["hessian", "ggn", "functional"] as const) {
        const full = cv.curvatureOperator(problem, kind).apply(V);
        let batches = 0;
        const batched = cv.batchedCurvatureOperator(problem, { kind, batchSize: 5, onBatch: () => batches++ }).apply(V);
        const scale = Math.max(...Array.from(full.data, Math.abs));
        for (let i = 0; i < full.data.length; i++)
          assert.ok(Math.abs(full.data[i] - batched.data[i]) < 1e-12 * scale, `${kind} ${i}`);
        assert.equal(batches, 5, "23 rows in batches of 5");
      }
      const H = cv.hessian(problem, { parts: ["H"] }).H!;
      const layers = [1, 2].map((l) => cv.layerIndices(spec, l));
      assert.deepEqual(
        layers.flat().sort((a, b) => a - b),
        Array.from({ length: p }, (_, i) => i),
        "the layers partition the parameters",
      );
      let traces = 0;
      for (const idx of layers) {
        const B = cv.denseBlock(H, idx);
        const viaOp = cv.blockOperator(cv.curvatureOperator(problem), idx).apply(Matrix.identity(idx.length));
        for (let i = 0; i < B.data.length; i++)
          assert.ok(Math.abs(B.data[i] - viaOp.data[i]) < 1e-12 * Math.max(1, Math.abs(B.data[i])));
        for (let i = 0; i < idx.length; i++) traces += B.get(i, i);
      }
      let trH = 0;
      for (let i = 0; i < p; i++) trH += H.get(i, i);
      assert.ok(Math.abs(traces - trH) < 1e-12 * Math.max(1, Math.abs(trH)));
      const back = new Matrix(p, p);
      for (const a of layers)
        for (const b of layers) {
          const B = cv.denseBlock(H, a, b);
          a.forEach((r, i) => b.forEach((c, j) => back.set(r, c, B.get(i, j))));
        }
      assert.deepEqual(Array.from(back.data), Array.from(H.data), "diagonal and cross blocks reassemble H");
      assert.throws(() => cv.blockOperator(cv.denseOperator(H), [0, 0]), /index 0 repeats/);
      assert.throws(() => cv.layerIndices(spec, 3), /layer must be an integer in 1..2/);
    },
  );

  it("options are checked", () => {
    const op = cv.denseOperator(Matrix.identity(4));
    assert.throws(() => cv.ritzPairs(op, 2, { whch: "top" } as never), /ritzPairs: unknown option "whch"/);
    assert.throws(() => cv.spectralDensity(op, { probes: 0 }), /spectralDensity: option probes must be an integer ≥ 1/);
    assert.throws(() => cv.hutchPlusPlus(op, { matvecs: 2 }), /hutchPlusPlus: option matvecs must be an integer ≥ 3/);
  });
});

describe("memory limits before allocation", () => {
  it(
    "an explicit Jacobian or Gauss–Newton matrix too large for the limit is refused with the " +
      "sizes and the option to change",
    () => {
      const spec: nets.NetSpec = { sizes: [784, 100, 100, 10], activation: "tanh", bias: false };
      const X = new Matrix(2000, 784);
      const Y = new Matrix(2000, 10);
      const problem = { spec, params: new Float64Array(nets.paramCount(spec)), X, Y };
      // 2000·10 × 89400 float64 = 13.3 GiB: refused at once, nothing allocated
      assert.throws(
        () => cv.parameterJacobian(problem),
        /parameterJacobian: N·K × p = 2000·10 × 89400 float64 needs 13\.32 GiB, over the limit of 8\.00 GiB \(option maxBytes\)/,
      );
      assert.throws(() => cv.behavioralGradients(problem), /behavioralGradients: .* needs 26\.64 GiB/);
      const small = {
        spec: { sizes: [3, 4, 2], activation: "tanh" as const, bias: false },
        params: nets.initParams({ sizes: [3, 4, 2], activation: "tanh", bias: false }),
        X: new Matrix(5, 3, new Rng(1).normals(15)),
        Y: new Matrix(5, 2),
      };
      assert.throws(
        () => cv.gaussNewtonFromJacobian(small, { maxBytes: 100 }),
        /gaussNewtonFromJacobian: .*\(and the p × p result\).*option maxBytes/,
      );
      assert.equal(cv.parameterJacobian(small).rows, 10);
      assert.throws(
        () => cv.parameterJacobian(small, { maxbytes: 1 } as never),
        /parameterJacobian: unknown option "maxbytes"/,
      );
    },
  );
});
