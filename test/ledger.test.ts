import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { STUDIES } from "../src/experiments/registry";
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
} from "../src/report/ledger";

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

  it("sign test: 5/5 negative passes at 5 %, 4/5 is only 'partly', 2/5 fails, 4 runs cannot decide", () => {
    // p = 1/32
    assert.equal(signTest([-1, -2, -0.1, -3, -1], { direction: "negative", what: "x" }).verdict, "reproduced");
    assert.equal(signTest([-1, -2, 0.1, -3, -1], { direction: "negative", what: "x" }).verdict, "partly"); // p = 6/32
    assert.equal(signTest([-1, 2, 0.1, -3, 1], { direction: "negative", what: "x" }).verdict, "not reproduced");
    // 1/16 ≥ 0.05
    assert.equal(signTest([-1, -2, -3, -4], { direction: "negative", what: "x" }).verdict, "not assessed");
    // zeros count against
    assert.equal(signTest([0, 0, 0, 0, 0], { direction: "positive", what: "x" }).verdict, "not reproduced");
  });

  it("t quantiles match the textbook values; a mean interval decides by excluding 0", () => {
    assert.equal(tQuantile975(1), 12.706);
    assert.equal(tQuantile975(9), 2.262);
    assert.ok(Math.abs(tQuantile975(120) - 1.98) < 0.005);
    assert.equal(meanInterval([1.1, 0.9, 1.0, 1.2], { direction: "positive", what: "x" }).verdict, "reproduced");
    assert.equal(meanInterval([1.1, -0.9, 1.0, -1.2], { direction: "positive", what: "x" }).verdict, "not reproduced");
    assert.equal(meanInterval([-1.1, -0.9, -1.0], { direction: "positive", what: "x" }).verdict, "not reproduced");
    assert.equal(meanInterval([1], { direction: "positive", what: "x" }).verdict, "not assessed");
  });

  it("a difference counts only beyond the seed spread", () => {
    const opts = { claim: "a<b" as const, what: "x", labels: ["a", "b"] as [string, string] };
    assert.equal(differenceBeyondSpread([1, 1.1, 0.9], [2, 2.1, 1.9], opts).verdict, "reproduced");
    // 0.2 < sd 0.5
    assert.equal(differenceBeyondSpread([1, 1.5, 0.5], [1.2, 1.7, 0.7], opts).verdict, "not reproduced");
    assert.equal(differenceBeyondSpread([2, 2.1, 1.9], [1, 1.1, 0.9], opts).verdict, "not reproduced");
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
      const claims = study.claims();
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
        for (const e of [yes, no])
          assert.ok(VERDICTS.includes(e.verdict) && e.detail.length > 0, `${c.id}: detail stated`);
      }
    });
  }
});
