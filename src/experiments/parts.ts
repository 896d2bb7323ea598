/**
 * A study as its paper's figures. Each part (one figure, or a close group that shares one computation)
 * declares the options it reads, computes its figures and tables and the measurements its claims need,
 * and is cached on its own: `rs.singh.fig2a({ sweepN: [...] })` recomputes Fig. 2a only, and the
 * whole-study call (`reproduce`, `rs.hessianRank()`) runs every part through the same cache, so a
 * figure computed in a notebook cell is not computed again by the study, and the reverse.
 *
 * Claims are assessed from the parts' measurements ("evidence"): a claim fed by one part is assessed on
 * it; a claim fed by several (e.g. a rank formula checked in Figs. 1, 2a, 2b and 3) declares `combine`,
 * which joins the parts' measurements before its rule is applied. A figure called alone gets the
 * verdicts of the claims it feeds, on its own measurements (labelled so).
 */
import * as path from "node:path";
import type { FigureSpec } from "../figures/figure";
import { Check, Table, ResultData, ExperimentResult, resultPartsProblem } from "../report/result";
import { ClaimSet, ClaimSpec, LedgerEntry, assessClaim } from "../report/ledger";
import { canonicalJson, readCache, writeCache, defaultCacheDir, cacheKey, packageVersion, codeHash } from "../cache";
import { withCheckpoints, clearCheckpoints } from "../parallel/checkpoint";
import { runResultHook } from "../report/render";
import type { ExperimentDefinition, RunControls, Preset } from "./framework";
import { resolveOptions, planRun } from "./framework";
import { withQueue } from "../queue";

/** What one part of a study produces. */
export interface PartOutput {
  figures: FigureSpec[];
  summary?: ResultData["summary"];
  tables?: Table[];
  /** software checks (a failure is a bug) */
  checks?: Check[];
  notes?: string[];
  /** measurements for the study's claims, by claim id (the claim's `assess` reads it) */
  evidence?: Record<string, unknown>;
  /** claims this part feeds but could not measure in this run, with why */
  unassessed?: Record<string, string>;
  /** wall seconds of sub-steps, if the part wants them reported */
  timings?: Record<string, number>;
}

/** `workers` changes how fast, not what, a part computes: every part may read it, and it is not in the cache key. */
type Workers<O> = Extract<"workers", keyof O>;

/** One figure (or close group) of a study. `K` are the options it reads: only those key its cache entry. */
export interface StudyPart<O, K extends keyof O = keyof O> {
  /** the call's name and the cache's, e.g. "fig2a" */
  id: string;
  /** e.g. "Fig. 2a — rank vs sample size" */
  title: string;
  /** the options this part reads; reading any other throws (so the cache key is complete) */
  reads: readonly K[];
  run(o: Pick<O, K | Workers<O>>): Promise<PartOutput>;
}

/** Declares a part with its options type checked: `definePart<MyOptions>()({ id, title, reads: [...], run })`. */
export function definePart<O>() {
  return <K extends keyof O>(p: StudyPart<O, K>): StudyPart<O, K> => p;
}

/** What a study says before its figures (data description, conventions); cheap, not cached. */
export interface StudyIntro<O, K extends keyof O = keyof O> {
  reads: readonly K[];
  run(o: Pick<O, K>): { summary?: ResultData["summary"]; notes?: string[] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPart<O> = StudyPart<O, any>;

/** `o` seen through the part's declared options: reading an undeclared one is a bug in the part. */
export function restrictOptions<O extends object>(study: string, part: string, o: O, reads: readonly PropertyKey[]): O {
  const allowed = new Set<PropertyKey>([...reads, "workers"]);
  const view: Record<PropertyKey, unknown> = {};
  for (const k of allowed) if (k in o) view[k as string] = (o as Record<PropertyKey, unknown>)[k];
  return new Proxy(view, {
    get(target, key) {
      if (typeof key === "symbol" || key === "toJSON" || key === "then") return target[key as string];
      if (!allowed.has(key))
        throw new Error(
          `${study}/${part} read option "${String(key)}", which it does not declare in \`reads\` ` +
            `(it would be missing from the cache key)`,
        );
      return target[key];
    },
  }) as O;
}

function keyedOptions(o: object, reads: readonly PropertyKey[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of reads) if (k !== "workers") out[k as string] = (o as Record<PropertyKey, unknown>)[k];
  return out;
}

/** The cache key of one part: study, part, the options it reads (not `workers`), version and code hash. */
export function partCacheKey(study: string, part: string, o: object, reads: readonly PropertyKey[]): string {
  return cacheKey(`${study}/${part}`, keyedOptions(o, reads), `${packageVersion()} ${codeHash()}`);
}

interface PartRun {
  output: PartOutput;
  seconds: number;
  cached: boolean;
}

const log = (s: string) => process.stderr.write(`rankscope: ${s}\n`);

/** What is wrong with a part's cache entry ({ output, seconds }) read back from disk, or undefined. */
export function partEntryProblem(v: unknown): string | undefined {
  if (!v || typeof v !== "object") return "not an object";
  const e = v as { output?: unknown; seconds?: unknown };
  if (typeof e.seconds !== "number" || !(e.seconds >= 0)) return "seconds is not a number ≥ 0";
  if (!e.output || typeof e.output !== "object" || Array.isArray(e.output)) return "output is not an object";
  return resultPartsProblem(e.output as Record<string, unknown>, "output.");
}

/** Runs one part through the cache (and the checkpoints of interrupted runs). */
/**
 * The shared task store of one study run: training runs several parts need are kept in
 * <cacheDir>/tasks/<study>/<code hash>; a forced run restores only what it computed itself.
 */
function sharedStore(def: { name: string }, controls: RunControls): { dir: string; fresh?: Set<string> } | undefined {
  if (!(controls.cache ?? true)) return undefined;
  const dir = path.join(controls.cacheDir ?? defaultCacheDir(), "tasks", def.name, codeHash().slice(0, 16));
  return controls.force ? { dir, fresh: new Set() } : { dir };
}

async function runPartCached<O extends object>(
  def: ExperimentDefinition<O>,
  part: AnyPart<O>,
  options: O,
  controls: RunControls,
  shared = sharedStore(def, controls),
): Promise<PartRun> {
  const useCache = controls.cache ?? true;
  const dir = controls.cacheDir ?? defaultCacheDir();
  const key = partCacheKey(def.name, part.id, options, part.reads);
  if (useCache && !controls.force) {
    const hit = readCache<{ output: PartOutput; seconds: number }>(key, dir, partEntryProblem);
    if (hit.status === "hit") return { ...hit.value, cached: true };
    if (hit.status === "corrupt")
      log(`${def.name}/${part.id}: cache entry ${key.slice(0, 12)}… is unreadable (${hit.reason}); recomputing`);
  }
  const t0 = Date.now();
  const partial = useCache ? path.join(dir, "partial", key) : undefined;
  if (partial && controls.force) clearCheckpoints(partial);
  const view = restrictOptions(def.name, part.id, options, part.reads);
  const { value, restored } = await withCheckpoints(
    partial,
    () => part.run(view as never),
    (s) => log(`${def.name}/${part.id}: ${s}`),
    shared,
  );
  if (restored) log(`${def.name}/${part.id}: ${restored} task(s) came from checkpoints of an interrupted run`);
  // a plain-data copy: what is cached is what a rerun gets back
  const run = { output: JSON.parse(JSON.stringify(value)) as PartOutput, seconds: (Date.now() - t0) / 1000 };
  if (useCache) {
    try {
      writeCache(key, run, dir);
    } catch (err) {
      const msg =
        `${def.name}/${part.id}: could not write the cache entry under ${dir} ` +
        `(${(err as Error).message}); the result is returned but not cached`;
      log(msg);
      process.emitWarning(msg);
    }
  }
  if (partial) clearCheckpoints(partial);
  return { ...run, cached: false };
}

/** The ledger from the parts' measurements, in the order the claims are declared. */
export function assessFromParts(claims: ClaimSet, outputs: PartOutput[], onlyFed = false): LedgerEntry[] {
  // a key that names no declared claim is a typo that would leave a claim silently unjudged: refuse it
  for (const p of outputs)
    for (const key of [...Object.keys(p.evidence ?? {}), ...Object.keys(p.unassessed ?? {})])
      if (!(key in claims))
        throw new Error(
          `evidence for "${key}", which is not a declared claim; declared: ${Object.keys(claims).join(", ")}`,
        );
  const entries: LedgerEntry[] = [];
  for (const spec of Object.values(claims) as ClaimSpec<unknown>[]) {
    const pieces = outputs.filter((p) => p.evidence && spec.id in p.evidence).map((p) => p.evidence![spec.id]);
    const why = outputs.map((p) => p.unassessed?.[spec.id]).filter((s): s is string => !!s);
    if (onlyFed && !pieces.length && !why.length) continue;
    if (!pieces.length) {
      entries.push(
        assessClaim(spec, undefined, why.length ? why.join("; ") : "this run did not reach it (see the options)"),
      );
      continue;
    }
    if (pieces.length > 1 && !spec.combine)
      throw new Error(`claim ${spec.id} is fed by ${pieces.length} parts but declares no combine()`);
    entries.push(assessClaim(spec, pieces.length === 1 ? pieces[0] : spec.combine!(pieces)));
  }
  return entries;
}

function changedFrom<O extends object>(
  def: ExperimentDefinition<O>,
  preset: Preset,
  options: O,
  keys: readonly PropertyKey[],
): string[] {
  const base = { ...def.defaults, ...(def.presets[preset] ?? {}) } as Record<PropertyKey, unknown>;
  return keys
    .filter(
      (k) => k !== "workers" && canonicalJson((options as Record<PropertyKey, unknown>)[k]) !== canonicalJson(base[k]),
    )
    .map(String);
}

/** The whole study: every part (each through its own cache entry), then the ledger over all of them. */
export async function runStudyParts<O extends object>(
  def: ExperimentDefinition<O>,
  given: Partial<O> & RunControls = {},
): Promise<ExperimentResult> {
  const options = resolveOptions(def, given);
  return withQueue(planRun(def, options, given), () => runParts(def, options, given), def.name);
}

async function runParts<O extends object>(
  def: ExperimentDefinition<O>,
  options: O,
  given: Partial<O> & RunControls,
): Promise<ExperimentResult> {
  const parts = def.parts!;
  const preset = given.preset ?? "paper";
  const runs: PartRun[] = [];
  const shared = sharedStore(def, given);
  for (const part of parts) runs.push(await runPartCached(def, part, options, given, shared));
  let ledger: LedgerEntry[];
  try {
    ledger = assessFromParts(
      def.claims ?? {},
      runs.map((r) => r.output),
    );
  } catch (err) {
    // a cached part whose evidence the claims cannot read (an entry of the wrong shape): recompute the cached
    // parts once, with a warning, instead of failing on every run
    if (!runs.some((r) => r.cached)) throw err;
    log(
      `${def.name}: the cached parts' measurements could not be assessed (${(err as Error).message}); ` +
        `recomputing them`,
    );
    for (const [i, part] of parts.entries())
      if (runs[i].cached) runs[i] = await runPartCached(def, part, options, { ...given, force: true }, shared);
    ledger = assessFromParts(
      def.claims ?? {},
      runs.map((r) => r.output),
    );
  }
  const intro = def.intro ? def.intro.run(restrictOptions(def.name, "intro", options, def.intro.reads) as never) : {};
  const outputs = runs.map((r) => r.output);
  const timings: Record<string, number> = {};
  parts.forEach((p, i) => {
    timings[p.id] = runs[i].seconds;
    for (const [k, v] of Object.entries(runs[i].output.timings ?? {})) timings[`${p.id}: ${k}`] = v;
  });
  const data: ResultData = {
    experiment: def.name,
    title: def.title,
    preset,
    changedOptions: changedFrom(def, preset, options, Object.keys(def.defaults)),
    options: options as Record<string, unknown>,
    figures: outputs.flatMap((o) => o.figures),
    summary: Object.assign({}, intro.summary ?? {}, ...outputs.map((o) => o.summary ?? {})),
    tables: outputs.flatMap((o) => o.tables ?? []),
    checks: outputs.flatMap((o) => o.checks ?? []),
    notes: [...(intro.notes ?? []), ...outputs.flatMap((o) => o.notes ?? [])],
    ledger,
    // compute time of the parts (a part from the cache counts the seconds it took when it ran)
    seconds: runs.reduce((a, r) => a + r.seconds, 0),
    timings,
    version: packageVersion(),
  };
  const result = new ExperimentResult(data);
  result.cached = runs.every((r) => r.cached);
  await runResultHook(result);
  return result;
}

/** One part alone: the options it reads (others are refused), its figures, and the verdicts of the claims it feeds. */
export async function runPart<O extends object>(
  def: ExperimentDefinition<O>,
  partId: string,
  given: Partial<O> & RunControls = {},
): Promise<ExperimentResult> {
  const part = def.parts?.find((p) => p.id === partId);
  if (!part)
    throw new Error(`${def.name}: no part "${partId}"; parts: ${(def.parts ?? []).map((p) => p.id).join(", ")}`);
  const options = resolvePartOptions(def, part, given);
  return withQueue(planRun(def, options, given), () => runOnePart(def, part, options, given), def.name);
}

async function runOnePart<O extends object>(
  def: ExperimentDefinition<O>,
  part: AnyPart<O>,
  options: O,
  given: Partial<O> & RunControls,
): Promise<ExperimentResult> {
  const preset = given.preset ?? "paper";
  let run = await runPartCached(def, part, options, given);
  let assessed: LedgerEntry[];
  try {
    assessed = assessFromParts(def.claims ?? {}, [run.output], true);
  } catch (err) {
    if (!run.cached) throw err;
    log(
      `${def.name}/${part.id}: the cached measurements could not be assessed (${(err as Error).message}); recomputing`,
    );
    run = await runPartCached(
      def,
      part,
      options,
      { ...given, force: true },
      sharedStore(def, { ...given, force: false }),
    );
    assessed = assessFromParts(def.claims ?? {}, [run.output], true);
  }
  const ledger = assessed.map((e) => ({
    ...e,
    detail: `From ${part.title.split(" — ")[0]} alone: ${e.detail}`,
  }));
  const data: ResultData = {
    experiment: def.name,
    part: part.id,
    title: `${def.title} — ${part.title}`,
    preset,
    changedOptions: changedFrom(def, preset, options, part.reads),
    options: keyedOptions(options, part.reads),
    paperOptions: keyedOptions(resolveOptions(def, {}), part.reads),
    figures: run.output.figures,
    summary: run.output.summary ?? {},
    tables: run.output.tables ?? [],
    checks: run.output.checks ?? [],
    notes: run.output.notes ?? [],
    ledger,
    seconds: run.seconds,
    timings: run.output.timings,
    version: packageVersion(),
  };
  const result = new ExperimentResult(data);
  result.cached = run.cached;
  await runResultHook(result);
  return result;
}

/** A part's call, e.g. `rs.singh.fig2a(options)`; `.options(preset)` gives the values it would use. */
export interface PartCall<O, K extends keyof O> {
  (options?: Partial<Pick<O, K | Workers<O>>> & RunControls): Promise<ExperimentResult>;
  /** the part's id and title */
  readonly id: string;
  readonly title: string;
  /** the options this figure reads, as a preset sets them (default the paper's) */
  options(preset?: Preset): Pick<O, K>;
  /** throws the OptionError the call would throw for `options`, without running anything */
  check(options?: Partial<Pick<O, K | Workers<O>>> & RunControls): void;
}

/** The options a part runs with (defaults ← preset ← given), validated: only the options it reads may be given. */
function resolvePartOptions<O extends object>(
  def: ExperimentDefinition<O>,
  part: { id: string; reads: readonly PropertyKey[] },
  given: Partial<O> & RunControls,
): O {
  return resolveOptions(def, given, {
    only: [...part.reads, "workers"] as (keyof O)[],
    label: `${def.name}.${part.id}`,
  });
}

export function partCall<O extends object, K extends keyof O>(
  def: ExperimentDefinition<O>,
  part: StudyPart<O, K>,
): PartCall<O, K> {
  const call = ((options: Partial<O> & RunControls = {}) => runPart(def, part.id, options)) as PartCall<O, K>;
  Object.defineProperty(call, "id", { value: part.id });
  Object.defineProperty(call, "title", { value: part.title });
  call.check = (options: Partial<O> & RunControls = {}) => void resolvePartOptions(def, part, options);
  call.options = (preset: Preset = "paper") =>
    keyedOptions(resolveOptions(def, { preset } as Partial<O> & RunControls), part.reads) as Pick<O, K>;
  return call;
}
