/**
 * Figs. 2a–2c: rank of H, H_o, H_f of linear networks against the sample size N and the width M, beside Fact 7, Cor. 4,
 * Cor. 6.
 */
import { lineFigure } from "../../figures";
import { PartOutput } from "../parts";
import type { RatioSeries } from "./claims";
import type { Measurement } from "./measure";
import { part, DATA_READS, baseArgs, sweep, formulaEvidence, misses, missNotes, rankSeries } from "./sweeps";

type Parts = ("H" | "Ho" | "Hf")[];

export const fig2a = part({
  id: "fig2a",
  title: "Fig. 2a — rank vs sample size N",
  reads: [...DATA_READS, "sweepNHidden", "sweepN", "fig2SplitEvery"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const split = (i: number) => i % o.fig2SplitEvery === 0;
    const args = o.sweepN.map((n, i) => ({
      ...base,
      hidden: o.sweepNHidden,
      n,
      activation: "linear" as const,
      bias: false,
      loss: "mse" as const,
      seed: 0,
      parts: (split(i) ? ["H", "Ho", "Hf"] : ["H"]) as Parts,
    }));
    const res = await sweep("Figure 2a rank vs N", args, o.workers);
    const figure = lineFigure("fig2a-rank-vs-n", {
      title: `Fig. 2a — rank of H, H_o, H_f vs N, linear [${o.sweepNHidden}], MSE`,
      x: { title: "sample size N" },
      y: { title: "rank" },
      series: rankSeries(o.sweepN, res),
    });
    return {
      figures: [figure.toJSON()],
      tables: [
        {
          title: "Fig. 2a rank vs N",
          columns: ["N", "r", "p", "rank H", "Fact 7", "rank H_o", "Cor. 4", "rank H_f", "Cor. 6"],
          rows: res.map((m, i) => [
            o.sweepN[i],
            m.r,
            m.p,
            m.ranks.H!,
            m.formula.H,
            m.ranks.Ho ?? null,
            m.formula.Ho,
            m.ranks.Hf ?? null,
            m.formula.Hf ?? null,
          ]),
        },
      ],
      notes: missNotes(misses("Fig. 2a N =", res, o.sweepN), o),
      evidence: formulaEvidence("Fig. 2a", res),
    };
  },
});

export const fig2bc = part({
  id: "fig2bc",
  title: "Figs. 2b, 2c — rank vs width M",
  reads: [...DATA_READS, "widths", "widthN", "fig2SplitEvery"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const split = (i: number) => i % o.fig2SplitEvery === 0;
    const args = o.widths.map((M, i) => ({
      ...base,
      hidden: [M, M],
      n: o.widthN,
      activation: "linear" as const,
      bias: false,
      loss: "mse" as const,
      seed: 0,
      parts: (split(i) ? ["H", "Ho", "Hf"] : ["H"]) as Parts,
    }));
    const res = await sweep("Figure 2b rank vs width", args, o.workers);
    const fig2b = lineFigure("fig2b-rank-vs-width", {
      title: "Fig. 2b — rank of H, H_o, H_f vs width M, linear [M, M], MSE",
      x: { title: "hidden width M" },
      y: { title: "rank" },
      series: [
        ...rankSeries(o.widths, res),
        { name: "#params p", x: o.widths, y: res.map((m) => m.p), dash: "dot", colourIndex: 7 },
      ],
    });
    const fig2c = lineFigure("fig2c-rank-over-params", {
      title: "Fig. 2c — rank(H) / #params vs width",
      x: { title: "hidden width M" },
      y: { title: "rank / p" },
      series: [
        { name: "measured", x: o.widths, y: res.map((m) => m.ranks.H! / m.p), colourIndex: 0 },
        { name: "formula", x: o.widths, y: res.map((m) => m.formula.H / m.p), mode: "markers", colourIndex: 1 },
      ],
    });
    return {
      figures: [fig2b.toJSON(), fig2c.toJSON()],
      summary: { "fig2c rank/p at largest width": res[res.length - 1].ranks.H! / res[res.length - 1].p },
      tables: [
        {
          title: "Fig. 2b rank vs width",
          columns: ["M", "p", "rank H", "Fact 7", "rank/p", "rank H_o", "Cor. 4", "rank H_f", "Cor. 6"],
          rows: res.map((m, i) => [
            o.widths[i],
            m.p,
            m.ranks.H!,
            m.formula.H,
            m.ranks.H! / m.p,
            m.ranks.Ho ?? null,
            m.formula.Ho,
            m.ranks.Hf ?? null,
            m.formula.Hf ?? null,
          ]),
        },
      ],
      notes: missNotes(misses("Fig. 2b M =", res, o.widths), o),
      evidence: { ...formulaEvidence("Fig. 2b", res), "fig2c-rank-over-p-falls": ratioByWidth(o.widths, res, o.K) },
    };
  },
});

/** Fig. 2c's measured rank(H)/p, sorted by width, for fig2c-rank-over-p-falls (judged from width min(r, K)). */
function ratioByWidth(widths: number[], res: Measurement[], K: number): RatioSeries {
  const pts = widths.map((M, i) => ({ M, v: res[i].ranks.H! / res[i].p })).sort((a, b) => a.M - b.M);
  // judged where q = min(r, M, K) has stopped growing with M (r is the same at every width: same N, same data)
  return { what: "Fig. 2c", x: pts.map((q) => q.M), ratio: pts.map((q) => q.v), judgedFrom: Math.min(res[0].r, K) };
}
