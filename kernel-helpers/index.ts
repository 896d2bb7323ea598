/**
 * The notebook layer for the tslab kernel: loads plotly.js once per notebook, renders figures and
 * experiment results inline (interactive Plotly + a static PNG for places where scripts do not run),
 * shows progress as a bar updated in place. The library itself (src/) knows nothing of Jupyter.
 *
 *   import * as rs from "rankscope";
 *   import * as kernel from "rankscope/kernel";
 *   kernel.setup();
 */
import {
  setRenderer,
  setResultHook,
  setProgressSink,
  progressLine,
  renderFigure,
  Figure,
  ExperimentResult,
  RichObject,
  ProgressState,
} from "../src";
import { renderPngSync } from "../src/export";
import { DisplayData, figureBundle, resultBundles, unboxedHtml, PNG_SCALE } from "./bundles";
import { plotlyLoaderHtml } from "./plotly-served";
import { installErrorOutputs } from "./errors";

function writer(): ((msg: DisplayData, update: boolean) => void) | undefined {
  try {
    return require("tslab/dist/jupyter").lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/** Options of `setup`. */
export interface SetupOptions {
  /** add a PNG of every figure of an experiment result (shown where scripts do not run); default true */
  staticImages?: boolean;
  /** show progress bars (default true) */
  progress?: boolean;
  /**
   * How plotly.js reaches the page: "served" (installed once as a file the Jupyter Notebook 6 server serves, under
   * the Jupyter data folder's nbextensions/rankscope/, and loaded from there: the notebook does not carry it),
   * "inline" (the 4.8 MB bundle written into the notebook: works in any front end, offline, in nbconvert's HTML),
   * or "auto" (default): served when the file can be installed, else inline.
   */
  plotly?: "auto" | "served" | "inline";
  /**
   * also write each figure's Plotly JSON (`application/vnd.plotly.v1+json`, for JupyterLab's plotly extension; Notebook
   * 6 draws the HTML): default false, as it doubles a notebook's figure data
   */
  plotlyJson?: boolean;
}

const pngs = new WeakMap<Figure, string>();

let staticImages = true;
let plotlyJson = false;

/** A figure left as a cell's value cannot await the shared browser: its PNG from one synchronous Chromium run. */
function pngNow(fig: Figure): void {
  if (!staticImages || pngs.has(fig)) return;
  try {
    pngs.set(fig, renderPngSync(fig, PNG_SCALE).toString("base64"));
  } catch (err) {
    console.error(`rankscope: no static PNG for "${fig.name}" (${(err as Error).message})`);
  }
}

function render(obj: RichObject): boolean {
  const write = writer();
  if (!write) return false;
  if (obj instanceof Figure) {
    pngNow(obj);
    write(figureBundle(obj, pngs.get(obj), plotlyJson), false);
    return true;
  }
  if (obj instanceof ExperimentResult) {
    // a result the study hook did not see (the rank explorer's) has no PNGs yet
    for (const f of obj.figures) pngNow(f);
    // the figures first, then the verdicts; options and tables follow collapsed
    for (const b of resultBundles(obj, (f) => pngs.get(f), plotlyJson)) write(b, false);
    return true;
  }
  // anything else that can draw itself as HTML (ledger tables, comparisons), unboxed in Notebook 6 like the figures
  const h = (obj as { html?: () => string }).html;
  if (typeof h === "function") {
    write(
      { data: { "text/html": unboxedHtml(h.call(obj)), "text/plain": obj.describe() }, metadata: {}, transient: {} },
      false,
    );
    return true;
  }
  return false;
}

/** A progress sink drawing an HTML bar that updates in place (at most one update per second). */
function notebookProgress(): (s: ProgressState) => void {
  const tslab = require("tslab");
  const displays = new Map<string, { d: { html(s: string): void }; last: number }>();
  return (s: ProgressState) => {
    let entry = displays.get(s.label);
    if (!entry) {
      entry = { d: tslab.newDisplay(), last: 0 };
      displays.set(s.label, entry);
    }
    const now = Date.now();
    if (!s.finished && now - entry.last < 1000 && s.done > 0) return;
    entry.last = now;
    const pct = s.total ? (100 * s.done) / s.total : 100;
    const html =
      `<div style="font-family:monospace;font-size:12px"><div ` +
      `style="display:inline-block;width:240px;height:10px;background:#eee;vertical-align:middle"><div ` +
      `style="width:${pct.toFixed(1)}%;height:10px;background:${s.finished ? "#2ca02c" : "#1f77b4"}"></div></div> ` +
      `${progressLine(s).replace(/\[[#.]+\]/, "")}</div>`;
    try {
      entry.d.html(html);
    } catch {
      /* the kernel socket is busy: skip this update rather than fail the computation */
    }
    if (s.finished) displays.delete(s.label);
  };
}

/**
 * tslab shows a cell's last value with `console.log(value)` (its own reference to it, taken at start);
 * a rankscope object displays itself from util.inspect and returns "", so console.log would still
 * write an empty line under the output. The one "\n" written right after such a display is dropped.
 */
let swallowNewline = false;
function quietCellValues(): void {
  const out = process.stdout as NodeJS.WriteStream & { __rankscopeQuiet?: boolean };
  if (out.__rankscopeQuiet) return;
  // tslab assigns process.stdout.write afresh for every cell: keep whatever it assigns, and filter in front
  let inner = out.write.bind(out) as (...a: unknown[]) => boolean;
  const filtered = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (swallowNewline) {
      swallowNewline = false;
      if (chunk === "\n") {
        (rest.find((r) => typeof r === "function") as (() => void) | undefined)?.();
        return true;
      }
    }
    return inner(chunk, ...rest);
  };
  Object.defineProperty(out, "write", {
    configurable: true,
    get: () => filtered,
    set: (w: (...a: unknown[]) => boolean) => {
      inner = w;
    },
  });
  out.__rankscopeQuiet = true;
}

/** Call once at the top of a notebook. */
export function setup(opts: SetupOptions = {}): void {
  const tslab = require("tslab");
  tslab.display.html(plotlyLoaderHtml(opts.plotly ?? "auto"));
  // a failed cell shows as an error output (and a rankscope error in a red box), not as stderr text
  installErrorOutputs();
  setRenderer((obj) => {
    const shown = render(obj);
    if (shown) {
      // console.log writes its "\n" synchronously after inspect returns; anything later is not it
      swallowNewline = true;
      setImmediate(() => (swallowNewline = false));
    }
    return shown;
  });
  staticImages = opts.staticImages !== false;
  plotlyJson = opts.plotlyJson === true;
  quietCellValues();
  if (opts.progress !== false) setProgressSink(notebookProgress());
  if (opts.staticImages !== false) {
    setResultHook(async (r) => {
      if (!(r instanceof ExperimentResult)) return;
      for (const f of r.figures) {
        if (!pngs.has(f)) pngs.set(f, (await renderFigure(f, "png", { scale: PNG_SCALE })).toString("base64"));
      }
    });
  }
}

/** Shows a figure or result now, with its static PNG (await it: the PNG is rendered first). */
export async function show(obj: Figure | ExperimentResult): Promise<void> {
  const figs = obj instanceof Figure ? [obj] : obj.figures;
  for (const f of figs)
    if (!pngs.has(f)) pngs.set(f, (await renderFigure(f, "png", { scale: PNG_SCALE })).toString("base64"));
  if (!render(obj)) console.log(obj.describe());
  await new Promise((r) => setImmediate(r));
}
