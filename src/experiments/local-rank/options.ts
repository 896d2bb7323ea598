/**
 * The options of the Patel & Shwartz-Ziv (2024) study: the paper's settings as defaults (where the paper
 * gives none, this reproduction's choices, said so in the ledger's differences), the quick preset, and
 * their validation (every error names the option and what it allows).
 */
import { defaultWorkers } from "../../parallel";
import type { Preset } from "../framework";
import type { OptionRules } from "../define";
import { OptionError, checkOption, int, num, oneOf, listOf, bool } from "../../util/options";
import { definePart } from "../parts";
import { FIG1_DATASETS, Fig1Dataset } from "./mlp";

/**
 * Options of the Patel & Shwartz-Ziv (2024) study; each figure reads its own subset (see `patel.<figure>.options()`).
 */
export interface LocalRankStudyOptions {
  /** ε of the local rank (absolute singular-value threshold) */
  eps: number;
  /** thresholds for the sensitivity figure */
  epsList: number[];
  /** Figure 1: hidden widths of the Gaussian (input 100, output 2) and MNIST MLPs */
  gaussianHidden: number[];
  mnistHidden: number[];
  /**
   * Figure 1's training: "adamw" (Adam with decoupled weight decay θ ← θ − lr·weightDecay·θ each step; the
   * weight-decay regime of the authors' later code) or "adam" (no decay, weightDecay 0: the regime in which a
   * network memorises its training set and then nothing changes — a contrast)
   */
  optimizer: "adamw" | "adam";
  weightDecay: number;
  /** Figure 1, "adamw": whether the biases decay too (the authors' code: no, `bias_decay = False`) */
  decayBiases: boolean;
  /**
   * Figure 1: the datasets trained (Gaussian with MSE; MNIST and Fashion-MNIST with CE). The paper's Fig. 1 has the
   * Gaussian and MNIST nets; Fashion-MNIST (the paper's other image set, its Fig. 3) is an addition
   */
  fig1Datasets: Fig1Dataset[];
  /**
   * Figure 1: also train every run's control — the same pipeline on targets independent of the inputs (Gaussian:
   * cross-covariance 0; images: shuffled training labels) — which the ledger compares with the task
   */
  controls: boolean;
  /**
   * Figure 1: Gaussian training samples (a fresh set per seed; the test loss uses 10 000 more), MNIST training images
   * (of 8 495), mini-batch size (≥ the set: full batch)
   */
  n: number;
  mnistN: number;
  batchSize: number;
  /**
   * Figure 1: optimiser steps (Gaussian, MNIST), learning rate, log-spaced checkpoints, evaluation inputs of the local
   * rank
   */
  steps: number;
  mnistSteps: number;
  lr: number;
  checkpoints: number;
  evalSamples: number;
  /**
   * Figure 1: Gaussian runs (seeds seed, seed + 1, …). Each seed is its own task instance: a fresh training set and
   * cross-covariance, initialisation and mini-batch order. ≥ 5 lets the ledger use a sign test over seeds; with
   * controls, each seed has its control, and ≥ 3 judged controls let the comparison decide
   */
  gaussianSeeds: number;
  /**
   * Figure 1: runs per image dataset (seeds seed, seed + 1, …). Each seed is its own task instance: its own subset of
   * mnistN training images (drawn from the dataset's training split), initialisation, mini-batch order and, for its
   * control, its own permutation of the labels; the test split is the same for all. ≥ 5 lets the ledger use a sign
   * test; with controls, each seed has its control, and ≥ 3 judged controls let the comparison decide
   */
  imageSeeds: number;
  /** Figure 1: relative threshold of the second local-rank curve, σ > epsRel · σ_max of each input's Jacobian */
  epsRel: number;
  /**
   * Figure 2: Σ_XY diagonal, β values, deep linear encoder hidden widths, Adam steps of the exact-objective (analytic)
   * VIB. β is the paper's (Eq. 8, L = I(X;T) − β I(T;Y): a larger β weighs prediction more); the VIB loss's KL weight
   * is β_vib = 1/β.
   */
  crossCov: number[];
  betas: number[];
  vibHidden: number[];
  vibSteps: number;
  /**
   * Figure 2, the Deep VIB trained on samples (the paper's setting): samples of (X, Y), Adam steps (lr 0.01, cosine
   * decay), mini-batch size
   */
  vibN: number;
  vibSampleSteps: number;
  vibBatch: number;
  /**
   * Figure 3: Deep VIB on MNIST and Fashion-MNIST: β values (Eq. 8's β as in Fig. 2: the KL weight of the loss is
   * β_vib = 1/β; the paper's Fig. 3 caption reads β this way, see the claims), encoder widths, dim T, samples, steps
   */
  imageBetas: number[];
  imageHidden: number[];
  imageDT: number;
  imageN: number;
  imageSteps: number;
  /**
   * Figure 3: "per-beta": the run at the i-th β of imageBetas uses seed + i — its own subset of imageN training
   * images, its own test images, initialisation, mini-batch order and reparameterisation noise — so the β points the
   * trend tests count are independent task instances; "shared": every β uses seed (one task instance: smoother curves,
   * but the trend test then speaks for that one draw of the data only)
   */
  imageInstances: "per-beta" | "shared";
  seed: number;
  workers: number;
}

/** n values from lo to hi, evenly spaced in log. */
export const logGrid = (lo: number, hi: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)));

/**
 * The paper preset's settings: the paper's where it gives them, else the authors' later code's or this reproduction's
 * (said in the notes).
 */
export const localRankDefaults: LocalRankStudyOptions = {
  eps: 0.01,
  epsList: [1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1],
  gaussianHidden: [200, 200],
  mnistHidden: [200, 200, 200],
  // Fig. 1: the authors' later code trains AdamW lr 1e-4, weight decay 0.01 (lr/wd = 1e-2), biases not decayed, for
  // 10⁶ steps (lr·wd·steps = 1) on 1 000 MNIST samples. The budget here is 5·10⁴ steps, 20× fewer: lr and wd are both
  // raised by √20 ≈ 4.47 (lr 4.47e-4, wd 0.0447), which keeps the authors' ratio lr/wd = 1e-2 and horizon
  // lr·wd·steps ≈ 1 (0.999)
  optimizer: "adamw",
  weightDecay: 0.0447,
  decayBiases: false,
  // the paper's Fig. 1 (Gaussian, MNIST); five independent runs per dataset, each with its control, so the sign test
  // and the comparison with the control can decide (Fashion-MNIST at five seeds would add ten 5·10⁴-step image runs)
  fig1Datasets: ["gaussian", "mnist"],
  controls: true,
  n: 50000,
  mnistN: 1000,
  batchSize: 64,
  steps: 50000,
  mnistSteps: 50000,
  lr: 4.47e-4,
  checkpoints: 30,
  evalSamples: 64,
  gaussianSeeds: 5,
  imageSeeds: 5,
  epsRel: 0.01,
  crossCov: [0.1, 0.1, 0.5, 0.5, 0.5],
  // shifted off the critical values so no grid point sits exactly on one
  betas: logGrid(1.05, 1050, 31),
  vibHidden: [8, 8],
  vibSteps: 6000,
  // Fig. 2 on samples (the paper gives no n, steps or batch): 5·10⁴ samples put the sample β_c of the c = 0.1 pair
  // within ~10 % of 100; 2·10⁴ Adam steps of 100 (lr 0.01, PyTorch's default init; ~0.3 ms a step): the c = 0.5
  // directions settle, the weak c = 0.1 pair still moves slowly near its β_c (its gap c² − 1/β is below 0.01)
  vibN: 50000,
  vibSampleSteps: 20000,
  vibBatch: 100,
  // Fig. 3: dense between β = 1 and 10 (KL weight 1 … 0.1, where accuracy and local rank move), then to 10⁴;
  // dim T 64 (at 16 the local rank sat at its cap from β = 10); 1 500 steps of 100 (~20–26 ms a step) fit the budget
  imageBetas: [...logGrid(1, 10, 9), ...[1.5, 2, 2.5, 3, 4].map((e) => 10 ** e)],
  imageHidden: [256, 256],
  // dim T 128: at 64 the local rank reached its cap at the grid's last β (60 → 64), which leaves a trend test
  // over the grid's end no room to move
  imageDT: 128,
  imageN: 5000,
  imageSteps: 1500,
  imageInstances: "per-beta",
  seed: 0,
  workers: defaultWorkers(),
};

export const NAME = "local-rank";

/**
 * Fig. 1's strong-decay variant (the paper preset before the authors' regime was adopted): AdamW lr 1e-4 with weight
 * decay 1 on weights and biases (lr/wd = 1e-4 against the authors' 1e-2; lr·wd·steps = 5 in 5·10⁴ steps), all 8 495
 * MNIST training images. Pass it to Fig. 1: `patel.fig1({ ...patel.STRONG_DECAY })`.
 */
export const STRONG_DECAY: Pick<LocalRankStudyOptions, "lr" | "weightDecay" | "decayBiases" | "mnistN"> = {
  lr: 1e-4,
  weightDecay: 1,
  decayBiases: true,
  mnistN: 8495,
};

export const localRankPresets: Record<Preset, Partial<LocalRankStudyOptions>> = {
  paper: {},
  // the authors' later code: AdamW lr 1e-4, weight decay 0.01 (biases not decayed), 10⁶ steps, 50 log-spaced evaluations
  full: {
    lr: 1e-4,
    weightDecay: 0.01,
    steps: 1000000,
    mnistSteps: 1000000,
    checkpoints: 50,
  },
  // Fig. 1 quick: the authors' lr/wd = 1e-2 with lr·wd = 2e-4, so lr·wd·steps = 1 (Gaussian) and 0.8 (images) in a
  // few thousand steps; one seed per dataset (one control each: the ledger's comparisons are inconclusive)
  quick: {
    lr: 1.41e-3,
    weightDecay: 0.141,
    fig1Datasets: ["gaussian", "mnist"],
    n: 20000,
    steps: 5000,
    mnistSteps: 4000,
    checkpoints: 12,
    evalSamples: 16,
    gaussianSeeds: 1,
    imageSeeds: 1,
    betas: logGrid(1.05, 1050, 13),
    vibSteps: 4000,
    vibN: 20000,
    vibSampleSteps: 6000,
    imageBetas: [1, 1.5, 2.5, 4, 10, 1000],
    imageHidden: [128, 128],
    imageDT: 64,
    imageN: 1000,
    imageSteps: 300,
  },
};

/** One rule per option: defineStudy checks every option against its rule, then `checkLocalRank`. */
export const localRankRules: OptionRules<LocalRankStudyOptions> = {
  eps: num(0),
  epsList: listOf(num(0), { minLength: 1 }),
  gaussianHidden: listOf(int(1), { minLength: 1 }),
  mnistHidden: listOf(int(1), { minLength: 1 }),
  optimizer: oneOf(["adamw", "adam"]),
  weightDecay: num(0, 1000),
  decayBiases: bool,
  fig1Datasets: listOf(oneOf(FIG1_DATASETS), { minLength: 1, distinct: true }),
  controls: bool,
  n: int(10, 200000),
  mnistN: int(10, 8495),
  batchSize: int(1),
  steps: int(1),
  mnistSteps: int(1),
  lr: num(1e-8, 1),
  checkpoints: int(3, 200),
  evalSamples: int(1),
  gaussianSeeds: int(1, 50),
  imageSeeds: int(1, 50),
  epsRel: num(0, 1),
  crossCov: listOf(num(0, 1, { exclusiveMin: true, exclusiveMax: true }), { minLength: 1 }),
  betas: listOf(num(1e-6), { minLength: 1 }),
  vibHidden: listOf(int(1)),
  vibSteps: int(1),
  vibN: int(10, 1000000),
  vibSampleSteps: int(1),
  vibBatch: int(1),
  imageBetas: listOf(num(1e-6), { minLength: 1 }),
  imageHidden: listOf(int(1), { minLength: 1 }),
  imageDT: int(1, 256),
  imageN: int(10, 8495),
  imageSteps: int(1),
  imageInstances: oneOf(["per-beta", "shared"]),
  seed: int(0, 1_000_000),
  workers: int(1, 64),
};

/** Constraints between options (after each passed its rule); every error names the option and what it allows. */
export function checkLocalRank(o: LocalRankStudyOptions): void {
  // a mini-batch is drawn from the training set: at most its size (the smaller of n and mnistN, both trained on)
  checkOption(NAME, "batchSize", o.batchSize, int(1, Math.min(o.n, o.mnistN)));
  checkOption(NAME, "evalSamples", o.evalSamples, int(1, Math.min(o.n, o.mnistN)));
  checkOption(NAME, "vibBatch", o.vibBatch, int(1, o.vibN));
  if (o.optimizer === "adam" && o.weightDecay !== 0) {
    throw new OptionError(
      `${NAME}: option weightDecay must be 0 with optimizer "adam" (decoupled weight decay is ` +
        `"adamw"'s; plain Adam is the no-decay contrast); got ${o.weightDecay}`,
    );
  }
}

/** Declares one figure of this study (its options type checked). */
export const part = definePart<LocalRankStudyOptions>();
