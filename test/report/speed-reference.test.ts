/**
 * The machine-speed reference's parts that need no training (src/report/speed.ts): the reference net, where the
 * PyTorch script is looked for, and how a Python script's JSON line or its failure is read. Timing the reference step
 * itself trains a network and is covered by test/report/recorded-results.test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findTorchReference, runPythonJson, SPEED_NET } from "../../src/report/speed";

const withEnv = <T>(value: string | undefined, f: () => T): T => {
  const before = process.env.RANKSCOPE_TORCH_REFERENCE;
  if (value === undefined) delete process.env.RANKSCOPE_TORCH_REFERENCE;
  else process.env.RANKSCOPE_TORCH_REFERENCE = value;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env.RANKSCOPE_TORCH_REFERENCE;
    else process.env.RANKSCOPE_TORCH_REFERENCE = before;
  }
};

describe("speed reference", () => {
  it("the reference step: Chen et al.'s MLP 784-500-500-500-2, tanh, batch 20, lr 0.05", () => {
    assert.deepEqual(SPEED_NET, { sizes: [784, 500, 500, 500, 2], activation: "tanh", batch: 20, lr: 0.05 });
  });

  it("findTorchReference: $RANKSCOPE_TORCH_REFERENCE, then ../shared/bench and ../../shared/bench of the root", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-torchref-"));
    const cwd = process.cwd();
    try {
      const work = path.join(dir, "work");
      const pkg = path.join(work, "pkg");
      const deep = path.join(pkg, "sub");
      fs.mkdirSync(deep, { recursive: true });
      process.chdir(deep);
      withEnv(undefined, () => assert.equal(findTorchReference(pkg), undefined));
      const own = path.join(dir, "own.py");
      fs.writeFileSync(own, "");
      withEnv(own, () => assert.equal(findTorchReference(pkg), own));
      withEnv(path.join(dir, "missing.py"), () => assert.equal(findTorchReference(pkg), undefined));
      withEnv("", () => assert.equal(findTorchReference(pkg), undefined));
      const bench = path.join(work, "shared", "bench");
      fs.mkdirSync(bench, { recursive: true });
      const script = path.join(bench, "torch_reference.py");
      fs.writeFileSync(script, "");
      withEnv(undefined, () => {
        assert.equal(findTorchReference(pkg), script, "<root>/../shared/bench");
        assert.equal(findTorchReference(deep), script, "<root>/../../shared/bench");
        assert.equal(findTorchReference(path.join(deep, "a", "b")), undefined);
      });
      withEnv(own, () => assert.equal(findTorchReference(pkg), own, "the variable comes first"));
      withEnv(path.join(dir, "missing.py"), () => assert.equal(findTorchReference(pkg), script));
      // from the working folder: <cwd>/../shared/bench
      process.chdir(pkg);
      withEnv(undefined, () => assert.equal(findTorchReference(path.join(dir, "x", "y", "z")), script));
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runPythonJson: the last line printed, parsed; a failing script, bad output or a timeout as { error }", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-py-"));
    try {
      const ok = path.join(dir, "ok.py");
      fs.writeFileSync(
        ok,
        'import json, sys\nprint("warming up")\nprint(json.dumps({"args": sys.argv[1:], "ms_per_step": 4.5}))\n',
      );
      assert.deepEqual(runPythonJson(ok, ["train", "--steps", "5"]), {
        args: ["train", "--steps", "5"],
        ms_per_step: 4.5,
      });
      const fails = path.join(dir, "fails.py");
      fs.writeFileSync(fails, "import sys\nsys.stderr.write('boom\\n')\nsys.exit(3)\n");
      assert.deepEqual(runPythonJson(fails, ["a", "b"]), {
        error: `fails.py failed: Command failed: /usr/bin/python3 ${fails} a b (needs Debian's python3-torch)`,
      });
      const text = path.join(dir, "text.py");
      fs.writeFileSync(text, 'print("hello")\n');
      const bad = runPythonJson(text, []);
      assert.match(String(bad.error), /^text\.py failed: .*JSON.* \(needs Debian's python3-torch\)$/);
      const silent = path.join(dir, "silent.py");
      fs.writeFileSync(silent, "pass\n");
      assert.match(String(runPythonJson(silent, []).error), /^silent\.py failed: Unexpected end of JSON input/);
      const slow = path.join(dir, "slow.py");
      fs.writeFileSync(slow, "import time\ntime.sleep(5)\n");
      assert.match(String(runPythonJson(slow, [], 100).error), /^slow\.py failed: .*ETIMEDOUT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
