/**
 * The options of the Singh et al. (2021) study: the paper's settings as defaults, the quick preset, and
 * their validation (every error names the option and what it allows).
 */
import * as nets from "../../nets";
import { defaultWorkers } from "../../parallel";
import type { Preset } from "../framework";
import type { OptionRules } from "../define";
import { OptionRule, checkOption, int, num, oneOf, listOf, either, str } from "../../util/options";
import { IMAGE_SOURCES, ImageSource } from "../data-source";
import {
  InputTreatment,
  INPUT_TREATMENTS,
  Downscale,
  DOWNSCALES,
  BiasInputs,
  BIAS_INPUTS,
  InputKind,
  INPUT_KINDS,
} from "./measure";

/** Options of the Singh et al. study; each figure reads its own subset (see `singh.<figure>.options()`). */
export interface HessianRankOptions {
  /**
   * image data: "auto" = CIFAR-10 if cifarDir is set (the paper's Fig. 2), else MNIST (the paper's Fig. 3,
   * and the data of the authors' scripts; CIFAR-10 cannot be installed offline here)
   */
  source: ImageSource;
  cifarDir: string | null;
  /**
   * input pre-processing: "raw" pixels in [0, 1] (the authors' /255, the default), "centred", or
   * "standardized" (per-pixel z-score). With raw pixels the mean direction inflates λ_max, so true
   * eigenvalues sit closer to the default tolerance max|λ|·p·eps. Measured when choosing the default
   * (raw + nearest, default tolerance, quick preset): on MNIST every linear formula holds (Fact 7 21/21,
   * Cor. 4 19/19, Cor. 6 19/19, Thm. 12 7/7); on Fashion-MNIST four configurations miss by a few
   * eigenvalues (Fact 7 17/21, Cor. 4 15/19, Thm. 12 6/7; e.g. Fig. 2a [12, 8, 8, 8], N = 60: rank H 806
   * vs 808, |λ|_(808)/λ_max = 1.1e-14 < p·eps = 2.4e-13), where standardized inputs give all of them.
   * Bias networks get centred inputs unless biasInputs is "as-given". Each run's notes list any linear configuration
   * whose rank misses a formula, with |λ|_(f)/λ_max against p·eps.
   */
  inputs: InputTreatment;
  /**
   * inputs of networks with bias: "centred" (default: "raw" becomes "centred", assumption A3 of Theorem 12) or
   * "as-given" (the `inputs` treatment unchanged; the paper says mean-zero inputs are not needed in practice)
   */
  biasInputs: BiasInputs;
  /** downscaling to d pixels: "nearest" (torch's F.interpolate default, the authors' code) or "area" averaging */
  downscale: Downscale;
  /** input dimension after downscaling (8×8 = 64 in the paper) */
  d: number;
  K: number;
  init: nets.Init;
  /** Figure 1: seeds averaged, hidden widths, samples */
  seeds: number;
  fig1Hidden: number[];
  fig1N: number;
  /** Figure 2a: hidden widths and the sample sizes swept */
  sweepNHidden: number[];
  sweepN: number[];
  /** Figures 2b, 2c, 6: widths M of hidden [M, M], samples */
  widths: number[];
  widthN: number;
  /** Figures 2a/2b: measure H_o and H_f (two more eigendecompositions) at every k-th configuration */
  fig2SplitEvery: number;
  /** Figure 3 (MNIST, linear vs tanh) */
  fig3Hidden: number[];
  fig3N: number;
  /** regime sweep (Fig. 3 setting, tanh): multipliers of the initial weights; the smallest and 1 are judged */
  fig3Scales: number[];
  /** Figure 4 (ReLU, cross-entropy) */
  fig4Hidden: number[];
  fig4N: number;
  /** Figure 5: linear teacher, full-batch gradient descent in float64 */
  fig5Hidden: number[];
  fig5D: number;
  fig5N: number;
  fig5Steps: number;
  fig5Checkpoints: number;
  fig5Lr: number;
  /**
   * Theorem 5 (Sec. 4.3): hidden widths of the networks whose per-layer column blocks of H_f and H_o are
   * measured (the paper gives no figure: default its Fig. 3/4 and Fig. 2a architectures and a bottleneck
   * [30, 5, 20] of ours), samples, and the activations for the block-column independence remark (linear,
   * ReLU, tanh: the ones it names); the Theorem 5 formula is compared on the linear networks only
   */
  thm5Hidden: number[][];
  thm5N: number;
  thm5Activations: nets.Activation[];
  /**
   * Rank vs depth (Sec. 5.1 "similar plots across depth … S9.1", Sec. 8 (iii)): linear networks with each
   * count of hidden layers in `depthLayers`, all of width `depthWidth`, input dimension `depthD`, N =
   * `depthN` (the authors' depth script: width 25, d = 16, n = 50, up to 10 layers)
   */
  depthLayers: number[];
  depthWidth: number;
  depthD: number;
  depthN: number;
  /** Theorem 9 / Fact 11 (Sec. 7.1): bias-free ReLU networks (hidden widths) at each sample size N */
  thm9Hidden: number[][];
  thm9N: number[];
  /**
   * the inputs of the Theorem 9 sweep: "images" (the study's pipeline) and/or "gaussian" (N(0, I_d), in general
   * position, as the paper's "A2 holds as soon as N > 2d" assumes; random one-hot targets)
   */
  thm9Inputs: InputKind[];
  /**
   * Corollary 10 (Sec. 7.1; no setting in the paper, ours): a bias-free ReLU [cor10D, cor10Hidden, K] trained to a
   * minimum on targets of a ReLU teacher with `cor10Teacher` hidden neurons, inputs of rank `cor10R` < `cor10D`,
   * N = `cor10N`, one run per seed: full-batch GD (`cor10Steps` steps at `cor10Lr`), then up to `cor10LmSteps`
   * Levenberg–Marquardt steps
   */
  /** "relu" or "leaky-relu" (both satisfy Theorem 9's σ(z) = σ'(z)z) */
  cor10Activation: "relu" | "leaky-relu";
  cor10D: number;
  cor10R: number;
  cor10Hidden: number;
  cor10Teacher: number;
  cor10N: number;
  cor10Steps: number;
  cor10Lr: number;
  cor10LmSteps: number;
  /**
   * Appendix sweeps (Sec. 5.1 setup, Sec. 5.2 → S9.3/S9.4): every activation × loss × depth (hidden
   * layers of width `appendixWidth`), N = `appendixN`, measured rank of H beside the linear formula
   */
  appendixActivations: nets.Activation[];
  appendixLosses: nets.LossName[];
  appendixDepths: number[];
  appendixWidth: number;
  appendixN: number;
  /** worker threads for the sweeps (default: both cores) */
  workers: number;
}

/** The paper preset's input pipeline, the authors': raw pixels /255, nearest-neighbour downscaling (see `inputs`). */
export const DEFAULT_INPUTS: InputTreatment = "raw";
export const DEFAULT_DOWNSCALE: Downscale = "nearest";

/** The paper's settings (the paper preset). */
export const hessianRankDefaults: HessianRankOptions = {
  source: "auto",
  cifarDir: null,
  inputs: DEFAULT_INPUTS,
  biasInputs: "centred",
  downscale: DEFAULT_DOWNSCALE,
  d: 64,
  K: 10,
  init: "glorot-normal",
  seeds: 3,
  fig1Hidden: [30, 20],
  fig1N: 200,
  sweepNHidden: [50, 20, 20, 20],
  sweepN: Array.from({ length: 40 }, (_, i) => 10 * (i + 1)),
  widths: Array.from({ length: 14 }, (_, i) => 4 * (i + 1)),
  widthN: 100,
  fig2SplitEvery: 4,
  fig3Hidden: [30, 20],
  fig3N: 500,
  fig3Scales: [0.1, 0.3, 1, 3],
  fig4Hidden: [30, 20],
  fig4N: 500,
  fig5Hidden: [25, 20, 15],
  fig5D: 20,
  fig5N: 200,
  fig5Steps: 4000,
  fig5Checkpoints: 16,
  fig5Lr: 0.05,
  thm5Hidden: [
    [30, 20],
    [50, 20, 20, 20],
    [30, 5, 20],
  ],
  thm5N: 200,
  thm5Activations: ["linear", "relu", "tanh"],
  depthLayers: Array.from({ length: 10 }, (_, i) => i + 1),
  depthWidth: 25,
  depthD: 16,
  depthN: 50,
  thm9Hidden: [[30], [30, 20]],
  thm9N: [50, 100, 200, 400],
  thm9Inputs: ["images", "gaussian"],
  // bound 8·20 + 20·10 − 20 = 340 with every neuron active: below N·K = 600 and p = 840. Tried first: [64, 30, 10],
  // teacher 5, r = 20, N = 100 (bound 870 < N·K 1000) stalls at loss 3e-6 – 1e-5 in 3 of 3 seeds (GD 2000 steps, then
  // 200 Levenberg–Marquardt steps; also with Adam or a 30-neuron teacher), so no minimum to measure at
  cor10Activation: "relu",
  cor10D: 32,
  cor10R: 8,
  cor10Hidden: 20,
  cor10Teacher: 3,
  cor10N: 60,
  cor10Steps: 3000,
  cor10Lr: 0.05,
  cor10LmSteps: 40,
  appendixActivations: ["linear", "relu", "tanh"],
  appendixLosses: ["mse", "ce", "logcosh"],
  appendixDepths: [1, 2, 3],
  appendixWidth: 25,
  appendixN: 200,
  workers: defaultWorkers(),
};

export const NAME = "hessian-rank";

export const hessianRankPresets: Record<Preset, Partial<HessianRankOptions>> = {
  paper: {},
  // the paper preset already has the sweeps of the authors' scripts (n = 10…400, widths 4…56, depths 1…10)
  full: {},
  quick: {
    seeds: 2,
    fig1Hidden: [16, 12],
    fig1N: 100,
    sweepNHidden: [12, 8, 8, 8],
    sweepN: [10, 20, 30, 40, 50, 60, 70, 80, 100, 120],
    widths: [2, 4, 8, 12, 16, 20, 24],
    fig2SplitEvery: 1,
    fig3Hidden: [16, 12],
    fig3N: 200,
    fig4Hidden: [16, 12],
    fig4N: 200,
    // narrowest layer ≥ min(d, K) = 10, so the network can fit the teacher and H_f can vanish
    fig5Hidden: [20, 16, 12],
    fig5D: 10,
    fig5N: 100,
    fig5Steps: 6000,
    fig5Checkpoints: 12,
    thm5Hidden: [
      [12, 8],
      [10, 4, 10],
    ],
    thm5N: 100,
    depthLayers: [1, 2, 3, 4],
    depthWidth: 16,
    thm9Hidden: [[12], [24, 16]], // [12, 8] keeps a dead neuron on raw MNIST at every N, so Fact 11 could not be judged
    thm9N: [50, 100, 200, 400],
    // bound 6·10 + 10·10 − 10 = 150 below N·K = 200 and p = 260
    cor10D: 16,
    cor10R: 6,
    cor10Hidden: 10,
    cor10Teacher: 3,
    cor10N: 20,
    cor10Steps: 500,
    appendixLosses: ["mse", "ce"],
    appendixDepths: [1, 2],
    appendixWidth: 12,
    appendixN: 100,
  },
};

/** A downscaled image's pixel count: an integer in [1, max] that is a square (side²). */
const squarePixels =
  (max: number, examples: number[]): OptionRule =>
  (v) =>
    int(1, max)(v) === undefined && Math.round(Math.sqrt(v as number)) ** 2 === v
      ? undefined
      : `a square integer in [1, ${max}] (an image side², e.g. ${examples.join(", ")})`;

/** One rule per option: defineStudy checks every option against its rule, then `checkHessianRank`. */
export const hessianRankRules: OptionRules<HessianRankOptions> = {
  source: oneOf(IMAGE_SOURCES),
  cifarDir: either(str, oneOf([null])),
  inputs: oneOf(INPUT_TREATMENTS),
  biasInputs: oneOf(BIAS_INPUTS),
  downscale: oneOf(DOWNSCALES),
  d: squarePixels(3072, [16, 36, 64, 100, 144, 196]),
  K: int(2, 10),
  init: oneOf(nets.INITS),
  seeds: int(1, 20),
  fig1Hidden: listOf(int(1), { minLength: 1 }),
  fig1N: int(2),
  sweepNHidden: listOf(int(1), { minLength: 1 }),
  sweepN: listOf(int(2), { minLength: 1 }),
  widths: listOf(int(1), { minLength: 1 }),
  widthN: int(2),
  fig2SplitEvery: int(1),
  fig3Hidden: listOf(int(1), { minLength: 1 }),
  fig3N: int(2),
  fig3Scales: listOf(num(0, 100, { exclusiveMin: true }), { minLength: 1 }),
  fig4Hidden: listOf(int(1), { minLength: 1 }),
  fig4N: int(2),
  fig5Hidden: listOf(int(1), { minLength: 1 }),
  fig5D: int(2),
  fig5N: int(2),
  fig5Steps: int(2),
  fig5Checkpoints: int(2, 200),
  fig5Lr: num(1e-6, 10),
  thm5Hidden: listOf(listOf(int(1), { minLength: 1 }), { minLength: 1 }),
  thm5N: int(2),
  thm5Activations: listOf(oneOf(nets.ACTIVATIONS), { minLength: 1, distinct: true }),
  depthLayers: listOf(int(1), { minLength: 1 }),
  depthWidth: int(1),
  depthD: squarePixels(3072, [4, 9, 16, 25, 36, 64]),
  depthN: int(2),
  thm9Hidden: listOf(listOf(int(1), { minLength: 1 }), { minLength: 1 }),
  thm9N: listOf(int(2), { minLength: 1 }),
  thm9Inputs: listOf(oneOf(INPUT_KINDS), { minLength: 1, distinct: true }),
  cor10Activation: oneOf(["relu", "leaky-relu"]),
  cor10D: int(1, 4096),
  cor10R: int(1, 4096),
  cor10Hidden: int(1, 4096),
  cor10Teacher: int(1, 4096),
  cor10N: int(2, 100000),
  cor10Steps: int(0),
  cor10Lr: num(1e-6, 10),
  cor10LmSteps: int(0, 10000),
  appendixActivations: listOf(oneOf(nets.ACTIVATIONS), { minLength: 1, distinct: true }),
  appendixLosses: listOf(oneOf(nets.LOSSES), { minLength: 1, distinct: true }),
  appendixDepths: listOf(int(1), { minLength: 1 }),
  appendixWidth: int(1),
  appendixN: int(2),
  workers: int(1, 64),
};

/** Constraints between options (after each passed its rule); every error names the option and what it allows. */
export function checkHessianRank(o: HessianRankOptions): void {
  checkOption(NAME, "cor10R", o.cor10R, int(1, o.cor10D));
}
