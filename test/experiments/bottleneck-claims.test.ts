/**
 * The bottleneck study's claims ledger, rule by rule: every branch of each claim's `assess` on small hand-built
 * measurements, the inputs at and beside each threshold, and the verdict, the numbers and the detail text worked out
 * by hand from the rule's template. The exported statistical helpers are checked against exact enumeration with
 * integer binomial coefficients written here (study-bottleneck.test.ts holds the first checks of the trend tests).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CLAIMS,
  FIT_FRACTION,
  OFTEN,
  NORM_RULE,
  SYM_RULE,
  fewestAbove,
  mostBelow,
  fisherOneSided,
  trendDistribution,
  trendExactP,
  stratifiedTrendExactP,
  smallestStratifiedP,
  strataOf,
  RunFacts,
  DepthGroup,
  SymmetryFacts,
} from "../../src/experiments/bottleneck/claims";
import { assessClaim } from "../../src/report/ledger";
import { wilson } from "../../src/util/stats";

/** C(n, k) as an exact integer (0 outside 0 ≤ k ≤ n). */
function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
  return c;
}

/** Every way of placing x successes over the runs of the groups: the map T = Σ L·x_g → count of placements. */
function placements(groups: DepthGroup[], x: number): Map<number, bigint> {
  let ways = new Map<string, bigint>([["0,0", 1n]]); // key "successes so far,T"
  for (const g of groups) {
    const next = new Map<string, bigint>();
    for (const [key, w] of ways) {
      const [j, t] = key.split(",").map(Number);
      for (let y = 0; y <= g.n && j + y <= x; y++) {
        const k2 = `${j + y},${t + g.L * y}`;
        next.set(k2, (next.get(k2) ?? 0n) + w * choose(g.n, y));
      }
    }
    ways = next;
  }
  const out = new Map<number, bigint>();
  for (const [key, w] of ways) {
    const [j, t] = key.split(",").map(Number);
    if (j === x) out.set(t, (out.get(t) ?? 0n) + w);
  }
  return out;
}

/** The exact stratified trend p by enumerating every within-stratum placement (as a fraction of integers). */
function bruteStratifiedP(strata: DepthGroup[][]): number {
  let dist = new Map<number, bigint>([[0, 1n]]);
  let total = 1n;
  let tObs = 0;
  for (const s of strata) {
    const K = s.reduce((a, g) => a + g.x, 0);
    const N = s.reduce((a, g) => a + g.n, 0);
    tObs += s.reduce((a, g) => a + g.L * g.x, 0);
    total *= choose(N, K);
    const next = new Map<number, bigint>();
    for (const [t1, w1] of dist)
      for (const [t2, w2] of placements(s, K)) next.set(t1 + t2, (next.get(t1 + t2) ?? 0n) + w1 * w2);
    dist = next;
  }
  let hits = 0n;
  for (const [t, w] of dist) if (t >= tObs) hits += w;
  return Number(hits) / Number(total);
}

const near = (got: number, want: number, what = "") =>
  assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}: got ${got}, want ${want}`);

const run = (depth: number, seed: number, learnedRank: number, more: Partial<RunFacts> = {}): RunFacts => ({
  depth,
  k: 2,
  seed,
  learnedRank,
  relMse: 0.01,
  paramSqNorm: 20,
  ...more,
});

describe("bottleneck claims: the statistical helpers", () => {
  it("fisherOneSided equals the hypergeometric tail from exact binomial coefficients for every small table", () => {
    for (let n1 = 0; n1 <= 5; n1++)
      for (let n2 = 0; n2 <= 4; n2++)
        for (let a = 0; a <= n1; a++)
          for (let c = 0; c <= n2; c++) {
            const K = a + c;
            let hits = 0n;
            for (let x = a; x <= n1; x++) hits += choose(n1, x) * choose(n2, K - x);
            const want = Number(hits) / Number(choose(n1 + n2, K));
            near(fisherOneSided(a, n1, c, n2), want, `fisher ${a}/${n1} vs ${c}/${n2}`);
          }
    // by hand: 2 of 2 against 0 of 3: 1 / C(5, 2) = 0.1; 2 of 3 against 1 of 2: P(X ≥ 2) = (3·2 + 1) / 10
    near(fisherOneSided(2, 2, 0, 3), 0.1);
    near(fisherOneSided(2, 3, 1, 2), 0.7);
    // a = 0 is the whole distribution: 1, not above
    near(fisherOneSided(0, 3, 2, 2), 1);
  });

  it("trendDistribution: the null distribution of T by hand and against enumeration", () => {
    // depths 4, 4, 8 and K = 2: {4, 4} → 8 once, {4, 8} → 12 twice, over C(3, 2) = 3
    const d = trendDistribution([
      { L: 4, n: 2, x: 1 },
      { L: 8, n: 1, x: 1 },
    ]);
    assert.deepEqual(
      Array.from(d.keys()).sort((a, b) => a - b),
      [8, 12],
    );
    near(d.get(8)!, 1 / 3);
    near(d.get(12)!, 2 / 3);
    // no success: T = 0 with certainty
    const none = trendDistribution([
      { L: 4, n: 2, x: 0 },
      { L: 8, n: 3, x: 0 },
    ]);
    assert.deepEqual(Array.from(none.keys()), [0]);
    near(none.get(0)!, 1);
    for (const groups of [
      [
        { L: 3, n: 2, x: 1 },
        { L: 5, n: 3, x: 2 },
        { L: 9, n: 2, x: 1 },
      ],
      [
        { L: 2, n: 1, x: 1 },
        { L: 6, n: 4, x: 1 },
      ],
      [
        { L: 4, n: 3, x: 3 },
        { L: 7, n: 1, x: 0 },
        { L: 10, n: 2, x: 1 },
      ],
    ]) {
      const K = groups.reduce((a, g) => a + g.x, 0);
      const N = groups.reduce((a, g) => a + g.n, 0);
      const want = placements(groups, K);
      const got = trendDistribution(groups);
      assert.deepEqual(
        Array.from(got.keys()).sort((a, b) => a - b),
        Array.from(want.keys()).sort((a, b) => a - b),
      );
      for (const [t, w] of want) near(got.get(t)!, Number(w) / Number(choose(N, K)), `T = ${t}`);
      near(trendExactP(groups), bruteStratifiedP([groups]), "trendExactP");
    }
  });

  it("stratifiedTrendExactP against enumeration, with several runs per depth and an observed T inside the support", () => {
    const cases: DepthGroup[][][] = [
      [
        [
          { L: 4, n: 2, x: 1 },
          { L: 8, n: 1, x: 1 },
        ],
        [
          { L: 4, n: 1, x: 0 },
          { L: 8, n: 2, x: 1 },
        ],
      ],
      [
        [
          { L: 4, n: 1, x: 1 },
          { L: 6, n: 1, x: 0 },
          { L: 8, n: 1, x: 1 },
        ],
        [
          { L: 4, n: 2, x: 0 },
          { L: 8, n: 2, x: 2 },
        ],
        [
          { L: 6, n: 1, x: 0 },
          { L: 8, n: 1, x: 0 },
        ],
      ],
    ];
    for (const strata of cases) near(stratifiedTrendExactP(strata), bruteStratifiedP(strata), JSON.stringify(strata));
    // by hand: one stratum, depths 4 and 8, one run each, the recovering one at 4: T = 4 is the bottom, p = 1
    near(
      stratifiedTrendExactP([
        [
          { L: 4, n: 1, x: 1 },
          { L: 8, n: 1, x: 0 },
        ],
      ]),
      1,
    );
    // no strata: T = 0 with certainty
    assert.equal(stratifiedTrendExactP([]), 1);
  });

  it("smallestStratifiedP: each stratum at its most extreme arrangement, at its least likely count", () => {
    // depths 4 (2 runs) and 8 (2 runs): K = 1 → 2/4, K = 2 → 1/C(4, 2) = 1/6, K = 3 → 2/4: 1/6
    near(
      smallestStratifiedP([
        [
          { L: 4, n: 2, x: 0 },
          { L: 8, n: 2, x: 0 },
        ],
      ]),
      1 / 6,
    );
    // depths 4 (1 run) and 8 (3 runs), given shallow first: K = 1 → 3/4, K = 2 → 3/6, K = 3 → 1/4; times 1/6
    near(
      smallestStratifiedP([
        [
          { L: 4, n: 1, x: 1 },
          { L: 8, n: 3, x: 0 },
        ],
        [
          { L: 4, n: 2, x: 2 },
          { L: 8, n: 2, x: 2 },
        ],
      ]),
      1 / 24,
    );
    // given deepest first, three depths of one run: 1/3
    near(
      smallestStratifiedP([
        [
          { L: 12, n: 1, x: 0 },
          { L: 4, n: 1, x: 0 },
          { L: 8, n: 1, x: 0 },
        ],
      ]),
      1 / 3,
    );
    // a stratum of one run cannot move: 1; no strata: 1
    assert.equal(smallestStratifiedP([[{ L: 4, n: 1, x: 1 }]]), 1);
    assert.equal(smallestStratifiedP([]), 1);
  });

  it("strataOf: seeds and depths sorted as numbers, several runs per depth counted", () => {
    const runs = [
      run(16, 10, 2),
      run(4, 9, 2),
      run(16, 9, 3),
      run(4, 10, 3),
      run(4, 10, 2),
      run(16, 10, 1),
      run(8, 9, 2),
    ];
    assert.deepEqual(strataOf(runs, 2), [
      [
        { L: 4, n: 1, x: 1 },
        { L: 8, n: 1, x: 1 },
        { L: 16, n: 1, x: 0 },
      ],
      [
        { L: 4, n: 2, x: 1 },
        { L: 16, n: 2, x: 1 },
      ],
    ]);
    assert.deepEqual(strataOf([], 2), []);
  });

  it("fewestAbove and mostBelow at the Wilson bounds (hand values: Wilson 1 of 1 = [0.2065, 1], 0 of 1 = [0, 0.7935])", () => {
    // 1 of 1 has lower bound 0.2065: above 0.2, not above 0.25 (then n + 1 = 2)
    assert.equal(fewestAbove(1, 0.2), 1);
    assert.equal(fewestAbove(1, 0.25), 2);
    assert.equal(fewestAbove(0, 0.25), 1);
    // 0 of 2 has lower bound 0: above a negative bar
    assert.equal(fewestAbove(2, -0.1), 0);
    // 2 of 2: lower bound 0.3424; 1 of 2: 0.0945
    assert.equal(fewestAbove(2, 0.3), 2);
    assert.equal(fewestAbove(2, 0.05), 1);
    // 3 of 6 has lower bound 0.1876, 4 of 6 0.3000; 6 of 12 0.2538
    assert.equal(fewestAbove(6, OFTEN), 4);
    assert.equal(fewestAbove(12, OFTEN), 6);
    // exactly at a bound: strictly above is needed
    assert.equal(fewestAbove(6, wilson(4, 6)[0]), 5);
    // 0 of 1 has upper bound 0.7935: below 0.8, not below 0.75
    assert.equal(mostBelow(1, 0.8), 0);
    assert.equal(mostBelow(1, 0.75), -1);
    // every count is below a bar above 1
    assert.equal(mostBelow(3, 1.01), 3);
    // 1 of 4 has upper bound 0.6994, 2 of 4 0.8500
    assert.equal(mostBelow(4, 0.7), 1);
    assert.equal(mostBelow(4, 0.86), 2);
    // exactly at a bound: strictly below is needed
    assert.equal(mostBelow(4, wilson(1, 4)[1]), 0);
    assert.equal(mostBelow(0, 0.5), -1);
  });
});

describe("bottleneck claims: rank-recovery", () => {
  const c = CLAIMS["rank-recovery"];
  const at12 = (ranks: number[], more: Partial<RunFacts> = {}) => ({
    k: 2,
    runs: ranks.map((r, s) => run(12, s, r, more)),
  });

  it("6 of 12 (f = ½ exactly, Wilson low 0.2538 > ¼) is reproduced; the numbers and detail", () => {
    const a = c.assess(at12([2, 2, 2, 2, 2, 2, 3, 3, 3, 1, 3, 3]));
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      depth: 12,
      k: 2,
      "task instances": 12,
      "instances recovering k": 6,
      "learned ranks": "2 2 2 2 2 2 3 3 3 1 3 3",
      "data-used ranks": "– – – – – – – – – – – –",
      "Wilson 95% low": 0.254,
      "Wilson 95% high": 0.746,
      "fewest recovering for reproduced": 6,
    });
    assert.equal(
      a.detail,
      "at L = 12, 6 of 12 task instances learn rank k = 2 (learned ranks 2, 2, 2, 2, 2, 2, 3, 3, 3, 1, 3, 3); " +
        "Wilson 95 % interval [0.25, 0.75]",
    );
  });

  it("8 of 17 (f < ½ though Wilson low 0.2617 > ¼) is inconclusive and names the 9 reproduced needs", () => {
    const ranks = Array.from({ length: 17 }, (_, s) => (s < 8 ? 2 : 3));
    const a = c.assess(at12(ranks, { dataRank: 4 }));
    assert.equal(a.verdict, "inconclusive");
    assert.deepEqual(a.numbers, {
      depth: 12,
      k: 2,
      "task instances": 17,
      "instances recovering k": 8,
      "learned ranks": ranks.join(" "),
      "data-used ranks": new Array(17).fill(4).join(" "),
      "Wilson 95% low": 0.262,
      "Wilson 95% high": 0.69,
      "fewest recovering for reproduced": 9,
    });
    assert.equal(
      a.detail,
      `at L = 12, 8 of 17 task instances learn rank k = 2 (learned ranks ${ranks.join(", ")}); Wilson 95 % ` +
        `interval [0.26, 0.69]; with 17 instances reproduced needs 9 recovering`,
    );
  });

  it("1 of 1 (f = 1, Wilson low 0.2065) is inconclusive: reproduced needs more instances", () => {
    const a = c.assess({ k: 3, runs: [run(10, 5, 3, { dataRank: 3 })] });
    assert.equal(a.verdict, "inconclusive");
    assert.deepEqual(a.numbers, {
      depth: 10,
      k: 3,
      "task instances": 1,
      "instances recovering k": 1,
      "learned ranks": "3",
      "data-used ranks": "3",
      "Wilson 95% low": 0.207,
      "Wilson 95% high": 1,
      "fewest recovering for reproduced": null,
    });
    assert.equal(
      a.detail,
      "at L = 10, 1 of 1 task instances learn rank k = 3 (learned ranks 3); Wilson 95 % interval [0.21, 1.00]; " +
        "with 1 instances reproduced needs more instances",
    );
  });

  it("0 of 4 (upper 0.4899 < ½) is not reproduced; 0 of 3 (upper 0.5615) is inconclusive", () => {
    const four = c.assess(at12([3, 3, 1, 3]));
    assert.equal(four.verdict, "not reproduced");
    assert.deepEqual(four.numbers, {
      depth: 12,
      k: 2,
      "task instances": 4,
      "instances recovering k": 0,
      "learned ranks": "3 3 1 3",
      "data-used ranks": "– – – –",
      "Wilson 95% low": 0,
      "Wilson 95% high": 0.49,
      "fewest recovering for reproduced": 3,
    });
    assert.equal(
      four.detail,
      "at L = 12, 0 of 4 task instances learn rank k = 2 (learned ranks 3, 3, 1, 3); Wilson 95 % interval [0.00, 0.49]",
    );
    const three = c.assess(at12([3, 3, 3]));
    assert.equal(three.verdict, "inconclusive");
    assert.equal(three.numbers["fewest recovering for reproduced"], 3);
    assert.equal(three.numbers["Wilson 95% high"], 0.561);
    assert.equal(
      three.detail,
      "at L = 12, 0 of 3 task instances learn rank k = 2 (learned ranks 3, 3, 3); Wilson 95 % interval [0.00, 0.56]; " +
        "with 3 instances reproduced needs 3 recovering",
    );
  });

  it("no run: not assessed with the empty numbers", () => {
    const a = c.assess({ k: 2, runs: [] });
    assert.deepEqual(a, {
      verdict: "not assessed",
      numbers: {
        depth: null,
        k: 2,
        "task instances": 0,
        "instances recovering k": 0,
        "learned ranks": "",
        "data-used ranks": "",
        "Wilson 95% low": 0,
        "Wilson 95% high": 1,
        "fewest recovering for reproduced": null,
      },
      detail: "no run at the deepest depth",
    });
  });

  it("a run at MSE/var exactly 0.05 does not fit (0.0499 does): not assessed, naming it", () => {
    assert.equal(FIT_FRACTION, 0.05);
    const a = c.assess({ k: 2, runs: [run(12, 0, 2, { relMse: 0.0499 }), run(12, 1, 2, { relMse: 0.05 })] });
    assert.deepEqual(a, {
      verdict: "not assessed",
      numbers: { runs: 2, "runs not fitting": 1 },
      detail:
        "recovery at the deepest depth: precondition failed — 1 of 2 runs do not fit their data (MSE ≥ 0.05 × " +
        "target variance): L = 12, k = 2, seed 1 (MSE/var 0.0500)",
    });
    const two = c.assess({ k: 2, runs: [run(12, 0, 2, { relMse: 0.3 }), run(12, 4, 2, { relMse: 0.05 })] });
    assert.equal(
      two.detail,
      "recovery at the deepest depth: precondition failed — 2 of 2 runs do not fit their data (MSE ≥ 0.05 × " +
        "target variance): L = 12, k = 2, seed 0 (MSE/var 0.300); L = 12, k = 2, seed 4 (MSE/var 0.0500)",
    );
    assert.deepEqual(two.numbers, { runs: 2, "runs not fitting": 2 });
    assert.equal(c.assess({ k: 2, runs: [run(12, 0, 2, { relMse: 0.0499 }), run(12, 1, 2)] }).verdict, "reproduced");
  });

  it("through assessClaim: no budgets (the claim has no atBudget)", () => {
    const e = assessClaim(c, at12([2, 2]));
    assert.equal(e.verdict, "reproduced");
    assert.equal(e.budgets, undefined);
    assert.equal(
      e.detail,
      "at L = 12, 2 of 2 task instances learn rank k = 2 (learned ranks 2, 2); Wilson 95 % interval [0.34, 1.00]",
    );
  });
});

describe("bottleneck claims: recovery-rises-with-depth", () => {
  const c = CLAIMS["recovery-rises-with-depth"];
  const pairs = (shallow: number[], deep: number[]) => ({
    k: 2,
    shallow: shallow.map((r, s) => run(4, s, r)),
    deep: deep.map((r, s) => run(12, s, r)),
  });

  it("b = 5, c = 0 is reproduced (p = 2⁻⁵); unpaired seeds, concordant pairs and a second deep run per seed", () => {
    // seeds 0–4 recover at the deep depth only, seed 5 at both; seed 7 is deep only and seed 8 shallow only (unpaired);
    // seed 0 has a second deep run that does not recover (one recovering run counts)
    const m = {
      k: 2,
      shallow: [...[3, 3, 3, 3, 3, 2].map((r, s) => run(4, s, r)), run(4, 8, 3)],
      deep: [...[2, 2, 2, 2, 2, 2].map((r, s) => run(12, s, r)), run(12, 0, 3), run(12, 7, 2)],
    };
    const a = c.assess(m);
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      "shallow depth": 4,
      "deep depth": 12,
      "task instances (paired)": 6,
      "recovering at shallow": "1/6",
      "recovering at deep": "6/6",
      "deep only (b)": 5,
      "shallow only (c)": 0,
      "McNemar one-sided p": 0.0313,
      "smallest attainable p": 0.0156,
    });
    assert.equal(
      a.detail,
      "recovering k = 2: 1/6 task instances at L = 4, 6/6 at L = 12; 5 recover at the deep depth only, 0 at the " +
        "shallow only, McNemar exact one-sided p = 0.0313 (< 0.05)",
    );
  });

  it("b = c = 1 with 5 instances is not reproduced (no rise); the numbers carry p = ¾", () => {
    const a = c.assess(pairs([2, 3, 3, 3, 3], [3, 2, 3, 3, 3]));
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      "shallow depth": 4,
      "deep depth": 12,
      "task instances (paired)": 5,
      "recovering at shallow": "1/5",
      "recovering at deep": "1/5",
      "deep only (b)": 1,
      "shallow only (c)": 1,
      "McNemar one-sided p": 0.75,
      "smallest attainable p": 0.0313,
    });
    assert.equal(
      a.detail,
      "recovering k = 2: 1/5 task instances at L = 4, 1/5 at L = 12; 1 recover at the deep depth only, 1 at the " +
        "shallow only: no rise with depth",
    );
  });

  it("b > c with p ≥ 0.05 is inconclusive: b = 2 (p = ¼), b = 4 (p = 1/16)", () => {
    const two = c.assess(pairs([3, 3, 3, 3, 3], [2, 3, 2, 3, 3]));
    assert.equal(two.verdict, "inconclusive");
    assert.equal(two.numbers["McNemar one-sided p"], 0.25);
    assert.equal(
      two.detail,
      "recovering k = 2: 0/5 task instances at L = 4, 2/5 at L = 12; 2 recover at the deep depth only, 0 at the " +
        "shallow only, McNemar exact one-sided p = 0.250 (≥ 0.05)",
    );
    const four = c.assess(pairs([3, 3, 3, 3, 3], [2, 2, 2, 2, 3]));
    assert.equal(four.verdict, "inconclusive");
    assert.equal(four.numbers["McNemar one-sided p"], 0.0625);
    assert.match(four.detail, /p = 0\.0625 \(≥ 0\.05\)$/);
  });

  it("4 instances cannot reach p < 0.05: a rise and no rise are both inconclusive, saying why", () => {
    const rise = c.assess(pairs([3, 3, 3, 3], [2, 2, 2, 2]));
    assert.equal(rise.verdict, "inconclusive");
    assert.deepEqual(rise.numbers, {
      "shallow depth": 4,
      "deep depth": 12,
      "task instances (paired)": 4,
      "recovering at shallow": "0/4",
      "recovering at deep": "4/4",
      "deep only (b)": 4,
      "shallow only (c)": 0,
      "McNemar one-sided p": 0.0625,
      "smallest attainable p": 0.0625,
    });
    assert.equal(
      rise.detail,
      "recovering k = 2: 0/4 task instances at L = 4, 4/4 at L = 12; 4 recover at the deep depth only, 0 at the " +
        "shallow only, McNemar exact one-sided p = 0.0625 (≥ 0.05); 4 instances cannot reach p < 0.05 (smallest p " +
        "2^−4 = 0.0625)",
    );
    const fall = c.assess(pairs([2, 3, 3, 3], [3, 3, 3, 3]));
    assert.equal(fall.verdict, "inconclusive");
    assert.equal(fall.numbers["McNemar one-sided p"], 1);
    assert.equal(
      fall.detail,
      "recovering k = 2: 1/4 task instances at L = 4, 0/4 at L = 12; 0 recover at the deep depth only, 1 at the " +
        "shallow only: no rise with depth; 4 instances cannot reach p < 0.05 (smallest p 2^−4 = 0.0625)",
    );
  });

  it("every instance recovering at the shallow depth, or no paired instance: not assessed", () => {
    const all = c.assess({ ...pairs([2, 2, 2], [2, 3, 2]), k: 2 });
    assert.deepEqual(all, {
      verdict: "not assessed",
      numbers: {
        "shallow depth": 4,
        "deep depth": 12,
        "task instances (paired)": 3,
        "recovering at shallow": "3/3",
        "recovering at deep": "2/3",
        "deep only (b)": 0,
        "shallow only (c)": 1,
      },
      detail:
        "every task instance already recovers k = 2 at the shallowest depth L = 4 (3/3; 2/3 at L = 12): nothing " +
        "left for depth to raise",
    });
    const none = c.assess({ k: 2, shallow: [], deep: [run(12, 0, 2), run(12, 1, 3)] });
    assert.deepEqual(none, {
      verdict: "not assessed",
      numbers: {
        "shallow depth": null,
        "deep depth": 12,
        "task instances (paired)": 0,
        "recovering at shallow": "0/0",
        "recovering at deep": "0/0",
        "deep only (b)": 0,
        "shallow only (c)": 0,
      },
      detail: "no task instance has runs at both depths",
    });
    const disjoint = c.assess({ k: 2, shallow: [run(4, 1, 3)], deep: [run(12, 2, 2)] });
    assert.equal(disjoint.detail, "no task instance has runs at both depths");
    assert.equal(disjoint.numbers["shallow depth"], 4);
    const noDeep = c.assess({ k: 2, shallow: [run(4, 1, 3)], deep: [] });
    assert.equal(noDeep.numbers["deep depth"], null);
    assert.equal(noDeep.verdict, "not assessed");
  });

  it("a run at either depth that does not fit: not assessed", () => {
    const m = pairs([3, 3, 3, 3, 3], [2, 2, 2, 2, 2]);
    m.shallow[2] = run(4, 2, 3, { relMse: 0.05 });
    assert.deepEqual(c.assess(m), {
      verdict: "not assessed",
      numbers: { runs: 10, "runs not fitting": 1 },
      detail:
        "recovery against depth: precondition failed — 1 of 10 runs do not fit their data (MSE ≥ 0.05 × target " +
        "variance): L = 4, k = 2, seed 2 (MSE/var 0.0500)",
    });
    const d = pairs([3, 3, 3, 3, 3], [2, 2, 2, 2, 2]);
    d.deep[4] = run(12, 4, 2, { relMse: 0.5 });
    assert.equal(c.assess(d).verdict, "not assessed");
  });
});

describe("bottleneck claims: recovery-trend-over-depths", () => {
  const c = CLAIMS["recovery-trend-over-depths"];
  /** ranks[s][i]: seed s's learned rank at depths[i] (one run each) */
  const grid = (depths: number[], ranks: number[][]) => ({
    k: 2,
    runs: depths.flatMap((L, i) => ranks.map((rs, s) => run(L, s, rs[i]))),
  });

  it("the spec's example: the observed T = 70 is the maximum, p = 1/4 · 1/6 · 1/6 · 1/4 = 1/576", () => {
    // seed 0 recovers at 6, 8, 10; seeds 1, 2 at 8, 10; seed 3 at 10. Most extreme per stratum: 1/C(4, 2) = 1/6
    const a = c.assess(c.example);
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      k: 2,
      depths: 4,
      "task instances": 4,
      runs: 16,
      "runs recovering k": 8,
      "recovering per depth": "L=4: 0/4, L=6: 1/4, L=8: 3/4, L=10: 4/4",
      "smallest attainable p": +(1 / 1296).toPrecision(3),
      "trend p (one-sided, stratified)": 0.00174,
    });
    assert.equal(+(1 / 1296).toPrecision(3), 0.000772);
    assert.equal(
      a.detail,
      "runs recovering k = 2 by depth: L=4: 0/4, L=6: 1/4, L=8: 3/4, L=10: 4/4; rises with depth, exact one-sided " +
        "trend p stratified by task instance = 0.00174 (< 0.05)",
    );
  });

  it("five instances at two depths: all rise (p = 1/32) reproduced, two rise (p = ¼) inconclusive", () => {
    const five = c.assess(
      grid(
        [4, 8],
        [0, 1, 2, 3, 4].map(() => [3, 2]),
      ),
    );
    assert.equal(five.verdict, "reproduced");
    assert.deepEqual(five.numbers, {
      k: 2,
      depths: 2,
      "task instances": 5,
      runs: 10,
      "runs recovering k": 5,
      "recovering per depth": "L=4: 0/5, L=8: 5/5",
      "smallest attainable p": 0.0313,
      "trend p (one-sided, stratified)": 0.0313,
    });
    assert.equal(
      five.detail,
      "runs recovering k = 2 by depth: L=4: 0/5, L=8: 5/5; rises with depth, exact one-sided trend p stratified by " +
        "task instance = 0.0313 (< 0.05)",
    );
    const two = c.assess(
      grid(
        [4, 8],
        [
          [3, 2],
          [3, 2],
          [3, 3],
          [3, 3],
          [3, 3],
        ],
      ),
    );
    assert.equal(two.verdict, "inconclusive");
    assert.equal(two.numbers["trend p (one-sided, stratified)"], 0.25);
    assert.equal(
      two.detail,
      "runs recovering k = 2 by depth: L=4: 0/5, L=8: 2/5; rises with depth, exact one-sided trend p stratified by " +
        "task instance = 0.250 (≥ 0.05)",
    );
  });

  it("T equal to its null mean does not rise: not reproduced; no recovering run at all says so", () => {
    // seed 0 recovers at 4 only, seed 1 at 8 only: T = 12 = 6 + 6
    const tie = c.assess(
      grid(
        [4, 8],
        [
          [2, 3],
          [3, 2],
          [3, 3],
          [3, 3],
          [3, 3],
        ],
      ),
    );
    assert.equal(tie.verdict, "not reproduced");
    assert.deepEqual(tie.numbers, {
      k: 2,
      depths: 2,
      "task instances": 5,
      runs: 10,
      "runs recovering k": 2,
      "recovering per depth": "L=4: 1/5, L=8: 1/5",
      "smallest attainable p": 0.0313,
    });
    assert.equal(tie.detail, "runs recovering k = 2 by depth: L=4: 1/5, L=8: 1/5; does not rise with depth");
    const none = c.assess(
      grid(
        [4, 8],
        [0, 1, 2, 3, 4].map(() => [3, 1]),
      ),
    );
    assert.equal(none.verdict, "not reproduced");
    assert.equal(none.numbers["runs recovering k"], 0);
    assert.equal(none.detail, "runs recovering k = 2 by depth: L=4: 0/5, L=8: 0/5; no run recovers k at any depth");
  });

  it("one instance cannot reach p < 0.05: rise and fall inconclusive, naming the smallest p ½", () => {
    const rise = c.assess(grid([4, 8], [[3, 2]]));
    assert.equal(rise.verdict, "inconclusive");
    assert.deepEqual(rise.numbers, {
      k: 2,
      depths: 2,
      "task instances": 1,
      runs: 2,
      "runs recovering k": 1,
      "recovering per depth": "L=4: 0/1, L=8: 1/1",
      "smallest attainable p": 0.5,
      "trend p (one-sided, stratified)": 0.5,
    });
    assert.equal(
      rise.detail,
      "runs recovering k = 2 by depth: L=4: 0/1, L=8: 1/1; rises with depth, exact one-sided trend p stratified by " +
        "task instance = 0.500 (≥ 0.05); with 1 instances at 2 depths no outcome reaches p < 0.05 (smallest 0.500)",
    );
    const fall = c.assess(grid([4, 8], [[2, 3]]));
    assert.equal(fall.verdict, "inconclusive");
    assert.equal(
      fall.detail,
      "runs recovering k = 2 by depth: L=4: 1/1, L=8: 0/1; does not rise with depth; with 1 instances at 2 depths no " +
        "outcome reaches p < 0.05 (smallest 0.500)",
    );
  });

  it("the null mean weighs each depth by its runs: k·Σ n·L / N per instance", () => {
    // one recovering run at 8 of 1 + 2 runs at 4 and 8: T = 8 > 1·(4 + 16)/3 = 6.67; p = P(T ≥ 8) = 2/3;
    // smallest p: both of 2 at 8 → 1/C(3, 2) = 1/3
    const rise = c.assess({ k: 2, runs: [run(4, 0, 3), run(8, 0, 2), run(8, 0, 3)] });
    assert.equal(rise.verdict, "inconclusive");
    assert.deepEqual(rise.numbers, {
      k: 2,
      depths: 2,
      "task instances": 1,
      runs: 3,
      "runs recovering k": 1,
      "recovering per depth": "L=4: 0/1, L=8: 1/2",
      "smallest attainable p": 0.333,
      "trend p (one-sided, stratified)": 0.667,
    });
    assert.equal(
      rise.detail,
      "runs recovering k = 2 by depth: L=4: 0/1, L=8: 1/2; rises with depth, exact one-sided trend p stratified by " +
        "task instance = 0.667 (≥ 0.05); with 1 instances at 2 depths no outcome reaches p < 0.05 (smallest 0.333)",
    );
    // two recovering runs at 4 of 2 + 1 runs at 4 and 8: T = 8 < 2·(8 + 8)/3 = 10.67
    const fall = c.assess({ k: 2, runs: [run(4, 0, 2), run(4, 0, 2), run(8, 0, 3)] });
    assert.equal(fall.verdict, "inconclusive");
    assert.equal(
      fall.detail,
      "runs recovering k = 2 by depth: L=4: 2/2, L=8: 0/1; does not rise with depth; with 1 instances at 2 depths no " +
        "outcome reaches p < 0.05 (smallest 0.333)",
    );
    // three runs at each of two depths, one instance: the smallest p is 1/C(6, 3) = 1/20, not below 0.05
    const six = c.assess({
      k: 2,
      runs: [run(4, 0, 3), run(4, 0, 3), run(4, 0, 3), run(8, 0, 2), run(8, 0, 2), run(8, 0, 2)],
    });
    assert.equal(six.verdict, "inconclusive");
    assert.equal(six.numbers["smallest attainable p"], 0.05);
    assert.equal(six.numbers["trend p (one-sided, stratified)"], 0.05);
  });

  it("fewer than two depths, or every run recovering: not assessed", () => {
    const one = c.assess({ k: 2, runs: [run(6, 0, 2), run(6, 1, 3)] });
    assert.deepEqual(one, {
      verdict: "not assessed",
      numbers: {
        k: 2,
        depths: 1,
        "task instances": 2,
        runs: 2,
        "runs recovering k": 1,
        "recovering per depth": "L=6: 1/2",
      },
      detail: "runs at 1 depth(s) only: a trend needs two or more",
    });
    assert.equal(c.assess({ k: 2, runs: [] }).detail, "runs at 0 depth(s) only: a trend needs two or more");
    const all = c.assess(grid([4, 8], [[2, 2]]));
    assert.deepEqual(all, {
      verdict: "not assessed",
      numbers: {
        k: 2,
        depths: 2,
        "task instances": 1,
        runs: 2,
        "runs recovering k": 2,
        "recovering per depth": "L=4: 1/1, L=8: 1/1",
      },
      detail: "every run recovers k = 2 at every depth (L=4: 1/1, L=8: 1/1): nothing left for depth to raise",
    });
  });

  it("a run that does not fit: not assessed", () => {
    assert.deepEqual(c.assess({ k: 2, runs: [run(4, 0, 3), run(8, 0, 2, { relMse: 0.07 })] }), {
      verdict: "not assessed",
      numbers: { runs: 2, "runs not fitting": 1 },
      detail:
        "recovery over depths: precondition failed — 1 of 2 runs do not fit their data (MSE ≥ 0.05 × target " +
        "variance): L = 8, k = 2, seed 0 (MSE/var 0.0700)",
    });
  });
});

describe("bottleneck claims: overestimating-minima-common", () => {
  const c = CLAIMS["overestimating-minima-common"];

  it("4 of 6 at the shallowest depth (Wilson low 0.300 > ¼) is reproduced; deep non-fitting runs and the contrast only reported", () => {
    assert.equal(OFTEN, 0.25);
    // listed deep first: the shallowest depth is found by sorting depths as numbers
    const runs = [
      ...[2, 3, 2, 2, 2, 2].map((r, s) => run(12, s, r, s === 5 ? { relMse: 0.5 } : {})),
      ...[3, 3, 4, 3, 2, 1].map((r, s) => run(4, s, r)),
    ];
    const a = c.assess({
      k: 2,
      runs,
      contrast: [run(4, 0, 2), run(4, 1, 3), run(12, 0, 2)],
      contrastLabel: "one-signed",
    });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      k: 2,
      depth: 4,
      "task instances": 6,
      "over-estimating": 4,
      "learned ranks": "3 3 4 3 2 1",
      "Wilson 95% low": 0.3,
      "Wilson 95% high": 0.903,
      "fewest for reproduced": 4,
      "over-estimating by depth": "L=4: 4/6, L=12: 1/6",
      "runs over-estimating (all depths)": "5/12",
      "contrast (one-signed) by depth": "L=4: 1/2, L=12: 0/1",
    });
    assert.equal(
      a.detail,
      "at L = 4, 4 of 6 task instances over-estimate k = 2 (learned ranks 3, 3, 4, 3, 2, 1; Wilson 95 % [0.30, " +
        "0.90] against 0.25); by depth L=4: 4/6, L=12: 1/6; contrast (one-signed): L=4: 1/2, L=12: 0/1",
    );
  });

  it("3 of 12 is inconclusive, naming 6 for reproduced and 0 of 12 for not reproduced; 0 of 12 is not reproduced", () => {
    const ranks = [3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2];
    const a = c.assess({ k: 2, runs: ranks.map((r, s) => run(4, s, r)), contrast: [], contrastLabel: "unused" });
    assert.equal(a.verdict, "inconclusive");
    assert.deepEqual(a.numbers, {
      k: 2,
      depth: 4,
      "task instances": 12,
      "over-estimating": 3,
      "learned ranks": ranks.join(" "),
      "Wilson 95% low": 0.0889,
      "Wilson 95% high": 0.532,
      "fewest for reproduced": 6,
      "over-estimating by depth": "L=4: 3/12",
      "runs over-estimating (all depths)": "3/12",
    });
    assert.equal(
      a.detail,
      `at L = 4, 3 of 12 task instances over-estimate k = 2 (learned ranks ${ranks.join(", ")}; Wilson 95 % [0.09, ` +
        `0.53] against 0.25); by depth L=4: 3/12; with 12 instances reproduced needs 6 over-estimating, not ` +
        `reproduced 0 of 12`,
    );
    const zero = c.assess({
      k: 2,
      runs: Array.from({ length: 12 }, (_, s) => run(4, s, 2)),
      contrast: [],
      contrastLabel: "",
    });
    assert.equal(zero.verdict, "not reproduced");
    assert.equal(zero.numbers["Wilson 95% high"], 0.242);
    assert.equal(
      zero.detail,
      `at L = 4, 0 of 12 task instances over-estimate k = 2 (learned ranks ${new Array(12).fill(2).join(", ")}; ` +
        `Wilson 95 % [0.00, 0.24] against 0.25); by depth L=4: 0/12`,
    );
  });

  it("1 of 1 is inconclusive: reproduced needs more instances, not reproduced no count", () => {
    const a = c.assess({ k: 2, runs: [run(6, 3, 3)], contrast: [], contrastLabel: "" });
    assert.equal(a.verdict, "inconclusive");
    assert.equal(a.numbers["fewest for reproduced"], null);
    assert.equal(
      a.detail,
      "at L = 6, 1 of 1 task instances over-estimate k = 2 (learned ranks 3; Wilson 95 % [0.21, 1.00] against " +
        "0.25); by depth L=6: 1/1; with 1 instances reproduced needs more instances, not reproduced no count of 1",
    );
  });

  it("no run, or a shallow run that does not fit: not assessed", () => {
    assert.deepEqual(c.assess({ k: 3, runs: [], contrast: [run(4, 0, 4)], contrastLabel: "x" }), {
      verdict: "not assessed",
      numbers: {
        k: 3,
        depth: null,
        "task instances": 0,
        "over-estimating": 0,
        "learned ranks": "",
        "Wilson 95% low": 0,
        "Wilson 95% high": 1,
        "fewest for reproduced": null,
        "over-estimating by depth": "",
        "runs over-estimating (all depths)": "0/0",
        "contrast (x) by depth": "L=4: 1/1",
      },
      detail: "no run at the shallowest depth",
    });
    assert.deepEqual(
      c.assess({
        k: 2,
        runs: [run(4, 0, 3), run(4, 1, 3, { relMse: 0.05 }), run(8, 0, 2)],
        contrast: [],
        contrastLabel: "",
      }),
      {
        verdict: "not assessed",
        numbers: { runs: 2, "runs not fitting": 1 },
        detail:
          "over-estimating minima at the shallowest depth: precondition failed — 1 of 2 runs do not fit their data " +
          "(MSE ≥ 0.05 × target variance): L = 4, k = 2, seed 1 (MSE/var 0.0500)",
      },
    );
  });
});

describe("bottleneck claims: no-fitting-underestimation", () => {
  const c = CLAIMS["no-fitting-underestimation"];

  it("no fitting run under k is reproduced, with the rate bound 1 − 0.05^(1/n); non-fitting runs are left out", () => {
    const a = c.assess({
      runs: [run(6, 0, 2), run(6, 0, 1, { k: 1 }), run(8, 1, 3), run(8, 2, 1, { k: 3, relMse: 0.05 })],
    });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      runs: 4,
      "fitting runs": 3,
      "task instances": 2,
      "fitting and under-estimating": 0,
      "95% upper bound on the rate": 0.632,
    });
    assert.equal(a.detail, "0 of 3 fitting runs learn a rank below k (rate below 0.63 at 95 %)");
    const one = c.assess({ runs: [run(6, 0, 2)] });
    assert.equal(one.numbers["95% upper bound on the rate"], 0.95);
    assert.equal(one.detail, "0 of 1 fitting runs learn a rank below k (rate below 0.95 at 95 %)");
  });

  it("fitting runs under k are not reproduced, each named", () => {
    const a = c.assess({ runs: [run(6, 0, 1), run(6, 1, 2), run(8, 3, 2, { k: 3, relMse: 0.0499 })] });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      runs: 3,
      "fitting runs": 3,
      "task instances": 3,
      "fitting and under-estimating": 2,
    });
    assert.equal(
      a.detail,
      "2 of 3 fitting runs learn a rank below k: L = 6, k = 2, seed 0 (MSE/var 0.0100) → rank 1; L = 8, k = 3, " +
        "seed 3 (MSE/var 0.0499) → rank 2",
    );
  });

  it("no fitting run: not assessed", () => {
    assert.deepEqual(c.assess({ runs: [run(6, 0, 1, { relMse: 0.05 }), run(6, 1, 2, { relMse: 0.9 })] }), {
      verdict: "not assessed",
      numbers: { runs: 2, "fitting runs": 0, "task instances": 0, "fitting and under-estimating": 0 },
      detail: "none of 2 runs fits its data",
    });
  });
});

describe("bottleneck claims: norm-linear-in-depth", () => {
  const c = CLAIMS["norm-linear-in-depth"];
  const fam = (r: number, seed: number, points: [number, number][], more: Partial<RunFacts> = {}) =>
    points.map(([L, y]) => run(L, seed, r, { paramSqNorm: y, ...more }));

  it("RMS residual exactly 5 % of the mean is linear: ‖θ‖² = 10 + 2L ± 1 at L = 2, 4, 6, 8 (mean 20)", () => {
    assert.equal(NORM_RULE.maxRelResidual, 0.05);
    const a = c.assess({
      runs: fam(2, 0, [
        [2, 15],
        [4, 17],
        [6, 21],
        [8, 27],
      ]),
    });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      "rank 2: runs": 4,
      "rank 2: depths": "2 4 6 8",
      "rank 2: R0 (slope)": 2,
      "rank 2: R1 (intercept)": 10,
      "rank 2: RMS residual / mean": 0.05,
      "rank 2: per-layer norm ‖θ‖²/L": "7.500 4.250 3.500 3.375",
      "largest balance error": 0,
    });
    assert.equal(
      a.detail,
      "[rank 2] reproduced — 4 runs at depths 2, 4, 6, 8: slope 2.00, intercept 10.0, RMS residual 5.0 % of the " +
        "mean ‖θ‖²; per-layer norm ‖θ‖²/L 7.500, 4.250, 3.500, 3.375 (largest balance error over the runs 0.0)",
    );
  });

  it("residuals ±2 (10 % of the mean) are not linear", () => {
    const a = c.assess({
      runs: fam(2, 0, [
        [2, 16],
        [4, 16],
        [6, 20],
        [8, 28],
      ]),
    });
    assert.equal(a.verdict, "not reproduced");
    assert.equal(a.numbers["rank 2: RMS residual / mean"], 0.1);
    assert.equal(
      a.detail,
      "[rank 2] not reproduced — 4 runs at depths 2, 4, 6, 8: slope 2.00, intercept 10.0, RMS residual 10 % of the " +
        "mean ‖θ‖²; per-layer norm ‖θ‖²/L 8.000, 4.000, 3.333, 3.500 (largest balance error over the runs 0.0)",
    );
  });

  it("a flat norm (slope 0, no residual) is not linear: the slope must be > 0", () => {
    const a = c.assess({
      runs: fam(1, 0, [
        [2, 9],
        [4, 9],
        [6, 9],
      ]),
    });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      "rank 1: runs": 3,
      "rank 1: depths": "2 4 6",
      "rank 1: R0 (slope)": 0,
      "rank 1: R1 (intercept)": 9,
      "rank 1: RMS residual / mean": 0,
      "rank 1: per-layer norm ‖θ‖²/L": "4.500 2.250 1.500",
      "largest balance error": 0,
    });
    assert.equal(
      a.detail,
      "[rank 1] not reproduced — 3 runs at depths 2, 4, 6: slope 0.00, intercept 9.00, RMS residual 0.0 % of the " +
        "mean ‖θ‖²; per-layer norm ‖θ‖²/L 4.500, 2.250, 1.500 (largest balance error over the runs 0.0)",
    );
  });

  it("one family linear, one not (3 depths), one at 2 depths left out: partly; the balance error over every run", () => {
    const a = c.assess({
      runs: [
        // rank 2: two instances per depth, their means 15, 17, 21, 27
        ...fam(2, 0, [
          [2, 14.5],
          [4, 16.5],
          [6, 20.5],
          [8, 26.5],
        ]),
        ...fam(2, 1, [
          [2, 15.5],
          [4, 17.5],
          [6, 21.5],
        ]),
        run(8, 1, 2, { paramSqNorm: 27.5, balanceError: 0.0123 }),
        // rank 3: 10, 20, 10 — flat line at 40/3, residuals −10/3, 20/3, −10/3: RMS √(200/9) = 4.714, 35 % of the mean
        ...fam(3, 0, [
          [2, 10],
          [4, 20],
          [6, 10],
        ]),
        // rank 4 at two depths only: not judged, though one of its runs does not fit; its balance error still counts
        run(2, 2, 4, { balanceError: 0.031 }),
        run(4, 2, 4, { relMse: 0.2 }),
      ],
    });
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      "rank 2: runs": 8,
      "rank 2: depths": "2 4 6 8",
      "rank 2: R0 (slope)": 2,
      "rank 2: R1 (intercept)": 10,
      "rank 2: RMS residual / mean": 0.05,
      "rank 2: per-layer norm ‖θ‖²/L": "7.500 4.250 3.500 3.375",
      "rank 3: runs": 3,
      "rank 3: depths": "2 4 6",
      "rank 3: R0 (slope)": 0,
      "rank 3: R1 (intercept)": 13.3,
      "rank 3: RMS residual / mean": 0.354,
      "rank 3: per-layer norm ‖θ‖²/L": "5.000 5.000 1.667",
      "largest balance error": 0.031,
    });
    assert.equal(
      a.detail,
      "[rank 2] reproduced — 8 runs at depths 2, 4, 6, 8: slope 2.00, intercept 10.0, RMS residual 5.0 % of the " +
        "mean ‖θ‖²; per-layer norm ‖θ‖²/L 7.500, 4.250, 3.500, 3.375 [rank 3] not reproduced — 3 runs at depths " +
        "2, 4, 6: slope 0.00, intercept 13.3, RMS residual 35 % of the mean ‖θ‖²; per-layer norm ‖θ‖²/L 5.000, " +
        "5.000, 1.667 (largest balance error over the runs 0.031)",
    );
  });

  it("no family at 3 depths: not assessed naming the ranks; a non-fitting run in a judged family: not assessed", () => {
    assert.deepEqual(c.assess({ runs: [run(4, 0, 3), run(8, 0, 3), run(8, 1, 2), run(4, 0, 2)] }), {
      verdict: "not assessed",
      numbers: { families: 2 },
      detail: "no family of minima (learned ranks 2, 3) has runs at 3 or more depths",
    });
    assert.deepEqual(c.assess({ runs: [] }), {
      verdict: "not assessed",
      numbers: { families: 0 },
      detail: "no family of minima (learned ranks none) has runs at 3 or more depths",
    });
    assert.deepEqual(c.assess({ runs: [run(4, 0, 2), run(6, 0, 2), run(8, 0, 2, { relMse: 0.05 })] }), {
      verdict: "not assessed",
      numbers: { runs: 3, "runs not fitting": 1 },
      detail:
        "‖θ‖² against depth: precondition failed — 1 of 3 runs do not fit their data (MSE ≥ 0.05 × target " +
        "variance): L = 8, k = 2, seed 0 (MSE/var 0.0500)",
    });
  });
});

describe("bottleneck claims: norm-slope-equals-rank", () => {
  const c = CLAIMS["norm-slope-equals-rank"];
  /** one run per (seed, depth) of learned rank r with ‖θ‖² = slope·L + 1 */
  const lines = (r: number, slopes: number[], depths = [4, 8]) =>
    slopes.flatMap((s, seed) => depths.map((L) => run(L, seed, r, { paramSqNorm: s * L + 1 })));

  it("slopes exactly at r·(1 ∓ ¼) (a zero-width interval on the edge) are reproduced", () => {
    assert.equal(NORM_RULE.slopeTolerance, 0.25);
    const low = c.assess({ runs: lines(2, [1.5, 1.5]) });
    assert.equal(low.verdict, "reproduced");
    assert.deepEqual(low.numbers, {
      "rank 2: task instances": 2,
      "rank 2: mean slope": 1.5,
      "rank 2: 95% CI low": 1.5,
      "rank 2: 95% CI high": 1.5,
    });
    assert.equal(
      low.detail,
      "[rank 2] reproduced — slopes over 2 task instance(s) 1.50, 1.50: mean 1.50, 95 % CI [1.50, 1.50] against 2 ± 0.5",
    );
    const high = c.assess({ runs: lines(2, [2.5, 2.5]) });
    assert.equal(high.verdict, "reproduced");
    assert.equal(
      high.detail,
      "[rank 2] reproduced — slopes over 2 task instance(s) 2.50, 2.50: mean 2.50, 95 % CI [2.50, 2.50] against 2 ± 0.5",
    );
  });

  it("an interval below or above the band is not reproduced", () => {
    const below = c.assess({ runs: lines(2, [1.25, 1.25]) });
    assert.equal(below.verdict, "not reproduced");
    assert.equal(
      below.detail,
      "[rank 2] not reproduced — slopes over 2 task instance(s) 1.25, 1.25: mean 1.25, 95 % CI [1.25, 1.25] against " +
        "2 ± 0.5",
    );
    const above = c.assess({ runs: lines(4, [6, 6], [4, 8, 12]) });
    assert.equal(above.verdict, "not reproduced");
    assert.deepEqual(above.numbers, {
      "rank 4: task instances": 2,
      "rank 4: mean slope": 6,
      "rank 4: 95% CI low": 6,
      "rank 4: 95% CI high": 6,
    });
    assert.equal(
      above.detail,
      "[rank 4] not reproduced — slopes over 2 task instance(s) 6.00, 6.00: mean 6.00, 95 % CI [6.00, 6.00] against " +
        "4 ± 1",
    );
  });

  it("an interval across the band (slopes 1.5, 2.5: half-width 12.706·0.7071/√2 = 6.353) is inconclusive", () => {
    const a = c.assess({ runs: lines(2, [1.5, 2.5]) });
    assert.equal(a.verdict, "inconclusive");
    assert.deepEqual(a.numbers, {
      "rank 2: task instances": 2,
      "rank 2: mean slope": 2,
      "rank 2: 95% CI low": -4.35,
      "rank 2: 95% CI high": 8.35,
    });
    assert.equal(
      a.detail,
      "[rank 2] inconclusive — slopes over 2 task instance(s) 1.50, 2.50: mean 2.00, 95 % CI [-4.35, 8.35] against " +
        "2 ± 0.5",
    );
  });

  it("one family holds, one has a single instance (inconclusive): partly; families and seeds without a slope drop out", () => {
    const a = c.assess({
      runs: [
        ...lines(2, [2, 2]),
        // seed 5: two runs of rank 2 at one depth — no slope, but its runs are checked for fit
        run(4, 5, 2, { paramSqNorm: 100 }),
        run(4, 5, 2, { paramSqNorm: 0 }),
        // rank 3: one instance, slope 3
        run(4, 2, 3, { paramSqNorm: 13 }),
        run(12, 2, 3, { paramSqNorm: 37 }),
        // rank 1 at one depth: no slope, and its run need not fit
        run(4, 3, 1, { relMse: 0.5 }),
      ],
    });
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, {
      "rank 2: task instances": 2,
      "rank 2: mean slope": 2,
      "rank 2: 95% CI low": 2,
      "rank 2: 95% CI high": 2,
      "rank 3: task instances": 1,
      "rank 3: mean slope": 3,
      "rank 3: 95% CI low": null,
      "rank 3: 95% CI high": null,
    });
    assert.equal(
      a.detail,
      "[rank 2] reproduced — slopes over 2 task instance(s) 2.00, 2.00: mean 2.00, 95 % CI [2.00, 2.00] against 2 ± " +
        "0.5 [rank 3] inconclusive — slopes over 1 task instance(s) 3.00: mean 3.00 (an interval needs 2) against 3 " +
        "± 0.75",
    );
  });

  it("no instance with one family at 2 depths: not assessed; a non-fitting run in a judged family: not assessed", () => {
    assert.deepEqual(c.assess({ runs: [run(4, 0, 2), run(8, 0, 3), run(8, 1, 2), run(8, 1, 2)] }), {
      verdict: "not assessed",
      numbers: { runs: 4 },
      detail: "no task instance has runs of one learned rank at two or more depths",
    });
    assert.deepEqual(c.assess({ runs: [...lines(2, [2, 2]), run(4, 5, 2, { relMse: 0.06 })] }), {
      verdict: "not assessed",
      numbers: { runs: 5, "runs not fitting": 1 },
      detail:
        "the slope of ‖θ‖² in L: precondition failed — 1 of 5 runs do not fit their data (MSE ≥ 0.05 × target " +
        "variance): L = 4, k = 2, seed 5 (MSE/var 0.0600)",
    });
  });
});

describe("bottleneck claims: learned-rank-vs-k", () => {
  const c = CLAIMS["learned-rank-vs-k"];
  /** ranksByK[k]: the learned ranks of k's task instances (seeds 0, 1, …) at depth 8 */
  const sweep = (ranksByK: Record<number, number[]>) => ({
    runs: Object.entries(ranksByK).flatMap(([k, rs]) => rs.map((r, s) => run(8, s, r, { k: +k }))),
  });

  it("every k holding is reproduced; the numbers", () => {
    const a = c.assess(sweep({ 1: [1, 1], 2: [2, 2, 2] }));
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      depth: 8,
      "k values": 2,
      "task instances per k": "2 3",
      "k holding": 2,
      "k failing": 0,
      "learned ranks by k": "k=1: 1 1, k=2: 2 2 2",
    });
    assert.equal(
      a.detail,
      "learned ranks at L = 8, one per task instance: k=1: 1 1, k=2: 2 2 2; 2 of 2 k values hold, 0 fail",
    );
  });

  it("half the k failing (1 of 2) is not reproduced; 1 of 3 failing, or one split, is partly", () => {
    const half = c.assess(sweep({ 1: [1, 1], 2: [3, 1] }));
    assert.equal(half.verdict, "not reproduced");
    assert.equal(half.numbers["k failing"], 1);
    assert.equal(
      half.detail,
      "learned ranks at L = 8, one per task instance: k=1: 1 1, k=2: 3 1; 1 of 2 k values hold, 1 fail",
    );
    const third = c.assess(sweep({ 1: [1, 1], 2: [2, 2], 3: [4, 4] }));
    assert.equal(third.verdict, "partly");
    assert.equal(
      third.detail,
      "learned ranks at L = 8, one per task instance: k=1: 1 1, k=2: 2 2, k=3: 4 4; 2 of 3 k values hold, 1 fail",
    );
    const split = c.assess(sweep({ 1: [1, 1], 2: [2, 3] }));
    assert.equal(split.verdict, "partly");
    assert.deepEqual(split.numbers, {
      depth: 8,
      "k values": 2,
      "task instances per k": "2 2",
      "k holding": 1,
      "k failing": 0,
      "learned ranks by k": "k=1: 1 1, k=2: 2 3",
    });
    const twoOfFour = c.assess(sweep({ 1: [1, 1], 2: [2, 2], 3: [4, 4], 4: [3, 3] }));
    assert.equal(twoOfFour.verdict, "not reproduced");
  });

  it("a k with one instance makes it inconclusive, naming those k", () => {
    const a = c.assess(sweep({ 1: [1], 2: [2, 2], 3: [3] }));
    assert.equal(a.verdict, "inconclusive");
    assert.deepEqual(a.numbers, {
      depth: 8,
      "k values": 3,
      "task instances per k": "1 2 1",
      "k holding": 3,
      "k failing": 0,
      "learned ranks by k": "k=1: 1, k=2: 2 2, k=3: 3",
    });
    assert.equal(
      a.detail,
      "learned ranks at L = 8, one per task instance: k=1: 1, k=2: 2 2, k=3: 3; 3 of 3 k values hold, 0 fail; k = 1, " +
        "3 with one instance only",
    );
  });

  it("fewer than 2 values of k, or a run that does not fit: not assessed", () => {
    assert.deepEqual(c.assess(sweep({ 2: [2, 2] })), {
      verdict: "not assessed",
      numbers: { "k values": 1 },
      detail: "fewer than 2 latent dimensions trained (option latentSweep)",
    });
    assert.deepEqual(c.assess({ runs: [] }).numbers, { "k values": 0 });
    const m = sweep({ 1: [1, 1], 3: [3, 3] });
    m.runs[3] = run(8, 1, 3, { k: 3, relMse: 0.05 });
    assert.deepEqual(c.assess(m), {
      verdict: "not assessed",
      numbers: { runs: 4, "runs not fitting": 1 },
      detail:
        "learned rank against k: precondition failed — 1 of 4 runs do not fit their data (MSE ≥ 0.05 × target " +
        "variance): L = 8, k = 3, seed 1 (MSE/var 0.0500)",
    });
  });
});

describe("bottleneck claims: the symmetry task", () => {
  const base: SymmetryFacts = {
    relMse: 0.001,
    layer: 4,
    ev1: 0.8,
    ev2: 0.99,
    r2StatsFromRep: 0.95,
    r2RepFromStats: 0.97,
    crossingsLearned: 0,
    crossingsStats: 0,
    paths: 8,
  };
  const twoD = CLAIMS["symmetry-2d-statistics"];
  const paths = CLAIMS["symmetry-paths-no-crossing"];

  it("2-D and bijection exactly at their bars (EV top 2 = 0.99, R² = 0.95) are reproduced", () => {
    assert.deepEqual(SYM_RULE, { ev: 0.99, r2: 0.95 });
    const a = twoD.assess(base);
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, {
      "2-D: layer": 4,
      "2-D: EV top 1": 0.8,
      "2-D: EV top 2": 0.99,
      "bijection: R² stats from rep": 0.95,
      "bijection: R² rep from stats": 0.97,
    });
    assert.equal(
      a.detail,
      "[2-D] reproduced — layer 4: top-1 PC 0.8000, top-2 PCs 0.9900 of the variance [bijection] reproduced — 5-NN " +
        "R²: statistics from representation 0.950, representation from statistics 0.970",
    );
  });

  it("one part failing is partly: EV top 1 at 0.99, EV top 2 below, one R² below 0.95 (either way)", () => {
    const oneAtBar = twoD.assess({ ...base, ev1: 0.99, ev2: 0.995 });
    assert.equal(oneAtBar.verdict, "partly");
    assert.equal(
      oneAtBar.detail,
      "[2-D] not reproduced — layer 4: top-1 PC 0.9900, top-2 PCs 0.9950 of the variance [bijection] reproduced — " +
        "5-NN R²: statistics from representation 0.950, representation from statistics 0.970",
    );
    assert.equal(twoD.assess({ ...base, ev2: 0.9899 }).verdict, "partly");
    const lowRep = twoD.assess({ ...base, r2StatsFromRep: 0.96, r2RepFromStats: 0.9499 });
    assert.equal(lowRep.verdict, "partly");
    assert.deepEqual(lowRep.numbers, {
      "2-D: layer": 4,
      "2-D: EV top 1": 0.8,
      "2-D: EV top 2": 0.99,
      "bijection: R² stats from rep": 0.96,
      "bijection: R² rep from stats": 0.95,
    });
    assert.equal(
      lowRep.detail,
      "[2-D] reproduced — layer 4: top-1 PC 0.8000, top-2 PCs 0.9900 of the variance [bijection] not reproduced — " +
        "5-NN R²: statistics from representation 0.960, representation from statistics 0.950",
    );
    assert.equal(twoD.assess({ ...base, r2StatsFromRep: 0.9499, r2RepFromStats: 0.99 }).verdict, "partly");
  });

  it("neither part is not reproduced; EV rounded to 5 decimals in the numbers", () => {
    const a = twoD.assess({ ...base, ev1: 0.123456, ev2: 0.5, r2StatsFromRep: 0.12345, r2RepFromStats: 0.5 });
    assert.equal(a.verdict, "not reproduced");
    assert.deepEqual(a.numbers, {
      "2-D: layer": 4,
      "2-D: EV top 1": 0.12346,
      "2-D: EV top 2": 0.5,
      "bijection: R² stats from rep": 0.123,
      "bijection: R² rep from stats": 0.5,
    });
  });

  it("the network not fitting (MSE/var 0.05, or NaN): both symmetry claims not assessed", () => {
    assert.deepEqual(twoD.assess({ ...base, relMse: 0.05 }), {
      verdict: "not assessed",
      numbers: { "MSE / variance": 0.05 },
      detail: "precondition failed: the symmetry network does not fit its data (MSE / target variance 0.0500 ≥ 0.05)",
    });
    assert.equal(twoD.assess({ ...base, relMse: NaN }).verdict, "not assessed");
    assert.equal(twoD.assess({ ...base, relMse: 0.0499 }).verdict, "reproduced");
    assert.deepEqual(paths.assess({ ...base, relMse: 0.05, crossingsLearned: 2 }), {
      verdict: "not assessed",
      numbers: { paths: 8, "crossings (learned plane)": 2, "crossings (true statistics)": 0 },
      detail: "precondition failed: the symmetry network does not fit its data (MSE / target variance 0.0500 ≥ 0.05)",
    });
    assert.equal(paths.assess({ ...base, relMse: NaN }).verdict, "not assessed");
  });

  it("paths: 0 crossings reproduced, 1 not; crossings among the true statistics make it not assessed", () => {
    assert.deepEqual(paths.assess({ ...base, relMse: 0.0499 }), {
      verdict: "reproduced",
      numbers: { paths: 8, "crossings (learned plane)": 0, "crossings (true statistics)": 0 },
      detail: "0 crossings among 8 GD paths in the learned plane (0 in the true-statistics plane)",
    });
    assert.deepEqual(paths.assess({ ...base, crossingsLearned: 1, paths: 6 }), {
      verdict: "not reproduced",
      numbers: { paths: 6, "crossings (learned plane)": 1, "crossings (true statistics)": 0 },
      detail: "1 crossings among 6 GD paths in the learned plane (0 in the true-statistics plane)",
    });
    assert.deepEqual(paths.assess({ ...base, crossingsStats: 1, crossingsLearned: 3 }), {
      verdict: "not assessed",
      numbers: { paths: 8, "crossings (learned plane)": 3, "crossings (true statistics)": 1 },
      detail:
        "the 8 paths cross 1 times in the plane of the true statistics, so crossings in the learned plane say nothing",
    });
  });
});
