import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExperimentResult, ResultData } from "../../src/report/result";
import { Figure } from "../../src/figures/figure";
import * as zlib from "node:zlib";
import { resultBundles, figureBundle, notebookLayout, displayJson, DEFLATE_ABOVE } from "../../kernel-helpers/bundles";
import { chromiumPath, CHROMIUM_FLAGS } from "../../src/export";
import { plotlyLoaderHtml, installPlotly, servedPlotlyUrl } from "../../kernel-helpers/plotly-served";
import { plotlyPath } from "../../src/export";

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
    const b = figureBundle(r.figures[0], undefined, true);
    const html = String(b.data["text/html"]);
    const layout = JSON.parse(html.match(/newPlot\(el, d, (\{.*?\}), \{responsive/)![1]);
    assert.equal(layout.width, undefined);
    assert.equal(layout.autosize, true);
    assert.equal(layout.height, 500);
    assert.equal((b.data["application/vnd.plotly.v1+json"] as { layout: { width?: number } }).layout.width, undefined);
    assert.equal(r.figures[0].layout.width, 1200, "the figure's own layout is not changed");
    assert.equal(notebookLayout({ width: 700 }).width, undefined);
  });
});

describe("figure data in a notebook", () => {
  const big = () => {
    const x = Array.from({ length: 4000 }, (_, i) => i + 1);
    const y = x.map((i) => Math.exp(-i / 700) * (1 + 0.01 * Math.sin(i)));
    return new Figure("big", [{ type: "scatter", mode: "lines", x, y }], { height: 400, title: { text: "big" } });
  };

  it("numbers to 4 significant digits; a large figure's data deflated and base64-coded, unpacking to the same", () => {
    assert.equal(displayJson({ a: [0.123456, 2, 1234567.8, -3.14159e-12] }), '{"a":[0.1235,2,1235000,-3.142e-12]}');
    const fig = big();
    const html = String(figureBundle(fig).data["text/html"]);
    const b64 = html.match(/\}\)\("([A-Za-z0-9+/=]+)"\)/)![1];
    const unpacked = zlib.inflateRawSync(Buffer.from(b64, "base64")).toString("utf8");
    assert.equal(unpacked, displayJson(fig.data));
    assert.ok(displayJson(fig.data).length > DEFLATE_ABOVE);
    const raw = JSON.stringify(fig.data).length;
    assert.ok(html.length < raw / 3, `html ${html.length} vs data ${raw}`);
    assert.ok(
      !/"application\/vnd.plotly.v1\+json"/.test(JSON.stringify(figureBundle(fig).data)),
      "no Plotly JSON by default",
    );
  });

  it(
    "the deflated figure draws in Chromium with all its points",
    { skip: !fs.existsSync(chromiumPath()) && "needs Chromium" },
    async () => {
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
      try {
        const page = await browser.newPage();
        await page.setContent("<!DOCTYPE html><html><body><div id='out' style='width:800px'></div></body></html>");
        await page.addScriptTag({ path: plotlyPath() });
        const html = String(figureBundle(big()).data["text/html"]);
        await page.evaluate((h) => {
          document.getElementById("out")!.appendChild(document.createRange().createContextualFragment(h));
        }, html);
        await page.waitForSelector(".plot-container .scatterlayer .trace", { timeout: 20000 });
        const n = await page.evaluate(
          () => (document.querySelector(".js-plotly-plot") as unknown as { data: { x: number[] }[] }).data[0].x.length,
        );
        assert.equal(n, 4000);
        const width = await page.evaluate(() => document.querySelector(".main-svg")!.getBoundingClientRect().width);
        assert.equal(width, 800, "sized to its container");
      } finally {
        await browser.close();
      }
    },
  );
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
