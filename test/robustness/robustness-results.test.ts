/**
 * Second round of adversarial probes (issue 43), results that must never be lost or silently wrong:
 * one export failure is recorded against its study (ledger printed, summary.json and gallery written, the
 * next studies run), `claims` refuses a bad preset before touching the README and refuses malformed records,
 * `recorded()` only reads the registry's studies.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main as reproduceMain, parseReproduceArgs } from "../../src/cli/reproduce";
import { closeExporter } from "../../src/export";
import { lineFigure } from "../../src/figures";
import { ExperimentResult } from "../../src/report/result";
import { loadRecorded, packageRoot } from "../../src/report/recorded";
import { VERDICTS } from "../../src/report/ledger";
import type { StudyEntry } from "../../src/experiments/registry";

const cli = path.resolve(__dirname, "../../src/cli/main.js");

/** A tiny result with one figure and one ledger entry (what a study returns), built by hand. */
function fakeResult(name: string, verdict = "reproduced"): ExperimentResult {
  const fig = lineFigure(`${name}-fig`, {
    title: `a figure of ${name}`,
    x: { title: "x" },
    y: { title: "y" },
    series: [{ name: "s", x: [1, 2], y: [3, 4] }],
  });
  return new ExperimentResult({
    experiment: name,
    title: `fake ${name}`,
    options: {},
    figures: [fig.toJSON()],
    summary: { answer: 42 },
    tables: [],
    checks: [{ name: "identity", pass: true, detail: "1 = 1" }],
    ledger: [
      {
        id: `${name}-claim`,
        claim: "a claim",
        where: "Fig. 1",
        rule: "a rule",
        differences: [],
        verdict: verdict as never,
        numbers: { x: 1 },
        detail: `the numbers of ${name}`,
      },
    ],
    notes: [],
    seconds: 1.5,
    version: "0.0.0",
  });
}

function fakeStudies(ran: string[]): StudyEntry[] {
  return ["hessian-rank", "info-loss"].map((name) => ({
    name,
    namespace: name,
    paper: "x",
    title: `fake ${name}`,
    claims: {},
    calls: {
      study: async () => {
        ran.push(name);
        return fakeResult(name);
      },
    },
  }));
}

async function captureLog<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    return { value: await fn(), out: lines.join("\n") };
  } finally {
    console.log = orig;
  }
}

describe("reproduce: an output that cannot be written loses nothing else", () => {
  it(
    "Chromium unavailable: every study's ledger is printed, summary.json names the failed files, the gallery is " +
      "written, the next study runs, exit 1",
    { timeout: 120000 },
    async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-repro-"));
      const prev = process.env.RANKSCOPE_CHROMIUM;
      process.env.RANKSCOPE_CHROMIUM = "/bin/false";
      await closeExporter();
      const ran: string[] = [];
      try {
        const { value: code, out: log } = await captureLog(() =>
          reproduceMain(["--preset", "quick", "--formats", "html,png", "--out", out], fakeStudies(ran)),
        );
        assert.deepEqual(ran, ["hessian-rank", "info-loss"], "the second study ran after the first one's failure");
        assert.equal(code, 1, "a file not written is a failure of the run");
        for (const name of ran) {
          assert.match(log, new RegExp(`\\[reproduced\\] ${name}-claim \\(Fig\\. 1\\): the numbers of ${name}`));
          const summary = JSON.parse(fs.readFileSync(path.join(out, name, "summary.json"), "utf8"));
          assert.equal(summary.summary.answer, 42);
          assert.equal(summary.ledger[0].verdict, "reproduced");
          assert.deepEqual(
            summary.outputErrors.map((e: { file: string }) => path.basename(e.file)),
            [`${name}-fig.png`],
            "the PNG is named as not written; the HTML was",
          );
          assert.ok(fs.existsSync(path.join(out, name, `${name}-fig.html`)));
        }
        assert.match(log, /OUTPUT NOT WRITTEN: 1 file\(s\) of hessian-rank/);
        assert.match(log, /2 output file\(s\) not written/);
        const gallery = fs.readFileSync(path.join(out, "index.html"), "utf8");
        assert.match(gallery, /hessian-rank-fig\.png: /);
        assert.match(gallery, /fake info-loss/);
      } finally {
        if (prev === undefined) delete process.env.RANKSCOPE_CHROMIUM;
        else process.env.RANKSCOPE_CHROMIUM = prev;
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
  );

  it("summary.json that cannot be written is reported against its study, and the next study still runs", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-repro-"));
    try {
      // a folder where summary.json should go: the rename onto it fails (as a full disk would fail the write)
      fs.mkdirSync(path.join(out, "hessian-rank", "summary.json"), { recursive: true });
      const ran: string[] = [];
      const { value: code, out: log } = await captureLog(() =>
        reproduceMain(["--preset", "quick", "--formats", "html", "--out", out], fakeStudies(ran)),
      );
      assert.equal(code, 1);
      assert.deepEqual(ran, ["hessian-rank", "info-loss"]);
      assert.match(log, /hessian-rank[/\\]summary\.json: /);
      assert.match(log, /\[reproduced\] hessian-rank-claim/);
      assert.ok(fs.existsSync(path.join(out, "info-loss", "summary.json")));
      assert.ok(fs.existsSync(path.join(out, "index.html")));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("--out naming a file is a usage error before any study runs (exit 2)", async () => {
    const file = path.join(os.tmpdir(), `rankscope-out-${process.pid}.txt`);
    fs.writeFileSync(file, "x");
    try {
      assert.throws(() => parseReproduceArgs(["--out", file]), /--out must be a folder .* is a file/);
      assert.throws(() => parseReproduceArgs(["--out", path.join(file, "sub")]), /--out must be a folder/);
      const r = spawnSync(process.execPath, [cli, "reproduce", "--out", file], { encoding: "utf8", timeout: 60000 });
      assert.equal(r.status, 2, r.stderr);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe("claims and recorded results", () => {
  it("claims --preset bogus --update-readme exits 2 and leaves the README as it was", () => {
    const readme = path.join(packageRoot(), "README.md");
    const before = fs.readFileSync(readme, "utf8");
    const r = spawnSync(process.execPath, [cli, "claims", "--preset", "bogus", "--update-readme"], {
      encoding: "utf8",
      timeout: 60000,
    });
    const after = fs.readFileSync(readme, "utf8");
    if (after !== before) fs.writeFileSync(readme, before); // put it back before failing
    assert.equal(after, before, "README.md was rewritten");
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--preset must be one of quick, paper, full; got "bogus"/);
  });

  it("records without a ledger, with non-numeric seconds or an unknown verdict are refused, naming the field", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-rec-"));
    try {
      fs.mkdirSync(path.join(root, "results", "paper"), { recursive: true });
      const original = JSON.parse(
        fs.readFileSync(path.join(packageRoot(), "results", "paper", "info-loss.json"), "utf8"),
      );
      const write = (edit: (r: Record<string, unknown>) => void) => {
        const rec = structuredClone(original);
        edit(rec);
        fs.writeFileSync(path.join(root, "results", "paper", "info-loss.json"), JSON.stringify(rec));
      };
      write(() => {});
      assert.ok(loadRecorded("info-loss", "paper", root), "the committed record itself is valid");
      write((r) => delete r.ledger);
      assert.throws(() => loadRecorded("info-loss", "paper", root), /not a valid record: it has no ledger/);
      write((r) => ((r.provenance as Record<string, unknown>).seconds = "soon"));
      assert.throws(() => loadRecorded("info-loss", "paper", root), /provenance\.seconds must be a number .*"soon"/);
      write((r) => ((r.ledger as { verdict: string }[])[1].verdict = "confirmed"));
      assert.throws(
        () => loadRecorded("info-loss", "paper", root),
        new RegExp(`ledger entry 1 .* verdict "confirmed"; verdicts are ${VERDICTS.map((v) => `"${v}"`).join(", ")}`),
      );
      fs.writeFileSync(path.join(root, "results", "paper", "info-loss.json"), '{"title": "trunc');
      assert.throws(() => loadRecorded("info-loss", "paper", root), /info-loss\.json: unreadable record/);
      // the CLI names the record and leaves the README alone
      const claims = require("../../src/cli/claims") as typeof import("../../src/cli/claims");
      assert.throws(() => claims.claimsMarkdown("paper", root), /info-loss\.json: unreadable record/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("recorded() reads only the registry's studies at known presets", () => {
    assert.throws(
      () => loadRecorded("../../package"),
      /study must be one of hessian-rank, .*; got "\.\.\/\.\.\/package"/,
    );
    assert.throws(() => loadRecorded("bogus"), /study must be one of/);
    assert.throws(() => loadRecorded("info-loss", "../paper"), /preset must be one of quick, paper/);
    assert.ok(loadRecorded("info-loss"), "a real one still loads");
  });
});
