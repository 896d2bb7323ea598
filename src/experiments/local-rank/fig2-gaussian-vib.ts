/**
 * Fig. 2: Deep VIB on jointly Gaussian X, Y ∈ R⁵ with Σ_XY = diag(crossCov): the KL term and the encoder's
 * local rank against β, with the Gaussian-IB critical β values computed from the covariances.
 *
 * Two VIBs at every β of the grid (gaussian-vib.ts):
 *  - the paper's setting, a Deep VIB trained on vibN samples (deep linear encoder giving μ(x) and log σ(x),
 *    reparameterised noise, linear Gaussian decoder, mini-batch Adam): its local-rank steps are the evidence
 *    of fig2-ib-transitions, judged against the analytic β_c;
 *  - the exact population objective (expectations in closed form), whose minimiser steps at β_c by algebra:
 *    reaching those steps checks the optimiser (software checks), and its curve is drawn for comparison.
 * The closed-form optimum (gaussianVibOptimum: KL = ½ Σ ln(β/β_c,i) over the open directions) is drawn too.
 */
import { Matrix } from "../../linalg";
import { Figure, lineFigure, houseLayout, colour, Trace } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import {
  gaussianIbCriticalBetas,
  gaussianVibOptimum,
  gaussianVibSamples,
  sampleCriticalBetas,
  SampledVibArgs,
  SampledVibResult,
  VibArgs,
  VibResult,
  vibModule,
} from "./gaussian-vib";
import { ibLevelCrossings, IbTransitions } from "./claims";
import { part } from "./options";

/** Adam's learning rate of the sampled Deep VIB (cosine decay to 1/100 of it over the run). */
export const SAMPLED_VIB_LR = 0.01;

export const fig2 = part({
  id: "fig2",
  title: "Fig. 2 — Gaussian Deep VIB: KL term and local rank vs β",
  reads: ["eps", "crossCov", "betas", "vibHidden", "vibSteps", "vibN", "vibSampleSteps", "vibBatch", "seed"],
  async run(o): Promise<PartOutput> {
    const d = o.crossCov.length;
    const I = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    const C = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? o.crossCov[i] : 0)));
    const crit = gaussianIbCriticalBetas(Matrix.from(I), Matrix.from(C), Matrix.from(I));
    const betas = o.betas.slice().sort((a, b) => a - b);

    // the paper's setting: a Deep VIB trained on samples
    const sampledBar = new Progress("Figure 2: Deep VIB on samples, β sweep", betas.length);
    const sampled = await mapTasks<SampledVibResult>(
      betas.map((beta) => ({
        module: vibModule,
        fn: "trainSampledGaussianVib",
        args: {
          crossCov: C,
          n: o.vibN,
          betaVib: 1 / beta,
          hidden: o.vibHidden,
          dT: d,
          steps: o.vibSampleSteps,
          batch: o.vibBatch,
          lr: SAMPLED_VIB_LR,
          eps: o.eps,
          evalSamples: 8,
          seed: o.seed,
        } as SampledVibArgs,
      })),
      { workers: o.workers, onDone: () => sampledBar.tick() },
    );
    sampledBar.finish();
    const { X, Y } = gaussianVibSamples(C, o.vibN, o.seed);
    const sampleCrit = sampleCriticalBetas(X, Y);

    // the exact population objective (software check of the optimiser)
    const exactBar = new Progress("Figure 2: exact-objective VIB, β sweep", betas.length);
    const exact = await mapTasks<VibResult>(
      betas.map((beta) => ({
        module: vibModule,
        fn: "trainGaussianVib",
        args: {
          Sxx: I,
          Sxy: C,
          Syy: I,
          betaVib: 1 / beta,
          hidden: o.vibHidden,
          dT: d,
          steps: o.vibSteps,
          lr: 0.01,
          seed: o.seed,
        } as VibArgs,
      })),
      { workers: o.workers, onDone: () => exactBar.tick() },
    );
    exactBar.finish();

    const lr = sampled.map((r) => r.localRank);
    const lrExact = exact.map((r) => r.singularValues.filter((s) => s > o.eps).length);
    const optimum = betas.map((b) => gaussianVibOptimum(crit.betas, b));
    const distinct = Array.from(new Set(crit.betas.filter(Number.isFinite).map((b) => +b.toPrecision(10)))).sort(
      (a, b) => a - b,
    );
    const vlines = distinct.map((b) => ({ x: b, label: `β_c = ${+b.toPrecision(3)}` }));
    const axisTitle = "β (Eq. 8, weighs I(T;Y)); the KL weight is 1/β";
    const widths = `[${[d, ...o.vibHidden, d].join(", ")}]`;

    const figures: Figure[] = [];
    const levelsSeen = Array.from(new Set(lr)).sort((a, b) => a - b);
    const klTraces: Trace[] = [
      ...levelsSeen.map((r): Trace => ({
        type: "scatter",
        mode: "markers",
        name: `local rank ${r}`,
        x: betas.filter((_, i) => lr[i] === r),
        y: sampled.filter((_, i) => lr[i] === r).map((v) => v.kl),
        marker: { size: 10, color: colour(r) },
      })),
      {
        type: "scatter",
        mode: "lines",
        name: "optimum: ½ Σ ln(β/β_c), β_c < β",
        x: betas,
        y: optimum.map((p) => p.kl),
        line: { color: "#333", width: 1.5, dash: "dash" },
      },
    ];
    figures.push(
      new Figure(
        "fig2-kl-vs-beta",
        klTraces,
        houseLayout({
          title:
            `Fig. 2 (left) — KL term of the Deep VIB trained on ${o.vibN} samples vs β, coloured by ` +
            `its local rank (ε = ${o.eps})`,
          x: { title: axisTitle, log: true },
          y: { title: "KL(q(t|x) ‖ N(0, I)), mean over the samples" },
          extra: { legend: { x: 0.02, xanchor: "left", y: 0.98, yanchor: "top", bgcolor: "rgba(255,255,255,0.8)" } },
        }),
      ),
    );
    figures.push(
      lineFigure("fig2-local-rank-vs-beta", {
        title:
          `Fig. 2 (right) — local rank of the encoder's μ(x) vs β (linear encoder ${widths}, ε = ` +
          `${o.eps}), with the Gaussian-IB critical β`,
        x: { title: axisTitle, log: true },
        y: { title: "local rank" },
        extra: { legend: { x: 0.98, xanchor: "right", y: 0.04, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.8)" } },
        series: [
          { name: `Deep VIB on ${o.vibN} samples`, x: betas, y: lr, mode: "lines+markers" },
          { name: "exact objective (software check)", x: betas, y: lrExact, mode: "lines+markers", dash: "dot" },
        ],
        vlines,
      }),
    );

    // the exact objective's minimiser has its rank steps at β_c by algebra: reaching them checks the optimiser
    // (software), not the paper
    const levels = distinct.map((b) => crit.betas.filter((x) => x <= b * (1 + 1e-9)).length);
    const exactSteps = distinct.map((bc, i) => {
      const idx = lrExact.findIndex((r) => r >= levels[i]);
      const measured = idx >= 0 ? betas[idx] : Infinity;
      const before = idx > 0 ? betas[idx - 1] : 0;
      return { bc, level: levels[i], measured, before, ratio: measured / bc };
    });
    const checks: Check[] = exactSteps.map((t) => ({
      name:
        `Gaussian VIB optimiser reaches the analytic minimiser: encoder ε-rank steps to ` +
        `${t.level} within a factor 1.5 above β_c = ${t.bc.toPrecision(4)}`,
      pass: t.ratio <= 1.5 && t.before <= t.bc * 1.0000001,
      detail:
        `reaches ${t.level} at β = ${t.measured.toPrecision(4)} (previous grid point ` +
        `${t.before.toPrecision(4)}), ratio ${t.ratio.toFixed(3)}`,
    }));

    const evidence: IbTransitions = {
      betas,
      localRank: lr,
      criticalBetas: crit.betas,
      sampleCriticalBetas: sampleCrit.betas,
    };
    const crossings = ibLevelCrossings(evidence).levels;
    const fmtCross = (c: (typeof crossings)[number]) =>
      `${c.level} at β ${c.at !== undefined ? `≈ ${c.at.toPrecision(3)}` : c.hi !== undefined ? `≤ ${c.hi.toPrecision(3)}` : "never"}`;
    return {
      figures: figures.map((f) => f.toJSON()),
      summary: {
        "fig2 critical β (from Σ_XY)": distinct.map((b) => b.toPrecision(4)).join(", "),
        "fig2 critical β of the training sample": sampleCrit.betas.map((b) => b.toPrecision(4)).join(", "),
        "fig2 sampled Deep VIB: local rank first stays ≥ k": crossings.map(fmtCross).join(", "),
        "fig2 exact objective: local rank first reaches k": exactSteps
          .map((t) => `${t.level} at β=${t.measured.toPrecision(3)}`)
          .join(", "),
      },
      tables: [
        {
          title: "Fig. 2 sweep",
          columns: [
            "β",
            "β_vib = 1/β",
            "sampled: local rank",
            "sampled: KL",
            "optimum: KL",
            "sampled: μ singular values",
            "sampled: mean σ",
            "exact objective: local rank",
            "exact objective: singular values",
            "optimum: gains √(1 − β_c/β)",
          ],
          rows: betas.map((b, i) => [
            b,
            1 / b,
            lr[i],
            sampled[i].kl,
            optimum[i].kl,
            sampled[i].singularValues.map((s) => s.toExponential(2)).join(" "),
            sampled[i].sigma.map((s) => s.toFixed(3)).join(" "),
            lrExact[i],
            exact[i].singularValues.map((s) => s.toExponential(2)).join(" "),
            optimum[i].gains.map((g) => g.toFixed(3)).join(" "),
          ]),
        },
      ],
      checks,
      notes: [
        "β convention: the paper's IB Lagrangian is I(X;T) − β I(T;Y) (Eq. 8); the VIB loss is −E " +
          "log q(y|t) + β_vib KL, so β = 1/β_vib. Figures use the paper's β.",
        "Critical β (Chechik et al. 2003): β_i^c = 1/(1 − λ_i), λ_i the eigenvalues of " +
          "Σ_{x|y}Σ_x⁻¹, computed from the covariances; for Σ_XY = diag(c) this is 1/c². At the " +
          "optimum of this VIB each open direction has gain √(1 − β_c/β), noise variance β_c/β and " +
          "KL ½ ln(β/β_c) (dashed line, left).",
        `Fig. 2, the paper's setting: a Deep VIB trained on ${o.vibN} samples of (X, Y) (one ` +
          `fixed set, seed ${o.seed}): deep linear encoder ${widths} giving μ(x) and a linear head ` +
          `for log σ(x), reparameterised noise, linear decoder with a unit-variance Gaussian ` +
          `likelihood, closed-form KL; Adam lr ${SAMPLED_VIB_LR} with cosine decay to ` +
          `${SAMPLED_VIB_LR / 100}, ${o.vibSampleSteps} steps of ${o.vibBatch}, PyTorch's default ` +
          `init, float64. Local rank = ε-rank of μ's Jacobian (the same for every input).`,
        "Fig. 2, the software check: the exact population objective (expectations over data and " +
          "noise in closed form) with an input-independent σ, trained with Adam in float64; its " +
          "minimiser's rank steps at β_c by algebra, so reaching them is a check, not evidence.",
      ],
      evidence: { "fig2-ib-transitions": evidence },
    };
  },
});
