import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExperimentDefinition, runExperiment, OptionError, checkInt } from "../src/experiments/framework";
import { cacheKey, cacheFile, canonicalJson } from "../src/cache";
import { mapTasks } from "../src/parallel";
import { measureModule } from "../src/experiments/hessian-rank/measure";
import { hessianRank } from "../src/experiments/hessian-rank";
import { Progress, setProgressSink, ProgressState } from "../src/progress";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-fw-"));

let calls = 0;
const toy: ExperimentDefinition<{ n: number; label: string }> = {
  name: "toy",
  title: "toy",
  paper: "-",
  defaults: { n: 3, label: "a" },
  presets: { quick: { n: 2 }, paper: {} },
  validate(o) {
    checkInt("toy", "n", o.n, 1, 10);
  },
  async run(o) {
    calls++;
    return { figures: [], summary: { sum: (o.n * (o.n + 1)) / 2, label: o.label }, tables: [], checks: [{ name: "n small", pass: o.n < 5, detail: `n = ${o.n}` }], notes: [] };
  },
};

describe("experiment framework", () => {
  it("merges defaults ← preset ← options and rejects bad options before running", async () => {
    const dir = tmp();
    calls = 0;
    assert.equal((await runExperiment(toy, { cacheDir: dir })).summary.sum, 6);
    assert.equal((await runExperiment(toy, { preset: "quick", cacheDir: dir })).summary.sum, 3);
    assert.equal((await runExperiment(toy, { preset: "quick", n: 4, cacheDir: dir })).summary.sum, 10);
    await assert.rejects(runExperiment(toy, { nn: 3 } as never), /toy: unknown option "nn"; allowed: n, label, preset, force, cache, cacheDir/);
    await assert.rejects(runExperiment(toy, { n: 11 }), /toy: option n must be an integer in \[1, 10\]; got 11/);
    await assert.rejects(runExperiment(toy, { preset: "fast" as never }), /option preset must be one of quick, paper; got "fast"/);
    assert.equal(calls, 3, "bad options never reach run()");
  });

  it("caches by content: same options hit, force recomputes, a truncated entry is detected and recomputed", async () => {
    const dir = tmp();
    calls = 0;
    const a = await runExperiment(toy, { n: 7, cacheDir: dir });
    const b = await runExperiment(toy, { n: 7, cacheDir: dir });
    assert.equal(calls, 1);
    assert.equal(b.cached, true);
    assert.deepEqual(b.toJSON(), a.toJSON());
    await runExperiment(toy, { n: 7, cacheDir: dir, force: true });
    assert.equal(calls, 2);
    const file = cacheFile(cacheKey("toy", { n: 7, label: "a" }), dir);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length * 0.6)));
    const logs: string[] = [];
    const c = await runExperiment(toy, { n: 7, cacheDir: dir }, (s) => logs.push(s));
    assert.equal(c.cached, false);
    assert.equal(calls, 3);
    assert.match(logs.join("\n"), /unreadable \(checksum mismatch/);
    assert.equal((await runExperiment(toy, { n: 7, cacheDir: dir })).cached, true, "rewritten whole");
    assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });

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
    const args = [6, 8, 10, 12].map((n, i) => ({ hidden: [5, 4], d: 16, K: 4, n, activation: "tanh", bias: i % 2 === 1, loss: "mse", init: "glorot-normal", seed: i, source: "mnist", inputs: "standardized", parts: ["H"], keepSpectra: true }));
    const tasks = args.map((a) => ({ module: measureModule, fn: "measure", args: a }));
    const serial = await mapTasks<{ spectra: { H: number[] } }>(tasks, { workers: 1 });
    const parallel = await mapTasks<{ spectra: { H: number[] } }>(tasks, { workers: 2 });
    assert.deepEqual(parallel.map((r) => r.spectra.H), serial.map((r) => r.spectra.H));
  });
});

describe("study: Singh et al. Hessian rank (quick preset)", () => {
  it("every check holds (linear ranks = formulas in Figs. 1, 2, 6, at init in Fig. 5; bounds during training); a rerun is served from cache in < 100 ms", { timeout: 300000 }, async () => {
    const dir = tmp();
    const r = await hessianRank({ preset: "quick", cacheDir: dir });
    for (const c of r.checks) assert.ok(c.pass, `${c.name}: ${c.detail}`);
    assert.ok(r.checks.length >= 10);
    assert.equal(r.figures.length, 10);
    const t0 = process.hrtime.bigint();
    const again = await hessianRank({ preset: "quick", cacheDir: dir });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(again.cached, true);
    assert.ok(ms < 100, `cached rerun took ${ms.toFixed(1)} ms`);
    await assert.rejects(hessianRank({ widths: [0, 4] }), /option widths must be a list of at least 1 integers ≥ 1; got \[0,4\]/);
    await assert.rejects(hessianRank({ source: "imagenet" as never }), /option source must be one of "auto", "cifar10", "fashion-mnist", "mnist"; got "imagenet"/);
  });
});

export { OptionError };

describe("study: Hebbar information loss (quick preset)", () => {
  it("Parts 1–3 hold: manifold dimensions, H = 2GGᵀ at zero loss and where it breaks, rank G drops by m − 1 under information loss", { timeout: 300000 }, async () => {
    const { infoLoss } = await import("../src/experiments/info-loss");
    const r = await infoLoss({ preset: "quick", cache: false });
    const parts123 = r.checks.filter((c) => /^Part [123]/.test(c.name));
    assert.ok(parts123.length >= 10);
    for (const c of parts123) assert.ok(c.pass, `${c.name}: ${c.detail}`);
    assert.match(String(r.summary["part 4 verdict (post's 5/19 update)"]), /linear targets: .+; zig-zag targets: .+/);
    await assert.rejects(infoLoss({ collide: 9 }), /option collide must be an integer in \[2, 6\]; got 9/);
  });
});

describe("study: Patel local rank, Gaussian Deep VIB", () => {
  it("critical β from the covariances are 1/c², and the VIB encoder's local rank steps within a factor 1.5 of them", async () => {
    const { gaussianIbCriticalBetas, trainGaussianVib } = await import("../src/experiments/local-rank/gaussian-vib");
    const { Matrix } = await import("../src/linalg");
    const c = [0.1, 0.1, 0.5, 0.5, 0.5];
    const I = c.map((_, i) => c.map((__, j) => (i === j ? 1 : 0)));
    const C = c.map((ci, i) => c.map((__, j) => (i === j ? ci : 0)));
    const crit = gaussianIbCriticalBetas(Matrix.from(I), Matrix.from(C), Matrix.from(I));
    crit.betas.forEach((b, i) => assert.ok(Math.abs(b - [4, 4, 4, 100, 100][i]) < 1e-9 * b));
    const lr = (beta: number) => trainGaussianVib({ Sxx: I, Sxy: C, Syy: I, betaVib: 1 / beta, hidden: [8, 8], dT: 5, steps: 4000, lr: 0.01, seed: 0 }).singularValues.filter((s) => s > 0.01).length;
    assert.deepEqual([3.5, 5.5, 90, 140].map(lr), [0, 3, 3, 5]);
  });
});
