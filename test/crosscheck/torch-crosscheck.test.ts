import { it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as cv from "../../src/curvature";
import { eigvalsh } from "../../src/linalg";
import { buildHessianProblem, exportProblem } from "../../src/cli/hessian";

const script = path.resolve(__dirname, "../../../../shared/bench/torch_reference.py");
const hasTorch = (() => {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" });
    return fs.existsSync(script);
  } catch {
    return false;
  }
})();

it(
  "H, H_o, H_f and their ranks agree with PyTorch float64 (torch_reference.py check)",
  { skip: !hasTorch && "needs Debian's python3-torch and ../shared/bench (bash .ci/setup --bench)" },
  () => {
    for (const [act, loss, bias] of [
      ["tanh", "ce", true],
      ["relu", "mse", false],
      ["linear", "mse", false],
    ] as const) {
      const { problem } = buildHessianProblem({
        sizes: [6, 5, 4, 3],
        n: 20,
        act,
        bias,
        loss,
        data: "gaussian",
        seed: 3,
        init: "glorot-normal",
        downscale: "nearest",
        closedForm: false,
      });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-torch-")), "problem.json");
      exportProblem(problem, file);
      const torch = JSON.parse(execFileSync("/usr/bin/python3", [script, "check", file], { encoding: "utf8" }));
      const h = cv.hessian(problem);
      assert.ok(Math.abs(torch.loss - h.loss) < 1e-12);
      for (const [key, M] of [
        ["eig_H", h.H!],
        ["eig_Ho", h.Ho!],
        ["eig_Hf", h.Hf!],
      ] as const) {
        const ours = eigvalsh(M);
        const scale = Math.max(...ours.map(Math.abs));
        ours.forEach((v, i) => assert.ok(Math.abs(v - torch[key][i]) <= 1e-10 * scale, `${act} ${key}[${i}]`));
      }
      assert.deepEqual(
        [cv.spectrumOf(h.H!).rank, cv.spectrumOf(h.Ho!).rank, cv.spectrumOf(h.Hf!).rank],
        [torch.rank_H, torch.rank_Ho, torch.rank_Hf],
      );
    }
  },
);
