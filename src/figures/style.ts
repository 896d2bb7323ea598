/**
 * House style for every rankscope figure: one font, one palette (a colour per series, stable by
 * index), axis titles with units, log axes where the papers use them, dashed reference lines for
 * predictions, legends that name the setting.
 */
import { Figure, Trace, Layout } from "./figure";
import { checkOptions, requireOptions, bool, int, either, listOf, OptionRule } from "../util/options";

/** The house palette: ten colours (hex), series i gets PALETTE[i mod 10]. */
export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
/** The house font of every figure (Plotly font object). */
export const FONT = { family: "Helvetica Neue, Arial, sans-serif", size: 14, color: "#222" };

/** Palette colour i (wraps around, negative indices allowed). */
export function colour(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** One axis of a house-style layout. */
export interface AxisOptions {
  /** axis title, with units */
  title: string;
  /** log scale (default linear) */
  log?: boolean;
  /** fixed range (on a log axis Plotly reads it as log10 values) */
  range?: [number, number];
}

function axis(a: AxisOptions): Record<string, unknown> {
  return {
    title: { text: a.title },
    type: a.log ? "log" : "linear",
    showline: true,
    linecolor: "#444",
    ticks: "outside",
    gridcolor: "#e6e6e6",
    zeroline: false,
    ...(a.range ? { range: a.range } : {}),
  };
}

/** Options of `houseLayout` (and `lineFigure`). */
export interface LayoutOptions {
  /** figure title, wrapped to the width */
  title: string;
  /** the x axis */
  x: AxisOptions;
  /** the y axis */
  y: AxisOptions;
  /** pixels (default 760) */
  width?: number;
  /** pixels (default 480, plus 20 per extra title line) */
  height?: number;
  /** title of the legend */
  legendTitle?: string;
  /** further Plotly layout keys, merged last (they override the house values) */
  extra?: Layout;
}

/**
 * Breaks a long title into lines of at most `width` characters (default 80), joined with `<br>` (Plotly does not wrap).
 * @internal
 */
export function wrapTitle(text: string, width = 80): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join("<br>");
}

/** A Plotly layout in the house style (font, white background, outside ticks, light grid, wrapped title) from the title and axes. */
export function houseLayout(o: LayoutOptions): Layout {
  const width = o.width ?? 760;
  const title = wrapTitle(o.title, Math.max(40, Math.floor(width / 9.5)));
  const lines = title.split("<br>").length;
  const height = (o.height ?? 480) + 20 * (lines - 1);
  return {
    // anchored to the top so a wrapped title grows down into the margin made for it, never over the panels
    title: { text: title, x: 0.02, xanchor: "left", y: 1 - 12 / height, yref: "container", yanchor: "top", font: { size: 16 } },
    font: FONT,
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    width,
    height,
    margin: { l: 70, r: 20, t: 40 + 22 * lines, b: 60 },
    xaxis: axis(o.x),
    yaxis: axis(o.y),
    legend: { title: o.legendTitle ? { text: o.legendTitle } : undefined, bgcolor: "rgba(255,255,255,0.8)" },
    ...(o.extra ?? {}),
  };
}

/** One data series of `lineFigure`: x and y values of equal length and how to draw them. */
export interface Series {
  /** legend entry */
  name: string;
  /** x values */
  x: number[];
  /** y values */
  y: number[];
  /** lines (default), markers, or both */
  mode?: "lines" | "markers" | "lines+markers";
  /** colour index into the palette */
  colourIndex?: number;
  /** line style (default "solid") */
  dash?: "solid" | "dash" | "dot";
  /** symmetric error bars */
  error?: number[];
  /** a shaded band [lower, upper] */
  band?: [number[], number[]];
  /** show in the legend (default true) */
  showLegend?: boolean;
}

/** The Plotly traces of one series (a shaded band first when `band` is set), coloured by `colourIndex` or else by its position i. */
export function seriesTraces(s: Series, i: number): Trace[] {
  const c = colour(s.colourIndex ?? i);
  const traces: Trace[] = [];
  if (s.band) {
    traces.push({
      type: "scatter", x: [...s.x, ...s.x.slice().reverse()], y: [...s.band[1], ...s.band[0].slice().reverse()],
      mode: "lines", fill: "toself", fillcolor: c + "33", line: { width: 0 }, hoverinfo: "skip", showlegend: false, name: `${s.name} band`,
    });
  }
  traces.push({
    type: "scatter",
    mode: s.mode ?? "lines",
    name: s.name,
    x: s.x,
    y: s.y,
    line: { color: c, width: 2, dash: s.dash ?? "solid" },
    marker: { color: c, size: 8, symbol: "circle-open", line: { width: 2, color: c } },
    showlegend: s.showLegend ?? true,
    ...(s.error ? { error_y: { type: "data", array: s.error, visible: true, color: c } } : {}),
  });
  return traces;
}

/** A line/marker chart of several series with optional dashed reference lines. */
export function lineFigure(name: string, o: LayoutOptions & { series: Series[]; hlines?: { y: number; label: string }[]; vlines?: { x: number; label: string }[] }): Figure {
  const data = o.series.flatMap((s, i) => seriesTraces(s, i));
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (const h of o.hlines ?? []) {
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: h.y, y1: h.y, line: { dash: "dash", color: "#333", width: 1.5 } });
    annotations.push({ xref: "paper", x: 1, y: h.y, text: h.label, showarrow: false, xanchor: "right", yanchor: "bottom", font: { size: 12 } });
  }
  for (const v of o.vlines ?? []) {
    shapes.push({ type: "line", yref: "paper", y0: 0, y1: 1, x0: v.x, x1: v.x, line: { dash: "dash", color: "#333", width: 1.5 } });
    annotations.push({ yref: "paper", y: 1, x: v.x, text: v.label, showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 11 } });
  }
  const layout = houseLayout(o);
  const extra = (o.extra ?? {}) as { shapes?: unknown[]; annotations?: unknown[] };
  layout.shapes = [...(extra.shapes ?? []), ...shapes];
  layout.annotations = [...(extra.annotations ?? []), ...annotations];
  return new Figure(name, data, layout);
}

/**
 * Values for a log axis: exact zeros (and anything below 1e-20 of the largest value, far under
 * float64 rounding) are drawn at that floor instead of crushing the axis.
 */
export function logFloor(values: number[], relative = 1e-20): number[] {
  const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const floor = max > 0 ? max * relative : 1e-300;
  return values.map((v) => Math.max(Math.abs(v), floor));
}

/** Axis titles may be empty (no title). */
const text: OptionRule = (v) => (typeof v === "string" ? undefined : "a string");
const PANEL_GRID_RULES: Record<string, OptionRule> = { cols: int(1), yLog: either(bool, listOf(bool)), yTitle: text, xTitle: text, xLog: bool };

/**
 * Lays out `titles.length` panels side by side: axes x, x2, … and y, y2, … with the house style of
 * `layout`; traces choose a panel with xaxis "x2"/yaxis "y2" etc. (see `panelAxes`).
 */
export function panelRow(layout: Layout, titles: string[], opts: { yLog?: boolean; yTitle?: string } = {}): Layout {
  checkOptions("panelRow", opts, { yLog: bool, yTitle: text });
  return panelGrid(layout, titles, { ...opts, cols: Math.max(1, titles.length) });
}

/**
 * Panels in a grid of `cols` columns, filled row by row (panel i is axes x{i+1}/y{i+1}). With one row
 * the x titles are the panel titles; with several, each panel's title goes above it as an annotation
 * and `xTitle` labels every x axis.
 */
export function panelGrid(layout: Layout, titles: string[], opts: { cols: number; yLog?: boolean | boolean[]; yTitle?: string; xTitle?: string; xLog?: boolean }): Layout {
  checkOptions("panelGrid", opts, PANEL_GRID_RULES);
  requireOptions("panelGrid", opts, PANEL_GRID_RULES, ["cols"]);
  const n = titles.length;
  const cols = Math.max(1, Math.min(opts.cols, n));
  const rows = Math.ceil(n / cols);
  const baseX = layout.xaxis as Record<string, unknown>;
  const baseY = layout.yaxis as Record<string, unknown>;
  const annotations = (layout.annotations as unknown[] | undefined) ?? [];
  const gap = rows > 1 ? 0.12 : 0;
  const height = (1 - gap * (rows - 1)) / rows;
  for (let i = 0; i < n; i++) {
    const s = i ? String(i + 1) : "";
    const r = Math.floor(i / cols);
    const c = i % cols;
    const top = 1 - r * (height + gap);
    const yLog = Array.isArray(opts.yLog) ? opts.yLog[i] : opts.yLog;
    // several rows: the shared x title only under the bottom panel of each column
    const xTitle = rows > 1 ? (i + cols >= n ? opts.xTitle : undefined) : titles[i];
    layout[`xaxis${s}`] = { ...baseX, ...(opts.xLog ? { type: "log" } : {}), domain: [c / cols + 0.04, (c + 1) / cols - 0.02], anchor: `y${s}`, title: xTitle ? { text: xTitle } : undefined };
    layout[`yaxis${s}`] = { ...baseY, ...(yLog ? { type: "log" } : {}), domain: [Math.max(0, top - height), top], anchor: `x${s}`, title: (rows > 1 ? c === 0 : i === 0) && opts.yTitle ? { text: opts.yTitle } : undefined };
    if (rows > 1) annotations.push({ text: titles[i], xref: "paper", yref: "paper", x: (c + 0.5) / cols + 0.01, y: top, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 13 } });
  }
  if (rows > 1) layout.annotations = annotations;
  return layout;
}

/** The axis names of panel i (0-based) for a trace. */
export function panelAxes(i: number): { xaxis: string; yaxis: string } {
  return i ? { xaxis: `x${i + 1}`, yaxis: `y${i + 1}` } : { xaxis: "x", yaxis: "y" };
}
