/**
 * Part 1 of the post, "Behavior manifolds": a 3-parameter model with 2 inputs. Generic inputs: the two
 * contour surfaces cross in a curve (dimension 3 − rank G = 1); inputs that collide inside the model:
 * the contours coincide and the solution set is a sheet (3 − rank G = 2).
 */
import { Matrix, rank } from "../../linalg";
import { Figure, colour, Trace } from "../../figures";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import { toyOutput, toyGradient, traceManifold, projectToy, ToyModel } from "./toy";
import { part, scene3d, WithFacts } from "./shared";

function isoTrace(model: ToyModel, x: number, y: number, c: string, name: string, box: number): Trace {
  const n = 28;
  const X: number[] = [];
  const Y: number[] = [];
  const Z: number[] = [];
  const V: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++) {
        const t = [-box + (2 * box * i) / (n - 1), -box + (2 * box * j) / (n - 1), -box + (2 * box * k) / (n - 1)];
        X.push(t[0]);
        Y.push(t[1]);
        Z.push(t[2]);
        V.push(toyOutput(model, t, x));
      }
  // isosurface traces are not in @types/plotly.js: built as plain JSON
  const iso: Record<string, unknown> = {
    type: "isosurface",
    name,
    x: X,
    y: Y,
    z: Z,
    value: V,
    isomin: y,
    isomax: y,
    surface: { count: 1 },
    caps: { x: { show: false }, y: { show: false }, z: { show: false } },
    colorscale: [
      [0, c],
      [1, c],
    ],
    showscale: false,
    opacity: 0.35,
    showlegend: true,
  };
  return iso as Trace;
}

/**
 * The two toy manifolds, their figures and the facts (rank G, the traced/sampled manifold stays on the solution set).
 */
export function behaviorManifolds(): WithFacts {
  const figures: Figure[] = [];
  const facts: Check[] = [];
  const box = 3;
  const theta = [0.8, -0.3, 1.5];
  // generic: two inputs whose contours cross transversally → 1-D manifold
  {
    const xs = [1, 2];
    const ys = xs.map((x) => toyOutput("generic", theta, x));
    const curve = traceManifold("generic", theta, xs, ys, { box });
    const G = new Matrix(3, 2);
    xs.forEach((x, j) => toyGradient("generic", theta, x).forEach((g, i) => G.set(i, j, g)));
    const rG = rank(G);
    const worst = Math.max(
      ...curve.map((t) => Math.max(...xs.map((x, i) => Math.abs(toyOutput("generic", t, x) - ys[i])))),
    );
    facts.push({
      name: "Part 1: generic inputs — rank G = 2, manifold is a curve on both contours",
      pass: rG === 2 && worst < 1e-12 && curve.length > 20,
      detail: `rank G = ${rG}; ${curve.length} traced points, max |f − y| along it ${worst.toExponential(1)}`,
    });
    figures.push(
      new Figure(
        "part1-manifold-generic",
        [
          isoTrace("generic", xs[0], ys[0], colour(0), `contour f(θ, x₁ = ${xs[0]}) = ${ys[0].toFixed(3)}`, box),
          isoTrace("generic", xs[1], ys[1], colour(1), `contour f(θ, x₂ = ${xs[1]}) = ${ys[1].toFixed(3)}`, box),
          {
            type: "scatter3d",
            mode: "lines",
            name: "behavior manifold (traced)",
            x: curve.map((t) => t[0]),
            y: curve.map((t) => t[1]),
            z: curve.map((t) => t[2]),
            line: { color: "#111", width: 6 },
          },
          {
            type: "scatter3d",
            mode: "markers",
            name: "solution θ*",
            x: [theta[0]],
            y: [theta[1]],
            z: [theta[2]],
            marker: { size: 5, color: colour(3) },
          },
        ],
        scene3d("Part 1 — f(θ, x) = θ₃ tanh(θ₁x + θ₂), two inputs: the contours cross in a curve (dim 3 − rank G = 1)"),
      ),
    );
  }
  // colliding: |x| discards the sign; +1 and −1 have identical contours → 2-D manifold
  {
    const xs = [1, -1];
    const y = toyOutput("colliding", theta, 1);
    const G = new Matrix(3, 2);
    xs.forEach((x, j) => toyGradient("colliding", theta, x).forEach((g, i) => G.set(i, j, g)));
    const rG = rank(G);
    // sample the 2-D sheet: offsets in the plane orthogonal to g, re-projected
    const g = toyGradient("colliding", theta, 1);
    const gn = Math.hypot(...g);
    const u = [g[1], -g[0], 0].map((v) => v / Math.hypot(g[1], g[0]));
    const w = [g[1] * u[2] - g[2] * u[1], g[2] * u[0] - g[0] * u[2], g[0] * u[1] - g[1] * u[0]].map((v) => v / gn);
    const pts: number[][] = [];
    for (let a = -10; a <= 10; a++)
      for (let b = -10; b <= 10; b++) {
        const t = projectToy(
          "colliding",
          theta.map((v, i) => v + 0.12 * (a * u[i] + b * w[i])),
          xs,
          [y, y],
        );
        if (t.every((v) => Math.abs(v) <= box)) pts.push(t);
      }
    const worst = Math.max(...pts.map((t) => Math.max(...xs.map((x) => Math.abs(toyOutput("colliding", t, x) - y)))));
    facts.push({
      name: "Part 1: colliding inputs — rank G = 1, the solution set is a 2-D sheet",
      pass: rG === 1 && worst < 1e-12 && pts.length > 100,
      detail:
        `rank G = ${rG}; ${pts.length} re-projected points spanning two directions, max |f − y| ` +
        `${worst.toExponential(1)}`,
    });
    figures.push(
      new Figure(
        "part1-manifold-colliding",
        [
          isoTrace("colliding", 1, y, colour(0), "contour for x₁ = +1", box),
          isoTrace("colliding", -1, y, colour(1), "contour for x₂ = −1 (coincides)", box),
          {
            type: "scatter3d",
            mode: "markers",
            name: "behavior manifold (2-D, sampled)",
            x: pts.map((t) => t[0]),
            y: pts.map((t) => t[1]),
            z: pts.map((t) => t[2]),
            marker: { size: 2, color: "#111" },
          },
        ],
        scene3d(
          "Part 1 — f(θ, x) = θ₃ tanh(θ₁|x| + θ₂), inputs ±1 collide: parallel contours, manifold dim 3 − rank G = 2",
        ),
      ),
    );
  }
  const output: PartOutput = { figures: figures.map((f) => f.toJSON()) };
  return { output, facts };
}

export const part1 = part({
  id: "part1",
  title: "Part 1 — behavior manifolds in 3-D (generic and colliding inputs)",
  reads: [],
  async run(): Promise<PartOutput> {
    return behaviorManifolds().output;
  },
});
