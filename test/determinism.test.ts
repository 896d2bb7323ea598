/**
 * Seeded means repeatable: a tfjs-trained study task gives the same numbers in two separate processes.
 * (tfjs treats a random seed of 0 as "unseeded"; the Deep VIB on images passed 0 at its first step, so its
 * recorded Fig. 3 differed between runs.)
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const moduleFile = path.resolve(__dirname, "../src/experiments/local-rank/vib-images.js");
const script =
  `require(${JSON.stringify(moduleFile)}).trainVibImages({ source: "mnist", beta: 1, ` +
  `hidden: [32], dT: 4, n: 200, nTest: 100, steps: 30, batch: 50, lr: 1e-3, eps: 0.01, ` +
  `evalSamples: 8, seed: 0 }).then((r) => console.log(JSON.stringify(r)))`;

it("the Deep VIB on images with seed 0 gives identical results in two processes", { timeout: 120000 }, () => {
  const run = () => {
    const r = spawnSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      env: { ...process.env, RANKSCOPE_PROGRESS: "0" },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n").pop();
  };
  const a = run();
  const b = run();
  assert.ok(a && a.startsWith("{"), a);
  assert.equal(a, b);
});
