import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runExperiment } from "../../src/experiments/framework";
import { defineStudy } from "../../src/experiments/define";
import { definePart, partCacheKey } from "../../src/experiments/parts";
import { int, str } from "../../src/util/options";
import { cacheKey, cacheFile, canonicalJson } from "../../src/cache";
import { mapTasks } from "../../src/parallel";
import { measureModule } from "../../src/experiments/hessian-rank/measure";
import { Progress, setProgressSink, ProgressState } from "../../src/progress";
import { stderrOf } from "../helpers";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-fw-"));

let calls = 0;
type Toy = { n: number; label: string };
const toy = defineStudy({
  name: "toy",
  namespace: "toy",
  title: "toy",
  authors: "nobody 2026",
  paper: "-",
  notebook: "-",
  defaults: { n: 3, label: "a" } as Toy,
  presets: { quick: { n: 2 }, paper: {} },
  rules: { n: int(1, 10), label: str },
  claims: {},
  parts: {
    sum: definePart<Toy>()({
      id: "sum",
      title: "the sum 1 + … + n",
      reads: ["n", "label"],
      async run(o) {
        calls++;
        return {
          figures: [],
          summary: { sum: (o.n * (o.n + 1)) / 2, label: o.label },
          checks: [{ name: "n small", pass: o.n < 5, detail: `n = ${o.n}` }],
        };
      },
    }),
  },
});
const toyKey = (o: Toy) => partCacheKey("toy", "sum", o, ["n", "label"]);

describe("experiment framework", () => {
  it("merges defaults ← preset ← options and rejects bad options before running", async () => {
    const dir = tmp();
    calls = 0;
    assert.equal((await runExperiment(toy, { cacheDir: dir })).summary.sum, 6);
    assert.equal((await runExperiment(toy, { preset: "quick", cacheDir: dir })).summary.sum, 3);
    assert.equal((await runExperiment(toy, { preset: "quick", n: 4, cacheDir: dir })).summary.sum, 10);
    await assert.rejects(
      runExperiment(toy, { nn: 3 } as never),
      /toy: unknown option "nn"; allowed: n, label, preset, force, cache, cacheDir/,
    );
    await assert.rejects(runExperiment(toy, { n: 11 }), /toy: option n must be an integer in \[1, 10\]; got 11/);
    await assert.rejects(
      runExperiment(toy, { preset: "fast" as never }),
      /option preset must be one of quick, paper, full; got "fast"/,
    );
    assert.equal(calls, 3, "bad options never reach run()");
  });

  it(
    "caches by content: same options hit, force recomputes, a truncated entry is detected and " + "recomputed",
    async () => {
      const dir = tmp();
      calls = 0;
      const a = await runExperiment(toy, { n: 7, cacheDir: dir });
      const b = await runExperiment(toy, { n: 7, cacheDir: dir });
      assert.equal(calls, 1);
      assert.equal(b.cached, true);
      assert.deepEqual(b.toJSON(), a.toJSON());
      await runExperiment(toy, { n: 7, cacheDir: dir, force: true });
      assert.equal(calls, 2);
      const file = cacheFile(toyKey({ n: 7, label: "a" }), dir);
      const text = fs.readFileSync(file, "utf8");
      fs.writeFileSync(file, text.slice(0, Math.floor(text.length * 0.6)));
      const { value: c, err } = await stderrOf(() => runExperiment(toy, { n: 7, cacheDir: dir }));
      assert.equal(c.cached, false);
      assert.equal(calls, 3);
      assert.match(err, /unreadable \(checksum mismatch/);
      assert.equal((await runExperiment(toy, { n: 7, cacheDir: dir })).cached, true, "rewritten whole");
      assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
    },
  );

  it(
    "the key leaves out the worker count and includes the code; a cache that cannot be " + "written loses no result",
    async () => {
      const key = (o: object) => partCacheKey("toy", "sum", o, ["n", "label", "workers"]);
      assert.equal(key({ n: 1, label: "a", workers: 1 }), key({ n: 1, label: "a", workers: 2 }));
      assert.notEqual(key({ n: 1, label: "a" }), key({ n: 2, label: "a" }));
      assert.notEqual(cacheKey("toy", { n: 1 }, "0.1.0 aaaa"), cacheKey("toy", { n: 1 }, "0.1.0 bbbb"));
      const dir = tmp();
      fs.writeFileSync(path.join(dir, "blocked"), "a file where the cache folder should be");
      const warnings: string[] = [];
      const onWarn = (w: Error) => warnings.push(w.message);
      process.on("warning", onWarn);
      try {
        const r = await runExperiment(toy, { n: 4, cacheDir: path.join(dir, "blocked") });
        assert.equal(r.summary.sum, 10, "the finished result is returned");
        await new Promise((res) => setImmediate(res));
        assert.ok(
          warnings.some((w) => /could not write the cache entry/.test(w)),
          warnings.join("; "),
        );
      } finally {
        process.off("warning", onWarn);
      }
    },
  );

  it("progress: throttled updates with elapsed time, ETA and a final state", () => {
    const seen: ProgressState[] = [];
    setProgressSink((s) => seen.push(s));
    const p = new Progress("work", 1000, 0);
    for (let i = 0; i < 1000; i++) p.tick();
    p.finish();
    setProgressSink(undefined);
    assert.equal(seen[0].done, 0);
    assert.ok(seen.some((s) => s.eta !== undefined));
    assert.deepEqual([seen.at(-1)!.done, seen.at(-1)!.finished], [1000, true]);
  });
});

describe("worker pool", () => {
  it("a parallel sweep returns exactly what the serial one does", async () => {
    const args = [6, 8, 10, 12].map((n, i) => ({
      hidden: [5, 4],
      d: 16,
      K: 4,
      n,
      activation: "tanh",
      bias: i % 2 === 1,
      loss: "mse",
      init: "glorot-normal",
      seed: i,
      source: "mnist",
      inputs: "standardized",
      parts: ["H"],
      keepSpectra: true,
    }));
    const tasks = args.map((a) => ({ module: measureModule, fn: "measure", args: a }));
    const serial = await mapTasks<{ spectra: { H: number[] } }>(tasks, { workers: 1 });
    const parallel = await mapTasks<{ spectra: { H: number[] } }>(tasks, { workers: 2 });
    assert.deepEqual(
      parallel.map((r) => r.spectra.H),
      serial.map((r) => r.spectra.H),
    );
  });
});
