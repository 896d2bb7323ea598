/**
 * The Hebbar (2022) claims ledger (src/experiments/info-loss/claims.ts), rule by rule: every branch of each claim's
 * `assess` on small hand-built measurements, inputs exactly at and just beside each threshold (P_B < m, P_B = m − 1,
 * P_B ≤ m − 2, rank G ≥ k, the 2.5 % permutation level, Wilson intervals disjoint, a spread change below 0, the
 * Wilson lower limit against EXIST_MIN), and the whole `numbers` and `detail` each rule writes. Expected texts and
 * numbers are worked out by hand from the rules' templates; the Wilson limits were computed independently (Python,
 * standard library, z = 1.959964) and are written here to three decimals.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CLAIMS, DIM_ALPHA, EXIST_MIN, MIDDLE_FAMILIES } from "../../src/experiments/info-loss/claims";
import type { SizeCounts, DimensionVsFrequency } from "../../src/experiments/info-loss/claims";
import { assessClaim, ClaimSpec } from "../../src/report/ledger";

const INJ = "injective activation at L (projection, tanh)";
const FOLD = "folding activation at L (sin: fold, hidden-fold)";
const NONE_BELOW = "no construction with fewer than m = 6 parameters before layer L was measured";

describe("info-loss claims: declarations", () => {
  it("every claim is filed under its own id, has no budget or combine step, and judges through assessClaim", () => {
    for (const [key, s] of Object.entries(CLAIMS)) {
      const spec = s as ClaimSpec<unknown>;
      assert.equal(spec.id, key);
      assert.equal(spec.atBudget, undefined);
      assert.equal(spec.combine, undefined);
      const a = spec.assess(spec.example);
      const e = assessClaim(spec, spec.example);
      assert.equal(e.verdict, "reproduced");
      assert.equal(e.verdict, a.verdict);
      assert.deepEqual(e.numbers, a.numbers);
      assert.equal(e.detail, a.detail);
      assert.equal(e.budgets, undefined);
      assert.equal(e.stable, undefined);
      assert.equal(assessClaim(spec, spec.counterexample).verdict, "not reproduced");
    }
  });

  it("the thresholds: 2.5 % per side of the permutation test, Wilson lower limit above 0.01; the two families", () => {
    assert.equal(DIM_ALPHA, 0.025);
    assert.equal(EXIST_MIN, 0.01);
    assert.match(CLAIMS["part4-deficient-exist"].rule, / has a lower limit above 0\.01\. /);
    assert.deepEqual(MIDDLE_FAMILIES, [
      { label: INJ, collisions: ["projection"] },
      { label: FOLD, collisions: ["fold", "hidden-fold"] },
    ]);
  });

  it("each rule states the thresholds its assess applies, and where the post makes the claim", () => {
    const rule = (id: keyof typeof CLAIMS) => CLAIMS[id].rule;
    for (const s of ["P_B < m parameters before L", "fails only at P_B = m − 1", "fails at some P_B ≤ m − 2"])
      assert.ok(rule("part3b-middle-layer-bound").includes(s), s);
    for (const s of [
      "at least 3 solution kinds of at least 2 distinct manifold dimensions",
      `P(ρ_perm ≥ ρ) < ${DIM_ALPHA} (higher`,
      `P(ρ_perm ≤ ρ) < ${DIM_ALPHA} (higher`,
      "5000 permutations",
    ])
      assert.ok(rule("part4a-dimension-not-predictive").includes(s), s);
    assert.ok(rule("part4-fewer-deficient").includes("lies entirely below the one at the smallest size"));
    assert.ok(rule("part4-consistent-functions").includes("the set supports the claim when the interval lies below 0"));
    assert.deepEqual(
      Object.values(CLAIMS).map((c) => c.where),
      [
        "'Low rank G indicates information loss'",
        "'Empirical results' (~20 params / 4 data pts) and footnote 5",
        "Update (5/19), 'Empirical results'",
        "Update (5/19)",
        "'Behavior manifolds' and 'Empirical results' (~20 params / 4 data points)",
      ],
    );
  });
});

describe("info-loss claims: the stated claims and rules are fixed", () => {});

describe("part3b-middle-layer-bound: injective and folding constructions judged apart", () => {
  const spec = CLAIMS["part3b-middle-layer-bound"];
  const row = (collision: string, pBefore: number, rankG: number, seed = 0) => ({
    collision,
    pBefore,
    seed,
    rankG,
    rankColliding: 0,
  });
  const judge = (rows: ReturnType<typeof row>[]) => spec.assess({ m: 6, k: 8, rows });

  it("not assessed when neither family has a construction with P_B < m (P_B = m and unknown kinds do not count)", () => {
    const a = judge([row("projection", 6, 8), row("fold", 6, 7), row("hidden-fold", 7, 8), row("other", 3, 8)]);
    assert.equal(a.verdict, "not assessed");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 0,
    });
    assert.equal(a.detail, `[${INJ}] not assessed — ${NONE_BELOW} [${FOLD}] not assessed — ${NONE_BELOW}`);
  });

  it("reproduced: every injective construction below m dependent (distinct ranks at P_B = m − 1 listed once each)", () => {
    const a = judge([
      row("projection", 5, 7, 0),
      row("projection", 5, 6, 1),
      row("projection", 5, 7, 2),
      row("projection", 2, 5),
      row("projection", 6, 8),
      row("fold", 6, 8),
    ]);
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 4,
      [`${INJ}: rank G at P_B = m − 1`]: "7/6",
      [`${INJ}: P_B < m with rank G = k (independent)`]: 0,
      [`${INJ}: of them with P_B ≤ m − 2`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 0,
    });
    assert.equal(
      a.detail,
      `[${INJ}] reproduced — in all 4 constructions with P_B < m = 6 the k = 8 behavioral gradients are dependent ` +
        `(rank G < k), rank G 7/6 at P_B = m − 1 [${FOLD}] not assessed — ${NONE_BELOW}`,
    );
  });

  it("reproduced in both families; without a P_B = m − 1 construction neither that number nor that clause", () => {
    const a = judge([row("projection", 4, 7), row("fold", 3, 6), row("hidden-fold", 4, 7)]);
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 1,
      [`${INJ}: P_B < m with rank G = k (independent)`]: 0,
      [`${INJ}: of them with P_B ≤ m − 2`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 2,
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 0,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 0,
    });
    assert.equal(
      a.detail,
      `[${INJ}] reproduced — in all 1 constructions with P_B < m = 6 the k = 8 behavioral gradients are dependent ` +
        `(rank G < k) [${FOLD}] reproduced — in all 2 constructions with P_B < m = 6 the k = 8 behavioral ` +
        `gradients are dependent (rank G < k)`,
    );
  });

  it("partly: the folding family independent only at P_B = m − 1 (rank G = k counts), the injective one dependent", () => {
    const a = judge([
      row("projection", 5, 7),
      row("fold", 4, 7),
      row("fold", 5, 8, 0),
      row("fold", 5, 8, 1),
      row("hidden-fold", 5, 9),
      row("hidden-fold", 3, 7),
    ]);
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 1,
      [`${INJ}: rank G at P_B = m − 1`]: "7",
      [`${INJ}: P_B < m with rank G = k (independent)`]: 0,
      [`${INJ}: of them with P_B ≤ m − 2`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 5,
      [`${FOLD}: rank G at P_B = m − 1`]: "8/9",
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 3,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 0,
    });
    assert.equal(
      a.detail,
      `[${INJ}] reproduced — in all 1 constructions with P_B < m = 6 the k = 8 behavioral gradients are dependent ` +
        `(rank G < k), rank G 7 at P_B = m − 1 [${FOLD}] partly — dependent in every construction with ` +
        `P_B ≤ m − 2, but 3 of 5 with P_B < m have rank G = k, all at P_B = m − 1 (fold P_B = 5, hidden-fold ` +
        `P_B = 5): with this activation the guarantee needs P_B < m − 1`,
    );
  });

  it("not reproduced: rank G = k at P_B = m − 2 in the folding family; the unassessed injective family is left out", () => {
    const a = judge([row("fold", 4, 8), row("fold", 5, 8), row("hidden-fold", 3, 7), row("projection", 6, 8)]);
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 3,
      [`${FOLD}: rank G at P_B = m − 1`]: "8",
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 2,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 1,
    });
    assert.equal(
      a.detail,
      `[${INJ}] not assessed — ${NONE_BELOW} [${FOLD}] not reproduced — 1 constructions with P_B ≤ m − 2 have ` +
        `rank G = k (fold P_B = 4)`,
    );
  });

  it("not reproduced in both families; each failing kind and P_B named once", () => {
    const a = judge([
      row("projection", 1, 8, 0),
      row("projection", 1, 8, 1),
      row("projection", 3, 9),
      row("fold", 2, 8),
      row("hidden-fold", 0, 8),
    ]);
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 3,
      [`${INJ}: P_B < m with rank G = k (independent)`]: 3,
      [`${INJ}: of them with P_B ≤ m − 2`]: 3,
      [`${FOLD}: constructions with P_B < m`]: 2,
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 2,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 2,
    });
    assert.equal(
      a.detail,
      `[${INJ}] not reproduced — 3 constructions with P_B ≤ m − 2 have rank G = k (projection P_B = 1, ` +
        `projection P_B = 3) [${FOLD}] not reproduced — 2 constructions with P_B ≤ m − 2 have rank G = k ` +
        `(fold P_B = 2, hidden-fold P_B = 0)`,
    );
  });

  it("partly when one family is reproduced and the other not reproduced", () => {
    const a = judge([row("projection", 4, 7), row("fold", 4, 8)]);
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 1,
      [`${INJ}: P_B < m with rank G = k (independent)`]: 0,
      [`${INJ}: of them with P_B ≤ m − 2`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 1,
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 1,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 1,
    });
    assert.equal(
      a.detail,
      `[${INJ}] reproduced — in all 1 constructions with P_B < m = 6 the k = 8 behavioral gradients are dependent ` +
        `(rank G < k) [${FOLD}] not reproduced — 1 constructions with P_B ≤ m − 2 have rank G = k (fold P_B = 4)`,
    );
  });

  it("the example and counterexample in full", () => {
    assert.deepEqual(spec.example.rows[0], { collision: "fold", pBefore: 3, seed: 0, rankG: 6, rankColliding: 4 });
    const yes = spec.assess(spec.example);
    assert.equal(yes.verdict, "reproduced");
    assert.deepEqual(yes.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 1,
      [`${INJ}: rank G at P_B = m − 1`]: "7",
      [`${INJ}: P_B < m with rank G = k (independent)`]: 0,
      [`${INJ}: of them with P_B ≤ m − 2`]: 0,
      [`${FOLD}: constructions with P_B < m`]: 2,
      [`${FOLD}: rank G at P_B = m − 1`]: "7",
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 0,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 0,
    });
    assert.equal(
      yes.detail,
      `[${INJ}] reproduced — in all 1 constructions with P_B < m = 6 the k = 8 behavioral gradients are dependent ` +
        `(rank G < k), rank G 7 at P_B = m − 1 [${FOLD}] reproduced — in all 2 constructions with P_B < m = 6 ` +
        `the k = 8 behavioral gradients are dependent (rank G < k), rank G 7 at P_B = m − 1`,
    );
    const no = spec.assess(spec.counterexample);
    assert.equal(no.verdict, "not reproduced");
    assert.deepEqual(no.numbers, {
      m: 6,
      k: 8,
      [`${INJ}: constructions with P_B < m`]: 1,
      [`${INJ}: P_B < m with rank G = k (independent)`]: 1,
      [`${INJ}: of them with P_B ≤ m − 2`]: 1,
      [`${FOLD}: constructions with P_B < m`]: 2,
      [`${FOLD}: rank G at P_B = m − 1`]: "8",
      [`${FOLD}: P_B < m with rank G = k (independent)`]: 2,
      [`${FOLD}: of them with P_B ≤ m − 2`]: 1,
    });
    assert.equal(
      no.detail,
      `[${INJ}] not reproduced — 1 constructions with P_B ≤ m − 2 have rank G = k (projection P_B = 3) ` +
        `[${FOLD}] not reproduced — 1 constructions with P_B ≤ m − 2 have rank G = k (fold P_B = 3)`,
    );
  });
});

describe("part4a-dimension-not-predictive: one-sided permutation tests at 2.5 % per target set", () => {
  const spec = CLAIMS["part4a-dimension-not-predictive"];
  type DimSet = DimensionVsFrequency["sets"][number];
  const set = (name: string, o: Partial<DimSet> = {}): DimSet => ({
    name,
    kinds: 3,
    kindsFound: 2,
    distinctDims: 2,
    seeds: 100,
    converged: 90,
    rho: 0.5,
    nullLow: -0.9,
    nullHigh: 0.9,
    pHigh: 0.5,
    pLow: 0.5,
    ...o,
  });
  /** The numbers of one set, in the order the rule writes them. */
  const nums = (
    name: string,
    kf: string,
    dims: number,
    rho: number | null,
    lo: number | null,
    hi: number | null,
    pHigh: number | null,
    pLow: number | null,
  ) => ({
    [`${name}: kinds (found)`]: kf,
    [`${name}: distinct dimensions`]: dims,
    [`${name}: ρ`]: rho,
    [`${name}: permutation 2.5%`]: lo,
    [`${name}: permutation 97.5%`]: hi,
    [`${name}: P(ρ_perm ≥ ρ)`]: pHigh,
    [`${name}: P(ρ_perm ≤ ρ)`]: pLow,
  });
  const MORE = "higher-dimensional kinds are found more often: dimension predicts, as the volume argument says";
  const LESS = "higher-dimensional kinds are found less often: not favoured, but dimension predicts (in reverse)";

  it("not assessed: fewer than 3 kinds, one dimension, or an undefined ρ or p-value each keep a set out", () => {
    const a = spec.assess({
      sets: [
        set("A", { kinds: 2 }),
        set("B", { distinctDims: 1 }),
        set("C", { rho: NaN }),
        set("D", { pHigh: NaN }),
        set("E", { pLow: Infinity }),
      ],
    });
    assert.equal(a.verdict, "not assessed");
    assert.deepEqual(a.numbers, {
      ...nums("A", "2 (2)", 2, 0.5, -0.9, 0.9, 0.5, 0.5),
      ...nums("B", "3 (2)", 1, 0.5, -0.9, 0.9, 0.5, 0.5),
      ...nums("C", "3 (2)", 2, null, -0.9, 0.9, 0.5, 0.5),
      ...nums("D", "3 (2)", 2, 0.5, -0.9, 0.9, null, 0.5),
      ...nums("E", "3 (2)", 2, 0.5, -0.9, 0.9, 0.5, null),
    });
    assert.equal(
      a.detail,
      "A: 2 kinds with 2 distinct manifold dimension(s) — not judged; " +
        "B: 3 kinds with 1 distinct manifold dimension(s) — not judged; " +
        "C: 3 kinds with 2 distinct manifold dimension(s) — not judged; " +
        "D: 3 kinds with 2 distinct manifold dimension(s) — not judged; " +
        "E: 3 kinds with 2 distinct manifold dimension(s) — not judged",
    );
    assert.equal(spec.assess({ sets: [] }).verdict, "not assessed");
    assert.equal(spec.assess({ sets: [] }).detail, "");
  });

  it("reproduced with either p-value exactly at 2.5 % (3 kinds of 2 dimensions are judged); numbers rounded", () => {
    const a = spec.assess({
      sets: [
        set("linear", { rho: 0.12345, nullLow: -0.31234, nullHigh: 0.2996, pHigh: 0.025, pLow: 0.98765 }),
        set("valley", {
          kinds: 7,
          kindsFound: 4,
          distinctDims: 3,
          rho: -0.4567,
          nullLow: -0.5,
          nullHigh: 0.55,
          pHigh: 0.98,
          pLow: 0.025,
        }),
      ],
    });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      ...nums("linear", "3 (2)", 2, 0.123, -0.312, 0.3, 0.025, 0.99),
      ...nums("valley", "7 (4)", 3, -0.457, -0.5, 0.55, 0.98, 0.025),
    });
    assert.equal(
      a.detail,
      "linear: ρ = 0.12 over 3 kinds (2 found), permutation 95 % range [-0.31, 0.30], P(ρ_perm ≥ ρ) = 0.025, " +
        "P(ρ_perm ≤ ρ) = 0.99 — no association detected; " +
        "valley: ρ = -0.46 over 7 kinds (4 found), permutation 95 % range [-0.50, 0.55], P(ρ_perm ≥ ρ) = 0.98, " +
        "P(ρ_perm ≤ ρ) = 0.025 — no association detected",
    );
  });

  it("not reproduced when P(ρ_perm ≥ ρ) is just below 2.5 %, also when P(ρ_perm ≤ ρ) is below it too", () => {
    const a = spec.assess({
      sets: [set("A", { rho: 0.9, pHigh: 0.024, pLow: 0.9 }), set("B", { rho: 0.3, pHigh: 0.01, pLow: 0.01 })],
    });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      ...nums("A", "3 (2)", 2, 0.9, -0.9, 0.9, 0.024, 0.9),
      ...nums("B", "3 (2)", 2, 0.3, -0.9, 0.9, 0.01, 0.01),
    });
    assert.equal(
      a.detail,
      "A: ρ = 0.90 over 3 kinds (2 found), permutation 95 % range [-0.90, 0.90], P(ρ_perm ≥ ρ) = 0.024, " +
        `P(ρ_perm ≤ ρ) = 0.90 — ${MORE}; ` +
        "B: ρ = 0.30 over 3 kinds (2 found), permutation 95 % range [-0.90, 0.90], P(ρ_perm ≥ ρ) = 0.010, " +
        `P(ρ_perm ≤ ρ) = 0.010 — ${MORE}`,
    );
  });

  it("partly when P(ρ_perm ≤ ρ) is just below 2.5 % (found less often); a set not judged beside it does not count", () => {
    const a = spec.assess({ sets: [set("A", { rho: -0.8, pHigh: 0.99, pLow: 0.024 }), set("B", { kinds: 2 })] });
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      ...nums("A", "3 (2)", 2, -0.8, -0.9, 0.9, 0.99, 0.024),
      ...nums("B", "2 (2)", 2, 0.5, -0.9, 0.9, 0.5, 0.5),
    });
    assert.equal(
      a.detail,
      "A: ρ = -0.80 over 3 kinds (2 found), permutation 95 % range [-0.90, 0.90], P(ρ_perm ≥ ρ) = 0.99, " +
        `P(ρ_perm ≤ ρ) = 0.024 — ${LESS}; B: 2 kinds with 2 distinct manifold dimension(s) — not judged`,
    );
  });

  it("partly when one set shows no association and another contradicts; not reproduced beside an unjudged set", () => {
    const mixed = spec.assess({ sets: [set("A"), set("B", { pHigh: 0.001 })] });
    assert.equal(mixed.verdict, "partly");
    assert.equal(
      mixed.detail,
      "A: ρ = 0.50 over 3 kinds (2 found), permutation 95 % range [-0.90, 0.90], P(ρ_perm ≥ ρ) = 0.50, " +
        "P(ρ_perm ≤ ρ) = 0.50 — no association detected; " +
        "B: ρ = 0.50 over 3 kinds (2 found), permutation 95 % range [-0.90, 0.90], P(ρ_perm ≥ ρ) = 0.0010, " +
        `P(ρ_perm ≤ ρ) = 0.50 — ${MORE}`,
    );
    const against = spec.assess({ sets: [set("A", { distinctDims: 1 }), set("B", { pHigh: 0.001 })] });
    assert.equal(against.verdict, "not reproduced");
  });

  it("an undefined permutation range is printed as 'undefined' and stored as null in a judged set", () => {
    const a = spec.assess({ sets: [set("A", { nullLow: NaN, nullHigh: Infinity, pHigh: 0.3, pLow: 0.8 })] });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, nums("A", "3 (2)", 2, 0.5, null, null, 0.3, 0.8));
    assert.equal(
      a.detail,
      "A: ρ = 0.50 over 3 kinds (2 found), permutation 95 % range [undefined, undefined], P(ρ_perm ≥ ρ) = 0.30, " +
        "P(ρ_perm ≤ ρ) = 0.80 — no association detected",
    );
  });

  it("the example and counterexample in full", () => {
    const yes = spec.assess(spec.example);
    assert.equal(yes.verdict, "reproduced");
    assert.deepEqual(yes.numbers, {
      ...nums("linear targets", "40 (12)", 3, 0.05, -0.3, 0.3, 0.35, 0.7),
      ...nums("zig-zag targets", "40 (12)", 3, -0.1, -0.3, 0.3, 0.8, 0.25),
    });
    assert.equal(
      yes.detail,
      "linear targets: ρ = 0.05 over 40 kinds (12 found), permutation 95 % range [-0.30, 0.30], " +
        "P(ρ_perm ≥ ρ) = 0.35, P(ρ_perm ≤ ρ) = 0.70 — no association detected; " +
        "zig-zag targets: ρ = -0.10 over 40 kinds (12 found), permutation 95 % range [-0.30, 0.30], " +
        "P(ρ_perm ≥ ρ) = 0.80, P(ρ_perm ≤ ρ) = 0.25 — no association detected",
    );
    const no = spec.assess(spec.counterexample);
    assert.equal(no.verdict, "not reproduced");
    assert.deepEqual(no.numbers, {
      ...nums("linear targets", "40 (12)", 3, 0.6, -0.3, 0.3, 0.001, 1),
      ...nums("zig-zag targets", "40 (12)", 3, 0.45, -0.3, 0.3, 0.004, 0.99),
    });
    assert.equal(
      no.detail,
      "linear targets: ρ = 0.60 over 40 kinds (12 found), permutation 95 % range [-0.30, 0.30], " +
        `P(ρ_perm ≥ ρ) = 0.0010, P(ρ_perm ≤ ρ) = 1.0 — ${MORE}; ` +
        "zig-zag targets: ρ = 0.45 over 40 kinds (12 found), permutation 95 % range [-0.30, 0.30], " +
        `P(ρ_perm ≥ ρ) = 0.0040, P(ρ_perm ≤ ρ) = 0.99 — ${MORE}`,
    );
  });
});

const counts = (p: number, converged: number, deficient: number, failed = 0): SizeCounts => ({
  p,
  converged,
  deficient,
  failed,
});

describe("part4-fewer-deficient: Wilson intervals of the rank-deficient fraction, smallest against largest size", () => {
  const spec = CLAIMS["part4-fewer-deficient"];
  const SIG = "linear: 0.750 [0.598, 0.858] at p = 10 → 0.050 [0.014, 0.165] at p = 100 (falls, intervals disjoint)";
  const sigSet = { name: "linear", first: counts(10, 40, 30, 2), last: counts(100, 40, 2) };
  const sigNumbers = {
    "linear: fraction at p = 10": 0.75,
    "linear: fraction at p = 100": 0.05,
    "linear: not converged (first, last)": "2, 0",
  };

  it("not assessed when no set has a rank-deficient solution at the smallest size (0 of 40 is none)", () => {
    const a = spec.assess({ sets: [{ name: "linear", first: counts(10, 40, 0, 3), last: counts(100, 38, 0, 5) }] });
    assert.equal(a.verdict, "not assessed");
    assert.deepEqual(a.numbers, {
      "linear: fraction at p = 10": 0,
      "linear: fraction at p = 100": 0,
      "linear: not converged (first, last)": "3, 5",
    });
    assert.equal(
      a.detail,
      "no target set has rank-deficient solutions at the smallest size: linear: no rank-deficient solution at " +
        "p = 10 (40 converged), nothing to fall from — not judged",
    );
  });

  it("reproduced when the fraction falls with the Wilson intervals disjoint (30/40 → 2/40)", () => {
    const a = spec.assess({ sets: [sigSet] });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, sigNumbers);
    assert.equal(a.detail, SIG);
  });

  it("partly when another set falls only in the point estimate (12/36 → 6/40, intervals overlap)", () => {
    const a = spec.assess({
      sets: [sigSet, { name: "valley", first: counts(7, 36, 12, 4), last: counts(22, 40, 6, 1) }],
    });
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      ...sigNumbers,
      "valley: fraction at p = 7": 0.333,
      "valley: fraction at p = 22": 0.15,
      "valley: not converged (first, last)": "4, 1",
    });
    assert.equal(
      a.detail,
      `${SIG}; valley: 0.333 [0.202, 0.497] at p = 7 → 0.150 [0.071, 0.291] at p = 22 (falls, intervals overlap)`,
    );
  });

  it("not reproduced when the fraction stays equal (4/8 → 10/20); a set without deficient solutions is not judged", () => {
    const a = spec.assess({
      sets: [
        { name: "linear", first: counts(10, 8, 4), last: counts(100, 20, 10) },
        { name: "zig", first: counts(10, 40, 0), last: counts(100, 40, 3) },
      ],
    });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      "linear: fraction at p = 10": 0.5,
      "linear: fraction at p = 100": 0.5,
      "linear: not converged (first, last)": "0, 0",
      "zig: fraction at p = 10": 0,
      "zig: fraction at p = 100": 0.075,
      "zig: not converged (first, last)": "0, 0",
    });
    assert.equal(
      a.detail,
      "linear: 0.500 [0.215, 0.785] at p = 10 → 0.500 [0.299, 0.701] at p = 100 (does not fall); " +
        "zig: no rank-deficient solution at p = 10 (40 converged), nothing to fall from — not judged",
    );
  });

  it("partly when one set falls significantly and another rises", () => {
    const a = spec.assess({ sets: [sigSet, { name: "zig", first: counts(10, 40, 5), last: counts(100, 40, 20) }] });
    assert.equal(a.verdict, "partly");
    assert.equal(
      a.detail,
      `${SIG}; zig: 0.125 [0.055, 0.261] at p = 10 → 0.500 [0.352, 0.648] at p = 100 (does not fall)`,
    );
  });

  it("the example in full: 30/40 → 2/40", () => {
    const a = spec.assess(spec.example);
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      "linear targets: fraction at p = 10": 0.75,
      "linear targets: fraction at p = 100": 0.05,
      "linear targets: not converged (first, last)": "0, 0",
    });
    assert.equal(
      a.detail,
      "linear targets: 0.750 [0.598, 0.858] at p = 10 → 0.050 [0.014, 0.165] at p = 100 (falls, intervals disjoint)",
    );
  });

  it("not reproduced when the only judged set falls in the point estimate of neither (5/40 → 20/40)", () => {
    const a = spec.assess(spec.counterexample);
    assert.equal(a.verdict, "not reproduced");
    assert.equal(
      a.detail,
      "linear targets: 0.125 [0.055, 0.261] at p = 10 → 0.500 [0.352, 0.648] at p = 100 (does not fall)",
    );
  });
});

describe("part4-consistent-functions: bootstrap interval of the change in spread below 0", () => {
  const spec = CLAIMS["part4-consistent-functions"];
  const set = (name: string, pFirst: number, pLast: number, sf: number, sl: number, lo: number, hi: number) => ({
    name,
    pFirst,
    pLast,
    spreadFirst: sf,
    spreadLast: sl,
    diffLow: lo,
    diffHigh: hi,
  });

  it("not assessed without a target set", () => {
    assert.deepEqual(spec.assess({ sets: [] }), {
      verdict: "not assessed",
      numbers: {},
      detail: "no target set measured",
    });
  });

  it("reproduced when the interval's upper end is just below 0; values to 3 significant digits", () => {
    const a = spec.assess({ sets: [set("linear", 10, 100, 0.123456, 0.0456789, -0.0912345, -0.000123456)] });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      "linear: spread at p = 10": 0.123,
      "linear: spread at p = 100": 0.0457,
      "linear: change 95% low": -0.0912,
      "linear: change 95% high": -0.000123,
    });
    assert.equal(
      a.detail,
      "[linear] reproduced — spread 0.123 → 0.0457, bootstrap 95 % interval of the change [-0.0912, -0.000123] " +
        "below 0",
    );
    assert.equal(a.control, undefined);
  });

  it("not reproduced when the interval reaches exactly 0", () => {
    const a = spec.assess({ sets: [set("linear", 4, 40, 0.3, 0.35, -0.05, 0)] });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      "linear: spread at p = 4": 0.3,
      "linear: spread at p = 40": 0.35,
      "linear: change 95% low": -0.05,
      "linear: change 95% high": 0,
    });
    assert.equal(
      a.detail,
      "[linear] not reproduced — spread 0.300 → 0.350, bootstrap 95 % interval of the change [-0.0500, 0.00] " +
        "reaches 0 or above",
    );
  });

  it("the example and counterexample in full", () => {
    const yes = spec.assess(spec.example);
    assert.equal(yes.verdict, "reproduced");
    assert.equal(
      yes.detail,
      "[linear targets] reproduced — spread 0.500 → 0.200, bootstrap 95 % interval of the change " +
        "[-0.400, -0.200] below 0",
    );
    const no = spec.assess(spec.counterexample);
    assert.equal(no.verdict, "not reproduced");
    assert.deepEqual(no.numbers, {
      "linear targets: spread at p = 10": 0.3,
      "linear targets: spread at p = 100": 0.35,
      "linear targets: change 95% low": -0.05,
      "linear targets: change 95% high": 0.15,
    });
    assert.equal(
      no.detail,
      "[linear targets] not reproduced — spread 0.300 → 0.350, bootstrap 95 % interval of the change " +
        "[-0.0500, 0.150] reaches 0 or above",
    );
  });

  it("partly when some sets fall and others do not", () => {
    const a = spec.assess({ sets: [set("A", 10, 100, 0.5, 0.2, -0.4, -0.2), set("B", 10, 100, 0.3, 0.4, 0, 0.1)] });
    assert.equal(a.verdict, "partly");
    assert.equal(
      a.detail,
      "[A] reproduced — spread 0.500 → 0.200, bootstrap 95 % interval of the change [-0.400, -0.200] below 0 " +
        "[B] not reproduced — spread 0.300 → 0.400, bootstrap 95 % interval of the change [0.00, 0.100] " +
        "reaches 0 or above",
    );
  });
});

describe("part4-deficient-exist: Wilson lower limit of the rank-deficient fraction above EXIST_MIN", () => {
  const spec = CLAIMS["part4-deficient-exist"];
  const set = (name: string, admits: "yes" | "no" | "unknown", c: SizeCounts, perSize: SizeCounts[], why: string) => ({
    name,
    counts: c,
    perSize,
    admits,
    why,
  });
  const zig = set("zig", "no", counts(10, 18, 0, 22), [counts(10, 18, 0, 22), counts(22, 35, 0, 5)], "by the spans");
  const zigNumbers = {
    "zig: converged / not converged per p": "10: 18/22, 22: 35/5",
    "zig: rank G < k possible at p = 10": "no",
    "zig: rank-deficient / converged at p = 10": "0/18",
  };
  const ZIG =
    "zig: not judged — no zero-loss solution with rank G < k at p = 10 (by the spans); 0 of 18 converged seeds " +
    "have one";

  it("not assessed when no set is shown to admit one; 'no' and 'unknown' are worded apart", () => {
    const a = spec.assess({
      sets: [zig, set("valley", "unknown", counts(10, 40, 3), [counts(10, 40, 3)], "no witness found")],
    });
    assert.equal(a.verdict, "not assessed");
    assert.deepEqual(a.numbers, {
      ...zigNumbers,
      "valley: converged / not converged per p": "10: 40/0",
      "valley: rank G < k possible at p = 10": "unknown",
      "valley: rank-deficient / converged at p = 10": "3/40",
    });
    assert.equal(
      a.detail,
      `no target set is shown to admit a rank-deficient zero-loss solution: ${ZIG}; valley: not judged — no shown ` +
        "zero-loss solution with rank G < k at p = 10 (no witness found); 3 of 40 converged seeds have one",
    );
  });

  it("reproduced with the lower limit just above 0.01 (2 of 55: 0.01003); a set that admits none is not judged", () => {
    const a = spec.assess({
      sets: [
        set("linear", "yes", counts(10, 55, 2, 5), [counts(10, 55, 2, 5), counts(22, 58, 0, 2)], "a witness"),
        zig,
      ],
    });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      "linear: converged / not converged per p": "10: 55/5, 22: 58/2",
      "linear: rank G < k possible at p = 10": "yes",
      "linear: rank-deficient / converged at p = 10": "2/55",
      "linear: Wilson 95% low": 0.01,
      "linear: Wilson 95% high": 0.123,
      ...zigNumbers,
    });
    assert.equal(
      a.detail,
      "linear: 2 of 55 zero-loss solutions at p = 10 have rank G < k (Wilson 95 % [0.010, 0.123], lower limit > " +
        `0.01; 5 seeds not converged; such a solution exists: a witness); ${ZIG}`,
    );
  });

  it("not reproduced with the lower limit just below 0.01 (3 of 103: 0.00995)", () => {
    const a = spec.assess({ sets: [set("valley", "yes", counts(10, 103, 3), [counts(10, 103, 3)], "seed 5")] });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      "valley: converged / not converged per p": "10: 103/0",
      "valley: rank G < k possible at p = 10": "yes",
      "valley: rank-deficient / converged at p = 10": "3/103",
      "valley: Wilson 95% low": 0.01,
      "valley: Wilson 95% high": 0.082,
    });
    assert.equal(
      a.detail,
      "valley: 3 of 103 zero-loss solutions at p = 10 have rank G < k (Wilson 95 % [0.010, 0.082], lower limit ≤ " +
        "0.01; 0 seeds not converged; such a solution exists: seed 5)",
    );
  });

  it("partly when found in some judged sets but not in another (none of 40: lower limit 0)", () => {
    const a = spec.assess({
      sets: [
        set("A", "yes", counts(10, 40, 12), [counts(10, 40, 12)], "w"),
        set("B", "yes", counts(10, 40, 0), [counts(10, 40, 0)], "w"),
      ],
    });
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      "A: converged / not converged per p": "10: 40/0",
      "A: rank G < k possible at p = 10": "yes",
      "A: rank-deficient / converged at p = 10": "12/40",
      "A: Wilson 95% low": 0.181,
      "A: Wilson 95% high": 0.454,
      "B: converged / not converged per p": "10: 40/0",
      "B: rank G < k possible at p = 10": "yes",
      "B: rank-deficient / converged at p = 10": "0/40",
      "B: Wilson 95% low": 0,
      "B: Wilson 95% high": 0.088,
    });
    assert.equal(
      a.detail,
      "A: 12 of 40 zero-loss solutions at p = 10 have rank G < k (Wilson 95 % [0.181, 0.454], lower limit > 0.01; " +
        "0 seeds not converged; such a solution exists: w); " +
        "B: 0 of 40 zero-loss solutions at p = 10 have rank G < k (Wilson 95 % [0.000, 0.088], lower limit ≤ 0.01; " +
        "0 seeds not converged; such a solution exists: w)",
    );
  });

  it("the example and counterexample in full", () => {
    const yes = spec.assess(spec.example);
    assert.equal(yes.verdict, "reproduced");
    assert.deepEqual(yes.numbers, {
      "linear targets: converged / not converged per p": "10: 40/0, 100: 40/0",
      "linear targets: rank G < k possible at p = 10": "yes",
      "linear targets: rank-deficient / converged at p = 10": "12/40",
      "linear targets: Wilson 95% low": 0.181,
      "linear targets: Wilson 95% high": 0.454,
      "zig-zag targets: converged / not converged per p": "10: 18/22, 100: 40/0",
      "zig-zag targets: rank G < k possible at p = 10": "no",
      "zig-zag targets: rank-deficient / converged at p = 10": "0/18",
      "valley targets: converged / not converged per p": "10: 38/2, 100: 40/0",
      "valley targets: rank G < k possible at p = 10": "yes",
      "valley targets: rank-deficient / converged at p = 10": "6/38",
      "valley targets: Wilson 95% low": 0.074,
      "valley targets: Wilson 95% high": 0.304,
    });
    assert.equal(
      yes.detail,
      "linear targets: 12 of 40 zero-loss solutions at p = 10 have rank G < k (Wilson 95 % [0.181, 0.454], lower " +
        "limit > 0.01; 0 seeds not converged; such a solution exists: a constructed witness); zig-zag targets: not " +
        "judged — no zero-loss solution with rank G < k at p = 10 (impossible by the pattern spans); 0 of 18 " +
        "converged seeds have one; valley targets: 6 of 38 zero-loss solutions at p = 10 have rank G < k (Wilson " +
        "95 % [0.074, 0.304], lower limit > 0.01; 2 seeds not converged; such a solution exists: a constructed " +
        "witness)",
    );
    const no = spec.assess(spec.counterexample);
    assert.equal(no.verdict, "not reproduced");
    assert.equal(no.numbers["valley targets: converged / not converged per p"], "10: 40/0, 100: 40/0");
    assert.equal(no.numbers["valley targets: Wilson 95% low"], 0);
    const none = (name: string) =>
      `${name}: 0 of 40 zero-loss solutions at p = 10 have rank G < k (Wilson 95 % [0.000, 0.088], lower limit ≤ ` +
      "0.01; 0 seeds not converged; such a solution exists: a constructed witness)";
    assert.equal(
      no.detail,
      `${none("linear targets")}; zig-zag targets: not judged — no zero-loss solution with rank G < k at p = 10 ` +
        `(impossible by the pattern spans); 0 of 18 converged seeds have one; ${none("valley targets")}`,
    );
  });
});
