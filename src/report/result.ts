/**
 * The result of one experiment run: figures, a compact summary, tables, the checks the study asks
 * for (each with its numbers), notes, timing. Serialises to JSON and shows itself in a notebook.
 */
import { Figure, FigureSpec } from "../figures/figure";
import { RichObject, renderOrDescribe, inspectSymbol } from "./render";
import { LedgerEntry, ledgerHtml, ledgerText, tally, Verdict } from "./ledger";
import { LedgerExport, LedgerExportOptions } from "./ledger-export";
import { budgetFigures } from "./budget-figure";
import { escapeHtml } from "../util/html";

/**
 * A software check: something that must hold whatever the data (an identity, a bound that holds by
 * algebra, a finished computation). A failing check means a bug, not a finding; findings about the
 * paper's claims live in the ledger.
 */
export interface Check {
  /** what is checked */
  name: string;
  /** whether it held */
  pass: boolean;
  /** the numbers behind the verdict */
  detail: string;
}

/** A table of a result: a title, column headers and rows of cells (null = no value). */
export interface Table {
  /** what the table shows */
  title: string;
  /** column headers */
  columns: string[];
  /** one array of cells per row, in column order */
  rows: (string | number | null)[][];
}

/** The JSON form of an `ExperimentResult` (what summary.json and the cache hold). */
export interface ResultData {
  /** the study's name, e.g. "hessian-rank" */
  experiment: string;
  /** set when this is one figure of the study called alone (its part id, e.g. "fig2a") */
  part?: string;
  /** a title line for the run */
  title: string;
  /** the resolved options the run used (for one figure: the options it reads) */
  options: Record<string, unknown>;
  /** the figures, as JSON */
  figures: FigureSpec[];
  /** a compact set of headline numbers */
  summary: Record<string, string | number | boolean | null>;
  /** tables of the numbers behind the figures */
  tables: Table[];
  /** software checks (a failure is a bug); the paper's claims are in `ledger` */
  checks: Check[];
  /** the paper's claims this run tested, each with its verdict, rule and numbers */
  ledger: LedgerEntry[];
  /** remarks: conventions, deviations from the paper, caveats */
  notes: string[];
  /** wall-clock seconds of the run */
  seconds: number;
  /** wall seconds per part of the study (figure or group of figures) */
  timings?: Record<string, number>;
  /** rankscope's version that produced the result */
  version: string;
  /** the preset the run started from, and the options the caller set to other values than that preset's */
  preset?: string;
  changedOptions?: string[];
  /** for one figure called alone: the paper preset's values of the options it reads (shown beside the run's) */
  paperOptions?: Record<string, unknown>;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** What is wrong with a list of figures read back from disk, or undefined. */
export function figuresProblem(v: unknown, at = "figures"): string | undefined {
  if (!Array.isArray(v)) return `${at} is not a list`;
  for (const [i, f] of v.entries())
    if (!isObj(f) || typeof f.name !== "string" || !Array.isArray(f.data) || !isObj(f.layout))
      return `${at}[${i}] is not a figure ({ name, data: [...], layout: {...} })`;
  return undefined;
}

/**
 * What is wrong with the parts of a result read back from disk (a cache entry, a record) that code reads without
 * checking, or undefined: figures, tables, checks, notes, ledger, summary, timings and seconds of the right kinds.
 */
export function resultPartsProblem(d: Record<string, unknown>, at = ""): string | undefined {
  const f = figuresProblem(d.figures, `${at}figures`);
  if (f) return f;
  const list = (k: string, ok: (x: unknown) => boolean, what: string) => {
    if (d[k] === undefined) return undefined;
    if (!Array.isArray(d[k])) return `${at}${k} is not a list`;
    const i = (d[k] as unknown[]).findIndex((x) => !ok(x));
    return i < 0 ? undefined : `${at}${k}[${i}] is not ${what}`;
  };
  return (
    list(
      "tables",
      (t) => isObj(t) && typeof t.title === "string" && Array.isArray(t.columns) && Array.isArray(t.rows),
      "a table ({ title, columns, rows })",
    ) ??
    list(
      "checks",
      (c) => isObj(c) && typeof c.name === "string" && typeof c.pass === "boolean",
      "a check ({ name, pass, detail })",
    ) ??
    list("notes", (n) => typeof n === "string", "text") ??
    list(
      "ledger",
      (e) => isObj(e) && typeof e.id === "string" && typeof e.verdict === "string" && typeof e.detail === "string",
      "a ledger entry",
    ) ??
    (["summary", "evidence", "unassessed", "timings"]
      .filter((k) => d[k] !== undefined && !isObj(d[k]))
      .map((k) => `${at}${k} is not an object`)[0] as string | undefined) ??
    (d.timings !== undefined && Object.values(d.timings as object).some((x) => typeof x !== "number")
      ? `${at}timings holds a value that is not a number`
      : undefined)
  );
}

/** What is wrong with a whole result read back from disk (`ResultData`), or undefined. */
export function resultDataProblem(v: unknown): string | undefined {
  if (!isObj(v)) return "not an object";
  if (typeof v.experiment !== "string" || typeof v.title !== "string") return "experiment or title is not text";
  if (!isObj(v.options)) return "options is not an object";
  if (!Array.isArray(v.ledger)) return "ledger is not a list";
  if (!isObj(v.summary)) return "summary is not an object";
  if (typeof v.seconds !== "number" || !(v.seconds >= 0)) return "seconds is not a number ≥ 0";
  for (const k of ["tables", "checks", "notes"]) if (!Array.isArray(v[k])) return `${k} is not a list`;
  return resultPartsProblem(v);
}

/**
 * The result of one study run (or of one figure called alone): figures, summary, tables, software checks, the ledger of
 * the
 * paper's claims, notes and timing. Shows itself in a notebook and serialises to `ResultData` with JSON.stringify.
 */
export class ExperimentResult implements RichObject {
  /** the study's figures, then one per late-training claim drawn from its ledger entry (not in `data.figures`) */
  readonly figures: Figure[];
  /** true when this result came from the on-disk cache */
  cached = false;

  constructor(readonly data: ResultData) {
    // the study's figures, then one per late-training claim drawn from its ledger entry (budget-figure.ts)
    const own = data.figures.map(Figure.from);
    this.figures = [...own, ...budgetFigures(data.ledger ?? []).filter((f) => !own.some((g) => g.name === f.name))];
  }

  /** the study's name */
  get experiment(): string {
    return this.data.experiment;
  }
  /** the headline numbers */
  get summary(): ResultData["summary"] {
    return this.data.summary;
  }
  /** the software checks */
  get checks(): Check[] {
    return this.data.checks;
  }
  /** the tables */
  get tables(): Table[] {
    return this.data.tables;
  }
  /** the resolved options of the run */
  get options(): Record<string, unknown> {
    return this.data.options;
  }
  /** the paper's claims this run tested, with their verdicts (empty when none) */
  get ledger(): LedgerEntry[] {
    return this.data.ledger ?? [];
  }
  /** The ledger entry of one claim; throws, listing the claim ids, when there is none with that id. */
  claim(id: string): LedgerEntry {
    const e = this.ledger.find((x) => x.id === id);
    if (!e) throw new Error(`${this.experiment}: no claim "${id}"; claims: ${this.ledger.map((x) => x.id).join(", ")}`);
    return e;
  }
  /** The ledger as tables for a write-up: `.toMarkdown()`, `.toLatex()` (booktabs). */
  ledgerExport(opts: LedgerExportOptions = {}): LedgerExport {
    return new LedgerExport(this.ledger, { caption: `${this.data.title}: claims of the paper tested`, ...opts });
  }
  /** how many claims got each verdict */
  get verdicts(): Record<Verdict, number> {
    return tally(this.ledger);
  }

  /** The figure with this name; throws, listing the figure names, when there is none. */
  figure(name: string): Figure {
    const f = this.figures.find((x) => x.name === name);
    if (!f)
      throw new Error(
        `${this.experiment}: no figure "${name}"; figures: ${this.figures.map((x) => x.name).join(", ")}`,
      );
    return f;
  }

  /** "name = value [paper: value], …" for the options a figure read (pass them to its call to change one) */
  optionsLine(): string {
    const paper = this.data.paperOptions ?? {};
    return Object.entries(this.data.options)
      .map(([k, v]) => {
        const p = paper[k];
        const same = p === undefined || JSON.stringify(p) === JSON.stringify(v);
        return `${k} = ${JSON.stringify(v)}${same ? "" : ` [paper: ${JSON.stringify(p)}]`}`;
      })
      .join(", ");
  }

  /** true when every software check passed */
  get allChecksPass(): boolean {
    return this.data.checks.every((c) => c.pass);
  }

  /** A plain-text account: title and time, options (one figure), summary, claims, checks and figure names. */
  describe(): string {
    const lines = [`${this.data.title} — ${this.data.seconds.toFixed(1)} s${this.cached ? " (from cache)" : ""}`];
    if (this.data.part) lines.push(`  options: ${this.optionsLine()}`);
    for (const [k, v] of Object.entries(this.data.summary))
      lines.push(`  ${k}: ${typeof v === "number" ? formatNumber(v) : v}`);
    if (this.ledger.length) lines.push("claims:", ledgerText(this.ledger));
    for (const c of this.data.checks)
      lines.push(`  software check [${c.pass ? "pass" : "FAIL"}] ${c.name}: ${c.detail}`);
    lines.push(`  figures: ${this.figures.map((f) => f.name).join(", ")}`);
    return lines.join("\n");
  }

  /**
   * Summary, checks and tables as HTML (used by notebooks, below the figures, and the gallery). The title and the
   * verdicts of the claims come first; the options, the headline numbers, the software checks, the tables and the notes
   * follow collapsed (`<details>`), so the output stays short and no table stands between the reader and a figure. A
   * failed software check is shown open, in red, above the verdicts.
   */
  summaryHtml(): string {
    const esc = escapeHtml;
    const cell = (v: unknown) => `<td>${esc(typeof v === "number" ? formatNumber(v) : (v ?? "—"))}</td>`;
    const fold = (label: string, body: string) =>
      `<details style="margin:0.2em 0"><summary style="cursor:pointer">${label}</summary>${body}</details>`;
    const failed = this.data.checks.filter((c) => !c.pass);
    const changed = this.data.changedOptions?.length ? `, changed: ${esc(this.data.changedOptions.join(", "))}` : "";
    let h =
      `<div class="rankscope-summary"><b>${esc(this.data.title)}</b> <span ` +
      `style="color:#666">${this.data.seconds.toFixed(1)} ` +
      `s${this.cached ? ", from cache" : ""}</span>`;
    if (this.data.part && changed) h += `<div style="font-size:12px;color:#444;margin:0.2em 0">options${changed}</div>`;
    if (failed.length)
      h +=
        `<div style="border-left:4px solid #d62728;padding:2px 8px;margin:0.3em 0;color:#d62728">` +
        `<b>${failed.length} software check${failed.length > 1 ? "s" : ""} failed</b> (a bug, not a finding): ` +
        failed.map((c) => `${esc(c.name)}: ${esc(c.detail)}`).join("; ") +
        `</div>`;
    if (this.ledger.length)
      h += `<h4 style="margin:0.6em 0 0.2em">Claims of the paper tested by this run</h4>${ledgerHtml(this.ledger)}`;
    if (this.data.part)
      h += fold(
        `options (${esc(this.data.preset ?? "paper")} preset${changed})`,
        `<div style="font-size:12px;color:#444;margin:0.2em 0">paper values in brackets where they differ: ` +
          `<code>${esc(this.optionsLine())}</code></div>`,
      );
    const summary = Object.entries(this.data.summary);
    if (summary.length)
      h += fold(
        `headline numbers (${summary.length})`,
        `<table><tbody>${summary
          .map(([k, v]) => `<tr><th style="text-align:left">${esc(k)}</th>${cell(v)}</tr>`)
          .join("")}</tbody></table>`,
      );
    if (this.data.checks.length)
      h += fold(
        `software checks (${this.data.checks.length - failed.length} of ${this.data.checks.length} pass)`,
        `<table><thead><tr><th>software check</th><th></th><th ` +
          `style="text-align:left">numbers</th></tr></thead><tbody>` +
          this.data.checks
            .map(
              (c) =>
                `<tr><td style="text-align:left">${esc(c.name)}</td><td ` +
                `style="color:${c.pass ? "#2ca02c" : "#d62728"}">${c.pass ? "pass" : "FAIL"}</td><td ` +
                `style="text-align:left">${esc(c.detail)}</td></tr>`,
            )
            .join("") +
          `</tbody></table>`,
      );
    for (const t of this.data.tables)
      h += fold(
        `${esc(t.title)} (${t.rows.length} rows)`,
        `<table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>` +
          t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("") +
          `</tbody></table>`,
      );
    if (this.data.notes.length)
      h += fold(
        `notes (${this.data.notes.length})`,
        `<ul>${this.data.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`,
      );
    return h + `</div>`;
  }

  /** The plain `ResultData` (used by JSON.stringify). */
  toJSON(): ResultData {
    return this.data;
  }

  /**
   * What Node's util.inspect shows (a notebook cell's value): displays the result through the registered renderer
   * (then returns ""), else `describe()`.
   * @internal
   */
  [inspectSymbol](): string {
    return renderOrDescribe(this);
  }
}

/** A number for display: integers as they are, else 4 significant digits (exponential below 1e-3 or from 1e5). */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return v.toPrecision(4);
}
