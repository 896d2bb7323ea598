/**
 * Chen et al.'s Eq. 3 against the exact Hessian on a small MLP trained to interpolation (seconds of training: in its
 * own file, apart from flatness.test's fast checks).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import * as metrics from "../../src/metrics";
import { train } from "../../src/training";
import { Rng } from "../../src/util/random";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("flatness metrics (Chen et al. 2024) at interpolation", () => {
  it(
    "Eq. 3 is Tr H_o exactly; at interpolation it matches the exact Tr H (the gap is Tr H_f), " +
      "on a small MLP trained to low loss",
    async () => {
      const spec: nets.NetSpec = { sizes: [6, 16, 16, 2], activation: "tanh", bias: true };
      const N = 12;
      const rng = new Rng(7);
      const X = new Matrix(N, 6, rng.normals(N * 6));
      const Y = new Matrix(N, 2, rng.normals(N * 2, 0.5));
      const init = nets.initParams(spec, { seed: 3, init: "uniform" });
      const gap = (params: Float64Array) => {
        const S = metrics.sharpness(spec, params, X).mean;
        const { H, Ho, Hf, loss } = cv.hessian({ spec, params, X, Y, loss: "mse" });
        const tr = (M: Matrix) => Array.from({ length: M.rows }, (_, i) => M.get(i, i)).reduce((a, b) => a + b, 0);
        assert.ok(rel(S, tr(Ho!)) < 1e-12, `Eq. 3 = Tr H_o: ${S} vs ${tr(Ho!)}`);
        assert.ok(Math.abs(tr(H!) - S - tr(Hf!)) < 1e-10 * tr(H!), "Tr H − Eq. 3 = Tr H_f");
        return { loss, S, trH: tr(H!), relGap: Math.abs(tr(H!) - S) / tr(H!) };
      };
      const before = gap(init);
      const res = await train({
        spec,
        params: init,
        X,
        Y,
        loss: "mse",
        optimizer: "adam",
        lr: 0.01,
        steps: 3000,
        seed: 0,
      });
      const after = gap(res.params);
      assert.ok(after.loss < 1e-4, `trained to low loss: ${after.loss}`);
      assert.ok(after.relGap < 1e-2, `relative gap at low loss ${after.relGap} (loss ${after.loss})`);
      assert.ok(before.relGap > 10 * after.relGap, `the gap shrinks with the loss: ${before.relGap} → ${after.relGap}`);
      // the matrix-free estimate of Tr H_f (what the study uses on networks too big for a dense H)
      const est = cv.hutchinsonTrace(cv.curvatureOperator({ spec, params: res.params, X, Y }, "functional"), {
        samples: 400,
        seed: 1,
      });
      assert.ok(
        Math.abs(est.trace - (after.trH - after.S)) < 4 * est.stderr + 1e-12,
        `Hutchinson ${est.trace} ± ${est.stderr} vs ${after.trH - after.S}`,
      );
    },
  );
});
