/**
 * Levenberg–Marquardt (damped Gauss–Newton) for the MSE loss of a dense network, float64, full batch.
 *
 * Each step solves on the N·K × N·K Gram of the exact parameter Jacobian J (row n·K + k = ∇_θ f_k(x_n)):
 *   θ ← θ − Jᵀ (J Jᵀ + μ I)⁻¹ r,   r = f(X) − Y  (N·K),
 * which is the minimum-norm damped Gauss–Newton step (JᵀJ + μ I)⁻¹ Jᵀ r written on the smaller side. μ starts
 * at `damping`·λ_max(J Jᵀ), falls ×10 after a step that lowers the loss and rises ×10 (the step retried) after
 * one that does not. On a realisable target (a zero residual is reachable) it converges quadratically close to
 * the minimum, where gradient descent crawls: claims about the Hessian *at* a minimum need the loss near
 * float64 zero, not 1e-6.
 */
import { Matrix, eigh, gemmTrusted as gemm } from "../linalg";
import { NetSpec, normalizeSpec, paramCount } from "../nets/spec";
import { predict } from "../nets/forward";
import { parameterJacobian } from "../curvature/jacobian";
import { checkOptions, int, num } from "../util/options";

/** Options of `levenbergMarquardt` (mean-squared-error fit of a dense network, float64). */
export interface LevenbergMarquardtOptions {
  spec: NetSpec;
  /** starting parameters (not modified) */
  params: Float64Array;
  X: Matrix;
  Y: Matrix;
  /** most accepted steps (integer ≥ 0) */
  steps: number;
  /** stop once the mean loss ½‖f − y‖² / N is at or below this (default 1e-30) */
  targetLoss?: number;
  /** initial μ as a fraction of λ_max(J Jᵀ) (default 1e-3) */
  damping?: number;
  /** called after every accepted step (step 1, 2, …) with a copy of the parameters and the loss */
  onStep?: (step: number, params: Float64Array, loss: number) => void | Promise<void>;
}

/** What `levenbergMarquardt` returns: the final parameters, the loss per accepted step and why it stopped. */
export interface LevenbergMarquardtResult {
  params: Float64Array;
  /** loss before the first step (step 0) and after every accepted step */
  losses: { step: number; loss: number }[];
  /** why it stopped: the target loss, the step budget, or no damping left that lowers the loss */
  stopped: "target" | "steps" | "stalled";
}

function mseLoss(spec: NetSpec, params: Float64Array, X: Matrix, Y: Matrix, residual?: Float64Array): number {
  const F = predict(spec, params, X);
  let s = 0;
  for (let i = 0; i < F.data.length; i++) {
    const u = F.data[i] - Y.data[i];
    if (residual) residual[i] = u;
    s += u * u;
  }
  return (0.5 * s) / X.rows;
}

/** Damped Gauss–Newton on the MSE loss (see the module comment); deterministic, no randomness. */
export async function levenbergMarquardt(o: LevenbergMarquardtOptions): Promise<LevenbergMarquardtResult> {
  checkOptions("levenbergMarquardt", o, {
    spec: () => undefined,
    params: () => undefined,
    X: () => undefined,
    Y: () => undefined,
    onStep: () => undefined,
    steps: int(0),
    targetLoss: num(0),
    damping: num(Number.MIN_VALUE),
  });
  const spec = normalizeSpec(o.spec);
  if (o.params.length !== paramCount(spec))
    throw new Error(`levenbergMarquardt: the spec has ${paramCount(spec)} parameters, got ${o.params.length}`);
  const K = spec.sizes[spec.sizes.length - 1];
  if (o.X.cols !== spec.sizes[0] || o.Y.cols !== K || o.Y.rows !== o.X.rows) {
    throw new Error(
      `levenbergMarquardt: data must be N×${spec.sizes[0]} and N×${K}, got ` +
        `${o.X.rows}×${o.X.cols} and ${o.Y.rows}×${o.Y.cols}`,
    );
  }
  const target = o.targetLoss ?? 1e-30;
  const m = o.X.rows * K;
  let params = o.params.slice();
  const r = new Float64Array(m);
  let loss = mseLoss(spec, params, o.X, o.Y, r);
  const losses = [{ step: 0, loss }];
  let mu = -1;
  for (let step = 1; step <= o.steps; step++) {
    if (loss <= target) return { params, losses, stopped: "target" };
    const J = parameterJacobian({ spec, params, X: o.X, Y: o.Y });
    const G = gemm(J, J, { transB: true });
    const { values, vectors } = eigh(G);
    const lmax = Math.max(values[values.length - 1], Number.MIN_VALUE);
    if (mu < 0) mu = (o.damping ?? 1e-3) * lmax;
    // c = Uᵀ r once; each damping tried costs one N·K × N·K product and a forward pass
    const c = gemm(vectors, new Matrix(m, 1, r.slice()), { transA: true }).data;
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      const w = new Float64Array(m);
      for (let i = 0; i < m; i++) w[i] = c[i] / (Math.max(values[i], 0) + mu);
      const u = gemm(vectors, new Matrix(m, 1, w)).data;
      const delta = gemm(J, new Matrix(m, 1, u), { transA: true }).data;
      const next = params.slice();
      for (let i = 0; i < next.length; i++) next[i] -= delta[i];
      const r2 = new Float64Array(m);
      const l2 = mseLoss(spec, next, o.X, o.Y, r2);
      if (Number.isFinite(l2) && l2 < loss) {
        params = next;
        r.set(r2);
        loss = l2;
        mu = Math.max(mu / 10, 1e-15 * lmax);
        accepted = true;
        break;
      }
      mu *= 10;
    }
    if (!accepted) return { params, losses, stopped: "stalled" };
    losses.push({ step, loss });
    if (o.onStep) await o.onStep(step, params.slice(), loss);
  }
  return { params, losses, stopped: loss <= target ? "target" : "steps" };
}
