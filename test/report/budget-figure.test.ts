/**
 * The budget figure of a late-training claim (src/report/budget-figure.ts): built from a ledger entry alone, it must
 * draw the effects the rule computed at each budget — checked against the same effects computed here by hand from the
 * synthetic runs — the verdict at each budget, and say which budgets a record made before per-budget numbers lacks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  againstControl,
  assessClaim,
  ClaimSpec,
  combine,
  effectsOf,
  LedgerEntry,
  signTest,
  VERDICT_COLOURS,
} from "../../src/report/ledger";
import { budgetFigure, budgetFigures } from "../../src/report/budget-figure";
import { ExperimentResult } from "../../src/report/result";
import { loadRecorded } from "../../src/report/recorded";

interface Runs {
  /** one series per run, one value per checkpoint (8 checkpoints, evenly spaced) */
  task: number[][];
  control: number[][];
}

const fall = (s: number[]) => (s[0] - s[s.length - 1]) / s[0];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const cut = (m: Runs, f: number): Runs => {
  const k = Math.round(8 * f);
  return { task: m.task.map((s) => s.slice(0, k)), control: m.control.map((s) => s.slice(0, k)) };
};

/** A late-training claim of the shape Fig. 1's has: a sign test over task runs, then against the control. */
const spec: ClaimSpec<Runs> = {
  id: "synthetic-late-fall",
  claim: "the series falls late in training",
  where: "test",
  rule: "sign test over runs, then the mean fall against the control's by 0.1",
  differences: [],
  assess: (m) =>
    againstControl(
      signTest(
        m.task.map((s) => s[s.length - 1] - 0.9 * s[0]),
        { direction: "negative", what: "final − 0.9 × first" },
      ),
      { task: mean(m.task.map(fall)), control: mean(m.control.map(fall)), margin: 0.1, what: "mean fall", units: 3 },
      { runs: m.control.length },
    ),
  atBudget: (m, f) => cut(m, f),
  example: { task: [], control: [] },
  counterexample: { task: [], control: [] },
};

// five task runs that fall only in the second half, three controls that fall a little throughout
const series = (late: number, early: number) =>
  Array.from({ length: 8 }, (_, c) => 100 * (1 - early * c) * (c >= 4 ? 1 - late * (c - 3) : 1));
const runs: Runs = {
  task: [0.1, 0.12, 0.14, 0.16, 0.18].map((late) => series(late, 0)),
  control: [0.001, 0.002, 0.003].map((early) => series(0, early)),
};

const traceNamed = (f: NonNullable<ReturnType<typeof budgetFigure>>, name: string) => {
  const t = f.data.find((d) => d.name === name) as { x: number[]; y: (number | null)[] } | undefined;
  assert.ok(t, `trace "${name}" among ${f.data.map((d) => d.name).join(", ")}`);
  return t!;
};

describe("budget figure", () => {
  const entry = assessClaim(spec, runs);

  it("draws the task's and the control's effect at each budget, as computed by hand from the runs", () => {
    const f = budgetFigure(entry)!;
    assert.equal(f.name, "budget-synthetic-late-fall");
    const task = traceNamed(f, "task");
    const control = traceNamed(f, "control");
    const level = traceNamed(f, "control + margin");
    assert.deepEqual(task.x, [0.25, 0.5, 1]);
    [0.25, 0.5, 1].forEach((b, i) => {
      const m = cut(runs, b);
      const t = mean(m.task.map(fall));
      const c = mean(m.control.map(fall));
      // againstControl stores 4 significant digits
      assert.ok(Math.abs((task.y[i] as number) - t) <= 1e-4 * Math.max(1, t), `task at ${b}: ${task.y[i]} vs ${t}`);
      assert.ok(Math.abs((control.y[i] as number) - c) <= 1e-4, `control at ${b}: ${control.y[i]} vs ${c}`);
      assert.ok(Math.abs((level.y[i] as number) - (c + 0.1)) <= 1e-4, `control + margin at ${b}`);
    });
    // no fall in the first half: the task's effect is 0 at ¼ and ½ and large at the end
    assert.equal(task.y[0], 0);
    assert.equal(task.y[1], 0);
    assert.ok((task.y[2] as number) > 0.3);
  });

  it("marks the verdict at each budget in its colour: here not reproduced early, reproduced at the end", () => {
    const f = budgetFigure(entry)!;
    assert.deepEqual(
      entry.budgets!.map((b) => b.verdict),
      ["not reproduced", "not reproduced", "reproduced"],
    );
    const strip = f.data.find((d) => d.name === "verdict") as {
      x: number[];
      text: string[];
      marker: { color: string[] };
      yaxis: string;
    };
    assert.deepEqual(strip.x, [0.25, 0.5, 1]);
    assert.deepEqual(strip.text, ["not reproduced", "not reproduced", "reproduced"]);
    assert.deepEqual(strip.marker.color, [
      VERDICT_COLOURS["not reproduced"],
      VERDICT_COLOURS["not reproduced"],
      VERDICT_COLOURS.reproduced,
    ]);
    assert.equal(strip.yaxis, "y2");
    assert.match(String((f.layout.title as { text: string }).text), /not(<br>| )stable/);
  });

  it("from a record made before per-budget numbers: the effect at the full budget, the verdicts at all, and a note", () => {
    const old: LedgerEntry = {
      ...entry,
      budgets: entry.budgets!.map(({ fraction, verdict, detail }) => ({ fraction, verdict, detail })),
    };
    const f = budgetFigure(old)!;
    const task = traceNamed(f, "task");
    assert.deepEqual(task.y.slice(0, 2), [null, null]);
    assert.equal(task.y[2], entry.numbers["task mean fall"]);
    const note = (f.layout.annotations ?? []).map((a) => String(a.text)).join(" ");
    assert.match(note, /The effect at ¼, ½ is not stored in this record/);
    assert.equal((f.data.find((d) => d.name === "verdict") as { x: number[] }).x.length, 3);
  });

  it("reads the sign test's fraction of runs and the level it needs, per part of a combined claim", () => {
    const parts: ClaimSpec<number[][]> = {
      ...(spec as unknown as ClaimSpec<number[][]>),
      id: "synthetic-two-parts",
      assess: ([a, b]) =>
        combine([
          { label: "A", a: signTest(a, { direction: "negative", what: "A" }) },
          { label: "B", a: signTest(b, { direction: "negative", what: "B" }) },
        ]),
      // the budget keeps the first half of the runs' values, rounded down
      atBudget: (m, f) => m.map((v) => v.slice(0, Math.floor(v.length * f))),
    };
    const a = [-1, -1, -1, -1, -1, -1, -1, 1];
    const b = [-1, 1, -1, 1, -1, 1, -1, 1];
    const e = assessClaim(parts, [a, b]);
    const f = budgetFigure(e)!;
    const ta = traceNamed(f, "A: task");
    const tb = traceNamed(f, "B: task");
    const need = traceNamed(f, "A: needed for p < α");
    // by hand: ¼ keeps 2 values, ½ keeps 4, all 8; the fraction below 0 of each
    assert.deepEqual(ta.y, [2 / 2, 4 / 4, 7 / 8]);
    assert.deepEqual(tb.y, [1 / 2, 2 / 4, 4 / 8]);
    // one-sided sign test at 5 %: 2 or 4 runs can never reach it (no level), 8 runs need 7 (P(X ≥ 7) = 9/256)
    assert.deepEqual(need.y, [null, null, 7 / 8]);
    assert.deepEqual(
      effectsOf(e.numbers).map((x) => [x.part, x.kind]),
      [
        ["A", "sign test"],
        ["B", "sign test"],
      ],
    );
  });

  it("no figure for a claim not judged at budgets; a result appends one per late-training claim to its own", () => {
    const plain = assessClaim({ ...spec, id: "plain", atBudget: undefined }, runs);
    assert.equal(budgetFigure(plain), undefined);
    assert.deepEqual(
      budgetFigures([plain, entry]).map((f) => f.name),
      ["budget-synthetic-late-fall"],
    );
    const own = { name: "own", data: [], layout: {} };
    const r = new ExperimentResult({
      experiment: "x",
      title: "x",
      options: {},
      figures: [own],
      summary: {},
      tables: [],
      checks: [],
      ledger: [plain, entry],
      notes: [],
      seconds: 1,
      version: "0",
    });
    assert.deepEqual(
      r.figures.map((f) => f.name),
      ["own", "budget-synthetic-late-fall"],
    );
    assert.deepEqual(r.toJSON().figures, [own], "the stored figures are not changed");
  });

  it("appears for a recorded result without re-recording it: Patel Fig. 1 from results/paper", () => {
    const rec = loadRecorded("local-rank", "paper", path.resolve(__dirname, "../../.."))!;
    const e = rec.claim("fig1-terminal-fall");
    const f = rec.figure("budget-fig1-terminal-fall");
    const key = "Gaussian layer 2: task mean terminal fall (fraction of the peak)";
    const stored = e.numbers[key];
    assert.equal(typeof stored, "number");
    const task = traceNamed(f, "Gaussian layer 2: task");
    assert.equal(task.y[task.x.indexOf(1)], stored);
    const strip = f.data.find((d) => d.name === "verdict") as { text: string[] };
    assert.deepEqual(
      strip.text,
      e.budgets!.map((b) => b.verdict),
    );
  });
});
