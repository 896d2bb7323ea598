/**
 * House style for every rankscope figure: one font, one palette (a colour per series, stable by
 * index), axis titles with units, log axes where the papers use them, dashed reference lines for
 * predictions, legends that name the setting.
 */
import type { Annotations, Shape } from "plotly.js";
import { Figure, Trace, Layout, slots } from "./figure";
import { checkOptions, requireOptions, bool, int, either, listOf, OptionRule, showValue } from "../util/options";

/** The house palette: ten colours (hex), series i gets PALETTE[i mod 10]. */
export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];
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

/**
 * The tick keys of every house log axis. Plotly labels the ticks between powers of ten with bare digits
 * ("2", "5"), which on a static image cannot be told apart from one decade to the next; here a label is
 * always a whole value: powers of ten as 10⁻³ (`exponentformat: "power"`), the 2 … 9 ticks between them
 * kept as unlabelled ticks and grid lines (`minorloglabels: "none"`), and an axis spanning less than a
 * decade keeps Plotly's linear ticks with full labels (0.02, 0.04, 2×10⁻⁵ …). `lineFigure` also labels
 * the 2 and 5 ticks (as 2×10⁻³, 5×10⁻³) when its data spans 0.7 to 2 decades (see `fitLogTicks`).
 * `automargin` lets Plotly widen the margin when these labels (larger than digits) would run into the axis title.
 */
export const LOG_TICKS: Readonly<Record<string, unknown>> = Object.freeze({
  exponentformat: "power",
  minorloglabels: "none",
  automargin: true,
});

function axis(a: AxisOptions): Record<string, unknown> {
  return {
    title: { text: a.title },
    type: a.log ? "log" : "linear",
    ...(a.log ? LOG_TICKS : {}),
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
  /** pixels (default 480, plus 22 per extra title line, the top margin it needs) */
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

/** Font size (px) of a house figure's title. */
const TITLE_SIZE = 16;
/** Distance (px) from the top edge of the image to the baseline of the title's first line. */
const TITLE_BASELINE = 24;
/**
 * Top margin (px) of a house layout per title line (a line is 1.3 × 16 ≈ 21 px; the rest is room for labels above the
 * plot).
 */
const TITLE_LINE_MARGIN = 22;

/**
 * The top margin of a house layout whose title has `lines` lines: 40 px plus `TITLE_LINE_MARGIN` per line, so the
 * last line ends ≥ 30 px above the plot (room for the labels of vertical reference lines and panel titles).
 */
function titleMargin(lines: number): number {
  return 40 + TITLE_LINE_MARGIN * lines;
}

/**
 * The house title object: left-aligned, its first line's baseline `TITLE_BASELINE` px below the top edge
 * of the image, further lines growing down into the top margin made for them (`titleMargin`).
 * Plotly 4 places a one-line title anchored at the top 0.7 em above its baseline, but draws every line of a
 * multi-line title (without title.automargin) from its own y with no such shift: the first line's baseline
 * *is* y, which put it at the top edge, half clipped. So y is set per case to give both the same baseline.
 * @internal
 */
function houseTitle(text: string, height: number): Record<string, unknown> {
  const lines = text.split("<br>").length;
  const top = lines > 1 ? TITLE_BASELINE : TITLE_BASELINE - 0.7 * TITLE_SIZE;
  return {
    text,
    x: 0.02,
    xanchor: "left",
    y: 1 - top / height,
    yref: "container",
    yanchor: "top",
    font: { size: TITLE_SIZE },
  };
}

/**
 * A Plotly layout in the house style (font, white background, outside ticks, light grid, wrapped title) from the title
 * and axes.
 */
export function houseLayout(o: LayoutOptions): Layout {
  const width = o.width ?? 760;
  const title = wrapTitle(o.title, Math.max(40, Math.floor(width / 9.5)));
  const lines = title.split("<br>").length;
  // each extra title line adds its margin to the height, so the plot area keeps its size
  const height = (o.height ?? 480) + TITLE_LINE_MARGIN * (lines - 1);
  return {
    title: houseTitle(title, height),
    font: FONT,
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    width,
    height,
    margin: { l: 70, r: 20, t: titleMargin(lines), b: 60 },
    xaxis: axis(o.x),
    yaxis: axis(o.y),
    legend: { title: o.legendTitle ? { text: o.legendTitle } : undefined, bgcolor: "rgba(255,255,255,0.8)" },
    ...(o.extra ?? {}),
  };
}

/**
 * A house layout whose title is wrapped again for a narrower drawing width (a notebook's output area, where a figure
 * has no fixed width): the title's lines are re-broken at `width` pixels and the top margin and height grow by the
 * margin of each added line, so the plot area keeps its size. Layouts without a house title are returned as they are.
 */
export function rewrapTitle(layout: Layout, width: number): Layout {
  const t = layout.title as { text?: string; yref?: string; font?: { size?: number } } | undefined;
  if (!t?.text || t.yref !== "container" || typeof layout.height !== "number") return layout;
  const before = t.text.split("<br>").length;
  // lines broken by pixels, not characters: titles full of capitals, digits and brackets ran ~10.5 px a character at
  // 16 px, past the 9.5 px the export layouts assume, and left a 900-px output area (Chen Figs. 1 and 2)
  const size = t.font?.size ?? TITLE_SIZE;
  const text = wrapTitlePx(t.text.split("<br>").join(" "), width - 0.02 * width, size);
  if (text === t.text) return layout;
  const lines = text.split("<br>").length;
  const grow = TITLE_LINE_MARGIN * Math.max(0, lines - before);
  const height = layout.height + grow;
  const top = (layout.margin?.t ?? titleMargin(before)) + grow;
  const { y } = houseTitle(text, height);
  return {
    ...layout,
    height,
    margin: { ...(layout.margin ?? {}), t: top },
    title: { ...t, text, y } as Layout["title"],
  };
}

/**
 * Estimated drawn width (px) of `text` in a sans-serif font of `size` px, by character class (Arial/Helvetica advance
 * widths, rounded up): narrow punctuation and i/l/j 0.3 em, space 0.28 em, digits and most lower case 0.56 em, m/w
 * 0.85 em, capitals 0.7 em, M/W 0.9 em, anything else (symbols, Greek, dashes) 0.65 em.
 * @internal
 */
export function textWidthPx(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (ch === " ") em += 0.28;
    else if (/[.,:;'|!()[\]{}ilj]/.test(ch)) em += 0.3;
    else if (/[mw]/.test(ch)) em += 0.85;
    else if (/[MW]/.test(ch)) em += 0.9;
    else if (/[A-Z]/.test(ch)) em += 0.7;
    else if (/[a-z0-9]/.test(ch)) em += 0.56;
    else em += 0.65;
  }
  return em * size;
}

/**
 * Breaks a title into lines no wider than `px` pixels at font size `size` (by `textWidthPx`), joined with `<br>`.
 * @internal
 */
export function wrapTitlePx(text: string, px: number, size: number): string {
  const lines: string[] = [];
  let line = "";
  for (const w of text.split(" ")) {
    const next = line ? `${line} ${w}` : w;
    if (line && textWidthPx(next, size) > px) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.join("<br>");
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

/**
 * Throws, naming the series, unless x and y are lists of the same length (Plotly drew the shorter silently) and the
 * error bars and band, when given, have that length too.
 */
function checkSeries(where: string, s: Series, i: number): void {
  if (!s || typeof s !== "object") throw new Error(`${where}: series ${i} must be an object { name, x, y }`);
  const label = `series ${i} (${showValue(s.name)})`;
  if (!Array.isArray(s.x) || !Array.isArray(s.y))
    throw new Error(
      `${where}: ${label}: x and y must be lists of numbers; got x ${showValue(s.x)}, y ${showValue(s.y)}`,
    );
  if (s.x.length !== s.y.length)
    throw new Error(
      `${where}: ${label}: x has ${s.x.length} values and y ${s.y.length}; they must have the same length`,
    );
  if (s.error !== undefined && (!Array.isArray(s.error) || s.error.length !== s.x.length))
    throw new Error(`${where}: ${label}: error must be a list of ${s.x.length} values (one per point)`);
  if (
    s.band !== undefined &&
    !(Array.isArray(s.band) && s.band.length === 2 && s.band.every((b) => Array.isArray(b) && b.length === s.x.length))
  )
    throw new Error(`${where}: ${label}: band must be [lower, upper], two lists of ${s.x.length} values`);
}

/**
 * The Plotly traces of one series (a shaded band first when `band` is set), coloured by `colourIndex` or else by its
 * position i.
 */
export function seriesTraces(s: Series, i: number): Trace[] {
  checkSeries("seriesTraces", s, i);
  const c = colour(s.colourIndex ?? i);
  const traces: Trace[] = [];
  if (s.band) {
    traces.push({
      type: "scatter",
      x: [...s.x, ...s.x.slice().reverse()],
      y: [...s.band[1], ...s.band[0].slice().reverse()],
      mode: "lines",
      fill: "toself",
      fillcolor: c + "33",
      line: { width: 0 },
      hoverinfo: "skip",
      showlegend: false,
      name: `${s.name} band`,
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

/**
 * A line/marker chart of several series with optional dashed reference lines (each labelled at its line, on log axes
 * too); log axes spanning 0.7–2 decades get their 2 and 5 ticks labelled (`fitLogTicks`).
 */
export function lineFigure(
  name: string,
  o: LayoutOptions & {
    series: Series[];
    hlines?: { y: number; label: string }[];
    vlines?: { x: number; label: string }[];
  },
): Figure {
  if (typeof name !== "string" || !name.trim())
    throw new Error(
      `lineFigure: the name must be a non-empty string (the file name of its exports); got ${showValue(name)}`,
    );
  if (!o || !Array.isArray(o.series)) throw new Error(`lineFigure "${name}": series must be a list of { name, x, y }`);
  const data = o.series.flatMap((s, i) => seriesTraces(s, i));
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotations>[] = [];
  const layout = houseLayout(o);
  // shapes take data values on a log axis, annotations its log10 (Plotly's convention): a label placed at the raw
  // value would float away from its line
  const isLog = (key: string) => (slots(layout)[key] as { type?: string } | undefined)?.type === "log";
  const at = (v: number, log: boolean) => (log && v > 0 ? Math.log10(v) : v);
  // horizontal lines at the same value share one label ("bound H 760 = H_f 760"); sorted by value, the labels
  // alternate between the right and the left end of the plot, so two close lines do not put text on text, and the
  // right ones end 1 % inside the plot, clear of a right axis's tick labels
  const hGroups = new Map<number, string[]>();
  for (const h of o.hlines ?? []) hGroups.set(h.y, [...(hGroups.get(h.y) ?? []), h.label]);
  [...hGroups.entries()]
    .sort((a, b) => a[0] - b[0])
    .forEach(([y, labels], i) => {
      shapes.push({
        type: "line",
        xref: "paper",
        x0: 0,
        x1: 1,
        y0: y,
        y1: y,
        line: { dash: "dash", color: "#333", width: 1.5 },
      });
      annotations.push({
        xref: "paper",
        x: i % 2 === 0 ? 0.99 : 0.01,
        y: at(y, isLog("yaxis")),
        text: labels.join(" = "),
        showarrow: false,
        xanchor: i % 2 === 0 ? "right" : "left",
        yanchor: "bottom",
        font: { size: 12 },
      });
    });
  // vertical lines' labels above the plot, sorted by x: with two or more, the leftmost ends at its line (anchored
  // right) and the others start at theirs, each further one a line higher, so close lines do not put text on text
  const vs = [...(o.vlines ?? [])].sort((a, b) => a.x - b.x);
  vs.forEach((v, i) => {
    shapes.push({
      type: "line",
      yref: "paper",
      y0: 0,
      y1: 1,
      x0: v.x,
      x1: v.x,
      line: { dash: "dash", color: "#333", width: 1.5 },
    });
    annotations.push({
      yref: "paper",
      y: 1,
      x: at(v.x, isLog("xaxis")),
      text: v.label,
      showarrow: false,
      xanchor: i === 0 && vs.length > 1 ? "right" : "left",
      yanchor: "bottom",
      yshift: i >= 2 ? 14 * (i - 1) : 0,
      font: { size: 11 },
    });
  });
  const extra: Layout = o.extra ?? {};
  layout.shapes = [...(extra.shapes ?? []), ...shapes];
  layout.annotations = [...(extra.annotations ?? []), ...annotations];
  fitLogTicks(data, layout);
  return new Figure(name, data, layout);
}

/**
 * Labels the 2 and 5 ticks too (as 2×10⁻³, 5×10⁻³; `dtick: "D2"`, `minorloglabels: "complete"`) on each house
 * log axis (one with `LOG_TICKS` and no dtick or tick values of its own) whose extent spans 0.7 to 2 decades:
 * with only the powers of ten labelled, such an axis carries one or two labels, sometimes only at its very ends
 * (Plotly pads the range). Under 0.7 decades Plotly labels linear ticks in full; from 2 decades on the powers of
 * ten alone read well; from 8 decades on, ticks go every 1, 2, 3, 5, 10 … decades (at most about seven, each a
 * power of ten). The extent is the axis `range` when set, else the positive values drawn on it (traces
 * on that axis, their error bars, and shapes in data coordinates). Changes `layout` in place and returns it.
 */
export function fitLogTicks(data: Trace[], layout: Layout): Layout {
  for (const key of Object.keys(layout)) {
    const m = /^([xy])axis(\d*)$/.exec(key);
    const ax = slots(layout)[key] as Record<string, unknown> | undefined;
    if (
      !m ||
      !ax ||
      ax.type !== "log" ||
      ax.minorloglabels !== LOG_TICKS.minorloglabels ||
      ax.exponentformat !== LOG_TICKS.exponentformat
    )
      continue;
    if (ax.dtick !== undefined || ax.tickvals !== undefined || (ax.tickmode !== undefined && ax.tickmode !== "auto"))
      continue;
    const [letter, id] = [m[1] as "x" | "y", m[1] + m[2]];
    let lo = Infinity;
    let hi = -Infinity;
    const see = (v: unknown) => {
      if (typeof v === "number" && v > 0 && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    };
    const range = ax.range as [number, number] | undefined;
    if (Array.isArray(range) && range.length === 2 && range.every((r) => typeof r === "number" && Number.isFinite(r))) {
      for (const r of range) see(Math.pow(10, r));
    } else {
      for (const trace of data) {
        const t = trace as Record<string, unknown>;
        if ((t[`${letter}axis`] ?? letter) !== id || t.visible === false) continue;
        const values = (t[letter] as unknown[] | undefined) ?? [];
        const err = t[`error_${letter}`] as { array?: number[]; visible?: boolean } | undefined;
        values.forEach((v, i) => {
          see(v);
          const e = err && err.visible !== false ? err.array?.[i] : undefined;
          if (typeof v === "number" && typeof e === "number") [v - e, v + e].forEach(see);
        });
      }
      for (const s of (layout.shapes as Record<string, unknown>[] | undefined) ?? []) {
        if ((s[`${letter}ref`] ?? letter) === id) [s[`${letter}0`], s[`${letter}1`]].forEach(see);
      }
    }
    if (!(hi >= lo)) continue;
    const decades = Math.log10(hi / lo);
    if (decades >= 8) {
      // over many decades Plotly's own choice can land between powers of ten (labels like 4×10⁻⁸): ticks every
      // 1, 2, 3, 5 or 10 … decades instead, at most about seven of them, each a power of ten
      const step = [1, 2, 3, 5, 10, 20, 50, 100].find((k) => decades / k <= 7) ?? Math.ceil(decades / 7);
      Object.assign(ax, { dtick: step, tick0: 0 });
      continue;
    }
    if (!(decades >= 0.7 && decades < 2)) continue;
    // Plotly writes these labels as "2x10<sup>−3</sup>" (a letter x): aliases give them the × of its other labels
    const alias: Record<string, string> = {};
    for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)) + 1; k++) {
      if (k === 0) continue;
      const power = k === 1 ? "10" : `10<sup>${k < 0 ? "\u2212" : ""}${Math.abs(k)}</sup>`;
      // 20 and 50 as digits, like Plotly's own 1 and 10
      for (const d of [2, 5]) alias[`${d}x${power}`] = k === 1 ? `${d}0` : `${d}×${power}`;
    }
    Object.assign(ax, {
      dtick: "D2",
      minorloglabels: "complete",
      labelalias: { ...alias, ...((ax.labelalias as object | undefined) ?? {}) },
    });
  }
  return layout;
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
const PANEL_GRID_RULES: Record<string, OptionRule> = {
  cols: int(1),
  yLog: either(bool, listOf(bool)),
  yTitle: text,
  xTitle: text,
  xLog: bool,
};

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
export function panelGrid(
  layout: Layout,
  titles: string[],
  opts: { cols: number; yLog?: boolean | boolean[]; yTitle?: string; xTitle?: string; xLog?: boolean },
): Layout {
  checkOptions("panelGrid", opts, PANEL_GRID_RULES);
  requireOptions("panelGrid", opts, PANEL_GRID_RULES, ["cols"]);
  const n = titles.length;
  const cols = Math.max(1, Math.min(opts.cols, n));
  const rows = Math.ceil(n / cols);
  const baseX = layout.xaxis as Record<string, unknown>;
  const baseY = layout.yaxis as Record<string, unknown>;
  const annotations = layout.annotations ?? [];
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
    slots(layout)[`xaxis${s}`] = {
      ...baseX,
      ...(opts.xLog ? { type: "log", ...LOG_TICKS } : {}),
      domain: [c / cols + 0.04, (c + 1) / cols - 0.02],
      anchor: `y${s}`,
      title: xTitle ? { text: xTitle } : undefined,
    };
    slots(layout)[`yaxis${s}`] = {
      ...baseY,
      ...(yLog ? { type: "log", ...LOG_TICKS } : {}),
      domain: [Math.max(0, top - height), top],
      anchor: `x${s}`,
      title: (rows > 1 ? c === 0 : i === 0) && opts.yTitle ? { text: opts.yTitle } : undefined,
    };
    if (rows > 1)
      annotations.push({
        text: titles[i],
        xref: "paper",
        yref: "paper",
        x: (c + 0.5) / cols + 0.01,
        y: top,
        xanchor: "center",
        yanchor: "bottom",
        showarrow: false,
        font: { size: 13 },
      });
  }
  if (rows > 1) layout.annotations = annotations;
  return layout;
}

/** The axis names of panel i (0-based) for a trace. */
export function panelAxes(i: number): { xaxis: string; yaxis: string } {
  return i ? { xaxis: `x${i + 1}`, yaxis: `y${i + 1}` } : { xaxis: "x", yaxis: "y" };
}
