/**
 * `rankscope figure`: one figure of a study from the command line, with changed options, exported as PDF. Its own file:
 * it runs a figure and Chromium (seconds), which the ledger-export tests beside it do not need.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

describe("rankscope figure", () => {
  it(
    "one figure with changed options, exported to the path it prints; the PDF's title is the figure's",
    { skip: !fs.existsSync("/usr/bin/chromium") && "needs Chromium", timeout: 600000 },
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-figcli-"));
      const cli = path.resolve(__dirname, "../../src/cli/main.js");
      const args = ["figure", "singh.fig4", "--set", "fig4Hidden=[6,5]", "--set", "fig4N=40", "--set", "d=16"];
      const r = spawnSync("node", [cli, ...args, "--set", "K=4", "--format", "pdf", "--out", path.join(dir, "f4")], {
        encoding: "utf8",
        env: { ...process.env, RANKSCOPE_CACHE_DIR: path.join(dir, "cache") },
      });
      assert.equal(r.status, 0, r.stderr);
      const out = path.join(dir, "f4.pdf");
      assert.match(r.stdout, new RegExp(`written: ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      assert.match(r.stdout, /fig4Hidden = \[6,5\] \[paper: \[30,20\]\]/);
      const pdf = fs.readFileSync(out, "latin1");
      const hex = pdf.match(/\/Title <FEFF([0-9A-F]+)>/)![1];
      let title = "";
      for (let i = 0; i < hex.length; i += 4) title += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
      assert.match(title, /^Fig\. 4 — .*ReLU \[6,5\]/);
      const bad = spawnSync("node", [cli, "figure", "singh.nope", "--out", path.join(dir, "x.svg")], {
        encoding: "utf8",
      });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /no figure "nope"; its figures: .*fig4/);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
});
