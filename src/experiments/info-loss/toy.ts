/**
 * Three-parameter models for seeing behavior manifolds in 3-D.
 *   generic:   f(θ, x) = θ₃ · tanh(θ₁ x + θ₂)
 *   colliding: f(θ, x) = θ₃ · tanh(θ₁ |x| + θ₂) — the fixed first "layer" |x| discards the sign, so the
 *              inputs +a and −a collide inside the model and their contours coincide.
 */
export type ToyModel = "generic" | "colliding";

export function toyOutput(model: ToyModel, t: ArrayLike<number>, x: number): number {
  const u = model === "colliding" ? Math.abs(x) : x;
  return t[2] * Math.tanh(t[0] * u + t[1]);
}

export function toyGradient(model: ToyModel, t: ArrayLike<number>, x: number): [number, number, number] {
  const u = model === "colliding" ? Math.abs(x) : x;
  const th = Math.tanh(t[0] * u + t[1]);
  const s = 1 - th * th;
  return [t[2] * s * u, t[2] * s, th];
}

/** Newton projection of θ onto {f(θ, x_i) = y_i} with minimum-norm steps (2 equations, 3 unknowns). */
export function projectToy(model: ToyModel, theta: number[], xs: number[], ys: number[], iters = 50): number[] {
  let t = theta.slice();
  for (let k = 0; k < iters; k++) {
    const r = xs.map((x, i) => toyOutput(model, t, x) - ys[i]);
    if (Math.max(...r.map(Math.abs)) < 1e-14) break;
    const G = xs.map((x) => toyGradient(model, t, x));
    // minimum-norm step: δ = Gᵀ (G Gᵀ + εI)⁻¹ r (2×2 or 1×1 system)
    const m = xs.length;
    const A = Array.from({ length: m }, (_, i) =>
      Array.from(
        { length: m },
        (_, j) => G[i][0] * G[j][0] + G[i][1] * G[j][1] + G[i][2] * G[j][2] + (i === j ? 1e-14 : 0),
      ),
    );
    let z: number[];
    if (m === 1) z = [r[0] / A[0][0]];
    else {
      const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
      z = [(A[1][1] * r[0] - A[0][1] * r[1]) / det, (-A[1][0] * r[0] + A[0][0] * r[1]) / det];
    }
    t = t.map((v, c) => v - G.reduce((s, g, i) => s + g[c] * z[i], 0));
  }
  return t;
}

/** Traces the 1-D behavior manifold through θ* (generic case) by steps along g₁ × g₂, re-projected. */
export function traceManifold(
  model: ToyModel,
  start: number[],
  xs: number[],
  ys: number[],
  opts: { step?: number; steps?: number; box?: number } = {},
): number[][] {
  const { step = 0.04, steps = 120, box = 4 } = opts;
  const cross = (a: number[], b: number[]) => [
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  ];
  const branch = (sign: number) => {
    const pts: number[][] = [];
    let t = start.slice();
    let prev: number[] | undefined;
    for (let k = 0; k < steps; k++) {
      const [g1, g2] = xs.map((x) => toyGradient(model, t, x));
      let d = cross(g1, g2);
      const n = Math.hypot(...d);
      if (n < 1e-12) break;
      d = d.map((v) => v / n);
      if (prev ? d[0] * prev[0] + d[1] * prev[1] + d[2] * prev[2] < 0 : sign < 0) d = d.map((v) => -v);
      prev = d;
      t = projectToy(
        model,
        t.map((v, i) => v + step * d[i]),
        xs,
        ys,
      );
      if (t.some((v) => Math.abs(v) > box)) break;
      pts.push(t);
    }
    return pts;
  };
  return [...branch(-1).reverse(), start, ...branch(1)];
}
