/**
 * Levenberg–Marquardt's steps against the primal form worked out here: on a linear network f = X Wᵀ the parameter
 * Jacobian is constant and written down directly (∂f_k(x_n)/∂W_kj = x_nj), so each accepted step must be
 * δ = (JᵀJ + μI)⁻¹ Jᵀ r, solved here by Gaussian elimination on the p×p side (the code works on the N·K side; the two
 * round differently as μ falls, hence 1e-9), with μ = 1e-3·λ_max(JJᵀ) and then μ/10 after each accepted step. Also:
 * the losses it reports, why it stops (budget, target), the caller's parameters untouched, the copies handed to
 * onStep, and the refusals.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { Rng } from "../../src/util/random";
import { levenbergMarquardt } from "../../src/training";

/** Solves A x = b (A n×n, row-major) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** λ_max of a symmetric matrix by power iteration (plenty of iterations for a small, well-separated top). */
function lambdaMax(A: number[][]): number {
  let v = A.map((_, i) => 1 + i / 10);
  let lam = 0;
  for (let it = 0; it < 5000; it++) {
    const w = A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
    const n = Math.hypot(...w);
    lam = n / Math.hypot(...v);
    v = w.map((x) => x / n);
  }
  return lam;
}

const N = 7;
const d = 3;
const K = 2;
const spec: nets.NetSpec = { sizes: [d, K], activation: "linear", bias: false };
const rng = new Rng(6);
const X = new Matrix(N, d, rng.normals(N * d));
const Y = new Matrix(N, K, rng.normals(N * K));
const theta0 = nets.initParams(spec, { seed: 2 }); // W (K×d), row-major: θ[k·d + j] = W_kj

/** Rows n·K + k of J: ∂f_k(x_n)/∂θ, with θ[k·d + j] = W_kj: x_nj at column k·d + j. */
function jacobian(): number[][] {
  const J: number[][] = [];
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) {
      const row = new Array<number>(K * d).fill(0);
      for (let j = 0; j < d; j++) row[k * d + j] = X.get(n, j);
      J.push(row);
    }
  return J;
}

function residual(theta: ArrayLike<number>): number[] {
  const r: number[] = [];
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) {
      let f = 0;
      for (let j = 0; j < d; j++) f += theta[k * d + j] * X.get(n, j);
      r.push(f - Y.get(n, k));
    }
  return r;
}
const lossOf = (theta: ArrayLike<number>) => (0.5 * residual(theta).reduce((a, u) => a + u * u, 0)) / N;

describe("levenbergMarquardt against the damped Gauss–Newton step written out", () => {
  it("each accepted step is (JᵀJ + μI)⁻¹ Jᵀ r with μ = 1e-3·λ_max, then μ/10", async () => {
    // the network's parameter layout is W row-major: f(x_n) from the layout above equals predict
    const F = nets.predict(spec, theta0, X);
    residual(theta0).forEach((u, i) => assert.ok(Math.abs(u + Y.data[i] - F.data[i]) < 1e-14, "layout"));
    const J = jacobian();
    const p = K * d;
    const JtJ = Array.from({ length: p }, (_, a) =>
      Array.from({ length: p }, (_, b) => J.reduce((s, row) => s + row[a] * row[b], 0)),
    );
    const lmax = lambdaMax(JtJ); // λ_max(JᵀJ) = λ_max(JJᵀ)
    const seen: [number, Float64Array, number][] = [];
    const res = await levenbergMarquardt({
      spec,
      params: theta0,
      X,
      Y,
      steps: 3,
      targetLoss: 0,
      onStep: (s, th, l) => void seen.push([s, th, l]),
    });
    let theta = Array.from(theta0);
    let mu = 1e-3 * lmax;
    const losses = [{ step: 0, loss: lossOf(theta) }];
    for (let s = 1; s <= 3; s++) {
      const r = residual(theta);
      const g = Array.from({ length: p }, (_, a) => J.reduce((acc, row, i) => acc + row[a] * r[i], 0));
      const delta = solve(
        JtJ.map((row, a) => row.map((v, b) => v + (a === b ? mu : 0))),
        g,
      );
      theta = theta.map((t, a) => t - delta[a]);
      losses.push({ step: s, loss: lossOf(theta) });
      mu = Math.max(mu / 10, 1e-15 * lmax);
      const [step, th, l] = seen[s - 1];
      assert.equal(step, s);
      th.forEach((t, a) => assert.ok(Math.abs(t - theta[a]) < 1e-9, `step ${s} θ[${a}]: ${t} vs ${theta[a]}`));
      assert.ok(Math.abs(l - losses[s].loss) < 1e-13 * losses[0].loss, `step ${s} loss`);
    }
    assert.equal(res.stopped, "steps");
    assert.equal(res.losses.length, 4);
    res.losses.forEach((l, i) => {
      assert.equal(l.step, i);
      assert.ok(Math.abs(l.loss - losses[i].loss) < 1e-13 * losses[0].loss, `loss ${i}`);
    });
    assert.ok(res.losses[3].loss < res.losses[2].loss && res.losses[2].loss < res.losses[1].loss);
    // the copies handed to onStep are not the running parameters; the caller's are unchanged
    assert.notEqual(seen[2][1], res.params);
    assert.deepEqual(Array.from(seen[2][1]), Array.from(res.params));
    assert.deepEqual(theta0, nets.initParams(spec, { seed: 2 }));
  });

  it("another damping: μ = damping·λ_max", async () => {
    const J = jacobian();
    const p = K * d;
    const JtJ = Array.from({ length: p }, (_, a) =>
      Array.from({ length: p }, (_, b) => J.reduce((s, row) => s + row[a] * row[b], 0)),
    );
    const mu = 0.5 * lambdaMax(JtJ);
    const r = residual(theta0);
    const g = Array.from({ length: p }, (_, a) => J.reduce((acc, row, i) => acc + row[a] * r[i], 0));
    const delta = solve(
      JtJ.map((row, a) => row.map((v, b) => v + (a === b ? mu : 0))),
      g,
    );
    const res = await levenbergMarquardt({ spec, params: theta0, X, Y, steps: 1, damping: 0.5 });
    res.params.forEach((t, a) => assert.ok(Math.abs(t - (theta0[a] - delta[a])) < 1e-11, `θ[${a}]`));
  });

  it("stops at the target (checked before each step and at the end), or after the budget; zero steps", async () => {
    const none = await levenbergMarquardt({ spec, params: theta0, X, Y, steps: 0 });
    assert.deepEqual(none.losses, [{ step: 0, loss: lossOf(theta0) }]);
    assert.equal(none.stopped, "steps");
    assert.deepEqual(Array.from(none.params), Array.from(theta0));
    // a target at the starting loss: reached before any step
    const at = await levenbergMarquardt({ spec, params: theta0, X, Y, steps: 5, targetLoss: lossOf(theta0) });
    assert.equal(at.stopped, "target");
    assert.equal(at.losses.length, 1);
    // a target just below the starting loss: one step reaches it, and the loop stops before the next
    const below = await levenbergMarquardt({
      spec,
      params: theta0,
      X,
      Y,
      steps: 5,
      targetLoss: 0.999 * lossOf(theta0),
    });
    assert.equal(below.stopped, "target");
    assert.equal(below.losses.length, 2);
    // reached on the last step of the budget: "target", not "steps"
    const last = await levenbergMarquardt({ spec, params: theta0, X, Y, steps: 1, targetLoss: 0.999 * lossOf(theta0) });
    assert.equal(last.stopped, "target");
    // the minimum of a linear least-squares problem is above 0 here: the budget ends it
    const budget = await levenbergMarquardt({ spec, params: theta0, X, Y, steps: 2, targetLoss: 0 });
    assert.equal(budget.stopped, "steps");
  });

  it("refuses data and parameters that do not fit the network, naming them", async () => {
    await assert.rejects(
      levenbergMarquardt({ spec, params: theta0, X: new Matrix(N, 4), Y, steps: 1 }),
      /^Error: levenbergMarquardt: data must be N×3 and N×2, got 7×4 and 7×2$/,
    );
    await assert.rejects(
      levenbergMarquardt({ spec, params: theta0, X, Y: new Matrix(N, 3), steps: 1 }),
      /^Error: levenbergMarquardt: data must be N×3 and N×2, got 7×3 and 7×3$/,
    );
    await assert.rejects(
      levenbergMarquardt({ spec, params: theta0, X, Y: new Matrix(N - 1, 2), steps: 1 }),
      /^Error: levenbergMarquardt: data must be N×3 and N×2, got 7×3 and 6×2$/,
    );
    await assert.rejects(
      levenbergMarquardt({ spec, params: new Float64Array(5), X, Y, steps: 1 }),
      /^Error: levenbergMarquardt: the spec has 6 parameters, got 5$/,
    );
    await assert.rejects(levenbergMarquardt({ spec, params: theta0, X, Y, steps: -1 }), /steps/);
  });
});
