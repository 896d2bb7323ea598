/**
 * What `assessClaim` writes into a ledger entry, field by field (kind, follows, control, differences, revisions, the
 * control's numbers, the budgets and the sentence it appends), and how `effectsOf` reads the effects back from an
 * entry's numbers (per part; against a control, sign test, mean) — both on hand-built claims with the expected entry
 * written out.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assessClaim, effectsOf, ruleHash, ClaimSpec, Numbers } from "../../src/report/ledger";

const base: ClaimSpec<number> = {
  id: "c",
  claim: "claim",
  where: "Fig. 1",
  rule: "rule",
  differences: ["d1"],
  assess: (m) => ({ verdict: m > 0 ? "reproduced" : "not reproduced", numbers: { m }, detail: `m = ${m}` }),
  example: 1,
  counterexample: -1,
};

describe("assessClaim's entry", () => {
  it("a plain claim: its texts, kind paper, its hash; no follows, control, revisions or budgets", () => {
    const e = assessClaim(base, 2);
    assert.deepEqual(e, {
      id: "c",
      kind: "paper",
      claim: "claim",
      where: "Fig. 1",
      rule: "rule",
      differences: ["d1"],
      ruleHash: ruleHash(base as ClaimSpec<unknown>),
      verdict: "reproduced",
      numbers: { m: 2 },
      detail: "m = 2",
    });
    assert.deepEqual(assessClaim(base, undefined), {
      ...e,
      verdict: "not assessed",
      numbers: {},
      detail: "not measured in this run",
    });
    assert.equal(assessClaim(base, undefined, "skipped by option").detail, "skipped by option");
  });

  it("a consequence with a control and revisions carries them all, and the control's numbers", () => {
    const spec: ClaimSpec<number> = {
      ...base,
      kind: "consequence",
      follows: "from c0 by algebra",
      control: "targets independent of inputs",
      revised: [{ commit: "abc", reason: "why" }],
      assess: (m) => ({ verdict: "partly", numbers: { m }, detail: "d", control: { c: -m } }),
    };
    const e = assessClaim(spec, 3);
    assert.deepEqual(e, {
      id: "c",
      kind: "consequence",
      follows: "from c0 by algebra",
      claim: "claim",
      where: "Fig. 1",
      rule: "rule",
      control: "targets independent of inputs",
      differences: ["d1"],
      ruleHash: ruleHash(spec as ClaimSpec<unknown>),
      revised: [{ commit: "abc", reason: "why" }],
      verdict: "partly",
      numbers: { m: 3 },
      detail: "d",
      controlNumbers: { c: -3 },
    });
    // an empty revision list is left out
    assert.equal("revised" in assessClaim({ ...base, revised: [] }, 1), false);
  });

  it("an unknown verdict from a rule is an error naming the claim", () => {
    const bad = {
      ...base,
      assess: () => ({ verdict: "maybe", numbers: {}, detail: "" }),
    } as unknown as ClaimSpec<number>;
    assert.throws(() => assessClaim(bad, 1), /^Error: claim c: assess returned an unknown verdict "maybe"$/);
  });

  it("budgets: each fraction's verdict, numbers and control numbers; nothing to judge; the sentence appended", () => {
    const spec: ClaimSpec<number> = {
      ...base,
      assess: (m) => ({
        verdict: m > 1 ? "reproduced" : "inconclusive",
        numbers: { m },
        detail: `m ${m}`,
        ...(m > 1 ? { control: { c: m } } : {}),
      }),
      atBudget: (m, f) => (f === 0.25 ? undefined : m * f),
    };
    const e = assessClaim(spec, 3);
    assert.deepEqual(e.budgets, [
      { fraction: 0.25, verdict: "not assessed", detail: "nothing to judge yet", numbers: {} },
      { fraction: 0.5, verdict: "reproduced", detail: "m 1.5", numbers: { m: 1.5 }, controlNumbers: { c: 1.5 } },
      { fraction: 1, verdict: "reproduced", detail: "m 3" },
    ]);
    assert.equal(e.stable, false);
    assert.equal(
      e.detail,
      "m 3 Budgets (fraction of the steps: verdict): 0.25: not assessed, 0.5: reproduced, 1: reproduced — not stable: " +
        "the verdict depends on how long training runs.",
    );
    assert.deepEqual(e.controlNumbers, { c: 3 });
    const steady = assessClaim({ ...spec, atBudget: (m) => m }, 3);
    assert.equal(steady.stable, true);
    assert.ok(steady.detail.endsWith("0.25: reproduced, 0.5: reproduced, 1: reproduced — stable."), steady.detail);
    // a budget's verdict without control numbers has none
    const low = assessClaim({ ...spec, atBudget: (m, f) => m * f - 1 }, 3);
    assert.deepEqual(low.budgets![1], { fraction: 0.5, verdict: "inconclusive", detail: "m 0.5", numbers: { m: 0.5 } });
  });
});

describe("effectsOf: the effects an entry's numbers state", () => {
  it("against a control (with and without the control and its margin), per part, in order", () => {
    const n: Numbers = {
      "A: task mean fall": 0.4,
      "A: control mean fall": 0.1,
      "A: control margin": 0.05,
      "A: task − control": 0.3,
      "B: task mean fall": 0.2,
      "B: task other": null,
      "C: task x": 1,
      "C: control x": 0.5,
    };
    assert.deepEqual(effectsOf(n), [
      { part: "A", kind: "against control", what: "mean fall", task: 0.4, control: 0.1, threshold: 0.1 + 0.05 },
      { part: "B", kind: "against control", what: "mean fall", task: 0.2 },
      { part: "C", kind: "against control", what: "x", task: 1, control: 0.5 },
    ]);
  });

  it("a sign test (either side, with or without the runs needed) and a mean with its interval; unnamed part ''", () => {
    assert.deepEqual(effectsOf({ runs: 8, "runs > 0": 6, "runs needed for p < alpha": 7 }), [
      { part: "", kind: "sign test", what: "fraction of runs > 0", task: 0.75, threshold: 7 / 8 },
    ]);
    assert.deepEqual(effectsOf({ "p: runs": 4, "p: runs < 0": 1 }), [
      { part: "p", kind: "sign test", what: "fraction of runs < 0", task: 0.25 },
    ]);
    // no runs, or no side, or zero runs: no sign test
    assert.deepEqual(effectsOf({ runs: 0, "runs > 0": 0 }), []);
    assert.deepEqual(effectsOf({ runs: 5 }), []);
    assert.deepEqual(effectsOf({ mean: -0.2, "95% CI low": -0.5, "95% CI high": 0.1 }), [
      { part: "", kind: "mean", what: "mean", task: -0.2, threshold: 0, low: -0.5, high: 0.1 },
    ]);
    // a mean without both interval ends, or a non-finite one, is not an effect
    assert.deepEqual(effectsOf({ mean: 1, "95% CI low": 0 }), []);
    assert.deepEqual(effectsOf({ mean: 1, "95% CI low": 0, "95% CI high": Infinity }), []);
    assert.deepEqual(effectsOf({ mean: "1", "95% CI low": 0, "95% CI high": 2 }), []);
  });
});
