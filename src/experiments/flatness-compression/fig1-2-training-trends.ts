/**
 * Figs. 1 and 2 (the VGG) and their MLP counterparts Figs. E.8 and E.7: train loss, test accuracy,
 * √sharpness, log volume, G and local dimensionality over SGD training, for learning rates at batch 20
 * (Figs. 1, E.8) and batch sizes at learning rate 0.1 (Figs. 2, E.7); mean ± sd over seeds.
 * Feeds the sweep claims (final √S by setting) and the per-run claims on the runs drawn (fall after
 * interpolation, G tracking S, local dimensionality at interpolation), which Figs. 1 and 2 (or E.7 and
 * E.8) share: their base setting is one set of runs, counted once.
 */
import { ChenRun } from "./run";
import { CLAIM, FallTogether } from "./claims";
import { PartOutput } from "../parts";
import { pearson } from "../../util/stats";
import {
  part,
  MLP_READS,
  VGG_READS,
  Model,
  Setting,
  trainRuns,
  finite,
  group,
  final,
  interpolationCheckpoint,
  interpolationIndex,
  p99Index,
  seriesFrom,
  runLabel,
  trendPanels,
  trendsFigure,
  unitsNote,
  keyed,
  progressTable,
  metricsTable,
  fmt,
} from "./shared";

type Sweep = "lr" | "batch";

interface SweepOptions {
  lrs: number[];
  batches: number[];
  baseLr: number;
  baseBatch: number;
}

/** The runs' per-run evidence for the pooled claims of `model`. */
export function perRunEvidence(model: Model, runs: ChenRun[]): Record<string, unknown> {
  const c = model === "vgg" ? CLAIM.vgg : CLAIM;
  const at = new Map(runs.map((r) => [r, interpolationCheckpoint(r)]));
  const reached = runs.filter((r) => at.get(r));
  const onset = (r: ChenRun) => interpolationIndex(r).index;
  // the looser onset (≥ 99 % training accuracy), on the same runs
  const p99 = (r: ChenRun) => r.checkpoints[Math.max(0, p99Index(r))];
  const fall: FallTogether = {
    dSqrtS: reached.map((r) => final(r).train.sqrtSharpness - at.get(r)!.train.sqrtSharpness),
    dLogV: reached.map((r) => final(r).train.logVolume - at.get(r)!.train.logVolume),
    keys: reached.map(runLabel),
    sqrtSSeries: reached.map((r) => seriesFrom(r, onset(r), (k) => k.train.sqrtSharpness)),
    logVSeries: reached.map((r) => seriesFrom(r, onset(r), (k) => k.train.logVolume)),
    p99: {
      dSqrtS: reached.map((r) => final(r).train.sqrtSharpness - p99(r).train.sqrtSharpness),
      dLogV: reached.map((r) => final(r).train.logVolume - p99(r).train.logVolume),
    },
  };
  return {
    [c.fallTogether.id]: fall,
    [c.localDim.id]: keyed(runs, (r) =>
      at.get(r) ? at.get(r)!.train.localDim - r.checkpoints[0].train.localDim : undefined,
    ),
    [c.gTracks.id]: keyed(runs, (r) =>
      pearson(
        r.checkpoints.map((k) => k.train.G),
        r.checkpoints.map((k) => k.train.S),
      ),
    ),
  };
}

function trendsPart(model: Model, sweep: Sweep, id: string, fig: string) {
  const vgg = model === "vgg";
  const reads = [
    ...(vgg ? VGG_READS : MLP_READS),
    ...(sweep === "lr" ? [vgg ? "vggLearningRates" : "learningRates"] : [vgg ? "vggBatchSizes" : "batchSizes"]),
  ] as const;
  return part({
    id,
    title: `${fig} — ${vgg ? "VGG" : "MLP"} training trends over ${sweep === "lr" ? "learning rates" : "batch sizes"}`,
    reads: reads as unknown as (
      | (typeof VGG_READS)[number]
      | (typeof MLP_READS)[number]
      | "vggLearningRates"
      | "learningRates"
      | "vggBatchSizes"
      | "batchSizes"
    )[],
    async run(o): Promise<PartOutput> {
      const so: SweepOptions =
        sweep === "lr"
          ? { lrs: vgg ? o.vggLearningRates : o.learningRates, batches: [], baseLr: o.baseLr, baseBatch: o.baseBatch }
          : { lrs: [], batches: vgg ? o.vggBatchSizes : o.batchSizes, baseLr: o.baseLr, baseBatch: o.baseBatch };
      const settings: Setting[] =
        sweep === "lr"
          ? so.lrs.map((lr) => ({ lr, batch: so.baseBatch }))
          : so.batches.map((batch) => ({ lr: so.baseLr, batch }));
      const all = await trainRuns(o as never, model, settings, fig);
      const { ok, note } = finite(all);
      const notes: string[] = [];
      if (note) notes.push(note);
      if (!ok.length)
        return {
          figures: [],
          notes,
          unassessed: { [(vgg ? CLAIM.vgg : CLAIM)[sweep === "lr" ? "lr" : "batch"].id]: "every run diverged" },
        };
      const r0 = ok[0];
      const seeds = vgg ? o.vggSeeds : o.seeds;
      const groups = settings
        .map((s) => {
          const n = group(all, s).length;
          const runs = group(ok, s);
          const label = sweep === "lr" ? `lr ${s.lr}` : `batch ${s.batch}`;
          return { label: runs.length < n ? `${label} (${n - runs.length} of ${n} seeds diverged)` : label, runs };
        })
        .filter((g) => g.runs.length);
      const arch = vgg
        ? `VGG-style [${o.vggLayers.join(", ")}] + [${o.vggHidden.join(", ")}], p = ${r0.p}, on ` +
          `${r0.source} classes [${o.vggClasses}] (${o.vggTrain} images)`
        : `MLP [${[r0.d, ...o.hidden, r0.K].join(", ")}] ${o.activation}, p = ${r0.p}, on ` +
          `${r0.source} classes [${o.mlpClasses}] (${o.nTrain} ` +
          `images)${o.mlpLayer === "output" ? "" : `, metrics of hidden layer ${o.mlpLayer}`}`;
      const what =
        sweep === "lr"
          ? `SGD at batch ${o.baseBatch}, learning rates ${so.lrs.join(", ")}`
          : `SGD at lr ${o.baseLr}, batch sizes ${so.batches.join(", ")}`;
      const figure = trendsFigure(
        `${id}-${vgg ? "vgg" : "mlp"}-${sweep === "lr" ? "learning-rates" : "batch-sizes"}`,
        `${fig} — ${arch}: ${what} (mean ± sd over ${seeds} seed${seeds > 1 ? "s" : ""}; metrics ` +
          `on ${o.nEval} training ` +
          `inputs${vgg ? `, Eq. 3 on the first ${o.vggSharpnessSamples}` : ""})`,
        groups,
        trendPanels(o),
        sweep === "lr" ? "learning rate" : "batch size",
      );
      const c = vgg ? CLAIM.vgg : CLAIM;
      const sweepClaim = sweep === "lr" ? c.lr : c.batch;
      const evidence: Record<string, unknown> = {
        [sweepClaim.id]: {
          groups: settings.map((s) => ({
            value: sweep === "lr" ? s.lr : s.batch,
            sqrtS: group(ok, s).map((r) => final(r).train.sqrtSharpness),
          })),
        },
        ...perRunEvidence(model, ok),
      };
      const zeroStep = (r: ChenRun) => r.checkpoints.find((k) => k.trainAcc === 1)?.step;
      const zero = ok.filter((r) => zeroStep(r) !== undefined).length;
      const steps = vgg ? o.vggSteps : o.steps;
      const longer = ok.filter((r) => final(r).step > steps);
      const continued =
        vgg && o.vggMaxSteps > o.vggSteps
          ? ` ${longer.length} of them trained past step ${steps}: after the first check with zero training error ` +
            `at step t₀ a run trains max(${o.vggAfterZero}, ${o.vggAfterZeroRatio} × t₀) steps more (at most ` +
            `${o.vggMaxSteps} in all; options vggAfterZero, vggAfterZeroRatio, vggMaxSteps), with checkpoints at ¼, ½, ` +
            `¾ and all of that window, drawn dotted each: ` +
            `${longer.map((r) => `${runLabel(r)} zero error at ${zeroStep(r) ?? "—"}, stopped at ${final(r).step}`).join("; ") || "none"}.`
          : "";
      notes.push(
        unitsNote(o, r0.K, model),
        `${zero} of ${ok.length} runs reached zero training error (within ` +
          `${Math.max(...ok.map((r) => final(r).step))} steps); final training loss ` +
          `${fmt(Math.min(...ok.map((r) => final(r).trainLoss)), 2)}–${fmt(Math.max(...ok.map((r) => final(r).trainLoss)), 2)} ` +
          `(the run table says how far each got).${continued}`,
      );
      return {
        figures: [figure.toJSON()],
        tables: [
          progressTable(`${fig}: how far each run got`, all),
          metricsTable(`${fig}: metrics of every run at every checkpoint`, all),
        ],
        notes,
        evidence,
        timings: { "training and metrics, summed over runs": +all.reduce((a, r) => a + r.seconds, 0).toFixed(1) },
      };
    },
  });
}

/** Fig. 1: the VGG at batch 20 over learning rates. */
export const fig1 = trendsPart("vgg", "lr", "fig1", "Fig. 1");
/** Fig. 2: the VGG at learning rate 0.1 over batch sizes. */
export const fig2 = trendsPart("vgg", "batch", "fig2", "Fig. 2");
/** Fig. E.8: the MLP at batch 20 over learning rates. */
export const figE8 = trendsPart("mlp", "lr", "figE8", "Fig. E.8");
/** Fig. E.7: the MLP at learning rate 0.1 over batch sizes. */
export const figE7 = trendsPart("mlp", "batch", "figE7", "Fig. E.7");
