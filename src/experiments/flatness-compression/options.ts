/**
 * The options of the Chen, Recanatesi & Shea-Brown (2024) study: the paper's settings as defaults (where
 * the paper is silent, the authors' code; where both are, this reproduction's choice, said so in the
 * figures' notes and the ledger's differences), the quick preset, and their validation (every error
 * names the option and what it allows, before any training starts).
 */
import { defaultWorkers } from "../../parallel";
import type { Preset } from "../framework";
import type { OptionRules } from "../define";
import { OptionError, checkOption, int, num, oneOf, listOf, either, str } from "../../util/options";
import { PRECISIONS, Precision } from "../../training";
import { ACTIVATIONS, Activation, VggLayer, CHEN_VGG_LAYERS, vggFeatureShape, VGG_INITS, VggInit } from "../../nets";
import { IMAGE_SOURCES, ImageSource, resolveSource } from "../data-source";

export const NAME = "flatness-compression";

/**
 * Units of the learning rates: the authors' PyTorch MSELoss (mean over samples and outputs) or ours (mean ½‖f − y‖²).
 */
export const LR_UNITS = ["authors", "half-squared"] as const;
export type LrUnits = (typeof LR_UNITS)[number];

/** The metrics' definitions: the paper's equations, or what the authors' code computes. */
export const DEFINITIONS = ["paper", "authors-code"] as const;
export type Definitions = (typeof DEFINITIONS)[number];

/** Options of the Chen et al. (2024) study; each figure reads its own subset (see `chen.<figure>.options()`). */
export interface FlatnessCompressionOptions {
  /** image data: "auto" = CIFAR-10 if cifarDir is set, else Fashion-MNIST (Debian), else MNIST */
  source: ImageSource;
  cifarDir: string | null;
  /** the MLP's classes (relabelled 0..k−1): the authors' MLP used all ten */
  mlpClasses: number[];
  /** the VGG's classes: the paper's two (CIFAR-10 classes 0 and 1) */
  vggClasses: number[];
  /** MLP hidden widths and activation (the authors' code: 784-500-500-500-K, tanh) */
  hidden: number[];
  activation: Activation;
  /**
   * the MLP layer whose representation is measured: "output" (the paper's figures) or a hidden layer 1 … hidden.length,
   * where f is the map from the input to that layer's activations and θ the parameters before it (Sec. 3: "our results
   * apply to representations of any middle layer by defining f to be the transformation from input to the middle
   * layer"). Lemma A.1 (Eq. 3 ≈ Tr H of the loss) is about the output and is not assessed on a hidden layer.
   */
  mlpLayer: "output" | number;
  /**
   * units of every learning rate: "authors" = PyTorch's MSELoss, the mean over samples and the K outputs
   * of (f − y)² (its gradient is 2/K times that of ours, so lr 0.1 there is an effective 0.2/K here), or
   * "half-squared" = the mean over samples of ½‖f − y‖²
   */
  lrUnits: LrUnits;
  /**
   * "paper": √S of Eq. 3 and the log volume of Eq. 10 over all min(K, d) singular values; "authors-code":
   * √S on the first 20 inputs (their code returns √((1/n) Σ_i Σ_k ‖∇_θ f_k(x_i)‖²), summed over the outputs) and the
   * log volume over the top 3 singular values
   */
  definitions: Definitions;
  /** learning rates swept at baseBatch, batch sizes swept at baseLr (MLP) */
  learningRates: number[];
  batchSizes: number[];
  baseLr: number;
  baseBatch: number;
  seeds: number;
  steps: number;
  checkpoints: number;
  nTrain: number;
  /** training inputs the metrics are measured on (the paper: 100) */
  nEval: number;
  nTest: number;
  /** test inputs (and at most this many misclassified ones) for Fig. 3 */
  nTestEval: number;
  /**
   * precision of the MLP's SGD (native BLAS path): "float32" as the authors' PyTorch code (default), or
   * "float64"; the metrics are float64 either way
   */
  mlpPrecision: Precision;
  /** Hutchinson probes for Tr H_f at the end of each MLP run (0 = skip) */
  traceProbes: number;
  /** the VGG-style conv net of Figs. 1–3 and D.5 */
  vggLayers: VggLayer[];
  vggHidden: number[];
  /**
   * output units of the VGG: the authors' code keeps 10 (its one-hot targets have n_classes = 10) while training on
   * two classes; the unused outputs have target 0. With lrUnits "authors" the step is 2/K × lr in ½‖f − y‖² units.
   */
  vggOutputs: number;
  /** "authors": conv kernels N(0, √(2/(9·out_channels))), zero conv biases; "pytorch-default": U(±1/√fan_in) */
  vggInit: VggInit;
  vggLearningRates: number[];
  vggBatchSizes: number[];
  vggSeeds: number;
  /** SGD steps of every VGG run, with its scheduled checkpoints (log-spaced early, even late) */
  vggSteps: number;
  /**
   * a VGG run that has no zero-training-error checkpoint before step vggSteps trains on (the training error checked
   * every min(250, ⌈vggSteps/8⌉) steps) until it has zero training error, then vggAfterZero steps more, with a
   * checkpoint
   * at each of the two; at most vggMaxSteps in all (vggMaxSteps = vggSteps turns this off). The paper's claims are
   * about the phase after interpolation, which a run needs to have reached.
   */
  vggMaxSteps: number;
  /** the window after the first zero-error check at step t0: max(vggAfterZero, ⌈vggAfterZeroRatio · t0⌉) steps */
  vggAfterZero: number;
  vggAfterZeroRatio: number;
  vggTrain: number;
  /** Eq. 3 for the VGG on the first this-many inputs of each set (the authors' code: 20) */
  vggSharpnessSamples: number;
  workers: number;
}

export const ALL_CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The paper's settings (the paper preset); where the paper is silent, the authors' code. */
export const flatnessCompressionDefaults: FlatnessCompressionOptions = {
  source: "fashion-mnist",
  cifarDir: null,
  mlpClasses: ALL_CLASSES,
  vggClasses: [0, 1],
  hidden: [500, 500, 500],
  activation: "tanh",
  mlpLayer: "output",
  lrUnits: "authors",
  definitions: "paper",
  learningRates: [0.05, 0.1, 0.2],
  batchSizes: [8, 20, 32],
  baseLr: 0.1,
  baseBatch: 20,
  seeds: 5,
  // the authors ran 750 000 steps on all 60 000 images (≈ 25 min per run here); on 1 000 images 80 000 steps reach zero
  // training error (measured, seed 0: lr 0.1 at ≈ 38 000 steps, lr 0.05 at ≈ 50 000–60 000), so the phase after
  // interpolation that the paper's claims are about is in every run; the runs' tables say when each got there
  steps: 80000,
  checkpoints: 20,
  nTrain: 1000,
  nEval: 100,
  nTest: 2000,
  nTestEval: 100,
  mlpPrecision: "float32",
  traceProbes: 64,
  vggLayers: CHEN_VGG_LAYERS,
  vggHidden: [128],
  vggOutputs: 10,
  vggInit: "authors",
  vggLearningRates: [0.05, 0.1, 0.2],
  vggBatchSizes: [8, 20, 32],
  vggSeeds: 5,
  // with the authors' 10 outputs, their initialisation and lr units (the step on ½‖f − y‖² is 0.2 × lr) on 1 000 images:
  // ≥ 99 % training accuracy at step 2 000 and zero training error at 6 000 (measured, lr 0.1, batch 20, seed 0); the
  // schedule covers 8 000 steps, a run without zero error by then trains on (its accuracy checked every 500 steps)
  vggSteps: 8000,
  vggMaxSteps: 32000,
  // the window after zero error at t₀: at least as long again (ratio 1), at least 2 000 steps
  vggAfterZero: 2000,
  vggAfterZeroRatio: 1,
  vggTrain: 1000,
  vggSharpnessSamples: 20,
  workers: defaultWorkers(),
};

export const flatnessCompressionPresets: Record<Preset, Partial<FlatnessCompressionOptions>> = {
  paper: {},
  // the authors' budget (their code): 750 000 SGD steps on the whole training set (Fashion-MNIST 60 000 images; CIFAR-10
  // classes 0 and 1, 10 000 images), MLP and VGG alike, 5 seeds per setting
  full: {
    steps: 750000,
    nTrain: 60000,
    checkpoints: 50,
    vggSteps: 750000,
    vggMaxSteps: 750000,
    vggTrain: 10000,
  },
  quick: {
    hidden: [100, 100, 100],
    seeds: 2,
    traceProbes: 32,
    steps: 1500,
    checkpoints: 10,
    nTrain: 1000,
    nTest: 1000,
    nEval: 50,
    nTestEval: 50,
    vggLearningRates: [0.1],
    vggBatchSizes: [20],
    vggSeeds: 2,
    vggSteps: 200,
    vggMaxSteps: 200,
    vggTrain: 400,
  },
};

/** One rule per option: defineStudy checks every option against its rule, then `checkFlatnessCompression`. */
export const flatnessCompressionRules: OptionRules<FlatnessCompressionOptions> = {
  source: oneOf(IMAGE_SOURCES),
  cifarDir: either(str, oneOf([null])),
  mlpClasses: listOf(int(0, 9), { minLength: 2, distinct: true }),
  vggClasses: listOf(int(0, 9), { minLength: 2, distinct: true }),
  hidden: listOf(int(1), { minLength: 1 }),
  activation: oneOf(ACTIVATIONS),
  mlpLayer: either(oneOf(["output"]), int(1)),
  lrUnits: oneOf(LR_UNITS),
  definitions: oneOf(DEFINITIONS),
  learningRates: listOf(num(1e-6, 10), { minLength: 1 }),
  batchSizes: listOf(int(1), { minLength: 1 }),
  baseLr: num(1e-6, 10),
  baseBatch: int(1),
  seeds: int(1, 100),
  steps: int(1),
  checkpoints: int(3, 200),
  nTrain: int(10),
  nEval: int(2),
  nTest: int(10),
  nTestEval: int(2),
  mlpPrecision: oneOf(PRECISIONS),
  traceProbes: int(0),
  vggLayers: listOf(either(int(1), oneOf(["M"])), { minLength: 1 }),
  vggHidden: listOf(int(1)),
  vggOutputs: int(2, 100),
  vggInit: oneOf(VGG_INITS),
  vggLearningRates: listOf(num(1e-6, 10), { minLength: 1 }),
  vggBatchSizes: listOf(int(1), { minLength: 1 }),
  vggSeeds: int(1, 100),
  vggSteps: int(1),
  vggMaxSteps: int(1),
  vggAfterZero: int(1),
  vggAfterZeroRatio: num(0, 10),
  vggTrain: int(10),
  vggSharpnessSamples: int(1),
  workers: int(1, 64),
};

/** Constraints between options (after each passed its rule); every error names the option and what it allows. */
export function checkFlatnessCompression(o: FlatnessCompressionOptions): void {
  if (resolveSource(o.source, o.cifarDir ?? undefined) === "cifar10" && !o.cifarDir)
    throw new OptionError(
      `${NAME}: source "cifar10" needs the option cifarDir (a folder with the CIFAR-10 binary batches)`,
    );
  checkOption(NAME, "mlpLayer", o.mlpLayer, oneOf(["output", ...o.hidden.map((_, i) => i + 1)]));
  checkOption(NAME, "nEval", o.nEval, int(2, o.nTrain));
  checkOption(NAME, "nTestEval", o.nTestEval, int(2, o.nTest));
  checkOption(NAME, "vggOutputs", o.vggOutputs, int(o.vggClasses.length, 100));
  if (o.traceProbes === 1) throw new OptionError(`${NAME}: option traceProbes must be 0 (skip) or at least 2; got 1`);
  try {
    vggFeatureShape({ inputShape: [32, 32, 1], layers: o.vggLayers, hidden: o.vggHidden, outputs: 2 });
    vggFeatureShape({ inputShape: [28, 28, 1], layers: o.vggLayers, hidden: o.vggHidden, outputs: 2 });
  } catch (e) {
    throw new OptionError(`${NAME}: options vggLayers / vggHidden: ${(e as Error).message}`);
  }
  if (o.vggMaxSteps < o.vggSteps)
    throw new OptionError(
      `${NAME}: option vggMaxSteps (${o.vggMaxSteps}) must be at least vggSteps ` +
        `(${o.vggSteps}); equal turns the training on to zero error off`,
    );
  // at most nEval are used (a figure of MLP runs cannot set vggSharpnessSamples, so no cross-check here)
  if (o.nEval > o.vggTrain)
    throw new OptionError(`${NAME}: option nEval (${o.nEval}) must be at most vggTrain (${o.vggTrain})`);
}
