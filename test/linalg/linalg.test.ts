import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as la from "../../src/linalg";
import { Matrix } from "../../src/linalg";
import { assertSymmetric } from "../../src/linalg/matrix";
import { randn, naiveMul, symmetricWithSpectrum, matrixWithSingularValues, maxAbsDiff, maxAbs } from "../helpers";

const backends: la.BackendName[] = la.nativeAvailable() ? ["lapack", "typescript"] : ["typescript"];
if (!la.nativeAvailable()) console.log(`# LAPACK addon unavailable (${la.nativeStatus()}); testing the fallback only`);

function close(actual: number, expected: number, tol: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

for (const name of backends) {
  describe(`linalg on the ${name} path`, () => {
    const use = () => la.useBackend(name);

    it("gemm with every transpose combination equals the naive product", () => {
      use();
      const A = randn(7, 5, 1);
      const B = randn(5, 9, 2);
      const ref = naiveMul(A, B);
      assert.ok(maxAbsDiff(la.gemm(A, B).data, ref.data) < 1e-12);
      assert.ok(maxAbsDiff(la.gemm(A.transpose(), B, { transA: true }).data, ref.data) < 1e-12);
      assert.ok(maxAbsDiff(la.gemm(A, B.transpose(), { transB: true }).data, ref.data) < 1e-12);
      const both = la.gemm(A.transpose(), B.transpose(), { transA: true, transB: true, alpha: -2 });
      assert.ok(
        maxAbsDiff(
          both.data,
          ref.data.map((v) => -2 * v),
        ) < 1e-12,
      );
      // empty inner dimension gives zeros
      assert.deepEqual(Array.from(la.gemm(new Matrix(2, 0), new Matrix(0, 3)).data), [0, 0, 0, 0, 0, 0]);
    });

    it("syrk equals AᵀA and AAᵀ from the naive product, both triangles", () => {
      use();
      const A = randn(6, 4, 3);
      assert.ok(maxAbsDiff(la.syrk(A, { trans: true }).data, naiveMul(A.transpose(), A).data) < 1e-12);
      assert.ok(
        maxAbsDiff(
          la.syrk(A, { alpha: 0.5 }).data,
          naiveMul(A, A.transpose()).data.map((v) => v / 2),
        ) < 1e-12,
      );
    });

    it("eigvalsh recovers a prescribed spectrum, including repeated and zero eigenvalues", () => {
      use();
      const spectra = [
        [-3, -1, 0.5, 2, 7],
        [2, 2, 2, -1, -1, 0, 0, 0], // repeated, rank-deficient
        [1e-3, 1, 1e3, 1e3, 0, 0],
      ];
      spectra.forEach((vals, i) => {
        const A = symmetricWithSpectrum(vals, 10 + i);
        const got = la.eigvalsh(A);
        const want = [...vals].sort((a, b) => a - b);
        assert.ok(maxAbsDiff(got, want) < 1e-11 * Math.max(...vals.map(Math.abs)), `spectrum ${i}: ${Array.from(got)}`);
      });
    });

    it("eigh gives orthonormal vectors with A V = V Λ", () => {
      use();
      const A = symmetricWithSpectrum([4, 4, 1, 0, 0, -2, 3], 21);
      const { values, vectors: V } = la.eigh(A);
      const AV = naiveMul(A, V);
      const VL = new Matrix(
        V.rows,
        V.cols,
        V.data.map((v, idx) => v * values[idx % V.cols]),
      );
      assert.ok(maxAbsDiff(AV.data, VL.data) < 1e-12);
      assert.ok(maxAbsDiff(naiveMul(V.transpose(), V).data, Matrix.identity(7).data) < 1e-12);
    });

    it("svdvals and svd recover prescribed singular values for tall, wide and rank-deficient matrices", () => {
      use();
      const cases: [number, number, number[]][] = [
        [8, 5, [9, 4, 2, 1, 0.25]],
        [4, 9, [3, 3, 1, 0]],
        [12, 7, [5, 2, 2, 0, 0, 0, 0]],
        [40, 6, [1, 1e-4, 1e-8, 0, 0, 0]],
      ];
      cases.forEach(([m, n, s], i) => {
        const A = matrixWithSingularValues(m, n, s, 30 + i);
        assert.ok(maxAbsDiff(la.svdvals(A), s) < 1e-12 * s[0], `svdvals case ${i}: ${Array.from(la.svdvals(A))}`);
        const { U, S, V } = la.svd(A);
        assert.ok(maxAbsDiff(S, s) < 1e-12 * s[0]);
        const k = Math.min(m, n);
        const US = new Matrix(
          m,
          k,
          U.data.map((v, idx) => v * S[idx % k]),
        );
        assert.ok(maxAbsDiff(naiveMul(US, V.transpose()).data, A.data) < 1e-12 * s[0], `reconstruction case ${i}`);
        assert.ok(maxAbsDiff(naiveMul(U.transpose(), U).data, Matrix.identity(k).data) < 1e-10, `UᵀU case ${i}`);
        assert.ok(maxAbsDiff(naiveMul(V.transpose(), V).data, Matrix.identity(k).data) < 1e-10, `VᵀV case ${i}`);
      });
    });

    it("rank: default tolerance, explicit tolerance, symmetric mode, ε-rank", () => {
      use();
      const low = naiveMul(randn(20, 3, 40), randn(3, 15, 41)); // rank 3 exactly
      assert.equal(la.rank(low), 3);
      assert.equal(la.rank(la.syrk(low, { trans: true }), { symmetric: true }), 3);
      const A = matrixWithSingularValues(6, 6, [1, 0.1, 0.01, 1e-3, 1e-6, 0], 42);
      assert.equal(la.rank(A), 5);
      assert.equal(la.rank(A, { tol: 0.05 }), 2);
      assert.equal(la.epsRank(A, 0.005), 3);
      assert.equal(la.epsRank(A, 0), 6 - (la.svdvals(A)[5] > 0 ? 0 : 1));
      assert.equal(la.rank(new Matrix(3, 3)), 0);
    });

    it("pseudo-determinant and its log equal the product of the non-zero eigenvalues", () => {
      use();
      const A = symmetricWithSpectrum([2, 3, -0.5, 0, 0], 50);
      close(la.pdet(A), -3, 1e-12, "pdet");
      const { logAbs, sign, rank } = la.logPdet(A);
      close(logAbs, Math.log(3), 1e-12, "logPdet");
      assert.equal(sign, -1);
      assert.equal(rank, 3);
    });

    it("participation ratio matches (Σλ)²/Σλ²", () => {
      close(la.participationRatio([1, 1, 1, 1]), 4, 1e-15, "flat");
      close(la.participationRatio([5, 0, 0]), 1, 1e-15, "one");
      close(la.participationRatio([3, 1]), 16 / 10, 1e-15, "two");
      assert.throws(() => la.participationRatio([1, -1]), /non-negative/);
    });

    it("solve and lstsq", () => {
      use();
      const A = randn(6, 6, 60);
      const x = randn(6, 2, 61);
      const b = naiveMul(A, x);
      assert.ok(maxAbsDiff(la.solve(A, b).data, x.data) < 1e-10);
      // over-determined consistent system
      const T = randn(10, 4, 62);
      const xt = randn(4, 1, 63);
      const r = la.lstsq(T, naiveMul(T, xt));
      assert.equal(r.rank, 4);
      assert.ok(maxAbsDiff(r.x.data, xt.data) < 1e-10);
      // under-determined: minimum-norm solution x = Wᵀ (W Wᵀ)⁻¹ b
      const W = randn(3, 7, 64);
      const bw = randn(3, 1, 65);
      const xmin = naiveMul(W.transpose(), la.solve(naiveMul(W, W.transpose()), bw));
      assert.ok(maxAbsDiff(la.lstsq(W, bw).x.data, xmin.data) < 1e-10);
      assert.throws(() => la.solve(new Matrix(2, 2), new Matrix(2, 1)), /singular/);
    });

    it("kron satisfies the definition and the mixed-product rule", () => {
      use();
      const A = randn(2, 3, 70);
      const B = randn(3, 2, 71);
      const C = randn(3, 2, 72);
      const D = randn(2, 4, 73);
      const K = la.kron(A, B);
      assert.deepEqual(K.shape, [6, 6]);
      close(K.get(1 * 3 + 2, 2 * 2 + 1), A.get(1, 2) * B.get(2, 1), 1e-15, "entry");
      const lhs = naiveMul(la.kron(A, B), la.kron(C, D));
      const rhs = la.kron(naiveMul(A, C), naiveMul(B, D));
      assert.ok(maxAbsDiff(lhs.data, rhs.data) < 1e-12);
    });

    it("rejects wrong shapes, non-finite input and non-symmetric input with the operation's name", () => {
      use();
      assert.throws(
        () => la.gemm(randn(2, 3, 1), randn(2, 3, 2)),
        /gemm: inner dimensions differ: op\(A\) is 2×3.*op\(B\) is 2×3/,
      );
      const bad = randn(3, 3, 3);
      bad.set(1, 2, NaN);
      assert.throws(() => la.svdvals(bad), /svdvals: input \(3×3\) has a non-finite entry NaN at \(1, 2\)/);
      const inf = la.syrk(randn(3, 3, 4));
      inf.set(0, 0, Infinity);
      assert.throws(() => la.eigvalsh(inf), /eigvalsh: .*non-finite entry Infinity/);
      assert.throws(() => la.eigvalsh(randn(3, 3, 5)), /eigvalsh: input \(3×3\) is not symmetric/);
      assert.throws(() => la.eigh(randn(3, 4, 5)), /eigh: input must be square, got 3×4/);
      // a larger matrix (several 64×64 tiles): the first offending pair in row-major order, and the first non-finite
      // entry
      const S = la.syrk(randn(150, 150, 8));
      S.set(140, 20, S.get(140, 20) + 1e-3);
      S.set(70, 130, S.get(70, 130) - 2e-3);
      S.set(70, 100, S.get(70, 100) + 1e-20); // below the tolerance
      let tsMessage = "";
      try {
        assertSymmetric("eigvalsh", S);
      } catch (e) {
        tsMessage = (e as Error).message;
      }
      assert.match(tsMessage, /\|a\[20,140\] − a\[140,20\]\|/);
      assert.throws(
        () => la.eigvalsh(S),
        (e: Error) => e.message === tsMessage,
      );
      S.set(90, 3, NaN);
      S.set(120, 5, Infinity);
      assert.throws(() => la.eigh(S), /eigh: input \(150×150\) has a non-finite entry NaN at \(90, 3\)/);
      assert.throws(() => la.solve(randn(3, 3, 6), randn(4, 1, 7)), /solve: A is 3×3 but B is 4×1/);
      assert.throws(() => new Matrix(2, 2, new Float64Array(3)), /2×2 needs 4 entries, got 3/);
    });
  });
}

if (backends.length === 2) {
  describe("the two paths agree (1e-9 relative to the largest value)", () => {
    const run = <T>(name: la.BackendName, f: () => T): T => {
      la.useBackend(name);
      return f();
    };
    const cases: [string, Matrix][] = [
      ["random symmetric 60×60", la.syrk(randn(60, 60, 80))],
      ["rank-deficient 50×50 (rank 7)", la.syrk(randn(7, 50, 81), { trans: true })],
      ["repeated eigenvalues", symmetricWithSpectrum([1, 1, 1, 1, 2, 2, 2, 0, 0, 0, -5, -5], 82)],
      ["indefinite 80×80", la.symmetrize(randn(80, 80, 83))],
    ];
    for (const [label, A] of cases) {
      it(`eigenvalues and singular values: ${label}`, () => {
        const e1 = run("lapack", () => la.eigvalsh(A));
        const e2 = run("typescript", () => la.eigvalsh(A));
        const scale = maxAbs(e1);
        assert.ok(maxAbsDiff(e1, e2) <= 1e-9 * scale, `eigvalsh differ by ${maxAbsDiff(e1, e2)}`);
        const s1 = run("lapack", () => la.svdvals(A));
        const s2 = run("typescript", () => la.svdvals(A));
        assert.ok(maxAbsDiff(s1, s2) <= 1e-9 * s1[0], `svdvals differ by ${maxAbsDiff(s1, s2)}`);
        assert.equal(
          run("lapack", () => la.rank(A)),
          run("typescript", () => la.rank(A)),
        );
        const v1 = run("lapack", () => la.eigh(A)).values;
        const v2 = run("typescript", () => la.eigh(A)).values;
        assert.ok(maxAbsDiff(v1, v2) <= 1e-9 * scale);
      });
    }
    it("rectangular rank-deficient SVD: values, rank and reconstructions agree", () => {
      const A = naiveMul(randn(70, 9, 90), randn(9, 30, 91));
      const a = run("lapack", () => la.svd(A));
      const b = run("typescript", () => la.svd(A));
      assert.ok(maxAbsDiff(a.S, b.S) <= 1e-9 * a.S[0]);
      assert.equal(
        run("lapack", () => la.rank(A)),
        9,
      );
      assert.equal(
        run("typescript", () => la.rank(A)),
        9,
      );
      // U_k S_k V_kᵀ over the non-zero part agree (vectors are unique there up to sign within the product)
      const recon = (r: la.Svd) => {
        const k = 9;
        const U = new Matrix(70, k);
        const V = new Matrix(30, k);
        for (let i = 0; i < 70; i++) for (let j = 0; j < k; j++) U.set(i, j, r.U.get(i, j) * r.S[j]);
        for (let i = 0; i < 30; i++) for (let j = 0; j < k; j++) V.set(i, j, r.V.get(i, j));
        return naiveMul(U, V.transpose());
      };
      assert.ok(maxAbsDiff(recon(a).data, recon(b).data) <= 1e-9 * a.S[0]);
    });
  });
}
