import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FigureSpec } from "../../src/figures/figure";
import { Figure } from "../../src/figures/figure";
import { lineFigure } from "../../src/figures/style";
import * as cv from "../../src/curvature";
import { rankExplorer } from "../../src/experiments/hessian-rank/explorer";
import { Rng } from "../../src/util/random";
import { symmetricWithSpectrum } from "../helpers";
import { loadRecorded } from "../../src/report/recorded";
import { checkFigures, closeLayoutBrowser, chromiumAvailable, layoutProblems, penetration } from "../layout-check";

const skip = !chromiumAvailable() && "needs Chromium (bash .ci/setup)";
after(closeLayoutBrowser);

/** The recorded paper-preset figures of every study (each recorded after the figure fixes this check led to). */
const RECORDED = ["hessian-rank", "info-loss", "local-rank", "flatness-compression", "bottleneck"];

function recordedFigures(): FigureSpec[] {
  const dir = path.resolve(__dirname, "../../../results/paper");
  return RECORDED.flatMap(
    (s) => (JSON.parse(fs.readFileSync(path.join(dir, `${s}.json`), "utf8")) as { figures: FigureSpec[] }).figures,
  );
}

function report(probs: { figure: string; mode: string; problem: string }[]): string {
  return probs.map((p) => `${p.figure} [${p.mode}]: ${p.problem}`).join("\n");
}

describe("figure layout: no text on text, none outside the figure", () => {
  it("the check itself: overlapping, rotated-apart and escaping boxes, by hand", () => {
    const box = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ];
    assert.equal(penetration(box(0, 0, 10, 10), box(5, 5, 20, 20)), 5);
    assert.ok(penetration(box(0, 0, 10, 10), box(11, 0, 20, 10)) < 0);
    // two 45°-rotated labels side by side: their axis-aligned boxes overlap, the labels do not
    const rot = (cx: number): [number, number][] => [
      [cx, 0],
      [cx + 40, 40],
      [cx + 35, 45],
      [cx - 5, 5],
    ];
    assert.ok(penetration(rot(0), rot(12)) < 1.5, String(penetration(rot(0), rot(12))));
    const text = (t: string, corners: [number, number][]) => ({ text: t, kind: "annotation", corners });
    assert.deepEqual(layoutProblems(100, 100, [text("a", box(10, 10, 50, 20)), text("b", box(60, 10, 90, 20))]), []);
    assert.equal(layoutProblems(100, 100, [text("a", box(10, 10, 50, 20)), text("b", box(40, 12, 90, 22))]).length, 1);
    assert.match(layoutProblems(100, 100, [text("c", box(80, 10, 130, 20))])[0], /"c" \(annotation\) leaves/);
  });

  it("finds a label drawn over another one, and a title wider than the output area", { skip }, async () => {
    const fig = lineFigure("demo", {
      title: "demo",
      x: { title: "x" },
      y: { title: "y" },
      series: [{ name: "s", x: [1, 2, 3], y: [1, 2, 3] }],
    });
    const clash = new Figure("clash", fig.data, {
      ...fig.layout,
      annotations: [
        { x: 2, y: 2, text: "linear formula 747", showarrow: false },
        { x: 2.05, y: 2, text: "numerical precision rank 842", showarrow: false },
      ],
    });
    const probs = await checkFigures([clash]);
    assert.ok(
      probs.some((p) => /"linear formula 747" \(annotation\) overlaps/.test(p.problem)),
      report(probs),
    );
    const wide = new Figure("wide", fig.data, { ...fig.layout, width: 1400, title: { text: "W".repeat(120) } });
    assert.ok((await checkFigures([wide])).some((p) => /leaves/.test(p.problem)));
  });

  it(
    "reference lines close together (Fig. 4's formula 747 and rank 842, Fig. 5's equal bounds) keep their labels apart",
    { skip },
    async () => {
      const x = Array.from({ length: 900 }, (_, i) => i);
      const fig4 = lineFigure("fig4-like", {
        title: "Fig. 4 — ‖H − H_k‖_F/‖H‖_F, ReLU [16,12], cross-entropy",
        x: { title: "k (top eigenpairs kept)" },
        y: { title: "relative error", log: true },
        series: [{ name: "ReLU, CE", x, y: x.map((i) => Math.max(Math.exp(-i / 60), 1e-17)) }],
        vlines: [
          { x: 842, label: "machine-precision rank 842" },
          { x: 747, label: "linear formula 747" },
          { x: 800, label: "a third line 800" },
        ],
      });
      const steps = [1, 10, 100, 1000];
      const fig5 = lineFigure("fig5-like", {
        title: "Fig. 5 (right) — rank of H, H_o, H_f during training",
        x: { title: "GD step (0 shown at 1)", log: true },
        y: { title: "rank" },
        series: [{ name: "H", x: steps, y: [760, 700, 500, 420] }],
        hlines: [
          { y: 760, label: "bound H 760" },
          { y: 100, label: "H_o 100" },
          { y: 760, label: "H_f 760" },
          { y: 130, label: "another 130" },
        ],
      });
      const probs = await checkFigures([fig4, fig5]);
      assert.deepEqual(probs, [], report(probs));
      assert.ok((fig5.layout.annotations as { text: string }[]).some((a) => a.text === "bound H 760 = H_f 760"));
    },
  );

  it("the rank explorer, the curvature figures and the house line figures", { skip, timeout: 300000 }, async () => {
    const figs: FigureSpec[] = [];
    for (const widths of [
      [6, 5],
      [20, 10, 5],
    ]) {
      const r = await rankExplorer({ widths, N: 30, d: 16, K: 4 });
      figs.push(...r.figures);
    }
    const rng = new Rng(3);
    const vals = [
      ...Array.from({ length: 10 }, () => 10 + rng.normal()),
      ...Array.from({ length: 60 }, () => 1e-3 * rng.uniform()),
    ];
    const d = cv.spectralDensity(cv.denseOperator(symmetricWithSpectrum(vals, 4)), { probes: 8, steps: 20 });
    figs.push(cv.densityFigure(d, { exact: vals }));
    figs.push(
      lineFigure("spectrum", {
        title: "eigenvalue magnitudes of a Hessian, sorted",
        x: { title: "index" },
        y: { title: "|λ|", log: true },
        series: [{ name: "H", x: vals.map((_, i) => i + 1), y: vals.map(Math.abs).sort((a, b) => b - a) }],
      }),
    );
    const probs = await checkFigures(figs);
    assert.deepEqual(probs, [], report(probs));
  });

  it(
    "the budget figures drawn from the recorded ledgers of local-rank and flatness-compression",
    { skip, timeout: 300000 },
    async () => {
      const root = path.resolve(__dirname, "../../..");
      const figs = ["local-rank", "flatness-compression"].flatMap((s) =>
        loadRecorded(s, "paper", root)!.figures.filter((f) => f.name.startsWith("budget-")),
      );
      assert.ok(figs.length >= 6, `budget figures: ${figs.length}`);
      const probs = await checkFigures(figs);
      assert.deepEqual(probs, [], report(probs));
    },
  );

  it("the recorded paper-preset figures of every study", { skip, timeout: 600000 }, async () => {
    const figs = recordedFigures();
    assert.ok(figs.length > 30, `figures: ${figs.length}`);
    const probs = await checkFigures(figs);
    assert.deepEqual(probs, [], report(probs));
  });
});
