/**
 * The claims ledger of the Hebbar (2022) study. Parts 1–3 of the post hold by construction or by
 * algebra (they are unit tests); the claims here are the ones the Part 4 experiment measures:
 * which zero-loss solutions training finds, and how that changes with the parameter count.
 */
import { ClaimSpec, ClaimSet, Assessment, Verdict, Numbers, combine } from "../../report/ledger";
import { wilson } from "../../util/stats";

/** Seeds at one network size and target set. */
export interface SizeCounts {
  /** parameter count p = 3w + 1 */
  p: number;
  /** seeds that reached zero loss (Σ(f − y)² below the tolerance) */
  converged: number;
  /** seeds that did not (excluded from the fraction) */
  failed: number;
  /** converged seeds with rank G < k */
  deficient: number;
}

/** Per target set: counts at the smallest and the largest network. */
export interface DeficientTrend {
  sets: { name: string; first: SizeCounts; last: SizeCounts }[];
}

/** Per target set: the spread of learned functions at the smallest and largest network, with a bootstrap interval of the change. */
export interface SpreadTrend {
  sets: { name: string; pFirst: number; pLast: number; spreadFirst: number; spreadLast: number; diffLow: number; diffHigh: number }[];
}

/** Per target set: counts at the smallest network. */
export interface DeficientExist {
  sets: { name: string; counts: SizeCounts }[];
}

/** Lower limit the Wilson interval of the rank-deficient fraction must exceed for "such solutions are found". */
export const EXIST_MIN = 0.01;

const fmt = (x: number) => x.toFixed(3);

function fewerDeficient(m: DeficientTrend): Assessment {
  const numbers: Numbers = {};
  const judged: { name: string; kind: "significant" | "direction" | "none" }[] = [];
  const texts: string[] = [];
  for (const s of m.sets) {
    const [lo0, hi0] = wilson(s.first.deficient, s.first.converged);
    const [lo1, hi1] = wilson(s.last.deficient, s.last.converged);
    const f0 = s.first.deficient / s.first.converged;
    const f1 = s.last.deficient / s.last.converged;
    numbers[`${s.name}: fraction at p = ${s.first.p}`] = +f0.toFixed(3);
    numbers[`${s.name}: fraction at p = ${s.last.p}`] = +f1.toFixed(3);
    numbers[`${s.name}: not converged (first, last)`] = `${s.first.failed}, ${s.last.failed}`;
    if (!(s.first.deficient > 0)) {
      texts.push(`${s.name}: no rank-deficient solution at p = ${s.first.p} (${s.first.converged} converged), nothing to fall from — not judged`);
      continue;
    }
    const kind = hi1 < lo0 ? "significant" : f1 < f0 ? "direction" : "none";
    judged.push({ name: s.name, kind });
    texts.push(`${s.name}: ${fmt(f0)} [${fmt(lo0)}, ${fmt(hi0)}] at p = ${s.first.p} → ${fmt(f1)} [${fmt(lo1)}, ${fmt(hi1)}] at p = ${s.last.p} (${kind === "significant" ? "falls, intervals disjoint" : kind === "direction" ? "falls, intervals overlap" : "does not fall"})`);
  }
  if (!judged.length) return { verdict: "not assessed", numbers, detail: `no target set has rank-deficient solutions at the smallest size: ${texts.join("; ")}` };
  const verdict: Verdict = judged.every((j) => j.kind === "significant") ? "reproduced" : judged.every((j) => j.kind === "none") ? "not reproduced" : "partly";
  return { verdict, numbers, detail: texts.join("; ") };
}

function consistentFunctions(m: SpreadTrend): Assessment {
  if (!m.sets.length) return { verdict: "not assessed", numbers: {}, detail: "no target set measured" };
  return combine(
    m.sets.map((s) => {
      const falls = s.diffHigh < 0;
      return {
        label: s.name,
        a: {
          verdict: falls ? "reproduced" : "not reproduced",
          numbers: { [`spread at p = ${s.pFirst}`]: +s.spreadFirst.toPrecision(3), [`spread at p = ${s.pLast}`]: +s.spreadLast.toPrecision(3), "change 95% low": +s.diffLow.toPrecision(3), "change 95% high": +s.diffHigh.toPrecision(3) },
          detail: `spread ${s.spreadFirst.toPrecision(3)} → ${s.spreadLast.toPrecision(3)}, bootstrap 95 % interval of the change [${s.diffLow.toPrecision(3)}, ${s.diffHigh.toPrecision(3)}] ${falls ? "below 0" : "reaches 0 or above"}`,
        } as Assessment,
      };
    }),
  );
}

function deficientExist(m: DeficientExist): Assessment {
  if (!m.sets.length) return { verdict: "not assessed", numbers: {}, detail: "no target set measured" };
  return combine(
    m.sets.map((s) => {
      const [lo, hi] = wilson(s.counts.deficient, s.counts.converged);
      const found = lo > EXIST_MIN;
      return {
        label: s.name,
        a: {
          verdict: found ? "reproduced" : "not reproduced",
          numbers: { p: s.counts.p, "rank-deficient": s.counts.deficient, converged: s.counts.converged, "not converged": s.counts.failed, "Wilson 95% low": +lo.toFixed(3), "Wilson 95% high": +hi.toFixed(3) },
          detail: `${s.counts.deficient} of ${s.counts.converged} zero-loss solutions at p = ${s.counts.p} have rank G < k (Wilson 95 % [${fmt(lo)}, ${fmt(hi)}], lower limit ${found ? ">" : "≤"} ${EXIST_MIN})`,
        } as Assessment,
      };
    }),
  );
}

const counts = (p: number, converged: number, deficient: number, failed = 0): SizeCounts => ({ p, converged, deficient, failed });

const SETUP = [
  "The post gives no data, widths, optimiser or seed count for its 5/19 experiment ('ultra-small datasets', '~20 params / 4 data pts'); ours: 4 points x = (−1, −0.3, 0.4, 1) with two target sets (linear y = 0.5x + 0.1, and zig-zag), [1, w, 1] ReLU with bias, He initialisation, full-batch GD (lr 0.05) then minimum-norm Gauss–Newton to Σ(f − y)² < 1e-20, in float64.",
  "At initialisation the biases are zero, so every ReLU kink of the [1, w, 1] net starts at x = 0; whether rank G < 4 then depends on how far training moves the kinks among the 4 points. The linear targets admit a one-region (rank 2) solution by construction of the target set; the zig-zag targets do not.",
  "Seeds that do not reach zero loss are excluded from the fractions and spreads (their counts per size are in the tables and numbers).",
  "rank G at the default tolerance σ_max · max(m, n) · eps; no code of the post exists.",
  "Quick preset: widths 3, 7, 14, 33 and 40 seeds per size (paper preset: 8 widths, 200 seeds).",
];

export const CLAIMS: ClaimSet = {
  "part4-fewer-deficient": {
    id: "part4-fewer-deficient",
    claim: "The more overparameterised the network, the less likely training finds a solution with a non-full-rank Hessian (rank G < k).",
    where: "Update (5/19), 'Empirical results'",
    rule: "Per target set with at least one rank-deficient solution at the smallest size: the fraction of converged seeds with rank G < k falls significantly when the 95 % Wilson interval at the largest size lies entirely below the one at the smallest size. Reproduced when it falls significantly in every such set, not reproduced when it falls in none (not even in the point estimate), partly otherwise; not assessed when no set has rank-deficient solutions at the smallest size.",
    differences: SETUP,
    assess: fewerDeficient,
    example: { sets: [{ name: "linear targets", first: counts(10, 40, 30), last: counts(100, 40, 2) }] },
    counterexample: { sets: [{ name: "linear targets", first: counts(10, 40, 5), last: counts(100, 40, 20) }] },
  } as ClaimSpec<DeficientTrend>,
  "part4-consistent-functions": {
    id: "part4-consistent-functions",
    claim: "The more overparameterised the network, the more consistent the learned functions (generalisation behaviour) across runs.",
    where: "Update (5/19)",
    rule: "Spread = mean over 61 points x ∈ [−1.5, 1.5] of the standard deviation across converged seeds of f(x). Per target set, 2000 bootstrap resamples of the seeds (fixed RNG seed) give a 95 % percentile interval of spread(largest) − spread(smallest); the set supports the claim when the interval lies below 0. Reproduced when every set does, partly when some do, not reproduced when none does.",
    differences: SETUP,
    assess: consistentFunctions,
    example: { sets: [{ name: "linear targets", pFirst: 10, pLast: 100, spreadFirst: 0.5, spreadLast: 0.2, diffLow: -0.4, diffHigh: -0.2 }] },
    counterexample: { sets: [{ name: "linear targets", pFirst: 10, pLast: 100, spreadFirst: 0.3, spreadLast: 0.35, diffLow: -0.05, diffHigh: 0.15 }] },
  } as ClaimSpec<SpreadTrend>,
  "part4-deficient-exist": {
    id: "part4-deficient-exist",
    claim: "Behavior manifolds are 'usually at least N − k dimensional' and higher where the behavioral gradients are dependent: the 5/19 update implies that training very small networks finds such zero-loss solutions (rank G < k). The post's own ~20-parameter experiment found manifold dimension 'not very predictive', not how often they occur.",
    where: "'Behavior manifolds' and 'Empirical results' (~20 params / 4 data points)",
    rule: `At the smallest network, per target set, the 95 % Wilson interval of the fraction of converged seeds with rank G < k has a lower limit above ${EXIST_MIN}: reproduced when in every target set, partly when in some, not reproduced when in none.`,
    differences: SETUP,
    assess: deficientExist,
    example: { sets: [{ name: "linear targets", counts: counts(10, 40, 12) }, { name: "zig-zag targets", counts: counts(10, 40, 6) }] },
    counterexample: { sets: [{ name: "linear targets", counts: counts(10, 40, 0) }, { name: "zig-zag targets", counts: counts(10, 40, 0) }] },
  } as ClaimSpec<DeficientExist>,
};
