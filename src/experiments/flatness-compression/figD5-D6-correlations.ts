/**
 * Figs. D.5 (VGG) and D.6 (MLP): the final states of every run of the two sweeps (learning rate, batch
 * size, seed varied), a scatter matrix of local dimensionality, √sharpness, log volume, G, MLS and test
 * loss (and, for the MLP, bounds C and D of Eq. 28), with Pearson ρ in each panel and as a heatmap.
 * Feeds the claims of App. D.2 on these final states.
 */
import { Figure, houseLayout, colour, Trace, Layout, slots } from "../../figures";
import { pearson } from "../../util/stats";
import { PartOutput } from "../parts";
import { ChenCheckpoint } from "./run";
import { CLAIM, FinalStates } from "./claims";
import { eq12Check } from "./figD4-bound-chain";
import { part, MLP_READS, VGG_READS, Model, trainRuns, finite, final, allSettings, fmt } from "./shared";

function correlationsPart(model: Model, id: string, fig: string) {
  const vgg = model === "vgg";
  const reads = [
    ...(vgg ? VGG_READS : MLP_READS),
    ...(vgg ? ["vggLearningRates", "vggBatchSizes"] : ["learningRates", "batchSizes"]),
  ] as const;
  return part({
    id,
    title: `${fig} — correlations over the final states of the ${vgg ? "VGG" : "MLP"} runs`,
    reads: reads as unknown as (
      | (typeof VGG_READS)[number]
      | (typeof MLP_READS)[number]
      | "vggLearningRates"
      | "learningRates"
      | "vggBatchSizes"
      | "batchSizes"
    )[],
    async run(o): Promise<PartOutput> {
      const settings = allSettings(o as never, model);
      const all = await trainRuns(o as never, model, settings, fig);
      const { ok: runs, note } = finite(all);
      const notes = note ? [note] : [];
      const checks = vgg ? [eq12Check(all, o.definitions, "VGG")] : [];
      const c = vgg ? CLAIM.vgg : CLAIM;
      const claimIds = [c.mlsBest.id, c.d2G.id, c.d2V.id, c.d2T.id, ...(vgg ? [] : [CLAIM.d6.id])];
      if (runs.length < 2)
        return {
          figures: [],
          notes,
          checks,
          unassessed: Object.fromEntries(
            claimIds.map((k) => [k, `${runs.length} run(s) did not diverge; correlations need ≥ 4`]),
          ),
        };
      const quantities: { label: string; get: (k: ChenCheckpoint) => number }[] = [
        { label: "local dim", get: (k) => k.train.localDim },
        {
          label: o.definitions === "authors-code" ? "√S (20 inputs)" : "√sharpness",
          get: (k) => k.train.sqrtSharpness,
        },
        { label: "log volume", get: (k) => k.train.logVolume },
        { label: "G", get: (k) => k.train.G },
        { label: "MLS", get: (k) => k.train.mls },
        { label: "test loss", get: (k) => k.testLoss },
        ...(vgg
          ? []
          : [
              { label: "bound C", get: (k: ChenCheckpoint) => k.bounds!.C },
              { label: "bound D", get: (k: ChenCheckpoint) => k.bounds!.D },
            ]),
      ];
      const values = quantities.map((q) => runs.map((r) => q.get(final(r))));
      const rho = values.map((a) => values.map((b) => pearson(a, b)));
      const nq = quantities.length;
      const annotations: Layout["annotations"] & object = [];
      for (let i = 0; i < nq; i++)
        for (let j = 0; j < nq; j++) {
          if (i === j) continue;
          annotations.push({
            xref: "paper",
            yref: "paper",
            x: (j + 0.05) / nq,
            y: 1 - (i + 0.05) / nq,
            xanchor: "left",
            yanchor: "top",
            showarrow: false,
            text: `ρ=${fmt(rho[i][j], 2)}`,
            font: { size: 9, color: Math.abs(rho[i][j]) > 0.5 ? "#b00" : "#555" },
          });
        }
      // one trace per (learning rate, batch size) setting, so the legend names the colours
      const traces: Trace[] = settings
        .map((s, si) => ({
          s,
          si,
          idx: runs.map((r, i) => (r.lr === s.lr && r.batch === s.batch ? i : -1)).filter((i) => i >= 0),
        }))
        .filter((g) => g.idx.length)
        .map(({ s, si, idx }) => ({
          type: "splom",
          name: `lr ${s.lr}, batch ${s.batch}`,
          dimensions: quantities.map((q, k) => ({ label: q.label, values: idx.map((i) => values[k][i]) })),
          text: idx.map((i) => `seed ${runs[i].seed}`),
          marker: { size: 6, color: colour(si), line: { width: 0 } },
          diagonal: { visible: false },
          showupperhalf: true,
        }));
      const layout = houseLayout({
        title:
          `${fig} — pairwise scatter of the final states of ${runs.length} ${vgg ? "VGG" : "MLP"} ` +
          `runs (learning rate, batch size, seed varied), Pearson ρ over all runs in each panel`,
        x: { title: "" },
        y: { title: "" },
        width: 1080,
        height: 1000,
        legendTitle: "setting",
      });
      delete layout.xaxis;
      delete layout.yaxis;
      // the splom's axis titles at 12 px: six of them share a row, which a notebook draws about 900 pixels wide
      quantities.forEach((_, k) => {
        const s = k ? String(k + 1) : "";
        slots(layout)[`xaxis${s}`] = { title: { font: { size: 12 } } };
        slots(layout)[`yaxis${s}`] = { title: { font: { size: 12 } } };
      });
      layout.annotations = annotations;
      layout.dragmode = "select";
      const rhoLayout = houseLayout({
        title: `${fig} — Pearson ρ between the final-state quantities (${runs.length} ${vgg ? "VGG" : "MLP"} runs)`,
        x: { title: "" },
        y: { title: "" },
        width: 720,
        height: 620,
      });
      // category labels: on the house layout's linear axes a heatmap of labels draws nothing
      rhoLayout.xaxis = { ...(rhoLayout.xaxis as object), type: "category" };
      rhoLayout.yaxis = { ...(rhoLayout.yaxis as object), type: "category", autorange: "reversed" };
      rhoLayout.margin = { ...(rhoLayout.margin as object), l: 110, b: 90 };
      const heat: Trace = {
        type: "heatmap",
        z: rho,
        x: quantities.map((q) => q.label),
        y: quantities.map((q) => q.label),
        zmin: -1,
        zmax: 1,
        colorscale: "RdBu",
        reversescale: true,
        text: rho.map((r) =>
          r.map((v) => fmt(v, 2)),
        ) as unknown as string[] /* a heatmap takes 2-D text; the types say 1-D */,
        texttemplate: "%{text}",
        hoverinfo: "x+y+z",
      };
      const fs: FinalStates = {
        sqrtS: runs.map((r) => final(r).train.sqrtSharpness),
        logV: runs.map((r) => final(r).train.logVolume),
        G: runs.map((r) => final(r).train.G),
        mls: runs.map((r) => final(r).train.mls),
        localDim: runs.map((r) => final(r).train.localDim),
        testLoss: runs.map((r) => final(r).testLoss),
        C: runs.map((r) => final(r).bounds?.C ?? NaN),
        D: runs.map((r) => final(r).bounds?.D ?? NaN),
        Ca: runs.map((r) => final(r).bounds?.Ca ?? NaN),
        Da: runs.map((r) => final(r).bounds?.Da ?? NaN),
        K: runs[0].K,
        setting: runs.map((r) => `lr ${r.lr} batch ${r.batch}`),
      };
      return {
        figures: [
          new Figure(`${id}-correlations`, traces, layout).toJSON(),
          new Figure(`${id}-rho`, [heat], rhoLayout).toJSON(),
        ],
        tables: [
          {
            title: `${fig}: final state of every ${vgg ? "VGG" : "MLP"} run`,
            columns: [
              "lr",
              "batch",
              "seed",
              "train loss",
              "train acc",
              "test loss",
              "test acc",
              ...quantities.filter((q) => q.label !== "test loss").map((q) => q.label),
            ],
            rows: runs.map((r) => {
              const k = final(r);
              return [
                r.lr,
                r.batch,
                r.seed,
                k.trainLoss,
                k.trainAcc,
                k.testLoss,
                k.testAcc,
                ...quantities.filter((q) => q.label !== "test loss").map((q) => q.get(k)),
              ];
            }),
          },
        ],
        checks,
        notes,
        evidence: Object.fromEntries(claimIds.map((k) => [k, fs])),
      };
    },
  });
}

/** Fig. D.5: the VGG runs' final states. */
export const figD5 = correlationsPart("vgg", "figD5", "Fig. D.5");
/** Fig. D.6: the MLP runs' final states. */
export const figD6 = correlationsPart("mlp", "figD6", "Fig. D.6");
