/**
 * How results show themselves (src/report/render.ts, src/report/result.ts): the rich-renderer registration and the
 * result hook, the checks of a result read back from disk, number formatting, and an experiment result's accessors,
 * plain-text account and HTML summary — each expected string written out by hand from the source's templates.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as util from "node:util";
import {
  inspectSymbol,
  renderOrDescribe,
  RichObject,
  runResultHook,
  setRenderer,
  setResultHook,
} from "../../src/report/render";
import {
  ExperimentResult,
  figuresProblem,
  formatNumber,
  resultDataProblem,
  resultPartsProblem,
  ResultData,
} from "../../src/report/result";
import { LedgerEntry, ledgerHtml, ledgerText } from "../../src/report/ledger";
import { entry } from "./fixtures";

const obj = (text: string): RichObject => ({ describe: () => text });

describe("render: the rich renderer and the result hook", () => {
  afterEach(() => {
    setRenderer(undefined);
    setResultHook(undefined);
  });

  it("without a renderer an object describes itself", () => {
    assert.equal(renderOrDescribe(obj("plain")), "plain");
  });

  it("a renderer that shows the object leaves no text; one that declines leaves the description", () => {
    const seen: RichObject[] = [];
    const o = obj("shown");
    setRenderer((x) => {
      seen.push(x);
      return true;
    });
    assert.equal(renderOrDescribe(o), "");
    assert.deepEqual(seen, [o]);
    setRenderer(() => false);
    assert.equal(renderOrDescribe(o), "shown");
    setRenderer(undefined);
    assert.equal(renderOrDescribe(o), "shown");
  });

  it("a renderer that throws: the description and the error's message", () => {
    setRenderer(() => {
      throw new Error("no display");
    });
    assert.equal(renderOrDescribe(obj("text")), "text\n(rich display failed: no display)");
  });

  it("inspectSymbol is Node's util.inspect.custom", () => {
    assert.equal(inspectSymbol, Symbol.for("nodejs.util.inspect.custom"));
    assert.equal(inspectSymbol, util.inspect.custom);
  });

  it("runResultHook does nothing without a hook, and awaits the hook when there is one", async () => {
    assert.equal(await runResultHook({}), undefined);
    const done: unknown[] = [];
    setResultHook(async (r) => {
      await new Promise((res) => setImmediate(res));
      done.push(r);
    });
    const r = { a: 1 };
    await runResultHook(r);
    assert.deepEqual(done, [r]);
    setResultHook(async () => {
      await new Promise((res) => setImmediate(res));
      throw new Error("hook failed");
    });
    await assert.rejects(runResultHook(r), /hook failed/);
    setResultHook(undefined);
    await runResultHook(r);
    assert.equal(done.length, 1);
  });
});

describe("formatNumber", () => {
  it("integers as they are, else 4 significant digits, exponential below 1e-3", () => {
    assert.equal(formatNumber(0), "0");
    assert.equal(formatNumber(5), "5");
    assert.equal(formatNumber(-3), "-3");
    assert.equal(formatNumber(123456789), "123456789");
    assert.equal(formatNumber(0.5), "0.5000");
    assert.equal(formatNumber(-0.5), "-0.5000");
    assert.equal(formatNumber(3.14159), "3.142");
    assert.equal(formatNumber(0.001), "0.001000");
    assert.equal(formatNumber(0.000999), "9.990e-4");
    assert.equal(formatNumber(-0.000999), "-9.990e-4");
    assert.equal(formatNumber(1234.5), "1235");
    assert.equal(formatNumber(123456.7), "1.235e+5");
  });
});

const goodFigure = { name: "f", data: [], layout: {} };

describe("checks of a result read back from disk", () => {
  it("figuresProblem: a list of { name, data, layout }, each part checked, the index named", () => {
    assert.equal(figuresProblem([]), undefined);
    assert.equal(figuresProblem([goodFigure, { name: "g", data: [{}], layout: { a: 1 } }]), undefined);
    assert.equal(figuresProblem({}), "figures is not a list");
    assert.equal(figuresProblem("x", "rec.figures"), "rec.figures is not a list");
    const bad = (f: unknown, at?: string) => figuresProblem([goodFigure, f], at);
    const msg = "figures[1] is not a figure ({ name, data: [...], layout: {...} })";
    assert.equal(bad(null), msg);
    assert.equal(bad([]), msg);
    assert.equal(bad({ name: 1, data: [], layout: {} }), msg);
    assert.equal(bad({ name: "g", data: {}, layout: {} }), msg);
    assert.equal(bad({ name: "g", data: [], layout: [] }), msg);
    assert.equal(bad({ name: "g", data: [], layout: null }), msg);
    assert.equal(bad({ name: "g", data: [] }, "x"), "x[1] is not a figure ({ name, data: [...], layout: {...} })");
  });

  it("resultPartsProblem: each list and object, in order, with the prefix", () => {
    const ok = { figures: [goodFigure] };
    const p = (extra: Record<string, unknown>, at?: string) => resultPartsProblem({ ...ok, ...extra }, at);
    assert.equal(p({}), undefined);
    assert.equal(
      p({
        tables: [{ title: "t", columns: [], rows: [] }],
        checks: [{ name: "c", pass: false, detail: "" }],
        notes: ["n"],
        ledger: [{ id: "a", verdict: "reproduced", detail: "d" }],
        summary: {},
        evidence: {},
        unassessed: {},
        timings: { a: 1.5 },
      }),
      undefined,
    );
    assert.equal(resultPartsProblem({ figures: 1 }, "r."), "r.figures is not a list");
    assert.equal(resultPartsProblem({}), "figures is not a list");
    assert.equal(p({ tables: {} }), "tables is not a list");
    assert.equal(p({ tables: {} }, "r."), "r.tables is not a list");
    const table = "is not a table ({ title, columns, rows })";
    assert.equal(p({ tables: [{ title: "t", columns: [], rows: [] }, null] }), `tables[1] ${table}`);
    assert.equal(p({ tables: [{ title: 1, columns: [], rows: [] }] }), `tables[0] ${table}`);
    assert.equal(p({ tables: [{ title: "t", columns: {}, rows: [] }] }), `tables[0] ${table}`);
    assert.equal(p({ tables: [{ title: "t", columns: [], rows: {} }] }, "r."), `r.tables[0] ${table}`);
    const check = "is not a check ({ name, pass, detail })";
    assert.equal(p({ checks: [{ name: 1, pass: true }] }), `checks[0] ${check}`);
    assert.equal(p({ checks: [{ name: "c", pass: "yes" }] }), `checks[0] ${check}`);
    assert.equal(p({ checks: [{ name: "c", pass: true }, 3] }), `checks[1] ${check}`);
    assert.equal(p({ checks: "c" }), "checks is not a list");
    assert.equal(p({ notes: ["a", 2] }), "notes[1] is not text");
    assert.equal(p({ notes: "a" }), "notes is not a list");
    const led = "is not a ledger entry";
    assert.equal(p({ ledger: [{ id: 1, verdict: "v", detail: "d" }] }), `ledger[0] ${led}`);
    assert.equal(p({ ledger: [{ id: "a", verdict: 1, detail: "d" }] }), `ledger[0] ${led}`);
    assert.equal(p({ ledger: [{ id: "a", verdict: "v", detail: null }] }), `ledger[0] ${led}`);
    assert.equal(p({ ledger: [[]] }), `ledger[0] ${led}`);
    assert.equal(p({ ledger: {} }), "ledger is not a list");
    assert.equal(p({ summary: [] }), "summary is not an object");
    assert.equal(p({ summary: 1 }, "r."), "r.summary is not an object");
    assert.equal(p({ evidence: "x" }), "evidence is not an object");
    assert.equal(p({ unassessed: null }), "unassessed is not an object");
    assert.equal(p({ timings: [] }), "timings is not an object");
    assert.equal(p({ timings: { a: 1, b: "2" } }), "timings holds a value that is not a number");
    assert.equal(p({ timings: { a: 1, b: "2" } }, "r."), "r.timings holds a value that is not a number");
    // the first problem in order: figures, tables, checks, notes, ledger, objects, timings' values
    assert.equal(resultPartsProblem({ figures: {}, tables: {} }), "figures is not a list");
    assert.equal(p({ tables: {}, checks: {} }), "tables is not a list");
    assert.equal(p({ checks: {}, notes: {} }), "checks is not a list");
    assert.equal(p({ notes: {}, ledger: {} }), "notes is not a list");
    assert.equal(p({ ledger: {}, summary: 1 }), "ledger is not a list");
    assert.equal(p({ summary: 1, timings: 1 }), "summary is not an object");
  });

  it("resultDataProblem: a whole result's fields, then its parts", () => {
    const good: Record<string, unknown> = {
      experiment: "e",
      title: "t",
      options: {},
      figures: [],
      summary: {},
      tables: [],
      checks: [],
      ledger: [],
      notes: [],
      seconds: 0,
    };
    const p = (extra: Record<string, unknown>) => resultDataProblem({ ...good, ...extra });
    assert.equal(p({}), undefined);
    assert.equal(resultDataProblem(null), "not an object");
    assert.equal(resultDataProblem([]), "not an object");
    assert.equal(resultDataProblem("x"), "not an object");
    assert.equal(p({ experiment: 1 }), "experiment or title is not text");
    assert.equal(p({ title: undefined }), "experiment or title is not text");
    assert.equal(p({ options: [] }), "options is not an object");
    assert.equal(p({ ledger: {} }), "ledger is not a list");
    assert.equal(p({ summary: null }), "summary is not an object");
    assert.equal(p({ seconds: "1" }), "seconds is not a number ≥ 0");
    assert.equal(p({ seconds: -0.1 }), "seconds is not a number ≥ 0");
    assert.equal(p({ seconds: NaN }), "seconds is not a number ≥ 0");
    assert.equal(p({ seconds: 12.5 }), undefined);
    assert.equal(p({ tables: undefined }), "tables is not a list");
    assert.equal(p({ checks: {} }), "checks is not a list");
    assert.equal(p({ notes: "n" }), "notes is not a list");
    assert.equal(p({ figures: {} }), "figures is not a list");
    assert.equal(p({ notes: [1] }), "notes[0] is not text");
  });
});

const data = (extra: Partial<ResultData> = {}): ResultData => ({
  experiment: "study",
  title: "Study <one>",
  options: {},
  figures: [],
  summary: {},
  tables: [],
  checks: [],
  ledger: [],
  notes: [],
  seconds: 2.5,
  version: "0.1.0",
  ...extra,
});

describe("ExperimentResult: accessors", () => {
  it("getters read the data; toJSON gives it back", () => {
    const d = data({
      summary: { a: 1 },
      checks: [{ name: "c", pass: true, detail: "" }],
      tables: [{ title: "t", columns: [], rows: [] }],
      options: { steps: 3 },
      ledger: [entry("a", "reproduced"), entry("b", "partly"), entry("c", "partly", { kind: "extension" })],
    });
    const r = new ExperimentResult(d);
    assert.equal(r.experiment, "study");
    assert.equal(r.summary, d.summary);
    assert.equal(r.checks, d.checks);
    assert.equal(r.tables, d.tables);
    assert.equal(r.options, d.options);
    assert.equal(r.ledger, d.ledger);
    assert.equal(r.toJSON(), d);
    assert.equal(r.cached, false);
    assert.deepEqual(r.verdicts, {
      reproduced: 1,
      partly: 1,
      inconclusive: 0,
      "not reproduced": 0,
      "not assessed": 0,
    });
    const noLedger = new ExperimentResult({ ...d, ledger: undefined as unknown as LedgerEntry[] });
    assert.deepEqual(noLedger.ledger, []);
    assert.deepEqual(noLedger.verdicts.reproduced, 0);
  });

  it("claim and figure find by id and name, else throw listing what there is", () => {
    const a = entry("a", "reproduced");
    const r = new ExperimentResult(
      data({ ledger: [a, entry("b", "partly")], figures: [goodFigure, { name: "g", data: [], layout: {} }] }),
    );
    assert.equal(r.claim("a"), a);
    assert.equal(r.claim("b").verdict, "partly");
    assert.throws(() => r.claim("zz"), { message: 'study: no claim "zz"; claims: a, b' });
    assert.equal(r.figure("g").name, "g");
    assert.equal(r.figure("f").name, "f");
    assert.throws(() => r.figure("h"), { message: 'study: no figure "h"; figures: f, g' });
  });

  it("a study figure named like a budget figure is kept and not drawn again", () => {
    const late = entry("late", "reproduced", {
      budgets: [
        { fraction: 0.5, verdict: "reproduced", detail: "" },
        { fraction: 1, verdict: "reproduced", detail: "" },
      ],
      stable: true,
    });
    const own = { name: "budget-late", data: [], layout: {} };
    const r = new ExperimentResult(data({ figures: [own], ledger: [late] }));
    assert.equal(r.figures.length, 1);
    assert.equal(r.figures[0].data, own.data);
    const drawn = new ExperimentResult(data({ figures: [goodFigure], ledger: [late] }));
    assert.deepEqual(
      drawn.figures.map((f) => f.name),
      ["f", "budget-late"],
    );
  });

  it("ledgerExport captions the table with the title unless told otherwise", () => {
    const r = new ExperimentResult(data({ ledger: [entry("a", "reproduced")] }));
    const ex = r.ledgerExport();
    assert.deepEqual(ex.opts, { caption: "Study <one>: claims of the paper tested" });
    assert.equal(ex.entries, r.ledger);
    assert.deepEqual(r.ledgerExport({ caption: "mine", label: "tab:x" }).opts, { caption: "mine", label: "tab:x" });
    assert.deepEqual(r.ledgerExport({ label: "l" }).opts, {
      caption: "Study <one>: claims of the paper tested",
      label: "l",
    });
  });

  it("optionsLine: each option as JSON, the paper's value in brackets where it differs", () => {
    const r = new ExperimentResult(
      data({
        options: { steps: 100, act: "relu", sizes: [2, 3], seed: 0 },
        paperOptions: { steps: 4000, act: "relu", sizes: [2, 3] },
      }),
    );
    assert.equal(r.optionsLine(), 'steps = 100 [paper: 4000], act = "relu", sizes = [2,3], seed = 0');
    assert.equal(new ExperimentResult(data({ options: { a: "x", b: false } })).optionsLine(), 'a = "x", b = false');
    assert.equal(new ExperimentResult(data()).optionsLine(), "");
  });

  it("allChecksPass: every check passed (none counts as all)", () => {
    assert.equal(new ExperimentResult(data()).allChecksPass, true);
    const c = (pass: boolean) => ({ name: "c", pass, detail: "" });
    assert.equal(new ExperimentResult(data({ checks: [c(true), c(true)] })).allChecksPass, true);
    assert.equal(new ExperimentResult(data({ checks: [c(true), c(false)] })).allChecksPass, false);
  });
});

describe("ExperimentResult: describe", () => {
  it("title and time only, for a bare result; '(from cache)' when cached", () => {
    const r = new ExperimentResult(data({ seconds: 2.25 }));
    assert.equal(r.describe(), "Study <one> — 2.3 s\n  figures: ");
    r.cached = true;
    assert.equal(r.describe(), "Study <one> — 2.3 s (from cache)\n  figures: ");
  });

  it("options of one figure, summary numbers formatted, claims, checks and figure names", () => {
    const ledger = [entry("a", "reproduced"), entry("x", "partly", { kind: "extension" })];
    const r = new ExperimentResult(
      data({
        part: "fig2a",
        options: { steps: 10 },
        paperOptions: { steps: 20 },
        summary: { n: 3, ratio: 0.123456, tiny: 0.00001234, label: "ok", flag: true, none: null },
        ledger,
        checks: [
          { name: "identity", pass: true, detail: "err 0" },
          { name: "bound", pass: false, detail: "3 > 2" },
        ],
        figures: [goodFigure, { name: "g", data: [], layout: {} }],
      }),
    );
    assert.equal(
      r.describe(),
      [
        "Study <one> — 2.5 s",
        "  options: steps = 10 [paper: 20]",
        "  n: 3",
        "  ratio: 0.1235",
        "  tiny: 1.234e-5",
        "  label: ok",
        "  flag: true",
        "  none: null",
        "claims:",
        ledgerText(ledger),
        "  software check [pass] identity: err 0",
        "  software check [FAIL] bound: 3 > 2",
        "  figures: f, g",
      ].join("\n"),
    );
    assert.ok(r.describe().includes("  [partly] (extension, not counted) claim x (Fig. 1)"));
  });

  it("util.inspect shows the description, or nothing when a renderer displayed it", () => {
    const r = new ExperimentResult(data());
    assert.equal(util.inspect(r), r.describe());
    assert.equal(r[inspectSymbol](), r.describe());
    try {
      setRenderer(() => true);
      assert.equal(r[inspectSymbol](), "");
    } finally {
      setRenderer(undefined);
    }
  });
});

const fold = (label: string, body: string) =>
  `<details style="margin:0.2em 0"><summary style="cursor:pointer">${label}</summary>${body}</details>`;

describe("ExperimentResult: summaryHtml", () => {
  it("a bare result: title and time only, escaped; ', from cache' when cached", () => {
    const r = new ExperimentResult(data());
    assert.equal(
      r.summaryHtml(),
      `<div class="rankscope-summary"><b>Study &lt;one&gt;</b> <span style="color:#666">2.5 s</span></div>`,
    );
    r.cached = true;
    assert.equal(
      r.summaryHtml(),
      `<div class="rankscope-summary"><b>Study &lt;one&gt;</b> <span style="color:#666">2.5 s, from cache</span></div>`,
    );
  });

  it("everything: changed options, failed checks, claims, options, numbers, checks, tables, notes", () => {
    const ledger = [entry("a", "reproduced")];
    const r = new ExperimentResult(
      data({
        title: "T & U",
        seconds: 1,
        part: "fig1",
        preset: "quick",
        changedOptions: ["a<", "b"],
        options: { a: "<x>" },
        paperOptions: { a: "y" },
        summary: { n: 3, x: 0.5, s: null, t: "a&b", b: true },
        checks: [
          { name: "c1 <", detail: "d1 &", pass: false },
          { name: "ok", detail: "fine", pass: true },
          { name: "c2", detail: "d2", pass: false },
        ],
        ledger,
        tables: [
          {
            title: "tab <1>",
            columns: ["c<1", "c2"],
            rows: [
              [1, null],
              [0.25, "x>"],
            ],
          },
        ],
        notes: ["n1 <", "n2"],
      }),
    );
    const expected =
      `<div class="rankscope-summary"><b>T &amp; U</b> <span style="color:#666">1.0 s</span>` +
      `<div style="font-size:12px;color:#444;margin:0.2em 0">options, changed: a&lt;, b</div>` +
      `<div style="border-left:4px solid #d62728;padding:2px 8px;margin:0.3em 0;color:#d62728">` +
      `<b>2 software checks failed</b> (a bug, not a finding): c1 &lt;: d1 &amp;; c2: d2</div>` +
      `<h4 style="margin:0.6em 0 0.2em">Claims of the paper tested by this run</h4>${ledgerHtml(ledger)}` +
      fold(
        "options (quick preset, changed: a&lt;, b)",
        `<div style="font-size:12px;color:#444;margin:0.2em 0">paper values in brackets where they differ: ` +
          `<code>a = &quot;&lt;x&gt;&quot; [paper: &quot;y&quot;]</code></div>`,
      ) +
      fold(
        "headline numbers (5)",
        `<table><tbody>` +
          `<tr><th style="text-align:left">n</th><td>3</td></tr>` +
          `<tr><th style="text-align:left">x</th><td>0.5000</td></tr>` +
          `<tr><th style="text-align:left">s</th><td>—</td></tr>` +
          `<tr><th style="text-align:left">t</th><td>a&amp;b</td></tr>` +
          `<tr><th style="text-align:left">b</th><td>true</td></tr>` +
          `</tbody></table>`,
      ) +
      fold(
        "software checks (1 of 3 pass)",
        `<table><thead><tr><th>software check</th><th></th><th style="text-align:left">numbers</th></tr></thead>` +
          `<tbody>` +
          `<tr><td style="text-align:left">c1 &lt;</td><td style="color:#d62728">FAIL</td>` +
          `<td style="text-align:left">d1 &amp;</td></tr>` +
          `<tr><td style="text-align:left">ok</td><td style="color:#2ca02c">pass</td>` +
          `<td style="text-align:left">fine</td></tr>` +
          `<tr><td style="text-align:left">c2</td><td style="color:#d62728">FAIL</td>` +
          `<td style="text-align:left">d2</td></tr>` +
          `</tbody></table>`,
      ) +
      fold(
        "tab &lt;1&gt; (2 rows)",
        `<table><thead><tr><th>c&lt;1</th><th>c2</th></tr></thead><tbody>` +
          `<tr><td>1</td><td>—</td></tr><tr><td>0.2500</td><td>x&gt;</td></tr></tbody></table>`,
      ) +
      fold("notes (2)", `<ul><li>n1 &lt;</li><li>n2</li></ul>`) +
      `</div>`;
    assert.equal(r.summaryHtml(), expected);
  });

  it("one failed check is singular; a figure without changed options shows no options line; default preset paper", () => {
    const r = new ExperimentResult(
      data({
        part: "fig1",
        options: { a: 1 },
        checks: [{ name: "c", detail: "d", pass: false }],
      }),
    );
    const h = r.summaryHtml();
    assert.equal(
      h,
      `<div class="rankscope-summary"><b>Study &lt;one&gt;</b> <span style="color:#666">2.5 s</span>` +
        `<div style="border-left:4px solid #d62728;padding:2px 8px;margin:0.3em 0;color:#d62728">` +
        `<b>1 software check failed</b> (a bug, not a finding): c: d</div>` +
        fold(
          "options (paper preset)",
          `<div style="font-size:12px;color:#444;margin:0.2em 0">paper values in brackets where they differ: ` +
            `<code>a = 1</code></div>`,
        ) +
        fold(
          "software checks (0 of 1 pass)",
          `<table><thead><tr><th>software check</th><th></th><th style="text-align:left">numbers</th></tr></thead>` +
            `<tbody><tr><td style="text-align:left">c</td><td style="color:#d62728">FAIL</td>` +
            `<td style="text-align:left">d</td></tr></tbody></table>`,
        ) +
        `</div>`,
    );
    const empty = new ExperimentResult(data({ part: "fig1", changedOptions: [] })).summaryHtml();
    assert.ok(!empty.includes("changed"));
    assert.ok(empty.includes('<summary style="cursor:pointer">options (paper preset)</summary>'));
  });

  it("changed options of a whole study (no part) show nowhere; passing checks show no warning", () => {
    const h = new ExperimentResult(
      data({
        changedOptions: ["steps"],
        preset: "quick",
        checks: [{ name: "c", detail: "d", pass: true }],
        tables: [{ title: "empty", columns: [], rows: [] }],
      }),
    ).summaryHtml();
    assert.equal(
      h,
      `<div class="rankscope-summary"><b>Study &lt;one&gt;</b> <span style="color:#666">2.5 s</span>` +
        fold(
          "software checks (1 of 1 pass)",
          `<table><thead><tr><th>software check</th><th></th><th style="text-align:left">numbers</th></tr></thead>` +
            `<tbody><tr><td style="text-align:left">c</td><td style="color:#2ca02c">pass</td>` +
            `<td style="text-align:left">d</td></tr></tbody></table>`,
        ) +
        fold("empty (0 rows)", `<table><thead><tr></tr></thead><tbody></tbody></table>`) +
        `</div>`,
    );
  });
});
