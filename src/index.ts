/**
 * rankscope: exact float64 curvature and representation-rank tools for reproducing studies of
 * loss-landscape flatness and rank, from notebooks (tslab), Node and the command line.
 *
 * Where things live: linear algebra `linalg`, networks `nets`, derivatives and Hessians `curvature`,
 * datasets `data`, representation metrics `metrics`, tfjs training `training`, figures `figures`,
 * export `save`, the papers' predictions as mathjs formulas `theory`, studies `hessianRank`, `rankExplorer`,
 * `infoLoss`, `flatnessCompression`, `bottleneck`, `localRankExperiment`, `STUDIES`.
 */
export * as linalg from "./linalg";
export * as nets from "./nets";
export * as curvature from "./curvature";
export * as data from "./data";
export * as figures from "./figures";
export * as metrics from "./metrics";
export * as training from "./training";
export * as theory from "./theory";
export { Matrix } from "./linalg";
export { Figure } from "./figures";
export { save, renderFigure, closeExporter, figureHtml, exporterStats } from "./export";
export type { SaveOptions } from "./export";
export { ExperimentResult } from "./report/result";
export type { Check, Table, ResultData } from "./report/result";
export { setRenderer, setResultHook } from "./report/render";
export { loadRecorded as recorded, ledgerTable, RecordedResult, LedgerComparison } from "./report/recorded";
export type { Provenance } from "./report/recorded";
export { ledgerExport, LedgerExport } from "./report/ledger-export";
export type { LedgerExportOptions } from "./report/ledger-export";
export type { LedgerEntry, Verdict, ClaimSpec, Assessment } from "./report/ledger";
export type { RichObject } from "./report/render";
export { Progress, setProgressSink, progressLine } from "./progress";
export type { ProgressState, ProgressSink } from "./progress";
export { runExperiment, resolveOptions, OptionError, PRESETS } from "./experiments/framework";
export type { Preset, RunControls, ExperimentDefinition } from "./experiments/framework";
export { STUDIES, findStudy } from "./experiments/registry";
export { defineStudy } from "./experiments/define";
export type { Study, StudySpec, StudyCalls, OptionRules } from "./experiments/define";
export { definePart } from "./experiments/parts";
export type { StudyPart, PartOutput, PartCall } from "./experiments/parts";
export { hessianRank, rankExplorer, hessianRankStudy, hessianRankDefaults, singh } from "./experiments/hessian-rank";
export type { HessianRankOptions, RankExplorerOptions } from "./experiments/hessian-rank";
export { infoLoss, infoLossStudy, infoLossDefaults, hebbar } from "./experiments/info-loss";
export type { InfoLossOptions } from "./experiments/info-loss";
export { solveToZeroLoss, behaviorNullSpace, walkNullSpace } from "./experiments/info-loss/solve";
export {
  flatnessCompression,
  flatnessCompressionStudy,
  flatnessCompressionDefaults,
  chen,
} from "./experiments/flatness-compression";
export type { FlatnessCompressionOptions } from "./experiments/flatness-compression";
export { bottleneck, bottleneckStudy, bottleneckDefaults, jacot } from "./experiments/bottleneck";
export type { BottleneckOptions } from "./experiments/bottleneck";
export { localRankExperiment, localRankStudy, localRankDefaults, patel } from "./experiments/local-rank";
export type { LocalRankStudyOptions } from "./experiments/local-rank";
export { gaussianIbCriticalBetas, trainGaussianVib } from "./experiments/local-rank/gaussian-vib";
export { cacheKey, defaultCacheDir, cached } from "./cache";
export { mapTasks } from "./parallel";
export { loadTf } from "./backend";
export type { Tf, TfHandle, TfBackendName } from "./backend";
export { Rng } from "./util/random";
export { EnvError, ENV_VARS } from "./util/env";
