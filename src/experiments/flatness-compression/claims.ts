/**
 * The claims ledger of the flatness–compression study (Chen, Recanatesi & Shea-Brown 2024).
 *
 * Every rule reads measured numbers only: per-run changes and correlations over the MLP runs that
 * did not diverge, or the final states of those runs. Runs are independent (each has its own seed
 * and, across settings, its own learning rate / batch size), so a sign test over them is a test over
 * independent trials. What holds by algebra is not here: the bound chain of Eq. 28 (Cauchy–Schwarz)
 * and Eq. 12 (AM–GM and power means) are software checks of the run and unit tests
 * (test/experiments/study-flatness-compression.test.ts).
 */
import {
  ClaimSet,
  ClaimSpec,
  Assessment,
  Numbers,
  Verdict,
  signTest,
  differenceBeyondSpread,
  combine,
  againstControl,
} from "../../report/ledger";
import { pearson, mean } from "../../util/stats";

// ---- measurements ----

/** Per-run values (one per run that did not diverge and had the needed checkpoints). */
export interface PerRun {
  values: number[];
  /** the same quantity on the control (e.g. the training inputs beside the test inputs), run by run */
  control?: number[];
  /** runs that could not contribute (e.g. never interpolated), with the reason */
  excluded?: number;
  /** the runs' labels, so that figures sharing a run count it once when combined */
  keys?: string[];
  excludedKeys?: string[];
  /**
   * late-phase claims: per run (in the order of `values`), the quantity at its checkpoints from the onset of
   * interpolation to the end, so the claim can be judged at a fraction of the window after the onset (the budgets)
   */
  series?: Series[];
}

/** One run's checkpoints from the onset of interpolation on: steps and the measured quantities there. */
export interface Series {
  steps: number[];
  values: number[];
}

/** Claim 1: per-run changes from the interpolation checkpoint to the end. */
export interface FallTogether {
  dSqrtS: number[];
  dLogV: number[];
  keys?: string[];
  /** per run, from the zero-error (else ≥ 99 %) onset to the end: √S and log V, for the budgets */
  sqrtSSeries?: Series[];
  logVSeries?: Series[];
  /** the same changes from the first checkpoint with ≥ 99 % training accuracy (the looser onset), reported beside */
  p99?: { dSqrtS: number[]; dLogV: number[] };
}

/** The index of a series' last checkpoint within `fraction` of its window after the onset (0 = the onset itself). */
export function budgetIndex(steps: number[], fraction: number): number {
  const cut = steps[0] + fraction * (steps[steps.length - 1] - steps[0]);
  let j = 0;
  while (j + 1 < steps.length && steps[j + 1] <= cut + 1e-9) j++;
  return j;
}

/** A series' change from its onset to its budget point (undefined when the budget holds no checkpoint after it). */
const changeAt = (s: Series, fraction: number): number | undefined => {
  const j = budgetIndex(s.steps, fraction);
  return j > 0 ? s.values[j] - s.values[0] : undefined;
};

/** Per-run changes cut at `fraction` of each run's window after the onset (runs without a checkpoint there left out). */
export function perRunAtBudget(m: PerRun, fraction: number): PerRun | undefined {
  if (!m.series) return undefined;
  const out: PerRun = { values: [], keys: [], excludedKeys: [...(m.excludedKeys ?? [])] };
  m.series.forEach((s, i) => {
    const v = changeAt(s, fraction);
    if (v === undefined) out.excludedKeys!.push(m.keys?.[i] ?? String(i));
    else {
      out.values.push(v);
      out.keys!.push(m.keys?.[i] ?? String(i));
    }
  });
  out.excluded = out.excludedKeys!.length;
  return out;
}

/** Claim 1's changes cut at `fraction` of each run's window after the onset. */
export function fallAtBudget(m: FallTogether, fraction: number): FallTogether | undefined {
  if (!m.sqrtSSeries || !m.logVSeries) return undefined;
  const out: FallTogether = { dSqrtS: [], dLogV: [], keys: [] };
  m.logVSeries.forEach((s, i) => {
    const v = changeAt(s, fraction);
    const w = changeAt(m.sqrtSSeries![i], fraction);
    if (v === undefined || w === undefined) return;
    out.dLogV.push(v);
    out.dSqrtS.push(w);
    out.keys!.push(m.keys?.[i] ?? String(i));
  });
  return out;
}

/** Claims 2a / 2b: the final √S of each run, grouped by setting (the swept value). */
export interface SweepFinal {
  groups: { value: number; sqrtS: number[] }[];
}

/** The final state of every MLP run that did not diverge (the points of Fig. D.6). */
export interface FinalStates {
  sqrtS: number[];
  logV: number[];
  G: number[];
  mls: number[];
  localDim: number[];
  testLoss: number[];
  C: number[];
  D: number[];
  /** C and D with the authors' later normalisation √(Σ_l ‖W_l‖₂²) instead of ‖W₁‖₂ (reported beside) */
  Ca?: number[];
  Da?: number[];
  /** outputs of the network (classes) */
  K?: number;
  /**
   * each run's setting (learning rate and batch): the runs of one setting share it, so the correlations are taken
   * within settings (each variable centred on its setting's mean), with the degrees of freedom that leaves
   */
  setting?: string[];
}

/** Fig. D.4: per run, the mean over its checkpoints of A/B, B/C and C/D. */
export interface BoundRatios {
  runs: { AB: number; BC: number; CD: number }[];
}

/** Lemma A.1: per run, at its end, on the training inputs the metrics are measured on. */
export interface TraceRows {
  rows: { loss: number; eq3: number; trHf: number; stderr: number }[];
}

// ---- rules ----

const p3 = (v: number) => +v.toPrecision(3);

/**
 * Pearson ρ with a Fisher-z 95 % interval (needs n ≥ 4). With `groups` (each point's setting), the within-group
 * correlation: each variable centred on its group's mean, and the interval with n − g − 2 degrees of freedom for g
 * groups (the partial correlation given the group), so runs that share a setting are not counted as independent of
 * it; needs n − g ≥ 4.
 */
export function correlationInterval(
  x: number[],
  y: number[],
  groups?: string[],
): { rho: number; lo: number; hi: number; n: number; groups: number } {
  const ok = x.map((_, i) => i).filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
  const n = ok.length;
  let xs = ok.map((i) => x[i]);
  let ys = ok.map((i) => y[i]);
  let g = 1;
  if (groups) {
    const labels = ok.map((i) => groups[i]);
    const ids = [...new Set(labels)];
    g = ids.length;
    const centre = (v: number[]) => {
      const m = new Map(ids.map((id) => [id, mean(v.filter((_, j) => labels[j] === id))]));
      return v.map((u, j) => u - m.get(labels[j])!);
    };
    xs = centre(xs);
    ys = centre(ys);
  }
  const rho = n >= 2 ? pearson(xs, ys) : NaN;
  const df = n - g - 2;
  if (df < 1 || n < 4 || !Number.isFinite(rho)) return { rho, lo: NaN, hi: NaN, n, groups: g };
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, rho)));
  const h = 1.959964 / Math.sqrt(df);
  return { rho, lo: Math.tanh(z - h), hi: Math.tanh(z + h), n, groups: g };
}

/**
 * A correlation claimed above `threshold` (or below it, `direction: "negative"`): reproduced when the
 * Fisher-z 95 % interval lies beyond the threshold, "partly" when only the point estimate does, not
 * reproduced when the point estimate does not; not assessed with fewer than 4 runs.
 */
export function correlationBeyond(
  x: number[],
  y: number[],
  opts: { threshold: number; direction: "positive" | "negative"; what: string; groups?: string[] },
): Assessment {
  const c = correlationInterval(x, y, opts.groups);
  const pooled = opts.groups ? correlationInterval(x, y) : undefined;
  const numbers: Numbers = {
    runs: c.n,
    ...(opts.groups ? { settings: c.groups, "ρ pooled over settings (reported)": p3(pooled!.rho) } : {}),
    [opts.groups ? "ρ within settings" : "rho"]: p3(c.rho),
    "95% CI low": p3(c.lo),
    "95% CI high": p3(c.hi),
    threshold: opts.threshold,
  };
  if (!Number.isFinite(c.lo))
    return {
      verdict: c.n >= 2 && Number.isFinite(c.rho) ? "inconclusive" : "not assessed",
      numbers,
      detail: opts.groups
        ? `${opts.what}: a within-setting interval needs runs − settings ≥ 4 with finite, non-constant values ` +
          `(got ${c.n} runs in ${c.groups} settings)`
        : `${opts.what}: needs ≥ 4 runs with finite, non-constant values (got ${c.n})`,
    };
  const pos = opts.direction === "positive";
  const point = pos ? c.rho > opts.threshold : c.rho < opts.threshold;
  const ci = pos ? c.lo > opts.threshold : c.hi < opts.threshold;
  // evidence against: the whole interval on the other side of the threshold
  const against = pos ? c.hi < opts.threshold : c.lo > opts.threshold;
  const verdict: Verdict = ci ? "reproduced" : against ? "not reproduced" : "inconclusive";
  return {
    verdict,
    numbers,
    detail:
      `${opts.what}: ρ${opts.groups ? " within settings" : ""} = ${c.rho.toPrecision(3)}, 95 % CI ` +
      `[${c.lo.toPrecision(3)}, ${c.hi.toPrecision(3)}] over ${c.n} runs` +
      (opts.groups ? ` in ${c.groups} settings (pooled ρ ${pooled!.rho.toPrecision(3)}, reported)` : "") +
      "; " +
      (ci
        ? `the interval lies ${pos ? "above" : "below"} ${opts.threshold}`
        : against
          ? `the interval lies ${pos ? "below" : "above"} ${opts.threshold}: evidence against`
          : `the interval spans ${opts.threshold} (the point estimate ${point ? "beyond" : "short of"} it): ` +
            `inconclusive`),
  };
}

/** Combines the parts that could be assessed (a part that could not is named in the detail, not counted). */
function combineAssessed(parts: { label: string; a: Assessment }[]): Assessment {
  const assessed = parts.filter((p) => p.a.verdict !== "not assessed");
  const all = combine(parts);
  if (!assessed.length) return all;
  return { ...combine(assessed), numbers: all.numbers, detail: all.detail };
}

/** Neighbouring settings of a sweep, each pair judged by the difference beyond the seed spread. */
function sweepRule(m: SweepFinal, what: (lo: number, hi: number) => string, lowerAt: "larger" | "smaller"): Assessment {
  const g = [...m.groups].sort((a, b) => a.value - b.value);
  if (g.length < 2)
    return {
      verdict: "not assessed",
      numbers: { settings: g.length },
      detail: "the sweep has fewer than two settings",
    };
  const parts = g.slice(1).map((hi, i) => {
    const lo = g[i];
    const label = `${lo.value} vs ${hi.value}`;
    const [a, b] = lowerAt === "larger" ? [hi, lo] : [lo, hi];
    const fa = a.sqrtS.filter(Number.isFinite);
    const fb = b.sqrtS.filter(Number.isFinite);
    if (fa.length < 2 || fb.length < 2)
      return {
        label,
        a: {
          verdict: "not assessed",
          numbers: { [`runs at ${a.value}`]: fa.length, [`runs at ${b.value}`]: fb.length },
          detail: `fewer than 2 runs that did not diverge at ${fa.length < 2 ? a.value : b.value} (no seed spread)`,
        } as Assessment,
      };
    return {
      label,
      a: differenceBeyondSpread(fa, fb, {
        claim: "a<b",
        k: 1,
        what: what(lo.value, hi.value),
        labels: [String(a.value), String(b.value)],
      }),
    };
  });
  return combineAssessed(parts);
}

const perRunSign =
  (direction: "negative" | "positive", what: string) =>
  (m: PerRun): Assessment => {
    const a = signTest(m.values, { direction, what });
    return m.excluded
      ? {
          ...a,
          numbers: { ...a.numbers, "runs excluded": m.excluded },
          detail: `${a.detail}; ${m.excluded} run(s) left out (see the rule)`,
        }
      : a;
  };

// ---- examples for the tests (a rule that cannot fail is not a finding) ----

const N = 12;
const ramp = (k = 0) => Array.from({ length: N }, (_, i) => i / (N - 1) + 0.02 * Math.sin(3.7 * i + k));
const wiggle = (k: number) => Array.from({ length: N }, (_, i) => Math.sin(12.9898 * (i + 1) * (k + 1.3)) * 0.5);
const neg = (v: number[]) => v.map((x) => -x);
const finals = (o: Partial<FinalStates>): FinalStates => ({
  sqrtS: ramp(1),
  logV: ramp(2),
  G: ramp(3),
  mls: ramp(4),
  localDim: wiggle(5),
  testLoss: ramp(6),
  C: ramp(7),
  D: neg(ramp(8)),
  ...o,
});
const down = Array.from({ length: 8 }, (_, i) => -0.1 - 0.01 * i);
const up = neg(down);

/**
 * A claim judged by a one-sided sign test over per-run values (perRunSign); its example and
 * counterexample follow from the claimed direction.
 */
function signClaim(
  spec: Omit<ClaimSpec<PerRun>, "assess" | "example" | "counterexample">,
  direction: "negative" | "positive",
  what: string,
): ClaimSpec<PerRun> {
  const [yes, no] = direction === "positive" ? [up, down] : [down, up];
  return {
    ...spec,
    assess: perRunSign(direction, what),
    combine: combinePerRun,
    example: { values: yes },
    counterexample: { values: no },
  };
}

/** The revision of the App. D.2 rules: correlations within settings (issue 38). */
const WITHIN_SETTINGS_REVISION = {
  commit: "stop 38 (issue 38)",
  reason:
    "after the 084684a record: its 25 final states came from 5 settings and were counted as 25 independent points " +
    "(within one setting ρ(G, MLS) ranged 0.09–0.84); the correlation is now taken within settings with the degrees " +
    "of freedom that leaves, the pooled ρ reported beside",
};
const WITHIN =
  "Correlations are within settings: each quantity centred on the mean of its (learning rate, batch) setting, the " +
  "Fisher-z interval with n − g − 2 degrees of freedom for n runs in g settings (the runs of a setting share it); " +
  "the pooled ρ (the paper's) is reported beside. ";

const DIFF_MLP =
  "MLP runs (Figs. E.7 / E.8 setting: the authors' 784-500-500-500-10 tanh MLP on " +
  "Fashion-MNIST, ten classes by default: option mlpClasses), on options nTrain training " +
  "images (the authors: all 60 000; the paper preset: 1 000, so that its runs reach zero " +
  "training error within the steps affordable here)";
const DIFF_STEPS =
  "fewer SGD steps than the authors' 750 000 (option steps: the paper preset 80 000 on its " +
  "1 000 images, i.e. 1 600 epochs at batch 20 against their 250; the quick preset 1 500); " +
  "how far each run got is in the run table";
const DIFF_POOL =
  "runs of every (learning rate, batch size) setting are pooled; the sign test counts runs, each an independent seed";

/** Joins per-run evidence of several figures, each run (by key) once. */
export function combinePerRun<T extends PerRun>(pieces: T[]): T {
  const seen = new Set<string>();
  const left = new Set<string>();
  const withControl = pieces.every((p) => p.control);
  const withSeries = pieces.every((p) => p.series);
  const out = {
    ...pieces[0],
    values: [] as number[],
    keys: [] as string[],
    ...(withControl ? { control: [] as number[] } : { control: undefined }),
    ...(withSeries ? { series: [] as Series[] } : { series: undefined }),
  } as T;
  for (const p of pieces) {
    p.values.forEach((v, i) => {
      const k = p.keys?.[i];
      if (k !== undefined && seen.has(k)) return;
      if (k !== undefined) seen.add(k);
      out.values.push(v);
      out.keys!.push(k ?? "");
      if (withControl) out.control!.push(p.control![i]);
      if (withSeries) out.series!.push(p.series![i]);
    });
    (p.excludedKeys ?? []).forEach((k) => left.add(k));
  }
  out.excludedKeys = [...left];
  out.excluded = left.size;
  return out;
}

/** Joins the fall-after-interpolation evidence of several figures, each run once. */
export function combineFall(pieces: FallTogether[]): FallTogether {
  const seen = new Set<string>();
  const withSeries = pieces.every((p) => p.sqrtSSeries && p.logVSeries);
  const withP99 = pieces.every((p) => p.p99);
  const out: FallTogether = {
    dSqrtS: [],
    dLogV: [],
    keys: [],
    ...(withSeries ? { sqrtSSeries: [], logVSeries: [] } : {}),
    ...(withP99 ? { p99: { dSqrtS: [], dLogV: [] } } : {}),
  };
  for (const p of pieces)
    p.dLogV.forEach((v, i) => {
      const k = p.keys?.[i];
      if (k !== undefined && seen.has(k)) return;
      if (k !== undefined) seen.add(k);
      out.dLogV.push(v);
      out.dSqrtS.push(p.dSqrtS[i]);
      out.keys!.push(k ?? "");
      if (withSeries) {
        out.sqrtSSeries!.push(p.sqrtSSeries![i]);
        out.logVSeries!.push(p.logVSeries![i]);
      }
    });
  // the ≥ 99 % onset's changes are per piece without keys of their own: the runs of pieces already seen are skipped
  if (withP99) {
    const seenP = new Set<string>();
    for (const p of pieces)
      p.p99!.dLogV.forEach((v, i) => {
        const k = p.keys?.[i];
        if (k !== undefined && seenP.has(k)) return;
        if (k !== undefined) seenP.add(k);
        out.p99!.dLogV.push(v);
        out.p99!.dSqrtS.push(p.p99!.dSqrtS[i]);
      });
  }
  return out;
}

/** The same rule from the ≥ 99 % onset (the looser definition), reported beside the verdict. */
function p99Onset(
  m: FallTogether,
  rule: (d: { dSqrtS: number[]; dLogV: number[] }) => Assessment,
): {
  numbers: Numbers;
  detail: string;
} {
  if (!m.p99 || !m.p99.dLogV.length) return { numbers: {}, detail: "" };
  const b = rule(m.p99);
  const falls = m.p99.dLogV.filter((x) => x < 0).length;
  return {
    numbers: { "onset ≥ 99 %: verdict": b.verdict, "onset ≥ 99 %: runs where log V falls": falls },
    detail: `; from the first checkpoint with ≥ 99 % training accuracy instead: ${b.verdict} (${b.detail})`,
  };
}

const claim1: ClaimSpec<FallTogether> = {
  id: "volume-falls-after-interpolation",
  claim:
    "For the MLP, after interpolation the log volume keeps decreasing, while the sharpness " +
    "does not noticeably decrease (the joint fall of sharpness and volume of Figs. 1 and 2 is " +
    "the VGG's)",
  where: "Sec. 4.1 (MLP paragraph), Figs. E.7, E.8",
  rule:
    "Over the runs that reach interpolation (zero training error, else ≥ 99 % training " +
    "accuracy) before their last checkpoint: a one-sided sign test (α = 0.05) that Δlog V < 0 " +
    "from that checkpoint to the end — reproduced when p < α, not reproduced when the runs rise beyond " +
    "chance (P(X ≤ k) < α), else inconclusive (too few runs included). Δ√S " +
    "is reported, not judged (the paper: no noticeable decrease). Judged again at ¼ and ½ of each run's " +
    "window after its onset (the budgets), and reported from the first checkpoint with ≥ 99 % training accuracy.",
  differences: [
    DIFF_MLP,
    DIFF_STEPS,
    DIFF_POOL,
    "log V over all min(K, d) singular values (Eq. 10 as written; the authors' code: top 3)",
  ],
  assess: (m): Assessment => {
    if (!m.dLogV.length)
      return {
        verdict: "not assessed",
        numbers: { runs: 0 },
        detail: "no run reached interpolation before its last checkpoint",
      };
    const a = signTest(m.dLogV, { direction: "negative", what: "log V falls after interpolation" });
    const s = m.dSqrtS.filter(Number.isFinite);
    const falls = s.filter((x) => x < 0).length;
    const other = p99Onset(m, (d) => signTest(d.dLogV, { direction: "negative", what: "log V falls" }));
    return {
      ...a,
      numbers: {
        ...a.numbers,
        "runs with Δ√S < 0 (reported)": falls,
        "mean Δ√S (reported)": s.length ? +(s.reduce((x, y) => x + y, 0) / s.length).toPrecision(3) : null,
        ...other.numbers,
      },
      detail: `${a.detail}; √S fell in ${falls} of ${s.length} runs (reported, not judged)${other.detail}`,
    };
  },
  atBudget: fallAtBudget,
  combine: combineFall,
  example: { dSqrtS: up, dLogV: down },
  counterexample: { dSqrtS: down, dLogV: up },
};

const claim2a: ClaimSpec<SweepFinal> = {
  id: "lr-lowers-sharpness",
  claim: "A larger learning rate (at batch 20) leads to lower final sharpness",
  where: "Figs. 1, E.8",
  rule:
    "For each pair of neighbouring learning rates: mean final √S at the larger minus at the " +
    "smaller < −1 pooled seed sd (differenceBeyondSpread, k = 1; ≥ 2 runs per setting, else " +
    "the pair is not assessed); all assessed pairs → reproduced, none → not reproduced, else partly.",
  differences: [
    DIFF_MLP,
    DIFF_STEPS,
    "learning rates in the authors' units (PyTorch MSELoss, the mean over samples and the K outputs; option " +
      "lrUnits): the step on the mean ½‖f − y‖² is 2/K × lr, 0.2 × lr with K = 10 outputs",
  ],
  assess: (m) => sweepRule(m, (lo, hi) => `final √S, lr ${hi} below lr ${lo}`, "larger"),
  example: {
    groups: [
      { value: 0.05, sqrtS: [3, 3.1, 2.9] },
      { value: 0.1, sqrtS: [2, 2.1, 1.9] },
      { value: 0.2, sqrtS: [1, 1.1, 0.9] },
    ],
  },
  counterexample: {
    groups: [
      { value: 0.05, sqrtS: [1, 1.1, 0.9] },
      { value: 0.1, sqrtS: [2, 2.1, 1.9] },
      { value: 0.2, sqrtS: [3, 3.1, 2.9] },
    ],
  },
};

const claim2b: ClaimSpec<SweepFinal> = {
  id: "batch-lowers-sharpness",
  claim: "A smaller batch (at learning rate 0.1) leads to lower final sharpness",
  where: "Figs. 2, E.7",
  rule:
    "For each pair of neighbouring batch sizes: mean final √S at the smaller minus at the " +
    "larger < −1 pooled seed sd (differenceBeyondSpread, k = 1; ≥ 2 runs per setting, else " +
    "the pair is not assessed); all assessed pairs → reproduced, none → not reproduced, else partly.",
  differences: [DIFF_MLP, DIFF_STEPS],
  assess: (m) => sweepRule(m, (lo, hi) => `final √S, batch ${lo} below batch ${hi}`, "smaller"),
  example: {
    groups: [
      { value: 8, sqrtS: [1, 1.1, 0.9] },
      { value: 20, sqrtS: [2, 2.1, 1.9] },
      { value: 32, sqrtS: [3, 3.1, 2.9] },
    ],
  },
  counterexample: {
    groups: [
      { value: 8, sqrtS: [3, 3.1, 2.9] },
      { value: 20, sqrtS: [2, 2.1, 1.9] },
      { value: 32, sqrtS: [1, 1.1, 0.9] },
    ],
  },
};

const claim3: ClaimSpec<PerRun> = {
  id: "G-tracks-sharpness",
  claim: "G (Eq. 6) closely follows the trend of sharpness during training",
  where: "Figs. E.7, E.8 (captions); Figs. 1, 2",
  rule:
    "Per run, Pearson ρ(G, S) over its checkpoints (training inputs); one-sided sign test (α " +
    "= 0.05) that ρ > 0 over runs.",
  differences: [
    DIFF_MLP,
    DIFF_STEPS,
    DIFF_POOL,
    "'closely' is not tested beyond a positive correlation; the mean ρ is reported",
  ],
  assess: (m) => {
    const a = perRunSign("positive", "ρ(G, S) over checkpoints > 0")(m);
    return { ...a, numbers: { ...a.numbers, "mean ρ": p3(mean(m.values)) } };
  },
  combine: combinePerRun,
  example: { values: [0.9, 0.8, 0.95, 0.7, 0.85, 0.9] },
  counterexample: { values: [-0.9, -0.8, -0.1, -0.7, -0.85, -0.9] },
};

const claim4: ClaimSpec<FinalStates> = {
  id: "MLS-best-correlate",
  claim:
    "MLS correlates with sharpness and with the test loss more than the log volume and the local dimensionality do",
  where: "Sec. 3.2; App. D.2 finding 4; Fig. D.6",
  rule:
    "Over the final states of the runs: |ρ(MLS, x)| > |ρ(y, x)| for x ∈ {√S, test loss} and y " +
    "∈ {log V, local dim} (4 comparisons of point estimates, no margin); all 4 → reproduced, " +
    "none → not reproduced, else partly; fewer than 4 runs → not assessed.",
  differences: [
    "the Fig. D.6 (MLP) version of the analysis; the paper's Fig. D.5 uses 20 VGG10 networks on CIFAR-10",
    DIFF_STEPS,
  ],
  assess: (m) => {
    const n = m.mls.length;
    const r = (a: number[], b: number[]) => correlationInterval(a, b, m.setting).rho;
    const numbers: Numbers = { runs: n };
    if (n < 4) return { verdict: "not assessed", numbers, detail: `needs ≥ 4 final states, got ${n}` };
    const parts: string[] = [];
    let wins = 0;
    for (const [xl, x] of [
      ["√S", m.sqrtS],
      ["test loss", m.testLoss],
    ] as const) {
      const base = r(m.mls, x);
      numbers[`ρ(MLS, ${xl})`] = p3(base);
      for (const [yl, y] of [
        ["log V", m.logV],
        ["local dim", m.localDim],
      ] as const) {
        const other = r(y, x);
        numbers[`ρ(${yl}, ${xl})`] = p3(other);
        const win = Math.abs(base) > Math.abs(other);
        if (win) wins++;
        parts.push(
          `${xl}: |ρ| MLS ${Math.abs(base).toFixed(2)} ${win ? ">" : "≤"} ${yl} ${Math.abs(other).toFixed(2)}`,
        );
      }
    }
    numbers["comparisons won"] = wins;
    const verdict: Verdict = wins === 4 ? "reproduced" : wins === 0 ? "not reproduced" : "partly";
    return {
      verdict,
      numbers,
      detail: `MLS has the larger |ρ| in ${wins} of 4 comparisons over ${n} final states (${parts.join("; ")})`,
    };
  },
  example: finals({ mls: ramp(4), sqrtS: ramp(1), testLoss: ramp(6), logV: wiggle(2), localDim: wiggle(5) }),
  counterexample: finals({ mls: wiggle(4), sqrtS: ramp(1), testLoss: ramp(6), logV: ramp(2), localDim: ramp(5) }),
};

const claimGaps: ClaimSpec<BoundRatios> = {
  id: "bound-chain-CD-gap-largest",
  claim: "In the bound chain A ≤ B ≤ C ≤ D of Eq. 28 the gap between C and D is large compared to the gaps A–B and B–C",
  where: "Fig. D.4 (caption); App. D",
  rule:
    "Per run, the mean over its checkpoints of the ratios A/B, B/C, C/D (a smaller ratio is a " +
    "larger gap); one-sided sign test (α = 0.05) over runs that min(A/B, B/C) − C/D > 0.",
  differences: [
    "MLP on Fashion-MNIST as in Fig. D.4, with our widths and step counts",
    DIFF_POOL,
    "the ordering A ≤ B ≤ C ≤ D itself holds by Cauchy–Schwarz and is a software check, not a claim",
  ],
  assess: (m) => {
    const v = m.runs.map((r) => Math.min(r.AB, r.BC) - r.CD);
    const a = signTest(v, { direction: "positive", what: "C/D below both A/B and B/C" });
    const avg = (k: "AB" | "BC" | "CD") => p3(mean(m.runs.map((r) => r[k])));
    return {
      ...a,
      numbers: { ...a.numbers, "mean A/B": avg("AB"), "mean B/C": avg("BC"), "mean C/D": avg("CD") },
      detail: `${a.detail}; mean ratios A/B ${avg("AB")}, B/C ${avg("BC")}, C/D ${avg("CD")}`,
    };
  },
  example: { runs: Array.from({ length: 6 }, () => ({ AB: 0.8, BC: 0.9, CD: 0.3 })) },
  counterexample: { runs: Array.from({ length: 6 }, () => ({ AB: 0.4, BC: 0.9, CD: 0.6 })) },
};

const claimLemma: ClaimSpec<TraceRows> = {
  id: "eq3-equals-trH-at-interpolation",
  kind: "consequence",
  follows:
    "the Gauss–Newton split H = H_o + H_f: for the quadratic loss tr H_o is Eq. 3 by algebra, " +
    "and H_f vanishes with the residuals at interpolation",
  claim:
    "At an approximate interpolation solution, Eq. 3 ((1/n) Σ ‖∇_θ f(x_i)‖²_F) approximates " +
    "the trace of the loss Hessian",
  where: "Eq. 3; Lemma A.1",
  rule:
    "Over the runs whose loss on the measured training inputs is < 1e-2 at the end: |Tr H − " +
    "Eq. 3| = |Tr H_f| (Hutchinson) < 5 % of Eq. 3 or within 3 stderr of 0; all such runs → " +
    "reproduced, some → partly, none → not reproduced; no such run → not assessed.",
  differences: [
    "Tr H_f by Hutchinson with options.traceProbes probes (the paper does not measure the gap)",
    "'interpolation' here is loss < 1e-2 on the inputs the metrics use, a threshold fixed before the paper-preset data",
    "By Lemma A.1 the gap Tr H − Eq. 3 = Tr H_f is linear in the residual: this entry says " +
      "how close the runs came to interpolation (where the paper's sharpness formula applies) " +
      "more than it says anything about the networks",
  ],
  assess: (m) => {
    const interp = m.rows.filter((r) => r.loss < 1e-2);
    const ok = interp.filter((r) => Math.abs(r.trHf) < 0.05 * r.eq3 || Math.abs(r.trHf) < 3 * r.stderr);
    const rel = interp.map((r) => Math.abs(r.trHf) / r.eq3);
    const numbers: Numbers = {
      runs: m.rows.length,
      "runs at loss < 1e-2": interp.length,
      "runs within the rule": ok.length,
      "largest |Tr H_f|/Eq. 3": interp.length ? p3(Math.max(...rel)) : null,
    };
    if (!interp.length)
      return {
        verdict: "not assessed",
        numbers,
        detail:
          `none of ${m.rows.length} runs ended with loss < 1e-2 on the measured inputs (the lemma's ` + `precondition)`,
      };
    const verdict: Verdict = ok.length === interp.length ? "reproduced" : ok.length ? "partly" : "not reproduced";
    return {
      verdict,
      numbers,
      detail:
        `${ok.length} of ${interp.length} runs at loss < 1e-2 have |Tr H_f| < 5 % of Eq. 3 or ` +
        `within 3 stderr of 0 (largest |Tr H_f|/Eq. 3 ${Math.max(...rel).toPrecision(3)}); ` +
        `${m.rows.length - interp.length} run(s) did not reach loss < 1e-2`,
    };
  },
  example: {
    rows: [
      { loss: 1e-3, eq3: 10, trHf: 0.1, stderr: 0.05 },
      { loss: 1e-3, eq3: 10, trHf: 0.9, stderr: 0.5 },
    ],
  },
  counterexample: { rows: [{ loss: 1e-3, eq3: 10, trHf: 3, stderr: 0.1 }] },
};

/** Fig. 3's contrast: the test inputs' rise must exceed the training inputs' by this fraction of the test rise. */
export const FIG3_CONTRAST = { margin: 0.1 };

const claimTestS: ClaimSpec<PerRun> = {
  ...signClaim(
    {
      id: "fig3-test-sharpness-rises",
      claim: "On held-out test inputs, sharpness (Eq. 3) increases rather than diminishes as a result of training",
      where: "Fig. 3; Sec. 4.2",
      rule:
        "Per run, √S on the test inputs at the end minus at step 0; one-sided sign test (α = " +
        "0.05) over runs that it is > 0. Against the contrast: the same change on the training " +
        `inputs of the same runs; the test inputs' mean rise must exceed the training inputs' by more than ` +
        `${FIG3_CONTRAST.margin} × the test rise (not reproduced when the training inputs rise at least as much: ` +
        `training then sharpens every input, not the held-out ones in particular; inconclusive inside the margin)`,
      differences: [
        DIFF_MLP,
        DIFF_STEPS,
        DIFF_POOL,
        "Fig. 3 shows the base setting only; every setting's runs are used here",
      ],
    },
    "positive",
    "test-input √S, end minus start, > 0",
  ),
  control:
    "The training inputs of the same runs (the paper's contrast: on them sharpness falls with training), " +
    "measured by the same code at the same checkpoints.",
  revised: [
    {
      commit: "stop 37 (issue 38)",
      reason:
        "after the 1bdcfe6 record (reproduced, 25/25 and 10/10 runs): √S on the training inputs rose by the same " +
        "amount (MLP mean 29.4 train vs 29.5 test), so the rule now requires the rise beyond the training inputs'",
    },
  ],
  assess(m) {
    const task = perRunSign("positive", "test-input √S, end minus start, > 0")(m);
    if (!m.control || m.control.length !== m.values.length)
      return {
        ...task,
        verdict: task.verdict === "reproduced" || task.verdict === "partly" ? "inconclusive" : task.verdict,
        detail: `${task.detail}; the training inputs' change was not measured, so the contrast cannot be judged`,
      };
    const t = mean(m.values);
    const c = mean(m.control);
    return againstControl(
      task,
      {
        task: t,
        control: c,
        margin: +(FIG3_CONTRAST.margin * Math.abs(t)).toPrecision(3),
        what: "mean rise of √S",
        units: m.control.length,
      },
      { runs: m.control.length, "mean rise of √S on the training inputs": +c.toPrecision(4) },
    );
  },
  example: { values: up, control: up.map((v) => 0.1 * v) },
  counterexample: { values: down, control: down },
};

const claimMisS = signClaim(
  {
    id: "fig3-misclassified-sharper",
    claim: "Sharpness on misclassified test inputs is greater than on all test inputs",
    where: "Fig. 3; Sec. 4.2",
    rule:
      "Per run at its last checkpoint, √S on (up to nTestEval) misclassified test inputs minus " +
      "√S on the first nTestEval test inputs; one-sided sign test (α = 0.05) that it is > 0; " +
      "runs with no misclassified test input are left out.",
    differences: [
      DIFF_MLP,
      DIFF_STEPS,
      DIFF_POOL,
      "compared at the last checkpoint (the paper plots the whole of training)",
    ],
  },
  "positive",
  "misclassified minus all test inputs, √S, > 0",
);

const claimTestG = signClaim(
  {
    id: "fig3-test-G-tracks-sharpness",
    claim: "On test inputs, G has the same trend as sharpness",
    where: "Fig. 3; Sec. 4.2",
    rule:
      "Per run, Pearson ρ(G, S) over its checkpoints on the test inputs; one-sided sign test (α " +
      "= 0.05) that ρ > 0 over runs.",
    differences: [DIFF_MLP, DIFF_STEPS, DIFF_POOL],
  },
  "positive",
  "test-input ρ(G, S) over checkpoints > 0",
);

const claimTestV = signClaim(
  {
    id: "fig3-test-volume-falls",
    claim:
      "Despite the rise of test sharpness, the log volume on test inputs follows the " +
      "training-set pattern (it falls after interpolation)",
    where: "Fig. 3; Sec. 4.2",
    rule:
      "Per run that reaches interpolation (as in volume-falls-after-interpolation) before its " +
      "last checkpoint, log V on the test inputs at the end minus at that checkpoint; one-sided " +
      "sign test (α = 0.05) that it is < 0. Judged again at ¼ and ½ of each run's window after its onset.",
    differences: [DIFF_MLP, DIFF_STEPS, DIFF_POOL],
  },
  "negative",
  "test-input log V falls after interpolation",
);
claimTestV.atBudget = perRunAtBudget;

const claimMisV = signClaim(
  {
    id: "fig3-misclassified-less-compressed",
    claim: "Compression is weaker for misclassified test inputs (their log volume stays above that of all test inputs)",
    where: "Fig. 3; Sec. 4.2",
    rule:
      "Per run at its last checkpoint, log V on misclassified test inputs minus on all test " +
      "inputs; one-sided sign test (α = 0.05) that it is > 0; runs with no misclassified test " +
      "input are left out.",
    differences: [DIFF_MLP, DIFF_STEPS, DIFF_POOL, "compared at the last checkpoint"],
  },
  "positive",
  "misclassified minus all test inputs, log V, > 0",
);

const DIFF_D6 =
  "final states of the MLP runs (Fig. D.6 setting: the paper's 20 MLPs; here options seeds " +
  "× settings), not the VGG10 of Fig. D.5";

const claimD2G: ClaimSpec<FinalStates> = {
  id: "D2-G-MLS-highly-correlated",
  claim: "G and MLS are highly correlated, almost the same quantity scaled",
  where: "App. D.2 finding 1; Figs. D.5, D.6",
  rule:
    WITHIN +
    "Pearson ρ(G, MLS) over the final states, Fisher-z 95 % interval: lower end > 0.8 → " +
    "reproduced; upper end < 0.8 → not reproduced; else inconclusive (0.8 is our " +
    "reading of 'highly'); not assessed with K ≤ 2 outputs, where it is mostly algebra.",
  revised: [WITHIN_SETTINGS_REVISION],
  differences: [
    DIFF_D6,
    DIFF_STEPS,
    "with K = 2 outputs G = σ₁² + σ₂² per input and MLS = σ₁, so a high ρ would be largely structural; the MLP " +
      "and the VGG here have K = 10 outputs (the rule does not assess K ≤ 2)",
  ],
  assess: (m) =>
    m.K !== undefined && m.K <= 2
      ? {
          verdict: "not assessed",
          numbers: { K: m.K },
          detail:
            `with K = ${m.K} outputs G = σ₁² + σ₂² and MLS = σ₁ per input, so their correlation is ` +
            `mostly algebra; it needs K > 2 (option classes)`,
        }
      : correlationBeyond(m.G, m.mls, { threshold: 0.8, direction: "positive", what: "ρ(G, MLS)", groups: m.setting }),
  example: finals({}),
  counterexample: finals({ G: wiggle(3) }),
};

const claimD2V: ClaimSpec<FinalStates> = {
  id: "D2-logV-correlates-with-S-and-MLS",
  claim: "Although the bound of Eq. 12 is loose, the log volume correlates well with sharpness and with MLS",
  where: "App. D.2 finding 2; Figs. D.5, D.6",
  rule:
    WITHIN +
    "Pearson ρ(log V, √S) and ρ(log V, MLS) over the final states, each with a Fisher-z 95 % " +
    "interval against 0.5 (interval above → reproduced, interval below → not reproduced, else " +
    "inconclusive; 0.5 is our reading of 'well'); both reproduced → reproduced, both not → not " +
    "reproduced, else partly.",
  revised: [WITHIN_SETTINGS_REVISION],
  differences: [
    DIFF_D6,
    DIFF_STEPS,
    "note: Sec. 3.2 says of sharpness and the volumetric ratio that sharpness 'does not " +
      "correlate well with it'; this finding of App. D.2 is the one tested",
  ],
  assess: (m) =>
    combine([
      {
        label: "log V–√S",
        a: correlationBeyond(m.logV, m.sqrtS, {
          threshold: 0.5,
          direction: "positive",
          what: "ρ(log V, √S)",
          groups: m.setting,
        }),
      },
      {
        label: "log V–MLS",
        a: correlationBeyond(m.logV, m.mls, {
          threshold: 0.5,
          direction: "positive",
          what: "ρ(log V, MLS)",
          groups: m.setting,
        }),
      },
    ]),
  example: finals({}),
  counterexample: finals({ logV: neg(ramp(2)) }),
};

const claimD2T: ClaimSpec<FinalStates> = {
  id: "D2-sharpness-test-loss",
  claim: "Sharpness is positively correlated with the test loss",
  where: "App. D.2 finding 3; Figs. D.5, D.6",
  rule:
    WITHIN +
    "Pearson ρ(√S, test loss) over the final states with a Fisher-z 95 % interval: above 0 → " +
    "reproduced; below 0 → not reproduced; else inconclusive.",
  revised: [WITHIN_SETTINGS_REVISION],
  differences: [DIFF_D6, DIFF_STEPS],
  assess: (m) =>
    correlationBeyond(m.sqrtS, m.testLoss, {
      threshold: 0,
      direction: "positive",
      what: "ρ(√S, test loss)",
      groups: m.setting,
    }),
  example: finals({}),
  counterexample: finals({ testLoss: neg(ramp(6)) }),
};

const claimD6: ClaimSpec<FinalStates> = {
  id: "D6-bound-C-positive-D-negative-with-MLS",
  claim: "Bound C is positively correlated with MLS while bound D is negatively correlated with MLS",
  where: "Fig. D.4 caption; Fig. D.6; App. E",
  rule:
    WITHIN +
    "Over the final states: ρ(C, MLS) with its Fisher-z 95 % interval above 0, and ρ(D, MLS) " +
    "with its interval below 0 (each: interval on the claimed side → reproduced, on the other → not " +
    "reproduced, else inconclusive); both reproduced → reproduced, both not → not reproduced, else partly. " +
    "Bounds as Eq. 28 writes them (‖W₁‖₂); the same correlations with the authors' later normalisation " +
    "√(Σ_l ‖W_l‖₂²) are reported beside.",
  revised: [WITHIN_SETTINGS_REVISION],
  differences: [
    DIFF_D6,
    DIFF_STEPS,
    "the authors' later code scales B, C, D by √(Σ_l ‖W_l‖₂²) over all layers instead of ‖W₁‖₂; both are measured",
  ],
  assess: (m) => {
    const pair = (C: number[], D: number[]) =>
      combine([
        {
          label: "C–MLS > 0",
          a: correlationBeyond(C, m.mls, { threshold: 0, direction: "positive", what: "ρ(C, MLS)", groups: m.setting }),
        },
        {
          label: "D–MLS < 0",
          a: correlationBeyond(D, m.mls, { threshold: 0, direction: "negative", what: "ρ(D, MLS)", groups: m.setting }),
        },
      ]);
    const a = pair(m.C, m.D);
    if (!m.Ca || !m.Da) return a;
    const b = pair(m.Ca, m.Da);
    const rho = (v: number[]) => p3(correlationInterval(v, m.mls, m.setting).rho);
    return {
      ...a,
      numbers: {
        ...a.numbers,
        "authors' normalisation: verdict": b.verdict,
        "authors' normalisation: ρ(C, MLS)": rho(m.Ca),
        "authors' normalisation: ρ(D, MLS)": rho(m.Da),
      },
      detail: `${a.detail}; with the authors' normalisation √(Σ_l ‖W_l‖₂²): ${b.verdict} (${b.detail})`,
    };
  },
  example: finals({}),
  counterexample: finals({ C: neg(ramp(7)), D: ramp(8) }),
};

const claimLD = signClaim(
  {
    id: "local-dim-falls-to-interpolation",
    claim: "Local dimensionality decreases as the loss decreases to near 0 (rapidly with the onset of training)",
    where: "Sec. 4.3; Sec. 3.2; Figs. 1, 2, E.7, E.8",
    rule:
      "Per run that reaches interpolation (as in volume-falls-after-interpolation), local " +
      "dimensionality on the training inputs at that checkpoint minus at step 0; one-sided sign " +
      "test (α = 0.05) that it is < 0.",
    differences: [
      DIFF_MLP,
      DIFF_STEPS,
      DIFF_POOL,
      "local dimensionality lies in [1, K]: K = 10 for the MLP's ten classes and the VGG's ten outputs",
    ],
  },
  "negative",
  "local dim at interpolation minus at step 0 < 0",
);

// ---- the VGG (the paper's Figs. 1–3 and D.5) ----

const DIFF_VGG =
  "the VGG-style net of the authors' code (conv 16, M, 16, M, 32, M, 64, M, 64, M, 3×3 with " +
  "padding 2, then FC 128) with their 10 output units (option vggOutputs; the two classes' one-hot targets " +
  "padded with zeros, as their to_one_hot with n_classes = 10) and their initialisation (conv kernels " +
  "N(0, √(2/(9·out_channels))), zero conv biases; dense layers PyTorch's default; option vggInit), on two classes, " +
  "Fashion-MNIST T-shirt / trouser here (the paper's CIFAR-10 classes 0, 1 run with option cifarDir), option " +
  "vggTrain training images (the paper: the 10 000 CIFAR-10 images of the two classes; the paper preset: 1 000); " +
  "Eq. 3 on the first vggSharpnessSamples inputs of each set (the authors' code: 20), float32 on the native path";
const DIFF_VGG_STEPS =
  "fewer SGD steps than the paper's (its Fig. 2 runs past 50 000 iterations; the authors' code 750 000): " +
  "option vggSteps (8 000 at the paper preset) with the training accuracy checked every 500 steps; after the " +
  "first check with zero training error at step t₀ a run trains max(vggAfterZero, vggAfterZeroRatio × t₀) steps " +
  "more (the paper preset: at least as long again as it took to interpolate, at most vggMaxSteps in all), with " +
  "full checkpoints at ¼, ½, ¾ and all of that window; vggSeeds = 5 seeds per setting as the paper; how far each " +
  "run got is in the run table";
const NOT_VGG = new Set([DIFF_MLP, DIFF_STEPS, DIFF_D6]);

/** The VGG version of an MLP claim: same rule, the VGG runs, the paper's own figure. */
function forVgg<M>(
  spec: ClaimSpec<M>,
  o: { where: string; claim?: string; extra?: string[] } & Partial<
    Pick<ClaimSpec<M>, "rule" | "assess" | "example" | "counterexample">
  >,
): ClaimSpec<M> {
  return {
    ...spec,
    id: `vgg-${spec.id}`,
    claim: o.claim ?? `VGG: ${spec.claim}`,
    where: o.where,
    differences: [DIFF_VGG, DIFF_VGG_STEPS, ...spec.differences.filter((d) => !NOT_VGG.has(d)), ...(o.extra ?? [])],
    ...(o.rule ? { rule: o.rule } : {}),
    ...(o.assess ? { assess: o.assess } : {}),
    ...(o.example ? { example: o.example } : {}),
    ...(o.counterexample ? { counterexample: o.counterexample } : {}),
  };
}

const vggFall = forVgg(claim1, {
  claim:
    "For the VGG, after the loss is minimized (an approximate interpolation solution is " +
    "found) sharpness and volume decrease together",
  where: "Figs. 1, 2 (captions); Sec. 4.1",
  rule:
    "Over the VGG runs that reach interpolation (zero training error, else ≥ 99 % training " +
    "accuracy) before their last checkpoint: one-sided sign tests (α = 0.05) that Δ√S < 0 and " +
    "that Δlog V < 0 from that checkpoint to the end; both reproduced → reproduced, both not " +
    "reproduced → not reproduced, else partly; each needs ≥ 5 runs. Judged again at ¼ and ½ of each run's " +
    "window after its onset (the budgets), and reported from the first checkpoint with ≥ 99 % training accuracy.",
  assess: (m) => {
    const both = (d: { dSqrtS: number[]; dLogV: number[] }) =>
      combine([
        { label: "√S falls", a: signTest(d.dSqrtS, { direction: "negative", what: "√S falls after interpolation" }) },
        {
          label: "log V falls",
          a: signTest(d.dLogV, { direction: "negative", what: "log V falls after interpolation" }),
        },
      ]);
    const a = both(m);
    const other = p99Onset(m, both);
    return { ...a, numbers: { ...a.numbers, ...other.numbers }, detail: `${a.detail}${other.detail}` };
  },
  example: { dSqrtS: down, dLogV: down },
  counterexample: { dSqrtS: up, dLogV: up },
});
const vggLr = forVgg(claim2a, {
  where: "Fig. 1; Sec. 4.1",
  extra: [
    "learning rates in the authors' units (option lrUnits): with the authors' 10 outputs the step on the mean " +
      "½‖f − y‖² is 0.2 × lr",
  ],
});
const vggBatch = forVgg(claim2b, { where: "Fig. 2; Sec. 4.1" });
const vggG = forVgg(claim3, {
  claim: "VGG: G decreases with the sharpness (it follows the trend of sharpness during training)",
  where: "Figs. 1, 2; Sec. 4.1",
});
const vggLD = forVgg(claimLD, { where: "Sec. 4.3; Figs. 1, 2" });
const vggTestS = forVgg(claimTestS, {
  where: "Fig. 3; Sec. 4.2",
  extra: ["every setting's runs are pooled (Fig. 3 shows lr 0.1, batch 20)"],
});
const vggMisS = forVgg(claimMisS, { where: "Fig. 3; Sec. 4.2" });
const vggTestG = forVgg(claimTestG, { where: "Fig. 3; Sec. 4.2" });
const vggTestV = forVgg(claimTestV, { where: "Fig. 3; Sec. 4.2" });
const vggMisV = forVgg(claimMisV, { where: "Fig. 3; Sec. 4.2" });
const DIFF_D5 =
  "final states of the VGG runs (options vggSeeds × settings; the paper's Fig. D.5: 20 VGG10 networks on CIFAR-10)";
const vggMls = forVgg(claim4, { where: "App. D.2 finding 4; Fig. D.5", extra: [DIFF_D5] });
const vggD2G = forVgg(claimD2G, { where: "App. D.2 finding 1; Fig. D.5", extra: [DIFF_D5] });
const vggD2V = forVgg(claimD2V, { where: "App. D.2 finding 2; Fig. D.5", extra: [DIFF_D5] });
const vggD2T = forVgg(claimD2T, { where: "App. D.2 finding 3; Fig. D.5", extra: [DIFF_D5] });

const VGG_CLAIMS = [
  vggFall,
  vggLr,
  vggBatch,
  vggG,
  vggLD,
  vggTestS,
  vggMisS,
  vggTestG,
  vggTestV,
  vggMisV,
  vggMls,
  vggD2G,
  vggD2V,
  vggD2T,
] as ClaimSpec<unknown>[];

export const CLAIMS = {
  ...Object.fromEntries(VGG_CLAIMS.map((c) => [c.id, c])),
  [claim1.id]: claim1,
  [claim2a.id]: claim2a,
  [claim2b.id]: claim2b,
  [claim3.id]: claim3,
  [claim4.id]: claim4,
  [claimLD.id]: claimLD,
  [claimGaps.id]: claimGaps,
  [claimLemma.id]: claimLemma,
  [claimTestS.id]: claimTestS,
  [claimMisS.id]: claimMisS,
  [claimTestG.id]: claimTestG,
  [claimTestV.id]: claimTestV,
  [claimMisV.id]: claimMisV,
  [claimD2G.id]: claimD2G,
  [claimD2V.id]: claimD2V,
  [claimD2T.id]: claimD2T,
  [claimD6.id]: claimD6,
} satisfies ClaimSet;

/** Typed access to the claims (the same objects as in CLAIMS). */
export const CLAIM = {
  vgg: {
    fallTogether: vggFall,
    lr: vggLr,
    batch: vggBatch,
    gTracks: vggG,
    localDim: vggLD,
    testS: vggTestS,
    misS: vggMisS,
    testG: vggTestG,
    testV: vggTestV,
    misV: vggMisV,
    mlsBest: vggMls,
    d2G: vggD2G,
    d2V: vggD2V,
    d2T: vggD2T,
  },
  fallTogether: claim1,
  lr: claim2a,
  batch: claim2b,
  gTracks: claim3,
  mlsBest: claim4,
  localDim: claimLD,
  gaps: claimGaps,
  lemma: claimLemma,
  testS: claimTestS,
  misS: claimMisS,
  testG: claimTestG,
  testV: claimTestV,
  misV: claimMisV,
  d2G: claimD2G,
  d2V: claimD2V,
  d2T: claimD2T,
  d6: claimD6,
};
