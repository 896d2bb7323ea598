/**
 * The claims ledger of the bottleneck study (Jacot 2023). Every rule reads measured numbers only;
 * the precondition "the network fits its training data" (MSE under 5 % of the target variance) is
 * not a claim: when a run a rule depends on does not fit, the rule answers "not assessed" and names it.
 */
import { Assessment, ClaimSet, ClaimSpec, combine, holdsInAll, Numbers, Verdict } from "../../report/ledger";
import { wilson, lineFit, mean } from "../../util/stats";

/** A network "fits" when its MSE is below this fraction of the target variance. */
export const FIT_FRACTION = 0.05;

/** What the rules read from one trained network of the BN-rank task. */
export interface RunFacts {
  depth: number;
  /** latent dimension of the task */
  k: number;
  seed: number;
  /** mode over the middle layers of the number of weight singular values above the threshold */
  learnedRank: number;
  /**
   * mode over the middle layers of the number of singular values of W_l on the layer's training inputs above the data
   * cut (reported beside the rule's count)
   */
  dataRank?: number;
  /** MSE / target variance at the end of training */
  relMse: number;
  paramSqNorm: number;
}

const fits = (r: RunFacts) => r.relMse < FIT_FRACTION;
const runName = (r: RunFacts) => `L = ${r.depth}, k = ${r.k}, seed ${r.seed} (MSE/var ${r.relMse.toPrecision(3)})`;
const r3 = (v: number) => +v.toPrecision(3);

/** "not assessed" naming the runs that do not fit, or undefined when all fit. */
function unfitting(runs: RunFacts[], what: string): Assessment | undefined {
  const bad = runs.filter((r) => !fits(r));
  if (!bad.length) return undefined;
  return {
    verdict: "not assessed",
    numbers: { runs: runs.length, "runs not fitting": bad.length },
    detail:
      `${what}: precondition failed — ${bad.length} of ${runs.length} runs do not fit their ` +
      `data (MSE ≥ ${FIT_FRACTION} × target variance): ${bad.map(runName).join("; ")}`,
  };
}

/** One-sided Fisher exact test: P(X ≥ a) for the top-left cell a of [[a, n1 − a], [c, n2 − c]] with fixed margins. */
export function fisherOneSided(a: number, n1: number, c: number, n2: number): number {
  const K = a + c;
  const N = n1 + n2;
  const logC = (n: number, k: number) => {
    let s = 0;
    for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
    return s;
  };
  let p = 0;
  for (let x = a; x <= Math.min(n1, K); x++) if (K - x <= n2) p += Math.exp(logC(n1, x) + logC(n2, K - x) - logC(N, K));
  return Math.min(1, p);
}

export interface RecoveryAtDepth {
  k: number;
  /** the runs (seeds) at the deepest depth trained */
  runs: RunFacts[];
}

const rankRecovery: ClaimSpec<RecoveryAtDepth> = {
  id: "rank-recovery",
  claim:
    "Theorem 6's prediction for the minima training finds: at large depth, deep " +
    "L2-regularised ReLU networks on a task of Bottleneck rank k learn k weight singular " +
    "values near 1 in the middle layers. The paper proves it for global minima and adds that " +
    "it 'often encountered rank overestimating minima' in training, so this entry tests how " +
    "far trained minima follow the theorem, not a stated empirical claim.",
  where: "Sec. 3.1 and Fig. 1 (families of minima recovering / over- / under-estimating k); Theorem 6",
  rule:
    "At the deepest depth trained, f = fraction of runs (seeds) whose learned rank (mode over " +
    "layers 2 … L − 1 of the number of weight singular values > threshold) equals k: " +
    "reproduced when f ≥ 1/2 and its Wilson 95 % lower bound > 0.25; partly when f ≥ 1/2 but " +
    "the lower bound ≤ 0.25; not reproduced when f < 1/2; not assessed when a run at that " +
    "depth does not fit its data, or when there are too few runs for even a unanimous result " +
    "to give a lower bound > 0.25 (fewer than 4)",
  differences: [
    "The task is reconstructed (the paper's formulas and Appendix E are lost): x = g(z), y = " +
      "h(z) with random shallow ReLU nets g, h; the latent's distribution is lost too. Default " +
      "here: z ~ |N(0, I_k)| (one-signed). A latent symmetric about 0 (z ~ N(0, I_k)) with the " +
      "generators' small biases makes the target nearly positively homogeneous, and a " +
      "non-negative homogeneous image of a neighbourhood of 0 in ℝ^k needs k + 1 directions " +
      "(the 'completely positive' condition of Sec. 3.1): there trained networks learn k + 1 — " +
      "measured in the study's contrast runs (option contrastLatent). Widths, λ, step and steps " +
      "are this reproduction's choices.",
    "'Large learning rate' is read as a large full-batch Adam step (float32 training by " +
      "default, option precision); the threshold on singular values (0.5, between 'near 1' and " +
      "'near 0' of Theorem 6) is our choice.",
  ],
  assess(m) {
    const pre = unfitting(m.runs, "recovery at the deepest depth");
    if (pre) return pre;
    const n = m.runs.length;
    const hits = m.runs.filter((r) => r.learnedRank === m.k).length;
    const [lo, hi] = wilson(hits, n);
    const f = n ? hits / n : NaN;
    const numbers: Numbers = {
      depth: m.runs[0]?.depth ?? null,
      k: m.k,
      runs: n,
      "runs recovering k": hits,
      "learned ranks": m.runs.map((r) => r.learnedRank).join(" "),
      "data-used ranks": m.runs.map((r) => r.dataRank ?? "–").join(" "),
      "Wilson 95% low": r3(lo),
      "Wilson 95% high": r3(hi),
    };
    if (!n) return { verdict: "not assessed", numbers, detail: "no run at the deepest depth" };
    if (wilson(n, n)[0] <= 0.25)
      return {
        verdict: "not assessed",
        numbers,
        detail:
          `only ${n} run(s) at L = ${m.runs[0].depth}: even ${n}/${n} could not give a Wilson lower ` +
          `bound > 0.25 (learned ranks ${m.runs.map((r) => r.learnedRank).join(", ")})`,
      };
    const verdict: Verdict = f >= 0.5 ? (lo > 0.25 ? "reproduced" : "partly") : "not reproduced";
    return {
      verdict,
      numbers,
      detail:
        `at L = ${m.runs[0].depth}, ${hits} of ${n} runs learn rank k = ${m.k} (learned ranks ` +
        `${m.runs.map((r) => r.learnedRank).join(", ")}); Wilson 95 % interval [${lo.toFixed(2)}, ` +
        `${hi.toFixed(2)}]`,
    };
  },
  example: {
    k: 2,
    runs: [0, 1, 2, 3].map((seed) => ({ depth: 12, k: 2, seed, learnedRank: 2, relMse: 0.01, paramSqNorm: 30 })),
  },
  counterexample: {
    k: 2,
    runs: [0, 1, 2, 3].map((seed) => ({ depth: 12, k: 2, seed, learnedRank: 3, relMse: 0.01, paramSqNorm: 30 })),
  },
};

export interface RecoveryByDepth {
  k: number;
  /** runs (seeds) at the shallowest and at the deepest depth */
  shallow: RunFacts[];
  deep: RunFacts[];
}

const recoveryRisesWithDepth: ClaimSpec<RecoveryByDepth> = {
  id: "recovery-rises-with-depth",
  claim:
    "Increasing the depth helps the network recover the true rank k (fewer rank-overestimating minima at larger depth)",
  where: "Sec. 3.1 (“it seems that increasing the depth helps (see Figure 1)”)",
  rule:
    "Fractions f_deep, f_shallow of runs recovering k at the deepest and the shallowest " +
    "depth: reproduced when f_deep > f_shallow with a one-sided Fisher exact p < 0.05; partly " +
    "when f_deep > f_shallow with p ≥ 0.05; not reproduced when f_deep ≤ f_shallow; not " +
    "assessed when a run at either depth does not fit its data, when every shallow run " +
    "already recovers k (f_shallow = 1: nothing for depth to raise), or when even the most " +
    "extreme split (all deep runs recover, no shallow run does) could not reach p < 0.05 with " +
    "these run counts",
  differences: [
    "Same networks as rank-recovery; depths and seeds per depth are this reproduction's " +
      "choice (the paper's Fig. 1 grid is lost).",
  ],
  assess(m) {
    const pre = unfitting([...m.shallow, ...m.deep], "recovery against depth");
    if (pre) return pre;
    const a = m.deep.filter((r) => r.learnedRank === m.k).length;
    const c = m.shallow.filter((r) => r.learnedRank === m.k).length;
    const n1 = m.deep.length;
    const n2 = m.shallow.length;
    const Ld = m.deep[0]?.depth ?? null;
    const Ls = m.shallow[0]?.depth ?? null;
    if (!n1 || !n2)
      return {
        verdict: "not assessed",
        numbers: { "deep runs": n1, "shallow runs": n2 },
        detail: "a depth has no runs",
      };
    const p = fisherOneSided(a, n1, c, n2);
    if (c === n2)
      return {
        verdict: "not assessed",
        numbers: {
          "shallow depth": Ls,
          "deep depth": Ld,
          "recovering at shallow": `${c}/${n2}`,
          "recovering at deep": `${a}/${n1}`,
        },
        detail:
          `every run at the shallowest depth L = ${Ls} already recovers k = ${m.k} (${c}/${n2}; ` +
          `${a}/${n1} at L = ${Ld}): nothing left for depth to raise`,
      };
    if (fisherOneSided(n1, n1, 0, n2) >= 0.05)
      return {
        verdict: "not assessed",
        numbers: {
          "shallow depth": Ls,
          "deep depth": Ld,
          "recovering at shallow": `${c}/${n2}`,
          "recovering at deep": `${a}/${n1}`,
        },
        detail:
          `with ${n2} and ${n1} runs even ${n1}/${n1} against 0/${n2} gives a one-sided Fisher p ≥ ` +
          `0.05; recovering k = ${m.k}: ${c}/${n2} at L = ${Ls}, ${a}/${n1} at L = ${Ld}`,
      };
    const numbers: Numbers = {
      "shallow depth": Ls,
      "deep depth": Ld,
      "recovering at shallow": `${c}/${n2}`,
      "recovering at deep": `${a}/${n1}`,
      "Fisher one-sided p": r3(p),
    };
    const rises = a / n1 > c / n2;
    const verdict: Verdict = rises ? (p < 0.05 ? "reproduced" : "partly") : "not reproduced";
    return {
      verdict,
      numbers,
      detail:
        `runs recovering k = ${m.k}: ${c}/${n2} at L = ${Ls}, ${a}/${n1} at L = ${Ld}; ` +
        `${rises ? `rises, one-sided Fisher exact p = ${p.toPrecision(3)} (${p < 0.05 ? "<" : "≥"} 0.05)` : "does not rise with depth"}`,
    };
  },
  example: {
    k: 2,
    shallow: [0, 1, 2, 3].map((seed) => ({ depth: 4, k: 2, seed, learnedRank: 3, relMse: 0.01, paramSqNorm: 10 })),
    deep: [0, 1, 2, 3].map((seed) => ({ depth: 12, k: 2, seed, learnedRank: 2, relMse: 0.01, paramSqNorm: 30 })),
  },
  counterexample: {
    k: 2,
    shallow: [0, 1, 2, 3].map((seed) => ({
      depth: 4,
      k: 2,
      seed,
      learnedRank: seed < 2 ? 2 : 3,
      relMse: 0.01,
      paramSqNorm: 10,
    })),
    deep: [0, 1, 2, 3].map((seed) => ({ depth: 12, k: 2, seed, learnedRank: 3, relMse: 0.01, paramSqNorm: 30 })),
  },
};

/**
 * Exact one-sided test for a rise of successes with depth: groups (depth L_i, n_i runs, x_i recovering), statistic
 * T = Σ L_i·x_i, p = P(T ≥ T_observed) when the K = Σ x_i recovering runs are spread over the N runs at random
 * (conditional on K: the exact Cochran–Armitage / permutation trend test; with two depths, Fisher's one-sided test).
 */
export function trendExactP(groups: { L: number; n: number; x: number }[]): number {
  const K = groups.reduce((a, g) => a + g.x, 0);
  const N = groups.reduce((a, g) => a + g.n, 0);
  const tObs = groups.reduce((a, g) => a + g.L * g.x, 0);
  const logC = (n: number, k: number) => {
    let s = 0;
    for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
    return s;
  };
  // ways[j] maps T → number of arrangements (relative to C(N, K)) of j successes over the groups seen so far
  let ways: Map<number, number>[] = [new Map([[0, 1]])];
  for (const g of groups) {
    const next: Map<number, number>[] = Array.from({ length: K + 1 }, () => new Map());
    ways.forEach((byT, j) => {
      for (const [t, w] of byT)
        for (let x = 0; x <= Math.min(g.n, K - j); x++) {
          const m = next[j + x];
          const t2 = t + g.L * x;
          m.set(t2, (m.get(t2) ?? 0) + w * Math.exp(logC(g.n, x)));
        }
    });
    ways = next;
  }
  const total = Math.exp(logC(N, K));
  let p = 0;
  for (const [t, w] of ways[K]) if (t >= tObs - 1e-9) p += w;
  return Math.min(1, p / total);
}

export interface RecoveryOverDepths {
  k: number;
  /** every run (seed) of latent k at every depth trained */
  runs: RunFacts[];
}

const recoveryTrendOverDepths: ClaimSpec<RecoveryOverDepths> = {
  id: "recovery-trend-over-depths",
  claim:
    "Increasing the depth helps the network recover the true rank k, read over every depth " +
    "trained: the fraction of rank-recovering minima rises with L",
  where:
    "Sec. 3.1 (“it seems that increasing the depth helps (see Figure 1)”); the per-depth " +
    "fractions of the study's table “Per depth”",
  rule:
    "Per depth L_i, x_i of n_i runs learn rank k; T = Σ L_i·x_i. The fraction rises with " +
    "depth when T exceeds its mean under no trend, K·Σ n_i L_i / N (K = Σ x_i, N = Σ n_i); p " +
    "= exact one-sided permutation (Cochran–Armitage) P(T ≥ T_obs) given K. Reproduced when " +
    "it rises with p < 0.05; partly when it rises with p ≥ 0.05; not reproduced when it does " +
    "not rise (including no run recovering k at any depth); not assessed when a run does not " +
    "fit its data, when every run recovers k (nothing for depth to raise), or when with these " +
    "run counts no arrangement of recovering runs could reach p < 0.05",
  differences: [
    "Same networks as rank-recovery; the depths and seeds per depth are this reproduction's " +
      "choice (the paper's Fig. 1 grid is lost). Unlike recovery-rises-with-depth (shallowest " +
      "against deepest), every depth counts.",
  ],
  assess(m) {
    const pre = unfitting(m.runs, "recovery over depths");
    if (pre) return pre;
    const depths = Array.from(new Set(m.runs.map((r) => r.depth))).sort((a, b) => a - b);
    const groups = depths.map((L) => {
      const rs = m.runs.filter((r) => r.depth === L);
      return { L, n: rs.length, x: rs.filter((r) => r.learnedRank === m.k).length };
    });
    const N = m.runs.length;
    const K = groups.reduce((a, g) => a + g.x, 0);
    const perDepth = groups.map((g) => `L=${g.L}: ${g.x}/${g.n}`).join(", ");
    const numbers: Numbers = {
      k: m.k,
      depths: depths.length,
      runs: N,
      "runs recovering k": K,
      "recovering per depth": perDepth,
    };
    if (depths.length < 2)
      return {
        verdict: "not assessed",
        numbers,
        detail: `runs at ${depths.length} depth(s) only: a trend needs two or more`,
      };
    if (K === N)
      return {
        verdict: "not assessed",
        numbers,
        detail: `every run recovers k = ${m.k} at every depth (${perDepth}): nothing left for depth to raise`,
      };
    // the smallest p any result could give: the recovering runs all at the deepest depths
    const deepestFirst = groups.slice().reverse();
    let pMin = 1;
    for (let k = 1; k < N; k++) {
      let left = k;
      const extreme = deepestFirst.map((g) => {
        const x = Math.min(g.n, left);
        left -= x;
        return { ...g, x };
      });
      pMin = Math.min(pMin, trendExactP(extreme));
    }
    if (pMin >= 0.05)
      return {
        verdict: "not assessed",
        numbers,
        detail:
          `with ${groups.map((g) => g.n).join(" + ")} runs at depths ${depths.join(", ")} even the ` +
          `most extreme result (recovering runs all at the deepest depths) gives a one-sided trend ` +
          `p ≥ 0.05 (smallest ${pMin.toPrecision(3)}); recovering k = ${m.k}: ${perDepth}`,
      };
    const t = groups.reduce((a, g) => a + g.L * g.x, 0);
    const expected = (K * groups.reduce((a, g) => a + g.n * g.L, 0)) / N;
    const p = trendExactP(groups);
    const rises = t > expected + 1e-9;
    const verdict: Verdict = rises ? (p < 0.05 ? "reproduced" : "partly") : "not reproduced";
    return {
      verdict,
      numbers: { ...numbers, "trend p (one-sided)": r3(p) },
      detail:
        `runs recovering k = ${m.k} by depth: ${perDepth}; ` +
        String(
          rises
            ? `rises with depth, exact one-sided trend p = ${p.toPrecision(3)} (${p < 0.05 ? "<" : "≥"} 0.05)`
            : K
              ? "does not rise with depth"
              : "no run recovers k at any depth",
        ),
    };
  },
  example: {
    k: 2,
    runs: [4, 6, 8, 10].flatMap((L, i) =>
      [0, 1, 2, 3].map((seed) => ({
        depth: L,
        k: 2,
        seed,
        learnedRank: seed < i + (i > 1 ? 1 : 0) ? 2 : 3,
        relMse: 0.01,
        paramSqNorm: 3 * L,
      })),
    ),
  },
  counterexample: {
    k: 2,
    runs: [4, 6, 8, 10].flatMap((L, i) =>
      [0, 1, 2, 3].map((seed) => ({
        depth: L,
        k: 2,
        seed,
        learnedRank: seed < 4 - i ? 2 : 3,
        relMse: 0.01,
        paramSqNorm: 3 * L,
      })),
    ),
  },
};

const noFittingUnderestimation: ClaimSpec<{ runs: RunFacts[] }> = {
  id: "no-fitting-underestimation",
  claim:
    "Gradient descent does not find fitting minima that under-estimate the rank (learned rank " +
    "< k while fitting the data)",
  where: "Sec. 3.1 (“we have never observed fitting rank-underestimating minima”), Sec. 4.1",
  rule:
    "Over every run that fits its data (all depths, all latent k): reproduced when none has " +
    "learned rank < k, not reproduced when any has; not assessed when no run fits",
  differences: [
    "Runs that do not fit are left out by the claim's own wording (the paper reports " +
      "non-fitting under-estimating minima at large depth).",
  ],
  assess(m) {
    const fit = m.runs.filter(fits);
    const under = fit.filter((r) => r.learnedRank < r.k);
    const numbers: Numbers = {
      runs: m.runs.length,
      "fitting runs": fit.length,
      "fitting and under-estimating": under.length,
    };
    if (!fit.length) return { verdict: "not assessed", numbers, detail: `none of ${m.runs.length} runs fits its data` };
    return {
      verdict: under.length ? "not reproduced" : "reproduced",
      numbers,
      detail:
        `${under.length} of ${fit.length} fitting runs learn a rank below ` +
        `k${under.length ? `: ${under.map((r) => `${runName(r)} → rank ${r.learnedRank}`).join("; ")}` : ""}`,
    };
  },
  example: {
    runs: [
      { depth: 6, k: 2, seed: 0, learnedRank: 3, relMse: 0.01, paramSqNorm: 10 },
      { depth: 6, k: 1, seed: 0, learnedRank: 1, relMse: 0.01, paramSqNorm: 10 },
    ],
  },
  counterexample: { runs: [{ depth: 6, k: 2, seed: 0, learnedRank: 1, relMse: 0.01, paramSqNorm: 10 }] },
};

/**
 * Slope t-value and relative residual that make a family's ‖θ‖² "linear in L"; the slope's tolerance around the
 * family's rank.
 */
export const NORM_RULE = { minT: 3, maxRelResidual: 0.05, slopeTolerance: 0.25, minDepths: 3 };

const normLinearInDepth: ClaimSpec<{ runs: RunFacts[] }> = {
  id: "norm-linear-in-depth",
  claim:
    "Within a family of minima of one learned rank r, the parameter norm grows linearly in " +
    "depth, ‖θ‖² ≈ R⁽⁰⁾·L + R⁽¹⁾, with slope R⁽⁰⁾ equal to the rank r",
  where: "Sec. 3 (R(f; L) = L·R⁽⁰⁾ + R⁽¹⁾ + O(1/L), R⁽⁰⁾ the BN-rank), Fig. 1",
  rule:
    `For each family (runs of one learned rank) with runs at ≥ ${NORM_RULE.minDepths} ` +
    `distinct depths, a least-squares line of ‖θ‖² on L: part "linear" holds when slope / ` +
    `stderr ≥ ${NORM_RULE.minT} and the RMS residual ≤ ${NORM_RULE.maxRelResidual * 100} % of ` +
    `the mean ‖θ‖²; part "slope = rank" when |R⁽⁰⁾ − r| ≤ ${NORM_RULE.slopeTolerance}·r. ` +
    `Reproduced when every part of every such family holds, not reproduced when none does, ` +
    `else partly; not assessed when no family spans ${NORM_RULE.minDepths} depths or a run in ` +
    `one does not fit`,
  differences: [
    "‖θ‖² includes the biases and is read at the minimum of MSE + (λ/2)‖θ‖² with λ > 0, not " +
      "at the exact minimal-norm interpolant the representation cost is defined by.",
  ],
  assess(m) {
    const ranks = Array.from(new Set(m.runs.map((r) => r.learnedRank))).sort((a, b) => a - b);
    const fams = ranks
      .map((r) => ({ r, runs: m.runs.filter((x) => x.learnedRank === r) }))
      .filter((f) => new Set(f.runs.map((x) => x.depth)).size >= NORM_RULE.minDepths);
    if (!fams.length)
      return {
        verdict: "not assessed",
        numbers: { families: ranks.length },
        detail:
          `no family of minima (learned ranks ${ranks.join(", ") || "none"}) has runs at ` +
          `${NORM_RULE.minDepths} or more depths`,
      };
    const pre = unfitting(
      fams.flatMap((f) => f.runs),
      "‖θ‖² against depth",
    );
    if (pre) return pre;
    const parts: { label: string; a: Assessment }[] = [];
    for (const f of fams) {
      const L = f.runs.map((x) => x.depth);
      const y = f.runs.map((x) => x.paramSqNorm);
      const fit = lineFit(L, y);
      const rms = Math.sqrt(mean(L.map((l, i) => (y[i] - fit.slope * l - fit.intercept) ** 2)));
      const rel = rms / mean(y);
      const t = fit.slope / fit.slopeStderr;
      const lin = t >= NORM_RULE.minT && rel <= NORM_RULE.maxRelResidual;
      const slopeOk = Math.abs(fit.slope - f.r) <= NORM_RULE.slopeTolerance * f.r;
      parts.push({
        label: `rank ${f.r} linear`,
        a: {
          verdict: lin ? "reproduced" : "not reproduced",
          numbers: {
            runs: f.runs.length,
            "R0 (slope)": r3(fit.slope),
            "slope stderr": r3(fit.slopeStderr),
            t: r3(t),
            "R1 (intercept)": r3(fit.intercept),
            "RMS residual / mean": r3(rel),
          },
          detail:
            `${f.runs.length} runs: slope ${fit.slope.toPrecision(3)} ± ` +
            `${fit.slopeStderr.toPrecision(2)} (t ${t.toPrecision(3)}), RMS residual ` +
            `${(100 * rel).toPrecision(2)} % of the mean ‖θ‖²`,
        },
      });
      parts.push({
        label: `rank ${f.r} slope = rank`,
        a: {
          verdict: slopeOk ? "reproduced" : "not reproduced",
          numbers: { "R0 (slope)": r3(fit.slope), rank: f.r },
          detail:
            `R⁽⁰⁾ = ${fit.slope.toPrecision(3)} against rank ${f.r} (tolerance ` +
            `±${NORM_RULE.slopeTolerance * f.r})`,
        },
      });
    }
    return combine(parts);
  },
  example: {
    runs: [4, 6, 8, 10].flatMap((L) =>
      [0, 1].map((seed) => ({
        depth: L,
        k: 2,
        seed,
        learnedRank: 2,
        relMse: 0.01,
        paramSqNorm: 2 * L + 5 + (seed ? 0.1 : -0.1),
      })),
    ),
  },
  counterexample: {
    runs: [4, 6, 8, 10].flatMap((L) =>
      [0, 1].map((seed) => ({
        depth: L,
        k: 2,
        seed,
        learnedRank: 2,
        relMse: 0.01,
        paramSqNorm: 40 - 0.5 * (L - 7) ** 2 + (seed ? 3 : -3),
      })),
    ),
  },
};

const learnedRankVsK: ClaimSpec<{ runs: RunFacts[] }> = {
  id: "learned-rank-vs-k",
  claim:
    "The learned bottleneck rank follows the task's latent dimension: tasks of BN-rank k = 1, " +
    "2, 3 give learned rank 1, 2, 3",
  where: "Sec. 1.1 and Sec. 3.1 (the network learns the “right” inner dimension); Theorem 6",
  rule:
    "One run per latent k at one depth (seed 0): the rank is recovered for k when the learned " +
    "rank equals k; reproduced when it is for every k, partly when for at least half of the k " +
    "values, not reproduced otherwise; not assessed with fewer than 2 values of k or when a " +
    "run does not fit its data",
  differences: [
    "Only seed 0 per k, at one depth (option sweepDepth): a choice of this reproduction to keep the sweep short.",
  ],
  assess(m) {
    const runs = m.runs.slice().sort((a, b) => a.k - b.k);
    if (new Set(runs.map((r) => r.k)).size < 2)
      return {
        verdict: "not assessed",
        numbers: { "k values": runs.length },
        detail: "fewer than 2 latent dimensions trained (option latentSweep)",
      };
    const pre = unfitting(runs, "learned rank against k");
    if (pre) return pre;
    const a = holdsInAll(
      runs.filter((r) => r.learnedRank === r.k).length,
      runs.length,
      `learned rank = k at L = ${runs[0].depth}`,
    );
    return {
      ...a,
      numbers: { ...a.numbers, "k → learned rank": runs.map((r) => `${r.k}→${r.learnedRank}`).join(", ") },
      detail: `${a.detail} (k → learned rank: ${runs.map((r) => `${r.k} → ${r.learnedRank}`).join(", ")})`,
    };
  },
  example: { runs: [1, 2, 3].map((k) => ({ depth: 8, k, seed: 0, learnedRank: k, relMse: 0.01, paramSqNorm: 20 })) },
  counterexample: {
    runs: [1, 2, 3].map((k) => ({ depth: 8, k, seed: 0, learnedRank: k + 1, relMse: 0.01, paramSqNorm: 20 })),
  },
};

/** What the symmetry-task rules read. */
export interface SymmetryFacts {
  relMse: number;
  layer: number;
  /** cumulative explained variance of the top 1 and top 2 principal components of the middle layer */
  ev1: number;
  ev2: number;
  /** 5-NN leave-one-out R²: statistics from the representation, representation from the statistics */
  r2StatsFromRep: number;
  r2RepFromStats: number;
  crossingsLearned: number;
  crossingsStats: number;
  paths: number;
}

export const SYM_RULE = { ev: 0.99, r2: 0.95 };

const symDifferences = [
  "The symmetry task is reconstructed from Section 5's text (its formulas are lost): L(w) = " +
    "½‖uuᵀ + E − wwᵀ‖²_F, and for E = 0 the GD recursion of the summary statistics a = w·u, b " +
    "= ‖w − (w·u)u‖ is a ← a(1 + 2η(1 − a² − b²)), b ← b(1 − 2η(a² + b²)) (derived here, " +
    "tested in test/study-bottleneck.test.ts); d, T, η, the noise of E and the training " +
    "distribution of w₀ are this reproduction's choices.",
  "Targets (the next T losses) are standardised per step; one network (seed 0).",
];

const symmetry2d: ClaimSpec<SymmetryFacts> = {
  id: "symmetry-2d-statistics",
  claim:
    "On the symmetry task a deep L2-regularised network learns a 2-dimensional middle " +
    "representation that is a bijection of the summary statistics (|w·u|, ‖w − (w·u)u‖)",
  where: "Sec. 5, Fig. 2",
  rule:
    `Middle layer's pre-activations: part "2-D" holds when the top 2 principal components ` +
    `explain ≥ ${SYM_RULE.ev * 100} % of the variance and the top 1 < ${SYM_RULE.ev * 100} %; ` +
    `part "bijection" when the 5-NN leave-one-out R² is ≥ ${SYM_RULE.r2} both ways ` +
    `(statistics from the representation and back); reproduced when both hold, partly when ` +
    `one, not reproduced when neither; not assessed when the network does not fit its data`,
  differences: symDifferences,
  assess(m) {
    if (!(m.relMse < FIT_FRACTION))
      return {
        verdict: "not assessed",
        numbers: { "MSE / variance": r3(m.relMse) },
        detail:
          `precondition failed: the symmetry network does not fit its data (MSE / target variance ` +
          `${m.relMse.toPrecision(3)} ≥ ${FIT_FRACTION})`,
      };
    const twoD = m.ev2 >= SYM_RULE.ev && m.ev1 < SYM_RULE.ev;
    const bij = Math.min(m.r2StatsFromRep, m.r2RepFromStats) >= SYM_RULE.r2;
    return combine([
      {
        label: "2-D",
        a: {
          verdict: twoD ? "reproduced" : "not reproduced",
          numbers: { layer: m.layer, "EV top 1": +m.ev1.toFixed(5), "EV top 2": +m.ev2.toFixed(5) },
          detail: `layer ${m.layer}: top-1 PC ${m.ev1.toFixed(4)}, top-2 PCs ${m.ev2.toFixed(4)} of the variance`,
        },
      },
      {
        label: "bijection",
        a: {
          verdict: bij ? "reproduced" : "not reproduced",
          numbers: { "R² stats from rep": r3(m.r2StatsFromRep), "R² rep from stats": r3(m.r2RepFromStats) },
          detail:
            `5-NN R²: statistics from representation ${m.r2StatsFromRep.toFixed(3)}, representation ` +
            `from statistics ${m.r2RepFromStats.toFixed(3)}`,
        },
      },
    ]);
  },
  example: {
    relMse: 0.001,
    layer: 4,
    ev1: 0.8,
    ev2: 0.999,
    r2StatsFromRep: 0.99,
    r2RepFromStats: 0.99,
    crossingsLearned: 0,
    crossingsStats: 0,
    paths: 8,
  },
  counterexample: {
    relMse: 0.001,
    layer: 4,
    ev1: 0.5,
    ev2: 0.8,
    r2StatsFromRep: 0.7,
    r2RepFromStats: 0.6,
    crossingsLearned: 5,
    crossingsStats: 0,
    paths: 8,
  },
};

const symmetryPaths: ClaimSpec<SymmetryFacts> = {
  id: "symmetry-paths-no-crossing",
  claim:
    "GD paths of the task mapped into the learned 2-D representation do not cross (the sign " +
    "that it holds summary statistics up to bijection)",
  where: "Sec. 5, Fig. 2",
  rule:
    "Paths from w₀ at one radius, drawn in the top-2 principal plane of the middle layer: " +
    "reproduced when they have 0 proper crossings outside 5 % of the cloud's diameter around " +
    "their common end, not reproduced otherwise; not assessed when the network does not fit " +
    "its data or the same paths cross in the plane of the true statistics (the reference " +
    "itself fails)",
  differences: symDifferences,
  assess(m) {
    const numbers: Numbers = {
      paths: m.paths,
      "crossings (learned plane)": m.crossingsLearned,
      "crossings (true statistics)": m.crossingsStats,
    };
    if (!(m.relMse < FIT_FRACTION))
      return {
        verdict: "not assessed",
        numbers,
        detail:
          `precondition failed: the symmetry network does not fit its data (MSE / target variance ` +
          `${m.relMse.toPrecision(3)} ≥ ${FIT_FRACTION})`,
      };
    if (m.crossingsStats > 0)
      return {
        verdict: "not assessed",
        numbers,
        detail:
          `the ${m.paths} paths cross ${m.crossingsStats} times in the plane of the true ` +
          `statistics, so crossings in the learned plane say nothing`,
      };
    return {
      verdict: m.crossingsLearned === 0 ? "reproduced" : "not reproduced",
      numbers,
      detail:
        `${m.crossingsLearned} crossings among ${m.paths} GD paths in the learned plane (0 in the ` +
        `true-statistics plane)`,
    };
  },
  example: symmetry2d.example,
  counterexample: symmetry2d.counterexample,
};

export const CLAIMS = {
  "rank-recovery": rankRecovery,
  "recovery-rises-with-depth": recoveryRisesWithDepth,
  "recovery-trend-over-depths": recoveryTrendOverDepths,
  "no-fitting-underestimation": noFittingUnderestimation,
  "norm-linear-in-depth": normLinearInDepth,
  "learned-rank-vs-k": learnedRankVsK,
  "symmetry-2d-statistics": symmetry2d,
  "symmetry-paths-no-crossing": symmetryPaths,
} satisfies ClaimSet;
