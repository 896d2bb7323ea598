/**
 * Second round of adversarial probes (issue 43), processes: a failed notebook run leaves no executed copy (the old
 * one was re-signed and counted), `kill -9` of the runner leaves nothing running behind it, a script that exports a
 * figure and never closes the exporter still exits, and the notebooks command's usage errors exit 2.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebook, running, descendants } from "../../kernel-helpers/run-notebooks";
import { chromiumPath } from "../../src/export";

const cli = path.resolve(__dirname, "../../src/cli/main.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("notebooks runner", () => {
  it("a run that fails removes the previous executed copy instead of re-signing and counting it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-nbfail-"));
    try {
      const out = path.join(dir, "executed");
      fs.mkdirSync(out);
      const stale = { cells: [{ cell_type: "code", source: ["1"], outputs: [] }], metadata: {}, nbformat: 4 };
      fs.writeFileSync(path.join(out, "probe.ipynb"), JSON.stringify(stale));
      fs.writeFileSync(path.join(dir, "probe.ipynb"), JSON.stringify(stale));
      // a Python whose nbconvert fails (as a cell error or a dead kernel does); it records every call
      const log = path.join(dir, "calls.txt");
      const python = path.join(dir, "python");
      fs.writeFileSync(
        python,
        `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *"import nbconvert"*) exit 0;; esac\n` +
          `echo "nbconvert: a cell failed" >&2\nexit 1\n`,
      );
      fs.chmodSync(python, 0o755);
      const r = await runNotebook(path.join(dir, "probe.ipynb"), out, { python });
      assert.match(r.errors.join("\n"), /the notebook run exited 1: nbconvert: a cell failed/);
      assert.equal(r.cells, 0, "no cells counted from the old copy");
      assert.ok(!fs.existsSync(path.join(out, "probe.ipynb")), "the old executed copy is gone");
      assert.doesNotMatch(fs.readFileSync(log, "utf8"), /nbformat\.sign/, "nothing was signed");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("kill -9 of the runner: the watchdog ends its child and the child's descendants (own session included)", async () => {
    // a stand-in for `rankscope notebooks`: starts a child the way runChild does (nbconvert, whose kernel runs in its
    // own session: `setsid sleep`), then is killed outright
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");` +
          `const { startWatchdog } = require(${JSON.stringify(path.resolve(__dirname, "../../kernel-helpers/watchdog"))});` +
          `const c = spawn("sh", ["-c", "setsid sleep 300 & sleep 300"], { stdio: "ignore" });` +
          `startWatchdog(c.pid); console.log(c.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let pids: number[] = [];
    try {
      const child = await new Promise<number>((resolve) => parent.stdout!.once("data", (d) => resolve(Number(d))));
      const t0 = Date.now();
      while (descendants(child).length < 2 && Date.now() - t0 < 10000) await sleep(50);
      pids = [child, ...descendants(child)];
      assert.equal(pids.length, 3, "sh, sleep and the setsid sleep run");
      await sleep(600); // the watchdog has seen them (it looks every 250 ms)
      process.kill(parent.pid!, "SIGKILL");
      const t1 = Date.now();
      while (pids.some(running) && Date.now() - t1 < 5000) await sleep(50);
      assert.deepEqual(pids.filter(running), [], "nothing the runner started is still running");
    } finally {
      for (const p of [parent.pid!, ...pids])
        try {
          process.kill(p, "SIGKILL");
        } catch {
          /* gone */
        }
    }
  });

  it("usage errors of notebooks exit 2 and name the flag", () => {
    for (const [args, why] of [
      [["notebooks", "--only", "bogus"], /--only must name notebooks among/],
      [["notebooks", "--screenshot", "x.ipynb"], /--screenshot needs an executed notebook and --png/],
      [["notebooks", "--screenshot", "/nonexistent.ipynb", "--png", "a.png"], /no such file/],
      [["notebooks", "--out", __filename], /--out must be a folder/],
    ] as [string[], RegExp][]) {
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60000 });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, why);
    }
  });
});

describe("exporter", () => {
  it(
    "a script that saves a figure and never closes the exporter exits by itself",
    { skip: !fs.existsSync(chromiumPath()) && "needs Chromium", timeout: 420000 },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-noclose-"));
      try {
        const r = spawnSync(
          process.execPath,
          [
            "-e",
            `const { save } = require(${JSON.stringify(path.resolve(__dirname, "../../src/export"))});` +
              `const { lineFigure } = require(${JSON.stringify(path.resolve(__dirname, "../../src/figures"))});` +
              `const f = lineFigure("f", { title: "t", x: { title: "x" }, y: { title: "y" }, ` +
              `series: [{ name: "s", x: [1, 2], y: [1, 2] }] });` +
              `save(f, ${JSON.stringify(path.join(dir, "f.png"))}).then(() => console.log("saved"));`,
          ],
          // a hang guard, not a timing: the launch alone took 36 s on this machine under load (60 s failed there)
          { encoding: "utf8", timeout: 360000 },
        );
        assert.equal(r.signal, null, "the script did not exit by itself within 6 min");
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /saved/);
        assert.equal(fs.readFileSync(path.join(dir, "f.png")).subarray(1, 4).toString(), "PNG");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
