/**
 * What a notebook output of rankscope is made of (pure functions, no kernel needed, so they can be tested):
 * a figure's display bundle (interactive Plotly HTML sized to the output area, the Plotly JSON, a PNG where one
 * was rendered, a text line), the bundles of an experiment result (its figures first, then the verdicts, with the
 * options and tables collapsed below), and the loader of plotly.js (served once by the notebook server, or inline).
 */
import * as zlib from "node:zlib";
import type { Figure, Layout } from "../src/figures/figure";
import { rewrapTitle } from "../src/figures/style";
import type { ExperimentResult } from "../src/report/result";

export type DisplayData = {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
};

/**
 * The width (pixels) a notebook figure's title is wrapped for: Notebook 6's output area is about 970 pixels wide in a
 * 1 280-pixel window and narrower in smaller ones; a figure made wider than this gets its title wrapped again.
 */
export const NOTEBOOK_TITLE_WIDTH = 820;

/**
 * A figure's layout as a notebook shows it: no fixed width (Plotly sizes it to the output area, and `responsive`
 * follows the window), the height kept. Exports keep the figure's own width and height.
 */
export function notebookLayout(layout: Layout): Layout {
  const wide = typeof layout.width === "number" && layout.width > NOTEBOOK_TITLE_WIDTH;
  const out: Layout = { ...(wide ? rewrapTitle(layout, NOTEBOOK_TITLE_WIDTH) : layout), autosize: true };
  if (wide) shrinkPanelAxisTitles(out, NOTEBOOK_TITLE_WIDTH / (layout.width as number));
  delete out.width;
  return out;
}

/**
 * A figure of several panels side by side, drawn narrower than it was made: each panel narrows with it while its axis
 * titles and panel titles keep their size, so neighbours met (Chen Fig. 3's six step axes, 6 px over each other in a
 * 900-px output area; Jacot Fig. A2's panel titles, 2 px). Their font shrinks by the same factor (at most to 0.75 of
 * its size). Panel titles are the annotations placed on the paper without an arrow.
 */
function shrinkPanelAxisTitles(layout: Layout, factor: number): void {
  type Font = { size?: number };
  const L = layout as unknown as Record<string, { title?: { text?: string; font?: Font } }>;
  const axes = Object.keys(L).filter((k) => /^xaxis\d*$/.test(k) && L[k]?.title?.text);
  if (Object.keys(L).filter((k) => /^xaxis\d*$/.test(k)).length < 2) return;
  const base = (layout.font as Font | undefined)?.size ?? 14;
  const f = Math.max(0.75, factor);
  const scaled = (font: Font | undefined) => ({ ...(font ?? {}), size: +((font?.size ?? base) * f).toFixed(1) });
  for (const k of axes) L[k] = { ...L[k], title: { ...L[k].title!, font: scaled(L[k].title!.font) } };
  const notes = layout.annotations as { xref?: string; showarrow?: boolean; font?: Font }[] | undefined;
  if (notes)
    layout.annotations = notes.map((a) =>
      a.xref === "paper" && a.showarrow === false ? { ...a, font: scaled(a.font) } : a,
    ) as Layout["annotations"];
}

/**
 * Notebook 6 puts an output taller than 100 lines into a 24-em scroll box, so a long output (a study's figures, or a
 * figure with its verdicts) would show the reader a box to scroll in. This script, run from an output, turns the
 * auto-scroll of its own cell off (Notebook 6's `scroll_state = false`, the state a click on the output prompt
 * toggles; saved as the cell's `scrolled: false`). Elsewhere (JupyterLab, nbconvert's HTML) it does nothing.
 */
export const NO_SCROLL_JS =
  `function rankscopeNoScroll(el){try{var $=window.jQuery;if(!el||!$)return;` +
  `var c=$(el).closest(".cell").data("cell");if(c&&c.output_area){c.output_area.scroll_state=false;` +
  `c.output_area.unscroll_area();}}catch(e){}}`;

let counter = 0;
function newId(kind: string): string {
  return `rankscope-${kind}-${Date.now().toString(36)}-${counter++}`;
}

const esc = (s: string) => s.replace(/</g, "\\u003c");

/**
 * The device scale of the static PNG a notebook keeps beside each figure (shown where scripts do not run, e.g. on a
 * repository page). At 0.7 of the figure's size the executed Chen notebook, with a budget figure beside each
 * late-training claim's figure, weighed 2.06 MB (PNGs 1.75 MB), and 1.58 MB at 0.55; 0.5 keeps every study notebook under 1.5 MB.
 */
export const PNG_SCALE = 0.5;

/** Figure data as a notebook carries it: numbers to 4 significant digits (what a drawn point or a hover can show). */
export function displayJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(4)) : x));
}

/** Above this many characters of data, a figure's data is written deflated and base64-encoded, unpacked in the page. */
export const DEFLATE_ABOVE = 8000;

/** JavaScript that gives the data of a figure (an expression yielding a Promise of the traces). */
function dataExpression(data: unknown): string {
  const json = displayJson(data);
  if (json.length <= DEFLATE_ABOVE) return `Promise.resolve(${esc(json)})`;
  const b64 = zlib.deflateRawSync(Buffer.from(json, "utf8"), { level: 9 }).toString("base64");
  return (
    `(function(b){var s=atob(b),u=new Uint8Array(s.length);for(var i=0;i<s.length;i++)u[i]=s.charCodeAt(i);` +
    `return new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("deflate-raw")))` +
    `.text().then(JSON.parse);})("${b64}")`
  );
}

/** The HTML of a figure in a notebook: a div and a script that draws it once plotly.js is there. */
export function figureNotebookHtml(fig: Figure): string {
  const id = newId("fig");
  const layout = notebookLayout(fig.layout);
  return (
    `<div id="${id}" style="width:100%;max-width:100%"></div><script type="text/javascript">(function(){` +
    NO_SCROLL_JS +
    `var tries=0;var go=function(){var el=document.getElementById("${id}");` +
    `if(window.Plotly&&el){rankscopeNoScroll(el);${dataExpression(fig.data)}.then(function(d){` +
    `window.Plotly.newPlot(el, d, ${esc(displayJson(layout))}, {responsive: true, displaylogo: false});})` +
    `.catch(function(e){el.innerText="rankscope: this browser cannot unpack the figure's data (" + e + ")";});}` +
    `else if(tries++<600){setTimeout(go,50);}else if(el){el.innerText="plotly.js ` +
    `is not loaded: run kernel.setup() in this notebook";}};go();})();</script>`
  );
}

/**
 * The display bundle of one figure (with its PNG when one is given). The Plotly JSON (`application/vnd.plotly.v1+json`,
 * drawn by JupyterLab's plotly extension only, not by Notebook 6) is added with `plotlyJson` (it doubles the data).
 */
export function figureBundle(fig: Figure, png?: string, plotlyJson = false): DisplayData {
  const data: Record<string, unknown> = {
    "text/html": figureNotebookHtml(fig),
    "text/plain": fig.describe(),
  };
  if (plotlyJson) data["application/vnd.plotly.v1+json"] = { data: fig.data, layout: notebookLayout(fig.layout) };
  if (png) data["image/png"] = png;
  return { data, metadata: {}, transient: {} };
}

/**
 * Any HTML output of rankscope (a result's summary, a ledger table) with the scroll guard: a long one stays unboxed in
 * Notebook 6, as the figures do.
 */
export function unboxedHtml(html: string, kind = "html"): string {
  const id = newId(kind);
  return (
    `<div id="${id}">${html}</div><script type="text/javascript">(function(){${NO_SCROLL_JS}` +
    `var n=0;var go=function(){var el=document.getElementById("${id}");if(el)rankscopeNoScroll(el);` +
    `else if(n++<100)setTimeout(go,50);};go();})();</script>`
  );
}

/** The HTML of a result's summary in a notebook: `summaryHtml()` plus the scroll guard. */
export function summaryNotebookHtml(r: ExperimentResult): string {
  return unboxedHtml(r.summaryHtml(), "sum");
}

/** The bundles of an experiment result, in display order: every figure first, then the summary (verdicts first). */
export function resultBundles(
  r: ExperimentResult,
  pngOf: (f: Figure) => string | undefined = () => undefined,
  plotlyJson = false,
) {
  const out: DisplayData[] = r.figures.map((f) => figureBundle(f, pngOf(f), plotlyJson));
  out.push({
    data: { "text/html": summaryNotebookHtml(r), "text/plain": r.describe() },
    metadata: {},
    transient: {},
  });
  return out;
}
