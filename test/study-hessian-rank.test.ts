import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hessianRank } from "../src/experiments/hessian-rank";
import { spectrumGaps, problemFor } from "../src/experiments/hessian-rank/measure";
import * as nets from "../src/nets";
import * as cv from "../src/curvature";
import { eigvalsh, rank, Matrix } from "../src/linalg";
import { linearTeacher } from "../src/data";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-hr-"));

describe("Singh et al.: spectrum gap statistics", () => {
  it("find a drop where the spectrum has one, wherever the prediction is, and ignore the float64 noise floor", () => {
    // 40 eigenvalues decaying slowly, then a 1e-6 drop to 30 more, then rounding noise
    const ev = [...Array.from({ length: 40 }, (_, i) => 0.97 ** i), ...Array.from({ length: 30 }, (_, i) => -1e-6 * 0.9 ** i), ...Array.from({ length: 20 }, (_, i) => 1e-18 * (i + 1))];
    const at = spectrumGaps(ev, 40);
    assert.equal(at.largestGapIndex, 40);
    assert.ok(at.gapAtF > 1e4);
    assert.equal(at.aboveFloor, 70);
    const off = spectrumGaps(ev, 55); // a wrong prediction: small gap there, the largest gap stays at 40
    assert.ok(off.gapAtF < 1.2);
    assert.equal(off.largestGapIndex, 40);
    assert.ok(Math.abs(off.reconstructionAtF - cv.reconstructionErrors(ev)[55]) < 1e-15);
    // a smooth spectrum: no index has a gap ≥ 10
    const smooth = spectrumGaps(Array.from({ length: 50 }, (_, i) => 0.8 ** i), 20);
    assert.ok(smooth.gapAtF < 1.3 && smooth.largestGap < 1.3);
  });
});

describe("Singh et al.: bounds that hold for any weights (formerly Fig. 5's 'ranks stay below the bounds')", () => {
  it("rank H_o ≤ Cor. 4, rank H_f ≤ Cor. 6 and rank H ≤ rank H_o + rank H_f for trained-looking, random and rank-deficient weights", () => {
    const data = linearTeacher({ n: 30, dIn: 6, dOut: 4, seed: 1 });
    const spec: nets.NetSpec = { sizes: [6, 7, 5, 4], activation: "linear", bias: false };
    const f = cv.linearRankFormulas({ sizes: spec.sizes, r: rank(data.X), s: 4 });
    for (const seed of [0, 1, 2]) {
      const params = nets.initParams(spec, { seed, init: "glorot-normal" });
      if (seed === 2) {
        // make W2 rank 1: every row a multiple of the first
        const l = nets.layout(spec)[1];
        for (let i = 1; i < l.rows; i++) for (let j = 0; j < l.cols; j++) params[l.wOffset + i * l.cols + j] = (i + 1) * params[l.wOffset + j];
      }
      const res = cv.linearHessianClosedForm({ spec, params, X: data.X, Y: data.Y });
      const evH = eigvalsh(res.H!);
      const tol = cv.summarizeSpectrum(evH).tolerance;
      const [H, Ho, Hf] = [evH, eigvalsh(res.Ho!), eigvalsh(res.Hf!)].map((e) => cv.rankAt(e, tol));
      assert.ok(Ho <= f.Ho && Hf <= f.Hf! && H <= Ho + Hf, `seed ${seed}: H ${H}, H_o ${Ho} ≤ ${f.Ho}, H_f ${Hf} ≤ ${f.Hf}`);
    }
  });

  it("Theorem 12 (bias, centred inputs) is a bound: rank H_o ≤ q(r + K − q) + K for random networks", () => {
    for (const [hidden, seed] of [[[5, 4], 0], [[3, 6], 1], [[8, 8], 2]] as [number[], number][]) {
      const { problem } = problemFor({ hidden, d: 16, K: 4, n: 24, activation: "linear", bias: true, loss: "mse", init: "glorot-normal", seed, source: "mnist", inputs: "standardized", parts: ["Ho"] });
      const { Ho } = cv.hessian(problem, { parts: ["Ho"] });
      const r = rank(problem.X as Matrix);
      const f = cv.linearRankFormulas({ sizes: problem.spec.sizes, r, bias: true });
      assert.ok(cv.spectrumOf(Ho!).rank <= f.Ho, `hidden ${hidden}`);
    }
  });
});

describe("study: Singh et al. Hessian rank (quick preset)", () => {
  it("software checks hold, every claim is assessed, the exact linear formulas reproduce; a rerun is served from cache in < 100 ms", { timeout: 300000 }, async () => {
    const dir = tmp();
    const r = await hessianRank({ preset: "quick", cacheDir: dir });
    for (const c of r.checks) assert.ok(c.pass, `${c.name}: ${c.detail}`);
    assert.equal(r.figures.length, 11);
    assert.equal(r.ledger.length, 12);
    for (const e of r.ledger) assert.notEqual(e.verdict, "not assessed", `${e.id}: ${e.detail}`);
    // exact statements of the paper for linear networks (a failure here means a bug in the Hessian or the formulas)
    for (const id of ["fact7-rank-H", "cor4-rank-Ho", "cor6-rank-Hf", "thm12-Ho-bias", "fact13-H-bias", "fig5-Hf-vanishes"]) assert.equal(r.claim(id).verdict, "reproduced", `${id}: ${r.claim(id).detail}`);
    assert.ok(!Object.keys(r.summary).some((k) => /best/.test(k)), "no best-τ rank in the summary");
    for (const k of ["fig1", "fig2a", "fig2bc", "fig6", "fig3", "fig3Regime", "fig4", "fig5"]) assert.ok((r.data.timings ?? {})[k] >= 0, `timing ${k}`);
    const again = await hessianRank({ preset: "quick", cacheDir: dir });
    assert.equal(again.cached, true, "the same options are served from the cache");
    assert.deepEqual(again.ledger, r.ledger);
    await assert.rejects(hessianRank({ widths: [0, 4] }), /option widths must be a list of at least 1 integers ≥ 1; got \[0,4\]/);
    await assert.rejects(hessianRank({ downscale: "bilinear" as never }), /option downscale must be one of "nearest", "area"; got "bilinear"/);
    await assert.rejects(hessianRank({ fig3Scales: [0, 1] }), /option fig3Scales/);
    await assert.rejects(hessianRank({ source: "imagenet" as never }), /option source must be one of "auto", "cifar10", "fashion-mnist", "mnist"; got "imagenet"/);
  });
});
