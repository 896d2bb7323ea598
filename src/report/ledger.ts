/**
 * The claims ledger: what a study says about each claim of its paper.
 *
 * A study declares its claims once (in `src/experiments/<study>/claims.ts`): the claim in our words,
 * where the paper makes it, the decision rule (fixed in code before the data it judges; a rule revised
 * after a recorded result says so in `revised`), the setup differences from the paper and from the
 * authors' code, and an `assess` function that turns the run's measured numbers into a verdict. `assess`
 * sees only measurements, never the expected answer dressed up as a measurement; every claim also carries
 * an `example` and a `counterexample` input so the test suite can prove that its rule can come out either
 * way (test/report/ledger.test.ts).
 *
 * Verdicts: "reproduced"; "partly" (the rule names which part holds); "inconclusive" (measured, but the
 * test could not reach its level: too few independent units, ties, an interval spanning the threshold);
 * "not reproduced" (evidence against the claim: an interval or test that excludes the claimed effect, or an
 * effect absent where the test had the power to see it); "not assessed" (not measured in this run, or the
 * precondition the paper states was not met; the detail says which).
 *
 * Kinds: a `paper` claim is counted; a `consequence` follows from another entry by algebra or from a
 * precondition (shown, not counted); an `extension` is the package's own question (shown apart).
 */
import { createHash } from "node:crypto";
import { mean, std, wilson } from "../util/stats";
import { escapeHtml } from "../util/html";

/**
 * The verdict on one claim: "reproduced", "partly" (the rule names which part holds), "inconclusive" (measured,
 * but the test lacked the power to decide), "not reproduced" (evidence against), or "not assessed" (not
 * measured, or the paper's precondition not met; the detail says why).
 */
export type Verdict = "reproduced" | "partly" | "inconclusive" | "not reproduced" | "not assessed";
export const VERDICTS: readonly Verdict[] = ["reproduced", "partly", "inconclusive", "not reproduced", "not assessed"];

/** What an entry is: a claim of the paper (counted), a consequence of another entry (shown), or an extension. */
export type ClaimKind = "paper" | "consequence" | "extension";
export const CLAIM_KINDS: readonly ClaimKind[] = ["paper", "consequence", "extension"];

export type Numbers = Record<string, number | string | boolean | null>;

/** The outcome of one decision rule on measured numbers. */
export interface Assessment {
  verdict: Verdict;
  /** the measured numbers the verdict rests on */
  numbers: Numbers;
  /** one or two sentences: what was measured and why this verdict */
  detail: string;
  /** the control's numbers, when the rule compared the task with a control run */
  control?: Numbers;
}

/** A rule revised after a result it judged was seen: when, and why. */
export interface Revision {
  /** the commit that revised the rule */
  commit: string;
  /** what was changed and why */
  reason: string;
}

/** A claim of the paper, declared once per study. `M` is the measurement `assess` reads. */
export interface ClaimSpec<M = unknown> {
  /** stable id, e.g. "fig3-tanh-gap" */
  id: string;
  /** "paper" (default), "consequence" or "extension" */
  kind?: ClaimKind;
  /** for a consequence: the entry or precondition it follows from, and how */
  follows?: string;
  /** what the paper claims, in our words */
  claim: string;
  /** where: figure / section / equation */
  where: string;
  /** the decision rule, stated before the data */
  rule: string;
  /**
   * The control the rule compares the task with (the same pipeline with the paper's mechanism removed), or why
   * no control makes sense for this claim.
   */
  control?: string;
  /** revisions of the rule made after a recorded result it judged had been seen */
  revised?: Revision[];
  /** setup differences from the paper and from the authors' code (shared/notes/paper-code-facts.md) */
  differences: string[];
  /** the decision rule: turns a measurement into a verdict with its numbers and detail */
  assess(m: M): Assessment;
  /** joins the measurements of several figures that feed this claim (needed when more than one does) */
  combine?(pieces: M[]): M;
  /**
   * For a claim about late training: the measurement cut at a fraction of the run's training budget (from the
   * same runs' checkpoints), or undefined when the cut leaves nothing to judge. The ledger then judges the claim
   * at each of `BUDGETS` and says whether the verdict is stable.
   */
  atBudget?(m: M, fraction: number): M | undefined;
  /** a measurement under which the rule must say "reproduced" (checked by the tests) */
  example: M;
  /** a measurement under which the rule must say "not reproduced" (checked by the tests) */
  counterexample: M;
}

/** The training budgets (fractions of the preset's steps) at which late-training claims are judged. */
export const BUDGETS: readonly number[] = [0.25, 0.5, 1];

/**
 * A late-training claim judged at one budget. `numbers` and `controlNumbers` are the rule's numbers at that budget; at
 * the full budget (fraction 1) they are the entry's own and not repeated. Records made before per-budget numbers were
 * kept hold only the verdict and its detail.
 */
export interface BudgetVerdict {
  fraction: number;
  verdict: Verdict;
  detail: string;
  numbers?: Numbers;
  controlNumbers?: Numbers;
}

/** One row of a study's ledger as stored in its result. */
export interface LedgerEntry {
  id: string;
  /** absent in records made before kinds existed: read it from the claim's declaration (`kindOf`) */
  kind?: ClaimKind;
  follows?: string;
  claim: string;
  where: string;
  rule: string;
  control?: string;
  differences: string[];
  verdict: Verdict;
  numbers: Numbers;
  detail: string;
  /** the control's numbers beside the task's */
  controlNumbers?: Numbers;
  /** late-training claims: the verdict at each budget (with its numbers), and whether they agree */
  budgets?: BudgetVerdict[];
  stable?: boolean;
  /** hash of the rule's text and code (assess, combine, atBudget), whitespace-insensitive */
  ruleHash?: string;
  revised?: Revision[];
}

/**
 * A claim's declaration, typed by its measurement `M`: an identity (`defineClaim<M>({ ... })`), checked by the compiler
 * where `{ ... } as ClaimSpec<M>` was only asserted; and unlike an `as` expression, which Stryker treats as a type
 * node and leaves unmutated, its rule is instrumented by mutation testing.
 */
export function defineClaim<M>(spec: ClaimSpec<M>): ClaimSpec<M> {
  return spec;
}

/** A hash of a claim's rule: its text and the source of its assess/combine/atBudget, whitespace removed. */
export function ruleHash(spec: ClaimSpec<unknown>): string {
  const src = [
    spec.rule,
    spec.control ?? "",
    String(spec.assess),
    String(spec.combine ?? ""),
    String(spec.atBudget ?? ""),
  ]
    .join("\u0000")
    .replace(/\s+/g, "");
  return createHash("sha256").update(src).digest("hex").slice(0, 16);
}

/** Applies a claim's rule to a measurement (or records why it could not be assessed). */
export function assessClaim<M>(spec: ClaimSpec<M>, m: M | undefined, whyNot?: string): LedgerEntry {
  const base: Omit<LedgerEntry, "verdict" | "numbers" | "detail"> = {
    id: spec.id,
    kind: spec.kind ?? "paper",
    ...(spec.follows ? { follows: spec.follows } : {}),
    claim: spec.claim,
    where: spec.where,
    rule: spec.rule,
    ...(spec.control ? { control: spec.control } : {}),
    differences: spec.differences,
    ruleHash: ruleHash(spec as ClaimSpec<unknown>),
    ...(spec.revised?.length ? { revised: spec.revised } : {}),
  };
  if (m === undefined)
    return { ...base, verdict: "not assessed", numbers: {}, detail: whyNot ?? "not measured in this run" };
  const judge = (x: M): Assessment => {
    const a = spec.assess(x);
    if (!VERDICTS.includes(a.verdict))
      throw new Error(`claim ${spec.id}: assess returned an unknown verdict ${JSON.stringify(a.verdict)}`);
    return a;
  };
  const a = judge(m);
  const { control, ...rest } = a;
  const entry: LedgerEntry = { ...base, ...rest, ...(control ? { controlNumbers: control } : {}) };
  if (spec.atBudget) {
    const budgets = BUDGETS.map((fraction): BudgetVerdict => {
      if (fraction === 1) return { fraction, verdict: a.verdict, detail: a.detail };
      const cut = spec.atBudget!(m, fraction);
      if (cut === undefined) return { fraction, verdict: "not assessed", detail: "nothing to judge yet", numbers: {} };
      const b = judge(cut);
      return {
        fraction,
        verdict: b.verdict,
        detail: b.detail,
        numbers: b.numbers,
        ...(b.control ? { controlNumbers: b.control } : {}),
      };
    });
    entry.budgets = budgets;
    entry.stable = budgets.every((b) => b.verdict === a.verdict);
    entry.detail +=
      ` Budgets (fraction of the steps: verdict): ${budgets.map((b) => `${b.fraction}: ${b.verdict}`).join(", ")}` +
      ` — ${entry.stable ? "stable" : "not stable: the verdict depends on how long training runs"}.`;
  }
  return entry;
}

/** The kind of an entry: its own, else its claim's declaration in `claims`, else "paper". */
export function kindOf(e: Pick<LedgerEntry, "id" | "kind">, claims?: ClaimSet): ClaimKind {
  return e.kind ?? claims?.[e.id]?.kind ?? "paper";
}

/** A study's claims, by id (the one place a study's ledger is declared). */
export type ClaimSet = Record<string, ClaimSpec<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Collects the entries of one run in declaration order; claims never assessed show as such. */
export class LedgerBuilder {
  private readonly entries = new Map<string, LedgerEntry>();
  constructor(private readonly claims: ClaimSet) {}

  assess<M>(spec: ClaimSpec<M>, m: M | undefined, whyNot?: string): LedgerEntry {
    if (this.claims[spec.id] !== spec) throw new Error(`claim ${spec.id} is not in this study's claim set`);
    const e = assessClaim(spec, m, whyNot);
    this.entries.set(spec.id, e);
    return e;
  }

  /** Every declared claim, in declaration order; those not reached are "not assessed". */
  entriesInOrder(reasonNotReached = "this run did not reach it (see the options)"): LedgerEntry[] {
    return Object.values(this.claims).map((c) => this.entries.get(c.id) ?? assessClaim(c, undefined, reasonNotReached));
  }
}

// ---------------------------------------------------------------------------------------------
// Decision rules. Each states its own rule in `detail` and returns the numbers it used.
// ---------------------------------------------------------------------------------------------

/** P(X ≥ k) for X ~ Binomial(n, 1/2), exact. */
export function binomialUpperTail(k: number, n: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let logC = 0; // log C(n, 0)
  let p = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    if (i >= k) p += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, p);
}

/** The fewest of n runs that must go the claimed way for a one-sided sign test to reach p < alpha (n + 1: never). */
export function signTestMinimum(n: number, alpha = 0.05): number {
  for (let k = 0; k <= n; k++) if (binomialUpperTail(k, n) < alpha) return k;
  return n + 1;
}

/**
 * One-sided sign test over independent runs (units: task instances, not only initialisations): the claim says
 * each value is < 0 (`direction: "negative"`) or > 0. Zeros count against the claim. Reproduced when the exact
 * binomial p-value P(X ≥ k) < alpha; not reproduced when the runs go the other way beyond chance (P(X ≤ k) <
 * alpha: evidence against the claim); inconclusive otherwise, and always when even a unanimous result could not
 * reach alpha with this many runs. The numbers state the minimum detectable effect: how many of the n runs must
 * go the claimed way.
 */
export function signTest(
  values: number[],
  opts: { direction: "negative" | "positive"; alpha?: number; what: string },
): Assessment {
  const alpha = opts.alpha ?? 0.05;
  const v = values.filter(Number.isFinite);
  const n = v.length;
  const k = v.filter((x) => (opts.direction === "negative" ? x < 0 : x > 0)).length;
  const p = binomialUpperTail(k, n);
  const pAgainst = binomialUpperTail(n - k, n); // P(X ≤ k) = P(n − X ≥ n − k)
  const need = signTestMinimum(n, alpha);
  const numbers: Numbers = {
    runs: n,
    [`runs ${opts.direction === "negative" ? "< 0" : "> 0"}`]: k,
    "sign-test p": +p.toPrecision(3),
    "p against (opposite side)": +pAgainst.toPrecision(3),
    alpha,
    "runs needed for p < alpha": need <= n ? need : "unreachable",
  };
  const side = opts.direction === "negative" ? "negative" : "positive";
  if (n === 0) return { verdict: "not assessed", numbers, detail: `${opts.what}: no finite run` };
  if (need > n) {
    return {
      verdict: "inconclusive",
      numbers,
      detail:
        `${opts.what}: ${k} of ${n} runs ${side}; with ${n} runs a sign test cannot reach p < ` +
        `${alpha} (needs ≥ ${signTestMinimumRuns(alpha)} runs)`,
    };
  }
  const verdict: Verdict = p < alpha ? "reproduced" : pAgainst < alpha ? "not reproduced" : "inconclusive";
  return {
    verdict,
    numbers,
    detail:
      `${opts.what}: ${k} of ${n} runs ${side}, one-sided sign test p = ${p.toPrecision(3)} ` +
      `(${p < alpha ? "<" : "≥"} ${alpha}; ${need} of ${n} needed)` +
      (verdict === "not reproduced"
        ? `; the runs go the other way beyond chance (p = ${pAgainst.toPrecision(3)})`
        : verdict === "inconclusive"
          ? `; nor do they go the other way beyond chance (p = ${pAgainst.toPrecision(3)}): inconclusive`
          : ""),
  };
}

/** The fewest runs with which a unanimous one-sided sign test reaches p < alpha. */
export function signTestMinimumRuns(alpha = 0.05): number {
  let n = 1;
  while (binomialUpperTail(n, n) >= alpha) n++;
  return n;
}

/** Two-sided 97.5 % quantile of Student's t for df = 1…30 (then the normal 1.96 with a 1/df correction). */
export function tQuantile975(df: number): number {
  const table = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
    2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
  ];
  if (df < 1) return NaN;
  if (df <= 30) return table[Math.floor(df) - 1];
  return 1.959964 + 2.4 / df;
}

/**
 * 95 % t-interval of the mean over runs: reproduced when it excludes 0 on the claimed side, not reproduced when
 * it excludes 0 on the other side (evidence against), inconclusive when it contains 0 or when fewer than 2 runs
 * give no interval. The numbers give the minimum detectable mean (the interval's half-width).
 */
export function meanInterval(
  values: number[],
  opts: { direction: "negative" | "positive"; what: string; digits?: number },
): Assessment {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { verdict: "not assessed", numbers: { runs: 0 }, detail: `${opts.what}: no finite run` };
  if (n < 2)
    return {
      verdict: "inconclusive",
      numbers: { runs: n },
      detail: `${opts.what}: an interval needs at least 2 runs, got ${n}`,
    };
  const m = mean(v);
  const half = (tQuantile975(n - 1) * std(v)) / Math.sqrt(n);
  const lo = m - half;
  const hi = m + half;
  const d = opts.digits ?? 3;
  const numbers: Numbers = {
    runs: n,
    mean: +m.toPrecision(d),
    "95% CI low": +lo.toPrecision(d),
    "95% CI high": +hi.toPrecision(d),
    "minimum detectable |mean|": +half.toPrecision(d),
  };
  const claimed = opts.direction === "negative" ? hi < 0 : lo > 0;
  const against = opts.direction === "negative" ? lo > 0 : hi < 0;
  return {
    verdict: claimed ? "reproduced" : against ? "not reproduced" : "inconclusive",
    numbers,
    detail:
      `${opts.what}: mean ${m.toPrecision(d)}, 95 % CI [${lo.toPrecision(d)}, ` +
      `${hi.toPrecision(d)}] over ${n} runs ` +
      `${claimed ? "excludes 0 on the claimed side" : against ? "excludes 0 on the opposite side" : "contains 0"}`,
  };
}

/**
 * A difference between two groups of runs, judged against the seed spread (the claimed effect: a difference of
 * the means beyond `k` pooled standard deviations of the groups). Reproduced when the claimed-direction difference
 * exceeds that margin and each group has at least 3 runs; not reproduced when it goes the other way by the margin,
 * or when the 95 % t-interval of the difference lies below the margin (the claimed effect excluded); inconclusive
 * otherwise (including groups of fewer than 3 runs, which cannot estimate their spread).
 */
export function differenceBeyondSpread(
  a: number[],
  b: number[],
  opts: { claim: "a>b" | "a<b"; k?: number; what: string; labels: [string, string] },
): Assessment {
  const k = opts.k ?? 1;
  const A = a.filter(Number.isFinite);
  const B = b.filter(Number.isFinite);
  if (!A.length || !B.length)
    return {
      verdict: "not assessed",
      numbers: { [`${opts.labels[0]} runs`]: A.length, [`${opts.labels[1]} runs`]: B.length },
      detail: `${opts.what}: a group has no finite runs`,
    };
  const ma = mean(A);
  const mb = mean(B);
  const spread = Math.sqrt((std(A) ** 2 + std(B) ** 2) / 2);
  const diff = opts.claim === "a>b" ? ma - mb : mb - ma;
  const margin = k * spread;
  const df = A.length + B.length - 2;
  const se = Math.sqrt(std(A) ** 2 / A.length + std(B) ** 2 / B.length);
  const upper = df >= 1 ? diff + tQuantile975(df) * se : Infinity;
  const small = Math.min(A.length, B.length) < 3;
  const numbers: Numbers = {
    [`${opts.labels[0]} mean`]: +ma.toPrecision(4),
    [`${opts.labels[1]} mean`]: +mb.toPrecision(4),
    [`${opts.labels[0]} runs`]: A.length,
    [`${opts.labels[1]} runs`]: B.length,
    "seed sd (pooled)": +spread.toPrecision(3),
    margin: +margin.toPrecision(3),
    "difference 95% CI high": Number.isFinite(upper) ? +upper.toPrecision(3) : null,
  };
  const verdict: Verdict =
    diff > margin && !small ? "reproduced" : diff < -margin || upper < margin ? "not reproduced" : "inconclusive";
  const why =
    verdict === "reproduced"
      ? `> ${k}× seed sd ${spread.toPrecision(3)}`
      : diff < -margin
        ? `goes the other way beyond ${k}× seed sd ${spread.toPrecision(3)}`
        : upper < margin
          ? `≤ ${k}× seed sd ${spread.toPrecision(3)}, and its 95 % interval (upper end ${upper.toPrecision(3)}) ` +
            `excludes a difference that large`
          : small && diff > margin
            ? `> ${k}× seed sd ${spread.toPrecision(3)}, but a group of fewer than 3 runs cannot estimate its ` +
              `spread: inconclusive`
            : `≤ ${k}× seed sd ${spread.toPrecision(3)}, and its 95 % interval (upper end ` +
              `${Number.isFinite(upper) ? upper.toPrecision(3) : "∞"}) does not exclude a difference that large: ` +
              `inconclusive`;
  return {
    verdict,
    numbers,
    detail:
      `${opts.what}: ${opts.labels[0]} ${ma.toPrecision(4)} vs ${opts.labels[1]} ` +
      `${mb.toPrecision(4)}; claimed-direction difference ${diff.toPrecision(3)} ${why}`,
  };
}

/**
 * A claim that must hold in every configuration (e.g. an exact rank formula): reproduced when it
 * holds in all, "partly" when in at least half (the Wilson interval is given), else not reproduced.
 */
export function holdsInAll(hits: number, total: number, what: string): Assessment {
  if (total === 0)
    return { verdict: "not assessed", numbers: { configurations: 0 }, detail: `${what}: no configuration measured` };
  const [lo, hi] = wilson(hits, total);
  const verdict: Verdict = hits === total ? "reproduced" : 2 * hits >= total ? "partly" : "not reproduced";
  return {
    verdict,
    numbers: {
      holds: hits,
      configurations: total,
      "Wilson 95% low": +lo.toFixed(3),
      "Wilson 95% high": +hi.toFixed(3),
    },
    detail: `${what}: holds in ${hits} of ${total} configurations`,
  };
}

/**
 * Combines the verdicts of a claim's parts (a conjunction: the claim holds when every part does). Every part
 * reproduced → reproduced; some reproduced, not all → partly (a part not assessed or inconclusive makes an
 * otherwise reproduced claim partly: it was only partly tested); none reproduced and some not reproduced → not
 * reproduced (evidence against a part is evidence against the conjunction); none reproduced and none against,
 * some inconclusive → inconclusive; no part assessed → not assessed. Control numbers of the parts are kept.
 */
export function combine(parts: { label: string; a: Assessment }[]): Assessment {
  const assessed = parts.filter((p) => p.a.verdict !== "not assessed");
  const numbers: Numbers = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.a.numbers)) numbers[`${p.label}: ${k}`] = v;
  const control: Numbers = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.a.control ?? {})) control[`${p.label}: ${k}`] = v;
  const withControl = Object.keys(control).length ? { control } : {};
  const detail = parts.map((p) => `[${p.label}] ${p.a.verdict} — ${p.a.detail}`).join(" ");
  if (!assessed.length) return { verdict: "not assessed", numbers, detail, ...withControl };
  const count = (v: Verdict) => assessed.filter((p) => p.a.verdict === v).length;
  const ok = count("reproduced");
  const verdict: Verdict =
    ok === parts.length
      ? "reproduced"
      : ok > 0 || count("partly") > 0
        ? "partly"
        : count("not reproduced") > 0
          ? "not reproduced"
          : "inconclusive";
  return { verdict, numbers, detail, ...withControl };
}

/**
 * Task against control: the claim's effect must be present in the task (`task`, the rule on the task runs) and
 * larger there than in the control (the same pipeline with the paper's mechanism removed) by `margin`. `effect`
 * is the size of the effect (in the claimed direction, larger = more effect) in each. Reproduced when the task's
 * rule says reproduced and its effect exceeds the control's by more than the margin; not reproduced when the
 * task's rule says so, or when the control shows the effect (beyond the margin) at least as strongly as the task
 * (the effect appears without the mechanism); inconclusive otherwise (present in both, with a difference inside the margin, or the
 * task's rule inconclusive).
 */
/** The fewest independent control runs with which a comparison against the control may decide a verdict. */
export const CONTROL_MIN_UNITS = 3;

export function againstControl(
  task: Assessment,
  effect: {
    task: number;
    control: number;
    margin: number;
    what: string;
    /** independent control runs behind `control`: with fewer than CONTROL_MIN_UNITS the control cannot decide */
    units?: number;
  },
  control: Numbers,
): Assessment {
  const d = effect.task - effect.control;
  const numbers: Numbers = {
    ...task.numbers,
    [`task ${effect.what}`]: +effect.task.toPrecision(4),
    [`control ${effect.what}`]: +effect.control.toPrecision(4),
    "task − control": +d.toPrecision(4),
    "control margin": effect.margin,
  };
  const cmp =
    `task ${effect.what} ${effect.task.toPrecision(3)} against control ${effect.control.toPrecision(3)} ` +
    `(difference ${d.toPrecision(3)}, margin ${effect.margin})`;
  if (!Number.isFinite(effect.task) || !Number.isFinite(effect.control))
    return { verdict: "not assessed", numbers, control, detail: `${task.detail}. Control: not measured (${cmp})` };
  let verdict: Verdict;
  let why: string;
  if (task.verdict === "not reproduced" || task.verdict === "not assessed") {
    verdict = task.verdict;
    why = "the task's rule decides";
  } else if (effect.units !== undefined && effect.units < CONTROL_MIN_UNITS) {
    verdict = "inconclusive";
    why =
      `${effect.units} independent control run(s): at least ${CONTROL_MIN_UNITS} are needed before the comparison ` +
      `can decide either way`;
  } else if (d > effect.margin) {
    verdict = task.verdict;
    why = "the task's effect exceeds the control's by more than the margin";
  } else if (d <= 0 && effect.control > effect.margin) {
    verdict = "not reproduced";
    why = "the control shows the effect at least as strongly: it appears without the paper's mechanism";
  } else {
    verdict = task.verdict === "partly" ? "partly" : "inconclusive";
    why = "the task's effect exceeds the control's by less than the margin";
  }
  return { verdict, numbers, control, detail: `${task.detail}. Against the control: ${cmp}: ${why}` };
}

/**
 * One effect that a rule's numbers state, for one part of a claim: the task's effect beside the control's
 * (`againstControl`), the fraction of runs that go the claimed way (`signTest`), or a mean with its 95 % interval
 * (`meanInterval`). Read back from the numbers these helpers write (the one place their keys are named), so a stored
 * ledger entry yields its effects without re-running anything.
 */
export interface Effect {
  /** the part of the claim (the label `combine` prefixed, e.g. "MNIST layer 2"); "" for a claim of one part */
  part: string;
  kind: EffectKind;
  /** what the effect measures, e.g. "mean terminal fall (fraction of the peak)" or "fraction of runs < 0" */
  what: string;
  task: number;
  /** the control's effect (against control) */
  control?: number;
  /**
   * where the task must be for the claimed effect: the control's effect plus the rule's margin (against control), the
   * fraction of runs the sign test needs (sign test), 0 (mean)
   */
  threshold?: number;
  /** the 95 % interval (mean) */
  low?: number;
  high?: number;
}
/** The kinds of effect `effectsOf` reads, most informative first. */
export const EFFECT_KINDS = ["against control", "sign test", "mean"] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/** The effects stated by an assessment's numbers (see `Effect`), per part, in the order the parts appear. */
export function effectsOf(numbers: Numbers): Effect[] {
  const parts = new Map<string, Map<string, Numbers[string]>>();
  for (const [k, v] of Object.entries(numbers)) {
    const i = k.lastIndexOf(": ");
    const part = i < 0 ? "" : k.slice(0, i);
    if (!parts.has(part)) parts.set(part, new Map());
    parts.get(part)!.set(i < 0 ? k : k.slice(i + 2), v);
  }
  const out: Effect[] = [];
  for (const [part, m] of parts) {
    const num = (k: string) => {
      const v = m.get(k);
      return typeof v === "number" && Number.isFinite(v) ? v : undefined;
    };
    for (const key of m.keys()) {
      if (!key.startsWith("task ") || key === "task − control") continue;
      const what = key.slice(5);
      const task = num(key);
      if (task === undefined) continue;
      const control = num(`control ${what}`);
      const margin = num("control margin");
      out.push({
        part,
        kind: "against control",
        what,
        task,
        ...(control !== undefined ? { control } : {}),
        ...(control !== undefined && margin !== undefined ? { threshold: control + margin } : {}),
      });
    }
    const runs = num("runs");
    const side = m.has("runs < 0") ? "< 0" : m.has("runs > 0") ? "> 0" : undefined;
    const k = side && num(`runs ${side}`);
    if (runs && side && k !== undefined) {
      const need = num("runs needed for p < alpha");
      out.push({
        part,
        kind: "sign test",
        what: `fraction of runs ${side}`,
        task: k / runs,
        ...(need !== undefined ? { threshold: need / runs } : {}),
      });
    }
    const mean = num("mean");
    if (mean !== undefined && num("95% CI low") !== undefined && num("95% CI high") !== undefined)
      out.push({
        part,
        kind: "mean",
        what: "mean",
        task: mean,
        threshold: 0,
        low: num("95% CI low"),
        high: num("95% CI high"),
      });
  }
  return out;
}

/** Counts of verdicts over the entries of one kind (default the paper's claims), for summaries and exit codes. */
export function tally(
  entries: LedgerEntry[],
  kind: ClaimKind | "all" = "paper",
  claims?: ClaimSet,
): Record<Verdict, number> {
  const t = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const e of entries) if (kind === "all" || kindOf(e, claims) === kind) t[e.verdict]++;
  return t;
}

/** "12 reproduced, 2 partly, …" (zero counts left out). */
export function tallyText(t: Record<Verdict, number>): string {
  const parts = VERDICTS.filter((v) => t[v] > 0).map((v) => `${t[v]} ${v}`);
  return parts.length ? parts.join(", ") : "none";
}

/**
 * The tallies a reader sees: the paper's claims counted by verdict, consequences and extensions listed apart, e.g.
 * "paper claims: 12 reproduced, 1 inconclusive; consequences (not counted): 3 reproduced; extensions: 1 partly".
 * `colour` wraps each "n verdict" (for HTML or a terminal).
 */
export function tallySummary(
  entries: LedgerEntry[],
  colour: (v: Verdict, s: string) => string = (_v, s) => s,
  claims?: ClaimSet,
): string {
  const text = (t: Record<Verdict, number>) =>
    VERDICTS.filter((v) => t[v] > 0)
      .map((v) => colour(v, `${t[v]} ${v}`))
      .join(", ") || "none";
  const parts = [`paper claims: ${text(tally(entries, "paper", claims))}`];
  const cons = tally(entries, "consequence", claims);
  if (VERDICTS.some((v) => cons[v] > 0)) parts.push(`consequences (not counted): ${text(cons)}`);
  const ext = tally(entries, "extension", claims);
  if (VERDICTS.some((v) => ext[v] > 0)) parts.push(`extensions (not counted): ${text(ext)}`);
  return parts.join("; ");
}

export const VERDICT_COLOURS: Record<Verdict, string> = {
  reproduced: "#2ca02c",
  partly: "#ff7f0e",
  inconclusive: "#9467bd",
  "not reproduced": "#d62728",
  "not assessed": "#7f7f7f",
};

const esc = escapeHtml;

function numbersText(n: Numbers): string {
  return Object.entries(n)
    .map(([k, v]) => `${k} ${typeof v === "number" ? (Number.isInteger(v) ? v : +v.toPrecision(4)) : v}`)
    .join("; ");
}

/** Entries in the order a reader meets them: the paper's claims, then consequences, then extensions. */
export function byKind(entries: LedgerEntry[], claims?: ClaimSet): LedgerEntry[] {
  return CLAIM_KINDS.flatMap((k) => entries.filter((e) => kindOf(e, claims) === k));
}

function kindNote(e: LedgerEntry): string {
  const k = kindOf(e);
  if (k === "paper") return "";
  return k === "consequence" ? `consequence${e.follows ? ` (follows from ${e.follows})` : ""}` : "extension";
}

/** Plain-text ledger (terminal, `describe`): the paper's claims first, consequences and extensions after. */
export function ledgerText(entries: LedgerEntry[]): string {
  return byKind(entries)
    .map((e) => {
      const k = kindNote(e);
      let t = `  [${e.verdict}]${k ? ` (${k}, not counted)` : ""} ${e.claim} (${e.where})\n      rule: ${e.rule}`;
      if (e.control) t += `\n      control: ${e.control}`;
      if (e.revised?.length)
        t += `\n      rule revised after data: ${e.revised.map((r) => `${r.commit}: ${r.reason}`).join("; ")}`;
      return `${t}\n      ${e.detail}`;
    })
    .join("\n");
}

/**
 * HTML ledger table. With `recorded`, adds the paper preset's verdicts beside this run's
 * (claim · paper says · this run · paper preset · verdict).
 */
export function ledgerHtml(
  entries: LedgerEntry[],
  opts: { recorded?: LedgerEntry[]; liveLabel?: string; recordedLabel?: string } = {},
): string {
  const badge = (v: Verdict) =>
    `<span style="color:#fff;background:${VERDICT_COLOURS[v]};border-radius:3px;padding:0 ` +
    `5px;white-space:nowrap">${esc(v)}</span>`;
  const rec = opts.recorded ? new Map(opts.recorded.map((e) => [e.id, e])) : undefined;
  const all = byKind([...entries, ...(opts.recorded ?? []).filter((r) => !entries.some((e) => e.id === r.id))]);
  const ids = all.map((e) => e.id);
  const byId = new Map(entries.map((e) => [e.id, e]));
  let h =
    `<table class="rankscope-ledger"><thead><tr><th style="text-align:left">claim</th><th ` +
    `style="text-align:left">where · rule</th>`;
  h += rec
    ? `<th style="text-align:left">${esc(opts.liveLabel ?? "this run")}</th><th ` +
      `style="text-align:left">${esc(opts.recordedLabel ?? "paper preset (recorded)")}</th><th>verdict ` +
      `(paper preset)</th>`
    : `<th>verdict</th><th style="text-align:left">numbers</th>`;
  h += `</tr></thead><tbody>`;
  for (const id of ids) {
    const e = byId.get(id);
    const r = rec?.get(id);
    const head = e ?? r!;
    const k = kindNote(head);
    const extra =
      (head.control ? `<br><b>control:</b> ${esc(head.control)}` : "") +
      (head.revised?.length
        ? `<br><b>rule revised after data:</b> ${esc(head.revised.map((r) => `${r.commit}: ${r.reason}`).join("; "))}`
        : "");
    h +=
      `<tr><td style="text-align:left;vertical-align:top">` +
      (k ? `<small style="color:#555">[${esc(k)}; not counted]</small><br>` : "") +
      `${esc(head.claim)}</td><td ` +
      `style="text-align:left;vertical-align:top;color:#555">${esc(head.where)}<br><i>${esc(head.rule)}</i>${extra}</td>`;
    const cellOf = (x: LedgerEntry | undefined) => (x ? `${badge(x.verdict)}<br><small>${esc(x.detail)}</small>` : "—");
    // the verdict column is the paper preset's (the paper's settings) when recorded, else this run's, labelled
    if (rec)
      h +=
        `<td style="text-align:left;vertical-align:top">${cellOf(e)}</td><td ` +
        `style="text-align:left;vertical-align:top">${cellOf(r)}</td><td ` +
        (`style="vertical-align:top">` +
          String(
            r
              ? badge(r.verdict)
              : e
                ? `${badge(e.verdict)}<br><small>(${esc(opts.liveLabel ?? "this run")} only)</small>`
                : "—",
          ) +
          `</td>`);
    else
      h +=
        `<td style="vertical-align:top">${badge(head.verdict)}</td><td ` +
        (`style="text-align:left;vertical-align:top"><small>` +
          String(esc(head.detail)) +
          String(Object.keys(head.numbers).length ? `<br>${esc(numbersText(head.numbers))}` : "") +
          String(head.controlNumbers ? `<br>control: ${esc(numbersText(head.controlNumbers))}` : "") +
          `</small></td>`);
    h += `</tr>`;
  }
  return h + `</tbody></table>`;
}
