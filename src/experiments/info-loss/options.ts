/**
 * The options of the Hebbar (2022) study: the defaults (the post gives no sizes for most of its
 * experiments; these are this reproduction's paper preset), the quick preset, and their validation
 * (every error names the option and what it allows).
 */
import * as nets from "../../nets";
import { defaultWorkers } from "../../parallel";
import type { Preset } from "../framework";
import type { OptionRules } from "../define";
import { OptionError, checkOption, int, num, oneOf, listOf, showValue } from "../../util/options";

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

/** One rule per option: defineStudy checks every option against its rule, then `checkInfoLoss`. */
export const infoLossRules: OptionRules<InfoLossOptions> = {
  widths: listOf(int(1), { minLength: 1 }),
  seeds: int(2, 100000),
  activation: oneOf(nets.ACTIVATIONS),
  xs: listOf(num(), { minLength: 2 }),
  ys: listOf(num(), { minLength: 2 }),
  ysAlt: listOf(num(), { minLength: 2 }),
  ysValley: listOf(num(), { minLength: 2 }),
  gdSteps: int(0),
  lr: num(1e-8, 10),
  tol: num(1e-30, 1e-3),
  collide: int(2, 40),
  k: int(3, 40),
  midCollide: int(2, 40),
  midK: int(3, 40),
  midParams: listOf(int(1, 64), { minLength: 1 }),
  midWidth: int(1, 50),
  midSeeds: int(1, 100),
  dimWidth: int(1, 7),
  dimSeeds: int(10, 100000),
  workers: int(1, 64),
};

/** Constraints between options (after each passed its rule); every error names the option and what it allows. */
export function checkInfoLoss(o: InfoLossOptions): void {
  checkOption(NAME, "collide", o.collide, int(2, o.k));
  checkOption(NAME, "midCollide", o.midCollide, int(2, o.midK));
  const lists = [o.xs, o.ys, o.ysAlt, o.ysValley];
  if (lists.some((l) => l.length !== o.xs.length))
    throw new OptionError(
      `${NAME}: options xs, ys, ysAlt and ysValley must be lists of finite numbers of the same length (at ` +
        `least 2); got ${showValue(lists)}`,
    );
  if (3 * o.midWidth + 1 < o.midK - o.midCollide + 1)
    throw new OptionError(
      `${NAME}: option midWidth must give at least midK − midCollide + 1 = ` +
        `${o.midK - o.midCollide + 1} parameters after layer L (3·midWidth + 1); got midWidth ` +
        `${o.midWidth}`,
    );
}
