/**
 * Fig. 3: the test-set view — train / test loss, and √sharpness, log volume, G, MLS and local
 * dimensionality on training inputs, on test inputs and on the test inputs misclassified at each
 * checkpoint, at the base setting (lr 0.1, batch 20), mean over seeds. The paper's figure is the VGG's
 * (`fig3`); `fig3Mlp` is the same view of the MLP. The claims of Sec. 4.2 are judged on every run of
 * the model's two sweeps (pooled; each run an independent seed).
 */
import { Figure, houseLayout, colour, Trace, panelGrid, panelAxes } from "../../figures";
import { pearson } from "../../util/stats";
import { PartOutput } from "../parts";
import { ChenCheckpoint, MetricRow } from "./run";
import { CLAIM } from "./claims";
import {
  part,
  MLP_READS,
  VGG_READS,
  Model,
  trainRuns,
  finite,
  group,
  final,
  interpolationCheckpoint,
  interpolationIndex,
  seriesFrom,
  band,
  keyed,
  allSettings,
  STEP_AXIS,
} from "./shared";

function testSetPart(model: Model, id: string, fig: string) {
  const vgg = model === "vgg";
  const reads = [
    ...(vgg ? VGG_READS : MLP_READS),
    ...(vgg ? ["vggLearningRates", "vggBatchSizes"] : ["learningRates", "batchSizes"]),
  ] as const;
  return part({
    id,
    title: `${fig} — ${vgg ? "VGG" : "MLP"} test-set view: test and misclassified inputs`,
    reads: reads as unknown as (
      | (typeof VGG_READS)[number]
      | (typeof MLP_READS)[number]
      | "vggLearningRates"
      | "learningRates"
      | "vggBatchSizes"
      | "batchSizes"
    )[],
    async run(o): Promise<PartOutput> {
      const all = await trainRuns(o as never, model, allSettings(o as never, model), fig);
      const { ok, note } = finite(all);
      const c = vgg ? CLAIM.vgg : CLAIM;
      const baseRuns = group(ok, { lr: o.baseLr, batch: o.baseBatch });
      if (!baseRuns.length)
        return {
          figures: [],
          notes: note ? [note] : [],
          unassessed: { [c.testS.id]: `every run at the base setting (lr ${o.baseLr}, batch ${o.baseBatch}) diverged` },
        };
      const view = (pick: (k: ChenCheckpoint) => MetricRow | null) => (key: keyof MetricRow) => (k: ChenCheckpoint) =>
        pick(k)?.[key] ?? null;
      const nEval = o.nEval;
      const sets = [
        { label: `${nEval} training inputs`, pick: view((k) => k.train) },
        { label: `${o.nTestEval} test inputs`, pick: view((k) => k.test) },
        { label: `misclassified test inputs (≤ ${o.nTestEval})`, pick: view((k) => k.misclassified) },
      ];
      const sharp = o.definitions === "authors-code" ? "√S, 20 inputs (authors' code)" : "√sharpness (Eq. 3)";
      const panels: {
        title: string;
        series: { label: string; get: (k: ChenCheckpoint) => number | null }[];
        log?: boolean;
      }[] = [
        {
          title: "train / test loss",
          series: [
            { label: "train loss", get: (k) => k.trainLoss },
            { label: "test loss", get: (k) => k.testLoss },
          ],
          log: true,
        },
        { title: sharp, series: sets.map((s) => ({ label: s.label, get: s.pick("sqrtSharpness") })) },
        { title: "log volume (Eq. 10)", series: sets.map((s) => ({ label: s.label, get: s.pick("logVolume") })) },
        { title: "G (Eq. 6)", series: sets.map((s) => ({ label: s.label, get: s.pick("G") })), log: true },
        { title: "MLS (Eq. 13)", series: sets.map((s) => ({ label: s.label, get: s.pick("mls") })) },
        {
          title: "local dimensionality (Eq. 14)",
          series: sets.map((s) => ({ label: s.label, get: s.pick("localDim") })),
        },
      ];
      const data: Trace[] = [];
      panels.forEach((p, pi) =>
        p.series.forEach((s, si) => {
          const b = band(baseRuns, s.get, p.log);
          const ci = pi === 0 ? 3 + si : si;
          data.push({
            type: "scatter",
            mode: "lines+markers",
            ...panelAxes(pi),
            x: b.x,
            y: b.m,
            name: s.label,
            legendgroup: s.label,
            showlegend: pi <= 1,
            line: { color: colour(ci), width: 2, dash: si === 2 ? "dot" : "solid" },
            marker: { size: 4, color: colour(ci) },
          });
        }),
      );
      const r0 = baseRuns[0];
      const layout = houseLayout({
        title:
          `${fig} — test-set view, ${vgg ? "VGG" : "MLP"} (p = ${r0.p}) on ${r0.source}, lr ` +
          `${o.baseLr}, batch ${o.baseBatch} (mean over ${baseRuns.length} seeds; misclassified: ` +
          `those wrong at each checkpoint)`,
        x: { title: STEP_AXIS },
        y: { title: "" },
        width: 1080,
        height: 660,
      });
      panelGrid(
        layout,
        panels.map((p) => p.title),
        { cols: 3, yLog: panels.map((p) => Boolean(p.log)), xTitle: STEP_AXIS, xLog: true },
      );
      const mis = (r: (typeof ok)[number]) => final(r).misclassified;
      const evidence = {
        // beside each run's test-input change, the same on its training inputs (the contrast of the rule)
        [c.testS.id]: {
          ...keyed(ok, (r) => final(r).test.sqrtSharpness - r.checkpoints[0].test.sqrtSharpness),
          control: ok.map((r) => final(r).train.sqrtSharpness - r.checkpoints[0].train.sqrtSharpness),
        },
        [c.misS.id]: keyed(ok, (r) => (mis(r) ? mis(r)!.sqrtSharpness - final(r).test.sqrtSharpness : undefined)),
        [c.misV.id]: keyed(ok, (r) => (mis(r) ? mis(r)!.logVolume - final(r).test.logVolume : undefined)),
        [c.testG.id]: keyed(ok, (r) =>
          pearson(
            r.checkpoints.map((k) => k.test.G),
            r.checkpoints.map((k) => k.test.S),
          ),
        ),
        [c.testV.id]: (() => {
          const e = keyed(ok, (r) => {
            const k = interpolationCheckpoint(r);
            return k ? final(r).test.logVolume - k.test.logVolume : undefined;
          });
          const reached = ok.filter((r) => interpolationCheckpoint(r));
          return {
            ...e,
            series: reached.map((r) => seriesFrom(r, interpolationIndex(r).index, (k) => k.test.logVolume)),
          };
        })(),
      };
      return { figures: [new Figure(`${id}-test-set`, data, layout).toJSON()], notes: note ? [note] : [], evidence };
    },
  });
}

/** Fig. 3: the VGG's test-set view. */
export const fig3 = testSetPart("vgg", "fig3", "Fig. 3");
/** The same view of the MLP (not a figure of the paper). */
export const fig3Mlp = testSetPart("mlp", "fig3Mlp", "Fig. 3 (MLP)");
