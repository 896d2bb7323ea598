/**
 * Third round of adversarial probes (issue 43, after the robust branch): what the second round's fixes left, found by
 * probing the same families more widely. Each test fails on the code before this round:
 * - output places: a file among the folders above `--out` / `--export-problem` was found only after the work, with
 *   "EEXIST: file already exists, mkdir" (exit 1);
 * - `figure --set`/`--preset` values a study refuses exited 1 (usage errors exit 2);
 * - `ledger --from` a file that is not a result: a raw JSON.parse message without the file, or an empty table;
 * - hand-written operators returning the wrong shape or non-finite values gave NaN estimates (or an unrelated Matrix
 *   error), `denseOperator` took a non-square matrix;
 * - `mapTasks({ workers: NaN })` returned every result undefined;
 * - a matrix too large to allocate failed with "Invalid typed array length";
 * - participation ratios of spectra near 1e-160 lost digits in subnormal sums;
 * - `lineFigure` drew series whose x and y differ in length; an activation typo passed when there is no hidden layer;
 * - training options with a typo (`optimiser`) were ignored (Adam ran), lr Infinity, a NaN l2, a negative weight decay
 *   or a negative checkpoint trained on; `takeRows` gave zero rows for indices outside the set;
 * - `claims --preset quick --update-readme` (nothing recorded at quick) replaced every table with "not recorded";
 * - a Chromium that does not start said only "Target page, context or browser has been closed";
 * - RANKSCOPE_CACHE_DIR under /proc exited 1 (every other refused variable exits 2); a file there was not refused.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { outputPlaceProblem, writeFileAtomic } from "../../src/util/files";
import { Matrix, participationRatio } from "../../src/linalg";
import * as cv from "../../src/curvature";
import { mapTasks } from "../../src/parallel";
import { lineFigure } from "../../src/figures";
import { paramCount } from "../../src/nets";
import { singh } from "../../src/experiments/hessian-rank";
import { trainFloat64 } from "../../src/training";
import { initParams } from "../../src/nets";
import { takeRows, loadCifar10 } from "../../src/data";
import { packageRoot } from "../../src/report/recorded";
import { save } from "../../src/export";

const cli = path.resolve(__dirname, "../../src/cli/main.js");
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120000 });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-probes2-"));

/** An exported task for mapTasks (workers = 1 runs it on this thread). */
export function squareTask(x: number): number {
  return x * x;
}

describe("output places are checked before work", () => {
  it("outputPlaceProblem names a file among the folders above, a folder where a file goes, and the reverse", () => {
    const dir = tmp();
    try {
      const file = path.join(dir, "a-file");
      fs.writeFileSync(file, "x");
      assert.match(outputPlaceProblem(path.join(file, "sub", "f.svg")) ?? "", /a-file is a file, so no folder/);
      assert.match(outputPlaceProblem(dir) ?? "", /is a folder, not a file/);
      assert.match(outputPlaceProblem(file, "folder") ?? "", /is a file, not a folder/);
      assert.equal(outputPlaceProblem(path.join(dir, "new", "deeper", "f.svg")), undefined, "missing folders are made");
      assert.match(outputPlaceProblem("/proc/x") ?? "", /pseudo-filesystem/);
      // the write itself says so too (it said "EEXIST: file already exists, mkdir …")
      assert.throws(() => writeFileAtomic(path.join(file, "f.txt"), "x"), /cannot write .*a-file is a file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("figure, ledger and hessian refuse an --out / --export-problem under a file with exit 2, naming the flag", () => {
    const dir = tmp();
    try {
      const file = path.join(dir, "a-file");
      fs.writeFileSync(file, "x");
      for (const [args, why] of [
        // the figure was computed first (23 s at quick) and then failed with exit 1
        [
          ["figure", "singh.fig2a", "--out", path.join(file, "f.svg")],
          /figure: --out cannot be written: .*a-file is a file/,
        ],
        [["ledger", "hessian-rank", "--out", path.join(file, "l.md")], /ledger: --out cannot be written/],
        [
          ["hessian", "--sizes", "4,3,2", "--n", "10", "--export-problem", path.join(file, "p.json")],
          /--export-problem cannot be written: .*a-file is a file/,
        ],
        [
          ["hessian", "--sizes", "4,3,2", "--n", "10", "--export-problem", dir],
          /--export-problem cannot be written: .* is a folder/,
        ],
      ] as [string[], RegExp][]) {
        const r = run(args);
        assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, why);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("figure and ledger usage errors", () => {
  it("figure: a --set or --preset value the study refuses is a usage error (exit 2) before any work", () => {
    const dir = tmp();
    try {
      const out = path.join(dir, "f.svg");
      for (const [args, why] of [
        [["--set", "bogus=1"], /unknown option "bogus"; allowed: /],
        [["--set", "sweepN=abc"], /option sweepN must be a non-empty list/],
        [["--preset", "bogus"], /option preset must be one of quick, paper/],
      ] as [string[], RegExp][]) {
        const r = run(["figure", "singh.fig2a", "--out", out, ...args]);
        assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, why);
        assert.ok(!fs.existsSync(out));
      }
      // the check is the call's own: it accepts what the call accepts
      assert.doesNotThrow(() => singh.fig2a.check({ preset: "quick", sweepN: [10, 20] }));
      assert.throws(() => singh.fig2a.check({ sweepN: [10, -20] } as never), /sweepN/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ledger --from: not JSON, no ledger or an unknown verdict is a usage error naming the file; a bad study is named", () => {
    const dir = tmp();
    try {
      const good = {
        title: "t",
        ledger: [{ id: "c1", claim: "a claim", where: "Fig. 1", rule: "r", detail: "d", verdict: "reproduced" }],
      };
      const cases: [string, string, RegExp][] = [
        ["text.json", "not json", /--from .*text\.json is not a result's JSON/],
        ["empty.json", "{}", /--from .*empty\.json is not a result with a claims ledger: it has no title/],
        ["noledger.json", JSON.stringify({ title: "t" }), /it has no ledger/],
        [
          "verdict.json",
          JSON.stringify({ ...good, ledger: [{ ...good.ledger[0], verdict: "great" }] }),
          /ledger entry 0 has no id or no verdict among reproduced, /,
        ],
      ];
      for (const [name, text, why] of cases) {
        fs.writeFileSync(path.join(dir, name), text);
        const r = run(["ledger", "--from", path.join(dir, name)]);
        assert.equal(r.status, 2, `${name}: ${r.stderr}`);
        assert.match(r.stderr, why);
      }
      const bogus = run(["ledger", "bogus"]);
      assert.equal(bogus.status, 2);
      assert.match(bogus.stderr, /name a study \(hessian-rank, .*; got "bogus"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("operators written by hand are checked on every apply", () => {
  const eye = (p: number): cv.SymmetricOperator => ({ p, apply: (V) => V, block: 4 });
  it("an apply that returns another shape is refused by every estimator, naming it (NaN estimates before)", () => {
    const wrongRows: cv.SymmetricOperator = { p: 3, apply: () => new Matrix(1, 3), block: 4 };
    const wrongCols: cv.SymmetricOperator = { p: 3, apply: (V) => new Matrix(V.rows, 2), block: 4 };
    const notMatrix = { p: 3, apply: () => ({ rows: 1 }), block: 1 } as unknown as cv.SymmetricOperator;
    const calls: [string, () => unknown][] = [
      ["hutchinsonTrace", () => cv.hutchinsonTrace(wrongRows, { samples: 4 })],
      ["hutchinsonDiagonal", () => cv.hutchinsonDiagonal(wrongRows, { samples: 4 })],
      ["hutchPlusPlus", () => cv.hutchPlusPlus(wrongCols, { matvecs: 6 })],
      ["lanczos", () => cv.lanczos(wrongCols, 2, Float64Array.from([1, 0, 0]))],
      ["lanczos", () => cv.lanczos(notMatrix, 2, Float64Array.from([1, 0, 0]))],
      ["topEigenvalues", () => cv.topEigenvalues(wrongCols, 1)],
      ["blockOperator", () => cv.blockOperator(wrongCols, [0, 1]).apply(new Matrix(1, 2))],
    ];
    for (const [fn, call] of calls)
      assert.throws(call, new RegExp(`operator.apply must return V·A, a \\d+×3 Matrix`), fn);
    // the same operators, well formed, give the known values: trace of I₃ is 3 for every Rademacher probe
    assert.equal(cv.hutchinsonTrace(eye(3), { samples: 4 }).trace, 3);
  });

  it("an apply that returns NaN or ±Infinity is refused (the estimate was NaN)", () => {
    const nan: cv.SymmetricOperator = {
      p: 3,
      apply: (V) => new Matrix(V.rows, 3, new Float64Array(V.rows * 3).fill(NaN)),
      block: 4,
    };
    assert.throws(
      () => cv.hutchinsonTrace(nan, { samples: 4 }),
      /hutchinsonTrace: operator.apply returned a non-finite value NaN/,
    );
    assert.throws(() => cv.topEigenvalues(nan, 1), /lanczos: operator.apply returned a non-finite value NaN/);
  });

  it("denseOperator refuses a non-square matrix (its 'eigenvalues' were returned)", () => {
    assert.throws(() => cv.denseOperator(new Matrix(2, 3)), /denseOperator: A must be a square p×p matrix .* 2×3/);
    // a square one: the top eigenvalues of diag(5, 2, 1, 0.5) are 5 and 2
    const top = cv.topEigenvalues(cv.denseOperator(Matrix.diag([5, 2, 1, 0.5])), 2);
    assert.deepEqual(
      Array.from(top, (x) => Math.round(x * 1e10) / 1e10),
      [5, 2],
    );
  });
});

describe("inputs that were accepted and gave wrong or no results", () => {
  it("mapTasks refuses workers that are not an integer in [1, 1024] (NaN returned every result undefined)", async () => {
    const task = { module: __filename, fn: "squareTask", args: 3 };
    for (const workers of [NaN, 0, -1, 1.5, 1e6])
      await assert.rejects(mapTasks([task], { workers }), /mapTasks: option workers must be an integer in \[1, 1024\]/);
    await assert.rejects(mapTasks("abc" as never), /mapTasks: tasks must be a list/);
    await assert.rejects(mapTasks([{ module: __filename }] as never), /mapTasks: task 0 must be \{ module/);
    assert.deepEqual(await mapTasks([task], { workers: 1 }), [9]);
  });

  it("a matrix too large to allocate is refused naming its shape and size (was 'Invalid typed array length')", () => {
    assert.throws(
      () => Matrix.zeros(1e6, 1e6),
      /Matrix: a 1000000×1000000 float64 matrix \(7\.45e\+3 GiB\) cannot be allocated/,
    );
  });

  it("participation ratio of a spectrum near 1e-160 equals that of the same spectrum scaled to 1 (subnormal sums)", () => {
    // PR is scale-free: [3, 1, 2]·1e-160 has the PR of [3, 1, 2], (6)²/14 (it gave 2.5714638 for 2.5714286)
    const pr = participationRatio([3e-160, 1e-160, 2e-160]);
    assert.ok(Math.abs(pr - 36 / 14) < 1e-15, `${pr}`);
    assert.ok(Math.abs(participationRatio([1e-160, 1e-160]) - 2) < 1e-15);
    // ordinary spectra keep their bits
    assert.equal(participationRatio([3, 1, 2]), 36 / 14);
  });

  it("lineFigure refuses series whose x, y, error or band lengths differ, and an empty name", () => {
    const base = { title: "t", x: { title: "x" }, y: { title: "y" } };
    const s = { name: "s", x: [1, 2], y: [1, 2] };
    assert.throws(
      () => lineFigure("f", { ...base, series: [{ ...s, y: [1] }] }),
      /series 0 \("s"\): x has 2 values and y 1; they must have the same length/,
    );
    assert.throws(
      () => lineFigure("f", { ...base, series: [{ ...s, error: [1] }] }),
      /error must be a list of 2 values/,
    );
    assert.throws(
      () => lineFigure("f", { ...base, series: [{ ...s, band: [[0], [2, 3]] }] }),
      /band must be \[lower, upper\]/,
    );
    assert.throws(() => lineFigure("", { ...base, series: [s] }), /lineFigure: the name must be a non-empty string/);
    assert.equal(lineFigure("f", { ...base, series: [s] }).data.length, 1);
  });

  it("an activation typo is refused even when the network has no hidden layer", () => {
    assert.throws(
      () => paramCount({ sizes: [2, 2], activation: "relu " as never, bias: true }),
      /unknown activation "relu "; allowed: linear, relu/,
    );
    assert.equal(paramCount({ sizes: [2, 2], activation: "relu", bias: true }), 6);
  });

  it("training refuses unknown keys and out-of-range settings before any step (a typo ran the default)", async () => {
    const spec = { sizes: [3, 4, 2], activation: "tanh" as const, bias: true };
    const params = initParams(spec, { seed: 1 });
    const X = new Matrix(
      6,
      3,
      Array.from({ length: 18 }, (_, i) => Math.sin(i)),
    );
    const Y = new Matrix(
      6,
      2,
      Array.from({ length: 12 }, (_, i) => Math.cos(i)),
    );
    const base = { spec, params, X, Y, lr: 0.1, steps: 5 };
    for (const [extra, why] of [
      [{ optimiser: "sgd" }, /train: unknown option "optimiser"; allowed: X, Y, loss, optimizer, lr/],
      [{ lr: Infinity }, /option lr must be a finite number > 0; got Infinity/],
      [{ l2: NaN }, /option l2 must be a finite number ≥ 0; got NaN/],
      [{ optimizer: "adamw", weightDecay: -1 }, /option weightDecay must be a finite number ≥ 0; got -1/],
      [{ checkpoints: [-1, 3] }, /option checkpoints must be a list \(each item an integer ≥ 0\)/],
      [{ seed: 2 ** 32 }, /option seed must be an integer in \[0, 2³² − 1\]/],
    ] as [object, RegExp][])
      await assert.rejects(trainFloat64({ ...base, ...extra }), why, JSON.stringify(extra));
    // zero steps: the initial parameters come back unchanged
    const r = await trainFloat64({ ...base, steps: 0 });
    assert.deepEqual(Array.from(r.params), Array.from(params));
  });

  it("takeRows refuses rows outside the set and fractions (it returned rows of zeros)", () => {
    const ds = { name: "toy", X: new Matrix(2, 2, [1, 2, 3, 4]), Y: new Matrix(2, 1, [5, 6]), description: "d" };
    for (const rows of [[0, 5], [-1], [0.5]])
      assert.throws(() => takeRows(ds, rows), /takeRows: row \d is .*; rows must be integers in \[0, 1\]/);
    assert.deepEqual(Array.from(takeRows(ds, [1, 0]).X.data), [3, 4, 1, 2]);
  });
});

describe("results the README and exports rest on", () => {
  it("claims --update-readme at a preset with no record exits 1 and leaves the README as it was", () => {
    const root = packageRoot();
    assert.ok(!fs.existsSync(path.join(root, "results", "quick")), "this checkout has no quick records");
    const readme = path.join(root, "README.md");
    const before = fs.readFileSync(readme, "utf8");
    const r = run(["claims", "--preset", "quick", "--update-readme"]);
    const after = fs.readFileSync(readme, "utf8");
    if (after !== before) fs.writeFileSync(readme, before); // put it back before failing
    assert.equal(after, before, "README.md was rewritten");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /no study has a record at the quick preset .*README\.md not changed/);
  });

  it("a Chromium that does not start is named in the export error (no binary was named)", async () => {
    const dir = tmp();
    const old = process.env.RANKSCOPE_CHROMIUM;
    try {
      // a stand-in that exits at once, as a broken Chromium does
      const fake = path.join(dir, "chromium");
      fs.writeFileSync(fake, "#!/bin/sh\nexit 1\n");
      fs.chmodSync(fake, 0o755);
      process.env.RANKSCOPE_CHROMIUM = fake;
      const fig = lineFigure("f", {
        title: "t",
        x: { title: "x" },
        y: { title: "y" },
        series: [{ name: "s", x: [1], y: [1] }],
      });
      await assert.rejects(
        save(fig, path.join(dir, "f.png")),
        /export: Chromium at .*chromium did not launch \(.*\); check that it runs/,
      );
      assert.ok(!fs.existsSync(path.join(dir, "f.png")));
    } finally {
      if (old === undefined) delete process.env.RANKSCOPE_CHROMIUM;
      else process.env.RANKSCOPE_CHROMIUM = old;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("RANKSCOPE_CACHE_DIR under a pseudo-filesystem or naming a file is refused like every variable: exit 2", () => {
    const dir = tmp();
    try {
      const file = path.join(dir, "a-file");
      fs.writeFileSync(file, "x");
      for (const [value, why] of [
        ["/proc/x", /RANKSCOPE_CACHE_DIR: \/proc\/x is under \/proc, a kernel pseudo-filesystem/],
        [file, /RANKSCOPE_CACHE_DIR must be a folder .*a-file is a file, not a folder/],
      ] as [string, RegExp][]) {
        const r = spawnSync(process.execPath, [cli, "ledger", "hessian-rank"], {
          encoding: "utf8",
          timeout: 120000,
          env: { ...process.env, RANKSCOPE_CACHE_DIR: value },
        });
        assert.equal(r.status, 2, `${value}: ${r.stderr}`);
        assert.match(r.stderr, why);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loadCifar10 with a missing folder says what the folder must hold", () => {
    assert.throws(
      () => loadCifar10({ dir: "/nonexistent-cifar" }),
      /directory \/nonexistent-cifar does not exist; dir must be the folder of CIFAR-10's binary version \(data_batch_1\.bin/,
    );
  });
});
