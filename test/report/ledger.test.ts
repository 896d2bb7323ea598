import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { STUDIES } from "../../src/experiments/registry";
import {
  binomialUpperTail,
  signTest,
  meanInterval,
  differenceBeyondSpread,
  holdsInAll,
  combine,
  tQuantile975,
  assessClaim,
  LedgerBuilder,
  ClaimSpec,
  VERDICTS,
  signTestMinimum,
  signTestMinimumRuns,
  againstControl,
  tally,
  tallySummary,
  ruleHash,
  BUDGETS,
} from "../../src/report/ledger";

describe("claims ledger: decision rules", () => {
  it("binomial tail against a direct sum of C(n, i)/2ⁿ", () => {
    const C = (n: number, k: number): number => (k === 0 || k === n ? 1 : C(n - 1, k - 1) + C(n - 1, k));
    for (const n of [1, 5, 10, 17])
      for (let k = 0; k <= n + 1; k++) {
        let s = 0;
        for (let i = k; i <= n; i++) s += C(n, i);
        assert.ok(Math.abs(binomialUpperTail(k, n) - s / 2 ** n) < 1e-12, `n ${n} k ${k}`);
      }
  });

  it("sign test: 5/5 passes at 5 %, 4/5 and 2/5 are inconclusive, 0/5 is evidence against, 4 runs cannot decide", () => {
    // p = 1/32
    assert.equal(signTest([-1, -2, -0.1, -3, -1], { direction: "negative", what: "x" }).verdict, "reproduced");
    // p = 6/32 for the claim, 31/32 against: no evidence either way
    assert.equal(signTest([-1, -2, 0.1, -3, -1], { direction: "negative", what: "x" }).verdict, "inconclusive");
    // 2 of 5: P(X ≤ 2) = 16/32, not evidence against
    assert.equal(signTest([-1, 2, 0.1, -3, 1], { direction: "negative", what: "x" }).verdict, "inconclusive");
    // 0 of 5: P(X ≤ 0) = 1/32 < 0.05
    assert.equal(signTest([1, 2, 0.1, 3, 1], { direction: "negative", what: "x" }).verdict, "not reproduced");
    // 1/16 ≥ 0.05 even when unanimous: 4 runs lack the power
    const four = signTest([-1, -2, -3, -4], { direction: "negative", what: "x" });
    assert.equal(four.verdict, "inconclusive");
    assert.equal(four.numbers["runs needed for p < alpha"], "unreachable");
    assert.equal(signTest([], { direction: "negative", what: "x" }).verdict, "not assessed");
    // zeros count against
    assert.equal(signTest([0, 0, 0, 0, 0], { direction: "positive", what: "x" }).verdict, "not reproduced");
    // the minimum detectable count, against the binomial tail by hand: n = 10 needs 9 (P(X ≥ 9) = 11/1024)
    assert.equal(signTestMinimum(10), 9);
    assert.equal(signTestMinimum(5), 5);
    assert.equal(signTestMinimum(4), 5);
    assert.equal(signTestMinimumRuns(0.05), 5);
  });

  it("t quantiles match the textbook values; a mean interval decides by excluding 0", () => {
    assert.equal(tQuantile975(1), 12.706);
    assert.equal(tQuantile975(9), 2.262);
    assert.ok(Math.abs(tQuantile975(120) - 1.98) < 0.005);
    assert.equal(meanInterval([1.1, 0.9, 1.0, 1.2], { direction: "positive", what: "x" }).verdict, "reproduced");
    // contains 0: no evidence either way
    assert.equal(meanInterval([1.1, -0.9, 1.0, -1.2], { direction: "positive", what: "x" }).verdict, "inconclusive");
    assert.equal(meanInterval([-1.1, -0.9, -1.0], { direction: "positive", what: "x" }).verdict, "not reproduced");
    assert.equal(meanInterval([1], { direction: "positive", what: "x" }).verdict, "inconclusive");
    assert.equal(meanInterval([], { direction: "positive", what: "x" }).verdict, "not assessed");
    // half-width by hand: sd of [1, 2, 3] is 1, t(2) = 4.303, so 4.303 / √3
    const m = meanInterval([1, 2, 3], { direction: "positive", what: "x", digits: 6 });
    assert.equal(m.numbers["minimum detectable |mean|"], +(4.303 / Math.sqrt(3)).toPrecision(6));
  });

  it("a difference counts only beyond the seed spread", () => {
    const opts = { claim: "a<b" as const, what: "x", labels: ["a", "b"] as [string, string] };
    assert.equal(differenceBeyondSpread([1, 1.1, 0.9], [2, 2.1, 1.9], opts).verdict, "reproduced");
    // 0.2 < sd 0.5, and with 3 runs per group the interval of the difference still reaches the margin
    assert.equal(differenceBeyondSpread([1, 1.5, 0.5], [1.2, 1.7, 0.7], opts).verdict, "inconclusive");
    // the same difference with 40 runs per group, sd 1.01: the margin is 1.01 and the interval's upper end
    // 0.2 + 1.99·√(2·1.03/40) = 0.65 lies below it, so a difference that large is excluded
    const wide = Array.from({ length: 40 }, (_, i) => 2 * (i % 2));
    assert.equal(
      differenceBeyondSpread(
        wide,
        wide.map((x) => x + 0.2),
        opts,
      ).verdict,
      "not reproduced",
    );
    assert.equal(differenceBeyondSpread([2, 2.1, 1.9], [1, 1.1, 0.9], opts).verdict, "not reproduced");
    // beyond the margin with 2 runs a group: inconclusive
    assert.equal(differenceBeyondSpread([1, 1.1], [2, 2.1], opts).verdict, "inconclusive");
  });

  it("holds-in-all and combine", () => {
    assert.equal(holdsInAll(10, 10, "x").verdict, "reproduced");
    assert.equal(holdsInAll(6, 10, "x").verdict, "partly");
    assert.equal(holdsInAll(2, 10, "x").verdict, "not reproduced");
    const r = holdsInAll(1, 1, "r");
    const n = holdsInAll(0, 1, "n");
    assert.equal(
      combine([
        { label: "a", a: r },
        { label: "b", a: r },
      ]).verdict,
      "reproduced",
    );
    assert.equal(
      combine([
        { label: "a", a: r },
        { label: "b", a: n },
      ]).verdict,
      "partly",
    );
    assert.equal(
      combine([
        { label: "a", a: n },
        { label: "b", a: n },
      ]).verdict,
      "not reproduced",
    );
  });

  it("combine: inconclusive parts give inconclusive, evidence against a part gives not reproduced", () => {
    const r = holdsInAll(1, 1, "r");
    const n = holdsInAll(0, 1, "n");
    const i = signTest([-1, -2, -3, -4], { direction: "negative", what: "i" });
    const na = holdsInAll(0, 0, "na");
    const v = (...a: (typeof r)[]) => combine(a.map((x, k) => ({ label: String(k), a: x }))).verdict;
    assert.equal(v(i, i), "inconclusive");
    assert.equal(v(i, n), "not reproduced");
    assert.equal(v(r, i), "partly");
    assert.equal(v(na, i), "inconclusive");
    assert.equal(v(na, na), "not assessed");
  });

  it("task against control: the effect must exceed the control's by the margin", () => {
    const task = signTest([-1, -2, -0.1, -3, -1], { direction: "negative", what: "x" });
    const c = { c: 1 };
    const at = (t: number, k: number) => againstControl(task, { task: t, control: k, margin: 0.1, what: "fall" }, c);
    assert.equal(at(0.5, 0.1).verdict, "reproduced");
    assert.equal(at(0.5, 0.6).verdict, "not reproduced"); // the control falls more
    assert.equal(at(0.5, 0.5).verdict, "not reproduced"); // as much
    assert.equal(at(0.5, 0.45).verdict, "inconclusive"); // inside the margin
    assert.deepEqual(at(0.5, 0.1).control, c);
    assert.equal(at(0.5, NaN).verdict, "not assessed");
    const against = signTest([1, 2, 0.1, 3, 1], { direction: "negative", what: "x" });
    assert.equal(
      againstControl(against, { task: 0.5, control: 0, margin: 0.1, what: "f" }, c).verdict,
      "not reproduced",
    );
    // too few independent control runs: the control cannot decide either way (the task's own "not reproduced" stands)
    const few = (t: number, k: number, units: number) =>
      againstControl(task, { task: t, control: k, margin: 0.1, what: "fall", units }, c).verdict;
    assert.equal(few(0.5, 0.6, 1), "inconclusive");
    assert.equal(few(0.5, 0.1, 2), "inconclusive");
    assert.equal(few(0.5, 0.1, 3), "reproduced");
    assert.equal(few(0.5, 0.6, 3), "not reproduced");
    assert.equal(
      againstControl(against, { task: 0.5, control: 0, margin: 0.1, what: "f", units: 1 }, c).verdict,
      "not reproduced",
    );
  });

  it("kinds: tallies count the paper's claims; consequences and extensions are listed apart", () => {
    const mk = (kind: "paper" | "consequence" | "extension", verdict: (typeof VERDICTS)[number]) => ({
      id: kind + verdict,
      kind,
      verdict,
      claim: "",
      where: "",
      rule: "",
      differences: [],
      numbers: {},
      detail: "",
    });
    const es = [
      mk("paper", "reproduced"),
      mk("paper", "inconclusive"),
      mk("consequence", "reproduced"),
      mk("extension", "not reproduced"),
    ];
    assert.equal(tally(es).reproduced, 1);
    assert.equal(tally(es).inconclusive, 1);
    assert.equal(tally(es)["not reproduced"], 0);
    assert.equal(tally(es, "all").reproduced, 2);
    assert.equal(
      tallySummary(es),
      "paper claims: 1 reproduced, 1 inconclusive; consequences (not counted): 1 reproduced; " +
        "extensions (not counted): 1 not reproduced",
    );
  });

  it("budgets: a late-training claim is judged at each budget and called stable only when they agree", () => {
    const spec: ClaimSpec<number[]> = {
      id: "late",
      claim: "the last value is negative",
      where: "Fig. 0",
      rule: "last < 0",
      differences: [],
      assess: (x) => ({ verdict: x[x.length - 1] < 0 ? "reproduced" : "not reproduced", numbers: {}, detail: "d." }),
      atBudget: (x, f) => (Math.floor(x.length * f) ? x.slice(0, Math.floor(x.length * f)) : undefined),
      example: [1, 1, 1, -1],
      counterexample: [1, 1, 1, 1],
    };
    const late = assessClaim(spec, [1, 1, 1, -1]);
    assert.deepEqual(
      late.budgets?.map((b) => [b.fraction, b.verdict]),
      [
        [0.25, "not reproduced"],
        [0.5, "not reproduced"],
        [1, "reproduced"],
      ],
    );
    assert.equal(late.stable, false);
    assert.match(late.detail, /not stable/);
    const early = assessClaim(spec, [-1, -1, -1, -1]);
    assert.equal(early.stable, true);
    assert.equal(BUDGETS.length, 3);
  });

  it("rule hashes change with the rule's text or code, not with its formatting", () => {
    const base: ClaimSpec<number> = {
      id: "h",
      claim: "c",
      where: "w",
      rule: "x > 0",
      differences: [],
      assess: (x) => ({ verdict: x > 0 ? "reproduced" : "not reproduced", numbers: {}, detail: "" }),
      example: 1,
      counterexample: -1,
    };
    const h = ruleHash(base);
    assert.equal(ruleHash({ ...base, claim: "other words" }), h);
    assert.notEqual(ruleHash({ ...base, rule: "x ≥ 0" }), h);
    assert.notEqual(
      ruleHash({
        ...base,
        assess: (x: unknown) => ({
          verdict: (x as number) >= 0 ? "reproduced" : "not reproduced",
          numbers: {},
          detail: "",
        }),
      }),
      h,
    );
    // the same code, formatted differently
    const spaced = new Function("return (x)  =>  ({ verdict: x > 0 ? 'reproduced' : 'not reproduced' })")();
    const tight = new Function("return (x)=>({verdict:x>0?'reproduced':'not reproduced'})")();
    assert.equal(ruleHash({ ...base, assess: spaced }), ruleHash({ ...base, assess: tight }));
    assert.equal(assessClaim(base, 1).ruleHash, h);
    assert.equal(assessClaim(base, 1).kind, "paper");
  });

  it("a builder lists every declared claim; unreached ones are 'not assessed'", () => {
    const spec: ClaimSpec<number> = {
      id: "c1",
      claim: "x > 0",
      where: "Fig. 0",
      rule: "x > 0",
      differences: [],
      assess: (x) => ({ verdict: x > 0 ? "reproduced" : "not reproduced", numbers: { x }, detail: "" }),
      example: 1,
      counterexample: -1,
    };
    const spec2: ClaimSpec<number> = { ...spec, id: "c2" };
    const b = new LedgerBuilder({ c1: spec, c2: spec2 });
    b.assess(spec, 3);
    const e = b.entriesInOrder("skipped");
    assert.deepEqual(
      e.map((x) => [x.id, x.verdict]),
      [
        ["c1", "reproduced"],
        ["c2", "not assessed"],
      ],
    );
    assert.equal(e[1].detail, "skipped");
    assert.throws(() => b.assess({ ...spec, id: "c3" }, 1), /not in this study's claim set/);
  });
});

describe("claims ledger: every study's claims", () => {
  for (const study of STUDIES) {
    it(`${study.name}: declares its claims, and every rule can come out either way`, () => {
      const claims = study.claims;
      const ids = Object.keys(claims);
      assert.ok(ids.length >= 3, `${study.name} declares ${ids.length} claims`);
      for (const [key, c] of Object.entries(claims)) {
        assert.equal(c.id, key, `claim key ${key} vs id ${c.id}`);
        for (const f of ["claim", "where", "rule"] as const)
          assert.ok(typeof c[f] === "string" && c[f].length > 3, `${c.id}: ${f} is stated`);
        assert.ok(Array.isArray(c.differences), `${c.id}: differences listed`);
        // a rule that cannot fail is not a finding: its example and counterexample must disagree
        const yes = assessClaim(c, c.example);
        const no = assessClaim(c, c.counterexample);
        assert.equal(yes.verdict, "reproduced", `${c.id} on its example: ${yes.detail}`);
        assert.equal(no.verdict, "not reproduced", `${c.id} on its counterexample: ${no.detail}`);
        assert.ok(!c.kind || ["paper", "consequence", "extension"].includes(c.kind), `${c.id}: kind ${c.kind}`);
        if (c.kind === "consequence")
          assert.ok(c.follows && c.follows.length > 3, `${c.id}: says what it follows from`);
        for (const e of [yes, no])
          assert.ok(VERDICTS.includes(e.verdict) && e.detail.length > 0, `${c.id}: detail stated`);
      }
    });
  }
});
