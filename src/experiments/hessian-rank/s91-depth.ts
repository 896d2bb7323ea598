/**
 * Rank vs depth (Sec. 5.1 "similar plots across depth … S9.1", Sec. 8 Discussion (iii)): linear networks
 * with 1, 2, … hidden layers of one width, rank(H) and rank(H)/p beside Fact 7.
 */
import { lineFigure } from "../../figures";
import { PartOutput } from "../parts";
import { MeasureArgs } from "./measure";
import { part, baseArgs, sweep, hits, misses, missNotes } from "./sweeps";
import type { FormulaHits, RatioSeries } from "./claims";

export const depth = part({
  id: "depth",
  title: "Sec. 5.1 / S9.1 — rank vs depth (linear)",
  reads: [
    "source",
    "cifarDir",
    "inputs",
    "biasInputs",
    "downscale",
    "K",
    "init",
    "depthLayers",
    "depthWidth",
    "depthD",
    "depthN",
  ],
  async run(o): Promise<PartOutput> {
    const base = baseArgs({
      source: o.source,
      cifarDir: o.cifarDir,
      inputs: o.inputs,
      biasInputs: o.biasInputs,
      downscale: o.downscale,
      d: o.depthD,
      K: o.K,
      init: o.init,
    });
    const layers = [...new Set(o.depthLayers)].sort((a, b) => a - b);
    const args: MeasureArgs[] = layers.map((n) => ({
      ...base,
      hidden: Array(n).fill(o.depthWidth),
      n: o.depthN,
      activation: "linear",
      bias: false,
      loss: "mse",
      seed: 0,
      parts: ["H"],
    }));
    const res = await sweep("Rank vs depth", args, o.workers);
    const ratio = res.map((m) => m.ranks.H! / m.p);
    const setting = `linear, hidden layers of width ${o.depthWidth}, d = ${o.depthD}, N = ${o.depthN}, MSE`;
    const rankFig = lineFigure("s91-rank-vs-depth", {
      title: `Rank vs depth — rank of H and #params, ${setting}`,
      x: { title: "number of hidden layers" },
      y: { title: "rank H, #params p" },
      series: [
        { name: "rank H measured", x: layers, y: res.map((m) => m.ranks.H!), mode: "lines+markers", colourIndex: 0 },
        { name: "Fact 7", x: layers, y: res.map((m) => m.formula.H), mode: "markers", colourIndex: 1 },
        { name: "#params p", x: layers, y: res.map((m) => m.p), dash: "dot", colourIndex: 7 },
      ],
    });
    const ratioFig = lineFigure("s91-rank-over-params-vs-depth", {
      title: `Rank / #params vs depth, ${setting}`,
      x: { title: "number of hidden layers" },
      y: { title: "rank(H) / p" },
      series: [
        { name: "measured", x: layers, y: ratio, mode: "lines+markers", colourIndex: 0 },
        { name: "Fact 7 / p", x: layers, y: res.map((m) => m.formula.H / m.p), mode: "markers", colourIndex: 1 },
      ],
    });
    for (const f of [rankFig, ratioFig]) Object.assign(f.layout.xaxis as object, { dtick: 1 });
    return {
      figures: [rankFig.toJSON(), ratioFig.toJSON()],
      summary: {
        "depth: rank/p from the shallowest to the deepest network": ratio.map((v) => v.toPrecision(3)).join(" → "),
      },
      tables: [
        {
          title: "Rank vs depth",
          columns: ["hidden layers", "r", "p", "rank H", "Fact 7", "rank/p", "rank deficiency p − rank"],
          rows: res.map((m, i) => [layers[i], m.r, m.p, m.ranks.H!, m.formula.H, ratio[i], m.p - m.ranks.H!]),
        },
      ],
      notes: missNotes(misses("Depth sweep, hidden layers =", res, layers), o),
      evidence: {
        "s91-depth-fact7": { parts: [hits("depth sweep", res, "H")] } satisfies FormulaHits,
        "sec8-depth-rank-over-p": { what: "depth sweep", x: layers, ratio } satisfies RatioSeries,
      },
    };
  },
});
