/**
 * plotly.js served once instead of inlined into every notebook.
 *
 * Jupyter Notebook 6 serves every folder `nbextensions` of the Jupyter path at `<base url>/nbextensions/`; the
 * user's own Jupyter data folder (JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter) is
 * one of them. `installPlotly()` copies plotly.min.js there once (nbextensions/rankscope/plotly-<version>.min.js);
 * the loader a notebook then carries is a few hundred bytes that fetch it from the server, instead of the 4.8 MB
 * bundle. Where the file cannot be written, the loader is the inline bundle (as before). A front end that does not
 * serve nbextensions (JupyterLab, nbconvert's HTML) shows a message naming `kernel.setup({ plotly: "inline" })`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { plotlyJs, plotlyPath } from "../src/export";
import { writeFileAtomic } from "../src/util/files";

/** The version of the plotly.js bundle rankscope ships (plotly.js-dist-min's package.json). */
export function plotlyVersion(): string {
  const pkg = path.join(path.dirname(plotlyPath()), "package.json");
  return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

/** Jupyter's data folder, as jupyter_core computes it on Linux. */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const xdg = env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(xdg, "jupyter");
}

/** The URL path (below the server's base URL) the served bundle has. */
export function servedPlotlyUrl(): string {
  return `nbextensions/rankscope/plotly-${plotlyVersion()}.min.js`;
}

/**
 * Copies plotly.min.js into `<dataDir>/nbextensions/rankscope/` unless an identical copy is there; returns the file,
 * or undefined when it cannot be written (read-only home, no permission).
 */
export function installPlotly(dataDir = jupyterDataDir()): string | undefined {
  const file = path.join(dataDir, servedPlotlyUrl());
  try {
    const src = plotlyPath();
    if (fs.existsSync(file) && fs.statSync(file).size === fs.statSync(src).size) return file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, fs.readFileSync(src));
    return file;
  } catch {
    return undefined;
  }
}

const LOADED = "rankscope: plotly.js loaded for this notebook";

/**
 * The HTML that loads plotly.js once per notebook. "served" (or "auto" when `installPlotly` succeeds) loads it from the
 * notebook server; "inline" embeds it. Both hide require.js's `define` while plotly.js runs, so it sets window.Plotly.
 */
export function plotlyLoaderHtml(mode: "auto" | "served" | "inline", dataDir = jupyterDataDir()): string {
  if (!["auto", "served", "inline"].includes(mode))
    throw new Error(`kernel.setup: plotly must be "auto", "served" or "inline"; got ${JSON.stringify(mode)}`);
  const served = mode !== "inline" ? installPlotly(dataDir) : undefined;
  if (mode === "served" && !served)
    throw new Error(
      `kernel.setup: plotly: "served" needs to write plotly.js under ${path.join(dataDir, "nbextensions")} ` +
        `(set JUPYTER_DATA_DIR to a writable folder), or use plotly: "inline"`,
    );
  if (!served)
    return (
      `<script type="text/javascript">(function(){var ` +
      `d=window.define;window.define=undefined;try{\n${plotlyJs()}\n}finally{window.define=d;}})();</script>` +
      `<div style="color:#666;font-size:12px">${LOADED} (inline)</div>`
    );
  const id = `rankscope-plotly-${Date.now().toString(36)}`;
  const url = JSON.stringify(servedPlotlyUrl());
  return (
    `<div id="${id}" style="color:#666;font-size:12px">${LOADED} (served by the notebook server: ` +
    `${servedPlotlyUrl()})</div><script type="text/javascript">(function(){` +
    `var say=function(t){var e=document.getElementById("${id}");if(e){e.style.color="#d62728";e.innerText=t;}` +
    `else setTimeout(function(){say(t);},50);};` +
    `if(window.Plotly)return;var b=document.body&&document.body.getAttribute("data-base-url");` +
    `if(b===null||b===undefined){say("rankscope: this front end does not serve plotly.js from the notebook server; ` +
    `run kernel.setup({ plotly: \\"inline\\" }) to embed it");return;}` +
    `var s=document.createElement("script");s.src=decodeURIComponent(b)+${url};var d=window.define;` +
    `window.define=undefined;s.onload=function(){window.define=d;};s.onerror=function(){window.define=d;` +
    `say("rankscope: plotly.js could not be loaded from "+s.src+"; run kernel.setup() again, or ` +
    `kernel.setup({ plotly: \\"inline\\" })");};document.head.appendChild(s);})();</script>`
  );
}
