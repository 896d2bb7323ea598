/** The five studies rankscope reproduces. */
import type { ExperimentResult } from "../report/result";
import type { Preset } from "./framework";

export interface StudyEntry {
  name: string;
  paper: string;
  title: string;
  /** undefined while the study is not implemented */
  run?: (preset: Preset, extra?: Record<string, unknown>) => Promise<ExperimentResult>;
}

export const STUDIES: StudyEntry[] = [
  {
    name: "hessian-rank",
    paper: "singh-2021-hessian-rank.md",
    title: "Hessian rank of neural networks",
    run: (preset, extra) => require("./hessian-rank").hessianRank({ preset, ...(extra ?? {}) }),
  },
  {
    name: "info-loss",
    paper: "hebbar-2022-information-loss-basin-flatness.txt",
    title: "Information loss and basin flatness",
    run: (preset, extra) => require("./info-loss").infoLoss({ preset, ...(extra ?? {}) }),
  },
  {
    name: "flatness-compression",
    paper: "chen-2024-flatness-compression.txt",
    title: "Flatness and compressed representations",
    run: (preset, extra) => require("./flatness-compression").flatnessCompression({ preset, ...(extra ?? {}) }),
  },
  {
    name: "bottleneck",
    paper: "jacot-2023-bottleneck-structure.txt",
    title: "Bottleneck structure in deep L2-regularized networks",
    run: (preset, extra) => require("./bottleneck").bottleneck({ preset, ...(extra ?? {}) }),
  },
  {
    name: "local-rank",
    paper: "patel-2024-local-rank.md",
    title: "Local rank and information compression",
    run: (preset, extra) => require("./local-rank").localRankExperiment({ preset, ...(extra ?? {}) }),
  },
];
