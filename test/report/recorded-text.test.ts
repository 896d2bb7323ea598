/**
 * Recorded results as shown and checked (src/report/recorded.ts): a record's label, text and HTML, the wall time's
 * format, the checks of a record's shape, loading a record (from a temporary folder, never results/), the live run
 * beside the recorded one, and where the package and its checkout stand. Records are built by hand.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as util from "node:util";
import { execFileSync } from "node:child_process";
import {
  checkoutState,
  formatSeconds,
  LedgerComparison,
  ledgerTable,
  liveLabelOf,
  loadRecorded,
  packageRoot,
  Provenance,
  provenanceOf,
  RecordedData,
  RecordedResult,
  recordProblem,
  resultsDir,
  writeRecord,
} from "../../src/report/recorded";
import { ExperimentResult, ResultData } from "../../src/report/result";
import { ledgerHtml } from "../../src/report/ledger";
import { setRenderer } from "../../src/report/render";
import { STUDIES } from "../../src/experiments/registry";
import { packageVersion } from "../../src/cache";
import { entry } from "./fixtures";

const root = path.resolve(__dirname, "../../..");

const provenance = (extra: Partial<Provenance> = {}): Provenance => ({
  preset: "paper",
  commit: "0123456789abcdef",
  commitDate: "2026-11-20T00:00:00Z",
  dirty: false,
  recordedAt: "2026-11-23T10:11:12.000Z",
  version: "0.1.0",
  codeHash: "feed",
  linalg: "lapack",
  tfjs: "tfjs wasm",
  cores: 2,
  node: "v22",
  seconds: 654,
  ...extra,
});

const resultData = (extra: Partial<ResultData> = {}): ResultData => ({
  experiment: "study",
  title: "Study",
  options: {},
  figures: [],
  summary: {},
  tables: [],
  checks: [],
  ledger: [entry("a", "reproduced")],
  notes: [],
  seconds: 3,
  version: "0.1.0",
  ...extra,
});

const record = (extra: Partial<RecordedData> = {}, prov: Partial<Provenance> = {}): RecordedData => ({
  ...resultData(),
  provenance: provenance(prov),
  ...extra,
});

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `rankscope-${prefix}-`));

describe("formatSeconds", () => {
  it("seconds below 2 min, minutes below 2 h, else hours", () => {
    assert.equal(formatSeconds(0), "0.0 s");
    assert.equal(formatSeconds(12.34), "12.3 s");
    assert.equal(formatSeconds(119.9), "119.9 s");
    assert.equal(formatSeconds(120), "2.0 min");
    assert.equal(formatSeconds(654), "10.9 min");
    assert.equal(formatSeconds(7199), "120.0 min");
    assert.equal(formatSeconds(7200), "2.00 h");
    assert.equal(formatSeconds(9000), "2.50 h");
  });
});

describe("RecordedResult", () => {
  it("label: preset, short commit, date, wall time, cores, backends; uncommitted changes said", () => {
    const r = new RecordedResult(record(), "/x/study.json");
    assert.equal(
      r.label,
      "paper preset, recorded at commit 0123456 on 2026-11-23: 10.9 min on 2 cores, linalg lapack, tfjs wasm",
    );
    const dirty = new RecordedResult(record({}, { dirty: true, preset: "quick", seconds: 5 }), "f");
    assert.equal(
      dirty.label,
      "quick preset, recorded at commit 0123456 (with uncommitted changes) on 2026-11-23: 5.0 s on 2 cores, " +
        "linalg lapack, tfjs wasm",
    );
  });

  it("is cached, keeps its file and provenance, and says so in its text and HTML", () => {
    const d = record();
    const r = new RecordedResult(d, "/r/a&b<c>.json");
    assert.equal(r.cached, true);
    assert.equal(r.file, "/r/a&b<c>.json");
    assert.equal(r.provenance, d.provenance);
    const plain = new ExperimentResult(d);
    plain.cached = true;
    assert.equal(r.describe(), `[recorded: ${r.label}]\n${plain.describe()}`);
    assert.ok(r.describe().startsWith("[recorded: paper preset, recorded at commit 0123456 on 2026-11-23"));
    assert.equal(
      r.summaryHtml(),
      `<div style="color:#555;font-size:12px;margin-bottom:4px">Recorded result: ${r.label} — ` +
        `<code>/r/a&amp;b&lt;c&gt;.json</code></div>` +
        plain.summaryHtml(),
    );
    assert.ok(r.summaryHtml().includes(", from cache</span>"));
  });
});

describe("recordProblem", () => {
  it("a valid record has none, with or without speed references", () => {
    assert.equal(recordProblem(record()), undefined);
    assert.equal(
      recordProblem(
        record(
          {},
          {
            seconds: 0,
            speed: [
              { at: "start", torchMs: 7, nativeMs: null },
              { at: "end", torchMs: null, nativeMs: 6.5 },
            ],
          },
        ),
      ),
      undefined,
    );
    assert.equal(recordProblem(record({}, { speed: [] })), undefined);
  });

  it("names the first thing wrong with the title, figures and ledger", () => {
    const p = (extra: Record<string, unknown>) => recordProblem(record(extra as Partial<RecordedData>));
    assert.equal(p({ title: 1 }), "title is not a string");
    assert.equal(p({ figures: {} }), "figures is not a list");
    assert.equal(p({ ledger: undefined }), "it has no ledger (a list of claim entries)");
    assert.equal(p({ ledger: [] }), "its ledger is empty");
    assert.equal(p({ ledger: [entry("a", "reproduced"), null] }), "ledger entry 1 is not an object");
    assert.equal(p({ ledger: ["x"] }), "ledger entry 0 is not an object");
    for (const k of ["id", "claim", "where", "detail"])
      assert.equal(
        p({ ledger: [entry("a", "reproduced"), { ...entry("b", "partly"), [k]: 3 }] }),
        `ledger entry 1 has no ${k} text`,
      );
    assert.equal(
      p({ ledger: [{ ...entry("a", "reproduced"), verdict: "maybe" }] }),
      'ledger entry 0 (a) has verdict "maybe"; verdicts are "reproduced", "partly", "inconclusive", ' +
        '"not reproduced", "not assessed"',
    );
  });

  it("names what is wrong with the provenance", () => {
    const p = (prov: Record<string, unknown>) => recordProblem(record({}, prov as Partial<Provenance>));
    const secs = "provenance.seconds must be a number of seconds ≥ 0; got";
    assert.equal(p({ seconds: -1 }), `${secs} -1`);
    assert.equal(p({ seconds: -0.001 }), `${secs} -0.001`);
    assert.equal(p({ seconds: NaN }), `${secs} NaN`);
    assert.equal(p({ seconds: Infinity }), `${secs} Infinity`);
    assert.equal(p({ seconds: "5" }), `${secs} "5"`);
    assert.equal(p({ commit: undefined }), "provenance.commit must be text; got undefined");
    assert.equal(p({ recordedAt: 5 }), "provenance.recordedAt must be text; got 5");
    assert.equal(p({ preset: null }), "provenance.preset must be text; got null");
    assert.equal(p({ cores: "2" }), 'provenance.cores must be a number; got "2"');
    assert.equal(p({ cores: NaN }), "provenance.cores must be a number; got NaN");
    assert.equal(p({ speed: {} }), "provenance.speed must be a list");
    const ok = { at: "start", torchMs: 1, nativeMs: 2 };
    assert.equal(
      p({ speed: [ok, { torchMs: "x", nativeMs: 1 }] }),
      'provenance.speed[1].torchMs must be a number of ms or null; got "x"',
    );
    assert.equal(
      p({ speed: [{ torchMs: 1 }] }),
      "provenance.speed[0].nativeMs must be a number of ms or null; got undefined",
    );
    assert.equal(
      p({ speed: [{ torchMs: null, nativeMs: Infinity }] }),
      "provenance.speed[0].nativeMs must be a number of ms or null; got Infinity",
    );
    assert.equal(p({ speed: [null] }), "provenance.speed[0].torchMs must be a number of ms or null; got undefined");
    // the order: the ledger before the provenance, seconds before text fields before cores
    assert.equal(recordProblem(record({ ledger: [] }, { seconds: -1 })), "its ledger is empty");
    assert.equal(p({ seconds: -1, commit: 1 }), `${secs} -1`);
    assert.equal(p({ commit: 1, cores: "x" }), "provenance.commit must be text; got 1");
    assert.equal(p({ cores: "x", speed: 1 }), 'provenance.cores must be a number; got "x"');
  });
});

describe("loading a record", () => {
  it("refuses a study or preset that is not one of the package's, naming them", () => {
    const names = STUDIES.map((s) => s.name).join(", ");
    assert.throws(() => loadRecorded("nope"), { message: `recorded: study must be one of ${names}; got "nope"` });
    assert.throws(() => loadRecorded(3 as unknown as string), {
      message: `recorded: study must be one of ${names}; got 3`,
    });
    assert.throws(() => loadRecorded("hessian-rank", "fast"), {
      message: 'recorded: preset must be one of quick, paper, full; got "fast"',
    });
    assert.throws(() => loadRecorded("hessian-rank", 1 as unknown as string), {
      message: "recorded: preset must be one of quick, paper, full; got 1",
    });
  });

  it("reads <root>/results/<preset>/<study>.json; none there is undefined; a bad file is refused by name", () => {
    const dir = tmp("load");
    try {
      assert.equal(loadRecorded("hessian-rank", "quick", dir), undefined);
      const folder = path.join(dir, "results", "quick");
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, "hessian-rank.json");
      const again = "re-record it with `npm run reproduce -- --preset quick --record --study hessian-rank`";
      fs.writeFileSync(file, "{ not json");
      assert.throws(
        () => loadRecorded("hessian-rank", "quick", dir),
        (err: Error) =>
          err.message.startsWith(`${file}: unreadable record (`) &&
          err.message.endsWith("); re-record it or restore it from git"),
      );
      for (const text of ["null", "5", JSON.stringify(resultData())]) {
        fs.writeFileSync(file, text);
        assert.throws(() => loadRecorded("hessian-rank", "quick", dir), {
          message: `${file}: not a recorded result (no provenance); ${again}`,
        });
      }
      fs.writeFileSync(file, JSON.stringify(record({ ledger: [] })));
      assert.throws(() => loadRecorded("hessian-rank", "quick", dir), {
        message: `${file}: not a valid record: its ledger is empty; ${again}`,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a record of entries without kinds takes each from its claim's declaration, else paper", () => {
    const dir = tmp("kinds");
    try {
      const data = record({
        experiment: "hessian-rank",
        ledger: [
          entry("regime-near-linear", "reproduced"),
          entry("fig5-Hf-vanishes", "partly"),
          entry("fact7-rank-H", "reproduced"),
          entry("not-declared", "inconclusive"),
          entry("regime-near-linear", "reproduced", { kind: "paper" }),
        ],
      });
      const file = writeRecord(new ExperimentResult(data), data.provenance, path.join(dir, "results", "paper"));
      assert.equal(file, path.join(dir, "results", "paper", "hessian-rank.json"));
      const r = loadRecorded("hessian-rank", "paper", dir)!;
      assert.ok(r instanceof RecordedResult);
      assert.equal(r.file, file);
      assert.deepEqual(
        r.ledger.map((e) => e.kind),
        ["extension", "consequence", "paper", "paper", "paper"],
      );
      assert.deepEqual(r.provenance, data.provenance);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writeRecord writes the result and its provenance as one JSON line", () => {
    const dir = tmp("write");
    try {
      const d = resultData({ experiment: "exp" });
      const prov = provenance();
      const file = writeRecord(new ExperimentResult(d), prov, dir);
      assert.equal(file, path.join(dir, "exp.json"));
      const text = fs.readFileSync(file, "utf8");
      assert.equal(text, JSON.stringify({ ...d, provenance: prov }) + "\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the live run beside the recorded paper preset", () => {
  const rec = new RecordedResult(
    record({
      ledger: [
        entry("a", "not reproduced", { claim: "recorded claim a" }),
        entry("r", "partly", { kind: "consequence" }),
      ],
    }),
    "/rec.json",
  );
  const live = [entry("a", "reproduced", { claim: "live claim a" }), entry("b", "inconclusive")];

  it("describe: one line per claim, live ones first, then those only recorded", () => {
    const c = new LedgerComparison("study", live, rec, "quick preset (live)");
    assert.equal(
      c.describe(),
      `claims of study: quick preset (live) | ${rec.label}\n` +
        "  a: live reproduced | paper preset not reproduced — live claim a\n" +
        "  b: live inconclusive | paper preset — — claim b\n" +
        "  r: live — | paper preset partly — claim r",
    );
    assert.equal(
      new LedgerComparison("s", undefined, rec).describe(),
      `claims of s: this run (live) | ${rec.label}\n` +
        "  a: live — | paper preset not reproduced — recorded claim a\n" +
        "  r: live — | paper preset partly — claim r",
    );
    assert.equal(
      new LedgerComparison("s", live, undefined).describe(),
      "claims of s: this run (live) | no recorded paper preset\n" +
        "  a: live reproduced | paper preset — — live claim a\n" +
        "  b: live inconclusive | paper preset — — claim b",
    );
    assert.equal(
      util.inspect(new LedgerComparison("s", [], undefined)),
      "claims of s: this run (live) | no recorded paper preset",
    );
  });

  it("html: both tallies in colour and both labels escaped, above the comparison table", () => {
    const odd = new RecordedResult(record({ ledger: rec.ledger }, { tfjs: "tfjs <x>" }), "/rec.json");
    const c = new LedgerComparison("study", live, odd, "quick <live>");
    const span = (colour: string, s: string) => `<span style="color:${colour}">${s}</span>`;
    assert.equal(
      c.html(),
      `<div style="font-size:12px;color:#555">quick &lt;live&gt;: paper claims: ` +
        `${span("#2ca02c", "1 reproduced")}, ${span("#9467bd", "1 inconclusive")}<br>` +
        `paper preset: paper claims: ${span("#d62728", "1 not reproduced")}; consequences (not counted): ` +
        `${span("#ff7f0e", "1 partly")} — ` +
        "paper preset, recorded at commit 0123456 on 2026-11-23: 10.9 min on 2 cores, linalg lapack, tfjs &lt;x&gt;" +
        `</div>` +
        ledgerHtml(live, { recorded: odd.ledger, liveLabel: "quick <live>", recordedLabel: "paper preset (recorded)" }),
    );
  });

  it("html without a live run or without a record", () => {
    assert.equal(
      new LedgerComparison("s", undefined, undefined).html(),
      `<div style="font-size:12px;color:#555">no live run<br>paper preset: not recorded yet ` +
        `(<code>npm run reproduce -- --preset paper --record</code>)</div>` +
        ledgerHtml([], { recorded: [], liveLabel: "this run (live)", recordedLabel: "paper preset (recorded)" }),
    );
    const onlyLive = new LedgerComparison("s", [entry("a", "reproduced")], undefined).html();
    assert.ok(
      onlyLive.startsWith(
        `<div style="font-size:12px;color:#555">this run (live): paper claims: ` +
          `<span style="color:#2ca02c">1 reproduced</span><br>paper preset: not recorded yet`,
      ),
    );
    assert.ok(onlyLive.includes("<th>verdict (paper preset)</th>"));
    assert.ok(onlyLive.includes("(this run (live) only)"));
    const onlyRec = new LedgerComparison("s", undefined, rec).html();
    assert.ok(onlyRec.startsWith(`<div style="font-size:12px;color:#555">no live run<br>paper preset: paper claims: `));
  });

  it("toJSON: the study, the live entries, and the record's provenance and ledger (or null)", () => {
    const c = new LedgerComparison("study", live, rec);
    assert.deepEqual(c.toJSON(), {
      study: "study",
      live,
      recorded: { provenance: rec.provenance, ledger: rec.ledger },
    });
    assert.deepEqual(new LedgerComparison("s", undefined, undefined).toJSON(), {
      study: "s",
      live: undefined,
      recorded: null,
    });
  });

  it("inspect goes through the renderer", () => {
    const c = new LedgerComparison("s", live, undefined);
    try {
      setRenderer(() => true);
      assert.equal(util.inspect(c), "");
    } finally {
      setRenderer(undefined);
    }
    assert.equal(util.inspect(c), c.describe());
  });

  it("liveLabelOf: the preset and up to three changed options", () => {
    const r = (extra: Partial<ResultData>) => new ExperimentResult(resultData(extra));
    assert.equal(liveLabelOf(r({})), "this run (live)");
    assert.equal(liveLabelOf(r({ changedOptions: ["a"] })), "this run (live)");
    assert.equal(liveLabelOf(r({ preset: "quick" })), "quick preset (live)");
    assert.equal(liveLabelOf(r({ preset: "quick", changedOptions: [] })), "quick preset (live)");
    assert.equal(liveLabelOf(r({ preset: "paper", changedOptions: ["a"] })), "paper preset with a changed (live)");
    assert.equal(
      liveLabelOf(r({ preset: "paper", changedOptions: ["a", "b", "c"] })),
      "paper preset with a, b, c changed (live)",
    );
    assert.equal(
      liveLabelOf(r({ preset: "paper", changedOptions: ["a", "b", "c", "d"] })),
      "paper preset with a, b, c, … changed (live)",
    );
  });

  it("ledgerTable: a study name or a live result, beside the committed paper record", () => {
    assert.throws(() => ledgerTable(undefined), { message: "ledgerTable: give a live result or a study name" });
    const byName = ledgerTable(undefined, "hessian-rank");
    assert.equal(byName.study, "hessian-rank");
    assert.equal(byName.live, undefined);
    assert.equal(byName.liveLabel, "this run (live)");
    assert.equal(byName.recorded!.file, path.join(packageRoot(), "results", "paper", "hessian-rank.json"));
    const liveResult = new ExperimentResult(
      resultData({ experiment: "hessian-rank", preset: "quick", ledger: [entry("fact7-rank-H", "partly")] }),
    );
    const t = ledgerTable(liveResult);
    assert.equal(t.study, "hessian-rank");
    assert.equal(t.live, liveResult.ledger);
    assert.equal(t.liveLabel, "quick preset (live)");
    assert.ok(t.recorded!.ledger.some((e) => e.id === "fact7-rank-H"));
    assert.equal(ledgerTable(liveResult, "info-loss").study, "info-loss");
  });
});

describe("where the package and its checkout stand", () => {
  it("packageRoot is the folder of rankscope's package.json, wherever the process runs", () => {
    const cwd = process.cwd();
    const dir = tmp("cwd");
    try {
      process.chdir(dir);
      assert.equal(packageRoot(), root);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(resultsDir(), path.join(root, "results", "paper"));
    assert.equal(resultsDir("quick", "/r"), path.join("/r", "results", "quick"));
  });

  it("checkoutState: unknown outside git; the commit, its date and uncommitted changes to src/ inside", () => {
    const outside = tmp("nogit");
    const repo = tmp("git");
    try {
      assert.deepEqual(checkoutState(outside), { commit: "unknown", commitDate: "unknown", dirty: false });
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
        GIT_AUTHOR_DATE: "2026-01-02T03:04:05+00:00",
        GIT_COMMITTER_DATE: "2026-01-02T03:04:05+00:00",
      };
      const git = (...args: string[]) =>
        execFileSync("git", args, { cwd: repo, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      git("init", "-q");
      fs.mkdirSync(path.join(repo, "src"));
      fs.writeFileSync(path.join(repo, "src", "a.ts"), "1\n");
      fs.writeFileSync(path.join(repo, "other.txt"), "1\n");
      git("add", ".");
      git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "x");
      const head = git("rev-parse", "HEAD");
      assert.match(head, /^[0-9a-f]{40}$/);
      assert.deepEqual(checkoutState(repo), { commit: head, commitDate: "2026-01-02T03:04:05+00:00", dirty: false });
      fs.writeFileSync(path.join(repo, "other.txt"), "2\n");
      assert.equal(checkoutState(repo).dirty, false, "changes outside src/ do not count");
      fs.writeFileSync(path.join(repo, "src", "a.ts"), "2\n");
      assert.equal(checkoutState(repo).dirty, true);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("provenanceOf: every field, from the start of the run when given", () => {
    const result = new ExperimentResult(resultData({ seconds: 42.5 }));
    const started = { commit: "c0ffee", commitDate: "2026-02-03", dirty: true, codeHash: "abc" };
    const speed = [{ at: "start" as const, torchMs: 7, nativeMs: 6 }];
    const before = Date.now();
    const p = provenanceOf(result, "quick", "tfjs cpu", started, speed);
    const { recordedAt, ...rest } = p;
    assert.ok(Date.parse(recordedAt) >= before - 1000 && Date.parse(recordedAt) <= Date.now() + 1000);
    assert.match(recordedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(rest, {
      preset: "quick",
      commit: "c0ffee",
      commitDate: "2026-02-03",
      dirty: true,
      version: packageVersion(),
      codeHash: "abc",
      linalg: require("../../src/linalg").backend(),
      tfjs: "tfjs cpu",
      cores: os.cpus().length,
      node: process.version,
      seconds: 42.5,
      speed,
    });
    assert.notEqual(rest.linalg, "unknown");
  });
});
