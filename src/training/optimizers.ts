/**
 * First-order optimisers on float64 parameter blocks (the float64 twin of tfjs's sgd / adam, for
 * training on the curvature engine's exact gradient):
 *   sgd    θ ← θ − lr·g
 *   adam   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  θ ← θ − lr·m̂/(√v̂ + ε)   (m̂, v̂ bias-corrected)
 *   adamw  adam, then the decoupled decay θ ← θ − lr·wd·θ
 * An L2 penalty (λ/2)‖θ‖² belongs in the gradient (g + λθ) and is the caller's.
 */
export const FLOAT64_OPTIMIZERS = ["sgd", "adam", "adamw"] as const;
export type Float64OptimizerName = (typeof FLOAT64_OPTIMIZERS)[number];

/** Adam's constants (as PyTorch's and tfjs's defaults), shared by every Adam in rankscope. */
export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/**
 * A first-order optimiser ("sgd", "adam" or "adamw", formulas above) that updates float64 (or float32) parameter blocks
 * in place. Throws for an unknown name or lr ≤ 0; `weightDecay` (default 0) is used by "adamw" only.
 */
export class Float64Optimizer {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;
  readonly beta1 = ADAM.beta1;
  readonly beta2 = ADAM.beta2;
  readonly eps = ADAM.eps;

  /** `sizes`: the length of each parameter block the optimiser will update */
  constructor(
    readonly name: Float64OptimizerName,
    readonly lr: number,
    sizes: number[],
    readonly weightDecay = 0,
    /** "adamw": per block, 1 where the decay acts (default everywhere); e.g. weights only, not biases */
    readonly decayMasks?: (Uint8Array | undefined)[],
  ) {
    if (!FLOAT64_OPTIMIZERS.includes(name))
      throw new Error(`optimizer must be one of ${FLOAT64_OPTIMIZERS.join(", ")}; got "${name}"`);
    if (!(lr > 0)) throw new Error(`optimizer: lr must be > 0, got ${lr}`);
    const moments = name !== "sgd";
    this.m = sizes.map((n) => new Float64Array(moments ? n : 0));
    this.v = sizes.map((n) => new Float64Array(moments ? n : 0));
  }

  /**
   * One update of every block in place with its gradient; `lr` overrides the constructor's for this step (a schedule).
   */
  step(params: (Float64Array | Float32Array)[], grads: (Float64Array | Float32Array)[], lr = this.lr): void {
    if (params.length !== this.m.length || grads.length !== this.m.length)
      throw new Error(
        `optimizer: expected ${this.m.length} parameter and gradient blocks, got ${params.length} and ${grads.length}`,
      );
    if (!(lr > 0)) throw new Error(`optimizer: lr must be > 0, got ${lr}`);
    this.t++;
    const { beta1: b1, beta2: b2, eps } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    params.forEach((p, k) => {
      const g = grads[k];
      if (this.name === "sgd") {
        for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
        return;
      }
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
      const mask = this.decayMasks?.[k];
      if (this.name === "adamw" && this.weightDecay)
        for (let i = 0; i < p.length; i++) if (!mask || mask[i]) p[i] -= lr * this.weightDecay * p[i];
    });
  }

  /** The optimiser's state (moments and step count), a copy: `restore` puts it back (checkpoints inside a task). */
  save(): { m: Float64Array[]; v: Float64Array[]; t: number } {
    return { m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()), t: this.t };
  }

  restore(state: { m: Float64Array[]; v: Float64Array[]; t: number }): void {
    if (state.m.length !== this.m.length || state.m.some((a, k) => a.length !== this.m[k].length))
      throw new Error("optimizer: a saved state of other parameter blocks cannot be restored");
    state.m.forEach((a, k) => this.m[k].set(a));
    state.v.forEach((a, k) => this.v[k].set(a));
    this.t = state.t;
  }
}
