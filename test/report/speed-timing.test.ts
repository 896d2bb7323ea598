/**
 * The machine-speed reference as a whole (`speedReference`), with a stand-in for the PyTorch script
 * ($RANKSCOPE_TORCH_REFERENCE): the script must be asked for exactly the reference step (Chen et al.'s MLP, float64,
 * SGD, one thread, the step count), and its answer, or its lack of one, is what the record keeps; the native timing
 * is a positive number of ms per step. Times are not checked, only that they are measured.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { speedReference, nativeReferenceMs, SPEED_NET } from "../../src/report/speed";
import { nativeBlas } from "../../src/training/native";

function fakeTorch(dir: string, answer: string): string {
  const expected = [
    "train",
    "--sizes",
    "784,500,500,500,2",
    "--act",
    "tanh",
    "--batch",
    "20",
    "--steps",
    "3",
    "--dtype",
    "float64",
    "--opt",
    "sgd",
    "--threads",
    "1",
    "--bias",
    "--lr",
    "0.05",
  ];
  const file = path.join(dir, `torch-${Math.random().toString(36).slice(2)}.py`);
  fs.writeFileSync(
    file,
    "import json, sys\n" +
      `expected = ${JSON.stringify(expected)}\n` +
      "print('progress line')\n" +
      `print(${answer} if sys.argv[1:] == expected else json.dumps({"error": "argv " + " ".join(sys.argv[1:])}))\n`,
  );
  return file;
}

describe("speedReference with a stand-in PyTorch script", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-speed-"));
  const before = process.env.RANKSCOPE_TORCH_REFERENCE;
  const run = async (answer: string) => {
    process.env.RANKSCOPE_TORCH_REFERENCE = fakeTorch(dir, answer);
    try {
      return await speedReference("start", 3);
    } finally {
      if (before === undefined) delete process.env.RANKSCOPE_TORCH_REFERENCE;
      else process.env.RANKSCOPE_TORCH_REFERENCE = before;
    }
  };

  it("asks the script for the reference step and keeps its ms per step beside the native timing", async () => {
    assert.deepEqual(
      { sizes: SPEED_NET.sizes, act: SPEED_NET.activation, batch: SPEED_NET.batch, lr: SPEED_NET.lr },
      { sizes: [784, 500, 500, 500, 2], act: "tanh", batch: 20, lr: 0.05 },
    );
    const r = await run('json.dumps({"ms_per_step": 1.5})');
    assert.equal(r.at, "start");
    assert.equal(r.torchMs, 1.5, `the script was asked for the reference step: ${r.torchError ?? ""}`);
    assert.equal(r.torchError, undefined);
    if (nativeBlas()) assert.ok(typeof r.nativeMs === "number" && r.nativeMs > 0 && Number.isFinite(r.nativeMs));
    else assert.equal(r.nativeMs, null);
  });

  it("an answer without ms_per_step, or an error, is kept as torchError with torchMs null", async () => {
    const none = await run('json.dumps({"other": 1})');
    assert.equal(none.torchMs, null);
    assert.equal(none.torchError, "no ms_per_step in its output");
    const err = await run('json.dumps({"error": "no torch here"})');
    assert.equal(err.torchMs, null);
    assert.equal(err.torchError, "no torch here");
    const str = await run('json.dumps({"ms_per_step": "fast"})');
    assert.equal(str.torchMs, null, "a non-number is no timing");
  });

  it("nativeReferenceMs: a positive ms per step with the addon, null without", async () => {
    const ms = await nativeReferenceMs(2);
    if (nativeBlas()) assert.ok(typeof ms === "number" && ms > 0 && Number.isFinite(ms));
    else assert.equal(ms, null);
  });
});
