/**
 * Part 4 of the post, "Empirical results" (update 5/19): many seeds of small networks [1, w, 1] trained
 * to zero loss on 4 points; per size, how often the solution has rank G < k, and how much the learned
 * functions spread across seeds; per size the seeds that did not reach zero loss; per target set whether a zero-loss
 * solution with rank G < k exists at the smallest size at all (the existence claim is judged only where it does).
 */
import { Figure, lineFigure, houseLayout, colour, Trace, panelRow, panelAxes } from "../../figures";
import { Table } from "../../report/result";
import { wilson, std } from "../../util/stats";
import { Rng } from "../../util/random";
import { PartOutput } from "../parts";

import type { SizeCounts, DeficientTrend, SpreadTrend, DeficientExist } from "./claims";
import { part, targetSets, trainSeedBatches } from "./shared";
import { constructKinds, deficientSpan } from "./part4a-manifold-dimension";

/**
 * "on the line y = ax + b" when the targets are affine in x (to rounding), else how often the slope between neighbours
 * changes sign.
 */
export function describeTargets(xs: number[], ys: number[]): string {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const slopes = idx.slice(1).map((j, t) => (ys[j] - ys[idx[t]]) / (xs[j] - xs[idx[t]]));
  if (slopes.every((v) => Math.abs(v - slopes[0]) < 1e-9 * Math.max(1, Math.abs(slopes[0])))) {
    const a = slopes[0];
    const b = ys[idx[0]] - a * xs[idx[0]];
    return (
      `on the line y = ${+a.toPrecision(6)}x ${b < 0 ? "−" : "+"} ` +
      `${+Math.abs(b).toPrecision(6)}: one linear region fits them`
    );
  }
  const signs = slopes.map(Math.sign).filter((v) => v !== 0);
  const changes = signs.slice(1).filter((v, t) => v !== signs[t]).length;
  const shared = idx
    .slice(1)
    .map((j, t) => [idx[t], j])
    .filter(([i, j]) => ys[i] === ys[j])
    .map(([i, j]) => `x = ${xs[i]} and ${xs[j]} share the target ${ys[i]}`);
  return (
    `not on a line; the slope between neighbouring points changes sign ${changes} time${changes === 1 ? "" : "s"}` +
    (shared.length ? `; neighbours ${shared.join(", ")}` : "")
  );
}

function sizeCounts(s: { p: number; n: number; failed: number; deficient: number }): SizeCounts {
  return { p: s.p, converged: s.n, failed: s.failed, deficient: s.deficient };
}

/**
 * Whether the targets admit a zero-loss solution with rank G < k at width `width`, and the evidence: for ReLU, "no"
 * when no pattern span of rank < k holds the targets (`deficientSpan`: none at any width), "yes" with a constructed
 * witness (`constructKinds`: Σ(f − y)² < tol, rank G < k); for any activation, "yes" when a converged seed has rank
 * G < k; "unknown" otherwise.
 */
export function deficientAdmission(
  o: { activation: string; xs: number[]; tol: number },
  ys: number[],
  width: number,
  seeds: { converged: boolean; rankG: number; loss: number; seed: number }[],
): { admits: "yes" | "no" | "unknown"; why: string } {
  const k = o.xs.length;
  const p = 3 * width + 1;
  if (o.activation === "relu") {
    const span = deficientSpan(o.xs, ys);
    if (span.admits === "no")
      return {
        admits: "no",
        why:
          `no span{1, m∘x, m∘1} of ReLU activation patterns with rank < ${k} holds the targets, so no zero-loss ` +
          `solution has rank G < ${k} at any width`,
      };
    const built = constructKinds(o.xs, ys, width, o.tol)
      .filter((c) => c.rankG < k)
      .sort((a, b) => a.rankG - b.rankG);
    if (built.length)
      return {
        admits: "yes",
        why:
          `constructed at p = ${p}: units of patterns ${built[0].kind}, Σ(f − y)² = ` +
          `${built[0].loss.toExponential(1)}, rank G = ${built[0].rankG}`,
      };
  }
  const found = seeds.find((x) => x.converged && x.rankG < k);
  if (found)
    return {
      admits: "yes",
      why: `seed ${found.seed} at p = ${p}: Σ(f − y)² = ${found.loss.toExponential(1)}, rank G = ${found.rankG}`,
    };
  return {
    admits: "unknown",
    why:
      `no witness at p = ${p} (` +
      `${o.activation === "relu" ? "none constructed" : `no construction for ${o.activation}`}, none found by a seed)`,
  };
}

export const part4 = part({
  id: "part4",
  title: "Part 4 — rank-deficient solutions and spread of learned functions vs parameter count",
  reads: ["widths", "seeds", "activation", "xs", "ys", "ysAlt", "ysValley", "gdSteps", "lr", "tol"],
  async run(o): Promise<PartOutput> {
    const figures: Figure[] = [];
    const tables: Table[] = [];
    const notes: string[] = [];
    const summary: PartOutput["summary"] = {};
    const add = (f: Figure) => figures.push(f);
    const grid = Array.from({ length: 61 }, (_, i) => -1.5 + (3 * i) / 60);
    const sets = targetSets(o);
    const { tasks, results } = await trainSeedBatches(
      "Part 4: training seeds",
      sets,
      o.widths,
      o.seeds,
      { activation: o.activation, xs: o.xs, gdSteps: o.gdSteps, lr: o.lr, grid, tol: o.tol },
      o.workers,
    );
    const k = o.xs.length;
    const spreadOf = (curves: number[][]) =>
      grid.reduce((acc, _, gi) => acc + std(curves.map((c) => c[gi])), 0) / grid.length;
    const perSet = sets.map((set, si) =>
      o.widths.map((width) => {
        const rs = results.filter((_, i) => tasks[i].set === si && tasks[i].args.width === width);
        const outcomes = rs.flatMap((r) => r.outcomes);
        const ok = outcomes.filter((x) => x.converged);
        const bad = outcomes.filter((x) => !x.converged);
        const deficient = ok.filter((x) => x.rankG < k).length;
        const [lo, hi] = wilson(deficient, ok.length);
        const curves = ok.map((x) => x.curve);
        return {
          width,
          p: rs[0].p,
          n: ok.length,
          failed: bad.length,
          failedDeficient: bad.filter((x) => x.rankG < k).length,
          deficient,
          frac: ok.length ? deficient / ok.length : NaN,
          lo,
          hi,
          spread: spreadOf(curves),
          curves,
          finite: outcomes.every((x) => Number.isFinite(x.loss)),
          outcomes,
        };
      }),
    );
    // whether the claimed outcome (a zero-loss solution with rank G < k) is possible at the smallest size, per set
    const admission = sets.map((set, si) => deficientAdmission(o, set.ys, o.widths[0], perSet[si][0].outcomes));
    const checks = [
      {
        name: "Part 4: every seed finished with a finite loss",
        pass: perSet.every((st) => st.every((s) => s.finite)),
        detail: `${sets.length} target sets × ${o.widths.length} sizes × ${o.seeds} seeds`,
      },
    ];
    const P = perSet[0].map((s) => s.p);
    add(
      lineFigure("part4-rank-deficient-fraction", {
        title:
          `Part 4 — fraction of zero-loss solutions with rank G < ${k} (95 % Wilson CI), [1, w, 1] ` +
          `${o.activation}, ${o.seeds} seeds per size`,
        x: { title: "number of parameters" },
        y: { title: "fraction rank-deficient", range: [0, 1] },
        series: perSet.map((st, si) => ({
          name: sets[si].name,
          x: P,
          y: st.map((s) => s.frac),
          mode: "lines+markers" as const,
          band: [st.map((s) => s.lo), st.map((s) => s.hi)] as [number[], number[]],
          colourIndex: si,
        })),
      }),
    );
    add(
      lineFigure("part4-convergence", {
        title:
          `Part 4 — seeds that did not reach zero loss (Σ(f − y)² ≥ ${o.tol}), of ${o.seeds} per size; they are ` +
          `left out of the fractions`,
        x: { title: "number of parameters" },
        y: { title: `seeds not converged (of ${o.seeds})`, range: [0, o.seeds] },
        series: perSet.map((st, si) => ({
          name: sets[si].name,
          x: P,
          y: st.map((s) => s.failed),
          mode: "lines+markers" as const,
          colourIndex: si,
        })),
      }),
    );
    add(
      lineFigure("part4-function-spread", {
        title: "Part 4 — spread of the learned functions across seeds (mean over x ∈ [−1.5, 1.5] of the std)",
        x: { title: "number of parameters" },
        y: { title: "std across seeds", log: true },
        series: perSet.map((st, si) => ({
          name: sets[si].name,
          x: P,
          y: st.map((s) => s.spread),
          mode: "lines+markers" as const,
          colourIndex: si,
        })),
      }),
    );
    const stats = perSet[0];
    const show = [stats[0], stats[Math.floor(stats.length / 2)], stats[stats.length - 1]];
    const data: Trace[] = [];
    show.forEach((s, si) => {
      s.curves.slice(0, 100).forEach((c, ci) =>
        data.push({
          type: "scatter",
          mode: "lines",
          x: grid,
          y: c,
          ...panelAxes(si),
          line: { color: colour(si), width: 1 },
          opacity: 0.25,
          showlegend: ci === 0,
          name: `p = ${s.p}`,
          legendgroup: String(si),
        }),
      );
      data.push({
        type: "scatter",
        mode: "markers",
        x: o.xs,
        y: o.ys,
        ...panelAxes(si),
        marker: { color: "#000", size: 8 },
        showlegend: si === 0,
        name: "training points",
      });
    });
    const layout = panelRow(
      houseLayout({
        title: `Part 4 — learned functions of all seeds, ${sets[0].name} (up to 100 shown per size)`,
        x: { title: "x" },
        y: { title: "f(x)", range: [-3, 3] },
        width: 1200,
        height: 420,
      }),
      show.map((s) => `x (p = ${s.p})`),
      { yTitle: "f(x)" },
    );
    add(new Figure("part4-learned-functions", data, layout));

    // bootstrap over seeds of the change in spread (smallest → largest size), fixed RNG seed
    const rng = new Rng(20220519);
    const B = 2000;
    const spreadSets: SpreadTrend["sets"] = [];
    perSet.forEach((st, si) => {
      const first = st[0];
      const last = st[st.length - 1];
      tables.push({
        title: `Part 4: per size, ${sets[si].name} (y = ${JSON.stringify(sets[si].ys)})`,
        columns: [
          "width",
          "params",
          "converged seeds",
          "not converged",
          "not converged with rank G < k",
          "rank-deficient",
          "fraction",
          "CI low",
          "CI high",
          "fraction if all not-converged counted full rank",
          "fraction if all not-converged counted deficient",
          "function spread",
        ],
        rows: st.map((s) => [
          s.width,
          s.p,
          s.n,
          s.failed,
          s.failedDeficient,
          s.deficient,
          s.frac,
          s.lo,
          s.hi,
          s.deficient / (s.n + s.failed),
          (s.deficient + s.failed) / (s.n + s.failed),
          s.spread,
        ]),
      });
      if (first.n >= 2 && last.n >= 2) {
        const diffs: number[] = [];
        const resample = (c: number[][]) => c.map(() => c[Math.floor(rng.uniform() * c.length)]);
        for (let b = 0; b < B; b++) diffs.push(spreadOf(resample(last.curves)) - spreadOf(resample(first.curves)));
        diffs.sort((a, b) => a - b);
        spreadSets.push({
          name: sets[si].name,
          pFirst: first.p,
          pLast: last.p,
          spreadFirst: first.spread,
          spreadLast: last.spread,
          diffLow: diffs[Math.floor(0.025 * B)],
          diffHigh: diffs[Math.ceil(0.975 * B) - 1],
        });
      }
      summary[`part 4 ${sets[si].name}: rank-deficient fraction, p = ${first.p} → ${last.p}`] =
        `${first.frac.toFixed(3)} [${first.lo.toFixed(3)}, ${first.hi.toFixed(3)}] → ` +
        `${last.frac.toFixed(3)} [${last.lo.toFixed(3)}, ${last.hi.toFixed(3)}]`;
      summary[`part 4 ${sets[si].name}: function spread`] = `${first.spread.toFixed(3)} → ${last.spread.toFixed(3)}`;
      summary[`part 4 ${sets[si].name}: seeds not reaching zero loss, per size`] = st
        .map((s) => `p ${s.p}: ${s.failed}`)
        .join(", ");
      summary[`part 4 ${sets[si].name}: zero-loss solution with rank G < ${k} at p = ${first.p}`] =
        `${admission[si].admits}: ${admission[si].why}`;
      const total = st.reduce((a, s) => a + s.deficient, 0);
      const conv = st.reduce((a, s) => a + s.n, 0);
      notes.push(
        `Part 4, ${sets[si].name}: ${total} of ${conv} zero-loss solutions over all sizes have ` +
          `rank G < ${k} (per size: ` +
          `${st.map((s) => `p ${s.p}: ${s.deficient}/${s.n}`).join(", ")}).`,
      );
      // could excluding the seeds that did not converge bias the fraction? bound it by counting them all one way or the
      // other
      const failedAll = st.reduce((a, s) => a + s.failed, 0);
      const range = (s: (typeof st)[number]) => [
        s.deficient / (s.n + s.failed),
        (s.deficient + s.failed) / (s.n + s.failed),
      ];
      const bounds = (s: (typeof st)[number]) =>
        range(s)
          .map((v) => v.toFixed(3))
          .join(", ");
      summary[
        `part 4 ${sets[si].name}: rank-deficient fraction with the not-converged seeds counted full rank / deficient, per size`
      ] = st.map((s) => `p ${s.p}: [${bounds(s)}]`).join(", ");
      if (failedAll) {
        const [a0, b0] = range(first);
        const [a1, b1] = range(last);
        const fd = st.reduce((a, s) => a + s.failedDeficient, 0);
        const perSize = st
          .map(
            (s) =>
              `p ${s.p}: ${s.failed} of ${s.n + s.failed} seeds did not reach zero loss, fraction ` +
              `${s.n ? `${s.deficient}/${s.n} = ${s.frac.toFixed(3)}` : "undefined"} among the ` +
              `converged, [${bounds(s)}] with them counted full rank / ` +
              `deficient${s.failed === 0 ? " (no failure: exact)" : ""}`,
          )
          .join("; ");
        notes.push(
          `Part 4, ${sets[si].name}: ${failedAll} seeds did not reach zero loss (${fd} of them ` +
            `stopped at a point with rank G < ${k}; a point that is not a solution, so its rank is ` +
            `not a solution's). Per size — ${perSize}. The fractions in the figure and the claims are ` +
            `over converged seeds only; at p = ${first.p} the bounds are [${a0.toFixed(3)}, ` +
            `${b0.toFixed(3)}] and at p = ${last.p} [${a1.toFixed(3)}, ${b1.toFixed(3)}]: ` +
            (String(
              b1 < a0 || a1 > b0
                ? "the exclusion cannot reverse the comparison of these two sizes"
                : "the exclusion could change the comparison of these two sizes (the failures are not " + "ignorable)",
            ) +
              `.`),
        );
      } else
        notes.push(
          `Part 4, ${sets[si].name}: every seed reached zero loss at every size, so the fractions exclude none.`,
        );
    });
    notes.push(
      `Part 4: the post's update says more overparameterised networks are less likely to land ` +
        `on non-full-rank solutions and generalise more consistently. The post does not give its ` +
        `data, widths or optimiser; the inputs, the ${sets.length} target sets, the [1, w, 1] ` +
        `${o.activation} family, He initialisation, ${o.gdSteps} GD steps at lr ${o.lr} then ` +
        `Gauss–Newton polishing are this reproduction's choices.`,
    );
    notes.unshift(
      `Part 4 data: ${k} training inputs x = ${JSON.stringify(o.xs)}, each network fitted to ` +
        `${sets.length} target sets separately — ` +
        `${sets.map((set) => `"${set.name}" y = ${JSON.stringify(set.ys)} (${describeTargets(o.xs, set.ys)})`).join("; ")}. ` +
        `Widths w = ${JSON.stringify(o.widths)} of [1, w, 1] ${o.activation} with bias (p = 3w + ` +
        `1 = ${JSON.stringify(P)}), ${o.seeds} seeds per size and target set; rank-deficient ` +
        `means rank G < k = ${k} at the zero-loss solution; the spread is measured on 61 points x ` +
        `∈ [−1.5, 1.5]; the learned-functions figure shows the "${sets[0].name}" runs.`,
    );
    const evidence: Record<string, unknown> = {
      "part4-fewer-deficient": {
        sets: perSet.map((st, si) => ({
          name: sets[si].name,
          first: sizeCounts(st[0]),
          last: sizeCounts(st[st.length - 1]),
        })),
      } satisfies DeficientTrend,
      "part4-deficient-exist": {
        sets: perSet.map((st, si) => ({
          name: sets[si].name,
          counts: sizeCounts(st[0]),
          perSize: st.map(sizeCounts),
          admits: admission[si].admits,
          why: admission[si].why,
        })),
      } satisfies DeficientExist,
    };
    const unassessed: Record<string, string> = {};
    if (spreadSets.length) evidence["part4-consistent-functions"] = { sets: spreadSets } satisfies SpreadTrend;
    else unassessed["part4-consistent-functions"] = "fewer than 2 converged seeds at the smallest or largest size";
    return { figures: figures.map((f) => f.toJSON()), summary, tables, checks, notes, evidence, unassessed };
  },
});
