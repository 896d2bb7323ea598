/**
 * What the figures of the Singh et al. study share: the measurement arguments every figure starts from,
 * a sweep of measurements through the worker pool (with progress and checkpoints), and the counts of
 * configurations whose measured rank equals its formula.
 */
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { definePart } from "../parts";
import { MeasureArgs, Measurement, measureModule } from "./measure";
import type { HessianRankOptions } from "./options";
import type { ImageSource } from "../data-source";
import type { FormulaHits } from "./claims";

/** Declares one figure of this study (its options type checked). */
export const part = definePart<HessianRankOptions>();

/** The options every measurement reads: data, its pre-processing, input and output dimensions, initialisation. */
export const DATA_READS = ["source", "cifarDir", "inputs", "biasInputs", "downscale", "d", "K", "init"] as const;
type DataOptions = Pick<HessianRankOptions, (typeof DATA_READS)[number]>;

/**
 * This study's data: "auto" is CIFAR-10 when cifarDir is given (the paper's Fig. 2), else MNIST (the
 * paper's Fig. 3 and the authors' scripts' data; CIFAR-10 cannot be installed offline here).
 */
export function singhSource(o: Pick<HessianRankOptions, "source" | "cifarDir">): Exclude<ImageSource, "auto"> {
  if (o.source !== "auto") return o.source;
  return o.cifarDir ? "cifar10" : "mnist";
}

export function baseArgs(
  o: DataOptions,
): Omit<MeasureArgs, "hidden" | "n" | "activation" | "bias" | "loss" | "seed" | "parts"> {
  return {
    d: o.d,
    K: o.K,
    init: o.init,
    source: singhSource(o),
    cifarDir: o.cifarDir ?? undefined,
    inputs: o.inputs,
    biasInputs: o.biasInputs,
    downscale: o.downscale,
  };
}

export async function sweep(label: string, args: MeasureArgs[], workers: number): Promise<Measurement[]> {
  const bar = new Progress(label, args.length);
  const out = await mapTasks<Measurement>(
    args.map((a) => ({ module: measureModule, fn: "measure", args: a })),
    { workers, onDone: () => bar.tick() },
  );
  bar.finish();
  return out;
}

/** A sweep of one of measure.ts's other measurements (`measureBlocks`, `measureRelu`) through the worker pool. */
export async function sweepWith<R>(
  label: string,
  fn: "measureBlocks" | "measureRelu",
  args: MeasureArgs[],
  workers: number,
): Promise<R[]> {
  const bar = new Progress(label, args.length);
  const out = await mapTasks<R>(
    args.map((a) => ({ module: measureModule, fn, args: a })),
    { workers, onDone: () => bar.tick() },
  );
  bar.finish();
  return out;
}

/** Counts configurations whose measured rank of `part` equals its formula value. */
export function hits(label: string, res: Measurement[], part: "H" | "Ho" | "Hf"): FormulaHits["parts"][number] {
  const measured = res.filter((m) => m.ranks[part] !== undefined && (part !== "Hf" || m.formula.Hf !== undefined));
  const pred = (m: Measurement) => (part === "H" ? m.formula.H : part === "Ho" ? m.formula.Ho : m.formula.Hf!);
  return { label, holds: measured.filter((m) => m.ranks[part] === pred(m)).length, total: measured.length };
}

/** The three exact-formula claims fed by one figure's linear configurations. */
export function formulaEvidence(label: string, res: Measurement[]): Record<string, FormulaHits> {
  return {
    "fact7-rank-H": { parts: [hits(label, res, "H")] },
    "cor4-rank-Ho": { parts: [hits(label, res, "Ho")] },
    "cor6-rank-Hf": { parts: [hits(label, res, "Hf")] },
  };
}

/**
 * For each configuration whose measured rank misses its formula: the smallest eigenvalue the formula
 * counts (|λ|_(f)/λ_max) against the default tolerance p · eps, so the notes say whether a miss is a
 * tolerance effect (a true eigenvalue under the cut) or a larger or smaller bulk.
 */
export function misses(label: string, res: Measurement[], xs: (number | string)[]): string[] {
  const out: string[] = [];
  res.forEach((m, i) => {
    for (const part of ["H", "Ho", "Hf"] as const) {
      const got = m.ranks[part];
      const pred = part === "H" ? m.formula.H : part === "Ho" ? m.formula.Ho : m.formula.Hf;
      if (got === undefined || pred === undefined || got === pred) continue;
      const at = m.atFormula[part];
      const tol = m.p * Number.EPSILON;
      out.push(
        `${label} ${xs[i]}: rank ${part} ${got} vs formula ` +
          (String(pred) +
            String(
              at === undefined
                ? ""
                : `; |λ|_(f)/λ_max = ${at.toExponential(2)} ${at > tol ? ">" : "≤"} p·eps = ` +
                    `${tol.toExponential(2)}`,
            )),
      );
    }
  });
  return out;
}

/** The note a figure adds when some of its linear configurations miss a formula (none when all hold). */
export function missNotes(missed: string[], o: Pick<HessianRankOptions, "inputs" | "downscale">): string[] {
  return missed.length
    ? [
        `Linear configurations (no bias) whose measured rank misses its formula, with inputs ` +
          `${o.inputs}, ${o.downscale} downscaling: ${missed.join("; ")}.`,
      ]
    : [];
}

/**
 * Figs. 2a/2b: measured rank of H, H_o, H_f beside Fact 7, Cor. 4, Cor. 6 at each x; H_o and H_f only where
 * they were computed (every `fig2SplitEvery`-th configuration).
 */
export function rankSeries(x: number[], res: Measurement[]) {
  const sub = res.map((m, i) => [x[i], m] as const).filter(([, m]) => m.ranks.Ho !== undefined);
  const xs = sub.map(([v]) => v);
  return [
    { name: "H measured", x, y: res.map((m) => m.ranks.H!), colourIndex: 0 },
    { name: "H formula (Fact 7)", x, y: res.map((m) => m.formula.H), mode: "markers" as const, colourIndex: 0 },
    { name: "H_o measured", x: xs, y: sub.map(([, m]) => m.ranks.Ho!), colourIndex: 1 },
    {
      name: "H_o formula (Cor. 4)",
      x: xs,
      y: sub.map(([, m]) => m.formula.Ho),
      mode: "markers" as const,
      colourIndex: 1,
    },
    { name: "H_f measured", x: xs, y: sub.map(([, m]) => m.ranks.Hf!), colourIndex: 2 },
    {
      name: "H_f formula (Cor. 6)",
      x: xs,
      y: sub.map(([, m]) => m.formula.Hf!),
      mode: "markers" as const,
      colourIndex: 2,
    },
  ];
}
