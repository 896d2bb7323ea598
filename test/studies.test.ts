import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { flatnessCompression, chenCheckpoints, interpolationIndex } from "../src/experiments/flatness-compression";
import { ChenRun } from "../src/experiments/flatness-compression/run";

describe("study: Chen et al. flatness and compression (a short run)", () => {
  it("A ≤ B ≤ C ≤ D at every checkpoint, Eq. 3 ≈ Tr H at the end, every figure and claim verdict, the VGG path; bad options refused", { timeout: 300000 }, async () => {
    const r = await flatnessCompression({
      hidden: [32, 32], learningRates: [0.1, 0.2], batchSizes: [20], seeds: 2, steps: 400, checkpoints: 6, nTrain: 300, nTest: 200, nEval: 30, nTestEval: 30,
      traceProbes: 16, vggLearningRates: [0.1], vggBatchSizes: [20], vggSeeds: 1, vggSteps: 20, vggSharpnessSamples: 4, cache: false,
    });
    const bounds = r.checks.find((c) => /^Eq\. 28/.test(c.name))!;
    assert.ok(bounds.pass, bounds.detail);
    // 2 settings × 2 seeds, each with the checkpoints of chenCheckpoints(400, 6)
    assert.match(bounds.detail, new RegExp(`^${4 * chenCheckpoints(400, 6).length} checkpoints over 4 runs`));
    assert.ok(r.checks.find((c) => /^At interpolation, Eq\. 3/.test(c.name)), "the Eq. 3 vs Tr H check is reported");
    assert.deepEqual(r.figures.map((f) => f.name), ["fig-E8-mlp-learning-rates", "fig-E7-mlp-batch-sizes", "fig3-test-set", "fig-D4-bounds", "fig-D6-correlations", "fig-D6-rho", "fig1-vgg-learning-rates"]);
    for (const k of Object.keys(r.summary).filter((k) => k.startsWith("claim"))) assert.match(String(r.summary[k]), /^(reproduced|not reproduced|not testable)/, k);
    const vgg = r.tables.find((t) => t.title === "VGG runs, final state")!;
    assert.equal(vgg.rows.length, 1);
    assert.ok(vgg.rows[0].slice(3, 11).every((v) => typeof v === "number" && Number.isFinite(v)), `VGG metrics: ${vgg.rows[0]}`);
    await assert.rejects(flatnessCompression({ classes: [3] }), /option classes must be at least two distinct labels in 0\.\.9; got \[3\]/);
    await assert.rejects(flatnessCompression({ source: "imagenet" as never }), /option source must be one of "auto", "cifar10", "fashion-mnist", "mnist"; got "imagenet"/);
    await assert.rejects(flatnessCompression({ vggLayers: [16, "M", "M", "M", "M", "M", "M"] }), /options vggLayers \/ vggHidden: vgg: the feature map vanishes/);
    await assert.rejects(flatnessCompression({ source: "cifar10" }), /source "cifar10" needs the option cifarDir/);
  });

  it("checkpoints: log-spaced early, evenly spaced late, from 0 to the last step", () => {
    const c = chenCheckpoints(1000, 10);
    assert.equal(c[0], 0);
    assert.equal(c[c.length - 1], 1000);
    for (const s of [200, 400, 600, 800]) assert.ok(c.includes(s), `evenly spaced ${s} in [${c}]`);
    assert.ok(c.filter((s) => s < 100).length >= 3, `early log-spaced steps in [${c}]`);
    assert.deepEqual(c, [...c].sort((a, b) => a - b));
  });

  it("interpolation is the first checkpoint with zero training error, else with ≥ 99 % accuracy", () => {
    const run = (accs: number[]) => ({ checkpoints: accs.map((trainAcc, step) => ({ step, trainAcc })) }) as unknown as ChenRun;
    assert.deepEqual(interpolationIndex(run([0.5, 0.995, 1, 1])), { index: 2, criterion: "zero training error" });
    assert.equal(interpolationIndex(run([0.5, 0.98, 0.991])).index, 2);
    assert.deepEqual(interpolationIndex(run([0.5, 0.9])), { index: -1, criterion: "not reached" });
  });
});
