/**
 * What the figures of the Chen et al. study share: the training runs (one worker-pool task each, kept in
 * the study's shared task store so every figure that needs a run reuses it: Fig. 1 and Fig. 2 share
 * their base setting, Figs. 3 and D.5 read the runs Figs. 1–2 trained), the sweep settings, the
 * checkpoints, the mean ± spread bands and the trend figures.
 */
import { Figure, houseLayout, colour, Trace, panelGrid, panelAxes } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { logSpacedSteps } from "../../training";
import { mean, std } from "../../util/stats";
import { definePart } from "../parts";
import { resolveSource } from "../data-source";
import { ChenRunArgs, ChenRun, ChenCheckpoint, MetricRow, chenRunModule } from "./run";
import type { FlatnessCompressionOptions } from "./options";
import type { PerRun, Series } from "./claims";

/** Declares one figure of this study (its options type checked). */
export const part = definePart<FlatnessCompressionOptions>();

/** Options every run reads (data, metrics, definitions, units). */
const COMMON_READS = [
  "source",
  "cifarDir",
  "nEval",
  "nTest",
  "nTestEval",
  "lrUnits",
  "definitions",
  "baseLr",
  "baseBatch",
] as const;
/** The options an MLP run reads: a figure of MLP runs declares these (its cache key then covers the runs). */
export const MLP_READS = [
  ...COMMON_READS,
  "mlpClasses",
  "hidden",
  "activation",
  "mlpLayer",
  "steps",
  "checkpoints",
  "nTrain",
  "mlpPrecision",
  "traceProbes",
  "seeds",
] as const;
/** The options a VGG run reads. */
export const VGG_READS = [
  ...COMMON_READS,
  "vggClasses",
  "vggLayers",
  "vggHidden",
  "vggOutputs",
  "vggInit",
  "vggSteps",
  "vggMaxSteps",
  "vggAfterZero",
  "vggAfterZeroRatio",
  "checkpoints",
  "vggTrain",
  "vggSharpnessSamples",
  "vggSeeds",
] as const;

type MlpOptions = Pick<FlatnessCompressionOptions, (typeof MLP_READS)[number] | "workers">;
type VggOptions = Pick<FlatnessCompressionOptions, (typeof VGG_READS)[number] | "workers">;

export type Model = "mlp" | "vgg";

/** Checkpoints: log-spaced early (the fast first phase) and evenly spaced late (the interpolation phase). */
export function chenCheckpoints(steps: number, n: number): number[] {
  const half = Math.max(2, Math.floor(n / 2));
  const even = Array.from({ length: n - half + 1 }, (_, i) => Math.round((steps * i) / (n - half)));
  return Array.from(new Set([...logSpacedSteps(steps, half), ...even])).sort((a, b) => a - b);
}

export interface Setting {
  lr: number;
  batch: number;
}

/** The (lr, batch) settings of the two sweeps, without repeating the shared base setting. */
export function sweepSettings(lrs: number[], batches: number[], baseLr: number, baseBatch: number): Setting[] {
  const out: Setting[] = [];
  const add = (s: Setting) => {
    if (!out.some((t) => t.lr === s.lr && t.batch === s.batch)) out.push(s);
  };
  lrs.forEach((lr) => add({ lr, batch: baseBatch }));
  batches.forEach((batch) => add({ lr: baseLr, batch }));
  return out;
}

/** Every setting of a model's two sweeps. */
export function allSettings(
  o: {
    learningRates?: number[];
    batchSizes?: number[];
    vggLearningRates?: number[];
    vggBatchSizes?: number[];
    baseLr: number;
    baseBatch: number;
  },
  model: Model,
): Setting[] {
  return model === "mlp"
    ? sweepSettings(o.learningRates!, o.batchSizes!, o.baseLr, o.baseBatch)
    : sweepSettings(o.vggLearningRates!, o.vggBatchSizes!, o.baseLr, o.baseBatch);
}

function runArgs(o: MlpOptions | VggOptions, model: Model, s: Setting, seed: number): ChenRunArgs {
  const source = resolveSource(o.source, o.cifarDir ?? undefined);
  const common = {
    source,
    cifarDir: o.cifarDir ?? undefined,
    nEval: o.nEval,
    nTest: o.nTest,
    nTestEval: o.nTestEval,
    lrUnits: o.lrUnits,
    definitions: o.definitions,
    lr: s.lr,
    batch: s.batch,
    seed,
  };
  if (model === "mlp") {
    const m = o as MlpOptions;
    return {
      ...common,
      model,
      classes: m.mlpClasses,
      nTrain: m.nTrain,
      hidden: m.hidden,
      activation: m.activation,
      mlpLayer: m.mlpLayer,
      mlpPrecision: m.mlpPrecision,
      traceProbes: m.traceProbes,
      steps: m.steps,
      maxSteps: m.steps,
      afterZero: 0,
      afterZeroRatio: 0,
      checkpoints: chenCheckpoints(m.steps, m.checkpoints),
      // unused by an MLP run (fixed so the run's task key does not depend on VGG options)
      vggLayers: [],
      vggHidden: [],
      vggSharpnessSamples: 1,
      vggOutputs: 0,
      vggInit: "pytorch-default",
    };
  }
  const v = o as VggOptions;
  return {
    ...common,
    model,
    classes: v.vggClasses,
    nTrain: v.vggTrain,
    vggLayers: v.vggLayers,
    vggHidden: v.vggHidden,
    vggOutputs: v.vggOutputs,
    vggInit: v.vggInit,
    vggSharpnessSamples: Math.min(v.vggSharpnessSamples, v.nEval),
    steps: v.vggSteps,
    maxSteps: v.vggMaxSteps,
    afterZero: v.vggAfterZero,
    afterZeroRatio: v.vggAfterZeroRatio,
    checkpoints: chenCheckpoints(v.vggSteps, Math.min(v.checkpoints, 12)),
    hidden: [],
    activation: "linear",
    mlpLayer: "output",
    mlpPrecision: "float32",
    traceProbes: 0,
  };
}

/**
 * The runs of `settings` × seeds, trained in the worker pool (or restored from the study's shared task
 * store when another figure trained them with the same options). Returns them in (setting, seed) order.
 */
export async function trainRuns(
  o: MlpOptions | VggOptions,
  model: Model,
  settings: Setting[],
  label: string,
): Promise<ChenRun[]> {
  const seeds = model === "mlp" ? (o as MlpOptions).seeds : (o as VggOptions).vggSeeds;
  const tasks = settings.flatMap((s) =>
    Array.from({ length: seeds }, (_, seed) => ({
      module: chenRunModule,
      fn: "runChen",
      args: runArgs(o, model, s, seed),
    })),
  );
  const bar = new Progress(`${label}: ${tasks.length} ${model === "mlp" ? "MLP" : "VGG"} runs`, tasks.length);
  const runs = await mapTasks<ChenRun>(tasks, { workers: o.workers, onDone: () => bar.tick(), shared: true });
  bar.finish();
  return runs;
}

/** A run's label. */
export const runLabel = (r: ChenRun) => `${r.model} lr ${r.lr} batch ${r.batch} seed ${r.seed}`;

export const final = (r: ChenRun) => r.checkpoints[r.checkpoints.length - 1];

/** Runs whose SGD did not diverge, and a note naming the ones that did. */
export function finite(runs: ChenRun[]): { ok: ChenRun[]; note?: string } {
  const bad = runs.filter((r) => r.divergedAt !== undefined);
  return {
    ok: runs.filter((r) => r.divergedAt === undefined),
    note: bad.length
      ? `Diverged (left out of the figure and the claims): ` +
        `${bad.map((r) => `${runLabel(r)} at step ${r.divergedAt}`).join("; ")}.`
      : undefined,
  };
}

export const group = (rs: ChenRun[], s: Setting) => rs.filter((r) => r.lr === s.lr && r.batch === s.batch);

/** Index of the first checkpoint with zero training error (else ≥ 99 % accuracy), or −1. */
export function interpolationIndex(run: ChenRun): { index: number; criterion: string } {
  let i = run.checkpoints.findIndex((c) => c.trainAcc === 1);
  if (i >= 0) return { index: i, criterion: "zero training error" };
  i = run.checkpoints.findIndex((c) => c.trainAcc >= 0.99);
  return { index: i, criterion: i >= 0 ? "≥ 99 % training accuracy (zero error not reached)" : "not reached" };
}

/** Index of the first checkpoint with ≥ 99 % training accuracy (the looser onset), or −1. */
export function p99Index(run: ChenRun): number {
  return run.checkpoints.findIndex((c) => c.trainAcc >= 0.99);
}

/** A run's checkpoints from index `i` to its end: steps and one quantity (the budgets of late-phase claims). */
export function seriesFrom(run: ChenRun, i: number, get: (c: ChenCheckpoint) => number): Series {
  const cs = run.checkpoints.slice(i);
  return { steps: cs.map((c) => c.step), values: cs.map(get) };
}

/** The checkpoint where a run reaches interpolation, when that is before its last one (else undefined). */
export function interpolationCheckpoint(run: ChenRun): ChenCheckpoint | undefined {
  const i = interpolationIndex(run).index;
  return i >= 0 && i < run.checkpoints.length - 1 ? run.checkpoints[i] : undefined;
}

export const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

export type Panel = { title: string; get: (c: ChenCheckpoint) => number | null; log?: boolean };

/** The six panels of Figs. 1, 2, E.7, E.8 (the paper's order). */
export function trendPanels(o: { definitions: FlatnessCompressionOptions["definitions"] }): Panel[] {
  return [
    { title: "train loss", get: (c) => c.trainLoss, log: true },
    { title: "test accuracy", get: (c) => c.testAcc },
    {
      title: o.definitions === "authors-code" ? "√S, 20 inputs (authors' code)" : "√sharpness (Eq. 3)",
      get: (c) => c.train.sqrtSharpness,
    },
    {
      title: o.definitions === "authors-code" ? "log volume, top 3 σ (authors' code)" : "log volume (Eq. 10)",
      get: (c) => c.train.logVolume,
    },
    { title: "G (Eq. 6)", get: (c) => c.train.G, log: true },
    { title: "local dimensionality (Eq. 14)", get: (c) => c.train.localDim },
  ];
}

/** The step axis is logarithmic (the checkpoints are log-spaced early); step 0 is drawn at 1. */
export const stepX = (step: number) => Math.max(step, 1);
/** The step axis title (short: three panels share a row, and a notebook draws the figure about 900 pixels wide). */
export const STEP_AXIS = "SGD step (log, 0 at 1)";

/**
 * Mean ± sd over runs at each checkpoint step every run has (the scheduled ones; a VGG run continued to
 * zero training error has later checkpoints of its own, which `continuations` draws); with `log`, the
 * geometric mean ×/÷ the geometric sd (so the band stays positive on a log axis).
 */
export function band(
  runs: ChenRun[],
  get: (c: ChenCheckpoint) => number | null,
  log = false,
): { x: number[]; m: number[]; lo: number[]; hi: number[] } {
  const steps = sharedSteps(runs);
  const x = steps.map(stepX);
  const m: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  steps.forEach((step) => {
    let v = runs
      .map((r) => r.checkpoints.find((c) => c.step === step))
      .map((c) => (c ? get(c) : null))
      .filter((y): y is number => y !== null && Number.isFinite(y) && (!log || y > 0));
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

/** The checkpoint steps every one of `runs` has, in order. */
export function sharedSteps(runs: ChenRun[]): number[] {
  if (!runs.length) return [];
  return runs[0].checkpoints
    .map((c) => c.step)
    .filter((step) => runs.every((r) => r.checkpoints.some((c) => c.step === step)));
}

/**
 * Each run's checkpoints past the shared ones (a VGG run continued to zero training error), from its last shared one.
 */
export function continuations(runs: ChenRun[]): { run: ChenRun; checkpoints: ChenCheckpoint[] }[] {
  const shared = new Set(sharedSteps(runs));
  return runs.flatMap((run) => {
    const own = run.checkpoints.filter((c) => !shared.has(c.step));
    if (!own.length) return [];
    const before = run.checkpoints.filter((c) => shared.has(c.step) && c.step < own[0].step);
    return [{ run, checkpoints: [...before.slice(-1), ...own] }];
  });
}

export function trendsFigure(
  name: string,
  title: string,
  groups: { label: string; runs: ChenRun[] }[],
  panels: Panel[],
  legendTitle: string,
): Figure {
  const data: Trace[] = [];
  panels.forEach((p, pi) => {
    groups.forEach((g, gi) => {
      const b = band(g.runs, p.get, p.log);
      const c = colour(gi);
      const ax = panelAxes(pi);
      if (g.runs.length > 1)
        data.push({
          type: "scatter",
          ...ax,
          x: [...b.x, ...b.x.slice().reverse()],
          y: [...b.hi, ...b.lo.slice().reverse()],
          fill: "toself",
          fillcolor: c + "2a",
          line: { width: 0 },
          hoverinfo: "skip",
          showlegend: false,
          legendgroup: g.label,
          name: `${g.label} ± sd`,
        });
      data.push({
        type: "scatter",
        mode: "lines+markers",
        ...ax,
        x: b.x,
        y: b.m,
        name: g.label,
        legendgroup: g.label,
        showlegend: pi === 0,
        line: { color: c, width: 2 },
        marker: { size: 4, color: c },
      });
      for (const k of continuations(g.runs)) {
        const pts = k.checkpoints
          .map((ck) => ({ x: stepX(ck.step), y: p.get(ck) }))
          .filter((q) => q.y !== null && Number.isFinite(q.y) && (!p.log || q.y > 0));
        data.push({
          type: "scatter",
          mode: "lines+markers",
          ...ax,
          x: pts.map((q) => q.x),
          y: pts.map((q) => q.y),
          name: `${g.label}, seed ${k.run.seed}: trained on to zero training error`,
          legendgroup: g.label,
          showlegend: false,
          line: { color: c, width: 1, dash: "dot" },
          marker: { size: 3, color: c, symbol: "circle-open" },
        });
      }
    });
  });
  const layout = houseLayout({
    title,
    x: { title: STEP_AXIS },
    y: { title: "" },
    width: 1080,
    height: 660,
    legendTitle,
  });
  panelGrid(
    layout,
    panels.map((p) => p.title),
    { cols: 3, yLog: panels.map((p) => Boolean(p.log)), xTitle: STEP_AXIS, xLog: true },
  );
  return new Figure(name, data, layout);
}

/** What the figures' notes say about the learning-rate units and the definitions in use. */
export function unitsNote(
  o: { lrUnits: FlatnessCompressionOptions["lrUnits"]; definitions: FlatnessCompressionOptions["definitions"] },
  K: number,
  model: Model,
): string {
  const units =
    o.lrUnits === "authors"
      ? `Learning rates are in the authors' units (PyTorch MSELoss, the mean over samples and ` +
        `outputs of (f − y)²): with K = ${K} outputs the ${model === "mlp" ? "MLP" : "VGG"} takes ` +
        `steps of ${(2 / K).toPrecision(2)}× the nominal rate on the mean ½‖f − y‖² (option lrUnits).`
      : `Learning rates are in units of the mean ½‖f − y‖² (option lrUnits: "authors" for PyTorch ` +
        `MSELoss's, ${(K / 2).toPrecision(2)}× these with K = ${K}).`;
  const defs =
    o.definitions === "authors-code"
      ? "Metrics as the authors' code computes them: √S (summed over the outputs) on the first 20 inputs and the " +
        "log volume over the top 3 singular values (option definitions)."
      : "Metrics as the paper defines them: √S of Eq. 3 and the log volume of Eq. 10 over all " +
        'min(K, d) singular values (option definitions: "authors-code" for √S on 20 inputs and the top 3).';
  return `${units} ${defs}`;
}

/**
 * Per-run evidence for the pooled claims (one value per run; `undefined` leaves the run out), keyed by
 * run so that two figures sharing a run (the base setting) count it once when their evidence is combined.
 */
export function keyed(runs: ChenRun[], value: (r: ChenRun) => number | undefined): PerRun {
  const keys: string[] = [];
  const values: number[] = [];
  const excludedKeys: string[] = [];
  for (const r of runs) {
    const v = value(r);
    if (v === undefined) excludedKeys.push(runLabel(r));
    else {
      keys.push(runLabel(r));
      values.push(v);
    }
  }
  return { keys, values, excluded: excludedKeys.length, excludedKeys };
}

/** The per-run, per-checkpoint metrics of some runs (a table a user can re-plot from). */
export function metricsTable(
  title: string,
  runs: ChenRun[],
): { title: string; columns: string[]; rows: (string | number | null)[][] } {
  const m = (r: MetricRow | null, k: keyof MetricRow) => (r ? r[k] : null);
  return {
    title,
    columns: [
      "model",
      "lr",
      "batch",
      "seed",
      "step",
      "train loss",
      "train acc",
      "test loss",
      "test acc",
      "√S (train)",
      "log V (train)",
      "G (train)",
      "MLS (train)",
      "local dim (train)",
      "√S (test)",
      "log V (test)",
      "G (test)",
      "MLS (test)",
      "local dim (test)",
      "misclassified",
      "√S (mis.)",
      "log V (mis.)",
      "G (mis.)",
      "A",
      "B",
      "C",
      "D",
    ],
    rows: runs.flatMap((r) =>
      r.checkpoints.map((c) => [
        r.model,
        r.lr,
        r.batch,
        r.seed,
        c.step,
        c.trainLoss,
        c.trainAcc,
        c.testLoss,
        c.testAcc,
        c.train.sqrtSharpness,
        c.train.logVolume,
        c.train.G,
        c.train.mls,
        c.train.localDim,
        c.test.sqrtSharpness,
        c.test.logVolume,
        c.test.G,
        c.test.mls,
        c.test.localDim,
        c.misclassifiedCount,
        m(c.misclassified, "sqrtSharpness"),
        m(c.misclassified, "logVolume"),
        m(c.misclassified, "G"),
        c.bounds?.A ?? null,
        c.bounds?.B ?? null,
        c.bounds?.C ?? null,
        c.bounds?.D ?? null,
      ]),
    ),
  };
}

/** How far each run got: final training loss and error, and the first checkpoint with zero training error. */
export function progressTable(
  title: string,
  runs: ChenRun[],
): { title: string; columns: string[]; rows: (string | number | null)[][] } {
  return {
    title,
    columns: [
      "model",
      "lr",
      "lr effective (½‖f − y‖²)",
      "batch",
      "seed",
      "steps",
      "final train loss",
      "final train error",
      "first step with zero training error",
      "final test accuracy",
      "diverged at",
      "seconds",
    ],
    rows: runs.map((r) => {
      const c = final(r);
      const z = r.checkpoints.find((k) => k.trainAcc === 1);
      return [
        r.model,
        r.lr,
        r.lrEffective,
        r.batch,
        r.seed,
        c?.step ?? 0,
        c?.trainLoss ?? null,
        c ? 1 - c.trainAcc : null,
        z ? z.step : null,
        c?.testAcc ?? null,
        r.divergedAt ?? null,
        r.seconds,
      ];
    }),
  };
}
