/**
 * Study: Hebbar (2022), "Information Loss → Basin flatness"
 * (shared/papers/hebbar-2022-information-loss-basin-flatness.txt).
 *
 * One module per part of the post, in its order:
 * 1. part1-behavior-manifolds — behavior manifolds in a 3-parameter model with 2 inputs (generic: a curve; colliding
 * inputs: a sheet).
 * 2. part2-hessian-gram — at a zero-loss MSE minimum H = 2GGᵀ (Hebbar's Σ(f − y)²) and rank H = rank G; where it
 * breaks.
 * 3. part3-information-loss — information loss (inputs sharing activations in every layer) lowers rank G by the
 * predicted
 *    amount; the manifold dimension N − rank G is confirmed by walking along null(Gᵀ) and re-projecting to zero loss.
 * 3b. part3b-middle-layer — inputs distinct before a middle layer L and identical at it: rank G against the number of
 *    parameters before L, beside the post's condition "fewer than m".
 * 4a. part4a-manifold-dimension — does a solution's manifold dimension predict how often training finds it (~20 params,
 * 4 points)?
 * 4. part4-solutions — the 5/19 update: rank-deficient solutions and spread of learned functions vs parameter count.
 * The claims ledger is claims.ts, the options options.ts, what the parts share shared.ts; zero-loss solving
 * and null-space walks solve.ts, the 3-D toy models toy.ts, the seed batches (worker pool) sweep.ts.
 * Each part is its own call (`hebbar.part4({ ... })`, cached on its own); `infoLoss()` runs them all.
 */
import { fromRecord } from "../estimate";
import { defineStudy } from "../define";
import { Check } from "../../report/result";
import { CLAIMS } from "./claims";
import { InfoLossOptions, infoLossDefaults, infoLossPresets, infoLossRules, checkInfoLoss, NAME } from "./options";
import { part1, behaviorManifolds } from "./part1-behavior-manifolds";
import { part2, hessianGram } from "./part2-hessian-gram";
import { part3, informationLoss } from "./part3-information-loss";
import { part3b, middleLayer } from "./part3b-middle-layer";
import { part4a } from "./part4a-manifold-dimension";
import { part4 } from "./part4-solutions";

export type { InfoLossOptions } from "./options";
export { infoLossDefaults } from "./options";

/** The study's one definition (define.ts): options with a rule each, presets, figures (parts), claims. */
export const infoLossStudy = defineStudy({
  name: NAME,
  namespace: "hebbar",
  title: "Information loss and basin flatness",
  authors: "Hebbar 2022",
  paper: "hebbar-2022-information-loss-basin-flatness.txt",
  notebook: "information-loss",
  defaults: infoLossDefaults,
  presets: infoLossPresets,
  rules: infoLossRules,
  check: checkInfoLoss,
  estimate: () => fromRecord(NAME),
  claims: CLAIMS,
  intro: {
    reads: ["xs", "ys", "ysAlt", "ysValley"],
    run: (o) => ({
      summary: {
        data:
          `Parts 4a, 4 and one Part 2 case: inputs x = ${JSON.stringify(o.xs)}, "linear targets" y ` +
          `= ${JSON.stringify(o.ys)}, "zig-zag targets" y = ${JSON.stringify(o.ysAlt)}, "valley targets" ` +
          `y = ${JSON.stringify(o.ysValley)}; Parts 1–3b ` +
          `otherwise: constructed inputs (see each part)`,
      },
      notes: [
        "Loss: Hebbar's Σ_i (f(x_i) − y_i)², i.e. 2N times rankscope's mean ½‖f − y‖²; at zero residual H = 2GGᵀ.",
        "Zero loss is reached by gradient descent then minimum-norm Gauss–Newton steps in float64 " +
          "(Σ(f − y)² below the tolerance).",
        "Ranks use the default tolerance σ_max · max(m, n) · eps.",
      ],
    }),
  },
  parts: { part1, part2, part3, part3b, part4a, part4 },
});

/**
 * The facts of Parts 1–3b that hold by construction or by algebra (manifold dimensions of the toy
 * models, H = 2GGᵀ at a zero-loss minimum, rank G under colliding inputs, the rank a middle-layer
 * collision reaches), each with its numbers:
 * for the unit tests, not for the ledger.
 */
export function infoLossFacts(o: InfoLossOptions): Check[] {
  return [...behaviorManifolds().facts, ...hessianGram(o).facts, ...informationLoss(o).facts, ...middleLayer(o).facts];
}

/** The paper's figures one call each, e.g. `hebbar.<figure>({ ... })`; `hebbar.study()` runs them all with the ledger. */
export const hebbar = infoLossStudy.calls;

/** Runs the whole study (every figure, each cached on its own; `force: true` recomputes); the same as `hebbar.study`. */
export const infoLoss = hebbar.study;
