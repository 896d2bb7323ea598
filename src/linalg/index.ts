/** Float64 dense linear algebra: LAPACK/BLAS through an N-API addon, with a pure-TypeScript fallback. */
export { Matrix, LinalgError, symmetrize } from "./matrix";
export * from "./ops";
export {
  backend,
  useBackend,
  nativeAvailable,
  nativeStatus,
  setThreads,
  getThreads,
  EIGVALSH_TWO_STAGE_MIN_N,
  useTwoStageEigvalsh,
} from "./kernels";
export type { BackendName } from "./kernels";
