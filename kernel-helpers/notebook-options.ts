/**
 * The study notebooks' figure cells write out the options each figure reads, at the paper's values, as
 * commented lines inside the call, so a tweak is uncommenting a line and editing a number:
 *
 *   // the options rs.singh.fig2a reads, at the paper's values (rs.singh.fig2a.options("paper")); "quick:" is …
 *   const fig2a = await rs.singh.fig2a({
 *     preset: preset,
 *     // sweepNHidden: [50, 20, 20, 20], // quick: [12, 8, 8, 8]
 *     // …
 *   });
 *
 * The lines are generated from the presets (`rankscope notebooks --sync-options` rewrites the notebooks); a test
 * checks that every notebook matches its presets, so a changed default cannot leave a notebook showing an old value.
 */
import * as fs from "node:fs";
import { writeFileAtomic } from "../src/util/files";

type OptionsOf = (preset?: "paper" | "quick") => Record<string, unknown>;

/** A value as TypeScript source: arrays and objects on one line, strings quoted. */
export function literal(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).map(
      ([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(x)}`,
    );
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  throw new Error(`notebook options: cannot write a ${typeof v} as source`);
}

/** The figure's call (`rs.<namespace>.<figure>`) with a `.options(preset)`, or undefined. */
function figureCall(namespace: string, figure: string): { options: OptionsOf } | undefined {
  const rs = require("../src") as Record<string, Record<string, unknown> | undefined>;
  const fn = rs[namespace]?.[figure] as { options?: OptionsOf } | undefined;
  return typeof fn?.options === "function" ? (fn as { options: OptionsOf }) : undefined;
}

const HEADER = "// the options ";
const CALL = /^const (\w+) = await rs\.(\w+)\.(\w+)\(\{/;

/** The generated lines of one figure cell: the header comment, the call with every option written out, `});`. */
export function optionLines(name: string, namespace: string, figure: string): string[] {
  const call = figureCall(namespace, figure);
  if (!call) throw new Error(`notebook options: rs.${namespace}.${figure} is not a figure's call`);
  const paper = call.options("paper");
  const quick = call.options("quick");
  const keys = Object.keys(paper);
  const fn = `rs.${namespace}.${figure}`;
  const lines = keys.length
    ? [
        `${HEADER}${fn} reads, at the paper's values (${fn}.options("paper")); "quick:" is the ` +
          `quick preset's value where it differs.`,
        `// Uncomment a line and edit it to change that option; the others keep the preset's values.`,
      ]
    : [`${HEADER}${fn} reads: none (the figure is fixed)`];
  lines.push(`const ${name} = await ${fn}({`, `  preset: preset,`);
  for (const k of keys) {
    const p = literal(paper[k]);
    const q = literal(quick[k]);
    lines.push(`  // ${k}: ${p},${q === p ? "" : ` // quick: ${q}`}`);
  }
  lines.push(`});`);
  return lines;
}

/**
 * One code cell's source with its generated block brought up to date (other lines kept). A cell without a
 * figure's call (`const x = await rs.<ns>.<fig>({ …`) comes back unchanged; so does the whole-study call.
 */
export function syncCell(source: string): string {
  const lines = source.split("\n");
  const at = lines.findIndex((l) => CALL.test(l));
  if (at < 0) return source;
  const [, name, namespace, figure] = CALL.exec(lines[at])!;
  if (!figureCall(namespace, figure)) return source;
  let start = at;
  // the generated header (and its second line) above the call
  while (
    start > 0 &&
    lines[start - 1].startsWith("//") &&
    (lines[start - 1].startsWith(HEADER) || lines[start - 1].startsWith("// Uncomment a line"))
  )
    start--;
  let end = at;
  while (end < lines.length && !/\}\);?\s*$/.test(lines[end])) end++;
  if (end === lines.length)
    throw new Error(`notebook options: the call of rs.${namespace}.${figure} has no closing "});"`);
  return [...lines.slice(0, start), ...optionLines(name, namespace, figure), ...lines.slice(end + 1)].join("\n");
}

interface Notebook {
  cells: { cell_type: string; source: string | string[] }[];
}

/** A notebook's text with every figure cell synced (Jupyter's own layout: one-space indent, a line per source line). */
export function syncNotebookText(text: string): string {
  const nb = JSON.parse(text) as Notebook;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const next = syncCell(src);
    if (next === src) continue;
    const parts = next.split("\n");
    cell.source = parts.map((l, i) => (i < parts.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
  }
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Rewrites the notebooks whose figure cells are out of date; returns the files it changed. */
export function syncNotebooks(files: string[]): string[] {
  const changed: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    const next = syncNotebookText(text);
    if (next !== text) {
      writeFileAtomic(f, next);
      changed.push(f);
    }
  }
  return changed;
}
