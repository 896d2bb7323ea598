/**
 * One call per experiment: options are merged as paper defaults ← preset ← the caller's values,
 * validated before any work (errors name the option and the allowed values), looked up in the
 * content-addressed cache, computed with progress when missing, and returned as an
 * `ExperimentResult` that renders itself and serialises to JSON.
 */
import type { ExperimentResult } from "../report/result";
import { checkEnvironment, envQueue } from "../util/env";
import { checkQueueUrl } from "../queue";
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

/**
 * A study as the framework runs it: its name, paper, options with the paper's defaults, presets, validation, and its
 * parts (figures) and claims. Studies are written with `defineStudy` (define.ts), which builds this from one
 * description and derives the calls.
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
  /** the paper's figures, each computed and cached on its own (src/experiments/parts.ts) */
  parts: AnyPart<O>[];
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
 * Runs a whole study: options resolved (paper defaults ← preset ← yours) and validated before any work, each figure
 * from the disk cache or computed (with progress and checkpoints), the claims judged; returns a result that renders
 * itself in a notebook and serialises to JSON.
 */
export async function runExperiment<O extends object>(
  def: ExperimentDefinition<O>,
  given: Partial<O> & RunControls = {},
): Promise<ExperimentResult> {
  return runStudyParts(def, given);
}
