/**
 * Fig. 1 (Sec. 3.1) and the bottleneck structure of Theorem 6 / Corollary 8: deep ReLU networks on the
 * BN-rank-k task, trained with an L2 penalty at several depths and seeds (one worker-pool sweep), plus one
 * network per other latent k at sweepDepth. Its figures share that sweep:
 *   (a) singular values of every weight matrix by layer (k near 1, the rest near 0),
 *   (b) spectra of the hidden representations (approximately k-dimensional),
 *   (c) ‖θ‖² against depth with the fit R⁽⁰⁾·L + R⁽¹⁾ per family of minima (the paper's Fig. 1),
 * the learned rank against k, the numbers per depth, and how homogeneous the learned maps are (Σ‖b_l‖² against
 * Σ‖W_l‖², ‖f(2x) − 2f(x)‖ / ‖2f(x)‖ on the training inputs).
 */
import { Figure, houseLayout, colour, Trace, panelGrid, panelAxes, lineFigure } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { mean, wilson, lineFit } from "../../util/stats";
import { definePart, PartOutput } from "../parts";
import { BnRankArgs, BnRankRun, bottleneckRunModule } from "./run";
import { RunFacts, FIT_FRACTION } from "./claims";
import { latentText, LatentDistribution } from "../../data";
import type { BottleneckOptions } from "./options";

const part = definePart<BottleneckOptions>();

/** singular values kept per layer in the figures */
const KEEP = 8;

type Verdict = "recovers k" | "over-estimates k" | "under-estimates k";
const verdict = (rank: number, k: number): Verdict =>
  rank === k ? "recovers k" : rank > k ? "over-estimates k" : "under-estimates k";
/**
 * The task instance of a seed: its own stream, apart from the initialisation's (both would otherwise draw the same
 * normals, the generator's first layer and the network's).
 */
export const taskSeedOf = (seed: number) => 10007 + seed;
const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

export const TRAIN_READS = ["dIn", "dOut", "n", "width", "lr", "lambda", "steps", "precision"] as const;
export const TASK_READS = ["latent", "latentShift", "generatorBias"] as const;

/** The task setting of a run: the latent's distribution and shift, and the generators' bias scale. */
export interface Setting {
  latent: LatentDistribution;
  latentShift: number;
  generatorBias: number;
}

/** A setting in words, e.g. "z ~ N(0, I_2), generator biases sd 1". */
export const settingLabel = (s: Setting, k: number) =>
  `${latentText(s.latent, s.latentShift, k)}, generator biases sd ${s.generatorBias}`;

/** The networks and their training, in words (figure titles and the study's notes). */
export function settingText(o: Pick<BottleneckOptions, (typeof TRAIN_READS)[number]>): string {
  return (
    `[${o.dIn}, ${o.width}×(L−1), ${o.dOut}] ReLU with bias, Adam lr ${o.lr}, λ = ` +
    `${o.lambda}, ${o.steps} full-batch ${o.precision} steps on ${o.n} points`
  );
}

export const depthSweep = part({
  id: "depthSweep",
  title: "Fig. 1 — depth sweep: weight and representation spectra, ‖θ‖² against depth",
  reads: [
    "k",
    ...TRAIN_READS,
    ...TASK_READS,
    "depths",
    "seeds",
    "threshold",
    "dataThreshold",
    "latentSweep",
    "sweepDepth",
    "sweepSeeds",
    "sweepSteps",
    "sweepPolishSteps",
    "sweepPolishLambda",
    "contrastLatent",
    "contrastGeneratorBias",
    "contrastDepths",
    "contrastSeeds",
  ],
  async run(o): Promise<PartOutput> {
    const figures: Figure[] = [];
    const add = (f: Figure) => figures.push(f);
    const summary: NonNullable<PartOutput["summary"]> = {};
    const tables: NonNullable<PartOutput["tables"]> = [];
    const train = { width: o.width, lr: o.lr, lambda: o.lambda, precision: o.precision };
    const mainSetting: Setting = { latent: o.latent, latentShift: o.latentShift, generatorBias: o.generatorBias };
    const contrastSetting: Setting = {
      latent: o.contrastLatent,
      latentShift: 0,
      generatorBias: o.contrastGeneratorBias,
    };
    const bn = (depth: number, k: number, seed: number, setting: Setting, steps = o.steps): BnRankArgs => ({
      ...train,
      ...setting,
      steps,
      depth,
      k,
      seed,
      taskSeed: taskSeedOf(seed),
      dIn: o.dIn,
      dOut: o.dOut,
      n: o.n,
      threshold: o.threshold,
      dataThreshold: o.dataThreshold,
      keep: KEEP,
    });
    type Group = "main" | "sweep" | "contrast";
    const tasks: { module: string; fn: string; args: BnRankArgs; group: Group }[] = [];
    const addTask = (args: BnRankArgs, group: Group) =>
      tasks.push({ module: bottleneckRunModule, fn: "runBnRank", args, group });
    for (const depth of o.depths)
      for (let seed = 0; seed < o.seeds; seed++) addTask(bn(depth, o.k, seed, mainSetting), "main");
    // learned rank against k: the main setting at sweepDepth, sweepSeeds task instances per k; the main sweep's own
    // runs stand in for k itself when they are the same networks
    const reuse = (k: number, seed: number) =>
      k === o.k &&
      o.depths.includes(o.sweepDepth) &&
      seed < o.seeds &&
      o.sweepSteps === o.steps &&
      o.sweepPolishSteps === 0;
    const sweepKs = Array.from(new Set(o.latentSweep)).sort((a, b) => a - b);
    for (const k of sweepKs)
      for (let seed = 0; seed < o.sweepSeeds; seed++)
        if (!reuse(k, seed))
          addTask(
            {
              ...bn(o.sweepDepth, k, seed, mainSetting, o.sweepSteps),
              ...(o.sweepPolishSteps ? { polishSteps: o.sweepPolishSteps, polishLambda: o.sweepPolishLambda } : {}),
            },
            "sweep",
          );
    // the contrast: the same task instances in the contrast setting (default the one-signed latent, small biases)
    const contrastOn =
      o.contrastDepths.length > 0 &&
      (o.contrastLatent !== o.latent || o.contrastGeneratorBias !== o.generatorBias || o.latentShift !== 0);
    if (contrastOn)
      for (const depth of o.contrastDepths)
        for (let seed = 0; seed < o.contrastSeeds; seed++) addTask(bn(depth, o.k, seed, contrastSetting), "contrast");
    // the longest first, so the two workers finish together
    const work = (a: BnRankArgs) => a.depth * (a.steps + (a.polishSteps ?? 0));
    tasks.sort((a, b) => work(b.args) - work(a.args));
    const bar = new Progress(`training ${tasks.length} deep networks (${o.precision}, L2)`, tasks.length);
    const t0 = Date.now();
    const allRuns = await mapTasks<BnRankRun>(
      tasks.map(({ module, fn, args }) => ({ module, fn, args })),
      { workers: o.workers, onDone: () => bar.tick(), shared: true },
    );
    bar.finish();
    const tTrain = (Date.now() - t0) / 1000;
    const inGroup = (g: Group) => allRuns.filter((_, i) => tasks[i].group === g);
    const runs = inGroup("main");
    const contrast = inGroup("contrast");
    const sweep = [
      ...inGroup("sweep"),
      ...runs.filter((r) => r.depth === o.sweepDepth && reuse(r.k, r.seed) && r.seed < o.sweepSeeds),
    ].sort((a, b) => a.k - b.k || a.seed - b.seed);
    const setting = settingText(o);
    const task = settingLabel(mainSetting, o.k);
    const contrastLabel = settingLabel(contrastSetting, o.k);

    // ---- fits: a run's rank describes a fitting minimum only when it fits (a precondition of the claims, see
    // claims.ts) ----
    const rel = (r: BnRankRun) => r.mse / r.targetVariance;
    const worst = allRuns.reduce((a, r) => (rel(r) > rel(a) ? r : a), allRuns[0]);
    summary[`runs fitting their data (MSE < ${FIT_FRACTION} × target variance)`] =
      `${allRuns.filter((r) => rel(r) < FIT_FRACTION).length} of ${allRuns.length}; largest MSE / ` +
      `variance ${fmt(rel(worst))} (L = ${worst.depth}, k = ${worst.k}, seed ${worst.seed}, ` +
      `${settingLabel(worst, worst.k)})`;
    const t1 = Date.now();

    // ---- (a) weight spectra, (b) representation spectra: seed 0 of each depth ----
    const shown = o.depths.map((L) => runs.find((r) => r.depth === L && r.seed === 0)!);
    const cols = Math.min(3, shown.length);
    {
      const data: Trace[] = [];
      shown.forEach((r, pi) => {
        for (let i = 0; i < KEEP; i++) {
          const x = r.weightSV.map((_, l) => l + 1);
          const y = r.weightSV.map((sv) => sv[i] ?? null);
          data.push({
            type: "scatter",
            mode: "lines+markers",
            ...panelAxes(pi),
            x,
            y,
            name: `σ${i + 1}`,
            legendgroup: `s${i}`,
            showlegend: pi === 0,
            line: { color: colour(i), width: 1.5 },
            marker: { size: 4, color: colour(i) },
          });
        }
        data.push({
          type: "scatter",
          mode: "lines",
          ...panelAxes(pi),
          x: [1, r.depth],
          y: [o.threshold, o.threshold],
          name: `threshold ${o.threshold}`,
          legendgroup: "thr",
          showlegend: pi === 0,
          line: { color: "#333", dash: "dash", width: 1 },
        });
      });
      const layout = houseLayout({
        title:
          `Fig. (a) — top ${KEEP} singular values of every weight matrix W_l against l; ${setting}; ` +
          `${task} (seed 0)`,
        x: { title: "" },
        y: { title: "" },
        width: 1080,
        height: shown.length > 3 ? 640 : 380,
        legendTitle: "singular value",
      });
      panelGrid(
        layout,
        shown.map((r) => `L = ${r.depth}: middle ranks ${runLengths(r.middleRanks)}`),
        { cols, xTitle: "layer l", yTitle: "σ_i(W_l)" },
      );
      add(new Figure("figa-weight-spectra", data, layout));
    }
    {
      // the directions of W_l the data use: σ(H_(l−1)·W_lᵀ)/√N relative to the largest, with the data-rank cut
      const data: Trace[] = [];
      shown.forEach((r, pi) => {
        for (let i = 0; i < KEEP; i++) {
          const x = r.dataSV.map((_, l) => l + 1);
          const y = r.dataSV.map((sv) => (sv[i] !== undefined && sv[0] > 0 ? Math.max(sv[i] / sv[0], 1e-16) : null));
          data.push({
            type: "scatter",
            mode: "lines+markers",
            ...panelAxes(pi),
            x,
            y,
            name: `σ${i + 1}/σ1`,
            legendgroup: `s${i}`,
            showlegend: pi === 0,
            line: { color: colour(i), width: 1.5 },
            marker: { size: 4, color: colour(i) },
          });
        }
        data.push({
          type: "scatter",
          mode: "lines",
          ...panelAxes(pi),
          x: [1, r.depth],
          y: [o.dataThreshold, o.dataThreshold],
          name: `cut ${o.dataThreshold} × σ1`,
          legendgroup: "thr",
          showlegend: pi === 0,
          line: { color: "#333", dash: "dash", width: 1 },
        });
      });
      const layout = houseLayout({
        title:
          `Fig. (a′) — what the data use of each W_l: singular values of H_(l−1)·W_lᵀ / √N over the ` +
          `${o.n} training points (the layer's inputs), relative to the largest (seed 0)`,
        x: { title: "" },
        y: { title: "" },
        width: 1080,
        height: shown.length > 3 ? 640 : 380,
        legendTitle: "σ_i / σ_1",
      });
      panelGrid(
        layout,
        shown.map((r) => `L = ${r.depth}: data-used ranks ${runLengths(r.middleDataRanks)}`),
        { cols, xTitle: "layer l", yTitle: "σ_i(H_(l−1)W_lᵀ) / σ_1", yLog: true },
      );
      add(new Figure("figa2-data-weight-spectra", data, layout));
    }
    {
      const data: Trace[] = [];
      shown.forEach((r, pi) => {
        const hidden = r.repSV.slice(0, r.depth - 1);
        for (let i = 0; i < KEEP; i++) {
          data.push({
            type: "scatter",
            mode: "lines+markers",
            ...panelAxes(pi),
            x: hidden.map((_, l) => l + 1),
            y: hidden.map((sv) => (sv[i] !== undefined && sv[0] > 0 ? Math.max(sv[i] / sv[0], 1e-16) : null)),
            name: `σ${i + 1}/σ1`,
            legendgroup: `s${i}`,
            showlegend: pi === 0,
            line: { color: colour(i), width: 1.5 },
            marker: { size: 4, color: colour(i) },
          });
        }
        // uncentred (dotted): a constant offset of the representation counts as one more direction
        const unc = r.repSVUncentred.slice(0, r.depth - 1);
        for (let i = 0; i < Math.min(KEEP, o.k + 2); i++) {
          data.push({
            type: "scatter",
            mode: "lines",
            ...panelAxes(pi),
            x: unc.map((_, l) => l + 1),
            y: unc.map((sv) => (sv[i] !== undefined && sv[0] > 0 ? Math.max(sv[i] / sv[0], 1e-16) : null)),
            name: `uncentred σ${i + 1}/σ1`,
            legendgroup: `u${i}`,
            showlegend: pi === 0,
            line: { color: colour(i), width: 1.5, dash: "dot" },
          });
        }
      });
      const layout = houseLayout({
        title:
          `Fig. (b) — singular values of the hidden pre-activations Z_l of the ${o.n} training ` +
          `points, relative to the largest (seed 0): centred (solid), uncentred (dotted)`,
        x: { title: "" },
        y: { title: "" },
        width: 1080,
        height: shown.length > 3 ? 640 : 380,
        legendTitle: "σ_i / σ_1",
      });
      panelGrid(
        layout,
        shown.map((r) => `L = ${r.depth}`),
        { cols, xTitle: "hidden layer l", yTitle: "σ_i(Z_l) / σ_1(Z_l)", yLog: true },
      );
      add(new Figure("figb-representation-spectra", data, layout));
    }

    // ---- (c) ‖θ‖² against depth, families by learned rank ----
    const families = Array.from(new Set(runs.map((r) => r.learnedRank))).sort((a, b) => a - b);
    const fits = families.map((rank) => {
      const fam = runs.filter((r) => r.learnedRank === rank);
      const Ls = Array.from(new Set(fam.map((r) => r.depth)));
      const fit =
        Ls.length >= 2
          ? lineFit(
              fam.map((r) => r.depth),
              fam.map((r) => r.paramSqNorm),
            )
          : undefined;
      return { rank, runs: fam, fit };
    });
    {
      const data: Trace[] = [];
      const symbols: Record<Verdict, string> = {
        "recovers k": "circle",
        "over-estimates k": "triangle-up",
        "under-estimates k": "triangle-down",
      };
      fits.forEach((f, fi) => {
        const c = colour(fi);
        const v = verdict(f.rank, o.k);
        data.push({
          type: "scatter",
          mode: "markers",
          x: f.runs.map((r) => r.depth),
          y: f.runs.map((r) => r.paramSqNorm),
          name: `learned rank ${f.rank} (${v}, ${f.runs.length} run${f.runs.length === 1 ? "" : "s"})`,
          marker: { color: c, size: 10, symbol: symbols[v], line: { width: 1, color: "#222" } },
          text: f.runs.map((r) => `seed ${r.seed}, middle ranks ${r.middleRanks.join(",")}`),
        });
        if (f.fit) {
          const xs = [Math.min(...o.depths), Math.max(...o.depths)];
          data.push({
            type: "scatter",
            mode: "lines",
            x: xs,
            y: xs.map((L) => f.fit!.slope * L + f.fit!.intercept),
            name: `fit: R⁽⁰⁾ = ${fmt(f.fit.slope)} ± ${fmt(f.fit.slopeStderr, 2)}, R⁽¹⁾ = ${fmt(f.fit.intercept)}`,
            line: { color: c, dash: "dash", width: 1.5 },
          });
        }
      });
      add(
        new Figure(
          "figc-norm-vs-depth",
          data,
          houseLayout({
            title:
              `Fig. (c) — ‖θ‖² of the trained networks against depth L, families of minima by learned ` +
              `rank (${task}); dashed: least-squares R⁽⁰⁾·L + R⁽¹⁾`,
            x: { title: "depth L" },
            y: { title: "‖θ‖² (weights and biases)" },
            legendTitle: "minima",
          }),
        ),
      );
      tables.push({
        title: "Families of minima: ‖θ‖² ≈ R⁽⁰⁾·L + R⁽¹⁾",
        columns: ["learned rank", "against k", "runs", "depths", "R⁽⁰⁾ (slope)", "stderr", "R⁽¹⁾"],
        rows: fits.map((f) => [
          f.rank,
          verdict(f.rank, o.k),
          f.runs.length,
          Array.from(new Set(f.runs.map((r) => r.depth)))
            .sort((a, b) => a - b)
            .join(" "),
          f.fit?.slope ?? null,
          f.fit?.slopeStderr ?? null,
          f.fit?.intercept ?? null,
        ]),
      });
    }

    // ---- numbers per depth ----
    const perDepth = [...o.depths]
      .sort((a, b) => a - b)
      .map((L) => {
        const rs = runs.filter((r) => r.depth === L);
        const middleVar = (r: BnRankRun, j: number) =>
          mean(r.repVariance.slice(1, r.depth - 1).map((v) => v[j - 1] ?? 1));
        const recovering = rs.filter((r) => r.learnedRank === o.k).length;
        const [lo, hi] = wilson(recovering, rs.length);
        return {
          L,
          runs: rs.length,
          exactlyK: mean(rs.map((r) => r.middleRanks.filter((m) => m === o.k).length)),
          exactlyK1: mean(rs.map((r) => r.middleRanks.filter((m) => m === o.k + 1).length)),
          middle: L - 2,
          evK: mean(rs.map((r) => middleVar(r, o.k))),
          evK1: mean(rs.map((r) => middleVar(r, o.k + 1))),
          recovering,
          lo,
          hi,
          ranks: rs.map((r) => r.learnedRank),
          dataRanks: rs.map((r) => r.dataRank),
          norm: mean(rs.map((r) => r.paramSqNorm)),
        };
      });
    tables.push({
      title: `Per depth (k = ${o.k}, threshold ${o.threshold})`,
      columns: [
        "L",
        "runs",
        "middle layers",
        `mean # with exactly k = ${o.k} σ > ${o.threshold}`,
        `mean # with exactly k + 1`,
        `EV of top ${o.k} PCs (middle)`,
        `EV of top ${o.k + 1} PCs (middle)`,
        "learned ranks",
        "data-used ranks",
        "fraction recovering k",
        "95 % CI",
        "mean ‖θ‖²",
      ],
      rows: perDepth.map((d) => [
        d.L,
        d.runs,
        d.middle,
        d.exactlyK,
        d.exactlyK1,
        d.evK,
        d.evK1,
        d.ranks.join(" "),
        d.dataRanks.join(" "),
        d.recovering / d.runs,
        `${fmt(d.lo, 2)}–${fmt(d.hi, 2)}`,
        d.norm,
      ]),
    });
    tables.push({
      title: "Every run",
      columns: [
        "setting",
        "L",
        "k",
        "seed (task instance)",
        "MSE",
        "target variance",
        "‖θ‖²",
        "middle ranks",
        "learned rank",
        "middle data-used ranks",
        "data-used rank",
        "Σ‖W_l‖²",
        "Σ‖b_l‖²",
        "balance error",
        "‖f(2x) − 2f(x)‖ / ‖2f(x)‖",
        "seconds",
      ],
      rows: allRuns.map((r) => [
        settingLabel(r, r.k),
        r.depth,
        r.k,
        r.seed,
        r.mse,
        r.targetVariance,
        r.paramSqNorm,
        r.middleRanks.join(","),
        r.learnedRank,
        r.middleDataRanks.join(","),
        r.dataRank,
        r.weightSqNorm,
        r.biasSqNorm,
        r.balanceError,
        r.homogeneityError,
        r.seconds,
      ]),
    });
    summary[`middle layers with exactly k = ${o.k} weight singular values > ${o.threshold} (mean per run, of L − 2)`] =
      perDepth.map((d) => `L=${d.L}: ${fmt(d.exactlyK, 2)}/${d.middle}`).join(", ");
    summary[`… with exactly k + 1 = ${o.k + 1}`] = perDepth
      .map((d) => `L=${d.L}: ${fmt(d.exactlyK1, 2)}/${d.middle}`)
      .join(", ");
    summary[`explained variance of the top k = ${o.k} (top k + 1) PCs of middle representations`] = perDepth
      .map((d) => `L=${d.L}: ${fmt(d.evK)} (${fmt(d.evK1)})`)
      .join(", ");
    summary["fraction of rank-recovering minima by depth (95 % Wilson CI)"] = perDepth
      .map((d) => `L=${d.L}: ${d.recovering}/${d.runs} [${fmt(d.lo, 2)}, ${fmt(d.hi, 2)}]`)
      .join(", ");
    // how far the learned maps are from the 1-homogeneous maps of bias-free ReLU networks
    summary["homogeneity by depth (means): Σ‖b_l‖² against Σ‖W_l‖²; ‖f(2x) − 2f(x)‖ / ‖2f(x)‖ on the training inputs"] =
      [...o.depths]
        .sort((a, b) => a - b)
        .map((L) => {
          const rs = runs.filter((r) => r.depth === L);
          return (
            `L=${L}: ${fmt(mean(rs.map((r) => r.biasSqNorm)))} against ` +
            `${fmt(mean(rs.map((r) => r.weightSqNorm)))}, ` +
            `${fmt(mean(rs.map((r) => r.homogeneityError)), 2)}`
          );
        })
        .join("; ");
    summary["R⁽⁰⁾ (slope of ‖θ‖² in L) against the family's rank"] = fits
      .map((f) => `rank ${f.rank}: ${f.fit ? `${fmt(f.fit.slope)} ± ${fmt(f.fit.slopeStderr, 2)}` : "one depth only"}`)
      .join("; ");
    if (new Set(sweep.map((r) => r.k)).size > 1) {
      const ks = Array.from(new Set(sweep.map((r) => r.k))).sort((a, b) => a - b);
      const at = (k: number) => sweep.filter((r) => r.k === k);
      summary[`learned rank against latent k (L = ${o.sweepDepth}, ${task}; one number per task instance)`] = ks
        .map(
          (k) =>
            `k=${k}: ${at(k)
              .map((r) => r.learnedRank)
              .join(" ")}`,
        )
        .join(", ");
      const data: Trace[] = [
        {
          type: "scatter",
          mode: "markers",
          // runs of one k side by side, so that equal ranks do not hide each other
          x: sweep.map((r) => r.k + 0.08 * (r.seed - (o.sweepSeeds - 1) / 2)),
          y: sweep.map((r) => r.learnedRank),
          text: sweep.map((r) => `k = ${r.k}, seed ${r.seed}, MSE/var ${fmt(rel(r))}`),
          name: "learned rank (mode over middle layers), one marker per task instance",
          marker: { size: 10, color: colour(0) },
        },
        {
          type: "scatter",
          mode: "lines",
          x: ks,
          y: ks,
          name: "k (the true BN-rank)",
          line: { color: "#333", dash: "dash", width: 1.5 },
        },
      ];
      add(
        new Figure(
          "fig-learned-rank-vs-k",
          data,
          houseLayout({
            title:
              `Learned bottleneck rank against the latent dimension k, L = ${o.sweepDepth}, ${o.n} ` +
              `points, ${task}, ${o.sweepSteps} steps` +
              (o.sweepPolishSteps ? ` + ${o.sweepPolishSteps} at λ = ${o.sweepPolishLambda}` : ""),
            x: { title: "latent dimension k" },
            y: { title: "learned rank" },
          }),
        ),
      );
    }

    // ---- learned rank against depth: the task's latent and the contrast ----
    {
      const groups = [
        { label: task, rs: runs, ci: 0 },
        ...(contrastOn ? [{ label: `${contrastLabel} (contrast)`, rs: contrast, ci: 1 }] : []),
      ];
      const series = groups.flatMap((g) => {
        const Ls = Array.from(new Set(g.rs.map((r) => r.depth))).sort((a, b) => a - b);
        const at = (L: number, f: (r: BnRankRun) => number) => mean(g.rs.filter((r) => r.depth === L).map(f));
        return [
          {
            name: `${g.label}: weights`,
            x: Ls,
            y: Ls.map((L) => at(L, (r) => r.learnedRank)),
            mode: "lines+markers" as const,
            colourIndex: g.ci,
          },
          {
            name: `${g.label}: data-used`,
            x: Ls,
            y: Ls.map((L) => at(L, (r) => r.dataRank)),
            mode: "lines+markers" as const,
            colourIndex: g.ci,
            dash: "dot" as const,
          },
        ];
      });
      const f = lineFigure("fig-learned-rank-vs-depth", {
        title:
          `Learned rank against depth L, mean over seeds of the mode over the middle layers ` +
          `(weights: σ(W_l) > ${o.threshold}; data-used: σ(H_(l−1)W_lᵀ) > ${o.dataThreshold} σ1); ` +
          `true BN-rank k = ${o.k}`,
        x: { title: "depth L" },
        y: { title: "learned rank" },
        series,
        hlines: [{ y: o.k, label: `k = ${o.k}` }],
      });
      f.layout.legend = {
        ...(f.layout.legend as object),
        orientation: "h",
        x: 0,
        xanchor: "left",
        y: -0.22,
        yanchor: "top",
      };
      f.layout.margin = { ...(f.layout.margin as object), b: 150 };
      add(f);
      if (contrastOn) {
        const byDepth = (rs: BnRankRun[]) =>
          Array.from(new Set(rs.map((r) => r.depth)))
            .sort((a, b) => a - b)
            .map(
              (L) =>
                `L=${L}: ${rs
                  .filter((r) => r.depth === L)
                  .map((r) => r.learnedRank)
                  .join(" ")}`,
            )
            .join(", ");
        summary[`contrast: learned ranks by depth with ${contrastLabel}, against ${task}`] =
          `${byDepth(contrast)} against ${byDepth(runs)}`;
        summary["contrast: homogeneity ‖f(2x) − 2f(x)‖ / ‖2f(x)‖ (mean), contrast against the task's latent"] =
          `${fmt(mean(contrast.map((r) => r.homogeneityError)), 2)} against ` +
          `${fmt(mean(runs.map((r) => r.homogeneityError)), 2)}`;
      }
      summary["learned rank (weight count) against data-used rank, per run"] =
        `${runs.filter((r) => r.learnedRank === r.dataRank).length} of ${runs.length} runs agree; ${
          runs
            .filter((r) => r.learnedRank !== r.dataRank)
            .map((r) => `L=${r.depth} seed ${r.seed}: ${r.learnedRank} vs ${r.dataRank}`)
            .join(", ") || "no disagreement"
        }`;
    }

    // ---- measurements for the ledger ----
    const facts = (r: BnRankRun): RunFacts => ({
      depth: r.depth,
      k: r.k,
      seed: r.seed,
      learnedRank: r.learnedRank,
      dataRank: r.dataRank,
      relMse: rel(r),
      paramSqNorm: r.paramSqNorm,
      balanceError: r.balanceError,
    });
    const Lmin = Math.min(...o.depths);
    const Lmax = Math.max(...o.depths);
    return {
      figures: figures.map((f) => f.toJSON()),
      summary,
      tables,
      evidence: {
        "rank-recovery": { k: o.k, runs: runs.filter((r) => r.depth === Lmax).map(facts) },
        "recovery-rises-with-depth": {
          k: o.k,
          shallow: runs.filter((r) => r.depth === Lmin).map(facts),
          deep: runs.filter((r) => r.depth === Lmax).map(facts),
        },
        "recovery-trend-over-depths": { k: o.k, runs: runs.map(facts) },
        "overestimating-minima-common": {
          k: o.k,
          runs: runs.map(facts),
          contrast: contrast.map(facts),
          contrastLabel: contrastOn ? contrastLabel : "",
        },
        "no-fitting-underestimation": { runs: allRuns.map(facts) },
        "norm-linear-in-depth": { runs: runs.map(facts) },
        "norm-slope-equals-rank": { runs: runs.map(facts) },
        "learned-rank-vs-k": { runs: sweep.map(facts) },
      },
      timings: { "training (all networks, wall)": tTrain, "analysis and figures": (Date.now() - t1) / 1000 },
    };
  },
});

/**
 * A list of ranks written short for a panel title: a run of equal values as "value×count" ("2×18" for eighteen 2s,
 * "2×3, 3, 2×2" for [2, 2, 2, 3, 2, 2]), so a deep network's title fits above its panel.
 */
export function runLengths(values: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[i]) j++;
    const n = j - i + 1;
    out.push(n > 1 ? `${values[i]}×${n}` : String(values[i]));
    i = j + 1;
  }
  return out.join(", ");
}
