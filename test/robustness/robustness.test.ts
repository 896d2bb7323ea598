/**
 * Probes an adversarial user would try: each must end in a clear error naming what to change, or in a
 * correct result — never a crash, a hang, a silent wrong output or a lost result.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { Matrix, eigvalsh, svdvals, nativeAvailable } from "../../src/linalg";
import { kernels } from "../../src/linalg/kernels";
import { parseFlags, UsageError } from "../../src/cli/args";
import { parseReproduceArgs } from "../../src/cli/reproduce";
import { writeFileAtomic } from "../../src/util/files";
import { renderFigure } from "../../src/export";
import { lineFigure } from "../../src/figures";
import { hessianRank } from "../../src/experiments/hessian-rank";
import { HESSIAN_FLAGS, hessianOptionsFromFlags, checkResources } from "../../src/cli/hessian";

const cli = path.resolve(__dirname, "../../src/cli/main.js");
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60000, env: { ...process.env, ...env } });

describe("robustness: command line", () => {
  it(
    "a flag without its value, a value given to a boolean, unknown flags and stray arguments " +
      "are usage errors (exit 2)",
    () => {
      for (const args of [
        ["reproduce", "--study"],
        ["reproduce", "--preset"],
        ["reproduce", "--bogus"],
        ["reproduce", "extra"],
        ["hessian", "--bias", "1"],
        ["hessian", "--sizes"],
        ["hessian", "--nope"],
        ["notebooks", "--out"],
        ["notebooks", "--bogus"],
      ]) {
        const r = run(args);
        assert.equal(r.status, 2, `${args.join(" ")} → ${r.status}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /(argument missing|Unknown option|Unexpected argument|unexpected|takes)/i,
          args.join(" "),
        );
      }
    },
  );

  it("--k=v works; bad values name the flag and the allowed values", () => {
    assert.deepEqual(
      hessianOptionsFromFlags(parseFlags("hessian", ["--sizes=2,16,2", "--bias"], HESSIAN_FLAGS)).sizes,
      [2, 16, 2],
    );
    assert.throws(
      () => parseReproduceArgs(["--study=bogus"]),
      /--study must be one or more \(comma-separated\) of hessian-rank, info-loss/,
    );
    assert.throws(
      () => parseReproduceArgs(["--preset=fast"]),
      /--preset must be one of quick, paper, full; got "fast"/,
    );
    assert.throws(() => parseReproduceArgs(["--formats", "gif"]), /--formats takes html, png, svg, pdf; got "gif"/);
    assert.throws(
      () => hessianOptionsFromFlags(parseFlags("hessian", ["--n=-3"], HESSIAN_FLAGS)),
      /--n must be an integer in \[1, 100000000\], got "-3"/,
    );
    assert.throws(
      () => hessianOptionsFromFlags(parseFlags("hessian", ["--act", "swish"], HESSIAN_FLAGS)),
      /--act must be one of linear, relu/,
    );
    assert.ok(parseReproduceArgs(["--help"]).help);
  });

  it("work that cannot fit is refused before anything is allocated, naming the option to change", () => {
    const big = hessianOptionsFromFlags(parseFlags("hessian", ["--sizes", "100000,50,10", "--n", "10"], HESSIAN_FLAGS));
    assert.throws(
      () => checkResources(big, "hessian"),
      (e: Error) => e instanceof UsageError && /needs about .* GiB .* use smaller --sizes or --n/.test(e.message),
    );
    const many = hessianOptionsFromFlags(parseFlags("hessian", ["--n", "100000000"], HESSIAN_FLAGS));
    assert.throws(() => checkResources(many, "hessian"), /use smaller --sizes or --n/);
    assert.throws(
      () =>
        checkResources(
          hessianOptionsFromFlags(parseFlags("hessian", ["--sizes", "30000,30000,10", "--n", "10"], HESSIAN_FLAGS)),
          "export",
        ),
      /--export-problem: this problem needs/,
      "refused before writing",
    );
    const r = run(["hessian", "--sizes", "100000,50,10", "--n", "10"], { RANKSCOPE_MEMORY_GIB: "1" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /over the limit of 1\.00 GiB/);
    assert.equal(
      run(["hessian", "--n", "5"], { RANKSCOPE_MEMORY_GIB: "zero" }).status,
      2,
      "an invalid limit is an error, not a silent default",
    );
  });
});

describe("robustness: library inputs", () => {
  it("Matrix copies plain Arrays and Float32Arrays into float64, so the addon never sees them", () => {
    const a = new Matrix(2, 2, [2, 1, 1, 2] as unknown as Float64Array);
    const f = new Matrix(2, 2, new Float32Array([2, 1, 1, 2]) as unknown as Float64Array);
    assert.ok(a.data instanceof Float64Array && f.data instanceof Float64Array);
    assert.deepEqual(Array.from(eigvalsh(a)), [1, 3]);
    assert.deepEqual(Array.from(eigvalsh(f)), [1, 3]);
    assert.throws(() => new Matrix(2, 2, [1, 2, 3] as unknown as Float64Array), /needs 4 entries, got 3/);
  });

  it(
    "the addon itself throws catchable TypeErrors for wrong argument types and lengths",
    { skip: !nativeAvailable() && "the LAPACK addon is not loaded" },
    () => {
      const k = kernels() as unknown as Record<string, (...a: unknown[]) => unknown>;
      assert.throws(() => k.eigh([1, 2, 2, 1], 2, false), /eigh: argument 1 must be a Float64Array/);
      assert.throws(() => k.eigh(new Float32Array(4), 2, false), /eigh: argument 1 must be a Float64Array/);
      assert.throws(() => k.eigh(new Float64Array(3), 2, false), /buffer has 3 elements, expected 4/);
      assert.throws(
        () => k.gemm(new Float64Array(4), "2", 2, false, new Float64Array(4), 2, false, 1),
        /gemm: argument 2 must be a number/,
      );
      assert.throws(
        () => k.gemmInto(new Float64Array(4), new Float32Array(4), 2, 2, false, new Float64Array(4), 2, false, 1, 0),
        /gemmInto: argument 2 must be a Float64Array/,
      );
      assert.throws(
        () =>
          k.adam(
            new Float64Array(3),
            new Float64Array(3),
            new Float64Array(2),
            new Float64Array(3),
            1,
            0.9,
            0.99,
            1e-8,
            1,
            1,
            0,
          ),
        /adam: p, g, m, v differ in length/,
      );
      assert.equal(svdvals(new Matrix(1, 1, new Float64Array([-3])))[0], 3, "still works after the errors");
    },
  );

  it("study options: cache controls are type-checked before any work", async () => {
    await assert.rejects(hessianRank({ force: "yes" as never }), /option force must be true or false; got "yes"/);
    await assert.rejects(hessianRank({ cacheDir: 3 as never }), /option cacheDir must be a folder path; got 3/);
    await assert.rejects(hessianRank({ cahce: false } as never), /unknown option "cahce"/);
  });

  it("writes under kernel pseudo-filesystems are refused at once (they hung)", () => {
    assert.throws(
      () => writeFileAtomic("/proc/rankscope-test/x.json", "{}"),
      /is under \/proc, a kernel pseudo-filesystem/,
    );
    const r = spawnSync(
      process.execPath,
      [
        "-e",
        `process.env.RANKSCOPE_CACHE_DIR="/sys/x"; ` +
          `require(${JSON.stringify(path.resolve(__dirname, "../../src/cache"))}).defaultCacheDir()`,
      ],
      { encoding: "utf8", timeout: 20000 },
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /RANKSCOPE_CACHE_DIR: \/sys\/x is under \/sys/);
  });

  it(
    "exports too large to raster, and unknown export options, are refused instead of writing " + "an empty file",
    async () => {
      const fig = lineFigure("probe", {
        title: "t",
        x: { title: "x" },
        y: { title: "y" },
        series: [{ name: "a", x: [1, 2], y: [1, 2] }],
      });
      await assert.rejects(
        renderFigure(fig, "png", { width: 100000, height: 100000 }),
        /100000×100000 at scale 2 is too large/,
      );
      await assert.rejects(renderFigure(fig, "png", { widht: 10 } as never), /unknown option "widht"/);
    },
  );
});
