/**
 * Run All in Jupyter Notebook 6 itself, in Chromium, as a reader does it: Debian's Notebook 6 server on a copy of the
 * notebook (its autosave must not touch the original), this checkout's tslab kernel, Chromium driven by
 * playwright-core clicking nothing but calling `Jupyter.notebook.execute_all_cells()`. When no cell is running any
 * more, the page is read cell by cell: was it executed, its error outputs, how many rankscope figures it holds and
 * how many Plotly drew, whether Notebook 6 put its output in the scroll box (or the output area scrolls sideways), and
 * each chart's width against the output area's.
 *
 *   const run = await runAllInNotebook6("notebooks/tour.ipynb");
 *   summarizeNotebook6(run)   // { figures, drawn, boxedFigures, maxChartWidth, areaWidth, errors, unexecuted, … }
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { onInterrupt } from "../src/util/interrupt";
import { checkoutKernelPath, ensurePackageLink, jupyterAvailable, killTree, PYTHON } from "./run-notebooks";
import { startWatchdog } from "./watchdog";

/** What Notebook 6 needs besides Jupyter's Python packages: its static front end (Debian's python3-notebook). */
export const NOTEBOOK6_OUTPUTAREA_JS = "/usr/lib/python3/dist-packages/notebook/static/notebook/js/outputarea.js";

/** Whether Notebook 6 and Chromium are there (else `runAllInNotebook6` throws with the set-up hint). */
export function notebook6Available(chromium: string): boolean {
  return jupyterAvailable() && fs.existsSync(chromium) && fs.existsSync(NOTEBOOK6_OUTPUTAREA_JS);
}

/** One code cell as the page shows it after Run All. */
export interface Notebook6Cell {
  /** position among all the notebook's cells, from 1 */
  index: number;
  /** the source's first line */
  head: string;
  /** whether it has code (Notebook 6 does not send an empty cell to the kernel) */
  empty: boolean;
  /** its prompt holds an execution count */
  executed: boolean;
  /** its error outputs, as "ename: evalue" */
  errors: string[];
  /** its stderr stream outputs (first 200 characters each) */
  stderr: string[];
  /** rankscope figures in its output (the divs `figureNotebookHtml` writes) */
  figures: number;
  /** of those, the ones Plotly drew (a chart of non-zero size) */
  drawn: number;
  /** what a figure that was not drawn shows instead (the first one's text) */
  notDrawn?: string;
  /** Notebook 6 put the output in its scroll box (`.output_scroll`) */
  boxed: boolean;
  /** an output of it scrolls sideways (content wider than its output area) */
  sideways: boolean;
  /** the widths of its charts (pixels, each chart's main SVG) */
  chartWidths: number[];
  /** the width of the output area's content box its charts are in (pixels; 0 without charts) */
  areaWidth: number;
  /** the height of its whole output (pixels) */
  outputHeight: number;
}

export interface Notebook6Run {
  file: string;
  /** wall time from opening the page to the last chart drawn (seconds) */
  seconds: number;
  cells: Notebook6Cell[];
  /** plotly.js came from the notebook server (nbextensions/rankscope/), not from the notebook */
  plotlyServed: boolean;
  /** some cell was still running when `timeoutMs` ran out */
  timedOut: boolean;
  /** the size of the notebook as Notebook 6 saved it after Run All (bytes), with `save` */
  savedBytes?: number;
  /** the viewport the page had */
  viewport: { width: number; height: number };
}

export interface Notebook6Options {
  /** Chromium executable (e.g. `chromiumPath()` of src/export) */
  chromium: string;
  /** its command-line flags */
  chromiumFlags?: string[];
  /** time allowed for Run All (default 40 min) */
  timeoutMs?: number;
  /** the browser window (default 1 280 × 1 000, in which Notebook 6's output area is about 980 px wide) */
  viewport?: { width: number; height: number };
  /** save the notebook from the page after Run All and measure it */
  save?: boolean;
  /** folder the notebook is copied to (default: a fresh one under the checkout's .rankscope-cache, removed after) */
  workDir?: string;
  /** progress lines (e.g. console.log) */
  log?: (line: string) => void;
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

type JupyterWindow = {
  Jupyter: {
    notebook: {
      kernel?: { is_connected(): boolean };
      execute_all_cells(): void;
      save_notebook(): Promise<unknown>;
      get_cells(): {
        cell_type: string;
        input_prompt_number?: number | string | null;
        element: ArrayLike<HTMLElement>;
        get_text(): string;
        output_area?: {
          element: ArrayLike<HTMLElement>;
          outputs: { output_type: string; name?: string; text?: string; ename?: string; evalue?: string }[];
        };
      }[];
    };
  };
};

/**
 * Opens `file` (a copy of it) in Jupyter Notebook 6, runs all its cells in Chromium and reads what the page shows.
 * The kernel runs in the copy's folder, so its result cache (`./.rankscope-cache`) starts empty unless
 * RANKSCOPE_CACHE_DIR is set: the run is a reader's first Run All.
 */
export async function runAllInNotebook6(file: string, opts: Notebook6Options): Promise<Notebook6Run> {
  const root = path.resolve(__dirname, "../..");
  if (!notebook6Available(opts.chromium))
    throw new Error(
      `notebooks: Run All in Notebook 6 needs Debian's jupyter-notebook (${NOTEBOOK6_OUTPUTAREA_JS}) and Chromium ` +
        `(${opts.chromium}); run the set-up command \`bash .ci/setup\``,
    );
  ensurePackageLink(root);
  const log = opts.log ?? (() => {});
  const own = !opts.workDir;
  // under the checkout, so that the kernel finds `rankscope` in its node_modules
  const dir = opts.workDir ?? path.join(root, ".rankscope-cache", `nb6-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  const name = path.basename(file);
  fs.copyFileSync(file, path.join(dir, name));
  const viewport = opts.viewport ?? { width: 1280, height: 1000 };
  const port = await freePort();
  const env = { ...process.env, JUPYTER_PATH: checkoutKernelPath(root) };
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
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  let serverLog = "";
  server.stderr!.setEncoding("utf8");
  server.stderr!.on("data", (d: string) => {
    serverLog = (serverLog + d).slice(-20000);
  });
  if (server.pid) startWatchdog(server.pid);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    args: opts.chromiumFlags ?? [],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const stop = async () => {
    await browser.close().catch(() => {});
    if (server.pid) await killTree(server.pid);
  };
  const unregister = onInterrupt(stop);
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (server.exitCode !== null || i > 300)
        throw new Error(`Jupyter Notebook did not start: ${serverLog.split("\n").slice(-5).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const page = await browser.newPage({ viewport });
    const t0 = Date.now();
    await page.goto(`${base}/notebooks/${encodeURIComponent(name)}`);
    await page.waitForFunction(
      () => (window as unknown as JupyterWindow).Jupyter?.notebook?.kernel?.is_connected(),
      null,
      { timeout: 300000 },
    );
    log(`${name}: kernel connected; Run All`);
    await page.evaluate(() => (window as unknown as JupyterWindow).Jupyter.notebook.execute_all_cells());
    // a running cell shows "*"; a cell the kernel aborted after an error gets no count, and is not running
    const deadline = t0 + (opts.timeoutMs ?? 40 * 60000);
    let timedOut = false;
    let lastDone = -1;
    for (;;) {
      const state = await page.evaluate(() => {
        const cells = (window as unknown as JupyterWindow).Jupyter.notebook.get_cells();
        const code = cells.filter((c) => c.cell_type === "code");
        return {
          running: code.filter((c) => c.input_prompt_number === "*").length,
          done: code.filter((c) => typeof c.input_prompt_number === "number").length,
          code: code.length,
        };
      });
      if (state.running === 0) break;
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      if (state.done !== lastDone) {
        log(`${name}: ${state.done}/${state.code} code cells done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        lastDone = state.done;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    // the last figures' scripts: every rankscope figure either drawn or showing why not (at most 60 s)
    await page
      .waitForFunction(
        () =>
          Array.from(document.querySelectorAll("[id^='rankscope-fig-']")).every(
            (el) => el.querySelector(".main-svg") || (el as HTMLElement).innerText.trim(),
          ),
        null,
        { timeout: 60000, polling: 500 },
      )
      .catch(() => {});
    await page.waitForTimeout(500);
    const seconds = (Date.now() - t0) / 1000;
    const read = await page.evaluate(() => {
      const cells = (window as unknown as JupyterWindow).Jupyter.notebook.get_cells();
      const facts = cells.map((c, i) => {
        if (c.cell_type !== "code" || !c.output_area) return undefined;
        const out = c.output_area.element[0];
        const figs = Array.from(out.querySelectorAll("[id^='rankscope-fig-']")) as HTMLElement[];
        const svgOf = (f: Element) => f.querySelector(".main-svg");
        const drawn = figs.filter((f) => {
          const s = svgOf(f);
          if (!s) return false;
          const r = s.getBoundingClientRect();
          return r.width > 0 && r.height > 0;
        });
        const contentWidth = (el: HTMLElement) => {
          const cs = getComputedStyle(el);
          return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        };
        const subareas = Array.from(out.querySelectorAll(".output_subarea")) as HTMLElement[];
        const text = c.get_text();
        return {
          index: i + 1,
          head: text.split("\n")[0].slice(0, 80),
          empty: text.trim().length === 0,
          executed: typeof c.input_prompt_number === "number",
          errors: c.output_area.outputs.filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`),
          stderr: c.output_area.outputs
            .filter((o) => o.output_type === "stream" && o.name === "stderr")
            .map((o) => String(o.text).slice(0, 200)),
          figures: figs.length,
          drawn: drawn.length,
          notDrawn: figs.find((f) => !drawn.includes(f))?.innerText.slice(0, 200),
          boxed: out.classList.contains("output_scroll") || !!out.querySelector(".output_scroll"),
          sideways: subareas.some((s) => s.scrollWidth > s.clientWidth + 1),
          chartWidths: drawn.map((f) => Math.round(svgOf(f)!.getBoundingClientRect().width)),
          areaWidth: drawn.length
            ? Math.min(...drawn.map((f) => Math.round(contentWidth(f.closest(".output_subarea") as HTMLElement))))
            : 0,
          outputHeight: Math.round(out.scrollHeight),
        };
      });
      return {
        cells: facts.filter((f) => f !== undefined),
        plotlyServed: Array.from(document.querySelectorAll("script[src]")).some((s) =>
          /nbextensions\/rankscope\/plotly/.test((s as HTMLScriptElement).src),
        ),
      };
    });
    let savedBytes: number | undefined;
    if (opts.save) {
      await page.evaluate(() => (window as unknown as JupyterWindow).Jupyter.notebook.save_notebook());
      savedBytes = fs.statSync(path.join(dir, name)).size;
    }
    return {
      file,
      seconds,
      cells: read.cells as Notebook6Cell[],
      plotlyServed: read.plotlyServed,
      timedOut,
      savedBytes,
      viewport,
    };
  } finally {
    unregister();
    await stop();
    if (own) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One notebook's line of the report. */
export interface Notebook6Summary {
  notebook: string;
  codeCells: number;
  /** rankscope figures in the outputs, and how many of them Plotly drew */
  figures: number;
  drawn: number;
  /** figures in an output Notebook 6 put in its scroll box */
  boxedFigures: number;
  /** outputs in the scroll box (with or without a figure) */
  boxedOutputs: number;
  /** outputs that scroll sideways */
  sidewaysOutputs: number;
  /** the widest chart and the narrowest output area holding a chart (pixels) */
  maxChartWidth: number;
  areaWidth: number;
  /** charts wider than their output area */
  tooWide: number;
  errorOutputs: number;
  stderrOutputs: number;
  /** code cells with code but no execution count after Run All */
  unexecuted: number;
  plotlyServed: boolean;
  timedOut: boolean;
  seconds: number;
  savedBytes?: number;
}

export function summarizeNotebook6(run: Notebook6Run): Notebook6Summary {
  const cells = run.cells;
  const sum = (f: (c: Notebook6Cell) => number) => cells.reduce((a, c) => a + f(c), 0);
  const charted = cells.filter((c) => c.chartWidths.length);
  return {
    notebook: path.basename(run.file).replace(/\.ipynb$/, ""),
    codeCells: cells.length,
    figures: sum((c) => c.figures),
    drawn: sum((c) => c.drawn),
    boxedFigures: sum((c) => (c.boxed ? c.figures : 0)),
    boxedOutputs: sum((c) => (c.boxed ? 1 : 0)),
    sidewaysOutputs: sum((c) => (c.sideways ? 1 : 0)),
    maxChartWidth: Math.max(0, ...charted.flatMap((c) => c.chartWidths)),
    areaWidth: charted.length ? Math.min(...charted.map((c) => c.areaWidth)) : 0,
    tooWide: sum((c) => c.chartWidths.filter((w) => w > c.areaWidth + 1).length),
    errorOutputs: sum((c) => c.errors.length),
    stderrOutputs: sum((c) => c.stderr.length),
    unexecuted: sum((c) => (!c.empty && !c.executed ? 1 : 0)),
    plotlyServed: run.plotlyServed,
    timedOut: run.timedOut,
    seconds: +run.seconds.toFixed(1),
    savedBytes: run.savedBytes,
  };
}

/**
 * Why a notebook fails: a figure not drawn, boxed or too wide, an error output or stderr text, a cell not executed.
 */
export function notebook6Problems(s: Notebook6Summary): string[] {
  const p: string[] = [];
  if (s.timedOut) p.push("Run All did not finish in time");
  if (s.drawn < s.figures) p.push(`${s.figures - s.drawn} of ${s.figures} figures not drawn`);
  if (s.boxedFigures) p.push(`${s.boxedFigures} figure(s) in Notebook 6's scroll box`);
  if (s.tooWide) p.push(`${s.tooWide} chart(s) wider than the output area`);
  if (s.errorOutputs) p.push(`${s.errorOutputs} error output(s)`);
  if (s.unexecuted) p.push(`${s.unexecuted} code cell(s) not executed`);
  // tslab writes a failure it reports itself (a type error, a module not found before kernel.setup()) to stderr
  if (s.stderrOutputs) p.push(`${s.stderrOutputs} stderr output(s)`);
  if (s.figures && !s.plotlyServed) p.push("plotly.js not loaded from the notebook server");
  return p;
}
