/**
 * Study: Hebbar (2022), "Information Loss → Basin flatness"
 * (shared/papers/hebbar-2022-information-loss-basin-flatness.txt).
 *
 * 1. Behavior manifolds in a 3-parameter model with 2 inputs (generic: a curve; colliding inputs: a sheet).
 * 2. At a zero-loss MSE minimum H = 2GGᵀ (Hebbar's Σ(f − y)²) and rank H = rank G; where it breaks.
 * 3. Information loss (inputs sharing activations) lowers rank G by the predicted amount; the manifold
 *    dimension N − rank G is confirmed by walking along null(Gᵀ) and re-projecting to zero loss.
 * 4. The post's experiment: rank-deficient solutions and spread of learned functions vs parameter count.
 */
import { Matrix, eigvalsh, rank, gemm } from "../../linalg";
import * as nets from "../../nets";
import * as cv from "../../curvature";
import { Figure, lineFigure, houseLayout, colour, Trace, logFloor, panelRow, panelAxes } from "../../figures";
import { Progress } from "../../progress";
import { mapTasks, defaultWorkers } from "../../parallel";
import { ExperimentDefinition, runExperiment, RunControls, StudyOutput, OptionError, checkChoice, checkInt, checkIntList, checkNumber } from "../framework";
import { Check, Table, ExperimentResult } from "../../report/result";
import { solveToZeroLoss, sumSquares, walkNullSpace, behaviorNullSpace } from "./solve";
import { toyOutput, toyGradient, traceManifold, projectToy, ToyModel } from "./toy";
import { SeedBatchArgs, trainSeeds, sweepModule } from "./sweep";
import { wilson, std } from "../../util/stats";
import { Rng } from "../../util/random";
import { LedgerBuilder, ClaimSpec } from "../../report/ledger";
import { CLAIMS, SizeCounts, DeficientTrend, SpreadTrend, DeficientExist } from "./claims";

export interface InfoLossOptions {
  /** Part 4: hidden widths w of [1, w, 1] (p = 3w + 1) */
  widths: number[];
  seeds: number;
  activation: nets.Activation;
  /** the regression points of the post's experiment: inputs, and two target sets run side by side */
  xs: number[];
  ys: number[];
  ysAlt: number[];
  gdSteps: number;
  lr: number;
  /** zero loss means Σ(f − y)² below this */
  tol: number;
  /** Part 3: inputs in the colliding group, of k */
  collide: number;
  k: number;
  workers: number;
}

export const infoLossDefaults: InfoLossOptions = {
  widths: [3, 5, 7, 10, 14, 19, 25, 33],
  seeds: 200,
  activation: "relu",
  xs: [-1, -0.3, 0.4, 1],
  // y = 0.5x + 0.1: a one-linear-region (rank G = 2) solution exists
  ys: [-0.4, -0.05, 0.3, 0.6],
  // zig-zag: every solution needs kinks between the points
  ysAlt: [0.6, -0.4, 0.3, -0.5],
  gdSteps: 2000,
  lr: 0.05,
  tol: 1e-20,
  collide: 3,
  k: 6,
  workers: defaultWorkers(),
};

const NAME = "info-loss";

export const infoLossStudy: ExperimentDefinition<InfoLossOptions> = {
  name: NAME,
  title: "Information loss and basin flatness (Hebbar 2022)",
  paper: "hebbar-2022-information-loss-basin-flatness.txt",
  defaults: infoLossDefaults,
  presets: { paper: {}, quick: { widths: [3, 7, 14, 33], seeds: 40, gdSteps: 1000 } },
  validate(o) {
    checkIntList(NAME, "widths", o.widths, 1);
    checkInt(NAME, "seeds", o.seeds, 2, 100000);
    checkChoice(NAME, "activation", o.activation, nets.ACTIVATIONS);
    const lists = [o.xs, o.ys, o.ysAlt];
    if (lists.some((l) => !Array.isArray(l) || l.length !== o.xs.length || l.some((v) => !Number.isFinite(v))) || o.xs.length < 2) {
      throw new OptionError(`${NAME}: options xs, ys and ysAlt must be lists of finite numbers of the same length (at least 2); got ${JSON.stringify(lists)}`);
    }
    checkInt(NAME, "gdSteps", o.gdSteps, 0);
    checkNumber(NAME, "lr", o.lr, 1e-8, 10);
    checkNumber(NAME, "tol", o.tol, 1e-30, 1e-3);
    checkInt(NAME, "k", o.k, 3, 40);
    checkInt(NAME, "collide", o.collide, 2, o.k);
    checkInt(NAME, "workers", o.workers, 1, 64);
  },
  run: runStudy,
};

/**
 * The facts of Parts 1–3 that hold by construction or by algebra (manifold dimensions of the toy
 * models, H = 2GGᵀ at a zero-loss minimum, rank G under colliding inputs), each with its numbers:
 * for the unit tests, not for the ledger.
 */
export function infoLossFacts(o: InfoLossOptions): Check[] {
  const out: StudyOutput = { figures: [], summary: {}, tables: [], checks: [], notes: [] };
  const facts: Check[] = [];
  part1(out, () => {}, facts);
  part2(o, out, () => {}, facts);
  part3(o, out, facts);
  return facts;
}

export function infoLoss(options: Partial<InfoLossOptions> & RunControls = {}): Promise<ExperimentResult> {
  return runExperiment(infoLossStudy, options);
}

async function runStudy(o: InfoLossOptions): Promise<StudyOutput> {
  const out: StudyOutput = { figures: [], summary: {}, tables: [], checks: [], notes: [] };
  const add = (f: Figure) => out.figures.push(f.toJSON());
  const timings: Record<string, number> = {};
  const ledger = new LedgerBuilder(CLAIMS);
  // Parts 1–3 hold by construction or by algebra (colliding inputs, H = 2GGᵀ at zero residual): their
  // figures and tables stay, their facts are unit tests (test/study-info-loss.test.ts via infoLossFacts)
  const facts: Check[] = [];
  let t0 = Date.now();
  part1(out, add, facts);
  timings["part1"] = (Date.now() - t0) / 1000;
  t0 = Date.now();
  part2(o, out, add, facts);
  timings["part2"] = (Date.now() - t0) / 1000;
  t0 = Date.now();
  part3(o, out, facts);
  timings["part3"] = (Date.now() - t0) / 1000;
  t0 = Date.now();
  await part4(o, out, add, ledger);
  timings["part4"] = (Date.now() - t0) / 1000;
  out.ledger = ledger.entriesInOrder();
  out.timings = timings;
  out.notes.push(
    "Loss: Hebbar's Σ_i (f(x_i) − y_i)², i.e. 2N times rankscope's mean ½‖f − y‖²; at zero residual H = 2GGᵀ.",
    "Zero loss is reached by gradient descent then minimum-norm Gauss–Newton steps in float64 (Σ(f − y)² below the tolerance).",
    "Ranks use the default tolerance σ_max · max(m, n) · eps.",
  );
  return out;
}

function maxAbsDiffOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// ---------------------------------------------------------------- part 1
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
  return { type: "isosurface", name, x: X, y: Y, z: Z, value: V, isomin: y, isomax: y, surface: { count: 1 }, caps: { x: { show: false }, y: { show: false }, z: { show: false } }, colorscale: [[0, c], [1, c]], showscale: false, opacity: 0.35, showlegend: true };
}

function scene3d(title: string): Record<string, unknown> {
  const layout = houseLayout({ title, x: { title: "θ₁" }, y: { title: "θ₂" }, width: 760, height: 620 });
  delete layout.xaxis;
  delete layout.yaxis;
  layout.scene = { xaxis: { title: { text: "θ₁" } }, yaxis: { title: { text: "θ₂" } }, zaxis: { title: { text: "θ₃" } }, aspectmode: "cube" };
  return layout;
}

function part1(out: StudyOutput, add: (f: Figure) => void, facts: Check[]): void {
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
    const worst = Math.max(...curve.map((t) => Math.max(...xs.map((x, i) => Math.abs(toyOutput("generic", t, x) - ys[i])))));
    facts.push({ name: "Part 1: generic inputs — rank G = 2, manifold is a curve on both contours", pass: rG === 2 && worst < 1e-12 && curve.length > 20, detail: `rank G = ${rG}; ${curve.length} traced points, max |f − y| along it ${worst.toExponential(1)}` });
    add(new Figure("part1-manifold-generic", [
      isoTrace("generic", xs[0], ys[0], colour(0), `contour f(θ, x₁ = ${xs[0]}) = ${ys[0].toFixed(3)}`, box),
      isoTrace("generic", xs[1], ys[1], colour(1), `contour f(θ, x₂ = ${xs[1]}) = ${ys[1].toFixed(3)}`, box),
      { type: "scatter3d", mode: "lines", name: "behavior manifold (traced)", x: curve.map((t) => t[0]), y: curve.map((t) => t[1]), z: curve.map((t) => t[2]), line: { color: "#111", width: 6 } },
      { type: "scatter3d", mode: "markers", name: "solution θ*", x: [theta[0]], y: [theta[1]], z: [theta[2]], marker: { size: 5, color: colour(3) } },
    ], scene3d("Part 1 — f(θ, x) = θ₃ tanh(θ₁x + θ₂), two inputs: the contours cross in a curve (dim 3 − rank G = 1)")));
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
        const t = projectToy("colliding", theta.map((v, i) => v + 0.12 * (a * u[i] + b * w[i])), xs, [y, y]);
        if (t.every((v) => Math.abs(v) <= box)) pts.push(t);
      }
    const worst = Math.max(...pts.map((t) => Math.max(...xs.map((x) => Math.abs(toyOutput("colliding", t, x) - y)))));
    facts.push({ name: "Part 1: colliding inputs — rank G = 1, the solution set is a 2-D sheet", pass: rG === 1 && worst < 1e-12 && pts.length > 100, detail: `rank G = ${rG}; ${pts.length} re-projected points spanning two directions, max |f − y| ${worst.toExponential(1)}` });
    add(new Figure("part1-manifold-colliding", [
      isoTrace("colliding", 1, y, colour(0), "contour for x₁ = +1", box),
      isoTrace("colliding", -1, y, colour(1), "contour for x₂ = −1 (coincides)", box),
      { type: "scatter3d", mode: "markers", name: "behavior manifold (2-D, sampled)", x: pts.map((t) => t[0]), y: pts.map((t) => t[1]), z: pts.map((t) => t[2]), marker: { size: 2, color: "#111" } },
    ], scene3d("Part 1 — f(θ, x) = θ₃ tanh(θ₁|x| + θ₂), inputs ±1 collide: parallel contours, manifold dim 3 − rank G = 2")));
  }
}

// ---------------------------------------------------------------- part 2
function hebbarHessian(problem: cv.Problem): { H: Matrix; GGt2: Matrix; G: Matrix } {
  const N = problem.X.rows;
  const { H } = cv.hessian({ ...problem, loss: problem.loss ?? "mse" }, { parts: ["H"] });
  const scale = problem.loss === "ce" ? N : 2 * N; // CE: Σ over samples; MSE: Σ(f − y)² = 2N · mean ½‖·‖²
  const G = cv.behavioralGradients(problem);
  return { H: new Matrix(H!.rows, H!.cols, H!.data.map((v) => scale * v)), GGt2: gemm(G, G, { transB: true, alpha: 2 }), G };
}

function part2(o: InfoLossOptions, out: StudyOutput, add: (f: Figure) => void, facts: Check[]): void {
  const rows: Table["rows"] = [];
  let example: { a: Float64Array; b: Float64Array } | undefined;
  // zero-loss minima
  const cases: [string, nets.NetSpec, number][] = [
    ["[1, 6, 1] tanh", { sizes: [1, 6, 1], activation: "tanh", bias: true }, 4],
    ["[2, 5, 4, 1] tanh", { sizes: [2, 5, 4, 1], activation: "tanh", bias: true }, 6],
    ["[1, 8, 1] relu, the Part 4 points", { sizes: [1, 8, 1], activation: "relu", bias: true }, o.xs.length],
  ];
  for (const [label, spec, k] of cases) {
    const d = spec.sizes[0];
    const relu = spec.activation === "relu";
    const X = relu ? new Matrix(k, 1, Float64Array.from(o.xs)) : new Matrix(k, d, Float64Array.from({ length: k * d }, (_, i) => Math.sin(1.7 * i + 0.3)));
    const Y = relu ? new Matrix(k, 1, Float64Array.from(o.ys)) : new Matrix(k, 1, Float64Array.from({ length: k }, (_, i) => Math.cos(2.3 * i)));
    // the first seed whose run reaches zero loss (ReLU runs can stall with dead units)
    // polish to the rounding floor: a residual r leaves H_f ≈ |r|·∇²f, which the rank tolerance
    // (≈ 1e-15·λ_max) would count; Σ(f − y)² ≈ 1e-26 is not yet enough
    const solve = (seed: number) => solveToZeroLoss({ spec, params: nets.initParams(spec, { seed, init: "he" }), X, Y }, { gdSteps: 2000, lr: o.lr, tol: 0 });
    let sol = solve(1);
    for (let seed = 2; seed < 20 && sol.loss >= 1e-20; seed++) sol = solve(seed);
    const problem: cv.Problem = { spec, params: sol.params, X, Y };
    const { H, GGt2, G } = hebbarHessian(problem);
    const ev = eigvalsh(H);
    const ev2 = eigvalsh(GGt2);
    const rel = maxAbsDiffOf(ev, ev2) / Math.max(...ev.map(Math.abs));
    const rH = cv.summarizeSpectrum(ev).rank;
    const rG = rank(G);
    rows.push([label, "zero loss", sol.loss, rel, rH, rG]);
    facts.push({ name: `Part 2: H = 2GGᵀ and rank H = rank G at a zero-loss minimum, ${label}`, pass: sol.loss < 1e-20 && rel < 1e-8 && rH === rG, detail: `Σ(f−y)² = ${sol.loss.toExponential(1)}, max |λ(H) − λ(2GGᵀ)| / max|λ| = ${rel.toExponential(1)}, rank H = ${rH}, rank G = ${rG}, p = ${G.rows}` });
    if (!example) example = { a: ev, b: ev2 };
  }
  // where it breaks (a): non-zero residual (a network too small to fit)
  {
    const spec: nets.NetSpec = { sizes: [1, 1, 1], activation: "tanh", bias: true };
    const X = new Matrix(6, 1, Float64Array.from([-1, -0.6, -0.2, 0.2, 0.6, 1]));
    const Y = new Matrix(6, 1, Float64Array.from([1, -1, 1, -1, 1, -1]));
    const sol = solveToZeroLoss({ spec, params: nets.initParams(spec, { seed: 2 }), X, Y }, { gdSteps: 3000 });
    const { H, GGt2, G } = hebbarHessian({ spec, params: sol.params, X, Y });
    const ev = eigvalsh(H);
    const rel = maxAbsDiffOf(ev, eigvalsh(GGt2)) / Math.max(...ev.map(Math.abs));
    rows.push(["[1, 1, 1] tanh, 6 alternating targets", "residual ≠ 0", sol.loss, rel, cv.summarizeSpectrum(ev).rank, rank(G)]);
    facts.push({ name: "Part 2: with a non-zero residual H ≠ 2GGᵀ", pass: sol.loss > 1e-3 && rel > 1e-3, detail: `Σ(f−y)² = ${sol.loss.toFixed(3)}, relative eigenvalue gap ${rel.toExponential(2)}` });
  }
  // where it breaks (b): cross-entropy on logits (Spencer Becker-Kahn's remark)
  {
    const spec: nets.NetSpec = { sizes: [2, 6, 3], activation: "tanh", bias: true };
    const X = new Matrix(4, 2, Float64Array.from([1, 0, 0, 1, -1, 0, 0, -1]));
    const Y = new Matrix(4, 3, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]));
    const params = nets.initParams(spec, { seed: 3 });
    for (let t = 0; t < 3000; t++) {
      const { gradient } = cv.lossAndGradient({ spec, params, X, Y, loss: "ce" });
      for (let i = 0; i < params.length; i++) params[i] -= 0.5 * gradient[i];
    }
    const problem: cv.Problem = { spec, params, X, Y, loss: "ce" };
    const { Ho } = cv.hessian(problem, { parts: ["Ho"] });
    const G = cv.behavioralGradients(problem);
    const rHo = cv.spectrumOf(Ho!).rank;
    const rG = rank(G);
    const lossCE = cv.lossValue(problem);
    rows.push(["[2, 6, 3] tanh, CE on logits", "near-minimum", lossCE, null, rHo, rG]);
    facts.push({ name: "Part 2: CE on logits — rank of the Gauss–Newton Hessian < rank G (behavior = logits)", pass: rHo < rG && rHo <= 4 * 2, detail: `rank JᵀΛJ = ${rHo} ≤ N(K − 1) = 8, rank G = ${rG} (N·K = 12 behavior coordinates); mean CE ${lossCE.toExponential(2)}` });
    out.notes.push(`Part 2 (CE): Λ = diag(p) − ppᵀ is not diagonal and annihilates the all-ones logit direction of every sample, so rank H_o ≤ N(K − 1) = 8; measured here rank H_o = ${rHo}, rank G = ${rG}. Taking probabilities as the behavior restores a separable loss, as the post's author answered.`);
  }
  out.tables.push({ title: "Part 2: H vs 2GGᵀ", columns: ["network", "point", "loss", "max|Δλ|/max|λ|", "rank H (or H_o)", "rank G"], rows });
  if (example) {
    const a = logFloor(Array.from(example.a).map(Math.abs).sort((x, y) => y - x));
    const b = logFloor(Array.from(example.b).map(Math.abs).sort((x, y) => y - x));
    add(lineFigure("part2-h-equals-2ggt", {
      title: "Part 2 — at a zero-loss minimum the eigenvalues of H and 2GGᵀ coincide ([1, 6, 1] tanh, 4 points)",
      x: { title: "index" }, y: { title: "|eigenvalue|", log: true },
      series: [{ name: "H of Σ(f − y)²", x: a.map((_, i) => i + 1), y: a, colourIndex: 0 }, { name: "2GGᵀ", x: b.map((_, i) => i + 1), y: b, mode: "markers", colourIndex: 1 }],
    }));
  }
}

// ---------------------------------------------------------------- part 3
function part3(o: InfoLossOptions, out: StudyOutput, facts: Check[]): void {
  const k = o.k;
  const m = o.collide;
  const rows: Table["rows"] = [];
  const run = (label: string, spec: nets.NetSpec, X: Matrix, Y: Matrix, params: Float64Array, predicted: number) => {
    const sol = solveToZeroLoss({ spec, params, X, Y }, { gdSteps: 300 });
    const problem: cv.Problem = { spec, params: sol.params, X, Y };
    const { rankG } = behaviorNullSpace(problem);
    const N = sol.params.length;
    const walk = walkNullSpace(problem, { maxDirections: 60 });
    rows.push([label, N, k, predicted, rankG, N - rankG, walk.stayed, walk.worstCorrection, walk.rangeCorrection]);
    facts.push({
      name: `Part 3: ${label} — rank G = ${predicted} as predicted, manifold dim N − rank G confirmed by walking`,
      pass: sol.loss < o.tol && rankG === predicted && walk.stayed === walk.directions && walk.rangeCorrection > 0.5,
      detail: `Σ(f−y)² = ${sol.loss.toExponential(1)}; rank G = ${rankG} (predicted ${predicted}); ${walk.stayed}/${walk.directions} null directions stay at zero loss (worst correction/step ${walk.worstCorrection.toExponential(1)}, loss ${walk.worstLoss.toExponential(1)}); a step along g₁ is undone (correction/step ${walk.rangeCorrection.toFixed(2)})`,
    });
  };
  const labels = Float64Array.from({ length: k }, (_, i) => (i < m ? 0.7 : Math.cos(1.9 * i)));
  // control: k distinct inputs
  {
    const spec: nets.NetSpec = { sizes: [2, 5, 5, 1], activation: "tanh", bias: true };
    const X = new Matrix(k, 2, Float64Array.from({ length: 2 * k }, (_, i) => Math.sin(2.1 * i + 0.5)));
    run("control (no collision)", spec, X, new Matrix(k, 1, labels), nets.initParams(spec, { seed: 4 }), k);
  }
  // (a) inputs that share their first-layer activations: dead ReLUs in every first-layer unit
  {
    const spec: nets.NetSpec = { sizes: [2, 6, 5, 1], activation: ["relu", "tanh"], bias: true };
    const params = nets.initParams(spec, { seed: 5, init: "he" });
    const s = nets.layout(spec)[0];
    for (let j = 0; j < s.rows; j++) {
      params[s.wOffset + j * 2 + 1] = 1 + 0.3 * j; // every unit opens on the second coordinate
      params[s.bOffset + j] = 0.1;
    }
    const X = new Matrix(k, 2);
    for (let i = 0; i < k; i++) {
      if (i < m) X.data.set([0.8 * (i - 1), -6], 2 * i); // gate far negative: all units dead → identical (zero) activations
      else X.data.set([Math.sin(1.3 * i), 1 + 0.4 * i], 2 * i);
    }
    run(`${m} of ${k} inputs with all first-layer ReLUs dead`, spec, X, new Matrix(k, 1, labels), params, k - (m - 1));
  }
  // (b) duplicated codes: a fixed first layer that loses information (ReLU of the raw input)
  {
    const spec: nets.NetSpec = { sizes: [2, 5, 5, 1], activation: "tanh", bias: true };
    const raw = Array.from({ length: k }, (_, i) => (i < m ? [-(i + 1), -0.5 * (i + 2)] : [Math.abs(Math.sin(1.7 * i)) + 0.2, Math.abs(Math.cos(0.9 * i)) + 0.1]));
    const X = new Matrix(k, 2, Float64Array.from(raw.flatMap((r) => r.map((v) => Math.max(0, v)))));
    run(`${m} of ${k} inputs collide to the same code under a fixed ReLU feature map`, spec, X, new Matrix(k, 1, labels), nets.initParams(spec, { seed: 6 }), k - (m - 1));
  }
  out.tables.push({ title: "Part 3: information loss and rank G", columns: ["case", "N params", "k", "predicted rank G", "rank G", "manifold dim N − rank G", "null directions staying at zero loss", "worst correction/step", "range-step correction/step"], rows });
  out.notes.push(`Part 3: when m inputs share every activation after some layer, their behavioral gradients coincide in all later layers; with dead ReLUs (or a fixed feature map) they coincide in all layers, so rank G drops by exactly m − 1 (the post's prediction for this case). The walk takes steps of 1e-3 along each basis vector of null(Gᵀ) and re-projects with minimum-norm Gauss–Newton; a manifold direction needs a correction of order step², a range direction about the whole step.`);
}

// ---------------------------------------------------------------- part 4
async function part4(o: InfoLossOptions, out: StudyOutput, add: (f: Figure) => void, ledger: LedgerBuilder): Promise<void> {
  const grid = Array.from({ length: 61 }, (_, i) => -1.5 + (3 * i) / 60);
  const sets = [
    { name: "linear targets", ys: o.ys },
    { name: "zig-zag targets", ys: o.ysAlt },
  ];
  const chunk = 25;
  const tasks: { module: string; fn: string; args: SeedBatchArgs; set: number }[] = [];
  sets.forEach((set, si) => {
    for (const width of o.widths)
      for (let s0 = 0; s0 < o.seeds; s0 += chunk) {
        const seeds = Array.from({ length: Math.min(chunk, o.seeds - s0) }, (_, i) => s0 + i);
        tasks.push({ set: si, module: sweepModule, fn: "trainSeeds", args: { width, activation: o.activation, seeds, xs: o.xs, ys: set.ys, gdSteps: o.gdSteps, lr: o.lr, grid, tol: o.tol } });
      }
  });
  const bar = new Progress("Part 4: training seeds", tasks.length);
  const results = await mapTasks<ReturnType<typeof trainSeeds>>(tasks, { workers: o.workers, onDone: () => bar.tick() });
  bar.finish();
  const k = o.xs.length;
  const spreadOf = (curves: number[][]) => grid.reduce((acc, _, gi) => acc + std(curves.map((c) => c[gi])), 0) / grid.length;
  const perSet = sets.map((set, si) =>
    o.widths.map((width) => {
      const rs = results.filter((_, i) => tasks[i].set === si && tasks[i].args.width === width);
      const outcomes = rs.flatMap((r) => r.outcomes);
      const ok = outcomes.filter((x) => x.converged);
      const bad = outcomes.filter((x) => !x.converged);
      const deficient = ok.filter((x) => x.rankG < k).length;
      const [lo, hi] = wilson(deficient, ok.length);
      const curves = ok.map((x) => x.curve);
      return { width, p: rs[0].p, n: ok.length, failed: bad.length, failedDeficient: bad.filter((x) => x.rankG < k).length, deficient, frac: ok.length ? deficient / ok.length : NaN, lo, hi, spread: spreadOf(curves), curves, finite: outcomes.every((x) => Number.isFinite(x.loss)) };
    }),
  );
  out.checks.push({ name: "Part 4: every seed finished with a finite loss", pass: perSet.every((st) => st.every((s) => s.finite)), detail: `${sets.length} target sets × ${o.widths.length} sizes × ${o.seeds} seeds` });
  const P = perSet[0].map((s) => s.p);
  add(lineFigure("part4-rank-deficient-fraction", {
    title: `Part 4 — fraction of zero-loss solutions with rank G < ${k} (95 % Wilson CI), [1, w, 1] ${o.activation}, ${o.seeds} seeds per size`,
    x: { title: "number of parameters" }, y: { title: "fraction rank-deficient", range: [0, 1] },
    series: perSet.map((st, si) => ({ name: sets[si].name, x: P, y: st.map((s) => s.frac), mode: "lines+markers" as const, band: [st.map((s) => s.lo), st.map((s) => s.hi)] as [number[], number[]], colourIndex: si })),
  }));
  add(lineFigure("part4-function-spread", {
    title: "Part 4 — spread of the learned functions across seeds (mean over x ∈ [−1.5, 1.5] of the std)", x: { title: "number of parameters" }, y: { title: "std across seeds", log: true },
    series: perSet.map((st, si) => ({ name: sets[si].name, x: P, y: st.map((s) => s.spread), mode: "lines+markers" as const, colourIndex: si })),
  }));
  const stats = perSet[0];
  const show = [stats[0], stats[Math.floor(stats.length / 2)], stats[stats.length - 1]];
  const data: Trace[] = [];
  show.forEach((s, si) => {
    s.curves.slice(0, 100).forEach((c, ci) => data.push({ type: "scatter", mode: "lines", x: grid, y: c, ...panelAxes(si), line: { color: colour(si), width: 1 }, opacity: 0.25, showlegend: ci === 0, name: `p = ${s.p}`, legendgroup: String(si) }));
    data.push({ type: "scatter", mode: "markers", x: o.xs, y: o.ys, ...panelAxes(si), marker: { color: "#000", size: 8 }, showlegend: si === 0, name: "training points" });
  });
  const layout = panelRow(
    houseLayout({ title: `Part 4 — learned functions of all seeds, ${sets[0].name} (up to 100 shown per size)`, x: { title: "x" }, y: { title: "f(x)", range: [-3, 3] }, width: 1200, height: 420 }),
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
    out.tables.push({ title: `Part 4: per size, ${sets[si].name} (y = ${JSON.stringify(sets[si].ys)})`, columns: ["width", "params", "converged seeds", "not converged", "not converged with rank G < k", "rank-deficient", "fraction", "CI low", "CI high", "fraction if all not-converged counted deficient", "function spread"], rows: st.map((s) => [s.width, s.p, s.n, s.failed, s.failedDeficient, s.deficient, s.frac, s.lo, s.hi, (s.deficient + s.failed) / (s.n + s.failed), s.spread]) });
    if (first.n >= 2 && last.n >= 2) {
      const diffs: number[] = [];
      const resample = (c: number[][]) => c.map(() => c[Math.floor(rng.uniform() * c.length)]);
      for (let b = 0; b < B; b++) diffs.push(spreadOf(resample(last.curves)) - spreadOf(resample(first.curves)));
      diffs.sort((a, b) => a - b);
      spreadSets.push({ name: sets[si].name, pFirst: first.p, pLast: last.p, spreadFirst: first.spread, spreadLast: last.spread, diffLow: diffs[Math.floor(0.025 * B)], diffHigh: diffs[Math.ceil(0.975 * B) - 1] });
    }
    out.summary[`part 4 ${sets[si].name}: rank-deficient fraction, p = ${first.p} → ${last.p}`] = `${first.frac.toFixed(3)} [${first.lo.toFixed(3)}, ${first.hi.toFixed(3)}] → ${last.frac.toFixed(3)} [${last.lo.toFixed(3)}, ${last.hi.toFixed(3)}]`;
    out.summary[`part 4 ${sets[si].name}: function spread`] = `${first.spread.toFixed(3)} → ${last.spread.toFixed(3)}`;
    out.summary[`part 4 ${sets[si].name}: seeds not reaching zero loss, per size`] = st.map((s) => `p ${s.p}: ${s.failed}`).join(", ");
    const total = st.reduce((a, s) => a + s.deficient, 0);
    const conv = st.reduce((a, s) => a + s.n, 0);
    out.notes.push(`Part 4, ${sets[si].name}: ${total} of ${conv} zero-loss solutions over all sizes have rank G < ${k} (per size: ${st.map((s) => `p ${s.p}: ${s.deficient}/${s.n}`).join(", ")}).`);
    // could excluding the seeds that did not converge bias the fraction? bound it by counting them all one way or the other
    const failedAll = st.reduce((a, s) => a + s.failed, 0);
    if (failedAll) {
      const range = (s: (typeof st)[number]) => [s.deficient / (s.n + s.failed), (s.deficient + s.failed) / (s.n + s.failed)];
      const [a0, b0] = range(first);
      const [a1, b1] = range(last);
      const fd = st.reduce((a, s) => a + s.failedDeficient, 0);
      out.notes.push(`Part 4, ${sets[si].name}: ${failedAll} seeds did not reach zero loss (per size: ${st.map((s) => `p ${s.p}: ${s.failed}`).join(", ")}; ${fd} of them stopped at a point with rank G < ${k}). Counting them as deficient or as full rank, the fraction at p = ${first.p} lies in [${a0.toFixed(3)}, ${b0.toFixed(3)}] and at p = ${last.p} in [${a1.toFixed(3)}, ${b1.toFixed(3)}]: ${b1 < a0 || a1 > b0 ? "the exclusion cannot reverse the comparison of these two sizes" : "the exclusion could change the comparison of these two sizes (the failures are not ignorable)"}.`);
    } else out.notes.push(`Part 4, ${sets[si].name}: every seed reached zero loss, so the fractions exclude none.`);
  });
  ledger.assess(CLAIMS["part4-fewer-deficient"] as ClaimSpec<DeficientTrend>, { sets: perSet.map((st, si) => ({ name: sets[si].name, first: sizeCounts(st[0]), last: sizeCounts(st[st.length - 1]) })) });
  ledger.assess(CLAIMS["part4-consistent-functions"] as ClaimSpec<SpreadTrend>, spreadSets.length ? { sets: spreadSets } : undefined, "fewer than 2 converged seeds at the smallest or largest size");
  ledger.assess(CLAIMS["part4-deficient-exist"] as ClaimSpec<DeficientExist>, { sets: perSet.map((st, si) => ({ name: sets[si].name, counts: sizeCounts(st[0]) })) });
  out.notes.push(`Part 4: the post's update says more overparameterised networks are less likely to land on non-full-rank solutions and generalise more consistently. The post does not give its data, widths or optimiser; the inputs, the two target sets, the [1, w, 1] ${o.activation} family, He initialisation, ${o.gdSteps} GD steps at lr ${o.lr} then Gauss–Newton polishing are this reproduction's choices.`);
}

function sizeCounts(s: { p: number; n: number; failed: number; deficient: number }): SizeCounts {
  return { p: s.p, converged: s.n, failed: s.failed, deficient: s.deficient };
}
