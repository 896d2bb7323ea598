/**
 * The flatness–compression claims ledger (src/experiments/flatness-compression/claims.ts), rule by rule: every branch of
 * each claim's `assess`, the inputs at each boundary, and the full numbers and stated detail, worked by hand from small
 * inputs. Correlations and their Fisher-z intervals are checked against values computed independently (Python's
 * standard library: math.atanh / math.tanh on the Pearson ρ of the same points); sign-test p-values are the exact
 * binomial tails k/2ⁿ written out.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assessClaim, Numbers } from "../../src/report/ledger";
import {
  CLAIMS,
  CLAIM,
  budgetIndex,
  perRunAtBudget,
  fallAtBudget,
  correlationInterval,
  correlationBeyond,
  combinePerRun,
  combineFall,
  FinalStates,
  PerRun,
  Series,
} from "../../src/experiments/flatness-compression/claims";

/** The numbers a one-sided sign test at α = 0.05 writes. */
const sn = (n: number, side: "< 0" | "> 0", k: number, p: number, pa: number, need: number | string): Numbers => ({
  runs: n,
  [`runs ${side}`]: k,
  "sign-test p": p,
  "p against (opposite side)": pa,
  alpha: 0.05,
  "runs needed for p < alpha": need,
});
/** The same numbers under a part label (as `combine` writes them). */
const prefixed = (label: string, n: Numbers): Numbers =>
  Object.fromEntries(Object.entries(n).map(([k, v]) => [`${label}: ${k}`, v]));

// sign-test details of 5 runs: 5/5 → p = 1/32; 4/5 → p = 6/32, against 31/32; 0/5 → p = 1, against 1/32. The ledger
// sums the tail in floating point, a few ulp below the exact 1/32 = 0.03125, 6/32 = 0.1875 and 26/32 = 0.8125, so
// these ties show rounded down at 3 digits (0.0312, 0.187, 0.812)
const five = (what: string, side: string) =>
  `${what}: 5 of 5 runs ${side}, one-sided sign test p = 0.0312 (< 0.05; 5 of 5 needed)`;
const fourOfFive = (what: string, side: string) =>
  `${what}: 4 of 5 runs ${side}, one-sided sign test p = 0.187 (≥ 0.05; 5 of 5 needed); nor do they go the other ` +
  `way beyond chance (p = 0.969): inconclusive`;
const noneOfFive = (what: string, side: string) =>
  `${what}: 0 of 5 runs ${side}, one-sided sign test p = 1.00 (≥ 0.05; 5 of 5 needed); the runs go the other way ` +
  `beyond chance (p = 0.0312)`;

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
const ser = (steps: number[], values: number[]): Series => ({ steps, values });

describe("flatness-compression claims: budget cutters", () => {
  it("budgetIndex: the last checkpoint within the fraction of the window, the window's own start and end", () => {
    // cut = 100 + 0.5 · 100 = 150: steps 110 and 150 are inside, 200 is not
    assert.equal(budgetIndex([100, 110, 150, 200], 0.5), 2);
    assert.equal(budgetIndex([100, 110, 150, 200], 0.49), 1);
    assert.equal(budgetIndex([100, 110, 150, 200], 1), 3);
    assert.equal(budgetIndex([100, 110, 150, 200], 0), 0);
    assert.equal(budgetIndex([0, 10, 20], 0.5), 1); // a checkpoint exactly at the cut is inside
    // the tolerance: a step 1e-9 past the cut still counts; 2e-9 past it does not
    assert.equal(budgetIndex([0, 1e-9, 1], 0), 1);
    assert.equal(budgetIndex([0, 2e-9, 1], 0), 0);
    assert.equal(budgetIndex([5], 0.5), 0);
  });

  it("perRunAtBudget: each run's change from its onset to the cut; runs without a checkpoint there left out", () => {
    assert.equal(perRunAtBudget({ values: [1, 2] }, 0.5), undefined);
    const series = [
      ser([0, 25, 50, 100], [2, 1, 0.5, 7]), // at ½: index 2, 0.5 − 2
      ser([10, 100, 110], [1, 5, 9]), // cut 60: only the onset → left out
      ser([0, 40, 100], [-1, 3, 4]), // cut 50: index 1, 3 − (−1)
    ];
    assert.deepEqual(
      perRunAtBudget({ values: [9, 9, 9], keys: ["a", "b", "c"], excludedKeys: ["z"], series, excluded: 1 }, 0.5),
      { values: [-1.5, 4], keys: ["a", "c"], excludedKeys: ["z", "b"], excluded: 2 },
    );
    // without keys the runs are named by their index; nothing excluded before
    assert.deepEqual(perRunAtBudget({ values: [9, 9, 9], series }, 0.5), {
      values: [-1.5, 4],
      keys: ["0", "2"],
      excludedKeys: ["1"],
      excluded: 1,
    });
    // fraction 0: the onset itself, no change → every run left out
    assert.deepEqual(perRunAtBudget({ values: [9], series: [series[0]] }, 0), {
      values: [],
      keys: [],
      excludedKeys: ["0"],
      excluded: 1,
    });
  });

  it("fallAtBudget: both series cut at the fraction; a run counts only when both have a checkpoint there", () => {
    const logV = [ser([0, 50, 100], [1, -1, 3]), ser([0, 50, 100], [0, 2, 0]), ser([0, 50, 100], [4, 1, 0])];
    const sqrtS = [ser([0, 50, 100], [3, 2, 0]), ser([0, 80, 100], [1, 1, 1]), ser([0, 40, 100], [2, 5, 0])];
    const m = { dSqrtS: [0, 0, 0], dLogV: [0, 0, 0], keys: ["a", "b", "c"], logVSeries: logV, sqrtSSeries: sqrtS };
    // run b's √S has no checkpoint by step 50: left out although its log V has one
    assert.deepEqual(fallAtBudget(m, 0.5), { dSqrtS: [-1, 3], dLogV: [-2, -3], keys: ["a", "c"] });
    // and the other way round: a log V series without a checkpoint there
    const both = { ...m, sqrtSSeries: [sqrtS[0], ser([0, 50, 100], [1, 1, 1]), sqrtS[2]] };
    assert.deepEqual(fallAtBudget(both, 0.5), { dSqrtS: [-1, 0, 3], dLogV: [-2, 2, -3], keys: ["a", "b", "c"] });
    assert.deepEqual(fallAtBudget({ ...both, logVSeries: [logV[0], ser([0, 80, 100], [0, 0, 0]), logV[2]] }, 0.5), {
      dSqrtS: [-1, 3],
      dLogV: [-2, -3],
      keys: ["a", "c"],
    });
    assert.deepEqual(fallAtBudget({ ...m, keys: undefined }, 1), {
      dSqrtS: [-3, 0, -2],
      dLogV: [2, 0, -4],
      keys: ["0", "1", "2"],
    });
    assert.equal(fallAtBudget({ ...m, logVSeries: undefined }, 0.5), undefined);
    assert.equal(fallAtBudget({ ...m, sqrtSSeries: undefined }, 0.5), undefined);
  });
});

describe("flatness-compression claims: correlations with a Fisher-z interval", () => {
  it("correlationInterval: ρ and tanh(atanh ρ ± 1.959964/√(n − 3)) against independent values", () => {
    // ρ = 8/√(10·10) = 0.8, df = 2 (math.tanh(math.atanh(0.8) ∓ 1.959964/math.sqrt(2)))
    const c = correlationInterval([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
    assert.equal(c.rho, 0.8);
    near(c.lo, -0.2796400520463338, "lo");
    near(c.hi, 0.9861961936009902, "hi");
    assert.equal(c.n, 5);
    assert.equal(c.groups, 1);
    // non-finite pairs are left out, whichever side is not finite
    const d = correlationInterval([1, 2, NaN, 3, 4, 9, 5], [2, 1, 3, 4, 3, Infinity, 5]);
    assert.equal(d.n, 5);
    assert.equal(d.rho, 0.8);
    near(d.lo, -0.2796400520463338, "lo (non-finite left out)");
    // n = 4: df = 1, an interval (ρ 0.8)
    const e = correlationInterval([1, 2, 3, 4], [1, 3, 2, 4]);
    near(e.lo, -0.6969534532496907, "n = 4 lo");
    near(e.hi, 0.9956002506023262, "n = 4 hi");
    // ρ = ±1 is clamped to ±0.999999 before atanh
    const one = correlationInterval([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);
    assert.equal(one.rho, 1);
    near(one.lo, 0.9999840126117528, "ρ = 1 lo");
    near(one.hi, 0.9999999374511359, "ρ = 1 hi");
    const minus = correlationInterval([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]);
    assert.equal(minus.rho, -1);
    near(minus.lo, -0.9999999374511359, "ρ = −1 lo");
    near(minus.hi, -0.9999840126117528, "ρ = −1 hi");
  });

  it("correlationInterval: too few points, constant values", () => {
    const three = correlationInterval([1, 2, 3], [1, 3, 2]);
    assert.deepEqual(three, { rho: 0.5, lo: NaN, hi: NaN, n: 3, groups: 1 });
    // two points: ρ = −1, no interval
    assert.deepEqual(correlationInterval([1, 2], [2, 1]), { rho: -1, lo: NaN, hi: NaN, n: 2, groups: 1 });
    assert.deepEqual(correlationInterval([1], [2]), { rho: NaN, lo: NaN, hi: NaN, n: 1, groups: 1 });
    assert.deepEqual(correlationInterval([1, 1, 1, 1, 1], [1, 2, 3, 4, 5]), {
      rho: NaN,
      lo: NaN,
      hi: NaN,
      n: 5,
      groups: 1,
    });
  });

  it("correlationInterval within groups: each variable centred on its group's mean, n − g − 2 degrees of freedom", () => {
    // centred: x [−1, 0, 1, −1, 0, 1], y [−1, 1, 0, −1, 0, 1] → ρ = 3/4; df = 6 − 2 − 2 = 2; the NaN point (and its
    // group c) and the infinite one are left out
    const x = [1, 2, 3, 11, 12, 13, NaN, 4];
    const y = [1, 3, 2, 20, 21, 22, 5, Infinity];
    const groups = ["a", "a", "a", "b", "b", "b", "c", "a"];
    const c = correlationInterval(x, y, groups);
    assert.equal(c.rho, 0.75);
    assert.equal(c.n, 6);
    assert.equal(c.groups, 2);
    near(c.lo, -0.39097356841866693, "lo"); // math.tanh(math.atanh(0.75) - 1.959964/math.sqrt(2))
    near(c.hi, 0.9822871781104365, "hi");
    // pooled over the groups: Pearson ρ of the raw points
    near(correlationInterval(x, y).rho, 0.9936530041069958, "pooled ρ");
    // 5 runs in 3 groups: df = 0 → no interval (the within-group ρ is −1: every pair of a group goes the other way)
    assert.deepEqual(correlationInterval([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], ["a", "a", "b", "b", "c"]), {
      rho: -1,
      lo: NaN,
      hi: NaN,
      n: 5,
      groups: 3,
    });
  });

  // ρ = 0.976 (41/42) over 8 points, 95 % CI [0.870, 0.996] (df 5)
  const X8 = [1, 2, 3, 4, 5, 6, 7, 8];
  const Y8 = [1, 2, 3, 4, 5, 6, 8, 7];
  const num8 = (threshold: number): Numbers => ({
    runs: 8,
    rho: 0.976,
    "95% CI low": 0.87,
    "95% CI high": 0.996,
    threshold,
  });
  const head8 = "w: ρ = 0.976, 95 % CI [0.870, 0.996] over 8 runs; ";

  it("correlationBeyond, positive: interval above → reproduced, below → not reproduced, spanning → inconclusive", () => {
    const pos = (t: number) => correlationBeyond(X8, Y8, { threshold: t, direction: "positive", what: "w" });
    assert.deepEqual(pos(0.8), {
      verdict: "reproduced",
      numbers: num8(0.8),
      detail: head8 + "the interval lies above 0.8",
    });
    assert.deepEqual(pos(0.999), {
      verdict: "not reproduced",
      numbers: num8(0.999),
      detail: head8 + "the interval lies below 0.999: evidence against",
    });
    assert.deepEqual(pos(0.9), {
      verdict: "inconclusive",
      numbers: num8(0.9),
      detail: head8 + "the interval spans 0.9 (the point estimate beyond it): inconclusive",
    });
    assert.deepEqual(pos(0.99), {
      verdict: "inconclusive",
      numbers: num8(0.99),
      detail: head8 + "the interval spans 0.99 (the point estimate short of it): inconclusive",
    });
  });

  it("correlationBeyond, negative: interval below → reproduced, above → not reproduced, spanning → inconclusive", () => {
    const neg = (t: number) => correlationBeyond(X8, Y8, { threshold: t, direction: "negative", what: "w" });
    assert.deepEqual(neg(0.999), {
      verdict: "reproduced",
      numbers: num8(0.999),
      detail: head8 + "the interval lies below 0.999",
    });
    assert.deepEqual(neg(0.5), {
      verdict: "not reproduced",
      numbers: num8(0.5),
      detail: head8 + "the interval lies above 0.5: evidence against",
    });
    assert.deepEqual(neg(0.99), {
      verdict: "inconclusive",
      numbers: num8(0.99),
      detail: head8 + "the interval spans 0.99 (the point estimate beyond it): inconclusive",
    });
    assert.deepEqual(neg(0.9), {
      verdict: "inconclusive",
      numbers: num8(0.9),
      detail: head8 + "the interval spans 0.9 (the point estimate short of it): inconclusive",
    });
  });

  it("correlationBeyond: a threshold exactly at an interval end or at ρ is not beyond it", () => {
    const c = correlationInterval(X8, Y8);
    const at = (t: number, direction: "positive" | "negative") =>
      correlationBeyond(X8, Y8, { threshold: t, direction, what: "w" });
    // lo = threshold: not above it (and hi is above it): inconclusive, the point estimate beyond
    assert.equal(at(c.lo, "positive").verdict, "inconclusive");
    assert.match(at(c.lo, "positive").detail, /\(the point estimate beyond it\): inconclusive$/);
    // hi = threshold: neither below it (negative claim) nor evidence against a positive claim
    assert.equal(at(c.hi, "negative").verdict, "inconclusive");
    assert.match(at(c.hi, "negative").detail, /\(the point estimate beyond it\): inconclusive$/);
    assert.equal(at(c.hi, "positive").verdict, "inconclusive");
    assert.match(at(c.hi, "positive").detail, /\(the point estimate short of it\): inconclusive$/);
    assert.equal(at(c.lo, "negative").verdict, "inconclusive");
    assert.match(at(c.lo, "negative").detail, /\(the point estimate short of it\): inconclusive$/);
    // ρ = threshold: the point estimate is short of it either way
    assert.match(at(c.rho, "positive").detail, /\(the point estimate short of it\): inconclusive$/);
    assert.match(at(c.rho, "negative").detail, /\(the point estimate short of it\): inconclusive$/);
  });

  it("correlationBeyond without an interval: inconclusive when ρ is measured, not assessed when it is not", () => {
    const opts = { threshold: 0, direction: "positive" as const, what: "w" };
    const nums = (runs: number, rho: number): Numbers => ({
      runs,
      rho,
      "95% CI low": NaN,
      "95% CI high": NaN,
      threshold: 0,
    });
    assert.deepEqual(correlationBeyond([1, 2, 3], [1, 3, 2], opts), {
      verdict: "inconclusive",
      numbers: nums(3, 0.5),
      detail: "w: needs ≥ 4 runs with finite, non-constant values (got 3)",
    });
    assert.deepEqual(correlationBeyond([1, 2], [1, 2], opts), {
      verdict: "inconclusive",
      numbers: nums(2, 1),
      detail: "w: needs ≥ 4 runs with finite, non-constant values (got 2)",
    });
    assert.deepEqual(correlationBeyond([1], [1], opts), {
      verdict: "not assessed",
      numbers: nums(1, NaN),
      detail: "w: needs ≥ 4 runs with finite, non-constant values (got 1)",
    });
    // five runs, one variable constant: no ρ
    assert.deepEqual(correlationBeyond([2, 2, 2, 2, 2], [1, 2, 3, 4, 5], opts), {
      verdict: "not assessed",
      numbers: nums(5, NaN),
      detail: "w: needs ≥ 4 runs with finite, non-constant values (got 5)",
    });
  });

  it("correlationBeyond within settings: the within-setting ρ judged, the pooled ρ reported beside", () => {
    const x = [1, 2, 3, 11, 12, 13, NaN];
    const y = [1, 3, 2, 20, 21, 22, 5];
    const groups = ["a", "a", "a", "b", "b", "b", "c"];
    assert.deepEqual(correlationBeyond(x, y, { threshold: 0.5, direction: "positive", what: "w", groups }), {
      verdict: "inconclusive",
      numbers: {
        runs: 6,
        settings: 2,
        "ρ pooled over settings (reported)": 0.994,
        "ρ within settings": 0.75,
        "95% CI low": -0.391,
        "95% CI high": 0.982,
        threshold: 0.5,
      },
      detail:
        "w: ρ within settings = 0.750, 95 % CI [-0.391, 0.982] over 6 runs in 2 settings (pooled ρ 0.994, reported); " +
        "the interval spans 0.5 (the point estimate beyond it): inconclusive",
    });
    // 5 runs in 3 settings: no interval, a ρ (−1 within, 0.8 pooled)
    assert.deepEqual(
      correlationBeyond([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], {
        threshold: 0,
        direction: "positive",
        what: "w",
        groups: ["a", "a", "b", "b", "c"],
      }),
      {
        verdict: "inconclusive",
        numbers: {
          runs: 5,
          settings: 3,
          "ρ pooled over settings (reported)": 0.8,
          "ρ within settings": -1,
          "95% CI low": NaN,
          "95% CI high": NaN,
          threshold: 0,
        },
        detail:
          "w: a within-setting interval needs runs − settings ≥ 4 with finite, non-constant values (got 5 runs in 3 " +
          "settings)",
      },
    );
  });
});

describe("flatness-compression claims: joining the evidence of several figures", () => {
  it("combinePerRun: each run once by key, unkeyed values all kept, controls and series only when every piece has them", () => {
    const s = (k: number) => ser([0, 1], [k, k]);
    const p1: PerRun = {
      values: [1, 2],
      keys: ["a", "b"],
      control: [10, 20],
      excludedKeys: ["x"],
      excluded: 1,
      series: [s(1), s(2)],
    };
    // "b" again (skipped), "c", then two values without a key (both kept)
    const p2: PerRun = {
      values: [3, 4, 5, 6],
      keys: ["b", "c"],
      control: [30, 40, 50, 60],
      excludedKeys: ["x", "y"],
      series: [s(3), s(4), s(5), s(6)],
    };
    assert.deepEqual(combinePerRun([p1, p2]), {
      values: [1, 2, 4, 5, 6],
      keys: ["a", "b", "c", "", ""],
      control: [10, 20, 40, 50, 60],
      series: [s(1), s(2), s(4), s(5), s(6)],
      excludedKeys: ["x", "y"],
      excluded: 2,
    });
    // a piece without control, series or keys: those are dropped, every value kept
    assert.deepEqual(combinePerRun([p1, { values: [7, 8] }]), {
      values: [1, 2, 7, 8],
      keys: ["a", "b", "", ""],
      control: undefined,
      series: undefined,
      excludedKeys: ["x"],
      excluded: 1,
    });
  });

  it("combineFall: each run once by key, series when every piece has both, the ≥ 99 % changes deduplicated alike", () => {
    const s = (k: number) => ser([0, 1], [0, k]);
    const a = {
      dSqrtS: [1, 2],
      dLogV: [-1, -2],
      keys: ["a", "b"],
      sqrtSSeries: [s(1), s(2)],
      logVSeries: [s(-1), s(-2)],
      p99: { dSqrtS: [11, 12], dLogV: [-11, -12] },
    };
    const b = {
      dSqrtS: [3, 4, 5],
      dLogV: [-3, -4, -5],
      keys: ["b", "c"],
      sqrtSSeries: [s(3), s(4), s(5)],
      logVSeries: [s(-3), s(-4), s(-5)],
      p99: { dSqrtS: [13, 14, 15], dLogV: [-13, -14, -15] },
    };
    assert.deepEqual(combineFall([a, b]), {
      dSqrtS: [1, 2, 4, 5],
      dLogV: [-1, -2, -4, -5],
      keys: ["a", "b", "c", ""],
      sqrtSSeries: [s(1), s(2), s(4), s(5)],
      logVSeries: [s(-1), s(-2), s(-4), s(-5)],
      p99: { dSqrtS: [11, 12, 14, 15], dLogV: [-11, -12, -14, -15] },
    });
    // a piece with one series only, no p99 and no keys: no series, no p99, every run kept (two unkeyed ones too)
    assert.deepEqual(
      combineFall([a, { dSqrtS: [6, 7], dLogV: [-6, -7], sqrtSSeries: [s(6), s(7)] }, { dSqrtS: [8], dLogV: [-8] }]),
      { dSqrtS: [1, 2, 6, 7, 8], dLogV: [-1, -2, -6, -7, -8], keys: ["a", "b", "", "", ""] },
    );
    assert.deepEqual(combineFall([{ dSqrtS: [1], dLogV: [-1], logVSeries: [s(1)] }]), {
      dSqrtS: [1],
      dLogV: [-1],
      keys: [""],
    });
  });
});

describe("flatness-compression claims: volume-falls-after-interpolation (claim 1) and its VGG version", () => {
  const c1 = CLAIM.fallTogether;
  const what = "log V falls after interpolation";

  it("no run at interpolation: not assessed", () => {
    assert.deepEqual(c1.assess({ dSqrtS: [1], dLogV: [] }), {
      verdict: "not assessed",
      numbers: { runs: 0 },
      detail: "no run reached interpolation before its last checkpoint",
    });
  });

  it("the sign test on Δlog V decides; Δ√S is reported (finite runs, falls strictly below 0, their mean)", () => {
    const a = c1.assess({ dSqrtS: [-1, 0, 2, NaN, 0.5], dLogV: [-1, -2, -0.5, -3, -1] });
    assert.deepEqual(a, {
      verdict: "reproduced",
      numbers: {
        ...sn(5, "< 0", 5, 0.0312, 1, 5),
        "runs with Δ√S < 0 (reported)": 1,
        "mean Δ√S (reported)": 0.375,
      },
      detail: `${five(what, "negative")}; √S fell in 1 of 4 runs (reported, not judged)`,
    });
    // no finite Δ√S: its mean is null; 4 of 5 falls: inconclusive
    assert.deepEqual(c1.assess({ dSqrtS: [NaN, NaN], dLogV: [-1, -1, -1, -1, 0] }), {
      verdict: "inconclusive",
      numbers: {
        ...sn(5, "< 0", 4, 0.187, 0.969, 5),
        "runs with Δ√S < 0 (reported)": 0,
        "mean Δ√S (reported)": null,
      },
      detail: `${fourOfFive(what, "negative")}; √S fell in 0 of 0 runs (reported, not judged)`,
    });
  });

  it("the ≥ 99 % onset's verdict and its count of falls are reported beside; an empty one is not", () => {
    const m = { dSqrtS: [-1, -1, -1, -1, -1], dLogV: [-1, -1, -1, -1, -1] };
    const base = {
      ...sn(5, "< 0", 5, 0.0312, 1, 5),
      "runs with Δ√S < 0 (reported)": 5,
      "mean Δ√S (reported)": -1,
    };
    const baseDetail = `${five(what, "negative")}; √S fell in 5 of 5 runs (reported, not judged)`;
    assert.deepEqual(c1.assess({ ...m, p99: { dSqrtS: [0], dLogV: [1, 1, 0, 1, -1] } }), {
      verdict: "reproduced",
      numbers: { ...base, "onset ≥ 99 %: verdict": "inconclusive", "onset ≥ 99 %: runs where log V falls": 1 },
      detail:
        `${baseDetail}; from the first checkpoint with ≥ 99 % training accuracy instead: inconclusive (log V falls: 1 ` +
        `of 5 runs negative, one-sided sign test p = 0.969 (≥ 0.05; 5 of 5 needed); nor do they go the other way ` +
        `beyond chance (p = 0.187): inconclusive)`,
    });
    assert.deepEqual(c1.assess({ ...m, p99: { dSqrtS: [0], dLogV: [1, 1, 1, 1, 1] } }).numbers, {
      ...base,
      "onset ≥ 99 %: verdict": "not reproduced",
      "onset ≥ 99 %: runs where log V falls": 0,
    });
    assert.deepEqual(c1.assess({ ...m, p99: { dSqrtS: [], dLogV: [] } }), {
      verdict: "reproduced",
      numbers: base,
      detail: baseDetail,
    });
    assert.deepEqual(c1.assess(m), { verdict: "reproduced", numbers: base, detail: baseDetail });
  });

  it("through assessClaim: judged again at ¼ and ½ of each run's window (fallAtBudget), stable or not", () => {
    // five runs, checkpoints at 0, 25, 50, 75, 100 after the onset: log V down at ¼, up at ½, down at the end
    const s = ser([0, 25, 50, 75, 100], [0, -1, 1, 0, -1]);
    const runs = Array.from({ length: 5 }, () => s);
    const m = { dSqrtS: [-1, -1, -1, -1, -1], dLogV: [-1, -1, -1, -1, -1], sqrtSSeries: runs, logVSeries: runs };
    const e = assessClaim(c1, m);
    assert.equal(e.verdict, "reproduced");
    assert.deepEqual(
      e.budgets!.map((b) => [b.fraction, b.verdict]),
      [
        [0.25, "reproduced"],
        [0.5, "not reproduced"],
        [1, "reproduced"],
      ],
    );
    assert.equal(e.stable, false);
    assert.equal(
      e.budgets![1].detail,
      `${noneOfFive(what, "negative")}; √S fell in 0 of 5 runs (reported, not judged)`,
    );
    assert.equal(
      e.detail,
      `${five(what, "negative")}; √S fell in 5 of 5 runs (reported, not judged) Budgets (fraction of the steps: ` +
        `verdict): 0.25: reproduced, 0.5: not reproduced, 1: reproduced — not stable: the verdict depends on how ` +
        `long training runs.`,
    );
    // windows with no checkpoint before the end: nothing at ¼ and ½; no series at all: nothing to judge
    const short = Array.from({ length: 5 }, () => ser([0, 100], [0, -1]));
    const f = assessClaim(c1, { ...m, sqrtSSeries: short, logVSeries: short });
    assert.deepEqual(
      f.budgets!.map((b) => [b.verdict, b.detail]),
      [
        ["not assessed", "no run reached interpolation before its last checkpoint"],
        ["not assessed", "no run reached interpolation before its last checkpoint"],
        ["reproduced", `${five(what, "negative")}; √S fell in 5 of 5 runs (reported, not judged)`],
      ],
    );
    const g = assessClaim(c1, { dSqrtS: [-1, -1, -1, -1, -1], dLogV: [-1, -1, -1, -1, -1] });
    assert.deepEqual(g.budgets![0], {
      fraction: 0.25,
      verdict: "not assessed",
      detail: "nothing to judge yet",
      numbers: {},
    });
    assert.equal(c1.combine, combineFall);
  });

  it("VGG: both √S and log V must fall (a conjunction), the ≥ 99 % onset judged by the same rule", () => {
    const v = CLAIM.vgg.fallTogether;
    const sq = "√S falls after interpolation";
    const a = v.assess({
      dSqrtS: [-1, -1, -1, -1, -1],
      dLogV: [1, 1, 1, 1, 1],
      p99: { dSqrtS: [-1, -1, -1, -1, -1], dLogV: [-1, -1, -1, -1, 0] },
    });
    assert.deepEqual(a, {
      verdict: "partly",
      numbers: {
        ...prefixed("√S falls", sn(5, "< 0", 5, 0.0312, 1, 5)),
        ...prefixed("log V falls", sn(5, "< 0", 0, 1, 0.0312, 5)),
        "onset ≥ 99 %: verdict": "partly",
        "onset ≥ 99 %: runs where log V falls": 4,
      },
      detail:
        `[√S falls] reproduced — ${five(sq, "negative")} [log V falls] not reproduced — ${noneOfFive(what, "negative")}` +
        `; from the first checkpoint with ≥ 99 % training accuracy instead: partly ([√S falls] reproduced — ` +
        `${five(sq, "negative")} [log V falls] inconclusive — ${fourOfFive(what, "negative")})`,
    });
    const b = v.assess({ dSqrtS: [-1, -1, -1, -1, -1], dLogV: [-1, -1, -1, -1, -1] });
    assert.equal(b.verdict, "reproduced");
    assert.equal(
      b.detail,
      `[√S falls] reproduced — ${five(sq, "negative")} [log V falls] reproduced — ${five(what, "negative")}`,
    );
    assert.equal(v.atBudget, fallAtBudget);
    assert.equal(v.combine, combineFall);
  });
});

describe("flatness-compression claims: the sweeps (lr-lowers-sharpness, batch-lowers-sharpness)", () => {
  it("lr: settings sorted, neighbours paired, the larger lr must be lower; a pair without spread not counted", () => {
    const a = CLAIM.lr.assess({
      groups: [
        { value: 0.2, sqrtS: [1, 1.2, 1.4] },
        { value: 0.05, sqrtS: [5] },
        { value: 0.1, sqrtS: [2, 2.2, 2.4, NaN] },
      ],
    });
    // 0.1 vs 0.2: means 1.2 (lr 0.2) and 2.2, sd 0.2 each, difference 1 > 0.2; t(4) 2.776 · √(0.04/3 · 2) → upper 1.45
    assert.deepEqual(a, {
      verdict: "reproduced",
      numbers: {
        "0.05 vs 0.1: runs at 0.1": 3,
        "0.05 vs 0.1: runs at 0.05": 1,
        "0.1 vs 0.2: 0.2 mean": 1.2,
        "0.1 vs 0.2: 0.1 mean": 2.2,
        "0.1 vs 0.2: 0.2 runs": 3,
        "0.1 vs 0.2: 0.1 runs": 3,
        "0.1 vs 0.2: seed sd (pooled)": 0.2,
        "0.1 vs 0.2: margin": 0.2,
        "0.1 vs 0.2: difference 95% CI high": 1.45,
      },
      detail:
        "[0.05 vs 0.1] not assessed — fewer than 2 runs that did not diverge at 0.05 (no seed spread) [0.1 vs 0.2] " +
        "reproduced — final √S, lr 0.2 below lr 0.1: 0.2 1.200 vs 0.1 2.200; claimed-direction difference 1.00 > 1× " +
        "seed sd 0.200",
    });
    // the other way round: not reproduced
    const b = CLAIM.lr.assess({
      groups: [
        { value: 0.1, sqrtS: [1, 1.2, 1.4] },
        { value: 0.2, sqrtS: [2, 2.2, 2.4] },
      ],
    });
    assert.equal(b.verdict, "not reproduced");
    assert.equal(
      b.detail,
      "[0.1 vs 0.2] not reproduced — final √S, lr 0.2 below lr 0.1: 0.2 2.200 vs 0.1 1.200; claimed-direction " +
        "difference -1.00 goes the other way beyond 1× seed sd 0.200",
    );
  });

  it("fewer than two settings, or no pair with two runs a side: not assessed, the short setting named", () => {
    for (const groups of [[], [{ value: 0.1, sqrtS: [1, 2, 3] }]])
      assert.deepEqual(CLAIM.lr.assess({ groups }), {
        verdict: "not assessed",
        numbers: { settings: groups.length },
        detail: "the sweep has fewer than two settings",
      });
    assert.deepEqual(
      CLAIM.batch.assess({
        groups: [
          { value: 8, sqrtS: [1] },
          { value: 20, sqrtS: [2, 2.1] },
        ],
      }),
      {
        verdict: "not assessed",
        numbers: { "8 vs 20: runs at 8": 1, "8 vs 20: runs at 20": 2 },
        detail: "[8 vs 20] not assessed — fewer than 2 runs that did not diverge at 8 (no seed spread)",
      },
    );
    assert.deepEqual(
      CLAIM.batch.assess({
        groups: [
          { value: 8, sqrtS: [1, 1.2] },
          { value: 20, sqrtS: [NaN, 2] },
        ],
      }),
      {
        verdict: "not assessed",
        numbers: { "8 vs 20: runs at 8": 2, "8 vs 20: runs at 20": 1 },
        detail: "[8 vs 20] not assessed — fewer than 2 runs that did not diverge at 20 (no seed spread)",
      },
    );
  });

  it("batch: the smaller batch must be lower; two runs a setting are assessed but cannot decide", () => {
    // 8 vs 20: means 1.1 and 2.1, sd 0.141 each, t(2) 4.303 · √0.02 → upper 1.61
    assert.deepEqual(
      CLAIM.batch.assess({
        groups: [
          { value: 20, sqrtS: [2, 2.2] },
          { value: 8, sqrtS: [1, 1.2] },
        ],
      }),
      {
        verdict: "inconclusive",
        numbers: {
          "8 vs 20: 8 mean": 1.1,
          "8 vs 20: 20 mean": 2.1,
          "8 vs 20: 8 runs": 2,
          "8 vs 20: 20 runs": 2,
          "8 vs 20: seed sd (pooled)": 0.141,
          "8 vs 20: margin": 0.141,
          "8 vs 20: difference 95% CI high": 1.61,
        },
        detail:
          "[8 vs 20] inconclusive — final √S, batch 8 below batch 20: 8 1.100 vs 20 2.100; claimed-direction " +
          "difference 1.00 > 1× seed sd 0.141, but a group of fewer than 3 runs cannot estimate its spread: inconclusive",
      },
    );
    const r = CLAIM.batch.assess({
      groups: [
        { value: 8, sqrtS: [1, 1.2, 1.4] },
        { value: 20, sqrtS: [2, 2.2, 2.4] },
      ],
    });
    assert.equal(r.verdict, "reproduced");
    assert.match(r.detail, /^\[8 vs 20\] reproduced — final √S, batch 8 below batch 20: 8 1\.200 vs 20 2\.200; /);
  });
});

describe("flatness-compression claims: per-run sign tests", () => {
  it("G-tracks-sharpness: a sign test that ρ > 0, the mean ρ and the runs left out reported", () => {
    const a = CLAIM.gTracks.assess({ values: [0.5, 0.25, 0.125, -0.5, 0.75], excluded: 2 });
    assert.deepEqual(a, {
      verdict: "inconclusive",
      numbers: { ...sn(5, "> 0", 4, 0.187, 0.969, 5), "runs excluded": 2, "mean ρ": 0.225 },
      detail: `${fourOfFive("ρ(G, S) over checkpoints > 0", "positive")}; 2 run(s) left out (see the rule)`,
    });
    // none left out (0 or absent): nothing said about it
    for (const excluded of [0, undefined])
      assert.deepEqual(CLAIM.gTracks.assess({ values: [0.5, 0.5, 0.5, 0.5, 0.5], excluded }), {
        verdict: "reproduced",
        numbers: { ...sn(5, "> 0", 5, 0.0312, 1, 5), "mean ρ": 0.5 },
        detail: five("ρ(G, S) over checkpoints > 0", "positive"),
      });
    assert.equal(CLAIM.gTracks.combine, combinePerRun);
  });

  const signClaims: [keyof typeof CLAIM, "negative" | "positive", string][] = [
    ["localDim", "negative", "local dim at interpolation minus at step 0 < 0"],
    ["misS", "positive", "misclassified minus all test inputs, √S, > 0"],
    ["testG", "positive", "test-input ρ(G, S) over checkpoints > 0"],
    ["testV", "negative", "test-input log V falls after interpolation"],
    ["misV", "positive", "misclassified minus all test inputs, log V, > 0"],
  ];
  for (const [key, direction, what] of signClaims)
    it(`${key}: one-sided sign test (${direction}), runs left out named`, () => {
      const spec = CLAIM[key] as typeof CLAIM.misS;
      const s = direction === "negative" ? -1 : 1;
      const side = direction === "negative" ? "< 0" : "> 0";
      // 4 of 5 the claimed way, one exactly 0 (counts against)
      assert.deepEqual(spec.assess({ values: [s, s, 2 * s, 0, 3 * s], excluded: 1 }), {
        verdict: "inconclusive",
        numbers: { ...sn(5, side, 4, 0.187, 0.969, 5), "runs excluded": 1 },
        detail: `${fourOfFive(what, direction)}; 1 run(s) left out (see the rule)`,
      });
      assert.deepEqual(spec.assess({ values: [s, s, s, s, s] }), {
        verdict: "reproduced",
        numbers: sn(5, side, 5, 0.0312, 1, 5),
        detail: five(what, direction),
      });
      assert.deepEqual(spec.assess({ values: [-s, -s, -s, -s, -s], excluded: 0 }), {
        verdict: "not reproduced",
        numbers: sn(5, side, 0, 1, 0.0312, 5),
        detail: noneOfFive(what, direction),
      });
      assert.equal(spec.combine, combinePerRun);
      assert.equal(CLAIM.vgg[key as keyof typeof CLAIM.vgg].assess, spec.assess);
    });

  it("test-volume-falls through assessClaim: cut at ¼ and ½ by perRunAtBudget, runs without a checkpoint left out", () => {
    const s = ser([0, 50, 100], [0, 1, -1]);
    const m: PerRun = { values: [-1, -1, -1, -1, -1], keys: ["a", "b", "c", "d", "e"], series: [s, s, s, s, s] };
    const e = assessClaim(CLAIM.testV, m);
    const what = "test-input log V falls after interpolation";
    assert.deepEqual(
      e.budgets!.map((b) => [b.fraction, b.verdict, b.detail]),
      [
        [0.25, "not assessed", `${what}: no finite run; 5 run(s) left out (see the rule)`],
        [0.5, "not reproduced", noneOfFive(what, "negative")],
        [1, "reproduced", five(what, "negative")],
      ],
    );
    assert.deepEqual(e.budgets![1].numbers, sn(5, "< 0", 0, 1, 0.0312, 5));
    assert.equal(e.stable, false);
    assert.equal(
      e.detail,
      `${five(what, "negative")} Budgets (fraction of the steps: verdict): 0.25: not assessed, 0.5: not ` +
        `reproduced, 1: reproduced — not stable: the verdict depends on how long training runs.`,
    );
    assert.equal(CLAIM.vgg.testV.atBudget, perRunAtBudget);
    assert.equal(CLAIM.testV.atBudget, perRunAtBudget);
  });
});

/** Final states: every field given or a ramp of `n` points. */
const fin = (o: Partial<FinalStates>, n = 8): FinalStates => {
  const r = Array.from({ length: n }, (_, i) => i + 1);
  return { sqrtS: r, logV: r, G: r, mls: r, localDim: r, testLoss: r, C: r, D: r, ...o };
};
// ρ = 41/42 = 0.976 over 8 points, Fisher-z 95 % CI [0.870, 0.996] (df 5); the same negated for −Y8
const X8 = [1, 2, 3, 4, 5, 6, 7, 8];
const Y8 = [1, 2, 3, 4, 5, 6, 8, 7];
const negY8 = Y8.map((v) => -v);
const A = "ρ within settings = 0.976, 95 % CI [0.870, 0.996] over 8 runs in 1 settings (pooled ρ 0.976, reported)";
const NA = "ρ within settings = -0.976, 95 % CI [-0.996, -0.870] over 8 runs in 1 settings (pooled ρ -0.976, reported)";
const within = (sign: 1 | -1, threshold: number): Numbers => ({
  runs: 8,
  settings: 1,
  "ρ pooled over settings (reported)": 0.976 * sign,
  "ρ within settings": 0.976 * sign,
  "95% CI low": sign > 0 ? 0.87 : -0.996,
  "95% CI high": sign > 0 ? 0.996 : -0.87,
  threshold,
});
const one = Array.from({ length: 8 }, () => "lr 0.1 batch 20");

describe("flatness-compression claims: MLS-best-correlate", () => {
  const base = { sqrtS: [1, 2, 3, 4], testLoss: [1, 3, 2, 4], mls: [1, 2, 3, 4] };
  it("4 comparisons of |ρ|: a tie is not a win; 2 of 4 → partly", () => {
    // ρ(MLS, √S) = 1, ρ(MLS, loss) = 4/5; log V [1, 2, 4, 3]: 4/5 and 2/5; local dim [4, 3, 2, 1]: −1 and −4/5
    assert.deepEqual(CLAIM.mlsBest.assess(fin({ ...base, logV: [1, 2, 4, 3], localDim: [4, 3, 2, 1] }, 4)), {
      verdict: "partly",
      numbers: {
        runs: 4,
        "ρ(MLS, √S)": 1,
        "ρ(log V, √S)": 0.8,
        "ρ(local dim, √S)": -1,
        "ρ(MLS, test loss)": 0.8,
        "ρ(log V, test loss)": 0.4,
        "ρ(local dim, test loss)": -0.8,
        "comparisons won": 2,
      },
      detail:
        "MLS has the larger |ρ| in 2 of 4 comparisons over 4 final states (√S: |ρ| MLS 1.00 > log V 0.80; √S: |ρ| " +
        "MLS 1.00 ≤ local dim 1.00; test loss: |ρ| MLS 0.80 > log V 0.40; test loss: |ρ| MLS 0.80 ≤ local dim 0.80)",
    });
  });

  it("all 4 → reproduced, none → not reproduced", () => {
    // local dim [1, 3, 4, 2]: ρ 2/5 with √S, 1/5 with the loss
    const r = CLAIM.mlsBest.assess(fin({ ...base, logV: [1, 2, 4, 3], localDim: [1, 3, 4, 2] }, 4));
    assert.equal(r.verdict, "reproduced");
    assert.equal(r.numbers["comparisons won"], 4);
    assert.equal(
      r.detail,
      "MLS has the larger |ρ| in 4 of 4 comparisons over 4 final states (√S: |ρ| MLS 1.00 > log V 0.80; √S: |ρ| " +
        "MLS 1.00 > local dim 0.40; test loss: |ρ| MLS 0.80 > log V 0.40; test loss: |ρ| MLS 0.80 > local dim 0.20)",
    );
    // 3 of 4: local dim = the test loss (ρ 4/5 with √S, 1 with the loss); 1 of 4: MLS [1, 3, 4, 2] (ρ 2/5, 1/5) beats
    // only local dim [2, 1, 4, 3] on the loss (ρ 3/5 with √S, 0 with the loss)
    const three = CLAIM.mlsBest.assess(fin({ ...base, logV: [1, 2, 4, 3], localDim: [1, 3, 2, 4] }, 4));
    assert.deepEqual([three.verdict, three.numbers["comparisons won"]], ["partly", 3]);
    const single = CLAIM.mlsBest.assess(
      fin({ ...base, mls: [1, 3, 4, 2], logV: [1, 2, 3, 4], localDim: [2, 1, 4, 3] }, 4),
    );
    assert.deepEqual([single.verdict, single.numbers["comparisons won"]], ["partly", 1]);
    const n = CLAIM.mlsBest.assess(fin({ ...base, mls: [1, 3, 4, 2], logV: [1, 2, 3, 4], localDim: [1, 2, 4, 3] }, 4));
    assert.deepEqual(n, {
      verdict: "not reproduced",
      numbers: {
        runs: 4,
        "ρ(MLS, √S)": 0.4,
        "ρ(log V, √S)": 1,
        "ρ(local dim, √S)": 0.8,
        "ρ(MLS, test loss)": 0.2,
        "ρ(log V, test loss)": 0.8,
        "ρ(local dim, test loss)": 0.4,
        "comparisons won": 0,
      },
      detail:
        "MLS has the larger |ρ| in 0 of 4 comparisons over 4 final states (√S: |ρ| MLS 0.40 ≤ log V 1.00; √S: |ρ| " +
        "MLS 0.40 ≤ local dim 0.80; test loss: |ρ| MLS 0.20 ≤ log V 0.80; test loss: |ρ| MLS 0.20 ≤ local dim 0.40)",
    });
  });

  it("fewer than 4 final states: not assessed; with settings the correlations are within settings", () => {
    assert.deepEqual(CLAIM.mlsBest.assess(fin({}, 3)), {
      verdict: "not assessed",
      numbers: { runs: 3 },
      detail: "needs ≥ 4 final states, got 3",
    });
    // within settings a, b: √S [−½, ½, −½, ½], MLS [−½, ½, −1, 1] → ρ 1.5/√2.5 = 0.949 (pooled: 0.983)
    const w = CLAIM.mlsBest.assess(fin({ sqrtS: [1, 2, 3, 4], mls: [1, 2, 3, 5], setting: ["a", "a", "b", "b"] }, 4));
    assert.equal(w.numbers["ρ(MLS, √S)"], 0.949);
    assert.equal(CLAIM.mlsBest.assess(fin({ sqrtS: [1, 2, 3, 4], mls: [1, 2, 3, 5] }, 4)).numbers["ρ(MLS, √S)"], 0.983);
  });
});

describe("flatness-compression claims: bound-chain-CD-gap-largest", () => {
  it("per run min(A/B, B/C) − C/D > 0 by a sign test (a zero counts against), the mean ratios reported", () => {
    const runs = [
      { AB: 0.8, BC: 0.9, CD: 0.3 }, // 0.5
      { AB: 0.9, BC: 0.8, CD: 0.3 }, // 0.5
      { AB: 0.5, BC: 0.9, CD: 0.6 }, // −0.1 (with the larger ratio it would be 0.3)
      { AB: 0.7, BC: 0.7, CD: 0.7 }, // 0
      { AB: 0.8, BC: 0.6, CD: 0.2 }, // 0.4
    ];
    // 3 of 5: p = 16/32, against P(X ≥ 2) = 26/32
    assert.deepEqual(CLAIM.gaps.assess({ runs }), {
      verdict: "inconclusive",
      numbers: { ...sn(5, "> 0", 3, 0.5, 0.812, 5), "mean A/B": 0.74, "mean B/C": 0.78, "mean C/D": 0.42 },
      detail:
        "C/D below both A/B and B/C: 3 of 5 runs positive, one-sided sign test p = 0.500 (≥ 0.05; 5 of 5 needed); " +
        "nor do they go the other way beyond chance (p = 0.812): inconclusive; mean ratios A/B 0.74, B/C 0.78, C/D 0.42",
    });
    // 6 of 6: p = 1/64, 6 needed
    const six = Array.from({ length: 6 }, () => ({ AB: 0.5, BC: 0.6, CD: 0.25 }));
    assert.deepEqual(CLAIM.gaps.assess({ runs: six }), {
      verdict: "reproduced",
      numbers: { ...sn(6, "> 0", 6, 0.0156, 1, 6), "mean A/B": 0.5, "mean B/C": 0.6, "mean C/D": 0.25 },
      detail:
        "C/D below both A/B and B/C: 6 of 6 runs positive, one-sided sign test p = 0.0156 (< 0.05; 6 of 6 needed); " +
        "mean ratios A/B 0.5, B/C 0.6, C/D 0.25",
    });
  });
});

describe("flatness-compression claims: eq3-equals-trH-at-interpolation (Lemma A.1)", () => {
  const row = (loss: number, trHf: number, stderr: number, eq3 = 10) => ({ loss, eq3, trHf, stderr });
  it("runs at loss < 1e-2 judged: |Tr H_f| < 5 % of Eq. 3 or < 3 stderr; the boundaries themselves fail", () => {
    const rows = [
      row(1e-3, 0.4, 0.01), // 0.4 < 0.5: within
      row(1e-3, 0.5, 0.1), // exactly 5 %, above 3 stderr: outside
      row(1e-3, 0.75, 0.25), // exactly 3 stderr, above 5 %: outside
      row(1e-3, -2, 1), // |−2| > 0.5 but < 3: within; |Tr H_f|/Eq. 3 = 0.2, the largest
      row(1e-2, 0, 0), // loss exactly 1e-2: not at interpolation
      row(0.5, 100, 0, 1), // far from interpolation (its ratio 100 not counted)
    ];
    assert.deepEqual(CLAIM.lemma.assess({ rows }), {
      verdict: "partly",
      numbers: {
        runs: 6,
        "runs at loss < 1e-2": 4,
        "runs within the rule": 2,
        "largest |Tr H_f|/Eq. 3": 0.2,
      },
      detail:
        "2 of 4 runs at loss < 1e-2 have |Tr H_f| < 5 % of Eq. 3 or within 3 stderr of 0 (largest |Tr H_f|/Eq. 3 " +
        "0.200); 2 run(s) did not reach loss < 1e-2",
    });
  });

  it("all within → reproduced, none → not reproduced, none at interpolation → not assessed", () => {
    assert.deepEqual(CLAIM.lemma.assess({ rows: [row(1e-3, 0.4, 0.01), row(5e-3, -2, 1)] }), {
      verdict: "reproduced",
      numbers: { runs: 2, "runs at loss < 1e-2": 2, "runs within the rule": 2, "largest |Tr H_f|/Eq. 3": 0.2 },
      detail:
        "2 of 2 runs at loss < 1e-2 have |Tr H_f| < 5 % of Eq. 3 or within 3 stderr of 0 (largest |Tr H_f|/Eq. 3 " +
        "0.200); 0 run(s) did not reach loss < 1e-2",
    });
    assert.deepEqual(CLAIM.lemma.assess({ rows: [row(1e-3, -0.6, 0.1)] }), {
      verdict: "not reproduced",
      numbers: { runs: 1, "runs at loss < 1e-2": 1, "runs within the rule": 0, "largest |Tr H_f|/Eq. 3": 0.06 },
      detail:
        "0 of 1 runs at loss < 1e-2 have |Tr H_f| < 5 % of Eq. 3 or within 3 stderr of 0 (largest |Tr H_f|/Eq. 3 " +
        "0.0600); 0 run(s) did not reach loss < 1e-2",
    });
    assert.deepEqual(CLAIM.lemma.assess({ rows: [row(1e-2, 0, 1), row(2, 0, 1)] }), {
      verdict: "not assessed",
      numbers: { runs: 2, "runs at loss < 1e-2": 0, "runs within the rule": 0, "largest |Tr H_f|/Eq. 3": null },
      detail: "none of 2 runs ended with loss < 1e-2 on the measured inputs (the lemma's precondition)",
    });
  });
});

describe("flatness-compression claims: fig3-test-sharpness-rises (against the training inputs)", () => {
  const what = "test-input √S, end minus start, > 0";
  const task = sn(5, "> 0", 5, 0.0312, 1, 5);
  const vs = (t: number, c: number, d: number, margin: number): Numbers => ({
    "task mean rise of √S": t,
    "control mean rise of √S": c,
    "task − control": d,
    "control margin": margin,
  });
  it("the test rise must exceed the training inputs' by 0.1 × the test rise", () => {
    // t = 2, margin 0.2: control 1.5 → difference 0.5 beyond it
    assert.deepEqual(CLAIM.testS.assess({ values: [2, 2, 2, 2, 2], control: [1.5, 1.5, 1.5, 1.5, 1.5] }), {
      verdict: "reproduced",
      numbers: { ...task, ...vs(2, 1.5, 0.5, 0.2) },
      control: { runs: 5, "mean rise of √S on the training inputs": 1.5 },
      detail:
        `${five(what, "positive")}. Against the control: task mean rise of √S 2.00 against control 1.50 (difference ` +
        `0.500, margin 0.2): the task's effect exceeds the control's by more than the margin`,
    });
    // the training inputs rise more: not reproduced
    assert.deepEqual(CLAIM.testS.assess({ values: [2, 2, 2, 2, 2], control: [3, 3, 3, 3, 3] }), {
      verdict: "not reproduced",
      numbers: { ...task, ...vs(2, 3, -1, 0.2) },
      control: { runs: 5, "mean rise of √S on the training inputs": 3 },
      detail:
        `${five(what, "positive")}. Against the control: task mean rise of √S 2.00 against control 3.00 (difference ` +
        `-1.00, margin 0.2): the control shows the effect at least as strongly: it appears without the paper's mechanism`,
    });
    // inside the margin: inconclusive
    const inside = CLAIM.testS.assess({ values: [2, 2, 2, 2, 2], control: [1.85, 1.85, 1.85, 1.85, 1.85] });
    assert.equal(inside.verdict, "inconclusive");
    assert.match(inside.detail, /\(difference 0\.150, margin 0\.2\): the task's effect exceeds the control's by less/);
  });

  it("the margin is 0.1 × |mean test rise| (3 digits), also when that mean is negative", () => {
    // 8 of 9 rise (p = 10/512), mean (8 − 20)/9 = −1.333: margin 0.133; control −1.4 → difference 0.0667 inside it
    const a = CLAIM.testS.assess({ values: [1, 1, 1, 1, 1, 1, 1, 1, -20], control: Array(9).fill(-1.4) });
    assert.equal(a.verdict, "inconclusive");
    assert.deepEqual(a.numbers, {
      ...sn(9, "> 0", 8, 0.0195, 0.998, 8),
      ...vs(-1.333, -1.4, 0.06667, 0.133),
    });
    // t = 3: margin 0.3 (not 0.1/3)
    assert.equal(
      CLAIM.testS.assess({ values: [3, 3, 3, 3, 3], control: [2, 2, 2, 2, 2] }).numbers["control margin"],
      0.3,
    );
  });

  it("without the training inputs' change (or not run by run) the contrast cannot be judged", () => {
    const suffix = "; the training inputs' change was not measured, so the contrast cannot be judged";
    for (const control of [undefined, [1, 1]])
      assert.deepEqual(CLAIM.testS.assess({ values: [2, 2, 2, 2, 2], control }), {
        verdict: "inconclusive",
        numbers: task,
        detail: five(what, "positive") + suffix,
      });
    // a task that fails keeps its verdict
    assert.deepEqual(CLAIM.testS.assess({ values: [-2, -2, -2, -2, -2], excluded: 1 }), {
      verdict: "not reproduced",
      numbers: { ...sn(5, "> 0", 0, 1, 0.0312, 5), "runs excluded": 1 },
      detail: `${noneOfFive(what, "positive")}; 1 run(s) left out (see the rule)` + suffix,
    });
    assert.equal(CLAIM.testS.combine, combinePerRun);
  });
});

describe("flatness-compression claims: App. D.2 correlations and Fig. D.6", () => {
  it("D2-G-MLS: ρ(G, MLS) against 0.8; not assessed with K ≤ 2 outputs", () => {
    for (const K of [1, 2])
      assert.deepEqual(CLAIM.d2G.assess(fin({ G: X8, mls: Y8, K })), {
        verdict: "not assessed",
        numbers: { K },
        detail:
          `with K = ${K} outputs G = σ₁² + σ₂² and MLS = σ₁ per input, so their correlation is mostly algebra; it ` +
          `needs K > 2 (option classes)`,
      });
    for (const K of [3, undefined])
      assert.deepEqual(CLAIM.d2G.assess(fin({ G: X8, mls: Y8, K })), {
        verdict: "reproduced",
        numbers: { runs: 8, rho: 0.976, "95% CI low": 0.87, "95% CI high": 0.996, threshold: 0.8 },
        detail: "ρ(G, MLS): ρ = 0.976, 95 % CI [0.870, 0.996] over 8 runs; the interval lies above 0.8",
      });
    assert.deepEqual(CLAIM.d2G.assess(fin({ G: X8, mls: Y8, K: 10, setting: one })), {
      verdict: "reproduced",
      numbers: within(1, 0.8),
      detail: `ρ(G, MLS): ${A}; the interval lies above 0.8`,
    });
  });

  it("D2-logV: ρ(log V, √S) and ρ(log V, MLS) against 0.5, one each way → partly", () => {
    assert.deepEqual(CLAIM.d2V.assess(fin({ logV: X8, sqrtS: Y8, mls: negY8, setting: one })), {
      verdict: "partly",
      numbers: { ...prefixed("log V–√S", within(1, 0.5)), ...prefixed("log V–MLS", within(-1, 0.5)) },
      detail:
        `[log V–√S] reproduced — ρ(log V, √S): ${A}; the interval lies above 0.5 [log V–MLS] not reproduced — ` +
        `ρ(log V, MLS): ${NA}; the interval lies below 0.5: evidence against`,
    });
  });

  it("D2-sharpness-test-loss: ρ(√S, test loss) against 0", () => {
    // ρ 0.8 over 5 runs, CI [−0.280, 0.986]
    assert.deepEqual(CLAIM.d2T.assess(fin({ sqrtS: [1, 2, 3, 4, 5], testLoss: [2, 1, 4, 3, 5] }, 5)), {
      verdict: "inconclusive",
      numbers: { runs: 5, rho: 0.8, "95% CI low": -0.28, "95% CI high": 0.986, threshold: 0 },
      detail:
        "ρ(√S, test loss): ρ = 0.800, 95 % CI [-0.280, 0.986] over 5 runs; the interval spans 0 (the point estimate " +
        "beyond it): inconclusive",
    });
  });

  it("D6: C positively and D negatively with MLS; the authors' normalisation reported beside when both measured", () => {
    const m = fin({ mls: X8, C: Y8, D: negY8, setting: one });
    const aNumbers = { ...prefixed("C–MLS > 0", within(1, 0)), ...prefixed("D–MLS < 0", within(-1, 0)) };
    const aDetail =
      `[C–MLS > 0] reproduced — ρ(C, MLS): ${A}; the interval lies above 0 [D–MLS < 0] reproduced — ρ(D, MLS): ` +
      `${NA}; the interval lies below 0`;
    assert.deepEqual(CLAIM.d6.assess(m), { verdict: "reproduced", numbers: aNumbers, detail: aDetail });
    // one of the two normalised bounds missing: not reported
    assert.deepEqual(CLAIM.d6.assess({ ...m, Ca: negY8 }), {
      verdict: "reproduced",
      numbers: aNumbers,
      detail: aDetail,
    });
    assert.deepEqual(CLAIM.d6.assess({ ...m, Da: Y8 }), { verdict: "reproduced", numbers: aNumbers, detail: aDetail });
    assert.deepEqual(CLAIM.d6.assess({ ...m, Ca: negY8, Da: Y8 }), {
      verdict: "reproduced",
      numbers: {
        ...aNumbers,
        "authors' normalisation: verdict": "not reproduced",
        "authors' normalisation: ρ(C, MLS)": -0.976,
        "authors' normalisation: ρ(D, MLS)": 0.976,
      },
      detail:
        `${aDetail}; with the authors' normalisation √(Σ_l ‖W_l‖₂²): not reproduced ([C–MLS > 0] not reproduced — ` +
        `ρ(C, MLS): ${NA}; the interval lies below 0: evidence against [D–MLS < 0] not reproduced — ρ(D, MLS): ${A}; ` +
        `the interval lies above 0: evidence against)`,
    });
  });
});

describe("flatness-compression claims: the VGG versions and the claim set", () => {
  it("every claim in order, the VGG ones first", () => {
    assert.deepEqual(Object.keys(CLAIMS), [
      "vgg-volume-falls-after-interpolation",
      "vgg-lr-lowers-sharpness",
      "vgg-batch-lowers-sharpness",
      "vgg-G-tracks-sharpness",
      "vgg-local-dim-falls-to-interpolation",
      "vgg-fig3-test-sharpness-rises",
      "vgg-fig3-misclassified-sharper",
      "vgg-fig3-test-G-tracks-sharpness",
      "vgg-fig3-test-volume-falls",
      "vgg-fig3-misclassified-less-compressed",
      "vgg-MLS-best-correlate",
      "vgg-D2-G-MLS-highly-correlated",
      "vgg-D2-logV-correlates-with-S-and-MLS",
      "vgg-D2-sharpness-test-loss",
      "volume-falls-after-interpolation",
      "lr-lowers-sharpness",
      "batch-lowers-sharpness",
      "G-tracks-sharpness",
      "MLS-best-correlate",
      "local-dim-falls-to-interpolation",
      "bound-chain-CD-gap-largest",
      "eq3-equals-trH-at-interpolation",
      "fig3-test-sharpness-rises",
      "fig3-misclassified-sharper",
      "fig3-test-G-tracks-sharpness",
      "fig3-test-volume-falls",
      "fig3-misclassified-less-compressed",
      "D2-G-MLS-highly-correlated",
      "D2-logV-correlates-with-S-and-MLS",
      "D2-sharpness-test-loss",
      "D6-bound-C-positive-D-negative-with-MLS",
    ]);
    for (const [id, c] of Object.entries(CLAIMS)) assert.equal(c.id, id);
    assert.equal(CLAIM.lemma.kind, "consequence");
  });

  it("a VGG claim: the MLP rule and code, its own where and claim, the VGG setup differences instead of the MLP's", () => {
    const pairs = Object.keys(CLAIM.vgg).map((k) => [
      CLAIM.vgg[k as keyof typeof CLAIM.vgg],
      CLAIM[k as keyof typeof CLAIM] as typeof CLAIM.lr,
    ]);
    const [vggNet, vggSteps] = CLAIM.vgg.batch.differences;
    assert.match(vggNet, /^the VGG-style net of the authors' code/);
    assert.match(vggSteps, /^fewer SGD steps than the paper's/);
    const mlpOnly = [CLAIM.lr.differences[0], CLAIM.lr.differences[1], CLAIM.d2G.differences[0]];
    for (const [v, base] of pairs) {
      assert.equal(v.id, `vgg-${base.id}`);
      assert.deepEqual(v.differences.slice(0, 2), [vggNet, vggSteps], v.id);
      assert.ok(!v.differences.some((d) => mlpOnly.includes(d)), v.id);
      if (v === CLAIM.vgg.fallTogether) continue;
      assert.equal(v.rule, base.rule, v.id);
      assert.equal(v.assess, base.assess, v.id);
    }
    assert.deepEqual(CLAIM.vgg.batch.differences, [vggNet, vggSteps]);
    assert.deepEqual(CLAIM.vgg.lr.differences, [
      vggNet,
      vggSteps,
      CLAIM.lr.differences[2],
      "learning rates in the authors' units (option lrUnits): with the authors' 10 outputs the step on the mean " +
        "½‖f − y‖² is 0.2 × lr",
    ]);
    const d5 =
      "final states of the VGG runs (options vggSeeds × settings; the paper's Fig. D.5: 20 VGG10 networks on CIFAR-10)";
    assert.deepEqual(CLAIM.vgg.d2G.differences, [vggNet, vggSteps, CLAIM.d2G.differences[2], d5]);
    assert.equal(CLAIM.vgg.lr.claim, `VGG: ${CLAIM.lr.claim}`);
    assert.equal(CLAIM.vgg.lr.where, "Fig. 1; Sec. 4.1");
    assert.equal(
      CLAIM.vgg.gTracks.claim,
      "VGG: G decreases with the sharpness (it follows the trend of sharpness during training)",
    );
    assert.notEqual(CLAIM.vgg.fallTogether.rule, CLAIM.fallTogether.rule);
    assert.match(CLAIM.vgg.fallTogether.rule, /^Over the VGG runs that reach interpolation/);
    assert.deepEqual(CLAIM.vgg.fallTogether.example, {
      dSqrtS: CLAIM.vgg.fallTogether.example.dLogV,
      dLogV: CLAIM.vgg.fallTogether.example.dLogV,
    });
  });
});
