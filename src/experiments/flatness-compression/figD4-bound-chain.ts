/**
 * Fig. D.4: the bound chain A ≤ B ≤ C ≤ D of Eq. 28 over training (MLP; it needs a dense first layer),
 * with the claim about which gap dominates; Lemma A.1: at the end of each MLP run, the gap Tr H − Eq. 3
 * = Tr H_f by Hutchinson. The chain itself (Cauchy–Schwarz) and Eqs. 11–12 (AM–GM) hold by algebra:
 * they are software checks here and unit tests, not claims.
 */
import { Figure, houseLayout, colour, Trace, lineFigure } from "../../figures";
import { mean, median } from "../../util/stats";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import { ChenRun } from "./run";
import { CLAIM } from "./claims";
import { part, MLP_READS, trainRuns, finite, group, band, allSettings, runLabel, fmt, STEP_AXIS } from "./shared";

const READS = [...MLP_READS, "learningRates", "batchSizes"] as const;

/** Eqs. 11–12 per input set: mean log V ≤ (N/2)·log(mean G / N), N = the singular values kept. */
export function eq12Check(runs: ChenRun[], definitions: string, what: string): Check {
  let n12 = 0;
  const bad: string[] = [];
  for (const r of runs) {
    const N = Math.min(r.K, r.d, definitions === "authors-code" ? 3 : Infinity);
    for (const c of r.checkpoints)
      for (const [set, m] of [
        ["train", c.train],
        ["test", c.test],
        ["misclassified", c.misclassified],
      ] as const) {
        if (!m) continue;
        n12++;
        const rhs = (N / 2) * Math.log(m.G / N);
        if (!(m.logVolume <= rhs + 1e-9 * Math.max(1, Math.abs(rhs))))
          bad.push(`${runLabel(r)} step ${c.step} ${set}: log V ${m.logVolume} > ${rhs}`);
      }
  }
  return {
    name:
      `software check: Eqs. 11–12, mean log V ≤ (N/2)·log(G/N) (AM–GM per input, Jensen over ` +
      `inputs) at every checkpoint and input set of every ${what} run`,
    pass: bad.length === 0,
    detail: bad.length
      ? `${bad.length} of ${n12} violate it, e.g. ${bad[0]}`
      : `${n12} (checkpoint, input set) pairs over ${runs.length} runs`,
  };
}

export const figD4 = part({
  id: "figD4",
  title: "Fig. D.4 — the bound chain of Eq. 28 (MLP)",
  reads: READS,
  async run(o): Promise<PartOutput> {
    const all = await trainRuns(o, "mlp", allSettings(o, "mlp"), "Fig. D.4");
    const { ok, note } = finite(all);
    let bad = 0;
    let total = 0;
    let worst = "";
    for (const r of all)
      for (const c of r.checkpoints) {
        const b = c.bounds!;
        total++;
        const slack = 1e-9 * Math.max(b.D, 1e-300);
        if (!(b.A <= b.B + slack && b.B <= b.C + slack && b.C <= b.D + slack)) {
          bad++;
          worst = `${runLabel(r)} step ${c.step}: A ${b.A} B ${b.B} C ${b.C} D ${b.D}`;
        }
      }
    const checks: Check[] = [
      {
        name:
          "software check: Eq. 28's chain A ≤ B ≤ C ≤ D (Cauchy–Schwarz, holds for any weights) at " +
          "every checkpoint of every MLP run",
        pass: bad === 0,
        detail:
          bad === 0 ? `${total} checkpoints over ${all.length} runs` : `${bad} of ${total} violate it, e.g. ${worst}`,
      },
      eq12Check(all, o.definitions, "MLP"),
    ];
    const baseRuns = group(ok, { lr: o.baseLr, batch: o.baseBatch });
    const figures = [];
    if (baseRuns.length) {
      const keys = ["A", "B", "C", "D"] as const;
      const data: Trace[] = keys.map((k, i) => {
        const b = band(baseRuns, (c) => c.bounds![k]);
        return {
          type: "scatter",
          mode: "lines+markers",
          x: b.x,
          y: b.m,
          name: `${k}${k === "A" ? " (mean MLS)" : k === "B" ? " (‖W‖₂ mean ‖∇_W f‖/‖x‖)" : k === "C" ? " (partial sharpness)" : " (√S)"}`,
          line: { color: colour(i), width: 2 },
        };
      });
      const r0 = baseRuns[0];
      figures.push(
        new Figure(
          "figD4-bounds",
          data,
          houseLayout({
            title:
              `Fig. D.4 — the bound chain of Eq. 28 over training, MLP p = ${r0.p} (${r0.K} classes), ` +
              `lr ${o.baseLr}, batch ${o.baseBatch} (mean over ${baseRuns.length} seeds)`,
            x: { title: STEP_AXIS, log: true },
            y: { title: "value", log: true },
          }),
        ).toJSON(),
      );
    }
    const ratio = (r: ChenRun, a: "A" | "B" | "C", b: "B" | "C" | "D") =>
      mean(r.checkpoints.map((c) => c.bounds![a] / c.bounds![b]));
    return {
      figures,
      checks,
      notes: note ? [note] : [],
      evidence: {
        [CLAIM.gaps.id]: {
          runs: ok.map((r) => ({ AB: ratio(r, "A", "B"), BC: ratio(r, "B", "C"), CD: ratio(r, "C", "D") })),
        },
      },
    };
  },
});

export const lemmaA1 = part({
  id: "lemmaA1",
  title: "Lemma A.1 — Eq. 3 against Tr H at the end of training (MLP)",
  reads: READS,
  async run(o): Promise<PartOutput> {
    const all = await trainRuns(o, "mlp", allSettings(o, "mlp"), "Lemma A.1");
    const traced = finite(all).ok.filter((r) => r.trace);
    if (!traced.length)
      return { figures: [], unassessed: { [CLAIM.lemma.id]: "Tr H_f was not estimated (option traceProbes = 0)" } };
    const rows = traced.map((r) => ({
      r,
      rel: Math.abs(r.trace!.trHf) / r.trace!.eq3,
      relErr: r.trace!.stderr / r.trace!.eq3,
    }));
    const interp = rows.filter((x) => x.r.trace!.loss < 1e-2);
    const notes: string[] = [];
    if (interp.length) {
      const within = interp.filter((x) => x.rel < 0.05).length;
      const noise = interp.filter((x) => x.rel >= 0.05 && Math.abs(x.r.trace!.trHf) < 3 * x.r.trace!.stderr).length;
      notes.push(
        `Eq. 3 vs Tr H: ${interp.length} of ${rows.length} runs end with loss < 1e-2 on the ` +
          `measured inputs: ${within} with |Tr H_f| < 5 % of Eq. 3, ${noise} more within 3 stderr ` +
          `of 0; median |Tr H_f|/Eq. 3 = ${fmt(median(interp.map((x) => x.rel)))} (stderr ≈ ` +
          `${fmt(mean(interp.map((x) => x.relErr)))} of Eq. 3 with ${traced[0].trace!.probes} probes).`,
      );
    }
    const figure = lineFigure("lemmaA1-trace-gap", {
      title:
        `Lemma A.1 — |Tr H − Eq. 3| / Eq. 3 = |Tr H_f| / Eq. 3 (Hutchinson, ` +
        `${traced[0].trace!.probes} probes) against the loss on the ${o.nEval} measured inputs, ` +
        `one point per MLP run`,
      x: { title: "loss on the measured training inputs", log: true },
      y: { title: "|Tr H_f| / Eq. 3", log: true },
      series: [
        {
          name: "runs",
          x: rows.map((x) => x.r.trace!.loss),
          y: rows.map((x) => Math.max(x.rel, 1e-6)),
          mode: "markers",
        },
      ],
      hlines: [{ y: 0.05, label: "5 % (the rule)" }],
    });
    return {
      figures: [figure.toJSON()],
      notes,
      tables: [
        {
          title: "Eq. 3 vs Tr H at the end of training (MLP)",
          columns: [
            "lr",
            "batch",
            "seed",
            "loss on the inputs",
            "Eq. 3",
            "Tr H_f (Hutchinson)",
            "stderr",
            "|Tr H_f| / Eq. 3",
          ],
          rows: rows.map(({ r, rel }) => [
            r.lr,
            r.batch,
            r.seed,
            r.trace!.loss,
            r.trace!.eq3,
            r.trace!.trHf,
            r.trace!.stderr,
            rel,
          ]),
        },
      ],
      evidence: {
        [CLAIM.lemma.id]: {
          rows: traced.map((r) => ({
            loss: r.trace!.loss,
            eq3: r.trace!.eq3,
            trHf: r.trace!.trHf,
            stderr: r.trace!.stderr,
          })),
        },
      },
    };
  },
});
