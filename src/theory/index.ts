/**
 * The papers' predictions as editable formulas (mathjs expressions): shown as LaTeX (`toTex`),
 * evaluated for prediction lines, and replaceable by a user's own expression to overlay another
 * theory on a figure. mathjs is loaded on first use (it takes a second or two) and never on a hot path.
 *
 *   const p = rs.theory.prediction("singh-rank-H");          // Fact 7 of Singh et al. 2021
 *   p.tex();  p.evaluate({ d: 64, N: 100, M: 40, Mmin: 20, K: 10, L: 3 });
 *   rs.theory.overlay(fig, "2*q*M - L*q^2 + q*(r+K) - 5", { x: "N", scope: { … } });
 */
import { Figure, FigureSpec, Trace } from "../figures/figure";
import { RichObject, inspectSymbol, renderOrDescribe } from "../report/render";
import { checkOptions, requireOptions, str, num, int, listOf } from "../util/options";
import { escapeHtml } from "../util/html";

type MathNode = {
  toTex(opts?: unknown): string;
  compile(): { evaluate(scope: Record<string, unknown>): unknown };
  toString(): string;
};
let mathjs: { parse(expr: string): MathNode } | undefined;
function math(): { parse(expr: string): MathNode } {
  if (!mathjs) mathjs = require("mathjs");
  return mathjs!;
}

/**
 * One entry of `PREDICTIONS`: a paper's prediction as a mathjs expression, with where it comes from and what its
 * variables mean.
 */
export interface PredictionSpec {
  /** mathjs expression; several statements separated by ";" (the last one is the prediction) */
  expression: string;
  /** what it predicts, and where the paper states it */
  title: string;
  /** the paper and the statement (section, fact, theorem) it comes from */
  where: string;
  /** the free variables and what they mean */
  variables: Record<string, string>;
}

/** The papers' predictions rankscope overlays (expressions reconstructed where the texts lost them: see `where`). */
export const PREDICTIONS: Record<string, PredictionSpec> = {
  "singh-rank-H": {
    expression: "r = min(d, N); q = min(r, Mmin, K); 2*q*M - L*q^2 + q*(r + K)",
    title: "rank of the loss Hessian H of a deep linear network (MSE), for generic inputs: r = rank Σ_xx = min(d, N)",
    where: "Singh, Bachmann & Hofmann 2021, Fact 7 / Theorem 8",
    variables: {
      d: "input dimension",
      N: "samples",
      M: "sum of hidden widths",
      Mmin: "smallest hidden width",
      K: "outputs",
      L: "layers (weight matrices)",
    },
  },
  "singh-rank-Ho": {
    expression: "r = min(d, N); q = min(r, Mmin, K); q*(r + K - q)",
    title: "rank of the outer-product Hessian H_o (generic inputs: r = min(d, N))",
    where: "Singh et al. 2021, Corollary 4",
    variables: { d: "input dimension", N: "samples", Mmin: "smallest hidden width", K: "outputs" },
  },
  "singh-rank-Hf": {
    expression: "r = min(d, N); q = min(r, Mmin, K); qh = min(q, s); 2*qh*M + 2*qh*s - L*qh^2",
    title: "rank of the functional Hessian H_f (at initialisation, s = rank Ω)",
    where: "Singh et al. 2021, Corollary 6 (bound; equality at initialisation)",
    variables: {
      d: "input dimension",
      N: "samples",
      M: "sum of hidden widths",
      Mmin: "smallest hidden width",
      K: "outputs",
      L: "layers",
      s: "rank of Ω = E[δxᵀ] (min(r, K) at init)",
    },
  },
  "singh-rank-H-bias": {
    expression: "r = min(d, N); q1 = min(r + 1, Mmin, K); 2*q1*M + q1*(r + K) - L*q1^2 + L*q1",
    title: "rank of H with biases (zero-mean inputs)",
    where: "Singh et al. 2021, Fact 13",
    variables: {
      d: "input dimension",
      N: "samples",
      M: "sum of hidden widths",
      Mmin: "smallest hidden width",
      K: "outputs",
      L: "layers",
    },
  },
  "gaussian-ib-beta-c": {
    expression: "1 / (1 - lambda)",
    title: "critical β at which the Gaussian IB solution gains a dimension (λ: an eigenvalue of Σ_x|y Σ_x⁻¹)",
    where: "Chechik et al. 2005, used by Patel & Shwartz-Ziv 2024, Sec. 6.2",
    variables: { lambda: "eigenvalue of Σ_x|y Σ_x⁻¹, in [0, 1)" },
  },
  "jacot-norm-vs-depth": {
    expression: "R0 * L + R1",
    title: "parameter norm of an L2-regularised deep net at the minimum, linear in depth",
    where: "Jacot 2023, Theorem 1 / Section 3 (R⁽⁰⁾ the rank cost, R⁽¹⁾ the correction)",
    variables: { R0: "R⁽⁰⁾ (≈ rank of the learned function)", R1: "R⁽¹⁾", L: "depth" },
  },
};

/**
 * A prediction: a mathjs expression with its LaTeX and its value for given variables. Renders itself (LaTeX) in a
 * notebook.
 */
export class Prediction implements RichObject {
  private node: MathNode;
  private compiled?: { evaluate(scope: Record<string, unknown>): unknown };
  constructor(
    readonly expression: string,
    readonly title = "prediction",
    readonly where = "",
  ) {
    if (typeof expression !== "string" || !expression.trim())
      throw new Error(`theory: an expression must be a non-empty string; got ${JSON.stringify(expression)}`);
    try {
      this.node = math().parse(expression);
    } catch (err) {
      throw new Error(`theory: cannot parse "${expression}": ${(err as Error).message}`);
    }
  }

  /** LaTeX of the expression (mathjs `toTex`). */
  tex(): string {
    return this.node.toTex({ parenthesis: "auto" });
  }

  /** The prediction's value (the last statement) for the given variables; an error names a missing one. */
  evaluate(scope: Record<string, number>): number {
    this.compiled ??= this.node.compile();
    let v: unknown;
    try {
      v = this.compiled.evaluate({ ...scope });
    } catch (err) {
      throw new Error(
        `theory: evaluating "${this.expression}" with ${JSON.stringify(scope)}: ${(err as Error).message}`,
      );
    }
    const entries = (v as { entries?: unknown[] })?.entries;
    const last = Array.isArray(entries) ? entries[entries.length - 1] : v;
    const n = typeof last === "number" ? last : Number((last as { valueOf(): unknown })?.valueOf?.());
    if (!Number.isFinite(n))
      throw new Error(
        `theory: "${this.expression}" gave ${String(last)} for ${JSON.stringify(scope)}, not a finite number`,
      );
    return n;
  }

  /** One line: title, source and expression. */
  describe(): string {
    return `${this.title}${this.where ? ` (${this.where})` : ""}: ${this.expression}`;
  }

  /** HTML with the LaTeX between $$ … $$ (Jupyter's MathJax renders it). */
  html(): string {
    const esc = escapeHtml;
    return (
      `<div><b>` +
      String(esc(this.title)) +
      `</b>` +
      String(this.where ? ` <span style="color:#555">— ${esc(this.where)}</span>` : "") +
      `<br>$$` +
      String(esc(this.tex())) +
      `$$<code ` +
      `style="font-size:11px">${esc(this.expression)}</code></div>`
    );
  }

  /**
   * What Node's util.inspect shows (a notebook cell's value): displays the prediction through the registered renderer
   * (then returns ""), else `describe()`.
   * @internal
   */
  [inspectSymbol](): string {
    return renderOrDescribe(this);
  }
}

/** One of the papers' predictions by name (see PREDICTIONS). */
export function prediction(name: string): Prediction {
  const spec = PREDICTIONS[name];
  if (!spec) throw new Error(`theory: unknown prediction "${name}"; known: ${Object.keys(PREDICTIONS).join(", ")}`);
  return new Prediction(spec.expression, spec.title, spec.where);
}

/** Options of `overlay`; `x` is required. */
export interface OverlayOptions {
  /** the variable the figure's x axis shows (e.g. "N") */
  x: string;
  /** the other variables, fixed */
  scope?: Record<string, number>;
  /** x values to evaluate at (default: the x values of the figure's first trace) */
  xs?: number[];
  /** legend name (default: the expression) */
  name?: string;
  /** index of the subplot axes to draw on (default 1: x/y) */
  axes?: number;
}

/**
 * A copy of the figure with the prediction drawn as a dashed line: `prediction` is a name from
 * PREDICTIONS, a Prediction, or your own mathjs expression.
 */
export function overlay(fig: Figure | FigureSpec, pred: string | Prediction, opts: OverlayOptions): Figure {
  const rules = {
    x: str,
    scope: (v: unknown) =>
      v !== null && typeof v === "object" && Object.values(v).every((n) => typeof n === "number")
        ? undefined
        : "an object of numbers",
    xs: listOf(num()),
    name: str,
    axes: int(1),
  };
  requireOptions("overlay", opts, rules, ["x"]);
  checkOptions("overlay", opts, rules);
  const p =
    pred instanceof Prediction ? pred : PREDICTIONS[pred] ? prediction(pred) : new Prediction(pred, "your prediction");
  const spec: FigureSpec = fig instanceof Figure ? fig.toJSON() : fig;
  const first = spec.data[0] as { x?: unknown[] } | undefined;
  const xs =
    opts.xs ??
    (Array.isArray(first?.x) ? (first!.x as unknown[]).filter((v): v is number => typeof v === "number") : []);
  if (!xs.length) throw new Error("overlay: no x values (give option xs)");
  const uniq = [...new Set(xs)].sort((a, b) => a - b);
  const ys = uniq.map((x) => p.evaluate({ ...(opts.scope ?? {}), [opts.x]: x }));
  const axes = opts.axes && opts.axes > 1 ? { xaxis: `x${opts.axes}`, yaxis: `y${opts.axes}` } : {};
  const trace: Trace = {
    type: "scatter",
    mode: "lines",
    x: uniq,
    y: ys,
    name: opts.name ?? p.expression,
    line: { dash: "dash", color: "#444", width: 1.5 },
    ...axes,
  };
  return new Figure(`${spec.name}-overlay`, [...spec.data, trace], spec.layout);
}
