/**
 * Fig. 3 (Sec. 5.2): spectra of H, H_f, H_o for a linear and a tanh network on MNIST, and the regime
 * sweep that looks for where the tanh spectrum drops at the linear formula (initial weights scaled).
 */
import { Figure, lineFigure, houseLayout, colour, Trace, logFloor, panelRow, panelAxes } from "../../figures";
import { PartOutput } from "../parts";
import { spectrumGaps } from "./measure";
import { part, DATA_READS, baseArgs, sweep, formulaEvidence, misses, missNotes } from "./sweeps";
import { BulkGaps, RegimeSweep, REGIME_GAP_SMALL } from "./claims";

export const fig3 = part({
  id: "fig3",
  title: "Fig. 3 — spectra of H, H_f, H_o: linear vs tanh",
  reads: [...DATA_READS, "fig3Hidden", "fig3N"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const args = (["linear", "tanh"] as const).map((activation) => ({
      ...base,
      source: "mnist" as const,
      hidden: o.fig3Hidden,
      n: o.fig3N,
      activation,
      bias: false,
      loss: "mse" as const,
      seed: 0,
      parts: ["H", "Hf", "Ho"] as ("H" | "Hf" | "Ho")[],
      keepSpectra: true,
    }));
    const res = await sweep("Figure 3 spectra", args, o.workers);
    const f = res[0].formula;
    const summary: PartOutput["summary"] = {};
    const data: Trace[] = [];
    const parts = ["H", "Hf", "Ho"] as const;
    const shapes: Record<string, unknown>[] = [];
    const gaps: BulkGaps["spectra"] = [];
    parts.forEach((p, pi) => {
      const { xaxis: xa, yaxis: ya } = panelAxes(pi);
      res.forEach((m, ai) => {
        const mags = m.spectra![p]!.map(Math.abs).sort((a, b) => b - a);
        data.push({
          type: "scatter",
          mode: "lines",
          name: ai === 0 ? "linear" : "tanh",
          legendgroup: String(ai),
          showlegend: pi === 0,
          x: mags.map((_, j) => j + 1),
          y: logFloor(mags),
          xaxis: xa,
          yaxis: ya,
          line: { color: colour(ai), width: 2 },
        });
      });
      const pred = p === "H" ? f.H : p === "Hf" ? f.Hf! : f.Ho;
      shapes.push({
        type: "line",
        xref: xa,
        yref: `${ya} domain`,
        x0: pred,
        x1: pred,
        y0: 0,
        y1: 1,
        line: { dash: "dash", color: "#222", width: 1.5 },
      });
      const g = spectrumGaps(res[1].spectra![p]!, pred, o.K);
      gaps.push({ label: p === "H" ? "H" : p === "Hf" ? "H_f" : "H_o", ...g });
      const lin = spectrumGaps(res[0].spectra![p]!, pred, o.K);
      summary[`fig3 tanh ${p}: rank at default tol / linear formula`] = `${g.aboveFloor} / ${pred}`;
      summary[`fig3 tanh ${p}: gap at f / largest-gap index / |λ_f|/λ_max / recon. error at f`] =
        `${g.gapAtF.toPrecision(3)} / ${g.largestGapIndex} / ${g.relativeAtF.toExponential(2)} / ` +
        `${g.reconstructionAtF.toExponential(2)}`;
      summary[`fig3 linear ${p}: gap at f (into the noise floor)`] = lin.gapAtF;
    });
    const dataName = res[0].dataDescription.split(/[;,(]/)[0].trim();
    const layout = panelRow(
      houseLayout({
        title: `Fig. 3 — spectra of H, H_f, H_o: linear vs tanh [${o.fig3Hidden}], ${dataName}, d = ${o.d}`,
        x: { title: "index" },
        y: { title: "|λ|", log: true },
        width: 1200,
        height: 430,
      }),
      ["index — H", "index — H_f", "index — H_o"],
      { yLog: true, yTitle: "|λ|" },
    );
    layout.shapes = shapes;
    const spectra = new Figure("fig3-spectra-linear-vs-tanh", data, layout);
    // zoom near the cut-off of H
    const mags = res.map((m) => m.spectra!.H!.map(Math.abs).sort((a, b) => b - a));
    const lo = Math.max(1, Math.floor(f.H * 0.8));
    const hi = Math.min(mags[0].length, Math.ceil(f.H * 1.2));
    const zoom = lineFigure("fig3-zoom-cutoff", {
      title: `Fig. 3 (zoom) — |λ(H)| near the predicted cut-off ${f.H}`,
      x: { title: "index", range: [lo, hi] },
      y: { title: "|λ|", log: true },
      series: mags.map((mg, i) => ({
        name: i === 0 ? "linear" : "tanh",
        x: mg.map((_, j) => j + 1).slice(lo - 1, hi),
        y: logFloor(mg).slice(lo - 1, hi),
        colourIndex: i,
      })),
      vlines: [{ x: f.H, label: "formula" }],
    });
    return {
      figures: [spectra.toJSON(), zoom.toJSON()],
      summary,
      notes: missNotes(misses("Fig. 3 linear", [res[0]], [""]), o),
      evidence: {
        ...formulaEvidence("Fig. 3 linear", [res[0]]),
        "sec52-tanh-bulk": { spectra: gaps } satisfies BulkGaps,
      },
    };
  },
});

export const fig3Regime = part({
  id: "fig3Regime",
  title: "Regime sweep — tanh spectrum at the formula index vs initial-weight scale",
  reads: [...DATA_READS, "fig3Hidden", "fig3N", "fig3Scales"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const args = o.fig3Scales.map((initScale) => ({
      ...base,
      source: "mnist" as const,
      hidden: o.fig3Hidden,
      n: o.fig3N,
      activation: "tanh" as const,
      bias: false,
      loss: "mse" as const,
      seed: 0,
      parts: ["H"] as ("H" | "Hf" | "Ho")[],
      keepSpectra: true,
      initScale,
    }));
    const res = await sweep("Regime sweep (tanh, init scale)", args, o.workers);
    const points: RegimeSweep["points"] = res.map((m, i) => {
      const g = spectrumGaps(m.spectra!.H!, m.formula.H, o.K);
      return {
        scale: o.fig3Scales[i],
        f: g.f,
        gapAtF: g.gapAtF,
        largestGapIndex: g.largestGapIndex,
        largestGap: g.largestGap,
        rankAtDefaultTol: g.aboveFloor,
      };
    });
    const figure = lineFigure("fig3-regime-sweep", {
      title:
        `Regime sweep — gap |λ|_f/|λ|_(f+1) of H at the linear formula's index f, tanh ` +
        `[${o.fig3Hidden}], MNIST, N = ${o.fig3N}, initial weights × scale`,
      x: { title: "initial-weight multiplier", log: true },
      y: { title: "|λ|_f / |λ|_(f+1)", log: true },
      series: [
        {
          name: "tanh H",
          x: points.map((q) => q.scale),
          y: points.map((q) => (Number.isFinite(q.gapAtF) ? q.gapAtF : 1e17)),
          mode: "lines+markers",
        },
      ],
      hlines: [{ y: REGIME_GAP_SMALL, label: `rule: ≥ ${REGIME_GAP_SMALL} at the smallest scale` }],
    });
    return {
      figures: [figure.toJSON()],
      summary: {
        "regime sweep: init scale → gap |λ|_f/|λ|_(f+1) of tanh H": points
          .map((q) => `${q.scale}: ${q.gapAtF.toPrecision(3)}`)
          .join(", "),
        "regime sweep: init scale → largest-gap index (f)": points
          .map((q) => `${q.scale}: ${q.largestGapIndex} (${q.f})`)
          .join(", "),
      },
      evidence: { "regime-near-linear": { points } satisfies RegimeSweep },
    };
  },
});
