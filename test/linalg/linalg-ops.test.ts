/**
 * The derived operations of src/linalg/ops.ts on small matrices whose answers are worked out by hand, and the exact
 * words of every refusal, on the TypeScript kernels and (when loaded) on LAPACK.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as la from "../../src/linalg";
import { Matrix, LinalgError } from "../../src/linalg";
import { OptionError } from "../../src/util/options";

function onEveryBackend(f: (name: string) => void): void {
  const before = la.backend();
  try {
    for (const name of la.nativeAvailable() ? (["typescript", "lapack"] as const) : (["typescript"] as const)) {
      la.useBackend(name);
      f(name);
    }
  } finally {
    la.useBackend(before);
  }
}

/** f() throws a LinalgError with exactly this message. */
function refuses(f: () => unknown, message: string): void {
  assert.throws(f, (e: Error) => {
    assert.ok(e instanceof LinalgError, `${e.name}: ${e.message}`);
    assert.equal(e.message, message);
    return true;
  });
}

const M = (rows: number, cols: number, v: number[]) => new Matrix(rows, cols, Float64Array.from(v));
const A = M(2, 3, [1, 2, 3, 4, 5, 6]);
const B = M(3, 2, [1, 0, 0, 1, 1, 1]);
// A·B by hand: [1 + 3, 2 + 3; 4 + 6, 5 + 6]
const AB = [4, 5, 10, 11];

describe("products", () => {
  it("gemm and gemmTrusted: α, transposes, and the shape error naming both operands", () => {
    onEveryBackend((name) => {
      assert.deepEqual(Array.from(la.gemm(A, B).data), AB, name);
      assert.deepEqual(Array.from(la.gemm(A, B, { alpha: -2 }).data), [-8, -10, -20, -22], name);
      assert.deepEqual(Array.from(la.gemm(A.transpose(), B, { transA: true }).data), AB, name);
      assert.deepEqual(Array.from(la.gemm(A, B.transpose(), { transB: true }).data), AB, name);
      assert.deepEqual(Array.from(la.gemmTrusted(A, B).data), AB, name);
      assert.deepEqual(Array.from(la.gemmTrusted(A, B, { alpha: 0.5 }).data), [2, 2.5, 5, 5.5], name);
      const Bt = B.transpose();
      assert.deepEqual(Array.from(la.gemmTrusted(A.transpose(), Bt, { transA: true, transB: true }).data), AB);
      assert.deepEqual([la.gemmTrusted(A, B).rows, la.gemmTrusted(A, B).cols], [2, 2]);
      const ATB = la.gemmTrusted(A, M(2, 1, [1, 1]), { transA: true }); // Aᵀ·[1, 1]ᵀ = column sums
      assert.deepEqual([ATB.rows, ATB.cols, ...ATB.data], [3, 1, 5, 7, 9]);
    });
    refuses(() => la.gemm(A, A), "gemm: inner dimensions differ: op(A) is 2×3 (A 2×3), op(B) is 2×3 (B 2×3)");
    refuses(
      () => la.gemm(A, A, { transA: true, transB: true }),
      "gemm: inner dimensions differ: op(A) is 3×2 (A 2×3ᵀ), op(B) is 3×2 (B 2×3ᵀ)",
    );
    refuses(() => la.gemmTrusted(A, A), "gemm: inner dimensions differ: op(A) is 2×3 (A 2×3), op(B) is 2×3 (B 2×3)");
    refuses(() => la.gemm(A, M(3, 1, [1, NaN, 0])), "gemm: B (3×1) has a non-finite entry NaN at (1, 0)");
    refuses(
      () => la.gemm(M(1, 1, [Infinity]), M(1, 1, [1])),
      "gemm: A (1×1) has a non-finite entry Infinity at (0, 0)",
    );
  });

  it("syrk: α·AAᵀ, α·AᵀA, and its refusal", () => {
    onEveryBackend((name) => {
      // AAᵀ = [1+4+9, 4+10+18; ·, 16+25+36] = [14, 32; 32, 77]
      assert.deepEqual(Array.from(la.syrk(A).data), [14, 32, 32, 77], name);
      assert.deepEqual(Array.from(la.syrk(A, { alpha: 2 }).data), [28, 64, 64, 154], name);
      const AtA = la.syrk(A, { trans: true });
      assert.deepEqual([AtA.rows, ...AtA.data], [3, 17, 22, 27, 22, 29, 36, 27, 36, 45], name);
    });
    refuses(() => la.syrk(M(1, 2, [1, -Infinity])), "syrk: A (1×2) has a non-finite entry -Infinity at (0, 1)");
  });

  it("kron by its definition (A ⊗ B)[i·p + k, j·q + l] = A[i, j]·B[k, l], zeros in A included; frobenius", () => {
    const K = la.kron(M(1, 2, [0, 2]), M(2, 1, [1, 3]));
    assert.deepEqual([K.rows, K.cols, ...K.data], [2, 2, 0, 2, 0, 6]);
    const P = M(3, 2, [1, -2, 0, 3, 4, 0]);
    const Q = M(2, 3, [5, 0, -1, 2, 7, 1]);
    const PQ = la.kron(P, Q);
    assert.deepEqual([PQ.rows, PQ.cols], [6, 6]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 2; k++)
          for (let l = 0; l < 3; l++) assert.ok(PQ.get(i * 2 + k, j * 3 + l) === P.get(i, j) * Q.get(k, l)); // 0 = −0
    assert.equal(la.frobenius(M(2, 2, [3, 0, 0, -4])), 5);
    refuses(() => la.kron(M(1, 1, [NaN]), A), "kron: A (1×1) has a non-finite entry NaN at (0, 0)");
    refuses(() => la.kron(A, M(1, 1, [NaN])), "kron: B (1×1) has a non-finite entry NaN at (0, 0)");
  });

  it("gemmTrusted skips the finiteness scan (a NaN goes through), still checks shapes", () => {
    assert.ok(Number.isNaN(la.gemmTrusted(M(1, 1, [NaN]), M(1, 1, [1])).data[0]));
  });

  it("every options argument is checked under the operation's name", () => {
    const opt = (f: () => unknown, message: string) =>
      assert.throws(f, (e: Error) => e instanceof OptionError && e.message === message);
    opt(() => la.gemm(A, B, { alfa: 1 } as never), 'gemm: unknown option "alfa"; allowed: transA, transB, alpha');
    opt(() => la.syrk(A, { alfa: 1 } as never), 'syrk: unknown option "alfa"; allowed: trans, alpha');
    opt(() => la.rank(A, { tol: -1 }), "rank: option tol must be a finite number ≥ 0; got -1");
    opt(() => la.pdet(A, { tol: Infinity }), "pdet: option tol must be a finite number ≥ 0; got Infinity");
    opt(() => la.logPdet(A, { tol: NaN }), "logPdet: option tol must be a finite number ≥ 0; got NaN");
    opt(() => la.lstsq(A, A, { rcond: -1 }), "lstsq: option rcond must be a finite number ≥ 0; got -1");
  });
});

describe("decompositions and the numbers derived from them", () => {
  it("eigh, svd: shapes and values of small matrices by hand; a NaN at (0, 0) is refused on every backend", () => {
    onEveryBackend((name) => {
      // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2
      const S = M(2, 2, [2, 1, 1, 2]);
      const e = la.eigh(S);
      assert.ok(Math.abs(e.values[0] - 1) < 1e-14 && Math.abs(e.values[1] - 3) < 1e-14, name);
      assert.deepEqual([e.vectors.rows, e.vectors.cols], [2, 2]);
      assert.ok(Math.abs(Math.abs(e.vectors.get(0, 1)) - Math.SQRT1_2) < 1e-14, name);
      assert.ok(Math.abs(e.vectors.get(0, 1) - e.vectors.get(1, 1)) < 1e-14, `${name}: (1, 1)/√2 for λ = 3`);
      // a 3×2 with orthogonal columns of norms 2 and 1: σ = 2, 1
      const T = M(3, 2, [2, 0, 0, 1, 0, 0]);
      const s = la.svd(T);
      assert.deepEqual([s.U.rows, s.U.cols, s.V.rows, s.V.cols, s.S.length], [3, 2, 2, 2, 2], name);
      assert.deepEqual(Array.from(s.S), [2, 1], name);
      const back = la.gemm(la.gemm(s.U, new Matrix(2, 2, Float64Array.from([2, 0, 0, 1]))), s.V, { transB: true });
      assert.ok(
        back.data.every((v, i) => Math.abs(v - T.data[i]) < 1e-14),
        `${name}: U·S·Vᵀ = T`,
      );
      const W = la.svd(T.transpose());
      assert.deepEqual([W.U.rows, W.U.cols, W.V.rows, W.V.cols], [2, 2, 3, 2], name);
      for (const f of [la.eigvalsh, la.eigh])
        refuses(() => f(M(2, 2, [NaN, 0, 0, 1])), `${f.name}: input (2×2) has a non-finite entry NaN at (0, 0)`);
      refuses(() => la.eigvalsh(A), "eigvalsh: input must be square, got 2×3");
      refuses(() => la.svd(M(1, 1, [NaN])), "svd: input (1×1) has a non-finite entry NaN at (0, 0)");
      refuses(() => la.svdvals(M(1, 1, [NaN])), "svdvals: input (1×1) has a non-finite entry NaN at (0, 0)");
      refuses(() => la.logPdet(M(1, 1, [NaN])), "logPdet: input (1×1) has a non-finite entry NaN at (0, 0)");
    });
  });

  it("rank, ε-rank and their refusals; an empty matrix has rank 0", () => {
    onEveryBackend((name) => {
      assert.equal(la.rank(new Matrix(0, 3)), 0, name);
      assert.equal(la.rank(M(2, 2, [0, 0, 0, 0])), 0, name);
      assert.equal(la.rank(M(2, 2, [-3, 0, 0, 1]), { symmetric: true, tol: 2 }), 1, name);
      assert.equal(la.rank(M(2, 2, [-3, 0, 0, 1]), { symmetric: true }), 2, name);
    });
    refuses(() => la.rankOfSpectrum([1], -1), "rank: tolerance must be a number ≥ 0, got -1");
    refuses(() => la.rankOfSpectrum([1], NaN), "rank: tolerance must be a number ≥ 0, got NaN");
    refuses(() => la.epsRank(A, -0.5), "epsRank: ε must be a number ≥ 0, got -0.5");
    refuses(() => la.epsRank(A, NaN), "epsRank: ε must be a number ≥ 0, got NaN");
    assert.equal(la.epsRank(A, 0), 2);
  });

  it("pseudo-determinant: the product of the eigenvalues above the tolerance, with its sign", () => {
    onEveryBackend((name) => {
      const D = M(3, 3, [2, 0, 0, 0, -0.5, 0, 0, 0, 0]);
      const p = la.logPdet(D);
      assert.deepEqual([p.rank, p.sign], [2, -1], name);
      assert.ok(Math.abs(p.logAbs - Math.log(1)) < 1e-15, name);
      assert.ok(Math.abs(la.pdet(D) + 1) < 1e-15, `${name}: 2·(−0.5) = −1`);
      // an explicit tolerance drops |−0.5|
      const q = la.logPdet(D, { tol: 1 });
      assert.deepEqual([q.rank, q.sign], [1, 1], name);
      assert.ok(Math.abs(q.logAbs - Math.log(2)) < 1e-15, name);
      assert.ok(Math.abs(la.pdet(D, { tol: 1 }) - 2) < 1e-14, name);
      // an eigenvalue exactly at the tolerance is dropped (|λ| > tol)
      assert.deepEqual([la.logPdet(D, { tol: 0.5 }).rank, la.logPdet(D, { tol: 0.5 }).sign], [1, 1], name);
      assert.ok(Math.abs(la.pdet(M(2, 2, [-2, 0, 0, -3])) - 6) < 1e-14, `${name}: two negative eigenvalues`);
    });
    refuses(() => la.logPdet(A), "logPdet: input must be square, got 2×3");
  });

  it("participation ratio (Σλ)²/Σλ², zeros allowed, negative or non-finite values refused", () => {
    assert.equal(la.participationRatio([1, 1, 0]), 2);
    assert.equal(la.participationRatio([3, 1]), 16 / 10);
    assert.equal(la.participationRatio([0, 0]), 0);
    refuses(() => la.participationRatio([]), "participationRatio: the spectrum is empty");
    refuses(() => la.participationRatio([1, -0.5]), "participationRatio: spectrum must be non-negative, got -0.5 at 1");
    refuses(
      () => la.participationRatio([1, 2, Infinity]),
      "participationRatio: spectrum has a non-finite value Infinity at 2",
    );
    refuses(() => la.participationRatio([NaN]), "participationRatio: spectrum has a non-finite value NaN at 0");
  });

  it("solve and lstsq: exact answers of small systems and the refusals naming A and B", () => {
    onEveryBackend((name) => {
      // [[2, 1], [1, 3]] x = [3, 5] → x = [4/5, 7/5]
      const x = la.solve(M(2, 2, [2, 1, 1, 3]), M(2, 1, [3, 5]));
      assert.ok(Math.abs(x.get(0, 0) - 0.8) < 1e-15 && Math.abs(x.get(1, 0) - 1.4) < 1e-15, name);
      // least squares of [1; 1] x ≈ [1; 3]: x = 2, full rank 1
      const l = la.lstsq(M(2, 1, [1, 1]), M(2, 1, [1, 3]));
      assert.ok(Math.abs(l.x.get(0, 0) - 2) < 1e-15, name);
      assert.equal(l.rank, 1, name);
      // rcond 0.6 drops σ = 0.5 of diag(1, 0.5): the minimum-norm solution keeps the first component only
      const r = la.lstsq(M(2, 2, [1, 0, 0, 0.5]), M(2, 1, [1, 1]), { rcond: 0.6 });
      assert.equal(r.rank, 1, name);
      assert.ok(Math.abs(r.x.get(0, 0) - 1) < 1e-15 && Math.abs(r.x.get(1, 0)) < 1e-15, name);
    });
    refuses(() => la.solve(A, M(2, 1, [1, 1])), "solve: A must be square, got 2×3");
    refuses(() => la.solve(M(2, 2, [1, 0, 0, 1]), M(3, 1, [1, 1, 1])), "solve: A is 2×2 but B is 3×1 (B needs 2 rows)");
    refuses(() => la.solve(M(1, 1, [NaN]), M(1, 1, [1])), "solve: A (1×1) has a non-finite entry NaN at (0, 0)");
    refuses(() => la.solve(M(1, 1, [1]), M(1, 1, [NaN])), "solve: B (1×1) has a non-finite entry NaN at (0, 0)");
    refuses(() => la.lstsq(A, M(3, 1, [1, 1, 1])), "lstsq: A is 2×3 but B is 3×1 (B needs 2 rows)");
    refuses(() => la.lstsq(M(1, 1, [NaN]), M(1, 1, [1])), "lstsq: A (1×1) has a non-finite entry NaN at (0, 0)");
    refuses(
      () => la.lstsq(M(1, 1, [1]), M(1, 1, [Infinity])),
      "lstsq: B (1×1) has a non-finite entry Infinity at (0, 0)",
    );
  });
});
