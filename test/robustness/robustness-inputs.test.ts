/**
 * Second round of adversarial probes (issue 43), inputs: validated before any work, each refusal naming the option and
 * what is allowed; numbers that overflowed or were skipped now come out right or are refused.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseFlags, UsageError } from "../../src/cli/args";
import {
  HESSIAN_FLAGS,
  hessianOptionsFromFlags,
  checkResources,
  hessianSecondsEstimate,
  buildHessianProblem,
} from "../../src/cli/hessian";
import { loadMnist } from "../../src/data";
import { figureHtml, renderFigure } from "../../src/export";
import { lineFigure } from "../../src/figures";
import { patel } from "../../src/experiments/local-rank";
import { singh } from "../../src/experiments/hessian-rank";
import { jacot } from "../../src/experiments/bottleneck";
import { Matrix, frobenius, participationRatio, rankOfSpectrum, setThreads, getThreads } from "../../src/linalg";
import { linearRankFormulas, reconstructionErrors } from "../../src/curvature";
import { Rng } from "../../src/util/random";
import { initParams } from "../../src/nets";

const cli = path.resolve(__dirname, "../../src/cli/main.js");
const flags = (args: string[]) => hessianOptionsFromFlags(parseFlags("hessian", args, HESSIAN_FLAGS));

describe("hessian command: work, memory and export are checked before anything is allocated", () => {
  it("N counts: sizes 10,5,1 at N = 10⁸ is refused (it passed and ran on), naming --n", () => {
    const o = flags(["--sizes", "10,5,1", "--n", "100000000"]);
    assert.throws(
      () => checkResources(o, "hessian"),
      (e: Error) => e instanceof UsageError && /N = 100000000 .*use smaller --sizes or --n/.test(e.message),
    );
    // memory raised far enough, the work check still refuses what would take days (N·p² steps of ≥ 1e-8 s)
    const r = spawnSync(process.execPath, [cli, "hessian", "--sizes", "10,100,1", "--n", "10000000"], {
      encoding: "utf8",
      env: { ...process.env, RANKSCOPE_MEMORY_GIB: "100000" },
      timeout: 60000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /needs at least 33\.6 h of computation .* over the limit of 4 h; use smaller --sizes or --n/,
    );
    assert.equal(hessianSecondsEstimate(1100, 1e7), 1e-8 * 1e7 * 1100 * 1100);
    // the default problem still passes
    checkResources(flags([]), "hessian");
  });

  it("--export-problem refuses a problem whose Hessian the reference check cannot build (it wrote 345 MB)", () => {
    const file = path.join(os.tmpdir(), `rankscope-export-${process.pid}.json`);
    const r = spawnSync(
      process.execPath,
      [cli, "hessian", "--sizes", "4000,4000,1", "--n", "10", "--export-problem", file],
      { encoding: "utf8", timeout: 60000 },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--export-problem: .*p = 16004000 .*the reference check builds its p×p Hessian/);
    assert.ok(!fs.existsSync(file), "nothing written");
  });

  it("--loss ce with one output, --closed-form off its case and one size are usage errors (exit 2)", () => {
    assert.throws(() => flags(["--loss", "ce", "--sizes", "4,3,1"]), /--loss ce .* needs at least 2 outputs.*got 1/);
    assert.throws(() => flags(["--closed-form", "--act", "tanh"]), /--closed-form .* needs --act linear/);
    assert.throws(() => flags(["--sizes", "5"]), /--sizes needs at least two widths/);
    assert.throws(() => flags(["--seed", String(2 ** 32)]), /--seed must be an integer in \[0, 4294967294\]/);
    assert.throws(
      () => flags(["--data", "mnist", "--sizes", "4,3,2"]),
      /--data mnist has 10 classes: the last of --sizes/,
    );
    assert.throws(
      () => checkResources(flags(["--act", "gelu"]), "export"),
      /--export-problem: torch_reference\.py supports --act linear, relu, tanh, sigmoid; got gelu/,
    );
    const r = spawnSync(process.execPath, [cli, "hessian", "--loss", "ce", "--sizes", "4,3,1", "--n", "5"], {
      encoding: "utf8",
      timeout: 60000,
    });
    assert.equal(r.status, 2, r.stderr);
  });
});

describe("figures: refused before a browser starts or a file is written", () => {
  const fig = lineFigure("probe", {
    title: "t",
    x: { title: "x" },
    y: { title: "y" },
    series: [{ name: "a", x: [1, 2], y: [1, 2] }],
  });
  it("fractional or text sizes, data that is not a list, unknown trace types", async () => {
    await assert.rejects(renderFigure(fig, "png", { width: 100.5 }), /option width must be an integer ≥ 1; got 100\.5/);
    await assert.rejects(renderFigure(fig, "svg", { height: "300" as never }), /option height must be an integer/);
    const bad = (over: object) => ({ ...fig.toJSON(), ...over });
    await assert.rejects(
      renderFigure(bad({ data: { x: [1] } }), "png"),
      /figure "probe": data must be a list of traces/,
    );
    await assert.rejects(
      renderFigure(bad({ data: [{ type: "scatterr", x: [1] }] }), "png"),
      /trace 0 has type "scatterr", which plotly\.js does not draw; types: bar, /,
    );
    await assert.rejects(renderFigure(bad({ layout: { width: 640.5 } }), "png"), /width \(from the figure layout\)/);
    assert.throws(() => figureHtml(bad({ data: 5 })), /data must be a list of traces; got 5/);
  });

  it("a figure's name (the page title of a figure without a title) is escaped in the HTML title", () => {
    const spec = fig.toJSON();
    const html = figureHtml(
      { ...spec, name: "</title><script>alert(1)</script>", layout: { ...spec.layout, title: undefined } },
      { inlinePlotly: false },
    );
    assert.match(html, /<title>&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
    assert.equal((html.match(/<script>/g) ?? []).length, 1, "only the figure's own script");
  });
});

describe("study options: refused before any work, NaN and Infinity shown as themselves", () => {
  it("patel.fig1: batchSize above the training set, an empty epsList, a fractional seed, NaN", async () => {
    await assert.rejects(
      patel.fig1({ preset: "quick", batchSize: 1e6, cache: false }),
      /local-rank: option batchSize must be an integer in \[1, 1000\]; got 1000000/,
    );
    await assert.rejects(
      patel.fig1({ preset: "quick", epsList: [], cache: false }),
      /option epsList must be a non-empty list \(each item a finite number ≥ 0\); got \[\]/,
    );
    await assert.rejects(patel.fig1({ preset: "quick", seed: 0.5, cache: false }), /option seed must be an integer/);
    await assert.rejects(patel.fig1({ preset: "quick", eps: NaN, cache: false }), /option eps must be .*; got NaN/);
    await assert.rejects(
      patel.fig1({ preset: "quick", epsList: [0.1, Infinity], cache: false }),
      /option epsList must be .*; got \[0\.1,Infinity\]/,
    );
  });

  it(
    "±Infinity is refused by every kind of numeric study rule: numbers without an upper bound, integers, " +
      "lists of integers and of numbers (checked before any work)",
    () => {
      const refusals: [() => void, string][] = [
        [() => patel.fig1.check({ eps: Infinity }), "local-rank: option eps must be a finite number ≥ 0; got Infinity"],
        [
          () => patel.fig1.check({ eps: -Infinity }),
          "local-rank: option eps must be a finite number ≥ 0; got -Infinity",
        ],
        [
          () => patel.fig1.check({ epsList: [0.1, Infinity] }),
          "local-rank: option epsList must be a non-empty list (each item a finite number ≥ 0); got [0.1,Infinity]",
        ],
        [
          () => jacot.depthSweep.check({ threshold: Infinity }),
          "bottleneck: option threshold must be a finite number ≥ 0; got Infinity",
        ],
        [
          () => jacot.depthSweep.check({ lambda: Infinity }),
          "bottleneck: option lambda must be a finite number ≥ 0; got Infinity",
        ],
        [
          () => singh.fig1.check({ fig1N: Infinity }),
          "hessian-rank: option fig1N must be an integer ≥ 2; got Infinity",
        ],
        [
          () => singh.fig1.check({ fig1N: -Infinity }),
          "hessian-rank: option fig1N must be an integer ≥ 2; got -Infinity",
        ],
        [
          () => singh.fig2a.check({ sweepN: [10, Infinity] }),
          "hessian-rank: option sweepN must be a non-empty list (each item an integer ≥ 2); got [10,Infinity]",
        ],
      ];
      for (const [call, message] of refusals) assert.throws(call, { message });
      // the same calls with finite values pass the check
      patel.fig1.check({ eps: 1e300, epsList: [0.1, 1e300] });
      jacot.depthSweep.check({ threshold: 1e300, lambda: 1e300 });
      singh.fig1.check({ fig1N: 2 ** 40 });
      singh.fig2a.check({ sweepN: [10, 2 ** 40] });
    },
  );

  it("setThreads refuses 0, NaN, fractions and 10⁶ (they were accepted)", () => {
    const before = getThreads();
    for (const n of [0, NaN, 1.5, 1e6, -2])
      assert.throws(() => setThreads(n), /setThreads: the thread count must be an integer in \[1, 1024\]/);
    assert.equal(getThreads(), before, "unchanged");
  });
});

describe("numbers: no overflow, nothing skipped, no silent wrap-around", () => {
  it("participation ratio and Frobenius norm of huge values equal the scaled ones (they overflowed)", () => {
    const big = [3e200, 4e200, 0];
    // PR is scale-free: (3 + 4)² / (9 + 16) = 49/25
    assert.ok(Math.abs(participationRatio(big) - 49 / 25) < 1e-15);
    assert.equal(participationRatio([3, 4, 0]), 49 / 25);
    // ‖[3e200, 4e200]‖_F = 5e200 (a 3-4-5 triangle)
    assert.ok(Math.abs(frobenius(new Matrix(1, 2, Float64Array.from([3e200, 4e200]))) / 5e200 - 1) < 1e-15);
    assert.ok(Math.abs(frobenius(new Matrix(1, 2, Float64Array.from([3e-200, 4e-200]))) / 5e-200 - 1) < 1e-15);
    const e = reconstructionErrors([3e200, 4e200]);
    // best rank-1 keeps 4e200: error 3/5; rank 0: 1; rank 2: 0
    assert.deepEqual(Array.from(e), [1, 3 / 5, 0]);
    assert.throws(() => participationRatio([]), /participationRatio: the spectrum is empty/);
  });

  it("a NaN in a spectrum is refused by the rank count (it was skipped)", () => {
    assert.throws(() => rankOfSpectrum([1, NaN, 2], 0.5), /non-finite value NaN at index 1/);
    assert.equal(rankOfSpectrum([1, 0.1, 2], 0.5), 2);
  });

  it("seeds: fractions, negatives and ≥ 2³² are refused (2³² gave seed 0's stream)", () => {
    assert.throws(() => new Rng(2 ** 32), /Rng: seed must be an integer in \[0, 2³² − 1\]/);
    assert.throws(() => new Rng(0.5), /Rng: seed must be an integer/);
    assert.throws(() => new Rng(-1), /Rng: seed must be an integer/);
    assert.notEqual(new Rng(2 ** 32 - 1).uniform(), new Rng(0).uniform());
    assert.throws(
      () => initParams({ sizes: [2, 2], activation: "linear", bias: false }, { seed: 2 ** 32 }),
      /initParams: option seed must be an integer in \[0, 2³² − 1\]; got 4294967296/,
    );
  });

  it("rank formulas refuse negative or fractional sizes, ce with one output, r above d", () => {
    assert.throws(() => linearRankFormulas({ sizes: [4, -3, 2] }), /sizes must be .* integers ≥ 1; got \[4,-3,2\]/);
    assert.throws(() => linearRankFormulas({ sizes: [4, 2.5, 2] }), /integers ≥ 1/);
    assert.throws(() => linearRankFormulas({ sizes: [4, 3, 1], loss: "ce" }), /ce loss needs K ≥ 2/);
    assert.throws(() => linearRankFormulas({ sizes: [4, 3, 2], r: 5 }), /r = rk\(Σ_xx\) cannot exceed .* d = 4/);
    assert.throws(() => linearRankFormulas({ sizes: [4, 3, 2], r: -1 }), /option r must be an integer ≥ 0/);
    // Fact 7 by hand for [4, 3, 2], r = 4: q = 2, M = 3, L = 2: 2·2·3 − 2·4 + 2·6 = 16
    assert.equal(linearRankFormulas({ sizes: [4, 3, 2] }).H, 16);
  });
});

describe("rankscope hessian --downscale", () => {
  it("nearest (default, the study's pipeline) picks pixel ⌊i·28/8⌋; area averages; a non-square d is refused", () => {
    const flags = (extra: Record<string, string | boolean>) =>
      hessianOptionsFromFlags({ sizes: "64,5,10", n: "3", data: "mnist", ...extra });
    const near = buildHessianProblem(flags({})).problem.X;
    const area = buildHessianProblem(flags({ downscale: "area" })).problem.X;
    const raw = loadMnist({ n: 3, seed: 0 }).X;
    for (let i = 0; i < 3; i++)
      for (let r = 0; r < 8; r++)
        for (let c = 0; c < 8; c++)
          assert.equal(near.get(i, r * 8 + c), raw.get(i, Math.floor((r * 28) / 8) * 28 + Math.floor((c * 28) / 8)));
    assert.ok(area.data.some((v, k) => v !== near.data[k]));
    assert.throws(() => flags({ sizes: "60,5,10" }), /--downscale nearest needs a square input size/);
    assert.throws(() => flags({ downscale: "bicubic" }), /downscale/);
  });
});
