import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { flatnessCompression, chenCheckpoints, interpolationIndex } from "../src/experiments/flatness-compression";
import { ChenRun } from "../src/experiments/flatness-compression/run";
import { bottleneck } from "../src/experiments/bottleneck";
import { mode } from "../src/experiments/bottleneck/run";
import { symmetryTask, gdStep, summaryStats, taskLoss, vectorAt, symmetryData, gdPath } from "../src/experiments/bottleneck/symmetry";
import { segmentsCross, countCrossings, knnR2, trimNearCommonEnd, Point } from "../src/experiments/bottleneck/analysis";
import { weightSpectra, representationSpectra } from "../src/metrics";
import * as nets from "../src/nets";
import { Matrix, svdvals, rankOfSpectrum } from "../src/linalg";
import { pcaFit } from "../src/data";
import { Rng } from "../src/util/random";

describe("study: Chen et al. flatness and compression (a short run)", () => {
  it("A ≤ B ≤ C ≤ D at every checkpoint, Eq. 3 ≈ Tr H at the end, every figure and claim verdict, the VGG path; bad options refused", { timeout: 300000 }, async () => {
    const r = await flatnessCompression({
      // lr 10 diverges: its runs must be reported and left out, not crash the study
      hidden: [32, 32], learningRates: [0.1, 0.2, 10], batchSizes: [20], seeds: 2, steps: 400, checkpoints: 6, nTrain: 300, nTest: 200, nEval: 30, nTestEval: 30,
      traceProbes: 16, vggLearningRates: [0.1], vggBatchSizes: [20], vggSeeds: 1, vggSteps: 20, vggSharpnessSamples: 4, cache: false,
    });
    const bounds = r.checks.find((c) => /^Eq\. 28/.test(c.name))!;
    assert.ok(bounds.pass, bounds.detail);
    assert.match(String(r.summary["diverged runs (left out of trends and statistics)"]), /^mlp lr 10 batch 20 seed 0 at step \d+; mlp lr 10 batch 20 seed 1 at step \d+$/);
    // 2 finite settings × 2 seeds with every checkpoint of chenCheckpoints(400, 6), plus the diverged runs' checkpoints before divergence
    const perRun = chenCheckpoints(400, 6).length;
    const [, total, runs] = /^(\d+) checkpoints over (\d+) runs/.exec(bounds.detail)!.map(Number);
    assert.equal(runs, 6);
    assert.ok(total >= 4 * perRun + 2 && total < 6 * perRun, `${total} checkpoints`);
    assert.match(String(r.summary["claim 2a: larger learning rate → lower final √sharpness"]), /not testable \(every seed of a setting diverged\)/);
    assert.match(String(r.summary["runs"]), /^4 MLP/);
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

describe("study: Jacot bottleneck structure", () => {
  it("the symmetry task: with E = 0, GD on w follows the closed-form recursion of (a, b) and L = ½(1 − 2a² + (a² + b²)²)", () => {
    const t = symmetryTask({ d: 7, T: 5, eta: 0.05, noise: 0, seed: 3 });
    const rng = new Rng(4);
    for (const [r, phi] of [[0.4, 0.3], [1.2, 2.0], [1.5, 1.2]]) {
      let w = vectorAt(t, r, phi, rng);
      let { a, b } = summaryStats(t, w);
      assert.ok(Math.abs(a - r * Math.cos(phi)) < 1e-12 && Math.abs(b - r * Math.sin(phi)) < 1e-12);
      for (let s = 0; s < 40; s++) {
        w = gdStep(t, w);
        [a, b] = [a * (1 + 2 * 0.05 * (1 - a * a - b * b)), b * (1 - 2 * 0.05 * (a * a + b * b))];
        const st = summaryStats(t, w);
        assert.ok(Math.abs(st.a - a) < 1e-12 && Math.abs(st.b - b) < 1e-12, `step ${s}: (${st.a}, ${st.b}) vs (${a}, ${b})`);
        assert.ok(Math.abs(taskLoss(t, w) - 0.5 * (1 - 2 * a * a + (a * a + b * b) ** 2)) < 1e-12);
      }
    }
    // targets are the losses of the next T steps; paths stop on reaching |a| = 1 ± tol
    const data = symmetryData(t, { n: 4, rMin: 0.2, rMax: 1.5, seed: 1 });
    let w = data.X.row(2).slice();
    for (let k = 0; k < 5; k++) {
      w = gdStep(t, w);
      assert.ok(Math.abs(data.Y.get(2, k) - taskLoss(t, w)) < 1e-14);
    }
    const path = gdPath(t, vectorAt(t, 1.3, 0.8, rng), { eta: 0.01, every: 5, maxSteps: 100000, tol: 0.05 });
    assert.ok(Math.abs(Math.abs(summaryStats(t, path[path.length - 1]).a) - 1) < 0.05);
    assert.ok(Math.abs(Math.abs(summaryStats(t, path[path.length - 2]).a) - 1) >= 0.05);
  });

  it("plane geometry: proper crossings, crossing counts, k-NN R² of a bijection and of a non-injective map, cutting paths near their common end", () => {
    assert.equal(segmentsCross([0, 0], [1, 1], [0, 1], [1, 0]), true);
    assert.equal(segmentsCross([0, 0], [1, 1], [1, 1], [2, 0]), false, "touching at an endpoint");
    assert.equal(segmentsCross([0, 0], [1, 0], [0, 1], [1, 1]), false);
    assert.equal(countCrossings([[[0, 0], [2, 2], [4, 0]], [[0, 1], [4, 1]]]), 2);
    const rng = new Rng(5);
    const pts = Array.from({ length: 300 }, () => [rng.uniform(), rng.uniform()]);
    const polar = pts.map(([x, y]) => [Math.hypot(x + 1, y), Math.atan2(y, x + 1)]); // a bijection of the unit square
    assert.ok(knnR2(pts, polar) > 0.97 && knnR2(polar, pts) > 0.97);
    const folded = pts.map(([x, y]) => [Math.abs(x - 0.5), y]); // not injective: x is not a function of it
    assert.ok(knnR2(pts, folded) > 0.97);
    assert.ok(knnR2(folded, pts) < 0.8, `x from |x − ½|: ${knnR2(folded, pts)}`);
    const paths: Point[][] = [[[0, 0], [0.5, 0.5], [0.98, 0.99], [1, 1]], [[2, 0], [1.5, 0.5], [1.02, 0.99], [1, 1]]];
    const cut = trimNearCommonEnd(paths, [[0, 0], [2, 2]], 0.05);
    assert.deepEqual(cut.map((p) => p.length), [3, 3]);
  });

  it("layer spectra: weight singular values, and a linear network's representation ranks min(widths, data rank)", () => {
    const spec: nets.NetSpec = { sizes: [6, 8, 3, 5], activation: "linear", bias: true };
    const params = nets.initParams(spec, { seed: 2 });
    const w = weightSpectra(spec, params);
    w.forEach((sv, l) => assert.deepEqual(sv, Array.from(svdvals(nets.weight(spec, params, l + 1)))));
    // inputs on a 4-dim subspace of R^6
    const B = new Matrix(4, 6, new Rng(3).normals(24));
    const Zc = new Matrix(50, 4, new Rng(4).normals(200));
    const X = new Matrix(50, 6);
    for (let n = 0; n < 50; n++) for (let j = 0; j < 6; j++) for (let t = 0; t < 4; t++) X.data[n * 6 + j] += Zc.get(n, t) * B.get(t, j);
    const reps = representationSpectra(spec, params, X);
    assert.deepEqual(reps.map((r) => rankOfSpectrum(r.singularValues, 1e-10 * r.singularValues[0])), [4, 3, 3]);
    // explained variance agrees with PCA of the pre-activations computed independently
    const cache = nets.forward(spec, params, X);
    const p = pcaFit(cache.Z[1], 3);
    p.explainedVarianceRatio.forEach((v, i) => assert.ok(Math.abs(reps[0].cumulativeVariance[i] - p.explainedVarianceRatio.slice(0, i + 1).reduce((a, b) => a + b, 0)) < 1e-12, `PC ${i + 1}: ${v}`));
    assert.equal(mode([3, 3, 4, 2]), 3);
    assert.equal(mode([2, 4]), 4, "ties go to the larger");
  });

  it("a short study run: figures, per-depth numbers, fitting check; bad options refused", { timeout: 300000 }, async () => {
    const r = await bottleneck({ n: 40, depths: [3, 5], seeds: 2, width: 20, steps: 300, lr: 0.003, latentSweep: [1], sweepDepth: 3, symN: 60, symSteps: 200, symWidth: 20, symDepth: 4, paths: 3, cache: false });
    assert.deepEqual(r.figures.map((f) => f.name), ["figa-weight-spectra", "figb-representation-spectra", "figc-norm-vs-depth", "fig-learned-rank-vs-k", "fig2-symmetry-representation", "fig2-symmetry-true-statistics", "fig2-symmetry-explained-variance"]);
    const perDepth = r.tables.find((t) => t.title.startsWith("Per depth"))!;
    assert.deepEqual(perDepth.rows.map((row) => [row[0], row[1], row[2]]), [[3, 2, 1], [5, 2, 3]]);
    assert.equal(r.tables.find((t) => t.title === "Every run")!.rows.length, 5, "2 depths × 2 seeds + the k = 1 run");
    assert.ok(r.checks.find((c) => /fits its training data/.test(c.name)));
    assert.match(String(r.summary["fraction of rank-recovering minima by depth (95 % Wilson CI)"]), /^L=3: \d\/2 \[[\d.]+, [\d.]+\], L=5: \d\/2/);
    await assert.rejects(bottleneck({ depths: [6] }), /option depths must hold at least two different depths/);
    await assert.rejects(bottleneck({ width: 5 }), /option width must be at least max\(dIn, dOut, k\) = 10; got 5/);
    await assert.rejects(bottleneck({ symEta: 0.5 }), /option symEta must be a number in \[0.000001, 0.2\]; got 0.5/);
  });
});
