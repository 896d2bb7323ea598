/**
 * The scale-free quantities at the ends of the float64 range, where squaring overflows (above ~1.3e154) or loses digits
 * to subnormals (below ~1.5e-154): the participation ratio does not depend on the scale of the spectrum, and the
 * Frobenius norm scales with the matrix, so both must equal their unit-scale values (times the scale) there too.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as la from "../../src/linalg";
import { Matrix } from "../../src/linalg";

function relClose(got: number, want: number, what: string) {
  assert.ok(Math.abs(got - want) <= 4e-16 * Math.abs(want), `${what}: ${got} vs ${want}`);
}

describe("scale-free quantities at the ends of the float64 range", () => {
  const spectrum = [3, 1, 0.5, 0, 2];
  // (Σλ)² / Σλ² = 6.5² / 14.25
  const pr = 6.5 ** 2 / 14.25;
  it("participation ratio: the same at every scale", () => {
    relClose(la.participationRatio(spectrum), pr, "scale 1");
    for (const scale of [1e200, 1e300, 1e-160, 1e-200, 1e-300])
      relClose(la.participationRatio(spectrum.map((v) => v * scale)), pr, `scale ${scale}`);
    // one value only, at a huge and at a tiny scale: exactly 1
    assert.equal(la.participationRatio([0, 7e250, 0]), 1);
    assert.equal(la.participationRatio([5e-310, 0]), 1);
    // all equal: the count
    assert.equal(la.participationRatio([1e-200, 1e-200, 1e-200]), 3);
    // (Σλ)² overflows while Σλ² does not: 150 values of 1e153 (Σλ = 1.5e155, Σλ² = 1.5e308)
    relClose(la.participationRatio(new Array(150).fill(1e153)), 150, "150 × 1e153");
  });
  it("Frobenius norm: scales with the matrix, 0 for zeros, and NaN or Infinity passed on", () => {
    const M = (s: number) => new Matrix(2, 2, [3 * s, 0, 0, -4 * s]);
    assert.equal(la.frobenius(M(1)), 5);
    for (const scale of [1e200, 1e300, 1e-160, 1e-200, 1e-300])
      relClose(la.frobenius(M(scale)), 5 * scale, `scale ${scale}`);
    relClose(la.frobenius(new Matrix(1, 3, [1e-200, 2e-200, 2e-200])), 3e-200, "three entries");
    // the largest entry first, last and beside a tiny one (the scaling must use the largest)
    relClose(la.frobenius(new Matrix(1, 2, [1e200, 1e-200])), 1e200, "1e200 beside 1e-200");
    relClose(la.frobenius(new Matrix(1, 3, [1e-200, 2e200, 0])), 2e200, "largest in the middle");
    relClose(la.frobenius(new Matrix(1, 2, [5e-300, 0])), 5e-300, "a tiny entry before a zero");
    assert.equal(la.frobenius(new Matrix(2, 2)), 0);
    assert.equal(la.frobenius(new Matrix(0, 0)), 0);
    assert.ok(Number.isNaN(la.frobenius(new Matrix(1, 3, [1e200, NaN, 1]))));
    assert.ok(Number.isNaN(la.frobenius(new Matrix(1, 3, [NaN, 1e200, 1]))));
    assert.equal(la.frobenius(new Matrix(1, 2, [1e200, Infinity])), Infinity);
    assert.equal(la.frobenius(new Matrix(1, 2, [-Infinity, 1])), Infinity);
  });
});

describe("a spectrum with a non-finite value", () => {
  it("is refused by rankOfSpectrum, naming the value and its index (a NaN compares false with any threshold)", () => {
    assert.equal(la.rankOfSpectrum([3, -2, 0.5, 0], 1), 2);
    assert.throws(() => la.rankOfSpectrum([1, NaN, 2], 0.1), {
      message: "rank: the spectrum has a non-finite value NaN at index 1",
    });
    assert.throws(() => la.rankOfSpectrum([1, 2, -Infinity], 0.1), /non-finite value -Infinity at index 2$/);
  });
});
