import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { localRankExperiment, patel } from "../src/experiments/local-rank";
import { CLAIMS, spearmanTest } from "../src/experiments/local-rank/claims";
import { gaussianIbCriticalBetas, trainGaussianVib } from "../src/experiments/local-rank/gaussian-vib";
import { runMlp } from "../src/experiments/local-rank/mlp";
import { Matrix, svdvals } from "../src/linalg";
import * as nets from "../src/nets";

describe("study: Patel local rank", () => {
  it("Gaussian Deep VIB: critical β from the covariances are 1/c², and the optimiser reaches the analytic minimiser's rank (the Fig. 2 steps hold by algebra: a unit test, not evidence)", () => {
    const c = [0.1, 0.1, 0.5, 0.5, 0.5];
    const I = c.map((_, i) => c.map((__, j) => (i === j ? 1 : 0)));
    const C = c.map((ci, i) => c.map((__, j) => (i === j ? ci : 0)));
    const crit = gaussianIbCriticalBetas(Matrix.from(I), Matrix.from(C), Matrix.from(I));
    crit.betas.forEach((b, i) => assert.ok(Math.abs(b - [4, 4, 4, 100, 100][i]) < 1e-9 * b));
    const lr = (beta: number) => trainGaussianVib({ Sxx: I, Sxy: C, Syy: I, betaVib: 1 / beta, hidden: [8, 8], dT: 5, steps: 4000, lr: 0.01, seed: 0 }).singularValues.filter((s) => s > 0.01).length;
    assert.deepEqual([3.5, 5.5, 90, 140].map(lr), [0, 3, 3, 5]);
  });

  it("claim rules: Spearman's exact permutation p, ties and constant series; Fig. 1 leaves out layer 1 and the output layer", () => {
    const up = spearmanTest([1, 10, 100, 1000, 10000], [0.1, 0.2, 0.3, 0.4, 0.5], "positive");
    assert.equal(up.rho, 1);
    assert.ok(Math.abs(up.p - 1 / 120) < 1e-12 && up.exact);
    assert.ok(Math.abs(spearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], "negative").p - 1 / 120) < 1e-12);
    assert.equal(spearmanTest([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], "positive").p, 1);
    const flat = spearmanTest([1, 2, 3, 4, 5], [7, 7, 7, 7, 7], "positive");
    assert.equal(flat.rho, 0);
    assert.equal(flat.p, 1, "a constant series is no trend");
    const tie = spearmanTest([1, 2, 3, 4], [1, 1, 2, 3], "positive");
    assert.ok(tie.rho > 0.9 && tie.rho < 1);
    // only layers 2 … L − 1 are judged: a fall of layer 1 or of the output layer changes nothing
    const base = { label: "g", sizes: [100, 200, 200, 2], steps: [0, 100, 1000, 10000] };
    const a = CLAIMS["fig1-terminal-fall"].assess({ runs: [{ ...base, localRank: [[100, 60, 2], [100, 60, 2], [100, 60, 2], [50, 60, 1]] }] });
    assert.equal(a.verdict, "not reproduced");
    assert.equal(a.numbers.configurations, 1);
    // with a single checkpoint in the terminal phase the rule cannot decide
    assert.equal(CLAIMS["fig1-terminal-fall"].assess({ runs: [{ ...base, steps: [0, 1, 10, 10000], localRank: [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]] }] }).verdict, "not assessed");
  });

  it("Fig. 1 worker: at step 0 layer 1's local rank and participation ratio are those of W₁ at initialisation (its Jacobian for every input), the output layer's are bounded by its width", async () => {
    const hidden = [12, 9];
    const run = await runMlp({ data: "gaussian", hidden, n: 40, steps: 4, checkpoints: 3, lr: 1e-4, evalSamples: 5, eps: 0.01, epsList: [0.01], seed: 3 });
    assert.equal(run.steps[0], 0);
    const spec: nets.NetSpec = { sizes: [100, ...hidden, 2], activation: "relu", bias: true };
    const s = Array.from(svdvals(nets.weight(spec, nets.initParams(spec, { init: "he", seed: 3 }), 1)));
    const pr = s.reduce((a, b) => a + b, 0) ** 2 / s.reduce((a, b) => a + b * b, 0);
    assert.equal(run.localRank[0][0], s.filter((v) => v > 0.01).length);
    assert.ok(Math.abs(run.participation[0][0] - pr) < 1e-9 * pr, `layer 1 participation ratio ${run.participation[0][0]} vs (Σσ)²/Σσ² of W₁ ${pr}`);
    for (const c of run.participation) {
      assert.equal(c.length, 3);
      assert.ok(c[2] >= 1 - 1e-12 && c[2] <= 2 + 1e-12, `output layer (width 2): ${c[2]}`);
    }
  });

  it("a short study run: figures, every claim in the ledger (Fig. 2 not assessed), optimiser checks only; bad options refused; patel.fig2 alone gives the study's Fig. 2 entries", { timeout: 300000 }, async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-local-rank-"));
    const fig2Options = { betas: [2, 5.5, 20, 140, 400], vibSteps: 4000 };
    const r = await localRankExperiment({
      gaussianHidden: [16, 16], mnistHidden: [16, 16, 16], n: 100, steps: 60, mnistSteps: 30, checkpoints: 5, evalSamples: 8,
      ...fig2Options, imageBetas: [1, 100], imageHidden: [16, 16], imageDT: 4, imageN: 200, imageSteps: 20, cacheDir,
    });
    // Fig. 1's part holds the participation ratio beside each local-rank figure and the ε-sensitivity of its trained networks
    assert.deepEqual(r.figures.map((f) => f.name), ["fig1-gaussian", "fig1-gaussian-participation-ratio", "fig1-mnist", "fig1-mnist-participation-ratio", "local-rank-eps-sensitivity-gaussian", "local-rank-eps-sensitivity-mnist", "fig2-kl-vs-beta", "fig2-local-rank-vs-beta", "fig3-vib-mnist", "fig3-vib-fashion-mnist"]);
    assert.deepEqual(r.ledger.map((e) => e.id), Object.keys(CLAIMS));
    assert.equal(r.claim("fig2-ib-transitions").verdict, "not assessed");
    assert.match(r.claim("fig2-ib-transitions").detail, /by algebra/);
    // two β values per dataset: too few for the trend test
    assert.equal(r.claim("fig3-rank-rises-with-beta").verdict, "not assessed");
    // the rule judges layers 2 … L − 1 only: layer 2 of the Gaussian net [100, 16, 16, 2], layers 2 and 3 of the MNIST net
    const fig1 = r.claim("fig1-terminal-fall");
    if (fig1.verdict !== "not assessed") {
      assert.equal(fig1.numbers.configurations, 3);
      assert.deepEqual(Object.keys(fig1.numbers).filter((k) => k.endsWith(": final")), ["Gaussian layer 2: final", "MNIST layer 2: final", "MNIST layer 3: final"]);
    }
    // the note on layers 1 and L: the Gaussian net [100, 16, 16, 2] has rank_ε(W₁) = min(100, 16) and its output layer sits at its width
    assert.ok(r.data.notes.some((n) => /^Fig\. 1 Gaussian, MSE: .*In this run layer 1 stayed at 16 and layer 3 stayed at 2 over the 5 checkpoints/.test(n)), r.data.notes.join("\n"));
    for (const c of r.checks) assert.match(c.name, /^Gaussian VIB optimiser/);
    for (const c of r.checks) assert.ok(c.pass, `${c.name}: ${c.detail}`);
    assert.ok(r.data.timings && Object.keys(r.data.timings).length >= 3);
    assert.ok(!Object.keys(r.summary).some((k) => /falls late/.test(k)), "no verdict strings in the summary");
    await assert.rejects(localRankExperiment({ crossCov: [1.5] }), /option crossCov must be a non-empty list of correlations in \(0, 1\)/);
    // the per-figure call: Fig. 2 alone (from the study's cache entry) feeds exactly its claim, with the study's verdict, numbers and detail
    const f2 = await patel.fig2({ ...fig2Options, cacheDir });
    assert.equal(f2.cached, true, "the study's Fig. 2 entry is reused");
    assert.deepEqual(f2.options, { eps: 0.01, crossCov: [0.1, 0.1, 0.5, 0.5, 0.5], ...fig2Options, vibHidden: [8, 8], seed: 0 });
    assert.deepEqual(f2.ledger.map((e) => e.id), ["fig2-ib-transitions"]);
    for (const e of f2.ledger) {
      const whole = r.claim(e.id);
      assert.equal(e.verdict, whole.verdict);
      assert.deepEqual(e.numbers, whole.numbers);
      assert.equal(e.detail, `From Fig. 2 alone: ${whole.detail}`);
    }
    assert.deepEqual(f2.figures.map((f) => f.name), ["fig2-kl-vs-beta", "fig2-local-rank-vs-beta"]);
    assert.deepEqual(f2.checks, r.checks);
    await assert.rejects(patel.fig2({ steps: 10 } as never), /local-rank\.fig2: unknown option "steps" \(steps is an option of local-rank, not read by this figure\)/);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
});
