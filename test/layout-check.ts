/**
 * The layout check of figures: each figure is drawn by plotly.js in headless Chromium, the bounding boxes of its text
 * elements (titles, axis titles, tick labels, legend entries, annotations) are read, and the check reports every pair
 * of texts that overlap and every text that leaves the figure. A figure is checked at its own size (what an export
 * writes) and as a notebook shows it (no fixed width, in an output area `NOTEBOOK_WIDTH` pixels wide).
 */
import * as fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { FigureSpec } from "../src/figures/figure";
import { chromiumPath, CHROMIUM_FLAGS, plotlyPath } from "../src/export";
import { notebookLayout } from "../kernel-helpers/bundles";

/** The width of Jupyter Notebook 6's output area on a 1 100-pixel-wide window (measured: 970 px at 1 280). */
export const NOTEBOOK_WIDTH = 900;
/** Two boxes overlap when they share more than this many pixels in both directions. */
export const OVERLAP_PX = 1.5;

/** A drawn text: its content, what it is (Plotly's class of its group), and the corners of its ink box (pixels). */
export interface TextBox {
  text: string;
  kind: string;
  /** four corners in order, in figure pixels (a rotated label gives a rotated box) */
  corners: [number, number][];
}

export interface LayoutProblem {
  figure: string;
  mode: "export" | "notebook";
  problem: string;
}

let browser: Browser | undefined;
let page: Page | undefined;

export function chromiumAvailable(): boolean {
  return fs.existsSync(chromiumPath());
}

async function thePage(): Promise<Page> {
  if (page) return page;
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
  await page.setContent("<!DOCTYPE html><html><body style='margin:0'><div id='host'></div></body></html>");
  await page.addScriptTag({ path: plotlyPath() });
  return page;
}

export async function closeLayoutBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
  page = undefined;
}

/** Draws a figure and returns its size and the boxes of its visible, non-empty texts (pixels, figure origin). */
export async function textBoxes(
  fig: FigureSpec,
  mode: "export" | "notebook",
): Promise<{ width: number; height: number; boxes: TextBox[] }> {
  const p = await thePage();
  const layout = mode === "notebook" ? notebookLayout(fig.layout) : fig.layout;
  return p.evaluate(
    async ({ data, layout, hostWidth }) => {
      const host = document.getElementById("host")!;
      host.innerHTML = "";
      host.style.width = hostWidth ? `${hostWidth}px` : "";
      const div = document.createElement("div");
      host.appendChild(div);
      const P = (window as unknown as { Plotly: { newPlot: (...a: unknown[]) => Promise<unknown> } }).Plotly;
      await P.newPlot(div, data, layout, { staticPlot: true });
      const svg = div.querySelector("svg.main-svg") as SVGSVGElement;
      const frame = svg.getBoundingClientRect();
      const kindOf = (el: Element): string => {
        for (let e: Element | null = el; e && e !== div; e = e.parentElement) {
          const c = e.getAttribute("class") ?? "";
          const m = c.match(
            /\b(gtitle|xtitle|ytitle|x\d*title|y\d*title|xtick|ytick|x\d*tick|y\d*tick|legendtext|legendtitletext|annotation|cbtitle|cbaxis|colorbar|g-gtitle|infolayer)\b/,
          );
          if (m) return m[1];
        }
        return el.getAttribute("class") ?? "text";
      };
      const boxes = [];
      for (const t of Array.from(div.querySelectorAll("text"))) {
        const text = (t.textContent ?? "").trim();
        if (!text) continue;
        const st = getComputedStyle(t);
        if (st.display === "none" || st.visibility === "hidden" || Number(st.opacity) === 0) continue;
        // a text inside a hidden group (e.g. a legend item scrolled out) is not drawn
        let hidden = false;
        for (let e: Element | null = t; e && e !== div; e = e.parentElement) {
          const s = getComputedStyle(e);
          if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) hidden = true;
        }
        if (hidden) continue;
        const r = t.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        // the glyph box is about 1.3 × the font size tall, more than the ink: 15 % off at top and bottom
        const bb = t.getBBox();
        const pad = 0.15 * bb.height;
        const m = t.getScreenCTM()!;
        const at = (x: number, y: number): [number, number] => {
          const q = new DOMPoint(x, y).matrixTransform(m);
          return [q.x - frame.left, q.y - frame.top];
        };
        const [x0, y0, x1, y1] = [bb.x, bb.y + pad, bb.x + bb.width, bb.y + bb.height - pad];
        boxes.push({ text, kind: kindOf(t), corners: [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)] });
      }
      return { width: frame.width, height: frame.height, boxes };
    },
    { data: fig.data, layout, hostWidth: mode === "notebook" ? NOTEBOOK_WIDTH : 0 },
  );
}

/** How far two convex polygons overlap: the smallest penetration over the separating axes (≤ 0: apart). */
export function penetration(a: [number, number][], b: [number, number][]): number {
  let least = Infinity;
  for (const poly of [a, b])
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i];
      const [x1, y1] = poly[(i + 1) % poly.length];
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (len === 0) continue;
      const [nx, ny] = [-(y1 - y0) / len, (x1 - x0) / len];
      const proj = (p: [number, number][]) => p.map(([x, y]) => x * nx + y * ny);
      const pa = proj(a);
      const pb = proj(b);
      least = Math.min(least, Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb)));
    }
  return least;
}

/** The overlaps and escapes among a figure's text boxes (ink boxes; rotated labels as rotated boxes). */
export function layoutProblems(width: number, height: number, boxes: TextBox[]): string[] {
  const out: string[] = [];
  const r = (v: number) => Math.round(v);
  for (const b of boxes) {
    const xs = b.corners.map((c) => c[0]);
    const ys = b.corners.map((c) => c[1]);
    if (Math.min(...xs) < -1 || Math.min(...ys) < -1 || Math.max(...xs) > width + 1 || Math.max(...ys) > height + 1)
      out.push(
        `"${b.text}" (${b.kind}) leaves the ${r(width)}×${r(height)} figure: ` +
          `[${r(Math.min(...xs))}, ${r(Math.max(...xs))}] × [${r(Math.min(...ys))}, ${r(Math.max(...ys))}]`,
      );
  }
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const p = penetration(boxes[i].corners, boxes[j].corners);
      if (p > OVERLAP_PX)
        out.push(
          `"${boxes[i].text}" (${boxes[i].kind}) overlaps "${boxes[j].text}" (${boxes[j].kind}) by ${p.toFixed(0)} px`,
        );
    }
  return out;
}

/** Every layout problem of the figures, at their own size and as a notebook shows them. */
export async function checkFigures(figs: FigureSpec[]): Promise<LayoutProblem[]> {
  const out: LayoutProblem[] = [];
  for (const fig of figs)
    for (const mode of ["export", "notebook"] as const) {
      const { width, height, boxes } = await textBoxes(fig, mode);
      if (mode === "notebook" && width > NOTEBOOK_WIDTH + 0.5)
        out.push({ figure: fig.name, mode, problem: `${width} px wide in a ${NOTEBOOK_WIDTH}-px output area` });
      for (const problem of layoutProblems(width, height, boxes)) out.push({ figure: fig.name, mode, problem });
    }
  return out;
}

/**
 * Fails (listing every problem) when a figure's texts overlap or leave it, at its own size or as a notebook draws it.
 * Skipped without Chromium. Closes its browser when done.
 */
export async function assertFiguresLaidOut(figs: FigureSpec[]): Promise<void> {
  if (!chromiumAvailable()) return;
  try {
    const problems = await checkFigures(figs);
    if (problems.length)
      throw new Error(
        `figure layout: ${problems.length} problem(s):\n` +
          problems.map((p) => `  ${p.figure} [${p.mode}]: ${p.problem}`).join("\n"),
      );
  } finally {
    await closeLayoutBrowser();
  }
}
