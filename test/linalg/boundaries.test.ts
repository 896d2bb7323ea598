/**
 * The edges of the core's thresholds, each with a value worked out by hand: the default rank tolerance on a tall
 * matrix (max(m, n), not min), singular values exactly at a threshold (counted only when strictly above), the
 * symmetry tolerance (relative to the largest |entry|), the critical-β window and the match window of Patel Fig. 2's
 * rule at their ends, and `holdsInAll` at exactly half. Each linear-algebra check runs on the pure-TypeScript path and,
 * when the addon is loaded, on LAPACK too.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as la from "../../src/linalg";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { localRank, localRankSensitivity } from "../../src/metrics/local-rank";
import { ibLevelCrossings, FIG2_RULE } from "../../src/experiments/local-rank/claims";
import { holdsInAll } from "../../src/report/ledger";

const EPS = 2 ** -52;

/** Runs `f` on the TypeScript kernels and, when the addon is loaded, on LAPACK; restores the backend. */
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

/** An m×n matrix with the given values on its diagonal (its singular values, exactly) and zeros elsewhere. */
function diagonal(m: number, n: number, d: number[]): Matrix {
  const A = new Matrix(m, n);
  d.forEach((v, i) => A.set(i, i, v));
  return A;
}

describe("rank thresholds", () => {
  it("default tolerance σ₁·max(m, n)·eps: a 200×3 matrix with σ = 1, 1, 50·eps has rank 2, its 3×3 block 3", () => {
    assert.equal(la.EPS, EPS);
    assert.equal(la.defaultTolerance(1, 200, 3), 200 * EPS);
    assert.equal(la.defaultTolerance(2, 3, 200), 400 * EPS);
    // σ₃ = 50·eps lies between 3·eps·σ₁ (what min(m, n) would give) and 200·eps·σ₁
    const s = [1, 1, 50 * EPS];
    onEveryBackend((name) => {
      assert.equal(la.rank(diagonal(200, 3, s)), 2, `${name}: tall`);
      assert.equal(la.rank(diagonal(3, 200, s)), 2, `${name}: wide`);
      assert.equal(la.rank(diagonal(3, 3, s)), 3, `${name}: square, tolerance 3·eps`);
      // lstsq's default rcond is max(m, n)·eps too
      assert.equal(la.lstsq(diagonal(200, 3, s), new Matrix(200, 1)).rank, 2, `${name}: lstsq`);
      assert.equal(la.lstsq(diagonal(3, 3, s), new Matrix(3, 1)).rank, 3, `${name}: lstsq square`);
      // logPdet of a symmetric n×n: tolerance n·eps·max|λ|; diag(4, −2, 4·(n − 1)·eps) on n = 3 keeps two eigenvalues
      const p = la.logPdet(diagonal(3, 3, [4, -2, 8 * EPS]));
      assert.deepEqual([p.rank, p.sign], [2, -1], name);
      assert.ok(Math.abs(p.logAbs - Math.log(8)) < 1e-14, `${name}: log 8 vs ${p.logAbs}`);
    });
  });

  it("a singular value exactly at the threshold is not counted (σ > ε)", () => {
    onEveryBackend((name) => {
      const A = diagonal(2, 2, [0.5, 0.25]);
      assert.deepEqual(Array.from(la.svdvals(A)), [0.5, 0.25], `${name}: the singular values are exact`);
      assert.equal(la.epsRank(A, 0.25), 1, name);
      assert.equal(la.epsRank(A, 0.2499), 2, name);
      assert.equal(la.rank(A, { tol: 0.5 }), 0, name);
      assert.equal(la.rankOfSpectrum([-0.25, 0.25, 0.26], 0.25), 1);
      // the local rank of a bias-free linear layer z = W x is the ε-rank of W at every input
      const spec: nets.NetSpec = { sizes: [2, 2], activation: [], bias: false };
      const params = Float64Array.from([0.5, 0, 0, 0.25]); // W_1 row-major
      const X = new Matrix(3, 2, Float64Array.from([1, 2, -1, 0.5, 3, -2]));
      const [r] = localRank(spec, params, X, { eps: 0.25 });
      assert.deepEqual(r.perInput, [1, 1, 1], name);
      assert.equal(r.localRank, 1, name);
      assert.equal(localRank(spec, params, X, { eps: 0.2 })[0].localRank, 2, name);
      assert.deepEqual(localRankSensitivity(spec, params, X, [0.25, 0.5, 0.2, 0.125]).localRank, [[1], [0], [2], [2]]);
    });
  });

  it("the symmetry tolerance is 1e-10 of the largest |entry|", () => {
    // largest |entry| 4 (negative, on the diagonal): tolerance 4e-10
    const withAsymmetry = (delta: number) => new Matrix(2, 2, Float64Array.from([-4, 1, 1 + delta, 2]));
    onEveryBackend((name) => {
      assert.equal(la.eigvalsh(withAsymmetry(3e-10)).length, 2, `${name}: 3e-10 < 4e-10 is accepted`);
      assert.throws(
        () => la.eigvalsh(withAsymmetry(6e-10)),
        /eigvalsh: input \(2×2\) is not symmetric: \|a\[0,1\] − a\[1,0\]\| = 6\.000e-10 > 4\.000e-10/,
        name,
      );
      assert.throws(() => la.rank(withAsymmetry(6e-10), { symmetric: true }), /rank: input \(2×2\) is not symmetric/);
      // a tolerance relative to the largest entry: the same asymmetry is accepted at 100× the scale
      const big = new Matrix(2, 2, Float64Array.from([-400, 1, 1 + 6e-10, 2]));
      assert.equal(la.eigvalsh(big).length, 2, name);
    });
  });
});

describe("localRank: defaults and refusals", () => {
  // z_1 = W_1 x with W_1 = diag(0.5, 0.01): σ = 0.5 and exactly the default ε = 0.01; z_2 = W_2 z_1, W_2 = [1 1]
  const spec: nets.NetSpec = { sizes: [2, 2, 1], activation: ["linear"], bias: false };
  const params = Float64Array.from([0.5, 0, 0, 0.01, 1, 1]);
  const X = new Matrix(2, 2, Float64Array.from([1, 0, 0, 1]));

  it("every layer by default, ε = 0.01 (a σ exactly at it not counted), the width of each layer", () => {
    const r = localRank(spec, params, X);
    assert.deepEqual(
      r.map((l) => [l.layer, l.width, l.localRank, l.perInput]),
      [
        [1, 2, 1, [1, 1]],
        [2, 1, 1, [1, 1]],
      ],
    );
    assert.deepEqual(
      localRank(spec, params, X, { layers: [2] }).map((l) => l.layer),
      [2],
    );
    // no inputs: a mean over nothing is 0
    assert.equal(localRank(spec, params, new Matrix(0, 2))[0].localRank, 0);
    const sens = localRankSensitivity(spec, params, X, [0.01, 0.005]);
    assert.deepEqual(sens, {
      eps: [0.01, 0.005],
      layers: [1, 2],
      localRank: [
        [1, 1],
        [2, 1],
      ],
    });
    assert.deepEqual(localRankSensitivity(spec, params, X, [0.005], [1]).localRank, [[2]]);
    assert.deepEqual(localRankSensitivity(spec, params, X, [0], [1]).localRank, [[2]], "ε = 0 counts every σ > 0");
  });

  it("refuses ε < 0, ±Infinity, NaN and layers outside 1..L, naming them", () => {
    for (const eps of [-1, Infinity, NaN])
      assert.throws(
        () => localRankSensitivity(spec, params, X, [0.1, eps]),
        new RegExp(`^Error: localRank: eps must be a finite number ≥ 0, got ${eps}$`),
      );
    assert.throws(
      () => localRank(spec, params, X, { eps: Infinity }),
      /localRank: option eps must be a finite number ≥ 0/,
    );
    assert.throws(
      () => localRank(spec, params, X, { layers: [1, 3] }),
      /^Error: localRank: layers must be integers in 1\.\.2, got 3$/,
    );
    for (const l of [0, 1.5])
      assert.throws(
        () => localRank(spec, params, X, { layers: [1, l] }),
        /localRank: option layers must be a list \(each item an integer ≥ 1\)/,
      );
    for (const l of [0, 1.5, 3])
      assert.throws(
        () => localRankSensitivity(spec, params, X, [0.1], [l]),
        new RegExp(`^Error: localRank: layers must be integers in 1\\.\\.2, got ${l}$`),
      );
  });
});

describe("Patel Fig. 2's rule at the ends of its windows (factor F = 1.5)", () => {
  it("a critical β exactly at F·β_min or β_max/F is judged; just outside it is not", () => {
    assert.equal(FIG2_RULE.factor, 1.5);
    const betas = [2, 3, 6, 12];
    const localRank = [0, 1, 2, 2];
    // F·β_min = 3 and β_max/F = 8 exactly in float64
    const judged = (bc: number) => ibLevelCrossings({ betas, localRank, criticalBetas: [bc] }).levels[0].judged;
    assert.equal(judged(3), true, "β_c = F·β_min");
    assert.equal(judged(8), true, "β_c = β_max/F");
    assert.equal(judged(2.999), false);
    assert.equal(judged(8.001), false);
    assert.equal(
      ibLevelCrossings({ betas: [5], localRank: [1], criticalBetas: [5] }).levels[0].judged,
      false,
      "one grid point judges nothing",
    );
  });

  it("a crossing exactly a factor F from β_c matches; the crossing is the geometric mean of its grid points", () => {
    // local rank reaches 1 between β = 4 and 9: the crossing is √36 = 6
    const m = (bc: number) => ({ betas: [1, 4, 9, 100], localRank: [0, 0, 1, 1], criticalBetas: [bc] });
    const at = (bc: number) => ibLevelCrossings(m(bc)).levels[0];
    assert.deepEqual(
      { lo: at(6).lo, hi: at(6).hi, at: at(6).at, level: at(6).level, criticalBeta: at(6).criticalBeta },
      { lo: 4, hi: 9, at: 6, level: 1, criticalBeta: 6 },
    );
    assert.equal(at(4).matched, true, "6 = 4·F");
    assert.equal(at(9).matched, true, "6 = 9/F");
    assert.equal(at(3.99).matched, false);
    assert.equal(at(9.01).matched, false);
  });

  it(
    "levels: the first grid point from which the rank stays ≥ k; " +
      "reached at the start or never is a miss; falls counted",
    () => {
      const r = ibLevelCrossings({
        betas: [16, 1, 4, 64, 256], // unsorted: the rule sorts by β
        localRank: [2, 1, 0, 1, 3],
        criticalBetas: [1000, 0.5, 100, 30, Infinity], // sorted, and the infinite one dropped
      });
      // sorted: β 1 4 16 64 256 → rank 1 0 2 1 3; both dips (1 → 0 → 2, 2 → 1 → 3) come back at the next point, so
      // they are one-point flickers, read as their left neighbour (1 1 2 2 3): no sustained fall
      assert.equal(r.decreases, 0);
      assert.equal(r.flickers, 2);
      // each critical value is distinct, so each is one level; level 1 is reached at the first grid point (a miss),
      // level 2 stays reached from β = 16 on (crossing √(4·16) = 8), level 3 from 256 on (√(64·256) = 128), level 4
      // never; 128 is within a factor 1.5 of 100 only
      assert.deepEqual(
        r.levels.map((l) => [l.level, l.criticalBeta, l.lo, l.hi, l.at, l.matched]),
        [
          [1, 0.5, undefined, 1, undefined, false],
          [2, 30, 4, 16, 8, false],
          [3, 100, 64, 256, 128, true],
          [4, 1000, undefined, undefined, undefined, false],
        ],
      );
      // a dip that does not come back is a fall
      assert.equal(ibLevelCrossings({ betas: [1, 2, 4, 8], localRank: [2, 1, 1, 2], criticalBetas: [3] }).decreases, 1);
      const start = ibLevelCrossings({ betas: [1, 2, 4], localRank: [1, 1, 1], criticalBetas: [2] }).levels[0];
      assert.deepEqual([start.lo, start.hi, start.at, start.matched], [undefined, 1, undefined, false]);
    },
  );
});

describe("holdsInAll", () => {
  /** Wilson's score interval, written out (z = 1.959964, the 97.5 % normal quantile). */
  const wilsonByHand = (k: number, n: number) => {
    const z = 1.959964;
    const p = k / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = ((z / (1 + (z * z) / n)) * Math.sqrt(p * (1 - p) + (z * z) / (4 * n))) / Math.sqrt(n);
    return [Math.max(0, centre - half), Math.min(1, centre + half)].map((x) => +x.toFixed(3));
  };

  it("reproduced in all, partly at exactly half and above, not reproduced below half, not assessed with none", () => {
    const cases: [number, number, string][] = [
      [4, 4, "reproduced"],
      [3, 4, "partly"],
      [2, 4, "partly"],
      [1, 4, "not reproduced"],
      [1, 3, "not reproduced"],
      [2, 3, "partly"],
      [0, 1, "not reproduced"],
    ];
    for (const [k, n, verdict] of cases) {
      const a = holdsInAll(k, n, "x = formula");
      assert.equal(a.verdict, verdict, `${k} of ${n}`);
      assert.equal(a.detail, `x = formula: holds in ${k} of ${n} configurations`);
      const [lo, hi] = wilsonByHand(k, n);
      assert.deepEqual(a.numbers, {
        holds: k,
        configurations: n,
        "Wilson 95% low": lo,
        "Wilson 95% high": hi,
      });
    }
    assert.deepEqual(holdsInAll(2, 4, "x").numbers["Wilson 95% low"], 0.15, "by hand: 0.5 − 0.350");
    assert.deepEqual(holdsInAll(0, 0, "x = formula"), {
      verdict: "not assessed",
      numbers: { configurations: 0 },
      detail: "x = formula: no configuration measured",
    });
  });
});
