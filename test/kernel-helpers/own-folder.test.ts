import { it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebook, jupyterAvailable } from "../../kernel-helpers/run-notebooks";

const root = path.resolve(__dirname, "../../..");
const ready = fs.existsSync("/usr/bin/python3") && jupyterAvailable() && fs.existsSync(path.join(root, "dist/src"));

/**
 * "Use rankscope in your own notebooks" as the README says: the package packed (npm pack), installed into a fresh
 * folder outside the repository (npm install of the tarball: the registry or npm's cache), a notebook written there
 * and run headless with that folder's own tslab kernel: the tfjs model route (loadTf, a LayersModel's Hessian
 * operator, its spectral density figure) and a rankscope result, every code cell executed, no error output.
 */
it(
  "rankscope packed, installed into a fresh folder outside the repository, runs a notebook there with every cell " +
    "executed",
  { skip: !ready && "needs Jupyter + the tslab kernel and a build (npm test builds)", timeout: 1200000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-own-"));
    try {
      const tgz = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
        cwd: root,
        encoding: "utf8",
      })
        .trim()
        .split("\n")
        .pop()!;
      const proj = path.join(dir, "my-notebooks");
      fs.mkdirSync(proj);
      fs.writeFileSync(path.join(proj, "package.json"), JSON.stringify({ name: "my-notebooks", private: true }));
      execFileSync(
        "npm",
        ["install", path.join(dir, tgz), "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
        { cwd: proj, stdio: "ignore" },
      );
      assert.ok(!fs.lstatSync(path.join(proj, "node_modules", "rankscope")).isSymbolicLink(), "a real install");
      const nb = path.join(proj, "curvature.ipynb");
      fs.copyFileSync(path.join(root, "test", "fixtures", "own-folder.ipynb"), nb);
      const run = await runNotebook(nb, path.join(proj, "executed"), { root: proj });
      assert.deepEqual(run.errors, []);
      const cells = JSON.parse(fs.readFileSync(run.output, "utf8")).cells as {
        cell_type: string;
        execution_count: number | null;
        outputs: { output_type: string; data?: Record<string, unknown>; text?: string[] }[];
      }[];
      const code = cells.filter((c) => c.cell_type === "code");
      assert.equal(code.length, 6);
      assert.deepEqual(
        code.map((c) => c.execution_count),
        [1, 2, 3, 4, 5, 6],
        "every code cell ran, in order",
      );
      const outputs = code.flatMap((c) => c.outputs);
      assert.ok(!outputs.some((o) => o.output_type === "error"));
      assert.ok(
        outputs.some((o) => /operator: autodiff, p = 51/.test((o.text ?? []).join(""))),
        "the tfjs model's p",
      );
      assert.ok(outputs.filter((o) => /Plotly\.newPlot/.test(String(o.data?.["text/html"] ?? ""))).length >= 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
