/**
 * The kernel contract shared by the LAPACK addon and the pure-TypeScript fallback, and the
 * selection between them. All buffers are row-major Float64Arrays; shapes are checked by ops.ts.
 */
import { showValue } from "../util/options";
import * as path from "node:path";
import * as fs from "node:fs";
import { fallbackKernels } from "./fallback";
import { envLinalg } from "../util/env";

export interface EighRaw {
  /** ascending */
  values: Float64Array;
  /** n×n row-major; column j is the eigenvector of values[j]; empty when not asked for */
  vectors: Float64Array;
}

export interface SvdRaw {
  /** descending, length min(m, n) */
  s: Float64Array;
  /** m×k row-major (thin); empty when not asked for */
  u: Float64Array;
  /** k×n row-major; empty when not asked for */
  vt: Float64Array;
}

export interface LinalgKernels {
  name: "lapack" | "typescript";
  gemm(
    A: Float64Array,
    m: number,
    k: number,
    transA: boolean,
    B: Float64Array,
    n: number,
    transB: boolean,
    alpha: number,
  ): Float64Array;
  syrk(A: Float64Array, rows: number, cols: number, trans: boolean, alpha: number): Float64Array;
  eigh(A: Float64Array, n: number, wantVectors: boolean): EighRaw;
  /**
   * the addon only: eigenvalues by the two-stage reduction (dsyevd_2stage); `eigh` uses it for n ≥
   * EIGVALSH_TWO_STAGE_MIN_N without vectors
   */
  eigvalsh2stage?(A: Float64Array, n: number): Float64Array;
  svd(A: Float64Array, m: number, n: number, wantVectors: boolean): SvdRaw;
  solve(A: Float64Array, n: number, B: Float64Array, nrhs: number): Float64Array;
  lstsq(
    A: Float64Array,
    m: number,
    n: number,
    B: Float64Array,
    nrhs: number,
    rcond: number,
  ): { x: Float64Array; rank: number };
  setThreads?(n: number): number;
  getThreads?(): number;
}

/**
 * The two linear-algebra paths: "lapack" (the N-API addon over OpenBLAS/LAPACKE) or "typescript" (the pure-TypeScript
 * fallback).
 */
export type BackendName = LinalgKernels["name"];

let nativeKernels: LinalgKernels | null | undefined;
let nativeLoadError = "";

/** Finds build/Release/rankscope_lapack.node from the package root (works from src/ and dist/src/). */
function loadNative(): LinalgKernels | null {
  if (nativeKernels !== undefined) return nativeKernels;
  nativeKernels = null;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, "build", "Release", "rankscope_lapack.node");
    if (fs.existsSync(candidate)) {
      try {
        const addon = require(candidate);
        nativeKernels = { name: "lapack", ...addon } as LinalgKernels;
        if (typeof addon.eigvalsh2stage === "function") {
          // eigenvalues only, n ≥ EIGVALSH_TWO_STAGE_MIN_N, one BLAS thread: LAPACK's two-stage reduction (see
          // eigvalsh2stage in the addon and useTwoStageEigvalsh below)
          const one = addon.eigh as LinalgKernels["eigh"];
          const two = addon.eigvalsh2stage as (A: Float64Array, n: number) => Float64Array;
          const threads = addon.getThreads as (() => number) | undefined;
          nativeKernels.eigh = (A, n, wantVectors) =>
            !wantVectors && useTwoStageEigvalsh(n, threads ? threads() : 1)
              ? { values: two(A, n), vectors: new Float64Array(0) }
              : one(A, n, wantVectors);
        }
      } catch (err) {
        nativeLoadError = `could not load ${candidate}: ${(err as Error).message}`;
      }
      return nativeKernels;
    }
    dir = path.dirname(dir);
  }
  nativeLoadError = "build/Release/rankscope_lapack.node not found (run the set-up command or `npx node-gyp rebuild`)";
  return nativeKernels;
}

/**
 * From this n on, eigenvalues without vectors (eigvalsh, symmetric ranks) use LAPACK's two-stage tridiagonal
 * reduction (dsyevd_2stage) instead of dsyevd, when OpenBLAS runs on one thread. Measured on this machine, the addon's
 * work copy, time relative to dsyevd's: one thread 1.43× at n = 1000, 1.46× at 1500, 0.99–1.07× at 2000, 0.70–0.84×
 * at 2720, 0.58× at 4000, 0.53× at 5200; two threads 1.70× at 2000, 1.36× at 2720, 1.24× at 4000, 0.84× at 6000,
 * 1.03× at 8000 (dsyevd's reduction runs its BLAS on both threads, the band-to-tridiagonal stage does not), so with
 * two or more threads dsyevd stays. Eigenvalues agree to 3e-14·max|λ|.
 */
export const EIGVALSH_TWO_STAGE_MIN_N = 2048;

/**
 * Whether eigenvalues of an n×n symmetric matrix, without vectors, go to the two-stage reduction at this thread count.
 */
export function useTwoStageEigvalsh(n: number, threads: number): boolean {
  return n >= EIGVALSH_TWO_STAGE_MIN_N && threads <= 1;
}

let active: LinalgKernels | undefined;

function initialChoice(): LinalgKernels {
  const forced = envLinalg();
  if (forced === "typescript") return fallbackKernels;
  const native = loadNative();
  if (forced === "lapack" && !native)
    throw new Error(`RANKSCOPE_LINALG=lapack but the addon is unavailable: ${nativeLoadError}`);
  return native ?? fallbackKernels;
}

export function kernels(): LinalgKernels {
  if (!active) active = initialChoice();
  return active;
}

/** Which linear-algebra path is active: "lapack" (N-API addon over OpenBLAS) or "typescript". */
export function backend(): BackendName {
  return kernels().name;
}

/** Whether the LAPACK addon could be loaded (independently of which backend is active). */
export function nativeAvailable(): boolean {
  return loadNative() !== null;
}

/** Why the addon is unavailable, or "" when it loaded. */
export function nativeStatus(): string {
  loadNative();
  return nativeLoadError;
}

/**
 * Switches the active path. "typescript" always works; "lapack" throws when the addon is absent.
 * The environment variable RANKSCOPE_LINALG=typescript selects the fallback at start-up.
 */
export function useBackend(name: BackendName): void {
  if (name === "typescript") {
    active = fallbackKernels;
    return;
  }
  if (name === "lapack") {
    const native = loadNative();
    if (!native) throw new Error(`useBackend: the LAPACK addon is unavailable: ${nativeLoadError}`);
    active = native;
    return;
  }
  throw new Error(`useBackend: unknown backend "${name}"; allowed: "lapack", "typescript"`);
}

/** The OpenBLAS thread count (1 on the fallback). */
export function getThreads(): number {
  const native = loadNative();
  return native?.getThreads ? native.getThreads() : 1;
}

/** The largest thread count `setThreads` accepts. */
export const MAX_THREADS = 1024;

/**
 * Sets the OpenBLAS thread count (no-op on the fallback, which is single-threaded); n must be an integer in
 * [1, MAX_THREADS].
 */
export function setThreads(n: number): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    throw new Error(
      `setThreads: the thread count must be an integer in [1, ${MAX_THREADS}]; got ${showValue(n)}` +
        ` (this machine has ${require("node:os").cpus().length} cores)`,
    );
  const native = loadNative();
  return native?.setThreads ? native.setThreads(n) : 1;
}
