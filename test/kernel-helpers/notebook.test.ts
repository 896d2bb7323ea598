import { it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebook, jupyterAvailable, screenshotNotebook } from "../../kernel-helpers/run-notebooks";

const ready = fs.existsSync("/usr/bin/python3") && jupyterAvailable();

it(
  "a small notebook runs headless with the tslab kernel and saves Plotly output, a PNG fallback and the summary",
  { skip: !ready && "needs Jupyter + the tslab kernel (bash .ci/setup)", timeout: 900000 },
  async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-nb-"));
    const run = await runNotebook(path.resolve(__dirname, "../../../test/fixtures/smoke.ipynb"), out);
    assert.deepEqual(run.errors, []);
    const nb = JSON.parse(fs.readFileSync(run.output, "utf8"));
    const outputs = nb.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []) as {
      output_type: string;
      data?: Record<string, string>;
      text?: string | string[];
    }[];
    const plots = outputs.filter((o) => o.data && /Plotly\.newPlot/.test(o.data["text/html"] ?? ""));
    assert.ok(plots.length >= 2, `Plotly outputs: ${plots.length}`);
    assert.ok(
      plots.every((o) => /Plotly\.newPlot/.test(o.data!["text/html"])),
      "each figure has the inline Plotly HTML",
    );
    const png = plots.find((o) => o.data!["image/png"]);
    assert.ok(png, "a static PNG is saved with the result's figure");
    assert.equal(Buffer.from(png!.data!["image/png"], "base64").subarray(1, 4).toString(), "PNG");
    assert.ok(
      outputs.some((o) => o.data && /rankscope: plotly.js loaded/.test(o.data["text/html"] ?? "")),
      "plotly.js is loaded once",
    );
    assert.ok(
      outputs.some((o) => o.data && /Rank explorer/.test(o.data["text/html"] ?? "")),
      "the result's summary table is shown",
    );
    assert.ok(
      outputs.some((o) => /checks: true/.test(String(o.text ?? ""))),
      "the printed check",
    );
    // a result as the cell's value (no study hook rendered its PNGs): every figure of it carries one
    const valueFigures = (nb.cells[2].outputs as { data?: Record<string, string> }[]).filter(
      (o) => o.data && /Plotly\.newPlot/.test(o.data["text/html"] ?? ""),
    );
    assert.ok(valueFigures.length >= 1, "the result's figures are shown");
    assert.ok(
      valueFigures.every((o) => o.data!["image/png"]),
      "each figure of a result left as the cell's value carries a PNG",
    );
    // a bare figure as the cell's value: interactive, with its own static PNG, and no empty line printed under it
    const last = nb.cells[nb.cells.length - 1].outputs as {
      output_type: string;
      data?: Record<string, string>;
      text?: string | string[];
    }[];
    assert.ok(
      last.some((o) => o.data && /Plotly\.newPlot/.test(o.data["text/html"] ?? "") && o.data["image/png"]),
      "the bare figure carries a PNG",
    );
    assert.deepEqual(
      last.filter((o) => o.output_type === "stream").map((o) => [o.text].flat().join("")),
      [],
      "no stream output (empty line) under the figure",
    );
    // opened as HTML in Chromium, the chart is drawn
    const charts = await screenshotNotebook(run.output, path.join(out, "smoke.png"));
    assert.ok(charts >= 2, `charts drawn: ${charts}`);
    assert.ok(fs.statSync(path.join(out, "smoke.png")).size > 10000);
  },
);
