/**
 * Fig. 1: |eigenvalues| of H at initialisation, linear and ReLU networks, averaged over seeds, with the predicted rank.
 */
import { lineFigure, logFloor } from "../../figures";
import { PartOutput } from "../parts";
import { MeasureArgs, spectrumGaps } from "./measure";
import { part, DATA_READS, baseArgs, sweep, hits } from "./sweeps";
import type { FormulaHits, BulkGaps } from "./claims";

export const fig1 = part({
  id: "fig1",
  title: "Fig. 1 — spectrum of H at initialisation (linear, ReLU)",
  reads: [...DATA_READS, "seeds", "fig1Hidden", "fig1N"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const args: MeasureArgs[] = [];
    for (const activation of ["linear", "relu"] as const)
      for (let seed = 0; seed < o.seeds; seed++)
        args.push({
          ...base,
          hidden: o.fig1Hidden,
          n: o.fig1N,
          activation,
          bias: false,
          loss: "mse",
          seed,
          parts: ["H"],
          keepSpectra: true,
        });
    const res = await sweep("Figure 1 spectra", args, o.workers);
    const series = [];
    const vlines = [];
    const summary: PartOutput["summary"] = {};
    const evidence: Record<string, unknown> = {};
    for (const [i, activation] of (["linear", "relu"] as const).entries()) {
      const runs = res.slice(i * o.seeds, (i + 1) * o.seeds);
      const mags = runs.map((m) => m.spectra!.H!.map(Math.abs).sort((a, b) => b - a));
      const mean = mags[0].map((_, j) => mags.reduce((s, m) => s + m[j], 0) / mags.length);
      const f = runs[0].formula.H;
      series.push({
        name: `${activation} [${o.fig1Hidden}]`,
        x: mean.map((_, j) => j + 1),
        y: logFloor(mean),
        colourIndex: i,
      });
      if (i === 0) vlines.push({ x: f, label: `predicted rank ${f}` });
      if (activation === "linear")
        evidence["fact7-rank-H"] = { parts: [hits("Fig. 1 linear seeds", runs, "H")] } satisfies FormulaHits;
      else {
        const gaps = runs.map((m, s) => ({ label: `seed ${s}`, ...spectrumGaps(m.spectra!.H!, f, o.K) }));
        summary["fig1 relu: rank at default tol / linear formula / p"] =
          `${runs.map((m) => m.ranks.H).join(", ")} / ${f} / ${runs[0].p}`;
        summary["fig1 relu: gap |λ|_f/|λ|_(f+1)"] = gaps.map((g) => g.gapAtF.toPrecision(3)).join(", ");
        summary["fig1 relu: largest-gap index"] = gaps.map((g) => g.largestGapIndex).join(", ");
        evidence["fig1-relu-bulk"] = { spectra: gaps } satisfies BulkGaps;
      }
    }
    const figure = lineFigure("fig1-spectrum-init", {
      title: `Fig. 1 — |eigenvalues| of H at initialisation (mean of ${o.seeds} seeds)`,
      x: { title: "index (sorted by |λ|)" },
      y: { title: "|λ|", log: true },
      series,
      vlines,
      legendTitle: "network",
    });
    return { figures: [figure.toJSON()], summary, evidence };
  },
});
