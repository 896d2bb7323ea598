/**
 * The committed paper-preset records and the notebooks that show them: every study has a record whose
 * ledger covers exactly the claims its code declares (a claim added or renamed without re-recording
 * fails here), and every study notebook ends with the ledger table of its live run beside the record.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { nativeReferenceMs, findTorchReference, speedReference } from "../../src/report/speed";
import { wallTimeMarkdown } from "../../src/cli/claims";
import { STUDIES } from "../../src/experiments/registry";
import { loadRecorded, LedgerComparison, provenanceOf, checkoutState } from "../../src/report/recorded";
import { codeHash } from "../../src/cache";
import { LedgerEntry, ruleHash } from "../../src/report/ledger";

const root = path.resolve(__dirname, "../../..");

describe("recorded paper-preset results", () => {
  for (const study of STUDIES) {
    it(`${study.name}: recorded, with provenance, its ledger covering exactly the declared claims`, () => {
      const rec = loadRecorded(study.name, "paper", root);
      assert.ok(rec, `results/paper/${study.name}.json is missing`);
      const p = rec!.provenance;
      assert.match(p.commit, /^[0-9a-f]{7,40}$/);
      assert.equal(p.dirty, false, "recorded from a checkout with uncommitted changes");
      assert.ok(p.seconds > 0);
      const declared = Object.values(study.claims)
        .map((c) => c.id)
        .sort();
      assert.deepEqual(
        rec!.ledger.map((e) => e.id).sort(),
        declared,
        "claims declared in code vs claims in the record",
      );
      // the record's own figures have their images; the budget figures are drawn from its ledger when it is loaded
      // (src/report/budget-figure.ts) and get images at the next record
      for (const f of rec!.data.figures)
        for (const ext of ["png", "svg"])
          assert.ok(
            fs.existsSync(path.join(root, "results", "paper", study.name, `${f.name}.${ext}`)),
            `${f.name}.${ext}`,
          );
      // and no image is left over from an earlier record (a figure since renamed or dropped)
      const drawn = new Set(rec!.figures.map((f) => f.name));
      const stale = fs
        .readdirSync(path.join(root, "results", "paper", study.name))
        .filter((f) => /\.(png|svg)$/.test(f) && !drawn.has(f.replace(/\.(png|svg)$/, "")));
      assert.deepEqual(stale, [], "images in the record's folder that no figure of the record draws");
    });
  }
});

describe("rule provenance: a rule changed after its record was made fails until the study is re-recorded", () => {
  for (const study of STUDIES) {
    it(`${study.name}: every recorded rule hash equals the rule's current hash`, (t) => {
      const rec = loadRecorded(study.name, "paper", root);
      if (!rec) return;
      const claims = study.claims;
      const hashed = rec.ledger.filter((e) => e.ruleHash);
      if (!hashed.length) {
        // records made before rule hashes existed cannot be checked; say so (they are listed in the README too)
        t.skip(
          `results/paper/${study.name}.json predates rule hashes (recorded at ${rec.provenance.commit.slice(0, 7)})`,
        );
        return;
      }
      assert.equal(hashed.length, rec.ledger.length, "every entry of a hashed record carries its rule hash");
      // Under mutation testing (npm run mutate) claims.ts is instrumented: the text of assess, combine or atBudget
      // (any of them: a re-run of survivors instruments only some spans) carries the mutation switch, so its hash
      // cannot equal the recorded one whatever the rule; nothing to check
      const instrumented = (c: (typeof claims)[string]) =>
        [c.assess, c.combine, c.atBudget].some((f) => f && /stryMutAct_|stryCov_/.test(String(f)));
      if (Object.values(claims).some(instrumented)) {
        t.skip("claims.ts instrumented by Stryker: the rules' source text is not theirs");
        return;
      }
      const changed = hashed.filter((e) => claims[e.id] && ruleHash(claims[e.id]) !== e.ruleHash).map((e) => e.id);
      assert.deepEqual(
        changed,
        [],
        `rules changed since results/paper/${study.name}.json was recorded: re-record it ` +
          `(npm run reproduce -- --preset paper --record --study ${study.name})`,
      );
    });
  }

  for (const study of STUDIES) {
    it(`${study.name}: every recorded entry states the claim as declared (its text, kind and revisions)`, () => {
      // the record's text is what the README and the notebooks show beside its verdict: a claim reworded, moved to
      // another figure or given other setup differences in code describes something the record did not judge
      const rec = loadRecorded(study.name, "paper", root);
      if (!rec) return;
      const byId = new Map(Object.values(study.claims).map((c) => [c.id, c]));
      for (const e of rec.ledger) {
        const c = byId.get(e.id)!;
        const declared = {
          claim: c.claim,
          where: c.where,
          rule: c.rule,
          control: c.control,
          differences: c.differences,
          kind: c.kind ?? "paper",
          follows: c.follows,
          revised: c.revised?.length ? c.revised : undefined,
        };
        const recorded = {
          claim: e.claim,
          where: e.where,
          rule: e.rule,
          control: e.control,
          differences: e.differences,
          kind: e.kind ?? declared.kind,
          follows: e.follows,
          revised: e.revised,
        };
        assert.deepEqual(recorded, declared, `${study.name}/${e.id}: record vs declaration`);
      }
    });
  }

  it("the check sees a changed rule: a record entry with another hash is reported", () => {
    const study = STUDIES[0];
    const [id, spec] = Object.entries(study.claims)[0];
    const fake: Pick<LedgerEntry, "id" | "ruleHash"> = { id, ruleHash: "0000000000000000" };
    assert.notEqual(ruleHash(spec), fake.ruleHash);
    assert.equal(ruleHash({ ...spec, rule: spec.rule + " (changed)" }) === ruleHash(spec), false);
  });
});

describe("notebooks", () => {
  for (const study of STUDIES) {
    it(`${study.notebook}.ipynb ends with the ledger table of its live run`, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${study.notebook}.ipynb`), "utf8"));
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
      assert.equal(code[code.length - 1].source.join("").trim(), "rs.ledgerTable(result)");
      assert.equal(nb.cells[nb.cells.length - 1].cell_type, "code", "nothing after the table");
    });
    if (study.namespace) {
      it(
        `${study.notebook}.ipynb has a cell per figure: every part of ${study.name} ` +
          `called as rs.${study.namespace}.<part>`,
        () => {
          const rs = require("../../src") as Record<string, Record<string, unknown>>;
          const ns = rs[study.namespace!];
          assert.ok(ns && typeof ns.study === "function", `rs.${study.namespace}.study`);
          const parts = study.parts;
          assert.ok(parts.length >= 2, "a study written as parts has one per figure");
          const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${study.notebook}.ipynb`), "utf8"));
          const code = nb.cells
            .filter((c: { cell_type: string }) => c.cell_type === "code")
            .map((c: { source: string[] }) => c.source.join(""))
            .join("\n");
          for (const part of parts) {
            assert.equal(typeof ns[part.id], "function", `rs.${study.namespace}.${part.id} is exported`);
            assert.ok(
              code.includes(`rs.${study.namespace}.${part.id}(`),
              `the notebook calls rs.${study.namespace}.${part.id}(…)`,
            );
          }
          assert.ok(code.includes(`rs.${study.namespace}.study(`), "the whole study (for the ledger table) is called");
        },
      );
    }
  }
});

describe("ledger table", () => {
  const entry = (id: string, verdict: LedgerEntry["verdict"]): LedgerEntry => ({
    id,
    claim: `claim ${id}`,
    where: "Sec. 1",
    rule: "rule",
    differences: [],
    verdict,
    detail: `detail ${id}`,
    numbers: {},
  });
  it(
    "shows live and recorded verdicts and a final verdict column that is the recorded one, " +
      "else the live one labelled",
    () => {
      const live = [entry("a", "reproduced"), entry("b", "not reproduced")];
      const fakeRecorded = {
        ledger: [entry("a", "not reproduced")],
        label: "recorded at abc",
        provenance: {},
      } as unknown as ConstructorParameters<typeof LedgerComparison>[2];
      const html = new LedgerComparison("s", live, fakeRecorded, "quick preset (live)").html();
      const rows = html.split("<tr>").slice(2);
      assert.equal(rows.length, 2);
      const cells = (r: string) => r.split("<td").slice(1);
      assert.equal(cells(rows[0]).length, 5);
      assert.match(cells(rows[0])[4], />not reproduced</, "claim a: the recorded verdict decides");
      assert.match(
        cells(rows[1])[4],
        />not reproduced<.*\(quick preset \(live\) only\)/s,
        "claim b: only live, labelled",
      );
      assert.match(html, /<th[^>]*>quick preset \(live\)<\/th>/);
    },
  );
});

describe("provenance", () => {
  it("takes the checkout state and code hash from the start of the run when given, else from now", () => {
    const result = { data: { seconds: 12.5 } } as unknown as Parameters<typeof provenanceOf>[0];
    const started = {
      commit: "0123456789abcdef0123456789abcdef01234567",
      commitDate: "2026-01-01T00:00:00+00:00",
      dirty: false,
      codeHash: "feedfacefeedface",
    };
    const p = provenanceOf(result, "paper", "tfjs x", started);
    assert.deepEqual(
      [p.commit, p.commitDate, p.dirty, p.codeHash, p.seconds, p.preset],
      [started.commit, started.commitDate, false, "feedfacefeedface", 12.5, "paper"],
    );
    const now = provenanceOf(result, "quick", "tfjs x");
    const state = checkoutState();
    assert.deepEqual([now.commit, now.dirty, now.codeHash], [state.commit, state.dirty, codeHash()]);
  });
});

describe("speed reference of a record", () => {
  it(
    "times the reference step natively, finds the PyTorch script through " +
      "$RANKSCOPE_TORCH_REFERENCE, and reports a script that fails",
    async () => {
      const ms = await nativeReferenceMs(5);
      if (ms !== null) assert.ok(Number.isFinite(ms) && ms > 0, String(ms));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-speed-"));
      const script = path.join(dir, "fails.py");
      fs.writeFileSync(script, "import sys\nsys.exit(3)\n");
      const before = process.env.RANKSCOPE_TORCH_REFERENCE;
      process.env.RANKSCOPE_TORCH_REFERENCE = script;
      try {
        assert.equal(findTorchReference(), script);
        const r = await speedReference("end", 5);
        assert.equal(r.at, "end");
        assert.equal(r.torchMs, null);
        assert.match(r.torchError ?? "", /fails\.py failed/);
      } finally {
        if (before === undefined) delete process.env.RANKSCOPE_TORCH_REFERENCE;
        else process.env.RANKSCOPE_TORCH_REFERENCE = before;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
  it("is stored in the provenance when given", () => {
    const result = { data: { seconds: 1 } } as unknown as Parameters<typeof provenanceOf>[0];
    const speed = [{ at: "start" as const, torchMs: 7, nativeMs: 6 }];
    assert.deepEqual(provenanceOf(result, "paper", "tfjs x", undefined, speed).speed, speed);
    assert.equal("speed" in provenanceOf(result, "paper", "tfjs x"), false);
  });
});

describe("wall-time table of the records", () => {
  it(
    "scales each record's minutes by 6.7 ms over its mean PyTorch reference step, and leaves " +
      "records without one unscaled",
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-walltime-"));
      try {
        fs.mkdirSync(path.join(dir, "results", "paper"), { recursive: true });
        const copy = (name: string, edit: (p: Record<string, unknown>) => void) => {
          const rec = JSON.parse(fs.readFileSync(path.join(root, "results", "paper", `${name}.json`), "utf8"));
          edit(rec.provenance);
          fs.writeFileSync(path.join(dir, "results", "paper", `${name}.json`), JSON.stringify(rec));
        };
        // 30 min at a PyTorch step of 10 and 16.8 ms (mean 13.4 = 2 × 6.7): 15 min at the baseline's speed
        copy("hessian-rank", (p) => {
          p.seconds = 1800;
          p.speed = [
            { at: "start", torchMs: 10, nativeMs: 9 },
            { at: "end", torchMs: 16.8, nativeMs: 9 },
          ];
        });
        copy("info-loss", (p) => {
          p.seconds = 600;
          p.speed = [
            { at: "start", torchMs: 6.7, nativeMs: 5 },
            { at: "end", torchMs: null, nativeMs: 5 },
          ];
        });
        let md = wallTimeMarkdown("paper", dir);
        assert.match(md, /\| hessian-rank \|[^\n]*\| 30\.0 \| 10\.00 → 16\.80 \| 9\.00 → 9\.00 \| 15\.0 \|/);
        assert.match(md, /\| info-loss \|[^\n]*\| 10\.0 \| 6\.70 → — \|[^\n]*\| 10\.0 \|/);
        assert.match(md, /\| \*\*sum\*\* \| \| \| \*\*40\.0\*\* \| \| \| \*\*25\.0\*\* \|/);
        copy("local-rank", (p) => {
          p.seconds = 60;
          delete p.speed;
        });
        md = wallTimeMarkdown("paper", dir);
        assert.match(md, /\| local-rank \|[^\n]*\| 1\.0 \| not measured \| not measured \| — \|/);
        assert.match(md, /\*\*41\.0\*\* \| \| \| \*\*—\*\*/, "a sum over records without a reference is not scaled");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
