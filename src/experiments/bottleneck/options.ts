/**
 * The options of the Jacot (2023) bottleneck study: this reproduction's settings as defaults (the paper's
 * formulas and Appendix E were lost, see index.ts), the quick preset, and their validation (every error
 * names the option and what it allows).
 *
 * Two settings of the task are trained side by side. The main one (latent, generatorBias) is where depth matters: a
 * latent symmetric about 0 with generator biases of the weights' scale, where shallow networks over-estimate the rank
 * and deeper ones recover it. The contrast (contrastLatent, contrastGeneratorBias) is the one-signed latent with small
 * generator biases, the most favourable case, where every depth recovers k.
 */
import { defaultWorkers } from "../../parallel";
import type { Preset } from "../framework";
import type { OptionRules } from "../define";
import { OptionError, int, num, oneOf, listOf, bool, showValue } from "../../util/options";
import { LATENT_DISTRIBUTIONS, LatentDistribution } from "../../data";
import { PRECISIONS, Precision } from "../../training";

/** Options of the Jacot (2023) study; each figure reads its own subset (see `jacot.<figure>.options()`). */
export interface BottleneckOptions {
  /** latent dimension k, input and output dimensions, training points */
  k: number;
  /**
   * the task's latent z (the paper's distribution is lost): "gaussian" N(0, I_k) (default, symmetric about 0),
   * "half-gaussian" |N(0, I_k)| (one-signed), "uniform" U[0, 1]^k; latentShift is added to every coordinate
   */
  latent: LatentDistribution;
  latentShift: number;
  /** standard deviation of the biases of the random generator nets g and h (default 1, the weights' scale) */
  generatorBias: number;
  dIn: number;
  dOut: number;
  n: number;
  depths: number[];
  /**
   * runs per depth; seed s is a task instance (the generators g, h and the latent sample) and an initialisation
   * of its own, and the same task instance at every depth
   */
  seeds: number;
  width: number;
  /** Adam step and L2 penalty λ (objective: mean ½‖f − y‖² + (λ/2)‖θ‖²), full-batch steps */
  lr: number;
  lambda: number;
  steps: number;
  /**
   * the training's arithmetic on the native BLAS path: "float32" (default: what a PyTorch run would use, the paper
   * gives no code; 1.6× faster per step than float64 on the depth-20 net) or "float64" (the curvature engine's
   * exact-gradient trajectory, to rounding); spectra and norms are float64 from the trained weights either way
   */
  precision: Precision;
  /** a weight singular value above this counts towards the layer's rank */
  threshold: number;
  /**
   * a singular value of W_l·H_(l−1) (W_l on the layer's training inputs) above this fraction of the largest counts
   * towards the layer's data-used rank
   */
  dataThreshold: number;
  /**
   * the contrast setting: networks on the task with this latent (default the one-signed |N(0, I_k)|) and generator
   * bias scale (default 0.1), at these depths, this many seeds (task instance s: the same generator draws as the main
   * setting's, the biases rescaled)
   */
  contrastLatent: LatentDistribution;
  contrastGeneratorBias: number;
  contrastDepths: number[];
  contrastSeeds: number;
  /**
   * learned rank against k: these latent dimensions (k itself included or not) in the main setting at sweepDepth,
   * sweepSeeds task instances each, trained for sweepSteps steps (more than steps: a larger k carries a larger L2 cost
   * and is slower to fit)
   */
  latentSweep: number[];
  sweepDepth: number;
  sweepSeeds: number;
  sweepSteps: number;
  /**
   * the k sweep's λ schedule: after sweepSteps steps at lambda, sweepPolishSteps more at sweepPolishLambda (Adam
   * restarted from the trained weights; 0 steps for none): the fit a rank-k minimum reaches once the penalty that
   * shaped it is eased
   */
  sweepPolishSteps: number;
  sweepPolishLambda: number;
  /** experiment 2 */
  symmetry: boolean;
  symDepth: number;
  symWidth: number;
  symN: number;
  symSteps: number;
  /** dimension of w, predicted steps T, the task's GD step η, noise of E */
  symD: number;
  symT: number;
  symEta: number;
  symNoise: number;
  paths: number;
  workers: number;
}

export const NAME = "bottleneck";

/** The paper preset's settings (the paper's where the text gives them, else this reproduction's, see the notes). */
export const bottleneckDefaults: BottleneckOptions = {
  k: 2,
  latent: "gaussian",
  latentShift: 0,
  generatorBias: 1,
  dIn: 10,
  dOut: 10,
  n: 200,
  depths: [4, 8, 12, 16, 20],
  seeds: 6,
  width: 100,
  lr: 0.002,
  lambda: 0.02,
  steps: 10000,
  precision: "float32",
  threshold: 0.5,
  dataThreshold: 0.05,
  contrastLatent: "half-gaussian",
  contrastGeneratorBias: 0.1,
  contrastDepths: [4, 12, 20],
  contrastSeeds: 2,
  latentSweep: [1, 2, 3, 4],
  sweepDepth: 16,
  sweepSeeds: 2,
  sweepSteps: 20000,
  sweepPolishSteps: 5000,
  sweepPolishLambda: 0.002,
  symmetry: true,
  symDepth: 8,
  symWidth: 50,
  symN: 500,
  symSteps: 6000,
  symD: 10,
  symT: 20,
  symEta: 0.05,
  symNoise: 0.01,
  paths: 8,
  workers: defaultWorkers(),
};

export const bottleneckPresets: Record<Preset, Partial<BottleneckOptions>> = {
  paper: {},
  // Jacot et al. publish no code and no budget beyond the paper's text: the paper preset is the full one
  full: {},
  quick: {
    n: 100,
    depths: [4, 6, 8],
    seeds: 2,
    width: 50,
    lr: 0.003,
    steps: 3000,
    sweepDepth: 8,
    sweepSteps: 3000,
    sweepPolishSteps: 0,
    latentSweep: [1, 2, 3],
    contrastDepths: [4, 8],
    contrastSeeds: 1,
    symN: 300,
    symSteps: 3000,
  },
};

/** One rule per option: defineStudy checks every option against its rule, then `checkBottleneck`. */
export const bottleneckRules: OptionRules<BottleneckOptions> = {
  k: int(1, 16),
  latent: oneOf(LATENT_DISTRIBUTIONS),
  latentShift: num(-100, 100),
  generatorBias: num(0),
  dIn: int(1),
  dOut: int(1),
  n: int(10),
  depths: listOf(int(2), { minLength: 1 }),
  seeds: int(1, 100),
  width: int(1),
  lr: num(1e-7, 1),
  lambda: num(0),
  steps: int(1),
  precision: oneOf(PRECISIONS),
  threshold: num(0),
  dataThreshold: num(0, 1),
  contrastLatent: oneOf(LATENT_DISTRIBUTIONS),
  contrastGeneratorBias: num(0),
  contrastDepths: listOf(int(2)),
  contrastSeeds: int(1, 100),
  latentSweep: listOf(int(1)),
  sweepDepth: int(2),
  sweepSeeds: int(1, 100),
  sweepSteps: int(1),
  sweepPolishSteps: int(0),
  sweepPolishLambda: num(0),
  symmetry: bool,
  symDepth: int(3),
  symWidth: int(2),
  symN: int(20),
  symSteps: int(1),
  symD: int(2),
  symT: int(1),
  symEta: num(1e-6, 0.2),
  symNoise: num(0, 1),
  paths: int(2, 50),
  workers: int(1, 64),
};

/** Constraints between options (after each passed its rule); every error names the option and what it allows. */
export function checkBottleneck(o: BottleneckOptions): void {
  if (new Set(o.depths).size < 2)
    throw new OptionError(
      `${NAME}: option depths must hold at least two different depths (for the fit of ‖θ‖² ` +
        `against L); got ${showValue(o.depths)}`,
    );
  if (o.width < Math.max(o.dIn, o.dOut, o.k))
    throw new OptionError(
      `${NAME}: option width must be at least max(dIn, dOut, k) = ${Math.max(o.dIn, o.dOut, o.k)}; got ${o.width}`,
    );
}
