/**
 * Study: Singh, Bachmann & Hofmann (2021), "Analytic Insights into Structure and Rank of Neural
 * Network Hessian Maps" (shared/papers/singh-2021-hessian-rank.md).
 *
 * Figures (paper numbering): 1 spectra at init (linear, ReLU) with predicted rank; 2a rank vs N;
 * 2b rank vs width; 2c rank/#params vs width; 3 spectra of H, H_f, H_o for linear vs tanh;
 * 4 low-rank reconstruction error (ReLU, cross-entropy); 5 rank dynamics while training a linear
 * network on a linear teacher; 6 bias: rank vs width against Fact 13. Plus `rankExplorer`.
 */
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { eigvalsh, rank } from "../../linalg";
import { linearTeacher } from "../../data";
import { Figure, lineFigure, houseLayout, colour, Trace, logFloor, panelRow, panelAxes } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks, defaultWorkers } from "../../parallel";
import { checkOptions, anything, bool, int } from "../../util/options";
import { ExperimentDefinition, runExperiment, RunControls, StudyOutput, checkChoice, checkInt, checkIntList, checkNumber } from "../framework";
import { Check, Table, ExperimentResult } from "../../report/result";
import { IMAGE_SOURCES, ImageSource, resolveSource } from "../data-source";
import { MeasureArgs, Measurement, measure, spectrumGaps, measureModule, InputTreatment, INPUT_TREATMENTS, Downscale, DOWNSCALES } from "./measure";
import { LedgerBuilder, ClaimSpec } from "../../report/ledger";
import { CLAIMS, FormulaHits, BulkGaps, Reconstruction, TrainingRecord, WeightRanks, RegimeSweep, REGIME_GAP_SMALL } from "./claims";

export interface HessianRankOptions {
  /** image data: "auto" = CIFAR-10 if cifarDir is set, else Fashion-MNIST (Debian), else MNIST */
  source: ImageSource;
  cifarDir: string | null;
  /**
   * input pre-processing: "raw" pixels in [0, 1] (the authors' /255), "centred", or "standardized"
   * (per-pixel z-score, the default). With raw pixels the mean direction inflates λ_max and true
   * eigenvalues can sit under the default tolerance max|λ|·p·eps. Measured when choosing the default
   * (raw + nearest, default tolerance): quick preset on Fashion-MNIST, rank = formula in Fact 7 17/21,
   * Cor. 4 15/19, Cor. 6 19/19, Thm. 12 6/7 configurations (e.g. Fig. 2a [12, 8, 8, 8], N = 60: rank H
   * 806 vs 808, |λ|_(808)/λ_max = 1.1e-14 < p·eps = 2.4e-13); Fig. 2a [50, 20, 20, 20] at N = 100, 200,
   * 400: H, H_o, H_f all equal to the formulas on Fashion-MNIST and on MNIST; quick Fig. 2a sizes on
   * MNIST: all equal. Standardised + nearest: every quick-preset formula holds. Each run's notes list
   * any linear configuration whose rank misses a formula, with |λ|_(f)/λ_max against p·eps.
   */
  inputs: InputTreatment;
  /** downscaling to d pixels: "nearest" (torch's F.interpolate default, the authors' code) or "area" averaging */
  downscale: Downscale;
  /** input dimension after downscaling (8×8 = 64 in the paper) */
  d: number;
  K: number;
  init: nets.Init;
  /** Figure 1: seeds averaged, hidden widths, samples */
  seeds: number;
  fig1Hidden: number[];
  fig1N: number;
  /** Figure 2a: hidden widths and the sample sizes swept */
  sweepNHidden: number[];
  sweepN: number[];
  /** Figures 2b, 2c, 6: widths M of hidden [M, M], samples */
  widths: number[];
  widthN: number;
  /** Figures 2a/2b: measure H_o and H_f (two more eigendecompositions) at every k-th configuration */
  fig2SplitEvery: number;
  /** Figure 3 (MNIST, linear vs tanh) */
  fig3Hidden: number[];
  fig3N: number;
  /** regime sweep (Fig. 3 setting, tanh): multipliers of the initial weights; the smallest and 1 are judged */
  fig3Scales: number[];
  /** Figure 4 (ReLU, cross-entropy) */
  fig4Hidden: number[];
  fig4N: number;
  /** Figure 5: linear teacher, full-batch gradient descent in float64 */
  fig5Hidden: number[];
  fig5D: number;
  fig5N: number;
  fig5Steps: number;
  fig5Checkpoints: number;
  fig5Lr: number;
  /** worker threads for the sweeps (default: both cores) */
  workers: number;
}

/** The paper preset's input pipeline: the authors' nearest-neighbour downscaling, our per-pixel standardisation (see `inputs`). */
const DEFAULT_INPUTS: InputTreatment = "standardized";
const DEFAULT_DOWNSCALE: Downscale = "nearest";

export const hessianRankDefaults: HessianRankOptions = {
  source: "auto",
  cifarDir: null,
  inputs: DEFAULT_INPUTS,
  downscale: DEFAULT_DOWNSCALE,
  d: 64,
  K: 10,
  init: "glorot-normal",
  seeds: 3,
  fig1Hidden: [30, 20],
  fig1N: 200,
  sweepNHidden: [50, 20, 20, 20],
  sweepN: Array.from({ length: 40 }, (_, i) => 10 * (i + 1)),
  widths: Array.from({ length: 14 }, (_, i) => 4 * (i + 1)),
  widthN: 100,
  fig2SplitEvery: 4,
  fig3Hidden: [30, 20],
  fig3N: 500,
  fig3Scales: [0.1, 0.3, 1, 3],
  fig4Hidden: [30, 20],
  fig4N: 500,
  fig5Hidden: [25, 20, 15],
  fig5D: 20,
  fig5N: 200,
  fig5Steps: 4000,
  fig5Checkpoints: 16,
  fig5Lr: 0.05,
  workers: defaultWorkers(),
};

const NAME = "hessian-rank";

export const hessianRankStudy: ExperimentDefinition<HessianRankOptions> = {
  name: NAME,
  title: "Hessian rank of neural networks (Singh et al. 2021)",
  paper: "singh-2021-hessian-rank.md",
  defaults: hessianRankDefaults,
  presets: {
    paper: {},
    quick: {
      seeds: 2,
      fig1Hidden: [16, 12],
      fig1N: 100,
      sweepNHidden: [12, 8, 8, 8],
      sweepN: [10, 20, 30, 40, 50, 60, 70, 80, 100, 120],
      widths: [2, 4, 8, 12, 16, 20, 24],
      fig2SplitEvery: 1,
      fig3Hidden: [16, 12],
      fig3N: 200,
      fig4Hidden: [16, 12],
      fig4N: 200,
      // narrowest layer ≥ min(d, K) = 10, so the network can fit the teacher and H_f can vanish
      fig5Hidden: [20, 16, 12],
      fig5D: 10,
      fig5N: 100,
      fig5Steps: 6000,
      fig5Checkpoints: 12,
    },
  },
  validate(o) {
    checkChoice(NAME, "source", o.source, IMAGE_SOURCES);
    if (o.cifarDir !== null && typeof o.cifarDir !== "string") checkChoice(NAME, "cifarDir", o.cifarDir, ["a directory path", null]);
    checkChoice(NAME, "inputs", o.inputs, INPUT_TREATMENTS);
    checkChoice(NAME, "downscale", o.downscale, DOWNSCALES);
    if (!Array.isArray(o.fig3Scales) || !o.fig3Scales.length || o.fig3Scales.some((v) => typeof v !== "number" || !(v > 0 && v <= 100))) checkChoice(NAME, "fig3Scales", o.fig3Scales, ["a non-empty list of numbers in (0, 100]"]);
    checkInt(NAME, "d", o.d, 1, 3072);
    if (Math.round(Math.sqrt(o.d)) ** 2 !== o.d) checkChoice(NAME, "d", o.d, [16, 36, 64, 100, 144, 196]);
    checkInt(NAME, "K", o.K, 2, 10);
    checkChoice(NAME, "init", o.init, nets.INITS);
    checkInt(NAME, "seeds", o.seeds, 1, 20);
    for (const k of ["fig1Hidden", "sweepNHidden", "fig3Hidden", "fig4Hidden", "fig5Hidden"] as const) checkIntList(NAME, k, o[k], 1);
    checkIntList(NAME, "sweepN", o.sweepN, 2);
    checkIntList(NAME, "widths", o.widths, 1);
    for (const k of ["fig1N", "widthN", "fig3N", "fig4N", "fig5N", "fig5D", "fig5Steps"] as const) checkInt(NAME, k, o[k], 2);
    checkInt(NAME, "fig5Checkpoints", o.fig5Checkpoints, 2, 200);
    checkInt(NAME, "fig2SplitEvery", o.fig2SplitEvery, 1);
    checkNumber(NAME, "fig5Lr", o.fig5Lr, 1e-6, 10);
    checkInt(NAME, "workers", o.workers, 1, 64);
  },
  run: runStudy,
};

/** Runs the whole study (cached; `force: true` recomputes). */
export function hessianRank(options: Partial<HessianRankOptions> & RunControls = {}): Promise<ExperimentResult> {
  return runExperiment(hessianRankStudy, options);
}

function baseArgs(o: HessianRankOptions): Omit<MeasureArgs, "hidden" | "n" | "activation" | "bias" | "loss" | "seed" | "parts"> {
  return { d: o.d, K: o.K, init: o.init, source: o.source, cifarDir: o.cifarDir ?? undefined, inputs: o.inputs, downscale: o.downscale };
}

async function sweep(label: string, args: MeasureArgs[], workers: number): Promise<Measurement[]> {
  const bar = new Progress(label, args.length);
  const out = await mapTasks<Measurement>(args.map((a) => ({ module: measureModule, fn: "measure", args: a })), { workers, onDone: () => bar.tick() });
  bar.finish();
  return out;
}

const nowS = () => Date.now() / 1000;

/** Counts configurations whose measured rank of `part` equals its formula value. */
function hits(label: string, res: Measurement[], part: "H" | "Ho" | "Hf"): FormulaHits["parts"][number] {
  const measured = res.filter((m) => m.ranks[part] !== undefined && (part !== "Hf" || m.formula.Hf !== undefined));
  const pred = (m: Measurement) => (part === "H" ? m.formula.H : part === "Ho" ? m.formula.Ho : m.formula.Hf!);
  return { label, holds: measured.filter((m) => m.ranks[part] === pred(m)).length, total: measured.length };
}

/**
 * For each configuration whose measured rank misses its formula: the smallest eigenvalue the formula
 * counts (|λ|_(f)/λ_max) against the default tolerance p · eps, so the notes say whether a miss is a
 * tolerance effect (a true eigenvalue under the cut) or a larger or smaller bulk.
 */
function misses(label: string, res: Measurement[], xs: (number | string)[]): string[] {
  const out: string[] = [];
  res.forEach((m, i) => {
    for (const part of ["H", "Ho", "Hf"] as const) {
      const got = m.ranks[part];
      const pred = part === "H" ? m.formula.H : part === "Ho" ? m.formula.Ho : m.formula.Hf;
      if (got === undefined || pred === undefined || got === pred) continue;
      const at = m.atFormula[part];
      const tol = m.p * Number.EPSILON;
      out.push(`${label} ${xs[i]}: rank ${part} ${got} vs formula ${pred}${at === undefined ? "" : `; |λ|_(f)/λ_max = ${at.toExponential(2)} ${at > tol ? ">" : "≤"} p·eps = ${tol.toExponential(2)}`}`);
    }
  });
  return out;
}

async function runStudy(o: HessianRankOptions): Promise<StudyOutput> {
  const figures: Figure[] = [];
  const checks: Check[] = [];
  const tables: Table[] = [];
  const notes: string[] = [];
  const summary: StudyOutput["summary"] = {};
  const timings: Record<string, number> = {};
  const ledger = new LedgerBuilder(CLAIMS);
  const fact7: FormulaHits["parts"] = [];
  const cor4: FormulaHits["parts"] = [];
  const cor6: FormulaHits["parts"] = [];
  const base = baseArgs(o);
  const missed: string[] = [];
  const src = resolveSource(o.source, o.cifarDir ?? undefined);
  summary["data"] = `${src} ${o.downscale}-downscaled to d = ${o.d}, inputs ${o.inputs}`;
  notes.push(
    "Rank = number of eigenvalues with |λ| > max|λ| · p · eps (float64), as the authors' code and numpy's matrix_rank.",
    "For cross-entropy the formulas use K − 1 (the softmax Hessian has rank K − 1), as the authors' code does.",
    `Non-linear spectra are judged by where they drop, not by a threshold: the gap ratio |λ|_(f)/|λ|_(f+1) at the linear formula's index f and the index of the largest ratio |λ|_(i)/|λ|_(i+1) above the float64 noise floor (rules in the ledger).`,
  );

  // ---- Figure 1: spectra at initialisation, linear and ReLU, averaged over seeds ----
  let t0 = nowS();
  {
    const args: MeasureArgs[] = [];
    for (const activation of ["linear", "relu"] as const)
      for (let seed = 0; seed < o.seeds; seed++) args.push({ ...base, hidden: o.fig1Hidden, n: o.fig1N, activation, bias: false, loss: "mse", seed, parts: ["H"], keepSpectra: true });
    const res = await sweep("Figure 1 spectra", args, o.workers);
    const series = [];
    const vlines = [];
    for (const [i, activation] of (["linear", "relu"] as const).entries()) {
      const runs = res.slice(i * o.seeds, (i + 1) * o.seeds);
      const mags = runs.map((m) => m.spectra!.H!.map(Math.abs).sort((a, b) => b - a));
      const mean = mags[0].map((_, j) => mags.reduce((s, m) => s + m[j], 0) / mags.length);
      const f = runs[0].formula.H;
      series.push({ name: `${activation} [${o.fig1Hidden}]`, x: mean.map((_, j) => j + 1), y: logFloor(mean), colourIndex: i });
      if (i === 0) vlines.push({ x: f, label: `predicted rank ${f}` });
      if (activation === "linear") fact7.push(hits("Fig. 1 linear seeds", runs, "H"));
      else {
        const gaps = runs.map((m, s) => ({ label: `seed ${s}`, ...spectrumGaps(m.spectra!.H!, f, o.K) }));
        summary["fig1 relu: rank at default tol / linear formula / p"] = `${runs.map((m) => m.ranks.H).join(", ")} / ${f} / ${runs[0].p}`;
        summary["fig1 relu: gap |λ|_f/|λ|_(f+1)"] = gaps.map((g) => g.gapAtF.toPrecision(3)).join(", ");
        summary["fig1 relu: largest-gap index"] = gaps.map((g) => g.largestGapIndex).join(", ");
        ledger.assess(CLAIMS["fig1-relu-bulk"] as ClaimSpec<BulkGaps>, { spectra: gaps });
      }
    }
    figures.push(lineFigure("fig1-spectrum-init", {
      title: `Fig. 1 — |eigenvalues| of H at initialisation (mean of ${o.seeds} seeds)`,
      x: { title: "index (sorted by |λ|)" }, y: { title: "|λ|", log: true }, series, vlines, legendTitle: "network",
    }));
  }
  timings["fig1"] = nowS() - t0;

  // ---- Figure 2a: rank vs sample size (linear, MSE) ----
  t0 = nowS();
  {
    const split = (i: number) => i % o.fig2SplitEvery === 0;
    const args = o.sweepN.map((n, i) => ({ ...base, hidden: o.sweepNHidden, n, activation: "linear" as const, bias: false, loss: "mse" as const, seed: 0, parts: split(i) ? (["H", "Ho", "Hf"] as ("H" | "Ho" | "Hf")[]) : (["H"] as ("H" | "Ho" | "Hf")[]) }));
    const res = await sweep("Figure 2a rank vs N", args, o.workers);
    fact7.push(hits("Fig. 2a", res, "H"));
    missed.push(...misses("Fig. 2a N =", res, o.sweepN));
    cor4.push(hits("Fig. 2a", res, "Ho"));
    cor6.push(hits("Fig. 2a", res, "Hf"));
    figures.push(lineFigure("fig2a-rank-vs-n", {
      title: `Fig. 2a — rank of H, H_o, H_f vs N, linear [${o.sweepNHidden}], MSE`,
      x: { title: "sample size N" }, y: { title: "rank" },
      series: rankSeries(o.sweepN, res),
    }));
    tables.push({ title: "Fig. 2a rank vs N", columns: ["N", "r", "p", "rank H", "Fact 7", "rank H_o", "Cor. 4", "rank H_f", "Cor. 6"], rows: res.map((m, i) => [o.sweepN[i], m.r, m.p, m.ranks.H!, m.formula.H, m.ranks.Ho ?? null, m.formula.Ho, m.ranks.Hf ?? null, m.formula.Hf ?? null]) });
  }
  timings["fig2a"] = nowS() - t0;

  // ---- Figures 2b, 2c, 6: rank vs width, without and with bias ----
  for (const bias of [false, true]) {
    t0 = nowS();
    const split = (i: number) => bias || i % o.fig2SplitEvery === 0;
    const args = o.widths.map((M, i) => ({ ...base, hidden: [M, M], n: o.widthN, activation: "linear" as const, bias, loss: "mse" as const, seed: 0, parts: (bias ? ["H", "Ho"] : split(i) ? ["H", "Ho", "Hf"] : ["H"]) as ("H" | "Ho" | "Hf")[] }));
    const res = await sweep(bias ? "Figure 6 bias" : "Figure 2b rank vs width", args, o.workers);
    if (!bias) {
      fact7.push(hits("Fig. 2b", res, "H"));
      missed.push(...misses("Fig. 2b M =", res, o.widths));
      cor4.push(hits("Fig. 2b", res, "Ho"));
      cor6.push(hits("Fig. 2b", res, "Hf"));
      figures.push(lineFigure("fig2b-rank-vs-width", {
        title: "Fig. 2b — rank of H, H_o, H_f vs width M, linear [M, M], MSE", x: { title: "hidden width M" }, y: { title: "rank" },
        series: [...rankSeries(o.widths, res), { name: "#params p", x: o.widths, y: res.map((m) => m.p), dash: "dot", colourIndex: 7 }],
      }));
      figures.push(lineFigure("fig2c-rank-over-params", {
        title: "Fig. 2c — rank(H) / #params vs width", x: { title: "hidden width M" }, y: { title: "rank / p" },
        series: [
          { name: "measured", x: o.widths, y: res.map((m) => m.ranks.H! / m.p), colourIndex: 0 },
          { name: "formula", x: o.widths, y: res.map((m) => m.formula.H / m.p), mode: "markers", colourIndex: 1 },
        ],
      }));
      summary["fig2c rank/p at largest width"] = res[res.length - 1].ranks.H! / res[res.length - 1].p;
      tables.push({ title: "Fig. 2b rank vs width", columns: ["M", "p", "rank H", "Fact 7", "rank/p", "rank H_o", "Cor. 4", "rank H_f", "Cor. 6"], rows: res.map((m, i) => [o.widths[i], m.p, m.ranks.H!, m.formula.H, m.ranks.H! / m.p, m.ranks.Ho ?? null, m.formula.Ho, m.ranks.Hf ?? null, m.formula.Hf ?? null]) });
      timings["fig2b-2c"] = nowS() - t0;
    } else {
      // Fact 13 is stated for the non-bottleneck case: no hidden layer narrower than min(r+1, K)
      const regular = res.filter((m, i) => o.widths[i] >= Math.min(m.r + 1, o.K));
      const narrow = res.filter((m, i) => o.widths[i] < Math.min(m.r + 1, o.K));
      ledger.assess(CLAIMS["fact13-H-bias"] as ClaimSpec<FormulaHits>, { parts: [hits("Fig. 6 non-bottleneck widths", regular, "H")] });
      ledger.assess(CLAIMS["thm12-Ho-bias"] as ClaimSpec<FormulaHits>, { parts: [hits("Fig. 6 widths", res, "Ho")] });
      // Theorem 12 is proved as a bound: that half holds by the theorem (and is unit-tested), so it is a software check
      checks.push({ name: "Fig. 6: rank(H_o) ≤ Theorem 12 bound (proved)", pass: res.every((m) => m.ranks.Ho! <= m.formula.Ho), detail: res.map((m, i) => `M=${o.widths[i]}: ${m.ranks.Ho} ≤ ${m.formula.Ho}`).join("; ") });
      if (narrow.length) notes.push(`Fig. 6: widths below min(r+1, K) = ${Math.min(narrow[0].r + 1, o.K)} are outside Fact 13's non-bottleneck scope; there measured vs Fact 13: ${narrow.map((m) => `p=${m.p}: ${m.ranks.H} vs ${m.formula.H}`).join("; ")}.`);
      figures.push(lineFigure("fig6-bias-rank-vs-width", {
        title: "Fig. 6 — with bias: rank of H and H_o vs width, linear [M, M], centred inputs", x: { title: "hidden width M" }, y: { title: "rank" },
        series: [
          { name: "H measured (bias)", x: o.widths, y: res.map((m) => m.ranks.H!), colourIndex: 0 },
          { name: "Fact 13", x: o.widths, y: res.map((m) => m.formula.H), mode: "markers", colourIndex: 0 },
          { name: "H_o measured (bias)", x: o.widths, y: res.map((m) => m.ranks.Ho!), colourIndex: 1 },
          { name: "Theorem 12", x: o.widths, y: res.map((m) => m.formula.Ho), mode: "markers", colourIndex: 1 },
        ],
      }));
      tables.push({ title: "Fig. 6 bias", columns: ["M", "p", "rank H", "Fact 13", "rank H_o", "Thm 12"], rows: res.map((m, i) => [o.widths[i], m.p, m.ranks.H!, m.formula.H, m.ranks.Ho!, m.formula.Ho]) });
      timings["fig6"] = nowS() - t0;
    }
  }

  // ---- Figure 3: spectra of H, H_f, H_o, linear vs tanh (MNIST, as the paper) ----
  t0 = nowS();
  {
    const args = (["linear", "tanh"] as const).map((activation) => ({ ...base, source: "mnist" as const, hidden: o.fig3Hidden, n: o.fig3N, activation, bias: false, loss: "mse" as const, seed: 0, parts: ["H", "Hf", "Ho"] as ("H" | "Hf" | "Ho")[], keepSpectra: true }));
    const res = await sweep("Figure 3 spectra", args, o.workers);
    const f = res[0].formula;
    fact7.push(hits("Fig. 3 linear", [res[0]], "H"));
    missed.push(...misses("Fig. 3 linear", [res[0]], [""]));
    cor4.push(hits("Fig. 3 linear", [res[0]], "Ho"));
    cor6.push(hits("Fig. 3 linear", [res[0]], "Hf"));
    const data: Trace[] = [];
    const parts = ["H", "Hf", "Ho"] as const;
    const shapes: Record<string, unknown>[] = [];
    const gaps: BulkGaps["spectra"] = [];
    parts.forEach((part, pi) => {
      const { xaxis: xa, yaxis: ya } = panelAxes(pi);
      res.forEach((m, ai) => {
        const mags = m.spectra![part]!.map(Math.abs).sort((a, b) => b - a);
        data.push({ type: "scatter", mode: "lines", name: ai === 0 ? "linear" : "tanh", legendgroup: String(ai), showlegend: pi === 0, x: mags.map((_, j) => j + 1), y: logFloor(mags), xaxis: xa, yaxis: ya, line: { color: colour(ai), width: 2 } });
      });
      const pred = part === "H" ? f.H : part === "Hf" ? f.Hf! : f.Ho;
      shapes.push({ type: "line", xref: xa, yref: `${ya} domain`, x0: pred, x1: pred, y0: 0, y1: 1, line: { dash: "dash", color: "#222", width: 1.5 } });
      const g = spectrumGaps(res[1].spectra![part]!, pred, o.K);
      gaps.push({ label: part === "H" ? "H" : part === "Hf" ? "H_f" : "H_o", ...g });
      const lin = spectrumGaps(res[0].spectra![part]!, pred, o.K);
      summary[`fig3 tanh ${part}: rank at default tol / linear formula`] = `${g.aboveFloor} / ${pred}`;
      summary[`fig3 tanh ${part}: gap at f / largest-gap index / |λ_f|/λ_max / recon. error at f`] = `${g.gapAtF.toPrecision(3)} / ${g.largestGapIndex} / ${g.relativeAtF.toExponential(2)} / ${g.reconstructionAtF.toExponential(2)}`;
      summary[`fig3 linear ${part}: gap at f (into the noise floor)`] = lin.gapAtF;
    });
    ledger.assess(CLAIMS["sec52-tanh-bulk"] as ClaimSpec<BulkGaps>, { spectra: gaps });
    const dataName = res[0].dataDescription.split(/[;,(]/)[0].trim();
    const layout = panelRow(
      houseLayout({ title: `Fig. 3 — spectra of H, H_f, H_o: linear vs tanh [${o.fig3Hidden}], ${dataName}, d = ${o.d}`, x: { title: "index" }, y: { title: "|λ|", log: true }, width: 1200, height: 430 }),
      ["index — H", "index — H_f", "index — H_o"],
      { yLog: true, yTitle: "|λ|" },
    );
    layout.shapes = shapes;
    figures.push(new Figure("fig3-spectra-linear-vs-tanh", data, layout));
    // zoom near the cut-off of H
    const mags = res.map((m) => m.spectra!.H!.map(Math.abs).sort((a, b) => b - a));
    const lo = Math.max(1, Math.floor(f.H * 0.8));
    const hi = Math.min(mags[0].length, Math.ceil(f.H * 1.2));
    figures.push(lineFigure("fig3-zoom-cutoff", {
      title: `Fig. 3 (zoom) — |λ(H)| near the predicted cut-off ${f.H}`, x: { title: "index", range: [lo, hi] }, y: { title: "|λ|", log: true },
      series: mags.map((mg, i) => ({ name: i === 0 ? "linear" : "tanh", x: mg.map((_, j) => j + 1).slice(lo - 1, hi), y: logFloor(mg).slice(lo - 1, hi), colourIndex: i })),
      vlines: [{ x: f.H, label: "formula" }],
    }));
  }
  timings["fig3"] = nowS() - t0;

  // ---- Regime sweep: where does the Sec. 5.2 claim hold? tanh with the initial weights scaled ----
  t0 = nowS();
  {
    const args = o.fig3Scales.map((initScale) => ({ ...base, source: "mnist" as const, hidden: o.fig3Hidden, n: o.fig3N, activation: "tanh" as const, bias: false, loss: "mse" as const, seed: 0, parts: ["H"] as ("H" | "Hf" | "Ho")[], keepSpectra: true, initScale }));
    const res = await sweep("Regime sweep (tanh, init scale)", args, o.workers);
    const points: RegimeSweep["points"] = res.map((m, i) => {
      const g = spectrumGaps(m.spectra!.H!, m.formula.H, o.K);
      return { scale: o.fig3Scales[i], f: g.f, gapAtF: g.gapAtF, largestGapIndex: g.largestGapIndex, largestGap: g.largestGap, rankAtDefaultTol: g.aboveFloor };
    });
    ledger.assess(CLAIMS["regime-near-linear"] as ClaimSpec<RegimeSweep>, { points });
    summary["regime sweep: init scale → gap |λ|_f/|λ|_(f+1) of tanh H"] = points.map((q) => `${q.scale}: ${q.gapAtF.toPrecision(3)}`).join(", ");
    summary["regime sweep: init scale → largest-gap index (f)"] = points.map((q) => `${q.scale}: ${q.largestGapIndex} (${q.f})`).join(", ");
    figures.push(lineFigure("fig3-regime-sweep", {
      title: `Regime sweep — gap |λ|_f/|λ|_(f+1) of H at the linear formula's index f, tanh [${o.fig3Hidden}], MNIST, N = ${o.fig3N}, initial weights × scale`,
      x: { title: "initial-weight multiplier", log: true }, y: { title: "|λ|_f / |λ|_(f+1)", log: true },
      series: [{ name: "tanh H", x: points.map((q) => q.scale), y: points.map((q) => (Number.isFinite(q.gapAtF) ? q.gapAtF : 1e17)), mode: "lines+markers" }],
      hlines: [{ y: REGIME_GAP_SMALL, label: `rule: ≥ ${REGIME_GAP_SMALL} at the smallest scale` }],
    }));
  }
  timings["fig3-regime-sweep"] = nowS() - t0;

  // ---- Figure 4: reconstruction error, ReLU, cross-entropy ----
  t0 = nowS();
  {
    const [m] = await sweep("Figure 4 reconstruction", [{ ...base, hidden: o.fig4Hidden, n: o.fig4N, activation: "relu", bias: false, loss: "ce", seed: 0, parts: ["H"], keepSpectra: true }], 1);
    const errs = cv.reconstructionErrors(m.spectra!.H!);
    const f = Math.min(m.formula.H, errs.length - 1);
    const machine = m.ranks.H!;
    const rec: Reconstruction = { f, errAtF: errs[f], errAt90: errs[Math.ceil(0.9 * f)], machineRank: machine, p: m.p };
    ledger.assess(CLAIMS["fig4-relu-ce-reconstruction"] as ClaimSpec<Reconstruction>, rec);
    summary["fig4 reconstruction error at formula rank / at 0.9 × formula"] = `${rec.errAtF.toExponential(2)} / ${rec.errAt90.toExponential(2)}`;
    summary["fig4 formula rank / machine-precision rank / p"] = `${f} / ${machine} / ${m.p}`;
    figures.push(lineFigure("fig4-reconstruction-error", {
      title: `Fig. 4 — ‖H − H_k‖_F/‖H‖_F, ReLU [${o.fig4Hidden}], cross-entropy`, x: { title: "k (top eigenpairs kept)" }, y: { title: "relative error", log: true },
      series: [{ name: "ReLU, CE", x: Array.from(errs.keys()), y: Array.from(errs).map((v) => Math.max(v, 1e-17)) }],
      vlines: [{ x: f, label: `linear formula ${f}` }, { x: machine, label: `machine-precision rank ${machine}` }],
    }));
  }
  timings["fig4"] = nowS() - t0;

  // ---- Figure 5: rank dynamics while training ----
  t0 = nowS();
  {
    const dyn = trainingDynamics(o);
    figures.push(...dyn.figures);
    checks.push(...dyn.checks);
    Object.assign(summary, dyn.summary);
    fact7.push({ label: "Fig. 5 at init", holds: dyn.record.initial.H === dyn.init.H ? 1 : 0, total: 1 });
    cor4.push({ label: "Fig. 5 at init", holds: dyn.record.initial.Ho === dyn.init.Ho ? 1 : 0, total: 1 });
    cor6.push({ label: "Fig. 5 at init", holds: dyn.record.initial.Hf === dyn.init.Hf ? 1 : 0, total: 1 });
    ledger.assess(CLAIMS["fig5-weight-ranks"] as ClaimSpec<WeightRanks>, dyn.weights);
    ledger.assess(CLAIMS["fig5-Hf-vanishes"] as ClaimSpec<TrainingRecord>, dyn.record);
    ledger.assess(CLAIMS["fig5-rank-falls"] as ClaimSpec<TrainingRecord>, dyn.record);
  }
  timings["fig5"] = nowS() - t0;
  ledger.assess(CLAIMS["fact7-rank-H"] as ClaimSpec<FormulaHits>, { parts: fact7 });
  ledger.assess(CLAIMS["cor4-rank-Ho"] as ClaimSpec<FormulaHits>, { parts: cor4 });
  ledger.assess(CLAIMS["cor6-rank-Hf"] as ClaimSpec<FormulaHits>, { parts: cor6 });
  notes.push(
    missed.length
      ? `Linear configurations (no bias) whose measured rank misses its formula, with inputs ${o.inputs}, ${o.downscale} downscaling: ${missed.join("; ")}.`
      : `With inputs ${o.inputs} and ${o.downscale} downscaling, every linear configuration without bias measured here has rank(H), and where computed rank(H_o) and rank(H_f), equal to the formulas at the default tolerance.`,
  );
  return { figures: figures.map((f) => f.toJSON()), summary, tables, checks, notes, ledger: ledger.entriesInOrder(), timings };
}

/**
 * Figs. 2a/2b: measured rank of H, H_o, H_f beside Fact 7, Cor. 4, Cor. 6 at each x; H_o and H_f only where
 * they were computed (every `fig2SplitEvery`-th configuration).
 */
function rankSeries(x: number[], res: Measurement[]) {
  const sub = res.map((m, i) => [x[i], m] as const).filter(([, m]) => m.ranks.Ho !== undefined);
  const xs = sub.map(([v]) => v);
  return [
    { name: "H measured", x, y: res.map((m) => m.ranks.H!), colourIndex: 0 },
    { name: "H formula (Fact 7)", x, y: res.map((m) => m.formula.H), mode: "markers" as const, colourIndex: 0 },
    { name: "H_o measured", x: xs, y: sub.map(([, m]) => m.ranks.Ho!), colourIndex: 1 },
    { name: "H_o formula (Cor. 4)", x: xs, y: sub.map(([, m]) => m.formula.Ho), mode: "markers" as const, colourIndex: 1 },
    { name: "H_f measured", x: xs, y: sub.map(([, m]) => m.ranks.Hf!), colourIndex: 2 },
    { name: "H_f formula (Cor. 6)", x: xs, y: sub.map(([, m]) => m.formula.Hf!), mode: "markers" as const, colourIndex: 2 },
  ];
}

/** Full-batch gradient descent on a linear teacher, ranks of W_l and of H, H_o, H_f at log-spaced steps. */
function trainingDynamics(o: HessianRankOptions): { figures: Figure[]; checks: Check[]; summary: StudyOutput["summary"]; record: TrainingRecord; weights: WeightRanks; init: cv.RankFormulas } {
  const K = o.K;
  const data = linearTeacher({ n: o.fig5N, dIn: o.fig5D, dOut: K, seed: 5 });
  const spec: nets.NetSpec = { sizes: [o.fig5D, ...o.fig5Hidden, K], activation: "linear", bias: false };
  const params = nets.initParams(spec, { init: o.init, seed: 5 });
  const steps = new Set<number>([0]);
  for (let i = 0; i < o.fig5Checkpoints; i++) steps.add(Math.round(Math.exp((Math.log(o.fig5Steps) * (i + 1)) / o.fig5Checkpoints)));
  const checkpoints = Array.from(steps).sort((a, b) => a - b);
  const L = spec.sizes.length - 1;
  const rec: { step: number; loss: number; W: number[]; H: number; Ho: number; Hf: number }[] = [];
  const bar = new Progress("Figure 5 training", o.fig5Steps);
  // s = rank Ω measured at initialisation, as the Cor. 6 rule says (not assumed min(d, K))
  const init = cv.linearRankFormulas({ sizes: spec.sizes, r: rank(data.X), s: rank(cv.linearStatistics({ spec, params, X: data.X, Y: data.Y }).omega) });
  for (let t = 0; t <= o.fig5Steps; t++) {
    const problem: cv.Problem = { spec, params, X: data.X, Y: data.Y };
    if (checkpoints.includes(t)) {
      const res = cv.linearHessianClosedForm(problem);
      const evH = eigvalsh(res.H!);
      const tol = cv.summarizeSpectrum(evH).tolerance; // one tolerance, from H, for all three
      rec.push({
        step: t,
        loss: res.loss,
        W: Array.from({ length: L }, (_, l) => rank(nets.weight(spec, params, l + 1))),
        H: cv.rankAt(evH, tol),
        Ho: cv.rankAt(eigvalsh(res.Ho!), tol),
        Hf: cv.rankAt(eigvalsh(res.Hf!), tol),
      });
    }
    if (t === o.fig5Steps) break;
    const { gradient } = cv.lossAndGradient(problem);
    for (let i = 0; i < params.length; i++) params[i] -= o.fig5Lr * gradient[i];
    bar.tick();
  }
  bar.finish();
  const x = rec.map((r) => Math.max(r.step, 1));
  const full = Array.from({ length: L }, (_, l) => Math.min(spec.sizes[l], spec.sizes[l + 1]));
  const wFig = lineFigure("fig5-weight-ranks", {
    title: `Fig. 5 (left) — rank of the weights while training linear [${o.fig5Hidden}] on a linear teacher`, x: { title: "GD step (0 shown at 1)", log: true }, y: { title: "rank(W_l)" },
    series: Array.from({ length: L }, (_, l) => ({ name: `W${l + 1} (${spec.sizes[l + 1]}×${spec.sizes[l]})`, x, y: rec.map((r) => r.W[l]), mode: "lines+markers" as const, colourIndex: l })),
  });
  const hFig = lineFigure("fig5-hessian-ranks", {
    title: "Fig. 5 (right) — rank of H, H_o, H_f during training, with the formulas at initialisation; training loss on the right axis", x: { title: "GD step (0 shown at 1)", log: true }, y: { title: "rank" },
    series: [
      { name: "H", x, y: rec.map((r) => r.H), mode: "lines+markers", colourIndex: 0 },
      { name: "H_o", x, y: rec.map((r) => r.Ho), mode: "lines+markers", colourIndex: 1 },
      { name: "H_f", x, y: rec.map((r) => r.Hf), mode: "lines+markers", colourIndex: 2 },
    ],
    hlines: [{ y: init.H, label: `bound H ${init.H}` }, { y: init.Ho, label: `H_o ${init.Ho}` }, { y: init.Hf!, label: `H_f ${init.Hf}` }],
  });
  hFig.data.push({ type: "scatter", mode: "lines", name: "train loss (right axis)", x, y: rec.map((r) => Math.max(r.loss, 1e-300)), yaxis: "y2", line: { color: colour(7), dash: "dot", width: 2 } });
  hFig.layout.yaxis2 = { title: { text: "train loss (mean ½‖f − y‖²)" }, type: "log", overlaying: "y", side: "right", showgrid: false, exponentformat: "power" };
  const first = rec[0];
  const last = rec[rec.length - 1];
  const fullAt = rec.filter((r) => r.W.every((w, l) => w === full[l])).length;
  const lowest = rec.reduce((acc, r) => {
    r.W.forEach((w, l) => {
      if (w - full[l] < acc.deficit) acc = { deficit: w - full[l], text: `W${l + 1} ${w}/${full[l]} at step ${r.step}` };
    });
    return acc;
  }, { deficit: 0, text: "" });
  return {
    figures: [wFig, hFig],
    // the ranks can never exceed p, and H_o's rank never exceeds Cor. 4 with full-rank weights (proved): software checks
    checks: [{ name: "Fig. 5: training finished with a finite loss", pass: rec.every((r) => Number.isFinite(r.loss)), detail: `loss ${first.loss.toExponential(2)} → ${last.loss.toExponential(2)} over ${o.fig5Steps} steps` }],
    summary: { "fig5 ranks H / H_o / H_f at init": `${first.H} / ${first.Ho} / ${first.Hf}`, "fig5 final ranks H / H_o / H_f": `${last.H} / ${last.Ho} / ${last.Hf}`, "fig5 loss initial / final": `${first.loss.toExponential(2)} / ${last.loss.toExponential(2)}`, "fig5 weight ranks (final)": last.W.join(", ") },
    record: { initialLoss: first.loss, finalLoss: last.loss, initial: { H: first.H, Ho: first.Ho, Hf: first.Hf }, final: { H: last.H, Ho: last.Ho, Hf: last.Hf } },
    weights: { checkpoints: rec.length, fullRankCheckpoints: fullAt, lowest: lowest.text || `all full rank (${full.map((f, l) => `W${l + 1} ${f}`).join(", ")})` },
    init,
  };
}

export interface RankExplorerOptions {
  widths: number[];
  N: number;
  d: number;
  K: number;
  bias: boolean;
  activation: nets.Activation;
  loss: nets.LossName;
  source: ImageSource;
  inputs: InputTreatment;
  downscale: Downscale;
  seed: number;
}

/**
 * One call: formula vs measured ranks of H, H_o, H_f for any architecture, with #params, rank
 * deficiency and the spectrum figure. Not cached (it is fast for small networks).
 */
export async function rankExplorer(opts: Partial<RankExplorerOptions> = {}): Promise<ExperimentResult> {
  const EXP = "rank-explorer";
  checkOptions("rankExplorer", opts, { widths: anything, N: anything, d: anything, K: anything, bias: bool, activation: anything, loss: anything, source: anything, inputs: anything, downscale: anything, seed: int() });
  const o: RankExplorerOptions = { widths: [30, 20], N: 200, d: 64, K: 10, bias: false, activation: "linear", loss: "mse", source: "auto", inputs: DEFAULT_INPUTS, downscale: DEFAULT_DOWNSCALE, seed: 0, ...opts };
  checkIntList(EXP, "widths", o.widths, 1, { minLength: 0 });
  checkInt(EXP, "N", o.N, 1);
  checkInt(EXP, "d", o.d, 1);
  checkInt(EXP, "K", o.K, 2, 10);
  checkChoice(EXP, "activation", o.activation, nets.ACTIVATIONS);
  checkChoice(EXP, "loss", o.loss, nets.LOSSES);
  checkChoice(EXP, "source", o.source, IMAGE_SOURCES);
  checkChoice(EXP, "inputs", o.inputs, INPUT_TREATMENTS);
  checkChoice(EXP, "downscale", o.downscale, DOWNSCALES);
  const t0 = Date.now();
  const m = measure({ hidden: o.widths, n: o.N, d: o.d, K: o.K, activation: o.activation, bias: o.bias, loss: o.loss, init: "glorot-normal", seed: o.seed, source: o.source, inputs: o.inputs, downscale: o.downscale, parts: ["H", "Ho", "Hf"], keepSpectra: true });
  const f = m.formula;
  const rows: Table["rows"] = (["H", "Ho", "Hf"] as const).map((part) => {
    const pred = part === "H" ? f.H : part === "Ho" ? f.Ho : f.Hf ?? null;
    const g = pred ? spectrumGaps(m.spectra![part]!, pred, o.K) : undefined;
    return [part, m.ranks[part]!, pred, g ? g.gapAtF : null, g ? g.largestGapIndex : null, g ? g.largestGap : null, g ? g.relativeAtF : null, g ? g.reconstructionAtF : null];
  });
  const fig = lineFigure("explorer-spectrum", {
    title: `|eigenvalues| of H, H_o, H_f — [${o.d}, ${o.widths.join(", ")}, ${o.K}] ${o.activation}${o.bias ? " + bias" : ""}, ${o.loss}, N = ${o.N}`,
    x: { title: "index (sorted by |λ|)" }, y: { title: "|λ|", log: true },
    series: (["H", "Ho", "Hf"] as const).map((part, i) => {
      const mags = m.spectra![part]!.map(Math.abs).sort((a, b) => b - a);
      return { name: part, x: mags.map((_, j) => j + 1), y: logFloor(mags), colourIndex: i };
    }),
    vlines: [{ x: f.H, label: `formula rank(H) ${f.H}` }],
  });
  return new ExperimentResult({
    experiment: EXP,
    title: "Rank explorer (Singh et al. formulas vs measured)",
    options: o as unknown as Record<string, unknown>,
    figures: [fig.toJSON()],
    summary: { p: m.p, r: m.r, s: m.s, q: f.q, "rank H": m.ranks.H!, "formula H": f.H, "rank deficiency (measured)": m.p - m.ranks.H!, data: m.dataDescription },
    tables: [{ title: "formula vs measured", columns: ["matrix", "measured (default tol)", "formula f", "|λ|_f/|λ|_(f+1)", "largest-gap index", "largest gap", "|λ|_f/λ_max", "recon. error at f"], rows }],
    checks: o.activation === "linear" ? [{ name: "measured rank(H) = formula", pass: m.ranks.H === f.H, detail: `${m.ranks.H} vs ${f.H}${f.HoIsBound ? " (with bias: Fact 13)" : ""}` }] : [],
    ledger: [],
    notes: o.activation === "linear" ? [] : ["Non-linear network: the formulas are those of the linear network of the same widths; the spectrum drops at f when the gap ratio at f is large and the largest gap (above the float64 noise floor) lies at f."],
    seconds: (Date.now() - t0) / 1000,
    version: require("../../cache").packageVersion(),
  });
}

export { measure, spectrumGaps };
