/**
 * A study's one definition. `defineStudy({...})` in `<study>/index.ts` is the only place a study is described: its
 * name, paper, public namespace (`rs.singh`), notebook, options with a rule each, presets, figures (parts) and
 * claims. Everything else is derived from it: the per-figure calls (`rs.singh.fig2a`), the whole-study call, the
 * registry that `reproduce`, `claims`, `figure` and `ledger` iterate over (registry.ts lists the definitions), the
 * notebook map the recorded-results test checks, and option validation (one rule per option, checked by the same
 * `checkOptions` as every library function, then the study's cross-option `check`). The checklist for a new study is
 * docs/adding-a-study.md.
 */
import type { ExperimentResult } from "../report/result";
import type { ClaimSet } from "../report/ledger";
import { checkOptions, OptionRule } from "../util/options";
import { ExperimentDefinition, runExperiment, RunControls } from "./framework";
import { AnyPart, PartCall, StudyIntro, StudyPart, partCall } from "./parts";

/** One rule per option: a study that adds an option and forgets its rule does not compile. */
export type OptionRules<O> = { [K in keyof O]-?: OptionRule };

/** The options a part reads, from its type. */
type ReadsOf<O, P> = P extends StudyPart<O, infer K> ? K : never;

/** A study's public calls: `study` (every figure and the ledger) and one call per figure, named as its part. */
export type StudyCalls<O extends object, P extends Record<string, AnyPart<O>>> = {
  /** every figure and the ledger over all of them */
  study(options?: Partial<O> & RunControls): Promise<ExperimentResult>;
} & { readonly [N in keyof P]: PartCall<O, ReadsOf<O, P[N]>> };

/** What a study says about itself (`defineStudy`'s argument). */
export interface StudySpec<
  O extends object,
  P extends Record<string, AnyPart<O>>,
  S extends Record<string, Partial<O>> = Record<never, never>,
> {
  /** the study's name: its folder under src/experiments, its results/paper/<name>.json, its cache prefix */
  name: string;
  /** the public namespace of its calls, `rs.<namespace>.<figure>` (the first author's name) */
  namespace: string;
  /** what the paper is about, without the citation ("Hessian rank of neural networks") */
  title: string;
  /** the citation shown after the title ("Singh et al. 2021") */
  authors: string;
  /** the paper's file in shared/papers */
  paper: string;
  /** the study's notebook, notebooks/<notebook>.ipynb */
  notebook: string;
  defaults: O;
  /** "full" defaults to the paper preset (a study whose authors give no larger budget) */
  presets: ExperimentDefinition<O>["presets"];
  /** one rule per option (src/util/options.ts: int, num, oneOf, listOf, …) */
  rules: OptionRules<O>;
  /** constraints between options, after every option passed its rule; throws OptionError */
  check?(options: O): void;
  estimate?: ExperimentDefinition<O>["estimate"];
  claims: ClaimSet;
  intro?: StudyIntro<O, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** the paper's figures in the paper's order, keyed by their call's name (each key is its part's id) */
  parts: P;
  /**
   * named option sets a reader spreads into a call's options, shown on the namespace beside the calls
   * (`rs.patel.fig1({ ...rs.patel.STRONG_DECAY })`)
   */
  settings?: S;
}

/** A defined study: its definition (what the framework runs) with its namespace, notebook and calls. */
export interface Study<
  O extends object,
  P extends Record<string, AnyPart<O>> = Record<string, AnyPart<O>>,
  S extends Record<string, Partial<O>> = Record<never, never>,
> extends ExperimentDefinition<O> {
  namespace: string;
  notebook: string;
  /** the title without the citation */
  shortTitle: string;
  authors: string;
  claims: ClaimSet;
  parts: AnyPart<O>[];
  /** the named option sets (`settings`), also on `calls` */
  settings?: S;
  /** `rs.<namespace>`: `study`, one call per figure, and the named option sets */
  calls: StudyCalls<O, P> & Readonly<S>;
}

/** A study of unknown options, as the registry holds them. */
export type AnyStudy = Study<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Defines a study from its one description; see the module comment and docs/adding-a-study.md. */
export function defineStudy<
  O extends object,
  P extends Record<string, AnyPart<O>>,
  S extends Record<string, Partial<O>> = Record<never, never>,
>(spec: StudySpec<O, P, S>): Study<O, P, S> {
  const { rules, check, parts, title, authors, ...rest } = spec;
  const settings = spec.settings;
  for (const k of Object.keys(spec.defaults))
    if (!(k in rules)) throw new Error(`${spec.name}: option ${k} has no rule in defineStudy's rules`);
  for (const k of Object.keys(rules))
    if (!(k in spec.defaults)) throw new Error(`${spec.name}: rule for ${k}, which is not an option (no default)`);
  for (const [key, part] of Object.entries(parts))
    if (part.id !== key) throw new Error(`${spec.name}: part "${part.id}" is listed as "${key}"; use its id`);
  const study = {
    ...rest,
    title: `${title} (${authors})`,
    shortTitle: title,
    authors,
    parts: Object.values(parts),
    validate(o: O) {
      checkOptions(spec.name, o, rules);
      check?.(o);
    },
  } as Study<O, P, S>;
  const calls: Record<string, unknown> = {
    study: (options: Partial<O> & RunControls = {}) => runExperiment(study, options),
  };
  for (const [key, part] of Object.entries(parts)) calls[key] = partCall(study, part);
  for (const [key, value] of Object.entries(settings ?? {})) {
    if (key in calls) throw new Error(`${spec.name}: setting "${key}" has the name of a call`);
    calls[key] = Object.freeze({ ...value });
  }
  study.calls = calls as StudyCalls<O, P> & Readonly<S>;
  return study;
}
