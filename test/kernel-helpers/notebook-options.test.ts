/**
 * The study notebooks' figure cells write out the options each figure reads at the paper's values (issue 18):
 * every study's figure has its cell, the written lines match the presets (no stale value after a default
 * changes), and the lines, uncommented, are source that evaluates back to the preset's values.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as rs from "../../src";
import { STUDIES } from "../../src/experiments/registry";
import { syncNotebookText, literal } from "../../kernel-helpers/notebook-options";

const root = path.resolve(__dirname, "../../..");
const NOTEBOOK: Record<string, string> = {
  "hessian-rank": "hessian-rank",
  "info-loss": "information-loss",
  "flatness-compression": "flatness-compression",
  bottleneck: "bottleneck",
  "local-rank": "local-rank",
};
type Call = { options(preset?: "paper" | "quick"): Record<string, unknown> };

function cells(file: string): string[] {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source.join(""));
}

/** The object a figure cell passes, with every commented option line uncommented (optionally at its quick value). */
function evaluatedCall(src: string, quick: boolean): Record<string, unknown> {
  const m = /await rs\.\w+\.\w+\((\{[\s\S]*?\n\})\);/.exec(src);
  assert.ok(m, "the call's object literal spans lines and ends with });");
  const body = m[1]
    .split("\n")
    .map((l) => {
      const opt = /^ {2}\/\/ (\w+: .*?,)(?: \/\/ quick: (.*))?$/.exec(l);
      if (!opt) return l;
      return quick && opt[2] !== undefined ? `  ${opt[1].split(":")[0]}: ${opt[2]},` : `  ${opt[1]}`;
    })
    .join("\n");
  return new Function("preset", `return (${body});`)(quick ? "quick" : "paper") as Record<string, unknown>;
}

it(
  "every figure of every study has a notebook cell whose option lines match the presets and " + "evaluate back to them",
  () => {
    let checked = 0;
    for (const s of STUDIES) {
      const file = path.join(root, "notebooks", `${NOTEBOOK[s.name]}.ipynb`);
      const text = fs.readFileSync(file, "utf8");
      assert.equal(
        syncNotebookText(text),
        text,
        `${path.basename(file)}: the figure cells' option lines are out of date; run \`node ` +
          `dist/src/cli/main.js notebooks --sync-options\``,
      );
      const ns = (rs as unknown as Record<string, Record<string, Call>>)[s.namespace!];
      const all = cells(file);
      for (const part of s.parts) {
        const src = all.find((c) => c.includes(`await rs.${s.namespace}.${part.id}({`));
        assert.ok(src, `${s.namespace}.${part.id}: no cell in ${path.basename(file)}`);
        for (const preset of ["paper", "quick"] as const) {
          const got = evaluatedCall(src, preset === "quick");
          assert.deepEqual(got, { preset, ...ns[part.id].options(preset) }, `${s.namespace}.${part.id} at ${preset}`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 30, `${checked} figure cells checked`);
  },
);

it("literal writes values as source that evaluates to them", () => {
  const values: unknown[] = [
    0.05,
    -3,
    1e-30,
    "fashion-mnist",
    'a "quoted" name',
    null,
    true,
    [16, "M", [1, 2]],
    { a: 1, "b-c": [2] },
    [],
    {},
  ];
  for (const v of values) assert.deepEqual(new Function(`return (${literal(v)});`)(), v, literal(v));
  assert.throws(() => literal(() => 1), /cannot write a function/);
});
