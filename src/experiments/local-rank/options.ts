/**
 * The options of the Patel & Shwartz-Ziv (2024) study: the paper's settings as defaults (where the paper
 * gives none, this reproduction's choices, said so in the ledger's differences), the quick preset, and
 * their validation (every error names the option and what it allows).
 */
import { defaultWorkers } from "../../parallel";
import { Preset, OptionError, checkInt, checkIntList, checkNumber } from "../framework";
import { definePart } from "../parts";

export interface LocalRankStudyOptions {
  /** ε of the local rank (absolute singular-value threshold) */
  eps: number;
  /** thresholds for the sensitivity figure */
  epsList: number[];
  /** Figure 1: hidden widths of the Gaussian (input 100, output 2) and MNIST MLPs */
  gaussianHidden: number[];
  mnistHidden: number[];
  /** training samples, Adam steps, learning rate, checkpoints, evaluation inputs */
  n: number;
  steps: number;
  mnistSteps: number;
  lr: number;
  checkpoints: number;
  evalSamples: number;
  /** Figure 2: Σ_XY diagonal, β values (paper convention, weighs I(T;Y)), encoder hidden widths, Adam steps */
  crossCov: number[];
  betas: number[];
  vibHidden: number[];
  vibSteps: number;
  /** Figure 3: Deep VIB on MNIST and Fashion-MNIST: β values, encoder widths, dim T, samples, steps */
  imageBetas: number[];
  imageHidden: number[];
  imageDT: number;
  imageN: number;
  imageSteps: number;
  seed: number;
  workers: number;
}

/** n values from lo to hi, evenly spaced in log. */
export const logGrid = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)));

export const localRankDefaults: LocalRankStudyOptions = {
  eps: 0.01,
  epsList: [1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1],
  gaussianHidden: [200, 200],
  mnistHidden: [200, 200, 200],
  n: 1000,
  steps: 20000,
  mnistSteps: 10000,
  lr: 1e-4,
  checkpoints: 20,
  evalSamples: 64,
  crossCov: [0.1, 0.1, 0.5, 0.5, 0.5],
  // shifted off the critical values so no grid point sits exactly on one
  betas: logGrid(1.05, 1050, 31),
  vibHidden: [8, 8],
  vibSteps: 6000,
  imageBetas: logGrid(1, 10000, 9),
  imageHidden: [256, 256],
  imageDT: 16,
  imageN: 5000,
  imageSteps: 3000,
  seed: 0,
  workers: defaultWorkers(),
};

export const NAME = "local-rank";

export const localRankPresets: Record<Preset, Partial<LocalRankStudyOptions>> = {
  paper: {},
  quick: { steps: 2000, mnistSteps: 500, checkpoints: 10, evalSamples: 32, n: 500, betas: logGrid(1.05, 1050, 25), vibSteps: 4000, imageBetas: [1, 10, 100, 1000, 10000], imageHidden: [128, 128], imageN: 1000, imageSteps: 600 },
};

export function validateLocalRank(o: LocalRankStudyOptions): void {
  checkNumber(NAME, "eps", o.eps, 0);
  for (const e of o.epsList) checkNumber(NAME, "epsList", e, 0);
  checkIntList(NAME, "gaussianHidden", o.gaussianHidden, 1);
  checkIntList(NAME, "mnistHidden", o.mnistHidden, 1);
  checkInt(NAME, "n", o.n, 10, 8495);
  checkInt(NAME, "steps", o.steps, 1);
  checkInt(NAME, "mnistSteps", o.mnistSteps, 1);
  checkNumber(NAME, "lr", o.lr, 1e-8, 1);
  checkInt(NAME, "checkpoints", o.checkpoints, 3, 200);
  checkInt(NAME, "evalSamples", o.evalSamples, 1, o.n);
  if (!Array.isArray(o.crossCov) || !o.crossCov.length || o.crossCov.some((c) => !(c > 0 && c < 1))) {
    throw new OptionError(`${NAME}: option crossCov must be a non-empty list of correlations in (0, 1); got ${JSON.stringify(o.crossCov)}`);
  }
  for (const b of o.betas) checkNumber(NAME, "betas", b, 1e-6);
  checkIntList(NAME, "vibHidden", o.vibHidden, 1, { minLength: 0 });
  checkInt(NAME, "vibSteps", o.vibSteps, 1);
  for (const b of o.imageBetas) checkNumber(NAME, "imageBetas", b, 1e-6);
  checkIntList(NAME, "imageHidden", o.imageHidden, 1);
  checkInt(NAME, "imageDT", o.imageDT, 1, 256);
  checkInt(NAME, "imageN", o.imageN, 10, 8495);
  checkInt(NAME, "imageSteps", o.imageSteps, 1);
  checkInt(NAME, "workers", o.workers, 1, 64);
}

/** Declares one figure of this study (its options type checked). */
export const part = definePart<LocalRankStudyOptions>();
