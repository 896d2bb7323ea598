/**
 * The post's experiment: 1-D regression on a few points, a family of small networks [1, w, 1],
 * many seeds each trained to zero loss; at each solution rank G and the learned function.
 * Plain data in and out (worker threads).
 */
import { Matrix, rank } from "../../linalg";
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { solveToZeroLoss } from "./solve";

export interface SeedBatchArgs {
  width: number;
  activation: nets.Activation;
  seeds: number[];
  xs: number[];
  ys: number[];
  gdSteps: number;
  lr: number;
  grid: number[];
  tol: number;
}

export interface SeedOutcome {
  seed: number;
  converged: boolean;
  loss: number;
  rankG: number;
  curve: number[];
}

export function trainSeeds(a: SeedBatchArgs): { p: number; outcomes: SeedOutcome[] } {
  const spec: nets.NetSpec = { sizes: [1, a.width, 1], activation: a.activation, bias: true };
  const X = new Matrix(a.xs.length, 1, Float64Array.from(a.xs));
  const Y = new Matrix(a.ys.length, 1, Float64Array.from(a.ys));
  const grid = new Matrix(a.grid.length, 1, Float64Array.from(a.grid));
  const outcomes = a.seeds.map((seed) => {
    const params = nets.initParams(spec, { init: "he", seed });
    const sol = solveToZeroLoss({ spec, params, X, Y }, { gdSteps: a.gdSteps, lr: a.lr, tol: a.tol });
    const converged = sol.loss < a.tol;
    const J = cv.parameterJacobian({ spec, params: sol.params, X, Y });
    return { seed, converged, loss: sol.loss, rankG: rank(J), curve: Array.from(nets.predict(spec, sol.params, grid).data) };
  });
  return { p: nets.paramCount(spec), outcomes };
}

export const sweepModule = __filename;
