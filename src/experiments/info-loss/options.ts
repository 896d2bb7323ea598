/**
 * The options of the Hebbar (2022) study: the defaults (the post gives no sizes for most of its
 * experiments; these are this reproduction's paper preset), the quick preset, and their validation
 * (every error names the option and what it allows).
 */
import * as nets from "../../nets";
import { defaultWorkers } from "../../parallel";
import { Preset, OptionError, checkChoice, checkInt, checkIntList, checkNumber } from "../framework";
import { showValue } from "../../util/options";

/** Options of the Hebbar (2022) study; each part reads its own subset (see `hebbar.<part>.options()`). */
export interface InfoLossOptions {
  /** Part 4: hidden widths w of [1, w, 1] (p = 3w + 1) */
  widths: number[];
  seeds: number;
  activation: nets.Activation;
  /** the regression points of the post's experiment: inputs, and three target sets run side by side */
  xs: number[];
  ys: number[];
  ysAlt: number[];
  /**
   * Targets where two neighbouring inputs share a target (the post's colliding example: the network may throw away
   * what distinguishes them), so zero-loss solutions with rank G < k exist at every width
   */
  ysValley: number[];
  gdSteps: number;
  lr: number;
  /** zero loss means Σ(f − y)² below this */
  tol: number;
  /** Part 3: inputs in the colliding group, of k */
  collide: number;
  k: number;
  /** Part 3b: m inputs collide at a middle layer L, of k inputs */
  midCollide: number;
  midK: number;
  /** Part 3b: parameters before L swept (the input dimension of the one-unit layer L) */
  midParams: number[];
  /** Part 3b: tanh units after L (3w + 1 parameters after it) */
  midWidth: number;
  /** Part 3b: random constructions (weights and inputs) per size */
  midSeeds: number;
  /**
   * Part 4a: hidden width w of the [1, w, 1] ReLU network (~20 parameters in the post: w = 6 gives 19) and seeds per
   * target set
   */
  dimWidth: number;
  dimSeeds: number;
  workers: number;
}

/** The post's settings where it gives them, else this reproduction's (the paper preset). */
export const infoLossDefaults: InfoLossOptions = {
  widths: [3, 5, 7, 10, 14, 19, 25, 33],
  seeds: 200,
  activation: "relu",
  xs: [-1, -0.3, 0.4, 1],
  // y = 0.5x + 0.1: a one-linear-region (rank G = 2) solution exists
  ys: [-0.4, -0.05, 0.3, 0.6],
  // zig-zag: every solution needs kinks between the points; no zero-loss solution has rank G < 4 at any width
  ysAlt: [0.6, -0.4, 0.3, -0.5],
  // valley with a flat floor: x = −0.3 and 0.4 share a target, so units all off on both fit it with rank G = 3
  ysValley: [0.6, -0.4, -0.4, 0.5],
  gdSteps: 2000,
  lr: 0.05,
  tol: 1e-20,
  collide: 3,
  k: 6,
  midCollide: 6,
  midK: 8,
  midParams: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  midWidth: 4,
  midSeeds: 5,
  dimWidth: 6,
  dimSeeds: 400,
  workers: defaultWorkers(),
};

export const NAME = "info-loss";

export const infoLossPresets: Record<Preset, Partial<InfoLossOptions>> = {
  paper: {},
  // Hebbar publishes no code and no budget beyond the text: the paper preset is the full one
  full: {},
  quick: { widths: [3, 7, 14, 33], seeds: 40, gdSteps: 1000, dimSeeds: 100 },
};

export function validateInfoLoss(o: InfoLossOptions): void {
  checkIntList(NAME, "widths", o.widths, 1);
  checkInt(NAME, "seeds", o.seeds, 2, 100000);
  checkChoice(NAME, "activation", o.activation, nets.ACTIVATIONS);
  const lists = [o.xs, o.ys, o.ysAlt, o.ysValley];
  if (
    lists.some((l) => !Array.isArray(l) || l.length !== o.xs.length || l.some((v) => !Number.isFinite(v))) ||
    o.xs.length < 2
  ) {
    throw new OptionError(
      `${NAME}: options xs, ys, ysAlt and ysValley must be lists of finite numbers of the same length (at ` +
        `least 2); got ${showValue(lists)}`,
    );
  }
  checkInt(NAME, "gdSteps", o.gdSteps, 0);
  checkNumber(NAME, "lr", o.lr, 1e-8, 10);
  checkNumber(NAME, "tol", o.tol, 1e-30, 1e-3);
  checkInt(NAME, "k", o.k, 3, 40);
  checkInt(NAME, "collide", o.collide, 2, o.k);
  checkInt(NAME, "midK", o.midK, 3, 40);
  checkInt(NAME, "midCollide", o.midCollide, 2, o.midK);
  checkIntList(NAME, "midParams", o.midParams, 1);
  if (o.midParams.some((d) => d > 64))
    throw new OptionError(
      `${NAME}: option midParams must be a list of integers in [1, 64]; got ${showValue(o.midParams)}`,
    );
  checkInt(NAME, "midWidth", o.midWidth, 1, 50);
  if (3 * o.midWidth + 1 < o.midK - o.midCollide + 1)
    throw new OptionError(
      `${NAME}: option midWidth must give at least midK − midCollide + 1 = ` +
        `${o.midK - o.midCollide + 1} parameters after layer L (3·midWidth + 1); got midWidth ` +
        `${o.midWidth}`,
    );
  checkInt(NAME, "midSeeds", o.midSeeds, 1, 100);
  checkInt(NAME, "dimWidth", o.dimWidth, 1, 7);
  checkInt(NAME, "dimSeeds", o.dimSeeds, 10, 100000);
  checkInt(NAME, "workers", o.workers, 1, 64);
}
