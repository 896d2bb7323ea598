import { it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { save, closeExporter, exporterStats, chromiumPath } from "../../src/export";
import { lineFigure } from "../../src/figures";

const hasChromium = fs.existsSync(chromiumPath());

function pngSize(buf: Buffer): [number, number] {
  assert.equal(buf.subarray(1, 4).toString(), "PNG");
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

it(
  "exports PNG (decodes to the asked size), SVG (parses), PDF (one page), HTML; 20 figures share one browser",
  { skip: !hasChromium && "needs Debian's chromium (bash .ci/setup)", timeout: 120000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-export-"));
    const fig = (i: number) =>
      lineFigure(`f${i}`, {
        title: `figure ${i}`,
        x: { title: "x" },
        y: { title: "y", log: true },
        series: [{ name: "s", x: [1, 2, 3], y: [1, 10 * (i + 1), 100] }],
      });
    const before = exporterStats();
    await save(fig(0), path.join(dir, "a.png"), { width: 640, height: 400, scale: 1 });
    assert.deepEqual(pngSize(fs.readFileSync(path.join(dir, "a.png"))), [640, 400]);
    await save(fig(0), path.join(dir, "b.png"), { width: 500, height: 300, scale: 2 });
    assert.deepEqual(pngSize(fs.readFileSync(path.join(dir, "b.png"))), [1000, 600]);
    await save(fig(0), path.join(dir, "a.svg"));
    const svg = fs.readFileSync(path.join(dir, "a.svg"), "utf8");
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\s*$/);
    assert.match(svg, /figure 0/);
    await save(fig(0), path.join(dir, "a.pdf"));
    const pdf = fs.readFileSync(path.join(dir, "a.pdf"));
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    assert.equal((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1);
    await save(fig(0), path.join(dir, "a.html"));
    assert.match(fs.readFileSync(path.join(dir, "a.html"), "utf8"), /Plotly\.newPlot/);
    for (let i = 0; i < 20; i++) await save(fig(i), path.join(dir, `many-${i}.png`), { scale: 1 });
    const after = exporterStats();
    assert.equal(after.launches - before.launches, 1, "one browser for all exports");
    assert.equal(after.exported - before.exported, 24);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
      "no temporary files left",
    );
    await assert.rejects(save(fig(0), path.join(dir, "a.jpg")), /extension must be one of .html, .png, .svg, .pdf/);
    await closeExporter();
  },
);

it("a missing Chromium gives an error naming the set-up command", async () => {
  const prev = process.env.RANKSCOPE_CHROMIUM;
  process.env.RANKSCOPE_CHROMIUM = "/nonexistent/chromium";
  await closeExporter();
  try {
    await assert.rejects(
      save(
        lineFigure("x", { title: "x", x: { title: "x" }, y: { title: "y" }, series: [] }),
        path.join(os.tmpdir(), "x.png"),
      ),
      /Chromium not found at \/nonexistent\/chromium\. Run the set-up command `bash \.ci\/setup`/,
    );
  } finally {
    if (prev === undefined) delete process.env.RANKSCOPE_CHROMIUM;
    else process.env.RANKSCOPE_CHROMIUM = prev;
  }
});
