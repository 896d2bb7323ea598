/**
 * LAPACK's two-stage symmetric eigenvalue reduction above its switch (n ≥ 2048), against the prescribed spectrum and
 * dsyevd with vectors. Its own file: the n = 2049 case takes seconds, and mutation testing runs each mutant against
 * every test file that executes it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as la from "../../src/linalg";
import { Matrix } from "../../src/linalg";
import { randn, maxAbsDiff } from "../helpers";

/**
 * H₂H₁ diag(values) H₁H₂ with random Householder reflectors H = I − 2vvᵀ: dense, with exactly these eigenvalues, built
 * in O(n²).
 */
function reflectedSpectrum(values: number[], seed: number): Matrix {
  const n = values.length;
  const A = new Matrix(n, n);
  values.forEach((v, i) => A.set(i, i, v));
  for (const s of [seed, seed + 1]) {
    const v = randn(n, 1, s).data;
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i] /= norm;
    const Av = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Av[i] += A.data[i * n + j] * v[j];
    let vAv = 0;
    for (let i = 0; i < n; i++) vAv += v[i] * Av[i];
    // H A H = A − 2 v (Av)ᵀ − 2 (Av) vᵀ + 4 (vᵀAv) v vᵀ
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) A.data[i * n + j] += -2 * v[i] * Av[j] - 2 * Av[i] * v[j] + 4 * vAv * v[i] * v[j];
  }
  la.symmetrize(A);
  return A;
}

describe(
  "eigenvalues by LAPACK's two-stage reduction (n ≥ EIGVALSH_TWO_STAGE_MIN_N)",
  { skip: la.nativeAvailable() ? false : "the LAPACK addon is not loaded" },
  () => {
    it(
      "eigvalsh and the symmetric rank give the known spectrum above and below the switch, on 1 " +
        "and 2 threads, as dsyevd (with vectors) does",
      () => {
        const before = la.getThreads();
        assert.equal(la.useTwoStageEigvalsh(la.EIGVALSH_TWO_STAGE_MIN_N, 1), true);
        assert.equal(la.useTwoStageEigvalsh(la.EIGVALSH_TWO_STAGE_MIN_N, 2), false);
        assert.equal(la.useTwoStageEigvalsh(la.EIGVALSH_TWO_STAGE_MIN_N - 1, 1), false);
        la.useBackend("lapack");
        try {
          for (const n of [la.EIGVALSH_TWO_STAGE_MIN_N + 1, 300]) {
            // 60 % of the spectrum at magnitudes spread over [0.5, 5] with alternating signs, the rest exactly 0: rank
            // 0.6 n
            const nonzero = Math.round(0.6 * n);
            const values = Array.from({ length: n }, (_, i) =>
              i < nonzero ? (i % 2 ? -1 : 1) * (0.5 + (4.5 * i) / nonzero) : 0,
            );
            const A = reflectedSpectrum(values, 7);
            const want = values.slice().sort((a, b) => a - b);
            const withVectors = la.eigh(A).values; // dsyevd, one stage, a second algorithm
            for (const threads of [1, 2]) {
              la.setThreads(threads);
              const got = la.eigvalsh(A);
              assert.ok(
                maxAbsDiff(got, want) < 1e-12 * 5,
                `n = ${n}, ${threads} thread(s): max |λ − λ_true| = ${maxAbsDiff(got, want)}`,
              );
              assert.ok(
                maxAbsDiff(got, withVectors) < 1e-12 * 5,
                `n = ${n}, ${threads} thread(s): eigvalsh vs dsyevd with vectors ${maxAbsDiff(got, withVectors)}`,
              );
              assert.equal(la.rank(A, { symmetric: true }), nonzero, `n = ${n}, ${threads} thread(s): rank`);
            }
          }
        } finally {
          la.setThreads(before);
        }
      },
    );
  },
);
