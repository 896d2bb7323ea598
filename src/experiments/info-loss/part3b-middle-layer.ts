/**
 * Part 3b: the post's mechanism at a MIDDLE layer. "If the number of parameters before L is less than
 * m, then there is guaranteed to be linear dependence" — tested where the m inputs are distinct before
 * layer L and only layer L maps them to one point (not where they collide in every layer, Part 3).
 *
 * The networks (explicit, float64, analytic gradients):
 *   f = c₀ + Σ_j c_j tanh(a_j h + e_j),   h = φ(z)  (layer L, one unit),   3w + 1 parameters after L,
 * and three ways layer L loses the information that distinguishes m inputs:
 *   projection: z = uᵀx, x ∈ R^d, φ = tanh (P_B = d weights before L); the m inputs are distinct points of
 *     the hyperplane uᵀx = z* — the layer's linear map discards every direction orthogonal to u;
 *   fold: z = uᵀx as above, φ = sin; the m inputs have distinct pre-activations z* + 2πn or π − z* + 2πn,
 *     which sin maps to one value (a periodic activation folds its input);
 *   hidden-fold: a trainable hidden layer before L, g = tanh(a t) (q units, scalar input t), z = uᵀg,
 *     φ = sin (P_B = 2q); the m inputs differ at the input, at the hidden layer and at L's pre-activation.
 * The other k − m inputs are generic. Targets are the network's own outputs, so the point is a zero-loss
 * minimum of Σ(f − y)² (where rank H = rank G, Part 2).
 *
 * Algebra: the colliding inputs' gradients share their after-L part and differ only in the P_B
 * before-L coordinates, so rank of those m columns ≤ 1 + min(m − 1, P_B): dependence is guaranteed for
 * P_B ≤ m − 2. For a projection the differences also lie in u⊥ (dim P_B − 1), so the rank is ≤ P_B.
 */
import { Matrix, rank, svdvals } from "../../linalg";
import { lineFigure } from "../../figures";
import { Check, Table } from "../../report/result";
import { Rng } from "../../util/random";
import { PartOutput } from "../parts";
import type { InfoLossOptions } from "./options";
import type { MiddleLayerSweep } from "./claims";
import { part, WithFacts } from "./shared";

export type Collision = "projection" | "fold" | "hidden-fold";
export const COLLISIONS: readonly Collision[] = ["projection", "fold", "hidden-fold"];

/**
 * Whether a collision can be built with P_B = d parameters before L (distinct points on a hyperplane need d ≥ 2; the
 * hidden layer has 2 per unit).
 */
export function buildable(collision: Collision, d: number): boolean {
  return collision === "projection" ? d >= 2 : collision === "hidden-fold" ? d % 2 === 0 && d >= 2 : d >= 1;
}

export interface MiddleLayerArgs {
  collision: Collision;
  /** parameters before layer L (projection, fold: the input dimension; hidden-fold: 2 × hidden units) */
  d: number;
  /** after-L tanh width w (3w + 1 parameters) */
  width: number;
  /** colliding inputs m, of k */
  m: number;
  k: number;
  seed: number;
}

export interface MiddleLayerCase {
  /** parameters θ = [before-L (d): u, or a then u for hidden-fold; a (w), e (w), c (w), c₀] */
  params: Float64Array;
  /** k × d inputs (hidden-fold: k × 1); rows 0..m−1 collide at layer L */
  X: Matrix;
  /** pre-activations uᵀx and activations h of layer L, per input */
  z: number[];
  h: number[];
  /** G: N × k, column i = ∇_θ f(θ, x_i) */
  G: Matrix;
}

const Z_STAR = 0.4;

function phi(c: Collision, z: number): number {
  return c === "projection" ? Math.tanh(z) : Math.sin(z);
}
function dphi(c: Collision, z: number): number {
  if (c !== "projection") return Math.cos(z);
  const t = Math.tanh(z);
  return 1 - t * t;
}

/** Layer L's pre-activation z and its gradient with respect to the d parameters before L. */
function preactivation(
  collision: Collision,
  d: number,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
): { z: number; dz: Float64Array } {
  const dz = new Float64Array(d);
  let z = 0;
  if (collision === "hidden-fold") {
    const q = d / 2;
    const t = x[0];
    for (let j = 0; j < q; j++) {
      const g = Math.tanh(params[j] * t);
      z += params[q + j] * g;
      dz[j] = params[q + j] * (1 - g * g) * t;
      dz[q + j] = g;
    }
  } else
    for (let i = 0; i < d; i++) {
      z += params[i] * x[i];
      dz[i] = x[i];
    }
  return { z, dz };
}

/** f(θ, x) of the Part 3b network (for finite-difference checks). */
export function middleLayerOutput(
  collision: Collision,
  d: number,
  width: number,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
): number {
  const h = phi(collision, preactivation(collision, d, params, x).z);
  let f = params[d + 3 * width];
  for (let j = 0; j < width; j++) f += params[d + 2 * width + j] * Math.tanh(params[d + j] * h + params[d + width + j]);
  return f;
}

/** ∇_θ f(θ, x), analytic. */
export function middleLayerGradient(
  collision: Collision,
  d: number,
  width: number,
  params: ArrayLike<number>,
  x: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(d + 3 * width + 1);
  const { z, dz } = preactivation(collision, d, params, x);
  const h = phi(collision, z);
  let v = 0; // ∂f/∂h
  for (let j = 0; j < width; j++) {
    const a = params[d + j];
    const c = params[d + 2 * width + j];
    const s = Math.tanh(a * h + params[d + width + j]);
    const t = 1 - s * s;
    g[d + j] = c * t * h;
    g[d + width + j] = c * t;
    g[d + 2 * width + j] = s;
    v += c * t * a;
  }
  g[d + 3 * width] = 1;
  const back = v * dphi(collision, z);
  for (let i = 0; i < d; i++) g[i] = back * dz[i];
  return g;
}

/**
 * Builds one case: random weights, m inputs colliding at layer L (distinct before it), k − m generic inputs; and G
 * there.
 */
export function middleLayerCase(a: MiddleLayerArgs): MiddleLayerCase {
  const { collision, d, width, m, k } = a;
  if (!buildable(collision, d))
    throw new Error(
      `Part 3b: a ${collision} collision cannot be built with ${d} parameters before L ` +
        `(projection: ≥ 2; hidden-fold: even, ≥ 2)`,
    );
  const rng = new Rng(7919 * a.seed + 31 * d + COLLISIONS.indexOf(collision));
  const N = d + 3 * width + 1;
  const params = new Float64Array(N);
  // the colliding pre-activations: one value (projection), or sin's preimages of one value, centred on 0
  const shift = Math.floor((m - 1) / 4);
  const targets = Array.from({ length: m }, (_, i) =>
    collision === "projection"
      ? Z_STAR
      : (i % 2 === 0 ? Z_STAR : Math.PI - Z_STAR) + 2 * Math.PI * (Math.floor(i / 2) - shift),
  );
  const others = Array.from({ length: k - m }, (_, i) => -1.5 + (3 * (i + 0.5)) / (k - m) + 0.1 * rng.normal());
  const dim = collision === "hidden-fold" ? 1 : d;
  const X = new Matrix(k, dim);
  if (collision === "hidden-fold") {
    // g = tanh(a t), z = uᵀg with a, u > 0: z rises monotonically from −|u|₁ to |u|₁, so every target has one input t
    const q = d / 2;
    const reach = Math.max(...targets.map(Math.abs), ...others.map(Math.abs)) + 3;
    for (let j = 0; j < q; j++) {
      params[j] = 0.5 + rng.uniform();
      params[q + j] = (reach / q) * (1 + 0.2 * rng.uniform());
    }
    const solve = (target: number) => {
      let lo = -1e3;
      let hi = 1e3;
      for (let it = 0; it < 200; it++) {
        const mid = (lo + hi) / 2;
        if (preactivation(collision, d, params, [mid]).z < target) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    };
    [...targets, ...others].forEach((t, i) => X.set(i, 0, solve(t)));
  } else {
    const u = rng.normals(d);
    const un = Math.hypot(...u);
    for (let i = 0; i < d; i++) params[i] = u[i] / un; // |u| = 1
    // an input with uᵀx = target: a random point moved along u
    const place = (target: number): Float64Array => {
      const r = rng.normals(d);
      let ur = 0;
      for (let i = 0; i < d; i++) ur += params[i] * r[i];
      for (let i = 0; i < d; i++) r[i] += (target - ur) * params[i];
      return r;
    };
    [...targets, ...others].forEach((t, i) => X.data.set(place(t), i * d));
  }
  for (let j = 0; j < width; j++) {
    params[d + j] = rng.normal();
    params[d + width + j] = 0.5 * rng.normal();
    params[d + 2 * width + j] = rng.normal();
  }
  params[d + 3 * width] = 0.1;
  const z: number[] = [];
  const h: number[] = [];
  const G = new Matrix(N, k);
  for (let i = 0; i < k; i++) {
    const x = X.row(i);
    const zi = preactivation(collision, d, params, x).z;
    z.push(zi);
    h.push(phi(collision, zi));
    middleLayerGradient(collision, d, width, params, x).forEach((g, p) => G.set(p, i, g));
  }
  return { params, X, z, h, G };
}

/** The rank of the m colliding columns this construction reaches for generic weights (the algebra in the header). */
export function expectedCollidingRank(collision: Collision, d: number, m: number): number {
  return collision === "projection" ? Math.min(m, d) : Math.min(m, d + 1);
}

function columns(G: Matrix, from: number, to: number): Matrix {
  const out = new Matrix(G.rows, to - from);
  for (let i = 0; i < G.rows; i++) for (let j = from; j < to; j++) out.set(i, j - from, G.get(i, j));
  return out;
}

export const MIDDLE_LAYER_READS = ["midCollide", "midK", "midParams", "midWidth", "midSeeds"] as const;

export function middleLayer(o: Pick<InfoLossOptions, (typeof MIDDLE_LAYER_READS)[number]>): WithFacts {
  const m = o.midCollide;
  const k = o.midK;
  const facts: Check[] = [];
  const rows: MiddleLayerSweep["rows"] = [];
  const tableRows: Table["rows"] = [];
  let minDistAll = Infinity;
  let minZAll = Infinity;
  let spreadAll = 0;
  for (const collision of COLLISIONS)
    for (const d of o.midParams) {
      if (!buildable(collision, d)) continue;
      const ranks: number[] = [];
      const collidingRanks: number[] = [];
      let spread = 0; // max |h_i − h_1| over the colliding inputs
      let gap = 0; // largest σ_(r+1)/σ_max over the seeds (how clear the rank is)
      let minDist = Infinity; // smallest distance between two colliding inputs
      let minZ = Infinity; // fold: smallest gap between two colliding pre-activations
      for (let seed = 0; seed < o.midSeeds; seed++) {
        const c = middleLayerCase({ collision, d, width: o.midWidth, m, k, seed });
        const rG = rank(c.G);
        const rM = rank(columns(c.G, 0, m));
        ranks.push(rG);
        collidingRanks.push(rM);
        rows.push({ collision, pBefore: d, seed, rankG: rG, rankColliding: rM });
        const s = svdvals(c.G);
        if (rG < s.length) gap = Math.max(gap, s[rG] / s[0]);
        for (let i = 1; i < m; i++) spread = Math.max(spread, Math.abs(c.h[i] - c.h[0]));
        for (let i = 0; i < m; i++)
          for (let j = i + 1; j < m; j++) {
            let dd = 0;
            for (let t = 0; t < c.X.cols; t++) dd += (c.X.get(i, t) - c.X.get(j, t)) ** 2;
            minDist = Math.min(minDist, Math.sqrt(dd));
            minZ = Math.min(minZ, Math.abs(c.z[i] - c.z[j]));
          }
      }
      minDistAll = Math.min(minDistAll, minDist);
      if (collision !== "projection") minZAll = Math.min(minZAll, minZ);
      spreadAll = Math.max(spreadAll, spread);
      const expected = expectedCollidingRank(collision, d, m);
      const bound = k - m + Math.min(m, d + 1);
      const N = d + 3 * o.midWidth + 1;
      const range = (v: number[]) =>
        Math.min(...v) === Math.max(...v) ? String(v[0]) : `${Math.min(...v)}–${Math.max(...v)}`;
      const postPredicts = d < m;
      const holds = ranks.every((r) => r < k);
      tableRows.push([
        collision,
        d,
        N,
        m,
        k,
        range(collidingRanks),
        range(ranks),
        postPredicts ? "rank G < k" : "—",
        postPredicts ? (holds ? "holds" : "fails") : "—",
        bound,
        spread,
        gap,
      ]);
      facts.push({
        name:
          `Part 3b: ${collision} at layer L, P_B = ${d} — rank of the ${m} colliding columns = ` +
          `${expected}, rank G = k − m + that, never above the bound k − m + min(m, P_B + 1)`,
        pass:
          collidingRanks.every((r) => r === expected) &&
          ranks.every((r) => r === k - m + expected && r <= bound) &&
          spread < 1e-12 &&
          minDist > 1e-3 &&
          (collision === "projection" || minZ > 1),
        detail:
          `rank of colliding columns ${collidingRanks.join(", ")} (expected ${expected}); rank G ` +
          `${ranks.join(", ")} (bound ${bound}); max |h_i − h_1| ${spread.toExponential(1)}; ` +
          `colliding inputs at least ${minDist.toFixed(3)} ` +
          `apart${collision !== "projection" ? `, pre-activations at least ${minZ.toFixed(2)} apart` : ""}; ` +
          `σ_(r+1)/σ_max ≤ ${gap.toExponential(1)}`,
      });
    }
  const meanBy = (collision: Collision, key: "rankG" | "rankColliding") =>
    o.midParams
      .filter((d) => buildable(collision, d))
      .map((d) => {
        const r = rows.filter((x) => x.collision === collision && x.pBefore === d);
        return r.reduce((a, x) => a + x[key], 0) / r.length;
      });
  const dsOf = (collision: Collision) => o.midParams.filter((d) => buildable(collision, d));
  const figure = lineFigure("part3b-middle-layer-rank", {
    title:
      `Part 3b — ${m} of ${k} inputs collide at a middle layer L (distinct before it): rank G ` +
      `vs the parameters before L (mean of ${o.midSeeds} constructions)`,
    x: { title: "parameters before layer L (P_B)" },
    y: { title: "rank G" },
    series: [
      {
        name: "fold (sin) on the input, measured",
        x: dsOf("fold"),
        y: meanBy("fold", "rankG"),
        mode: "lines+markers",
        colourIndex: 0,
      },
      {
        name: "fold after a tanh hidden layer, measured",
        x: dsOf("hidden-fold"),
        y: meanBy("hidden-fold", "rankG"),
        mode: "markers",
        colourIndex: 2,
      },
      {
        name: "projection (tanh), measured",
        x: dsOf("projection"),
        y: meanBy("projection", "rankG"),
        mode: "lines+markers",
        colourIndex: 1,
      },
      {
        name: "bound k − m + min(m, P_B + 1)",
        x: o.midParams,
        y: o.midParams.map((d) => k - m + Math.min(m, d + 1)),
        dash: "dot",
        colourIndex: 7,
      },
    ],
    hlines: [{ y: k, label: `k = ${k} (independent)` }],
    vlines: [{ x: m - 0.5, label: `post: P_B < m = ${m} ⇒ rank G < k` }],
    // the lower right is empty (ranks reach k at large P_B): the legend goes there, the plot keeps the width
    extra: { legend: { x: 0.98, xanchor: "right", y: 0.04, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)" } },
  });
  const tables: Table[] = [
    {
      title:
        `Part 3b: ${m} of ${k} inputs collide at layer L, rank G vs parameters before L ` +
        `(${o.midSeeds} random constructions each)`,
      columns: [
        "collision",
        "P_B (params before L)",
        "N params",
        "m",
        "k",
        "rank of the m colliding columns",
        "rank G",
        "post predicts",
        "post's bound",
        "bound k − m + min(m, P_B + 1)",
        "max |h_i − h_1| at L",
        "largest σ_(r+1)/σ_max",
      ],
      rows: tableRows,
    },
  ];
  const edge = COLLISIONS.map((c) => {
    const r = rows.filter((x) => x.collision === c && x.pBefore === m - 1);
    if (!r.length) return "";
    const full = r.filter((x) => x.rankG >= k).length;
    return (
      `${c}: rank G ${[...new Set(r.map((x) => x.rankG))].join("/")} ` +
      `(${full ? `${full} of ${r.length} constructions independent` : "dependent in all"})`
    );
  }).filter(Boolean);
  const atEdge = edge.length
    ? `Measured at P_B = m − 1 = ${m - 1} (k = ${k}): ${edge.join("; ")}.`
    : `P_B = m − 1 = ${m - 1} was not in the sweep.`;
  const notes = [
    `Part 3b: f = c₀ + Σ_j c_j tanh(a_j h + e_j) with ${o.midWidth} tanh units after the ` +
      `one-unit layer L, h = φ(z) (${3 * o.midWidth + 1} parameters after L). ${m} of ${k} ` +
      `inputs collide at L: "projection" — distinct points x ∈ R^P_B of the hyperplane uᵀx = ` +
      `${Z_STAR}, z = uᵀx, φ = tanh; "fold" — z = uᵀx with distinct values ${Z_STAR} + 2πn and ` +
      `π − ${Z_STAR} + 2πn, mapped to one value by φ = sin; "hidden-fold" — the same fold after ` +
      `a trainable tanh layer g = tanh(a t) of P_B/2 units on a scalar input t, z = uᵀg. ` +
      `Measured over all constructions: colliding inputs at least ${minDistAll.toPrecision(3)} ` +
      `apart, fold pre-activations at least ${minZAll.toPrecision(3)} apart, activations at L ` +
      `equal to within ${spreadAll.toExponential(1)}. The other ${k - m} inputs are generic. ` +
      `Targets are the network's outputs, so every case is a zero-loss minimum; ${o.midSeeds} ` +
      `random constructions (weights and inputs) per size.`,
    `Part 3b: the colliding gradients share their after-L part and differ only in the P_B ` +
      `before-L coordinates, so their rank is at most 1 + min(m − 1, P_B): for any activation ` +
      `the algebra guarantees dependence for P_B ≤ m − 2. With an injective activation (the ` +
      `projection: identical activations mean identical pre-activations) the differences also lie ` +
      `in u⊥ (rank ≤ P_B), so the post's "less than m" suffices; a folding activation (sin) maps ` +
      `distinct pre-activations to one value and needs P_B ≤ m − 2. In a ReLU network a ` +
      `collision at L is in its dead zone (zero gradients before L) or has identical ` +
      `pre-activations, whose gradient differences positive homogeneity keeps in a hyperplane ` +
      `(rank ≤ P_B), as for the projection (an argument, not measured here). The ledger judges ` +
      `the two kinds apart. ${atEdge}`,
  ];
  const evidence = { "part3b-middle-layer-bound": { m, k, rows } satisfies MiddleLayerSweep };
  return { output: { figures: [figure.toJSON()], tables, notes, evidence }, facts };
}

export const part3b = part({
  id: "part3b",
  title: "Part 3b — collision at a middle layer: rank G vs the parameters before it",
  reads: MIDDLE_LAYER_READS,
  async run(o): Promise<PartOutput> {
    return middleLayer(o).output;
  },
});
