/**
 * How the linear-algebra path is chosen, in fresh processes: the addon found from the package root, a missing or
 * broken addon reported by name with the TypeScript path taking over, RANKSCOPE_LINALG forcing either path, and the
 * refusals of useBackend and setThreads. The missing and broken cases run a copy of the compiled linalg and util
 * folders placed outside the package, where no build/Release/rankscope_lapack.node is found.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import * as la from "../../src/linalg";
import { MAX_THREADS } from "../../src/linalg/kernels";

const here = path.resolve(__dirname, "../../src"); // dist/src

/** Runs `code` in a fresh node with `la` = the linalg module at `src`; returns its last stdout line as JSON. */
function probe(src: string, code: string, env: Record<string, string> = {}): unknown {
  const script = `const la = require(${JSON.stringify(path.join(src, "linalg"))});
const out = (v) => console.log(JSON.stringify(v));
const err = (f) => { try { f(); return null; } catch (e) { return e.message; } };
${code}`;
  const r = spawnSync(process.execPath, ["-e", script], {
    encoding: "utf8",
    env: { ...process.env, RANKSCOPE_LINALG: "", ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

describe("choosing the linear-algebra path", () => {
  let lone = "";
  before(() => {
    // linalg and util only (linalg imports nothing else), outside the package: no addon above it
    lone = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-linalg-"));
    for (const dir of ["linalg", "util"])
      fs.cpSync(path.join(here, dir), path.join(lone, "a", "b", "c", "d", "src", dir), { recursive: true });
    lone = path.join(lone, "a", "b", "c", "d", "src");
  });
  after(() => fs.rmSync(lone.replace(/\/a\/b\/c\/d\/src$/, ""), { recursive: true, force: true }));

  it("without the addon: the TypeScript path, and every call that needs LAPACK says why it is missing", () => {
    const r = probe(
      lone,
      `out({ available: la.nativeAvailable(), status: la.nativeStatus(), backend: la.backend(),
        use: err(() => la.useBackend("lapack")), threads: la.getThreads(), set: la.setThreads(1024),
        eig: Array.from(la.eigvalsh(la.Matrix.diag([2, 1]))) })`,
    ) as Record<string, unknown>;
    const why = "build/Release/rankscope_lapack.node not found (run the set-up command or `npx node-gyp rebuild`)";
    assert.deepEqual(r, {
      available: false,
      status: why,
      backend: "typescript",
      use: `useBackend: the LAPACK addon is unavailable: ${why}`,
      threads: 1,
      set: 1,
      eig: [1, 2],
    });
    const forced = probe(lone, `out(err(() => la.backend()))`, { RANKSCOPE_LINALG: "lapack" });
    assert.equal(forced, `RANKSCOPE_LINALG=lapack but the addon is unavailable: ${why}`);
  });

  it("a file at the addon's place that does not load: named with the loader's reason, TypeScript path used", () => {
    const root = path.resolve(lone, "..");
    const addon = path.join(root, "build", "Release", "rankscope_lapack.node");
    fs.mkdirSync(path.dirname(addon), { recursive: true });
    fs.writeFileSync(addon, "not a shared object");
    try {
      const r = probe(
        lone,
        `out({ available: la.nativeAvailable(), status: la.nativeStatus(), backend: la.backend() })`,
      );
      const { available, status, backend } = r as { available: boolean; status: string; backend: string };
      assert.deepEqual([available, backend], [false, "typescript"]);
      assert.ok(
        status.startsWith(`could not load ${addon}: `) && status.length > `could not load ${addon}: `.length,
        status,
      );
    } finally {
      fs.rmSync(path.join(root, "build"), { recursive: true, force: true });
    }
  });

  it(
    "with the addon: found from the package root, the default path; RANKSCOPE_LINALG=typescript selects the fallback",
    { skip: la.nativeAvailable() ? false : "the LAPACK addon is not built here" },
    () => {
      const withAddon = probe(
        here,
        `out({ available: la.nativeAvailable(), status: la.nativeStatus(), backend: la.backend() })`,
      );
      assert.deepEqual(withAddon, { available: true, status: "", backend: "lapack" });
      for (const v of ["typescript", "ts", "fallback"])
        assert.deepEqual(probe(here, `out([la.backend(), la.nativeAvailable()])`, { RANKSCOPE_LINALG: v }), [
          "typescript",
          true,
        ]);
      assert.equal(probe(here, `out(la.backend())`, { RANKSCOPE_LINALG: "lapack" }), "lapack");
      // switching at run time, both ways
      assert.deepEqual(
        probe(
          here,
          `la.useBackend("typescript"); const a = la.backend(); la.useBackend("lapack"); out([a, la.backend()])`,
        ),
        ["typescript", "lapack"],
      );
    },
  );

  it("in this process: the addon's path when it loaded (the status then empty), else the fallback with the reason", () => {
    // run here too, not only in the child processes: mutation testing runs a mutant only against the test files
    // whose own process executed its code
    const forced = process.env.RANKSCOPE_LINALG;
    if (!forced) assert.equal(la.backend(), la.nativeAvailable() ? "lapack" : "typescript");
    assert.equal(la.nativeStatus() === "", la.nativeAvailable());
    assert.ok(la.getThreads() >= 1);
    la.useBackend("typescript");
    assert.equal(la.backend(), "typescript");
    if (la.nativeAvailable()) {
      la.useBackend("lapack");
      assert.equal(la.backend(), "lapack");
    } else assert.throws(() => la.useBackend("lapack"), /useBackend: the LAPACK addon is unavailable: /);
  });

  it("useBackend and setThreads refuse what they cannot do, naming the allowed values", () => {
    assert.throws(() => la.useBackend("blas" as la.BackendName), {
      message: 'useBackend: unknown backend "blas"; allowed: "lapack", "typescript"',
    });
    const cores = os.cpus().length;
    for (const [n, shown] of [
      [0, "0"],
      [MAX_THREADS + 1, String(MAX_THREADS + 1)],
      [1.5, "1.5"],
      ["2", '"2"'],
    ] as const)
      assert.throws(() => la.setThreads(n as number), {
        message: `setThreads: the thread count must be an integer in [1, 1024]; got ${shown} (this machine has ${cores} cores)`,
      });
    assert.equal(MAX_THREADS, 1024);
  });
});
