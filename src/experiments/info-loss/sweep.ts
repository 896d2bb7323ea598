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
  /** also return each solution's kind (`solutionKind`) */
  kinds?: boolean;
}

export interface SeedOutcome {
  seed: number;
  converged: boolean;
  loss: number;
  rankG: number;
  curve: number[];
  kind?: string;
}

/**
 * The kind of a [1, w, 1] ReLU solution: the distinct activation patterns of its hidden units on the
 * training inputs (a bit per input, in the order given; units inactive on every input and units with a
 * zero output weight left out), sorted and joined, e.g. "0011,1100". The kind fixes rank G: the unit's
 * gradients span {m∘x, m∘1} for its pattern m, plus the output bias's 1.
 */
export function solutionKind(spec: nets.NetSpec, params: Float64Array, xs: number[]): string {
  const [first, second] = nets.layout(spec);
  const patterns = new Set<string>();
  for (let j = 0; j < first.rows; j++) {
    const a = params[first.wOffset + j];
    const b = first.bOffset >= 0 ? params[first.bOffset + j] : 0;
    if (params[second.wOffset + j] === 0) continue;
    const m = xs.map((x) => (a * x + b > 0 ? "1" : "0")).join("");
    if (m.includes("1")) patterns.add(m);
  }
  return [...patterns].sort().join(",");
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
    const out: SeedOutcome = {
      seed,
      converged,
      loss: sol.loss,
      rankG: rank(J),
      curve: Array.from(nets.predict(spec, sol.params, grid).data),
    };
    if (a.kinds) out.kind = solutionKind(spec, sol.params, a.xs);
    return out;
  });
  return { p: nets.paramCount(spec), outcomes };
}

export const sweepModule = __filename;
