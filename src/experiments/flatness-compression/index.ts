/**
 * Study: Chen, Recanatesi & Shea-Brown (2024), "A simple connection from loss flatness to compressed
 * representations in neural networks" (shared/papers/chen-2024-flatness-compression.txt).
 *
 * One module per figure, in the paper's order: fig1-2-training-trends (Figs. 1, 2: the VGG over learning
 * rates and batch sizes; Figs. E.8, E.7: the same for the authors' MLP), fig3-test-set (Fig. 3: test and
 * misclassified inputs), figD4-bound-chain (Fig. D.4 and Lemma A.1), figD5-D6-correlations (Figs. D.5,
 * D.6). The training runs are one worker task each (run.ts), shared between the figures that use them
 * (shared.ts); the options and presets are in options.ts, the claims ledger in claims.ts.
 * Each figure is its own call (`chen.fig1({ ... })`, cached on its own); `flatnessCompression()` runs all.
 */
import { defineStudy } from "../define";
import { resolveSource } from "../data-source";
import { CLAIMS } from "./claims";
import {
  FlatnessCompressionOptions,
  flatnessCompressionDefaults,
  flatnessCompressionPresets,
  flatnessCompressionRules,
  checkFlatnessCompression,
  NAME,
} from "./options";
import { fig1, fig2, figE8, figE7 } from "./fig1-2-training-trends";
import { fig3, fig3Mlp } from "./fig3-test-set";
import { figD4, lemmaA1 } from "./figD4-bound-chain";
import { figD5, figD6 } from "./figD5-D6-correlations";

export type { FlatnessCompressionOptions } from "./options";
export { flatnessCompressionDefaults } from "./options";
export { chenCheckpoints, interpolationIndex } from "./shared";

/** The study's definition: options with the paper's defaults, presets, its figures (parts) and claims. */
/**
 * Chen's training budget in single-thread CPU-hours: runs × steps × the step times measured here (issue 41: float32,
 * one thread, batch 20: the authors' MLP 784-500-500-500 1.32 ms, their VGG 6.92 ms), before any metric.
 */
export function chenCpuHours(o: FlatnessCompressionOptions): { cpuHours: number; detail: string } {
  const settings = (lrs: number[], batches: number[]) =>
    new Set([...lrs.map((l) => `${l}/${o.baseBatch}`), ...batches.map((b) => `${o.baseLr}/${b}`)]).size;
  const mlpRuns = settings(o.learningRates, o.batchSizes) * o.seeds;
  const vggRuns = settings(o.vggLearningRates, o.vggBatchSizes) * o.vggSeeds;
  const seconds = mlpRuns * o.steps * 1.32e-3 + vggRuns * o.vggMaxSteps * 6.92e-3;
  return {
    cpuHours: seconds / 3600,
    detail:
      `${mlpRuns} MLP runs × ${o.steps} steps at 1.32 ms and ${vggRuns} VGG runs × up to ${o.vggMaxSteps} steps at ` +
      `6.92 ms (float32 steps measured on one thread), before the metrics`,
  };
}

/** The study's one definition (define.ts): options with a rule each, presets, figures (parts), claims. */
export const flatnessCompressionStudy = defineStudy({
  name: NAME,
  namespace: "chen",
  title: "Flatness and compressed representations",
  authors: "Chen, Recanatesi & Shea-Brown 2024",
  paper: "chen-2024-flatness-compression.txt",
  notebook: "flatness-compression",
  defaults: flatnessCompressionDefaults,
  presets: flatnessCompressionPresets,
  rules: flatnessCompressionRules,
  check: checkFlatnessCompression,
  estimate: (o) => chenCpuHours(o),
  claims: CLAIMS,
  intro: {
    reads: [
      "source",
      "cifarDir",
      "mlpClasses",
      "vggClasses",
      "lrUnits",
      "definitions",
      "steps",
      "vggSteps",
      "vggMaxSteps",
      "vggAfterZero",
      "mlpLayer",
      "hidden",
    ],
    run: (o) => {
      const source = resolveSource(o.source, o.cifarDir ?? undefined);
      return {
        summary: {
          data: `${source}: MLP classes [${o.mlpClasses}], VGG classes [${o.vggClasses}]`,
          "learning-rate units": o.lrUnits,
          definitions: o.definitions,
          "MLP representation measured":
            o.mlpLayer === "output"
              ? "the output (the paper's figures)"
              : `hidden layer ${o.mlpLayer} of ${o.hidden.length} (f = input → its activations)`,
        },
        notes: [
          "Reconstructed / chosen here: sharpness is Eq. 3 (its interpolation form) on the 100 " +
            "training inputs, and the figures plot √S; the log volume is Eq. 10 over all min(K, d) " +
            "singular values of ∇_x f (the authors' code: √S on 20 inputs and the top 3, option definitions: " +
            '"authors-code"); all averages over inputs are plain means of the per-input values (for ' +
            "the log volume, the mean of the logs).",
          `Training: plain SGD on the quadratic loss with one-hot targets, PyTorch's default ` +
            `initialisation U(±1/√fan_in); the MLP ${o.steps} steps and the VGG ` +
            (String(o.vggSteps) +
              String(
                o.vggMaxSteps > o.vggSteps
                  ? `, or, for a VGG run without zero training error before then, until it has it and ` +
                      `${o.vggAfterZero} steps more (at most ${o.vggMaxSteps})`
                  : "",
              ) +
              ` `) +
            `(the authors' code ran 750 000; their Fig. 2 runs past 50 000). The MLP's SGD runs on ` +
            `the native BLAS path (option mlpPrecision), the VGG in float32 on the native BLAS path ` +
            `too (im2col + sgemm; tfjs when the addon is missing). The same training and test images ` +
            `for every run (drawn with seed 0); seeds change the initialisation and the batch order. ` +
            `Metrics are exact float64 for the MLP (the engine's reverse pass), float32 autodiff for the VGG.`,
          `Data: ` +
            String(source) +
            String(
              source !== "cifar10"
                ? " — the paper's VGG ran on CIFAR-10 classes 0 and 1, which cannot be installed offline " +
                    "here: pass cifarDir (a folder with the CIFAR-10 binary batches) to run the study on it"
                : "",
            ) +
            `. ` +
            `The authors' MLP used all ten classes (option mlpClasses).`,
          "Eq. 28's bound chain uses the first dense layer's weights; it does not apply to the conv " +
            "net (∇_W f = J ⊗ x holds only for a dense first layer).",
          o.mlpLayer === "output"
            ? "The MLP's metrics are of the network's output, as the paper's figures; option mlpLayer " +
              "measures a hidden layer instead (f = input → that layer's activations, θ the parameters " +
              "before it: the paper says its results hold for any middle layer)."
            : `The MLP's metrics are of hidden layer ${o.mlpLayer} (option mlpLayer): f = input → its ` +
              `activations, θ the parameters of layers 1–${o.mlpLayer}; sharpness (Eq. 3) is then that ` +
              `map's, not the loss's, and Lemma A.1 is not assessed.`,
        ],
      };
    },
  },
  parts: { fig1, fig2, fig3, figD5, figE8, figE7, fig3Mlp, figD4, lemmaA1, figD6 },
});

/** The paper's figures one call each, e.g. `chen.<figure>({ ... })`; `chen.study()` runs them all with the ledger. */
export const chen = flatnessCompressionStudy.calls;

/** Runs the whole study (every figure, each cached on its own; `force: true` recomputes); the same as `chen.study`. */
export const flatnessCompression = chen.study;
