/**
 * Figure export by file extension: .html (self-contained, plotly.js inlined), .png, .svg, .pdf
 * (through headless Chromium driven by playwright-core; one browser serves every export until
 * `closeExporter()`). All writes are atomic.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { execFileSync, ChildProcess } from "node:child_process";
import type { Browser, Page } from "playwright-core";
import { FigureSpec } from "../figures/figure";
import { writeFileAtomic } from "../util/files";
import { onInterrupt } from "../util/interrupt";
import { checkOptions, bool, num, int, OptionRule, showValue } from "../util/options";
import { escapeHtml } from "../util/html";

/** Size options of `save` and `renderFigure` (all must be positive). */
export interface SaveOptions {
  /** pixels; default the figure's layout width (or 760) */
  width?: number;
  /** pixels; default the figure's layout height (or 480) */
  height?: number;
  /** device scale for PNG (default 2) */
  scale?: number;
}

export const EXPORT_FORMATS = ["html", "png", "svg", "pdf"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

let plotlySource: string | undefined;
export function plotlyPath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}
export function plotlyJs(): string {
  if (!plotlySource) plotlySource = fs.readFileSync(plotlyPath(), "utf8");
  return plotlySource;
}

/** A figure's title as plain text (line breaks and markup of the Plotly title removed), else its name. */
export function figureTitle(fig: FigureSpec): string {
  const t = fig.layout.title as { text?: string } | string | undefined;
  const text = typeof t === "string" ? t : t?.text;
  if (!text) return fig.name;
  return text
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export function chromiumPath(): string {
  return process.env.RANKSCOPE_CHROMIUM || "/usr/bin/chromium"; // checked where it is launched, with the set-up hint
}

/** The trace types plotly.js draws (an unknown type rendered a blank image). */
export const TRACE_TYPES = [
  ..."bar barpolar box candlestick carpet choropleth choroplethmap choroplethmapbox cone contour contourcarpet".split(
    " ",
  ),
  ..."densitymap densitymapbox funnel funnelarea heatmap histogram histogram2d histogram2dcontour icicle image".split(
    " ",
  ),
  ..."indicator isosurface mesh3d ohlc parcats parcoords pie sankey scatter scatter3d scattercarpet scattergeo".split(
    " ",
  ),
  ..."scattergl scattermap scattermapbox scatterpolar scatterpolargl scattersmith scatterternary splom".split(" "),
  ..."streamtube sunburst surface table treemap violin volume waterfall".split(" "),
];

/**
 * Throws, naming the figure and the field, unless `fig` is a figure plotly.js can draw: a non-empty name, data a list
 * of trace objects of known types, layout an object (checked before a browser is started or a file written).
 */
export function checkFigure(where: string, fig: FigureSpec): void {
  if (!fig || typeof fig !== "object") throw new Error(`${where}: the figure must be a Figure (name, data, layout)`);
  if (typeof fig.name !== "string" || !fig.name.trim())
    throw new Error(`${where}: the figure's name must be a non-empty string; got ${showValue(fig.name)}`);
  if (!Array.isArray(fig.data))
    throw new Error(`${where}: figure "${fig.name}": data must be a list of traces; got ${showValue(fig.data)}`);
  fig.data.forEach((t, i) => {
    if (!t || typeof t !== "object" || Array.isArray(t))
      throw new Error(`${where}: figure "${fig.name}": trace ${i} must be an object; got ${showValue(t)}`);
    const type = (t as { type?: unknown }).type;
    if (type !== undefined && !TRACE_TYPES.includes(type as string))
      throw new Error(
        `${where}: figure "${fig.name}": trace ${i} has type ${showValue(type)}, which plotly.js does not draw; ` +
          `types: ${TRACE_TYPES.join(", ")}`,
      );
  });
  if (!fig.layout || typeof fig.layout !== "object" || Array.isArray(fig.layout))
    throw new Error(`${where}: figure "${fig.name}": layout must be an object; got ${showValue(fig.layout)}`);
}

/** A standalone HTML page showing the figure (works offline: plotly.js is inlined). */
export function figureHtml(fig: FigureSpec, opts: { inlinePlotly?: boolean; staticPlot?: boolean } = {}): string {
  checkOptions("figureHtml", opts, { inlinePlotly: bool, staticPlot: bool });
  checkFigure("figureHtml", fig);
  const esc = (s: string) => s.replace(/</g, "\\u003c");
  const head = opts.inlinePlotly === false ? "" : `<script>${plotlyJs()}</script>`;
  const config = opts.staticPlot ? `{staticPlot: true}` : `{responsive: true, displaylogo: false}`;
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(figureTitle(fig))}</title>${head}</head>` +
    `<body style="margin:0">` +
    (`<div id="fig"></div><script>Plotly.newPlot("fig", ${esc(JSON.stringify(fig.data))}, ` +
      `${esc(JSON.stringify(fig.layout))}, ${config});</script></body></html>`)
  );
}

/** Flags for Chromium on these machines (no sandbox as root, no GPU, no background network traffic). */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A PNG of the figure rendered synchronously by one headless Chromium run (`--screenshot`), for places
 * that cannot await (a notebook shows a cell's value synchronously). Slower than `renderFigure` (a
 * browser start per figure, 1–4 s here); its temporary files are removed.
 */
export function renderPngSync(fig: FigureSpec, scale = 1): Buffer {
  const exe = chromiumPath();
  if (!fs.existsSync(exe))
    throw new Error(
      `export: Chromium not found at ${exe}. Run the set-up command \`bash .ci/setup\`, or set RANKSCOPE_CHROMIUM.`,
    );
  const { width, height } = sizeOf(fig, {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-png-"));
  try {
    const html = path.join(dir, "figure.html");
    const png = path.join(dir, "figure.png");
    fs.writeFileSync(html, figureHtml(fig, { staticPlot: true }));
    const args = [
      ...CHROMIUM_FLAGS,
      "--headless",
      "--hide-scrollbars",
      `--force-device-scale-factor=${scale}`,
      `--user-data-dir=${path.join(dir, "profile")}`,
      `--window-size=${Math.round(width)},${Math.round(height)}`,
      "--virtual-time-budget=5000",
      `--screenshot=${png}`,
      `file://${html}`,
    ];
    execFileSync(exe, args, { stdio: "ignore", timeout: 60000 });
    const bytes = fs.existsSync(png) ? fs.readFileSync(png) : Buffer.alloc(0);
    if (!bytes.length) throw new Error(`export: Chromium wrote no screenshot of "${fig.name}"`);
    return bytes;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const stats = { launches: 0, exported: 0 };
/** How many browsers were launched and figures exported in this process (for checks and logs). */
export function exporterStats(): { launches: number; exported: number } {
  return { ...stats };
}

type Handle = { ref(): void; unref(): void };

/**
 * The browser's process and its pipes, found among the handles that appeared while it launched (Node keeps no other
 * reference to them): they are unreferenced while no export runs, so a script that saves a figure and never calls
 * `closeExporter()` still exits (Playwright kills the browser as the process exits).
 */
function browserHandles(before: Set<unknown>, exe: string): Handle[] {
  const get = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  if (typeof get !== "function") return [];
  for (const h of get.call(process)) {
    if (before.has(h) || !(h instanceof ChildProcess) || h.spawnfile !== exe) continue;
    return [h, ...h.stdio.filter((x): x is NonNullable<typeof x> => !!x)] as unknown as Handle[];
  }
  return [];
}

class Exporter {
  private busy = 0;
  private constructor(
    private browser: Browser,
    private page: Page,
    private handles: Handle[],
  ) {
    this.idle();
  }

  private idle(): void {
    for (const h of this.handles) h.unref();
  }

  /** Runs an operation with the browser's handles referenced (the process waits for it), unreferenced after. */
  private async busyWith<T>(op: () => Promise<T>): Promise<T> {
    if (this.busy++ === 0) for (const h of this.handles) h.ref();
    try {
      return await op();
    } finally {
      if (--this.busy === 0) this.idle();
    }
  }

  static async launch(): Promise<Exporter> {
    const exe = chromiumPath();
    if (!fs.existsSync(exe)) {
      throw new Error(
        `export: Chromium not found at ${exe}. Run the set-up command \`bash .ci/setup\` (it ` +
          `installs Debian's chromium), or set RANKSCOPE_CHROMIUM to a Chromium binary.`,
      );
    }
    const { chromium } = await import("playwright-core");
    const getHandles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
    const before = new Set(typeof getHandles === "function" ? getHandles.call(process) : []);
    // rankscope closes the browser itself on an interrupt (onInterrupt below); Playwright's own handlers would exit
    // the process (in a notebook: the kernel) on SIGINT
    let browser: Browser;
    try {
      browser = await chromium.launch({
        executablePath: exe,
        args: CHROMIUM_FLAGS,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      // Playwright said "browserType.launch: Target page, context or browser has been closed" (no binary named)
      const why = String((err as Error).message ?? err)
        .split("\n")[0]
        .replace(/^browserType\.launch: /, "");
      throw new Error(
        `export: Chromium at ${exe} did not launch (${why}); check that it runs (\`${exe} --headless --version\`), ` +
          "run the set-up command `bash .ci/setup`, or set RANKSCOPE_CHROMIUM to a working Chromium binary",
      );
    }
    stats.launches++;
    const page = await browser.newPage();
    await page.setContent("<!DOCTYPE html><html><body><div id='fig'></div></body></html>");
    await page.addScriptTag({ path: plotlyPath() });
    return new Exporter(browser, page, browserHandles(before, exe));
  }

  image(fig: FigureSpec, format: "png" | "svg", o: Required<SaveOptions>): Promise<Buffer> {
    return this.busyWith(() => this.imageNow(fig, format, o));
  }

  private async imageNow(fig: FigureSpec, format: "png" | "svg", o: Required<SaveOptions>): Promise<Buffer> {
    const url = await this.page.evaluate(
      ({ data, layout, format, width, height, scale }) =>
        (window as unknown as { Plotly: { toImage: (f: unknown, o: unknown) => Promise<string> } }).Plotly.toImage(
          { data, layout },
          { format, width, height, scale },
        ),
      {
        data: fig.data,
        layout: fig.layout,
        format,
        width: o.width,
        height: o.height,
        scale: format === "png" ? o.scale : 1,
      },
    );
    const comma = url.indexOf(",");
    const body = url.slice(comma + 1);
    return url.slice(0, comma).endsWith(";base64")
      ? Buffer.from(body, "base64")
      : Buffer.from(decodeURIComponent(body), "utf8");
  }

  pdf(fig: FigureSpec, o: Required<SaveOptions>): Promise<Buffer> {
    return this.busyWith(() => this.pdfNow(fig, o));
  }

  private async pdfNow(fig: FigureSpec, o: Required<SaveOptions>): Promise<Buffer> {
    const svg = (await this.imageNow(fig, "svg", o)).toString("utf8");
    const page = await this.browser.newPage();
    try {
      // the page's title is the PDF's Title (it was "about:blank")
      await page.setContent(
        `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(figureTitle(fig))}</title>` +
          `<style>@page{margin:0}body{margin:0}</style></head><body>${svg}</body></html>`,
      );
      return await page.pdf({ width: `${o.width}px`, height: `${o.height}px`, printBackground: true, pageRanges: "1" });
    } finally {
      await page.close();
    }
  }

  close(): Promise<void> {
    return this.busyWith(() => this.browser.close());
  }
}

let shared: Promise<Exporter> | undefined;

/** The largest figure export accepted (pixels per side, pixels in all). */
export const MAX_PIXELS_SIDE = 16384;
export const MAX_PIXELS = 1.2e8;

const positive = num(0, Infinity, { exclusiveMin: true });
/** width and height are whole pixels (a fractional or text size was passed on to Chromium); scale may be fractional */
const SAVE_RULES: Record<string, OptionRule> = { width: int(1), height: int(1), scale: positive };

function sizeOf(fig: FigureSpec, opts: SaveOptions): Required<SaveOptions> {
  const lw = typeof fig.layout.width === "number" ? fig.layout.width : 760;
  const lh = typeof fig.layout.height === "number" ? fig.layout.height : 480;
  return { width: opts.width ?? lw, height: opts.height ?? lh, scale: opts.scale ?? 2 };
}

/** Renders a figure to bytes in the given format (png/svg/pdf need Chromium; html does not). */
export async function renderFigure(fig: FigureSpec, format: ExportFormat, opts: SaveOptions = {}): Promise<Buffer> {
  checkOptions("renderFigure", opts, SAVE_RULES);
  if (!EXPORT_FORMATS.includes(format))
    throw new Error(`export: format must be one of ${EXPORT_FORMATS.join(", ")}; got "${format}"`);
  const o = sizeOf(fig, opts);
  // the options are checked above; this catches a width or height taken from the figure's layout
  checkFigure("export", fig);
  for (const [k, v] of Object.entries(o))
    if (!(typeof v === "number" && v > 0 && Number.isFinite(v) && (k === "scale" || Number.isInteger(v))))
      throw new Error(
        `export: figure "${fig.name}": ${k} (from the figure layout) must be ` +
          `${k === "scale" ? "a positive number" : "a whole number of pixels ≥ 1"}; got ${showValue(v)}`,
      );
  // Chromium cannot raster beyond its texture limits (it returns an empty image): refuse before trying
  if (
    o.width > MAX_PIXELS_SIDE ||
    o.height > MAX_PIXELS_SIDE ||
    o.width * o.height * (format === "png" ? o.scale * o.scale : 1) > MAX_PIXELS
  ) {
    throw new Error(
      `export: ${o.width}×${o.height}${format === "png" ? ` at scale ${o.scale}` : ""} is too ` +
        `large; width and height must be ≤ ${MAX_PIXELS_SIDE} and width·height·scale² ≤ ` +
        `${MAX_PIXELS.toExponential(0)} pixels`,
    );
  }
  if (format === "html") return Buffer.from(figureHtml(fig), "utf8");
  if (!shared) {
    shared = Exporter.launch();
    // an interrupted command closes the browser instead of leaving Chromium behind
    const unregister = onInterrupt(closeExporter);
    shared.then(undefined, unregister);
  }
  let ex: Exporter;
  try {
    ex = await shared;
  } catch (err) {
    shared = undefined;
    throw err;
  }
  const out = format === "pdf" ? await ex.pdf(fig, o) : await ex.image(fig, format, o);
  stats.exported++;
  return out;
}

/** Writes a figure to `file`, format from the extension (.html, .png, .svg, .pdf); returns the file's absolute path. */
export async function save(fig: FigureSpec, file: string, opts: SaveOptions = {}): Promise<string> {
  checkOptions("save", opts, SAVE_RULES);
  const ext = path.extname(file).slice(1).toLowerCase() as ExportFormat;
  if (!EXPORT_FORMATS.includes(ext))
    throw new Error(
      `save: file extension must be one of ${EXPORT_FORMATS.map((e) => "." + e).join(", ")}; ` +
        `got "${path.basename(file)}"`,
    );
  const bytes = await renderFigure(fig, ext, opts);
  if (!bytes.length)
    throw new Error(`save: the ${ext} export of "${fig.name}" came back empty; nothing was written to ${file}`);
  writeFileAtomic(file, bytes);
  return path.resolve(file);
}

/** Closes the shared browser (call at the end of a script; notebooks may leave it open). */
export async function closeExporter(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (!s) return;
  let ex: Exporter;
  try {
    ex = await s;
  } catch {
    return; // the launch failed (or Chromium was stopped by the same Ctrl-C): nothing to close
  }
  await ex.close();
}
