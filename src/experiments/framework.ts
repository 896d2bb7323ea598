/**
 * One call per experiment: options are merged as paper defaults ← preset ← the caller's values,
 * validated before any work (errors name the option and the allowed values), looked up in the
 * content-addressed cache, computed with progress when missing, and returned as an
 * `ExperimentResult` that renders itself and serialises to JSON.
 */
import { ExperimentResult, ResultData, resultDataProblem } from "../report/result";
import { cacheKey, canonicalJson, readCache, writeCache, defaultCacheDir, packageVersion, codeHash } from "../cache";
import { runResultHook } from "../report/render";
import { withCheckpoints, clearCheckpoints } from "../parallel/checkpoint";
import * as path from "node:path";
import { checkEnvironment, envQueue } from "../util/env";
import { checkQueueUrl, withQueue } from "../queue";
import type { ClaimSet } from "../report/ledger";
import { runStudyParts, AnyPart, StudyIntro } from "./parts";

/**
 * "paper": the paper's settings (every option's default); "quick": smaller sizes for a first look in seconds to a
 * minute; "full": the authors' own budgets (steps, data sizes, seeds, as the papers and their code give them), far
 * beyond one machine: it asks for a job queue (option queue) unless `local` is set, and says its estimated CPU-hours
 * before it starts.
 */
export type Preset = "quick" | "paper" | "full";
/** The presets every study offers. */
export const PRESETS: readonly Preset[] = ["quick", "paper", "full"];

import { OptionError, showValue } from "../util/options";
export { OptionError };

/** Options every study and figure call takes besides its own: preset, cache use and folder. */
export interface RunControls {
  /** "paper" (default: the study's own settings) or "quick" (small, for a first look) */
  preset?: Preset;
  /** recompute even when a cached result exists */
  force?: boolean;
  /** use the on-disk cache (default true) */
  cache?: boolean;
  cacheDir?: string;
  /**
   * a job queue, redis://HOST:PORT (default: RANKSCOPE_QUEUE when set): the study's tasks run as jobs on
   * `rankscope worker` processes anywhere, and their results come back into this cache (src/queue)
   */
  queue?: string;
  /** preset "full" without a queue: run it here all the same (it says its estimated CPU-hours first) */
  local?: boolean;
}

/** What a study written as one computation returns (studies written as parts return `PartOutput`s instead). */
export type StudyOutput = Pick<ResultData, "figures" | "summary" | "tables" | "checks" | "notes"> &
  Partial<Pick<ResultData, "ledger" | "timings">>;

/**
 * A study: its name, paper, options with the paper's defaults, presets, validation, and its parts (figures) and claims.
 */
export interface ExperimentDefinition<O extends object> {
  name: string;
  title: string;
  /** the paper file in shared/papers it reproduces */
  paper: string;
  defaults: O;
  /** "full" defaults to the paper preset (a study whose authors give no larger budget) */
  presets: Record<"quick" | "paper", Partial<O>> & { full?: Partial<O> };
  /** throws OptionError for bad values */
  validate(options: O): void;
  /** a study written as one computation (older form); a study written as parts gives `parts` instead */
  run?(options: O): Promise<StudyOutput>;
  /** the paper's figures, each computed and cached on its own (src/experiments/parts.ts) */
  parts?: AnyPart<O>[];
  /** the study's data description and conventions, shown before its figures */
  intro?: StudyIntro<O, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** the study's claims (assessed from the parts' evidence) */
  claims?: ClaimSet;
  /**
   * the estimated single-thread CPU-hours of a run with these options (training steps × measured step times), with
   * what it counts; said before a "full" preset starts
   */
  estimate?(options: O): { cpuHours: number; detail: string } | undefined;
}

const CONTROL_KEYS = ["preset", "force", "cache", "cacheDir", "queue", "local"];

/**
 * Paper defaults ← preset ← the caller's values, validated. `scope.only` limits what the caller may set
 * (a figure's call accepts the options that figure reads); the error then names that figure.
 */
export function resolveOptions<O extends object>(
  def: ExperimentDefinition<O>,
  given: Partial<O> & RunControls = {},
  scope: { only?: (keyof O)[]; label?: string } = {},
): O {
  checkEnvironment();
  const label = scope.label ?? def.name;
  const preset = given.preset ?? "paper";
  if (!PRESETS.includes(preset))
    throw new OptionError(`${label}: option preset must be one of ${PRESETS.join(", ")}; got ${showValue(preset)}`);
  const allowed = Object.keys(def.defaults);
  const settable = scope.only ? (scope.only as string[]).filter((k) => allowed.includes(k)) : allowed;
  for (const k of Object.keys(given)) {
    if (!settable.includes(k) && !CONTROL_KEYS.includes(k)) {
      const elsewhere = allowed.includes(k) ? ` (${k} is an option of ${def.name}, not read by this figure)` : "";
      throw new OptionError(
        `${label}: unknown option "${k}"${elsewhere}; allowed: ${[...settable, ...CONTROL_KEYS].join(", ")}`,
      );
    }
  }
  for (const k of ["force", "cache"] as const)
    if (given[k] !== undefined && typeof given[k] !== "boolean")
      throw new OptionError(`${def.name}: option ${k} must be true or false; got ${showValue(given[k])}`);
  if (given.cacheDir !== undefined && (typeof given.cacheDir !== "string" || !given.cacheDir.trim()))
    throw new OptionError(`${def.name}: option cacheDir must be a folder path; got ${showValue(given.cacheDir)}`);
  if (given.queue !== undefined) checkQueueUrl(given.queue, `${def.name}: option queue`);
  if (given.local !== undefined && typeof given.local !== "boolean")
    throw new OptionError(`${def.name}: option local must be true or false; got ${showValue(given.local)}`);
  const merged = { ...def.defaults, ...(def.presets[preset] ?? {}) } as O;
  for (const k of allowed)
    if ((given as Record<string, unknown>)[k] !== undefined)
      (merged as Record<string, unknown>)[k] = (given as Record<string, unknown>)[k];
  def.validate(merged);
  return merged;
}

/** The queue a study call's tasks go to: its option queue, else RANKSCOPE_QUEUE, else none (run here). */
export function queueOf(given: RunControls): string | undefined {
  return given.queue ?? envQueue();
}

/**
 * Before a study or figure call starts: for preset "full", its estimated CPU-hours said, and a refusal without a queue
 * unless `local` is set. Returns the queue to run the tasks on (undefined: here).
 */
export function planRun<O extends object>(
  def: ExperimentDefinition<O>,
  options: O,
  given: RunControls,
  log: (s: string) => void = (s) => process.stderr.write(`rankscope: ${s}\n`),
): string | undefined {
  const queue = queueOf(given);
  if (given.preset !== "full") return queue;
  const est = def.estimate?.(options);
  const hours = est ? `about ${est.cpuHours < 10 ? est.cpuHours.toFixed(1) : Math.round(est.cpuHours)} CPU-hours` : "";
  if (est) log(`${def.name}, preset full (the authors' budgets): ${hours} (${est.detail})`);
  if (!queue && !given.local)
    throw new OptionError(
      `${def.name}: preset "full" is the authors' budget${est ? `, ${hours}` : ""}: give a job queue ` +
        `(option queue / --queue redis://HOST:PORT / RANKSCOPE_QUEUE, with \`rankscope worker\` processes) or set ` +
        `option local (--local) to run it on this machine all the same`,
    );
  return queue;
}

/**
 * The cache key of a study run: its name, its resolved options without `workers` (the worker count
 * changes how fast, not what, a study computes; results are identical by design), the package version
 * and a hash of the compiled library (so a code change never serves a stale result).
 */
export function experimentCacheKey(name: string, options: object): string {
  const { workers: _workers, ...keyed } = options as Record<string, unknown>;
  return cacheKey(name, keyed, `${packageVersion()} ${codeHash()}`);
}

/**
 * Runs a whole study: options resolved (paper defaults ← preset ← yours) and validated before any work, each figure
 * from the disk cache or computed (with progress and checkpoints), the claims judged; returns a result that renders
 * itself in a notebook and serialises to JSON.
 */
export async function runExperiment<O extends object>(
  def: ExperimentDefinition<O>,
  given: Partial<O> & RunControls = {},
  log: (s: string) => void = (s) => process.stderr.write(`rankscope: ${s}\n`),
): Promise<ExperimentResult> {
  if (def.parts) return runStudyParts(def, given);
  if (!def.run) throw new Error(`${def.name}: the study defines neither parts nor run`);
  const run = def.run.bind(def);
  const options = resolveOptions(def, given);
  return withQueue(planRun(def, options, given, log), () => runWhole(def, run, options, given, log), def.name);
}

async function runWhole<O extends object>(
  def: ExperimentDefinition<O>,
  run: (o: O) => Promise<StudyOutput>,
  options: O,
  given: Partial<O> & RunControls,
  log: (s: string) => void,
): Promise<ExperimentResult> {
  const useCache = given.cache ?? true;
  const dir = given.cacheDir ?? defaultCacheDir();
  const key = experimentCacheKey(def.name, options);
  // the preset this call started from and the options it changed (not part of the key: the same options
  // reached from another preset are the same computation, so a cache hit gets this call's labels)
  const preset = given.preset ?? "paper";
  const base = { ...def.defaults, ...(def.presets[preset] ?? {}) } as Record<string, unknown>;
  const changedOptions = Object.keys(def.defaults).filter(
    (k) => k !== "workers" && canonicalJson((options as Record<string, unknown>)[k]) !== canonicalJson(base[k]),
  );
  if (useCache && !given.force) {
    const hit = readCache<ResultData>(key, dir, resultDataProblem);
    if (hit.status === "hit") {
      const r = new ExperimentResult({ ...hit.value, preset, changedOptions });
      r.cached = true;
      await runResultHook(r);
      return r;
    }
    if (hit.status === "corrupt")
      log(`${def.name}: cache entry ${key.slice(0, 12)}… is unreadable (${hit.reason}); recomputing`);
  }
  const t0 = Date.now();
  // finished tasks are checkpointed under the cache folder, so an interrupted run resumes (same key = same computation)
  const partial = useCache ? path.join(dir, "partial", key) : undefined;
  if (partial && given.force) clearCheckpoints(partial); // force: recompute everything, checkpoints included
  const { value: out, restored } = await withCheckpoints(
    partial,
    () => run(options),
    (s) => log(`${def.name}: ${s}`),
  );
  if (restored) log(`${def.name}: ${restored} task(s) came from checkpoints of an interrupted run`);
  const data: ResultData = {
    experiment: def.name,
    title: def.title,
    preset,
    changedOptions,
    options: options as Record<string, unknown>,
    ...out,
    ledger: out.ledger ?? [],
    seconds: (Date.now() - t0) / 1000,
    version: packageVersion(),
  };
  if (useCache) {
    // a finished result is never thrown away because the cache cannot be written
    try {
      writeCache(key, data, dir);
    } catch (err) {
      const msg =
        `${def.name}: could not write the cache entry under ${dir} (${(err as Error).message}); ` +
        `the result is returned but not cached`;
      log(msg);
      process.emitWarning(msg);
    }
  }
  if (partial) clearCheckpoints(partial);
  const result = new ExperimentResult(JSON.parse(JSON.stringify(data)));
  await runResultHook(result);
  return result;
}

// ---- option validators (each error names the option and what is allowed) ----
/** Throws OptionError naming the option and its allowed values unless `value` is one of them. */
export function checkChoice(study: string, name: string, value: unknown, allowed: readonly unknown[]): void {
  if (!allowed.includes(value))
    throw new OptionError(
      `${study}: option ${name} must be one of ` +
        `${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${showValue(value)}`,
    );
}

/** Throws OptionError unless `value` is an integer in [min, max]. */
export function checkInt(study: string, name: string, value: unknown, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(
      `${study}: option ${name} must be an integer in [${min}, ` +
        `${max === Infinity ? "∞" : max}]; got ${showValue(value)}`,
    );
  }
}

/** Throws OptionError unless `value` is a list of at least `minLength` (default 1) integers ≥ min. */
export function checkIntList(
  study: string,
  name: string,
  value: unknown,
  min: number,
  opts: { minLength?: number } = {},
): void {
  if (
    !Array.isArray(value) ||
    value.length < (opts.minLength ?? 1) ||
    value.some((v) => !Number.isInteger(v) || v < min)
  ) {
    throw new OptionError(
      `${study}: option ${name} must be a list of at least ${opts.minLength ?? 1} integers ≥ ` +
        `${min}; got ${showValue(value)}`,
    );
  }
}

/** Throws OptionError unless `value` is a finite number in [min, max]. */
export function checkNumber(study: string, name: string, value: unknown, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new OptionError(
      `${study}: option ${name} must be a number in [${min}, ${max === Infinity ? "∞" : max}]; ` +
        `got ${showValue(value)}`,
    );
  }
}
