/**
 * The five studies rankscope reproduces, in the order `reproduce` runs them: the one list of them. Each entry is the
 * study's own definition (`defineStudy` in `<study>/index.ts`); everything `reproduce`, `claims`, `figure`, `ledger`,
 * the notebooks and the tests need (name, title, paper, namespace, notebook, claims, calls) is read from it. A study
 * folder under src/experiments that is not listed here fails test/experiments/studies.test.ts (docs/adding-a-study.md).
 */
import type { Preset, RunControls } from "./framework";
import type { ExperimentResult } from "../report/result";
import type { AnyStudy } from "./define";
import { hessianRankStudy } from "./hessian-rank";
import { infoLossStudy } from "./info-loss";
import { flatnessCompressionStudy } from "./flatness-compression";
import { bottleneckStudy } from "./bottleneck";
import { localRankStudy } from "./local-rank";

/** The studies, in the order `reproduce` runs them. */
export const STUDIES: readonly AnyStudy[] = [
  hessianRankStudy,
  infoLossStudy,
  flatnessCompressionStudy,
  bottleneckStudy,
  localRankStudy,
];

/** What the command line needs of a study (a test passes stand-ins of this shape to `reproduce`). */
export type StudyEntry = Pick<AnyStudy, "name" | "namespace" | "title" | "paper" | "claims"> & {
  calls: { study(options?: { preset?: Preset } & RunControls): Promise<ExperimentResult> };
};

/** The study named `name` or by its namespace (`hessian-rank` or `singh`), or undefined. */
export function findStudy(name: string): AnyStudy | undefined {
  return STUDIES.find((s) => s.name === name || s.namespace === name);
}
