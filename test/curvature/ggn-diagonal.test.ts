/**
 * The exact GGN diagonal, a curvature kind (`kinds/ggn-diagonal.ts`): checked against the diagonal of the dense H_o
 * from the layer-block formulas (`hessian`) and from the explicit Jacobian (`gaussNewtonFromJacobian`), for every loss,
 * with and without biases, in one batch and in mini-batches; as an operator it is V ↦ V·diag(H_o), and Hutchinson's
 * diagonal on the "ggn" operator estimates it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { reference } from "../cases";

/** A small problem: 3 layers, N samples; "ce" targets one-hot. */
function problemFor(
  activation: nets.NetSpec["activation"],
  loss: "mse" | "ce" | "logcosh",
  bias: boolean,
  N = 13,
): cv.Problem {
  const spec: nets.NetSpec = { sizes: [4, 7, 5, 3], activation, bias };
  const rng = new Rng(11);
  const X = new Matrix(N, 4, rng.normals(N * 4));
  const Y = new Matrix(N, 3, loss === "ce" ? undefined : rng.normals(N * 3));
  if (loss === "ce") for (let n = 0; n < N; n++) Y.set(n, n % 3, 1);
  return { spec, params: nets.initParams(spec, { seed: 5 }), X, Y, loss };
}

const diagonalOf = (A: Matrix) => Float64Array.from({ length: A.rows }, (_, i) => A.get(i, i));

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

describe("exact GGN diagonal (kind ggn-diagonal)", () => {
  const cases = [
    ["tanh", "mse", true],
    ["relu", "ce", true],
    ["gelu", "logcosh", false],
    ["sigmoid", "ce", false],
  ] as const;
  for (const [activation, loss, bias] of cases)
    it(`${activation}, ${loss}, ${bias ? "" : "no "}bias: diag of the dense H_o (two algorithms), batched too`, () => {
      const problem = problemFor(activation, loss, bias);
      const fromBlocks = diagonalOf(cv.hessian(problem, { parts: ["Ho"] }).Ho);
      const fromJacobian = diagonalOf(cv.gaussNewtonFromJacobian(problem));
      const fromReference = diagonalOf(reference.ggn(problem));
      const exact = cv.ggnDiagonal(problem);
      // the shared reference (finite-difference output Jacobians, closed-form loss Hessian: test/cases.ts)
      assert.ok(maxRelDiff(exact, fromReference) < 1e-7, `vs reference: ${maxRelDiff(exact, fromReference)}`);
      assert.equal(exact.length, nets.paramCount(problem.spec));
      assert.ok(maxRelDiff(exact, fromBlocks) < 1e-13, `vs layer blocks: ${maxRelDiff(exact, fromBlocks)}`);
      assert.ok(maxRelDiff(exact, fromJacobian) < 1e-13, `vs Jacobian: ${maxRelDiff(exact, fromJacobian)}`);
      // mini-batches of 4 rows (13 = 4 + 4 + 4 + 1): the base weighs each batch's mean by n_b / N
      const batched = cv.ggnDiagonal(problem, { batchSize: 4 });
      assert.ok(maxRelDiff(batched, fromBlocks) < 1e-13, `batched: ${maxRelDiff(batched, fromBlocks)}`);
    });

  it("as an operator: V ↦ V·diag(H_o), in one batch and batched; Hutchinson's diagonal on H_o estimates it", () => {
    const problem = problemFor("tanh", "ce", true);
    const d = diagonalOf(cv.hessian(problem, { parts: ["Ho"] }).Ho);
    const p = d.length;
    const V = new Matrix(3, p, new Rng(4).normals(3 * p));
    const want = new Matrix(3, p);
    for (let r = 0; r < 3; r++) for (let i = 0; i < p; i++) want.data[r * p + i] = V.data[r * p + i] * d[i];
    for (const op of [
      cv.curvatureOperator(problem, "ggn-diagonal"),
      cv.batchedCurvatureOperator(problem, { kind: "ggn-diagonal", batchSize: 5 }),
    ])
      assert.ok(maxRelDiff(op.apply(V).data, want.data) < 1e-13);
    // the trace of the diagonal operator is tr H_o, as Hutch++ on the dense H_o gives it
    const trace = d.reduce((a, b) => a + b, 0);
    const hpp = cv.hutchPlusPlus(cv.curvatureOperator(problem, "ggn-diagonal"), { matvecs: 3 * p });
    assert.ok(Math.abs(hpp.trace - trace) < 1e-10 * trace, `${hpp.trace} vs ${trace}`);
    // the stochastic estimate on the "ggn" operator: within 4 standard errors of the exact diagonal, entry by entry
    const est = cv.hutchinsonDiagonal(cv.curvatureOperator(problem, "ggn"), { samples: 400, seed: 3 });
    let outside = 0;
    for (let i = 0; i < p; i++) if (Math.abs(est.diagonal[i] - d[i]) > 4 * est.stderr[i] + 1e-14) outside++;
    assert.ok(outside <= 1, `${outside} of ${p} entries outside 4 standard errors`);
  });

  it("an unknown kind is refused naming the allowed ones, ggn-diagonal among them", () => {
    const problem = problemFor("tanh", "mse", true);
    assert.throws(
      () => cv.curvatureOperator(problem, "ggn-diag" as never),
      /curvatureOperator: kind must be "hessian", "ggn", "functional" or "ggn-diagonal"; got "ggn-diag"/,
    );
    assert.throws(() => cv.ggnDiagonal(problem, { batchSize: 0 }), /ggnDiagonal: option batchSize/);
  });
});
