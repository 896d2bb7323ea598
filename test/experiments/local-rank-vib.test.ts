/**
 * The information-bottleneck figures of the local-rank study (Patel & Shwartz-Ziv 2024, Figs. 2 and 3): the
 * critical β, the closed-form Gaussian VIB optimum, the Deep VIB trained on samples (gradient, KL term,
 * final evaluation, local rank), the rules of fig2-ib-transitions and the Fig. 3 claims, the options.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Matrix, svdvals } from "../../src/linalg";
import * as nets from "../../src/nets";
import { Rng } from "../../src/util/random";
import { CLAIMS, FIG2_RULE, ibLevelCrossings, spearmanTest } from "../../src/experiments/local-rank/claims";
import {
  gaussianIbCriticalBetas,
  gaussianVibOptimum,
  gaussianVibSamples,
  initSampledVib,
  sampleCriticalBetas,
  sampledVibLossAndGrad,
  trainGaussianVib,
  trainSampledGaussianVib,
} from "../../src/experiments/local-rank/gaussian-vib";
import { localRankDefaults, localRankPresets } from "../../src/experiments/local-rank/options";
import { localRankStudy } from "../../src/experiments/local-rank";
const validateLocalRank = (o: typeof localRankDefaults) => localRankStudy.validate(o);
import { patel } from "../../src/experiments/local-rank";

/** Determinant by Gaussian elimination with partial pivoting (independent of the library's eigen-solvers). */
function det(A: number[][]): number {
  const M = A.map((r) => r.slice());
  const n = M.length;
  let d = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    if (M[p][k] === 0) return 0;
    if (p !== k) {
      [M[p], M[k]] = [M[k], M[p]];
      d = -d;
    }
    d *= M[k][k];
    for (let i = k + 1; i < n; i++) {
      const f = M[i][k] / M[k][k];
      for (let j = k; j < n; j++) M[i][j] -= f * M[k][j];
    }
  }
  return d;
}

/** Inverse by Gauss–Jordan (independent of the library's solve). */
function inverse(A: number[][]): number[][] {
  const n = A.length;
  const M = A.map((r, i) => [...r, ...r.map((_, j) => (i === j ? 1 : 0))]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    [M[p], M[k]] = [M[k], M[p]];
    const piv = M[k][k];
    for (let j = 0; j < 2 * n; j++) M[k][j] /= piv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = M[i][k];
      for (let j = 0; j < 2 * n; j++) M[i][j] -= f * M[k][j];
    }
  }
  return M.map((r) => r.slice(n));
}

const mul = (A: number[][], B: number[][]) =>
  A.map((r) => B[0].map((_, j) => r.reduce((s, v, k) => s + v * B[k][j], 0)));
const tr = (A: number[][]) => A[0].map((_, j) => A.map((r) => r[j]));
const diagCross = (c: number[]) => c.map((ci, i) => c.map((_, j) => (i === j ? ci : 0)));
const eye = (d: number) => diagCross(new Array(d).fill(1));

describe("local-rank Figs. 2–3: the information bottleneck", () => {
  it(
    "critical β: each λ = 1 − 1/β_c is a root of det(Σ_{x|y}Σ_x⁻¹ − λI) for a non-diagonal " +
      "joint covariance, and the λ sum to its trace and multiply to its determinant",
    () => {
      // a random SPD joint covariance of (X ∈ R³, Y ∈ R²)
      const rng = new Rng(11);
      const G = Array.from({ length: 5 }, () => Array.from(rng.normals(5)));
      const S = mul(G, tr(G)).map((r, i) => r.map((v, j) => v + (i === j ? 0.5 : 0)));
      const Sxx = S.slice(0, 3).map((r) => r.slice(0, 3));
      const Sxy = S.slice(0, 3).map((r) => r.slice(3));
      const Syy = S.slice(3).map((r) => r.slice(3));
      const cond = Sxx.map((r, i) => r.map((v, j) => v - mul(mul(Sxy, inverse(Syy)), tr(Sxy))[i][j]));
      const M = mul(cond, inverse(Sxx));
      const crit = gaussianIbCriticalBetas(Matrix.from(Sxx), Matrix.from(Sxy), Matrix.from(Syy));
      assert.equal(crit.betas.length, 3);
      // Y ∈ R² leaves one direction of X uninformative: λ = 1 (to rounding), β_c = ∞ or astronomically large
      assert.equal(crit.betas.filter((b) => b > 1e12).length, 1);
      const lambdas = crit.lambdas;
      const scale = Math.max(...lambdas.map(Math.abs), 1) ** 3;
      for (const l of lambdas)
        assert.ok(
          Math.abs(det(M.map((r, i) => r.map((v, j) => v - (i === j ? l : 0))))) < 1e-9 * scale,
          `det(M − ${l} I) = 0`,
        );
      assert.ok(Math.abs(lambdas.reduce((a, b) => a + b, 0) - (M[0][0] + M[1][1] + M[2][2])) < 1e-10);
      assert.ok(Math.abs(lambdas.reduce((a, b) => a * b, 1) - det(M)) < 1e-10);
      for (const [i, b] of crit.betas.entries()) assert.ok(b > 1, `β_c ${i} = ${b}`);
      // the paper's Σ_XY = diag(0.1, 0.1, 0.5, 0.5, 0.5): β_c = 1/c² = 4, 4, 4, 100, 100
      const paper = gaussianIbCriticalBetas(
        Matrix.from(eye(5)),
        Matrix.from(diagCross([0.1, 0.1, 0.5, 0.5, 0.5])),
        Matrix.from(eye(5)),
      );
      paper.betas.forEach((b, i) => assert.ok(Math.abs(b - [4, 4, 4, 100, 100][i]) < 1e-9 * b));
    },
  );

  it(
    "the closed-form VIB optimum (gain √(1 − β_c/β), KL ½ ln(β/β_c)) against the " +
      "exact-objective VIB minimised numerically",
    () => {
      const C = diagCross([0.1, 0.1, 0.5, 0.5, 0.5]);
      for (const beta of [10, 300]) {
        const opt = gaussianVibOptimum([4, 4, 4, 100, 100], beta);
        const r = trainGaussianVib({
          Sxx: eye(5),
          Sxy: C,
          Syy: eye(5),
          betaVib: 1 / beta,
          hidden: [8, 8],
          dT: 5,
          steps: 6000,
          lr: 0.01,
          seed: 0,
        });
        r.singularValues.forEach((s, i) =>
          assert.ok(Math.abs(s - opt.gains[i]) < 0.01, `β ${beta}: singular value ${i} ${s} vs gain ${opt.gains[i]}`),
        );
        assert.ok(Math.abs(r.kl - opt.kl) < 0.005 * opt.kl, `β ${beta}: KL ${r.kl} vs ½ Σ ln(β/β_c) = ${opt.kl}`);
      }
      assert.deepEqual(gaussianVibOptimum([4, 4, 4, 100, 100], 10).rank, 3);
      assert.equal(gaussianVibOptimum([4, 100], 3).kl, 0);
      assert.ok(Math.abs(gaussianVibOptimum([4, 100], 400).kl - 0.5 * (Math.log(100) + Math.log(4))) < 1e-12);
    },
  );

  it(
    "sampled Deep VIB: the mini-batch gradient equals central finite differences of the loss " +
      "in every parameter block",
    () => {
      const C = diagCross([0.1, 0.3, 0.5]);
      const { X, Y } = gaussianVibSamples(C, 60, 3);
      const m = initSampledVib(3, [4, 2], 3, 3, 7);
      const rng = new Rng(5);
      m.rhoB.set(rng.normals(3, 0.3));
      m.decB.set(rng.normals(3, 0.3));
      const rows = [0, 3, 7, 9, 11, 20, 59];
      const E = rng.normals(rows.length * 3);
      const base = sampledVibLossAndGrad(m, X, Y, rows, E, 0.37);
      let worst = 0;
      for (const k of ["mu", "rhoW", "rhoB", "dec", "decB"] as const)
        for (let i = 0; i < m[k].length; i++) {
          const o = m[k][i];
          const h = 1e-6;
          m[k][i] = o + h;
          const lp = sampledVibLossAndGrad(m, X, Y, rows, E, 0.37).loss;
          m[k][i] = o - h;
          const lm = sampledVibLossAndGrad(m, X, Y, rows, E, 0.37).loss;
          m[k][i] = o;
          const fd = (lp - lm) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - base.grads[k][i]) / (1e-6 + Math.abs(fd)));
        }
      assert.ok(worst < 1e-6, `largest relative gradient error ${worst}`);
      assert.ok(Math.abs(base.loss - (base.rec + 0.37 * base.kl)) < 1e-12);
    },
  );

  it(
    "sampled Deep VIB: the KL term's sample mean against its population closed form ½ Σ_j " +
      "[(AAᵀ)_jj + e^{2b_j + 2‖v_j‖²} − 1 − 2b_j] (x ~ N(0, I), log σ = v·x + b)",
    () => {
      const m = initSampledVib(3, [4], 2, 2, 9);
      const rng = new Rng(4);
      m.rhoW.set(rng.normals(m.rhoW.length, 0.15));
      m.rhoB.set([0.2, -0.4]);
      const n = 200000;
      const { X, Y } = gaussianVibSamples(diagCross([0.2, 0.4, 0.1]).slice(0, 2), n, 8);
      // per-sample KLs through the loss (the noise does not enter the KL)
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const k = sampledVibLossAndGrad(m, X, Y, [i], new Float64Array(2), 1).kl;
        sum += k;
        sq += k * k;
      }
      const mean = sum / n;
      const se = Math.sqrt((sq / n - mean * mean) / n);
      // closed form from the weights: A = W_μ W_1 (μ = A x), V = W_ρ W_1 (log σ = V x + b)
      const W1 = nets.weight(m.muSpec, m.mu, 1);
      const Wmu = nets.weight(m.muSpec, m.mu, 2);
      const A = mul(
        Array.from({ length: 2 }, (_, i) => Array.from({ length: 4 }, (_, j) => Wmu.get(i, j))),
        Array.from({ length: 4 }, (_, i) => Array.from({ length: 3 }, (_, j) => W1.get(i, j))),
      );
      const V = mul(
        Array.from({ length: 2 }, (_, i) => Array.from(m.rhoW.subarray(i * 4, i * 4 + 4))),
        Array.from({ length: 4 }, (_, i) => Array.from({ length: 3 }, (_, j) => W1.get(i, j))),
      );
      let closed = 0;
      for (let j = 0; j < 2; j++) {
        const aa = A[j].reduce((s, v) => s + v * v, 0);
        const vv = V[j].reduce((s, v) => s + v * v, 0);
        closed += 0.5 * (aa + Math.exp(2 * m.rhoB[j] + 2 * vv) - 1 - 2 * m.rhoB[j]);
      }
      assert.ok(se < 0.01 * closed, `Monte-Carlo error ${se} small beside ${closed}`);
      assert.ok(Math.abs(mean - closed) < 4 * se, `sample mean ${mean} ± ${se} vs closed form ${closed}`);
    },
  );

  it(
    "sampled Deep VIB, untrained (0 steps): the reported KL, the noise-averaged " +
      "reconstruction, the singular values and the local rank against independent computations",
    () => {
      const C = diagCross([0.3, 0.5, 0.2]);
      const n = 400;
      const args = {
        crossCov: C,
        n,
        betaVib: 0.5,
        hidden: [4],
        dT: 3,
        steps: 0,
        batch: 50,
        lr: 0.01,
        eps: 0.3,
        evalSamples: 5,
        seed: 2,
      };
      const r = trainSampledGaussianVib(args);
      const { X, Y } = gaussianVibSamples(C, n, 2);
      const m = initSampledVib(3, [4], 3, 3, 3); // the trainer initialises with seed + 1
      const all = Array.from({ length: n }, (_, i) => i);
      const atZero = sampledVibLossAndGrad(m, X, Y, all, new Float64Array(n * 3), 0.5);
      assert.ok(Math.abs(r.kl - atZero.kl) < 1e-12 * atZero.kl, `KL ${r.kl} vs ${atZero.kl}`);
      // the reconstruction averaged over the noise, against a Monte-Carlo mean over noise draws
      const rng = new Rng(77);
      const draws = 600;
      let s = 0;
      let s2 = 0;
      for (let k = 0; k < draws; k++) {
        const v = sampledVibLossAndGrad(m, X, Y, all, rng.normals(n * 3), 0.5).rec;
        s += v;
        s2 += v * v;
      }
      const mc = s / draws;
      const se = Math.sqrt((s2 / draws - mc * mc) / draws);
      assert.ok(
        Math.abs(r.rec - mc) < 4 * se && se < 0.01 * mc,
        `exact noise average ${r.rec} vs Monte-Carlo ${mc} ± ${se}`,
      );
      // the μ map's Jacobian is W_μ W_1 for every input
      const A = new Matrix(3, 3);
      const W1 = nets.weight(m.muSpec, m.mu, 1);
      const W2 = nets.weight(m.muSpec, m.mu, 2);
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++)
          A.set(
            i,
            j,
            [0, 1, 2, 3].reduce((t, k) => t + W2.get(i, k) * W1.get(k, j), 0),
          );
      const sv = Array.from(svdvals(A));
      sv.forEach((v, i) => assert.ok(Math.abs(v - r.singularValues[i]) < 1e-12));
      const count = sv.filter((v) => v > 0.3).length;
      assert.ok(count > 0 && count < 3, `ε = 0.3 must cut inside the spectrum ${sv} to test the count`);
      assert.equal(r.localRank, count);
    },
  );

  it(
    "sampled Deep VIB, trained: close to the closed-form optimum (one direction open at β = " +
      "10, both at β = 100 for c = 0.5, 0.2)",
    () => {
      const C = diagCross([0.5, 0.2]); // β_c = 4 and 25
      const run = (beta: number) =>
        trainSampledGaussianVib({
          crossCov: C,
          n: 20000,
          betaVib: 1 / beta,
          hidden: [4],
          dT: 2,
          steps: 4000,
          batch: 100,
          lr: 0.01,
          eps: 0.05,
          evalSamples: 4,
          seed: 0,
        });
      for (const beta of [10, 100]) {
        const { X, Y } = gaussianVibSamples(C, 20000, 0);
        const opt = gaussianVibOptimum(sampleCriticalBetas(X, Y).betas, beta);
        const r = run(beta);
        assert.equal(
          r.localRank,
          opt.rank,
          `β ${beta}: local rank ${r.localRank} (singular values ${r.singularValues})`,
        );
        r.singularValues
          .slice(0, opt.rank)
          .forEach((s, i) =>
            assert.ok(Math.abs(s - opt.gains[i]) < 0.03, `β ${beta}: gain ${i} ${s} vs ${opt.gains[i]}`),
          );
        assert.ok(Math.abs(r.kl - opt.kl) < 0.03 * opt.kl, `β ${beta}: KL ${r.kl} vs ${opt.kl}`);
      }
    },
  );

  it(
    "fig2-ib-transitions rule on synthetic sweeps: matches within a factor 1.5, misses, " +
      "falls, levels too near the grid's ends, nothing judged",
    () => {
      const c = CLAIMS["fig2-ib-transitions"];
      const crit = [4, 4, 4, 100, 100];
      const betas = [2, 3, 5, 8, 20, 50, 80, 120, 160, 400];
      const ok = c.assess({ betas, localRank: [0, 0, 3, 3, 3, 3, 3, 5, 5, 5], criticalBetas: crit });
      assert.equal(ok.verdict, "reproduced");
      // one level per distinct β_c: rank 3 at 4 (a triple value), rank 5 at 100
      assert.equal(ok.numbers["levels judged"], 2);
      assert.equal(ok.numbers["level 3 crossing β"], +Math.sqrt(15).toPrecision(4));
      assert.equal(ok.numbers["level 5 crossing β"], +Math.sqrt(9600).toPrecision(4));
      // the weak pair opens late (between 160 and 400: (160·400)^{1/2} = 253 > 1.5·100): 1 of 2 levels match → partly
      const late = c.assess({ betas, localRank: [0, 0, 3, 3, 3, 3, 3, 3, 3, 5], criticalBetas: crit });
      assert.equal(late.verdict, "partly");
      assert.equal(late.numbers["levels matched"], 1);
      assert.match(late.detail, /rank 5: β_c 100, crossing 253 \(between 160 and 400\), ratio 2\.53 — miss/);
      // a one-point dip that comes back is a flicker: reported, read as its neighbour, not a fall
      const flick = c.assess({ betas, localRank: [0, 0, 3, 3, 2, 3, 3, 5, 5, 5], criticalBetas: crit });
      assert.equal(flick.verdict, "reproduced");
      assert.equal(flick.numbers["one-point flickers (reported, not falls)"], 1);
      assert.equal(flick.numbers["local-rank falls between grid points"], 0);
      // a dip that lasts is a fall and moves the crossing to where the rank stays: (50·80)^{1/2} = 63.2, a miss
      const dip = c.assess({ betas, localRank: [0, 0, 3, 3, 2, 2, 3, 5, 5, 5], criticalBetas: crit });
      assert.equal(dip.verdict, "partly");
      assert.equal(dip.numbers["local-rank falls between grid points"], 1);
      assert.equal(dip.numbers["level 3 crossing β"], 63.25);
      assert.equal(dip.numbers["levels matched"], 1);
      // already at full rank on the first grid point / never reached: misses
      const { levels } = ibLevelCrossings({ betas, localRank: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], criticalBetas: crit });
      assert.deepEqual(
        levels.map((l) => [l.level, l.hi, l.matched]),
        [
          [3, 2, false],
          [5, undefined, false],
        ],
      );
      assert.equal(
        c.assess({ betas, localRank: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], criticalBetas: crit }).verdict,
        "not reproduced",
      );
      // the boundary: a crossing at exactly 1.5·β_c matches, just above does not
      assert.equal(
        ibLevelCrossings({ betas: [1, 3, 12], localRank: [0, 0, 1], criticalBetas: [4] }).levels[0].matched,
        true,
      ); // (3·12)^{1/2} = 6 = 1.5·4
      assert.equal(
        ibLevelCrossings({ betas: [1, 3, 12.1], localRank: [0, 0, 1], criticalBetas: [4] }).levels[0].matched,
        false,
      );
      assert.equal(FIG2_RULE.factor, 1.5);
      // β_c outside [1.5·β_min, β_max/1.5] is not judged; with nothing judged the claim is not assessed
      const edge = c.assess({ betas: [3, 5, 8, 20, 50, 120], localRank: [0, 3, 3, 3, 3, 5], criticalBetas: crit });
      assert.equal(edge.numbers["levels judged"], 0);
      assert.equal(edge.verdict, "not assessed");
      // the grid's order does not matter; infinite critical β (uninformative directions) are ignored
      const shuffled = c.assess({
        betas: betas.slice().reverse(),
        localRank: [0, 0, 3, 3, 3, 3, 3, 5, 5, 5].reverse(),
        criticalBetas: [...crit, Infinity],
      });
      assert.equal(shuffled.verdict, "reproduced");
      assert.match(
        c.assess({
          betas,
          localRank: [0, 0, 3, 3, 3, 3, 3, 5, 5, 5],
          criticalBetas: crit,
          sampleCriticalBetas: [3.9, 4, 4.1, 95, 97],
        }).detail,
        /the training sample's own critical β: 3\.9, 4, 4\.1, 95, 97$/,
      );
    },
  );

  it(
    "Fig. 3 rules on synthetic sweeps: Eq. 8's β decides, the KL-weight reading is reported; " +
      "the convention-free co-movement claim",
    () => {
      const betas = [1, 1.5, 2, 3, 5, 10, 100, 1000, 10000];
      const sweep = (source: string, localRank: number[], accuracy: number[]) => ({
        source,
        betas,
        localRank,
        accuracy,
      });
      const up = [2, 4, 6, 8, 10, 12, 14, 15, 16];
      const down = up.map((v) => 1 - v / 20);
      // rank up and accuracy down with β (what the paper says): both β claims and the co-movement claim hold
      const paper = { sweeps: [sweep("mnist", up, down), sweep("fashion-mnist", up, down)] };
      for (const id of [
        "fig3-rank-rises-with-beta",
        "fig3-accuracy-falls-with-beta",
        "fig3-rank-accuracy-opposite",
      ] as const)
        assert.equal(CLAIMS[id].assess(paper).verdict, "reproduced", id);
      // rank and accuracy both rise with β (the earlier paper-preset measurement): rank claim holds, the other two do
      // not
      const accUp = up.map((v) => 0.5 + v / 40);
      const both = { sweeps: [sweep("mnist", up, accUp), sweep("fashion-mnist", up, accUp)] };
      assert.equal(CLAIMS["fig3-rank-rises-with-beta"].assess(both).verdict, "reproduced");
      const acc = CLAIMS["fig3-accuracy-falls-with-beta"].assess(both);
      assert.equal(acc.verdict, "not reproduced");
      assert.equal(acc.numbers["mnist: Spearman rho"], 1);
      // the KL-weight reading is the same sweep against 1/β: the sign flips, and it is said in the detail only
      assert.match(
        acc.detail,
        /\(if the paper's β were the KL weight β_vib = 1\/β: ρ -1\.00, p [0-9.e-]+, would hold\)/,
      );
      assert.equal(CLAIMS["fig3-rank-accuracy-opposite"].assess(both).verdict, "not reproduced");
      // one dataset each way: partly; fewer than 4 β: not assessed
      assert.equal(
        CLAIMS["fig3-rank-accuracy-opposite"].assess({
          sweeps: [sweep("mnist", up, down), sweep("fashion-mnist", up, accUp)],
        }).verdict,
        "partly",
      );
      const few = {
        sweeps: [{ source: "mnist", betas: [1, 10, 100], localRank: [1, 2, 3], accuracy: [0.9, 0.8, 0.7] }],
      };
      assert.equal(CLAIMS["fig3-rank-accuracy-opposite"].assess(few).verdict, "not assessed");
      // 9 points: 20 000 seeded permutations; a perfect monotone series has p ≈ 1/9! (none of the permutations reach
      // it)
      const t = spearmanTest(betas, up, "positive");
      assert.equal(t.exact, false);
      assert.ok(t.p < 1e-3, `p ${t.p}`);
      // ties (a local rank at its cap) share ranks: ρ < 1 though the series never falls
      const capped = spearmanTest(betas, [2, 4, 6, 8, 16, 16, 16, 16, 16], "positive");
      assert.ok(capped.rho > 0.8 && capped.rho < 1, `ρ ${capped.rho}`);
      // the paper's sentence quoted in the claims, and the reading stated in the rules
      assert.match(
        CLAIMS["fig3-rank-accuracy-opposite"].claim,
        /higher β values correspond to less compressed representations and lower performance/,
      );
      assert.match(
        CLAIMS["fig3-accuracy-falls-with-beta"].differences[0],
        /Eq\. 8 \(Sec\. 6\.1\) defines L_IB = I\(T;X\) − β I\(T;Y\)/,
      );
    },
  );

  it("options: the paper preset's Fig. 2/3 settings, the quick preset's, and their validation", () => {
    const paper = { ...localRankDefaults, ...localRankPresets.paper };
    assert.equal(paper.imageDT, 128);
    assert.ok(paper.imageBetas.filter((b) => b >= 1 && b <= 10).length >= 8, "dense between 1 and 10");
    assert.ok(Math.max(...paper.imageBetas) >= 1e4);
    assert.deepEqual([paper.vibN, paper.vibSampleSteps, paper.vibBatch], [50000, 20000, 100]);
    const quick = { ...localRankDefaults, ...localRankPresets.quick };
    assert.ok(quick.imageBetas.length >= 4, "the quick preset still reaches the trend test");
    validateLocalRank(paper);
    validateLocalRank(quick);
    assert.throws(
      () => validateLocalRank({ ...paper, vibBatch: 60000 }),
      /local-rank: option vibBatch must be an integer in \[1, 50000\]; got 60000/,
    );
    assert.throws(
      () => validateLocalRank({ ...paper, vibN: 5 }),
      /option vibN must be an integer in \[10, 1000000\]; got 5/,
    );
    assert.throws(() => validateLocalRank({ ...paper, vibSampleSteps: 0 }), /option vibSampleSteps must be an integer/);
  });

  it(
    "patel.fig2 on a short run: the sampled VIB feeds fig2-ib-transitions with its numbers, " +
      "the figures carry the critical β and the β convention",
    { timeout: 120000 },
    async () => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-vib-"));
      const r = await patel.fig2({
        betas: [2, 6, 30, 200],
        vibN: 2000,
        vibSampleSteps: 800,
        vibSteps: 1500,
        workers: 1,
        cacheDir,
      });
      assert.deepEqual(
        r.ledger.map((e) => e.id),
        ["fig2-ib-transitions"],
      );
      const e = r.ledger[0];
      assert.notEqual(e.verdict, "not assessed", e.detail);
      assert.equal(e.numbers["levels judged"], 2);
      assert.ok(typeof e.numbers["levels matched"] === "number");
      assert.deepEqual(
        r.figures.map((f) => f.name),
        ["fig2-kl-vs-beta", "fig2-local-rank-vs-beta"],
      );
      const right = r.figure("fig2-local-rank-vs-beta");
      const labels = ((right.layout.annotations ?? []) as { text: string }[]).map((a) => a.text);
      assert.deepEqual(labels, ["β_c = 4", "β_c = 100"]);
      assert.match(JSON.stringify(right.layout.xaxis), /β \(Eq\. 8, weighs I\(T;Y\)\); the KL weight is 1\/β/);
      const table = r.data.tables.find((t) => t.title === "Fig. 2 sweep")!;
      assert.equal(table.rows.length, 4);
      // the optimum's KL column is the closed form ½ Σ ln(β/β_c) over the open directions
      const col = table.columns.indexOf("optimum: KL");
      assert.ok(Math.abs((table.rows[3][col] as number) - (1.5 * Math.log(50) + Math.log(2))) < 1e-12);
      assert.match(String(r.summary["fig2 critical β of the training sample"]), /^\d/);
      fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  );
});
