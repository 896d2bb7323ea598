/**
 * Second round of adversarial probes (issue 43), what is stored and read back: checkpoints and the shared task store
 * carry a checksum (a changed double is caught, not served), a task or cache entry of the wrong kind or shape is
 * recomputed with a warning instead of failing every run, `rs.cached` keys tell every value apart or refuse it, and
 * the curvature operators refuse an unknown kind or a block size that would never advance.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as v8 from "node:v8";
import { cached, canonicalJson, writeCache } from "../../src/cache";
import { ExperimentDefinition, runExperiment } from "../../src/experiments/framework";
import { definePart, runPart, partCacheKey } from "../../src/experiments/parts";
import { ClaimSpec } from "../../src/report/ledger";
import { mapTasks } from "../../src/parallel";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";

/** A task computed on this thread (workers = 1); counts its calls. */
const calls: number[] = [];
export function normSquaredTask(x: number): { norm2: number; v: Float64Array } {
  calls.push(x);
  return { norm2: x * x + 0.68, v: Float64Array.from([x, 2 * x]) };
}

interface Opts {
  a: number;
  b: number;
  workers: number;
}
const part = definePart<Opts>();
const claim: ClaimSpec<{ value: number }> = {
  id: "c-norm",
  claim: "‖θ‖² is positive",
  where: "Fig. N",
  rule: "> 0",
  differences: [],
  assess: (m) => ({
    verdict: m.value > 0 ? "reproduced" : "not reproduced",
    numbers: { value: m.value },
    detail: `‖θ‖² = ${m.value.toFixed(2)}`,
  }),
  example: { value: 1 },
  counterexample: { value: -1 },
};
const figN = part({
  id: "figN",
  title: "Fig. N — norms",
  reads: ["a", "b"],
  async run(o) {
    const [r] = await mapTasks<{ norm2: number; v: Float64Array }>(
      [{ module: __filename, fn: "normSquaredTask", args: o.a }],
      { workers: 1, shared: true },
    );
    return {
      figures: [],
      summary: { norm2: r.norm2, b: o.b },
      evidence: { "c-norm": { value: r.norm2 } },
    };
  },
});
const study: ExperimentDefinition<Opts> = {
  name: "toy-store",
  title: "toy",
  paper: "-",
  defaults: { a: 4, b: 1, workers: 1 },
  presets: { quick: {}, paper: {} },
  validate() {},
  parts: [figN],
  claims: { "c-norm": claim },
};

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-store-"));
function filesUnder(dir: string, ext: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Runs fn with stderr captured (the framework reports recomputed entries there). */
async function stderrOf<T>(fn: () => Promise<T>): Promise<{ value: T; err: string }> {
  const orig = process.stderr.write.bind(process.stderr);
  let err = "";
  process.stderr.write = ((s: string | Uint8Array) => {
    err += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await fn(), err };
  } finally {
    process.stderr.write = orig;
  }
}

describe("stored tasks and cache entries are checked on every read", () => {
  it("one changed double in a shared task file is caught and recomputed (not served), and the file repaired", async () => {
    const dir = tmp();
    try {
      calls.length = 0;
      const first = await runExperiment(study, { cacheDir: dir });
      assert.equal(first.summary.norm2, 16.68, "4² + 0.68 by hand");
      const [task] = filesUnder(path.join(dir, "tasks"), ".v8");
      assert.ok(task, "the shared task is stored");
      // replace the stored double 16.68 by 99 (V8 writes a number as its 8 little-endian bytes)
      const bytes = fs.readFileSync(task);
      const was = Buffer.alloc(8);
      was.writeDoubleLE(16.68);
      const at = bytes.indexOf(was);
      assert.ok(at > 0, "the double is in the file");
      bytes.writeDoubleLE(99, at);
      fs.writeFileSync(task, bytes);
      // a new figure entry (b changed) restores the shared task instead of training again
      const { value: second, err } = await stderrOf(() => runPart(study, "figN", { cacheDir: dir, b: 2 }));
      assert.equal(second.summary.norm2, 16.68, "the edited value is not served");
      assert.match(err, /checkpoint .* is unreadable \(checksum mismatch/);
      assert.deepEqual(calls, [4, 4], "computed again once");
      const { value: third, err: err3 } = await stderrOf(() => runPart(study, "figN", { cacheDir: dir, b: 3 }));
      assert.equal(third.summary.norm2, 16.68);
      assert.equal(err3, "", "the repaired file is restored without a warning");
      assert.deepEqual(calls, [4, 4], "…and not computed again");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a task file holding a valid serialised value of the wrong kind is recomputed once, not failed on forever", async () => {
    const dir = tmp();
    try {
      calls.length = 0;
      await runExperiment(study, { cacheDir: dir });
      const [task] = filesUnder(path.join(dir, "tasks"), ".v8");
      fs.writeFileSync(task, v8.serialize("not a task result"));
      for (const b of [5, 6]) {
        const { value, err } = await stderrOf(() => runPart(study, "figN", { cacheDir: dir, b }));
        assert.equal(value.summary.norm2, 16.68);
        if (b === 5) assert.match(err, /is unreadable \(not a rankscope task file/);
        else assert.equal(err, "");
      }
      assert.deepEqual(calls, [4, 4]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a cache entry with a valid checksum but the wrong shape is recomputed with a warning, once", async () => {
    const dir = tmp();
    try {
      const opts = { ...study.defaults, a: 3 };
      const key = partCacheKey(study.name, "figN", opts, figN.reads);
      for (const [bad, why] of [
        [{ output: { figures: 5 }, seconds: 1 }, /output\.figures is not a list/],
        [{ output: { figures: [], checks: [{ nope: 1 }] }, seconds: 1 }, /output\.checks\[0\] is not a check/],
        [{ output: "x", seconds: 1 }, /output is not an object/],
        [{ output: { figures: [] }, seconds: "1" }, /seconds is not a number/],
      ] as [unknown, RegExp][]) {
        writeCache(key, bad, dir);
        const { value, err } = await stderrOf(() => runPart(study, "figN", { cacheDir: dir, a: 3 }));
        assert.equal(value.summary.norm2, 9.68);
        assert.match(err, /cache entry .* is unreadable \(content of the wrong shape: /);
        assert.match(err, why);
        const again = await stderrOf(() => runPart(study, "figN", { cacheDir: dir, a: 3 }));
        assert.equal(again.err, "", "the entry was overwritten with a good one");
        assert.ok(again.value.cached);
      }
      // evidence the claim cannot read (the right outer shape, wrong inside): recomputed, not a TypeError forever
      writeCache(key, { output: { figures: [], evidence: { "c-norm": null } }, seconds: 1 }, dir);
      const { value, err } = await stderrOf(() => runPart(study, "figN", { cacheDir: dir, a: 3 }));
      assert.equal(value.ledger[0].verdict, "reproduced");
      assert.match(err, /could not be assessed .*recomputing/);
      const whole = await stderrOf(() => runExperiment(study, { cacheDir: dir, a: 3 }));
      assert.equal(whole.value.ledger[0].verdict, "reproduced");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("rs.cached keys tell every value apart, or refuse it", () => {
  it("values JSON would merge get different entries; each is served back to its own options", async () => {
    const dir = tmp();
    try {
      const c = { cacheDir: dir, log: () => {} };
      let n = 0;
      const distinct: unknown[] = [
        Infinity,
        -Infinity,
        NaN,
        null,
        undefined,
        0,
        -0,
        "Infinity",
        new Date(0),
        new Date(86400000),
        new Map([["a", 1]]),
        new Map([["a", 2]]),
        new Map([[1, "a"]]),
        new Set([1]),
        new Set([2]),
        [undefined],
        [null],
        12n,
        13n,
        "12n",
        Float32Array.from([1]),
        Float64Array.from([1]),
        [1],
        /a/g,
        /a/,
      ];
      const f = () => n++;
      const got: number[] = [];
      for (const v of distinct) got.push(await cached("probe", { v }, f, c));
      assert.deepEqual(got, [...distinct.keys()], "each option computed once, in its own entry");
      const again: number[] = [];
      for (const v of distinct) again.push(await cached("probe", { v }, f, c));
      assert.deepEqual(again, [...distinct.keys()], "…and each served back from its own entry");
      // the same value built again is the same key: Maps and Sets in any insertion order, object keys in any order
      assert.equal(
        await cached("probe", { v: new Map([["a", 1]]) }, f, c),
        distinct.findIndex((x) => x instanceof Map),
      );
      assert.equal(n, distinct.length, "nothing computed on the second pass");
      assert.equal(canonicalJson(new Set([2, 1])), canonicalJson(new Set([1, 2])));
      assert.equal(canonicalJson({ b: 1, a: [2, "x"] }), JSON.stringify({ a: [2, "x"], b: 1 }), "plain JSON as JSON");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("functions, symbols, class instances and cycles are refused before any work, naming where they are", async () => {
    const never = () => assert.fail("computed");
    await assert.rejects(cached("x", { f: () => 1 }, never), /cached\("x"\): options\.f is a function, .* pass /);
    await assert.rejects(cached("x", { a: [Symbol("s")] }, never), /options\.a\[0\] is a symbol/);
    await assert.rejects(cached("x", { m: new Matrix(1, 1) }, never), /options\.m is a Matrix instance/);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    await assert.rejects(cached("x", cyc, never), /options\.self refers back to itself/);
  });
});

describe("curvature operators refuse what would be wrong or never finish", () => {
  const spec: nets.NetSpec = { sizes: [3, 4, 2], activation: "tanh", bias: false };
  const rng = new Rng(3);
  const problem: cv.Problem = {
    spec,
    params: nets.initParams(spec, { seed: 1 }),
    X: new Matrix(5, 3, rng.normals(15)),
    Y: new Matrix(5, 2, rng.normals(10)),
    loss: "mse",
  };
  it('hessianVectorProducts(problem, V, "bogus") is refused (it returned zeros)', () => {
    const V = new Matrix(1, 20, new Rng(1).normals(20));
    assert.throws(
      () => cv.hessianVectorProducts(problem, V, "bogus" as never),
      /hessianVectorProducts: kind must be "hessian" or "ggn"; got "bogus"/,
    );
    assert.throws(
      () => cv.curvatureProducts(cv.prepare("t", problem), V, "bogus" as never),
      /kind must be "hessian" or "ggn"/,
    );
  });

  it("an operator with block 0, NaN or 1.5 is refused by every estimator instead of looping forever", () => {
    const A = cv.denseOperator(Matrix.identity(4));
    for (const block of [0, -1, NaN, 1.5]) {
      const op = { ...A, block };
      const why = /operator\.block \(vectors per apply call\) must be an integer ≥ 1/;
      assert.throws(() => cv.hutchinsonTrace(op, { samples: 4 }), why);
      assert.throws(() => cv.hutchinsonDiagonal(op, { samples: 4 }), why);
      assert.throws(() => cv.hutchPlusPlus(op, { matvecs: 6 }), why);
      assert.throws(() => cv.applyInBlocks(op, Matrix.identity(4)), why);
      assert.throws(() => cv.topEigenvalues(op, 1), why);
      assert.throws(() => cv.ritzPairs(op, 1), why);
      assert.throws(() => cv.spectralDensity(op), why);
    }
    assert.throws(() => cv.hutchinsonTrace({ ...A, p: 0 }), /operator\.p \(the dimension\) must be an integer ≥ 1/);
    // a valid operator still gives the exact trace of the identity (Rademacher probes: vᵀv = p exactly)
    assert.equal(cv.hutchinsonTrace({ ...A, block: 1 }, { samples: 3 }).trace, 4);
  });
});
