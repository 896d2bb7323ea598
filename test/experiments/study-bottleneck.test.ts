import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bottleneck, jacot } from "../../src/experiments/bottleneck";
import { depthSweep } from "../../src/experiments/bottleneck/fig1-depth-sweep";
import { symmetryLearning } from "../../src/experiments/bottleneck/fig2-symmetry-learning";
import {
  CLAIMS,
  fisherOneSided,
  trendExactP,
  stratifiedTrendExactP,
  smallestStratifiedP,
  strataOf,
  fewestAbove,
  mostBelow,
  RunFacts,
  DepthGroup,
} from "../../src/experiments/bottleneck/claims";
import {
  mode,
  weightAndBiasSqNorms,
  homogeneityError,
  balanceError,
  layerSqNorms,
  runBnRank,
} from "../../src/experiments/bottleneck/run";
import { taskSeedOf } from "../../src/experiments/bottleneck/fig1-depth-sweep";
import { binomialUpperTail } from "../../src/report/ledger";
import { latentData } from "../../src/data";
import { trainFloat64 } from "../../src/training";
import {
  symmetryTask,
  gdStep,
  summaryStats,
  taskLoss,
  vectorAt,
  symmetryData,
  gdPath,
} from "../../src/experiments/bottleneck/symmetry";
import {
  segmentsCross,
  countCrossings,
  knnR2,
  trimNearCommonEnd,
  Point,
} from "../../src/experiments/bottleneck/analysis";
import { weightSpectra, representationSpectra, dataWeightSpectra } from "../../src/metrics";
import * as nets from "../../src/nets";
import { Matrix, svdvals, rankOfSpectrum, eigh, gemm } from "../../src/linalg";
import { pcaFit } from "../../src/data";
import { Rng } from "../../src/util/random";

/** The ledger's verdict for a rule that measured but cannot reach its level. */
const INCONCLUSIVE = "inconclusive";

describe("study: Jacot bottleneck structure", () => {
  it(
    "the symmetry task: with E = 0, GD on w follows the closed-form recursion of (a, b) and L " +
      "= ½(1 − 2a² + (a² + b²)²)",
    () => {
      const t = symmetryTask({ d: 7, T: 5, eta: 0.05, noise: 0, seed: 3 });
      const rng = new Rng(4);
      for (const [r, phi] of [
        [0.4, 0.3],
        [1.2, 2.0],
        [1.5, 1.2],
      ]) {
        let w = vectorAt(t, r, phi, rng);
        let { a, b } = summaryStats(t, w);
        assert.ok(Math.abs(a - r * Math.cos(phi)) < 1e-12 && Math.abs(b - r * Math.sin(phi)) < 1e-12);
        for (let s = 0; s < 40; s++) {
          w = gdStep(t, w);
          [a, b] = [a * (1 + 2 * 0.05 * (1 - a * a - b * b)), b * (1 - 2 * 0.05 * (a * a + b * b))];
          const st = summaryStats(t, w);
          assert.ok(
            Math.abs(st.a - a) < 1e-12 && Math.abs(st.b - b) < 1e-12,
            `step ${s}: (${st.a}, ${st.b}) vs (${a}, ${b})`,
          );
          assert.ok(Math.abs(taskLoss(t, w) - 0.5 * (1 - 2 * a * a + (a * a + b * b) ** 2)) < 1e-12);
        }
      }
      // targets are the losses of the next T steps; paths stop on reaching |a| = 1 ± tol
      const data = symmetryData(t, { n: 4, rMin: 0.2, rMax: 1.5, seed: 1 });
      let w: Float64Array = data.X.row(2).slice();
      for (let k = 0; k < 5; k++) {
        w = gdStep(t, w);
        assert.ok(Math.abs(data.Y.get(2, k) - taskLoss(t, w)) < 1e-14);
      }
      const path = gdPath(t, vectorAt(t, 1.3, 0.8, rng), { eta: 0.01, every: 5, maxSteps: 100000, tol: 0.05 });
      assert.ok(Math.abs(Math.abs(summaryStats(t, path[path.length - 1]).a) - 1) < 0.05);
      assert.ok(Math.abs(Math.abs(summaryStats(t, path[path.length - 2]).a) - 1) >= 0.05);
    },
  );

  it(
    "plane geometry: proper crossings, crossing counts, k-NN R² of a bijection and of a " +
      "non-injective map, cutting paths near their common end",
    () => {
      assert.equal(segmentsCross([0, 0], [1, 1], [0, 1], [1, 0]), true);
      assert.equal(segmentsCross([0, 0], [1, 1], [1, 1], [2, 0]), false, "touching at an endpoint");
      assert.equal(segmentsCross([0, 0], [1, 0], [0, 1], [1, 1]), false);
      assert.equal(
        countCrossings([
          [
            [0, 0],
            [2, 2],
            [4, 0],
          ],
          [
            [0, 1],
            [4, 1],
          ],
        ]),
        2,
      );
      const rng = new Rng(5);
      const pts = Array.from({ length: 300 }, () => [rng.uniform(), rng.uniform()]);
      const polar = pts.map(([x, y]) => [Math.hypot(x + 1, y), Math.atan2(y, x + 1)]); // a bijection of the unit square
      assert.ok(knnR2(pts, polar) > 0.97 && knnR2(polar, pts) > 0.97);
      const folded = pts.map(([x, y]) => [Math.abs(x - 0.5), y]); // not injective: x is not a function of it
      assert.ok(knnR2(pts, folded) > 0.97);
      assert.ok(knnR2(folded, pts) < 0.8, `x from |x − ½|: ${knnR2(folded, pts)}`);
      const paths: Point[][] = [
        [
          [0, 0],
          [0.5, 0.5],
          [0.98, 0.99],
          [1, 1],
        ],
        [
          [2, 0],
          [1.5, 0.5],
          [1.02, 0.99],
          [1, 1],
        ],
      ];
      const cut = trimNearCommonEnd(
        paths,
        [
          [0, 0],
          [2, 2],
        ],
        0.05,
      );
      assert.deepEqual(
        cut.map((p) => p.length),
        [3, 3],
      );
    },
  );

  it(
    "layer spectra: weight singular values, and a linear network's representation ranks " + "min(widths, data rank)",
    () => {
      const spec: nets.NetSpec = { sizes: [6, 8, 3, 5], activation: "linear", bias: true };
      const params = nets.initParams(spec, { seed: 2 });
      const w = weightSpectra(spec, params);
      w.forEach((sv, l) => assert.deepEqual(sv, Array.from(svdvals(nets.weight(spec, params, l + 1)))));
      // inputs on a 4-dim subspace of R^6
      const B = new Matrix(4, 6, new Rng(3).normals(24));
      const Zc = new Matrix(50, 4, new Rng(4).normals(200));
      const X = new Matrix(50, 6);
      for (let n = 0; n < 50; n++)
        for (let j = 0; j < 6; j++) for (let t = 0; t < 4; t++) X.data[n * 6 + j] += Zc.get(n, t) * B.get(t, j);
      const reps = representationSpectra(spec, params, X);
      assert.deepEqual(
        reps.map((r) => rankOfSpectrum(r.singularValues, 1e-10 * r.singularValues[0])),
        [4, 3, 3],
      );
      // explained variance agrees with PCA of the pre-activations computed independently
      const cache = nets.forward(spec, params, X);
      const p = pcaFit(cache.Z[1], 3);
      p.explainedVarianceRatio.forEach((v, i) =>
        assert.ok(
          Math.abs(
            reps[0].cumulativeVariance[i] - p.explainedVarianceRatio.slice(0, i + 1).reduce((a, b) => a + b, 0),
          ) < 1e-12,
          `PC ${i + 1}: ${v}`,
        ),
      );
      assert.equal(mode([3, 3, 4, 2]), 3);
      assert.equal(mode([2, 4]), 4, "ties go to the larger");
    },
  );

  it(
    "claim rules: Fisher's exact tail, and a run that does not fit turns its claims into 'not " + "assessed' naming it",
    () => {
      // P(X ≥ 4) with 4 of 4 vs 0 of 4: 1 / C(8, 4)
      assert.ok(Math.abs(fisherOneSided(4, 4, 0, 4) - 1 / 70) < 1e-12);
      assert.ok(Math.abs(fisherOneSided(3, 4, 1, 4) - 17 / 70) < 1e-12);
      assert.equal(fisherOneSided(0, 4, 4, 4), 1);
      const run = (seed: number, relMse: number): RunFacts => ({
        depth: 8,
        k: 2,
        seed,
        learnedRank: 2,
        relMse,
        paramSqNorm: 20,
      });
      const a = CLAIMS["rank-recovery"].assess({ k: 2, runs: [run(0, 0.01), run(1, 0.2)] });
      assert.equal(a.verdict, "not assessed");
      assert.match(a.detail, /L = 8, k = 2, seed 1 \(MSE\/var 0\.200\)/);
      assert.equal(
        CLAIMS["rank-recovery"].assess({ k: 2, runs: [run(0, 0.01), run(1, 0.01)] }).verdict,
        "reproduced",
        "2 of 2: Wilson low 0.34 > 0.25",
      );
      assert.equal(
        CLAIMS["rank-recovery"].assess({ k: 2, runs: [run(0, 0.01), { ...run(1, 0.01), learnedRank: 3 }] }).verdict,
        INCONCLUSIVE,
        "1 of 2: Wilson interval [0.09, 0.91] reaches across both bars",
      );
      // non-fitting runs are outside the under-estimation claim by its wording
      assert.equal(
        CLAIMS["no-fitting-underestimation"].assess({ runs: [run(0, 0.01), { ...run(1, 0.5), learnedRank: 1 }] })
          .verdict,
        "reproduced",
      );
    },
  );

  it(
    "recovery over every depth: the exact trend test against Fisher's test and against " +
      "enumeration; the rule's verdicts",
    () => {
      // two depths: the trend test is Fisher's one-sided exact test
      for (const [a, n1, c, n2] of [
        [4, 4, 0, 4],
        [3, 4, 1, 4],
        [2, 5, 2, 3],
        [0, 4, 4, 4],
      ]) {
        const p = trendExactP([
          { L: 4, n: n2, x: c },
          { L: 12, n: n1, x: a },
        ]);
        assert.ok(Math.abs(p - fisherOneSided(a, n1, c, n2)) < 1e-12, `${a}/${n1} vs ${c}/${n2}: ${p}`);
      }
      // three depths, against enumerating every choice of the K recovering runs among the N
      const groups = [
        { L: 4, n: 3, x: 0 },
        { L: 6, n: 2, x: 1 },
        { L: 9, n: 3, x: 2 },
      ];
      const depthOf = groups.flatMap((g) => new Array(g.n).fill(g.L) as number[]);
      const tObs = groups.reduce((a, g) => a + g.L * g.x, 0);
      let hits = 0;
      let all = 0;
      for (let mask = 0; mask < 1 << depthOf.length; mask++) {
        const chosen = depthOf.filter((_, i) => mask & (1 << i));
        if (chosen.length !== 3) continue;
        all++;
        if (chosen.reduce((a, b) => a + b, 0) >= tObs) hits++;
      }
      assert.equal(all, 56);
      assert.ok(Math.abs(trendExactP(groups) - hits / all) < 1e-12, `${trendExactP(groups)} vs ${hits}/${all}`);
      const c = CLAIMS["recovery-trend-over-depths"];
      assert.equal(c.assess(c.example).verdict, "reproduced");
      assert.equal(c.assess(c.counterexample).verdict, "not reproduced");
      const run = (depth: number, seed: number, learnedRank: number): RunFacts => ({
        depth,
        k: 2,
        seed,
        learnedRank,
        relMse: 0.01,
        paramSqNorm: 20,
      });
      const grid = (ranks: number[][]) => ranks.flatMap((rs, i) => rs.map((r, seed) => run(4 + 2 * i, seed, r)));
      const none = c.assess({
        k: 2,
        runs: grid([
          [3, 3, 3, 3],
          [3, 3, 3, 3],
          [3, 3, 3, 3],
          [3, 3, 3, 3],
        ]),
      });
      assert.equal(none.verdict, "not reproduced");
      assert.match(none.detail, /L=4: 0\/4, L=6: 0\/4, L=8: 0\/4, L=10: 0\/4; no run recovers k at any depth/);
      assert.equal(
        c.assess({
          k: 2,
          runs: grid([
            [3, 3, 3, 3],
            [3, 3, 3, 2],
            [3, 3, 3, 3],
            [3, 3, 3, 2],
          ]),
        }).verdict,
        INCONCLUSIVE,
        "seed 3 recovers at L = 6 and 10: rises, stratified p = 2/6",
      );
      assert.equal(
        c.assess({
          k: 2,
          runs: grid([
            [2, 2, 2, 2],
            [2, 2, 2, 2],
          ]),
        }).verdict,
        "not assessed",
        "every run recovers",
      );
      assert.match(
        c.assess({
          k: 2,
          runs: grid([
            [3, 3],
            [3, 3],
            [2, 2],
          ]),
        }).detail,
        /with 2 instances at 3 depths no outcome reaches p < 0\.05 \(smallest 0\.111\)/,
      );
    },
  );

  it(
    "paired tests by task instance: the stratified exact trend test against McNemar's binomial tail, against " +
      "trendExactP for one stratum and against enumerating every within-instance arrangement; its smallest p",
    () => {
      // two depths, one run each per instance: McNemar's exact test, P(Bin(b + c, ½) ≥ b); concordant pairs add nothing
      const pair = (shallow: number, deep: number): DepthGroup[] => [
        { L: 4, n: 1, x: shallow },
        { L: 16, n: 1, x: deep },
      ];
      const cases: [DepthGroup[][], number][] = [
        [[pair(0, 1), pair(0, 1), pair(0, 1), pair(0, 1), pair(0, 1)], 1 / 32],
        [[pair(0, 1), pair(0, 1), pair(0, 1), pair(0, 1), pair(1, 0), pair(1, 1), pair(0, 0)], 6 / 32],
        [[pair(0, 1), pair(0, 1), pair(0, 1), pair(0, 1)], 1 / 16],
        [[pair(1, 0), pair(0, 1)], 3 / 4],
      ];
      for (const [strata, p] of cases) {
        assert.ok(Math.abs(stratifiedTrendExactP(strata) - p) < 1e-12, `${stratifiedTrendExactP(strata)} vs ${p}`);
        const b = strata.filter((s) => s[1].x > s[0].x).length;
        const c = strata.filter((s) => s[1].x < s[0].x).length;
        assert.ok(Math.abs(binomialUpperTail(b, b + c) - p) < 1e-12, "the hand value is the binomial tail");
      }
      // one stratum: the unstratified test
      const one = [
        { L: 4, n: 3, x: 0 },
        { L: 6, n: 2, x: 1 },
        { L: 9, n: 3, x: 2 },
      ];
      assert.ok(Math.abs(stratifiedTrendExactP([one]) - trendExactP(one)) < 1e-12);
      // three instances at three depths (one run each), against enumerating the 3 × 3 × 3 placements
      const strata: DepthGroup[][] = [
        [
          { L: 4, n: 1, x: 0 },
          { L: 8, n: 1, x: 1 },
          { L: 12, n: 1, x: 1 },
        ],
        [
          { L: 4, n: 1, x: 0 },
          { L: 8, n: 1, x: 0 },
          { L: 12, n: 1, x: 1 },
        ],
        [
          { L: 4, n: 1, x: 1 },
          { L: 8, n: 1, x: 0 },
          { L: 12, n: 1, x: 0 },
        ],
      ];
      const tObs = 8 + 12 + 12 + 4;
      // placements of 2 successes (instance 0), 1 (instance 1) and 1 (instance 2) over depths 4, 8, 12
      const pairs = [
        [4, 8],
        [4, 12],
        [8, 12],
      ];
      let hits = 0;
      let all = 0;
      for (const p0 of pairs)
        for (const l1 of [4, 8, 12])
          for (const l2 of [4, 8, 12]) {
            all++;
            if (p0[0] + p0[1] + l1 + l2 >= tObs) hits++;
          }
      assert.equal(all, 27);
      assert.ok(Math.abs(stratifiedTrendExactP(strata) - hits / all) < 1e-12, `${stratifiedTrendExactP(strata)}`);
      // the smallest p: 2^−S for S paired instances; 1 / C(3, 1) per instance at three depths
      assert.ok(Math.abs(smallestStratifiedP([pair(0, 0), pair(0, 0), pair(1, 1)]) - 1 / 8) < 1e-12);
      assert.ok(Math.abs(smallestStratifiedP(strata) - 1 / 27) < 1e-12);
      // strata from runs: one per seed, grouped by depth
      const run = (depth: number, seed: number, learnedRank: number): RunFacts => ({
        depth,
        k: 2,
        seed,
        learnedRank,
        relMse: 0.01,
        paramSqNorm: 20,
      });
      assert.deepEqual(strataOf([run(4, 1, 3), run(12, 0, 2), run(4, 0, 3), run(12, 1, 3)], 2), [
        [
          { L: 4, n: 1, x: 0 },
          { L: 12, n: 1, x: 1 },
        ],
        [
          { L: 4, n: 1, x: 0 },
          { L: 12, n: 1, x: 0 },
        ],
      ]);
    },
  );

  it(
    "the depth rules count task instances: McNemar needs 5 for p < 0.05, the Wilson counts the rules name, " +
      "over-estimation judged at the shallowest depth",
    () => {
      const run = (depth: number, seed: number, learnedRank: number): RunFacts => ({
        depth,
        k: 2,
        seed,
        learnedRank,
        relMse: 0.01,
        paramSqNorm: 20,
      });
      const rises = CLAIMS["recovery-rises-with-depth"];
      const grid = (n: number, shallow: (s: number) => number, deep: (s: number) => number) => ({
        k: 2,
        shallow: Array.from({ length: n }, (_, s) => run(4, s, shallow(s))),
        deep: Array.from({ length: n }, (_, s) => run(16, s, deep(s))),
      });
      const five = rises.assess(
        grid(
          5,
          () => 3,
          () => 2,
        ),
      );
      assert.equal(five.verdict, "reproduced");
      assert.equal(five.numbers["McNemar one-sided p"], 0.0313);
      const four = rises.assess(
        grid(
          4,
          () => 3,
          () => 2,
        ),
      );
      assert.equal(four.verdict, INCONCLUSIVE, "2^−4 = 0.0625: four instances cannot reach 0.05");
      assert.equal(
        rises.assess(
          grid(
            4,
            (s) => (s < 2 ? 2 : 3),
            () => 3,
          ),
        ).verdict,
        INCONCLUSIVE,
        "no rise, but no power either",
      );
      assert.match(four.detail, /4 instances cannot reach p < 0\.05 \(smallest p 2\^−4 = 0\.0625\)/);
      assert.equal(
        rises.assess(
          grid(
            6,
            () => 2,
            () => 2,
          ),
        ).verdict,
        "not assessed",
        "nothing for depth to raise",
      );
      assert.equal(
        rises.assess(
          grid(
            6,
            (s) => (s < 3 ? 2 : 3),
            () => 3,
          ),
        ).verdict,
        "not reproduced",
      );
      // Wilson counts: 4 of 6 is the fewest whose lower bound clears ¼ (3 of 6: 0.19); 0 of 12 the first below ¼
      assert.equal(fewestAbove(6, 0.25), 4);
      assert.equal(mostBelow(12, 0.25), 0);
      assert.equal(mostBelow(11, 0.25), -1);
      const over = CLAIMS["overestimating-minima-common"];
      const sweep = (shallow: number[]) => ({
        k: 2,
        runs: [...shallow.map((r, s) => run(4, s, r)), ...shallow.map((_, s) => run(12, s, 2))],
        contrast: [run(4, 0, 2)],
        contrastLabel: "one-signed",
      });
      assert.equal(over.assess(sweep([3, 3, 3, 3, 2, 2])).verdict, "reproduced");
      const three = over.assess(sweep([3, 3, 3, 2, 2, 2]));
      assert.notEqual(three.verdict, "reproduced");
      assert.notEqual(three.verdict, "not reproduced");
      assert.match(three.detail, /reproduced needs 4 over-estimating, not reproduced no count of 6/);
      assert.match(three.detail, /by depth L=4: 3\/6, L=12: 0\/6; contrast \(one-signed\): L=4: 0\/1/);
      assert.equal(over.assess(sweep(new Array(12).fill(2))).verdict, "not reproduced");
      // rank recovery: 1 of 1 decides nothing, 2 of 2 does (Wilson low 0.34); against it 0 of 2 does not (high 0.66),
      // 0 of 4 does (high 0.49 < ½)
      const rec = CLAIMS["rank-recovery"];
      const at16 = (ranks: number[]) => ({ k: 2, runs: ranks.map((r, s) => run(16, s, r)) });
      assert.equal(rec.assess(at16([2])).verdict, INCONCLUSIVE);
      assert.equal(rec.assess(at16([2, 2])).verdict, "reproduced");
      assert.equal(rec.assess(at16([3, 3])).verdict, INCONCLUSIVE);
      assert.equal(rec.assess(at16([3, 3, 3, 3])).verdict, "not reproduced");
      // learned rank against k: one instance for a k decides nothing
      const vsK = CLAIMS["learned-rank-vs-k"];
      const ks = (n: number) => [1, 2, 3].flatMap((k) => Array.from({ length: n }, (_, s) => ({ ...run(8, s, k), k })));
      assert.equal(vsK.assess({ runs: ks(2) }).verdict, "reproduced");
      assert.notEqual(vsK.assess({ runs: ks(1) }).verdict, "reproduced");
      assert.equal(
        vsK.assess({ runs: ks(2).map((r) => (r.k === 3 && r.seed === 0 ? { ...r, learnedRank: 4 } : r)) }).verdict,
        "partly",
      );
    },
  );

  it(
    "balance at an L2 critical point: a trained network satisfies ‖W_(l+1)‖² = ‖W_l‖² + ‖b_l‖², hence ‖θ‖² = " +
      "L·‖W_1‖² + Σ(L − l + 1)‖b_l‖²; a hand-built net's balance error; task instances differ by seed",
    async () => {
      // by hand: sizes [2, 2, 2], W_1 = I, W_2 = 2I, no bias: |8 − 2 − 0| / (10 / 2) = 1.2
      const spec: nets.NetSpec = { sizes: [2, 2, 2], activation: "relu", bias: true };
      const th = new Float64Array(nets.paramCount(spec));
      const [a, b] = nets.layout(spec);
      th[a.wOffset] = th[a.wOffset + 3] = 1;
      th[b.wOffset] = th[b.wOffset + 3] = 2;
      assert.ok(Math.abs(balanceError(spec, th) - 1.2) < 1e-12);
      // a trained network: Adam with an L2 penalty to a critical point, float64
      const ds = latentData({ n: 30, k: 1, dIn: 3, dOut: 2, seed: 1, biasScale: 1 });
      const deep: nets.NetSpec = { sizes: [3, 8, 8, 8, 2], activation: "relu", bias: true };
      const init = nets.initParams(deep, { init: "he", seed: 0 });
      assert.ok(balanceError(deep, init) > 0.2, `He initialisation is not balanced: ${balanceError(deep, init)}`);
      const res = await trainFloat64({
        spec: deep,
        params: init,
        X: ds.X,
        Y: ds.Y,
        optimizer: "adam",
        lr: 0.003,
        l2: 0.05,
        steps: 8000,
      });
      const e = balanceError(deep, res.params);
      assert.ok(e < 0.02, `balance error after training: ${e}`);
      const ls = layerSqNorms(deep, res.params);
      const L = ls.length;
      const total = res.params.reduce((s, v) => s + v * v, 0);
      const identity = L * ls[0].w + ls.reduce((s, l, i) => s + (L - i) * l.b, 0);
      assert.ok(Math.abs(total - identity) < 0.02 * total, `‖θ‖² ${total} vs the balanced identity ${identity}`);
      // seeds are task instances: different generators and samples, and a stream apart from the initialisation's
      const task = (seed: number) =>
        latentData({ n: 5, k: 2, dIn: 3, dOut: 3, seed: taskSeedOf(seed), biasScale: 1 }).X.data;
      assert.notDeepEqual(task(0), task(1));
      assert.deepEqual(task(1), task(1));
      assert.notEqual(taskSeedOf(0), 0);
    },
  );

  it("the λ schedule of the k sweep: a run with polish steps equals training at λ, then at the polish λ", async () => {
    const args = {
      width: 12,
      lr: 0.003,
      lambda: 0.05,
      steps: 60,
      precision: "float64" as const,
      depth: 3,
      k: 1,
      seed: 2,
      taskSeed: taskSeedOf(2),
      latent: "gaussian" as const,
      latentShift: 0,
      generatorBias: 1,
      dIn: 4,
      dOut: 3,
      n: 30,
      threshold: 0.5,
      dataThreshold: 0.05,
      keep: 4,
    };
    const polished = await runBnRank({ ...args, polishSteps: 40, polishLambda: 0.005 });
    const plain = await runBnRank(args);
    // by hand: the same data, initialisation and two trainings
    const ds = latentData({ n: 30, k: 1, dIn: 4, dOut: 3, seed: taskSeedOf(2), latent: "gaussian", biasScale: 1 });
    const spec: nets.NetSpec = { sizes: [4, 12, 12, 3], activation: "relu", bias: true };
    const common = { spec, X: ds.X, Y: ds.Y, optimizer: "adam" as const, lr: 0.003, seed: 2 };
    const first = await trainFloat64({
      ...common,
      params: nets.initParams(spec, { init: "he", seed: 2 }),
      l2: 0.05,
      steps: 60,
    });
    const second = await trainFloat64({ ...common, params: first.params, l2: 0.005, steps: 40 });
    const sq = (th: Float64Array) => th.reduce((a, v) => a + v * v, 0);
    assert.ok(Math.abs(plain.paramSqNorm - sq(first.params)) < 1e-9 * sq(first.params));
    assert.ok(Math.abs(polished.paramSqNorm - sq(second.params)) < 1e-9 * sq(second.params));
    assert.notEqual(polished.paramSqNorm, plain.paramSqNorm);
  });

  it("homogeneity of a learned map: the split of ‖θ‖² into weights and biases, and ‖f(2x) − 2f(x)‖ / ‖2f(x)‖", () => {
    const X = new Matrix(30, 4, new Rng(7).normals(120));
    const spec: nets.NetSpec = { sizes: [4, 6, 5, 3], activation: "relu", bias: true };
    const params = nets.initParams(spec, { init: "he", seed: 1 });
    const { weights, biases } = weightAndBiasSqNorms(spec, params);
    const w = [1, 2, 3].reduce((a, l) => a + nets.weight(spec, params, l).data.reduce((s, v) => s + v * v, 0), 0);
    assert.ok(
      Math.abs(weights - w) < 1e-12 && Math.abs(weights + biases - params.reduce((s, v) => s + v * v, 0)) < 1e-12,
    );
    // without biases a ReLU network is 1-homogeneous; with zero biases too; non-zero biases break it
    const noBias: nets.NetSpec = { ...spec, bias: false };
    assert.ok(homogeneityError(noBias, nets.initParams(noBias, { init: "he", seed: 1 }), X) < 1e-14);
    const zeroed = params.slice();
    for (const s of nets.layout(spec)) zeroed.fill(0, s.bOffset, s.bOffset + s.rows);
    assert.ok(homogeneityError(spec, zeroed, X) < 1e-14);
    assert.equal(weightAndBiasSqNorms(spec, zeroed).biases, 0);
    const biased = params.slice();
    for (const s of nets.layout(spec)) biased.fill(0.5, s.bOffset, s.bOffset + s.rows);
    const e = homogeneityError(spec, biased, X);
    assert.ok(e > 0.01 && e < 10, `with biases 0.5: ${e}`);
  });

  it(
    "data-used spectra: σ(H_(l−1)W_lᵀ)/√N against the Gram eigenvalues, a direction no input " +
      "reaches drops out; uncentred spectra keep the offset",
    () => {
      const spec: nets.NetSpec = { sizes: [3, 5, 4, 2], activation: "relu", bias: true };
      const params = nets.initParams(spec, { init: "he", seed: 2 });
      // unit 1 of layer 1 never fires: a large negative bias; W_2's column 1 then meets no input
      const [s1, s2] = nets.layout(spec);
      params[s1.bOffset] = -1e3;
      for (let i = 0; i < s2.rows; i++) params[s2.wOffset + i * s2.cols] = 10 * (i + 1);
      const X = new Matrix(50, 3, new Rng(3).normals(150));
      const dsv = dataWeightSpectra(spec, params, X);
      assert.equal(dsv.length, 3);
      // layer 1: squared singular values = eigenvalues of W_1 (XᵀX/N) W_1ᵀ, by a symmetric eigensolver
      const W1 = nets.weight(spec, params, 1);
      const G = new Matrix(3, 3);
      for (let a = 0; a < 3; a++)
        for (let b = 0; b < 3; b++) {
          let t = 0;
          for (let i = 0; i < 50; i++) t += X.get(i, a) * X.get(i, b);
          G.set(a, b, t / 50);
        }
      const M = new Matrix(5, 5);
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < 5; j++) {
          let t = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) t += W1.get(i, a) * G.get(a, b) * W1.get(j, b);
          M.set(i, j, t);
        }
      const ev = Array.from(eigh(M).values)
        .sort((a, b) => b - a)
        .slice(0, 3);
      dsv[0].slice(0, 3).forEach((v, i) => assert.ok(Math.abs(v * v - ev[i]) < 1e-10 * ev[0], `layer 1, σ${i + 1}`));
      // layer 2: W_2's largest singular value lies along the dead unit's column (norm ≥ 10·√30) and is invisible to the
      // data
      const w2 = weightSpectra(spec, params)[1];
      assert.ok(w2[0] > 50, `raw σ1(W_2) = ${w2[0]}`);
      const W2 = nets.weight(spec, params, 2);
      const W2live = new Matrix(
        4,
        5,
        W2.data.map((v, i) => (i % 5 === 0 ? 0 : v)),
      );
      const H1 = nets.forward(spec, params, X, { derivatives: false }).H[1];
      assert.ok(
        H1.data.every((v, i) => i % 5 !== 0 || v === 0),
        "unit 1 is dead",
      );
      const expect = Array.from(svdvals(gemm(H1, W2live, { transB: true })), (v) => v / Math.sqrt(50));
      dsv[1].forEach((v, i) =>
        assert.ok(Math.abs(v - expect[i]) < 1e-12 * expect[0] + 1e-14, `layer 2, σ${i + 1}: ${v} vs ${expect[i]}`),
      );
      assert.ok(dsv[1][0] < w2[0] / 5, "the dead direction does not dominate the data-used spectrum");
      // uncentred: Σσ² = ‖Z_l‖²_F / N; centred: Σσ² = ‖Z_l − mean‖²_F / N (smaller by the squared mean)
      const Z = nets.forward(spec, params, X, { derivatives: false }).Z;
      const unc = representationSpectra(spec, params, X, { centred: false });
      const cen = representationSpectra(spec, params, X);
      for (let l = 1; l <= 3; l++) {
        const fro = Z[l].data.reduce((a, v) => a + v * v, 0) / 50;
        const s2u = unc[l - 1].singularValues.reduce((a, v) => a + v * v, 0);
        assert.ok(Math.abs(s2u - fro) < 1e-10 * fro, `layer ${l} uncentred`);
        assert.ok(cen[l - 1].singularValues.reduce((a, v) => a + v * v, 0) <= s2u + 1e-12);
      }
    },
  );

  it(
    "a short study run: figures, per-depth numbers, every claim in the ledger, no software " +
      "check left; bad options refused",
    { timeout: 300000 },
    async () => {
      const r = await bottleneck({
        n: 40,
        depths: [3, 5],
        seeds: 2,
        width: 20,
        steps: 300,
        lr: 0.003,
        latentSweep: [1, 2],
        sweepDepth: 3,
        sweepSteps: 300,
        sweepPolishSteps: 0,
        contrastDepths: [3],
        contrastSeeds: 1,
        symN: 60,
        symSteps: 200,
        symWidth: 20,
        symDepth: 4,
        paths: 3,
        cache: false,
      });
      assert.deepEqual(
        r.figures.map((f) => f.name),
        [
          "figa-weight-spectra",
          "figa2-data-weight-spectra",
          "figb-representation-spectra",
          "figc-norm-vs-depth",
          "fig-learned-rank-vs-k",
          "fig-learned-rank-vs-depth",
          "fig2-symmetry-representation",
          "fig2-symmetry-true-statistics",
          "fig2-symmetry-explained-variance",
        ],
      );
      const perDepth = r.tables.find((t) => t.title.startsWith("Per depth"))!;
      assert.deepEqual(
        perDepth.rows.map((row) => [row[0], row[1], row[2]]),
        [
          [3, 2, 1],
          [5, 2, 3],
        ],
      );
      const every = r.tables.find((t) => t.title === "Every run")!;
      assert.equal(every.rows.length, 7, "2 depths × 2 seeds + the k = 1 runs (2 seeds) + one contrast run");
      assert.deepEqual(every.rows.map((row) => row[0]).sort(), [
        "z ~ N(0, I_1), generator biases sd 1",
        "z ~ N(0, I_1), generator biases sd 1",
        "z ~ N(0, I_2), generator biases sd 1",
        "z ~ N(0, I_2), generator biases sd 1",
        "z ~ N(0, I_2), generator biases sd 1",
        "z ~ N(0, I_2), generator biases sd 1",
        "z ~ |N(0, I_2)|, generator biases sd 0.1",
      ]);
      // the k sweep: two task instances per k, the main sweep's depth-3 runs standing in for k = 2
      assert.match(
        String(
          r.summary[
            "learned rank against latent k (L = 3, z ~ N(0, I_2), generator biases sd 1; one number per task instance)"
          ],
        ),
        /^k=1: \d+ \d+, k=2: \d+ \d+$/,
      );
      // the learned-rank-vs-depth figure: the task's latent and the contrast, each with the weight and the data-used
      // count
      const vsDepth = r.figures.find((f) => f.name === "fig-learned-rank-vs-depth")!;
      assert.deepEqual(
        vsDepth.data.map((t) => (t as { name?: string }).name),
        [
          "z ~ N(0, I_2), generator biases sd 1: weights",
          "z ~ N(0, I_2), generator biases sd 1: data-used",
          "z ~ |N(0, I_2)|, generator biases sd 0.1 (contrast): weights",
          "z ~ |N(0, I_2)|, generator biases sd 0.1 (contrast): data-used",
        ],
      );
      assert.deepEqual(
        r.ledger.map((e) => e.id),
        Object.keys(CLAIMS),
      );
      for (const e of r.ledger) assert.ok(e.detail.length > 0 && e.rule.length > 0, e.id);
      // two depths only: no family of minima spans the three depths a line fit needs
      assert.equal(r.claim("norm-linear-in-depth").verdict, "not assessed");
      assert.equal(r.checks.length, 0, "the fitting precondition is no longer a check");
      assert.ok(r.data.timings && Object.keys(r.data.timings).length >= 2);
      assert.match(
        String(r.summary["fraction of rank-recovering minima by depth (95 % Wilson CI)"]),
        /^L=3: \d\/2 \[[\d.]+, [\d.]+\], L=5: \d\/2/,
      );
      await assert.rejects(bottleneck({ depths: [6] }), /option depths must hold at least two different depths/);
      await assert.rejects(bottleneck({ width: 5 }), /option width must be at least max\(dIn, dOut, k\) = 10; got 5/);
      await assert.rejects(
        bottleneck({ symEta: 0.5 }),
        /option symEta must be a finite number in \[0.000001, 0.2\]; got 0.5/,
      );
      await assert.rejects(
        bottleneck({ precision: "float16" as never }),
        /bottleneck: option precision must be one of "float64", "float32"; got "float16"/,
      );
    },
  );
  it(
    "a figure's own call gives the whole study's ledger entries for the claims it alone " +
      "feeds; it refuses options it does not read",
    { timeout: 300000 },
    async () => {
      const opts = {
        n: 40,
        depths: [3, 5],
        seeds: 2,
        width: 20,
        steps: 300,
        lr: 0.003,
        latentSweep: [1, 2],
        sweepDepth: 3,
        sweepSteps: 300,
        sweepPolishSteps: 0,
        contrastDepths: [3],
        contrastSeeds: 1,
        symN: 60,
        symSteps: 200,
        symWidth: 20,
        symDepth: 4,
        paths: 3,
      } as Record<string, unknown>;
      const only = (reads: readonly string[]) =>
        Object.fromEntries(Object.entries(opts).filter(([k]) => reads.includes(k)));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-jacot-"));
      try {
        const whole = await jacot.study({ ...opts, cacheDir: dir });
        // the figures recompute (no cache): their entries must equal the whole study's, apart from the "alone" label
        const calls = [
          {
            call: jacot.depthSweep,
            reads: depthSweep.reads,
            label: "Fig. 1",
            ids: [
              "rank-recovery",
              "recovery-rises-with-depth",
              "recovery-trend-over-depths",
              "overestimating-minima-common",
              "no-fitting-underestimation",
              "norm-linear-in-depth",
              "norm-slope-equals-rank",
              "learned-rank-vs-k",
            ],
          },
          {
            call: jacot.symmetryLearning,
            reads: symmetryLearning.reads,
            label: "Fig. 2",
            ids: ["symmetry-2d-statistics", "symmetry-paths-no-crossing"],
          },
        ];
        for (const { call, reads, label, ids } of calls) {
          const r = await call({ ...only(reads as readonly string[]), cache: false });
          assert.deepEqual(
            r.ledger.map((e) => e.id),
            ids,
            label,
          );
          for (const e of r.ledger) {
            const w = whole.claim(e.id);
            assert.equal(e.detail, `From ${label} alone: ${w.detail}`, e.id);
            assert.deepEqual({ ...e, detail: "" }, { ...w, detail: "" }, e.id);
          }
          assert.deepEqual(
            r.figures.map((f) => f.name),
            whole.figures
              .map((f) => f.name)
              .filter((n) => (label === "Fig. 1" ? !n.startsWith("fig2-") : n.startsWith("fig2-"))),
          );
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const off = await jacot.symmetryLearning({ symmetry: false, cache: false });
      assert.deepEqual(
        off.ledger.map((e) => [e.id, e.verdict, e.detail]),
        [
          ["symmetry-2d-statistics", "not assessed", "From Fig. 2 alone: not run (option symmetry is false)"],
          ["symmetry-paths-no-crossing", "not assessed", "From Fig. 2 alone: not run (option symmetry is false)"],
        ],
      );
      await assert.rejects(
        jacot.symmetryLearning({ depths: [4, 6] } as never),
        /bottleneck\.symmetryLearning: unknown option "depths" \(depths is an option of bottleneck, not read by this figure\)/,
      );
    },
  );
});
