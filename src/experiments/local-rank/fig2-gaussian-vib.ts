/**
 * Fig. 2: Deep VIB on jointly Gaussian X, Y ∈ R⁵ with Σ_XY = diag(crossCov): the KL term and the
 * encoder's local rank against β, with the Gaussian-IB critical β values computed from the covariances.
 * The exact population objective is minimised (gaussian-vib.ts), so its rank steps at β_c hold by
 * algebra: they are software checks of the optimiser, and the claim is left not assessed (see claims.ts).
 */
import { Matrix } from "../../linalg";
import { Figure, lineFigure, houseLayout, colour } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import { gaussianIbCriticalBetas, VibArgs, VibResult, vibModule } from "./gaussian-vib";
import { part } from "./options";

export const fig2 = part({
  id: "fig2",
  title: "Fig. 2 — Gaussian Deep VIB: KL term and local rank vs β",
  reads: ["eps", "crossCov", "betas", "vibHidden", "vibSteps", "seed"],
  async run(o): Promise<PartOutput> {
    const d = o.crossCov.length;
    const I = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    const C = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? o.crossCov[i] : 0)));
    const crit = gaussianIbCriticalBetas(Matrix.from(I), Matrix.from(C), Matrix.from(I));
    const vibBar = new Progress("Figure 2: Deep VIB β sweep", o.betas.length);
    const vib = await mapTasks<VibResult>(
      o.betas.map((beta) => ({ module: vibModule, fn: "trainGaussianVib", args: { Sxx: I, Sxy: C, Syy: I, betaVib: 1 / beta, hidden: o.vibHidden, dT: d, steps: o.vibSteps, lr: 0.01, seed: o.seed } as VibArgs })),
      { workers: o.workers, onDone: () => vibBar.tick() },
    );
    vibBar.finish();
    const lr = vib.map((r) => r.singularValues.filter((s) => s > o.eps).length);
    const distinct = Array.from(new Set(crit.betas.filter(Number.isFinite).map((b) => +b.toPrecision(10)))).sort((a, b) => a - b);
    const levels = distinct.map((b) => crit.betas.filter((x) => x <= b * (1 + 1e-9)).length); // rank above each critical β
    const vlines = distinct.map((b) => ({ x: b, label: `β_c = ${b.toPrecision(3)}` }));
    const figures: Figure[] = [];
    figures.push(new Figure("fig2-kl-vs-beta", [
      ...Array.from(new Set(lr)).sort().map((r) => ({ type: "scatter", mode: "markers", name: `local rank ${r}`, x: o.betas.filter((_, i) => lr[i] === r), y: vib.filter((_, i) => lr[i] === r).map((v) => v.kl), marker: { size: 10, color: colour(r) } })),
    ], houseLayout({ title: "Fig. 2 (left) — KL term of the Deep VIB objective vs β, coloured by local rank", x: { title: "β (weighs I(T;Y); β = 1/β_vib)", log: true }, y: { title: "KL(q(t|x) ‖ N(0, I))" } })));
    figures.push(lineFigure("fig2-local-rank-vs-beta", {
      title: `Fig. 2 (right) — local rank of the encoder vs β, with the Gaussian-IB critical β (ε = ${o.eps})`, x: { title: "β (paper convention)", log: true }, y: { title: "local rank" },
      series: [{ name: `Deep VIB, linear encoder [${[d, ...o.vibHidden, d].join(", ")}]`, x: o.betas, y: lr, mode: "lines+markers" }],
      vlines,
    }));
    // measured transition points: the first β at which the local rank reaches each level
    const transitions = distinct.map((bc, i) => {
      const idx = lr.findIndex((r) => r >= levels[i]);
      const measured = idx >= 0 ? o.betas[idx] : Infinity;
      const before = idx > 0 ? o.betas[idx - 1] : 0;
      return { bc, level: levels[i], measured, before, ratio: measured / bc };
    });
    // the exact Gaussian VIB objective has its rank steps at β_c by algebra: reaching them checks the optimiser and gradient (software), not the paper
    const checks: Check[] = transitions.map((t) => ({ name: `Gaussian VIB optimiser reaches the analytic minimiser: encoder ε-rank steps to ${t.level} within a factor 1.5 above β_c = ${t.bc.toPrecision(4)}`, pass: t.ratio <= 1.5 && t.before <= t.bc * 1.0000001, detail: `reaches ${t.level} at β = ${t.measured.toPrecision(4)} (previous grid point ${t.before.toPrecision(4)}), ratio ${t.ratio.toFixed(3)}` }));
    const why = `Assessed only on the analytic model, and not assessed there: this run minimises the exact population Gaussian VIB objective, whose minimiser's rank steps at β_c = ${distinct.map((b) => b.toPrecision(3)).join(", ")} by algebra, so its steps (measured: ${transitions.map((t) => `rank ${t.level} first at β = ${t.measured.toPrecision(3)}`).join(", ")}) test the optimiser (a software check here) rather than the paper's trained Deep VIB on samples.`;
    return {
      figures: figures.map((f) => f.toJSON()),
      summary: {
        "fig2 critical β (from Σ_XY)": distinct.map((b) => b.toPrecision(4)).join(", "),
        "fig2 measured transitions": transitions.map((t) => `${t.level} at β=${t.measured.toPrecision(3)}`).join(", "),
      },
      tables: [{ title: "Fig. 2 sweep", columns: ["β", "β_vib = 1/β", "KL", "local rank", "encoder singular values"], rows: vib.map((v, i) => [v.beta, v.betaVib, v.kl, lr[i], v.singularValues.map((s) => s.toExponential(2)).join(" ")]) }],
      checks,
      notes: [
        "β convention: the paper's IB Lagrangian is I(X;T) − β I(T;Y); VIB code minimises −E log q(y|t) + β_vib KL, so β = 1/β_vib. Figures use the paper's β.",
        "Critical β (Chechik et al. 2003): β_i^c = 1/(1 − λ_i), λ_i the eigenvalues of Σ_{x|y}Σ_x⁻¹, computed from the covariances; for Σ_XY = diag(c) this is 1/c².",
        "Fig. 2 reconstruction: the encoder is deep linear with an input-independent noise scale σ (the Gaussian-IB form T = A X + η), the decoder linear with a unit-variance Gaussian likelihood, and the expectation over the noise is taken exactly (the objective depends on the data only through the covariances); trained with Adam in float64. Local rank = ε-rank of the encoder Jacobian A.",
      ],
      unassessed: { "fig2-ib-transitions": why },
    };
  },
});
