import { it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { jupyterAvailable, checkoutKernelPath, killTree, PYTHON } from "../kernel-helpers/run-notebooks";
import { chromiumPath, CHROMIUM_FLAGS } from "../src/export";

const root = path.resolve(__dirname, "../..");
const ready =
  jupyterAvailable() &&
  fs.existsSync(chromiumPath()) &&
  fs.existsSync("/usr/lib/python3/dist-packages/notebook/static/notebook/js/outputarea.js");

/**
 * Run All in Jupyter Notebook 6 itself, in Chromium, as a reader does it, on test/fixtures/long-output.ipynb (a
 * rank-explorer result shown three times in one cell, an output taller than the 100 lines at which Notebook 6 boxes
 * it; a figure made 1 400 px wide; a figure after them). After it: no output in Notebook 6's scroll box, no chart
 * wider than its output area (978 px here), every code cell executed, no error output; plotly.js came from the
 * notebook server, not from the notebook. With the scroll guard removed the output is boxed (1), and with the fixed
 * width kept the wide chart is 1 400 px in a 978-px area: the test fails both ways.
 */
it(
  "Run All in Jupyter Notebook 6 (Chromium): figures unboxed, within the output area, every cell run",
  { skip: !ready && "needs Debian's jupyter-notebook and Chromium (bash .ci/setup)", timeout: 600000 },
  async () => {
    const dir = path.join(root, ".rankscope-cache", `nb6-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(root, "test", "fixtures", "long-output.ipynb"), path.join(dir, "long.ipynb"));
    const port = 18000 + (process.pid % 1000);
    const env = { ...process.env, JUPYTER_PATH: checkoutKernelPath() };
    const server = spawn(
      PYTHON,
      [
        "-m",
        "notebook",
        "--no-browser",
        "--allow-root",
        `--port=${port}`,
        "--port-retries=0",
        "--NotebookApp.token=",
        "--NotebookApp.password=",
        `--notebook-dir=${dir}`,
      ],
      { env, stdio: "ignore" },
    );
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        const ok = await fetch(`${base}/api`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (i > 150) throw new Error("Jupyter Notebook did not start");
        await new Promise((r) => setTimeout(r, 200));
      }
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(`${base}/notebooks/long.ipynb`);
      type J = {
        Jupyter: {
          notebook: {
            kernel?: { is_connected(): boolean };
            execute_all_cells(): void;
            get_cells(): { cell_type: string; input_prompt_number?: number | string | null }[];
          };
        };
      };
      await page.waitForFunction(() => (window as unknown as J).Jupyter?.notebook?.kernel?.is_connected(), null, {
        timeout: 120000,
      });
      await page.evaluate(() => (window as unknown as J).Jupyter.notebook.execute_all_cells());
      await page.waitForFunction(
        () =>
          (window as unknown as J).Jupyter.notebook
            .get_cells()
            .every((c) => c.cell_type !== "code" || typeof c.input_prompt_number === "number"),
        null,
        { timeout: 400000, polling: 500 },
      );
      await page.waitForTimeout(2000); // the last chart's script
      const seen = await page.evaluate(() => {
        const plots = Array.from(document.querySelectorAll(".js-plotly-plot"));
        return {
          plots: plots.length,
          tooWide: plots
            .map((p) => ({
              w: (p.querySelector(".main-svg") as Element).getBoundingClientRect().width,
              area: (p.closest(".output_subarea") as HTMLElement).clientWidth,
            }))
            .filter((x) => x.w > x.area + 1),
          boxed: document.querySelectorAll(".output_scroll").length,
          errors: document.querySelectorAll(".output_error").length,
          tallest: Math.max(...Array.from(document.querySelectorAll(".output")).map((o) => o.scrollHeight)),
          served: Array.from(document.querySelectorAll("script[src]")).some((s) =>
            /nbextensions\/rankscope\/plotly/.test((s as HTMLScriptElement).src),
          ),
        };
      });
      assert.ok(seen.plots >= 5, `charts drawn: ${JSON.stringify(seen)}`);
      console.log(JSON.stringify(seen));
      assert.deepEqual(seen.tooWide, [], "a chart wider than its output area");
      assert.ok(seen.tallest > 100 * 18, `an output taller than Notebook 6's scroll threshold: ${seen.tallest} px`);
      assert.equal(seen.boxed, 0, "an output in Notebook 6's scroll box");
      assert.equal(seen.errors, 0);
      assert.ok(seen.served, "plotly.js loaded from the notebook server");
    } finally {
      await browser.close();
      await killTree(server.pid!);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
