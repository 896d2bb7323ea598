import { it, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { houseLayout, panelGrid, lineFigure, fitLogTicks, wrapTitle, slots, Layout } from "../../src/figures";
import { renderFigure, closeExporter, chromiumPath } from "../../src/export";

const hasChromium = fs.existsSync(chromiumPath());
after(() => closeExporter());

type Axis = Record<string, unknown>;
/**
 * The tick keys a house log axis must carry: powers of ten as 10⁻³, the 2 … 9 ticks unlabelled, room for the labels.
 */
const DECADE_LABELS = { exponentformat: "power", minorloglabels: "none", automargin: true } as const;
const TICK_KEYS = ["exponentformat", "minorloglabels", "automargin", "dtick", "labelalias"];
const tickKeys = (ax: unknown) => Object.fromEntries(Object.entries(ax as Axis).filter(([k]) => TICK_KEYS.includes(k)));

it("houseLayout's log axes label every tick with its decade; linear axes are left alone", () => {
  const l = houseLayout({ title: "t", x: { title: "x", log: true }, y: { title: "y", log: true, range: [-3, 1] } });
  assert.equal((l.xaxis as Axis).type, "log");
  assert.deepEqual(tickKeys(l.xaxis), DECADE_LABELS);
  assert.deepEqual(tickKeys(l.yaxis), DECADE_LABELS);
  assert.deepEqual((l.yaxis as Axis).range, [-3, 1]);
  const lin = houseLayout({ title: "t", x: { title: "x" }, y: { title: "y" } });
  assert.deepEqual(tickKeys(lin.xaxis), {});
  assert.deepEqual(tickKeys(lin.yaxis), {});
});

it("panelGrid's yLog / xLog axes label every tick with its decade", () => {
  const l = panelGrid(houseLayout({ title: "t", x: { title: "" }, y: { title: "" } }), ["a", "b", "c"], {
    cols: 2,
    yLog: [true, false, true],
    xLog: true,
    yTitle: "y",
    xTitle: "x",
  });
  for (const k of ["xaxis", "xaxis2", "xaxis3", "yaxis", "yaxis3"]) {
    assert.equal((slots(l)[k] as Axis).type, "log", k);
    assert.deepEqual(tickKeys(slots(l)[k]), DECADE_LABELS, k);
  }
  assert.equal((l.yaxis2 as Axis).type, "linear");
  assert.deepEqual(tickKeys(l.yaxis2), {});
  // a log axis inherited from houseLayout keeps the keys in every panel
  const inherited = panelGrid(houseLayout({ title: "t", x: { title: "" }, y: { title: "", log: true } }), ["a", "b"], {
    cols: 2,
  });
  assert.deepEqual(tickKeys(inherited.yaxis2), DECADE_LABELS);
});

it("lineFigure places reference-line labels at log10 of the value on a log axis, at the value on a linear one", () => {
  const series = [{ name: "s", x: [1e-4, 1e-1], y: [1e-6, 1] }];
  const f = lineFigure("f", {
    title: "t",
    x: { title: "x", log: true },
    y: { title: "y", log: true },
    series,
    hlines: [{ y: 1e-3, label: "H" }],
    vlines: [{ x: 2e-3, label: "V" }],
  });
  const [h, v] = f.layout.annotations as Axis[];
  assert.equal(h.text, "H");
  assert.equal(h.y, -3);
  assert.equal(v.text, "V");
  assert.ok(Math.abs((v.x as number) - Math.log(2e-3) / Math.LN10) < 1e-12, `vline label at ${v.x}`);
  // the lines themselves stay in data values (Plotly's convention for shapes)
  const [hs, vs] = f.layout.shapes as Axis[];
  assert.deepEqual([hs.y0, hs.y1, vs.x0, vs.x1], [1e-3, 1e-3, 2e-3, 2e-3]);
  const lin = lineFigure("g", {
    title: "t",
    x: { title: "x" },
    y: { title: "y" },
    series,
    hlines: [{ y: 0.5, label: "H" }],
    vlines: [{ x: 0.25, label: "V" }],
  });
  assert.deepEqual(
    (lin.layout.annotations as Axis[]).map((a) => [a.x, a.y]),
    [
      [0.99, 0.5],
      [0.25, 1],
    ],
  );
  // a log axis made through `extra` counts too
  const viaExtra = lineFigure("e", {
    title: "t",
    x: { title: "x" },
    y: { title: "y" },
    series,
    hlines: [{ y: 100, label: "H" }],
    extra: { yaxis: { type: "log" } },
  });
  assert.equal((viaExtra.layout.annotations as Axis[])[0].y, 2);
});

it(
  "the top margin (and the height) grow with the number of title lines; the first line " + "stays at the same place",
  () => {
    const word = "abcdefghi"; // 9 characters: 8 words (71 characters) fill one 80-character line of a 760-px figure
    const title = (lines: number) => Array.from({ length: 8 * lines }, () => word).join(" ");
    for (const lines of [1, 2, 3, 4]) {
      assert.equal(wrapTitle(title(lines), 80).split("<br>").length, lines);
      const l = houseLayout({ title: title(lines), x: { title: "x" }, y: { title: "y" } });
      const height = 480 + 22 * (lines - 1);
      assert.equal(l.height, height, `height with ${lines} lines`);
      assert.deepEqual(l.margin, { l: 70, r: 20, t: 40 + 22 * lines, b: 60 }, `margin with ${lines} lines`);
      const t = l.title as Axis;
      assert.equal((t.text as string).split("<br>").length, lines);
      // Plotly draws a one-line title anchored at the top 0.7 em (of 16 px) above its baseline, the lines of a
      // multi-line one from y itself: either way the first baseline is 24 px below the top edge
      const y = lines === 1 ? 1 - (24 - 0.7 * 16) / height : 1 - 24 / height;
      assert.deepEqual([t.yref, t.yanchor, t.y], ["container", "top", y]);
    }
  },
);

it("lineFigure labels the 2 and 5 ticks of a log axis spanning 0.7 to 2 decades, and only those", () => {
  const fig = (y: number[], range?: [number, number]) =>
    lineFigure("f", {
      title: "t",
      x: { title: "x" },
      y: { title: "y", log: true, range },
      series: [{ name: "s", x: y.map((_, i) => i), y }],
    }).layout.yaxis as Axis;
  const narrow = fig([0.011, 0.05, 0.09]);
  assert.equal(narrow.dtick, "D2");
  assert.equal(narrow.minorloglabels, "complete");
  const alias = narrow.labelalias as Record<string, string>;
  assert.equal(alias["2x10<sup>\u22122</sup>"], "2×10<sup>\u22122</sup>");
  assert.equal(alias["5x10<sup>\u22123</sup>"], "5×10<sup>\u22123</sup>");
  // 20 and 50 in digits, like Plotly's 10
  assert.equal((fig([1.5, 40]).labelalias as Record<string, string>)["5x10"], "50");
  assert.deepEqual(tickKeys(fig([1e-6, 1])), DECADE_LABELS); // 6 decades: powers of ten only
  assert.deepEqual(tickKeys(fig([0.5, 0.9])), DECADE_LABELS); // under a decade: Plotly's full linear labels
  const ranged = fig([1e-6, 1], [-2, -0.5]); // a set range decides, not the data
  assert.deepEqual([ranged.dtick, ranged.minorloglabels], ["D2", "complete"]);
  // from 8 decades on: whole-decade steps, at most seven ticks, all powers of ten (tick0 0)
  const wide = fig([6e-30, 13]); // 30.3 decades → every 5
  assert.deepEqual([wide.dtick, wide.tick0], [5, 0]);
  assert.deepEqual([fig([1e-9, 0.5]).dtick, fig([1e-200, 1]).dtick], [2, 50]); // 8.7 decades → 2; 200 → 50
  assert.equal(fig([1e-7, 1]).dtick, undefined); // 7 decades: Plotly's own powers of ten
  // fitLogTicks leaves an axis with its own dtick alone
  const layout: Layout = { yaxis: { type: "log", ...DECADE_LABELS, dtick: 1 } };
  fitLogTicks([{ y: [0.011, 0.09] }], layout);
  assert.deepEqual(layout.yaxis, { type: "log", ...DECADE_LABELS, dtick: 1 });
});

/**
 * The texts of an SVG's tick labels of class `cls` ("xtick"/"ytick"), superscripts as ^…, zero-width spaces dropped.
 */
function tickTexts(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`class="${cls}"><text[^>]*>(.*?)</text>`, "g"))].map((m) =>
    m[1]
      .replace(/<tspan[^>]*>/g, "^")
      .replace(/<\/tspan>/g, "")
      .replace(/\u200b/g, "")
      .replace(/\^$/, ""),
  );
}

it(
  "in a headless render: decade-carrying tick labels, reference labels on their lines, the title inside the image",
  { skip: !hasChromium && "needs Debian's chromium (bash .ci/setup)", timeout: 120000 },
  async () => {
    const title = Array.from({ length: 24 }, () => "abcdefghi").join(" "); // three lines
    const f = lineFigure("render", {
      title,
      x: { title: "x", log: true },
      y: { title: "y", log: true },
      series: [{ name: "s", x: [1e-4, 1e-2], y: [1e-6, 1] }],
      hlines: [{ y: 3e-3, label: "H" }],
    });
    const svg = (await renderFigure(f, "svg")).toString("utf8");
    assert.deepEqual(tickTexts(svg, "xtick"), ["10^\u22124", "10^\u22123", "10^\u22122"]);
    assert.deepEqual(tickTexts(svg, "ytick"), [
      "10^\u22126",
      "10^\u22125",
      "10^\u22124",
      "10^\u22123",
      "10^\u22122",
      "10^\u22121",
      "1",
    ]);
    // the hline label's box ends within 3 px above the dashed line
    const line = /<path[^>]*d="M[\d.]+,([\d.]+)L[\d.]+,\1"[^>]*stroke-dasharray/.exec(svg);
    const label =
      /<g class="cursor-pointer" transform="translate\([\d.]+,([\d.]+)\)"><rect class="bg" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"[^>]*\/><text class="annotation-text"[^>]*>H</.exec(
        svg,
      );
    assert.ok(line && label, "hline and its label found in the SVG");
    const gap = +line[1] - (+label[1] + +label[2]);
    assert.ok(gap >= 0 && gap < 3, `label ends ${gap} px above its line`);
    // three title lines, the first baseline well below the top edge, the last above the plot
    const lines = [...svg.matchAll(/<tspan class="line" dy="([\d.]+)em"[^>]*y="([\d.]+)"/g)].map(
      (m) => +m[2] + 16 * +m[1],
    );
    assert.equal(lines.length, 3);
    assert.ok(lines[0] > 16, `first title baseline at ${lines[0]} px`);
    assert.ok(lines[2] + 8 < (f.layout.margin as { t: number }).t, `last title baseline at ${lines[2]} px`);
    // the short-range axis: 2 and 5 ticks labelled as 2×10⁻², 5×10⁻²
    const g = lineFigure("narrow", {
      title: "t",
      x: { title: "x" },
      y: { title: "y", log: true },
      series: [{ name: "s", x: [0, 1], y: [0.011, 0.09] }],
    });
    const ys = tickTexts((await renderFigure(g, "svg")).toString("utf8"), "ytick");
    assert.ok(
      ys.every((t) => t.includes("10")),
      ys.join(" | "),
    );
    assert.deepEqual(
      ys.filter((t) => !/^10\^\u2212[12]$/.test(t)),
      ["2×10^\u22122", "5×10^\u22122"],
    );
  },
);
