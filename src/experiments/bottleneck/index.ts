/**
 * Study: Jacot (2023), "Bottleneck Structure in Learned Features: Low-Dimension vs Regularity Tradeoff"
 * (shared/papers/jacot-2023-bottleneck-structure.txt; its formulas and Appendix E were lost, so the
 * settings are this reproduction's, from the text and the issue).
 *
 * One module per figure, in the paper's order:
 * - fig1-depth-sweep (Fig. 1, Theorem 6, Corollary 8): on the BN-rank-k task (z ~ |N(0, I_k)| by default,
 *   x = g(z), y = h(z) with random shallow ReLU nets g, h), deep ReLU networks of several depths and seeds
 *   trained with an L2 penalty and a large Adam step, in one worker-pool sweep: (a) weight spectra by layer,
 *   (a′) the spectra of W_l on the data, (b) representation spectra, (c) ‖θ‖² against depth with
 *   R⁽⁰⁾·L + R⁽¹⁾ per family of minima, the learned rank against depth (with the symmetric-latent
 *   contrast) and against k, and the numbers per depth;
 * - fig2-symmetry-learning (Fig. 2, Sec. 5): predict the losses of the next T GD steps of
 *   ½‖uuᵀ + E − wwᵀ‖²_F from w₀; the middle representation is 2-dimensional and a bijection of
 *   (|w·u|, ‖w − (w·u)u‖); GD paths drawn through it.
 * The options and presets are options.ts; the claims and their decision rules claims.ts (the ledger); the
 * worker tasks run.ts, with symmetry.ts (the task) and analysis.ts (plane geometry). Each figure is its
 * own call (`jacot.depthSweep({ ... })`, cached on its own); `bottleneck()` runs them all.
 */
import { ExperimentDefinition, runExperiment, RunControls } from "../framework";
import { partCall } from "../parts";
import { ExperimentResult } from "../../report/result";
import { CLAIMS } from "./claims";
import { BottleneckOptions, bottleneckDefaults, bottleneckPresets, validateBottleneck, NAME } from "./options";
import { depthSweep, settingText, TRAIN_READS, TASK_READS } from "./fig1-depth-sweep";
import { latentText } from "../../data";
import { symmetryLearning } from "./fig2-symmetry-learning";

export type { BottleneckOptions } from "./options";
export { bottleneckDefaults } from "./options";

/** The study's definition: options with this reproduction's defaults, presets, its figures (parts) and claims. */
export const bottleneckStudy: ExperimentDefinition<BottleneckOptions> = {
  name: NAME,
  title: "Bottleneck structure in deep L2-regularized networks (Jacot 2023)",
  paper: "jacot-2023-bottleneck-structure.txt",
  defaults: bottleneckDefaults,
  presets: bottleneckPresets,
  validate: validateBottleneck,
  claims: CLAIMS,
  intro: {
    reads: ["k", ...TRAIN_READS, ...TASK_READS, "threshold", "dataThreshold", "contrastLatent"],
    run: (o) => ({
      notes: [
        `Reconstructed / chosen here (the paper's formulas and Appendix E are lost, the latent's ` +
          `distribution with them): latent data from rankscope's latentData ` +
          `(${latentText(o.latent, o.latentShift, o.k)}, g and h random shallow ReLU nets of width ` +
          `100, biases N(0, ${o.generatorBias}²)), the same ${o.n} points for every seed; networks ` +
          `${settingText(o)}, He initialisation, trained on the native BLAS path in ${o.precision} ` +
          `(option precision; float64 follows the curvature engine's exact-gradient trajectory to ` +
          `rounding, float32 is what a PyTorch run would use; spectra and norms are float64 from ` +
          `the trained weights); "large learning rate" read as a large Adam step.`,
        `Ranks: a weight singular value counts when it exceeds ${o.threshold} (Theorem 6 ` +
          `separates values near 1 from values near 0); a run's learned rank is the most frequent ` +
          `count over the middle layers 2 … L − 1; it recovers k when that equals k (the ledger's ` +
          `rules read this count). Beside it, the data-used rank counts the singular values of ` +
          `H_(l−1)·W_lᵀ (W_l on the layer's training inputs) above ${o.dataThreshold} × the ` +
          `largest: a direction of W_l no input reaches (not yet decayed) counts in the first and ` +
          `not in the second. Representations are the pre-activations of the training points, ` +
          `centred (uncentred dotted in Fig. (b)).`,
        `Why the latent may matter (the contrast runs, ${latentText(o.contrastLatent, 0, o.k)}, ` +
          `test it; their learned ranks are in the summary): a latent symmetric about 0 with the ` +
          `generators' small biases makes the target map nearly positively homogeneous, and a ReLU ` +
          `network's non-negative middle representation of a neighbourhood of 0 in ℝ^k needs k + 1 ` +
          `directions (the "completely positive" condition of Sec. 3.1); a one-signed latent does ` +
          `not need the extra direction. The paper does not give its latent distribution.`,
      ],
    }),
  },
  parts: [depthSweep, symmetryLearning],
};

/** Runs the whole study (every figure, each cached on its own; `force: true` recomputes). */
export function bottleneck(options: Partial<BottleneckOptions> & RunControls = {}): Promise<ExperimentResult> {
  return runExperiment(bottleneckStudy, options);
}

/** The paper's figures one call each, e.g. `jacot.depthSweep({ depths: [4, 8, 12] })`; `jacot.study()` runs all. */
export const jacot = {
  /** every figure and the ledger over all of them (the same as `bottleneck`) */
  study: bottleneck,
  depthSweep: partCall(bottleneckStudy, depthSweep),
  symmetryLearning: partCall(bottleneckStudy, symmetryLearning),
};
