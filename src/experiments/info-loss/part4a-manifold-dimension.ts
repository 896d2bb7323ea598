/**
 * Part 4a: "circuit complexity and manifold dimension do not seem very predictive of which solution will
 * be found in very small networks (~20 params / 4 data pts)", and footnote 5: that higher-dimensional
 * solution manifolds drain more of parameter space "is not at all dominant in very small networks".
 *
 * Tested on the Part 4 points with a [1, w, 1] ReLU network (w = 6: 19 parameters). A zero-loss
 * solution's kind is the set of distinct activation patterns of its hidden units on the 4 inputs
 * (`solutionKind`); the kind fixes rank G and so the manifold dimension N − rank G. The kinds: every
 * kind training found, and every kind this part constructs explicitly (a zero-loss point with units
 * of exactly those patterns, kinks placed at random inside the gaps, output weights solved) — so
 * kinds that exist but that no seed finds count with frequency 0. How often a kind is found (the
 * fraction of He-initialised seeds that reach it: its initialisation-weighted basin volume) is set
 * against its manifold dimension by Spearman's ρ over the kinds, with a permutation test (dimensions
 * shuffled over the kinds). A bootstrap over seeds is no use here: a dimension class no seed finds keeps
 * frequency 0 in every resample, so the resampled ρ keeps its sign whatever the evidence.
 */
import { Matrix, lstsq, rank } from "../../linalg";
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { lineFigure } from "../../figures";
import { Check, Table } from "../../report/result";
import { Rng } from "../../util/random";
import { PartOutput } from "../parts";
import type { DimensionVsFrequency } from "./claims";
import { solutionKind } from "./sweep";
import { sumSquares } from "./solve";
import { part, targetSets, trainSeedBatches } from "./shared";

/** Average ranks (ties share the mean rank). */
export function midRanks(v: number[]): number[] {
  const idx = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
    for (let t = i; t <= j; t++) r[idx[t]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's ρ (Pearson correlation of the mid-ranks); NaN when either variable is constant. */
export function spearman(x: number[], y: number[]): number {
  const rx = midRanks(x);
  const ry = midRanks(y);
  const n = x.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n;
  const my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** The active sets one ReLU unit relu(a x + b) can have on the inputs: a threshold t in a gap, either slope sign. */
export function unitPatterns(xs: number[]): { pattern: string; lo: number; hi: number; sign: number }[] {
  const sorted = [...xs].sort((a, b) => a - b);
  const edges = [sorted[0] - 1, ...sorted, sorted[sorted.length - 1] + 1];
  const out: { pattern: string; lo: number; hi: number; sign: number }[] = [];
  for (let g = 0; g + 1 < edges.length; g++)
    for (const sign of [1, -1]) {
      const t = (edges[g] + edges[g + 1]) / 2;
      const pattern = xs.map((x) => (sign * (x - t) > 0 ? "1" : "0")).join("");
      if (pattern.includes("1")) out.push({ pattern, lo: edges[g], hi: edges[g + 1], sign });
    }
  return out;
}

/**
 * Whether targets `ys` on 1-D inputs `xs` admit a zero-loss solution with rank G < k for a [1, w, 1] ReLU network with
 * bias, at any width: a solution's outputs lie in S(P) = span{1, m∘x, m∘1 : m ∈ P}, P the patterns of its units with a
 * non-zero output weight, and G's columns span S(P), so rank G < k needs ys ∈ S(P) with dim S(P) < k for some P.
 * "no" when no pattern set has that (a certificate: none exists at any width); "possible" otherwise, with the smallest
 * such dim S(P) (a construction must still show one, `constructKinds`); "unknown" when the pattern sets are too many
 * to enumerate (more than 2^15).
 */
export function deficientSpan(xs: number[], ys: number[]): { admits: "no" | "possible" | "unknown"; dim?: number } {
  const patterns = [...new Set(unitPatterns(xs).map((r) => r.pattern))];
  if (patterns.length > 15) return { admits: "unknown" };
  const k = xs.length;
  const Y = new Matrix(k, 1, Float64Array.from(ys));
  const yNorm = Math.hypot(...ys);
  let best = Infinity;
  for (let mask = 0; mask < 1 << patterns.length; mask++) {
    const cols: number[][] = [xs.map(() => 1)];
    patterns.forEach((m, i) => {
      if (!(mask & (1 << i))) return;
      cols.push(xs.map((x, t) => (m[t] === "1" ? x : 0)));
      cols.push(xs.map((_, t) => (m[t] === "1" ? 1 : 0)));
    });
    const A = new Matrix(k, cols.length, Float64Array.from(xs.flatMap((_, t) => cols.map((c) => c[t]))));
    const r = rank(A);
    if (r >= k || r >= best) continue;
    const c = lstsq(A, Y).x;
    let res = 0;
    for (let t = 0; t < k; t++) res += (A.row(t).reduce((a, v, j) => a + v * c.data[j], 0) - ys[t]) ** 2;
    if (Math.sqrt(res) <= 1e-10 * Math.max(1, yNorm)) best = r;
  }
  return Number.isFinite(best) ? { admits: "possible", dim: best } : { admits: "no" };
}

export interface ConstructedKind {
  kind: string;
  params: Float64Array;
  loss: number;
  rankG: number;
}

/**
 * Every kind (set of unit patterns, at most `width` of them) that has a zero-loss solution this
 * construction reaches: per kind, up to `trials` random kink placements inside the gaps, output weights
 * by least squares plus a random null-space part; kept when Σ(f − y)² < tol, every output weight is
 * non-zero and the solution's kind (recomputed from its parameters) is the one asked for.
 */
export function constructKinds(xs: number[], ys: number[], width: number, tol: number, trials = 20): ConstructedKind[] {
  const spec: nets.NetSpec = { sizes: [1, width, 1], activation: "relu", bias: true };
  const [first, second] = nets.layout(spec);
  const X = new Matrix(xs.length, 1, Float64Array.from(xs));
  const Y = new Matrix(ys.length, 1, Float64Array.from(ys));
  const realisations = unitPatterns(xs);
  const patterns = [...new Set(realisations.map((r) => r.pattern))].sort();
  const out: ConstructedKind[] = [];
  const n = xs.length;
  const right = Math.max(...xs) + 1;
  for (let mask = 1; mask < 1 << patterns.length; mask++) {
    const chosen = patterns.filter((_, i) => mask & (1 << i));
    if (chosen.length > width) continue;
    const rng = new Rng(1000 + mask);
    for (let t = 0; t < trials; t++) {
      const units = chosen.map((p) => {
        const options = realisations.filter((r) => r.pattern === p);
        const r = options[Math.floor(rng.uniform() * options.length)];
        const kink = r.lo + (0.1 + 0.8 * rng.uniform()) * (r.hi - r.lo);
        const a = r.sign * (0.5 + 1.5 * rng.uniform());
        return { a, b: -a * kink };
      });
      const A = new Matrix(n, units.length + 1);
      for (let i = 0; i < n; i++) {
        A.set(i, 0, 1);
        units.forEach((u, j) => A.set(i, j + 1, Math.max(0, u.a * xs[i] + u.b)));
      }
      const cMin = lstsq(A, Y).x;
      const z = new Matrix(units.length + 1, 1, rng.normals(units.length + 1));
      const zRow = lstsq(
        A,
        new Matrix(
          n,
          1,
          Float64Array.from({ length: n }, (_, i) => A.row(i).reduce((s, v, j) => s + v * z.data[j], 0)),
        ),
      ).x;
      const c = cMin.data.map((v, j) => v + z.data[j] - zRow.data[j]);
      if (c.slice(1).some((v) => Math.abs(v) < 1e-6)) continue;
      const params = new Float64Array(nets.paramCount(spec));
      for (let j = 0; j < width; j++) {
        const u = units[j];
        params[first.wOffset + j] = u ? u.a : 1;
        params[first.bOffset + j] = u ? u.b : -right; // extra units: inactive on every input
        params[second.wOffset + j] = u ? c[j + 1] : 0.5;
      }
      params[second.bOffset] = c[0];
      const problem = { spec, params, X, Y };
      const loss = sumSquares(problem);
      if (!(loss < tol) || solutionKind(spec, params, xs) !== chosen.join(",")) continue;
      out.push({ kind: chosen.join(","), params, loss, rankG: rank(cv.parameterJacobian(problem)) });
      break;
    }
  }
  return out;
}

export const MANIFOLD_DIMENSION_READS = [
  "dimWidth",
  "dimSeeds",
  "xs",
  "ys",
  "ysAlt",
  "ysValley",
  "gdSteps",
  "lr",
  "tol",
] as const;

interface KindRow {
  kind: string;
  rankG: number;
  dim: number;
  found: number;
  constructed: boolean;
}

export const part4a = part({
  id: "part4a",
  title: "Part 4a — does manifold dimension predict which solution is found? (~20 parameters, 4 points)",
  reads: MANIFOLD_DIMENSION_READS,
  async run(o): Promise<PartOutput> {
    const width = o.dimWidth;
    const spec: nets.NetSpec = { sizes: [1, width, 1], activation: "relu", bias: true };
    const N = nets.paramCount(spec);
    const k = o.xs.length;
    const sets = targetSets(o);
    const { tasks, results } = await trainSeedBatches(
      "Part 4a: training seeds",
      sets,
      [width],
      o.dimSeeds,
      { activation: "relu", xs: o.xs, gdSteps: o.gdSteps, lr: o.lr, grid: [0], tol: o.tol, kinds: true },
      o.workers,
    );

    const tables: Table[] = [];
    const notes: string[] = [];
    const checks: Check[] = [];
    const summary: PartOutput["summary"] = {};
    const evidenceSets: DimensionVsFrequency["sets"] = [];
    const series: { name: string; x: number[]; y: number[]; mode: "markers"; colourIndex: number }[] = [];
    sets.forEach((set, si) => {
      const outcomes = results.filter((_, i) => tasks[i].set === si).flatMap((r) => r.outcomes);
      const ok = outcomes.filter((x) => x.converged);
      const kinds = new Map<string, KindRow>();
      let rankMismatch = 0;
      for (const x of ok) {
        const row = kinds.get(x.kind!) ?? {
          kind: x.kind!,
          rankG: x.rankG,
          dim: N - x.rankG,
          found: 0,
          constructed: false,
        };
        if (row.rankG !== x.rankG) rankMismatch++;
        row.found++;
        kinds.set(x.kind!, row);
      }
      const built = constructKinds(o.xs, set.ys, width, o.tol);
      for (const b of built) {
        const row = kinds.get(b.kind);
        if (row) {
          row.constructed = true;
          if (row.rankG !== b.rankG) rankMismatch++;
        } else kinds.set(b.kind, { kind: b.kind, rankG: b.rankG, dim: N - b.rankG, found: 0, constructed: true });
      }
      checks.push({
        name: `Part 4a, ${set.name}: every solution of one kind has the same rank G (the kind fixes it)`,
        pass: rankMismatch === 0,
        detail: `${rankMismatch} solutions whose rank G differs from the first of their kind; ${kinds.size} kinds`,
      });
      const rows = [...kinds.values()].sort(
        (a, b) => b.found - a.found || b.dim - a.dim || a.kind.localeCompare(b.kind),
      );
      const dims = rows.map((r) => r.dim);
      const n = ok.length;
      const freq = (counts: number[]) => counts.map((c) => c / Math.max(1, n));
      const rho = spearman(dims, freq(rows.map((r) => r.found)));
      // permutation test: the kinds' dimensions shuffled over the kinds; the 95 % range of ρ under no association, and
      // a two-sided p
      const rng = new Rng(20220516 + si);
      const P = 5000;
      const counts = rows.map((r) => r.found);
      const nullRho: number[] = [];
      for (let t = 0; t < P && Number.isFinite(rho); t++) {
        const r = spearman(
          rng.permutation(rows.length).map((i) => dims[i]),
          counts,
        );
        if (Number.isFinite(r)) nullRho.push(r);
      }
      nullRho.sort((x, y) => x - y);
      const low = nullRho.length ? nullRho[Math.floor(0.025 * nullRho.length)] : NaN;
      const high = nullRho.length ? nullRho[Math.ceil(0.975 * nullRho.length) - 1] : NaN;
      // one-sided p-values (ties count as extreme, +1 for the observed labelling): robust to the null distribution's
      // atoms
      const pOf = (hit: (r: number) => boolean) =>
        nullRho.length ? (nullRho.filter(hit).length + 1) / (nullRho.length + 1) : NaN;
      const pHigh = pOf((r) => r >= rho - 1e-12);
      const pLow = pOf((r) => r <= rho + 1e-12);
      const distinctDims = [...new Set(dims)].sort((a, b) => b - a);
      evidenceSets.push({
        name: set.name,
        kinds: rows.length,
        kindsFound: rows.filter((r) => r.found > 0).length,
        distinctDims: distinctDims.length,
        seeds: o.dimSeeds,
        converged: n,
        rho,
        nullLow: low,
        nullHigh: high,
        pHigh,
        pLow,
      });
      tables.push({
        title:
          `Part 4a: ${set.name} (y = ${JSON.stringify(set.ys)}), [1, ${width}, 1] ReLU, N = ${N}: ` +
          `solution kinds by manifold dimension`,
        columns: [
          "manifold dim N − rank G",
          "rank G",
          "kinds (found or constructed)",
          "kinds found",
          "seeds landing there",
          "fraction of converged seeds",
          "seeds per kind (mean)",
        ],
        rows: distinctDims.map((d) => {
          const of = rows.filter((r) => r.dim === d);
          const seeds = of.reduce((a, r) => a + r.found, 0);
          return [
            d,
            N - d,
            of.length,
            of.filter((r) => r.found > 0).length,
            seeds,
            seeds / Math.max(1, n),
            seeds / of.length,
          ];
        }),
      });
      tables.push({
        title:
          `Part 4a: ${set.name}: every kind (activation patterns of the hidden units on x = ` +
          `${JSON.stringify(o.xs)})`,
        columns: ["kind", "rank G", "manifold dim", "seeds finding it", "fraction", "constructed"],
        rows: rows.map((r) => [
          r.kind,
          r.rankG,
          r.dim,
          r.found,
          r.found / Math.max(1, n),
          r.constructed ? "yes" : "no",
        ]),
      });
      series.push({
        name: set.name,
        x: rows.map((r, i) => r.dim + 0.12 * (si - (sets.length - 1) / 2) + 0.03 * ((i % 5) - 2)),
        y: rows.map((r) => r.found / Math.max(1, n)),
        mode: "markers",
        colourIndex: si,
      });
      const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "undefined");
      const pFmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(2) : "undefined");
      summary[`part 4a ${set.name}: Spearman ρ(manifold dim, frequency) over kinds`] = Number.isFinite(rho)
        ? `${fmt(rho)} (permutation 95 % range [${fmt(low)}, ${fmt(high)}]; P(ρ_perm ≥ ρ) ` +
          `${pFmt(pHigh)}, P(ρ_perm ≤ ρ) ${pFmt(pLow)}), ${rows.length} kinds`
        : `undefined: ` +
          String(
            distinctDims.length === 1
              ? `all ${rows.length} kinds have manifold dimension ${distinctDims[0]}`
              : "every kind is found equally often",
          );
      notes.push(
        `Part 4a, ${set.name}: ${n} of ${o.dimSeeds} seeds reached zero loss; ${rows.length} ` +
          `kinds (${rows.filter((r) => r.found > 0).length} found by training, ` +
          `${rows.filter((r) => r.found === 0).length} only constructed), manifold dimensions ` +
          `${distinctDims.join(", ")}; ` +
          (String(
            distinctDims
              .map(
                (d) =>
                  `dim ${d}: ${rows.filter((r) => r.dim === d).reduce((a, r) => a + r.found, 0)} seeds over ` +
                  `${rows.filter((r) => r.dim === d).length} kinds`,
              )
              .join("; "),
          ) +
            `. `) +
          `Spearman ρ between a kind's manifold dimension and the fraction of seeds finding it ` +
          `${fmt(rho)}; with the dimensions shuffled over the kinds (${P} permutations) 95 % of ρ ` +
          `lie in [${fmt(low)}, ${fmt(high)}]; P(ρ_perm ≥ ρ) = ${pFmt(pHigh)}, P(ρ_perm ≤ ρ) = ` +
          `${pFmt(pLow)}.`,
      );
    });
    const figure = lineFigure("part4a-dimension-vs-frequency", {
      title:
        `Part 4a — how often each kind of zero-loss solution is found vs its manifold dimension, ` +
        `[1, ${width}, 1] ReLU (N = ${N}), ${o.dimSeeds} seeds per target set`,
      x: { title: "manifold dimension N − rank G (kinds spread sideways)" },
      y: { title: "fraction of converged seeds finding the kind" },
      series,
    });
    notes.push(
      `Part 4a: a kind is the set of distinct activation patterns of the hidden units on the ` +
        `${k} inputs; the kinds counted are those training found and those constructed explicitly ` +
        `(up to 20 random kink placements per set of patterns, output weights solved, kept at Σ(f ` +
        `− y)² < ${o.tol}). A kind never found has frequency 0. Same optimiser as Part 4 (He ` +
        `initialisation, ${o.gdSteps} GD steps at lr ${o.lr}, then Gauss–Newton), ReLU whatever ` +
        `Part 4's activation.`,
    );
    return {
      figures: [figure.toJSON()],
      summary,
      tables,
      checks,
      notes,
      evidence: { "part4a-dimension-not-predictive": { sets: evidenceSets } satisfies DimensionVsFrequency },
    };
  },
});
