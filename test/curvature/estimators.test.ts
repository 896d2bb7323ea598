/**
 * The matrix-free estimators against the same estimate computed here from the probes they used: an operator written by
 * hand records every vector it is applied to, and the test recomputes Hutchinson's trace and its standard error, the
 * diagonal estimate and its per-entry errors, the probe asymmetry estimate, and Hutch++'s sum, with plain loops over
 * an explicit matrix. The block size the operator asks for must not change any estimate (the probe stream is the
 * same); closed forms where they exist (a diagonal operator's Hutchinson trace is exact, Hutch++ is exact on rank ≤ m/3).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";

/** A symmetric (or not) p×p matrix as an operator that records the rows it is applied to. */
function recording(A: Matrix, block: number, approximate?: cv.SymmetricOperator["approximate"]) {
  const seen: Float64Array[][] = [];
  const op: cv.SymmetricOperator = {
    p: A.rows,
    block,
    apply(V: Matrix) {
      const rows: Float64Array[] = [];
      const out = new Matrix(V.rows, A.rows);
      for (let r = 0; r < V.rows; r++) {
        const v = V.data.slice(r * V.cols, (r + 1) * V.cols);
        rows.push(v);
        // (V·A)[r][j] = Σ_i v_i A[i][j]
        for (let j = 0; j < A.rows; j++) {
          let s = 0;
          for (let i = 0; i < A.rows; i++) s += v[i] * A.data[i * A.rows + j];
          out.data[r * A.rows + j] = s;
        }
      }
      seen.push(rows);
      return out;
    },
    ...(approximate ? { approximate } : {}),
  };
  return { op, seen };
}

function randomSymmetric(p: number, seed: number): Matrix {
  const r = new Rng(seed);
  const A = new Matrix(p, p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      const v = r.normal();
      A.data[i * p + j] = v;
      A.data[j * p + i] = v;
    }
  return A;
}

const quad = (A: Matrix, u: Float64Array, v: Float64Array) => {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.rows; j++) s += u[i] * A.data[i * A.rows + j] * v[j];
  return s;
};
const near = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe("matrix-free estimators recomputed from their own probes", () => {
  it("hutchinsonTrace: mean and standard error of vᵀAv over the Rademacher probes it applied, any block size", () => {
    const p = 7;
    const A = randomSymmetric(p, 3);
    const S = 11;
    let first: { trace: number; stderr: number } | undefined;
    for (const block of [1, 4, 11, 50]) {
      const { op, seen } = recording(A, block);
      const est = cv.hutchinsonTrace(op, { samples: S, seed: 9 });
      const probes = seen.flat();
      assert.equal(probes.length, S, `block ${block}: ${S} probes`);
      assert.deepEqual(
        seen.map((b) => b.length),
        Array.from({ length: Math.ceil(S / block) }, (_, i) => Math.min(block, S - i * block)),
        `block ${block}: calls of at most ${block} vectors`,
      );
      for (const v of probes)
        assert.ok(
          v.every((x) => x === 1 || x === -1),
          "Rademacher entries",
        );
      const vals = probes.map((v) => quad(A, v, v));
      const mean = vals.reduce((a, b) => a + b, 0) / S;
      const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1));
      near(est.trace, mean, 1e-13, "trace");
      near(est.stderr, sd / Math.sqrt(S), 1e-13, "stderr");
      assert.equal(est.samples, S);
      assert.equal(est.approximate, undefined);
      // the block size does not change the probe stream
      if (first) assert.deepEqual({ trace: est.trace, stderr: est.stderr }, first, `block ${block}`);
      else first = { trace: est.trace, stderr: est.stderr };
    }
    // another seed, other probes
    const other = cv.hutchinsonTrace(recording(A, 4).op, { samples: S, seed: 10 });
    assert.notEqual(other.trace, first!.trace);
    // default: 100 samples
    assert.equal(cv.hutchinsonTrace(recording(A, 64).op).samples, 100);
  });

  it("hutchinsonTrace of a diagonal operator is exact with zero standard error (vᵀDv = tr D for v ∈ {±1}ᵖ)", () => {
    const D = new Matrix(5, 5);
    [3, -1, 0.5, 2, 7].forEach((d, i) => (D.data[i * 5 + i] = d));
    const est = cv.hutchinsonTrace(recording(D, 3).op, { samples: 6, seed: 2 });
    assert.equal(est.trace, 11.5);
    assert.equal(est.stderr, 0);
  });

  it("hutchinsonDiagonal: per entry, the mean of v ⊙ Av and its standard error, any block size", () => {
    const p = 6;
    const A = randomSymmetric(p, 5);
    const S = 9;
    let first: Float64Array | undefined;
    for (const block of [2, 9, 20]) {
      const { op, seen } = recording(A, block);
      const est = cv.hutchinsonDiagonal(op, { samples: S, seed: 4 });
      const probes = seen.flat();
      assert.equal(probes.length, S);
      for (let i = 0; i < p; i++) {
        const xs = probes.map((v) => {
          let av = 0;
          for (let j = 0; j < p; j++) av += v[j] * A.data[j * p + i];
          return v[i] * av;
        });
        const m = xs.reduce((a, b) => a + b, 0) / S;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1));
        near(est.diagonal[i], m, 1e-13, `diag[${i}]`);
        near(est.stderr[i], sd / Math.sqrt(S), 1e-12, `stderr[${i}]`);
      }
      assert.equal(est.samples, S);
      if (first) assert.deepEqual(Array.from(est.diagonal), Array.from(first));
      else first = est.diagonal;
    }
    // a diagonal operator: exact, zero error
    const D = new Matrix(3, 3, Float64Array.from([2, 0, 0, 0, -4, 0, 0, 0, 1]));
    const d = cv.hutchinsonDiagonal(recording(D, 5).op, { samples: 4, seed: 1 });
    assert.deepEqual(Array.from(d.diagonal), [2, -4, 1]);
    assert.deepEqual(Array.from(d.stderr), [0, 0, 0]);
  });

  it("operatorAsymmetry: √(Σ_{i<j} 2(G_ij − G_ji)² / Σ_{i≠j} G_ij²) with G = Z A Zᵀ from the probes it applied", () => {
    const p = 6;
    const A = randomSymmetric(p, 8);
    A.data[1 * p + 4] += 0.3; // not symmetric
    for (const [m, block] of [
      [4, 2],
      [6, 6],
      [3, 10],
    ]) {
      const { op, seen } = recording(A, block);
      const res = cv.operatorAsymmetry(op, { probes: m, seed: 2 });
      const Z = seen.flat();
      assert.equal(Z.length, m);
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          if (i === j) continue;
          const gij = quad(A, Z[i], Z[j]);
          const gji = quad(A, Z[j], Z[i]);
          norm += gij * gij;
          if (j > i) diff += 2 * (gij - gji) ** 2;
        }
      near(res.asymmetry, Math.sqrt(diff / norm), 1e-12, `m = ${m}`);
      assert.equal(res.probes, m);
    }
    // a symmetric operator: 0 to rounding; the zero operator: exactly 0
    assert.ok(cv.operatorAsymmetry(recording(randomSymmetric(5, 1), 5).op, { probes: 5 }).asymmetry < 1e-14);
    assert.equal(cv.operatorAsymmetry(recording(new Matrix(4, 4), 4).op, { probes: 3 }).asymmetry, 0);
    // default 8 probes; more probes than p refused, fewer than 2 refused
    assert.equal(cv.operatorAsymmetry(recording(randomSymmetric(9, 1), 9).op).probes, 8);
    assert.throws(
      () => cv.operatorAsymmetry(recording(randomSymmetric(5, 1), 5).op),
      /^Error: operatorAsymmetry: option probes \(8\) must be ≤ p \(5\)$/,
    );
    assert.throws(() => cv.operatorAsymmetry(recording(randomSymmetric(5, 1), 5).op, { probes: 1 }), /probes/);
  });

  it("matrixAsymmetry: the closed form on a 2×2 and a 3×3, 0 for symmetric and zero matrices, square only", () => {
    // [[1, 2], [0, 1]]: ‖A − Aᵀ‖_F² = 2·2² = 8, ‖A‖_F² = 6
    assert.equal(cv.matrixAsymmetry(new Matrix(2, 2, Float64Array.from([1, 2, 0, 1]))), Math.sqrt(8 / 6));
    // [[0, 1, 0], [0, 0, 0], [3, 0, 0]]: A − Aᵀ has ±1 and ±3: ‖·‖² = 2 + 18 = 20, ‖A‖² = 10
    assert.equal(
      cv.matrixAsymmetry(new Matrix(3, 3, Float64Array.from([0, 1, 0, 0, 0, 0, 3, 0, 0]))),
      Math.sqrt(20 / 10),
    );
    assert.equal(cv.matrixAsymmetry(new Matrix(2, 2, Float64Array.from([1, 2, 2, 5]))), 0);
    assert.equal(cv.matrixAsymmetry(new Matrix(3, 3)), 0);
    assert.throws(
      () => cv.matrixAsymmetry(new Matrix(2, 3)),
      /^Error: matrixAsymmetry: the matrix must be square; got 2×3$/,
    );
  });

  it("an approximate operator's estimates carry its probe-measured asymmetry and note; a measured one is kept", () => {
    const p = 6;
    const A = randomSymmetric(p, 8);
    A.data[2 * p + 3] += 0.05;
    const { op } = recording(A, 6, { method: "by hand" });
    const expected = cv.operatorAsymmetry(recording(A, 6).op, { probes: 6 }).asymmetry;
    const est = cv.hutchinsonTrace(op, { samples: 4 });
    assert.ok(est.approximate, "attached");
    assert.equal(est.approximate!.method, "by hand");
    assert.equal(est.approximate!.asymmetry, expected, "measured with min(8, p) = 6 probes, seed 0");
    assert.equal(est.approximate!.asymmetryFrom, "6 probes");
    const pct = `${Number((100 * expected).toPrecision(2))} %`;
    assert.equal(
      est.approximate!.note,
      `approximate (by hand): measured asymmetry ‖A − Aᵀ‖_F / ‖A‖_F = ${pct} (6 probes); no exact rank`,
    );
    // stored on the operator: later estimates reuse it
    assert.equal(op.approximate!.asymmetry, expected);
    // one measured on the dense matrix is not replaced by a probe estimate
    const dense = recording(A, 6, { method: "m", asymmetry: 0.125, asymmetryFrom: "dense matrix" }).op;
    cv.operatorAsymmetry(dense, { probes: 3 });
    assert.equal(dense.approximate!.asymmetry, 0.125);
    assert.equal(
      cv.hutchinsonDiagonal(dense, { samples: 2 }).approximate!.note,
      "approximate (m): measured asymmetry ‖A − Aᵀ‖_F / ‖A‖_F = 13 % (dense matrix); no exact rank",
    );
    // a 1×1 approximate operator is symmetric: 0, from "1×1"
    const one = recording(new Matrix(1, 1, Float64Array.from([2])), 1, { method: "x" }).op;
    const r1 = cv.hutchinsonTrace(one, { samples: 2 });
    assert.equal(r1.approximate!.asymmetry, 0);
    assert.equal(r1.approximate!.asymmetryFrom, "1×1");
    assert.equal(r1.trace, 2);
  });

  it("hutchPlusPlus: exact on rank ≤ m/3; on the identity, |basis| + the mean ‖g′‖² of its projected probes", () => {
    const p = 8;
    // rank 2: A = u uᵀ + 2 w wᵀ, trace ‖u‖² + 2‖w‖²
    const r = new Rng(4);
    const u = Float64Array.from(r.normals(p));
    const w = Float64Array.from(r.normals(p));
    const A = new Matrix(p, p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) A.data[i * p + j] = u[i] * u[j] + 2 * w[i] * w[j];
    const tr = u.reduce((a, x) => a + x * x, 0) + 2 * w.reduce((a, x) => a + x * x, 0);
    for (const block of [1, 3, 100]) {
      const est = cv.hutchPlusPlus(recording(A, block).op, { matvecs: 9, seed: 3 });
      near(est.trace, tr, 1e-12, `block ${block}`);
      assert.equal(est.matvecs, 9);
    }
    // the identity with m = 7: k = 2 basis vectors (trace 2 on them), then m − 2k = 3 probes projected off the basis
    const I = new Matrix(p, p);
    for (let i = 0; i < p; i++) I.data[i * p + i] = 1;
    const { op, seen } = recording(I, 100);
    const est = cv.hutchPlusPlus(op, { matvecs: 7, seed: 5 });
    assert.equal(seen.length, 3, "A S, A Q and A G");
    const [S, Q, G] = seen;
    assert.equal(S.length, 2);
    assert.equal(Q.length, 2);
    assert.equal(G.length, 3);
    for (const q of Q) near(Math.hypot(...q), 1, 1e-14, "unit basis vector");
    for (const g of G)
      for (const q of Q)
        near(
          g.reduce((a, x, i) => a + x * q[i], 0),
          0,
          1e-13,
          "g′ ⟂ Q",
        );
    const meanSq = G.reduce((a, g) => a + g.reduce((b, x) => b + x * x, 0), 0) / 3;
    near(est.trace, 2 + meanSq, 1e-13, "identity");
    // default 99 matvecs; fewer than 3 refused
    assert.equal(cv.hutchPlusPlus(recording(I, 100).op).matvecs, 99);
    assert.throws(() => cv.hutchPlusPlus(recording(I, 1).op, { matvecs: 2 }), /matvecs/);
  });
});
