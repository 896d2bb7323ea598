/**
 * The claims ledger: what a study says about each claim of its paper.
 *
 * A study declares its claims once (in `src/experiments/<study>/claims.ts`): the claim in our words,
 * where the paper makes it, the decision rule (fixed in code before any data is seen), the setup
 * differences from the paper and from the authors' code, and an `assess` function that turns the
 * run's measured numbers into a verdict. `assess` sees only measurements, never the expected answer
 * dressed up as a measurement; every claim also carries an `example` and a `counterexample` input so
 * the test suite can prove that its rule can come out either way (test/ledger.test.ts).
 *
 * Verdicts: "reproduced", "partly" (the rule names which part holds), "not reproduced", and
 * "not assessed" (the run could not decide, e.g. too few runs for the test to reach its level, or
 * the precondition the paper states was not met; the detail says which).
 */
import { mean, std, wilson } from "../util/stats";

/**
 * The verdict on one claim: "reproduced", "partly" (the rule names which part holds), "not reproduced", or "not
 * assessed"
 * (the run could not decide; the detail says why).
 */
export type Verdict = "reproduced" | "partly" | "not reproduced" | "not assessed";
export const VERDICTS: readonly Verdict[] = ["reproduced", "partly", "not reproduced", "not assessed"];

export type Numbers = Record<string, number | string | boolean | null>;

/** The outcome of one decision rule on measured numbers. */
export interface Assessment {
  verdict: Verdict;
  /** the measured numbers the verdict rests on */
  numbers: Numbers;
  /** one or two sentences: what was measured and why this verdict */
  detail: string;
}

/** A claim of the paper, declared once per study. `M` is the measurement `assess` reads. */
export interface ClaimSpec<M = unknown> {
  /** stable id, e.g. "fig3-tanh-gap" */
  id: string;
  /** what the paper claims, in our words */
  claim: string;
  /** where: figure / section / equation */
  where: string;
  /** the decision rule, stated before the data */
  rule: string;
  /** setup differences from the paper and from the authors' code (shared/notes/paper-code-facts.md) */
  differences: string[];
  /** the decision rule: turns a measurement into a verdict with its numbers and detail */
  assess(m: M): Assessment;
  /** joins the measurements of several figures that feed this claim (needed when more than one does) */
  combine?(pieces: M[]): M;
  /** a measurement under which the rule must say "reproduced" (checked by the tests) */
  example: M;
  /** a measurement under which the rule must say "not reproduced" (checked by the tests) */
  counterexample: M;
}

/** One row of a study's ledger as stored in its result. */
export interface LedgerEntry {
  id: string;
  claim: string;
  where: string;
  rule: string;
  differences: string[];
  verdict: Verdict;
  numbers: Numbers;
  detail: string;
}

/** Applies a claim's rule to a measurement (or records why it could not be assessed). */
export function assessClaim<M>(spec: ClaimSpec<M>, m: M | undefined, whyNot?: string): LedgerEntry {
  const base = { id: spec.id, claim: spec.claim, where: spec.where, rule: spec.rule, differences: spec.differences };
  if (m === undefined)
    return { ...base, verdict: "not assessed", numbers: {}, detail: whyNot ?? "not measured in this run" };
  const a = spec.assess(m);
  if (!VERDICTS.includes(a.verdict))
    throw new Error(`claim ${spec.id}: assess returned an unknown verdict ${JSON.stringify(a.verdict)}`);
  return { ...base, ...a };
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

/**
 * One-sided sign test over independent runs (seeds): the claim says each value is < 0
 * (`direction: "negative"`) or > 0. Zeros count against the claim. Reproduced when the exact
 * binomial p-value < alpha; "partly" when most runs go the claimed way but p ≥ alpha; "not
 * reproduced" when at most half do; "not assessed" when even a unanimous result could not reach
 * alpha with this many runs.
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
  const numbers: Numbers = {
    runs: n,
    [`runs ${opts.direction === "negative" ? "< 0" : "> 0"}`]: k,
    "sign-test p": +p.toPrecision(3),
    alpha,
  };
  const side = opts.direction === "negative" ? "negative" : "positive";
  if (n === 0 || binomialUpperTail(n, n) >= alpha) {
    return {
      verdict: "not assessed",
      numbers,
      detail:
        `${opts.what}: ${k} of ${n} runs ${side}; with ${n} runs a sign test cannot reach p < ` +
        `${alpha} (needs ≥ ${Math.ceil(Math.log2(1 / alpha))} runs)`,
    };
  }
  const verdict: Verdict = p < alpha ? "reproduced" : 2 * k > n ? "partly" : "not reproduced";
  return {
    verdict,
    numbers,
    detail:
      `${opts.what}: ${k} of ${n} runs ${side}, one-sided sign test p = ${p.toPrecision(3)} ` +
      `(${p < alpha ? "<" : "≥"} ${alpha})`,
  };
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
 * 95 % t-interval of the mean over runs: reproduced when it excludes 0 on the claimed side, "not
 * reproduced" when it excludes 0 on the other side or contains 0 (no evidence for the claim).
 */
export function meanInterval(
  values: number[],
  opts: { direction: "negative" | "positive"; what: string; digits?: number },
): Assessment {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n < 2)
    return {
      verdict: "not assessed",
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
  };
  const claimed = opts.direction === "negative" ? hi < 0 : lo > 0;
  return {
    verdict: claimed ? "reproduced" : "not reproduced",
    numbers,
    detail:
      `${opts.what}: mean ${m.toPrecision(d)}, 95 % CI [${lo.toPrecision(d)}, ` +
      `${hi.toPrecision(d)}] over ${n} runs ` +
      `${claimed ? "excludes 0 on the claimed side" : hi < 0 || lo > 0 ? "excludes 0 on the opposite side" : "contains 0"}`,
  };
}

/**
 * A difference between two groups of runs, judged against the seed spread: reproduced when the
 * claimed-direction difference of the means exceeds `k` pooled standard deviations of the groups
 * (the seed spread as margin), "not reproduced" when it goes the other way by the same margin or
 * less than the margin either way.
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
  const numbers: Numbers = {
    [`${opts.labels[0]} mean`]: +ma.toPrecision(4),
    [`${opts.labels[1]} mean`]: +mb.toPrecision(4),
    "seed sd (pooled)": +spread.toPrecision(3),
    margin: +(k * spread).toPrecision(3),
  };
  const verdict: Verdict = diff > k * spread ? "reproduced" : "not reproduced";
  return {
    verdict,
    numbers,
    detail:
      `${opts.what}: ${opts.labels[0]} ${ma.toPrecision(4)} vs ${opts.labels[1]} ` +
      `${mb.toPrecision(4)}; claimed-direction difference ${diff.toPrecision(3)} ` +
      `${verdict === "reproduced" ? ">" : "≤"} ${k}× seed sd ${spread.toPrecision(3)}`,
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
 * Combines the verdicts of a claim's parts: every part reproduced → reproduced; every assessed part
 * not reproduced → not reproduced; anything else → partly. A part that could not be assessed therefore
 * makes an otherwise reproduced claim "partly" (it was only partly tested); no part assessed → not assessed.
 */
export function combine(parts: { label: string; a: Assessment }[]): Assessment {
  const assessed = parts.filter((p) => p.a.verdict !== "not assessed");
  const numbers: Numbers = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.a.numbers)) numbers[`${p.label}: ${k}`] = v;
  const detail = parts.map((p) => `[${p.label}] ${p.a.verdict} — ${p.a.detail}`).join(" ");
  if (!assessed.length) return { verdict: "not assessed", numbers, detail };
  const ok = assessed.filter((p) => p.a.verdict === "reproduced").length;
  const none = assessed.every((p) => p.a.verdict === "not reproduced");
  const verdict: Verdict = ok === parts.length ? "reproduced" : none ? "not reproduced" : "partly";
  return { verdict, numbers, detail };
}

/** Counts of verdicts, for summaries and exit codes. */
export function tally(entries: LedgerEntry[]): Record<Verdict, number> {
  const t = { reproduced: 0, partly: 0, "not reproduced": 0, "not assessed": 0 } as Record<Verdict, number>;
  for (const e of entries) t[e.verdict]++;
  return t;
}

export const VERDICT_COLOURS: Record<Verdict, string> = {
  reproduced: "#2ca02c",
  partly: "#ff7f0e",
  "not reproduced": "#d62728",
  "not assessed": "#7f7f7f",
};

const esc = (s: unknown) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function numbersText(n: Numbers): string {
  return Object.entries(n)
    .map(([k, v]) => `${k} ${typeof v === "number" ? (Number.isInteger(v) ? v : +v.toPrecision(4)) : v}`)
    .join("; ");
}

/** Plain-text ledger (terminal, `describe`). */
export function ledgerText(entries: LedgerEntry[]): string {
  return entries
    .map((e) => `  [${e.verdict}] ${e.claim} (${e.where})\n      rule: ${e.rule}\n      ${e.detail}`)
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
  const ids = [
    ...entries.map((e) => e.id),
    ...(opts.recorded ?? []).map((e) => e.id).filter((id) => !entries.some((e) => e.id === id)),
  ];
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
    h +=
      `<tr><td style="text-align:left;vertical-align:top">${esc(head.claim)}</td><td ` +
      `style="text-align:left;vertical-align:top;color:#555">${esc(head.where)}<br><i>${esc(head.rule)}</i></td>`;
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
          `</small></td>`);
    h += `</tr>`;
  }
  return h + `</tbody></table>`;
}
