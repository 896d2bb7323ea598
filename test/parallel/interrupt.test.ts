/**
 * Interrupts, resumption, orphaned temporary files and environment variables: Ctrl-C stops a command
 * cleanly (exit 130, no native abort, nothing half-written), the finished tasks survive it and the
 * rerun restores them and returns what an uninterrupted run returns.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readCache } from "../../src/cache";
import { resolveOptions } from "../../src/experiments/framework";
import { partCacheKey } from "../../src/experiments/parts";
import { infoLossStudy } from "../../src/experiments/info-loss";
import { writeFileAtomic } from "../../src/util/files";
import { ENV_VARS } from "../../src/util/env";
import { descendants, killTree, running } from "../../kernel-helpers/run-notebooks";

const cli = path.resolve(__dirname, "../../src/cli/main.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Runs the CLI in its own process group (as a terminal would) and returns its exit code and output. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, RANKSCOPE_PROGRESS: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe("interrupts and resumption", () => {
  it(
    "Ctrl-C during a study's worker pool exits 130 with the finished tasks checkpointed; the " +
      "rerun resumes and equals an uninterrupted run",
    { timeout: 300000 },
    async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-int-"));
      const cache = path.join(root, "cache");
      const args = [
        "reproduce",
        "--preset",
        "quick",
        "--study",
        "info-loss",
        "--formats",
        "html",
        "--out",
        path.join(root, "out"),
      ];
      const env = { RANKSCOPE_CACHE_DIR: cache, RANKSCOPE_WORKERS: "2" };
      const { child, done } = startCli(args, env);
      const partial = path.join(cache, "partial");
      // wait until some tasks are checkpointed, then Ctrl-C the whole process group (as a terminal does)
      const t0 = Date.now();
      while (
        filesUnder(partial).filter((f) => f.endsWith(".v8")).length < 3 &&
        Date.now() - t0 < 120000 &&
        child.exitCode === null
      )
        await sleep(50);
      assert.equal(child.exitCode, null, "the study finished before it could be interrupted");
      process.kill(-child.pid!, "SIGINT");
      const r = await done;
      assert.equal(r.code, 130, `exit ${r.code} ${r.signal}: ${r.stderr.slice(-800)}`);
      assert.match(r.stderr, /SIGINT received; stopping/);
      assert.doesNotMatch(r.stderr + r.stdout, /FATAL|Abort|napi_/);
      const kept = filesUnder(partial);
      assert.ok(kept.filter((f) => f.endsWith(".v8")).length >= 3, `checkpoints kept: ${kept.length}`);
      assert.deepEqual(
        kept.filter((f) => f.endsWith(".tmp")),
        [],
        "no half-written checkpoint",
      );
      assert.equal(
        fs.existsSync(path.join(root, "out", "info-loss", "summary.json")),
        false,
        "no summary of an unfinished run",
      );

      const again = startCli(args, env);
      const r2 = await again.done;
      assert.equal(r2.code, 0, r2.stderr.slice(-800));
      assert.match(r2.stderr, /tasks restored from checkpoints/);
      assert.deepEqual(filesUnder(partial), [], "checkpoints are removed once the result is complete");

      // an uninterrupted run in another cache gives the same result
      const fresh = path.join(root, "fresh");
      const r3 = await startCli(args, { ...env, RANKSCOPE_CACHE_DIR: fresh }).done;
      assert.equal(r3.code, 0, r3.stderr.slice(-800));
      // the study is written as parts: each part's cache entry from the resumed run equals the uninterrupted run's
      const options = resolveOptions(infoLossStudy, { preset: "quick" });
      for (const part of infoLossStudy.parts!) {
        const key = partCacheKey("info-loss", part.id, options, part.reads);
        const a = readCache<{ output: { figures: unknown; evidence: unknown; summary: unknown } }>(key, cache);
        const b = readCache<{ output: { figures: unknown; evidence: unknown; summary: unknown } }>(key, fresh);
        assert.equal(a.status, "hit", part.id);
        assert.equal(b.status, "hit", part.id);
        if (a.status === "hit" && b.status === "hit") {
          assert.deepEqual(a.value.output.figures, b.value.output.figures);
          assert.deepEqual(a.value.output.evidence, b.value.output.evidence);
          assert.deepEqual(a.value.output.summary, b.value.output.summary);
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  );

  it("killTree ends a child that ignores SIGTERM and a grandchild in its own session", async () => {
    const child = spawn("bash", ["-c", "trap '' TERM; setsid sleep 300 & sleep 300; wait"], { stdio: "ignore" });
    let tree: number[] = [];
    for (const t0 = Date.now(); tree.length < 2 && Date.now() - t0 < 10000; await sleep(50))
      tree = descendants(child.pid!);
    assert.ok(tree.length >= 2, `descendants: ${tree}`);
    assert.ok([child.pid!, ...tree].every(running), "all run before killTree");
    const closed = new Promise((r) => child.on("close", r));
    await killTree(child.pid!, 300);
    await closed;
    await sleep(200);
    for (const p of [child.pid!, ...tree]) assert.equal(running(p), false, `pid ${p} still runs`);
  });
});

describe("atomic writes after a killed writer", () => {
  it(
    "temporary files left by dead writers are removed on the next write into their folder; a " +
      "live writer's is kept",
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-tmp-"));
      const dead = spawnSync("true").pid!; // has exited
      const orphan = path.join(dir, `.fig.html.${dead}.1.abc.tmp`);
      const live = spawn("sleep", ["30"]);
      const busy = path.join(dir, `.fig.html.${live.pid}.1.def.tmp`);
      const other = path.join(dir, `.other.html.${dead}.1.ghi.tmp`);
      const notOurs = path.join(dir, `.notes.${dead}.tmp`);
      for (const f of [orphan, busy, other, notOurs]) fs.writeFileSync(f, "x".repeat(1000));
      writeFileAtomic(path.join(dir, "fig.html"), "<html></html>");
      live.kill("SIGKILL");
      assert.equal(fs.existsSync(orphan), false, "the dead writer's temp file is gone");
      assert.equal(fs.existsSync(busy), true, "a running writer's temp file is left alone");
      assert.equal(fs.existsSync(other), false, "another target's temp file of a dead writer is gone too");
      assert.equal(fs.existsSync(notOurs), true, "a file not named like ours is left alone");
      assert.equal(fs.readFileSync(path.join(dir, "fig.html"), "utf8"), "<html></html>");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
});

describe("environment variables", () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [cli, "reproduce", "--help"], { encoding: "utf8", env: { ...process.env, ...env } });
  it("a misspelt or invalid RANKSCOPE_* variable is an error naming it and what it accepts (exit 2)", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ RANKSCOPE_WORKER: "2" }, /unknown environment variable RANKSCOPE_WORKER; rankscope reads RANKSCOPE_WORKERS/],
      [{ RANKSCOPE_WORKERS: "two" }, /RANKSCOPE_WORKERS must be an integer in \[1, 1024\]; got "two"/],
      [{ RANKSCOPE_WORKERS: "0" }, /RANKSCOPE_WORKERS must be an integer/],
      [{ RANKSCOPE_PROGRESS: "off" }, /RANKSCOPE_PROGRESS must be one of 0, 1; got "off"/],
      [{ RANKSCOPE_LINALG: "blas" }, /RANKSCOPE_LINALG must be one of lapack, typescript, ts, fallback; got "blas"/],
      [{ RANKSCOPE_TF_BACKEND: "webgl" }, /RANKSCOPE_TF_BACKEND must be one of tensorflow, wasm, cpu/],
      [{ RANKSCOPE_MEMORY_GIB: "-1" }, /RANKSCOPE_MEMORY_GIB must be a positive number/],
      [{ RANKSCOPE_CHROMIUM: "/nonexistent/chromium" }, /RANKSCOPE_CHROMIUM must be the path of a Chromium binary/],
      [
        { RANKSCOPE_FASHION_MNIST_DIR: os.tmpdir() },
        /RANKSCOPE_FASHION_MNIST_DIR must be a folder with the Fashion-MNIST IDX files/,
      ],
    ];
    for (const [env, msg] of cases) {
      const r = run(env);
      assert.equal(r.status, 2, `${JSON.stringify(env)} → ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    assert.equal(run({ RANKSCOPE_WORKERS: "1", RANKSCOPE_LINALG: "ts", RANKSCOPE_PROGRESS: "0" }).status, 0);
  });

  it("the README's table lists every variable rankscope reads", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Environment variables"));
    for (const name of Object.keys(ENV_VARS)) assert.match(table, new RegExp("\\| `" + name + "` \\|"), name);
  });

  it("a study run checks the environment before any work", () => {
    const saved = process.env.RANKSCOPE_WORKERS;
    process.env.RANKSCOPE_WORKERS = "lots";
    try {
      assert.throws(() => resolveOptions(infoLossStudy, { preset: "quick" }), /RANKSCOPE_WORKERS must be an integer/);
    } finally {
      if (saved === undefined) delete process.env.RANKSCOPE_WORKERS;
      else process.env.RANKSCOPE_WORKERS = saved;
    }
  });
});
