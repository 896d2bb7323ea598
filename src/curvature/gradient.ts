/** Loss and gradient by back-propagation: ∂L/∂W_l = g_lᵀ H_{l−1}, ∂L/∂b_l = Σ_n g_l. */
import { Matrix, gemm } from "../linalg";
import { Problem, prepare, Prepared } from "./problem";

/**
 * The gradient of the mean loss (length p) from a prepared problem.
 * @internal
 */
export function gradientOf(prep: Prepared): Float64Array {
  const grad = new Float64Array(prep.p);
  for (const s of prep.cache.slots) {
    const gl = prep.g[s.layer];
    const gW = gemm(new Matrix(prep.N, s.rows, gl), prep.cache.H[s.layer - 1], { transA: true });
    grad.set(gW.data, s.wOffset);
    if (s.bOffset >= 0)
      for (let n = 0; n < prep.N; n++) for (let j = 0; j < s.rows; j++) grad[s.bOffset + j] += gl[n * s.rows + j];
  }
  return grad;
}

/**
 * Mean loss and its gradient with respect to the flat parameter vector (length p, same layout as `params`), by
 * back-propagation in float64. Throws a `SpecError` for an invalid problem.
 */
export function lossAndGradient(problem: Problem): { loss: number; gradient: Float64Array } {
  const prep = prepare("lossAndGradient", problem);
  return { loss: prep.lossValue, gradient: gradientOf(prep) };
}

/** Mean loss of the problem at its parameters (no derivatives). Throws a `SpecError` for an invalid problem. */
export function lossValue(problem: Problem): number {
  return prepare("lossValue", problem).lossValue;
}
