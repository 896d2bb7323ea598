/**
 * The hessian-rank claims ledger (src/experiments/hessian-rank/claims.ts), rule by rule: every branch of each
 * `assess`, the inputs exactly at and just beside each threshold, and the whole `numbers` object and `detail`
 * text, all worked out by hand from the rule's template. The Wilson bounds that `holdsInAll` adds were computed
 * independently with Python's standard library (the same formula, z = 1.959964, rounded to 3 decimals).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assessClaim, Assessment, Numbers } from "../../src/report/ledger";
import {
  CLAIMS,
  GAP_MIN,
  GAP_INDEX_TOLERANCE,
  BULK_RULE,
  REGIME_GAP_SMALL,
  FIG4_RULE,
  CONVERGED_RATIO,
  FLATTEN_FRACTION,
  BulkGaps,
  FormulaHits,
  RegimeSweep,
  ReluPoint,
  MinimumRecord,
  TrainingRecord,
} from "../../src/experiments/hessian-rank/claims";

/** Wilson 95 % bounds (z = 1.959964, toFixed(3)) from python3: see the file comment. */
const WILSON: Record<string, [number, number]> = {
  "0/1": [0, 0.793],
  "1/1": [0.207, 1],
  "1/2": [0.095, 0.905],
  "2/2": [0.342, 1],
  "1/3": [0.061, 0.792],
  "2/3": [0.208, 0.939],
  "2/4": [0.15, 0.85],
  "3/4": [0.301, 0.954],
  "4/4": [0.51, 1],
  "4/5": [0.376, 0.964],
  "4/6": [0.3, 0.903],
};

/** The numbers `holdsInAll(h, n, …)` gives, from the table above. */
const hia = (h: number, n: number): Numbers => ({
  holds: h,
  configurations: n,
  "Wilson 95% low": WILSON[`${h}/${n}`][0],
  "Wilson 95% high": WILSON[`${h}/${n}`][1],
});

function check(a: Assessment, verdict: Assessment["verdict"], numbers: Numbers, detail: string): void {
  assert.equal(a.detail, detail);
  assert.deepEqual(a.numbers, numbers);
  assert.equal(a.verdict, verdict);
  assert.equal(a.control, undefined);
}

describe("hessian-rank claims: declarations", () => {
  it("ids, kinds and texts: every claim keyed by its id, every text non-empty", () => {
    for (const [key, c] of Object.entries(CLAIMS)) {
      assert.equal(c.id, key);
      for (const t of [c.claim, c.rule]) assert.ok(t.length > 20, `${key}: ${t}`);
      assert.ok(c.where.length > 5, key);
      assert.ok(c.differences.length > 0, key);
      for (const d of c.differences) assert.ok(d.length > 20, `${key}: difference ${JSON.stringify(d)}`);
      for (const r of c.revised ?? []) assert.ok(r.commit.length > 0 && r.reason.length > 20, key);
      if (c.kind === "consequence") assert.ok((c.follows ?? "").length > 20, key);
    }
    const kinds = Object.fromEntries(Object.entries(CLAIMS).map(([k, c]) => [k, c.kind ?? "paper"]));
    assert.deepEqual(
      Object.keys(kinds).filter((k) => kinds[k] === "extension"),
      ["regime-near-linear", "thm9-attained-iff-A2"],
    );
    assert.deepEqual(
      Object.keys(kinds).filter((k) => kinds[k] === "consequence"),
      [
        "fig5-Hf-vanishes",
        "fig5-rank-falls",
        "fig2c-rank-over-p-falls",
        "sec8-depth-rank-over-p",
        "cor10-rank-H-at-minimum",
      ],
    );
    assert.equal(Object.keys(CLAIMS).length, 23);
  });

  it("constants, and the rule texts that quote them", () => {
    assert.equal(GAP_MIN, 10);
    assert.equal(GAP_INDEX_TOLERANCE, 0.05);
    assert.deepEqual(BULK_RULE, { thresholds: [1e-3, 1e-4], tolerance: 0.1 });
    assert.equal(REGIME_GAP_SMALL, 10);
    assert.deepEqual(FIG4_RULE, { reproduced: 1e-3, notReproduced: 1e-2 });
    assert.equal(CONVERGED_RATIO, 1e-26);
    assert.equal(FLATTEN_FRACTION, 0.5);
    for (const id of ["sec52-tanh-bulk", "fig1-relu-bulk", "s94-nonlinear-bulk"] as const) {
      const rule = CLAIMS[id].rule;
      assert.ok(rule.includes("(eigenvalues with |λ| > t·λ_max) lies within 10 % of f at t = 1e-3 or t = 1e-4"), id);
      assert.ok(rule.includes("are reported, not judged)"), id);
      assert.equal(CLAIMS[id].revised?.[0].commit, "stop 38 (issue 39)");
      assert.ok(CLAIMS[id].revised?.[0].reason.startsWith("after the 1367728 and later records"), id);
    }
    assert.ok(CLAIMS["regime-near-linear"].rule.includes("|λ|_(f)/|λ|_(f+1) ≥ 10 at the smallest scale"));
    assert.ok(CLAIMS["fig4-relu-ce-reconstruction"].rule.includes("≤ 0.001 → reproduced (an excellent"));
    assert.ok(CLAIMS["fig4-relu-ce-reconstruction"].rule.includes("> 0.01 → not reproduced, between → partly"));
    assert.ok(CLAIMS["fig2c-rank-over-p-falls"].rule.includes("at most 0.5 × the steepest fall"));
    assert.ok(CLAIMS["cor10-rank-H-at-minimum"].rule.startsWith("Runs count when final/initial loss ≤ 1e-26 (as"));
    for (const id of ["fig5-Hf-vanishes", "fig5-rank-falls"] as const)
      assert.ok(CLAIMS[id].rule.startsWith("Assessed only when final/initial loss ≤ 1e-26 (else not assessed)"), id);
  });

  it("through assessClaim: examples reproduced, counterexamples not, no budgets (no claim has atBudget)", () => {
    for (const c of Object.values(CLAIMS)) {
      assert.equal(c.atBudget, undefined);
      const e = assessClaim(c, c.example);
      assert.equal(e.verdict, "reproduced", c.id);
      assert.equal(e.budgets, undefined);
      assert.equal(assessClaim(c, c.counterexample).verdict, "not reproduced", c.id);
    }
  });
});

const FORMULA_CLAIMS = {
  "fact7-rank-H": "rank H = Fact 7",
  "cor4-rank-Ho": "rank H_o = Cor. 4",
  "cor6-rank-Hf": "rank H_f = Cor. 6",
  "thm12-Ho-bias": "rank H_o = Thm. 12 (equality)",
  "fact13-H-bias": "rank H = Fact 13 (non-bottleneck widths)",
  "s51-losses-linear": "rank H = linear formula, per loss",
  "s91-depth-fact7": "rank H = Fact 7 across depth",
} as const;

describe("hessian-rank claims: the examples' own details", () => {
  const detail = (id: keyof typeof CLAIMS, which: "example" | "counterexample") =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (CLAIMS[id] as any).assess(CLAIMS[id][which]).detail as string;

  it("formula claims: the figures' configurations, by label", () => {
    assert.equal(
      detail("fact7-rank-H", "example"),
      "rank H = Fact 7: holds in 17 of 17 configurations (Fig. 2a 10/10, Fig. 2b 7/7)",
    );
    assert.equal(
      detail("fact7-rank-H", "counterexample"),
      "rank H = Fact 7: holds in 3 of 17 configurations (Fig. 2a 2/10, Fig. 2b 1/7)",
    );
    assert.equal(
      detail("s51-losses-linear", "example"),
      "rank H = linear formula, per loss: holds in 4 of 4 configurations (mse 2/2, ce 2/2)",
    );
    assert.equal(
      detail("s51-losses-linear", "counterexample"),
      "rank H = linear formula, per loss: holds in 1 of 4 configurations (mse 0/2, ce 1/2)",
    );
    assert.equal(
      detail("s91-depth-fact7", "example"),
      "rank H = Fact 7 across depth: holds in 4 of 4 configurations (depth sweep 4/4)",
    );
    assert.equal(
      detail("s91-depth-fact7", "counterexample"),
      "rank H = Fact 7 across depth: holds in 1 of 4 configurations (depth sweep 1/4)",
    );
    assert.equal(
      detail("fig5-weight-ranks", "example"),
      "all weight matrices at maximal rank: holds in 12 of 12 configurations; lowest: W1 10/10",
    );
    assert.equal(
      detail("fig5-weight-ranks", "counterexample"),
      "all weight matrices at maximal rank: holds in 3 of 12 configurations; lowest: W1 6/10",
    );
    assert.equal(
      detail("thm5-block-independence", "example"),
      "Σ_l rank of H_f's column blocks = rank H_f: holds in 2 of 2 configurations (linear [12, 8]: 288 vs 288; relu [12, 8]: 334 vs 334)",
    );
    assert.equal(
      detail("fact11-relu-Ho-bound", "example"),
      "rank H_o ≤ Fact 11: holds in 2 of 2 configurations ([12, 8] N=100: rank 345, bound 900; [12, 8] N=400: rank 907, bound 912)",
    );
    assert.ok(
      detail("fig2c-rank-over-p-falls", "counterexample").startsWith("Fig. 2c: rank/p 0.700 at 12 → 0.820 at 24"),
    );
    assert.ok(detail("sec8-depth-rank-over-p", "counterexample").startsWith("depth sweep: rank/p 0.900 → 0.920"));
  });

  it("bulk claims: the spectra's labels", () => {
    const labels = (id: keyof typeof BULK_CLAIMS, which: "example" | "counterexample") =>
      CLAIMS[id]
        .assess(CLAIMS[id][which])
        .detail.split(" — ")[1]
        .split("; ")
        .filter((t) => t.includes(": f = "))
        .map((t) => t.split(": f = ")[0]);
    for (const which of ["example", "counterexample"] as const) {
      assert.deepEqual(labels("sec52-tanh-bulk", which), ["H", "H_f", "H_o"]);
      assert.deepEqual(labels("fig1-relu-bulk", which), ["seed 0", "seed 1"]);
      assert.deepEqual(labels("s94-nonlinear-bulk", which), ["relu mse 1", "tanh ce 2"]);
    }
  });
});

describe("hessian-rank claims: exact-formula claims (formulaRule)", () => {
  const ids = Object.keys(FORMULA_CLAIMS) as (keyof typeof FORMULA_CLAIMS)[];

  it("parts with no configuration are left out; the rest are summed (4 of 5: partly)", () => {
    for (const id of ids) {
      const what = FORMULA_CLAIMS[id];
      const m: FormulaHits = {
        parts: [
          { label: "A", holds: 3, total: 3 },
          { label: "B", holds: 0, total: 0 },
          { label: "C", holds: 1, total: 2 },
        ],
      };
      check(
        CLAIMS[id].assess(m),
        "partly",
        { ...hia(4, 5), A: "3/3", C: "1/2" },
        `${what}: holds in 4 of 5 configurations (A 3/3, C 1/2)`,
      );
    }
  });

  it("all hold: reproduced; fewer than half: not reproduced; exactly half: partly", () => {
    for (const id of ids) {
      const what = FORMULA_CLAIMS[id];
      check(
        CLAIMS[id].assess({ parts: [{ label: "X", holds: 2, total: 2 }] }),
        "reproduced",
        { ...hia(2, 2), X: "2/2" },
        `${what}: holds in 2 of 2 configurations (X 2/2)`,
      );
      check(
        CLAIMS[id].assess({ parts: [{ label: "X", holds: 1, total: 3 }] }),
        "not reproduced",
        { ...hia(1, 3), X: "1/3" },
        `${what}: holds in 1 of 3 configurations (X 1/3)`,
      );
      check(
        CLAIMS[id].assess({
          parts: [
            { label: "X", holds: 0, total: 1 },
            { label: "Y", holds: 2, total: 3 },
          ],
        }),
        "partly",
        { ...hia(2, 4), X: "0/1", Y: "2/3" },
        `${what}: holds in 2 of 4 configurations (X 0/1, Y 2/3)`,
      );
    }
  });

  it("no part, or only parts without configurations: not assessed", () => {
    for (const id of ids) {
      const what = FORMULA_CLAIMS[id];
      check(CLAIMS[id].assess({ parts: [] }), "not assessed", {}, `${what}: no configuration measured`);
      check(
        CLAIMS[id].assess({ parts: [{ label: "Z", holds: 0, total: 0 }] }),
        "not assessed",
        {},
        `${what}: no configuration measured`,
      );
    }
  });

  it("combine joins the figures' parts in order (the five claims fed by several figures)", () => {
    const a = { label: "a", holds: 1, total: 1 };
    const b = { label: "b", holds: 0, total: 2 };
    const c = { label: "c", holds: 3, total: 4 };
    for (const id of ["fact7-rank-H", "cor4-rank-Ho", "cor6-rank-Hf", "thm12-Ho-bias", "fact13-H-bias"] as const)
      assert.deepEqual(CLAIMS[id].combine!([{ parts: [a] }, { parts: [] }, { parts: [b, c] }]), { parts: [a, b, c] });
    assert.equal(CLAIMS["s51-losses-linear"].combine, undefined);
    assert.equal(CLAIMS["s91-depth-fact7"].combine, undefined);
  });
});

type Spectrum = BulkGaps["spectra"][number];
const spectrum = (s: Partial<Spectrum> & { label: string }): Spectrum => ({
  f: 100,
  gapAtF: 1,
  largestGapIndex: 0,
  largestGap: 1,
  relativeAtF: 1e-3,
  reconstructionAtF: 0.5,
  aboveFloor: 400,
  ...s,
});
/** f = 100: the rank tolerance is 10 (0.1·f), the gap-index tolerance 5 (0.05·f), both exact in float64. */
const S1 = spectrum({
  label: "a",
  rankAt1e3: 110, // |110 − 100| = 10: captured at 1e-3, exactly at the tolerance
  rankAt1e4: 120,
  gapAtF: 10, // exactly GAP_MIN
  largestGapIndex: 105, // exactly 5 from f: near
  largestGap: 12,
  relativeAtF: 0.0012345,
  reconstructionAtF: 0.98765,
});
const S2 = spectrum({
  label: "b",
  rankAt1e3: 111, // 11 from f: not captured at 1e-3
  rankAt1e4: 90, // 10 below f: captured at 1e-4
  aboveFloor: 103, // near f: the drop is the fall into the noise floor
  gapAtF: 10.5,
  largestGapIndex: 94, // 6 from f: not near
});
const S3 = spectrum({
  label: "c",
  rankAt1e3: 89, // 11 below f
  gapAtF: 9.99, // just under GAP_MIN
  largestGapIndex: 100,
  aboveFloor: 100,
});
const S4 = spectrum({
  label: "d",
  rankAt1e3: 100, // both within: the first threshold, 1e-3, is named
  rankAt1e4: 100,
  gapAtF: 1000,
  largestGapIndex: 106, // 6 above f
  aboveFloor: 94, // 6 below f
});
const numbersOf = (l: string, v: (number | null)[]): Numbers => ({
  [`${l}: f`]: v[0],
  [`${l}: rank at 1e-3·λ_max`]: v[1],
  [`${l}: rank at 1e-4·λ_max`]: v[2],
  [`${l}: rank at default tol`]: v[3],
  [`${l}: gap at f`]: v[4],
  [`${l}: largest-gap index`]: v[5],
  [`${l}: |λ_f|/λ_max`]: v[6],
  [`${l}: recon. error at f`]: v[7],
});
const N1 = numbersOf("a", [100, 110, 120, 400, 10, 105, 0.00123, 0.988]);
const N2 = numbersOf("b", [100, 111, 90, 103, 10.5, 94, 0.001, 0.5]);
const N3 = numbersOf("c", [100, 89, null, 100, 9.99, 100, 0.001, 0.5]);
const N4 = numbersOf("d", [100, 100, 100, 94, 1000, 106, 0.001, 0.5]);
const D1 =
  "a: f = 100, rank 110 at 1e-3, 120 at 1e-4, 400 at the default tolerance (captured at 0.001); gap at f 10.0 (drops at f)";
const D2 =
  "b: f = 100, rank 111 at 1e-3, 90 at 1e-4, 103 at the default tolerance (captured at 0.0001); gap at f 10.5 (drops at f)";
const D3 = "c: f = 100, rank 89 at 1e-3, undefined at 1e-4, 100 at the default tolerance; gap at f 9.99";
const D4 =
  "d: f = 100, rank 100 at 1e-3, 100 at 1e-4, 94 at the default tolerance (captured at 0.001); gap at f 1.00e+3";

const BULK_CLAIMS = {
  "sec52-tanh-bulk": "tanh spectra at the linear formula's index",
  "fig1-relu-bulk": "ReLU spectrum of H at the linear formula's index",
  "s94-nonlinear-bulk": "non-linear spectra at the linear formula's index",
} as const;

describe("hessian-rank claims: bulk claims (numerical rank at 1e-3 / 1e-4 of λ_max)", () => {
  const ids = Object.keys(BULK_CLAIMS) as (keyof typeof BULK_CLAIMS)[];

  it("three of four captured: partly; each threshold's boundary, the gap statistics reported", () => {
    for (const id of ids)
      check(
        CLAIMS[id].assess({ spectra: [S1, S2, S3, S4] }),
        "partly",
        { ...N1, ...N2, ...N3, ...N4 },
        `${BULK_CLAIMS[id]}: 3 of 4 spectra have a numerical rank within 10 % of the formula — ` +
          `${D1}; ${D2}; ${D3}; ${D4}`,
      );
  });

  it("every spectrum captured: reproduced; none: not reproduced", () => {
    for (const id of ids) {
      check(
        CLAIMS[id].assess({ spectra: [S2, S1] }),
        "reproduced",
        { ...N1, ...N2 },
        `${BULK_CLAIMS[id]}: 2 of 2 spectra have a numerical rank within 10 % of the formula — ${D2}; ${D1}`,
      );
      // ranks of 0 are reported as 0 (not as missing)
      const S5 = spectrum({ label: "z", rankAt1e3: 0, rankAt1e4: 0 });
      check(
        CLAIMS[id].assess({ spectra: [S3, S5] }),
        "not reproduced",
        { ...N3, ...numbersOf("z", [100, 0, 0, 400, 1, 0, 0.001, 0.5]) },
        `${BULK_CLAIMS[id]}: 0 of 2 spectra have a numerical rank within 10 % of the formula — ${D3}; ` +
          "z: f = 100, rank 0 at 1e-3, 0 at 1e-4, 400 at the default tolerance; gap at f 1.00",
      );
    }
  });

  it("an infinite gap, and a gap with no index near f", () => {
    const s = spectrum({ label: "e", rankAt1e3: 50, rankAt1e4: 100, gapAtF: Infinity, largestGapIndex: 0 });
    check(
      CLAIMS["fig1-relu-bulk"].assess({ spectra: [s] }),
      "reproduced",
      numbersOf("e", [100, 50, 100, 400, Infinity, 0, 0.001, 0.5]),
      `${BULK_CLAIMS["fig1-relu-bulk"]}: 1 of 1 spectra have a numerical rank within 10 % of the formula — ` +
        "e: f = 100, rank 50 at 1e-3, 100 at 1e-4, 400 at the default tolerance (captured at 0.0001); gap at f Infinity",
    );
  });

  it("no spectrum, or a record without the threshold ranks: not assessed", () => {
    const old = spectrum({ label: "old", gapAtF: 20, largestGapIndex: 100 });
    for (const id of ids) {
      check(CLAIMS[id].assess({ spectra: [] }), "not assessed", {}, `${BULK_CLAIMS[id]}: no spectrum measured`);
      check(
        CLAIMS[id].assess({ spectra: [S1, old] }),
        "not assessed",
        { ...N1, ...numbersOf("old", [100, null, null, 400, 20, 100, 0.001, 0.5]) },
        `${BULK_CLAIMS[id]}: the numerical ranks at the stated thresholds were not measured (a record before issue 39)`,
      );
    }
  });

  it("the example's numbers follow its stated construction (rank at f, f + 2; default tolerance f + 300)", () => {
    const a = CLAIMS["sec52-tanh-bulk"].assess(CLAIMS["sec52-tanh-bulk"].example);
    assert.equal(a.numbers["H: rank at 1e-3·λ_max"], 950);
    assert.equal(a.numbers["H: rank at 1e-4·λ_max"], 952);
    assert.equal(a.numbers["H: rank at default tol"], 1250);
    assert.equal(a.numbers["H: |λ_f|/λ_max"], 0.001);
    assert.equal(a.numbers["H: recon. error at f"], 0.0001);
    const c = CLAIMS["sec52-tanh-bulk"].assess(CLAIMS["sec52-tanh-bulk"].counterexample);
    // rank 1.5 f and 1.6 f when the gap is under GAP_MIN
    assert.equal(c.numbers["H: rank at 1e-3·λ_max"], 1425);
    assert.equal(c.numbers["H: rank at 1e-4·λ_max"], 1520);
    assert.equal(c.numbers["H: largest-gap index"], 1250);
  });
});

const regime = (scale: number, gapAtF: number, largestGapIndex: number, f = 500): RegimeSweep["points"][number] => ({
  scale,
  f,
  gapAtF,
  largestGapIndex,
  largestGap: 99,
  rankAtDefaultTol: 900,
});

describe("hessian-rank claims: regime-near-linear", () => {
  const rule = CLAIMS["regime-near-linear"];
  const head = "gap |λ|_(f)/|λ|_(f+1) at f = ";

  it("sorted by scale; a gap of exactly 10 at the smallest scale: reproduced", () => {
    check(
      rule.assess({ points: [regime(1, 2.3456, 700, 510), regime(0.1, 10, 500), regime(0.3, Infinity, 501, 520)] }),
      "reproduced",
      {
        "scale 0.1: gap at f": 10,
        "scale 0.1: largest-gap index": 500,
        "scale 0.3: gap at f": "∞",
        "scale 0.3: largest-gap index": 501,
        "scale 1: gap at f": 2.35,
        "scale 1: largest-gap index": 700,
        f: 500,
      },
      `${head}500: 10.0 at scale 0.1 (≥ 10); all scales: 0.1 → 10.0, 0.3 → Infinity, 1 → 2.35`,
    );
  });

  it("a gap just under 10 at a scale just under 1: not reproduced", () => {
    check(
      rule.assess({ points: [regime(2, 1e4, 600, 400), regime(0.999, 9.99, 800, 400)] }),
      "not reproduced",
      {
        "scale 0.999: gap at f": 9.99,
        "scale 0.999: largest-gap index": 800,
        "scale 2: gap at f": 10000,
        "scale 2: largest-gap index": 600,
        f: 400,
      },
      `${head}400: 9.99 at scale 0.999 (< 10); all scales: 0.999 → 9.99, 2 → 1.00e+4`,
    );
  });

  it("smallest scale 1, or no scale: not assessed", () => {
    check(
      rule.assess({ points: [regime(3, 50, 500), regime(1, 50, 502)] }),
      "not assessed",
      {
        "scale 1: gap at f": 50,
        "scale 1: largest-gap index": 502,
        "scale 3: gap at f": 50,
        "scale 3: largest-gap index": 500,
        f: 500,
      },
      "the sweep [1,3] has no scale below 1",
    );
    check(rule.assess({ points: [] }), "not assessed", {}, "the sweep [] has no scale below 1");
  });

  it("the example's largest-gap indices follow its construction (500 with a gap ≥ 10, else 800)", () => {
    check(
      rule.assess(rule.example),
      "reproduced",
      {
        "scale 0.1: gap at f": 10000,
        "scale 0.1: largest-gap index": 500,
        "scale 0.3: gap at f": 50,
        "scale 0.3: largest-gap index": 500,
        "scale 1: gap at f": 1.01,
        "scale 1: largest-gap index": 800,
        "scale 3: gap at f": 1,
        "scale 3: largest-gap index": 800,
        f: 500,
      },
      `${head}500: 1.00e+4 at scale 0.1 (≥ 10); all scales: 0.1 → 1.00e+4, 0.3 → 50.0, 1 → 1.01, 3 → 1.00`,
    );
  });
});

describe("hessian-rank claims: fig4-relu-ce-reconstruction", () => {
  const rule = CLAIMS["fig4-relu-ce-reconstruction"];

  it("squared error 9e-4 ≤ 1e-3: reproduced, every number reported", () => {
    check(
      rule.assess({
        f: 500,
        errAtF: 0.03,
        errAt90: 0.123456,
        errAtHalf: 0.5,
        spectralAtF: 0.0025,
        machineRank: 9,
        p: 14,
      }),
      "reproduced",
      {
        f: 500,
        "energy left out at f (squared Frobenius)": 0.0009,
        "Frobenius error at f": 0.03,
        "spectral error at f": 0.0025,
        "Frobenius error at 0.5 f": 0.5,
        "Frobenius error at 0.9 f": 0.123,
        "machine-precision rank": 9,
        p: 14,
      },
      "‖H − H_f‖²_F/‖H‖²_F = 9.00e-4 at k = f = 500 (≤ 0.001); unsquared 3.00e-2, spectral 2.50e-3; at 0.9 f the " +
        "Frobenius error is 1.23e-1",
    );
  });

  it("just beside 1e-3 and 1e-2 (no float64 squares to either exactly)", () => {
    const at = (e: number) => rule.assess({ f: 10, errAtF: e, errAt90: 0.5, machineRank: 20, p: 30 });
    assert.equal(at(0.0316).verdict, "reproduced"); // 9.9856e-4
    assert.equal(at(0.0317).verdict, "partly"); // 1.00489e-3
    assert.equal(at(0.0999).verdict, "partly"); // 9.98e-3
    assert.equal(at(0.1).verdict, "not reproduced"); // 0.1² = 0.010000000000000002 in float64
    check(
      at(0.05),
      "partly",
      {
        f: 10,
        "energy left out at f (squared Frobenius)": 0.0025,
        "Frobenius error at f": 0.05,
        "spectral error at f": null,
        "Frobenius error at 0.5 f": null,
        "Frobenius error at 0.9 f": 0.5,
        "machine-precision rank": 20,
        p: 30,
      },
      "‖H − H_f‖²_F/‖H‖²_F = 2.50e-3 at k = f = 10 (> 0.001); unsquared 5.00e-2; at 0.9 f the Frobenius error is 5.00e-1",
    );
    check(
      at(0.2),
      "not reproduced",
      {
        f: 10,
        "energy left out at f (squared Frobenius)": 0.04,
        "Frobenius error at f": 0.2,
        "spectral error at f": null,
        "Frobenius error at 0.5 f": null,
        "Frobenius error at 0.9 f": 0.5,
        "machine-precision rank": 20,
        p: 30,
      },
      "‖H − H_f‖²_F/‖H‖²_F = 4.00e-2 at k = f = 10 (> 0.001); unsquared 2.00e-1; at 0.9 f the Frobenius error is 5.00e-1",
    );
  });
});

describe("hessian-rank claims: fig5-weight-ranks", () => {
  it("full rank at 3 of 4 checkpoints: partly; at all: reproduced", () => {
    const rule = CLAIMS["fig5-weight-ranks"];
    check(
      rule.assess({ checkpoints: 4, fullRankCheckpoints: 3, lowest: "W2 7/8" }),
      "partly",
      { ...hia(3, 4), "lowest rank seen": "W2 7/8" },
      "all weight matrices at maximal rank: holds in 3 of 4 configurations; lowest: W2 7/8",
    );
    check(
      rule.assess({ checkpoints: 4, fullRankCheckpoints: 4, lowest: "W1 8/8" }),
      "reproduced",
      { ...hia(4, 4), "lowest rank seen": "W1 8/8" },
      "all weight matrices at maximal rank: holds in 4 of 4 configurations; lowest: W1 8/8",
    );
  });
});

const record = (
  initialLoss: number,
  finalLoss: number,
  final: TrainingRecord["final"],
  initialH = 100,
): TrainingRecord => ({ initialLoss, finalLoss, initial: { H: initialH, Ho: 40, Hf: 90 }, final });

describe("hessian-rank claims: Fig. 5 training claims (convergence precondition)", () => {
  const vanishes = CLAIMS["fig5-Hf-vanishes"];
  const falls = CLAIMS["fig5-rank-falls"];
  const NOT_CONVERGED =
    "(H_f is linear in the residual and only falls under the rank tolerance ≈ 1e-13·λ_max near zero loss)";

  it("final/initial loss above 1e-26: not assessed, for both rules", () => {
    for (const rule of [vanishes, falls]) {
      check(
        rule.assess(record(1, 1.5e-26, { H: 50, Ho: 50, Hf: 0 })),
        "not assessed",
        { "initial loss": 1, "final loss": 1.5e-26 },
        `training did not converge: final/initial loss 1.50e-26 > 1e-26 ${NOT_CONVERGED}`,
      );
      check(
        rule.assess(record(2.34567, 1e-25, { H: 50, Ho: 50, Hf: 0 })),
        "not assessed",
        { "initial loss": 2.35, "final loss": 1e-25 },
        `training did not converge: final/initial loss 4.26e-26 > 1e-26 ${NOT_CONVERGED}`,
      );
    }
  });

  it("H_f vanishes: both parts (at the ratio exactly 1e-26), one part, neither", () => {
    const num = (H: number, Ho: number, Hf: number, loss = 1e-26) => ({
      "final loss": loss,
      "rank H": H,
      "rank H_o": Ho,
      "rank H_f": Hf,
    });
    check(
      vanishes.assess(record(1, 1e-26, { H: 50, Ho: 50, Hf: 0 })),
      "reproduced",
      num(50, 50, 0),
      "at loss 1.00e-26 (initial 1.00e+0): rank H_f = 0, rank H = 50, rank H_o = 50",
    );
    // ratio 1e-27 (with the losses multiplied instead it would be 1e-25: not converged)
    check(
      vanishes.assess(record(10, 1e-26, { H: 60, Ho: 50, Hf: 0 })),
      "partly",
      num(60, 50, 0),
      "at loss 1.00e-26 (initial 1.00e+1): rank H_f = 0, rank H = 60, rank H_o = 50",
    );
    check(
      vanishes.assess(record(1, 1e-30, { H: 50, Ho: 50, Hf: 1 })),
      "partly",
      num(50, 50, 1, 1e-30),
      "at loss 1.00e-30 (initial 1.00e+0): rank H_f = 1, rank H = 50, rank H_o = 50",
    );
    check(
      vanishes.assess(record(1, 1e-30, { H: 49, Ho: 50, Hf: 1 })),
      "not reproduced",
      num(49, 50, 1, 1e-30),
      "at loss 1.00e-30 (initial 1.00e+0): rank H_f = 1, rank H = 49, rank H_o = 50",
    );
  });

  it("rank H falls: below the initial rank reproduced, equal to it not", () => {
    check(
      falls.assess(record(1, 1e-26, { H: 99, Ho: 50, Hf: 0 })),
      "reproduced",
      { "rank H at init": 100, "rank H final": 99, "final loss": 1e-26 },
      "rank H 100 at initialisation → 99 at loss 1.00e-26",
    );
    check(
      falls.assess(record(10, 1e-26, { H: 100, Ho: 50, Hf: 0 })),
      "not reproduced",
      { "rank H at init": 100, "rank H final": 100, "final loss": 1e-26 },
      "rank H 100 at initialisation → 100 at loss 1.00e-26",
    );
  });
});

describe("hessian-rank claims: Theorem 5 column blocks and block independence", () => {
  const blocks = CLAIMS["thm5-column-blocks"];
  const what = "rank of each layer's column block of H_f = Theorem 5";

  it("per-layer hits, configurations without layers left out, every miss listed", () => {
    check(
      blocks.assess({
        configs: [
          { label: "[4]", measured: [5, 6, 7], formula: [5, 9, 7] },
          { label: "none", measured: [], formula: [] },
          { label: "[2, 2]", measured: [3, 4, 8], formula: [3, 4, 2] },
        ],
      }),
      "partly",
      { ...hia(4, 6), "[4]": "2/3", "[2, 2]": "2/3" },
      `${what}: holds in 4 of 6 configurations ([4] 2/3, [2, 2] 2/3); misses: [4] layer 2: 6 vs 9; [2, 2] layer 3: 8 vs 2`,
    );
  });

  it("no miss: reproduced, no miss list; no configuration: not assessed", () => {
    check(
      blocks.assess({ configs: [{ label: "a", measured: [1, 2], formula: [1, 2] }] }),
      "reproduced",
      { ...hia(2, 2), a: "2/2" },
      `${what}: holds in 2 of 2 configurations (a 2/2)`,
    );
    check(
      blocks.assess({ configs: [{ label: "a", measured: [1], formula: [2] }] }),
      "not reproduced",
      { ...hia(0, 1), a: "0/1" },
      `${what}: holds in 0 of 1 configurations (a 0/1); misses: a layer 1: 1 vs 2`,
    );
    check(blocks.assess({ configs: [] }), "not assessed", {}, `${what}: no configuration measured`);
  });

  it("block sums against rank H_f", () => {
    const rule = CLAIMS["thm5-block-independence"];
    const w = "Σ_l rank of H_f's column blocks = rank H_f";
    check(
      rule.assess({
        configs: [
          { label: "x", blockSum: 10, rankHf: 10 },
          { label: "y", blockSum: 12, rankHf: 11 },
          { label: "z", blockSum: 5, rankHf: 5 },
        ],
      }),
      "partly",
      hia(2, 3),
      `${w}: holds in 2 of 3 configurations (x: 10 vs 10; y: 12 vs 11; z: 5 vs 5)`,
    );
    check(
      rule.assess({ configs: [{ label: "x", blockSum: 7, rankHf: 7 }] }),
      "reproduced",
      hia(1, 1),
      `${w}: holds in 1 of 1 configurations (x: 7 vs 7)`,
    );
    check(rule.assess({ configs: [] }), "not assessed", { configurations: 0 }, `${w}: no configuration measured ()`);
  });
});

describe("hessian-rank claims: fig2c-rank-over-p-falls", () => {
  const rule = CLAIMS["fig2c-rank-over-p-falls"];

  it("judged from the stated width (inclusive); the last fall exactly half the steepest: reproduced", () => {
    // judged: widths 10, 12, 14 with rank/p 1, 0.5, 0.25: falls per unit 0.25 and 0.125 (exactly half)
    check(
      rule.assess({ what: "Fig. 2c", x: [4, 8, 10, 12, 14], ratio: [0.123456, 0.95, 1, 0.5, 0.25], judgedFrom: 10 }),
      "reproduced",
      {
        "rank/p at 4": 0.1235,
        "rank/p at 8": 0.95,
        "rank/p at 10": 1,
        "rank/p at 12": 0.5,
        "rank/p at 14": 0.25,
        "judged from width": 10,
        "steepest fall per unit": 0.25,
        "last fall per unit": 0.125,
      },
      "Fig. 2c: rank/p 1.00 at 10 → 0.250 at 14, 0 rise(s) between consecutive sizes; last step falls 0.125 per " +
        "unit vs steepest 0.250 (≤ 0.5×)",
    );
  });

  it("the last fall more than half the steepest (uneven widths): partly", () => {
    // falls per unit: 0.5 / 2 = 0.25 and 0.25 / 1 = 0.25
    check(
      rule.assess({ what: "W", x: [10, 12, 13], ratio: [1, 0.5, 0.25] }),
      "partly",
      {
        "rank/p at 10": 1,
        "rank/p at 12": 0.5,
        "rank/p at 13": 0.25,
        "steepest fall per unit": 0.25,
        "last fall per unit": 0.25,
      },
      "W: rank/p 1.00 at 10 → 0.250 at 13, 0 rise(s) between consecutive sizes; last step falls 0.250 per unit vs " +
        "steepest 0.250 (> 0.5×)",
    );
  });

  it("a rise of exactly 1e-12 is not a rise", () => {
    const up = 0.5 + 1e-12;
    check(
      rule.assess({ what: "D", x: [1, 2, 3], ratio: [0.5, up, 0.25] }),
      "partly",
      {
        "rank/p at 1": 0.5,
        "rank/p at 2": 0.5,
        "rank/p at 3": 0.25,
        "steepest fall per unit": 0.25,
        "last fall per unit": 0.25,
      },
      "D: rank/p 0.500 at 1 → 0.250 at 3, 0 rise(s) between consecutive sizes; last step falls 0.250 per unit vs " +
        "steepest 0.250 (> 0.5×)",
    );
    // a rise of 1e-11 counts
    assert.equal(rule.assess({ what: "D", x: [1, 2, 3], ratio: [0.5, 0.5 + 1e-11, 0.25] }).verdict, "not reproduced");
  });

  it("rising throughout, or flat: not reproduced, and no flattening without a fall", () => {
    check(
      rule.assess({ what: "U", x: [1, 2, 3], ratio: [0.25, 0.5, 1] }),
      "not reproduced",
      {
        "rank/p at 1": 0.25,
        "rank/p at 2": 0.5,
        "rank/p at 3": 1,
        "steepest fall per unit": -0.25,
        "last fall per unit": -0.5,
      },
      "U: rank/p 0.250 at 1 → 1.00 at 3, 2 rise(s) between consecutive sizes; last step falls -0.500 per unit vs " +
        "steepest -0.250 (> 0.5×)",
    );
    check(
      rule.assess({ what: "F", x: [1, 2, 3], ratio: [0.5, 0.5, 0.5] }),
      "not reproduced",
      {
        "rank/p at 1": 0.5,
        "rank/p at 2": 0.5,
        "rank/p at 3": 0.5,
        "steepest fall per unit": 0,
        "last fall per unit": 0,
      },
      "F: rank/p 0.500 at 1 → 0.500 at 3, 0 rise(s) between consecutive sizes; last step falls 0.00 per unit vs " +
        "steepest 0.00 (> 0.5×)",
    );
  });

  it("fewer than 3 judged widths: not assessed", () => {
    check(
      rule.assess({ what: "W", x: [10, 20], ratio: [0.5, 0.4] }),
      "not assessed",
      { "rank/p at 10": 0.5, "rank/p at 20": 0.4 },
      "W: 2 sizes, the rule needs at least 3",
    );
    check(
      rule.assess({ what: "W", x: [10, 12, 14], ratio: [1, 0.5, 0.25], judgedFrom: 12 }),
      "not assessed",
      { "rank/p at 10": 1, "rank/p at 12": 0.5, "rank/p at 14": 0.25, "judged from width": 12 },
      "W: 2 sizes, the rule needs at least 3",
    );
  });
});

describe("hessian-rank claims: sec8-depth-rank-over-p", () => {
  const rule = CLAIMS["sec8-depth-rank-over-p"];

  it("falls at every step: reproduced; a flat step: partly; no overall fall: not reproduced", () => {
    check(
      rule.assess({ what: "depth", x: [1, 2, 3], ratio: [0.876543, 0.8, 0.7] }),
      "reproduced",
      { "rank/p at 1": 0.8765, "rank/p at 2": 0.8, "rank/p at 3": 0.7 },
      "depth: rank/p 0.877 → 0.800 → 0.700 over 1, 2, 3 hidden layers; falls at 2 of 2 steps",
    );
    check(
      rule.assess({ what: "depth", x: [1, 2, 3], ratio: [0.9, 0.9, 0.8] }),
      "partly",
      { "rank/p at 1": 0.9, "rank/p at 2": 0.9, "rank/p at 3": 0.8 },
      "depth: rank/p 0.900 → 0.900 → 0.800 over 1, 2, 3 hidden layers; falls at 1 of 2 steps",
    );
    check(
      rule.assess({ what: "depth", x: [1, 2, 3], ratio: [0.9, 0.8, 0.9] }),
      "not reproduced",
      { "rank/p at 1": 0.9, "rank/p at 2": 0.8, "rank/p at 3": 0.9 },
      "depth: rank/p 0.900 → 0.800 → 0.900 over 1, 2, 3 hidden layers; falls at 1 of 2 steps",
    );
  });

  it("two depths suffice; one or none: not assessed", () => {
    check(
      rule.assess({ what: "d", x: [1, 2], ratio: [0.5, 0.4] }),
      "reproduced",
      { "rank/p at 1": 0.5, "rank/p at 2": 0.4 },
      "d: rank/p 0.500 → 0.400 over 1, 2 hidden layers; falls at 1 of 1 steps",
    );
    check(
      rule.assess({ what: "d", x: [1], ratio: [0.5] }),
      "not assessed",
      { "rank/p at 1": 0.5 },
      "d: one depth only",
    );
    check(rule.assess({ what: "d", x: [], ratio: [] }), "not assessed", {}, "d: one depth only");
  });
});

const relu = (label: string, p: Partial<ReluPoint>): ReluPoint => ({
  label,
  layers: 2,
  N: 100,
  d: 64,
  r: 63,
  rank: 0,
  rows: 1000,
  bound: 500,
  dead: 0,
  active1: 12,
  a2: 12,
  refined: null,
  ...p,
});

describe("hessian-rank claims: fact11-relu-Ho-bound", () => {
  const rule = CLAIMS["fact11-relu-Ho-bound"];
  const A = relu("A", { rows: 501, bound: 500, rank: 500 }); // N·K just above the bound; rank at the bound
  const B = relu("B", { layers: 3, rows: 900, bound: 800, rank: 801 });
  const C = relu("C", { rows: 500, bound: 500, rank: 480 }); // N·K = bound: implied
  const D = relu("D", { dead: 1, rows: 1000, bound: 100, rank: 999 }); // a dead neuron: skipped
  const E = relu("E", { layers: 1, rows: 1000, bound: 10, rank: 999 }); // one hidden layer: not Fact 11
  const F = relu("F", { rows: 1000, bound: 900, rank: 850 });
  const CT = "C: 480 ≤ N·K 500 ≤ 500";

  it("judged, implied, skipped and one-layer configurations", () => {
    check(
      rule.assess({ points: [A, B, C, D, E, F] }),
      "partly",
      {
        ...hia(2, 3),
        "at the bound": 1,
        "dead-neuron configurations skipped": 1,
        "implied by N·K (not judged)": 1,
        "A: rank / bound": "500 / 500",
        "B: rank / bound": "801 / 800",
        "F: rank / bound": "850 / 900",
      },
      "rank H_o ≤ Fact 11: holds in 2 of 3 configurations (A: rank 500, bound 500; B: rank 801, bound 800; F: rank " +
        `850, bound 900); implied by the row count, not judged: ${CT}`,
    );
    check(
      rule.assess({ points: [A] }),
      "reproduced",
      {
        ...hia(1, 1),
        "at the bound": 1,
        "dead-neuron configurations skipped": 0,
        "implied by N·K (not judged)": 0,
        "A: rank / bound": "500 / 500",
      },
      "rank H_o ≤ Fact 11: holds in 1 of 1 configurations (A: rank 500, bound 500)",
    );
    check(
      rule.assess({ points: [B] }),
      "not reproduced",
      {
        ...hia(0, 1),
        "at the bound": 0,
        "dead-neuron configurations skipped": 0,
        "implied by N·K (not judged)": 0,
        "B: rank / bound": "801 / 800",
      },
      "rank H_o ≤ Fact 11: holds in 0 of 1 configurations (B: rank 801, bound 800)",
    );
  });

  it("nothing judged: not assessed, the implied ones listed", () => {
    const none = "no configuration with at least two hidden layers, no dead neurons and N·K above the bound";
    check(
      rule.assess({ points: [C, D, E] }),
      "not assessed",
      { "dead-neuron configurations skipped": 1, "implied by N·K": 1 },
      `${none} (implied by the row count: ${CT})`,
    );
    check(
      rule.assess({ points: [] }),
      "not assessed",
      { "dead-neuron configurations skipped": 0, "implied by N·K": 0 },
      none,
    );
  });
});

describe("hessian-rank claims: thm9-A2-mild", () => {
  const rule = CLAIMS["thm9-A2-mild"];
  const w = "A2 holds for every active first-layer neuron at N > 2d";

  it("images only (no Gaussian record): judged at N > 2d = 128, N = 128 left out", () => {
    check(
      rule.assess({
        points: [
          relu("P1", { layers: 1, N: 128, a2: 5 }),
          relu("P2", { layers: 1, N: 129 }),
          relu("P3", { layers: 1, N: 200, a2: 11 }),
          relu("P4", { layers: 2, N: 300, a2: 10, active1: 10, inputs: "images" }),
        ],
      }),
      "partly",
      {
        ...hia(2, 3),
        "P2: neurons with A2 / active": "12 / 12",
        "P3: neurons with A2 / active": "11 / 12",
        "P4: neurons with A2 / active": "10 / 10",
      },
      `${w}: holds in 2 of 3 configurations (P2: 12/12; P3: 11/12; P4: 10/10)`,
    );
  });

  it("Gaussian inputs judged, the images reported", () => {
    check(
      rule.assess({
        points: [
          relu("G1", { N: 129, inputs: "gaussian" }),
          relu("G2", { N: 128, a2: 3, inputs: "gaussian" }),
          relu("I1", { N: 200, a2: 11, inputs: "images" }),
          relu("I2", { N: 400 }),
          relu("I3", { N: 128, a2: 1, inputs: "images" }),
          relu("I4", { N: 500, inputs: "images" }),
        ],
      }),
      "reproduced",
      {
        ...hia(1, 1),
        "G1: neurons with A2 / active": "12 / 12",
        "I1: neurons with A2 / active": "11 / 12",
        "I2: neurons with A2 / active": "12 / 12",
        "I4: neurons with A2 / active": "12 / 12",
        "images (reported): configurations with A2 for every neuron": "2 / 3",
      },
      `${w} (Gaussian inputs): holds in 1 of 1 configurations (G1: 12/12); on the images (reported, not judged): ` +
        "I1: 11/12; I2: 12/12; I4: 12/12",
    );
    check(
      rule.assess({ points: [relu("G", { N: 300, a2: 11, inputs: "gaussian" })] }),
      "not reproduced",
      { ...hia(0, 1), "G: neurons with A2 / active": "11 / 12" },
      `${w} (Gaussian inputs): holds in 0 of 1 configurations (G: 11/12)`,
    );
  });

  it("no judged configuration above 2d: not assessed", () => {
    check(
      rule.assess({
        points: [relu("G2", { N: 128, inputs: "gaussian" }), relu("I1", { N: 200, inputs: "images" })],
      }),
      "not assessed",
      {},
      "no configuration with N > 2d (N: 128, 200)",
    );
    check(rule.assess({ points: [] }), "not assessed", {}, "no configuration with N > 2d (N: )");
  });
});

describe("hessian-rank claims: thm9-attained-iff-A2", () => {
  const rule = CLAIMS["thm9-attained-iff-A2"];
  const w = "rank H_o = Σ_j rk E[α_j x xᵀ] + M̃(K − 1)";
  const Q1 = relu("Q1", { layers: 1, refined: 100, rows: 101, rank: 100, bound: 100 }); // count just below N·K
  const Q2 = relu("Q2", { layers: 1, refined: 200, rows: 300, rank: 199, bound: 210, a2: 11 });
  const Q3 = relu("Q3", { layers: 1, refined: 300, rows: 300, rank: 300, bound: 320 }); // count = N·K: capped
  const Q4 = relu("Q4", { layers: 1, refined: null, rows: 100, rank: 7, bound: 7 }); // no count
  const Q5 = relu("Q5", { layers: 2, refined: 50, rows: 100, rank: 40, bound: 40 }); // two layers
  const Q3T = "Q3: rank 300, N·K 300 ≤ count 300";

  it("judged below the row cap, capped ones reported", () => {
    check(
      rule.assess({ points: [Q1, Q2, Q3, Q4, Q5] }),
      "partly",
      {
        ...hia(1, 2),
        "at Theorem 9's bound": 1,
        "with A2": 1,
        "count ≥ N·K (not judged)": 1,
        "Q1: rank / count / bound / N·K": "100 / 100 / 100 / 101",
        "Q2: rank / count / bound / N·K": "199 / 200 / 210 / 300",
        "Q3: rank / count / bound / N·K": "300 / 300 / 320 / 300",
      },
      `${w}: holds in 1 of 2 configurations (Q1: 100 vs 100, bound 100; Q2: 199 vs 200, bound 210); count not ` +
        `attainable, not judged: ${Q3T}`,
    );
    check(
      rule.assess({ points: [Q1] }),
      "reproduced",
      {
        ...hia(1, 1),
        "at Theorem 9's bound": 1,
        "with A2": 1,
        "count ≥ N·K (not judged)": 0,
        "Q1: rank / count / bound / N·K": "100 / 100 / 100 / 101",
      },
      `${w}: holds in 1 of 1 configurations (Q1: 100 vs 100, bound 100)`,
    );
    check(
      rule.assess({ points: [Q2] }),
      "not reproduced",
      {
        ...hia(0, 1),
        "at Theorem 9's bound": 0,
        "with A2": 0,
        "count ≥ N·K (not judged)": 0,
        "Q2: rank / count / bound / N·K": "199 / 200 / 210 / 300",
      },
      `${w}: holds in 0 of 1 configurations (Q2: 199 vs 200, bound 210)`,
    );
  });

  it("nothing below the cap: not assessed", () => {
    const none = "no one-hidden-layer configuration with the count below N·K";
    check(rule.assess({ points: [Q3, Q4, Q5] }), "not assessed", { "count ≥ N·K (not judged)": 1 }, `${none} (${Q3T})`);
    check(rule.assess({ points: [] }), "not assessed", { "count ≥ N·K (not judged)": 0 }, none);
  });
});

const run = (
  label: string,
  initialLoss: number,
  finalLoss: number,
  H: [number, number],
  Hf: number,
  bound: number,
  rows: number,
): MinimumRecord => ({
  label,
  initialLoss,
  finalLoss,
  initial: { H: H[0], Ho: 300, Hf: 600 },
  final: { H: H[1], Ho: 300, Hf },
  bound,
  initialBound: 999,
  rows,
  p: 840,
});

describe("hessian-rank claims: cor10-rank-H-at-minimum", () => {
  const rule = CLAIMS["cor10-rank-H-at-minimum"];
  const R1 = run("R1", 1, 1e-26, [680, 339], 0, 339, 340); // ratio exactly 1e-26; bound just below N·K; at the bound
  const R2 = run("R2", 10, 1e-26, [700, 301], 5, 300, 600); // ratio 1e-27; over the bound
  const R3 = run("R3", 1, 1.5e-26, [650, 100], 0, 100, 600); // not converged
  const R4 = run("R4", 1, 1e-30, [640, 610], 0, 600, 600); // bound = N·K: implied
  const key = (l: string) => `${l}: rank H init / final / bound / N·K`;
  const per: Numbers = {
    [key("R1")]: "680 / 339 / 339 / 340",
    [key("R2")]: "700 / 301 / 300 / 600",
    [key("R3")]: "650 / 100 / 100 / 600",
    [key("R4")]: "640 / 610 / 600 / 600",
  };
  const w = "rank H ≤ r·M̃ + M̃K − M̃ at the minimum";

  it("counted runs: converged with the bound below N·K", () => {
    check(
      rule.assess({ runs: [R1, R2, R3, R4] }),
      "partly",
      { runs: 4, converged: 3, "implied by N·K (not judged)": 1, ...per, ...hia(1, 2) },
      `${w}: holds in 1 of 2 configurations (R1: rank H 339 (H_f 0) vs bound 339 at loss 1.0e-26; at init rank H ` +
        "680; R2: rank H 301 (H_f 5) vs bound 300 at loss 1.0e-26; at init rank H 700)",
    );
    check(
      rule.assess({ runs: [R1] }),
      "reproduced",
      { runs: 1, converged: 1, "implied by N·K (not judged)": 0, [key("R1")]: per[key("R1")], ...hia(1, 1) },
      `${w}: holds in 1 of 1 configurations (R1: rank H 339 (H_f 0) vs bound 339 at loss 1.0e-26; at init rank H 680)`,
    );
    check(
      rule.assess({ runs: [R2] }),
      "not reproduced",
      { runs: 1, converged: 1, "implied by N·K (not judged)": 0, [key("R2")]: per[key("R2")], ...hia(0, 1) },
      `${w}: holds in 0 of 1 configurations (R2: rank H 301 (H_f 5) vs bound 300 at loss 1.0e-26; at init rank H 700)`,
    );
  });

  it("no run counts: not assessed, saying why", () => {
    const head = "no run counts: ";
    check(
      rule.assess({ runs: [R3, R4] }),
      "not assessed",
      {
        runs: 2,
        converged: 1,
        "implied by N·K (not judged)": 1,
        [key("R3")]: per[key("R3")],
        [key("R4")]: per[key("R4")],
      },
      `${head}1 of 2 converged (final/initial loss ≤ 1e-26; final losses 1.5e-26, 1.0e-30), with bounds ≥ N·K`,
    );
    check(
      rule.assess({ runs: [R3] }),
      "not assessed",
      { runs: 1, converged: 0, "implied by N·K (not judged)": 0, [key("R3")]: per[key("R3")] },
      `${head}0 of 1 converged (final/initial loss ≤ 1e-26; final losses 1.5e-26)`,
    );
    check(
      rule.assess({ runs: [] }),
      "not assessed",
      { runs: 0, converged: 0, "implied by N·K (not judged)": 0 },
      `${head}0 of 0 converged (final/initial loss ≤ 1e-26; final losses )`,
    );
  });
});
