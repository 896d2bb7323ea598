/**
 * Checkpoints inside a task (parallel/resume.ts) for training whose caller records metrics at its checkpoint steps:
 * Chen's runs (MLP and VGG), Patel's Fig. 1 MLP and image VIB, Singh's Corollary 10 run, and the float64 and tfjs
 * loops. Each task is run in
 * attempts stopped mid-way (as a queue worker stops one; its checkpoints kept between attempts in the task-store format,
 * as a worker keeps them in Redis) and must end bit for bit where one uninterrupted run ends, every attempt after the
 * first resuming from the step the one before stopped at (not from zero). No Redis: the queue's own test
 * (queue.test.ts) kills a worker running such a task.
 */
import { describe, it, before } from "node:test";
import * as assert from "node:assert/strict";
import { inAttempts, assertResumed } from "./attempts";
import { runChen, ChenRunArgs, ChenRun } from "../../src/experiments/flatness-compression/run";
import { chenCheckpoints } from "../../src/experiments/flatness-compression/shared";
import { runMlp } from "../../src/experiments/local-rank/mlp";
import { trainVibImages } from "../../src/experiments/local-rank/vib-images";
import { cor10Run } from "../../src/experiments/hessian-rank/cor10-relu-minimum";

before(() => {
  process.env.RANKSCOPE_PROGRESS = "0";
});

/** A Chen MLP run at a small scale of the quick preset's sizes (metrics at 8 checkpoints, Hutchinson at the end). */
const chenMlp: ChenRunArgs = {
  model: "mlp",
  source: "fashion-mnist",
  classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  nTrain: 200,
  hidden: [24, 24],
  activation: "tanh",
  mlpLayer: "output",
  mlpPrecision: "float32",
  traceProbes: 4,
  steps: 300,
  maxSteps: 300,
  afterZero: 0,
  afterZeroRatio: 0,
  checkpoints: chenCheckpoints(300, 8),
  vggLayers: [],
  vggHidden: [],
  vggSharpnessSamples: 1,
  vggOutputs: 0,
  vggInit: "pytorch-default",
  nEval: 20,
  nTest: 200,
  nTestEval: 20,
  lrUnits: "authors",
  definitions: "paper",
  lr: 0.1,
  batch: 20,
  seed: 0,
};

describe("training resumed from checkpoints that hold its caller's records", () => {
  it("Chen's MLP run: stopped twice between its metric checkpoints, it ends as an uninterrupted run", async () => {
    const whole = await runChen(chenMlp);
    const steps = whole.checkpoints.map((c) => c.step);
    // stops after the 3rd checkpoint's step and between two later ones: records on both sides of each stop
    const stops = [steps[3] + 2, steps[steps.length - 2] + 1];
    assert.ok(stops[0] < stops[1] && stops[1] < chenMlp.steps, `stops ${stops}, checkpoints ${steps}`);
    assertResumed(await inAttempts(() => runChen(chenMlp), stops), whole, stops);
  });

  it("Chen's VGG run: stopped before and after zero training error, it ends as an uninterrupted run", async () => {
    // past its scheduled 20 steps, the run trains on to zero training error, then a window after it: the state the
    // checkpoints decide (the step of zero error, the window's checkpoints and end) is part of the records
    const args: ChenRunArgs = {
      ...chenMlp,
      model: "vgg",
      classes: [0, 1],
      nTrain: 60,
      nTest: 60,
      nTestEval: 10,
      vggLayers: [4, "M", 8, "M"],
      vggHidden: [16],
      vggOutputs: 10,
      vggInit: "authors",
      vggSharpnessSamples: 4,
      steps: 20,
      maxSteps: 400,
      afterZero: 20,
      afterZeroRatio: 1,
      checkpoints: chenCheckpoints(20, 6),
      hidden: [],
      activation: "linear",
      traceProbes: 0,
    };
    const whole: ChenRun = await runChen(args);
    assert.ok(
      whole.window && whole.window.zeroAt > 20,
      `the run reaches zero error past step 20: ${JSON.stringify(whole.window)}`,
    );
    const stops = [9, whole.window.zeroAt + 3];
    assert.ok(stops[1] < whole.window.end, `${stops} within the window ending at ${whole.window.end}`);
    assertResumed(await inAttempts(() => runChen(args), stops), whole, stops);
  });

  it("Patel's Fig. 1 MLP (AdamW, mini-batches): stopped twice, it ends as an uninterrupted run", async () => {
    const args = {
      data: "gaussian" as const,
      hidden: [12, 12],
      n: 80,
      batchSize: 16,
      optimizer: "adamw" as const,
      weightDecay: 0.01,
      decayBiases: false,
      steps: 200,
      checkpoints: 8,
      lr: 1e-3,
      evalSamples: 6,
      eps: 0.01,
      epsRel: 0.1,
      epsList: [0.001, 0.01],
      seed: 2,
    };
    const whole = await runMlp(args);
    const stops = [37, 151];
    const got = await inAttempts(() => runMlp(args), stops);
    assertResumed(got, whole, stops);
    assert.ok(whole.steps.some((s) => s < 37) && whole.steps.some((s) => s > 151), `checkpoints ${whole.steps}`);
  });

  it("Patel's image VIB (its own tfjs Adam loop): stopped twice, it ends as an uninterrupted run", async () => {
    const args = {
      source: "mnist" as const,
      beta: 1,
      hidden: [16],
      dT: 3,
      n: 100,
      nTest: 40,
      steps: 30,
      batch: 20,
      lr: 1e-3,
      eps: 0.01,
      evalSamples: 4,
      seed: 1,
    };
    const whole = await trainVibImages(args);
    // the VIB loop counts its steps from 0; a stop "at step s" has taken steps 0 … s
    const stops = [4, 19];
    assertResumed(await inAttempts(() => trainVibImages(args), stops, 0), whole, stops);
  });

  it("Singh's Corollary 10 run (float64 GD measured at checkpoints, then Levenberg-Marquardt): resumed, the same", async () => {
    const args = {
      K: 3,
      init: "glorot-normal" as const,
      cor10Activation: "relu" as const,
      cor10D: 16,
      cor10R: 6,
      cor10Hidden: 10,
      cor10Teacher: 3,
      cor10N: 20,
      cor10Steps: 500,
      cor10Lr: 0.05,
      cor10LmSteps: 10,
      seed: 1,
    };
    const whole = await cor10Run(args);
    const stops = [5, 100];
    assert.ok(whole.checkpoints.filter((c) => c.phase === "GD" && c.step > 5 && c.step < 100).length >= 2);
    assertResumed(await inAttempts(() => cor10Run(args), stops), whole, stops);
  });
});
