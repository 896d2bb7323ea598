/**
 * Fig. 5: a linear network trained by full-batch gradient descent on a linear teacher (float64): ranks
 * of the weights and of H, H_o, H_f at log-spaced steps, with the formulas at initialisation.
 */
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { eigvalsh, rank } from "../../linalg";
import { linearTeacher } from "../../data";
import { Figure, lineFigure, colour, LOG_TICKS, fitLogTicks } from "../../figures";
import { Progress } from "../../progress";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import { part } from "./sweeps";
import type { HessianRankOptions } from "./options";
import type { FormulaHits, TrainingRecord, WeightRanks } from "./claims";

const READS = ["K", "init", "fig5Hidden", "fig5D", "fig5N", "fig5Steps", "fig5Checkpoints", "fig5Lr"] as const;
type Fig5Options = Pick<HessianRankOptions, (typeof READS)[number]>;

export const fig5 = part({
  id: "fig5",
  title: "Fig. 5 — ranks while training a linear network",
  reads: READS,
  async run(o): Promise<PartOutput> {
    const dyn = trainingDynamics(o);
    const atInit = (label: "H" | "Ho" | "Hf"): FormulaHits => ({
      parts: [{ label: "Fig. 5 at init", holds: dyn.record.initial[label] === dyn.init[label] ? 1 : 0, total: 1 }],
    });
    return {
      figures: dyn.figures.map((f) => f.toJSON()),
      checks: dyn.checks,
      summary: dyn.summary,
      evidence: {
        "fact7-rank-H": atInit("H"),
        "cor4-rank-Ho": atInit("Ho"),
        "cor6-rank-Hf": atInit("Hf"),
        "fig5-weight-ranks": dyn.weights,
        "fig5-Hf-vanishes": dyn.record,
        "fig5-rank-falls": dyn.record,
      },
    };
  },
});

/** Full-batch gradient descent on a linear teacher, ranks of W_l and of H, H_o, H_f at log-spaced steps. */
function trainingDynamics(o: Fig5Options): {
  figures: Figure[];
  checks: Check[];
  summary: PartOutput["summary"];
  record: TrainingRecord;
  weights: WeightRanks;
  init: cv.RankFormulas;
} {
  const K = o.K;
  const data = linearTeacher({ n: o.fig5N, dIn: o.fig5D, dOut: K, seed: 5 });
  const spec: nets.NetSpec = { sizes: [o.fig5D, ...o.fig5Hidden, K], activation: "linear", bias: false };
  const params = nets.initParams(spec, { init: o.init, seed: 5 });
  const steps = new Set<number>([0]);
  for (let i = 0; i < o.fig5Checkpoints; i++)
    steps.add(Math.round(Math.exp((Math.log(o.fig5Steps) * (i + 1)) / o.fig5Checkpoints)));
  const checkpoints = Array.from(steps).sort((a, b) => a - b);
  const L = spec.sizes.length - 1;
  const rec: { step: number; loss: number; W: number[]; H: number; Ho: number; Hf: number }[] = [];
  const bar = new Progress("Figure 5 training", o.fig5Steps);
  // s = rank Ω measured at initialisation, as the Cor. 6 rule says (not assumed min(d, K))
  const init = cv.linearRankFormulas({
    sizes: spec.sizes,
    r: rank(data.X),
    s: rank(cv.linearStatistics({ spec, params, X: data.X, Y: data.Y }).omega),
  });
  for (let t = 0; t <= o.fig5Steps; t++) {
    const problem: cv.Problem = { spec, params, X: data.X, Y: data.Y };
    if (checkpoints.includes(t)) {
      const res = cv.linearHessianClosedForm(problem);
      const evH = eigvalsh(res.H!);
      const tol = cv.summarizeSpectrum(evH).tolerance; // one tolerance, from H, for all three
      rec.push({
        step: t,
        loss: res.loss,
        W: Array.from({ length: L }, (_, l) => rank(nets.weight(spec, params, l + 1))),
        H: cv.rankAt(evH, tol),
        Ho: cv.rankAt(eigvalsh(res.Ho!), tol),
        Hf: cv.rankAt(eigvalsh(res.Hf!), tol),
      });
    }
    if (t === o.fig5Steps) break;
    const { gradient } = cv.lossAndGradient(problem);
    for (let i = 0; i < params.length; i++) params[i] -= o.fig5Lr * gradient[i];
    bar.tick();
  }
  bar.finish();
  const x = rec.map((r) => Math.max(r.step, 1));
  const full = Array.from({ length: L }, (_, l) => Math.min(spec.sizes[l], spec.sizes[l + 1]));
  const wFig = lineFigure("fig5-weight-ranks", {
    title: `Fig. 5 (left) — rank of the weights while training linear [${o.fig5Hidden}] on a linear teacher`,
    x: { title: "GD step (0 shown at 1)", log: true },
    y: { title: "rank(W_l)" },
    series: Array.from({ length: L }, (_, l) => ({
      name: `W${l + 1} (${spec.sizes[l + 1]}×${spec.sizes[l]})`,
      x,
      y: rec.map((r) => r.W[l]),
      mode: "lines+markers" as const,
      colourIndex: l,
    })),
  });
  const hFig = lineFigure("fig5-hessian-ranks", {
    title:
      "Fig. 5 (right) — rank of H, H_o, H_f during training, with the formulas at " +
      "initialisation; training loss on the right axis",
    x: { title: "GD step (0 shown at 1)", log: true },
    y: { title: "rank" },
    series: [
      { name: "H", x, y: rec.map((r) => r.H), mode: "lines+markers", colourIndex: 0 },
      { name: "H_o", x, y: rec.map((r) => r.Ho), mode: "lines+markers", colourIndex: 1 },
      { name: "H_f", x, y: rec.map((r) => r.Hf), mode: "lines+markers", colourIndex: 2 },
    ],
    hlines: [
      { y: init.H, label: `bound H ${init.H}` },
      { y: init.Ho, label: `H_o ${init.Ho}` },
      { y: init.Hf!, label: `H_f ${init.Hf}` },
    ],
  });
  hFig.data.push({
    type: "scatter",
    mode: "lines",
    name: "train loss (right axis)",
    x,
    y: rec.map((r) => Math.max(r.loss, 1e-300)),
    yaxis: "y2",
    line: { color: colour(7), dash: "dot", width: 2 },
  });
  hFig.layout.yaxis2 = {
    ...LOG_TICKS,
    title: { text: "train loss (mean ½‖f − y‖²)" },
    type: "log",
    overlaying: "y",
    side: "right",
    showgrid: false,
  };
  // right of the loss axis's tick labels and title
  hFig.layout.legend = { ...(hFig.layout.legend as object), x: 1.2, xanchor: "left" };
  fitLogTicks(hFig.data, hFig.layout);
  const first = rec[0];
  const last = rec[rec.length - 1];
  const fullAt = rec.filter((r) => r.W.every((w, l) => w === full[l])).length;
  const lowest = rec.reduce(
    (acc, r) => {
      r.W.forEach((w, l) => {
        if (w - full[l] < acc.deficit)
          acc = { deficit: w - full[l], text: `W${l + 1} ${w}/${full[l]} at step ${r.step}` };
      });
      return acc;
    },
    { deficit: 0, text: "" },
  );
  return {
    figures: [wFig, hFig],
    // the ranks can never exceed p, and H_o's rank never exceeds Cor. 4 with full-rank weights (proved): software
    // checks
    checks: [
      {
        name: "Fig. 5: training finished with a finite loss",
        pass: rec.every((r) => Number.isFinite(r.loss)),
        detail: `loss ${first.loss.toExponential(2)} → ${last.loss.toExponential(2)} over ${o.fig5Steps} steps`,
      },
    ],
    summary: {
      "fig5 ranks H / H_o / H_f at init": `${first.H} / ${first.Ho} / ${first.Hf}`,
      "fig5 final ranks H / H_o / H_f": `${last.H} / ${last.Ho} / ${last.Hf}`,
      "fig5 loss initial / final": `${first.loss.toExponential(2)} / ${last.loss.toExponential(2)}`,
      "fig5 weight ranks (final)": last.W.join(", "),
    },
    record: {
      initialLoss: first.loss,
      finalLoss: last.loss,
      initial: { H: first.H, Ho: first.Ho, Hf: first.Hf },
      final: { H: last.H, Ho: last.Ho, Hf: last.Hf },
    },
    weights: {
      checkpoints: rec.length,
      fullRankCheckpoints: fullAt,
      lowest: lowest.text || `all full rank (${full.map((f, l) => `W${l + 1} ${f}`).join(", ")})`,
    },
    init,
  };
}
