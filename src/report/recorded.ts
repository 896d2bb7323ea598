/**
 * Recorded results: a study's result at a preset, written by `reproduce --record` to
 * `results/<preset>/<study>.json` (with the figures' PNG and SVG in `results/<preset>/<study>/`)
 * and committed, so notebooks, the gallery and the README show the paper preset's numbers without
 * anyone typing them. Each record says where it came from: commit, date, package version, a hash of
 * the compiled code, backends, cores, wall time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { ExperimentResult, ResultData } from "./result";
import { ClaimSet, LedgerEntry, ledgerHtml, ledgerText, tallySummary, VERDICT_COLOURS } from "./ledger";
import { RichObject, inspectSymbol, renderOrDescribe } from "./render";
import { writeFileAtomic } from "../util/files";
import { codeHash, packageVersion } from "../cache";
import type { SpeedReference } from "./speed";
import { showValue } from "../util/options";
import { escapeHtml } from "../util/html";

/** Where a recorded result came from: checkout, versions, machine and wall time. */
export interface Provenance {
  /** the preset it was computed at, e.g. "paper" */
  preset: string;
  /** git commit of the checkout that computed the result ("unknown" outside git) */
  commit: string;
  /** ISO date of that commit ("unknown" outside git) */
  commitDate: string;
  /** true when src/ had uncommitted changes at recording time */
  dirty: boolean;
  /** ISO time of recording */
  recordedAt: string;
  /** rankscope's package version */
  version: string;
  /** hash of the compiled code (the cache's code key) */
  codeHash: string;
  /** the linear-algebra backend ("lapack" or "typescript") */
  linalg: string;
  /** the tfjs backend */
  tfjs: string;
  /** CPU cores of the machine */
  cores: number;
  /** Node.js version */
  node: string;
  /** wall seconds of the computation (from the result, whether or not it came from the cache) */
  seconds: number;
  /**
   * the machine's speed as the study started and as it ended (speed.ts): wall times of records taken on different days
   * compare through these
   */
  speed?: SpeedReference[];
}

export type RecordedData = ResultData & { provenance: Provenance };

/** The package's root folder (where package.json is). */
export function packageRoot(): string {
  for (const rel of ["../..", "../../.."]) {
    const d = path.resolve(__dirname, rel);
    if (
      fs.existsSync(path.join(d, "package.json")) &&
      JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")).name === "rankscope"
    )
      return d;
  }
  return process.cwd();
}

export function resultsDir(preset = "paper", root = packageRoot()): string {
  return path.join(root, "results", preset);
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** Where this checkout stands (commit, date, uncommitted changes to src/). */
export function checkoutState(root = packageRoot()): { commit: string; commitDate: string; dirty: boolean } {
  const commit = git(["rev-parse", "HEAD"], root) ?? "unknown";
  const commitDate = git(["show", "-s", "--format=%cI", "HEAD"], root) ?? "unknown";
  const status = git(["status", "--porcelain", "--", "src"], root);
  return { commit, commitDate, dirty: status === undefined ? false : status.length > 0 };
}

/**
 * The provenance of a finished result; `started` is the checkout state and code hash taken when the run began (the
 * default: now), so that src/ edited while a long record runs does not mark it dirty when the code that ran was clean.
 */
export function provenanceOf(
  result: ExperimentResult,
  preset: string,
  tfjs: string,
  started?: ReturnType<typeof checkoutState> & { codeHash: string },
  speed?: SpeedReference[],
): Provenance {
  let linalg = "unknown";
  try {
    linalg = require("../linalg").backend();
  } catch {
    /* leave unknown */
  }
  return {
    preset,
    ...(started ? { commit: started.commit, commitDate: started.commitDate, dirty: started.dirty } : checkoutState()),
    recordedAt: new Date().toISOString(),
    version: packageVersion(),
    codeHash: started?.codeHash ?? codeHash(),
    linalg,
    tfjs,
    cores: os.cpus().length,
    node: process.version,
    seconds: result.data.seconds,
    ...(speed ? { speed } : {}),
  };
}

/**
 * Writes `<dir>/<study>.json` (atomic). Figures' images are written by the caller (export needs a
 * browser); their file names are `<dir>/<study>/<figure>.<png|svg>`.
 */
export function writeRecord(
  result: ExperimentResult,
  provenance: Provenance,
  dir = resultsDir(provenance.preset),
): string {
  const file = path.join(dir, `${result.experiment}.json`);
  const data: RecordedData = { ...result.toJSON(), provenance };
  writeFileAtomic(file, JSON.stringify(data) + "\n"); // compact: the figures' data are large
  return file;
}

/** A result loaded from `results/`, labelled with where it came from. */
export class RecordedResult extends ExperimentResult {
  constructor(
    readonly data: RecordedData,
    readonly file: string,
  ) {
    super(data);
    this.cached = true;
  }
  /** where the result came from */
  get provenance(): Provenance {
    return this.data.provenance;
  }
  /** "paper preset, recorded at commit 1a2b3c4 (2026-11-23), 651 s on 2 cores, linalg openblas, tfjs wasm" */
  get label(): string {
    const p = this.provenance;
    return (
      `${p.preset} preset, recorded at commit ` +
      `${p.commit.slice(0, 7)}${p.dirty ? " (with uncommitted changes)" : ""} on ` +
      `${p.recordedAt.slice(0, 10)}: ${formatSeconds(p.seconds)} on ${p.cores} cores, linalg ` +
      `${p.linalg}, ${p.tfjs}`
    );
  }
  describe(): string {
    return `[recorded: ${this.label}]\n${super.describe()}`;
  }
  summaryHtml(): string {
    return (
      `<div style="color:#555;font-size:12px;margin-bottom:4px">Recorded result: ${escapeHtml(this.label)} ` +
      `— <code>${escapeHtml(this.file)}</code></div>` +
      super.summaryHtml()
    );
  }
}

export function formatSeconds(s: number): string {
  return s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`;
}

/**
 * The recorded result of a study at a preset, or undefined when none has been recorded. The study must be one of the
 * registry's and the preset one of the presets (anything else is refused, never read as a path); a record that is not
 * valid JSON or lacks what the claims tables rest on (a ledger of known verdicts, numeric wall time, provenance) is
 * refused with the file and the field named.
 */
export function loadRecorded(study: string, preset = "paper", root = packageRoot()): RecordedResult | undefined {
  const { STUDIES } = require("../experiments/registry") as typeof import("../experiments/registry");
  const { PRESETS } = require("../experiments/framework") as typeof import("../experiments/framework");
  const names = STUDIES.map((s) => s.name);
  if (typeof study !== "string" || !names.includes(study))
    throw new Error(`recorded: study must be one of ${names.join(", ")}; got ${showValue(study)}`);
  if (typeof preset !== "string" || !(PRESETS as readonly string[]).includes(preset))
    throw new Error(`recorded: preset must be one of ${PRESETS.join(", ")}; got ${showValue(preset)}`);
  const file = path.join(resultsDir(preset, root), `${study}.json`);
  if (!fs.existsSync(file)) return undefined;
  let data: RecordedData;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8")) as RecordedData;
  } catch (err) {
    throw new Error(`${file}: unreadable record (${(err as Error).message}); re-record it or restore it from git`);
  }
  if (!data || typeof data !== "object" || !data.provenance)
    throw new Error(
      `${file}: not a recorded result (no provenance); re-record it with \`npm run reproduce -- ` +
        `--preset ${preset} --record --study ${study}\``,
    );
  const problem = recordProblem(data);
  if (problem)
    throw new Error(
      `${file}: not a valid record: ${problem}; re-record it with \`npm run reproduce -- ` +
        `--preset ${preset} --record --study ${study}\``,
    );
  // records made before claim kinds existed: each entry's kind is its claim's declaration (a property of the claim)
  if (Array.isArray(data.ledger)) {
    const entry = (require("../experiments/registry").STUDIES as { name: string; claims: ClaimSet }[]).find(
      (s) => s.name === study,
    );
    const claims = entry?.claims;
    for (const e of data.ledger) if (!e.kind) e.kind = claims?.[e.id]?.kind ?? "paper";
  }
  return new RecordedResult(data, file);
}

/** What is wrong with a record's shape (what the claims tables and the notebooks read), or undefined. */
export function recordProblem(data: RecordedData): string | undefined {
  const { VERDICTS } = require("./ledger") as typeof import("./ledger");
  const isNum = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const p = data.provenance as unknown as Record<string, unknown>;
  if (typeof data.title !== "string") return "title is not a string";
  if (!Array.isArray(data.figures)) return "figures is not a list";
  if (!Array.isArray(data.ledger)) return "it has no ledger (a list of claim entries)";
  if (!data.ledger.length) return "its ledger is empty";
  for (const [i, e] of data.ledger.entries()) {
    if (!e || typeof e !== "object") return `ledger entry ${i} is not an object`;
    for (const k of ["id", "claim", "where", "detail"] as const)
      if (typeof e[k] !== "string") return `ledger entry ${i} has no ${k} text`;
    if (!VERDICTS.includes(e.verdict))
      return (
        `ledger entry ${i} (${e.id}) has verdict ${JSON.stringify(e.verdict)}; ` +
        `verdicts are ${VERDICTS.map((v) => JSON.stringify(v)).join(", ")}`
      );
  }
  if (!isNum(p.seconds) || (p.seconds as number) < 0)
    return `provenance.seconds must be a number of seconds ≥ 0; got ${showValue(p.seconds)}`;
  for (const k of ["commit", "recordedAt", "preset"])
    if (typeof p[k] !== "string") return `provenance.${k} must be text; got ${showValue(p[k])}`;
  if (!isNum(p.cores)) return `provenance.cores must be a number; got ${showValue(p.cores)}`;
  if (p.speed !== undefined) {
    if (!Array.isArray(p.speed)) return "provenance.speed must be a list";
    for (const [i, r] of (p.speed as Record<string, unknown>[]).entries())
      for (const k of ["torchMs", "nativeMs"])
        if (!(r && (r[k] === null || isNum(r[k]))))
          return `provenance.speed[${i}].${k} must be a number of ms or null; got ${showValue(r?.[k])}`;
  }
  return undefined;
}

/**
 * The ledger of a live run beside the recorded paper preset's:
 * claim · where / rule · this run (live) · paper preset (recorded) · verdict (the paper preset's when recorded,
 * else the live run's, labelled). Renders itself in a notebook.
 */
export class LedgerComparison implements RichObject {
  /** Prefer `ledgerTable`, which loads the recorded result and labels the live run. */
  constructor(
    readonly study: string,
    readonly live: LedgerEntry[] | undefined,
    readonly recorded: RecordedResult | undefined,
    readonly liveLabel: string = "this run (live)",
  ) {}

  /** Plain text: one line per claim with the live and recorded verdicts. */
  describe(): string {
    const lines = [
      `claims of ${this.study}: ${this.liveLabel} | ` +
        `${this.recorded ? this.recorded.label : "no recorded paper preset"}`,
    ];
    const rec = new Map((this.recorded?.ledger ?? []).map((e) => [e.id, e]));
    const ids = [
      ...(this.live ?? []).map((e) => e.id),
      ...[...rec.keys()].filter((id) => !(this.live ?? []).some((e) => e.id === id)),
    ];
    for (const id of ids) {
      const l = this.live?.find((e) => e.id === id);
      const r = rec.get(id);
      lines.push(`  ${id}: live ${l?.verdict ?? "—"} | paper preset ${r?.verdict ?? "—"} — ${(l ?? r)!.claim}`);
    }
    return lines.join("\n");
  }

  /** The comparison as an HTML table with verdict tallies (what a notebook shows). */
  html(): string {
    const t = (es: LedgerEntry[] | undefined) => {
      if (!es) return "";
      return tallySummary(es, (v, s) => `<span style="color:${VERDICT_COLOURS[v]}">${s}</span>`);
    };
    const head =
      `<div style="font-size:12px;color:#555">` +
      String(this.live ? `${escapeHtml(this.liveLabel)}: ${t(this.live)}` : "no live run") +
      `<br>` +
      String(
        this.recorded
          ? `paper preset: ${t(this.recorded.ledger)} — ${escapeHtml(this.recorded.label)}`
          : "paper preset: not recorded yet (<code>npm run reproduce -- --preset paper " + "--record</code>)",
      ) +
      `</div>`;
    return (
      head +
      ledgerHtml(this.live ?? [], {
        recorded: this.recorded?.ledger ?? [],
        liveLabel: this.liveLabel,
        recordedLabel: "paper preset (recorded)",
      })
    );
  }

  /** { study, live, recorded: { provenance, ledger } | null } (used by JSON.stringify). */
  toJSON(): unknown {
    return {
      study: this.study,
      live: this.live,
      recorded: this.recorded ? { provenance: this.recorded.provenance, ledger: this.recorded.ledger } : null,
    };
  }

  /**
   * What Node's util.inspect shows (a notebook cell's value): displays it through the registered renderer
   * (then returns ""), else `describe()`.
   * @internal
   */
  [inspectSymbol](): string {
    return renderOrDescribe(this);
  }
}

/**
 * "quick preset (live)", "paper preset with N changed (live)", or "this run (live)" for a result without its preset.
 */
export function liveLabelOf(r: ExperimentResult): string {
  const { preset, changedOptions } = r.data;
  if (!preset) return "this run (live)";
  const changed = changedOptions ?? [];
  return (
    String(preset) +
    ` preset` +
    String(changed.length ? ` with ${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ", …" : ""} changed` : "") +
    ` (live)`
  );
}

/** `ledgerTable(liveResult)`: the live run's claims beside the recorded paper preset's, for a notebook's last cell. */
export function ledgerTable(live: ExperimentResult | undefined, study = live?.experiment): LedgerComparison {
  if (!study) throw new Error("ledgerTable: give a live result or a study name");
  return new LedgerComparison(study, live?.ledger, loadRecorded(study, "paper"), live ? liveLabelOf(live) : undefined);
}

export { ledgerText };
