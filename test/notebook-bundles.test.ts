import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExperimentResult, ResultData } from "../src/report/result";
import { Figure } from "../src/figures/figure";
import { resultBundles, figureBundle, notebookLayout } from "../kernel-helpers/bundles";
import { plotlyLoaderHtml, installPlotly, servedPlotlyUrl } from "../kernel-helpers/plotly-served";
import { plotlyPath } from "../src/export";

function result(): ExperimentResult {
  const fig = (name: string) =>
    new Figure(name, [{ type: "scatter", x: [1, 2], y: [3, 4] }], { width: 1200, height: 500, title: { text: name } });
  const data: ResultData = {
    experiment: "demo",
    part: "fig1",
    title: "Demo figure",
    options: { n: 3 },
    paperOptions: { n: 10 },
    preset: "quick",
    changedOptions: ["n"],
    figures: [fig("a"), fig("b")].map((f) => f.toJSON()),
    summary: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`metric${i}`, i])),
    tables: [{ title: "metrics per run", columns: ["run", "value"], rows: [[1, 2]] }],
    checks: [{ name: "identity holds", pass: true, detail: "max err 1e-15" }],
    ledger: [
      {
        id: "c1",
        claim: "the rank falls",
        where: "Fig. 1",
        rule: "strictly lower",
        differences: [],
        verdict: "reproduced",
        numbers: { r: 2 },
        detail: "it fell",
      },
    ],
    notes: ["a note"],
    seconds: 1.5,
    version: "0",
  };
  return new ExperimentResult(data);
}

/** The `<details>` nesting depth at each position of `html` where `needle` occurs. */
function depthsAt(html: string, needle: string): number[] {
  const out: number[] = [];
  let i = html.indexOf(needle);
  while (i >= 0) {
    const before = html.slice(0, i);
    out.push((before.match(/<details/g) ?? []).length - (before.match(/<\/details>/g) ?? []).length);
    i = html.indexOf(needle, i + 1);
  }
  return out;
}

describe("notebook output of a result", () => {
  it("shows the figures first, then the verdicts; options, numbers, checks and tables follow collapsed", () => {
    const r = result();
    const bundles = resultBundles(r);
    assert.equal(bundles.length, 3);
    assert.match(String(bundles[0].data["text/html"]), /Plotly\.newPlot/);
    assert.match(String(bundles[1].data["text/html"]), /Plotly\.newPlot/);
    const html = String(bundles[2].data["text/html"]);
    assert.doesNotMatch(html, /Plotly\.newPlot/);
    // the ledger table is open; every other table sits inside a <details>
    const tables = depthsAt(html, "<table");
    const ledgerAt = html.indexOf('<table class="rankscope-ledger"');
    assert.ok(ledgerAt > 0 && depthsAt(html, '<table class="rankscope-ledger"')[0] === 0, "ledger shown open");
    assert.equal(tables.filter((d) => d === 0).length, 1, "only the ledger table is open");
    assert.ok(tables.length >= 4, `tables: ${tables.length}`);
    // the options line (with the paper's value) is collapsed; the changed option is named in the open text
    assert.ok(depthsAt(html, "[paper: 10]")[0] > 0);
    assert.ok(html.indexOf("changed: n") < html.indexOf("<details"));
    assert.ok(ledgerAt < html.indexOf("<details"), "verdicts before the collapsed parts");
  });

  it("a failed software check is shown open, in red, above the verdicts", () => {
    const r = result();
    r.data.checks.push({ name: "symmetry", pass: false, detail: "asymmetry 0.4" });
    const html = r.summaryHtml();
    const at = html.indexOf("1 software check failed");
    assert.ok(at > 0 && depthsAt(html, "1 software check failed")[0] === 0);
    assert.ok(at < html.indexOf("rankscope-ledger"));
  });

  it("figures size to the output area in a notebook; the figure itself (exports) keeps its size", () => {
    const r = result();
    const b = figureBundle(r.figures[0]);
    const html = String(b.data["text/html"]);
    const layout = JSON.parse(html.match(/newPlot\(el, .*?\], (\{.*?\}), \{responsive/)![1]);
    assert.equal(layout.width, undefined);
    assert.equal(layout.autosize, true);
    assert.equal(layout.height, 500);
    assert.equal((b.data["application/vnd.plotly.v1+json"] as { layout: { width?: number } }).layout.width, undefined);
    assert.equal(r.figures[0].layout.width, 1200, "the figure's own layout is not changed");
    assert.equal(notebookLayout({ width: 700 }).width, undefined);
  });
});

describe("plotly.js in notebooks", () => {
  it("served: installed once into the Jupyter data folder; the loader is small and names the served file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-jdata-"));
    const html = plotlyLoaderHtml("auto", dir);
    const file = path.join(dir, servedPlotlyUrl());
    assert.ok(fs.existsSync(file));
    assert.equal(fs.statSync(file).size, fs.statSync(plotlyPath()).size);
    assert.ok(html.length < 3000, `loader ${html.length} bytes`);
    assert.ok(html.includes(servedPlotlyUrl()));
    assert.equal(installPlotly(dir), file, "a second install finds the copy");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("inline where the file cannot be written (and on request); served refuses then", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-jdata-"));
    const blocked = path.join(dir, "file");
    fs.writeFileSync(blocked, "not a folder"); // a data folder below a file cannot be created
    const size = fs.statSync(plotlyPath()).size;
    assert.ok(plotlyLoaderHtml("auto", blocked).length > size);
    assert.ok(plotlyLoaderHtml("inline", dir).length > size);
    assert.throws(() => plotlyLoaderHtml("served", blocked), /plotly: "served" needs to write/);
    assert.throws(() => plotlyLoaderHtml("cdn" as "auto", dir), /"auto", "served" or "inline"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
