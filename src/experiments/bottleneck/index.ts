/**
 * Study: Jacot (2023), "Bottleneck Structure in Learned Features: Low-Dimension vs Regularity Tradeoff"
 * (shared/papers/jacot-2023-bottleneck-structure.txt; its formulas and Appendix E were lost, so the
 * settings below are this reproduction's, from the text and the issue).
 *
 * 1. BN-rank-k task: z ~ N(0, I_k), x = g(z), y = h(z) with random shallow ReLU nets g, h. Deep ReLU
 *    networks (depths 4 …) trained with an L2 penalty and a large Adam step, several seeds per depth:
 *    (a) singular values of every weight matrix by layer (Theorem 6: k near 1, the rest near 0),
 *    (b) spectra of the hidden representations (Corollary 8: approximately k-dimensional),
 *    (c) ‖θ‖² against depth with the fit R⁽⁰⁾·L + R⁽¹⁾ per family of minima (R⁽⁰⁾ = the learned rank),
 *        each run marked as recovering, under- or over-estimating k.
 * 2. Symmetry learning (Section 5): predict the losses of the next T GD steps of ½‖uuᵀ + E − wwᵀ‖²_F from
 *    w₀; the middle representation is 2-dimensional and a bijection of (|w·u|, ‖w − (w·u)u‖); GD paths.
 * 3. Numbers: per depth, middle layers with exactly k weight singular values above the threshold, the
 *    explained variance of the top k principal components of middle representations, the fraction of
 *    rank-recovering minima. The claims and their decision rules are in claims.ts (the ledger).
 */
import { Figure, houseLayout, colour, Trace, panelGrid, panelAxes } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks, defaultWorkers } from "../../parallel";
import { ExperimentDefinition, runExperiment, RunControls, StudyOutput, OptionError, checkInt, checkIntList, checkNumber, checkChoice } from "../framework";
import { ExperimentResult } from "../../report/result";
import { mean, wilson, lineFit } from "../../util/stats";
import { BnRankArgs, BnRankRun, SymmetryArgs, SymmetryRun, bottleneckRunModule } from "./run";
import { LedgerBuilder } from "../../report/ledger";
import { CLAIMS, RunFacts, FIT_FRACTION } from "./claims";

export interface BottleneckOptions {
  /** latent dimension k, input and output dimensions, training points */
  k: number;
  dIn: number;
  dOut: number;
  n: number;
  depths: number[];
  seeds: number;
  width: number;
  /** Adam step and L2 penalty λ (objective: mean ½‖f − y‖² + (λ/2)‖θ‖²), full-batch steps */
  lr: number;
  lambda: number;
  steps: number;
  /** a weight singular value above this counts towards the layer's rank */
  threshold: number;
  /** other latent dimensions trained at sweepDepth (learned rank against k) */
  latentSweep: number[];
  sweepDepth: number;
  /** experiment 2 */
  symmetry: boolean;
  symDepth: number;
  symWidth: number;
  symN: number;
  symSteps: number;
  /** dimension of w, predicted steps T, the task's GD step η, noise of E */
  symD: number;
  symT: number;
  symEta: number;
  symNoise: number;
  paths: number;
  workers: number;
}

export const bottleneckDefaults: BottleneckOptions = {
  k: 2,
  dIn: 10,
  dOut: 10,
  n: 200,
  depths: [4, 6, 8, 10, 12],
  seeds: 4,
  width: 100,
  lr: 0.002,
  lambda: 0.02,
  steps: 10000,
  threshold: 0.5,
  latentSweep: [1, 3],
  sweepDepth: 8,
  symmetry: true,
  symDepth: 8,
  symWidth: 50,
  symN: 500,
  symSteps: 6000,
  symD: 10,
  symT: 20,
  symEta: 0.05,
  symNoise: 0.01,
  paths: 8,
  workers: defaultWorkers(),
};

const NAME = "bottleneck";
const KEEP = 8;
/** Symmetry task: w₀ radii of the training set, GD paths' start radius, the neighbourhood of their common end left out of crossing counts (fraction of the cloud's diameter). */
const SYM = { rMin: 0.2, rMax: 1.5, pathRadius: 1.35, endRadius: 0.05 };

export const bottleneckStudy: ExperimentDefinition<BottleneckOptions> = {
  name: NAME,
  title: "Bottleneck structure in deep L2-regularized networks (Jacot 2023)",
  paper: "jacot-2023-bottleneck-structure.txt",
  defaults: bottleneckDefaults,
  presets: {
    paper: {},
    quick: { n: 100, depths: [4, 6, 8], seeds: 2, width: 50, lr: 0.003, steps: 3000, sweepDepth: 6, symN: 300, symSteps: 3000 },
  },
  validate(o) {
    checkInt(NAME, "k", o.k, 1, 16);
    checkInt(NAME, "dIn", o.dIn, 1);
    checkInt(NAME, "dOut", o.dOut, 1);
    checkInt(NAME, "n", o.n, 10);
    checkIntList(NAME, "depths", o.depths, 2);
    if (new Set(o.depths).size < 2) throw new OptionError(`${NAME}: option depths must hold at least two different depths (for the fit of ‖θ‖² against L); got ${JSON.stringify(o.depths)}`);
    checkInt(NAME, "seeds", o.seeds, 1, 100);
    checkInt(NAME, "width", o.width, 1);
    if (o.width < Math.max(o.dIn, o.dOut, o.k)) throw new OptionError(`${NAME}: option width must be at least max(dIn, dOut, k) = ${Math.max(o.dIn, o.dOut, o.k)}; got ${o.width}`);
    checkNumber(NAME, "lr", o.lr, 1e-7, 1);
    checkNumber(NAME, "lambda", o.lambda, 0);
    checkInt(NAME, "steps", o.steps, 1);
    checkNumber(NAME, "threshold", o.threshold, 0);
    checkIntList(NAME, "latentSweep", o.latentSweep, 1, { minLength: 0 });
    checkInt(NAME, "sweepDepth", o.sweepDepth, 2);
    checkChoice(NAME, "symmetry", o.symmetry, [true, false]);
    checkInt(NAME, "symDepth", o.symDepth, 3);
    checkInt(NAME, "symWidth", o.symWidth, 2);
    checkInt(NAME, "symN", o.symN, 20);
    checkInt(NAME, "symSteps", o.symSteps, 1);
    checkInt(NAME, "symD", o.symD, 2);
    checkInt(NAME, "symT", o.symT, 1);
    checkNumber(NAME, "symEta", o.symEta, 1e-6, 0.2);
    checkNumber(NAME, "symNoise", o.symNoise, 0, 1);
    checkInt(NAME, "paths", o.paths, 2, 50);
    checkInt(NAME, "workers", o.workers, 1, 64);
  },
  run: runStudy,
};

export function bottleneck(options: Partial<BottleneckOptions> & RunControls = {}): Promise<ExperimentResult> {
  return runExperiment(bottleneckStudy, options);
}

type Verdict = "recovers k" | "over-estimates k" | "under-estimates k";
const verdict = (rank: number, k: number): Verdict => (rank === k ? "recovers k" : rank > k ? "over-estimates k" : "under-estimates k");
const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

async function runStudy(o: BottleneckOptions): Promise<StudyOutput> {
  const out: StudyOutput = { figures: [], summary: {}, tables: [], checks: [], notes: [] };
  const add = (f: Figure) => out.figures.push(f.toJSON());
  const train = { width: o.width, lr: o.lr, lambda: o.lambda, steps: o.steps };
  const bn = (depth: number, k: number, seed: number): BnRankArgs => ({ ...train, depth, k, seed, dIn: o.dIn, dOut: o.dOut, n: o.n, threshold: o.threshold, keep: KEEP });
  const tasks: { module: string; fn: string; args: BnRankArgs | SymmetryArgs }[] = [];
  if (o.symmetry) {
    const sym: SymmetryArgs = { depth: o.symDepth, width: o.symWidth, lr: o.lr, lambda: o.lambda, steps: o.symSteps, seed: 0, d: o.symD, T: o.symT, eta: o.symEta, noise: o.symNoise, n: o.symN, ...SYM, paths: o.paths, pathEta: o.symEta / 5 };
    tasks.push({ module: bottleneckRunModule, fn: "runSymmetry", args: sym });
  }
  // deepest first, so the two workers finish together
  const depths = [...o.depths].sort((a, b) => b - a);
  for (const depth of depths) for (let seed = 0; seed < o.seeds; seed++) tasks.push({ module: bottleneckRunModule, fn: "runBnRank", args: bn(depth, o.k, seed) });
  for (const k of o.latentSweep.filter((k) => k !== o.k)) tasks.push({ module: bottleneckRunModule, fn: "runBnRank", args: bn(o.sweepDepth, k, 0) });
  const bar = new Progress(`training ${tasks.length} deep networks (float64, L2)`, tasks.length);
  const t0 = Date.now();
  const results = await mapTasks<BnRankRun | SymmetryRun>(tasks, { workers: o.workers, onDone: () => bar.tick() });
  bar.finish();
  const tTrain = (Date.now() - t0) / 1000;
  const sym = o.symmetry ? (results[0] as SymmetryRun) : undefined;
  const bnRuns = results.slice(o.symmetry ? 1 : 0) as BnRankRun[];
  const runs = bnRuns.filter((r) => r.k === o.k);
  const sweep = bnRuns.filter((r) => r.depth === o.sweepDepth && r.seed === 0);
  const setting = `[${o.dIn}, ${o.width}×(L−1), ${o.dOut}] ReLU with bias, Adam lr ${o.lr}, λ = ${o.lambda}, ${o.steps} full-batch steps on ${o.n} points`;

  // ---- fits: a run's rank describes a fitting minimum only when it fits (a precondition of the claims, see claims.ts) ----
  const rel = (r: BnRankRun) => r.mse / r.targetVariance;
  const worst = bnRuns.reduce((a, r) => (rel(r) > rel(a) ? r : a), bnRuns[0]);
  out.summary[`runs fitting their data (MSE < ${FIT_FRACTION} × target variance)`] = `${bnRuns.filter((r) => rel(r) < FIT_FRACTION).length} of ${bnRuns.length}; largest MSE / variance ${fmt(rel(worst))} (L = ${worst.depth}, k = ${worst.k}, seed ${worst.seed})`;
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
        data.push({ type: "scatter", mode: "lines+markers", ...panelAxes(pi), x, y, name: `σ${i + 1}`, legendgroup: `s${i}`, showlegend: pi === 0, line: { color: colour(i), width: 1.5 }, marker: { size: 4, color: colour(i) } });
      }
      data.push({ type: "scatter", mode: "lines", ...panelAxes(pi), x: [1, r.depth], y: [o.threshold, o.threshold], name: `threshold ${o.threshold}`, legendgroup: "thr", showlegend: pi === 0, line: { color: "#333", dash: "dash", width: 1 } });
    });
    const layout = houseLayout({ title: `Fig. (a) — top ${KEEP} singular values of every weight matrix W_l against l; ${setting}; latent k = ${o.k} (seed 0)`, x: { title: "" }, y: { title: "" }, width: 1080, height: shown.length > 3 ? 640 : 380, legendTitle: "singular value" });
    panelGrid(layout, shown.map((r) => `L = ${r.depth}: middle ranks ${r.middleRanks.join(",")}`), { cols, xTitle: "layer l", yTitle: "σ_i(W_l)" });
    add(new Figure("figa-weight-spectra", data, layout));
  }
  {
    const data: Trace[] = [];
    shown.forEach((r, pi) => {
      const hidden = r.repSV.slice(0, r.depth - 1);
      for (let i = 0; i < KEEP; i++) {
        data.push({ type: "scatter", mode: "lines+markers", ...panelAxes(pi), x: hidden.map((_, l) => l + 1), y: hidden.map((sv) => (sv[i] !== undefined && sv[0] > 0 ? Math.max(sv[i] / sv[0], 1e-16) : null)), name: `σ${i + 1}/σ1`, legendgroup: `s${i}`, showlegend: pi === 0, line: { color: colour(i), width: 1.5 }, marker: { size: 4, color: colour(i) } });
      }
    });
    const layout = houseLayout({ title: `Fig. (b) — singular values of the centred hidden pre-activations Z_l of the ${o.n} training points, relative to the largest (seed 0)`, x: { title: "" }, y: { title: "" }, width: 1080, height: shown.length > 3 ? 640 : 380, legendTitle: "σ_i / σ_1" });
    panelGrid(layout, shown.map((r) => `L = ${r.depth}`), { cols, xTitle: "hidden layer l", yTitle: "σ_i(Z_l) / σ_1(Z_l)", yLog: true });
    add(new Figure("figb-representation-spectra", data, layout));
  }

  // ---- (c) ‖θ‖² against depth, families by learned rank ----
  const families = Array.from(new Set(runs.map((r) => r.learnedRank))).sort((a, b) => a - b);
  const fits = families.map((rank) => {
    const fam = runs.filter((r) => r.learnedRank === rank);
    const Ls = Array.from(new Set(fam.map((r) => r.depth)));
    const fit = Ls.length >= 2 ? lineFit(fam.map((r) => r.depth), fam.map((r) => r.paramSqNorm)) : undefined;
    return { rank, runs: fam, fit };
  });
  {
    const data: Trace[] = [];
    const symbols: Record<Verdict, string> = { "recovers k": "circle", "over-estimates k": "triangle-up", "under-estimates k": "triangle-down" };
    fits.forEach((f, fi) => {
      const c = colour(fi);
      const v = verdict(f.rank, o.k);
      data.push({ type: "scatter", mode: "markers", x: f.runs.map((r) => r.depth), y: f.runs.map((r) => r.paramSqNorm), name: `learned rank ${f.rank} (${v}, ${f.runs.length} run${f.runs.length === 1 ? "" : "s"})`, marker: { color: c, size: 10, symbol: symbols[v], line: { width: 1, color: "#222" } }, text: f.runs.map((r) => `seed ${r.seed}, middle ranks ${r.middleRanks.join(",")}`) });
      if (f.fit) {
        const xs = [Math.min(...o.depths), Math.max(...o.depths)];
        data.push({ type: "scatter", mode: "lines", x: xs, y: xs.map((L) => f.fit!.slope * L + f.fit!.intercept), name: `fit: R⁽⁰⁾ = ${fmt(f.fit.slope)} ± ${fmt(f.fit.slopeStderr, 2)}, R⁽¹⁾ = ${fmt(f.fit.intercept)}`, line: { color: c, dash: "dash", width: 1.5 } });
      }
    });
    add(new Figure("figc-norm-vs-depth", data, houseLayout({ title: `Fig. (c) — ‖θ‖² of the trained networks against depth L, families of minima by learned rank (latent k = ${o.k}); dashed: least-squares R⁽⁰⁾·L + R⁽¹⁾`, x: { title: "depth L" }, y: { title: "‖θ‖² (weights and biases)" }, legendTitle: "minima" })));
    out.tables.push({ title: "Families of minima: ‖θ‖² ≈ R⁽⁰⁾·L + R⁽¹⁾", columns: ["learned rank", "against k", "runs", "depths", "R⁽⁰⁾ (slope)", "stderr", "R⁽¹⁾"], rows: fits.map((f) => [f.rank, verdict(f.rank, o.k), f.runs.length, Array.from(new Set(f.runs.map((r) => r.depth))).sort((a, b) => a - b).join(" "), f.fit?.slope ?? null, f.fit?.slopeStderr ?? null, f.fit?.intercept ?? null]) });
  }

  // ---- numbers per depth ----
  const perDepth = [...o.depths].sort((a, b) => a - b).map((L) => {
    const rs = runs.filter((r) => r.depth === L);
    const middleVar = (r: BnRankRun, j: number) => mean(r.repVariance.slice(1, r.depth - 1).map((v) => v[j - 1] ?? 1));
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
      norm: mean(rs.map((r) => r.paramSqNorm)),
    };
  });
  out.tables.push({
    title: `Per depth (k = ${o.k}, threshold ${o.threshold})`,
    columns: ["L", "runs", "middle layers", `mean # with exactly k = ${o.k} σ > ${o.threshold}`, `mean # with exactly k + 1`, `EV of top ${o.k} PCs (middle)`, `EV of top ${o.k + 1} PCs (middle)`, "learned ranks", "fraction recovering k", "95 % CI", "mean ‖θ‖²"],
    rows: perDepth.map((d) => [d.L, d.runs, d.middle, d.exactlyK, d.exactlyK1, d.evK, d.evK1, d.ranks.join(" "), d.recovering / d.runs, `${fmt(d.lo, 2)}–${fmt(d.hi, 2)}`, d.norm]),
  });
  out.tables.push({ title: "Every run", columns: ["L", "k", "seed", "MSE", "target variance", "‖θ‖²", "middle ranks", "learned rank", "seconds"], rows: bnRuns.map((r) => [r.depth, r.k, r.seed, r.mse, r.targetVariance, r.paramSqNorm, r.middleRanks.join(","), r.learnedRank, r.seconds]) });
  out.summary[`middle layers with exactly k = ${o.k} weight singular values > ${o.threshold} (mean per run, of L − 2)`] = perDepth.map((d) => `L=${d.L}: ${fmt(d.exactlyK, 2)}/${d.middle}`).join(", ");
  out.summary[`… with exactly k + 1 = ${o.k + 1}`] = perDepth.map((d) => `L=${d.L}: ${fmt(d.exactlyK1, 2)}/${d.middle}`).join(", ");
  out.summary[`explained variance of the top k = ${o.k} (top k + 1) PCs of middle representations`] = perDepth.map((d) => `L=${d.L}: ${fmt(d.evK)} (${fmt(d.evK1)})`).join(", ");
  out.summary["fraction of rank-recovering minima by depth (95 % Wilson CI)"] = perDepth.map((d) => `L=${d.L}: ${d.recovering}/${d.runs} [${fmt(d.lo, 2)}, ${fmt(d.hi, 2)}]`).join(", ");
  out.summary["R⁽⁰⁾ (slope of ‖θ‖² in L) against the family's rank"] = fits.map((f) => `rank ${f.rank}: ${f.fit ? `${fmt(f.fit.slope)} ± ${fmt(f.fit.slopeStderr, 2)}` : "one depth only"}`).join("; ");
  if (sweep.length > 1) {
    const ks = sweep.slice().sort((a, b) => a.k - b.k);
    out.summary[`learned rank against latent k (L = ${o.sweepDepth}, seed 0)`] = ks.map((r) => `k=${r.k}: ${r.learnedRank}`).join(", ");
    const data: Trace[] = [
      { type: "scatter", mode: "lines+markers", x: ks.map((r) => r.k), y: ks.map((r) => r.learnedRank), name: "learned rank (mode over middle layers)", marker: { size: 10 }, line: { color: colour(0), width: 2 } },
      { type: "scatter", mode: "lines", x: ks.map((r) => r.k), y: ks.map((r) => r.k), name: "k (the true BN-rank)", line: { color: "#333", dash: "dash", width: 1.5 } },
    ];
    add(new Figure("fig-learned-rank-vs-k", data, houseLayout({ title: `Learned bottleneck rank against the latent dimension k, L = ${o.sweepDepth}, ${o.n} points (seed 0)`, x: { title: "latent dimension k" }, y: { title: "learned rank" } })));
  }

  // ---- symmetry learning ----
  if (sym) addSymmetry(out, add, sym, o);

  // ---- the ledger ----
  const facts = (r: BnRankRun): RunFacts => ({ depth: r.depth, k: r.k, seed: r.seed, learnedRank: r.learnedRank, relMse: rel(r), paramSqNorm: r.paramSqNorm });
  const Lmin = Math.min(...o.depths);
  const Lmax = Math.max(...o.depths);
  const ledger = new LedgerBuilder(CLAIMS);
  ledger.assess(CLAIMS["rank-recovery"], { k: o.k, runs: runs.filter((r) => r.depth === Lmax).map(facts) });
  ledger.assess(CLAIMS["recovery-rises-with-depth"], { k: o.k, shallow: runs.filter((r) => r.depth === Lmin).map(facts), deep: runs.filter((r) => r.depth === Lmax).map(facts) });
  ledger.assess(CLAIMS["no-fitting-underestimation"], { runs: bnRuns.map(facts) });
  ledger.assess(CLAIMS["norm-linear-in-depth"], { runs: runs.map(facts) });
  ledger.assess(CLAIMS["learned-rank-vs-k"], { runs: sweep.map(facts) });
  if (sym) {
    const ev = sym.repVariance[sym.layer - 1];
    const symFacts = { relMse: sym.mse / sym.targetVariance, layer: sym.layer, ev1: ev[0], ev2: ev[1], r2StatsFromRep: sym.r2StatsFromRep, r2RepFromStats: sym.r2RepFromStats, crossingsLearned: sym.crossings.learned, crossingsStats: sym.crossings.stats, paths: o.paths };
    ledger.assess(CLAIMS["symmetry-2d-statistics"], symFacts);
    ledger.assess(CLAIMS["symmetry-paths-no-crossing"], symFacts);
  }
  out.ledger = ledger.entriesInOrder("not run (option symmetry is false)");
  out.timings = { "training (all networks, wall)": tTrain, "analysis and figures": (Date.now() - t1) / 1000 };

  out.notes.push(
    `Reconstructed / chosen here (the paper's formulas and Appendix E are lost): latent data from rankscope's latentData (z ~ N(0, I_k), g and h random shallow ReLU nets of width 100, biases N(0, 0.1²)), the same ${o.n} points for every seed; networks ${setting}, He initialisation, trained in float64 on the native BLAS path (the same trajectory as the curvature engine's exact gradient, to rounding); "large learning rate" read as a large Adam step.`,
    `Ranks: a weight singular value counts when it exceeds ${o.threshold} (Theorem 6 separates values near 1 from values near 0); a run's learned rank is the most frequent count over the middle layers 2 … L − 1; it recovers k when that equals k. Representations are the centred pre-activations of the training points.`,
  );
  return out;
}

function addSymmetry(out: StudyOutput, add: (f: Figure) => void, s: SymmetryRun, o: BottleneckOptions): void {
  const absA = s.a.map(Math.abs);
  const data: Trace[] = [];
  const panels = [
    { title: `layer ${s.layer}, coloured by |w·u|`, colour: absA, label: "|w·u|" },
    { title: `layer ${s.layer}, coloured by ‖w − (w·u)u‖`, colour: s.b, label: "‖w⊥‖" },
  ];
  panels.forEach((p, pi) => {
    data.push({ type: "scatter", mode: "markers", ...panelAxes(pi), x: s.coords.map((q) => q[0]), y: s.coords.map((q) => q[1]), name: p.label, showlegend: false, marker: { size: 5, color: p.colour, colorscale: pi ? "Cividis" : "Viridis", showscale: true, colorbar: { title: { text: p.label }, len: 0.8, thickness: 14, x: pi ? 0.97 : 0.44 } } });
    s.paths.learned.forEach((path, j) => data.push({ type: "scatter", mode: "lines", ...panelAxes(pi), x: path.map((q) => q[0]), y: path.map((q) => q[1]), name: "GD paths", legendgroup: "paths", showlegend: pi === 0 && j === 0, line: { color: "#d62728", width: 1.5 } }));
  });
  const layout = houseLayout({ title: `Fig. 2 — the ${o.symN} training inputs w₀ in the top-2 principal plane of layer ${s.layer} of a depth-${s.depth} network, with ${o.paths} GD paths of ½‖uuᵀ + E − wwᵀ‖²_F mapped through it (d = ${o.symD}, T = ${o.symT})`, x: { title: "" }, y: { title: "" }, width: 1080, height: 480 });
  panelGrid(layout, panels.map((p) => p.title), { cols: 2, xTitle: "PC 1" });
  // room for each panel's colour bar at its right
  (layout.xaxis as Record<string, unknown>).domain = [0.04, 0.41];
  (layout.xaxis2 as Record<string, unknown>).domain = [0.56, 0.93];
  layout.legend = { x: 0.56, y: 1.02, orientation: "h" };
  add(new Figure("fig2-symmetry-representation", data, layout));
  const stats: Trace[] = s.paths.stats.map((path, j) => ({ type: "scatter", mode: "lines+markers", x: path.map((q) => q[0]), y: path.map((q) => q[1]), name: `path ${j + 1}`, marker: { size: 3 }, line: { width: 1.5, color: colour(j) } }));
  add(new Figure("fig2-symmetry-true-statistics", stats, houseLayout({ title: "The same GD paths in the plane of the true summary statistics (|w·u|, ‖w − (w·u)u‖)", x: { title: "|w·u|" }, y: { title: "‖w − (w·u)u‖" } })));
  const L = s.repVariance.length;
  add(new Figure("fig2-symmetry-explained-variance", [1, 2, 3].map((k, i) => ({ type: "scatter", mode: "lines+markers", x: Array.from({ length: L }, (_, l) => l + 1), y: s.repVariance.map((v) => v[k - 1]), name: `top ${k} PC${k > 1 ? "s" : ""}`, line: { color: colour(i), width: 2 } })), houseLayout({ title: `Explained variance of the top principal components of each layer's pre-activations (symmetry task, depth ${s.depth})`, x: { title: "layer l (L = output)" }, y: { title: "cumulative explained variance" } })));
  const ev = s.repVariance[s.layer - 1];
  out.summary["symmetry: explained variance of the top 1 / top 2 PCs of the middle layer"] = `layer ${s.layer} of ${s.depth}: ${fmt(ev[0], 5)} / ${fmt(ev[1], 5)}; fit MSE / variance ${fmt(s.mse / s.targetVariance)}`;
  out.summary["symmetry: 5-NN leave-one-out R² between the 2-D representation and (|w·u|, ‖w⊥‖)"] = `statistics from representation ${fmt(s.r2StatsFromRep)}, representation from statistics ${fmt(s.r2RepFromStats)}`;
  out.summary["symmetry: GD paths crossing in the learned plane (in the true plane)"] = `${s.crossings.learned} (${s.crossings.stats}) crossings among ${o.paths} paths, outside ${100 * SYM.endRadius} % of the cloud's diameter around their common end`;
  out.notes.push(
    `Symmetry task, reconstructed from Section 5's text: L(w) = ½‖uuᵀ + E − wwᵀ‖²_F on R^${o.symD}, u a random unit vector, E symmetric with N(0, ${o.symNoise}²) entries; targets L(w_1 … w_${o.symT}) of GD with η = ${o.symEta}, standardised per step; w₀ drawn uniformly in (r, φ) over r ∈ [${SYM.rMin}, ${SYM.rMax}], φ ∈ [0, π] with a random direction ⊥ u, so the training set covers the half-disc of summary statistics. The loss depends on w·u only through |w·u|, so the representation can be a bijection of (|w·u|, ‖w⊥‖) at best.`,
    `GD paths start at radius ${SYM.pathRadius} with w·u > 0 and step η/5, and stop where |w·u| reaches 1 ± 0.05; near the minimiser all paths run into one point, where crossings are not counted.`,
  );
}
