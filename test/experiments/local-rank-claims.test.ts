/**
 * The local-rank study's claims ledger (src/experiments/local-rank/claims.ts), branch by branch: every verdict each
 * rule can give, its numbers and its detail text on small hand-built measurements worked out by hand from the rule's
 * templates, inputs exactly at each threshold, and the exact permutation p-values against an enumeration written
 * here. Complements test/experiments/local-rank-vib.test.ts, study-local-rank.test.ts and linalg/boundaries.test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assessClaim, Numbers } from "../../src/report/ledger";
import {
  CLAIMS,
  FIG1_RULE,
  FIG2_RULE,
  FIG3_RULE,
  ibLevelCrossings,
  plateauIndex,
  spearmanTest,
  terminalFall,
  TrainingCurve,
} from "../../src/experiments/local-rank/claims";

/** Prefixes every key as `combine` does for a part labelled `label`. */
const prefixed = (label: string, n: Numbers): Numbers =>
  Object.fromEntries(Object.entries(n).map(([k, v]) => [`${label}: ${k}`, v]));

// ---------------------------------------------------------------------------------------------
// An independent Spearman reference: ranks by counting, Pearson on them, all n! orderings
// ---------------------------------------------------------------------------------------------

/** Mid-ranks by counting: rank = #{smaller} + (#{equal} + 1)/2. */
const midRanks = (v: number[]) =>
  v.map((x) => v.filter((y) => y < x).length + (v.filter((y) => y === x).length + 1) / 2);

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Every ordering of the positions 0 … n − 1 (Heap's algorithm). */
function allOrders(n: number): number[][] {
  const out: number[][] = [];
  const a = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  out.push(a.slice());
  let i = 0;
  while (i < n) {
    if (c[i] < i) {
      if (i % 2 === 0) [a[0], a[i]] = [a[i], a[0]];
      else [a[c[i]], a[i]] = [a[i], a[c[i]]];
      out.push(a.slice());
      c[i]++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}

/** Exact one-sided p of Spearman's ρ over all n! orderings of y (ties within 1e-9 count as reaching ρ). */
function spearmanReference(x: number[], y: number[], direction: "positive" | "negative") {
  const rx = midRanks(x);
  const ry = midRanks(y);
  const rho = corr(rx, ry);
  const s = direction === "positive" ? 1 : -1;
  const orders = allOrders(x.length);
  const hits = orders.filter(
    (o) =>
      s *
        corr(
          rx,
          o.map((i) => ry[i]),
        ) >=
      s * rho - 1e-9,
  ).length;
  return { rho, p: hits / orders.length };
}

describe("local-rank claims: spearmanTest", () => {
  it("the enumeration written here visits every ordering once", () => {
    const orders = allOrders(5);
    assert.equal(orders.length, 120);
    assert.equal(new Set(orders.map((o) => o.join(","))).size, 120);
  });

  it("ρ and the exact p against the enumeration, with ties at the start, middle and end, both directions", () => {
    const cases: [number[], number[]][] = [
      [
        [1, 2, 3, 4],
        [1, 1, 2, 3],
      ],
      [
        [1, 2, 3, 4, 5],
        [2, 1, 4, 4, 3],
      ],
      [
        [3, 1, 2, 5, 4],
        [0.5, 0.5, 0.2, 0.9, 0.9],
      ],
      [
        [10, 20, 20, 30, 40, 50],
        [6, 2, 2, 2, 5, 1],
      ],
      [
        [1, 2, 3, 4, 5, 6],
        [1, 3, 2, 5, 4, 6],
      ],
    ];
    for (const [x, y] of cases)
      for (const dir of ["positive", "negative"] as const) {
        const t = spearmanTest(x, y, dir);
        const r = spearmanReference(x, y, dir);
        assert.ok(Math.abs(t.rho - r.rho) < 1e-12, `${x} / ${y}: ρ ${t.rho} vs ${r.rho}`);
        assert.ok(Math.abs(t.p - r.p) < 1e-12, `${x} / ${y} ${dir}: p ${t.p} vs ${r.p}`);
        assert.equal(t.exact, true);
      }
    // by hand: mid-ranks 1.5 1.5 3 4 against 1 2 3 4 give ρ = 4.5/√22.5 = 3/√10
    assert.ok(Math.abs(spearmanTest([1, 2, 3, 4], [1, 1, 2, 3], "positive").rho - 3 / Math.sqrt(10)) < 1e-12);
    // no ties: ρ = 1 − 6Σd²/(n(n² − 1)); one adjacent swap of 6 (Σd² = 2): ρ = 1 − 12/210, p = (1 + 5)/720
    const swap = spearmanTest([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 6, 5], "positive");
    assert.ok(Math.abs(swap.rho - (1 - 12 / 210)) < 1e-12);
    assert.ok(Math.abs(swap.p - 6 / 720) < 1e-15);
  });

  it("n = 8 is still exact: one adjacent swap has p = (1 + 7)/8!", () => {
    const t = spearmanTest([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 8, 7], "positive");
    assert.equal(t.exact, true);
    assert.ok(Math.abs(t.rho - (1 - 12 / 504)) < 1e-12);
    assert.ok(Math.abs(t.p - 8 / 40320) < 1e-15, `p ${t.p}`);
  });

  it("n = 9: 20 000 seeded permutations, p a multiple of 1/20 000 near the exact 1/9", () => {
    // a single high value at the last of 9 points: exactly 1 in 9 orderings puts it there
    const t = spearmanTest([1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 0, 0, 0, 0, 0, 0, 1], "positive");
    assert.equal(t.exact, false);
    const hits = t.p * 20000;
    assert.ok(Math.abs(hits - Math.round(hits)) < 1e-6, `p ${t.p} is not a count over 20 000`);
    assert.ok(Math.abs(t.p - 1 / 9) < 0.01, `p ${t.p} vs 1/9`);
    assert.deepEqual(spearmanTest([1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 0, 0, 0, 0, 0, 0, 1], "negative"), {
      rho: t.rho,
      p: 1,
      exact: false,
    });
  });

  it("a constant x (or y) has ρ = 0 and p = 1 either way", () => {
    assert.deepEqual(spearmanTest([7, 7, 7, 7], [1, 2, 3, 4], "positive"), { rho: 0, p: 1, exact: true });
    assert.deepEqual(spearmanTest([7, 7, 7, 7], [1, 2, 3, 4], "negative"), { rho: 0, p: 1, exact: true });
    assert.deepEqual(spearmanTest([1, 2, 3, 4], [5, 5, 5, 5], "negative"), { rho: 0, p: 1, exact: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Fig. 1: plateauIndex, terminalFall, the fall rules, their budgets
// ---------------------------------------------------------------------------------------------

describe("local-rank claims: Fig. 1 helpers", () => {
  it("the rule's constants", () => {
    assert.deepEqual(FIG1_RULE, { plateau: 0.05, margin: 0.1, minTerminal: 3, signTestSeeds: 5, alpha: 0.05 });
  });

  it("plateauIndex: two checkpoints suffice; a flat or interrupted loss has no plateau", () => {
    assert.equal(plateauIndex([2, 1]), 1);
    assert.equal(plateauIndex([2]), undefined);
    assert.equal(plateauIndex([]), undefined);
    assert.equal(plateauIndex([1, 1]), undefined, "a loss that did not fall (drop 0)");
    assert.equal(plateauIndex([2, NaN, 1, 1]), undefined, "a non-finite loss inside the curve");
    assert.equal(plateauIndex([2, Infinity, 1, 1]), undefined);
  });

  it("plateauIndex: a checkpoint exactly at frac·(L_0 − L_T) above the end is on the plateau", () => {
    // drop 20, 0.05·20 = 1 exactly: L_1 − L_T = 1 is inside, 1 + 2⁻²⁰ is not
    assert.equal(plateauIndex([21, 2, 1, 1]), 1);
    assert.equal(plateauIndex([21, 2 + 2 ** -20, 1, 1]), 2);
    // a custom fraction: drop 4, 0.25·4 = 1
    assert.equal(plateauIndex([5, 2, 1.25, 1], 0.25), 1);
    assert.equal(plateauIndex([5, 2.5, 1.25, 1], 0.25), 2);
    // frac ≥ 1: every checkpoint is on the plateau
    assert.equal(plateauIndex([2, 1], 1), 0);
  });

  it("terminalFall: judged runs (peak over the terminal phase only, the 10 % margin exactly)", () => {
    const steps = [0, 7, 8, 9];
    const loss = [2, 1, 1, 1]; // plateau at checkpoint 1 (step 7): 3 terminal checkpoints
    assert.deepEqual(terminalFall(steps, loss, [50, 10, 10, 5]), {
      plateauStep: 7,
      plateauLoss: 1,
      terminal: 3,
      peak: 10,
      final: 5,
      falls: true,
    });
    // final exactly 0.9 × peak (0.9·10 = 9 in float64) does not fall; just below does
    assert.deepEqual(terminalFall(steps, loss, [0, 10, 8, 9]), {
      plateauStep: 7,
      plateauLoss: 1,
      terminal: 3,
      peak: 10,
      final: 9,
      falls: false,
    });
    assert.equal((terminalFall(steps, loss, [0, 10, 8, 8.99]) as { falls: boolean }).falls, true);
    // the peak may be the last value: no fall
    assert.deepEqual(terminalFall(steps, loss, [0, 5, 8, 10]), {
      plateauStep: 7,
      plateauLoss: 1,
      terminal: 3,
      peak: 10,
      final: 10,
      falls: false,
    });
  });

  it("terminalFall: why a run cannot be judged", () => {
    assert.deepEqual(terminalFall([0, 1, 2, 3], [2, NaN, 1, 1], [1, 1, 1, 1]), {
      why: "the train loss is not finite",
    });
    assert.deepEqual(terminalFall([0, 1, 2, 3], [1, 1, 1, 1], [1, 1, 1, 1]), { why: "the train loss never fell" });
    // plateau at checkpoint 2 (step 8): 2 terminal checkpoints, one short of the 3 needed
    assert.deepEqual(terminalFall([0, 7, 8, 9], [2, 2, 1, 1], [1, 1, 1, 1]), {
      why: "the train loss plateaus at step 8: 2 terminal checkpoint(s), fewer than 3",
    });
    // exactly 3 terminal checkpoints are enough
    assert.equal("why" in terminalFall([0, 7, 8, 9], [2, 1, 1, 1], [1, 1, 1, 1]), false);
  });
});

/** Checkpoints 0 … 3 with the train loss flat from checkpoint 1 on: the plateau is at step 1, 3 terminal checkpoints. */
const STEPS = [0, 1, 2, 3];
const LOSS = [2, 1, 1, 1];
const NEVER = [1, 1, 1, 1]; // a train loss that never fell: the run is not judged
const FALLS = [10, 10, 10, 5]; // terminal peak 10, final 5 < 0.9·10: a fall of half the peak
const FLAT = [10, 10, 10, 10];

function curve(
  seed: number,
  layer2: number[],
  o: { label?: string; control?: boolean; loss?: number[]; rel?: number[][]; sizes?: number[] } = {},
): TrainingCurve {
  return {
    label: o.label ?? "Gaussian",
    ...(o.control ? { control: true } : {}),
    seed,
    sizes: o.sizes ?? [4, 10, 10, 2],
    steps: STEPS,
    trainLoss: o.loss ?? LOSS,
    // layer 1 and the output layer fall too: fig1-terminal-fall must not look at them
    localRank: layer2.map((v, c) => [8 - c, v, 2 - (c === 3 ? 1 : 0)]),
    // the relative-ε series differs from the absolute one, so each rule shows which it reads
    localRankRel: o.rel ?? layer2.map(() => [6, 3, 2]),
  };
}
const ctl = (seed: number, layer2: number[], loss = LOSS) => curve(seed, layer2, { control: true, loss });

/** The numbers and line judgeGroup writes for a run of `curve` (by hand from its templates). */
const seedNumbers = (seed: number, falls: boolean): Numbers => ({
  [`seed ${seed} plateau step`]: 1,
  [`seed ${seed} terminal peak`]: 10,
  [`seed ${seed} final`]: falls ? 5 : 10,
  [`seed ${seed} change %`]: falls ? -50 : 0,
});
const seedLine = (seed: number, falls: boolean) =>
  `seed ${seed}: plateau at step 1 (train loss 1.00), terminal peak 10.0 → final ${falls ? "5.0" : "10.0"} over 3 ` +
  `checkpoints (${falls ? "falls" : "no fall"})`;
const manyNumbers = (seeds: number[], falls: boolean): Numbers =>
  Object.assign({}, ...seeds.map((s) => seedNumbers(s, falls))) as Numbers;
const manyLines = (seeds: number[], falls: boolean) => seeds.map((s) => seedLine(s, falls)).join("; ");
const NOT_FELL = (seed: number) => `seed ${seed}: not judged (the train loss never fell)`;

const HEAD = "local rank (absolute ε), Gaussian layer 2";
const PART = "Gaussian layer 2";
const FALL = "mean terminal fall (fraction of the peak)";
const NO_CONTROL = ". No control run: the fall cannot be told from the optimiser's decay acting alone";
// p = 1/32 = 0.03125; the ledger's binomial tail sums exp(log C − n ln 2) and gives 0.031249999999999986, so
// toPrecision(3) reads 0.0312 (the exact value would round to 0.0313)
const SIGN_5_OF_5: Numbers = {
  runs: 5,
  "runs < 0": 5,
  "sign-test p": 0.0312,
  "p against (opposite side)": 1,
  alpha: 0.05,
  "runs needed for p < alpha": 5,
};
const SIGN_5_DETAIL =
  `${HEAD}, final − 0.9 × terminal peak: 5 of 5 runs negative, one-sided sign test p = 0.0312 ` +
  `(< 0.05; 5 of 5 needed)`;
const FIVE = [0, 1, 2, 3, 4];
const fig1 = CLAIMS["fig1-terminal-fall"];
const fig1Rel = CLAIMS["fig1-terminal-fall-relative-eps"];

describe("local-rank claims: fig1-terminal-fall and its relative-ε extension", () => {
  it("nothing to judge: no run, only control runs, or no hidden layer the rule reads", () => {
    const none = { verdict: "not assessed", numbers: {}, detail: "no run has a layer this rule judges" };
    assert.deepEqual(fig1.assess({ runs: [] }), none);
    assert.deepEqual(fig1Rel.assess({ runs: [] }), none);
    assert.deepEqual(fig1.assess({ runs: [ctl(0, FALLS), ctl(1, FALLS)] }), none);
    // one hidden layer (sizes [4, 10, 2], L = 2): fig1 judges layers 2 … L − 1, i.e. none; the relative-ε rule layer 1
    const shallow = [curve(0, FALLS, { sizes: [4, 10, 2], rel: FALLS.map((v) => [v, 2]) })];
    assert.deepEqual(fig1.assess({ runs: shallow }), none);
    const rel = fig1Rel.assess({ runs: shallow });
    assert.deepEqual(Object.keys(rel.numbers), [
      "Gaussian layer 1: runs",
      "Gaussian layer 1: falling",
      "Gaussian layer 1: seed 0 plateau step",
      "Gaussian layer 1: seed 0 terminal peak",
      "Gaussian layer 1: seed 0 final",
      "Gaussian layer 1: seed 0 change %",
      `Gaussian layer 1: task ${FALL}`,
    ]);
    assert.equal(rel.numbers["Gaussian layer 1: falling"], 1);
  });

  it("no task run can be judged, no control: not assessed, the runs counted, the reasons given", () => {
    assert.deepEqual(fig1.assess({ runs: [curve(0, FALLS, { loss: NEVER })] }), {
      verdict: "not assessed",
      numbers: { [`${PART}: runs`]: 1 },
      detail: `[${PART}] not assessed — ${HEAD}: no run could be judged: ${NOT_FELL(0)}${NO_CONTROL}`,
    });
  });

  it("no task run can be judged, the control can: not assessed, the task's effect not measured", () => {
    const a = fig1.assess({ runs: [curve(0, FALLS, { loss: NEVER }), ctl(0, FLAT), ctl(1, FLAT), ctl(2, FLAT)] });
    const cmp = `task ${FALL} NaN against control 0.00 (difference NaN, margin 0.1)`;
    assert.deepEqual(a, {
      verdict: "not assessed",
      numbers: prefixed(PART, {
        runs: 1,
        [`task ${FALL}`]: NaN,
        [`control ${FALL}`]: 0,
        "task − control": NaN,
        "control margin": 0.1,
      }),
      control: prefixed(PART, { runs: 3, "judged runs": 3, "mean terminal fall": 0, ...manyNumbers([0, 1, 2], false) }),
      detail:
        `[${PART}] not assessed — ${HEAD}: no run could be judged: ${NOT_FELL(0)}. Control: not measured (${cmp})` +
        `. Control runs: ${manyLines([0, 1, 2], false)}`,
    });
  });

  it("fewer than 5 judged runs: inconclusive with the counts, whatever they show", () => {
    const a = fig1.assess({ runs: [curve(0, FALLS), curve(1, FLAT), curve(2, FALLS, { loss: NEVER })] });
    assert.deepEqual(a, {
      verdict: "inconclusive",
      numbers: prefixed(PART, {
        runs: 2,
        falling: 1,
        ...seedNumbers(0, true),
        ...seedNumbers(1, false),
        [`task ${FALL}`]: 0.25,
      }),
      detail:
        `[${PART}] inconclusive — ${HEAD}: 1 of 2 run(s) fall below 90 % of the terminal peak; a sign test needs ` +
        `≥ 5 independent runs to reach p < 0.05: ${seedLine(0, true)}; ${seedLine(1, false)}; ${NOT_FELL(2)}` +
        NO_CONTROL,
    });
    // 4 falling runs with a control that does not fall: still no test, so still inconclusive
    const four = fig1.assess({
      runs: [0, 1, 2, 3].map((s) => curve(s, FALLS)).concat([0, 1, 2].map((s) => ctl(s, FLAT))),
    });
    assert.equal(four.verdict, "inconclusive");
    assert.equal(four.numbers[`${PART}: falling`], 4);
    assert.equal(four.numbers[`${PART}: runs`], 4);
    // a final exactly 0.9 × the peak is not a fall
    const edge = fig1.assess({ runs: [curve(0, [10, 10, 10, 9])] });
    assert.equal(edge.numbers[`${PART}: falling`], 0);
  });

  it("5 falling runs without a control: the sign test passes, the verdict stays inconclusive", () => {
    assert.deepEqual(fig1.assess({ runs: FIVE.map((s) => curve(s, FALLS)) }), {
      verdict: "inconclusive",
      numbers: prefixed(PART, { ...SIGN_5_OF_5, ...manyNumbers(FIVE, true), [`task ${FALL}`]: 0.5 }),
      detail: `[${PART}] inconclusive — ${SIGN_5_DETAIL}: ${manyLines(FIVE, true)}${NO_CONTROL}`,
    });
  });

  it("5 runs, none falling, without a control: not reproduced (evidence against needs no control)", () => {
    assert.deepEqual(fig1.assess({ runs: FIVE.map((s) => curve(s, FLAT)) }), {
      verdict: "not reproduced",
      numbers: prefixed(PART, {
        runs: 5,
        "runs < 0": 0,
        "sign-test p": 1,
        "p against (opposite side)": 0.0312,
        alpha: 0.05,
        "runs needed for p < alpha": 5,
        ...manyNumbers(FIVE, false),
        [`task ${FALL}`]: 0,
      }),
      detail:
        `[${PART}] not reproduced — ${HEAD}, final − 0.9 × terminal peak: 0 of 5 runs negative, one-sided sign ` +
        `test p = 1.00 (≥ 0.05; 5 of 5 needed); the runs go the other way beyond chance (p = 0.0312): ` +
        `${manyLines(FIVE, false)}${NO_CONTROL}`,
    });
  });

  it("5 falling runs, control runs none of which can be judged: inconclusive, the control counted", () => {
    const a = fig1.assess({ runs: [...FIVE.map((s) => curve(s, FALLS)), ctl(0, FLAT, NEVER), ctl(1, FLAT, NEVER)] });
    assert.deepEqual(a, {
      verdict: "inconclusive",
      numbers: prefixed(PART, { ...SIGN_5_OF_5, ...manyNumbers(FIVE, true), [`task ${FALL}`]: 0.5 }),
      control: { [`${PART}: runs`]: 2 },
      detail:
        `[${PART}] inconclusive — ${SIGN_5_DETAIL}: ${manyLines(FIVE, true)}. Control: no run could be judged ` +
        `(${NOT_FELL(0)}; ${NOT_FELL(1)})`,
    });
    // a task that goes the other way keeps its "not reproduced"
    const against = fig1.assess({ runs: [...FIVE.map((s) => curve(s, FLAT)), ctl(0, FLAT, NEVER)] });
    assert.equal(against.verdict, "not reproduced");
  });

  it("5 falling runs against 3 judged control runs that keep their rank: reproduced, both sides' numbers", () => {
    const runs = [...FIVE.map((s) => curve(s, FALLS)), ...[0, 1, 2].map((s) => ctl(s, FLAT)), ctl(3, FLAT, NEVER)];
    assert.deepEqual(fig1.assess({ runs }), {
      verdict: "reproduced",
      numbers: prefixed(PART, {
        ...SIGN_5_OF_5,
        ...manyNumbers(FIVE, true),
        [`task ${FALL}`]: 0.5,
        [`control ${FALL}`]: 0,
        "task − control": 0.5,
        "control margin": 0.1,
      }),
      control: prefixed(PART, { runs: 4, "judged runs": 3, "mean terminal fall": 0, ...manyNumbers([0, 1, 2], false) }),
      detail:
        `[${PART}] reproduced — ${SIGN_5_DETAIL}: ${manyLines(FIVE, true)}. Against the control: task ${FALL} 0.500 ` +
        `against control 0.00 (difference 0.500, margin 0.1): the task's effect exceeds the control's by more than ` +
        `the margin. Control runs: ${manyLines([0, 1, 2], false)}; ${NOT_FELL(3)}`,
    });
  });

  it("the control falls as much: not reproduced; 2 judged control runs cannot decide", () => {
    const same = fig1.assess({ runs: [...FIVE.map((s) => curve(s, FALLS)), ...[0, 1, 2].map((s) => ctl(s, FALLS))] });
    assert.equal(same.verdict, "not reproduced");
    assert.equal(same.control?.[`${PART}: mean terminal fall`], 0.5);
    assert.ok(
      same.detail.endsWith(
        `. Against the control: task ${FALL} 0.500 against control 0.500 (difference 0.00, margin 0.1): the control ` +
          `shows the effect at least as strongly: it appears without the paper's mechanism. Control runs: ` +
          manyLines([0, 1, 2], true),
      ),
      same.detail,
    );
    const two = fig1.assess({
      runs: [...FIVE.map((s) => curve(s, FALLS)), ctl(0, FLAT), ctl(1, FLAT), ctl(2, FLAT, NEVER)],
    });
    assert.equal(two.verdict, "inconclusive");
    assert.deepEqual(two.control, {
      [`${PART}: runs`]: 3,
      [`${PART}: judged runs`]: 2,
      [`${PART}: mean terminal fall`]: 0,
      ...prefixed(PART, manyNumbers([0, 1], false)),
    });
  });

  it("parts per dataset and layer: the relative-ε rule reads layers 1 … L − 1 of its own series", () => {
    // MNIST: layer 1 (relative ε) falls 8 → 4, layer 2 stays at 10; a label with control runs only adds no part
    const rel = [8, 8, 8, 4].map((v) => [v, 10, 2]);
    const runs = [ctl(0, FALLS), curve(0, [20, 20, 20, 20], { label: "MNIST", rel })];
    const line = (peak: string, final: string, falls: boolean) =>
      `seed 0: plateau at step 1 (train loss 1.00), terminal peak ${peak} → final ${final} over 3 checkpoints ` +
      `(${falls ? "falls" : "no fall"})`;
    const few = (n: number) =>
      `${n} of 1 run(s) fall below 90 % of the terminal peak; a sign test needs ≥ 5 independent runs to reach p < 0.05`;
    assert.deepEqual(fig1Rel.assess({ runs }), {
      verdict: "inconclusive",
      numbers: {
        ...prefixed("MNIST layer 1", {
          runs: 1,
          falling: 1,
          "seed 0 plateau step": 1,
          "seed 0 terminal peak": 8,
          "seed 0 final": 4,
          "seed 0 change %": -50,
          [`task ${FALL}`]: 0.5,
        }),
        ...prefixed("MNIST layer 2", { runs: 1, falling: 0, ...seedNumbers(0, false), [`task ${FALL}`]: 0 }),
      },
      detail:
        `[MNIST layer 1] inconclusive — relative-ε local rank, MNIST layer 1: ${few(1)}: ` +
        `${line("8.0", "4.0", true)}${NO_CONTROL} ` +
        `[MNIST layer 2] inconclusive — relative-ε local rank, MNIST layer 2: ${few(0)}: ` +
        `${line("10.0", "10.0", false)}${NO_CONTROL}`,
    });
    // the absolute-ε rule reads layer 2 of localRank only (20 throughout)
    assert.deepEqual(fig1.assess({ runs }), {
      verdict: "inconclusive",
      numbers: prefixed("MNIST layer 2", {
        runs: 1,
        falling: 0,
        "seed 0 plateau step": 1,
        "seed 0 terminal peak": 20,
        "seed 0 final": 20,
        "seed 0 change %": 0,
        [`task ${FALL}`]: 0,
      }),
      detail:
        `[MNIST layer 2] inconclusive — local rank (absolute ε), MNIST layer 2: ${few(0)}: ` +
        `${line("20.0", "20.0", false)}${NO_CONTROL}`,
    });
  });

  it("atBudget: the checkpoints at steps ≤ fraction × last, every series cut alike; nothing left → undefined", () => {
    const cut = fig1.atBudget!;
    assert.equal(fig1Rel.atBudget, cut);
    const r: TrainingCurve = {
      label: "L",
      control: true,
      seed: 3,
      sizes: [1, 2, 3],
      steps: [0, 2, 4],
      trainLoss: [5, 4, 3],
      localRank: [[1], [2], [3]],
      localRankRel: [[4], [5], [6]],
    };
    // 0.5·4 = 2: the checkpoint at step 2 is kept
    assert.deepEqual(cut({ runs: [r] }, 0.5), {
      runs: [{ ...r, steps: [0, 2], trainLoss: [5, 4], localRank: [[1], [2]], localRankRel: [[4], [5]] }],
    });
    assert.deepEqual(cut({ runs: [r] }, 1), { runs: [r] });
    // one checkpoint left is nothing to judge
    assert.equal(cut({ runs: [r] }, 0.25), undefined);
    // one run with two checkpoints is enough for the whole measurement
    const s = { ...r, steps: [0, 3, 4] };
    const both = cut({ runs: [r, s] }, 0.5);
    assert.deepEqual(
      both?.runs.map((x) => x.steps),
      [[0, 2], [0]],
    );
  });

  it("assessClaim judges fig1-terminal-fall at ¼, ½ and all of the steps", () => {
    // 8 checkpoints, the loss flat from checkpoint 1; layer 2 falls only at the very end
    const steps = [0, 1, 2, 3, 4, 5, 6, 7];
    const mk = (seed: number, falls: boolean, control = false): TrainingCurve => ({
      label: "Gaussian",
      ...(control ? { control } : {}),
      seed,
      sizes: [4, 10, 10, 2],
      steps,
      trainLoss: [2, 1, 1, 1, 1, 1, 1, 1],
      localRank: steps.map((c) => [8, falls && c === 7 ? 5 : 10, 2]),
      localRankRel: steps.map(() => [6, 3, 2]),
    });
    const m = { runs: [...FIVE.map((s) => mk(s, true)), ...[0, 1, 2].map((s) => mk(s, false, true))] };
    const e = assessClaim(fig1, m);
    const own = fig1.assess(m);
    assert.equal(e.verdict, "reproduced");
    // ¼: steps ≤ 1.75 leave 2 checkpoints, 1 terminal (not judged); ½: steps ≤ 3.5, 3 terminal, no fall yet
    assert.deepEqual(
      e.budgets?.map((b) => [b.fraction, b.verdict]),
      [
        [0.25, "not assessed"],
        [0.5, "not reproduced"],
        [1, "reproduced"],
      ],
    );
    assert.equal(e.stable, false);
    assert.match(e.budgets![0].detail, /seed 0: not judged \(the train loss plateaus at step 1: 1 terminal checkpoint/);
    assert.equal(
      e.detail,
      own.detail +
        " Budgets (fraction of the steps: verdict): 0.25: not assessed, 0.5: not reproduced, 1: reproduced — not " +
        "stable: the verdict depends on how long training runs.",
    );
  });

  it("assessClaim on the relative-ε rule: budgets that cut everything are 'nothing to judge yet'", () => {
    // steps 0, 10, 11, 12: ¼ and ½ of 12 keep only step 0
    const mk = (seed: number, falls: boolean, control = false): TrainingCurve => ({
      ...curve(seed, FLAT, { control, rel: [8, 8, 8, falls ? 4 : 8].map((v) => [v, falls ? 2 * v : 16, 2]) }),
      steps: [0, 10, 11, 12],
    });
    const m = { runs: [...FIVE.map((s) => mk(s, true)), ...[0, 1, 2].map((s) => mk(s, false, true))] };
    const e = assessClaim(fig1Rel, m);
    assert.equal(e.verdict, "reproduced");
    assert.deepEqual(e.budgets, [
      { fraction: 0.25, verdict: "not assessed", detail: "nothing to judge yet", numbers: {} },
      { fraction: 0.5, verdict: "not assessed", detail: "nothing to judge yet", numbers: {} },
      { fraction: 1, verdict: "reproduced", detail: fig1Rel.assess(m).detail },
    ]);
    assert.ok(
      e.detail.endsWith(
        " Budgets (fraction of the steps: verdict): 0.25: not assessed, 0.5: not assessed, 1: " +
          "reproduced — not stable: the verdict depends on how long training runs.",
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Fig. 2: the level crossings and the rule's verdicts, numbers and detail
// ---------------------------------------------------------------------------------------------

const fig2 = CLAIMS["fig2-ib-transitions"];
const GRID = [2, 3, 5, 8, 20, 50, 80, 120, 160, 400];
const CRIT = [4, 4, 4, 100, 100];
const tail = (falls: number, flickers: number) =>
  `${falls} sustained fall(s) between neighbouring grid points, ${flickers} one-point flicker(s) (a singular value ` +
  `at the ε threshold; read as the neighbour's value)`;
const fig2Numbers = (judged: number, matched: number, falls: number, flickers: number, crossings: Numbers) => ({
  "levels judged": judged,
  "levels matched": matched,
  "local-rank falls between grid points": falls,
  "one-point flickers (reported, not falls)": flickers,
  ...crossings,
});

describe("local-rank claims: fig2-ib-transitions", () => {
  it("every judged level matches, no fall: reproduced (crossings √15 and √9600 within 1.5 of 4 and 100)", () => {
    const a = fig2.assess({ betas: GRID, localRank: [0, 0, 3, 3, 3, 3, 3, 5, 5, 5], criticalBetas: CRIT });
    assert.deepEqual(a, {
      verdict: "reproduced",
      numbers: fig2Numbers(2, 2, 0, 0, { "level 3 crossing β": 3.873, "level 5 crossing β": 97.98 }),
      detail:
        "local rank over β 2 … 400: 0 0 3 3 3 3 3 5 5 5; rank 3: β_c 4, crossing 3.87 (between 3 and 5), ratio " +
        `0.97 — match; rank 5: β_c 100, crossing 98 (between 80 and 120), ratio 0.98 — match; ${tail(0, 0)}`,
    });
  });

  it("a flicker is reported, read as its neighbour; the sample's finite critical β are listed", () => {
    const a = fig2.assess({
      betas: GRID,
      localRank: [0, 0, 3, 3, 2, 3, 3, 5, 5, 5],
      criticalBetas: CRIT,
      sampleCriticalBetas: [3.9, Infinity, 4.1234, 101.56],
    });
    assert.equal(a.verdict, "reproduced");
    assert.deepEqual(a.numbers, fig2Numbers(2, 2, 0, 1, { "level 3 crossing β": 3.873, "level 5 crossing β": 97.98 }));
    assert.ok(
      a.detail.endsWith(
        `: 0 0 3 3 2 3 3 5 5 5; rank 3: β_c 4, crossing 3.87 (between 3 and 5), ratio 0.97 — match; ` +
          `rank 5: β_c 100, crossing 98 (between 80 and 120), ratio 0.98 — match; ${tail(0, 1)}; the training ` +
          "sample's own critical β: 3.9, 4.12, 102",
      ),
      a.detail,
    );
    // an empty sample list adds nothing
    const b = fig2.assess({
      betas: GRID,
      localRank: [0, 0, 3, 3, 3, 3, 3, 5, 5, 5],
      criticalBetas: CRIT,
      sampleCriticalBetas: [],
    });
    assert.ok(b.detail.endsWith(tail(0, 0)), b.detail);
  });

  it("no judged level matches (reached at the first grid point, never reached): not reproduced", () => {
    assert.deepEqual(fig2.assess({ betas: GRID, localRank: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], criticalBetas: CRIT }), {
      verdict: "not reproduced",
      numbers: fig2Numbers(2, 0, 0, 0, { "level 3 crossing β": "≤ 2", "level 5 crossing β": "never" }),
      detail:
        "local rank over β 2 … 400: 3 3 3 3 3 3 3 3 3 3; rank 3: β_c 4, crossing at or below the first grid point 2 " +
        `— miss; rank 5: β_c 100, crossing never reached — miss; ${tail(0, 0)}`,
    });
  });

  it("one level matches, one misses: partly", () => {
    assert.deepEqual(fig2.assess({ betas: GRID, localRank: [0, 0, 3, 3, 3, 3, 3, 3, 3, 5], criticalBetas: CRIT }), {
      verdict: "partly",
      numbers: fig2Numbers(2, 1, 0, 0, { "level 3 crossing β": 3.873, "level 5 crossing β": 253 }),
      detail:
        "local rank over β 2 … 400: 0 0 3 3 3 3 3 3 3 5; rank 3: β_c 4, crossing 3.87 (between 3 and 5), ratio " +
        `0.97 — match; rank 5: β_c 100, crossing 253 (between 160 and 400), ratio 2.53 — miss; ${tail(0, 0)}`,
    });
  });

  it("every judged level matches but the rank falls for good once: partly", () => {
    // 1 0 0 1 1 1: the dip does not come back at the next point, so it is a fall; level 1 crossing √(4·8) ≈ 5.66
    assert.deepEqual(fig2.assess({ betas: [1, 2, 4, 8, 16, 32], localRank: [1, 0, 0, 1, 1, 1], criticalBetas: [6] }), {
      verdict: "partly",
      numbers: fig2Numbers(1, 1, 1, 0, { "level 1 crossing β": 5.657 }),
      detail:
        "local rank over β 1 … 32: 1 0 0 1 1 1; rank 1: β_c 6, crossing 5.66 (between 4 and 8), ratio 0.94 — match; " +
        tail(1, 0),
    });
  });

  it("no level judged (β_c too near the grid's ends): not assessed, the crossings still reported", () => {
    const a = fig2.assess({ betas: [3, 5, 8, 20, 50, 120], localRank: [0, 3, 3, 3, 3, 5], criticalBetas: CRIT });
    assert.deepEqual(a, {
      verdict: "not assessed",
      numbers: fig2Numbers(0, 0, 0, 0, { "level 3 crossing β": 3.873, "level 5 crossing β": 77.46 }),
      detail:
        "no critical β lies inside the grid with a factor 1.5 margin: local rank over β 3 … 120: 0 3 3 3 3 5; " +
        "rank 3: β_c 4, crossing 3.87 (between 3 and 5), ratio 0.97 — not judged (β_c too near the grid's end); " +
        "rank 5: β_c 100, crossing 77.5 (between 50 and 120), ratio 0.77 — not judged (β_c too near the grid's end); " +
        tail(0, 0),
    });
  });

  it("ibLevelCrossings: flickers only one below and back; near-equal critical β are one level", () => {
    assert.deepEqual(FIG2_RULE, { factor: 1.5 });
    // two below is a fall, not a flicker
    const two = ibLevelCrossings({ betas: [1, 2, 3], localRank: [3, 1, 3], criticalBetas: [2] });
    assert.deepEqual([two.flickers, two.decreases], [0, 1]);
    // a rise by one is not a flicker either
    const rise = ibLevelCrossings({ betas: [1, 2, 3], localRank: [2, 3, 3], criticalBetas: [2] });
    assert.deepEqual([rise.flickers, rise.decreases, rise.levels[0].hi], [0, 0, 1]);
    // a flicker at the second-to-last point counts; the last point has no right neighbour
    const late = ibLevelCrossings({ betas: [1, 2, 3, 4], localRank: [0, 1, 0, 1], criticalBetas: [2] });
    assert.deepEqual([late.flickers, late.decreases], [1, 0]);
    const end = ibLevelCrossings({ betas: [1, 2, 3, 4], localRank: [0, 1, 1, 0], criticalBetas: [2] });
    assert.deepEqual([end.flickers, end.decreases], [0, 1]);
    // alternating dips: each one is read as its left neighbour
    const alt = ibLevelCrossings({ betas: [1, 2, 3, 4, 5], localRank: [3, 2, 3, 2, 3], criticalBetas: [2] });
    assert.deepEqual([alt.flickers, alt.decreases], [2, 0]);
    // critical values within 1e-9 relative are one level (the rank the count of them); 2e-9 apart are two
    const near = ibLevelCrossings({ betas: [1, 10], localRank: [0, 3], criticalBetas: [100, 4, 4 * (1 + 5e-10)] });
    assert.deepEqual(
      near.levels.map((l) => [l.level, l.criticalBeta]),
      [
        [2, 4],
        [3, 100],
      ],
    );
    // exactly at the tolerance: b − a = 1e-9·b in float64 (both found by search; checked below) is one level
    const [a, b] = [1.000000081740371, 1.000000082740371];
    assert.equal(b - a, 1e-9 * b);
    const at = ibLevelCrossings({ betas: [1, 10], localRank: [0, 3], criticalBetas: [a, b] });
    assert.deepEqual(
      at.levels.map((l) => [l.level, l.criticalBeta]),
      [[2, a]],
    );
    const apart = ibLevelCrossings({ betas: [1, 10], localRank: [0, 3], criticalBetas: [4, 4 * (1 + 2e-9)] });
    assert.deepEqual(
      apart.levels.map((l) => l.level),
      [1, 2],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Fig. 3: the Spearman trend rules
// ---------------------------------------------------------------------------------------------

const KL = "if the paper's β were the KL weight β_vib = 1/β";
const sweep = (localRank: number[], accuracy: number[], source = "mnist", betas = [1, 2, 4, 8]) => ({
  sweeps: [{ source, betas: betas.slice(0, localRank.length), localRank, accuracy }],
});
const trendNumbers = (source: string, n: number, rho: number, p: number, back: number, best: number) =>
  prefixed(source, {
    betas: n,
    "Spearman rho": rho,
    "one-sided p": p,
    "p the other way": back,
    "smallest p these ties allow": best,
  });
const rankRule = CLAIMS["fig3-rank-rises-with-beta"];
const accRule = CLAIMS["fig3-accuracy-falls-with-beta"];
const oppRule = CLAIMS["fig3-rank-accuracy-opposite"];

describe("local-rank claims: the Fig. 3 trend rules", () => {
  it("the rule's constants", () => {
    assert.deepEqual(FIG3_RULE, { alpha: 0.05, minBetas: 4 });
  });

  it("fewer than 4 β: not assessed; 4 β that rise: reproduced (p = 1/24)", () => {
    assert.deepEqual(rankRule.assess(sweep([1, 2, 3], [0.9, 0.8, 0.7])), {
      verdict: "not assessed",
      numbers: { "mnist: betas": 3 },
      detail: "[mnist] not assessed — mnist: 3 β values, fewer than 4",
    });
    assert.deepEqual(rankRule.assess(sweep([1, 2, 3, 4], [0.9, 0.8, 0.7, 0.6])), {
      verdict: "reproduced",
      numbers: trendNumbers("mnist", 4, 1, 0.0417, 1, 0.0417),
      detail:
        "[mnist] reproduced — local rank over 4 β from 1.00 to 8.00: 1 → 2 → 3 → 4; Spearman ρ 1.00, one-sided " +
        `exact permutation p 0.0417 (${KL}: ρ -1.00, p 1.00, would not hold)`,
    });
  });

  it("a rank that falls with β: not reproduced (the other way, p = 1/24)", () => {
    assert.deepEqual(rankRule.assess(sweep([4, 3, 2, 1], [0.9, 0.8, 0.7, 0.6])), {
      verdict: "not reproduced",
      numbers: trendNumbers("mnist", 4, -1, 1, 0.0417, 0.0417),
      detail:
        "[mnist] not reproduced — local rank over 4 β from 1.00 to 8.00: 4 → 3 → 2 → 1; Spearman ρ -1.00, " +
        "one-sided exact permutation p 1.00; the trend goes the other way beyond chance (p 0.0417) " +
        `(${KL}: ρ 1.00, p 0.0417, would hold)`,
    });
  });

  it("one swap of 4: inconclusive, neither direction reaches 0.05 though the ties would allow it", () => {
    // Σd² = 2: ρ = 1 − 12/60 = 0.8; p = (1 + 3)/24; the other way 23/24
    assert.deepEqual(rankRule.assess(sweep([1, 3, 2, 4], [0.9, 0.8, 0.7, 0.6])), {
      verdict: "inconclusive",
      numbers: trendNumbers("mnist", 4, 0.8, 0.167, 0.958, 0.0417),
      detail:
        "[mnist] inconclusive — local rank over 4 β from 1.00 to 8.00: 1 → 3 → 2 → 4; Spearman ρ 0.80, one-sided " +
        "exact permutation p 0.167; inconclusive: neither direction reaches p < 0.05 (the other way: p 0.958) " +
        `(${KL}: ρ -0.80, p 0.958, would not hold)`,
    });
  });

  it("p exactly 0.05 (three tied of five: 3!/5! = 6/120) is not below the level, either way", () => {
    const betas = [1, 2, 3, 4, 5];
    // rising with a triple tie: ρ = 8/√80, the best arrangement itself, p = 0.05 → saturated
    assert.deepEqual(rankRule.assess(sweep([1, 2, 2, 2, 3], [0.9, 0.8, 0.7, 0.6, 0.5], "mnist", betas)), {
      verdict: "inconclusive",
      numbers: trendNumbers("mnist", 5, 0.894, 0.05, 1, 0.05),
      detail:
        "[mnist] inconclusive — local rank over 5 β from 1.00 to 5.00: 1 → 2 → 2 → 2 → 3; Spearman ρ 0.89, " +
        "one-sided exact permutation p 0.0500; inconclusive: with these values' ties even the most extreme " +
        `arrangement gives p 0.0500 ≥ 0.05 (the series saturates: no power) (${KL}: ρ -0.89, p 1.00, would not hold)`,
    });
    // falling with the same ties: the other way at p = 0.05 is not beyond chance; the 1/β reading at 0.05 does not hold
    assert.deepEqual(rankRule.assess(sweep([3, 2, 2, 2, 1], [0.9, 0.8, 0.7, 0.6, 0.5], "mnist", betas)), {
      verdict: "inconclusive",
      numbers: trendNumbers("mnist", 5, -0.894, 1, 0.05, 0.05),
      detail:
        "[mnist] inconclusive — local rank over 5 β from 1.00 to 5.00: 3 → 2 → 2 → 2 → 1; Spearman ρ -0.89, " +
        "one-sided exact permutation p 1.00; inconclusive: with these values' ties even the most extreme " +
        `arrangement gives p 0.0500 ≥ 0.05 (the series saturates: no power) (${KL}: ρ 0.89, p 0.0500, would not hold)`,
    });
  });

  it("a constant series of 9 β: permutation p (not exact) 1, saturated", () => {
    const betas = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const flat = new Array<number>(9).fill(7);
    assert.deepEqual(rankRule.assess(sweep(flat, flat, "mnist", betas)), {
      verdict: "inconclusive",
      numbers: trendNumbers("mnist", 9, 0, 1, 1, 1),
      detail:
        "[mnist] inconclusive — local rank over 9 β from 1.00 to 9.00: 7 → 7 → 7 → 7 → 7 → 7 → 7 → 7 → 7; Spearman " +
        "ρ 0.00, one-sided permutation p 1.00; inconclusive: with these values' ties even the most extreme " +
        `arrangement gives p 1.00 ≥ 0.05 (the series saturates: no power) (${KL}: ρ 0.00, p 1.00, would not hold)`,
    });
  });

  it("two datasets: the parts combine, numbers prefixed by source", () => {
    const m = {
      sweeps: [
        { source: "mnist", betas: [1, 2, 4, 8], localRank: [1, 2, 3, 4], accuracy: [0.9, 0.8, 0.7, 0.6] },
        { source: "fashion-mnist", betas: [1, 2, 4], localRank: [1, 2, 3], accuracy: [0.9, 0.8, 0.7] },
      ],
    };
    const a = rankRule.assess(m);
    assert.equal(a.verdict, "partly");
    assert.deepEqual(a.numbers, { ...trendNumbers("mnist", 4, 1, 0.0417, 1, 0.0417), "fashion-mnist: betas": 3 });
    assert.ok(a.detail.endsWith(" [fashion-mnist] not assessed — fashion-mnist: 3 β values, fewer than 4"), a.detail);
  });

  it("accuracy: falling with β reproduced, rising not reproduced (and the 1/β reading would hold)", () => {
    assert.deepEqual(accRule.assess(sweep([1, 1, 1, 1], [0.9, 0.8, 0.7, 0.6])), {
      verdict: "reproduced",
      numbers: trendNumbers("mnist", 4, -1, 0.0417, 1, 0.0417),
      detail:
        "[mnist] reproduced — test accuracy over 4 β from 1.00 to 8.00: 0.9 → 0.8 → 0.7 → 0.6; Spearman ρ -1.00, " +
        `one-sided exact permutation p 0.0417 (${KL}: ρ 1.00, p 1.00, would not hold)`,
    });
    assert.deepEqual(accRule.assess(sweep([1, 1, 1, 1], [0.6, 0.7, 0.8, 0.9])), {
      verdict: "not reproduced",
      numbers: trendNumbers("mnist", 4, 1, 1, 0.0417, 0.0417),
      detail:
        "[mnist] not reproduced — test accuracy over 4 β from 1.00 to 8.00: 0.6 → 0.7 → 0.8 → 0.9; Spearman ρ 1.00, " +
        "one-sided exact permutation p 1.00; the trend goes the other way beyond chance (p 0.0417) " +
        `(${KL}: ρ -1.00, p 0.0417, would hold)`,
    });
  });

  it("accuracy: the most extreme arrangement is the values sorted downwards along β", () => {
    // ranks 3 4 2 1: Σd² = 18, ρ = −0.8; p = 4/24, the other way 23/24; sorted downwards ρ = −1, p = 1/24
    assert.deepEqual(accRule.assess(sweep([1, 1, 1, 1], [0.8, 0.9, 0.7, 0.6])), {
      verdict: "inconclusive",
      numbers: trendNumbers("mnist", 4, -0.8, 0.167, 0.958, 0.0417),
      detail:
        "[mnist] inconclusive — test accuracy over 4 β from 1.00 to 8.00: 0.8 → 0.9 → 0.7 → 0.6; Spearman ρ -0.80, " +
        "one-sided exact permutation p 0.167; inconclusive: neither direction reaches p < 0.05 (the other way: p " +
        `0.958) (${KL}: ρ 0.80, p 0.958, would not hold)`,
    });
  });

  it("rank against accuracy: no β reading; the extreme arrangement follows the local rank's order", () => {
    // local rank 3 1 2 4 (unsorted), accuracy falling along it: ρ = −1, p = 1/24
    assert.deepEqual(oppRule.assess(sweep([3, 1, 2, 4], [0.7, 0.9, 0.8, 0.6])), {
      verdict: "reproduced",
      numbers: trendNumbers("mnist", 4, -1, 0.0417, 1, 0.0417),
      detail:
        "[mnist] reproduced — test accuracy against local rank over 4 β from 1.00 to 8.00: 0.7 → 0.9 → 0.8 → 0.6; " +
        "Spearman ρ -1.00, one-sided exact permutation p 0.0417",
    });
    // one swap along the local rank: inconclusive, though 1/24 is reachable with these values
    assert.deepEqual(oppRule.assess(sweep([3, 1, 2, 4], [0.8, 0.9, 0.7, 0.6])), {
      verdict: "inconclusive",
      numbers: trendNumbers("mnist", 4, -0.8, 0.167, 0.958, 0.0417),
      detail:
        "[mnist] inconclusive — test accuracy against local rank over 4 β from 1.00 to 8.00: 0.8 → 0.9 → 0.7 → 0.6; " +
        "Spearman ρ -0.80, one-sided exact permutation p 0.167; inconclusive: neither direction reaches p < 0.05 " +
        "(the other way: p 0.958)",
    });
    // rank and accuracy rising together: not reproduced
    assert.equal(oppRule.assess(sweep([3, 1, 2, 4], [0.8, 0.6, 0.7, 0.9])).verdict, "not reproduced");
  });
});
