/**
 * Zero-loss solutions and behavior manifolds, in float64.
 * Hebbar's loss is the sum of squares L(θ) = Σ_i ‖f(θ, x_i) − y_i‖²; rankscope's "mse" is the mean of
 * ½‖·‖², so L = 2N · L_mse and, at a zero-residual point, H_L = 2 G Gᵀ (G = Jᵀ, p × N·K).
 */
import { Matrix, lstsq, rank, svd } from "../../linalg";
import * as cv from "../../curvature";

export function sumSquares(problem: cv.Problem): number {
  return 2 * problem.X.rows * cv.lossValue({ ...problem, loss: "mse" });
}

function residual(problem: cv.Problem): { r: Matrix; J: Matrix } {
  const prep = cv.prepare("residual", { ...problem, loss: "mse" });
  const r = new Matrix(
    prep.N * prep.K,
    1,
    prep.F.map((v, i) => v - prep.Y[i]),
  );
  return { r, J: cv.jacobianOf(prep) };
}

export interface SolveOptions {
  /** plain gradient-descent steps on the mean ½‖·‖² loss before polishing */
  gdSteps?: number;
  lr?: number;
  /** stop polishing when Σ(f − y)² falls below this */
  tol?: number;
  maxNewton?: number;
}

/**
 * Gradient descent from the given parameters, then minimum-norm Gauss–Newton steps
 * θ ← θ − α J⁺ r (α halved until the loss falls), which converge quadratically to a nearby point
 * of the zero-loss manifold when one exists. Returns the final parameters and Σ(f − y)².
 */
export function solveToZeroLoss(
  problem: cv.Problem,
  opts: SolveOptions = {},
): { params: Float64Array; loss: number; newtonSteps: number } {
  const { gdSteps = 0, lr = 0.05, tol = 1e-24, maxNewton = 60 } = opts;
  const params = problem.params.slice();
  const p = () => ({ ...problem, params, loss: "mse" as const });
  for (let t = 0; t < gdSteps; t++) {
    const { gradient } = cv.lossAndGradient(p());
    for (let i = 0; i < params.length; i++) params[i] -= lr * gradient[i];
  }
  let loss = sumSquares(p());
  let k = 0;
  for (; k < maxNewton && loss > tol; k++) {
    const { r, J } = residual(p());
    const step = lstsq(J, r).x.data;
    let alpha = 1;
    let improved = false;
    for (let h = 0; h < 30; h++) {
      const trial = params.map((v, i) => v - alpha * step[i]);
      const l = sumSquares({ ...problem, params: trial });
      if (l < loss) {
        params.set(trial);
        loss = l;
        improved = true;
        break;
      }
      alpha /= 2;
    }
    if (!improved) break;
  }
  return { params, loss, newtonSteps: k };
}

/** Orthonormal basis of the null space of Gᵀ (directions along which no output changes to first order). */
export function behaviorNullSpace(problem: cv.Problem): { basis: Matrix; rankG: number } {
  const J = cv.parameterJacobian({ ...problem, loss: "mse" }); // N·K × p
  const p = J.cols;
  const r = rank(J);
  // null space of J: right singular vectors beyond the rank (thin SVD of Jᵀ gives them when p > NK)
  const full = new Matrix(Math.max(J.rows, p), p);
  full.data.set(J.data); // pad with zero rows so the thin SVD returns all p right singular vectors
  const { V } = svd(full);
  const basis = new Matrix(p - r, p);
  for (let j = r; j < p; j++) for (let i = 0; i < p; i++) basis.data[(j - r) * p + i] = V.get(i, j);
  return { basis, rankG: r };
}

export interface WalkResult {
  /** how many directions were walked */
  directions: number;
  /** directions whose re-projected point kept Σ(f − y)² below `tol` with a correction ≪ the step */
  stayed: number;
  /** largest loss after re-projection, and largest correction/step ratio, over the null directions */
  worstLoss: number;
  worstCorrection: number;
  /** the same ratio for steps along range(G) (they must be corrected back by about the whole step) */
  rangeCorrection: number;
}

/**
 * Walks from a zero-loss point along each null direction of Gᵀ by `step`, re-projects to zero loss
 * (minimum-norm Gauss–Newton) and checks the loss is back to zero with a correction of order step².
 */
export function walkNullSpace(
  problem: cv.Problem,
  opts: { step?: number; tol?: number; maxDirections?: number } = {},
): WalkResult {
  const { step = 1e-3, tol = 1e-20, maxDirections = Infinity } = opts;
  const { basis } = behaviorNullSpace(problem);
  const p = basis.cols;
  const n = Math.min(basis.rows, maxDirections);
  let stayed = 0;
  let worstLoss = 0;
  let worstCorrection = 0;
  const walk = (dir: Float64Array) => {
    const start = problem.params.map((v, i) => v + step * dir[i]);
    const res = solveToZeroLoss({ ...problem, params: start }, { tol: tol / 100 });
    let c = 0;
    for (let i = 0; i < p; i++) c += (res.params[i] - start[i]) ** 2;
    return { loss: res.loss, correction: Math.sqrt(c) / step };
  };
  for (let j = 0; j < n; j++) {
    const w = walk(basis.row(j).slice());
    worstLoss = Math.max(worstLoss, w.loss);
    worstCorrection = Math.max(worstCorrection, w.correction);
    if (w.loss < tol && w.correction < 0.05) stayed++;
  }
  // contrast: a step along a behavioral gradient must be undone
  const G = cv.parameterJacobian({ ...problem, loss: "mse" });
  const g = G.row(0).slice();
  const gn = Math.hypot(...g);
  const range = walk(g.map((v) => v / gn));
  return { directions: n, stayed, worstLoss, worstCorrection, rangeCorrection: range.correction };
}
