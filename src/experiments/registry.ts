/** The five studies rankscope reproduces. */
import type { ExperimentResult } from "../report/result";
import type { Preset } from "./framework";
import type { ClaimSet } from "../report/ledger";

export interface StudyEntry {
  name: string;
  paper: string;
  title: string;
  /** undefined while the study is not implemented */
  run?: (preset: Preset, extra?: Record<string, unknown>) => Promise<ExperimentResult>;
  /** the paper's claims the study tests (its ledger, declared in `<study>/claims.ts`) */
  claims: () => ClaimSet;
}

export const STUDIES: StudyEntry[] = [
  {
    name: "hessian-rank",
    paper: "singh-2021-hessian-rank.md",
    title: "Hessian rank of neural networks",
    claims: () => require("./hessian-rank/claims").CLAIMS,
    run: (preset, extra) => require("./hessian-rank").hessianRank({ preset, ...(extra ?? {}) }),
  },
  {
    name: "info-loss",
    paper: "hebbar-2022-information-loss-basin-flatness.txt",
    title: "Information loss and basin flatness",
    claims: () => require("./info-loss/claims").CLAIMS,
    run: (preset, extra) => require("./info-loss").infoLoss({ preset, ...(extra ?? {}) }),
  },
  {
    name: "flatness-compression",
    paper: "chen-2024-flatness-compression.txt",
    title: "Flatness and compressed representations",
    claims: () => require("./flatness-compression/claims").CLAIMS,
    run: (preset, extra) => require("./flatness-compression").flatnessCompression({ preset, ...(extra ?? {}) }),
  },
  {
    name: "bottleneck",
    paper: "jacot-2023-bottleneck-structure.txt",
    title: "Bottleneck structure in deep L2-regularized networks",
    claims: () => require("./bottleneck/claims").CLAIMS,
    run: (preset, extra) => require("./bottleneck").bottleneck({ preset, ...(extra ?? {}) }),
  },
  {
    name: "local-rank",
    paper: "patel-2024-local-rank.md",
    title: "Local rank and information compression",
    claims: () => require("./local-rank/claims").CLAIMS,
    run: (preset, extra) => require("./local-rank").localRankExperiment({ preset, ...(extra ?? {}) }),
  },
];
