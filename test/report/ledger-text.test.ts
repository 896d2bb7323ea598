/**
 * How a claims ledger shows itself (src/report/ledger.ts, after the decision rules): the tallies, the order of the
 * kinds, the plain-text ledger and the HTML table with and without the recorded paper preset beside the live run.
 * Every expected string is written out by hand from the templates in the source.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  byKind,
  ClaimSet,
  ClaimSpec,
  kindOf,
  LedgerEntry,
  ledgerHtml,
  ledgerText,
  tally,
  tallySummary,
  tallyText,
  Verdict,
  VERDICT_COLOURS,
  VERDICTS,
} from "../../src/report/ledger";

const entry = (id: string, verdict: Verdict, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  claim: `claim ${id}`,
  where: `where ${id}`,
  rule: `rule ${id}`,
  differences: [],
  verdict,
  numbers: {},
  detail: `detail ${id}`,
  ...extra,
});

/** a claim set that declares only the kinds (kindOf and tally read nothing else) */
const claimsOf = (kinds: Record<string, "paper" | "consequence" | "extension" | undefined>): ClaimSet =>
  Object.fromEntries(Object.entries(kinds).map(([id, kind]) => [id, { id, kind } as unknown as ClaimSpec]));

const badge = (colour: string, text: string) =>
  `<span style="color:#fff;background:${colour};border-radius:3px;padding:0 5px;white-space:nowrap">${text}</span>`;

describe("verdict colours and kinds", () => {
  it("VERDICT_COLOURS gives each verdict its colour", () => {
    assert.deepEqual(VERDICT_COLOURS, {
      reproduced: "#2ca02c",
      partly: "#ff7f0e",
      inconclusive: "#9467bd",
      "not reproduced": "#d62728",
      "not assessed": "#7f7f7f",
    });
    assert.deepEqual(VERDICTS, ["reproduced", "partly", "inconclusive", "not reproduced", "not assessed"]);
  });

  it("kindOf: the entry's own kind, else its claim's declaration, else paper", () => {
    const claims = claimsOf({ a: "extension", b: undefined });
    assert.equal(kindOf({ id: "a", kind: "consequence" }, claims), "consequence");
    assert.equal(kindOf({ id: "a" }, claims), "extension");
    assert.equal(kindOf({ id: "b" }, claims), "paper");
    assert.equal(kindOf({ id: "zz" }, claims), "paper");
    assert.equal(kindOf({ id: "a" }), "paper");
  });

  it("byKind: paper claims, then consequences, then extensions, each in the given order", () => {
    const es = [
      entry("x1", "reproduced", { kind: "extension" }),
      entry("c1", "reproduced", { kind: "consequence" }),
      entry("p1", "reproduced"),
      entry("x2", "reproduced", { kind: "extension" }),
      entry("p2", "reproduced", { kind: "paper" }),
      entry("c2", "reproduced"),
    ];
    assert.deepEqual(
      byKind(es).map((e) => e.id),
      ["p1", "p2", "c2", "c1", "x1", "x2"],
    );
    // with the claims' declarations: c2 is a consequence, p1 an extension
    assert.deepEqual(
      byKind(es, claimsOf({ c2: "consequence", p1: "extension" })).map((e) => e.id),
      ["p2", "c1", "c2", "x1", "p1", "x2"],
    );
    assert.deepEqual(byKind([]), []);
  });
});

describe("tallies", () => {
  const es = [
    entry("p1", "reproduced"),
    entry("p2", "reproduced", { kind: "paper" }),
    entry("p3", "not assessed"),
    entry("c1", "partly", { kind: "consequence" }),
    entry("c2", "not reproduced", { kind: "consequence" }),
    entry("x1", "inconclusive", { kind: "extension" }),
    entry("u", "partly"),
  ];

  it("tally counts every verdict of one kind, zeros included", () => {
    assert.deepEqual(tally(es), {
      reproduced: 2,
      partly: 1,
      inconclusive: 0,
      "not reproduced": 0,
      "not assessed": 1,
    });
    assert.deepEqual(tally(es, "consequence"), {
      reproduced: 0,
      partly: 1,
      inconclusive: 0,
      "not reproduced": 1,
      "not assessed": 0,
    });
    assert.deepEqual(tally(es, "extension"), {
      reproduced: 0,
      partly: 0,
      inconclusive: 1,
      "not reproduced": 0,
      "not assessed": 0,
    });
    assert.deepEqual(tally(es, "all"), {
      reproduced: 2,
      partly: 2,
      inconclusive: 1,
      "not reproduced": 1,
      "not assessed": 1,
    });
    assert.deepEqual(tally([]), {
      reproduced: 0,
      partly: 0,
      inconclusive: 0,
      "not reproduced": 0,
      "not assessed": 0,
    });
  });

  it("tally reads an entry's kind from the claims when the entry has none", () => {
    const claims = claimsOf({ u: "extension", p1: "consequence" });
    assert.deepEqual(tally(es, "paper", claims), {
      reproduced: 1,
      partly: 0,
      inconclusive: 0,
      "not reproduced": 0,
      "not assessed": 1,
    });
    assert.equal(tally(es, "extension", claims).partly, 1);
    assert.equal(tally(es, "consequence", claims).reproduced, 1);
  });

  it("tallyText: verdicts in their order, zero counts left out, 'none' for nothing", () => {
    assert.equal(
      tallyText({ reproduced: 12, partly: 0, inconclusive: 1, "not reproduced": 0, "not assessed": 3 }),
      "12 reproduced, 1 inconclusive, 3 not assessed",
    );
    assert.equal(
      tallyText({ reproduced: 0, partly: 2, inconclusive: 0, "not reproduced": 1, "not assessed": 0 }),
      "2 partly, 1 not reproduced",
    );
    assert.equal(
      tallyText({ reproduced: 0, partly: 0, inconclusive: 0, "not reproduced": 0, "not assessed": 0 }),
      "none",
    );
  });

  it("tallySummary: paper claims always, consequences and extensions only when there are some", () => {
    assert.equal(
      tallySummary(es),
      "paper claims: 2 reproduced, 1 partly, 1 not assessed; consequences (not counted): 1 partly, 1 not reproduced; " +
        "extensions (not counted): 1 inconclusive",
    );
    assert.equal(tallySummary([]), "paper claims: none");
    assert.equal(
      tallySummary([entry("c", "reproduced", { kind: "consequence" })]),
      "paper claims: none; consequences (not counted): 1 reproduced",
    );
    assert.equal(
      tallySummary([entry("x", "partly", { kind: "extension" })]),
      "paper claims: none; extensions (not counted): 1 partly",
    );
    assert.equal(
      tallySummary([entry("p", "not reproduced"), entry("p2", "not reproduced")]),
      "paper claims: 2 not reproduced",
    );
  });

  it("tallySummary wraps each count with the colour function and reads kinds from the claims", () => {
    const colour = (v: Verdict, s: string) => `<${v}|${s}>`;
    assert.equal(
      tallySummary([entry("a", "reproduced"), entry("b", "partly"), entry("b2", "partly")], colour),
      "paper claims: <reproduced|1 reproduced>, <partly|2 partly>",
    );
    assert.equal(
      tallySummary([entry("a", "reproduced"), entry("b", "inconclusive")], colour, claimsOf({ b: "extension" })),
      "paper claims: <reproduced|1 reproduced>; extensions (not counted): <inconclusive|1 inconclusive>",
    );
    assert.equal(
      tallySummary([entry("a", "reproduced")], undefined, claimsOf({ a: "consequence" })),
      "paper claims: none; consequences (not counted): 1 reproduced",
    );
  });
});

describe("ledgerText", () => {
  it("one block per claim: verdict, kind note, claim, where, rule, control, revisions, detail", () => {
    const es = [
      entry("x", "inconclusive", { kind: "extension" }),
      entry("c", "partly", {
        kind: "consequence",
        follows: "p",
        control: "ctl c",
        revised: [
          { commit: "abc1234", reason: "why one" },
          { commit: "def5678", reason: "why two" },
        ],
      }),
      entry("c0", "not assessed", { kind: "consequence", revised: [] }),
      entry("p", "reproduced"),
    ];
    assert.equal(
      ledgerText(es),
      "  [reproduced] claim p (where p)\n" +
        "      rule: rule p\n" +
        "      detail p\n" +
        "  [partly] (consequence (follows from p), not counted) claim c (where c)\n" +
        "      rule: rule c\n" +
        "      control: ctl c\n" +
        "      rule revised after data: abc1234: why one; def5678: why two\n" +
        "      detail c\n" +
        "  [not assessed] (consequence, not counted) claim c0 (where c0)\n" +
        "      rule: rule c0\n" +
        "      detail c0\n" +
        "  [inconclusive] (extension, not counted) claim x (where x)\n" +
        "      rule: rule x\n" +
        "      detail x",
    );
  });

  it("a single paper claim with a control and one revision; an empty ledger is empty text", () => {
    assert.equal(
      ledgerText([
        entry("q", "not reproduced", { kind: "paper", control: "k", revised: [{ commit: "c", reason: "r" }] }),
      ]),
      "  [not reproduced] claim q (where q)\n      rule: rule q\n      control: k\n" +
        "      rule revised after data: c: r\n      detail q",
    );
    assert.equal(ledgerText([]), "");
  });
});

describe("ledgerHtml without a recorded preset", () => {
  const head =
    `<table class="rankscope-ledger"><thead><tr><th style="text-align:left">claim</th><th ` +
    `style="text-align:left">where · rule</th><th>verdict</th><th style="text-align:left">numbers</th></tr></thead>` +
    `<tbody>`;

  it("a plain paper claim with no numbers: exactly the table, escaped", () => {
    const e = entry("a", "reproduced", { claim: "x < y & z > w", where: "Fig. <1>", rule: "a&b", detail: "d <&> d" });
    assert.equal(
      ledgerHtml([e]),
      head +
        `<tr><td style="text-align:left;vertical-align:top">x &lt; y &amp; z &gt; w</td><td ` +
        `style="text-align:left;vertical-align:top;color:#555">Fig. &lt;1&gt;<br><i>a&amp;b</i></td>` +
        `<td style="vertical-align:top">${badge("#2ca02c", "reproduced")}</td><td ` +
        `style="text-align:left;vertical-align:top"><small>d &lt;&amp;&gt; d</small></td></tr>` +
        `</tbody></table>`,
    );
  });

  it("kind note, control, revisions, numbers and control numbers (4 significant digits, integers kept)", () => {
    const e = entry("c", "not reproduced", {
      kind: "consequence",
      follows: "a<b",
      control: "shuffled <labels>",
      revised: [
        { commit: "abc", reason: "r<1" },
        { commit: "def", reason: "r2" },
      ],
      numbers: { runs: 12345678, ratio: 0.123456, big: 1234.5678, name: "x<y", ok: true, none: null },
      controlNumbers: { "control ratio": 2.5, n: 3 },
    });
    assert.equal(
      ledgerHtml([e]),
      head +
        `<tr><td style="text-align:left;vertical-align:top">` +
        `<small style="color:#555">[consequence (follows from a&lt;b); not counted]</small><br>claim c</td><td ` +
        `style="text-align:left;vertical-align:top;color:#555">where c<br><i>rule c</i>` +
        `<br><b>control:</b> shuffled &lt;labels&gt;` +
        `<br><b>rule revised after data:</b> abc: r&lt;1; def: r2</td>` +
        `<td style="vertical-align:top">${badge("#d62728", "not reproduced")}</td><td ` +
        `style="text-align:left;vertical-align:top"><small>detail c` +
        `<br>runs 12345678; ratio 0.1235; big 1235; name x&lt;y; ok true; none null` +
        `<br>control: control ratio 2.5; n 3</small></td></tr>` +
        `</tbody></table>`,
    );
  });

  it("rows in kind order, each verdict's badge colour, notes for consequences and extensions", () => {
    const html = ledgerHtml([
      entry("x", "inconclusive", { kind: "extension" }),
      entry("c", "partly", { kind: "consequence", revised: [] }),
      entry("n", "not assessed", { numbers: {} }),
    ]);
    const rows = html.split("<tr>").slice(2);
    assert.equal(rows.length, 3);
    assert.ok(rows[0].startsWith(`<td style="text-align:left;vertical-align:top">claim n</td>`));
    assert.ok(rows[0].includes(badge("#7f7f7f", "not assessed")));
    assert.ok(rows[1].includes(`<small style="color:#555">[consequence; not counted]</small><br>claim c</td>`));
    assert.ok(rows[1].includes(badge("#ff7f0e", "partly")));
    assert.ok(!rows[1].includes("rule revised"), "an empty list of revisions shows nothing");
    assert.ok(rows[2].includes(`<small style="color:#555">[extension; not counted]</small><br>claim x</td>`));
    assert.ok(rows[2].includes(badge("#9467bd", "inconclusive")));
    assert.ok(!html.includes("<br><b>control:</b>"));
    assert.ok(!html.includes("control: "));
    assert.equal(ledgerHtml([]), head + `</tbody></table>`);
  });
});

describe("ledgerHtml beside the recorded paper preset", () => {
  const recHead = (live: string, recorded: string) =>
    `<table class="rankscope-ledger"><thead><tr><th style="text-align:left">claim</th><th ` +
    `style="text-align:left">where · rule</th><th style="text-align:left">${live}</th><th ` +
    `style="text-align:left">${recorded}</th><th>verdict (paper preset)</th></tr></thead><tbody>`;
  const row = (claimCell: string, whereCell: string, liveCell: string, recCell: string, verdictCell: string) =>
    `<tr><td style="text-align:left;vertical-align:top">${claimCell}</td><td ` +
    `style="text-align:left;vertical-align:top;color:#555">${whereCell}</td>` +
    `<td style="text-align:left;vertical-align:top">${liveCell}</td><td ` +
    `style="text-align:left;vertical-align:top">${recCell}</td><td ` +
    `style="vertical-align:top">${verdictCell}</td></tr>`;

  it("live and recorded cells, the recorded verdict deciding, live-only rows labelled, recorded-only rows added", () => {
    const live = [
      entry("x", "reproduced", { kind: "extension" }),
      entry("a", "reproduced", { claim: "live claim a", detail: "live <a>" }),
      entry("b", "not reproduced"),
    ];
    const recorded = [
      entry("a", "partly", { claim: "recorded claim a", detail: "rec a" }),
      entry("r", "inconclusive", { kind: "consequence", detail: "rec r" }),
    ];
    const html = ledgerHtml(live, { recorded, liveLabel: "quick <live>", recordedLabel: "paper & recorded" });
    assert.equal(
      html,
      recHead("quick &lt;live&gt;", "paper &amp; recorded") +
        row(
          "live claim a",
          "where a<br><i>rule a</i>",
          `${badge("#2ca02c", "reproduced")}<br><small>live &lt;a&gt;</small>`,
          `${badge("#ff7f0e", "partly")}<br><small>rec a</small>`,
          badge("#ff7f0e", "partly"),
        ) +
        row(
          "claim b",
          "where b<br><i>rule b</i>",
          `${badge("#d62728", "not reproduced")}<br><small>detail b</small>`,
          "—",
          `${badge("#d62728", "not reproduced")}<br><small>(quick &lt;live&gt; only)</small>`,
        ) +
        row(
          `<small style="color:#555">[consequence; not counted]</small><br>claim r`,
          "where r<br><i>rule r</i>",
          "—",
          `${badge("#9467bd", "inconclusive")}<br><small>rec r</small>`,
          badge("#9467bd", "inconclusive"),
        ) +
        row(
          `<small style="color:#555">[extension; not counted]</small><br>claim x`,
          "where x<br><i>rule x</i>",
          `${badge("#2ca02c", "reproduced")}<br><small>detail x</small>`,
          "—",
          `${badge("#2ca02c", "reproduced")}<br><small>(quick &lt;live&gt; only)</small>`,
        ) +
        `</tbody></table>`,
    );
    assert.ok(!html.includes("numbers</th>"));
  });

  it("default labels; an empty recorded list still gives the comparison's columns; a recorded-only control shows", () => {
    const html = ledgerHtml([entry("a", "not assessed")], { recorded: [] });
    assert.equal(
      html,
      recHead("this run", "paper preset (recorded)") +
        row(
          "claim a",
          "where a<br><i>rule a</i>",
          `${badge("#7f7f7f", "not assessed")}<br><small>detail a</small>`,
          "—",
          `${badge("#7f7f7f", "not assessed")}<br><small>(this run only)</small>`,
        ) +
        `</tbody></table>`,
    );
    const onlyRec = ledgerHtml([], { recorded: [entry("r", "reproduced", { control: "c&d" })] });
    assert.equal(
      onlyRec,
      recHead("this run", "paper preset (recorded)") +
        row(
          "claim r",
          "where r<br><i>rule r</i><br><b>control:</b> c&amp;d",
          "—",
          `${badge("#2ca02c", "reproduced")}<br><small>detail r</small>`,
          badge("#2ca02c", "reproduced"),
        ) +
        `</tbody></table>`,
    );
  });
});
