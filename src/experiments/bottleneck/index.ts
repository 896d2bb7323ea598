/**
 * Study: Jacot (2023), "Bottleneck Structure in Learned Features: Low-Dimension vs Regularity Tradeoff"
 * (shared/papers/jacot-2023-bottleneck-structure.txt; its formulas and Appendix E were lost, so the
 * settings are this reproduction's, from the text and the issue).
 *
 * One module per figure, in the paper's order:
 * - fig1-depth-sweep (Fig. 1, Theorem 6, Corollary 8): on the BN-rank-k task (z ~ N(0, I_k) and generator
 *   biases N(0, 1) by default, x = g(z), y = h(z) with random shallow ReLU nets g, h), deep ReLU networks of several
 *   depths and task instances trained with an L2 penalty and a large Adam step, in one worker-pool sweep: (a) weight
 *   spectra by layer, (a′) the spectra of W_l on the data, (b) representation spectra, (c) ‖θ‖² against depth with
 *   R⁽⁰⁾·L + R⁽¹⁾ per family of minima, the learned rank against depth (with the one-signed, small-bias contrast)
 *   and against k, and the numbers per depth;
 * - fig2-symmetry-learning (Fig. 2, Sec. 5): predict the losses of the next T GD steps of
 *   ½‖uuᵀ + E − wwᵀ‖²_F from w₀; the middle representation is 2-dimensional and a bijection of
 *   (|w·u|, ‖w − (w·u)u‖); GD paths drawn through it.
 * The options and presets are options.ts; the claims and their decision rules claims.ts (the ledger); the
 * worker tasks run.ts, with symmetry.ts (the task) and analysis.ts (plane geometry). Each figure is its
 * own call (`jacot.depthSweep({ ... })`, cached on its own); `bottleneck()` runs them all.
 */
import { fromRecord } from "../estimate";
import { defineStudy } from "../define";
import { CLAIMS } from "./claims";
import { bottleneckDefaults, bottleneckPresets, bottleneckRules, checkBottleneck, NAME } from "./options";
import { depthSweep, settingText, TRAIN_READS, TASK_READS } from "./fig1-depth-sweep";
import { latentText } from "../../data";
import { symmetryLearning } from "./fig2-symmetry-learning";

export type { BottleneckOptions } from "./options";
export { bottleneckDefaults } from "./options";

/** The study's one definition (define.ts): options with a rule each, presets, figures (parts), claims. */
export const bottleneckStudy = defineStudy({
  name: NAME,
  namespace: "jacot",
  title: "Bottleneck structure in deep L2-regularized networks",
  authors: "Jacot 2023",
  paper: "jacot-2023-bottleneck-structure.txt",
  notebook: "bottleneck",
  defaults: bottleneckDefaults,
  presets: bottleneckPresets,
  rules: bottleneckRules,
  check: checkBottleneck,
  estimate: () => fromRecord(NAME),
  claims: CLAIMS,
  intro: {
    reads: [
      "k",
      ...TRAIN_READS,
      ...TASK_READS,
      "threshold",
      "dataThreshold",
      "contrastLatent",
      "contrastGeneratorBias",
    ],
    run: (o) => ({
      notes: [
        `Reconstructed / chosen here (the paper's formulas and Appendix E are lost, the latent's ` +
          `distribution and the generators' parameter scales with them): latent data from rankscope's latentData ` +
          `(${latentText(o.latent, o.latentShift, o.k)}, g and h random shallow ReLU nets of width ` +
          `100, weights N(0, 1/fan_in), biases N(0, ${o.generatorBias}²)); seed s is a task instance of its own ` +
          `(generator draws and latent sample) and an initialisation, the same instance at every depth, so every ` +
          `test's replicates are task instances; networks ` +
          `${settingText(o)}, He initialisation, trained on the native BLAS path in ${o.precision} ` +
          `(option precision; float64 follows the curvature engine's exact-gradient trajectory to ` +
          `rounding, float32 is what a PyTorch run would use; spectra and norms are float64 from ` +
          `the trained weights); "large learning rate" read as a large Adam step.`,
        `Why this setting (the ledger's differences give the whole argument): Appendix E's surviving text samples ` +
          `"a k-dimensional latent vector" and builds g, h as "shallow networks with random parameters"; read ` +
          `plainly, a standard normal latent and biases at the weights' scale. It is also the setting in which ` +
          `Sec. 3.1's observations can be seen: over-estimating minima at small depth, fewer as depth grows (the ` +
          `rank term L·R⁽⁰⁾ gains on the regularity term R⁽¹⁾). The contrast, ` +
          `${latentText(o.contrastLatent, 0, o.k)} with generator biases of sd ${o.contrastGeneratorBias}, is the ` +
          `most favourable case: a one-signed latent does not need the extra direction a ReLU network's ` +
          `non-negative representation of a neighbourhood of 0 in ℝ^k takes (the "completely positive" condition ` +
          `of Sec. 3.1), and every depth recovers k there.`,
        `Ranks: a weight singular value counts when it exceeds ${o.threshold} (Theorem 6 ` +
          `separates values near 1 from values near 0); a run's learned rank is the most frequent ` +
          `count over the middle layers 2 … L − 1; it recovers k when that equals k (the ledger's ` +
          `rules read this count). Beside it, the data-used rank counts the singular values of ` +
          `H_(l−1)·W_lᵀ (W_l on the layer's training inputs) above ${o.dataThreshold} × the ` +
          `largest: a direction of W_l no input reaches (not yet decayed) counts in the first and ` +
          `not in the second. Representations are the pre-activations of the training points, ` +
          `centred (uncentred dotted in Fig. (b)).`,
        `‖θ‖² against depth: at a critical point of the L2-regularised loss a ReLU network is balanced, ` +
          `‖W_(l+1)‖²_F = ‖W_l‖²_F + ‖b_l‖² (rescaling a neuron's incoming and outgoing weights leaves the ` +
          `function unchanged), so ‖θ‖² = L·‖W_1‖²_F + Σ_l (L − l + 1)‖b_l‖² exactly and a line in L is nearly ` +
          `automatic once the per-layer norm settles; that the slope is the rank (the per-layer norm Σσ_i² equals ` +
          `the number of singular values above the threshold, i.e. they sit at 1) is what the theory adds. The ` +
          `runs' balance errors are in the table "Every run".`,
      ],
    }),
  },
  parts: { depthSweep, symmetryLearning },
});

/** The paper's figures one call each, e.g. `jacot.<figure>({ ... })`; `jacot.study()` runs them all with the ledger. */
export const jacot = bottleneckStudy.calls;

/** Runs the whole study (every figure, each cached on its own; `force: true` recomputes); the same as `jacot.study`. */
export const bottleneck = jacot.study;
