/**
 * The pure-TypeScript kernels on structured matrices whose answers are known in closed form: the branches random
 * dense matrices never reach (a zero row in the Householder reduction, a zero column in QR, exactly rank-deficient
 * inputs whose singular vectors need an orthonormal completion, a zero pivot, the least-squares cut-off). Where the
 * LAPACK addon is loaded the same answers are also checked against it, a second algorithm.
 */
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as la from "../../src/linalg";
import { Matrix } from "../../src/linalg";
import { naiveMul, randn, maxAbsDiff } from "../helpers";

afterEach(() => la.useBackend(la.nativeAvailable() ? "lapack" : "typescript"));

function onTs<T>(f: () => T): T {
  la.useBackend("typescript");
  return f();
}
function onLapack<T>(f: () => T): T | undefined {
  if (!la.nativeAvailable()) return undefined;
  la.useBackend("lapack");
  try {
    return f();
  } finally {
    la.useBackend("typescript");
  }
}

function fromRows(rows: number[][]): Matrix {
  const m = new Matrix(rows.length, rows[0].length);
  rows.forEach((r, i) => r.forEach((v, j) => m.set(i, j, v)));
  return m;
}

function blockDiag(...blocks: Matrix[]): Matrix {
  const n = blocks.reduce((s, b) => s + b.rows, 0);
  const out = new Matrix(n, n);
  let o = 0;
  for (const b of blocks) {
    for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) out.set(o + i, o + j, b.get(i, j));
    o += b.rows;
  }
  return out;
}

/** The symmetric tridiagonal Toeplitz matrix (a on the diagonal, b beside it): λ_k = a + 2b cos(kπ/(n+1)). */
function toeplitz(n: number, a: number, b: number): { A: Matrix; values: number[] } {
  const A = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    A.set(i, i, a);
    if (i + 1 < n) {
      A.set(i, i + 1, b);
      A.set(i + 1, i, b);
    }
  }
  const values = Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1)));
  return { A, values: values.sort((x, y) => x - y) };
}

/** A V = V Λ and VᵀV = I, to tol relative to max |λ| (or 1). */
function checkEigh(A: Matrix, r: la.Eigh, want: number[], what: string) {
  const n = A.rows;
  const scale = Math.max(1, ...want.map(Math.abs));
  assert.ok(maxAbsDiff(r.values, want) <= 1e-13 * scale * n, `${what}: values ${[...r.values]} vs ${want}`);
  const AV = naiveMul(A, r.vectors);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++)
      assert.ok(
        Math.abs(AV.get(i, j) - r.values[j] * r.vectors.get(i, j)) <= 1e-12 * scale * n,
        `${what}: (AV − VΛ)[${i},${j}]`,
      );
  const VtV = naiveMul(r.vectors.transpose(), r.vectors);
  assert.ok(maxAbsDiff(VtV.data, Matrix.identity(n).data) <= 1e-13 * n, `${what}: VᵀV = I`);
}

/** U, V orthonormal columns, S descending and equal to want, U diag(S) Vᵀ = A. */
function checkSvd(A: Matrix, r: la.Svd, want: number[], what: string) {
  const k = Math.min(A.rows, A.cols);
  const scale = Math.max(1, ...want);
  assert.equal(r.S.length, k, `${what}: k = min(m, n)`);
  assert.ok(maxAbsDiff(r.S, want) <= 1e-13 * scale * Math.max(A.rows, A.cols), `${what}: S ${[...r.S]} vs ${want}`);
  for (let j = 1; j < k; j++) assert.ok(r.S[j - 1] >= r.S[j], `${what}: descending`);
  assert.deepEqual([r.U.rows, r.U.cols, r.V.rows, r.V.cols], [A.rows, k, A.cols, k], `${what}: shapes`);
  assert.ok(maxAbsDiff(naiveMul(r.U.transpose(), r.U).data, Matrix.identity(k).data) <= 1e-13 * k, `${what}: UᵀU`);
  assert.ok(maxAbsDiff(naiveMul(r.V.transpose(), r.V).data, Matrix.identity(k).data) <= 1e-13 * k, `${what}: VᵀV`);
  const US = new Matrix(A.rows, k);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < k; j++) US.set(i, j, r.U.get(i, j) * r.S[j]);
  assert.ok(maxAbsDiff(naiveMul(US, r.V.transpose()).data, A.data) <= 1e-13 * scale * k, `${what}: U S Vᵀ = A`);
}

/** Singular values of a matrix with Gram matrix [[a, b], [b, c]]: square roots of its eigenvalues in closed form. */
function gramSingularValues(a: number, b: number, c: number): number[] {
  const mid = (a + c) / 2;
  const rad = Math.hypot((a - c) / 2, b);
  return [Math.sqrt(mid + rad), Math.sqrt(mid - rad)];
}

describe("TypeScript eigh on structured matrices (closed-form spectra)", () => {
  const cases: { what: string; A: Matrix; values: number[] }[] = [];
  for (const n of [1, 2, 3, 7, 12]) {
    const t = toeplitz(n, 2, -1);
    cases.push({ what: `tridiagonal Toeplitz n = ${n}`, ...t });
  }
  cases.push({
    what: "2×2 [[4, 1], [1, -2]]",
    A: fromRows([
      [4, 1],
      [1, -2],
    ]),
    values: [1 - Math.sqrt(10), 1 + Math.sqrt(10)],
  });
  cases.push({ what: "diagonal, unsorted", A: Matrix.diag([3, -1, 0, 7, -5]), values: [-5, -1, 0, 3, 7] });
  cases.push({ what: "3·I (one repeated eigenvalue)", A: Matrix.diag([3, 3, 3, 3]), values: [3, 3, 3, 3] });
  cases.push({ what: "all zeros", A: new Matrix(4, 4), values: [0, 0, 0, 0] });
  // zero rows and columns in several places: the reduction meets rows whose off-diagonal part is exactly zero
  const t3 = toeplitz(3, 1, 2);
  cases.push({
    what: "[T₃, 0, T₃] block-diagonal with a zero row between",
    A: blockDiag(t3.A, new Matrix(1, 1), t3.A),
    values: [...t3.values, 0, ...t3.values].sort((a, b) => a - b),
  });
  cases.push({
    what: "[T₃, diag(5)] (the last row's off-diagonal part zero)",
    A: blockDiag(t3.A, Matrix.diag([5])),
    values: [...t3.values, 5].sort((a, b) => a - b),
  });
  cases.push({
    what: "[diag(−4, 0), T₃]",
    A: blockDiag(Matrix.diag([-4, 0]), t3.A),
    values: [-4, 0, ...t3.values].sort((a, b) => a - b),
  });
  for (const c of cases) {
    it(c.what, () => {
      const r = onTs(() => la.eigh(c.A));
      checkEigh(c.A, r, c.values, c.what);
      const values = onTs(() => la.eigvalsh(c.A));
      assert.ok(maxAbsDiff(values, c.values) <= 1e-13 * Math.max(1, ...c.values.map(Math.abs)) * c.A.rows);
      const lapack = onLapack(() => la.eigvalsh(c.A));
      if (lapack) assert.ok(maxAbsDiff(values, lapack) <= 1e-12 * Math.max(1, ...c.values.map(Math.abs)));
    });
  }
});

describe("TypeScript SVD on structured matrices (closed-form singular values)", () => {
  const u = [1, 2, 2]; // |u| = 3
  const v = [3, 0, 4, 0]; // |v| = 5
  const outer = new Matrix(3, 4);
  u.forEach((a, i) => v.forEach((b, j) => outer.set(i, j, a * b)));
  const cases: { what: string; A: Matrix; S: number[] }[] = [
    { what: "rank-1 u vᵀ, 3×4 (σ₁ = |u||v| = 15)", A: outer, S: [15, 0, 0] },
    { what: "rank-1 (u vᵀ)ᵀ, 4×3", A: outer.transpose(), S: [15, 0, 0] },
    { what: "diagonal 3×3, unsorted, with signs", A: Matrix.diag([-2, 5, 1]), S: [5, 2, 1] },
    {
      what: "5×3 with a zero first column (QR meets a zero column)",
      A: fromRows([
        [0, 3, 0],
        [0, 0, 2],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ]),
      S: [3, 2, 0],
    },
    {
      what: "5×3 with a zero middle column",
      A: fromRows([
        [1, 0, 0],
        [0, 0, 0],
        [0, 0, 4],
        [0, 0, 0],
        [0, 0, 0],
      ]),
      S: [4, 1, 0],
    },
    { what: "2×5 zeros", A: new Matrix(2, 5), S: [0, 0] },
    { what: "1×1", A: fromRows([[-7]]), S: [7] },
    { what: "1×4 row (σ = its norm)", A: fromRows([[1, 2, 2, 4]]), S: [5] },
    { what: "4×1 column", A: fromRows([[2], [0], [0], [0]]), S: [2] },
    {
      // columns nearly along e₁ and e₂ with a positive leading entry: the Householder vector's sign must avoid
      // cancellation (v₀ = a₀ + sign(a₀)‖a‖), or the reflection loses the small entries
      what: "4×2 with columns close to e₁, e₂ (σ from the 2×2 Gram matrix)",
      A: fromRows([
        [3, 0],
        [3e-9, 2],
        [0, 2e-9],
        [0, 0],
      ]),
      S: gramSingularValues(9 + 9e-18, 6e-9, 4 + 4e-18),
    },
  ];
  // rank 2 of 4 columns, tall and wide: the left vectors of the zero singular values are an orthonormal completion
  const B = randn(6, 2, 3);
  const C = naiveMul(B, randn(2, 4, 4));
  const sC = onLapack(() => la.svdvals(C));
  for (const c of cases) {
    it(c.what, () => {
      const r = onTs(() => la.svd(c.A));
      checkSvd(c.A, r, c.S, c.what);
      const s = onTs(() => la.svdvals(c.A));
      assert.ok(maxAbsDiff(s, c.S) <= 1e-13 * Math.max(1, ...c.S) * Math.max(c.A.rows, c.A.cols));
      const lapack = onLapack(() => la.svdvals(c.A));
      if (lapack) assert.ok(maxAbsDiff(s, lapack) <= 1e-12 * Math.max(1, ...c.S));
    });
  }
  it("rank 2 of 6×4 and of its 4×6 transpose: two singular values zero, vectors still orthonormal", () => {
    for (const A of [C, C.transpose()]) {
      const r = onTs(() => la.svd(A));
      assert.ok(r.S[2] <= 1e-13 * r.S[0] && r.S[3] <= 1e-13 * r.S[0], `σ₃, σ₄ = ${r.S[2]}, ${r.S[3]}`);
      // σ₁, σ₂: square roots of the two largest eigenvalues of AᵀA (the symmetric eigensolver, another algorithm)
      const ev = onTs(() => la.eigvalsh(naiveMul(A.transpose(), A)));
      const s12 = [Math.sqrt(ev[ev.length - 1]), Math.sqrt(ev[ev.length - 2])];
      checkSvd(A, r, [...s12, r.S[2], r.S[3]], "rank 2");
      if (sC) assert.ok(maxAbsDiff(r.S.slice(0, 2), sC.slice(0, 2)) <= 1e-12 * sC[0]);
    }
  });
});

describe("TypeScript solve and lstsq on structured systems", () => {
  it("solve pivots past a zero diagonal entry and skips rows already eliminated", () => {
    // [[0, 2, 0], [1, 0, 0], [0, 0, 4]]: zero pivot at (1,1), and the third row needs no elimination
    const A = fromRows([
      [0, 2, 0],
      [1, 0, 0],
      [0, 0, 4],
    ]);
    const X = fromRows([
      [1, -1],
      [2, 0.5],
      [-3, 2],
    ]);
    const B = naiveMul(A, X);
    const got = onTs(() => la.solve(A, B));
    assert.ok(maxAbsDiff(got.data, X.data) <= 1e-15, `${[...got.data]}`);
    // a dense case against its known solution, with pivoting in every column
    const D = fromRows([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 10],
    ]);
    const x = fromRows([[1], [-2], [3]]);
    const y = onTs(() => la.solve(D, naiveMul(D, x)));
    assert.ok(maxAbsDiff(y.data, x.data) <= 1e-13, `${[...y.data]}`);
  });
  it("solve names the zero pivot of a singular matrix", () => {
    const A = fromRows([
      [1, 2, 3],
      [2, 4, 6],
      [1, 0, 1],
    ]);
    assert.throws(
      () => onTs(() => la.solve(A, fromRows([[1], [2], [3]]))),
      /solve: matrix is singular \(U\(3,3\) = 0\)/,
    );
    assert.throws(() => onTs(() => la.solve(new Matrix(2, 2), new Matrix(2, 1))), /U\(1,1\) = 0/);
  });
  it("lstsq: the minimum-norm solution of a rank-deficient system, and the cut-off at rcond·σ₁", () => {
    // A = diag(4, 2, 1e-9) padded with a zero row: the pseudo-inverse is known
    const A = fromRows([
      [4, 0, 0],
      [0, 2, 0],
      [0, 0, 1e-9],
      [0, 0, 0],
    ]);
    const b = fromRows([[8], [6], [5], [9]]);
    const full = onTs(() => la.lstsq(A, b, { rcond: 1e-12 }));
    assert.equal(full.rank, 3);
    assert.ok(maxAbsDiff(full.x.data, [2, 3, 5e9]) <= 1e-3, `${[...full.x.data]}`);
    // 1e-9 < rcond·σ₁ = 1e-8·4: the third direction is dropped, its component of x is 0 (minimum norm)
    const cut = onTs(() => la.lstsq(A, b, { rcond: 1e-8 }));
    assert.equal(cut.rank, 2);
    assert.ok(maxAbsDiff(cut.x.data, [2, 3, 0]) <= 1e-15, `${[...cut.x.data]}`);
    // exactly at the cut (σ₂ = 2 = 0.5·σ₁) the direction is dropped: values at or below rcond·σ_max count as zero
    const at = onTs(() => la.lstsq(A, b, { rcond: 0.5 }));
    assert.equal(at.rank, 1);
    assert.ok(maxAbsDiff(at.x.data, [2, 0, 0]) <= 1e-15);
    // a wide system: the minimum-norm solution of x₁ + x₂ = 2 is (1, 1)
    const w = onTs(() => la.lstsq(fromRows([[1, 1]]), fromRows([[2]])));
    assert.equal(w.rank, 1);
    assert.ok(maxAbsDiff(w.x.data, [1, 1]) <= 1e-15);
    // several right-hand sides of a tall full-rank system with exact solutions: each column solved on its own
    const T = fromRows([
      [1, 0],
      [0, 2],
      [1, 1],
    ]);
    const X = fromRows([
      [1, -3],
      [2, 0.5],
    ]);
    const many = onTs(() => la.lstsq(T, naiveMul(T, X)));
    assert.equal(many.rank, 2);
    assert.deepEqual([many.x.rows, many.x.cols], [2, 2]);
    assert.ok(maxAbsDiff(many.x.data, X.data) <= 1e-14, `${[...many.x.data]}`);
    // all zeros: rank 0, x = 0
    const z = onTs(() => la.lstsq(new Matrix(3, 2), fromRows([[1], [2], [3]])));
    assert.deepEqual([z.rank, ...z.x.data], [0, 0, 0]);
  });
});

describe("TypeScript kernels leave their inputs alone", () => {
  it("svd (tall and wide), solve, lstsq and eigh do not write into the matrices they are given; 0×0 works", () => {
    const inputs = [randn(5, 3, 11), randn(3, 5, 12), randn(4, 4, 13)];
    for (const A of inputs) {
      const before = A.data.slice();
      onTs(() => la.svd(A));
      onTs(() => la.svdvals(A));
      assert.deepEqual(A.data, before, `svd of ${A.rows}×${A.cols}`);
    }
    const S = randn(4, 4, 14);
    const B = randn(4, 2, 15);
    const [s0, b0] = [S.data.slice(), B.data.slice()];
    onTs(() => la.solve(S, B));
    onTs(() => la.lstsq(S, B));
    assert.deepEqual([S.data, B.data], [s0, b0], "solve and lstsq");
    const H = la.symmetrize(randn(5, 5, 16));
    const h0 = H.data.slice();
    onTs(() => la.eigh(H));
    onTs(() => la.eigvalsh(H));
    assert.deepEqual(H.data, h0, "eigh");
    const empty = onTs(() => la.eigh(new Matrix(0, 0)));
    assert.deepEqual([empty.values.length, empty.vectors.rows, empty.vectors.cols], [0, 0, 0]);
    assert.equal(onTs(() => la.eigvalsh(new Matrix(0, 0))).length, 0);
  });
});
