/**
 * Study: Singh, Bachmann & Hofmann (2021), "Analytic Insights into Structure and Rank of Neural
 * Network Hessian Maps" (shared/papers/singh-2021-hessian-rank.md).
 *
 * One module per figure, in the paper's order: fig1-spectra (Fig. 1), thm5-column-blocks (Theorem 5 and
 * block-column independence, Sec. 4.3), fig2-rank-sweeps (Figs. 2a–2c), s91-depth (rank vs depth, Sec. 5.1 /
 * S9.1), fig6-bias (Fig. 6, Sec. 6), fig3-spectra (Fig. 3 and the regime sweep of Sec. 5.2),
 * fig4-reconstruction (Fig. 4), fig5-training (Fig. 5), thm9-relu-bound (Theorem 9 / Fact 11, Sec. 7.1),
 * cor10-relu-minimum (Corollary 10),
 * s9-appendix (activations × losses × depths, Appendix S9). The claims ledger is claims.ts; the options and presets
 * options.ts;
 * the measurement of one configuration (run in the worker pool) measure.ts. Each figure is its own call
 * (`singh.fig2a({ ... })`, cached on its own); `hessianRank()` runs them all. Plus `rankExplorer`.
 */
import { fromRecord } from "../estimate";
import { defineStudy } from "../define";
import { singhSource } from "./sweeps";
import { CLAIMS } from "./claims";
import { hessianRankDefaults, hessianRankPresets, hessianRankRules, checkHessianRank, NAME } from "./options";
import { fig1 } from "./fig1-spectra";
import { fig2a, fig2bc } from "./fig2-rank-sweeps";
import { fig6 } from "./fig6-bias";
import { fig3, fig3Regime } from "./fig3-spectra";
import { fig4 } from "./fig4-reconstruction";
import { fig5 } from "./fig5-training";
import { thm5 } from "./thm5-column-blocks";
import { depth } from "./s91-depth";
import { thm9 } from "./thm9-relu-bound";
import { cor10 } from "./cor10-relu-minimum";
import { appendix } from "./s9-appendix";
import { measure, spectrumGaps } from "./measure";

export type { HessianRankOptions } from "./options";
export { hessianRankDefaults } from "./options";
export { rankExplorer } from "./explorer";
export type { RankExplorerOptions } from "./explorer";

/** The study's one definition (define.ts): options with a rule each, presets, figures (parts), claims. */
export const hessianRankStudy = defineStudy({
  name: NAME,
  namespace: "singh",
  title: "Hessian rank of neural networks",
  authors: "Singh et al. 2021",
  paper: "singh-2021-hessian-rank.md",
  notebook: "hessian-rank",
  defaults: hessianRankDefaults,
  presets: hessianRankPresets,
  rules: hessianRankRules,
  check: checkHessianRank,
  estimate: () => fromRecord(NAME),
  claims: CLAIMS,
  intro: {
    reads: ["source", "cifarDir", "downscale", "d", "inputs"],
    run: (o) => ({
      summary: { data: `${singhSource(o)} ${o.downscale}-downscaled to d = ${o.d}, inputs ${o.inputs}` },
      notes: [
        "Rank = number of eigenvalues with |λ| > max|λ| · p · eps (float64), as the authors' code " +
          "and numpy's matrix_rank.",
        "For cross-entropy the formulas use K − 1 (the softmax Hessian has rank K − 1), as the authors' code does.",
        `Non-linear spectra are judged by where they drop, not by a threshold: the gap ratio ` +
          `|λ|_(f)/|λ|_(f+1) at the linear formula's index f and the index of the largest ratio ` +
          `|λ|_(i)/|λ|_(i+1) above the float64 noise floor (rules in the ledger).`,
      ],
    }),
  },
  parts: { fig1, thm5, fig2a, fig2bc, depth, fig6, fig3, fig3Regime, fig4, fig5, thm9, cor10, appendix },
});

/** The paper's figures one call each, e.g. `singh.<figure>({ ... })`; `singh.study()` runs them all with the ledger. */
export const singh = hessianRankStudy.calls;

/** Runs the whole study (every figure, each cached on its own; `force: true` recomputes); the same as `singh.study`. */
export const hessianRank = singh.study;

export { measure, spectrumGaps };
