/**
 * Study: Patel & Shwartz-Ziv (2024), "Local Rank and Information Compression in Deep Neural Networks"
 * (shared/papers/patel-2024-local-rank.md).
 *
 * Local rank LR^ε_l = mean over inputs of the ε-rank of ∂z_l/∂x (float64, src/metrics).
 * One module per figure, in the paper's order: fig1-training (Fig. 1, the local rank of every layer over
 * training, and the sensitivity of the local rank to ε on the same trained networks), fig2-gaussian-vib
 * (Fig. 2, Deep VIB on Gaussian X, Y ∈ R⁵: KL term and local rank against β with the Gaussian-IB critical
 * β), fig3-image-vib (Fig. 3, Deep VIB on MNIST / Fashion-MNIST). The worker modules are mlp.ts,
 * gaussian-vib.ts and vib-images.ts; the options and presets options.ts; the claims ledger claims.ts.
 * Each figure is its own call (`patel.fig2({ ... })`, cached on its own); `localRankExperiment()` runs all.
 */
import { fromRecord } from "../estimate";
import { defineStudy } from "../define";
import { CLAIMS } from "./claims";
import { localRankDefaults, localRankPresets, localRankRules, checkLocalRank, NAME, STRONG_DECAY } from "./options";
import { fig1 } from "./fig1-training";
import { fig2 } from "./fig2-gaussian-vib";
import { fig3 } from "./fig3-image-vib";

export type { LocalRankStudyOptions } from "./options";
export { localRankDefaults, STRONG_DECAY } from "./options";

/** The study's one definition (define.ts): options with a rule each, presets, figures (parts), claims. */
export const localRankStudy = defineStudy({
  name: NAME,
  namespace: "patel",
  title: "Local rank and information compression",
  authors: "Patel & Shwartz-Ziv 2024",
  paper: "patel-2024-local-rank.md",
  notebook: "local-rank",
  defaults: localRankDefaults,
  presets: localRankPresets,
  rules: localRankRules,
  check: checkLocalRank,
  // Fig. 1 trains for steps (Gaussian) and mnistSteps (MNIST); its recorded time scales with them
  estimate: (o) =>
    fromRecord(
      NAME,
      { fig1: (o.steps + o.mnistSteps) / (localRankDefaults.steps + localRankDefaults.mnistSteps) },
      "the paper preset's recorded time, Fig. 1 scaled by its training steps",
    ),
  claims: CLAIMS,
  intro: {
    reads: ["eps"],
    run: (o) => ({ summary: { "local rank ε (default)": o.eps } }),
  },
  parts: { fig1, fig2, fig3 },
  /** Fig. 1's strong-decay variant, to spread into `fig1`'s options: `patel.fig1({ ...patel.STRONG_DECAY })` */
  settings: { STRONG_DECAY },
});

/** The paper's figures one call each, e.g. `patel.<figure>({ ... })`; `patel.study()` runs them all with the ledger. */
export const patel = localRankStudy.calls;

/** Runs the whole study (every figure, each cached on its own; `force: true` recomputes); the same as `patel.study`. */
export const localRankExperiment = patel.study;
