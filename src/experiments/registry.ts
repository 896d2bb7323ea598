/** The five studies rankscope reproduces. */
import type { ExperimentResult } from "../report/result";
import type { Preset, ExperimentDefinition } from "./framework";
import type { ClaimSet } from "../report/ledger";

/** One study in the registry that `reproduce`, `claims` and the notebooks runner iterate over. */
export interface StudyEntry {
  name: string;
  paper: string;
  title: string;
  /** undefined while the study is not implemented */
  run?: (preset: Preset, extra?: Record<string, unknown>) => Promise<ExperimentResult>;
  /** the paper's claims the study tests (its ledger, declared in `<study>/claims.ts`) */
  claims: () => ClaimSet;
  /** the public namespace of the study's per-figure calls (`rs.<namespace>.<figure>`), once it is written as parts */
  namespace?: string;
  /** the study's definition (options, presets, parts) */
  definition: () => ExperimentDefinition<object>;
}

/** The five studies, in the order `reproduce` runs them. */
export const STUDIES: StudyEntry[] = [
  {
    name: "hessian-rank",
    namespace: "singh",
    definition: () => require("./hessian-rank").hessianRankStudy,
    paper: "singh-2021-hessian-rank.md",
    title: "Hessian rank of neural networks",
    claims: () => require("./hessian-rank/claims").CLAIMS,
    run: (preset, extra) => require("./hessian-rank").hessianRank({ preset, ...(extra ?? {}) }),
  },
  {
    name: "info-loss",
    namespace: "hebbar",
    definition: () => require("./info-loss").infoLossStudy,
    paper: "hebbar-2022-information-loss-basin-flatness.txt",
    title: "Information loss and basin flatness",
    claims: () => require("./info-loss/claims").CLAIMS,
    run: (preset, extra) => require("./info-loss").infoLoss({ preset, ...(extra ?? {}) }),
  },
  {
    name: "flatness-compression",
    namespace: "chen",
    definition: () => require("./flatness-compression").flatnessCompressionStudy,
    paper: "chen-2024-flatness-compression.txt",
    title: "Flatness and compressed representations",
    claims: () => require("./flatness-compression/claims").CLAIMS,
    run: (preset, extra) => require("./flatness-compression").flatnessCompression({ preset, ...(extra ?? {}) }),
  },
  {
    name: "bottleneck",
    namespace: "jacot",
    definition: () => require("./bottleneck").bottleneckStudy,
    paper: "jacot-2023-bottleneck-structure.txt",
    title: "Bottleneck structure in deep L2-regularized networks",
    claims: () => require("./bottleneck/claims").CLAIMS,
    run: (preset, extra) => require("./bottleneck").bottleneck({ preset, ...(extra ?? {}) }),
  },
  {
    name: "local-rank",
    namespace: "patel",
    definition: () => require("./local-rank").localRankStudy,
    paper: "patel-2024-local-rank.md",
    title: "Local rank and information compression",
    claims: () => require("./local-rank/claims").CLAIMS,
    run: (preset, extra) => require("./local-rank").localRankExperiment({ preset, ...(extra ?? {}) }),
  },
];
