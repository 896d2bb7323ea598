import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { resolveOptions } from "../src/experiments/framework";

describe("Hebbar: facts that hold by construction or by algebra (Parts 1–3)", () => {
  it("toy manifolds have dimension 3 − rank G; H = 2GGᵀ and rank H = rank G at zero loss, not with a residual; CE on logits has rank H_o ≤ N(K − 1) < rank G; colliding inputs lower rank G by m − 1 and the manifold dimension is N − rank G", async () => {
    const { infoLossFacts, infoLossStudy } = await import("../src/experiments/info-loss");
    const facts = infoLossFacts(resolveOptions(infoLossStudy, { preset: "quick" }));
    assert.equal(facts.length, 10);
    assert.equal(facts.filter((f) => /^Part 1/.test(f.name)).length, 2);
    assert.equal(facts.filter((f) => /^Part 2/.test(f.name)).length, 5);
    assert.equal(facts.filter((f) => /^Part 3/.test(f.name)).length, 3);
    for (const f of facts) assert.ok(f.pass, `${f.name}: ${f.detail}`);
  });
});

describe("study: Hebbar information loss (quick preset)", () => {
  it("declares and assesses the Part 4 claims, counts the seeds that did not converge, and computes its notes from the run", { timeout: 300000 }, async () => {
    const { infoLoss } = await import("../src/experiments/info-loss");
    const r = await infoLoss({ preset: "quick", cache: false });
    for (const c of r.checks) assert.ok(c.pass, `${c.name}: ${c.detail}`);
    assert.deepEqual(r.ledger.map((e) => e.id), ["part4-fewer-deficient", "part4-consistent-functions", "part4-deficient-exist"]);
    for (const e of r.ledger) assert.ok(e.detail.length > 0 && Object.keys(e.numbers).length > 0, e.id);
    assert.equal(r.checks.filter((c) => /^Part [123]/.test(c.name)).length, 0, "no construction facts among the checks");
    for (const set of ["linear targets", "zig-zag targets"]) {
      assert.match(String(r.summary[`part 4 ${set}: seeds not reaching zero loss, per size`]), /^p 10: \d+, p 22: \d+, p 43: \d+, p 100: \d+$/);
      assert.ok(r.data.notes.some((n) => new RegExp(`^Part 4, ${set}: \\d+ of \\d+ zero-loss solutions over all sizes have rank G < 4`).test(n)), set);
    }
    assert.ok(r.figures.length >= 6);
    await assert.rejects(infoLoss({ collide: 9 }), /option collide must be an integer in \[2, 6\]; got 9/);
  });
});
