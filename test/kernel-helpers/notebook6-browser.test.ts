import { it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { notebook6Available, runAllInNotebook6, summarizeNotebook6 } from "../../kernel-helpers/notebook6";
import { chromiumPath, CHROMIUM_FLAGS } from "../../src/export";

const root = path.resolve(__dirname, "../../..");

/**
 * Run All in Jupyter Notebook 6 itself, in Chromium, as a reader does it, on test/fixtures/long-output.ipynb (a
 * rank-explorer result shown three times in one cell, an output taller than the 100 lines at which Notebook 6 boxes
 * it; a figure made 1 400 px wide; a figure after them; a recorded study's ledger table, HTML without a figure, as
 * tall). After it: no output in Notebook 6's scroll box, no chart
 * wider than its output area (about 980 px here), every figure drawn, every code cell executed, no error output;
 * plotly.js came from the notebook server, not from the notebook. With the scroll guard removed the outputs are
 * boxed (2), and with the fixed width kept the wide chart is 1 400 px in a 967-px area: the test fails both ways.
 */
it(
  "Run All in Jupyter Notebook 6 (Chromium): figures unboxed, within the output area, every cell run",
  {
    skip: !notebook6Available(chromiumPath()) && "needs Debian's jupyter-notebook and Chromium (bash .ci/setup)",
    timeout: 600000,
  },
  async () => {
    const run = await runAllInNotebook6(path.join(root, "test", "fixtures", "long-output.ipynb"), {
      chromium: chromiumPath(),
      chromiumFlags: CHROMIUM_FLAGS,
      timeoutMs: 400000,
    });
    const s = summarizeNotebook6(run);
    console.log(JSON.stringify(s));
    assert.equal(s.timedOut, false);
    assert.equal(s.codeCells, 4);
    // three results of the rank explorer, each with its figures, then the wide one and the one after
    assert.ok(s.figures >= 5, `figures: ${JSON.stringify(s)}`);
    assert.equal(s.drawn, s.figures, "every figure drawn");
    // the long result, and the ledger table (HTML without a figure): both taller than Notebook 6's threshold
    for (const c of [run.cells[1], run.cells[3]])
      assert.ok(c.outputHeight > 100 * 18, `an output taller than Notebook 6's threshold: ${c.outputHeight} px`);
    assert.equal(s.boxedOutputs, 0, "an output in Notebook 6's scroll box");
    assert.ok(s.areaWidth > 800 && s.areaWidth < 1280, `output area ${s.areaWidth} px`);
    assert.equal(s.tooWide, 0, `a chart wider than its output area: ${s.maxChartWidth} px in ${s.areaWidth} px`);
    assert.ok(s.maxChartWidth > 0.9 * s.areaWidth, "the wide figure fills its output area");
    assert.equal(s.errorOutputs, 0);
    assert.equal(s.unexecuted, 0);
    assert.ok(s.plotlyServed, "plotly.js loaded from the notebook server");
  },
);
