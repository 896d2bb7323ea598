/**
 * The Matrix type and the input checks every linalg operation shares: construction and its refusals, element
 * access, the blocked transpose (against the element-wise definition, across block edges), and the finite, square and
 * symmetric checks at their tolerance and with the messages users see.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Matrix, LinalgError } from "../../src/linalg";
import { assertFinite, assertSquare, assertSymmetric, symmetrize, shapeOf } from "../../src/linalg/matrix";

describe("Matrix", () => {
  it("is built from a shape, a Float64Array (kept, not copied) or an array of numbers (copied)", () => {
    const z = new Matrix(2, 3);
    assert.deepEqual([z.rows, z.cols, z.data.length, ...z.data], [2, 3, 6, 0, 0, 0, 0, 0, 0]);
    const f = new Float64Array([1, 2, 3, 4]);
    const a = new Matrix(2, 2, f);
    assert.equal(a.data, f);
    const b = new Matrix(2, 2, [1, 2, 3, 4]);
    assert.ok(b.data instanceof Float64Array);
    assert.deepEqual(b.toArray(), [
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(new Matrix(0, 3).shape, [0, 3]);
    assert.deepEqual(Matrix.zeros(1, 2).toArray(), [[0, 0]]);
  });
  it("refuses a bad shape, data of the wrong length or kind, and a size that cannot be allocated, saying which", () => {
    for (const [r, c] of [
      [-1, 2],
      [2, -1],
      [1.5, 2],
      [2, NaN],
    ])
      assert.throws(
        () => new Matrix(r, c),
        (e: Error) =>
          e instanceof LinalgError &&
          e.name === "LinalgError" &&
          e.message === `Matrix: shape must be two non-negative integers, got ${r}×${c}`,
      );
    assert.throws(() => new Matrix(2, 3, [1, 2, 3]), { message: "Matrix: 2×3 needs 6 entries, got 3" });
    assert.throws(() => new Matrix(1, 1, new Float64Array(2)), { message: "Matrix: 1×1 needs 1 entries, got 2" });
    assert.throws(() => new Matrix(1, 1, 5 as unknown as number[]), {
      message: "Matrix: data must be a Float64Array or an array of numbers, got number",
    });
    assert.throws(
      () => new Matrix(100000, 100000),
      /^LinalgError: Matrix: a 100000×100000 float64 matrix \(74\.5 GiB\) cannot be allocated \(.+\); use smaller sizes$/,
    );
  });
  it("identity, diag and from put the entries where the definitions say", () => {
    assert.deepEqual(Matrix.identity(3).toArray(), [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    assert.deepEqual(Matrix.diag([2, -1]).toArray(), [
      [2, 0],
      [0, -1],
    ]);
    const m = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual([m.rows, m.cols, ...m.data], [2, 3, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Matrix.from([]).shape, [0, 0]);
    assert.throws(() => Matrix.from([[1, 2], [3, 4], [5]]), {
      message: "Matrix.from: row 2 has 1 entries, row 0 has 2",
    });
  });
  it("get, set, row, col, clone and toString address row-major storage", () => {
    const m = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.equal(m.get(1, 0), 4);
    assert.equal(m.get(0, 2), 3);
    m.set(1, 2, 9);
    assert.equal(m.data[5], 9);
    assert.deepEqual([...m.row(1)], [4, 5, 9]);
    m.row(0)[1] = 7; // a row is a view
    assert.equal(m.get(0, 1), 7);
    assert.deepEqual([...m.col(2)], [3, 9]);
    const c = m.clone();
    c.set(0, 0, -1);
    assert.equal(m.get(0, 0), 1, "a clone does not share storage");
    assert.deepEqual(c.shape, [2, 3]);
    assert.equal(String(m), "Matrix(2×3)");
    assert.equal(shapeOf(m), "2×3");
  });
  it("transpose equals the element-wise definition across the 32-wide blocks", () => {
    for (const [r, c] of [
      [1, 1],
      [3, 70],
      [33, 31],
      [64, 65],
      [0, 4],
    ]) {
      const m = new Matrix(r, c);
      for (let i = 0; i < r * c; i++) m.data[i] = i + 1;
      const t = m.transpose();
      assert.deepEqual(t.shape, [c, r]);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) assert.equal(t.get(j, i), m.get(i, j), `${r}×${c}`);
    }
  });
});

describe("input checks", () => {
  it("assertFinite names the operation, the input, its shape, the value and where it is", () => {
    const m = new Matrix(2, 3);
    assertFinite("op", m);
    m.set(1, 2, NaN);
    assert.throws(() => assertFinite("gemm", m, "B"), {
      message: "gemm: B (2×3) has a non-finite entry NaN at (1, 2)",
    });
    m.set(1, 2, 0);
    m.set(0, 1, -Infinity);
    assert.throws(() => assertFinite("svd", m), {
      message: "svd: input (2×3) has a non-finite entry -Infinity at (0, 1)",
    });
  });
  it("assertSquare", () => {
    assertSquare("op", new Matrix(3, 3));
    assert.throws(() => assertSquare("solve", new Matrix(2, 3), "A"), { message: "solve: A must be square, got 2×3" });
  });
  it("assertSymmetric accepts an asymmetry up to 1e-10·max|a_ij| and refuses one above, naming the pair", () => {
    const m = Matrix.from([
      [1, 0, 0],
      [0, 0.5, 0],
      [0, 0, -1],
    ]);
    assertSymmetric("eigh", m);
    m.set(1, 0, 1e-10); // tol = 1e-10 · max|a_ij| = 1e-10: a difference equal to it passes
    assertSymmetric("eigh", m);
    m.set(1, 0, 2e-10);
    assert.throws(() => assertSymmetric("eigh", m), {
      message: "eigh: input (3×3) is not symmetric: |a[0,1] − a[1,0]| = 2.000e-10 > 1.000e-10",
    });
    const n = Matrix.from([
      [1, 0, 2],
      [0, 1, 0],
      [3, 0, 1],
    ]);
    assert.throws(
      () => assertSymmetric("eigvalsh", n, "H"),
      /^LinalgError: eigvalsh: H \(3×3\) is not symmetric: \|a\[0,2\]/,
    );
    assert.throws(() => assertSymmetric("eigh", new Matrix(2, 3)), { message: "eigh: input must be square, got 2×3" });
  });
  it("symmetrize replaces each pair by its mean, in place", () => {
    const m = Matrix.from([
      [1, 2, 4],
      [0, 5, 6],
      [8, 1, 9],
    ]);
    const s = symmetrize(m);
    assert.equal(s, m);
    assert.deepEqual(m.toArray(), [
      [1, 1, 6],
      [1, 5, 3.5],
      [6, 3.5, 9],
    ]);
    assert.throws(() => symmetrize(new Matrix(1, 2)), { message: "symmetrize: input must be square, got 1×2" });
  });
});
