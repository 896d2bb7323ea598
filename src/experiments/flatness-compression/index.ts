/**
 * Study: Chen, Recanatesi & Shea-Brown (2024), "A simple connection from loss flatness to compressed
 * representations in neural networks" (shared/papers/chen-2024-flatness-compression.txt).
 *
 * 1. Training trends (Figs. 1, 2, E.7, E.8): an MLP on two Fashion-MNIST classes, plain SGD on the
 *    quadratic loss with one-hot targets; learning rates at batch 20 and batch sizes at learning rate 0.1;
 *    √sharpness (Eq. 3), log volume (Eq. 10), G (Eq. 6), local dimensionality (Eq. 14) on 100 training
 *    inputs over training, mean ± spread over seeds.
 * 2. Test-set view (Fig. 3): the same on test inputs and on misclassified test inputs.
 * 3. Correlations (Figs. D.5, D.6): the final state of every MLP run; scatter matrix with Pearson ρ.
 * 4. A VGG-style conv net (CIFAR-10 classes 0, 1 when cifarDir is given, else Fashion-MNIST) for the trends.
 * Plus the bound chain A ≤ B ≤ C ≤ D of Eq. 28 and the AM–GM bound of Eqs. 11–12 at every checkpoint
 * (software checks: they hold by algebra), and the gap Tr H − Eq. 3 = Tr H_f at the end of each MLP run.
 * The paper's claims are assessed in the ledger (claims.ts) on the MLP runs that did not diverge.
 */
import { Figure, houseLayout, colour, Trace, panelGrid, panelAxes } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks, defaultWorkers } from "../../parallel";
import { ExperimentDefinition, runExperiment, RunControls, StudyOutput, OptionError, checkChoice, checkInt, checkIntList, checkNumber } from "../framework";
import { ExperimentResult } from "../../report/result";
import { logSpacedSteps, PRECISIONS, Precision } from "../../training";
import { mean, median, std, pearson } from "../../util/stats";
import { ACTIVATIONS, Activation, VggLayer, CHEN_VGG_LAYERS, vggFeatureShape } from "../../nets";
import { IMAGE_SOURCES, ImageSource, resolveSource } from "../data-source";
import { ChenRunArgs, ChenRun, ChenCheckpoint, MetricRow, chenRunModule } from "./run";
import { LedgerBuilder, LedgerEntry } from "../../report/ledger";
import { CLAIMS, CLAIM, FinalStates } from "./claims";

export interface FlatnessCompressionOptions {
  /** image data: "auto" = CIFAR-10 if cifarDir is set, else Fashion-MNIST (Debian), else MNIST */
  source: ImageSource;
  cifarDir: string | null;
  /** classes kept (relabelled 0..k−1); the paper: two; all ten: [0, …, 9] */
  classes: number[];
  /** MLP hidden widths and activation (the authors' code: 784-500-500-500-K, tanh) */
  hidden: number[];
  activation: Activation;
  /** learning rates swept at baseBatch, batch sizes swept at baseLr */
  learningRates: number[];
  batchSizes: number[];
  baseLr: number;
  baseBatch: number;
  seeds: number;
  steps: number;
  checkpoints: number;
  nTrain: number;
  /** training inputs the metrics are measured on (the paper: 100) */
  nEval: number;
  nTest: number;
  /** test inputs (and at most this many misclassified ones) for Fig. 3 */
  nTestEval: number;
  /**
   * precision of the MLP's SGD (native BLAS path): "float32" as the authors' PyTorch code (default), or
   * "float64"; the metrics are float64 either way
   */
  mlpPrecision: Precision;
  /** log volume over the top k singular values (0 = all, Eq. 10 as written; the authors' code: 3) */
  volumeTop: number;
  /** Hutchinson probes for Tr H_f at the end of each MLP run (0 = skip) */
  traceProbes: number;
  /** experiment 4: VGG-style conv net */
  vgg: boolean;
  vggLayers: VggLayer[];
  vggHidden: number[];
  vggLearningRates: number[];
  vggBatchSizes: number[];
  vggSeeds: number;
  vggSteps: number;
  /** Eq. 3 for the VGG on the first this-many inputs of each set (the authors' code: 20) */
  vggSharpnessSamples: number;
  workers: number;
}

export const flatnessCompressionDefaults: FlatnessCompressionOptions = {
  source: "fashion-mnist",
  cifarDir: null,
  classes: [0, 1],
  hidden: [500, 500, 500],
  activation: "tanh",
  learningRates: [0.05, 0.1, 0.2],
  batchSizes: [8, 20, 32],
  baseLr: 0.1,
  baseBatch: 20,
  seeds: 5,
  steps: 10000,
  checkpoints: 20,
  nTrain: 4000,
  nEval: 100,
  nTest: 2000,
  nTestEval: 100,
  volumeTop: 0,
  mlpPrecision: "float32",
  traceProbes: 64,
  vgg: true,
  vggLayers: CHEN_VGG_LAYERS,
  vggHidden: [128],
  vggLearningRates: [0.05, 0.1, 0.2],
  vggBatchSizes: [8, 20, 32],
  vggSeeds: 2,
  vggSteps: 2000,
  vggSharpnessSamples: 20,
  workers: defaultWorkers(),
};

const NAME = "flatness-compression";

export const flatnessCompressionStudy: ExperimentDefinition<FlatnessCompressionOptions> = {
  name: NAME,
  title: "Flatness and compressed representations (Chen, Recanatesi & Shea-Brown 2024)",
  paper: "chen-2024-flatness-compression.txt",
  defaults: flatnessCompressionDefaults,
  presets: {
    paper: {},
    quick: { hidden: [100, 100, 100], seeds: 2, traceProbes: 32, steps: 1500, checkpoints: 12, nTrain: 1000, nTest: 1000, vggLearningRates: [0.1], vggBatchSizes: [20], vggSeeds: 1, vggSteps: 500 },
  },
  validate(o) {
    checkChoice(NAME, "source", o.source, IMAGE_SOURCES);
    if (o.cifarDir !== null && typeof o.cifarDir !== "string") checkChoice(NAME, "cifarDir", o.cifarDir, ["a directory path", null]);
    if (resolveSource(o.source, o.cifarDir ?? undefined) === "cifar10" && !o.cifarDir) throw new OptionError(`${NAME}: source "cifar10" needs the option cifarDir (a folder with the CIFAR-10 binary batches)`);
    checkIntList(NAME, "classes", o.classes, 0);
    if (new Set(o.classes).size !== o.classes.length || o.classes.length < 2 || o.classes.some((c) => c > 9)) {
      throw new OptionError(`${NAME}: option classes must be at least two distinct labels in 0..9; got ${JSON.stringify(o.classes)}`);
    }
    checkIntList(NAME, "hidden", o.hidden, 1);
    checkChoice(NAME, "activation", o.activation, ACTIVATIONS);
    for (const lr of [...o.learningRates, ...o.vggLearningRates, o.baseLr]) checkNumber(NAME, "learningRates / vggLearningRates / baseLr", lr, 1e-6, 10);
    checkIntList(NAME, "batchSizes", o.batchSizes, 1);
    checkIntList(NAME, "vggBatchSizes", o.vggBatchSizes, 1);
    checkInt(NAME, "baseBatch", o.baseBatch, 1);
    checkInt(NAME, "seeds", o.seeds, 1, 100);
    checkInt(NAME, "steps", o.steps, 1);
    checkInt(NAME, "checkpoints", o.checkpoints, 3, 200);
    checkInt(NAME, "nTrain", o.nTrain, 10);
    checkInt(NAME, "nEval", o.nEval, 2, o.nTrain);
    checkInt(NAME, "nTest", o.nTest, 10);
    checkInt(NAME, "nTestEval", o.nTestEval, 2, o.nTest);
    checkInt(NAME, "volumeTop", o.volumeTop, 0);
    checkChoice(NAME, "mlpPrecision", o.mlpPrecision, PRECISIONS);
    checkInt(NAME, "traceProbes", o.traceProbes, 0);
    if (o.traceProbes === 1) throw new OptionError(`${NAME}: option traceProbes must be 0 (skip) or at least 2; got 1`);
    checkChoice(NAME, "vgg", o.vgg, [true, false]);
    try {
      vggFeatureShape({ inputShape: [32, 32, 1], layers: o.vggLayers, hidden: o.vggHidden, outputs: 2 });
      vggFeatureShape({ inputShape: [28, 28, 1], layers: o.vggLayers, hidden: o.vggHidden, outputs: 2 });
    } catch (e) {
      throw new OptionError(`${NAME}: options vggLayers / vggHidden: ${(e as Error).message}`);
    }
    checkInt(NAME, "vggSeeds", o.vggSeeds, 1, 100);
    checkInt(NAME, "vggSteps", o.vggSteps, 1);
    checkInt(NAME, "vggSharpnessSamples", o.vggSharpnessSamples, 1, o.nEval);
    checkInt(NAME, "workers", o.workers, 1, 64);
  },
  run: runStudy,
};

export function flatnessCompression(options: Partial<FlatnessCompressionOptions> & RunControls = {}): Promise<ExperimentResult> {
  return runExperiment(flatnessCompressionStudy, options);
}

/** Checkpoints: log-spaced early (the fast first phase) and evenly spaced late (the interpolation phase). */
export function chenCheckpoints(steps: number, n: number): number[] {
  const half = Math.max(2, Math.floor(n / 2));
  const even = Array.from({ length: n - half + 1 }, (_, i) => Math.round((steps * i) / (n - half)));
  return Array.from(new Set([...logSpacedSteps(steps, half), ...even])).sort((a, b) => a - b);
}

interface Setting {
  lr: number;
  batch: number;
}

/** The (lr, batch) settings of the two sweeps, without repeating the shared base setting. */
function sweepSettings(lrs: number[], batches: number[], baseLr: number, baseBatch: number): Setting[] {
  const out: Setting[] = [];
  const add = (s: Setting) => {
    if (!out.some((t) => t.lr === s.lr && t.batch === s.batch)) out.push(s);
  };
  lrs.forEach((lr) => add({ lr, batch: baseBatch }));
  batches.forEach((batch) => add({ lr: baseLr, batch }));
  return out;
}

type Panel = { title: string; get: (c: ChenCheckpoint) => number | null; log?: boolean };

const TREND_PANELS: Panel[] = [
  { title: "train loss", get: (c) => c.trainLoss, log: true },
  { title: "test accuracy", get: (c) => c.testAcc },
  { title: "√sharpness (Eq. 3)", get: (c) => c.train.sqrtSharpness },
  { title: "log volume (Eq. 10)", get: (c) => c.train.logVolume },
  { title: "G (Eq. 6)", get: (c) => c.train.G, log: true },
  { title: "local dimensionality (Eq. 14)", get: (c) => c.train.localDim },
];

/**
 * Mean ± sd over runs at each checkpoint (the runs of a group share their checkpoint steps); with
 * `log`, the geometric mean ×/÷ the geometric sd (so the band stays positive on a log axis).
 */
function band(runs: ChenRun[], get: (c: ChenCheckpoint) => number | null, log = false): { x: number[]; m: number[]; lo: number[]; hi: number[] } {
  const longest = runs.reduce((a, r) => (r.checkpoints.length > a.checkpoints.length ? r : a), runs[0]);
  const x = longest.checkpoints.map((c) => c.step);
  const m: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  x.forEach((_, i) => {
    let v = runs.map((r) => (r.checkpoints[i] ? get(r.checkpoints[i]) : null)).filter((y): y is number => y !== null && Number.isFinite(y) && (!log || y > 0));
    if (log) v = v.map(Math.log);
    const mu = mean(v);
    const sd = std(v);
    const back = log ? Math.exp : (t: number) => t;
    m.push(back(mu));
    lo.push(back(mu - sd));
    hi.push(back(mu + sd));
  });
  return { x, m, lo, hi };
}

function trendsFigure(name: string, title: string, groups: { label: string; runs: ChenRun[] }[], panels: Panel[], legendTitle: string): Figure {
  const data: Trace[] = [];
  panels.forEach((p, pi) => {
    groups.forEach((g, gi) => {
      const b = band(g.runs, p.get, p.log);
      const c = colour(gi);
      const ax = panelAxes(pi);
      if (g.runs.length > 1) data.push({ type: "scatter", ...ax, x: [...b.x, ...b.x.slice().reverse()], y: [...b.hi, ...b.lo.slice().reverse()], fill: "toself", fillcolor: c + "2a", line: { width: 0 }, hoverinfo: "skip", showlegend: false, legendgroup: g.label, name: `${g.label} ± sd` });
      data.push({ type: "scatter", mode: "lines+markers", ...ax, x: b.x, y: b.m, name: g.label, legendgroup: g.label, showlegend: pi === 0, line: { color: c, width: 2 }, marker: { size: 4, color: c } });
    });
  });
  const layout = houseLayout({ title, x: { title: "SGD step" }, y: { title: "" }, width: 1080, height: 640, legendTitle });
  panelGrid(layout, panels.map((p) => p.title), { cols: 3, yLog: panels.map((p) => Boolean(p.log)), xTitle: "SGD step" });
  return new Figure(name, data, layout);
}

/** Index of the first checkpoint with zero training error (else ≥ 99 % accuracy), or −1. */
export function interpolationIndex(run: ChenRun): { index: number; criterion: string } {
  let i = run.checkpoints.findIndex((c) => c.trainAcc === 1);
  if (i >= 0) return { index: i, criterion: "zero training error" };
  i = run.checkpoints.findIndex((c) => c.trainAcc >= 0.99);
  return { index: i, criterion: i >= 0 ? "≥ 99 % training accuracy (zero error not reached)" : "not reached" };
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

async function runStudy(o: FlatnessCompressionOptions): Promise<StudyOutput> {
  const out: StudyOutput = { figures: [], summary: {}, tables: [], checks: [], notes: [] };
  const t0 = Date.now();
  const add = (f: Figure) => out.figures.push(f.toJSON());
  const source = resolveSource(o.source, o.cifarDir ?? undefined);
  const mlpSettings = sweepSettings(o.learningRates, o.batchSizes, o.baseLr, o.baseBatch);
  const vggSettings = o.vgg ? sweepSettings(o.vggLearningRates, o.vggBatchSizes, o.baseLr, o.baseBatch) : [];
  const base = {
    source, cifarDir: o.cifarDir ?? undefined, classes: o.classes, hidden: o.hidden, activation: o.activation, vggLayers: o.vggLayers, vggHidden: o.vggHidden,
    nTrain: o.nTrain, nEval: o.nEval, nTest: o.nTest, nTestEval: o.nTestEval, volumeTop: o.volumeTop, vggSharpnessSamples: o.vggSharpnessSamples, mlpPrecision: o.mlpPrecision,
  };
  const tasks: { module: string; fn: string; args: ChenRunArgs }[] = [];
  for (const s of mlpSettings) for (let seed = 0; seed < o.seeds; seed++) tasks.push({ module: chenRunModule, fn: "runChen", args: { ...base, model: "mlp", lr: s.lr, batch: s.batch, steps: o.steps, checkpoints: chenCheckpoints(o.steps, o.checkpoints), traceProbes: o.traceProbes, seed } });
  for (const s of vggSettings) for (let seed = 0; seed < o.vggSeeds; seed++) tasks.push({ module: chenRunModule, fn: "runChen", args: { ...base, model: "vgg", lr: s.lr, batch: s.batch, steps: o.vggSteps, checkpoints: chenCheckpoints(o.vggSteps, Math.min(o.checkpoints, 12)), traceProbes: 0, seed } });
  // the long VGG runs first, so the two workers finish together
  const order = tasks.map((_, i) => i).sort((a, b) => (tasks[b].args.model === "vgg" ? 1 : 0) - (tasks[a].args.model === "vgg" ? 1 : 0));
  const bar = new Progress(`training ${tasks.length} networks (${mlpSettings.length * o.seeds} MLPs, ${vggSettings.length * o.vggSeeds} VGG)`, tasks.length);
  const done = await mapTasks<ChenRun>(order.map((i) => tasks[i]), { workers: o.workers, onDone: () => bar.tick() });
  bar.finish();
  const tTrained = Date.now();
  const runs: ChenRun[] = new Array(tasks.length);
  order.forEach((i, k) => (runs[i] = done[k]));
  // runs whose SGD diverged keep their finite checkpoints (the bound chain is checked on them) but are
  // left out of the trends, the final-state statistics and the claims
  const diverged = runs.filter((r) => r.divergedAt !== undefined);
  const allMlp = runs.filter((r) => r.model === "mlp");
  const mlp = allMlp.filter((r) => r.divergedAt === undefined);
  const vgg = runs.filter((r) => r.model === "vgg" && r.divergedAt === undefined);
  if (!mlp.length) throw new Error(`${NAME}: every MLP run diverged; lower the learning rates (${o.learningRates.join(", ")})`);
  const group = (rs: ChenRun[], s: Setting) => rs.filter((r) => r.lr === s.lr && r.batch === s.batch);
  const first = mlp[0];
  out.summary["diverged runs (left out of trends and statistics)"] = diverged.length
    ? diverged.map((r) => `${r.model} lr ${r.lr} batch ${r.batch} seed ${r.seed} at step ${r.divergedAt}`).join("; ")
    : "none";
  const arch = `MLP [${[first.d, ...o.hidden, first.K].join(", ")}] ${o.activation}, p = ${first.p}`;
  const dataLabel = `${first.source} classes [${o.classes}], ${o.nTrain} training images`;

  // ---- experiment 1: trends ----
  const labelled = (label: string, s: Setting) => {
    const n = group(allMlp, s).length;
    const ok = group(mlp, s);
    return { label: ok.length < n ? `${label} (${n - ok.length} of ${n} seeds diverged)` : label, runs: ok };
  };
  const lrGroups = o.learningRates.map((lr) => labelled(`lr ${lr}`, { lr, batch: o.baseBatch })).filter((g) => g.runs.length);
  const batchGroups = o.batchSizes.map((batch) => labelled(`batch ${batch}`, { lr: o.baseLr, batch })).filter((g) => g.runs.length);
  add(trendsFigure("fig-E8-mlp-learning-rates", `Figs. 1 / E.8 — ${arch} on ${dataLabel}: SGD at batch ${o.baseBatch}, learning rates ${o.learningRates.join(", ")} (mean ± sd over ${o.seeds} seeds, geometric on log axes; metrics on ${o.nEval} training inputs)`, lrGroups, TREND_PANELS, "learning rate"));
  add(trendsFigure("fig-E7-mlp-batch-sizes", `Figs. 2 / E.7 — ${arch} on ${dataLabel}: SGD at lr ${o.baseLr}, batch sizes ${o.batchSizes.join(", ")} (mean ± sd over ${o.seeds} seeds)`, batchGroups, TREND_PANELS, "batch size"));

  // ---- experiment 2: test-set view (base setting) ----
  const baseRuns = group(mlp, { lr: o.baseLr, batch: o.baseBatch });
  if (!baseRuns.length) throw new Error(`${NAME}: every run at the base setting (lr ${o.baseLr}, batch ${o.baseBatch}) diverged`);
  const view = (pick: (c: ChenCheckpoint) => MetricRow | null) => (k: keyof MetricRow) => (c: ChenCheckpoint) => pick(c)?.[k] ?? null;
  const sets = [
    { label: `${o.nEval} training inputs`, pick: view((c) => c.train) },
    { label: `${o.nTestEval} test inputs`, pick: view((c) => c.test) },
    { label: `misclassified test inputs (≤ ${o.nTestEval})`, pick: view((c) => c.misclassified) },
  ];
  {
    const panels: { title: string; series: { label: string; get: (c: ChenCheckpoint) => number | null }[]; log?: boolean }[] = [
      { title: "train / test loss", series: [{ label: "train loss", get: (c) => c.trainLoss }, { label: "test loss", get: (c) => c.testLoss }], log: true },
      { title: "√sharpness (Eq. 3)", series: sets.map((s) => ({ label: s.label, get: s.pick("sqrtSharpness") })) },
      { title: "log volume (Eq. 10)", series: sets.map((s) => ({ label: s.label, get: s.pick("logVolume") })) },
      { title: "G (Eq. 6)", series: sets.map((s) => ({ label: s.label, get: s.pick("G") })), log: true },
      { title: "MLS (Eq. 13)", series: sets.map((s) => ({ label: s.label, get: s.pick("mls") })) },
      { title: "local dimensionality (Eq. 14)", series: sets.map((s) => ({ label: s.label, get: s.pick("localDim") })) },
    ];
    const data: Trace[] = [];
    panels.forEach((p, pi) =>
      p.series.forEach((s, si) => {
        const b = band(baseRuns, s.get, p.log);
        const ci = pi === 0 ? 3 + si : si;
        data.push({ type: "scatter", mode: "lines+markers", ...panelAxes(pi), x: b.x, y: b.m, name: s.label, legendgroup: s.label, showlegend: pi <= 1, line: { color: colour(ci), width: 2, dash: si === 2 ? "dot" : "solid" }, marker: { size: 4, color: colour(ci) } });
      }),
    );
    const layout = houseLayout({ title: `Fig. 3 — test-set view, ${arch}, lr ${o.baseLr}, batch ${o.baseBatch} (mean over ${baseRuns.length} seeds; misclassified: those wrong at each checkpoint)`, x: { title: "SGD step" }, y: { title: "" }, width: 1080, height: 640 });
    panelGrid(layout, panels.map((p) => p.title), { cols: 3, yLog: panels.map((p) => Boolean(p.log)), xTitle: "SGD step" });
    add(new Figure("fig3-test-set", data, layout));
  }

  // ---- bound chain (Eq. 28, Fig. D.4) ----
  let bad = 0;
  let total = 0;
  let worst = { run: "", step: 0, detail: "" };
  for (const r of allMlp)
    for (const c of r.checkpoints) {
      const b = c.bounds!;
      total++;
      const slack = 1e-9 * Math.max(b.D, 1e-300);
      if (!(b.A <= b.B + slack && b.B <= b.C + slack && b.C <= b.D + slack)) {
        bad++;
        worst = { run: `lr ${r.lr} batch ${r.batch} seed ${r.seed}`, step: c.step, detail: `A ${b.A} B ${b.B} C ${b.C} D ${b.D}` };
      }
    }
  out.checks.push({ name: "software check: Eq. 28's chain A ≤ B ≤ C ≤ D (Cauchy–Schwarz, holds for any weights) at every checkpoint of every MLP run", pass: bad === 0, detail: bad === 0 ? `${total} checkpoints over ${allMlp.length} runs` : `${bad} of ${total} violate it, e.g. ${worst.run} step ${worst.step}: ${worst.detail}` });
  {
    // Eq. 11 per input (AM–GM over the N singular values kept): Σ log σ ≤ (N/2) log(Σ σ² / N) ≤ (N/2) log(G_i / N);
    // averaged over inputs, Jensen keeps it: mean log V ≤ (N/2) log(mean G / N)
    let n12 = 0;
    const bad12: string[] = [];
    for (const r of runs) {
      const N = Math.min(r.K, r.d, o.volumeTop > 0 ? o.volumeTop : Infinity);
      for (const c of r.checkpoints)
        for (const [set, m] of [["train", c.train], ["test", c.test], ["misclassified", c.misclassified]] as const) {
          if (!m) continue;
          n12++;
          const rhs = (N / 2) * Math.log(m.G / N);
          if (!(m.logVolume <= rhs + 1e-9 * Math.max(1, Math.abs(rhs)))) bad12.push(`${r.model} lr ${r.lr} batch ${r.batch} seed ${r.seed} step ${c.step} ${set}: log V ${m.logVolume} > ${rhs}`);
        }
    }
    out.checks.push({ name: "software check: Eqs. 11–12, mean log V ≤ (N/2)·log(G/N) (AM–GM per input, Jensen over inputs) at every checkpoint and input set of every run", pass: bad12.length === 0, detail: bad12.length ? `${bad12.length} of ${n12} violate it, e.g. ${bad12[0]}` : `${n12} (checkpoint, input set) pairs over ${runs.length} runs` });
  }
  {
    const keys = ["A", "B", "C", "D"] as const;
    const data: Trace[] = keys.map((k, i) => {
      const b = band(baseRuns, (c) => c.bounds![k]);
      return { type: "scatter", mode: "lines+markers", x: b.x, y: b.m, name: `${k}${k === "A" ? " (mean MLS)" : k === "B" ? " (‖W‖₂ mean ‖∇_W f‖/‖x‖)" : k === "C" ? " (partial sharpness)" : " (√S)"}`, line: { color: colour(i), width: 2 } };
    });
    add(new Figure("fig-D4-bounds", data, houseLayout({ title: `Fig. D.4 — the bound chain of Eq. 28 over training, ${arch}, lr ${o.baseLr}, batch ${o.baseBatch} (mean over seeds)`, x: { title: "SGD step" }, y: { title: "value", log: true } })));
  }

  // ---- Eq. 3 vs Tr H at the end (gap = Tr H_f, Hutchinson) ----
  const traced = mlp.filter((r) => r.trace);
  if (traced.length) {
    const rows = traced.map((r) => ({ r, rel: Math.abs(r.trace!.trHf) / r.trace!.eq3, relErr: r.trace!.stderr / r.trace!.eq3 }));
    const interp = rows.filter((x) => x.r.trace!.loss < 1e-2);
    const within = interp.filter((x) => x.rel < 0.05).length;
    const noise = interp.filter((x) => x.rel >= 0.05 && Math.abs(x.r.trace!.trHf) < 3 * x.r.trace!.stderr).length;
    if (interp.length) out.notes.push(`Eq. 3 vs Tr H: ${interp.length} of ${rows.length} runs end with loss < 1e-2 on the measured inputs: ${within} with |Tr H_f| < 5 % of Eq. 3, ${noise} more within 3 stderr of 0; median |Tr H_f|/Eq. 3 = ${fmt(median(interp.map((x) => x.rel)))} (stderr ≈ ${fmt(mean(interp.map((x) => x.relErr)))} of Eq. 3 with ${traced[0].trace!.probes} probes).`);
    out.tables.push({ title: "Eq. 3 vs Tr H at the end of training (MLP)", columns: ["lr", "batch", "seed", "loss on the inputs", "Eq. 3", "Tr H_f (Hutchinson)", "stderr", "|Tr H_f| / Eq. 3"], rows: rows.map(({ r, rel }) => [r.lr, r.batch, r.seed, r.trace!.loss, r.trace!.eq3, r.trace!.trHf, r.trace!.stderr, rel]) });
  }

  // ---- experiment 3: correlations over the final states ----
  const final = (r: ChenRun) => r.checkpoints[r.checkpoints.length - 1];
  const quantities: { label: string; get: (c: ChenCheckpoint) => number }[] = [
    { label: "local dim", get: (c) => c.train.localDim },
    { label: "√sharpness", get: (c) => c.train.sqrtSharpness },
    { label: "log volume", get: (c) => c.train.logVolume },
    { label: "G", get: (c) => c.train.G },
    { label: "MLS", get: (c) => c.train.mls },
    { label: "test loss", get: (c) => c.testLoss },
    { label: "bound C", get: (c) => c.bounds!.C },
    { label: "bound D", get: (c) => c.bounds!.D },
  ];
  const values = quantities.map((q) => mlp.map((r) => q.get(final(r))));
  const rho = values.map((a) => values.map((b) => pearson(a, b)));
  {
    const nq = quantities.length;
    const annotations = [];
    for (let i = 0; i < nq; i++)
      for (let j = 0; j < nq; j++) {
        if (i === j) continue;
        annotations.push({ xref: "paper", yref: "paper", x: (j + 0.05) / nq, y: 1 - (i + 0.05) / nq, xanchor: "left", yanchor: "top", showarrow: false, text: `ρ=${fmt(rho[i][j], 2)}`, font: { size: 9, color: Math.abs(rho[i][j]) > 0.5 ? "#b00" : "#555" } });
      }
    const splom: Trace = {
      type: "splom",
      dimensions: quantities.map((q, k) => ({ label: q.label, values: values[k] })),
      text: mlp.map((r) => `lr ${r.lr}, batch ${r.batch}, seed ${r.seed}`),
      marker: { size: 5, color: mlp.map((r) => mlpSettings.findIndex((s) => s.lr === r.lr && s.batch === r.batch)), colorscale: "Viridis", line: { width: 0 } },
      diagonal: { visible: false },
      showupperhalf: true,
    };
    const layout = houseLayout({ title: `Fig. D.6 — pairwise scatter of the final states of ${mlp.length} MLPs (learning rate, batch size, seed varied), Pearson ρ in each panel`, x: { title: "" }, y: { title: "" }, width: 1080, height: 1000 });
    delete layout.xaxis;
    delete layout.yaxis;
    layout.annotations = annotations;
    layout.dragmode = "select";
    add(new Figure("fig-D6-correlations", [splom], layout));
    // category labels: the house layout's axes are linear, on which a heatmap of labels draws nothing
    const rhoLayout = houseLayout({ title: `Pearson ρ between the final-state quantities (${mlp.length} MLPs)`, x: { title: "" }, y: { title: "" }, width: 720, height: 620 });
    rhoLayout.xaxis = { ...(rhoLayout.xaxis as object), type: "category" };
    rhoLayout.yaxis = { ...(rhoLayout.yaxis as object), type: "category", autorange: "reversed" };
    rhoLayout.margin = { ...(rhoLayout.margin as object), l: 110, b: 90 };
    add(new Figure("fig-D6-rho", [{ type: "heatmap", z: rho, x: quantities.map((q) => q.label), y: quantities.map((q) => q.label), zmin: -1, zmax: 1, colorscale: "RdBu", reversescale: true, text: rho.map((r) => r.map((v) => fmt(v, 2))), texttemplate: "%{text}", hoverinfo: "x+y+z" }], rhoLayout));
    out.tables.push({ title: "Final state of every MLP run", columns: ["lr", "batch", "seed", "train loss", "test loss", "test acc", ...quantities.filter((q) => q.label !== "test loss").map((q) => q.label), "A", "B"], rows: mlp.map((r) => { const c = final(r); return [r.lr, r.batch, r.seed, c.trainLoss, c.testLoss, c.testAcc, ...quantities.filter((q) => q.label !== "test loss").map((q) => q.get(c)), c.bounds!.A, c.bounds!.B]; }) });
  }

  // ---- experiment 4: VGG ----
  if (vgg.length) {
    const v0 = vgg[0];
    const varch = `VGG-style [${o.vggLayers.join(", ")}] + [${o.vggHidden.join(", ")}], p = ${v0.p}, on ${v0.source} classes [${o.classes}]`;
    const lrG = o.vggLearningRates.map((lr) => ({ label: `lr ${lr}`, runs: group(vgg, { lr, batch: o.baseBatch }) })).filter((g) => g.runs.length);
    const bG = o.vggBatchSizes.map((batch) => ({ label: `batch ${batch}`, runs: group(vgg, { lr: o.baseLr, batch }) })).filter((g) => g.runs.length);
    if (lrG.length) add(trendsFigure("fig1-vgg-learning-rates", `Fig. 1 — ${varch}: SGD at batch ${o.baseBatch}, learning rates ${o.vggLearningRates.join(", ")} (${o.vggSeeds} seed${o.vggSeeds > 1 ? "s" : ""}; Eq. 3 from float32 per-sample gradients of the first ${o.vggSharpnessSamples} inputs)`, lrG, TREND_PANELS, "learning rate"));
    if (bG.length > 1) add(trendsFigure("fig2-vgg-batch-sizes", `Fig. 2 — ${varch}: SGD at lr ${o.baseLr}, batch sizes ${o.vggBatchSizes.join(", ")}`, bG, TREND_PANELS, "batch size"));
    out.tables.push({ title: "VGG runs, final state", columns: ["lr", "batch", "seed", "train loss", "train acc", "test acc", "√S", "log volume", "G", "MLS", "local dim", "seconds"], rows: vgg.map((r) => { const c = final(r); return [r.lr, r.batch, r.seed, c.trainLoss, c.trainAcc, c.testAcc, c.train.sqrtSharpness, c.train.logVolume, c.train.G, c.train.mls, c.train.localDim, r.seconds]; }) });
    if (v0.source !== "cifar10") out.notes.push(`Experiment 4 ran on ${v0.source}: CIFAR-10 is used when the option cifarDir points at its binary batches.`);
  }

  // ---- the paper's claims (the ledger), from these runs' numbers ----
  const claims = assessClaims(mlp, o, traced);
  out.ledger = claims.ledger;
  out.notes.push(...claims.notes);
  out.summary["runs"] = `${mlp.length} MLP (${arch}), ${vgg.length} VGG; ${o.steps} SGD steps per MLP`;
  out.summary["backend"] = first.backend;
  const sumSeconds = (rs: ChenRun[]) => +rs.reduce((a, r) => a + r.seconds, 0).toFixed(1);
  out.timings = {
    [`training and per-checkpoint metrics, wall (${tasks.length} runs, ${o.workers} worker${o.workers > 1 ? "s" : ""})`]: (tTrained - t0) / 1000,
    "MLP runs, summed over runs": sumSeconds(allMlp),
    "VGG runs, summed over runs": sumSeconds(runs.filter((r) => r.model === "vgg")),
    "figures, tables, checks and ledger": (Date.now() - tTrained) / 1000,
  };
  out.notes.push(
    "Reconstructed / chosen here: sharpness is Eq. 3 (its interpolation form) on the 100 training inputs, and the figures plot √S; the log volume is Eq. 10 over all min(K, d) singular values of ∇_x f (the authors' code keeps the top 3: option volumeTop); all averages over inputs are plain means of the per-input values (for the log volume, the mean of the logs).",
    `Training: plain SGD on the mean ½‖f − y‖² with one-hot targets, PyTorch's default initialisation U(±1/√fan_in), ${o.steps} steps (the authors' code ran 750 000), the MLP's SGD on the native BLAS path in ${o.mlpPrecision} (${first.backend}). The same ${o.nTrain} training and ${o.nTest} test images for every run (drawn with seed 0); seeds change the initialisation and the batch order. Metrics are exact float64 for the MLP (the engine's reverse pass), float32 autodiff for the VGG.`,
    `Correlations (Figs. D.5, D.6) use the final state of every MLP run that did not diverge: ${mlp.length} networks over ${mlpSettings.length} (learning rate, batch size) settings × ${o.seeds} seeds (the paper: 20 networks).`,
    "Eq. 28's bound chain uses the first dense layer's weights; it does not apply to the conv net (∇_W f = J ⊗ x holds only for a dense first layer).",
    `Learning-rate units: PyTorch's MSELoss (the authors' code) averages over samples and outputs, so its gradient is 2/K times that of the mean ½‖f − y‖² used here. With K = ${first.K} outputs ${first.K === 2 ? "the two coincide" : `the authors' learning rates correspond to ${(2 / first.K).toPrecision(2)}× these`}; the authors' 10-class MLP ran at an effective 0.2× their nominal rate in these units.`,
  );
  return out;
}

/** Every claim of the ledger, from the MLP runs that did not diverge (`mlp`); per-run numbers also go to the notes. */
function assessClaims(mlp: ChenRun[], o: FlatnessCompressionOptions, traced: ChenRun[]): { ledger: LedgerEntry[]; notes: string[] } {
  const ledger = new LedgerBuilder(CLAIMS);
  const notes: string[] = [];
  const final = (r: ChenRun) => r.checkpoints[r.checkpoints.length - 1];
  const S = (m: MetricRow) => m.sqrtSharpness ** 2;
  // runs that reach interpolation before their last checkpoint, with that checkpoint
  const interp = mlp.map((r) => ({ r, i: interpolationIndex(r).index })).filter(({ r, i }) => i >= 0 && i < r.checkpoints.length - 1);
  const notInterp = mlp.length - interp.length;
  const why = `no run reached interpolation (≥ 99 % training accuracy) before its last checkpoint (${mlp.length} runs)`;
  if (interp.length) {
    const dS = interp.map(({ r, i }) => final(r).train.sqrtSharpness - r.checkpoints[i].train.sqrtSharpness);
    const dV = interp.map(({ r, i }) => final(r).train.logVolume - r.checkpoints[i].train.logVolume);
    ledger.assess(CLAIM.fallTogether, { dSqrtS: dS, dLogV: dV });
    ledger.assess(CLAIM.localDim, { values: interp.map(({ r, i }) => r.checkpoints[i].train.localDim - r.checkpoints[0].train.localDim), excluded: notInterp });
    ledger.assess(CLAIM.testV, { values: interp.map(({ r, i }) => final(r).test.logVolume - r.checkpoints[i].test.logVolume), excluded: notInterp });
    notes.push(`From the interpolation checkpoint to the end (Δ√S / Δlog V on the training inputs), per run: ${interp.map(({ r }, k) => `lr ${r.lr} batch ${r.batch} seed ${r.seed}: ${fmt(dS[k], 2)} / ${fmt(dV[k], 2)}`).join(", ")}; ${interp.filter(({ r }) => interpolationIndex(r).criterion === "zero training error").length} of ${interp.length} reached zero training error.`);
  } else {
    ledger.assess(CLAIM.fallTogether, undefined, why);
    for (const c of [CLAIM.localDim, CLAIM.testV]) ledger.assess(c, undefined, why);
  }
  // final √S by setting of each sweep (settings whose every seed diverged have no runs)
  const finals = (pick: (r: ChenRun) => boolean) => mlp.filter(pick).map((r) => final(r).train.sqrtSharpness);
  ledger.assess(CLAIM.lr, { groups: o.learningRates.map((lr) => ({ value: lr, sqrtS: finals((r) => r.lr === lr && r.batch === o.baseBatch) })) });
  ledger.assess(CLAIM.batch, { groups: o.batchSizes.map((b) => ({ value: b, sqrtS: finals((r) => r.lr === o.baseLr && r.batch === b) })) });
  // G against S over each run's checkpoints
  const gRho = (pick: (c: ChenCheckpoint) => MetricRow) => mlp.map((r) => pearson(r.checkpoints.map((c) => pick(c).G), r.checkpoints.map((c) => S(pick(c)))));
  ledger.assess(CLAIM.gTracks, { values: gRho((c) => c.train) });
  ledger.assess(CLAIM.testG, { values: gRho((c) => c.test) });
  // Fig. 3: test and misclassified inputs
  ledger.assess(CLAIM.testS, { values: mlp.map((r) => final(r).test.sqrtSharpness - r.checkpoints[0].test.sqrtSharpness) });
  const withMis = mlp.filter((r) => final(r).misclassified);
  ledger.assess(CLAIM.misS, { values: withMis.map((r) => final(r).misclassified!.sqrtSharpness - final(r).test.sqrtSharpness), excluded: mlp.length - withMis.length });
  ledger.assess(CLAIM.misV, { values: withMis.map((r) => final(r).misclassified!.logVolume - final(r).test.logVolume), excluded: mlp.length - withMis.length });
  // Fig. D.4: the gaps of the bound chain
  const ratio = (r: ChenRun, a: "A" | "B" | "C", b: "B" | "C" | "D") => mean(r.checkpoints.map((c) => c.bounds![a] / c.bounds![b]));
  ledger.assess(CLAIM.gaps, { runs: mlp.map((r) => ({ AB: ratio(r, "A", "B"), BC: ratio(r, "B", "C"), CD: ratio(r, "C", "D") })) });
  // Lemma A.1
  if (traced.length) ledger.assess(CLAIM.lemma, { rows: traced.map((r) => ({ loss: r.trace!.loss, eq3: r.trace!.eq3, trHf: r.trace!.trHf, stderr: r.trace!.stderr })) });
  else ledger.assess(CLAIM.lemma, undefined, "Tr H_f was not estimated (option traceProbes = 0)");
  // Figs. D.5 / D.6: final states
  const fs: FinalStates = {
    sqrtS: mlp.map((r) => final(r).train.sqrtSharpness), logV: mlp.map((r) => final(r).train.logVolume), G: mlp.map((r) => final(r).train.G), mls: mlp.map((r) => final(r).train.mls),
    localDim: mlp.map((r) => final(r).train.localDim), testLoss: mlp.map((r) => final(r).testLoss), C: mlp.map((r) => final(r).bounds!.C), D: mlp.map((r) => final(r).bounds!.D),
    K: mlp[0].K,
  };
  for (const c of [CLAIM.mlsBest, CLAIM.d2G, CLAIM.d2V, CLAIM.d2T, CLAIM.d6]) ledger.assess(c, fs);
  return { ledger: ledger.entriesInOrder(), notes };
}
