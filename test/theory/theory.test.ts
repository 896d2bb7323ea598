/**
 * The papers' predictions as mathjs expressions: each agrees with the measured quantity it predicts
 * (exact Hessian ranks of random linear networks, the Gaussian-IB β_c of a covariance with a closed
 * form) and with rankscope's own TypeScript formulas; overlays draw the evaluated values.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { prediction, overlay, Prediction, PREDICTIONS } from "../../src/theory";
import { lineFigure } from "../../src/figures";
import { gaussianIbCriticalBetas } from "../../src/experiments/local-rank/gaussian-vib";

describe("theory: predictions as mathjs expressions", () => {
  it(
    "Singh's rank formulas (mathjs) equal the measured ranks of exact Hessians of 12 random " +
      "linear networks, and the TypeScript formulas",
    () => {
      const R = new Rng(21);
      const [pH, pHo, pHf] = ["singh-rank-H", "singh-rank-Ho", "singh-rank-Hf"].map(prediction);
      for (let t = 0; t < 12; t++) {
        const L = 2 + R.int(3);
        const sizes = [2 + R.int(6)];
        for (let i = 1; i < L; i++) sizes.push(1 + R.int(6));
        sizes.push(1 + R.int(4));
        const N = 2 + R.int(10);
        const spec: nets.NetSpec = { sizes, activation: "linear", bias: false };
        const rng = new Rng(t + 300);
        const X = new Matrix(N, sizes[0], rng.normals(N * sizes[0]));
        const Y = new Matrix(N, sizes[L], rng.normals(N * sizes[L]));
        const h = cv.hessian({ spec, params: nets.initParams(spec, { seed: t }), X, Y, loss: "mse" });
        const hidden = sizes.slice(1, L);
        const K = sizes[L];
        const scope = {
          d: sizes[0],
          N,
          M: hidden.reduce((a, b) => a + b, 0),
          Mmin: Math.min(...hidden),
          K,
          L,
          s: Math.min(sizes[0], N, K),
        };
        const measured = [h.H!, h.Ho!, h.Hf!].map((M) => cv.spectrumOf(M).rank);
        assert.deepEqual([pH.evaluate(scope), pHo.evaluate(scope), pHf.evaluate(scope)], measured, `[${sizes}] N=${N}`);
        const f = cv.linearRankFormulas({ sizes, N });
        assert.deepEqual([f.H, f.Ho, f.Hf], measured);
      }
    },
  );

  it("Fact 13 (with bias) as mathjs equals the TypeScript formula", () => {
    const p = prediction("singh-rank-H-bias");
    for (const sizes of [
      [5, 4, 3],
      [10, 2, 6, 4],
      [3, 8, 8, 2],
    ]) {
      for (const N of [2, 4, 20]) {
        const hidden = sizes.slice(1, -1);
        const got = p.evaluate({
          d: sizes[0],
          N,
          M: hidden.reduce((a, b) => a + b, 0),
          Mmin: Math.min(...hidden),
          K: sizes[sizes.length - 1],
          L: sizes.length - 1,
        });
        assert.equal(got, cv.linearRankFormulas({ sizes, N, bias: true }).H, `[${sizes}] N=${N}`);
      }
    }
  });

  it("the Gaussian-IB β_c expression matches the closed form 1/a² and rankscope's solver", () => {
    // Σxx = I, Σxy = diag(a), Σyy = I: Σx|y Σx⁻¹ = I − diag(a²), so β_c = 1/a²
    const a = [0.9, 0.5, 0.2];
    const I = Matrix.identity(3);
    const Sxy = new Matrix(3, 3);
    a.forEach((v, i) => Sxy.set(i, i, v));
    const solved = gaussianIbCriticalBetas(I, Sxy, I);
    const p = prediction("gaussian-ib-beta-c");
    const fromTheory = solved.lambdas.map((lambda) => p.evaluate({ lambda })).sort((x, y) => x - y);
    const closed = a.map((v) => 1 / (v * v)).sort((x, y) => x - y);
    fromTheory.forEach((b, i) => assert.ok(Math.abs(b - closed[i]) < 1e-9 * closed[i], `${b} vs ${closed[i]}`));
    solved.betas.forEach((b, i) => assert.ok(Math.abs(b - closed[i]) < 1e-9 * closed[i]));
  });

  it("LaTeX, errors naming what is wrong, and every listed prediction parses", () => {
    assert.match(prediction("singh-rank-H").tex(), /\\min/);
    assert.match(prediction("jacot-norm-vs-depth").tex(), /R0|R_\{?0/);
    for (const name of Object.keys(PREDICTIONS)) assert.ok(prediction(name).tex().length > 3, name);
    assert.throws(() => prediction("nope"), /unknown prediction "nope"; known: singh-rank-H/);
    assert.throws(() => new Prediction("2*(q"), /cannot parse "2\*\(q"/);
    assert.throws(() => prediction("jacot-norm-vs-depth").evaluate({ R0: 2, L: 3 }), /R1/);
  });

  it("overlay adds a dashed line with the prediction's values at the figure's x; a user's own expression works", () => {
    const fig = lineFigure("ranks", {
      title: "t",
      x: { title: "N" },
      y: { title: "rank" },
      series: [{ name: "measured", x: [10, 20, 40], y: [1, 2, 3] }],
    });
    const scope = { d: 30, M: 40, Mmin: 20, K: 10, L: 3 };
    const o = overlay(fig, "singh-rank-H", { x: "N", scope });
    assert.equal(o.data.length, 2);
    const t = o.data[1] as { x: number[]; y: number[]; line: { dash: string } };
    assert.deepEqual(t.x, [10, 20, 40]);
    assert.deepEqual(
      t.y,
      [10, 20, 40].map((N) => cv.linearRankFormulas({ sizes: [30, 20, 20, 10], N }).H),
    );
    assert.equal(t.line.dash, "dash");
    const mine = overlay(fig, "2*N + 1", { x: "N", name: "mine" });
    assert.deepEqual((mine.data[1] as { y: number[] }).y, [21, 41, 81]);
    assert.equal(fig.data.length, 1, "the original figure is unchanged");
    assert.throws(() => overlay(fig, "2*N", { x: "N", bogus: 1 } as never), /overlay: unknown option "bogus"/);
    assert.throws(() => overlay(fig, "2*N", {} as never), /overlay: option x is required/);
  });
});
