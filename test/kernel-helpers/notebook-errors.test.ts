import { it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebook, jupyterAvailable } from "../../kernel-helpers/run-notebooks";

const ready = fs.existsSync("/usr/bin/python3") && jupyterAvailable();
const skip = !ready && "needs Jupyter + the tslab kernel (bash .ci/setup)";

type Output = {
  output_type: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  data?: Record<string, string>;
};

function outputsOf(file: string): { outputs: Output[]; counts: (number | null)[] } {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  return {
    outputs: nb.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []),
    counts: nb.cells.map((c: { execution_count: number | null }) => c.execution_count),
  };
}

it(
  "a rankscope error in a cell is an error output and a red box naming the option; the runner reports the cells left " +
    "unrun",
  { skip, timeout: 600000 },
  async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-nberr-"));
    const run = await runNotebook(path.resolve(__dirname, "../../../test/fixtures/error-runtime.ipynb"), out);
    const { outputs, counts } = outputsOf(run.output);
    const err = outputs.find((o) => o.output_type === "error");
    assert.ok(err, "an error output");
    assert.match(err!.evalue!, /sweepNHiden/);
    assert.ok(err!.traceback![0].startsWith("\u001b[1;31m") && /sweepNHiden/.test(err!.traceback![0]));
    const box = outputs.find((o) => /rankscope error/.test(o.data?.["text/html"] ?? ""));
    assert.ok(box && /sweepNHiden/.test(box.data!["text/html"]), "the red box names the option");
    assert.equal(counts[2], null, "the cell after the failed one did not run");
    assert.ok(
      run.errors.some((e) => /1 code cell\(s\) not executed after Run All \(cells 3 of 3\)/.test(e)),
      run.errors.join("\n"),
    );
    assert.ok(run.errors.some((e) => /sweepNHiden/.test(e)));
    assert.ok(
      !outputs.some((o) => o.output_type === "stream" && /sweepNHiden/.test(String((o as { text?: string }).text))),
    );
  },
);

it("a type error shows the cell's source line with a caret under the column", { skip, timeout: 600000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-nberr-"));
  const run = await runNotebook(path.resolve(__dirname, "../../../test/fixtures/error-type.ipynb"), out);
  const { outputs } = outputsOf(run.output);
  const err = outputs.find((o) => o.output_type === "error");
  assert.ok(err, "an error output");
  assert.equal(err!.ename, "TypeScript");
  const tb = err!.traceback!.join("\n");
  assert.match(tb, /line 2, column 7/);
  assert.match(tb, / {3}2 \| const x: number = "not a number";\n {5}\| {7}\^/);
  assert.ok(run.errors.some((e) => /not executed/.test(e)));
});
