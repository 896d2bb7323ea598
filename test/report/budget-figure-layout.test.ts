/**
 * The budget figure's traces and layout (src/report/budget-figure.ts) from hand-built ledger entries: which effect is
 * drawn per part, the control and level traces, the mean's interval and zero line, the verdict strip, budget labels,
 * the title, the legend's rows, and the note about budgets a record made before per-budget numbers lacks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { budgetFigure, budgetFigureName, budgetFigures } from "../../src/report/budget-figure";
import { LedgerEntry } from "../../src/report/ledger";

const base = (extra: Partial<LedgerEntry>): LedgerEntry => ({
  id: "late",
  claim: "c",
  where: "w",
  rule: "r",
  differences: [],
  verdict: "reproduced",
  numbers: {},
  detail: "d",
  ...extra,
});

const titleOf = (f: { layout: { title?: unknown } }) => (f.layout.title as { text: string }).text;
const BLUE = "#1f77b4";
const RED = "#d62728";
const legendOf = (y: number) => ({
  title: undefined,
  bgcolor: "rgba(255,255,255,0.8)",
  orientation: "h",
  x: 0,
  xanchor: "left",
  y,
  yanchor: "top",
});

describe("budget figure: a sign-test claim", () => {
  const long = "x".repeat(401);
  const exact = "y".repeat(400);
  const e = base({
    id: "sign",
    numbers: { runs: 8, "runs < 0": 7, "runs needed for p < alpha": 7 },
    budgets: [
      // at the full budget the entry's own numbers count, not any stored here
      { fraction: 1, verdict: "reproduced", detail: exact, numbers: { runs: 8, "runs < 0": 1 } },
      {
        fraction: 0.25,
        verdict: "inconclusive",
        detail: "early",
        numbers: { runs: 2, "runs < 0": 2, "runs needed for p < alpha": "unreachable" },
      },
      {
        fraction: 0.5,
        verdict: "not reproduced",
        detail: long,
        numbers: { runs: 4, "runs < 0": 3, "runs needed for p < alpha": "unreachable" },
      },
    ],
    stable: false,
  });

  it("every trace, in order: the fraction of runs, the level it needs, the verdict strip", () => {
    const f = budgetFigure(e)!;
    assert.equal(f.name, "budget-sign");
    assert.deepEqual(f.data, [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "task",
        x: [0.25, 0.5, 1],
        y: [1, 0.75, 0.875],
        line: { color: BLUE, width: 2 },
        marker: { size: 8 },
      },
      {
        type: "scatter",
        name: "needed for p < α",
        x: [0.25, 0.5, 1],
        y: [null, null, 0.875],
        mode: "lines+markers",
        marker: { symbol: "line-ew-open", size: 16, color: BLUE },
        line: { color: BLUE, width: 1, dash: "dot" },
      },
      {
        type: "scatter",
        mode: "text+markers",
        name: "verdict",
        showlegend: false,
        x: [0.25, 0.5, 1],
        y: [0.3, 0.3, 0.3],
        yaxis: "y2",
        marker: { size: 14, symbol: "square", color: ["#9467bd", RED, "#2ca02c"] },
        text: ["inconclusive", "not reproduced", "reproduced"],
        textposition: "top center",
        textfont: { size: 12, color: ["#9467bd", RED, "#2ca02c"] },
        hovertext: ["early", "x".repeat(400), exact],
        hoverinfo: "text",
      },
    ]);
  });

  it("layout: title, axes, budget labels, verdict strip, legend under the plot, no note", () => {
    const f = budgetFigure(e)!;
    const L = f.layout;
    assert.equal(
      titleOf(f).replace(/<br>/g, " "),
      "sign against the training budget: fraction of runs < 0 at ¼, ½, all of the training, verdict at each " +
        "(not stable: it depends on how long training runs)",
    );
    const lines = titleOf(f).split("<br>").length;
    assert.equal(lines, 2);
    const x = L.xaxis as Record<string, unknown>;
    assert.deepEqual(x.title, { text: "training budget (fraction of the training the claim is judged on)" });
    assert.deepEqual(x.range, [0.12, 1.08]);
    assert.equal(x.tickmode, "array");
    assert.deepEqual(x.tickvals, [0.25, 0.5, 1]);
    assert.deepEqual(x.ticktext, ["¼", "½", "all"]);
    assert.equal(x.type, "linear");
    const y = L.yaxis as Record<string, unknown>;
    assert.deepEqual(y.title, { text: "fraction of runs < 0" });
    assert.deepEqual(y.domain, [0, 0.76]);
    assert.deepEqual(L.yaxis2, {
      domain: [0.82, 1],
      range: [0, 1],
      showticklabels: false,
      showgrid: false,
      zeroline: false,
    });
    // two legend entries: one row (22 px), no note
    const height = 520 + 22 * (lines - 1) + 22;
    assert.equal(L.height, height);
    assert.deepEqual(L.margin, { l: 70, r: 20, t: 40 + 22 * lines, b: 90 + 22 });
    assert.deepEqual(L.legend, legendOf(-70 / (height - (40 + 22 * lines) - 112)));
    assert.equal(L.annotations, undefined);
  });
});

describe("budget figure: a mean and a comparison with the control, from an old record", () => {
  const full = {
    "A: mean": 0.5,
    "A: 95% CI low": 0.25,
    "A: 95% CI high": 1,
    "B: task eff": 0.75,
    "B: control eff": 0.25,
    "B: control margin": 0.125,
  };
  const e = base({
    id: "two",
    numbers: full,
    budgets: [
      { fraction: 0.25, verdict: "not assessed", detail: "old" },
      {
        fraction: 0.5,
        verdict: "partly",
        detail: "half",
        numbers: { ...full, "A: mean": 0.25, "A: 95% CI low": 0.125, "A: 95% CI high": 0.5, "B: task eff": 0.5 },
      },
      { fraction: 1, verdict: "reproduced", detail: "all" },
    ],
    stable: true,
  });

  it("the mean with its interval, the task and control with the level, a zero line, the strip", () => {
    const f = budgetFigure(e)!;
    const xs = [0.25, 0.5, 1];
    assert.deepEqual(f.data, [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "A: mean",
        x: xs,
        y: [null, 0.25, 0.5],
        line: { color: BLUE, width: 2 },
        marker: { size: 8 },
        error_y: {
          type: "data",
          symmetric: false,
          array: [null, 0.25, 0.5],
          arrayminus: [null, 0.125, 0.25],
          color: BLUE,
        },
      },
      {
        type: "scatter",
        mode: "lines+markers",
        name: "B: task",
        x: xs,
        y: [null, 0.5, 0.75],
        line: { color: RED, width: 2 },
        marker: { size: 8 },
      },
      {
        type: "scatter",
        mode: "lines+markers",
        name: "B: control",
        x: xs,
        y: [null, 0.25, 0.25],
        line: { color: RED, width: 2, dash: "dash" },
        marker: { size: 8, symbol: "circle-open" },
      },
      {
        type: "scatter",
        name: "B: control + margin",
        x: xs,
        y: [null, 0.375, 0.375],
        mode: "lines+markers",
        marker: { symbol: "line-ew-open", size: 16, color: RED },
        line: { color: RED, width: 1, dash: "dot" },
      },
      {
        type: "scatter",
        mode: "lines",
        name: "0 (no effect)",
        x: [0, 1],
        y: [0, 0],
        line: { color: "#999", width: 1, dash: "dot" },
      },
      {
        type: "scatter",
        mode: "text+markers",
        name: "verdict",
        showlegend: false,
        x: xs,
        y: [0.3, 0.3, 0.3],
        yaxis: "y2",
        marker: { size: 14, symbol: "square", color: ["#7f7f7f", "#ff7f0e", "#2ca02c"] },
        text: ["not assessed", "partly", "reproduced"],
        textposition: "top center",
        textfont: { size: 12, color: ["#7f7f7f", "#ff7f0e", "#2ca02c"] },
        hovertext: ["old", "half", "all"],
        hoverinfo: "text",
      },
    ]);
  });

  it("title and axis say 'effect (see the legend)'; three legend rows and the note on the missing budget", () => {
    const f = budgetFigure(e)!;
    const L = f.layout;
    assert.equal(
      titleOf(f).replace(/<br>/g, " "),
      "two against the training budget: effect (see the legend) at ¼, ½, all of the training, verdict at each (stable)",
    );
    const lines = titleOf(f).split("<br>").length;
    assert.equal(lines, 2);
    assert.deepEqual((L.yaxis as Record<string, unknown>).title, { text: "effect (see the legend)" });
    // five legend entries → three rows (66 px); a note (40 px)
    const height = 520 + 22 * (lines - 1) + 66 + 40;
    assert.equal(L.height, height);
    assert.equal(L.margin!.b, 90 + 106);
    assert.deepEqual(L.legend, legendOf(-70 / (height - (40 + 22 * lines) - 196)));
    assert.deepEqual(L.annotations, [
      {
        xref: "paper",
        yref: "paper",
        x: 0,
        y: 0,
        yshift: -(80 + 66),
        xanchor: "left",
        yanchor: "top",
        align: "left",
        showarrow: false,
        text: "The effect at ¼ is not stored in this record (made before per-budget numbers were kept); the verdicts are.",
        font: { size: 11, color: "#555" },
      },
    ]);
  });

  it("two budgets missing are both named", () => {
    const old = base({
      id: "o",
      numbers: { runs: 5, "runs > 0": 5, "runs needed for p < alpha": 5 },
      budgets: [
        { fraction: 0.25, verdict: "partly", detail: "" },
        { fraction: 0.5, verdict: "partly", detail: "" },
        { fraction: 1, verdict: "reproduced", detail: "" },
      ],
    });
    const f = budgetFigure(old)!;
    const ann = f.layout.annotations as { text: string; yshift: number }[];
    assert.equal(ann.length, 1);
    assert.equal(
      ann[0].text,
      "The effect at ¼, ½ is not stored in this record (made before per-budget numbers were kept); the verdicts are.",
    );
    // task and level: one legend row
    assert.equal(ann[0].yshift, -(80 + 22));
    assert.deepEqual(
      f.data.map((t) => t.name),
      ["task", "needed for p < α", "verdict"],
    );
    assert.deepEqual((f.data[0] as { y: unknown[] }).y, [null, null, 1]);
    assert.ok(titleOf(f).replace(/<br>/g, " ").includes("fraction of runs > 0 at ¼, ½, all"));
    assert.ok(titleOf(f).replace(/<br>/g, " ").endsWith("(not stable: it depends on how long training runs)"));
  });
});

describe("budget figure: choosing the effect, labels, and nothing to draw", () => {
  it("the most informative kind at any budget wins, and its first measure; parts without one are skipped", () => {
    const e = base({
      id: "pick",
      numbers: {
        "task t1": 0.5,
        "control t1": 0.25,
        "task t2": 0.125,
        "task − control": 0.25,
        runs: 4,
        "runs < 0": 4,
      },
      budgets: [
        // at ½ only a sign test: the comparison with the control found at the full budget wins
        { fraction: 0.5, verdict: "inconclusive", detail: "", numbers: { runs: 4, "runs < 0": 2 } },
        { fraction: 1, verdict: "reproduced", detail: "" },
      ],
      stable: false,
    });
    const f = budgetFigure(e)!;
    assert.deepEqual(
      f.data.map((t) => t.name),
      ["task", "control", "verdict"],
      "no level without a margin",
    );
    assert.deepEqual((f.data[0] as { y: unknown[] }).y, [null, 0.5]);
    assert.deepEqual((f.data[1] as { y: unknown[] }).y, [null, 0.25]);
    assert.deepEqual((f.layout.yaxis as Record<string, unknown>).title, { text: "t1" });
    assert.ok(titleOf(f).replace(/<br>/g, " ").includes(": t1 at ½, all of the training"));
    // two legend entries, one row, no note
    assert.equal(f.layout.margin!.b, 90 + 22);
    assert.equal(f.layout.annotations, undefined);
  });

  it("a task without its control: no control trace and no level", () => {
    const e = base({
      numbers: { "task fall": 0.5, "control margin": 0.1 },
      budgets: [
        { fraction: 0.5, verdict: "partly", detail: "", numbers: { "task fall": 0.25 } },
        { fraction: 1, verdict: "reproduced", detail: "" },
      ],
    });
    const f = budgetFigure(e)!;
    assert.deepEqual(
      f.data.map((t) => t.name),
      ["task", "verdict"],
    );
    assert.deepEqual((f.data[0] as { y: unknown[] }).y, [0.25, 0.5]);
  });

  it("a sign test whose level is unknown at every budget draws no level; two measures of one kind are named", () => {
    const e = base({
      numbers: { "P: runs": 2, "P: runs > 0": 1, "Q: runs": 2, "Q: runs < 0": 2 },
      budgets: [
        { fraction: 0.75, verdict: "inconclusive", detail: "", numbers: { "P: runs": 2, "P: runs > 0": 2 } },
        { fraction: 1, verdict: "inconclusive", detail: "" },
      ],
    });
    const f = budgetFigure(e)!;
    assert.deepEqual(
      f.data.map((t) => t.name),
      ["P: fraction of runs > 0", "Q: fraction of runs < 0", "verdict"],
    );
    assert.deepEqual((f.data[0] as { y: unknown[] }).y, [1, 0.5]);
    assert.deepEqual((f.data[1] as { y: unknown[] }).y, [null, 1]);
    assert.deepEqual((f.data[1] as { line: unknown }).line, { color: RED, width: 2 });
    assert.deepEqual((f.layout.xaxis as Record<string, unknown>).ticktext, ["¾", "all"]);
    assert.ok(titleOf(f).replace(/<br>/g, " ").includes("effect (see the legend) at ¾, all of the training"));
  });

  it("no effect stated: only the strip, 'the verdict' in the title; other fractions by their value", () => {
    const e = base({
      id: "bare",
      numbers: { note: "text" },
      budgets: [
        { fraction: 2 / 3, verdict: "partly", detail: "", numbers: {} },
        { fraction: 1 / 3, verdict: "not assessed", detail: "", numbers: {} },
        { fraction: 0.125, verdict: "inconclusive", detail: "", numbers: {} },
        { fraction: 1, verdict: "reproduced", detail: "" },
      ],
      stable: false,
    });
    const f = budgetFigure(e)!;
    assert.deepEqual(
      f.data.map((t) => t.name),
      ["verdict"],
    );
    const x = f.layout.xaxis as Record<string, unknown>;
    assert.deepEqual(x.tickvals, [0.125, 1 / 3, 2 / 3, 1]);
    assert.deepEqual(x.ticktext, ["0.125", "0.333", "0.667", "all"]);
    assert.equal(
      titleOf(f).replace(/<br>/g, " "),
      "bare against the training budget: the verdict at 0.125, 0.333, 0.667, all of the training, verdict at each " +
        "(not stable: it depends on how long training runs)",
    );
    const lines = titleOf(f).split("<br>").length;
    assert.deepEqual((f.layout.yaxis as Record<string, unknown>).title, {
      text: "(no effect stated by the rule's numbers)",
    });
    // no legend entry, no note: the house height and bottom margin of 90
    assert.equal(f.layout.height, 520 + 22 * (lines - 1));
    assert.equal(f.layout.margin!.b, 90);
    assert.equal(f.layout.annotations, undefined);
  });

  it("no budgets, or an empty list of them: no figure; budgetFigures keeps the ledger's order", () => {
    assert.equal(budgetFigure(base({})), undefined);
    assert.equal(budgetFigure(base({ budgets: [] })), undefined);
    assert.equal(budgetFigureName("x-1"), "budget-x-1");
    const withB = (id: string) => base({ id, budgets: [{ fraction: 1, verdict: "reproduced", detail: "" }] });
    assert.deepEqual(
      budgetFigures([withB("b"), base({ id: "none" }), base({ id: "empty", budgets: [] }), withB("a")]).map(
        (f) => f.name,
      ),
      ["budget-b", "budget-a"],
    );
    assert.deepEqual(budgetFigures([]), []);
  });
});
