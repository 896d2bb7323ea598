import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hessianRank, singh } from "../../src/experiments/hessian-rank";
import {
  spectrumGaps,
  problemFor,
  measureBlocks,
  measureRelu,
  MeasureArgs,
  rankAtRelative,
} from "../../src/experiments/hessian-rank/measure";
import { theorem5Blocks, outerBlockRanks } from "../../src/experiments/hessian-rank/thm5-column-blocks";
import { theorem9Bound, fact11Bound } from "../../src/experiments/hessian-rank/thm9-relu-bound";
import { cor10Run } from "../../src/experiments/hessian-rank/cor10-relu-minimum";
import { CLAIMS } from "../../src/experiments/hessian-rank/claims";
import * as nets from "../../src/nets";
import * as cv from "../../src/curvature";
import { eigvalsh, rank, Matrix } from "../../src/linalg";
import { linearTeacher } from "../../src/data";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-hr-"));

describe("Singh et al.: spectrum gap statistics", () => {
  it("find a drop where the spectrum has one, wherever the prediction is, and ignore the float64 noise floor", () => {
    // 40 eigenvalues decaying slowly, then a 1e-6 drop to 30 more, then rounding noise
    const ev = [
      ...Array.from({ length: 40 }, (_, i) => 0.97 ** i),
      ...Array.from({ length: 30 }, (_, i) => -1e-6 * 0.9 ** i),
      ...Array.from({ length: 20 }, (_, i) => 1e-18 * (i + 1)),
    ];
    const at = spectrumGaps(ev, 40);
    assert.equal(at.largestGapIndex, 40);
    assert.ok(at.gapAtF > 1e4);
    assert.equal(at.aboveFloor, 70);
    const off = spectrumGaps(ev, 55); // a wrong prediction: small gap there, the largest gap stays at 40
    assert.ok(off.gapAtF < 1.2);
    assert.equal(off.largestGapIndex, 40);
    assert.ok(Math.abs(off.reconstructionAtF - cv.reconstructionErrors(ev)[55]) < 1e-15);
    // a smooth spectrum: no index has a gap ≥ 10
    const smooth = spectrumGaps(
      Array.from({ length: 50 }, (_, i) => 0.8 ** i),
      20,
    );
    assert.ok(smooth.gapAtF < 1.3 && smooth.largestGap < 1.3);
  });
});

describe("Singh et al.: bounds that hold for any weights (formerly Fig. 5's 'ranks stay below the bounds')", () => {
  it(
    "rank H_o ≤ Cor. 4, rank H_f ≤ Cor. 6 and rank H ≤ rank H_o + rank H_f for " +
      "trained-looking, random and rank-deficient weights",
    () => {
      const data = linearTeacher({ n: 30, dIn: 6, dOut: 4, seed: 1 });
      const spec: nets.NetSpec = { sizes: [6, 7, 5, 4], activation: "linear", bias: false };
      const f = cv.linearRankFormulas({ sizes: spec.sizes, r: rank(data.X), s: 4 });
      for (const seed of [0, 1, 2]) {
        const params = nets.initParams(spec, { seed, init: "glorot-normal" });
        if (seed === 2) {
          // make W2 rank 1: every row a multiple of the first
          const l = nets.layout(spec)[1];
          for (let i = 1; i < l.rows; i++)
            for (let j = 0; j < l.cols; j++) params[l.wOffset + i * l.cols + j] = (i + 1) * params[l.wOffset + j];
        }
        const res = cv.linearHessianClosedForm({ spec, params, X: data.X, Y: data.Y });
        const evH = eigvalsh(res.H!);
        const tol = cv.summarizeSpectrum(evH).tolerance;
        const [H, Ho, Hf] = [evH, eigvalsh(res.Ho!), eigvalsh(res.Hf!)].map((e) => cv.rankAt(e, tol));
        assert.ok(
          Ho <= f.Ho && Hf <= f.Hf! && H <= Ho + Hf,
          `seed ${seed}: H ${H}, H_o ${Ho} ≤ ${f.Ho}, H_f ${Hf} ≤ ${f.Hf}`,
        );
      }
    },
  );

  it("Theorem 12 (bias, centred inputs) is a bound: rank H_o ≤ q(r + K − q) + K for random networks", () => {
    for (const [hidden, seed] of [
      [[5, 4], 0],
      [[3, 6], 1],
      [[8, 8], 2],
    ] as [number[], number][]) {
      const { problem } = problemFor({
        hidden,
        d: 16,
        K: 4,
        n: 24,
        activation: "linear",
        bias: true,
        loss: "mse",
        init: "glorot-normal",
        seed,
        source: "mnist",
        inputs: "standardized",
        parts: ["Ho"],
      });
      const { Ho } = cv.hessian(problem, { parts: ["Ho"] });
      const r = rank(problem.X as Matrix);
      const f = cv.linearRankFormulas({ sizes: problem.spec.sizes, r, bias: true });
      assert.ok(cv.spectrumOf(Ho!).rank <= f.Ho, `hidden ${hidden}`);
    }
  });
});

describe("Singh et al.: Theorem 5 column blocks, against the back-propagated Hessian", () => {
  it("Theorem 5 and the H_o block ranks by hand for [6, 5, 3, 4] (q̂ = 3), and measured on the autodiff H_f", () => {
    // l = 1: q̂M_1 + q̂s − q̂² = 15 + 12 − 9; l = 2: q̂M_1 + q̂M_2 − q̂² = 15 + 9 − 9; l = 3: q̂M_2 + q̂s − q̂² = 9 +
    // 12 − 9
    assert.deepEqual(theorem5Blocks([6, 5, 3, 4], 6, 4), [18, 15, 12]);
    // bottleneck q̂ = 2: l = 1: 2·7 + 2·3 − 4; l = 2: 2·7 + 2·2 − 4; l = 3: 2·2 + 2·3 − 4
    assert.deepEqual(theorem5Blocks([6, 7, 2, 3], 6, 3), [16, 14, 6]);
    // H_o: min(K, M_l..M_(L−1)) · min(r, M_1..M_(l−1)): 3·6, 3·5, 4·3; and 2·6, 2·6, 3·2
    assert.deepEqual(outerBlockRanks([6, 5, 3, 4], 6), [18, 15, 12]);
    assert.deepEqual(outerBlockRanks([6, 7, 2, 3], 6), [12, 12, 6]);
    assert.throws(() => theorem5Blocks([6, 4], 6, 4), /at least one hidden layer/);
    const data = linearTeacher({ n: 30, dIn: 6, dOut: 4, seed: 3 });
    const spec: nets.NetSpec = { sizes: [6, 5, 3, 4], activation: "linear", bias: false };
    const problem = { spec, params: nets.initParams(spec, { seed: 4, init: "glorot-normal" }), X: data.X, Y: data.Y };
    const { Hf, Ho } = cv.hessian(problem, { parts: ["Ho", "Hf"] });
    const rows = Array.from({ length: Hf!.rows }, (_, i) => i);
    const hf = [1, 2, 3].map((l) => rank(cv.denseBlock(Hf!, rows, cv.layerIndices(spec, l))));
    const ho = [1, 2, 3].map((l) => rank(cv.denseBlock(Ho!, rows, cv.layerIndices(spec, l))));
    assert.equal(rank(cv.linearStatistics(problem).omega), 4);
    assert.deepEqual(hf, [18, 15, 12]);
    assert.deepEqual(ho, [18, 15, 12]);
    // block-column independence: the blocks' ranks add up to rank H_f = Cor. 6 = 2·3·8 + 2·3·4 − 3·9
    assert.equal(cv.spectrumOf(Hf!).rank, 45);
  });

  it(
    "measureBlocks (closed-form H_f for linear nets) gives the block ranks of the " +
      "back-propagated H_f, for linear and ReLU nets",
    () => {
      for (const activation of ["linear", "relu"] as const) {
        const a: MeasureArgs = {
          hidden: [5, 3, 6],
          d: 16,
          K: 4,
          n: 40,
          activation,
          bias: false,
          loss: "mse",
          init: "glorot-normal",
          seed: 1,
          source: "mnist",
          inputs: "standardized",
          downscale: "nearest",
          parts: ["Hf"],
        };
        const m = measureBlocks(a);
        const { problem } = problemFor(a);
        const { Hf } = cv.hessian(problem, { parts: ["Hf"] });
        const rows = Array.from({ length: Hf!.rows }, (_, i) => i);
        const direct = [1, 2, 3, 4].map((l) => rank(cv.denseBlock(Hf!, rows, cv.layerIndices(problem.spec, l))));
        assert.deepEqual(m.HfBlocks, direct, activation);
        assert.equal(m.Hf, cv.spectrumOf(Hf!).rank, activation);
        if (activation === "linear") {
          assert.equal(m.r, rank(problem.X));
          // q̂ = min(r, 5, 3, 6, 4, s) = 3 with s = 4: 3·5 + 3·4 − 9, 3·5 + 3·3 − 9, 3·3 + 3·6 − 9, 3·6 + 3·4 − 9
          assert.equal(m.s, 4);
          assert.deepEqual(m.HfBlocks, [18, 15, 18, 21]);
        } else assert.deepEqual(m.HoBlocks, [], "H_o blocks only for linear nets");
      }
    },
  );
});

describe("Singh et al.: Theorem 9 / Fact 11 on ReLU networks", () => {
  it(
    "the bounds by hand; rank H_o = rank of the parameter Jacobian; the rescaling directions " +
      "are null vectors; A2 counted from scratch",
    () => {
      assert.equal(theorem9Bound(6, 5, 4), 6 * 5 + 5 * 4 - 5);
      // p = 6·5 + 5·4 = 50, minus M_1(d − r) = 5·2 and Σ M_i = 5
      assert.equal(fact11Bound([6, 5, 4], 4), 35);
      assert.equal(fact11Bound([6, 5, 4], 6), theorem9Bound(6, 5, 4));
      // [16, 7, 3, 4]: p = 112 + 21 + 12 = 145, minus 7·(16 − 12) and 7 + 3
      assert.equal(fact11Bound([16, 7, 3, 4], 12), 145 - 28 - 10);
      for (const n of [24, 80]) {
        const a: MeasureArgs = {
          hidden: [7],
          d: 16,
          K: 4,
          n,
          activation: "relu",
          bias: false,
          loss: "mse",
          init: "glorot-normal",
          seed: 2,
          source: "mnist",
          inputs: "standardized",
          downscale: "nearest",
          parts: ["Ho"],
        };
        const m = measureRelu(a);
        const { problem } = problemFor(a);
        const J = cv.parameterJacobian(problem);
        assert.equal(m.Ho, rank(J), `N = ${n}: rank H_o = rank J`);
        const { Ho } = cv.hessian(problem, { parts: ["Ho"] });
        // neuron j's rescaling (w1_j → c·w1_j, w2_:j → w2_:j / c) is a null direction of H_o
        const [l1, l2] = nets.layout(problem.spec);
        const X = problem.X;
        const d = X.cols;
        let ranks = 0;
        let a2 = 0;
        for (let j = 0; j < 7; j++) {
          const v = new Float64Array(m.p);
          for (let i = 0; i < d; i++) v[l1.wOffset + j * d + i] = problem.params[l1.wOffset + j * d + i];
          for (let c = 0; c < 4; c++) v[l2.wOffset + c * 7 + j] = -problem.params[l2.wOffset + c * 7 + j];
          const Hv = Array.from({ length: m.p }, (_, i) =>
            v.reduce((acc, vk, k) => acc + Ho!.data[i * m.p + k] * vk, 0),
          );
          const scale = Math.max(...Array.from(Ho!.data, Math.abs));
          assert.ok(Math.max(...Hv.map(Math.abs)) < 1e-10 * scale, `neuron ${j}: rescaling is a null direction`);
          // active samples of neuron j and the rank of their inputs (A2), from the weights directly
          const act: number[] = [];
          for (let s = 0; s < X.rows; s++) {
            let z = 0;
            for (let i = 0; i < d; i++) z += problem.params[l1.wOffset + j * d + i] * X.data[s * d + i];
            if (z > 0) act.push(s);
          }
          const XA = new Matrix(
            act.length,
            d,
            Float64Array.from(act.flatMap((s) => Array.from(X.data.subarray(s * d, (s + 1) * d)))),
          );
          const rj = act.length ? rank(XA) : 0;
          assert.equal(m.firstLayerRanks[j], rj, `neuron ${j}: rank of its weighted covariance`);
          ranks += rj;
          if (act.length && rj === m.r) a2++;
        }
        assert.equal(m.a2, a2);
        assert.ok(m.Ho <= theorem9Bound(m.r, m.active[0], 4), `N = ${n}: Theorem 9`);
        // our count for one hidden layer: Σ_j rk E[α_j xxᵀ] + M̃(K − 1)
        assert.equal(m.Ho, ranks + m.active[0] * 3, `N = ${n}`);
      }
    },
  );
});

describe("Singh et al.: rank/p rules (Fig. 2c, depth)", () => {
  it(
    "Fig. 2c is judged from width min(r, K) on; a rise there or a fall that does not flatten " + "changes the verdict",
    () => {
      const c = CLAIMS["fig2c-rank-over-p-falls"];
      const x = [2, 4, 8, 12, 16, 20, 24];
      // rising below the judged widths is reported, not judged
      assert.equal(
        c.assess({ what: "t", x, ratio: [0.97, 0.974, 0.976, 0.87, 0.74, 0.65, 0.59], judgedFrom: 10 }).verdict,
        "reproduced",
      );
      assert.equal(
        c.assess({ what: "t", x, ratio: [0.97, 0.974, 0.976, 0.87, 0.74, 0.65, 0.59] }).verdict,
        "not reproduced",
      );
      // a straight fall does not flatten: (a) only
      assert.equal(c.assess({ what: "t", x, ratio: [1, 1, 1, 0.9, 0.8, 0.7, 0.6], judgedFrom: 10 }).verdict, "partly");
      assert.equal(c.assess({ what: "t", x: [12, 16], ratio: [0.9, 0.8] }).verdict, "not assessed");
      const dpt = CLAIMS["sec8-depth-rank-over-p"];
      assert.equal(dpt.assess({ what: "t", x: [1, 2, 3], ratio: [0.9, 0.91, 0.85] }).verdict, "partly");
    },
  );

  it(
    "the depth sweep's ranks equal Fact 7 written out, 2qM − Lq² + q(r + K), with p = dW + (n " + "− 1)W² + WK",
    async () => {
      const dir = tmp();
      const W = 6;
      const r0 = await singh.depth({
        depthLayers: [3, 1, 2],
        depthWidth: W,
        depthD: 16,
        depthN: 30,
        K: 4,
        cacheDir: dir,
        workers: 1,
      });
      const rows = r0.tables[0].rows;
      assert.deepEqual(
        rows.map((row) => row[0]),
        [1, 2, 3],
        "sorted by depth",
      );
      for (const [n, r, p, rankH, fact7] of rows as number[][]) {
        const L = n + 1;
        const q = Math.min(r, W, 4);
        assert.equal(p, 16 * W + (n - 1) * W * W + W * 4);
        assert.equal(fact7, 2 * q * n * W - L * q * q + q * (r + 4));
        assert.equal(rankH, fact7, `${n} hidden layers`);
      }
      assert.equal(r0.claim("s91-depth-fact7").verdict, "reproduced");
      await assert.rejects(singh.depth({ depthD: 15 }), /option depthD must be a square integer in \[1, 3072\]/);
    },
  );

  it(
    "appendix: linear + cross-entropy uses K − 1 in Fact 7; non-linear configurations feed " + "the bulk claim",
    async () => {
      const dir = tmp();
      const res = await singh.appendix({
        appendixActivations: ["linear", "tanh"],
        appendixLosses: ["ce", "mse"],
        appendixDepths: [1],
        appendixWidth: 6,
        appendixN: 30,
        d: 16,
        K: 4,
        cacheDir: dir,
        workers: 1,
      });
      const rows = res.tables[0].rows;
      assert.equal(rows.length, 4);
      for (const [act, loss, n, r, p, f, rankH] of rows as [string, string, number, number, number, number, number][]) {
        const K = loss === "ce" ? 3 : 4;
        const q = Math.min(r, 6, K);
        assert.equal(p, 16 * 6 + 6 * 4);
        assert.equal(f, 2 * q * 6 * n - (n + 1) * q * q + q * (r + K), `${act} ${loss}`);
        if (act === "linear") assert.equal(rankH, f, `linear ${loss}`);
      }
      assert.equal(res.claim("s51-losses-linear").verdict, "reproduced");
      assert.notEqual(res.claim("s94-nonlinear-bulk").verdict, "not assessed");
      await assert.rejects(
        singh.appendix({ appendixLosses: ["mse", "hinge" as never] }),
        /option appendixLosses must be a non-empty list without repeats \(each item one of "mse", "ce", "logcosh"\)/,
      );
      await assert.rejects(
        singh.thm5({ thm5Hidden: [[3], []] }),
        /option thm5Hidden must be a non-empty list \(each item a non-empty list \(each item an integer ≥ 1\)\)/,
      );
    },
  );
});

describe("study: Singh et al. Hessian rank (quick preset)", () => {
  it(
    "software checks hold, every claim is assessed, the exact linear formulas reproduce; a " +
      "rerun is served from cache in < 100 ms",
    { timeout: 300000 },
    async () => {
      const dir = tmp();
      const r = await hessianRank({ preset: "quick", cacheDir: dir });
      for (const c of r.checks) assert.ok(c.pass, `${c.name}: ${c.detail}`);
      assert.equal(r.figures.length, 19);
      assert.equal(r.ledger.length, 23);
      for (const e of r.ledger) assert.notEqual(e.verdict, "not assessed", `${e.id}: ${e.detail}`);
      // exact statements of the paper for linear networks (a failure here means a bug in the Hessian or the formulas)
      for (const id of [
        "fact7-rank-H",
        "cor4-rank-Ho",
        "cor6-rank-Hf",
        "thm12-Ho-bias",
        "fact13-H-bias",
        "fig5-Hf-vanishes",
        "thm5-column-blocks",
        "s91-depth-fact7",
        "s51-losses-linear",
        "cor10-rank-H-at-minimum",
      ])
        assert.equal(r.claim(id).verdict, "reproduced", `${id}: ${r.claim(id).detail}`);
      assert.ok(!Object.keys(r.summary).some((k) => /best/.test(k)), "no best-τ rank in the summary");
      assert.deepEqual(
        Object.keys(singh).filter((k) => k !== "study"),
        [
          "fig1",
          "thm5",
          "fig2a",
          "fig2bc",
          "depth",
          "fig6",
          "fig3",
          "fig3Regime",
          "fig4",
          "fig5",
          "thm9",
          "cor10",
          "appendix",
        ],
      );
      for (const k of [
        "fig1",
        "thm5",
        "fig2a",
        "fig2bc",
        "depth",
        "fig6",
        "fig3",
        "fig3Regime",
        "fig4",
        "fig5",
        "thm9",
        "cor10",
        "appendix",
      ])
        assert.ok((r.data.timings ?? {})[k] >= 0, `timing ${k}`);
      const again = await hessianRank({ preset: "quick", cacheDir: dir });
      assert.equal(again.cached, true, "the same options are served from the cache");
      assert.deepEqual(again.ledger, r.ledger);
      await assert.rejects(
        hessianRank({ widths: [0, 4] }),
        /option widths must be a non-empty list \(each item an integer ≥ 1\); got \[0,4\]/,
      );
      await assert.rejects(
        hessianRank({ downscale: "bilinear" as never }),
        /option downscale must be one of "nearest", "area"; got "bilinear"/,
      );
      await assert.rejects(hessianRank({ fig3Scales: [0, 1] }), /option fig3Scales/);
      await assert.rejects(
        hessianRank({ source: "imagenet" as never }),
        /option source must be one of "auto", "cifar10", "fashion-mnist", "mnist"; got "imagenet"/,
      );
    },
  );
});

describe("Theorem 9 / Fact 11 rules: bounds implied by the row count N·K are reported, not judged", () => {
  // the numbers of the 1367728 record's [30, 20] and [30] sweeps (K = 10): N = 50 … 400
  const pt = (layers: number, N: number, rank: number, bound: number, refined: number | null) => ({
    label: `N=${N}`,
    layers,
    N,
    d: 64,
    r: 62,
    rank,
    rows: 10 * N,
    bound,
    dead: 0,
    active1: 30,
    a2: 25,
    refined,
  });
  it("Fact 11 is judged only where N·K exceeds the bound; a miss there says not reproduced", () => {
    const implied = [pt(2, 50, 500, 2220, null), pt(2, 100, 1000, 2610, null), pt(2, 200, 1943, 2610, null)];
    const onlyImplied = CLAIMS["fact11-relu-Ho-bound"].assess({ points: implied });
    assert.equal(onlyImplied.verdict, "not assessed");
    const held = CLAIMS["fact11-relu-Ho-bound"].assess({ points: [...implied, pt(2, 400, 2608, 2640, null)] });
    assert.equal(held.verdict, "reproduced");
    assert.equal(held.numbers.configurations, 1);
    assert.equal(held.numbers["implied by N·K (not judged)"], 3);
    assert.equal(
      CLAIMS["fact11-relu-Ho-bound"].assess({ points: [...implied, pt(2, 400, 2641, 2640, null)] }).verdict,
      "not reproduced",
    );
  });
  it("the A2-equality count is judged only where it is below N·K", () => {
    const capped = [pt(1, 50, 500, 1740, 1024), pt(1, 100, 1000, 2130, 1803), pt(1, 200, 2000, 2130, 2116)];
    const a = CLAIMS["thm9-attained-iff-A2"].assess({ points: [...capped, pt(1, 400, 2153, 2160, 2153)] });
    assert.equal(a.verdict, "reproduced");
    assert.equal(a.numbers.configurations, 1);
    assert.equal(a.numbers["count ≥ N·K (not judged)"], 3);
    assert.equal(
      CLAIMS["thm9-attained-iff-A2"].assess({ points: [...capped, pt(1, 400, 2150, 2160, 2153)] }).verdict,
      "not reproduced",
    );
    assert.equal(CLAIMS["thm9-attained-iff-A2"].assess({ points: capped }).verdict, "not assessed");
  });
});

describe("Corollary 10: ReLU networks trained to a minimum", () => {
  it(
    "each run reaches float64 zero loss; H_f's rank is 0 there and rank H = rank H_o, both " +
      "checked against the dense Hessian's own eigenvalues",
    { timeout: 120000 },
    async () => {
      const run = await cor10Run({
        K: 4,
        init: "glorot-normal",
        cor10Activation: "relu",
        cor10D: 10,
        cor10R: 4,
        cor10Hidden: 6,
        cor10Teacher: 2,
        cor10N: 12,
        cor10Steps: 300,
        cor10Lr: 0.05,
        cor10LmSteps: 40,
        seed: 0,
      });
      const first = run.checkpoints[0];
      const last = run.checkpoints[run.checkpoints.length - 1];
      assert.equal(run.r, 4, "inputs Z·P have rank r");
      assert.ok(last.loss < 1e-26 * first.loss, `loss ${first.loss} → ${last.loss}`);
      assert.equal(last.Hf, 0);
      assert.equal(last.H, last.Ho);
      // the bound is not met before training (so reaching it is not by construction): rank H at init exceeds it
      assert.ok(first.H > first.bound, `rank H ${first.H} at init vs bound ${first.bound}`);
      assert.ok(last.H <= last.bound);
    },
  );
  it("the rule counts only converged runs whose bound is below N·K", () => {
    const rec = (finalLoss: number, H: number, bound: number, rows = 600) => ({
      label: "s",
      initialLoss: 1,
      finalLoss,
      initial: { H: 680, Ho: 340, Hf: 600 },
      final: { H, Ho: H, Hf: 0 },
      bound,
      initialBound: bound,
      rows,
      p: 840,
    });
    const rule = CLAIMS["cor10-rank-H-at-minimum"].assess;
    assert.equal(rule({ runs: [rec(1e-31, 300, 340), rec(1e-5, 500, 340)] }).verdict, "reproduced");
    assert.equal(rule({ runs: [rec(1e-31, 341, 340), rec(1e-31, 345, 340)] }).verdict, "not reproduced");
    assert.equal(rule({ runs: [rec(1e-5, 300, 340)] }).verdict, "not assessed");
    assert.equal(
      rule({ runs: [rec(1e-31, 300, 700)] }).verdict,
      "not assessed",
      "bound ≥ N·K is implied by the row count",
    );
  });
});

describe("hessian-rank: inputs in general position, bias inputs, numerical ranks at thresholds (issue 39)", () => {
  const base = {
    d: 16,
    K: 3,
    init: "glorot-normal" as const,
    source: "mnist" as const,
    inputs: "raw" as const,
    downscale: "nearest" as const,
    seed: 0,
    loss: "mse" as const,
    parts: ["Ho" as const],
  };
  it("Gaussian inputs: full rank r = d, and A2 holds for every active neuron when each is active on ≫ d samples", () => {
    // a bias-free ReLU neuron is active on about half of N Gaussian inputs: at N = 160 about 80 ≫ d = 16, so each
    // neuron's active inputs span R^d (at N just above 2d a neuron active on fewer than d inputs can miss A2)
    const m = measureRelu({ ...base, hidden: [6], n: 160, activation: "relu", bias: false, inputKind: "gaussian" });
    assert.equal(m.r, 16);
    assert.ok(m.active[0] >= 1);
    assert.equal(m.a2, m.active[0]);
    // the images of the same size: 4×4 nearest-downscaled MNIST has always-zero pixels, so r < d
    const img = measureRelu({ ...base, hidden: [6], n: 40, activation: "relu", bias: false });
    assert.ok(img.r < 16, `image rank ${img.r}`);
  });
  it('bias networks centre raw inputs by default (A3); biasInputs "as-given" keeps them raw', () => {
    const a = { ...base, hidden: [4], n: 30, activation: "linear" as const, bias: true };
    const centred = problemFor(a).problem.X;
    const raw = problemFor({ ...a, biasInputs: "as-given" }).problem.X;
    const colMean = (X: Matrix, j: number) => {
      let s = 0;
      for (let i = 0; i < X.rows; i++) s += X.get(i, j);
      return s / X.rows;
    };
    assert.ok(Array.from({ length: 16 }, (_, j) => Math.abs(colMean(centred, j))).every((v) => v < 1e-12));
    assert.ok(Array.from({ length: 16 }, (_, j) => colMean(raw, j)).some((v) => v > 0.05));
    // raw pixels lie in [0, 1]: the inputs are the images as given
    assert.ok(raw.data.every((v) => v >= 0 && v <= 1));
  });
  it("numerical rank at a relative threshold counts |λ| > t·max|λ|", () => {
    const ev = [10, -5, 1e-2, -2e-3, 5e-4, 1e-9];
    assert.equal(rankAtRelative(ev, 1e-3), 2); // |λ| > 1e-2: 10 and −5 (1e-2 itself is not above)
    assert.equal(rankAtRelative(ev, 1e-4), 4); // |λ| > 1e-3: and 1e-2, −2e-3
    assert.equal(rankAtRelative([0, 0], 1e-3), 0);
  });
});
