/**
 * Fig. 2 (Sec. 5), symmetry learning: one deep L2-regularised network predicts the losses of the next T GD
 * steps of ½‖uuᵀ + E − wwᵀ‖²_F from w₀. Figures: the training inputs in the top-2 principal plane of its
 * middle layer (coloured by the summary statistics) with GD paths mapped through it, the same paths in the
 * plane of the true statistics, and the explained variance of the top components by layer.
 */
import { Figure, houseLayout, colour, Trace, panelGrid, panelAxes } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { definePart, PartOutput } from "../parts";
import { SymmetryArgs, SymmetryRun, bottleneckRunModule } from "./run";
import type { SymmetryFacts } from "./claims";
import type { BottleneckOptions } from "./options";

const part = definePart<BottleneckOptions>();

/**
 * Symmetry task: w₀ radii of the training set, GD paths' start radius, the neighbourhood of their common end left out
 * of crossing counts (fraction of the cloud's diameter).
 */
export const SYM = { rMin: 0.2, rMax: 1.5, pathRadius: 1.35, endRadius: 0.05 };

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

const SYMMETRY_CLAIMS = ["symmetry-2d-statistics", "symmetry-paths-no-crossing"] as const;

export const symmetryLearning = part({
  id: "symmetryLearning",
  title: "Fig. 2 — symmetry learning: a 2-D middle representation of the summary statistics",
  reads: [
    "symmetry",
    "symDepth",
    "symWidth",
    "symN",
    "symSteps",
    "symD",
    "symT",
    "symEta",
    "symNoise",
    "paths",
    "lr",
    "lambda",
    "precision",
  ],
  async run(o): Promise<PartOutput> {
    if (!o.symmetry)
      return {
        figures: [],
        unassessed: Object.fromEntries(SYMMETRY_CLAIMS.map((id) => [id, "not run (option symmetry is false)"])),
      };
    const args: SymmetryArgs = {
      depth: o.symDepth,
      width: o.symWidth,
      lr: o.lr,
      lambda: o.lambda,
      steps: o.symSteps,
      precision: o.precision,
      seed: 0,
      d: o.symD,
      T: o.symT,
      eta: o.symEta,
      noise: o.symNoise,
      n: o.symN,
      ...SYM,
      paths: o.paths,
      pathEta: o.symEta / 5,
    };
    const bar = new Progress(`training the symmetry network (${o.precision}, L2)`, 1);
    const t0 = Date.now();
    const [s] = await mapTasks<SymmetryRun>([{ module: bottleneckRunModule, fn: "runSymmetry", args }], {
      workers: o.workers,
      onDone: () => bar.tick(),
    });
    bar.finish();
    const tTrain = (Date.now() - t0) / 1000;

    const figures: Figure[] = [];
    const absA = s.a.map(Math.abs);
    const data: Trace[] = [];
    const panels = [
      { title: `layer ${s.layer}, coloured by |w·u|`, colour: absA, label: "|w·u|" },
      { title: `layer ${s.layer}, coloured by ‖w − (w·u)u‖`, colour: s.b, label: "‖w⊥‖" },
    ];
    panels.forEach((p, pi) => {
      data.push({
        type: "scatter",
        mode: "markers",
        ...panelAxes(pi),
        x: s.coords.map((q) => q[0]),
        y: s.coords.map((q) => q[1]),
        name: p.label,
        showlegend: false,
        marker: {
          size: 5,
          color: p.colour,
          colorscale: pi ? "Cividis" : "Viridis",
          showscale: true,
          colorbar: { title: { text: p.label }, len: 0.8, thickness: 14, x: pi ? 0.97 : 0.44 },
        },
      });
      s.paths.learned.forEach((path, j) =>
        data.push({
          type: "scatter",
          mode: "lines",
          ...panelAxes(pi),
          x: path.map((q) => q[0]),
          y: path.map((q) => q[1]),
          name: "GD paths",
          legendgroup: "paths",
          showlegend: pi === 0 && j === 0,
          line: { color: "#d62728", width: 1.5 },
        }),
      );
    });
    const layout = houseLayout({
      title:
        `Fig. 2 — the ${o.symN} training inputs w₀ in the top-2 principal plane of layer ` +
        `${s.layer} of a depth-${s.depth} network, with ${o.paths} GD paths of ½‖uuᵀ + E − ` +
        `wwᵀ‖²_F mapped through it (d = ${o.symD}, T = ${o.symT})`,
      x: { title: "" },
      y: { title: "" },
      width: 1080,
      height: 480,
    });
    panelGrid(
      layout,
      panels.map((p) => p.title),
      { cols: 2, xTitle: "PC 1" },
    );
    // room for each panel's colour bar at its right
    (layout.xaxis as Record<string, unknown>).domain = [0.04, 0.41];
    (layout.xaxis2 as Record<string, unknown>).domain = [0.56, 0.93];
    layout.legend = { x: 0.56, y: 1.02, orientation: "h" };
    figures.push(new Figure("fig2-symmetry-representation", data, layout));
    const stats: Trace[] = s.paths.stats.map((path, j) => ({
      type: "scatter",
      mode: "lines+markers",
      x: path.map((q) => q[0]),
      y: path.map((q) => q[1]),
      name: `path ${j + 1}`,
      marker: { size: 3 },
      line: { width: 1.5, color: colour(j) },
    }));
    figures.push(
      new Figure(
        "fig2-symmetry-true-statistics",
        stats,
        houseLayout({
          title: "The same GD paths in the plane of the true summary statistics (|w·u|, ‖w − (w·u)u‖)",
          x: { title: "|w·u|" },
          y: { title: "‖w − (w·u)u‖" },
        }),
      ),
    );
    const L = s.repVariance.length;
    figures.push(
      new Figure(
        "fig2-symmetry-explained-variance",
        [1, 2, 3].map((k, i) => ({
          type: "scatter",
          mode: "lines+markers",
          x: Array.from({ length: L }, (_, l) => l + 1),
          y: s.repVariance.map((v) => v[k - 1]),
          name: `top ${k} PC${k > 1 ? "s" : ""}`,
          line: { color: colour(i), width: 2 },
        })),
        houseLayout({
          title:
            `Explained variance of the top principal components of each layer's pre-activations ` +
            `(symmetry task, depth ${s.depth})`,
          x: { title: "layer l (L = output)" },
          y: { title: "cumulative explained variance" },
        }),
      ),
    );
    const ev = s.repVariance[s.layer - 1];
    const facts: SymmetryFacts = {
      relMse: s.mse / s.targetVariance,
      layer: s.layer,
      ev1: ev[0],
      ev2: ev[1],
      r2StatsFromRep: s.r2StatsFromRep,
      r2RepFromStats: s.r2RepFromStats,
      crossingsLearned: s.crossings.learned,
      crossingsStats: s.crossings.stats,
      paths: o.paths,
    };
    return {
      figures: figures.map((f) => f.toJSON()),
      summary: {
        "symmetry: explained variance of the top 1 / top 2 PCs of the middle layer":
          `layer ${s.layer} of ${s.depth}: ${fmt(ev[0], 5)} / ${fmt(ev[1], 5)}; fit MSE / variance ` +
          `${fmt(s.mse / s.targetVariance)}`,
        "symmetry: 5-NN leave-one-out R² between the 2-D representation and (|w·u|, ‖w⊥‖)":
          `statistics from representation ${fmt(s.r2StatsFromRep)}, representation from statistics ` +
          `${fmt(s.r2RepFromStats)}`,
        "symmetry: GD paths crossing in the learned plane (in the true plane)":
          `${s.crossings.learned} (${s.crossings.stats}) crossings among ${o.paths} paths, outside ` +
          `${100 * SYM.endRadius} % of the cloud's diameter around their common end`,
      },
      notes: [
        `Symmetry task, reconstructed from Section 5's text: L(w) = ½‖uuᵀ + E − wwᵀ‖²_F on ` +
          `R^${o.symD}, u a random unit vector, E symmetric with N(0, ${o.symNoise}²) entries; ` +
          `targets L(w_1 … w_${o.symT}) of GD with η = ${o.symEta}, standardised per step; w₀ drawn ` +
          `uniformly in (r, φ) over r ∈ [${SYM.rMin}, ${SYM.rMax}], φ ∈ [0, π] with a random ` +
          `direction ⊥ u, so the training set covers the half-disc of summary statistics. The loss ` +
          `depends on w·u only through |w·u|, so the representation can be a bijection of (|w·u|, ` +
          `‖w⊥‖) at best.`,
        `GD paths start at radius ${SYM.pathRadius} with w·u > 0 and step η/5, and stop where ` +
          `|w·u| reaches 1 ± 0.05; near the minimiser all paths run into one point, where crossings ` +
          `are not counted.`,
      ],
      evidence: { "symmetry-2d-statistics": facts, "symmetry-paths-no-crossing": facts },
      timings: { "training (wall)": tTrain },
    };
  },
});
