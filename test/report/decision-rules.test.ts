/**
 * The ledger's decision rules against references computed here independently: the binomial tail from exact integer
 * binomial coefficients, the t quantiles from Student's density integrated numerically, and each rule's verdict,
 * numbers and stated reason on inputs worked by hand, including the inputs exactly at each rule's boundary.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  binomialUpperTail,
  signTestMinimum,
  signTestMinimumRuns,
  signTest,
  tQuantile975,
  meanInterval,
  differenceBeyondSpread,
  holdsInAll,
  combine,
  againstControl,
  CONTROL_MIN_UNITS,
  Assessment,
} from "../../src/report/ledger";

/** P(X ≥ k), X ~ Binomial(n, 1/2), from exact BigInt coefficients. */
function exactTail(k: number, n: number): number {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= n; i++) {
    if (i > 0) c = (c * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) sum += c;
  }
  return Number(sum) / 2 ** n;
}

/** Student's t CDF at q > 0 with ν degrees of freedom: ½ + ∫₀^q density, Simpson's rule with 20 000 panels. */
function tCdf(q: number, nu: number): number {
  // Γ((ν+1)/2) / Γ(ν/2) by the recursion r(ν+2) = r(ν)·(ν+1)/ν from r(1) = 1/√π, r(2) = √π/2
  let r = nu % 2 === 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
  for (let v = nu % 2 === 1 ? 1 : 2; v < nu; v += 2) r *= (v + 1) / v;
  const f = (t: number) => (r / Math.sqrt(nu * Math.PI)) * (1 + (t * t) / nu) ** (-(nu + 1) / 2);
  const N = 20000;
  const h = q / N;
  let s = f(0) + f(q);
  for (let i = 1; i < N; i++) s += (i % 2 ? 4 : 2) * f(i * h);
  return 0.5 + (s * h) / 3;
}

const assessment = (verdict: Assessment["verdict"], detail: string = verdict): Assessment => ({
  verdict,
  numbers: { x: 1 },
  detail,
});

describe("sign test", () => {
  it("binomialUpperTail equals the exact tail for n ≤ 40 and every k, with its ends", () => {
    for (let n = 0; n <= 40; n++)
      for (let k = -1; k <= n + 1; k++) {
        const want = k <= 0 ? 1 : k > n ? 0 : exactTail(k, n);
        const got = binomialUpperTail(k, n);
        assert.ok(
          Math.abs(got - want) <= 1e-13 * Math.max(want, 1e-300) + 1e-300,
          `k = ${k}, n = ${n}: ${got} vs ${want}`,
        );
      }
  });
  it("signTestMinimum is the first k with an exact tail below α; signTestMinimumRuns the first unanimous n", () => {
    for (const alpha of [0.05, 0.01, 0.1])
      for (let n = 0; n <= 30; n++) {
        let want = n + 1;
        for (let k = 0; k <= n; k++)
          if (exactTail(k, n) < alpha) {
            want = k;
            break;
          }
        assert.equal(signTestMinimum(n, alpha), want, `n = ${n}, α = ${alpha}`);
      }
    // unanimous: 2⁻ⁿ < α. 2⁻⁴ = 0.0625, 2⁻⁵ = 0.03125; 2⁻⁶ = 0.0156, 2⁻⁷ = 0.0078
    assert.equal(signTestMinimumRuns(), 5);
    assert.equal(signTestMinimumRuns(0.01), 7);
    assert.equal(signTestMinimumRuns(0.0625), 5);
  });
  it("verdicts, numbers and reasons on hand-worked runs", () => {
    const all = signTest([-1, -2, -3, -0.5, -4, -1], { direction: "negative", what: "w" });
    assert.equal(all.verdict, "reproduced");
    assert.deepEqual(all.numbers, {
      runs: 6,
      "runs < 0": 6,
      "sign-test p": 0.0156,
      "p against (opposite side)": 1,
      alpha: 0.05,
      "runs needed for p < alpha": 6,
    });
    assert.equal(all.detail, "w: 6 of 6 runs negative, one-sided sign test p = 0.0156 (< 0.05; 6 of 6 needed)");
    // the other way beyond chance
    const against = signTest([1, 2, 3, 4, 5, 6, NaN], { direction: "negative", what: "w" });
    assert.equal(against.verdict, "not reproduced");
    assert.equal(
      against.detail,
      "w: 0 of 6 runs negative, one-sided sign test p = 1.00 (≥ 0.05; 6 of 6 needed); the runs go the other way " +
        "beyond chance (p = 0.0156)",
    );
    // zeros count against the claim: 5 of 6, p = 7/64; against: P(X ≤ 5) = 63/64
    const zero = signTest([0, 1, 1, 1, 1, 1], { direction: "positive", what: "w" });
    assert.equal(zero.verdict, "inconclusive");
    assert.equal(zero.numbers["runs > 0"], 5);
    assert.equal(zero.numbers["sign-test p"], 0.109);
    assert.equal(zero.numbers["p against (opposite side)"], 0.984);
    assert.match(zero.detail, /nor do they go the other way beyond chance \(p = 0\.984\): inconclusive$/);
    // too few runs for any result to reach α
    const few = signTest([1, 1, 1, 1], { direction: "positive", what: "w" });
    assert.equal(few.verdict, "inconclusive");
    assert.equal(few.numbers["runs needed for p < alpha"], "unreachable");
    assert.equal(few.detail, "w: 4 of 4 runs positive; with 4 runs a sign test cannot reach p < 0.05 (needs ≥ 5 runs)");
    assert.equal(signTest([NaN, Infinity], { direction: "positive", what: "w" }).verdict, "not assessed");
    // α given: 6 of 6 at α = 0.01 is not enough (needs 7 runs)
    assert.equal(
      signTest([1, 1, 1, 1, 1, 1], { direction: "positive", what: "w", alpha: 0.01 }).verdict,
      "inconclusive",
    );
    assert.equal(
      signTest([1, 1, 1, 1, 1, 1, 1], { direction: "positive", what: "w", alpha: 0.01 }).verdict,
      "reproduced",
    );
  });
});

describe("t quantiles and the mean interval", () => {
  it("tQuantile975 lies where Student's CDF is 0.975 (to its three decimals) for df 1–30, and near it beyond", () => {
    for (let df = 1; df <= 30; df++) {
      const q = tQuantile975(df);
      // the table rounds to 3 decimals: the CDF at q is within density × 0.0005 of 0.975
      const slope = (tCdf(q + 1e-4, df) - tCdf(q - 1e-4, df)) / 2e-4;
      assert.ok(Math.abs(tCdf(q, df) - 0.975) <= slope * 5.01e-4, `df ${df}: q ${q}, CDF ${tCdf(q, df)}`);
    }
    for (const df of [31, 40, 60, 120, 500]) {
      const q = tQuantile975(df);
      assert.ok(Math.abs(tCdf(q, df) - 0.975) <= 2e-4, `df ${df}: CDF ${tCdf(q, df)}`);
    }
    assert.equal(tQuantile975(2.7), tQuantile975(2));
    assert.ok(Number.isNaN(tQuantile975(0.5)));
    assert.ok(Number.isNaN(tQuantile975(0)));
  });
  it("meanInterval: the t-interval of [4, 5, 6] is 5 ± 4.303/√3", () => {
    const half = 4.303 / Math.sqrt(3);
    const pos = meanInterval([4, 5, 6, NaN], { direction: "positive", what: "m" });
    assert.equal(pos.verdict, "reproduced");
    assert.deepEqual(pos.numbers, {
      runs: 3,
      mean: 5,
      "95% CI low": +(5 - half).toPrecision(3),
      "95% CI high": +(5 + half).toPrecision(3),
      "minimum detectable |mean|": +half.toPrecision(3),
    });
    assert.equal(pos.detail, "m: mean 5.00, 95 % CI [2.52, 7.48] over 3 runs excludes 0 on the claimed side");
    const neg = meanInterval([4, 5, 6], { direction: "negative", what: "m" });
    assert.equal(neg.verdict, "not reproduced");
    assert.match(neg.detail, /excludes 0 on the opposite side$/);
    const mirrored = meanInterval([-4, -5, -6], { direction: "negative", what: "m", digits: 5 });
    assert.equal(mirrored.verdict, "reproduced");
    assert.equal(mirrored.numbers["95% CI high"], +(-5 + half).toPrecision(5));
    assert.equal(meanInterval([-4, -5, -6], { direction: "positive", what: "m" }).verdict, "not reproduced");
    const wide = meanInterval([1, 2, 3], { direction: "positive", what: "m" });
    assert.equal(wide.verdict, "inconclusive");
    assert.match(wide.detail, /contains 0$/);
    assert.equal(meanInterval([1, 2, 3], { direction: "negative", what: "m" }).verdict, "inconclusive");
    assert.deepEqual(meanInterval([7], { direction: "positive", what: "m" }), {
      verdict: "inconclusive",
      numbers: { runs: 1 },
      detail: "m: an interval needs at least 2 runs, got 1",
    });
    assert.deepEqual(meanInterval([NaN], { direction: "positive", what: "m" }), {
      verdict: "not assessed",
      numbers: { runs: 0 },
      detail: "m: no finite run",
    });
  });
});

describe("difference beyond the seed spread", () => {
  const labels: [string, string] = ["a", "b"];
  it("reproduced beyond k pooled sd with 3 runs a group; the numbers worked by hand", () => {
    // a = [10, 11, 12] (mean 11, sd 1), b = [1, 2, 3] (mean 2, sd 1): pooled sd 1, difference 9
    const r = differenceBeyondSpread([10, 11, 12], [1, 2, 3], { claim: "a>b", what: "d", labels });
    assert.equal(r.verdict, "reproduced");
    const upper = 9 + 2.776 * Math.sqrt(2 / 3);
    assert.deepEqual(r.numbers, {
      "a mean": 11,
      "b mean": 2,
      "a runs": 3,
      "b runs": 3,
      "seed sd (pooled)": 1,
      margin: 1,
      "difference 95% CI high": +upper.toPrecision(3),
    });
    assert.equal(r.detail, "d: a 11.00 vs b 2.000; claimed-direction difference 9.00 > 1× seed sd 1.00");
    // the claim the other way round: the difference goes against it
    const other = differenceBeyondSpread([10, 11, 12], [1, 2, 3], { claim: "a<b", what: "d", labels });
    assert.equal(other.verdict, "not reproduced");
    assert.match(other.detail, /claimed-direction difference -9\.00 goes the other way beyond 1× seed sd 1\.00$/);
    // a larger k: 9 is not beyond 10 sd, and the interval's upper end (≈11.3) does not exclude it
    const k10 = differenceBeyondSpread([10, 11, 12], [1, 2, 3], { claim: "a>b", what: "d", labels, k: 10 });
    assert.equal(k10.verdict, "inconclusive");
    assert.equal(k10.numbers.margin, 10);
  });
  it("exactly at the margin is not beyond it; an interval below the margin excludes the effect", () => {
    // difference 1 = margin 1 (sd 1): not > margin; upper 1 + 2.776·√(2/3) > 1: inconclusive
    const at = differenceBeyondSpread([3, 4, 5], [2, 3, 4], { claim: "a>b", what: "d", labels });
    assert.equal(at.verdict, "inconclusive");
    // many runs, tiny difference: the interval's upper end falls below the margin
    const a = Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : -1));
    const b = a.map((v) => v - 0.01);
    const excl = differenceBeyondSpread(a, b, { claim: "a>b", what: "d", labels });
    assert.equal(excl.verdict, "not reproduced");
    assert.match(excl.detail, /and its 95 % interval \(upper end 0\.\d+\) excludes a difference that large$/);
  });
  it("fewer than 3 runs in a group cannot reproduce; no finite run is not assessed", () => {
    const small = differenceBeyondSpread([10, 12], [1, 2, 3], { claim: "a>b", what: "d", labels });
    assert.equal(small.verdict, "inconclusive");
    assert.match(small.detail, /but a group of fewer than 3 runs cannot estimate its spread: inconclusive$/);
    // one run each: no degrees of freedom, no interval
    const one = differenceBeyondSpread([5], [5], { claim: "a>b", what: "d", labels });
    assert.equal(one.verdict, "inconclusive");
    assert.equal(one.numbers["difference 95% CI high"], null);
    assert.match(one.detail, /upper end ∞\) does not exclude a difference that large: inconclusive$/);
    assert.deepEqual(differenceBeyondSpread([NaN], [1], { claim: "a>b", what: "d", labels }), {
      verdict: "not assessed",
      numbers: { "a runs": 0, "b runs": 1 },
      detail: "d: a group has no finite runs",
    });
  });
});

describe("holdsInAll, combine, againstControl", () => {
  it("holdsInAll: all → reproduced, at least half → partly, fewer → not reproduced, with the Wilson interval", () => {
    assert.equal(holdsInAll(4, 4, "h").verdict, "reproduced");
    assert.equal(holdsInAll(2, 4, "h").verdict, "partly");
    assert.equal(holdsInAll(1, 3, "h").verdict, "not reproduced");
    const r = holdsInAll(3, 4, "h");
    // Wilson: centre (p̂ + z²/2n)/(1 + z²/n), half z√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n)
    const z = 1.959964;
    const n = 4;
    const p = 0.75;
    const den = 1 + (z * z) / n;
    const centre = (p + (z * z) / (2 * n)) / den;
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
    assert.deepEqual(r.numbers, {
      holds: 3,
      configurations: 4,
      "Wilson 95% low": +(centre - half).toFixed(3),
      "Wilson 95% high": +(centre + half).toFixed(3),
    });
    assert.equal(r.detail, "h: holds in 3 of 4 configurations");
    assert.deepEqual(holdsInAll(0, 0, "h"), {
      verdict: "not assessed",
      numbers: { configurations: 0 },
      detail: "h: no configuration measured",
    });
  });
  it("combine: the conjunction's verdict for every mix of parts, numbers and control numbers prefixed", () => {
    const V = (...vs: Assessment["verdict"][]) =>
      combine(vs.map((v, i) => ({ label: `p${i}`, a: assessment(v) }))).verdict;
    assert.equal(V("reproduced", "reproduced"), "reproduced");
    assert.equal(V("reproduced", "not reproduced"), "partly");
    assert.equal(V("reproduced", "not assessed"), "partly");
    assert.equal(V("reproduced", "inconclusive"), "partly");
    assert.equal(V("partly", "not reproduced"), "partly");
    assert.equal(V("not reproduced", "inconclusive"), "not reproduced");
    assert.equal(V("not reproduced", "not assessed"), "not reproduced");
    assert.equal(V("inconclusive", "not assessed"), "inconclusive");
    assert.equal(V("not assessed", "not assessed"), "not assessed");
    const c = combine([
      { label: "A", a: { verdict: "reproduced", numbers: { n: 1 }, detail: "da", control: { c: 2 } } },
      { label: "B", a: { verdict: "inconclusive", numbers: { n: 3 }, detail: "db" } },
    ]);
    assert.deepEqual(c, {
      verdict: "partly",
      numbers: { "A: n": 1, "B: n": 3 },
      control: { "A: c": 2 },
      detail: "[A] reproduced — da [B] inconclusive — db",
    });
    assert.equal("control" in combine([{ label: "A", a: assessment("reproduced") }]), false);
  });
  it("againstControl: each branch, with the difference exactly at the margin and the minimum control runs", () => {
    const ctl = { c: 1 };
    const run = (v: Assessment["verdict"], task: number, control: number, units?: number) =>
      againstControl(assessment(v, "t"), { task, control, margin: 0.5, what: "e", units }, ctl);
    assert.equal(run("reproduced", 2, 1).verdict, "reproduced"); // d = 1 > 0.5
    assert.equal(run("partly", 2, 1).verdict, "partly");
    assert.equal(run("reproduced", 1.5, 1).verdict, "inconclusive"); // d = 0.5: not beyond the margin
    assert.equal(run("partly", 1.5, 1).verdict, "partly");
    assert.equal(run("reproduced", 1, 1).verdict, "not reproduced"); // d = 0 and the control beyond the margin
    assert.equal(run("reproduced", 0.4, 0.5).verdict, "inconclusive"); // d < 0 but the control not beyond 0.5
    assert.equal(run("reproduced", 0.2, 0.6).verdict, "not reproduced");
    assert.equal(run("not reproduced", 5, 0).verdict, "not reproduced");
    assert.equal(run("not assessed", 5, 0).verdict, "not assessed");
    assert.equal(run("reproduced", 5, 0, CONTROL_MIN_UNITS - 1).verdict, "inconclusive");
    assert.equal(run("reproduced", 5, 0, CONTROL_MIN_UNITS).verdict, "reproduced");
    assert.equal(CONTROL_MIN_UNITS, 3);
    const r = run("reproduced", 2, 1);
    assert.deepEqual(r.numbers, { x: 1, "task e": 2, "control e": 1, "task − control": 1, "control margin": 0.5 });
    assert.equal(r.control, ctl);
    assert.equal(
      r.detail,
      "t. Against the control: task e 2.00 against control 1.00 (difference 1.00, margin 0.5): the task's effect " +
        "exceeds the control's by more than the margin",
    );
    assert.match(run("reproduced", 5, 0, 2).detail, /2 independent control run\(s\): at least 3 are needed/);
    assert.match(run("reproduced", 1, 1).detail, /it appears without the paper's mechanism$/);
    assert.match(run("reproduced", 1.5, 1).detail, /exceeds the control's by less than the margin$/);
    assert.match(run("not reproduced", 5, 0).detail, /the task's rule decides$/);
    const missing = run("reproduced", NaN, 1);
    assert.equal(missing.verdict, "not assessed");
    assert.match(missing.detail, /^t\. Control: not measured \(task e NaN/);
    assert.equal(run("reproduced", 1, Infinity).verdict, "not assessed");
  });
});
