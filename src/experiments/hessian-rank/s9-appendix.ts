/**
 * Appendix sweeps (Sec. 5.1 "various loss types: MSE, cross-entropy, cosh", Sec. 5.2 "similar results for
 * other non-linearities, loss functions … Appendix S9.4"): every activation × loss × depth, measured rank of
 * H at the default tolerance and where its spectrum drops, beside the linear network's formula.
 */
import { lineFigure } from "../../figures";
import { PartOutput } from "../parts";
import { MeasureArgs, spectrumGaps } from "./measure";
import { part, DATA_READS, baseArgs, sweep } from "./sweeps";
import type { BulkGaps, FormulaHits } from "./claims";

export const appendix = part({
  id: "appendix",
  title: "Appendix S9 — activations × losses × depths: rank vs the linear formula",
  reads: [...DATA_READS, "appendixActivations", "appendixLosses", "appendixDepths", "appendixWidth", "appendixN"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const depths = [...new Set(o.appendixDepths)].sort((a, b) => a - b);
    const configs = o.appendixActivations.flatMap((activation) =>
      o.appendixLosses.flatMap((loss) => depths.map((layers) => ({ activation, loss, layers }))),
    );
    const args: MeasureArgs[] = configs.map((c) => ({
      ...base,
      hidden: Array(c.layers).fill(o.appendixWidth),
      n: o.appendixN,
      activation: c.activation,
      bias: false,
      loss: c.loss,
      seed: 0,
      parts: ["H"],
      keepSpectra: true,
    }));
    const res = await sweep("Appendix sweeps", args, o.workers);
    const label = (i: number) => `${configs[i].activation} ${configs[i].loss} ${configs[i].layers}L`;
    const gaps = res.map((m) => spectrumGaps(m.spectra!.H!, m.formula.H, o.K));

    const top = Math.max(1, ...res.map((m) => Math.max(m.formula.H, m.ranks.H!)));
    const markers = ["circle", "square", "diamond", "triangle-up", "cross", "x"];
    const symbols = o.appendixLosses.map((l, i) => `${markers[i % markers.length]} ${l}`).join(", ");
    const byAct = lineFigure("s9-appendix-rank-vs-formula", {
      title:
        `Appendix sweeps — rank of H (default tolerance) vs the linear formula, hidden layers of ` +
        `width ${o.appendixWidth}, N = ${o.appendixN} (markers: ${symbols})`,
      x: { title: "linear formula (Fact 7; K − 1 for cross-entropy)" },
      y: { title: "measured rank H" },
      series: [
        { name: "rank = formula", x: [0, top], y: [0, top], dash: "dash", colourIndex: 7 },
        ...o.appendixActivations.map((a, k) => {
          const idx = configs.map((c, i) => (c.activation === a ? i : -1)).filter((i) => i >= 0);
          return {
            name: a,
            x: idx.map((i) => res[i].formula.H),
            y: idx.map((i) => res[i].ranks.H!),
            mode: "markers" as const,
            colourIndex: k,
          };
        }),
      ],
    });
    // hover text names each configuration; marker symbols tell the losses apart
    o.appendixActivations.forEach((a, k) => {
      const idx = configs.map((c, i) => (c.activation === a ? i : -1)).filter((i) => i >= 0);
      const t = byAct.data[k + 1] as Record<string, unknown>;
      t.text = idx.map(label);
      t.hovertemplate = "%{text}<br>formula %{x}, rank %{y}<extra></extra>";
      t.marker = {
        ...(t.marker as object),
        symbol: idx.map((i) => markers[o.appendixLosses.indexOf(configs[i].loss) % markers.length]),
      };
    });
    const gapFig = lineFigure("s9-appendix-gap-at-formula", {
      title: "Appendix sweeps — spectrum gap |λ|_(f)/|λ|_(f+1) of H at the linear formula's index f, per configuration",
      x: { title: "configuration" },
      y: { title: "|λ|_f / |λ|_(f+1)", log: true },
      series: [
        // the rule's threshold as a series (reference lines on a log axis would need log-unit labels)
        { name: "drop: gap ≥ 10", x: [0, Math.max(1, configs.length - 1)], y: [10, 10], dash: "dash", colourIndex: 7 },
        ...o.appendixActivations.map((a, k) => {
          const idx = configs.map((c, i) => (c.activation === a ? i : -1)).filter((i) => i >= 0);
          return {
            name: a,
            x: idx,
            y: idx.map((i) => (Number.isFinite(gaps[i].gapAtF) ? gaps[i].gapAtF : 1e17)),
            mode: "markers" as const,
            colourIndex: k,
          };
        }),
      ],
    });
    Object.assign(gapFig.layout.xaxis as object, {
      tickmode: "array",
      tickvals: configs.map((_, i) => i),
      ticktext: configs.map((_, i) => label(i)),
      tickangle: -60,
    });
    gapFig.layout.margin = { ...(gapFig.layout.margin as object), b: 140 };

    const linear = configs.map((c, i) => ({ c, i })).filter(({ c }) => c.activation === "linear");
    const nonlinear = configs.map((c, i) => ({ c, i })).filter(({ c }) => c.activation !== "linear");
    const evidence: Record<string, unknown> = {};
    const unassessed: Record<string, string> = {};
    if (linear.length) {
      const parts: FormulaHits["parts"] = o.appendixLosses.map((loss) => {
        const mine = linear.filter(({ c }) => c.loss === loss);
        return {
          label: loss,
          holds: mine.filter(({ i }) => res[i].ranks.H === res[i].formula.H).length,
          total: mine.length,
        };
      });
      evidence["s51-losses-linear"] = { parts } satisfies FormulaHits;
    } else
      unassessed["s51-losses-linear"] = `appendixActivations [${o.appendixActivations.join(", ")}] has no "linear"`;
    if (nonlinear.length)
      evidence["s94-nonlinear-bulk"] = {
        spectra: nonlinear.map(({ i }) => ({ label: label(i), ...gaps[i] })),
      } satisfies BulkGaps;
    else
      unassessed["s94-nonlinear-bulk"] =
        `appendixActivations [${o.appendixActivations.join(", ")}] has no non-linear activation`;
    return {
      figures: [byAct.toJSON(), gapFig.toJSON()],
      summary: {
        "appendix: linear configurations with rank H = formula":
          `${linear.filter(({ i }) => res[i].ranks.H === res[i].formula.H).length} / ` + `${linear.length}`,
        "appendix: non-linear spectra with gap ≥ 10 at f":
          String(nonlinear.filter(({ i }) => gaps[i].gapAtF >= 10).length) + ` / ` + String(nonlinear.length),
      },
      tables: [
        {
          title: "Appendix sweeps: rank vs the linear formula",
          columns: [
            "activation",
            "loss",
            "hidden layers",
            "r",
            "p",
            "formula f",
            "rank H (default tol)",
            "rank − f",
            "|λ|_f/|λ|_(f+1)",
            "largest-gap index",
            "recon. error at f",
          ],
          rows: res.map((m, i) => [
            configs[i].activation,
            configs[i].loss,
            configs[i].layers,
            m.r,
            m.p,
            m.formula.H,
            m.ranks.H!,
            m.ranks.H! - m.formula.H,
            Number.isFinite(gaps[i].gapAtF) ? gaps[i].gapAtF : null,
            gaps[i].largestGapIndex,
            gaps[i].reconstructionAtF,
          ]),
        },
      ],
      notes: [
        "The appendix (S9) itself is not in our copy of the paper: which activations, losses and " +
          "depths it shows is not known; this sweep's lists are options with the ones the main text " +
          "names as defaults (ReLU, tanh; MSE, cross-entropy, cosh as log-cosh).",
      ],
      evidence,
      unassessed,
    };
  },
});
